"""KPI definitions as data, and their values over any date range and account.

A KPI is a sum, or a ratio of two sums (`sum(likes) / sum(views)`), never an average of
per-row ratios. Measures are summed in DuckDB (`sql/kpi_video_totals.sql`,
`sql/kpi_daily_buckets.sql`); this module only divides. A ratio whose denominator is zero or
missing is None (NaN in frames), never 0. Rates are fractions (0.0345 is 3.45 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.store import Store

__all__ = [
    "DAILY_KPIS",
    "VIDEO_KPIS",
    "Kpi",
    "compare_periods",
    "competitors",
    "daily_kpis",
    "data_extent",
    "format_kpi",
    "kpi_value",
    "kpi_values",
    "kpis_by_account",
    "previous_range",
    "primary_account",
    "ratio",
    "video_kpis",
]

DateLike = date | str | None
Number = int | float


@dataclass(frozen=True)
class Kpi:
    """One KPI: `numerator` (and `denominator`) name measures in the KPI queries' output."""

    name: str
    label: str
    unit: str
    numerator: str
    denominator: str | None
    formula_text: str
    fmt: str  # a str.format pattern, e.g. "{:.2%}"
    scale: float = 1.0  # multiplies a ratio: 1000 gives "per 1,000 followers"


def _count(name: str, label: str, unit: str, formula: str) -> Kpi:
    return Kpi(name, label, unit, name, None, formula, "{:,.0f}")


_LIKE_RATE = Kpi(
    "like_rate",
    "Like rate",
    "fraction of views",
    "likes_with_views",
    "views_with_likes",
    "sum(likes) / sum(views)",
    "{:.2%}",
)
_ER_BY_VIEW = Kpi(
    "engagement_rate_by_view",
    "Engagement rate by view",
    "fraction of views",
    "interactions_with_views",
    "views_with_interactions",
    "sum(likes + comments + shares) / sum(views)",
    "{:.2%}",
)

VIDEO_KPIS: tuple[Kpi, ...] = (
    _count("videos", "Videos", "videos", "videos posted in the range"),
    _count("likes", "Likes", "likes", "sum(likes) of videos posted in the range"),
    _count("views", "Views", "views", "sum(views)"),
    _count("comments", "Comments", "comments", "sum(comments)"),
    _count("shares", "Shares", "shares", "sum(shares)"),
    _count("saves", "Saves", "saves", "sum(saves), when the source has them"),
    _LIKE_RATE,
    _ER_BY_VIEW,
    Kpi(
        "engagement_rate_by_follower",
        "Engagement rate by follower",
        "fraction of followers per video",
        "interactions_with_followers",
        "followers_with_interactions",
        "sum(likes + comments + shares) / sum(followers on each video's post date)",
        "{:.2%}",
    ),
    Kpi(
        "likes_per_video_mean",
        "Likes per video (mean)",
        "likes per video",
        "likes",
        "videos_with_likes",
        "sum(likes) / videos",
        "{:,.1f}",
    ),
    Kpi(
        "likes_per_video_median",
        "Likes per video (median)",
        "likes per video",
        "likes_median",
        None,
        "median(likes) over videos",
        "{:,.1f}",
    ),
    Kpi(
        "likes_per_1k_followers",
        "Likes per 1k followers",
        "likes per video per 1,000 followers",
        "likes_with_followers",
        "followers_with_likes",
        "1000 × sum(likes) / sum(followers on each video's post date)",
        "{:,.2f}",
        1000.0,
    ),
)

DAILY_KPIS: tuple[Kpi, ...] = (
    _count("days", "Days", "days", "days with data in the range"),
    _count("likes", "Likes", "likes", "sum of daily likes"),
    _count("views", "Views", "views", "sum of daily video views"),
    _count("comments", "Comments", "comments", "sum of daily comments"),
    _count("shares", "Shares", "shares", "sum of daily shares"),
    _count("profile_views", "Profile views", "profile views", "sum of daily profile views"),
    Kpi(
        "likes_per_day",
        "Likes per day",
        "likes per day",
        "likes",
        "days_with_likes",
        "sum(likes) / days with likes",
        "{:,.1f}",
    ),
    _count("followers_start", "Followers at start", "followers", "follower count on the first day with one"),
    _count("followers_end", "Followers at end", "followers", "follower count on the last day with one"),
    Kpi(
        "net_follower_change",
        "Net follower change",
        "followers",
        "net_follower_change",
        None,
        "sum of day-to-day changes of the follower count (recomputed, not TikTok's difference column)",
        "{:+,.0f}",
    ),
    _LIKE_RATE,
    _ER_BY_VIEW,
    Kpi(
        "engagement_rate_by_follower",
        "Engagement rate by follower",
        "fraction of followers per day",
        "interactions_with_followers",
        "followers_with_interactions",
        "sum(likes + comments + shares) / sum(followers of each day)",
        "{:.2%}",
    ),
    Kpi(
        "likes_per_1k_followers",
        "Likes per 1k followers",
        "likes per day per 1,000 followers",
        "likes_with_followers",
        "followers_with_likes",
        "1000 × sum(likes) / sum(followers of each day)",
        "{:,.2f}",
        1000.0,
    ),
)

