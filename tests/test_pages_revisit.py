"""A revisit with unchanged data is served from the memo: no page computes a KPI, builds a chart or
writes out a table again (issue 15's page-switch targets). A visitor's own data is remembered in
their session only; the untouched demo's results are shared by every session (ui/session.py,
ui/demo_results.py), and no session changes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpi_core.ingest import ingest_paths
from kpi_core.store import Store
from ui import session

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = sorted((ROOT / "data" / "demo").iterdir())
PAGES = ("trends", "content", "audience", "benchmarks", "portfolio", "goals", "what-if", "data", "methods")
SHELVES = ("memo", "memo_derived")  # ui/session.py: the core's results; tables and chart specs


@pytest.fixture
def empty_demo_shelves():
    """The shared shelves emptied, so that a test sees only what its own sessions put there."""
    for shelf in session.DEMO_RESULTS.values():
        shelf.clear()
    yield session.DEMO_RESULTS


def remembered(at: AppTest) -> dict[str, set[object]]:
    return {shelf: set(at.session_state[shelf]) if shelf in at.session_state else set() for shelf in SHELVES}


def shared() -> dict[str, set[object]]:
    return {name: {key for key, _ in shelf.items()} for name, shelf in session.DEMO_RESULTS.items()}


def shared_contents() -> dict[str, dict[object, bytes]]:
    return {
        name: {key: session.digest(value) for key, value in shelf.items()}
        for name, shelf in session.DEMO_RESULTS.items()
    }


def visit_every_page(at: AppTest) -> None:
    for page in (*PAGES, "overview"):
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])


def own_data_session() -> AppTest:
    """A session on the demo's files as a visitor's own upload (not the shared demo)."""
    store = Store()
    ingest_paths(store, DEMO)
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["store"] = store
    at.session_state["showing_demo"] = False
    at.run()
    return at


def test_a_second_round_of_the_pages_on_the_same_data_computes_nothing_new(empty_demo_shelves):
    at = own_data_session()
    visit_every_page(at)
    first = remembered(at)
    assert first["memo"] and first["memo_derived"]
    texts = [m.value for m in at.metric]
    visit_every_page(at)
    assert remembered(at) == first
    assert [m.value for m in at.metric] == texts
    assert shared() == {"memo": set(), "memo_derived": set()}  # a visitor's data stays in the session


def test_a_second_visitor_on_the_demo_computes_nothing_and_changes_nothing(empty_demo_shelves):
    first = AppTest.from_file(APP, default_timeout=180)
    first.run()
    visit_every_page(first)
    keys, contents = shared(), shared_contents()
    assert keys["memo"] and keys["memo_derived"]
    assert remembered(first) == {"memo": set(), "memo_derived": set()}
    texts = [m.value for m in first.metric]

    second = AppTest.from_file(APP, default_timeout=180)
    second.run()
    visit_every_page(second)
    assert shared() == keys  # nothing made again...
    assert shared_contents() == contents  # ...and nothing the pages read was changed in place
    assert [m.value for m in second.metric] == texts
    assert remembered(second) == {"memo": set(), "memo_derived": set()}
    assert "store" not in second.session_state  # nothing to compute: no store was opened
    assert sum(shelf.size for shelf in empty_demo_shelves.values()) < 16 * 2**20  # far within the budget


def test_a_data_change_is_computed_afresh_in_the_session(empty_demo_shelves):
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    visit_every_page(at)
    before = shared()
    session.store_in(at.session_state).set_time_zone(
        "lumen.skincare", "Europe/Berlin"
    )  # any change bumps the version
    at.switch_page("pages/overview.py")
    at.run()
    assert remembered(at)["memo"]  # the changed demo is the session's own now
    assert shared() == before


def test_a_visitor_who_adds_content_rules_computes_on_their_own(empty_demo_shelves):
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["content_rules"] = [{"name": "tutorials", "text": "secret-rule-text"}]
    at.run()
    at.switch_page("pages/content.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert remembered(at)["memo"] and remembered(at)["memo_derived"]
    assert shared() == {"memo": set(), "memo_derived": set()}  # their rules' text stays theirs
