"""The likes driver tree: likes = videos posted × views per video × like rate, the change split
exactly by LMDI-I, on small data whose answer is worked out by hand (ln 2 = 0.693147,
ln 1.5 = 0.405465, ln 3 = 1.098612, ln 6 = 1.791759)."""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.shapes import write
from kpi_core.cli import main
from kpi_core.metrics.comparison import NO_EARLIER_DATA
from kpi_core.metrics.driver_nodes import tree_nodes, waterfall
from kpi_core.metrics.drivers import DRIVERS, driver_tree
from kpi_core.metrics.lmdi import lmdi, log_mean
from kpi_core.metrics.scope import PARTIAL_LIST
from kpi_core.metrics.spike import spike_share
from kpi_core.store import Store
from tests.conftest import add_days, add_rows, add_videos

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"

# Two periods of ten days: before 1-10 March, now 11-20 March.
BEFORE, NOW = ("2026-03-01", "2026-03-10"), ("2026-03-11", "2026-03-20")


def videos(day: str, *counts: tuple[int, int], first_id: int = 0) -> list[dict]:
    """Videos posted on `day`, one per (likes, views)."""
    return [
        {"video_id": str(first_id + i), "posted_at": f"{day} 12:00", "likes": likes, "views": views}
        for i, (likes, views) in enumerate(counts)
    ]


def tree(store: Store):  # type: ignore[no-untyped-def]
    return driver_tree(store, "brand", *NOW)


# --- the logarithmic mean and LMDI on their own --------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (40, 20, 20 / math.log(2)),  # 28.8539
        (20, 40, 20 / math.log(2)),  # symmetric
        (5, 5, 5),  # equal values: the value itself, not 0 / 0
        (7, 0, 0.0),  # a zero: its limit
        (0, 0, 0.0),
    ],
)
def test_the_logarithmic_mean_by_hand(a, b, expected):
    assert log_mean(a, b) == pytest.approx(expected)


def test_the_logarithmic_mean_refuses_negative_values():
    with pytest.raises(ValueError):
        log_mean(-1, 2)


def test_lmdi_gives_a_change_in_one_factor_alone_entirely_to_it():
    assert lmdi({"a": 4, "b": 3}, {"a": 2, "b": 3}) == pytest.approx({"a": 12 - 6, "b": 0})


def test_lmdi_splits_a_change_from_zero_to_the_factor_that_was_zero():
    # Before: no posts, so views per video cannot be measured (None); now 2 posts of 100 views.
    split = lmdi({"posts": 2, "views": 100, "rate": 0.1}, {"posts": 0, "views": None, "rate": None})
    assert split == {"posts": 20.0, "views": 0.0, "rate": 0.0}


def test_lmdi_shares_the_change_equally_between_two_factors_at_zero():
    assert lmdi({"a": 0, "b": 0, "c": 5}, {"a": 2, "b": 3, "c": 5}) == {"a": -15.0, "b": -15.0, "c": 0.0}


def test_lmdi_with_nothing_in_either_period_gives_nothing_to_split():
    assert lmdi({"a": 0, "b": 3}, {"a": 2, "b": 0}) == {"a": 0.0, "b": 0.0}


def test_lmdi_refuses_an_unmeasurable_factor_without_a_zero_beside_it():
    with pytest.raises(ValueError):
        lmdi({"a": 2, "b": None}, {"a": 1, "b": 3})


positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(positive, positive), min_size=1, max_size=4))
def test_lmdi_contributions_always_add_up_to_the_change(pairs):
    now = {str(i): a for i, (a, _) in enumerate(pairs)}
    before = {str(i): b for i, (_, b) in enumerate(pairs)}
    change = math.prod(now.values()) - math.prod(before.values())
    split = lmdi(now, before)
    scale = max(math.prod(now.values()), math.prod(before.values()))  # rounding grows with the sizes
    assert sum(split.values()) == pytest.approx(change, rel=1e-9, abs=1e-12 * scale)
    for name in now:  # each contribution has the sign of its factor's change
        assert split[name] * (now[name] - before[name]) >= 0


# --- the tree from per-video data ---------------------------------------------------------------


