"""Ads Manager reports, scraper outputs, hand-made sheets that need a column mapping, and files
that cannot be read at all. Answers from tests/fixtures/README.md."""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from kpi_core.errors import IngestError
from kpi_core.ingest import ingest_files, ingest_paths
from kpi_core.ingest.readers import read_upload, text
from kpi_core.ingest.readers.text import DiskFile, _stage_bytes
from kpi_core.store import Store
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]
ADS_SUMS = {"cost": 108.5, "impressions": 11200, "video_views": 5600, "paid_likes": 84}
ADS_XLSX_SUMS = {
    **ADS_SUMS,
    "clicks": 98,
    "reach": 9100,
    "paid_comments": 7,
    "paid_shares": 7,
    "paid_follows": 7,
    "paid_profile_visits": 21,
}


def sums(frame: pd.DataFrame, columns) -> dict[str, float]:
    return {c: pytest.approx(float(frame[c].sum())) for c in columns}


# --- row accounting on every fixture ---------------------------------------------------------

# name, kind, rows read, accepted, first date, last date (posting dates for videos)
OTHER_FILES = [
    ("ads/ads_report.xlsx", "ads_report", 15, 14, date(2026, 11, 1), date(2026, 11, 7)),
    ("ads/ads_report.csv", "ads_report", 15, 14, date(2026, 11, 1), date(2026, 11, 7)),
    ("scrapers/apify.json", "scraper_videos", 8, 8, date(2025, 12, 20), date(2026, 1, 4)),
    ("scrapers/apify_flat.csv", "scraper_videos", 8, 8, date(2025, 12, 20), date(2026, 1, 4)),
    ("scrapers/drawrowfly.json", "scraper_videos", 5, 5, date(2021, 3, 1), date(2021, 3, 5)),
    ("scrapers/tiktokapi.json", "scraper_videos", 4, 4, date(2023, 5, 1), date(2023, 5, 4)),
    ("scrapers/snake_case.csv", "scraper_videos", 4, 4, date(2026, 1, 1), date(2026, 1, 4)),
    ("scrapers/tiktok_dataset.csv", "mapped_videos", 8, 8, None, None),
    ("mapped/my_tracker.csv", "mapped_videos", 6, 6, date(2026, 3, 2), date(2026, 3, 19)),
    ("mapped/daily_tracker.csv", "mapped_daily", 7, 7, date(2026, 3, 1), date(2026, 3, 7)),
]


@pytest.mark.parametrize(
    ("name", "kind", "rows", "accepted", "first", "last"), OTHER_FILES, ids=[f[0] for f in OTHER_FILES]
)
def test_every_other_fixture_accounts_for_every_row(loaded, name, kind, rows, accepted, first, last):
    [result], store = loaded(name)
    assert result.error is None
    assert (result.kind, result.rows, result.accepted, result.rejected) == (
        kind,
        rows,
        accepted,
        rows - accepted,
    )
    assert (result.date_from, result.date_to) == (first, last)
    assert len(result.errors) == rows - accepted
    assert all(isinstance(e["line"], int) and e["reason"] for e in result.errors)
    [logged] = store.table("files").to_dict("records")
    assert (logged["rows"], logged["accepted"], logged["rejected"]) == (rows, accepted, rows - accepted)


# --- Ads Manager -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first_column", "expected"),
    [
        ("ads/ads_report.xlsx", "Campaign name", ADS_XLSX_SUMS),
        ("ads/ads_report.csv", "Ad name", ADS_SUMS),
    ],
)
def test_the_ads_total_row_is_rejected_and_the_fourteen_ad_days_sum_up(loaded, name, first_column, expected):
    [result], store = loaded(name)
    [error] = result.errors
    assert (error["line"], error["column"]) == (16, first_column)
    assert "total row" in error["reason"] and error["reason"].startswith("Line 16")
    ads = store.table("ads")
    assert len(ads) == 14
    assert sums(ads, expected) == expected
    assert sorted(pd.to_datetime(ads["date"]).dt.date.unique()) == [date(2026, 11, d) for d in range(1, 8)]
    assert set(ads["ad_name"]) == {"SPF myth video", "Night routine video"}
    [reject] = store.table("rejects").to_dict("records")
    assert reject["line"] == 16


