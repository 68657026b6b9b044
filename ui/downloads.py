"""Download buttons: tables as CSV and XLSX, charts as PNG and SVG, the one-page report as HTML.

Files are made only when the visitor clicks: `st.download_button` gets a callable, which
Streamlit runs on its own thread, outside the script run. So the callables only get plain data
captured during the run (a DataFrame, a chart, a `Report`), never `st.session_state` or the
session's DuckDB store, and a click does not rerun the page (`on_click="ignore"`).
"""

from __future__ import annotations

import re
from datetime import datetime

import altair as alt
import pandas as pd
import streamlit as st
import vl_convert

from kpi_core.metrics import trends
from kpi_core.planning.goals import Goal
from kpi_core.report import export
from kpi_core.report import summary as report
from kpi_core.report.html import report_html
from ui import cards, planning, session
from ui.widgets import Period

__all__ = [
    "build_report",
    "chart_downloads",
    "chart_spec",
    "file_stem",
    "png_bytes",
    "report_download",
    "report_file",
    "svg_text",
    "table_downloads",
]

EXPORT_WIDTH = 720  # pixels; a chart on screen stretches to its column, a file needs a width
REPORT_CHART_SIZE = {"width": 820, "height": 240}
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_stem(*parts: object) -> str:
    """A file name from parts (handles, dates), joined by "_": only ASCII letters, digits, dots and dashes.

    >>> file_stem("likes", "lumen.skincare", "2026-08-23")
    'likes_lumen.skincare_2026-08-23'
    """
    cleaned = [re.sub(r"[^A-Za-z0-9.-]+", "-", str(p)).strip(".-") for p in parts]
    return "_".join(c for c in cleaned if c) or "download"


# ---------------------------------------------------------------------------------------------
# Charts


def chart_spec(chart: alt.TopLevelMixin, width: int | None = EXPORT_WIDTH, height: int | None = None) -> dict:
    """The chart's Vega-Lite spec (data inline) with a fixed width (and height) for a file."""
    spec = chart.to_dict()
    if "layer" in spec or "mark" in spec:  # concatenated charts size each part instead
        if width is not None:
            spec["width"] = width
        if height is not None:
            spec["height"] = height
    return spec


def png_bytes(spec: dict) -> bytes:
    """The chart as a PNG at twice its pixel size (sharp on high-density screens and in print)."""
    return vl_convert.vegalite_to_png(spec, scale=2)


def svg_text(spec: dict) -> str:
    """The chart as an SVG document."""
    return vl_convert.vegalite_to_svg(spec)


def chart_downloads(chart: alt.TopLevelMixin, name: str, what: str = "Chart") -> None:
    """PNG and SVG buttons for a chart; the image is drawn from its aggregated data on click."""
    st.download_button(
        f"{what} (PNG)",
        lambda: png_bytes(chart_spec(chart)),
        file_name=f"{name}.png",
        mime="image/png",
        key=f"dl_{name}_png",
        on_click="ignore",
        icon=":material/image:",
        width="stretch",
    )
    st.download_button(
        f"{what} (SVG)",
        lambda: svg_text(chart_spec(chart)),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        key=f"dl_{name}_svg",
        on_click="ignore",
        icon=":material/draw:",
        width="stretch",
    )


# ---------------------------------------------------------------------------------------------
# Tables


def table_downloads(frame: pd.DataFrame, name: str, what: str = "Table") -> None:
    """CSV and XLSX buttons for a table; text that a spreadsheet would run as a formula is neutralised."""
    st.download_button(
        f"{what} (CSV)",
        lambda: export.to_csv_bytes(frame),
        file_name=f"{name}.csv",
        mime=CSV,
        key=f"dl_{name}_csv",
        on_click="ignore",
        icon=":material/csv:",
        width="stretch",
    )
    st.download_button(
        f"{what} (XLSX)",
        lambda: export.to_xlsx_bytes(frame, sheet_name=what.lower()),
        file_name=f"{name}.xlsx",
        mime=XLSX,
        key=f"dl_{name}_xlsx",
        on_click="ignore",
        icon=":material/table:",
        width="stretch",
    )


# ---------------------------------------------------------------------------------------------
# The report


def _goal_summaries(account: str) -> tuple[report.ReportGoal, ...]:
    """The account's goals from the Goals page (st.session_state["goals"]), as the page judges them."""
    summaries = []
    for saved in st.session_state.get("goals", []):
        try:
            goal = Goal.from_dict(saved)
        except (ValueError, TypeError, KeyError):
            continue
        if goal.account != account:
            continue
        summaries.append(report.goal_summary(planning.assessment(goal)))
    return tuple(summaries)


def _scenario(account: str) -> tuple[report.ReportScenario | None, str]:
    """The What-if page's current scenario (its widget keys), or why there is none."""
    state = st.session_state
    if any(planning.key(name) not in state for name in planning.URL_PARAMS):
        return None, "No what-if scenario in this session yet: plan one on the What-if page."
    try:
        goal = Goal(
            account=account,
            metric=state[planning.key("metric")],
            target=state[planning.key("target")],
            start=state[planning.key("start")],
            deadline=state[planning.key("deadline")],
        )
        scenario = planning.scenario_from_state()
    except (ValueError, TypeError) as problem:
        return None, f"The what-if scenario is incomplete: {problem}"
    result = planning.assessment(goal).what_if(scenario)
    return report.scenario_summary(goal, result, planning.baseline(account).posts_per_week), ""


def build_report(filters: Period, comparison: pd.DataFrame) -> report.Report:
    """The report's plain data for the sidebar's account and period (cheap: every part is memoised)."""
    trend = session.memo(
        trends.likes_trend, filters.account, filters.date_from, filters.date_to, filters.include_provisional
    )
    scenario, scenario_note = _scenario(filters.account)
    return report.Report(
        account=filters.account,
        date_from=filters.date_from,
        date_to=filters.date_to,
        generated=datetime.now(),
        cards=report.kpi_cards(comparison, cards.OVERVIEW_CARDS),
        trend_verdict=trend.verdict,
        trend_sentence=trend.sentence,
        goals=_goal_summaries(filters.account),
        scenario=scenario,
        scenario_note=scenario_note,
        include_provisional=filters.include_provisional,
    )


def report_file(data: report.Report, chart: alt.TopLevelMixin | None) -> bytes:
    """The report as UTF-8 HTML, with the chart drawn as inline SVG."""
    svg = svg_text(chart_spec(chart, **REPORT_CHART_SIZE)) if chart is not None else None
    return report_html(data, chart_svg=svg).encode("utf-8")


def report_download(
    filters: Period, comparison: pd.DataFrame, chart: alt.TopLevelMixin | None, name: str
) -> None:
    """A button for the one-page HTML report (KPI cards, likes trend, goals, the what-if scenario)."""
    data = build_report(filters, comparison)
    st.download_button(
        "Report (HTML)",
        lambda: report_file(data, chart),
        file_name=f"{name}.html",
        mime="text/html",
        key=f"dl_{name}_html",
        on_click="ignore",
        icon=":material/description:",
        width="stretch",
        type="primary",
        help="One self-contained page to share or print; your browser's Print can save it as PDF.",
    )
