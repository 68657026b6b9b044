"""KPI values over any date range and account, from the declarations in registry.py.

A KPI is a sum, or a ratio of two sums (`sum(likes) / sum(views)`), never an average of
per-row ratios. Measures are aggregated in DuckDB from the registry's declarations
(`Store.aggregate` over `sql/kpi_video_rows.sql` and `sql/kpi_daily_rows.sql`); this module only
divides and applies each KPI's validity rule (`Kpi.guard`). A value that is missing, has a zero
denominator or fails its rule is None (NaN in frames), never 0, and `KpiValue.reason` says why.
Rates are fractions (0.0345 is 3.45 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.metrics.findings import plural
from kpi_core.metrics.registry import (
    DAILY_CONTEXT,
    DAILY_KPIS,
    ROW_NOUN,
    VIDEO_KPIS,
    Kpi,
    Measure,
    Parts,
    aggregates,
)
from kpi_core.metrics.scope import DateLike, as_date, data_extent, plain, resolve_account
from kpi_core.store import Store
from kpi_core.store.aggregate import Aggregate

__all__ = [
    "NO_EARLIER_DATA",
    "headline",
    "KpiValue",
    "compare_periods",
    "coverage",
    "daily_kpis",
    "daily_measures",
    "daily_results",
    "first_row",
    "format_kpi",
    "kpi_result",
    "kpi_value",
    "kpi_values",
    "kpis_by_account",
    "kpis_by_video",
    "previous_range",
    "ratio",
    "statistic_result",
    "video_kpis",
    "video_measures",
    "video_results",
    "with_ratios",
]

Number = int | float

NO_EARLIER_DATA = "no earlier data"
# Counts that are genuinely 0 (not missing) when a query finds no rows.
_ZERO_WHEN_EMPTY = (
    "videos",
    "days",
    "provisional_days",
    *(k.rows_column for k in (*VIDEO_KPIS, *DAILY_KPIS)),
)
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


@dataclass(frozen=True)
class KpiValue:
    """One KPI's value with what it rests on.

    `rows` counts the videos (per_video) or days (per_day) where the KPI's numerator and
    denominator are both known: what went into the value. `reason` says why `value` is None (no
    data, a zero denominator, or the KPI's validity rule); None when the value stands.
    """

    kpi: Kpi
    value: Number | None
    rows: int
    reason: str | None = None
    numerator: Number | None = None
    denominator: Number | None = None

    @property
    def base(self) -> str:
        """The rows behind the value as words: '26 days', '1 video'."""
        return plural(self.rows, *ROW_NOUN[self.kpi.grain])

    @property
    def division(self) -> str | None:
        """The division behind a ratio, in the words of its formula: '9,674 likes / 24 days',
        '9,459 likes / 104,927 views', '41.6 interactions per day / 1,520 average followers'.
        None for a plain count or when a part is missing."""
        kpi, num, den = self.kpi, self.numerator, self.denominator
        if kpi.denominator is None or num is None or not den or not self.rows:
            return None
        one, _ = ROW_NOUN[kpi.grain]
        if kpi.denominator.function in ("count", "count_rows"):
            return f"{_counted(num, kpi.numerator.noun)} / {self.base}"
        if kpi.denominator.name == "followers":
            return (
                f"{num / self.rows:,.1f} {kpi.numerator.noun} per {one} / "
                f"{den / self.rows:,.0f} average followers ({self.base})"
            )
        return f"{_counted(num, kpi.numerator.noun)} / {_counted(den, kpi.denominator.noun)} ({self.base})"


def _counted(value: Number, noun: str) -> str:
    """'9,459 likes', '1 like': a sum with its noun, singular for exactly one."""
    return f"{value:,} {noun[:-1] if value == 1 and noun.endswith('s') else noun}"


def headline(reason: str) -> str:
    """The first words of a reason, before its details: what a card has room for.

    >>> headline("followers ×140 in the period: they grew from 24 to 3,352, and ...")
    'followers ×140 in the period'
    """
    return reason.split(": ", 1)[0]


def _missing_reason(kpi: Kpi, rows: int, denominator: Number | None) -> str:
    n, d = kpi.numerator, kpi.denominator
    if rows and d is not None and denominator == 0:
        return f"the {d.noun} add up to 0"
    if d is None or d.function in ("count", "count_rows"):
        if kpi.grain == "per_video":
            return f"no data: no {n.noun} for videos posted in the period"
        return f"no data: no daily {n.noun} in the period"
    where = "videos posted in the period" if kpi.grain == "per_video" else "days in the period"
    return f"no data: no {where} with both {n.noun} and {d.noun}"


def kpi_result(kpi: Kpi, measures: Mapping[str, Any]) -> KpiValue:
    """The KPI's value from one row of aggregated measures, with its rows and, if None, the reason.

    >>> kpi_result(VIDEO_KPIS[6], {"like_rate__num": 60, "like_rate__den": 600, "like_rate__rows": 3}).value
    0.1
    """
    numerator = plain(measures.get(kpi.numerator_column))
    denominator = None if kpi.denominator_column is None else plain(measures.get(kpi.denominator_column))
    unscaled = numerator if kpi.denominator_column is None else ratio(numerator, denominator)
    result = statistic_result(kpi, measures, unscaled)
    if result.value is None or kpi.denominator_column is None:
        return result
    return KpiValue(kpi, result.value * kpi.scale, result.rows, None, numerator, denominator)


def statistic_result(kpi: Kpi, measures: Mapping[str, Any], statistic: Number | None) -> KpiValue:
    """`statistic`, a figure on the KPI's own rows and scale 1 (its unscaled value, or the median
    of its per-row ratios), checked by the KPI's validity rule; None with the reason when it fails.
    """
    numerator = plain(measures.get(kpi.numerator_column))
    denominator = None if kpi.denominator_column is None else plain(measures.get(kpi.denominator_column))
    rows = int(plain(measures.get(kpi.rows_column)) or 0)
    statistic = plain(statistic)
    if statistic is None or numerator is None:
        return KpiValue(kpi, None, rows, _missing_reason(kpi, rows, denominator), numerator, denominator)
    if kpi.guard is not None:
        extra = {m.name: plain(measures.get(kpi.guard_column(m))) for m in kpi.guard.measures}
        reason = kpi.guard.check(Parts(float(statistic), float(numerator), denominator, rows, extra))
        if reason is not None:
            return KpiValue(kpi, None, rows, reason, numerator, denominator)
    return KpiValue(kpi, statistic, rows, None, numerator, denominator)


def kpi_value(kpi: Kpi, measures: Mapping[str, Any]) -> Number | None:
    """The KPI's value from one row of aggregated measures (None when missing or failing its rule).

    >>> kpi_value(VIDEO_KPIS[6], {"like_rate__num": 60, "like_rate__den": 600, "like_rate__rows": 3})
    0.1
    """
    return kpi_result(kpi, measures).value


def format_kpi(kpi: Kpi, value: Number | None) -> str:
    """The value as text in the KPI's format; "n/a" when missing.

    >>> format_kpi(VIDEO_KPIS[6], 0.0345)
    '3.45%'
    """
    return "n/a" if value is None else kpi.fmt.format(value)


def with_ratios(
    frame: pd.DataFrame, kpis: tuple[Kpi, ...], keep: tuple[str, ...] = (), notes: bool = False
) -> pd.DataFrame:
    """Columns `keep` plus one column per KPI computed per row (NaN when missing or failing its rule).

    With `notes`, a `<kpi>_note` column beside each gives the reason a value is missing (None
    where it stands).
    """
    out = frame[list(keep)].copy()
    records = frame.to_dict("records") if notes or any(k.guard for k in kpis) else []
    for kpi in kpis:
        numerator = frame[kpi.numerator_column]
        if kpi.denominator_column is None:
            out[kpi.name] = numerator
        else:
            num = numerator.to_numpy(dtype=float, na_value=np.nan)
            den = frame[kpi.denominator_column].to_numpy(dtype=float, na_value=np.nan)
            with np.errstate(divide="ignore", invalid="ignore"):
                out[kpi.name] = np.where(den == 0, np.nan, num / den) * kpi.scale
        if kpi.guard is None:
            if notes:  # without a rule, a value has a reason exactly where it is missing
                missing = pd.isna(out[kpi.name]).to_numpy(dtype=bool)
                out[f"{kpi.name}_note"] = [
                    kpi_result(kpi, record).reason if gone else None
                    for record, gone in zip(records, missing, strict=True)
                ]
            continue
        results = [kpi_result(kpi, record) for record in records]
        if kpi.guard is not None:
            failed = np.array([r.value is None for r in results], dtype=bool)
            out[kpi.name] = out[kpi.name].astype(float).mask(failed)
        if notes:
            out[f"{kpi.name}_note"] = [r.reason for r in results]
    return out


# ---------------------------------------------------------------------------------------------
# KPI values


def first_row(frame: pd.DataFrame) -> dict[str, Any]:
    """A one-row query result as plain values; no rows means zero counts and missing sums."""
    if frame.empty:
        return {name: 0 for name in _ZERO_WHEN_EMPTY}
    return {str(k): plain(v) for k, v in frame.iloc[0].items()}


def video_measures(
    store: Store,
    account: str | None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    extra: tuple[Measure, ...] = (),
) -> dict[str, Any]:
    """Summed per-video measures of one account's videos posted in the range (None = open end),
    plus the `extra` measures over the same videos."""
    if account is None:
        return first_row(pd.DataFrame())
    extra_aggregates = tuple(Aggregate(m.name, m.function, m.expr, m.where) for m in extra)
    return first_row(
        store.aggregate(
            "kpi_video_rows",
            ("account",),
            _VIDEO_AGGREGATES + extra_aggregates,
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


def video_results(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> dict[str, KpiValue]:
    """Per-video KPIs (VIDEO_KPIS) of videos posted in the range, each with its rows and reason."""
    measures = video_measures(store, resolve_account(store, account), date_from, date_to)
    return {kpi.name: kpi_result(kpi, measures) for kpi in VIDEO_KPIS}


def daily_results(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> dict[str, KpiValue]:
    """Per-day KPIs (DAILY_KPIS) over the days in the range, each with its rows and reason."""
    frame = daily_measures(store, resolve_account(store, account), date_from, date_to, include_provisional)
    measures = first_row(frame)
    return {kpi.name: kpi_result(kpi, measures) for kpi in DAILY_KPIS}


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
) -> pd.DataFrame:
    """Per-video KPIs side by side: one row per account with videos posted in the range (primary
    first), one column per KPI, a `<kpi>_note` column beside each with the reason it is missing
    (None where it stands) and a `<kpi>__rows` column with the videos behind it, plus one column
    per `extra` measure over the same videos. One query for every account."""
    extra_aggregates = tuple(Aggregate(m.name, m.function, m.expr, m.where) for m in extra)
    frame = store.aggregate(
        "kpi_video_rows",
        ("account",),
        _VIDEO_AGGREGATES + extra_aggregates,
        account=None,
        date_from=as_date(date_from),
        date_to=as_date(date_to),
    )
    keep = ("account", *dict.fromkeys(k.rows_column for k in VIDEO_KPIS), *(m.name for m in extra))
    out = with_ratios(frame, VIDEO_KPIS, keep=keep, notes=True)
    order = store.accounts()
    out["is_primary"] = out["account"] == (order[0] if order else None)
    position = {name: i for i, name in enumerate(order)}
    return out.sort_values("account", key=lambda names: names.map(position)).reset_index(drop=True)


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
    )
    return with_ratios(frame, kpis, keep=("video_id",))


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


_COMPARISON_COLUMNS = [
    "grain",
    "name",
    "label",
    "unit",
    "fmt",
    "current",
    "previous",
    "delta",
    "delta_rel",
    "current_rows",
    "previous_rows",
    "rows_unit",
    "period_days",
    "coverage",
    "note",
    "comparison",
    "division",
]


def coverage(kpi: Kpi, current_rows: int, previous_rows: int, period_days: int) -> str | None:
    """What the two values of a comparison rest on, when that is not the same whole period.

    Per day: the days with data out of the period's days ("previous: 26 of 28 days", "now: 26 of 28
    days", "26 of 28 days vs 12"); per video: the videos behind each value when their numbers
    differ ("9 videos vs 4 before"). Short enough for a card.
    None when there is no earlier data, or both values rest on the same base.

    >>> coverage(DAILY_KPIS[1], 28, 26, 28)
    'previous: 26 of 28 days'
    """
    if previous_rows == 0 or current_rows == previous_rows:
        return None
    if kpi.grain == "per_video":
        if kpi.numerator.function == "count_rows":  # the video count itself
            return None
        return f"{plural(current_rows, 'video')} vs {plural(previous_rows, 'video')} before"
    days = plural(period_days, "day")
    if current_rows == period_days:
        return f"previous: {previous_rows:,} of {days}"
    if previous_rows == period_days:
        return f"now: {current_rows:,} of {days}"
    return f"{current_rows:,} of {days} vs {previous_rows:,}"


def compare_periods(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> pd.DataFrame:
    """Every KPI in the range against the previous range of the same length, only against data.

    Columns: grain ('per_video' or 'per_day'), name, label, unit, fmt, current, previous,
    delta (current - previous, in the KPI's unit; fraction points for rates), delta_rel
    (delta / |previous|, a fraction; None when previous is 0 or missing); current_rows and
    previous_rows (the videos or days behind each value, `rows_unit`), period_days (the range's
    length), coverage (`coverage()`: the bases when they differ), note (why the current value is
    missing), comparison (why there is no delta: NO_EARLIER_DATA when the previous period has
    no rows for the KPI, else the reason its previous value is missing) and division (the current
    value's division in words, `KpiValue.division`). A delta is given only when both values
    exist. Missing dates default to the account's whole data.
    """
    account = resolve_account(store, account)
    if date_from is None or date_to is None:
        first, last = data_extent(store, account)
        date_from, date_to = date_from or first, date_to or last
    if date_from is None or date_to is None:
        return pd.DataFrame(columns=_COMPARISON_COLUMNS)
    previous_from, previous_to = previous_range(date_from, date_to)
    period_days = (previous_to - previous_from).days + 1
    pairs = (
        (
            video_results(store, account, date_from, date_to),
            video_results(store, account, previous_from, previous_to),
        ),
        (
            daily_results(store, account, date_from, date_to, include_provisional),
            daily_results(store, account, previous_from, previous_to, include_provisional),
        ),
    )
    rows = []
    for current, previous in pairs:
        for name, now in current.items():
            before, kpi = previous[name], now.kpi
            if before.rows == 0:
                comparison: str | None = NO_EARLIER_DATA
            elif before.value is None:
                comparison = f"no earlier value: {before.reason}"
            else:
                comparison = None
            delta = None
            if comparison is None and now.value is not None and before.value is not None:
                delta = now.value - before.value
            rows.append(
                {
                    "grain": kpi.grain,
                    "name": kpi.name,
                    "label": kpi.label,
                    "unit": kpi.unit,
                    "fmt": kpi.fmt,
                    "current": now.value,
                    "previous": before.value,
                    "delta": delta,
                    "delta_rel": None if delta is None else ratio(delta, abs(before.value or 0)),
                    "current_rows": now.rows,
                    "previous_rows": before.rows,
                    "rows_unit": kpi.rows_noun,
                    "period_days": period_days,
                    "coverage": coverage(kpi, now.rows, before.rows, period_days),
                    "note": now.reason,
                    "comparison": comparison,
                    "division": now.division,
                }
            )
    return pd.DataFrame(rows, columns=_COMPARISON_COLUMNS)
