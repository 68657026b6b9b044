"""Content: which videos, posting times, hashtags and content groups earn likes."""

import streamlit as st

from kpi_core.metrics import content
from ui import charts, entry, session, tables, widgets
from ui.format import handle
from ui.tables import PERCENT
from ui.text import escape_md

VIDEOS_LISTED = 1000
RANKED = 5
HASHTAGS_CHARTED = 15
RANK_BY = {"likes": "Likes", "like_rate": "Like rate"}
RULES_KEY = "content_rules"


def points(value: float) -> str:
    """A difference of two rates in percentage points: 0.0297 -> '+2.97 pp'."""
    return f"{value * 100:+.2f} pp"


def _highlight_outliers(row):  # type: ignore[no-untyped-def]
    return ["background-color: #FFE4EA" if row["outlier"] else ""] * len(row)


VIDEO_COLUMNS = tables.video_columns()


def _verdict_text(verdict: object) -> str:
    return charts.NO_CLAIM if verdict == "not enough videos" else str(verdict)


def _uplift_columns(key: str, label: str) -> dict:
    verdicts = list(charts.VERDICT_COLOURS) + ["not enough videos"]
    return {
        key: st.column_config.TextColumn(label),
        "videos_with": st.column_config.NumberColumn("Videos with"),
        "videos_without": st.column_config.NumberColumn("Videos without"),
        "likes_per_video_with": st.column_config.NumberColumn("Likes per video with", format="%,.0f"),
        "likes_per_video_without": st.column_config.NumberColumn("Likes per video without", format="%,.0f"),
        "likes_uplift": st.column_config.NumberColumn("Difference (likes per video)", format="%+,.0f"),
        "likes_uplift_low": st.column_config.NumberColumn("95% interval from", format="%+,.0f"),
        "likes_uplift_high": st.column_config.NumberColumn("95% interval to", format="%+,.0f"),
        "likes_verdict": st.column_config.SelectboxColumn(
            "Likes verdict", options=verdicts, format_func=_verdict_text
        ),
        "like_rate_with": st.column_config.NumberColumn("Like rate with"),
        "like_rate_without": st.column_config.NumberColumn("Like rate without"),
        "like_rate_uplift": st.column_config.NumberColumn("Like rate difference"),
        "like_rate_uplift_low": st.column_config.NumberColumn("95% interval from"),
        "like_rate_uplift_high": st.column_config.NumberColumn("95% interval to"),
        "like_rate_verdict": st.column_config.SelectboxColumn(
            "Like rate verdict", options=verdicts, format_func=_verdict_text
        ),
    }


UPLIFT_ORDER = [
    "videos_with",
    "videos_without",
    "likes_verdict",
    "likes_uplift",
    "likes_uplift_low",
    "likes_uplift_high",
    "like_rate_verdict",
    "like_rate_uplift",
    "like_rate_uplift_low",
    "like_rate_uplift_high",
    "likes_per_video_with",
    "likes_per_video_without",
    "like_rate_with",
    "like_rate_without",
]
UPLIFT_FORMATS = {
    "like_rate_with": PERCENT,
    "like_rate_without": PERCENT,
    "like_rate_uplift": points,
    "like_rate_uplift_low": points,
    "like_rate_uplift_high": points,
}
SUPPORT_NOTE = (
    f"Each row compares videos with it against the other videos, with a 95% interval (Welch). A "
    f"verdict needs at least {content.MIN_SUPPORT} videos on each side; below that: no claim."
)


def _remove_rule() -> None:
    index = st.session_state.get("content_rule_remove")
    if index is not None and index < len(st.session_state[RULES_KEY]):
        st.session_state[RULES_KEY].pop(index)
    st.session_state["content_rule_remove"] = None


filters = entry.open_page("Content")

account, start, end = filters.account, filters.date_from, filters.date_to
st.caption(
    f"{escape_md(handle(account))} · videos posted {start:%d %b %Y} – {end:%d %b %Y} (pick the account and the "
    "period in the sidebar). Likes and views are each video's totals at its latest export."
)

# --- the videos ----------------------------------------------------------------------------------

