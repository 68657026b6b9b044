"""Projection of a goal metric to the deadline, with an honest 80 % band and a probability.

Method (the README's methods section, backtested in backtest.py):
1. Daily metrics are simulated by a moving-block bootstrap of the account's own history: 7-day
   blocks, each starting on the same weekday as the days it fills (weekly seasonality and
   autocorrelation survive), drawn from the last year with recency weights (half-life 63 days).
2. Each simulated path is multiplied by one level factor exp(sigma * z). sigma^2 adds the
   uncertainty of the recent mean (variance of log weekly totals / effective number of weeks)
   and a drift term: the month-to-month variability of the account beyond what resampling days
   explains, per day, times (horizon / 3 + the pool's mean age in days).
3. Per-video metrics resample posting days (7-day blocks of daily post counts) and the likes of
   settled videos, with the same kind of level factor.
4. Expected is the median, the band the 10th-90th percentiles of the paths; the probability is
   the share of paths that reach the target. A seeded generator makes results reproducible.
Fewer than 28 usable days (8 settled videos) give no projection: "not enough history".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.planning.baseline import Baseline, _usable
from kpi_core.planning.goals import METRICS, MIN_HISTORY_DAYS, MIN_HISTORY_VIDEOS, Goal, format_value

__all__ = [
    "BAND",
    "BLOCK_DAYS",
    "HALF_LIFE_DAYS",
    "N_PATHS",
    "POOL_DAYS",
    "Multipliers",
    "Projection",
    "Simulation",
    "SuggestedTarget",
    "daily_total_paths",
    "project",
    "simulate",
    "suggested_targets",
]

N_PATHS = 2000
BLOCK_DAYS = 7
POOL_DAYS = 365  # the bootstrap draws from at most the last year
HALF_LIFE_DAYS = 63  # recency weight of a block halves every 9 weeks
DRIFT_WINDOW_DAYS = 28  # month-to-month variability; weeks when the pool is shorter than 84 days
MIN_DRIFT = 0.005  # floor of the level drift, per sqrt(day)
VIDEO_DRIFT = 0.01  # level drift of per-video likes, per sqrt(day)
BAND = (0.10, 0.90)  # the 80 % band


# ---------------------------------------------------------------------------------------------
# The bootstrap core (pure numpy)


@dataclass(frozen=True, eq=False)
class _Blocks:
    """Where 7-day blocks may start in a pool, and how likely each start is."""

    starts: np.ndarray  # positions in `positions`
    weights: np.ndarray  # sum to 1
    ages: np.ndarray  # days between a block's start and the end of the pool
    positions: np.ndarray  # pool positions the blocks index (all days, or only the valid ones)

    def sample(self, horizon: int, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """(n_paths, horizon) pool positions: concatenated blocks, cut to the horizon."""
        n_blocks = -(-horizon // BLOCK_DAYS)
        chosen = rng.choice(self.starts, size=(n_paths, n_blocks), p=self.weights)
        idx = (chosen[:, :, None] + np.arange(BLOCK_DAYS)).reshape(n_paths, -1)[:, :horizon]
        return self.positions[idx]

    @property
    def effective_blocks(self) -> float:
        return float(1.0 / np.sum(self.weights**2))

    @property
    def mean_age(self) -> float:
        return float(np.sum(self.weights * self.ages))


def _blocks(valid: np.ndarray, half_life: float = HALF_LIFE_DAYS) -> _Blocks | None:
    """Block starts aligned on the weekday of the first future day; None if under one block."""
    n = len(valid)
    starts = np.arange(max(n - BLOCK_DAYS + 1, 0))
    bad = np.concatenate([[0], np.cumsum(~valid)])
    complete = bad[starts + BLOCK_DAYS] - bad[starts] == 0 if len(starts) else np.zeros(0, dtype=bool)
    aligned = starts[((n - starts) % BLOCK_DAYS == 0) & complete]
    if len(aligned) >= 4:
        positions, chosen, ages = np.arange(n), aligned, (n - aligned).astype(float)
    else:  # gaps everywhere: close them up and give up the weekday alignment
        positions = np.flatnonzero(valid)
        m = len(positions)
        if m < BLOCK_DAYS:
            return None
        chosen = np.arange(m - BLOCK_DAYS + 1)
        ages = (m - chosen).astype(float)
    weights = 0.5 ** (ages / half_life)
    return _Blocks(chosen, weights / weights.sum(), ages, positions)


def _aggregate(top: np.ndarray, bottom: np.ndarray | None) -> np.ndarray:
    """Row totals (or ratios of row totals) of 2-D arrays, NaN-safe."""
    t = np.nansum(top, axis=-1)
    if bottom is None:
        return t
    b = np.nansum(bottom, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, t / b, np.nan)


def _log_var(values: np.ndarray, ddof: int = 0) -> float:
    ok = np.isfinite(values) & (values > 0)
    logs = np.log(values[ok])
    return float(np.var(logs, ddof=ddof)) if len(logs) > ddof else 0.0


def _level_sigma(
    top: np.ndarray, bottom: np.ndarray | None, blocks: _Blocks, horizon: int, rng: np.random.Generator
) -> float:
    """Sigma of the log level factor: uncertainty of the recent mean plus drift over the horizon."""
    n = len(top)
    width = DRIFT_WINDOW_DAYS if n >= 3 * DRIFT_WINDOW_DAYS else BLOCK_DAYS
    m = n // width
    drift2 = MIN_DRIFT**2
    if m >= 3:
        cut = slice(n - m * width, n)
        windows = _aggregate(
            top[cut].reshape(m, width), None if bottom is None else bottom[cut].reshape(m, width)
        )
        ok = np.isfinite(windows) & (windows > 0)
        if ok.sum() >= 3:
            between = float(np.var(np.diff(np.log(windows[ok])), ddof=1)) / 2
            idx = blocks.sample(width, 400, rng)
            within = _log_var(_aggregate(top[idx], None if bottom is None else bottom[idx]))
            drift2 = max(drift2, (between - within) / width)
    weeks = n // BLOCK_DAYS
    cut = slice(n - weeks * BLOCK_DAYS, n)
    weekly = _aggregate(
        top[cut].reshape(weeks, BLOCK_DAYS),
        None if bottom is None else bottom[cut].reshape(weeks, BLOCK_DAYS),
    )
    mean_var = _log_var(weekly, ddof=1) / max(blocks.effective_blocks, 1.0)
    return math.sqrt(drift2 * (horizon / 3 + blocks.mean_age) + mean_var)


def daily_total_paths(
    history: np.ndarray, horizon: int, *, n_paths: int = N_PATHS, seed: int | np.random.Generator = 0
) -> np.ndarray | None:
    """Simulated daily values for the `horizon` days after `history` (NaN = missing day).

    Returns an (n_paths, horizon) array, or None when under MIN_HISTORY_DAYS usable days.
    Example: a constant 100 a day gives paths of (very nearly) 100 a day.
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    pool = np.asarray(history, dtype=float)[-POOL_DAYS:]
    valid = ~np.isnan(pool)
    if valid.sum() < MIN_HISTORY_DAYS:
        return None
    blocks = _blocks(valid)
    if blocks is None:
        return None
    idx = blocks.sample(horizon, n_paths, rng)
    sigma = _level_sigma(pool, None, blocks, horizon, rng)
    factor = np.exp(sigma * rng.standard_normal(n_paths))
    return pool[idx] * factor[:, None]


