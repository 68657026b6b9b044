"""The account's headline scores as one JSON-ready dict (what the command line prints)."""

from __future__ import annotations

from typing import Any

from kpi_core.metrics.scope import DateLike, as_date, data_extent, resolve_account
from kpi_core.metrics.trends import likes_trend
from kpi_core.metrics.values import daily_kpis, video_kpis
from kpi_core.store import Store

__all__ = ["score"]

PER_VIDEO = (
    "videos",
    "likes",
    "views",
    "comments",
    "shares",
    "like_rate",
    "engagement_rate_by_view",
    "likes_per_video_mean",
    "likes_per_video_median",
)
PER_DAY = (
    "days",
    "likes",
    "views",
    "comments",
    "shares",
    "profile_views",
    "like_rate",
    "engagement_rate_by_view",
    "followers_start",
    "followers_end",
)


def score(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> dict[str, Any]:
    """Per-video KPIs, per-day KPIs and the daily-likes trend; plain int/float/str/None values.

    Rates are fractions (0.0345), dates ISO strings, missing values None. A missing end of the
    range defaults to the account's data span (metrics.data_extent, as the app's "All data");
    the account defaults to the primary one. Provisional days are left out of the per-day
    figures and the trend.

    >>> score(store, "brand", "2026-03-01", "2026-03-31")["per_video"]["like_rate"]  # doctest: +SKIP
    0.1
    """
    account = resolve_account(store, account)
    start, end = as_date(date_from), as_date(date_to)
    if start is None or end is None:
        first, last = data_extent(store, account)
        start, end = start or first, end or last
    per_video = video_kpis(store, account, start, end)
    per_day = daily_kpis(store, account, start, end)
    trend = likes_trend(store, account, start, end)
    return {
        "account": account,
        "date_from": start.isoformat() if start else None,
        "date_to": end.isoformat() if end else None,
        "per_video": {name: per_video[name] for name in PER_VIDEO},
        "per_day": {name: per_day[name] for name in PER_DAY},
        "trend": {
            "slope_per_day": trend.slope_per_day,
            "low": trend.low,
            "high": trend.high,
            "verdict": trend.verdict,
        },
    }
