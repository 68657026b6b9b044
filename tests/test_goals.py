"""Goals: validation, progress on hand-made histories, status rules and achievability verdicts."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from kpi_core.planning.assessment import assess
from kpi_core.planning.baseline import Baseline, last_complete_day
from kpi_core.planning.chances import chance_text
from kpi_core.planning.forecast import project
from kpi_core.planning.goals import Goal, format_value
from kpi_core.planning.progress import Progress, goal_progress, share_of_target
from kpi_core.planning.projection import Projection
from kpi_core.planning.verdict import (
    achievability,
    goal_status,
    historical_paces,
    label_for,
    status_for,
    status_rule,
)

OCT1 = date(2026, 10, 1)


def daily_frame(
    likes, start: date = OCT1, views=None, followers=None, provisional_tail: int = 0, account: str = "acc"
) -> pd.DataFrame:
    """A `daily` table: one row per day from `start`; the last `provisional_tail` rows provisional."""
    n = len(likes)
    frame = pd.DataFrame(
        {
            "account": account,
            "date": pd.to_datetime([start + timedelta(days=i) for i in range(n)]),
            "views": pd.array(views if views is not None else [None] * n, dtype="Int64"),
            "likes": pd.array([None if v is None or v != v else int(v) for v in likes], dtype="Int64"),
            "comments": pd.array([None] * n, dtype="Int64"),
            "shares": pd.array([None] * n, dtype="Int64"),
            "followers": pd.array(followers if followers is not None else [None] * n, dtype="Int64"),
            "provisional": [i >= n - provisional_tail for i in range(n)],
        }
    )
    return frame


def videos_frame(
    days: list[date],
    likes: list[float],
    views: list[float] | None = None,
    account: str = "acc",
    seen: date | None = None,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account": account,
            "video_id": [str(i) for i in range(len(days))],
            "posted_at": pd.to_datetime(days),
            "likes": pd.array([int(x) for x in likes], dtype="Int64"),
            "views": pd.array([int(x) for x in (views or [x * 20 for x in likes])], dtype="Int64"),
            "snapshot_date": pd.to_datetime([seen or max(days) + timedelta(days=10)] * len(days)),
        }
    )


def constant_baseline(per_day: float = 100, days: int = 41, **kw) -> Baseline:
    """Oct 1 .. Nov 10 (41 days) at `per_day` likes, plus two provisional days that must be ignored."""
    likes = [per_day] * days + [7, 3]
    return Baseline.from_frames(daily_frame(likes, provisional_tail=2, **kw))


NOVEMBER = dict(account="acc", start=date(2026, 11, 1), deadline=date(2026, 11, 30))


# --- the goal ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(deadline=date(2026, 10, 1)), "must be after the start"),
        (dict(deadline=date(2026, 11, 1)), "must be after the start"),
        (dict(target=0), "positive number"),
        (dict(target=-5), "positive number"),
        (dict(target=float("nan")), "positive number"),
        (dict(target="lots"), "not a number"),
        (dict(metric="like_rate", target=6), "fraction between 0 and 1 (6% is 0.06)"),
        (dict(metric="engagement_rate_by_view", target=1.5), "fraction between 0 and 1"),
        (dict(metric="hearts"), "Unknown goal metric"),
        (dict(objective="fame"), "Unknown objective"),
        (dict(start="not a date"), "is not a date"),
    ],
)
def test_an_invalid_goal_is_refused_with_a_clear_sentence(changes, message):
    fields = {**NOVEMBER, "metric": "likes", "target": 3000, **changes}
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Goal(**fields)


def test_a_goal_accepts_iso_dates_and_round_trips_through_a_dict():
    goal = Goal("acc", "like_rate", 0.06, "2026-11-01", "2026-11-30", "awareness")
    assert goal.start == date(2026, 11, 1) and goal.days_total == 30
    assert Goal.from_dict(goal.to_dict()) == goal


# --- today and progress --------------------------------------------------------------------------


def test_today_is_the_last_day_that_is_no_longer_provisional():
    frame = daily_frame([100] * 41 + [7, 3], provisional_tail=2)
    assert last_complete_day(frame) == date(2026, 11, 10)
    assert Baseline.from_frames(frame).as_of == date(2026, 11, 10)


def test_today_is_the_overviews_last_settled_day_even_with_a_newer_followers_export():
    # Likes to Nov 10, then follower counts only to Nov 20 (a Followers export ten days newer).
    # "Today" was Nov 20: a likes goal counted 10 days without likes, its chance fell from 64% to
    # 52% on the declining shape. The Overview's rows decide, as they do for per-day figures.
    likes = [100.0] * 41 + [float("nan")] * 10
    frame = daily_frame(likes, followers=[1000 + i for i in range(51)])
    assert last_complete_day(frame) == date(2026, 11, 10)
    likes_goal = Goal(metric="likes", target=3000, **NOVEMBER)
    base = Baseline.from_frames(frame)
    assert goal_progress(likes_goal, base).days_elapsed == 10
    # The Goals and What-if pages say which follower counts are left out, and why.
    assert base.followers_to == date(2026, 11, 20)
    note = (
        "Follower counts run to 20 Nov 2026, past the Overview's last settled day (10 Nov 2026): follower goals "
        "count to 20 Nov, goals on likes and rates to 10 Nov, and posting, views per video and like rate are "
        "measured to 10 Nov. Upload an Overview export as new as the Followers one to count the days in between."
    )
    assert base.today_note == note
    # A follower goal counts the newer follower counts: 20 days of the window, 1,050 followers
    # (it stopped at 10 days and 1,040). Posting and rates stay as measured to the Overview's day.
    followers_goal = Goal(metric="followers", target=1100, **NOVEMBER)
    counted = Baseline.from_frames(frame, metric="followers")
    assert counted.as_of == date(2026, 11, 20) and counted.overview_to == date(2026, 11, 10)
    progress = goal_progress(followers_goal, counted)
    assert (progress.days_elapsed, progress.value) == (20, 1050)
    stopped = goal_progress(followers_goal, base)
    assert (stopped.days_elapsed, stopped.value) == (10, 1040)
    assert counted.follower_gain_per_day == 1.0 and counted.today_note == note
    assert counted.fingerprint != base.fingerprint
    # Other goals keep the Overview's day whatever the metric asked for.
    assert Baseline.from_frames(frame, metric="likes").as_of == date(2026, 11, 10)
    # The command line's goal report carries the note (its text output prints it under the goal).
    report = assess(followers_goal, counted).to_dict()
    assert (report["as_of"], report["as_of_note"]) == ("2026-11-20", note)
    assert assess(likes_goal, base).to_dict()["as_of"] == "2026-11-10"
    # An account with follower counts only: they decide, and nothing is left out.
    followers_only = daily_frame([float("nan")] * 51, followers=[1000 + i for i in range(51)])
    assert last_complete_day(followers_only) == date(2026, 11, 20)
    assert Baseline.from_frames(followers_only).today_note is None
    # Followers that end with the likes: no note (the demo's last Followers day is provisional).
    assert Baseline.from_frames(daily_frame([100.0] * 41, followers=list(range(41)))).today_note is None


def test_progress_on_a_constant_100_likes_a_day():
    p = goal_progress(Goal(metric="likes", target=3000, **NOVEMBER), constant_baseline())
    assert p.value == 1000  # Nov 1..10
    assert p.fraction == pytest.approx(1 / 3)
    assert (p.days_elapsed, p.days_left, p.days_total) == (10, 20, 30)
    assert p.pace_needed == pytest.approx(100)  # 2,000 more in 20 days
    assert p.pace_so_far == pytest.approx(100)
    assert p.pace_last_28_days == pytest.approx(100)
    assert p.pace_unit == "likes per day" and p.missing_days == 0 and not p.reached


def test_a_missing_day_is_not_counted_as_zero():
    likes = [100.0] * 41
    likes[35] = np.nan  # Nov 5
    p = goal_progress(Goal(metric="likes", target=3000, **NOVEMBER), Baseline.from_frames(daily_frame(likes)))
    assert p.value == 900 and p.missing_days == 1
    assert p.pace_so_far == pytest.approx(100)  # 900 over the 9 days that have data


def test_a_goal_that_has_not_started_needs_the_whole_target_over_the_whole_window():
    goal = Goal("acc", "likes", 3100, date(2026, 12, 1), date(2026, 12, 31))
    p = goal_progress(goal, constant_baseline())
    assert (p.value, p.days_elapsed, p.days_left) == (0, 0, 31)
    assert p.pace_needed == pytest.approx(100) and p.pace_so_far is None


def test_follower_progress_counts_the_gain_since_the_start():
    followers = [1000 + 10 * i for i in range(41)]  # Oct 31 (i=30): 1,300; Nov 10: 1,400
    b = Baseline.from_frames(daily_frame([50] * 41, followers=followers))
    p = goal_progress(Goal(metric="followers", target=1600, **NOVEMBER), b)
    assert p.value == 1400
    assert p.fraction == pytest.approx(100 / 300)
    assert p.pace_so_far == pytest.approx(10) and p.pace_last_28_days == pytest.approx(10)
    assert p.pace_needed == pytest.approx(200 / 20)
    # A third of the way from 1,300 to 1,600, not a third of 1,400: said so wherever it is shown.
    assert share_of_target("followers", p.fraction) == "33% of the way to the target"


def test_like_rate_progress_is_a_ratio_of_sums_and_the_needed_rate_covers_the_rest():
    b = Baseline.from_frames(daily_frame([50] * 41, views=[1000] * 41))
    p = goal_progress(Goal(metric="like_rate", target=0.06, **NOVEMBER), b)
    assert p.value == pytest.approx(0.05)
    # 0.06 x (10,000 + 20,000 views) = 1,800 likes; 500 so far; 1,300 / 20,000 future views
    assert p.pace_needed == pytest.approx(0.065)


def test_likes_per_video_progress_and_the_likes_needed_per_remaining_video():
    days = [OCT1 + timedelta(days=i) for i in range(0, 41, 2)]  # 21 videos, one every other day
    b = Baseline.from_frames(daily_frame([100] * 41), videos_frame(days, [200] * len(days)))
    p = goal_progress(Goal(metric="likes_per_video", target=250, **NOVEMBER), b)
    assert p.videos_so_far == 5 and p.value == pytest.approx(200)  # Nov 2, 4, 6, 8, 10
    future = b.posts_per_week * 20 / 7
    assert p.pace_needed == pytest.approx((250 * (5 + future) - 1000) / future)


# --- status ----------------------------------------------------------------------------------------


def _progress(**kw) -> Progress:
    base = dict(
        as_of=date(2026, 11, 10),
        value=1000.0,
        fraction=0.33,
        days_total=30,
        days_elapsed=10,
        days_left=20,
        pace_needed=100.0,
        pace_so_far=90.0,
        pace_last_28_days=90.0,
        pace_unit="likes per day",
        missing_days=0,
        videos_so_far=0,
        expected_future_videos=None,
        reached=False,
        note="",
    )
    return Progress(**{**base, **kw})


@pytest.mark.parametrize(
    "probability, status, label",
    [
        (0.95, "on track", "too easy"),
        (0.90, "on track", "too easy"),
        (0.89, "on track", "realistic"),
        (0.70, "on track", "realistic"),
        (0.69, "at risk", "ambitious"),
        (0.30, "at risk", "ambitious"),
        (0.29, "off track", "stretch"),
        (0.05, "off track", "stretch"),
        (0.04, "off track", "unrealistic"),
        (0.0, "off track", "unrealistic"),
    ],
)
def test_status_and_label_come_from_the_same_probability_bands(probability, status, label):
    assert status_for(probability) == status and label_for(probability) == label


def _projection(probability: float | None, note: str = "") -> Projection:
    return Projection(
        "likes", 3000.0, None if probability is None else 3100.0, None, None, probability, None, note=note
    )


def test_with_a_projection_the_status_is_exactly_the_stated_rule_whatever_the_paces():
    b = Baseline.from_frames(daily_frame([100] * 41))
    goal = Goal(metric="likes", target=3000, **NOVEMBER)
    fast = _progress(pace_so_far=500.0, pace_last_28_days=500.0)  # paces cannot override the rule
    judged = goal_status(goal, fast, _projection(0.5), b)
    assert judged.label == "at risk"
    assert (
        judged.reason
        == "At risk: 50% chance of reaching 3,000 by 30 Nov 2026 (at risk from 30%, on track from 70%)."
    )


@pytest.mark.parametrize(
    "last_week, status",
    [
        ([100] * 7, "on track"),
        ([60] * 7, "at risk"),
        ([40] * 7, "off track"),
        ([40] * 6 + [5000], "off track"),
    ],
)
def test_without_a_projection_the_last_7_days_median_decides(last_week, status):
    # 20 days of data: no projection. A burst on the last day cannot lift the median.
    b = Baseline.from_frames(daily_frame([100] * 13 + last_week, start=date(2026, 10, 22)))
    goal = Goal(metric="likes", target=3000, **NOVEMBER)
    progress = _progress(pace_needed=100.0)
    judged = goal_status(
        goal,
        progress,
        _projection(None, "Not enough history for a projection: at least 28 days of data are needed."),
        b,
    )
    assert judged.label == status
    median = format_value("likes", sorted(last_week)[3])
    assert f"{median} likes per day (last 7 days, median) against 100 likes per day needed" in judged.reason
    assert judged.reason.startswith(
        f"{status.capitalize()}: Not enough history for a projection: at least 28"
    )


def test_a_reached_goal_is_on_track_and_an_ended_one_off_track_and_the_rule_reads_as_a_sentence():
    b = Baseline.from_frames(daily_frame([100] * 41))
    goal = Goal(metric="likes", target=3000, **NOVEMBER)
    assert goal_status(goal, _progress(reached=True, value=3200.0), _projection(0.0), b).label == "on track"
    ended = goal_status(goal, _progress(days_left=0, value=2000.0), _projection(1.0), b)
    assert ended.label == "off track" and "short of 3,000" in ended.reason
    rule = status_rule()
    assert "70%" in rule and "30%" in rule and "last 7 days" in rule and rule.endswith(".")


# --- achievability ---------------------------------------------------------------------------------


def test_historical_paces_of_two_regimes():
    b = Baseline.from_frames(daily_frame([100] * 30 + [200] * 30))
    paces = historical_paces("likes", b, 20)
    # windows start at day 0..40; the one starting at i holds i-10 days of 200 once i >= 10
    assert len(paces) == 41
    assert (paces >= 150).sum() == 21


@pytest.mark.parametrize(
    "target, words",
    [
        (4000, "100% of your past 20-day windows reached it (best: 155 likes per day)"),
        (4900, "14% of your past 20-day windows reached it (best: 155 likes per day)"),
        (5800, "no past 20-day windows reached it (best: 155 likes per day)"),
    ],
)
def test_the_verdict_labels_the_projections_chance_and_places_the_pace_in_the_history(target, words):
    # Oct 1-30 at 100 a day, Oct 31-Nov 10 at 200: 2,000 so far, 20 days left.
    # The 22 past 20-day windows (start i = 0..21) average 100 + 5 * max(0, i - 10) a day.
    b = Baseline.from_frames(daily_frame([100] * 30 + [200] * 11))
    goal = Goal(metric="likes", target=target, **NOVEMBER)
    projection = project(goal, b)
    verdict = achievability(goal, b, projection)
    assert verdict.probability == projection.probability
    assert verdict.label == label_for(projection.probability)
    assert words in verdict.sentence and "your last 28 days ran at" in verdict.sentence
    assert f"the chance is {chance_text(projection.probability)}: {verdict.label}" in verdict.sentence
    assert verdict.window == 20


def test_a_past_that_reached_the_pace_beside_a_low_chance_says_the_recent_pace_fell():
    # 120 days at about 200 likes a day, then 41 at about 50. Most past 20-day windows ran above
    # the 76 a day the target needs, yet the chance is low: the sentence put the two side by side
    # as if they agreed ("82% of your past 20-day windows reached it ... the chance is 0%").
    n1, n2 = 120, 41
    rng = np.random.default_rng(1)
    likes = [*np.rint(200 * rng.lognormal(0, 0.2, n1)), *np.rint(50 * rng.lognormal(0, 0.2, n2))]
    b = Baseline.from_frames(daily_frame(likes, start=date(2026, 11, 10) - timedelta(days=n1 + n2 - 1)))
    goal = Goal(metric="likes", target=2000, **NOVEMBER)
    verdict = achievability(goal, b, project(goal, b))
    assert verdict.probability is not None and verdict.probability < 0.3
    assert verdict.sentence.startswith(
        "Needs 76.2 likes per day for the remaining 20 days: 82% of your past 20-day windows reached it "
        "(best: 207 likes per day), but your last 28 days ran at 48.5, and the simulations start from the "
        "account's recent level."
    )


def test_a_short_history_gives_not_enough_history_rather_than_a_number():
    b = Baseline.from_frames(daily_frame([100] * 10, start=date(2026, 11, 1)))
    verdict = achievability(Goal(metric="likes", target=3000, **NOVEMBER), b)
    assert verdict.label == "not enough history" and "10 days" in verdict.sentence
    assert verdict.share_of_windows is None


def test_fewer_than_8_videos_is_not_enough_history_for_a_per_video_goal():
    days = [OCT1 + timedelta(days=5 * i) for i in range(5)]
    b = Baseline.from_frames(daily_frame([100] * 41), videos_frame(days, [200] * 5))
    verdict = achievability(Goal(metric="likes_per_video", target=250, **NOVEMBER), b)
    assert verdict.label == "not enough history" and "5 videos" in verdict.sentence


def test_the_verdict_mentions_a_competitor_and_a_benchmark_when_given():
    b = Baseline.from_frames(daily_frame([50] * 41, views=[1000] * 41))
    rival = videos_frame(
        [OCT1 + timedelta(days=i) for i in range(10)], [30] * 10, [1000] * 10, account="rival"
    )
    verdict = achievability(
        Goal(metric="like_rate", target=0.055, **NOVEMBER), b, competitor=rival, benchmark=0.04
    )
    assert verdict.competitor_pace == pytest.approx(0.03)
    assert "3.0%" in verdict.sentence and "4.0%" in verdict.sentence


def test_format_value_reads_like_the_ui():
    assert format_value("like_rate", 0.061) == "6.1%"
    assert format_value("likes", 12400.4) == "12,400"
    assert format_value("likes", None) == "n/a"


@pytest.mark.parametrize(
    ("shape", "target", "start", "clause"),
    [
        # A year of decline: every past window and the last 28 days run above the 32.2 a day it
        # needs, yet the chance is 52%: the simulations carry the decline on.
        ("declining", 2900, date(2026, 2, 9), "the simulations' median pace is 32.6 likes per day."),
        # A bakery that grew: no past window reached the 167 a day, nor its last 28 days, yet the
        # chance is even: the simulations carry the growth on.
        (
            "newer_followers",
            15000,
            date(2026, 4, 27),
            "the simulations' median pace is 169 likes per day.",
        ),
    ],
)
def test_a_chance_that_goes_against_both_the_past_and_the_recent_pace_gives_the_simulations_pace(
    shape_store, shape, target, start, clause
):
    from kpi_core.planning.baseline import load_baseline

    _, store = shape_store(shape)
    base = load_baseline(store, store.primary_account())
    goal = Goal(
        account=store.primary_account(),
        metric="likes",
        target=target,
        start=start,
        deadline=start + timedelta(days=89),
    )
    projection = project(goal, base)
    verdict = achievability(goal, base, projection)
    assert f"; {clause} On simulations of your own history the chance is" in verdict.sentence, (
        verdict.sentence
    )
    assert projection.expected is not None
    pace = float(clause.split("pace is ")[1].split(" likes")[0])
    assert pace == pytest.approx(projection.expected / 90, abs=0.05 if pace < 100 else 0.5)


def test_the_competitor_a_verdict_compares_with_is_named():
    # "a competitor's recent pace is 264 likes per day" did not say whose: the demo's scraped rival.
    from pathlib import Path

    from kpi_core.ingest import ingest_paths
    from kpi_core.planning.assessment import assess_in_store
    from kpi_core.store import Store

    store = Store()
    ingest_paths(store, sorted(p for p in Path("data/demo").iterdir() if p.suffix in (".zip", ".json")))
    goal = Goal(
        account="lumen.skincare",
        metric="likes",
        target=44266,
        start=date(2026, 11, 21),
        deadline=date(2027, 2, 16),
    )
    sentence = assess_in_store(store, goal).verdict.sentence
    rival = store.table("videos", "glow.theory")
    posted = pd.to_datetime(rival["posted_at"])
    recent = rival[posted >= posted.max() - pd.Timedelta(days=84)]
    pace = recent["likes"].sum() / 84
    assert f"For comparison, @glow.theory's recent pace is {pace:,.0f} likes per day" in sentence
    store.close()


def test_the_last_28_days_say_how_many_of_them_have_data():
    # 41 days to 10 Nov, two of the last 28 without likes: their pace is the mean of the other 26
    # (a 28-day download, or a gap), and the sentence says so.
    likes = [100.0] * 41
    likes[-5] = likes[-9] = None
    b = Baseline.from_frames(daily_frame(likes))
    goal = Goal(metric="likes", target=3000, **NOVEMBER)
    progress = goal_progress(goal, b)
    assert progress.recent_days == 26 and progress.pace_last_28_days == 100
    sentence = achievability(goal, b, project(goal, b)).sentence
    assert "your last 28 days ran at 100 (on the 26 of them with data)" in sentence, sentence
    full = achievability(goal, Baseline.from_frames(daily_frame([100.0] * 41)))
    assert (
        "your last 28 days ran at 100;" in full.sentence or "your last 28 days ran at 100." in full.sentence
    )