def test_the_xlsx_ads_report_keeps_ids_as_text_and_its_currency(loaded):
    ads = loaded("ads/ads_report.xlsx")[1].table("ads")
    assert set(ads["ad_id"]) == {"1790000000000000001", "1790000000000000002"}
    assert set(ads["currency"]) == {"EUR"}
    paid = ads["paid_likes"].sum() + ads["paid_comments"].sum() + ads["paid_shares"].sum()
    assert paid / ads["video_views"].sum() == pytest.approx(0.0175)
    spf = ads[ads["ad_name"] == "SPF myth video"].sort_values("date")
    assert list(spf["paid_likes"]) == [1, 2, 3, 4, 5, 6, 7]


def test_paid_likes_stay_in_the_ads_table_and_never_reach_organic_likes(ingest, store):
    ingest("studio/Overview.csv", export_date=date(2026, 1, 6))
    ingest("ads/ads_report.xlsx")
    assert int(store.table("daily")["likes"].sum()) == 154
    assert store.table("videos").empty
    assert int(store.table("ads")["paid_likes"].sum()) == 84


def test_an_ads_report_uploaded_twice_is_stored_once(ingest, store):
    ingest("ads/ads_report.csv")
    ingest("ads/ads_report.csv")
    assert len(store.table("ads")) == 14 and len(store.table("files")) == 1


# --- scrapers ---------------------------------------------------------------------------------


def test_scraper_posting_times_move_from_utc_to_the_accounts_time_zone(loaded):
    utc_results, utc_store = loaded("scrapers/apify.json")
    local_results, local_store = loaded("scrapers/apify.json", time_zone="America/New_York")
    utc = utc_store.table("videos").set_index("video_id")["posted_at"]
    local = local_store.table("videos").set_index("video_id")["posted_at"]
    # January: New York is UTC-5; "2026-01-04T08:20:00.000Z" was posted at 03:20 there.
    assert (utc - local.reindex(utc.index) == pd.Timedelta(hours=5)).all()
    assert pd.Timestamp("2026-01-04 08:20") in set(utc) and pd.Timestamp("2026-01-04 03:20") in set(local)
    assert any("in UTC" in note for note in utc_results[0].notes)
    assert "Posting times moved from UTC to America/New_York" in local_results[0].notes


def test_an_accounts_time_zone_set_later_moves_its_scraped_times_and_those_uploaded_after(
    ingest, store, fixtures
):
    ingest("scrapers/apify.json")
    [account] = {a for a in store.accounts()}
    utc = store.table("videos").set_index("video_id")["posted_at"]
    assert store.time_zone(account) is None and store.scraped_posting_times(account) == len(utc)
    assert store.set_time_zone(account, "Asia/Tokyo") == len(utc)  # every scraped row moves
    tokyo = store.table("videos").set_index("video_id")["posted_at"]
    assert (tokyo - utc == pd.Timedelta(hours=9)).all()
    assert store.set_time_zone(account, "Europe/Berlin") == len(utc)  # from Tokyo, not from UTC again
    berlin = store.table("videos").set_index("video_id")["posted_at"]
    assert (berlin - utc == pd.Timedelta(hours=1)).all()  # January: Berlin is UTC+1
    # A later scrape of the account, uploaded with the default zone, joins it in Berlin time.
    later = json.loads((fixtures / "scrapers/apify.json").read_text(encoding="utf-8"))[:1]
    later[0]["id"], later[0]["createTimeISO"] = "7999999999999999999", "2026-07-01T10:00:00.000Z"
    later[0].pop("createTime", None)
    [result] = ingest_files(store, [("later.json", json.dumps(later).encode())], time_zone="UTC")
    assert "Posting times moved from UTC to Europe/Berlin" in result.notes
    assert store.table("videos").set_index("video_id").loc[
        "7999999999999999999", "posted_at"
    ] == pd.Timestamp("2026-07-01 12:00")  # July: summer time, UTC+2


