"""Targets offered from the account's own history: conservative, realistic and stretch."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from kpi_core.metrics.goal_metrics import GoalKind, goal_metric
from kpi_core.planning.baseline import MIN_HISTORY_DAYS, Baseline
from kpi_core.planning.blocks import N_PATHS
from kpi_core.planning.forecast import simulate
from kpi_core.planning.simulation import Simulation
from kpi_core.planning.verdict import label_for, recent_pace

__all__ = [
    "SUGGESTION_PROBABILITIES",
    "SuggestedTarget",
    "default_metric",
    "default_target",
    "suggested_targets",
]


@dataclass(frozen=True)
class SuggestedTarget:
    """A target offered from the history, named by the achievability label it gets
    (verdict.LABELS), or "benchmark" for the published figure that fits the account, with its
    probability 0..1 of being reached."""

    name: str  # "realistic", "ambitious", "stretch", "benchmark"
    target: float
    probability: float


# Name -> the probability it aims at: the middle of the label's band, so that rounding the target
# to a readable number cannot move it into the next band.
SUGGESTION_PROBABILITIES = {"realistic": 0.8, "ambitious": 0.5, "stretch": 0.15}


def _nice(value: float, step: float) -> float:
    return float(round(value / step) * step) if step > 0 else value


def suggested_targets(
    baseline: Baseline,
    metric: str,
    start: date,
    deadline: date,
    *,
    simulation: Simulation | None = None,
    n_paths: int = N_PATHS,
    seed: int = 0,
    benchmark: float | None = None,
) -> list[SuggestedTarget]:
    """Realistic, ambitious and stretch targets: the outcomes reached with about an 80 %, 50 % and
    15 % chance, on the same simulated futures a goal on that window is projected with; then the
    `benchmark` (a published figure in the metric's unit, benchmarks.goal_benchmark) as a target of
    its own, with its chance on the same futures, when one applies.

    Targets are rounded to a readable step; each keeps its name only if, after rounding, its
    probability (`Projection.probability`) still gives that label (`verdict.label_for`), so a
    clicked suggestion is judged as it was offered. Empty when the history is too short. Example:
    for a steady 100 likes a day over 30 days, three targets near 3,000.
    """
    sim = simulation or simulate(baseline, metric, start, deadline, n_paths=n_paths, seed=seed)
    if sim is None:
        return []
    finals = sim.finals()
    finals = finals[np.isfinite(finals)]
    if len(finals) == 0:
        return []
    values = {name: float(np.quantile(finals, 1 - p)) for name, p in SUGGESTION_PROBABILITIES.items()}
    is_rate = goal_metric(metric).kind is GoalKind.RATE
    spread = max(values["stretch"] - values["realistic"], abs(values["ambitious"]) * 0.01, 1e-9)
    step = 0.001 if is_rate else max(10 ** math.floor(math.log10(spread)) / 10, 1.0)
    out = []
    for name, value in values.items():
        for candidate in (_nice(value, step), _nice(value, step / 10), value):
            target = min(round(candidate, 4), 1.0) if is_rate else candidate
            if target <= 0:
                continue
            probability = sim.projection(target).probability
            if probability is not None and label_for(probability) == name:
                out.append(SuggestedTarget(name, target, probability))
                break
    if benchmark is not None and benchmark > 0:
        chance = sim.projection(benchmark).probability
        if chance is not None:
            out.append(SuggestedTarget("benchmark", benchmark, chance))
    return out


def default_metric(baseline: Baseline) -> str:
    """The metric a new plan starts on: likes, unless the data has too few days with likes to
    project them and has them for another daily metric (a 2021 file of views and followers only
    opened the What-if on a likes goal it could not project, with a target of 1), or, with no
    daily metric to project, the likes per video of the settled videos there are (a scrape or the
    data archive alone opened it on likes received, of which they have no day, with a target of 1;
    with fewer than MIN_HISTORY_VIDEOS the page says how many more it needs)."""
    for metric in ("likes", "followers", "like_rate", "engagement_rate_by_view"):
        if baseline.usable_days(metric) >= MIN_HISTORY_DAYS:
            return metric
    settled_videos = int(np.sum(baseline.video_mature & ~np.isnan(baseline.video_likes)))
    return "likes_per_video" if settled_videos else "likes"


def default_target(
    baseline: Baseline, metric: str, start: date, deadline: date, *, simulation: Simulation | None = None
) -> float | None:
    """The target a new goal starts at: the realistic suggestion, or, without enough history for
    one, what the most recent pace (`verdict.recent_pace`) reaches by the deadline. None when the
    data has no pace for the metric at all.

    Example: no projection, a median of 12 likes a day in the last week, a 30-day window: 360.
    """
    offered = suggested_targets(baseline, metric, start, deadline, simulation=simulation)
    realistic = next((s.target for s in offered if s.name == "realistic"), None)
    if realistic is not None:
        return realistic
    pace = recent_pace(metric, baseline)
    if pace is None or not math.isfinite(pace):
        return None
    kind = goal_metric(metric).kind
    days = (deadline - start).days + 1
    if kind is GoalKind.COUNT:
        value = pace * days
    elif kind is GoalKind.LEVEL:
        level = baseline.follower_level(baseline.n_days - 1) if baseline.n_days else float("nan")
        value = level + max(pace, 0.0) * days if math.isfinite(level) else float("nan")
    else:
        value = pace
    if not math.isfinite(value) or value <= 0:
        return None
    return round(value, 4) if kind is GoalKind.RATE else float(max(1, round(value)))