def test_posting_alone_doubling_gives_all_of_the_change_to_posting(store):
    # Before: 2 videos of 10 likes and 100 views (20 likes); now 4 of them (40 likes).
    add_videos(
        store, videos("2026-03-05", (10, 100), (10, 100)) + videos("2026-03-15", *[(10, 100)] * 4, first_id=2)
    )
    t = tree(store)
    assert t.source == "videos" and (t.before.likes, t.now.likes, t.change) == (20, 40, 20)
    # L(40, 20) × ln(4 / 2) = (20 / ln 2) × ln 2 = 20
    assert t.contributions == pytest.approx({"posts": 20.0, "views_per_video": 0.0, "like_rate": 0.0})
    assert (t.before.posts, t.now.posts, t.now.views_per_video, t.now.like_rate) == (2, 4, 100.0, 0.1)
    assert t.now.posts_per_week == pytest.approx(4 / 10 * 7)
    assert t.source_text == (
        "From the videos posted in each period, with their likes and views so far: 4 videos this period, "
        "2 videos in the one before."
    )


def test_a_change_in_like_rate_alone_is_all_the_like_rate(store):
    # 2 videos of 100 views in each period; 5 likes each before (5%), 15 each now (15%).
    add_videos(
        store,
        videos("2026-03-05", (5, 100), (5, 100)) + videos("2026-03-15", (15, 100), (15, 100), first_id=2),
    )
    t = tree(store)
    # L(30, 10) × ln(0.15 / 0.05) = (20 / ln 3) × ln 3 = 20
    assert t.contributions == pytest.approx({"posts": 0.0, "views_per_video": 0.0, "like_rate": 20.0})


def test_when_all_three_move_the_contributions_are_the_lmdi_values_and_add_up(store):
    # Before: 2 videos, 100 views and 10 likes each: 2 × 100 × 10% = 20 likes.
    # Now: 4 videos, 200 views and 30 likes each: 4 × 200 × 15% = 120 likes. Change 100.
    add_videos(
        store, videos("2026-03-05", (10, 100), (10, 100)) + videos("2026-03-15", *[(30, 200)] * 4, first_id=2)
    )
    t = tree(store)
    # L(120, 20) = 100 / ln 6 = 55.8111; posts and views per video doubled: 55.8111 × ln 2 = 38.6853 each;
    # the like rate went ×1.5: 55.8111 × ln 1.5 = 22.6294.
    assert log_mean(120, 20) == pytest.approx(55.8111, abs=1e-4)
    assert t.contributions["posts"] == pytest.approx(38.6853, abs=1e-4)
    assert t.contributions["views_per_video"] == pytest.approx(38.6853, abs=1e-4)
    assert t.contributions["like_rate"] == pytest.approx(22.6294, abs=1e-4)
    assert sum(t.contributions.values()) == pytest.approx(100, abs=1e-9)  # type: ignore[arg-type]


def test_equal_periods_have_nothing_to_split(store):
    add_videos(store, videos("2026-03-05", (10, 100)) + videos("2026-03-15", (10, 100), first_id=1))
    t = tree(store)
    assert t.change == 0 and t.contributions == {"posts": 0.0, "views_per_video": 0.0, "like_rate": 0.0}


def test_a_period_without_posts_inside_the_video_list_gives_the_change_to_posting(store):
    # A scrape with videos on 20 Feb and 15 Mar: nothing was posted 1-10 March.
    add_videos(store, videos("2026-02-20", (1, 10)) + videos("2026-03-15", (10, 100), (10, 100), first_id=1))
    t = tree(store)
    assert t.source == "videos"
    assert (t.before.posts, t.before.likes, t.before.views_per_video, t.before.like_rate) == (
        0,
        0,
        None,
        None,
    )
    assert t.contributions == {"posts": 20.0, "views_per_video": 0.0, "like_rate": 0.0}
    assert "No videos were posted in the period before" in t.notes[0]


def test_videos_without_likes_give_the_whole_fall_to_the_like_rate(store):
    add_videos(
        store,
        videos("2026-03-05", (10, 100), (10, 100)) + videos("2026-03-15", (0, 100), (0, 100), first_id=2),
    )
    t = tree(store)
    assert t.now.like_rate == 0 and t.contributions == {
        "posts": 0.0,
        "views_per_video": 0.0,
        "like_rate": -20.0,
    }


def test_a_like_rate_over_100_percent_leaves_the_split_n_a_with_the_reason(store):
    add_videos(store, videos("2026-03-05", (10, 100)) + videos("2026-03-15", (300, 100), first_id=1))
    t = tree(store)
    assert t.change is None and t.contributions == dict.fromkeys(DRIVERS)
    assert t.reason == (
        "a driver is n/a: the like rate now: over 100% of views: more likes than views, so the view counts "
        "look incomplete"
    )
    assert waterfall(t).empty


