"""Read uploads into the store: recognise each table, infer years and accounts, normalise the
text into canonical rows, and account for every row (read = accepted + rejected, with reasons).

    store = Store()
    results = ingest_paths(store, ["Overview_2026-01-04_1767657600_brand.zip", "Content.csv"])
    [r.as_dict() for r in results]   # what the CLI prints
"""

from __future__ import annotations

import re
import tempfile
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from kpi_core.errors import IngestError
from kpi_core.ingest import dates, formats, limits
from kpi_core.ingest.formats import Column, Format
from kpi_core.ingest.readers import Sheet, count_records, read_upload, record_lines
from kpi_core.store import Store, schema
from kpi_core.store.cell_sql import column_sql, count_problem_sql, lookup_join, total_row_sql
from kpi_core.store.raw_reader import RawReader
from kpi_core.timezones import check_time_zone

DEFAULT_ACCOUNT = "my account"
# Only TikTok's own daily exports are cut while their last days are still being counted; a
# hand-made tracker's last rows are as final as the others.
_PROVISIONAL_KINDS = {"studio_overview", "studio_viewers", "studio_follower_history"}
PROVISIONAL_DAYS = 2  # the last two days of a daily export are usually incomplete
MAX_DATE_TEXT = (
    100  # characters; the longest real date text ("Wednesday, 30 de septiembre de 2026 ...") is far shorter
)


@dataclass
class FileResult:
    """What happened to one table of one upload (a ZIP gives one result per CSV inside)."""

    name: str
    kind: str | None = None
    label: str = ""
    account: str | None = None
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # {line, column, reason}
    date_from: date | None = None
    date_to: date | None = None
    date_basis: str | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None  # set when the file could not be read at all
    needs_mapping: dict[str, Any] | None = None  # {"headers": [...], "suggestion": {...}}
    # Set when this file named the handle of data read earlier without one: those rows, filed
    # under DEFAULT_ACCOUNT until now, moved to this file's account.
    took_over: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def as_dict(self) -> dict[str, Any]:
        """The command line's per-file JSON object."""
        return {
            "name": self.name,
            "kind": self.kind,
            "account": self.account,
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "errors": self.errors,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "date_basis": self.date_basis,
            "notes": self.notes,
            "error": self.error,
            **({"needs_mapping": self.needs_mapping} if self.needs_mapping else {}),
        }


@dataclass
class _Pending:
    """A recognised sheet, loaded into its reader, waiting for its year and account."""

    sheet: Sheet
    reader: RawReader
    fmt: Format
    result: FileResult
    rejected_lines: list[tuple[int, str]]
    account: str | None = None
    export_date: date | None = None
    basis: str | None = None


def ingest_paths(store: Store, paths: Iterable[str | Path], **options: Any) -> list[FileResult]:
    """`ingest_files` for files on disk (the command line)."""
    return ingest_files(store, _read_paths(paths), **options)


def _read_paths(paths: Iterable[str | Path]) -> Iterator[tuple[str, bytes | Exception]]:
    """(name, bytes or the reason it cannot be read) per path, each read only when ingest gets to
    it: holding every file's bytes at once cost as much memory as the whole upload (250 MB at 1M
    scraped videos)."""
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
        if size > limits.MAX_FILE_BYTES:
            yield (
                name,
                IngestError(
                    name,
                    f"is {size / 1e6:.0f} MB, over the {limits.MAX_FILE_BYTES // 2**20} MB limit",
                    "Export a shorter range",
                ),
            )
            continue
        try:
            data: bytes | Exception = p.read_bytes()
        except OSError as exc:  # unreadable (permissions, a device): a sentence, not a traceback
            data = exc
        yield name, data