@pytest.mark.parametrize("bad_row", [False, True], ids=["every row accepted", "a row rejected"])
def test_a_scrape_without_an_export_date_is_as_recent_as_its_newest_accepted_post(
    ingest_bytes, store, bad_row
):
    header = "video_id,create_time,digg_count,play_count,comment_count,share_count,collect_count,author\n"
    rows = [
        "7300000000000000001,2026-01-01T19:00:00Z,5,100,1,1,1,sample.brand",
        "7300000000000000002,2026-02-10T23:30:00Z,10,200,2,2,2,sample.brand",
    ]
    if bad_row:  # a newer post on a rejected row does not date the scrape
        rows.append("7300000000000000003,2026-03-05T10:00:00Z,lots,200,2,2,2,sample.brand")
    [result] = ingest_bytes(("scrape.csv", (header + "\n".join(rows) + "\n").encode()))
    assert (result.accepted, result.rejected) == (2, int(bad_row))
    assert result.date_basis.startswith("assumed")
    stored = store.table("videos_raw")
    assert set(stored["snapshot_date"]) == {pd.Timestamp(2026, 2, 10)}
    assert set(stored["posted_zone"]) == {"UTC"}
    assert store.scraped_posting_times("sample.brand") == 2


def test_a_scrape_without_posting_times_marks_none_as_utc(ingest_bytes, store):
    data = b"video_id,create_time,digg_count,play_count,author\n7300000000000000001,,5,100,sample.brand\n"
    [result] = ingest_bytes(("scrape.csv", data))
    assert result.accepted == 1 and not any("in UTC" in note for note in result.notes)
    assert store.table("videos_raw")["posted_zone"].isna().all()
    assert store.table("videos_raw")["snapshot_date"].tolist() == [pd.Timestamp(TODAY)]


def test_setting_a_time_zone_leaves_studio_posting_times_as_they_are(ingest, store):
    ingest("studio/Content.csv", export_date=date(2026, 1, 6))
    before = store.table("videos")["posted_at"]
    assert store.set_time_zone("sample.brand", "Asia/Tokyo") == 0  # Studio already gives local days
    pd.testing.assert_series_equal(store.table("videos")["posted_at"], before)
    assert store.time_zone("sample.brand") == "Asia/Tokyo"
    with pytest.raises(ValueError, match="'Mars/Olympus' is not a time zone we know"):
        store.set_time_zone("sample.brand", "Mars/Olympus")
    assert store.time_zone("sample.brand") == "Asia/Tokyo"  # a refused zone is never stored


def test_a_studio_export_keeps_its_own_local_times_whatever_the_time_zone(loaded):
    plain = loaded("studio/Content.csv", export_date=date(2026, 1, 6))[1].table("videos")
    zoned = loaded("studio/Content.csv", export_date=date(2026, 1, 6), time_zone="Asia/Tokyo")[1].table(
        "videos"
    )
    pd.testing.assert_series_equal(plain["posted_at"], zoned["posted_at"])


def test_an_unknown_time_zone_is_refused_with_a_sentence(store):
    from kpi_core.ingest import ingest_files

    with pytest.raises(ValueError, match="'Mars/Olympus' is not a time zone we know"):
        ingest_files(store, [], time_zone="Mars/Olympus")


def test_a_timestamp_with_an_offset_is_read_as_its_utc_instant_on_any_machine(tmp_path):
    # A plain cast to TIMESTAMP dropped the offset; the reader's zone must not follow the machine's.
    import subprocess
    import sys

    code = (
        "import json; from kpi_core.store import Store; from kpi_core.store.cell_sql import datetime_sql; s = Store(); "
        "print(json.dumps([str(s.con.execute('SELECT ' + datetime_sql('$v'), {'v': v}).fetchall()[0][0]) "
        "for v in ['2024-05-19T01:44:18+02:00', '2024-05-19T01:44:18.000Z', '2024-05-19 01:44:18', "
        "'1716083058']]))"
    )
    for zone in ("Asia/Tokyo", "America/Los_Angeles"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "TZ": zone},
        ).stdout
        assert json.loads(out) == [
            "2024-05-18 23:44:18",
            "2024-05-19 01:44:18",
            "2024-05-19 01:44:18",
            "2024-05-19 01:44:18",
        ], zone


def test_apify_json_and_its_flattened_csv_give_identical_video_rows(loaded):
    from_json = loaded("scrapers/apify.json")[1].table("videos")
    from_csv = loaded("scrapers/apify_flat.csv")[1].table("videos")
    pd.testing.assert_frame_equal(from_json, from_csv)
    assert len(from_json) == 8


