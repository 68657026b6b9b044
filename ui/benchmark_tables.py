"""The Benchmarks page's published figures for one metric: the rows that fit the account charted
and listed (the one goals are compared with highlighted), the rest folded away with the reason
each does not fit."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from kpi_core.metrics.benchmarks import BenchmarkFit, fit_finding
from ui import comparison_charts, drawing, findings, session
from ui.format import benchmark_note, handle, points, text_columns
from ui.tables import PERCENT, highlighted
from ui.text import escape_md

USED_FOR_GOALS = "✓ goals are compared with this"
_ORDER = ["source", "definition", "segment", "value", "account_value", "difference", "year", "population"]


def _columns(own_definition: str) -> dict[str, ColumnConfig]:
    return {
        "source": st.column_config.TextColumn("Source"),
        "year": st.column_config.TextColumn("Report year"),
        "segment": st.column_config.TextColumn("Segment"),
        "value": st.column_config.TextColumn("Benchmark"),
        "account_value": st.column_config.TextColumn(
            "This account, same definition",
            help=f"{own_definition}; the median or average as the row's statistic says (n/a: no value).",
        ),
        "difference": st.column_config.TextColumn(
            "Difference", help="This account − benchmark, in percentage points"
        ),
        "definition": st.column_config.TextColumn("Definition (as published)", width="medium"),
        "population": st.column_config.TextColumn("Population"),
        "data_period": st.column_config.TextColumn("Data from"),
        "url": st.column_config.LinkColumn("Published at", display_text="Source ↗"),
        "goal_reference": st.column_config.TextColumn(
            "Goals",
            help="The fitting median goals on this metric are compared with (Goals and What-if pages)",
        ),
        "fit_note": st.column_config.TextColumn("Why it does not fit", width="medium"),
    }


def _written(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with every number written out as text ("n/a" where missing: st.dataframe would say None)."""
    out = text_columns(rows, {"value": PERCENT, "account_value": PERCENT, "difference": points, "year": "{}"})
    out["goal_reference"] = [USED_FOR_GOALS if used else "" for used in rows["goal_reference"]]
    out["fit_note"] = rows["fit_note"].fillna("")
    return out


def metric_section(
    rows: pd.DataFrame,
    account: str,
    fit: BenchmarkFit,
    *,
    heading: str,
    axis_title: str,
    own_definition: str,
    rule: str,
) -> None:
    """One metric's published figures (`benchmarks.fit_table` rows of that metric) against `fit`."""
    metric = str(rows["metric"].iloc[0])
    fitting = session.derived(fit_finding, rows, metric, fit)
    st.markdown(f"**{heading}**")
    columns = _columns(own_definition)
    if fitting.shown:
        drawing.chart(comparison_charts.benchmark_chart, fitting.table, account, axis_title, width="stretch")
        st.caption(
            f"Published figures that fit {escape_md(fit.describe())}. Diamond: {escape_md(handle(account))}, "
            f"{own_definition}, then the median or the average over its videos in the period, as each row's "
            "benchmark is defined. " + escape_md(benchmark_note(fitting.table, rule))
        )
        written = session.derived(_written, fitting.table)
        reference = ["goal_reference"] if fitting.table["goal_reference"].any() else []
        st.dataframe(
            highlighted(written.style, "goal_reference") if reference else written,
            hide_index=True,
            width="stretch",
            column_order=[*reference, *_ORDER, "data_period", "url"],
            column_config=columns,
            key=f"benchmarks_{metric}",
        )
    else:
        findings.say(str(fitting.reason))
    others = rows[~rows["fits"]]
    if others.empty:
        return
    with st.expander(
        f"Other published figures on this metric ({len(others)}): other industries or follower bands"
    ):
        st.dataframe(
            session.derived(_written, others),
            hide_index=True,
            width="stretch",
            column_order=["fit_note", *_ORDER, "data_period", "url"],
            column_config=columns,
            key=f"benchmarks_{metric}_other",
        )
