"""Ended sessions give their memory back within a minute, however quiet the server is.

A session Streamlit forgets (its tab closed, and the disconnected-session TTL passed) is only
reachable through reference cycles of Streamlit's own objects, so its store, its DuckDB database
and its tables wait for Python's full garbage collection. Python runs one only after enough new
objects have outlived younger collections: on a quiet server that can be never. Twenty visitors
gone left the server 45-63 % above its memory before them, where a full collection brings it back
(bench/load.py; the README's "Hostile input and load").

So one thread per process runs a full collection every `INTERVAL_S` seconds, unless Python ran
one itself in the meantime. A full collection holds the interpreter ~0.1 s with the app's
libraries loaded: once a minute at most, against the run-by-run collection Streamlit would do
(`runner.postScriptGC`, off in .streamlit/config.toml).
"""

from __future__ import annotations

import gc
import threading
import time

INTERVAL_S = 60.0

_started = threading.Event()
_lock = threading.Lock()
# One full collection at a time from here: while another thread's collection runs (its finalizers
# close DuckDB databases and let other threads run), gc.collect() returns at once, collecting nothing.
# Re-entrant: a caller may hold it around its own call (tests/test_collector.py does).
_collecting = threading.RLock()


def start() -> None:
    """Start the process's collector thread, once (every run calls this; later calls return)."""
    if _started.is_set():
        return
    with _lock:
        if _started.is_set():
            return
        threading.Thread(target=_collect_forever, name="kpi-collector", daemon=True).start()
        _started.set()


def full_collections() -> int:
    """Full (oldest-generation) collections Python has run in this process."""
    return int(gc.get_stats()[-1]["collections"])


def collect_if_none_since(seen: int) -> int:
    """Run a full collection unless one ran since `full_collections()` returned `seen`; the new count."""
    with _collecting:
        if full_collections() == seen:
            gc.collect()
        return full_collections()


def _collect_forever() -> None:
    seen = full_collections()
    while True:
        time.sleep(INTERVAL_S)
        seen = collect_if_none_since(seen)