def ingest_files(
    store: Store,
    uploads: Iterable[tuple[str, bytes | Exception]],
    *,
    export_date: date | None = None,
    account: str | None = None,
    mappings: dict[str, dict[str, str]] | None = None,
    auto_map: bool = True,
    today: date | None = None,
    time_zone: str | None = None,
) -> list[FileResult]:
    """Read uploads (name, bytes) into `store` and say what happened to each table.

    export_date: the day the files were exported (overrides every other clue for the year).
    account: the handle to file Studio exports under when the export does not name one.
    mappings: sheet name -> {canonical column: header} for files that are not a known format.
    auto_map: apply the suggested mapping when it is complete (the CLI); the UI asks first.
    today: the reference of last resort for yearless dates (defaults to the system date).
    time_zone: the account's IANA time zone ("Europe/Berlin"): scrapers give posting times in UTC,
        and the best-time heatmap needs the account's local hours. None keeps them in UTC.
    """
    check_time_zone(time_zone)
    today = today or date.today()
    results: list[FileResult] = []
    pending: list[_Pending] = []
    with tempfile.TemporaryDirectory(prefix="kpi-upload-") as tmp:
        workdir = Path(tmp)
        for name, data in uploads:
            if isinstance(data, Exception):
                message = (
                    str(data) if isinstance(data, IngestError) else f"{name}: could not be opened ({data})"
                )
                results.append(FileResult(name, error=message))
                continue
            try:
                for item in read_upload(name, data, workdir):
                    if isinstance(item, IngestError):
                        results.append(FileResult(item.file_name, error=str(item)))
                        continue
                    # `is None`, not `or`: the CLI's --map is an empty dict subclass that answers
                    # every name, and `mappings or {}` silently dropped it.
                    outcome = _load(item, {} if mappings is None else mappings, auto_map)
                    if isinstance(outcome, FileResult):
                        results.append(outcome)
                    else:
                        results.append(outcome.result)
                        pending.append(outcome)
            except IngestError as exc:
                results.append(FileResult(exc.file_name, error=str(exc)))
            except Exception as exc:  # a bug of ours must not become a traceback
                results.append(FileResult(name, error=_unexpected(name, exc)))
        _resolve_accounts_and_dates(store, pending, account, export_date, today)
        day_texts: _DayTexts = {}  # the daily files of many accounts share their days
        scraped: list[_Pending] = []  # stored files with posting times in UTC
        for loaded in pending:
            try:
                if _normalise_and_store(store, loaded, day_texts):
                    scraped.append(loaded)
            except Exception as exc:  # DuckDB (the memory limit, a cast) or pandas
                result = loaded.result
                result.rows = result.accepted = result.rejected = 0
                result.errors, result.error = [], _unexpected(loaded.sheet.name, exc)
            finally:
                loaded.reader.close()
        _local_posting_times(store, scraped, time_zone)
    return results


UNEXPECTED = "could not be read because of a problem on our side"


def _unexpected(name: str, exc: Exception) -> str:
    """The sentence for an error no check of ours foresaw (the tests look for UNEXPECTED)."""
    return f"{name}: {UNEXPECTED} ({type(exc).__name__}: {_first_line(exc)}). Save it again as CSV UTF-8 and upload that"


def _load(sheet: Sheet, mappings: dict[str, dict[str, str]], auto_map: bool) -> _Pending | FileResult:
    """Recognise a sheet and load its text into a fresh sandboxed reader."""
    result = FileResult(sheet.name, notes=list(sheet.notes))
    fmt = formats.recognise(sheet.header)
    if fmt is None:
        suggestion = formats.suggest_mapping(sheet.header)
        mapping = mappings.get(sheet.name)
        if mapping is None and auto_map and formats.suggestion_is_usable(suggestion):
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
            fmt = formats.mapped_format(mapping)
        except ValueError as exc:
            result.error = f"{sheet.name}: {exc}. Fix the mapping and read it again"
            return result
    result.kind, result.label = fmt.kind, fmt.label
    normalised = [formats.normalise_header(h) for h in sheet.header]
    if len(set(normalised)) < len(normalised):
        dupes = sorted({h for h in sheet.header if normalised.count(formats.normalise_header(h)) > 1})
        result.notes.append(f"Repeated column name(s) {', '.join(dupes)}: the first of each is used")
    reader = RawReader(allowed_path=str(sheet.csv_path) if sheet.csv_path else None)
    try:
        if sheet.csv_path is not None and sheet.dialect is not None:
            rejected_lines = _load_csv(reader, sheet)
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
        result.error = f"{sheet.name}: could not be read as a table ({_first_line(exc)}). Save it again as CSV UTF-8 and upload that"
        return result
    return _Pending(sheet, reader, fmt, result, rejected_lines)


