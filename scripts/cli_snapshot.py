"""Record the command line's JSON on every fixture and on the demo data, to compare two versions.

    python scripts/cli_snapshot.py OUT.json            # run every command, write their outputs
    python scripts/cli_snapshot.py --compare A.json B.json

A refactor must leave every output identical: run it before and after, then compare. Each
command runs in this process through `kpi_core.cli.main` (stdout, stderr and exit status).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kpi_core.cli import main  # noqa: E402

SKIP = {"README.md", "EXPECTED.md", "make_fixtures.py", "make_bad.py"}
DEMO = ROOT / "data" / "demo"
EXPORT_DATE = "2026-11-20"  # every command gets it, so yearless dates never depend on the clock


def commands() -> list[list[str]]:
    """Every command whose output must not change."""
    files = sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.is_file() and p.name not in SKIP)
    out: list[list[str]] = []
    for path in files:
        name = str(path.relative_to(ROOT))
        out.append(["ingest", name, "--json", "--export-date", EXPORT_DATE])
        out.append(["score", name, "--json", "--export-date", EXPORT_DATE])
    for path in files:
        if path.parent.name == "scrapers":  # hashtags and accounts side by side: the scrapes' titles
            name = str(path.relative_to(ROOT))
            out.append(["hashtags", name, "--json", "--export-date", EXPORT_DATE])
            out.append(["accounts", name, "--json", "--export-date", EXPORT_DATE])
    demo = [str(p.relative_to(ROOT)) for p in sorted(DEMO.iterdir())]
    out.append(["hashtags", *demo, "--json"])
    out.append(["hashtags", *demo, "--json", "--account", "glow.theory", "--from", "2026-06-01"])
    out.append(["accounts", *demo, "--json"])
    out.append(["digest", *demo, "--json"])
    out.append(["digest", *demo, "--json", "--from", "2026-06-01", "--to", "2026-08-31"])
    out.append(["drivers", *demo, "--json", "--from", "2026-10-01", "--to", "2026-10-31"])
    out.append(["ingest", *demo, "--json"])
    out.append(["score", *demo, "--json"])
    out.append(["score", *demo, "--json", "--from", "2026-06-01", "--to", "2026-08-31"])
    out.append(["score", *demo, "--json", "--account", "glow.theory"])
    goals = [
        ("likes", "60000"),
        ("likes_per_video", "900"),
        ("like_rate", "0.06"),
        ("engagement_rate_by_view", "0.07"),
        ("followers", "40000"),
    ]
    for metric, target in goals:
        for start, deadline in (("2026-11-01", "2026-12-31"), ("2026-11-21", "2027-02-18")):
            out.append(
                [
                    "goal",
                    *demo,
                    "--json",
                    "--metric",
                    metric,
                    "--target",
                    target,
                    "--start",
                    start,
                    "--deadline",
                    deadline,
                ]
            )
        out.append(
            [
                "goal",
                *demo,
                "--json",
                "--metric",
                metric,
                "--target",
                target,
                "--start",
                "2026-11-01",
                "--deadline",
                "2026-12-31",
                "--posts-per-week",
                "6",
                "--like-rate-change",
                "10",
            ]
        )
    return out


def run(argv: list[str]) -> dict[str, object]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(argv)
    text = stdout.getvalue()
    try:
        parsed: object = json.loads(text)
    except json.JSONDecodeError:
        parsed = text
    return {"status": status, "stdout": parsed, "stderr": stderr.getvalue()}


def compare(a: Path, b: Path) -> int:
    before, after = json.loads(a.read_text()), json.loads(b.read_text())
    differ = [key for key in before if before[key] != after.get(key)]
    missing = [key for key in after if key not in before]
    for key in differ:
        print(f"differs: {key}")
    for key in missing:
        print(f"only in {b.name}: {key}")
    print(f"{len(before)} commands compared: {len(differ)} differ, {len(missing)} new")
    return 1 if differ else 0


def main_cli() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    if args.compare:
        return compare(*args.paths)
    results = {" ".join(argv): run(argv) for argv in commands()}
    args.paths[0].write_text(json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True))
    print(f"{len(results)} commands -> {args.paths[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main_cli())
