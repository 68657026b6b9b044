"""The one-page report's content and the tables behind the downloads, as plain data.

A `Report` holds sentences and formatted values only, so html.py can render it and a download
can be made on another thread without the store. The KPI values here are the full-precision
formats of the registry ("12,345", "3.45%"); the app's cards show the compact ones ("12.3K").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from kpi_core.metrics.comparison import (
    NO_EARLIER_DATA,
    SAME_REASON,
    nothing_counted,
    same_reason,
    shown_cards,
)
from kpi_core.metrics.digest import card_judgement
from kpi_core.metrics.findings import long_day, plural
from kpi_core.metrics.measures import ROW_NOUN, Kpi
from kpi_core.metrics.normal_variation import Usual
from kpi_core.metrics.ratios import format_kpi
from kpi_core.metrics.registry import kpi
from kpi_core.metrics.scope import DateLike, as_date, plain, resolve_account
from kpi_core.metrics.values import kpis_by_video
from kpi_core.planning.assessment import GoalAssessment
from kpi_core.planning.chances import chance_text
from kpi_core.planning.goals import Goal, format_value
from kpi_core.planning.levers import LEVERS, Lever, slider_value
from kpi_core.planning.progress import share_of_target
from kpi_core.planning.whatif import WhatIf
from kpi_core.store import Store

# What a value rests on, around its count ("4 videos", "14 days").
_GRAIN_TEXT = {"per_video": "{} posted in the period", "per_day": "daily account totals of {}"}


def _grain_text(grain: str, listed: bool) -> str:
    """What a card's value rests on: `_GRAIN_TEXT`, or for a sample of the posts the videos listed."""
    return "{} listed for the period" if listed and grain == "per_video" else _GRAIN_TEXT[grain]


# ---------------------------------------------------------------------------------------------
# Plain data


@dataclass(frozen=True)
class ReportCard:
    """One KPI card: its value, the change against the previous period and how it is computed."""

    label: str
    value: str
    delta: str | None
    previous: str
    formula: str
    # Why the change is not called a rise or a fall ("within normal variation"), when it is not.
    uncalled: str | None = None
    # Why there is no change to show ("too few videos to compare"), when there is a previous value.
    not_compared: str | None = None


@dataclass(frozen=True)
class ReportGoal:
    """One goal as the Goals page shows it, in sentences."""

    title: str
    status: str  # "on track", "at risk" or "off track"
    window: str
    so_far: str
    projection: str
    verdict: str


@dataclass(frozen=True)
class ReportScenario:
    """The what-if scenario: its goal, the levers as set, and what they lead to. `note` says why
    there is no outcome; `origin` where the scenario was made when not on this account's data."""

    goal: str
    levers: tuple[tuple[str, str], ...]
    outcome: tuple[tuple[str, str], ...]
    note: str = ""
    origin: str = ""


@dataclass(frozen=True)
class Report:
    """Everything the one-page report shows. `generated` is when the file was made (wall clock)."""

    account: str
    date_from: date
    date_to: date
    generated: datetime
    cards: tuple[ReportCard, ...]
    trend_verdict: str
    trend_sentence: str
    goals: tuple[ReportGoal, ...] = ()
    scenario: ReportScenario | None = None
    scenario_note: str = ""
    include_provisional: bool = False
    notes: tuple[str, ...] = ()
    plan_note: str = ""  # why the goals' and scenario's dates lie long past (`Baseline.age_note`)


# ---------------------------------------------------------------------------------------------
# From kpi_core results to plain data


def _number(value: Any) -> float | None:
    value = plain(value)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _delta_text(kpi: Kpi, delta: float | None) -> str | None:
    if delta is None:
        return None
    if "%" in kpi.fmt:
        return f"{delta * 100:+.2f} pp"
    return ("+" if delta >= 0 else "-") + kpi.fmt.replace("{:+", "{:").format(abs(delta))


def _text(value: Any) -> str | None:
    value = plain(value)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _base(grain: str, rows: Any) -> str:
    return plural(int(_number(rows) or 0), *ROW_NOUN[grain])


