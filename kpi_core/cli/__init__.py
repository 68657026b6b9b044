"""The command line: the same scores as the app, without a browser.

    python -m kpi_core ingest PATH... [--json] [--export-date YYYY-MM-DD] [--map likes=MyLikes ...] [--time-zone ZONE]
    python -m kpi_core score PATH... [--json] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--account H | --all-accounts]
    python -m kpi_core goal PATH... --metric likes --target N --start YYYY-MM-DD --deadline YYYY-MM-DD
    python -m kpi_core backtest PATH... [--account H] [--metric likes|views|followers] [--horizons 14,28,56] [--json]
    python -m kpi_core workspace PATH... --out FILE [--export-date YYYY-MM-DD]
    python -m kpi_core drivers PATH... --from D --to D [--vs-from D --vs-to D] [--account H] [--json]
    python -m kpi_core digest PATH... [--from D] [--to D] [--account H] [--json]
    python -m kpi_core accounts PATH... [--json] [--rank-by like_rate]     (kpi_core/cli/accounts.py)
    python -m kpi_core hashtags PATH... [--account H] [--json]            (kpi_core/cli/hashtags.py)

Every command takes workspace files among its PATHs: the workspace is restored first, and the
exports beside it merge into it as they would in the app.

Exit status: 0 when every file was read (rows may still be rejected), 2 when a file could not be
read at all (the reason goes to stderr) or the arguments are wrong. Never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kpi_core import workspace
from kpi_core.cli import accounts, digest, drivers, hashtags
from kpi_core.ingest import FileResult, check_handle, ingest_paths, limits
from kpi_core.ingest.dates import DATE_ORDERS
from kpi_core.planning.goals import format_value
from kpi_core.planning.levers import LEVERS
from kpi_core.planning.progress import share_of_target
from kpi_core.store import Store
from kpi_core.timezones import check_time_zone

EXIT_UNREADABLE = 2


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-01-31") from None


def _handle(text: str) -> str:
    try:
        return check_handle(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def _time_zone(text: str) -> str:
    try:
        check_time_zone(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None
    return text


def _megabytes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of MB") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"the cap is at least 1 MB, got {value}")
    return value


def _mapping(pairs: Sequence[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        target, sep, header = pair.partition("=")
        if not sep or not target.strip() or not header:
            raise argparse.ArgumentTypeError(f"--map takes canonical=Column, got '{pair}'")
        mapping[target.strip()] = header
    return mapping


def input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="export files (CSV, XLSX, JSON or ZIP) or a workspace file"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--export-date",
        type=iso_date,
        help="the day the files were exported (for the year of yearless dates)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="CANONICAL=COLUMN",
        help="map a column of an unrecognised file, e.g. --map likes=Hearts (repeatable)",
    )
    parser.add_argument(
        "--account",
        type=_handle,
        help="the account handle (for ingest: Studio files that do not name one; "
        "for score and goal: the account to score)",
    )
    parser.add_argument(
        "--time-zone",
        type=_time_zone,
        metavar="ZONE",
        help="the account's time zone, e.g. Europe/Berlin: scrapers give posting times in UTC",
    )
    parser.add_argument(
        "--max-file-mb",
        type=_megabytes,
        default=limits.MAX_FILE_BYTES // 2**20,
        metavar="MB",
        help=f"the largest file read, in MB (default {limits.MAX_FILE_BYTES // 2**20}, the hosted app's cap): "
        "local files may be larger; DuckDB spills to disk beyond its memory limit",
    )
    parser.add_argument(
        "--date-order",
        choices=DATE_ORDERS,
        help="how numeric dates such as 1/7/2022 are written, when the file does not settle it: "
        "dmy (day first) or mdy (month first)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kpi_core", description="TikTok Likes KPI Studio, without a browser."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    input_options(
        commands.add_parser(
            "ingest", help="read exports and report, per file, what was accepted and rejected"
        )
    )
    score = commands.add_parser("score", help="like KPIs over a date range")
    input_options(score)
    score.add_argument("--from", dest="date_from", type=iso_date)
    score.add_argument("--to", dest="date_to", type=iso_date)
    score.add_argument(
        "--all-accounts",
        action="store_true",
        help='score every account of the files, the primary one first (--json: {"accounts": [...]}), '
        "each over its own data unless --from/--to are given",
    )
    goal = commands.add_parser("goal", help="progress, projection and achievability of a goal")
    input_options(goal)
    goal.add_argument("--metric", required=True)
    goal.add_argument("--target", required=True, type=float)
    goal.add_argument("--start", required=True, type=iso_date)
    goal.add_argument("--deadline", required=True, type=iso_date)
    for lever in LEVERS.values():  # the what-if levers, named as in a shared link
        unit = "percent, e.g. 10 for +10%" if lever.relative else lever.unit
        described = f"{lever.label}: {unit}".replace("%", "%%")  # argparse formats help with %
        goal.add_argument(f"--{lever.url_key.replace('_', '-')}", type=float, help=described)
    backtest = commands.add_parser(
        "backtest",
        help="how often the projection's 80%% band held the account's own past, beside naive methods",
    )
    input_options(backtest)
    backtest.add_argument("--metric", choices=("likes", "views", "followers"), default="likes")
    backtest.add_argument(
        "--horizons",
        type=_horizons,
        default=(14, 28, 56),
        metavar="14,28,56",
        help="days ahead, comma-separated",
    )
    saving = commands.add_parser(
        "workspace",
        help="write a workspace file: the tables read from PATHs (exports, and a workspace to add them to)",
    )
    input_options(saving)
    saving.add_argument("--out", required=True, type=Path, metavar="FILE", help="the workspace file to write")
    for module in (drivers, digest, accounts, hashtags):
        module.add_parser(commands)
    return parser


def _horizons(text: str) -> tuple[int, ...]:
    try:
        days = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of days like 14,28,56") from None
    if not days or any(not 1 <= d <= 365 for d in days):
        raise argparse.ArgumentTypeError(f"horizons are 1 to 365 days, got '{text}'")
    return days


def load(args: argparse.Namespace) -> tuple[Store, list[FileResult]]:
    """Read the command's files into a fresh store: a workspace among them first, then the exports."""
    store, results, _ = _load(args)
    return store, results


