"""The set the projection's bands are backtested on: the daily likes of every account shape
(data/shapes.py) with 100 days or more, read as an upload would be, and the synthetic set
(data/synthetic.py), each scored at one horizon beside the naive methods.

Used by scripts/backtest_shapes.py (the README's table) and tests/test_backtest_shapes.py (the
issue's ranges). `short_history_scores` cuts the same series but reads only the 26 days before
each cut, as a 28-day Studio download would give. Pooled figures weigh every cut alike; interval scores are divided by the
series' mean day times the horizon, so accounts of different sizes pool (lower is better).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from data.shapes import SHAPES, build
from data.synthetic import KINDS, synthetic_likes
from kpi_core.ingest import ingest_files
from kpi_core.planning.backtest import NAIVE_METHODS, backtest_series
from kpi_core.planning.baseline import load_baseline
from kpi_core.planning.bootstrap import level_paths
from kpi_core.planning.calibration import prior_levels
from kpi_core.planning.cuts import interval_score, whole_band
from kpi_core.store import Store

__all__ = [
    "METHODS",
    "MIN_DAYS",
    "SHORT_DAYS",
    "Score",
    "pooled",
    "scores",
    "series_set",
    "shape_likes",
    "short_history_scores",
]

MIN_DAYS = 100  # a shape with fewer days of likes has too few cuts at 56 days to report
METHODS = ("project", *NAIVE_METHODS)


@dataclass(frozen=True)
class Score:
    """One method on one series at one horizon: coverage (0..1) over `cuts` cuts and the scaled
    interval score (None where the method drew no band)."""

    cuts: int
    coverage: float | None
    interval: float | None


def shape_likes() -> dict[str, np.ndarray]:
    """Daily likes of every shape with at least MIN_DAYS days, read as an upload would be."""
    out = {}
    for name in SHAPES:
        shape = build(name)
        options = dict(shape.options)
        if isinstance(options.get("export_date"), str):
            options["export_date"] = date.fromisoformat(options["export_date"])
        store = Store()
        ingest_files(store, list(shape.files.items()), today=shape.export_date, **options)
        account = store.primary_account()
        if account is None:
            continue
        likes = load_baseline(store, account).likes
        if (~np.isnan(likes)).sum() >= MIN_DAYS:
            out[name] = likes
    return out


def series_set() -> dict[str, np.ndarray]:
    """The shapes' daily likes, then two seeds of every synthetic kind."""
    out = shape_likes()
    out.update({f"synthetic {kind} {seed}": synthetic_likes(seed, kind) for kind in KINDS for seed in (0, 1)})
    return out


def scores(series: dict[str, np.ndarray], horizon: int) -> dict[str, dict[str, Score]]:
    """{series: {method: Score}} at `horizon` days, series without a cut left out."""
    out = {}
    for name, x in series.items():
        result = backtest_series(x, horizon)
        if not result.cuts:
            continue
        scale = float(np.nanmean(x)) * horizon or 1.0
        figures = {"project": (result.coverage, result.interval_score)}
        figures.update({m: (b["coverage"], b["interval_score"]) for m, b in result.baselines.items()})
        out[name] = {
            m: Score(result.cuts, c, None if s is None else s / scale) for m, (c, s) in figures.items()
        }
    return out


def pooled(table: dict[str, dict[str, Score]]) -> dict[str, Score]:
    """Every method's coverage and scaled interval score over all cuts of all series."""
    out = {}
    for m in METHODS:
        cells = [
            row[m] for row in table.values() if row[m].coverage is not None and row[m].interval is not None
        ]
        weights = np.array([c.cuts for c in cells], dtype=float)
        coverage = float(np.average([c.coverage for c in cells], weights=weights))
        interval = float(np.average([c.interval for c in cells], weights=weights))
        out[m] = Score(int(weights.sum()), coverage, interval)
    return out


SHORT_DAYS = 26  # a standard 28-day Studio download holds 26 settled days
SHORT_STEP = 14  # its cuts: every 14 days of every series of the set


def short_history_scores(series: dict[str, np.ndarray], horizon: int, days: int = SHORT_DAYS) -> Score:
    """The projection from only the last `days` days before each cut (a 28-day download), at
    `horizon` days: too short for any past window of its own, so the band is the prior's
    (calibration.prior_levels). Coverage and scaled interval score over all cuts of all series."""
    rng = np.random.default_rng(0)
    low_level, _, high_level = prior_levels(horizon)
    held, scores_ = [], []
    for x in series.values():
        scale = float(np.nanmean(x)) * horizon or 1.0
        for at in range(max(days, 40), len(x) - horizon, SHORT_STEP):
            history, outcome = x[at - days + 1 : at + 1], x[at + 1 : at + 1 + horizon]
            if np.isnan(outcome).any() or np.isnan(history).sum() > days // 5:
                continue
            made = level_paths(history, horizon, 1000, rng)
            if made is None:
                continue
            totals = made.values.sum(axis=1)
            low, high = whole_band(
                float(np.quantile(totals, low_level)), float(np.quantile(totals, high_level))
            )
            held.append(low <= outcome.sum() <= high)
            scores_.append(interval_score(low, high, float(outcome.sum())) / scale)
    return Score(len(held), float(np.mean(held)), float(np.mean(scores_)))
