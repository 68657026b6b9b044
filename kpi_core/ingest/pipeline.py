"""Read uploads into the store: recognise each table, infer years and accounts, normalise the
text into canonical rows, and account for every row (read = accepted + rejected, with reasons).

    store = Store()
    results = ingest_paths(store, ["Overview_2026-01-04_1767657600_brand.zip", "Content.csv"])
    [r.as_dict() for r in results]   # what the CLI prints
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from kpi_core.errors import IngestError
from kpi_core.ingest import dates, limits
from kpi_core.ingest.accounts import (
    dated_members_first,
    local_posting_times,
    resolve_accounts_and_dates,
    share_export_date,
)
from kpi_core.ingest.day_lookup import DayTexts
from kpi_core.ingest.expressions import Expressions, expressions
from kpi_core.ingest.lines import row_errors
from kpi_core.ingest.loading import LoadedSheet, load_sheet
from kpi_core.ingest.readers import DiskFile, read_upload, staged_size
from kpi_core.ingest.readers.archives import is_zip
from kpi_core.ingest.result import FileResult, unexpected
from kpi_core.ingest.rows import FinishPlan, carries_utc_times, describe, finish_plan, finish_rows
from kpi_core.store import Store, schema
from kpi_core.store.raw_reader import Staging, UploadConnection
from kpi_core.timezones import check_time_zone


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    max_file_bytes: int = limits.MAX_FILE_BYTES,
    **options: Any,
) -> list[FileResult]:
    """`ingest_files` for files on disk (the command line). max_file_bytes: the cap on one file,
    the hosted app's 100 MB unless the command line raises it for local files (`--max-file-mb`):
    a larger file is read in DuckDB's memory limit, spilling to disk beyond it."""
    paths = list(paths)
    uploads = _read_paths(paths, max_file_bytes)
    return ingest_files(store, uploads, max_file_bytes=max_file_bytes, size=_size_on_disk(paths), **options)


# An upload: its name and its bytes (or why it could not be read), and for a file on disk the file
# they were read from, so that a CSV read as it is can be staged by a link to it instead of a copy
# (`readers.text.DiskFile`, `stage_csv`).
Upload = tuple[str, bytes | Exception] | tuple[str, bytes | Exception, DiskFile]


def _size_on_disk(paths: list[str | Path]) -> int | None:
    """What the files stage together (`staged_size`: a ZIP's members), or None when one cannot be
    read (its reason comes later). Only a small ZIP is read for it: a large one is large anyway."""
    total = 0
    try:
        for p in map(Path, paths):
            size = p.stat().st_size
            if p.is_file() and size <= Staging.ONE_THREAD_BYTES:
                with p.open("rb") as f:
                    if is_zip(f.read(4)):
                        size = staged_size(p.name, p.read_bytes())
            total += size
    except OSError:
        return None
    return total


def _read_paths(paths: Iterable[str | Path], max_file_bytes: int = limits.MAX_FILE_BYTES) -> Iterator[Upload]:
    """(name, bytes, the file they were read from) per path, or (name, the reason it cannot be
    read), each read only when ingest gets to it: holding every file's bytes at once cost as much
    memory as the whole upload (250 MB at 1M scraped videos)."""
    for path in paths:
        p = Path(path)
        # A name that is not valid UTF-8 on disk arrives with lone surrogates, which cannot be
        # printed or written as JSON: show the undecodable bytes as U+FFFD instead.
        name = p.name.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        try:
            size = p.stat().st_size
        except OSError as exc:
            yield name, exc
            continue
        if p.is_dir():
            yield name, IngestError(name, "is a folder, not a file", "Give the export files inside it")
            continue
        if size > max_file_bytes:
            yield (
                name,
                IngestError(
                    name,
                    f"is {size / 1e6:.0f} MB, over the {max_file_bytes // 2**20} MB limit",
                    "Export a shorter range"
                    + (
                        ""
                        if max_file_bytes > limits.MAX_FILE_BYTES
                        else ", or raise the cap with --max-file-mb"
                    ),
                ),
            )
            continue
        try:
            real = p.resolve(strict=True)  # a symbolic link's target: the file that is read
            source = DiskFile(real, real.stat())
            data: bytes | Exception = real.read_bytes()
        except OSError as exc:  # unreadable (permissions, a device): a sentence, not a traceback
            yield name, exc
            continue
        yield name, data, source