def _load_csv(reader: RawReader, sheet: Sheet) -> list[tuple[int, str]]:
    """Load a staged CSV; return its broken lines (line, reason), refusing a file of too many.

    DuckDB records broken lines slowly, so the file is first read skipping them; only when lines
    are missing from that read (broken ones, blank ones, or records spanning lines) is it read
    again recording them, and only once Python's csv reader has shown they are not millions.
    """
    assert sheet.csv_path is not None and sheet.dialect is not None
    reader.load_csv(str(sheet.csv_path), sheet.dialect, store_rejects=False)
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
    return reader.load_csv(str(sheet.csv_path), sheet.dialect)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


# --- accounts and years --------------------------------------------------------------------


def _column_index(sheet: Sheet, column: Column) -> int | None:
    normalised = [formats.normalise_header(h) for h in sheet.header]
    for header in column.headers:
        if header in normalised:
            return normalised.index(header)
    return None


def _handle_from_links(item: _Pending) -> str | None:
    for column in item.fmt.columns:
        if column.target in ("url", "video_id") and column.parser in ("text", "video_link"):
            index = _column_index(item.sheet, column)
            if index is None:
                continue
            for value in item.reader.first_values(f"c{index}"):
                handle = _link_handle(value)
                if handle:
                    return handle
    return None


_HANDLE = re.compile(r"[A-Za-z0-9._]{2,24}")


def check_handle(text: str) -> str:
    """A TikTok handle as a person types it ("@brand.name", " brand.name") -> "brand.name".

    For handles typed as options (the upload page, --account); handles inside files are data and
    are stored as they are. Raises ValueError with a sentence for anything TikTok would not allow.
    """
    handle = text.strip().removeprefix("@")
    if not _HANDLE.fullmatch(handle) or handle.endswith("."):
        shown = text.strip()[:40]
        raise ValueError(
            f"'{shown}' is not a TikTok handle: use 2 to 24 letters, digits, '_' or '.' "
            "(not ending in '.'), as in @brand.name"
        )
    return handle


def _mark_utc_posting_times(rows: pd.DataFrame, item: _Pending) -> None:
    """Scrapers give posting times in UTC: they are stored as they are, marked as UTC, until the
    account's zone moves them (`_local_posting_times`)."""
    if item.fmt.kind == "scraper_videos" and "posted_at" in rows.columns and rows["posted_at"].notna().any():
        rows["posted_zone"] = rows["posted_at"].notna().map({True: "UTC", False: None})


def _local_posting_times(store: Store, stored: list[_Pending], time_zone: str | None) -> None:
    """Show the scraped posting times of this upload's accounts in their zone: the one picked for
    this upload, else the one set for the account before. Moves their earlier rows too."""
    zones: dict[str | None, str | None] = {
        item.account: time_zone if time_zone not in (None, "UTC") else store.time_zone(item.account)
        for item in stored
        if item.account
    }
    for account, zone in zones.items():
        if account is not None and zone is not None:
            store.set_time_zone(account, zone)
    for item in stored:
        zone = zones.get(item.account)
        if zone in (None, "UTC"):
            item.result.notes.append(
                "Posting times are in UTC, as scrapers give them: pick the account's time zone "
                "on the Content page (or upload options, --time-zone) for local posting hours"
            )
        else:
            item.result.notes.append(f"Posting times moved from UTC to {zone}")


def _link_handle(value: str | None) -> str | None:
    if not value or "@" not in value:
        return None
    handle = value.split("@", 1)[1].split("/", 1)[0].split("?", 1)[0]
    return handle or None


def _content_export_date(item: _Pending, reference: date) -> date | None:
    """Studio Content repeats its export date ("Time", yearless) on every row."""
    if item.fmt.kind != "studio_content":
        return None
    index = next((i for i, h in enumerate(item.sheet.header) if formats.normalise_header(h) == "time"), None)
    if index is None:
        return None
    for value in item.reader.first_values(f"c{index}", n=5):
        if value and value.strip():
            try:
                return dates.read_date(value, reference)
            except dates.DateProblem:
                return None
    return None


