"""What-if scenarios, the inverse on each lever, and the goal report's JSON."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_core.planning.assessment import assess
from kpi_core.planning.baseline import Baseline
from kpi_core.planning.forecast import simulate
from kpi_core.planning.goals import Goal
from kpi_core.planning.inverse import Solved, inverse
from kpi_core.planning.levers import LEVERS, MAX_POSTS_PER_WEEK
from kpi_core.planning.whatif import Scenario, multipliers, what_if
from kpi_core.report import summary as report

START = date(2026, 1, 1)


def frames(
    likes: np.ndarray,
    views: np.ndarray,
    every: int = 7,
    video_views: float = 14_000,
    video_likes: float = 700,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A daily table and one video every `every` days (settled: seen 30 days after the last)."""
    n = len(likes)
    days = [START + timedelta(days=i) for i in range(n)]
    daily = pd.DataFrame(
        {
            "account": "acc",
            "date": pd.to_datetime(days),
            "views": pd.array(np.rint(views).astype(int), dtype="Int64"),
            "likes": pd.array(np.rint(likes).astype(int), dtype="Int64"),
            "comments": pd.array([None] * n, dtype="Int64"),
            "shares": pd.array([None] * n, dtype="Int64"),
            "followers": pd.array(1000 + 10 * np.arange(n), dtype="Int64"),
            "provisional": False,
        }
    )
    posted = days[n - 1 :: -every][::-1]
    videos = pd.DataFrame(
        {
            "account": "acc",
            "video_id": [str(i) for i in range(len(posted))],
            "posted_at": pd.to_datetime(posted),
            "likes": pd.array([int(video_likes)] * len(posted), dtype="Int64"),
            "views": pd.array([int(video_views)] * len(posted), dtype="Int64"),
            "snapshot_date": pd.Timestamp(days[-1] + timedelta(days=30)),
        }
    )
    return daily, videos


@cache
def steady() -> Baseline:
    """100 likes and 2,000 views a day; one video a week with 14,000 views and 700 likes:
    posts explain every like and view (1/7 x 700 = 100 a day)."""
    return Baseline.from_frames(*frames(np.full(120, 100.0), np.full(120, 2000.0)))


@cache
def noisy() -> Baseline:
    rng = np.random.default_rng(5)
    weekly = np.array([0.9, 1.1, 1.15, 1.05, 0.95, 0.85, 1.0])[np.arange(180) % 7]
    views = 2000 * weekly * rng.lognormal(0, 0.35, 180)
    return Baseline.from_frames(*frames(views * 0.05 * rng.lognormal(0, 0.1, 180), views))


def goal(b: Baseline, target: float, metric: str = "likes", days_in: int = 10, days_left: int = 20) -> Goal:
    return Goal(
        "acc", metric, target, b.as_of - timedelta(days=days_in - 1), b.as_of + timedelta(days=days_left)
    )


# --- baseline and multipliers ----------------------------------------------------------------------


def test_the_baseline_measures_the_levers_over_the_last_12_weeks():
    b = steady()
    assert b.posts_per_week == pytest.approx(1.0)  # 12 videos in 84 days
    assert b.views_per_video == 14_000 and b.like_rate == pytest.approx(0.05)
    assert b.new_video_like_share == pytest.approx(1.0) and b.new_video_view_share == pytest.approx(1.0)
    assert b.follower_gain_per_day == pytest.approx(10)


def test_a_sample_of_the_posts_leaves_the_new_video_shares_unmeasured():
    # One video a week brings half of the likes and views; a Content export lists one in five.
    daily, videos = frames(np.full(120, 100.0), np.full(120, 2000.0), video_views=7000, video_likes=350)
    whole = Baseline.from_frames(daily, videos)
    assert whole.new_video_like_share == pytest.approx(0.5) and whole.new_video_view_share == pytest.approx(
        0.5
    )
    sample = Baseline.from_frames(daily, videos.iloc[::5], videos_listed_only=True)
    assert np.isnan(sample.posts_per_week) and sample.videos_per_week == pytest.approx(2 / 12)
    # At the sample's rate (2 listed in the last 12 weeks) new posts would explain 8% of the likes,
    # not half: the share is unknown, so every like moves with the levers, as without a video list.
    assert (sample.new_video_like_share, sample.new_video_view_share) == (1.0, 1.0)
    assert (sample.views_per_video, sample.like_rate) == (7000, pytest.approx(0.05))


