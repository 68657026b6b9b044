"""What-if: when do we reach the target, and what would it take? Sliders move a scenario."""

from datetime import date

import streamlit as st

from kpi_core.metrics.findings import long_day
from kpi_core.metrics.goal_metrics import GOAL_METRICS
from kpi_core.planning.chances import chance_text
from kpi_core.planning.goals import Goal, format_value
from kpi_core.planning.inverse import beyond_the_sliders
from kpi_core.planning.levers import LEVERS, levers_for
from kpi_core.planning.whatif import WhatIf
from kpi_core.workspace.link import date_bounds
from ui import downloads, drawing, entry, plan_charts, planning, widgets
from ui.format import handle
from ui.text import escape_md

account = entry.open_account_page("What-if planning", nothing_yet="No data to plan on yet")

base = planning.baseline(account)
if base.as_of is None:
    st.info(f"No dated data for {escape_md(handle(account))} yet: plans need daily data or posting dates.")
    st.stop()
planning.open_scenario(account, base)
# The goal's own baseline: a follower goal may count follower counts past the Overview's last day.
goal_base = planning.baseline(account, st.session_state[planning.key("metric")])
# A lever that cannot be measured says why beside its slider, once; one without a slider for this
# goal (follower growth on a likes goal) says why here.
sliders = levers_for(st.session_state[planning.key("metric")])
measured = ", ".join(lever.today_text(goal_base, why=lever not in sliders) for lever in LEVERS.values())
st.caption(
    f"{escape_md(handle(account))} · measured {goal_base.measured_to}: {measured}. "
    "Copy the page address to share this scenario: it carries the goal, the sliders, the account's handle "
    "and the last day of its data, never the data itself."
)
if base.today_note:
    st.caption(escape_md(base.today_note))
if old_data := base.age_note(date.today()):
    st.warning(escape_md(old_data), icon=":material/history:")

keep = (account, base.as_of)  # every widget's change becomes the session's scenario (planning.remember)
first, last = date_bounds(base.as_of)
with st.container(border=True):
    st.markdown("**Goal**")
    c1, c2, c3, c4 = st.columns(4)
    metric = c1.selectbox(
        "Metric",
        list(GOAL_METRICS),
        format_func=lambda m: GOAL_METRICS[m].label,
        key=planning.key("metric"),
        on_change=planning.remember,
        args=keep,
    )
    with c2:
        target = widgets.target_input(
            metric, key=planning.key("target"), on_change=planning.remember, args=keep
        )
    start, deadline = (
        column.date_input(
            label,
            key=planning.key(label.lower()),
            min_value=first,
            max_value=last,
            format="YYYY-MM-DD",
            on_change=planning.remember,
            args=keep,
        )
        for column, label in ((c3, "Start"), (c4, "Deadline"))
    )

try:
    goal = Goal(account=account, metric=metric, target=target, start=start, deadline=deadline)
except ValueError as problem:
    st.warning(f"{problem}")
    planning.write_url()
    st.stop()

assessment = planning.assessment(goal)


@st.fragment
def scenario_panel() -> None:
    """The sliders and everything they move; a slider move reruns only this part.

    The answer is sent before the sliders are drawn again: the scenario it is computed from is the
    session's, which a move has already changed (`planning.remember`), and the browser shows the new
    reach date a few milliseconds sooner when the metrics come first (bench/findings.md)."""
    left, right = st.columns([1, 2])
    result = planning.what_if(goal, planning.scenario_of(planning.applied(account, base)[0]))
    projected = result.projection.enough_history
    with right:
        if projected:
            answer(result, metric, deadline)
        else:
            st.warning(result.projection.note or "Not enough history for a projection.")
    with left:
        planning.lever_sliders(metric, goal_base, account)
    planning.write_url()  # after the answer: a slider move shows its outcome first
    if projected:
        with right:
            drawing.chart(
                plan_charts.scenario_chart, result.curve, GOAL_METRICS[metric].label, width="stretch"
            )


def answer(result: WhatIf, metric: str, deadline: date) -> None:
    """When the scenario reaches the target, where it ends at the deadline, its chance against today's
    pace, and how far its band can be trusted."""
    m1, m2, m3 = st.columns(3)
    reach = result.reach_date
    m1.metric(
        "Target reached on",
        long_day(reach) if reach else "Not by the deadline",
        help="The day the scenario's median path reaches the target and stays there.",
    )
    m2.metric(
        f"Projected at {deadline:%d %b}",
        format_value(metric, result.expected),
        help=f"Median of simulated futures; 80% band {format_value(metric, result.projection.low)} to "
        f"{format_value(metric, result.projection.high)}.",
    )
    change = result.chance_change()
    moved = change is not None and not change.startswith("same")
    m3.metric(
        "Chance of success",
        chance_text(result.probability) if result.probability is not None else "n/a",
        change,
        delta_color="normal" if moved else "off",
        delta_arrow="auto" if moved else "off",  # no arrow pointing up on "same as today's pace"
        help="Share of simulated futures that reach the target by the deadline.",
    )
    planning.band_record(result.projection)
    if note := result.projection.without_value_note():
        st.caption(note)  # beside "Projected at", which is the median of the futures with a value


scenario_panel()
# Outside the fragment: what each lever would take depends on the goal, not on the sliders, so a
# slider move does not send it again.
if assessment.projection.enough_history:
    st.markdown(
        "**What it would take, one lever at a time** (each for an even chance, the others at today's level)"
    )
    st.write(assessment.inverse.sentence)
    if beyond := beyond_the_sliders(assessment.inverse, goal_base):
        st.caption(beyond)
st.caption(
    "Projections resample your own history in 7-day blocks (recent weeks count more) and scale it by the "
    "scenario; the band holds 80% of 2,000 simulated futures."
)
st.page_link(
    "pages/methods.py", label="How projections, chances and levers are worked out", icon=":material/help:"
)
downloads.report_and_workspace(account, "what-if")
