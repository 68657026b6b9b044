"""AppTest tests of the Trends, Content and Benchmarks & competitors pages on the demo account:
the values shown are the values kpi_core computes on the same data, and user text stays data."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from data.shapes import build
from kpi_core.ingest import ingest_files, ingest_paths
from kpi_core.metrics import (
    audience_files,
    benchmarks,
    comparison,
    content,
    content_findings,
    ratios,
    scope,
    trends,
    uplift,
    values,
)
from kpi_core.metrics.guards import FOLLOWER_BASE_RULE
from kpi_core.metrics.hashtags import interval_text
from kpi_core.metrics.registry import kpi
from kpi_core.store import Store
from tests.conftest import markdown_tables, unescaped, unfilled_kpi_cells
from ui import session
from ui.format import kpi_text
from ui.tables import period_rows
from ui.text import escape_md

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = sorted((ROOT / "data" / "demo").iterdir())
HOSTILE_TITLE = "<img src=x onerror=alert(1)> **bold** [click](javascript:alert(2)) #hostile"
HOSTILE_HANDLE = "**evil**_<b>handle</b>"
RANKED = 5  # pages/content.py lists the top and bottom five


@pytest.fixture(scope="module")
def demo() -> Iterator[Store]:
    store = Store()
    ingest_paths(store, DEMO)
    yield store
    store.close()


@pytest.fixture(scope="module")
def period(demo: Store) -> tuple[str, date, date]:
    """The sidebar's default: the primary account over the last 90 days of its data."""
    account = demo.primary_account()
    first, last = scope.data_extent(demo, account)
    return account, max(first, last - timedelta(days=89)), last


