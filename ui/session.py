"""The per-session store and the cached wrappers around it.

Each browser session gets its own sandboxed DuckDB store in `st.session_state`. Nothing a visitor
uploads is ever kept in `st.cache_resource` or a module global: those are shared by every visitor.
The only cached data shared across sessions is the built-in demo data set, which is public.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar, cast

import pandas as pd
import streamlit as st

from kpi_core.ingest import FileResult, ingest_files, ingest_paths
from kpi_core.store import Store

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_ACCOUNT = "lumen.skincare"
_STORE_KEY = "store"
_DEMO_KEY = "showing_demo"


@st.cache_data(show_spinner="Loading the demo account…")
def _demo_snapshot() -> dict[str, pd.DataFrame]:
    """The demo exports read through the same ingest path as uploads (public data, safe to share)."""
    store = Store()
    try:
        results = ingest_paths(store, sorted(DEMO_DIR.iterdir()))
        failed = [r.error for r in results if r.error]
        if failed:
            raise RuntimeError("the demo data did not load: " + "; ".join(str(f) for f in failed))
        return store.snapshot()
    finally:
        store.close()


def get_store() -> Store:
    """This session's store, opened on the demo data the first time."""
    if _STORE_KEY not in st.session_state:
        store = Store()
        store.restore(_demo_snapshot())
        st.session_state[_STORE_KEY] = store
        st.session_state[_DEMO_KEY] = True
    return st.session_state[_STORE_KEY]


def showing_demo() -> bool:
    get_store()
    return bool(st.session_state.get(_DEMO_KEY))


def add_uploads(uploads: list[tuple[str, bytes]], **options: object) -> list[FileResult]:
    """Read the visitor's files into their store; the demo data steps aside on the first upload."""
    store = get_store()
    if showing_demo():
        store.clear()
        st.session_state[_DEMO_KEY] = False
    results = ingest_files(store, uploads, auto_map=False, **options)  # type: ignore[arg-type]
    for result in results:
        if result.took_over and result.account:
            _refile(result.took_over, result.account)
    return results


def _refile(placeholder: str, handle: str) -> None:
    """Earlier uploads' summaries and goals follow their rows from `placeholder` to `handle`."""
    for earlier in st.session_state.get("upload_results", []):
        if earlier.account == placeholder:
            earlier.account = handle
    for goal in st.session_state.get("goals", []):
        if goal.get("account") == placeholder:
            goal["account"] = handle


def clear_data() -> None:
    """Forget this session's uploads and go back to the demo account."""
    store = get_store()
    store.restore(_demo_snapshot())
    st.session_state[_DEMO_KEY] = True
    for key in [k for k in st.session_state if str(k).startswith("upload_")]:
        del st.session_state[key]


_MEMO_KEY = "memo"
P = ParamSpec("P")
T = TypeVar("T")
_MEMO_LIMIT = 256


def memo(fn: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(store, *args, **kwargs)` remembered in this session until the data changes.

    Kept in `st.session_state`, not `st.cache_data`: results are computed from the visitor's own
    data and must never sit in a cache that other sessions share. Arguments must be hashable.
    """
    store = get_store()
    key = (fn.__module__, fn.__qualname__, store.version, args, tuple(sorted(kwargs.items())))
    cache: dict[tuple[object, ...], object] = st.session_state.setdefault(_MEMO_KEY, {})
    if key not in cache:
        if len(cache) >= _MEMO_LIMIT:
            cache.clear()
        cache[key] = fn(store, *args, **kwargs)
    return cast(T, cache[key])
