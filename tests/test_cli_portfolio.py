"""`python -m kpi_core accounts` and `hashtags`: one row per account in the files, one per hashtag,
the JSON shapes the issue asks for, the same numbers as the engine, and the input options of `ingest`."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from data.shapes import build, write
from kpi_core.cli import main
from kpi_core.metrics.hashtags import hashtag_table
from kpi_core.metrics.portfolio import portfolio

ROOT = Path(__file__).resolve().parents[1]


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(a) for a in argv])
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def scrape(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return [str(p) for p in write("scraper_many", tmp_path_factory.mktemp("scrape"))]


@pytest.fixture(scope="module")
def accounts_json(scrape: list[str]) -> dict:
    status, text, _ = run("accounts", *scrape, "--json")
    assert status == 0
    return json.loads(text)


def test_accounts_gives_one_row_per_account_in_the_files(accounts_json):
    rows = accounts_json["accounts"]
    assert len(rows) == build("scraper_many").truth["accounts"]
    assert len({r["account"] for r in rows}) == len(rows)
    assert sum(r["videos"] for r in rows) == 1000


def test_accounts_rows_have_the_issue_s_shape(accounts_json):
    row = accounts_json["accounts"][0]
    assert list(row)[:5] == ["account", "videos", "likes", "views", "like_rate"]
    assert {"engagement_rate_by_view", "likes_per_video_median", "trend", "rank", "notes"} <= set(row)
    assert isinstance(row["videos"], int) and isinstance(row["likes"], int) and isinstance(row["views"], int)
    assert isinstance(row["like_rate"], float)
    assert accounts_json["ranked_by"] == "like_rate" and "a rank needs" in accounts_json["rule"].lower()


def test_accounts_are_the_engine_s_numbers(accounts_json, shape_store):
    _, store = shape_store("scraper_many")
    engine = portfolio(store).set_index("account")
    for row in accounts_json["accounts"][:10]:
        assert row["likes"] == engine.loc[row["account"], "likes"]
        assert row["like_rate"] == pytest.approx(engine.loc[row["account"], "like_rate"], rel=1e-12)


def test_accounts_ranks_on_another_kpi_and_prints_a_table(scrape):
    status, text, _ = run("accounts", *scrape, "--rank-by", "likes")
    assert status == 0
    lines = text.splitlines()
    assert lines[0].startswith("Ranked on likes: ")
    assert "only 1 video with likes (a rank needs 5)" in text
    status, text, _ = run("accounts", *scrape, "--json", "--rank-by", "likes")
    ranks = [r["rank"] for r in json.loads(text)["accounts"] if r["rank"] is not None]
    assert ranks == sorted(ranks) and ranks[0] == 1


@pytest.fixture(scope="module")
def hashtags_json(scrape: list[str]) -> dict:
    status, text, _ = run("hashtags", *scrape, "--json")
    assert status == 0
    return json.loads(text)


def test_hashtags_gives_one_row_per_hashtag_with_the_issue_s_shape(hashtags_json, shape_store):
    _, store = shape_store("scraper_many")
    table, _ = hashtag_table(store)
    rows = hashtags_json["hashtags"]
    assert [r["hashtag"] for r in rows] == table["hashtag"].tolist()
    assert list(rows[0])[:3] == ["hashtag", "videos", "accounts"]
    assert {"uplift", "low", "high", "like_rate", "median_likes", "verdict", "videos_needed"} <= set(rows[0])
    assert rows[0] == {**rows[0], "hashtag": "#booktok", "videos": 1000, "accounts": 800}
    assert hashtags_json["account"] is None
    assert (
        hashtags_json["prior"]["videos"] == 1000 and "method of moments" in hashtags_json["prior"]["sentence"]
    )


def test_hashtags_of_one_account(scrape, shape_store):
    _, store = shape_store("scraper_many")
    account = store.primary_account()
    status, text, _ = run("hashtags", *scrape, "--account", account, "--json")
    assert status == 0
    report = json.loads(text)
    assert report["account"] == account
    videos = portfolio(store).set_index("account").loc[account, "videos"]
    assert report["hashtags"][0] == {
        **report["hashtags"][0],
        "hashtag": "#booktok",
        "videos": videos,
        "accounts": 1,
    }


def test_hashtags_of_an_account_not_in_the_files_is_an_error(scrape):
    status, text, err = run("hashtags", *scrape, "--account", "nobody.here")
    assert status == 2 and not text and err == "error: no account 'nobody.here' in the files\n"


def test_both_take_the_input_options_of_ingest(scrape, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Day,Hearts,Plays,Caption\n2026-03-01,10,100,hi #Tag\n2026-03-02,30,300,#tag\n")
    options = ["--map", "likes=Hearts", "--map", "views=Plays", "--map", "date=Day", "--map", "title=Caption"]
    status, text, _ = run("hashtags", sheet, *options, "--json", "--time-zone", "Europe/Berlin")
    assert status == 0
    assert json.loads(text)["hashtags"][0] == {
        **json.loads(text)["hashtags"][0],
        "hashtag": "#tag",
        "videos": 2,
    }
    status, text, _ = run("accounts", sheet, *options, "--json", "--export-date", "2026-03-05")
    assert status == 0 and len(json.loads(text)["accounts"]) == 1


def test_an_unreadable_file_exits_2_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n")
    result = subprocess.run(
        [sys.executable, "-m", "kpi_core", "accounts", str(bad), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