def open_page(page: str, before=None, **sidebar: str) -> AppTest:  # type: ignore[no-untyped-def]
    """The app on `page`; `before(store)` may change the session's data first.

    `sidebar` presets the sidebar's widgets by key (account=..., period=...): AppTest does not
    apply a sidebar widget changed after a run under st.navigation, so they are set before it.
    """
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in sidebar.items():
        at.session_state[key] = value
    at.run()
    if before is not None:
        before(session.store_in(at.session_state))
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table shown (a data grid or a Markdown table) that has all `columns`."""
    return tables_with(at, *columns)[0]


def tables_with(at: AppTest, *columns: str) -> list[pd.DataFrame]:
    shown = [d.value for d in at.dataframe] + markdown_tables(at)
    return [frame for frame in shown if set(columns) <= set(frame.columns)]


def chart_rows(at: AppTest, index: int) -> list[int]:
    """The number of rows of each dataset the `index`-th chart on the page carries."""
    proto = at.get("vega_lite_chart")[index].proto
    return [len(convert_arrow_bytes_to_pandas_df(d.data.data)) for d in proto.datasets]


def texts(at: AppTest) -> list[str]:
    """Everything the page renders as Markdown: titles, captions, alerts, labels and help."""
    shown: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "success",
        "warning",
        "error",
        "text",
        "latex",
    ):
        shown += [str(e.value) for e in getattr(at, kind)]
    shown += [f"{m.label} {m.value} {m.help or ''}" for m in at.metric]
    shown += [str(e.label) for e in at.expander]
    shown += [
        f"{w.label} {w.help or ''}"
        for kind in ("button", "selectbox", "text_input", "segmented_control", "toggle", "checkbox")
        for w in getattr(at, kind)
    ]
    return shown


# --- Trends -------------------------------------------------------------------------------------


def test_trends_shows_the_weekly_series_kpi_core_computes_for_the_default_period(demo, period):
    account, start, end = period
    at = open_page("pages/trends.py")
    expected = trends.daily_series(demo, account, start, end, grain="week")
    shown = table_with(at, "likes_per_day", "first_day")
    written = period_rows(expected)
    assert shown["likes"].tolist() == written["likes"].tolist()
    assert shown["first_day"].tolist() == expected["first_day"].tolist()
    assert shown["like_rate"].tolist() == written["like_rate"].tolist()
    assert shown["engagement_rate_by_view"].tolist() == written["engagement_rate_by_view"].tolist()
    # The charts carry the aggregated rows: one bar per week, two rates per week.
    assert chart_rows(at, 0) == [len(expected)]
    assert chart_rows(at, 1) == [2 * len(expected)]
    assert at.subheader[0].value == "Likes per week"


def test_trends_regroups_by_month_and_by_day(demo, period):
    account, start, end = period
    at = open_page("pages/trends.py")
    at.segmented_control(key="trend_grain").set_value("month").run()
    expected = trends.daily_series(demo, account, start, end, grain="month")
    assert table_with(at, "likes_per_day")["likes"].tolist() == period_rows(expected)["likes"].tolist()
    assert at.subheader[0].value == "Likes per month"
    at.segmented_control(key="trend_grain").set_value("day").run()
    daily = trends.daily_series(demo, account, start, end, grain="day")
    assert table_with(at, "likes_per_day")["likes"].tolist() == period_rows(daily)["likes"].tolist()
    assert chart_rows(at, 0) == [len(daily)]


def test_trends_shows_the_verdicts_the_rolling_means_and_the_lagged_correlation_with_its_caution(
    demo, period
):
    account, start, end = period
    at = open_page("pages/trends.py")
    alerts = [e.value for kind in ("success", "warning", "info") for e in getattr(at, kind)]
    for verdict in (
        trends.likes_trend(demo, account, start, end),
        trends.like_rate_trend(demo, account, start, end),
    ):
        assert any(verdict.sentence in text for text in alerts), verdict.sentence
    assert trends.CORRELATION_CAUTION in [w.value for w in at.warning]
    correlation = trends.lagged_correlation(demo, account, start, end).table
    shown = table_with(at, "target", "lag", "r")
    assert shown["r"].tolist() == pytest.approx(correlation["r"].tolist(), nan_ok=True)
    rolling = trends.rolling_means(demo, account, start, end)
    assert chart_rows(at, 2) == [len(rolling), 2 * len(rolling)]  # likes with its 7/28-day means
    # Without a click, the videos listed are the period's most liked.
    top = content.top_videos(demo, account, start, end, n=25)
    assert table_with(at, "title", "url")["video_id"].tolist() == top["video_id"].tolist()


def test_trends_over_all_data_follows_the_sidebar_period(demo, period):
    account = period[0]
    first, last = scope.data_extent(demo, account)
    at = open_page("pages/trends.py", period="All data")
    expected = trends.daily_series(demo, account, first, last, grain="week")
    assert table_with(at, "likes_per_day")["likes"].tolist() == period_rows(expected)["likes"].tolist()
    assert len(expected) > 50


def two_years_of_days() -> tuple[Callable[[Store], None], Store]:
    """`before` for open_page: one account's Overview over 730 days, and the same data in a store
    of its own."""
    days = pd.date_range("2024-11-18", periods=730)
    likes = [200 + i // 4 + (37 * i) % 50 for i in range(len(days))]
    overview = "Date,Video Views,Profile Views,Likes,Comments,Shares\n" + "".join(
        f"{d:%Y-%m-%d},{10 * n},3,{n},2,1\n" for d, n in zip(days, likes, strict=True)
    )

    def before(store: Store) -> None:
        store.clear()
        ingest_files(store, [("Overview.csv", overview.encode())], account="two.years")

    own = Store()
    before(own)
    return before, own


@pytest.mark.parametrize("page", ["pages/trends.py", "pages/overview.py"])
def test_a_trend_over_more_than_a_year_shows_the_weekly_means_it_was_fitted_on(page):
    before, store = two_years_of_days()
    first, last = scope.data_extent(store, "two.years")
    verdict = trends.likes_trend(store, "two.years", first, last)
    assert verdict.n_weeks == 104 and verdict.verdict == "rising"
    assert "over 728 days, on 104 weekly averages" in verdict.sentence
    try:
        at = open_page(page, before=before, period="All data")
        alerts = [e.value for e in at.success]
        assert any(verdict.sentence in text for text in alerts), alerts
    finally:
        store.close()


def test_trends_for_a_competitor_without_daily_totals_says_where_they_come_from():
    at = open_page("pages/trends.py", account="glow.theory")
    assert "no daily totals" in " ".join(i.value for i in at.info)
    assert not at.get("vega_lite_chart")


# --- Content ------------------------------------------------------------------------------------


def test_content_lists_every_video_with_its_outliers_flagged(demo, period):
    account, start, end = period
    at = open_page("pages/content.py")
    videos = content.top_videos(demo, account, start, end, n=1000)
    outliers = content.viral_outliers(demo, account, start, end)
    shown = table_with(at, "title", "outlier")
    assert shown["video_id"].tolist() == videos["video_id"].tolist()
    assert shown["likes"].tolist() == videos["likes"].tolist()
    flagged = shown[shown["outlier"] != ""]
    assert flagged["video_id"].tolist() == outliers["video_id"].tolist()
    assert len(outliers) >= 1  # the demo has viral videos to show
    assert f"{len(videos)} videos with likes posted in this period" in " ".join(c.value for c in at.caption)


def test_content_for_a_competitor_lists_its_own_videos(demo):
    first, last = scope.data_extent(demo, "glow.theory")
    start = max(first, last - timedelta(days=89))
    at = open_page("pages/content.py", account="glow.theory")
    videos = content.top_videos(demo, "glow.theory", start, last, n=1000)
    assert table_with(at, "title", "outlier")["video_id"].tolist() == videos["video_id"].tolist()
    # Scrapers carry no follower activity: the Audience page's sentence says why.
    reason = audience_files.studio_reason(demo, "glow.theory")
    assert reason is not None and escape_md(reason) in [i.value for i in at.info]
    # Its 4 collab videos are too few to compare: the group says so in one sentence, with no chart or table.
    groups = content_findings.group_finding(demo, "glow.theory", start, last)
    assert groups.table["videos_with"].tolist() == [4] and groups.reason is not None
    assert escape_md(groups.reason) in [i.value for i in at.info]
    assert not tables_with(at, "group", "likes_uplift")


def test_content_ranks_top_and_bottom_videos_and_shows_the_posting_slots_and_hashtags(demo, period):
    account, start, end = period
    at = open_page("pages/content.py")
    ranked = [t["video_id"].tolist() for t in tables_with(at, "title", "like_rate") if len(t) == RANKED]
    assert content.top_videos(demo, account, start, end, n=5)["video_id"].tolist() in ranked
    assert content.top_videos(demo, account, start, end, n=5, bottom=True)["video_id"].tolist() in ranked
    at.segmented_control(key="content_rank_by").set_value("like_rate").run()
    ranked = [t["video_id"].tolist() for t in tables_with(at, "title", "like_rate") if len(t) == RANKED]
    assert content.top_videos(demo, account, start, end, n=5, by="like_rate")["video_id"].tolist() in ranked

    cells = content.posting_times(demo, account, start, end, by="weekday_hour")
    shown = table_with(at, "weekday_name", "enough")
    assert shown["videos"].tolist() == cells["videos"].tolist()
    assert shown["enough"].tolist() == cells["enough"].tolist()
    assert not cells["enough"].all()  # some cells have too few videos: the heatmap must mark them

    found, prior = content_findings.hashtag_finding(demo, account, start, end)
    hashtags = found.table
    shown = table_with(at, "hashtag", "likes_uplift")
    assert shown["hashtag"].tolist() == hashtags["hashtag"].tolist()
    # complete, so sent without a Styler: each number as its text writes it (whole likes, as Python rounds)
    assert [f"{v:+,.0f}" for v in shown["likes_uplift_low"]] == [
        f"{v:+,.0f}" for v in hashtags["likes_uplift_low"]
    ]
    # The like rate is the Portfolio page's shrunk estimate, written as that page writes it.
    assert shown["verdict"].tolist() == hashtags["verdict"].tolist()
    # held as the percentage its "%+.1f%%" writes, so that the column sorts as numbers
    assert shown["uplift"].tolist() == pytest.approx((hashtags["uplift"] * 100).tolist(), abs=0.05)
    assert shown["interval"].tolist() == [
        interval_text(lo, hi, v)
        for lo, hi, v in zip(hashtags["low"], hashtags["high"], hashtags["verdict"], strict=True)
    ]
    assert escape_md(prior.sentence) in " ".join(c.value for c in at.caption)
    # and rates as the percentages their "%.2f%%" writes
    assert shown["like_rate_with"].tolist() == pytest.approx(
        (hashtags["like_rate_with"] * 100).tolist(), abs=0.005
    )


def test_a_content_group_rule_added_in_the_page_is_compared_like_the_built_in_ones(demo, period):
    account, start, end = period
    at = open_page("pages/content.py")
    at.text_input[0].input("serum")
    at.text_input[1].input("Serum")
    at.button[0].click()  # the form's "Add group rule"
    at.run()
    assert not at.exception
    assert at.session_state["content_rules"] == [{"name": "serum", "text": "Serum"}]
    rules = (*uplift.DEFAULT_RULES, uplift.Rule("serum", "contains", "Serum"))
    expected = uplift.group_uplift(demo, account, start, end, rules=rules)
    shown = table_with(at, "group", "likes_uplift")
    assert shown["group"].tolist() == expected["group"].tolist() == ["collab", "serum"]
    assert shown["videos_with"].tolist() == expected["videos_with"].tolist()
    assert [f"{v:+,.0f}" for v in shown["likes_uplift_high"]] == [
        f"{v:+,.0f}" for v in expected["likes_uplift_high"]
    ]


def test_a_content_group_rule_can_be_removed():
    at = open_page("pages/content.py")
    for name in ("serum", "routine"):
        at.text_input[0].input(name)
        at.text_input[1].input(name)
        at.button[0].click()
        at.run()
    assert table_with(at, "group", "likes_uplift")["group"].tolist() == ["collab", "routine", "serum"]
    at.selectbox(key="content_rule_remove").set_value(0).run()  # picking enables the button
    next(b for b in at.button if b.label == "Remove rule").click()
    at.run()
    assert at.session_state["content_rules"] == [{"name": "routine", "text": "routine"}]
    assert "serum" not in table_with(at, "group", "likes_uplift")["group"].tolist()


def test_an_empty_group_rule_is_refused():
    at = open_page("pages/content.py")
    at.text_input[0].input("only a name")
    at.button[0].click()
    at.run()
    assert at.session_state["content_rules"] == []
    assert "A rule needs a group name" in at.error[0].value


# --- Benchmarks & competitors ---------------------------------------------------------------------


def test_benchmarks_show_each_published_figure_beside_the_account_on_the_same_definition(demo, period):
    account, start, end = period
    at = open_page("pages/benchmarks.py")
    fit, _ = benchmarks.default_fit(demo, account)
    expected = benchmarks.fit_table(benchmarks.benchmark_comparison(demo, account, start, end), fit)
    shown = tables_with(at, "definition", "account_value")
    # Per metric, the rows that fit the account, then (folded away) the others.
    order = [
        expected[(expected["metric"] == metric) & (expected["fits"] == fits)]
        for metric in ("engagement_rate_by_view", "engagement_rate_by_follower")
        for fits in (True, False)
    ]
    assert len(shown) == len(order)
    for table, rows in zip(shown, order, strict=True):
        assert table["value"].tolist() == [f"{v:.2%}" for v in rows["value"]]
        assert table["account_value"].tolist() == [
            "n/a" if pd.isna(v) else f"{v:.2%}" for v in rows["account_value"]
        ]
        assert table["source"].tolist() == rows["source"].tolist()
        assert table["definition"].tolist() == rows["definition"].tolist()
    assert sum(len(t) for t in shown) == len(expected)


def test_competitors_are_shown_side_by_side_as_kpi_core_formats_them(demo, period):
    _, start, end = period
    at = open_page("pages/benchmarks.py")
    side = values.kpis_by_account(demo, start, end).set_index("account")
    like_rate = kpi("per_video", "like_rate")
    glow = side.loc["glow.theory", "like_rate"]
    assert ratios.format_kpi(like_rate, glow) == "3.12%"
    shown = [m.value for m in at.metric if m.label == "Like rate"]
    assert shown == [kpi_text(side.loc[a, "like_rate"], like_rate.fmt) for a in side.index]
    assert shown[1] == ratios.format_kpi(like_rate, glow)
    table = table_with(at, "account", "likes_per_1k_followers")
    assert table["account"].tolist() == ["lumen.skincare", "glow.theory"]
    assert table["like_rate"].tolist() == [like_rate.fmt.format(v) for v in side["like_rate"]]
    # A missing value reads n/a in the table too, never "None".
    assert table["saves"].tolist() == ["n/a" if pd.isna(v) else f"{v:,.0f}" for v in side["saves"]]
    assert chart_rows(at, 2) == [2 * 2]  # like rate and ER by view, per account
    assert (
        at.sidebar.selectbox(key="account").help
        == "Your own account comes first; other handles are competitors."
    )


def test_without_competitors_the_page_says_how_to_add_one():
    def only_own_account(store: Store) -> None:
        store.clear()
        ingest_paths(store, [p for p in DEMO if "glow.theory" not in p.name])

    at = open_page("pages/benchmarks.py", before=only_own_account)
    message = " ".join(i.value for i in at.info)
    assert "No competitor accounts yet" in message
    assert "scraper export" in message and "another handle" in message
    assert not [m for m in at.metric if m.label == "Like rate"]


def test_with_scrapes_alone_the_first_account_is_not_called_yours():
    """A scrape names no owner: the handle with the most videos opens the pages, but it may be a
    competitor's, so its card does not say "your account" and the others are not "competitors"."""

    def scrapes_only(store: Store) -> None:
        store.clear()
        ingest_paths(store, [p for p in DEMO if "glow.theory" in p.name])
        other = [
            {
                "id": f"9{i}",
                "text": "x",
                "createTimeISO": "2026-11-01T12:00:00.000Z",
                "diggCount": 5,
                "playCount": 100,
                "authorMeta": {"name": "rival.one"},
            }
            for i in range(2)
        ]
        ingest_files(store, [("rival.json", json.dumps(other).encode())])

    at = open_page("pages/benchmarks.py", before=scrapes_only)
    names = [m.value for m in at.markdown if m.value.startswith("**@")]
    assert names == [
        "**@glow\\.theory** · the account the pages open on (the most videos; no export of your own is loaded)",
        "**@rival\\.one**",
    ]
    assert not any("your account" in m.value for m in at.markdown)
    assert at.sidebar.selectbox(key="account").help == (
        "The handle with the most videos comes first (no export of your own is loaded: a scrape does not "
        "say whose account it is); the others follow by name."
    )


