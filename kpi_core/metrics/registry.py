"""The one registry of measures and KPIs: each fact declared once, the SQL generated from it.

A `Measure` is a column aggregated over a row source: per video (`sql/kpi_video_rows.sql`, one
row per video posted in the range) or per day (`sql/kpi_daily_rows.sql`, one row per day). A
`Kpi` is one measure, or the ratio of two (a ratio of sums, never an average of per-row ratios),
summed over the rows where both are known, so a video without views never inflates the like
rate. A `GoalMetric` names the KPI a goal is measured with and how it accrues over a window.

Every KPI also counts the rows behind it (`<name>__rows`: the videos or days where its numerator
and denominator are both known), and may carry a `Guard`: a declared validity rule that turns a
value which would mean nothing (a rate by follower on 64 followers, or on a base that grew from
24 to 3,352) into "n/a" with its reason. values.py applies it wherever the KPI is computed.

The store turns the declarations into SQL (`kpi_core.store.aggregate`); values.py divides;
goals, projections, charts, cards, the report and the downloads read these declarations.

    >>> kpi("per_video", "like_rate").formula_text
    'sum(likes) / sum(views)'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from kpi_core.store.aggregate import Aggregate

__all__ = [
    "DAILY_CONTEXT",
    "DAILY_KPIS",
    "FOLLOWER_BASE_RULE",
    "GOAL_METRICS",
    "MAX_FOLLOWER_CHANGE",
    "MIN_AVERAGE_FOLLOWERS",
    "POST_RATES",
    "ROW_NOUN",
    "VIDEO_KPIS",
    "GoalKind",
    "GoalMetric",
    "Grain",
    "Guard",
    "Kpi",
    "Measure",
    "Parts",
    "aggregates",
    "goal_metric",
    "kpi",
]

Grain = Literal["per_video", "per_day"]
# What one row of a grain's source is, as a count reads: "9 videos", "26 days".
ROW_NOUN: dict[str, tuple[str, str]] = {"per_video": ("video", "videos"), "per_day": ("day", "days")}


@dataclass(frozen=True)
class Measure:
    """A column aggregated over its grain's row source: `function(expr)` (see store.aggregate)."""

    name: str
    function: str  # "sum", "fsum", "count", "count_rows", "median", "avg", "min", "max", "first", "last"
    expr: str  # SQL over the row source's columns, written here (never user text)
    where: str | None = None
    words: str = ""  # what it counts, in a sentence: "likes", "follower counts" (default: the name)

    @property
    def text(self) -> str:
        """The measure as people read it in a formula: 'sum(likes)', 'median(likes)'."""
        if self.function == "count_rows":
            return "count(*)"
        function = "sum" if self.function == "fsum" else self.function
        return f"{function}({self.expr})"

    @property
    def noun(self) -> str:
        return self.words or self.name.replace("_", " ")


@dataclass(frozen=True)
class Parts:
    """What a guard reads: the KPI's unscaled value (numerator / denominator), its parts, the rows
    behind it (videos or days) and the guard's own measures over those rows, by measure name."""

    value: float
    numerator: float
    denominator: float | None
    rows: int
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Guard:
    """A validity rule: `check(parts)` gives the reason a value means nothing, or None when it stands.

    A reason opens with a headline of a few words, then ': ' and the details ("followers ×140 in
    the period: they grew from 24 to 3,352, ..."): a card shows the headline, notes the whole.

    `rule` states the rule in words (help texts, the README); `measures` are what the check reads
    besides the KPI's own parts, aggregated over the same rows as the KPI.
    """

    rule: str
    check: Callable[[Parts], str | None]
    measures: tuple[Measure, ...] = ()


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
    guard: Guard | None = None

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

    @property
    def rows_column(self) -> str:
        """The output column counting the rows behind the value (videos or days)."""
        return f"{self.name}__rows"

    def guard_column(self, measure: Measure) -> str:
        return f"{self.name}__{measure.name}"

    @property
    def rows_noun(self) -> str:
        return ROW_NOUN[self.grain][1]

    def aggregates(self) -> tuple[Aggregate, ...]:
        """The SQL columns this KPI needs, all over the rows where its measures are known: the
        numerator (and denominator), the count of those rows, and the guard's measures."""
        n, d = self.numerator, self.denominator
        if n.function == "count_rows":
            known = None  # a count of rows is known on every row
        elif d is None:
            known = f"({n.expr}) IS NOT NULL"
        else:
            known = f"({n.expr}) IS NOT NULL AND ({d.expr}) IS NOT NULL"
        parts = [Aggregate(self.numerator_column, n.function, n.expr, _and(n.where, known))]
        if d is not None:
            parts.append(Aggregate(f"{self.name}__den", d.function, d.expr, _and(d.where, known)))
        parts.append(Aggregate(self.rows_column, "count_rows", "*", _and(n.where, known)))
        for m in self.guard.measures if self.guard else ():
            parts.append(Aggregate(self.guard_column(m), m.function, m.expr, _and(m.where, known)))
        return tuple(parts)


