"""The one registry of measures and KPIs: each fact declared once, the SQL generated from it.

A `Measure` is a column aggregated over a row source: per video (`sql/kpi_video_rows.sql`, one
row per video posted in the range) or per day (`sql/kpi_daily_rows.sql`, one row per day). A
`Kpi` is one measure, or the ratio of two (a ratio of sums, never an average of per-row ratios),
summed over the rows where both are known, so a video without views never inflates the like
rate. A `GoalMetric` names the KPI a goal is measured with and how it accrues over a window.

The store turns the declarations into SQL (`kpi_core.store.aggregate`); values.py divides;
goals, projections, charts, cards, the report and the downloads read these declarations.

    >>> kpi("per_video", "like_rate").formula_text
    'sum(likes) / sum(views)'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from kpi_core.store.aggregate import Aggregate

__all__ = [
    "DAILY_CONTEXT",
    "DAILY_KPIS",
    "GOAL_METRICS",
    "VIDEO_KPIS",
    "GoalKind",
    "GoalMetric",
    "Grain",
    "Kpi",
    "Measure",
    "aggregates",
    "goal_metric",
    "kpi",
]

Grain = Literal["per_video", "per_day"]


@dataclass(frozen=True)
class Measure:
    """A column aggregated over its grain's row source: `function(expr)` (see store.aggregate)."""

    name: str
    function: str  # "sum", "count", "count_rows", "median", "min", "max", "first", "last"
    expr: str  # SQL over the row source's columns, written here (never user text)
    where: str | None = None

    @property
    def text(self) -> str:
        """The measure as people read it in a formula: 'sum(likes)', 'median(likes)'."""
        if self.function == "count_rows":
            return "count(*)"
        return f"{self.function}({self.expr.replace('nullif(followers, 0)', 'followers')})"


@dataclass(frozen=True)
class Kpi:
    """One KPI: a measure, or `numerator / denominator * scale` as a ratio of sums.

    `fmt` is a str.format pattern ("{:.2%}" for a fraction); `description` says in words what
    the formula counts (shown beside the number).
    """

    name: str
    grain: Grain
    label: str
    unit: str
    numerator: Measure
    denominator: Measure | None = None
    fmt: str = "{:,.0f}"
    scale: float = 1.0  # multiplies a ratio: 1000 gives "per 1,000 followers"
    description: str = ""

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    @property
    def is_rate(self) -> bool:
        """A fraction 0..1 (shown as a percentage)."""
        return self.is_ratio and "%" in self.fmt

    @property
    def formula_text(self) -> str:
        """'sum(likes) / sum(views)', or the description where the formula alone says too little."""
        if self.description:
            return self.description
        if self.denominator is None:
            return self.numerator.text
        scale = f"{self.scale:g} × " if self.scale != 1 else ""
        return f"{scale}{self.numerator.text} / {self.denominator.text}"

    @property
    def numerator_column(self) -> str:
        """The output column holding the numerator (the value itself for a plain measure)."""
        return f"{self.name}__num" if self.is_ratio else self.name

    @property
    def denominator_column(self) -> str | None:
        return f"{self.name}__den" if self.is_ratio else None

    def aggregates(self) -> tuple[Aggregate, ...]:
        """The SQL columns this KPI needs; a ratio's parts count only rows where both are known."""
        n = self.numerator
        if self.denominator is None:
            return (Aggregate(self.name, n.function, n.expr, n.where),)
        d = self.denominator
        both = f"({n.expr}) IS NOT NULL AND ({d.expr}) IS NOT NULL"
        return (
            Aggregate(f"{self.name}__num", n.function, n.expr, _and(n.where, both)),
            Aggregate(f"{self.name}__den", d.function, d.expr, _and(d.where, both)),
        )


def _and(*conditions: str | None) -> str | None:
    present = [f"({c})" for c in conditions if c]
    return " AND ".join(present) or None


# ---------------------------------------------------------------------------------------------
# Measures


def _sum(column: str) -> Measure:
    return Measure(column, "sum", column)


LIKES, VIEWS, COMMENTS, SHARES = _sum("likes"), _sum("views"), _sum("comments"), _sum("shares")
INTERACTIONS = Measure("interactions", "sum", "likes + comments + shares")
# Per video: the followers on each video's post date; per day: each day's count. A count of 0 is
# no base for a rate, so it counts as missing.
FOLLOWERS = Measure("followers", "sum", "nullif(followers, 0)")
ROWS = Measure("rows", "count_rows", "*")
ROWS_WITH_LIKES = Measure("rows_with_likes", "count", "likes")

# Per-day measures with no KPI of their own, returned beside every per-day query.
DAILY_CONTEXT: tuple[Measure, ...] = (
    Measure("first_day", "min", "date"),
    Measure("last_day", "max", "date"),
    Measure("provisional_days", "count_rows", "*", "provisional"),
)


# ---------------------------------------------------------------------------------------------
# KPIs


def _count_kpi(
    grain: Grain, name: str, label: str, unit: str, measure: Measure, description: str = ""
) -> Kpi:
    return Kpi(name, grain, label, unit, measure, description=description)


