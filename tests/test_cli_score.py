"""`python -m kpi_core score` on real-format accounts: rates by follower only on a base that means
something, every count beside a KPI the count behind it, and a reason for every null."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from data.shapes import build, write
from kpi_core.cli import main
from kpi_core.ingest import ingest_paths
from kpi_core.store import Store


def run(*argv: str | Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main([str(a) for a in argv])
    return status, out.getvalue()


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The tiny and viral shapes' files as uploaded, with the options a user would give."""
    out: dict[str, list[str]] = {}
    for name in ("tiny", "viral"):
        paths = [str(p) for p in write(name, tmp_path_factory.mktemp(name))]
        options = build(name).options
        out[name] = paths + (["--export-date", options["export_date"]] if "export_date" in options else [])
    return out


@pytest.fixture(scope="module")
def scores(shapes: dict[str, list[str]]) -> dict[str, dict]:
    results = {}
    for name, args in shapes.items():
        status, text = run("score", *args, "--json")
        assert status == 0
        results[name] = json.loads(text)
    return results


def daily_rows(args: list[str]) -> pd.DataFrame:
    """The account's settled daily rows, read straight from the store (not through the registry)."""
    store = Store()
    paths = [a for a in args if a.endswith((".csv", ".zip"))]
    export = args[args.index("--export-date") + 1] if "--export-date" in args else None
    ingest_paths(store, paths, export_date=None if export is None else pd.Timestamp(export).date())
    daily = store.table("daily", store.primary_account())
    store.close()
    return daily[~daily["provisional"].astype(bool)]


def test_a_64_follower_account_gets_no_rate_by_follower_and_the_reason(scores):
    tiny = scores["tiny"]
    assert tiny["per_video"]["engagement_rate_by_follower"] is None
    assert tiny["per_day"]["engagement_rate_by_follower"] is None
    for path in ("per_video.engagement_rate_by_follower", "per_day.engagement_rate_by_follower"):
        assert re.fullmatch(
            r"\d\d followers on average: a rate by follower needs at least 1,000; with fewer, most "
            r"views come from the For You feed, not from followers",
            tiny["notes"][path],
        ), tiny["notes"][path]


def test_an_account_that_grew_139_fold_gets_no_rate_by_follower_and_one_reason(scores):
    """The videos' base and the days' are the settled days' follower counts: one growth, stated
    alike (the provisional last days, 3,352 followers, count in neither)."""
    viral = scores["viral"]
    assert viral["per_video"]["engagement_rate_by_follower"] is None
    reason = (
        "followers ×139 in the period: they grew from 24 to 3,327, and a rate on a moving base means nothing"
    )
    assert viral["notes"]["per_video.engagement_rate_by_follower"] == reason
    assert viral["notes"]["per_day.engagement_rate_by_follower"] == reason


@pytest.mark.parametrize("name", ["tiny", "viral"])
def test_the_counts_beside_the_kpis_are_the_counts_behind_them(scores, shapes, name):
    result, daily = scores[name], daily_rows(shapes[name])
    with_likes = daily[daily["likes"].notna()]
    per_day, bases = result["per_day"], result["bases"]
    assert per_day["days"] == len(with_likes) == bases["per_day"]["likes"] == bases["per_day"]["like_rate"]
    assert per_day["likes"] == with_likes["likes"].sum()
    assert bases["per_day"]["followers_end"] == daily["followers"].notna().sum()
    assert result["per_video"]["videos"] == build(name).truth["videos"] == bases["per_video"]["likes"]
    # Every null value has its reason, and nothing else is null without one.
    for section in ("per_video", "per_day"):
        for key, value in result[section].items():
            assert (value is None) <= (f"{section}.{key}" in result["notes"]), key


def test_a_range_wider_than_the_daily_data_says_how_many_days_the_likes_cover(scores):
    # The viral account's videos go back to December; its daily export holds 28 days.
    viral = scores["viral"]
    assert (viral["date_from"], viral["date_to"]) == ("2025-12-11", "2026-03-03")
    assert viral["notes"]["per_day.days"].startswith(
        f"daily likes on {viral['per_day']['days']} of the range's 83 days"
    )


@pytest.mark.parametrize("name", ["tiny", "viral"])
def test_the_printed_scores_never_show_a_placeholder_or_a_broken_plural(shapes, name):
    status, text = run("score", *shapes[name])
    assert status == 0
    for bad in ("None", "nan", "inf", "0.000000", "1 videos", "1 days"):
        assert bad not in text, bad
    assert "engagement_rate_by_follower: n/a" in text
    assert re.search(r"\n    likes: [\d,]+ \(\d+ days\)\n", text)


def test_a_trend_over_more_than_a_year_is_printed_with_the_weekly_means_it_was_fitted_on(tmp_path):
    days = pd.date_range("2024-01-01", periods=500)
    overview = tmp_path / "Overview.csv"
    overview.write_text(
        "Date,Video Views,Profile Views,Likes,Comments,Shares\n"
        + "".join(f"{d:%Y-%m-%d},{1000 + i},3,{50 + i // 7},2,1\n" for i, d in enumerate(days))
    )
    status, text = run("score", overview)
    assert status == 0
    assert (
        "    verdict: rising\n        note: fitted over 498 days, on 71 weekly averages (1 day left out"
        in text
    )


def test_all_accounts_prints_each_accounts_own_scores_primary_first():
    demo = sorted(str(p) for p in Path("data/demo").iterdir() if p.suffix in (".zip", ".json"))
    status, text = run("score", *demo, "--all-accounts", "--json")
    assert status == 0
    every = json.loads(text)["accounts"]
    assert [s["account"] for s in every] == ["lumen.skincare", "glow.theory"]
    for one in every:
        alone = json.loads(run("score", *demo, "--account", one["account"], "--json")[1])
        assert one == alone
    assert every[0]["per_video"]["videos"] == 150 and every[1]["per_day"]["days"] == 0
    status, text = run("score", *demo, "--all-accounts")
    assert status == 0 and text.count("\n@") == 1 and text.startswith("@lumen.skincare, ")
    assert "\n\n@glow.theory, " in text
    assert run("score", *demo, "--all-accounts", "--account", "glow.theory") == (2, "")
