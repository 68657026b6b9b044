"""TikTok Likes KPI Studio's engine: ingestion, the per-session store, KPIs, trends and goals.

Pure Python and DuckDB: never imports streamlit or altair (tests/test_import_hygiene.py).
"""
