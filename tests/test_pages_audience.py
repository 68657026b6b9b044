"""AppTest tests of the Audience page (demo, a tiny account, a 28-day Studio download, a competitor
known only from a scrape) and of the benchmark picker on the Benchmarks page: in the URL (valid
and invalid values), in the session, and in the Goals page's verdict and suggested targets."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpi_core.metrics import audience, scope
from kpi_core.planning.goals import Goal
from kpi_core.store import Store
from tests.conftest import unescaped
from tests.test_pages_analysis import APP, open_page, tables_with, texts
from tests.test_pages_tiny import assert_nothing_forbidden, chart_data, chart_specs, infos, load
from ui.text import escape_md

AUDIENCE = "pages/audience.py"


def period(store: Store, account: str | None = None):  # type: ignore[no-untyped-def]
    """The sidebar's default: the last 90 days of the account's data."""
    account = account or store.primary_account()
    first, last = scope.data_extent(store, account)
    return account, max(first, last - timedelta(days=89)), last


def findings_of(store: Store, account: str, start, end) -> list[audience.AudienceFinding]:  # type: ignore[no-untyped-def]
    return [
        audience.gender_finding(store, account),
        audience.territory_finding(store, account),
        audience.viewers_finding(store, account, start, end),
        audience.activity_finding(store, account, start, end),
        audience.posting_match_finding(store, account, start, end),
    ]


@pytest.fixture(scope="module")
def demo() -> Store:
    from kpi_core.ingest import ingest_paths

    store = Store()
    ingest_paths(store, sorted((Path(APP).parent / "data" / "demo").iterdir()))
    return store


@pytest.fixture(scope="module")
def shape():  # type: ignore[no-untyped-def]
    stores: dict[str, Store] = {}

    def get(name: str) -> Store:
        if name not in stores:
            stores[name] = Store()
            load(name)(stores[name])
        return stores[name]

    return get


def test_the_demo_audience_shows_every_section_with_the_sentence_kpi_core_writes(demo):
    at = open_page(AUDIENCE)
    found = findings_of(demo, *period(demo))
    assert all(f.shown for f in found)
    written = texts(at)
    for finding in found:
        assert escape_md(finding.summary) in written
        for note in finding.notes:
            assert escape_md(note) in [c.value for c in at.caption]
    assert len(chart_specs(at)) == 5 and not at.main.info
    gender = chart_data(at)[0]
    assert gender["share"].tolist() == found[0].table["share"].tolist()
    assert "Greece" not in " ".join(map(str, chart_data(at)[1]["label"]))  # the demo's are US, GB, CA...
    assert "United States (US)" in chart_data(at)[1]["label"].tolist()
    assert_nothing_forbidden(at)


def test_a_tiny_account_gets_sentences_for_its_header_only_files_and_studio_dates(shape):
    store = shape("tiny")
    at = open_page(AUDIENCE, before=load("tiny"))
    gender, places, viewers, activity, match = findings_of(store, *period(store))
    for finding in (gender, places, match):
        assert finding.reason is not None and escape_md(finding.reason) in infos(at)
    assert "came with its header and no rows" in str(gender.reason)
    assert "posting date but no hour: TikTok Studio's Content export gives dates only" in str(match.reason)
    # Only the charts that carry something: viewers over time and when followers are online.
    specs = chart_specs(at)
    assert len(specs) == 2 and '"viewers"' in specs[0] and '"active_followers"' in specs[1]
    assert viewers.shown and activity.shown
    assert_nothing_forbidden(at)


def test_a_28_day_studio_download_charts_all_but_the_posting_hours(shape):
    store = shape("download_28d")
    at = open_page(AUDIENCE, before=load("download_28d"))
    found = findings_of(store, *period(store))
    assert [f.shown for f in found] == [True, True, True, True, False]
    assert len(chart_specs(at)) == 4
    assert escape_md(found[-1].reason) in infos(at)
    assert_nothing_forbidden(at)


def test_a_competitor_known_only_from_a_scrape_gets_one_sentence_and_no_chart(demo):
    at = open_page(AUDIENCE, account="glow.theory")
    assert [i.value for i in at.main.info] == [escape_md(audience.studio_reason(demo, "glow.theory"))]
    assert not chart_specs(at)
    assert_nothing_forbidden(at)


# --- the benchmark picker ----------------------------------------------------------------------------


def benchmarks_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if query:
        at.query_params.update(query)
    at.switch_page("pages/benchmarks.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def by_view_fitting(at: AppTest):  # type: ignore[no-untyped-def]
    return tables_with(at, "definition", "goal_reference")[0]


def query(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


def test_without_a_link_the_band_comes_from_the_demo_accounts_followers():
    at = benchmarks_page()
    assert at.selectbox(key="benchmark_fit_industry").value == "all"
    assert at.selectbox(key="benchmark_fit_band").value == "5k-100k"
    assert any(c.value.startswith("The follower band starts from the account's 25,") for c in at.caption)
    used = by_view_fitting(at)
    assert used.loc[used["goal_reference"] != "", "population"].tolist() == ["brands with >=5k followers"]
    assert query(at, "industry") == "all" and query(at, "follower_band") == "5k-100k"


def test_a_link_picks_the_industry_and_band_and_the_session_keeps_them():
    at = benchmarks_page({"industry": "fashion", "follower_band": "1m-5m"})
    assert at.selectbox(key="benchmark_fit_industry").value == "fashion"
    assert at.selectbox(key="benchmark_fit_band").value == "1m-5m"
    assert at.session_state["benchmark_fit"] == {"industry": "fashion", "follower_band": "1m-5m"}
    used = by_view_fitting(at)
    assert "Fashion" in used["segment"].tolist() and "Travel" not in used["segment"].tolist()
    assert used.loc[used["goal_reference"] != "", "segment"].tolist() == ["Fashion"]
    assert any(escape_md("Fashion brands, 2.70%") in c.value for c in at.caption)
    assert not at.warning


def test_a_bad_value_in_the_link_is_ignored_with_a_note_and_the_rest_still_applies():
    at = benchmarks_page({"industry": "crypto<script>", "follower_band": "under-5k"})
    assert [w.value for w in at.warning] == [
        escape_md(
            "The link asks for the industry “crypto<script>”, which is not one of the options: showing All "
            "industries instead."
        )
    ]
    assert at.selectbox(key="benchmark_fit_industry").value == "all"
    assert at.selectbox(key="benchmark_fit_band").value == "under-5k"
    assert at.session_state["benchmark_fit"] == {"follower_band": "under-5k"}
    assert query(at, "industry") == "all"  # the link now says what is shown


def test_picking_an_industry_updates_the_url_and_the_session():
    at = benchmarks_page()
    at.selectbox(key="benchmark_fit_industry").set_value("travel").run()
    assert at.session_state["benchmark_fit"] == {"industry": "travel"}
    assert query(at, "industry") == "travel"
    assert by_view_fitting(at).loc[lambda t: t["goal_reference"] != "", "segment"].tolist() == ["Travel"]


def test_the_goal_verdict_and_suggestions_use_the_chosen_benchmark(demo):
    account = demo.primary_account()
    as_of = scope.data_extent(demo, account)[1]
    goal = Goal(
        account=account,
        metric="engagement_rate_by_view",
        target=0.08,
        start=as_of + timedelta(days=1),
        deadline=as_of + timedelta(days=60),
    )
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.session_state["benchmark_fit"] = {"industry": "fashion"}
    at.session_state["goals"] = [goal.to_dict()]
    at.session_state["new_goal_metric"] = "engagement_rate_by_view"
    at.switch_page("pages/goals.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    verdict = unescaped(
        next(m.value for m in at.markdown if "Is it achievable?" in m.value)
    )  # user text in it
    assert "the benchmark (Rival IQ 2024's median per post for Fashion brands) is 2.7%" in verdict
    assert any(b.label.startswith("Benchmark: 2.7%") for b in at.button)
