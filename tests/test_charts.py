"""Chart builders, read from their Vega-Lite specs: marks, encodings, axis titles with units,
tooltips, and data that is the aggregated rows (never more)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from ui import charts, comparison_charts, content_charts, plan_charts

# --- reading a spec -----------------------------------------------------------------------------


def views(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The single views of a chart: itself, or its layers."""
    return spec.get("layer", [spec])


def marks(spec: dict[str, Any]) -> list[str]:
    return [v["mark"]["type"] if isinstance(v["mark"], dict) else v["mark"] for v in views(spec)]


def rows(spec: dict[str, Any], view: dict[str, Any]) -> list[dict[str, Any]]:
    """The data rows a view draws."""
    return spec["datasets"][(view.get("data") or spec["data"])["name"]]


def axis_titles(spec: dict[str, Any]) -> set[str]:
    return {
        v["encoding"][c]["title"]
        for v in views(spec)
        for c in ("x", "y")
        if c in v.get("encoding", {}) and v["encoding"][c].get("title")
    }


def tooltip_fields(view: dict[str, Any]) -> list[str]:
    return [t["field"] for t in view["encoding"].get("tooltip", [])]


def assert_every_data_mark_has_a_tooltip(spec: dict[str, Any], reference_marks: int = 0) -> None:
    """Every view but the `reference_marks` first ones (zero lines, targets) explains itself on hover."""
    for view in views(spec)[reference_marks:]:
        assert tooltip_fields(view), view["mark"]


# --- hand-made frames, in the shapes kpi_core returns -------------------------------------------


def weekly_series() -> pd.DataFrame:
    """Three weeks; the first is cut by the range (2 days), so it has fewer days."""
    return pd.DataFrame(
        {
            "period": pd.to_datetime(["2026-03-02", "2026-03-09", "2026-03-16"]),
            "first_day": pd.to_datetime(["2026-03-07", "2026-03-09", "2026-03-16"]),
            "last_day": pd.to_datetime(["2026-03-08", "2026-03-15", "2026-03-22"]),
            "provisional_days": [0, 0, 0],
            "days": [2, 7, 7],
            "likes": [200, 700, 1400],
            "views": [4000, 10_000, 20_000],
            "likes_per_day": [100.0, 100.0, 200.0],
            "like_rate": [0.05, 0.07, 0.07],
            "engagement_rate_by_view": [0.06, 0.08, 0.09],
        }
    )


def rolling() -> pd.DataFrame:
    days = pd.date_range("2026-03-01", periods=30, freq="D")
    return pd.DataFrame(
        {
            "date": days,
            "likes": range(30),
            "like_rate": [0.05] * 30,
            "likes_7d": [None] * 6 + [3.0] * 24,
            "likes_28d": [None] * 27 + [13.5] * 3,
            "like_rate_7d": [None] * 6 + [0.05] * 24,
            "like_rate_28d": [None] * 27 + [0.05] * 3,
        }
    )


def lagged() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "target": ["profile_views"] * 3 + ["net_follower_change"] * 3,
            "lag": [0, 1, 2] * 2,
            "r": [0.9, 0.5, float("nan"), 0.8, 0.4, 0.1],
            "n": [20, 19, 13, 20, 19, 18],
        }
    )


def cells() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "weekday": [1, 1, 4],
            "weekday_name": ["Monday", "Monday", "Thursday"],
            "hour": [18, 19, 21],
            "videos": [2, 3, 4],
            "median_likes": [20.0, 300.0, 450.0],
            "like_rate": [0.2, 0.05, 0.06],
            "enough": [False, True, True],
        }
    )


def uplift(key: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            key: ["#a", "#b"],
            "videos_with": [8, 2],
            "videos_without": [10, 16],
            "likes_per_video_with": [300.0, 90.0],
            "likes_per_video_without": [100.0, 110.0],
            "likes_uplift": [200.0, -20.0],
            "likes_uplift_low": [50.0, float("nan")],
            "likes_uplift_high": [350.0, float("nan")],
            "likes_uplift_rel": [2.0, -0.18],
            "like_rate_with": [0.08, 0.05],
            "like_rate_without": [0.05, 0.06],
            "like_rate_uplift": [0.03, -0.01],
            "like_rate_uplift_low": [-0.01, float("nan")],
            "like_rate_uplift_high": [0.07, float("nan")],
            "enough_support": [True, False],
            "likes_verdict": ["more likes with", "not enough videos"],
            "like_rate_verdict": ["no clear difference", "not enough videos"],
        }
    )


