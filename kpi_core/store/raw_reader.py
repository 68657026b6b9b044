"""Sandboxed connections that read staged upload files and nothing else.

A `RawReader` turns one staged file into text columns `c0..cN` (its table, `raw` by default) and
normalises them into canonical rows with the expressions of `cell_sql`. A store's uploads are
staged in its private folder (`Staging`) and read by one `UploadConnection` that can read that
folder only, each file in tables of its own: opening a connection and installing the macros cost
more than reading a small file. Identifiers in generated SQL are ours (`c0`, canonical names from
schema.py); user text only ever reaches SQL as a bound parameter or as data inside a registered
DataFrame.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from kpi_core.store.cell_sql import (
    EXPORT_DATE,
    MACRO_STATEMENTS,
    MACROS,
    datetime_sql,
    hour_sql,
    iso_day_sql,
    macros_for,
    plain_cell_sql,
)
from kpi_core.store.connection import (
    DEFAULT_MEMORY_LIMIT,
    check_identifier,
    sealed_connection,
)


@dataclass(frozen=True)
class ColumnProbe:
    """What `RawReader.probe` found in a file's columns."""

    plain: set[int] = field(default_factory=set)  # count columns c{i} of plain digits only
    date_texts: dict[str, list[str]] = field(default_factory=dict)  # column -> texts for Python
    iso_days: dict[str, bool] = field(default_factory=dict)  # "day" column -> SQL reads some
    hours: dict[str, set[int]] = field(default_factory=dict)  # "hour" column -> of 0 and 24


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    n_columns: int
    encoding: str = "utf-8"


class Staging:
    """A store's staging area: a private folder its uploads are written to, one upload at a time,
    and one sealed connection that can read that folder and nothing else.

    The connection is kept for the store's later uploads: opening one, creating its macros and its
    first `read_csv` took ~30 ms an upload, half of what a 3,651-day Overview file takes to read.
    After a large upload it is closed instead, and the next upload opens another: DuckDB keeps the
    memory it read with until its connection closes (140 MB more after a 200k-row scrape, for the
    rest of the session); it is closed too after an upload that broke it. An upload's files are
    removed when it is read, so the folder holds no more than the upload being read, and only this
    store's (one visitor's) uploads ever pass through it.
    """

    KEEP_AFTER_BYTES = 16 * 2**20  # staged by one upload; a Studio download is under 1 MB
    # An upload that stages at most this many bytes (`staged_size`: a ZIP's members) is read with
    # one DuckDB thread. On a few hundred rows the two threads spend longer handing work to each
    # other than working: a Studio download 182 -> 169 ms, a ten-year Overview file 34.9 -> 32.0
    # ms, a 2.4 MB scrape the same; a 48 MB scrape took 1.37x as long with one (bench/findings.md).
    ONE_THREAD_BYTES = 4 * 2**20

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="kpi-upload-")  # 0700, removed when closed
        self.connection: UploadConnection | None = None

    @contextmanager
    def upload(self, size: int | None = None) -> Iterator[tuple[Path, UploadConnection]]:
        """A fresh folder for one upload's files (removed afterwards, with them) and the connection,
        left without the upload's tables, or closed. `size`: about what the upload stages, when
        known (`readers.staged_size`); a small upload is read with one thread, any other with two
        (a kept connection of one thread is replaced for it)."""
        threads = 1 if size is not None and size <= self.ONE_THREAD_BYTES else 2
        if self.connection is not None and self.connection.threads < threads:
            self.connection.close()
            self.connection = None
        if self.connection is None:
            self.connection = UploadConnection(allowed_directory=self._folder.name, threads=threads)
        connection, keep = self.connection, False
        try:
            with tempfile.TemporaryDirectory(dir=self._folder.name) as folder:
                yield Path(folder), connection
                staged = sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())
                keep = staged <= self.KEEP_AFTER_BYTES
        finally:
            if keep:
                try:
                    connection.drop_tables()
                except duckdb.Error:  # a file broke the connection (its result says how)
                    keep = False
            if not keep:
                connection.close()
                self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self._folder.cleanup()


