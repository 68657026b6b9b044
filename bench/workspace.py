"""Workspace files: size, and the time to save and restore one, beside references in the same run.

    python bench/workspace.py            # writes bench/WORKSPACE.md
    python bench/workspace.py --runs 3   # fewer repeats

- Size: a year of daily rows and 1,000 videos (`year_of_data`: every daily column filled, titles
  with emoji and hashtags, 19-digit ids), and the demo account. Target: under 1 MB.
- Time, on the demo account (data/demo, read as the app reads it): save = the store's tables as
  Parquet plus the ZIP (`saved_tables` + `workspace_bytes`, what the Save button does); restore =
  read and check the file, then fill a fresh store (`read_workspace` + `restore`, what an upload
  does). Target: each under 1 s. References, timed in the same run: reading the demo's exports
  (what a returning visitor would otherwise do) and the store's own snapshot and restore (the
  floor: the same tables as DataFrames, no file).

Kept apart from bench/run.py, which another benchmark owns; tests/test_workspace.py checks the
size target on the same data.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from kpi_core import workspace  # noqa: E402
from kpi_core.ingest import ingest_paths  # noqa: E402
from kpi_core.store import Store  # noqa: E402

MB = 1e6
TARGET_BYTES = 1_000_000
TARGET_SECONDS = 1.0
_WORDS = ["glow", "routine", "serum", "spf", "morning", "night", "tips", "review", "haul", "dewy", "skin"]


def year_of_data(store: Store, account: str = "brand.one", seed: int = 7) -> None:
    """365 days of every daily column and 1,000 videos of `account` (one export each), into `store`."""
    rng = np.random.default_rng(seed)
    last = date(2026, 11, 20)
    days = pd.date_range(last - timedelta(days=364), last, freq="D")
    views = rng.integers(20_000, 400_000, len(days))
    daily = pd.DataFrame(
        {
            "account": account,
            "date": days,
            "views": views,
            "profile_views": views // rng.integers(30, 60, len(days)),
            "likes": views // rng.integers(15, 30, len(days)),
            "comments": rng.integers(-3, 400, len(days)),
            "shares": rng.integers(0, 900, len(days)),
            "total_viewers": views // 2,
            "new_viewers": views // 3,
            "returning_viewers": views // 6,
            "followers": 20_000 + np.cumsum(rng.integers(-20, 200, len(days))),
            "provisional": [False] * (len(days) - 2) + [True, True],
            "snapshot_date": last,
            "source_file": "Overview.csv",
        }
    )
    _add(store, daily, "studio_overview", "daily_raw", "Overview.csv")
    n = 1000
    posted = pd.Timestamp(last) - pd.to_timedelta(rng.integers(0, 365 * 24 * 60, n), unit="min")
    ids = [str(7_600_000_000_000_000_000 + int(i)) for i in rng.integers(0, 10**17, n)]
    titles = [
        " ".join(rng.choice(_WORDS, 8)) + " ✨🧴 " + " ".join(f"#{w}" for w in rng.choice(_WORDS, 4))
        for _ in range(n)
    ]
    video_views = rng.integers(500, 2_000_000, n)
    videos = pd.DataFrame(
        {
            "account": account,
            "video_id": ids,
            "title": titles,
            "url": [f"https://www.tiktok.com/@{account}/video/{i}" for i in ids],
            "posted_at": posted,
            "posted_time_known": True,
            "posted_zone": "UTC",
            "likes": video_views // rng.integers(10, 40, n),
            "views": video_views,
            "comments": video_views // 900,
            "shares": video_views // 700,
            "saves": video_views // 500,
            "followers": 25_000,
            "duration_s": rng.uniform(7, 180, n).round(1),
            "is_ad": False,
            "snapshot_date": last,
            "source_file": "dataset_tiktok-scraper.csv",
        }
    )
    _add(store, videos, "scraper_videos", "videos_raw", "dataset_tiktok-scraper.csv")


def _add(store: Store, frame: pd.DataFrame, kind: str, table: str, name: str) -> None:
    summary = {"name": name, "kind": kind, "account": frame["account"].iloc[0], "rows": len(frame)}
    store.add_file({**summary, "accepted": len(frame), "rejected": 0}, frame, table, [])


def demo_store() -> Store:
    store = Store()
    ingest_paths(store, sorted((ROOT / "data" / "demo").iterdir()))
    return store


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median, min and max wall seconds of `runs` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def measure(runs: int = 5) -> dict[str, object]:
    year = Store()
    year_of_data(year)
    year_bytes = workspace.workspace_bytes(
        workspace.saved_tables(year), workspace.SessionState(), datetime.now()
    )
    year.close()

    demo = demo_store()
    demo_bytes = workspace.workspace_bytes(
        workspace.saved_tables(demo), workspace.SessionState(), datetime.now()
    )
    snapshot = demo.snapshot()

    def save() -> bytes:
        return workspace.workspace_bytes(
            workspace.saved_tables(demo), workspace.SessionState(), datetime.now()
        )

    def restore() -> None:
        fresh = Store()
        workspace.restore(fresh, workspace.read_workspace("demo.zip", demo_bytes))
        fresh.close()

    def floor_restore() -> None:
        fresh = Store()
        fresh.restore(snapshot)
        fresh.close()

    def fresh_store() -> None:
        Store().close()

    def read_exports() -> None:
        demo_store().close()

    return {
        "year_bytes": len(year_bytes),
        "demo_bytes": len(demo_bytes),
        "save": _timed(save, runs),
        "restore": _timed(restore, runs),
        "snapshot": _timed(demo.snapshot, runs),
        "floor_restore": _timed(floor_restore, runs),
        "empty_store": _timed(fresh_store, runs),
        "read_exports": _timed(read_exports, max(1, runs // 2)),
        "runs": runs,
    }


def _t(figure: tuple[float, float, float]) -> str:
    median, low, high = figure
    return f"{median * 1000:,.0f} ms ({low * 1000:,.0f}–{high * 1000:,.0f})"


def write(results: dict[str, object], path: Path) -> str:
    ok = lambda good: "yes" if good else "**no**"  # noqa: E731
    save, restore = results["save"], results["restore"]
    text = f"""# Workspace files