def comparison() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": ["Rival IQ", "Socialinsider", "Socialinsider"],
            "year": [2024, 2023, 2023],
            "data_period": ["2023", "2022", "2022"],
            "population": ["brands"] * 3,
            "metric": ["engagement_rate_by_view"] * 3,
            "definition": [
                "(likes+comments+shares)/views per post; median",
                "interactions/views; average",
                "interactions/views; average",
            ],
            "statistic": ["median", "average", "average"],
            "segment": ["all industries"] * 3,
            "value": [0.034, 0.051, 0.0538],
            "url": ["https://example.com"] * 3,
            "account_value": [0.0682, 0.0665, 0.0665],
            "difference": [0.0342, 0.0155, 0.0127],
        }
    )


def accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account": ["brand", "rival"],
            "like_rate": [0.05, 0.03],
            "engagement_rate_by_view": [0.06, 0.04],
            "likes_per_video_median": [700.0, 650.0],
            "is_primary": [True, False],
        }
    )


# --- Trends ---------------------------------------------------------------------------------------


def test_period_likes_are_bars_spanning_each_period_with_a_click_selection():
    spec = charts.period_likes_chart(weekly_series(), "week").to_dict()
    assert marks(spec) == ["bar"]
    encoding = spec["encoding"]
    assert (encoding["x"]["field"], encoding["x2"]["field"], encoding["y"]["field"]) == (
        "first_day",
        "bar_end",
        "likes",
    )
    assert axis_titles(spec) == {"Week", "Likes per week"}
    assert {"first_day", "last_day", "days", "likes", "like_rate"} <= set(tooltip_fields(spec))
    data = rows(spec, spec)
    assert [r["likes"] for r in data] == [200, 700, 1400]
    assert [(r["first_key"], r["last_key"]) for r in data][0] == ("2026-03-07", "2026-03-08")
    assert data[0]["bar_end"].startswith("2026-03-09")  # the bar covers its last day
    assert spec["params"][0]["name"] == charts.PERIOD_PICK
    assert spec["params"][0]["select"]["fields"] == ["first_key", "last_key"]


@pytest.mark.parametrize("grain, title", [("day", "Day"), ("week", "Week"), ("month", "Month")])
def test_the_period_axis_is_named_after_the_grain(grain, title):
    spec = charts.period_likes_chart(weekly_series(), grain).to_dict()
    assert axis_titles(spec) == {title, f"Likes per {grain}"}


def test_period_rates_draw_like_rate_and_engagement_as_percentages_of_views():
    spec = charts.period_rates_chart(weekly_series(), "month").to_dict()
    assert marks(spec) == ["line"]
    assert axis_titles(spec) == {"Month", "Rate (% of views)"}
    assert spec["encoding"]["y"]["axis"]["format"] == ".1%"
    data = rows(spec, spec)
    assert len(data) == 2 * 3  # two rates per period
    assert {r["series"] for r in data} == {"Like rate", "Engagement rate by view"}
    assert sorted(r["rate"] for r in data if r["series"] == "Like rate") == [0.05, 0.07, 0.07]
    assert "rate" in tooltip_fields(spec)


@pytest.mark.parametrize(
    "event, picked",
    [
        (
            {"selection": {charts.PERIOD_PICK: [{"first_key": "2026-03-09", "last_key": "2026-03-15"}]}},
            (date(2026, 3, 9), date(2026, 3, 15)),
        ),
        ({"selection": {charts.PERIOD_PICK: {}}}, None),
        ({"selection": {charts.PERIOD_PICK: []}}, None),
        ({"selection": {}}, None),
        (None, None),
        ({"selection": {charts.PERIOD_PICK: [{"first_key": "not a date", "last_key": "2026-03-15"}]}}, None),
    ],
)
def test_the_picked_period_is_read_from_the_selection_event(event, picked):
    assert charts.picked_period(event) == picked


def test_the_existing_likes_chart_still_layers_bars_and_rolling_means():
    spec = charts.likes_over_time_chart(rolling()).to_dict()
    assert marks(spec) == ["bar", "line"]
    assert axis_titles(spec) == {"Day", "Likes per day"}
    assert_every_data_mark_has_a_tooltip(spec)
    assert len(rows(spec, views(spec)[0])) == 30
    assert len(rows(spec, views(spec)[1])) == 2 * 30


