"""The resampling core of every projection: 7-day blocks of the account's own days.

Blocks start on the same weekday as the days they fill (weekly seasonality and autocorrelation
survive) and are drawn from the last year with recency weights (half-life 63 days). One level
factor per simulated path adds the uncertainty of the recent mean and the drift of the level.
Pure numpy; see simulation.py for how a goal's metric is simulated with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kpi_core.planning.baseline import MIN_HISTORY_DAYS

__all__ = [
    "BAND",
    "BLOCK_DAYS",
    "DRIFT_WINDOW_DAYS",
    "HALF_LIFE_DAYS",
    "MIN_DRIFT",
    "N_PATHS",
    "POOL_DAYS",
    "VIDEO_DRIFT",
    "Blocks",
    "weekday_blocks",
    "daily_total_paths",
    "level_sigma",
    "log_var",
    "totals",
]

N_PATHS = 2000
BLOCK_DAYS = 7
POOL_DAYS = 365  # the bootstrap draws from at most the last year
HALF_LIFE_DAYS = 63  # recency weight of a block halves every 9 weeks
DRIFT_WINDOW_DAYS = 28  # month-to-month variability; weeks when the pool is shorter than 84 days
MIN_DRIFT = 0.005  # floor of the level drift, per sqrt(day)
VIDEO_DRIFT = 0.01  # level drift of per-video likes, per sqrt(day)
BAND = (0.10, 0.90)  # the 80 % band


@dataclass(frozen=True, eq=False)
class Blocks:
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


def weekday_blocks(valid: np.ndarray, half_life: float = HALF_LIFE_DAYS) -> Blocks | None:
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
    return Blocks(chosen, weights / weights.sum(), ages, positions)


def totals(top: np.ndarray, bottom: np.ndarray | None) -> np.ndarray:
    """Row totals (or ratios of row totals) of 2-D arrays, NaN-safe."""
    t = np.nansum(top, axis=-1)
    if bottom is None:
        return t
    b = np.nansum(bottom, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, t / b, np.nan)


def log_var(values: np.ndarray, ddof: int = 0) -> float:
    ok = np.isfinite(values) & (values > 0)
    logs = np.log(values[ok])
    return float(np.var(logs, ddof=ddof)) if len(logs) > ddof else 0.0


def level_sigma(
    top: np.ndarray, bottom: np.ndarray | None, blocks: Blocks, horizon: int, rng: np.random.Generator
) -> float:
    """Sigma of the log level factor: uncertainty of the recent mean plus drift over the horizon."""
    n = len(top)
    width = DRIFT_WINDOW_DAYS if n >= 3 * DRIFT_WINDOW_DAYS else BLOCK_DAYS
    m = n // width
    drift2 = MIN_DRIFT**2
    if m >= 3:
        cut = slice(n - m * width, n)
        windows = totals(
            top[cut].reshape(m, width), None if bottom is None else bottom[cut].reshape(m, width)
        )
        ok = np.isfinite(windows) & (windows > 0)
        if ok.sum() >= 3:
            between = float(np.var(np.diff(np.log(windows[ok])), ddof=1)) / 2
            idx = blocks.sample(width, 400, rng)
            within = log_var(totals(top[idx], None if bottom is None else bottom[idx]))
            drift2 = max(drift2, (between - within) / width)
    weeks = n // BLOCK_DAYS
    cut = slice(n - weeks * BLOCK_DAYS, n)
    weekly = totals(
        top[cut].reshape(weeks, BLOCK_DAYS),
        None if bottom is None else bottom[cut].reshape(weeks, BLOCK_DAYS),
    )
    mean_var = log_var(weekly, ddof=1) / max(blocks.effective_blocks, 1.0)
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
    blocks = weekday_blocks(valid)
    if blocks is None:
        return None
    idx = blocks.sample(horizon, n_paths, rng)
    sigma = level_sigma(pool, None, blocks, horizon, rng)
    factor = np.exp(sigma * rng.standard_normal(n_paths))
    return pool[idx] * factor[:, None]