def test_apify_posts_have_their_counts_hours_and_flags(loaded):
    videos = loaded("scrapers/apify.json")[1].table("videos")
    assert sums(videos, ["likes", "views", "shares", "comments", "saves"]) == {
        "likes": 3600,
        "views": 72000,
        "shares": 36,
        "comments": 72,
        "saves": 108,
    }
    assert (videos["likes"] / videos["views"] == 0.05).all()
    posts = videos.assign(n=videos["title"].str.extract(r"Post (\d)", expand=False).astype(int)).set_index(
        "n"
    )
    assert [posts.loc[n, "posted_at"].hour for n in range(1, 9)] == [9, 12, 18, 19, 20, 21, 18, 8]
    assert posts["posted_time_known"].all()
    assert list(posts.index[posts["is_ad"]]) == [2]
    assert list(posts.sort_index()["duration_s"]) == [10.0 * n for n in range(1, 9)]
    assert set(videos["followers"]) == {1216} and set(videos["account"]) == {"sample.brand"}
    # Ids are 19-digit strings: read as text, never through a float.
    assert "7591418261195980808" in set(videos["video_id"])
    assert all(url.endswith(vid) for vid, url in zip(videos["video_id"], videos["url"], strict=True))


def test_a_duration_of_inf_or_nan_is_no_number(fixtures):
    """DuckDB casts "inf" and "-nan" to a double: they must not reach the store as a duration (a
    workspace would save them, a mean would become NaN). "nan" is a missing marker, as in counts."""
    lines = (fixtures / "scrapers/apify_flat.csv").read_text().splitlines()
    column = lines[0].split(",").index("videoMeta/duration")
    written = ["inf", "-nan", "nan", "-Infinity", "12.5"]
    rows = []
    for line, duration in zip(lines[1:], written, strict=False):
        cells = line.split(",")
        cells[column] = duration
        rows.append(",".join(cells))
    store = Store()
    [result] = ingest_files(store, [("odd.csv", "\n".join([lines[0], *rows]).encode())], today=TODAY)
    assert (result.rows, result.accepted) == (5, 2)
    assert {(e["line"], e["reason"]) for e in result.errors} == {
        (line, f"Line {line}, column 'videoMeta/duration': is not a number") for line in (2, 3, 5)
    }
    durations = store.table("videos")["duration_s"]
    assert durations.isna().sum() == 1  # "nan": missing
    assert durations.dropna().tolist() == [12.5]
    store.close()


def test_drawrowfly_collector_json_reads_epoch_seconds(loaded):
    videos = loaded("scrapers/drawrowfly.json")[1].table("videos")
    assert len(videos) == 5
    assert sums(videos, ["likes", "views", "shares", "comments"]) == {
        "likes": 150,
        "views": 1500,
        "shares": 15,
        "comments": 15,
    }
    assert list(pd.to_datetime(videos["posted_at"]).sort_values()) == [
        pd.Timestamp(2021, 3, d, 12) for d in range(1, 6)
    ]
    assert videos["title"].str.contains("#tbt").all()


def test_tiktokapi_json_reads_nested_stats_and_the_author(loaded):
    videos = loaded("scrapers/tiktokapi.json")[1].table("videos")
    assert sums(videos, ["likes", "views", "shares", "comments", "saves"]) == {
        "likes": 70,
        "views": 700,
        "shares": 10,
        "comments": 20,
        "saves": 30,
    }
    assert set(videos["followers"]) == {900} and set(videos["account"]) == {"sample.brand"}
    assert list(pd.to_datetime(videos["posted_at"]).sort_values()) == [
        pd.Timestamp(2023, 5, d, 17) for d in range(1, 5)
    ]


def test_snake_case_scrapes_read_iso_times_with_a_zulu_suffix(loaded):
    videos = loaded("scrapers/snake_case.csv")[1].table("videos")
    assert sums(videos, ["likes", "views"]) == {"likes": 50, "views": 1000}
    assert list(pd.to_datetime(videos["posted_at"]).sort_values()) == [
        pd.Timestamp(2026, 1, d, 19) for d in range(1, 5)
    ]


