"""Altair charts that put the account beside others: published benchmarks and competitors."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts import (
    FAINT,
    FIT_WIDTH,
    INK,
    MUTED,
    PRIMARY,
    SECONDARY,
    UP,
    Layered,
    rows_height,
)
from ui.format import handle

GOALS_SERIES = "Used for goals"


def benchmark_chart(rows: pd.DataFrame, account: str, title: str) -> Layered:
    """Published benchmarks as bars, the account's value on each row's own definition as a diamond.

    `rows` is `benchmarks.benchmark_comparison` output for one metric: source, year, segment,
    statistic, definition, value and account_value (fractions). `title` names the axis and its unit.
    Where `rows` has a true `goal_reference` (benchmarks.fit_table), that bar is drawn darker and
    named as the one goals are compared with.
    """
    mine = f"{handle(account)}, same definition"
    used = rows["goal_reference"].fillna(False).astype(bool) if "goal_reference" in rows else None
    # The population tells rows of one segment apart ("brands with >=5k followers" against "brands"),
    # unless the segment already is a follower range.
    populations = [
        "" if "followers" in str(seg) else pop
        for seg, pop in zip(
            rows["segment"], rows["population"] if "population" in rows else [""] * len(rows), strict=True
        )
    ]
    labels = [
        f"{s} {y} · {seg}{f', {pop}' if pop else ''} · {stat} · {period} data"
        for s, y, seg, pop, stat, period in zip(
            rows["source"],
            rows["year"],
            rows["segment"],
            populations,
            rows["statistic"],
            rows["data_period"],
            strict=True,
        )
    ]
    data = pd.DataFrame(
        {
            "label": _unique(labels),
            "definition": rows["definition"],
            "benchmark": rows["value"],
            "account": rows["account_value"],
            "benchmark_series": "Benchmark"
            if used is None
            else [GOALS_SERIES if u else "Benchmark" for u in used],
            "account_series": mine,
        }
    )
    y = alt.Y("label:N", title=None, sort=data["label"].tolist(), axis=alt.Axis(labelLimit=420))
    with_goals = used is not None and bool(used.any())
    scale = alt.Scale(
        domain=["Benchmark", *([GOALS_SERIES] if with_goals else []), mine],
        range=[FAINT, *([MUTED] if with_goals else []), PRIMARY],
    )
    tooltip = [
        alt.Tooltip("label:N", title="Benchmark"),
        alt.Tooltip("definition:N", title="Definition"),
        alt.Tooltip("benchmark:Q", title="Benchmark value", format=".2%"),
        alt.Tooltip("account:Q", title=mine, format=".2%"),
    ]
    base = alt.Chart(data)
    bars = base.mark_bar(height=14).encode(
        x=alt.X("benchmark:Q", title=title, axis=alt.Axis(format=".1~%")),  # 0.5%, not a second "1%"
        y=y,
        color=alt.Color(
            "benchmark_series:N", title=None, scale=scale, legend=alt.Legend(orient="top", labelLimit=400)
        ),
        tooltip=tooltip,
    )
    marks = base.mark_point(shape="diamond", filled=True, size=120, opacity=1).encode(
        x=alt.X("account:Q"), y=y, color=alt.Color("account_series:N", scale=scale), tooltip=tooltip
    )
    return alt.layer(bars, marks).properties(height=rows_height(len(data)), autosize=FIT_WIDTH)


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
