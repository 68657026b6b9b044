"""The store's answers to read queries, kept until its data changes.

One page asks the same question several times: the Overview's digest, its driver tree and its
period comparison each read the same four KPI rows (current and previous period, per video and
per day), and each KPI query costs DuckDB about 12 ms to plan and run whatever the rows. The
store keeps each answer under its SQL text and bound values for the data version it was read
at, so a question is put to DuckDB once per version.

Only small answers are kept (`MAX_ROWS`), at most `MAX_ANSWERS` of them and `MAX_KEPT_CELLS`
values in all (a session's memory stays bounded however many periods it looks at); a kept table
is handed out as a copy, so a caller that changes its frame never changes the next caller's. The
kind of answer (a table, a row, a value) is part of its key: one SQL text can be asked for as a
table and as a row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import Any, TypeVar

import pandas as pd

MAX_ANSWERS = 256  # past this many, the shelf starts again (as the pages' memo does)
MAX_ROWS = 10_000  # tables above this many rows are read again when asked again, never held
# Values of all kept answers together (~16 MB of numbers); past this, the shelf starts again.
MAX_KEPT_CELLS = 2_000_000

T = TypeVar("T")

# Values that bind as they compare: no Decimal (1.0 and 1.00 bind as different types).
_SCALARS = (str, int, float, bool, date, datetime, time, type(None))


class Answers:
    """Answers of one data version: `get(version, kind, sql, params, read)` reads once per version."""

    def __init__(self) -> None:
        self._version: int | None = None
        self._shelf: dict[tuple[str, str, tuple[Any, ...]], Any] = {}
        self._cells = 0  # values of the kept answers

    def get(self, version: int, kind: str, sql: str, params: Mapping[str, Any], read: Callable[[], T]) -> T:
        """`read()`'s answer to `sql` with `params` at `version`, kept when small; `kind` names
        what `read` makes of the result ("table", "row", "value"). Values that cannot be part of a
        key (anything but plain scalars and lists of them) are never kept."""
        if version != self._version:
            self.forget()
            self._version = version
        key = _key(kind, sql, params)
        if key is None:
            return read()
        if key in self._shelf:
            return _copy(self._shelf[key])
        answer = read()
        if not _small(answer):
            return answer
        cells = _cells(answer)
        if len(self._shelf) >= MAX_ANSWERS or self._cells + cells > MAX_KEPT_CELLS:
            self.forget()
        self._shelf[key] = answer
        self._cells += cells
        return _copy(answer)

    def forget(self) -> None:
        """Drop every kept answer (a new version, a full shelf, or a change rolled back after a
        read saw its rows)."""
        self._shelf.clear()
        self._cells = 0


def _key(kind: str, sql: str, params: Mapping[str, Any]) -> tuple[str, str, tuple[Any, ...]] | None:
    parts: list[Any] = []
    for name in sorted(params):
        value = params[name]
        if isinstance(value, list | tuple):
            if not all(isinstance(v, _SCALARS) for v in value):
                return None
            value = tuple(_part(v) for v in value)
        elif not isinstance(value, _SCALARS):
            return None
        else:
            value = _part(value)
        parts.append((name, type(params[name]).__name__, value))
    return kind, sql, tuple(parts)


def _part(value: Any) -> tuple[str, Any]:
    # The type goes with each value: 1, 1.0 and True are equal (one dict key) but bind differently;
    # a float by its repr, since -0.0 == 0.0 but 1 / -0.0 is -inf.
    return type(value).__name__, repr(value) if isinstance(value, float) else value


def _cells(answer: object) -> int:
    if isinstance(answer, pd.DataFrame):
        return max(answer.size, 1)
    if isinstance(answer, dict):  # a row; a list in it (a series read with its KPIs) counts each value
        return sum(len(v) if isinstance(v, list) else 1 for v in answer.values())
    if isinstance(answer, list):  # rows (Store.aggregate_rows)
        return max(sum(_cells(row) for row in answer), 1)
    return 1


def _small(answer: object) -> bool:
    return not isinstance(answer, pd.DataFrame) or len(answer) <= MAX_ROWS


def _copy(answer: T) -> T:
    if isinstance(answer, pd.DataFrame):
        return answer.copy()  # type: ignore[return-value]
    if isinstance(answer, dict):
        return {k: list(v) if isinstance(v, list) else v for k, v in answer.items()}  # type: ignore[return-value]
    if isinstance(answer, list):
        return [_copy(row) for row in answer]  # type: ignore[return-value]
    return answer
