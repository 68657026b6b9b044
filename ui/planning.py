"""Goals and what-if glue: the per-session baseline, cached assessments, and the what-if scenario
the session holds, shown in the What-if widgets and carried in the URL.

The session keeps one scenario (`session.scenario()`, a ScenarioState). The What-if widgets are
filled from it on every run and write it back when the visitor moves one (`remember`): Streamlit
forgets the state of widgets a page does not draw, so the widgets alone lost the scenario on every
other page, and the report, made on Overview, found none.

Every page reads the URL before the sidebar (`follow_link`) and writes the scenario back into it
(`write_url`): a link (kpi_core/workspace/link.py) carries the goal, every lever by its `url_key`
(relative levers in percent) and the account and last data day it was made on, never any data.
What the page shows is the scenario held to this account's bounds (`applied`): the lever table's
`Lever.bounds`, the same the sliders offer, and the plan's dates (`link.date_bounds`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import streamlit as st

from kpi_core.metrics.benchmarks import BenchmarkFit, goal_benchmark
from kpi_core.planning.assessment import GoalAssessment, assess_in_store
from kpi_core.planning.baseline import Baseline, counts_past_overview, load_baseline
from kpi_core.planning.forecast import simulate
from kpi_core.planning.goals import Goal, format_value
from kpi_core.planning.levers import LEVERS, levers_for
from kpi_core.planning.projection import Projection
from kpi_core.planning.simulation import Simulation
from kpi_core.planning.suggestions import SuggestedTarget, default_metric, default_target, suggested_targets
from kpi_core.planning.whatif import Scenario, WhatIf
from kpi_core.store import Store
from kpi_core.workspace import ScenarioState
from kpi_core.workspace.link import (
    GOAL_KEYS,
    PAGE_KEYS,
    describe,
    fit,
    link_params,
    linked_account,
    origin_notice,
    read_link,
    unknown_account_notice,
)
from kpi_core.workspace.state import LEVER_KEYS
from ui import benchmark_fit, session
from ui.text import escape_md

URL_PARAMS = (*GOAL_KEYS, *LEVER_KEYS)
DEFAULT_HORIZON_DAYS = 90
_STATE = "wi_"  # prefix of the widget keys in st.session_state
_SEEN = "link_seen"  # the query string last read or written, so a link is read once
_NOTES = "link_notes"  # what this run's link could not use, shown above the page


def _baseline_of(store: Store, account: str, metric: str | None) -> Baseline:
    return load_baseline(store, account, metric=metric)


def baseline(account: str, metric: str | None = None) -> Baseline:
    """The account's measured baseline, computed once per data change: "today" is the Overview's
    last settled day; for a goal on `metric`, follower goals may count to a later day
    (`Baseline.from_frames`). The pages' dates, bounds and links read the account's."""
    return session.memo(_baseline_of, account, metric if counts_past_overview(metric) else None)


def _simulation_of(store: Store, account: str, metric: str, start: date, deadline: date) -> Simulation | None:
    return simulate(baseline(account, metric), metric, start, deadline)


def simulation(account: str, metric: str, start: date, deadline: date) -> Simulation | None:
    """Simulated futures for one goal window; slider moves reuse them (no data is re-read)."""
    return session.memo(_simulation_of, account, metric, start, deadline)


def _assessment_of(store: Store, goal: Goal, fit: BenchmarkFit) -> GoalAssessment:
    return assess_in_store(
        store,
        goal,
        baseline=baseline(goal.account, goal.metric),
        simulation=simulation(goal.account, goal.metric, goal.start, goal.deadline),
        fit=fit,
    )


def assessment(goal: Goal) -> GoalAssessment:
    """Progress, projection, verdict, status and what it takes, once per goal, benchmark fit and data
    change; a slider move reuses it (`GoalAssessment.what_if`)."""
    return session.memo(_assessment_of, goal, benchmark_fit.current(goal.account))


def _what_if_of(store: Store, goal: Goal, scenario: Scenario) -> WhatIf:
    return assessment(goal).what_if(scenario)


def what_if(goal: Goal, scenario: Scenario) -> WhatIf:
    """`goal` under `scenario` on the goal's simulated futures (`GoalAssessment.what_if`), once per
    goal, scenario and data change: a slider moved back, the report and the page share it."""
    return session.memo(_what_if_of, goal, scenario)


def _suggestions_of(
    store: Store, account: str, metric: str, start: date, deadline: date, fit: BenchmarkFit
) -> list[SuggestedTarget]:
    return suggested_targets(
        baseline(account, metric),
        metric,
        start,
        deadline,
        simulation=simulation(account, metric, start, deadline),  # the goal's own, made once
        benchmark=goal_benchmark(metric, fit),
    )


def suggestions(account: str, metric: str, start: date, deadline: date) -> list[SuggestedTarget]:
    """Realistic, ambitious and stretch targets for a window, with their probabilities (judged on
    the same simulated futures as a goal on that window), and the fitting benchmark where one applies."""
    return session.memo(_suggestions_of, account, metric, start, deadline, benchmark_fit.current(account))


def _default_target_of(store: Store, account: str, metric: str, start: date, deadline: date) -> float | None:
    return default_target(
        baseline(account, metric),
        metric,
        start,
        deadline,
        simulation=simulation(account, metric, start, deadline),
    )


def suggested_target(account: str, metric: str, start: date, deadline: date) -> float | None:
    """The target fields' start: the realistic suggestion (about an 80 % chance), else the recent pace."""
    return session.memo(_default_target_of, account, metric, start, deadline)


