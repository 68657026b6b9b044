"""The workspace file: a ZIP of Parquet tables and JSON, read all-or-nothing.

Members, in this order (README "Workspace" documents them):
    mimetype                 the bytes of MIMETYPE, stored uncompressed (so the file is
                             recognised from its first bytes, as ODF and EPUB files are)
    manifest.json            format and app version, when it was saved, the accounts with their
                             date ranges, and per member its row count and SHA-256
    state.json               the upload log, mappings, goals, content rules, sidebar choices and
                             the what-if scenario (state.py)
    tables/<table>.parquet   each raw table of kpi_core/store/schema.py (tables.py)

A workspace is data, never code: JSON and Parquet only, no pickles. Reading checks the size and
member caps of kpi_core/ingest/limits.py, the format version, every member's checksum, every
table's columns and types and every value of the state before anything is returned; any failure
is one `IngestError` sentence and nothing is loaded.
"""

from __future__ import annotations

import io
import json
import tomllib
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from kpi_core.errors import IngestError
from kpi_core.ingest import FileResult, limits
from kpi_core.ingest.readers.archives import ZIP_ERRORS, check_zip_directory
from kpi_core.store.schema import RAW_TABLES
from kpi_core.workspace.state import SessionState
from kpi_core.workspace.tables import DATA_TABLES, SavedTables, read_table, sha256

__all__ = [
    "FORMAT_VERSION",
    "MIMETYPE",
    "Workspace",
    "app_version",
    "is_workspace",
    "read_workspace",
    "workspace_bytes",
]

FORMAT = "tiktok-likes-kpi-studio/workspace"
FORMAT_VERSION = 1
MIMETYPE = b"application/x-tiktok-likes-kpi-workspace+zip"
MANIFEST, STATE = "manifest.json", "state.json"
MEMBERS = ("mimetype", MANIFEST, STATE, *(f"tables/{t}.parquet" for t in RAW_TABLES))
_FIXED = zipfile.ZipInfo("mimetype", date_time=(1980, 1, 1, 0, 0, 0))


