"""Altair charts: an aggregated DataFrame in, a chart out. No st.* calls here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import altair as alt
import pandas as pd

from ui.format import handle

# What a layered chart with properties is to the type checker (Altair types `.properties()` so).
Layered = alt.LayerChart | alt.FacetChart


def label_of(labels: dict[str, str]) -> Callable[[object], str]:
    """A `format_func` for Streamlit widgets: the label of a key, else the key itself."""
    return lambda key: labels.get(str(key), str(key))


PRIMARY = "#FE2C55"  # TikTok red
SECONDARY = "#25F4EE"  # TikTok cyan
INK = "#161823"
MUTED = "#8A8B91"
UP, DOWN, NEUTRAL, FAINT = "#1A7F37", PRIMARY, "#5B5C63", "#C9CAD0"
# Streamlit fits a chart's whole height (axes and legends too) into `height` unless told otherwise;
# charts with one row per item keep their plot height and only fit the container's width.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
ROW_HEIGHT = 24

_MEAN_LABELS = {"likes_7d": "7-day mean", "likes_28d": "28-day mean"}
# Axis labels like ui.format.compact: 950, 12.3K, 3.4M (d3's "s" format would say 12.3k and 3.4G for billions).
COMPACT_LABELS = (
    "abs(datum.value) >= 1e9 ? format(datum.value / 1e9, '.3~g') + 'B' : "
    "abs(datum.value) >= 1e6 ? format(datum.value / 1e6, '.3~g') + 'M' : "
    "abs(datum.value) >= 1e3 ? format(datum.value / 1e3, '.3~g') + 'K' : format(datum.value, '.3~g')"
)


def _rolling_lines(
    daily: pd.DataFrame, labels: dict[str, str], axis_title: str, value_title: str, fmt: str
) -> alt.Chart:
    """The 7- and 28-day means of `daily` (the columns named in `labels`) as two lines, legend on top."""
    means = daily.melt(id_vars="date", value_vars=list(labels), var_name="series", value_name="value")
    means["series"] = means["series"].map(labels)
    return (
        alt.Chart(means)
        .mark_line(strokeWidth=2)
        .encode(
            x="date:T",
            y=alt.Y("value:Q", title=axis_title),
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=list(labels.values()), range=[INK, SECONDARY]),
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Day", format="%d %b %Y"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("value:Q", title=value_title, format=fmt),
            ],
        )
    )


def likes_over_time_chart(daily: pd.DataFrame) -> Layered:
    """Daily likes as bars with their 7- and 28-day rolling means as lines.

    `daily` has columns date, likes, likes_7d, likes_28d (likes per day).
    """
    bars = (
        alt.Chart(daily)
        .mark_bar(color=PRIMARY, opacity=0.35)
        .encode(
            x=alt.X("date:T", title="Day"),
            y=alt.Y("likes:Q", title="Likes per day"),
            tooltip=[
                alt.Tooltip("date:T", title="Day", format="%a %d %b %Y"),
                alt.Tooltip("likes:Q", title="Likes", format=",.0f"),
                alt.Tooltip("likes_7d:Q", title="7-day mean", format=",.1f"),
                alt.Tooltip("likes_28d:Q", title="28-day mean", format=",.1f"),
            ],
        )
    )
    lines = _rolling_lines(daily, _MEAN_LABELS, "Likes per day", "Likes per day", ",.1f")
    return alt.layer(bars, lines).properties(height=320)


def burnup_chart(path: pd.DataFrame, needed: pd.DataFrame, deadline: object, unit: str) -> Layered:
    """A goal's burn-up: actual to date, the path needed, the projection with its 80 % band,
    the target line and the deadline.

    `path` has date, actual, low, expected, high, target (Projection.path_frame()); `needed` has
    date and needed (two points: today's value and the target at the deadline).
    """
    base = alt.Chart(path).encode(x=alt.X("date:T", title="Day"))
    band = base.mark_area(color=PRIMARY, opacity=0.15).encode(
        y=alt.Y("low:Q", title=unit),
        y2="high:Q",
        tooltip=[
            alt.Tooltip("date:T", title="Day", format="%d %b %Y"),
            alt.Tooltip("low:Q", title="80% band from", format=",.4~g"),
            alt.Tooltip("high:Q", title="80% band to", format=",.4~g"),
        ],
    )
    expected = base.mark_line(color=PRIMARY, strokeDash=[6, 3]).encode(
        y="expected:Q",
        tooltip=[
            alt.Tooltip("date:T", format="%d %b %Y", title="Day"),
            alt.Tooltip("expected:Q", title="Projected (median)", format=",.4~g"),
        ],
    )
    actual = base.mark_line(color=INK, strokeWidth=2.5).encode(
        y="actual:Q",
        tooltip=[
            alt.Tooltip("date:T", format="%d %b %Y", title="Day"),
            alt.Tooltip("actual:Q", title="Actual", format=",.4~g"),
        ],
    )
    target = _target_rule(path)
    need = (
        alt.Chart(needed)
        .mark_line(color=SECONDARY, strokeWidth=2)
        .encode(
            x="date:T", y="needed:Q", tooltip=[alt.Tooltip("needed:Q", title="Needed path", format=",.4~g")]
        )
    )
    end = (
        alt.Chart(pd.DataFrame({"date": [pd.Timestamp(deadline)]})).mark_rule(color=MUTED).encode(x="date:T")
    )
    return alt.layer(band, expected, actual, need, target, end).properties(height=300)


def scenario_chart(curve: pd.DataFrame, unit: str) -> Layered:
    """Baseline against scenario: expected paths, the scenario's 80 % band, actual and target.

    `curve` has date, actual, baseline, scenario, scenario_low, scenario_high, target.
    """
    base = alt.Chart(curve).encode(x=alt.X("date:T", title="Day"))
    band = base.mark_area(color=PRIMARY, opacity=0.15).encode(
        y=alt.Y("scenario_low:Q", title=unit), y2="scenario_high:Q"
    )
    long = curve.melt(
        id_vars="date", value_vars=["actual", "baseline", "scenario"], var_name="series", value_name="value"
    ).dropna()
    long["series"] = long["series"].map(
        {"actual": "Actual", "baseline": "Today's pace", "scenario": "Scenario"}
    )
    lines = (
        alt.Chart(long)
        .mark_line(strokeWidth=2)
        .encode(
            x="date:T",
            y="value:Q",
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=["Actual", "Today's pace", "Scenario"], range=[INK, MUTED, PRIMARY]),
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Day", format="%d %b %Y"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("value:Q", title=unit, format=",.4~g"),
            ],
        )
    )
    target = _target_rule(curve)
    return alt.layer(band, lines, target).properties(height=320)


def _target_rule(frame: pd.DataFrame) -> alt.Chart:
    value = float(frame["target"].dropna().iloc[0]) if frame["target"].notna().any() else 0.0
    return (
        alt.Chart(pd.DataFrame({"target": [value]}))
        .mark_rule(color=MUTED, strokeDash=[4, 4])
        .encode(y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target", format=",.4~g")])
    )


# ---------------------------------------------------------------------------------------------
# Trends

GRAIN_LABELS = {"day": "Day", "week": "Week", "month": "Month"}
PERIOD_PICK = "period_pick"  # the selection a click on a period bar sets (fields first_key, last_key)
_RATE_LABELS = {"like_rate": "Like rate", "engagement_rate_by_view": "Engagement rate by view"}
_RATE_MEAN_LABELS = {"like_rate_7d": "7-day like rate", "like_rate_28d": "28-day like rate"}
TARGET_LABELS = {"profile_views": "Profile views", "net_follower_change": "Net follower change"}


def _rows_height(n: int) -> int:
    return max(3, n) * ROW_HEIGHT


def _period_frame(series: pd.DataFrame) -> pd.DataFrame:
    frame = series[["first_day", "last_day", "days", "likes", "likes_per_day", "views", *_RATE_LABELS]].copy()
    frame["bar_end"] = frame["last_day"] + pd.Timedelta(days=1)  # a bar covers its last day too
    frame["mid"] = frame["first_day"] + (frame["bar_end"] - frame["first_day"]) / 2
    frame["first_key"] = frame["first_day"].dt.strftime("%Y-%m-%d")
    frame["last_key"] = frame["last_day"].dt.strftime("%Y-%m-%d")
    return frame


def _period_tooltip(grain: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("first_day:T", title=f"{GRAIN_LABELS[grain]} from", format="%a %d %b %Y"),
        alt.Tooltip("last_day:T", title="to", format="%a %d %b %Y"),
        alt.Tooltip("days:Q", title="Days with data", format=",.0f"),
    ]


def period_likes_chart(series: pd.DataFrame, grain: str) -> alt.Chart:
    """Likes per day, week or month as bars spanning their days; a click picks a period.

    `series` is `trends.daily_series` output (one row per bucket, summed in DuckDB). The click
    sets the selection PERIOD_PICK to the bucket's first and last day (`first_key`, `last_key`,
    ISO dates); a short bar is a bucket with fewer days of data (the range's first or last).
    """
    pick = alt.selection_point(name=PERIOD_PICK, fields=["first_key", "last_key"], on="click")
    return (
        alt.Chart(_period_frame(series))
        .mark_bar(color=PRIMARY, stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("first_day:T", title=GRAIN_LABELS[grain]),
            x2="bar_end:T",
            y=alt.Y("likes:Q", title=f"Likes per {grain}", axis=alt.Axis(labelExpr=COMPACT_LABELS)),
            y2=alt.datum(0),
            opacity=alt.condition(pick, alt.value(0.9), alt.value(0.35)),
            tooltip=[
                *_period_tooltip(grain),
                alt.Tooltip("likes:Q", title="Likes", format=",.0f"),
                alt.Tooltip("likes_per_day:Q", title="Likes per day", format=",.1f"),
                alt.Tooltip("views:Q", title="Views", format=",.0f"),
                alt.Tooltip("like_rate:Q", title="Like rate", format=".2%"),
            ],
        )
        .add_params(pick)
        .properties(height=300)
    )


def period_rates_chart(series: pd.DataFrame, grain: str) -> alt.Chart:
    """Like rate and engagement rate by view per day, week or month (ratios of sums, % of views)."""
    frame = _period_frame(series)
    long = frame.melt(
        id_vars=["first_day", "last_day", "mid", "days", "views"],
        value_vars=list(_RATE_LABELS),
        var_name="series",
        value_name="rate",
    )
    long["series"] = long["series"].map(_RATE_LABELS)
    return (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("mid:T", title=GRAIN_LABELS[grain]),
            y=alt.Y("rate:Q", title="Rate (% of views)", axis=alt.Axis(format=".1%")),
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=list(_RATE_LABELS.values()), range=[PRIMARY, INK]),
            ),
            tooltip=[
                *_period_tooltip(grain),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("rate:Q", title="Rate", format=".2%"),
                alt.Tooltip("views:Q", title="Views", format=",.0f"),
            ],
        )
        .properties(height=260)
    )


def like_rate_over_time_chart(daily: pd.DataFrame) -> Layered:
    """The daily like rate as dots with its 7- and 28-day rolling means as lines.

    `daily` is `trends.rolling_means` output: date, like_rate, like_rate_7d, like_rate_28d
    (fractions of views; a window's mean is a ratio of its sums).
    """
    dots = (
        alt.Chart(daily)
        .mark_circle(color=PRIMARY, opacity=0.45, size=28)
        .encode(
            x=alt.X("date:T", title="Day"),
            y=alt.Y("like_rate:Q", title="Like rate (% of views)", axis=alt.Axis(format=".1%")),
            tooltip=[
                alt.Tooltip("date:T", title="Day", format="%a %d %b %Y"),
                alt.Tooltip("like_rate:Q", title="Like rate", format=".2%"),
                alt.Tooltip("like_rate_7d:Q", title="7-day like rate", format=".2%"),
                alt.Tooltip("like_rate_28d:Q", title="28-day like rate", format=".2%"),
            ],
        )
    )
    lines = _rolling_lines(daily, _RATE_MEAN_LABELS, "Like rate (% of views)", "Like rate", ".2%")
    return alt.layer(dots, lines).properties(height=280)


def lagged_correlation_chart(table: pd.DataFrame) -> Layered:
    """Rank correlation of daily likes with profile views and net follower change k days later.

    `table` is `trends.lagged_correlation(...).table`: target, lag (days), r (-1..1, NaN when too
    few days pair up), n (days paired).
    """
    frame = table.assign(target=table["target"].map(TARGET_LABELS).fillna(table["target"]))
    lines = (
        alt.Chart(frame)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("lag:O", title="Lag (days after the likes)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("r:Q", title="Spearman correlation r (−1 to 1)", scale=alt.Scale(domain=[-1, 1])),
            color=alt.Color(
                "target:N",
                title="Likes against",
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=list(TARGET_LABELS.values()), range=[PRIMARY, INK]),
            ),
            tooltip=[
                alt.Tooltip("target:N", title="Likes against"),
                alt.Tooltip("lag:O", title="Days later"),
                alt.Tooltip("r:Q", title="Spearman r", format="+.2f"),
                alt.Tooltip("n:Q", title="Days paired", format=",.0f"),
            ],
        )
    )
    zero = alt.Chart(pd.DataFrame({"r": [0.0]})).mark_rule(color=MUTED, strokeDash=[4, 4]).encode(y="r:Q")
    return alt.layer(zero, lines).properties(height=240, autosize=FIT_WIDTH)


# ---------------------------------------------------------------------------------------------
# Content

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TOO_FEW = "too few videos: no claim"


def posting_heatmap_chart(cells: pd.DataFrame, min_videos: int) -> Layered:
    """Weekday x hour of posting: median likes per video by colour, the number of videos written
    in each cell; cells with fewer than `min_videos` videos are grey and claim nothing.

    `cells` is `content.posting_times(..., by="weekday_hour")`: weekday_name, hour (0-23),
    videos, median_likes (likes per video), like_rate (fraction), enough.
    """
    frame = cells.assign(status=[None if ok else TOO_FEW for ok in cells["enough"]])
    base = alt.Chart(frame).encode(
        x=alt.X(
            "hour:O",
            title="Hour posted (0-23)",
            scale=alt.Scale(domain=list(range(24))),
            axis=alt.Axis(labelAngle=0),
        ),
        y=alt.Y("weekday_name:N", title="Weekday posted", scale=alt.Scale(domain=list(WEEKDAYS))),
        tooltip=[
            alt.Tooltip("weekday_name:N", title="Weekday"),
            alt.Tooltip("hour:O", title="Hour"),
            alt.Tooltip("videos:Q", title="Videos", format=",.0f"),
            alt.Tooltip("median_likes:Q", title="Median likes per video", format=",.0f"),
            alt.Tooltip("like_rate:Q", title="Like rate", format=".2%"),
            alt.Tooltip("status:N", title="Note"),
        ],
    )
    enough = (
        base.mark_rect(stroke="white")
        .encode(
            color=alt.Color(
                "median_likes:Q",
                title="Median likes per video",
                scale=alt.Scale(range=["#FFE1E7", PRIMARY]),
                legend=alt.Legend(labelExpr=COMPACT_LABELS, gradientLength=90),
            ),
        )
        .transform_filter("datum.enough")
    )
    too_few = (
        base.mark_rect(stroke=MUTED, strokeDash=[2, 2], strokeWidth=1)
        .encode(
            color=alt.Color(
                "status:N",
                title=f"Fewer than {min_videos} videos",
                scale=alt.Scale(domain=[TOO_FEW], range=["#F1F2F4"]),
                legend=alt.Legend(symbolStrokeColor=MUTED, symbolDash=[2, 2], symbolSize=200, labelLimit=240),
            ),
        )
        .transform_filter("!datum.enough")
    )
    counts = base.mark_text(fontSize=11, color=INK).encode(text=alt.Text("videos:Q", format=",.0f"))
    return (
        alt.layer(enough, too_few, counts)
        .resolve_scale(color="independent")
        .properties(height=7 * 30, autosize=FIT_WIDTH)
    )


def audience_hours_chart(hours: pd.DataFrame) -> alt.Chart:
    """Mean active followers per hour of the day (FollowerActivity, summed per hour in DuckDB).

    `hours` is `content.audience_hours`: hour (0-23), active_followers (mean per day), days.
    """
    return (
        alt.Chart(hours)
        .mark_bar(color=SECONDARY, stroke=INK, strokeWidth=0.3)
        .encode(
            x=alt.X(
                "hour:O",
                title="Hour of day (0-23)",
                scale=alt.Scale(domain=list(range(24))),
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y(
                "active_followers:Q", title="Followers online (mean)", axis=alt.Axis(labelExpr=COMPACT_LABELS)
            ),
            tooltip=[
                alt.Tooltip("hour:O", title="Hour"),
                alt.Tooltip("active_followers:Q", title="Followers online (mean)", format=",.0f"),
                alt.Tooltip("days:Q", title="Days averaged", format=",.0f"),
            ],
        )
        .properties(height=220)
    )


_UPLIFT = {  # measure -> (column prefix, axis title, scale, number format)
    "likes": ("likes_uplift", "Likes per video: with − without", 1.0, "+,.0f"),
    "like_rate": ("like_rate_uplift", "Like rate: with − without (percentage points)", 100.0, "+.2f"),
}
NO_CLAIM = TOO_FEW  # a with/without comparison below the minimum support
VERDICT_COLOURS = {
    "more likes with": UP,
    "higher like rate with": UP,
    "fewer likes with": DOWN,
    "lower like rate with": DOWN,
    "no clear difference": NEUTRAL,
    NO_CLAIM: FAINT,
}


def uplift_chart(frame: pd.DataFrame, key: str, measure: str) -> Layered:
    """With against without, one row per hashtag or content group: the difference and its 95 % interval.

    `frame` is `content.hashtag_uplift` (key "hashtag") or `content.group_uplift` (key "group");
    `measure` is "likes" (likes per video) or "like_rate" (shown in percentage points). Rows
    without enough videos on both sides have no interval and say "not enough videos".
    """
    column, title, scale, number = _UPLIFT[measure]
    verdict = "likes_verdict" if measure == "likes" else "like_rate_verdict"
    data = pd.DataFrame(
        {
            "label": [f"{k} ({n:,} videos)" for k, n in zip(frame[key], frame["videos_with"], strict=True)],
            "videos_with": frame["videos_with"],
            "videos_without": frame["videos_without"],
            "value": frame[column] * scale,
            "low": frame[f"{column}_low"] * scale,
            "high": frame[f"{column}_high"] * scale,
            "verdict": frame[verdict].replace({"not enough videos": NO_CLAIM}),
        }
    )
    order = data["label"].tolist()
    verdicts = _verdicts(measure)
    colour = alt.Color(
        "verdict:N",
        title="Verdict (95% interval)",
        legend=alt.Legend(orient="top", columns=2, labelLimit=240),
        scale=alt.Scale(domain=verdicts, range=[VERDICT_COLOURS[v] for v in verdicts]),
    )
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    tooltip = [
        alt.Tooltip("label:N", title="With"),
        alt.Tooltip("videos_without:Q", title="Videos without"),
        alt.Tooltip("value:Q", title=title, format=number),
        alt.Tooltip("low:Q", title="95% interval from", format=number),
        alt.Tooltip("high:Q", title="95% interval to", format=number),
        alt.Tooltip("verdict:N", title="Verdict"),
    ]
    base = alt.Chart(data)
    interval = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q", title=title), x2="high:Q", y=y, color=colour, tooltip=tooltip
    )
    point = base.mark_point(filled=True, size=70).encode(x="value:Q", y=y, color=colour, tooltip=tooltip)
    zero = (
        alt.Chart(pd.DataFrame({"value": [0.0]}))
        .mark_rule(color=MUTED, strokeDash=[4, 4])
        .encode(x="value:Q")
    )
    return alt.layer(zero, interval, point).properties(height=_rows_height(len(data)), autosize=FIT_WIDTH)


def _verdicts(measure: str) -> list[str]:
    if measure == "likes":
        return ["more likes with", "fewer likes with", "no clear difference", NO_CLAIM]
    return ["higher like rate with", "lower like rate with", "no clear difference", NO_CLAIM]


# ---------------------------------------------------------------------------------------------
# Benchmarks and competitors


def benchmark_chart(rows: pd.DataFrame, account: str, title: str) -> Layered:
    """Published benchmarks as bars, the account's value on each row's own definition as a diamond.

    `rows` is `benchmarks.benchmark_comparison` output for one metric: source, year, segment,
    statistic, definition, value and account_value (fractions). `title` names the axis and its unit.
    """
    mine = f"{handle(account)}, same definition"
    labels = [
        f"{s} {y} · {seg} · {stat} · {period} data"
        for s, y, seg, stat, period in zip(
            rows["source"], rows["year"], rows["segment"], rows["statistic"], rows["data_period"], strict=True
        )
    ]
    data = pd.DataFrame(
        {
            "label": _unique(labels),
            "definition": rows["definition"],
            "benchmark": rows["value"],
            "account": rows["account_value"],
            "benchmark_series": "Benchmark",
            "account_series": mine,
        }
    )
    y = alt.Y("label:N", title=None, sort=data["label"].tolist(), axis=alt.Axis(labelLimit=420))
    scale = alt.Scale(domain=["Benchmark", mine], range=[FAINT, PRIMARY])
    tooltip = [
        alt.Tooltip("label:N", title="Benchmark"),
        alt.Tooltip("definition:N", title="Definition"),
        alt.Tooltip("benchmark:Q", title="Benchmark value", format=".2%"),
        alt.Tooltip("account:Q", title=mine, format=".2%"),
    ]
    base = alt.Chart(data)
    bars = base.mark_bar(height=14).encode(
        x=alt.X("benchmark:Q", title=title, axis=alt.Axis(format=".0%")),
        y=y,
        color=alt.Color(
            "benchmark_series:N", title=None, scale=scale, legend=alt.Legend(orient="top", labelLimit=400)
        ),
        tooltip=tooltip,
    )
    marks = base.mark_point(shape="diamond", filled=True, size=120, opacity=1).encode(
        x="account:Q", y=y, color=alt.Color("account_series:N", scale=scale), tooltip=tooltip
    )
    return alt.layer(bars, marks).properties(height=_rows_height(len(data)), autosize=FIT_WIDTH)


def _unique(labels: list[str]) -> list[str]:
    """Labels made unique with a counter, so two rows never share (and stack on) one band."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def accounts_chart(
    frame: pd.DataFrame, columns: dict[str, str], axis_title: str, number_format: str
) -> alt.Chart:
    """KPIs side by side per account: one group of bars per KPI, one bar per account.

    `frame` is `metrics.kpis_by_account` (one row per account, primary first); `columns` maps the
    KPI columns to show to their labels; all share one unit (`axis_title`, d3 `number_format`).
    """
    long = frame.melt(id_vars="account", value_vars=list(columns), var_name="kpi", value_name="value")
    long["kpi"] = long["kpi"].map(columns)
    accounts = frame["account"].tolist()
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                "kpi:N", title=None, sort=list(columns.values()), axis=alt.Axis(labelAngle=0, labelLimit=220)
            ),
            xOffset=alt.XOffset("account:N", sort=accounts),
            y=alt.Y("value:Q", title=axis_title, axis=alt.Axis(format=number_format)),
            color=alt.Color(
                "account:N",
                title="Account",
                sort=accounts,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=accounts, range=[PRIMARY, INK, SECONDARY, MUTED, UP, "#F5A623"]),
            ),
            tooltip=[
                alt.Tooltip("account:N", title="Account"),
                alt.Tooltip("kpi:N", title="KPI"),
                alt.Tooltip("value:Q", title="Value", format=number_format),
            ],
        )
        .properties(height=260)
    )


def picked_period(event: object) -> tuple[date, date] | None:
    """The first and last day of the bar clicked in `period_likes_chart`, from st.altair_chart's
    selection event (None when nothing is picked)."""
    selection = (event or {}).get("selection") or {}  # type: ignore[attr-defined]
    points = selection.get(PERIOD_PICK) or []
    point = points[0] if isinstance(points, list) and points else None
    if not isinstance(point, dict) or not {"first_key", "last_key"} <= point.keys():
        return None
    try:
        return date.fromisoformat(str(point["first_key"])), date.fromisoformat(str(point["last_key"]))
    except ValueError:
        return None
