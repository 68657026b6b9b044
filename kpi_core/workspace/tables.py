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


def _parquet(frame: pd.DataFrame, table: str) -> bytes:
    schema = arrow_schema(table)
    arrow = pa.Table.from_pandas(frame.reindex(columns=schema.names), preserve_index=False)
    buffer = io.BytesIO()
    # A cast to our own schema also drops pandas' metadata: the file holds columns, nothing else.
    pq.write_table(arrow.cast(schema), buffer, compression="zstd")
    return buffer.getvalue()


def _day(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()  # type: ignore[arg-type]


def _accounts(store: Store, snapshot: dict[str, pd.DataFrame]) -> tuple[AccountSummary, ...]:
    daily, videos, zones = snapshot["daily_raw"], snapshot["videos_raw"], snapshot["account_zones"]
    out = []
    for account in store.accounts():
        days = daily.loc[daily["account"] == account, "date"]
        mine = videos[videos["account"] == account]
        zone = zones.loc[zones["account"] == account, "time_zone"]
        out.append(
            AccountSummary(
                account=account,
                days=int(days.nunique()),
                date_from=_day(days.min()) if len(days) else None,
                date_to=_day(days.max()) if len(days) else None,
                videos=int(mine["video_id"].nunique()),
                posted_from=_day(mine["posted_at"].min()) if len(mine) else None,
                posted_to=_day(mine["posted_at"].max()) if len(mine) else None,
                time_zone=str(zone.iloc[0]) if len(zone) else None,
            )
        )
    return tuple(out)


def saved_tables(store: Store) -> SavedTables:
    """Every raw table of `store` as Parquet (Zstandard), and a summary per account."""
    snapshot = store.snapshot()
    tables = []
    for name in RAW_TABLES:
        data = _parquet(snapshot[name], name)
        tables.append(SavedTable(name, data, len(snapshot[name]), sha256(data)))
    return SavedTables(tuple(tables), _accounts(store, snapshot))


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
