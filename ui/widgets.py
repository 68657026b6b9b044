"""Widgets shared by several pages: the sidebar filters, the demo notice, the time zone names."""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from kpi_core.store import Store
from ui import session


@dataclass(frozen=True)
class Filters:
    """What the sidebar selected: one account and an inclusive date range."""

    account: str | None
    date_from: date | None
    date_to: date | None
    include_provisional: bool


@dataclass(frozen=True)
class Period:
    """An account and an inclusive date range that a page shows (what `entry.open_page` returns)."""

    account: str
    date_from: date
    date_to: date
    include_provisional: bool


def _data_span(store: Store, account: str | None) -> tuple[date, date] | None:
    span = store.query("data_span", account=account)
    if span.empty or span["date_from"].isna().all():
        return None
    return span["date_from"].iloc[0].date(), span["date_to"].iloc[0].date()


def sidebar(store: Store) -> Filters:
    """Account picker, period picker and the demo notice, shown on every page."""
    with st.sidebar:
        if session.showing_demo():
            st.info(
                "You are looking at a **demo account**. Upload your own TikTok exports on the "
                "**Your data** page to replace it.",
                icon=":material/info:",
            )
        accounts = store.accounts()
        if not accounts:
            st.warning("No data yet: upload your exports on the **Your data** page.")
            return Filters(None, None, None, False)
        account = st.selectbox(
            "Account",
            accounts,
            key="account",
            help="Your own account comes first; other handles are competitors.",
        )
        span = _data_span(store, account)
        if span is None:
            return Filters(account, None, None, False)
        first, last = span
        options = {"Last 28 days": 27, "Last 90 days": 89, "Last 365 days": 364, "All data": None}
        choice = st.selectbox("Period", [*options, "Custom"], index=1, key="period")
        if choice == "Custom":
            picked = st.date_input(
                "From – to",
                value=(max(first, last - timedelta(days=89)), last),
                min_value=first,
                max_value=last,
                key="custom_range",
            )
            start, end = picked if isinstance(picked, tuple) and len(picked) == 2 else (first, last)
        else:
            days = options[choice]
            start, end = (first if days is None else max(first, last - timedelta(days=days))), last
        include = st.toggle(
            "Include provisional days",
            value=False,
            key="include_provisional",
            help="TikTok keeps updating the last one or two days of an export.",
        )
        st.caption(f"Data for this account: {first:%d %b %Y} – {last:%d %b %Y}")
    return Filters(account, start, end, include)


def posting_zone_picker(account: str) -> str | None:
    """The time zone `account`'s scraped posting hours are shown in, changeable here at any time
    (every scraped row of the account moves); None when the account has no scraped hours."""
    if not session.memo(
        Store.scraped_posting_times, account
    ):  # a count over the videos: once per data change
        return None
    store = session.get_store()
    key = f"posting_zone::{account}"
    st.session_state[key] = store.time_zone(account) or "UTC"  # the store's zone, even if set elsewhere

    def apply() -> None:
        store.set_time_zone(account, st.session_state[key])

    left, _ = st.columns([1, 2])
    return left.selectbox(
        "Posting hours shown in the time zone",
        time_zone_names(),
        key=key,
        on_change=apply,
        help="Scrapers give posting times in UTC. Pick the account's own zone for its local "
        "hours: every scraped video of the account moves, those uploaded later too.",
    )


@functools.cache
def time_zone_names() -> list[str]:
    """UTC first, then every region/city zone name (public data, the same for every visitor)."""
    return [
        "UTC",
        *sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/")),
    ]
