"""What-if planning on a goal: a scenario sets levers (levers.py), and the goal is projected under
it on the same simulated futures as under today's pace.

Levers start from the account's measured baseline (baseline.py, last 12 weeks): posts per week,
views per video, like rate of new videos, follower gains per day. The model behind a scenario:
- daily likes = catalogue likes (older videos, unchanged) + likes of new posts, and only the
  part new posts explain (`Baseline.new_video_like_share`) moves with posting, views and like rate;
- views (and comments and shares) move the same way with posting and views per video;
- follower gains move with views and with the follower-growth lever;
- likes per video move with views per video and like rate, not with posting.
Every scenario reuses the same simulated paths (same seed), so comparisons are exact: more
posts can never give a lower projection. A what-if costs a few milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import pandas as pd

from kpi_core.planning.baseline import Baseline
from kpi_core.planning.blocks import N_PATHS
from kpi_core.planning.chances import chance_points, chance_text
from kpi_core.planning.forecast import simulate
from kpi_core.planning.goals import Goal
from kpi_core.planning.levers import LEVERS, Lever
from kpi_core.planning.projection import Projection, not_enough
from kpi_core.planning.simulation import Multipliers, Simulation

__all__ = ["Scenario", "WhatIf", "multipliers", "what_if", "with_lever"]


@dataclass(frozen=True)
class Scenario:
    """Changes to the baseline. Relative changes are fractions: 0.10 is +10 %, -0.2 is -20 %.

    `posts_per_week` is absolute (None keeps today's). Example: Scenario(posts_per_week=5,
    like_rate_change=0.1) is "5 posts a week with a 10 % better like rate". Each field is the
    `scenario_field` of one lever in levers.py.
    """

    posts_per_week: float | None = None
    like_rate_change: float = 0.0
    views_per_video_change: float = 0.0
    follower_growth_change: float = 0.0

    def __post_init__(self) -> None:
        if self.posts_per_week is not None and not (
            math.isfinite(self.posts_per_week) and self.posts_per_week >= 0
        ):
            raise ValueError(f"Posts per week must be zero or more, got {self.posts_per_week!r}.")
        for name in ("like_rate_change", "views_per_video_change", "follower_growth_change"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < -1:
                raise ValueError(
                    f"{name.replace('_', ' ').capitalize()} must be -100% or more "
                    f"(a fraction: -1.0), got {value!r}."
                )

    @classmethod
    def from_levers(cls, values: Mapping[str, float | None]) -> Scenario:
        """A scenario from lever values in each lever's own unit (levers.py): percent changes for
        relative levers (10 is +10 %), posts per week for posting. Missing levers stay at today's.

        >>> Scenario.from_levers({"posts_per_week": 5, "like_rate": 10}).like_rate_change
        0.1
        """
        fields: dict[str, Any] = {}
        for name, value in values.items():
            lv = LEVERS[name]
            if value is not None:
                fields[lv.scenario_field] = value / 100 if lv.relative else value
        return cls(**fields)

    def lever_value(self, lv: Lever) -> float | None:
        """This scenario's value of lever `lv` in the lever's own unit (None: posting unchanged)."""
        value = getattr(self, lv.scenario_field)
        return value * 100 if lv.relative and value is not None else value

    def factor(self, lv: Lever, baseline: Baseline) -> float:
        """How much this scenario scales the lever's factor of the simulation (1.0: unchanged)."""
        value = getattr(self, lv.scenario_field)
        if lv.relative:
            return 1.0 + value
        today = lv.today(baseline)
        return value / today if value is not None and today is not None else 1.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def with_lever(lv: Lever, value: float, baseline: Baseline) -> Scenario:
    """The scenario that sets lever `lv` alone to the absolute `value` (posts per week, a like
    rate, views per video, followers per day), the others at today's."""
    if not lv.relative:
        return Scenario(**{lv.scenario_field: value})
    today = lv.today(baseline)
    if today is None:
        raise ValueError(f"today's {lv.unit} cannot be measured")
    return Scenario(**{lv.scenario_field: value / today - 1})


