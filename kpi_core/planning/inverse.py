"""What it takes on each lever alone: the value that gives the target an even chance.

Each lever of levers.py that moves the goal's metric is solved on its own, the others at today's
values, by bisection over the lever's `solve_range` on the same simulated futures as the
what-if. The answer is a coin flip (half the futures reach the target), not a certainty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from kpi_core.metrics.findings import and_list
from kpi_core.metrics.goal_metrics import GoalKind
from kpi_core.planning.baseline import Baseline
from kpi_core.planning.blocks import N_PATHS
from kpi_core.planning.forecast import simulate
from kpi_core.planning.goals import Goal
from kpi_core.planning.levers import LEVERS, Lever, levers_for
from kpi_core.planning.progress import finite
from kpi_core.planning.simulation import Simulation, chance
from kpi_core.planning.whatif import multipliers, with_lever

__all__ = ["Inverse", "LeverSolution", "Solved", "beyond_the_sliders", "inverse"]

_BISECTION_STEPS = 48


class Solved(StrEnum):
    """How solving one lever ended."""

    FOUND = "found"  # `value` gives the target an even chance
    ANY_VALUE = "any value"  # an even chance or better whatever the lever's value
    OUT_OF_REACH = "out of reach"  # no value within the lever's range gets there
    UNKNOWN = "unknown"  # today's value cannot be measured, or nothing to solve on


@dataclass(frozen=True)
class LeverSolution:
    """The value of one lever that gives the target an even chance (half the futures reach it).

    `value` is None when no value within the lever's range does it (`sentence` says why).
    Units: posts per week; like rate as a fraction 0..1; views per video; followers per day.
    """

    lever: str
    value: float | None
    today: float | None
    sentence: str
    solved: Solved
    why: str | None = None  # why today's value cannot be measured (`Lever.why_missing`), when it cannot


@dataclass(frozen=True)
class Inverse:
    """What it takes on each lever alone, and one sentence that says it all."""

    solutions: dict[str, LeverSolution]
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        """{lever: value or None, ..., "sentence": ...} as plain JSON values."""
        out: dict[str, Any] = {k: finite(s.value) for k, s in self.solutions.items()}
        out["sentence"] = self.sentence
        return out


def _solve(sim: Simulation, b: Baseline, lv: Lever, target: float) -> LeverSolution:
    today = lv.today(b)
    if today is None:
        why = lv.why_missing(b)
        return LeverSolution(lv.name, None, None, _unmeasured([lv.name], why), Solved.UNKNOWN, why)
    low, high = lv.solve_range(today)

    def finals(x: float) -> np.ndarray:
        return sim.finals(multipliers(b, with_lever(lv, x, b)))

    def even(values: np.ndarray) -> bool:  # an even chance, as the pages state it
        return chance(values, target) >= 0.5

    at_low, at_high = finals(low), finals(high)
    if not (np.isfinite(at_low).any() and np.isfinite(at_high).any()):
        return LeverSolution(lv.name, None, today, "the projection has no value to solve on", Solved.UNKNOWN)
    even_low, even_high = even(at_low), even(at_high)
    if even_low and even_high:
        sentence = f"an even chance whatever the {lv.name.replace('_', ' ')}"
        return LeverSolution(lv.name, low, today, sentence, Solved.ANY_VALUE)
    if not even_low and not even_high:
        return LeverSolution(lv.name, None, today, lv.out_of_reach, Solved.OUT_OF_REACH)
    rising = even_high
    lo, hi = low, high
    for _ in range(_BISECTION_STEPS):
        mid = (lo + hi) / 2
        if even(finals(mid)) == rising:
            hi = mid
        else:
            lo = mid
    value = hi if rising else lo
    return LeverSolution(lv.name, value, today, lv.answer(value, today), Solved.FOUND)


def inverse(
    goal: Goal,
    baseline: Baseline,
    *,
    n_paths: int = N_PATHS,
    seed: int = 0,
    simulation: Simulation | None = None,
) -> Inverse:
    """What each lever alone must become for an even chance of the target at the deadline: half of the
    simulated futures reach it (a future with no value, such as no video posted, does not).

    Example sentence: "3.4 posts per week at today's like rate, or a like rate of 6.1% at
    today's posting, or 52,000 views per video at today's posting and like rate."
    """
    sim = simulation or simulate(baseline, goal.metric, goal.start, goal.deadline, n_paths=n_paths, seed=seed)
    levers = levers_for(goal.metric)
    if sim is None:
        solutions = {
            lv.name: LeverSolution(lv.name, None, None, "not enough history", Solved.UNKNOWN) for lv in levers
        }
        return Inverse(solutions, "Not enough history to work out what it takes.")
    if len(sim.dates) == 0:
        solutions = {
            lv.name: LeverSolution(lv.name, None, None, "the window has ended", Solved.UNKNOWN)
            for lv in levers
        }
        return Inverse(solutions, "The window has ended: no lever can change the outcome.")
    solutions = {lv.name: _solve(sim, baseline, lv, goal.target) for lv in levers}
    feasible = [s for s in solutions.values() if s.value is not None]
    # Each lever is solved for an even chance, so today's pace is enough when today's chance is
    # even or better ("already gives an even chance or better": "already gets there" read as a
    # certainty beside "at risk: 51%"), not when the expected value is, which for a per-video goal is that
    # of the futures that post a video (those that post none miss the target).
    today = sim.projection(goal.target).probability
    even_today = today is not None and today >= 0.5
    found = [s for s in feasible if s.solved is Solved.FOUND]
    free = [s.lever.replace("_", " ") for s in feasible if s.solved is Solved.ANY_VALUE]
    blocked = [s for s in solutions.values() if s.value is None]
    if feasible:
        # A lever that keeps an even chance at both ends of its range (even at zero) is named as
        # such: "reached whatever you change" read as a certainty beside a 79% chance.
        alone = "changed alone" if len(free) == 1 else "each changed alone"
        any_value = f"whatever the {and_list(free)}, {alone} (even to zero)" if free else ""
        if not found:
            sentence = f"The target keeps an even chance or better {any_value}."
        else:
            # When today's pace is enough, the answers say how far each lever may fall.
            lead = (
                "Today's pace already gives an even chance or better; it stays an even chance down to "
                if even_today
                else "It takes "
            )
            sentence = lead + ", or ".join(s.sentence for s in found) + "."
            if free:
                sentence += f" It keeps an even chance {any_value}."
        if blocked:
            sentence += " Alone, " + _listed(blocked) + "."
    elif even_today:
        # Every lever is unmeasurable (a lever measured today has an answer when today's chance is
        # even): nothing to scale, but today's pace is no less enough for that.
        sentence = (
            "Today's pace already gives an even chance or better; how far each lever may fall cannot be worked out: "
            + _listed(solutions.values())
            + "."
        )
    else:
        sentence = "No single lever gets there within sane bounds: " + _listed(solutions.values()) + "."
    if goal.info.kind is GoalKind.PER_VIDEO:
        sentence += " Posting more does not change the average likes per video."
    if goal.info.kind is GoalKind.RATE:
        sentence += " Posting more or reaching more viewers changes volumes, not the rate."
    return Inverse(solutions, sentence)


def _unmeasured(levers: list[str], why: str) -> str:
    """'today's posts per week and like rate cannot be measured (<why>)'."""
    return f"today's {and_list([name.replace('_', ' ') for name in levers])} cannot be measured ({why})"