def test_the_course_data_set_reads_na_cells_as_missing_and_suffixed_counts(loaded):
    [result], store = loaded("scrapers/tiktok_dataset.csv")
    assert result.needs_mapping is None and any("video_like_count" in n for n in result.notes)
    videos = store.table("videos").set_index("video_id")
    assert len(videos) == 8
    assert videos.loc["7017666018", "views"] == 1234
    assert videos.loc["7017666019", "views"] == 1200 and pd.isna(videos.loc["7017666019", "likes"])
    assert pd.isna(videos.loc["7017666021", "views"]) and videos.loc["7017666021", "likes"] == 10
    assert videos.loc["7017666024", "views"] == 3_400_000 and videos.loc["7017666024", "likes"] == 1100
    assert (videos["views"].count(), int(videos["views"].sum())) == (7, 3406734)
    assert (videos["likes"].count(), int(videos["likes"].sum())) == (7, 1525)
    both = videos.dropna(subset=["likes", "views"])
    assert (int(both["likes"].sum()), int(both["views"].sum())) == (1515, 3405534)
    assert sums(videos, ["shares", "saves", "comments"]) == {"shares": 35, "saves": 8, "comments": 76}


# --- mapped sheets -------------------------------------------------------------------------------


def test_a_tracker_sheet_is_mapped_by_the_suggested_columns(loaded):
    [result], store = loaded("mapped/my_tracker.csv")
    assert result.kind == "mapped_videos"
    videos = store.table("videos")
    assert sums(videos, ["likes", "views"]) == {"likes": 700, "views": 12000}
    assert (videos["comments"].count(), int(videos["comments"].sum())) == (5, 20)
    assert pd.isna(videos.set_index("title").loc["Retinol 101", "comments"])


def test_an_unknown_sheet_waits_for_a_mapping_when_auto_mapping_is_off(ingest, store):
    [result] = ingest("mapped/my_tracker.csv", auto_map=False)
    assert result.error and result.error.startswith("my_tracker.csv: ")
    assert result.needs_mapping["headers"] == ["Clip", "Published", "Hearts", "Plays", "Remarks"]
    assert result.needs_mapping["suggestion"] == {
        "title": "Clip",
        "posted_at": "Published",
        "likes": "Hearts",
        "views": "Plays",
        "comments": "Remarks",
    }
    assert store.table("videos").empty and store.table("files").empty


def test_an_explicit_mapping_is_used_instead_of_the_suggestion(ingest, store):
    mapping = {"date": "Day", "likes": "Hearts", "views": "Plays"}
    [result] = ingest("mapped/daily_tracker.csv", mappings={"daily_tracker.csv": mapping}, auto_map=False)
    assert result.kind == "mapped_daily" and result.accepted == 7
    daily = store.table("daily")
    assert sums(daily, ["likes", "views"]) == {"likes": 280, "views": 2800}
    assert (daily["likes"] / daily["views"] == 0.1).all()
    assert sorted(pd.to_datetime(daily["date"]).dt.date) == [date(2026, 3, d) for d in range(1, 8)]


def test_a_mapping_naming_a_column_the_file_lacks_says_which(ingest):
    [result] = ingest(
        "mapped/daily_tracker.csv", mappings={"daily_tracker.csv": {"likes": "Loves", "date": "Day"}}
    )
    assert "Loves" in result.error and result.error.startswith("daily_tracker.csv")


# --- missing values and bad rows in hand-made files ----------------------------------------------


@pytest.mark.parametrize("marker", ["undefined", "#N/A", "N/A", "-", "", "  ", "Undefined"])
def test_missing_markers_are_null_never_zero(ingest_bytes, store, marker):
    data = f"Day,Hearts,Plays\n2026-03-01,{marker},5\n2026-03-02,0,{marker}\n".encode()
    [result] = ingest_bytes(("daily.csv", data))
    assert (result.rows, result.accepted, result.rejected) == (2, 2, 0)
    daily = store.table("daily").sort_values("date")
    assert pd.isna(daily["likes"].iloc[0]) and daily["views"].iloc[0] == 5
    assert daily["likes"].iloc[1] == 0 and pd.isna(daily["views"].iloc[1])


def test_an_absurdly_large_count_is_a_rejected_row_not_a_crash(ingest_bytes, store):
    data = (
        b"Day,Hearts,Plays\n2026-03-01,999999999999B,5\n2026-03-02,1,99999999999999999999\n2026-03-03,1,1\n"
    )
    [result] = ingest_bytes(("daily.csv", data))
    assert (result.rows, result.accepted, result.rejected) == (3, 1, 2)
    assert [(e["line"], e["column"]) for e in result.errors] == [(2, "Hearts"), (3, "Plays")]


