"""Turn uploaded bytes into tables of text: CSV (any common encoding and delimiter), XLSX, JSON,
and the ZIPs TikTok downloads. Caps are checked before anything is decompressed or parsed.

Every reader yields `Sheet`s: a header, and either a staged UTF-8 CSV file for DuckDB's CSV
reader or a small DataFrame of text (XLSX, JSON). Nothing here interprets the values.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

import pandas as pd

from kpi_core.errors import IngestError
from kpi_core.ingest import limits
from kpi_core.store.raw_reader import CsvDialect

_BINARY_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Office file",
    b"Rar!": "a RAR archive",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}
_OVERVIEW_ZIP = re.compile(r"^[A-Za-z]+_(\d{4}-\d{2}-\d{2})_(\d{9,11})_(.+)\.zip$", re.IGNORECASE)
_FOLLOWERS_ZIP = re.compile(r"^Followers_(.+)\.zip$", re.IGNORECASE)
_HANDLE = re.compile(r"^[A-Za-z0-9._]{2,30}$")


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


def zip_name_hints(name: str) -> dict[str, object]:
    """Account handle and export date carried by TikTok's ZIP names.

    `Overview_<date>_<unix-ts>_<handle>.zip`: the unix timestamp is the export time (the date
    part is not). `Followers_<handle>.zip` carries only the handle.
    """
    # A browser saves a second download of the same export as "... (1).zip": not part of the handle.
    base = re.sub(r"\s*\(\d+\)(?=\.zip$)", "", PurePosixPath(name).name, flags=re.IGNORECASE)
    hints: dict[str, object] = {}
    match = _OVERVIEW_ZIP.match(base)
    if match:
        hints["export_date"] = datetime.fromtimestamp(int(match.group(2)), tz=UTC).date()
        handle = match.group(3)
    else:
        followers = _FOLLOWERS_ZIP.match(base)
        handle = followers.group(1) if followers else ""
    if _HANDLE.match(handle.lstrip("@")):
        hints["account"] = handle.lstrip("@")
    return hints


def read_upload(name: str, data: bytes, workdir: Path) -> Iterator[Sheet | IngestError]:
    """Yield the sheets in one upload; a member of a ZIP that cannot be read yields its error."""
    if len(data) > limits.MAX_FILE_BYTES:
        raise IngestError(
            name,
            f"is {len(data) / 1e6:.0f} MB, over the {limits.MAX_FILE_BYTES // 2**20} MB limit",
            "Export a shorter date range or split the file",
        )
    if not data or data.isspace():  # no .strip(): it would copy the whole upload
        raise IngestError(name, "is empty", "Download the export again from TikTok Studio")
    digest = hashlib.sha256(data).hexdigest()
    if _is_zip(data):
        # Python's zipfile parses the whole central directory on open: bound it first.
        _check_zip_directory(name, data)
        if _is_xlsx(data):
            for sheet in _read_xlsx(name, data):
                if isinstance(sheet, Sheet):
                    sheet.digest = f"{digest}:{sheet.name}"
                yield sheet
        else:
            yield from _read_zip(name, data, workdir)
        return
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise IngestError(
                name, f"is {what}, not a data export", "Upload the CSV, XLSX, JSON or ZIP file you exported"
            )
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        _check_json_size(name, data)  # before decoding: the text is a second, larger copy
    text, same_as_utf8 = _decode(name, data)
    if not text or text.isspace():  # a BOM alone, say (not .strip(): it would copy the whole text)
        raise IngestError(name, "is empty", "Download the export again from TikTok Studio")
    if text.lstrip()[:1] in ("[", "{"):
        _check_json_size(name, data)  # UTF-16 JSON does not start with a "[" byte
        sheet = _read_json(name, text)
    else:
        sheet = _stage_csv(name, text, workdir, data if same_as_utf8 else None)
    sheet.digest = digest
    yield sheet


# --- CSV ------------------------------------------------------------------------------------


def _decode(name: str, data: bytes) -> tuple[str, bool]:
    """Text of a file: UTF-16 and UTF-8 (with or without BOM), else Windows-1252; and whether the
    text is exactly the bytes read as UTF-8 (then the bytes can be staged as they are)."""
    utf16 = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _bomless_utf16(data[:8192])
    utf8 = False
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            raise IngestError(
                name,
                "looks like UTF-16 text but does not decode",
                "Save it again as CSV UTF-8 and upload that",
            ) from None
    else:
        try:
            text = data.decode("utf-8-sig")
            utf8 = True
        except UnicodeDecodeError:
            # Spreadsheets on Windows save "CSV" as Windows-1252; every byte decodes there but five.
            text = data.decode("cp1252", errors="replace")
    sample = text[:8192]
    # Text has almost no control characters; random or binary bytes decode to many (and to the
    # replacement character). NULs alone used to be the test, which let most binary files through.
    if sample and sum(1 for ch in sample if ch in _NOT_TEXT) > len(sample) // 20:
        raise IngestError(
            name, "is a binary file, not text", "Upload the CSV, XLSX, JSON or ZIP file you exported"
        )
    if "\x00" in text:
        return text.replace("\x00", ""), False
    return text, utf8


_NOT_TEXT = frozenset(chr(c) for c in (*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F)) | {"\ufffd"}


def _bomless_utf16(sample: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" for UTF-16 saved without a BOM (every other byte NUL), else None."""
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    if sample[1::2].count(0) > pairs * 0.9 and sample[0::2].count(0) < pairs * 0.1:
        return "utf-16-le"
    if sample[0::2].count(0) > pairs * 0.9 and sample[1::2].count(0) < pairs * 0.1:
        return "utf-16-be"
    return None


