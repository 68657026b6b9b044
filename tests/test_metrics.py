"""KPIs as ratios of sums, per video and per day, on small data worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_core.metrics.comparison import NO_EARLIER_DATA, compare_periods, per_day_note, previous_range
from kpi_core.metrics.ratios import format_kpi, ratio
from kpi_core.metrics.registry import DAILY_KPIS, VIDEO_KPIS
from kpi_core.metrics.scope import (
    NO_VIDEO_LIST,
    SettledCut,
    competitors,
    data_extent,
    primary_account,
    settled_cut,
    settled_end,
)
from kpi_core.metrics.trends import daily_series
from kpi_core.metrics.values import (
    daily_kpis,
    daily_results,
    kpis_by_account,
    side_by_side,
    video_kpis,
    video_results,
)
from kpi_core.store import Store
from tests.conftest import add_days, add_videos


def three_videos() -> list[dict]:
    return [
        {
            "video_id": "1",
            "posted_at": "2026-03-01 10:00",
            "likes": 10,
            "views": 100,
            "comments": 1,
            "shares": 0,
        },
        {
            "video_id": "2",
            "posted_at": "2026-03-02 10:00",
            "likes": 20,
            "views": 200,
            "comments": 2,
            "shares": 1,
        },
        {
            "video_id": "3",
            "posted_at": "2026-03-03 10:00",
            "likes": 30,
            "views": 300,
            "comments": 3,
            "shares": 2,
        },
    ]


# --- definitions ---------------------------------------------------------------------------------


def test_every_kpi_names_measures_and_a_format():
    for kpi in VIDEO_KPIS + DAILY_KPIS:
        assert kpi.name and kpi.label and kpi.unit and kpi.formula_text
        assert kpi.fmt.format(1.5)
    assert len({k.name for k in VIDEO_KPIS}) == len(VIDEO_KPIS)
    assert len({k.name for k in DAILY_KPIS}) == len(DAILY_KPIS)


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(60, 600, 0.1), (0, 600, 0.0), (1, 0, None), (None, 5, None), (5, None, None)],
)
def test_ratio_is_none_on_a_missing_or_zero_denominator(numerator, denominator, expected):
    assert ratio(numerator, denominator) == expected


def test_format_kpi_shows_missing_as_n_a():
    like_rate = next(k for k in VIDEO_KPIS if k.name == "like_rate")
    assert format_kpi(like_rate, 0.0345) == "3.45%"
    assert format_kpi(like_rate, None) == "n/a"


# --- per video -------------------------------------------------------------------------------------


def test_per_video_kpis_are_ratios_of_sums(store):
    add_videos(store, three_videos())
    kpis = video_kpis(store, "brand")
    assert kpis["videos"] == 3
    assert kpis["likes"] == 60 and kpis["views"] == 600 and kpis["comments"] == 6 and kpis["shares"] == 3
    assert kpis["saves"] is None  # the source had no saves: missing, not 0
    assert kpis["like_rate"] == pytest.approx(60 / 600)
    assert kpis["engagement_rate_by_view"] == pytest.approx((60 + 6 + 3) / 600)
    assert kpis["likes_per_video_mean"] == 20
    assert kpis["likes_per_video_median"] == 20


def test_like_rate_is_not_the_mean_of_per_video_rates(store):
    # 10/100 and 90/300: ratio of sums 100/400 = 0.25; the mean of rates would be 0.2.
    add_videos(
        store,
        [
            {"video_id": "1", "posted_at": "2026-03-01", "likes": 10, "views": 100},
            {"video_id": "2", "posted_at": "2026-03-01", "likes": 90, "views": 300},
        ],
    )
    assert video_kpis(store, "brand")["like_rate"] == pytest.approx(0.25)


def test_videos_count_by_post_date_within_the_range(store):
    add_videos(store, three_videos())
    kpis = video_kpis(store, "brand", date(2026, 3, 2), date(2026, 3, 3))
    assert kpis["videos"] == 2 and kpis["likes"] == 50
    assert video_kpis(store, "brand", "2026-03-03", "2026-03-03")["likes"] == 30


def test_zero_views_give_no_like_rate(store):
    add_videos(store, [{"video_id": "1", "posted_at": "2026-03-01", "likes": 0, "views": 0}])
    kpis = video_kpis(store, "brand")
    assert kpis["likes"] == 0
    assert kpis["like_rate"] is None


def test_an_empty_range_has_zero_videos_and_no_likes(store):
    add_videos(store, three_videos())
    kpis = video_kpis(store, "brand", "2025-01-01", "2025-01-31")
    assert kpis["videos"] == 0
    assert kpis["likes"] is None and kpis["like_rate"] is None and kpis["likes_per_video_mean"] is None


def test_a_video_without_views_does_not_inflate_the_like_rate(store):
    add_videos(
        store,
        [
            {"video_id": "1", "posted_at": "2026-03-01", "likes": 10, "views": 100},
            {"video_id": "2", "posted_at": "2026-03-01", "likes": 50, "views": None},
        ],
    )
    kpis = video_kpis(store, "brand")
    assert kpis["likes"] == 60
    assert kpis["like_rate"] == pytest.approx(10 / 100)


def test_engagement_by_follower_divides_by_the_periods_average_follower_count(store):
    # Followers 1,000 on March 1 and 1,400 on March 2: an average of 1,200 over the period.
    add_days(store, [{"date": "2026-03-01", "followers": 1000}, {"date": "2026-03-02", "followers": 1400}])
    add_videos(
        store,
        [
            {
                "video_id": "1",
                "posted_at": "2026-03-01 09:00",
                "likes": 20,
                "views": 400,
                "comments": 5,
                "shares": 5,
            },
            {
                "video_id": "2",
                "posted_at": "2026-03-02 21:00",
                "likes": 40,
                "views": 800,
                "comments": 5,
                "shares": 5,
            },
            {
                "video_id": "3",
                "posted_at": "2026-03-09 12:00",
                "likes": 99,
                "views": 900,
                "comments": None,
                "shares": 0,
            },
        ],
    )
    results = video_results(store, "brand")
    # Video 3 has no comment count, so it stays out of the rate: (30 + 50) / 2 interactions per video.
    rate = results["engagement_rate_by_follower"]
    assert rate.value == pytest.approx(40 / 1200) and rate.rows == 2 and rate.reason is None
    assert rate.division == "40.0 interactions per video / 1,200 average followers (2 videos)"
    # Likes per 1k followers: all three videos, (20 + 40 + 99) / 3 likes per video.
    assert results["likes_per_1k_followers"].value == pytest.approx(1000 * 53 / 1200)


def test_scraper_follower_counts_stand_in_when_there_is_no_daily_series(store):
    add_videos(
        store,
        [
            {
                "video_id": "1",
                "posted_at": "2026-03-01",
                "likes": 30,
                "views": 600,
                "comments": 0,
                "shares": 0,
                "followers": 1500,
            }
        ],
        account="rival",
    )
    assert video_kpis(store, "rival")["engagement_rate_by_follower"] == pytest.approx(30 / 1500)


# --- validity rules ---------------------------------------------------------------------------------


def days_of(followers: list[int], likes: int, comments: int = 0, shares: int = 0) -> list[dict]:
    """One day per follower count, from March 1, each with the same likes, comments and shares."""
    return [
        {
            "date": f"2026-03-{i + 1:02d}",
            "likes": likes,
            "views": 100 * likes + 1,
            "comments": comments,
            "shares": shares,
            "followers": f,
        }
        for i, f in enumerate(followers)
    ]


@pytest.mark.parametrize(
    ("followers", "likes", "value", "reason"),
    [
        # 30 interactions a day on an average of 1,500 followers; doubling is still allowed.
        ([1000, 2000], 20, 30 / 1500, None),
        ([60, 64, 68], 90, None, "64 followers on average: a rate by follower needs at least 1,000"),
        ([1000, 1500, 2500], 20, None, "followers ×2.5 in the period: they grew from 1,000 to 2,500"),
        ([3000, 2000, 1200], 20, None, "followers ×2.5 in the period: they fell from 3,000 to 1,200"),
        ([1000, 2500, 1100], 20, None, "followers ×2.5 in the period: they ranged from 1,000 to 2,500"),
        ([1000, 1000], 1490, None, "over 100% of followers: more interactions per day than the account"),
    ],
)
def test_a_rate_by_follower_needs_a_big_steady_base_and_stays_under_100_percent(
    store, followers, likes, value, reason
):
    add_days(store, days_of(followers, likes, comments=6, shares=4))
    rate = daily_results(store, "brand")["engagement_rate_by_follower"]
    if reason is None:
        assert rate.value == pytest.approx(value) and rate.reason is None
    else:
        assert rate.value is None and rate.reason.startswith(reason), rate.reason


def test_the_spec_example_names_the_growth_and_says_why(store):
    # 24 -> 3,352 followers, averaging 2,000 or more once enough days sit at the top.
    add_days(store, days_of([24, 3352, 3352, 3352], 50))
    rate = daily_results(store, "brand")["engagement_rate_by_follower"]
    assert rate.reason == (
        "followers ×140 in the period: they grew from 24 to 3,352, and a rate on a moving base means nothing"
    )


def test_over_100_percent_of_followers_says_to_use_the_rate_by_view(store):
    add_days(store, days_of([1000, 1000], 1200))
    results = daily_results(store, "brand")
    assert results["engagement_rate_by_follower"].reason == (
        "over 100% of followers: more interactions per day than the account has followers; videos "
        "reach far beyond the followers, so use the rate by view"
    )
    assert results["likes_per_1k_followers"].reason.startswith("over 100% of followers: more likes per day")
    assert results["like_rate"].value == pytest.approx(1200 / 120_001)  # the rate by view stands


def test_a_small_scraped_account_gets_no_rate_by_follower(store):
    add_videos(
        store,
        [{"video_id": "1", "posted_at": "2026-03-01", "likes": 100, "views": 900, "followers": 64}],
        account="rival",
    )
    table = kpis_by_account(store)
    assert pd.isna(table.loc[0, "likes_per_1k_followers"])
    assert table.loc[0, "likes_per_1k_followers_note"].startswith("64 followers on average: ")
    assert table.loc[0, "like_rate"] == pytest.approx(100 / 900) and table.loc[0, "like_rate_note"] is None


def test_more_likes_than_views_is_no_rate_by_view(store):
    add_videos(store, [{"video_id": "1", "posted_at": "2026-03-01", "likes": 120, "views": 100}])
    like_rate = video_results(store, "brand")["like_rate"]
    assert like_rate.value is None
    assert like_rate.reason == "over 100% of views: more likes than views, so the view counts look incomplete"


def test_a_missing_value_says_what_is_missing(store):
    add_days(
        store, [{"date": "2026-03-01", "followers": 1200}, {"date": "2026-03-02", "likes": 5, "views": 0}]
    )
    results = daily_results(store, "brand")
    assert results["like_rate"].reason == "the views add up to 0"
    assert results["profile_views"].reason == "no data: no daily profile views in the period"
    assert results["engagement_rate_by_follower"].reason == (
        "no data: no days in the period with both interactions and follower counts"
    )
    # No file lists the account's videos: not "0 videos", and not "none posted".
    unlisted = video_results(store, "brand")
    assert unlisted["videos"].value is None and unlisted["videos"].reason == NO_VIDEO_LIST
    assert unlisted["likes"].reason.startswith("no video list: none of the files lists this account's videos")
    add_videos(store, [{"posted_at": "2026-02-01", "views": 10}])  # listed, but not in the period
    listed = video_results(store, "brand", "2026-03-01", "2026-03-31")
    assert listed["videos"].value == 0 and listed["videos"].reason is None
    assert listed["likes"].reason == "no data: no likes for the videos of the period"


# --- what each value rests on ----------------------------------------------------------------------


def test_days_beside_the_likes_count_only_the_days_with_likes(store):
    # 3 days of Overview data inside 8 days of follower history: the likes rest on 3 days.
    add_days(store, [{"date": f"2026-03-{d:02d}", "followers": 1000 + d} for d in range(1, 9)])
    add_days(
        store,
        [{"date": f"2026-03-0{d}", "likes": 10 * d, "views": 100 * d} for d in (2, 3, 4)],
        snapshot="2026-04-02",
    )
    results = daily_results(store, "brand")
    assert results["days"].value == 3
    assert (results["likes"].value, results["likes"].rows) == (90, 3)
    assert results["followers_start"].rows == 8 and results["followers_end"].value == 1008
    likes_per_day = results["likes_per_day"]
    assert likes_per_day.value == pytest.approx(90 / 3) and likes_per_day.rows == 3
    assert likes_per_day.division == "90 likes / 3 days"
    assert results["like_rate"].division == "90 likes / 900 views (3 days)"


def test_a_single_row_reads_in_the_singular(store):
    add_videos(store, [{"video_id": "1", "posted_at": "2026-03-01", "likes": 5, "views": 50}])
    result = video_results(store, "brand")["likes_per_video_mean"]
    assert result.base == "1 video" and result.division == "5 likes / 1 video"


# --- per day ---------------------------------------------------------------------------------------


def days_rows() -> list[dict]:
    return [
        {
            "date": "2026-03-01",
            "likes": 5,
            "views": 50,
            "comments": 1,
            "shares": 1,
            "profile_views": 3,
            "followers": 100,
        },
        {
            "date": "2026-03-02",
            "likes": 10,
            "views": 100,
            "comments": 0,
            "shares": 2,
            "profile_views": 4,
            "followers": 103,
        },
        {
            "date": "2026-03-03",
            "likes": 15,
            "views": 150,
            "comments": 2,
            "shares": 0,
            "profile_views": 5,
            "followers": 110,
        },
    ]


def test_per_day_kpis_sum_the_days_in_range(store):
    add_days(store, days_rows())
    kpis = daily_kpis(store, "brand")
    assert kpis["days"] == 3 and kpis["likes"] == 30 and kpis["views"] == 300
    assert kpis["comments"] == 3 and kpis["shares"] == 3 and kpis["profile_views"] == 12
    assert kpis["like_rate"] == pytest.approx(30 / 300)
    assert kpis["engagement_rate_by_view"] == pytest.approx((30 + 3 + 3) / 300)
    assert kpis["likes_per_day"] == pytest.approx(10)
    assert kpis["followers_start"] == 100 and kpis["followers_end"] == 110
    assert kpis["net_follower_change"] == 10  # (103 - 100) + (110 - 103)
    # 104.3 followers on average: too few for a rate by follower.
    rate = daily_results(store, "brand")["engagement_rate_by_follower"]
    assert rate.value is None and rate.rows == 3
    assert rate.reason.startswith("104 followers on average: a rate by follower needs at least 1,000")


def test_net_follower_change_counts_from_the_day_before_the_range(store):
    add_days(store, days_rows())
    kpis = daily_kpis(store, "brand", "2026-03-02", "2026-03-03")
    assert kpis["followers_start"] == 103
    assert kpis["net_follower_change"] == 10  # 103 - 100 on the 2nd, then 110 - 103


def test_net_follower_change_bridges_a_day_without_a_count(store):
    add_days(
        store,
        [
            {"date": "2026-03-01", "followers": 100},
            {"date": "2026-03-02", "likes": 4},
            {"date": "2026-03-03", "followers": 120},
        ],
    )
    assert daily_kpis(store, "brand")["net_follower_change"] == 20


def test_days_without_views_give_no_daily_like_rate(store):
    add_days(store, [{"date": "2026-03-01", "likes": 5, "views": 0}])
    assert daily_kpis(store, "brand")["like_rate"] is None


def test_provisional_days_are_left_out_unless_asked_for(store):
    add_days(
        store,
        [
            {"date": "2026-03-01", "likes": 10, "views": 100, "provisional": False},
            {"date": "2026-03-02", "likes": 1, "views": 40, "provisional": True},
        ],
    )
    assert daily_kpis(store, "brand")["likes"] == 10
    with_provisional = daily_kpis(store, "brand", include_provisional=True)
    assert with_provisional["likes"] == 11
    assert with_provisional["like_rate"] == pytest.approx(11 / 140)


# --- accounts --------------------------------------------------------------------------------------


def test_the_primary_account_has_the_most_daily_rows_else_the_most_videos(store):
    assert primary_account(store) is None
    add_videos(store, three_videos(), account="rival")
    assert primary_account(store) == "rival"  # nobody has daily rows yet: most videos wins
    add_days(store, days_rows()[:1], account="brand")
    assert primary_account(store) == "brand"
    assert competitors(store) == ["rival"]


def test_account_none_means_the_primary_account(store):
    add_days(store, days_rows(), account="brand")
    add_videos(store, three_videos(), account="brand")
    add_videos(
        store, [{"video_id": "9", "posted_at": "2026-03-01", "likes": 7, "views": 70}], account="rival"
    )
    assert video_kpis(store)["likes"] == 60
    assert daily_kpis(store)["likes"] == 30


@pytest.mark.parametrize("include_provisional", [False, True])
def test_a_periods_follower_base_is_the_same_per_video_and_per_day(store, include_provisional):
    """The follower count jumps by 5,000 on the two provisional days: counted in both bases or in
    neither, so the two rates by follower give one reason (or one base) either way."""
    add_days(
        store,
        [
            {
                "date": f"2026-03-{d:02d}",
                "likes": 10 * d,
                "views": 100 * d,
                "comments": 1,
                "shares": 2,
                "followers": 1000 + d + (5000 if d >= 19 else 0),
                "provisional": d >= 19,
            }
            for d in range(1, 21)
        ],
    )
    add_videos(
        store,
        [{"video_id": "1", "posted_at": "2026-03-02", "likes": 10, "views": 100, "comments": 1, "shares": 0}],
    )
    table = compare_periods(
        store, "brand", "2026-03-01", "2026-03-20", include_provisional=include_provisional
    )
    rates = table[table["name"] == "engagement_rate_by_follower"].set_index("grain")
    if include_provisional:  # 1,001 to 6,020 followers: a moving base for both
        assert rates.loc["per_video", "note"] == rates.loc["per_day", "note"]
        assert rates.loc["per_day", "note"].startswith(
            "followers ×6.0 in the period: they grew from 1,001 to 6,020"
        )
    else:  # the settled days, 1,001 to 1,018, on average 1,009.5
        assert rates.loc["per_video", "current"] == pytest.approx((10 + 1) / 1009.5)
        assert rates.loc["per_day", "current"] == pytest.approx(
            (sum(10 * d for d in range(1, 19)) + 18 * 3) / 18 / 1009.5
        )


def test_kpis_by_account_puts_accounts_side_by_side_primary_first(store):
    add_days(store, days_rows(), account="brand")
    add_videos(store, three_videos(), account="brand")
    add_videos(
        store, [{"video_id": "9", "posted_at": "2026-03-01", "likes": 7, "views": 0}], account="another"
    )
    table = kpis_by_account(store)
    assert table["account"].tolist() == ["brand", "another"]
    assert table["is_primary"].tolist() == [True, False]
    assert table["is_own"].tolist() == [True, False]  # brand's daily export is the user's own
    assert table.loc[0, "like_rate"] == pytest.approx(0.1)
    assert pd.isna(table.loc[1, "like_rate"])  # zero views: no rate
    assert table.loc[1, "likes"] == 7


def test_with_scrapes_alone_the_primary_account_is_not_the_users_own(store):
    add_videos(store, three_videos(), account="most.videos")
    add_videos(store, [{"video_id": "9", "likes": 7, "views": 70}], account="another")
    table = kpis_by_account(store)
    assert table["account"].tolist() == ["most.videos", "another"]
    assert table["is_primary"].tolist() == [True, False]
    assert table["is_own"].tolist() == [False, False]


def test_side_by_side_keeps_the_primary_account_then_the_competitors_with_the_most_videos():
    table = pd.DataFrame(
        {
            "account": ["me", "a", "b", "c", "d"],
            "videos": [1, 2, 5, 2, 5],
            "likes": [10, 30, 7, 40, 7],
            "is_primary": [True, False, False, False, False],
        }
    )
    assert side_by_side(table, limit=4)["account"].tolist() == ["me", "b", "d", "c"]  # b, d tie: by handle
    assert side_by_side(table, limit=5) is table
    no_primary = table.assign(is_primary=False)
    assert side_by_side(no_primary, limit=2)["account"].tolist() == ["b", "d"]


# --- period comparison -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-03-08", "2026-03-14", (date(2026, 3, 1), date(2026, 3, 7))),
        ("2026-03-01", "2026-03-01", (date(2026, 2, 28), date(2026, 2, 28))),
        ("2026-03-01", "2026-03-31", (date(2026, 1, 29), date(2026, 2, 28))),
    ],
)
def test_previous_range_has_the_same_length_and_ends_the_day_before(start, end, expected):
    assert previous_range(start, end) == expected


def test_compare_periods_gives_absolute_and_relative_deltas(store):
    # Days 1-7: 10 likes and 100 views a day; days 8-14: 20 likes and 100 views a day.
    add_days(
        store,
        [{"date": f"2026-03-{d:02d}", "likes": 10 if d <= 7 else 20, "views": 100} for d in range(1, 15)],
    )
    add_videos(store, three_videos())  # posted March 1-3: all in the previous week
    table = compare_periods(store, "brand", "2026-03-08", "2026-03-14").set_index(["grain", "name"])
    likes = table.loc[("per_day", "likes")]
    assert (likes["current"], likes["previous"], likes["delta"]) == (140, 70, 70)
    assert likes["delta_rel"] == pytest.approx(1.0)
    rate = table.loc[("per_day", "like_rate")]
    assert rate["current"] == pytest.approx(0.2) and rate["previous"] == pytest.approx(0.1)
    assert rate["delta"] == pytest.approx(0.1)  # fraction points
    videos = table.loc[("per_video", "videos")]
    assert (videos["current"], videos["previous"], videos["delta"]) == (0, 3, -3)
    assert pd.isna(table.loc[("per_video", "likes"), "delta"])  # no videos now: likes missing


def test_a_zero_previous_value_gives_no_relative_delta(store):
    add_days(
        store,
        [{"date": "2026-03-01", "likes": 0, "views": 10}, {"date": "2026-03-02", "likes": 5, "views": 10}],
    )
    table = compare_periods(store, "brand", "2026-03-02", "2026-03-02").set_index(["grain", "name"])
    likes = table.loc[("per_day", "likes")]
    assert likes["delta"] == 5
    assert pd.isna(likes["delta_rel"])


def week(first: int, likes: int | None = 10, days: range | None = None) -> list[dict]:
    """Days of March from `first` (7, or those in `days`), with `likes` and 100 views each."""
    return [
        {"date": f"2026-03-{first + i:02d}", "likes": likes, "views": 100}
        for i in (days if days is not None else range(7))
    ]


def test_no_earlier_data_means_no_change_at_all(store):
    add_days(store, week(8))
    add_videos(store, [{"video_id": "1", "posted_at": "2026-03-09", "likes": 5, "views": 50}])
    table = compare_periods(store, "brand", "2026-03-08", "2026-03-14").set_index(["grain", "name"])
    for key in (("per_day", "likes"), ("per_video", "videos"), ("per_video", "likes")):
        row = table.loc[key]
        assert row["comparison"] == NO_EARLIER_DATA and pd.isna(row["delta"]), key
        assert row["previous_rows"] == 0 and pd.isna(row["coverage"])
    assert table.loc[("per_video", "videos"), "current"] == 1  # shown, but never "+1"


def test_a_partly_covered_previous_period_compares_over_the_days_it_has(store):
    add_days(store, week(1, likes=20, days=range(5, 7)) + week(8))  # March 6-7, then 8-14
    table = compare_periods(store, "brand", "2026-03-08", "2026-03-14").set_index(["grain", "name"])
    likes = table.loc[("per_day", "likes")]
    assert (likes["current"], likes["previous"], likes["delta"]) == (70, 40, 30)
    assert (likes["current_rows"], likes["previous_rows"]) == (7, 2)
    assert likes["coverage"] == "previous: 2 of 7 days" and pd.isna(likes["comparison"])
    per_day = table.loc[("per_day", "likes_per_day")]
    assert (per_day["current"], per_day["previous"], per_day["delta"]) == (10, 20, -10)


def test_a_partly_covered_current_period_says_so(store):
    add_days(store, week(1) + week(8, days=[0, 1, 2, 5, 6]))  # March 10 and 11 missing
    likes = compare_periods(store, "brand", "2026-03-08", "2026-03-14").set_index(["grain", "name"])
    assert likes.loc[("per_day", "likes"), "coverage"] == "now: 5 of 7 days"
    assert likes.loc[("per_day", "likes"), "delta"] == 50 - 70


def test_a_period_past_the_overviews_last_day_compares_the_days_it_has(store):
    # 10 likes a day on March 1-12, then follower counts only (a newer Followers export) to the
    # 14th: the 5 days of likes of March 8-12 against the 5 before, not 50 likes against 70.
    add_days(store, week(1) + week(8, days=range(5)) + followers_after(13, 14))
    table = compare_periods(store, "brand", "2026-03-08", "2026-03-14").set_index(["grain", "name"])
    likes = table.loc[("per_day", "likes")]
    assert (likes["current"], likes["previous"], likes["delta"], likes["period_days"]) == (50, 50, 0, 5)
    assert pd.isna(likes["coverage"])
    assert per_day_note(store, "brand", "2026-03-08", "2026-03-14") == (
        "Per-day figures compare 8 Mar – 12 Mar 2026 (5 days) with the 5 days before: the files loaded have "
        "no Overview data after 12 Mar (upload a newer Overview export to include those days)."
    )


def steady(first: int, last: int, provisional: tuple[int, ...] = ()) -> list[dict]:
    """Days of March from `first` to `last`, each with 10 likes and 100 views; the days in
    `provisional` are flagged provisional (an export's last days)."""
    return [
        {"date": f"2026-03-{d:02d}", "likes": 10, "views": 100, "provisional": d in provisional}
        for d in range(first, last + 1)
    ]


def followers_after(first: int, last: int, provisional: tuple[int, ...] = ()) -> list[dict]:
    """Follower counts only (a Followers export's days), March `first` to `last`."""
    return [
        {"date": f"2026-03-{d:02d}", "followers": 100 + d, "provisional": d in provisional}
        for d in range(first, last + 1)
    ]


@pytest.mark.parametrize(
    ("rows", "period", "include_provisional", "expected"),
    [
        # The export's last 2 days fall in the period: they are its provisional tail.
        (steady(1, 20, (19, 20)), ("2026-03-11", "2026-03-20"), False, "2026-03-18"),
        (steady(1, 20, (19, 20)), ("2026-03-11", "2026-03-20"), True, "2026-03-20"),
        # A period that ends before them has none.
        (steady(1, 20, (19, 20)), ("2026-03-01", "2026-03-15"), False, "2026-03-15"),
        # A period of provisional days only keeps its days (it has nothing settled to compare).
        (steady(1, 20, (19, 20)), ("2026-03-19", "2026-03-20"), False, "2026-03-20"),
        (steady(1, 20, (19, 20)), ("2026-03-20", "2026-03-20"), False, "2026-03-20"),
        # An older export's provisional days, followed by settled days: not a tail.
        (steady(1, 20, (9, 10)), ("2026-03-01", "2026-03-20"), False, "2026-03-20"),
        # A newer Followers export's days after the Overview's provisional ones: the Overview's
        # days decide, so its provisional days are still its tail, and the days without likes
        # after them go with them.
        (
            steady(1, 10, (9, 10)) + followers_after(11, 20, (19, 20)),
            ("2026-03-01", "2026-03-20"),
            False,
            "2026-03-08",
        ),
        # Included provisional days still end on the Overview's last day: the days after it have
        # no likes to count.
        (
            steady(1, 10, (9, 10)) + followers_after(11, 20, (19, 20)),
            ("2026-03-01", "2026-03-20"),
            True,
            "2026-03-10",
        ),
        # ... and after a settled Overview: its last day ends the per-day figures.
        (
            steady(1, 10) + followers_after(11, 20, (19, 20)),
            ("2026-03-01", "2026-03-20"),
            False,
            "2026-03-10",
        ),
        (steady(1, 10) + followers_after(11, 20), ("2026-03-01", "2026-03-20"), False, "2026-03-10"),
        # A range of Followers days only: their own provisional tail.
        (
            steady(1, 10) + followers_after(11, 20, (19, 20)),
            ("2026-03-11", "2026-03-20"),
            False,
            "2026-03-18",
        ),
        # A period that reaches past a settled Overview's last day.
        (steady(1, 20), ("2026-03-11", "2026-03-25"), False, "2026-03-20"),
        # A period that reaches past the data (a newer scrape sets its end): the days without
        # data after the provisional ones go with them.
        (steady(1, 20, (19, 20)), ("2026-03-11", "2026-03-25"), False, "2026-03-18"),
        # No daily data at all (a scraper-only account).
        ([], ("2026-03-01", "2026-03-20"), False, "2026-03-20"),
    ],
)
def test_the_settled_end_drops_the_provisional_tail_only(store, rows, period, include_provisional, expected):
    if rows:
        add_days(store, rows)
    else:
        add_videos(store, three_videos())
    assert settled_end(store, "brand", *period, include_provisional) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("rows", "include_provisional", "expected"),
    [
        (
            steady(1, 10, (9, 10)) + followers_after(11, 20),
            False,
            SettledCut(date(2026, 3, 8), True, date(2026, 3, 10)),
        ),
        (
            steady(1, 10, (9, 10)) + followers_after(11, 20),
            True,
            SettledCut(date(2026, 3, 10), False, date(2026, 3, 10)),
        ),
        (
            steady(1, 10) + followers_after(11, 20),
            False,
            SettledCut(date(2026, 3, 10), False, date(2026, 3, 10)),
        ),
        (steady(1, 20, (19, 20)), False, SettledCut(date(2026, 3, 18), True, None)),
        # Every Studio download: the Overview's last partial day is "undefined", the Followers file
        # has it; both provisional. That day is the tail's, not a reason to ask for a newer export.
        (
            steady(1, 19, (18, 19)) + followers_after(20, 20, (20,)),
            False,
            SettledCut(date(2026, 3, 17), True, None),
        ),
        # ... and with provisional days included it has no likes to count: cut, and named.
        (
            steady(1, 19, (18, 19)) + followers_after(20, 20, (20,)),
            True,
            SettledCut(date(2026, 3, 19), False, date(2026, 3, 19)),
        ),
        (steady(1, 20, (19, 20)), True, SettledCut(date(2026, 3, 20), False, None)),
    ],
)
def test_the_settled_cut_says_why_the_last_days_are_cut(store, rows, include_provisional, expected):
    add_days(store, rows)
    assert settled_cut(store, "brand", "2026-03-01", "2026-03-20", include_provisional) == expected