def test_a_short_download_measures_posting_over_the_weeks_its_video_list_covers():
    # A 7-day download: 7 daily rows, and a Content list of a video every 7 days over 70 days.
    # Over the daily rows alone no video was posted in "the last 12 weeks" (it read n/a); over
    # the 64 days from the list's first video to the data's last day, 10 videos.
    daily, videos = frames(np.full(70, 100.0), np.full(70, 2000.0))
    b = Baseline.from_frames(daily.iloc[-7:], videos)
    assert len(b.likes) == 7 and len(b.video_day) == 10
    assert b.posts_per_week == pytest.approx(10 / 64 * 7)
    assert LEVERS["posts_per_week"].today_text(b) == "1.1 posts per week"
    # No video list: the reason says so, not that no video was posted.
    daily_only = Baseline.from_frames(daily)
    assert LEVERS["posts_per_week"].today_text(daily_only) == (
        "posts per week n/a (the files loaded hold no video list: upload the Content export or a scrape)"
    )
    long_daily, long_videos = frames(np.full(120, 100.0), np.full(120, 2000.0))
    only_old = Baseline.from_frames(long_daily, long_videos.iloc[:2])  # posted 119 and 112 days ago
    assert LEVERS["posts_per_week"].today_text(only_old) == (
        "posts per week n/a (no videos posted in the last 12 weeks of the data)"
    )


def test_followers_that_fell_are_named_as_no_growth_to_scale():
    daily, videos = frames(np.full(120, 100.0), np.full(120, 2000.0))
    daily["followers"] = pd.array(5000 - 3 * np.arange(120), dtype="Int64")
    b = Baseline.from_frames(daily, videos)
    assert b.follower_gain_per_day == pytest.approx(-3)
    assert LEVERS["follower_growth"].today_text(b) == (
        "follower growth n/a (followers did not grow over the last 12 weeks: there is no growth to scale)"
    )
    daily["followers"] = pd.array([None] * 120, dtype="Int64")
    assert LEVERS["follower_growth"].today_text(Baseline.from_frames(daily, videos)) == (
        "follower growth n/a (no follower counts in the last 12 weeks)"
    )


def test_when_no_lever_can_be_measured_today_s_even_chance_still_says_it_gets_there():
    # Daily totals only: no lever of a likes goal can be measured, and an easy target is reached
    # at today's pace. It said "No single lever gets there within sane bounds".
    daily, _ = frames(np.full(120, 100.0), np.full(120, 2000.0))
    b = Baseline.from_frames(daily)
    easy = inverse(goal(b, 1_000), b, n_paths=400)
    assert easy.sentence.startswith(
        "Today's pace already gives an even chance or better; how far each lever may fall cannot be"
    )
    assert easy.sentence.endswith(
        "today's posts per week, like rate and views per video cannot be measured (the files loaded hold no "
        "video list: upload the Content export or a scrape)."
    )
    assert {s.why for s in easy.solutions.values()} == {
        "the files loaded hold no video list: upload the Content export or a scrape"
    }
    hard = inverse(goal(b, 100_000), b, n_paths=400)
    assert hard.sentence.startswith("No single lever gets there within sane bounds: ")


@pytest.mark.parametrize(
    "scenario, likes, views",
    [
        (Scenario(), 1.0, 1.0),
        (Scenario(posts_per_week=2), 2.0, 2.0),
        (Scenario(like_rate_change=0.1), 1.1, 1.0),
        (Scenario(views_per_video_change=-0.5), 0.5, 0.5),
        (Scenario(posts_per_week=3, like_rate_change=0.5, views_per_video_change=1.0), 9.0, 6.0),
    ],
)
def test_scenarios_scale_the_likes_that_posts_explain(scenario, likes, views):
    m = multipliers(steady(), scenario)
    assert (m.likes, m.views) == (pytest.approx(likes), pytest.approx(views))


@pytest.mark.parametrize(
    "fields",
    [dict(posts_per_week=-1), dict(like_rate_change=-1.5), dict(views_per_video_change=float("nan"))],
)
def test_an_impossible_scenario_is_refused(fields):
    with pytest.raises(ValueError):
        Scenario(**fields)


# --- what-if ---------------------------------------------------------------------------------------


def test_doubling_posts_doubles_the_likes_to_come():
    b = steady()
    result = what_if(goal(b, 4000), b, Scenario(posts_per_week=2))
    assert result.baseline_projection.expected == pytest.approx(1000 + 20 * 100, rel=0.005)
    assert result.expected == pytest.approx(1000 + 2 * 20 * 100, rel=0.005)
    assert result.probability == 1.0 and result.baseline_projection.probability == 0.0
    assert result.reach_date == b.as_of + timedelta(days=15)  # 1,000 + 15 x 200 = 4,000
    assert result.baseline_projection.reach_date is None  # not by the deadline
    curve = result.curve
    assert list(curve.columns) == [
        "date",
        "actual",
        "baseline",
        "scenario",
        "scenario_low",
        "scenario_high",
        "target",
    ]
    assert len(curve) == 30 and curve["scenario"].iloc[-1] == pytest.approx(5000, rel=0.005)


