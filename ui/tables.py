"""What the pages' tables share: the rate format and the columns of a list of videos."""

from __future__ import annotations

from typing import Any, cast

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


def _with_gaps_written(videos: pd.DataFrame, rates: tuple[str, ...]) -> tuple[pd.DataFrame, set[str]]:
    """`videos` with each shown column that has a gap written out (`gaps_as_text`: rates as PERCENT,
    NO_VALUE where missing), and a missing link an empty cell (a link column would make "n/a" a
    link); and the columns so written."""
    shown = [c for c in videos.columns if c not in ("posted_at", "posted_time_known", "url")]
    frame, written = gaps_as_text(videos, {**dict.fromkeys(rates, PERCENT), "title": "{}"}, shown)
    if "url" in frame.columns:
        frame["url"] = frame["url"].astype("object").where(frame["url"].notna(), "")
    return frame, written


def video_styler(videos: pd.DataFrame, rates: tuple[str, ...] = ("like_rate",)) -> Styler:
    """A list of videos for `st.dataframe`: `rates` as percentages, and each posting time shown with
    its hour only where the export gave one (`posted_time_known`). The Styler's text replaces the
    "Posted" column's own format, which is why `video_columns` gives that column none."""
    return _styler(*_with_gaps_written(videos, rates), rates)


def _styler(videos: pd.DataFrame, written: set[str], rates: tuple[str, ...]) -> Styler:
    """`video_styler` of a list whose gaps `_with_gaps_written` has written out (`written`)."""
    styler = videos.style.format({r: PERCENT for r in rates if r not in written}, na_rep=NO_VALUE)
    if "posted_time_known" in videos.columns:
        for known in (True, False):
            rows = videos.index[videos["posted_time_known"].fillna(False).astype(bool) == known]
            styler = styler.format(
                lambda posted, known=known: posted_text(posted, known),
                subset=pd.IndexSlice[rows, ["posted_at"]],
            )
    return styler


PERCENT_POINTS = "%.2f%%"  # column_config's format of a rate held as its percentage (rate_points)
DAY_AND_TIME, DAY_ONLY = "ddd D MMM YYYY, HH:mm", "ddd D MMM YYYY"  # posted_text's two forms (Moment.js)


def rate_points(rates: pd.Series) -> pd.Series:
    """Rates (fractions 0..1) as the percentages PERCENT writes, to two decimals: the number in the
    cell is the one its text shows (4.56 for "4.56%"), whatever way the browser rounds."""
    return printed_numbers(rates, 2, scale=100.0)


def printed_numbers(values: pd.Series, decimals: int, scale: float = 1.0) -> pd.Series:
    """`values` x `scale` rounded to `decimals` places as Python's format rounds them, for a column
    whose printf format the browser applies (column_config). The browser rounds a half away from
    zero where Python rounds it to even (890.5: "891" against "890"), so the number is rounded
    here; and it writes a negative zero "+0.00", so a value that rounds to zero from below is sent
    as a tenth of its last place below zero, which it writes "-0.00", as Python writes the value
    (an interval's end just below zero)."""
    below_zero = -(10.0 ** -(decimals + 1))
    printed = []
    for value in values:
        scaled = value * scale
        rounded = float(f"{scaled:.{decimals}f}")
        printed.append(below_zero if rounded == 0 and scaled < 0 else rounded)
    return pd.Series(printed, index=values.index, dtype=float)


def video_list(
    videos: pd.DataFrame, rates: tuple[str, ...] = ("like_rate",), highlight: str | None = None
) -> tuple[pd.DataFrame | Styler, dict[str, str]]:
    """A list of videos for `st.dataframe`, and the formats its columns need (`formatted`): `rates`
    as percentages, each posting time with its hour only where the export gave one, and, with
    `highlight`, the rows whose `highlight` column holds a reason shaded.

    A plain frame is formatted in the browser by its column settings; a Styler's text is made and
    sent cell by cell (~10 ms a table on the server, and more for the browser to draw). So the
    Styler (`video_styler`) only where a column setting cannot say it: rows to shade, rows whose
    exports disagree on the hour, a missing value (written "n/a")."""
    known = (
        set(videos["posted_time_known"].fillna(False).astype(bool))
        if "posted_time_known" in videos
        else set()
    )
    shaded = highlight is not None and any(bool(v) for v in videos[highlight])
    frame, written = _with_gaps_written(videos, rates)
    # A number column reads text as a number ("4.56%" as 0.0456, "n/a" as an error): a column
    # written out for its gaps needs the Styler's text.
    if (
        shaded
        or len(known) > 1
        or written - {"title"}
        or ("posted_at" in videos and videos["posted_at"].isna().any())
    ):
        styler = _styler(frame, written, rates)
        return (highlighted(styler, highlight) if shaded and highlight else styler), {}
    formats = {}
    for rate in rates:
        if rate in frame.columns:
            frame[rate] = rate_points(frame[rate])
            formats[rate] = PERCENT_POINTS
    if known:
        formats["posted_at"] = DAY_AND_TIME if known == {True} else DAY_ONLY
    return frame, formats