def test_like_rate_over_time_has_daily_dots_and_two_rolling_lines():
    spec = charts.like_rate_over_time_chart(rolling()).to_dict()
    assert marks(spec) == ["circle", "line"]
    assert axis_titles(spec) == {"Day", "Like rate (% of views)"}
    assert_every_data_mark_has_a_tooltip(spec)
    dots, lines = views(spec)
    assert len(rows(spec, dots)) == 30
    assert {r["series"] for r in rows(spec, lines)} == {"7-day like rate", "28-day like rate"}


def test_lagged_correlation_is_a_line_per_target_on_a_fixed_minus_one_to_one_scale():
    spec = charts.lagged_correlation_chart(lagged()).to_dict()
    assert marks(spec) == ["rule", "line"]
    zero, lines = views(spec)
    assert lines["encoding"]["y"]["scale"]["domain"] == [-1, 1]
    assert axis_titles(spec) == {"Lag (days after the likes)", "Spearman correlation r (−1 to 1)"}
    assert {"r", "n", "lag"} <= set(tooltip_fields(lines))
    data = rows(spec, lines)
    assert len(data) == 6
    assert {r["target"] for r in data} == {"Profile views", "Net follower change"}  # labels, not column names


# --- Content --------------------------------------------------------------------------------------


def test_the_posting_heatmap_colours_only_cells_with_enough_videos_and_writes_every_count():
    spec = content_charts.posting_heatmap_chart(cells(), min_videos=3).to_dict()
    assert marks(spec) == ["rect", "rect", "text"]
    enough, too_few, counts = views(spec)
    assert enough["transform"] == [{"filter": "datum.enough"}]
    assert too_few["transform"] == [{"filter": "!datum.enough"}]
    assert too_few["encoding"]["color"]["scale"]["domain"] == [content_charts.TOO_FEW]
    assert too_few["encoding"]["color"]["title"] == "Fewer than 3 videos"
    assert counts["encoding"]["text"]["field"] == "videos"
    assert axis_titles(spec) == {"Hour posted (0-23)", "Weekday posted"}
    assert enough["encoding"]["x"]["scale"]["domain"] == list(range(24))
    assert enough["encoding"]["y"]["scale"]["domain"] == list(content_charts.WEEKDAYS)
    assert_every_data_mark_has_a_tooltip(spec)
    data = rows(spec, enough)
    assert len(data) == 3
    assert [r["status"] for r in data] == [content_charts.TOO_FEW, None, None]


def test_audience_hours_are_bars_over_the_24_hours():
    hours = pd.DataFrame(
        {"hour": range(24), "active_followers": [100.0 + h for h in range(24)], "days": [7] * 24}
    )
    spec = content_charts.audience_hours_chart(hours).to_dict()
    assert marks(spec) == ["bar"]
    assert axis_titles(spec) == {"Hour of day (0-23)", "Followers online (mean)"}
    assert {"active_followers", "days"} <= set(tooltip_fields(spec))
    assert len(rows(spec, spec)) == 24


@pytest.mark.parametrize("key", ["hashtag", "group"])
def test_likes_uplift_shows_each_difference_with_its_interval(key):
    spec = content_charts.uplift_chart(uplift(key), key, "likes").to_dict()
    assert marks(spec) == ["rule", "rule", "point"]
    zero, interval, point = views(spec)
    assert (interval["encoding"]["x"]["field"], interval["encoding"]["x2"]["field"]) == ("low", "high")
    assert axis_titles(spec) == {"Likes per video: with − without"}
    assert_every_data_mark_has_a_tooltip(spec, reference_marks=1)
    data = rows(spec, point)
    assert [r["label"] for r in data] == ["#a (8 videos)", "#b (2 videos)"]
    assert [r["value"] for r in data] == [200.0, -20.0]
    assert data[1]["verdict"] == content_charts.NO_CLAIM  # below the minimum support: no claim


def test_uplift_labels_say_one_video_and_the_axis_labels_are_compact():
    frame = uplift("hashtag").assign(videos_with=[1, 2])
    spec = content_charts.uplift_chart(frame, "hashtag", "likes").to_dict()
    _, interval, point = views(spec)
    assert [r["label"] for r in rows(spec, point)] == ["#a (1 video)", "#b (2 videos)"]
    assert interval["encoding"]["x"]["axis"]["labelExpr"] == charts.COMPACT_LABELS


