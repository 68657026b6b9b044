"""What the pages' tables share: the rate format and the columns of a list of videos."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler
from streamlit.elements.lib.column_types import ColumnConfig

from kpi_core.metrics import content, content_findings
from kpi_core.metrics.findings import plural
from ui import charts, findings, session
from ui.format import NO_VALUE, gaps_as_text, posted_text, text_columns

PERCENT = "{:.2%}"  # as kpi_core formats rates: 4.56%, 7.00%
HIGHLIGHT = "background-color: #FFE4EA"  # the rows a table's caption points out


def highlighted(styler: Styler, column: str) -> Styler:
    """`styler` with every row whose `column` holds a value (a non-empty text) shaded: the CSS of
    every cell made in one step, not by a Python call per row."""
    marked = np.array([bool(value) for value in styler.data[column]], dtype=bool)

    def css(frame: pd.DataFrame) -> pd.DataFrame:
        shade = np.where(marked[:, None], HIGHLIGHT, "")
        return pd.DataFrame(np.broadcast_to(shade, frame.shape), index=frame.index, columns=frame.columns)

    return styler.apply(css, axis=None)


def video_styler(videos: pd.DataFrame, rates: tuple[str, ...] = ("like_rate",)) -> Styler:
    """A list of videos for `st.dataframe`: `rates` as percentages, and each posting time shown with
    its hour only where the export gave one (`posted_time_known`). The Styler's text replaces the
    "Posted" column's own format, which is why `video_columns` gives that column none."""
    shown = [c for c in videos.columns if c not in ("posted_at", "posted_time_known", "url")]
    videos, written = gaps_as_text(videos, {**dict.fromkeys(rates, PERCENT), "title": "{}"}, shown)
    if "url" in videos.columns:  # no link: an empty cell (a link column would make "n/a" a link)
        videos["url"] = videos["url"].astype("object").where(videos["url"].notna(), "")
    styler = videos.style.format({r: PERCENT for r in rates if r not in written}, na_rep=NO_VALUE)
    if "posted_time_known" in videos.columns:
        for known in (True, False):
            rows = videos.index[videos["posted_time_known"].fillna(False).astype(bool) == known]
            styler = styler.format(
                lambda posted, known=known: posted_text(posted, known),
                subset=pd.IndexSlice[rows, ["posted_at"]],
            )
    return styler


def video_columns(outlier_help: str | None = None) -> dict[str, ColumnConfig]:
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


RANKED_ORDER = ["title", "likes", "like_rate", "url", "views", "posted_at"]


def ranked_lists(ranked: content_findings.Ranking, by_label: str) -> None:
    """The top and the bottom videos side by side (`content_findings.ranking`), or, when there are too few
    videos for two lists that share none, every video in one list and the sentence that says why."""
    columns = {**video_columns(), "title": st.column_config.TextColumn("Title", width="medium")}
    if ranked.reason is not None:
        if len(ranked.top):
            st.markdown(f"**{plural(len(ranked.top), 'video')} ranked by {by_label}**")
            st.dataframe(
                video_styler(ranked.top),
                hide_index=True,
                width="stretch",
                column_order=RANKED_ORDER,
                column_config=columns,
            )
        findings.say(ranked.reason)
        return
    for column, heading, frame in zip(
        st.columns(2), ("Top", "Bottom"), (ranked.top, ranked.bottom), strict=True
    ):
        column.markdown(f"**{heading} {len(frame)} by {by_label}**")
        column.dataframe(
            video_styler(frame),
            hide_index=True,
            width="stretch",
            column_order=RANKED_ORDER,
            column_config=columns,
        )


def outlier_table(outliers: pd.DataFrame) -> None:
    """The viral outliers (`content.viral_outliers`) with the typical video they stand out from."""
    st.dataframe(
        video_styler(outliers, rates=("like_rate", "like_rate_median")),
        hide_index=True,
        width="stretch",
        column_order=[
            "reason",
            "posted_at",
            "title",
            "likes",
            "likes_median",
            "likes_z",
            "like_rate",
            "like_rate_median",
            "like_rate_z",
            "url",
        ],
        column_config={
            **video_columns(),
            "reason": st.column_config.TextColumn("Outlier by"),
            "likes_median": st.column_config.NumberColumn("Median video's likes", format="%,.0f"),
            "likes_z": st.column_config.NumberColumn("Likes z", format="%.1f"),
            "like_rate_median": st.column_config.NumberColumn("Median like rate"),
            "like_rate_z": st.column_config.NumberColumn("Like rate z", format="%.1f"),
        },
    )


