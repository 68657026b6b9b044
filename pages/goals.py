"""Goals: SMART targets for likes, with progress, a projection, and an honest verdict."""

from datetime import timedelta

import streamlit as st

from kpi_core.metrics.registry import GOAL_METRICS, GoalKind
from kpi_core.planning.baseline import MIN_HISTORY_DAYS, MIN_HISTORY_VIDEOS
from kpi_core.planning.goals import OBJECTIVES, Goal, format_value
from kpi_core.planning.verdict import status_rule
from ui import charts, entry, planning
from ui.format import handle
from ui.text import escape_md

account = entry.open_account_page("Goals", nothing_yet="No data to set goals on yet")

base = planning.baseline(account)
goals: list[dict] = st.session_state.setdefault("goals", [])
as_of = base.as_of
if as_of is None:
    st.info(f"No dated data for {escape_md(handle(account))} yet: goals need daily data or posting dates.")
    st.stop()
st.caption(f"{escape_md(handle(account))} · data up to {as_of:%d %b %Y}. Status rule: {status_rule()}")


def _set_target(value: float) -> None:
    st.session_state["new_goal_target"] = value


with st.expander("Add a goal", expanded=not goals):
    c1, c2, c3, c4 = st.columns(4)
    metric = c1.selectbox(
        "Metric", list(GOAL_METRICS), format_func=lambda m: GOAL_METRICS[m].label, key="new_goal_metric"
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
                    f"{s.name.capitalize()}: {format_value(metric, s.target)} ({s.probability:.0%} chance)",
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
    is_rate = GOAL_METRICS[metric].kind is GoalKind.RATE
    target = st.number_input(
        "Target" + (" (a fraction: 0.05 = 5%)" if is_rate else ""),
        min_value=0.0,
        step=0.005 if is_rate else 1000.0,
        format="%.4f" if is_rate else "%.0f",
        key="new_goal_target",
    )
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
    st.info("No goals yet: add one above. A suggested target is one click away.")
for index, saved in enumerate(list(goals)):
    goal = Goal.from_dict(saved)
    if goal.account != account:
        continue
    view = planning.assessment(goal)
    progress, projection = view.progress, view.projection
    info = goal.info
    with st.container(border=True):
        head, status_col = st.columns([4, 1])
        head.subheader(f"{info.label}: {format_value(goal.metric, goal.target)} by {goal.deadline:%d %b %Y}")
        head.caption(
            f"From {goal.start:%d %b %Y} · serves {goal.objective} · {progress.days_elapsed} days "
            f"elapsed, {progress.days_left} left"
        )
        badge = {
            "on track": ":green-badge[On track]",
            "at risk": ":orange-badge[At risk]",
            "off track": ":red-badge[Off track]",
        }[view.status]
        status_col.markdown(f"### {badge}")
        m1, m2, m3, m4 = st.columns(4)
        m1.metric(
            "So far",
            format_value(goal.metric, progress.value),
            f"{progress.fraction:.0%} of target" if progress.fraction is not None else None,
            delta_color="off",
        )
        m2.metric(f"Pace needed ({info.pace_unit})", planning.pace_text(goal.metric, progress.pace_needed))
        m3.metric("Pace so far", planning.pace_text(goal.metric, progress.pace_so_far))
        m4.metric("Pace, last 28 days", planning.pace_text(goal.metric, progress.pace_last_28_days))
        if progress.note:
            st.caption(progress.note)
        st.write(f"**Projection.** {projection.sentence()}")
        st.write(f"**Is it achievable? {view.verdict.label.capitalize()}.** {view.verdict.sentence}")
        if projection.enough_history:
            st.altair_chart(
                charts.burnup_chart(projection.path_frame(), view.needed_path(), goal.deadline, info.label),
                width="stretch",
            )
        with st.expander("Edit this goal"):
            e1, e2, e3 = st.columns(3)
            new_target = e1.number_input(
                "Target",
                min_value=0.0,
                value=float(goal.target),
                step=0.005 if info.kind is GoalKind.RATE else 1000.0,
                format="%.4f" if info.kind is GoalKind.RATE else "%.0f",
                key=f"edit_target_{index}",
            )
            new_start = e2.date_input(
                "Start", value=goal.start, key=f"edit_start_{index}", format="YYYY-MM-DD"
            )
            new_deadline = e3.date_input(
                "Deadline", value=goal.deadline, key=f"edit_deadline_{index}", format="YYYY-MM-DD"
            )
            if st.button("Save changes", key=f"goal_save_{index}"):
                try:
                    edited = Goal(
                        account=goal.account,
                        metric=goal.metric,
                        target=new_target,
                        start=new_start,
                        deadline=new_deadline,
                        objective=goal.objective,
                    )
                except ValueError as problem:
                    st.error(str(problem))
                else:
                    goals[index] = edited.to_dict()
                    st.rerun()
        b1, b2, _ = st.columns([1, 1, 3])
        if b1.button("Open in what-if", key=f"goal_whatif_{index}"):
            for name, value in (
                ("metric", goal.metric),
                ("target", goal.target),
                ("start", goal.start),
                ("deadline", goal.deadline),
            ):
                st.session_state[planning.key(name)] = value
            st.switch_page("pages/what-if.py")
        if b2.button("Remove", key=f"goal_remove_{index}"):
            goals.pop(index)
            st.rerun()