# --- user text stays data -------------------------------------------------------------------------


def add_hostile_videos(store: Store) -> None:
    videos = [
        {
            "id": "7799999999999999999",
            "text": HOSTILE_TITLE,
            "createTimeISO": "2026-11-10T12:00:00.000Z",
            "diggCount": 900,
            "playCount": 12000,
            "shareCount": 3,
            "commentCount": 4,
            "webVideoUrl": "javascript:alert(1)",
            "authorMeta": {"name": "lumen.skincare", "fans": 25000},
        },
        {
            "id": "7799999999999999998",
            "text": "**rival** <script>x</script>",
            "createTimeISO": "2026-11-10T12:00:00.000Z",
            "diggCount": 50,
            "playCount": 1000,
            "webVideoUrl": "https://www.tiktok.com/@x/video/7799999999999999998",
            "authorMeta": {"name": HOSTILE_HANDLE, "fans": 100},
        },
    ]
    results = ingest_files(store, [("hostile.json", json.dumps(videos).encode())], today=date(2026, 11, 25))
    assert results[0].accepted == 2


def assert_only_as_data(at: AppTest, hostile: str) -> None:
    for text in texts(at):
        assert hostile not in text and "<img" not in text and "<b>" not in text and "**bold**" not in text, (
            text
        )


