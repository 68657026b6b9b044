"""The only module that opens DuckDB connections and runs SQL.

Two kinds of connection, both sandboxed (no file system, no network, no extensions, settings
locked), see `_sealed_connection`:
- `Store`: one per browser session (kept in `st.session_state`, never shared). It holds the
  canonical tables (schema.py) and answers the named queries in `kpi_core/sql/`.
- `RawReader`: a short-lived connection that may read exactly one staged upload file and nothing
  else; it turns the file into text columns `c0..cN` and normalises them with the SQL below.

Identifiers in generated SQL are ours (`c0`, canonical names from schema.py); user text only ever
reaches SQL as a bound parameter or as data inside a registered DataFrame.
"""

from __future__ import annotations

import ctypes
import re
import tempfile
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from kpi_core import schema
from kpi_core.dates import check_time_zone

SQL_DIR = Path(__file__).with_name("sql")
DEFAULT_MEMORY_LIMIT = "1GB"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

MISSING_MARKERS = ("", "undefined", "#n/a", "n/a", "na", "-", "--", "null", "none", "nan")
# In text (titles, handles, ids, territory codes) only the markers that are never real text:
# "NA" is Namibia's country code, and "None" or "Nan" can be a title or a name.
TEXT_MISSING_MARKERS = ("", "undefined", "#n/a", "n/a", "-", "--")

# The code points Python's str.strip() removes (chr(c).isspace()): SQL trims the same ones, so a
# tab or line break around a value means what it means in counts.parse_count (a test checks the list).
BLANK_CODEPOINTS = (*range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                    0x2028, 0x2029, 0x202F, 0x205F, 0x3000)

# Counts: plain digits; 1,234 / 1.234 / 1 234 thousands; 1.2K, 3,4M; Excel's 12.0.
# Kept in step with counts.parse_count (a property test checks they agree).
_MACROS = r"""
CREATE OR REPLACE MACRO blank_trim(s) AS regexp_replace(s, '^__BLANKS__+|__BLANKS__+$', '', 'g');
CREATE OR REPLACE MACRO is_missing(s) AS
    s IS NULL OR lower(blank_trim(s)) IN (__MISSING__);
CREATE OR REPLACE MACRO count_text(s) AS
    upper(replace(replace(replace(blank_trim(s), chr(160), ''), chr(8239), ''), ' ', ''));
CREATE OR REPLACE MACRO count_value(s) AS (
    CASE
        -- Plain digits, nearly every cell of a real export, skip the trimming and the patterns below.
        WHEN regexp_full_match(s, '[0-9]{1,18}') THEN CAST(s AS BIGINT)
        WHEN is_missing(s) THEN NULL
        WHEN regexp_full_match(count_text(s), '[0-9]{1,18}') THEN TRY_CAST(count_text(s) AS BIGINT)
        WHEN regexp_full_match(count_text(s), '[0-9]{1,3}(,[0-9]{3})+')
            THEN TRY_CAST(replace(count_text(s), ',', '') AS BIGINT)
        WHEN regexp_full_match(count_text(s), '[0-9]{1,3}(\.[0-9]{3})+')
            THEN TRY_CAST(replace(count_text(s), '.', '') AS BIGINT)
        WHEN regexp_full_match(count_text(s), '[0-9]{1,15}\.0+')
            THEN TRY_CAST(split_part(count_text(s), '.', 1) AS BIGINT)
        WHEN regexp_full_match(count_text(s), '[0-9]{1,12}([.,][0-9]{1,6})?[KMB]')
            THEN TRY_CAST(round(
                TRY_CAST(replace(left(count_text(s), -1), ',', '.') AS DOUBLE)
                * CASE right(count_text(s), 1) WHEN 'K' THEN 1e3 WHEN 'M' THEN 1e6 ELSE 1e9 END
            ) AS BIGINT)  -- TRY_: "999999999999B" is past BIGINT; NULL (then "is not a count"), not an error
        ELSE NULL
    END);
CREATE OR REPLACE MACRO count_problem(s) AS (
    CASE
        WHEN regexp_full_match(s, '[0-9]{1,18}') THEN NULL
        WHEN is_missing(s) OR count_value(s) IS NOT NULL THEN NULL
        WHEN regexp_full_match(count_text(s), '[-−][0-9.,]+[KMB]?') THEN 'is negative'
        ELSE 'is not a count'
    END);
CREATE OR REPLACE MACRO share_value(s) AS (
    CASE
        WHEN is_missing(s) THEN NULL
        WHEN trim(s) LIKE '%\%%' ESCAPE '\'
            THEN TRY_CAST(replace(replace(trim(s), '%', ''), ',', '.') AS DOUBLE) / 100
        ELSE TRY_CAST(replace(trim(s), ',', '.') AS DOUBLE)
    END);
CREATE OR REPLACE MACRO number_value(s) AS (
    CASE WHEN is_missing(s) THEN NULL
         ELSE TRY_CAST(replace(replace(trim(s), ',', ''), ' ', '') AS DOUBLE) END);
-- A handle "N/A" or an id "" is no value: not an account, not a video (all ids "" were one video).
CREATE OR REPLACE MACRO is_missing_text(s) AS
    s IS NULL OR lower(blank_trim(s)) IN (__TEXT_MISSING__);
CREATE OR REPLACE MACRO text_value(s) AS
    CASE WHEN is_missing_text(s) THEN NULL ELSE s END;
""".replace("__MISSING__", ", ".join(f"'{m}'" for m in MISSING_MARKERS)).replace(
    "__TEXT_MISSING__", ", ".join(f"'{m}'" for m in TEXT_MISSING_MARKERS)).replace(
    "__BLANKS__", "[" + "".join(f"\\x{{{c:x}}}" for c in BLANK_CODEPOINTS) + "]")  # an RE2 class: faster than trim()


