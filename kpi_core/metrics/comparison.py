"""Every KPI in a period against the period of the same length before it, only against data.

Per-day figures leave out provisional days (the newest export's last days, which TikTok may still
update) unless they are included. When the period ends on such days, or after the Overview's last
day, its per-day figures are compared over the days up to its last settled Overview day only,
against as many days before them (`scope.settled_cut`): 88 settled days against 90 would make a
steady account look 2% down.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd

from kpi_core.metrics import registry
from kpi_core.metrics.findings import day_span, plural, short_day
from kpi_core.metrics.measures import Kpi
from kpi_core.metrics.ratios import NO_DATA, ratio
from kpi_core.metrics.scope import (
    NO_VIDEO_LIST,
    DateLike,
    SettledCut,
    as_date,
    data_extent,
    resolve_account,
    settled_cut,
    settled_end,
    videos_listed_only,
)
from kpi_core.metrics.values import daily_results, video_results
from kpi_core.store import Store

__all__ = [
    "LISTED_COUNT",
    "MIN_COMPARED_VIDEOS",
    "NO_EARLIER_DATA",
    "SAME_REASON",
    "compare_periods",
    "coverage",
    "few_videos",
    "per_day_note",
    "nothing_counted",
    "partial_total",
    "previous_range",
    "same_reason",
    "settled_note",
    "shown_cards",
]

NO_EARLIER_DATA = "no earlier data"
# The previous value of a KPI neither period has data for (its comparison is its note).
SAME_REASON = "n/a, for the same reason"
# Why two periods' video counts are not compared when the videos are a sample of the posts
# (`scope.videos_listed_only`): one download lists more of a period than another.
LISTED_COUNT = (
    "not compared: the videos listed are a sample of the posts, so their number is a floor, not a count"
)


# Videos each period needs before a per-video rate, mean or median is compared between them: with
# fewer, one video makes the value (the hashtag and group comparisons ask as many on each side).
MIN_COMPARED_VIDEOS = 5


def few_videos(kpi: Kpi, current_rows: int, previous_rows: int) -> str | None:
    """Why a per-video rate, mean or median is not compared between two periods: one of them has
    fewer than MIN_COMPARED_VIDEOS videos behind it, so its value is one or two videos' and a
    change between them says nothing of the account. None when it can be compared, and for totals
    and counts, which are facts of the period however few videos made them.

    >>> from kpi_core.metrics.registry import kpi
    >>> few_videos(kpi("per_video", "like_rate"), 3, 2)
    'too few videos to compare: 3 videos against 2 before; a per-video rate, mean or median needs at least 5 in each period'
    """
    typical = kpi.is_ratio or kpi.numerator.function == "median"
    if kpi.grain != "per_video" or not typical or min(current_rows, previous_rows) >= MIN_COMPARED_VIDEOS:
        return None
    return (
        f"too few videos to compare: {plural(current_rows, 'video')} against {previous_rows:,} before; "
        f"a per-video rate, mean or median needs at least {MIN_COMPARED_VIDEOS} in each period"
    )


def same_reason(note: object, comparison: object) -> bool:
    """Whether a `compare_periods` row's KPI has data in neither period: its comparison is its note
    (no video list, no follower counts), and its previous value reads SAME_REASON."""
    return isinstance(note, str) and note == comparison


def nothing_counted(note: object, current_rows: int) -> bool:
    """Whether a `compare_periods` row's value is n/a with no video or day behind it: its base is
    the reason, never "0 videos" or "0 days"."""
    return isinstance(note, str) and current_rows == 0


def shown_cards(comparison: pd.DataFrame, selection: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (grain, KPI name) cards of `selection` as this comparison shows them: a per-video KPI
    of an account no file lists videos of (`scope.NO_VIDEO_LIST`) is shown as the same KPI of the
    daily totals when they give it a value and it is not a card already (the like rate of an
    account known from its Overview export alone, from its daily likes and views, not "n/a");
    without a daily value the card stays, saying there is no video list. The other way round, a
    per-day KPI of a period with no daily row at all (a scrape alone) is shown as the same KPI of
    the videos posted in it when they give it a value: the likes of those videos, not "n/a".

    >>> table = pd.DataFrame({"grain": ["per_video", "per_day"], "name": ["like_rate"] * 2,
    ...                       "note": [NO_VIDEO_LIST, None], "current": [None, 0.05]})
    >>> shown_cards(table, [("per_video", "like_rate"), ("per_video", "videos")])
    [('per_day', 'like_rate'), ('per_video', 'videos')]
    >>> scraped = pd.DataFrame({"grain": ["per_video", "per_day", "per_day"], "name": ["likes", "likes", "days"],
    ...                         "note": [None, "no data: no daily likes in the period", None],
    ...                         "current": [410.0, None, 0.0]})
    >>> shown_cards(scraped, [("per_day", "likes")])
    [('per_video', 'likes')]
    """
    notes = {
        (g, n): note
        for g, n, note in zip(comparison["grain"], comparison["name"], comparison["note"], strict=True)
    }
    days = comparison[(comparison["grain"] == "per_day") & (comparison["name"] == "days")]["current"]
    no_days = len(days) == 0 or not (days.fillna(0) > 0).any()  # no daily row at all in the period
    shown = []
    for grain, name in selection:
        other = ("per_day", name) if grain == "per_video" else ("per_video", name)
        if grain == "per_video":
            missing = notes.get((grain, name)) == NO_VIDEO_LIST
        else:
            missing = no_days and str(notes.get((grain, name))).startswith(f"{NO_DATA}:")
        valued = other in notes and pd.isna(notes[other])  # a value, no reason for its absence
        shown.append(other if missing and valued and other not in selection else (grain, name))
    return shown


