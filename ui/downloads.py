"""Download buttons: tables as CSV and XLSX, charts as PNG and SVG, the one-page report as HTML,
and the workspace file that keeps the session's work.

Files are made only when the visitor clicks: `st.download_button` gets a callable, which
Streamlit runs on its own thread, outside the script run. So the callables only get plain data
captured during the run (a DataFrame, a `Report`, a `ChartMaker` over a DataFrame), never
`st.session_state` or the session's DuckDB store, and a click does not rerun the page
(`on_click="ignore"`). Charts are built on click too: building one costs more than the rest of
the buttons together, and most runs end without a click.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st
import vl_convert

from kpi_core import workspace
from kpi_core.metrics import scope, trends
from kpi_core.metrics.comparison import compare_periods, per_day_note
from kpi_core.metrics.digest import period_bands
from kpi_core.metrics.findings import day_span
from kpi_core.metrics.goal_metrics import GOAL_METRICS
from kpi_core.planning.goals import Goal
from kpi_core.report import export
from kpi_core.report import summary as report
from kpi_core.report.html import report_html
from ui import cards, charts, plan_charts, planning, session
from ui.entry import FILTERS_KEY
from ui.format import handle
from ui.widgets import Filters, Period

ChartMaker = Callable[[], alt.TopLevelMixin]  # a chart built on click (from data captured in the run)

__all__ = [
    "ChartMaker",
    "build_report",
    "chart_downloads",
    "chart_spec",
    "chart_title",
    "file_stem",
    "png_bytes",
    "report_and_workspace",
    "report_download",
    "report_file",
    "svg_text",
    "table_downloads",
    "workspace_download",
]

EXPORT_WIDTH = 720  # pixels; a chart on screen stretches to its column, a file needs a width
REPORT_CHART_WIDTH, REPORT_CHART_HEIGHT = 820, 240
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


def chart_title(what: str, period: Period) -> dict[str, str]:
    """A file's chart title: what it shows, and whose data over which days (the subtitle reads
    '@brand · 01 Mar 2026 – 31 Mar 2026')."""
    return {
        "text": what,
        "subtitle": f"{handle(period.account)} · {day_span(period.date_from, period.date_to)}",
    }


def chart_spec(
    chart: alt.TopLevelMixin,
    width: int | None = EXPORT_WIDTH,
    height: int | None = None,
    title: dict[str, str] | None = None,
) -> dict:
    """The chart's Vega-Lite spec (data inline) with a fixed width (and height) for a file, and
    its title when given (a file leaves the page that said whose chart it is)."""
    spec = chart.to_dict()
    if "layer" in spec or "mark" in spec:  # concatenated charts size each part instead
        if width is not None:
            spec["width"] = width
        if height is not None:
            spec["height"] = height
    if title is not None:
        spec["title"] = {**title, "anchor": "start", "fontSize": 15, "subtitleFontSize": 12}
    return spec


def png_bytes(spec: dict) -> bytes:
    """The chart as a PNG at twice its pixel size (sharp on high-density screens and in print)."""
    return vl_convert.vegalite_to_png(spec, scale=2)


def svg_text(spec: dict) -> str:
    """The chart as an SVG document."""
    return vl_convert.vegalite_to_svg(spec)


def chart_downloads(chart: ChartMaker, name: str, what: str, period: Period) -> None:
    """PNG and SVG buttons for the chart `chart()` builds; the chart is built and drawn from its
    aggregated data on click, titled with `what`, the account and the period."""
    title = chart_title(what, period)
    st.download_button(
        f"{what} (PNG)",
        lambda: png_bytes(chart_spec(chart(), title=title)),
        file_name=f"{name}.png",
        mime="image/png",
        key=f"dl_{name}_png",
        on_click="ignore",
        icon=":material/image:",
        width="stretch",
    )
    st.download_button(
        f"{what} (SVG)",
        lambda: svg_text(chart_spec(chart(), title=title)),
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


def _scenario(account: str) -> tuple[report.ReportScenario | None, str, ChartMaker | None]:
    """The session's what-if scenario as the What-if page shows it on `account`, its chart (built
    on click), or why there is none."""
    planned = planning.plan(account)
    if isinstance(planned, str):
        return None, planned, None
    goal, scenario, origin = planned
    result = planning.what_if(goal, scenario)
    summary = report.scenario_summary(goal, result, planning.baseline(account).posts_per_week, origin or "")
    chart = (
        partial(plan_charts.scenario_chart, result.curve, GOAL_METRICS[goal.metric].label)
        if len(result.curve)
        else None
    )
    return summary, "", chart


def build_report(filters: Period, comparison: pd.DataFrame) -> tuple[report.Report, ChartMaker | None]:
    """The report's plain data for the sidebar's account and period, and the what-if scenario's
    chart to build on click (cheap: every part is memoised)."""
    trend = session.memo(
        trends.likes_trend, filters.account, filters.date_from, filters.date_to, filters.include_provisional
    )
    scenario, scenario_note, scenario_chart = _scenario(filters.account)
    per_day = session.memo(
        per_day_note, filters.account, filters.date_from, filters.date_to, filters.include_provisional
    )
    # The cards call a change a rise or a fall only beyond normal variation, as the Overview's do.
    bands = session.memo(
        period_bands, filters.account, filters.date_from, filters.date_to, filters.include_provisional
    )
    generated = datetime.now()
    goals = _goal_summaries(filters.account)
    # Plans on data that ended long ago say so, as the Goals and What-if pages do.
    old_data = planning.baseline(filters.account).age_note(generated.date()) if goals or scenario else None
    data = report.Report(
        account=filters.account,
        date_from=filters.date_from,
        date_to=filters.date_to,
        generated=generated,
        cards=session.derived(
            report.kpi_cards,
            comparison,
            cards.OVERVIEW_CARDS,
            bands,
            session.memo(scope.videos_listed_only, filters.account),
        ),
        trend_verdict=trend.verdict,
        trend_sentence=trend.sentence,
        goals=goals,
        scenario=scenario,
        scenario_note=scenario_note,
        include_provisional=filters.include_provisional,
        notes=(per_day,) if per_day else (),
        plan_note=old_data or "",
    )
    return data, scenario_chart


def report_file(
    data: report.Report, chart: alt.TopLevelMixin | None, scenario_chart: alt.TopLevelMixin | None = None
) -> bytes:
    """The report as UTF-8 HTML, with the charts drawn as inline SVG."""
    svg, scenario_svg = (
        None if c is None else svg_text(chart_spec(c, REPORT_CHART_WIDTH, REPORT_CHART_HEIGHT))
        for c in (chart, scenario_chart)
    )
    return report_html(data, chart_svg=svg, scenario_svg=scenario_svg).encode("utf-8")


def report_download(filters: Period, comparison: pd.DataFrame, chart: ChartMaker | None, name: str) -> None:
    """A button for the one-page HTML report (KPI cards, likes trend and `chart()`, goals, the
    what-if scenario and its chart), and beside it one that saves the workspace."""
    data, scenario_chart = build_report(filters, comparison)
    st.download_button(
        "Report (HTML)",
        lambda: report_file(data, chart() if chart else None, scenario_chart() if scenario_chart else None),
        file_name=f"{name}.html",
        mime="text/html",
        key=f"dl_{name}_html",
        on_click="ignore",
        icon=":material/description:",
        width="stretch",
        type="primary",
        help="One self-contained page to share or print (it fits one A4 sheet); your browser's Print "
        "can save it as PDF.",
    )
    workspace_download(name)


def report_and_workspace(account: str, where: str) -> None:
    """The report and workspace buttons on a page that has no period of its own (Goals, What-if):
    the report covers the sidebar's period, as Overview's does."""
    chosen: Filters = st.session_state[FILTERS_KEY]
    st.subheader("Report and workspace")
    if chosen.date_from is None or chosen.date_to is None:
        st.caption(f"The report needs daily data: {handle(account)} has none yet.")
        workspace_download(where)
        return
    period = Period(account, chosen.date_from, chosen.date_to, chosen.include_provisional)
    st.caption(
        f"The one-page report of {handle(account)} for the sidebar's period "
        f"({day_span(period.date_from, period.date_to)}): KPIs, likes trend, goals and this "
        "what-if scenario. The workspace file keeps all of your work for next time."
    )
    comparison = session.memo(
        compare_periods, account, period.date_from, period.date_to, period.include_provisional
    )
    rolling = session.memo(
        trends.rolling_means, account, period.date_from, period.date_to, period.include_provisional
    )
    chart = None if rolling.empty else partial(charts.likes_over_time_chart, rolling)
    left, _ = st.columns([1, 2])
    with left:
        report_download(period, comparison, chart, f"report_{where}_{file_stem(account, period.date_to)}")


# ---------------------------------------------------------------------------------------------
# The workspace


def workspace_download(where: str) -> None:
    """A button that saves the session's work as one file: its tables (as read from every upload),
    upload log, mappings, goals and what-if scenario (kpi_core/workspace)."""
    tables = session.saved_tables()  # once per data change
    state = session.saved_state()
    last = max((a.date_to for a in tables.accounts if a.date_to), default=None)
    name = file_stem("workspace", session.primary_account() or "empty", last or "") + ".zip"
    st.download_button(
        "Save workspace",
        lambda: workspace.workspace_bytes(tables, state, datetime.now()),
        file_name=name,
        mime="application/zip",
        key=f"dl_workspace_{where}",
        on_click="ignore",
        icon=":material/save:",
        width="stretch",
        help="One file with everything this session holds: your data as read from every upload, the "
        "upload log, goals and the what-if scenario. Nothing is kept on our server: upload this file "
        "on Your data next time to carry on, and add newer exports to it.",
    )
