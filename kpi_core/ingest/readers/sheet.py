"""`Sheet`: one table of text from an upload, as every reader yields it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kpi_core.store.raw_reader import CsvDialect


@dataclass
class Sheet:
    """One table of text from an upload: what ingest needs to recognise and read it."""

    name: str  # shown to the user: "Overview_...zip/Overview.csv"
    header: list[str]
    csv_path: Path | None = None  # a staged UTF-8 CSV, read by DuckDB
    dialect: CsvDialect | None = None
    frame: pd.DataFrame | None = None  # text columns c0..cN (XLSX, JSON)
    line_numbers: bool = True  # JSON records have no lines
    hints: dict[str, object] = field(default_factory=dict)  # account / export_date from a ZIP name
    digest: str = ""  # content hash, so the same file uploaded twice changes nothing
    line_count: int = 0  # lines of a staged CSV, to tell whether every record is one line
    row_lines: list[int] | None = None  # a spreadsheet's row number of each row of `frame`
    notes: list[str] = field(default_factory=list)  # things the reader saw that the user should know
    lines_skipped: int = 0  # lines before the header that were not staged (Excel's "sep=;")
