"""Viral outliers, rankings, posting times, audience hours, hashtags and content groups."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kpi_core.metrics import hashtags
from kpi_core.metrics.audience_files import studio_reason
from kpi_core.metrics.comparison import LISTED_COUNT, compare_periods, few_videos
from kpi_core.metrics.content import (
    MIN_CELL_VIDEOS,
    audience_hours,
    posting_times,
    top_videos,
    video_table,
    viral_outliers,
)
from kpi_core.metrics.content_findings import (
    WELCH_LIKE_RATE,
    audience_finding,
    group_finding,
    hashtag_finding,
    listed_videos_note,
    posting_slot_finding,
    ranking,
    video_counts,
    viral_outlier_finding,
)
from kpi_core.metrics.findings import plural
from kpi_core.metrics.registry import kpi
from kpi_core.metrics.scope import videos_in_period, videos_listed_only
from kpi_core.metrics.uplift import DEFAULT_RULES, Rule, group_uplift, hashtag_uplift
from kpi_core.planning.baseline import load_baseline
from tests.conftest import add_days, add_videos

# --- outliers and rankings -------------------------------------------------------------------------


def test_the_planted_viral_video_is_found(store):
    typical = [
        {"video_id": f"t{i}", "likes": 95 + i, "views": 2000} for i in range(10)
    ]  # 95..104 likes, ~5 %
    add_videos(
        store,
        [
            *typical,
            {"video_id": "viral", "likes": 5000, "views": 100_000},
            {"video_id": "loved", "likes": 100, "views": 300},
        ],
    )
    found = viral_outliers(store, "brand").set_index("video_id")
    assert sorted(found.index) == ["loved", "viral"]
    assert found.loc["viral", "reason"] == "likes"  # its like rate is the usual 5 %
    assert found.loc["loved", "reason"] == "like rate"
    # Median likes 100; |likes - 100| has median 2.5, so z = 4900 / (1.4826 * 2.5).
    assert found.loc["viral", "likes_z"] == pytest.approx(4900 / (1.4826 * 2.5))
    assert found.loc["viral", "likes_median"] == 100


def test_a_spike_on_an_account_whose_videos_all_tie_still_stands_out(store):
    # Nine videos with 100 likes: the MAD is 0, so the scale is 1.2533 * mean |dev| = 1.2533 * 40.
    add_videos(store, [{"likes": 100, "views": 1000}] * 9 + [{"likes": 500, "views": 1000}])
    found = viral_outliers(store, "brand")
    assert found["video_id"].tolist() == ["9"]
    assert found.loc[0, "likes_z"] == pytest.approx(400 / (1.2533 * 40))
    assert found.loc[0, "reason"] == "likes and like rate"


def test_too_few_videos_have_no_outliers(store):
    add_videos(store, [{"likes": 10, "views": 100}] * 3 + [{"likes": 9000, "views": 10_000}])
    assert viral_outliers(store, "brand").empty


def test_top_and_bottom_videos(store):
    add_videos(
        store,
        [
            {"video_id": "a", "likes": 10, "views": 50},
            {"video_id": "b", "likes": 20, "views": 400},
            {"video_id": "c", "likes": 30, "views": 300},
            {"video_id": "d", "likes": None, "views": 9},
        ],
    )
    assert top_videos(store, "brand", n=2)["video_id"].tolist() == ["c", "b"]
    assert top_videos(store, "brand", n=1, bottom=True)["video_id"].tolist() == ["a"]
    # Like rates: a 0.2, b 0.05, c 0.1.
    assert top_videos(store, "brand", n=3, by="like_rate")["video_id"].tolist() == ["a", "c", "b"]
    with pytest.raises(ValueError):
        top_videos(store, "brand", by="views")


@pytest.mark.parametrize(
    "url, shown",
    [
        ("https://www.tiktok.com/@brand/video/1", "https://www.tiktok.com/@brand/video/1"),
        ("  HTTP://example.com/v ", "HTTP://example.com/v"),
        ("javascript:alert(1)", None),
        ("JavaScript://%0aalert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.example/x", None),
        ("https://", None),
        (None, None),
    ],
)
def test_the_video_table_keeps_only_web_links(url, shown):
    table = video_table(
        pd.DataFrame({"video_id": ["1"], "url": [url]}), pd.DataFrame(columns=["video_id", "reason"])
    )
    assert (None if pd.isna(table.loc[0, "url"]) else table.loc[0, "url"]) == shown


def test_the_video_table_flags_the_outliers_of_the_same_videos(store):
    typical = [{"video_id": f"t{i}", "likes": 95 + i, "views": 2000} for i in range(10)]
    add_videos(store, [*typical, {"video_id": "viral", "likes": 5000, "views": 100_000}])
    table = video_table(top_videos(store, "brand", n=100), viral_outliers(store, "brand")).set_index(
        "video_id"
    )
    assert len(table) == 11
    assert table.loc["viral", "outlier"] == "likes"
    assert (table.drop(index="viral")["outlier"] == "").all()


# --- timing ----------------------------------------------------------------------------------------


def timing_videos() -> list[dict]:
    return [
        {"posted_at": "2026-03-02 18:00", "posted_time_known": True, "likes": 10, "views": 100},  # Monday
        {"posted_at": "2026-03-09 18:30", "posted_time_known": True, "likes": 30, "views": 100},  # Monday
        {"posted_at": "2026-03-16 09:00", "posted_time_known": True, "likes": 20, "views": 200},  # Monday
        {"posted_at": "2026-03-03 00:00", "posted_time_known": False, "likes": 50, "views": 500},  # Tuesday
    ]


def test_posting_weekdays_count_videos_median_likes_and_like_rate(store):
    add_videos(store, timing_videos())
    cells = posting_times(store, "brand", by="weekday").set_index("weekday_name")
    assert cells.loc["Monday", "videos"] == 3
    assert cells.loc["Monday", "median_likes"] == 20
    assert cells.loc["Monday", "like_rate"] == pytest.approx(60 / 400)
    assert cells.loc["Tuesday", "videos"] == 1
    assert cells["enough"].tolist() == [True, False]  # MIN_CELL_VIDEOS is 3
    assert MIN_CELL_VIDEOS == 3


def test_posting_hours_use_only_videos_with_a_known_time(store):
    add_videos(store, timing_videos())
    hours = posting_times(store, "brand", by="hour")
    assert hours["hour"].tolist() == [9, 18]  # the date-only Tuesday video has no hour
    assert hours["videos"].tolist() == [1, 2]
    assert hours["like_rate"].tolist() == pytest.approx([20 / 200, 40 / 200])
    grid = posting_times(store, "brand")
    assert list(zip(grid["weekday"], grid["hour"], grid["videos"], strict=True)) == [(1, 9, 1), (1, 18, 2)]
    assert not grid["enough"].any()


def add_activity(store, days: list[str], hours: list[int], active: list[int]) -> None:
    frame = pd.DataFrame(
        {
            "account": "brand",
            "date": days,
            "hour": hours,
            "active_followers": active,
            "snapshot_date": "2026-03-03",
        }
    )
    store.add_file(
        {
            "name": "FollowerActivity.csv",
            "kind": "studio_follower_activity",
            "account": "brand",
            "rows": len(frame),
            "accepted": len(frame),
            "rejected": 0,
        },
        frame,
        "follower_activity_raw",
        [],
    )


def test_audience_hours_average_active_followers_over_days(store):
    add_activity(store, ["2026-03-01", "2026-03-02", "2026-03-01"], [0, 0, 1], [10, 20, 5])
    hours = audience_hours(store, "brand")
    assert hours["hour"].tolist() == [0, 1]
    assert hours["active_followers"].tolist() == [15, 5]
    assert hours["days"].tolist() == [2, 1]


# --- hashtags and groups ---------------------------------------------------------------------------


def test_hashtags_are_case_insensitive_unicode_and_counted_once_per_title(store):
    add_videos(
        store,
        [
            {"title": "Morning #Glow routine #glow #GLOW", "likes": 10, "views": 100},
            {"title": "#café time #Glow", "likes": 20, "views": 100},
            {"title": "καλημέρα #ΚαλημέραΕλλάδα", "likes": 30, "views": 300},
            {"title": "no tags here", "likes": 40, "views": 400},
        ],
    )
    table = hashtag_uplift(store, "brand").set_index("hashtag")
    assert sorted(table.index) == ["#café", "#glow", "#καλημέραελλάδα"]
    glow = table.loc["#glow"]
    assert (glow["videos_with"], glow["videos_without"]) == (2, 2)
    assert glow["likes_per_video_with"] == 15 and glow["likes_per_video_without"] == 35
    assert glow["like_rate_with"] == pytest.approx(30 / 200)
    assert glow["like_rate_without"] == pytest.approx(70 / 700)


def test_hashtag_uplift_with_too_little_support_makes_no_claim(store):
    add_videos(
        store,
        [{"title": "#big", "likes": 1000, "views": 2000}] * 2
        + [{"title": "small", "likes": 10, "views": 2000}] * 10,
    )
    big = hashtag_uplift(store, "brand").set_index("hashtag").loc["#big"]
    assert big["likes_uplift"] == 990  # the point estimate is still shown
    assert not big["enough_support"]
    assert math.isnan(big["likes_uplift_low"]) and math.isnan(big["likes_uplift_high"])
    assert big["likes_verdict"] == "not enough videos"
    assert big["like_rate_verdict"] == "not enough videos"


def test_hashtag_uplift_interval_is_a_welch_t_interval(store):
    spread = [-10, 0, 10, -10, 0, 10]
    add_videos(
        store,
        [{"title": "#tip", "likes": 200 + d, "views": 1000} for d in spread]
        + [{"title": "other", "likes": 100 + d, "views": 1000} for d in spread],
    )
    tip = hashtag_uplift(store, "brand").set_index("hashtag").loc["#tip"]
    # Each side: mean 200 (or 100), sample variance 400 / 5 = 80, so the mean's variance is 80 / 6.
    # se = sqrt(160 / 6) = 5.1640; Welch df = (160/6)^2 / (2 * (80/6)^2 / 5) = 10; t(0.975, 10) = 2.228139.
    half = 2.228139 * math.sqrt(160 / 6)
    assert tip["likes_uplift"] == 100
    assert tip["likes_uplift_low"] == pytest.approx(100 - half, rel=1e-5)
    assert tip["likes_uplift_high"] == pytest.approx(100 + half, rel=1e-5)
    assert tip["likes_uplift_rel"] == pytest.approx(1.0)
    assert tip["likes_verdict"] == "more likes with"
    # Views are all 1000, so the like-rate difference (0.2 - 0.1) and its interval scale by 1/1000.
    assert tip["like_rate_uplift"] == pytest.approx(0.1)
    assert tip["like_rate_uplift_low"] == pytest.approx(0.1 - half / 1000, rel=1e-5)
    assert tip["like_rate_verdict"] == "higher like rate with"


def test_the_same_likes_with_and_without_a_tag_is_no_clear_difference(store):
    add_videos(
        store,
        [{"title": "#same", "likes": 100 + d, "views": 1000} for d in (-5, 5, 0, -5, 5)]
        + [{"title": "other", "likes": 100 + d, "views": 1000} for d in (5, -5, 0, 5, -5)],
    )
    same = hashtag_uplift(store, "brand").set_index("hashtag").loc["#same"]
    assert same["likes_verdict"] == "no clear difference"
    assert same["likes_uplift_low"] < 0 < same["likes_uplift_high"]


def collab_videos() -> list[dict]:
    return [
        {"title": "Collab with @ann.b", "likes": 10, "views": 100},
        {"title": "Thanks @bob_1 for this", "likes": 20, "views": 100},
        {"title": "COLLAB week", "likes": 30, "views": 100},
        {"title": "email me at hello@brand.com", "likes": 40, "views": 100},
        {"title": "plain video", "likes": 50, "views": 100},
    ]


def test_the_default_collab_group_matches_the_word_or_a_mention(store):
    add_videos(store, collab_videos())
    collab = group_uplift(store, "brand").set_index("group").loc["collab"]
    # Videos 1-3 are collabs (an e-mail address is not a mention): 20 likes each on average vs 45.
    assert (collab["videos_with"], collab["videos_without"]) == (3, 2)
    assert collab["likes_per_video_with"] == 20 and collab["likes_per_video_without"] == 45
    assert collab["likes_verdict"] == "not enough videos"


def test_user_rules_match_one_handle_or_a_text(store):
    add_videos(store, collab_videos())
    rules = (Rule("with ann", "mention", "@Ann.B"), Rule("tutorial", "contains", "how to"))
    table = group_uplift(store, "brand", rules=rules).set_index("group")
    assert table.loc["with ann", "videos_with"] == 1
    assert table.loc["tutorial", "videos_with"] == 0
    assert table.loc["tutorial", "likes_verdict"] == "not enough videos"
    assert group_uplift(store, "brand", rules=()).empty


@pytest.mark.parametrize(("kind", "text"), [("regex", "x"), ("contains", " ")])
def test_a_rule_needs_a_known_kind_and_a_text_to_contain(kind, text):
    with pytest.raises(ValueError):
        Rule("bad", kind, text)


# --- is there anything to show? --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "word", "many", "expected"),
    [(0, "video", None, "0 videos"), (1, "video", None, "1 video"), (2, "day", None, "2 days"),
     (1000, "video", None, "1,000 videos"), (1, "reply", "replies", "1 reply"), (3, "reply", "replies", "3 replies")],
)  # fmt: skip
def test_plural_says_one_video_and_many_videos(n, word, many, expected):
    assert plural(n, word, many) == expected


def test_video_counts_count_what_each_section_can_use(store):
    more = [{"posted_at": "2026-03-04", "likes": None, "views": 10}, {"posted_at": "2026-03-04", "likes": 5}]
    add_videos(store, [*timing_videos(), *more])
    assert video_counts(store, "brand") == {
        "videos": 6,
        "with_likes": 5,
        "with_likes_and_views": 4,
        "with_time": 3,
    }


@pytest.mark.parametrize("count", [1, 5, 9])
def test_fewer_than_ten_videos_are_one_ranked_list_and_the_sentence_says_why(store, count):
    add_videos(store, [{"video_id": f"v{i}", "likes": i, "views": 100} for i in range(count)])
    ranked = ranking(store, "brand", n=5)
    assert ranked.top["video_id"].tolist() == [f"v{i}" for i in reversed(range(count))]
    assert ranked.bottom.empty
    videos, they = ("1 video", "it is") if count == 1 else (f"{count} videos", "they are")
    assert ranked.reason is not None
    assert ranked.reason.startswith(
        f"Only {videos} posted in this period can be ranked by likes, so {they} one list"
    )
    assert "a top 5 and a separate bottom 5 need at least 10 videos" in ranked.reason


@pytest.mark.parametrize(("count", "likes"), [(10, [0] * 10), (11, [3] * 6 + [1] * 5), (12, list(range(12)))])
def test_top_and_bottom_never_share_a_video_even_when_likes_tie(store, count, likes):
    add_videos(store, [{"video_id": f"v{i:02}", "likes": k, "views": 100} for i, k in enumerate(likes)])
    ranked = ranking(store, "brand", n=5)
    assert ranked.reason is None
    top, bottom = ranked.top["video_id"].tolist(), ranked.bottom["video_id"].tolist()
    assert len(top) == len(bottom) == 5
    assert not set(top) & set(bottom)
    assert bottom == top_videos(store, "brand", n=count)["video_id"].tolist()[::-1][:5]  # the order reversed


def test_ranking_by_like_rate_counts_only_videos_with_views(store):
    add_videos(store, [{"likes": 1, "views": 10}, {"likes": 2, "views": 0}, {"likes": 3, "views": None}])
    ranked = ranking(store, "brand", n=5, by="like_rate")
    assert len(ranked.top) == 1
    assert ranked.reason is not None and ranked.reason.startswith(
        "Only 1 video posted in this period can be ranked by like rate (a like rate needs views)"
    )


def test_outliers_count_only_the_videos_with_a_like_count(store):
    add_videos(store, [{"likes": 1, "views": 10}, {"likes": None, "views": 10}])
    assert viral_outlier_finding(store, "brand").reason == (
        "Only 1 of the 2 videos posted in this period has a like count: telling a viral video from a typical "
        "one needs at least 5, so 4 more videos would allow it."
    )


def test_outliers_on_too_few_videos_say_how_many_more_would_allow_them(store):
    add_videos(store, [{"likes": 1, "views": 10}, {"likes": 0, "views": 10}, {"likes": 900, "views": 1000}])
    found = viral_outlier_finding(store, "brand")
    assert found.table.empty
    assert found.reason == (
        "Only 3 videos were posted in this period: telling a viral video from a typical one needs at least 5, "
        "so 2 more videos would allow it."
    )


def test_no_outlier_among_enough_videos_says_none_stands_out(store):
    add_videos(store, [{"likes": 100 + i, "views": 1000} for i in range(12)])
    assert viral_outlier_finding(store, "brand").reason == (
        "No video stands out among the 12 videos: no video's likes or like rate are more than 3.5 robust "
        "z-scores above the typical video's."
    )


def test_found_outliers_are_shown_without_a_reason(store):
    add_videos(store, [{"likes": 100, "views": 1000}] * 9 + [{"likes": 5000, "views": 10_000}])
    found = viral_outlier_finding(store, "brand")
    assert found.shown and found.table["likes"].tolist() == [5000]


def test_posting_slots_of_dates_only_say_where_hours_come_from(store):
    add_videos(store, [{"posted_time_known": False, "likes": 1, "views": 10}] * 4)
    slots = posting_slot_finding(store, "brand")
    assert slots.table.empty
    assert slots.reason is not None
    assert slots.reason.startswith("The 4 videos posted in this period have no posting hour")
    assert "A scraper export of the account adds the time of day." in slots.reason


def test_posting_slots_that_all_have_too_few_videos_are_one_sentence(store):
    add_videos(store, timing_videos())  # Monday 18:00 twice, Monday 09:00 once, one date only
    slots = posting_slot_finding(store, "brand")
    assert slots.table["videos"].tolist() == [1, 2]
    assert slots.reason == (
        "The 3 videos with a posting hour are spread over 2 weekday-and-hour slots, the busiest with 2 videos: "
        "a slot needs at least 3 videos before its likes say anything about when to post."
    )


def test_a_posting_slot_with_enough_videos_is_shown(store):
    add_videos(
        store, [{"posted_at": "2026-03-02 18:00", "posted_time_known": True, "likes": 1, "views": 9}] * 3
    )
    slots = posting_slot_finding(store, "brand")
    assert slots.shown and slots.table["enough"].tolist() == [True]


def test_follower_activity_without_rows_or_with_nobody_online_is_a_sentence(store):
    # The Audience page's sentence: `store` holds no Studio download for brand yet.
    assert audience_finding(store, "brand").reason == studio_reason(store, "brand")
    add_days(store, [{"date": "2026-03-01", "likes": 5}])  # an Overview export: a Studio download
    assert audience_finding(store, "brand").reason == (
        "No follower activity for this account yet: it comes in FollowerActivity.csv, part of TikTok "
        "Studio's Followers download, and none has been uploaded."
    )
    add_activity(store, ["2026-03-01"] * 24 + ["2026-03-02"] * 24, list(range(24)) * 2, [0] * 48)
    nobody = audience_finding(store, "brand")
    assert len(nobody.table) == 24
    assert nobody.reason == (
        "FollowerActivity counts no follower online in any hour of its 2 days in this period, "
        "so there is no hour to prefer yet."
    )


def test_follower_activity_with_someone_online_is_shown(store):
    add_activity(store, ["2026-03-01", "2026-03-01"], [20, 21], [0, 1])
    assert audience_finding(store, "brand").shown


def test_hashtags_all_under_the_minimum_support_are_one_sentence_with_the_counts(store):
    add_videos(
        store,
        [
            {"title": "a #cozy #yarn", "likes": 1, "views": 10},
            {"title": "b #cozy", "likes": 0, "views": 10},
            {"title": "c #cozy #knit", "likes": 2, "views": 10},
            {"title": "d", "likes": 0, "views": 10},
        ],
    )
    found, prior = hashtag_finding(store, "brand")
    assert found.table["hashtag"].tolist() == ["#cozy", "#knit", "#yarn"]
    # No likes-per-video comparison, and like rates that differ no more than chance (τ fitted as 0):
    # one sentence. #cozy lacks 2 videos with it and 4 without it (6); #knit and #yarn lack 4 with
    # and 2 without (6): the most used is named.
    assert prior.videos == 4 and prior.tau == 0
    assert found.reason == (
        "No hashtag has enough videos to compare yet: each of the 3 needs at least 5 videos with it and 5 "
        "without it. The closest, #cozy (3 of the 4 videos), needs 2 more videos with it and 4 more videos "
        "without it. The hashtags' like rates differ no more than chance would make them."
    )


def test_a_single_hashtag_under_the_minimum_says_what_it_lacks(store):
    add_videos(
        store, [{"title": "#only", "likes": 1, "views": 10}] * 6 + [{"title": "x", "likes": 1, "views": 9}]
    )
    # Its like rate can be told apart from the account's (τ > 0): shown, the likes sentence a note.
    found, prior = hashtag_finding(store, "brand")
    assert found.shown and prior.tau > 0
    assert found.notes[0] == (
        "Likes per video: the only hashtag, #only, has 6 of the 7 videos with it: a comparison needs at least "
        "5 videos with it and 5 without it, so 4 more videos without it would allow it."
    )


def test_one_video_allows_neither_comparison_and_says_what_would(store):
    add_videos(store, [{"title": "#only", "likes": 1, "views": 10}])
    found, prior = hashtag_finding(store, "brand")
    assert prior.tau is None  # a like rate against the account's needs 2 videos
    assert found.reason == (
        "The only hashtag, #only, has 1 of the 1 video with it: a comparison needs at least 5 videos with it "
        "and 5 without it, so 4 more videos with it and 5 more videos without it would allow it."
    )


def test_hashtags_are_shown_once_one_has_the_support(store):
    add_videos(
        store, [{"title": "#a", "likes": 1, "views": 10}] * 5 + [{"title": "#b", "likes": 2, "views": 10}] * 5
    )
    found, _ = hashtag_finding(store, "brand")
    assert found.shown and found.table["enough_support"].tolist() == [True, True]


def test_a_hashtag_s_like_rate_verdict_is_the_portfolio_page_s(shape_store):
    # legacy_2021 was told "#fyp: lower like rate" here (with against without, Welch) and "can't tell
    # yet" on the Portfolio page (shrunk against the account's rate): one estimate now, on both.
    _, store = shape_store("legacy_2021")
    account = store.primary_account()
    found, prior = hashtag_finding(store, account)
    portfolio, same_prior = hashtags.hashtag_table(store, account)
    assert prior == same_prior
    assert not set(WELCH_LIKE_RATE) & set(found.table.columns)
    mine = found.table.set_index("hashtag")
    theirs = portfolio.set_index("hashtag").loc[mine.index]
    for column in ("verdict", "uplift", "low", "high", "videos_needed"):
        assert mine[column].tolist() == theirs[column].tolist(), column
    assert mine.loc["#fyp", "verdict"] == hashtags.UNCLEAR
    # The likes per video comparison is the with/without one, unchanged.
    welch = hashtag_uplift(store, account).set_index("hashtag")
    assert mine["likes_verdict"].tolist() == welch["likes_verdict"].tolist()


def test_no_hashtags_at_all_is_a_sentence(store):
    add_videos(store, [{"title": "plain", "likes": 1, "views": 10}] * 2)
    assert hashtag_finding(store, "brand")[0].reason == (
        "No hashtags in the titles of the 2 videos with likes and views posted in this period."
    )


def test_a_group_no_video_matches_says_it_has_no_videos_instead_of_a_bar_at_zero(store):
    add_videos(store, [{"title": "plain", "likes": 1, "views": 10}] * 3)
    found = group_finding(store, "brand")
    assert found.table.empty
    assert found.reason == "The group collab has no videos in this period: no title matches its rules."


def test_groups_with_too_few_videos_say_so_in_one_sentence(store):
    add_videos(store, collab_videos())
    rules = (
        *DEFAULT_RULES,
        Rule("tutorial", "contains", "how to"),
        Rule("plain", "contains", "plain"),
    )
    found = group_finding(store, "brand", rules=rules)
    assert found.table["group"].tolist() == ["collab", "plain"]
    assert found.reason == (
        "The group tutorial has no videos in this period: no title matches its rules. No group has enough videos to "
        "compare yet: each of the 2 needs at least 5 videos in it and 5 outside it. The closest, collab (3 of "
        "the 5 videos), needs 2 more videos in it and 3 more videos outside it."
    )


def test_groups_with_support_are_shown_and_a_note_names_the_empty_ones(store):
    add_videos(
        store,
        [{"title": "collab", "likes": 1, "views": 10}] * 5 + [{"title": "x", "likes": 2, "views": 10}] * 5,
    )
    rules = (*DEFAULT_RULES, Rule("a", "contains", "zzz"), Rule("b", "contains", "yyy"))
    found = group_finding(store, "brand", rules=rules)
    assert found.shown
    assert found.table["group"].tolist() == ["collab"]
    assert found.notes == ("The groups a and b have no videos in this period: no title matches their rules.",)


def test_groups_with_too_few_videos_beside_ones_with_support_are_named_in_a_note(store):
    add_videos(
        store,
        [{"title": "collab", "likes": 1, "views": 10}] * 5
        + [{"title": "tips", "likes": 2, "views": 10}] * 2
        + [{"title": "x", "likes": 2, "views": 10}] * 3,
    )
    rules = (*DEFAULT_RULES, Rule("tips", "contains", "tips"))
    found = group_finding(store, "brand", rules=rules)
    assert found.shown
    assert found.table["group"].tolist() == ["collab", "tips"]
    assert found.table["enough_support"].tolist() == [True, False]
    assert found.notes == (
        "tips (2 videos in it) has too few videos to compare: a group needs at least 5 videos in it and 5 "
        "outside it, so it makes no claim yet.",
    )


@pytest.mark.parametrize(
    ("shape", "listed_only"),
    [
        ("tiny", True),
        ("newer_followers", True),
        ("scraper_many", False),
        ("download_your_data", False),
        ("legacy_2021", False),  # the 2022-23 "Video Posts" export lists every post of its window
    ],
)
def test_posting_counts_say_when_the_videos_come_only_from_content_exports(shape, listed_only, shape_store):
    # A Content export lists about 15 videos, not every post: newer_followers posts about 3 a week
    # and its What-if read "0.3 posts per week" without a word. A scrape or the data archive lists all.
    _, store = shape_store(shape)
    note = listed_videos_note(store, store.primary_account())
    assert (note is not None) == listed_only
    if note:
        assert note == (
            "Video counts here are a floor: TikTok Studio's Content exports list about 15 videos a download, "
            "not every post; a scrape of the account, Apify's for example, lists them all. Posts per week is "
            "not measured on such a list."
        )
    # Posts per week is measured on a whole list only (legacy_2021: 2.4 a week).
    assert np.isnan(load_baseline(store).posts_per_week) == listed_only


def _video_file(store, name: str, kind: str, snapshot: str, ids: range) -> None:
    frame = pd.DataFrame(
        {"video_id": [str(i) for i in ids], "posted_at": "2026-04-10", "likes": 10, "views": 100}
    ).assign(account="brand", snapshot_date=snapshot, source_file=name)
    summary = {"name": name, "kind": kind, "account": "brand", "rows": len(frame), "accepted": len(frame)}
    store.add_file({**summary, "rejected": 0}, frame, "videos_raw", [])


def test_a_list_of_every_post_makes_the_videos_whole_only_where_it_reaches_the_recent_weeks(store):
    add_days(store, [{"date": f"2026-04-{d:02d}", "likes": 5, "views": 50} for d in range(1, 31)])
    assert not videos_listed_only(store, "brand")  # no videos: nothing is a sample
    _video_file(store, "Content.csv", "studio_content", "2026-04-30", range(3))
    assert videos_listed_only(store, "brand")
    assert not videos_listed_only(store, "other")
    # A scrape of a year before says nothing of this month's posting.
    _video_file(store, "old_scrape.csv", "scraper_videos", "2025-04-01", range(100, 140))
    assert videos_listed_only(store, "brand")
    # One of 28 March (33 days before the last day) is still too old; one of 2 April counts.
    _video_file(store, "march_scrape.csv", "scraper_videos", "2026-03-28", range(200, 240))
    assert videos_listed_only(store, "brand")
    _video_file(store, "april_scrape.csv", "scraper_videos", "2026-04-02", range(300, 340))
    assert not videos_listed_only(store, "brand")


def test_an_old_list_of_every_post_alone_is_no_sample(store):
    add_days(store, [{"date": f"2026-04-{d:02d}", "likes": 5, "views": 50} for d in range(1, 31)])
    _video_file(store, "old_scrape.csv", "scraper_videos", "2025-04-01", range(40))
    assert not videos_listed_only(store, "brand")


def test_the_video_counts_of_a_sample_are_not_compared(shape_store, store):
    # declining's Content export lists 5 videos for the last 90 days and 4 for the 90 before: the
    # Overview's Videos card read "+1", a rise in posting that one download happened to list.
    _, declining = shape_store("declining")  # shared by the session's tests: read, never written
    table = compare_periods(declining, None, "2025-11-13", "2026-02-10")
    rows = table[table["grain"] == "per_video"].set_index("name")
    assert (rows.at["videos", "current"], rows.at["videos", "previous"]) == (5, 4)
    assert rows.at["videos", "comparison"] == LISTED_COUNT and pd.isna(rows.at["videos", "delta"])
    # Nor is its like rate, on 5 videos against 4: one or two videos make either value.
    assert rows.at["like_rate", "comparison"] == (
        "too few videos to compare: 5 videos against 4 before; a per-video rate, mean or median needs at "
        "least 5 in each period"
    )
    assert pd.isna(rows.at["like_rate", "delta"]) and pd.isna(rows.at["likes_per_video_median", "delta"])
    assert rows.at["likes", "delta"] == rows.at["likes", "current"] - rows.at["likes", "previous"]
    # A scrape lists every post: its counts compare (3 videos against 2).
    posted = ["2026-03-05", "2026-03-06", "2026-03-15", "2026-03-16", "2026-03-17"]
    add_videos(store, [{"posted_at": day, "likes": 10, "views": 100} for day in posted])
    counted = compare_periods(store, "brand", "2026-03-11", "2026-03-20").query("grain == 'per_video'")
    counted = counted.set_index("name")
    assert pd.isna(counted.at["videos", "comparison"]) and counted.at["videos", "delta"] == 1


def test_sentences_on_a_content_export_sample_say_listed_not_posted(store):
    # TikTok Studio's Content export lists about 15 videos, not every post: "Only 3 videos were
    # posted in this period" was untrue of an account that posts daily (tiny, newer_followers).
    add_days(store, [{"date": f"2026-04-{d:02d}", "likes": 5, "views": 50} for d in range(1, 31)])
    _video_file(store, "Content.csv", "studio_content", "2026-04-30", range(3))
    assert videos_in_period(store, "brand") == "listed for this period"
    assert ranking(store, "brand", n=5).reason.startswith(
        "Only 3 videos listed for this period can be ranked by likes, so they are one list"
    )
    assert viral_outlier_finding(store, "brand").reason.startswith(
        "Only 3 videos were listed for this period: telling a viral video from a typical one needs"
    )
    assert posting_slot_finding(store, "brand").reason.startswith(
        "The 3 videos listed for this period have no posting hour"
    )
    assert hashtag_finding(store, "brand")[0].reason == (
        "No hashtags in the titles of the 3 videos with likes and views listed for this period."
    )
    # A scrape reaching the recent weeks lists every post: the same sentences say "posted".
    _video_file(store, "scrape.csv", "scraper_videos", "2026-04-29", range(3))
    assert videos_in_period(store, "brand") == "posted in this period"
    assert ranking(store, "brand", n=5).reason.startswith("Only 3 videos posted in this period can be ranked")


@pytest.mark.parametrize(
    ("grain", "name", "rows", "compared"),
    [
        ("per_video", "like_rate", (5, 5), True),
        ("per_video", "like_rate", (5, 4), False),
        ("per_video", "like_rate", (4, 9), False),
        ("per_video", "likes_per_video_median", (3, 2), False),
        ("per_video", "likes_per_video_mean", (3, 20), False),
        ("per_video", "likes", (3, 2), True),  # a total of the videos: a fact however few
        ("per_day", "like_rate", (3, 2), True),  # days, not videos
    ],
)  # fmt: skip
def test_a_per_video_rate_mean_or_median_is_compared_on_five_videos_each(grain, name, rows, compared):
    reason = few_videos(kpi(grain, name), *rows)
    assert (reason is None) == compared
    if reason:
        assert reason.startswith(f"too few videos to compare: {rows[0]} videos against {rows[1]} before")


def test_an_account_with_no_video_list_is_never_said_to_have_posted_no_videos(store):
    # An Overview export alone: likes every day, and no file that lists the account's videos. Every
    # finding on videos says there is no list, not that no video was posted in the period.
    from kpi_core.metrics.audience import posting_match_finding
    from kpi_core.metrics.scope import NO_VIDEO_LIST, no_video_list
    from kpi_core.metrics.spike import spike_share

    add_days(store, [{"date": f"2026-03-{d:02d}", "likes": 40 + d, "views": 800} for d in range(1, 29)])
    unlisted = no_video_list(store, "brand")
    assert (
        unlisted == "No video list: none of the files lists this account's videos (TikTok Studio's "
        "Content export, a scrape or TikTok's data archive does)."
    )
    span = ("2026-03-01", "2026-03-28")
    assert ranking(store, "brand", *span).reason == unlisted
    assert viral_outlier_finding(store, "brand", *span).reason == unlisted
    assert posting_slot_finding(store, "brand", *span).reason == unlisted
    assert hashtag_finding(store, "brand", *span)[0].reason == unlisted
    assert spike_share(store, "brand", *span).reason == NO_VIDEO_LIST
    assert posting_match_finding(store, "brand", *span).reason.startswith(unlisted)
    # With a list that has no video in the period, the period's own words stay.
    add_videos(store, [{"video_id": "1", "posted_at": "2026-01-05 10:00", "likes": 5, "views": 50}])
    assert no_video_list(store, "brand") is None
    assert viral_outlier_finding(store, "brand", *span).reason.startswith(
        "Only 0 videos were posted in this period"
    )
    assert (
        spike_share(store, "brand", *span).reason == "no videos with a like count were posted in this period"
    )