def _sealed_connection(memory_limit: str, spill_dir: str, allowed_path: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection that can reach nothing outside itself (but `allowed_path`).

    Over its memory limit DuckDB spills to `spill_dir`: a private folder per connection, removed
    with it, never the app's working directory (DuckDB's default), where a visitor's rows would
    land beside the app's files.
    """
    con = duckdb.connect(
        ":memory:",
        config={
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
            "memory_limit": memory_limit,
            "threads": 2,
            "temp_directory": spill_dir,
        },
    )
    # Timestamps with an offset are read as UTC instants, whatever the machine's zone.
    con.execute("SET TimeZone = 'UTC'")
    if allowed_path is not None:
        con.execute("SET allowed_paths = [$p]", {"p": allowed_path})
    # DuckDB draws a progress bar on stdout for queries over two seconds: it broke the command
    # line's --json output on large files.
    con.execute("SET enable_progress_bar = false")
    con.execute("SET enable_external_access = false")
    con.execute("SET allow_community_extensions = false")
    con.execute("SET lock_configuration = true")
    return con


def check_identifier(name: str) -> str:
    """Return `name` if it is one of our snake_case identifiers; raise otherwise."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not an identifier of ours: {name!r}")
    return name


# ---------------------------------------------------------------------------------------------
# Reading one staged file


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    n_columns: int
    encoding: str = "utf-8"