def _load(args: argparse.Namespace) -> tuple[Store, list[FileResult], workspace.Workspace | None]:
    store = Store()
    opened, exports = workspace.open_paths(args.paths)
    if opened.workspace is not None:
        workspace.restore(store, opened.workspace)
    results = opened.results
    mapping = _mapping(args.map)
    results += ingest_paths(
        store,
        exports,
        export_date=args.export_date,
        account=args.account if args.command == "ingest" else None,
        mappings=_MapEveryFile(mapping) if mapping else None,
        time_zone=args.time_zone,
        date_order=args.date_order,
        max_file_bytes=args.max_file_mb * 2**20,
    )
    return store, results, opened.workspace


class _MapEveryFile(dict[str, dict[str, str]]):
    """The CLI's --map applies to every unrecognised file."""

    def __init__(self, mapping: dict[str, str]):
        super().__init__()
        self.mapping = mapping

    def get(self, key: str, default: Any = None) -> dict[str, str]:  # type: ignore[override]
        return self.mapping


def _print_files(results: list[FileResult]) -> None:
    for r in results:
        if r.error:
            print(f"{r.name}: NOT READ")
            continue
        span = f"{r.date_from} to {r.date_to}" if r.date_from else "no dates"
        print(
            f"{r.name}: {r.kind} · account {r.account} · {r.rows} rows: {r.accepted} accepted, "
            f"{r.rejected} rejected · {span}"
        )
        for e in r.errors[:20]:
            print(f"    {e['reason']}")
        if len(r.errors) > 20:
            print(f"    ... and {len(r.errors) - 20} more")
        for note in r.notes:
            print(f"    note: {note}")


def load_account(args: argparse.Namespace, purpose: str) -> tuple[Store, str, int] | None:
    """Read the command's files and pick its account (--account, else the primary one): (store,
    account, exit status so far), or None, with the reason on stderr, when no file held data to
    `purpose` ("score", "backtest"...)."""
    store, results = load(args)
    status = report_unreadable(results)
    account = args.account or store.primary_account()
    if account is None:
        print(f"error: none of the files held data to {purpose}", file=sys.stderr)
        return None
    return store, account, status


