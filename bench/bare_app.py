"""The framework's floor for the browser figures: one slider, one metric, one Altair chart.

bench/browser.py times a key press on the slider to the metric's new text here, and this page's
first render, against the same on the app's What-if and Overview pages.
"""

import altair as alt
import pandas as pd
import streamlit as st

posts = st.slider("Posts per week", 0.0, 21.0, 3.0, step=0.5)
days = pd.DataFrame({"day": range(90)})
days["likes"] = days["day"] * posts * 100
st.metric("Target reached on", f"{posts:.1f} posts")
st.altair_chart(alt.Chart(days).mark_line().encode(x="day", y="likes"), width="stretch")
