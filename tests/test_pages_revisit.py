"""A revisit with unchanged data is served from the session's memo: no page computes a KPI, builds
a chart or writes out a table again (issue 15's page-switch targets)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ("trends", "content", "audience", "benchmarks", "portfolio", "goals", "what-if", "data", "methods")
SHELVES = ("memo", "memo_derived")  # ui/session.py: the core's results; tables and chart specs


def remembered(at: AppTest) -> dict[str, set[object]]:
    return {shelf: set(at.session_state[shelf]) if shelf in at.session_state else set() for shelf in SHELVES}


def visit_every_page(at: AppTest) -> None:
    for page in (*PAGES, "overview"):
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])


def test_a_second_round_of_the_pages_on_the_same_data_computes_nothing_new():
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    visit_every_page(at)
    first = remembered(at)
    assert first["memo"] and first["memo_derived"]
    texts = [m.value for m in at.metric]
    visit_every_page(at)
    assert remembered(at) == first
    assert [m.value for m in at.metric] == texts


def test_a_data_change_is_computed_afresh():
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    visit_every_page(at)
    before = remembered(at)["memo"]
    at.session_state["store"].set_time_zone("lumen.skincare", "Europe/Berlin")  # any change bumps the version
    at.switch_page("pages/overview.py")
    at.run()
    assert remembered(at)["memo"] - before
