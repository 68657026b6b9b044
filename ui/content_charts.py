"""Altair charts of the Content page: posting times, follower activity and with/without comparisons."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kpi_core.metrics.findings import plural
from ui.charts import (
    COMPACT_LABELS,
    DOWN,
    FAINT,
    FIT_WIDTH,
    INK,
    MUTED,
    NEUTRAL,
    PRIMARY,
    SECONDARY,
    UP,
    Layered,
    rows_height,
)

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

    `frame` is `uplift.hashtag_uplift` (key "hashtag") or `uplift.group_uplift` (key "group");
    `measure` is "likes" (likes per video) or "like_rate" (shown in percentage points). Rows
    without enough videos on both sides have no interval and say "not enough videos".
    """
    column, title, scale, number = _UPLIFT[measure]
    verdict = "likes_verdict" if measure == "likes" else "like_rate_verdict"
    data = pd.DataFrame(
        {
            "label": [
                f"{k} ({plural(n, 'video')})" for k, n in zip(frame[key], frame["videos_with"], strict=True)
            ],
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
        # Compact labels: a domain of one value (every point at 0) would otherwise read "0.000000".
        x=alt.X("low:Q", title=title, axis=alt.Axis(labelExpr=COMPACT_LABELS)),
        x2=alt.X2("high:Q"),
        y=y,
        color=colour,
        tooltip=tooltip,
    )
    point = base.mark_point(filled=True, size=70).encode(
        x=alt.X("value:Q"), y=y, color=colour, tooltip=tooltip
    )
    zero = (
        alt.Chart(pd.DataFrame({"value": [0.0]}))
        .mark_rule(color=MUTED, strokeDash=[4, 4])
        .encode(x=alt.X("value:Q"))
    )
    return alt.layer(zero, interval, point).properties(height=rows_height(len(data)), autosize=FIT_WIDTH)


def _verdicts(measure: str) -> list[str]:
    if measure == "likes":
        return ["more likes with", "fewer likes with", "no clear difference", NO_CLAIM]
    return ["higher like rate with", "lower like rate with", "no clear difference", NO_CLAIM]
