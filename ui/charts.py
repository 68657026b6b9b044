"""Altair charts: an aggregated DataFrame in, a chart out. No st.* calls here."""

from __future__ import annotations

import altair as alt
import pandas as pd

PRIMARY = "#FE2C55"  # TikTok red
SECONDARY = "#25F4EE"  # TikTok cyan
INK = "#161823"
MUTED = "#8A8B91"

_MEAN_LABELS = {"likes_7d": "7-day mean", "likes_28d": "28-day mean"}


def likes_over_time_chart(daily: pd.DataFrame) -> alt.LayerChart:
    """Daily likes as bars with their 7- and 28-day rolling means as lines.

    `daily` has columns date, likes, likes_7d, likes_28d (likes per day).
    """
    bars = alt.Chart(daily).mark_bar(color=PRIMARY, opacity=0.35).encode(
        x=alt.X("date:T", title="Day"),
        y=alt.Y("likes:Q", title="Likes per day"),
        tooltip=[alt.Tooltip("date:T", title="Day", format="%a %d %b %Y"),
                 alt.Tooltip("likes:Q", title="Likes", format=",.0f"),
                 alt.Tooltip("likes_7d:Q", title="7-day mean", format=",.1f"),
                 alt.Tooltip("likes_28d:Q", title="28-day mean", format=",.1f")],
    )
    means = daily.melt(id_vars="date", value_vars=list(_MEAN_LABELS), var_name="series", value_name="value")
    means["series"] = means["series"].map(_MEAN_LABELS)
    lines = alt.Chart(means).mark_line(strokeWidth=2).encode(
        x="date:T",
        y=alt.Y("value:Q", title="Likes per day"),
        color=alt.Color("series:N", title=None, scale=alt.Scale(domain=list(_MEAN_LABELS.values()),
                                                                range=[INK, SECONDARY]),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("date:T", title="Day", format="%d %b %Y"), alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("value:Q", title="Likes per day", format=",.1f")],
    )
    return alt.layer(bars, lines).properties(height=320)
