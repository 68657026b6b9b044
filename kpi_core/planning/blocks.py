"""Blocks of days: where 7-day blocks of an account's own days may start, how likely each is
(recency weights, bursts drawn as often as they are likely), and the spread of the level they are
laid around. Pure numpy; bootstrap.py lays the blocks around the account's level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "BAND",
    "BLOCK_DAYS",
    "BURST_PRIOR_SHARE",
    "BURST_PRIOR_WEEKS",
    "DRIFT_WINDOW_DAYS",
    "HALF_LIFE_DAYS",
    "MIN_DRIFT",
    "N_PATHS",
    "POOL_DAYS",
    "VIDEO_DRIFT",
    "VIRAL_DAY",
    "Blocks",
    "burst_days",
    "level_sigma",
    "log_var",
    "totals",
    "weekday_blocks",
]

N_PATHS = 2000
BLOCK_DAYS = 7
POOL_DAYS = 365  # the bootstrap draws from at most the last year
HALF_LIFE_DAYS = 63  # recency weight of a block halves every 9 weeks
DRIFT_WINDOW_DAYS = 28  # month-to-month variability; weeks when the pool is shorter than 84 days
MIN_DRIFT = 0.005  # floor of the level drift, per sqrt(day)
VIDEO_DRIFT = 0.01  # level drift of per-video likes, per sqrt(day)
BAND = (0.10, 0.90)  # the 80 % band
VIRAL_DAY = 10  # a day above 10x its usual level (the median of the days around it) starts a burst
BURST_TAIL = 2  # ... and the days after it above twice their usual level belong to its burst
BURST_PRIOR_SHARE = 0.05  # one week in twenty holds a burst day, before the account's own history says more
BURST_PRIOR_WEEKS = 26  # ... weighed as half a year of weeks


@dataclass(frozen=True, eq=False)
class Blocks:
    """Where 7-day blocks may start in a pool, and how likely each start is."""

    starts: np.ndarray  # positions in `positions`
    weights: np.ndarray  # sum to 1
    ages: np.ndarray  # days between a block's start and the end of the pool
    positions: np.ndarray  # pool positions the blocks index (all days, or only the valid ones)

    def with_burst_share(self, burst_days: np.ndarray) -> Blocks:
        """These blocks with the blocks that hold a burst day (`burst_days`, by pool position)
        drawn as often as bursts are likely, not as often as the pool happens to hold them: the
        pool's share of burst blocks shrunk towards BURST_PRIOR_SHARE, as if BURST_PRIOR_WEEKS
        weeks of other accounts' history stood beside the account's own (a beta-binomial
        estimate). A download taken because of a burst holds it in half its weeks; a year of
        history keeps nearly its own frequency."""
        has_burst = np.array([burst_days[self.positions[s : s + BLOCK_DAYS]].any() for s in self.starts])
        share = float(self.weights[has_burst].sum())
        if not has_burst.any() or share >= 1.0:
            return self
        weeks = len(np.unique(self.positions)) / BLOCK_DAYS
        wanted = (share * weeks + BURST_PRIOR_SHARE * BURST_PRIOR_WEEKS) / (weeks + BURST_PRIOR_WEEKS)
        weights = np.where(
            has_burst, self.weights * wanted / share, self.weights * (1 - wanted) / (1 - share)
        )
        return Blocks(self.starts, weights / weights.sum(), self.ages, self.positions)

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


def burst_days(residuals: np.ndarray) -> np.ndarray:
    """Days of a burst: a day above VIRAL_DAY times its usual level (the median of the days around
    it), and the days after it that stay above BURST_TAIL times it (a burst fades over days)."""
    r = np.nan_to_num(np.asarray(residuals, dtype=float))
    out = r > math.log(VIRAL_DAY)
    for i in range(1, len(r)):
        out[i] |= out[i - 1] and r[i] > math.log(BURST_TAIL)
    return out