def ingest_files(
    store: Store,
    uploads: Iterable[Upload],
    *,
    export_date: date | None = None,
    account: str | None = None,
    mappings: dict[str, dict[str, str]] | None = None,
    auto_map: bool = True,
    today: date | None = None,
    time_zone: str | None = None,
    date_order: str | None = None,
    max_file_bytes: int = limits.MAX_FILE_BYTES,
    size: int | None = None,
) -> list[FileResult]:
    """Read uploads (`Upload`: name and bytes, and for a file on disk the file they were read
    from) into `store` and say what happened to each table.

    export_date: the day the files were exported (overrides every other clue for the year).
    account: the handle to file Studio exports under when the export does not name one.
    mappings: sheet name -> {canonical column: header} for files that are not a known format.
    auto_map: apply the suggested mapping when it is complete (the CLI); the UI asks first.
    today: the reference of last resort for yearless dates (defaults to the system date).
    time_zone: the account's IANA time zone ("Europe/Berlin"): scrapers give posting times in UTC,
        and the best-time heatmap needs the account's local hours. None keeps them in UTC.
    date_order: how numeric dates such as 1/7/2022 are written, "dmy" (day first) or "mdy"
        (month first); None decides it per column from the dates that settle it.
    max_file_bytes: the cap on one upload (the hosted app's 100 MB; the command line may raise it).
    size: about how many bytes the uploads stage together (`staged_size`: a ZIP's members), for
        uploads given as an iterator (`ingest_paths` reads each file only when it gets to it);
        counted here for a list. A small upload is read with one DuckDB thread (`Staging.upload`).
    """
    check_time_zone(time_zone)
    if date_order not in (None, *dates.DATE_ORDERS):
        raise ValueError(
            f"date_order must be one of {', '.join(dates.DATE_ORDERS)} or None, not {date_order!r}"
        )
    today = today or date.today()
    results: list[FileResult] = []
    # The store's sealed connection, able to read its staging folder only, reads every upload: a
    # connection per file, then per upload, cost more than reading a small file.
    if size is None and isinstance(uploads, list | tuple):
        size = sum(staged_size(u[0], u[1]) for u in uploads if isinstance(u[1], bytes))
    with store.staging().upload(size) as (workdir, connection):
        options = _Options(
            mappings, auto_map, account, export_date, today, time_zone, date_order, max_file_bytes
        )
        _ingest_uploads(store, uploads, workdir, connection, results, options)
    return results


@dataclass(frozen=True)
class _Options:
    """`ingest_files`'s options, as it was given them."""

    mappings: dict[str, dict[str, str]] | None
    auto_map: bool
    account: str | None
    export_date: date | None
    today: date
    time_zone: str | None
    date_order: str | None
    max_file_bytes: int


def _ingest_uploads(
    store: Store,
    uploads: Iterable[Upload],
    workdir: Path,
    connection: UploadConnection,
    results: list[FileResult],
    options: _Options,
) -> None:
    """Read, recognise and load every upload, give each sheet its account and export date, then
    normalise and store each one (`ingest_files`)."""
    mappings, date_order = options.mappings, options.date_order
    pending: list[LoadedSheet] = []
    for upload in uploads:
        name, data = upload[0], upload[1]
        source = upload[2] if len(upload) == 3 else None
        if isinstance(data, Exception):
            message = str(data) if isinstance(data, IngestError) else f"{name}: could not be opened ({data})"
            results.append(FileResult(name, error=message))
            continue
        try:
            for item in read_upload(name, data, workdir, options.max_file_bytes, source):
                if isinstance(item, IngestError):
                    results.append(FileResult(item.file_name, error=str(item)))
                    continue
                # `is None`, not `or`: the CLI's --map is an empty dict subclass that answers
                # every name, and `mappings or {}` silently dropped it.
                outcome = load_sheet(item, {} if mappings is None else mappings, options.auto_map, connection)
                if isinstance(outcome, FileResult):
                    results.append(outcome)
                else:
                    results.append(outcome.result)
                    pending.append(outcome)
        except IngestError as exc:
            results.append(FileResult(exc.file_name, error=str(exc)))
        except Exception as exc:  # a bug of ours must not become a traceback
            results.append(FileResult(name, error=unexpected(name, exc)))
    resolve_accounts_and_dates(store, pending, options.account, options.export_date, options.today)
    day_texts: DayTexts = {}  # the daily files of many accounts share their days
    scraped: list[LoadedSheet] = []  # stored files with posting times in UTC
    # The content hashes already in the store, looked up once for the upload, then kept in step
    # with each file stored (a look per file cost a statement per file).
    stored = store.stored_files([loaded.sheet.digest for loaded in pending])
    for loaded in dated_members_first(pending):
        try:
            if _normalise_and_store(store, loaded, day_texts, date_order, stored):
                scraped.append(loaded)
        except Exception as exc:  # DuckDB (the memory limit, a cast) or pandas
            result = loaded.result
            result.rows = result.accepted = result.rejected = 0
            result.errors, result.error = [], unexpected(loaded.sheet.name, exc)
        finally:
            loaded.reader.close()
        share_export_date(loaded, pending)
    local_posting_times(store, scraped, options.time_zone)


