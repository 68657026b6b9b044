"""A finding's sentence on the page, in place of the chart or table that would carry no information.

The sentences come from kpi_core (`Finding.reason`, `Finding.notes`, `Ranking.reason`) and may quote
user text (a hashtag, a group name), so they are shown as text, never as Markdown.
"""

from __future__ import annotations

import streamlit as st

from kpi_core.metrics.findings import Finding
from ui.text import escape_md


def say(reason: str) -> None:
    """One sentence that replaces a chart or a table."""
    st.info(escape_md(reason), icon=":material/info:")


def notes(finding: Finding) -> None:
    """The sentences about rows a shown table leaves out (e.g. a content group with no videos)."""
    for note in finding.notes:
        st.caption(escape_md(note))
