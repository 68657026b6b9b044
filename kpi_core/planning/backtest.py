"""How well the projection bands did on an account's own past: coverage, interval score, and the
same figures for naive methods.

A history is cut every 7 days (counting back from the latest cut whose outcome is known); from
the data before each cut the next `horizon` days are projected exactly as a goal would project
them, and the realised outcome is compared with the 80 % band:
- coverage: the share of cuts whose outcome fell inside the band (0.8 is honest);
- interval score (Winkler, alpha = 0.2): the band's width plus 10 times how far an outcome fell
  outside it, in the metric's units; lower is better, and a band that covers everything by being
  enormous scores badly.

Naive methods scored the same way: the last 28 days repeated, a seasonal naive (the last 7 days
repeated), both with bands from the empirical spread of past windows; an iid bootstrap of days;
and a 7-day block bootstrap (uniform over the last year, no level).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.metrics.goal_metrics import GoalKind, goal_metric
from kpi_core.planning.baseline import MIN_HISTORY_DAYS, Baseline, as_floats
from kpi_core.planning.blocks import BLOCK_DAYS, POOL_DAYS, weekday_blocks
from kpi_core.planning.bootstrap import level_paths
from kpi_core.planning.calibration import calibrated
from kpi_core.planning.cuts import ALPHA, Cut, interval_score, make_cut
from kpi_core.planning.simulation import simulate_raw

__all__ = [
    "ALPHA",
    "HORIZONS",
    "NAIVE_METHODS",
    "STEP_DAYS",
    "BacktestReport",
    "Cut",
    "HorizonScore",
    "backtest",
    "backtest_series",
    "goal_cuts",
    "interval_score",
    "series_cuts",
]

HORIZONS = (14, 28, 56)
STEP_DAYS = 7
MIN_CUT_HISTORY = 28  # a cut needs four weeks behind it


def _cut_days(n: int, horizon: int, step: int, min_history: int) -> list[int]:
    """Cut days (indices of the last day known) every `step` days, the latest first possible cut
    being the last one whose `horizon` days are all in the history; oldest first."""
    last = n - 1 - horizon
    return sorted(range(last, min_history - 2, -step)) if last >= min_history - 1 else []


# ---------------------------------------------------------------------------------------------
# Daily series: likes, views, follower gains


def series_cuts(
    series: np.ndarray,
    horizon: int,
    *,
    signed: bool = False,
    step: int = STEP_DAYS,
    min_history: int = MIN_CUT_HISTORY,
    n_paths: int = 500,
    seed: int = 0,
    method: Callable[[np.ndarray, int, int, np.random.Generator], np.ndarray | None] | None = None,
) -> list[Cut]:
    """Past projections of the sum of a daily series over `horizon` days (NaN = missing day).

    `method` makes (n_paths, horizon) daily paths from the history before a cut; by default the
    project's own (`bootstrap.level_paths`, as count and followers goals use). Cuts whose outcome
    window misses a day are skipped.
    """
    x = np.asarray(series, dtype=float)
    whole = bool(np.all(np.isnan(x) | (x == np.round(x))))  # daily counts: bands in whole numbers
    rng = np.random.default_rng(seed)
    out = []
    for at in _cut_days(len(x), horizon, step, min_history):
        outcome = x[at + 1 : at + 1 + horizon]
        if np.isnan(outcome).any():
            continue
        history = x[: at + 1]
        start = 0
        if method is None:
            made = level_paths(history, horizon, n_paths, rng, signed=signed)
            paths, start = (None, 0) if made is None else (made.values, made.regime)
        else:
            paths = method(history, horizon, n_paths, rng)
        if paths is None:
            continue
        out.append(make_cut(at, horizon, float(outcome.sum()), paths.sum(axis=1), start, whole=whole))
    return out


def _window_ratios(history: np.ndarray, horizon: int, base_days: int) -> np.ndarray:
    """Every past `horizon`-day total divided by what repeating the `base_days` before it
    forecast: the spread a naive point forecast's band is drawn from."""
    x = history[-POOL_DAYS:]
    out = []
    for s in range(base_days, len(x) - horizon + 1):
        base, ahead = x[s - base_days : s], x[s : s + horizon]
        if np.isnan(base).any() or np.isnan(ahead).any():
            continue
        forecast = base.mean() * horizon
        if forecast > 0:
            out.append(ahead.sum() / forecast)
    return np.asarray(out)