def _and(*conditions: str | None) -> str | None:
    present = [f"({c})" for c in conditions if c]
    return " AND ".join(present) or None


# ---------------------------------------------------------------------------------------------
# Measures


def _sum(column: str) -> Measure:
    return Measure(column, "sum", column)


LIKES, VIEWS, COMMENTS, SHARES = _sum("likes"), _sum("views"), _sum("comments"), _sum("shares")
INTERACTIONS = Measure("interactions", "sum", "likes + comments + shares")
# The base of a rate by follower: the period's (or bucket's) average daily follower count, carried
# on every row of both row sources (`base_followers`), so sum / rows is that average and the KPI
# reads interactions per video (or per day) / average followers. Without a daily series, a
# scraper's count for each video stands in. Fractional, hence the float sum.
FOLLOWERS = Measure("followers", "fsum", "base_followers", words="follower counts")
ROWS = Measure("rows", "count_rows", "*")
ROWS_WITH_LIKES = Measure("rows_with_likes", "count", "likes", words="likes")

# Per-day measures with no KPI of their own, returned beside every per-day query.
DAILY_CONTEXT: tuple[Measure, ...] = (
    Measure("first_day", "min", "date"),
    Measure("last_day", "max", "date"),
    Measure("provisional_days", "count_rows", "*", "provisional"),
)


# ---------------------------------------------------------------------------------------------
# Validity rules

# A rate by follower divides by the followers as if they were the audience. Two things break that:
# - a small base. Under 1,000 followers nearly every view comes from the For You feed, not from
#   followers, and one video seen by a hundred strangers reads as 156% of 64 followers. The
#   published rates by follower (data/benchmarks.csv) are measured on accounts of thousands of
#   followers and more; influencer tiers start at 1,000 ("nano").
# - a moving base. If the count more than doubles (largest over smallest) in the period, the same
#   interactions read as twice the rate or half of it depending on which day's count is used:
#   the figure says more about when followers were counted than about the videos.
# A rate above 100% of the followers means the videos reach far beyond them: reach, not
# engagement, which the rate by view measures.
MIN_AVERAGE_FOLLOWERS = 1_000
MAX_FOLLOWER_CHANGE = 2.0
FOLLOWER_BASE_RULE = (
    f"Shown only when the account averaged at least {MIN_AVERAGE_FOLLOWERS:,} followers over the period, "
    f"its follower count changed by at most a factor of {MAX_FOLLOWER_CHANGE:g} (largest over smallest) "
    "and the result is at most 100% of the followers; otherwise n/a, with the reason."
)


def _factor(value: float) -> str:
    return f"×{value:,.0f}" if value >= 10 else f"×{value:.1f}"


def _follower_base_guard(grain: Grain, counted: str) -> Guard:
    """The rule for a rate by follower over `grain`'s rows: a big enough, steady base, at most 100%."""
    # Every row carries its period's range of follower counts (see FOLLOWERS).
    measures = (
        Measure("followers_low", "min", "base_low"),
        Measure("followers_high", "max", "base_high"),
        Measure("followers_first", "first", "base_first"),
        Measure("followers_last", "last", "base_last"),
    )
    per = "per video" if grain == "per_video" else "per day"

    def check(parts: Parts) -> str | None:
        if parts.denominator is None or parts.rows == 0:
            return None
        average = parts.denominator / parts.rows
        if average < MIN_AVERAGE_FOLLOWERS:
            return (
                f"{average:,.0f} followers on average: a rate by follower needs at least "
                f"{MIN_AVERAGE_FOLLOWERS:,}; with fewer, most views come from the For You feed, not from "
                "followers"
            )
        x = parts.extra
        smallest, largest = x.get("followers_low"), x.get("followers_high")
        if smallest and largest and largest / smallest > MAX_FOLLOWER_CHANGE:
            start, end = x.get("followers_first"), x.get("followers_last")
            if (start, end) == (smallest, largest):
                moved = f"grew from {smallest:,.0f} to {largest:,.0f}"
            elif (start, end) == (largest, smallest):
                moved = f"fell from {largest:,.0f} to {smallest:,.0f}"
            else:
                moved = f"ranged from {smallest:,.0f} to {largest:,.0f}"
            return (
                f"followers {_factor(largest / smallest)} in the period: they {moved}, and a rate on a "
                "moving base means nothing"
            )
        if parts.value > 1:
            return (
                f"over 100% of followers: more {counted} {per} than the account has followers; videos "
                "reach far beyond the followers, so use the rate by view"
            )
        return None

    return Guard(FOLLOWER_BASE_RULE, check, measures)