def test_no_earlier_data_means_no_split_and_says_which_period(store):
    add_videos(store, videos("2026-03-15", (10, 100)))
    t = tree(store)
    assert t.source is None and t.change is None and set(t.contributions.values()) == {None}
    assert t.reason == (
        f"{NO_EARLIER_DATA} (the period before, 1 Mar – 10 Mar 2026, has no videos and no days with both "
        "likes and views)"
    )


def test_a_video_without_views_is_left_out_and_said_so(store):
    add_videos(
        store,
        videos("2026-03-05", (10, 100))
        + videos("2026-03-15", (10, 100), first_id=1)
        + [{"video_id": "9", "posted_at": "2026-03-16", "likes": 50, "views": None}],
    )
    t = tree(store)
    assert (t.now.likes, t.now.posts) == (10, 1)
    assert t.notes == ("1 video without both a like count and a view count is left out.",)


# --- the tree from daily totals ------------------------------------------------------------------


def days(start: int, likes: int, views: int, n: int = 10) -> list[dict]:
    return [{"date": f"2026-03-{d:02d}", "likes": likes, "views": views} for d in range(start, start + n)]


def test_without_videos_the_daily_tree_is_views_times_like_rate(store):
    # Views double (1,000 -> 2,000 a day), the like rate stays at 5%: 500 -> 1,000 likes.
    add_days(store, days(1, 50, 1000) + days(11, 100, 2000))
    t = tree(store)
    assert t.source == "daily" and (t.before.likes, t.now.likes) == (500, 1000)
    assert t.drivers == ("views", "like_rate")
    assert t.contributions == pytest.approx(
        {"posts": None, "views_per_video": None, "views": 500.0, "like_rate": 0.0}
    )
    assert t.notes == ("Views are not split into videos posted × views per video: there is no video list.",)
    assert t.source_text == (
        "From the daily totals (likes and views received each day): 10 days this period, 10 days in the one before."
    )


def test_the_daily_tree_takes_posting_from_the_video_list(store):
    # Daily: the same 1,000 views and 50 likes a day before; twice that now. Videos (without views,
    # so there is no per-video tree): 2 posted before, 4 now. Views per video posted: 10,000 / 2 and
    # 20,000 / 4 = 5,000 both times, so posting takes all of the change.
    add_days(store, days(1, 50, 1000) + days(11, 100, 2000))
    add_videos(
        store,
        [{"video_id": str(i), "posted_at": f"2026-03-0{i + 2}", "likes": 5, "views": None} for i in range(2)]
        + [
            {"video_id": str(i), "posted_at": f"2026-03-1{i}", "likes": 5, "views": None} for i in range(2, 6)
        ],
    )
    t = tree(store)
    assert t.source == "daily" and (t.before.posts, t.now.posts) == (2, 4)
    assert t.now.views_per_video == t.before.views_per_video == 5000
    assert t.contributions == pytest.approx({"posts": 500.0, "views_per_video": 0.0, "like_rate": 0.0})
    assert t.source_text.endswith("Videos posted come from the video list (4 and 2).")


def content_export(store: Store, rows: list[dict]) -> None:
    """Videos as TikTok Studio's Content export lists them: a sample of the posts."""
    add_rows(store, "videos_raw", "studio_content", rows, snapshot="2026-03-21")


def test_a_sample_of_the_posts_splits_the_daily_totals_not_its_videos(store):
    # The Content export lists 2 videos before and 4 now; the daily totals double through views.
    add_days(store, days(1, 50, 1000) + days(11, 100, 2000))
    content_export(
        store, videos("2026-03-05", (10, 100), (10, 100)) + videos("2026-03-15", *[(10, 100)] * 4, first_id=2)
    )
    t = tree(store)
    assert t.source == "daily" and (t.before.posts, t.now.posts) == (None, None)
    assert t.contributions == pytest.approx(
        {"posts": None, "views_per_video": None, "views": 500.0, "like_rate": 0.0}
    )
    assert t.plan["posts_per_week"] is None


def test_a_sample_of_the_posts_is_not_split_without_the_daily_totals_of_both_periods(store):
    # Daily totals for this period only; the sample lists videos on both sides. Split by them, the
    # tree read "videos posted 2 vs 4": a count of what one download happened to list.
    add_days(store, days(11, 100, 2000))
    content_export(
        store, videos("2026-03-05", (10, 100), (10, 100)) + videos("2026-03-15", *[(10, 100)] * 4, first_id=2)
    )
    t = tree(store)
    assert t.source is None and t.contributions == dict.fromkeys(DRIVERS)
    assert t.reason == (
        "the split needs days with both likes and views in both periods, and the period before, 1 Mar – 10 Mar "
        f"2026, has none (the videos listed cannot stand in for them, as {PARTIAL_LIST})"
    )