st.subheader("Videos")
videos = session.memo(content.top_videos, account, start, end, n=VIDEOS_LISTED)
outliers = session.memo(content.viral_outliers, account, start, end)
if videos.empty:
    st.info(
        "No videos with likes were posted in this period. Videos come from TikTok Studio's **Content** "
        "export or a scraper export."
    )
    st.stop()
table = content.video_table(videos, outliers)
st.caption(
    f"{len(table):,} videos with likes posted in the period"
    + (f" (the {VIDEOS_LISTED:,} most liked)" if len(table) >= VIDEOS_LISTED else "")
    + ". Click a column header to sort. Highlighted rows are viral outliers."
)
st.dataframe(
    tables.video_styler(table).apply(_highlight_outliers, axis=1),
    hide_index=True,
    width="stretch",
    column_order=["outlier", "posted_at", "title", "likes", "views", "like_rate", "url"],
    column_config=VIDEO_COLUMNS,
    key="video_table",
)

st.subheader("Viral outliers")
if outliers.empty:
    st.info(
        f"No viral outliers: no video's likes or like rate stand more than {content.OUTLIER_Z} robust "
        f"z-scores above the typical video (at least {content.MIN_OUTLIER_VIDEOS} videos are needed)."
    )
else:
    st.caption(
        f"Videos whose likes or like rate are more than {content.OUTLIER_Z} median absolute deviations "
        "(scaled) above the median video. They inflate totals: read averages with them in mind."
    )
    st.dataframe(
        tables.video_styler(outliers, rates=("like_rate", "like_rate_median")),
        hide_index=True,
        width="stretch",
        column_order=[
            "reason",
            "posted_at",
            "title",
            "likes",
            "likes_median",
            "likes_z",
            "like_rate",
            "like_rate_median",
            "like_rate_z",
            "url",
        ],
        column_config={
            **VIDEO_COLUMNS,
            "reason": st.column_config.TextColumn("Outlier by"),
            "likes_median": st.column_config.NumberColumn("Median video's likes", format="%,.0f"),
            "likes_z": st.column_config.NumberColumn("Likes z", format="%.1f"),
            "like_rate_median": st.column_config.NumberColumn("Median like rate"),
            "like_rate_z": st.column_config.NumberColumn("Like rate z", format="%.1f"),
        },
    )

st.subheader("Top and bottom videos")
by = (
    st.segmented_control(
        "Rank by", list(RANK_BY), default="likes", format_func=charts.label_of(RANK_BY), key="content_rank_by"
    )
    or "likes"
)
top = session.memo(content.top_videos, account, start, end, n=RANKED, by=by)
bottom = session.memo(content.top_videos, account, start, end, n=RANKED, by=by, bottom=True)
for column, heading, frame in zip(
    st.columns(2), (f"Top {RANKED}", f"Bottom {RANKED}"), (top, bottom), strict=True
):
    column.markdown(f"**{heading} by {RANK_BY[by].lower()}**")
    column.dataframe(
        tables.video_styler(frame),
        hide_index=True,
        width="stretch",
        column_order=["title", "likes", "like_rate", "url", "views", "posted_at"],
        column_config={**VIDEO_COLUMNS, "title": st.column_config.TextColumn("Title", width="medium")},
    )

# --- timing --------------------------------------------------------------------------------------

st.subheader("Best time to post")
zone = widgets.posting_zone_picker(account)
cells = session.memo(content.posting_times, account, start, end, by="weekday_hour")
if cells.empty:
    st.info(
        "No posting times: TikTok Studio's Content export gives the posting date only. A scraper export "
        "of the account adds the time of day."
    )
else:
    st.altair_chart(charts.posting_heatmap_chart(cells, content.MIN_CELL_VIDEOS), width="stretch")
    st.caption(
        f"The number in each cell is how many videos were posted then. Colour is the median likes per "
        f"video, only where at least {content.MIN_CELL_VIDEOS} videos were posted; grey dashed cells have "
        f"too few videos and make no claim. Hours come from scraper exports, shown in {zone or 'UTC'}."
    )
    with st.expander("Every posting slot as a table"):
        st.dataframe(
            cells.style.format({"like_rate": PERCENT}, na_rep="n/a"),
            hide_index=True,
            width="stretch",
            column_order=["weekday_name", "hour", "videos", "median_likes", "like_rate", "enough"],
            column_config={
                "weekday_name": "Weekday",
                "hour": st.column_config.NumberColumn("Hour"),
                "videos": "Videos",
                "median_likes": st.column_config.NumberColumn("Median likes per video", format="%,.0f"),
                "like_rate": st.column_config.NumberColumn("Like rate"),
                "enough": st.column_config.CheckboxColumn(f"At least {content.MIN_CELL_VIDEOS} videos"),
            },
        )

