"""Who the followers and viewers are: gender, top territories, new against returning viewers, when
followers are online, and how the account's posting hours meet them.

Every function returns an `AudienceFinding`: the table a page charts, with `summary` (the sentence
that states what it shows), or `reason` (the one sentence that replaces a chart that would carry no
information: a header-only file, which TikTok writes for small accounts, no file at all, a period
without counts, posting dates without hours). Shares are fractions 0..1; counts of viewers and
followers are per day. Pages render these; nothing here decides how they look.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from babel import Locale

from kpi_core.metrics.audience_files import (
    ACTIVITY_WINDOW_DAYS,
    day_text,
    days_text,
    no_activity_reason,
    no_file_reason,
    studio_reason,
)
from kpi_core.metrics.content import WEEKDAYS, audience_hours, posting_times
from kpi_core.metrics.content_findings import video_counts
from kpi_core.metrics.findings import Finding, and_list, plural
from kpi_core.metrics.scope import DateLike, as_date, no_video_list, plain, resolve_account, videos_in_period
from kpi_core.store import Store

__all__ = [
    "ACTIVITY_WINDOW_DAYS",
    "DAILY_VIEWERS_MAX_DAYS",
    "MIN_MATCH_VIDEOS",
    "PEAK_HOURS",
    "AudienceFinding",
    "activity_finding",
    "gender_finding",
    "hour_spans",
    "posting_match_finding",
    "studio_reason",
    "territory_finding",
    "viewers_finding",
]

DAILY_VIEWERS_MAX_DAYS = 35  # periods up to five weeks show viewers per day, longer ones per week
PEAK_HOURS = 6  # the followers' busiest hours: a quarter of the day
MIN_MATCH_VIDEOS = 5  # videos with a posting hour needed before their hours are compared
ROUNDING_SLACK = 0.015  # shares TikTok rounds may add up to 98.5-101.5 % without comment


@dataclass(frozen=True, eq=False)
class AudienceFinding(Finding):
    """A `Finding` with `summary`: the sentence stating what the table shows (None with a `reason`),
    and `grain` ('day' or 'week') for tables over time."""

    summary: str | None = None
    grain: str | None = None


def _range(store: Store, account: str | None, date_from: DateLike, date_to: DateLike) -> dict[str, Any]:
    return {
        "account": resolve_account(store, account),
        "date_from": as_date(date_from),
        "date_to": as_date(date_to),
    }


def _pct(share: float) -> str:
    return f"{share:.1%}"


# ---------------------------------------------------------------------------------------------
# Gender and territories: one snapshot each, as of its export


def _shares(store: Store, account: str | None, dimension: str) -> pd.DataFrame:
    return store.query("audience_shares", account=resolve_account(store, account), dimension=dimension)


def _rounding_note(total: float) -> tuple[str, ...]:
    if abs(total - 1) <= ROUNDING_SLACK:
        return ()
    return (f"The shares add up to {_pct(total)}, not 100%: as TikTok wrote them.",)


def gender_finding(store: Store, account: str | None = None) -> AudienceFinding:
    """The followers' gender split (key, share 0..1, snapshot_date; largest first) as of its newest
    export, or why there is none: a header-only FollowerGender.csv, no such file, or no share above 0."""
    account = resolve_account(store, account)
    shares = _shares(store, account, "gender")
    if shares.empty:
        return AudienceFinding(shares, no_file_reason(store, account, "gender"))
    if not shares["share"].fillna(0).gt(0).any():
        return AudienceFinding(
            shares, "FollowerGender.csv gives every gender a share of 0%, so it shows no split."
        )
    parts = ", ".join(f"{k} {_pct(s)}" for k, s in zip(shares["key"], shares["share"], strict=True))
    summary = f"{parts} of followers, as of the export of {day_text(shares['snapshot_date'].max())}."
    return AudienceFinding(shares, summary=summary, notes=_rounding_note(float(shares["share"].sum())))


def _territory_name(code: str) -> str:
    """'US' -> 'United States'; a code Babel does not know stays as written."""
    name = Locale("en").territories.get(str(code).upper())
    return f"{name} ({code})" if name else str(code)


def territory_finding(store: Store, account: str | None = None) -> AudienceFinding:
    """The followers' top territories (key as an ISO code, name, share 0..1; largest first) as of their
    newest export, or why there are none. The summary says how much of the following the listed
    territories leave out: TikTok lists only the top few."""
    account = resolve_account(store, account)
    shares = _shares(store, account, "territory")
    if shares.empty:
        return AudienceFinding(shares, no_file_reason(store, account, "territory"))
    if not shares["share"].fillna(0).gt(0).any():
        return AudienceFinding(
            shares, "FollowerTopTerritories.csv gives every territory a share of 0%, so it shows no split."
        )
    shares.insert(1, "name", [_territory_name(k) for k in shares["key"]])
    total = float(shares["share"].sum())
    listed = (
        f"The top {plural(len(shares), 'territory', 'territories')} hold {_pct(min(total, 1.0))} of followers"
    )
    rest = f"; TikTok does not break down the other {_pct(1 - total)}" if total < 1 - ROUNDING_SLACK else ""
    summary = f"As of the export of {day_text(shares['snapshot_date'].max())}, {listed[0].lower()}{listed[1:]}{rest}."
    notes = _rounding_note(total) if total > 1 else ()
    return AudienceFinding(shares, summary=summary, notes=notes)


# ---------------------------------------------------------------------------------------------
# New and returning viewers over time


def viewers_finding(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> AudienceFinding:
    """New and returning viewers per day, or per week when the days with counts in the period span
    more than DAILY_VIEWERS_MAX_DAYS days (a 28-day download stays daily in a longer period).

    Columns: period (first day of the bucket), first_day, last_day, days, new_per_day,
    returning_per_day, total_per_day (viewers per day, means over the bucket's days with counts),
    returning_viewers, total_viewers (sums), returning_share (a fraction 0..1, ratio of the sums).
    `reason` when the period has no counts or every count is 0.
    """
    params = _range(store, account, date_from, date_to)
    grain = "day"
    table = store.query("audience_viewers", **params, grain=grain, include_provisional=include_provisional)
    if (
        len(table)
        and (plain(table["last_day"].max()) - plain(table["first_day"].min())).days >= DAILY_VIEWERS_MAX_DAYS
    ):
        grain = "week"
        table = store.query(
            "audience_viewers", **params, grain=grain, include_provisional=include_provisional
        )
    if table.empty:
        anywhere = store.query(
            "audience_viewers",
            **{**params, "date_from": None, "date_to": None},
            grain="day",
            include_provisional=True,
        )
        if anywhere.empty:
            return AudienceFinding(table, no_file_reason(store, params["account"], "viewers"), grain=grain)
        return AudienceFinding(
            table,
            f"Viewers.csv has counts for {days_text(anywhere['first_day'].min(), anywhere['last_day'].max())}, none "
            "in this period: pick a period that includes those days.",
            grain=grain,
        )
    days = int(table["days"].sum())
    total, returning = int(table["total_viewers"].sum()), int(table["returning_viewers"].sum())
    if total == 0:
        return AudienceFinding(
            table,
            f"Viewers.csv counts no viewers on any of the {plural(days, 'day')} in this period.",
            grain=grain,
        )
    table["returning_share"] = [
        r / t if t > 0 else math.nan
        for r, t in zip(table["returning_viewers"], table["total_viewers"], strict=True)
    ]
    share = returning / total
    summary = (
        f"Over the {plural(days, 'day')} with viewer counts, {_pct(share)} of viewers were returning and "
        f"{_pct(1 - share)} new (returning viewers ÷ total viewers, each summed over the days). TikTok "
        "counts each day's viewers once, so a person who watches on three days counts on each."
    )
    return AudienceFinding(table, summary=summary, grain=grain)


# ---------------------------------------------------------------------------------------------
# When followers are online, and the posting hours against it


def _activity_span_text(first: object, last: object, days: int) -> str:
    window = (
        f"FollowerActivity covers {days_text(first, last)} ({plural(days, 'day')}): TikTok keeps only "
        f"the last {ACTIVITY_WINDOW_DAYS} days before each export"
    )
    if days <= ACTIVITY_WINDOW_DAYS:
        return f"{window}, so each weekday is one day's count, not an average over weeks."
    return f"{window}; uploads of several exports add up, and each cell is the mean over its weekday's days."


def activity_finding(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> AudienceFinding:
    """Followers online per weekday and hour (FollowerActivity), or why there is nothing to show.

    Columns: weekday (1 = Monday), weekday_name, hour (0-23, the time TikTok Studio shows),
    active_followers (mean per day), days, first_day, last_day. The summary states TikTok's 7-day
    window and the busiest slot.
    """
    params = _range(store, account, date_from, date_to)
    cells = store.query("audience_activity", **params)
    if cells.empty:
        return AudienceFinding(cells, no_activity_reason(store, params["account"]))
    cells.insert(1, "weekday_name", [WEEKDAYS[int(d) - 1] for d in cells["weekday"]])
    first, last = cells["first_day"].iloc[0], cells["last_day"].iloc[0]
    days = (plain(last) - plain(first)).days + 1
    if not cells["active_followers"].gt(0).any():
        return AudienceFinding(
            cells,
            f"FollowerActivity counts no follower online in any hour of {days_text(first, last)}, so "
            "there is no busy time to show yet.",
        )
    top = cells.loc[cells["active_followers"].idxmax()]
    busiest = (
        f" The busiest hour: {top['weekday_name']} at {int(top['hour']):02d}:00, with "
        f"{plural(round(float(top['active_followers'])), 'follower')} online."
    )
    return AudienceFinding(cells, summary=_activity_span_text(first, last, days) + busiest)


def hour_spans(hours: list[int]) -> str:
    """Hours of the day as spans of clock time, a run across midnight kept whole.

    >>> hour_spans([18, 19, 20, 7])
    '07:00–08:00 and 18:00–21:00'
    >>> hour_spans([23, 0, 1])
    '23:00–02:00'
    """
    chosen = sorted(set(hours))
    if len(chosen) == 24:
        return "all day"
    runs: list[list[int]] = []
    for hour in chosen:
        if runs and hour == runs[-1][-1] + 1:
            runs[-1].append(hour)
        else:
            runs.append([hour])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 23:
        runs[0] = runs.pop() + runs[0]
    runs.sort(key=lambda run: run[0])
    spans = [f"{run[0]:02d}:00–{(run[-1] + 1) % 24:02d}:00" for run in runs]
    return and_list(spans)


def _posting_hours_reason(store: Store, params: dict[str, Any]) -> str | None:
    counts = video_counts(store, params["account"], params["date_from"], params["date_to"])
    videos, timed = counts["videos"], counts["with_time"]
    period = videos_in_period(store, params["account"])
    if videos == 0:
        if unlisted := no_video_list(store, params["account"]):
            return f"{unlisted} There are no posting hours to compare."
        return f"No videos were {period}, so there are no posting hours to compare."
    if timed == 0:
        which = f"The video {period} has" if videos == 1 else f"The {videos:,} videos {period} have"
        return (
            f"{which} a posting date but no hour: TikTok Studio's Content export gives dates only. "
            "A scraper export of the account (Apify, for example) adds the time of day."
        )
    if timed < MIN_MATCH_VIDEOS:
        only = "Only 1 video has" if timed == 1 else f"Only {timed} videos have"
        return (
            f"{only} a posting hour in this period: comparing posting hours with the followers' hours "
            f"needs at least {MIN_MATCH_VIDEOS}, so {plural(MIN_MATCH_VIDEOS - timed, 'more video')} would allow it."
        )
    return None


def posting_match_finding(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> AudienceFinding:
    """How the account's posting hours meet the hours its followers are online, or why they cannot
    be compared (no hours in the export, too few videos with one, no follower activity).

    Columns, one row per hour 0-23: hour, active_followers (mean per day), follower_share (the hour's
    share of the day's follower activity, 0..1), videos (posted in that hour), video_share (0..1),
    peak (one of the followers' PEAK_HOURS busiest hours). Videos count only where the posting
    time is known (scraper exports); follower hours come from FollowerActivity's days in range.
    """
    params = _range(store, account, date_from, date_to)
    reason = _posting_hours_reason(store, params)
    hours = audience_hours(store, **params)
    if reason is None and hours.empty:
        reason = "Posting hours need the followers' hours to compare with. " + no_activity_reason(
            store, params["account"]
        )
    elif reason is None and not hours["active_followers"].fillna(0).gt(0).any():
        reason = (
            "FollowerActivity counts no follower online in this period, so no hour is busier than another."
        )
    table = pd.DataFrame({"hour": range(24)})
    if reason is not None:
        return AudienceFinding(table.iloc[0:0], reason)
    posted = posting_times(store, **params, by="hour")[["hour", "videos"]]
    table = table.merge(hours[["hour", "active_followers"]], on="hour", how="left")
    table = table.merge(posted.astype({"hour": int}), on="hour", how="left")
    table["active_followers"] = table["active_followers"].fillna(0.0)
    table["videos"] = table["videos"].fillna(0).astype(int)
    table["follower_share"] = table["active_followers"] / table["active_followers"].sum()
    table["video_share"] = table["videos"] / table["videos"].sum()
    peak = table.sort_values(["active_followers", "hour"], ascending=[False, True]).head(PEAK_HOURS)["hour"]
    table["peak"] = table["hour"].isin(peak)
    videos, in_peak = int(table["videos"].sum()), int(table.loc[table["peak"], "videos"].sum())
    summary = (
        f"{in_peak} of the {plural(videos, 'video')} with a posting hour ({_pct(in_peak / videos)}) went up in "
        f"the followers' {PEAK_HOURS} busiest hours ({hour_spans(peak.tolist())}), which hold "
        f"{_pct(float(table.loc[table['peak'], 'follower_share'].sum()))} of their activity; posting at "
        f"random hours would put {_pct(PEAK_HOURS / 24)} of videos there."
    )
    first, last = store.query("audience_activity", **params)[["first_day", "last_day"]].iloc[0]
    notes = [
        f"Follower hours come from FollowerActivity's {days_text(first, last)}; posting hours from the "
        f"videos posted in the whole period."
    ]
    if store.scraped_posting_times(params["account"]) and store.time_zone(params["account"]) is None:
        notes.append(
            "The scraper gave posting times in UTC and no time zone is set for this account, while "
            "FollowerActivity's hours are the time TikTok Studio shows: pick the account's time zone to "
            "compare like with like."
        )
    return AudienceFinding(table, summary=summary, notes=tuple(notes))
