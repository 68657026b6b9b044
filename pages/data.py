"""Your data: upload exports or a saved workspace, see what was read from each file, map unknown
columns, save the workspace, clear."""

from datetime import date

import streamlit as st

from kpi_core.ingest import check_handle, formats, summary_frame
from kpi_core.report.export import to_csv_bytes
from ui import downloads, entry, session, widgets
from ui.format import file_line, text_columns
from ui.text import escape_md

entry.require_app()
st.title("Your data")
st.caption(
    "Upload what TikTok gives you: the Studio ZIPs or CSVs (Overview, Content, Viewers, Followers), "
    "older analytics exports, Ads Manager reports, or scraper CSV/JSON. Files are recognised by their "
    "columns, read only into this browser session, and never shared with other visitors. A workspace "
    "file you saved brings back your data, goals and scenario; exports added with it or later merge in."
)

round_no = st.session_state.setdefault("upload_round", 0)
DATE_ORDERS = {"automatic": None, "day first (20/6/2022)": "dmy", "month first (6/20/2022)": "mdy"}
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
files = st.file_uploader(
    "Drop your export files or a saved workspace here (CSV, ZIP, XLSX or JSON; several at once)",
    type=["csv", "zip", "xlsx", "json", "txt"],
    accept_multiple_files=True,
    key=f"upload_files_{round_no}",
)
try:
    handle = check_handle(account) if account.strip() else None
except ValueError as problem:
    st.error(escape_md(str(problem)) + ". Correct it under Options: the files are read once it is valid.")
    handle, files = None, []
if files:
    uploads = [(f.name, f.getvalue()) for f in files]
    with st.spinner(f"Reading {len(uploads)} file(s)…"):
        results = session.add_uploads(
            uploads,
            export_date=export_date if known_date else None,
            account=handle,
            time_zone=time_zone,
            date_order=DATE_ORDERS[date_order],
        )
    st.session_state["upload_results"] = st.session_state.get("upload_results", []) + results
    st.session_state["upload_pending"] = {
        **st.session_state.get("upload_pending", {}),
        **{name: data for name, data in uploads},
    }
    st.session_state["upload_round"] = round_no + 1  # a fresh uploader, so the files are read once
    st.rerun()

results = st.session_state.get("upload_results", [])
if results:
    st.subheader("What was read")
    for result in results:
        st.text(file_line(result))  # st.text: file names are shown as typed, never as Markdown
        for note in result.notes:  # whole sentences, wrapped: a table cell would cut them off
            st.caption(f"↳ {escape_md(note)}")  # notes quote headers and names from the file: escaped
    st.dataframe(
        text_columns(
            summary_frame(results),
            {"from": "{:%d %b %Y}", "to": "{:%d %b %Y}", "years from": "{}", "problem": "{}"},
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

    for result in [r for r in results if r.needs_mapping]:
        with st.expander(f"Map the columns of {escape_md(result.name)}", expanded=True):
            headers = result.needs_mapping["headers"]
            suggestion = result.needs_mapping["suggestion"]
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

    rejected = session.get_store().query("rejected_rows")
    if len(rejected):
        with st.expander(f"Rejected rows ({len(rejected)})"):
            st.dataframe(rejected, hide_index=True, width="stretch")
            st.download_button(
                "Download rejected rows (CSV)",
                to_csv_bytes(rejected),
                file_name="rejected_rows.csv",
                mime="text/csv",
            )

st.subheader("Keep your work")
st.caption(
    "Nothing you upload is kept on our server: when this tab closes, the session is gone. Save a "
    "workspace file (your data as read from every upload, the upload log, goals and the what-if "
    "scenario) and upload it here next time to carry on; newer exports then add to its history."
)
left, _ = st.columns([1, 2])
with left:
    downloads.workspace_download("data")

st.divider()
if session.showing_demo():
    st.info("Showing the demo account. Your first upload replaces it.")
elif st.button("Clear my data and go back to the demo", type="secondary"):
    session.clear_data()
    st.session_state.pop("upload_results", None)
    st.session_state.pop("upload_pending", None)
    st.rerun()
