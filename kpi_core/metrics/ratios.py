"""One KPI's value from its summed measures: the ratio of sums, its validity rule (`Kpi.guard`), the
reason when it is n/a, and its text in the KPI's format.

A value that is missing, has a zero denominator or fails its rule is None (NaN in frames), never
0, and `KpiValue.reason` says why. Rates are fractions (0.0345 is 3.45 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.metrics.findings import plural
from kpi_core.metrics.measures import ROW_NOUN, Kpi, Parts
from kpi_core.metrics.scope import plain

__all__ = [
    "KpiValue",
    "Number",
    "format_kpi",
    "headline",
    "kpi_result",
    "kpi_value",
    "ratio",
    "statistic_result",
    "with_ratios",
]

Number = int | float


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


NO_DATA = "no data"  # the head of the reason of a value with no row behind it


def _missing_reason(kpi: Kpi, rows: int, denominator: Number | None) -> str:
    n, d = kpi.numerator, kpi.denominator
    if rows and d is not None and denominator == 0:
        return f"the {d.noun} add up to 0"
    # "The videos of the period": posted in it, or listed for it when TikTok Studio's Content
    # exports alone list them (`scope.videos_in_period`); "no videos posted" was untrue of a sample.
    if d is None or d.function in ("count", "count_rows"):
        if kpi.grain == "per_video":
            return f"{NO_DATA}: no {n.noun} for the videos of the period"
        return f"{NO_DATA}: no daily {n.noun} in the period"
    if kpi.grain == "per_video":
        return f"{NO_DATA}: no video of the period has both {n.noun} and {d.noun}"
    return f"{NO_DATA}: no days in the period with both {n.noun} and {d.noun}"


def kpi_result(kpi: Kpi, measures: Mapping[str, Any]) -> KpiValue:
    """The KPI's value from one row of aggregated measures, with its rows and, if None, the reason.

    >>> from kpi_core.metrics.registry import kpi
    >>> kpi_result(kpi("per_video", "like_rate"), {"like_rate__num": 60, "like_rate__den": 600, "like_rate__rows": 3}).value
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

    >>> from kpi_core.metrics.registry import kpi
    >>> kpi_value(kpi("per_video", "like_rate"), {"like_rate__num": 60, "like_rate__den": 600, "like_rate__rows": 3})
    0.1
    """
    return kpi_result(kpi, measures).value


def format_kpi(kpi: Kpi, value: Number | None) -> str:
    """The value as text in the KPI's format; "n/a" when missing.

    >>> from kpi_core.metrics.registry import kpi
    >>> format_kpi(kpi("per_video", "like_rate"), 0.0345)
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
