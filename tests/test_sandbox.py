"""The sandbox: a session's DuckDB connection, and the reader of one staged upload, can read,
write, attach, install or fetch nothing on the server, and cannot be talked out of it; and user
text (column names, mapping choices, account handles, file names) only ever reaches SQL as data.
"""

from __future__ import annotations

import glob
import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from kpi_core.ingest import ingest_files
from kpi_core.metrics.scoring import score
from kpi_core.store import Store
from kpi_core.store.raw_reader import CsvDialect, RawReader

PWNED = "/tmp/pwned_sandbox"  # every attempt below aims at a path under this prefix
TODAY = date(2026, 11, 25)

ESCAPES = {
    "read /etc/passwd": "SELECT * FROM read_csv('/etc/passwd')",
    "read it by replacement scan": "SELECT * FROM '/etc/passwd'",
    "read it as text": "SELECT * FROM read_text('/etc/passwd')",
    "read it as a blob": "SELECT * FROM read_blob('/etc/passwd')",
    "read it as JSON": "SELECT * FROM read_json('/etc/passwd')",
    "read through ../": "SELECT * FROM read_csv('/tmp/x/../../etc/passwd')",
    "list a folder": "SELECT * FROM glob('/etc/*')",
    "attach a database file": f"ATTACH '{PWNED}.db' AS pwned",
    "copy to a file": f"COPY (SELECT 1 AS x) TO '{PWNED}.csv'",
    "export the database": f"EXPORT DATABASE '{PWNED}_dir'",
    "install an extension": "INSTALL httpfs",
    "load an extension": "LOAD httpfs",
    "read over http": "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')",
    "read over https": "SELECT * FROM read_csv('https://example.com/x.csv')",
    "turn external access back on": "SET enable_external_access = true",
    "unlock the configuration": "SET lock_configuration = false",
    "widen the allowed paths": "SET allowed_paths = ['/etc/passwd']",
    "widen the allowed folders": "SET allowed_directories = ['/']",
    "reset external access": "RESET enable_external_access",
    "allow extension autoload": "SET autoload_known_extensions = true",
    "allow community extensions": "SET allow_community_extensions = true",
    "raise the memory limit": "SET memory_limit = '100GB'",
    "set it globally": "SET GLOBAL enable_external_access = true",
}


@pytest.fixture
def staged(tmp_path) -> Path:
    """A staged upload and, beside it, a file the reader must not see."""
    (tmp_path / "secret.csv").write_text("secret\n1\n")
    path = tmp_path / "upload_0000.csv"
    path.write_text("a,b\n1,2\n")
    return path


def connections(staged: Path):
    """Label -> (owner, connection): the owner is kept, as a store closes its connection when dropped."""
    owners = {
        "session store": Store(),
        "reader": RawReader(),
        "reader of one file": RawReader(allowed_path=str(staged)),
    }
    return {label: (owner, owner.con) for label, owner in owners.items()}


def leftovers() -> list[str]:
    return glob.glob(f"{PWNED}*") + glob.glob("/tmp/pwned*")


@pytest.mark.parametrize("statement", ESCAPES.values(), ids=ESCAPES.keys())
def test_no_connection_can_reach_outside_itself(staged, statement):
    for label, (_, con) in connections(staged).items():
        with pytest.raises(duckdb.Error):
            con.execute(statement).fetchall()
        assert con.execute("SELECT current_setting('enable_external_access')").fetchall() == [(False,)], label
        assert con.execute("SELECT current_setting('lock_configuration')").fetchall() == [(True,)], label
        con.close()
    assert leftovers() == []


def test_the_reader_of_one_file_reads_that_file_and_nothing_beside_it(staged):
    reader = RawReader(allowed_path=str(staged))
    assert reader.load_csv(str(staged), CsvDialect(",", 2)) == []
    assert reader.row_count() == 1
    for other in (
        staged.parent / "secret.csv",
        f"{staged}/../secret.csv",
        f"{staged.parent}/./secret.csv",
        f"{staged.parent}/../{staged.parent.name}/secret.csv",
    ):
        with pytest.raises(duckdb.Error):
            reader.con.execute("SELECT * FROM read_csv($p)", {"p": str(other)}).fetchall()
    reader.close()


