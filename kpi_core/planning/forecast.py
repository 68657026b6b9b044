"""The projection every goal reads: simulated futures calibrated on the account's own past.

`simulate` runs the raw simulation (simulation.py), backtests the same kind of projection on the
account's history at the goal's horizon (backtest.py), rescales the simulated futures so that
past bands would have held 8 in 10 outcomes (calibration.py), and attaches the band's track
record and, where the band's top goes far beyond anything the account did, the reason. `project`
is the same for one target.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np

from kpi_core.metrics.findings import whole_percent
from kpi_core.metrics.goal_metrics import GoalKind, goal_metric
from kpi_core.planning.backtest import goal_cuts, series_cuts
from kpi_core.planning.baseline import Baseline
from kpi_core.planning.blocks import N_PATHS, VIRAL_DAY
from kpi_core.planning.bootstrap import current_regime
from kpi_core.planning.calibration import Calibration, calibrate
from kpi_core.planning.goals import Goal
from kpi_core.planning.projection import Projection, not_enough
from kpi_core.planning.simulation import Simulation, simulate_raw

__all__ = ["FAR_ABOVE_BEST", "band_caution", "calibration_for", "project", "simulate"]

FAR_ABOVE_BEST = 10  # a band's top above 10x the best past window of its length gets a reason


def calibration_for(baseline: Baseline, metric: str, horizon: int, *, seed: int = 0) -> Calibration:
    """How a projection of `metric` at `horizon` days did on this account's past, and how its band
    is rescaled (count and followers goals backtest their daily series; others the goal itself)."""
    kind = goal_metric(metric).kind
    if kind is GoalKind.COUNT:
        likes = np.where(baseline.usable(metric), baseline.likes, np.nan)
        cuts = series_cuts(likes, horizon, seed=seed)
        return calibrate(cuts, horizon, since=current_regime(likes))
    if kind is GoalKind.LEVEL:
        cuts = series_cuts(baseline.follower_gains(), horizon, signed=True, seed=seed)
    else:
        cuts = goal_cuts(baseline, metric, horizon, seed=seed)
    return calibrate(cuts, horizon)


def _calibrated_paths(sim: Simulation, cal: Calibration) -> dict[str, np.ndarray]:
    """The simulation's paths with their future part rescaled by `cal`."""
    kind = goal_metric(sim.metric).kind
    future = sim.future_part()
    adjusted = cal.apply(future)
    paths = dict(sim.paths)
    if kind is GoalKind.COUNT:
        paths["likes"] = adjusted
    elif kind is GoalKind.LEVEL:
        paths["gain"] = adjusted
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(future > 0, adjusted / future, 1.0)
        ratio = np.nan_to_num(ratio, nan=1.0)
        for key in ("likes", "cs") if kind is GoalKind.RATE else ("video_likes",):
            paths[key] = sim.paths[key] * ratio
    return paths


def band_caution(baseline: Baseline, sim: Simulation, horizon: int) -> str:
    """Why a count band's top is far above the account's best past window, when it is. With less
    history than the goal's window, the best window is the best pace over all of it, times the
    goal's days."""
    if goal_metric(sim.metric).kind is not GoalKind.COUNT or horizon < 1:
        return ""
    known = baseline.likes[~np.isnan(baseline.likes)]
    if len(known) == 0 or sim.future_part().size == 0:
        return ""
    span = min(horizon, len(known))
    best = float(np.convolve(known, np.ones(span), "valid").max()) * horizon / span
    top = float(np.nanquantile(sim.future_part()[:, -1], 0.9))
    if best <= 0 or top <= FAR_ABOVE_BEST * best:
        return ""
    median = float(np.median(known))
    viral = known > VIRAL_DAY * max(median, 1.0)
    windows = np.convolve(viral.astype(float), np.ones(span), "valid") > 0
    share = float(windows.mean())
    if span < horizon:
        best_words = (
            f"what your best pace so far would give in {horizon} days ({best / horizon:,.0f} likes a "
            f"day over your {len(known)} days)"
        )
    else:
        best_words = f"your best past {horizon}-day window ({best:,.0f} likes)"
    if share > 0:
        why = (
            f"{whole_percent(share)} of your past {span}-day windows held a viral day (over {VIRAL_DAY} times "
            "your median day), and the band allows for another"
        )
    else:
        why = (
            f"with {len(known)} days of history, the band allows for your level to keep moving "
            f"over the next {horizon} days as much as it moved in them"
        )
    return f"The band's top is {top / best:,.0f} times {best_words}: {why}."


def simulate(
    baseline: Baseline, metric: str, start: date, deadline: date, *, n_paths: int = N_PATHS, seed: int = 0
) -> Simulation | None:
    """Simulated futures of `metric` to `deadline`, calibrated on the account's history (None:
    not enough history). Example: `simulate(b, "likes", start, deadline).projection(30_000)`."""
    sim = simulate_raw(baseline, metric, start, deadline, n_paths=n_paths, seed=seed)
    if sim is None or not sim.dates:
        return sim
    horizon = len(sim.dates)
    cal = calibration_for(baseline, metric, horizon, seed=seed)
    calibrated = dataclasses.replace(sim, paths=_calibrated_paths(sim, cal), track_record=cal.sentence())
    return dataclasses.replace(calibrated, caution=band_caution(baseline, calibrated, horizon))


def project(goal: Goal, baseline: Baseline, *, n_paths: int = N_PATHS, seed: int = 0) -> Projection:
    """Project `goal` to its deadline from `baseline`.

    Example: a constant 100 likes a day, 10 days into a 30-day goal of 2,500 likes, gives
    expected ~3,000, a narrow band and a probability of ~1.
    """
    sim = simulate(baseline, goal.metric, goal.start, goal.deadline, n_paths=n_paths, seed=seed)
    if sim is None:
        return not_enough(goal.metric, goal.target, baseline)
    return sim.projection(goal.target)
