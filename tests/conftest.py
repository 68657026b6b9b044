"""Shared fixtures: a fresh in-memory store, the real-format files in tests/fixtures/, and a way
to read them (or hand-made bytes, or the account shapes of data/shapes.py) into the store with a
fixed "today"."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from kpi_core.ingest import FileResult, ingest_files, ingest_paths
from kpi_core.store import Store
from kpi_core.store.schema import RAW_TABLES

FIXTURES = Path(__file__).parent / "fixtures"
# The "system date" every ingest test runs at, so yearless dates never depend on the real clock.
# Content.csv's "6 Ιανουαρίου" and Content_english.csv's "November 20" both need it within a year
# after their export dates (2026-01-06, 2026-11-20).
TODAY = date(2026, 11, 25)

# Every chart a test draws is checked against the Vega-Lite schema; the app skips the check
# (ui/drawing.py). Set before any test runs, so the servers that browser tests start inherit it;
# set outright, so no developer's environment turns the checks off.
os.environ["KPI_CHECK_CHARTS"] = "1"


@pytest.fixture(autouse=True)
def _apptest_runs_through_app_py(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every AppTest run go through app.py, as every run does on a server that is up.

    AppTest resets Streamlit's legacy `pages/` mode before each run, so a switched-to page would run
    on its own without app.py's sidebar. On a real server legacy mode ends with the first visit
    (ui/entry.py; tests/e2e/test_fresh_server.py covers that first visit).
    """
    from streamlit.runtime.pages_manager import PagesManager

    init = PagesManager.__init__

    def init_then_leave_legacy_mode(self: PagesManager, *args: object, **kwargs: object) -> None:
        init(self, *args, **kwargs)  # type: ignore[arg-type]
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init_then_leave_legacy_mode)


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store()
    yield s
    s.close()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def today() -> date:
    return TODAY


def _ingest_into(store: Store, *names: str, **options: object) -> list[FileResult]:
    options.setdefault("today", TODAY)
    return ingest_paths(store, [FIXTURES / name for name in names], **options)  # type: ignore[arg-type]


@pytest.fixture
def ingest_into() -> Callable[..., list[FileResult]]:
    """ingest_into(some_store, "studio/Overview.csv", export_date=...): for tests with several stores."""
    return _ingest_into


@pytest.fixture
def ingest(store: Store) -> Callable[..., list[FileResult]]:
    """ingest("studio/Overview.csv", export_date=...) reads fixture files into `store`."""

    def run(*names: str, **options: object) -> list[FileResult]:
        return _ingest_into(store, *names, **options)

    return run


@pytest.fixture(scope="session")
def loaded() -> Iterator[Callable[..., tuple[list[FileResult], Store]]]:
    """loaded("studio/Overview.csv", export_date=...) -> (results, store), read once per session.

    For tests that only look: several tests check the same file, and each read costs a DuckDB
    connection. Tests that upload more into the store use `store` and `ingest` instead.
    """
    cache: dict[str, tuple[list[FileResult], Store]] = {}

    def run(*names: str, **options: object) -> tuple[list[FileResult], Store]:
        key = repr((names, sorted(options.items())))
        if key not in cache:
            s = Store()
            cache[key] = (_ingest_into(s, *names, **options), s)
        return cache[key]

    yield run
    for _, s in cache.values():
        s.close()


@pytest.fixture
def ingest_bytes(store: Store) -> Callable[..., list[FileResult]]:
    """ingest_bytes(("Overview.csv", b"..."), ..., export_date=...) reads hand-made uploads into `store`."""

    def run(*uploads: tuple[str, bytes], **options: object) -> list[FileResult]:
        options.setdefault("today", TODAY)
        return ingest_files(store, list(uploads), **options)  # type: ignore[arg-type]

    return run


def _studio_csv(header: Sequence[str], rows: Sequence[Sequence[str]], bom: bool = True) -> bytes:
    def line(fields: Sequence[str]) -> str:
        return ",".join('"' + f.replace('"', '""') + '"' for f in fields)

    return (("\ufeff" if bom else "") + "\n".join(line(r) for r in [header, *rows])).encode("utf-8")


