"""The bands' backtest on every account shape and the synthetic set (data/backtest_set.py), held
to issue 13's ranges: pooled coverage of the 80 % band 75-85 % at 14, 28 and 56 days, every shape
65-92 %, and a pooled interval score below every naive method's.

Two cells are outside the per-shape range for reasons the README's methods section states, and
are marked as expected failures (strict: a change that brings them in range fails here, so the
README is updated with it):
- tiny at 14 days: its 14-day outcomes are nearly all 0 or 1 like, and a band of whole likes
  that holds 0 and 1 holds every such window;
- dormant at 56 days: 9 of its 17 windows hold the day it started posting, which nothing in its
  past foretold.

A 28-day download (26 settled days) has no past window of its own to calibrate on; the last test
holds its bands, on the same series, to a floor that says how far short of 80 % they still fall.
"""

from __future__ import annotations

import pytest

from data.backtest_set import METHODS, pooled, scores, series_set, short_history_scores
from kpi_core.planning.backtest import HORIZONS

OUT_OF_RANGE = {("tiny", 14), ("dormant", 56)}


@pytest.fixture(scope="module")
def series():
    return series_set()


@pytest.fixture(scope="module")
def tables(series):
    return {h: scores(series, h) for h in HORIZONS}


@pytest.mark.parametrize("horizon", HORIZONS)
def test_pooled_coverage_is_75_to_85_percent(tables, horizon):
    coverage = pooled(tables[horizon])["project"].coverage
    assert coverage is not None and 0.75 <= coverage <= 0.85, coverage


@pytest.mark.parametrize("horizon", HORIZONS)
def test_pooled_interval_score_is_below_every_naive_method(tables, horizon):
    total = pooled(tables[horizon])
    ours = total["project"].interval
    assert ours is not None
    for method in METHODS[1:]:
        theirs = total[method].interval
        assert theirs is not None and ours < theirs, (method, ours, theirs)


def _shape_cells():
    cells = []
    for horizon in HORIZONS:
        for name in ("tiny", "declining", "growing", "dormant", "negative_comments", "spiky", "level_shift"):
            marks = [pytest.mark.xfail(strict=True)] if (name, horizon) in OUT_OF_RANGE else []
            cells.append(pytest.param(name, horizon, marks=marks, id=f"{name}-{horizon}"))
    return cells


@pytest.mark.parametrize(("name", "horizon"), _shape_cells())
def test_every_shape_is_covered_65_to_92_percent(tables, name, horizon):
    score = tables[horizon][name]["project"]
    assert score.cuts >= 5 and score.coverage is not None
    assert 0.65 <= score.coverage <= 0.92, score


@pytest.mark.parametrize("horizon", HORIZONS)
def test_every_synthetic_series_is_covered_65_to_92_percent(tables, horizon):
    for name, row in tables[horizon].items():
        if name.startswith("synthetic"):
            assert row["project"].coverage is not None and 0.65 <= row["project"].coverage <= 0.92, name


@pytest.mark.parametrize(("horizon", "floor"), [(28, 0.6), (56, 0.7), (90, 0.75)])
def test_a_28_day_download_gets_a_band_that_holds_most_outcomes(series, horizon, floor):
    # Measured: 67 %, 75 % and 81 % (README). Before the level's drift was shrunk towards the
    # backtest set's and its level uncertainty floored by its days' own scatter: 40 %, 38 %, 38 %.
    short = short_history_scores(series, horizon)
    assert short.cuts > 300 and short.coverage is not None
    assert floor <= short.coverage <= 0.92, short