# --- user text that looks like SQL reaches SQL only as data ----------------------------------

SQL_TEXT = [
    'likes"; DROP TABLE daily_raw; --',
    f"'); COPY (SELECT 1) TO '{PWNED}_header.csv'; --",
    f"x'); ATTACH '{PWNED}.db' AS p; --",
    "c0 FROM raw; SELECT * FROM read_csv('/etc/passwd') --",
]


def intact(store: Store) -> None:
    for table in ("daily_raw", "videos_raw", "files", "rejects", "daily", "videos"):
        store.table(table)
    with pytest.raises(duckdb.Error):  # still sealed
        store.con.execute("SELECT * FROM read_csv('/etc/passwd')").fetchall()
    assert leftovers() == []


@pytest.mark.parametrize("hostile", SQL_TEXT)
def test_a_header_and_a_mapping_made_of_sql_are_only_data(hostile):
    quoted = '"' + hostile.replace('"', '""') + '"'
    data = f"Day,{quoted},Plays\n2026-03-01,10,100\n2026-03-02,oops,200\n".encode()
    store = Store()
    [unmapped] = ingest_files(store, [("t.csv", data)], auto_map=False, today=TODAY)
    assert unmapped.needs_mapping["headers"] == ["Day", hostile, "Plays"]
    [mapped] = ingest_files(
        store,
        [("t.csv", data)],
        today=TODAY,
        mappings={"t.csv": {"date": "Day", "likes": hostile, "views": "Plays"}},
    )
    assert (mapped.kind, mapped.rows, mapped.accepted) == ("mapped_daily", 2, 1)
    assert [e["column"] for e in mapped.errors] == [hostile]
    assert int(store.table("daily")["likes"].sum()) == 10
    assert list(store.table("rejects")["column_name"]) == [hostile]
    intact(store)
    store.close()


@pytest.mark.parametrize("hostile", SQL_TEXT)
def test_a_mapping_target_made_of_sql_is_refused_in_words(hostile):
    store = Store()
    [result] = ingest_files(
        store,
        [("t.csv", b"Day,Hearts\n2026-03-01,1\n")],
        today=TODAY,
        mappings={"t.csv": {"date": "Day", hostile: "Hearts", "likes": "Hearts"}},
    )
    assert result.error.startswith("t.csv: unknown column(s)")
    intact(store)
    store.close()


@pytest.mark.parametrize("hostile", SQL_TEXT)
def test_an_account_handle_and_a_file_name_made_of_sql_are_stored_as_typed(hostile, fixtures):
    store = Store()
    overview = (fixtures / "studio/Overview.csv").read_bytes()
    content = (
        (fixtures / "studio/Content.csv")
        .read_bytes()
        .replace(b"@sample.brand", ("@" + hostile.replace('"', "")).encode())
    )
    results = ingest_files(
        store,
        [(hostile + ".csv", overview), ("Content.csv", content)],
        account=hostile,
        export_date=date(2026, 1, 6),
        today=TODAY,
    )
    assert [r.ok for r in results] == [True, True]
    assert list(store.table("files")["name"]) == [hostile + ".csv", "Content.csv"]
    assert hostile in store.accounts()
    plain = Store()
    ingest_files(
        plain, [("Overview.csv", overview)], account="plain", export_date=date(2026, 1, 6), today=TODAY
    )
    scores = score(store, hostile)  # the handle is a bound parameter of every KPI query
    assert scores["account"] == hostile and scores["per_day"] == score(plain, "plain")["per_day"]
    intact(store)
    store.close()
    plain.close()