def defaults(account: str) -> ScenarioState:
    """A forward-looking scenario from the data: the next 90 days at the realistic suggested
    target, every lever at exactly today's measured value (an untouched page shows today's pace)."""
    b = baseline(account)
    as_of = b.as_of or date.today()
    start, deadline = as_of + timedelta(days=1), as_of + timedelta(days=DEFAULT_HORIZON_DAYS)
    metric = default_metric(b)
    target = suggested_target(account, metric, start, deadline)
    levers = {lv.url_key: (0.0 if lv.relative else lv.today(b) or 0.0) for lv in LEVERS.values()}
    return ScenarioState(
        metric,
        target if target is not None else 1.0,
        start,
        deadline,
        levers,
        account=account,
        data_to=b.as_of,
    )


def applied(account: str, b: Baseline) -> tuple[ScenarioState, tuple[str, ...]]:
    """The session's scenario as the What-if page shows it on `account`: unset fields from the
    account's defaults, every value held to the account's bounds (with a note for each moved)."""
    held = session.scenario() or defaults(account)
    return fit(held.with_defaults(defaults(account)), b)


def notice(account: str, b: Baseline) -> str | None:
    """Where the session's scenario was made, when not on this account's data as it is now."""
    held = session.scenario()
    if held is None:
        return None
    return origin_notice(
        held, account, b.as_of, loaded=held.account in session.accounts(), demo=session.showing_demo()
    )


# ---------------------------------------------------------------------------------------------
# The link


def follow_link(page: str) -> None:
    """Read the URL's scenario the first time this session sees it (before the sidebar draws, so
    a link made for an account loaded here opens on that account, with or without a scenario). A
    value the link cannot use, or one out of the account's bounds, gets a note (`link_notes`), and
    so does an account whose data is not here (but on What-if, `page`, when the link carries a
    scenario: the page says so beside it); nothing in a URL raises."""
    params = {k: st.query_params.get(k) or "" for k in st.query_params}
    seen = tuple(sorted(params.items()))
    if not params or seen == st.session_state.get(_SEEN):
        return
    st.session_state[_SEEN] = seen
    linked, notes = read_link(params)
    named = linked_account(params)
    accounts = session.accounts()  # memoised: once per data change
    here = st.session_state.get("account") if st.session_state.get("account") in accounts else None
    if named in accounts:
        st.session_state["account"] = here = named
    here = here or session.primary_account()
    if named is not None and named not in accounts and (linked is None or page != "what-if"):
        notes = (*notes, unknown_account_notice(named, here, demo=session.showing_demo()))
    if linked is not None:
        if here is not None and linked.account in (None, here) and baseline(here).as_of is not None:
            linked, held = fit(linked.with_defaults(defaults(here)), baseline(here))
            notes = (*notes, *held)
        session.set_scenario(linked)
    st.session_state[_NOTES] = notes


def link_notes() -> None:
    """This run's notes on the link: what was ignored or moved (link values are quoted, escaped)."""
    notes = st.session_state.pop(_NOTES, ())
    if notes:
        st.info("  \n".join(escape_md(n) for n in notes), icon=":material/link:")


def write_url() -> None:
    """Put the session's scenario in the URL (on every page), so a copied link restores it."""
    held = session.scenario()
    if held is None:
        return
    params = link_params(held)
    params.update({k: st.query_params[k] for k in PAGE_KEYS if k in st.query_params})
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    st.session_state[_SEEN] = tuple(sorted(params.items()))


# ---------------------------------------------------------------------------------------------
# The What-if widgets


def key(name: str) -> str:
    """The session-state key of a what-if widget (a goal field, or a lever's url_key)."""
    return _STATE + name