AS_TEXT = "as text"  # a `formatted` format: show the column, written out as text, as text


def formatted(columns: dict[str, ColumnConfig], formats: dict[str, str]) -> dict[str, ColumnConfig]:
    """`columns` with the display `formats` put into their settings, which must be number or
    date-time column settings (a plain label has no format to set). AS_TEXT makes the setting a
    text one with the same label and help, right-aligned as numbers are, for a column written out
    (`gaps_as_text`) in a text the grid cannot read as a number: under a number setting it reads
    "4.56%" and "+1,234" as numbers (and sorts them so) and flags "n/a" as invalid, but it cannot
    read "+0.52 pp" and flags every such cell."""
    out = dict(columns)
    for name, fmt in formats.items():
        setting: dict[str, Any] = dict(columns[name])
        assert setting.get("type_config", {}).get("type") in ("number", "datetime"), (name, setting)
        if fmt == AS_TEXT:
            out[name] = st.column_config.TextColumn(
                setting.get("label"), help=setting.get("help"), alignment="right"
            )
            continue
        setting["type_config"] = {**setting["type_config"], "format": fmt}
        out[name] = cast(ColumnConfig, setting)
    return out


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
            data, formats = video_list(ranked.top)
            st.dataframe(
                data,
                hide_index=True,
                width="stretch",
                column_order=RANKED_ORDER,
                column_config=formatted(columns, formats),
            )
        findings.say(ranked.reason)
        return
    for column, heading, frame in zip(
        st.columns(2), ("Top", "Bottom"), (ranked.top, ranked.bottom), strict=True
    ):
        column.markdown(f"**{heading} {len(frame)} by {by_label}**")
        data, formats = video_list(frame)
        column.dataframe(
            data,
            hide_index=True,
            width="stretch",
            column_order=RANKED_ORDER,
            column_config=formatted(columns, formats),
        )


def outlier_table(outliers: pd.DataFrame) -> None:
    """The viral outliers (`content.viral_outliers`) with the typical video they stand out from."""
    data, formats = video_list(outliers, rates=("like_rate", "like_rate_median"))
    st.dataframe(
        data,
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
        column_config=formatted(
            {
                **video_columns(),
                "reason": st.column_config.TextColumn("Outlier by"),
                "likes_median": st.column_config.NumberColumn("Median video's likes", format="%,.0f"),
                "likes_z": st.column_config.NumberColumn("Likes z", format="%.1f"),
                "like_rate_median": st.column_config.NumberColumn("Median like rate"),
                "like_rate_z": st.column_config.NumberColumn("Like rate z", format="%.1f"),
            },
            formats,
        ),
    )


def posting_slot_table(cells: pd.DataFrame) -> None:
    """Every weekday-and-hour posting slot (`content.posting_times`) with its videos and likes: a
    Styler only when a value is missing, to write it n/a (`video_list` says why)."""
    order = ["weekday_name", "hour", "videos", "median_likes", "like_rate", "enough"]
    complete = not cells[order].isna().to_numpy().any()
    st.dataframe(
        cells.assign(like_rate=rate_points(cells["like_rate"]))
        if complete
        else cells.style.format({"like_rate": PERCENT}, na_rep="n/a"),
        hide_index=True,
        width="stretch",
        column_order=order,
        column_config={
            "weekday_name": "Weekday",
            "hour": st.column_config.NumberColumn("Hour"),
            "videos": "Videos",
            "median_likes": st.column_config.NumberColumn("Median likes per video", format="%,.0f"),
            "like_rate": st.column_config.NumberColumn(
                "Like rate", format=PERCENT_POINTS if complete else None
            ),
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
