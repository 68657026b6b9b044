"""Why an audience section has nothing to show: no TikTok Studio download for the account, its
file came header-only (TikTok writes it so for small accounts), no such file was uploaded, or its
days fall outside the period. One sentence each, shared by the Audience and Content pages."""

from __future__ import annotations

from datetime import date

from kpi_core.metrics.findings import plural
from kpi_core.metrics.scope import plain, resolve_account
from kpi_core.store import Store

__all__ = [
    "ACTIVITY_WINDOW_DAYS",
    "day_text",
    "days_text",
    "no_activity_reason",
    "no_file_reason",
    "studio_reason",
]

ACTIVITY_WINDOW_DAYS = 7  # TikTok's FollowerActivity covers the last 7 days before each export

# Each audience file: its kind in the upload log, its name, what it holds (as a sentence names it,
# with its pronoun) and the TikTok Studio download it comes in.
FILES = {
    "gender": ("studio_follower_gender", "FollowerGender.csv", "follower gender", "it", "Followers"),
    "territory": (
        "studio_follower_territories",
        "FollowerTopTerritories.csv",
        "follower territories",
        "they",
        "Followers",
    ),
    "activity": ("studio_follower_activity", "FollowerActivity.csv", "follower activity", "it", "Followers"),
    "viewers": ("studio_viewers", "Viewers.csv", "new and returning viewers", "they", "Viewers"),
}


def day_text(value: object) -> str:
    """'20 Nov 2026'."""
    day = plain(value)
    return f"{day.day} {day:%b %Y}" if isinstance(day, date) else "an unknown day"


def days_text(first: object, last: object) -> str:
    """'9 Mar 2026 – 15 Mar 2026', or the one day when they are the same."""
    return day_text(first) if plain(first) == plain(last) else f"{day_text(first)} – {day_text(last)}"


def no_file_reason(store: Store, account: str | None, what: str) -> str:
    """Why `what` ('gender', 'territory', 'activity', 'viewers') has no rows: the file came header-only
    (TikTok writes it so for small accounts), or no such file was read for the account."""
    kind, name, holds, pronoun, download = FILES[what]
    files = store.query("audience_files", account=account)
    read = files[files["kind"] == kind]
    if len(read) and int(read["data_rows"].sum()) == 0:
        followers = store.query("account_followers", account=account)
        size = (
            f" (this account has {plural(int(followers['followers'].iloc[0]), 'follower')})"
            if len(followers)
            else ""
        )
        return (
            f"{name} came with its header and no rows: TikTok leaves {holds} out for small accounts{size}, "
            "so there is nothing to chart yet."
        )
    return (
        f"No {holds} for this account yet: {pronoun} come{'s' if pronoun == 'it' else ''} in {name}, part of "
        f"TikTok Studio's {download} download, and none has been uploaded."
    )


def studio_reason(store: Store, account: str | None = None) -> str | None:
    """The one sentence for an account known only from scraper or other non-Studio files: follower
    and viewer data come only from the account owner's TikTok Studio downloads. None otherwise."""
    account = resolve_account(store, account)
    files = store.query("audience_files", account=account)
    if files["kind"].str.startswith("studio_").any():
        return None
    return (
        "This account's files hold no TikTok Studio download: follower gender, territories, activity and "
        "new against returning viewers come only from the account owner's Studio exports (the Followers "
        "and Viewers downloads), which the files loaded do not include."
    )


def no_activity_reason(store: Store, account: str | None) -> str:
    """Why the period has no FollowerActivity: the account's files hold no Studio download, the
    file came header-only or was not uploaded, or its days fall outside the period."""
    account = resolve_account(store, account)
    anywhere = store.query("audience_activity", account=account, date_from=None, date_to=None)
    if anywhere.empty:
        return studio_reason(store, account) or no_file_reason(store, account, "activity")
    return (
        f"FollowerActivity covers {days_text(anywhere['first_day'].iloc[0], anywhere['last_day'].iloc[0])} "
        f"(TikTok keeps only the last {ACTIVITY_WINDOW_DAYS} days before each export), none of it in this "
        "period: pick a period that includes those days."
    )
