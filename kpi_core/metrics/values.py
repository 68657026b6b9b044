"""KPI values over any date range and account, from the declarations in registry.py.

A KPI is a sum, or a ratio of two sums (`sum(likes) / sum(views)`), never an average of
per-row ratios. Measures are aggregated in DuckDB from the registry's declarations
(`Store.aggregate` over `sql/kpi_video_rows.sql` and `sql/kpi_daily_rows.sql`); this module only
divides. A ratio whose denominator is zero or missing is None (NaN in frames), never 0. Rates
are fractions (0.0345 is 3.45 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.metrics.registry import DAILY_CONTEXT, DAILY_KPIS, VIDEO_KPIS, Kpi, aggregates
from kpi_core.metrics.scope import DateLike, as_date, data_extent, plain, resolve_account
from kpi_core.store import Store

__all__ = [
    "compare_periods",
    "daily_kpis",
    "daily_measures",
    "first_row",
    "format_kpi",
    "kpi_value",
    "kpi_values",
    "kpis_by_account",
    "previous_range",
    "ratio",
    "video_kpis",
    "video_measures",
    "with_ratios",
]

Number = int | float

# Counts that are genuinely 0 (not missing) when a query finds no rows.
_ZERO_WHEN_EMPTY = ("videos", "days", "provisional_days")
_VIDEO_AGGREGATES = aggregates(VIDEO_KPIS)
_DAILY_AGGREGATES = aggregates(DAILY_KPIS, DAILY_CONTEXT)


# ---------------------------------------------------------------------------------------------
# Values


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

    >>> kpi_value(VIDEO_KPIS[6], {"like_rate__num": 60, "like_rate__den": 600})
    0.1
    """
    numerator = plain(measures.get(kpi.numerator_column))
    if kpi.denominator_column is None:
        return numerator
    return ratio(numerator, plain(measures.get(kpi.denominator_column)), kpi.scale)


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
        numerator = frame[kpi.numerator_column]
        if kpi.denominator_column is None:
            out[kpi.name] = numerator
            continue
        num = numerator.to_numpy(dtype=float, na_value=np.nan)
        den = frame[kpi.denominator_column].to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[kpi.name] = np.where(den == 0, np.nan, num / den) * kpi.scale
    return out


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
        store.aggregate(
            "kpi_video_rows",
            ("account",),
            _VIDEO_AGGREGATES,
            account=account,
            date_from=as_date(date_from),
            date_to=as_date(date_to),
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
    return store.aggregate(
        "kpi_daily_rows",
        ("period",),
        _DAILY_AGGREGATES,
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
    frame = store.aggregate(
        "kpi_video_rows",
        ("account",),
        _VIDEO_AGGREGATES,
        account=None,
        date_from=as_date(date_from),
        date_to=as_date(date_to),
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
