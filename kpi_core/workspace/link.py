"""Scenario links: the query string that carries a what-if scenario, never any data.

    ?metric=likes&target=60000&start=2026-11-19&deadline=2027-02-28
     &posts_per_week=6&like_rate_change=10&views_change=0&follower_change=0
     &account=brand.name&data_to=2026-11-18

The goal's fields, each lever by its `url_key` (kpi_core/planning/levers.py; relative levers in
percent), and the account and last day of data the scenario was made on. `read_link` parses any
query string without raising: a malformed value is ignored and an unknown key left out, each with
a note. `fit` then holds the scenario to what the page offers for one account: the lever table's
bounds for that account (the same `Lever.bounds` the sliders use), the plan's date range and a
target's range, again with a note for each value it moves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from kpi_core.metrics.benchmarks import FIT_KEYS
from kpi_core.metrics.findings import long_day
from kpi_core.metrics.goal_metrics import GOAL_METRICS, GoalKind
from kpi_core.planning.baseline import Baseline
from kpi_core.planning.goals import format_value
from kpi_core.planning.levers import LEVERS
from kpi_core.workspace.state import LEVER_KEYS, ScenarioState

__all__ = [
    "GOAL_KEYS",
    "LINK_KEYS",
    "PAGE_KEYS",
    "PLAN_DAYS",
    "date_bounds",
    "describe",
    "fit",
    "link_params",
    "linked_account",
    "origin_notice",
    "read_link",
    "target_bounds",
    "unknown_account_notice",
]

GOAL_KEYS = ("metric", "target", "start", "deadline")
ORIGIN_KEYS = ("account", "data_to")
LINK_KEYS = (*GOAL_KEYS, *LEVER_KEYS, *ORIGIN_KEYS)
PAGE_KEYS = FIT_KEYS  # settings a page reads from the URL itself (the Benchmarks page's fit)
PLAN_DAYS = 730  # a plan's days lie within two years either side of the data's last day
MAX_COUNT_TARGET = 1e12  # a count target beyond this is no plan (and no number a chart can draw)
_LEVER_BY_KEY = {lv.url_key: lv for lv in LEVERS.values()}
_SHOWN = 40  # characters of a link's value quoted in a note


def _quoted(text: str) -> str:
    shown = "".join(c if c.isprintable() else "\ufffd" for c in text)
    return f"“{shown[:_SHOWN]}{'…' if len(shown) > _SHOWN else ''}”"


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _account(text: str) -> str | None:
    handle = text.strip().removeprefix("@")
    return handle if 0 < len(handle) <= 64 and handle.isprintable() else None


def linked_account(params: Mapping[str, str]) -> str | None:
    """The account a query string names (`account`, a handle), whether or not it carries a
    scenario; None without one or when it is no handle (`read_link` notes that)."""
    return _account(params.get("account", ""))


def read_link(params: Mapping[str, str]) -> tuple[ScenarioState | None, tuple[str, ...]]:
    """The scenario a query string carries (None when it carries none), and a note per value it
    could not use. Never raises. Example: read_link({"posts_per_week": "lots"}) gives no
    scenario and the note 'The link's posts per week “lots” is not a number: it is ignored.'"""
    notes: list[str] = []
    fields: dict[str, object] = {}
    levers: dict[str, float] = {}
    for key, text in params.items():
        if key not in LINK_KEYS:
            continue
        label = (
            _LEVER_BY_KEY[key].label.split(" (")[0].lower() if key in _LEVER_BY_KEY else key.replace("_", " ")
        )
        if key == "metric":
            value: object = text if text in GOAL_METRICS else None
            wanted = f"a goal this app knows ({', '.join(GOAL_METRICS)})"
        elif key in ("start", "deadline", "data_to"):
            value, wanted = _day(text), "a date like 2026-11-30"
        elif key == "account":
            value, wanted = _account(text), "a TikTok handle"
        elif key == "target":
            number = _number(text)
            value, wanted = (number if number is not None and number > 0 else None), "a positive number"
        else:
            value, wanted = _number(text), "a number"
        if value is None:
            notes.append(f"The link's {label} {_quoted(text)} is not {wanted}: it is ignored.")
        elif key in _LEVER_BY_KEY:
            levers[key] = float(value)  # type: ignore[arg-type]
        else:
            fields[key] = value
    unknown = [k for k in params if k not in LINK_KEYS and k not in PAGE_KEYS]
    if unknown:
        listed = ", ".join(_quoted(k) for k in unknown[:5]) + (
            f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        )
        notes.append(f"Left out of the link: {listed} (not settings of this app).")
    if not fields.keys() - set(ORIGIN_KEYS) and not levers:
        return None, tuple(notes)
    return ScenarioState(levers=levers, **fields), tuple(notes)  # type: ignore[arg-type]


def _text(value: float) -> str:
    """A number as a link writes it: whole numbers without a decimal point, others in the
    shortest text that reads back as the same float."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def link_params(scenario: ScenarioState) -> dict[str, str]:
    """The query parameters of a scenario, in LINK_KEYS order (fields not set are left out)."""
    values: dict[str, object] = {
        "metric": scenario.metric,
        "target": scenario.target,
        "start": scenario.start,
        "deadline": scenario.deadline,
        **scenario.levers,
        "account": scenario.account,
        "data_to": scenario.data_to,
    }
    out = {}
    for key in LINK_KEYS:
        value = values.get(key)
        if value is None:
            continue
        out[key] = (
            value.isoformat()
            if isinstance(value, date)
            else _text(value)
            if isinstance(value, float)
            else str(value)
        )
    return out


def date_bounds(as_of: date) -> tuple[date, date]:
    """The first and last day a plan's start and deadline may take: PLAN_DAYS either side of the
    data's last day (the What-if date fields offer exactly these)."""
    return as_of - timedelta(days=PLAN_DAYS), as_of + timedelta(days=PLAN_DAYS)


