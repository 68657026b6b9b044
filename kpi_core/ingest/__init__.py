"""The ingestion layer: uploaded bytes -> recognised tables -> canonical rows, with row accounting.

- `readers`: bytes -> tables of text (CSV, XLSX, JSON, ZIP), with the size caps of `limits`;
- `formats`: recognise a table by its headers, and the canonical vocabulary; `mapping`: the column
  mapping of sheets that are not a known export; `unused`: the notes naming headers not stored;
- `dates` and `counts`: the text of a date or a count as exports write them;
- `loading`: recognise a sheet and load its text into a sandboxed reader;
- `accounts`: handles, the placeholder account, export dates and time zones;
- `day_lookup` and `date_order`: date texts read in Python, the years of yearless days, and the
  day/month order of a column of numeric dates;
- `expressions`: the reader's SQL for each canonical column;
- `lines` and `rows`: the file's line numbers of rejected rows, and the finished canonical rows;
- `result`: what happened to each table (`FileResult`);
- `pipeline`: the whole path from uploads to the store (`ingest_files`, `ingest_paths`).
"""

from kpi_core.ingest.accounts import DEFAULT_ACCOUNT, check_handle
from kpi_core.ingest.pipeline import ingest_files, ingest_paths
from kpi_core.ingest.result import UNEXPECTED, FileResult, summary_frame

__all__ = [
    "DEFAULT_ACCOUNT",
    "UNEXPECTED",
    "FileResult",
    "check_handle",
    "ingest_files",
    "ingest_paths",
    "summary_frame",
]
