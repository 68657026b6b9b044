"""With/without comparisons (hashtags, content groups) as charts and a table, as the Content page
shows them: every row says how many videos stand behind it and makes no claim below the minimum.
A hashtag's like rate is the Portfolio page's shrunk estimate (`hashtag_section`), not a with/without
difference, so the two pages give one verdict per hashtag."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler
from streamlit.elements.lib.column_types import ColumnConfig

from kpi_core.metrics import uplift
from kpi_core.metrics.findings import Finding
from kpi_core.metrics.hashtags import Prior
from ui import content_charts, drawing, findings, portfolio, portfolio_charts, session
from ui.format import NO_VALUE, gaps_as_text, points
from ui.tables import AS_TEXT, PERCENT, PERCENT_POINTS, formatted, printed_numbers
from ui.text import escape_md


def _verdict_text(verdict: object) -> str:
    return content_charts.NO_CLAIM if verdict == "not enough videos" else str(verdict)


def _uplift_columns(key: str, label: str) -> dict[str, ColumnConfig]:
    verdicts = list(content_charts.VERDICT_COLOURS) + ["not enough videos"]
    return {
        key: st.column_config.TextColumn(label),
        "videos_with": st.column_config.NumberColumn("Videos with"),
        "videos_without": st.column_config.NumberColumn("Videos without"),
        "likes_per_video_with": st.column_config.NumberColumn("Likes per video with"),
        "likes_per_video_without": st.column_config.NumberColumn("Likes per video without"),
        "likes_uplift": st.column_config.NumberColumn("Difference (likes per video)"),
        "likes_uplift_low": st.column_config.NumberColumn("95% interval from"),
        "likes_uplift_high": st.column_config.NumberColumn("95% interval to"),
        "likes_verdict": st.column_config.SelectboxColumn(
            "Likes verdict", options=verdicts, format_func=_verdict_text
        ),
        "like_rate_with": st.column_config.NumberColumn("Like rate with"),
        "like_rate_without": st.column_config.NumberColumn("Like rate without"),
        "like_rate_uplift": st.column_config.NumberColumn("Like rate difference"),
        "like_rate_uplift_low": st.column_config.NumberColumn("95% interval from"),
        "like_rate_uplift_high": st.column_config.NumberColumn("95% interval to"),
        "like_rate_verdict": st.column_config.SelectboxColumn(
            "Like rate verdict", options=verdicts, format_func=_verdict_text
        ),
        # A hashtag's like rate against the account's (HASHTAG_ORDER: hashtags.hashtag_table's columns)
        "verdict": st.column_config.TextColumn("Like rate verdict"),
        "uplift": st.column_config.NumberColumn(
            "Like rate against the account's (shrunk)",
            help="Its videos' like rate against all the account's videos', shrunk towards it by empirical Bayes",
        ),
        "interval": st.column_config.TextColumn("95% interval"),
        "needed": st.column_config.TextColumn(
            "Videos needed to tell", help="If its uplift so far held, the videos it would take to call it"
        ),
    }


# The comparison table's columns: its counts and likes per video, its like rate, then the values
# compared. A content group's like rate is with against without; a hashtag's, the shrunk estimate
# against the account's (HASHTAG_ORDER).
LIKES_ORDER = [
    "videos_with",
    "videos_without",
    "likes_verdict",
    "likes_uplift",
    "likes_uplift_low",
    "likes_uplift_high",
]
COMPARED_ORDER = ["likes_per_video_with", "likes_per_video_without", "like_rate_with", "like_rate_without"]
UPLIFT_ORDER = [
    *LIKES_ORDER,
    "like_rate_verdict",
    "like_rate_uplift",
    "like_rate_uplift_low",
    "like_rate_uplift_high",
    *COMPARED_ORDER,
]
LIKES = "{:,.0f}"
LIKES_CHANGE = "{:+,.0f}"
UPLIFT_FORMATS: dict[
    str, str | Callable[[Any], str]
] = {  # every number the table shows: the Styler's text replaces the columns' own formats
    "likes_per_video_with": LIKES,
    "likes_per_video_without": LIKES,
    "likes_uplift": LIKES_CHANGE,
    "likes_uplift_low": LIKES_CHANGE,
    "likes_uplift_high": LIKES_CHANGE,
    "like_rate_with": PERCENT,
    "like_rate_without": PERCENT,
    "like_rate_uplift": points,
    "like_rate_uplift_low": points,
    "like_rate_uplift_high": points,
    "uplift": "{:+.1%}",  # a hashtag's shrunk like rate against the account's (hashtag_table)
}
# How a complete table, sent without a Styler, holds each number (`tables.printed_numbers`:
# decimals, scale) and the printf format that writes it in the browser as UPLIFT_FORMATS does.
PRINTED: dict[str, tuple[int, float, str]] = {
    "likes_per_video_with": (0, 1.0, "%,.0f"),
    "likes_per_video_without": (0, 1.0, "%,.0f"),
    "likes_uplift": (0, 1.0, "%+,.0f"),
    "likes_uplift_low": (0, 1.0, "%+,.0f"),
    "likes_uplift_high": (0, 1.0, "%+,.0f"),
    "like_rate_with": (2, 100.0, PERCENT_POINTS),
    "like_rate_without": (2, 100.0, PERCENT_POINTS),
    "like_rate_uplift": (2, 100.0, "%+.2f pp"),
    "like_rate_uplift_low": (2, 100.0, "%+.2f pp"),
    "like_rate_uplift_high": (2, 100.0, "%+.2f pp"),
    "uplift": (1, 100.0, "%+.1f%%"),
}
SUPPORT_NOTE = (
    f"Each row compares videos with it against the other videos, with a 95% interval (Welch). A "
    f"verdict needs at least {uplift.MIN_SUPPORT} videos on each side; below that: no claim."
)


def uplift_section(
    finding: Finding, key: str, label: str, charted: int | None = None, claims_only: bool = False
) -> None:
    """Two charts (likes per video and like rate, the first `charted` rows; with `claims_only`, only
    rows with the support for a verdict, the finding's notes naming the others) and the full table,
    or the finding's sentence when no row can be compared."""
    if not finding.shown:
        findings.say(str(finding.reason))
        return
    frame = finding.table
    shown = frame[frame["enough_support"]] if claims_only else frame
    shown = shown.head(charted) if charted else shown
    for column, measure in zip(st.columns(2), ("likes", "like_rate"), strict=True):
        with column:
            drawing.chart(content_charts.uplift_chart, shown, key, measure, width="stretch")
    more = charted is not None and len(frame) > charted
    st.caption(
        SUPPORT_NOTE + (f" The charts show the {charted} most used; the table has all." if more else "")
    )
    findings.notes(finding)
    # Made once per table (session.derived): 2-4 ms a table on every run of the page otherwise.
    table, columns, styled = session.derived(comparison_table, frame, key, label)
    st.dataframe(
        shown_table(table, styled),
        hide_index=True,
        width="stretch",
        column_order=[key, *UPLIFT_ORDER],
        column_config=columns,
        key=f"{key}_table",
    )


HASHTAG_ORDER = [*LIKES_ORDER, "verdict", "uplift", "interval", "needed", *COMPARED_ORDER]
RATE_AXIS = "Like rate against the account's (shrunk uplift)"  # the interval is in the legend's title
HASHTAG_NOTE = (
    f"Likes per video: the videos with each hashtag against the other videos, with a 95% interval "
    f"(Welch); a verdict needs at least {uplift.MIN_SUPPORT} videos on each side. Like rate: each "
    "hashtag's against the account's, shrunk by empirical Bayes (filled dots, with a 95% interval; rings "
    "as measured): the Portfolio page's estimate when it shows only this account over the same period. "
)


def hashtag_section(finding: Finding, prior: Prior, charted: int) -> None:
    """`content_findings.hashtag_finding` as the Content page shows it: likes per video with against
    without beside the like rate against the account's (the first `charted` hashtags), the prior in
    words and the table of both, or the finding's sentence when no hashtag can be compared."""
    if not finding.shown:
        findings.say(str(finding.reason))
        return
    frame = finding.table
    shown = frame.head(charted)
    # No chart of rows without a claim: likes per video below the support (the notes say why), or
    # like rates all shrunk to the account's or not estimated (the prior's sentence says why).
    columns = iter(st.columns(2))
    if frame["enough_support"].any():
        with next(columns):
            drawing.chart(content_charts.uplift_chart, shown, "hashtag", "likes", width="stretch")
    if prior.tau:
        with next(columns):
            drawing.chart(portfolio_charts.hashtag_uplift_chart, shown, RATE_AXIS, width="stretch")
    more = f" The charts show the {charted} most used; the table has all." if len(frame) > charted else ""
    st.caption(escape_md(HASHTAG_NOTE + prior.sentence + more))
    findings.notes(finding)
    table, settings, styled = session.derived(hashtag_table, frame, prior.videos)
    st.dataframe(
        shown_table(table, styled),
        hide_index=True,
        width="stretch",
        column_order=["hashtag", *HASHTAG_ORDER],
        column_config=settings,
        key="hashtag_table",
    )


def hashtag_table(
    frame: pd.DataFrame, set_videos: int
) -> tuple[pd.DataFrame, dict[str, ColumnConfig], dict[str, str | Callable[[Any], str]] | None]:
    """`comparison_table` of the hashtag finding's table, with the shrunk like rate's interval and
    the videos needed to tell written as the Portfolio page writes them (`portfolio.shrunk_text`;
    `set_videos`: the prior's videos)."""
    return comparison_table(portfolio.shrunk_text(frame, set_videos), "hashtag", "Hashtag", HASHTAG_ORDER)


def comparison_table(
    frame: pd.DataFrame, key: str, label: str, order: list[str] = UPLIFT_ORDER
) -> tuple[pd.DataFrame, dict[str, ColumnConfig], dict[str, str | Callable[[Any], str]] | None]:
    """The comparison table for st.dataframe, its column settings and, for a table with a missing
    value, the Styler formats that write it (`shown_table`; None: no Styler). A Styler's text is
    made on the server and sent cell by cell (`tables.video_list`), so only a table with a gap
    gets one, to write it n/a (its text, UPLIFT_FORMATS, replaces the columns' formats); a complete
    table holds its numbers as PRINTED writes them, rates as their percentages, the number in
    each cell the one its text shows (as `tables.posting_slot_table`)."""
    columns = _uplift_columns(key, label)
    formats = {name: fmt for name, fmt in UPLIFT_FORMATS.items() if name in order}
    printed = {name: how for name, how in PRINTED.items() if name in order}
    if frame[order].isna().to_numpy().any():
        written_frame, written = gaps_as_text(frame, formats, order)
        styled = {k: v for k, v in formats.items() if k not in written}
        # The grid reads the other columns' text as numbers, and sorts them so (`tables.formatted`).
        in_points = [name for name in written if formats.get(name) is points]
        return written_frame, formatted(columns, dict.fromkeys(in_points, AS_TEXT)), styled
    table = frame.assign(
        **{
            name: printed_numbers(frame[name], decimals, scale)
            for name, (decimals, scale, _) in printed.items()
        }
    )
    return table, formatted(columns, {name: fmt for name, (_, _, fmt) in printed.items()}), None


def shown_table(
    table: pd.DataFrame, styled: dict[str, str | Callable[[Any], str]] | None
) -> pd.DataFrame | Styler:
    """`comparison_table`'s table as st.dataframe takes it: with its Styler, made on each run (a
    Styler is not shared between runs), when it has Styler formats."""
    return table if styled is None else table.style.format(styled, na_rep=NO_VALUE)