def _later(a: date | None, b: date | None) -> bool:
    """a is no earlier than b (None = never)."""
    return a is None or (b is not None and a >= b)


@settings(max_examples=25, deadline=None)
@given(low=st.floats(0, 10), extra=st.floats(0.01, 10), target=st.floats(1500, 8000))
def test_more_posts_per_week_reach_the_target_sooner_and_more_surely(low, extra, target):
    b = noisy()
    g = goal(b, target)
    sim = simulate(b, "likes", g.start, g.deadline)
    fewer = what_if(g, b, Scenario(posts_per_week=low), simulation=sim)
    more = what_if(g, b, Scenario(posts_per_week=low + extra), simulation=sim)
    assert more.probability >= fewer.probability
    assert more.expected >= fewer.expected
    assert _later(fewer.reach_date, more.reach_date)


@settings(max_examples=25, deadline=None)
@given(low=st.floats(-0.9, 1.0), extra=st.floats(0.01, 1.0), target=st.floats(1500, 8000))
def test_a_better_like_rate_reaches_the_target_sooner_and_more_surely(low, extra, target):
    b = noisy()
    g = goal(b, target)
    sim = simulate(b, "likes", g.start, g.deadline)
    worse = what_if(g, b, Scenario(like_rate_change=low), simulation=sim)
    better = what_if(g, b, Scenario(like_rate_change=low + extra), simulation=sim)
    assert better.probability >= worse.probability
    assert _later(worse.reach_date, better.reach_date)


# --- inverse ---------------------------------------------------------------------------------------


def test_each_levers_answer_plugged_back_in_reaches_the_target_at_the_deadline():
    b = noisy()
    g = goal(b, 6000)
    solved = inverse(g, b)
    ppw, rate, reach = (solved.solutions[k].value for k in ("posts_per_week", "like_rate", "views_per_video"))
    assert ppw is not None and rate is not None and reach is not None
    assert ppw > b.posts_per_week and rate > b.like_rate and reach > b.views_per_video
    for scenario in (
        Scenario(posts_per_week=ppw),
        Scenario(like_rate_change=rate / b.like_rate - 1),
        Scenario(views_per_video_change=reach / b.views_per_video - 1),
    ):
        assert what_if(g, b, scenario).expected == pytest.approx(6000, rel=0.001)
    assert f"{ppw:.1f} posts per week at today's like rate" in solved.sentence
    assert f"a like rate of {rate * 100:.1f}% at today's posting" in solved.sentence


def test_an_infeasible_target_says_so():
    b = noisy()
    solved = inverse(goal(b, 5_000_000), b)
    assert all(s.value is None for s in solved.solutions.values())
    assert f"no posting rate up to {MAX_POSTS_PER_WEEK:.0f} a week" in solved.sentence
    assert "no like rate up to 100%" in solved.sentence
    assert solved.sentence.startswith("No single lever gets there")


def test_a_rate_goal_is_solved_on_the_like_rate_alone():
    b = noisy()
    solved = inverse(goal(b, 0.06, "like_rate"), b)
    assert list(solved.solutions) == ["like_rate"]
    rate = solved.solutions["like_rate"].value
    result = what_if(goal(b, 0.06, "like_rate"), b, Scenario(like_rate_change=rate / b.like_rate - 1))
    assert result.expected == pytest.approx(0.06, rel=0.002)


# --- the report and speed --------------------------------------------------------------------------


def test_the_assessment_is_plain_json_with_the_clis_keys():
    b = noisy()
    report = assess(goal(b, 3000), b).to_dict(Scenario(posts_per_week=2))
    assert json.loads(json.dumps(report)) == report
    for key in (
        "progress",
        "fraction",
        "pace_needed_per_day",
        "pace_achieved_per_day",
        "status",
        "projection",
        "reach_date",
        "verdict",
        "inverse",
    ):
        assert key in report
    assert set(report["projection"]) == {"expected", "low", "high", "probability", "track_record", "caution"}
    assert report["status"] in ("on track", "at risk", "off track")
    assert isinstance(report["verdict"], str) and "sentence" in report["inverse"]
    assert report["reach_date"] is None or date.fromisoformat(report["reach_date"])
    with pytest.raises(ValueError, match="@other"):
        assess(Goal("other", "likes", 3000, b.as_of, b.as_of + timedelta(days=9)), b)


