"""What the pages' tables share: the rate format and the columns of a list of videos."""

from __future__ import annotations

import streamlit as st

from kpi_core import content

PERCENT = "{:.2%}"  # as kpi_core formats rates: 4.56%, 7.00%


def video_columns(outlier_help: str | None = None) -> dict:
    """Column settings for a table of videos (`content.video_table` and the rankings)."""
    return {
        "posted_at": st.column_config.DatetimeColumn("Posted", format="ddd D MMM YYYY, HH:mm"),
        "title": st.column_config.TextColumn("Title", width="large"),
        "likes": st.column_config.NumberColumn("Likes", format="localized"),
        "views": st.column_config.NumberColumn("Views", format="localized"),
        "like_rate": st.column_config.NumberColumn("Like rate", help="likes / views"),
        "url": st.column_config.LinkColumn("Link", display_text="Open ↗"),
        "outlier": st.column_config.TextColumn(
            "Viral outlier by", help=outlier_help or (
                f"Robust z-score above {content.OUTLIER_Z} on likes or like rate "
                "(distance from the median in median absolute deviations)")),
    }