def test_line_numbers_survive_blank_lines_and_short_rows(ingest_bytes):
    data = b"Day,Hearts,Plays\n2026-03-01,1,2\n\n2026-03-02,1\n\n\n2026-03-03,x,1\n2026-03-04,1,1\n"
    [result] = ingest_bytes(("daily.csv", data))
    assert (result.rows, result.accepted, result.rejected) == (4, 2, 2)
    assert [(e["line"], e["column"]) for e in result.errors] == [(4, None), (7, "Hearts")]
    assert "fewer fields" in result.errors[0]["reason"]


def test_iso_days_that_do_not_exist_or_come_after_the_export_are_rejected_with_their_reason(
    ingest_bytes, store
):
    rows = ["2026-02-27", "2026-02-30", "2026-02-28", "2026-03-02", "0000-01-01", "2026-3-1", " 2026-03-01 "]
    data = ("Day,Hearts,Plays\n" + "".join(f"{day},1,10\n" for day in rows)).encode()
    [result] = ingest_bytes(("daily.csv", data), export_date=date(2026, 2, 28))
    reasons = {e["line"]: e["reason"] for e in result.errors}
    assert (result.accepted, result.rejected) == (4, 3), reasons
    assert "does not exist" in reasons[3] and "after the export date 2026-02-28" in reasons[5]
    assert "'0000-01-01' is not a real date" in reasons[6]
    days = sorted(pd.to_datetime(store.table("daily")["date"]).dt.date)
    # "2026-3-1" and " 2026-03-01 " are read by the one-by-one path: both are March 1 (one row).
    assert days == [date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1)], reasons


# A file on disk is staged as a link to itself (readers.text._stage_bytes), its BOM left in.
ON_DISK = (
    b'\xef\xbb\xbfDay,Hearts,Plays,Note\n2026-03-01,10,100,plain\n2026-03-02,x,200,"a caption\nover two lines"\n'
    b"\n2026-03-03,30,300,ok,extra\n2026-03-04,40,400,ok\n"
)


def test_a_file_on_disk_is_staged_as_a_link_and_reads_exactly_as_its_bytes_uploaded(tmp_path, monkeypatch):
    path = tmp_path / "daily.csv"
    path.write_bytes(ON_DISK)
    (tmp_path / "shortcut.csv").symlink_to(path)  # a symbolic link reads its target, linked
    links = []

    def link(source, staged, **options):
        os_link(source, staged, **options)
        links.append(os.path.samefile(staged, path) and not os.path.islink(staged))

    os_link = os.link
    monkeypatch.setattr(text.os, "link", link)
    for name in ("daily.csv", "shortcut.csv"):
        from_disk, uploaded = Store(), Store()
        [linked] = ingest_paths(from_disk, [tmp_path / name], today=TODAY)
        [copied] = ingest_files(uploaded, [(name, ON_DISK)], today=TODAY)
        assert linked.as_dict() == copied.as_dict()
        assert (linked.rows, linked.accepted, linked.rejected) == (4, 2, 2)
        assert [(e["line"], e["column"]) for e in linked.errors] == [(3, "Hearts"), (6, None)]
        for table in ("daily", "rejects"):
            assert from_disk.table(table).equals(uploaded.table(table)), table
    assert links == [True, True]  # the very file, staged by a hard link each time
    assert path.read_bytes() == ON_DISK  # the user's file is left as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["daily.csv", "shortcut.csv"]


def test_staged_bytes_are_a_link_to_their_file_unless_it_changed(tmp_path):
    source = tmp_path / "scrape.csv"
    source.write_bytes(ON_DISK)
    read = DiskFile(source, source.stat())
    _stage_bytes(ON_DISK, tmp_path / "linked.csv", read)
    assert os.path.samefile(tmp_path / "linked.csv", source)
    # Saved again since it was read, at the same size: the bytes read are staged, not the file.
    source.write_bytes(ON_DISK.replace(b"10,100", b"99,100"))
    os.utime(source, ns=(read.stat.st_atime_ns, read.stat.st_mtime_ns + 1_000_000))
    _stage_bytes(ON_DISK, tmp_path / "copied.csv", read)
    _stage_bytes(ON_DISK, tmp_path / "uploaded.csv", None)
    for copy in ("copied.csv", "uploaded.csv"):
        assert not os.path.samefile(tmp_path / copy, source)
        assert (tmp_path / copy).read_bytes() == ON_DISK.removeprefix(b"\xef\xbb\xbf")
    # A symbolic link left where the copy goes is replaced, never written through.
    outside = tmp_path / "outside.csv"
    (tmp_path / "trap.csv").symlink_to(outside)
    _stage_bytes(ON_DISK, tmp_path / "trap.csv", read)
    assert not outside.exists() and not os.path.islink(tmp_path / "trap.csv")


