"""What-if planning on a goal: scenarios on the levers, and what it takes on each lever alone.

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
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.planning.baseline import Baseline
from kpi_core.planning.goals import (
    METRICS,
    Goal,
    achievability,
    format_value,
    goal_progress,
    goal_status,
    status_rule,
)
from kpi_core.planning.projection import N_PATHS, Multipliers, Projection, Simulation, _not_enough, simulate

__all__ = [
    "LEVERS",
    "MAX_FOLLOWER_GROWTH_MULTIPLIER",
    "MAX_POSTS_PER_WEEK",
    "MAX_VIEWS_MULTIPLIER",
    "Inverse",
    "LeverSolution",
    "Scenario",
    "WhatIf",
    "goal_report",
    "inverse",
    "multipliers",
    "what_if",
]

MAX_POSTS_PER_WEEK = 50.0  # beyond this, a plan is not a plan
MAX_VIEWS_MULTIPLIER = 10.0  # views per video up to 10x today's
MAX_FOLLOWER_GROWTH_MULTIPLIER = 10.0  # follower gains up to 10x today's
LEVERS = ("posts_per_week", "like_rate", "views_per_video", "follower_growth")
_BISECTION_STEPS = 48


@dataclass(frozen=True)
class Scenario:
    """Changes to the baseline. Relative changes are fractions: 0.10 is +10 %, -0.2 is -20 %.

    `posts_per_week` is absolute (None keeps today's). Example: Scenario(posts_per_week=5,
    like_rate_change=0.1) is "5 posts a week with a 10 % better like rate".
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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def multipliers(baseline: Baseline, scenario: Scenario | None) -> Multipliers:
    """Turn a scenario into multipliers on the simulated future (see the module docstring).

    Example: with every like from new posts (share 1.0), 3 -> 6 posts a week doubles likes.
    """
    if scenario is None:
        return Multipliers()
    b = baseline
    posts = 1.0
    if scenario.posts_per_week is not None and np.isfinite(b.posts_per_week) and b.posts_per_week > 0:
        posts = scenario.posts_per_week / b.posts_per_week
    reach = 1.0 + scenario.views_per_video_change
    liking = 1.0 + scenario.like_rate_change
    s_likes, s_views = b.new_video_like_share, b.new_video_view_share
    likes = (1 - s_likes) + s_likes * posts * reach * liking
    views = (1 - s_views) + s_views * posts * reach
    return Multipliers(
        likes=likes,
        views=views,
        followers=views * (1.0 + scenario.follower_growth_change),
        posts=posts,
        video_likes=reach * liking,
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
        empty = _not_enough(goal.metric, goal.target)
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


# ---------------------------------------------------------------------------------------------
# Inverse: what it takes on each lever alone


@dataclass(frozen=True)
class LeverSolution:
    """The value of one lever that makes the expected (median) outcome hit the target.

    `value` is None when no value within the sane bounds does it (`sentence` says why).
    Units: posts per week; like rate as a fraction 0..1; views per video; followers per day.
    """

    lever: str
    value: float | None
    today: float | None
    sentence: str


@dataclass(frozen=True)
class Inverse:
    """What it takes on each lever alone, and one sentence that says it all."""

    solutions: dict[str, LeverSolution]
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        """{lever: value or None, ..., "sentence": ...} as plain JSON values."""
        out: dict[str, Any] = {k: _plain(s.value) for k, s in self.solutions.items()}
        out["sentence"] = self.sentence
        return out


def _levers_for(metric: str) -> tuple[str, ...]:
    kind = METRICS[metric].kind
    if kind == "per_video":
        return ("like_rate", "views_per_video")
    if kind == "level":
        return ("follower_growth", "posts_per_week", "views_per_video")
    if kind == "rate":  # posting and reach change volumes, not the rate
        return ("like_rate",)
    return ("posts_per_week", "like_rate", "views_per_video")


def _lever_setup(lever: str, b: Baseline) -> tuple[float, float, float, Any] | None:
    """(today, low, high, value -> Scenario) for one lever, or None when today's value is unknown."""
    if lever == "posts_per_week":
        if not (np.isfinite(b.posts_per_week) and b.posts_per_week > 0):
            return None
        return b.posts_per_week, 0.0, MAX_POSTS_PER_WEEK, lambda x: Scenario(posts_per_week=x)
    if lever == "like_rate":
        if not (np.isfinite(b.like_rate) and b.like_rate > 0):
            return None
        return b.like_rate, 0.0, 1.0, lambda x: Scenario(like_rate_change=x / b.like_rate - 1)
    if lever == "views_per_video":
        if not (np.isfinite(b.views_per_video) and b.views_per_video > 0):
            return None
        return (
            b.views_per_video,
            0.0,
            MAX_VIEWS_MULTIPLIER * b.views_per_video,
            lambda x: Scenario(views_per_video_change=x / b.views_per_video - 1),
        )
    gain = b.follower_gain_per_day
    if not (np.isfinite(gain) and gain > 0):
        return None
    return (
        gain,
        0.0,
        MAX_FOLLOWER_GROWTH_MULTIPLIER * gain,
        lambda x: Scenario(follower_growth_change=x / gain - 1),
    )


def _three_digits(value: float) -> str:
    digits = max(0, 3 - len(str(int(abs(value))))) if value else 0
    return f"{float(f'{value:.3g}'):,.{min(digits, 1)}f}"


def _describe(lever: str, value: float, today: float) -> str:
    if lever == "posts_per_week":
        return f"{value:.1f} posts per week at today's like rate"
    if lever == "like_rate":
        return f"a like rate of {value * 100:.1f}% at today's posting"
    if lever == "views_per_video":
        return f"{_three_digits(value)} views per video at today's posting and like rate"
    return f"follower growth {value / today - 1:+.0%} on today's"


def _out_of_reach(lever: str) -> str:
    return {
        "posts_per_week": f"no posting rate up to {MAX_POSTS_PER_WEEK:.0f} a week gets there",
        "like_rate": "no like rate up to 100% gets there",
        "views_per_video": f"not even {MAX_VIEWS_MULTIPLIER:.0f}x today's views per video gets there",
        "follower_growth": f"not even {MAX_FOLLOWER_GROWTH_MULTIPLIER:.0f}x today's follower growth gets there",
    }[lever]


def _solve(sim: Simulation, b: Baseline, lever: str, target: float) -> LeverSolution:
    setup = _lever_setup(lever, b)
    if setup is None:
        return LeverSolution(lever, None, None, f"today's {lever.replace('_', ' ')} cannot be measured")
    today, low, high, to_scenario = setup

    def f(x: float) -> float:
        return sim.expected(multipliers(b, to_scenario(x)))

    f_low, f_high = f(low), f(high)
    if not (np.isfinite(f_low) and np.isfinite(f_high)):
        return LeverSolution(lever, None, today, "the projection has no value to solve on")
    if f_low >= target and f_high >= target:
        return LeverSolution(
            lever, low, today, f"the target is reached whatever the {lever.replace('_', ' ')}"
        )
    if f_low < target and f_high < target:
        return LeverSolution(lever, None, today, _out_of_reach(lever))
    rising = f_high >= target
    lo, hi = low, high
    for _ in range(_BISECTION_STEPS):
        mid = (lo + hi) / 2
        if (f(mid) >= target) == rising:
            hi = mid
        else:
            lo = mid
    value = hi if rising else lo
    return LeverSolution(lever, value, today, _describe(lever, value, today))


def inverse(
    goal: Goal,
    baseline: Baseline,
    *,
    n_paths: int = N_PATHS,
    seed: int = 0,
    simulation: Simulation | None = None,
) -> Inverse:
    """What each lever alone must become for the expected outcome to hit the target at the deadline.

    Solved by bisection on the median outcome (so the answer is a coin flip, not a certainty).
    Example sentence: "3.4 posts per week at today's like rate, or a like rate of 6.1% at
    today's posting, or 52,000 views per video at today's posting and like rate."
    """
    sim = simulation or simulate(baseline, goal.metric, goal.start, goal.deadline, n_paths=n_paths, seed=seed)
    levers = _levers_for(goal.metric)
    if sim is None:
        solutions = {lv: LeverSolution(lv, None, None, "not enough history") for lv in levers}
        return Inverse(solutions, "Not enough history to work out what it takes.")
    if len(sim.dates) == 0:
        solutions = {lv: LeverSolution(lv, None, None, "the window has ended") for lv in levers}
        return Inverse(solutions, "The window has ended: no lever can change the outcome.")
    solutions = {lv: _solve(sim, baseline, lv, goal.target) for lv in levers}
    feasible = [s for s in solutions.values() if s.value is not None]
    if any(s.sentence.startswith("the target is reached whatever") for s in feasible):
        sentence = "The target is reached at the expected pace whatever you change."
    elif feasible:
        sentence = "It takes " + ", or ".join(s.sentence for s in feasible) + "."
        blocked = [s.sentence for s in solutions.values() if s.value is None]
        if blocked:
            sentence += " Alone, " + "; ".join(blocked) + "."
    else:
        sentence = (
            "No single lever gets there within sane bounds: "
            + "; ".join(s.sentence for s in solutions.values())
            + "."
        )
    if METRICS[goal.metric].kind == "per_video":
        sentence += " Posting more does not change the average likes per video."
    if METRICS[goal.metric].kind == "rate":
        sentence += " Posting more or reaching more viewers changes volumes, not the rate."
    return Inverse(solutions, sentence)


# ---------------------------------------------------------------------------------------------
# The whole report (the CLI's JSON, the Goals page's summary)


def _plain(value: Any) -> Any:
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
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def goal_report(
    goal: Goal,
    baseline: Baseline,
    scenario: Scenario | None = None,
    *,
    competitor: pd.DataFrame | None = None,
    benchmark: float | None = None,
    n_paths: int = N_PATHS,
    seed: int = 0,
) -> dict[str, Any]:
    """Everything about one goal as plain JSON values (the CLI prints this).

    Keys: progress, fraction, pace_needed_per_day, pace_achieved_per_day (per video or a rate for
    those metrics, see pace_unit), status (on the baseline), projection {expected, low, high,
    probability} and reach_date (under `scenario` when given), verdict (a sentence), inverse
    ({lever: value or None, sentence}), plus context keys. Example:
    `json.dumps(goal_report(goal, Baseline.from_frames(daily, videos)))`.
    """
    if baseline.account and goal.account and goal.account != baseline.account:
        raise ValueError(f"The goal is for @{goal.account} but the data is @{baseline.account}'s.")
    progress = goal_progress(goal, baseline)
    sim = simulate(baseline, goal.metric, goal.start, goal.deadline, n_paths=n_paths, seed=seed)
    result = what_if(goal, baseline, scenario, simulation=sim) if sim is not None else what_if(goal, baseline)
    base = result.baseline_projection
    shown = result.projection if scenario is not None else base
    verdict = achievability(goal, baseline, competitor=competitor, benchmark=benchmark)
    solved = inverse(goal, baseline, simulation=sim) if sim is not None else inverse(goal, baseline)
    report = {
        "account": goal.account,
        "metric": goal.metric,
        "objective": goal.objective,
        "target": goal.target,
        "start": goal.start,
        "deadline": goal.deadline,
        "as_of": progress.as_of,
        "progress": progress.value,
        "fraction": progress.fraction,
        "days_elapsed": progress.days_elapsed,
        "days_left": progress.days_left,
        "pace_unit": progress.pace_unit,
        "pace_needed_per_day": progress.pace_needed,
        "pace_achieved_per_day": progress.pace_so_far,
        "pace_last_28_days": progress.pace_last_28_days,
        "status": goal_status(base.probability, progress),
        "status_rule": status_rule(),
        "projection": shown.to_dict(),
        "projection_sentence": shown.sentence(),
        "reach_date": shown.reach_date,
        "verdict": verdict.sentence,
        "verdict_label": verdict.label,
        "inverse": solved.to_dict(),
        "scenario": scenario.to_dict() if scenario is not None else None,
        "formatted_target": format_value(goal.metric, goal.target),
    }
    return _plain(report)
