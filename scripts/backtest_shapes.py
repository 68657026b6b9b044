"""The projection's backtest on every account shape and a synthetic set, as the README reports it.

    python scripts/backtest_shapes.py            # a Markdown table per horizon, about a minute

For each series (the daily likes of every shape in data/shapes.py with 100 days or more, and the
synthetic set of data/synthetic.py), `backtest_series` cuts the history every 7 days, projects
14, 28 and 56 days from each cut with the bands calibrated as the app would have calibrated them
then (out of sample), and scores the naive methods on the same cuts. Pooled figures weigh every
cut alike; interval scores are divided by the series' mean day times the horizon, so accounts of
different sizes pool (lower is better).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from data.shapes import SHAPES, build  # noqa: E402
from data.synthetic import KINDS, synthetic_likes  # noqa: E402
from kpi_core.ingest import ingest_files  # noqa: E402
from kpi_core.planning.backtest import HORIZONS, NAIVE_METHODS, backtest_series  # noqa: E402
from kpi_core.planning.baseline import load_baseline  # noqa: E402
from kpi_core.store import Store  # noqa: E402

MIN_DAYS = 100  # a shape with fewer days of likes has too few cuts at 56 days to report


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


def main() -> None:
    series = shape_likes()
    series.update(
        {f"synthetic {kind} {seed}": synthetic_likes(seed, kind) for kind in KINDS for seed in (0, 1)}
    )
    methods = ("project", *NAIVE_METHODS)
    for horizon in HORIZONS:
        pooled: dict[str, list[tuple[int, float, float]]] = {m: [] for m in methods}
        print(
            f"\n{horizon} days ahead: coverage of the 80% band (cuts), interval score / (mean day x days)\n"
        )
        print("| series | project | " + " | ".join(NAIVE_METHODS) + " |")
        print("| --- " * (len(methods) + 1) + "|")
        for name, x in series.items():
            score = backtest_series(x, horizon)
            if not score.cuts:
                continue
            scale = float(np.nanmean(x)) * horizon or 1.0
            figures = {"project": (score.coverage, score.interval_score)}
            figures.update({m: (b["coverage"], b["interval_score"]) for m, b in score.baselines.items()})
            cells = []
            for m in methods:
                coverage, interval = figures[m]
                if coverage is None or interval is None:
                    cells.append("n/a")
                    continue
                pooled[m].append((score.cuts, coverage, interval / scale))
                cells.append(f"{coverage:.0%} ({score.cuts}), {interval / scale:.2f}")
            print(f"| {name} | " + " | ".join(cells) + " |")
        totals = []
        for m in methods:
            weights = np.array([c for c, _, _ in pooled[m]], dtype=float)
            coverage = np.average([v for _, v, _ in pooled[m]], weights=weights)
            interval = np.average([s for _, _, s in pooled[m]], weights=weights)
            totals.append(f"**{coverage:.0%}, {interval:.2f}**")
        print("| **pooled** | " + " | ".join(totals) + " |")


if __name__ == "__main__":
    main()
