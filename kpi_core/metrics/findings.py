"""A result a page can show, or the one sentence that says why there is nothing to show yet.

A chart of five grey dots, a heatmap of cells that all have too few videos or a correlation with
every lag blank carries no information. The functions that decide so return a `Finding` whose
`reason` names the real counts and what would make the result possible; the UI shows the
sentence instead of the empty chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

__all__ = [
    "Finding",
    "and_list",
    "day_span",
    "long_day",
    "plural",
    "short_day",
    "signed",
    "signed_plural",
    "whole_percent",
    "whole_points",
]


@dataclass(frozen=True, eq=False)
class Finding:
    """`table` to show when `reason` is None; otherwise `reason` says why there is nothing to show.

    `notes` are sentences about rows left out of a table that is shown (e.g. a content group with
    no videos), so nothing is dropped silently.
    """

    table: pd.DataFrame
    reason: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def shown(self) -> bool:
        """Whether the table carries information (and `reason` is None)."""
        return self.reason is None


def signed_plural(value: float, word: str) -> str:
    """A signed change in whole units and its noun: +1 like, -1 like, +2 likes, +0 likes.

    >>> signed_plural(1.2, "like"), signed_plural(-0.6, "like"), signed_plural(1234.4, "like")
    ('+1 like', '-1 like', '+1,234 likes')
    """
    n = round(value)
    return f"{n:+,} {word if abs(n) == 1 else word + 's'}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """A count and its noun: 1 video, 0 videos, 1,000 videos (`many` for irregular plurals).

    >>> plural(1, "video"), plural(0, "video"), plural(1000, "day"), plural(2, "reply", "replies")
    ('1 video', '0 videos', '1,000 days', '2 replies')
    """
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def and_list(items: list[str]) -> str:
    """Items as a sentence lists them: 'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def short_day(day: date) -> str:
    """A day without its year, as findings name it: '3 Mar'."""
    return f"{day.day} {day:%b}"


def long_day(day: date) -> str:
    """A day with its year: '3 Mar 2026'."""
    return f"{short_day(day)} {day:%Y}"


def day_span(start: date, end: date) -> str:
    """A range of days with its end's year, and its start's when that differs: '1 Mar – 31 Mar
    2026', '13 Nov 2025 – 8 Feb 2026'."""
    first = short_day(start) if start.year == end.year else long_day(start)
    return f"{first} – {short_day(end)} {end:%Y}"


def signed(value: float, digits: int = 2) -> str:
    """A signed number with `digits` significant digits, so rounding never hides a sign or makes a
    small slope read as zero; 0 stays '0'.

    >>> signed(-0.0031), signed(0.0412), signed(3.4167), signed(656.86), signed(0.0)
    ('-0.0031', '+0.041', '+3.4', '+657', '0')
    """
    if abs(value) < 1e-12:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return f"{value:+,.{decimals}f}"


FOLD = 2.0  # a relative change from +200% on reads as a factor: "×3.4", "×110"


def signed_percent(change: float) -> str:
    """A relative change as a sentence or a card's reason writes it: '+12%', '-8%', '+0.4%' (never
    a rounded '+0%' or '-0%' for a change that is not nil), and from +200% on a factor ('×3.4',
    '×110') rather than an absurd-looking percentage.

    >>> signed_percent(0.12), signed_percent(-0.08), signed_percent(0.003), signed_percent(0.0)
    ('+12%', '-8%', '+0.3%', '+0%')
    >>> signed_percent(2.4), signed_percent(109), signed_percent(-0.0), signed_percent(-1e-5)
    ('×3.4', '×110', '+0%', '-<0.1%')
    """
    if change >= FOLD:
        factor = 1 + change
        return f"×{factor:,.0f}" if factor >= 10 else f"×{factor:.1f}"
    if change == 0:
        return "+0%"  # never "-0%" for a negative zero
    if abs(change) < 0.0005:
        return f"{'+' if change > 0 else '-'}<0.1%"
    if abs(change) < 0.005:
        return f"{change:+.1%}"
    return f"{change:+.0%}"


def whole_points(share: float, edges: tuple[float, ...] = ()) -> int:
    """A share in whole percentage points, rounded to the nearest (half up), but never onto a
    point the share has not reached: not 100 below one, and not up onto one of `edges` (shares
    where a reading changes, as a goal is on track from a 70 % chance: 69.95 % is 69, not the 70
    that would call it on track). A share above zero but under one percent is 0 points here, and
    "<1%" in `whole_percent`.

    >>> whole_points(0.8855), whole_points(0.003), whole_points(0.9996), whole_points(-0.056)
    (89, 0, 99, -6)
    >>> whole_points(0.6995, edges=(0.7,)), whole_points(0.7, edges=(0.7,)), whole_points(0.29, edges=(0.3,))
    (69, 70, 29)
    """
    size = abs(share) * 100
    points = math.floor(size + 0.5 + 1e-9)  # the nudge: 0.29 is 28.999999999999996 points
    if 99 < size < 100:
        points = 99
    for edge in edges:
        if size < edge * 100 - 1e-9 <= points:  # below the edge, rounded onto it
            points = math.ceil(edge * 100 - 1e-9) - 1
    return int(math.copysign(points, share))


def whole_percent(share: float | None, edges: tuple[float, ...] = ()) -> str:
    """A share as people read a chance or a progress: whole percents (`whole_points`), with
    "<1%" for a share above zero but under one percent, which "0%" would call impossible or not
    started, ">99%" just below a hundred, and "n/a" for no share at all. Below zero (a follower
    goal's progress after losing followers) the same, with a minus: "-0.4%", "-25%".

    >>> whole_percent(0.8855), whole_percent(0.003), whole_percent(0), whole_percent(0.9996), whole_percent(1)
    ('89%', '<1%', '0%', '>99%', '100%')
    >>> whole_percent(1.5), whole_percent(-0.004), whole_percent(-0.25), whole_percent(0.6995, edges=(0.7,))
    ('150%', '-0.4%', '-25%', '69%')
    >>> whole_percent(float("nan")), whole_percent(float("inf")), whole_percent(None)
    ('n/a', 'n/a', 'n/a')
    """
    if share is None or not math.isfinite(share):
        return "n/a"
    size = abs(share) * 100
    if share < 0 and size < 1:
        return f"-{max(size, 0.1):.1f}%"
    if 0 < size < 1:
        return "<1%"
    if 99.5 <= size < 100:
        return ">99%" if share > 0 else "-99%"
    return f"{whole_points(share, edges):,}%"
