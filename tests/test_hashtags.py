"""Hashtags across accounts: uplift against the set's like rate shrunk by empirical Bayes, checked
against the model's formulas worked out by hand; one hashtag rule, case-insensitive, once per video."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_core.metrics import hashtags as h
from kpi_core.metrics.uplift import hashtag_uplift
from tests.conftest import add_videos

Z = 1.959963984540054  # the 97.5% normal quantile


def tagged(likes: list[int], title: str, start: int = 0, views: int = 1000) -> list[dict]:
    return [
        {"video_id": f"v{start + i}", "title": title, "likes": n, "views": views} for i, n in enumerate(likes)
    ]


# A set of 400 videos of 1,000 views each, written so that the model can be followed on paper:
#   #big   on 200 videos: 100 with 120 likes and 100 with 90  -> like rate 21,000 / 200,000 = 10.5%
#   #thin  on   2 videos: 150 and 130 likes                   -> like rate    280 /   2,000 = 14%
#   198 videos without a hashtag: 99 with 110 likes, 99 with 80
BIG = [120] * 100 + [90] * 100
THIN = [150, 130]
REST = [110] * 99 + [80] * 99


@pytest.fixture
def paper_set(store):
    add_videos(
        store,
        tagged(BIG, "reading vlog #big")
        + tagged(THIN, "a rare one #thin", 200)
        + tagged(REST, "no tag", 202),
    )
    return store


def by_hand() -> dict[str, float]:
    """The model's numbers, step by step, with equal views (so ΣV_h²/(ΣV_h)² = 1/n)."""
    every = BIG + THIN + REST
    n = len(every)  # 400
    r0 = sum(every) / (1000 * n)  # 40,090 / 400,000 = 0.100225
    # c² = Σ(L − r0·V)² / (r0²·ΣV²) · N/(N−1); with V = 1,000 for all, Σ(ρ/r0 − 1)² / (N − 1)
    c2 = sum((likes / 1000 / r0 - 1) ** 2 for likes in every) / (n - 1)  # = 0.025669
    y_big = math.log(0.105 / r0)  # 0.046539
    y_thin = math.log(0.14 / r0)  # 0.334219
    s2_big = c2 * (1 / 200 - 2 / n + 1 / n)  # c²·(1/200 − 1/400) = 6.417e-5
    s2_thin = c2 * (1 / 2 - 1 / n)  # c²·(1/2 − 1/400) = 0.012770
    w_big, w_thin = 1 / s2_big, 1 / s2_thin
    tau2 = (w_big * y_big**2 + w_thin * y_thin**2 - 2) / (w_big + w_thin)  # = 0.002586
    return {
        "r0": r0, "c2": c2, "tau2": tau2, "y_big": y_big, "y_thin": y_thin,
        "s2_big": s2_big, "s2_thin": s2_thin,
        "b_big": s2_big / (s2_big + tau2), "b_thin": s2_thin / (s2_thin + tau2),
    }  # fmt: skip


def test_the_numbers_on_paper_are_what_the_comments_say():
    paper = by_hand()
    assert paper["r0"] == pytest.approx(0.100225)
    assert paper["c2"] == pytest.approx(0.025669, abs=5e-7)
    assert paper["tau2"] == pytest.approx(0.002586, abs=5e-7)
    assert paper["b_thin"] == pytest.approx(0.8316, abs=5e-5)
    assert paper["b_big"] == pytest.approx(0.0242, abs=5e-5)


def test_a_hashtag_on_two_videos_moves_most_of_the_way_to_the_set_and_one_on_200_barely_moves(paper_set):
    paper = by_hand()
    table, prior = h.hashtag_table(paper_set)
    rows = table.set_index("hashtag")
    assert prior.overall_rate == pytest.approx(paper["r0"], rel=1e-12)
    assert prior.spread == pytest.approx(math.sqrt(paper["c2"]), rel=1e-9)
    assert prior.tau == pytest.approx(math.sqrt(paper["tau2"]), rel=1e-9)
    assert (prior.videos, prior.hashtags) == (400, 2)

    thin, big = rows.loc["#thin"], rows.loc["#big"]
    assert thin["shrinkage"] == pytest.approx(paper["b_thin"], rel=1e-9)  # 83% of the way back
    assert big["shrinkage"] == pytest.approx(paper["b_big"], rel=1e-9)  # 2% of the way back
    assert thin["raw_uplift"] == pytest.approx(0.14 / paper["r0"] - 1)  # +39.7% as measured
    assert thin["uplift"] == pytest.approx(math.exp((1 - paper["b_thin"]) * paper["y_thin"]) - 1)  # +5.8%
    assert big["raw_uplift"] == pytest.approx(0.105 / paper["r0"] - 1)  # +4.76% as measured
    assert big["uplift"] == pytest.approx(math.exp((1 - paper["b_big"]) * paper["y_big"]) - 1)  # +4.65%
    assert thin["uplift"] == pytest.approx(0.0579, abs=5e-5) and big["uplift"] == pytest.approx(
        0.0465, abs=5e-5
    )


