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


def burnup_chart(path: pd.DataFrame, needed: pd.DataFrame, deadline: object, unit: str) -> alt.LayerChart:
    """A goal's burn-up: actual to date, the path needed, the projection with its 80 % band,
    the target line and the deadline.

    `path` has date, actual, low, expected, high, target (Projection.path_frame()); `needed` has
    date and needed (two points: today's value and the target at the deadline).
    """
    base = alt.Chart(path).encode(x=alt.X("date:T", title="Day"))
    band = base.mark_area(color=PRIMARY, opacity=0.15).encode(
        y=alt.Y("low:Q", title=unit), y2="high:Q",
        tooltip=[alt.Tooltip("date:T", title="Day", format="%d %b %Y"),
                 alt.Tooltip("low:Q", title="80% band from", format=",.4~g"),
                 alt.Tooltip("high:Q", title="80% band to", format=",.4~g")])
    expected = base.mark_line(color=PRIMARY, strokeDash=[6, 3]).encode(
        y="expected:Q", tooltip=[alt.Tooltip("date:T", format="%d %b %Y", title="Day"),
                                 alt.Tooltip("expected:Q", title="Projected (median)", format=",.4~g")])
    actual = base.mark_line(color=INK, strokeWidth=2.5).encode(
        y="actual:Q", tooltip=[alt.Tooltip("date:T", format="%d %b %Y", title="Day"),
                               alt.Tooltip("actual:Q", title="Actual", format=",.4~g")])
    target = _target_rule(path)
    need = alt.Chart(needed).mark_line(color=SECONDARY, strokeWidth=2).encode(
        x="date:T", y="needed:Q", tooltip=[alt.Tooltip("needed:Q", title="Needed path", format=",.4~g")])
    end = alt.Chart(pd.DataFrame({"date": [pd.Timestamp(deadline)]})).mark_rule(color=MUTED).encode(x="date:T")
    return alt.layer(band, expected, actual, need, target, end).properties(height=300)


def scenario_chart(curve: pd.DataFrame, unit: str) -> alt.LayerChart:
    """Baseline against scenario: expected paths, the scenario's 80 % band, actual and target.

    `curve` has date, actual, baseline, scenario, scenario_low, scenario_high, target.
    """
    base = alt.Chart(curve).encode(x=alt.X("date:T", title="Day"))
    band = base.mark_area(color=PRIMARY, opacity=0.15).encode(y=alt.Y("scenario_low:Q", title=unit),
                                                              y2="scenario_high:Q")
    long = curve.melt(id_vars="date", value_vars=["actual", "baseline", "scenario"], var_name="series",
                      value_name="value").dropna()
    long["series"] = long["series"].map({"actual": "Actual", "baseline": "Today's pace", "scenario": "Scenario"})
    lines = alt.Chart(long).mark_line(strokeWidth=2).encode(
        x="date:T", y="value:Q",
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=["Actual", "Today's pace", "Scenario"], range=[INK, MUTED, PRIMARY])),
        tooltip=[alt.Tooltip("date:T", title="Day", format="%d %b %Y"), alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("value:Q", title=unit, format=",.4~g")])
    target = _target_rule(curve)
    return alt.layer(band, lines, target).properties(height=320)


def _target_rule(frame: pd.DataFrame) -> alt.Chart:
    value = float(frame["target"].dropna().iloc[0]) if frame["target"].notna().any() else 0.0
    return alt.Chart(pd.DataFrame({"target": [value]})).mark_rule(color=MUTED, strokeDash=[4, 4]).encode(
        y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target", format=",.4~g")])
