"""Downloads that are safe to open in a spreadsheet.

A text cell starting with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
Sheets (OWASP "CSV injection"); such cells get a leading apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

import io
import re

import pandas as pd

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


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """An XLSX workbook, formula-safe: text is written as text, numbers as numbers."""
    buffer = io.BytesIO()
    safe = safe_frame(frame)
    for column in safe.columns:
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet_title(sheet_name))
    return buffer.getvalue()