def test_uploads_leave_nothing_behind_on_the_server(fixtures, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where ingest stages uploads
    store = Store()
    results = ingest_files(
        store,
        [("Overview.csv", (fixtures / "studio/Overview.csv").read_bytes()), ("../../x.csv", b"a,b\n1,2\n")],
        today=TODAY,
    )
    store.close()
    assert results[0].ok and list(tmp_path.iterdir()) == []
    assert not Path("/x.csv").exists() and leftovers() == []


def test_a_store_spills_only_into_its_own_private_folder_and_removes_it():
    import os

    store = Store()
    [(folder,)] = store.con.execute("SELECT current_setting('temp_directory')").fetchall()
    assert os.path.isdir(folder) and os.stat(folder).st_mode & 0o077 == 0  # private to the server user
    assert not folder.startswith(os.getcwd())  # never beside the app's files
    store.close()
    assert not os.path.exists(folder)


def test_a_stores_uploads_share_one_sealed_reader_that_keeps_nothing_between_them(
    fixtures, tmp_path, monkeypatch
):
    """One connection reads every upload of a store (opening one per upload cost ~30 ms): it sees
    the store's staging folder only, the folder holds no upload once read, and no table survives."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / "secret.csv").write_text("secret\n1\n")
    store = Store()
    first = ingest_files(
        store,
        [
            ("Overview.csv", (fixtures / "studio/Overview.csv").read_bytes()),
            ("broken.zip", b"PK\x03\x04 no zip"),
        ],
        today=TODAY,
    )
    assert first[0].ok and first[1].error
    staging = store.staging()
    (folder,) = tmp_path.glob("kpi-upload-*")
    assert list(folder.iterdir()) == []  # the upload's files went with it
    reader = staging.connection
    assert reader is not None  # a small upload's reader is kept
    reader.reader().load_frame(pd.DataFrame({"c0": ["x"]}))  # a file that failed half-way: never closed
    second = ingest_files(
        store, [("Content.csv", (fixtures / "studio/Content.csv").read_bytes())], today=TODAY
    )
    assert second[0].ok and store.staging() is staging
    assert reader.con.execute("SELECT count(*) FROM duckdb_tables()").fetchall() == [(0,)]
    for statement in (*ESCAPES.values(), f"SELECT * FROM read_csv('{tmp_path / 'secret.csv'}')"):
        with pytest.raises(duckdb.Error):
            reader.con.execute(statement).fetchall()
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.csv"] and leftovers() == []


def test_no_table_or_view_of_an_upload_is_left_on_the_kept_reader_whatever_path_its_files_took(fixtures):
    """The readers name the tables they make for `drop_tables`, which no longer asks DuckDB's
    catalog: the catalog must be empty after an upload whose files went every way. One
    statement (Overview), normalise then finish (a rejected row), broken lines recorded (quotes),
    a workbook's and a scrape's JSON rows through a registered frame, a workbook that fails, and
    a reader left unclosed, as a file that failed half-way leaves it."""
    store = Store()
    names = [
        "studio/Overview.csv",
        "bad/content_negative.csv",
        "bad/content_stray_quote.csv",
        "bad/content_unclosed_quote.csv",
        "legacy/Video Posts.xlsx",
        "scrapers/apify.json",
        "bad/corrupt_workbook.xlsx",
    ]
    results = ingest_files(store, [(Path(n).name, (fixtures / n).read_bytes()) for n in names], today=TODAY)
    assert [r.ok for r in results] == [True] * 6 + [False]
    assert results[1].rejected == 1 and results[2].rejected > 0  # the two other ways were taken
    reader = store.staging().connection
    assert reader is not None and reader.tables == set()
    reader.reader().load_frame(pd.DataFrame({"c0": ["x"]}))  # never closed
    assert ingest_files(
        store, [("Overview.csv", (fixtures / "studio/Overview.csv").read_bytes())], today=TODAY
    )[0].ok
    catalog = "SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal"
    assert reader.con.execute(catalog).fetchall() == []
    store.close()


def test_an_upload_that_breaks_the_stores_reader_leaves_a_working_one_for_the_next(fixtures):
    store = Store()
    overview = ("Overview.csv", (fixtures / "studio/Overview.csv").read_bytes())
    with store.staging().upload() as (_, connection):
        connection.con.close()  # as a fatal DuckDB error would leave it
    results = ingest_files(store, [overview], today=TODAY)
    assert results[0].ok and results[0].accepted == results[0].rows > 0
    store.close()


def test_a_large_upload_closes_the_stores_reader_and_the_next_opens_another(fixtures, monkeypatch):
    """DuckDB keeps the memory a connection read with until it closes: not for a whole session."""
    from kpi_core.store.raw_reader import Staging

    store = Store()
    overview = ("Overview.csv", (fixtures / "studio/Overview.csv").read_bytes())
    monkeypatch.setattr(Staging, "KEEP_AFTER_BYTES", 100)  # the staged file is larger
    assert ingest_files(store, [overview], today=TODAY)[0].ok
    assert store.staging().connection is None
    monkeypatch.setattr(Staging, "KEEP_AFTER_BYTES", 10_000)
    content = ("Content.csv", (fixtures / "studio/Content.csv").read_bytes())
    assert ingest_files(store, [content], today=TODAY)[0].ok
    assert store.staging().connection is not None
    store.close()


def _threads(store: Store) -> int:
    reader = store.staging().connection
    assert reader is not None
    [(threads,)] = reader.con.execute("SELECT current_setting('threads')").fetchall()
    assert threads == reader.threads
    return int(threads)


def test_a_small_upload_is_read_with_one_thread_and_a_larger_with_two(fixtures, tmp_path, monkeypatch):
    """Two DuckDB threads spend longer handing a few hundred rows to each other than reading
    them; a large file needs both. The upload's size decides, for a list of uploads and for files
    on disk alike, and a kept one-thread reader is replaced when a larger upload comes."""
    from kpi_core.ingest import ingest_paths
    from kpi_core.store.raw_reader import Staging

    overview = (fixtures / "studio/Overview.csv").read_bytes()
    content = (fixtures / "studio/Content.csv").read_bytes()
    store = Store()
    assert ingest_files(store, [("Overview.csv", overview)], today=TODAY)[0].ok
    assert _threads(store) == 1
    monkeypatch.setattr(Staging, "ONE_THREAD_BYTES", len(content) - 1)  # Content is now "large"
    kept = store.staging().connection
    assert ingest_files(store, [("Content.csv", content)], today=TODAY)[0].ok
    assert _threads(store) == 2 and store.staging().connection is not kept
    kept = store.staging().connection
    assert ingest_files(store, [("Overview.csv", overview)], today=TODAY)[0].ok
    assert store.staging().connection is kept  # two threads read a small upload as well
    store.close()

    (tmp_path / "Content.csv").write_bytes(content)
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Content.csv", content)
    (tmp_path / "Content.zip").write_bytes(zipped.getvalue())
    assert len(zipped.getvalue()) < len(content) - 1  # compressed, it would pass for small
    for limit, threads in ((len(content), 1), (len(content) - 1, 2)):
        monkeypatch.setattr(Staging, "ONE_THREAD_BYTES", limit)
        # A ZIP counts what it stages (its member), not its compressed bytes.
        for path in (tmp_path / "Content.csv", tmp_path / "Content.zip"):
            store = Store()
            assert ingest_paths(store, [path], today=TODAY)[0].ok
            assert _threads(store) == threads, path.name
            store.close()
        store = Store()
        assert ingest_files(store, [("Content.zip", zipped.getvalue())], today=TODAY)[0].ok
        assert _threads(store) == threads
        store.close()
    store = Store()  # a size given is the size used
    assert ingest_files(store, [("Overview.csv", overview)], today=TODAY, size=10**9)[0].ok
    assert _threads(store) == 2
    store.close()