class UploadConnection:
    """One sealed connection for the files of a store's uploads (`Staging`): it can read the staging
    folder and nothing else, and holds each file's tables until that file is stored."""

    def __init__(
        self,
        allowed_directory: str | None = None,
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        threads: int = 2,
    ):
        self._spill = tempfile.TemporaryDirectory(prefix="kpi-spill-")  # 0700, removed when dropped
        self.threads = threads
        self.con = sealed_connection(
            memory_limit, self._spill.name, allowed_directory=allowed_directory, threads=threads
        )
        # Macros are created when a statement first calls them: creating them all took longer than
        # reading a small file, and a Studio download calls half of them.
        self._macros: set[str] = set()
        self._readers = 0
        # The tables its readers made and have not dropped (`drop_tables`), and DuckDB's reject
        # tables once a file was read with its broken lines recorded.
        self.tables: set[str] = set()

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
        """Run `sql` (with `params` bound), first creating the macros it calls that are not yet."""
        missing = macros_for(sql, self._macros)
        if missing:
            self.con.execute("\n".join(MACRO_STATEMENTS[m] for m in missing))
            self._macros.update(missing)
        return self.con.execute(sql, params)

    def reader(self) -> RawReader:
        """A reader of one file, in tables of its own on this connection."""
        self._readers += 1
        return RawReader(connection=self, table=f"raw_{self._readers}")

    def drop_tables(self) -> None:
        """Drop the tables the readers made and left (a file that failed half-way may leave some)
        and DuckDB's reject tables.

        The readers name the tables they make (`RawReader._making`): asking DuckDB's catalog
        (`duckdb_tables()`) cost 5-10 ms on a connection's first upload, a Studio download's 3 %.
        With nothing to drop it still runs a statement: on a connection a fatal error broke, that
        raises, and `Staging` opens another.
        """
        drops = [f"DROP TABLE IF EXISTS {check_identifier(t)}" for t in sorted(self.tables)]
        self.con.execute("; ".join(drops) or "SELECT 1").fetchall()
        self.tables.clear()

    def close(self) -> None:
        self.con.close()
        self._spill.cleanup()