def _listed(solutions: Iterable[LeverSolution]) -> str:
    """The solutions' sentences joined by "; ", the levers that cannot be measured for the same
    reason in one sentence, in the place of the first of them."""
    parts: list[tuple[str, str]] = []  # ("sentence", its text) or ("reason", why)
    by_reason: dict[str, list[str]] = {}
    for s in solutions:
        if s.why is None:
            parts.append(("sentence", s.sentence))
            continue
        if s.why not in by_reason:
            by_reason[s.why] = []
            parts.append(("reason", s.why))
        by_reason[s.why].append(s.lever)
    return "; ".join(
        text if kind == "sentence" else _unmeasured(by_reason[text], text) for kind, text in parts
    )


def beyond_the_sliders(answer: Inverse, baseline: Baseline) -> str:
    """Which answers the What-if sliders cannot be set to (the inverse searches further: a like
    rate up to 100 %, ten times today's views), in one sentence; "" when every answer fits."""
    beyond = []
    for s in answer.solutions.values():
        if s.solved is not Solved.FOUND or s.value is None or s.today is None:
            continue
        lever = LEVERS[s.lever]
        low, high, _ = lever.bounds(baseline)
        setting = (s.value / s.today - 1) * 100 if lever.relative else s.value
        if setting > high or setting < low:
            end = high if setting > high else low  # the end of the slider the answer lies beyond
            reach = f"{end:+.0f}% of today's" if lever.relative else lever.shown_today.format(end)
            beyond.append(f"the {s.lever.replace('_', ' ')} answer (its slider stops at {reach})")
    if not beyond:
        return ""
    return "Beyond what the sliders can show: " + "; ".join(beyond) + "."