@pytest.mark.parametrize("page", ["pages/trends.py", "pages/content.py", "pages/benchmarks.py"])
def test_hostile_titles_and_handles_appear_only_as_data(page):
    at = open_page(page, before=add_hostile_videos)
    assert_only_as_data(at, HOSTILE_TITLE)
    if page != "pages/benchmarks.py":
        titles = [t for t in tables_with(at, "title", "url") if HOSTILE_TITLE in t["title"].tolist()]
        assert titles, "the hostile title is listed as data"
        row = titles[0][titles[0]["title"] == HOSTILE_TITLE].iloc[0]
        assert row["url"] == ""  # a javascript: link never becomes clickable: the cell is empty
    else:
        table = table_with(at, "account", "likes_per_1k_followers")
        assert HOSTILE_HANDLE in table["account"].tolist()
        cards = [m.value for m in at.markdown if "evil" in m.value]
        assert cards == [f"**@{escape_md(HOSTILE_HANDLE)}**"]


def test_a_hostile_group_name_stays_data():
    at = open_page("pages/content.py")
    at.text_input[0].input("<b>x</b> **g**")
    at.text_input[1].input("serum")
    at.button[0].click()
    at.run()
    assert "<b>x</b> **g**" in table_with(at, "group", "likes_uplift")["group"].tolist()
    for text in texts(at):
        assert "<b>x</b>" not in text and "**g**" not in text, text