def test_a_period_the_sample_lists_no_videos_for_is_no_posting_pause(store):
    # Listed videos on 20 Feb and 15 Mar, none 1-10 March: a scrape says nothing was posted then;
    # a Content export only did not list any (the tree said "No videos were posted in the period before").
    content_export(
        store, videos("2026-02-20", (1, 10)) + videos("2026-03-15", (10, 100), (10, 100), first_id=1)
    )
    t = tree(store)
    assert t.source is None and not t.notes
    assert t.reason.startswith(
        "the split needs days with both likes and views in both periods, and neither period has any"
    )


def test_provisional_days_stay_out_of_the_daily_tree_unless_asked_for(store):
    rows = days(1, 50, 1000) + days(11, 100, 2000)
    rows[-1]["provisional"] = True
    add_days(store, rows)
    assert tree(store).now.rows == 9
    assert driver_tree(store, "brand", *NOW, include_provisional=True).now.rows == 10


def test_a_daily_tree_ending_on_provisional_days_compares_as_many_days_before(store):
    # 50 likes on 1,000 views every day of March 1-20; March 19-20 provisional. The 8 settled days
    # of 11-18 March against the 8 days before them: no change at all, where the 10 days of 1-10
    # March (500 likes against 400) would give views a fall of 100 likes. A video posted on a
    # provisional day is not counted with those 8 days.
    rows = days(1, 50, 1000) + days(11, 50, 1000)
    for row in rows[-2:]:
        row["provisional"] = True
    add_days(store, rows)
    add_videos(
        store,
        [
            {"video_id": str(i), "posted_at": day, "likes": 5, "views": None}
            for i, day in enumerate(["2026-03-01", "2026-03-05", "2026-03-12", "2026-03-20"])
        ],
    )
    t = tree(store)
    assert t.source == "daily"
    assert (t.before.date_from.day, t.before.date_to.day, t.now.date_from.day, t.now.date_to.day) == (
        3,
        10,
        11,
        18,
    )
    assert (t.before.likes, t.now.likes, t.change) == (400, 400, 0)
    assert (t.before.posts, t.now.posts) == (1, 1)  # 5 March; 12 March (not 20 March, provisional)
    assert t.contributions == pytest.approx({"posts": 0.0, "views_per_video": 0.0, "like_rate": 0.0})
    assert t.days_note == (
        "Per-day figures compare 11 Mar – 18 Mar 2026 (8 days) with the 8 days before: the daily data after "
        "18 Mar is provisional, as TikTok may still update it."
    )
    assert t.to_dict()["days_note"] == t.days_note and t.days_note not in t.notes
    # A period to compare with that is given stays as given, and the note says only what this one covers.
    given = driver_tree(store, "brand", *NOW, *BEFORE)
    assert (given.before.date_from.day, given.before.date_to.day, given.before.likes) == (1, 10, 500)
    assert given.days_note == (
        "Per-day figures of this period cover 11 Mar – 18 Mar 2026 (8 days): the daily data after 18 Mar is "
        "provisional, as TikTok may still update it."
    )


# --- spike share ---------------------------------------------------------------------------------


def test_the_spike_share_names_the_top_video_and_the_viral_outliers(store):
    # Five videos of 10 likes and one of 150 (1,000 views each): 150 / 200 = 75% from one video,
    # a viral outlier (robust z of its likes well above 3.5).
    add_videos(store, videos("2026-03-12", *[(10, 1000)] * 5) + videos("2026-03-03", (150, 1000), first_id=5))
    spike = spike_share(store, "brand", "2026-03-01", "2026-03-20")
    assert (spike.videos, spike.likes, spike.top_share, spike.outliers) == (6, 200, 0.75, 1)
    assert spike.top_video is not None and spike.top_video["posted"] == "2026-03-03"
    assert spike.sentence == (
        "75% of the likes of the 6 videos posted this period came from one video, posted on 3 Mar (a viral outlier)"
    )


def test_one_video_has_no_spike_share_and_says_why(store):
    add_videos(store, videos("2026-03-12", (10, 100)))
    spike = spike_share(store, "brand", "2026-03-01", "2026-03-20")
    assert spike.top_share is None and spike.sentence is None
    assert spike.reason == "one video was posted in this period: it has all of its likes"