def _repeat_last(days: int) -> Callable[[np.ndarray, int, int, np.random.Generator], np.ndarray | None]:
    """Naive: the mean of the last `days` days repeated, its band from past windows' ratios."""

    def method(
        history: np.ndarray, horizon: int, n_paths: int, rng: np.random.Generator
    ) -> np.ndarray | None:
        base = history[-days:]
        if np.isnan(base).all():
            return None
        ratios = _window_ratios(history, horizon, days)
        if len(ratios) < 5:
            ratios = np.ones(1)
        drawn = rng.choice(ratios, size=n_paths)
        return np.repeat((np.nanmean(base) * drawn)[:, None], horizon, axis=1)

    return method


def _iid(history: np.ndarray, horizon: int, n_paths: int, rng: np.random.Generator) -> np.ndarray | None:
    """Naive: days drawn one by one, uniformly, from the last year."""
    pool = history[-POOL_DAYS:]
    pool = pool[~np.isnan(pool)]
    return None if len(pool) < MIN_HISTORY_DAYS else rng.choice(pool, size=(n_paths, horizon))


def _blocks7(history: np.ndarray, horizon: int, n_paths: int, rng: np.random.Generator) -> np.ndarray | None:
    """Naive: 7-day blocks drawn uniformly from the last year (weekday kept, no level, no recency)."""
    pool = history[-POOL_DAYS:]
    blocks = weekday_blocks(~np.isnan(pool), half_life=1e9)
    return None if blocks is None else pool[blocks.sample(horizon, n_paths, rng)]


NAIVE_METHODS: dict[str, Callable[[np.ndarray, int, int, np.random.Generator], np.ndarray | None]] = {
    "last_28_days": _repeat_last(28),
    "seasonal_naive": _repeat_last(BLOCK_DAYS),
    "iid_bootstrap": _iid,
    "block_bootstrap_7": _blocks7,
}


# ---------------------------------------------------------------------------------------------
# Any goal metric, through the goal's own simulation on the baseline as it was


def realised(baseline: Baseline, metric: str, at: int, horizon: int) -> float | None:
    """What the goal metric's future part really was over the `horizon` days after day `at`
    (None when the data does not hold it): likes, followers gained, a rate, likes per video."""
    b, kind = baseline, goal_metric(metric).kind
    window = slice(at + 1, at + 1 + horizon)
    if kind is GoalKind.COUNT:
        part = b.likes[window]
        return None if np.isnan(part).any() else float(part.sum())
    if kind is GoalKind.LEVEL:
        now, then = b.follower_level(at + horizon), b.follower_level(at)
        return None if np.isnan(now) or np.isnan(then) else now - then
    if kind is GoalKind.RATE:
        usable = b.usable(metric)[window]
        if not usable.all():
            return None
        top = b.likes[window] + (0 if metric == "like_rate" else b.comments[window] + b.shares[window])
        views = float(b.views[window].sum())
        return float(top.sum()) / views if views > 0 else None
    posted = (b.video_day > at) & (b.video_day <= at + horizon) & ~np.isnan(b.video_likes)
    return float(b.video_likes[posted].mean()) if posted.any() else None


