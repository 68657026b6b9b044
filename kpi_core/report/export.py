"""Downloads that are safe to open in a spreadsheet.

A text cell starting with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
Sheets (OWASP "CSV injection"); such cells get a leading apostrophe. Numbers stay numbers, and in
an XLSX file a rate (a fraction, 0.0345) is a number shown as a percentage (3.45%): the metric
registry says which KPIs are rates.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from kpi_core.metrics.registry import DAILY_KPIS, VIDEO_KPIS, kpi

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The value, with a leading apostrophe if it is text a spreadsheet would run as a formula.

    >>> neutralise("=HYPERLINK(\\"x\\")"), neutralise(-5), neutralise("-5")
    ('\\'=HYPERLINK("x")', -5, "'-5")
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) cannot run as formulas."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


def sheet_title(name: str) -> str:
    """`name` as a worksheet title Excel accepts: at most 31 characters, none of []:*?/\\.

    >>> sheet_title("KPIs: 2026/03")
    'KPIs  2026 03'
    """
    title = re.sub(r"[\[\]:*?/\\]", " ", name).strip("'")[:31].strip()
    return title or "data"


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads accents right), formula-safe.

    Rows end in CRLF (RFC 4180), which also makes the writer quote any cell holding a carriage
    return: with LF endings, "a\\r=1+1" would go out unquoted, and Excel, which breaks rows on a
    bare CR, would read "=1+1" as a new cell.
    """
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


PERCENT_FORMAT = "0.00%"
# Columns that hold a fraction on every row: each rate KPI by name, and a relative change.
RATE_COLUMNS = frozenset({k.name for k in (*VIDEO_KPIS, *DAILY_KPIS) if k.is_rate} | {"relative_change"})
# In a table of KPIs (a row per KPI, as report.summary.kpi_table makes), the value columns are
# fractions on the rows of a rate KPI.
_KPI_VALUE_COLUMNS = ("current", "previous", "change")


def rate_cells(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per column, which rows hold a rate (a fraction 0..1 shown as a percentage).

    >>> rate_cells(pd.DataFrame({"like_rate": [0.05], "likes": [10]}))["like_rate"].tolist()
    [True]
    """
    cells = {c: np.ones(len(frame), dtype=bool) for c in frame.columns if c in RATE_COLUMNS}
    if {"grain", "kpi"} <= set(frame.columns):
        rates = np.array(
            [_is_rate(str(g), str(n)) for g, n in zip(frame["grain"], frame["kpi"], strict=True)], dtype=bool
        )
        cells.update({c: rates for c in _KPI_VALUE_COLUMNS if c in frame.columns})
    return cells


def _is_rate(grain: str, name: str) -> bool:
    try:
        return kpi(grain, name).is_rate
    except KeyError:
        return False


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """An XLSX workbook, formula-safe: text is written as text, numbers as numbers, and rates as
    numbers with a percent format (the cell holds 0.0345 and shows 3.45%)."""
    buffer = io.BytesIO()
    safe = safe_frame(frame)
    for column in safe.columns:
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    rates = rate_cells(frame)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        title = sheet_title(sheet_name)
        safe.to_excel(writer, index=False, sheet_name=title)
        sheet = writer.sheets[title]
        for index, column in enumerate(frame.columns, start=1):
            for row in np.flatnonzero(rates.get(column, ())):
                sheet.cell(row=int(row) + 2, column=index).number_format = PERCENT_FORMAT
    return buffer.getvalue()
