"""`python -m kpi_core ingest`: the per-file JSON report, exit codes and plain-sentence errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kpi_core.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"name", "kind", "account", "rows", "accepted", "rejected", "errors", "date_from", "date_to"}


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "kpi_core", "ingest", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def files_of(done: subprocess.CompletedProcess[str]) -> dict[str, dict]:
    return {f["name"]: f for f in json.loads(done.stdout)["files"]}


@pytest.fixture(scope="module")
def studio_run() -> subprocess.CompletedProcess[str]:
    """One run over several formats at once (each run starts a Python and loads DuckDB)."""
    fixtures = ROOT / "tests" / "fixtures"
    return run_cli(
        fixtures / "studio/Overview_2026-01-04_1767657600_sample.brand.zip",
        fixtures / "studio/Viewers.csv",
        fixtures / "ads/ads_report.csv",
        fixtures / "scrapers/tiktok_dataset.csv",
        "--json",
    )


def test_the_json_report_has_every_key_for_every_file(studio_run):
    assert studio_run.returncode == 0, studio_run.stderr
    assert studio_run.stderr == ""
    files = files_of(studio_run)
    assert len(files) == 4
    for report in files.values():
        assert KEYS <= set(report)
        assert report["rows"] == report["accepted"] + report["rejected"]
        for error in report["errors"]:
            assert set(error) == {"line", "column", "reason"}


def test_the_json_values_for_a_zip_its_neighbour_and_an_ads_report(studio_run):
    files = files_of(studio_run)
    overview = files["Overview_2026-01-04_1767657600_sample.brand.zip/Overview.csv"]
    assert (overview["kind"], overview["account"], overview["rows"], overview["accepted"]) == (
        "studio_overview",
        "sample.brand",
        12,
        12,
    )
    assert (overview["date_from"], overview["date_to"]) == ("2025-12-24", "2026-01-04")
    viewers = files["Viewers.csv"]
    assert (viewers["account"], viewers["date_from"], viewers["date_to"]) == (
        "sample.brand",
        "2026-01-01",
        "2026-01-05",
    )
    ads = files["ads_report.csv"]
    assert (ads["kind"], ads["rows"], ads["accepted"], ads["rejected"]) == ("ads_report", 15, 14, 1)
    [error] = ads["errors"]
    assert error["line"] == 16 and error["column"] == "Ad name" and "total row" in error["reason"]
    dataset = files["tiktok_dataset.csv"]
    assert (dataset["kind"], dataset["rows"], dataset["accepted"], dataset["date_from"]) == (
        "mapped_videos",
        8,
        8,
        None,
    )


def test_a_mapped_file_works_with_the_auto_suggested_mapping(fixtures):
    done = run_cli(fixtures / "mapped/my_tracker.csv", "--json")
    assert done.returncode == 0, done.stderr
    [report] = files_of(done).values()
    assert (report["kind"], report["rows"], report["accepted"]) == ("mapped_videos", 6, 6)
    assert (report["date_from"], report["date_to"]) == ("2026-03-02", "2026-03-19")
    assert any("Hearts" in note for note in report["notes"])


@pytest.mark.parametrize(
    ("name", "maps", "kind", "dates"),
    [
        (
            "mapped/daily_tracker.csv",
            ["date=Day", "likes=Hearts", "views=Plays"],
            "mapped_daily",
            ("2026-03-01", "2026-03-07"),
        ),
        (
            "mapped/my_tracker.csv",
            ["title=Clip", "posted_at=Published", "likes=Hearts", "views=Plays"],
            "mapped_videos",
            ("2026-03-02", "2026-03-19"),
        ),
    ],
)
def test_the_mapped_fixtures_work_with_an_explicit_map(fixtures, name, maps, kind, dates):
    done = run_cli(fixtures / name, "--json", *[arg for m in maps for arg in ("--map", m)])
    assert done.returncode == 0, done.stderr
    [report] = files_of(done).values()
    assert (report["kind"], report["rejected"], report["date_from"], report["date_to"]) == (kind, 0, *dates)
    assert not any("matched by name" in note for note in report["notes"])  # ours, not the suggestion


def test_an_explicit_map_reads_a_sheet_no_suggestion_fits(tmp_path):
    sheet = tmp_path / "odd.csv"
    sheet.write_text("Clip,When,Loves,Watched\nA,2026-03-02,5,50\nB,2026-03-04,x,60\n", encoding="utf-8")
    unmapped = run_cli(sheet, "--json")
    assert unmapped.returncode == 2 and "odd.csv: its columns are not a TikTok export" in unmapped.stderr
    done = run_cli(
        sheet,
        "--json",
        "--map",
        "likes=Loves",
        "--map",
        "views=Watched",
        "--map",
        "title=Clip",
        "--map",
        "posted_at=When",
        "--account",
        "me.brand",
    )
    assert done.returncode == 0, done.stderr
    [report] = files_of(done).values()
    assert (report["kind"], report["account"], report["rows"], report["accepted"], report["rejected"]) == (
        "mapped_videos",
        "me.brand",
        2,
        1,
        1,
    )
    assert report["errors"] == [
        {"line": 3, "column": "Loves", "reason": "Line 3, column 'Loves': is not a count"}
    ]


def test_the_export_date_option_sets_the_year_of_yearless_dates(fixtures):
    done = run_cli(fixtures / "studio/Overview_365_newyear.csv", "--json", "--export-date", "2026-01-06")
    [report] = files_of(done).values()
    assert (report["rows"], report["date_from"], report["date_to"]) == (365, "2025-01-05", "2026-01-04")
    assert "2026-01-06" in report["date_basis"]


def test_the_plain_report_lists_each_file(fixtures):
    done = run_cli(fixtures / "studio/Overview.csv", "--export-date", "2026-01-06")
    assert done.returncode == 0
    assert (
        "Overview.csv: studio_overview" in done.stdout and "12 rows: 12 accepted, 0 rejected" in done.stdout
    )


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("chart.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image"),
        ("empty.csv", b"", "is empty"),
        ("scrape.json", b"[{", "is not valid JSON"),
    ],
)
def test_an_unreadable_file_exits_2_with_a_sentence_and_no_traceback(tmp_path, fixtures, name, data, words):
    bad = tmp_path / name
    bad.write_bytes(data)
    done = run_cli(bad, fixtures / "studio/Viewers.csv", "--json", "--export-date", "2026-01-06")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"{name}: ") and words in line
    files = files_of(done)
    assert files[name]["error"] == line
    assert files["Viewers.csv"]["accepted"] == 5  # the readable file is still read


def test_a_missing_path_a_folder_and_bad_arguments_exit_2_without_a_traceback(tmp_path):
    done = run_cli(tmp_path / "nowhere.csv")
    assert done.returncode == 2 and "nowhere.csv: could not be opened" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_cli(tmp_path)
    assert done.returncode == 2 and f"{tmp_path.name}: is a folder, not a file" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_cli(tmp_path / "x.csv", "--export-date", "6 January")
    assert done.returncode == 2 and "is not a date like 2026-01-31" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_time_zone_option_moves_scraped_posting_times_and_refuses_unknown_zones(fixtures):
    done = run_cli(fixtures / "scrapers/apify.json", "--json", "--time-zone", "Europe/Berlin")
    assert done.returncode == 0, done.stderr
    [report] = json.loads(done.stdout)["files"]
    assert "Posting times moved from UTC to Europe/Berlin" in report["notes"]
    refused = run_cli(fixtures / "scrapers/apify.json", "--time-zone", "Berlin")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "'Berlin' is not a time zone we know" in refused.stderr


def test_a_handle_tiktok_would_not_allow_is_refused_and_an_at_sign_is_dropped(fixtures):
    refused = run_cli(fixtures / "studio/Overview.csv", "--account", "brand name")
    assert refused.returncode == 2 and "'brand name' is not a TikTok handle" in refused.stderr
    done = run_cli(
        fixtures / "studio/Overview.csv", "--json", "--account", "@my.brand", "--export-date", "2026-01-06"
    )
    assert done.returncode == 0, done.stderr
    assert [f["account"] for f in json.loads(done.stdout)["files"]] == ["my.brand"]


# A 2022 export whose two numeric dates read as a real day in either order, and nothing settles which.
AMBIGUOUS = (
    "Date,Video views,Profile views,Likes,Comments,Shares\n3/4/2022,100,1,10,0,0\n5/6/2022,200,2,20,0,0\n"
)


def test_the_date_order_option_reads_the_dates_nothing_in_the_file_settles(tmp_path):
    path = tmp_path / "Last 60 days.csv"
    path.write_text(AMBIGUOUS, encoding="utf-8")
    asked = run_cli(path, "--json", "--export-date", "2022-12-31")
    assert asked.returncode == 0, asked.stderr
    [report] = files_of(asked).values()
    assert (report["accepted"], report["rejected"]) == (0, 2)
    assert all(e["reason"].endswith("give the day/month order under upload options, or --date-order")
               for e in report["errors"])  # fmt: skip
    for order, first, last in (("dmy", "2022-04-03", "2022-06-05"), ("mdy", "2022-03-04", "2022-05-06")):
        done = run_cli(path, "--json", "--export-date", "2022-12-31", "--date-order", order)
        [report] = files_of(done).values()
        assert (report["accepted"], report["date_from"], report["date_to"]) == (2, first, last)
    refused = run_cli(path, "--date-order", "ymd")
    assert refused.returncode == 2 and "invalid choice: 'ymd'" in refused.stderr
    assert "Traceback" not in refused.stderr


@pytest.mark.parametrize(
    ("order", "first", "as_of"), [("dmy", "2022-04-03", "2022-04-03"), ("mdy", "2022-03-04", "2022-03-04")]
)
def test_score_and_goal_take_the_date_order_too(tmp_path, capsys, order, first, as_of):
    from kpi_core.cli import main

    path = tmp_path / "Last 60 days.csv"
    path.write_text(AMBIGUOUS, encoding="utf-8")
    common = [str(path), "--json", "--export-date", "2022-12-31", "--date-order", order]
    assert main(["score", *common]) == 0
    assert json.loads(capsys.readouterr().out)["date_from"] == first
    goal = ["--metric", "likes", "--target", "100", "--start", "2022-03-01", "--deadline", "2022-12-31"]
    assert main(["goal", *common, *goal]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == as_of


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_prints_its_help(command, capsys):
    # argparse formats help strings with %: a label such as "Like rate change (%)" once made
    # `goal --help` end in a traceback.
    try:
        code = main([command, "--help"])
    except SystemExit as done:  # a command with a parser of its own exits from it
        code = done.code
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.startswith("usage:") and f" {command} " in printed
