"""Published benchmarks beside the account's engagement rate on the same definition."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kpi_core.metrics.benchmarks import BENCHMARKS_CSV, benchmark_comparison, load_benchmarks
from kpi_core.metrics.scope import NO_VIDEO_LIST
from kpi_core.store import Store
from tests.conftest import add_days


def add(store: Store, rows: list[dict], table: str) -> None:
    frame = pd.DataFrame(rows).assign(account="brand", snapshot_date="2026-04-01")
    store.add_file(
        {
            "name": "x.csv",
            "kind": "mapped_videos",
            "account": "brand",
            "rows": len(frame),
            "accepted": len(frame),
            "rejected": 0,
        },
        frame,
        table,
        [],
    )


def test_the_shipped_table_loads_with_fractions_and_statistics():
    table = load_benchmarks()
    assert BENCHMARKS_CSV.name == "benchmarks.csv"
    assert len(table) > 0
    assert set(table["metric"]) == {"engagement_rate_by_view", "engagement_rate_by_follower"}
    assert set(table["statistic"]) == {"median", "average"}
    assert table["value"].between(0, 1).all()
    rival = table[
        (table["source"] == "Rival IQ")
        & (table["year"] == 2024)
        & (table["metric"] == "engagement_rate_by_view")
        & (table["segment"] == "all industries")
    ]
    assert rival["value"].tolist() == pytest.approx([0.034])


def test_the_account_is_compared_on_the_same_definition(store):
    # Per-post (likes + comments + shares) / views: 10/100 = 0.1, 40/200 = 0.2, 180/300 = 0.6
    # -> median 0.2, mean 0.3. By follower (1000 that day): 0.01, 0.04, 0.18 -> median 0.04, mean 0.0766...
    add(store, [{"date": "2026-03-01", "followers": 1000}], "daily_raw")
    add(
        store,
        [
            {
                "video_id": "1",
                "posted_at": "2026-03-01",
                "likes": 8,
                "comments": 1,
                "shares": 1,
                "views": 100,
            },
            {
                "video_id": "2",
                "posted_at": "2026-03-01",
                "likes": 30,
                "comments": 5,
                "shares": 5,
                "views": 200,
            },
            {
                "video_id": "3",
                "posted_at": "2026-03-01",
                "likes": 150,
                "comments": 20,
                "shares": 10,
                "views": 300,
            },
        ],
        "videos_raw",
    )
    benchmarks = pd.DataFrame(
        {
            "source": ["A", "B", "C", "D"],
            "year": 2024,
            "metric": ["engagement_rate_by_view"] * 2 + ["engagement_rate_by_follower"] * 2,
            "definition": "x",
            "statistic": ["median", "average"] * 2,
            "segment": "all",
            "value": [0.034, 0.05, 0.026, 0.04],
        }
    )
    table = benchmark_comparison(store, "brand", benchmarks=benchmarks)
    assert table["account_value"].tolist() == pytest.approx([0.2, 0.3, 0.04, 0.23 / 3])
    assert table["difference"].tolist() == pytest.approx(
        [0.2 - 0.034, 0.3 - 0.05, 0.04 - 0.026, 0.23 / 3 - 0.04]
    )


def test_an_account_without_followers_has_no_value_by_follower(store):
    add(
        store,
        [{"video_id": "1", "posted_at": "2026-03-01", "likes": 8, "comments": 1, "shares": 1, "views": 100}],
        "videos_raw",
    )
    table = benchmark_comparison(store, "brand")
    by_follower = table[table["metric"] == "engagement_rate_by_follower"]
    assert by_follower["account_value"].isna().all()
    by_view = table[table["metric"] == "engagement_rate_by_view"]
    assert by_view["account_value"].tolist() == pytest.approx([0.1] * len(by_view))
    assert len(table) == len(load_benchmarks())
    assert not math.isnan(by_view["difference"].iloc[0])


def test_an_account_without_a_video_list_says_so_not_that_no_video_has_views(store):
    add_days(store, [{"date": "2026-03-01", "likes": 8, "views": 100, "comments": 1, "shares": 1}])
    table = benchmark_comparison(store, "brand")
    assert table["account_value"].isna().all()
    assert set(table["account_note"]) == {NO_VIDEO_LIST}


def test_a_goal_on_engagement_by_view_is_compared_with_the_median_published_for_its_accounts():
    from kpi_core.metrics.benchmarks import BenchmarkFit, goal_benchmark

    # Any size: the newest median for brands of every size (Rival IQ 2023, 2022 data); 5K+ followers:
    # Rival IQ 2024 (2023 data), published for brands with at least 5k followers.
    assert goal_benchmark("engagement_rate_by_view") == 0.0414
    assert goal_benchmark("engagement_rate_by_view", BenchmarkFit(follower_band="5k-100k")) == 0.034
    assert goal_benchmark("like_rate") is None  # no vendor publishes a like rate