def test_a_slider_move_works_on_arrays_whose_size_does_not_depend_on_the_history():
    # Speed is measured by bench/, not here: this checks the reason a slider move stays cheap.
    rng = np.random.default_rng(0)
    shapes = []
    for days in (120, 3 * 365):
        views = 2000 * rng.lognormal(0, 0.3, days)
        b = Baseline.from_frames(*frames(views * 0.05, views))
        g = goal(b, 3000, days_left=60)
        sim = simulate(b, "likes", g.start, g.deadline)
        shapes.append({name: array.shape for name, array in sim.paths.items()})
        assert what_if(g, b, Scenario(posts_per_week=4), simulation=sim).expected is not None
    assert shapes[0] == shapes[1]


def test_a_target_the_older_videos_carry_keeps_an_even_chance_and_says_only_that():
    # 100 likes a day, of which new videos explain a seventh: 1,500 likes over the goal's 30 days
    # keep an even chance even without posting. It said "The target is reached at the expected
    # pace whatever you change" beside a chance short of certain.
    daily, videos = frames(np.full(120, 100.0), np.full(120, 2000.0), video_likes=100, video_views=1000)
    b = Baseline.from_frames(daily, videos)
    answer = inverse(goal(b, 1_500), b, n_paths=400)
    assert {s.solved for s in answer.solutions.values()} == {Solved.ANY_VALUE}
    assert answer.sentence == (
        "The target keeps an even chance or better whatever the posts per week, like rate and views per "
        "video, each changed alone (even to zero)."
    )
    # A harder target needs each lever again.
    harder = inverse(goal(b, 3_500), b, n_paths=400)
    assert harder.sentence.startswith("It takes 2.8 posts per week at today's like rate, or ")


def test_a_posting_rate_reads_as_its_slider_shows_it():
    # 15 videos in 12 weeks: 1.25 a week. The slider ("%.1f" in the browser) shows 1.3, the page's
    # words read "1.2 posts per week" (Python rounds the exact 1.25 to even).
    b = dataclasses.replace(steady(), posts_per_week=1.25)
    posting = LEVERS["posts_per_week"]
    assert posting.today_text(b) == "1.3 posts per week"
    assert posting.describe(1.25, 1.25) == "1.3 posts per week at today's like rate"
    assert posting.describe(1.15, 1.25).startswith(
        "1.1 posts"
    )  # 1.15 is 1.1499... in binary, as in the browser
    goal_ = goal(b, 2_000)
    summary = report.scenario_summary(goal_, what_if(goal_, b, Scenario(posts_per_week=2.25)), 1.25)
    assert dict(summary.levers)["Posts per week"] == "2.3 (today 1.3)"


def test_an_answer_that_reads_as_todays_value_says_how_far_from_it():
    # dormant: 1.25 posts a week (the slider's "1.3") gave 49%, and the inverse read "It takes 1.3
    # posts per week" (1.26): the page seemed to say that today's setting was both short and enough.
    posting, liking = LEVERS["posts_per_week"], LEVERS["like_rate"]
    assert (
        posting.answer(1.26, 1.25)
        == "a little more than today's posts per week (+0.80%) at today's like rate"
    )
    assert (
        posting.answer(1.26, 1.3) == "a little less than today's posts per week (-3.1%) at today's like rate"
    )
    assert posting.answer(1.4, 1.25) == "1.4 posts per week at today's like rate"
    assert liking.answer(0.0473, 0.0471) == "a little more than today's like rate (+0.42%) at today's posting"
    assert liking.answer(0.0476, 0.0471) == "a like rate of 4.8% at today's posting"
    assert (
        LEVERS["follower_growth"].answer(5.02, 5.0) == "a little more than today's follower growth (+0.40%)"
    )
    # On a simulated account: a target just out of an even chance at today's pace.
    b = dataclasses.replace(steady(), posts_per_week=1.25)
    sim = simulate(b, "likes", goal(b, 1).start, goal(b, 1).deadline, n_paths=400)
    assert sim is not None
    low, high = 1.0, 1e7
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if sim.projection(middle).probability >= 0.5 else (low, middle)
    answer = inverse(goal(b, high), b, simulation=sim)
    assert sim.projection(high).probability < 0.5
    posts = answer.solutions["posts_per_week"]
    assert posts.solved is Solved.FOUND and posts.value is not None and 1.25 < posts.value < 1.35
    assert posts.sentence.startswith("a little more than today's posts per week (+")
    assert answer.sentence.startswith("It takes a little more than today's posts per week (+")
