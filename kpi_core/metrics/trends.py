"""Likes over time: daily/weekly/monthly series, rolling means, a trend verdict, lagged correlations.

The verdict uses the Theil-Sen slope (the median of all pairwise slopes) and its confidence
interval, so one viral day cannot make a flat series look like a trend. A direction is claimed
only when the interval excludes zero. The interval allows for each day's likes carrying into the
next (a video collects likes for days), which an interval for independent days ignores: on
simulated series without a trend it then claimed a direction in a quarter to a half of them, not
in 5 % (`carry_over_factor`; README, Trend verdict). Provisional days (the last, incomplete ones of an export)
are left out unless `include_provisional=True`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd
from scipy import stats

from kpi_core.metrics.findings import plural, signed
from kpi_core.metrics.measures import Kpi
from kpi_core.metrics.ratios import with_ratios
from kpi_core.metrics.registry import DAILY_KPIS, kpi
from kpi_core.metrics.scope import DateLike, as_date, resolve_account
from kpi_core.metrics.values import daily_measures
from kpi_core.store import Store

__all__ = [
    "CONFIDENCE",
    "CORRELATION_CAUTION",
    "MIN_TREND_DAYS",
    "MIN_TREND_WEEKS",
    "MIN_WEEKLY_SHARE",
    "MIN_WEEK_DAYS",
    "VERDICT_RULE",
    "WEEKLY_FIT_DAYS",
    "WITHIN_PERIOD",
    "LaggedCorrelation",
    "Trend",
    "carry_over",
    "carry_over_factor",
    "daily_series",
    "lagged_correlation",
    "like_rate_trend",
    "likes_trend",
    "rolling_means",
    "trend",
]

MIN_TREND_DAYS = 14  # fewer days than this: "not enough data"
CONFIDENCE = 0.95
WEEKLY_FIT_DAYS = 366  # days spanned beyond which a trend is fitted on weeks (`_weekly_averages`: why)
MIN_WEEK_DAYS = 4  # a week's average needs at least this many of its days
MIN_TREND_WEEKS = 8  # fewer qualifying weeks than this: the days are fitted, as on a shorter range
MIN_WEEKLY_SHARE = 0.9  # the qualifying weeks must hold this share of the days, or the days are fitted
# How a verdict is reached, in one sentence for the pages' captions, the report and help texts.
VERDICT_RULE = (
    f"a Theil-Sen slope with its {CONFIDENCE:.0%} interval, fitted on the days, or on weekly averages over "
    "more than a year, the interval widened as far as each fitted point carries into the next: a direction is "
    "only claimed when the whole interval is above or below zero, so one viral day cannot make a trend."
)
# What a trend reads, against a comparison with the period before: a period far above the one before
# (dormant: 114 times its likes) can be flat within itself, and the page shows both.
WITHIN_PERIOD = (
    "It reads how daily likes moved within the period; the comparison with the period before sets the "
    "two periods' totals side by side, so a period far above the one before can still be flat within itself."
)
MAX_LAG_DAYS = 7
CORRELATION_CAUTION = (
    "Correlation is not causation: likes, profile views and new followers often rise together "
    "because the same videos drive all three. Read a strong lag as a hint to look into, not as proof."
)
# The daily KPIs a lagged correlation reads: asking for these alone, not every daily KPI, spares the
# rates' row-by-row validity rules (the query 68 -> ~15 ms on the demo's year of days).
CORRELATED_KPIS = (
    kpi("per_day", "likes"),
    kpi("per_day", "profile_views"),
    kpi("per_day", "net_follower_change"),
)


@dataclass(frozen=True)
class Trend:
    """The slope of a daily series (units per day) with its confidence interval and a verdict;
    `n_days` counts the days with a value, `n_weeks` the weekly averages fitted instead of the days
    and `days_in_weeks` the days those weeks hold (both None when the days were fitted)."""

    metric: str
    slope_per_day: float | None
    low: float | None
    high: float | None
    verdict: str  # "rising", "falling", "no clear trend" or "not enough data"
    n_days: int
    sentence: str
    n_weeks: int | None = None
    days_in_weeks: int | None = None

    @property
    def span(self) -> str:
        """What the slope was fitted on: 'over 400 days', 'over 3,651 days, on 521 weekly averages'
        or 'over 469 days, on 66 weekly averages (3 days left out: a week counts with at least
        4 days of data)'."""
        days = f"over {plural(self.n_days, 'day')}"
        if self.n_weeks is None or self.days_in_weeks is None:
            return days
        on_weeks = f"{days}, on {plural(self.n_weeks, 'weekly average')}"
        left_out = self.n_days - self.days_in_weeks
        if left_out:
            on_weeks += f" ({plural(left_out, 'day')} left out: a week counts with at least {MIN_WEEK_DAYS} days of data)"
        return on_weeks


