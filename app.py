"""TikTok Likes KPI Studio: the entry point. Page config, navigation and the shared sidebar."""

import streamlit as st

from ui import session, widgets

st.set_page_config(page_title="TikTok Likes KPI Studio", page_icon=":material/favorite:", layout="wide")

pages = {
    "Analyse": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/trends.py", title="Trends", icon=":material/trending_up:"),
        st.Page("pages/content.py", title="Content", icon=":material/video_library:"),
        st.Page("pages/benchmarks.py", title="Benchmarks & competitors", icon=":material/leaderboard:",
                url_path="benchmarks"),
    ],
    "Plan": [
        st.Page("pages/goals.py", title="Goals", icon=":material/flag:"),
        st.Page("pages/whatif.py", title="What-if", icon=":material/tune:", url_path="what-if"),
    ],
    "Your data": [
        st.Page("pages/upload.py", title="Your data", icon=":material/upload_file:", url_path="data"),
    ],
}
page = st.navigation(pages)
st.session_state["filters"] = widgets.sidebar(session.get_store())
page.run()