def report_unreadable(results: list[FileResult]) -> int:
    failed = [r for r in results if r.error]
    for r in failed:
        print(r.error, file=sys.stderr)
    return EXIT_UNREADABLE if failed else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    _, results = load(args)
    if args.json:
        print(json.dumps({"files": [r.as_dict() for r in results]}, ensure_ascii=False))
    else:
        _print_files(results)
    return report_unreadable(results)


def cmd_goal(args: argparse.Namespace) -> int:
    from kpi_core.planning.assessment import assess_in_store
    from kpi_core.planning.goals import Goal
    from kpi_core.planning.whatif import Scenario

    loaded = load_account(args, "set a goal on")
    if loaded is None:
        return EXIT_UNREADABLE
    store, account, status = loaded
    goal = Goal(
        account=account, metric=args.metric, target=args.target, start=args.start, deadline=args.deadline
    )
    levers = {name: getattr(args, lv.url_key) for name, lv in LEVERS.items()}
    scenario = Scenario.from_levers(levers) if any(v is not None for v in levers.values()) else None
    report = assess_in_store(store, goal).to_dict(scenario)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        _print_goal(report)
    return status


def _num(value: float | None, rate: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2%}" if rate else f"{value:,.1f}"


def _print_goal(report: dict[str, Any]) -> None:
    fraction = report["fraction"]
    rate = report["metric"] in ("like_rate", "engagement_rate_by_view")
    print(
        f"Goal: {report['metric']} {report['formatted_target']} for @{report['account']}, "
        f"{report['start']} to {report['deadline']} (data to {report['as_of']})"
    )
    if report["as_of_note"]:
        print(f"Note: {report['as_of_note']}")
    print(
        f"Progress: {_num(report['progress'], rate) if rate else format_value(report['metric'], report['progress'])} "
        f"({share_of_target(report['metric'], fraction)}), "
        f"{report['days_elapsed']} days elapsed, {report['days_left']} left"
    )
    print(
        f"Pace needed: {_num(report['pace_needed_per_day'], rate)} {report['pace_unit']}; achieved so far: "
        f"{_num(report['pace_achieved_per_day'], rate)}; last 28 days: {_num(report['pace_last_28_days'], rate)}"
    )
    print(f"Status: {report['status']} ({report['status_rule']})")
    print(f"Projection: {report['projection_sentence']}")
    print(f"Reach date: {report['reach_date'] or 'not by the deadline'}")
    print(f"Verdict: {report['verdict']}")
    print(f"What it takes: {report['inverse']['sentence']}")


def cmd_score(args: argparse.Namespace) -> int:
    from kpi_core.metrics.scoring import score, score_accounts

    if args.all_accounts and args.account:
        print("error: --account and --all-accounts: give one or the other", file=sys.stderr)
        return EXIT_UNREADABLE
    loaded = load_account(args, "score")
    if loaded is None:
        return EXIT_UNREADABLE
    store, account, status = loaded
    if args.all_accounts:
        every = list(score_accounts(store, args.date_from, args.date_to).values())
        if args.json:
            print(json.dumps({"accounts": every}, ensure_ascii=False))
        else:
            for i, scores in enumerate(every):
                if i:
                    print()
                _print_score(scores)
        return status
    scores = score(store, account, args.date_from, args.date_to)
    if args.json:
        print(json.dumps(scores, ensure_ascii=False))
    else:
        _print_score(scores)
    return status


