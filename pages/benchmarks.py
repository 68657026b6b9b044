"""Benchmarks & competitors: the account against published reference figures and other accounts."""

import streamlit as st

from kpi_core.metrics import benchmarks
from kpi_core.metrics.findings import day_span
from kpi_core.metrics.guards import FOLLOWER_BASE_RULE
from kpi_core.metrics.portfolio import few_videos_note
from kpi_core.metrics.registry import VIDEO_KPIS
from kpi_core.metrics.scope import competitors
from kpi_core.metrics.values import kpis_by_account, side_by_side
from ui import benchmark_fit, benchmark_tables, comparison_charts, drawing, entry, session
from ui.cards import account_cards, account_notes, account_role, shown_accounts_sentence
from ui.format import handle, text_columns
from ui.text import escape_md

# metric -> (heading, axis title, how the account's value is computed)
BENCHMARK_METRICS = {
    "engagement_rate_by_view": (
        "Engagement rate by view",
        "Engagement rate by view (% of views)",
        "per video (likes + comments + shares) / views",
    ),
    "engagement_rate_by_follower": (
        "Engagement rate by follower",
        "Engagement rate by follower (% of followers)",
        "per video (likes + comments + shares) / the account's average follower count over the period",
    ),
}
KPIS = {kpi.name: kpi for kpi in VIDEO_KPIS}
CARD_KPIS = (
    "videos",
    "likes",
    "like_rate",
    "engagement_rate_by_view",
    "likes_per_video_median",
    "likes_per_1k_followers",
)
RATE_CHART = {"like_rate": "Like rate", "engagement_rate_by_view": "Engagement rate by view"}
LIKES_CHART = {"likes_per_video_median": "Median video", "likes_per_video_mean": "Mean per video"}


filters = entry.open_page("Benchmarks & competitors")

account, start, end = filters.account, filters.date_from, filters.date_to
st.caption(
    f"{escape_md(handle(account))} · videos posted {day_span(start, end)} (pick the account and the "
    "period in the sidebar)."
)

# --- published benchmarks ------------------------------------------------------------------------

st.subheader("Against published benchmarks")
st.write(
    "Reference points, not targets. Each benchmark sits beside this account's value computed the same "
    "way: by view against by view, by follower against by follower, median of posts against median, "
    "average against average. Pick the industry and the follower band: the figures published for them "
    "are shown first, and the fitting median by view is the one goals are compared with."
)
fit = benchmark_fit.picker(account)
comparison = session.derived(
    benchmarks.fit_table, session.memo(benchmarks.benchmark_comparison, account, start, end), fit
)
st.caption(escape_md(session.derived(benchmarks.goal_benchmark_sentence, fit)))
for metric, (heading, axis_title, own_definition) in BENCHMARK_METRICS.items():
    benchmark_tables.metric_section(
        comparison[comparison["metric"] == metric],
        account,
        fit,
        heading=heading,
        axis_title=axis_title,
        own_definition=own_definition,
        rule=FOLLOWER_BASE_RULE if metric == "engagement_rate_by_follower" else "",
    )

# --- competitors -------------------------------------------------------------------------------

st.subheader("Competitors")
if not session.memo(competitors):
    st.info(
        "**No competitor accounts yet.** To add one, download a scraper export (for example Apify's TikTok "
        "scraper, as JSON or CSV) of another handle's videos and upload it on the **Your data** page. "
        "Each handle in an upload becomes an account here, side by side with "
        + ("yours." if session.own_account() else "this one."),
        icon=":material/group_add:",
    )
    st.stop()

side = session.memo(kpis_by_account, start, end)
st.caption(
    "Per-video KPIs of the videos each account posted in the period, computed the same way for every "
    "account (rates are ratios of sums). Competitors' numbers come from scraper exports: public counts "
    "at the time of scraping."
)
shown = session.derived(side_by_side, side)
if len(shown) < len(side):
    st.caption(escape_md(shown_accounts_sentence(shown, len(side))))
for row in shown.to_dict("records"):
    with st.container(border=True):
        st.markdown(f"**@{escape_md(row['account'])}**" + account_role(row))
        for column, card in zip(st.columns(len(CARD_KPIS)), account_cards(row, CARD_KPIS), strict=True):
            column.metric(card.label, card.value, help=card.help)
        notes = [n for n in (few_videos_note(row["videos"]), account_notes(row, CARD_KPIS)) if n]
        if notes:
            st.caption(escape_md(" ".join(notes)))

left, right = st.columns(2)
with left:
    drawing.chart(
        comparison_charts.accounts_chart, shown, RATE_CHART, "Rate (% of views)", ".1%", width="stretch"
    )
with right:
    drawing.chart(
        comparison_charts.accounts_chart, shown, LIKES_CHART, "Likes per video", ",.0f", width="stretch"
    )

st.dataframe(
    session.derived(text_columns, side, {name: kpi.fmt for name, kpi in KPIS.items()}),  # kpi_core's formats
    hide_index=True,
    width="stretch",
    column_order=["account", *KPIS],
    column_config={
        "account": st.column_config.TextColumn("Account"),
        **{name: st.column_config.TextColumn(kpi.label, help=kpi.formula_text) for name, kpi in KPIS.items()},
    },
    key="accounts_table",
)