def _resolve_accounts_and_dates(
    store: Store, pending: list[_Pending], account: str | None, export_date: date | None, today: date
) -> None:
    """Give each sheet an account and an export date, from the strongest clue available."""
    for item in pending:
        hinted = item.sheet.hints.get("account")
        item.account = account or (hinted if isinstance(hinted, str) else None) or _handle_from_links(item)
        hinted_date = item.sheet.hints.get("export_date")
        if export_date:
            item.export_date, item.basis = export_date, f"export date given ({export_date.isoformat()})"
        elif isinstance(hinted_date, date):
            item.export_date, item.basis = (
                hinted_date,
                f"export time in the ZIP name ({hinted_date.isoformat()})",
            )
        else:
            own = _content_export_date(item, today)
            if own:
                item.export_date, item.basis = (
                    own,
                    f"export date in the file's Time column ({own.isoformat()})",
                )
    studio_accounts = Counter(i.account for i in pending if i.account and i.fmt.kind.startswith("studio_"))
    if studio_accounts and store.has_files_of(DEFAULT_ACCOUNT):
        _take_over_placeholder(store, pending, studio_accounts.most_common(1)[0][0])
    # For files that name no account. Studio exports are always the user's own account: never
    # file them under one known only from scrapers (`own_account`, not `primary_account`).
    fallback_account = DEFAULT_ACCOUNT
    if studio_accounts:
        fallback_account = studio_accounts.most_common(1)[0][0]
    elif any(i.account is None for i in pending):
        fallback_account = store.own_account() or DEFAULT_ACCOUNT
    known_dates = [i.export_date for i in pending if i.export_date]
    batch_date = max(known_dates) if known_dates else None
    for item in pending:
        if item.account is None and fallback_account == DEFAULT_ACCOUNT:
            item.result.notes.append(
                f"No account handle in this file or upload: filed under “{DEFAULT_ACCOUNT}”. "
                "It moves to your handle once you give it (upload options, or --account) "
                "or upload a Studio Content export, whose video links name it"
            )
        item.account = item.account or fallback_account
        if item.export_date is None:
            # Another file's export date only helps files whose dates lack a year (Studio's).
            if batch_date and item.fmt.kind.startswith("studio_"):
                item.export_date, item.basis = (
                    batch_date,
                    f"export date of another file in this upload ({batch_date.isoformat()})",
                )
            else:
                item.export_date = today
                item.basis = (
                    f"assumed exported today ({today.isoformat()}); give the export date "
                    "if the file is older, or the years may be wrong"
                )


def _take_over_placeholder(store: Store, pending: list[_Pending], handle: str) -> None:
    """Move the rows filed under DEFAULT_ACCOUNT (own exports that named no handle) to `handle`,
    the account this upload's Studio files name, and say so on the first of them."""
    moved = store.rename_account(DEFAULT_ACCOUNT, handle)
    zone = store.time_zone(handle)
    if zone is not None:  # scraped rows that came with the placeholder move to the account's zone
        store.set_time_zone(handle, zone)
    first = next(i for i in pending if i.account == handle and i.fmt.kind.startswith("studio_"))
    first.result.took_over = DEFAULT_ACCOUNT
    first.result.notes.append(
        f"{moved:,} row(s) read earlier without a handle (filed under “{DEFAULT_ACCOUNT}”) "
        f"now belong to @{handle}, the account this file names"
    )


# --- normalisation -------------------------------------------------------------------------


_DayTexts = dict[str, "dates.DayText | str"]


def _read_day(text: str, seen: _DayTexts) -> dates.DayText:
    """`dates.read_day_text`, once per distinct text of an upload (`seen` keeps the day or the reason)."""
    if text not in seen:
        try:
            seen[text] = dates.read_day_text(text)
        except dates.DateProblem as exc:
            seen[text] = str(exc)
    found = seen[text]
    if isinstance(found, str):
        raise dates.DateProblem(found)
    return found


