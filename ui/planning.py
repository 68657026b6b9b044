"""Goals and what-if glue: the per-session baseline, cached simulations, and the scenario in the URL.

A shared link carries the goal and every slider (never any data) in stable query parameters:
metric, target, start, deadline, posts_per_week, like_rate_change, views_change, follower_change.
Changes are percentages in the URL (like_rate_change=10 means +10 %).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from kpi_core.metrics.benchmarks import goal_benchmark
from kpi_core.planning.baseline import Baseline, load_baseline
from kpi_core.planning.goals import (
    METRICS,
    Goal,
    Progress,
    Verdict,
    achievability,
    format_value,
    goal_progress,
    goal_status,
)
from kpi_core.planning.projection import (
    Projection,
    Simulation,
    SuggestedTarget,
    project,
    simulate,
    suggested_targets,
)
from kpi_core.planning.whatif import Inverse, inverse
from kpi_core.store import Store
from ui import session

URL_PARAMS = (
    "metric",
    "target",
    "start",
    "deadline",
    "posts_per_week",
    "like_rate_change",
    "views_change",
    "follower_change",
)
SLIDERS = {  # key: (label, min, max, step, help)
    "like_rate_change": (
        "Like rate change (%)",
        -50.0,
        100.0,
        5.0,
        "Percent change of the like rate (likes per view) from today's.",
    ),
    "views_change": (
        "Views per video change (%)",
        -50.0,
        200.0,
        5.0,
        "Percent change of the views each new video gets.",
    ),
    "follower_change": (
        "Follower growth change (%)",
        -50.0,
        200.0,
        5.0,
        "Percent change of followers gained per day (for a followers goal).",
    ),
}
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


def _inverse_of(store: Store, goal: Goal) -> Inverse:
    return inverse(
        goal,
        baseline(goal.account),
        simulation=simulation(goal.account, goal.metric, goal.start, goal.deadline),
    )


def what_it_would_take(goal: Goal) -> Inverse:
    """Each lever alone for an even chance of the goal: it depends on the goal, not on the sliders,
    so a slider move reuses it."""
    return session.memo(_inverse_of, goal)


def _suggestions_of(
    store: Store, account: str, metric: str, start: date, deadline: date
) -> list[SuggestedTarget]:
    return suggested_targets(baseline(account), metric, start, deadline)


def suggestions(account: str, metric: str, start: date, deadline: date) -> list[SuggestedTarget]:
    """Conservative, realistic and stretch targets for a window, with their probabilities."""
    return session.memo(_suggestions_of, account, metric, start, deadline)


@dataclass(frozen=True)
class Defaults:
    metric: str
    target: float
    start: date
    deadline: date
    posts_per_week: float


def defaults(account: str) -> Defaults:
    """A forward-looking goal from the data: the next 90 days at the realistic suggested target."""
    b = baseline(account)
    as_of = b.as_of or date.today()
    start, deadline = as_of + timedelta(days=1), as_of + timedelta(days=DEFAULT_HORIZON_DAYS)
    offered = suggestions(account, "likes", start, deadline)
    realistic = next((s.target for s in offered if s.name == "realistic"), 10_000.0)
    posts = b.posts_per_week if b.posts_per_week and math.isfinite(b.posts_per_week) else 3.0
    return Defaults("likes", float(realistic), start, deadline, round(posts * 2) / 2)


def _parse(key: str, text: str) -> object | None:
    try:
        if key == "metric":
            return text if text in METRICS else None
        if key in ("start", "deadline"):
            return date.fromisoformat(text)
        value = float(text)
        if not math.isfinite(value):
            return None
        if key == "target":
            return value if value > 0 else None
        if key == "posts_per_week":
            return min(max(value, 0.0), 50.0)
        low, high = SLIDERS[key][1], SLIDERS[key][2]
        return min(max(value, low), high)
    except (ValueError, KeyError):
        return None


def load_scenario_from_url(d: Defaults) -> None:
    """Fill the what-if widgets from the link the first time it is seen, else keep the visitor's."""
    params = st.query_params
    seen = tuple(sorted((k, params.get(k)) for k in URL_PARAMS if k in params))
    fresh = st.session_state.get(_STATE + "url") != seen
    fallback = {
        "metric": d.metric,
        "target": d.target,
        "start": d.start,
        "deadline": d.deadline,
        "posts_per_week": d.posts_per_week,
        "like_rate_change": 0.0,
        "views_change": 0.0,
        "follower_change": 0.0,
    }
    for key in URL_PARAMS:
        parsed = _parse(key, params.get(key)) if fresh and key in params else None
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
    """The session-state key of a what-if widget."""
    return _STATE + name


@dataclass(frozen=True)
class GoalView:
    """Everything the Goals page shows for one goal."""

    progress: Progress
    projection: Projection
    verdict: Verdict
    status: str
    needed: pd.DataFrame  # date, needed: from today's value to the target at the deadline


def _goal_view_of(store: Store, goal: Goal) -> GoalView:
    b = baseline(goal.account)
    progress = goal_progress(goal, b)
    projection = project(goal, b)
    competitors = [a for a in store.accounts() if a != goal.account]
    verdict = achievability(
        goal, b, competitor=_competitor_frame(store, competitors), benchmark=goal_benchmark(goal.metric)
    )
    start = max(goal.start, progress.as_of) if progress.as_of else goal.start
    needed = pd.DataFrame(
        {"date": pd.to_datetime([start, goal.deadline]), "needed": [progress.value or 0.0, goal.target]}
    )
    return GoalView(progress, projection, verdict, goal_status(projection.probability, progress), needed)


def _competitor_frame(store: Store, competitors: list[str]) -> pd.DataFrame | None:
    return store.table("videos", competitors[0]) if competitors else None


def goal_view(goal: Goal) -> GoalView:
    """Progress, projection, verdict and status of a goal, computed once per data change."""
    return session.memo(_goal_view_of, goal)


def pace_text(metric: str, pace: float | None) -> str:
    """A pace as the Goals page shows it: a percentage for rate goals, else one decimal."""
    if pace is None:
        return "n/a"
    return format_value(metric, pace) if METRICS[metric].kind == "rate" else f"{pace:,.1f}"
