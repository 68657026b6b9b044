"""Recognise a sheet by its headers (or a mapping) and load its text into a fresh sandboxed reader.

A `LoadedSheet` then waits for its account and export date (accounts.py) before its rows are
normalised and stored (pipeline.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kpi_core.errors import IngestError
from kpi_core.ingest import formats, limits
from kpi_core.ingest.formats import Column, Format
from kpi_core.ingest.mapping import mapped_format, suggest_mapping, suggestion_is_usable
from kpi_core.ingest.readers import Sheet, count_records
from kpi_core.ingest.result import FileResult, first_line
from kpi_core.ingest.unused import unused_columns
from kpi_core.store.raw_reader import RawReader, UploadConnection


@dataclass
class LoadedSheet:
    """A recognised sheet, loaded into its reader, waiting for its year and account."""

    sheet: Sheet
    reader: RawReader
    fmt: Format
    result: FileResult
    rejected_lines: list[tuple[int, str]]  # (DuckDB's line, reason) of CSV lines that did not parse
    account: str | None = None
    export_date: date | None = None
    basis: str | None = None
    # When the export date is another file's of the upload (this one carries none): the latest
    # day its rows may run to, past that date (a tab downloaded later, such as a newer Followers
    # export; day_lookup._last_day_reference).
    runs_until: date | None = None


def column_index(sheet: Sheet, column: Column) -> int | None:
    """The index of the sheet's first header that feeds `column`, or None when it has none."""
    return column_index_of(sheet.header, column)


def column_index_of(headers: list[str], column: Column) -> int | None:
    """`column_index` of a sheet's header row."""
    for header in column.headers:
        index = header_index(headers, header)
        if index is not None:
            return index
    return None


def header_index(headers: list[str], name: str) -> int | None:
    """The index of the first of `headers` that normalises to `name`, or None."""
    normalised = [formats.normalise_header(h) for h in headers]
    return normalised.index(name) if name in normalised else None


def load_sheet(
    sheet: Sheet,
    mappings: dict[str, dict[str, str]],
    auto_map: bool,
    connection: UploadConnection | None = None,
) -> LoadedSheet | FileResult:
    """Recognise a sheet and load its text into a sandboxed reader (tables of its own on the
    upload's `connection`, else a connection of its own); a FileResult with its error when it
    cannot be (an unknown format waiting for a mapping, a broken CSV)."""
    result = FileResult(sheet.name, notes=list(sheet.notes))
    fmt = formats.recognise(sheet.header)
    if fmt is None:
        suggestion = suggest_mapping(sheet.header)
        mapping = mappings.get(sheet.name)
        if mapping is None and auto_map and suggestion_is_usable(suggestion):
            mapping = suggestion
            result.notes.append(
                "Columns matched by name: " + ", ".join(f"{k} ← {v}" for k, v in mapping.items())
            )
        if mapping is None:
            result.needs_mapping = {"headers": list(sheet.header), "suggestion": suggestion}
            result.error = (
                f"{sheet.name}: its columns are not a TikTok export we know. "
                "Map its columns (likes, views, date...) onto ours, then read it again"
            )
            return result
        missing = [
            h
            for h in mapping.values()
            if formats.normalise_header(h) not in {formats.normalise_header(x) for x in sheet.header}
        ]
        if missing:
            result.error = f"{sheet.name}: the mapping names column(s) {', '.join(missing)} that the file does not have. Check the mapping"
            return result
        try:
            fmt = mapped_format(mapping)
        except ValueError as exc:
            result.error = f"{sheet.name}: {exc}. Fix the mapping and read it again"
            return result
    result.kind, result.label = fmt.kind, fmt.label
    result.notes.extend(unused_columns(fmt, sheet.header))
    normalised = [formats.normalise_header(h) for h in sheet.header]
    if len(set(normalised)) < len(normalised):
        dupes = sorted({h for h in sheet.header if normalised.count(formats.normalise_header(h)) > 1})
        result.notes.append(f"Repeated column name(s) {', '.join(dupes)}: the first of each is used")
    if connection is not None:
        reader = connection.reader()
    else:
        reader = RawReader(allowed_path=str(sheet.csv_path) if sheet.csv_path else None)
    try:
        if sheet.csv_path is not None and sheet.dialect is not None:
            rejected_lines = _load_csv(reader, sheet, read_columns(fmt, sheet.header))
        else:
            assert sheet.frame is not None
            reader.load_frame(sheet.frame)
            rejected_lines = []
    except IngestError as exc:
        reader.close()
        result.error = str(exc)
        return result
    except Exception as exc:  # DuckDB's reader: report in words, never a traceback
        reader.close()
        result.error = f"{sheet.name}: could not be read as a table ({first_line(exc)}). Save it again as CSV UTF-8 and upload that"
        return result
    return LoadedSheet(sheet, reader, fmt, result, rejected_lines)


# Studio Content's export date, yearless on every row (accounts.py): read beside the columns.
CONTENT_EXPORT_TIME = "time"
# The column where an ads report writes its total row ("Total of 60 results"; expressions.py).
TOTAL_ROW_COLUMN = 0


def read_columns(fmt: Format, header: list[str]) -> list[int]:
    """The indices of the columns ingest reads from a file of `fmt`: each column's first header
    present (`column_index`, as ingest reads them), Content's `CONTENT_EXPORT_TIME`, and
    `TOTAL_ROW_COLUMN`. The others are named in a note (`unused_columns`) and not loaded."""
    read = {column_index_of(header, column) for column in fmt.columns}
    read |= {header_index(header, CONTENT_EXPORT_TIME), TOTAL_ROW_COLUMN}
    return sorted(i for i in read if i is not None)


def _load_csv(reader: RawReader, sheet: Sheet, keep: list[int]) -> list[tuple[int, str]]:
    """Load a staged CSV; return its broken lines (line, reason), refusing a file of too many.

    DuckDB records broken lines slowly, so the file is first read skipping them; only when lines
    are missing from that read (broken ones, blank ones, or records spanning lines) is it read
    again recording them, and only once Python's csv reader has shown they are not millions.
    """
    assert sheet.csv_path is not None and sheet.dialect is not None
    reader.load_csv(str(sheet.csv_path), sheet.dialect, store_rejects=False, keep=keep)
    good = reader.row_count()
    if sheet.line_count - 1 <= good:
        return []
    if sheet.line_count - 1 - good > limits.MAX_BROKEN_LINES:
        records = count_records(
            sheet.csv_path, sheet.dialect.delimiter, stop_after=good + limits.MAX_BROKEN_LINES + 1
        )
        if records - good > limits.MAX_BROKEN_LINES:
            raise IngestError(
                sheet.name,
                f"has more than {limits.MAX_BROKEN_LINES:,} lines that do not fit its "
                f"header's {sheet.dialect.n_columns} columns",
                "Check its delimiter and quotes, or save it again as CSV UTF-8 and upload that",
            )
    return reader.load_csv(str(sheet.csv_path), sheet.dialect, keep=keep)
