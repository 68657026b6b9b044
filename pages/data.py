"""Your data: upload exports or a saved workspace, see what was read from each file, map unknown
columns, save the workspace, clear."""

import streamlit as st

from kpi_core.ingest import check_handle
from ui import downloads, entry, session, uploads
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
options = uploads.upload_options()
files = st.file_uploader(
    "Drop your export files or a saved workspace here (CSV, ZIP, XLSX or JSON; several at once)",
    type=["csv", "zip", "xlsx", "json", "txt"],
    accept_multiple_files=True,
    key=f"upload_files_{round_no}",
)
try:
    handle = check_handle(options.account) if options.account.strip() else None
except ValueError as problem:
    st.error(escape_md(str(problem)) + ". Correct it under Options: the files are read once it is valid.")
    handle, files = None, []
if files:
    read = [(f.name, f.getvalue()) for f in files]
    with st.spinner(f"Reading {len(read)} file(s)…"):
        results = session.add_uploads(
            read,
            export_date=options.export_date,
            account=handle,
            time_zone=options.time_zone,
            date_order=options.date_order,
        )
    st.session_state["upload_results"] = st.session_state.get("upload_results", []) + results
    st.session_state["upload_pending"] = {
        **st.session_state.get("upload_pending", {}),
        **{name: data for name, data in read},
    }
    st.session_state["upload_round"] = round_no + 1  # a fresh uploader, so the files are read once
    st.rerun()

results = st.session_state.get("upload_results", [])
if results:
    uploads.read_summary(results)
    for result in [r for r in results if r.needs_mapping]:
        uploads.column_mapping(result, results)
    uploads.rejected_rows()

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