class RawReader:
    """Reads one staged upload into text columns c0..cN and normalises them into canonical rows."""

    def __init__(self, allowed_path: str | None = None, memory_limit: str = DEFAULT_MEMORY_LIMIT):
        self._spill = tempfile.TemporaryDirectory(prefix="kpi-spill-")  # 0700, removed when dropped
        self.con = _sealed_connection(memory_limit, self._spill.name, allowed_path)
        self.con.execute(_MACROS)

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
            {"path": path, "columns": columns, "delim": dialect.delimiter, "encoding": dialect.encoding,
             "store": store_rejects},
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
        unparsed = f"AND {_datetime_sql(column)} IS NULL" if parser == "datetime" else ""
        rows = self.con.execute(
            f"SELECT {column} FROM raw WHERE NOT is_missing({column}) {unparsed} "
            f"GROUP BY {column} ORDER BY min(rowid) LIMIT $n", {"n": limit}
        ).fetchall()
        return [r[0] for r in rows]

    def first_values(self, column: str, n: int = 50) -> list[str | None]:
        column = check_identifier(column)
        return [r[0] for r in self.con.execute(f"SELECT {column} FROM raw LIMIT $n", {"n": n}).fetchall()]

    def register_lookup(self, name: str, frame: pd.DataFrame) -> None:
        """Register a small Python-made lookup table (e.g. date text -> date)."""
        check_identifier(name)
        self.con.register(f"{name}_frame", frame)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_frame")
        self.con.unregister(f"{name}_frame")

    def normalise(self, select: list[tuple[str, str]], problems: list[tuple[str, str]], joins: list[str],
                  where: str | None = None, limit: int | None = None,
                  value_problems: list[tuple[str, str]] | None = None) -> tuple[pd.DataFrame, pd.DataFrame, int, int]:
        """Run one normalisation: (canonical column, SQL expression) pairs and problem checks.

        `problems` holds (column label, SQL expression giving a reason or NULL) over raw.c0..cN
        and the lookups; `value_problems` the same over raw.c0..cN and the canonical values
        (`raw.likes`), checked after the values are computed: a count's problem reads its value
        instead of repeating the whole parse, which DuckDB would plan again (most of the
        statement's cost on a small file).
        Returns (accepted rows as canonical columns, the first `limit` problems as
        raw_row/column/reason, the number of rejected rows, the number of problems): a file of
        millions of bad rows must not become millions of Python objects.
        Expressions are built by ingest.py from fixed templates over c0..cN only.
        """
        problems = [*problems, *(value_problems or [])]
        first_value_problem = len(problems) - len(value_problems or [])
        inner_problems = "".join(f", {expr} AS p{i}" for i, (_, expr) in enumerate(problems[:first_value_problem]))
        outer_problems = ", ".join(f"p{i}" if i < first_value_problem else f"{expr} AS p{i}"
                                   for i, (_, expr) in enumerate(problems)) or "NULL AS p0"
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
            """
        )
        problem_cols = [f"p{i}" for i in range(max(len(problems), 1))]
        any_problem = " OR ".join(f"{p} IS NOT NULL" for p in problem_cols)
        labels = [label for label, _ in problems] or [""]
        unpivot = " UNION ALL ".join(
            f"SELECT raw_row, $l{i} AS column_name, p{i} AS reason FROM normalised WHERE p{i} IS NOT NULL"
            for i in range(len(problem_cols))
        )
        params: dict[str, Any] = {f"l{i}": labels[i] for i in range(len(problem_cols))}
        rejected = self.con.execute(
            f"SELECT raw_row, column_name, reason FROM ({unpivot}) ORDER BY raw_row, column_name "
            + ("LIMIT $limit" if limit is not None else ""),
            {**params, "limit": limit} if limit is not None else params,
        ).df()
        bad_rows, problem_count = self.con.execute(
            f"SELECT count(DISTINCT raw_row), count(*) FROM ({unpivot})", params).fetchall()[0]
        accepted = self.con.execute(
            f"SELECT {columns_sql} FROM normalised WHERE NOT ({any_problem}) ORDER BY raw_row"
        ).df()
        return accepted, rejected, int(bad_rows), int(problem_count)

    def query_df(self, sql_template: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run a fixed SQL template of ours (no user text inside) with bound parameters."""
        return self.con.execute(sql_template, params or {}).df()


