"""KPI cards: which KPIs the Overview shows and how each card reads."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi_core.metrics.registry import kpi
from ui.format import delta_text, kpi_text

# (grain, KPI name): per_day KPIs come from the daily account export, per_video from videos
# posted in the period.
OVERVIEW_CARDS: tuple[tuple[str, str], ...] = (
    ("per_day", "likes"),
    ("per_day", "likes_per_day"),
    ("per_video", "like_rate"),
    ("per_video", "engagement_rate_by_view"),
    ("per_video", "likes_per_video_median"),
    ("per_video", "videos"),
    ("per_day", "net_follower_change"),
    ("per_day", "profile_views"),
)
_SOURCE = {
    "per_day": "daily account totals (the Overview export)",
    "per_video": "videos posted in the period",
}


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    delta: str | None
    help: str


def overview_cards(comparison: pd.DataFrame) -> list[Card]:
    """The Overview's cards from `metrics.values.compare_periods` output."""
    cards = []
    for grain, name in OVERVIEW_CARDS:
        row = comparison[(comparison["grain"] == grain) & (comparison["name"] == name)].iloc[0]
        cards.append(
            Card(
                label=row["label"],
                value=kpi_text(row["current"], row["fmt"]),
                delta=delta_text(row["delta"], row["fmt"]),
                help=(
                    f"**{row['label']}** = {kpi(grain, name).formula_text}  \nFrom {_SOURCE[grain]}. "
                    f"Previous period: {kpi_text(row['previous'], row['fmt'])}."
                ),
            )
        )
    return cards
