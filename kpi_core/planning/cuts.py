"""One past projection of a backtest: when it was made, what it said, what really happened."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from kpi_core.planning.blocks import BAND

__all__ = ["ALPHA", "Cut", "interval_score", "make_cut", "whole_band"]

ALPHA = round(1 - (BAND[1] - BAND[0]), 9)  # 0.2: the band is the central 80 %


@dataclass(frozen=True)
class Cut:
    """One past projection: made on day `at` (an index), for the `horizon` days after it."""

    at: int
    horizon: int
    outcome: float
    low: float
    median: float
    high: float
    pit: float = 0.5  # the share of simulated outcomes below the real one (ties count half)
    grid: tuple[float, ...] = ()  # the simulated outcomes' percentiles 0, 1, ..., 100
    start: int = 0  # the first day of the regime the projection read (bootstrap.regime_start)
    whole: bool = False  # the outcomes are counts: the band's ends are whole numbers, taken outwards

    def with_band(self, low_level: float, high_level: float) -> Cut:
        """The same cut with its band at other quantile levels of its simulations (calibration)."""
        low, high = self.quantile(low_level), self.quantile(high_level)
        if self.whole:
            low, high = whole_band(low, high)
        return replace(self, low=low, high=high)

    def quantile(self, level: float) -> float:
        """The simulated outcomes' `level` quantile (0..1), read off the percentile grid."""
        return float(np.interp(level * 100, np.arange(len(self.grid)), self.grid))

    @property
    def held(self) -> bool:
        return self.low <= self.outcome <= self.high


def whole_band(low: float, high: float) -> tuple[float, float]:
    """A band of counts in whole numbers, taken outwards: a band of 0.4 to 19.6 likes is 0 to 20,
    as the page shows it, and holds an outcome of 0."""
    return float(np.floor(low + 1e-9)), float(np.ceil(high - 1e-9))


def interval_score(low: float, high: float, outcome: float, alpha: float = ALPHA) -> float:
    """Winkler's interval score of a (1 - alpha) band: its width plus 2/alpha times the miss.

    >>> interval_score(90, 110, 100), interval_score(90, 110, 120)  # the 80% band: 20 + 10 x 10
    (20.0, 120.0)
    """
    miss = max(low - outcome, 0.0) + max(outcome - high, 0.0)
    return float(high - low + 2 / alpha * miss)


def make_cut(
    at: int, horizon: int, outcome: float, totals: np.ndarray, start: int = 0, *, whole: bool = False
) -> Cut:
    """A past projection from its simulated outcomes (`totals`) and what really happened; `start`
    is the first day of the regime its history was read from; `whole` when the metric is a count."""
    ok = totals[np.isfinite(totals)]
    low, mid, high = (float(v) for v in np.quantile(ok, (BAND[0], 0.5, BAND[1])))
    if whole:
        low, high = whole_band(low, high)
    pit = (float(np.sum(ok < outcome)) + 0.5 * float(np.sum(ok == outcome))) / len(ok)
    grid = tuple(float(v) for v in np.quantile(ok, np.linspace(0, 1, 101)))
    return Cut(at, horizon, outcome, low, mid, high, pit, grid, start, whole)
