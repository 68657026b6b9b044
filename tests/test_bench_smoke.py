"""The benchmark's smoke run (10k videos, no browser) works end to end and its engines agree.

Speed is never asserted: only that the run completes, that kpi_core and both floors compute the
same aggregates from the same files, and that its figures are sane.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("bench")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--out", str(out)],
        cwd=ROOT,
        check=True,
        timeout=900,
        capture_output=True,
    )
    return json.loads((out / "results-smoke.json").read_text()), out


def the_size(results: dict) -> dict:
    (size,) = results["sizes"].values()
    return size


def test_the_smoke_run_measures_the_smallest_size_only(smoke):
    results, _ = smoke
    assert list(results["sizes"]) == ["10000"]
    assert "browser" not in results and "spill" not in results


def test_kpi_core_and_both_floors_agree_on_every_aggregate_of_every_account(smoke):
    size = the_size(smoke[0])
    assert size["disagreements"] == {"kpi_core": [], "duckdb": [], "pandas": []}


def test_likes_and_like_rate_are_the_same_in_the_three_engines(smoke):
    scores = the_size(smoke[0])["example_scores"]
    ours = scores["kpi_core"]
    assert ours["per_video"]["videos"] > 0 and ours["per_day"]["days"] > 3000
    for floor in ("duckdb", "pandas"):
        for grain in ("per_video", "per_day"):
            assert scores[floor][grain]["likes"] == ours[grain]["likes"]
            assert scores[floor][grain]["like_rate"] == pytest.approx(ours[grain]["like_rate"], rel=1e-12)
    for grain in ("per_video", "per_day"):
        assert 0 < ours[grain]["like_rate"] < 1
        assert ours[grain]["like_rate"] == pytest.approx(
            ours[grain]["likes"] / ours[grain]["views"], rel=1e-12
        )


def test_every_timing_and_memory_figure_is_positive(smoke):
    size = the_size(smoke[0])
    for name in ("kpi_ingest", "kpi_score", "kpi_trend", "duckdb", "pandas", "what_if_ms", "baseline_s"):
        assert size[name]["median"] > 0, name
        assert size[name]["min"] <= size[name]["median"] <= size[name]["max"], name
    for engine in ("kpi_core", "duckdb", "pandas"):
        assert size["rss"][engine]["median"] > size["rss_after_imports"]["min"] * 0.5
    assert size["input_bytes"] > 5_000_000


def test_more_posts_per_week_never_delay_the_reach_date_and_the_slider_moves_it(smoke):
    reach = the_size(smoke[0])["reach_dates"]  # one per slider position, 1.0 .. 20.5 posts a week
    days = [date if date is not None else "9999-12-31" for date in reach]
    assert days == sorted(days, reverse=True)
    assert len(set(days)) > 5


def test_the_report_states_each_target_as_met_or_missed(smoke):
    text = (smoke[1] / "RESULTS-smoke.md").read_text()
    assert "## Targets" in text
    targets = text.split("## Targets", 1)[1]
    assert (
        targets.count("**met**") + targets.count("**missed**") == 6
    )  # the browser, 10M and local-file ones need the full run


def test_the_spill_step_completes_on_a_small_store(tmp_path):
    """bench/spill.py, whose 10M run only the full benchmark makes, on 20k rows: its insert must
    keep matching the store's schema."""
    out = tmp_path / "spill.json"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "spill.py"), str(out), "20000"],
        cwd=ROOT,
        check=True,
        timeout=300,
        capture_output=True,
    )
    report = json.loads(out.read_text())
    assert report["error"] is None and report["completed"]
    assert (report["videos"], report["accounts"]) == (19800, 50)  # 1 % of the rows are rescrapes


def test_the_studio_download_is_timed_beside_duckdb_reading_the_same_files(smoke):
    small = smoke[0]["small_files"]
    assert small["files"] == 7 and small["zips"] == 4
    assert small["kpi_core_ms"]["median"] > 0 and small["duckdb_ms"]["median"] > 0
