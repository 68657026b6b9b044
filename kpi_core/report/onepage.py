"""The one-page report and the tables behind the downloads, built from plain data.

`report_html` turns a `Report` into one self-contained HTML page: inline CSS, the likes chart as
inline SVG, no script and no external resource (its Content-Security-Policy tells the browser to
load none). Every piece of text goes through `html.escape`: handles, goal sentences and labels
are data, never markup. The chart SVG is the only markup passed in, and it is checked (no script,
no event handler, no link out) before it is inlined.

The KPI values here are the full-precision formats of metrics.py ("12,345", "3.45%"); the app's
cards show the compact ones ("12.3K").
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from defusedxml import ElementTree

from kpi_core.metrics.registry import DAILY_KPIS, VIDEO_KPIS, Kpi
from kpi_core.metrics.scope import DateLike, as_date, plain, resolve_account
from kpi_core.metrics.values import format_kpi
from kpi_core.planning.assessment import GoalAssessment
from kpi_core.planning.goals import Goal, format_value
from kpi_core.planning.whatif import WhatIf
from kpi_core.store import Store

__all__ = [
    "Report",
    "ReportCard",
    "ReportGoal",
    "ReportScenario",
    "goal_summary",
    "kpi_cards",
    "kpi_table",
    "report_html",
    "scenario_summary",
    "video_table",
]

_KPIS: dict[tuple[str, str], Kpi] = {
    **{("per_video", k.name): k for k in VIDEO_KPIS},
    **{("per_day", k.name): k for k in DAILY_KPIS},
}
_GRAIN_TEXT = {"per_video": "videos posted in the period", "per_day": "daily account totals"}


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
    """The what-if scenario: its goal, the levers as set, and what they lead to."""

    goal: str
    levers: tuple[tuple[str, str], ...]
    outcome: tuple[tuple[str, str], ...]
    note: str = ""


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


def kpi_cards(comparison: pd.DataFrame, selection: Sequence[tuple[str, str]]) -> tuple[ReportCard, ...]:
    """Cards for the (grain, KPI name) pairs in `selection`, from `metrics.compare_periods` output.

    Rates read as percentages and their change in percentage points ("+0.52 pp"); counts keep
    every digit. Example: a like rate of 0.0345 against 0.0293 gives value "3.45%", delta "+0.52 pp".
    """
    cards = []
    for grain, name in selection:
        kpi = _KPIS[(grain, name)]
        rows = comparison[(comparison["grain"] == grain) & (comparison["name"] == name)]
        row = rows.iloc[0] if len(rows) else pd.Series(dtype=object)
        current, previous = _number(row.get("current")), _number(row.get("previous"))
        cards.append(
            ReportCard(
                label=kpi.label,
                value=format_kpi(kpi, current),
                delta=_delta_text(kpi, _number(row.get("delta"))),
                previous=format_kpi(kpi, previous),
                formula=f"{kpi.formula_text} ({_GRAIN_TEXT[grain]})",
            )
        )
    return tuple(cards)


def kpi_table(comparison: pd.DataFrame, account: str, date_from: DateLike, date_to: DateLike) -> pd.DataFrame:
    """Every KPI of `metrics.compare_periods` as one spreadsheet-ready table, numbers as numbers.

    Columns: account, period_from, period_to, grain, kpi, label, unit, formula, current,
    previous, change (in the KPI's unit; fraction points for rates), relative_change (a fraction).
    Rates are fractions (0.0345 is 3.45 %); a KPI with no value is empty, never 0.
    """
    formulas = [
        _KPIS[(g, n)].formula_text for g, n in zip(comparison["grain"], comparison["name"], strict=True)
    ]
    numbers = {
        column: pd.to_numeric(comparison[column], errors="coerce").astype("float64")
        for column in ("current", "previous", "delta", "delta_rel")
    }
    return pd.DataFrame(
        {
            "account": account,
            "period_from": as_date(date_from),
            "period_to": as_date(date_to),
            "grain": comparison["grain"].to_numpy(),
            "kpi": comparison["name"].to_numpy(),
            "label": comparison["label"].to_numpy(),
            "unit": comparison["unit"].to_numpy(),
            "formula": formulas,
            "current": numbers["current"].to_numpy(),
            "previous": numbers["previous"].to_numpy(),
            "change": numbers["delta"].to_numpy(),
            "relative_change": numbers["delta_rel"].to_numpy(),
        },
        index=range(len(comparison)),
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
    like_rate and engagement_rate_by_view (fractions of that video's views; empty when it has no views).
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
    views = out["views"].to_numpy(dtype=float, na_value=np.nan)
    likes = out["likes"].to_numpy(dtype=float, na_value=np.nan)
    interactions = sum(out[c].to_numpy(dtype=float, na_value=np.nan) for c in ("likes", "comments", "shares"))
    with np.errstate(divide="ignore", invalid="ignore"):
        out["like_rate"] = np.where(views > 0, likes / views, np.nan)
        out["engagement_rate_by_view"] = np.where(views > 0, interactions / views, np.nan)
    return out


def goal_summary(assessment: GoalAssessment) -> ReportGoal:
    """One goal in sentences, from its assessment (the same statements as the Goals page)."""
    goal, progress, verdict = assessment.goal, assessment.progress, assessment.verdict
    so_far = format_value(goal.metric, progress.value)
    if progress.fraction is not None:
        so_far += f" ({progress.fraction:.0%} of target)"
    return ReportGoal(
        title=f"{goal.info.label}: {format_value(goal.metric, goal.target)} by {goal.deadline:%d %b %Y}",
        status=assessment.status,
        window=(
            f"From {goal.start:%d %b %Y}, serves {goal.objective}; {progress.days_elapsed} days elapsed, "
            f"{progress.days_left} left"
        ),
        so_far=so_far,
        projection=assessment.projection.sentence(),
        verdict=f"{verdict.label.capitalize()}. {verdict.sentence}",
    )


def scenario_summary(goal: Goal, result: WhatIf, posts_per_week_today: float | None = None) -> ReportScenario:
    """The what-if scenario in words: the goal, each lever as set, and the outcome.

    Example outcome row: ("Chance of success", "82% (+24 pts vs today's pace)").
    """
    s = result.scenario
    today = (
        f" (today {posts_per_week_today:.1f})"
        if posts_per_week_today is not None and math.isfinite(posts_per_week_today)
        else ""
    )
    levers = (
        (
            "Posts per week",
            (f"{s.posts_per_week:.1f}" if s.posts_per_week is not None else "today's") + today,
        ),
        ("Like rate change", f"{s.like_rate_change:+.0%}"),
        ("Views per video change", f"{s.views_per_video_change:+.0%}"),
        ("Follower growth change", f"{s.follower_growth_change:+.0%}"),
    )
    fmt = lambda x: format_value(goal.metric, x)  # noqa: E731
    title = f"{goal.info.label}: {fmt(goal.target)} from {goal.start:%d %b %Y} to {goal.deadline:%d %b %Y}"
    p = result.projection
    if not p.enough_history or p.probability is None:
        return ReportScenario(title, levers, (), p.note or "Not enough history for a projection.")
    reach = result.reach_date
    base = result.baseline_projection.probability or 0.0
    outcome = (
        ("Target reached on", f"{reach:%d %b %Y}" if reach else "Not by the deadline"),
        (
            f"Projected at {goal.deadline:%d %b %Y}",
            f"{fmt(p.expected)} (80% band {fmt(p.low)} to {fmt(p.high)})",
        ),
        (
            "Chance of success",
            f"{p.probability:.0%} ({(p.probability - base) * 100:+.0f} pts vs today's pace)",
        ),
    )
    return ReportScenario(title, levers, outcome)


# ---------------------------------------------------------------------------------------------
# HTML

_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _e(text: object) -> str:
    """Text as HTML text: escaped, NUL dropped, bidirectional overrides shown as a visible mark."""
    return html.escape(_BIDI_CONTROLS.sub("\ufffd", str(text).replace("\x00", "")), quote=True)


_SVG_FORBIDDEN = {
    "script",
    "foreignobject",
    "iframe",
    "object",
    "embed",
    "image",
    "a",
    "use",
    "animate",
    "set",
    "handler",
    "listener",
}
_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


def _checked_svg(svg: str) -> str:
    """`svg` if it is plain drawing (no script, event handler or reference outside itself); raise otherwise."""
    root = ElementTree.fromstring(svg)  # defusedxml: no entity expansion, no external entities
    if root.tag.rsplit("}", 1)[-1].lower() != "svg":
        raise ValueError("the chart is not an SVG document")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in _SVG_FORBIDDEN:
            raise ValueError(f"the chart SVG holds a <{tag}> element")
        texts = [element.text or ""] if tag == "style" else []
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise ValueError(f"the chart SVG holds an event handler ({local})")
            if local in ("href", "src") and not value.startswith("#"):
                raise ValueError("the chart SVG links outside itself")
            texts.append(value)
        for text in texts:
            lowered = text.lower()
            if "@import" in lowered or "javascript:" in lowered or re.search(r"url\(\s*['\"]?(?!#)", lowered):
                raise ValueError("the chart SVG refers to an outside resource")
    return _XML_PROLOGUE.sub("", svg)


_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#161823;font:14px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",
Arial,sans-serif}
main{max-width:1000px;margin:0 auto;padding:2em 2.3em}
header{border-bottom:3px solid #FE2C55;padding-bottom:.7em;margin-bottom:1.2em}
h1{font-size:1.7em;margin:0 0 .2em}
h2{font-size:1.2em;margin:1.5em 0 .5em}
p{margin:.4em 0}
.sub{color:#5c5d63;margin:0}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:.7em}
.card{border:1px solid #dfe1e6;border-radius:8px;padding:.7em .85em;break-inside:avoid}
.card .label{color:#5c5d63;font-size:.93em}
.card .value{font-size:1.6em;font-weight:600;margin:.1em 0}
.card .delta{font-size:.93em}
.card .formula{color:#8a8b91;font-size:.82em;margin-top:.3em}
.up{color:#0a7a3f}.down{color:#c0223b}.flat{color:#5c5d63}
.verdict{border-radius:8px;padding:.6em .85em}
.verdict.rising{background:#e6f6ec}.verdict.falling{background:#fff4e0}.verdict.other{background:#eef3fb}
.chart svg{max-width:100%;height:auto;display:block;margin:.5em 0}
.muted{color:#8a8b91}
table{border-collapse:collapse;width:100%}
td,th{text-align:left;vertical-align:top;padding:.4em .6em;border-top:1px solid #e6e7eb}
th{font-weight:600;width:40%}
.goal{border:1px solid #dfe1e6;border-radius:8px;padding:.7em .85em;margin-bottom:.6em;break-inside:avoid}
.goal h3{font-size:1.07em;margin:0 0 .15em}
.goal p{margin:.2em 0}
.badge{display:inline-block;border-radius:1em;padding:0 .65em;font-size:.86em;font-weight:600;margin-left:.5em}
.badge.on-track{background:#e6f6ec;color:#0a7a3f}.badge.at-risk{background:#fff4e0;color:#9a5b00}
.badge.off-track{background:#fde8ec;color:#c0223b}
.scenario{display:grid;grid-template-columns:1fr 1fr;gap:1em}
footer{margin-top:1.6em;color:#8a8b91;font-size:.86em;border-top:1px solid #e6e7eb;padding-top:.6em}
@page{size:A4;margin:10mm}
@media print{body{font-size:9px}main{padding:0;max-width:none}.chart svg{max-height:58mm;width:auto}}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _delta_class(delta: str | None) -> str:
    if not delta or not re.search("[1-9]", delta):  # "+0.00 pp" is no change
        return "flat"
    return "down" if delta.startswith("-") else "up"


def _card_html(card: ReportCard) -> str:
    delta = (
        f'<div class="delta {_delta_class(card.delta)}">{_e(card.delta)} vs previous period</div>'
        if card.delta
        else '<div class="delta flat">no previous value to compare</div>'
    )
    return (
        f'<div class="card"><div class="label">{_e(card.label)}</div><div class="value">{_e(card.value)}</div>'
        f'{delta}<div class="formula">= {_e(card.formula)}. Previous period: {_e(card.previous)}.</div></div>'
    )


def _goal_html(goal: ReportGoal) -> str:
    badge = goal.status.replace(" ", "-")
    return (
        f'<div class="goal"><h3>{_e(goal.title)}<span class="badge {_e(badge)}">{_e(goal.status.capitalize())}'
        f'</span></h3><p class="muted">{_e(goal.window)}</p><p><b>So far:</b> {_e(goal.so_far)}</p>'
        f"<p><b>Projection:</b> {_e(goal.projection)}</p><p><b>Is it achievable?</b> {_e(goal.verdict)}</p></div>"
    )


def _rows(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in pairs)


def _scenario_html(scenario: ReportScenario | None, note: str) -> str:
    if scenario is None:
        return f'<p class="muted">{_e(note or "No what-if scenario in this session.")}</p>'
    outcome = (
        f"<table>{_rows(scenario.outcome)}</table>"
        if scenario.outcome
        else f'<p class="muted">{_e(scenario.note)}</p>'
    )
    return (
        f'<p><b>Goal:</b> {_e(scenario.goal)}</p><div class="scenario"><div><table>{_rows(scenario.levers)}'
        f"</table></div><div>{outcome}</div></div>"
    )


def report_html(report: Report, chart_svg: str | None = None) -> str:
    """The report as one self-contained HTML page (UTF-8 text).

    `chart_svg` is the likes-over-time chart as an SVG document (vl-convert's output); it is
    checked and inlined, and a missing chart leaves a note in its place. Raises ValueError when
    the SVG holds scripts, event handlers or links out.
    """
    period = f"{report.date_from:%d %b %Y} – {report.date_to:%d %b %Y}"
    title = f"Likes KPI report: @{report.account}, {period}"
    chart = (
        f'<div class="chart">{_checked_svg(chart_svg)}</div>'
        if chart_svg
        else '<p class="muted">No daily likes in this period to chart.</p>'
    )
    verdict_class = report.trend_verdict if report.trend_verdict in ("rising", "falling") else "other"
    goals = (
        "".join(_goal_html(g) for g in report.goals)
        if report.goals
        else '<p class="muted">No goals set for this account in this session.</p>'
    )
    provisional = (
        "Provisional days (the last, still-changing days of an export) are included."
        if report.include_provisional
        else "Provisional days (the last, still-changing days of an export) are left out."
    )
    notes = " ".join(_e(n) for n in report.notes)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="TikTok Likes KPI Studio">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<header>
<h1>Likes KPI report: @{_e(report.account)}</h1>
<p class="sub">Period {_e(period)}, compared with the previous period of the same length.
Generated {_e(f"{report.generated:%d %b %Y %H:%M}")}.</p>
</header>
<section>
<h2>KPIs</h2>
<div class="cards">{"".join(_card_html(c) for c in report.cards)}</div>
</section>
<section>
<h2>Likes over time</h2>
<p class="verdict {verdict_class}"><b>Trend: {_e(report.trend_verdict)}.</b> {_e(report.trend_sentence)}</p>
{chart}
<p class="muted">Daily likes (bars) with their 7- and 28-day means. The trend is a Theil-Sen slope of daily
likes with its 95% interval: a direction is only claimed when the whole interval is above or below zero.</p>
</section>
<section>
<h2>Goals</h2>
{goals}
</section>
<section>
<h2>What-if scenario</h2>
{_scenario_html(report.scenario, report.scenario_note)}
</section>
<footer>Ratios are ratios of sums (for example sum(likes) / sum(views)); a ratio with nothing to divide by
shows as n/a. {_e(provisional)} {notes} Made with TikTok Likes KPI Studio from the account's own exports.</footer>
</main>
</body>
</html>
"""
