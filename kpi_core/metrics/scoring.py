"""The account's headline scores as one JSON-ready dict (what the command line prints).

Beside the values: `bases`, the videos or days behind each value (generated from the registry:
the rows where the KPI's numerator and denominator are known), and `notes`, the reason for every
null or flagged value, keyed by the value's path ("per_day.engagement_rate_by_follower").
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from kpi_core.metrics.findings import plural
from kpi_core.metrics.ratios import KpiValue
from kpi_core.metrics.registry import kpi
from kpi_core.metrics.scope import DateLike, as_date, data_extent, data_extents, resolve_account
from kpi_core.metrics.trends import WEEKLY_FIT_DAYS
from kpi_core.metrics.trends import trend as fit_trend
from kpi_core.metrics.values import (
    daily_results_and_series,
    daily_results_and_series_by_account,
    video_results,
    video_results_by_account,
)
from kpi_core.store import Store

__all__ = ["score", "score_accounts"]

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
    "engagement_rate_by_follower",
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
    "engagement_rate_by_follower",
)


def score(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> dict[str, Any]:
    """Per-video KPIs, per-day KPIs and the daily-likes trend; plain int/float/str/None values.

    Rates are fractions (0.0345), dates ISO strings, missing values None. A missing end of the
    range defaults to the account's data span (metrics.data_extent, as the app's "All data");
    the account defaults to the primary one. Provisional days are left out of the per-day
    figures and the trend. `per_day.days` counts the days with daily likes (what the per-day
    likes are summed over); `bases` gives each value's own count, `notes` each null's reason and
    what a flagged value rests on (fewer days than the range, a trend fitted on weekly averages).

    >>> score(store, "brand", "2026-03-01", "2026-03-31")["per_video"]["like_rate"]  # doctest: +SKIP
    0.1
    """
    account = resolve_account(store, account)
    start, end = as_date(date_from), as_date(date_to)
    if start is None or end is None:
        first, last = data_extent(store, account)
        start, end = start or first, end or last
    per_video = video_results(store, account, start, end)
    # The trend's series comes with the per-day KPIs: the days and daily likes `likes_trend` fits.
    daily, days, likes = daily_results_and_series(store, account, start, end, kpi("per_day", "likes"))
    return _scores(account, start, end, per_video, daily, days, likes)


def score_accounts(
    store: Store, date_from: DateLike = None, date_to: DateLike = None
) -> dict[str, dict[str, Any]]:
    """`score(store, account, date_from, date_to)` of every account (primary first), the very same
    dicts, with the per-video KPIs of all of them read in one statement and the per-day KPIs ten
    accounts a statement (`values.ACCOUNTS_PER_STATEMENT`): a portfolio of fifty accounts took fifty
    times two statements, each mostly DuckDB's parsing and planning (bench/findings.md). A missing end of the range is each account's own (its data span).

    >>> score_accounts(store)["brand"] == score(store, "brand")  # doctest: +SKIP
    True
    """
    accounts = store.accounts()
    start, end = as_date(date_from), as_date(date_to)
    extents = data_extents(store)
    ranges: dict[str, tuple[date, date]] = {}
    for account in accounts:
        first, last = extents.get(account, (None, None))
        first, last = start or first, end or last
        if first is not None and last is not None:
            ranges[account] = (first, last)
    # One statement reads every account over the range that holds each one's: an account's rows
    # all lie within its own span. An account with an open end (no dated data) is scored alone,
    # where the open end also takes its undated videos.
    together = list(ranges)
    per_video, per_day = {}, {}
    if together:
        wide = (min(first for first, _ in ranges.values()), max(last for _, last in ranges.values()))
        per_video = video_results_by_account(store, together, *wide)
        per_day = daily_results_and_series_by_account(store, together, *wide, kpi("per_day", "likes"))
    out = {}
    for account in accounts:
        if account in ranges:
            daily, days, likes = per_day[account]
            out[account] = _scores(account, *ranges[account], per_video[account], daily, days, likes)
        else:
            out[account] = score(store, account, date_from, date_to)
    return out


def _scores(
    account: str | None,
    start: date | None,
    end: date | None,
    per_video: dict[str, KpiValue],
    per_day: dict[str, KpiValue],
    trend_days: np.ndarray,
    daily_likes: list[Any],
) -> dict[str, Any]:
    """score()'s dict from the KPIs and the trend's series of one account over [start, end]."""
    sections = {
        "per_video": {name: per_video[name] for name in PER_VIDEO},
        "per_day": {name: per_day[name] for name in PER_DAY},
    }
    trend = fit_trend(trend_days, daily_likes)
    notes: dict[str, str] = {}
    if account is None:
        notes["account"] = "no data to score: none of the files held videos or daily totals"
    for section, results in sections.items():
        notes.update({f"{section}.{name}": r.reason for name, r in results.items() if r.reason})
    days = sections["per_day"]["days"]
    range_days = (end - start).days + 1 if start and end else 0
    if days.rows < range_days:
        notes["per_day.days"] = _days_note(days, range_days)
    if trend.slope_per_day is None:
        notes.update({f"trend.{key}": trend.sentence for key in ("slope_per_day", "low", "high")})
    elif trend.n_weeks is not None:
        notes["trend.slope_per_day"] = (
            f"fitted {trend.span}: over more than {WEEKLY_FIT_DAYS} days the slope is fitted on weeks rather "
            "than days, because each day's likes carry into the next and fitting every day would overstate "
            "how sure the trend is"
        )
    return {
        "account": account,
        "date_from": start.isoformat() if start else None,
        "date_to": end.isoformat() if end else None,
        "per_video": {name: r.value for name, r in sections["per_video"].items()},
        "per_day": {name: r.value for name, r in sections["per_day"].items()},
        "trend": {
            "slope_per_day": trend.slope_per_day,
            "low": trend.low,
            "high": trend.high,
            "verdict": trend.verdict,
        },
        "bases": {
            section: {name: r.rows for name, r in results.items()} for section, results in sections.items()
        },
        "notes": notes,
    }


def _days_note(days: KpiValue, range_days: int) -> str:
    return (
        f"daily likes on {days.rows:,} of the range's {plural(range_days, 'day')}: the per-day figures "
        "cover those days only (other days have no Overview data, or are provisional)"
    )
