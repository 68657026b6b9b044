"""Which account and which days a question is about: the primary account, competitors, the
data's extent, and dates as the pages and the command line give them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from kpi_core.store import Store

__all__ = [
    "NO_VIDEO_LIST",
    "PARTIAL_LIST",
    "DateLike",
    "SettledCut",
    "accounts_with_video_list",
    "as_date",
    "competitors",
    "data_extent",
    "data_extents",
    "has_video_list",
    "no_video_list",
    "plain",
    "posting_span",
    "primary_account",
    "resolve_account",
    "settled_cut",
    "settled_end",
    "videos_in_period",
    "videos_listed_only",
]

DateLike = date | str | None


def plain(value: Any) -> Any:
    """A DuckDB/pandas scalar as a plain Python value (int, float, str, date or None)."""
    if value is None or value is pd.NaT or (not isinstance(value, str | date) and pd.isna(value)):
        return None  # NaT is a date to isinstance
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def as_date(value: DateLike | datetime) -> date | None:
    """A date from a date, datetime or ISO string ("2026-03-01"); None stays None."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(value)


def primary_account(store: Store) -> str | None:
    """The account the user's own Studio exports belong to (Store.primary_account); None if empty."""
    return store.primary_account()


def competitors(store: Store) -> list[str]:
    """Every account but the primary one, in name order."""
    return store.accounts()[1:]


def resolve_account(store: Store, account: str | None) -> str | None:
    """`account`, or the primary account when None."""
    return account if account is not None else store.primary_account()


# Why posting counts cannot be read off a video list that TikTok Studio's Content exports alone
# gave (formats README: about 15 videos a download, "not the newest 15, in no useful order").
PARTIAL_LIST = (
    "TikTok Studio's Content exports list about 15 videos a download, not every post; a scrape of the "
    "account, Apify's for example, lists them all"
)


# A list of every post counts for the account's recent posting when its snapshot is at most four
# weeks older than the account's last day of data (the demo's scrape is 12 days older).
WHOLE_LIST_REACH_DAYS = 28


# Why an account's per-video KPIs have no value when no file lists its videos (its Overview alone,
# say): "0 videos" would read as none posted.
NO_VIDEO_LIST = (
    "no video list: none of the files lists this account's videos (TikTok Studio's Content export, "
    "a scrape or TikTok's data archive does)"
)


def posting_span(store: Store, account: str | None) -> tuple[date | None, date | None]:
    """The first and last posting day of the account's videos (sql/posting_span.sql); (None, None)
    when no file lists videos of it, when none of them has a posting day, or for None."""
    span = _posting_span(store, account)
    if span.empty:
        return None, None
    return plain(span["first_day"].iloc[0]), plain(span["last_day"].iloc[0])


def no_video_list(store: Store, account: str | None) -> str | None:
    """The sentence a page gives instead of "no videos were posted" for an account no file lists
    videos of (NO_VIDEO_LIST), which is not the same; None when a file lists its videos, or without
    an account. `account` None is the primary account."""
    account = resolve_account(store, account)
    if account is None or has_video_list(store, account):
        return None
    return NO_VIDEO_LIST[0].upper() + NO_VIDEO_LIST[1:] + "."


def has_video_list(store: Store, account: str | None) -> bool:
    """Whether any file lists videos of the account, dated or not (a scrape's row without a posting
    time is a video all the same); False for None."""
    return not _posting_span(store, account).empty


def _posting_span(store: Store, account: str | None) -> pd.DataFrame:
    """sql/posting_span.sql's row for the account (none without videos), asked once per data version."""
    if account is None:
        return pd.DataFrame(columns=["first_day", "last_day"])
    return store.query("posting_span", account=account)