def open_scenario(account: str, b: Baseline) -> None:
    """Fill the What-if widgets from the session's scenario, and say so where it was made
    elsewhere (its parameters as the link gave them) or a value had to be held to this account."""
    held = session.scenario()
    shown, notes = applied(account, b)
    if held is None or held.account in (None, account):
        session.set_scenario(shown if held is not None else replace(shown, account=account, data_to=b.as_of))
    for name in URL_PARAMS:
        st.session_state[key(name)] = shown.levers[name] if name in shown.levers else getattr(shown, name)
    origin = notice(account, b)
    if origin and held is not None and held.account not in (None, account):
        st.warning(
            f"{escape_md(origin)}  \nThe scenario: {escape_md(describe(held))}.", icon=":material/link:"
        )
    elif origin:
        st.caption(f":material/info: {escape_md(origin)}")
    for note in notes:
        st.caption(f":material/link: {escape_md(note)}")


def remember(account: str, as_of: date | None) -> None:
    """A What-if widget moved: the session's scenario becomes what the widgets hold, on this
    account's data (a scenario made elsewhere is now the visitor's own)."""
    held = session.scenario() or ScenarioState()
    ss = st.session_state

    def value(name: str) -> object:
        return ss[key(name)] if key(name) in ss else held.levers.get(name, getattr(held, name, None))

    session.set_scenario(
        ScenarioState(
            metric=str(value("metric")),
            target=float(value("target")),  # type: ignore[arg-type]
            start=value("start"),  # type: ignore[arg-type]
            deadline=value("deadline"),  # type: ignore[arg-type]
            levers={name: float(value(name)) for name in LEVER_KEYS},  # type: ignore[arg-type]
            account=account,
            data_to=as_of,
        )
    )


def scenario_of(shown: ScenarioState) -> Scenario:
    """The engine's scenario from the levers a ScenarioState holds (each in its lever's unit)."""
    return Scenario.from_levers({name: shown.levers.get(lv.url_key) for name, lv in LEVERS.items()})


def open_in_what_if(goal: Goal) -> None:
    """Make `goal` the scenario's goal (its levers kept when made on the same account), then go
    to the What-if page."""
    held = session.scenario()
    levers = held.levers if held is not None and held.account == goal.account else {}
    session.set_scenario(
        ScenarioState(
            goal.metric,
            goal.target,
            goal.start,
            goal.deadline,
            dict(levers),
            account=goal.account,
            data_to=baseline(goal.account).as_of,
        )
    )
    st.switch_page("pages/what-if.py")


def open_with_levers(account: str, levers: dict[str, float]) -> None:
    """Set the scenario's levers (by url_key, in each lever's unit) on `account`, keeping its goal
    when it was made there, then go to the What-if page (the Overview's Plan from here)."""
    held = session.scenario()
    mine = held if held is not None and held.account == account else ScenarioState()
    session.set_scenario(
        replace(mine, levers={**mine.levers, **levers}, account=account, data_to=baseline(account).as_of)
    )
    st.switch_page("pages/what-if.py")


def plan(account: str) -> tuple[Goal, Scenario, str | None] | str:
    """The session's scenario on `account` as the What-if page shows it (its goal, the engine's
    scenario and where it was made, when elsewhere), or the sentence why there is none."""
    if session.scenario() is None:
        return "No what-if scenario in this session yet: plan one on the What-if page."
    b = baseline(account)
    if b.as_of is None:
        return f"No what-if scenario: @{account} has no dated data to plan on."
    shown, _ = applied(account, b)
    try:
        goal = Goal(account, str(shown.metric), shown.target, shown.start, shown.deadline)  # type: ignore[arg-type]
    except ValueError as problem:
        return f"The what-if scenario is incomplete: {problem}"
    return goal, scenario_of(shown), notice(account, b)


def pace_text(metric: str, pace: float | None) -> str:
    """A pace as the Goals page shows it: the metric's own format (a percentage for rates)."""
    return format_value(metric, pace)


def lever_sliders(metric: str, b: Baseline, account: str) -> None:
    """A slider per lever that moves `metric`, within the lever's bounds for this account (the
    session's scenario as `applied` holds it); a lever whose value today cannot be measured gets
    a sentence instead (there is nothing to scale). `b` is the goal's baseline (`baseline(account,
    metric)`): today's values and bounds are the goal's; the scenario is the account's."""
    shown, _ = applied(account, baseline(account))
    for lever in levers_for(metric):
        if lever.today(b) is None:
            st.caption(f"{lever.label}: not offered ({lever.why_missing(b)}).")
            continue
        low, high, step = lever.bounds(b)
        st.session_state[key(lever.url_key)] = shown.levers[lever.url_key]
        st.slider(
            lever.label,
            low,
            high,
            step=step,
            format=lever.slider_format,
            key=key(lever.url_key),
            on_change=remember,
            args=(account, baseline(account).as_of),
            help=f"{lever.help} Today: {lever.today_text(b)}.",
        )


def band_record(projection: Projection) -> None:
    """How the projection's band did on the account's own history, and why its top is far above
    anything the account did when it is (shown under every projection)."""
    if projection.track_record:
        st.caption(f"{projection.track_record}")
    if projection.caution:
        st.caption(f":material/info: {projection.caution}")
