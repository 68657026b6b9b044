"""AppTest tests of the Content and Trends pages on a tiny account and on a scrape of many accounts
(data/shapes.py): a chart or table that would carry no information is one sentence with the real
counts, the empty chart is not drawn, and no element shows None, nan, inf, 0.000000 or "1 videos"."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from data import shapes
from kpi_core.ingest import ingest_files
from kpi_core.metrics import content_findings, scope, trend_findings
from kpi_core.metrics import hashtags as hashtags_model
from kpi_core.metrics.comparison import compare_periods
from kpi_core.report.summary import kpi_cards
from kpi_core.store import Store
from tests.conftest import markdown_tables, unescaped
from tests.test_pages_analysis import open_page, tables_with, texts
from ui import session
from ui.cards import OVERVIEW_CARDS
from ui.text import escape_md

FORBIDDEN = [
    re.compile(r"(?<![\w.])(None|nan|NaN|inf|-inf)(?![\w.])"),
    re.compile(r"\b0\.0{5,}"),
    re.compile(r"(?<![\d.,])1 (videos|days|posts|weeks|likes)\b"),  # "0.1 likes per day" is English
    re.compile(r"\(0 videos\)"),
]


def load(name: str) -> Callable[[Store], None]:
    """A `before` hook for open_page: the session's store holds only the shape's files."""
    shape = shapes.build(name)
    options = {k: date.fromisoformat(v) if k == "export_date" else v for k, v in shape.options.items()}

    def replace(store: Store) -> None:
        store.clear()
        ingest_files(store, list(shape.files.items()), today=shape.export_date, **options)

    return replace


@pytest.fixture(scope="module")
def tiny() -> Store:
    store = Store()
    load("tiny")(store)
    return store


@pytest.fixture(scope="module")
def scrape() -> Store:
    store = Store()
    load("scraper_many")(store)
    return store


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def chart_specs(at: AppTest) -> list[str]:
    return [c.proto.spec for c in at.get("vega_lite_chart")]


def chart_data(at: AppTest) -> list[pd.DataFrame]:
    return [
        convert_arrow_bytes_to_pandas_df(d.data.data)
        for c in at.get("vega_lite_chart")
        for d in c.proto.datasets
    ]


def shown_cells(at: AppTest) -> list[str]:
    """The text cells of every table shown; an empty cell must be given a text (the Styler's "n/a"),
    since the page would show it as None. Numbers are shown in their columns' formats."""
    cells: list[str] = []
    for element in at.dataframe:
        order = [c for c in (list(element.proto.column_order) or element.value.columns) if c in element.value]
        styled = element.proto.arrow_data.styler.display_values
        shown = convert_arrow_bytes_to_pandas_df(styled) if styled else None
        for column in order:
            for i, value in enumerate(element.value[column]):
                text = None if shown is None else str(shown[column].iloc[i])
                if pd.isna(value):
                    assert text not in (None, "nan", "NaN", "None", "<NA>", "NaT"), (column, text)
                    cells.append(str(text))
                elif isinstance(value, str):
                    cells.append(value)
    for table in markdown_tables(at):  # as read on screen
        cells += [str(value) for value in table.to_numpy().ravel()]
    return cells


def assert_nothing_forbidden(at: AppTest) -> None:
    labels = [v for f in chart_data(at) for v in f.to_numpy().ravel() if isinstance(v, str)]
    for text in [unescaped(t) for t in texts(at)] + shown_cells(at) + labels:  # as read on screen
        for pattern in FORBIDDEN:
            assert not pattern.search(text), text


def period(store: Store, days: int | None) -> tuple[str, date, date]:
    account = store.primary_account()
    first, last = scope.data_extent(store, account)
    assert account is not None and first is not None and last is not None
    start = first if days is None else max(first, date.fromordinal(last.toordinal() - days + 1))
    return account, start, last


# --- a tiny account: five videos, a few likes a day --------------------------------------------------


def test_tiny_content_ranks_its_five_videos_in_one_list_and_says_why_there_is_no_bottom_list(tiny):
    account, start, end = period(tiny, None)
    at = open_page("pages/content.py", before=load("tiny"), period="All data")
    ranked = content_findings.ranking(tiny, account, start, end, n=5)
    assert len(ranked.top) == 5 and ranked.bottom.empty
    assert escape_md(ranked.reason) in infos(at)
    assert (
        "Only 5 videos listed for this period can be ranked by likes, so they are one list" in ranked.reason
    )
    lists = [t for t in tables_with(at, "title", "like_rate") if not {"outlier", "likes_z"} & set(t.columns)]
    assert [t["video_id"].tolist() for t in lists] == [ranked.top["video_id"].tolist()]
    assert "**5 videos ranked by likes**" in [m.value for m in at.markdown]
    assert not [m.value for m in at.markdown if "Bottom" in m.value]
    assert_nothing_forbidden(at)
    # Its videos come from a Content export alone: the page says its video counts are a floor.
    note = content_findings.listed_videos_note(tiny, account)
    assert note is not None and note.startswith(
        "Video counts here are a floor: TikTok Studio's Content exports"
    )
    assert escape_md(note) in [c.value for c in at.caption]


def test_tiny_content_says_why_hashtags_groups_and_posting_slots_have_nothing_to_show(tiny):
    account, start, end = period(tiny, None)
    at = open_page("pages/content.py", before=load("tiny"), period="All data")
    hashtags, prior = content_findings.hashtag_finding(tiny, account, start, end)
    groups = content_findings.group_finding(tiny, account, start, end)
    slots = content_findings.posting_slot_finding(tiny, account, start, end)
    # No hashtag has the videos for a likes-per-video verdict: a note, and no chart of rows without
    # a claim. Their like rates against the account's can be shown (the Portfolio page's estimate,
    # with intervals as wide as five videos make them).
    assert hashtags.shown and prior.videos == 5 and prior.tau > 0
    assert hashtags.notes == (
        "Likes per video: no hashtag has enough videos to compare yet: each of the 5 needs at least 5 videos "
        "with it and 5 without it. The closest, #cozy (4 of the 5 videos), needs 1 more video with it and 4 "
        "more videos without it.",
    )
    assert escape_md(hashtags.notes[0]) in [c.value for c in at.caption]
    assert set(hashtags.table["verdict"]) == {hashtags_model.UNCLEAR}
    assert tables_with(at, "hashtag", "interval")[0]["verdict"].tolist() == hashtags.table["verdict"].tolist()
    assert groups.reason == "The group collab has no videos in this period: no title matches its rules."
    assert slots.reason is not None and slots.reason.startswith(
        "The 5 videos listed for this period have no posting hour"
    )
    for finding in (groups, slots):
        assert escape_md(finding.reason) in infos(at)
    assert not tables_with(at, "group")
    assert not tables_with(at, "weekday_name")
    # The charts: the hashtags' like rates, and the followers' hours (its FollowerActivity has people online).
    specs = chart_specs(at)
    assert len(specs) == 2 and "active_followers" in specs[0]
    assert "Like rate against the account's" in specs[1] and "likes_uplift" not in specs[1]
    assert_nothing_forbidden(at)


def test_tiny_content_over_the_last_90_days_says_outliers_need_two_more_videos(tiny):
    account, start, end = period(tiny, 90)
    at = open_page("pages/content.py", before=load("tiny"))
    outliers = content_findings.viral_outlier_finding(tiny, account, start, end)
    assert outliers.reason == (
        "Only 3 videos were listed for this period: telling a viral video from a typical one needs at least 5, "
        "so 2 more videos would allow it."
    )
    assert escape_md(outliers.reason) in infos(at)
    assert "Highlighted rows are viral outliers" not in " ".join(c.value for c in at.caption)
    assert "3 videos with likes listed for this period" in " ".join(c.value for c in at.caption)
    assert_nothing_forbidden(at)


def test_tiny_trends_over_the_last_90_days_keep_the_charts_but_not_the_correlation(tiny):
    account, start, end = period(tiny, 90)
    at = open_page("pages/trends.py", before=load("tiny"))
    correlation = trend_findings.correlation_finding(tiny, account, start, end)
    assert correlation.reason is not None and correlation.reason.startswith("Likes came on only ")
    assert escape_md(correlation.reason) in infos(at)
    specs = chart_specs(at)
    assert len(specs) == 4  # likes and rates per week, and the two rolling means
    assert not any("Spearman" in s for s in specs)
    assert not at.warning and not at.expander  # neither the caution nor the correlation table
    assert_nothing_forbidden(at)


def test_tiny_trends_over_four_weeks_without_likes_draw_no_chart_and_say_why(tiny):
    account, start, end = period(tiny, 28)
    at = open_page("pages/trends.py", before=load("tiny"), period="Last 28 days")
    sentences = [
        trend_findings.period_finding(tiny, account, start, end, "week").reason,
        trend_findings.rolling_finding(tiny, account, start, end).reason,
        trend_findings.correlation_finding(tiny, account, start, end).reason,
    ]
    days = trend_findings.period_finding(tiny, account, start, end, "week").table["days"].sum()
    assert days == 26  # 28 days but the last two, provisional
    assert sentences[0] is not None and sentences[0].startswith("No likes on any of the 26 days")
    for sentence in sentences:
        assert sentence is not None and escape_md(sentence) in infos(at)
    assert not chart_specs(at)
    assert tables_with(at, "likes_per_day", "first_day")  # the weekly table still has the views
    assert_nothing_forbidden(at)


# --- a scrape of about a thousand videos from about eight hundred accounts ------------------------------


def test_a_scraped_account_with_three_videos_says_why_each_section_is_empty(scrape):
    account, start, end = period(scrape, 90)
    at = open_page("pages/content.py", before=load("scraper_many"))
    findings = [
        content_findings.ranking(scrape, account, start, end, n=5).reason,
        content_findings.viral_outlier_finding(scrape, account, start, end).reason,
        content_findings.posting_slot_finding(scrape, account, start, end).reason,
        content_findings.audience_finding(scrape, account, start, end).reason,
        content_findings.hashtag_finding(scrape, account, start, end)[0].reason,
        content_findings.group_finding(scrape, account, start, end).reason,
    ]
    assert findings[2] == (
        "The 3 videos with a posting hour are spread over 3 weekday-and-hour slots, the busiest with 1 video: "
        "a slot needs at least 3 videos before its likes say anything about when to post."
    )
    for sentence in findings:
        assert sentence is not None and escape_md(sentence) in infos(at)
    assert not chart_specs(at)  # no heatmap of grey cells, no uplift dots, no bar at 0 videos
    assert not tables_with(at, "hashtag") and not tables_with(at, "group")
    assert_nothing_forbidden(at)
    # A scrape lists every video: no note that posting counts may fall short.
    assert content_findings.listed_videos_note(scrape, account) is None
    assert not [c.value for c in at.caption if c.value.startswith("Posting counts are")]


def test_a_scraped_account_has_no_daily_totals_on_the_trends_page(scrape):
    at = open_page("pages/trends.py", before=load("scraper_many"))
    assert "no daily totals" in " ".join(infos(at))
    assert not chart_specs(at)
    assert_nothing_forbidden(at)


def test_the_scrape_is_read_whole():
    shape = shapes.build("scraper_many")
    records = json.loads(next(iter(shape.files.values())))
    assert len(records) == 1000 and shape.truth["accounts"] > 700


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/trends.py", "pages/goals.py"])
def test_a_scrape_without_posting_times_opens_with_no_period_and_no_error(fixtures, page):
    """A scrape whose videos carry no posting time has no dated data: the sidebar offers no
    period, and nothing formats a missing day (NaT once reached the sidebar's caption)."""

    def scrape_only(store: Store) -> None:
        store.clear()
        data = (fixtures / "scrapers/tiktok_dataset.csv").read_bytes()
        [result] = ingest_files(store, [("tiktok_dataset.csv", data)], today=date(2026, 11, 20))
        assert result.accepted == 8

    at = open_page(page, before=scrape_only)  # asserts no exception
    assert scope.data_extent(session.store_in(at.session_state), None) == (None, None)
    assert not any(widget.key == "period" for widget in at.sidebar.selectbox)
    assert not any("NaT" in text for text in texts(at))


def test_tiny_overview_states_no_change_in_rates_of_three_videos_against_two(tiny):
    # The Overview coloured "-6.05 pp" red on the like rate of 3 videos against 2: one video's
    # likes make either value. Rates, means and medians of videos need 5 in each period.
    account, start, end = period(tiny, 90)
    at = open_page("pages/overview.py", before=load("tiny"))
    rows = compare_periods(tiny, account, start, end).set_index(["grain", "name"])
    assert (
        rows.at[("per_video", "like_rate"), "current_rows"],
        rows.at[("per_video", "like_rate"), "previous_rows"],
    ) == (3, 2)
    cards = {m.label: m for m in at.metric}
    for label in ("Like rate", "Engagement rate by view", "Likes per video (median)"):
        assert cards[label].delta == "too few videos to compare", label
        assert "too few videos to compare: 3 videos against 2 before" in cards[label].help
    # Totals of the same videos and the daily figures are still compared.
    assert cards["Likes"].delta == "+1"
    assert_nothing_forbidden(at)


def test_tiny_overview_and_report_call_its_videos_listed_not_posted(tiny):
    # tiny's videos come from Content exports alone: its tooltips said "From videos posted in the period".
    at = open_page("pages/overview.py", before=load("tiny"))
    cards = {m.label: m for m in at.metric}
    listed = "From the videos listed for the period (a sample of the posts): 3 videos."
    assert listed in cards["Videos"].help and listed in cards["Likes per video (median)"].help
    assert "From daily account totals (the Overview export): 88 days." in cards["Likes"].help
    account, start, end = period(tiny, 90)
    report_cards = kpi_cards(compare_periods(tiny, account, start, end), OVERVIEW_CARDS, listed=True)
    rate = next(c for c in report_cards if c.label == "Like rate")
    assert "(3 videos listed for the period)" in rate.formula