@pytest.fixture
def studio_csv() -> Callable[..., bytes]:
    """studio_csv(header, rows): bytes in TikTok Studio's CSV shape (UTF-8 BOM, every field quoted,
    LF line ends, no newline after the last line)."""
    return _studio_csv


# --- canonical rows straight into a store (for tests of what is computed from them) --------------


def _add(store: Store, frame: pd.DataFrame, kind: str, table: str, name: str) -> None:
    if "source_file" not in frame:
        frame = frame.assign(source_file=name)  # as ingest names each row's file
    summary = {
        "name": name,
        "kind": kind,
        "account": frame["account"].iloc[0] if len(frame) else None,
        "rows": len(frame),
        "accepted": len(frame),
        "rejected": 0,
    }
    store.add_file(summary, frame, table, [])


def add_days(store: Store, rows: list[dict], account: str = "brand", snapshot: str = "2026-04-01") -> None:
    """Daily rows (date, likes, views, followers...) of `account`, as an Overview export of `snapshot`."""
    _add(
        store,
        pd.DataFrame(rows).assign(account=account, snapshot_date=snapshot),
        "studio_overview",
        "daily_raw",
        "d.csv",
    )


def add_videos(store: Store, rows: list[dict], account: str = "brand", snapshot: str = "2026-04-01") -> None:
    """Video rows (video_id, posted_at, likes, views...) of `account`, as a scrape of `snapshot`; rows
    without an id are numbered, rows without a posting time are posted on 2026-03-01."""
    frame = pd.DataFrame(rows).assign(account=account, snapshot_date=snapshot)
    if "video_id" not in frame:
        frame["video_id"] = [str(i) for i in range(len(frame))]
    if "posted_at" not in frame:
        frame["posted_at"] = "2026-03-01"
    _add(store, frame, "scraper_videos", "videos_raw", "v.csv")


def add_rows(
    store: Store,
    table: str,
    kind: str,
    rows: list[dict],
    account: str = "brand",
    snapshot: str = "2026-04-01",
) -> None:
    """Rows of any raw table (audience_raw, follower_activity_raw, ...) as one file of `kind`; no rows
    is a header-only file, which the upload log still records."""
    frame = pd.DataFrame(rows).assign(account=account, snapshot_date=snapshot) if rows else None
    if frame is not None and "source_file" in RAW_TABLES[table] and "source_file" not in frame:
        frame = frame.assign(source_file=f"{kind}.csv")
    summary = {
        "name": f"{kind}.csv",
        "kind": kind,
        "account": account,
        "rows": len(rows),
        "accepted": len(rows),
    }
    store.add_file({**summary, "rejected": 0}, frame, table, [])


# --- the account shapes of data/shapes.py, read once per test session ------------------------------


@dataclass
class ShapeRun:
    """One data/shapes.py account read into its own store, with the options the shape asks for."""

    shape: object  # data.shapes.Shape
    results: list[FileResult]
    store: Store

    def result(self, file_name: str) -> FileResult:
        """The result of a file (or ZIP member) by its own name: "Overview.csv", "Last 60 days.csv"."""
        [found] = [r for r in self.results if r.name.rsplit("/", 1)[-1] == file_name]
        return found


def shape_options(options: dict[str, object]) -> dict[str, object]:
    """A shape's options (what a user would have to tell the app) as ingest_files takes them."""
    out = dict(options)
    if isinstance(out.get("export_date"), str):
        out["export_date"] = date.fromisoformat(str(out["export_date"]))
    return out


# The shape stores the session's tests share, with their data version when they were read.
_SHARED_VERSIONS: dict[str, tuple[Store, int]] = {}