def column_sql(parser: str, index: int, required: bool, lookup: str | None, reference: date) -> tuple[str, str | None]:
    """(value, problem) SQL for raw column c{index} read with `parser`.

    The problem expression gives a reason text, or NULL when the value is usable. `lookup` is the
    table of date texts read in Python (columns raw, value, reason) for "day" and "datetime".
    """
    c = f"raw.c{int(index)}"
    when_missing = "'is missing'" if required else "NULL"
    missing = f"WHEN is_missing({c}) THEN {when_missing}"
    if parser == "count":
        plain = f"WHEN regexp_full_match({c}, '[0-9]{{1,18}}') THEN NULL"  # the common case first
        return f"count_value({c})", f"CASE {plain} {missing} ELSE count_problem({c}) END"
    if parser == "text":
        missing_text = f"WHEN is_missing_text({c}) THEN {when_missing}"
        return f"text_value({c})", f"CASE {missing_text} END" if required else None
    if parser == "video_link":
        value = f"nullif(regexp_extract({c}, '/video/([0-9]+)', 1), '')"
        return value, f"CASE {missing} WHEN {value} IS NULL THEN 'has no video id in the link' END"
    if parser in ("day", "datetime"):
        lookup = check_identifier(lookup or "")
        looked_up = f"CAST({lookup}.value AS TIMESTAMP)"
        value = looked_up if parser == "day" else f"coalesce({_datetime_sql(c)}, {looked_up})"
        future = f"WHEN CAST({value} AS DATE) > DATE '{reference.isoformat()}' + 1 THEN 'is after the export date'"
        return value, (f"CASE {missing} WHEN {value} IS NULL THEN coalesce({lookup}.reason, 'is not a date') "
                       f"{future if parser == 'datetime' else ''} END")
    if parser == "share":
        return f"share_value({c})", (f"CASE {missing} WHEN share_value({c}) IS NULL THEN 'is not a share' "
                                     f"WHEN share_value({c}) NOT BETWEEN 0 AND 1.0001 THEN 'is not a share between 0 and 100%' END")
    if parser == "number":
        return f"number_value({c})", f"CASE {missing} WHEN number_value({c}) IS NULL THEN 'is not a number' END"
    if parser == "hour":
        value = f"TRY_CAST(split_part(trim({c}), ':', 1) AS INTEGER)"
        return value, f"CASE {missing} WHEN {value} IS NULL OR {value} NOT BETWEEN 0 AND 23 THEN 'is not an hour 0-23' END"
    if parser == "bool":
        return f"lower(trim({c})) IN ('true', '1', 'yes')", None
    raise ValueError(f"unknown parser {parser!r}")


def count_problem_sql(index: int, required: bool, value_column: str) -> str:
    """The problem of count column c{index}, read from its parsed value `raw.<value_column>` (a
    `value_problems` check of RawReader.normalise): the same answer as count_problem(), planned
    without parsing the text a second time."""
    c = f"raw.c{int(index)}"
    when_missing = "'is missing'" if required else "NULL"
    return (f"CASE WHEN regexp_full_match({c}, '[0-9]{{1,18}}') THEN NULL WHEN is_missing({c}) THEN {when_missing} "
            f"WHEN raw.{check_identifier(value_column)} IS NOT NULL THEN NULL "
            f"WHEN regexp_full_match(count_text({c}), '[-−][0-9.,]+[KMB]?') THEN 'is negative' "
            "ELSE 'is not a count' END")


def total_row_sql(index: int) -> str:
    """Problem SQL that skips a report's summary row ("Total of 60 results")."""
    c = f"raw.c{int(index)}"
    return (f"CASE WHEN regexp_matches(lower(coalesce({c}, '')), '^\\s*total( of [0-9.,]+ results?)?\\s*$') "
            "THEN 'is the report''s total row, not an ad: skipped' END")


def lookup_join(lookup: str, index: int) -> str:
    return f"LEFT JOIN {check_identifier(lookup)} ON {lookup}.raw = raw.c{int(index)}"


