"""The reader's SQL for a loaded sheet: for each canonical column the sheet has, its value and the
checks that reject a row, with the date lookups they join (RawReader.normalise runs them).

What is decided per column rather than per row happens here too, with a note on the result: the
day/month order of numeric dates (date_order.py) and whether hours are numbered 0-23 or 1-24.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kpi_core.ingest.day_lookup import DayTexts, date_lookup
from kpi_core.ingest.formats import Column
from kpi_core.ingest.loading import TOTAL_ROW_COLUMN, LoadedSheet, column_index
from kpi_core.store.cell_sql import (
    EXPORT_DATE,
    column_sql,
    lookup_join,
    plain_count_sql,
    total_row_sql,
)


@dataclass
class Expressions:
    """The arguments of one RawReader.normalise call."""

    select: list[tuple[str, str]] = field(default_factory=list)  # (canonical column, value SQL)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (header, reason SQL), after the values
    joins: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)  # the values the SQL binds
    net_counts: dict[str, str] = field(default_factory=dict)  # canonical column -> header, of net counts
    # The net counts read by `plain_count_sql`: digits only, so never below zero.
    never_negative: set[str] = field(default_factory=set)


def expressions(item: LoadedSheet, seen: DayTexts, date_order: str | None = None) -> Expressions:
    """For each canonical column the file has: its value, its problems and the joins it needs.

    date_order: how the user said numeric dates are written ("dmy", "mdy"), or None to decide it
    from each column's own dates.
    """
    out = Expressions()
    reference = item.export_date or date.today()
    # The columns read, in order: the first of each target that the sheet has.
    used: list[tuple[int, Column, int]] = []
    for n, column in enumerate(item.fmt.columns):
        index = column_index(item.sheet, column)
        if index is not None and all(column.target != c.target for _, c, _ in used):
            used.append((n, column, index))
    probe = item.reader.probe(
        plain=sorted({i for _, c, i in used if c.parser in ("count", "net_count")}),
        dates=[(f"c{i}", c.parser) for _, c, i in used if c.parser in ("day", "datetime")],
        hours=[f"c{i}" for _, c, i in used if c.parser == "hour"],
        export_date=reference,
    )
    plain = probe.plain
    for n, column, index in used:
        header = item.sheet.header[index]
        lookup = None
        if column.parser in ("day", "datetime"):
            # Daily files list days oldest first; video lists (Content, scrapes) are in no order.
            in_order = column.parser == "day" and item.fmt.table != "videos_raw"
            frame, order = date_lookup(
                probe.date_texts[f"c{index}"],
                probe.iso_days.get(f"c{index}", False),
                reference,
                seen,
                in_order,
                date_order,
                item.runs_until,
            )
            if item.runs_until is not None and frame.reference > reference:
                # Its days run past the other file's export date: it was exported on its last day
                # or later (the day its rows are stored as seen on).
                item.basis = (
                    f"its last day ({frame.reference.isoformat()}), after the export date of another "
                    f"file in this upload ({reference.isoformat()})"
                )
                item.export_date = reference = frame.reference
            if len(frame):  # texts SQL does not read itself (nearly always none in a scrape)
                lookup, source, values = item.reader.lookup(
                    f"dates_{n}", frame.texts, frame.days, frame.reasons
                )
                out.joins.append(lookup_join(lookup, index, source))
                out.params.update(values)
            note = order.note(header.strip())
            if note:
                item.result.notes.append(note)
            # ISO days are read on or before it; times after it are rejected
            out.params[EXPORT_DATE] = reference
        first_hour = _first_hour(item, probe.hours[f"c{index}"], header) if column.parser == "hour" else 0
        # The problem reads the value by its name in the SELECT (`column_sql`), not its expression again.
        value, problem = column_sql(column.parser, index, column.required, lookup, first_hour, column.target)
        if column.target == "date":
            value = f"CAST({value} AS DATE)"
        out.select.append((column.target, value))
        if column.parser in ("count", "net_count") and index in plain:
            value, problem = plain_count_sql(index, column.required)
            out.select[-1] = (column.target, value)
            if problem is not None:
                out.problems.append((header, problem))
            if column.parser == "net_count":
                out.net_counts[column.target] = header.strip()
                out.never_negative.add(column.target)
        else:
            if column.parser == "net_count":
                out.net_counts[column.target] = header.strip()
            if problem is not None:
                out.problems.append((header, problem))
    if item.fmt.kind == "ads_report" and item.sheet.header:
        out.problems.append((item.sheet.header[TOTAL_ROW_COLUMN], total_row_sql(TOTAL_ROW_COLUMN)))
    return out


def _first_hour(item: LoadedSheet, written: set[int], header: str) -> int:
    """1 when the file numbers hours 1 to 24 (of hours 0 and 24 it has `written` 24 only), else 0."""
    if 24 in written and 0 not in written:
        item.result.notes.append(
            f"Column '{header.strip()}' numbers the hours 1 to 24 (it has an hour 24 and no hour 0): "
            "stored as 0 to 23, hour 1 being the hour from midnight"
        )
        return 1
    return 0