def test_a_period_ending_on_provisional_overview_days_then_followers_only_names_both(store):
    # The Overview ends on 2 provisional days (9-10 March); a newer Followers export runs to the
    # 20th. Most of the cut days have no likes at all: the note says so, not only "provisional".
    add_days(store, steady(1, 10, (9, 10)) + followers_after(11, 20))
    assert per_day_note(store, "brand", "2026-03-05", "2026-03-20") == (
        "Per-day figures compare 5 Mar – 8 Mar 2026 (4 days) with the 4 days before: the daily data of "
        "9 Mar – 10 Mar is provisional, as TikTok may still update it, and the files loaded have no Overview data "
        "after 10 Mar (upload a newer Overview export to include those days)."
    )
    # With provisional days included, only the days without Overview data are cut.
    assert per_day_note(store, "brand", "2026-03-05", "2026-03-20", include_provisional=True) == (
        "Per-day figures compare 5 Mar – 10 Mar 2026 (6 days) with the 6 days before: the files loaded have "
        "no Overview data after 10 Mar (upload a newer Overview export to include those days)."
    )
    likes = compare_periods(store, "brand", "2026-03-05", "2026-03-20", include_provisional=True)
    likes = likes.set_index(["grain", "name"]).loc[("per_day", "likes")]
    assert (likes["current"], likes["previous"], likes["period_days"]) == (60, 40, 6)  # March 1-4 only before