def _normalise_and_store(
    store: Store, item: LoadedSheet, seen: DayTexts, date_order: str | None, stored: set[str]
) -> bool:
    """Read the sheet's rows into `store`; True when they carry posting times in UTC (scrapers).
    `stored`: the content hashes of the files in the store, to which this one's is added."""
    result, fmt, sheet = item.result, item.fmt, item.sheet
    sql = expressions(item, seen, date_order)
    result.account, result.date_basis = item.account, item.basis  # expressions may date it by its days
    if not sql.select:
        result.error = f"{sheet.name}: none of its columns could be used. Check the file or its mapping"
        return False
    plan, rejected, bad_rows, problem_count = _normalise(item, sql)
    read_rows = int(item.reader.stats["read_rows"])
    errors = row_errors(item, read_rows, rejected)
    result.rows = read_rows + len(item.rejected_lines)
    result.rejected = bad_rows + len(item.rejected_lines)
    result.accepted = result.rows - result.rejected
    result.errors = errors[: limits.MAX_REJECTS_KEPT]
    problems_found = problem_count + len(item.rejected_lines)
    if problems_found > limits.MAX_REJECTS_KEPT:
        result.notes.append(
            f"Only the first {limits.MAX_REJECTS_KEPT:,} of {problems_found:,} problems are listed"
        )
    utc_times = finish_rows(item) if plan is None else plan.utc_times
    rows = describe(result, item, sql.net_counts, sql.never_negative)
    utc_times = carries_utc_times(utc_times, result)
    assert result.accepted == rows, "row accounting must hold"
    if sheet.digest in stored:
        result.notes.append("Identical to a file already loaded: nothing changed")
        return False
    summary = {
        "name": sheet.name,
        "kind": fmt.kind,
        "account": result.account,
        "content_hash": sheet.digest,
        "rows": result.rows,
        "accepted": result.accepted,
        "rejected": result.rejected,
        "date_from": result.date_from,
        "date_to": result.date_to,
        "date_basis": result.date_basis,
    }
    rejects = [(e["line"], e["column"] or "", e["reason"]) for e in result.errors]
    store.add_file(summary, item.reader.rows() if result.accepted else None, fmt.table, rejects)
    stored.add(sheet.digest)
    return utc_times


def _normalise(item: LoadedSheet, sql: Expressions) -> tuple[FinishPlan | None, pd.DataFrame, int, int]:
    """Normalise a sheet's text. Nearly every file has no problem: its text becomes finished rows in
    one statement, and the plan they were finished by comes back with no problems. Otherwise the
    normalised rows stay for `finish_rows`, with the first problems (raw_row, column_name, reason), the
    number of rejected rows and the number of problems, and the plan is None."""
    plan = finish_plan(item, {column for column, _ in sql.select})
    table = schema.RAW_TABLES[item.fmt.table]
    args = (sql.select, sql.problems, sql.joins, table, plan.exprs, {**sql.params, **plan.params})
    if item.reader.normalise_and_finish(*args, plan.derived):
        return plan, pd.DataFrame({"raw_row": [], "column_name": [], "reason": []}), 0, 0
    rejected, bad_rows, problem_count = item.reader.normalise(
        sql.select,
        sql.problems,
        sql.joins,
        limit=limits.MAX_REJECTS_KEPT,
        params=sql.params,
    )
    return None, rejected, bad_rows, problem_count
