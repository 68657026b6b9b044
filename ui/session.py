"""The per-session store and the cached wrappers around it, and the session's workspace.

Each browser session gets its own sandboxed DuckDB store in `st.session_state`. Nothing a visitor
uploads is ever kept in `st.cache_resource` or a module global: those are shared by every visitor.
The only cached data shared across sessions is the built-in demo data set, which is public, and
what the pages compute from it while a session shows it untouched (`remembered`).
Since nothing is kept on the server, the visitor keeps their work: `saved_state` and the store's
tables make a workspace file, and uploading one through `add_uploads` restores the session.
"""

from __future__ import annotations

import hashlib
import inspect
import pickle
from collections.abc import Callable, Hashable, MutableMapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

import pandas as pd
import streamlit as st

from kpi_core import workspace
from kpi_core.ingest import FileResult, ingest_files, ingest_paths
from kpi_core.store import Store
from kpi_core.workspace import MappingChoice, ScenarioState, SessionState
from ui.demo_results import SharedShelf

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_ACCOUNT = "lumen.skincare"
_STORE_KEY = "store"
_DEMO_KEY = "showing_demo"
_PRISTINE_KEY = "demo_version"  # (store, version) while the store holds the demo exactly as loaded
SCENARIO_KEY = "scenario"  # the what-if scenario (ScenarioState), kept while the visitor moves between pages
GOALS_KEY = "goals"  # the Goals page's goals, as Goal.to_dict() values
RULES_KEY = "content_rules"  # the Content page's own groups
FIT_KEY = "benchmark_fit"  # the benchmark fit the visitor chose (ui/benchmark_fit.py), a plain dict
RESULTS_KEY = "upload_results"  # the upload log: a FileResult per table read
_MAPPINGS_KEY = (
    "upload_mappings"  # MappingChoice per sheet mapped by hand ("upload_": cleared with the uploads)
)
VIEW_KEY = "restored_view"  # a restored workspace's sidebar choices, set before the sidebar draws


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
    """This session's store, opened on the demo data the first time it is needed. A visitor who
    only looks at the demo may never need one: what the pages show of the untouched demo comes from
    the shelf every session shares (`remembered`)."""
    return store_in(st.session_state)


def store_in(state: MutableMapping[Any, Any]) -> Store:
    """The store of the session whose state is `state`, opened on the demo data if it has none
    yet (`get_store` passes its own; a test passes its AppTest's)."""
    if _STORE_KEY not in state:
        store = Store()
        store.restore(_demo_snapshot())
        state[_STORE_KEY] = store
        state[_DEMO_KEY] = True
        state[_PRISTINE_KEY] = _pristine(store)
    return cast(Store, state[_STORE_KEY])


def saved_tables() -> workspace.SavedTables:
    """This session's tables as a workspace holds them, made once per data change (the untouched
    demo's once per process, so a new visitor's first page does not pay for them)."""
    return memo(workspace.saved_tables)


def _pristine(store: Store) -> tuple[int, int]:
    """What `untouched_demo` compares: the store itself and its version (any change bumps it), so
    that another store put in the session never passes for the demo loaded into this one."""
    return id(store), store.version


def showing_demo() -> bool:
    """Whether the session shows the demo account (a new session does, before its store opens)."""
    return _STORE_KEY not in st.session_state or bool(st.session_state.get(_DEMO_KEY))


def untouched_demo() -> bool:
    """Whether the session shows the demo exactly as loaded (or has no store yet, which opens on
    it), with no text of the visitor's own in what the pages compute (content groups' rules): the
    same public data in every session, whose results every session may share."""
    ss = st.session_state
    if ss.get(RULES_KEY):
        return False
    return _STORE_KEY not in ss or (
        bool(ss.get(_DEMO_KEY)) and ss.get(_PRISTINE_KEY) == _pristine(ss[_STORE_KEY])
    )


def add_uploads(
    uploads: list[tuple[str, bytes]], mappings: dict[str, dict[str, str]] | None = None, **options: object
) -> list[FileResult]:
    """Read the visitor's files into their store and say what happened to each table.

    A workspace file among them restores its session first (tables, upload log, goals, scenario),
    replacing this one's; the exports then merge into it. The demo data steps aside on the first
    export. A sheet whose headers the visitor mapped before is read with the same mapping.
    """
    opened = workspace.open_uploads(uploads)
    results = list(opened.results)
    if opened.workspace is not None:
        _restore(opened.workspace)  # the workspace's line, then its upload log, then what follows
        at = next(i for i, r in enumerate(results) if r.kind == "workspace" and r.ok)
        results[at + 1 : at + 1] = opened.workspace.state.uploads
    if not opened.exports:
        return results
    if showing_demo():
        held = scenario()
        if held is not None and held.account in accounts():  # planned on the demo: not the visitor's
            st.session_state.pop(SCENARIO_KEY)
        if _STORE_KEY in st.session_state:
            st.session_state[_STORE_KEY].clear()
        else:  # the demo was never opened: no need to load it only to empty it
            st.session_state[_STORE_KEY] = Store()
        st.session_state[_DEMO_KEY] = False
    store = get_store()
    read = ingest_files(store, opened.exports, auto_map=False, mappings=mappings, **options)  # type: ignore[arg-type]
    read = [_with_earlier_mapping(r, opened.exports, options) for r in read]
    for result in read:
        if result.took_over and result.account:
            _refile(result.took_over, result.account)
    return results + read


