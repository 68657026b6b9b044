"""Trends: likes, like rate and engagement per day, week or month; rolling means, the verdicts,
and likes against profile views and new followers."""

import streamlit as st

from kpi_core.metrics import content, scope, trend_findings, trends
from kpi_core.metrics.findings import day_span
from ui import charts, drawing, entry, findings, session, tables
from ui.format import handle
from ui.text import escape_md

VIDEOS_LISTED = 25

filters = entry.open_page("Trends")

account, start, end, provisional = (
    filters.account,
    filters.date_from,
    filters.date_to,
    filters.include_provisional,
)
st.caption(
    f"{escape_md(handle(account))} · {day_span(start, end)}. Pick the account and the period in "
    "the sidebar. Daily totals come from the Overview export: likes earned that day by all videos."
)

grain = (
    st.segmented_control(
        "Group by",
        list(charts.GRAIN_LABELS),
        default="week",
        key="trend_grain",
        format_func=charts.label_of(charts.GRAIN_LABELS),
    )
    or "week"
)
periods = session.memo(trend_findings.period_finding, account, start, end, grain, provisional)
series = periods.table

if series.empty:
    st.info(
        "This account has no daily totals in the period. Daily likes, views and followers come from "
        "TikTok Studio's **Overview** export: upload it on the **Your data** page."
    )
    st.stop()

unlisted = session.memo(scope.no_video_list, account)  # no file lists the account's videos
st.subheader(f"Likes per {grain}")
event = None
if periods.shown:
    event = drawing.chart(
        charts.period_likes_chart,
        series,
        grain,
        width="stretch",
        on_select="rerun",
        key=f"trend_likes_{grain}",
    )
    thinner = "A thinner bar covers fewer days (the period's first or last bucket is cut by the date range)."
    st.caption(
        thinner
        if unlisted
        else f"Click a bar to list the videos posted in that {grain}; double-click to clear. {thinner}"
    )
    st.subheader("Like rate and engagement")
    drawing.chart(charts.period_rates_chart, series, grain, width="stretch")
    st.caption(
        "Like rate = sum(likes) / sum(views); engagement rate by view = sum(likes + comments + shares) / "
        f"sum(views), both over the days of each {grain} (ratios of sums, never averages of daily ratios)."
    )
else:
    findings.say(str(periods.reason))

tables.period_table(series)

picked = charts.picked_period(event)
if picked is None:
    st.subheader("Most-liked videos posted in the period")
    video_from, video_to = start, end
else:
    video_from, video_to = picked
    st.subheader(f"Videos posted {video_from.day} {video_from:%b} – {video_to.day} {video_to:%b %Y}")
videos = session.derived(
    content.video_table,
    session.memo(content.top_videos, account, video_from, video_to, n=VIDEOS_LISTED),
    session.memo(content.viral_outliers, account, start, end),
)
if videos.empty:
    st.info(
        escape_md(unlisted)
        if unlisted
        else f"No videos with likes were {session.memo(scope.videos_in_period, account)}."
    )
else:
    st.caption(
        f"Up to {VIDEOS_LISTED} videos, most liked first: likes each video has collected so far "
        "(the daily totals above count likes on the day they happened, on old videos too)."
    )
    shown, formats = tables.video_list(videos)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_order=["posted_at", "title", "likes", "views", "like_rate", "url", "outlier"],
        column_config=tables.formatted(
            tables.video_columns("Far above the period's typical video (see Content)"), formats
        ),
    )

st.subheader("Rolling means")
rolling = session.memo(trend_findings.rolling_finding, account, start, end, provisional)
if rolling.shown:
    left, right = st.columns(2)
    with left:
        drawing.chart(charts.likes_over_time_chart, rolling.table, width="stretch")
    with right:
        drawing.chart(charts.like_rate_over_time_chart, rolling.table, width="stretch")
    st.caption(
        "Trailing means over the last 7 and 28 days (the like-rate means are ratios of the window's sums); "
        "a mean starts once its window holds 7 (or 28) days."
    )
else:
    findings.say(str(rolling.reason))

for verdict in (
    session.memo(trends.likes_trend, account, start, end, provisional),
    session.memo(trends.like_rate_trend, account, start, end, provisional),
):
    show = {"rising": st.success, "falling": st.warning}.get(verdict.verdict, st.info)
    show(f"**{verdict.metric.capitalize()}: {verdict.verdict}.** {verdict.sentence}")
st.caption(f"Each verdict is {trends.VERDICT_RULE}")

st.subheader("Likes against the wider objective")
st.write(
    "Do days with more likes bring more profile views and new followers, the same day or a few days later?"
)
correlation = session.memo(trend_findings.correlation_finding, account, start, end, provisional)
if correlation.shown:
    drawing.chart(charts.lagged_correlation_chart, correlation.table, width="stretch")
    st.warning(trends.CORRELATION_CAUTION, icon=":material/lightbulb:")
    st.caption(
        f"Spearman rank correlation between daily likes and the other series k days later (−1 to 1; 0 = "
        f"no relation). A lag needs {trends.MIN_TREND_DAYS} or more paired days, else it is left blank."
    )
    with st.expander("The correlations as a table"):
        tables.correlation_table(correlation.table)
else:
    findings.say(str(correlation.reason))
