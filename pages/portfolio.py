"""Portfolio: every loaded account side by side, ranked where enough videos stand behind the rank,
and the hashtags across them with their uplift shrunk by empirical Bayes."""

import streamlit as st

from kpi_core.metrics import hashtags, portfolio
from kpi_core.metrics.findings import day_span, plural
from ui import drawing, entry, findings, portfolio_charts, session
from ui import portfolio as view
from ui.downloads import file_stem, table_downloads
from ui.format import handle
from ui.text import escape_md

HASHTAGS_CHARTED = 20
PERIODS = {"all": "All data", "sidebar": "The sidebar's period"}

filters = entry.open_page("Portfolio of accounts")

if picked := st.session_state.pop(view.PICKED_KEY, None):
    st.success(f"Every page now shows {escape_md(handle(picked))}.", icon=":material/check_circle:")
    st.page_link("pages/overview.py", label="Open its Overview", icon=":material/dashboard:")

left, middle, right = st.columns([2, 2, 3], vertical_alignment="bottom")
period = left.segmented_control(
    "Videos posted", list(PERIODS), default="all", format_func=PERIODS.__getitem__, key="portfolio_period"
)
start, end = (filters.date_from, filters.date_to) if period == "sidebar" else (None, None)
by = middle.selectbox(
    "Rank by", portfolio.COLUMNS, index=portfolio.COLUMNS.index("like_rate"), format_func=view.rank_by_label,
    key="portfolio_rank_by",
)  # fmt: skip
lowest = middle.toggle("Lowest first", key="portfolio_lowest")
wanted = right.text_input(
    "Search accounts", placeholder="part of a handle, e.g. books", key="portfolio_search"
)

table = session.memo(portfolio.portfolio, start, end, filters.include_provisional)
ranked = portfolio.ranking(table, by, descending=not lowest)
shown = portfolio.search(ranked, wanted)
span = "posted at any time" if start is None or end is None else f"posted {day_span(start, end)}"
st.caption(
    f"{plural(len(table), 'account')}, videos {span}. Every account's KPIs are computed the same way "
    "(rates are ratios of sums); competitors' counts come from scraper exports, public counts at the "
    "time of scraping. Tick a row to show that account on every page."
)
st.write(escape_md(portfolio.ranking_sentence(ranked, by)) + " " + escape_md(portfolio.SAMPLE_RULE))
if shown.empty:
    findings.say(f"No account's handle contains “{wanted.strip()}”.")
else:
    if len(shown) < len(ranked):
        st.caption(f"{plural(len(shown), 'account')} of {len(ranked):,} match “{escape_md(wanted.strip())}”.")
    view.accounts_table(shown)
    buttons = st.columns(4)
    with buttons[0]:
        table_downloads(shown[view.DOWNLOAD_ORDER], file_stem("portfolio", by), "Accounts")

# --- hashtags across the accounts ----------------------------------------------------------------

st.subheader("Hashtags across the accounts")
scope = st.segmented_control(
    "Videos of",
    ["all", "one"],
    default="all",
    format_func=lambda s: "Every account" if s == "all" else f"Only {handle(filters.account)}",
    key="portfolio_hashtag_scope",
)
account = filters.account if scope == "one" else None
found, prior = session.memo(hashtags.hashtag_finding, account, start, end)
if not found.shown:
    findings.say(str(found.reason))
    st.stop()
st.caption(
    escape_md(prior.sentence)
    + " The uplift is the like rate of a hashtag's videos against the whole set's; a hashtag on few "
    "videos moves most of the way back to the set's rate, one on many barely moves. A hashtag one "
    "account uses measures that account as much as the tag: read the Accounts column."
)
findings.notes(found)
charted = found.table.head(HASHTAGS_CHARTED)
drawing.chart(portfolio_charts.hashtag_uplift_chart, charted, width="stretch")
st.caption(
    f"The {plural(len(charted), 'most used hashtag')}: filled dots are the shrunk uplift with its 95% interval, "
    "rings the uplift as measured. The table has every hashtag."
)
view.hashtags_table(found.table, prior.videos)
with st.columns(4)[0]:
    table_downloads(view.hashtag_download(found.table), file_stem("hashtags", account or "all"), "Hashtags")