def read_with_mapping(result: FileResult, data: bytes, mapping: dict[str, str]) -> list[FileResult]:
    """Read again a sheet that waited for its columns to be mapped, and keep the choice (a later
    sheet with the same headers is read with it, in this session and in its workspace)."""
    assert result.needs_mapping is not None
    choice = MappingChoice(result.name, tuple(result.needs_mapping["headers"]), mapping)
    kept = [c for c in st.session_state.get(_MAPPINGS_KEY, []) if c.headers != choice.headers]
    st.session_state[_MAPPINGS_KEY] = [*kept, choice]
    return add_uploads([(result.name.split("/")[0], data)], mappings={result.name: mapping})


def _with_earlier_mapping(
    result: FileResult, uploads: list[tuple[str, bytes | Exception]], options: dict[str, object]
) -> FileResult:
    """`result`, or, for a sheet waiting for a mapping the visitor chose before for the same
    headers, the sheet read with that mapping."""
    if not result.needs_mapping:
        return result
    headers = tuple(result.needs_mapping["headers"])
    choice = next((c for c in st.session_state.get(_MAPPINGS_KEY, []) if c.headers == headers), None)
    data = dict(uploads).get(result.name.split("/")[0])
    if choice is None or not isinstance(data, bytes):
        return result
    again = ingest_files(
        get_store(),
        [(result.name.split("/")[0], data)],
        auto_map=False,
        mappings={result.name: dict(choice.mapping)},
        **options,  # type: ignore[arg-type]
    )
    mapped = next((r for r in again if r.name == result.name), result)
    if mapped is not result:
        mapped.notes.insert(0, f"Read with the columns you mapped for {choice.name} before")
    return mapped


def _restore(saved: workspace.Workspace) -> None:
    """Make `saved` this session's work: its tables in a fresh store (the current one stays whole
    should that fail), its upload log, goals, content rules, mappings, sidebar and scenario."""
    store = Store()
    try:
        workspace.restore(store, saved)
    except BaseException:
        store.close()
        raise
    state, ss = saved.state, st.session_state
    ss[_STORE_KEY] = store
    ss.pop(_MEMO_KEY, None)  # keyed on the store's version, which starts again
    ss.pop(_DERIVED_KEY, None)  # the earlier data's tables and charts
    ss[_DEMO_KEY] = state.demo
    ss.pop(_PRISTINE_KEY, None)  # even a saved demo is the file's tables now
    ss[GOALS_KEY] = [dict(g) for g in state.goals]
    ss[RULES_KEY] = [dict(r) for r in state.content_rules]
    ss[FIT_KEY] = dict(state.benchmark_fit)
    ss[_MAPPINGS_KEY] = list(state.mappings)
    ss[RESULTS_KEY] = []  # add_uploads returns the restored log after the workspace's own line
    ss.pop("upload_pending", None)
    if state.scenario is not None:
        ss[SCENARIO_KEY] = state.scenario
    ss[VIEW_KEY] = dict(state.view)


def saved_state() -> SessionState:
    """This session's work besides the store's tables, as a workspace keeps it."""
    ss = st.session_state
    view: dict[str, object] = {k: ss[k] for k in ("account", "period", "include_provisional") if k in ss}
    picked = ss.get("custom_range")
    if isinstance(picked, tuple | list) and len(picked) == 2:
        view["custom_range"] = [d.isoformat() for d in picked]
    return SessionState(
        uploads=tuple(r for r in ss.get(RESULTS_KEY, []) if r.kind != "workspace"),
        mappings=tuple(ss.get(_MAPPINGS_KEY, [])),
        goals=tuple(ss.get(GOALS_KEY, [])),
        scenario=scenario(),
        content_rules=tuple(ss.get(RULES_KEY, [])),
        benchmark_fit=dict(ss.get(FIT_KEY) or {}),
        view=view,
        demo=showing_demo(),
    )


def scenario() -> ScenarioState | None:
    """The session's what-if scenario, None until the What-if page, a link or a workspace sets one."""
    return st.session_state.get(SCENARIO_KEY)


