"""Altair charts: an aggregated DataFrame in, a chart out. No st.* calls here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import altair as alt
import pandas as pd

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
            x=alt.X("date:T"),
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


# ---------------------------------------------------------------------------------------------
# Trends

GRAIN_LABELS = {"day": "Day", "week": "Week", "month": "Month"}
PERIOD_PICK = "period_pick"  # the selection a click on a period bar sets (fields first_key, last_key)
_RATE_LABELS = {"like_rate": "Like rate", "engagement_rate_by_view": "Engagement rate by view"}
_RATE_MEAN_LABELS = {"like_rate_7d": "7-day like rate", "like_rate_28d": "28-day like rate"}
TARGET_LABELS = {"profile_views": "Profile views", "net_follower_change": "Net follower change"}


def rows_height(n: int) -> int:
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
            x2=alt.X2("bar_end:T"),
            y=alt.Y("likes:Q", title=f"Likes per {grain}", axis=alt.Axis(labelExpr=COMPACT_LABELS)),
            y2=alt.Y2Datum(0),
            # alt.condition(pick, alt.value(0.9), alt.value(0.35)), written as the object it makes.
            opacity=alt.OpacityValue(
                0.35, condition=alt.ConditionalParameterValueDefnumberExprRef(param=pick.name, value=0.9)
            ),
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
    zero = (
        alt.Chart(pd.DataFrame({"r": [0.0]})).mark_rule(color=MUTED, strokeDash=[4, 4]).encode(y=alt.Y("r:Q"))
    )
    return alt.layer(zero, lines).properties(height=240, autosize=FIT_WIDTH)


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