def goal_cuts(
    baseline: Baseline,
    metric: str,
    horizon: int,
    *,
    step: int = STEP_DAYS,
    min_history: int = MIN_CUT_HISTORY,
    n_paths: int = 400,
    seed: int = 0,
) -> list[Cut]:
    """Past projections of a goal metric's future part: at each cut, a goal window of `horizon`
    days starting the next day, simulated from the baseline as it was (`Baseline.truncated`)."""
    out = []
    for at in _cut_days(baseline.n_days, horizon, step, min_history):
        outcome = realised(baseline, metric, at, horizon)
        if outcome is None:
            continue
        past = baseline.truncated(at)
        assert past.as_of is not None
        sim = simulate_raw(
            past,
            metric,
            past.as_of + timedelta(days=1),
            past.as_of + timedelta(days=horizon),
            n_paths=n_paths,
            seed=seed,
        )
        if sim is None:
            continue
        future = sim.future_part()[:, -1]
        if not np.isfinite(future).any():
            continue
        out.append(make_cut(at, horizon, outcome, future))
    return out


# ---------------------------------------------------------------------------------------------
# Reports


@dataclass(frozen=True)
class HorizonScore:
    """Coverage (0..1) and mean interval score of one method at one horizon, over `cuts` cuts."""

    days: int
    cuts: int
    coverage: float | None
    interval_score: float | None
    below: float | None = None  # share of outcomes under the band
    baselines: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "days": self.days,
            "cuts": self.cuts,
            "coverage": self.coverage,
            "interval_score": self.interval_score,
            "below": self.below,
        }
        if self.baselines:
            out["baselines"] = self.baselines
        return out


def _score(cuts: list[Cut]) -> tuple[float | None, float | None, float | None]:
    if not cuts:
        return None, None, None
    coverage = float(np.mean([c.held for c in cuts]))
    score = float(np.mean([interval_score(c.low, c.high, c.outcome) for c in cuts]))
    below = float(np.mean([c.outcome < c.low for c in cuts]))
    return coverage, score, below


def backtest_series(
    series: np.ndarray, horizon: int = 28, *, signed: bool = False, naive: bool = True, **options: Any
) -> HorizonScore:
    """Backtest the projection of a daily series at one horizon, beside the naive methods: each
    cut's band calibrated as the app would have calibrated it then (out of sample)."""
    own = calibrated(series_cuts(series, horizon, signed=signed, **options), horizon)
    coverage, score, below = _score(own)
    baselines: dict[str, dict[str, float | None]] = {}
    if naive:
        for name, method in NAIVE_METHODS.items():
            c, s, _ = _score(series_cuts(series, horizon, signed=signed, method=method, **options))
            baselines[name] = {"coverage": c, "interval_score": s}
    return HorizonScore(horizon, len(own), coverage, score, below, baselines)


@dataclass(frozen=True)
class BacktestReport:
    """A metric's backtest at several horizons (the command line's `backtest --json`)."""

    metric: str
    horizons: tuple[HorizonScore, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "horizons": [h.to_dict() for h in self.horizons]}


SERIES = ("likes", "views", "followers")


def backtest(
    baseline: Baseline, metric: str = "likes", horizons: tuple[int, ...] = HORIZONS, **options: Any
) -> BacktestReport:
    """Backtest an account's daily likes, views or followers at each horizon, beside the naive
    methods. Example: `backtest(load_baseline(store), "likes", (28,)).horizons[0].coverage`."""
    if metric not in SERIES:
        raise ValueError(f"Backtests run on {', '.join(SERIES)}, not {metric!r}.")
    series = baseline.follower_gains() if metric == "followers" else getattr(baseline, metric)
    scores = tuple(backtest_series(series, h, signed=metric == "followers", **options) for h in horizons)
    return BacktestReport(metric, scores)


def daily_series(daily: pd.DataFrame, column: str) -> np.ndarray:
    """One account's `daily` table column as a calendar-complete array (NaN = missing day);
    followers become daily gains."""
    frame = daily.sort_values("date")
    days = pd.to_datetime(frame["date"]).dt.normalize()
    index = pd.date_range(days.min(), days.max(), freq="D")
    values = pd.Series(as_floats(frame[column]), index=days).groupby(level=0).max().reindex(index)
    series = values.to_numpy(dtype=float)
    return np.diff(series, prepend=np.nan) if column == "followers" else series
