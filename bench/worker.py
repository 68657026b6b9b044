"""One measured run in a fresh process, so that its peak resident memory is its own.

    python bench/worker.py kpi_core DATA_ROOT N_VIDEOS OUT.json
    python bench/worker.py duckdb|pandas DATA_ROOT N_VIDEOS OUT.json
    python bench/worker.py small DATA_ROOT 0 OUT.json      # a Studio download against DuckDB

Writes {"engine", "videos", "input_bytes", "timings": {"wall", "cpu"}, "scores", "rss": {...},
"whatif"} to OUT.json. Peak RSS is the process's high-water mark (getrusage ru_maxrss), which
includes the interpreter and the imported libraries (`rss.after_imports` says how much).
`rss.after_ingest` is the peak by the end of kpi_core's ingest, before scoring.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

import duckdb  # noqa: E402  (imported before the first RSS reading: every engine needs these)
import engines  # noqa: E402
import numpy  # noqa: E402, F401
import pandas  # noqa: E402, F401
import scipy.stats  # noqa: E402, F401
from generate import dataset  # noqa: E402


def peak_rss_bytes() -> int:
    """This process's peak RSS. VmHWM, not getrusage: Linux carries the parent's high-water mark
    into ru_maxrss across fork and exec, so a worker would report the orchestrator's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def main(engine: str, root: str, n_videos: str, out: str) -> None:
    if engine == "small":
        scratch = Path(root) / "studio"
        report = engines.small_files(Path(__file__).resolve().parents[1] / "data" / "demo", scratch)
        Path(out).write_text(json.dumps(report))
        return
    if engine == "kpi_core":  # imported outside the timed phases, like the floors' libraries
        import kpi_core.ingest  # noqa: F401
        import kpi_core.metrics.scoring  # noqa: F401
    after_imports = peak_rss_bytes()
    data = dataset(int(n_videos), Path(root))
    clock = engines.Clock()
    rss: dict[str, int] = {}
    report: dict = {
        "engine": engine,
        "videos": int(n_videos),
        "input_bytes": data.input_bytes,
        "duckdb": duckdb.__version__,
    }
    if engine == "kpi_core":
        scores, store = engines.kpi_core_scores(
            data, clock, on_ingested=lambda: rss.update(after_ingest=peak_rss_bytes())
        )
        report["rss"] = {"after_imports": after_imports, **rss, "peak_ingest_score": peak_rss_bytes()}
        primary = store.primary_account()
        report["whatif"] = engines.whatif_timings(store, primary, clock)
        report["whatif"]["account"] = primary
    else:
        scores = engines.ENGINES[engine](data, clock)
        report["rss"] = {"after_imports": after_imports, "peak_ingest_score": peak_rss_bytes()}
    report["rss"]["peak"] = peak_rss_bytes()
    report["timings"] = clock.as_dict()
    report["scores"] = scores
    Path(out).write_text(json.dumps(report, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:])