# --- what the charts draw ------------------------------------------------------------------------


def test_the_waterfall_walks_from_before_to_now_through_each_contribution(store):
    add_videos(
        store, videos("2026-03-05", (10, 100), (10, 100)) + videos("2026-03-15", *[(30, 200)] * 4, first_id=2)
    )
    bars = waterfall(tree(store))
    assert bars["label"].tolist() == [
        "Before · 1 Mar – 10 Mar 2026",
        "Videos posted",
        "Views per video",
        "Like rate",
        "Now · 11 Mar – 20 Mar 2026",
    ]
    assert bars["kind"].tolist() == ["total", "up", "up", "up", "total"]
    assert bars["start"].iloc[1] == 20 and bars["end"].iloc[3] == pytest.approx(120)
    nodes = tree_nodes(tree(store)).set_index("node")
    assert nodes.loc["like_rate", ["now", "before"]].tolist() == pytest.approx([0.15, 0.1])
    assert nodes.loc["posts", "parent"] == "likes"


# --- the command line ----------------------------------------------------------------------------


def run(*argv: str | Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main([str(a) for a in argv])
    return status, out.getvalue()


def test_the_drivers_command_gives_the_engines_split_as_json(tmp_path, shape_run):
    paths = write("declining", tmp_path)
    period = [
        "--from",
        "2025-11-13",
        "--to",
        "2026-02-10",
        "--vs-from",
        "2025-08-15",
        "--vs-to",
        "2025-11-12",
    ]
    status, text = run("drivers", *paths, *period, "--json")
    assert status == 0
    found = json.loads(text)
    expected = driver_tree(
        shape_run("declining").store, None, "2025-11-13", "2026-02-10", "2025-08-15", "2025-11-12"
    ).to_dict()
    # Its videos are those its Content exports list, a sample: the daily totals are split.
    assert found["source"] == expected["source"] == "daily"
    assert found["likes"] == expected["likes"]
    assert found["contributions"] == pytest.approx(expected["contributions"])
    assert (found["contributions"]["posts"], found["contributions"]["views_per_video"]) == (None, None)
    assert sum(v for v in found["contributions"].values() if v is not None) == pytest.approx(
        found["likes"]["change"]
    )
    assert set(found["levels"]["now"]) >= {"views", "like_rate", "likes"}
    # The command prints the tree's levels, each value as kpi_core gives it.
    assert found["levels"] == json.loads(json.dumps(expected["levels"]))
    assert found["spike_share"]["top_share"] == pytest.approx(expected["spike_share"]["top_share"])


def test_the_drivers_command_prints_each_driver_and_refuses_half_a_period(tmp_path):
    # The demo's own account has a scrape beside its Content exports: its video list is whole.
    paths = sorted(DEMO.glob("*"))
    status, text = run("drivers", *paths, "--from", "2026-08-23", "--to", "2026-11-20")
    assert status == 0
    assert "source: videos. From the videos posted in each period" in text
    for label in ("Videos posted:", "Views per video:", "Like rate:", "spike share:"):
        assert label in text
    status, _ = run(
        "drivers", *paths, "--from", "2026-08-23", "--to", "2026-11-20", "--vs-from", "2026-05-01"
    )
    assert status == 2


def test_the_drivers_command_splits_the_daily_totals_of_an_account_known_by_its_content_exports(tmp_path):
    paths = write("declining", tmp_path)
    status, text = run("drivers", *paths, "--from", "2025-11-13", "--to", "2026-02-10")
    assert status == 0 and "source: daily." in text
    assert "Videos posted:" not in text
    assert (
        "note: Views are not split into videos posted × views per video: TikTok Studio's Content exports "
        "list about 15 videos a download, not every post; a scrape of the account, Apify's for example, lists "
        "them all." in text
    )
    assert "spike share: 38% of the likes of the 5 videos listed for this period" in text


def test_the_drivers_command_names_a_daily_trees_like_rate_as_the_page_does(tmp_path):
    paths = write("spiky", tmp_path)  # daily totals only
    status, text = run("drivers", *paths, "--from", "2026-04-01", "--to", "2026-06-15")
    assert status == 0 and "source: daily." in text
    assert [line.split(":")[0] for line in text.splitlines() if line.startswith(("Views", "Like rate"))] == [
        "Views",
        "Like rate of the daily totals",
    ]
