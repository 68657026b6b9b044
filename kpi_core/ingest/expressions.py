"""The reader's SQL for a loaded sheet: for each canonical column the sheet has, its value and the
checks that reject a row, with the date lookups they join (RawReader.normalise runs them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kpi_core.ingest.day_lookup import DayTexts, date_lookup
from kpi_core.ingest.loading import LoadedSheet, column_index
from kpi_core.store.cell_sql import EXPORT_DATE, column_sql, count_problem_sql, lookup_join, total_row_sql


@dataclass
class Expressions:
    """The arguments of one RawReader.normalise call."""

    select: list[tuple[str, str]] = field(default_factory=list)  # (canonical column, value SQL)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (header, reason SQL)
    value_problems: list[tuple[str, str]] = field(default_factory=list)  # read from the values
    joins: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)  # the values the SQL binds


def expressions(item: LoadedSheet, seen: DayTexts) -> Expressions:
    """For each canonical column the file has: its value, its problems and the joins it needs."""
    out = Expressions()
    reference = item.export_date or date.today()
    for n, column in enumerate(item.fmt.columns):
        index = column_index(item.sheet, column)
        if index is None or any(target == column.target for target, _ in out.select):
            continue
        lookup = None
        if column.parser in ("day", "datetime"):
            lookup = f"dates_{n}"
            # Daily files list days oldest first; video lists (Content, scrapes) are in no order.
            in_order = column.parser == "day" and item.fmt.table != "videos_raw"
            item.reader.register_lookup(
                lookup, date_lookup(item.reader, f"c{index}", column.parser, reference, seen, in_order)
            )
            out.joins.append(lookup_join(lookup, index))
        value, problem = column_sql(column.parser, index, column.required, lookup)
        if column.parser == "datetime":  # its problem rejects times after the export date
            out.params[EXPORT_DATE] = reference
        if column.target == "date":
            value = f"CAST({value} AS DATE)"
        out.select.append((column.target, value))
        if column.parser == "count":  # checked against its parsed value: planned once, not twice
            out.value_problems.append(
                (item.sheet.header[index], count_problem_sql(index, column.required, column.target))
            )
        elif problem is not None:
            out.problems.append((item.sheet.header[index], problem))
    if item.fmt.kind == "ads_report" and item.sheet.header:
        out.problems.append((item.sheet.header[0], total_row_sql(0)))
    return out
