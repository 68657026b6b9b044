"""`python -m kpi_core hashtags PATH... [--account A] [--json]`: each hashtag's videos, accounts,
median likes and like rate, and its uplift against the set's like rate shrunk by empirical Bayes
(kpi_core.metrics.hashtags), across every account unless one is named."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import cast

from kpi_core import cli
from kpi_core.metrics.hashtags import hashtag_finding, hashtag_records, interval_text, needed_text

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "hashtags", help="each hashtag's like rate against the set's, shrunk by empirical Bayes"
    )
    cli.input_options(parser)
    parser.add_argument("--from", dest="date_from", type=cli.iso_date, help="videos posted from this day")
    parser.add_argument("--to", dest="date_to", type=cli.iso_date, help="videos posted up to this day")


def run(args: argparse.Namespace) -> int:
    store, results = cli.load(args)
    status = cli.report_unreadable(results)
    if args.account is not None and args.account not in store.accounts():
        print(f"error: no account '{args.account}' in the files", file=sys.stderr)
        return cli.EXIT_UNREADABLE
    found, prior = hashtag_finding(store, args.account, args.date_from, args.date_to)
    records = hashtag_records(found.table)
    if args.json:
        report = {
            "account": args.account,
            "hashtags": records,
            "prior": asdict(prior) | {"sentence": prior.sentence},
            "notes": [n for n in (found.reason, *found.notes) if n],
        }
        print(json.dumps(report, ensure_ascii=False))
        return status
    print(prior.sentence)
    for note in (found.reason, *found.notes):
        if note:
            print(note)
    print(
        f"{'hashtag':<28} {'videos':>7} {'accounts':>8} {'median likes':>12} {'like rate':>9} "
        f"{'uplift':>8} {'95% interval':>18}  verdict"
    )
    for r in records:
        interval = interval_text(
            cast(float | None, r["low"]), cast(float | None, r["high"]), str(r["verdict"])
        )
        uplift = "n/a" if r["uplift"] is None else f"{r['uplift']:+.1%}"
        rate = "n/a" if r["like_rate"] is None else f"{r['like_rate']:.2%}"
        needed = (
            f" (videos that would tell: {needed_text(cast(int, r['videos_needed']), prior.videos)})"
            if r["videos_needed"] is not None
            else ""
        )
        print(
            f"{str(r['hashtag'])[:28]:<28} {r['videos']:>7,} {r['accounts']:>8,} {r['median_likes']:>12,.1f} "
            f"{rate:>9} {uplift:>8} {interval:>30}  {r['verdict']}{needed}"
        )
    return status
