"""The account's normal variation: how much a figure moves between consecutive periods of the same
length in the account's own history, so a change is called a rise or a fall only beyond it.

A change is called a rise or a fall only when it lies outside the account's normal variation: the
range, around no change, that holds four in five of the changes between consecutive periods of the
same length in the account's own history before the current period (the 80th percentile of their
sizes), one comparison per start day (overlapping). Likes, views, posts and rates are compared as
ratios, on the log scale, so a halving and a doubling count alike (a size of ln 2 gives -50% to
+100%); the net follower change, which can be 0 or negative, as a difference. Each period of a
comparison needs data on at least 80% of its days (levels are compared per day with data). It
needs at least three periods' length of history before the current period (two independent
comparisons); with less, a change is given as a number and never called a rise or a fall.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from kpi_core.metrics.comparison import MIN_COMPARED_VIDEOS
from kpi_core.metrics.findings import long_day, plural, signed_percent
from kpi_core.metrics.guards import steady_follower_base
from kpi_core.metrics.registry import aggregates, kpi
from kpi_core.metrics.scope import data_extent
from kpi_core.metrics.values import daily_measures
from kpi_core.store import Store
from kpi_core.store.aggregate import Aggregate

__all__ = [
    "NORMAL_VARIATION",
    "USUAL_COLUMNS",
    "History",
    "Judgement",
    "Usual",
    "Verdict",
    "account_history",
    "judge",
    "usual",
    "usual_median",
]

NORMAL_SHARE = 80  # percent of past changes inside the normal variation
STEADY_SHARE = 0.8  # of the past changes going one way, for a change within the range that way to be steady
# ... and of the changes between periods a third as long (at least a week): one jump between flat
# stretches makes every period-long comparison across it a rise (level_shift: 87 of 100 between
# 88-day periods), but only the few shorter ones across it (104 of 220 between 29-day periods).
SHORT_SHARE = 2 / 3
SHORT_DIVISOR, SHORT_MIN_DAYS = 3, 7
MIN_HISTORY_PERIODS = 3  # periods' length of history before the current one
MIN_COMPARISONS = 5
MIN_COVERAGE = 0.8  # share of a period's days with data for it to count in a comparison
NORMAL_VARIATION = (
    "A change is called a rise or a fall only beyond the account's normal variation: the range around no "
    "change that holds four in five of the changes between consecutive periods of the same length in its "
    "own history before this period (one comparison per start day; ratios on the log scale, so a halving "
    "and a doubling count alike). It needs three periods' length of history before this one; with less, "
    "a change is given as a number and never called a rise or a fall. A change within it that goes the "
    "same way as four in five of those past changes, and as two in three of the changes between periods "
    "a third as long, is called a steady rise or fall: the range is of their size either way, and an "
    "account that has fallen period after period falls by no less; one jump between flat stretches is "
    "no steady rise."
)
Verdict = Literal["within", "above", "below"]


@dataclass(frozen=True)
class Usual:
    """The account's normal variation of one figure between consecutive periods of `period_days`:
    a relative change (a fraction) or, when not `relative`, a difference in the figure's unit.
    `low` and `high` are None with a `reason` when the history is too short."""

    period_days: int
    relative: bool
    low: float | None = None
    high: float | None = None
    comparisons: int = 0
    before: date | None = None  # the comparisons end before this day
    reason: str | None = None
    rises: int = 0  # past comparisons with a rise, and with a fall
    falls: int = 0
    # The same between consecutive periods of `short_days` (a third as long, at least a week).
    short_comparisons: int = 0
    short_rises: int = 0
    short_falls: int = 0

    def level_change(
        self, current: float | None, current_days: int, previous: float | None, previous_days: int
    ) -> float | None:
        """The change this band measures between two periods' totals over their days with data:
        of the level per day (a relative change, or a difference scaled to the period's days), so
        that a period missing days is not read as a fall. None when either level is unknown, or a
        relative change has no size (from 0, or to or from a negative level)."""
        if current is None or previous is None or current_days <= 0 or previous_days <= 0:
            return None
        later, earlier = current / current_days, previous / previous_days
        if not self.relative:
            return (later - earlier) * self.period_days
        if earlier <= 0 or later < 0:
            return None
        return later / earlier - 1

    def verdict(self, change: float | None) -> Verdict | None:
        """'within', 'above' or 'below' the normal variation; None when either is unknown. A change
        within it that goes the way of STEADY_SHARE of the past comparisons (`steady`) is a rise
        ('above') or a fall ('below') too.

        >>> falling = Usual(28, True, -0.5, 1.0, 20, rises=1, falls=19, short_comparisons=30, short_rises=8,
        ...                 short_falls=22)
        >>> falling.verdict(-0.3), falling.verdict(0.3), falling.verdict(-0.6), falling.verdict(1.2)
        ('below', 'within', 'below', 'above')
        """
        if change is None or self.low is None or self.high is None:
            return None
        if change > self.high:
            return "above"
        if change < self.low:
            return "below"
        if self.steady(change):
            return "above" if change > 0 else "below"
        return "within"

    def steady(self, change: float | None) -> int | None:
        """How many past comparisons went the way `change` goes, when it is within the normal
        variation, at least STEADY_SHARE of them did and SHORT_SHARE of the shorter periods' did
        too (a steady fall or rise, which the range, a size either way, would take for noise; not
        one jump, across which every long comparison rises), or, with fewer than MIN_COMPARISONS
        shorter ones to tell by, the long ones alone; else None."""
        if change is None or self.low is None or self.high is None or not self.low <= change <= self.high:
            return None
        same = self.rises if change > 0 else self.falls if change < 0 else 0
        if not same or same < STEADY_SHARE * self.comparisons:
            return None
        # Too few shorter periods to tell by (a weekly poster's medians): the long ones decide alone.
        if self.short_comparisons < MIN_COMPARISONS:
            return same
        short = self.short_rises if change > 0 else self.short_falls
        return same if short >= SHORT_SHARE * self.short_comparisons else None

    @property
    def short_days(self) -> int:
        """The length of the shorter periods `steady` also reads (`_short`)."""
        return _short(self.period_days)

    def placed(self, change: float | None, whose: str) -> str:
        """The clause that places `change` against `whose` normal variation ("the account's"):
        within it, beyond it, a steady fall or rise within it, or too little history to tell."""
        between = f"between {self.period_days}-day periods"
        verdict = self.verdict(change)
        same = self.steady(change)
        if same is not None and change is not None:
            moved = "rise" if change > 0 else "fall"
            return (
                f"within {whose} normal variation in size ({self.text} {between}) but the same way as "
                f"{same:,} of the {self.comparisons:,} past comparisons: a steady {moved}"
            )
        if verdict == "within":
            return f"within {whose} normal variation ({self.text} {between}), so not a rise or a fall"
        if verdict in ("above", "below"):
            return f"beyond {whose} normal variation ({self.text} {between})"
        return f"too little history to tell that from normal variation ({self.reason})"

    @property
    def text(self) -> str:
        """'-25% to +30%', '-150 to +200'; 'n/a' when unknown."""
        if self.low is None or self.high is None:
            return "n/a"
        if self.relative:
            return f"{signed_percent(self.low)} to {signed_percent(self.high)}"  # as the change beside it
        return f"±{self.high:,.0f}"

    @property
    def formula(self) -> str:
        if self.reason is not None:
            return f"n/a: {self.reason}"
        size = "size of the log of the ratio" if self.relative else "size of the difference"
        when = f" before {long_day(self.before)}" if self.before else ""
        return (
            f"{NORMAL_SHARE}th percentile of the {size} over the {self.comparisons:,} comparisons of "
            f"consecutive {self.period_days}-day periods{when} (one per start day), either way from no change"
        )


class Judgement(NamedTuple):
    """A shown change placed against the account's normal variation (`judge`)."""

    muted: bool  # not called a rise or a fall
    note: str | None  # a few words beside the change
    sentence: str  # the whole reason


def judge(band: Usual, change: float | None, figure: str, per_day: bool = True) -> Judgement:
    """A change of `figure` ("daily likes") shown on a card, against its normal variation `band`
    (`Usual.level_change`): a rise or a fall beyond it; within it, with too little history to know
    it, or without a size to place (a change from 0), not called either. `per_day`: the change is
    of a total's level per day with data; else of a figure that is a level itself (a rate, a median)."""
    between = f"({band.text} between {band.period_days}-day periods)"
    if band.low is None or band.high is None:
        sentence = (
            f"Too little history to tell this change from the normal variation of {figure} ({band.reason}), "
            "so it is not called a rise or a fall."
        )
        return Judgement(True, "too little history to judge", sentence)
    verdict = band.verdict(change)
    if verdict is None or change is None:  # a known band and no change to place
        sentence = (
            f"A change from or to 0 has no size to place against the normal variation of {figure} "
            f"{between}, so it is not called a rise or a fall."
        )
        return Judgement(True, "from 0: not judged", sentence)
    size = signed_percent(change) if band.relative else f"{change:+,.0f} over {band.period_days} days"
    change_text = f"The change per day with data ({size})" if per_day else f"The change ({size})"
    if (same := band.steady(change)) is not None:
        moved = "rise" if verdict == "above" else "fall"
        return Judgement(
            False,
            None,
            f"{change_text} is within the normal variation of {figure} in size {between}, but goes the same "
            f"way as {same:,} of the {band.comparisons:,} past comparisons: a steady {moved}.",
        )
    if verdict in ("above", "below"):
        moved = "rise" if verdict == "above" else "fall"
        return Judgement(
            False, None, f"{change_text} is beyond the normal variation of {figure} {between}: a {moved}."
        )
    sentence = f"{change_text} is within the normal variation of {figure} {between}, so not a rise or a fall."
    return Judgement(True, "within normal variation", sentence)


def usual(
    numerator: np.ndarray,
    denominator: np.ndarray | None,
    period_days: int,
    before: int,
    relative: bool = True,
    before_day: date | None = None,
    counts: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> Usual:
    """The normal variation of a figure from calendar-complete daily arrays (NaN: no data).

    The figure of a period is sum(numerator) / sum(denominator) over its days with data, or, with
    no denominator, the numerator's mean per day with data. Past comparisons pair consecutive
    periods of `period_days` that end before index `before` (the current period's first day).
    `counts(starts, ends)`: which periods [start, end) have a figure that means something (the
    KPI's validity rule); a comparison needs both of its periods to.

    >>> u = usual(np.array([10.0, 10, 20, 20] * 10), None, 2, 40)  # a doubling and a halving, in turn
    >>> (u.comparisons, u.text)
    (37, '-50% to +100%')
    """
    n = period_days
    num = np.asarray(numerator, dtype=float)[:before]
    known = ~np.isnan(num)
    if denominator is not None:
        den = np.asarray(denominator, dtype=float)[:before]
        known &= ~np.isnan(den)
    else:
        den = np.ones_like(num)
    empty = Usual(n, relative, before=before_day)
    if not known.any():
        return _replace(empty, reason="no data before this period")
    history = len(num) - int(np.argmax(known))
    needed = MIN_HISTORY_PERIODS * n
    if history < needed:
        return _replace(empty, reason=f"{needed:,} days needed before this period, {history:,} there")

    def sums(values: np.ndarray) -> np.ndarray:
        return np.concatenate([[0.0], np.cumsum(np.where(known, values, 0.0))])

    top, bottom, count = sums(num), sums(den), sums(np.ones_like(num))

    def changes(n: int) -> np.ndarray:
        """The changes between consecutive periods of n days with data, one per start day."""
        ends = np.arange(2 * n, len(num) + 1)  # exclusive end of the later period
        middle, starts = ends - n, ends - 2 * n
        with np.errstate(divide="ignore", invalid="ignore"):
            later = (top[ends] - top[middle]) / (bottom[ends] - bottom[middle])
            earlier = (top[middle] - top[starts]) / (bottom[middle] - bottom[starts])
            covered = (count[ends] - count[middle] >= MIN_COVERAGE * n) & (
                count[middle] - count[starts] >= MIN_COVERAGE * n
            )
            if counts is not None:
                covered &= counts(middle, ends) & counts(starts, middle)
            # A period at 0 has no ratio: such comparisons are left out.
            change = np.log(later / earlier) if relative else (later - earlier) * n
        return change[covered & np.isfinite(change)]

    return _from_samples(empty, changes(n), changes(_short(n)))


def usual_median(
    days: np.ndarray, values: np.ndarray, period_days: int, before: int, before_day: date | None = None
) -> Usual:
    """The normal variation of a median (of the likes of the videos posted in a period), from each
    row's day index and value (NaN: none), as a relative change: consecutive periods of
    `period_days` ending before index `before`, each with MIN_COMPARED_VIDEOS rows or more, as a
    card compares a median only then (`comparison.few_videos`). A median is no sum over days, so
    each period's is taken over its own rows.

    >>> days = np.repeat(np.arange(40), 5)  # five videos a day; medians of 10 and 20 likes in turn
    >>> u = usual_median(days, np.where(days % 4 < 2, 10.0, 20.0), 2, 40)
    >>> (u.comparisons, u.text)
    (37, '-50% to +100%')
    """
    n = period_days
    kept = (np.asarray(days) < before) & ~np.isnan(np.asarray(values, dtype=float))
    order = np.argsort(np.asarray(days)[kept], kind="stable")
    days, values = np.asarray(days)[kept][order], np.asarray(values, dtype=float)[kept][order]
    empty = Usual(n, True, before=before_day)
    if not len(days):
        return _replace(empty, reason="no data before this period")
    history = before - int(days[0])
    needed = MIN_HISTORY_PERIODS * n
    if history < needed:
        return _replace(empty, reason=f"{needed:,} days needed before this period, {history:,} there")

    def changes(n: int) -> np.ndarray:
        ends = np.arange(int(days[0]) + n, before + 1)  # exclusive end of each period
        starts, stops = np.searchsorted(days, ends - n), np.searchsorted(days, ends)
        medians = _medians(values, starts, stops)
        medians[stops - starts < MIN_COMPARED_VIDEOS] = np.nan
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.log(medians[n:] / medians[:-n])  # each period against the one before it
        return change[np.isfinite(change)]

    return _from_samples(empty, changes(n), changes(_short(n)))


def _steady_base(
    interactions: np.ndarray, followers: np.ndarray, known: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """Which periods [start, end) of equal length have a rate by follower that means something:
    the KPI's rule (`steady_follower_base`) on their days with both interactions and a count."""

    def sums(values: np.ndarray) -> np.ndarray:
        return np.concatenate([[0.0], np.cumsum(np.where(known, values, 0.0))])

    top, bottom, days = sums(interactions), sums(followers), sums(np.ones_like(followers))
    width = int(ends[0] - starts[0]) if len(ends) else 1
    windows = sliding_window_view(np.concatenate([followers, np.full(width, np.nan)]), width)[starts]
    counted = np.where(np.isnan(windows), np.inf, windows).min(axis=1)
    largest = np.where(np.isnan(windows), -np.inf, windows).max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        average = (bottom[ends] - bottom[starts]) / (days[ends] - days[starts])
        rate = (top[ends] - top[starts]) / (bottom[ends] - bottom[starts])
    return steady_follower_base(average, counted, largest, rate)


def _medians(values: np.ndarray, starts: np.ndarray, stops: np.ndarray, cells: int = 2**21) -> np.ndarray:
    """The median of each slice values[start:stop] (NaN when empty): the slices padded into rows,
    at most `cells` values at a time, and sorted. A median per slice in Python took 70 ms for the
    ~3,600 ninety-day periods of a ten-year account."""
    counts = stops - starts
    medians = np.full(len(counts), np.nan)
    width = int(counts.max()) if len(counts) else 0
    if width == 0:
        return medians
    step = max(1, cells // width)
    for first in range(0, len(counts), step):
        rows = slice(first, first + step)
        at = starts[rows, None] + np.arange(width)
        padded = np.where(at < stops[rows, None], values[np.minimum(at, len(values) - 1)], np.inf)
        padded.sort(axis=1)
        n, picked = counts[rows], np.arange(len(counts[rows]))
        middle = (
            padded[picked, np.maximum(n - 1, 0) // 2] + padded[picked, np.minimum(n // 2, width - 1)]
        ) / 2
        medians[rows] = np.where(n > 0, middle, np.nan)
    return medians


def _short(n: int) -> int:
    """The length of the shorter periods whose changes tell a steady rise from a jump: a third of
    `n` days, at least SHORT_MIN_DAYS (and at most n)."""
    return min(n, max(SHORT_MIN_DAYS, n // SHORT_DIVISOR))


def _from_samples(empty: Usual, samples: np.ndarray, short: np.ndarray) -> Usual:
    """`empty`'s band from the changes between consecutive periods with data: the NORMAL_SHARE
    percentile of their size either way, or the reason when there are too few; with the rises and
    falls among them and among the `short` periods' changes (`Usual.steady`)."""
    n, relative = empty.period_days, empty.relative
    if len(samples) < MIN_COMPARISONS:
        return _replace(
            empty,
            comparisons=len(samples),
            reason=f"{plural(len(samples), 'comparison')} of two {n}-day periods with data, "
            f"{MIN_COMPARISONS} needed",
        )
    size = float(np.percentile(np.abs(samples), NORMAL_SHARE))
    low, high = (math.expm1(-size), math.expm1(size)) if relative else (-size, size)
    rises, falls = int(np.count_nonzero(samples > 0)), int(np.count_nonzero(samples < 0))
    return _replace(
        empty,
        low=low,
        high=high,
        comparisons=len(samples),
        rises=rises,
        falls=falls,
        short_comparisons=len(short),
        short_rises=int(np.count_nonzero(short > 0)),
        short_falls=int(np.count_nonzero(short < 0)),
    )


def _replace(u: Usual, **changes: Any) -> Usual:
    return Usual(**{**u.__dict__, **changes})


# ---------------------------------------------------------------------------------------------
# The account's history, day by day


_VIDEO_KPIS = (
    kpi("per_video", "videos"),
    kpi("per_video", "views_per_video"),
    kpi("per_video", "like_rate"),
    kpi("per_video", "engagement_rate_by_view"),
)
# The daily KPIs whose measures the history keeps (the query asks for these only, not all 44).
_DAY_LIKE_RATE, _PROFILE_VIEWS, _FOLLOWER_CHANGE, _FOLLOWER_RATE, _DAY_VIEW_RATE = (
    kpi("per_day", "like_rate"),
    kpi("per_day", "profile_views"),
    kpi("per_day", "net_follower_change"),
    kpi("per_day", "engagement_rate_by_follower"),
    kpi("per_day", "engagement_rate_by_view"),
)
_DAILY_KPIS = (_DAY_LIKE_RATE, _PROFILE_VIEWS, _FOLLOWER_CHANGE)


# A per-video ratio's denominator column -> the column counting the videos behind its value each
# day (the KPI's own `__rows`: a like rate's videos with likes and views, an engagement rate's with
# comments and shares too), which `History.usual` needs MIN_COMPARED_VIDEOS of in a period.
_VIDEO_ROWS = {
    "video_rate_views": "video_rate_rows",
    "video_interaction_views": "video_interaction_rows",
    "video_posts": "video_posts",
}


@dataclass(frozen=True, eq=False)
class History:
    """Calendar-complete daily arrays of the account up to the day before the current period."""

    first: date
    columns: dict[str, np.ndarray]
    before: int  # index of the current period's first day
    before_day: date
    video_days: np.ndarray  # each video's posting day, as an index into the calendar
    video_likes: np.ndarray  # and its likes (NaN: unknown)

    def usual(self, numerator: str, denominator: str | None, n: int, relative: bool = True) -> Usual:
        """`usual` of two of the history's columns. A rate or an average over videos counts only
        periods of MIN_COMPARED_VIDEOS videos or more, as the cards and the digest compare them
        only then: a period of two videos measures them, not the account's variation."""
        counts = None
        if denominator is not None and numerator.startswith("video_"):
            posts = self.columns[_VIDEO_ROWS[denominator]]  # the videos the KPI's own value rests on

            def counts(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
                total = np.concatenate([[0.0], np.cumsum(np.nan_to_num(posts))])
                return total[ends] - total[starts] >= MIN_COMPARED_VIDEOS

        return usual(
            self.columns[numerator],
            None if denominator is None else self.columns[denominator],
            n,
            self.before,
            relative,
            self.before_day,
            counts=counts,
        )

    def usual_follower_rate(self, n: int) -> Usual:
        """The normal variation of the daily engagement rate by follower between periods of `n`
        days, over the periods whose rate means something (`guards.steady_follower_base`): an
        account's early growth, a rate the card shows as n/a, is no measure of its variation."""
        interactions, followers = self.columns["day_interactions"], self.columns["day_followers"]
        known = ~np.isnan(interactions) & ~np.isnan(followers)

        def steady(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
            return _steady_base(interactions, followers, known, starts, ends)

        return usual(interactions, followers, n, self.before, True, self.before_day, counts=steady)

    def usual_median_likes(self, n: int) -> Usual:
        """The normal variation of the median likes per video between periods of `n` days."""
        return usual_median(self.video_days, self.video_likes, n, self.before, self.before_day)


def account_history(store: Store, account: str, start: date, include_provisional: bool) -> History | None:
    first, _ = data_extent(store, account)
    end = start - timedelta(days=1)
    if first is None or first > end:
        return None
    calendar = pd.date_range(first, end, freq="D")
    daily = daily_measures(
        store,
        account,
        first,
        end,
        include_provisional,
        grain="day",
        kpis=_DAILY_KPIS,
        # The rates' numerators and denominators alone: the follower rate's guard cost 7 ms a year of days.
        extra=_FOLLOWER_RATE.ratio_aggregates() + _DAY_VIEW_RATE.ratio_aggregates(),
    )
    daily = daily.set_index(pd.DatetimeIndex(daily["period"])).reindex(calendar)
    videos = store.aggregate(
        "kpi_video_rows",
        ("date",),
        (*aggregates(_VIDEO_KPIS), Aggregate("each_video_likes", "list", "likes")),
        account=account,
        date_from=first,
        date_to=end,
        include_provisional=include_provisional,
    )
    each = videos["each_video_likes"].tolist()
    video_days = np.repeat(
        (pd.DatetimeIndex(videos["date"]) - calendar[0]).days.to_numpy(), [len(v) for v in each]
    )
    video_likes = np.array([np.nan if x is None else x for v in each for x in v], dtype=float)
    videos = videos.set_index(pd.DatetimeIndex(videos["date"])).reindex(calendar)
    posted = videos.index[videos["videos"].notna()]
    listed = calendar >= posted.min() if len(posted) else np.zeros(len(calendar), dtype=bool)

    def video(column: str) -> np.ndarray:
        # A day inside the video list's span without a video posted is a real 0.
        values = pd.to_numeric(videos[column], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        return np.where(listed, values, np.nan)

    def day(column: str) -> np.ndarray:
        return pd.to_numeric(daily[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)

    columns = {
        "video_likes": video("like_rate__num"),
        "video_views": video("views_per_video__num"),
        "video_posts": video("views_per_video__rows"),
        "video_rate_views": video("like_rate__den"),
        "video_rate_rows": video("like_rate__rows"),
        "video_interactions": video("engagement_rate_by_view__num"),
        "video_interaction_views": video("engagement_rate_by_view__den"),
        "video_interaction_rows": video("engagement_rate_by_view__rows"),
        "all_posts": video("videos"),
        "day_likes": day("like_rate__num"),
        "day_views": day("like_rate__den"),
        "profile_views": day(_PROFILE_VIEWS.numerator_column),
        "follower_change": day(_FOLLOWER_CHANGE.numerator_column),
        # A day's interactions over its own follower count: summed over a period's days, their
        # ratio is its mean daily interactions over its mean follower count, as the KPI's.
        "day_interactions": day("engagement_rate_by_follower__num"),
        "day_followers": day("engagement_rate_by_follower__den"),
        "day_view_interactions": day("engagement_rate_by_view__num"),
        "day_interaction_views": day("engagement_rate_by_view__den"),
    }
    return History(first, columns, len(calendar), start, video_days, video_likes)


# Each figure's normal variation: (numerator, denominator) history columns, by tree source.
USUAL_COLUMNS: dict[str, dict[str, tuple[str, str | None]]] = {
    "videos": {
        "likes": ("video_likes", None),
        "posts": ("video_posts", None),
        "views_per_video": ("video_views", "video_posts"),
        "like_rate": ("video_likes", "video_rate_views"),
    },
    "daily": {
        "likes": ("day_likes", None),
        "posts": ("all_posts", None),
        "views": ("day_views", None),
        "views_per_video": ("day_views", "all_posts"),
        "like_rate": ("day_likes", "day_views"),
    },
}