def videos_listed_only(store: Store, account: str | None) -> bool:
    """Whether the account's recent videos all come from TikTok Studio's Content exports, which list
    about 15 videos a download rather than every post (sql/video_sources.sql): their number per
    period is then a floor, not a count. False when a list of every post (a scrape, TikTok's data
    archive, the 2022-23 "Video Posts" export) reaches the last WHOLE_LIST_REACH_DAYS days of the
    account's data, or without videos."""
    return account is not None and bool(
        store.scalar("video_sources", account=account, reach_days=WHOLE_LIST_REACH_DAYS)
    )


def videos_in_period(store: Store, account: str | None) -> str:
    """How a period's videos came to be counted, in words: "posted in this period", or "listed for
    this period" when TikTok Studio's Content exports alone list them (`videos_listed_only`), so
    that no sentence says a video was not posted when it was only not listed. `account` None is
    the primary account."""
    listed = videos_listed_only(store, resolve_account(store, account))
    return "listed for this period" if listed else "posted in this period"


def data_extent(store: Store, account: str | None = None) -> tuple[date | None, date | None]:
    """The account's first and last day with data (sql/data_span.sql), primary account if None;
    (None, None) for an account without dated data."""
    account = resolve_account(store, account)
    if account is None:
        return None, None
    spans = store.query("data_span", account=account)
    if spans.empty:
        return None, None
    return plain(spans["date_from"].iloc[0]), plain(spans["date_to"].iloc[0])


def data_extents(store: Store) -> dict[str, tuple[date | None, date | None]]:
    """`data_extent` of every account with data, in one query (sql/data_span.sql): account ->
    (first day, last day), both None for an account without dated data."""
    spans = store.query("data_span", account=None)
    return {
        str(a): (plain(first), plain(last))
        for a, first, last in zip(spans["account"], spans["date_from"], spans["date_to"], strict=True)
    }


def accounts_with_video_list(store: Store) -> set[str]:
    """The accounts `has_video_list` is true of, in one query (sql/posting_span.sql)."""
    return {str(a) for a in store.query("posting_span", account=None)["account"]}


def settled_end(
    store: Store,
    account: str | None,
    date_from: DateLike,
    date_to: DateLike,
    include_provisional: bool = False,
) -> date:
    """The last day of [date_from, date_to] that per-day figures compare (`settled_cut`)."""
    return settled_cut(store, account, date_from, date_to, include_provisional).last


class SettledCut(NamedTuple):
    """Where per-day figures of a period end (`settled_cut`), and why the days after it are cut."""

    last: date  # the last day per-day figures compare
    provisional: bool  # the days after `last` begin with a provisional tail
    overview_until: date | None = None  # the Overview's last day, when days of the period follow it


def settled_cut(
    store: Store,
    account: str | None,
    date_from: DateLike,
    date_to: DateLike,
    include_provisional: bool = False,
) -> SettledCut:
    """The last day of [date_from, date_to] that per-day figures compare (sql/settled_end.sql), and
    why the days after it are cut: a provisional tail, days without Overview data, or both.

    Per-day figures leave out the range's provisional tail (the newest export's last days, unless
    `include_provisional`) and the days after the Overview's last one (provisional days included
    or not: they have no likes to count); a period compared with them then holds as many days.
    Where the range has Overview rows only they decide: days known only from a newer Followers
    export neither end the Overview's provisional days nor count as days of likes. `date_to`
    with nothing cut when nothing is, or when the range is provisional throughout.
    """
    start, end = as_date(date_from), as_date(date_to)
    if start is None or end is None or end < start:
        raise ValueError("a period needs a start and an end on or after it")
    found = store.query(
        "settled_end",
        account=resolve_account(store, account),
        date_from=start,
        date_to=end,
        include_provisional=include_provisional,
    )
    if found.empty:
        return SettledCut(end, False)
    last = plain(found["settled_end"].iloc[0])
    if last is None or last < start:
        return SettledCut(end, False)
    return SettledCut(last, bool(found["provisional_tail"].iloc[0]), plain(found["overview_until"].iloc[0]))
