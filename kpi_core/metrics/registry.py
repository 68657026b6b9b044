"""The one registry of measures and KPIs: each fact declared once, the SQL generated from it.

A `Measure` is a column aggregated over a row source: per video (`sql/kpi_video_rows.sql`, one
row per video posted in the range) or per day (`sql/kpi_daily_rows.sql`, one row per day). A
`Kpi` is one measure, or the ratio of two (a ratio of sums, never an average of per-row ratios),
summed over the rows where both are known, so a video without views never inflates the like
rate. The types are in measures.py, the validity rules in guards.py, and the metrics a goal can
be set on in goal_metrics.py.

Every KPI also counts the rows behind it (`<name>__rows`: the videos or days where its numerator
and denominator are both known), and may carry a `Guard`: a declared validity rule that turns a
value which would mean nothing (a rate by follower on 64 followers, or on a base that grew from
24 to 3,352) into "n/a" with its reason. ratios.py applies it wherever the KPI is computed.

The store turns the declarations into SQL (`kpi_core.store.aggregate`); ratios.py divides;
goals, projections, charts, cards, the report and the downloads read these declarations.

    >>> kpi("per_video", "like_rate").formula_text
    'sum(likes) / sum(views)'
"""

from __future__ import annotations

from kpi_core.metrics.guards import follower_base_guard, views_guard
from kpi_core.metrics.measures import (
    COMMENTS,
    FOLLOWERS,
    INTERACTIONS,
    LIKES,
    ROWS,
    ROWS_WITH_LIKES,
    SHARES,
    VIEWS,
    Grain,
    Kpi,
    Measure,
    sum_of,
)
from kpi_core.store.aggregate import Aggregate

__all__ = [
    "DAILY_KPIS",
    "POST_RATES",
    "VIDEO_KPIS",
    "aggregates",
    "kpi",
]

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
            guard=views_guard("likes"),
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
            guard=views_guard("likes, comments and shares"),
        ),
    )


VIDEO_KPIS: tuple[Kpi, ...] = (
    _count_kpi("per_video", "videos", "Videos", "videos", ROWS, "videos posted in the range"),
    _count_kpi("per_video", "likes", "Likes", "likes", LIKES, "sum(likes) of videos posted in the range"),
    _count_kpi("per_video", "views", "Views", "views", VIEWS),
    _count_kpi("per_video", "comments", "Comments", "comments", COMMENTS),
    _count_kpi("per_video", "shares", "Shares", "shares", SHARES),
    _count_kpi(
        "per_video", "saves", "Saves", "saves", sum_of("saves"), "sum(saves), when the source has them"
    ),
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
        guard=follower_base_guard("per_video", "interactions"),
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
        follower_base_guard("per_video", "likes"),
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
        sum_of("profile_views"),
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
        guard=follower_base_guard("per_day", "interactions"),
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
        follower_base_guard("per_day", "likes"),
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
