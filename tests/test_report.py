"""The one-page report: kpi_core's numbers, escaped user text, valid HTML with nothing loaded from outside."""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pandas as pd
import pytest

from kpi_core.metrics.comparison import compare_periods
from kpi_core.metrics.findings import long_day
from kpi_core.metrics.ratios import format_kpi
from kpi_core.metrics.registry import DAILY_KPIS, VIDEO_KPIS
from kpi_core.metrics.values import daily_kpis, video_kpis
from kpi_core.planning.assessment import assess
from kpi_core.planning.baseline import age_note, load_baseline
from kpi_core.planning.chances import chance_text
from kpi_core.planning.forecast import project
from kpi_core.planning.goals import Goal
from kpi_core.planning.progress import goal_progress
from kpi_core.planning.verdict import goal_status
from kpi_core.planning.whatif import Scenario, what_if
from kpi_core.report import summary as report
from kpi_core.report.export import to_csv_bytes
from kpi_core.report.html import report_html
from kpi_core.store import Store
from tests.conftest import add_days, add_videos

HOSTILE = "<img src=x onerror=alert(1)>"
CARDS = (
    ("per_day", "likes"),
    ("per_day", "likes_per_day"),
    ("per_video", "like_rate"),
    ("per_video", "videos"),
    ("per_video", "likes_per_video_median"),
    ("per_day", "profile_views"),
)
MARCH = (date(2026, 3, 1), date(2026, 3, 14))
GENERATED = datetime(2026, 3, 20, 9, 30)


def fill(store: Store, account: str = "brand", title: str = "Morning routine") -> None:
    """Feb 15-28: 50 likes and 500 views a day; Mar 1-14: 100 and 1,000. One video in February (5 likes,
    100 views), four in March (10/100, 20/200, 30/300 and one never viewed)."""
    start = date(2026, 2, 15)
    add_days(
        store,
        [
            {
                "date": (start + timedelta(days=i)).isoformat(),
                "likes": 50 if i < 14 else 100,
                "views": 500 if i < 14 else 1000,
                "profile_views": 5 if i < 14 else 10,
                "followers": 1000 + 2 * i,
            }
            for i in range(28)
        ],
        account,
    )
    add_videos(
        store,
        [
            {
                "video_id": "0",
                "posted_at": "2026-02-20 10:00",
                "likes": 5,
                "views": 100,
                "comments": 0,
                "shares": 0,
            },
            {
                "video_id": "1",
                "posted_at": "2026-03-01 10:00",
                "likes": 10,
                "views": 100,
                "comments": 1,
                "shares": 0,
                "title": title,
            },
            {
                "video_id": "2",
                "posted_at": "2026-03-02 10:00",
                "likes": 20,
                "views": 200,
                "comments": 2,
                "shares": 1,
            },
            {
                "video_id": "3",
                "posted_at": "2026-03-03 10:00",
                "likes": 30,
                "views": 300,
                "comments": 3,
                "shares": 2,
            },
            {
                "video_id": "4",
                "posted_at": "2026-03-04 10:00",
                "likes": 0,
                "views": 0,
                "comments": 0,
                "shares": 0,
            },
        ],
        account,
    )


def march_report(store: Store, account: str, **extra: object) -> report.Report:
    fields: dict = {
        "cards": report.kpi_cards(compare_periods(store, account, *MARCH), CARDS),
        "trend_verdict": "rising",
        "trend_sentence": "Rising: daily likes.",
        **extra,
    }
    return report.Report(account=account, date_from=MARCH[0], date_to=MARCH[1], generated=GENERATED, **fields)


@pytest.fixture
def brand(store: Store) -> Store:
    fill(store)
    return store


