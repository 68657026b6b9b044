"""Turn uploaded bytes into tables of text: CSV (any common encoding and delimiter), XLSX, JSON,
and the ZIPs TikTok downloads. Caps are checked before anything is decompressed or parsed.

Every reader yields `Sheet`s: a header, and either a staged UTF-8 CSV file for DuckDB's CSV
reader or a small DataFrame of text (XLSX, JSON). Nothing here interprets the values.

- `text`: decoding, the delimiter, the staged CSV, and Python's count of its records and lines;
- `archives`: ZIP and XLSX, with their caps, and the hints TikTok's ZIP names carry;
- `json_records`: JSON record lists, flattened.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from kpi_core.errors import IngestError
from kpi_core.ingest import limits
from kpi_core.ingest.readers.archives import (
    check_zip_directory,
    is_xlsx,
    is_zip,
    read_xlsx,
    read_zip,
    staged_size,
    zip_name_hints,
)
from kpi_core.ingest.readers.json_records import check_json_size, read_json
from kpi_core.ingest.readers.sheet import Sheet
from kpi_core.ingest.readers.text import (
    DiskFile,
    count_records,
    decode,
    plain_utf8_head,
    record_lines,
    stage_csv,
    stage_utf8_csv,
)

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


def read_upload(
    name: str,
    data: bytes,
    workdir: Path,
    max_file_bytes: int = limits.MAX_FILE_BYTES,
    source: DiskFile | None = None,
) -> Iterator[Sheet | IngestError]:
    """Yield the sheets in one upload; a member of a ZIP that cannot be read yields its error.

    max_file_bytes: the cap on one file (the hosted app's 100 MB unless the command line raises
    it for local files); ZIP members and JSON keep their own caps. source: the file on disk that
    `data` was read from (the command line), which a CSV read as it is is staged as a link to.
    """
    if len(data) > max_file_bytes:
        raise IngestError(
            name,
            f"is {len(data) / 1e6:.0f} MB, over the {max_file_bytes // 2**20} MB limit",
            "Export a shorter date range or split the file",
        )
    if not data or data.isspace():  # no .strip(): it would copy the whole upload
        raise IngestError(name, "is empty", "Download the export again from TikTok Studio")
    digest = hashlib.sha256(data).hexdigest()
    if is_zip(data):
        # Python's zipfile parses the whole central directory on open: bound it first.
        check_zip_directory(name, data)
        if is_xlsx(data):
            for sheet in read_xlsx(name, data):
                if isinstance(sheet, Sheet):
                    sheet.digest = f"{digest}:{sheet.name}"
                yield sheet
        else:
            yield from read_zip(name, data, workdir, read_upload)
        return
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise IngestError(
                name, f"is {what}, not a data export", "Upload the CSV, XLSX, JSON or ZIP file you exported"
            )
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        check_json_size(name, data)  # before decoding: the text is a second, larger copy
    head = plain_utf8_head(data)
    if head is not None:  # nearly every CSV: staged as it is, never decoded whole
        sheet = stage_utf8_csv(name, data, head, workdir, source)
        sheet.digest = digest
        yield sheet
        return
    text, same_as_utf8 = decode(name, data)
    if not text or text.isspace():  # a BOM alone, say (not .strip(): it would copy the whole text)
        raise IngestError(name, "is empty", "Download the export again from TikTok Studio")
    if text.lstrip()[:1] in ("[", "{"):
        check_json_size(name, data)  # UTF-16 JSON does not start with a "[" byte
        sheet = read_json(name, text)
    else:
        sheet = stage_csv(name, text, workdir, data if same_as_utf8 else None)
    sheet.digest = digest
    yield sheet


__all__ = [
    "DiskFile",
    "Sheet",
    "count_records",
    "read_upload",
    "record_lines",
    "staged_size",
    "zip_name_hints",
]
