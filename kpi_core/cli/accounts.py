"""`python -m kpi_core accounts PATH... [--json]`: every account in the files side by side, ranked
where a rank rests on enough videos (kpi_core.metrics.portfolio), one row per account."""

from __future__ import annotations

import argparse
import json
import sys

from kpi_core import cli
from kpi_core.metrics.portfolio import (
    COLUMNS,
    SAMPLE_RULE,
    portfolio,
    portfolio_records,
    ranking,
    ranking_sentence,
)

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "accounts", help="every account in the files side by side: per-video KPIs, trend and rank"
    )
    cli.input_options(parser)
    parser.add_argument("--from", dest="date_from", type=cli.iso_date, help="videos posted from this day")
    parser.add_argument("--to", dest="date_to", type=cli.iso_date, help="videos posted up to this day")
    parser.add_argument("--rank-by", choices=COLUMNS, default="like_rate", help="the KPI to rank on")


def run(args: argparse.Namespace) -> int:
    store, results = cli.load(args)
    status = cli.report_unreadable(results)
    if not store.accounts():
        print("error: none of the files held an account's data", file=sys.stderr)
        return cli.EXIT_UNREADABLE
    ranked = ranking(portfolio(store, args.date_from, args.date_to), args.rank_by)
    records = portfolio_records(ranked)
    if args.json:
        print(
            json.dumps(
                {"accounts": records, "ranked_by": args.rank_by, "rule": SAMPLE_RULE}, ensure_ascii=False
            )
        )
        return status
    print(ranking_sentence(ranked, args.rank_by))
    print(
        f"{'rank':>5}  {'account':<30} {'videos':>7} {'likes':>12} {'views':>14} {'like rate':>9} "
        f"{'eng. rate':>9} {'median likes':>12}  trend"
    )
    for r in records:
        print(
            f"{'n/a' if r['rank'] is None else r['rank']:>5}  {r['account'][:30]:<30} {r['videos']:>7,} "
            f"{_count(r['likes']):>12} {_count(r['views']):>14} {_rate(r['like_rate']):>9} "
            f"{_rate(r['engagement_rate_by_view']):>9} {_number(r['likes_per_video_median']):>12}  {r['trend']}"
        )
        if "rank" in r["notes"]:
            print(f"{'':>7}n/a: {r['notes']['rank']}")
    return status


def _count(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,}"


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2%}"


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.1f}"
