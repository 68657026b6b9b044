"""The one-page report as one self-contained HTML page.

`report_html` turns a `Report` (summary.py) into HTML: inline CSS, the likes chart and the what-if
scenario's chart as inline SVG, no script and no external resource (its Content-Security-Policy
tells the browser to load none). Every piece of text goes through `html.escape`: handles, goal
sentences and labels are data, never markup. The chart SVGs are the only markup passed in, and
they are checked (no script, no event handler, no link out) before they are inlined. A print
stylesheet fits the page on one A4 sheet (tests/e2e prints it and counts the pages).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from defusedxml import ElementTree

from kpi_core.metrics.findings import day_span
from kpi_core.metrics.trends import VERDICT_RULE
from kpi_core.report.summary import Report, ReportCard, ReportGoal, ReportScenario

__all__ = ["report_html"]

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
.origin{background:#fff4e0;border-radius:8px;padding:.5em .85em}
@page{size:A4;margin:9mm}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-size:8px;line-height:1.3}main{padding:0;max-width:none}
header{margin-bottom:.5em;padding-bottom:.35em}h1{font-size:1.6em}h2{font-size:1.15em;margin:.7em 0 .3em}
.cards{gap:.4em}.card{padding:.35em .55em}.card .value{font-size:1.35em}.card .formula{margin-top:.15em}
.chart svg{max-height:40mm;width:auto;margin:.2em 0}
.goal{padding:.35em .55em;margin-bottom:.3em}.goal p{margin:.1em 0}
td,th{padding:.15em .4em}.verdict,.origin{padding:.3em .55em}p{margin:.2em 0}
section{break-inside:avoid}footer{margin-top:.6em;padding-top:.3em}
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _delta_class(delta: str | None) -> str:
    if not delta or not re.search("[1-9]", delta):  # "+0.00 pp" is no change
        return "flat"
    return "down" if delta.startswith("-") else "up"


def _card_html(card: ReportCard) -> str:
    if not card.delta:
        delta = f'<div class="delta flat">{_e(card.not_compared or "no previous value to compare")}</div>'
    elif card.uncalled:  # not called a rise or a fall: no colour
        delta = f'<div class="delta flat">{_e(card.delta)} vs previous period, {_e(card.uncalled)}</div>'
    else:
        delta = f'<div class="delta {_delta_class(card.delta)}">{_e(card.delta)} vs previous period</div>'
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


def _scenario_html(scenario: ReportScenario | None, note: str, chart_svg: str | None) -> str:
    if scenario is None:
        return f'<p class="muted">{_e(note or "No what-if scenario in this session.")}</p>'
    outcome = (
        f"<table>{_rows(scenario.outcome)}</table>"
        if scenario.outcome
        else f'<p class="muted">{_e(scenario.note)}</p>'
    )
    origin = f'<p class="origin">{_e(scenario.origin)}</p>' if scenario.origin else ""
    chart = (
        f'<div class="chart scenario-chart">{_checked_svg(chart_svg)}</div>'
        if chart_svg and scenario.outcome
        else ""
    )
    return (
        f'{origin}<p><b>Goal:</b> {_e(scenario.goal)}</p><div class="scenario"><div><table>{_rows(scenario.levers)}'
        f"</table></div><div>{outcome}</div></div>{chart}"
    )


def report_html(report: Report, chart_svg: str | None = None, scenario_svg: str | None = None) -> str:
    """The report as one self-contained HTML page (UTF-8 text).

    `chart_svg` is the likes-over-time chart and `scenario_svg` the what-if scenario's chart, as
    SVG documents (vl-convert's output); they are checked and inlined, and a missing likes chart
    leaves a note in its place. Raises ValueError when an SVG holds scripts, event handlers or
    links out.
    """
    period = day_span(report.date_from, report.date_to)
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
    plan_note = f'<p class="verdict other">{_e(report.plan_note)}</p>\n' if report.plan_note else ""
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
<p class="muted">Daily likes (bars) with their 7- and 28-day means. The trend of daily likes is
{_e(VERDICT_RULE)}</p>
</section>
<section>
<h2>Goals</h2>
{plan_note}{goals}
</section>
<section>
<h2>What-if scenario</h2>
{_scenario_html(report.scenario, report.scenario_note, scenario_svg)}
</section>
<footer>Ratios are ratios of sums (for example sum(likes) / sum(views)); a ratio with nothing to divide by
shows as n/a. {_e(provisional)} {notes} Made with TikTok Likes KPI Studio from the account's own exports.</footer>
</main>
</body>
</html>
"""