Written by `python bench/workspace.py` on {datetime.now():%Y-%m-%d %H:%M}; each time is the median of
{results["runs"]} runs (min–max in brackets), after a warm-up run, in one process.

| | figure | target | met |
| --- | --- | --- | --- |
| a year of daily rows and 1,000 videos | {results["year_bytes"] / 1024:,.0f} KB | under 1 MB | {ok(results["year_bytes"] < TARGET_BYTES)} |
| the demo account (2 accounts, 18 exports) | {results["demo_bytes"] / 1024:,.0f} KB | under 1 MB | {ok(results["demo_bytes"] < TARGET_BYTES)} |
| save the demo workspace (tables as Parquet + ZIP) | {_t(save)} | under 1 s | {ok(save[0] < TARGET_SECONDS)} |
| restore it (read, check, fill a fresh store) | {_t(restore)} | under 1 s | {ok(restore[0] < TARGET_SECONDS)} |

References in the same run:

| | time |
| --- | --- |
| reading the demo's 18 exports into a fresh store (what restoring saves a returning visitor) | {_t(results["read_exports"])} |
| the store's own snapshot (its tables as DataFrames, no file) | {_t(results["snapshot"])} |
| the store's own restore of that snapshot into a fresh store | {_t(results["floor_restore"])} |
| opening and closing an empty store | {_t(results["empty_store"])} |
"""
    path.write_text(text, encoding="utf-8")
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "WORKSPACE.md")
    args = parser.parse_args()
    print(write(measure(args.runs), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
