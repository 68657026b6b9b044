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


def test_the_references_trend_verdict_allows_for_carry_over_as_kpi_core_does():
    """The smoke run's daily likes are independent from day to day, so its agreement says little
    about the allowance for carry-over: here the reference's own verdict (bench/portfolio.py, in
    closed form on scipy) meets kpi_core's on series that carry from day to day, where assuming
    independent days would give other verdicts."""
    import importlib.util

    import numpy as np
    from scipy import stats
    from scipy.signal import lfilter

    from kpi_core.metrics.trends import trend

    spec = importlib.util.spec_from_file_location("bench_portfolio", ROOT / "bench" / "portfolio.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rng = np.random.default_rng(11)
    start = np.datetime64("2026-03-02")
    verdicts, independent = [], []
    for run in range(60):
        phi, n = (0.3, 0.6, 0.9)[run % 3], (30, 120, 300)[run // 3 % 3]
        noise = lfilter([1], [1, -phi], rng.normal(0, 0.4, n))
        likes = np.round(300 * np.exp(noise) * (1 + rng.uniform(-0.6, 0.6) * np.arange(n) / n))
        days = np.arange(n, dtype=float)
        ours = trend(start + np.arange(n), likes).verdict
        assert bench.verdict(days, likes) == ours, (run, phi, n)
        verdicts.append(ours)
        fit = stats.theilslopes(likes, days, alpha=0.95)
        independent.append(
            "rising" if fit.low_slope > 0 else "falling" if fit.high_slope < 0 else "no clear trend"
        )
    assert {"rising", "falling", "no clear trend"} <= set(verdicts)
    assert sum(a != b for a, b in zip(verdicts, independent, strict=True)) >= 10
