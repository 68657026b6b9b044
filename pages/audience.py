"""Audience: who follows, where they are, who is watching, when followers are online, and whether
the posting hours meet them."""

from collections.abc import Callable

import altair as alt
import streamlit as st

from kpi_core.metrics import audience
from kpi_core.metrics.audience import AudienceFinding
from kpi_core.metrics.findings import day_span
from ui import audience_charts, drawing, entry, findings, session, widgets
from ui.charts import Layered
from ui.format import handle
from ui.text import escape_md


def show(finding: AudienceFinding, chart: Callable[..., alt.Chart | Layered], *args: object) -> None:
    """The finding's summary and `chart(*args)`, with its notes; or the one sentence that says why not."""
    if not finding.shown:
        findings.say(str(finding.reason))
        return
    if finding.summary:
        st.write(escape_md(finding.summary))
    drawing.chart(chart, *args, width="stretch")
    findings.notes(finding)


filters = entry.open_page("Audience")
account, start, end = filters.account, filters.date_from, filters.date_to
st.caption(
    f"{escape_md(handle(account))} · {day_span(start, end)} (pick the account and the period in the "
    "sidebar). Gender and territories are TikTok's split at the latest Followers export: they have no history."
)
if reason := session.memo(audience.studio_reason, account):
    findings.say(reason)
    st.stop()

st.subheader("Who follows")
gender_column, territory_column = st.columns(2)
with gender_column:
    st.markdown("**Gender**")
    gender = session.memo(audience.gender_finding, account)
    show(gender, audience_charts.shares_chart, gender.table, "key", "Share of followers")
with territory_column:
    st.markdown("**Top territories**")
    places = session.memo(audience.territory_finding, account)
    show(places, audience_charts.shares_chart, places.table, "name", "Share of followers")

st.subheader("New and returning viewers")
viewers = session.memo(audience.viewers_finding, account, start, end, filters.include_provisional)
show(viewers, audience_charts.viewers_chart, viewers.table, str(viewers.grain))
if viewers.shown:
    st.caption(
        "From Viewers.csv: each day's unique viewers, split into those new to the account and those who "
        "watched before. Bars are viewers per day"
        + (", the mean over each week" if viewers.grain == "week" else "")
        + "; the line is the share of them who were returning (right axis)."
    )

st.subheader("When followers are online")
activity = session.memo(audience.activity_finding, account, start, end)
show(activity, audience_charts.activity_heatmap_chart, activity.table)
if activity.shown:
    st.caption("From FollowerActivity.csv: followers online per hour, in the time TikTok Studio shows.")

st.subheader("Posting hours against the followers' hours")
widgets.posting_zone_picker(account)
match = session.memo(audience.posting_match_finding, account, start, end)
show(match, audience_charts.posting_match_chart, match.table)
if match.shown:
    st.caption(
        f"Each hour's share of the followers' activity beside its share of your videos. Shaded: the followers' "
        f"{audience.PEAK_HOURS} busiest hours, the {audience.PEAK_HOURS} with the most followers online "
        "on average. Only videos whose posting time is known count: TikTok Studio's Content export gives "
        "dates only."
    )