def test_a_steady_account_ending_on_provisional_days_is_compared_over_as_many_days(store):
    # 10 likes every day of March 1-20, the last 2 provisional (as every Studio export's are).
    # The 8 settled days of March 11-20 are compared with the 8 days before them, March 3-10:
    # no change, where 80 likes against the 100 of March 1-10 would read -20%.
    add_days(store, steady(1, 20, (19, 20)))
    table = compare_periods(store, "brand", "2026-03-11", "2026-03-20").set_index(["grain", "name"])
    likes = table.loc[("per_day", "likes")]
    assert (likes["current"], likes["previous"], likes["delta"]) == (80, 80, 0)
    assert (likes["current_rows"], likes["previous_rows"], likes["period_days"]) == (8, 8, 8)
    assert pd.isna(likes["coverage"])
    assert table.loc[("per_video", "videos"), "period_days"] == 10  # videos: the calendar period
    note = (
        "Per-day figures compare 11 Mar – 18 Mar 2026 (8 days) with the 8 days before: the daily data after "
        "18 Mar is provisional, as TikTok may still update it."
    )
    assert per_day_note(store, "brand", "2026-03-11", "2026-03-20") == note
    # A period that reaches past the data (a newer scrape sets its end): the same days compared,
    # the same words (no settled day follows the Overview's last: nothing else to name).
    assert per_day_note(store, "brand", "2026-03-11", "2026-03-25") == note
    # With the provisional days included, the whole periods are compared.
    included = compare_periods(store, "brand", "2026-03-11", "2026-03-20", include_provisional=True)
    likes = included.set_index(["grain", "name"]).loc[("per_day", "likes")]
    assert (likes["current"], likes["previous"], likes["period_days"]) == (100, 100, 10)
    assert per_day_note(store, "brand", "2026-03-11", "2026-03-20", include_provisional=True) is None


