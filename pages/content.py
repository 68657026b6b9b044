"""Content: which videos, posting times, hashtags and content groups earn likes."""

import streamlit as st

from kpi_core.metrics import content, content_findings, scope
from kpi_core.metrics.findings import day_span, plural
from ui import charts, content_charts, drawing, entry, findings, session, tables, uplift, widgets
from ui.format import handle
from ui.text import escape_md

VIDEOS_LISTED = 1000
RANKED = 5
HASHTAGS_CHARTED = 15
RANK_BY = {"likes": "Likes", "like_rate": "Like rate"}


VIDEO_COLUMNS = tables.video_columns()
filters = entry.open_page("Content")

account, start, end = filters.account, filters.date_from, filters.date_to
st.caption(
    f"{escape_md(handle(account))} · videos posted {day_span(start, end)} (pick the account and the "
    "period in the sidebar). Likes and views are each video's totals at its latest export."
)
if listed := session.memo(content_findings.listed_videos_note, account):
    st.caption(escape_md(listed))

# --- the videos ----------------------------------------------------------------------------------

st.subheader("Videos")
videos = session.memo(content.top_videos, account, start, end, n=VIDEOS_LISTED)
outliers = session.memo(content_findings.viral_outlier_finding, account, start, end)
in_period = session.memo(scope.videos_in_period, account)  # "posted in", or "listed for" a sample
if videos.empty:
    unlisted = session.memo(scope.no_video_list, account)
    st.info(
        escape_md(unlisted)
        if unlisted
        else f"No videos with likes were {in_period}. Videos come from TikTok Studio's **Content** export or "
        "a scraper export."
    )
    st.stop()
table = session.derived(content.video_table, videos, outliers.table)
st.caption(
    f"{plural(len(table), 'video')} with likes {in_period}"
    + (f" (the {VIDEOS_LISTED:,} most liked)" if len(table) >= VIDEOS_LISTED else "")
    + ". Click a column header to sort."
    + (" Highlighted rows are viral outliers." if outliers.shown else "")
)
shown, formats = tables.video_list(table, highlight="outlier")
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_order=["outlier", "posted_at", "title", "likes", "views", "like_rate", "url"],
    column_config=tables.formatted(VIDEO_COLUMNS, formats),
    key="video_table",
)

st.subheader("Viral outliers")
if outliers.shown:
    st.caption(
        f"Videos whose likes or like rate are more than {content.OUTLIER_Z} median absolute deviations "
        "(scaled) above the median video. They inflate totals: read averages with them in mind."
    )
    tables.outlier_table(outliers.table)
else:
    findings.say(str(outliers.reason))

st.subheader("Top and bottom videos")
by = (
    st.segmented_control(
        "Rank by", list(RANK_BY), default="likes", format_func=charts.label_of(RANK_BY), key="content_rank_by"
    )
    or "likes"
)
tables.ranked_lists(
    session.memo(content_findings.ranking, account, start, end, n=RANKED, by=by), RANK_BY[by].lower()
)

# --- timing --------------------------------------------------------------------------------------

st.subheader("Best time to post")
zone = widgets.posting_zone_picker(account)
slots = session.memo(content_findings.posting_slot_finding, account, start, end)
if slots.shown:
    drawing.chart(content_charts.posting_heatmap_chart, slots.table, content.MIN_CELL_VIDEOS, width="stretch")
    st.caption(
        f"The number in each cell is how many videos were posted then. Colour is the median likes per "
        f"video, only where at least {content.MIN_CELL_VIDEOS} videos were posted; grey dashed cells have "
        f"too few videos and make no claim. Hours come from scraper exports, shown in {zone or 'UTC'}."
    )
    with st.expander("Every posting slot as a table"):
        tables.posting_slot_table(slots.table)
else:
    findings.say(str(slots.reason))
    if zone:
        st.caption(f"Posting times on this page are shown in {zone}.")

st.markdown("**When your followers are online**")
hours = session.memo(content_findings.audience_finding, account, start, end)
if hours.shown:
    drawing.chart(content_charts.audience_hours_chart, hours.table, width="stretch")
    st.caption(
        "Mean number of followers active in each hour, from FollowerActivity, over the days it covers "
        "in the period (hours as in TikTok Studio)."
    )
else:
    findings.say(str(hours.reason))

# --- hashtags and content groups ---------------------------------------------------------------

st.subheader("Hashtags")
hashtags, prior = session.memo(content_findings.hashtag_finding, account, start, end)
uplift.hashtag_section(hashtags, prior, charted=HASHTAGS_CHARTED)

st.subheader("Content groups")
st.caption(
    "A group is every video whose title matches one of its rules. Built in: **collab** = the title "
    'contains "collab" or @mentions another account. Add your own below; rules with the same '
    "group name add up."
)
rules = widgets.content_rules()
groups = session.memo(content_findings.group_finding, account, start, end, rules=rules)
uplift.uplift_section(groups, "group", "Group", claims_only=True)
