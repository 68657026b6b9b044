"""AppTest tests of the Portfolio page on a scrape of about 800 accounts: the ranks and values kpi_core
computes, sorting, the search box, the sentences that say why an account has no rank, the hashtag
table with its prior, and handles that stay data."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kpi_core.ingest import ingest_paths
from kpi_core.metrics import hashtags, portfolio
from kpi_core.metrics.trends import likes_trend
from kpi_core.store import Store
from tests.test_pages_analysis import DEMO, add_hostile_videos, open_page, table_with, tables_with, texts
from tests.test_pages_tiny import assert_nothing_forbidden, load
from ui import portfolio as view
from ui.text import escape_md

PAGE = "pages/portfolio.py"


@pytest.fixture(scope="module")
def scrape() -> Store:
    store = Store()
    load("scraper_many")(store)
    return store


@pytest.fixture(scope="module")
def demo() -> Iterator[Store]:
    store = Store()
    ingest_paths(store, DEMO)
    yield store
    store.close()


@pytest.fixture(scope="module")
def page() -> AppTest:
    return open_page(PAGE, before=load("scraper_many"))


def accounts_shown(at: AppTest):  # type: ignore[no-untyped-def]
    return table_with(at, "rank", "account", "rank_note")


def test_the_page_ranks_every_account_as_kpi_core_does(page, scrape):
    expected = view.account_rows(portfolio.ranking(portfolio.portfolio(scrape), "like_rate"))
    shown = accounts_shown(page)
    assert len(shown) == len(expected) == 800
    for column in ("rank", "account", "videos", "likes", "like_rate", "likes_per_video_median", "rank_note"):
        assert shown[column].tolist() == expected[column].tolist(), column
    assert shown["rank"].head(6).tolist() == ["1", "2", "3", "4", "5", "6"]
    assert shown["rank"].iloc[6] == "n/a"


def test_the_page_says_what_the_ranking_rests_on(page, scrape):
    ranked = portfolio.ranking(portfolio.portfolio(scrape), "like_rate")
    sentence = (
        escape_md(portfolio.ranking_sentence(ranked, "like_rate")) + " " + escape_md(portfolio.SAMPLE_RULE)
    )
    assert sentence in [m.value for m in page.markdown]
    assert "Ranked on like rate: 6 of 800 accounts. 794 accounts have too few videos" in (
        portfolio.ranking_sentence(ranked, "like_rate")
    )
    notes = accounts_shown(page)["rank_note"]
    assert (notes.iloc[6:] != "").all() and (notes.head(6) == "").all()
    assert "only 1 video with likes and views (a rank needs 5)" in notes.tolist()


def test_ranking_by_another_kpi_and_lowest_first_reorders_the_table(scrape):
    at = open_page(PAGE, before=load("scraper_many"))
    at.selectbox(key="portfolio_rank_by").set_value("likes").run()
    expected = portfolio.ranking(portfolio.portfolio(scrape), "likes")
    assert accounts_shown(at)["account"].tolist() == expected["account"].tolist()
    assert any(m.value.startswith("Ranked on likes\\:") for m in at.markdown)
    at.toggle(key="portfolio_lowest").set_value(True).run()
    lowest = portfolio.ranking(portfolio.portfolio(scrape), "likes", descending=False)
    assert accounts_shown(at)["account"].tolist() == lowest["account"].tolist()
    assert accounts_shown(at)["rank"].iloc[0] == "1"


def test_the_search_box_keeps_the_ranks_of_the_whole_set(scrape):
    at = open_page(PAGE, before=load("scraper_many"))
    ranked = portfolio.ranking(portfolio.portfolio(scrape), "like_rate")
    second = ranked["account"].iloc[1]
    at.text_input(key="portfolio_search").input(second.upper()).run()
    shown = accounts_shown(at)
    assert second in shown["account"].tolist() and len(shown) < 800
    assert shown.set_index("account").loc[second, "rank"] == "2"
    assert f"match “{escape_md(second.upper())}”" in " ".join(c.value for c in at.caption)
    at.text_input(key="portfolio_search").input("no such handle").run()
    assert not tables_with(at, "rank", "account")
    assert escape_md("No account's handle contains “no such handle”.") in [i.value for i in at.info]


def test_the_hashtag_table_is_the_engine_s_with_its_prior(page, scrape):
    found, prior = hashtags.hashtag_finding(scrape)
    shown = table_with(page, "hashtag", "uplift", "interval")
    assert shown["hashtag"].tolist() == found.table["hashtag"].tolist()
    assert shown["videos"].tolist() == found.table["videos"].tolist()
    assert shown["verdict"].tolist() == found.table["verdict"].tolist()
    assert shown["needed"].tolist() == [
        hashtags.needed_text(None if pd.isna(n) else int(n), prior.videos)
        for n in found.table["videos_needed"]
    ]
    # The spread between hashtags is fitted as 0 (the prior's sentence says so): no "+0.0% to +0.0%"
    # intervals.
    assert prior.tau == 0
    assert set(shown["interval"]) <= {"none: shrunk to the set's rate", "none: it is the set"}
    assert "none: shrunk to the set's rate" in set(shown["interval"])
    captions = " ".join(c.value for c in page.caption)
    assert escape_md(prior.sentence) in captions
    assert "no more than chance would make them" in prior.sentence and not found.notes
    assert len(page.get("vega_lite_chart")) == 1


def test_nothing_shows_none_or_nan(page):
    assert_nothing_forbidden(page)


def test_the_demo_s_own_account_comes_first_with_its_trend_verdict(demo):
    at = open_page(PAGE)  # the demo: its own account and a scraped competitor
    shown = accounts_shown(at).set_index("account")
    assert shown.index.tolist() == demo.accounts() == ["lumen.skincare", "glow.theory"]
    assert shown.loc["lumen.skincare", "trend"] == likes_trend(demo, "lumen.skincare").verdict
    assert shown.loc["glow.theory", "trend"] == view.NO_DAILY  # a scrape has no daily likes
    assert any("2 accounts," in c.value for c in at.caption)


def test_hostile_handles_stay_data():
    at = open_page(PAGE, before=add_hostile_videos)
    assert "**evil**_<b>handle</b>" in accounts_shown(at)["account"].tolist()
    for text in texts(at):
        assert "<b>" not in text and "**evil**" not in text, text


def test_content_and_portfolio_show_one_like_rate_verdict_per_hashtag():
    # The same account over the same period: the Content page's hashtag table and the Portfolio
    # page's, set to "Only" that account and the sidebar's period, show the same verdicts and intervals.
    at = open_page("pages/content.py")
    content = table_with(at, "hashtag", "likes_uplift", "verdict")
    at.switch_page(PAGE).run()
    at.segmented_control(key="portfolio_period").set_value("sidebar").run()
    at.segmented_control(key="portfolio_hashtag_scope").set_value("one").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = table_with(at, "hashtag", "uplift", "interval").set_index("hashtag")
    assert len(content) >= 5 and set(content["hashtag"]) == set(shown.index)
    mine = content.set_index("hashtag").loc[shown.index]
    assert mine["verdict"].tolist() == shown["verdict"].tolist()
    assert mine["interval"].tolist() == shown["interval"].tolist()
    assert [f"{v:+.1f}%" for v in mine["uplift"]] == shown["uplift"].tolist()
