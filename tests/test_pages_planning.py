"""AppTest tests of the Goals and What-if pages on the demo account."""

from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpi_core.planning.assessment import assess_in_store
from kpi_core.planning.baseline import load_baseline
from kpi_core.planning.chances import chance_text
from kpi_core.planning.goals import Goal
from tests.conftest import newer_followers_store

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    if query:
        at.query_params.update(query)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def reach_date(at: AppTest) -> date | None:
    shown = metric(at, "Target reached on")
    return None if shown == "Not by the deadline" else datetime.strptime(shown, "%d %b %Y").date()


SCENARIO = {
    "metric": "likes",
    "target": "60000",
    "start": "2026-11-19",
    "deadline": "2027-02-28",
    "posts_per_week": "3",
    "like_rate_change": "0",
    "views_change": "0",
    "follower_change": "0",
}


def test_more_posts_per_week_brings_the_reach_date_forward():
    at = open_page("pages/what-if.py", SCENARIO)
    before = reach_date(at)
    assert before is not None
    at.slider(key="wi_posts_per_week").set_value(6.0).run()
    after = reach_date(at)
    assert after is not None and after < before
    chance_before = float(metric(open_page("pages/what-if.py", SCENARIO), "Chance of success").rstrip("%"))
    assert float(metric(at, "Chance of success").rstrip("%")) > chance_before


def test_a_lower_like_rate_pushes_the_reach_date_back_or_out_of_reach():
    at = open_page("pages/what-if.py", SCENARIO)
    before = reach_date(at)
    at.slider(key="wi_like_rate_change").set_value(-40.0).run()
    after = reach_date(at)
    assert after is None or (before is not None and after > before)


def test_a_shared_url_restores_the_goal_and_every_slider():
    shared = {
        **SCENARIO,
        "metric": "likes",
        "target": "45000",
        "posts_per_week": "4.5",
        "like_rate_change": "15",
        "views_change": "-10",
        "follower_change": "20",
    }
    at = open_page("pages/what-if.py", shared)
    assert at.selectbox(key="wi_metric").value == "likes"
    assert at.number_input(key="wi_target").value == 45000
    assert at.date_input(key="wi_start").value == date(2026, 11, 19)
    assert at.date_input(key="wi_deadline").value == date(2027, 2, 28)
    assert at.slider(key="wi_posts_per_week").value == 4.5
    assert at.slider(key="wi_like_rate_change").value == 15
    assert at.slider(key="wi_views_change").value == -10
    # Follower growth does not move a likes goal: no slider, but the link keeps its value.
    assert "wi_follower_change" not in [s.key for s in at.slider]
    assert at.session_state["wi_follower_change"] == 20
    # ... and the page writes the whole scenario back, so the link stays complete.
    assert at.query_params["posts_per_week"] == ["4.5"] or at.query_params["posts_per_week"] == "4.5"
    assert at.query_params["follower_change"] in (["20"], "20")


def test_a_followers_goal_offers_the_follower_growth_lever_and_no_like_rate_lever():
    at = open_page(
        "pages/what-if.py", {**SCENARIO, "metric": "followers", "target": "40000", "follower_change": "20"}
    )
    keys = [s.key for s in at.slider]
    assert keys == ["wi_follower_change", "wi_posts_per_week", "wi_views_change"]
    assert at.slider(key="wi_follower_change").value == 20


def test_a_broken_url_parameter_is_ignored_not_an_error():
    at = open_page("pages/what-if.py", {**SCENARIO, "target": "lots", "deadline": "2027-02-31"})
    assert at.number_input(key="wi_target").value > 0


def test_inverse_answers_name_each_lever():
    at = open_page("pages/what-if.py", SCENARIO)
    text = " ".join(m.value for m in at.markdown)
    assert "posts per week" in text and "like rate" in text


@pytest.mark.parametrize("suggestion", ["realistic", "ambitious", "stretch"])
def test_a_suggested_target_is_one_click_away_and_becomes_a_goal(suggestion):
    at = open_page("pages/goals.py")
    at.button(key=f"suggest_{suggestion}").click().run()
    target = at.number_input(key="new_goal_target").value
    assert target > 0
    next(b for b in at.button if b.label == "Add goal").click().run()
    assert not at.exception
    goals = at.session_state["goals"]
    assert len(goals) == 1 and goals[0]["target"] == target
    shown = " ".join(m.value for m in at.markdown)
    assert any(word in shown for word in ("On track", "At risk", "Off track"))
    assert "Projection." in shown and "achievable" in shown
    so_far = next(m for m in at.metric if m.label == "So far")  # a share of the target, not a change
    assert (
        so_far.proto.delta == "0% of target" and so_far.proto.direction == so_far.proto.MetricDirection.NONE
    )


def test_a_goal_can_be_removed():
    at = open_page("pages/goals.py")
    at.button(key="suggest_realistic").click().run()
    next(b for b in at.button if b.label == "Add goal").click().run()
    at.button(key="goal_remove_0").click().run()
    assert at.session_state["goals"] == []


def test_a_goal_can_be_edited():
    at = open_page("pages/goals.py")
    at.button(key="suggest_realistic").click().run()
    next(b for b in at.button if b.label == "Add goal").click().run()
    at.number_input(key="edit_target_0").set_value(12345.0)
    at.button(key="goal_save_0").click().run()
    assert at.session_state["goals"][0]["target"] == 12345.0
    assert any("12,345" in m.value for m in list(at.markdown) + list(at.subheader))


