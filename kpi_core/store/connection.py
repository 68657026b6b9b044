"""Sandboxed DuckDB connections: the only place a connection is opened.

Every connection is in memory and can reach nothing outside itself: no file system (but one
allowed path for an upload reader), no network, no extensions, its settings locked. Identifiers
in generated SQL go through `check_identifier` (ours, snake_case) or `quote_identifier`; values
are always bound as parameters.
"""

from __future__ import annotations

import ctypes
import re

import duckdb

DEFAULT_MEMORY_LIMIT = "1GB"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def sealed_connection(
    memory_limit: str,
    spill_dir: str,
    allowed_path: str | None = None,
    *,
    allowed_directory: str | None = None,
    threads: int = 2,
) -> duckdb.DuckDBPyConnection:
    """An in-memory connection that can reach nothing outside itself (but `allowed_path`, or the
    files inside `allowed_directory`: an upload's private staging folder).

    Over its memory limit DuckDB spills to `spill_dir`: a private folder per connection, removed
    with it, never the app's working directory (DuckDB's default), where a visitor's rows would
    land beside the app's files. `threads`: DuckDB's worker threads (the machine's two cores, or
    one for small uploads: `Staging.upload`).
    """
    con = duckdb.connect(
        ":memory:",
        config={
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
            "memory_limit": memory_limit,
            "threads": threads,
            "temp_directory": spill_dir,
        },
    )
    # Timestamps with an offset are read as UTC instants, whatever the machine's zone.
    con.execute("SET TimeZone = 'UTC'")
    if allowed_path is not None:
        con.execute("SET allowed_paths = [$p]", {"p": allowed_path})
    if allowed_directory is not None:
        con.execute("SET allowed_directories = [$d]", {"d": allowed_directory.rstrip("/") + "/"})
    # DuckDB draws a progress bar on stdout for queries over two seconds: it broke the command
    # line's --json output on large files.
    con.execute("SET enable_progress_bar = false")
    con.execute("SET enable_external_access = false")
    con.execute("SET allow_community_extensions = false")
    con.execute("SET lock_configuration = true")
    return con


def check_identifier(name: str) -> str:
    """Return `name` if it is one of our snake_case identifiers; raise otherwise."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not an identifier of ours: {name!r}")
    return name


def quote_identifier(identifier: str) -> str:
    """Any text as a quoted SQL identifier (for names that are not ours, e.g. a sheet's header)."""
    return '"{}"'.format(identifier.replace('"', '""'))


def release(con: duckdb.DuckDBPyConnection) -> None:
    """Close a store's connection and return the freed memory to the operating system.

    glibc keeps freed memory in its arenas (one per thread that allocated, and Streamlit runs
    every session's script in a thread of its own). Twenty stores filled and dropped in one
    process left it at 347 MB against 274 MB before; with the trim, 254 MB.
    """
    con.close()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        pass
