"""The per-session store: one browser session's canonical tables, upload log and named queries.

One `Store` per browser session (kept in `st.session_state`, never shared). It holds the
canonical tables (schema.py) and answers the named queries in `sql/`.
"""

from __future__ import annotations

import tempfile
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from kpi_core.store import schema
from kpi_core.store.aggregate import Aggregate, aggregate_sql
from kpi_core.store.answers import Answers
from kpi_core.store.connection import DEFAULT_MEMORY_LIMIT, check_identifier, release, sealed_connection
from kpi_core.store.raw_reader import Staging
from kpi_core.timezones import check_time_zone

SQL_DIR = Path(__file__).with_name("sql")


class Store:
    """One browser session's data: canonical tables, the upload log and the named queries."""

    def __init__(self, memory_limit: str = DEFAULT_MEMORY_LIMIT):
        self._spill = tempfile.TemporaryDirectory(prefix="kpi-spill-")  # 0700, removed when dropped
        self.con = sealed_connection(memory_limit, self._spill.name)
        # A session's store is dropped, not closed, when Streamlit forgets the session: the
        # finalizer then closes the connection and hands the memory back (see _release).
        self._release = weakref.finalize(self, release, self.con)
        for table, columns in schema.RAW_TABLES.items():
            self.con.execute(schema.create_table_sql(table, columns))
        self.con.execute(_read_sql("views"))
        self._videos_stale = False
        self._refresh_videos()
        self._next_file_id = 1
        self.version = 0  # bumps on every change, so UI caches can key on it
        self._answers = Answers()  # read answers of the current version (answers.py)
        self._staging: Staging | None = None
        self._close_staging: weakref.finalize | None = None

    def close(self) -> None:
        self._release()
        self._spill.cleanup()
        if self._close_staging is not None:
            self._close_staging()

    def staging(self) -> Staging:
        """Where this store's uploads are staged and read: made at the first upload, kept for the
        next ones, closed with the store (or when a forgotten session's store is dropped)."""
        if self._staging is None:
            self._staging = Staging()
            self._close_staging = weakref.finalize(self, self._staging.close)
        return self._staging

    # --- writing ---------------------------------------------------------------------------

    def _refresh_videos(self) -> None:
        # Picking each video's latest snapshot costs ~0.5 s per query at 1M videos, so its result
        # is kept as a table, rebuilt before the first read after a write (not after every file:
        # an upload of five scrapes rebuilt it five times, and held five copies at its peak).
        self.con.execute("CREATE OR REPLACE TABLE videos AS SELECT * FROM videos_latest")
        # Each account's first and last posting day, for its data span (sql/data_span.sql): one
        # pass here (46 ms at 1M videos) instead of a scan of every account's videos per account (~6 ms).
        self.con.execute(
            "CREATE OR REPLACE TABLE video_spans AS SELECT account, min(CAST(posted_at AS DATE)) AS first_day, "
            "max(CAST(posted_at AS DATE)) AS last_day FROM videos GROUP BY account"
        )
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

    def stored_files(self, content_hashes: list[str]) -> set[str]:
        """Which of `content_hashes` belong to files already read (one look for a whole upload)."""
        rows = self.con.execute(
            "SELECT DISTINCT content_hash FROM files WHERE list_contains($h, content_hash)",
            {"h": content_hashes},
        ).fetchall()
        return {h for (h,) in rows}

    @contextmanager
    def _change(self) -> Iterator[None]:
        """One transaction that bumps `version` once it commits: a failure half-way (the memory
        limit, say) rolls every statement back, so no rows are left without their log line."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            # Any read since BEGIN saw rows that are gone: forget its answers, and rebuild `videos`
            # (a read may have rebuilt it inside the transaction, which the rollback undid).
            self._answers.forget()
            self._videos_stale = True
            raise
        self.con.execute("COMMIT")
        self.version += 1

    def add_file(
        self,
        summary: dict[str, Any],
        rows: pd.DataFrame | Any | None,
        table: str | None,
        rejects: list[tuple[int | None, str, str]],
    ) -> int:
        """Record one read file: its canonical rows, its log line and its rejected rows.

        `rows` is a DataFrame of canonical columns (cast here), or what ingest hands over: Arrow
        record batches with exactly the table's columns, in order and typed, streamed in."""
        file_id = self._next_file_id
        with self._change():
            self._insert_file(file_id, summary, rows, table, rejects)
        self._next_file_id += 1
        return file_id

    def _insert_file(
        self,
        file_id: int,
        summary: dict[str, Any],
        rows: pd.DataFrame | Any | None,
        table: str | None,
        rejects: list[tuple[int | None, str, str]],
    ) -> None:
        if rows is not None and table is not None and not isinstance(rows, pd.DataFrame):
            # Inserted by position, as INSERT ... SELECT * would; without registering the stream
            # as a view and dropping it again, a millisecond of every file.
            self.con.from_arrow(rows).insert_into(check_identifier(table))
            if table == "videos_raw":
                self._videos_stale = True
        elif rows is not None and table is not None and len(rows):
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
            self.con.execute(
                "DELETE FROM account_zones WHERE account = $old "
                "AND EXISTS (SELECT 1 FROM account_zones WHERE account = $new)",
                params,
            )
            for table, columns in schema.RAW_TABLES.items():
                if "account" in columns:
                    count = self.con.execute(
                        f"UPDATE {check_identifier(table)} SET account = $new WHERE account = $old", params
                    ).fetchall()[0][0]
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
                params,
            ).fetchall()[0][0]
            self.con.execute("DELETE FROM account_zones WHERE account = $account", {"account": account})
            self.con.execute("INSERT INTO account_zones VALUES ($account, $zone)", params)
        self._videos_stale = True
        return int(moved)

    def time_zone(self, account: str) -> str | None:
        """The zone set for `account`'s scraped posting times; None while none is (they are UTC)."""
        rows = self.con.execute(
            "SELECT max(time_zone) FROM account_zones WHERE account = $account", {"account": account}
        ).fetchall()
        return rows[0][0]

    def scraped_posting_times(self, account: str) -> int:
        """How many of `account`'s video rows carry a posting time a scraper gave in UTC."""
        rows = self.con.execute(
            "SELECT count(*) FROM videos_raw WHERE account = $account AND posted_zone IS NOT NULL",
            {"account": account},
        ).fetchall()
        return int(rows[0][0])

    def snapshot(self) -> dict[str, pd.DataFrame]:
        """Every raw table as a DataFrame (to copy a store, e.g. the demo, into a new session)."""
        return {
            table: self.con.execute(f"SELECT * FROM {check_identifier(table)}").df()
            for table in schema.RAW_TABLES
        }

    def raw_arrow(self, table: str) -> pa.Table:
        """One raw table as Arrow, as it is stored: what a workspace writes as Parquet (a DataFrame
        of 400,000 videos and back cost four times the Parquet itself)."""
        if table not in schema.RAW_TABLES:
            raise ValueError(f"not a raw table: {table!r}")
        return self.con.sql(f"SELECT * FROM {check_identifier(table)}").to_arrow_table()

    def restore(self, snapshot: dict[str, pd.DataFrame]) -> None:
        """Replace this store's contents with a `snapshot()`."""
        if self.version:  # a store nothing was written to yet is empty: no need to empty it
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
        return (
            self._reading()
            .execute(f"SELECT * FROM {name} WHERE account = $account ORDER BY ALL", {"account": account})
            .df()
        )

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        """Run the named query `sql/<name>.sql` with bound parameters."""
        return self._frame(_read_sql(check_identifier(name)), params)

    def aggregate(
        self, source: str, group_by: Sequence[str], aggregates: Sequence[Aggregate], **params: Any
    ) -> pd.DataFrame:
        """The `aggregates` of the named row source `sql/<source>.sql`, per `group_by` (see aggregate.py)."""
        return self._frame(aggregate_sql(_read_sql(check_identifier(source)), group_by, aggregates), params)

    def aggregate_row(
        self, source: str, group_by: Sequence[str], aggregates: Sequence[Aggregate], **params: Any
    ) -> dict[str, Any] | None:
        """The one row of `aggregate` as DuckDB's Python values (None without rows), for a query
        whose filter leaves one group (one account, the whole range): a pandas frame of one row and
        forty columns costs more than the query, and so does grouping one group (aggregate.py)."""
        sql = aggregate_sql(_read_sql(check_identifier(source)), group_by, aggregates, one_group=True)

        def read() -> dict[str, Any] | None:
            cursor = self._reading().execute(sql, params)
            # fetchall, not fetchone: DuckDB 2 keeps a half-read result open and blocks the connection.
            rows = cursor.fetchall()
            names = [column[0] for column in cursor.description or ()]
            return dict(zip(names, rows[0], strict=True)) if rows else None

        return self._answers.get(self.version, "row", sql, params, read)

    def aggregate_rows(
        self, source: str, group_by: Sequence[str], aggregates: Sequence[Aggregate], **params: Any
    ) -> list[dict[str, Any]]:
        """`aggregate`'s rows as DuckDB's Python values, as `aggregate_row` gives its one row: for
        scoring many accounts in one statement with the very values each would get alone."""
        sql = aggregate_sql(_read_sql(check_identifier(source)), group_by, aggregates)

        def read() -> list[dict[str, Any]]:
            cursor = self._reading().execute(sql, params)
            rows = cursor.fetchall()
            names = [column[0] for column in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in rows]

        return self._answers.get(self.version, "rows", sql, params, read)

    def _frame(self, sql: str, params: dict[str, Any]) -> pd.DataFrame:
        """`sql`'s result as a DataFrame, asked of DuckDB once per data version (answers.py)."""
        return self._answers.get(
            self.version, "table", sql, params, lambda: self._reading().execute(sql, params).df()
        )

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
        sql = _read_sql(check_identifier(name))

        def read() -> Any:
            # fetchall, not fetchone: DuckDB 2 keeps a half-read result open and blocks the connection.
            rows = self._reading().execute(sql, params).fetchall()
            return rows[0][0] if rows else None

        return self._answers.get(self.version, "value", sql, params, read)


READABLE = frozenset(
    {"daily", "videos", "follower_activity", "audience", "ads", "files", "rejects", "daily_raw", "videos_raw"}
)
PER_ACCOUNT = READABLE - {"rejects"}

_SQL_CACHE: dict[str, str] = {}


def _read_sql(name: str) -> str:
    # SQL text is code shipped with the package, so caching it in a module global is safe.
    if name not in _SQL_CACHE:
        _SQL_CACHE[name] = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return _SQL_CACHE[name]
