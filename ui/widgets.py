"""Widgets shared by several pages: the sidebar filters, the demo notice, the time zone names."""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from kpi_core.metrics import uplift
from kpi_core.metrics.findings import day_span
from kpi_core.metrics.goal_metrics import GOAL_METRICS, GoalKind
from kpi_core.metrics.scope import data_extent
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


PERIODS = {
    "Last 28 days": 27,
    "Last 90 days": 89,
    "Last 365 days": 364,
    "All data": None,
}  # days before the last


def _restore_view(accounts: list[str]) -> None:
    """A restored workspace's sidebar choices, set before the sidebar draws (each only if it is
    still one the sidebar offers)."""
    view = st.session_state.pop(session.VIEW_KEY, None)
    if not view:
        return
    if view.get("account") in accounts:
        st.session_state["account"] = view["account"]
    if view.get("period") in [*PERIODS, "Custom"]:
        st.session_state["period"] = view["period"]
    if view.get("custom_range"):
        st.session_state["custom_range"] = tuple(date.fromisoformat(d) for d in view["custom_range"])
    if isinstance(view.get("include_provisional"), bool):
        st.session_state["include_provisional"] = view["include_provisional"]


def sidebar() -> Filters:
    """Account picker, period picker and the demo notice, shown on every page."""
    with st.sidebar:
        if session.showing_demo():
            st.info(
                "You are looking at a **demo account**. Upload your own TikTok exports on the "
                "**Your data** page to replace it. Saved a workspace file last time? Upload it "
                "there to pick up your data, goals and scenario where you left them.",
                icon=":material/info:",
            )
        accounts = session.accounts()
        _restore_view(accounts)
        if not accounts:
            st.warning("No data yet: upload your exports on the **Your data** page.")
            return Filters(None, None, None, False)
        account = st.selectbox(
            "Account",
            accounts,
            key="account",
            help=(
                "Your own account comes first; other handles are competitors."
                if session.own_account()
                else "The handle with the most videos comes first (no export of your own is loaded: "
                "a scrape does not say whose account it is); the others follow by name."
            ),
        )
        first, last = session.memo(data_extent, account)  # a query per data change, not per run
        if first is None or last is None:  # no dated data
            return Filters(account, None, None, False)
        choice = st.selectbox("Period", [*PERIODS, "Custom"], index=1, key="period")
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
            days = PERIODS[choice]
            start, end = (first if days is None else max(first, last - timedelta(days=days))), last
        include = st.toggle(
            "Include provisional days",
            value=False,
            key="include_provisional",
            help="TikTok keeps updating the last one or two days of an export.",
        )
        st.caption(f"Data for this account: {day_span(first, last)}")
    return Filters(account, start, end, include)


def posting_zone_picker(account: str) -> str | None:
    """The time zone `account`'s scraped posting hours are shown in, changeable here at any time
    (every scraped row of the account moves); None when the account has no scraped hours."""
    if not session.memo(
        Store.scraped_posting_times, account
    ):  # a count over the videos: once per data change
        return None
    key = f"posting_zone::{account}"
    # the store's zone, even if set elsewhere (setting one changes the data: the memo reads it again)
    st.session_state[key] = session.memo(Store.time_zone, account) or "UTC"

    def apply() -> None:
        session.get_store().set_time_zone(account, st.session_state[key])

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


RULES_KEY = session.RULES_KEY


def _remove_rule() -> None:
    index = st.session_state.get("content_rule_remove")
    if index is not None and index < len(st.session_state[RULES_KEY]):
        st.session_state[RULES_KEY].pop(index)
    st.session_state["content_rule_remove"] = None


def content_rules() -> tuple[uplift.Rule, ...]:
    """The built-in content groups plus the visitor's own rules, with a form to add and remove them."""
    user_rules: list[dict[str, str]] = st.session_state.setdefault(RULES_KEY, [])
    with st.form("add_content_rule", clear_on_submit=True):
        name_column, text_column, button_column = st.columns([2, 3, 1], vertical_alignment="bottom")
        new_name = name_column.text_input("Group name", max_chars=40, placeholder="e.g. tutorials")
        new_text = text_column.text_input(
            "Title contains (any case)", max_chars=80, placeholder="e.g. how to"
        )
        if button_column.form_submit_button("Add group rule", width="stretch"):
            if new_name.strip() and new_text.strip():
                user_rules.append({"name": new_name.strip(), "text": new_text.strip()})
            else:
                st.error("A rule needs a group name and the text its titles contain.")

    rules = uplift.DEFAULT_RULES + tuple(uplift.Rule(r["name"], "contains", r["text"]) for r in user_rules)
    if user_rules:
        st.dataframe(
            user_rules,
            hide_index=True,
            width="stretch",
            column_config={
                "name": st.column_config.TextColumn("Your group"),
                "text": st.column_config.TextColumn("Title contains"),
            },
        )
        remove = st.selectbox(
            "Remove a rule",
            range(len(user_rules)),
            index=None,
            placeholder="Pick a rule to remove",
            format_func=lambda i: f"{user_rules[i]['name']}: title contains {user_rules[i]['text']}",
            key="content_rule_remove",
        )
        st.button("Remove rule", disabled=remove is None, on_click=_remove_rule)
    return rules


def target_input(
    metric: str,
    *,
    key: str,
    value: float | None = None,
    on_change: Callable[..., None] | None = None,
    args: tuple[object, ...] = (),
) -> float:
    """A goal's target in the metric's unit: a fraction for rates (0.05 = 5%), else a count."""
    is_rate = GOAL_METRICS[metric].kind is GoalKind.RATE
    return float(
        st.number_input(
            "Target" + (" (a fraction: 0.05 = 5%)" if is_rate else ""),
            min_value=0.0,
            value="min" if value is None else float(value),  # "min": the widget's own start (or its state)
            step=0.005 if is_rate else 1000.0,
            format="%.4f" if is_rate else "%.0f",
            key=key,
            on_change=on_change,
            args=args,
        )
    )
