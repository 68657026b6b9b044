"""Simulated futures of a goal's metric from one Baseline, and projections read off them.

Method (backtested in backtest.py):
1. Daily metrics are simulated by a moving-block bootstrap of the account's own history
   (bootstrap.py): 7-day blocks on the weekday they fill, recent weeks weighted more.
2. Each simulated path is multiplied by one level factor exp(sigma * z) (blocks.level_sigma).
3. Per-video metrics resample posting days (7-day blocks of daily post counts) and the likes of
   settled videos, with the same kind of level factor.
4. Expected is the median, the band the 10th-90th percentiles of the paths; the probability is
   the share of paths that reach the target. A seeded generator makes results reproducible.
Fewer than 28 usable days (8 settled videos) give no simulation: "not enough history".
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from kpi_core.metrics.goal_metrics import GoalKind, goal_metric
from kpi_core.planning.baseline import MIN_HISTORY_DAYS, MIN_HISTORY_VIDEOS, Baseline
from kpi_core.planning.blocks import (
    BAND,
    BLOCK_DAYS,
    HALF_LIFE_DAYS,
    N_PATHS,
    POOL_DAYS,
    VIDEO_DRIFT,
    level_sigma,
    log_var,
    weekday_blocks,
)
from kpi_core.planning.bootstrap import level_paths
from kpi_core.planning.cuts import whole_band
from kpi_core.planning.projection import Projection

__all__ = ["Multipliers", "Simulation", "chance", "simulate_raw"]


@dataclass(frozen=True)
class Multipliers:
    """Scenario multipliers on the simulated future (1.0 = the baseline).

    likes/views/followers scale daily likes, daily views (and comments, shares) and follower
    gains; posts scales the number of future videos and video_likes the likes of each.
    """

    likes: float = 1.0
    views: float = 1.0
    followers: float = 1.0
    posts: float = 1.0
    video_likes: float = 1.0


@dataclass(frozen=True, eq=False)
class Simulation:
    """Simulated future of one metric over [start, deadline], from one Baseline.

    `paths` hold cumulative in-window contributions per future day (n_paths, horizon);
    `so_far` the window's totals up to `as_of`; `actual` the metric's value on each past day
    of the window (for the burn-up chart).
    """

    metric: str
    start: date
    deadline: date
    as_of: date
    dates: tuple[date, ...]
    paths: dict[str, np.ndarray]
    so_far: dict[str, float]
    actual_dates: tuple[date, ...]
    actual: np.ndarray
    n_paths: int
    # The band's track record on the account's own history, and why a band's top can be far above
    # anything the account did (set by forecast.py, shown with every projection).
    track_record: str = ""
    caution: str = ""
    # Today's-pace projections by target: a what-if compares every slider move against the same one.
    _today: dict[float, Projection] = field(default_factory=dict, init=False, repr=False)

    def values(self, m: Multipliers | None = None, *, last_only: bool = False) -> np.ndarray:
        """(n_paths, horizon) metric value on each future day under multipliers `m`."""
        m = m or Multipliers()
        p = {k: (v[:, -1:] if last_only else v) for k, v in self.paths.items()}
        s = self.so_far
        kind = goal_metric(self.metric).kind
        with np.errstate(divide="ignore", invalid="ignore"):
            if kind is GoalKind.COUNT:
                return s["likes"] + m.likes * p["likes"]
            if kind is GoalKind.LEVEL:
                return s["level"] + m.followers * p["gain"]
            if self.metric == "like_rate":
                return (s["likes"] + m.likes * p["likes"]) / (s["views"] + m.views * p["views"])
            if kind is GoalKind.RATE:
                top = s["likes"] + s["cs"] + m.likes * p["likes"] + m.views * p["cs"]
                return top / (s["views"] + m.views * p["views"])
            count = s["videos"] + m.posts * p["videos"]
            return np.where(
                count > 0, (s["video_likes"] + m.posts * m.video_likes * p["video_likes"]) / count, np.nan
            )

    def future_part(self) -> np.ndarray:
        """(n_paths, horizon) the metric's part still to come, on each future day: likes gained in
        the window, followers gained, the window's future rate, the future videos' likes per
        video (NaN where a path has none yet). What backtests compare with what happened."""
        p = self.paths
        kind = goal_metric(self.metric).kind
        with np.errstate(divide="ignore", invalid="ignore"):
            if kind is GoalKind.COUNT:
                return p["likes"]
            if kind is GoalKind.LEVEL:
                return p["gain"]
            if kind is GoalKind.RATE:
                return np.where(p["views"] > 0, (p["likes"] + p["cs"]) / p["views"], np.nan)
            return np.where(p["videos"] > 0, p["video_likes"] / p["videos"], np.nan)

    def finals(self, m: Multipliers | None = None) -> np.ndarray:
        """(n_paths,) value at the deadline; the value so far when the window has ended."""
        if len(self.dates) == 0:
            return np.full(self.n_paths, self.actual[-1] if len(self.actual) else np.nan)
        return self.values(m, last_only=True)[:, -1]

    def expected(self, m: Multipliers | None = None) -> float:
        """Median value at the deadline (NaN when no path has a value)."""
        finals = self.finals(m)
        finals = finals[np.isfinite(finals)]
        return float(np.median(finals)) if len(finals) else float("nan")

    def projection(self, target: float, m: Multipliers | None = None) -> Projection:
        """Expected value, 80 % band, probability and reach date against `target`."""
        if m is None or m == Multipliers():
            # Read once and write once: the app shares the demo's simulations between sessions'
            # threads, and another may empty the cache between a write and a read.
            found = self._today.get(target)
            if found is None:
                found = self._projection(target, None)
                if len(self._today) >= 32:  # a handful of targets per goal window; stay small
                    self._today.clear()
                self._today[target] = found
            return found
        return self._projection(target, m)

    def __getstate__(self) -> dict[str, object]:
        """Pickled without the projections kept for targets (a cache: the same simulation pickles
        the same whatever was asked of it, and another thread may be adding to it)."""
        return {k: v for k, v in self.__dict__.items() if k != "_today"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        object.__setattr__(self, "_today", {})

    def _projection(self, target: float, m: Multipliers | None) -> Projection:
        finals = self.finals(m)
        ok = np.isfinite(finals)
        low = high = expected = None
        if ok.any():
            low, expected, high = (float(v) for v in np.quantile(finals[ok], (BAND[0], 0.5, BAND[1])))
            if goal_metric(self.metric).kind in (GoalKind.COUNT, GoalKind.LEVEL):
                # Likes and followers come whole, as the page shows them: "expected 7", not 6.9.
                low, high = whole_band(low, high)
                expected = float(math.floor(expected + 0.5))  # half up, as people round
        probability = chance(finals, target)
        if len(self.dates):
            values = np.ascontiguousarray(self.values(m).T)  # per-day rows: partitions stay in cache
            if np.isnan(values).any():  # per-video futures with no video yet: those days have no value
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN day is a gap in the chart
                    path = np.nanquantile(values, (BAND[0], 0.5, BAND[1]), axis=1)
            else:
                path = np.quantile(values, (BAND[0], 0.5, BAND[1]), axis=1)
            # A day is "reached" when at least half of the futures are at or above the target on it
            # (a future with no value, such as no video posted, is not); on the deadline that is
            # `probability`, so the reach date and the chance can never disagree.
            likely = np.mean(values >= target, axis=1) >= 0.5
        else:
            path, likely = np.zeros((3, 0)), np.zeros(0, dtype=bool)
        reach = _reach_date(self, likely, target)
        return Projection(
            metric=self.metric,
            target=float(target),
            expected=expected,
            low=low,
            high=high,
            probability=probability,
            reach_date=reach,
            dates=self.dates,
            path_low=tuple(float(v) for v in path[0]),
            path_expected=tuple(float(v) for v in path[1]),
            path_high=tuple(float(v) for v in path[2]),
            actual_dates=self.actual_dates,
            actual=tuple(float(v) for v in self.actual),
            track_record=self.track_record,
            caution=self.caution,
            without_value=float(1.0 - ok.mean()),
        )


def chance(finals: np.ndarray, target: float) -> float:
    """The share of futures whose value at the deadline reaches `target`; a future with no value
    (no video posted, no views) does not."""
    return float(np.mean(np.isfinite(finals) & (finals >= target)))


def _reach_date(sim: Simulation, likely: np.ndarray, target: float) -> date | None:
    """First day of the window from which the target stays reached: by the actual value on past
    days, by at least an even chance (`likely`, one flag per future day) after them."""
    days = list(sim.actual_dates) + [d for d in sim.dates]
    reached = np.concatenate([np.nan_to_num(sim.actual, nan=-np.inf) >= target, likely])
    keep = np.array([d >= sim.start for d in days], dtype=bool)
    days = [d for d, k in zip(days, keep, strict=True) if k]
    reached = reached[keep]
    if len(reached) == 0:
        return None
    below = ~reached
    if below[-1]:
        return None
    last_below = np.flatnonzero(below)
    return days[int(last_below[-1]) + 1] if len(last_below) else days[0]


def _window_mask(start: date, as_of: date, horizon: int) -> np.ndarray:
    """1.0 on future days inside the window, 0.0 on future days before its start."""
    offsets = np.arange(1, horizon + 1)
    return (offsets >= (start - as_of).days).astype(float)


def simulate_raw(
    baseline: Baseline, metric: str, start: date, deadline: date, *, n_paths: int = N_PATHS, seed: int = 0
) -> Simulation | None:
    """Simulate `metric` from the day after `baseline.as_of` to `deadline` (None: not enough history),
    before calibration: goals use forecast.simulate, which calibrates this on the account's past.

    Example: `simulate_raw(b, "likes", date(2026, 11, 1), date(2026, 11, 30)).projection(30_000)`.
    """
    b = baseline
    if b.as_of is None or b.start is None:
        return None
    kind = goal_metric(metric).kind
    rng = np.random.default_rng(seed)
    horizon = max((deadline - b.as_of).days, 0)
    dates = tuple(b.as_of + timedelta(days=i) for i in range(1, horizon + 1))
    mask = _window_mask(start, b.as_of, horizon)
    first = b.day_index(start)
    last = b.day_index(min(b.as_of, deadline))
    past = slice(max(first, 0), last + 1)
    actual_dates = tuple(b.date_at(i) for i in range(max(first, 0), last + 1))
    pool = slice(max(b.n_days - POOL_DAYS, 0), b.n_days)

    def cumulate(daily: np.ndarray, masked: bool = True) -> np.ndarray:
        return np.cumsum(np.nan_to_num(daily) * (mask if masked else 1.0), axis=1)

    paths: dict[str, np.ndarray] = {}
    so_far: dict[str, float] = {}
    if kind is GoalKind.PER_VIDEO:
        sim = _simulate_videos(b, horizon, mask, first, last, n_paths, rng)
        if sim is None:
            return None
        paths, so_far, actual = sim
        return Simulation(
            metric,
            start,
            deadline,
            b.as_of,
            dates,
            paths,
            so_far,
            actual_dates,
            np.asarray(actual, dtype=float),
            n_paths,
        )

    usable = b.usable(metric)
    if usable.sum() < MIN_HISTORY_DAYS or usable[pool].sum() < MIN_HISTORY_DAYS:
        return None
    if kind is GoalKind.COUNT:
        made = level_paths(np.where(usable, b.likes, np.nan)[pool], horizon, n_paths, rng)
        if made is None:
            return None
        paths["likes"] = cumulate(made.values)
        window = np.nan_to_num(b.likes[past])
        so_far["likes"] = float(window.sum())
        actual = np.cumsum(window)
    elif kind is GoalKind.LEVEL:
        made = level_paths(
            np.where(usable, b.follower_gains(), np.nan)[pool], horizon, n_paths, rng, signed=True
        )
        if made is None:
            return None
        paths["gain"] = cumulate(made.values, masked=False)
        so_far["level"] = b.follower_level(b.n_days - 1)
        actual = np.array([b.follower_level(i) for i in range(max(first, 0), last + 1)])
    else:  # rate: views follow their level; each simulated day keeps the like rate of the day drawn
        likes = np.where(usable, b.likes, np.nan)[pool]
        views = np.where(usable, b.views, np.nan)[pool]
        cs = (
            np.where(usable, b.comments + b.shares, np.nan)[pool]
            if metric != "like_rate"
            else np.zeros_like(likes)
        )
        made = level_paths(views, horizon, n_paths, rng)
        blocks = weekday_blocks(usable[pool])
        if made is None or blocks is None:
            return None
        future_views, idx = made.values, made.drawn
        with np.errstate(divide="ignore", invalid="ignore"):
            like_share = np.where(views[idx] > 0, likes[idx] / views[idx], 0.0)
            cs_share = np.where(views[idx] > 0, np.nan_to_num(cs[idx]) / views[idx], 0.0)
        top = likes + np.nan_to_num(cs)
        rate = np.exp(level_sigma(top, views, blocks, horizon, rng) * rng.standard_normal(n_paths))[:, None]
        paths["likes"] = cumulate(future_views * like_share * rate)
        paths["cs"] = cumulate(future_views * cs_share * rate)
        paths["views"] = cumulate(future_views)
        past_likes = np.where(b.usable(metric), b.likes, np.nan)[past]
        past_views = np.where(b.usable(metric), b.views, np.nan)[past]
        past_cs = (
            np.where(b.usable(metric), b.comments + b.shares, np.nan)[past]
            if metric != "like_rate"
            else 0 * past_likes
        )
        so_far = {
            "likes": float(np.nansum(past_likes)),
            "cs": float(np.nansum(past_cs)),
            "views": float(np.nansum(past_views)),
        }
        with np.errstate(divide="ignore", invalid="ignore"):
            tops = np.cumsum(np.nan_to_num(past_likes) + np.nan_to_num(past_cs))
            bottoms = np.cumsum(np.nan_to_num(past_views))
            actual = np.where(bottoms > 0, tops / bottoms, np.nan)
    return Simulation(
        metric,
        start,
        deadline,
        b.as_of,
        dates,
        paths,
        so_far,
        actual_dates,
        np.asarray(actual, dtype=float),
        n_paths,
    )


def _simulate_videos(
    b: Baseline, horizon: int, mask: np.ndarray, first: int, last: int, n_paths: int, rng: np.random.Generator
) -> tuple[dict[str, np.ndarray], dict[str, float], np.ndarray] | None:
    """Posting days by 7-day blocks of daily post counts, likes per video from settled videos."""
    settled = b.video_mature & ~np.isnan(b.video_likes)
    end = b.n_days - 1
    earliest = end - POOL_DAYS + 1
    if len(b.video_day):
        earliest = max(earliest, int(b.video_day.min()))
    in_pool = settled & (b.video_day >= earliest)
    if in_pool.sum() < MIN_HISTORY_VIDEOS:
        in_pool = settled
    if in_pool.sum() < MIN_HISTORY_VIDEOS or end - earliest + 1 < BLOCK_DAYS:
        return None
    counts = np.bincount(b.video_day[b.video_day >= earliest] - earliest, minlength=end - earliest + 1)
    counts = counts[: end - earliest + 1].astype(float)
    blocks = weekday_blocks(np.ones(len(counts), dtype=bool))
    if blocks is None:
        return None
    posts = counts[blocks.sample(horizon, n_paths, rng)] * mask if horizon else np.zeros((n_paths, 0))
    likes = b.video_likes[in_pool]
    ages = (end - b.video_day[in_pool]).astype(float)
    weights = 0.5 ** (ages / HALF_LIFE_DAYS)
    weights /= weights.sum()
    effective = 1.0 / np.sum(weights**2)
    sigma = math.sqrt(
        log_var(likes + 1.0, ddof=1) / effective
        + VIDEO_DRIFT**2 * (horizon / 3 + float(np.sum(weights * ages)))
    )
    factor = np.exp(sigma * rng.standard_normal(n_paths))
    count_paths = np.cumsum(posts, axis=1)
    most = int(count_paths[:, -1].max()) if horizon else 0
    drawn = rng.choice(likes, size=(n_paths, most), p=weights) * factor[:, None]
    running = np.concatenate([np.zeros((n_paths, 1)), np.cumsum(drawn, axis=1)], axis=1)
    like_paths = np.take_along_axis(running, count_paths.astype(int), axis=1)
    window = (b.video_day >= first) & (b.video_day <= last) & ~np.isnan(b.video_likes)
    so_far = {"videos": float(window.sum()), "video_likes": float(b.video_likes[window].sum())}
    days = np.arange(max(first, 0), last + 1)
    actual = np.full(len(days), np.nan)
    if len(days):
        per_day_count = np.array([np.sum(window & (b.video_day == d)) for d in days], dtype=float)
        per_day_likes = np.array([b.video_likes[window & (b.video_day == d)].sum() for d in days])
        c, s = np.cumsum(per_day_count), np.cumsum(per_day_likes)
        with np.errstate(divide="ignore", invalid="ignore"):
            actual = np.where(c > 0, s / c, np.nan)
    return {"videos": count_paths, "video_likes": like_paths}, so_far, actual
