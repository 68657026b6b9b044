"""`python -m kpi_core drivers PATH... --from D --to D [--vs-from D --vs-to D] [--account A] [--json]`:
the likes driver tree of a period against another (by default the one of the same length before
it) and the exact split of the change in likes between videos posted, views per video and like
rate (kpi_core.metrics.drivers)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kpi_core import cli
from kpi_core.metrics.driver_nodes import FORMATS, node_label
from kpi_core.metrics.drivers import FORMULA, DriverTree, driver_tree

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "drivers", help="why likes changed: videos posted × views per video × like rate, split exactly"
    )
    cli.input_options(parser)
    parser.add_argument("--from", dest="date_from", type=cli.iso_date, required=True)
    parser.add_argument("--to", dest="date_to", type=cli.iso_date, required=True)
    parser.add_argument(
        "--vs-from", type=cli.iso_date, help="start of the period to compare with (default: the one before)"
    )
    parser.add_argument("--vs-to", type=cli.iso_date, help="end of the period to compare with")


def run(args: argparse.Namespace) -> int:
    loaded = cli.load_account(args, "split")
    if loaded is None:
        return cli.EXIT_UNREADABLE
    store, account, status = loaded
    tree = driver_tree(store, account, args.date_from, args.date_to, args.vs_from, args.vs_to)
    if args.json:
        print(json.dumps({"account": account, **tree.to_dict()}, ensure_ascii=False))
    else:
        _print_tree(account, tree)
    return status


def _text(name: str, value: float | None) -> str:
    return "n/a" if value is None else FORMATS[name].format(value)


def _print_tree(account: str, tree: DriverTree) -> None:
    now, before = tree.now, tree.before
    print(f"@{account}: {now.date_from} to {now.date_to} against {before.date_from} to {before.date_to}")
    print(f"source: {tree.source or 'n/a'}. {tree.source_text if tree.source else ''}".rstrip())
    change = "n/a" if tree.change is None else f"{tree.change:+,}"
    print(f"likes: {_text('likes', before.likes)} -> {_text('likes', now.likes)} ({change})")
    if tree.reason:
        print(f"    n/a: {tree.reason}")
    for name in tree.drivers:
        contribution = tree.contributions[name]
        shown = "n/a" if contribution is None else f"{contribution:+,.1f} likes"
        print(
            f"{node_label(name, tree.source)}: {_text(name, before.level(name))} -> {_text(name, now.level(name))}: {shown}"
        )
    for note in (tree.days_note, *tree.notes):
        if note:
            print(f"    note: {note}")
    spike = tree.spike
    print(f"spike share: {spike.sentence or 'n/a (' + (spike.reason or '') + ')'}")
    print(f"formula: {FORMULA}")
