"""What changed, in plain words: normal variation from the account's own history, sentences whose
figures are the engine's numbers, a change within normal variation never called a rise or a fall."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data.shapes import SHAPES as ALL_SHAPES
from data.shapes import write
from kpi_core.cli import main
from kpi_core.ingest import ingest_paths
from kpi_core.metrics.comparison import compare_periods
from kpi_core.metrics.digest import (
    MAX_SENTENCES,
    Digest,
    card_judgement,
    default_period,
    digest,
    period_bands,
)
from kpi_core.metrics.digest_sentences import trend_sentence
from kpi_core.metrics.drivers import driver_tree
from kpi_core.metrics.normal_variation import SHORT_SHARE, History, Usual, judge, usual, usual_median
from kpi_core.metrics.scope import NO_VIDEO_LIST
from kpi_core.metrics.trends import trend
from kpi_core.report.html import _card_html
from kpi_core.report.summary import kpi_cards, kpi_table
from kpi_core.store import Store
from tests.conftest import ShapeRun, add_days
from ui.cards import OVERVIEW_CARDS, overview_cards

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"

# --- normal variation ----------------------------------------------------------------------------


def test_normal_variation_holds_four_in_five_past_changes_on_the_log_scale():
    # Periods of 2 days over 10, 10, 20, 20, ...: consecutive periods double, stay, halve, stay.
    # Sizes |ln ratio|: ln 2, 0, ln 2, 0, ...; their 80th percentile is ln 2: -50% to +100%.
    u = usual(np.array([10.0, 10, 20, 20] * 10), None, 2, 40)
    assert u.comparisons == 40 - 2 * 2 + 1
    assert (u.low, u.high) == pytest.approx((-0.5, 1.0))
    assert u.verdict(0.99) == "within" and u.verdict(1.01) == "above" and u.verdict(-0.51) == "below"
    assert u.text == "-50% to +100%"
    assert Usual(30, True, -0.003, 0.002, 10).text == "-0.3% to +0.2%"  # never "-0% to +0%"
    assert Usual(30, True, -0.75, 3.0, 10).text == "-75% to ×4.0"  # as a change beyond +200% is written


def test_normal_variation_of_a_ratio_divides_the_sums():
    # Likes / views: 1/10 every day, whatever the views: no variation at all.
    views = np.array([10.0, 30, 20, 50] * 10)
    u = usual(views / 10, views, 2, 40)
    assert (u.low, u.high) == pytest.approx((0.0, 0.0))


def test_normal_variation_of_a_difference_is_symmetric():
    # Net follower change per day: 1, 1, 3, 3, ...: periods of 2 days differ by 0 or ±4.
    u = usual(np.array([1.0, 1, 3, 3] * 10), None, 2, 40, relative=False)
    assert (u.low, u.high, u.text) == (-4.0, 4.0, "±4")


def test_normal_variation_needs_three_periods_of_history():
    u = usual(np.ones(20), None, 7, 20)
    assert u.low is None and u.verdict(0.5) is None
    assert u.reason == "21 days needed before this period, 20 there"


def test_normal_variation_leaves_out_periods_with_too_few_days_of_data():
    values = np.ones(40)
    values[::2] = np.nan  # data on every other day: 50% of each period, under the 80% needed
    u = usual(values, None, 4, 40)
    assert u.comparisons == 0 and u.reason == "0 comparisons of two 4-day periods with data, 5 needed"


def test_normal_variation_of_a_median_takes_each_periods_own_videos():
    rng = np.random.default_rng(7)
    days = rng.integers(0, 200, 900)
    likes = rng.lognormal(4, 1, 900)
    likes[::50] = np.nan  # a video without likes is left out, as median() leaves it out
    days[:40] = rng.integers(0, 30, 40)  # a crowded first month
    u = usual_median(days, likes, 10, 180)
    # Each 10-day period's median over its own videos, as a loop would take it; a period with
    # fewer than 5 videos has none to compare.
    known = ~np.isnan(likes) & (days < 180)
    medians = []
    for end in range(int(days[known].min()) + 10, 181):
        inside = likes[known & (days >= end - 10) & (days < end)]
        medians.append(np.median(inside) if len(inside) >= 5 else np.nan)
    changes = np.log(np.array(medians[10:]) / np.array(medians[:-10]))
    changes = changes[np.isfinite(changes)]
    size = np.percentile(np.abs(changes), 80)
    assert u.comparisons == len(changes) > 100
    assert (u.low, u.high) == pytest.approx((math.expm1(-size), math.expm1(size)))


def test_normal_variation_of_a_median_needs_five_videos_a_period():
    days = np.arange(0, 60, 3)  # a video every third day: 3 or 4 in each 10-day period
    u = usual_median(days, np.full(len(days), 100.0), 10, 60)
    assert u.low is None and u.reason == "0 comparisons of two 10-day periods with data, 5 needed"
    assert usual_median(days, np.full(len(days), 100.0), 30, 60).reason == (
        "90 days needed before this period, 60 there"
    )
    assert usual_median(days[:0], days[:0] * 1.0, 10, 60).reason == "no data before this period"


# --- rise, fall or normal variation, on a store ------------------------------------------------


def swinging(store: Store, current_likes_per_day: int) -> Digest:
    """80 days in blocks of 10 at 100 and 150 likes a day (10x the views), then 10 days at
    `current_likes_per_day`. Consecutive 10-day periods then differ by at most ×1.5; four in five of
    the 61 comparisons are within 1450 / 1050 = ×1.381 either way: -28% to +38%."""
    first = date(2026, 1, 1)
    rows = []
    for day in range(90):
        likes = current_likes_per_day if day >= 80 else (100 if (day // 10) % 2 == 0 else 150)
        rows.append({"date": (first + timedelta(days=day)).isoformat(), "likes": likes, "views": 10 * likes})
    add_days(store, rows)
    return digest(store, "brand", first + timedelta(days=80), first + timedelta(days=89))


def test_a_change_within_normal_variation_is_called_that_not_a_rise(store):
    found = swinging(store, 160)  # the period before was a 150 block: +6.7%
    assert found.sentences[0].text == (
        "Likes received this period changed by +7% (1,600 against 1,500 in the 10 days before), within the "
        "account's normal variation (-28% to +38% between 10-day periods), so not a rise or a fall."
    )
    assert found.sentences[0].figures["normal variation"].text == "-28% to +38%"
    assert found.sentences[0].within_normal
    assert all(" rose " not in s.text and " fell " not in s.text for s in found.sentences)


def test_a_change_beyond_normal_variation_is_a_rise(store):
    found = swinging(store, 300)
    assert found.sentences[0].text.startswith(
        "Likes received this period rose 100% (3,000 against 1,500 in the 10 days before), beyond the "
        "account's normal variation (-28% to +38% between 10-day periods)."
    )
    assert not found.sentences[0].within_normal
    views = next(s for s in found.sentences if s.topic == "views")
    assert views.text.startswith("Views rose 100% (15,000 → 30,000), beyond its normal variation")
    assert views.figures["contribution"].value == pytest.approx(1500)  # the like rate stayed at 10%


def test_normal_variation_learned_here_matches_one_computed_straight_from_the_daily_likes(store):
    found = swinging(store, 300)
    daily = store.table("daily", "brand").set_index("date")["likes"].astype(float).iloc[:80]
    sums = daily.rolling(10).sum()
    sizes = np.abs(np.log(sums / sums.shift(10))).dropna()
    size = float(np.percentile(sizes, 80))
    expected = f"{math.expm1(-size):+.0%} to {math.expm1(size):+.0%}"
    assert found.sentences[0].figures["normal variation"].text == expected == "-28% to +38%"


def test_too_little_history_gives_the_change_as_a_number_and_says_why(store):
    add_days(
        store,
        [{"date": f"2026-03-{d:02d}", "likes": 10 if d <= 10 else 30, "views": 100} for d in range(1, 21)],
    )
    first = digest(store, "brand", "2026-03-11", "2026-03-20").sentences[0]
    assert first.text == (
        "Likes received this period changed by a factor of 3.0 (300 against 100 in the 10 days before), too "
        "little history to tell that from normal variation (30 days needed before this period, 10 there)."
    )


def test_a_base_of_zero_gives_no_percentage(store):
    add_days(
        store,
        [{"date": f"2026-03-{d:02d}", "likes": 0 if d <= 10 else 5, "views": 100} for d in range(1, 21)],
    )
    first = digest(store, "brand", "2026-03-11", "2026-03-20").sentences[0]
    assert first.text == (
        "Likes received this period: 50, against none in the 10 days before; a change from 0 has no "
        "percentage and no normal variation to compare with."
    )
    assert "relative change" not in first.figures


def test_an_empty_store_has_no_digest_and_says_why(store):
    found = digest(store, "brand")
    assert found.sentences == () and found.reason == "no data for this account yet"


def test_a_steady_studio_account_has_not_changed_though_its_export_ends_on_provisional_days(
    store, ingest_bytes, studio_csv
):
    # 400 days with exactly the same numbers, as TikTok Studio exports them: the last 2 days are
    # provisional. Its 88 settled days against 90 days before read "fell 2%, beyond the account's
    # normal variation" beside "no clear trend"; against the 88 days before, nothing changed.
    first = date(2025, 1, 1)
    rows = [[f"{first + timedelta(days=i):%B %-d, %Y}", "1000", "30", "100", "5", "2"] for i in range(400)]
    header = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
    ingest_bytes(("Overview.csv", studio_csv(header, rows)), export_date=date(2026, 2, 5))
    found = digest(store)
    assert (found.date_from, found.date_to) == (date(2025, 11, 7), date(2026, 2, 4))
    texts = [s.text for s in found.sentences]
    assert texts[0] == "Likes received this period: 8,800, the same as in the 88 days before."
    assert "Profile views: 2,640, the same as in the 88 days before." in texts
    assert not any(re.search(r"\b(rose|fell)\b", t) for t in texts), texts
    likes = found.sentences[0].figures
    assert likes["likes before"].formula == (
        "sum of daily likes over the 88 days of 11 Aug – 6 Nov 2025 with both likes and views"
    )
    assert "consecutive 88-day periods" in likes["normal variation"].formula
    assert found.note == (
        "Per-day figures compare 7 Nov 2025 – 2 Feb 2026 (88 days) with the 88 days before: the daily data "
        "after 2 Feb is provisional, as TikTok may still update it."
    )


def test_a_followers_export_newer_than_the_overview_does_not_make_a_steady_account_fall(
    store, ingest_bytes, studio_csv
):
    # The steady Overview of the test above (to 4 Feb, the last 2 days provisional), then a Followers
    # export of ten days later. Its settled days used to end the Overview's provisional tail, and
    # its days without likes counted in the period: 7,800 likes against 8,800, "fell 11%, beyond the
    # account's normal variation". The Overview's days decide which days per-day figures compare.
    first = date(2025, 1, 1)
    rows = [[f"{first + timedelta(days=i):%B %-d, %Y}", "1000", "30", "100", "5", "2"] for i in range(400)]
    header = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
    ingest_bytes(("Overview.csv", studio_csv(header, rows)), export_date=date(2026, 2, 5))
    followers = [[f"{first + timedelta(days=i):%B %-d, %Y}", str(5000 + i), "1"] for i in range(300, 410)]
    ingest_bytes(
        (
            "FollowerHistory.csv",
            studio_csv(["Date", "Followers", "Difference in followers from previous day"], followers),
        ),
        export_date=date(2026, 2, 15),
    )
    found = digest(store, date_from=date(2025, 11, 17), date_to=date(2026, 2, 14))
    texts = [s.text for s in found.sentences]
    assert texts[0] == "Likes received this period: 7,800, the same as in the 78 days before."
    assert not any(re.search(r"\b(rose|fell)\b", t) for t in texts), texts
    assert found.note == (
        "Per-day figures compare 17 Nov 2025 – 2 Feb 2026 (78 days) with the 78 days before: the daily data "
        "of 3 Feb – 4 Feb is provisional, as TikTok may still update it, and the files loaded have no Overview "
        "data after 4 Feb (upload a newer Overview export to include those days)."
    )
    assert (found.tree.now.rows, found.tree.before.rows) == (78, 78)


# --- the account shapes: the sentences' figures are the engine's numbers --------------------------

SHAPES = ("tiny", "viral", "declining", "growing", "dormant", "negative_comments", "spiky", "level_shift")
NEVER = re.compile(r"\b(None|nan|NaN|inf)\b")


def overview_of(store: Store, account: str, start: date, end: date) -> tuple[pd.DataFrame, dict, dict]:
    """A period's comparison, its bands and its Overview cards by label, as the Overview builds them."""
    comparison = compare_periods(store, account, start, end)
    bands = period_bands(store, account, start, end)
    return comparison, bands, {c.label: c for c in overview_cards(comparison, bands)}