def _datetime_sql(c: str) -> str:
    """ISO timestamps and epoch seconds (or milliseconds), read in SQL, as UTC when they say so.

    Through TIMESTAMPTZ: a plain cast to TIMESTAMP drops an offset ("01:44+02:00" stayed 01:44);
    with the connection's zone UTC, "…Z" and epochs stay as they are and "+02:00" moves to UTC.
    """
    return (f"coalesce(TRY_CAST(TRY_CAST(trim({c}) AS TIMESTAMPTZ) AS TIMESTAMP), CASE "
            f"WHEN regexp_full_match(trim({c}), '[0-9]{{9,10}}') THEN make_timestamp(CAST(trim({c}) AS BIGINT) * 1000000) "
            f"WHEN regexp_full_match(trim({c}), '[0-9]{{12,13}}') THEN make_timestamp(CAST(trim({c}) AS BIGINT) * 1000) END)")


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


# ---------------------------------------------------------------------------------------------
# The per-session store


def _release(con: duckdb.DuckDBPyConnection) -> None:
    """Close a store's connection and return the freed memory to the operating system.

    glibc keeps freed memory in its arenas (one per thread that allocated, and Streamlit runs
    every session's script in a thread of its own). Twenty stores filled and dropped in one
    process left it at 347 MB against 274 MB before; with the trim, 254 MB.
    """
    con.close()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        pass


