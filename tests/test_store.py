"""The per-session store: canonical tables, the views that pick the latest snapshot per key, the
upload log, and the sandbox around every DuckDB connection."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from kpi_core.ingest import formats, ingest_paths
from kpi_core.ingest.loading import read_columns
from kpi_core.metrics.scope import data_extent
from kpi_core.store import Store, schema
from kpi_core.store.cell_sql import macros_for
from kpi_core.store.connection import check_identifier
from kpi_core.store.database import READABLE
from kpi_core.store.raw_reader import ColumnProbe, CsvDialect, RawReader, UploadConnection


def add(
    store: Store,
    table: str,
    rows: list[dict],
    name: str = "f.csv",
    kind: str = "studio_overview",
    rejects: list[tuple[int | None, str, str]] | None = None,
) -> int:
    summary = {
        "name": name,
        "kind": kind,
        "content_hash": f"hash-{name}-{len(rows)}",
        "rows": len(rows),
        "accepted": len(rows),
        "rejected": 0,
    }
    return store.add_file(summary, pd.DataFrame(rows), table, rejects or [])


def day(d: int, snapshot: date, **counts) -> dict:
    return {
        "account": "a",
        "date": date(2026, 1, d),
        "snapshot_date": snapshot,
        "source_file": str(snapshot),
        "provisional": False,
        **counts,
    }


def video(video_id: str, snapshot: date, **values) -> dict:
    return {
        "account": "a",
        "video_id": video_id,
        "snapshot_date": snapshot,
        "source_file": str(snapshot),
        **values,
    }


def test_a_new_store_has_every_table_and_view_empty(store):
    for name in READABLE:
        assert store.table(name).empty, name
    assert list(store.table("daily_raw").columns) == list(schema.DAILY_COLUMNS)
    assert store.primary_account() is None and store.accounts() == []


def test_only_allow_listed_tables_can_be_read(store):
    with pytest.raises(ValueError, match="unknown table"):
        store.table("daily; DROP TABLE files")
    with pytest.raises(ValueError):
        check_identifier("Robert'); --")


def test_the_latest_snapshot_of_a_day_wins_and_missing_never_erases_a_value(store):
    add(
        store, "daily_raw", [day(1, date(2026, 1, 3), likes=10, views=100), day(2, date(2026, 1, 3), likes=5)]
    )
    add(
        store,
        "daily_raw",
        [day(1, date(2026, 1, 9), likes=12, views=None), day(2, date(2026, 1, 9), likes=None)],
        name="later.csv",
    )
    daily = store.table("daily").set_index("date")
    assert daily.loc[pd.Timestamp(2026, 1, 1), "likes"] == 12
    assert daily.loc[pd.Timestamp(2026, 1, 1), "views"] == 100  # the later export had no value
    assert daily.loc[pd.Timestamp(2026, 1, 2), "likes"] == 5
    assert len(daily) == 2


def test_two_exports_of_the_same_day_keep_the_larger_value_in_either_order():
    tables = []
    for order in ([7, 9], [9, 7]):
        s = Store()
        for likes in order:
            add(s, "daily_raw", [day(1, date(2026, 1, 5), likes=likes)], name=f"{likes}.csv")
        tables.append(s.table("daily"))
        s.close()
    pd.testing.assert_frame_equal(*tables)
    assert tables[0]["likes"].iloc[0] == 9


def test_a_day_stays_provisional_only_while_every_export_of_it_says_so(store):
    add(
        store,
        "daily_raw",
        [
            {**day(4, date(2026, 1, 6), likes=3), "provisional": True},
            {**day(5, date(2026, 1, 6), likes=1), "provisional": True},
        ],
    )
    add(
        store,
        "daily_raw",
        [
            {**day(4, date(2026, 1, 9), likes=8), "provisional": False},
            {**day(5, date(2026, 1, 9)), "provisional": False},
        ],
        name="later.csv",
    )
    daily = store.table("daily").set_index("date")
    assert not daily.loc[pd.Timestamp(2026, 1, 4), "provisional"]
    # January 5 has likes only in the provisional export; the later row holds no counts, so it does not decide.
    assert daily.loc[pd.Timestamp(2026, 1, 5), "provisional"]


def test_a_video_keeps_its_latest_counts_and_the_posting_time_that_has_an_hour(store):
    add(
        store,
        "videos_raw",
        [
            video(
                "7",
                date(2026, 1, 6),
                likes=10,
                views=100,
                posted_at=pd.Timestamp(2026, 1, 2),
                posted_time_known=False,
                is_ad=False,
            )
        ],
        kind="studio_content",
    )
    add(
        store,
        "videos_raw",
        [
            video(
                "7",
                date(2026, 1, 4),
                likes=8,
                views=90,
                posted_at=pd.Timestamp(2026, 1, 2, 18, 30),
                posted_time_known=True,
                is_ad=True,
                saves=4,
            )
        ],
        name="apify.json",
        kind="scraper_videos",
    )
    [row] = store.table("videos").to_dict("records")
    assert (row["likes"], row["views"], row["saves"]) == (10, 100, 4)
    assert row["posted_at"] == pd.Timestamp(2026, 1, 2, 18, 30) and row["posted_time_known"]
    assert row["is_ad"] and pd.Timestamp(row["snapshot_date"]).date() == date(2026, 1, 6)


def test_videos_reflect_every_upload_before_any_read(store):
    # `videos` is rebuilt before the first read after writes, not after every file.
    posted = {"posted_at": pd.Timestamp(2026, 1, 2)}
    add(store, "videos_raw", [video("1", date(2026, 1, 6), likes=10, **posted)], kind="scraper_videos")
    add(
        store,
        "videos_raw",
        [video("2", date(2026, 1, 6), likes=20, posted_at=pd.Timestamp(2026, 1, 4))],
        name="g.csv",
        kind="scraper_videos",
    )
    add(
        store,
        "videos_raw",
        [video("1", date(2026, 1, 9), likes=15, **posted)],
        name="h.csv",
        kind="scraper_videos",
    )
    assert data_extent(store, "a") == (date(2026, 1, 2), date(2026, 1, 4))
    assert dict(store.table("videos")[["video_id", "likes"]].values) == {"1": 15, "2": 20}
    add(store, "videos_raw", [video("3", date(2026, 1, 9), likes=5)], name="i.csv", kind="scraper_videos")
    assert sorted(store.table("videos", "a")["video_id"]) == ["1", "2", "3"]


def test_an_accounts_data_span_follows_its_days_and_its_videos_latest_posting_days(store):
    # data_span.sql reads the days from daily_raw and the posting days from `video_spans`, kept
    # with `videos`: the span the `daily` view and `videos` give, after every upload.
    def from_the_views(account: str) -> tuple[date | None, date | None]:
        sql = (
            "SELECT min(d), max(d) FROM (SELECT date AS d FROM daily WHERE account = $a "
            "UNION ALL SELECT CAST(posted_at AS DATE) FROM videos WHERE account = $a)"
        )
        first, last = store._reading().execute(sql, {"a": account}).fetchone()
        return first, last

    add(
        store,
        "daily_raw",
        [day(3, date(2026, 1, 9), likes=1), {**day(20, date(2026, 1, 21)), "account": "b"}],
    )
    add(
        store,
        "videos_raw",
        [video("1", date(2026, 1, 6), posted_at=pd.Timestamp(2025, 12, 30, 9))],
        name="g.csv",
        kind="scraper_videos",
    )
    assert data_extent(store, "a") == (date(2025, 12, 30), date(2026, 1, 3)) == from_the_views("a")
    later = [  # video 1's latest snapshot moves it; account c has videos only
        video("1", date(2026, 1, 28), posted_at=pd.Timestamp(2026, 1, 25, 23, 59)),
        {**video("2", date(2026, 1, 28), posted_at=pd.Timestamp(2026, 1, 1)), "account": "c"},
    ]
    add(store, "videos_raw", later, name="h.csv", kind="scraper_videos")
    expected = {
        "a": (date(2026, 1, 3), date(2026, 1, 25)),
        "b": (date(2026, 1, 20), date(2026, 1, 20)),
        "c": (date(2026, 1, 1), date(2026, 1, 1)),
        "nobody": (None, None),
    }
    assert {account: data_extent(store, account) for account in expected} == expected
    assert {account: from_the_views(account) for account in expected} == expected
    store.rename_account("c", "b")  # c's video joins b's days
    assert data_extent(store, "b") == (date(2026, 1, 1), date(2026, 1, 20)) == from_the_views("b")
    assert data_extent(store, "c") == (None, None)


def test_one_accounts_rows_are_filtered_in_the_store(store):
    add(
        store,
        "videos_raw",
        [video("1", date(2026, 1, 6), likes=10), {**video("2", date(2026, 1, 6), likes=99), "account": "b"}],
        kind="scraper_videos",
    )
    assert store.table("videos", "b")[["video_id", "likes"]].values.tolist() == [["2", 99]]
    assert store.table("videos", "nobody").empty
    assert len(store.table("videos")) == 2
    with pytest.raises(ValueError, match="no account column"):
        store.table("rejects", "a")


def test_the_audience_is_the_latest_snapshot_only(store):
    def share(key: str, value: float, snapshot: date) -> dict:
        return {
            "account": "a",
            "dimension": "territory",
            "key": key,
            "share": value,
            "snapshot_date": snapshot,
            "source_file": str(snapshot),
        }

    add(store, "audience_raw", [share("GR", 0.5, date(2026, 1, 1)), share("CY", 0.2, date(2026, 1, 1))])
    add(
        store,
        "audience_raw",
        [share("GR", 0.6, date(2026, 2, 1)), share("US", 0.1, date(2026, 2, 1))],
        name="later.csv",
    )
    audience = store.table("audience")
    assert dict(zip(audience["key"], audience["share"], strict=True)) == {"GR": 0.6, "US": 0.1}


def test_ads_keep_one_row_per_ad_and_day_from_the_latest_report(store):
    def ad(cost: float, snapshot: date) -> dict:
        return {
            "account": "a",
            "date": date(2026, 11, 1),
            "ad_id": "17",
            "ad_name": "SPF",
            "cost": cost,
            "paid_likes": 3,
            "snapshot_date": snapshot,
            "source_file": str(snapshot),
        }

    add(store, "ads_raw", [ad(10.0, date(2026, 11, 2))], kind="ads_report")
    add(store, "ads_raw", [ad(12.5, date(2026, 11, 8))], name="later.xlsx", kind="ads_report")
    ads = store.table("ads")
    assert list(ads["cost"]) == [12.5]


def test_the_upload_log_and_rejected_rows_are_kept(store):
    file_id = add(
        store,
        "daily_raw",
        [day(1, date(2026, 1, 3), likes=1)],
        rejects=[(3, "Likes", "Line 3, column 'Likes': is not a count"), (None, "", "Record 2 ...")],
    )
    assert store.stored_files(["hash-f.csv-1", "hash-other"]) == {"hash-f.csv-1"}
    [logged] = store.table("files").to_dict("records")
    assert (logged["file_id"], logged["name"], logged["kind"]) == (file_id, "f.csv", "studio_overview")
    rejects = store.table("rejects")
    assert rejects["line"].iloc[0] == 3 and pd.isna(rejects["line"].iloc[1])  # JSON records have no line
    assert set(rejects["file_id"]) == {file_id}


def test_primary_account_is_the_one_with_the_most_daily_rows(store):
    add(store, "daily_raw", [day(1, date(2026, 1, 3), likes=1), day(2, date(2026, 1, 3), likes=1)])
    add(
        store,
        "videos_raw",
        [{**video(str(i), date(2026, 1, 3)), "account": "other"} for i in range(5)],
        name="scrape.json",
        kind="scraper_videos",
    )
    assert store.primary_account() == "a"
    assert store.accounts() == ["a", "other"]


def test_a_snapshot_restores_into_a_new_store_and_clear_empties_it(ingest, store):
    ingest("studio/Overview.csv", "studio/Content.csv", export_date=date(2026, 1, 6))
    copy = Store()
    copy.restore(store.snapshot())
    for name in ("daily", "videos", "files"):
        pd.testing.assert_frame_equal(copy.table(name), store.table(name), obj=name)
    version = copy.version
    copy.clear()
    assert copy.table("daily").empty and copy.table("files").empty and copy.version > version
    copy.close()


# --- the sandbox -----------------------------------------------------------------------------


def test_the_store_cannot_read_files_or_loosen_its_settings(store, fixtures):
    path = str(fixtures / "studio" / "Overview.csv")
    with pytest.raises(duckdb.Error):
        store.con.execute("SELECT * FROM read_csv($p)", {"p": path}).fetchall()
    with pytest.raises(duckdb.Error):
        store.con.execute("SET enable_external_access = true")
    with pytest.raises(duckdb.Error):
        store.con.execute("COPY (SELECT 1) TO '/tmp/kpi_store_escape.csv'")


def test_a_raw_reader_reads_its_one_file_and_nothing_else(fixtures):
    allowed = fixtures / "mapped" / "daily_tracker.csv"
    reader = RawReader(allowed_path=str(allowed))
    try:
        assert reader.load_csv(str(allowed), CsvDialect(",", 3)) == []
        assert reader.row_count() == 7
        with pytest.raises(duckdb.Error):
            reader.con.execute(
                "SELECT * FROM read_csv($p)", {"p": str(fixtures / "mapped" / "my_tracker.csv")}
            )
    finally:
        reader.close()


def test_a_csv_loaded_in_part_checks_and_rejects_its_lines_as_a_whole_load_does(tmp_path):
    # Short, long and unquoted lines are found by splitting each line into all of the header's
    # columns: loading only some of them must reject the same lines and keep the same rows.
    path = tmp_path / "broken.csv"
    path.write_text(
        'a,b,c,d\n1,2,3,4\n5,6,7\n8,9,10,11,12\n"x,y",2,3,4\n13,14,15,16\n"open,1,2,3\n17,18,19,20\n',
        encoding="utf-8",
    )
    loads = []
    for keep in (None, [0, 2]):
        reader = RawReader(allowed_path=str(path))
        try:
            rejected = reader.load_csv(str(path), CsvDialect(",", 4), keep=keep)
            rows = reader.con.execute(f"SELECT c0, c2 FROM {reader.table} ORDER BY rowid").fetchall()
            columns = [
                name
                for (name,) in reader.con.execute(
                    f"SELECT name FROM pragma_table_info('{reader.table}')"
                ).fetchall()
            ]
            loads.append((rejected, reader.row_count(), rows, columns))
        finally:
            reader.close()
    (whole, *_, all_columns), (part, *_, kept_columns) = loads
    assert [line for line, _ in whole] == [3, 4, 7]
    assert loads[0][:3] == loads[1][:3]
    assert all_columns == ["c0", "c1", "c2", "c3"] and kept_columns == ["c0", "c2"]


def test_an_upload_connection_drops_the_tables_its_readers_left_and_duckdbs_reject_tables(tmp_path):
    # The readers name their tables for `drop_tables`, which no longer asks DuckDB's catalog: a
    # reader never closed (a file that failed half-way) and a load that recorded broken lines
    # leave tables, and the catalog must be empty afterwards all the same.
    path = tmp_path / "broken.csv"
    path.write_text("a,b\n1,2\n3\n4,5\n", encoding="utf-8")
    upload = UploadConnection(allowed_directory=str(tmp_path))
    try:
        closed, left = upload.reader(), upload.reader()
        assert [line for line, _ in closed.load_csv(str(path), CsvDialect(",", 2))] == [3]
        closed.close()
        left.load_frame(pd.DataFrame({"c0": ["x"]}))
        catalog = "SELECT table_name FROM duckdb_tables() ORDER BY table_name"
        assert upload.con.execute(catalog).fetchall() == [("raw_2",), ("reject_errors",), ("reject_scans",)]
        upload.drop_tables()
        assert upload.con.execute(catalog).fetchall() == [] and upload.tables == set()
        upload.drop_tables()  # nothing left: no error
    finally:
        upload.close()


def test_ingest_loads_the_columns_a_format_reads_and_the_first():
    header = [
        "id",
        "text",
        "createTimeISO",
        "createTime",
        "diggCount",
        "isPinned",
        "authorMeta/name",
        "mystery",
    ]
    fmt = formats.recognise(header)
    assert fmt is not None and fmt.kind == "scraper_videos"
    kept = [header[i] for i in read_columns(fmt, header)]
    assert kept == [
        "id",
        "text",
        "createTimeISO",
        "diggCount",
        "authorMeta/name",
    ]  # createTime: createTimeISO is read


def test_date_texts_come_in_the_order_they_first_appear(fixtures):
    path = fixtures / "studio" / "FollowerActivity.csv"
    reader = RawReader(allowed_path=str(path))
    try:
        reader.load_csv(str(path), CsvDialect(",", 3))
        assert reader.probe(dates=[("c0", "day")]).date_texts["c0"] == ["January 4", "January 5"]
    finally:
        reader.close()


def test_one_probe_answers_what_the_separate_questions_did(fixtures):
    path = fixtures / "studio" / "FollowerActivity.csv"
    reader = RawReader(allowed_path=str(path))
    try:
        reader.load_csv(str(path), CsvDialect(",", 3))
        probe = reader.probe(plain=[2], dates=[("c0", "day")], hours=["c1"], export_date=date(2026, 1, 6))
        assert probe.plain == {2}
        assert probe.date_texts == {"c0": ["January 4", "January 5"]}
        assert probe.iso_days == {"c0": False}  # none of its days is an ISO day SQL reads
        assert probe.hours == {"c1": {0}}  # hours 0 to 23: an hour 0, no hour 24
        assert reader.probe() == ColumnProbe()  # nothing asked: no statement
    finally:
        reader.close()


@pytest.mark.parametrize(
    ("sql", "installed", "created"),
    [
        ("SELECT 1", set(), []),
        ("SELECT is_missing(c0)", set(), ["blank_trim", "is_missing"]),
        ("SELECT is_missing_text(c0)", set(), ["blank_trim", "is_missing_text"]),
        ("SELECT is_missing(c0)", {"blank_trim"}, ["is_missing"]),
        (
            "SELECT net_count_value(c0), text_value(c1)",
            set(),
            [
                "blank_trim",
                "is_missing",
                "count_text",
                "count_value",
                "net_count_value",
                "is_missing_text",
                "blank_edge",
                "text_value",
            ],
        ),
    ],
)
def test_a_statement_creates_the_macros_it_calls_and_those_they_call_in_order(sql, installed, created):
    assert macros_for(sql, installed) == created


def test_an_upload_connection_creates_a_macro_when_a_statement_first_calls_it():
    upload = UploadConnection()
    try:
        assert upload.execute("SELECT count_value(' 1.2K ')").fetchall() == [(1200,)]
        assert upload.execute("SELECT is_missing('n/a'), share_value('12%')").fetchall() == [(True, 0.12)]
        names = {
            n
            for (n,) in upload.con.execute(
                "SELECT function_name FROM duckdb_functions() WHERE macro_definition IS NOT NULL AND NOT internal"
            ).fetchall()
        }
        assert names == {"blank_trim", "is_missing", "count_text", "count_value", "share_value"}
    finally:
        upload.close()


def test_the_files_already_read_are_found_by_their_content_hashes(store):
    store.add_file({"name": "a.csv", "kind": "studio_overview", "content_hash": "h1"}, None, None, [])
    assert store.stored_files(["h1", "h2"]) == {"h1"}
    assert store.stored_files([]) == set()


def test_renaming_an_account_moves_its_rows_and_keeps_the_new_accounts_time_zone(store):
    posted = {"posted_at": pd.Timestamp(2026, 1, 2, 8), "posted_zone": "UTC"}
    add(store, "videos_raw", [video("1", date(2026, 1, 6), likes=10, **posted)], kind="scraper_videos")
    add(
        store,
        "videos_raw",
        [{**video("2", date(2026, 1, 6), likes=20, **posted), "account": "b"}],
        name="g.csv",
        kind="scraper_videos",
    )
    store.set_time_zone("a", "Europe/Berlin")
    store.set_time_zone("b", "Asia/Tokyo")
    assert store.rename_account("a", "b") == 1  # one data row moved (the upload log is not counted)
    assert store.accounts() == ["b"] and store.time_zone("a") is None
    assert store.time_zone("b") == "Asia/Tokyo"
    store.set_time_zone("b", "Asia/Tokyo")  # what ingest does after a rename: every row in b's zone
    shown = dict(store.table("videos")[["video_id", "posted_at"]].values)
    assert shown == {"1": pd.Timestamp(2026, 1, 2, 17), "2": pd.Timestamp(2026, 1, 2, 17)}


def test_a_query_of_one_group_answers_what_grouping_answered_and_no_row_without_rows(store):
    """`aggregate_row` aggregates without grouping (cheaper for one group): the same values of the
    same types as the grouped query, and no row for an account without rows, as GROUP BY gives."""
    from kpi_core.metrics.measures import DAILY_CONTEXT
    from kpi_core.metrics.registry import DAILY_KPIS, aggregates
    from kpi_core.store.aggregate import aggregate_sql
    from kpi_core.store.database import _read_sql

    snapshot = date(2026, 1, 20)
    rows = [day(d, snapshot, likes=10 * d, views=100 * d, followers=1000 + d) for d in range(1, 15)]
    add(store, "daily_raw", rows + [{**day(3, snapshot, likes=7), "account": "b"}])
    daily = aggregates(DAILY_KPIS, DAILY_CONTEXT)
    params = {"date_from": None, "date_to": None, "include_provisional": False, "grain": "all"}
    grouped_sql = aggregate_sql(_read_sql("kpi_daily_rows"), ("period",), daily)
    for account in ("a", "b", "nobody"):
        cursor = store.con.execute(grouped_sql, {"accounts": [account], **params})
        grouped = [dict(zip([c[0] for c in cursor.description], r, strict=True)) for r in cursor.fetchall()]
        row = store.aggregate_row("kpi_daily_rows", ("period",), daily, accounts=[account], **params)
        assert ([] if row is None else [row]) == grouped
        assert [type(v) for v in (row or {}).values()] == [type(v) for v in (grouped or [{}])[0].values()]
    assert grouped == [] and len(daily) > 40
    assert (
        store.aggregate_row("kpi_daily_rows", ("period",), daily, accounts=["a"], **params)["likes"] == 1050
    )


def test_a_listed_measure_keeps_every_row_in_date_order(store):
    """The "list" aggregate gives each row's value in date order, NULL where the row has none or
    its filter leaves it out, so that two lists over the same rows line up."""
    from kpi_core.store.aggregate import Aggregate

    snapshot = date(2026, 1, 20)
    add(store, "daily_raw", [day(3, snapshot, likes=1), day(1, snapshot, likes=5), day(2, snapshot, views=9)])
    params = {
        "accounts": ["a"],
        "date_from": None,
        "date_to": None,
        "include_provisional": False,
        "grain": "all",
    }
    listed = (
        Aggregate("days", "list", "date"),
        Aggregate("likes", "list", "likes"),
        Aggregate("large", "list", "likes", "likes > 2"),
    )
    row = store.aggregate_row("kpi_daily_rows", ("period",), listed, **params)
    assert row == {
        "period": None,
        "days": [date(2026, 1, d) for d in (1, 2, 3)],
        "likes": [5, None, 1],
        "large": [5, None, None],
    }


@pytest.mark.parametrize("dated", [True, False])
def test_a_large_file_keeps_its_rows_in_the_files_order(tmp_path, dated):
    # The finished rows are not sorted back into the file's order unless a lookup was joined:
    # DuckDB keeps one table's order through its projections, filters, windows over () and
    # materialised CTEs. Three row groups read by two threads (the undated scrape's snapshot date
    # is a window over all rows) must come out as the file has them.
    n = 300_000
    ids = [7_300_000_000_000_000_000 + (i * 7919) % n for i in range(n)]  # an order no sort gives
    path = tmp_path / "dataset_tiktok-scraper.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("id,text,createTimeISO,diggCount,playCount,authorMeta/name\n")
        for i, video in enumerate(ids):
            f.write(
                f"{video},clip {i},2025-0{1 + i % 9}-1{i % 10}T10:00:00.000Z,{i % 97},{i % 991 + 100},brand\n"
            )
    store = Store()
    try:
        [result] = ingest_paths(store, [path], export_date=date(2026, 1, 1) if dated else None)
        assert result.rows == n and not result.rejected
        stored = store.con.execute("SELECT video_id FROM videos_raw ORDER BY rowid").fetchall()
        assert [int(v) for (v,) in stored] == ids
    finally:
        store.close()