def test_the_interval_is_the_posterior_s_and_says_what_can_be_told(paper_set):
    paper = by_hand()
    rows = h.hashtag_table(paper_set)[0].set_index("hashtag")
    for tag in ("big", "thin"):
        b, y, s2 = paper[f"b_{tag}"], paper[f"y_{tag}"], paper[f"s2_{tag}"]
        mean, sd = (1 - b) * y, math.sqrt((1 - b) * s2)
        assert rows.loc[f"#{tag}", "low"] == pytest.approx(math.exp(mean - Z * sd) - 1, rel=1e-9)
        assert rows.loc[f"#{tag}", "high"] == pytest.approx(math.exp(mean + Z * sd) - 1, rel=1e-9)
    assert rows.loc["#big", "verdict"] == h.HIGHER  # +3.1% to +6.2%
    assert rows.loc["#big", "low"] == pytest.approx(0.0305, abs=5e-4)
    assert rows.loc["#thin", "verdict"] == h.UNCLEAR  # -3.3% to +15.4%
    assert pd.isna(rows.loc["#big", "videos_needed"])


def test_videos_needed_to_tell_solve_the_interval_for_the_current_estimate(paper_set):
    paper = by_hand()
    rows = h.hashtag_table(paper_set)[0].set_index("hashtag")
    theta = (1 - paper["b_thin"]) * paper["y_thin"]  # 0.05625
    tau2 = paper["tau2"]
    # |θ|·τ = z·√(u·(τ² + u)) at u = (−τ² + √(τ⁴ + 4θ²τ²/z²)) / 2 = 0.000658; videos = 2 · s² / u
    u = (-tau2 + math.sqrt(tau2**2 + 4 * theta**2 * tau2 / Z**2)) / 2
    assert u == pytest.approx(0.000658, abs=5e-7)
    expected = math.ceil(2 * paper["s2_thin"] / u)
    assert rows.loc["#thin", "videos_needed"] == expected == 39
    # With that many videos (s² shrinking as 1/videos) and the same estimate, the interval clears 0;
    # with one video fewer it does not.
    for videos, clears in ((expected, True), (expected - 1, False)):
        s2 = paper["s2_thin"] * 2 / videos
        mean, sd = tau2 / (tau2 + s2) * theta, math.sqrt(s2 * tau2 / (s2 + tau2))
        assert (mean - Z * sd > 0) is clears


def test_a_hashtag_on_every_video_is_the_set_itself(store):
    add_videos(store, tagged([100, 60], "#solo", 0) + tagged([80], "#solo #extra", 2), account="solo")
    rows = h.hashtag_table(store, account="solo")[0].set_index("hashtag")
    assert rows.loc["#solo", "verdict"] == h.ON_EVERY_VIDEO
    assert rows.loc["#solo", "uplift"] == 0 and rows.loc["#solo", "low"] == rows.loc["#solo", "high"] == 0
    assert pd.isna(rows.loc["#solo", "shrinkage"])
    assert rows.loc["#extra", "raw_uplift"] == pytest.approx(
        0.08 / 0.08 - 1
    )  # 80 / 1,000 = the set's 240 / 3,000


def test_a_hashtag_counts_a_video_once_whatever_its_case_and_counts_its_accounts(store):
    add_videos(store, tagged([10], "#Books and #books and #BOOKS", 0) + tagged([20], "#Bücher #bücher", 1))
    add_videos(store, tagged([30], "#books #ÜBER_alles", 2), account="other")
    rows = h.hashtag_table(store)[0].set_index("hashtag")
    assert rows.loc["#books", "videos"] == 2 and rows.loc["#books", "accounts"] == 2
    assert rows.loc["#books", "likes"] == 40 and rows.loc["#books", "median_likes"] == 20
    assert rows.loc["#bücher", "videos"] == 1
    assert rows.loc["#über_alles", "videos"] == 1
    only = h.hashtag_table(store, account="brand")[0].set_index("hashtag")
    assert only.loc["#books", "videos"] == 1 and only.loc["#books", "accounts"] == 1


def test_the_content_page_reads_hashtags_by_the_same_rule(store):
    add_videos(store, tagged([10, 20, 30], "#Books #books #Bücher_2"))
    ours = set(h.hashtag_table(store, account="brand")[0]["hashtag"])
    content = set(hashtag_uplift(store, "brand")["hashtag"])
    assert ours == content == {"#books", "#bücher_2"}


def test_hashtags_that_differ_no_more_than_chance_are_all_shrunk_to_the_set(shape_store):
    _, store = shape_store("scraper_many")  # its hashtags are drawn at random, whatever the video
    found, prior = h.hashtag_finding(store)
    assert prior.tau == 0
    table = found.table
    assert (table["uplift"] == 0).all()
    assert set(table["verdict"]) == {h.ON_EVERY_VIDEO, h.NO_SPREAD}
    assert table["videos_needed"].isna().all()
    assert not found.notes and "no more than chance would make them" in prior.sentence
    assert table.loc[0, "hashtag"] == "#booktok" and table.loc[0, "videos"] == 1000


