"""The driver tree as rows for charts and text: each node's label and format, the waterfall's
bars and the tree's nodes."""

from __future__ import annotations

import pandas as pd

from kpi_core.metrics.drivers import DriverTree
from kpi_core.metrics.findings import day_span
from kpi_core.metrics.registry import kpi

__all__ = ["FORMATS", "LABELS", "node_label", "tree_nodes", "waterfall"]

LABELS = {
    "likes": "Likes",
    "posts": "Videos posted",
    "views_per_video": "Views per video",
    "views": "Views",
    "like_rate": "Like rate",
}
# A daily tree's like rate is the daily totals' (likes / views of every video that day), not the
# like rate of the videos posted in the period that the Overview's card shows: it says so.
_DAILY_LABELS = {"like_rate": "Like rate of the daily totals"}


def node_label(name: str, source: str | None) -> str:
    """A node's label in a tree built from `source` ("videos" or "daily"): 'Like rate', or 'Like
    rate of the daily totals' where the card of the same name means the videos posted."""
    return (_DAILY_LABELS if source == "daily" else {}).get(name, LABELS[name])


FORMATS = {
    "likes": "{:,.0f}",
    "posts": "{:,.0f}",
    "views": "{:,.0f}",
    "views_per_video": kpi("per_video", "views_per_video").fmt,
    "like_rate": kpi("per_video", "like_rate").fmt,
}


def waterfall(tree: DriverTree) -> pd.DataFrame:
    """The waterfall's bars: likes before, each driver's contribution, likes now (in likes).

    Columns: order, label ("Before · 1 Mar – 31 Mar 2026", a driver's name, "Now · ..."), kind
    ("total", "up", "down", "flat"), start, end (the bar's ends), value (the total, or the
    contribution). Empty when the tree has no split.
    """
    columns = ["order", "label", "kind", "start", "end", "value"]
    if tree.change is None or tree.before.likes is None or tree.now.likes is None:
        return pd.DataFrame(columns=columns)
    rows = [
        {"label": f"Before · {day_span(tree.before.date_from, tree.before.date_to)}", "kind": "total"}
        | {"start": 0.0, "end": float(tree.before.likes), "value": float(tree.before.likes)}
    ]
    level = float(tree.before.likes)
    for name in tree.drivers:
        value = float(tree.contributions[name] or 0.0)
        kind = "up" if value > 0 else "down" if value < 0 else "flat"
        rows.append(
            {
                "label": node_label(name, tree.source),
                "kind": kind,
                "start": level,
                "end": level + value,
                "value": value,
            }
        )
        level += value
    rows.append(
        {"label": f"Now · {day_span(tree.now.date_from, tree.now.date_to)}", "kind": "total"}
        | {"start": 0.0, "end": float(tree.now.likes), "value": float(tree.now.likes)}
    )
    frame = pd.DataFrame(rows)
    frame.insert(0, "order", range(len(frame)))
    return frame[columns]


def tree_nodes(tree: DriverTree) -> pd.DataFrame:
    """The tree's nodes: likes at the root, its drivers below, each with its value in both periods.

    Columns: node, parent (None for the root), label, fmt (the value's format), now, before (None
    is n/a), contribution (likes; None for the root and a driver without one).
    """
    names = ("likes", *tree.drivers)
    rows = []
    for name in names:
        rows.append(
            {
                "node": name,
                "parent": None if name == "likes" else "likes",
                "label": node_label(name, tree.source),
                "fmt": FORMATS[name],
                "now": tree.now.level(name),
                "before": tree.before.level(name),
                "contribution": None if name == "likes" else tree.contributions.get(name),
            }
        )
    return pd.DataFrame(rows)