def previous_range(date_from: DateLike, date_to: DateLike) -> tuple[date, date]:
    """The range of the same length that ends the day before `date_from`.

    >>> previous_range("2026-03-08", "2026-03-14")
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 7))
    """
    start, end = as_date(date_from), as_date(date_to)
    if start is None or end is None or end < start:
        raise ValueError("a period needs a start and an end on or after it")
    previous_end = start - timedelta(days=1)
    return previous_end - (end - start), previous_end


def settled_note(date_from: date, date_to: date, cut: SettledCut, days_before: bool = True) -> str | None:
    """Which days per-day figures compare when the period's last days are cut off (`cut.last` is
    the day before them, `scope.settled_cut`), and why: provisional days, days without Overview
    data, or both; None when none are. With `days_before` False the period they are compared with
    was given, not the days before.

    >>> settled_note(date(2026, 8, 23), date(2026, 11, 20), SettledCut(date(2026, 11, 18), True))
    'Per-day figures compare 23 Aug – 18 Nov 2026 (88 days) with the 88 days before: the daily data after 18 Nov is provisional, as TikTok may still update it.'
    >>> settled_note(date(2026, 8, 23), date(2026, 11, 20), SettledCut(date(2026, 11, 10), False, date(2026, 11, 10)))
    'Per-day figures compare 23 Aug – 10 Nov 2026 (80 days) with the 80 days before: the files loaded have no Overview data after 10 Nov (upload a newer Overview export to include those days).'
    >>> settled_note(date(2026, 8, 23), date(2026, 11, 20), SettledCut(date(2026, 11, 8), True, date(2026, 11, 10)))
    'Per-day figures compare 23 Aug – 8 Nov 2026 (78 days) with the 78 days before: the daily data of 9 Nov – 10 Nov is provisional, as TikTok may still update it, and the files loaded have no Overview data after 10 Nov (upload a newer Overview export to include those days).'
    """
    if cut.last >= date_to:
        return None
    days = plural((cut.last - date_from).days + 1, "day")
    compared = f"compare {day_span(date_from, cut.last)} ({days}) with the {days} before"
    if not days_before:
        compared = f"of this period cover {day_span(date_from, cut.last)} ({days})"
    reasons = []
    if cut.provisional:
        # With both reasons only the Overview's last days are provisional: the note names them.
        first, last = cut.last + timedelta(days=1), cut.overview_until
        which = f"after {short_day(cut.last)}"
        if last is not None:
            which = (
                f"of {short_day(first)}" if first == last else f"of {short_day(first)} – {short_day(last)}"
            )
        reasons.append(f"the daily data {which} is provisional, as TikTok may still update it")
    if cut.overview_until is not None:
        reasons.append(
            f"the files loaded have no Overview data after {short_day(cut.overview_until)} "
            "(upload a newer Overview export to include those days)"
        )
    assert reasons, cut  # settled_cut cuts days only for one of these reasons
    return f"Per-day figures {compared}: {', and '.join(reasons)}."


