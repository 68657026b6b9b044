"""Altair charts of the likes driver tree: the waterfall and the tree. DataFrames in, charts out."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kpi_core.metrics.findings import signed_plural
from ui.charts import COMPACT_LABELS, DOWN, FAINT, INK, MUTED, UP, Layered
from ui.format import NO_VALUE

_KIND_COLOURS = {"total": INK, "up": UP, "down": DOWN, "flat": FAINT}


def waterfall_chart(bars: pd.DataFrame) -> Layered:
    """Likes before, each driver's contribution, likes now: floating bars from one total to the other.

    `bars` is `kpi_core.metrics.drivers.waterfall` output: order, label, kind ("total", "up", "down",
    "flat"), start, end, value (likes).
    """
    data = bars.assign(
        shown=[
            f"{v:,.0f}" if kind == "total" else f"{v:+,.0f}"
            for v, kind in zip(bars["value"], bars["kind"], strict=True)
        ],
        top=bars[["start", "end"]].max(axis=1),
    )
    order = data["label"].tolist()
    # "Before · 1 Mar – 31 Mar 2026" on two lines, and every label shown (none dropped for overlap).
    axis = alt.Axis(labelAngle=0, labelLimit=200, labelOverlap=False, labelExpr="split(datum.label, ' · ')")
    x = alt.X("label:N", sort=order, title=None, axis=axis)
    kinds = list(_KIND_COLOURS)
    tooltip = [
        alt.Tooltip("label:N", title="Step"),
        alt.Tooltip("shown:N", title="Likes"),
        alt.Tooltip("start:Q", title="From", format=",.0f"),
        alt.Tooltip("end:Q", title="To", format=",.0f"),
    ]
    bar = (
        alt.Chart(data)
        .mark_bar(size=46)
        .encode(
            x=x,
            y=alt.Y("start:Q", title="Likes", axis=alt.Axis(labelExpr=COMPACT_LABELS)),
            y2=alt.Y2("end:Q"),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=[_KIND_COLOURS[k] for k in kinds]),
                legend=None,
            ),
            tooltip=tooltip,
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(dy=-8, color=INK, fontWeight="bold")
        .encode(x=x, y=alt.Y("top:Q"), text=alt.Text("shown:N"), tooltip=tooltip)
    )
    return (bar + text).properties(height=300)


def _value(value: object, fmt: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return NO_VALUE
    return fmt.format(value)


def tree_chart(nodes: pd.DataFrame) -> Layered:
    """Likes at the top, its drivers below, each with its value before and now (and its
    contribution in likes), joined by lines.

    `nodes` is `kpi_core.metrics.drivers.tree_nodes` output: node, parent, label, fmt, now, before,
    contribution.
    """
    children = nodes[nodes["parent"].notna()].reset_index(drop=True)
    step = 1 / (len(children) + 1)
    positions = {"likes": (0.5, 1.0)} | {
        name: ((i + 1) * step, 0.0) for i, name in enumerate(children["node"])
    }
    data = nodes.assign(
        x=[positions[n][0] for n in nodes["node"]],
        y=[positions[n][1] for n in nodes["node"]],
        values=[
            f"{_value(b, fmt)} → {_value(n, fmt)}"
            for b, n, fmt in zip(nodes["before"], nodes["now"], nodes["fmt"], strict=True)
        ],
        share=[
            "" if c is None or pd.isna(c) else signed_plural(c, "like")
            for c in nodes["contribution"].astype(object)
        ],
    )
    edges = pd.DataFrame(
        [{"x": positions["likes"][0], "y": 0.82, "x2": positions[n][0], "y2": 0.2} for n in children["node"]]
    )
    x = alt.X("x:Q", scale=alt.Scale(domain=[0, 1]), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[-0.35, 1.25]), axis=None)
    lines = (
        alt.Chart(edges)
        .mark_rule(color=FAINT, strokeWidth=2)
        .encode(x=x, y=y, x2=alt.X2("x2:Q"), y2=alt.Y2("y2:Q"))
    )
    tooltip = [
        alt.Tooltip("label:N", title="Node"),
        alt.Tooltip("values:N", title="Before → now"),
        alt.Tooltip("share:N", title="Contribution"),
    ]
    label = (
        alt.Chart(data)
        .mark_text(fontWeight="bold", fontSize=13, dy=-10, color=INK)
        .encode(x=x, y=y, text=alt.Text("label:N"), tooltip=tooltip)
    )
    values = (
        alt.Chart(data)
        .mark_text(fontSize=12, dy=6, color=INK)
        .encode(x=x, y=y, text=alt.Text("values:N"), tooltip=tooltip)
    )
    share = (
        alt.Chart(data)
        .mark_text(fontSize=11, dy=21, color=MUTED)
        .encode(x=x, y=y, text=alt.Text("share:N"), tooltip=tooltip)
    )
    return (lines + label + values + share).properties(height=300).configure_view(strokeWidth=0)
