"""Per-account calibration of the projection band, and its track record on the account's history.

Before a goal is projected, its own kind of projection is backtested on the account's history at
the goal's horizon (backtest.py: cuts every 7 days). Each past cut says where the real outcome
fell among its simulated outcomes: its PIT, the share of simulations below it. An honest method
has PITs spread evenly over 0..1, so 80 % of them between 0.1 and 0.9. The calibrated band takes
the simulated outcomes' quantiles at the levels where this account's past PITs put their 10th,
50th and 90th percentiles (a quantile recalibration: too narrow bands widen, too wide ones
narrow, a middle that kept overshooting moves down), never beyond what was simulated.

While few past windows are known, those levels are shrunk towards a prior: where the method's
PITs fall on many accounts at that horizon (tests/test_backtest_shapes.py), which widens
the band as the horizon grows. With fewer than MIN_WINDOWS windows the prior alone sets the band,
and the page says so. After a step in the account's level (bootstrap.regime_start) only windows
projected since the step count: the ones before it measured bands drawn for another account.

The track record is out of sample: each past window is judged by the calibration made from the
windows that had ended before it (as adaptive conformal inference does), so "this band held 11
of 14 past 28-day windows" says how the method did, not how well it fits what it was fitted on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kpi_core.metrics.findings import plural
from kpi_core.planning.blocks import BAND
from kpi_core.planning.bootstrap import weighted_quantiles
from kpi_core.planning.cuts import Cut

__all__ = [
    "MIN_WINDOWS",
    "PRIOR_DAYS",
    "PRIOR_WINDOWS",
    "Calibration",
    "calibrate",
    "calibrated",
    "prior_levels",
]

MIN_WINDOWS = 6  # past windows needed before the account's own PITs count
PRIOR_WINDOWS = 12  # the prior weighs as much as 12 of the account's own windows
CUT_DAYS = 7  # past windows are cut every 7 days (backtest.STEP_DAYS)
HALF_LIFE_WINDOWS = 13  # a past window's weight halves every 13 windows back (a quarter at 7-day cuts)
PRIOR_DAYS = 40  # the prior's tail level falls as exp(-horizon / 40): wider bands further ahead
MIN_TAIL = 0.01  # ... down to the 1st and 99th percentiles: beyond them lie a handful of futures


def prior_levels(horizon: int) -> tuple[float, float, float]:
    """The quantile levels (low, middle, high) a band takes before any account history: 0.1, 0.5
    and 0.9 moved towards the tails as the horizon grows (exp(-horizon / 40), chosen on the
    backtest; wider than where the method's pooled PITs fall at 56 days and more, for the
    reason the page states: the account's own windows are too few to say)."""
    tail = max(BAND[0] * math.exp(-horizon / PRIOR_DAYS), MIN_TAIL)
    return tail, 0.5, 1 - tail


def _levels(pits: list[float], horizon: int) -> tuple[float, float, float]:
    """The band's quantile levels from past PITs (oldest first), shrunk towards the prior.

    Recent windows weigh more (their weight halves every HALF_LIFE_WINDOWS windows back), as in
    conformal prediction for series that drift (Barber et al. 2023, nonexchangeable conformal):
    an account whose projections lately undershoot moves its band sooner than a year of older
    windows would let it."""
    prior = prior_levels(horizon)
    n = len(pits)
    if n < MIN_WINDOWS:
        return prior
    weights = 0.5 ** (np.arange(n)[::-1] / HALF_LIFE_WINDOWS)
    n_eff = float(weights.sum() ** 2 / np.sum(weights**2))
    # The finite-sample correction of split conformal prediction: a band between two of n past
    # PITs holds on average the share of the n + 1 gaps around them that it spans, so its ends
    # sit (n + 1) / n further out than the nominal levels.
    # Windows longer than the 7 days between cuts overlap, and overlapping windows miss together,
    # so they count as fewer: n_eff x sqrt(7 / horizon) + 1. (Independent sums would count as
    # n x 7 / horizon; the square root, milder, was chosen on the backtest, where the linear
    # count widened the 56-day bands past 92 % on some accounts.)
    apart = n_eff * math.sqrt(min(1.0, CUT_DAYS / horizon)) + 1
    half = (BAND[1] - BAND[0]) / 2 * (apart + 1) / apart
    outer = (0.5 - half, 0.5, 0.5 + half)
    own = weighted_quantiles(np.asarray(pits, dtype=float), weights, np.clip(outer, 0.0, 1.0))
    w = n_eff / (n_eff + PRIOR_WINDOWS)
    low, mid, high = (w * float(o) + (1 - w) * p for o, p in zip(own, prior, strict=True))
    return min(low, mid - 1e-3), mid, max(high, mid + 1e-3)


@dataclass(frozen=True)
class Calibration:
    """The quantile levels of a projection's band at one horizon, and how such bands did.

    `levels` are the raw simulations' quantile levels that become the band's low end, middle and
    high end; `windows` past windows set them; `held` of `checked` past windows fell inside the
    band the method drew for them at the time (None when none could be checked).
    """

    horizon: int
    levels: tuple[float, float, float]
    windows: int
    held: int | None
    checked: int

    @property
    def enough(self) -> bool:
        return self.windows >= MIN_WINDOWS

    def apply(self, future: np.ndarray) -> np.ndarray:
        """Recalibrate simulated futures (n_paths, days): each path keeps its rank on each day,
        and takes the raw value at the rank's calibrated level (piecewise linear through the
        levels), so the new 10th, 50th and 90th percentiles are the raw ones at `levels`. A path
        without a value on a day (NaN: a rate before any view, likes per video before any video)
        stays without one, and the levels are those of the paths that have one."""
        if future.size == 0:
            return future
        low, mid, high = self.levels
        # One row a day, so that each day's paths sort in contiguous memory; one sort gives both
        # the order and, inverted, each path's rank (16 -> 11 ms for 2,000 paths of 97 days).
        by_day = np.ascontiguousarray(future.T)
        order = np.argsort(by_day, axis=1)  # NaN last
        days = np.arange(by_day.shape[0])[:, None]
        ranks = np.empty_like(order)
        ranks[days, order] = np.arange(future.shape[0])[None, :]
        known = np.maximum(np.count_nonzero(~np.isnan(by_day), axis=1), 1)[:, None]
        target = np.interp(
            (ranks + 0.5) / known, (0.0, BAND[0], 0.5, BAND[1], 1.0), (0.0, low, mid, high, 1.0)
        )
        ordered = np.take_along_axis(by_day, order, axis=1)
        positions = np.clip(target * known - 0.5, 0, known - 1)
        below = np.floor(positions).astype(int)
        above = np.minimum(below + 1, known - 1)
        frac = positions - below
        values = ordered[days, below] * (1 - frac) + ordered[days, above] * frac
        return np.ascontiguousarray(np.where(np.isnan(by_day), np.nan, values).T)

    def sentence(self) -> str:
        """The band's track record in words, for the Goals and What-if pages."""
        span = f"{self.horizon}-day window"
        if not self.enough:
            have = f"no past {span}s" if self.windows == 0 else f"only {plural(self.windows, 'past ' + span)}"
            return (
                f"Your history holds {have} to check this band against (at least "
                f"{MIN_WINDOWS} are needed), so it is as wide as on accounts in general at this horizon."
            )
        if self.held is None:
            return f"Calibrated on {self.windows} past {span}s of your own history."
        return (
            f"On your own history, this band held {self.held} of {plural(self.checked, 'past ' + span)} "
            f"(calibrated on {self.windows} of them to hold 8 in 10)."
        )


def calibrated(cuts: list[Cut], horizon: int) -> list[Cut]:
    """Each past cut with the band the method drew for it at the time: calibrated on the windows
    that had ended before it (the prior alone while there were too few)."""
    out = []
    for i, cut in enumerate(cuts):
        # Windows ended by then, projected from within the regime the cut read (a window projected
        # before a dormant account started posting says nothing about the bands after).
        known = [c.pit for c in cuts[:i] if c.at + c.horizon <= cut.at and c.at >= cut.start]
        low, _, high = _levels(known, horizon)
        out.append(cut.with_band(low, high))
    return out


def calibrate(cuts: list[Cut], horizon: int, since: int = 0) -> Calibration:
    """The calibration for a projection at `horizon` from its past `cuts` (oldest first), with
    its out-of-sample track record (`calibrated`); only cuts made from day `since` on (the
    current regime, `bootstrap.current_regime`) set the levels."""
    judged = calibrated(cuts, horizon)
    held = sum(c.held for c in judged)
    own = [c.pit for c in cuts if c.at >= since]
    return Calibration(horizon, _levels(own, horizon), len(own), held if judged else None, len(judged))