def _first_records(text: str, delimiter: str, limit: int = 20) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text[: limits.MAX_HEADER_BYTES + 65536]), delimiter=delimiter)
    records = []
    try:
        for record in reader:
            records.append(record)
            if len(records) >= limit:
                break
    except csv.Error:
        pass  # a broken line after the header is DuckDB's to report, with its line number
    return records


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of fields."""
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t", "|"):
        records = _first_records(text, delimiter)
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        agreeing = sum(1 for r in records[1:] if len(r) == width)
        score = width * (agreeing + 1) / len(records)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _stage_csv(name: str, text: str, workdir: Path, utf8: bytes | None = None) -> Sheet:
    """Write the text where DuckDB reads it: `utf8`, the upload's own bytes when they are the
    text in UTF-8, is written as it is (no second encoded copy of a large upload)."""
    head = text[: limits.MAX_HEADER_BYTES]
    if "\n" not in head and "\r" not in head and len(text) > limits.MAX_HEADER_BYTES:
        raise IngestError(
            name,
            "has no line break in its first MB, so it is not a table",
            "Upload the CSV as TikTok exported it",
        )
    # DuckDB reads "\n" and "\r\n" line ends but not lone "\r" (old Mac Excel): normalise them
    # before the header is read too, or a lone-"\r" file looks like one long line with no header.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        utf8 = None
    excel_hint = _EXCEL_SEPARATOR.match(text)
    if excel_hint:  # "sep=;": Excel's hint naming the delimiter, a line before the header
        text, utf8 = text[excel_hint.end() :], None
    delimiter = excel_hint.group(1) if excel_hint else _sniff_delimiter(text)
    records = _first_records(text, delimiter, limit=1)
    header = records[0] if records else []
    if not any(h.strip() for h in header):
        raise IngestError(
            name, "has no header line", "Upload the file as exported, with its first line of column names"
        )
    if len(header) > limits.MAX_COLUMNS:
        raise IngestError(
            name,
            f"has {len(header)} columns, more than the {limits.MAX_COLUMNS} we read",
            "Remove the extra columns and upload it again",
        )
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"upload_{len(list(workdir.iterdir())):04d}.csv"
    if utf8 is None:
        path.write_text(text, encoding="utf-8")
    else:
        with path.open("wb") as f:
            f.write(memoryview(utf8)[len(codecs.BOM_UTF8) if utf8.startswith(codecs.BOM_UTF8) else 0 :])
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    sheet = Sheet(name, header, csv_path=path, dialect=CsvDialect(delimiter, len(header)), line_count=lines)
    if excel_hint:
        sheet.lines_skipped = 1
        sheet.notes.append(
            f"Line 1 “{excel_hint.group(0).strip()}” is Excel's delimiter hint: skipped, "
            "and the header read from line 2"
        )
    return sheet


# Excel writes, and reads, a first line "sep=;" naming the delimiter of the lines after it.
_EXCEL_SEPARATOR = re.compile(r"sep=([,;\t|])[ \t]*\n", re.IGNORECASE)


def count_records(path: Path, delimiter: str, stop_after: int) -> int:
    """CSV records after the header (blank lines aside), counting no further than `stop_after`."""
    count = 0
    try:
        with path.open(encoding="utf-8", newline="") as f:
            for record in csv.reader(f, delimiter=delimiter):
                count += bool(record)
                if count > stop_after:  # the header is one of them
                    break
    except csv.Error:  # a field over the csv module's size limit: count what was read
        pass
    return max(count - 1, 0)


def record_lines(path: Path, delimiter: str) -> list[tuple[int, int]]:
    """(DuckDB's line number, the file's line number) of each record after the header.

    DuckDB counts a record that spans lines (a quoted caption with line breaks) as one line, and
    blank lines as lines; an editor, and the user, count every line. Empty when Python's reader
    cannot split the file (then the caller keeps DuckDB's numbers).
    """
    pairs: list[tuple[int, int]] = []
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f, delimiter=delimiter)
            ended, counted, header_seen = 0, 0, False
            for record in reader:
                start, ended, counted = ended + 1, reader.line_num, counted + 1
                if record and header_seen:
                    pairs.append((counted, start))
                header_seen = header_seen or bool(record)
    except csv.Error:  # a field over the csv module's size limit, say
        return []
    return pairs


# --- XLSX -----------------------------------------------------------------------------------


# What Python's zipfile raises on a damaged or unusual archive besides BadZipFile: a version or
# method it does not support, encryption, a truncated or corrupt deflate stream, bad header fields.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    NotImplementedError,
    RuntimeError,
    EOFError,
    ValueError,
    OSError,
    struct.error,
    zlib.error,
)


def _is_zip(data: bytes) -> bool:
    # A local file header, or the end record alone (an empty ZIP).
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _check_zip_directory(name: str, data: bytes) -> None:
    """Refuse a ZIP whose end record declares too many members or too large a directory.

    Opening a ZIP makes a Python object per member of its central directory: a 100 MB ZIP of
    empty members is two million of them (gigabytes, and a minute). The end record, in the last
    64 KB, says how many members and how many directory bytes follow, so it is read first.
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return  # no end record: zipfile will refuse the file, and say so
    members, size = struct.unpack_from("<HI", data, end + 10)
    locator = end - 20
    if (
        (members == 0xFFFF or size == 0xFFFFFFFF)
        and locator >= 0
        and data[locator : locator + 4] == b"PK\x06\x07"
    ):
        # ZIP64: the real counts are in the ZIP64 end record the locator points at.
        record = struct.unpack_from("<Q", data, locator + 8)[0]
        if data[record : record + 4] == b"PK\x06\x06":
            members, size = struct.unpack_from("<QQ", data, record + 32)
    if members > limits.MAX_ZIP_MEMBERS * 16:
        raise IngestError(
            name, f"holds {members} files", "Upload the ZIP TikTok exported, or the CSVs inside it"
        )
    if size > limits.MAX_ZIP_DIRECTORY_BYTES:
        raise IngestError(
            name,
            f"has a list of contents of {size / 1e6:.0f} MB, too long for an export",
            "Upload the ZIP TikTok exported, or the CSVs inside it",
        )


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except _ZIP_ERRORS:
        return False


def _check_zip_sizes(name: str, zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    if len(infos) > limits.MAX_ZIP_MEMBERS * 16:
        raise IngestError(
            name, f"holds {len(infos)} files", "Upload the ZIP TikTok exported, or the CSVs inside it"
        )
    total = sum(i.file_size for i in infos)
    if total > limits.MAX_ZIP_UNCOMPRESSED_BYTES:
        raise IngestError(
            name,
            f"expands to {total / 1e6:.0f} MB, over the {limits.MAX_ZIP_UNCOMPRESSED_BYTES // 2**20} MB limit",
            "Export a shorter date range",
        )
    for info in infos:
        if (
            info.compress_size
            and info.file_size / info.compress_size > limits.MAX_COMPRESSION_RATIO
            and info.file_size > 1e6
        ):
            raise IngestError(
                name,
                f"has a member ({info.filename}) that expands {info.file_size // info.compress_size}x, like a zip bomb",
                "Upload the file as TikTok exported it",
            )


def _read_xlsx(name: str, data: bytes) -> Iterator[Sheet | IngestError]:
    from python_calamine import CalamineWorkbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_zip_sizes(name, zf)
            uncached = _formulas_without_values(zf)
        # Calamine never expands XML entities (an entity bomb or an external entity is an
        # "unrecognized entity" error), and stops at a member's declared size, which was just
        # checked: tests/test_bad_files.py holds one of each.
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = workbook.sheet_names
    except IngestError:
        raise
    except Exception as exc:  # calamine raises its own types for broken workbooks
        raise IngestError(
            name,
            f"is not a readable Excel workbook ({type(exc).__name__})",
            "Open it in Excel or Sheets and save it again as .xlsx or .csv",
        ) from None
    notes = (
        [
            f"{uncached} formula cell(s) have no saved value and are read as missing: open the workbook in "
            "Excel or Sheets, let it calculate, save it and upload it again"
        ]
        if uncached
        else []
    )
    read_any = False
    for sheet_name in sheet_names:
        label = name if len(sheet_names) == 1 else f"{name}/{sheet_name}"
        try:
            worksheet = workbook.get_sheet_by_name(sheet_name)
            rows = worksheet.to_python(skip_empty_area=True)
        except Exception as exc:
            # Yielded, not raised: the workbook's other sheets are still read.
            read_any = True
            yield IngestError(
                label,
                f"could not be read ({type(exc).__name__})",
                "Save the sheet again as .csv and upload that",
            )
            continue
        # Keep Excel's row numbers for the rejected-row report: empty rows are dropped, and
        # skip_empty_area starts at the first used row.
        first_row = (worksheet.start or (0, 0))[0] + 1
        numbered = [(first_row + i, r) for i, r in enumerate(rows) if any(_cell_text(c) for c in r)]
        rows = [r for _, r in numbered]
        if not rows:
            continue
        read_any = True
        header = [_cell_text(c) for c in rows[0]]
        if len(header) > limits.MAX_COLUMNS:
            yield IngestError(
                label,
                f"has {len(header)} columns, more than the {limits.MAX_COLUMNS} we read",
                "Remove the extra columns and upload it again",
            )
            continue
        body = [[_cell_text(c) for c in r[: len(header)]] + [""] * (len(header) - len(r)) for r in rows[1:]]
        frame = pd.DataFrame(body, columns=[f"c{i}" for i in range(len(header))], dtype="string")
        yield Sheet(
            label, header, frame=frame, row_lines=[line for line, _ in numbered[1:]], notes=list(notes)
        )
    if not read_any:  # every sheet empty: say so, rather than return no result at all
        raise IngestError(
            name, "has no rows in any sheet", "Upload the workbook with its data, or the CSV export"
        )


# A formula cell whose <f> is not followed by a non-empty <v>: no saved result.
_UNCACHED_FORMULA = re.compile(rb"(?:</f>|<f\b[^>]*/>)(?!\s*<v>[^<])")


def _formulas_without_values(zf: zipfile.ZipFile) -> int:
    """Formula cells with no saved result (a workbook written by a program and never opened in
    a spreadsheet). Calamine reads them as empty: the user is told, rather than shown gaps."""
    count = 0
    for info in zf.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        with zf.open(info) as member:  # streamed: a worksheet may be hundreds of MB of XML
            carry = b""
            while chunk := member.read(1 << 20):
                buffer = carry + chunk
                end = buffer.rfind(b"</c>")
                cut = end + 4 if end >= 0 else 0  # search whole cells only
                count += len(_UNCACHED_FORMULA.findall(buffer, 0, cut))
                carry = buffer[cut:]
            count += len(_UNCACHED_FORMULA.findall(carry))
    return count


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- JSON -----------------------------------------------------------------------------------


def _check_json_size(name: str, data: bytes) -> None:
    """Refuse JSON that would take too much memory to parse, before `json.loads` sees it.

    Parsed JSON costs about 50-100 bytes of Python objects per value whatever the bytes say:
    50 MB of `[1,1,1,...]` is 25 million values. Commas and brackets bound the number of values
    from above (those inside strings make the count cautious, never lenient).
    """
    if len(data) > limits.MAX_JSON_BYTES:
        raise IngestError(
            name,
            f"is {len(data) / 1e6:.0f} MB of JSON, over the {limits.MAX_JSON_BYTES // 2**20} MB limit",
            "Split the scrape into smaller files",
        )
    values = data.count(b",") + data.count(b"[") + data.count(b"{")
    if values > limits.MAX_JSON_VALUES:
        raise IngestError(
            name,
            f"holds about {values:,} JSON values, over the {limits.MAX_JSON_VALUES:,} we read",
            "Split the scrape into smaller files",
        )


def _read_json(name: str, text: str) -> Sheet:
    try:
        document = json.loads(text)
        records = _json_records(document)
        # A list of numbers or strings is not a scrape: say so rather than ask for a mapping.
        if records is None or not any(isinstance(r, dict) for r in records):
            raise IngestError(
                name,
                "is JSON but holds no list of video records",
                'Upload the scraper\'s output: a list of videos, or {"collector": [...]}',
            )
        if len(records) > limits.MAX_JSON_RECORDS:
            raise IngestError(
                name,
                f"holds {len(records):,} records, more than the {limits.MAX_JSON_RECORDS:,} we read",
                "Split the scrape into smaller files",
            )
        flat = [_flatten(r) if isinstance(r, dict) else {"value": _text(r)} for r in records]
    except RecursionError:  # json.loads, or json.dumps of a deep value inside a record
        raise IngestError(
            name, "is JSON nested too deeply to be an export", "Upload the scraper's record list"
        ) from None
    except json.JSONDecodeError as exc:
        raise IngestError(
            name,
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            "Export it again from the scraper",
        ) from None
    header: list[str] = list(dict.fromkeys(k for r in flat for k in r))
    if len(header) > limits.MAX_COLUMNS:
        raise IngestError(
            name,
            f"has {len(header)} different fields, more than the {limits.MAX_COLUMNS} we read",
            "Upload the scraper's video records only",
        )
    body = [[r.get(k) for k in header] for r in flat]
    frame = pd.DataFrame(body, columns=[f"c{i}" for i in range(len(header))], dtype="string")
    return Sheet(name, header, frame=frame, line_numbers=False)


def _text(value: object) -> str:
    # NULs are dropped from CSV text when it is decoded; JSON's "\u0000" gets the same treatment.
    return str(value).replace("\x00", "")


def _json_records(document: object) -> list[object] | None:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in ("collector", "items", "itemList", "data", "videos", "results"):
            value = document.get(key)
            if isinstance(value, list):
                return value
    return None


def _flatten(record: dict[str, object], prefix: str = "", depth: int = 0) -> dict[str, str | None]:
    """{'authorMeta': {'fans': 5}} -> {'authorMeta/fans': '5'}; lists by index, as Apify's CSV does."""
    flat: dict[str, str | None] = {}
    for key, value in record.items():
        path = _text(f"{prefix}{key}")
        if isinstance(value, dict) and depth < limits.MAX_JSON_DEPTH:
            flat.update(_flatten(value, f"{path}/", depth + 1))
        elif isinstance(value, list) and depth < limits.MAX_JSON_DEPTH:
            flat.update(_flatten({str(i): v for i, v in enumerate(value[:50])}, f"{path}/", depth + 1))
        elif value is None:
            flat[path] = None
        elif isinstance(value, bool):
            flat[path] = "true" if value else "false"
        elif isinstance(value, dict | list):
            flat[path] = _text(json.dumps(value)[:1000])
        else:
            flat[path] = _text(value)
    return flat


# --- ZIP ------------------------------------------------------------------------------------


def _read_zip(name: str, data: bytes, workdir: Path) -> Iterator[Sheet | IngestError]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        raise IngestError(name, "is not a readable ZIP archive", "Download the export again") from None
    hints = zip_name_hints(name)
    with zf:
        _check_zip_sizes(name, zf)
        members = [i for i in zf.infolist() if not i.is_dir() and not _is_noise(i.filename)]
        if not members:
            raise IngestError(name, "holds no files", "Download the export again from TikTok Studio")
        if len(members) > limits.MAX_ZIP_MEMBERS:
            raise IngestError(
                name,
                f"holds {len(members)} files, more than the {limits.MAX_ZIP_MEMBERS} we read",
                "Upload the ZIP TikTok exported, or the CSVs inside it",
            )
        for info in members:
            # Member names are never used as paths: "../" or absolute names cannot escape.
            label = f"{name}/{PurePosixPath(info.filename.replace(chr(92), '/')).name}"
            try:
                member = zf.read(info)  # at most the declared size, which was checked
            except _ZIP_ERRORS as exc:
                yield IngestError(
                    label,
                    f"could not be unpacked ({_zip_problem(exc)})",
                    "Unpack it with its password and upload the files inside"
                    if "encrypted" in str(exc)
                    else "Download the export again",
                )
                continue
            try:
                if _is_zip(member) and not _is_xlsx(member):
                    raise IngestError(
                        label, "is a ZIP inside the ZIP", "Unpack it and upload the files inside"
                    )
                for sheet in read_upload(label, member, workdir):
                    if isinstance(sheet, Sheet):
                        sheet.hints = {**hints, **sheet.hints}
                    yield sheet
            except IngestError as exc:
                yield exc


def _zip_problem(exc: Exception) -> str:
    # zipfile's own messages name the member by its repr and speak of seeks and magic numbers.
    if "encrypted" in str(exc):
        return "it is protected by a password"
    if isinstance(exc, NotImplementedError):
        return "it is packed with a method we cannot read"
    return "it is damaged"


def _is_noise(filename: str) -> bool:
    base = PurePosixPath(filename.replace("\\", "/"))
    return (
        base.parts[:1] == ("__MACOSX",)
        or base.name.startswith(".")
        or base.name in ("Thumbs.db", "desktop.ini")
    )