@dataclass(frozen=True, eq=False)
class LaggedCorrelation:
    """Rank correlations of daily likes with later values of another daily series."""

    table: pd.DataFrame  # columns: target, lag (days), r (-1..1 or NaN), n (days paired)
    caution: str


def theil_sen(
    x: np.ndarray, y: np.ndarray, confidence: float, allow_for_carry_over: bool = False
) -> tuple[float, float, float]:
    """Theil-Sen slope and its `confidence` interval, exactly as scipy.stats.theilslopes gives them.

    scipy builds three n x n matrices and sorts all n(n-1)/2 slopes: 0.19 s and ~400 MB for ten
    years of days. For strictly increasing x (days) only the order statistics needed are found
    (`_order_statistics`: a few hundred points list their slopes once, more find the ranks
    without listing every slope, O(n log n) plus the slopes in a narrow band): the same floats as
    scipy's. They are asked for twice at most: the slope with the interval of independent points,
    then, when the allowance below widens it, the wider interval (its width depends on the slope).
    Other x (never from `trend`) go to scipy.

    scipy's interval assumes independent points. With `allow_for_carry_over` it is widened for
    the carry-over between neighbouring points (`carry_over_factor`): the same slope, and the
    interval scipy gives at the tail probability whose z is sqrt(factor) times this one's (to
    rounding: the ranks come from that z directly, not from scipy's round trip through the
    probability).
    """
    n = len(y)
    if n < 3 or not np.all(np.diff(x) > 0) or not np.all(np.isfinite(y)):
        fit = stats.theilslopes(y, x, alpha=confidence)
        if allow_for_carry_over:
            factor = carry_over_factor(carry_over(x, y, float(fit.slope)), n)
            # scipy reads an alpha under 0.5 as the two tails' probability: passing it, not a
            # confidence near 1, keeps a large factor's z from rounding away.
            tails = 2 * stats.norm.sf(stats.norm.isf((1 - confidence) / 2) * np.sqrt(factor))
            fit = stats.theilslopes(y, x, alpha=max(tails, np.finfo(float).tiny))
        return float(fit.slope), float(fit.low_slope), float(fit.high_slope)
    total = n * (n - 1) // 2
    ranked = _order_statistics(x, y)
    _, counts = np.unique(y, return_counts=True)
    ties = counts[counts > 1]
    spread = n * (n - 1) * (2 * n + 5) - np.sum(ties * (ties - 1) * (2 * ties + 5))

    def interval_ranks(factor: float) -> list[int]:
        sigma = np.sqrt(factor * spread / 18)
        upper = min(int(np.round((total - _z(confidence) * sigma) / 2)), total - 1)
        lower = max(int(np.round((total + _z(confidence) * sigma) / 2)) - 1, 0)
        return [lower, upper]

    # The interval's ranks without the allowance are known before the slope, and the allowance
    # only widens the interval: asked with the slope's, they are the interval when nothing
    # carries over, and a wider one's ranks are often in the values already bracketed (`_Ranked`).
    narrow = interval_ranks(1.0)
    low, middle_low, middle_high, high = ranked([narrow[0], (total - 1) // 2, total // 2, narrow[1]])
    slope = (middle_low + middle_high) / 2
    factor = carry_over_factor(carry_over(x, y, slope), n) if allow_for_carry_over else 1.0
    if factor > 1:
        low, high = ranked(interval_ranks(factor))
    return float(slope), float(low), float(high)


@functools.lru_cache(maxsize=4)
def _z(confidence: float) -> float:
    """The normal quantile of the lower tail of a two-sided `confidence` (negative)."""
    return float(stats.norm.ppf((1 - confidence) / 2))


def carry_over(x: np.ndarray, y: np.ndarray, slope: float) -> float:
    """How much each point carries into the next: the lag-1 autocorrelation of the ranks of the
    points once the slope is taken out (neighbours in the order of x, as Hamed and Rao's
    correction of the Mann-Kendall test reads ranks), corrected for its bias on a short series,
    (n r + 1) / (n - 4) as Yue et al. (2002) correct it, and at most 1. 0 for fewer than 5 points
    or equal ranks.

    The raw estimate falls short on a short series, and the correction makes up part of it: on
    four weeks of days carrying 0.7 into the next, the interval claimed a direction on 15.5 % of
    trendless series without the correction and on 11 % with it (tests/test_trends.py's seeds)."""
    n = len(y)
    if n < 5:
        return 0.0
    ranks = stats.rankdata(y - slope * x)[np.argsort(x, kind="stable")]
    centred = ranks - ranks.mean()
    spread = float(centred @ centred)
    if spread == 0:
        return 0.0
    return min((n * float(centred[1:] @ centred[:-1]) / spread + 1) / (n - 4), 1.0)


def carry_over_factor(rho: float, n: int) -> float:
    """How many times wider the variance of the slope's rank statistic is when each of `n` points
    carries `rho` of itself into the next (a first-order autoregression): n over the effective
    number of independent points, 1 + 2 * sum over k of (1 - k/n) rho^k (Yue and Wang's modified
    Mann-Kendall test). Never below 1: a negative carry-over does not narrow the interval.

    >>> carry_over_factor(0.0, 90), carry_over_factor(-0.3, 90), round(carry_over_factor(0.5, 90), 3)
    (1.0, 1.0, 2.956)
    """
    if rho <= 0 or n < 2:
        return 1.0
    lags = np.arange(1, n)
    return float(1 + 2 * np.sum((1 - lags / n) * rho**lags))


def _order_statistics(
    x: np.ndarray, y: np.ndarray, sample_size: int = 40_000
) -> Callable[[list[int]], list[float]]:
    """The pairwise slopes at given ranks, for increasing x: a few hundred points list every
    slope once and read each call's ranks from the list (`_Ranked`); more find each call's
    ranks without listing them."""
    n = len(y)
    if n * (n - 1) // 2 <= 4 * sample_size:
        return _Ranked(_all_slopes(x, y))
    return lambda ranks: _slope_order_statistics(x, y, ranks, sample_size)


def _all_slopes(x: np.ndarray, y: np.ndarray, rows: int = 64) -> np.ndarray:
    """Every pairwise slope (y_j - y_i) / (x_j - x_i), i < j, as scipy computes them, in the order
    of i then j.

    Up to `_PAIRED_POINTS` points through their pairs' indices and, for points evenly spaced (weeks
    or days without a gap), the pairs' x differences, both kept for the last few numbers of
    points, so that a fit allocates two arrays of the slopes' size, not seven. Each is a megabyte for ten
    years of weeks, which the allocator takes from the system and gives back, and filling fresh
    pages cost more than the arithmetic: fifty ten-year accounts' fits in scoring 0.16 -> 0.12 s.
    More points a block of `rows` points against every later point at a time, without listing
    the pairs (one point at a time took 1.23 ms for 521 weekly averages). The same floats either
    way.
    """
    n = len(y)
    if n <= _PAIRED_POINTS:
        i, j = _pairs(n)
        slopes = np.asarray(y, dtype=float)[j]  # a new array, divided in place
        slopes -= y[i]
        steps = np.diff(x)
        whole = bool(steps.size) and float(x[0]).is_integer() and float(steps[0]).is_integer()
        even = whole and bool(np.all(steps == steps[0]))
        slopes /= _even_runs(n, int(steps[0])) if even else x[j] - x[i]
        return slopes
    parts = []
    for first in range(0, n - 1, rows):
        last = min(first + rows, n - 1)
        later = np.arange(first + 1, n)[None, :] > np.arange(first, last)[:, None]  # j > i
        rises = y[None, first + 1 :] - y[first:last, None]
        runs = x[None, first + 1 :] - x[first:last, None]
        parts.append(rises[later] / runs[later])
    return np.concatenate(parts) if parts else np.empty(0)


_PAIRED_POINTS = 600  # 179,700 pairs: 1.4 MB of indices at most for each of the 4 numbers of points kept


@functools.lru_cache(maxsize=4)
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The indices (i, j), i < j, of every pair of `n` points, in the order of i then j (read-only)."""
    i, j = (k.astype(np.int32) for k in np.triu_indices(n, 1))
    i.flags.writeable = j.flags.writeable = False
    return i, j


@functools.lru_cache(maxsize=4)
def _even_runs(n: int, step: int) -> np.ndarray:
    """x_j - x_i of every pair i < j of `n` points `step` apart (whole days or weeks without a gap:
    step times j - i, exactly as the subtraction gives it), in the order of `_pairs` (read-only).
    Kept by number of points and step only: nothing of one visitor's data is kept for another."""
    i, j = _pairs(n)
    runs = (j - i).astype(float) * step
    runs.flags.writeable = False
    return runs


def _slope_order_statistics(
    x: np.ndarray, y: np.ndarray, ranks: list[int], sample_size: int = 40_000
) -> list[float]:
    """The pairwise slopes at `ranks` (0-based, as if all were sorted), exactly, for increasing x.

    A slope s_ij (i < j) is below t exactly when y_j - t x_j < y_i - t x_i, so the number of
    slopes below t is the number of inversions of the points ordered by y - t x, counted by a
    merge sort in O(n log n); and the slopes between t1 and t2 are the pairs the two orders put
    the other way round. A seeded sample of slopes brackets the ranks (Theil-Sen's sit in a band
    around the median, 2 % of ten years of slopes); the band's slopes are listed, computed as
    scipy computes them, and the ranks read off. Days and counts are whole numbers, so y - t x is
    compared in exact integer arithmetic, t being a sampled slope p/q; and slopes equal to an end
    of the bracket (ties, frequent in counts) are counted, not listed. Other values are compared
    in floating point, with the bracket's ends a little outside the sampled values, further than
    rounding can reach. When the bracket misses a rank (it cannot for any but adversarial data)
    every slope is listed. For many slopes only: `_order_statistics` lists a few hundred points'.
    """
    n = len(y)
    total = n * (n - 1) // 2
    rng = np.random.default_rng(0)
    i, j = rng.integers(0, n, sample_size), rng.integers(0, n, sample_size)
    i, j = np.minimum(i, j)[i != j], np.maximum(i, j)[i != j]
    sample = (y[j] - y[i]) / (x[j] - x[i])
    m = len(sample)
    margin = int(3 * np.sqrt(m / 4)) + 2  # three standard errors of a sample quantile
    first, last = int(min(ranks) / total * m) - margin, int(max(ranks) / total * m) + margin
    if first > 0 and last < m - 1:
        # Only the two ends' places are needed, not a sorted sample. Which of several pairs with
        # an equal sampled slope becomes an end does not matter: `_band` is exact for any ends
        # that hold the ranks between them (and says so when they do not).
        by_slope = np.argpartition(sample, [first, last])
        ends = [(i[by_slope[k]], j[by_slope[k]]) for k in (first, last)]
        found = _band(x, y, ends, ranks)
        if found is not None:
            return found
    return _Ranked(_all_slopes(x, y))(ranks)


def _band(x: np.ndarray, y: np.ndarray, ends: list[tuple[int, int]], ranks: list[int]) -> list[float] | None:
    """The slopes at `ranks` when they lie between the slopes of the two pairs `ends`, else None."""
    (a, b), (c, d) = ends
    low, high = (y[b] - y[a]) / (x[b] - x[a]), (y[d] - y[c]) / (x[d] - x[c])
    whole = bool(np.all(x == np.round(x)) and np.all(y == np.round(y)))
    reach = float(np.max(np.abs(y)) + 1) * float(np.max(np.abs(x)) + 1)
    if whole and reach < 2.0**58:
        xi, yi = x.astype(np.int64), y.astype(np.int64)

        def intercepts(end: tuple[int, int]) -> np.ndarray:  # (y - t x) * q for t = p / q exactly
            p, q = int(yi[end[1]] - yi[end[0]]), int(xi[end[1]] - xi[end[0]])
            return yi * q - p * xi

        at_low, at_high = intercepts(ends[0]), intercepts(ends[1])
        below = _count_below(at_low, strict=True)
        equal_low, equal_high = _pairs_on_a_line(at_low), _pairs_on_a_line(at_high)
    else:
        scale = (np.max(np.abs(y)) + 2 * max(abs(low), abs(high)) * np.max(np.abs(x))) / np.min(np.diff(x))
        slack = 64 * np.finfo(float).eps * (scale + max(abs(low), abs(high))) + 1e-300
        at_low, at_high = y - (low - slack) * x, y - (high + slack) * x
        below, equal_low, equal_high = _count_below(at_low, strict=False), 0, 0
    if low == high:
        inside = np.empty(0)
        equal_high = 0
    else:
        # Pairs ordered one way by y - low x (ties: later first) and the other by y - high x
        # (ties: earlier first): the slopes strictly between the two ends.
        order_low = _order_by_intercept(at_low, later_first=True)
        rank_high = _ranks(_order_by_intercept(at_high, later_first=False))
        _, p, q = _inversions(rank_high[order_low], ids=order_low)
        # (y_p - y_q) / (x_p - x_q) whichever point comes first: negating both terms of a
        # rounded division changes neither digit, so the floats are scipy's.
        inside = (y[q] - y[p]) / (x[q] - x[p])
        if not whole or reach >= 2.0**58:
            below += int(np.count_nonzero(inside < low))
            inside = inside[(inside >= low) & (inside <= high)]
    band = np.concatenate([np.full(equal_low, low), inside, np.full(equal_high, high)])
    if below <= min(ranks) and below + len(band) > max(ranks):
        return _Ranked(band)([r - below for r in ranks])
    return None


def _pairs_on_a_line(intercepts: np.ndarray) -> int:
    """How many slopes equal t exactly, from the exact (integer) y - t x of each point: the pairs
    of points with the same intercept (x never repeats), counted by one sort, not a merge sort."""
    _, counts = np.unique(intercepts, return_counts=True)
    return int(np.sum(counts * (counts - 1) // 2))


def _count_below(intercepts: np.ndarray, strict: bool) -> int:
    """How many slopes are below t (or at most t unless `strict`), from y - t x of each point."""
    return _inversions(
        _ranks(_order_by_intercept(intercepts, later_first=not strict)), enumerate_pairs=False
    )[0]


class _Ranked:
    """The values at given ranks (0-based, as if sorted), exactly, for one call or several;
    `values` may be reordered.

    Theil-Sen's ranks sit far apart (the interval's ends and the median) among a quarter of a
    million slopes for ten years of days: partitioning them all at all four took 3.7 ms. A seeded
    sample of the values brackets each group of near ranks instead; the values below a bracket
    are counted, those inside kept, and only those partitioned. The brackets are kept for the
    next call: a rank inside one is read from its values without a pass over all of them (the
    interval widened for carry-over, `theil_sen`). A rank its bracket misses (it cannot for any
    but adversarial data) is found by partitioning all the values.
    """

    def __init__(self, values: np.ndarray, sample_size: int = 4096) -> None:
        self._values = values
        self._sample_size = sample_size
        self._margin = int(4 * np.sqrt(sample_size / 4)) + 2  # four standard errors of a sample quantile
        self._sample: np.ndarray | None = None  # sorted, drawn by the first call that needs it
        self._brackets: list[tuple[int, np.ndarray]] = []  # (how many values lie below, those inside)

    def __call__(self, ranks: list[int]) -> list[float]:
        values, total = self._values, len(self._values)
        distinct = sorted(set(ranks))
        if total <= 10 * self._sample_size:
            values.partition(distinct)
            return [float(values[r]) for r in ranks]
        found: dict[int, float] = {}
        for group in self._groups(distinct):
            bracket = self._kept_bracket(group) or self._new_bracket(group)
            if bracket is not None:
                below, kept = bracket
                kept.partition([r - below for r in group])
                found |= {r: float(kept[r - below]) for r in group}
        missed = [r for r in distinct if r not in found]
        if missed:
            values.partition(missed)
            found |= {r: float(values[r]) for r in missed}
        return [found[r] for r in ranks]

    def _groups(self, distinct: list[int]) -> list[list[int]]:
        """Ranks near enough to share a bracket, in groups."""
        groups: list[list[int]] = []
        for rank in distinct:
            if groups and (rank - groups[-1][-1]) / len(self._values) * self._sample_size <= 2 * self._margin:
                groups[-1].append(rank)
            else:
                groups.append([rank])
        return groups

    def _kept_bracket(self, group: list[int]) -> tuple[int, np.ndarray] | None:
        return next(
            (
                (below, kept)
                for below, kept in self._brackets
                if below <= group[0] and group[-1] < below + len(kept)
            ),
            None,
        )

    def _new_bracket(self, group: list[int]) -> tuple[int, np.ndarray] | None:
        """The values between two sampled values around `group`'s ranks and how many lie below
        them, kept for later calls; None when they do not hold the ranks."""
        values, total, size = self._values, len(self._values), self._sample_size
        if self._sample is None:
            self._sample = np.sort(values[np.random.default_rng(0).integers(0, total, size)])
        first = int(group[0] / total * size) - self._margin
        last = int(group[-1] / total * size) + self._margin
        low = self._sample[first] if first >= 0 else -np.inf
        high = self._sample[last] if last < size else np.inf
        below = int(np.count_nonzero(values < low))
        kept = values[(values >= low) & (values <= high)]
        if not below <= group[0] or not group[-1] < below + len(kept):
            return None
        self._brackets.append((below, kept))
        return below, kept


def _order_by_intercept(intercepts: np.ndarray, later_first: bool) -> np.ndarray:
    """The point indices by y - t x ascending; on a tie (a slope of exactly t) the later point
    first when `later_first` (the pair then counts as an inversion: a slope at most t)."""
    index = np.arange(len(intercepts))
    return np.lexsort((-index if later_first else index, intercepts))


def _ranks(order: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order))
    return ranks


def _inversions(
    values: np.ndarray, ids: np.ndarray | None = None, enumerate_pairs: bool = True
) -> tuple[int, np.ndarray, np.ndarray]:
    """The inversions of a permutation `values` of 0..n-1 (pairs of positions p < q with
    values[p] > values[q]), by a bottom-up merge sort: their number and, with `enumerate_pairs`,
    the `ids` of each pair (of the positions when `ids` is None)."""
    n = len(values)
    vals = values.astype(np.int64)
    who = np.arange(n) if ids is None else ids.astype(np.int64)
    position = np.arange(n)
    count = 0
    firsts, seconds = [], []
    width = 1
    while width < n:
        block = position // (2 * width)
        left = (position % (2 * width)) < width
        left_keys = block[left] * n + vals[left]  # each left run is sorted: keys ascend
        right_block = block[~left]
        after = np.searchsorted(left_keys, right_block * n + vals[~left], side="right")
        run_end = np.minimum(right_block * width + width, len(left_keys))
        greater = run_end - after  # the left run's values above each right value
        count += int(greater.sum())
        if enumerate_pairs and greater.any():
            k = int(greater.sum())
            starts = np.repeat(after - np.cumsum(greater) + greater, greater) + np.arange(k)
            firsts.append(who[left][starts])
            seconds.append(np.repeat(who[~left], greater))
        merged = np.argsort(block * n + vals, kind="stable")
        vals, who = vals[merged], who[merged]
        width *= 2
    if not enumerate_pairs or not firsts:
        empty = np.empty(0, dtype=np.int64)
        return count, empty, empty
    return count, np.concatenate(firsts), np.concatenate(seconds)


def trend(
    days: Sequence[date] | pd.Series | np.ndarray,
    values: Sequence[float | None] | pd.Series,
    metric: str = "daily likes",
    unit: str = "likes per day",
    scale: float = 1.0,
    weights: Sequence[float | None] | pd.Series | None = None,
) -> Trend:
    """Theil-Sen slope of `values` per calendar day, its 95 % interval and a verdict; the interval
    allows for the carry-over from each fitted point to the next (`theil_sen`).

    Over more than WEEKLY_FIT_DAYS the slope, still per day, is fitted on weekly averages
    (`_weekly_averages`), when at least MIN_TREND_WEEKS weeks qualify and they hold
    MIN_WEEKLY_SHARE of the days; the sentence says so. `weights` are the denominators of a ratio
    (a like rate's views): a week's value is then the ratio of its sums, not an average of its
    days' ratios. `scale` only shapes the sentence (100 shows a fraction as percentage points).
    The sentence's numbers keep two significant digits (`signed`), so an interval that straddles
    zero always reads with a negative and a positive end, and an interval that only touches zero
    says so.

    >>> trend([date(2026, 3, d) for d in range(1, 21)], list(range(20))).verdict
    'rising'
    """
    x = _day_numbers(days)
    y = _floats(values)
    w = np.ones(len(y)) if weights is None else _floats(weights)
    known = ~np.isnan(x) & ~np.isnan(y) & (w > 0)  # a day without a date, a value or a weight does not count
    x, y, w = x[known], y[known], w[known]
    n = len(y)
    if n < MIN_TREND_DAYS:
        had = "no day of the range has one" if n == 0 else plural(n, "day")
        sentence = (
            f"Not enough data for a trend in {metric}: {had}, at least {MIN_TREND_DAYS} days are needed."
        )
        return Trend(metric, None, None, None, "not enough data", n, sentence)
    weeks = days_in_weeks = None
    if x.max() - x.min() + 1 > WEEKLY_FIT_DAYS:
        week_x, week_y, covered = _weekly_averages(x, y, w)
        if len(week_y) >= MIN_TREND_WEEKS and covered >= MIN_WEEKLY_SHARE * n:
            x, y, weeks, days_in_weeks = week_x, week_y, len(week_y), covered
    slope, low, high = theil_sen(x - x.min(), y, CONFIDENCE, allow_for_carry_over=True)
    fitted = Trend(metric, slope, low, high, "no clear trend", n, "", weeks, days_in_weeks)
    lo, hi, mid = signed(low * scale), signed(high * scale), signed(slope * scale)
    if low > 0 or high < 0:
        verdict = "rising" if low > 0 else "falling"
        sentence = (
            f"{verdict.capitalize()}: {metric}, about {mid} {unit} ({CONFIDENCE:.0%} interval {lo} to "
            f"{hi}) {fitted.span}."
        )
        return replace(fitted, verdict=verdict, sentence=sentence)
    if lo == "0" and hi == "0":
        reading = f"the slope is 0 {unit}, the typical day did not change"
    elif lo == "0" or hi == "0":
        direction = "rising" if hi != "0" else "falling"
        reading = f"the slope is between {lo} and {hi} {unit} (flat, or {direction} slightly)"
    else:
        reading = f"the slope could be anywhere between {lo} and {hi} {unit} (falling, flat or rising)"
    return replace(fitted, sentence=f"No clear trend in {metric} {fitted.span}: {reading}.")


def _floats(values: Sequence[float | None] | pd.Series) -> np.ndarray:
    """Values as floats, NaN where missing (None, NaN, pandas' NA).

    >>> _floats([3, None, 2.5]).tolist(), _floats([1, pd.NA]).tolist(), _floats(pd.Series([4, None], dtype="Int64")).tolist()
    ([3.0, nan, 2.5], [1.0, nan], [4.0, nan])
    """
    if isinstance(values, list):  # a list from DuckDB: numbers and None, read 7x faster than by pandas
        try:
            return np.array(values, dtype=float)  # None -> NaN
        except (TypeError, ValueError):  # pandas' NA among them: pandas reads it as missing below
            pass
    return pd.array(values, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)


def _weekly_averages(
    day_numbers: np.ndarray, values: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """Each Monday-to-Sunday week with at least MIN_WEEK_DAYS known days: its Thursday (day numbers
    since 1970-01-01, a Thursday, as `_day_numbers` gives them) and its weighted average (the ratio
    of sums, for a ratio's values weighted by their denominators); and how many days those weeks
    hold.

    Why weeks on a long range: the interval allows for one point carrying into the next, and a
    week's average also takes in what carries further (a video collects for days) and the weekday
    pattern. On 200 two-year simulated series without a trend, with 0.7 of each day's noise
    carried into the next, weekly averages claimed a direction in 4.5 % of them (the days without
    the allowance: 36 %; tests/test_trends.py). Ten years of days fit ~5x faster as weeks. A year
    holds 52 weeks, enough for a real trend to show. A week missing most of its days would weigh a
    few days as a week.
    """
    week = (day_numbers.astype(np.int64) + 3) // 7  # Monday-first: 1970-01-05 was a Monday
    weeks, member, known_days = np.unique(week, return_inverse=True, return_counts=True)
    averages = np.bincount(member, weights=values * weights) / np.bincount(member, weights=weights)
    kept = (known_days >= MIN_WEEK_DAYS) & np.isfinite(averages)
    return weeks[kept] * 7.0, averages[kept], int(known_days[kept].sum())


def daily_series(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    grain: str = "day",
    include_provisional: bool = False,
    kpis: tuple[Kpi, ...] = DAILY_KPIS,
) -> pd.DataFrame:
    """DAILY_KPIS (or only `kpis`) per day, week (Monday first) or month; ratios recomputed as
    ratios of sums.

    Columns: period (the bucket's first calendar day), first_day, last_day, provisional_days,
    then one column per KPI in DAILY_KPIS (likes in likes, rates as fractions, NaN when undefined).
    A trend asks for its one KPI: the rates' validity rules are checked row by row, most of the
    cost of a ten-year daily series.
    """
    frame = daily_measures(
        store, resolve_account(store, account), date_from, date_to, include_provisional, grain, kpis
    )
    return with_ratios(frame, kpis, keep=("period", "first_day", "last_day", "provisional_days"))


def rolling_means(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> pd.DataFrame:
    """Daily likes and like rate with trailing 7- and 28-day means (likes per day, fractions).

    Columns: date, likes, like_rate, likes_7d, likes_28d, like_rate_7d, like_rate_28d; a mean
    is NaN until its window holds 7 (or 28) days with likes.
    """
    return store.query(
        "kpi_daily_rolling",
        account=resolve_account(store, account),
        date_from=as_date(date_from),
        date_to=as_date(date_to),
        include_provisional=include_provisional,
    )


def likes_trend(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> Trend:
    """The trend of daily likes over the range, in likes per day."""
    series = daily_series(
        store, account, date_from, date_to, "day", include_provisional, (kpi("per_day", "likes"),)
    )
    return trend(series["first_day"], series["likes"])


def like_rate_trend(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> Trend:
    """The trend of the daily like rate over the range, in fraction per day; weekly averages
    (over more than a year) are the weeks' likes over their views, as ratios are."""
    rate = kpi("per_day", "like_rate")
    measures = daily_measures(
        store, resolve_account(store, account), date_from, date_to, include_provisional, "day", (rate,)
    )
    series = with_ratios(measures, (rate,), keep=("first_day",))
    assert rate.denominator_column is not None  # a rate has one
    return trend(
        series["first_day"],
        series["like_rate"],
        metric="daily like rate",
        unit="percentage points per day",
        scale=100.0,
        weights=measures[rate.denominator_column],
    )


def lagged_correlation(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    max_lag: int = MAX_LAG_DAYS,
    include_provisional: bool = False,
) -> LaggedCorrelation:
    """Spearman correlation of daily likes with profile views and net follower change k days later.

    One row per target and lag 0..max_lag; r is NaN when fewer than MIN_TREND_DAYS days pair up.
    """
    series = daily_series(store, account, date_from, date_to, "day", include_provisional, CORRELATED_KPIS)
    calendar = series.set_index(pd.DatetimeIndex(series["first_day"]))
    if len(calendar):
        calendar = calendar.asfreq("D")  # missing days become NaN, so a shift is a shift in days
    rows = []
    for target in ("profile_views", "net_follower_change"):
        for lag in range(max_lag + 1):
            pairs = pd.DataFrame(
                {"likes": calendar["likes"], "other": calendar[target].shift(-lag)}, dtype=float
            ).dropna()
            n = len(pairs)
            r = np.nan
            if n >= MIN_TREND_DAYS:
                r = pairs["likes"].rank().corr(pairs["other"].rank())
            rows.append({"target": target, "lag": lag, "r": r, "n": n})
    return LaggedCorrelation(pd.DataFrame(rows), CORRELATION_CAUTION)


def _day_numbers(days: Sequence[date] | pd.Series | np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of `days` (dates, or a column of them), as floats, NaN for a missing
    date: one vectorised conversion (converting a ten-year series to dates, then subtracting
    each, took 1.5 ms of a trend's 25)."""
    stamps = np.asarray(days, dtype="datetime64[D]")
    return np.where(np.isnat(stamps), np.nan, stamps.astype(np.int64).astype(float))