def per_day_note(
    store: Store,
    account: str | None,
    date_from: DateLike,
    date_to: DateLike,
    include_provisional: bool = False,
) -> str | None:
    """`settled_note` for the account's period: which days its per-day comparisons cover, when
    the period ends on provisional days."""
    start, end = as_date(date_from), as_date(date_to)
    cut = settled_cut(store, account, start, end, include_provisional)
    assert start is not None and end is not None  # settled_cut refuses a range without them
    return settled_note(start, end, cut)


_COMPARISON_COLUMNS = [
    "grain",
    "name",
    "label",
    "unit",
    "fmt",
    "current",
    "previous",
    "delta",
    "delta_rel",
    "current_rows",
    "previous_rows",
    "rows_unit",
    "period_days",
    "coverage",
    "note",
    "comparison",
    "division",
]


def coverage(kpi: Kpi, current_rows: int, previous_rows: int, period_days: int) -> str | None:
    """What the two values of a comparison rest on, when that is not the same whole period.

    Per day: the days with data out of the period's days ("previous: 26 of 28 days", "now: 26 of 28
    days", "26 of 28 days vs 12"; without earlier data, "on 5 of 63 days" when the period has
    fewer); per video: the videos behind each value when their numbers differ ("9 videos vs 4
    before"). Short enough for a card. None when both values rest on the same base, or on the
    whole period.

    >>> from kpi_core.metrics.registry import kpi
    >>> coverage(kpi("per_day", "likes"), 28, 26, 28)
    'previous: 26 of 28 days'
    >>> coverage(kpi("per_day", "likes"), 5, 0, 63)
    'on 5 of 63 days'
    """
    if previous_rows == 0:  # nothing to compare: the period's own days, when it has fewer
        partial = kpi.grain == "per_day" and 0 < current_rows < period_days
        return f"on {current_rows:,} of {plural(period_days, 'day')}" if partial else None
    if current_rows == previous_rows:
        return None
    if kpi.grain == "per_video":
        if kpi.numerator.function == "count_rows":  # the video count itself
            return None
        return f"{plural(current_rows, 'video')} vs {plural(previous_rows, 'video')} before"
    days = plural(period_days, "day")
    if current_rows == period_days:
        return f"previous: {previous_rows:,} of {days}"
    if previous_rows == period_days:
        return f"now: {current_rows:,} of {days}"
    return f"{current_rows:,} of {days} vs {previous_rows:,}"


def partial_total(row: Mapping[str, Any]) -> str | None:
    """For a `compare_periods` row that is a total of daily values (likes, profile views) over
    periods with data on different days, the bases its change rests on ("previous: 28 of 88 days"):
    a card shows them beside the change, uncoloured, since a judgement is of the level per day, which
    may have moved the other way. None for a level, or totals over the same days."""
    declared = registry.kpi(str(row["grain"]), str(row["name"]))
    if row["grain"] != "per_day" or declared.is_ratio or declared.numerator.function != "sum":
        return None
    found = row.get("coverage")
    return found if isinstance(found, str) and found else None


