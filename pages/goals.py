"""Goals: SMART targets for likes, with progress, a projection, and an honest verdict."""

from datetime import date, timedelta

import streamlit as st

from kpi_core.metrics.findings import long_day
from kpi_core.metrics.goal_metrics import GOAL_METRICS
from kpi_core.planning.baseline import MIN_HISTORY_DAYS, MIN_HISTORY_VIDEOS
from kpi_core.planning.chances import chance_text
from kpi_core.planning.goals import OBJECTIVES, Goal, format_value
from kpi_core.planning.suggestions import SuggestedTarget, default_metric
from kpi_core.planning.verdict import status_rule
from ui import downloads, entry, goal_card, planning, widgets
from ui.format import handle
from ui.text import escape_md

account = entry.open_account_page("Goals", nothing_yet="No data to set goals on yet")

base = planning.baseline(account)
goals: list[dict] = st.session_state.setdefault("goals", [])
as_of = base.as_of
if as_of is None:
    st.info(f"No dated data for {escape_md(handle(account))} yet: goals need daily data or posting dates.")
    st.stop()
st.caption(f"{escape_md(handle(account))} · data up to {long_day(as_of)}. Status rule: {status_rule()}")
if base.today_note:
    st.caption(escape_md(base.today_note))
if old_data := base.age_note(date.today()):
    st.warning(escape_md(old_data), icon=":material/history:")
st.page_link("pages/methods.py", label="How goals are projected and judged", icon=":material/help:")


def _set_target(value: float) -> None:
    st.session_state["new_goal_target"] = value


offered: list[SuggestedTarget] = []  # the suggested targets of the goal being added, when its window has some
with st.expander("Add a goal", expanded=not goals):
    c1, c2, c3, c4 = st.columns(4)
    metric = c1.selectbox(
        "Metric",
        list(GOAL_METRICS),
        index=list(GOAL_METRICS).index(default_metric(base)),  # likes, unless the data cannot project them
        format_func=lambda m: GOAL_METRICS[m].label,
        key="new_goal_metric",
    )
    start = c2.date_input("Start", value=as_of + timedelta(days=1), key="new_goal_start", format="YYYY-MM-DD")
    deadline = c3.date_input(
        "Deadline", value=as_of + timedelta(days=90), key="new_goal_deadline", format="YYYY-MM-DD"
    )
    objective = c4.selectbox("Objective it serves", OBJECTIVES, index=1, key="new_goal_objective")
    if deadline > start:
        offered = planning.suggestions(account, metric, start, deadline)
        if offered:
            st.caption("Suggested from your own history (click to use):")
            cols = st.columns(len(offered))
            for col, s in zip(cols, offered, strict=True):
                col.button(
                    f"{s.name.capitalize()}: {format_value(metric, s.target)} ({chance_text(s.probability)} chance)",
                    key=f"suggest_{s.name}",
                    on_click=_set_target,
                    args=(s.target,),
                    width="stretch",
                )
        else:
            st.caption(
                f"No suggested targets yet: they come from your own history, which needs at least "
                f"{MIN_HISTORY_DAYS} days of daily data ({MIN_HISTORY_VIDEOS} videos for per-video goals)."
            )
    if st.session_state.get("new_goal_window") != (metric, start, deadline):  # the target starts suggested
        st.session_state["new_goal_window"] = (metric, start, deadline)
        if deadline > start and (suggested := planning.suggested_target(account, metric, start, deadline)):
            st.session_state["new_goal_target"] = suggested
    target = widgets.target_input(metric, key="new_goal_target")
    if st.button("Add goal", type="primary"):
        try:
            goal = Goal(
                account=account,
                metric=metric,
                target=target,
                start=start,
                deadline=deadline,
                objective=objective,
            )
        except ValueError as problem:
            st.error(str(problem))
        else:
            goals.append(goal.to_dict())
            st.rerun()

if not goals:
    st.info("No goals yet: add one above." + (" A suggested target is one click away." if offered else ""))
for index, saved in enumerate(list(goals)):
    goal = Goal.from_dict(saved)
    if goal.account == account:
        goal_card.show(index, goal, goals)
downloads.report_and_workspace(account, "goals")
