"""Simulated futures that follow the account's level: a robust weekly level and its trend
(`fit_level`), the step that starts the account's current regime (`regime_start`), the account's
past windows like today's (`analog_totals`), and 7-day blocks of its own days laid around the
level (`level_paths`; the blocks themselves are blocks.py's). Pure numpy; see simulation.py for
how a goal's metric is simulated with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from kpi_core.planning.baseline import MIN_HISTORY_DAYS
from kpi_core.planning.blocks import BLOCK_DAYS, MIN_DRIFT, N_PATHS, POOL_DAYS, burst_days, weekday_blocks

__all__ = [
    "LevelFit",
    "LevelPaths",
    "current_regime",
    "daily_total_paths",
    "fit_level",
    "level_paths",
    "regime_start",
    "weighted_quantiles",
]

# --- the level a series is at, and where it is heading ------------------------------------------

TREND_WEEKS = 12  # the trend is read off the last 12 weekly means
TREND_DAMPING = 0.985  # per day: a trend keeps 98.5 % of its pull each day (half of it after ~46 days)
LOCAL_DAYS = 21  # the "normal" level around a day: the median of 21 days around it
COUNT_OFFSET = 1.0  # counts are modelled as log(x + 1): a day with no likes is a real value
MAX_PERSISTENCE = 0.9  # how much of a burst may carry over from one day to the next
DRIFT_PRIOR = 0.001  # a variance per day, on the log scale: the level's wander on the backtest set
DRIFT_PRIOR_WEEKS = 16  # ... weighed as 16 weeks of the account's own


@dataclass(frozen=True, eq=False)
class LevelFit:
    """Where a daily series stands and where it heads, on its model scale (log(x + 1) for counts,
    the values themselves for signed series such as follower gains).

    `level` is the fitted value at the last day, `slope` its change per day, `slope_se` the
    slope's standard error, `level_se` the level's; `residuals` are each day's distance from the
    normal level around it (NaN on missing days) and `persistence` how much of a day's residual
    carries to the next (how fast bursts faded in this account's own history); `excess` is how
    far the last three days stand above the level (a burst in progress, else 0).
    """

    level: float
    slope: float
    slope_se: float
    level_se: float
    drift: float
    residuals: np.ndarray
    persistence: float
    excess: float
    signed: bool

    def to_model(self, values: np.ndarray) -> np.ndarray:
        return values if self.signed else np.log(np.maximum(values, 0.0) + COUNT_OFFSET)

    def from_model(self, values: np.ndarray) -> np.ndarray:
        return values if self.signed else np.maximum(np.exp(values) - COUNT_OFFSET, 0.0)

    def trend_path(self, horizon: int) -> np.ndarray:
        """The expected model-scale level on each of the next `horizon` days: the damped trend,
        plus what is left of a burst in progress."""
        t = np.arange(1, horizon + 1)
        damped = TREND_DAMPING * (1 - TREND_DAMPING**t) / (1 - TREND_DAMPING)
        return self.level + self.slope * damped + self.excess * self.persistence**t


def _theil_sen(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Median pairwise slope and the median intercept (a handful of weekly points: exact)."""
    i, j = np.triu_indices(len(x), k=1)
    slope = float(np.median((y[j] - y[i]) / (x[j] - x[i]))) if len(i) else 0.0
    return slope, float(np.median(y - slope * x))


def fit_level(history: np.ndarray, signed: bool = False) -> LevelFit | None:
    """The level and trend of a daily series (NaN = missing), robust to a burst: a Theil-Sen line
    through its last 12 weekly means. None with fewer than MIN_HISTORY_DAYS known days."""
    x = np.asarray(history, dtype=float)
    known = ~np.isnan(x)
    if known.sum() < MIN_HISTORY_DAYS:
        return None
    y = x if signed else np.log(np.maximum(x, 0.0) + COUNT_OFFSET)
    n = len(y)
    local = pd.Series(y).rolling(LOCAL_DAYS, center=True, min_periods=BLOCK_DAYS).median().to_numpy()
    residuals = np.where(known, y - local, np.nan)
    means, at = _weekly_means(y, known, n // BLOCK_DAYS)
    r = residuals[~np.isnan(residuals)]
    pairs = ~np.isnan(residuals[1:]) & ~np.isnan(residuals[:-1])
    persistence = 0.0
    if pairs.sum() >= 10 and np.std(r) > 0:
        a, b = residuals[1:][pairs], residuals[:-1][pairs]
        if np.std(a) * np.std(b) > 0:
            persistence = float(np.clip(np.corrcoef(a, b)[0, 1], 0.0, MAX_PERSISTENCE))
    # The noise of a weekly mean: the days' own scatter (robustly, so a burst does not set it),
    # inflated for their autocorrelation. Three or four weekly means can sit on a line by chance;
    # the level they give is never known more precisely than this noise allows.
    # (A small account's days sit mostly at their local median, where the robust spread is 0:
    # the plain variance stands in.)
    scatter = (_robust_var(r) or float(np.var(r))) if len(r) > 1 else 0.0
    noise = math.sqrt(scatter / BLOCK_DAYS * (1 + persistence) / (1 - persistence))
    recent_means, recent_at = means[-TREND_WEEKS:], at[-TREND_WEEKS:]
    ok = ~np.isnan(recent_means)
    if ok.sum() >= 3:
        slope, intercept = _theil_sen(recent_at[ok], recent_means[ok])
        spread = 1.4826 * float(np.median(np.abs(recent_means[ok] - (intercept + slope * recent_at[ok]))))
        centred = recent_at[ok] - recent_at[ok].mean()
        slope_se = spread / math.sqrt(float(np.sum(centred**2))) if np.sum(centred**2) > 0 else 0.0
        level_se = max(spread, noise) / math.sqrt(ok.sum())
        # A trend read off a few noisy weeks is mostly noise: it counts in proportion to how many
        # weeks stand behind it and how clearly it stands out of its own uncertainty.
        t2 = (slope / slope_se) ** 2 if slope_se > 0 else 0.0
        slope *= min(1.0, (ok.sum() - 2) / (TREND_WEEKS - 2)) * t2 / (t2 + 4)
        intercept = float(np.median(recent_means[ok] - slope * recent_at[ok]))  # the line through the weeks
    else:  # under three weeks: no trend to read, the level is the recent median
        slope, slope_se = 0.0, 0.0
        intercept = float(np.nanmedian(y[-BLOCK_DAYS * 2 :]))
        level_se = float(np.nanstd(y[known])) / math.sqrt(max(known.sum() / BLOCK_DAYS, 1.0))
    # How much the level itself wanders, per day, from the weekly means' variogram (`_wander`).
    # Under six weeks there is no estimate, and a few weeks more say little: for counts (log
    # scale) the estimate is shrunk towards what the backtest set's accounts showed (DRIFT_PRIOR,
    # a variance per day), weighed as DRIFT_PRIOR_WEEKS weeks. Signed series (follower gains, in
    # followers) have no such prior: their own estimate stands.
    own, weeks = _wander(means)
    own /= BLOCK_DAYS
    drift = own if signed else (weeks * own + DRIFT_PRIOR_WEEKS * DRIFT_PRIOR) / (weeks + DRIFT_PRIOR_WEEKS)
    level = intercept + slope * (n - 1)
    recent = y[-3:][~np.isnan(y[-3:])]
    excess = max(float(np.mean(recent)) - level, 0.0) if len(recent) else 0.0
    return LevelFit(
        level, slope, slope_se, level_se, max(drift, MIN_DRIFT**2), residuals, persistence, excess, signed
    )


def _robust_var(x: np.ndarray) -> float:
    return (1.4826 * float(np.median(np.abs(x - np.median(x))))) ** 2


def _row_robust_vars(rows: np.ndarray) -> np.ndarray:
    """`_robust_var` of each row's known values (NaN where none), the same floats for finite
    values: the medians of all rows at once (`_window_medians`), not two np.median calls a row."""
    centre, _ = _window_medians(rows)
    spread, _ = _window_medians(np.abs(rows - centre[:, None]))
    return np.array([(1.4826 * float(m)) ** 2 for m in spread])


def _wander(means: np.ndarray) -> tuple[float, int]:
    """The weekly variance of a random walk in the level, from weekly means (NaN: a week without
    enough days), and the number of weeks it stands on (0: no estimate).

    The slope of their variogram: the robust variance of changes m weeks apart grows by one week
    of wandering per week of lag, while a week's own noise, bursts included, counts the same at
    every lag. Lags up to 8 weeks and a third of the weeks; changes across a missing week are
    left out, not squeezed into a shorter lag. 0 (and 0 weeks) under six weeks of means."""
    known = int(np.sum(~np.isnan(means)))
    lags = np.arange(1, min(8, len(means) // 3) + 1)
    if known < 6 or len(lags) < 2:
        return 0.0, 0
    # One row of changes per lag (NaN past its end and across a missing week); their robust
    # variances at once: two medians per lag, at every backtest cut, were a tenth of a projection.
    changes = np.full((len(lags), len(means) - 1), np.nan)
    for row, m in enumerate(lags):
        changes[row, : len(means) - m] = means[m:] - means[:-m]
    enough = np.sum(~np.isnan(changes), axis=1) >= 3
    variances = np.where(enough, _row_robust_vars(changes), np.nan)
    ok = ~np.isnan(variances)
    if ok.sum() < 2:
        return 0.0, 0
    return max(float(np.polyfit(lags[ok], variances[ok], 1)[0]), 0.0), known


def _weekly_means(y: np.ndarray, known: np.ndarray, weeks: int) -> tuple[np.ndarray, np.ndarray]:
    """The mean of each of the last `weeks` 7-day blocks (ending on the last day; NaN with fewer
    than 4 known days) and the index of each block's middle day. `known` marks y's non-NaN days.

    One row of a weeks x 7 table per block: row by row, the same sums (and floats) as a mean of
    each block's known days."""
    n = len(y)
    ends = n - BLOCK_DAYS * np.arange(weeks)[::-1]
    blocks = y[n - BLOCK_DAYS * weeks :].reshape(weeks, BLOCK_DAYS)
    counts = known[n - BLOCK_DAYS * weeks :].reshape(weeks, BLOCK_DAYS).sum(axis=1)
    sums = np.where(np.isnan(blocks), 0.0, blocks).sum(axis=1)
    means = np.full(weeks, np.nan)
    enough = counts >= 4
    means[enough] = sums[enough] / counts[enough]
    return means, (ends - 1 - (BLOCK_DAYS - 1) / 2.0).astype(float)


def _window_medians(windows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's median of its known values (NaN where none) and how many it has: the floats
    np.median gives on the row's known values (the middle one, or the mean of the two middle)."""
    ordered = np.sort(windows, axis=1)  # NaN last
    counts = np.sum(~np.isnan(windows), axis=1)
    low = np.take_along_axis(ordered, np.maximum((counts - 1) // 2, 0)[:, None], axis=1)[:, 0]
    high = np.take_along_axis(ordered, np.maximum(counts // 2, 0)[:, None], axis=1)[:, 0]
    return np.where(counts > 0, (low + high) / 2, np.nan), counts


# --- regimes: where the account's present way of being began --------------------------------------

STEP_WEEKS = 8  # a step is judged on up to 8 weeks either side of it
STEP_JUMP = math.log(5)  # ... whose median weekly levels (log(x + 1)) differ fivefold or more
STEP_Z = 4.0  # ... by at least 4 standard errors of the weeks' own noise
STEP_AFTER = 2  # ... with at least two weeks of the new level behind the last day
STEP_BEFORE = 3  # ... and three of the old one before it


def regime_start(history: np.ndarray, signed: bool = False) -> int:
    """The first day (an index into `history`) of the account's current regime, 0 when the whole
    history is one: the start of the latest week where the weekly level of a count series stepped
    up or down at least fivefold and stayed there (a dormant account that starts posting, one that
    stops). A viral week falls back (every week after a step must stay on the new side of the
    midpoint), and a steady trend moves the level by little within 8 weeks. Signed series: 0."""
    x = np.asarray(history, dtype=float)
    weeks = len(x) // BLOCK_DAYS
    if signed or weeks < STEP_BEFORE + STEP_AFTER:
        return 0
    means, _ = _weekly_means(np.log(np.maximum(x, 0.0) + COUNT_OFFSET), ~np.isnan(x), weeks)
    changes = np.diff(means)
    changes = changes[~np.isnan(changes)]
    if len(changes) < STEP_BEFORE + STEP_AFTER - 1:
        return 0
    # Week-to-week changes of a level that holds are the weeks' noise, twice over; the step itself
    # is one change among many, so a median-based spread ignores it.
    noise = 1.4826 * float(np.median(np.abs(changes - np.median(changes)))) / math.sqrt(2)
    # Every candidate week s at once: the 8 weekly means before it and the 8 from it on.
    steps = np.arange(STEP_BEFORE, weeks - STEP_AFTER + 1)
    padded = np.concatenate([np.full(STEP_WEEKS, np.nan), means, np.full(STEP_WEEKS, np.nan)])
    around = np.lib.stride_tricks.sliding_window_view(padded, STEP_WEEKS)
    befores, afters = around[steps], around[steps + STEP_WEEKS]
    olds, n_before = _window_medians(befores)
    news, n_after = _window_medians(afters)
    middles = (olds + news) / 2
    with np.errstate(invalid="ignore"):
        above = np.all((afters > middles[:, None]) | np.isnan(afters), axis=1)
        below = np.all((afters < middles[:, None]) | np.isnan(afters), axis=1)
    stays = np.where(news > olds, above, below)
    ses = 1.2533 * noise * np.sqrt(1 / np.maximum(n_before, 1) + 1 / np.maximum(n_after, 1))  # medians: x1.25
    jumps = np.abs(news - olds)
    with np.errstate(divide="ignore", invalid="ignore"):
        zs = np.where(ses > 0, jumps / np.where(ses > 0, ses, 1.0), math.inf)
    judged = (n_before >= STEP_BEFORE) & (n_after >= STEP_AFTER)
    step = judged & stays & (jumps >= STEP_JUMP) & (zs >= STEP_Z)
    best: tuple[float, int] | None = None
    for k in range(len(steps) - 1, -1, -1):  # latest first: weeks s.. are new
        if not judged[k]:
            continue
        if step[k]:
            # Where in a run of step weeks the step lies: the split whose two sides' means differ
            # most for their sizes (a week of the new level counted on the old side pulls its
            # mean across, a median not).
            before, after = befores[k][~np.isnan(befores[k])], afters[k][~np.isnan(afters[k])]
            split = abs(float(after.mean() - before.mean())) / math.sqrt(1 / len(before) + 1 / len(after))
            if best is None or split > best[0]:
                best = (split, int(steps[k]))
        elif best is not None:  # the latest run of step weeks has ended
            break
    return 0 if best is None else len(x) - BLOCK_DAYS * (weeks - best[1])


def current_regime(history: np.ndarray, signed: bool = False) -> int:
    """The first day (an index into `history`) of the current regime (`regime_start`) within the
    last POOL_DAYS days; 0 when there was no step in them."""
    pool = np.asarray(history, dtype=float)[-POOL_DAYS:]
    return _in_history(len(history), len(pool), regime_start(pool, signed))


def _in_history(days: int, pool_days: int, first: int) -> int:
    """`first`, an index into the last `pool_days` of `days`, as an index into all of them (0 for 0)."""
    return days - pool_days + first if first > 0 else 0


# --- analogs: how windows like this one went in the account's own history -----------------------

ANALOG_DAYS = 730  # analog windows come from the last two years
LEVEL_DAYS = 28  # the level a window is measured against: the 28 days before it
TRIMMED_DAYS = 3  # ... without its 3 highest days, so a burst does not set the level
ANALOG_HALF_LIFE = 120  # an analog's weight halves every 120 days back
STATE_WIDTH = 0.5  # analogs whose last days stood as far above their level as today's count more
MIN_ANALOGS = 8  # effective analog windows needed; fewer: the level-following bootstrap alone
ANALOG_OFFSET = 0.5  # per day, so a level near zero does not make ratios explode


def _levels(x: np.ndarray, signed: bool) -> np.ndarray:
    """The level at each day: the mean of the 28 days up to it without their 3 highest (the
    median for signed series), NaN without 21 known days. All days at once, one row of a
    sliding 28-day table each: on whole numbers (the counts and follower gains it is given) the
    same floats as a day-by-day mean; a fractional series may differ in the last bit, its sums
    being added in another order."""
    n = len(x)
    out = np.full(n, np.nan)
    if n < LEVEL_DAYS:
        return out
    windows = np.lib.stride_tricks.sliding_window_view(x, LEVEL_DAYS)
    if signed:
        levels, counts = _window_medians(windows)
    else:
        ordered = np.sort(windows, axis=1)  # NaN last, the highest known days just before them
        counts = np.sum(~np.isnan(windows), axis=1)
        kept = np.arange(LEVEL_DAYS)[None, :] < (counts - TRIMMED_DAYS)[:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            levels = np.where(kept, ordered, 0.0).sum(axis=1) / (counts - TRIMMED_DAYS)
    out[LEVEL_DAYS - 1 :] = np.where(counts >= 21, levels, np.nan)
    return out


def _recent_excess(x: np.ndarray, levels: np.ndarray, signed: bool) -> np.ndarray:
    """How far each day's last three days stood above its level (the state analogs are matched on)."""
    recent = pd.Series(x).rolling(3, min_periods=2).mean().to_numpy()
    if signed:
        scale = np.nanstd(x) or 1.0
        return (recent - levels) / scale
    return np.log((recent + ANALOG_OFFSET) / (levels + ANALOG_OFFSET))


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Quantiles of weighted values: each value sits at the middle of its share of the weight."""
    order = np.argsort(values)
    v, w = values[order], weights[order]
    at = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(levels, at, v)


def analog_totals(
    history: np.ndarray, horizon: int, n_paths: int, rng: np.random.Generator, signed: bool = False
) -> np.ndarray | None:
    """Simulated totals of the next `horizon` days, from the account's own past windows of that
    length: each past window's total against the level before it (a ratio, or a difference for
    signed series), weighted by recency and by how much its starting state (a burst or not)
    resembles today's, applied to today's level. None with fewer than MIN_ANALOGS effective windows.
    """
    x = np.asarray(history, dtype=float)[-ANALOG_DAYS:]
    n = len(x)
    if n < LEVEL_DAYS + horizon + MIN_ANALOGS:
        return None
    levels = _levels(x, signed)
    excess = _recent_excess(x, levels, signed)
    csum = np.concatenate([[0.0], np.cumsum(np.nan_to_num(x))])
    gaps = np.concatenate([[0], np.cumsum(np.isnan(x))])
    starts = np.arange(LEVEL_DAYS - 1, n - horizon)
    complete = (gaps[starts + 1 + horizon] - gaps[starts + 1] == 0) & ~np.isnan(levels[starts])
    starts = starts[complete]
    if len(starts) == 0 or np.isnan(levels[-1]):
        return None
    per_day = (csum[starts + 1 + horizon] - csum[starts + 1]) / horizon
    if signed:
        change = per_day - levels[starts]
    else:
        change = (per_day + ANALOG_OFFSET) / (levels[starts] + ANALOG_OFFSET)
    weights = 0.5 ** ((n - 1 - starts) / ANALOG_HALF_LIFE)
    now = excess[-1]
    if np.isfinite(now):
        state = np.nan_to_num(excess[starts], nan=0.0)
        weights = weights * np.exp(-((state - now) ** 2) / (2 * STATE_WIDTH**2))
    if weights.sum() <= 0:
        return None
    weights = weights / weights.sum()
    effective = 1.0 / float(np.sum(weights**2))
    if effective < MIN_ANALOGS:
        return None
    drawn = rng.choice(change, size=n_paths, p=weights)
    # Smooth the analogs (a kernel of Silverman's width, with his robust spread: the smaller of
    # the SD and the interquartile range / 1.34, so a viral window does not widen the kernel
    # on both sides): a handful of past windows are a sample of what can happen, not a list of
    # the only outcomes possible.
    logged = change if signed else np.log(change)
    sd = math.sqrt(max(float(np.sum(weights * logged**2) - np.sum(weights * logged) ** 2), 0.0))
    q1, q3 = weighted_quantiles(logged, weights, np.array([0.25, 0.75]))
    spread = min(sd, float(q3 - q1) / 1.34) if q3 > q1 else sd
    width = 0.9 * spread * effective ** (-1 / 5)
    level = levels[-1]
    if signed:
        return horizon * (level + drawn + width * rng.standard_normal(n_paths))
    drawn = drawn * np.exp(width * rng.standard_normal(n_paths))
    return np.maximum(horizon * (drawn * (level + ANALOG_OFFSET) - ANALOG_OFFSET), 0.0)


class LevelPaths(NamedTuple):
    """What `level_paths` simulated, and from which days."""

    values: np.ndarray  # (n_paths, horizon) simulated daily values
    drawn: np.ndarray  # (n_paths, horizon) the positions in `pool` each simulated day was drawn from
    pool: np.ndarray  # the last POOL_DAYS days of the history
    regime: int  # the first day of the current regime, an index into the history (`current_regime`)


def level_paths(
    history: np.ndarray, horizon: int, n_paths: int, rng: np.random.Generator, *, signed: bool = False
) -> LevelPaths | None:
    """Simulated daily values for the `horizon` days after `history` that follow its level.

    Each path's daily shape is 7-day blocks of the account's own days, weekday-aligned and
    recency-weighted (weekly rhythm, spikes at their real frequency). Its total comes from the
    account's own past windows of the same length (`analog_totals`): how such windows went after
    a level like today's, in a state like today's (so a decline keeps declining, and a burst
    fades as bursts did). With too short a history for analogs, the total follows the damped
    trend of the weekly level (`LevelFit.trend_path`) with one level shock per path. After a step
    in the level (`regime_start`) only the days since the step are read. None under
    MIN_HISTORY_DAYS known days.
    """
    history = np.asarray(history, dtype=float)
    full = history[-POOL_DAYS:]
    first = regime_start(full, signed)
    since = _in_history(len(history), len(full), first)  # analogs reach back two years
    pool = full[first:]  # days before a step in the level describe another account
    fit = fit_level(pool, signed)
    if fit is None or horizon == 0:
        nothing = np.zeros((n_paths, 0))
        return None if fit is None else LevelPaths(nothing, nothing.astype(int), full, since)
    blocks = weekday_blocks(~np.isnan(fit.residuals))
    if blocks is None:
        return None
    if not signed:
        blocks = blocks.with_burst_share(burst_days(fit.residuals))
    idx = blocks.sample(horizon, n_paths, rng)
    effective = TREND_DAMPING * (1 - TREND_DAMPING**horizon) / (1 - TREND_DAMPING)
    sigma = math.sqrt(fit.level_se**2 + (fit.slope_se * effective) ** 2 + fit.drift * horizon / 3)
    shock = sigma * rng.standard_normal(n_paths)
    model = fit.trend_path(horizon)[None, :] + shock[:, None] + np.nan_to_num(fit.residuals[idx])
    values = fit.from_model(model)
    totals = analog_totals(history[since:], horizon, n_paths, rng, signed)
    if totals is not None:  # half the paths keep their own total, half take an analog's
        own = values.sum(axis=1)
        totals = np.where(np.arange(n_paths) % 2 == 0, totals, own)
        if signed:
            values = values + ((totals - values.sum(axis=1)) / horizon)[:, None]
        else:
            sums = values.sum(axis=1, keepdims=True)
            shape = np.where(sums > 0, values / np.where(sums > 0, sums, 1.0), 1.0 / horizon)
            values = shape * totals[:, None]
    return LevelPaths(values, idx + first, full, since)


def daily_total_paths(
    history: np.ndarray, horizon: int, *, n_paths: int = N_PATHS, seed: int | np.random.Generator = 0
) -> np.ndarray | None:
    """Simulated daily counts for the `horizon` days after `history` (NaN = missing day), following
    its level (`level_paths`). An (n_paths, horizon) array, or None when under MIN_HISTORY_DAYS
    usable days. Example: a constant 100 a day gives paths of (very nearly) 100 a day.
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    made = level_paths(history, horizon, n_paths, rng)
    return None if made is None else made.values
