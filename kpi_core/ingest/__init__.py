"""The ingestion layer: uploaded bytes -> recognised tables -> canonical rows, with row accounting.

- `readers`: bytes -> tables of text (CSV, XLSX, JSON, ZIP), with the size caps of `limits`;
- `formats`: recognise a table by its headers, and the canonical vocabulary;
- `dates` and `counts`: the text of a date or a count as exports write them;
- `pipeline`: the whole path from uploads to the store (`ingest_files`, `ingest_paths`).
"""

from kpi_core.ingest.pipeline import (
    DEFAULT_ACCOUNT,
    UNEXPECTED,
    FileResult,
    check_handle,
    ingest_files,
    ingest_paths,
    summary_frame,
)

__all__ = [
    "DEFAULT_ACCOUNT",
    "UNEXPECTED",
    "FileResult",
    "check_handle",
    "ingest_files",
    "ingest_paths",
    "summary_frame",
]
