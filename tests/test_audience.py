"""The Audience core on hand-made rows whose answers can be worked out on paper: shares of followers,
new against returning viewers, follower activity by weekday and hour, posting hours against the
followers' busiest hours, and the one sentence each gives when there is nothing to show."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from kpi_core.metrics import audience
from kpi_core.metrics.audience import hour_spans
from kpi_core.store import Store
from tests.conftest import add_days, add_rows, add_videos

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def shares(store: Store, dimension: str, values: dict[str, float], snapshot: str = "2026-04-01") -> None:
    kind = "studio_follower_gender" if dimension == "gender" else "studio_follower_territories"
    rows = [{"dimension": dimension, "key": k, "share": v} for k, v in values.items()]
    add_rows(store, "audience_raw", kind, rows, snapshot=snapshot)


def activity(store: Store, days: list[date], value: object) -> None:
    """FollowerActivity rows: `value(day, hour)` followers online."""
    rows = [
        {"date": d.isoformat(), "hour": h, "active_followers": value(d, h)}  # type: ignore[operator]
        for d in days
        for h in range(24)
    ]
    add_rows(store, "follower_activity_raw", "studio_follower_activity", rows)


def week(first: date, n: int = 7) -> list[date]:
    return [first + timedelta(days=i) for i in range(n)]


# --- gender and territories -------------------------------------------------------------------------


def test_the_gender_split_is_the_newest_export_largest_share_first(store):
    shares(store, "gender", {"Female": 0.40, "Male": 0.58, "Other": 0.02}, snapshot="2026-02-01")
    shares(store, "gender", {"Female": 0.56, "Male": 0.41, "Other": 0.03}, snapshot="2026-04-01")
    found = audience.gender_finding(store, "brand")
    assert found.shown and found.table["key"].tolist() == ["Female", "Male", "Other"]
    assert found.table["share"].tolist() == pytest.approx([0.56, 0.41, 0.03])
    assert (
        found.summary == "Female 56.0%, Male 41.0%, Other 3.0% of followers, as of the export of 1 Apr 2026."
    )
    assert found.notes == ()


def test_shares_that_do_not_add_up_say_so(store):
    shares(store, "gender", {"Female": 0.5, "Male": 0.4})
    assert audience.gender_finding(store, "brand").notes == (
        "The shares add up to 90.0%, not 100%: as TikTok wrote them.",
    )


def test_top_territories_are_named_and_the_rest_of_the_following_is_stated(store):
    shares(store, "territory", {"GR": 0.381, "CY": 0.05, "QQ": 0.04})
    found = audience.territory_finding(store, "brand")
    assert found.table["name"].tolist() == ["Greece (GR)", "Cyprus (CY)", "QQ"]
    assert found.summary == (
        "As of the export of 1 Apr 2026, the top 3 territories hold 47.1% of followers; TikTok does not "
        "break down the other 52.9%."
    )


def test_territories_that_cover_everyone_leave_nothing_unlisted(store):
    shares(store, "territory", {"US": 0.6, "GB": 0.4})
    assert audience.territory_finding(store, "brand").summary == (
        "As of the export of 1 Apr 2026, the top 2 territories hold 100.0% of followers."
    )


def test_a_header_only_file_is_a_sentence_that_names_it_and_the_follower_count(store):
    add_days(store, [{"date": "2026-03-01", "followers": 64}])
    add_rows(store, "audience_raw", "studio_follower_gender", [])
    add_rows(store, "audience_raw", "studio_follower_territories", [])
    gender, places = audience.gender_finding(store, "brand"), audience.territory_finding(store, "brand")
    assert gender.reason == (
        "FollowerGender.csv came with its header and no rows: TikTok leaves follower gender out for small "
        "accounts (this account has 64 followers), so there is nothing to chart yet."
    )
    assert places.reason is not None and places.reason.startswith(
        "FollowerTopTerritories.csv came with its header"
    )
    assert gender.table.empty and places.summary is None


def test_no_audience_file_at_all_says_where_it_comes_from(store):
    add_days(store, [{"date": "2026-03-01", "likes": 3}])
    assert audience.gender_finding(store, "brand").reason == (
        "No follower gender for this account yet: it comes in FollowerGender.csv, part of TikTok Studio's "
        "Followers download, and none has been uploaded."
    )
    assert audience.viewers_finding(store, "brand", *MARCH).reason == (
        "No new and returning viewers for this account yet: they come in Viewers.csv, part of TikTok "
        "Studio's Viewers download, and none has been uploaded."
    )


def test_shares_of_zero_are_no_split(store):
    shares(store, "gender", {"Female": 0.0, "Male": 0.0})
    assert audience.gender_finding(store, "brand").reason == (
        "FollowerGender.csv gives every gender a share of 0%, so it shows no split."
    )


def test_a_2022_gender_file_in_percent_reads_as_fractions(shape_run):
    run = shape_run("legacy_2022")
    found = audience.gender_finding(run.store, run.shape.truth["account"])
    assert found.table["share"].tolist() == pytest.approx([0.51, 0.48, 0.01])
    assert found.summary is not None
    assert found.summary.startswith("Female 51.0%, Male 48.0%, Other 1.0% of followers, as of the export of ")


def test_tiny_has_header_only_gender_and_territories_and_download_28d_has_both(shape_run):
    tiny, full = shape_run("tiny"), shape_run("download_28d")
    for found in (audience.gender_finding(tiny.store), audience.territory_finding(tiny.store)):
        assert found.reason is not None and "came with its header and no rows" in found.reason
        assert "64 followers" in found.reason
    assert audience.gender_finding(full.store).shown and audience.territory_finding(full.store).shown


# --- new and returning viewers --------------------------------------------------------------------------


def viewers(store: Store) -> None:
    """Mon 2 - Sun 8 March: 70 new + 30 returning a day; Mon 9 - Sat 14: 150 + 50; Sun 15: undefined."""
    rows = [
        {"date": d.isoformat(), "total_viewers": 100, "new_viewers": 70, "returning_viewers": 30}
        for d in week(date(2026, 3, 2))
    ] + [
        {"date": d.isoformat(), "total_viewers": 200, "new_viewers": 150, "returning_viewers": 50}
        for d in week(date(2026, 3, 9), 6)
    ]
    rows.append({"date": "2026-03-15", "total_viewers": None, "new_viewers": None, "returning_viewers": None})
    add_days(store, rows)


def test_viewers_per_week_are_means_and_the_returning_share_is_a_ratio_of_sums(store):
    viewers(store)
    add_days(
        store, [{"date": "2026-01-05", "total_viewers": 100, "new_viewers": 70, "returning_viewers": 30}]
    )
    found = audience.viewers_finding(store, "brand", date(2026, 3, 1), date(2026, 3, 31))
    assert found.grain == "day"  # March alone: two weeks of counts
    found = audience.viewers_finding(store, "brand", date(2026, 1, 1), date(2026, 3, 31))
    assert found.grain == "week"  # 5 January to 14 March
    table = found.table
    assert table["period"].tolist() == [pd.Timestamp(d) for d in ("2026-01-05", "2026-03-02", "2026-03-09")]
    assert table["days"].tolist() == [1, 7, 6]  # the undefined Sunday is missing, not 0
    assert table["new_per_day"].tolist() == [70, 70, 150] and table["returning_per_day"].tolist() == [
        30,
        30,
        50,
    ]
    assert table["returning_share"].tolist() == pytest.approx([0.3, 0.3, 0.25])
    # (30 + 7 x 30 + 6 x 50) / (100 + 7 x 100 + 6 x 200) = 540 / 2000
    assert found.summary is not None and found.summary.startswith(
        "Over the 14 days with viewer counts, 27.0% of viewers were returning and 73.0% new"
    )


def long_viewers(store: Store) -> None:
    """36 days of 100 viewers, 20 of them returning, from Monday 2 February."""
    add_days(
        store,
        [
            {"date": d.isoformat(), "total_viewers": 100, "new_viewers": 80, "returning_viewers": 20}
            for d in week(date(2026, 2, 2), 36)
        ],
    )


def test_viewers_over_five_weeks_or_less_are_daily_whatever_the_period(store):
    viewers(store)
    for start in (date(2026, 3, 2), date(2025, 1, 1)):  # a year-long period with two weeks of counts
        found = audience.viewers_finding(store, "brand", start, date(2026, 3, 31))
        assert found.grain == "day" and len(found.table) == 13
        assert found.table["total_per_day"].sum() == 7 * 100 + 6 * 200


def test_viewers_spanning_more_than_five_weeks_are_weekly(store):
    long_viewers(store)
    found = audience.viewers_finding(store, "brand", date(2026, 1, 1), date(2026, 3, 31))
    assert found.grain == "week" and found.table["days"].tolist() == [7, 7, 7, 7, 7, 1]


def test_a_period_without_viewer_counts_names_the_days_that_have_them(store):
    viewers(store)
    assert audience.viewers_finding(store, "brand", date(2026, 4, 1), date(2026, 4, 30)).reason == (
        "Viewers.csv has counts for 2 Mar 2026 – 14 Mar 2026, none in this period: pick a period that "
        "includes those days."
    )


def test_viewer_counts_of_zero_are_a_sentence(store):
    add_days(
        store,
        [
            {"date": f"2026-03-0{d}", "total_viewers": 0, "new_viewers": 0, "returning_viewers": 0}
            for d in (1, 2)
        ],
    )
    assert audience.viewers_finding(store, "brand", *MARCH).reason == (
        "Viewers.csv counts no viewers on any of the 2 days in this period."
    )


# --- follower activity ---------------------------------------------------------------------------------


def thursday_evenings(peak: int):  # type: ignore[no-untyped-def]
    return lambda d, h: peak if (d.isoweekday(), h) == (4, 20) else 10


def test_a_week_of_activity_is_one_count_per_weekday_and_names_the_busiest_hour(store):
    activity(store, week(date(2026, 3, 9)), thursday_evenings(500))
    found = audience.activity_finding(store, "brand", *MARCH)
    assert len(found.table) == 7 * 24 and set(found.table["days"]) == {1}
    thursday = found.table[(found.table["weekday_name"] == "Thursday") & (found.table["hour"] == 20)]
    assert thursday["active_followers"].tolist() == [500]
    assert found.summary == (
        "FollowerActivity covers 9 Mar 2026 – 15 Mar 2026 (7 days): TikTok keeps only the last 7 days "
        "before each export, so each weekday is one day's count, not an average over weeks. The busiest "
        "hour: Thursday at 20:00, with 500 followers online."
    )


def test_two_exports_of_activity_average_each_weekday_over_its_days(store):
    activity(store, week(date(2026, 3, 2)), thursday_evenings(300))
    activity(store, week(date(2026, 3, 9)), thursday_evenings(500))
    found = audience.activity_finding(store, "brand", *MARCH)
    assert set(found.table["days"]) == {2}
    assert found.summary is not None and found.summary.endswith(
        "(14 days): TikTok keeps only the last 7 days before each export; uploads of several exports add "
        "up, and each cell is the mean over its weekday's days. The busiest hour: Thursday at 20:00, with "
        "400 followers online."
    )


def test_activity_outside_the_period_or_all_zero_is_a_sentence(store):
    activity(store, week(date(2026, 3, 9)), lambda d, h: 0)
    assert audience.activity_finding(store, "brand", *MARCH).reason == (
        "FollowerActivity counts no follower online in any hour of 9 Mar 2026 – 15 Mar 2026, so there is no "
        "busy time to show yet."
    )
    assert audience.activity_finding(store, "brand", date(2026, 5, 1), date(2026, 5, 31)).reason == (
        "FollowerActivity covers 9 Mar 2026 – 15 Mar 2026 (TikTok keeps only the last 7 days before each "
        "export), none of it in this period: pick a period that includes those days."
    )


# --- posting hours against the followers' hours -----------------------------------------------------------


def evening_followers(store: Store) -> None:
    """One day: 100 followers online each hour from 18:00 to midnight, 10 in the other 18 hours (780)."""
    activity(store, [date(2026, 3, 12)], lambda d, h: 100 if h >= 18 else 10)


def posted(store: Store, hours: list[int], known: bool = True, zone: str | None = None) -> None:
    add_videos(
        store,
        [
            {
                "posted_at": datetime(2026, 3, 10, h),
                "posted_time_known": known,
                "posted_zone": zone,
                "likes": 10,
                "views": 100,
            }
            for h in hours
        ],
    )


def test_posting_hours_in_the_followers_busiest_hours_are_counted_against_their_share(store):
    evening_followers(store)
    posted(store, [19, 20, 21, 9, 10])
    found = audience.posting_match_finding(store, "brand", *MARCH)
    assert found.shown and found.table["hour"].tolist() == list(range(24))
    assert found.table.loc[found.table["peak"], "hour"].tolist() == [18, 19, 20, 21, 22, 23]
    assert found.table["follower_share"].sum() == pytest.approx(1.0)
    assert found.table.set_index("hour").loc[[9, 19], "video_share"].tolist() == [0.2, 0.2]
    # 3 of 5 videos in 18:00-24:00, which hold 600 / 780 of the activity.
    assert found.summary == (
        "3 of the 5 videos with a posting hour (60.0%) went up in the followers' 6 busiest hours "
        "(18:00–00:00), which hold 76.9% of their activity; posting at random hours would put 25.0% of "
        "videos there."
    )
    assert found.notes == (
        "Follower hours come from FollowerActivity's 12 Mar 2026; posting hours from the videos posted in "
        "the whole period.",
    )


def test_scraped_times_in_utc_are_flagged_until_the_account_has_a_time_zone(store):
    evening_followers(store)
    posted(store, [19, 20, 21, 9, 10], zone="UTC")
    assert any("UTC" in n for n in audience.posting_match_finding(store, "brand", *MARCH).notes)
    store.set_time_zone("brand", "UTC")
    assert not any("UTC" in n for n in audience.posting_match_finding(store, "brand", *MARCH).notes)


@pytest.mark.parametrize(
    ("hours", "known", "reason"),
    [
        (
            [19, 20, 21, 9, 10],
            False,
            "The 5 videos posted in this period have a posting date but no hour: TikTok Studio's Content "
            "export gives dates only. A scraper export of the account (Apify, for example) adds the time of day.",
        ),
        (
            [19, 20, 21, 9],
            True,
            "Only 4 videos have a posting hour in this period: comparing posting hours with the followers' "
            "hours needs at least 5, so 1 more video would allow it.",
        ),
        (
            [],
            True,
            "No video list: none of the files lists this account's videos (TikTok Studio's Content export, a "
            "scrape or TikTok's data archive does). There are no posting hours to compare.",
        ),  # not "no videos were posted": nothing lists them (tests/test_content.py)
    ],
)
def test_posting_hours_that_cannot_be_compared_are_one_sentence(store, hours, known, reason):
    evening_followers(store)
    if hours:
        posted(store, hours, known=known)
    found = audience.posting_match_finding(store, "brand", *MARCH)
    assert found.reason == reason and found.table.empty


def test_posting_hours_without_follower_activity_say_where_it_comes_from(store):
    add_days(store, [{"date": "2026-03-01", "likes": 1}])
    posted(store, [19, 20, 21, 9, 10])
    assert audience.posting_match_finding(store, "brand", *MARCH).reason == (
        "Posting hours need the followers' hours to compare with. No follower activity for this account yet: "
        "it comes in FollowerActivity.csv, part of TikTok Studio's Followers download, and none has been uploaded."
    )


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        ([20], "20:00–21:00"),
        ([18, 19, 20, 21, 22, 23], "18:00–00:00"),
        ([23, 0, 1, 12], "12:00–13:00 and 23:00–02:00"),
        ([7, 9, 11], "07:00–08:00, 09:00–10:00 and 11:00–12:00"),
        (list(range(24)), "all day"),
    ],
)
def test_hours_are_written_as_spans_of_clock_time(hours, text):
    assert hour_spans(hours) == text


def test_an_account_known_only_from_scrapers_gets_one_sentence_for_the_page(store):
    posted(store, [19, 20, 21, 9, 10], zone="UTC")
    # It names what is missing, not the files' source: a "Download your data" archive gets it too.
    assert audience.studio_reason(store, "brand") == (
        "This account's files hold no TikTok Studio download: follower gender, territories, activity and "
        "new against returning viewers come only from the account owner's Studio exports (the Followers "
        "and Viewers downloads), which the files loaded do not include."
    )
    add_rows(store, "follower_activity_raw", "studio_follower_activity", [])
    assert audience.studio_reason(store, "brand") is None
