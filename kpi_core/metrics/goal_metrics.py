"""The metrics a goal can be set on: the KPI each is measured with and how it accrues over a window."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kpi_core.metrics.measures import Kpi
from kpi_core.metrics.registry import kpi

__all__ = ["GOAL_METRICS", "GoalKind", "GoalMetric", "goal_metric"]


class GoalKind(StrEnum):
    """How a goal's metric accrues over its window."""

    COUNT = "count"  # adds up over days (likes received)
    RATE = "rate"  # a ratio of sums over the window's days (like rate)
    PER_VIDEO = "per_video"  # a ratio over the videos posted in the window (average likes per video)
    LEVEL = "level"  # a level to reach by the deadline (followers)


@dataclass(frozen=True)
class GoalMetric:
    """A metric a goal can be set on: the KPI it is measured with, and how it accrues."""

    name: str
    kpi: Kpi
    kind: GoalKind
    label: str
    pace_unit: str


GOAL_METRICS: dict[str, GoalMetric] = {
    m.name: m
    for m in (
        GoalMetric("likes", kpi("per_day", "likes"), GoalKind.COUNT, "Likes received", "likes per day"),
        GoalMetric(
            "likes_per_video",
            kpi("per_video", "likes_per_video_mean"),
            GoalKind.PER_VIDEO,
            "Average likes per video",
            "likes per video",
        ),
        GoalMetric(
            "like_rate",
            kpi("per_day", "like_rate"),
            GoalKind.RATE,
            "Like rate",
            "like rate (fraction of views)",
        ),
        GoalMetric(
            "engagement_rate_by_view",
            kpi("per_day", "engagement_rate_by_view"),
            GoalKind.RATE,
            "Engagement rate by view",
            "engagement rate (fraction of views)",
        ),
        GoalMetric(
            "followers",
            kpi("per_day", "followers_end"),
            GoalKind.LEVEL,
            "Followers",
            "followers gained per day",
        ),
    )
}


def goal_metric(name: str) -> GoalMetric:
    """The goal metric `name`; ValueError with a sentence for an unknown one."""
    if name not in GOAL_METRICS:
        raise ValueError(f"Unknown goal metric {name!r}: choose one of {', '.join(GOAL_METRICS)}.")
    return GOAL_METRICS[name]