def test_one_viral_video_does_not_set_the_spread_of_a_video_s_like_rate(store):
    # One burst of 100,000 views at 9% beside four 200-view videos: pooled by views², the burst (whose
    # rate is the set's) made the spread ±0% and gave a one-video hashtag a "lower like rate" verdict.
    rows = [
        {"video_id": "burst", "title": "#pottery", "likes": 9_000, "views": 100_000},
        {"video_id": "a", "title": "#pottery #fyp", "likes": 24, "views": 200},
        {"video_id": "b", "title": "#fyp", "likes": 20, "views": 200},
        {"video_id": "c", "title": "#fyp #greece", "likes": 10, "views": 200},
        {"video_id": "d", "title": "#clay", "likes": 16, "views": 200},
    ]
    add_videos(store, rows)
    table, prior = h.hashtag_table(store)
    r0 = 9_070 / 100_800
    rates = [0.09, 0.12, 0.10, 0.05, 0.08]
    c2 = sum((rho / r0 - 1) ** 2 for rho in rates) / 4  # each video counts once
    assert prior.spread == pytest.approx(math.sqrt(c2), rel=1e-12)
    assert prior.spread == pytest.approx(0.2887, abs=5e-4)  # ±29%; pooled by views², ±0.1%
    one = table.set_index("hashtag").loc["#greece"]
    assert one["videos"] == 1 and one["verdict"] in (h.UNCLEAR, h.NO_SPREAD)
    assert not table["verdict"].isin([h.HIGHER, h.LOWER]).any()


def test_videos_at_one_like_rate_give_no_difference_and_only_the_set_is_on_every_video(store):
    # 18 videos at 10 likes per 100 views: no spread to measure (c = 0). Every s² was 0, the mark of
    # a hashtag on every video, so #a, on 6 of them, read "on every video".
    rows = [
        {"video_id": f"v{i}", "title": "#a #all" if i < 6 else "#all", "likes": 10, "views": 100}
        for i in range(18)
    ]
    add_videos(store, rows)
    table, prior = h.hashtag_table(store)
    verdicts = dict(zip(table["hashtag"], table["verdict"], strict=True))
    assert prior.spread == 0 and prior.tau == 0
    assert verdicts == {"#all": h.ON_EVERY_VIDEO, "#a": h.NO_SPREAD}
    assert table.set_index("hashtag").loc["#a", "uplift"] == 0


def test_likes_beside_zero_views_never_raise_a_like_rate(store):
    # A video with 5 likes and 0 views counted in the set's rate (0.10 instead of 0.075), and #b, on 2
    # of the 3 videos, read "on every video" at -25%.
    add_videos(
        store,
        [
            {"video_id": "a", "title": "#a", "likes": 5, "views": 0},
            {"video_id": "ab", "title": "#a #b", "likes": 10, "views": 100},
            {"video_id": "b", "title": "#b", "likes": 5, "views": 100},
        ],
    )
    table, prior = h.hashtag_table(store)
    rows = table.set_index("hashtag")
    assert prior.overall_rate == pytest.approx(15 / 200) and prior.videos == 3
    assert rows.loc["#b", "verdict"] == h.ON_EVERY_VIDEO and rows.loc["#b", "raw_uplift"] == pytest.approx(0)
    assert rows.loc["#a", "like_rate"] == pytest.approx(0.10) and rows.loc["#a", "likes"] == 15  # 10 / 100


def test_the_viral_shape_calls_no_hashtag_from_its_handful_of_small_videos(shape_store):
    _, store = shape_store("viral")
    table, prior = h.hashtag_table(store)
    assert prior.spread > 0.2  # its small videos' rates scatter by tens of percent
    assert not table["verdict"].isin([h.HIGHER, h.LOWER]).any()


def test_no_hashtag_is_one_sentence(store):
    add_videos(store, tagged([10, 20], "no tags here"))
    found, _ = h.hashtag_finding(store)
    assert (
        found.table.empty
        and found.reason == "No hashtags in the titles of any account's videos posted in this period."
    )


def test_records_are_plain_json(paper_set):
    import json

    records = h.hashtag_records(h.hashtag_table(paper_set)[0])
    assert json.loads(json.dumps(records, allow_nan=False))[0]["hashtag"] == "#big"
    assert {r["hashtag"]: r["videos_needed"] for r in records} == {"#big": None, "#thin": 39}


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.floats(-2, 2), min_size=1, max_size=12),
    st.lists(st.floats(1e-4, 1.0), min_size=12, max_size=12),
)
def test_shrinkage_never_overshoots_and_intervals_narrow_with_less_noise(ys, s2s):
    y, s2 = np.array(ys), np.array(s2s[: len(ys)])
    mean, var, tau2 = h.shrink(y, s2)
    assert tau2 >= 0
    assert np.all(np.abs(mean) <= np.abs(y) + 1e-12)  # towards the set, never past it
    assert np.all(np.sign(mean) * np.sign(y) >= 0)
    assert np.all(var <= s2 + 1e-15)
