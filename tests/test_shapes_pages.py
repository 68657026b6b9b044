"""Every page on every account shape: no exception, and nothing a marketer should never read.

Each shape of data/shapes.py (tiny, viral, declining, a 7-day download, TikTok's data archive,
a scrape of 800 accounts...) is read as an upload would read it, then every page is opened with
that data, goals on the realistic, ambitious and stretch suggestions included. The text rules are
those of the project's look tool: no raw missing value (None, nan, inf), no unformatted number,
no rate in the thousands of percent, no plural after 1, no pointer to a README, and no table cell
that Streamlit would show as "None".
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data.shapes import SHAPES
from kpi_core.metrics.findings import long_day
from kpi_core.planning.baseline import age_note, load_baseline
from kpi_core.store import Store
from tests.conftest import add_days, add_videos, charts_with, markdown_tables, unescaped, unfilled_kpi_cells
from ui.format import handle
from ui.text import escape_md

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = (
    "pages/overview.py",
    "pages/trends.py",
    "pages/content.py",
    "pages/audience.py",
    "pages/benchmarks.py",
    "pages/portfolio.py",
    "pages/goals.py",
    "pages/what-if.py",
    "pages/data.py",
    "pages/methods.py",
)
NEVER = [
    (re.compile(r"(?<![\w.])(None|nan|NaN|inf|-inf|undefined|null)(?![\w.])"), "a raw missing value"),
    (re.compile(r"\b0\.0{5,}\d*\b"), "an unformatted number"),
    (re.compile(r"[+-]?\d[\d,]{3,}(\.\d+)?\s?(%|pp\b)"), "a rate or change in the thousands of percent"),
    (re.compile(r"(?<![\d.,])1 (videos|days|posts|weeks|likes|windows)\b"), "a plural after 1"),
    (re.compile(r"\bREADME\b"), "a pointer to a README that a hosted visitor cannot open"),
]


def _texts(at: AppTest) -> list[str]:
    """Every piece of text a page shows: headings, paragraphs, captions, alerts, metrics, buttons."""
    out = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
    ):
        out += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        out += [str(m.label), str(m.value), str(m.delta or "")]
    out += [str(b.label) for b in at.button]
    return out


def _blank_cells(at: AppTest) -> list[str]:
    """Table cells Streamlit would show as "None": a missing value in a displayed table."""
    found = []
    for table in at.dataframe:
        frame = table.value
        if not isinstance(frame, pd.DataFrame):
            continue
        shown = [c for c in table.proto.column_order if c in frame.columns] or list(frame.columns)
        missing = [str(c) for c in shown if frame[c].isna().any()]
        if missing:
            found.append(f"a table shows None in column(s) {', '.join(missing)}")
    for table in markdown_tables(at):  # a missing value is an empty cell: none where a text belongs
        found += [f"a KPI explanation without its text: {cell}" for cell in unfilled_kpi_cells(table)]
    return found


def _problems(at: AppTest, page: str) -> list[str]:
    problems = [f"{page}: exception {e.value}" for e in at.exception]
    for text in map(unescaped, _texts(at)):  # as read on screen: "0\\.000001" is 0.000001
        for line in text.splitlines():
            for pattern, why in NEVER:
                if pattern.search(line):
                    problems.append(f"{page}: {why}: {line.strip()[:140]!r}")
    return problems + [f"{page}: {p}" for p in _blank_cells(at)]


def _open_app(store: Store) -> AppTest:
    """The app on `store`'s data (a visitor's upload, not the demo), its first page run."""
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["store"] = store
    at.session_state["showing_demo"] = False
    at.run()
    return at


@pytest.mark.parametrize("name", SHAPES)
def test_every_page_reads_cleanly_on_every_shape(name, shape_store):
    _, store = shape_store(name)
    at = _open_app(store)
    problems = _problems(at, "app")
    for page in PAGES:
        at.switch_page(page)
        at.run()
        if page == "pages/goals.py":  # add each goal the page suggests, then read it again
            for suggestion in ("realistic", "ambitious", "stretch"):
                buttons = [b for b in at.button if b.key == f"suggest_{suggestion}"]
                if buttons:
                    buttons[0].click().run()
                    next(b for b in at.button if b.label == "Add goal").click().run()
        problems += _problems(at, page)
    assert problems == []


def test_days_with_views_but_no_likes_get_a_sentence_instead_of_a_flat_likes_chart(shape_store):
    # The 2021 combined export holds views and followers per day, no likes: the Overview's likes
    # chart had an axis of one tick reading 0.000000.
    _, store = shape_store("legacy_2021")
    at = _open_app(store)
    assert "No day in this period has a like count, so there are no rolling means" in " ".join(
        i.value for i in at.info
    )


def test_goals_without_suggested_targets_do_not_promise_one(shape_store):
    # An export without like counts has no suggested likes target: the page said "No suggested
    # targets yet" and then "A suggested target is one click away".
    _, store = shape_store("legacy_2021")
    at = _open_app(store)
    at.switch_page("pages/goals.py").run()
    at.selectbox(key="new_goal_metric").set_value("likes").run()
    assert not at.exception
    assert any(c.value.startswith("No suggested targets yet") for c in at.caption)
    assert [i.value for i in at.info if i.value.startswith("No goals yet")] == [
        "No goals yet: add one above."
    ]


@pytest.mark.parametrize(("shape", "listed"), [("spiky", False), ("growing", True)])
def test_trends_offer_a_click_for_videos_only_when_a_file_lists_them(shape_store, shape, listed):
    # spiky has no Content export: "Click a bar to list the videos posted in that week" led nowhere.
    _, store = shape_store(shape)
    at = _open_app(store)
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert ("Click a bar to list the videos" in captions) is listed
    assert "A thinner bar covers fewer days" in captions


@pytest.mark.parametrize("shape", ["scraper_many", "download_your_data"])
def test_video_lists_alone_open_plans_on_likes_per_video_with_a_target_from_the_data(shape_store, shape):
    # A scrape or the data archive has videos and no day of likes: the What-if opened on likes
    # received, "none has likes" beside the Overview's likes, with a target of 1.
    _, store = shape_store(shape)
    at = _open_app(store)
    at.switch_page("pages/what-if.py").run()
    assert not at.exception
    assert at.selectbox(key="wi_metric").value == "likes_per_video"
    assert at.number_input(key="wi_target").value > 1
    short = [w.value for w in at.warning if "Not enough history" in w.value]
    if shape == "scraper_many":  # its first handle has 6 videos in the scrape
        assert short == [
            "Not enough history for a projection: at least 8 videos with settled likes are needed. "
            "Upload more Content exports (or a scraper export) to add videos."
        ]
    else:
        assert not short


def test_plans_open_on_a_metric_the_data_can_project(shape_store):
    # The 2021 combined export has 58 days of views and followers, no likes: the What-if opened on
    # a likes goal with a target of 1 and "at least 14 days of data are needed".
    _, store = shape_store("legacy_2021")
    at = _open_app(store)
    at.switch_page("pages/what-if.py").run()
    assert not at.exception
    assert at.selectbox(key="wi_metric").value == "followers"
    assert not [w.value for w in at.warning if "Not enough history" in w.value]
    at.switch_page("pages/goals.py").run()
    assert at.selectbox(key="new_goal_metric").value == "followers"
    # A likes goal says what its days lack.
    at.switch_page("pages/what-if.py").run()
    at.selectbox(key="wi_metric").set_value("likes").run()
    assert any(
        "Not enough history for a projection: of the 58 days loaded, none has likes (at least 14 days are needed)"
        in w.value
        for w in at.warning
    ), [w.value for w in at.warning]


def test_plans_on_data_that_ended_long_ago_say_their_dates_are_that_time_s(shape_store):
    # legacy_2021 ends in March 2021: What-if planned "reached on 21 May 2021" with nothing saying
    # that day was five years back.
    _, store = shape_store("legacy_2021")
    at = _open_app(store)
    base = load_baseline(store, store.primary_account())
    expected = age_note(base.as_of, date.today())
    assert expected is not None and expected.startswith(
        f"The data's last settled day is {long_day(base.as_of)}, over "
    )
    for page in ("pages/what-if.py", "pages/goals.py"):
        at.switch_page(page).run()
        assert [w.value for w in at.warning if "last settled day is" in w.value] == [escape_md(expected)], (
            page
        )


def test_a_recent_scrape_of_an_account_that_stopped_posting_is_not_called_old_data(store):
    # A scrape read yesterday whose newest video is 90 days old: plans start after that video, which
    # the note says, but "upload recent exports" would be wrong advice: the data is recent.
    today = date.today()
    posted, read = today - timedelta(days=90), today - timedelta(days=1)
    add_videos(
        store,
        [
            {
                "video_id": str(i),
                "posted_at": (posted - timedelta(days=7 * i)).isoformat(),
                "likes": 100,
                "views": 2_000,
            }
            for i in range(12)
        ],
        snapshot=read.isoformat(),
    )
    base = load_baseline(store, "brand")
    assert base.from_posts and base.as_of == posted and base.read_on == read
    note = base.age_note(today)
    assert note is not None and note.startswith(
        f"The newest video in the data was posted on {long_day(posted)}, "
    )
    assert note.endswith(
        f"The video list was read on {long_day(read)} and holds no video posted after {posted.day} {posted:%b}."
    )
    at = _open_app(store)
    at.switch_page("pages/what-if.py").run()
    assert [w.value for w in at.warning if "newest video" in w.value] == [escape_md(note)]


def _report_of_legacy_2021() -> None:  # an AppTest script: runs in Streamlit, so its imports are its own
    from datetime import date

    import streamlit as st

    from ui import downloads, planning, session
    from ui.widgets import Period

    account = session.primary_account()
    period = Period(account, date(2021, 1, 16), date(2021, 3, 16), False)
    comparison = session.memo(downloads.compare_periods, account, period.date_from, period.date_to, False)
    for scenario in (False, True):
        if scenario:
            planning.open_scenario(account, planning.baseline(account))
        data, _ = downloads.build_report(period, comparison)
        st.write(repr((data.scenario is not None, data.plan_note)))


def test_the_report_of_plans_on_old_data_says_so_too(shape_store):
    _, store = shape_store("legacy_2021")
    base = load_baseline(store, store.primary_account())
    at = AppTest.from_function(_report_of_legacy_2021, default_timeout=300)
    at.session_state["store"] = store
    at.session_state["showing_demo"] = False
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # No goal and no scenario: nothing planned, no note; with the What-if's scenario, the pages' note.
    assert [m.value for m in at.markdown] == [
        repr((False, "")),
        repr((True, base.age_note(date.today()))),
    ]


def test_plans_on_recent_data_carry_no_age_note(store):
    today = date.today()
    days = [today - timedelta(days=d) for d in range(60, 2, -1)]
    add_days(
        store,
        [{"date": d.isoformat(), "likes": 100, "views": 2_000} for d in days],
        snapshot=today.isoformat(),
    )
    assert age_note(load_baseline(store, store.primary_account()).as_of, today) is None
    at = _open_app(store)
    at.switch_page("pages/what-if.py").run()
    assert not at.exception
    assert not [w.value for w in at.warning if "last settled day is" in w.value]


def test_a_scrape_of_hundreds_of_handles_draws_six_accounts_and_lists_them_all(shape_store):
    # 800 handles: the Benchmarks page drew a card of six metrics for each of the 191 with videos in
    # the default period (about 36,000 px) and a bar per account. Cards and bars: the account the pages
    # open on and the 5 with the most videos; the table keeps every account. A scrape names no owner,
    # so none of them is "yours" and the others are not "competitors".
    _, store = shape_store("scraper_many")
    at = _open_app(store)
    at.switch_page("pages/benchmarks.py").run()
    assert not at.exception
    videos = [m.value for m in at.metric if m.label == "Videos"]
    assert len(videos) == 6
    [table] = [t.value for t in at.dataframe if "account" in t.value.columns]
    assert [c.value for c in at.caption if c.value.startswith("Cards and charts show ")] == [
        escape_md(
            f"Cards and charts show {handle(store.primary_account())} and the 5 other accounts with the most "
            f"videos in the period; the table below lists all {len(table):,} accounts."
        )
    ]
    assert len(table) == 191  # the handles with videos in the default period, every one listed
    # None of the six has 5 videos in the period: each card says its rates rest on a few videos.
    few = [
        c.value
        for c in at.caption
        if re.match(r"Only \d videos? in the period: its rates say more", unescaped(c.value))
    ]
    assert len(few) == 6, few
    bars = [
        frame for frame in charts_with(at, "account") if set(frame.columns) == {"account", "kpi", "value"}
    ]
    assert len(bars) == 2 and all(frame["account"].nunique() == 6 for frame in bars)


def test_a_lever_without_a_slider_says_why_it_is_not_measured(shape_store):
    # A year of decline lost followers: on a likes goal the What-if has no follower slider to say
    # why, and its header read "follower growth n/a" with no reason anywhere on the page.
    _, store = shape_store("declining")
    at = _open_app(store)
    at.switch_page("pages/what-if.py").run()
    assert not at.exception and at.selectbox(key="wi_metric").value == "likes"
    header = unescaped(next(c.value for c in at.caption if "measured over the 12 weeks" in c.value))
    assert "follower growth n/a (" in header, header
    # posts per week is said once, beside its slider's place
    assert "posts per week n/a," in header
    assert any(c.value.startswith("Posts per week: not offered (") for c in at.caption)
