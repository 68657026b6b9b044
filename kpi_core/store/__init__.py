"""The storage layer: the only code that opens DuckDB connections and runs SQL.

- `connection`: sandboxed in-memory connections and the identifier helpers;
- `schema`: the canonical tables every export is normalised into;
- `database`: `Store`, one browser session's tables and the named queries in `sql/`;
- `raw_reader` and `cell_sql`: the sandboxed reader of a store's staged uploads.
"""

from kpi_core.store.database import Store

__all__ = ["Store"]
