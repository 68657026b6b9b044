"""Do a goal's statements agree? Every rule the Goals and What-if pages rely on, checked on one
assessment: status, probability, reach date, achievability, suggestions, the inverse and the
untouched what-if.

    assert contradictions(assess(goal, baseline)) == []

The tests run it over many goals on every account shape (data/shapes.py); it reads only what
the pages read, so a contradiction here is one a marketer would see.
"""

from __future__ import annotations

import math
import re

from kpi_core.metrics.goal_metrics import GoalKind
from kpi_core.planning.assessment import GoalAssessment
from kpi_core.planning.chances import chance_points, chance_text, label_for, status_for
from kpi_core.planning.inverse import Solved
from kpi_core.planning.levers import levers_for
from kpi_core.planning.suggestions import SuggestedTarget
from kpi_core.planning.whatif import Scenario

__all__ = ["contradictions"]

# The status each achievability label stands for (verdict.LABELS shares the status bands' edges).
LABEL_STATUS = {
    "too easy": "on track",
    "realistic": "on track",
    "ambitious": "at risk",
    "stretch": "off track",
    "unrealistic": "off track",
}
_RAW_VALUE = re.compile(r"(?<![\w.])(None|nan|NaN|inf|-inf)(?![\w.])")
# How far from an even chance the median path may sit on either side of the target: the reach
# date follows the median, the probability counts paths, and the two meet at 50 %.
_EVEN = 0.02


def contradictions(a: GoalAssessment, offered: list[SuggestedTarget] | None = None) -> list[str]:
    """Every way the assessment's statements disagree with each other, in words (empty: none).

    `offered` are the suggested targets shown for the goal's window; each is checked against the
    label it would get once set.
    """
    out: list[str] = []
    p = a.projection.probability
    progress, goal = a.progress, a.goal
    texts = {
        "status reason": a.status_reason,
        "verdict": a.verdict.sentence,
        "projection": a.projection.sentence(),
        "inverse": a.inverse.sentence,
    }
    for name, text in texts.items():
        if _RAW_VALUE.search(text):
            out.append(f"the {name} shows a raw missing value: {text!r}")
    if p is None:
        if a.verdict.label not in ("not enough history", "ended"):
            out.append(f"no projection, yet the verdict is {a.verdict.label!r}")
        return out
    if not progress.reached and progress.days_left > 0:
        if a.status != status_for(p):
            out.append(f"status {a.status!r} but a {chance_text(p)} chance gives {status_for(p)!r}")
        if f"{chance_text(p)} chance" not in a.status_reason:
            out.append(f"the status reason does not give the chance ({chance_text(p)}): {a.status_reason!r}")
    out += _shown_in_band(p, "the chance")
    # The texts give the chance as `chance_text` writes it, the number the band was read from.
    if f"{chance_text(p)} chance of reaching" not in a.projection.sentence():
        out.append(f"the projection does not give the chance ({chance_text(p)}): {a.projection.sentence()!r}")
    if a.verdict.label in LABEL_STATUS:
        said = f"the chance is {chance_text(p)}: {a.verdict.label}" in a.verdict.sentence
        if not progress.reached and not said:
            out.append(f"the verdict does not give the chance ({chance_text(p)}): {a.verdict.sentence!r}")
        if a.verdict.label != label_for(p):
            out.append(f"verdict {a.verdict.label!r} but a {chance_text(p)} chance gives {label_for(p)!r}")
        if not progress.reached and progress.days_left > 0 and LABEL_STATUS[a.verdict.label] != a.status:
            out.append(f"verdict {a.verdict.label!r} beside status {a.status!r}")
    low, expected, high = a.projection.low, a.projection.expected, a.projection.high
    if low is not None and expected is not None and high is not None and not low <= expected <= high:
        out.append(f"the expected value {expected} is outside its band {low}-{high}")
    if expected is not None and a.projection.without_value < 0.005:
        # Without futures that lack a value (which the sentence names), the median and the chance
        # agree; likes and followers are shown whole, so their median may be half a unit off.
        whole = 0.5 if goal.info.kind in (GoalKind.COUNT, GoalKind.LEVEL) else 0.0
        if expected - whole >= goal.target * (1 + _EVEN) and p < 0.5 - _EVEN:
            out.append(
                f"expected {expected:g}, above the target {goal.target:g}, yet a {chance_text(p)} chance"
            )
        if expected + whole <= goal.target * (1 - _EVEN) and p > 0.5 + _EVEN:
            out.append(
                f"expected {expected:g}, below the target {goal.target:g}, yet a {chance_text(p)} chance"
            )
    reach = a.projection.reach_date
    if p >= 0.5 + _EVEN and reach is None:
        out.append(f"a {chance_text(p)} chance but no reach date")
    if p <= 0.5 - _EVEN and reach is not None and not progress.reached:
        out.append(f"a {chance_text(p)} chance but a reach date ({reach})")
    if reach is not None and reach > goal.deadline:
        out.append(f"reach date {reach} after the deadline {goal.deadline}")
    out += _inverse_agrees(a, p)
    untouched = {lv.name: 0.0 if lv.relative else lv.today(a.baseline) for lv in levers_for(goal.metric)}
    today = a.what_if(Scenario.from_levers(untouched)).projection.probability
    if today is not None and not math.isclose(today, p):
        out.append(f"the what-if at today's values gives {chance_text(today)}, the goal {chance_text(p)}")
    for s in offered or []:
        out += _shown_in_band(s.probability, f"suggestion {s.name!r}'s chance")
        if label_for(s.probability) != s.name:
            out.append(
                f"suggestion {s.name!r} ({s.target:g}) has a {chance_text(s.probability)} chance: {label_for(s.probability)!r}"
            )
        if math.isclose(s.target, goal.target) and not math.isclose(s.probability, p):
            out.append(
                f"suggestion {s.name!r} offered at {chance_text(s.probability)} is judged at {chance_text(p)}"
            )
    return out


