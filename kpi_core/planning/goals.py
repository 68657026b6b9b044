"""A SMART goal on likes: a metric, a target, a window [start, deadline] (both days included),
the account and the objective it serves. Progress, status, projection and verdict are worked
out from it in progress.py, verdict.py and simulation.py; assessment.py assembles them.

Metrics (kpi_core.metrics.registry.GOAL_METRICS) and what their target means:
- likes: likes received in the window (daily Overview likes), a count.
- likes_per_video: average likes of the videos posted in the window (ratio of sums).
- like_rate: likes / views over the window's days, a fraction 0..1.
- engagement_rate_by_view: (likes + comments + shares) / views over the window, a fraction 0..1.
- followers: the follower count to reach by the deadline (a level, e.g. 30,000).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from kpi_core.metrics.registry import GoalKind, GoalMetric, goal_metric
from kpi_core.planning.baseline import as_day

__all__ = ["OBJECTIVES", "Goal", "format_value"]

OBJECTIVES = ("awareness", "engagement", "conversion")


def format_value(metric: str, value: float | None) -> str:
    """A metric value as people read it: '12,400', '6.1%', '4', '12.5', '0.011', 'n/a'.

    Example: format_value("like_rate", 0.061) == "6.1%".
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    if goal_metric(metric).kind is GoalKind.RATE:
        return f"{value * 100:.1f}%"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) < 1:  # a tiny account's pace: 0.011 likes a day is not "0.0"
        return f"{value:.2g}"
    return f"{value:,.1f}"


# ---------------------------------------------------------------------------------------------
# The goal


@dataclass(frozen=True)
class Goal:
    """A goal: reach `target` on `metric` for `account` between `start` and `deadline` (inclusive).

    Rate targets are fractions (a 6 % like rate is 0.06). Example:
    `Goal("lumen.skincare", "likes", 30_000, date(2026, 11, 1), date(2026, 11, 30), "engagement")`.
    """

    account: str
    metric: str
    target: float
    start: date
    deadline: date
    objective: str = "engagement"

    def __post_init__(self) -> None:
        metric = goal_metric(self.metric)
        if self.objective not in OBJECTIVES:
            raise ValueError(f"Unknown objective {self.objective!r}: choose one of {', '.join(OBJECTIVES)}.")
        for name in ("start", "deadline"):
            value = getattr(self, name)
            try:
                object.__setattr__(self, name, as_day(value))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"The goal's {name} {value!r} is not a date.") from exc
        if self.deadline <= self.start:
            raise ValueError(f"The deadline ({self.deadline}) must be after the start ({self.start}).")
        try:
            target = float(self.target)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"The target {self.target!r} is not a number.") from exc
        if not math.isfinite(target) or target <= 0:
            raise ValueError(f"The target must be a positive number, got {self.target!r}.")
        if metric.kind is GoalKind.RATE and target > 1:
            raise ValueError(
                f"A {metric.label.lower()} target is a fraction between 0 and 1 "
                f"({target:g}% is {target / 100:g}), got {target:g}."
            )
        object.__setattr__(self, "target", target)

    @property
    def info(self) -> GoalMetric:
        """The goal metric's declaration: its KPI, kind, label and pace unit."""
        return goal_metric(self.metric)

    @property
    def days_total(self) -> int:
        """Days in the window, start and deadline included."""
        return (self.deadline - self.start).days + 1

    def to_dict(self) -> dict[str, Any]:
        """The goal as plain JSON values."""
        out = asdict(self)
        out["start"], out["deadline"] = self.start.isoformat(), self.deadline.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Goal:
        """The inverse of `to_dict` (dates as ISO text are accepted)."""
        return cls(
            **{k: data[k] for k in ("account", "metric", "target", "start", "deadline") if k in data},
            objective=data.get("objective", "engagement"),
        )