class Structure(HTMLParser):
    """Tags must nest and close; collects every tag and attribute."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: Counter[str] = Counter()
        self.attrs: list[tuple[str, str | None]] = []
        self.doctype = ""
        self.title = ""
        self._in_title = False

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attrs += attrs
        self._in_title = tag == "title"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attrs += attrs

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def structure(page: str) -> Structure:
    parser = Structure()
    parser.feed(page)
    parser.close()
    return parser


# --- the numbers -------------------------------------------------------------------------------


def test_the_report_shows_the_account_the_period_and_the_kpis_kpi_core_computes(brand):
    page = report_html(march_report(brand, "brand"))
    daily, videos = daily_kpis(brand, "brand", *MARCH), video_kpis(brand, "brand", *MARCH)
    for grain, name in CARDS:
        kpis, values = (DAILY_KPIS, daily) if grain == "per_day" else (VIDEO_KPIS, videos)
        kpi = next(k for k in kpis if k.name == name)
        assert f'<div class="value">{format_kpi(kpi, values[name])}</div>' in page, name
    # The same numbers worked out by hand: 14 days of 100 likes against 14 of 50 the period before.
    for text in ("1,400", "+700 vs previous period", "100.0", "+50.0", "10.00%", "15.0"):
        assert text in page, text
    # The like rate and the median rest on 4 videos against 1: their change is not stated.
    assert "+5.00 pp" not in page and "+10.0" not in page
    few = "too few videos to compare: 4 videos against 1 before"
    assert f"5.00% ({few}" in page and f"5.0 ({few}" in page
    assert "@brand" in page and "1 Mar – 14 Mar 2026" in page and "20 Mar 2026 09:30" in page
    assert structure(page).title == "Likes KPI report: @brand, 1 Mar – 14 Mar 2026"


def test_a_kpi_without_a_previous_value_says_so_instead_of_a_zero_change(store):
    fill(store)
    comparison = compare_periods(store, "brand", date(2026, 2, 15), date(2026, 2, 28))  # nothing before it
    likes = report.kpi_cards(comparison, [("per_day", "likes")])[0]
    assert (likes.value, likes.delta, likes.previous) == ("700", None, "no earlier data")
    page = report_html(march_report(store, "brand", cards=(likes,)))
    assert "no previous value to compare" in page and "Previous period: no earlier data." in page


def test_kpi_table_says_how_many_days_per_day_kpis_compare_when_the_period_ends_on_provisional_days(store):
    # March 1-14, the last 2 days provisional: per-day KPIs compare March 1-12 with the 12 days before.
    add_days(
        store,
        [
            {"date": f"2026-{m:02d}-{d:02d}", "likes": 10, "views": 100, "provisional": (m, d) >= (3, 13)}
            for m, days in ((2, range(1, 29)), (3, range(1, 15)))
            for d in days
        ],
    )
    table = report.kpi_table(compare_periods(store, "brand", *MARCH), "brand", *MARCH).set_index(
        ["grain", "kpi"]
    )
    likes = table.loc[("per_day", "likes")]
    assert (likes["compared_days"], likes["current"], likes["previous"], likes["change"]) == (12, 120, 120, 0)
    assert table.loc[("per_video", "videos"), "compared_days"] == 14


def test_kpi_table_has_every_kpi_as_numbers_with_its_formula(brand):
    comparison = compare_periods(brand, "brand", *MARCH)
    table = report.kpi_table(comparison, "brand", *MARCH)
    assert list(table.columns) == [
        "account",
        "period_from",
        "period_to",
        "compared_days",
        "grain",
        "kpi",
        "label",
        "unit",
        "formula",
        "current",
        "previous",
        "change",
        "relative_change",
        "current_base",
        "previous_base",
        "base_unit",
        "coverage",
        "note",
        "comparison",
    ]
    assert len(table) == len(VIDEO_KPIS) + len(DAILY_KPIS)
    row = table.set_index(["grain", "kpi"])
    assert row.loc[("per_day", "likes"), ["current", "previous", "change", "relative_change"]].tolist() == [
        1400.0,
        700.0,
        700.0,
        1.0,
    ]
    assert row.loc[("per_video", "like_rate"), ["current", "previous"]].tolist() == pytest.approx([0.1, 0.05])
    assert row.loc[("per_video", "videos"), ["current", "change"]].tolist() == [4.0, 3.0]
    assert pd.isna(row.loc[("per_video", "saves"), "current"])  # no saves in the data: empty, never 0
    assert row.loc[("per_video", "like_rate"), "formula"] == "sum(likes) / sum(views)"
    assert all(table[c].dtype == "float64" for c in ("current", "previous", "change", "relative_change"))
    # What each value rests on: 14 days of daily likes in each fortnight, 4 videos now and 1 before.
    likes = row.loc[("per_day", "likes")]
    assert (likes["current_base"], likes["previous_base"], likes["base_unit"]) == (14, 14, "days")
    assert set(table["compared_days"]) == {14}
    assert pd.isna(likes["coverage"]) and pd.isna(likes["comparison"]) and pd.isna(likes["note"])
    rate = row.loc[("per_video", "like_rate")]
    assert (rate["current_base"], rate["previous_base"], rate["coverage"]) == (
        4,
        1,
        "4 videos vs 1 video before",
    )
    assert row.loc[("per_video", "saves"), "note"] == "no data: no saves for the videos of the period"
    # By follower: (11 + 23 + 35 + 0) / 4 interactions per video over March's average of 1,041 followers.
    assert row.loc[("per_video", "engagement_rate_by_follower"), "current"] == pytest.approx(69 / 4 / 1041)
    # The daily rows have no comments or shares, so no day has all of likes + comments + shares.
    assert pd.isna(row.loc[("per_day", "engagement_rate_by_follower"), "current"])
    assert row.loc[("per_day", "engagement_rate_by_follower"), "note"] == (
        "no data: no days in the period with both interactions and follower counts"
    )
    assert set(table["account"]) == {"brand"} and set(table["period_from"]) == {MARCH[0]}


def test_video_table_lists_the_periods_videos_with_per_video_rates(brand):
    table = report.video_table(brand, "brand", *MARCH)
    assert table["video_id"].tolist() == ["1", "2", "3", "4"]  # February's video is outside the period
    assert table["like_rate"].tolist()[:3] == [0.1, 0.1, 0.1]
    assert pd.isna(table["like_rate"].iloc[3])  # no views: no rate, never 0
    assert table["engagement_rate_by_view"].iloc[1] == pytest.approx(23 / 200)
    assert report.video_table(brand, "someone else", *MARCH).empty
    assert report.video_table(brand, None, *MARCH)["video_id"].tolist() == ["1", "2", "3", "4"]  # the primary
    assert not table["posted_time_known"].any()  # these test rows carry no posting hour


def test_video_table_rates_follow_the_registrys_rule_no_rate_above_100_percent(store):
    add_videos(
        store,
        [
            {
                "video_id": "1",
                "posted_at": "2026-03-01",
                "likes": 120,
                "views": 100,
                "comments": 0,
                "shares": 0,
            },
            {
                "video_id": "2",
                "posted_at": "2026-03-02",
                "likes": 30,
                "views": 100,
                "comments": 1,
                "shares": 1,
            },
        ],
    )
    table = report.video_table(store, "brand")
    assert pd.isna(table.loc[0, "like_rate"]) and pd.isna(table.loc[0, "engagement_rate_by_view"])
    assert table.loc[1, ["like_rate", "engagement_rate_by_view"]].tolist() == pytest.approx([0.3, 0.32])


def test_a_hostile_video_title_is_neutralised_in_the_csv(store):
    fill(store, title='=HYPERLINK("http://evil.example","win")')
    data = to_csv_bytes(report.video_table(store, "brand", *MARCH))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example","win")'
    assert rows[0]["likes"] == "10"


# --- user text is data -------------------------------------------------------------------------


def test_a_hostile_handle_appears_escaped_never_as_a_tag(store):
    fill(store, account=HOSTILE)
    page = report_html(march_report(store, HOSTILE))
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "1,400" in page  # the hostile account's numbers are there all the same
    parsed = structure(page)
    assert parsed.tags["img"] == 0 and not any(name.startswith("on") for name, _ in parsed.attrs)
    assert parsed.title == f"Likes KPI report: @{HOSTILE}, 1 Mar – 14 Mar 2026"


@pytest.mark.parametrize(
    "text",
    [
        HOSTILE,
        "<script>alert(1)</script>",
        '"><svg onload=alert(1)>',
        "&lt;b&gt; already escaped",
        "a\u202egnp.exe",
    ],
)
def test_every_text_field_is_escaped(store, text):
    fill(store)
    hostile_goal = report.ReportGoal(
        title=text, status="at risk", window=text, so_far=text, projection=text, verdict=text
    )
    scenario = report.ReportScenario(goal=text, levers=((text, text),), outcome=((text, text),))
    card = report.ReportCard(label=text, value=text, delta="+" + text, previous=text, formula=text)
    data = report.Report(
        account=text,
        date_from=MARCH[0],
        date_to=MARCH[1],
        generated=GENERATED,
        cards=(card,),
        trend_verdict=text,
        trend_sentence=text,
        goals=(hostile_goal,),
        scenario=scenario,
        notes=(text,),
    )
    page = report_html(data)
    parsed = structure(page)
    assert not parsed.problems and not parsed.stack
    assert set(parsed.tags) <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "main",
        "header",
        "h1",
        "h2",
        "h3",
        "p",
        "b",
        "section",
        "div",
        "span",
        "table",
        "tr",
        "th",
        "td",
        "footer",
    }
    assert not any(name.startswith("on") for name, _ in parsed.attrs)
    assert "\u202e" not in page  # a right-to-left override cannot make text read backwards


def test_no_scenario_and_no_goals_leave_a_note(brand):
    page = report_html(march_report(brand, "brand", scenario_note="No what-if scenario yet <here>."))
    assert "No goals set for this account" in page
    assert "No what-if scenario yet &lt;here&gt;." in page


def test_plans_on_old_data_say_so_at_the_head_of_the_goals(brand):
    note = age_note(date(2021, 3, 14), GENERATED.date())
    assert note is not None
    page = report_html(march_report(brand, "brand", plan_note=note + " <b>"))
    goals = page.index("<h2>Goals</h2>")
    shown = html.escape(note + " <b>")  # the apostrophe and the tag, as text
    assert shown.endswith("&lt;b&gt;") and "&#x27;" in shown
    assert page.index(f'<p class="verdict other">{shown}</p>') == goals + len("<h2>Goals</h2>\n")
    assert "verdict other" not in report_html(march_report(brand, "brand"))  # no note, no box


# --- valid, self-contained HTML ------------------------------------------------------------------

SVG = (
    '<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="10"><defs><clipPath id="c">'
    '<rect width="20" height="10"/></clipPath></defs><g clip-path="url(#c)"><rect width="20" height="10" '
    'fill="#FE2C55"/><text x="1" y="9">Likes &amp; views</text></g></svg>'
)


def test_the_report_is_valid_html_that_loads_nothing_from_outside(brand):
    page = report_html(march_report(brand, "brand"), chart_svg=SVG)
    parsed = structure(page)
    assert parsed.doctype == "DOCTYPE html"
    assert not parsed.problems and not parsed.stack
    for tag in ("html", "head", "body", "title", "main"):
        assert parsed.tags[tag] == 1, tag
    assert parsed.tags["svg"] == 1 and "<?xml" not in page
    for tag in ("script", "link", "iframe", "img", "object", "embed", "base", "form", "frame"):
        assert parsed.tags[tag] == 0, tag
    for name, value in parsed.attrs:
        assert name not in ("src", "srcset", "action", "poster", "background"), name
        if name in ("href", "xlink:href"):
            assert (value or "").startswith("#")
    lowered = page.lower()
    assert "@import" not in lowered and "url(http" not in lowered and "javascript:" not in lowered
    assert '<meta charset="utf-8">' in page
    assert "default-src 'none'" in page  # the CSP tells the browser to load nothing else either


def test_a_missing_chart_leaves_a_note(brand):
    page = report_html(march_report(brand, "brand"), chart_svg=None)
    assert "<svg" not in page and "No daily likes in this period to chart." in page


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div>x</div></foreignObject></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<image xlink:href="http://evil.example/x.png"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://evil.example/x.css);</style></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(http://evil.example/p)"/></svg>',
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>',
        "<html><body>not a chart</body></html>",
    ],
)
def test_a_chart_svg_with_scripts_handlers_or_outside_links_is_refused(brand, svg):
    with pytest.raises(ValueError):
        report_html(march_report(brand, "brand"), chart_svg=svg)


# --- goals and the scenario --------------------------------------------------------------------


@pytest.fixture
def history(store: Store) -> Store:
    """84 days of daily likes (100 to 160, a weekly pattern) and a video every third day."""
    start = date(2026, 1, 1)
    add_days(
        store,
        [
            {
                "date": (start + timedelta(days=i)).isoformat(),
                "likes": 100 + 10 * (i % 7),
                "views": 2000,
                "followers": 5000 + 3 * i,
            }
            for i in range(84)
        ],
        "brand",
    )
    add_videos(
        store,
        [
            {
                "video_id": str(i),
                "posted_at": f"{start + timedelta(days=i)} 12:00",
                "likes": 300,
                "views": 6000,
                "comments": 5,
                "shares": 2,
            }
            for i in range(0, 84, 3)
        ],
        "brand",
    )
    return store


def test_goals_and_the_scenario_read_as_on_the_goals_and_what_if_pages(history):
    base = load_baseline(history, "brand")
    goal = Goal("brand", "likes", 9_000, base.as_of + timedelta(days=1), base.as_of + timedelta(days=60))
    assessment = assess(goal, base)
    progress, projection = goal_progress(goal, base), project(goal, base)
    status = goal_status(goal, progress, projection, base).label
    summary = report.goal_summary(assessment)
    assert summary.title == f"Likes received: 9,000 by {long_day(goal.deadline)}"
    assert summary.status == status and summary.projection == projection.sentence()

    result = what_if(goal, base, Scenario(posts_per_week=5, like_rate_change=0.1))
    scenario = report.scenario_summary(goal, result, base.posts_per_week)
    assert dict(scenario.levers) == {
        "Posts per week": f"5.0 (today {base.posts_per_week:.1f})",
        "Like rate change": "+10%",
        "Views per video change": "+0%",
        "Follower growth change": "+0%",
    }
    outcome = dict(scenario.outcome)
    assert outcome["Chance of success"].startswith(f"{chance_text(result.probability)} (")
    assert "Target reached on" in outcome

    page = report_html(march_report(history, "brand", goals=(summary,), scenario=scenario))
    assert f'class="badge {status.replace(" ", "-")}"' in page
    assert "Likes received: 9,000 by" in page and "Chance of success" in page and "+10%" in page
    assert not structure(page).problems


def test_a_scenario_without_enough_history_says_why(store):
    add_days(store, [{"date": f"2026-03-0{d}", "likes": 10, "views": 100} for d in range(1, 6)], "brand")
    base = load_baseline(store, "brand")
    goal = Goal("brand", "likes", 1_000, date(2026, 3, 6), date(2026, 4, 5))
    scenario = report.scenario_summary(goal, what_if(goal, base, Scenario()), base.posts_per_week)
    assert scenario.outcome == () and "Not enough history" in scenario.note
    assert "Not enough history" in report_html(march_report(store, "brand", scenario=scenario))


def test_kpi_cards_follow_the_selection_order(brand):
    comparison = compare_periods(brand, "brand", *MARCH)
    cards = report.kpi_cards(comparison, CARDS)
    assert [c.label for c in cards] == [
        "Likes",
        "Likes per day",
        "Like rate",
        "Videos",
        "Likes per video (median)",
        "Profile views",
    ]
    assert cards[2].formula == "sum(likes) / sum(views) (4 videos posted in the period)"
    assert cards[0].formula == "sum of daily likes (daily account totals of 14 days)"
    assert cards[0].previous == "700 (14 days)"