@pytest.fixture(autouse=True)
def _shared_shapes_are_read_only(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test that wrote into a shape store the session's tests share (`shape_run`): the
    tests after it would see its rows, in an order that depends on how the files were shared out
    between the test workers."""
    yield
    changed = sorted(name for name, (store, version) in _SHARED_VERSIONS.items() if store.version != version)
    for name in changed:  # blamed once, here
        store, _ = _SHARED_VERSIONS[name]
        _SHARED_VERSIONS[name] = (store, store.version)
    if changed:
        pytest.fail(f"{request.node.nodeid} wrote into the shared shape store(s) {', '.join(changed)}")


@pytest.fixture(scope="session")
def shape_run() -> Iterator[Callable[[str], ShapeRun]]:
    """shape_run("viral") -> the shape's files read into a fresh store, once per session."""
    from data.shapes import build

    cache: dict[str, ShapeRun] = {}

    def run(name: str) -> ShapeRun:
        if name not in cache:
            shape = build(name)
            s = Store()
            results = ingest_files(s, list(shape.files.items()), today=TODAY, **shape_options(shape.options))  # type: ignore[arg-type]
            cache[name] = ShapeRun(shape, results, s)
            _SHARED_VERSIONS[name] = (s, s.version)
        return cache[name]

    yield run
    for done in cache.values():
        done.store.close()


@pytest.fixture(scope="session")
def shape_store(shape_run: Callable[[str], ShapeRun]) -> Callable[[str], tuple[list[FileResult], Store]]:
    """shape_store("tiny") -> (results, store): `shape_run` as a pair."""

    def run(name: str) -> tuple[list[FileResult], Store]:
        done = shape_run(name)
        return done.results, done.store

    return run


def newer_followers_store() -> Store:
    """120 days of likes (about 200 a day, seeded noise), views and followers (1 Jul - 28 Oct 2026)
    and 28 videos, then 10 days of follower counts only (a Followers export newer than the
    Overview, to 7 Nov). Follower counts grow by exactly 3 a day."""
    first = date(2026, 7, 1)
    noise = np.random.default_rng(7).normal(0, 40, 120)
    days = [
        {
            "date": (first + timedelta(days=i)).isoformat(),
            "likes": int(200 + noise[i]),
            "views": int(4000 + 20 * noise[i]),
            "followers": 5000 + 3 * i,
        }
        for i in range(120)
    ]
    days += [
        {"date": (first + timedelta(days=i)).isoformat(), "followers": 5000 + 3 * i} for i in range(120, 130)
    ]
    store = Store()
    add_days(store, days, snapshot="2026-11-08")
    posted = [(first + timedelta(days=4 * i)).isoformat() for i in range(28)]
    add_videos(store, [{"posted_at": p, "likes": 400, "views": 8000} for p in posted], snapshot="2026-11-08")
    return store


# --- what a page shows (AppTest) ------------------------------------------------------------------

# The columns of the Overview's KPI explanations (ui.cards.kpi_rows) that always hold a text; the
# change and the note may be empty.
KPI_TABLE_FILLED = ("KPI", "From", "This period", "Based on", "Previous period", "How")


def unescaped(markdown: str) -> str:
    """Markdown source as the reader sees it: every backslash escape (ui.text.escape_md) undone,
    and its invisible word joiners gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def markdown_tables(at: Any) -> list[pd.DataFrame]:
    """The Markdown tables an AppTest page shows (ui.text.markdown_table), cells as the reader sees
    them."""

    def cells(line: str) -> list[str]:
        return [unescaped(c).strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]

    tables = []
    for element in at.markdown:
        lines = str(element.value).splitlines()
        if len(lines) >= 2 and lines[0].startswith("| ") and set(cells(lines[1])) == {"---"}:
            tables.append(pd.DataFrame([cells(line) for line in lines[2:]], columns=cells(lines[0])))
    return tables


def unfilled_kpi_cells(table: pd.DataFrame) -> list[str]:
    """In the KPI explanations (the table with a "KPI" column), each column of KPI_TABLE_FILLED that
    is missing and each of their cells that is empty, as 'no column X' and 'KPI: column'; [] for
    any other table."""
    if "KPI" not in table.columns:
        return []
    missing = [f"no column {c}" for c in KPI_TABLE_FILLED if c not in table.columns]
    if missing:
        return missing
    return [f"{row['KPI']}: {c}" for _, row in table.iterrows() for c in KPI_TABLE_FILLED if not row[c]]


def charts_with(at: Any, column: str) -> list[pd.DataFrame]:
    """The datasets of the charts on an AppTest's page that have `column`."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    found = []
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            frame = convert_arrow_bytes_to_pandas_df(dataset.data.data)
            if column in frame.columns:
                found.append(frame)
    return found
