"""A goal assessed once: progress, projection, verdict, status and what it takes, as one object
that the pages, the command line and the report all read.

    assessment = assess(goal, load_baseline(store, goal.account))
    assessment.status, assessment.projection.probability, assessment.verdict.label
    assessment.to_dict()    # the command line's `goal --json`
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.metrics.benchmarks import BenchmarkFit, default_fit, goal_reference
from kpi_core.planning.baseline import Baseline, load_baseline
from kpi_core.planning.blocks import N_PATHS
from kpi_core.planning.forecast import simulate
from kpi_core.planning.goals import Goal, format_value
from kpi_core.planning.inverse import Inverse, inverse
from kpi_core.planning.progress import Progress, goal_progress
from kpi_core.planning.projection import Projection, not_enough
from kpi_core.planning.simulation import Simulation
from kpi_core.planning.verdict import Status, Verdict, achievability, goal_status, status_rule
from kpi_core.planning.whatif import Scenario, WhatIf, what_if
from kpi_core.store import Store

__all__ = ["GoalAssessment", "assess", "assess_in_store", "plain_json"]


@dataclass(frozen=True, eq=False)
class GoalAssessment:
    """Everything said about one goal, computed once from one baseline and one simulation.

    `projection` is on today's pace; the status and the verdict's label read its probability.
    `simulation` is kept so that what-if scenarios reuse the same simulated futures.
    """

    goal: Goal
    baseline: Baseline
    progress: Progress
    projection: Projection
    verdict: Verdict
    judged: Status
    inverse: Inverse
    simulation: Simulation | None

    @property
    def status(self) -> str:
        """ "on track", "at risk" or "off track", by `status_rule()`."""
        return self.judged.label

    @property
    def status_reason(self) -> str:
        """The sentence that explains the status (with the probability or the recent evidence)."""
        return self.judged.reason

    def needed_path(self) -> pd.DataFrame:
        """date, needed: the straight line from today's value to the target at the deadline (the
        burn-up chart's "pace needed" line)."""
        as_of = self.progress.as_of
        start = max(self.goal.start, as_of) if as_of else self.goal.start
        return pd.DataFrame(
            {
                "date": pd.to_datetime([start, self.goal.deadline]),
                "needed": [self.progress.value or 0.0, self.goal.target],
            }
        )

    def what_if(self, scenario: Scenario | None) -> WhatIf:
        """The goal under `scenario`, on the assessment's simulated futures."""
        return what_if(self.goal, self.baseline, scenario, simulation=self.simulation)

    def to_dict(self, scenario: Scenario | None = None) -> dict[str, Any]:
        """Everything about the goal as plain JSON values (the command line prints this).

        Keys: progress, fraction, pace_needed_per_day, pace_achieved_per_day (per video or a rate
        for those metrics, see pace_unit), status (on today's pace), projection {expected, low,
        high, probability} and reach_date (under `scenario` when given), verdict (a sentence),
        inverse ({lever: value or None, sentence}), as_of_note (why goals on this account count to
        different days, when they do; else None), plus context keys.
        """
        goal, progress = self.goal, self.progress
        shown = self.what_if(scenario).projection if scenario is not None else self.projection
        report = {
            "account": goal.account,
            "metric": goal.metric,
            "objective": goal.objective,
            "target": goal.target,
            "start": goal.start,
            "deadline": goal.deadline,
            "as_of": progress.as_of,
            "as_of_note": self.baseline.today_note,
            "progress": progress.value,
            "fraction": progress.fraction,
            "days_elapsed": progress.days_elapsed,
            "days_left": progress.days_left,
            "pace_unit": progress.pace_unit,
            "pace_needed_per_day": progress.pace_needed,
            "pace_achieved_per_day": progress.pace_so_far,
            "pace_last_28_days": progress.pace_last_28_days,
            "status": self.status,
            "status_reason": self.status_reason,
            "status_rule": status_rule(),
            "projection": shown.to_dict(),
            "projection_sentence": shown.sentence(),
            "reach_date": shown.reach_date,
            "verdict": self.verdict.sentence,
            "verdict_label": self.verdict.label,
            "inverse": self.inverse.to_dict(),
            "scenario": scenario.to_dict() if scenario is not None else None,
            "formatted_target": format_value(goal.metric, goal.target),
        }
        return plain_json(report)


def assess(
    goal: Goal,
    baseline: Baseline,
    *,
    competitor: pd.DataFrame | None = None,
    benchmark: float | None = None,
    benchmark_label: str | None = None,
    simulation: Simulation | None = None,
    n_paths: int = N_PATHS,
    seed: int = 0,
) -> GoalAssessment:
    """Assess `goal` on `baseline`: the one place a goal's statements are put together.

    `competitor` is a competitor's daily or per-video frame, `benchmark` a published reference in
    the goal's pace unit, named by `benchmark_label` (they only feed the verdict's comparison). Pass `simulation` (from
    `simulate`) to reuse simulated futures already made for this goal's window.
    """
    if baseline.account and goal.account and goal.account != baseline.account:
        raise ValueError(f"The goal is for @{goal.account} but the data is @{baseline.account}'s.")
    sim = simulation or simulate(baseline, goal.metric, goal.start, goal.deadline, n_paths=n_paths, seed=seed)
    progress = goal_progress(goal, baseline)
    projection = (
        sim.projection(goal.target) if sim is not None else not_enough(goal.metric, goal.target, baseline)
    )
    return GoalAssessment(
        goal=goal,
        baseline=baseline,
        progress=progress,
        projection=projection,
        verdict=achievability(
            goal,
            baseline,
            projection,
            competitor=competitor,
            benchmark=benchmark,
            benchmark_label=benchmark_label,
        ),
        judged=goal_status(goal, progress, projection, baseline),
        inverse=inverse(goal, baseline, simulation=sim),
        simulation=sim,
    )


def assess_in_store(
    store: Store,
    goal: Goal,
    *,
    baseline: Baseline | None = None,
    simulation: Simulation | None = None,
    fit: BenchmarkFit | None = None,
) -> GoalAssessment:
    """`assess` with what the store knows: the goal account's baseline (unless given), the first
    competitor's videos and the published benchmark for the goal's metric that fits the account
    (`fit`: the industry and follower band chosen; by default the band of the account's follower
    count, all industries)."""
    competitors = [a for a in store.accounts() if a != goal.account]
    reference = goal_reference(goal.metric, fit if fit is not None else default_fit(store, goal.account)[0])
    return assess(
        goal,
        baseline if baseline is not None else load_baseline(store, goal.account, metric=goal.metric),
        competitor=store.table("videos", competitors[0]) if competitors else None,
        benchmark=None if reference is None else reference.value,
        benchmark_label=None if reference is None else reference.label,
        simulation=simulation,
    )


def plain_json(value: Any) -> Any:
    """JSON-safe: numpy numbers to Python, NaN/inf to None, dates to ISO text."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_json(v) for v in value]
    return value