def _shown_in_band(p: float, what: str) -> list[str]:
    """A chance as the pages write it (`chance_text`) must read in the band its status and label
    come from: 69.95 % written "70%" beside "at risk (on track from 70%)" contradicts itself."""
    shown = chance_points(p) / 100
    if (status_for(shown), label_for(shown)) != (status_for(p), label_for(p)):
        return [
            f"{what} {p!r} is shown as {chance_text(p)}, which reads {label_for(shown)!r}, not {label_for(p)!r}"
        ]
    return []


def _inverse_agrees(a: GoalAssessment, p: float) -> list[str]:
    """The inverse's answers against the projection: a target that keeps an even chance "whatever
    the posts per week" has at least an even chance, and a lever that must rise is not already
    past its answer."""
    out = []
    expected = a.projection.expected
    sentence = a.inverse.sentence
    if sentence.startswith("Today's pace already gives an even chance or better") and p < 0.5 - _EVEN:
        out.append(
            f"the inverse says today's pace already gives an even chance or better, yet the chance is {chance_text(p)}"
        )
    if sentence.startswith("It takes ") and p > 0.5 + _EVEN:
        out.append(f"the inverse says what it takes, yet today's chance is {chance_text(p)}")
    for s in a.inverse.solutions.values():
        if s.solved is Solved.ANY_VALUE and p < 0.5 - _EVEN:
            out.append(f"the inverse says {s.lever} does not matter, yet the chance is {chance_text(p)}")
        if s.solved is Solved.FOUND and s.value is not None and s.today is not None and expected is not None:
            rising = s.value > s.today
            if rising and expected >= a.goal.target * (1 + _EVEN) and p > 0.5 + _EVEN:
                out.append(
                    f"{s.lever} must rise to {s.value:g} although today's pace already gives an even chance or better"
                )
    return out