# --- posting times ---------------------------------------------------------------------------------


def add_studio_content_video(store: Store) -> None:
    """A Studio Content row for the demo account: TikTok gives its posting day, not the hour."""
    content_csv = (
        '\ufeff"Time","Video title","Video link","Post time","Total likes","Total comments",'
        '"Total shares","Total views"\n"November 24","Day only #studio",'
        '"https://www.tiktok.com/@lumen.skincare/video/7706557744467161145","November 10",'
        '"99000","10","5","990000"\n'
    )
    results = ingest_files(store, [("Content.csv", content_csv.encode())], export_date=date(2026, 11, 24))
    assert results[0].accepted == 1


def shown_text(at: AppTest, *columns: str) -> pd.DataFrame:
    """What the first dataframe with `columns` shows in its cells: its Styler's display values."""
    element = next(d for d in at.dataframe if set(columns) <= set(d.value.columns))
    return convert_arrow_bytes_to_pandas_df(element.proto.arrow_data.styler.display_values)


def test_a_video_list_shows_the_posting_hour_only_where_the_export_gives_one():
    at = open_page("pages/content.py", before=add_studio_content_video)
    shown = shown_text(at, "title", "outlier").set_index("video_id")["posted_at"]
    assert shown["7706557744467161145"] == "Tue 10 Nov 2026"  # Studio: the day alone, not "00:00"
    assert shown["7701060321405967777"] == "Mon 26 Oct 2026, 19:27"  # scraped: the hour is known
    assert shown.str.fullmatch(r"\w{3} \d{1,2} \w{3} \d{4}(, \d\d:\d\d)?").all()


