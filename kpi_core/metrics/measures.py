"""What a KPI is made of: a `Measure` (a column aggregated over a row source), a `Kpi` (one measure,
or the ratio of two sums), a `Guard` (a validity rule) and the `Parts` it reads; and the measures
the KPIs are declared with (kpi_core.metrics.registry).

A `Measure` is a column aggregated over a row source: per video (`sql/kpi_video_rows.sql`, one
row per video posted in the range) or per day (`sql/kpi_daily_rows.sql`, one row per day). Every
KPI also counts the rows behind it (`<name>__rows`: the videos or days where its numerator and
denominator are both known).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from kpi_core.store.aggregate import Aggregate

__all__ = [
    "COMMENTS",
    "DAILY_CONTEXT",
    "FOLLOWERS",
    "INTERACTIONS",
    "LIKES",
    "ROWS",
    "ROWS_WITH_LIKES",
    "ROW_NOUN",
    "SHARES",
    "VIEWS",
    "sum_of",
    "Grain",
    "Guard",
    "Kpi",
    "Measure",
    "Parts",
]

Grain = Literal["per_video", "per_day"]
# What one row of a grain's source is, as a count reads: "9 videos", "26 days".
ROW_NOUN: dict[str, tuple[str, str]] = {"per_video": ("video", "videos"), "per_day": ("day", "days")}


@dataclass(frozen=True)
class Measure:
    """A column aggregated over its grain's row source: `function(expr)` (see store.aggregate)."""

    name: str
    function: str  # "sum", "fsum", "count", "count_rows", "median", "avg", "min", "max", "first", "last"
    expr: str  # SQL over the row source's columns, written here (never user text)
    where: str | None = None
    words: str = ""  # what it counts, in a sentence: "likes", "follower counts" (default: the name)

    @property
    def text(self) -> str:
        """The measure as people read it in a formula: 'sum(likes)', 'median(likes)'."""
        if self.function == "count_rows":
            return "count(*)"
        function = "sum" if self.function == "fsum" else self.function
        return f"{function}({self.expr})"

    @property
    def noun(self) -> str:
        return self.words or self.name.replace("_", " ")


@dataclass(frozen=True)
class Parts:
    """What a guard reads: the KPI's unscaled value (numerator / denominator), its parts, the rows
    behind it (videos or days) and the guard's own measures over those rows, by measure name."""

    value: float
    numerator: float
    denominator: float | None
    rows: int
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Guard:
    """A validity rule: `check(parts)` gives the reason a value means nothing, or None when it stands.

    A reason opens with a headline of a few words, then ': ' and the details ("followers ×140 in
    the period: they grew from 24 to 3,352, ..."): a card shows the headline, notes the whole.

    `rule` states the rule in words (help texts, the README); `measures` are what the check reads
    besides the KPI's own parts, aggregated over the same rows as the KPI.
    """

    rule: str
    check: Callable[[Parts], str | None]
    measures: tuple[Measure, ...] = ()


@dataclass(frozen=True)
class Kpi:
    """One KPI: a measure, or `numerator / denominator * scale` as a ratio of sums.

    `fmt` is a str.format pattern ("{:.2%}" for a fraction); `description` says in words what
    the formula counts (shown beside the number).
    """

    name: str
    grain: Grain
    label: str
    unit: str
    numerator: Measure
    denominator: Measure | None = None
    fmt: str = "{:,.0f}"
    scale: float = 1.0  # multiplies a ratio: 1000 gives "per 1,000 followers"
    description: str = ""
    guard: Guard | None = None

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    @property
    def is_rate(self) -> bool:
        """A fraction 0..1 (shown as a percentage)."""
        return self.is_ratio and "%" in self.fmt

    @property
    def formula_text(self) -> str:
        """'sum(likes) / sum(views)', or the description where the formula alone says too little."""
        if self.description:
            return self.description
        if self.denominator is None:
            return self.numerator.text
        scale = f"{self.scale:g} × " if self.scale != 1 else ""
        return f"{scale}{self.numerator.text} / {self.denominator.text}"

    @property
    def numerator_column(self) -> str:
        """The output column holding the numerator (the value itself for a plain measure)."""
        return f"{self.name}__num" if self.is_ratio else self.name

    @property
    def denominator_column(self) -> str | None:
        return f"{self.name}__den" if self.is_ratio else None

    @property
    def rows_column(self) -> str:
        """The output column counting the rows behind the value (videos or days)."""
        return f"{self.name}__rows"

    def guard_column(self, measure: Measure) -> str:
        return f"{self.name}__{measure.name}"

    @property
    def rows_noun(self) -> str:
        return ROW_NOUN[self.grain][1]

    def aggregates(self) -> tuple[Aggregate, ...]:
        """The SQL columns this KPI needs, all over the rows where its measures are known: the
        numerator (and denominator), the count of those rows, and the guard's measures."""
        n, d = self.numerator, self.denominator
        if n.function == "count_rows":
            known = None  # a count of rows is known on every row
        elif d is None:
            known = f"({n.expr}) IS NOT NULL"
        else:
            known = f"({n.expr}) IS NOT NULL AND ({d.expr}) IS NOT NULL"
        parts = [Aggregate(self.numerator_column, n.function, n.expr, _and(n.where, known))]
        if d is not None:
            parts.append(Aggregate(f"{self.name}__den", d.function, d.expr, _and(d.where, known)))
        parts.append(Aggregate(self.rows_column, "count_rows", "*", _and(n.where, known)))
        for m in self.guard.measures if self.guard else ():
            parts.append(Aggregate(self.guard_column(m), m.function, m.expr, _and(m.where, known)))
        return tuple(parts)

    def ratio_aggregates(self) -> tuple[Aggregate, ...]:
        """The numerator (and denominator) columns of `aggregates` alone: a KPI's value without
        its row count and its guard's measures (a guard on followers adds windows over the rows)."""
        return self.aggregates()[: 1 if self.denominator is None else 2]


def _and(*conditions: str | None) -> str | None:
    present = [f"({c})" for c in conditions if c]
    return " AND ".join(present) or None


# ---------------------------------------------------------------------------------------------
# Measures


def sum_of(column: str) -> Measure:
    """The sum of a row source's column, named as the column."""
    return Measure(column, "sum", column)


LIKES, VIEWS, COMMENTS, SHARES = sum_of("likes"), sum_of("views"), sum_of("comments"), sum_of("shares")
INTERACTIONS = Measure("interactions", "sum", "likes + comments + shares")
# The base of a rate by follower: the period's (or bucket's) average daily follower count, carried
# on every row of both row sources (`base_followers`), so sum / rows is that average and the KPI
# reads interactions per video (or per day) / average followers. Without a daily series, a
# scraper's count for each video stands in. Fractional, hence the float sum.
FOLLOWERS = Measure("followers", "fsum", "base_followers", words="follower counts")
ROWS = Measure("rows", "count_rows", "*")
ROWS_WITH_LIKES = Measure("rows_with_likes", "count", "likes", words="likes")

# Per-day measures with no KPI of their own, returned beside every per-day query.
DAILY_CONTEXT: tuple[Measure, ...] = (
    Measure("first_day", "min", "date"),
    Measure("last_day", "max", "date"),
    Measure("provisional_days", "count_rows", "*", "provisional"),
)
