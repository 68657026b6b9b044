"""Altair charts of the planning pages: the burn-up of a goal and a what-if scenario."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts import INK, MUTED, PRIMARY, SECONDARY, Layered


def burnup_chart(path: pd.DataFrame, needed: pd.DataFrame, deadline: object, unit: str) -> Layered:
    """A goal's burn-up: actual to date, the path needed, the projection with its 80 % band,
    the target line and the deadline.

    `path` has date, actual, low, expected, high, target (Projection.path_frame()); `needed` has
    date and needed (two points: today's value and the target at the deadline).
    """
    base = alt.Chart(path).encode(x=alt.X("date:T", title="Day"))
    band = base.mark_area(color=PRIMARY, opacity=0.15).encode(
        y=alt.Y("low:Q", title=unit),
        y2=alt.Y2("high:Q"),
        tooltip=[
            alt.Tooltip("date:T", title="Day", format="%d %b %Y"),
            alt.Tooltip("low:Q", title="80% band from", format=",.4~g"),
            alt.Tooltip("high:Q", title="80% band to", format=",.4~g"),
        ],
    )
    expected = base.mark_line(color=PRIMARY, strokeDash=[6, 3]).encode(
        y=alt.Y("expected:Q"),
        tooltip=[
            alt.Tooltip("date:T", format="%d %b %Y", title="Day"),
            alt.Tooltip("expected:Q", title="Projected (median)", format=",.4~g"),
        ],
    )
    actual = base.mark_line(color=INK, strokeWidth=2.5).encode(
        y=alt.Y("actual:Q"),
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
            x=alt.X("date:T"),
            y=alt.Y("needed:Q"),
            tooltip=[alt.Tooltip("needed:Q", title="Needed path", format=",.4~g")],
        )
    )
    end = (
        alt.Chart(pd.DataFrame({"date": [pd.Timestamp(deadline)]}))
        .mark_rule(color=MUTED)
        .encode(x=alt.X("date:T"))
    )
    return alt.layer(band, expected, actual, need, target, end).properties(height=300)


def scenario_chart(curve: pd.DataFrame, unit: str) -> Layered:
    """Baseline against scenario: expected paths, the scenario's 80 % band, actual and target.

    `curve` has date, actual, baseline, scenario, scenario_low, scenario_high, target.
    """
    base = alt.Chart(curve).encode(x=alt.X("date:T", title="Day"))
    band = base.mark_area(color=PRIMARY, opacity=0.15).encode(
        y=alt.Y("scenario_low:Q", title=unit), y2=alt.Y2("scenario_high:Q")
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
            x=alt.X("date:T"),
            y=alt.Y("value:Q"),
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
        .encode(y=alt.Y("target:Q"), tooltip=[alt.Tooltip("target:Q", title="Target", format=",.4~g")])
    )
