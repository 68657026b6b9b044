"""Text uploads: decode any common encoding, find the delimiter, and stage a UTF-8 CSV where
DuckDB's CSV reader reads it; and Python's own count of a staged CSV's records and lines."""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from kpi_core.errors import IngestError
from kpi_core.ingest import limits
from kpi_core.ingest.readers.sheet import Sheet
from kpi_core.store.raw_reader import CsvDialect


def decode(name: str, data: bytes) -> tuple[str, bool]:
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


def plain_utf8_head(data: bytes) -> str | None:
    """The first lines of an upload that is plain UTF-8 text (a BOM or none; no NUL, no carriage
    return; not JSON), as much text as the header and the delimiter need; None for anything else,
    which `decode` reads whole.

    Decoding a whole upload made a second copy of it, up to four times its size (text with an
    emoji is stored four bytes a character): 240 MB for a 60 MB scrape. The bytes are checked to
    be UTF-8 whole, as they are (`is_utf8`), and staged as they are; only the head is decoded.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data or b"\r" in data:
        return None
    if _bomless_utf16(data[:8192]):
        return None
    body = memoryview(data)[len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0 :]
    if not is_utf8(body):
        return None
    size = limits.MAX_HEADER_BYTES + 65536  # characters, at most four bytes each
    head = codecs.getincrementaldecoder("utf-8")().decode(body[: 4 * size], final=len(body) <= 4 * size)
    head = head[:size]
    sample = head[:8192]
    if not head or head.isspace() or head.lstrip()[:1] in ("[", "{"):
        return None
    if sum(1 for ch in sample if ch in _NOT_TEXT) > len(sample) // 20:
        return None
    if "\n" not in head[: limits.MAX_HEADER_BYTES] or _EXCEL_SEPARATOR.match(head):
        return None  # the rare cases `stage_csv` handles on the whole text
    return head


def is_utf8(data: bytes | memoryview) -> bool:
    """Whether `data` is valid UTF-8 (as Python's strict codec reads it: no overlong forms, no
    surrogates, nothing past U+10FFFF, no sequence cut at the end), checked by Arrow on the bytes
    as they are: decoding a 48 MB scrape in pieces to check it took 75 ms, this takes 5."""
    offsets = pa.array([0, len(data)], type=pa.int64()).buffers()[1]
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def stage_utf8_csv(name: str, data: bytes, head: str, workdir: Path, source: DiskFile | None = None) -> Sheet:
    """`stage_csv` for plain UTF-8 text (`plain_utf8_head`): the bytes are staged as they are,
    the header and the delimiter read from the first lines; `source`, the file they were read
    from, if any."""
    return stage_csv(name, head, workdir, data, whole=False, source=source)


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


def first_records(text: str, delimiter: str, limit: int = 20) -> list[list[str]]:
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


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of fields."""
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t", "|"):
        records = first_records(text, delimiter)
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        agreeing = sum(1 for r in records[1:] if len(r) == width)
        score = width * (agreeing + 1) / len(records)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def stage_csv(
    name: str,
    text: str,
    workdir: Path,
    utf8: bytes | None = None,
    whole: bool = True,
    source: DiskFile | None = None,
) -> Sheet:
    """Write the text where DuckDB reads it: `utf8`, the upload's own bytes when they are the
    text in UTF-8, is written as it is (no second encoded copy of a large upload). With
    `whole=False`, `text` is only the file's first lines (`plain_utf8_head`) and `utf8` the file.
    `source`: the file on disk `utf8` was read from (the command line's files), staged as a hard
    link to it when `utf8` is staged as it is (`_stage_bytes`)."""
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
        utf8 = source = None
    excel_hint = _EXCEL_SEPARATOR.match(text)
    if excel_hint:  # "sep=;": Excel's hint naming the delimiter, a line before the header
        text, utf8, source = text[excel_hint.end() :], None, None
    delimiter = excel_hint.group(1) if excel_hint else sniff_delimiter(text)
    records = first_records(text, delimiter, limit=1)
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
        _stage_bytes(utf8, path, source)
    if whole:
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    else:
        assert utf8 is not None
        lines = utf8.count(b"\n") + (0 if utf8.endswith(b"\n") else 1)
    sheet = Sheet(name, header, csv_path=path, dialect=CsvDialect(delimiter, len(header)), line_count=lines)
    if excel_hint:
        sheet.lines_skipped = 1
        sheet.notes.append(
            f"Line 1 “{excel_hint.group(0).strip()}” is Excel's delimiter hint: skipped, "
            "and the header read from line 2"
        )
    return sheet


@dataclass(frozen=True)
class DiskFile:
    """The file on disk an upload's bytes were read from (the command line's files), as it was
    just before: its real path (a symbolic link's target) and what `os.stat` said of it."""

    path: Path
    stat: os.stat_result

    def unchanged(self, other: os.stat_result) -> bool:
        """Whether `other` (`os.lstat` of a link to it) is this very file, not written to since:
        a regular file with the same inode, size and modification time (to the nanosecond)."""
        return stat.S_ISREG(other.st_mode) and (
            other.st_dev,
            other.st_ino,
            other.st_size,
            other.st_mtime_ns,
        ) == (self.stat.st_dev, self.stat.st_ino, self.stat.st_size, self.stat.st_mtime_ns)


def _stage_bytes(utf8: bytes, path: Path, source: DiskFile | None) -> None:
    """Stage the bytes of a UTF-8 CSV at `path`: a hard link to `source`, the file they were read
    from, when one can be made and the file is as it was when read, else a copy without the BOM.

    Copying a 1M-video scrape (five 48 MB files) took 0.3-0.7 s of its ingest, the later files
    slower as the kernel held back writers behind its unwritten pages (bench/findings.md). A link
    is the same file inside the staging folder, which the sealed connection may read; removing the
    folder removes the link only. The link is checked to be a regular file, the very file read and
    not written to since (`DiskFile.unchanged`): a symbolic link put in its place, or a file saved
    again since it was read, is copied from the bytes read instead, so that DuckDB reads what the
    digest, the header and the delimiter were taken from (a write to the file in the instant
    between that check and DuckDB's read would still reach it, as it would any reader; a copy is
    the only guard against that, at the cost above). A BOM left in the file is in its header
    line, which DuckDB skips (`header = true`), as Python's line count does. No link across file
    systems, or where the system refuses one: then the copy."""
    if source is not None and source.stat.st_size == len(utf8):
        try:
            os.link(source.path, path, follow_symlinks=False)
            if source.unchanged(os.lstat(path)):
                return
        except (OSError, NotImplementedError):
            pass  # another file system, hard links refused, or no link without following: the copy below
        path.unlink(missing_ok=True)
    with path.open("xb") as f:  # a new file: never through a link left at `path`
        f.write(memoryview(utf8)[len(codecs.BOM_UTF8) if utf8.startswith(codecs.BOM_UTF8) else 0 :])


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
