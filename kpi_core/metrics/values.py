"""KPI values over any date range and account, from the declarations in registry.py.

A KPI is a sum, or a ratio of two sums (`sum(likes) / sum(views)`), never an average of
per-row ratios. Measures are aggregated in DuckDB from the registry's declarations
(`Store.aggregate` over `sql/kpi_video_rows.sql` and `sql/kpi_daily_rows.sql`); ratios.py
divides and applies each KPI's validity rule (`Kpi.guard`). A value that is missing, has a zero
denominator or fails its rule is None (NaN in frames), never 0, and `KpiValue.reason` says why.
Rates are fractions (0.0345 is 3.45 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.metrics.measures import DAILY_CONTEXT, Kpi, Measure
from kpi_core.metrics.ratios import KpiValue, Number, kpi_result, kpi_value, with_ratios
from kpi_core.metrics.registry import DAILY_KPIS, VIDEO_KPIS, aggregates
from kpi_core.metrics.scope import (
    NO_VIDEO_LIST,
    DateLike,
    accounts_with_video_list,
    as_date,
    has_video_list,
    plain,
    resolve_account,
)
from kpi_core.store import Store
from kpi_core.store.aggregate import Aggregate

__all__ = [
    "SIDE_BY_SIDE",
    "daily_kpis",
    "daily_measures",
    "daily_results",
    "daily_results_and_series",
    "daily_results_and_series_by_account",
    "first_row",
    "kpi_values",
    "kpis_by_account",
    "kpis_by_video",
    "side_by_side",
    "video_kpis",
    "video_measures",
    "video_results",
    "video_results_by_account",
]

# Accounts whose days one statement reads together (`daily_results_and_series_by_account`): fifty
# ten-year accounts in one took 100 MB more at its peak than one at a time; ten, 20 MB.
ACCOUNTS_PER_STATEMENT = 10

# Counts that are genuinely 0 (not missing) when a query finds no rows.
_ZERO_WHEN_EMPTY = (
    "videos",
    "days",
    "provisional_days",
    *(k.rows_column for k in (*VIDEO_KPIS, *DAILY_KPIS)),
)
_VIDEO_AGGREGATES = aggregates(VIDEO_KPIS)
_DAILY_AGGREGATES = aggregates(DAILY_KPIS, DAILY_CONTEXT)


def first_row(frame: pd.DataFrame) -> dict[str, Any]:
    """A one-row query result as plain values; no rows means zero counts and missing sums."""
    return _measures(None if frame.empty else frame.iloc[0].to_dict())


def _measures(row: Mapping[Any, Any] | None) -> dict[str, Any]:
    """One row of summed measures as plain values; no row means zero counts and missing sums."""
    if row is None:
        return {name: 0 for name in _ZERO_WHEN_EMPTY}
    return {str(k): plain(v) for k, v in row.items()}


def video_measures(
    store: Store,
    account: str | None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    extra: tuple[Measure, ...] = (),
    include_provisional: bool = False,
) -> dict[str, Any]:
    """Summed per-video measures of one account's videos posted in the range (None = open end),
    plus the `extra` measures over the same videos; the follower base counts the provisional
    days' follower counts only with `include_provisional`, as per-day figures do."""
    if account is None:
        return _measures(None)
    extra_aggregates = tuple(Aggregate(m.name, m.function, m.expr, m.where) for m in extra)
    return _measures(
        store.aggregate_row(
            "kpi_video_rows",
            ("account",),
            _VIDEO_AGGREGATES + extra_aggregates,
            account=account,
            date_from=as_date(date_from),
            date_to=as_date(date_to),
            include_provisional=include_provisional,
        )
    )


def daily_measures(
    store: Store,
    account: str | None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
    grain: str = "all",
    kpis: tuple[Kpi, ...] = DAILY_KPIS,
    extra: tuple[Aggregate, ...] = (),
) -> pd.DataFrame:
    """Daily measures summed per `grain` bucket ('day', 'week', 'month' or 'all'): the columns
    `kpis` need (every DAILY_KPIS by default), the `extra` aggregates and the bucket's first and
    last day."""
    return store.aggregate(
        "kpi_daily_rows",
        ("period",),
        (_DAILY_AGGREGATES if kpis == DAILY_KPIS else aggregates(kpis, DAILY_CONTEXT)) + extra,
        **_daily_rows(account, date_from, date_to, include_provisional, grain),
    )


def _daily_rows(
    account: str | list[str] | None,
    date_from: DateLike,
    date_to: DateLike,
    include_provisional: bool,
    grain: str,
) -> dict[str, Any]:
    """The parameters of sql/kpi_daily_rows.sql: the days of `account`, or of each of a list of
    accounts (none for None)."""
    if grain not in ("day", "week", "month", "all"):
        raise ValueError(f"unknown grain {grain!r}")
    return {
        "accounts": [] if account is None else [account] if isinstance(account, str) else list(account),
        "date_from": as_date(date_from),
        "date_to": as_date(date_to),
        "include_provisional": include_provisional,
        "grain": grain,
    }