def _rates(grain: Grain) -> tuple[Kpi, Kpi]:
    return (
        Kpi("like_rate", grain, "Like rate", "fraction of views", LIKES, VIEWS, "{:.2%}"),
        Kpi(
            "engagement_rate_by_view",
            grain,
            "Engagement rate by view",
            "fraction of views",
            INTERACTIONS,
            VIEWS,
            "{:.2%}",
            description="sum(likes + comments + shares) / sum(views)",
        ),
    )


VIDEO_KPIS: tuple[Kpi, ...] = (
    _count_kpi("per_video", "videos", "Videos", "videos", ROWS, "videos posted in the range"),
    _count_kpi("per_video", "likes", "Likes", "likes", LIKES, "sum(likes) of videos posted in the range"),
    _count_kpi("per_video", "views", "Views", "views", VIEWS),
    _count_kpi("per_video", "comments", "Comments", "comments", COMMENTS),
    _count_kpi("per_video", "shares", "Shares", "shares", SHARES),
    _count_kpi("per_video", "saves", "Saves", "saves", _sum("saves"), "sum(saves), when the source has them"),
    *_rates("per_video"),
    Kpi(
        "engagement_rate_by_follower",
        "per_video",
        "Engagement rate by follower",
        "fraction of followers per video",
        INTERACTIONS,
        FOLLOWERS,
        "{:.2%}",
        description="sum(likes + comments + shares) / sum(followers on each video's post date)",
    ),
    Kpi(
        "likes_per_video_mean",
        "per_video",
        "Likes per video (mean)",
        "likes per video",
        LIKES,
        ROWS_WITH_LIKES,
        "{:,.1f}",
        description="sum(likes) / videos",
    ),
    Kpi(
        "likes_per_video_median",
        "per_video",
        "Likes per video (median)",
        "likes per video",
        Measure("likes_median", "median", "likes"),
        fmt="{:,.1f}",
        description="median(likes) over videos",
    ),
    Kpi(
        "likes_per_1k_followers",
        "per_video",
        "Likes per 1k followers",
        "likes per video per 1,000 followers",
        LIKES,
        FOLLOWERS,
        "{:,.2f}",
        1000.0,
        "1000 × sum(likes) / sum(followers on each video's post date)",
    ),
)

DAILY_KPIS: tuple[Kpi, ...] = (
    _count_kpi("per_day", "days", "Days", "days", ROWS, "days with data in the range"),
    _count_kpi("per_day", "likes", "Likes", "likes", LIKES, "sum of daily likes"),
    _count_kpi("per_day", "views", "Views", "views", VIEWS, "sum of daily video views"),
    _count_kpi("per_day", "comments", "Comments", "comments", COMMENTS, "sum of daily comments"),
    _count_kpi("per_day", "shares", "Shares", "shares", SHARES, "sum of daily shares"),
    _count_kpi(
        "per_day",
        "profile_views",
        "Profile views",
        "profile views",
        _sum("profile_views"),
        "sum of daily profile views",
    ),
    Kpi(
        "likes_per_day",
        "per_day",
        "Likes per day",
        "likes per day",
        LIKES,
        ROWS_WITH_LIKES,
        "{:,.1f}",
        description="sum(likes) / days with likes",
    ),
    _count_kpi(
        "per_day",
        "followers_start",
        "Followers at start",
        "followers",
        Measure("followers_start", "first", "followers"),
        "follower count on the first day with one",
    ),
    _count_kpi(
        "per_day",
        "followers_end",
        "Followers at end",
        "followers",
        Measure("followers_end", "last", "followers"),
        "follower count on the last day with one",
    ),
    Kpi(
        "net_follower_change",
        "per_day",
        "Net follower change",
        "followers",
        Measure("net_follower_change", "sum", "follower_change"),
        fmt="{:+,.0f}",
        description="sum of day-to-day changes of the follower count (recomputed, not TikTok's difference column)",
    ),
    *_rates("per_day"),
    Kpi(
        "engagement_rate_by_follower",
        "per_day",
        "Engagement rate by follower",
        "fraction of followers per day",
        INTERACTIONS,
        FOLLOWERS,
        "{:.2%}",
        description="sum(likes + comments + shares) / sum(followers of each day)",
    ),
    Kpi(
        "likes_per_1k_followers",
        "per_day",
        "Likes per 1k followers",
        "likes per day per 1,000 followers",
        LIKES,
        FOLLOWERS,
        "{:,.2f}",
        1000.0,
        "1000 × sum(likes) / sum(followers of each day)",
    ),
)

_KPIS: dict[tuple[str, str], Kpi] = {(k.grain, k.name): k for k in (*VIDEO_KPIS, *DAILY_KPIS)}


def kpi(grain: str, name: str) -> Kpi:
    """The KPI declared under `name` for `grain`; KeyError for an unknown one."""
    return _KPIS[(grain, name)]


def aggregates(kpis: tuple[Kpi, ...], context: tuple[Measure, ...] = ()) -> tuple[Aggregate, ...]:
    """Every SQL column `kpis` need, plus the `context` measures, each once."""
    out: dict[str, Aggregate] = {m.name: Aggregate(m.name, m.function, m.expr, m.where) for m in context}
    for k in kpis:
        for aggregate in k.aggregates():
            out.setdefault(aggregate.name, aggregate)
    return tuple(out.values())


# ---------------------------------------------------------------------------------------------
# Goal metrics


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
