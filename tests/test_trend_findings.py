"""When the Trends page's charts carry no information: the sentence that replaces each, with its counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kpi_core.metrics import trends
from kpi_core.metrics.trend_findings import correlation_finding, period_finding, rolling_finding
from kpi_core.metrics.trends import MIN_TREND_DAYS, daily_series, lagged_correlation, rolling_means
from tests.conftest import add_days

MONDAY = date(2026, 3, 2)


def days(n: int, start: date = MONDAY) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


def steady(n: int, start: date = MONDAY) -> list[dict]:
    """`n` days with likes 1..n, views ten times that, and profile views and followers that move too."""
    return [
        {
            "date": d,
            "likes": i + 1,
            "views": 10 * (i + 1),
            "profile_views": (i * 7) % 5,
            "followers": 100 + i * (i % 3),
        }
        for i, d in enumerate(days(n, start))
    ]


# --- period bars -----------------------------------------------------------------------------------


def test_days_in_one_week_are_a_sentence_not_a_single_bar(store):
    add_days(store, steady(5))  # Monday to Friday of one week
    found = period_finding(store, "brand", grain="week")
    assert len(found.table) == 1
    assert found.reason == (
        "All 5 days with data fall in one week (2 Mar 2026 – 6 Mar 2026), so a chart would be a single bar: "
        "the table below has its totals. To see a change, group by day, or upload an Overview export that "
        "covers two weeks or more."
    )
    assert period_finding(store, "brand", grain="day").shown  # five bars, one per day


def test_a_single_day_is_a_sentence_for_every_grain(store):
    add_days(store, steady(1))
    assert period_finding(store, "brand", grain="day").reason == (
        "The period has 1 day of data (2 Mar 2026), so a chart would be a single bar: the table below has its "
        "totals. To see a change, an Overview export that covers two days or more."
    )


def test_days_without_any_like_are_a_sentence(store):
    add_days(store, [{"date": d, "likes": 0, "views": 3} for d in days(10)])
    found = period_finding(store, "brand", grain="week")
    assert found.table["likes"].tolist() == [0, 0]
    assert found.reason is not None
    assert found.reason.startswith(
        "No likes on any of the 10 days in this period, so there is nothing to chart"
    )


def test_days_without_a_like_count_say_so_not_0_days(store):
    # An older Overview export: views, no likes column. It read "No likes on any of the 0 days",
    # "7 more days would start the first" and "0 days, at least 14 are needed".
    add_days(store, [{"date": d, "views": 30 + i} for i, d in enumerate(days(60))])
    assert period_finding(store, "brand", grain="week").reason == (
        "No day in this period has a like count (older Overview exports may carry views only), so there is "
        "nothing to chart: the table below has the views, comments and followers of each week."
    )
    assert rolling_finding(store, "brand").reason == (
        "No day in this period has a like count, so there are no rolling means of likes."
    )
    assert trends.likes_trend(store, "brand").sentence == (
        "Not enough data for a trend in daily likes: no day of the range has one, at least 14 days are needed."
    )


def test_two_weeks_with_likes_are_charted(store):
    add_days(store, steady(10))
    found = period_finding(store, "brand", grain="week")
    assert found.shown
    assert found.table["likes"].tolist() == daily_series(store, "brand", grain="week")["likes"].tolist()


def test_no_daily_totals_is_an_empty_table_the_page_explains(store):
    found = period_finding(store, "brand")
    assert found.table.empty and found.shown


# --- rolling means ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "more"), [(1, "6 more days"), (5, "2 more days"), (6, "1 more day")])
def test_fewer_days_than_the_shortest_window_are_a_sentence(store, n, more):
    add_days(store, steady(n))
    found = rolling_finding(store, "brand")
    assert found.table["likes_7d"].isna().all()
    assert found.reason == (
        f"The period has {n} day{'s' if n > 1 else ''} of likes: a 7-day mean needs 7 days and a 28-day mean "
        f"28, so {more} would start the first."
    )


def test_a_week_of_likes_starts_the_rolling_means(store):
    add_days(store, steady(7))
    found = rolling_finding(store, "brand")
    assert found.shown
    assert found.table["likes_7d"].tolist()[-1] == pytest.approx(
        rolling_means(store, "brand")["likes_7d"].iloc[-1]
    )
    assert found.table["likes_7d"].tolist()[-1] == pytest.approx(4.0)  # mean of 1..7


def test_rolling_means_of_zero_likes_are_a_sentence(store):
    add_days(store, [{"date": d, "likes": 0, "views": 3} for d in days(9)])
    assert rolling_finding(store, "brand").reason == (
        "No likes on any of the 9 days in this period: every rolling mean is 0."
    )


# --- lagged correlations ---------------------------------------------------------------------------


def test_every_lag_blank_for_want_of_days_says_how_many_days_pair(store):
    add_days(store, [{k: v for k, v in row.items() if k != "followers"} for row in steady(5)])
    found = correlation_finding(store, "brand")
    assert found.table["r"].isna().all()
    assert found.reason == (
        f"No lag has the {MIN_TREND_DAYS} paired days a correlation needs: daily likes pair with later profile "
        "views on 5 days at most and with net follower change on 0 days. An Overview export of 14 days or more "
        "(with FollowerHistory for the followers) would allow it."
    )


def test_series_that_never_change_blank_every_lag_and_say_so(store):
    add_days(store, [{"date": d, "likes": 0, "views": 3, "profile_views": 0} for d in days(20)])
    found = correlation_finding(store, "brand")
    assert found.table["r"].isna().all()
    assert found.reason is not None and found.reason.startswith(
        "Daily likes, profile views or follower changes never"
    )


def test_likes_on_too_few_days_make_no_correlation(store):
    # 30 days, likes on 4 of them: the rank correlation exists, but it mostly ranks tied zero days.
    rows = [
        {"date": d, "likes": 5 if i % 7 == 0 else 0, "views": 9, "profile_views": i % 4}
        for i, d in enumerate(days(30))
    ]
    add_days(store, rows)
    found = correlation_finding(store, "brand")
    assert found.table["r"].notna().any()
    assert found.reason == (
        "Likes came on only 5 of the 30 days, so a correlation would mostly compare days without likes: "
        f"it needs likes on at least {MIN_TREND_DAYS} days."
    )


def test_a_correlation_with_likes_on_enough_days_is_shown(store):
    add_days(store, steady(21))
    found = correlation_finding(store, "brand")
    assert found.shown
    expected = lagged_correlation(store, "brand").table
    assert found.table["r"].tolist() == pytest.approx(expected["r"].tolist(), nan_ok=True)