def _views_guard(counted: str) -> Guard:
    """A rate by view above 100% says the view counts are incomplete, not that videos did well."""

    def check(parts: Parts) -> str | None:
        if parts.value > 1:
            return f"over 100% of views: more {counted} than views, so the view counts look incomplete"
        return None

    return Guard("Shown only when it is at most 100% of the views; otherwise n/a.", check)


# ---------------------------------------------------------------------------------------------
# KPIs


def _count_kpi(
    grain: Grain, name: str, label: str, unit: str, measure: Measure, description: str = ""
) -> Kpi:
    return Kpi(name, grain, label, unit, measure, description=description)


def _rates(grain: Grain) -> tuple[Kpi, Kpi]:
    return (
        Kpi(
            "like_rate",
            grain,
            "Like rate",
            "fraction of views",
            LIKES,
            VIEWS,
            "{:.2%}",
            guard=_views_guard("likes"),
        ),
        Kpi(
            "engagement_rate_by_view",
            grain,
            "Engagement rate by view",
            "fraction of views",
            INTERACTIONS,
            VIEWS,
            "{:.2%}",
            description="sum(likes + comments + shares) / sum(views)",
            guard=_views_guard("likes, comments and shares"),
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
        description="(likes + comments + shares) per video / average followers over the period",
        guard=_follower_base_guard("per_video", "interactions"),
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
        Measure("likes_median", "median", "likes", words="likes"),
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
        "1000 × likes per video / average followers over the period",
        _follower_base_guard("per_video", "likes"),
    ),
    # Over the like rate's own videos (those with both likes and views), so that videos × views per
    # video × like rate is exactly their likes: the likes driver tree (metrics/drivers.py) reads both.
    Kpi(
        "views_per_video",
        "per_video",
        "Views per video",
        "views per video",
        Measure("views", "sum", "views", where="likes IS NOT NULL"),
        Measure("videos", "count", "views", where="likes IS NOT NULL", words="videos"),
        "{:,.0f}",
        description="sum(views) / videos, over the videos with both likes and views (as the like rate)",
    ),
)

DAILY_KPIS: tuple[Kpi, ...] = (
    _count_kpi("per_day", "days", "Days", "days", ROWS_WITH_LIKES, "days with daily likes in the range"),
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
        Measure("followers_start", "first", "followers", words="follower counts"),
        "follower count on the first day with one",
    ),
    _count_kpi(
        "per_day",
        "followers_end",
        "Followers at end",
        "followers",
        Measure("followers_end", "last", "followers", words="follower counts"),
        "follower count on the last day with one",
    ),
    Kpi(
        "net_follower_change",
        "per_day",
        "Net follower change",
        "followers",
        Measure("net_follower_change", "sum", "follower_change", words="follower counts"),
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
        description="(likes + comments + shares) per day / average followers over the period",
        guard=_follower_base_guard("per_day", "interactions"),
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
        "1000 × likes per day / average followers over the period",
        _follower_base_guard("per_day", "likes"),
    ),
)

_KPIS: dict[tuple[str, str], Kpi] = {(k.grain, k.name): k for k in (*VIDEO_KPIS, *DAILY_KPIS)}

# Per-post rates summarised the way published benchmarks are (kpi_core.metrics.benchmarks), over the
# per-video row source: (KPI whose rule they follow, statistic) -> measure. The follower base is the
# same as the KPI's (the period's average), so the average by follower equals the KPI itself.
_PER_POST_BY_VIEW = "(likes + comments + shares) / nullif(views, 0)"
_PER_POST_BY_FOLLOWER = "(likes + comments + shares) / base_followers"
POST_RATES: dict[tuple[str, str], Measure] = {
    ("engagement_rate_by_view", "median"): Measure("er_by_view_median", "median", _PER_POST_BY_VIEW),
    ("engagement_rate_by_view", "average"): Measure("er_by_view_mean", "avg", _PER_POST_BY_VIEW),
    ("engagement_rate_by_follower", "median"): Measure(
        "er_by_follower_median", "median", _PER_POST_BY_FOLLOWER
    ),
    ("engagement_rate_by_follower", "average"): Measure("er_by_follower_mean", "avg", _PER_POST_BY_FOLLOWER),
}


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