def test_a_previous_value_that_fails_its_rule_is_not_compared(store):
    add_days(store, days_of([100] * 7 + [2000] * 7, 20))
    rate = compare_periods(store, "brand", "2026-03-08", "2026-03-14").set_index(["grain", "name"])
    row = rate.loc[("per_day", "engagement_rate_by_follower")]
    assert row["current"] == pytest.approx(20 / 2000)
    assert pd.isna(row["delta"])
    assert row["comparison"].startswith("no earlier value: 100 followers on average")


# --- properties ------------------------------------------------------------------------------------

video_rows = st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 30)).map(
        lambda t: {"likes": min(t[0], t[1]), "views": max(t[0], t[1]), "day": t[2]}
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(video_rows)
def test_rates_stay_within_0_and_1_when_likes_never_exceed_views(rows):
    store = Store()
    add_videos(
        store,
        [
            {
                "video_id": str(i),
                "posted_at": f"2026-03-{r['day'] + 1:02d}",
                "likes": r["likes"],
                "views": r["views"],
            }
            for i, r in enumerate(rows)
        ],
    )
    add_days(
        store,
        [
            {"date": f"2026-03-{r['day'] + 1:02d}", "likes": r["likes"], "views": r["views"]}
            for r in {r["day"]: r for r in rows}.values()
        ],
    )
    for value in (video_kpis(store)["like_rate"], daily_kpis(store)["like_rate"]):
        assert value is None or 0 <= value <= 1
    store.close()


snapshots = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 500), st.integers(0, 9), st.integers(1, 3)
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=30, deadline=None)
@given(snapshots, st.randoms(use_true_random=False))
def test_the_order_files_arrive_in_changes_nothing(rows, random):
    # Each row is one snapshot of a video and of a day; files are cut per snapshot date.
    files = {}
    for key, likes, day, snapshot in rows:
        files.setdefault(snapshot, ([], []))
        files[snapshot][0].append(
            {"video_id": key, "posted_at": f"2026-03-{day + 1:02d}", "likes": likes, "views": likes * 10}
        )
        files[snapshot][1].append(
            {
                "date": f"2026-03-{day + 1:02d}",
                "likes": likes,
                "views": likes * 10 + 1,
                "followers": 1000 + likes,
            }
        )

    def results(order: list[int]) -> tuple:
        store = Store()
        for snapshot in order:
            videos, days = files[snapshot]
            add_videos(store, videos, snapshot=f"2026-04-0{snapshot}")
            add_days(store, days, snapshot=f"2026-04-0{snapshot}")
        out = (video_kpis(store), daily_kpis(store), kpis_by_account(store))
        store.close()
        return out

    order = sorted(files)
    shuffled = order[:]
    random.shuffle(shuffled)
    expected = results(order)
    for other in {tuple(shuffled), tuple(order[::-1])} - {tuple(order)}:
        got = results(list(other))
        assert expected[:2] == got[:2]
        pd.testing.assert_frame_equal(expected[2], got[2])