def target_bounds(metric: str) -> tuple[float, float]:
    """The smallest and largest target of a goal on `metric`: rates are fractions up to 1."""
    if GOAL_METRICS[metric].kind is GoalKind.RATE:
        return 0.0001, 1.0
    return 1.0, MAX_COUNT_TARGET


def fit(scenario: ScenarioState, baseline: Baseline) -> tuple[ScenarioState, tuple[str, ...]]:
    """`scenario` (complete: see `ScenarioState.with_defaults`) held to what a plan on this
    account can take, and a note for each value moved."""
    assert scenario.complete and baseline.as_of is not None
    notes: list[str] = []

    def held(label: str, value: float, low: float, high: float, shown: str) -> float:
        kept = min(max(value, low), high)
        if kept != value:
            side = "above the most" if value > high else "below the least"
            notes.append(
                f"The link's {label} {_text(value)} is {side} this account's plans take ({shown}): it is set to {_text(kept)}."
            )
        return kept

    levers = {}
    for key, value in scenario.levers.items():
        lv = _LEVER_BY_KEY[key]
        low, high, _ = lv.bounds(baseline)
        shown = f"{low:+g}% to {high:+g}%" if lv.relative else f"{low:g} to {high:g} {lv.unit}"
        levers[key] = held(lv.label.split(" (")[0].lower(), value, low, high, shown)
    metric = str(scenario.metric)
    low_t, high_t = target_bounds(metric)
    target = held(
        "target",
        float(scenario.target),  # type: ignore[arg-type]
        low_t,
        high_t,
        f"{format_value(metric, low_t)} to {format_value(metric, high_t)}",
    )
    first, last = date_bounds(baseline.as_of)
    start, deadline = scenario.start, scenario.deadline
    assert start is not None and deadline is not None
    kept_start = min(max(start, first), last - timedelta(days=1))
    kept_deadline = min(max(deadline, kept_start + timedelta(days=1)), last)
    for label, was, kept in (("start", start, kept_start), ("deadline", deadline, kept_deadline)):
        if was != kept:
            notes.append(
                f"The link's {label} {long_day(was)} is outside the days a plan on this data can take "
                f"({long_day(first)} to {long_day(last)}, the deadline after the start): it is set to {long_day(kept)}."
            )
    return replace(scenario, target=target, start=kept_start, deadline=kept_deadline, levers=levers), tuple(
        notes
    )


def describe(scenario: ScenarioState) -> str:
    """The scenario's parameters in one line: 'Likes 60,000 from 19 Nov 2026 to 28 Feb 2027;
    posts per week 6, like rate change +10%, ...' (the fields a link set)."""
    parts = []
    if scenario.metric is not None:
        label = GOAL_METRICS[scenario.metric].label
        target = f" {format_value(scenario.metric, scenario.target)}" if scenario.target is not None else ""
        parts.append(f"{label}{target}")
    elif scenario.target is not None:
        parts.append(f"target {_text(scenario.target)}")
    if scenario.start is not None:
        parts.append(f"from {long_day(scenario.start)}")
    if scenario.deadline is not None:
        parts.append(f"to {long_day(scenario.deadline)}")
    levers = []
    for key in LEVER_KEYS:
        if key in scenario.levers:
            lv, value = _LEVER_BY_KEY[key], scenario.levers[key]
            levers.append(
                f"{lv.label.split(' (')[0].lower()} {value:+g}%"
                if lv.relative
                else f"{lv.label.lower()} {value:g}"
            )
    return " ".join(parts) + ("; " if parts and levers else "") + ", ".join(levers)


def origin_notice(
    scenario: ScenarioState, account: str, as_of: date | None, *, loaded: bool, demo: bool
) -> str | None:
    """What a page says when it shows `scenario` on `account`'s data but the scenario was made
    elsewhere: for another account (`loaded`: that account's data is in this session too), or on
    this account's data up to another day. None when it was made right here."""
    made_on = f" with data to {long_day(scenario.data_to)}" if scenario.data_to else ""
    here = "the demo account" if demo else f"@{account}"
    if scenario.account is None:
        return f"This link does not say which account it was made for: below it is applied to {here}."
    if scenario.account != account:
        x = scenario.account
        step = f"Pick @{x} in the sidebar" if loaded else f"Upload @{x}'s exports or workspace"
        return f"This scenario was made for @{x}{made_on}. {step} to see it; below it is applied to {here}."
    if scenario.data_to is not None and as_of is not None and scenario.data_to != as_of:
        return (
            f"This scenario was made on data to {long_day(scenario.data_to)}; the data here runs to "
            f"{long_day(as_of)}, so its projection can differ."
        )
    return None


def unknown_account_notice(linked: str, shown: str | None, *, demo: bool) -> str:
    """What every page but What-if (which says it beside the scenario, `origin_notice`) says when a
    link names an account whose data is not in the session: which account the pages show instead."""
    here = "the demo account" if demo else f"@{shown}" if shown else "no account: no data is loaded yet"
    return (
        f"This link was made for @{linked}, whose data is not in this session: the pages show {here}. "
        f"Upload @{linked}'s exports or workspace to see theirs."
    )