def kpi_values(kpis: tuple[Kpi, ...], measures: Mapping[str, Any]) -> dict[str, Number | None]:
    """Each KPI's value from one row of summed measures, by KPI name."""
    return {kpi.name: kpi_value(kpi, measures) for kpi in kpis}


def video_results(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> dict[str, KpiValue]:
    """Per-video KPIs (VIDEO_KPIS) of videos posted in the range, each with its rows and reason;
    none, with the reason NO_VIDEO_LIST, for an account no file lists videos of (not 0 videos)."""
    account = resolve_account(store, account)
    if account is not None and not has_video_list(store, account):
        return _unlisted_results()
    return _video_results(
        video_measures(store, account, date_from, date_to, include_provisional=include_provisional)
    )


def video_results_by_account(
    store: Store, accounts: list[str], date_from: DateLike, date_to: DateLike
) -> dict[str, dict[str, KpiValue]]:
    """`video_results` of each of `accounts`, in one statement for all of them (each account's the
    very values it gets alone)."""
    listed = accounts_with_video_list(store)
    rows = store.aggregate_rows(
        "kpi_video_rows",
        ("account",),
        _VIDEO_AGGREGATES,
        account=None,
        date_from=as_date(date_from),
        date_to=as_date(date_to),
        include_provisional=False,  # as score() reads each account's
    )
    found = {str(row["account"]): row for row in rows}
    return {
        a: _video_results(_measures(found.get(a))) if a in listed else _unlisted_results() for a in accounts
    }


def _video_results(measures: Mapping[str, Any]) -> dict[str, KpiValue]:
    return {kpi.name: kpi_result(kpi, measures) for kpi in VIDEO_KPIS}


def _unlisted_results() -> dict[str, KpiValue]:
    return {kpi.name: KpiValue(kpi, None, 0, NO_VIDEO_LIST) for kpi in VIDEO_KPIS}


def daily_results(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> dict[str, KpiValue]:
    """Per-day KPIs (DAILY_KPIS) over the days in the range, each with its rows and reason."""
    return _daily_results(_daily_row(store, account, date_from, date_to, include_provisional))


def _daily_row(
    store: Store,
    account: str | None,
    date_from: DateLike,
    date_to: DateLike,
    include_provisional: bool,
    extra: tuple[Aggregate, ...] = (),
) -> dict[str, Any] | None:
    """The one row of the per-day measures over the range, with the `extra` aggregates."""
    return store.aggregate_row(
        "kpi_daily_rows",
        ("period",),
        _DAILY_AGGREGATES + extra,
        **_daily_rows(resolve_account(store, account), date_from, date_to, include_provisional, "all"),
    )


def _daily_results(row: dict[str, Any] | None) -> dict[str, KpiValue]:
    measures = _measures(row)
    return {kpi.name: kpi_result(kpi, measures) for kpi in DAILY_KPIS}


def daily_results_and_series(
    store: Store,
    account: str | None,
    date_from: DateLike,
    date_to: DateLike,
    series: Kpi,
    include_provisional: bool = False,
) -> tuple[dict[str, KpiValue], np.ndarray, list[Number | None]]:
    """`daily_results`, and the days of the range (datetime64[D], ascending) with `series`'s value on
    each (None where it has none), as `daily_series` gives them by day for a KPI that is a sum: one
    statement where asking for the series apart cost more than fitting a trend to it
    (bench/findings.md). The days leave DuckDB as day numbers: a list of ten years of dates took
    3.5 ms to become an array, longer than the trend's fit."""
    row = _daily_row(store, account, date_from, date_to, include_provisional, _series_lists(series))
    return _with_series(row)


def daily_results_and_series_by_account(
    store: Store,
    accounts: list[str],
    date_from: DateLike,
    date_to: DateLike,
    series: Kpi | None,
    include_provisional: bool = False,
) -> dict[str, tuple[dict[str, KpiValue], np.ndarray, list[Number | None]]]:
    """`daily_results_and_series` of each of `accounts`, in one statement for all of them (each
    account's the very values it gets alone): account -> (results, days, values). With `series`
    None the KPIs alone, and no days."""
    found: dict[str, dict[str, Any]] = {}
    for first in range(0, len(accounts), ACCOUNTS_PER_STATEMENT):
        rows = store.aggregate_rows(
            "kpi_daily_rows",
            ("account", "period"),
            _DAILY_AGGREGATES + (_series_lists(series) if series is not None else ()),
            **_daily_rows(
                accounts[first : first + ACCOUNTS_PER_STATEMENT],
                date_from,
                date_to,
                include_provisional,
                "all",
            ),
        )
        found.update((str(row.pop("account")), row) for row in rows)
    return {a: _with_series(found.get(a)) for a in accounts}


def _series_lists(series: Kpi) -> tuple[Aggregate, Aggregate]:
    """The two list aggregates that read a per-day sum's days and values with the per-day KPIs."""
    measure = series.numerator
    if series.grain != "per_day" or series.denominator is not None or measure.function not in ("sum", "fsum"):
        raise ValueError(f"{series.name!r} is not a per-day sum: its value on a day is not one row's")
    return (
        Aggregate("series__days", "list", "date - DATE '1970-01-01'"),
        Aggregate("series__values", "list", measure.expr, measure.where),
    )


def _with_series(
    row: dict[str, Any] | None,
) -> tuple[dict[str, KpiValue], np.ndarray, list[Number | None]]:
    days = np.array(row.pop("series__days", []) if row else [], dtype=np.int64).astype("datetime64[D]")
    values = row.pop("series__values", []) if row else []
    return _daily_results(row), days, values


def video_kpis(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> dict[str, Number | None]:
    """Per-video KPIs (VIDEO_KPIS) of videos posted in the range; rates as fractions.

    >>> video_kpis(store, "brand", "2026-03-01", "2026-03-31")["like_rate"]  # doctest: +SKIP
    0.1
    """
    return {name: r.value for name, r in video_results(store, account, date_from, date_to).items()}


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
    results = daily_results(store, account, date_from, date_to, include_provisional)
    return {name: r.value for name, r in results.items()}


def kpis_by_account(
    store: Store,
    date_from: DateLike = None,
    date_to: DateLike = None,
    extra: tuple[Measure, ...] = (),
    include_provisional: bool = False,
) -> pd.DataFrame:
    """Per-video KPIs side by side: one row per account with videos posted in the range (primary
    first), one column per KPI, a `<kpi>_note` column beside each with the reason it is missing
    (None where it stands) and a `<kpi>__rows` column with the videos behind it, plus one column
    per `extra` measure over the same videos. One query for every account. `is_primary` marks
    the account the pages open on; `is_own` marks it only when it is the user's own (`Store.own_account`):
    with scraper files alone it is the handle with the most videos, which may be a competitor."""
    extra_aggregates = tuple(Aggregate(m.name, m.function, m.expr, m.where) for m in extra)
    frame = store.aggregate(
        "kpi_video_rows",
        ("account",),
        _VIDEO_AGGREGATES + extra_aggregates,
        account=None,
        date_from=as_date(date_from),
        date_to=as_date(date_to),
        include_provisional=include_provisional,
    )
    keep = ("account", *dict.fromkeys(k.rows_column for k in VIDEO_KPIS), *(m.name for m in extra))
    out = with_ratios(frame, VIDEO_KPIS, keep=keep, notes=True)
    order = store.accounts()
    out["is_primary"] = out["account"] == (order[0] if order else None)
    out["is_own"] = out["account"] == store.own_account()
    position = {name: i for i, name in enumerate(order)}
    return out.sort_values("account", key=lambda names: names.map(position)).reset_index(drop=True)


SIDE_BY_SIDE = 6  # accounts drawn as cards and bars: yours and the 5 competitors with the most videos


def side_by_side(table: pd.DataFrame, limit: int = SIDE_BY_SIDE) -> pd.DataFrame:
    """The accounts of a `kpis_by_account` table that cards and bars draw: the primary account,
    then the competitors with the most videos in the period (then the most likes, then by handle),
    `limit` in all. A scrape of hundreds of handles stays a readable page; its table keeps them all.
    """
    if len(table) <= limit:
        return table
    primary = table[table["is_primary"]]
    others = table[~table["is_primary"]].sort_values(
        ["videos", "likes", "account"], ascending=[False, False, True], na_position="last", kind="stable"
    )
    return pd.concat([primary, others.head(limit - len(primary))]).reset_index(drop=True)


def kpis_by_video(
    store: Store,
    account: str | None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    names: tuple[str, ...] = ("like_rate", "engagement_rate_by_view"),
) -> pd.DataFrame:
    """Per-video KPIs `names` computed on each video alone, with the registry's formulas and rules
    (a video with more likes than views gets no like rate). Columns: video_id, one per KPI."""
    kpis = tuple(k for k in VIDEO_KPIS if k.name in names)
    account = resolve_account(store, account)
    if account is None:
        return pd.DataFrame(columns=["video_id", *names])
    frame = store.aggregate(
        "kpi_video_rows",
        ("video_id",),
        aggregates(kpis),
        account=account,
        date_from=as_date(date_from),
        date_to=as_date(date_to),
        include_provisional=False,  # no rate by follower: the base does not count
    )
    return with_ratios(frame, kpis, keep=("video_id",))
