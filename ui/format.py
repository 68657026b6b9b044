"""Numbers for people: 12.3K likes, 4.56 % like rate, "n/a" when there is no value."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd

from kpi_core.ingest import DEFAULT_ACCOUNT, FileResult
from kpi_core.metrics.findings import day_span, plural

__all__ = [
    "NO_VALUE",
    "compact",
    "delta_text",
    "file_line",
    "handle",
    "kpi_text",
    "percent",
    "plural",
    "posted_text",
    "text_columns",
]

NO_VALUE = "n/a"


def _missing(value: object) -> bool:
    # pd.NA (a missing value of an Int64 column) must be caught here: "{:,.0f}".format(pd.NA) is "<NA>".
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


def compact(value: float | int | None) -> str:
    """1234 -> '1.2K', 3_400_000 -> '3.4M', 987 -> '987'."""
    if _missing(value):
        return NO_VALUE
    v = float(value)  # type: ignore[arg-type]
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(v) >= size:
            shown = f"{v / size:.1f}".rstrip("0").rstrip(".")
            return f"{shown}{suffix}"
    return f"{v:,.0f}" if v == int(v) else f"{v:,.1f}"


def percent(value: float | None, digits: int = 2) -> str:
    """0.04561 -> '4.56%'."""
    return NO_VALUE if _missing(value) else f"{value:.{digits}%}"


def posted_text(posted: datetime | None, time_known: bool) -> str:
    """When a video was posted: 'Sun 14 Jun 2026, 15:30', or 'Sat 13 Jun 2026' when the export gives
    only the date (TikTok Studio's Content file), where a time would read as a made-up midnight."""
    if posted is None or pd.isna(posted):
        return NO_VALUE
    day = f"{posted:%a} {posted.day} {posted:%b %Y}"
    return f"{day}, {posted:%H:%M}" if time_known else day


def kpi_text(value: float | int | None, fmt: str) -> str:
    """A KPI value in its declared format: rates as percentages, counts compact."""
    if _missing(value):
        return NO_VALUE
    if "%" in fmt:
        return percent(value)  # type: ignore[arg-type]
    if fmt.startswith("{:+"):
        return ("+" if value >= 0 else "-") + compact(abs(value))  # type: ignore[operator, arg-type]
    return compact(value)


def delta_text(delta: float | None, fmt: str) -> str | None:
    """A period-over-period change for st.metric: percentage points for rates."""
    if _missing(delta):
        return None
    if "%" in fmt:
        return f"{delta * 100:+.2f} pp"  # type: ignore[operator]
    return ("+" if delta >= 0 else "-") + compact(abs(delta))  # type: ignore[operator, arg-type]


def points(value: float) -> str:
    """A difference of two rates in percentage points: 0.0342 -> '+3.42 pp'."""
    return f"{value * 100:+.2f} pp"


def benchmark_note(rows: pd.DataFrame, rule: str = "") -> str:
    """Why the account has no value on some benchmark rows (`benchmark_comparison`'s account_note),
    then the `rule` its value follows; plain text."""
    reasons = sorted({str(r) for r in rows["account_note"].dropna()})
    missing = f"No diamond — {'; '.join(reasons)}." if reasons else ""
    return f"{missing} {rule}".strip()


def text_columns(
    frame: pd.DataFrame, formats: Mapping[str, str | Callable[[Any], str]], missing: str = NO_VALUE
) -> pd.DataFrame:
    """`frame` with each column of `formats` written out ("{:.2%}" or a function), `missing` where
    a value is missing: st.dataframe shows a missing value as "None" whatever a Styler says.

    >>> text_columns(pd.DataFrame({"r": [0.034, None]}), {"r": "{:.2%}"})["r"].tolist()
    ['3.40%', 'n/a']
    """
    out = frame.copy()
    for column, fmt in formats.items():
        write = fmt.format if isinstance(fmt, str) else fmt
        out[column] = [missing if _missing(v) else write(v) for v in frame[column]]
    return out


def handle(account: str | None) -> str:
    """An account as people write it: '@brand.name', but the placeholder for files that named no
    handle stays 'my account' (it is not a handle, and an '@' would make it look like one)."""
    return DEFAULT_ACCOUNT if account == DEFAULT_ACCOUNT else f"@{account}"


def file_line(r: FileResult) -> str:
    """One plain-text line per read table: what it is, whose, which days, rows kept and rejected."""
    if r.error:
        return f"✗ {r.error}"
    span = day_span(r.date_from, r.date_to) if r.date_from and r.date_to else "no dates"
    return (
        f"✓ {r.name}: {r.label or r.kind}, {handle(r.account)}, {span} · {r.rows:,} rows: "
        f"{r.accepted:,} accepted, {r.rejected:,} rejected"
    )


def gaps_as_text(
    frame: pd.DataFrame, formats: Mapping[str, str | Callable[[Any], str]], columns: list[str] | None = None
) -> tuple[pd.DataFrame, set[str]]:
    """`frame` with every shown column that has a missing value written out as text (its format
    from `formats`, else "{:,}" for numbers and str otherwise; NO_VALUE where missing), and the set
    of columns so written. Complete columns keep their numbers, so they still sort as numbers.
    st.dataframe shows a missing value as "None" whatever a Styler says, hence this."""
    out = frame.copy()
    written: set[str] = set()
    for column in columns if columns is not None else list(frame.columns):
        if column not in frame.columns or not frame[column].isna().any():
            continue
        fmt = formats.get(column)
        if fmt is None:
            numeric = pd.api.types.is_numeric_dtype(frame[column])
            fmt = "{:,.0f}" if numeric else "{}"
        write = fmt.format if isinstance(fmt, str) else fmt
        out[column] = [NO_VALUE if _missing(v) else write(v) for v in frame[column]]
        written.add(column)
    return out, written
