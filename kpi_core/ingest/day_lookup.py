"""Date texts that SQL cannot read (yearless, localized, numeric) read in Python, once per distinct
text, into a lookup table (raw text -> date or the reason it is not one) that the reader joins;
with the column's day/month order (date_order.py) and the day its years are inferred back from.
Plain ISO days and ISO or epoch times are read by SQL itself (cell_sql) and never come here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kpi_core.ingest import dates
from kpi_core.ingest.date_order import ColumnOrder, column_order

# The daily files of many accounts share their days: each distinct text is read once per upload
# (and day/month order), and this keeps the day or the reason it is not one.
DayTexts = dict[tuple[str, str | None], "dates.DayText | str"]
MAX_DATE_TEXT = (
    100  # characters; the longest real date text ("Wednesday, 30 de septiembre de 2026 ...") is far shorter
)


@dataclass(frozen=True)
class DayLookup:
    """Date texts read in Python: each text's day, or the reason it is not one (None when read);
    `reference` is the day their years were inferred back from."""

    texts: list[str]
    days: list[date | None]
    reasons: list[str | None]
    reference: date

    def __len__(self) -> int:
        return len(self.texts)


def read_day(text: str, seen: DayTexts, order: str | None = None) -> dates.DayText:
    """`dates.read_day_text`, once per distinct text and order of an upload (`seen` keeps the day
    or the reason)."""
    key = (text, order)
    if key not in seen:
        try:
            seen[key] = dates.read_day_text(text, order)
        except dates.DateProblem as exc:
            seen[key] = str(exc)
    found = seen[key]
    if isinstance(found, str):
        raise dates.DateProblem(found)
    return found


def date_lookup(
    texts: list[str],
    has_iso_days: bool,
    reference: date,
    seen: DayTexts,
    in_date_order: bool = False,
    date_order: str | None = None,
    runs_until: date | None = None,
) -> tuple[DayLookup, ColumnOrder]:
    """A column's date texts that SQL does not read (localized, yearless, numeric: `texts`, from
    `RawReader.probe`), read in Python: raw, value, reason; and the column's day/month order
    (`date_order`: the one the user gave, or None). `reference` is the export date; `runs_until`,
    when that is another file's of the upload, the latest day the file's days may run to;
    `has_iso_days`: whether SQL reads some of the column's days itself (with their years)."""
    values = [v for v in texts if len(v) <= MAX_DATE_TEXT]
    too_long = [v for v in texts if len(v) > MAX_DATE_TEXT]
    order = column_order(values, date_order, reference, in_date_order)
    # Days SQL read carry their year: the export date stays the reference, as for any dated text.
    if in_date_order and not has_iso_days:
        reference = _last_day_reference(values, reference, seen, order.order, runs_until)
    parsed: list[date | None] = []
    reasons: list[str | None] = []
    ambiguous = set(order.ambiguous) if order.order is None else set()
    for value in values:
        try:
            parsed.append(dates.resolve(read_day(value, seen, order.order), reference, value))
            reasons.append(None)
        except dates.DateProblem as exc:
            parsed.append(None)
            reasons.append(order.reason(value) if value in ambiguous else str(exc))
    for value in too_long:
        # Reading a megabyte "date" takes seconds, and the reason would quote all of it.
        parsed.append(None)
        reasons.append(f"'{value[:40]}…' ({len(value):,} characters) is not a date")
    return DayLookup([*values, *too_long], parsed, reasons, reference), order


def _last_day_reference(
    texts: list[str], export_date: date, seen: DayTexts, order: str | None, runs_until: date | None = None
) -> date:
    """The day to infer years back from, for a file whose rows run oldest to newest.

    That is the file's own last day, not the export date: a 365-day window exported two days
    after it ends ("January 5" .. "January 4", exported January 6) would otherwise read its first
    two days as the January 5 and 6 just before the export, a year late. The last day may fall
    one day after the export date (a ZIP's export time is UTC; the interface's day can be ahead).
    When the export date is another file's of the upload (a Followers ZIP carries no date of its
    own), the file may have been downloaded later: its last day is the latest occurrence up to
    `runs_until` (a Followers export two weeks newer than the Overview read a year early, whole).
    The export date stays the reference when the dates carry years or, read this way, are not in
    order (a sorted or hand-edited file).
    """
    day_texts = []
    for text in texts:  # texts that cannot be read are rejected later, with their reason
        try:
            day = read_day(text, seen, order)
        except dates.DateProblem:
            continue
        if day.year is not None:
            return export_date  # dates with years: no need to read the rest here
        day_texts.append(day)
    if not day_texts:
        return export_date
    try:
        last = dates.resolve(day_texts[-1], runs_until or export_date + timedelta(days=1))
    except dates.DateProblem:
        return export_date
    read = []
    for day in day_texts:
        try:
            read.append(dates.resolve(day, last))
        except dates.DateProblem:  # February 29 in a year without one
            pass
    return last if read == sorted(read) else export_date
