"""Overview: are our likes healthy and rising? KPI cards, what changed and why, likes over time, the trend."""

from functools import partial

import streamlit as st

from kpi_core.metrics import content_findings, scope, trend_findings, trends
from kpi_core.metrics.comparison import compare_periods, per_day_note
from kpi_core.metrics.digest import period_bands
from kpi_core.metrics.findings import day_span
from kpi_core.metrics.guards import FOLLOWER_BASE_RULE
from kpi_core.report import summary as report
from ui import charts, downloads, drawing, drivers, entry, session
from ui.cards import card_notes, kpi_table, overview_cards
from ui.format import handle
from ui.text import escape_md

filters = entry.open_page("Overview")

per_day = session.memo(
    per_day_note, filters.account, filters.date_from, filters.date_to, filters.include_provisional
)
st.caption(
    f"{escape_md(handle(filters.account))} · {day_span(filters.date_from, filters.date_to)}, "
    "compared with the previous period of the same length." + (f" {escape_md(per_day)}" if per_day else "")
)
comparison = session.memo(
    compare_periods, filters.account, filters.date_from, filters.date_to, filters.include_provisional
)
# The account's normal variation decides which changes the cards call a rise or a fall, as the
# digest's sentences do (the report's cards ask the same memo: ui/downloads.build_report).
bands = session.memo(
    period_bands, filters.account, filters.date_from, filters.date_to, filters.include_provisional
)
columns = st.columns(3)
sampled = session.memo(scope.videos_listed_only, filters.account)  # the videos listed: a sample
for i, card in enumerate(session.derived(overview_cards, comparison, bands, sampled)):
    columns[i % 3].metric(
        card.label,
        card.value,
        card.delta,
        help=card.help,
        border=True,
        delta_color="off" if card.muted else "normal",
        delta_arrow="off" if card.muted else "auto",
        delta_description=card.delta_note,
    )
for note in session.derived(card_notes, comparison):
    st.caption(escape_md(note))
if listed := session.memo(content_findings.listed_videos_note, filters.account):
    st.caption(escape_md(listed))

drivers.what_changed(filters)
drivers.why_likes_changed(filters)

st.subheader("Likes over time")
rolling = session.memo(
    trend_findings.rolling_finding,
    filters.account,
    filters.date_from,
    filters.date_to,
    filters.include_provisional,
)
if rolling.table.empty:
    st.info("This account has no daily likes in the period (daily likes come from the Overview export).")
elif rolling.reason:
    st.info(rolling.reason)
else:
    drawing.chart(charts.likes_over_time_chart, rolling.table, width="stretch")
    verdict = session.memo(
        trends.likes_trend, filters.account, filters.date_from, filters.date_to, filters.include_provisional
    )
    show = {"rising": st.success, "falling": st.warning}.get(verdict.verdict, st.info)
    show(f"**Trend: {verdict.verdict}.** {verdict.sentence}")
    st.caption(f"The trend of daily likes is {trends.VERDICT_RULE} {trends.WITHIN_PERIOD}")

with st.expander("How each number is computed"):
    # A table of text, drawn with the page's Markdown: each rule reads whole, and the first page
    # a visitor opens does not wait for a table's scripts (markdown_table).
    st.markdown(session.derived(kpi_table, comparison, sampled))
    st.caption(f"Engagement rate by follower and likes per 1k followers: {FOLLOWER_BASE_RULE}")

st.subheader("Download")
st.caption(
    "Files for the account and period above. Spreadsheet text that could run as a formula is "
    "neutralised; numbers stay numbers, rates are fractions (0.0345 is 3.45%)."
)
stem = downloads.file_stem(filters.account, filters.date_from, filters.date_to)
likes_chart = (
    None if rolling.table.empty or rolling.reason else partial(charts.likes_over_time_chart, rolling.table)
)
tables, images, page_report = st.columns(3)
with tables:
    downloads.table_downloads(
        session.derived(report.kpi_table, comparison, filters.account, filters.date_from, filters.date_to),
        f"kpis_{stem}",
        what="KPI table",
    )
    downloads.table_downloads(
        session.memo(report.video_table, filters.account, filters.date_from, filters.date_to),
        f"videos_{stem}",
        what="Videos",
    )
with images:
    if likes_chart is not None:
        downloads.chart_downloads(likes_chart, f"likes_{stem}", what="Likes chart", period=filters)
with page_report:
    downloads.report_download(filters, comparison, likes_chart, f"report_{stem}")