def multipliers(baseline: Baseline, scenario: Scenario | None) -> Multipliers:
    """Turn a scenario into multipliers on the simulated future (see the module docstring).

    Example: with every like from new posts (share 1.0), 3 -> 6 posts a week doubles likes.
    """
    if scenario is None:
        return Multipliers()
    f = {lv.factor: scenario.factor(lv, baseline) for lv in LEVERS.values()}
    s_likes, s_views = baseline.new_video_like_share, baseline.new_video_view_share
    likes = (1 - s_likes) + s_likes * f["posts"] * f["reach"] * f["liking"]
    views = (1 - s_views) + s_views * f["posts"] * f["reach"]
    return Multipliers(
        likes=likes,
        views=views,
        followers=views * f["follow"],
        posts=f["posts"],
        video_likes=f["reach"] * f["liking"],
    )


# ---------------------------------------------------------------------------------------------
# What-if


@dataclass(frozen=True)
class WhatIf:
    """A scenario's outcome next to the baseline's.

    `curve` has one row per day of the window: date, actual (past days), baseline and scenario
    (expected values), scenario_low and scenario_high (the 80 % band).
    """

    scenario: Scenario
    projection: Projection
    baseline_projection: Projection
    curve: pd.DataFrame

    @property
    def expected(self) -> float | None:
        return self.projection.expected

    @property
    def probability(self) -> float | None:
        return self.projection.probability

    @property
    def reach_date(self) -> date | None:
        """The day the expected path reaches the target and stays there; None: not by the deadline."""
        return self.projection.reach_date

    def chance_change(self) -> str | None:
        """The scenario's chance against today's pace, in the whole points both are shown in
        (`chances.chance_text`), so the two numbers and their difference agree: "+3 pts vs today's pace",
        "-1 pt …", "same as today's pace"; None without a projection."""
        now, today = self.probability, self.baseline_projection.probability
        if now is None or today is None:
            return None
        if chance_text(now) == chance_text(today):
            return "same as today's pace"
        change = chance_points(now) - chance_points(today)
        if change == 0:  # "<1%" against "0%": apart by less than a point
            return f"{'+' if now > today else '-'}<1 pt vs today's pace"
        return f"{change:+d} {'pt' if abs(change) == 1 else 'pts'} vs today's pace"


def _curve(base: Projection, scen: Projection) -> pd.DataFrame:
    frame = scen.path_frame().rename(
        columns={"expected": "scenario", "low": "scenario_low", "high": "scenario_high"}
    )
    frame.insert(2, "baseline", base.path_frame()["expected"].to_numpy())
    return frame[["date", "actual", "baseline", "scenario", "scenario_low", "scenario_high", "target"]]


def what_if(
    goal: Goal,
    baseline: Baseline,
    scenario: Scenario | None = None,
    *,
    n_paths: int = N_PATHS,
    seed: int = 0,
    simulation: Simulation | None = None,
) -> WhatIf:
    """Project `goal` under `scenario` and under the baseline, on the same simulated paths.

    Pass `simulation` (from `projection.simulate`) to skip the simulation on repeated calls.
    Example: what_if(goal, b, Scenario(posts_per_week=6)).reach_date -> an earlier date than
    what_if(goal, b).reach_date, or None if the target is not reached by the deadline.
    """
    scenario = scenario or Scenario()
    sim = simulation or simulate(baseline, goal.metric, goal.start, goal.deadline, n_paths=n_paths, seed=seed)
    if sim is None:
        empty = not_enough(goal.metric, goal.target, baseline)
        return WhatIf(
            scenario,
            empty,
            empty,
            pd.DataFrame(
                columns=["date", "actual", "baseline", "scenario", "scenario_low", "scenario_high", "target"]
            ),
        )
    base = sim.projection(goal.target)
    scen = sim.projection(goal.target, multipliers(baseline, scenario))
    return WhatIf(scenario, scen, base, _curve(base, scen))
