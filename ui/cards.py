"""KPI cards: which KPIs the Overview shows and how each card reads, from `compare_periods`.

The core decides every statement (the value or why there is none, whether there is earlier data
to compare with, what each value rests on); a card only words it for st.metric.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kpi_core.metrics.comparison import (
    NO_EARLIER_DATA,
    SAME_REASON,
    nothing_counted,
    same_reason,
    shown_cards,
)
from kpi_core.metrics.digest import card_judgement
from kpi_core.metrics.measures import ROW_NOUN
from kpi_core.metrics.normal_variation import Usual
from kpi_core.metrics.ratios import headline
from kpi_core.metrics.registry import kpi
from ui.format import NO_VALUE, delta_text, handle, kpi_text, plural
from ui.text import markdown_table

# (grain, KPI name): per_day KPIs come from the daily account export, per_video from videos
# posted in the period.
OVERVIEW_CARDS: tuple[tuple[str, str], ...] = (
    ("per_day", "likes"),
    ("per_day", "likes_per_day"),
    ("per_video", "like_rate"),
    ("per_video", "engagement_rate_by_view"),
    ("per_day", "engagement_rate_by_follower"),
    ("per_video", "likes_per_video_median"),
    ("per_video", "videos"),
    ("per_day", "net_follower_change"),
    ("per_day", "profile_views"),
)
_LISTED = "the videos listed for the period (a sample of the posts)"
_DAILY_INSTEAD = (
    "No file lists this account's videos, so this is the rate of its daily account totals (the Overview "
    "export); upload the Content export or a scrape for the rate of the videos posted."
)
_VIDEOS_INSTEAD = (
    "No daily account totals (the Overview export) in this period, so this is the figure of the videos "
    "posted in it, with the counts they have collected so far; upload the Overview export for the "
    "likes received day by day."
)
_SOURCE = {
    "per_day": "daily account totals (the Overview export)",
    "per_video": "videos posted in the period",
}


@dataclass(frozen=True)
class Card:
    """One st.metric: `delta` is a change, or words when `muted` (no arrow, no colour);
    `delta_note` says what the change rests on when the two periods' bases differ."""

    label: str
    value: str
    delta: str | None
    help: str
    delta_note: str | None = None
    muted: bool = False


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _rows(row: pd.Series, column: str = "current_rows") -> str:
    return plural(int(row[column]), *ROW_NOUN[row["grain"]])


def _base_text(row: pd.Series) -> str:
    """What a value rests on, for the KPI table: '26 days', or, with nothing to count, why ('no video list')."""
    note = _text(row["note"])
    if note is not None and nothing_counted(note, int(row["current_rows"])):
        return headline(note)
    return _rows(row)


def _previous(row: pd.Series) -> str:
    """The previous period's value as a sentence part: '1,234 (26 days)' or why there is none."""
    comparison = _text(row["comparison"])
    if comparison == NO_EARLIER_DATA:
        return NO_EARLIER_DATA
    if same_reason(_text(row["note"]), comparison):
        return SAME_REASON
    value = kpi_text(row["previous"], row["fmt"])
    if comparison is not None:
        shown = NO_VALUE if pd.isna(row["previous"]) else value  # a value not compared keeps its number
        return f"{shown} ({comparison.removeprefix('no earlier value: ')})"
    if kpi(row["grain"], row["name"]).numerator.function == "count_rows":  # the count is its own base
        return value
    return f"{value} ({_rows(row, 'previous_rows')})"


def card_help(row: pd.Series, listed: bool = False) -> str:
    """The tooltip: the formula, the division it made, the base, the rule, the previous value.
    `listed`: the videos are those TikTok Studio's Content exports list (`scope.videos_listed_only`)."""
    declared = kpi(row["grain"], row["name"])
    lines = [f"**{row['label']}** = {declared.formula_text}"]
    division, note = _text(row["division"]), _text(row["note"])
    if nothing_counted(note, int(row["current_rows"])):  # not "0 videos" or "0 days"
        return "  \n".join([*lines, f"Why n/a — {note}.", f"Previous period: {_previous(row)}."])
    source = _LISTED if listed and row["grain"] == "per_video" else _SOURCE[row["grain"]]
    lines.append(f"This period: {division}." if division else f"From {source}: {_rows(row)}.")
    if note:
        lines.append(f"Why n/a — {note}.")
    if declared.guard is not None:
        lines.append(declared.guard.rule)
    lines.append(f"Previous period: {_previous(row)}.")
    return "  \n".join(lines)


