"""Goals and what-if glue: the per-session baseline, cached assessments, and the scenario in the URL.

A shared link carries the goal and every lever (never any data) in stable query parameters:
metric, target, start, deadline, then each lever's `url_key` from kpi_core.planning.levers
(posts_per_week, like_rate_change, views_change, follower_change). Relative levers are
percentages in the URL (like_rate_change=10 means +10 %). The slider bounds, the URL clamps and
the engine read the same lever table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from kpi_core.metrics.benchmarks import BenchmarkFit, goal_benchmark
from kpi_core.metrics.registry import GOAL_METRICS
from kpi_core.planning.assessment import GoalAssessment, assess_in_store
from kpi_core.planning.baseline import Baseline, load_baseline
from kpi_core.planning.forecast import simulate
from kpi_core.planning.goals import Goal, format_value
from kpi_core.planning.levers import LEVERS, levers_for
from kpi_core.planning.projection import Projection
from kpi_core.planning.simulation import Simulation
from kpi_core.planning.suggestions import SuggestedTarget, default_target, suggested_targets
from kpi_core.planning.whatif import Scenario
from kpi_core.store import Store
from ui import benchmark_fit, session

GOAL_PARAMS = ("metric", "target", "start", "deadline")
URL_PARAMS = (*GOAL_PARAMS, *(lv.url_key for lv in LEVERS.values()))
DEFAULT_HORIZON_DAYS = 90
_STATE = "wi_"  # prefix of the widget keys in st.session_state


def _baseline_of(store: Store, account: str) -> Baseline:
    return load_baseline(store, account)


def baseline(account: str) -> Baseline:
    """The account's measured baseline, computed once per data change."""
    return session.memo(_baseline_of, account)


def _simulation_of(store: Store, account: str, metric: str, start: date, deadline: date) -> Simulation | None:
    return simulate(baseline(account), metric, start, deadline)


def simulation(account: str, metric: str, start: date, deadline: date) -> Simulation | None:
    """Simulated futures for one goal window; slider moves reuse them (no data is re-read)."""
    return session.memo(_simulation_of, account, metric, start, deadline)


def _assessment_of(store: Store, goal: Goal, fit: BenchmarkFit) -> GoalAssessment:
    return assess_in_store(
        store,
        goal,
        baseline=baseline(goal.account),
        simulation=simulation(goal.account, goal.metric, goal.start, goal.deadline),
        fit=fit,
    )


def assessment(goal: Goal) -> GoalAssessment:
    """Progress, projection, verdict, status and what it takes, once per goal, benchmark fit and data
    change; a slider move reuses it (`GoalAssessment.what_if`)."""
    return session.memo(_assessment_of, goal, benchmark_fit.current(goal.account))


def _suggestions_of(
    store: Store, account: str, metric: str, start: date, deadline: date, fit: BenchmarkFit
) -> list[SuggestedTarget]:
    return suggested_targets(
        baseline(account), metric, start, deadline, benchmark=goal_benchmark(metric, fit)
    )


def suggestions(account: str, metric: str, start: date, deadline: date) -> list[SuggestedTarget]:
    """Realistic, ambitious and stretch targets for a window, with their probabilities (judged on
    the same simulated futures as a goal on that window), and the fitting benchmark where one applies."""
    return session.memo(_suggestions_of, account, metric, start, deadline, benchmark_fit.current(account))


@dataclass(frozen=True)
class Defaults:
    metric: str
    target: float
    start: date
    deadline: date
    levers: dict[str, float]  # url_key -> value in the lever's unit


def _default_target_of(store: Store, account: str, metric: str, start: date, deadline: date) -> float | None:
    return default_target(
        baseline(account), metric, start, deadline, simulation=simulation(account, metric, start, deadline)
    )


def suggested_target(account: str, metric: str, start: date, deadline: date) -> float | None:
    """The target fields' start: the realistic suggestion (about an 80 % chance), else the recent pace."""
    return session.memo(_default_target_of, account, metric, start, deadline)


