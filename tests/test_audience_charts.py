"""The Audience page's charts, read from their Vega-Lite specs: the rows kpi_core computed (never
more), axis titles with their units, a tooltip on every data mark, and the benchmark goals are
compared with named in the benchmark chart's legend."""

from __future__ import annotations

import pandas as pd

from tests.test_charts import assert_every_data_mark_has_a_tooltip, axis_titles, marks, rows, views
from ui import audience_charts, comparison_charts


def test_shares_are_bars_with_their_percentage_written_beside_them():
    table = pd.DataFrame({"key": ["Female", "Male", "Other"], "share": [0.56, 0.41, 0.03]})
    spec = audience_charts.shares_chart(table, "key", "Share of followers").to_dict()
    assert marks(spec) == ["bar", "text"]
    bars = views(spec)[0]
    assert [r["share"] for r in rows(spec, bars)] == [0.56, 0.41, 0.03]
    assert bars["encoding"]["y"]["sort"] == ["Female", "Male", "Other"]  # largest first, as kpi_core orders
    assert axis_titles(spec) == {"Share of followers"}


def test_viewers_stack_new_on_returning_per_week_with_the_returning_share_on_its_own_axis():
    table = pd.DataFrame(
        {
            "period": pd.to_datetime(["2026-03-02", "2026-03-09"]),
            "first_day": pd.to_datetime(["2026-03-02", "2026-03-09"]),
            "last_day": pd.to_datetime(["2026-03-08", "2026-03-14"]),
            "days": [7, 6],
            "new_per_day": [70.0, 150.0],
            "returning_per_day": [30.0, 50.0],
            "total_per_day": [100.0, 200.0],
            "returning_share": [0.3, 0.25],
        }
    )
    spec = audience_charts.viewers_chart(table, "week").to_dict()
    assert marks(spec) == ["bar", "line"]
    bars, line = views(spec)
    drawn = rows(spec, bars)
    assert len(drawn) == 4 and sum(r["viewers"] for r in drawn) == 70 + 30 + 150 + 50
    assert [r["returning_share"] for r in rows(spec, line)] == [0.3, 0.25]
    assert axis_titles(spec) == {
        "Viewers per day, mean over the week",
        "Returning share (line)",
        "Week from (Monday)",
    }
    assert spec["resolve"]["scale"]["y"] == "independent"
    assert_every_data_mark_has_a_tooltip(spec)


def test_the_activity_heatmap_has_a_cell_per_weekday_and_hour():
    cells = pd.DataFrame(
        [
            {"weekday_name": day, "hour": h, "active_followers": 10.0, "days": 1}
            for day in audience_charts.WEEKDAYS
            for h in range(24)
        ]
    )
    spec = audience_charts.activity_heatmap_chart(cells).to_dict()
    assert marks(spec) == ["rect"] and len(rows(spec, spec)) == 168
    assert_every_data_mark_has_a_tooltip(spec)


def test_posting_hours_sit_beside_the_followers_hours_with_the_busiest_shaded():
    table = pd.DataFrame({"hour": range(24)})
    table["active_followers"] = [100.0 if h >= 18 else 10.0 for h in range(24)]
    table["follower_share"] = table["active_followers"] / table["active_followers"].sum()
    table["videos"] = [1 if h in (9, 10, 19, 20, 21) else 0 for h in range(24)]
    table["video_share"] = table["videos"] / 5
    table["peak"] = table["hour"] >= 18
    spec = audience_charts.posting_match_chart(table).to_dict()
    assert marks(spec) == ["rect", "bar"]
    shade, bars = views(spec)
    assert [r["hour"] for r in rows(spec, shade)] == [18, 19, 20, 21, 22, 23]
    assert len(rows(spec, bars)) == 48  # two bars per hour
    assert axis_titles(spec) == {"Hour of day (0-23)", "Share of the day"}
    assert_every_data_mark_has_a_tooltip(spec)


def test_the_benchmark_goals_are_compared_with_is_a_series_of_its_own():
    frame = pd.DataFrame(
        {
            "source": ["Rival IQ", "Rival IQ"],
            "year": [2024, 2023],
            "segment": ["all industries", "accounts <5k followers"],
            "population": ["brands with >=5k followers", "brands with <5k followers"],
            "statistic": ["median", "median"],
            "data_period": ["2023", "2022"],
            "definition": ["x", "x"],
            "value": [0.034, 0.0414],
            "account_value": [0.05, 0.05],
            "goal_reference": [True, False],
        }
    )
    spec = comparison_charts.benchmark_chart(frame, "brand", "Engagement rate by view (% of views)").to_dict()
    bars = views(spec)[0]
    assert [r["benchmark_series"] for r in rows(spec, bars)] == [comparison_charts.GOALS_SERIES, "Benchmark"]
    assert [r["label"] for r in rows(spec, bars)] == [
        "Rival IQ 2024 · all industries, brands with >=5k followers · median · 2023 data",
        "Rival IQ 2023 · accounts <5k followers · median · 2022 data",
    ]
    assert bars["encoding"]["color"]["scale"]["domain"] == [
        "Benchmark",
        comparison_charts.GOALS_SERIES,
        "@brand, same definition",
    ]