def compare_periods(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> pd.DataFrame:
    """Every KPI in the range against the previous range of the same length, only against data.

    Columns: grain ('per_video' or 'per_day'), name, label, unit, fmt, current, previous,
    delta (current - previous, in the KPI's unit; fraction points for rates), delta_rel
    (delta / |previous|, a fraction; None when previous is 0 or missing); current_rows and
    previous_rows (the videos or days behind each value, `rows_unit`), period_days (the range's
    length; for per-day KPIs the length of its settled days, `scope.settled_end`), coverage
    (`coverage()`: the bases when they differ), note (why the current value is
    missing), comparison (why there is no delta: the note itself when neither period has rows for
    the KPI, the same reason for both (`scope.NO_VIDEO_LIST` for the per-video KPIs of an account no
    file lists videos of); NO_EARLIER_DATA when the previous period alone has none,
    LISTED_COUNT for the video count of a sample of the posts, else the reason its previous value
    is missing) and division (the current
    value's division in words, `KpiValue.division`). A delta is given only when both values
    exist. Missing dates default to the account's whole data. Per-day KPIs compare the period's
    settled days with as many days before them (`settled_note` says so in words).
    """
    account = resolve_account(store, account)
    if date_from is None or date_to is None:
        first, last = data_extent(store, account)
        date_from, date_to = date_from or first, date_to or last
    if date_from is None or date_to is None:
        return pd.DataFrame(columns=_COMPARISON_COLUMNS)
    start, end = as_date(date_from), as_date(date_to)
    settled_to = settled_end(store, account, start, end, include_provisional)
    assert start is not None and end is not None  # settled_end refuses a range without them
    pairs = (
        (
            video_results(store, account, start, end, include_provisional),
            video_results(store, account, *previous_range(start, end), include_provisional),
            (end - start).days + 1,
        ),
        (
            daily_results(store, account, start, settled_to, include_provisional),
            daily_results(store, account, *previous_range(start, settled_to), include_provisional),
            (settled_to - start).days + 1,
        ),
    )
    # A sample's video counts are not compared where there is earlier data (listed videos or days).
    sampled = videos_listed_only(store, account) and any(v.rows for p in pairs for v in p[1].values())
    rows = []
    for current, previous, period_days in pairs:
        for name, now in current.items():
            before, kpi = previous[name], now.kpi
            if now.reason is not None and now.rows == 0 and before.rows == 0:
                # Neither period has the KPI's data (no video list, no follower counts): the same
                # reason holds for both, not "no earlier data" beside an account's earlier days.
                comparison: str | None = now.reason
            elif sampled and kpi.grain == "per_video" and kpi.numerator.function == "count_rows":
                comparison = LISTED_COUNT
            elif before.rows == 0:
                comparison = NO_EARLIER_DATA
            elif before.value is None:
                comparison = f"no earlier value: {before.reason}"
            elif now.value is not None:  # a value missing now says why itself (`note`)
                comparison = few_videos(kpi, now.rows, before.rows)
            else:
                comparison = None
            delta = None
            if comparison is None and now.value is not None and before.value is not None:
                delta = now.value - before.value
            rows.append(
                {
                    "grain": kpi.grain,
                    "name": kpi.name,
                    "label": kpi.label,
                    "unit": kpi.unit,
                    "fmt": kpi.fmt,
                    "current": now.value,
                    "previous": before.value,
                    "delta": delta,
                    "delta_rel": None if delta is None else ratio(delta, abs(before.value or 0)),
                    "current_rows": now.rows,
                    "previous_rows": before.rows,
                    "rows_unit": kpi.rows_noun,
                    "period_days": period_days,
                    "coverage": coverage(kpi, now.rows, before.rows, period_days),
                    "note": now.reason,
                    "comparison": comparison,
                    "division": now.division,
                }
            )
    return pd.DataFrame(rows, columns=_COMPARISON_COLUMNS)