def kpi_cards(
    comparison: pd.DataFrame,
    selection: Sequence[tuple[str, str]],
    bands: Mapping[str, Usual] | None = None,
    listed: bool = False,
) -> tuple[ReportCard, ...]:
    """Cards for the (grain, KPI name) pairs in `selection` (`shown_cards`), from `metrics.compare_periods` output.

    Rates read as percentages and their change in percentage points ("+0.52 pp"); counts keep
    every digit. Example: a like rate of 0.0345 against 0.0293 gives value "3.45%", delta "+0.52 pp".
    A change is given only against earlier data (`previous` then reads "no earlier data"); what
    each value rests on ("26 days") and why a value is n/a travel in `previous` and `formula`.
    `bands`: the per-day figures' normal variation (`digest.period_bands`); a change of
    `digest.BANDED` within it, or with too little history, is `uncalled` as on the Overview's cards.
    `listed`: the videos are those TikTok Studio's Content exports list, a sample of the posts.
    """
    cards = []
    for grain, name in shown_cards(comparison, selection):
        declared = kpi(grain, name)
        rows = comparison[(comparison["grain"] == grain) & (comparison["name"] == name)]
        row = rows.iloc[0] if len(rows) else pd.Series(dtype=object)
        current, previous = _number(row.get("current")), _number(row.get("previous"))
        comparison_note, note = _text(row.get("comparison")), _text(row.get("note"))
        coverage = _text(row.get("coverage"))
        if comparison_note == NO_EARLIER_DATA or not len(rows):
            previous_text = NO_EARLIER_DATA
        elif same_reason(note, comparison_note):
            previous_text = SAME_REASON
        elif comparison_note is not None:  # a value not compared keeps its number, as on the cards
            shown = "n/a" if previous is None else format_kpi(declared, previous)
            previous_text = f"{shown} ({comparison_note.removeprefix('no earlier value: ')})"
        else:
            base = coverage or _base(grain, row.get("previous_rows"))
            previous_text = f"{format_kpi(declared, previous)} ({base})"
        formula = declared.formula_text
        if not nothing_counted(note, int(_number(row.get("current_rows")) or 0)):  # no "0 videos"
            formula += f" ({_grain_text(grain, listed).format(_base(grain, row.get('current_rows')))})"
        delta = None if comparison_note else _delta_text(declared, _number(row.get("delta")))
        judged = card_judgement(row, bands or {}) if delta is not None else None
        cards.append(
            ReportCard(
                label=declared.label,
                value=format_kpi(declared, current),
                delta=delta,
                previous=previous_text,
                formula=formula + (f" — why n/a: {note}" if note else ""),
                uncalled=judged.note if judged is not None and judged.muted else None,
                not_compared=(
                    None if comparison_note in (None, NO_EARLIER_DATA) else str(comparison_note).split(":")[0]
                ),
            )
        )
    return tuple(cards)


def kpi_table(comparison: pd.DataFrame, account: str, date_from: DateLike, date_to: DateLike) -> pd.DataFrame:
    """Every KPI of `metrics.compare_periods` as one spreadsheet-ready table, numbers as numbers.

    Columns: account, period_from, period_to, compared_days (the days each side spans: the
    period's, or for per-day KPIs its days up to its last settled Overview day when it ends on
    provisional days or after the Overview's last day, against as many before them), grain, kpi,
    label, unit, formula, current, previous, change (in the KPI's unit; fraction points for
    rates), relative_change (a fraction), current_base and
    previous_base (the videos or days behind each value, `base_unit`), coverage,
    note (why current is empty) and comparison (why change is empty: "no earlier data", or why
    the previous value is missing). Rates are fractions (0.0345 is 3.45 %); a KPI with no value
    is empty, never 0.
    """
    formulas = [kpi(g, n).formula_text for g, n in zip(comparison["grain"], comparison["name"], strict=True)]
    numbers = {
        column: pd.to_numeric(comparison[column], errors="coerce").astype("float64")
        for column in ("current", "previous", "delta", "delta_rel")
    }
    texts = {
        column: [_text(v) for v in comparison[column]] if column in comparison else [None] * len(comparison)
        for column in ("coverage", "note", "comparison")
    }
    return pd.DataFrame(
        {
            "account": account,
            "period_from": as_date(date_from),
            "period_to": as_date(date_to),
            "compared_days": comparison["period_days"].to_numpy(dtype="int64"),
            "grain": comparison["grain"].to_numpy(),
            "kpi": comparison["name"].to_numpy(),
            "label": comparison["label"].to_numpy(),
            "unit": comparison["unit"].to_numpy(),
            "formula": formulas,
            "current": numbers["current"].to_numpy(),
            "previous": numbers["previous"].to_numpy(),
            "change": numbers["delta"].to_numpy(),
            "relative_change": numbers["delta_rel"].to_numpy(),
            "current_base": _bases(comparison, "current_rows"),
            "previous_base": _bases(comparison, "previous_rows"),
            "base_unit": comparison["rows_unit"].to_numpy(),
            "coverage": texts["coverage"],
            "note": texts["note"],
            "comparison": texts["comparison"],
        },
        index=range(len(comparison)),
    )


def _bases(comparison: pd.DataFrame, column: str) -> pd.array:
    """The videos or days behind each value; empty for a KPI neither period has data for (the
    note says why: no video list, no follower counts), not 0."""
    nothing = [
        same_reason(_text(n), _text(c))
        for n, c in zip(comparison["note"], comparison["comparison"], strict=True)
    ]
    return pd.array(
        [None if empty else int(v) for v, empty in zip(comparison[column], nothing, strict=True)],
        dtype="Int64",
    )