def _date_lookup(
    reader: RawReader, column: str, parser: str, reference: date, seen: _DayTexts, in_date_order: bool = False
) -> pd.DataFrame:
    """Date texts of one column read in Python (localized, yearless): raw, value, reason."""
    values = reader.date_texts(column, parser)
    if in_date_order:
        reference = _last_day_reference(values, reference, seen)
    parsed: list[date | None] = []
    reasons: list[str | None] = []
    for value in values:
        if len(value) > MAX_DATE_TEXT:
            # Reading a megabyte "date" takes seconds, and the reason would quote all of it.
            parsed.append(None)
            reasons.append(f"'{value[:40]}…' ({len(value):,} characters) is not a date")
            continue
        try:
            parsed.append(dates.resolve(_read_day(value, seen), reference, value))
            reasons.append(None)
        except dates.DateProblem as exc:
            parsed.append(None)
            reasons.append(str(exc))
    return pd.DataFrame(
        {
            "raw": pd.Series(values, dtype="string"),
            "value": pd.Series(pd.to_datetime(parsed), dtype="datetime64[s]"),
            "reason": pd.Series(reasons, dtype="string"),
        }
    )


def _last_day_reference(texts: list[str], export_date: date, seen: _DayTexts) -> date:
    """The day to infer years back from, for a file whose rows run oldest to newest.

    That is the file's own last day, not the export date: a 365-day window exported two days
    after it ends ("January 5" .. "January 4", exported January 6) would otherwise read its first
    two days as the January 5 and 6 just before the export, a year late. The last day may fall
    one day after the export date (a ZIP's export time is UTC; the interface's day can be ahead).
    The export date stays the reference when the dates carry years or, read this way, are not
    in order (a sorted or hand-edited file).
    """
    day_texts = []
    for text in texts:  # texts that cannot be read are rejected later, with their reason
        if len(text) > MAX_DATE_TEXT:
            continue
        try:
            day = _read_day(text, seen)
        except dates.DateProblem:
            continue
        if day.year is not None:
            return export_date  # dates with years: no need to read the rest here
        day_texts.append(day)
    if not day_texts:
        return export_date
    try:
        last = dates.resolve(day_texts[-1], export_date + timedelta(days=1))
    except dates.DateProblem:
        return export_date
    read = []
    for day in day_texts:
        try:
            read.append(dates.resolve(day, last))
        except dates.DateProblem:  # February 29 in a year without one
            pass
    return last if read == sorted(read) else export_date


