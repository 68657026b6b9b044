"""Scenario links: what a query string carries, what is ignored or held to an account's bounds
(always with a note), and what a page says when a scenario was made elsewhere."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_core.ingest import ingest_paths
from kpi_core.planning.baseline import Baseline, load_baseline
from kpi_core.planning.levers import LEVERS
from kpi_core.store import Store
from kpi_core.workspace import ScenarioState
from kpi_core.workspace.link import (
    LINK_KEYS,
    MAX_COUNT_TARGET,
    date_bounds,
    describe,
    fit,
    link_params,
    origin_notice,
    read_link,
    unknown_account_notice,
)
from kpi_core.workspace.state import LEVER_KEYS

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
FULL = {
    "metric": "likes",
    "target": "60000",
    "start": "2026-11-19",
    "deadline": "2027-02-28",
    "posts_per_week": "6",
    "like_rate_change": "10",
    "views_change": "0",
    "follower_change": "0",
    "account": "lumen.skincare",
    "data_to": "2026-11-18",
}


@pytest.fixture(scope="module")
def demo() -> Baseline:
    store = Store()
    ingest_paths(store, sorted(DEMO.iterdir()))
    return load_baseline(store, "lumen.skincare")


def complete(**changes: object) -> ScenarioState:
    state, _ = read_link({**FULL, **{k: str(v) for k, v in changes.items()}})
    assert state is not None
    return state


def test_a_link_carries_the_goal_every_lever_the_account_and_the_last_day_of_data():
    state, notes = read_link(FULL)
    assert notes == ()
    assert state == ScenarioState(
        "likes",
        60000.0,
        date(2026, 11, 19),
        date(2027, 2, 28),
        {"posts_per_week": 6.0, "like_rate_change": 10.0, "views_change": 0.0, "follower_change": 0.0},
        account="lumen.skincare",
        data_to=date(2026, 11, 18),
    )
    assert link_params(state) == FULL  # and writes back the same query string, in the same order
    assert list(link_params(state)) == list(LINK_KEYS)


def test_the_lever_keys_of_a_link_are_the_lever_tables():
    assert LEVER_KEYS == tuple(lv.url_key for lv in LEVERS.values())


@pytest.mark.parametrize(
    ("key", "value", "note"),
    [
        ("target", "lots", "The link's target “lots” is not a positive number: it is ignored."),
        ("target", "-5", "The link's target “-5” is not a positive number: it is ignored."),
        ("target", "inf", "The link's target “inf” is not a positive number: it is ignored."),
        (
            "deadline",
            "2027-02-31",
            "The link's deadline “2027-02-31” is not a date like 2026-11-30: it is ignored.",
        ),
        ("posts_per_week", "nan", "The link's posts per week “nan” is not a number: it is ignored."),
        ("metric", "<b>x</b>", "The link's metric “<b>x</b>” is not a goal this app knows"),
        ("account", "", "The link's account “” is not a TikTok handle: it is ignored."),
        (
            "data_to",
            "yesterday",
            "The link's data to “yesterday” is not a date like 2026-11-30: it is ignored.",
        ),
    ],
)
def test_a_malformed_value_is_ignored_with_a_note(key, value, note):
    state, notes = read_link({**FULL, key: value})
    assert state is not None and len(notes) == 1 and notes[0].startswith(note)
    assert key not in link_params(state)  # the page's own value fills it


def test_unknown_keys_are_left_out_with_one_note_and_long_values_are_cut():
    state, notes = read_link({"utm_source": "newsletter", "x" * 100: "1"})
    assert state is None
    assert notes == (f"Left out of the link: “utm_source”, “{'x' * 40}…” (not settings of this app).",)


def test_the_benchmarks_page_s_choice_in_a_link_is_no_scenario_and_no_unknown_key():
    assert read_link({"industry": "fashion", "follower_band": "5k-100k"}) == (None, ())


def test_a_link_with_only_where_it_was_made_carries_no_scenario():
    assert read_link({"account": "brand", "data_to": "2026-01-01"}) == (None, ())


def test_fit_holds_levers_to_the_sliders_bounds_for_this_account_with_a_note(demo):
    fitted, notes = fit(complete(posts_per_week=30, like_rate_change=900), demo)
    posts_high = LEVERS["posts_per_week"].bounds(demo)[1]
    assert fitted.levers["posts_per_week"] == posts_high < 30  # the slider's own maximum
    assert fitted.levers["like_rate_change"] == LEVERS["like_rate"].bounds(demo)[1] == 100
    assert notes == (
        f"The link's posts per week 30 is above the most this account's plans take (0 to {posts_high:g} posts per "
        f"week): it is set to {posts_high:g}.",
        "The link's like rate change 900 is above the most this account's plans take (-50% to +100%): it is set to 100.",
    )


def test_fit_holds_rate_targets_to_fractions_and_dates_to_the_plan_range(demo):
    fitted, notes = fit(
        complete(metric="like_rate", target=5, start="1990-01-01", deadline="2300-01-01"), demo
    )
    first, last = date_bounds(demo.as_of)
    assert (fitted.target, fitted.start, fitted.deadline) == (1.0, first, last)
    assert len(notes) == 3 and "target 5 is above the most" in notes[0]


def test_fit_moves_a_deadline_before_the_start_after_it(demo):
    fitted, notes = fit(complete(start="2026-12-01", deadline="2026-11-01"), demo)
    assert fitted.deadline == date(2026, 12, 2) and "deadline" in notes[0]


def test_fit_changes_nothing_in_range(demo):
    state = complete()
    assert fit(state, demo) == (state, ())


_values = st.one_of(
    st.text(max_size=30),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(10**30), 10**30).map(str),
    st.dates(date(1, 1, 1), date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from(
        ["<script>alert(1)</script>", "**x**", ":red[x]", "1e309", "-0", "", "@brand", "like_rate"]
    ),
)
_keys = st.one_of(st.sampled_from(LINK_KEYS), st.text(max_size=12))


@settings(max_examples=300, deadline=None)
@given(params=st.dictionaries(_keys, _values, max_size=12))
def test_any_query_string_reads_without_raising_and_fits_within_the_bounds(demo, params):
    state, notes = read_link(params)
    assert all(isinstance(n, str) and "\n" not in n for n in notes)
    if state is None:
        return
    defaults = complete()
    fitted, _ = fit(state.with_defaults(defaults), demo)
    for lv in LEVERS.values():
        low, high, _ = lv.bounds(demo)
        assert low <= fitted.levers[lv.url_key] <= high
    first, last = date_bounds(demo.as_of)
    assert first <= fitted.start < fitted.deadline <= last
    assert 0 < fitted.target <= MAX_COUNT_TARGET and math.isfinite(fitted.target)
    again, more = read_link(link_params(fitted))
    assert again == fitted and more == ()  # what a page writes back reads as it is
    describe(state)  # the parameters can always be shown


def test_a_scenario_made_for_another_account_says_so_in_the_issue_s_words():
    state = complete(account="x", data_to="2026-06-28")
    notice = origin_notice(state, "lumen.skincare", date(2026, 11, 18), loaded=False, demo=True)
    assert notice == (
        "This scenario was made for @x with data to 28 Jun 2026. Upload @x's exports or workspace to see "
        "it; below it is applied to the demo account."
    )
    assert origin_notice(state, "mine", date(2026, 11, 18), loaded=True, demo=False) == (
        "This scenario was made for @x with data to 28 Jun 2026. Pick @x in the sidebar to see it; below "
        "it is applied to @mine."
    )


def test_a_link_for_an_account_not_loaded_says_which_account_the_pages_show():
    assert unknown_account_notice("x", "lumen.skincare", demo=True) == (
        "This link was made for @x, whose data is not in this session: the pages show the demo account. "
        "Upload @x's exports or workspace to see theirs."
    )
    assert "the pages show @mine." in unknown_account_notice("x", "mine", demo=False)
    assert "the pages show no account: no data is loaded yet." in unknown_account_notice(
        "x", None, demo=False
    )


def test_a_scenario_made_here_on_older_data_says_its_projection_can_differ():
    state = complete(data_to="2026-06-28")
    assert origin_notice(state, "lumen.skincare", date(2026, 6, 28), loaded=True, demo=False) is None
    assert "data to 28 Jun 2026; the data here runs to 18 Nov 2026" in str(
        origin_notice(state, "lumen.skincare", date(2026, 11, 18), loaded=True, demo=False)
    )


def test_a_link_without_an_account_says_it_does_not_know():
    state, _ = read_link({k: v for k, v in FULL.items() if k != "account"})
    assert state is not None
    assert "does not say which account" in str(origin_notice(state, "b", None, loaded=True, demo=False))


def test_the_parameters_read_as_a_sentence():
    assert describe(complete()) == (
        "Likes received 60,000 from 19 Nov 2026 to 28 Feb 2027; posts per week 6, like rate change +10%, "
        "views per video change +0%, follower growth change +0%"
    )


def test_date_bounds_are_two_years_either_side_of_the_data():
    first, last = date_bounds(date(2026, 11, 18))
    assert last - date(2026, 11, 18) == date(2026, 11, 18) - first == timedelta(days=730)