@pytest.mark.parametrize("line_end", [b"\n", b"\r\n", b"\r"])
def test_any_line_end_reads_the_same(ingest_bytes, store, line_end):
    data = line_end.join(
        [b"Day,Hearts,Plays", b"2026-03-01,10,100", b"2026-03-02,x,200", b"2026-03-03,30,300", b""]
    )
    [result] = ingest_bytes(("daily.csv", data))
    assert (result.rows, result.accepted, result.rejected) == (3, 2, 1)
    assert result.errors[0]["line"] == 3
    assert int(store.table("daily")["likes"].sum()) == 40


def test_semicolon_and_windows_1252_files_are_read(ingest_bytes, store):
    data = "Clip;Published;Hearts;Plays\nCafé;2026-03-02;5;50\n".encode("cp1252")
    [result] = ingest_bytes(("tracker.csv", data))
    assert result.accepted == 1
    assert list(store.table("videos")["title"]) == ["Café"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_excels_sep_line_names_the_delimiter_and_lines_keep_their_numbers(ingest_bytes, store, bom):
    data = (
        bom + b"sep=;\r\nDay;Hearts;Plays\r\n2026-03-01;10;100\r\n2026-03-02;x;200\r\n2026-03-03;30;300;7\r\n"
    )
    [result] = ingest_bytes(("daily.csv", data))
    assert (result.rows, result.accepted, result.rejected) == (3, 1, 2)
    assert [(e["line"], e["column"]) for e in result.errors] == [(4, "Hearts"), (5, None)]
    assert result.errors[1]["reason"].startswith("Line 5 has more fields")
    assert any("sep=;" in note for note in result.notes)
    assert int(store.table("daily")["likes"].sum()) == 10


def test_utf16_tab_separated_text_from_excel_is_read(ingest_bytes, store, fixtures):
    text = (fixtures / "studio/Overview.csv").read_text(encoding="utf-8-sig")
    tabbed = text.replace('","', "\t").replace('"', "")
    [result] = ingest_bytes(("Overview.txt", tabbed.encode("utf-16")), export_date=date(2026, 1, 6))
    assert (result.kind, result.accepted) == ("studio_overview", 12)
    assert int(store.table("daily")["likes"].sum()) == 154


def test_spreadsheet_rows_are_reported_by_their_excel_row_number(ingest_bytes, store):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([])  # row 1 empty: the table starts on row 2
    sheet.append(["Day", "Hearts", "Plays"])
    sheet.append(["2026-03-01", 10, 100])
    sheet.append([])  # row 4 empty
    sheet.append(["2026-03-02", "lots", 200])  # row 5
    buffer = io.BytesIO()
    workbook.save(buffer)
    [result] = ingest_bytes(("tracker.xlsx", buffer.getvalue()))
    assert (result.rows, result.accepted, result.rejected) == (2, 1, 1)
    assert [(e["line"], e["column"]) for e in result.errors] == [(5, "Hearts")]


# --- files that cannot be read ----------------------------------------------------------------

UNREADABLE = [
    ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    ("empty.csv", b"", "empty"),
    ("blank.csv", b"   \n\n", "empty"),
    ("scrape.json", b'{"collector": [{"id": 1,', "not valid JSON"),
    ("broken.zip", b"PK\x03\x04" + b"\x00" * 40, "ZIP"),
    ("report.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 40, "Excel"),
    ("numbers.json", b'{"total": 5}', "no list of video records"),
]


@pytest.mark.parametrize(("name", "data", "words"), UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_an_unreadable_file_gives_one_sentence_naming_it(ingest_bytes, store, name, data, words):
    [result] = ingest_bytes((name, data))
    assert result.error is not None and not result.ok
    assert result.error.startswith(f"{name}: ") and words in result.error
    assert "\n" not in result.error and "Traceback" not in result.error
    assert result.as_dict()["error"] == result.error
    assert store.table("files").empty


def test_read_upload_raises_an_ingest_error_with_the_file_name(tmp_path):
    with pytest.raises(IngestError) as caught:
        list(read_upload("photo.csv", b"\xff\xd8\xff\xe0JFIF", tmp_path))
    assert caught.value.file_name == "photo.csv"
    assert str(caught.value) == (
        "photo.csv: is a JPEG image, not a data export. Upload the CSV, XLSX, JSON or ZIP file you exported"
    )


def test_one_bad_file_does_not_stop_the_others(ingest_bytes, store, fixtures):
    overview = (fixtures / "studio/Overview.csv").read_bytes()
    results = ingest_bytes(
        ("bad.csv", b"\x89PNG...."), ("Overview.csv", overview), export_date=date(2026, 1, 6)
    )
    assert [r.ok for r in results] == [False, True]
    assert len(store.table("daily")) == 12


def test_a_zip_member_that_cannot_be_read_is_reported_by_its_path(ingest_bytes, store, fixtures):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("Overview.csv", (fixtures / "studio/Overview.csv").read_bytes())
        zf.writestr("cover.png", b"\x89PNG\r\n\x1a\n")
    results = ingest_bytes(("Overview_2026-01-04_1767657600_sample.brand.zip", buffer.getvalue()))
    errors = {r.name.split("/")[-1]: r.error for r in results}
    assert errors["Overview.csv"] is None
    assert errors["cover.png"].startswith(
        "Overview_2026-01-04_1767657600_sample.brand.zip/cover.png: is a PNG"
    )
    assert len(store.table("daily")) == 12


@pytest.mark.parametrize(
    ("typed", "handle"),
    [("@brand.name", "brand.name"), (" my_brand_2 ", "my_brand_2"), ("ab", "ab"), ("a" * 24, "a" * 24)],
)
def test_a_typed_handle_is_read_as_tiktok_writes_it(typed, handle):
    from kpi_core.ingest import check_handle

    assert check_handle(typed) == handle


@pytest.mark.parametrize(
    "typed", ["a", "a" * 25, "brand.", "brand name", "bränd", "@", "x'; DROP TABLE files; --"]
)
def test_a_handle_tiktok_would_not_allow_is_refused_with_a_sentence(typed):
    from kpi_core.ingest import check_handle

    with pytest.raises(ValueError, match="is not a TikTok handle: use 2 to 24 letters"):
        check_handle(typed)


def scraped(video_id: str, author: str | None) -> dict[str, object]:
    record: dict[str, object] = {
        "id": video_id,
        "text": "a video",
        "createTimeISO": "2026-11-01T12:00:00.000Z",
        "diggCount": 5,
        "playCount": 100,
    }
    if author is not None:
        record["authorMeta"] = {"name": author}
    return record


def test_a_scrape_that_names_its_authors_gets_no_note_about_a_missing_handle(ingest_bytes, store):
    named = [scraped("91", "rival.one"), scraped("92", "rival.one")]
    [result] = ingest_bytes(("named.json", json.dumps(named).encode()))
    assert result.account == "rival.one"
    assert not [n for n in result.notes if "No account handle" in n]


def test_the_rows_of_a_scrape_that_name_no_author_are_counted_in_the_note(ingest_bytes, store):
    mixed = [scraped("91", "rival.one"), scraped("92", "rival.one"), scraped("93", None)]
    [result] = ingest_bytes(("mixed.json", json.dumps(mixed).encode()))
    assert [n for n in result.notes if "No account handle" in n] == [
        "No account handle in 1 of its 3 rows: filed under “my account”, apart from the handles the other "
        "rows name (a handle given with the upload, or --account, files such rows under it)"
    ]
    assert sorted(store.accounts()) == ["my account", "rival.one"]


def test_a_scrape_that_names_no_author_at_all_gets_the_files_note(ingest_bytes, store):
    [result] = ingest_bytes(("anonymous.json", json.dumps([scraped("91", None)]).encode()))
    assert result.account == "my account"
    assert [n for n in result.notes if "No account handle" in n] == [
        "No account handle in this file or upload: filed under “my account”. It moves to your handle once "
        "you give it (upload options, or --account) or upload a Studio Content export, whose video links "
        "name it"
    ]
