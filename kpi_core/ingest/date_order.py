"""The day/month order of a column of numeric dates ("20/6/2022" next to "1/7/2022").

The order is a property of the column, not of a row: it is the one the user gave, else the one
the column's own dates settle (a day above 12; the only order that puts no date after the export
date; in a daily file, the only order in which the rows are consecutive days). Only when nothing
settles it are the dates that read as two different days rejected, with what to do. Decided once
per column, over its distinct texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kpi_core.ingest import dates
from kpi_core.ingest.dates import ORDER_WORDS, NumericDate

_FIRST_WORDS = {"dmy": "day first", "mdy": "month first"}
_ASK = "give the day/month order under upload options, or --date-order"


@dataclass(frozen=True)
class ColumnOrder:
    """How a column's numeric dates are read."""

    order: str | None  # "dmy" or "mdy"; None: each date alone (ambiguous ones are rejected)
    ambiguous: tuple[str, ...] = ()  # the column's dates that are a different day in each order
    why: str | None = None  # what settled the order (None: nothing did)
    day_first: str | None = None  # a date of the column that only day first reads
    month_first: str | None = None  # and one that only month first reads

    @property
    def inconsistent(self) -> bool:
        return self.day_first is not None and self.month_first is not None

    def reason(self, text: str) -> str:
        """Why an ambiguous date of an undecided column is rejected, and what to do."""
        if self.inconsistent:
            return f"'{text}' could be day/month or month/day, and the column holds both orders: {_ASK}"
        return f"'{text}' could be day/month or month/day, and nothing in the file settles which: {_ASK}"

    def note(self, header: str) -> str | None:
        """The file note about this column's order, when the order mattered."""
        example = f"'{self.ambiguous[0]}'" if self.ambiguous else ""
        either = f"{len(self.ambiguous):,} date(s) such as {example}"
        if self.inconsistent and self.order is None:
            mixed = (
                f"Column '{header}' mixes both orders: '{self.day_first}' can only be day first and "
                f"'{self.month_first}' only month first, so each date that can be read only one way is read so"
            )
            if not self.ambiguous:
                return f"{mixed}. Check the file"
            return f"{mixed}, and the {either} that could be either are rejected: {_ASK}"
        if not self.ambiguous:
            return None
        if self.order is None:
            return (
                f"Column '{header}': {either} could be day/month or month/day, and nothing in the "
                f"file settles which, so their rows are rejected: {_ASK}, and read the file again"
            )
        return (
            f"Column '{header}': numeric dates are read {_FIRST_WORDS[self.order]} "
            f"({ORDER_WORDS[self.order]}), {self.why}; {either} read the other way would be another day"
        )


def column_order(texts: list[str], given: str | None, export_date: date, daily: bool) -> ColumnOrder:
    """The order of a column whose distinct date texts are `texts`, in the order they first appear.

    given: the order the user gave ("dmy", "mdy") or None. export_date: no date can be after it
    (one day of time-zone slack), and yearless numeric dates ("1/7") are resolved back from it.
    daily: the rows are days, oldest first (a daily file).
    """
    numeric = [(text, parts) for text in texts if (parts := dates.numeric_date(text)) is not None]
    ambiguous = tuple(text for text, parts in numeric if parts.ambiguous)
    day_first = next((t for t, p in numeric if p.first > 12 >= p.second), None)
    month_first = next((t for t, p in numeric if p.second > 12 >= p.first), None)
    found = ColumnOrder(None, ambiguous, None, day_first, month_first)
    if given is not None:
        return ColumnOrder(
            given, ambiguous, "as given (upload options, or --date-order)", day_first, month_first
        )
    if found.inconsistent or not ambiguous:
        return found  # nothing to decide, or no single order fits
    if day_first or month_first:
        order = "dmy" if day_first else "mdy"
        return ColumnOrder(order, ambiguous, f"as '{day_first or month_first}' shows", None, None)
    possible = [o for o in dates.DATE_ORDERS if not _after(numeric, o, export_date)]
    if len(possible) == 1:
        why = f"the only order that puts no date after the export date ({export_date.isoformat()})"
        return ColumnOrder(possible[0], ambiguous, why)
    if daily:
        consecutive = [o for o in possible if _consecutive(numeric, o, export_date)]
        if len(consecutive) == 1:
            return ColumnOrder(
                consecutive[0], ambiguous, "the only order that makes the rows consecutive days"
            )
    return found


def _read(numeric: list[tuple[str, NumericDate]], order: str, reference: date) -> list[date]:
    """The column's numeric dates read in `order`, yearless ones back from `reference` (those that
    are no real day in that order left out)."""
    out = []
    for text, _ in numeric:
        try:
            day = dates.read_day_text(text, order)
            out.append(
                dates.resolve(day, reference) if day.year is None else date(day.year, day.month, day.day)
            )
        except dates.DateProblem:
            continue
    return out


def _after(numeric: list[tuple[str, NumericDate]], order: str, export_date: date) -> bool:
    """Whether some date with a year is after the export date (one day of slack) read in `order`."""
    dated = [(text, parts) for text, parts in numeric if parts.year is not None]
    return any(day > export_date + timedelta(days=1) for day in _read(dated, order, export_date))


def _consecutive(numeric: list[tuple[str, NumericDate]], order: str, reference: date) -> bool:
    """Whether the dates, read in `order`, run forward with most steps one day (a daily file)."""
    days = _read(numeric, order, reference)
    steps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    return bool(steps) and all(s > 0 for s in steps) and 2 * steps.count(1) > len(steps)
