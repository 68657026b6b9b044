"""AppTest: uploading real-format exports through the Your data page."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui.text import escape_md

ROOT = Path(__file__).resolve().parents[1]
STUDIO = ROOT / "tests" / "fixtures" / "studio"


def upload(
    files: list[Path], mime: str = "text/csv", time_zone: str = "UTC", date_order: str = "automatic"
) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    at.selectbox(key="upload_time_zone").set_value(time_zone)
    at.selectbox(key="upload_date_order").set_value(date_order)
    at.checkbox(key="upload_has_date").check()
    at.date_input(key="upload_export_date").set_value("2026-01-06")
    at.run()
    at.file_uploader[0].set_value([(f.name, f.read_bytes(), mime) for f in files])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def summary(at: AppTest):
    return next(d.value for d in at.dataframe if "accepted" in d.value.columns)


def test_uploaded_studio_files_are_summarised_per_file():
    at = upload([STUDIO / "Overview.csv", STUDIO / "Content.csv", STUDIO / "Followers_sample.brand.zip"])
    table = summary(at).set_index("file")
    assert table.loc["Overview.csv", "kind"] == "TikTok Studio Overview"
    assert table.loc["Overview.csv", "account"] == "sample.brand"
    assert (table.loc["Overview.csv", "rows"], table.loc["Overview.csv", "accepted"]) == (12, 12)
    assert table.loc["Overview.csv", "from"] == "24 Dec 2025"
    assert table.loc["Content.csv", "to"] == "04 Jan 2026"
    assert table.loc["Followers_sample.brand.zip/FollowerHistory.csv", "accepted"] == 5
    # The demo account steps aside once the visitor's own data is in.
    assert "demo account" not in " ".join(i.value for i in at.sidebar.info)
    assert at.sidebar.selectbox(key="account").value == "sample.brand"


def test_an_unreadable_file_gets_a_sentence_not_a_traceback(tmp_path):
    fake = tmp_path / "export.csv"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    at = upload([fake])
    row = summary(at).set_index("file").loc["export.csv"]
    assert "PNG image" in row["problem"] and "Upload the CSV" in row["problem"]
    assert row["account"] == ""  # a file read for no account leaves the cell blank, not "None"


def test_an_unknown_sheet_asks_for_a_mapping_and_reads_with_it():
    at = upload([ROOT / "tests" / "fixtures" / "mapped" / "my_tracker.csv"])
    assert summary(at).set_index("file").loc["my_tracker.csv", "rows"] == 0
    assert at.selectbox(key="map_my_tracker.csv_likes").value == "Hearts"  # suggested from its name
    at.button(key="map_go_my_tracker.csv").click().run()
    table = summary(at).set_index("file")
    assert table.loc["my_tracker.csv", "kind"] == "Your per-video sheet (mapped)"
    assert table.loc["my_tracker.csv", "accepted"] == 6


def test_the_accounts_time_zone_moves_scraped_posting_hours():
    scrape = ROOT / "tests" / "fixtures" / "scrapers" / "apify.json"
    at = upload([scrape], mime="application/json", time_zone="Asia/Tokyo")
    assert "↳ Posting times moved from UTC to Asia/Tokyo" in [c.value for c in at.caption]
    assert "UTC" in at.selectbox(key="upload_time_zone").options  # the default keeps UTC


@pytest.mark.parametrize(
    ("page", "sentence"),
    [
        ("pages/overview.py", "No data to show yet"),
        ("pages/trends.py", "No data to show yet"),
        ("pages/content.py", "No data to show yet"),
        ("pages/benchmarks.py", "No data to show yet"),
        ("pages/goals.py", "No data to set goals on yet"),
        ("pages/what-if.py", "No data to plan on yet"),
    ],
)
def test_every_page_points_to_the_upload_page_when_an_upload_left_nothing_to_show(tmp_path, page, sentence):
    fake = tmp_path / "export.csv"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    at = upload([fake])  # the demo steps aside for the upload, and the upload gives no rows
    at.switch_page(page).run()
    assert not at.exception
    assert [i.value for i in at.info] == [
        f"{sentence}. Upload your TikTok exports on the **Your data** page."
    ]


def test_a_typed_handle_tiktok_would_not_allow_holds_the_files_until_corrected():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/data.py").run()
    at.text_input(key="upload_account").set_value("my brand!").run()
    at.file_uploader[0].set_value(
        [("Overview.csv", (STUDIO / "Overview.csv").read_bytes(), "text/csv")]
    ).run()
    assert at.error[0].value.startswith(escape_md("'my brand!' is not a TikTok handle"))  # shown as typed
    assert not any("accepted" in d.value.columns for d in at.dataframe)  # nothing was read
    at.text_input(key="upload_account").set_value("@my.brand").run()
    assert not at.error
    assert summary(at).set_index("file").loc["Overview.csv", "account"] == "my.brand"  # "@" dropped


def test_an_accounts_time_zone_picked_on_the_content_page_moves_its_posting_hours():
    at = upload([ROOT / "tests" / "fixtures" / "scrapers" / "apify.json"], mime="application/json")
    store = at.session_state["store"]
    account = store.primary_account()
    utc = store.table("videos").set_index("video_id")["posted_at"]
    at.switch_page("pages/content.py")
    at.run()
    picker = at.selectbox(key=f"posting_zone::{account}")
    assert picker.value == "UTC"
    picker.set_value("Asia/Tokyo").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key=f"posting_zone::{account}").value == "Asia/Tokyo"
    tokyo = store.table("videos").set_index("video_id")["posted_at"]
    assert (tokyo - utc == pd.Timedelta(hours=9)).all()
    assert any("shown in Asia/Tokyo" in c.value for c in at.caption)


def test_a_lone_overview_moves_to_the_handle_a_later_content_export_names():
    at = upload([STUDIO / "Overview.csv"])
    assert summary(at).set_index("file").loc["Overview.csv", "account"] == "my account"
    assert at.text[0].value.startswith("✓ Overview.csv: TikTok Studio Overview, my account, 24 Dec 2025")
    at.session_state["goals"] = [
        {
            "account": "my account",
            "metric": "likes",
            "target": 900.0,
            "start": "2026-01-01",
            "deadline": "2026-03-31",
        }
    ]
    at.file_uploader[0].set_value([("Content.csv", (STUDIO / "Content.csv").read_bytes(), "text/csv")])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = summary(at).set_index("file")
    assert table.loc["Overview.csv", "account"] == "sample.brand"  # the earlier line follows its rows
    assert table.loc["Content.csv", "account"] == "sample.brand"
    assert at.sidebar.selectbox(key="account").options == ["sample.brand"]
    assert [g["account"] for g in at.session_state["goals"]] == ["sample.brand"]
    assert any(c.value.startswith("↳ 12 row\\(s\\) read earlier without a handle") for c in at.caption)


def test_notes_quoting_a_files_own_headers_are_shown_escaped(tmp_path):
    hostile = "<img src=x onerror=alert(1)> **bold**"
    overview = tmp_path / "Overview.csv"
    overview.write_text(
        f'"Date","Video Views","Profile Views","Likes","Comments","Shares","{hostile}","{hostile}"\n'
        '"2026-01-02","100","1","10","0","0","a","b"\n',
        encoding="utf-8",
    )
    at = upload([overview])
    [note] = [c.value for c in at.caption if c.value.startswith("↳ Repeated column name")]
    assert escape_md(hostile) in note and hostile not in note


@pytest.mark.parametrize(
    ("choice", "accepted", "first_day"),
    [("automatic", 0, None), ("day first (20/6/2022)", 2, "2022-04-03"), ("month first (6/20/2022)", 2, "2022-03-04")],
)  # fmt: skip
def test_the_date_order_picked_under_options_reads_numeric_dates(tmp_path, choice, accepted, first_day):
    export = tmp_path / "Last 60 days.csv"
    export.write_text(
        "Date,Video views,Profile views,Likes,Comments,Shares\n3/4/2022,100,1,10,0,0\n5/6/2022,200,2,20,0,0\n",
        encoding="utf-8",
    )
    at = upload([export], date_order=choice)
    assert at.selectbox(key="upload_date_order").options == [
        "automatic",
        "day first (20/6/2022)",
        "month first (6/20/2022)",
    ]
    row = summary(at).set_index("file").loc["Last 60 days.csv"]
    assert (row["rows"], row["accepted"]) == (2, accepted)
    shown = "" if first_day is None else f"{date.fromisoformat(first_day):%d %b %Y}"
    assert row["from"] == shown  # a file with no dated row shows an empty cell, never "None"
    if accepted == 0:  # the note says what to do
        assert any("give the day/month order under upload options" in c.value for c in at.caption)
