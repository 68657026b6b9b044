"""ZIP archives (TikTok's downloads) and XLSX workbooks: their caps are checked before anything is
decompressed, and their members or sheets become `Sheet`s."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

import pandas as pd

from kpi_core.errors import IngestError
from kpi_core.ingest import limits
from kpi_core.ingest.readers.sheet import Sheet

_OVERVIEW_ZIP = re.compile(r"^[A-Za-z]+_(\d{4}-\d{2}-\d{2})_(\d{9,11})_(.+)\.zip$", re.IGNORECASE)
_FOLLOWERS_ZIP = re.compile(r"^Followers_(.+)\.zip$", re.IGNORECASE)
_HANDLE = re.compile(r"^[A-Za-z0-9._]{2,30}$")


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


# What Python's zipfile raises on a damaged or unusual archive besides BadZipFile: a version or
# method it does not support, encryption, a truncated or corrupt deflate stream, bad header fields.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    NotImplementedError,
    RuntimeError,
    EOFError,
    ValueError,
    OSError,
    struct.error,
    zlib.error,
)


def is_zip(data: bytes) -> bool:
    # A local file header, or the end record alone (an empty ZIP).
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def check_zip_directory(name: str, data: bytes) -> None:
    """Refuse a ZIP whose end record declares too many members or too large a directory.

    Opening a ZIP makes a Python object per member of its central directory: a 100 MB ZIP of
    empty members is two million of them (gigabytes, and a minute). The end record, in the last
    64 KB, says how many members and how many directory bytes follow, so it is read first.
    """
    # The last end record that fits before the end of the file: a signature inside the record's own
    # fields (its directory offset) is no record, and past it zipfile would read the real one.
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557), max(0, len(data) - 18))
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


def staged_size(name: str, data: bytes) -> int:
    """About how many bytes an upload stages: a ZIP's members as its directory declares them (a
    compressed scrape stages many times its own size; an XLSX counts its XML, more than the rows
    it gives), any other upload its own size. A ZIP that cannot be opened, or is over the hosted
    cap, counts as itself: reading it refuses it, and says why (or reads it as large)."""
    if not is_zip(data) or len(data) > limits.MAX_FILE_BYTES:
        return len(data)
    try:
        check_zip_directory(name, data)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return sum(info.file_size for info in zf.infolist())
    except (IngestError, *ZIP_ERRORS):
        return len(data)


def is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except ZIP_ERRORS:
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


def read_xlsx(name: str, data: bytes) -> Iterator[Sheet | IngestError]:
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


# --- ZIP ------------------------------------------------------------------------------------


def read_zip(
    name: str,
    data: bytes,
    workdir: Path,
    read_member: Callable[[str, bytes, Path], Iterator[Sheet | IngestError]],
) -> Iterator[Sheet | IngestError]:
    """The sheets of a ZIP's members, each read by `read_member` (read_upload: any kind of file)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
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
            except ZIP_ERRORS as exc:
                yield IngestError(
                    label,
                    f"could not be unpacked ({_zip_problem(exc)})",
                    "Unpack it with its password and upload the files inside"
                    if "encrypted" in str(exc)
                    else "Download the export again",
                )
                continue
            try:
                if is_zip(member) and not is_xlsx(member):
                    raise IngestError(
                        label, "is a ZIP inside the ZIP", "Unpack it and upload the files inside"
                    )
                for sheet in read_member(label, member, workdir):
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
