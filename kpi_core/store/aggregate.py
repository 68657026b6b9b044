"""Aggregate queries generated from declarations: a row source in `sql/` plus named aggregates.

The metric registry (kpi_core.metrics.registry) declares each measure once; it hands this module
plain `Aggregate`s and this module writes the SQL. Names are checked identifiers, expressions
are the registry's own SQL over the source's columns (never user text), values are bound.

    SELECT account, CAST(sum(likes) AS BIGINT) AS likes, ...
    FROM (<sql/kpi_video_rows.sql>) AS rows
    GROUP BY account ORDER BY account
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kpi_core.store.connection import check_identifier

# function -> SQL template over the expression {e} and its filter {f} ("FILTER (WHERE ...)" or "").
FUNCTIONS: dict[str, str] = {
    "sum": "CAST(sum({e}) {f} AS BIGINT)",
    # A sum of fractional values (an average follower count), added in date order: rounding then
    # gives the same last digit however the rows are grouped (one account, or all of them at once).
    "fsum": "CAST(sum({e} ORDER BY date) {f} AS DOUBLE)",
    "avg": "avg({e}) {f}",
    "count": "count({e}) {f}",
    "count_rows": "count(*) {f}",
    "median": "median({e}) {f}",
    "min": "min({e}) {f}",
    "max": "max({e}) {f}",
    # The value on the first (last) day that has one: for levels such as the follower count.
    "first": "arg_min({e}, date) FILTER (WHERE {e} IS NOT NULL{and_f})",
    "last": "arg_max({e}, date) FILTER (WHERE {e} IS NOT NULL{and_f})",
    # Every row's value in date order: a row its filter leaves out, or without a value, is NULL
    # in its place, so that lists over the same rows line up.
    "list": "list({v} ORDER BY date)",
}


@dataclass(frozen=True)
class Aggregate:
    """One output column: `function` of `expr` over the rows where `where` holds (all if None)."""

    name: str
    function: str
    expr: str = "*"
    where: str | None = None

    def sql(self) -> str:
        if self.function not in FUNCTIONS:
            raise ValueError(f"unknown aggregate function {self.function!r}")
        where = f"FILTER (WHERE {self.where})" if self.where else ""
        and_where = f" AND ({self.where})" if self.where else ""
        value = f"CASE WHEN {self.where} THEN {self.expr} END" if self.where else self.expr
        body = FUNCTIONS[self.function].format(e=self.expr, f=where, and_f=and_where, v=value)
        return f"{body} AS {check_identifier(self.name)}"


def aggregate_sql(
    source: str, group_by: Sequence[str], aggregates: Sequence[Aggregate], one_group: bool = False
) -> str:
    """`SELECT <group_by>, <aggregates> FROM (<source>) GROUP BY <group_by>` (one row without groups).

    one_group: the caller's filter leaves at most one group (one account, the whole range): the
    rows are aggregated without grouping, each group column read with `any_value`, and no row
    comes back when there are none, as with GROUP BY. DuckDB's hash aggregate of a single group
    cost 5-9 ms more than its plain aggregate on the fifty-odd KPI aggregates of ten years of days.
    """
    groups = [check_identifier(g) for g in group_by]
    if one_group:
        columns = ", ".join([*(f"any_value({g}) AS {g}" for g in groups), *(a.sql() for a in aggregates)])
        return f"SELECT {columns} FROM (\n{source}\n) AS rows HAVING count(*) > 0"
    columns = ", ".join([*groups, *(a.sql() for a in aggregates)])
    grouping = f" GROUP BY {', '.join(groups)} ORDER BY {', '.join(groups)}" if groups else ""
    return f"SELECT {columns} FROM (\n{source}\n) AS rows{grouping}"
