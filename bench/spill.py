"""10M video rows in a store with a DuckDB memory limit of 1 GB: does it finish, by spilling?

    python bench/spill.py OUT.json [ROWS]

The rows are made inside the store's own sealed connection (`INSERT ... FROM range(n)`): no file
can hold them, since an upload is capped at 100 MB (~400k scraped videos) and each file is
normalised by its own short-lived reader. What meets 10M rows is the store: picking each video's
latest snapshot (`videos`, rebuilt before the first read after an upload), the KPI queries and the what-if baseline.
1 % of the rows are a second scrape of a video, so the latest-snapshot step has work to do.

A thread samples the size of DuckDB's temporary folder (the store's `temp_directory`, a private
folder per connection, removed when the store closes) to show how much was spilled; the process's peak RSS
is reported.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from worker import peak_rss_bytes  # noqa: E402

from kpi_core.metrics.scoring import score  # noqa: E402
from kpi_core.metrics.values import kpis_by_account  # noqa: E402
from kpi_core.store import Store  # noqa: E402

MEMORY_LIMIT = "1GB"
RESCRAPED_SHARE = 0.01

INSERT_SQL = """
INSERT INTO videos_raw BY NAME
WITH numbered AS (
    SELECT i, CASE WHEN i < $distinct THEN i ELSE (i - $distinct) * 97 END AS v,
           CASE WHEN i < $distinct THEN 1.0 ELSE 1.2 END AS growth
    FROM range($rows) AS t(i)
)
SELECT
    'bench.acct' || lpad(CAST(v % 50 AS VARCHAR), 2, '0') AS account,
    CAST(7000000000000000000 + v * 997 AS VARCHAR) AS video_id,
    'morning routine ' || CAST(hash(v) % 100000 AS VARCHAR) || ' #skincare #fyp' AS title,
    'https://www.tiktok.com/@bench.acct' || lpad(CAST(v % 50 AS VARCHAR), 2, '0') || '/video/'
        || CAST(7000000000000000000 + v * 997 AS VARCHAR) AS url,
    TIMESTAMP '2016-01-01' + to_seconds(CAST(hash(v, 1) % 315000000 AS BIGINT)) AS posted_at,
    true AS posted_time_known,
    'UTC' AS posted_zone,
    CAST(hash(v, 2) % 5000 * growth AS BIGINT) AS likes,
    CAST(hash(v, 3) % 80000 * growth AS BIGINT) AS views,
    CAST(hash(v, 4) % 100 * growth AS BIGINT) AS comments,
    CAST(hash(v, 5) % 50 * growth AS BIGINT) AS shares,
    CAST(hash(v, 6) % 100 * growth AS BIGINT) AS saves,
    20000 AS followers,
    CAST(hash(v, 7) % 180 AS DOUBLE) AS duration_s,
    false AS is_ad,
    DATE '2026-01-01' - CAST(growth < 1.1 AS INTEGER) AS snapshot_date,
    'synthetic_' || CAST(i // 400000 AS VARCHAR) || '.csv' AS source_file
FROM numbered
"""


class SpillWatch:
    """Samples the size of a folder every 50 ms on a thread; `peak` is the largest seen, in bytes."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.peak, self._stop = folder, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                size = sum(e.stat().st_size for e in os.scandir(self.folder) if e.is_file())
            except OSError:
                size = 0
            self.peak = max(self.peak, size)
            self._stop.wait(0.05)

    def __enter__(self) -> SpillWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main(out: str, rows: str = "10000000") -> None:
    n = int(rows)
    report: dict = {"rows": n, "memory_limit": MEMORY_LIMIT, "steps": {}, "completed": False, "error": None}
    steps = report["steps"]
    store = Store(memory_limit=MEMORY_LIMIT)
    report["temp_directory"] = store.con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0]
    try:
        with SpillWatch(Path(report["temp_directory"])) as watch:
            t = time.perf_counter()
            store.con.execute(INSERT_SQL, {"rows": n, "distinct": n - int(n * RESCRAPED_SHARE)})
            steps["insert"] = time.perf_counter() - t
            # The step every upload of videos ends with (Store.add_file): each video's latest snapshot.
            t = time.perf_counter()
            store._refresh_videos()
            steps["latest_snapshot"] = time.perf_counter() - t
            t = time.perf_counter()
            by_account = kpis_by_account(store)
            steps["kpis_by_account"] = time.perf_counter() - t
            t = time.perf_counter()
            primary = score(store, store.primary_account())
            steps["score_primary"] = time.perf_counter() - t
        report["spilled_peak_bytes"] = watch.peak
        report["videos"] = int(store.con.execute("SELECT count(*) FROM videos").fetchall()[0][0])
        report["accounts"] = len(by_account)
        report["primary_likes"] = primary["per_video"]["likes"]
        report["completed"] = True
    except Exception as exc:  # the figure is whether it completes: record the failure, not a traceback
        report["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    report["peak_rss_bytes"] = peak_rss_bytes()
    Path(out).write_text(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:])