# Counts that are genuinely 0 (not missing) when a query finds no rows.
_ZERO_WHEN_EMPTY = ("videos", "videos_with_likes", "days", "days_with_likes", "provisional_days")


# ---------------------------------------------------------------------------------------------
# Values


def plain(value: Any) -> Any:
    """A DuckDB/pandas scalar as a plain Python value (int, float, str, date or None)."""
    if value is None or (not isinstance(value, str | date) and pd.isna(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def ratio(numerator: Number | None, denominator: Number | None, scale: float = 1.0) -> float | None:
    """`numerator / denominator * scale`, or None when either is missing or the denominator is 0.

    >>> ratio(60, 600)
    0.1
    """
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(numerator) / float(denominator) * scale


def kpi_value(kpi: Kpi, measures: Mapping[str, Any]) -> Number | None:
    """The KPI's value from one row of summed measures (a count, or a ratio of sums).

    >>> kpi_value(VIDEO_KPIS[6], {"likes_with_views": 60, "views_with_likes": 600})
    0.1
    """
    numerator = plain(measures.get(kpi.numerator))
    if kpi.denominator is None:
        return numerator
    return ratio(numerator, plain(measures.get(kpi.denominator)), kpi.scale)


def format_kpi(kpi: Kpi, value: Number | None) -> str:
    """The value as text in the KPI's format; "n/a" when missing.

    >>> format_kpi(VIDEO_KPIS[6], 0.0345)
    '3.45%'
    """
    return "n/a" if value is None else kpi.fmt.format(value)


def with_ratios(frame: pd.DataFrame, kpis: tuple[Kpi, ...], keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """Columns `keep` plus one column per KPI computed per row (ratios NaN on a zero denominator)."""
    out = frame[list(keep)].copy()
    for kpi in kpis:
        numerator = frame[kpi.numerator]
        if kpi.denominator is None:
            out[kpi.name] = numerator
            continue
        num = numerator.to_numpy(dtype=float, na_value=np.nan)
        den = frame[kpi.denominator].to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[kpi.name] = np.where(den == 0, np.nan, num / den) * kpi.scale
    return out


def as_date(value: DateLike | datetime) -> date | None:
    """A date from a date, datetime or ISO string ("2026-03-01"); None stays None."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(value)


# ---------------------------------------------------------------------------------------------
# Accounts


def primary_account(store: Store) -> str | None:
    """The account the user's own Studio exports belong to (Store.primary_account); None if empty."""
    return store.primary_account()


def competitors(store: Store) -> list[str]:
    """Every account but the primary one, in name order."""
    return store.accounts()[1:]


def resolve_account(store: Store, account: str | None) -> str | None:
    """`account`, or the primary account when None."""
    return account if account is not None else store.primary_account()


def data_extent(store: Store, account: str | None = None) -> tuple[date | None, date | None]:
    """The account's first and last day with data (sql/data_span.sql), primary account if None."""
    account = resolve_account(store, account)
    if account is None:
        return None, None
    row = store.query("data_span", account=account).iloc[0]
    return plain(row["date_from"]), plain(row["date_to"])


# ---------------------------------------------------------------------------------------------
# KPI values


def first_row(frame: pd.DataFrame) -> dict[str, Any]:
    """A one-row query result as plain values; no rows means zero counts and missing sums."""
    if frame.empty:
        return {name: 0 for name in _ZERO_WHEN_EMPTY}
    return {str(k): plain(v) for k, v in frame.iloc[0].items()}


def video_measures(
    store: Store, account: str | None, date_from: DateLike = None, date_to: DateLike = None
) -> dict[str, Any]:
    """Summed per-video measures of one account's videos posted in the range (None = open end)."""
    if account is None:
        return first_row(pd.DataFrame())
    return first_row(
        store.query(
            "kpi_video_totals", account=account, date_from=as_date(date_from), date_to=as_date(date_to)
        )
    )


def daily_measures(
    store: Store,
    account: str | None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
    grain: str = "all",
) -> pd.DataFrame:
    """Daily measures summed per `grain` bucket ('day', 'week', 'month' or 'all')."""
    if grain not in ("day", "week", "month", "all"):
        raise ValueError(f"unknown grain {grain!r}")
    return store.query(
        "kpi_daily_buckets",
        account=account,
        date_from=as_date(date_from),
        date_to=as_date(date_to),
        include_provisional=include_provisional,
        grain=grain,
    )


def kpi_values(kpis: tuple[Kpi, ...], measures: Mapping[str, Any]) -> dict[str, Number | None]:
    """Each KPI's value from one row of summed measures, by KPI name."""
    return {kpi.name: kpi_value(kpi, measures) for kpi in kpis}


def video_kpis(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> dict[str, Number | None]:
    """Per-video KPIs (VIDEO_KPIS) of videos posted in the range; rates as fractions.

    >>> video_kpis(store, "brand", "2026-03-01", "2026-03-31")["like_rate"]  # doctest: +SKIP
    0.1
    """
    return kpi_values(VIDEO_KPIS, video_measures(store, resolve_account(store, account), date_from, date_to))


def daily_kpis(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> dict[str, Number | None]:
    """Per-day KPIs (DAILY_KPIS) summed over the days in the range; rates as fractions.

    >>> daily_kpis(store, "brand", "2026-03-01", "2026-03-31")["likes"]  # doctest: +SKIP
    1240
    """
    frame = daily_measures(store, resolve_account(store, account), date_from, date_to, include_provisional)
    return kpi_values(DAILY_KPIS, first_row(frame))


def kpis_by_account(store: Store, date_from: DateLike = None, date_to: DateLike = None) -> pd.DataFrame:
    """Per-video KPIs side by side: one row per account (primary first), one column per KPI."""
    frame = store.query(
        "kpi_video_totals", account=None, date_from=as_date(date_from), date_to=as_date(date_to)
    )
    out = with_ratios(frame, VIDEO_KPIS, keep=("account",))
    order = store.accounts()
    out["is_primary"] = out["account"] == (order[0] if order else None)
    return out.sort_values("account", key=lambda names: names.map(order.index)).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Period comparison


def previous_range(date_from: DateLike, date_to: DateLike) -> tuple[date, date]:
    """The range of the same length that ends the day before `date_from`.

    >>> previous_range("2026-03-08", "2026-03-14")
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 7))
    """
    start, end = as_date(date_from), as_date(date_to)
    if start is None or end is None or end < start:
        raise ValueError("a period needs a start and an end on or after it")
    previous_end = start - timedelta(days=1)
    return previous_end - (end - start), previous_end


def compare_periods(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> pd.DataFrame:
    """Every KPI in the range against the previous range of the same length.

    Columns: grain ('per_video' or 'per_day'), name, label, unit, fmt, current, previous,
    delta (current - previous, in the KPI's unit; fraction points for rates) and delta_rel
    (delta / |previous|, a fraction; None when previous is 0 or missing). Missing dates default
    to the account's whole data.
    """
    account = resolve_account(store, account)
    if date_from is None or date_to is None:
        first, last = data_extent(store, account)
        date_from, date_to = date_from or first, date_to or last
    if date_from is None or date_to is None:
        return pd.DataFrame(
            columns=["grain", "name", "label", "unit", "fmt", "current", "previous", "delta", "delta_rel"]
        )
    previous_from, previous_to = previous_range(date_from, date_to)
    pairs = (
        (
            "per_video",
            VIDEO_KPIS,
            video_kpis(store, account, date_from, date_to),
            video_kpis(store, account, previous_from, previous_to),
        ),
        (
            "per_day",
            DAILY_KPIS,
            daily_kpis(store, account, date_from, date_to, include_provisional),
            daily_kpis(store, account, previous_from, previous_to, include_provisional),
        ),
    )
    rows = []
    for grain, kpis, current, previous in pairs:
        for kpi in kpis:
            now, before = current[kpi.name], previous[kpi.name]
            delta = None if now is None or before is None else now - before
            rows.append(
                {
                    "grain": grain,
                    "name": kpi.name,
                    "label": kpi.label,
                    "unit": kpi.unit,
                    "fmt": kpi.fmt,
                    "current": now,
                    "previous": before,
                    "delta": delta,
                    "delta_rel": None if before is None else ratio(delta, abs(before)),
                }
            )
    return pd.DataFrame(rows)
