"""Targets offered from the account's own history: conservative, realistic and stretch."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from kpi_core.metrics.registry import GoalKind, goal_metric
from kpi_core.planning.baseline import Baseline
from kpi_core.planning.bootstrap import N_PATHS
from kpi_core.planning.simulation import simulate

__all__ = ["SUGGESTION_QUANTILES", "SuggestedTarget", "suggested_targets"]


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
    kind = goal_metric(metric).kind
    if kind is GoalKind.RATE:
        step = 0.001
    else:
        spread = max(values["stretch"] - values["conservative"], abs(values["realistic"]) * 0.01, 1e-9)
        step = max(10 ** math.floor(math.log10(spread)) / 10, 1.0)
    out = []
    for name, value in values.items():
        target = max(_nice(value, step), step)
        if kind is GoalKind.RATE:
            target = min(round(target, 3), 1.0)
        out.append(SuggestedTarget(name, target, float(np.mean(finals >= target))))
    return out
