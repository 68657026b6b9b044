"""The top layer for people: the one-page report and the downloads (CSV, XLSX)."""
