"""Backtests and calibration: interval scores, cuts, PITs, the calibrated levels and the backtest
report (the ranges on every account shape: test_backtest_shapes.py)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from data.synthetic import synthetic_likes
from kpi_core.planning.backtest import (
    NAIVE_METHODS,
    backtest,
    backtest_series,
    daily_series,
    interval_score,
    series_cuts,
)
from kpi_core.planning.baseline import Baseline
from kpi_core.planning.calibration import BAND, MIN_WINDOWS, Calibration, calibrate, prior_levels
from kpi_core.planning.cuts import Cut


def test_the_interval_score_is_the_width_plus_ten_times_the_miss():
    assert interval_score(90, 110, 100) == 20
    assert interval_score(90, 110, 120) == 20 + 10 * 10
    assert interval_score(90, 110, 85) == 20 + 10 * 5


def test_a_constant_series_is_always_covered():
    result = backtest_series(np.full(200, 100.0), 28, naive=False)
    assert result.cuts == 21  # cuts at day 31, 38, ..., 171: the last one whose 28 days are known
    assert result.coverage == 1.0 and result.below == 0


def test_cuts_whose_outcome_misses_a_day_are_skipped():
    values = np.full(200, 100.0)
    values[150] = np.nan  # the 28-day windows after the cuts at 122 .. 143 hold it
    assert len(series_cuts(values, 28)) == 17


def test_pits_say_where_the_outcome_fell_among_the_simulations():
    cut = series_cuts(np.full(120, 100.0), 14)[-1]
    assert cut.outcome == 1400 and cut.low <= 1400 <= cut.high
    assert 0 <= cut.pit <= 1 and len(cut.grid) == 101 and cut.quantile(0.5) == pytest.approx(cut.median)


def _cuts_with_pits(pits, horizon=7):
    """Hand-made past windows 7 days apart whose outcomes fell at the given PITs."""
    grid = tuple(float(v) for v in range(101))
    return [Cut(7 * i, horizon, 50.0, 10.0, 50.0, 90.0, pit, grid) for i, pit in enumerate(pits)]


def test_calibration_moves_the_bands_quantile_levels_towards_where_past_outcomes_fell():
    # 40 past 7-day windows whose outcomes all fell at the raw simulations' 30th percentile: the
    # band's three levels move to 0.3, shrunk towards the prior by the windows' effective number
    # (recent ones weigh more: a weight halving every 13 windows back).
    fitted = calibrate(_cuts_with_pits([0.3] * 40), 7)
    weights = 0.5 ** (np.arange(40) / 13)
    n_eff = weights.sum() ** 2 / (weights**2).sum()  # 29.6 of 40
    assert n_eff == pytest.approx(29.6, abs=0.05)
    w = n_eff / (n_eff + 12)
    prior = prior_levels(7)
    assert fitted.levels[1] == pytest.approx(w * 0.3 + (1 - w) * 0.5)
    assert fitted.levels[0] == pytest.approx(w * 0.3 + (1 - w) * prior[0])


def test_recent_windows_weigh_more_than_old_ones():
    # Twenty old windows that undershot (PIT 0.9), then twenty recent ones that overshot (0.1):
    # the band's middle follows the recent ones.
    fitted = calibrate(_cuts_with_pits([0.9] * 20 + [0.1] * 20), 7)
    assert fitted.levels[1] < 0.35


def test_the_band_is_widened_for_few_past_windows():
    # PITs spread evenly over 0..1, old and recent alike: the raw band was honest. Read off 30
    # windows, the band
    # reaches further out than off 300 (split conformal's (n + 1) / n), and off either it reaches
    # beyond the 10th and 90th percentiles of those PITs.
    even = lambda n: list((np.arange(n) * 0.6180339887 + 0.5) % 1)  # noqa: E731  (spread at every age)
    few, many = calibrate(_cuts_with_pits(even(30)), 7), calibrate(_cuts_with_pits(even(300)), 7)
    width = lambda c: c.levels[2] - c.levels[0]  # noqa: E731
    assert width(few) > width(many) > 0.8


def test_a_calibrated_sentence_counts_the_windows_held():
    cuts = series_cuts(synthetic_likes(1, "decline"), 28)
    fitted = calibrate(cuts, 28)
    assert fitted.windows == len(cuts) >= MIN_WINDOWS and fitted.checked > 0
    assert f"held {fitted.held} of {fitted.checked} past 28-day windows" in fitted.sentence()


def test_too_few_windows_take_the_prior_and_say_so():
    fitted = calibrate(series_cuts(np.full(60, 50.0), 28), 28)
    assert not fitted.enough and fitted.levels == prior_levels(28)
    assert "at least 6 are needed" in fitted.sentence()


def test_a_calibrated_path_keeps_its_rank_and_takes_the_level_of_its_rank():
    fitted = calibrate([], 14)
    future = np.arange(1, 1001, dtype=float)[:, None]  # one day, values 1..1000
    moved = fitted.apply(future)
    assert np.all(np.diff(moved[:, 0]) >= 0)  # ranks kept
    low, _, high = prior_levels(14)
    assert np.quantile(moved, 0.1) == pytest.approx(np.quantile(future, low), rel=0.02)
    assert np.quantile(moved, 0.9) == pytest.approx(np.quantile(future, high), rel=0.02)


def test_backtest_reports_the_project_and_every_naive_method():
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(200)]
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "account": "acc",
            "date": days,
            "likes": pd.array(rng.poisson(100, 200), dtype="Int64"),
            "views": pd.array(rng.poisson(2000, 200), dtype="Int64"),
            "followers": pd.array([1000 + 5 * i for i in range(200)], dtype="Int64"),
        }
    )
    b = Baseline.from_frames(frame)
    report = backtest(b, "likes", (14, 28)).to_dict()
    assert report["metric"] == "likes" and [h["days"] for h in report["horizons"]] == [14, 28]
    first = report["horizons"][0]
    assert first["cuts"] > 10 and 0 <= first["coverage"] <= 1 and first["interval_score"] > 0
    assert set(first["baselines"]) == set(NAIVE_METHODS)
    gains = backtest(b, "followers", (14,)).horizons[0]
    assert gains.coverage == 1.0  # +5 a day, every day
    assert list(daily_series(frame, "followers")[1:4]) == [5.0, 5.0, 5.0]
    with pytest.raises(ValueError, match="likes, views, followers"):
        backtest(b, "like_rate")


def _apply_by_rule(levels, future):
    """Calibration.apply as its docstring states it, column by column: each path's rank on its day
    (by two sorts), the level that rank maps to, the raw value at that level."""
    n = future.shape[0]
    out = np.empty_like(future)
    for day in range(future.shape[1]):
        column = future[:, day]
        ranks = (np.argsort(np.argsort(column)) + 0.5) / n
        target = np.interp(ranks, (0.0, BAND[0], 0.5, BAND[1], 1.0), (0.0, *levels, 1.0))
        ordered = np.sort(column)
        positions = np.clip(target * n - 0.5, 0, n - 1)
        below = np.floor(positions).astype(int)
        frac = positions - below
        values = ordered[below] * (1 - frac) + ordered[np.minimum(below + 1, n - 1)] * frac
        out[:, day] = np.where(np.isnan(column), np.nan, values)
    return out


def test_recalibrated_paths_keep_their_rank_and_take_the_value_at_its_calibrated_level():
    rng = np.random.default_rng(3)
    future = rng.gamma(2.0, 100.0, size=(500, 40))
    future[:, 5] = np.round(future[:, 5] / 80)  # many ties
    future[:, 12] = 7.0  # a constant day
    for levels in ((0.06, 0.47, 0.95), (0.12, 0.55, 0.85)):
        got = Calibration(40, levels, 30, 20, 25).apply(future)
        assert np.array_equal(got, _apply_by_rule(levels, future))
        assert got.flags.c_contiguous
        # The median path's value moves to the raw `levels[1]` quantile of its day.
        assert np.median(got[:, 0]) == pytest.approx(np.quantile(future[:, 0], levels[1]), rel=0.02)


def test_paths_without_a_value_stay_without_and_the_others_are_calibrated_among_themselves():
    # A rate before any view, likes per video before any video: 80 of 500 paths have no value on
    # day 9, none on day 11. The other paths of day 9 are recalibrated as if alone (counted with
    # the empty ones, the top ones took the empty tail's NaN and the levels slid).
    rng = np.random.default_rng(4)
    future = rng.gamma(2.0, 100.0, size=(500, 20))
    future[100:180, 9] = np.nan
    future[:, 11] = np.nan
    levels = (0.12, 0.55, 0.85)
    got = Calibration(20, levels, 30, 20, 25).apply(future)
    known = ~np.isnan(future[:, 9])
    assert np.array_equal(got[known, 9:10], _apply_by_rule(levels, future[known, 9:10]))
    assert np.isnan(got[~known, 9]).all() and np.isnan(got[:, 11]).all() and not np.isnan(got[known, 9]).any()
    whole = [day for day in range(20) if day not in (9, 11)]
    assert np.array_equal(got[:, whole], _apply_by_rule(levels, future[:, whole]))
