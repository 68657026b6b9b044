"""The first visitor after a server start: a shared link opens its page through app.py.

Until `st.navigation` has run once in the process, Streamlit serves an app with a `pages/` folder in
its legacy mode, which would run `pages/goals.py` alone (an error page) or answer `/what-if?...`
with a "Page not found" dialog. ui/entry.py reruns such a visit through app.py. Each case needs its
own freshly started server, hence a server per test here.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import metric_values, running_app, settle

WHAT_IF_LINK = (
    "what-if?metric=likes&target=60000&start=2026-11-19&deadline=2027-02-28&posts_per_week=3"
    "&like_rate_change=0&views_change=0&follower_change=0"
)


def first_visit(browser, path: str):
    """Open `path` as the very first visitor of a new server; return the page and its dialogs."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    with running_app("server-fresh.log") as url:
        page.goto(url + path)
        # The legacy run ends and the rerun through app.py starts in between, so an idle page is not
        # yet proof: wait for app.py's account picker (a page run on its own has none and times out).
        page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Account").wait_for(
            timeout=60_000
        )
        settle(page)
        page.get_by_role("heading", level=1).first.wait_for()
        dialogs = [" ".join(d.inner_text().split()) for d in page.get_by_role("dialog").all()]
        heading = page.get_by_role("heading", level=1).first.inner_text()
        sidebar = page.get_by_test_id("stSidebar").inner_text()
        metrics = metric_values(page)
        body = page.inner_text("body")
    context.close()
    return heading, sidebar, metrics, body, dialogs


def test_a_shared_what_if_link_opens_its_scenario_without_a_dialog(browser):
    heading, sidebar, metrics, body, dialogs = first_visit(browser, WHAT_IF_LINK)
    assert dialogs == []
    assert heading == "What-if planning"
    assert "Account" in sidebar  # app.py's sidebar ran
    assert metrics["Target reached on"] == _demo_answer()  # the engine's answer to the linked scenario


def _demo_answer() -> str:
    """The reach date the engine gives the linked scenario on the demo data, as the page shows it."""
    from datetime import date
    from pathlib import Path

    from kpi_core.ingest import ingest_paths
    from kpi_core.metrics.findings import long_day
    from kpi_core.planning.assessment import assess_in_store
    from kpi_core.planning.goals import Goal
    from kpi_core.planning.whatif import Scenario
    from kpi_core.store import Store

    store = Store()
    ingest_paths(store, sorted((Path(__file__).resolve().parents[2] / "data" / "demo").iterdir()))
    account = store.primary_account()
    assert account is not None
    goal = Goal(account, "likes", 60_000, date(2026, 11, 19), date(2027, 2, 28))
    reach = assess_in_store(store, goal).what_if(Scenario(posts_per_week=3)).reach_date
    return long_day(reach) if reach else "Not by the deadline"


@pytest.mark.parametrize(("path", "heading"), [("goals", "Goals"), ("data", "Your data")])
def test_a_page_link_runs_through_app_py(browser, path, heading):
    shown, sidebar, _, body, dialogs = first_visit(browser, path)
    assert dialogs == []
    assert "encountered an error" not in body
    assert shown == heading
    assert "Account" in sidebar