def posting_slot_table(cells: pd.DataFrame) -> None:
    """Every weekday-and-hour posting slot (`content.posting_times`) with its videos and likes."""
    st.dataframe(
        cells.style.format({"like_rate": PERCENT}, na_rep="n/a"),
        hide_index=True,
        width="stretch",
        column_order=["weekday_name", "hour", "videos", "median_likes", "like_rate", "enough"],
        column_config={
            "weekday_name": "Weekday",
            "hour": st.column_config.NumberColumn("Hour"),
            "videos": "Videos",
            "median_likes": st.column_config.NumberColumn("Median likes per video", format="%,.0f"),
            "like_rate": st.column_config.NumberColumn("Like rate"),
            "enough": st.column_config.CheckboxColumn(f"At least {content.MIN_CELL_VIDEOS} videos"),
        },
    )


PERIOD_FORMATS: dict[str, str] = {
    "like_rate": PERCENT,
    "engagement_rate_by_view": PERCENT,
    "likes_per_day": "{:,.1f}",
    "likes": "{:,.0f}",
    "views": "{:,.0f}",
    "comments": "{:,.0f}",
    "shares": "{:,.0f}",
    "profile_views": "{:,.0f}",
    "net_follower_change": "{:+,.0f}",
}


def period_rows(series: pd.DataFrame) -> pd.DataFrame:
    """`trends.daily_series` as the Trends table shows it: counts and rates written out, n/a where
    a bucket has no value."""
    return text_columns(series, PERIOD_FORMATS)


def period_table(series: pd.DataFrame) -> None:
    """Daily totals per day, week or month (`trends.daily_series`), rates as ratios of sums."""
    st.dataframe(
        session.derived(period_rows, series),
        hide_index=True,
        width="stretch",
        column_order=[
            "first_day",
            "last_day",
            "days",
            "likes",
            "likes_per_day",
            "views",
            "like_rate",
            "engagement_rate_by_view",
            "comments",
            "shares",
            "profile_views",
            "net_follower_change",
            "provisional_days",
        ],
        column_config={
            "first_day": st.column_config.DateColumn("From", format="ddd D MMM YYYY"),
            "last_day": st.column_config.DateColumn("To", format="ddd D MMM YYYY"),
            "days": st.column_config.NumberColumn("Days", help="Days with daily likes in this period"),
            "likes": st.column_config.TextColumn("Likes"),
            "likes_per_day": st.column_config.TextColumn("Likes per day"),
            "views": st.column_config.TextColumn("Views"),
            "like_rate": st.column_config.TextColumn("Like rate", help="sum(likes) / sum(views)"),
            "engagement_rate_by_view": st.column_config.TextColumn(
                "Engagement rate by view", help="sum(likes + comments + shares) / sum(views)"
            ),
            "comments": st.column_config.TextColumn("Comments"),
            "shares": st.column_config.TextColumn("Shares"),
            "profile_views": st.column_config.TextColumn("Profile views"),
            "net_follower_change": st.column_config.TextColumn(
                "Net follower change", help="Sum of day-to-day changes of the follower count"
            ),
            "provisional_days": st.column_config.NumberColumn(
                "Provisional days",
                help="Days TikTok may still update (left out unless the sidebar includes them)",
            ),
        },
        key="trend_table",
    )


def correlation_table(table: pd.DataFrame) -> None:
    """Rank correlations of daily likes with later profile views and follower changes."""
    st.dataframe(
        gaps_as_text(table, {"r": "{:+.2f}"})[0],
        hide_index=True,
        width="stretch",
        column_config={
            "target": st.column_config.SelectboxColumn(
                "Likes against",
                options=list(charts.TARGET_LABELS),
                format_func=charts.label_of(charts.TARGET_LABELS),
            ),
            "lag": st.column_config.NumberColumn("Days later"),
            "r": st.column_config.NumberColumn("Spearman r", format="%+.2f"),
            "n": st.column_config.NumberColumn("Days paired"),
        },
    )
