"""bench/portfolio.py's smoke run works end to end and its three engines agree on every figure.

Speed is never asserted: only that the run completes, that kpi_core, the DuckDB reference and the
pandas reference compute the same table from the same rows, and that its figures are sane."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("bench-portfolio")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "portfolio.py"), "--smoke", "--out", str(out)],
        cwd=ROOT,
        check=True,
        timeout=600,
        capture_output=True,
    )
    return json.loads((out / "portfolio-smoke.json").read_text()), (out / "portfolio-smoke.md").read_text()


def test_the_three_engines_agree_on_every_account_and_hashtag(smoke):
    results, text = smoke
    assert results["disagreements"] == {"kpi_core": [], "duckdb": [], "pandas": []}
    assert "Engines agree on every figure of every account and hashtag: **yes**" in text


def test_the_scaled_scrape_has_the_asked_size(smoke):
    results, _ = smoke
    assert results["accounts"] == results["size"]["accounts"] == 100
    assert results["videos"] == results["size"]["videos"] == 3000
    assert results["hashtags"] > 100 and 0 < results["ranked_accounts"] < 100


def test_every_timing_is_positive_and_each_ratio_is_a_ratio_of_medians(smoke):
    results, _ = smoke
    for engine in ("kpi_core", "duckdb", "pandas"):
        for part in ("accounts", "hashtags", "total"):
            figure = results[f"{engine}_{part}"]
            assert 0 < figure["min"] <= figure["median"] <= figure["max"]
    for floor in ("duckdb", "pandas"):
        assert results[f"ratio_{floor}_total"] == pytest.approx(
            results["kpi_core_total"]["median"] / results[f"{floor}_total"]["median"]
        )