def app_version() -> str:
    """This app's version: the installed package's, else pyproject.toml's."""
    try:
        return metadata.version("tiktok-likes-kpi-studio")
    except metadata.PackageNotFoundError:
        pass
    try:
        project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text("utf-8"))
        return str(project["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


# ---------------------------------------------------------------------------------------------
# Writing


def workspace_bytes(tables: SavedTables, state: SessionState, saved_at: datetime) -> bytes:
    """The workspace file of a session: its tables (`saved_tables(store)`) and its state."""
    state_bytes = json.dumps(state.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": app_version(),
        "saved_at": saved_at.isoformat(timespec="seconds"),
        "accounts": [a.to_json() for a in tables.accounts],
        "state": {"member": STATE, "sha256": sha256(state_bytes)},
        "tables": {
            t.name: {"member": f"tables/{t.name}.parquet", "rows": t.rows, "sha256": t.sha256}
            for t in tables.tables
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(_FIXED, MIMETYPE, compress_type=zipfile.ZIP_STORED)
        zf.writestr(MANIFEST, json.dumps(manifest, indent=1), compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr(STATE, state_bytes, compress_type=zipfile.ZIP_DEFLATED)
        for t in tables.tables:  # Parquet is compressed already
            zf.writestr(f"tables/{t.name}.parquet", t.data, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Reading


def is_workspace(name: str, data: bytes) -> bool:
    """Whether an upload is a workspace file: its first member is our `mimetype` (or, for a file
    too damaged to show it, its name is one the app gives them: workspace_<handle>_<day>.zip)."""
    head = b"PK\x03\x04" + bytes(26) + b"mimetype" + MIMETYPE
    if len(data) >= len(head) and data[:4] == head[:4] and data[30 : len(head)] == head[30:]:
        return True
    base = name.lower().rsplit("/", 1)[-1]
    return base.startswith("workspace") and base.endswith(".zip")


@dataclass(frozen=True)
class Workspace:
    """A workspace file, read and checked: its manifest, every raw table and the session state."""

    name: str
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    state: SessionState

    @property
    def saved_at(self) -> datetime:
        return datetime.fromisoformat(self.manifest["saved_at"])

    @property
    def accounts(self) -> list[str]:
        return [a["account"] for a in self.manifest["accounts"]]

    def file_result(self) -> FileResult:
        """The line the upload page and the command line show for the workspace itself."""
        accounts = self.manifest["accounts"]
        rows = sum(len(self.tables[t]) for t in DATA_TABLES)
        spans = [(a["date_from"], a["date_to"]) for a in accounts if a["date_from"]]
        state = self.state
        kept = [
            f"{len(state.uploads)} earlier upload{'s' if len(state.uploads) != 1 else ''}",
            f"{len(state.goals)} goal{'s' if len(state.goals) != 1 else ''}",
            "the what-if scenario" if state.scenario else "no what-if scenario",
        ]
        return FileResult(
            name=self.name,
            kind="workspace",
            label="Saved workspace",
            account=accounts[0]["account"] if accounts else None,
            rows=rows,
            accepted=rows,
            date_from=date.fromisoformat(min(s[0] for s in spans)) if spans else None,
            date_to=date.fromisoformat(max(s[1] for s in spans)) if spans else None,
            notes=[
                f"Saved {self.saved_at:%d %b %Y %H:%M} by version {self.manifest['app_version']}: "
                + ", ".join(kept)
                + " restored"
            ],
        )


def _refuse(
    name: str, problem: str, action: str = "Save the workspace again where it was made"
) -> IngestError:
    return IngestError(name, f"{problem}, so nothing was loaded", action)


def _damaged(name: str, detail: str) -> IngestError:
    return _refuse(name, f"this workspace file is damaged or incomplete ({detail})")


def _member(name: str, zf: zipfile.ZipFile, member: str, cap: int) -> bytes:
    try:
        info = zf.getinfo(member)
    except KeyError:
        raise _damaged(name, f"{member} is missing") from None
    if info.file_size > cap:
        raise _refuse(
            name, f"its {member} expands to {info.file_size / 1e6:.0f} MB, more than a workspace holds"
        )
    try:
        return zf.read(info)
    except ZIP_ERRORS as exc:
        raise _damaged(name, f"{member} cannot be read: {exc}") from None


def _json(name: str, zf: zipfile.ZipFile, member: str) -> Any:
    raw = _member(name, zf, member, limits.MAX_JSON_BYTES)
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _damaged(name, f"{member} is not JSON") from None


def _check_members(name: str, zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    names = [i.filename for i in infos]
    if len(infos) > limits.MAX_ZIP_MEMBERS or len(set(names)) != len(names):
        raise _damaged(name, f"it holds {len(infos)} members")
    unknown = sorted(set(names) - set(MEMBERS))
    if unknown:
        raise _damaged(name, f"it holds {unknown[0][:60]!r}, which is not part of a workspace")
    if sum(i.file_size for i in infos) > limits.MAX_ZIP_UNCOMPRESSED_BYTES:
        raise _refuse(
            name,
            f"it expands to more than {limits.MAX_ZIP_UNCOMPRESSED_BYTES // 2**20} MB",
            "Save a workspace with fewer accounts or a shorter history",
        )
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > limits.MAX_COMPRESSION_RATIO:
            raise _damaged(name, f"{info.filename} expands {info.file_size // info.compress_size}-fold")


def _manifest(name: str, zf: zipfile.ZipFile) -> dict[str, Any]:
    manifest = _json(name, zf, MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(name, "its manifest is not a workspace manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _damaged(name, "its format version is missing")
    if version > FORMAT_VERSION:
        saved_by = str(manifest.get("app_version", "a newer one"))[:20]
        raise _refuse(
            name,
            f"this workspace was saved by a newer version of the app ({saved_by}, workspace format "
            f"{version}; this one, {app_version()}, reads format {FORMAT_VERSION})",
            "Open it in the newer version of the app",
        )
    try:
        datetime.fromisoformat(str(manifest["saved_at"]))
        str(manifest["app_version"])
        for account in manifest["accounts"]:
            str(account["account"])
            for key in ("date_from", "date_to"):
                if account[key] is not None:
                    date.fromisoformat(account[key])
        for table in RAW_TABLES:
            entry = manifest["tables"][table]
            if not isinstance(entry["rows"], int) or not isinstance(entry["sha256"], str):
                raise TypeError(table)
        if not isinstance(manifest["state"]["sha256"], str):
            raise TypeError("state")
    except (KeyError, TypeError, ValueError) as exc:
        raise _damaged(name, f"its manifest is incomplete ({type(exc).__name__}: {exc})") from None
    return manifest


def _checked(name: str, zf: zipfile.ZipFile, member: str, expected: str, cap: int) -> bytes:
    data = _member(name, zf, member, cap)
    if sha256(data) != expected:
        raise _refuse(
            name,
            f"this workspace file was changed after it was saved ({member} does not match its checksum)",
            "Use the file exactly as the app saved it",
        )
    return data


def read_workspace(name: str, data: bytes) -> Workspace:
    """A workspace file, fully checked; raises IngestError (one sentence) and loads nothing when it
    is too large, damaged, truncated, changed after saving, or of a newer format."""
    if len(data) > limits.MAX_FILE_BYTES:
        raise _refuse(
            name,
            f"it is {len(data) / 1e6:.0f} MB, over the {limits.MAX_FILE_BYTES // 2**20} MB limit",
            "Save a workspace with fewer accounts or a shorter history",
        )
    if data[:4] != b"PK\x03\x04":
        raise _damaged(name, "it is not a ZIP file")
    try:
        check_zip_directory(name, data)
    except IngestError as exc:
        raise _damaged(name, exc.problem) from None
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        raise _damaged(name, "its list of contents is missing: the file was cut short") from None
    with zf:
        manifest = _manifest(name, zf)  # first: a newer format may hold members we do not know
        _check_members(name, zf)
        if _member(name, zf, "mimetype", 1000) != MIMETYPE:
            raise _damaged(name, "its mimetype is not a workspace's")
        tables = {}
        for table in RAW_TABLES:
            entry = manifest["tables"][table]
            member = f"tables/{table}.parquet"
            raw = _checked(name, zf, member, entry["sha256"], limits.MAX_ZIP_UNCOMPRESSED_BYTES)
            try:
                tables[table] = read_table(table, raw, entry["rows"], limits.MAX_ZIP_UNCOMPRESSED_BYTES)
            except Exception as exc:  # pyarrow raises many types on a damaged Parquet file
                raise _damaged(name, f"{member}: {str(exc)[:120]}") from None
        state_bytes = _checked(name, zf, STATE, manifest["state"]["sha256"], limits.MAX_JSON_BYTES)
    try:
        parsed = json.loads(state_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _damaged(name, f"{STATE} is not JSON") from None
    try:
        state = SessionState.from_json(parsed)
    except (ValueError, TypeError, RecursionError) as exc:
        raise _damaged(name, f"its session state: {str(exc)[:120]}") from None
    _check_files(name, tables["files"])
    return Workspace(name, manifest, tables, state)


def _check_files(name: str, files: pd.DataFrame) -> None:
    """The upload log's ids are the key of the rejected rows and of the next upload's id."""
    ids = files["file_id"]
    if ids.isna().any() or ids.duplicated().any():
        raise _damaged(name, "its upload log repeats a file id")