def test_kpi_values_are_plain_python_numbers(store):
    add_videos(store, three_videos())
    add_days(store, days_rows())
    for value in list(video_kpis(store).values()) + list(daily_kpis(store).values()):
        assert value is None or type(value) in (int, float)
    assert data_extent(store) == (date(2026, 3, 1), date(2026, 3, 3))


daily_rows = st.lists(
    st.tuples(st.integers(0, 5000), st.integers(0, 3000), st.integers(0, 3000), st.integers(0, 50)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(daily_rows)
def test_no_rate_is_ever_above_100_percent_and_a_rate_by_follower_always_has_its_base(rows):
    store = Store()
    add_days(
        store,
        [
            {
                "date": (date(2026, 1, 1) + pd.Timedelta(days=i)).isoformat(),
                "followers": followers,
                "likes": likes,
                "views": views,
                "comments": comments,
                "shares": 0,
            }
            for i, (followers, likes, views, comments) in enumerate(rows)
        ],
    )
    for result in daily_results(store, "brand").values():
        if result.kpi.is_rate:
            assert result.value is None or 0 <= result.value <= 1, result
            assert (result.value is None) == (result.reason is not None)
    rate = daily_results(store, "brand")["engagement_rate_by_follower"]
    counts = [f for f, likes, _, c in rows if f > 0]
    if rate.value is not None:
        assert rate.numerator is not None and rate.denominator is not None
        assert sum(counts) / len(counts) >= 1000 and max(counts) <= 2 * min(counts)
    weekly = daily_series(store, "brand", grain="week")
    for column in ("like_rate", "engagement_rate_by_view", "engagement_rate_by_follower"):
        assert weekly[column].dropna().between(0, 1).all()
    store.close()
