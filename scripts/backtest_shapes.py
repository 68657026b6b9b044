"""The projection's backtest on every account shape and a synthetic set, as the README reports it.

    python scripts/backtest_shapes.py            # a Markdown table per horizon, about half a minute

For each series of data/backtest_set.py, `backtest_series` cuts the history every 7 days,
projects 14, 28 and 56 days from each cut with the bands calibrated as the app would have
calibrated them then (out of sample), and scores the naive methods on the same cuts.
tests/test_backtest_shapes.py checks the same figures against the issue's ranges.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from data.backtest_set import METHODS, SHORT_DAYS, pooled, scores, series_set, short_history_scores  # noqa: E402
from kpi_core.planning.backtest import HORIZONS, NAIVE_METHODS  # noqa: E402


def main() -> None:
    series = series_set()
    for horizon in HORIZONS:
        table = scores(series, horizon)
        print(
            f"\n{horizon} days ahead: coverage of the 80% band (cuts), interval score / (mean day x days)\n"
        )
        print("| series | project | " + " | ".join(NAIVE_METHODS) + " |")
        print("| --- " * (len(METHODS) + 1) + "|")
        for name, row in table.items():
            cells = [
                "n/a"
                if s.coverage is None or s.interval is None
                else f"{s.coverage:.0%} ({s.cuts}), {s.interval:.2f}"
                for s in (row[m] for m in METHODS)
            ]
            print(f"| {name} | " + " | ".join(cells) + " |")
        total = pooled(table)
        print(
            "| **pooled** | "
            + " | ".join(f"**{total[m].coverage:.0%}, {total[m].interval:.2f}**" for m in METHODS)
            + " |"
        )
    print(
        f"\nOnly the {SHORT_DAYS} days before each cut (a 28-day download), every series, cuts 14 days apart:\n"
    )
    print("| days ahead | cuts | coverage of the 80% band | interval score / (mean day x days) |")
    print("| --- | --- | --- | --- |")
    for horizon in (*HORIZONS, 90):
        short = short_history_scores(series, horizon)
        print(f"| {horizon} | {short.cuts} | {short.coverage:.0%} | {short.interval:.2f} |")


if __name__ == "__main__":
    main()