def test_like_rate_uplift_is_shown_in_percentage_points():
    spec = content_charts.uplift_chart(uplift("hashtag"), "hashtag", "like_rate").to_dict()
    data = rows(spec, views(spec)[2])
    assert data[0]["value"] == pytest.approx(3.0)
    assert (data[0]["low"], data[0]["high"]) == (pytest.approx(-1.0), pytest.approx(7.0))
    assert data[0]["verdict"] == "no clear difference"
    assert axis_titles(spec) == {"Like rate: with − without (percentage points)"}


# --- Benchmarks and competitors -------------------------------------------------------------------


def test_benchmarks_are_bars_with_the_account_on_the_same_definition_beside_each():
    spec = comparison_charts.benchmark_chart(
        comparison(), "brand", "Engagement rate by view (% of views)"
    ).to_dict()
    assert marks(spec) == ["bar", "point"]
    bars, diamonds = views(spec)
    assert bars["encoding"]["x"]["field"] == "benchmark"
    assert diamonds["encoding"]["x"]["field"] == "account"
    assert axis_titles(spec) == {"Engagement rate by view (% of views)"}
    assert_every_data_mark_has_a_tooltip(spec)
    assert "definition" in tooltip_fields(bars)
    data = rows(spec, bars)
    assert [r["benchmark"] for r in data] == [0.034, 0.051, 0.0538]
    assert [r["account"] for r in data] == [0.0682, 0.0665, 0.0665]
    # Two rows that would read alike get distinct labels, so their bars never stack on one band.
    assert len({r["label"] for r in data}) == 3
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Benchmark", "@brand, same definition"]


def test_accounts_side_by_side_group_one_bar_per_account_under_each_kpi():
    spec = comparison_charts.accounts_chart(
        accounts(),
        {"like_rate": "Like rate", "engagement_rate_by_view": "ER by view"},
        "Rate (% of views)",
        ".1%",
    ).to_dict()
    assert marks(spec) == ["bar"]
    assert spec["encoding"]["xOffset"]["field"] == "account"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["brand", "rival"]
    assert axis_titles(spec) == {"Rate (% of views)"}
    assert {"account", "kpi", "value"} <= set(tooltip_fields(spec))
    data = rows(spec, spec)
    assert len(data) == 2 * 2
    assert {(r["account"], r["kpi"], r["value"]) for r in data} >= {("rival", "Like rate", 0.03)}


# --- the planning charts (kept working) -----------------------------------------------------------


def path_frame() -> pd.DataFrame:
    days = pd.date_range("2026-03-01", periods=4, freq="D")
    return pd.DataFrame(
        {
            "date": days,
            "actual": [10.0, 20.0, None, None],
            "low": [None, None, 25.0, 30.0],
            "expected": [None, None, 30.0, 40.0],
            "high": [None, None, 35.0, 50.0],
            "target": [60.0] * 4,
        }
    )


def test_the_burnup_chart_layers_band_paths_target_and_deadline():
    needed = pd.DataFrame({"date": pd.to_datetime(["2026-03-02", "2026-03-04"]), "needed": [20.0, 60.0]})
    spec = plan_charts.burnup_chart(path_frame(), needed, date(2026, 3, 4), "likes").to_dict()
    assert marks(spec) == ["area", "line", "line", "line", "rule", "rule"]
    assert axis_titles(spec) == {"Day", "likes"}
    assert len(rows(spec, views(spec)[0])) == 4


def test_the_scenario_chart_layers_the_band_the_three_paths_and_the_target():
    curve = pd.DataFrame(
        {
            "date": pd.date_range("2026-03-01", periods=3, freq="D"),
            "actual": [1.0, None, None],
            "baseline": [1.0, 2.0, 3.0],
            "scenario": [1.0, 2.5, 4.0],
            "scenario_low": [1.0, 2.0, 3.0],
            "scenario_high": [1.0, 3.0, 5.0],
            "target": [4.0] * 3,
        }
    )
    spec = plan_charts.scenario_chart(curve, "likes").to_dict()
    assert marks(spec) == ["area", "line", "rule"]
    assert len(rows(spec, views(spec)[1])) == 1 + 3 + 3  # actual's missing days are dropped
    assert rows(spec, views(spec)[2]) == [{"target": 4.0}]
