"""TikTok Likes KPI Studio: the entry point. Page config, navigation, the shared sidebar and the link."""

import streamlit as st

from ui import entry, planning, widgets

st.set_page_config(page_title="TikTok Likes KPI Studio", page_icon=":material/favorite:", layout="wide")

# Each page's URL is its file name: a shared link such as /what-if?... must name the same page in
# Streamlit's legacy pages/ mode, which serves the first visitor after a server start (ui/entry.py).
pages = {
    "Analyse": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/trends.py", title="Trends", icon=":material/trending_up:"),
        st.Page("pages/content.py", title="Content", icon=":material/video_library:"),
        st.Page("pages/audience.py", title="Audience", icon=":material/groups:"),
        st.Page("pages/benchmarks.py", title="Benchmarks & competitors", icon=":material/leaderboard:"),
        st.Page("pages/portfolio.py", title="Portfolio of accounts", icon=":material/groups:"),
    ],
    "Plan": [
        st.Page("pages/goals.py", title="Goals", icon=":material/flag:"),
        st.Page("pages/what-if.py", title="What-if", icon=":material/tune:"),
    ],
    "Your data": [
        st.Page("pages/data.py", title="Your data", icon=":material/upload_file:"),
        st.Page("pages/methods.py", title="How it works", icon=":material/help:"),
    ],
}
page = st.navigation(pages)
planning.follow_link(page.url_path)  # before the sidebar: a link made for an account loaded here opens on it
st.session_state[entry.FILTERS_KEY] = widgets.sidebar()
planning.link_notes()
planning.write_url()  # the session's what-if scenario stays in the URL on every page
page.run()
