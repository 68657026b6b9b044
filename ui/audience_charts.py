"""Altair charts of the Audience page: shares of followers, viewers over time, when followers are
online and the posting hours against it. An aggregated DataFrame in (kpi_core.metrics.audience), a
chart out; no st.* calls here."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts import COMPACT_LABELS, FIT_WIDTH, INK, PRIMARY, SECONDARY, Layered, rows_height

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOURS = list(range(24))
VIEWER_SERIES = {"new_per_day": "New viewers", "returning_per_day": "Returning viewers"}
MATCH_SERIES = {"follower_share": "Followers online", "video_share": "Your videos posted"}


def shares_chart(table: pd.DataFrame, label: str, title: str) -> Layered:
    """One bar per key of a follower split, its share written beside it.

    `table` is `audience.gender_finding(...).table` or `territory_finding(...).table`: `label` names
    the column to show (key, or name for territories) and share (a fraction 0..1).
    """
    data = pd.DataFrame({"label": table[label], "share": table["share"]})
    y = alt.Y("label:N", title=None, sort=data["label"].tolist(), axis=alt.Axis(labelLimit=260))
    x = alt.X("share:Q", title=title, axis=alt.Axis(format=".0%"), scale=alt.Scale(domainMin=0))
    tooltip = [alt.Tooltip("label:N", title="Followers"), alt.Tooltip("share:Q", title="Share", format=".1%")]
    bars = alt.Chart(data).mark_bar(color=PRIMARY, height=16).encode(x=x, y=y, tooltip=tooltip)
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, color=INK)
        .encode(x=x, y=y, text=alt.Text("share:Q", format=".1%"))
    )
    return alt.layer(bars, text).properties(height=rows_height(len(data)), autosize=FIT_WIDTH)


def viewers_chart(table: pd.DataFrame, grain: str) -> Layered:
    """New and returning viewers per day as stacked bars, one bar per day or per week, with the
    returning share as a line on its own axis (a spike in viewers does not hide how the mix moves).

    `table` is `audience.viewers_finding(...).table`: period (first day), first_day, last_day, days,
    new_per_day, returning_per_day (viewers per day, means over the bucket's days), returning_share.
    """
    frame = table.assign(label=[f"{d:%d %b}" for d in pd.to_datetime(table["period"])])
    long = frame.melt(
        id_vars=["label", "first_day", "last_day", "days", "returning_share"],
        value_vars=list(VIEWER_SERIES),
        var_name="series",
        value_name="viewers",
    )
    long["series"] = long["series"].map(VIEWER_SERIES)
    long["order"] = long["series"].map({v: i for i, v in enumerate(VIEWER_SERIES.values())})
    x = alt.X(
        "label:O",
        title="Week from (Monday)" if grain == "week" else "Day",
        sort=frame["label"].tolist(),
        axis=alt.Axis(labelAngle=-45 if len(frame) > 16 else 0),
    )
    tooltip = [
        alt.Tooltip("first_day:T", title="From", format="%a %d %b %Y"),
        alt.Tooltip("last_day:T", title="To", format="%a %d %b %Y"),
        alt.Tooltip("days:Q", title="Days with counts"),
        alt.Tooltip("returning_share:Q", title="Returning share", format=".1%"),
    ]
    per = "Viewers per day" + (", mean over the week" if grain == "week" else "")
    bars = (
        alt.Chart(long)
        .mark_bar(opacity=0.85)
        .encode(
            x=x,
            y=alt.Y("viewers:Q", title=per, stack="zero", axis=alt.Axis(labelExpr=COMPACT_LABELS)),
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=list(VIEWER_SERIES.values()), range=[SECONDARY, PRIMARY]),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                *tooltip[:3],
                alt.Tooltip("series:N", title="Viewers"),
                alt.Tooltip("viewers:Q", title="Per day", format=",.0f"),
                tooltip[3],
            ],
        )
    )
    share = (
        alt.Chart(frame)
        .mark_line(color=INK, point=alt.OverlayMarkDef(color=INK, size=30), strokeWidth=1.5)
        .encode(
            x=x,
            y=alt.Y(
                "returning_share:Q",
                title="Returning share (line)",
                axis=alt.Axis(format=".0%", orient="right"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            tooltip=tooltip,
        )
    )
    return alt.layer(bars, share).resolve_scale(y="independent").properties(height=280)


def activity_heatmap_chart(cells: pd.DataFrame) -> alt.Chart:
    """Followers online per weekday and hour, by colour.

    `cells` is `audience.activity_finding(...).table`: weekday_name, hour (0-23), active_followers
    (mean per day), days.
    """
    return (
        alt.Chart(cells)
        .mark_rect(stroke="white")
        .encode(
            x=alt.X(
                "hour:O", title="Hour (0-23)", scale=alt.Scale(domain=HOURS), axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("weekday_name:N", title=None, scale=alt.Scale(domain=list(WEEKDAYS))),
            color=alt.Color(
                "active_followers:Q",
                title="Followers online",
                scale=alt.Scale(range=["#E6FEFD", "#0E8C88"]),
                legend=alt.Legend(labelExpr=COMPACT_LABELS, gradientLength=90),
            ),
            tooltip=[
                alt.Tooltip("weekday_name:N", title="Weekday"),
                alt.Tooltip("hour:O", title="Hour"),
                alt.Tooltip("active_followers:Q", title="Followers online", format=",.0f"),
                alt.Tooltip("days:Q", title="Days counted"),
            ],
        )
        .properties(height=7 * 30, autosize=FIT_WIDTH)
    )


def posting_match_chart(table: pd.DataFrame) -> Layered:
    """Per hour of the day, the share of the followers' activity beside the share of the videos
    posted; the followers' busiest hours are shaded.

    `table` is `audience.posting_match_finding(...).table`: hour, follower_share, video_share
    (fractions 0..1 of the day's total), active_followers, videos, peak.
    """
    long = table.melt(
        id_vars=["hour", "active_followers", "videos", "peak"],
        value_vars=list(MATCH_SERIES),
        var_name="series",
        value_name="share",
    )
    long["series"] = long["series"].map(MATCH_SERIES)
    long["busiest"] = ["one of the followers' busiest hours" if p else "" for p in long["peak"]]
    x = alt.X(
        "hour:O", title="Hour of day (0-23)", scale=alt.Scale(domain=HOURS), axis=alt.Axis(labelAngle=0)
    )
    shade = (
        alt.Chart(table[table["peak"]])
        .mark_rect(color=SECONDARY, opacity=0.15)
        .encode(x=x, tooltip=[alt.Tooltip("hour:O", title="One of the followers' busiest hours")])
    )
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=x,
            xOffset=alt.XOffset("series:N", sort=list(MATCH_SERIES.values())),
            y=alt.Y("share:Q", title="Share of the day", axis=alt.Axis(format=".0%")),
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=list(MATCH_SERIES.values()), range=[SECONDARY, PRIMARY]),
            ),
            tooltip=[
                alt.Tooltip("hour:O", title="Hour"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("share:Q", title="Share of the day", format=".1%"),
                alt.Tooltip("active_followers:Q", title="Followers online (mean)", format=",.0f"),
                alt.Tooltip("videos:Q", title="Videos posted"),
                alt.Tooltip("busiest:N", title="Note"),
            ],
        )
    )
    return alt.layer(shade, bars).properties(height=260)