# ---------------------------------------------------------------------------------------------
# Simulations of a goal's metric


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
    # Today's-pace projections by target: a what-if compares every slider move against the same one.
    _today: dict[float, Projection] = field(default_factory=dict, init=False, repr=False)

    def values(self, m: Multipliers | None = None, *, last_only: bool = False) -> np.ndarray:
        """(n_paths, horizon) metric value on each future day under multipliers `m`."""
        m = m or Multipliers()
        p = {k: (v[:, -1:] if last_only else v) for k, v in self.paths.items()}
        s = self.so_far
        kind = METRICS[self.metric].kind
        with np.errstate(divide="ignore", invalid="ignore"):
            if kind == "count":
                return s["likes"] + m.likes * p["likes"]
            if kind == "level":
                return s["level"] + m.followers * p["gain"]
            if self.metric == "like_rate":
                return (s["likes"] + m.likes * p["likes"]) / (s["views"] + m.views * p["views"])
            if kind == "rate":
                top = s["likes"] + s["cs"] + m.likes * p["likes"] + m.views * p["cs"]
                return top / (s["views"] + m.views * p["views"])
            count = s["videos"] + m.posts * p["videos"]
            return np.where(
                count > 0, (s["video_likes"] + m.posts * m.video_likes * p["video_likes"]) / count, np.nan
            )

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
            if target not in self._today:
                if len(self._today) >= 32:  # a handful of targets per goal window; stay small
                    self._today.clear()
                self._today[target] = self._projection(target, None)
            return self._today[target]
        return self._projection(target, m)

    def _projection(self, target: float, m: Multipliers | None) -> Projection:
        finals = self.finals(m)
        ok = np.isfinite(finals)
        low = high = expected = None
        if ok.any():
            low, expected, high = (float(v) for v in np.quantile(finals[ok], (BAND[0], 0.5, BAND[1])))
        probability = float(np.mean(np.where(ok, finals >= target, False)))
        if len(self.dates):
            values = np.ascontiguousarray(self.values(m).T)  # per-day rows: partitions stay in cache
            quantile = np.nanquantile if np.isnan(values).any() else np.quantile
            path = quantile(values, (BAND[0], 0.5, BAND[1]), axis=1)
        else:
            path = np.zeros((3, 0))
        reach = _reach_date(self, path[1], target)
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
        )


