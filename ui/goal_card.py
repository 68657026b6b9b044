"""One goal on the Goals page: its status, paces, projection, verdict, burn-up chart and edits.

Every statement comes from the goal's one assessment (kpi_core.planning.assessment), so the card,
the What-if page and the report say the same.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from kpi_core.metrics.findings import long_day
from kpi_core.planning.goals import Goal, format_value
from kpi_core.planning.progress import share_of_target
from ui import drawing, plan_charts, planning, widgets
from ui.text import escape_md

_BADGES = {
    "on track": ":green-badge[On track]",
    "at risk": ":orange-badge[At risk]",
    "off track": ":red-badge[Off track]",
}


def show(index: int, goal: Goal, goals: list[dict[str, Any]]) -> None:
    """The card of `goal`, the `index`-th of the session's `goals` (which its buttons edit)."""
    view = planning.assessment(goal)
    progress, projection = view.progress, view.projection
    info = goal.info
    with st.container(border=True):
        head, status_col = st.columns([4, 1])
        head.subheader(f"{info.label}: {format_value(goal.metric, goal.target)} by {long_day(goal.deadline)}")
        head.caption(
            f"From {long_day(goal.start)} · serves {goal.objective} · {progress.days_elapsed} days "
            f"elapsed, {progress.days_left} left"
        )
        status_col.markdown(f"### {_BADGES[view.status]}")
        st.caption(view.status_reason)
        m1, m2, m3, m4 = st.columns(4)
        m1.metric(
            "So far",
            format_value(goal.metric, progress.value),
            share_of_target(goal.metric, progress.fraction) if progress.fraction is not None else None,
            delta_color="off",
            delta_arrow="off",  # a share of the target, not a change: no arrow up at 0%
        )
        m2.metric(f"Pace needed ({info.pace_unit})", planning.pace_text(goal.metric, progress.pace_needed))
        m3.metric("Pace so far", planning.pace_text(goal.metric, progress.pace_so_far))
        m4.metric("Pace, last 28 days", planning.pace_text(goal.metric, progress.pace_last_28_days))
        if progress.note:
            st.caption(progress.note)
        st.write(f"**Projection.** {projection.sentence()}")
        planning.band_record(projection)
        st.write(
            f"**Is it achievable? {view.verdict.label.capitalize()}.** {escape_md(view.verdict.sentence)}"
        )
        if projection.enough_history:
            drawing.chart(
                plan_charts.burnup_chart,
                projection.path_frame(),
                view.needed_path(),
                goal.deadline,
                info.label,
                width="stretch",
            )
        with st.expander("Edit this goal"):
            e1, e2, e3 = st.columns(3)
            with e1:
                new_target = widgets.target_input(goal.metric, key=f"edit_target_{index}", value=goal.target)
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
            planning.open_in_what_if(goal)
        if b2.button("Remove", key=f"goal_remove_{index}"):
            goals.pop(index)
            st.rerun()