# --- Overview and Benchmarks on real-format accounts -----------------------------------------------


def shape_store(name: str) -> tuple[Callable[[Store], None], Store]:
    """`before` for open_page that replaces the session's data with the shape's files, and the same
    data in a store of its own (for the values the page must show)."""
    shape = build(name)
    options: dict = dict(shape.options)
    if "export_date" in options:
        options["export_date"] = date.fromisoformat(options["export_date"])

    def before(store: Store) -> None:
        store.clear()
        ingest_files(store, list(shape.files.items()), **options)

    own = Store()
    before(own)
    return before, own


def default_period(store: Store) -> tuple[str, date, date]:
    account = store.primary_account()
    first, last = scope.data_extent(store, account)
    return account, max(first, last - timedelta(days=89)), last


def cards(at: AppTest) -> dict[str, object]:
    return {m.label: m for m in at.metric}


NEVER_SHOWN = ("None", "nan", "inf", "0.000000", "1 videos", "1 days")


def placeholders(text: str) -> list[str]:
    """The NEVER_SHOWN texts in `text`: words as words ("financial" is not "nan"), counts after a
    word boundary ("81 days" is not "1 days"), zeros anywhere ("10.000000" shows one too)."""
    words = [bad for bad in NEVER_SHOWN if bad != "0.000000" and re.search(rf"\b{re.escape(bad)}\b", text)]
    return words + (["0.000000"] if "0.000000" in text else [])


@pytest.fixture
def viral() -> Iterator[tuple[AppTest, Store]]:
    before, store = shape_store("viral")
    yield open_page("pages/overview.py", before=before), store
    store.close()


@pytest.fixture
def tiny() -> Iterator[tuple[AppTest, Store]]:
    before, store = shape_store("tiny")
    yield open_page("pages/overview.py", before=before), store
    store.close()


def test_overview_compares_nothing_when_the_previous_period_has_no_data(viral):
    at, store = viral
    shown = cards(at)
    # The 83 days shown reach back to the first video; nothing exists before them.
    for label in ("Likes", "Likes per day", "Like rate", "Videos", "Profile views", "Net follower change"):
        card = shown[label]
        assert card.proto.delta == "no earlier data", label
        assert (card.proto.color, card.proto.direction) == (card.proto.GRAY, card.proto.NONE), label
    assert shown["Videos"].value == "9"


