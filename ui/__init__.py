"""Streamlit and Altair glue shared by the pages (kpi_core stays free of both)."""
