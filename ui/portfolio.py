"""The portfolio page's tables: every account side by side (one click shows an account on every
page) and the hashtags across them. Handles and hashtags are data: text columns, never Markdown."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from kpi_core.metrics import hashtags, portfolio
from kpi_core.metrics.hashtags import interval_text, needed_text
from kpi_core.metrics.registry import kpi
from kpi_core.metrics.trends import VERDICT_RULE
from ui.format import NO_VALUE, kpi_text, text_columns

ACCOUNT_KEY = "account"  # the sidebar's account selectbox (ui/widgets.py)
PICKED_KEY = "portfolio_picked"  # the account the last click made current, for the page's message
_ROWS_KEY = "portfolio_rows"  # the accounts of the table as last drawn, in row order
_ROUND_KEY = "portfolio_round"  # bumps after a pick: a new table key clears the row's tick

KPI_COLUMNS = portfolio.COLUMNS
NO_DAILY = "no daily likes"  # the trend cell of an account known only from scraper files
ORDER = ["rank", "account", "rank_note", *KPI_COLUMNS, "trend"]  # why there is no rank, beside it
DOWNLOAD_ORDER = [
    "rank",
    "account",
    *KPI_COLUMNS,
    "first_posted",
    "last_posted",
    "trend",
    "rank_note",
    "trend_note",
]


def rank_by_label(name: str) -> str:
    return kpi("per_video", name).label


def account_rows(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranked portfolio written out as the table shows it: each KPI in its declared format,
    n/a where there is no value (st.dataframe would show a missing number as "None")."""
    formats = {name: functools.partial(kpi_text, fmt=kpi("per_video", name).fmt) for name in KPI_COLUMNS}
    shown = text_columns(ranked, formats)
    shown["rank"] = [NO_VALUE if pd.isna(r) else f"{int(r):,}" for r in ranked["rank"]]
    shown["rank_note"] = [note if isinstance(note, str) else "" for note in ranked["rank_note"]]
    shown["trend"] = [
        NO_DAILY if note == portfolio.NO_DAILY_LIKES else verdict
        for verdict, note in zip(ranked["trend"], ranked["trend_note"], strict=True)
    ]
    return shown


def _pick(key: str) -> None:
    """The table's row tick as the sidebar's account (a callback: it runs before the next run draws
    the sidebar, which is the only moment its selectbox may be set)."""
    rows = st.session_state[key].selection.rows
    accounts: list[str] = st.session_state.get(_ROWS_KEY, [])
    if rows and rows[0] < len(accounts):
        st.session_state[ACCOUNT_KEY] = accounts[rows[0]]
        st.session_state[PICKED_KEY] = accounts[rows[0]]
        st.session_state[_ROUND_KEY] = st.session_state.get(_ROUND_KEY, 0) + 1


def accounts_table(ranked: pd.DataFrame) -> None:
    """The ranked accounts; ticking a row makes that account the one every page shows."""
    st.session_state[_ROWS_KEY] = ranked["account"].tolist()
    key = f"portfolio_table_{st.session_state.get(_ROUND_KEY, 0)}"
    st.dataframe(
        account_rows(ranked),
        hide_index=True,
        width="stretch",
        column_order=ORDER,
        column_config={
            "rank": st.column_config.TextColumn("Rank", help=portfolio.SAMPLE_RULE, width=48),
            "account": st.column_config.TextColumn("Account"),
            **{
                name: st.column_config.TextColumn(
                    kpi("per_video", name).label,
                    help=kpi("per_video", name).formula_text,
                    width="small" if len(kpi("per_video", name).label) < 10 else None,
                )
                for name in KPI_COLUMNS
            },
            "trend": st.column_config.TextColumn(
                "Trend",
                help=f"Of daily likes, as on the Trends page: {VERDICT_RULE} "
                f"{NO_DAILY.capitalize()}: {portfolio.NO_DAILY_LIKES.split(': ', 1)[1]}.",
            ),
            "rank_note": st.column_config.TextColumn("Why no rank", width="medium"),
        },
        on_select=functools.partial(_pick, key),
        selection_mode="single-row",
        key=key,
    )


HASHTAG_ORDER = [
    "hashtag",
    "videos",
    "accounts",
    "median_likes",
    "like_rate",
    "uplift",
    "interval",
    "verdict",
    "needed",
]


def hashtag_rows(table: pd.DataFrame, set_videos: int) -> pd.DataFrame:
    """`hashtags.hashtag_table` as the page shows it: counts, rates and uplifts written out
    (`set_videos`: the videos of the set, `Prior.videos`)."""
    formats = {"median_likes": "{:,.0f}", "like_rate": "{:.2%}", "uplift": "{:+.1%}"}
    return text_columns(shrunk_text(table, set_videos), formats)


def shrunk_text(table: pd.DataFrame, set_videos: int) -> pd.DataFrame:
    """`table` (with `hashtags.hashtag_table`'s low, high, verdict and videos_needed) with two text
    columns: interval (`hashtags.interval_text`) and needed (`hashtags.needed_text`), as this page
    and the Content page show them."""
    shown = table.copy()
    shown["interval"] = [
        interval_text(low, high, verdict)
        for low, high, verdict in zip(table["low"], table["high"], table["verdict"], strict=True)
    ]
    shown["needed"] = [
        needed_text(None if pd.isna(n) else int(n), set_videos) for n in table["videos_needed"]
    ]
    return shown


def hashtags_table(table: pd.DataFrame, set_videos: int) -> None:
    """Every hashtag of the set, most used first."""
    st.dataframe(
        hashtag_rows(table, set_videos),
        hide_index=True,
        width="stretch",
        column_order=HASHTAG_ORDER,
        column_config={
            "hashtag": st.column_config.TextColumn("Hashtag"),
            "videos": st.column_config.NumberColumn("Videos", format="localized"),
            "accounts": st.column_config.NumberColumn(
                "Accounts",
                format="localized",
                help="A hashtag one account uses measures that account as much as the tag",
            ),
            "median_likes": st.column_config.TextColumn("Median likes per video"),
            "like_rate": st.column_config.TextColumn(
                "Like rate", help="sum(likes) / sum(views) of its videos"
            ),
            "uplift": st.column_config.TextColumn(
                "Uplift (shrunk)",
                help="Its like rate against the set's, shrunk towards it by empirical Bayes",
            ),
            "interval": st.column_config.TextColumn("95% interval"),
            "verdict": st.column_config.TextColumn("Verdict"),
            "needed": st.column_config.TextColumn(
                "Videos needed to tell", help="If its uplift so far held, the videos it would take to call it"
            ),
        },
        key="portfolio_hashtags",
    )


def hashtag_download(table: pd.DataFrame) -> pd.DataFrame:
    """The hashtag table as downloaded: every figure as a number, the columns named plainly."""
    return table[hashtags.COLUMNS]
