"""The framework's floor for page switches: pages that draw given numbers of charts and tables.

bench/browser.py counts the charts and tables each page of the app draws on the demo data, writes
them to the file named by BARE_LAYOUTS (JSON: [{"name", "charts", "tables"}, ...]), then times a
click on each page's link here against the same click in the app. Each chart is the bare page's
Altair line chart; each table a 50-row DataFrame.
"""

import json
import os

import altair as alt
import pandas as pd
import streamlit as st

LAYOUTS = json.loads(open(os.environ["BARE_LAYOUTS"], encoding="utf-8").read())


def page(name: str, charts: int, tables: int):  # type: ignore[no-untyped-def]
    def draw() -> None:
        st.title(name)
        st.metric("Target reached on", f"{charts} charts, {tables} tables")
        days = pd.DataFrame({"day": range(90)})
        days["likes"] = days["day"] * 100
        for _ in range(charts):
            st.altair_chart(alt.Chart(days).mark_line().encode(x="day", y="likes"), width="stretch")
        for _ in range(tables):
            st.dataframe(days.head(50), hide_index=True, width="stretch")

    return draw


pages = [
    st.Page(
        page(layout["name"], layout["charts"], layout["tables"]),
        title=layout["name"],
        url_path=f"bare_{i}",
        default=i == 0,
    )
    for i, layout in enumerate(LAYOUTS)
]
st.navigation(pages).run()