def _reach_date(sim: Simulation, expected_path: np.ndarray, target: float) -> date | None:
    """First day of the window from which the value (actual, then expected) stays >= target."""
    days = list(sim.actual_dates) + [d for d in sim.dates]
    values = np.concatenate([sim.actual, expected_path])
    keep = np.array([d >= sim.start for d in days], dtype=bool)
    days = [d for d, k in zip(days, keep, strict=True) if k]
    values = values[keep]
    if len(values) == 0:
        return None
    below = ~(np.nan_to_num(values, nan=-np.inf) >= target)
    if below[-1]:
        return None
    last_below = np.flatnonzero(below)
    return days[int(last_below[-1]) + 1] if len(last_below) else days[0]


def _window_mask(start: date, as_of: date, horizon: int) -> np.ndarray:
    """1.0 on future days inside the window, 0.0 on future days before its start."""
    offsets = np.arange(1, horizon + 1)
    return (offsets >= (start - as_of).days).astype(float)


def simulate(
    baseline: Baseline, metric: str, start: date, deadline: date, *, n_paths: int = N_PATHS, seed: int = 0
) -> Simulation | None:
    """Simulate `metric` from the day after `baseline.as_of` to `deadline` (None: not enough history).

    Example: `simulate(b, "likes", date(2026, 11, 1), date(2026, 11, 30)).projection(30_000)`.
    """
    b = baseline
    if b.as_of is None or b.start is None:
        return None
    kind = METRICS[metric].kind
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
    if kind == "per_video":
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

    usable = _usable(b, metric)
    blocks = _blocks(usable[pool])
    if usable.sum() < MIN_HISTORY_DAYS or usable[pool].sum() < MIN_HISTORY_DAYS or blocks is None:
        return None
    idx = blocks.sample(horizon, n_paths, rng)
    if kind == "count":
        history = np.where(_usable(b, metric), b.likes, np.nan)[pool]
        factor = np.exp(_level_sigma(history, None, blocks, horizon, rng) * rng.standard_normal(n_paths))
        paths["likes"] = cumulate(history[idx] * factor[:, None])
        window = np.nan_to_num(b.likes[past])
        so_far["likes"] = float(window.sum())
        actual = np.cumsum(window)
    elif kind == "level":
        gains = np.where(_usable(b, metric), b.follower_gains(), np.nan)[pool]
        positive = np.nanmean(gains) > 0
        sigma = (
            _level_sigma(gains, None, blocks, horizon, rng) if positive else MIN_DRIFT * math.sqrt(horizon)
        )
        factor = np.exp(sigma * rng.standard_normal(n_paths))
        paths["gain"] = cumulate(gains[idx] * factor[:, None], masked=False)
        so_far["level"] = b.follower_level(b.n_days - 1)
        actual = np.array([b.follower_level(i) for i in range(max(first, 0), last + 1)])
    else:  # rate
        ok = usable
        likes = np.where(ok, b.likes, np.nan)
        views = np.where(ok, b.views, np.nan)
        cs = np.where(ok, b.comments + b.shares, np.nan) if metric != "like_rate" else np.zeros_like(likes)
        top = likes + np.nan_to_num(cs)
        volume = np.exp(_level_sigma(views[pool], None, blocks, horizon, rng) * rng.standard_normal(n_paths))
        rate = np.exp(
            _level_sigma(top[pool], views[pool], blocks, horizon, rng) * rng.standard_normal(n_paths)
        )
        paths["likes"] = cumulate(likes[pool][idx] * (volume * rate)[:, None])
        paths["cs"] = cumulate(np.nan_to_num(cs[pool])[idx] * (volume * rate)[:, None])
        paths["views"] = cumulate(views[pool][idx] * volume[:, None])
        so_far = {
            "likes": float(np.nansum(likes[past])),
            "cs": float(np.nansum(cs[past])),
            "views": float(np.nansum(views[past])),
        }
        with np.errstate(divide="ignore", invalid="ignore"):
            tops, bottoms = np.cumsum(np.nan_to_num(top[past])), np.cumsum(np.nan_to_num(views[past]))
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
    blocks = _blocks(np.ones(len(counts), dtype=bool))
    if blocks is None:
        return None
    posts = counts[blocks.sample(horizon, n_paths, rng)] * mask if horizon else np.zeros((n_paths, 0))
    likes = b.video_likes[in_pool]
    ages = (end - b.video_day[in_pool]).astype(float)
    weights = 0.5 ** (ages / HALF_LIFE_DAYS)
    weights /= weights.sum()
    effective = 1.0 / np.sum(weights**2)
    sigma = math.sqrt(
        _log_var(likes + 1.0, ddof=1) / effective
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


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Projection:
    """A goal metric at the deadline: median, 80 % band, probability of reaching the target.

    Values are in the metric's unit (likes, a fraction for rates, likes per video, followers).
    `path_*` hold the per-day 10th/50th/90th percentiles for the burn-up chart; all are None
    (and `note` says why) when the history is too short for a projection.
    """

    metric: str
    target: float
    expected: float | None
    low: float | None
    high: float | None
    probability: float | None
    reach_date: date | None
    dates: tuple[date, ...] = ()
    path_low: tuple[float, ...] = ()
    path_expected: tuple[float, ...] = ()
    path_high: tuple[float, ...] = ()
    actual_dates: tuple[date, ...] = ()
    actual: tuple[float, ...] = ()
    note: str = ""

    @property
    def enough_history(self) -> bool:
        return self.probability is not None

    def path_frame(self) -> pd.DataFrame:
        """One row per day of the window: date, actual (past), low/expected/high (future), target."""
        n_past, n_future = len(self.actual_dates), len(self.dates)
        gap_past, gap_future = np.full(n_past, np.nan), np.full(n_future, np.nan)
        return pd.DataFrame(
            {
                "date": pd.to_datetime(list(self.actual_dates) + list(self.dates)),
                "actual": np.concatenate([np.asarray(self.actual, dtype=float), gap_future]),
                "low": np.concatenate([gap_past, self.path_low]),
                "expected": np.concatenate([gap_past, self.path_expected]),
                "high": np.concatenate([gap_past, self.path_high]),
                "target": np.full(n_past + n_future, self.target),
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """{expected, low, high, probability} as plain JSON values."""
        return {
            "expected": self.expected,
            "low": self.low,
            "high": self.high,
            "probability": self.probability,
        }

    def sentence(self) -> str:
        """'Expected 31,200 (80% band 27,000-36,100), a 64% chance of reaching 30,000.'"""
        if self.probability is None or self.expected is None:
            return self.note or "Not enough history for a projection."
        f = lambda x: format_value(self.metric, x)  # noqa: E731
        return (
            f"Expected {f(self.expected)} (80% band {f(self.low)}-{f(self.high)}), "
            f"a {self.probability:.0%} chance of reaching {f(self.target)}."
        )


def _not_enough(metric: str, target: float) -> Projection:
    unit = "settled videos" if METRICS[metric].kind == "per_video" else "days of data"
    need = MIN_HISTORY_VIDEOS if METRICS[metric].kind == "per_video" else MIN_HISTORY_DAYS
    return Projection(
        metric,
        float(target),
        None,
        None,
        None,
        None,
        None,
        note=f"Not enough history for a projection: at least {need} {unit} are needed.",
    )


def project(
    goal: Goal,
    baseline: Baseline,
    multipliers: Multipliers | None = None,
    *,
    n_paths: int = N_PATHS,
    seed: int = 0,
) -> Projection:
    """Project `goal` to its deadline from `baseline` (optionally under scenario multipliers).

    Example: a constant 100 likes a day, 10 days into a 30-day goal of 2,500 likes, gives
    expected ~3,000, a narrow band and a probability of ~1.
    """
    sim = simulate(baseline, goal.metric, goal.start, goal.deadline, n_paths=n_paths, seed=seed)
    if sim is None:
        return _not_enough(goal.metric, goal.target)
    return sim.projection(goal.target, multipliers)


# ---------------------------------------------------------------------------------------------
# Suggested targets


@dataclass(frozen=True)
class SuggestedTarget:
    """A target offered from the history, with its probability 0..1 of being reached."""

    name: str  # "conservative", "realistic", "stretch"
    target: float
    probability: float


SUGGESTION_QUANTILES = {"conservative": 0.2, "realistic": 0.5, "stretch": 0.8}


def _nice(value: float, step: float) -> float:
    return float(round(value / step) * step) if step > 0 else value


def suggested_targets(
    baseline: Baseline, metric: str, start: date, deadline: date, *, n_paths: int = N_PATHS, seed: int = 0
) -> list[SuggestedTarget]:
    """Conservative, realistic and stretch targets: the 20th/50th/80th percentiles of the outcomes.

    Targets are rounded to a readable step and their probability is computed after rounding.
    Empty when the history is too short. Example: for a steady 100 likes a day over 30 days,
    three targets near 3,000 with probabilities near 0.8, 0.5 and 0.2.
    """
    sim = simulate(baseline, metric, start, deadline, n_paths=n_paths, seed=seed)
    if sim is None:
        return []
    finals = sim.finals()
    finals = finals[np.isfinite(finals)]
    if len(finals) == 0:
        return []
    values = {name: float(np.quantile(finals, q)) for name, q in SUGGESTION_QUANTILES.items()}
    kind = METRICS[metric].kind
    if kind == "rate":
        step = 0.001
    else:
        spread = max(values["stretch"] - values["conservative"], abs(values["realistic"]) * 0.01, 1e-9)
        step = max(10 ** math.floor(math.log10(spread)) / 10, 1.0)
    out = []
    for name, value in values.items():
        target = max(_nice(value, step), step)
        if kind == "rate":
            target = min(round(target, 3), 1.0)
        out.append(SuggestedTarget(name, target, float(np.mean(finals >= target))))
    return out
