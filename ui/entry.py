"""Every page runs through app.py, even for the first visitor after the server starts.

An app with a `pages/` folder starts, on a freshly started Streamlit server, in Streamlit's legacy
multipage mode: until `st.navigation` has run once in the process, the first visitor's URL is
matched against the files in `pages/` and that file runs on its own, without app.py's page config,
navigation and sidebar. A hosted app that has just woken up would then answer a shared `/goals` or
`/what-if?...` link with an error. Each page calls `open_page()` (or `require_app()`) before
drawing anything: on that legacy run it leaves legacy mode, as `st.navigation` itself does, and
reruns the same URL, which then goes through app.py. `PagesManager.uses_pages_directory` is a
Streamlit internal: tests/e2e/test_fresh_server.py pins this behaviour across upgrades.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ui import collector
from ui.widgets import Filters, Period

FILTERS_KEY = "filters"


def require_app() -> None:
    """Rerun through app.py if this page was started on its own by Streamlit's legacy mode.

    Legacy mode only ever serves a session in which app.py has not run yet; checking both means
    this can never rerun in a loop. Every page's first call: the process's collector is started
    here too (once), so that ended sessions give their memory back (ui/collector.py).
    """
    collector.start()
    if FILTERS_KEY not in st.session_state and getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def _open(title: str, nothing_yet: str, needs_period: bool) -> Filters:
    require_app()
    chosen: Filters = st.session_state[FILTERS_KEY]  # set by app.py's sidebar before the page runs
    st.title(title)
    if chosen.account is None or (needs_period and chosen.date_from is None):
        st.info(f"{nothing_yet}. Upload your TikTok exports on the **Your data** page.")
        st.stop()
    return chosen


def open_page(title: str, *, nothing_yet: str = "No data to show yet") -> Period:
    """The page's title and the sidebar's account and period; the page stops here, pointing to the
    upload page, while there is no account or no period to show."""
    chosen = _open(title, nothing_yet, needs_period=True)
    assert chosen.account is not None and chosen.date_from is not None and chosen.date_to is not None
    return Period(chosen.account, chosen.date_from, chosen.date_to, chosen.include_provisional)


def open_account_page(title: str, *, nothing_yet: str = "No data to show yet") -> str:
    """The page's title and the sidebar's account (for pages that set their own dates: goals,
    what-if); the page stops here, pointing to the upload page, while there is no account."""
    chosen = _open(title, nothing_yet, needs_period=False)
    assert chosen.account is not None
    return chosen.account
