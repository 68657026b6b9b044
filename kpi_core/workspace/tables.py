"""The store's raw tables as Parquet, in the exact column types of kpi_core/store/schema.py.

Every raw table is saved whole (every snapshot of every upload, the upload log, rejected rows and
time zones), so a restored store answers every query as the saved one did, and exports uploaded
afterwards merge into it by the usual rules. Each table carries a SHA-256 of its bytes.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kpi_core.store import Store
from kpi_core.store.schema import RAW_TABLES

__all__ = ["AccountSummary", "SavedTable", "SavedTables", "arrow_schema", "read_table", "saved_tables"]

_ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "BOOLEAN": pa.bool_(),
    "DOUBLE": pa.float64(),
    "TIMESTAMP": pa.timestamp("us"),
}
DATA_TABLES = ("daily_raw", "videos_raw", "follower_activity_raw", "audience_raw", "ads_raw")


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of one raw table: its columns, in order, with their DuckDB types."""
    return pa.schema([(name, _ARROW_TYPES[sql]) for name, sql in RAW_TABLES[table].items()])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class SavedTable:
    """One raw table as Parquet bytes, with its row count and checksum."""

    name: str
    data: bytes
    rows: int
    sha256: str


@dataclass(frozen=True)
class AccountSummary:
    """What a workspace holds of one account (for the manifest): days and videos, and their spans."""

    account: str
    days: int
    date_from: date | None
    date_to: date | None
    videos: int
    posted_from: date | None
    posted_to: date | None
    time_zone: str | None

    def to_json(self) -> dict[str, object]:
        iso = lambda d: None if d is None else d.isoformat()  # noqa: E731
        return {
            "account": self.account,
            "days": self.days,
            "date_from": iso(self.date_from),
            "date_to": iso(self.date_to),
            "videos": self.videos,
            "posted_from": iso(self.posted_from),
            "posted_to": iso(self.posted_to),
            "time_zone": self.time_zone,
        }


@dataclass(frozen=True)
class SavedTables:
    """Every raw table of a store, ready to be written into a workspace."""

    tables: tuple[SavedTable, ...]
    accounts: tuple[AccountSummary, ...]

    @property
    def data_rows(self) -> int:
        """Rows of data (days, videos, activity, audience, ads), without the log and rejects."""
        return sum(t.rows for t in self.tables if t.name in DATA_TABLES)


def _parquet(table: pa.Table, name: str) -> bytes:
    buffer = io.BytesIO()
    # A cast to our own schema: the file holds exactly our columns and types, nothing else.
    pq.write_table(table.cast(arrow_schema(name)), buffer, compression="zstd")
    return buffer.getvalue()


def _day(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()  # type: ignore[arg-type]


def _accounts(store: Store) -> tuple[AccountSummary, ...]:
    found = store.query("account_summaries").set_index("account")
    out = []
    for account in store.accounts():  # from the same raw tables: each has its row
        row = found.loc[account]
        zone = row["time_zone"]
        out.append(
            AccountSummary(
                account=account,
                days=int(row["days"]),
                date_from=_day(row["date_from"]),
                date_to=_day(row["date_to"]),
                videos=int(row["videos"]),
                posted_from=_day(row["posted_from"]),
                posted_to=_day(row["posted_to"]),
                time_zone=None if zone is None or pd.isna(zone) else str(zone),
            )
        )
    return tuple(out)


def saved_tables(store: Store) -> SavedTables:
    """Every raw table of `store` as Parquet (Zstandard), and a summary per account."""
    tables = []
    for name in RAW_TABLES:
        stored = store.raw_arrow(name)
        data = _parquet(stored, name)
        tables.append(SavedTable(name, data, stored.num_rows, sha256(data)))
    return SavedTables(tuple(tables), _accounts(store))


def read_table(name: str, data: bytes, rows: int, max_bytes: int) -> pd.DataFrame:
    """One raw table from its Parquet bytes; ValueError unless it holds exactly `rows` rows in
    the table's own columns and types, and declares at most `max_bytes` uncompressed."""
    parquet = pq.ParquetFile(io.BytesIO(data))
    meta = parquet.metadata
    if meta.num_rows != rows:
        raise ValueError(f"{name} holds {meta.num_rows} rows where the manifest says {rows}")
    declared = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if declared > max_bytes:
        raise ValueError(f"{name} expands to {declared / 1e6:.0f} MB")
    expected = arrow_schema(name)
    if not parquet.schema_arrow.remove_metadata().equals(expected):
        raise ValueError(f"{name} does not have the table's columns")
    table = parquet.read().cast(expected)
    return table.to_pandas(types_mapper=pd.ArrowDtype, ignore_metadata=True)
