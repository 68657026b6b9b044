"""What the pages' tables share: the rate format and the columns of a list of videos."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from kpi_core.metrics import content
from ui.format import NO_VALUE, posted_text

PERCENT = "{:.2%}"  # as kpi_core formats rates: 4.56%, 7.00%


def video_styler(videos: pd.DataFrame, rates: tuple[str, ...] = ("like_rate",)) -> Styler:
    """A list of videos for `st.dataframe`: `rates` as percentages, and each posting time shown with
    its hour only where the export gave one (`posted_time_known`). The Styler's text replaces the
    "Posted" column's own format, which is why `video_columns` gives that column none."""
    styler = videos.style.format(dict.fromkeys(rates, PERCENT), na_rep=NO_VALUE)
    if "posted_time_known" in videos.columns:
        for known in (True, False):
            rows = videos.index[videos["posted_time_known"].fillna(False).astype(bool) == known]
            styler = styler.format(
                lambda posted, known=known: posted_text(posted, known),
                subset=pd.IndexSlice[rows, ["posted_at"]],
            )
    return styler


def video_columns(outlier_help: str | None = None) -> dict:
    """Column settings for a table of videos (`content.video_table` and the rankings)."""
    return {
        "posted_at": st.column_config.DatetimeColumn(
            "Posted",
            help="The day alone where the export gives no posting time (TikTok Studio's Content file)",
        ),
        "title": st.column_config.TextColumn("Title", width="large"),
        "likes": st.column_config.NumberColumn("Likes", format="localized"),
        "views": st.column_config.NumberColumn("Views", format="localized"),
        "like_rate": st.column_config.NumberColumn("Like rate", help="likes / views"),
        "url": st.column_config.LinkColumn("Link", display_text="Open ↗"),
        "outlier": st.column_config.TextColumn(
            "Viral outlier by",
            help=outlier_help
            or (
                f"Robust z-score above {content.OUTLIER_Z} on likes or like rate "
                "(distance from the median in median absolute deviations)"
            ),
        ),
    }
