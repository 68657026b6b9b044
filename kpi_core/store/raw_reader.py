"""A short-lived sandboxed connection that reads one staged upload file and nothing else.

It turns the file into text columns `c0..cN` (table `raw`) and normalises them into canonical
rows with the expressions of `cell_sql`. Identifiers in generated SQL are ours (`c0`, canonical
names from schema.py); user text only ever reaches SQL as a bound parameter or as data inside a
registered DataFrame.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kpi_core.store.cell_sql import MACROS, datetime_sql, hour_sql
from kpi_core.store.connection import DEFAULT_MEMORY_LIMIT, check_identifier, sealed_connection


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    n_columns: int
    encoding: str = "utf-8"


class RawReader:
    """Reads one staged upload into text columns c0..cN and normalises them into canonical rows."""

    def __init__(self, allowed_path: str | None = None, memory_limit: str = DEFAULT_MEMORY_LIMIT):
        self._spill = tempfile.TemporaryDirectory(prefix="kpi-spill-")  # 0700, removed when dropped
        self.con = sealed_connection(memory_limit, self._spill.name, allowed_path)
        self.con.execute(MACROS)

    def close(self) -> None:
        self.con.close()
        self._spill.cleanup()

    def load_csv(self, path: str, dialect: CsvDialect, store_rejects: bool = True) -> list[tuple[int, str]]:
        """Load a CSV (header on line 1) into table `raw`; return rejected (line, reason) pairs.

        With `store_rejects=False` broken lines are skipped without a record of them: DuckDB spends
        about 7 µs and 2 KB on each line it records (three million broken lines took 20 s and
        5 GB), so ingest reads leniently first and asks for the lines only when there are few.
        """
        columns = {f"c{i}": "VARCHAR" for i in range(dialect.n_columns)}
        self.con.execute(
            """
            CREATE OR REPLACE TABLE raw AS
            SELECT * FROM read_csv($path, columns = $columns, auto_detect = false, header = true,
                delim = $delim, quote = '"', escape = '"', encoding = $encoding,
                null_padding = false, strict_mode = true, store_rejects = $store, ignore_errors = true,
                max_line_size = 10000000, parallel = true)
            """,
            {
                "path": path,
                "columns": columns,
                "delim": dialect.delimiter,
                "encoding": dialect.encoding,
                "store": store_rejects,
            },
        )
        if not store_rejects:
            return []
        rejected = self.con.execute(
            """
            SELECT line, string_agg(DISTINCT error_type::VARCHAR, ', ' ORDER BY error_type::VARCHAR)
            FROM reject_errors GROUP BY line ORDER BY line
            """
        ).fetchall()
        return [(int(line), _csv_error_reason(kinds, dialect.n_columns)) for line, kinds in rejected]

    def load_frame(self, frame: pd.DataFrame) -> None:
        """Load text rows that came from XLSX or JSON; columns must be named c0..cN."""
        for name in frame.columns:
            check_identifier(str(name))
        self.con.register("incoming_frame", frame)
        casts = ", ".join(f"CAST({name} AS VARCHAR) AS {name}" for name in frame.columns)
        self.con.execute(f"CREATE OR REPLACE TABLE raw AS SELECT {casts} FROM incoming_frame")
        self.con.unregister("incoming_frame")

    def row_count(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM raw").fetchall()[0][0])

    def date_texts(self, column: str, parser: str, limit: int = 200_000) -> list[str]:
        """Distinct date texts of raw column `column` that need reading in Python, in the order
        they first appear in the file (ingest infers years from that order).

        For "day" that is every value (yearless, localized); for "datetime" only the values that
        are neither ISO nor epoch seconds, which SQL reads itself.
        """
        column = check_identifier(column)
        unparsed = f"AND {datetime_sql(column)} IS NULL" if parser == "datetime" else ""
        rows = self.con.execute(
            f"SELECT {column} FROM raw WHERE NOT is_missing({column}) {unparsed} "
            f"GROUP BY {column} ORDER BY min(rowid) LIMIT $n",
            {"n": limit},
        ).fetchall()
        return [r[0] for r in rows]

    def hours_written(self, column: str, hours: list[int]) -> set[int]:
        """Which of `hours` the "hour" column `column` writes (to tell 0-23 from 1-24 numbering)."""
        column = check_identifier(column)
        rows = self.con.execute(
            f"SELECT DISTINCT h FROM (SELECT {hour_sql(column)} AS h FROM raw) WHERE list_contains($hours, h)",
            {"hours": hours},
        ).fetchall()
        return {int(h) for (h,) in rows}

    def newest_time(self, column: str) -> str | None:
        """The latest ISO or epoch time of column `column` (as 'YYYY-MM-DD HH:MM:SS'), or None."""
        column = check_identifier(column)
        rows = self.con.execute(f"SELECT CAST(max({datetime_sql(column)}) AS VARCHAR) FROM raw").fetchall()
        return rows[0][0]

    def first_values(self, column: str, n: int = 50) -> list[str | None]:
        column = check_identifier(column)
        return [r[0] for r in self.con.execute(f"SELECT {column} FROM raw LIMIT $n", {"n": n}).fetchall()]

    def register_lookup(self, name: str, frame: pd.DataFrame) -> None:
        """Register a small Python-made lookup table (e.g. date text -> date)."""
        check_identifier(name)
        self.con.register(f"{name}_frame", frame)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_frame")
        self.con.unregister(f"{name}_frame")

    def normalise(
        self,
        select: list[tuple[str, str]],
        problems: list[tuple[str, str]],
        joins: list[str],
        where: str | None = None,
        limit: int | None = None,
        value_problems: list[tuple[str, str]] | None = None,
        params: dict[str, Any] | None = None,
    ) -> tuple[pd.DataFrame, pd.DataFrame, int, int]:
        """Run one normalisation: (canonical column, SQL expression) pairs and problem checks.

        `problems` holds (column label, SQL expression giving a reason or NULL) over raw.c0..cN
        and the lookups; `value_problems` the same over raw.c0..cN and the canonical values
        (`raw.likes`), checked after the values are computed: a count's problem reads its value
        instead of repeating the whole parse, which DuckDB would plan again (most of the
        statement's cost on a small file).
        Returns (accepted rows as canonical columns, the first `limit` problems as
        raw_row/column/reason, the number of rejected rows, the number of problems): a file of
        millions of bad rows must not become millions of Python objects.
        Expressions are built by ingest from fixed templates over c0..cN only; the values they
        use (the export date) are bound from `params` ($name).
        """
        problems = [*problems, *(value_problems or [])]
        first_value_problem = len(problems) - len(value_problems or [])
        inner_problems = "".join(
            f", {expr} AS p{i}" for i, (_, expr) in enumerate(problems[:first_value_problem])
        )
        outer_problems = (
            ", ".join(
                f"p{i}" if i < first_value_problem else f"{expr} AS p{i}"
                for i, (_, expr) in enumerate(problems)
            )
            or "NULL AS p0"
        )
        select_sql = ", ".join(f"{expr} AS {check_identifier(col)}" for col, expr in select)
        columns_sql = ", ".join(check_identifier(col) for col, _ in select)
        join_sql = " ".join(joins)
        filter_sql = f"WHERE {where}" if where else ""
        self.con.execute(
            f"""
            CREATE OR REPLACE TABLE normalised AS
            SELECT raw_row, {columns_sql}, {outer_problems}
            FROM (SELECT raw.*, raw.rowid AS raw_row, {select_sql}{inner_problems}
                  FROM raw {join_sql} {filter_sql}) AS raw
            """,
            params or {},
        )
        problem_cols = [f"p{i}" for i in range(max(len(problems), 1))]
        any_problem = " OR ".join(f"{p} IS NOT NULL" for p in problem_cols)
        labels = [label for label, _ in problems] or [""]
        unpivot = " UNION ALL ".join(
            f"SELECT raw_row, $l{i} AS column_name, p{i} AS reason FROM normalised WHERE p{i} IS NOT NULL"
            for i in range(len(problem_cols))
        )
        label_params: dict[str, Any] = {f"l{i}": labels[i] for i in range(len(problem_cols))}
        rejected = self.con.execute(
            f"SELECT raw_row, column_name, reason FROM ({unpivot}) ORDER BY raw_row, column_name "
            + ("LIMIT $limit" if limit is not None else ""),
            {**label_params, "limit": limit} if limit is not None else label_params,
        ).df()
        bad_rows, problem_count = self.con.execute(
            f"SELECT count(DISTINCT raw_row), count(*) FROM ({unpivot})", label_params
        ).fetchall()[0]
        accepted = self.con.execute(
            f"SELECT {columns_sql} FROM normalised WHERE NOT ({any_problem}) ORDER BY raw_row"
        ).df()
        return accepted, rejected, int(bad_rows), int(problem_count)


def _csv_error_reason(kinds: str, n_columns: int) -> str:
    if "MISSING COLUMNS" in kinds and "UNQUOTED" not in kinds:
        return f"has fewer fields than the header's {n_columns}"
    if "TOO MANY COLUMNS" in kinds:
        return f"has more fields than the header's {n_columns}"
    if "UNQUOTED" in kinds or "INVALID STATE" in kinds:
        return "has a quote that is not closed or a stray quote"
    if "LINE SIZE" in kinds:
        return "is longer than 10 MB"
    if "INVALID ENCODING" in kinds:
        return "is not valid text in the file's encoding"
    return f"could not be read as CSV ({kinds.lower()})"
