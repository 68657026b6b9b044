"""The one-page report prints on one A4 sheet in Chromium, with every section: eight KPI cards, the
likes chart, three goals, and the what-if scenario with where it was made and its chart."""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd
import pytest

from kpi_core.report import summary as report
from kpi_core.report.html import report_html
from ui import charts, downloads, plan_charts

pytestmark = pytest.mark.browser


def _likes_chart() -> object:
    days = pd.date_range("2026-08-23", periods=90, freq="D")
    likes = pd.Series([1200.0 + 90 * (i % 7) + 4 * i for i in range(90)])
    frame = pd.DataFrame(
        {
            "date": days,
            "likes": likes,
            "likes_7d": likes.rolling(7).mean(),
            "likes_28d": likes.rolling(28).mean(),
        }
    )
    return charts.likes_over_time_chart(frame)


def _scenario_chart() -> object:
    days = pd.date_range("2026-11-19", periods=90, freq="D")
    base = pd.Series(range(90), dtype=float) * 1300
    curve = pd.DataFrame(
        {
            "date": days,
            "actual": [None] * 90,
            "baseline": base,
            "scenario": base * 1.2,
            "scenario_low": base * 0.8,
            "scenario_high": base * 1.7,
            "target": 150_000.0,
        }
    )
    return plan_charts.scenario_chart(curve, "Likes received")


def full_report() -> report.Report:
    card = report.ReportCard(
        "Like rate", "4.94%", "+0.31 pp", "4.63%", "sum(likes) / sum(views) (daily account totals)"
    )
    goal = report.ReportGoal(
        title="Likes received: 150,000 by 16 Feb 2027",
        status="at risk",
        window="From 19 Nov 2026, serves awareness; 0 days elapsed, 90 left",
        so_far="0 (0% of target)",
        projection="Expected 121,000 (80% band 96,000 to 171,000); 41% chance of reaching 150,000.",
        verdict="Ambitious. Needs 1,667 likes per day for the remaining 90 days: your last 28 days ran at 1,333.",
    )
    scenario = report.ReportScenario(
        goal="Likes received: 150,000 from 19 Nov 2026 to 16 Feb 2027",
        levers=(
            ("Posts per week", "4.5 (today 3.0)"),
            ("Like rate change", "+10%"),
            ("Views per video change", "+0%"),
            ("Follower growth change", "+0%"),
        ),
        outcome=(
            ("Target reached on", "2 Feb 2027"),
            ("Projected at 16 Feb 2027", "163,000 (80% band 121,000 to 230,000)"),
            ("Chance of success", "62% (+21 pts vs today's pace)"),
        ),
        origin="This scenario was made for @x.brand with data to 28 Jun 2026. Upload @x.brand's exports or "
        "workspace to see it; below it is applied to the demo account.",
    )
    return report.Report(
        account="lumen.skincare",
        date_from=date(2026, 8, 23),
        date_to=date(2026, 11, 20),
        generated=datetime(2026, 11, 21, 9, 0),
        cards=(card,) * 8,
        trend_verdict="rising",
        trend_sentence="Daily likes rose by 4.2 likes per day (95% interval +2.1 to +6.3) over 90 days.",
        goals=tuple(
            report.ReportGoal(**{**goal.__dict__, "title": f"{goal.title} ({n})"}) for n in range(1, 4)
        ),
        scenario=scenario,
    )


def test_a_full_report_prints_on_one_a4_page_with_every_section(browser, tmp_path):
    size = {"width": downloads.REPORT_CHART_WIDTH, "height": downloads.REPORT_CHART_HEIGHT}
    html = report_html(
        full_report(),
        chart_svg=downloads.svg_text(downloads.chart_spec(_likes_chart(), **size)),
        scenario_svg=downloads.svg_text(downloads.chart_spec(_scenario_chart(), **size)),
    )
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_context().new_page()
    page.goto(path.as_uri())
    page.emulate_media(media="print")
    page.screenshot(path=str(tmp_path / "print.png"), full_page=True)
    for section in ("KPIs", "Likes over time", "Goals", "What-if scenario"):
        assert page.get_by_role("heading", name=section).is_visible()
    assert page.locator("svg").count() >= 2 and "made for @x.brand" in page.inner_text("body")
    pdf = page.pdf(format="A4", print_background=True)
    page.context.close()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the report prints on {pages} A4 pages"


def test_the_print_stylesheet_sets_the_a4_page():
    html = report_html(full_report())
    assert "@page{size:A4;" in html and "@media print{" in html