def _expressions(
    item: _Pending, seen: _DayTexts
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """For each canonical column the file has: (select, problems, value problems, joins) in the
    reader's SQL (RawReader.normalise)."""
    select: list[tuple[str, str]] = []
    problems: list[tuple[str, str]] = []
    value_problems: list[tuple[str, str]] = []
    joins: list[str] = []
    reference = item.export_date or date.today()
    for n, column in enumerate(item.fmt.columns):
        index = _column_index(item.sheet, column)
        if index is None or any(target == column.target for target, _ in select):
            continue
        lookup = None
        if column.parser in ("day", "datetime"):
            lookup = f"dates_{n}"
            # Daily files list days oldest first; video lists (Content, scrapes) are in no order.
            in_order = column.parser == "day" and item.fmt.table != "videos_raw"
            item.reader.register_lookup(
                lookup, _date_lookup(item.reader, f"c{index}", column.parser, reference, seen, in_order)
            )
            joins.append(lookup_join(lookup, index))
        value, problem = column_sql(column.parser, index, column.required, lookup, reference)
        if column.target == "date":
            value = f"CAST({value} AS DATE)"
        select.append((column.target, value))
        if column.parser == "count":  # checked against its parsed value: planned once, not twice
            value_problems.append(
                (item.sheet.header[index], count_problem_sql(index, column.required, column.target))
            )
        elif problem is not None:
            problems.append((item.sheet.header[index], problem))
    if item.fmt.kind == "ads_report" and item.sheet.header:
        problems.append((item.sheet.header[0], total_row_sql(0)))
    return select, problems, value_problems, joins


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


def _normalise_and_store(store: Store, item: _Pending, seen: _DayTexts) -> bool:
    """Read the sheet's rows into `store`; True when they carry posting times in UTC (scrapers)."""
    result, fmt, sheet = item.result, item.fmt, item.sheet
    result.account, result.date_basis = item.account, item.basis
    select, problems, value_problems, joins = _expressions(item, seen)
    if not select:
        result.error = f"{sheet.name}: none of its columns could be used. Check the file or its mapping"
        return False
    accepted, rejected, bad_rows, problem_count = item.reader.normalise(
        select, problems, joins, limit=limits.MAX_REJECTS_KEPT, value_problems=value_problems
    )
    read_rows = item.reader.row_count()
    rejected_lines = [line for line, _ in item.rejected_lines]
    file_lines = (
        _file_lines(sheet, read_rows, rejected_lines) if item.rejected_lines or len(rejected) else None
    )
    to_file_line = file_lines[0] if file_lines else {}
    errors: list[dict[str, Any]] = []
    for duckdb_line, reason in item.rejected_lines:
        line = to_file_line.get(duckdb_line, duckdb_line) + sheet.lines_skipped
        errors.append({"line": line, "column": None, "reason": f"Line {line} {reason}"})
    if len(rejected):
        if file_lines:
            lines = rejected["raw_row"].map(lambda row: file_lines[1][int(row)])
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
    result.rows = read_rows + len(rejected_lines)
    result.rejected = bad_rows + len(rejected_lines)
    result.accepted = result.rows - result.rejected
    assert result.accepted == len(accepted), "row accounting must hold"
    result.errors = errors[: limits.MAX_REJECTS_KEPT]
    problems_found = problem_count + len(rejected_lines)
    if problems_found > limits.MAX_REJECTS_KEPT:
        result.notes.append(
            f"Only the first {limits.MAX_REJECTS_KEPT:,} of {problems_found:,} problems are listed"
        )
    rows = _finish_rows(accepted, item)
    _describe(result, rows, fmt)
    if store.has_file(sheet.digest):
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
    store.add_file(summary, rows, fmt.table, rejects)
    return "posted_zone" in rows.columns


def _finish_rows(accepted: pd.DataFrame, item: _Pending) -> pd.DataFrame:
    """Add the columns every canonical row carries: account, snapshot date, source, flags."""
    rows = accepted.copy()
    fmt = item.fmt
    _mark_utc_posting_times(rows, item)
    rows["source_file"] = item.sheet.name
    rows["snapshot_date"] = pd.Timestamp(item.export_date or date.today())
    if (
        fmt.kind in ("scraper_videos", "mapped_videos")
        and item.basis
        and item.basis.startswith("assumed")
        and "posted_at" in rows.columns
        and rows["posted_at"].notna().any()
    ):
        # A scrape carries no date of its own; it is at least as recent as its newest post. Using
        # today instead would let an old scrape override a newer Studio export's counts.
        rows["snapshot_date"] = pd.to_datetime(rows["posted_at"]).max().normalize()
    for key, value in fmt.constants.items():
        rows[key] = value
    if "account" in rows.columns:
        account = rows["account"].astype("object")
        missing = account.isna()
        if missing.any() and "url" in rows.columns:  # the links only of rows without a handle
            account[missing] = rows.loc[missing, "url"].map(_link_handle)
        account = account.where(account.notna(), item.account)
        rows["account"] = account.astype(str).str.lstrip("@")
    else:
        rows["account"] = item.account
    if fmt.table == "videos_raw":
        if "video_id" not in rows.columns or rows["video_id"].isna().any():
            rows["video_id"] = _video_ids(rows)
        if fmt.kind == "studio_content" and "posted_at" in rows.columns:
            rows["posted_at"] = _years_from_video_ids(rows["posted_at"], rows["video_id"])
        if "posted_at" in rows.columns and fmt.constants.get("posted_time_known") is True:
            posted = pd.to_datetime(rows["posted_at"])
            rows["posted_time_known"] = posted.notna() & (posted != posted.dt.normalize())
    if fmt.kind in _PROVISIONAL_KINDS and len(rows):
        last = pd.to_datetime(rows["date"]).max()
        rows["provisional"] = pd.to_datetime(rows["date"]) > last - pd.Timedelta(days=PROVISIONAL_DAYS)
    elif fmt.table == "daily_raw":
        rows["provisional"] = False
    return rows


def _years_from_video_ids(posted: pd.Series, video_ids: pd.Series) -> pd.Series:
    """Correct the year of yearless posting dates with the time TikTok writes into the video id.

    A TikTok video id's top 32 bits are its posting time in unix seconds. Content.csv lists
    videos in no useful order, and one posted more than a year before the export would get the
    wrong year from the export date alone. The id's date is used only when it agrees with the
    file's day and month (one day of time-zone slack); otherwise the export-date year stands.
    """
    numeric = pd.to_numeric(video_ids, errors="coerce")
    seconds = (numeric // 2**32).where(numeric > 2**32 * 1_400_000_000)  # after 2014: a real id
    from_id = pd.to_datetime(seconds, unit="s", errors="coerce").dt.normalize()
    corrected = []
    # Content.csv holds about fifteen videos, so a plain loop is clear and costs nothing.
    for day, id_day in zip(pd.to_datetime(posted), from_id, strict=True):
        best = day
        if pd.notna(day) and pd.notna(id_day):
            for year in (id_day.year - 1, id_day.year, id_day.year + 1):
                try:
                    candidate = day.replace(year=year)
                except ValueError:  # February 29 in a year without one
                    continue
                if abs(candidate - id_day) <= pd.Timedelta(days=1):
                    best = candidate
        corrected.append(best)
    return pd.Series(corrected, index=posted.index, dtype="datetime64[ns]")


def _video_ids(rows: pd.DataFrame) -> pd.Series:
    """The id from the link when there is one, else a stable id from title and posting date."""
    existing = (
        rows["video_id"] if "video_id" in rows.columns else pd.Series([None] * len(rows), index=rows.index)
    )
    if "url" in rows.columns:
        from_url = rows["url"].astype("string").str.extract(r"/video/(\d+)", expand=False)
        existing = existing.where(existing.notna(), from_url)
    title = rows["title"].astype("string").fillna("") if "title" in rows.columns else ""
    posted = rows["posted_at"].astype("string").fillna("") if "posted_at" in rows.columns else ""
    synthetic = "t" + pd.util.hash_pandas_object(
        pd.Series(title + "|" + posted, index=rows.index), index=False
    ).astype("string")
    return existing.where(existing.notna(), synthetic).astype("string")


def _describe(result: FileResult, rows: pd.DataFrame, fmt: Format) -> None:
    """Date range, the account(s) and the things worth a note (likes above views)."""
    date_column = "date" if "date" in rows.columns else "posted_at" if "posted_at" in rows.columns else None
    if date_column and rows[date_column].notna().any():
        values = pd.to_datetime(rows[date_column])
        result.date_from, result.date_to = values.min().date(), values.max().date()
    if "account" in rows.columns and len(rows):
        counts = rows["account"].value_counts()
        result.account = str(counts.index[0])
        if len(counts) > 1:
            result.notes.append(f"Rows for {len(counts)} accounts: " + ", ".join(map(str, counts.index[:5])))
    if {"likes", "views"} <= set(rows.columns):
        above = int(((rows["likes"] > rows["views"]) & rows["views"].notna()).sum())
        if above:
            result.notes.append(f"{above} row(s) have more likes than views: kept, but check them")
    key = {"daily_raw": ["account", "date"], "videos_raw": ["account", "video_id"]}.get(fmt.table)
    if key and len(rows) and set(key) <= set(rows.columns):
        repeated = int(rows.duplicated(subset=key).sum())
        if repeated:  # the views keep one row per day or video, so nothing is counted twice
            what = "day" if fmt.table == "daily_raw" else "video"
            result.notes.append(
                f"{repeated} row(s) repeat a {what} of an earlier row: kept, and counted once"
            )
    if fmt.kind in _PROVISIONAL_KINDS and len(rows):
        result.notes.append(
            f"The last {PROVISIONAL_DAYS} days are provisional (TikTok may still update them)"
        )


def summary_frame(results: list[FileResult]) -> pd.DataFrame:
    """One row per read table, as the upload page shows it."""
    return pd.DataFrame(
        [
            {
                "file": r.name,
                "kind": r.label or r.kind or "not read",
                "account": r.account,
                "from": r.date_from,
                "to": r.date_to,
                "rows": r.rows,
                "accepted": r.accepted,
                "rejected": r.rejected,
                "years from": r.date_basis,
                "problem": r.error,
            }
            for r in results
        ],
        columns=[
            "file",
            "kind",
            "account",
            "from",
            "to",
            "rows",
            "accepted",
            "rejected",
            "years from",
            "problem",
        ],
    )


__all__ = ["FileResult", "ingest_files", "ingest_paths", "summary_frame", "DEFAULT_ACCOUNT", "schema"]
