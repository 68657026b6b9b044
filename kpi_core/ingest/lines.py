"""The file's own line numbers of rejected rows, as an editor (and the user) counts them.

DuckDB numbers the rows it read; a broken line it skipped, a record spanning lines (a quoted
caption with line breaks), a blank line, Excel's "sep=;" line or a spreadsheet's empty rows all
make its numbers differ from the file's.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import pandas as pd

from kpi_core.ingest.loading import LoadedSheet
from kpi_core.ingest.readers import Sheet, record_lines


def row_errors(item: LoadedSheet, read_rows: int, rejected: pd.DataFrame) -> list[dict[str, Any]]:
    """Every rejection of a sheet as {line, column, reason}, in file order: its broken CSV lines,
    then the rows whose values were rejected (`rejected`: raw_row, column_name, reason)."""
    sheet = item.sheet
    rejected_lines = [line for line, _ in item.rejected_lines]
    mapped = _file_lines(sheet, read_rows, rejected_lines) if item.rejected_lines or len(rejected) else None
    to_file_line = mapped[0] if mapped else {}
    errors: list[dict[str, Any]] = []
    for duckdb_line, reason in item.rejected_lines:
        line = to_file_line.get(duckdb_line, duckdb_line) + sheet.lines_skipped
        errors.append({"line": line, "column": None, "reason": f"Line {line} {reason}"})
    if len(rejected):
        if mapped:
            row_lines = mapped[1]
            lines = rejected["raw_row"].map(lambda row: row_lines[int(row)])
        elif sheet.line_numbers:
            lines = _record_lines(rejected_lines, rejected["raw_row"])
        else:
            lines = pd.Series([None] * len(rejected), index=rejected.index)
        if sheet.lines_skipped:
            lines = lines + sheet.lines_skipped
        for (_, row), line in zip(rejected.iterrows(), lines, strict=True):
            where = f"Line {line}" if line is not None else f"Record {int(row['raw_row']) + 1}"
            errors.append(
                {
                    "line": None if line is None else int(line),
                    "column": row["column_name"],
                    "reason": f"{where}, column '{row['column_name']}': {row['reason']}",
                }
            )
    errors.sort(key=lambda e: (e["line"] is None, e["line"] or 0))
    return errors


def _record_lines(rejected_lines: list[int], rows: pd.Series) -> pd.Series:
    """File line numbers of accepted records (0-based raw rows), skipping the rejected lines."""
    rejected = sorted(rejected_lines)
    lines = []
    for row in rows:
        line = int(row) + 2  # the header is line 1
        # Every rejected line at or before the candidate pushes the record one line further.
        while True:
            shift = bisect_right(rejected, line)
            candidate = int(row) + 2 + shift
            if candidate == line:
                break
            line = candidate
        lines.append(line)
    return pd.Series(lines, index=rows.index, dtype="int64")


def _file_lines(
    sheet: Sheet, read_rows: int, csv_lines: list[int]
) -> tuple[dict[int, int], list[int]] | None:
    """The file's own line numbers, when some record is not exactly one line (or rows of a
    spreadsheet were skipped as empty).

    Returns (DuckDB's line -> file line, file line of each row of `raw`), or None when each record
    is one line (then DuckDB's numbers and `_record_lines` are already the file's) or when Python's
    reader and DuckDB split a broken file differently (then DuckDB's numbers are the best we have).
    """
    if sheet.row_lines is not None:  # XLSX: the spreadsheet's own row numbers
        return {}, sheet.row_lines
    if sheet.csv_path is None or sheet.dialect is None or sheet.line_count == 1 + read_rows + len(csv_lines):
        return None
    records = record_lines(sheet.csv_path, sheet.dialect.delimiter)
    skipped = set(csv_lines)
    rows = [line for counted, line in records if counted not in skipped]
    if len(rows) != read_rows or not skipped <= {counted for counted, _ in records}:
        return None
    return dict(records), rows
