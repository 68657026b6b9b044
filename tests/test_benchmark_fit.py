"""Which published benchmarks fit the account (industry and follower band), the default from its
follower count, the fit read from a link or a workspace file, and the fitting benchmark in the goal
verdict and the suggested targets."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from kpi_core.metrics import benchmarks
from kpi_core.metrics.benchmarks import (
    FOLLOWER_BANDS,
    BenchmarkFit,
    default_fit,
    fit_table,
    goal_benchmark,
    goal_reference,
    load_benchmarks,
    read_fit,
)
from kpi_core.planning.assessment import assess_in_store
from kpi_core.planning.baseline import load_baseline
from kpi_core.planning.forecast import simulate
from kpi_core.planning.goals import Goal
from kpi_core.planning.suggestions import suggested_targets
from tests.conftest import add_days, add_videos

INF = math.inf


@pytest.mark.parametrize(
    ("segment", "population", "low", "high"),
    [
        ("<100K followers", "creators", 0, 1e5),
        ("100K-500K followers", "creators", 1e5, 5e5),
        ("10M+ followers", "creators", 1e7, INF),
        ("all industries", "brands with >=5k followers", 5e3, INF),
        ("accounts >1M followers", "brands with >1M followers", 1e6, INF),
        ("accounts <5k followers", "brands with <5k followers", 0, 5e3),
        ("Fashion", "brands", 0, INF),
        ("all industries", "600k videos", 0, INF),  # 600k videos is not a follower range
    ],
)
def test_a_rows_follower_range_is_read_from_its_segment_or_population(segment, population, low, high):
    assert benchmarks._follower_range(segment, population) == (low, high)


def test_every_band_lies_wholly_inside_or_outside_every_published_range():
    table = load_benchmarks()
    edges = {b.low for b in FOLLOWER_BANDS.values()} | {b.high for b in FOLLOWER_BANDS.values()}
    assert set(table["followers_low"]) | set(table["followers_high"]) <= edges


def test_industries_are_the_published_segments_that_are_not_follower_ranges():
    names = benchmarks.industries()
    assert list(names)[0] == "all" and names["tech-software"] == "Tech & Software"
    assert len(names) == 13  # all industries and Rival IQ's 12
    assert not any("followers" in n for n in names.values())


@pytest.mark.parametrize(
    ("fit", "value", "label"),
    [
        (BenchmarkFit(), 0.0414, "Rival IQ 2023's median per post for brands in all industries"),
        (
            BenchmarkFit(follower_band="5k-100k"),
            0.034,
            "Rival IQ 2024's median per post for brands with >=5k followers in all industries",
        ),
        (
            BenchmarkFit(follower_band="under-5k"),
            0.038,
            "Rival IQ 2023's median per post for brands with <5k followers in all industries",
        ),
        (
            BenchmarkFit(follower_band="1m-5m"),
            0.075,
            "Rival IQ 2023's median per post for brands with >1M followers in all industries",
        ),
        (BenchmarkFit("fashion", "5k-100k"), 0.027, "Rival IQ 2024's median per post for Fashion brands"),
        (BenchmarkFit("travel", "1m-5m"), 0.03, "Rival IQ 2024's median per post for Travel brands"),
    ],
)
def test_the_goal_benchmark_is_the_fitting_median_that_matches_on_the_most(fit, value, label):
    reference = goal_reference("engagement_rate_by_view", fit)
    assert reference is not None and reference.value == pytest.approx(value) and reference.label == label
    assert goal_benchmark("engagement_rate_by_view", fit) == pytest.approx(value)


@pytest.mark.parametrize("metric", ["likes", "like_rate", "likes_per_video", "followers"])
def test_no_benchmark_applies_to_goals_outside_engagement_rate_by_view(metric):
    assert goal_benchmark(metric, BenchmarkFit("fashion", "5k-100k")) is None


def test_fit_table_marks_the_rows_that_fit_and_says_why_the_others_do_not():
    table = fit_table(load_benchmarks(), BenchmarkFit("fashion", "5k-100k"))
    fitting = table[table["fits"]]
    assert sorted(fitting["segment"].unique()) == ["<100K followers", "Fashion", "all industries"]
    assert set(fitting["population"]) >= {"brands with >=5k followers", "brands"}
    assert fitting["fit_note"].isna().all()
    others = table[~table["fits"]].set_index("segment")
    assert others.loc["Travel", "fit_note"] == "Travel only"
    assert others.loc["accounts <5k followers", "fit_note"] == "accounts with under 5K followers only"
    assert others.loc["100K-500K followers", "fit_note"] == "accounts with 100K–500K followers only"
    # One row per goal metric is what goals are compared with: here the Fashion median by view.
    used = table[table["goal_reference"]]
    assert used[["metric", "segment"]].values.tolist() == [["engagement_rate_by_view", "Fashion"]]
    assert len(table) == len(load_benchmarks())


@pytest.mark.parametrize(
    ("values", "fit", "notes"),
    [
        ({"industry": "fashion", "follower_band": "1m-5m"}, BenchmarkFit("fashion", "1m-5m"), 0),
        ({"industry": " Fashion "}, BenchmarkFit("fashion", "5k-100k"), 0),
        ({"industry": "crypto", "follower_band": "huge"}, BenchmarkFit("all", "5k-100k"), 2),
        ({"industry": ["a", "list"], "unrelated": "x"}, BenchmarkFit("all", "5k-100k"), 1),
        ({}, BenchmarkFit("all", "5k-100k"), 0),
        (None, BenchmarkFit("all", "5k-100k"), 0),
    ],
)
def test_a_fit_is_read_from_plain_values_keeping_what_is_valid(values, fit, notes):
    read, said = read_fit(values, BenchmarkFit(follower_band="5k-100k"))
    assert read == fit and len(said) == notes


def test_a_bad_value_is_named_in_a_sentence_with_what_is_shown_instead():
    _, notes = read_fit({"follower_band": "<b>9 billion</b>"}, BenchmarkFit(follower_band="5k-100k"))
    assert notes == (
        "The link asks for the follower band “<b>9 billion</b>”, which is not one of the options: showing "
        "5K–100K followers instead.",
    )


def test_a_fit_round_trips_through_its_plain_dict():
    fit = BenchmarkFit("health-beauty", "100k-500k")
    assert fit.to_dict() == {"industry": "health-beauty", "follower_band": "100k-500k"}
    assert read_fit(fit.to_dict(), BenchmarkFit()) == (fit, ())
    assert fit.describe() == "Health & Beauty, 100K–500K followers"
    assert BenchmarkFit().describe() == "all industries, any size"


@pytest.mark.parametrize(
    ("followers", "band"),
    [
        (64, "under-5k"),
        (4_999, "under-5k"),
        (5_000, "5k-100k"),
        (25_164, "5k-100k"),
        (12_000_000, "10m-plus"),
    ],
)
def test_the_default_band_is_the_one_holding_the_latest_follower_count(store, followers, band):
    add_days(store, [{"date": "2026-03-01", "followers": 1}, {"date": "2026-03-02", "followers": followers}])
    fit, why = default_fit(store, "brand")
    assert fit == BenchmarkFit("all", band)
    assert why.startswith(
        f"The follower band starts from the account's {followers:,} followers on 2 Mar 2026"
    )


def test_without_a_follower_history_the_band_comes_from_a_scrapers_follower_count(store):
    add_videos(store, [{"likes": 1, "followers": 700_000}, {"likes": 2, "followers": 650_000}])
    fit, why = default_fit(store, "brand")
    assert fit.follower_band == "500k-1m" and "(scraper export)" in why


def test_without_any_follower_count_the_band_is_any_size(store):
    add_videos(store, [{"likes": 1}])
    fit, why = default_fit(store, "brand")
    assert fit == BenchmarkFit() and why.startswith("No follower count in the data for this account")


def test_the_sentence_on_goals_says_which_goal_metrics_get_no_benchmark():
    sentence = benchmarks.goal_benchmark_sentence(BenchmarkFit("fashion", "5k-100k"))
    assert sentence.startswith(
        "Goals on engagement rate by view are compared with Rival IQ 2024's median per post for Fashion "
        "brands, 2.70%"
    )
    assert "Goals on likes received, average likes per video, like rate or followers get none" in sentence


# --- the fitting benchmark in the verdict and the suggested targets -----------------------------------------


def steady_account(store, followers: int) -> None:  # type: ignore[no-untyped-def]
    """120 days of 1,000 views, 40 likes, 5 comments and 5 shares a day (engagement by view 5%)."""
    first = date(2026, 1, 1)
    add_days(
        store,
        [
            {
                "date": (first + timedelta(days=i)).isoformat(),
                "views": 1000,
                "likes": 40,
                "comments": 5,
                "shares": 5,
                "followers": followers,
            }
            for i in range(120)
        ],
    )


def er_goal() -> Goal:
    return Goal(
        account="brand",
        metric="engagement_rate_by_view",
        target=0.06,
        start=date(2026, 5, 1),
        deadline=date(2026, 6, 30),
    )


def test_the_verdict_compares_with_the_chosen_industrys_median_and_names_it(store):
    steady_account(store, 20_000)
    verdict = assess_in_store(store, er_goal(), fit=BenchmarkFit("fashion", "5k-100k")).verdict
    assert verdict.benchmark == pytest.approx(0.027)
    assert "the benchmark (Rival IQ 2024's median per post for Fashion brands) is 2.7%." in verdict.sentence


def test_without_a_choice_the_verdict_uses_the_band_of_the_accounts_followers(store):
    steady_account(store, 1_200)
    verdict = assess_in_store(store, er_goal()).verdict
    assert verdict.benchmark == pytest.approx(0.038)  # Rival IQ 2023, brands with <5k followers
    assert "brands with <5k followers" in verdict.sentence


def test_a_goal_on_likes_gets_no_benchmark_whatever_the_fit(store):
    steady_account(store, 20_000)
    goal = Goal(
        account="brand", metric="likes", target=3000, start=date(2026, 5, 1), deadline=date(2026, 6, 30)
    )
    verdict = assess_in_store(store, goal, fit=BenchmarkFit("fashion", "5k-100k")).verdict
    assert verdict.benchmark is None and "benchmark" not in verdict.sentence


def test_the_fitting_benchmark_is_offered_as_a_target_with_its_chance_on_the_same_futures(store):
    steady_account(store, 20_000)
    base = load_baseline(store, "brand")
    start, deadline = date(2026, 5, 1), date(2026, 6, 30)
    sim = simulate(base, "engagement_rate_by_view", start, deadline)
    assert sim is not None
    offered = suggested_targets(
        base, "engagement_rate_by_view", start, deadline, simulation=sim, benchmark=0.027
    )
    assert offered[-1].name == "benchmark" and offered[-1].target == 0.027
    assert offered[-1].probability == sim.projection(0.027).probability
    assert [
        s.name for s in suggested_targets(base, "engagement_rate_by_view", start, deadline, simulation=sim)
    ] == [s.name for s in offered[:-1]]