_VIDEO_COLUMNS = (
    "video_id",
    "posted_at",
    "posted_time_known",
    "title",
    "url",
    "likes",
    "views",
    "comments",
    "shares",
    "saves",
    "is_ad",
    "snapshot_date",
)


def video_table(
    store: Store, account: str | None, date_from: DateLike = None, date_to: DateLike = None
) -> pd.DataFrame:
    """One account's (the primary account's when None) videos posted in the range (ends included,
    None = open), oldest first.

    Columns: video_id, posted_at, posted_time_known (False when the export gives only the posting
    day, as TikTok Studio's Content file does: posted_at is then that day's midnight), title, url,
    likes, views, comments, shares, saves, is_ad, snapshot_date (the export the numbers come from),
    like_rate and engagement_rate_by_view (fractions of that video's views, by the registry's formulas
    and rules: empty when it has no views, or more likes than views).
    """
    account = resolve_account(store, account)
    if account is None:
        return pd.DataFrame(columns=[*_VIDEO_COLUMNS, "like_rate", "engagement_rate_by_view"])
    videos = store.table("videos", account)
    posted = pd.to_datetime(videos["posted_at"]).dt.normalize()
    start, end = as_date(date_from), as_date(date_to)
    keep = pd.Series(True, index=videos.index)
    if start is not None:
        keep &= posted >= pd.Timestamp(start)
    if end is not None:
        keep &= posted <= pd.Timestamp(end)
    out = videos.loc[keep, list(_VIDEO_COLUMNS)].sort_values(["posted_at", "video_id"]).reset_index(drop=True)
    rates = kpis_by_video(store, account, start, end, ("like_rate", "engagement_rate_by_view"))
    return out.merge(rates, on="video_id", how="left")


def goal_summary(assessment: GoalAssessment) -> ReportGoal:
    """One goal in sentences, from its assessment (the same statements as the Goals page)."""
    goal, progress, verdict = assessment.goal, assessment.progress, assessment.verdict
    so_far = format_value(goal.metric, progress.value)
    if progress.fraction is not None:
        so_far += f" ({share_of_target(goal.metric, progress.fraction)})"
    return ReportGoal(
        title=f"{goal.info.label}: {format_value(goal.metric, goal.target)} by {long_day(goal.deadline)}",
        status=assessment.status,
        window=(
            f"From {long_day(goal.start)}, serves {goal.objective}; {progress.days_elapsed} days elapsed, "
            f"{progress.days_left} left"
        ),
        so_far=so_far,
        projection=assessment.projection.sentence(),
        verdict=f"{verdict.label.capitalize()}. {verdict.sentence}",
    )


def _lever_text(lv: Lever, value: float | None, today: float | None) -> str:
    if lv.relative:
        return f"{value or 0.0:+.0f}%"
    shown = f"{slider_value(value):.1f}" if value is not None else "today's"
    if today is None or not math.isfinite(today):
        return shown
    return f"{shown} (today {slider_value(today):.1f})"


def scenario_summary(
    goal: Goal, result: WhatIf, posts_per_week_today: float | None = None, origin: str = ""
) -> ReportScenario:
    """The what-if scenario in words: the goal, each lever of the lever table as set, and the
    outcome; `origin` (link.origin_notice) says where it was made when not on this data.

    Example outcome row: ("Chance of success", "82% (+24 pts vs today's pace)").
    """
    s = result.scenario
    levers = tuple(
        (
            lv.label.split(" (")[0],
            _lever_text(lv, s.lever_value(lv), posts_per_week_today if not lv.relative else None),
        )
        for lv in LEVERS.values()
    )
    fmt = lambda x: format_value(goal.metric, x)  # noqa: E731
    title = f"{goal.info.label}: {fmt(goal.target)} from {long_day(goal.start)} to {long_day(goal.deadline)}"
    p = result.projection
    if not p.enough_history or p.probability is None:
        return ReportScenario(title, levers, (), p.note or "Not enough history for a projection.", origin)
    reach = result.reach_date
    outcome = (
        ("Target reached on", long_day(reach) if reach else "Not by the deadline"),
        (
            f"Projected at {long_day(goal.deadline)}",
            f"{fmt(p.expected)} (80% band {fmt(p.low)} to {fmt(p.high)})"
            + (f". {note}" if (note := p.without_value_note()) else ""),
        ),
        (
            "Chance of success",
            f"{chance_text(p.probability)} ({result.chance_change()})",
        ),
    )
    return ReportScenario(title, levers, outcome, origin=origin)