@pytest.fixture(scope="module")
def digests(shape_run: Callable[[str], ShapeRun]) -> dict[str, tuple[Digest, Store]]:
    out = {}
    for name in SHAPES:
        store = shape_run(name).store
        out[name] = (digest(store), store)
    return out


@pytest.mark.parametrize("name", SHAPES)
def test_a_digest_states_the_change_in_likes_first_then_ranks_the_rest(name, digests):
    found, _ = digests[name]
    assert 1 <= len(found.sentences) <= MAX_SENTENCES
    assert found.sentences[0].topic == "likes"
    rest = found.sentences[1:]
    assert [(s.within_normal, -s.effect) for s in rest] == sorted((s.within_normal, -s.effect) for s in rest)
    for sentence in found.sentences:
        assert not NEVER.search(sentence.text), sentence.text
        assert sentence.figures, sentence.text
        for figure in sentence.figures.values():
            assert figure.formula and not NEVER.search(figure.text), figure


@pytest.mark.parametrize("name", SHAPES)
def test_a_digests_figures_are_the_driver_trees_and_the_period_comparisons(name, digests):
    found, store = digests[name]
    assert found.date_from is not None and found.date_to is not None
    tree = driver_tree(store, found.account, found.date_from, found.date_to)
    comparison = compare_periods(store, found.account, found.date_from, found.date_to).set_index(
        ["grain", "name"]
    )
    for sentence in found.sentences:
        f = sentence.figures
        if sentence.topic == "likes" and tree.reason is None:
            assert (f["likes now"].value, f["likes before"].value) == (tree.now.likes, tree.before.likes)
        elif sentence.topic == "likes":  # not split: the daily likes the cards show, when there are some
            row = comparison.loc[("per_day", "likes")]
            if pd.isna(row["current"]):
                assert (f["likes now"].value, f["likes before"].value) == (tree.now.likes, tree.before.likes)
            else:
                assert f["likes now"].value == row["current"]
                if pd.isna(row["previous"]):
                    assert "likes before" not in f, sentence.text
                else:
                    assert f["likes before"].value == row["previous"]
        elif sentence.topic in tree.contributions and "contribution" in f:
            assert f["contribution"].value == pytest.approx(tree.contributions[sentence.topic])
        elif sentence.topic == "profile_views":
            row = comparison.loc[("per_day", "profile_views")]
            assert f["profile views now"].value == row["current"]
            if "profile views before" in f:
                assert f["profile views before"].value == row["previous"]
        elif sentence.topic == "followers":
            row = comparison.loc[("per_day", "net_follower_change")]
            assert f["net follower change now"].value == row["current"]
        elif sentence.topic == "spike":
            assert f["top share"].value == tree.spike.top_share