def test_a_goal_opens_in_the_what_if_page_with_its_target_and_window():
    at = open_page("pages/goals.py")
    at.button(key="suggest_stretch").click().run()
    next(b for b in at.button if b.label == "Add goal").click().run()
    goal = at.session_state["goals"][0]
    at.button(key="goal_whatif_0").click().run()
    assert not at.exception
    assert at.title[0].value == "What-if planning"
    assert at.number_input(key="wi_target").value == goal["target"]
    assert str(at.date_input(key="wi_deadline").value) == str(goal["deadline"])
    assert reach_date(at) is None or reach_date(at) <= at.date_input(key="wi_deadline").value


def test_todays_pace_shows_its_chance_without_an_arrow_and_a_change_with_one():
    at = open_page("pages/what-if.py", SCENARIO)
    chance = next(m for m in at.metric if m.label == "Chance of success")
    assert chance.proto.delta == "same as today's pace"
    assert chance.proto.direction == chance.proto.MetricDirection.NONE  # no arrow pointing up on "same"
    at.slider(key="wi_posts_per_week").set_value(6.0).run()
    chance = next(m for m in at.metric if m.label == "Chance of success")
    assert chance.proto.delta.endswith(" vs today's pace") and not chance.proto.delta.startswith("same")
    assert chance.proto.direction == chance.proto.MetricDirection.UP
    # The change is the difference of the two numbers shown, not of the unrounded chances.
    today = next(m for m in open_page("pages/what-if.py", SCENARIO).metric if m.label == "Chance of success")
    shown_points = int(chance.value.rstrip("%")) - int(today.value.rstrip("%"))
    assert (
        chance.proto.delta == f"{shown_points:+d} {'pt' if abs(shown_points) == 1 else 'pts'} vs today's pace"
    )


def open_link(page: str, query: dict[str, str]) -> AppTest:
    """A visitor who opens a shared link: the URL's parameters are there on the first run."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(query)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", ["pages/goals.py", "pages/overview.py", "pages/what-if.py"])
@pytest.mark.parametrize("goal", [{"metric": "likes", "target": "5000"}, {}], ids=["with a goal", "bare"])
def test_a_link_for_an_account_not_loaded_says_so_once_on_every_page(page, goal):
    at = open_link(page, {"account": "nobody", **goal})
    said = [box.value for box in [*at.info, *at.warning] if "@nobody" in box.value]
    assert len(said) == 1, said  # on What-if beside the scenario, elsewhere above the page
    assert "the demo account" in said[0]


def test_a_bare_link_for_an_account_loaded_here_opens_on_it():
    at = open_link("pages/overview.py", {"account": "glow.theory"})
    assert at.selectbox(key="account").value == "glow.theory"
    assert not [box.value for box in at.info if "glow.theory" in box.value]


def test_a_follower_goal_counts_a_newer_followers_export_and_the_pages_say_which_day_each_goal_counts_to():
    store = newer_followers_store()
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["store"] = store
    at.session_state["showing_demo"] = False
    at.run()
    # The link leaves posting at today's pace (the scenario's 3 a week would raise the chance).
    todays_posting = {k: v for k, v in SCENARIO.items() if k != "posts_per_week"}
    at.query_params.update(
        {
            **todays_posting,
            "metric": "followers",
            "target": "5549",
            "start": "2026-10-01",
            "deadline": "2026-12-31",
        }
    )
    at.switch_page("pages/what-if.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    note = (
        "Follower counts run to 7 Nov 2026, past the Overview's last settled day (28 Oct 2026): follower goals "
        "count to 7 Nov, goals on likes and rates to 28 Oct"
    )
    assert any(note in c.replace("\\", "") for c in captions), captions
    # The follower goal's levers are measured to its own day; posting keeps the Overview's: 19 videos
    # in the 12 weeks to 28 Oct (1.6 a week), not 16 in the 12 weeks to 7 Nov (1.3, a pause that
    # is only the Overview's end).
    header = next(c for c in captions if "measured over the 12 weeks up to" in c)
    assert "up to 28 Oct 2026 (follower growth to 7 Nov 2026)" in header
    assert "3.0 followers gained a day" in header
    assert "1.6 posts per week" in header
    # The untouched sliders are today's pace: the scenario's chance is the goal's, as kpi_core assesses it
    # on the follower counts' own day (82%; measured to the Overview's day, 71%).
    goal = Goal(store.primary_account(), "followers", 5549, date(2026, 10, 1), date(2026, 12, 31))
    assessed = assess_in_store(store, goal, baseline=load_baseline(store, goal.account, metric="followers"))
    assert assessed.projection.probability is not None and 0.05 < assessed.projection.probability < 0.95
    assert metric(at, "Chance of success") == chance_text(assessed.projection.probability)
    assert next(m for m in at.metric if m.label == "Chance of success").delta == "same as today's pace"
    # A likes goal on the same data counts to the Overview's day.
    at.selectbox(key="wi_metric").set_value("likes").run()
    header = next(c.value for c in at.caption if "measured over the 12 weeks up to" in c.value)
    assert "up to 28 Oct 2026" in header and "1.6 posts per week" in header
    # On the Goals page, a follower goal from the default start (29 Oct) has 10 days elapsed, to 7 Nov.
    at.switch_page("pages/goals.py")
    at.run()
    assert any(note in c.value.replace("\\", "") for c in at.caption)
    at.selectbox(key="new_goal_metric").set_value("followers").run()
    at.number_input(key="new_goal_target").set_value(5600).run()
    next(b for b in at.button if b.label == "Add goal").click().run()
    assert not at.exception, [e.value for e in at.exception]
    card = next(c.value for c in at.caption if c.value.startswith("From 29 Oct 2026"))
    assert "10 days elapsed" in card
