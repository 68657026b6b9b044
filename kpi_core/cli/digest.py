"""`python -m kpi_core digest PATH... [--account A] [--from D --to D] [--json]`: up to five sentences
on what changed against the period before, each with the figures it rests on
(kpi_core.metrics.digest). The period defaults to the one the Overview opens on, the last 90 days
of the account's data."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kpi_core import cli
from kpi_core.metrics.digest import digest
from kpi_core.metrics.normal_variation import NORMAL_VARIATION

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("digest", help="what changed against the period before, in plain words")
    cli.input_options(parser)
    parser.add_argument(
        "--from", dest="date_from", type=cli.iso_date, help="default: the last 90 days of data"
    )
    parser.add_argument("--to", dest="date_to", type=cli.iso_date)


def run(args: argparse.Namespace) -> int:
    loaded = cli.load_account(args, "describe")
    if loaded is None:
        return cli.EXIT_UNREADABLE
    store, account, status = loaded
    found = digest(store, account, args.date_from, args.date_to)
    if args.json:
        print(json.dumps(found.to_dict(), ensure_ascii=False))
        return status
    if found.date_from is None or found.date_to is None:
        print(f"@{account}: {found.reason}")
        return status
    print(f"@{account}, {found.date_from} to {found.date_to}, against the period of the same length before:")
    if found.note:
        print(found.note)
    for sentence in found.sentences:
        print(f"- {sentence.text}")
        for name, figure in sentence.figures.items():
            print(f"      {name}: {figure.text} ({figure.formula})")
    print(NORMAL_VARIATION)
    return status