class Store:
    """One browser session's data: canonical tables, the upload log and the named queries."""

    def __init__(self, memory_limit: str = DEFAULT_MEMORY_LIMIT):
        self._spill = tempfile.TemporaryDirectory(prefix="kpi-spill-")  # 0700, removed when dropped
        self.con = _sealed_connection(memory_limit, self._spill.name)
        # A session's store is dropped, not closed, when Streamlit forgets the session: the
        # finalizer then closes the connection and hands the memory back (see _release).
        self._release = weakref.finalize(self, _release, self.con)
        for table, columns in schema.RAW_TABLES.items():
            self.con.execute(schema.create_table_sql(table, columns))
        self.con.execute(_read_sql("views"))
        self._videos_stale = False
        self._refresh_videos()
        self._next_file_id = 1
        self.version = 0  # bumps on every change, so UI caches can key on it

    def close(self) -> None:
        self._release()
        self._spill.cleanup()

    # --- writing ---------------------------------------------------------------------------

    def _refresh_videos(self) -> None:
        # Picking each video's latest snapshot costs ~0.5 s per query at 1M videos, so its result
        # is kept as a table, rebuilt before the first read after a write (not after every file:
        # an upload of five scrapes rebuilt it five times, and held five copies at its peak).
        self.con.execute("CREATE OR REPLACE TABLE videos AS SELECT * FROM videos_latest")
        self._videos_stale = False

    def _reading(self) -> duckdb.DuckDBPyConnection:
        """The connection, once `videos` reflects every write."""
        if self._videos_stale:
            self._refresh_videos()
        return self.con

    def has_files_of(self, account: str) -> bool:
        """Whether any file read so far was filed under `account` (a look at the upload log only)."""
        rows = self.con.execute("SELECT count(*) FROM files WHERE account = $a", {"a": account}).fetchall()
        return bool(rows[0][0])

    def has_file(self, content_hash: str) -> bool:
        rows = self.con.execute("SELECT count(*) FROM files WHERE content_hash = $h", {"h": content_hash}).fetchall()
        return bool(rows[0][0])

    @contextmanager
    def _change(self) -> Iterator[None]:
        """One transaction that bumps `version` once it commits: a failure half-way (the memory
        limit, say) rolls every statement back, so no rows are left without their log line."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")
        self.version += 1

    def add_file(self, summary: dict[str, Any], rows: pd.DataFrame | None, table: str | None,
                 rejects: list[tuple[int | None, str, str]]) -> int:
        """Record one read file: its canonical rows, its log line and its rejected rows."""
        file_id = self._next_file_id
        with self._change():
            self._insert_file(file_id, summary, rows, table, rejects)
        self._next_file_id += 1
        return file_id

    def _insert_file(self, file_id: int, summary: dict[str, Any], rows: pd.DataFrame | None, table: str | None,
                     rejects: list[tuple[int | None, str, str]]) -> None:
        if rows is not None and table is not None and len(rows):
            columns = schema.RAW_TABLES[table]
            frame = rows.reindex(columns=list(columns))
            self.con.register("incoming_rows", frame)
            casts = ", ".join(f"CAST({c} AS {t})" for c, t in columns.items())
            self.con.execute(f"INSERT INTO {check_identifier(table)} SELECT {casts} FROM incoming_rows")
            self.con.unregister("incoming_rows")
            if table == "videos_raw":
                self._videos_stale = True
        log = {**{c: None for c in schema.FILE_COLUMNS}, **summary, "file_id": file_id}
        self.con.execute(
            f"INSERT INTO files VALUES ({', '.join('$' + c for c in schema.FILE_COLUMNS)})",
            {c: log[c] for c in schema.FILE_COLUMNS},
        )
        if rejects:
            frame = pd.DataFrame(rejects, columns=["line", "column_name", "reason"])
            frame.insert(0, "file_id", file_id)
            frame["line"] = frame["line"].astype("Int64")
            self.con.register("incoming_rejects", frame)
            self.con.execute("INSERT INTO rejects SELECT * FROM incoming_rejects")
            self.con.unregister("incoming_rejects")

    def rename_account(self, old: str, new: str) -> int:
        """File every row of `old` under `new`, in one transaction; returns the data rows moved.

        For a placeholder account ("my account": Studio files that name no handle) once a later
        upload names the handle. The raw tables keep every snapshot, so rows of `new` already
        there and the moved ones are merged by the views, as two uploads of one account are.
        """
        moved = 0
        params = {"old": old, "new": new}
        with self._change():
            # `new`'s own time zone, when it has one, stays its zone.
            self.con.execute("DELETE FROM account_zones WHERE account = $old "
                             "AND EXISTS (SELECT 1 FROM account_zones WHERE account = $new)", params)
            for table, columns in schema.RAW_TABLES.items():
                if "account" in columns:
                    count = self.con.execute(f"UPDATE {check_identifier(table)} SET account = $new WHERE account = $old",
                                             params).fetchall()[0][0]
                    moved += int(count) if table != "files" else 0
        self._videos_stale = True
        return moved

    def set_time_zone(self, account: str, zone: str) -> int:
        """Show `account`'s scraped posting times in `zone` (an IANA name), those loaded so far and
        those uploaded later (ingest calls this again); returns the rows moved.

        Each row moves from the zone it is written in (`posted_zone`) to `zone`; rows whose export
        gives local times (Studio) have no `posted_zone` and stay as they are.
        """
        check_time_zone(zone)
        params = {"account": account, "zone": zone}
        with self._change():
            moved = self.con.execute(
                "UPDATE videos_raw SET posted_at = timezone($zone, timezone(posted_zone, posted_at)), "
                "posted_zone = $zone "
                "WHERE account = $account AND posted_zone IS NOT NULL AND posted_zone <> $zone",
                params).fetchall()[0][0]
            self.con.execute("DELETE FROM account_zones WHERE account = $account", {"account": account})
            self.con.execute("INSERT INTO account_zones VALUES ($account, $zone)", params)
        self._videos_stale = True
        return int(moved)

    def time_zone(self, account: str) -> str | None:
        """The zone set for `account`'s scraped posting times; None while none is (they are UTC)."""
        rows = self.con.execute("SELECT max(time_zone) FROM account_zones WHERE account = $account",
                                {"account": account}).fetchall()
        return rows[0][0]

    def scraped_posting_times(self, account: str) -> int:
        """How many of `account`'s video rows carry a posting time a scraper gave in UTC."""
        rows = self.con.execute("SELECT count(*) FROM videos_raw WHERE account = $account AND posted_zone IS NOT NULL",
                                {"account": account}).fetchall()
        return int(rows[0][0])

    def snapshot(self) -> dict[str, pd.DataFrame]:
        """Every raw table as a DataFrame (to copy a store, e.g. the demo, into a new session)."""
        return {table: self.con.execute(f"SELECT * FROM {check_identifier(table)}").df()
                for table in schema.RAW_TABLES}

    def restore(self, snapshot: dict[str, pd.DataFrame]) -> None:
        """Replace this store's contents with a `snapshot()`."""
        self.clear()
        for table, frame in snapshot.items():
            if table not in schema.RAW_TABLES or frame.empty:
                continue
            self.con.register("incoming_snapshot", frame)
            self.con.execute(f"INSERT INTO {check_identifier(table)} SELECT * FROM incoming_snapshot")
            self.con.unregister("incoming_snapshot")
        self._refresh_videos()
        ids = snapshot.get("files")
        self._next_file_id = int(ids["file_id"].max()) + 1 if ids is not None and len(ids) else 1
        self.version += 1

    def clear(self) -> None:
        for table in schema.RAW_TABLES:
            self.con.execute(f"DELETE FROM {check_identifier(table)}")
        self._refresh_videos()
        self.version += 1

    # --- reading ---------------------------------------------------------------------------

    def table(self, name: str, account: str | None = None) -> pd.DataFrame:
        """A whole canonical view or table, by allow-listed name; only `account`'s rows when given."""
        if name not in READABLE:
            raise ValueError(f"unknown table {name!r}")
        if account is None:
            return self._reading().execute(f"SELECT * FROM {name} ORDER BY ALL").df()
        if name not in PER_ACCOUNT:
            raise ValueError(f"table {name!r} has no account column")
        return self._reading().execute(f"SELECT * FROM {name} WHERE account = $account ORDER BY ALL",
                                       {"account": account}).df()

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        """Run the named query `kpi_core/sql/<name>.sql` with bound parameters."""
        return self._reading().execute(_read_sql(check_identifier(name)), params).df()

    def primary_account(self) -> str | None:
        """The account the pages open on: the user's own (`own_account`), else, while only scraper
        files are loaded, the one with the most videos. None while the store is empty."""
        value = self.own_account() or self.scalar("most_videos_account")
        return None if value is None else str(value)

    def own_account(self) -> str | None:
        """The handle the user's own exports are filed under (sql/own_account.sql); unlike
        `primary_account`, never an account known only from scraper files. None before any."""
        value = self.scalar("own_account")
        return None if value is None else str(value)

    def accounts(self) -> list[str]:
        """Every account in the store, the primary one first."""
        primary = self.primary_account()
        others = self.con.execute(
            "SELECT DISTINCT account FROM (SELECT account FROM daily_raw UNION SELECT account FROM videos_raw) "
            "WHERE account IS NOT NULL ORDER BY account"
        ).fetchall()
        return ([primary] if primary else []) + [a for (a,) in others if a != primary]

    def scalar(self, name: str, **params: Any) -> Any:
        # fetchall, not fetchone: DuckDB 2 keeps a half-read result open and blocks the connection.
        rows = self._reading().execute(_read_sql(check_identifier(name)), params).fetchall()
        return rows[0][0] if rows else None


READABLE = frozenset({"daily", "videos", "follower_activity", "audience", "ads", "files", "rejects",
                      "daily_raw", "videos_raw"})
PER_ACCOUNT = READABLE - {"rejects"}

_SQL_CACHE: dict[str, str] = {}


def _read_sql(name: str) -> str:
    # SQL text is code shipped with the package, so caching it in a module global is safe.
    if name not in _SQL_CACHE:
        _SQL_CACHE[name] = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return _SQL_CACHE[name]