def _print_score(scores: dict[str, Any]) -> None:
    from kpi_core.metrics.findings import plural, signed
    from kpi_core.metrics.measures import ROW_NOUN
    from kpi_core.metrics.registry import kpi

    notes = scores["notes"]
    print(f"@{scores['account']}, {scores['date_from']} to {scores['date_to']}")
    for section in ("per_video", "per_day"):
        print(f"{section}:")
        for key, value in scores[section].items():
            declared, path = kpi(section, key), f"{section}.{key}"
            shown = "n/a" if value is None else declared.fmt.format(value)
            if declared.numerator.function != "count_rows" and key != "days":
                shown += f" ({plural(scores['bases'][section][key], *ROW_NOUN[section])})"
            print(f"    {key}: {shown}" + (f": {notes[path]}" if value is None and path in notes else ""))
            if value is not None and path in notes:
                print(f"        note: {notes[path]}")
    trend = scores["trend"]
    print("trend:")
    for key in ("slope_per_day", "low", "high"):
        print(f"    {key}: {'n/a' if trend[key] is None else signed(trend[key])}")
    print(f"    verdict: {trend['verdict']}")
    if "trend.slope_per_day" in notes:  # why there is no slope, or what it was fitted on
        print(f"        note: {notes['trend.slope_per_day']}")


def cmd_backtest(args: argparse.Namespace) -> int:
    from kpi_core.planning.backtest import backtest
    from kpi_core.planning.baseline import load_baseline

    loaded = load_account(args, "backtest")
    if loaded is None:
        return EXIT_UNREADABLE
    store, account, status = loaded
    report = backtest(load_baseline(store, account, metric=args.metric), args.metric, args.horizons)
    if args.json:
        print(json.dumps({"account": account, **report.to_dict()}, ensure_ascii=False))
        return status
    print(
        f"@{account}, {args.metric}: the 80% band against what really happened (interval score: lower is better)"
    )
    for h in report.horizons:
        if not h.cuts:
            print(f"  {h.days} days: no past window to check (the history is too short)")
            continue
        print(
            f"  {h.days} days, {h.cuts} cuts: coverage {_num(h.coverage, True)}, interval score {_num(h.interval_score)}"
        )
        for name, scores in h.baselines.items():
            print(
                f"      {name}: coverage {_num(scores['coverage'], True)}, interval score {_num(scores['interval_score'])}"
            )
    return status


def cmd_workspace(args: argparse.Namespace) -> int:
    store, results, opened = _load(args)
    status = report_unreadable(results)
    earlier = opened.state if opened is not None else workspace.SessionState()
    state = workspace.SessionState(
        uploads=(*earlier.uploads, *(r for r in results if r.kind != "workspace")),
        mappings=earlier.mappings,
        goals=earlier.goals,
        scenario=earlier.scenario,
        content_rules=earlier.content_rules,
        view=earlier.view,
        demo=earlier.demo,
    )
    tables = workspace.saved_tables(store)
    data = workspace.workspace_bytes(tables, state, datetime.now())
    out = args.out.expanduser()
    try:  # a whole file or none: written beside the target, then moved over it
        with tempfile.NamedTemporaryFile(dir=out.parent or ".", prefix=".workspace-", delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, out)
    except OSError as exc:
        print(f"error: {out} could not be written ({exc})", file=sys.stderr)
        return EXIT_UNREADABLE
    summary = {
        "path": str(out),
        "bytes": len(data),
        "accounts": [a.to_json() for a in tables.accounts],
        "tables": {t.name: t.rows for t in tables.tables},
    }
    if args.json:
        print(json.dumps({"files": [r.as_dict() for r in results], "workspace": summary}, ensure_ascii=False))
    else:
        _print_files(results)
        accounts = ", ".join(f"@{a.account}" for a in tables.accounts) or "no accounts"
        print(f"Wrote {out}: {accounts}, {tables.data_rows:,} rows of data, {len(data) / 1024:,.0f} KB")
    return status


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "backtest": cmd_backtest,
    "ingest": cmd_ingest,
    "score": cmd_score,
    "goal": cmd_goal,
    "workspace": cmd_workspace,
    "accounts": accounts.run,
    "digest": digest.run,
    "drivers": drivers.run,
    "hashtags": hashtags.run,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its usage message
        return EXIT_UNREADABLE if exc.code else 0
    command = COMMANDS.get(args.command)
    if command is None:
        print(f"'{args.command}' is not available yet", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        return command(args)
    except ValueError as exc:  # a goal or range that does not make sense: say why, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