class RawReader:
    """Reads one staged upload into text columns c0..cN and normalises them into canonical rows.

    On its own (`RawReader(allowed_path)`) it opens a connection that can read that one file; from
    `UploadConnection.reader()` it shares the upload's connection and drops its tables on close.
    """

    def __init__(
        self,
        allowed_path: str | None = None,
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        *,
        connection: UploadConnection | None = None,
        table: str = "raw",
    ):
        self.table = check_identifier(table)
        self._shared = connection
        if connection is None:
            self._spill: tempfile.TemporaryDirectory[str] | None = tempfile.TemporaryDirectory(
                prefix="kpi-spill-"
            )  # 0700, removed when dropped
            self.con = sealed_connection(memory_limit, self._spill.name, allowed_path)
            self.con.execute(MACROS)
        else:
            self._spill = None
            self.con = connection.con
        # The tables this reader made and has not dropped: `close` drops only those (a DROP of a
        # table that is gone costs a statement too, and there were four per file).
        self._made: set[str] = set()
        self._loaded_rows: int | None = None  # rows of `table`, as the statement that made it said
        self.columns: list[str] = []  # the canonical columns `normalise` made
        self._joined = False  # whether `normalise`'s table came through a join of lookups
        self.stats: dict[str, Any] = {}  # what `normalise` counted (read_rows, bad_rows, problems, rows)

    def _run(self, sql: str, params: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
        """Run a statement of ours on the reader's connection (creating the macros it calls)."""
        if self._shared is not None:
            return self._shared.execute(sql, params)
        return self.con.execute(sql, params)

    def close(self) -> None:
        if self._shared is None:
            self.con.close()
            if self._spill is not None:
                self._spill.cleanup()
            return
        self._drop(*self._made)

    def _making(self, table: str) -> None:
        """Note a table this reader is about to create: `close` drops it, or, if the reader is
        never closed (a file that failed half-way), its upload connection's `drop_tables`."""
        self._made.add(table)
        if self._shared is not None:
            self._shared.tables.add(table)

    def _drop(self, *tables: str) -> None:
        """Drop tables of this reader, in one call."""
        made = [t for t in tables if t in self._made]
        if made:
            self._run("; ".join(f"DROP TABLE IF EXISTS {check_identifier(t)}" for t in made))
        self._made.difference_update(tables)
        if self._shared is not None:
            self._shared.tables.difference_update(made)
        if self.table in tables:
            self._loaded_rows = None

    def load_csv(
        self,
        path: str,
        dialect: CsvDialect,
        store_rejects: bool = True,
        keep: Sequence[int] | None = None,
    ) -> list[tuple[int, str]]:
        """Load a CSV (header on line 1) into the reader's table; return rejected (line, reason) pairs.

        With `store_rejects=False` broken lines are skipped without a record of them: DuckDB spends
        about 7 µs and 2 KB on each line it records (three million broken lines took 20 s and
        5 GB), so ingest reads leniently first and asks for the lines only when there are few.
        `keep`: the indices of the columns to load (named c{i} all the same), every one without it.
        Each line is still split into all of its header's columns and checked against their count;
        only the kept values are stored (a scrape's 13 of 21 columns: 271 -> 168 ms for 200k rows)
        and checked to be text in the encoding: ingest stages only valid UTF-8 (`readers.text`).
        """
        columns = {f"c{i}": "VARCHAR" for i in range(dialect.n_columns)}
        kept = "*" if keep is None else ", ".join(f"c{int(i)}" for i in sorted(set(keep)))
        self._making(self.table)
        if store_rejects and self._shared is not None:  # emptied below; dropped with the upload
            self._shared.tables.update(("reject_errors", "reject_scans"))
        created = self._run(
            f"""
            CREATE OR REPLACE TABLE {self.table} AS
            SELECT {kept} FROM read_csv($path, columns = $columns, auto_detect = false, header = true,
                delim = $delim, quote = '"', escape = '"', encoding = $encoding,
                null_padding = false, strict_mode = true, store_rejects = $store, ignore_errors = true,
                max_line_size = 10000000, parallel = true)
            """,  # noqa: S608 (the table name is ours)
            {
                "path": path,
                "columns": columns,
                "delim": dialect.delimiter,
                "encoding": dialect.encoding,
                "store": store_rejects,
            },
        ).fetchall()
        self._loaded_rows = int(created[0][0])  # CREATE TABLE AS answers with its row count
        if not store_rejects:
            return []
        rejected = self._run(
            """
            SELECT line, string_agg(DISTINCT error_type::VARCHAR, ', ' ORDER BY error_type::VARCHAR)
            FROM reject_errors GROUP BY line ORDER BY line
            """
        ).fetchall()
        self._run("DELETE FROM reject_errors")  # the next file of the upload starts afresh
        self._run("DELETE FROM reject_scans")
        return [(int(line), _csv_error_reason(kinds, dialect.n_columns)) for line, kinds in rejected]

    def load_frame(self, frame: pd.DataFrame) -> None:
        """Load text rows that came from XLSX or JSON; columns must be named c0..cN."""
        for name in frame.columns:
            check_identifier(str(name))
        casts = ", ".join(f"CAST({name} AS VARCHAR) AS {name}" for name in frame.columns)
        self._making(self.table)
        self.con.register("incoming_frame", frame)
        try:
            created = self._run(
                f"CREATE OR REPLACE TABLE {self.table} AS SELECT {casts} FROM incoming_frame"
            ).fetchall()
        finally:  # a kept connection must not hold this file's rows into the next upload
            self.con.unregister("incoming_frame")
        self._loaded_rows = int(created[0][0])

    def row_count(self) -> int:
        if self._loaded_rows is not None:
            return self._loaded_rows
        return int(self._run(f"SELECT count(*) FROM {self.table}").fetchall()[0][0])

    def probe(
        self,
        plain: Sequence[int] = (),
        dates: Sequence[tuple[str, str]] = (),
        hours: Sequence[str] = (),
        export_date: date | None = None,
        limit: int = 200_000,
    ) -> ColumnProbe:
        """What ingest asks of a file's columns before it writes their SQL, in one statement (a
        statement per question cost more than reading a small file):

        - `plain`: which count columns c{i} hold nothing but plain digits and bare missing
          markers (nearly every real export), so that a short expression reads them;
        - `dates` ((column, "day" or "datetime")): the distinct date texts that need reading in
          Python, in the order they first appear (ingest infers years from it), at most `limit`;
          those SQL does not read itself: for "datetime" the ones neither ISO nor epoch seconds,
          for "day" the ones not a plain ISO day on or before `export_date` (without it, every
          day); and for "day" columns whether SQL reads some value itself (an ISO day, with its
          year);
        - `hours`: which of hours 0 and 24 each "hour" column writes (0-23 or 1-24 numbering).
        """
        terms: list[str] = [f"bool_and({plain_cell_sql(f'c{int(i)}')})" for i in plain]
        uses_export_date = False
        for column, parser in dates:
            column = check_identifier(column)
            # The text is for Python when SQL does not read it and it is no missing marker. In a
            # CASE, the marker check (a trim by regex) runs only on the texts SQL did not read:
            # DuckDB computed both sides of the AND for every row (a scrape's dates: 62 -> 34 ms).
            for_python = f"NOT is_missing({column})"
            if parser == "datetime":
                for_python = f"CASE WHEN {datetime_sql(column)} IS NULL THEN {for_python} ELSE false END"
            elif parser == "day" and export_date is not None:
                for_python = f"CASE WHEN {iso_day_sql(column)} IS NULL THEN {for_python} ELSE false END"
                uses_export_date = True
            terms.append(
                f"(SELECT list(v ORDER BY first) FROM (SELECT {column} AS v, min(rowid) AS first "
                f"FROM {self.table} WHERE {for_python} GROUP BY {column} ORDER BY first LIMIT $n))"
            )
            if parser == "day" and export_date is not None:
                terms.append(f"bool_or({iso_day_sql(column)} IS NOT NULL)")
        for column in hours:
            written = hour_sql(check_identifier(column))
            terms.append(f"list(DISTINCT {written}) FILTER (WHERE {written} IN (0, 24))")
        if not terms:
            return ColumnProbe()
        params: dict[str, Any] = {"n": limit} if dates else {}
        if uses_export_date:
            params[EXPORT_DATE] = export_date
        found = iter(self._run(f"SELECT {', '.join(terms)} FROM {self.table}", params).fetchall()[0])
        out = ColumnProbe()
        out.plain.update(i for i in plain if next(found) is not False)
        for column, parser in dates:
            out.date_texts[column] = list(next(found) or [])
            if parser == "day" and export_date is not None:
                out.iso_days[column] = bool(next(found))
        for column in hours:
            out.hours[column] = {int(h) for h in next(found) or []}
        return out

    def newest_time(self, column: str) -> str | None:
        """The latest ISO or epoch time of column `column` (as 'YYYY-MM-DD HH:MM:SS'), or None."""
        column = check_identifier(column)
        rows = self._run(f"SELECT CAST(max({datetime_sql(column)}) AS VARCHAR) FROM {self.table}").fetchall()
        return rows[0][0]

    def first_values(self, column: str, n: int = 50) -> list[str | None]:
        column = check_identifier(column)
        return [r[0] for r in self._run(f"SELECT {column} FROM {self.table} LIMIT $n", {"n": n}).fetchall()]

    def lookup(
        self, name: str, texts: list[str], values: list[date | None], reasons: list[str | None]
    ) -> tuple[str, str, dict[str, Any]]:
        """A small Python-made lookup table: date text -> day, or the reason it is not one, for
        `normalise` to join. Returns (the name to join it by, the reader's own, so that files
        sharing a connection never share lookups; its SQL; the values that SQL binds). The texts
        are bound as values, never written into the SQL, and joined as they are: a table of their
        own cost a statement to make and one to drop, for each date column of each file."""
        table = check_identifier(f"{self.table}_{name}")
        sql = (
            f"(SELECT unnest(CAST(${table}_raw AS VARCHAR[])) AS raw, "
            f"unnest(CAST(${table}_value AS DATE[])) AS value, "
            f"unnest(CAST(${table}_reason AS VARCHAR[])) AS reason)"
        )
        return table, sql, {f"{table}_raw": texts, f"{table}_value": values, f"{table}_reason": reasons}

    def _normalised_sql(
        self,
        select: list[tuple[str, str]],
        problems: list[tuple[str, str]],
        joins: list[str],
        where: str | None = None,
    ) -> tuple[str, list[str]]:
        """The query `normalise` keeps (raw_row, the canonical columns, problems p0..pN and
        `rejected`), and the labels of its problems; sets `columns`. A problem may read a value by
        its canonical name: the values come first in the same SELECT (`cell_sql.column_sql`)."""
        inner_problems = "".join(f", {expr} AS p{i}" for i, (_, expr) in enumerate(problems))
        outer_problems = ", ".join(f"p{i}" for i in range(len(problems)))
        any_problem = " OR ".join(f"p{i} IS NOT NULL" for i in range(len(problems))) if problems else "false"
        select_sql = ", ".join(f"{expr} AS {check_identifier(col)}" for col, expr in select)
        self.columns = [check_identifier(col) for col, _ in select]
        join_sql = " ".join(joins)
        self._joined = bool(joins)
        filter_sql = f"WHERE {where}" if where else ""
        sql = f"""
            SELECT raw_row, {", ".join(self.columns)}{", " if problems else ""}{outer_problems},
                ({any_problem}) AS rejected
            FROM (SELECT raw.*, raw.rowid AS raw_row, {select_sql}{inner_problems}
                  FROM {self.table} AS raw {join_sql} {filter_sql}) AS raw
            """
        return sql, [label for label, _ in problems]

    def normalise_and_finish(
        self,
        select: list[tuple[str, str]],
        problems: list[tuple[str, str]],
        joins: list[str],
        columns: dict[str, str],
        exprs: dict[str, str],
        params: dict[str, Any],
        derived: list[tuple[str, str]] | None = None,
    ) -> bool:
        """`normalise` and `finish` in one statement, for a file whose every row is accepted
        (nearly every file): the canonical rows straight from the text, without the normalised
        table, its counting statement and its drop in between. True when every row was accepted:
        the rows are kept as `finish` keeps them and `stats` counts them as `normalise` would;
        False when some row has a problem, keeping nothing: then
        `normalise` and `finish` must run, to find and report the problems."""
        sql, _ = self._normalised_sql(select, problems, joins)
        rows = f"{self.table}_rows"
        self._making(rows)
        # MATERIALIZED: inlined, each normalised value was expanded into every use of it in the
        # derived columns (a video's id and the year read from it), and Content took longer fused.
        finish = self._finish_sql(columns, exprs, derived, "normalised", sort=bool(joins))
        sql = f"CREATE OR REPLACE TABLE {rows} AS WITH normalised AS MATERIALIZED ({sql}) {finish}"
        [(accepted,)] = self._run(sql, _named(params, sql)).fetchall()
        read = self.row_count()
        if accepted != read:
            self._drop(rows)
            return False
        self.stats = {"read_rows": read, "bad_rows": 0, "problems": 0, "rows": accepted}
        self._drop(self.table)  # the text is no longer needed: freed before the store's insert
        return True

    def normalise(
        self,
        select: list[tuple[str, str]],
        problems: list[tuple[str, str]],
        joins: list[str],
        where: str | None = None,
        limit: int | None = None,
        params: dict[str, Any] | None = None,
    ) -> tuple[pd.DataFrame, int, int]:
        """Run one normalisation: (canonical column, SQL expression) pairs and problem checks.

        `problems` holds (column label, SQL expression giving a reason or NULL) over raw.c0..cN,
        the lookups (`lookup`, whose values `params` binds) and the canonical values by name (a
        count's problem reads its value instead of repeating the whole parse, which DuckDB would
        plan again: most of the statement's cost on a small file).
        Returns (the first `limit` problems as raw_row/column/reason, the number of rejected
        rows, the number of problems): a file of millions of bad rows must not become millions of
        Python objects. The accepted rows stay in the reader (`accepted_sql`, `finish`).
        Expressions are built by ingest from fixed templates over c0..cN only; the values they
        use (the export date) are bound from `params` ($name).
        """
        sql, labels = self._normalised_sql(select, problems, joins, where)
        normalised = f"{self.table}_normalised"
        self._making(normalised)
        self._run(f"CREATE OR REPLACE TABLE {normalised} AS {sql}", params or {})
        # One pass: every row, the rejected ones and the problems.
        counted = ", ".join(
            [
                "count(*) AS read_rows",
                "count(*) FILTER (WHERE rejected) AS bad_rows",
                f"{' + '.join(f'count(p{i})' for i in range(len(problems))) or '0'} AS problems",
                "count(*) FILTER (WHERE NOT rejected) AS rows",
            ]
        )
        cursor = self._run(f"SELECT {counted} FROM {normalised}")
        names = [d[0] for d in cursor.description]
        self.stats = dict(zip(names, cursor.fetchall()[0], strict=True))
        bad_rows, problem_count = int(self.stats["bad_rows"]), int(self.stats["problems"])
        if not problem_count:  # nearly every file: no second pass over its problems
            return pd.DataFrame({"raw_row": [], "column_name": [], "reason": []}), 0, 0
        unpivot = " UNION ALL ".join(
            f"SELECT raw_row, $l{i} AS column_name, p{i} AS reason FROM {normalised} WHERE p{i} IS NOT NULL"
            for i in range(len(problems))
        )
        label_params: dict[str, Any] = {f"l{i}": labels[i] for i in range(len(problems))}
        rejected = self._run(
            f"SELECT raw_row, column_name, reason FROM ({unpivot}) ORDER BY raw_row, column_name "
            + ("LIMIT $limit" if limit is not None else ""),
            {**label_params, "limit": limit} if limit is not None else label_params,
        ).df()
        return rejected, bad_rows, problem_count

    def finish(
        self,
        columns: dict[str, str],
        exprs: dict[str, str],
        params: dict[str, Any],
        derived: list[tuple[str, str]] | None = None,
    ) -> None:
        """The accepted rows as canonical rows: every column of `columns` (name -> DuckDB type), in
        order, from `exprs` (name -> SQL over the normalised columns and the `derived` ones, which
        are computed first; NULL when absent), kept in the reader as `<table>_rows` in file order."""
        rows = f"{self.table}_rows"
        self._making(rows)
        finished = self._finish_sql(columns, exprs, derived, f"{self.table}_normalised", sort=self._joined)
        self._run(f"CREATE OR REPLACE TABLE {rows} AS {finished}", _named(params, finished))
        # The text and the problems are no longer needed: free them before the store's insert.
        self._drop(self.table, f"{self.table}_normalised")

    def _finish_sql(
        self,
        columns: dict[str, str],
        exprs: dict[str, str],
        derived: list[tuple[str, str]] | None,
        normalised: str,
        sort: bool,
    ) -> str:
        """`finish`'s query over `normalised` (a table or a query in parentheses); `sort` puts the
        rows back in the file's order, which a join of lookups into `normalised` did not keep."""
        select = ", ".join(
            f"CAST({exprs.get(name, 'NULL')} AS {sql_type}) AS {check_identifier(name)}"
            for name, sql_type in columns.items()
        )
        rows = f"(SELECT * FROM {normalised} WHERE NOT rejected)"
        for name, expr in derived or []:
            rows = f"(SELECT *, {expr} AS {check_identifier(name)} FROM {rows})"
        # The rows stay in the file's order: DuckDB keeps the order of one table's rows through
        # SELECT, WHERE, windows over (), and common table expressions of those (its documented
        # order preservation), not through a join. Only the date lookups' join needs the sort.
        return f"SELECT {select} FROM {rows}" + (" ORDER BY raw_row" if sort else "")

    def facts(
        self, select: list[tuple[str, str]], top: int | None = 5, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """One row of (name, aggregate SQL over the finished rows, with `params` bound) facts about
        them, with `accounts` (how many the rows hold) and `top_accounts` (the `top` with most rows;
        ties: the first seen first); top=None leaves those two out (rows of one known account)."""
        rows = f"{self.table}_rows"
        accounts = (
            f", (SELECT count(DISTINCT account) FROM {rows}) AS accounts, "
            f"(SELECT list(account ORDER BY n DESC, first) FROM (SELECT account, count(*) AS n, "
            f"min(rowid) AS first FROM {rows} GROUP BY account ORDER BY n DESC, first LIMIT $top)) "
            "AS top_accounts"
            if top is not None
            else ""
        )
        cursor = self._run(
            "SELECT "
            + ", ".join(f"{expr} AS {check_identifier(name)}" for name, expr in select)
            + f"{accounts} FROM {rows} AS r",
            {**(params or {}), **({"top": top} if top is not None else {})},
        )
        names = [d[0] for d in cursor.description]
        return dict(zip(names, cursor.fetchall()[0], strict=True))

    def rows(self) -> Any:
        """The finished rows as a stream of Arrow record batches (what `Store.add_file` takes)."""
        return self.con.sql(f"SELECT * FROM {self.table}_rows").to_arrow_reader(ROWS_PER_BATCH)


# Rows per Arrow batch into the store: each batch is held outside DuckDB's memory limit while it
# passes, so it grows with the rows' captions: 65 MB of the benchmark's scraped rows (262 bytes
# each), ~100 MB more than batches of 100k rows for captions of 1.5 KB. Batches of 100k made a
# 200k-row scrape two inserts, 0.13 against 0.09 s a file (bench/findings.md).
ROWS_PER_BATCH = 250_000


def _named(params: dict[str, Any], sql: str) -> dict[str, Any]:
    """The values of `params` that `sql` names: DuckDB refuses a value bound to no parameter."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


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
