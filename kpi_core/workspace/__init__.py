"""The user's work outside the app: workspace files and scenario links.

Nothing a visitor uploads is kept on the server, so the visitor keeps it: a workspace file holds
a session's tables and state (archive.py: the format; tables.py: the raw tables as Parquet;
state.py: goals, scenario, upload log, mappings), and a scenario link holds a what-if scenario
and where it was made, never any data (link.py).

Workspace files are told apart from exports before ingest sees them (the upload page and the
command line call `open_uploads`): ingest never imports this package.

    tables = saved_tables(store)
    data = workspace_bytes(tables, SessionState(goals=(...)), datetime.now())
    opened = open_uploads([("mine.zip", data), ("Overview.csv", csv_bytes)])
    restore(fresh_store, opened.workspace)      # then ingest_files(fresh_store, opened.exports)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kpi_core.errors import IngestError
from kpi_core.ingest import FileResult, limits
from kpi_core.ingest.result import unexpected
from kpi_core.store import Store
from kpi_core.workspace.archive import (
    FORMAT_VERSION,
    MIMETYPE,
    Workspace,
    app_version,
    is_workspace,
    read_workspace,
    workspace_bytes,
)
from kpi_core.workspace.state import MappingChoice, ScenarioState, SessionState
from kpi_core.workspace.tables import SavedTables, saved_tables

__all__ = [
    "FORMAT_VERSION",
    "MIMETYPE",
    "MappingChoice",
    "Opened",
    "SavedTables",
    "ScenarioState",
    "SessionState",
    "Workspace",
    "app_version",
    "is_workspace",
    "open_paths",
    "open_uploads",
    "read_workspace",
    "restore",
    "saved_tables",
    "workspace_bytes",
]


@dataclass
class Opened:
    """Uploads sorted: the workspace to restore (at most one), a line per workspace file, and
    the exports left for ingest."""

    workspace: Workspace | None = None
    results: list[FileResult] = field(default_factory=list)
    exports: list[tuple[str, bytes | Exception]] = field(default_factory=list)


def open_uploads(uploads: Iterable[tuple[str, bytes | Exception]]) -> Opened:
    """Read the workspace files among `uploads` (the first that reads; one workspace at a time)
    and set the exports aside for ingest."""
    opened = Opened()
    for name, data in uploads:
        if isinstance(data, Exception) or not is_workspace(name, data):
            opened.exports.append((name, data))
        elif opened.workspace is not None:
            opened.results.append(
                FileResult(
                    name,
                    error=f"{name}: only one workspace can be opened at a time, so this one was not read. "
                    "Upload it on its own",
                )
            )
        else:
            try:
                opened.workspace = read_workspace(name, data)
            except Exception as exc:  # IngestError's sentence; anything else is a bug of ours
                opened.results.append(FileResult(name, kind="workspace", error=_sentence(name, exc)))
            else:
                opened.results.append(opened.workspace.file_result())
    return opened


def _sentence(name: str, exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"{name}: could not be opened ({exc})"
    return str(exc) if isinstance(exc, IngestError) else unexpected(name, exc)


def restore(store: Store, workspace: Workspace) -> None:
    """Replace `store`'s tables with the workspace's (exports uploaded afterwards merge into them)."""
    store.restore(workspace.tables)


def _is_workspace_file(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(len(MIMETYPE) + 38)
    except OSError:  # a folder, a missing file: ingest says why
        return False
    return is_workspace(path.name, head)


def _file_bytes(path: Path) -> bytes | Exception:
    try:
        size = path.stat().st_size
        if size > limits.MAX_FILE_BYTES:  # read_workspace refuses it: do not read it first
            return IngestError(
                path.name,
                f"is {size / 1e6:.0f} MB, over the {limits.MAX_FILE_BYTES // 2**20} MB limit",
                "Save a smaller workspace",
            )
        return path.read_bytes()
    except OSError as exc:
        return exc


def open_paths(paths: Iterable[str | Path]) -> tuple[Opened, list[Path]]:
    """`open_uploads` for files on disk (the command line): the workspace files among `paths`
    (told by their first bytes) read, and the other paths left for ingest."""
    saved: list[Path] = []
    exports: list[Path] = []
    for path in map(Path, paths):
        (saved if _is_workspace_file(path) else exports).append(path)
    uploads = [(p.name, _file_bytes(p)) for p in saved]
    opened = open_uploads([(n, d) for n, d in uploads if not isinstance(d, Exception)])
    opened.results[:0] = [
        FileResult(n, error=_sentence(n, d)) for n, d in uploads if isinstance(d, Exception)
    ]
    return opened, exports
