"""Backtest of the projection bands: are the 80 % bands right 80 % of the time?

Cut a daily history at many points, project the next `horizon` days from the data before the
cut only (the same bootstrap as projection.py), and count how often the realised total falls
inside the 80 % band. Coverage near 0.8 means the bands are honest; well below means
over-confident, well above means needlessly wide.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.planning.baseline import MIN_HISTORY_DAYS, as_floats
from kpi_core.planning.bootstrap import BAND, daily_total_paths

__all__ = ["BacktestResult", "backtest", "backtest_series"]

DEFAULT_STEP_DAYS = 7
DEFAULT_MIN_HISTORY_DAYS = 56


@dataclass(frozen=True)
class BacktestResult:
    """Coverage (fraction 0..1 of cuts whose outcome fell inside the band), misses below and
    above, the number of cuts, the horizon in days and the mean absolute percentage error of
    the median (a fraction: 0.2 is 20 %; None when every outcome was 0)."""

    coverage: float | None
    below: float | None
    above: float | None
    n_cuts: int
    horizon: int
    mape: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def backtest_series(
    values: np.ndarray,
    horizon: int = 28,
    *,
    step: int = DEFAULT_STEP_DAYS,
    min_history: int = DEFAULT_MIN_HISTORY_DAYS,
    n_paths: int = 1000,
    seed: int = 0,
) -> BacktestResult:
    """Backtest on one calendar-complete daily series (NaN = missing day).

    Cuts every `step` days once `min_history` days are behind the cut; cuts whose outcome window
    misses a day are skipped. Example: backtest_series(likes, 28).coverage -> 0.8 when honest.
    """
    x = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    inside, below, above, errors = [], [], [], []
    for cut in range(max(min_history, MIN_HISTORY_DAYS), len(x) - horizon + 1, step):
        outcome = x[cut : cut + horizon]
        if np.isnan(outcome).any():
            continue
        paths = daily_total_paths(x[:cut], horizon, n_paths=n_paths, seed=rng)
        if paths is None:
            continue
        totals = paths.sum(axis=1)
        low, mid, high = np.quantile(totals, (BAND[0], 0.5, BAND[1]))
        real = float(outcome.sum())
        inside.append(low <= real <= high)
        below.append(real < low)
        above.append(real > high)
        if real > 0:
            errors.append(abs(mid - real) / real)
    n = len(inside)

    def share(flags: list[bool]) -> float | None:
        return float(np.mean(flags)) if flags else None

    return BacktestResult(
        share(inside), share(below), share(above), n, horizon, float(np.mean(errors)) if errors else None
    )


def backtest(daily: pd.DataFrame, column: str = "likes", horizon: int = 28, **options: Any) -> BacktestResult:
    """Backtest the projection of a daily count (`likes`, `views`, ... or `followers` gains).

    `daily` is one account's `daily` table; days it lacks count as missing. Example:
    `backtest(store.table("daily"), "likes", 28).coverage`.
    """
    frame = daily.sort_values("date")
    days = pd.to_datetime(frame["date"]).dt.normalize()
    values = as_floats(frame[column])
    index = pd.date_range(days.min(), days.max(), freq="D")
    series = pd.Series(values, index=days).groupby(level=0).max().reindex(index).to_numpy(dtype=float)
    if column == "followers":
        series = np.diff(series, prepend=np.nan)
    return backtest_series(series, horizon, **options)