st.markdown("**When your followers are online**")
hours = session.memo(content.audience_hours, account, start, end)
if hours.empty:
    st.info(
        "No follower activity for this account and period: it comes from TikTok Studio's **Followers** "
        "export (FollowerActivity), which covers its last 7 days."
    )
else:
    st.altair_chart(charts.audience_hours_chart(hours), width="stretch")
    st.caption(
        "Mean number of followers active in each hour, from FollowerActivity, over the days it covers "
        "in the period (hours as in TikTok Studio)."
    )

# --- hashtags and content groups ---------------------------------------------------------------

st.subheader("Hashtags")
hashtags = session.memo(content.hashtag_uplift, account, start, end)
if hashtags.empty:
    st.info("No hashtags in the titles of the videos posted in this period.")
else:
    left, right = st.columns(2)
    left.altair_chart(
        charts.uplift_chart(hashtags.head(HASHTAGS_CHARTED), "hashtag", "likes"), width="stretch"
    )
    right.altair_chart(
        charts.uplift_chart(hashtags.head(HASHTAGS_CHARTED), "hashtag", "like_rate"), width="stretch"
    )
    st.caption(
        SUPPORT_NOTE
        + (
            f" The charts show the {HASHTAGS_CHARTED} most used hashtags; the table has all."
            if len(hashtags) > HASHTAGS_CHARTED
            else ""
        )
    )
    st.dataframe(
        hashtags.style.format(UPLIFT_FORMATS, na_rep="n/a"),
        hide_index=True,
        width="stretch",
        column_order=["hashtag", *UPLIFT_ORDER],
        column_config=_uplift_columns("hashtag", "Hashtag"),
        key="hashtag_table",
    )

st.subheader("Content groups")
st.caption(
    "A group is every video whose title matches one of its rules. Built in: **collab** = the title "
    'contains "collab" or @mentions another account. Add your own below; rules with the same '
    "group name add up."
)
user_rules: list[dict[str, str]] = st.session_state.setdefault(RULES_KEY, [])
with st.form("add_content_rule", clear_on_submit=True):
    name_column, text_column, button_column = st.columns([2, 3, 1], vertical_alignment="bottom")
    new_name = name_column.text_input("Group name", max_chars=40, placeholder="e.g. tutorials")
    new_text = text_column.text_input("Title contains (any case)", max_chars=80, placeholder="e.g. how to")
    if button_column.form_submit_button("Add group rule", width="stretch"):
        if new_name.strip() and new_text.strip():
            user_rules.append({"name": new_name.strip(), "text": new_text.strip()})
        else:
            st.error("A rule needs a group name and the text its titles contain.")

rules = content.DEFAULT_RULES + tuple(content.Rule(r["name"], "contains", r["text"]) for r in user_rules)
if user_rules:
    st.dataframe(
        user_rules,
        hide_index=True,
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Your group"),
            "text": st.column_config.TextColumn("Title contains"),
        },
    )
    remove = st.selectbox(
        "Remove a rule",
        range(len(user_rules)),
        index=None,
        placeholder="Pick a rule to remove",
        format_func=lambda i: f"{user_rules[i]['name']}: title contains {user_rules[i]['text']}",
        key="content_rule_remove",
    )
    st.button("Remove rule", disabled=remove is None, on_click=_remove_rule)

groups = session.memo(content.group_uplift, account, start, end, rules=rules)
left, right = st.columns(2)
left.altair_chart(charts.uplift_chart(groups, "group", "likes"), width="stretch")
right.altair_chart(charts.uplift_chart(groups, "group", "like_rate"), width="stretch")
st.caption(SUPPORT_NOTE)
st.dataframe(
    groups.style.format(UPLIFT_FORMATS, na_rep="n/a"),
    hide_index=True,
    width="stretch",
    column_order=["group", *UPLIFT_ORDER],
    column_config=_uplift_columns("group", "Group"),
    key="group_table",
)