@pytest.mark.parametrize("name", SHAPES)
def test_a_change_is_called_a_rise_or_a_fall_only_beyond_normal_variation(name, digests):
    found, _ = digests[name]
    for sentence in found.sentences:
        if sentence.topic == "trend":
            continue  # the trend's own test: a direction only when its interval excludes 0
        claims = re.search(r"\b(rose|fell)\b", sentence.text)
        assert bool(claims) == (not sentence.within_normal and "normal variation" in sentence.figures), (
            sentence.text
        )


def test_a_viral_month_with_nothing_before_it_has_no_split_and_names_its_video(digests, shape_run):
    found, store = digests["viral"]
    truth = shape_run("viral").shape.truth
    daily = store.table("daily", found.account)
    settled = daily[~daily["provisional"].astype(bool) & (daily["date"] >= pd.Timestamp(found.date_from))]
    # The month's daily likes, as the Likes card shows them, not the tree's: nothing to compare with.
    # The days before are the header's (81 settled days), not the tree's calendar period (84 days).
    assert found.note is not None and found.note.startswith(
        "Per-day figures compare 11 Dec 2025 – 1 Mar 2026 (81 days) with the 81 days"
    )
    assert found.sentences[0].text == (
        "Likes: 9,674 this period (on 24 of its 81 days); the change is n/a: no earlier data (the 81 days "
        "before, 21 Sep – 10 Dec 2025, have no daily likes)."
    )
    assert settled["likes"].notna().sum() == 24
    assert found.sentences[0].figures["likes now"].value == 9674 == settled["likes"].sum()
    spike = next(s for s in found.sentences if s.topic == "spike")
    assert spike.text == (
        "98% of the likes of the 9 videos listed for this period came from one video, posted on 15 Feb (a "
        "viral outlier)."
    )  # a Content export's videos: a sample of the posts, not every one (scope.videos_listed_only)
    assert found.tree is not None and found.tree.spike.top_video is not None
    assert found.tree.spike.top_video["video_id"] == truth["top_video_id"]


def test_a_daily_only_account_tells_views_from_like_rate(digests):
    found, _ = digests["negative_comments"]
    assert found.tree is not None and found.tree.source == "daily"
    topics = [s.topic for s in found.sentences]
    assert topics[0] == "likes" and {"views", "like_rate"} <= set(topics)
    # Its like rate is the daily totals': the Overview's "Like rate" card (videos posted in the
    # period) reads n/a beside it, so the sentence names which like rate it is.
    rate = next(s for s in found.sentences if s.topic == "like_rate")
    assert rate.text.startswith("Like rate of the daily totals rose 10% (0.57% → 0.62%)"), rate.text
    assert set(rate.figures) >= {"like rate now", "like rate before"}  # stable names for --json
    assert rate.figures["like rate now"].formula.startswith("sum of daily likes / sum of daily views")