def set_scenario(value: ScenarioState) -> None:
    st.session_state[SCENARIO_KEY] = value


def _refile(placeholder: str, handle: str) -> None:
    """Earlier uploads' summaries and goals follow their rows from `placeholder` to `handle`."""
    for earlier in st.session_state.get(RESULTS_KEY, []):
        if earlier.account == placeholder:
            earlier.account = handle
    for goal in st.session_state.get(GOALS_KEY, []):
        if goal.get("account") == placeholder:
            goal["account"] = handle
    held = scenario()
    if held is not None and held.account == placeholder:
        set_scenario(replace(held, account=handle))


def clear_data() -> None:
    """Forget this session's uploads and go back to the demo account."""
    store = get_store()
    store.restore(_demo_snapshot())
    st.session_state[_DEMO_KEY] = True
    st.session_state[_PRISTINE_KEY] = _pristine(store)
    for key in [k for k in st.session_state if str(k).startswith("upload_")]:
        del st.session_state[key]


_MEMO_KEY = "memo"
_DERIVED_KEY = "memo_derived"  # results of plain functions of data: a shelf of its own (see `derived`)
P = ParamSpec("P")
T = TypeVar("T")
_MEMO_LIMIT = 256
_DEMO_DATA = "demo"  # what a key holds for the data instead of the store's version, on the untouched demo
DEMO_RESULTS = {  # the untouched demo's results, for every session: the core's, and tables and specs
    _MEMO_KEY: SharedShelf(budget=48 * 2**20),
    _DERIVED_KEY: SharedShelf(budget=16 * 2**20),
}


def remembered(key: Hashable, make: Callable[[], T], shelf: str = _MEMO_KEY) -> T:
    """`make()`, remembered under `key` (for a page's next rerun, a revisit, another visitor).

    Kept in `st.session_state`, not `st.cache_data`: results are computed from the visitor's own
    data and must never sit in a cache that other sessions share. The one exception is the demo:
    while a session shows it untouched (`untouched_demo`), its results go to the shelf every
    session shares (ui/demo_results.py), so a new visitor's pages are not computed again from the
    same public data. Whoever reads a shared result must not change it (tests/test_pages_revisit.py
    checks that a second visitor leaves every shared result as it was). A session's shelf holds at
    most `_MEMO_LIMIT` results; past that it starts again.
    """
    if untouched_demo():
        return DEMO_RESULTS[shelf].get(key, make)
    cache: dict[Hashable, object] = st.session_state.setdefault(shelf, {})
    if key not in cache:
        if len(cache) >= _MEMO_LIMIT:
            cache.clear()
        cache[key] = make()
    return cast(T, cache[key])


def memo(fn: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(store, *args, **kwargs)` remembered until the data changes (the key holds the store's
    version, or, on the untouched demo, the demo's name). Arguments must be hashable."""
    data = _DEMO_DATA if untouched_demo() else get_store().version
    key = (fn.__module__, fn.__qualname__, data, args, tuple(sorted(kwargs.items())))
    return remembered(key, lambda: fn(get_store(), *args, **kwargs))


def digest(value: object) -> bytes:
    """A key for data of any shape (DataFrames, findings, dicts): a hash of its pickle. Equal
    pickles are equal data; equal data pickled differently only misses the memo."""
    return hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=16).digest()


def derived(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)`, a plain function of data (a table written out for a page, a chart's
    spec), remembered in this session (on the untouched demo, for every session: `remembered`) for
    arguments with the same content (`digest`).

    For what a page makes on every run from results the memo already holds: on a revisit the
    same data gives the same result without making it again. A shelf of its own, so these never
    push the core's results out of the memo.
    """
    if not inspect.isfunction(fn) or fn.__closure__ or "<" in fn.__qualname__:
        # the key names the function, so it must be one name for one computation: no lambdas,
        # closures or bound methods (whose captured values or instance the key would not see)
        raise TypeError(f"session.derived needs a module-level function, not {fn!r}")
    key = (fn.__module__, fn.__qualname__, digest((args, kwargs)))
    return remembered(key, lambda: fn(*args, **kwargs), shelf=_DERIVED_KEY)


def accounts() -> list[str]:
    """Every account in the session's store, the primary one first (`Store.accounts`), once per
    data change: the sidebar and the planning pages ask on every run."""
    return list(memo(Store.accounts))


def own_account() -> str | None:
    """The handle the user's own exports are filed under (`Store.own_account`; None with scraper
    files alone), once per data change."""
    return memo(Store.own_account)


def primary_account() -> str | None:
    """The account the pages open on (`Store.primary_account`), once per data change."""
    return memo(Store.primary_account)
