"""The portfolio of accounts: every account of a scrape of hundreds side by side with the values a
hand computation from the raw file gives, ranks only on enough videos and days, search as literal
text, and the trend verdict each account's own Trends page gives."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from data.shapes import build
from kpi_core.metrics import portfolio as pf
from kpi_core.metrics.trends import likes_trend
from tests.conftest import add_days, add_videos


@pytest.fixture(scope="module")
def by_hand() -> dict[str, dict]:
    """Per author of the scrape's raw JSON records: videos, likes, views, interactions, likes each,
    and the first and last posting day (UTC), computed without kpi_core."""
    records = json.loads(next(iter(build("scraper_many").files.values())))
    out: dict[str, dict] = defaultdict(lambda: {"likes": [], "views": 0, "interactions": 0, "days": []})
    for r in records:
        author = out[r["authorMeta"]["name"]]
        author["likes"].append(r["diggCount"])
        author["views"] += r["playCount"]
        author["interactions"] += r["diggCount"] + r["commentCount"] + r["shareCount"]
        author["days"].append(datetime.fromtimestamp(r["createTime"], UTC).date())
    return dict(out)


@pytest.fixture(scope="module")
def table(shape_store) -> pd.DataFrame:
    _, store = shape_store("scraper_many")
    return pf.portfolio(store)


def test_every_account_of_the_scrape_has_one_row(table, by_hand):
    assert len(table) == len(by_hand) == build("scraper_many").truth["accounts"]
    assert set(table["account"]) == set(by_hand)
    assert table["videos"].sum() == 1000


def test_the_busiest_accounts_match_a_hand_computation_from_the_raw_file(table, by_hand):
    rows = table.set_index("account")
    busiest = sorted(by_hand, key=lambda a: (-len(by_hand[a]["likes"]), a))[:4]
    one_video = next(a for a in sorted(by_hand) if len(by_hand[a]["likes"]) == 1)
    for account in [*busiest, one_video]:
        hand, row = by_hand[account], rows.loc[account]
        likes = sum(hand["likes"])
        assert row["videos"] == len(hand["likes"])
        assert row["likes"] == likes and row["views"] == hand["views"]
        assert row["like_rate"] == pytest.approx(likes / hand["views"], rel=1e-12)
        assert row["engagement_rate_by_view"] == pytest.approx(
            hand["interactions"] / hand["views"], rel=1e-12
        )
        assert row["likes_per_video_median"] == pytest.approx(statistics.median(hand["likes"]))
        assert row["posting_days"] == (max(hand["days"]) - min(hand["days"])).days + 1
        assert row["trend"] == "not enough data" and row["trend_note"] == pf.NO_DAILY_LIKES


def test_only_accounts_with_five_videos_over_a_week_get_a_rank(table, by_hand):
    ranked = pf.ranking(table, "like_rate")
    enough = {
        a
        for a, hand in by_hand.items()
        if len(hand["likes"]) >= pf.MIN_RANK_VIDEOS
        and (max(hand["days"]) - min(hand["days"])).days + 1 >= pf.MIN_RANK_DAYS
    }
    assert set(ranked.loc[ranked["rank"].notna(), "account"]) == enough
    assert ranked["rank"].head(len(enough)).tolist() == list(range(1, len(enough) + 1))
    rates = ranked["like_rate"].head(len(enough)).tolist()
    assert rates == sorted(rates, reverse=True)
    one = ranked.set_index("account").loc[next(a for a in by_hand if len(by_hand[a]["likes"]) == 1)]
    assert pd.isna(one["rank"])
    assert one["rank_note"] == "only 1 video with likes and views (a rank needs 5)"
    assert pf.ranking_sentence(ranked, "like_rate") == (
        f"Ranked on like rate: {len(enough)} of {len(table)} accounts. "
        f"{len(table) - len(enough)} accounts have too few videos (a rank needs 5)."
    )


def test_lowest_first_reverses_the_ranked_accounts_and_keeps_the_others_last(table):
    high = pf.ranking(table, "likes")
    low = pf.ranking(table, "likes", descending=False)
    ranked = high["rank"].notna().sum()
    assert low["account"].head(ranked).tolist() == high["account"].head(ranked).tolist()[::-1]
    assert low["rank"].head(ranked).tolist() == list(range(1, ranked + 1))
    assert low["rank"].iloc[ranked:].isna().all()


def test_an_unknown_kpi_is_refused(table):
    with pytest.raises(ValueError, match="rank by one of"):
        pf.ranking(table, "followers; DROP TABLE videos")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ana", ["ana.reads", "Books.by.ANA"]),
        ("@ANA", ["ana.reads", "Books.by.ANA"]),
        ("  ", ["ana.reads", "Books.by.ANA", "tom_", ".*"]),
        (".*", [".*"]),  # literal text, never a pattern
        ("[", []),
    ],
)
def test_search_matches_handles_as_literal_text_in_any_case(text, expected):
    frame = pd.DataFrame({"account": ["ana.reads", "Books.by.ANA", "tom_", ".*"]})
    assert pf.search(frame, text)["account"].tolist() == expected


def videos(n: int, first: str, every_days: int, likes: int = 50, views: int = 1000) -> list[dict]:
    start = date.fromisoformat(first)
    return [
        {"video_id": str(i), "posted_at": (start + timedelta(days=i * every_days)).isoformat(), "likes": likes,
         "views": views}
        for i in range(n)
    ]  # fmt: skip


def test_videos_within_a_few_days_say_why_they_get_no_rank(store):
    add_videos(store, videos(6, "2026-03-01", 1), account="burst")  # six videos over 6 days
    add_videos(store, videos(5, "2026-03-01", 2), account="steady")  # five over 9 days
    ranked = pf.ranking(pf.portfolio(store), "like_rate").set_index("account")
    assert ranked.loc["steady", "rank"] == 1
    assert ranked.loc["burst", "rank_note"] == ("6 videos posted within 6 days (a rank needs 7 days)")


def test_a_value_that_is_n_a_gives_its_own_reason_instead_of_a_rank(store):
    add_videos(store, videos(5, "2026-03-01", 3, likes=120, views=100), account="odd")
    ranked = pf.ranking(pf.portfolio(store), "like_rate").set_index("account")
    assert pd.isna(ranked.loc["odd", "rank"])
    assert ranked.loc["odd", "rank_note"] == (
        "over 100% of views: more likes than views, so the view counts look incomplete"
    )
    assert ranked.loc["odd", "likes"] == 600  # the counts still stand


def test_an_account_without_videos_in_the_period_is_listed_with_the_reason(store):
    add_videos(store, videos(5, "2026-01-01", 3), account="early")
    add_videos(store, videos(5, "2026-03-01", 3), account="late")
    table = pf.portfolio(store, "2026-02-01", "2026-03-31").set_index("account")
    assert table.loc["early", "videos"] == 0 and pd.isna(table.loc["early", "like_rate"])
    assert table.loc["early", "like_rate_note"] == (
        "no data: no video of the period has both likes and views"
    )
    assert table.loc["early", "posting_days"] == 0
    assert table.loc["late", "like_rate"] == pytest.approx(0.05)


def test_the_trend_verdict_is_the_one_each_account_gets_on_its_own(store):
    rising = [
        {"date": f"2026-03-{d:02d}", "likes": 10 * d, "views": 1000, "provisional": d > 26}
        for d in range(1, 29)
    ]
    flat = [{"date": f"2026-03-{d:02d}", "likes": 50 + (d % 3), "views": 1000} for d in range(1, 29)]
    add_days(store, rising, account="client.a")
    add_days(store, flat, account="client.b")
    add_days(store, rising[:10], account="client.c")
    table = pf.portfolio(store).set_index("account")
    for account in ("client.a", "client.b", "client.c"):
        own = likes_trend(store, account)
        assert table.loc[account, "trend"] == own.verdict
        assert table.loc[account, "trend_note"] == own.sentence
    assert table.loc["client.a", "trend"] == "rising"
    assert table.loc["client.c", "trend"] == "not enough data"
    # Provisional days (the last two of an Overview export) are left out, as on the Trends page.
    assert table.loc["client.a", "trend_note"].endswith("over 26 days.")


def test_records_are_plain_json_with_a_reason_for_every_null(table):
    records = pf.portfolio_records(pf.ranking(table))
    assert len(records) == len(table)
    text = json.dumps(records, allow_nan=False)
    assert "NaN" not in text
    for record in records:
        assert isinstance(record["videos"], int) and isinstance(record["likes"], int)
        assert (record["rank"] is None) == ("rank" in record["notes"])
        for name in pf.COLUMNS:
            assert (record[name] is None) == (name in record["notes"]), (record["account"], name)


@pytest.mark.parametrize(
    ("videos", "note"),
    [
        (1, "Only 1 video in the period: its rates say more about that video than about the account"),
        (4, "Only 4 videos in the period: its rates say more about those videos than about the account"),
        (5, None),
        (0, None),  # no videos: its rates are n/a and say why themselves
    ],
)
def test_a_card_of_fewer_than_five_videos_says_its_rates_rest_on_them(videos, note):
    found = pf.few_videos_note(videos)
    assert (found if found is None else found.split(" (")[0]) == note
    if found:
        assert found.endswith(f"(the Portfolio ranks on {pf.MIN_RANK_VIDEOS} or more).")