def overview_cards(
    comparison: pd.DataFrame, bands: Mapping[str, Usual] | None = None, listed: bool = False
) -> list[Card]:
    """The Overview's cards from `metrics.comparison.compare_periods` output. `bands`: the account's
    normal variation (`digest.period_bands`); a card of `digest.BANDED` colours its change only
    beyond it, as the digest calls a change a rise or a fall only then. `listed`: the videos are a
    sample of the posts (`scope.videos_listed_only`)."""
    cards = []
    for wanted, (grain, name) in zip(OVERVIEW_CARDS, shown_cards(comparison, OVERVIEW_CARDS), strict=True):
        row = comparison[(comparison["grain"] == grain) & (comparison["name"] == name)].iloc[0]
        note, comparison_note = _text(row["note"]), _text(row["comparison"])
        help_text = card_help(row, listed)
        if wanted != (grain, name):
            help_text = f"{help_text}  \n{_DAILY_INSTEAD if grain == 'per_day' else _VIDEOS_INSTEAD}"
        delta: str | None
        if note is not None:  # no value: the reason's headline takes the delta's place
            delta, muted, delta_note = headline(note), True, None
        elif comparison_note is not None:  # no change to show; a partial period still says so
            delta, muted, delta_note = comparison_note.split(":")[0], True, _text(row["coverage"])
        else:
            delta, muted, delta_note = delta_text(row["delta"], row["fmt"]), False, _text(row["coverage"])
            judged = card_judgement(row, bands or {})
            if judged is not None:
                muted, help_text = judged.muted, f"{help_text}  \n{judged.sentence}"
                delta_note = judged.note or delta_note  # the bases stay in the tooltip's lines
        cards.append(
            Card(
                label=row["label"],
                value=kpi_text(row["current"], row["fmt"]),
                delta=delta,
                help=help_text,
                delta_note=delta_note,
                muted=muted,
            )
        )
    return cards


def card_notes(comparison: pd.DataFrame) -> list[str]:
    """One sentence per Overview card without a value: its label and the whole reason."""
    notes = []
    for grain, name in shown_cards(comparison, OVERVIEW_CARDS):
        row = comparison[(comparison["grain"] == grain) & (comparison["name"] == name)].iloc[0]
        if note := _text(row["note"]):
            notes.append(f"{row['label']} — {note}.")
    return notes


def kpi_rows(comparison: pd.DataFrame, listed: bool = False) -> pd.DataFrame:
    """Every KPI of `compare_periods` as text for a table: value, base, previous value, change.
    `listed`: the videos are a sample of the posts, as `card_help`'s."""
    rows = []
    for _, row in comparison.iterrows():
        change = delta_text(row["delta"], row["fmt"])
        coverage = _text(row["coverage"])
        rows.append(
            {
                "KPI": row["label"],
                "From": ("videos listed" if listed else "videos posted")
                if row["grain"] == "per_video"
                else "daily totals",
                "This period": kpi_text(row["current"], row["fmt"]),
                "Based on": _base_text(row),
                "Previous period": _previous(row),
                "Change": (change or "") + (f" ({coverage})" if change and coverage else ""),
                "How": _text(row["division"]) or kpi(row["grain"], row["name"]).formula_text,
                "Note": _text(row["note"]) or "",
            }
        )
    return pd.DataFrame(rows)


def kpi_table(comparison: pd.DataFrame, listed: bool = False) -> str:
    """`kpi_rows` as the Overview draws them, a Markdown table (`markdown_table`): made once per
    comparison in the session's memo (`session.derived`), not on every run of the page."""
    return markdown_table(kpi_rows(comparison, listed))


def account_cards(row: Mapping[str, Any], names: Sequence[str]) -> list[Card]:
    """One account's per-video KPIs (a `kpis_by_account` row) as cards: the value, and in the help
    its formula, the rule it follows and, when n/a, the reason."""
    cards = []
    for name in names:
        declared = kpi("per_video", name)
        lines = [f"{declared.label} = {declared.formula_text}"]
        if note := _text(row.get(f"{name}_note")):
            lines.append(f"Why n/a — {note}.")
        if declared.guard is not None:
            lines.append(declared.guard.rule)
        cards.append(Card(declared.label, kpi_text(row.get(name), declared.fmt), None, "  \n".join(lines)))
    return cards


def account_notes(row: Mapping[str, Any], names: Sequence[str]) -> str | None:
    """'Likes per 1k followers n/a: <reason>.' for each KPI of `names` the account has no value for."""
    notes = [
        f"{kpi('per_video', name).label} — {note}."
        for name in names
        if (note := _text(row.get(f"{name}_note")))
    ]
    return " ".join(notes) or None


def account_role(row: dict[str, Any]) -> str:
    """What a card's account is to the user: theirs, or, with scraper files alone, the one the
    pages open on (the most videos: it may be a competitor's)."""
    if row["is_own"]:
        return " · your account"
    if row["is_primary"]:
        return " · the account the pages open on (the most videos; no export of your own is loaded)"
    return ""


def shown_accounts_sentence(shown: pd.DataFrame, listed: int) -> str:
    """Which accounts the cards and charts show when the table lists more (`values.side_by_side`):
    the first account and the others with the most videos, called competitors only beside the
    user's own account."""
    first = shown.loc[shown["is_primary"], "account"].tolist()
    others = len(shown) - len(first)
    if not first:
        lead = f"the {others} accounts"
    elif shown["is_own"].any():
        lead = f"{handle(first[0])} and the {others} competitors"
    else:
        lead = f"{handle(first[0])} and the {others} other accounts"
    return f"Cards and charts show {lead} with the most videos in the period; the table below lists all {listed:,} accounts."
