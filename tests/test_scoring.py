"""score(): the command line's JSON, worked out by hand."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import pytest

from data.shapes import SHAPES
from kpi_core.metrics.registry import kpi
from kpi_core.metrics.scope import data_extent
from kpi_core.metrics.scoring import score, score_accounts
from kpi_core.metrics.trends import daily_series, likes_trend
from kpi_core.metrics.values import daily_results_and_series
from kpi_core.store import Store


def add(store: Store, rows: list[dict], table: str, account: str = "brand") -> None:
    frame = pd.DataFrame(rows).assign(account=account, snapshot_date="2026-04-01")
    store.add_file(
        {
            "name": "x.csv",
            "kind": "mapped_daily",
            "account": account,
            "rows": len(frame),
            "accepted": len(frame),
            "rejected": 0,
        },
        frame,
        table,
        [],
    )


@pytest.fixture
def brand() -> Store:
    """@brand: 20 days (the 20th provisional) and 3 videos; @rival: one scraped video."""
    s = Store()
    add(
        s,
        [
            {
                "date": f"2026-03-{d:02d}",
                "likes": 10 * d,
                "views": 100 * d,
                "comments": 1,
                "shares": 2,
                "profile_views": 5,
                "followers": 1000 + d,
                "provisional": d == 20,
            }
            for d in range(1, 21)
        ],
        "daily_raw",
    )
    add(
        s,
        [
            {
                "video_id": "1",
                "posted_at": "2026-03-02 10:00",
                "likes": 10,
                "views": 100,
                "comments": 1,
                "shares": 0,
            },
            {
                "video_id": "2",
                "posted_at": "2026-03-05 10:00",
                "likes": 20,
                "views": 200,
                "comments": 2,
                "shares": 1,
            },
            {
                "video_id": "3",
                "posted_at": "2026-03-09 10:00",
                "likes": 30,
                "views": 300,
                "comments": 3,
                "shares": 2,
            },
        ],
        "videos_raw",
    )
    add(
        s,
        [{"video_id": "9", "posted_at": "2026-03-02", "likes": 1, "views": 1}],
        "videos_raw",
        account="rival",
    )
    yield s
    s.close()


def test_score_has_exactly_the_cli_shape_and_is_json(brand):
    result = score(brand)
    assert list(result) == [
        "account",
        "date_from",
        "date_to",
        "per_video",
        "per_day",
        "trend",
        "bases",
        "notes",
    ]
    assert list(result["per_video"]) == [
        "videos",
        "likes",
        "views",
        "comments",
        "shares",
        "like_rate",
        "engagement_rate_by_view",
        "likes_per_video_mean",
        "likes_per_video_median",
        "engagement_rate_by_follower",
    ]
    assert list(result["per_day"]) == [
        "days",
        "likes",
        "views",
        "comments",
        "shares",
        "profile_views",
        "like_rate",
        "engagement_rate_by_view",
        "followers_start",
        "followers_end",
        "engagement_rate_by_follower",
    ]
    assert {section: list(counts) for section, counts in result["bases"].items()} == {
        "per_video": list(result["per_video"]),
        "per_day": list(result["per_day"]),
    }
    assert list(result["trend"]) == ["slope_per_day", "low", "high", "verdict"]
    assert json.loads(json.dumps(result)) == result


def test_score_defaults_to_the_primary_account_and_its_whole_data(brand):
    result = score(brand)
    assert result["account"] == "brand"
    assert (result["date_from"], result["date_to"]) == ("2026-03-01", "2026-03-20")
    video = result["per_video"]
    assert (video["videos"], video["likes"], video["views"], video["comments"], video["shares"]) == (
        3,
        60,
        600,
        6,
        3,
    )
    assert video["like_rate"] == pytest.approx(0.1)
    assert video["engagement_rate_by_view"] == pytest.approx(69 / 600)
    assert video["likes_per_video_mean"] == 20 and video["likes_per_video_median"] == 20
    day = result["per_day"]
    # Day 20 is provisional: days 1..19, likes 10 * (1 + ... + 19) = 1900.
    assert (day["days"], day["likes"], day["views"]) == (19, 1900, 19000)
    assert (day["comments"], day["shares"], day["profile_views"]) == (19, 38, 95)
    assert day["like_rate"] == pytest.approx(0.1)
    assert day["engagement_rate_by_view"] == pytest.approx((1900 + 19 + 38) / 19000)
    assert (day["followers_start"], day["followers_end"]) == (1001, 1019)
    trend = result["trend"]
    assert trend["verdict"] == "rising"
    assert trend["slope_per_day"] == pytest.approx(10)
    assert trend["low"] > 0


def test_score_for_a_range_and_another_account(brand):
    result = score(brand, "brand", "2026-03-01", "2026-03-05")
    assert result["per_video"]["videos"] == 2 and result["per_day"]["days"] == 5
    assert result["trend"]["verdict"] == "not enough data" and result["trend"]["slope_per_day"] is None
    rival = score(brand, "rival")
    assert rival["per_video"]["likes"] == 1
    assert rival["per_day"]["days"] == 0 and rival["per_day"]["likes"] is None


def test_score_of_an_empty_store_is_all_missing():
    result = score(Store())
    assert result["account"] is None and result["date_from"] is None
    assert result["per_video"]["videos"] == 0 and result["per_video"]["like_rate"] is None
    assert result["trend"]["verdict"] == "not enough data"
    json.dumps(result)


def test_score_gives_the_rates_by_follower_on_the_average_follower_count(brand):
    result = score(brand)
    # Per day: (1,900 likes + 19 comments + 38 shares) over the 19 settled days, on the average of
    # 1,001..1,019 followers (1,010). Per video: 69 interactions over 3 videos, on the same average
    # of the settled days (the provisional day 20 counts in neither).
    assert result["per_day"]["engagement_rate_by_follower"] == pytest.approx(1957 / 19 / 1010)
    assert result["per_video"]["engagement_rate_by_follower"] == pytest.approx(69 / 3 / 1010)
    assert result["bases"]["per_day"]["engagement_rate_by_follower"] == 19
    assert result["bases"]["per_video"]["engagement_rate_by_follower"] == 3
    assert result["notes"] == {
        "per_day.days": "daily likes on 19 of the range's 20 days: the per-day figures cover those days "
        "only (other days have no Overview data, or are provisional)"
    }


def test_every_null_in_score_has_its_reason(brand):
    rival = score(brand, "rival")
    nulls = {
        f"{section}.{key}"
        for section in ("per_video", "per_day")
        for key, value in rival[section].items()
        if value is None
    }
    assert nulls and nulls <= set(rival["notes"])
    assert rival["notes"]["per_day.followers_start"] == "no data: no daily follower counts in the period"
    assert rival["notes"]["per_video.engagement_rate_by_follower"] == (
        "no data: no video of the period has both interactions and follower counts"
    )
    assert rival["notes"]["trend.slope_per_day"].startswith(
        "Not enough data for a trend in daily likes: no day of the range has one"
    )
    empty = score(Store())
    assert empty["notes"]["account"].startswith("no data to score")


def test_a_trend_fitted_on_weekly_averages_says_so_in_its_note():
    s = Store()
    days = pd.date_range("2025-01-06", periods=400)  # a Monday; 57 full weeks and one of 1 day
    add(s, [{"date": f"{d:%Y-%m-%d}", "likes": 100 + i // 7} for i, d in enumerate(days)], "daily_raw")
    long = score(s)
    assert long["trend"]["slope_per_day"] == pytest.approx(1 / 7) and long["trend"]["verdict"] == "rising"
    assert long["notes"]["trend.slope_per_day"] == (
        "fitted over 400 days, on 57 weekly averages (1 day left out: a week counts with at least 4 days "
        "of data): over more than 366 days the slope is fitted on weeks rather than days, because each "
        "day's likes carry into the next and fitting every day would overstate how sure the trend is"
    )
    year = score(s, date_from="2025-01-06", date_to="2026-01-06")
    assert year["trend"]["verdict"] == "rising" and "trend.slope_per_day" not in year["notes"]


@pytest.mark.parametrize("name", SHAPES)
def test_the_scores_trend_is_the_one_the_pages_fit(shape_run, name):
    # score() reads the trend's days with the per-day KPIs (values.daily_results_and_series); the
    # pages ask likes_trend for them apart. Both fit the same days: every shape, its whole data and
    # its last 28 days, give the same slope, interval, verdict and days.
    store = shape_run(name).store
    for account in store.accounts():
        first, last = data_extent(store, account)
        ranges = [(None, None)] + ([(last - timedelta(days=27), last)] if last else [])
        for start, end in ranges:
            scored = score(store, account, start, end)
            fitted = likes_trend(store, account, scored["date_from"], scored["date_to"])
            assert scored["trend"] == {
                "slope_per_day": fitted.slope_per_day,
                "low": fitted.low,
                "high": fitted.high,
                "verdict": fitted.verdict,
            }, (name, account, start)
            if fitted.slope_per_day is None:
                assert scored["notes"]["trend.slope_per_day"] == fitted.sentence
            assert scored["bases"]["per_day"]["likes"] == fitted.n_days


def test_the_series_read_with_the_per_day_kpis_is_the_daily_series():
    s = Store()
    add(
        s,
        [
            {"date": "2026-03-01", "likes": 5, "views": 50},
            {"date": "2026-03-02", "views": 40},  # a day without likes keeps its place, as None
            {"date": "2026-03-04", "likes": -2, "views": 10},  # a net count may be negative
        ],
        "daily_raw",
    )
    results, days, likes = daily_results_and_series(s, "brand", None, None, kpi("per_day", "likes"))
    assert days.dtype == "datetime64[D]"
    assert days.tolist() == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 4)]
    assert likes == [5, None, -2]
    assert results["likes"].value == 3 and results["views"].value == 100
    series = daily_series(s, "brand", grain="day", kpis=(kpi("per_day", "likes"),))
    assert list(series["first_day"].dt.date) == days.tolist()
    assert [None if pd.isna(v) else v for v in series["likes"]] == likes
    _, no_days, no_likes = daily_results_and_series(Store(), None, None, None, kpi("per_day", "likes"))
    assert (len(no_days), no_likes) == (0, [])
    with pytest.raises(ValueError, match="not a per-day sum"):
        daily_results_and_series(s, "brand", None, None, kpi("per_day", "like_rate"))


@pytest.mark.parametrize("name", SHAPES)
def test_every_account_scored_together_gets_the_dict_it_gets_alone(shape_run, name):
    # score_accounts reads the KPIs of every account in one statement each: the same dicts, to the
    # last digit (a sum of fractional follower counts is added in date order, whatever the grouping),
    # over each account's whole data, a range that starts in it, and a fixed range.
    store = shape_run(name).store
    first, last = data_extent(store, None)
    assert first is not None and last is not None
    ranges = [
        (None, None),
        (last - timedelta(days=27), None),
        (first + timedelta(days=10), last - timedelta(days=3)),
    ]
    for start, end in ranges:
        together = score_accounts(store, start, end)
        assert list(together) == store.accounts(), name  # the primary account first
        for account in store.accounts():
            alone = score(store, account, start, end)
            assert json.dumps(together[account], sort_keys=True) == json.dumps(alone, sort_keys=True), (
                name,
                account,
                start,
            )


def test_an_account_without_dated_data_is_scored_alone_with_its_undated_videos(brand):
    # @undated's one video has no posting time: its data has no span, and score() over an open
    # range counts the video. Read with the others over their span, it would be left out.
    add(brand, [{"video_id": "u1", "likes": 7, "views": 70}], "videos_raw", account="undated")
    together = score_accounts(brand)
    assert list(together) == ["brand", "rival", "undated"]
    assert together["undated"] == score(brand, "undated")
    assert together["undated"]["per_video"]["videos"] == 1 and together["undated"]["per_video"]["likes"] == 7
    assert together["undated"]["date_from"] is None
    assert together["brand"] == score(brand, "brand") and together["brand"]["per_video"]["videos"] == 3
    assert together["rival"] == score(brand, "rival") and together["rival"]["per_day"]["days"] == 0
    assert score_accounts(Store()) == {}


def test_accounts_read_in_several_statements_get_the_dicts_they_get_alone(monkeypatch):
    # Ten accounts' days a statement (values.ACCOUNTS_PER_STATEMENT): here two, over five accounts
    # of different lengths and follower counts, so that the batches split them 2, 2 and 1.
    from kpi_core.metrics import values

    monkeypatch.setattr(values, "ACCOUNTS_PER_STATEMENT", 2)
    s = Store()
    for k, handle in enumerate(("ann", "bob", "cyd", "dee", "eve")):
        days = 30 + 20 * k
        rows = [
            {
                "date": (date(2026, 1, 1) + timedelta(days=d)).isoformat(),
                "likes": 10 + k + d % 7,
                "views": 200 + d,
                "followers": 1000 + 37 * k + d,
            }
            for d in range(days)
        ]
        add(s, rows, "daily_raw", account=handle)
    together = score_accounts(s)
    assert list(together) == s.accounts() and len(together) == 5
    for handle in s.accounts():
        assert together[handle] == score(s, handle), handle
    assert together["eve"]["per_day"]["days"] == 110 and together["ann"]["per_day"]["days"] == 30
    s.close()