def defaults(account: str) -> Defaults:
    """A forward-looking goal from the data: the next 90 days at the realistic suggested target,
    every lever at exactly today's measured value (an untouched page shows today's pace)."""
    b = baseline(account)
    as_of = b.as_of or date.today()
    start, deadline = as_of + timedelta(days=1), as_of + timedelta(days=DEFAULT_HORIZON_DAYS)
    target = suggested_target(account, "likes", start, deadline)
    levers = {lv.url_key: (0.0 if lv.relative else lv.today(b) or 0.0) for lv in LEVERS.values()}
    return Defaults("likes", target if target is not None else 1.0, start, deadline, levers)


_LEVER_BY_URL_KEY = {lv.url_key: lv for lv in LEVERS.values()}


def _parse(key: str, text: str, b: Baseline) -> object | None:
    try:
        if key == "metric":
            return text if text in GOAL_METRICS else None
        if key in ("start", "deadline"):
            return date.fromisoformat(text)
        value = float(text)
        if not math.isfinite(value):
            return None
        if key == "target":
            return value if value > 0 else None
        return _LEVER_BY_URL_KEY[key].clamp(value, b)
    except (ValueError, KeyError):
        return None


def load_scenario_from_url(account: str) -> None:
    """Fill the what-if widgets from the link the first time it is seen, else keep the visitor's;
    widgets neither holds start from `defaults(account)`."""
    d, b = defaults(account), baseline(account)
    params = st.query_params
    seen = tuple(sorted((k, params.get(k)) for k in URL_PARAMS if k in params))
    fresh = st.session_state.get(_STATE + "url") != seen
    fallback: dict[str, object] = {
        "metric": d.metric,
        "target": d.target,
        "start": d.start,
        "deadline": d.deadline,
        **d.levers,
    }
    for key in URL_PARAMS:
        text = params.get(key)
        parsed = _parse(key, text, b) if fresh and text is not None else None
        if parsed is not None:
            st.session_state[_STATE + key] = parsed
        elif _STATE + key not in st.session_state:
            st.session_state[_STATE + key] = fallback[key]
    st.session_state[_STATE + "url"] = seen


def write_scenario_to_url() -> None:
    """Put the goal and every slider in the URL, so a copied link restores them."""
    values = {}
    for key in URL_PARAMS:
        value = st.session_state.get(_STATE + key)
        values[key] = (
            value.isoformat()
            if isinstance(value, date)
            else (f"{value:g}" if isinstance(value, float) else str(value))
        )
    st.query_params.update(values)
    st.session_state[_STATE + "url"] = tuple(sorted(values.items()))


def key(name: str) -> str:
    """The session-state key of a what-if widget (a goal field, or a lever's url_key)."""
    return _STATE + name


def scenario_from_state() -> Scenario:
    """The scenario the What-if sliders hold (each lever's widget, in the lever's unit)."""
    return Scenario.from_levers({name: st.session_state[key(lv.url_key)] for name, lv in LEVERS.items()})


def pace_text(metric: str, pace: float | None) -> str:
    """A pace as the Goals page shows it: the metric's own format (a percentage for rates)."""
    return format_value(metric, pace)


def lever_sliders(metric: str, b: Baseline) -> None:
    """A slider per lever that moves `metric`, within the lever's bounds for this account (a value
    held from elsewhere, such as a link made on another account, is clamped first); a lever whose
    value today cannot be measured gets a sentence instead (there is nothing to scale)."""
    for lever in levers_for(metric):
        if lever.today(b) is None:
            st.caption(f"{lever.label}: not offered ({lever.missing}).")
            continue
        low, high, step = lever.bounds(b)
        state_key = key(lever.url_key)
        st.session_state[state_key] = min(max(float(st.session_state[state_key]), low), high)
        st.slider(
            lever.label,
            low,
            high,
            step=step,
            format="%+.0f%%" if lever.relative else "%.1f",
            key=state_key,
            help=f"{lever.help} Today: {lever.today_text(b)}.",
        )


def band_record(projection: Projection) -> None:
    """How the projection's band did on the account's own history, and why its top is far above
    anything the account did when it is (shown under every projection)."""
    if projection.track_record:
        st.caption(f"{projection.track_record}")
    if projection.caution:
        st.caption(f":material/info: {projection.caution}")