def test_overview_gives_the_rate_by_follower_as_n_a_with_the_reason_and_the_rule(viral):
    at, store = viral
    card = cards(at)["Engagement rate by follower"]
    assert card.value == "n/a"
    assert card.proto.delta == ("followers ×139 in the period")
    assert FOLLOWER_BASE_RULE in card.help
    reason = (
        "followers ×139 in the period: they grew from 24 to 3,327, and a rate on a moving base means nothing"
    )
    assert f"Why n/a — {reason}." in card.help
    assert escape_md(f"Engagement rate by follower — {reason}.") in [c.value for c in at.caption]
    assert "435.7 interactions per day / 1,723 average followers (24 days)" in card.help


def test_overview_says_its_trend_reads_within_the_period_beside_a_comparison_with_the_one_before(viral):
    # dormant read "changed by a factor of 114" beside "no clear trend", both true, without saying why.
    at, _ = viral
    caption = next(c.value for c in at.caption if c.value.startswith("The trend of daily likes is"))
    assert caption.endswith(
        "It reads how daily likes moved within the period; the comparison with the period before sets the "
        "two periods' totals side by side, so a period far above the one before can still be flat within itself."
    )


def test_overview_likes_per_day_says_what_it_divides_by(viral):
    at, store = viral
    account, start, end = default_period(store)
    likes = values.daily_results(store, account, start, end)["likes"]
    card = cards(at)["Likes per day"]
    assert card.value == f"{likes.value / likes.rows:,.1f}" == "403.1"
    assert f"This period: {likes.value:,} likes / {likes.rows} days." in card.help


def test_overview_shows_the_coverage_of_a_partly_covered_previous_period(tiny):
    at, store = tiny
    account, start, end = default_period(store)
    expected = comparison.compare_periods(store, account, start, end).set_index(["grain", "name"])
    likes = expected.loc[("per_day", "likes")]
    # The period's last 2 days are provisional: its 88 settled days against the 88 days before.
    assert (likes["current_rows"], likes["previous_rows"], likes["period_days"]) == (88, 28, 88)
    card = cards(at)["Likes"]
    assert card.proto.delta == kpi_text(likes["delta"], "{:+,.0f}")
    # The total of 88 days against 28: the bases beside the change, uncoloured (the likes a day
    # fell); and 28 days before the period, too little history to judge it (the digest says so too).
    assert card.proto.delta_description == "previous: 28 of 88 days"
    assert "Previous period: 5 (28 days)." in card.proto.help
    assert (
        "(264 days needed before this period, 28 there), so it is not called a rise or a fall"
        in card.proto.help
    )
    assert (card.proto.color, card.proto.direction) == (card.proto.GRAY, card.proto.NONE)
    follower = cards(at)["Engagement rate by follower"]
    assert follower.value == "n/a"
    assert follower.proto.delta == "41 followers on average"


@pytest.mark.parametrize("shape", ["tiny", "viral"])
def test_overview_never_shows_a_placeholder(shape, request):
    at, _ = request.getfixturevalue(shape)
    shown = [unescaped(t) for t in texts(at)]  # as read: "0\\.000000" is 0.000000 on screen
    shown += [f"{m.proto.delta} {m.proto.delta_description}" for m in at.metric]
    table = table_with(at, "KPI", "This period", "Previous period")
    shown += [str(v) for v in table.to_numpy().ravel()]
    for text in shown:
        assert not placeholders(text), (placeholders(text), text)
    assert len(table) > 20 and unfilled_kpi_cells(table) == []


def test_benchmarks_say_why_a_small_account_has_no_rate_by_follower():
    before, store = shape_store("tiny")
    at = open_page("pages/benchmarks.py", before=before)
    account, start, end = default_period(store)
    reason = values.video_results(store, account, start, end)["engagement_rate_by_follower"].reason
    store.close()
    by_follower = pd.concat(
        t
        for t in tables_with(at, "definition", "account_value")
        if t["metric"].iloc[0] == "engagement_rate_by_follower"
    )
    assert set(by_follower["account_value"]) == {"n/a"} and set(by_follower["difference"]) == {"n/a"}
    caption = next(c.value for c in at.caption if "No diamond" in c.value)
    assert re.fullmatch(
        r"\d\d followers on average: a rate by follower needs at least 1,000; .*", reason or ""
    )
    assert escape_md(reason) in caption
    assert escape_md(FOLLOWER_BASE_RULE) in caption
    for text in map(unescaped, texts(at)):
        assert not placeholders(text), (placeholders(text), text)
