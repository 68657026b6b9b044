"""The Data page's upload widgets: the reading options, and what was read from each file (its
summary, the column mapping of an unknown file, the rejected rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from kpi_core.ingest import FileResult, formats, summary_frame
from kpi_core.report.export import to_csv_bytes
from kpi_core.store import Store
from ui import session, widgets
from ui.format import file_line, text_columns
from ui.text import escape_md

DATE_ORDERS = {"automatic": None, "day first (20/6/2022)": "dmy", "month first (6/20/2022)": "mdy"}


@dataclass(frozen=True)
class UploadOptions:
    """How the next uploads are read: the export date (None: inferred), the order of numeric dates
    ("dmy", "mdy" or None: automatic), the account handle as typed and the scraper files' time zone."""

    export_date: date | None
    date_order: str | None
    account: str
    time_zone: str


def upload_options() -> UploadOptions:
    """The Options expander: export date, account handle, time zone and date order."""
    with st.expander("Options: export date, account handle, time zone and date order"):
        left, right = st.columns(2)
        known_date = left.checkbox(
            "I know the export date",
            key="upload_has_date",
            help="TikTok writes dates without a year. We infer the year from the ZIP name "
            "or the Content file's export date; give it here when neither is there.",
        )
        export_date = left.date_input(
            "Export date", value=date.today(), key="upload_export_date", format="YYYY-MM-DD"
        )
        date_order = left.selectbox(
            "Numeric dates such as 1/7/2022",
            list(DATE_ORDERS),
            key="upload_date_order",
            help="Older exports write dates as numbers, day first or month first. Automatic reads the "
            "order from each date column (a day above 12, consecutive days); pick one when the files "
            "say nothing settles it.",
        )
        account = right.text_input(
            "Account handle (optional)",
            key="upload_account",
            max_chars=40,
            help="For Studio files that do not name the account, e.g. a lone Overview.csv.",
        )
        time_zone = right.selectbox(
            "Account's time zone (for scraper files)",
            widgets.time_zone_names(),
            key="upload_time_zone",
            help="Scrapers give posting times in UTC; TikTok Studio gives them in the "
            "account's own time. The zone picked here applies to the accounts of the "
            "scraper files you upload next, to their earlier uploads too; change one "
            "account's zone at any time on the Content page.",
        )
    return UploadOptions(
        export_date if known_date else None,
        DATE_ORDERS[date_order],
        account,
        time_zone,
    )


def read_summary(results: list[FileResult]) -> None:
    """What was read from each file: its line, its notes and the summary table."""
    st.subheader("What was read")
    for result in results:
        st.text(file_line(result))  # st.text: file names are shown as typed, never as Markdown
        for note in result.notes:  # whole sentences, wrapped: a table cell would cut them off
            st.caption(f"↳ {escape_md(note)}")  # notes quote headers and names from the file: escaped
    st.dataframe(
        text_columns(
            summary_frame(results),
            {
                "account": "{}",
                "from": "{:%d %b %Y}",
                "to": "{:%d %b %Y}",
                "years from": "{}",
                "problem": "{}",
            },
            missing="",
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "rows": st.column_config.NumberColumn(format="%d"),
            "accepted": st.column_config.NumberColumn(format="%d"),
            "rejected": st.column_config.NumberColumn(format="%d"),
        },
    )


def column_mapping(result: FileResult, results: list[FileResult]) -> None:
    """The expander that maps an unknown file's columns, and reads it again with the mapping;
    nothing for a file that needs no mapping."""
    needs = result.needs_mapping
    if not needs:
        return
    with st.expander(f"Map the columns of {escape_md(result.name)}", expanded=True):
        headers = needs["headers"]
        suggestion = needs["suggestion"]
        st.write(
            "This file is not a TikTok export we know. Tell us which column holds what "
            "(we guessed from the names); leave the rest on “not in this file”."
        )
        mapping = {}
        cols = st.columns(3)
        for i, target in enumerate(formats.CANONICAL_TARGETS):
            options = ["not in this file", *headers]
            default = options.index(suggestion[target]) if suggestion.get(target) in headers else 0
            choice = cols[i % 3].selectbox(
                target.replace("_", " "), options, index=default, key=f"map_{result.name}_{target}"
            )
            if choice != options[0]:
                mapping[target] = choice
        if st.button("Read with this mapping", key=f"map_go_{result.name}"):
            data = st.session_state.get("upload_pending", {}).get(result.name.split("/")[0])
            if data is None:
                st.error("The file is no longer in this session: upload it again.")
            else:
                fresh = session.read_with_mapping(result, data, mapping)
                st.session_state["upload_results"] = [r for r in results if r is not result] + fresh
                st.rerun()


def rejected_rows() -> None:
    """The rejected rows of every upload, with their download; nothing when there are none."""
    rejected = session.memo(Store.query, "rejected_rows")
    if len(rejected):
        with st.expander(f"Rejected rows ({len(rejected)})"):
            st.dataframe(rejected, hide_index=True, width="stretch")
            st.download_button(
                "Download rejected rows (CSV)",
                to_csv_bytes(rejected),
                file_name="rejected_rows.csv",
                mime="text/csv",
            )