# --- the command line ----------------------------------------------------------------------------


def run(*argv: object) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main([str(a) for a in argv])
    return status, out.getvalue()


def test_the_digest_command_prints_the_engines_sentences_as_json(tmp_path, digests):
    paths = write("declining", tmp_path)
    status, text = run("digest", *paths, "--json")
    assert status == 0
    printed = json.loads(text)
    expected, _ = digests["declining"]
    assert [s["text"] for s in printed["sentences"]] == [s.text for s in expected.sentences]
    first = printed["sentences"][0]["figures"]
    assert set(first["likes now"]) == {"value", "text", "formula"}
    assert expected.note is not None and printed["note"] == expected.note
    status, text = run("digest", *paths)
    assert status == 0 and text.count("\n- ") == len(expected.sentences)
    assert text.splitlines()[1] == expected.note


def test_the_digest_of_a_period_is_the_one_the_overview_opens_on(digests):
    found, store = digests["spiky"]
    first, last = pd.Timestamp("2024-03-18").date(), found.date_to
    assert (found.date_from, found.date_to) == (first, last) and (last - first).days == 89


def test_a_trend_fitted_on_weekly_averages_says_so_in_the_digest_and_its_trace():
    days = [date(2025, 1, 6) + timedelta(days=i) for i in range(400)]
    found = trend(days, [100 + i // 7 for i in range(400)])
    (sentence,) = trend_sentence(found, likes_per_day=130.0)
    assert sentence.text.endswith(
        "over 400 days, on 57 weekly averages (1 day left out: a week counts with at least 4 days of data)."
    )
    assert sentence.figures["slope"].formula.endswith(", fitted on 57 weekly averages")


@pytest.mark.parametrize("shape", ALL_SHAPES)
def test_the_cards_judge_each_per_day_change_by_the_digests_own_band(shape, shape_store):
    # The Overview coloured declining's likes "-2.2K" red under a digest that called the same -31%
    # "within the account's normal variation, so not a rise or a fall": both now use one band.
    _, store = shape_store(shape)
    account = store.primary_account()
    period = default_period(store, account)
    if period is None:
        pytest.skip(f"{shape} has no dated data")
    found = digest(store, account, *period)
    _, _, cards = overview_of(store, account, *period)
    topics = {"likes": "Likes", "profile_views": "Profile views", "followers": "Net follower change"}
    judged = 0
    for sentence in found.sentences:
        placed = "normal variation" in sentence.text and "n/a" not in sentence.text
        daily = sentence.topic != "likes" or (found.tree is not None and found.tree.source == "daily")
        if sentence.topic in topics and placed and daily:
            # The sentence and its card say the same: a rise or a fall only beyond the band.
            assert cards[topics[sentence.topic]].muted == sentence.within_normal, (shape, sentence.text)
            judged += 1
    # Shapes without earlier data or daily totals (a 7-day download, a scrape, an archive) place none.
    unplaced = ("viral", "download_7d", "download_28d", "download_your_data", "legacy_2021", "legacy_2022")
    assert (judged > 0) == (shape not in (*unplaced, "scraper_many")), judged


def test_declining_calls_a_fall_the_size_of_its_usual_change_a_steady_fall(shape_store):
    # A year of decline: every one of the 100 past comparisons of 88-day periods was a fall (of 38 to
    # 57%), so the band of their size either way reached +117%, and a fall of 31% read "within the
    # account's normal variation, so not a rise or a fall". It is a fall, the same way as all of them.
    _, store = shape_store("declining")
    account = store.primary_account()
    period = default_period(store, account)
    found = digest(store, account, *period)
    assert found.sentences[0].text == (
        "Likes received this period fell 31% (4,894 against 7,139 in the 88 days before), within the "
        "account's normal variation in size (-54% to +117% between 88-day periods) but the same way as "
        "100 of the 100 past comparisons: a steady fall."
    )
    assert not found.sentences[0].within_normal
    comparison, bands, cards = overview_of(store, account, *period)
    assert (bands["likes"].comparisons, bands["likes"].falls, bands["likes"].rises) == (100, 100, 0)
    for label in ("Likes", "Likes per day", "Profile views"):
        assert not cards[label].muted and "a steady fall" in cards[label].help, label
    assert cards["Likes"].delta == "-2.2K"
    assert (
        "The change per day with data (-31%) is within the normal variation of daily likes in size "
        "(-54% to +117% between 88-day periods), but goes the same way as 100 of the 100 past "
        "comparisons: a steady fall." in cards["Likes"].help
    )
    # The net follower change went both ways before: within its band, it is not called either.
    assert (
        cards["Net follower change"].muted
        and cards["Net follower change"].delta_note == "within normal variation"
    )
    # The report's cards too: the same fall, coloured; a rate on too few videos says so.
    report_cards = {c.label: c for c in kpi_cards(comparison, OVERVIEW_CARDS, bands)}
    assert report_cards["Likes"].uncalled is None
    assert '<div class="delta down">-2,245 vs previous period</div>' in _card_html(report_cards["Likes"])
    assert '<div class="delta flat">too few videos to compare</div>' in _card_html(report_cards["Like rate"])


def test_a_change_within_the_band_is_steady_only_the_way_most_past_changes_went():
    short = {"short_comparisons": 60}
    falling = Usual(28, True, -0.5, 1.0, 20, rises=3, falls=17, short_rises=20, short_falls=40, **short)
    assert falling.steady(-0.2) == 17 and falling.verdict(-0.2) == "below"  # 85% falls, 67% of shorter
    assert falling.steady(0.2) is None and falling.verdict(0.2) == "within"
    assert falling.steady(0.0) is None and falling.verdict(0.0) == "within"
    mixed = Usual(28, True, -0.5, 1.0, 20, rises=5, falls=15, short_rises=20, short_falls=40, **short)
    assert mixed.steady(-0.2) is None and mixed.verdict(-0.2) == "within"  # 75%: not four in five
    # Four in five long comparisons fell, but only half of the shorter ones: one drop, not a slide.
    jump = Usual(28, True, -0.5, 1.0, 20, rises=3, falls=17, short_rises=30, short_falls=30, **short)
    assert jump.steady(-0.2) is None and jump.verdict(-0.2) == "within"
    assert judge(falling, -0.2, "likes").sentence == (
        "The change per day with data (-20%) is within the normal variation of likes in size (-50% to +100% "
        "between 28-day periods), but goes the same way as 17 of the 20 past comparisons: a steady fall."
    )
    assert falling.placed(-0.6, "its") == "beyond its normal variation (-50% to +100% between 28-day periods)"
    learned = usual(np.array([100.0 * 0.99**d for d in range(200)]), None, 10, 200)  # 1% less each day
    assert (learned.rises, learned.falls) == (0, learned.comparisons) and learned.verdict(-0.05) == "below"
    assert (learned.short_days, learned.short_falls) == (7, learned.short_comparisons)


def test_one_jump_between_flat_stretches_is_no_steady_rise():
    # 100 likes a day, then 200 from day 150: every comparison of 88-day periods across the jump rose,
    # and "+6%, a steady rise" stood beside "no clear trend in daily likes". The 29-day periods' changes
    # rose only across the jump.
    rng = np.random.default_rng(7)
    likes = np.where(np.arange(275) < 150, 100.0, 200.0) * rng.normal(1, 0.1, 275)
    band = usual(likes, None, 88, 275)
    assert band.rises >= 0.8 * band.comparisons  # the long comparisons: nearly all rises
    assert band.short_days == 29 and band.short_rises < SHORT_SHARE * band.short_comparisons
    assert band.steady(0.06) is None and band.verdict(0.06) == "within"
    # A steady climb of 0.3% a day rises at both lengths.
    climb = usual(100.0 * 1.003 ** np.arange(275) * rng.normal(1, 0.1, 275), None, 88, 275)
    assert climb.steady(0.06) is not None and climb.verdict(0.06) == "above"


def test_without_enough_shorter_periods_the_long_comparisons_decide_alone():
    # A video a week, its median likes falling for two years: every 90-day period has a median, no
    # 30-day period has the 5 videos one needs, so the shorter periods cannot tell a jump from a slide.
    days = np.arange(0, 730, 7)
    likes = 1000 * np.exp(-0.5 * days / 365) * np.random.default_rng(3).normal(1, 0.05, len(days))
    band = usual_median(days, likes, 90, 730)
    assert band.falls == band.comparisons > 500 and band.short_comparisons == 0
    assert band.steady(-0.1) == band.falls and band.verdict(-0.1) == "below"
    few = Usual(28, True, -0.5, 1.0, 20, rises=3, falls=17, short_comparisons=4, short_rises=4)
    assert few.steady(-0.2) == 17  # 4 shorter comparisons (all rises) are too few to overrule 17 of 20


def test_level_shift_s_digest_calls_no_steady_rise_beside_no_clear_trend(shape_store):
    _, store = shape_store("level_shift")
    account = store.primary_account()
    found = digest(store, account, *default_period(store, account))
    texts = [s.text for s in found.sentences]
    assert not [t for t in texts if "steady" in t], texts
    assert (
        texts[0].startswith("Likes received this period changed by +6%")
        and "not a rise or a fall" in texts[0]
    )
    assert any(t.startswith("No clear trend in daily likes") for t in texts)


BAND = Usual(30, True, -0.2, 0.25, 10)


@pytest.mark.parametrize(
    ("band", "change", "muted", "note", "start"),
    [
        (BAND, 0.5, False, None, "The change per day with data (+50%) is beyond the normal variation of likes"),
        (BAND, -0.3, False, None, "The change per day with data (-30%) is beyond"),
        (BAND, 0.25, True, "within normal variation", "The change per day with data (+25%) is within"),
        (BAND, -0.1, True, "within normal variation", "The change per day with data (-10%) is within"),
        (Usual(30, False, -40.0, 40.0, 10), -60.0, False, None, "The change per day with data (-60 over 30 days)"),
        (BAND, None, True, "from 0: not judged", "A change from or to 0 has no size to place"),
        # a change the nearest whole percent would print "+0%" beside a band it is beyond
        (Usual(30, True, -0.002, 0.002, 10), 0.003, False, None, "The change per day with data (+0.3%) is beyond"),
        (BAND, 4.0, False, None, "The change per day with data (×5.0) is beyond"),  # as the digest writes it
        (Usual(30, True, reason="90 days needed before this period, 28 there"), 0.5, True,
         "too little history to judge", "Too little history to tell this change from the normal variation of likes"),
    ],
)  # fmt: skip
def test_a_change_is_a_rise_or_a_fall_only_beyond_its_band(band, change, muted, note, start):
    judged = judge(band, change, "likes")
    assert (judged.muted, judged.note) == (muted, note)
    assert judged.sentence.startswith(start)


def test_a_period_missing_days_is_judged_by_its_level_per_day():
    # 100 likes a day in both periods, the earlier one with 28 of its 88 days: its total is a third,
    # its level the same. Judged on totals, +214% would have read as a rise.
    band = Usual(88, True, -0.5, 1.0, 10)
    assert band.level_change(8800, 88, 2800, 28) == 0.0
    row = {
        "grain": "per_day", "name": "likes", "current": 8800, "previous": 2800,
        "current_rows": 88, "previous_rows": 28,
    }  # fmt: skip
    judged = card_judgement(row, {"likes": band})
    assert judged is not None and judged.muted and judged.note == "within normal variation"
    followers = Usual(88, False, -100.0, 100.0, 10)
    assert followers.level_change(880, 88, 140, 28) == pytest.approx(880 - 440)  # 10 a day against 5
    assert Usual(88, True).level_change(5, 88, 0, 28) is None  # from 0: no relative size
    assert card_judgement(
        {**row, "name": "likes_per_day", "current": 100.0, "previous": 50.0}, {"likes": band}
    ).muted
    assert card_judgement({**row, "grain": "per_video"}, {"likes": band}) is None  # no band for it


def test_the_digest_calls_no_change_in_a_like_rate_of_three_videos_against_two(store):
    # The card said "too few videos to compare" while the digest read "Like rate changed by +170%".
    from tests.conftest import add_videos

    before = [{"posted_at": f"2026-02-{d:02d}", "likes": 11, "views": 100} for d in (5, 20)]
    now = [
        {"posted_at": f"2026-03-{d:02d}", "likes": likes, "views": 100}
        for d, likes in ((5, 20), (15, 30), (25, 39))
    ]
    add_videos(store, before + now, snapshot="2026-04-01")
    found = digest(store, "brand", date(2026, 3, 1), date(2026, 3, 31))
    assert found.tree is not None and found.tree.source == "videos"
    rate = next(s for s in found.sentences if s.topic == "like_rate")
    assert (
        "on 3 videos against 2: too few videos to call it a change (at least 5 in each period)" in rate.text
    )
    assert rate.within_normal
    table = compare_periods(store, "brand", date(2026, 3, 1), date(2026, 3, 31))
    card = table.set_index(["grain", "name"]).loc[("per_video", "like_rate")]
    assert str(card["comparison"]).startswith("too few videos to compare: 3 videos against 2 before")


def test_a_like_rate_and_a_video_count_are_judged_as_levels_of_the_calendar_period():
    # The demo's like rate 4.93% against 6.30% (-22%) within a band of -26% to +35%: not a fall.
    rate = {"grain": "per_video", "name": "like_rate", "current": 0.0493, "previous": 0.063,
            "current_rows": 38, "previous_rows": 37, "period_days": 90}  # fmt: skip
    judged = card_judgement(rate, {"video_like_rate": Usual(90, True, -0.26, 0.35, 50)})
    assert judged is not None and judged.muted
    assert judged.sentence.startswith("The change (-22%) is within the normal variation of the like rate")
    # 38 videos against 30 in 90 days each: +27%, beyond a band of -10% to +11%.
    count = {**rate, "name": "videos", "current": 38, "previous": 30}
    beyond = card_judgement(count, {"posts": Usual(90, True, -0.1, 0.11, 50)})
    assert beyond is not None and not beyond.muted and beyond.sentence.endswith("a rise.")


def test_the_engagement_rates_and_the_median_are_judged_as_levels_against_their_own_bands():
    # The Overview coloured these three while the like rate beside them read "within normal variation".
    row = {"grain": "per_video", "name": "likes_per_video_median", "current": 150.0, "previous": 100.0,
           "current_rows": 38, "previous_rows": 37, "period_days": 90}  # fmt: skip
    rise = card_judgement(row, {"median_likes": Usual(90, True, -0.3, 0.44, 50)})
    assert rise is not None and not rise.muted
    assert rise.sentence == (
        "The change (+50%) is beyond the normal variation of the median likes of each period's videos "
        "(-30% to +44% between 90-day periods): a rise."
    )
    rate = {**row, "name": "engagement_rate_by_view", "current": 0.055, "previous": 0.06}
    within = card_judgement(rate, {"video_engagement_rate": Usual(90, True, -0.23, 0.3, 50)})
    assert within is not None and within.muted and within.sentence.startswith("The change (-8%) is within")
    daily = {
        **row,
        "grain": "per_day",
        "name": "engagement_rate_by_follower",
        "current": 0.02,
        "previous": 0.01,
    }
    doubled = card_judgement(daily, {"follower_rate": Usual(88, True, -0.7, 2.8, 50)})
    assert doubled is not None and doubled.muted and "daily engagement rate by follower" in doubled.sentence


def test_every_overview_card_with_a_change_is_judged_on_the_demo(store):
    # No card colours a change without placing it against the account's normal variation.
    ingest_paths(store, sorted(DEMO.iterdir()))
    account = store.primary_account()
    period = default_period(store, account)
    comparison = compare_periods(store, account, *period)
    bands = period_bands(store, account, *period)
    for _, row in comparison.iterrows():
        if (row["grain"], row["name"]) in OVERVIEW_CARDS and pd.notna(row["delta"]):
            assert card_judgement(row, bands) is not None, row["name"]
    assert bands["median_likes"].comparisons > 50 and bands["median_likes"].text == "-31% to +44%"
    assert bands["video_engagement_rate"].text == "-23% to +30%"
    assert bands["follower_rate"].text == "-74% to ×3.8"  # +282%, written as a change that size is


def test_an_account_known_from_its_overview_alone_shows_its_daily_rates_and_no_video_count(shape_store):
    # level_shift read "Videos 0" and "Like rate n/a: no videos posted" with a year of daily likes
    # and views loaded and no file listing its videos.
    _, store = shape_store("level_shift")
    account = store.primary_account()
    period = default_period(store, account)
    comparison, bands, cards = overview_of(store, account, *period)
    daily = comparison.set_index(["grain", "name"])
    like_rate = daily.loc[("per_day", "like_rate")]
    assert cards["Like rate"].value == f"{like_rate['current']:.2%}"
    assert "this is the rate of its daily account totals" in cards["Like rate"].help
    assert "the like rate of the daily totals" in cards["Like rate"].help  # judged by its own band
    assert (
        cards["Engagement rate by view"].value
        == f"{daily.loc[('per_day', 'engagement_rate_by_view'), 'current']:.2%}"
    )
    for label in ("Videos", "Likes per video (median)"):
        assert (cards[label].value, cards[label].delta, cards[label].muted) == ("n/a", "no video list", True)
    assert "0 videos" not in cards["Videos"].help and "no earlier data" not in cards["Videos"].help
    assert cards["Videos"].help.endswith("Previous period: n/a, for the same reason.")
    report = {c.label: c for c in kpi_cards(comparison, OVERVIEW_CARDS, bands)}
    assert report["Like rate"].value == cards["Like rate"].value
    assert report["Videos"].value == "n/a" and "0 videos" not in report["Videos"].formula
    assert report["Videos"].formula.endswith("why n/a: " + NO_VIDEO_LIST)
    assert report["Videos"].previous == "n/a, for the same reason"
    # Its Overview export has no follower counts either: the same reason for both periods, not
    # "no earlier data" beside 88 earlier days, and no "0 days".
    followers = cards["Engagement rate by follower"]
    assert followers.help.endswith("Previous period: n/a, for the same reason.")
    assert "0 days" not in followers.help and "no earlier data" not in followers.help
    assert "0 days" not in report["Engagement rate by follower"].formula
    sheet = kpi_table(comparison, account, *period).set_index(["grain", "kpi"])
    assert pd.isna(sheet.loc[("per_video", "videos"), "current_base"])
    assert pd.isna(sheet.loc[("per_day", "engagement_rate_by_follower"), "previous_base"])
    assert sheet.loc[("per_day", "likes"), "current_base"] == daily.loc[("per_day", "likes"), "current_rows"]


def test_without_a_video_list_or_daily_likes_the_like_rate_card_says_there_is_no_video_list(store):
    # Follower counts alone: the daily like rate has no value either, so the card does not turn
    # into a daily one saying it comes from an Overview export that was never loaded.
    add_days(store, [{"date": f"2026-03-{d:02d}", "followers": 1000 + d} for d in range(1, 31)])
    comparison = compare_periods(store, "brand", "2026-03-01", "2026-03-30")
    cards = {c.label: c for c in overview_cards(comparison)}
    assert (cards["Like rate"].value, cards["Like rate"].delta) == ("n/a", "no video list")
    assert "daily account totals" not in cards["Like rate"].help


def test_the_follower_rate_band_leaves_out_periods_whose_rate_the_card_would_not_show(store):
    # Followers grow from 200 to 20,000 over four months, then hold; interactions rise by a quarter
    # in the last 88 days. The growth's periods (under 1,000 followers, or doubling) have a rate the
    # card shows as n/a: counted in the band, they made it -85% to +585% and the rise "normal".
    first = date(2025, 1, 1)
    rows = []
    for day in range(480):
        followers = 200 * 100 ** min(day / 120, 1.0) + max(0, day - 120) * 9
        likes = 500 if day >= 392 else 400
        rows.append({"date": (first + timedelta(days=day)).isoformat(), "likes": likes, "views": 10 * likes,
                     "comments": 0, "shares": 0, "followers": round(followers)})  # fmt: skip
    add_days(store, rows)
    start, end = first + timedelta(days=392), first + timedelta(days=479)
    band = period_bands(store, "brand", start, end)["follower_rate"]
    assert 5 <= band.comparisons < 150 and band.high is not None and band.high < 0.05, band
    row = compare_periods(store, "brand", start, end).set_index(["grain", "name"])
    rate = row.loc[("per_day", "engagement_rate_by_follower")]
    judged = card_judgement(
        {**rate.to_dict(), "grain": "per_day", "name": "engagement_rate_by_follower"}, {"follower_rate": band}
    )
    assert judged is not None and not judged.muted and judged.sentence.endswith("a rise.")


def test_a_per_video_rates_band_counts_periods_by_the_videos_its_own_value_rests_on():
    # Three videos a day with likes and views, two of them with comments and shares too: two-day
    # periods of 6 like-rate videos count, of 4 engagement-rate videos do not (5 needed, as a card).
    days = 40
    swing = np.array([100.0, 100, 200, 200] * 10)
    columns = {
        "video_likes": swing, "video_rate_views": swing * 10, "video_rate_rows": np.full(days, 3.0),
        "video_interactions": swing, "video_interaction_views": swing * 10,
        "video_interaction_rows": np.full(days, 2.0), "video_posts": np.full(days, 3.0),
    }  # fmt: skip
    history = History(date(2026, 1, 1), columns, days, date(2026, 2, 10), np.array([]), np.array([]))
    assert history.usual("video_likes", "video_rate_views", 2).comparisons == days - 4 + 1
    rate = history.usual("video_interactions", "video_interaction_views", 2)
    assert rate.comparisons == 0 and rate.low is None


def test_totals_over_a_period_with_days_missing_are_compared_per_day_with_data(store):
    # A year at about 100 likes a day, a previous period with data on 10 of its 28 days (a gap
    # between two downloads), then 28 days at about 40: 1,120 likes against 1,000 is a rise of the
    # totals and a fall of 60% of the likes a day. The sentence said "Likes received this period
    # fell 12%" beside "(1,120 against 1,000 ...)": the verdict, of the level a day, with the
    # totals' change. Nor is the change split: the views before miss 18 days.
    rng = np.random.default_rng(3)
    days = [date(2025, 2, 1) + timedelta(days=i) for i in range(365)]
    days += [date(2026, 2, 1) + timedelta(days=i) for i in range(10)]
    rows = [
        {"date": str(d), "likes": int(rng.integers(90, 111)), "views": 1000, "profile_views": 10}
        for d in days
    ]
    rows += [
        {"date": str(date(2026, 3, 1) + timedelta(days=i)), "likes": 40, "views": 1000, "profile_views": 10}
        for i in range(28)
    ]
    add_days(store, rows)
    found = digest(store, "brand", "2026-03-01", "2026-03-28")
    assert found.tree is not None and found.tree.change is None
    assert found.tree.reason == (
        "the period before has likes and views on 10 of its 28 days, so the two totals count different days"
    )
    before = sum(r["likes"] for r in rows[365:375])
    assert before == 986  # 1,120 likes now: the totals rose 14%
    likes = found.sentences[0]
    assert likes.text.startswith(
        "Likes per day with data fell 59% (1,120 on 28 days with data this period against 986 on 10 of the "
        "28 days before), beyond the account's normal variation"
    ), likes.text
    assert likes.text.endswith(f"; it is not split into views and like rate: {found.tree.reason}.")
    assert likes.figures["relative change"].value == pytest.approx(40 / 98.6 - 1)
    views = next(s.text for s in found.sentences if s.topic == "profile_views")
    assert views.startswith("Profile views per day with data: the same as before (280 on 28 days with data")
    # The Likes card keeps its total's change and says what it rests on; its judgement, of the
    # level a day, is in its tooltip, and the Likes per day card calls the fall.
    comparison = compare_periods(store, "brand", "2026-03-01", "2026-03-28")
    cards = {
        c.label: c
        for c in overview_cards(comparison, period_bands(store, "brand", "2026-03-01", "2026-03-28"))
    }
    assert (cards["Likes"].delta, cards["Likes"].delta_note) == ("+134", "previous: 10 of 28 days")
    assert "beyond" in cards["Likes"].help and cards["Likes"].muted  # not green beside a fall
    assert cards["Likes per day"].delta.startswith("-") and not cards["Likes per day"].muted
    # The report's cards say the same.
    bands = period_bands(store, "brand", "2026-03-01", "2026-03-28")
    report = {c.label: c for c in kpi_cards(comparison, OVERVIEW_CARDS, bands)}
    assert report["Likes"].uncalled == "previous: 10 of 28 days"
    assert report["Likes per day"].uncalled is None  # a fall of the level a day, coloured


def test_likes_on_every_day_are_compared_as_the_cards_compare_them_when_some_days_lack_views(store):
    # Views missing on 10 days of the period before: the tree, which splits likes into views and
    # like rate, has 18 days to work with and is not split; the likes themselves are on all 28 days,
    # and the sentence compares those, as the cards do (it read "fell 3% … 1,826 on 18 of the 28
    # days before, beyond the account's normal variation" beside cards "within normal variation").
    rng = np.random.default_rng(5)
    days = [date(2025, 2, 1) + timedelta(days=i) for i in range(365 + 28 + 28)]
    rows = [{"date": str(d), "likes": int(rng.integers(95, 106)), "views": 1000} for d in days]
    for row in rows[365:375]:
        row["views"] = None
    add_days(store, rows)
    start, end = days[-28], days[-1]
    found = digest(store, "brand", start, end)
    assert found.tree is not None and found.tree.reason == (
        "the period before has likes and views on 18 of its 28 days, so the two totals count different days"
    )
    now, before = (sum(r["likes"] for r in part) for part in (rows[-28:], rows[365:393]))
    likes = found.sentences[0]
    assert likes.text.startswith(
        f"Likes received this period changed by {now / before - 1:+.0%} ({now:,} against {before:,} in the 28 days "
        "before), within the account's normal variation"
    ), likes.text
    _, _, cards = overview_of(store, "brand", start, end)
    assert cards["Likes"].delta_note == "within normal variation" and cards["Likes"].muted


def test_a_scrape_alone_shows_the_likes_of_the_videos_posted_not_na(shape_store):
    # 800 scraped handles, no Overview export: the Likes card read "n/a: no daily likes in the
    # period" beside a digest of "Likes of the videos posted this period: 41,028".
    _, store = shape_store("scraper_many")
    account = store.primary_account()
    period = default_period(store, account)
    found = digest(store, account, *period)
    _, _, cards = overview_of(store, account, *period)
    likes = found.sentences[0].figures["likes now"].value
    assert likes == 41028 and cards["Likes"].value == "41K"
    videos = store.table("videos", account)
    posted = pd.to_datetime(videos["posted_at"]).dt.date
    assert videos[(posted >= period[0]) & (posted <= period[1])]["likes"].sum() == likes
    assert "so this is the figure of the videos posted in it" in cards["Likes"].help
    assert cards["Likes per day"].value == "n/a"  # a rate per day needs days


def _scraped_daily_videos(store, days: int, seed: int = 0) -> None:
    """One scraped video a day from 1 Jan 2025, 500-1,500 likes each, and no Overview export."""
    rng = np.random.default_rng(seed)
    rows = [
        {
            "video_id": str(i),
            "posted_at": f"{date(2025, 1, 1) + timedelta(days=i)} 10:00",
            "likes": int(rng.integers(500, 1500)),
            "views": int(rng.integers(20000, 40000)),
            "comments": 5,
            "shares": 2,
            "followers": 5000,
        }
        for i in range(days)
    ]
    frame = pd.DataFrame(rows).assign(account="scr", snapshot_date="2026-04-30")
    meta = {
        "name": "s.csv",
        "kind": "mapped_daily",
        "account": "scr",
        "rows": days,
        "accepted": days,
        "rejected": 0,
    }
    store.add_file(meta, frame, "videos_raw", [])


def test_a_scrapes_likes_card_is_judged_by_the_band_its_digest_sentence_uses(store):
    # A scrape alone shows the likes of the videos posted on its Likes card (shown_cards). It was
    # coloured "+734" beside a digest that called the same +1% "within the account's normal
    # variation (-4% to +4%)": the card now has that band (the video tree's, over calendar days).
    _scraped_daily_videos(store, 480)
    period = default_period(store, "scr")
    found = digest(store, "scr", *period)
    assert found.sentences[0].within_normal and "so not a rise or a fall" in found.sentences[0].text
    bands = period_bands(store, "scr", *period)
    comparison = compare_periods(store, "scr", *period)
    likes = next(c for c in overview_cards(comparison, bands) if c.label == "Likes")
    assert likes.muted and likes.delta_note == "within normal variation"
    assert f"({bands['video_likes'].text} between 90-day periods)" in found.sentences[0].text
    assert f"({bands['video_likes'].text} between 90-day periods)" in likes.help
    report = next(c for c in kpi_cards(comparison, OVERVIEW_CARDS, bands) if c.label == "Likes")
    assert report.uncalled == "within normal variation"


def test_only_a_period_without_any_daily_row_shows_the_videos_figures_on_daily_cards(store):
    # An Overview export without follower counts: its follower-rate card stays n/a with its own
    # reason, not the scraped videos' rate under a tooltip that says there are no daily totals.
    _scraped_daily_videos(store, 120)
    add_days(
        store,
        [
            {"date": f"{date(2025, 3, 1) + timedelta(days=d)}", "likes": 900, "views": 30000}
            for d in range(60)
        ],
        account="scr",
    )
    period = (date(2025, 3, 1), date(2025, 4, 29))
    _, _, cards = overview_of(store, "scr", *period)
    assert cards["Engagement rate by follower"].value == "n/a"
    assert cards["Likes"].value == "54K"  # the daily likes: 60 days of 900
