"""TikTok Studio exports (and the 2022-23 analytics export) read into the canonical tables, with
the answers worked out on paper in tests/fixtures/README.md."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_core.ingest import ingest_files
from kpi_core.ingest.readers import zip_name_hints
from kpi_core.store import Store

JAN6 = date(2026, 1, 6)
ZIP = "studio/Overview_2026-01-04_1767657600_sample.brand.zip"
OVERVIEW_HEADER = ("Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares")
CONTENT_HEADER = (
    "Time",
    "Video title",
    "Video link",
    "Post time",
    "Total likes",
    "Total comments",
    "Total shares",
    "Total views",
)


def total(frame: pd.DataFrame, column: str) -> int:
    return int(frame[column].sum())


def by_date(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(date=pd.to_datetime(frame["date"]).dt.date).set_index("date")


# --- row accounting on every fixture ---------------------------------------------------------

# name, export date (None: from the file itself), kind, rows, first day, last day
STUDIO_FILES = [
    ("studio/Overview.csv", JAN6, "studio_overview", 12, date(2025, 12, 24), date(2026, 1, 4)),
    ("studio/Content.csv", None, "studio_content", 4, date(2025, 12, 20), date(2026, 1, 4)),
    ("studio/Viewers.csv", JAN6, "studio_viewers", 5, date(2026, 1, 1), date(2026, 1, 5)),
    ("studio/FollowerHistory.csv", JAN6, "studio_follower_history", 5, date(2026, 1, 1), date(2026, 1, 5)),
    ("studio/FollowerActivity.csv", JAN6, "studio_follower_activity", 48, date(2026, 1, 4), date(2026, 1, 5)),
    ("studio/FollowerGender.csv", JAN6, "studio_follower_gender", 0, None, None),
    ("studio/FollowerTopTerritories.csv", JAN6, "studio_follower_territories", 3, None, None),
    (
        "studio/Overview_greek.csv",
        date(2026, 3, 2),
        "studio_overview",
        10,
        date(2026, 2, 20),
        date(2026, 3, 1),
    ),
    ("studio/Overview_vietnamese.csv", JAN6, "studio_overview", 10, date(2025, 12, 27), date(2026, 1, 5)),
    (
        "studio/Overview_french.csv",
        date(2026, 9, 7),
        "studio_overview",
        10,
        date(2026, 8, 28),
        date(2026, 9, 6),
    ),
    ("studio/Overview_365_newyear.csv", JAN6, "studio_overview", 365, date(2025, 1, 5), date(2026, 1, 4)),
    ("studio/Content_english.csv", None, "studio_content", 15, date(2025, 12, 15), date(2026, 11, 18)),
    (
        "studio/FollowerHistory_nobom.csv",
        date(2026, 1, 5),
        "studio_follower_history",
        5,
        date(2025, 12, 30),
        date(2026, 1, 3),
    ),
    ("studio/FollowerTopTerritories_headeronly.csv", JAN6, "studio_follower_territories", 0, None, None),
    (
        "legacy/Last 60 days.csv",
        date(2023, 1, 14),
        "studio_overview",
        60,
        date(2022, 11, 15),
        date(2023, 1, 13),
    ),
    (
        "legacy/Video Posts.csv",
        date(2023, 1, 14),
        "studio_video_posts",
        5,
        date(2022, 11, 20),
        date(2023, 1, 10),
    ),
    (
        "legacy/Video Posts.xlsx",
        date(2023, 1, 14),
        "studio_video_posts",
        5,
        date(2022, 11, 20),
        date(2023, 1, 10),
    ),
    ("legacy/Gender.csv", date(2023, 1, 14), "studio_follower_gender", 3, None, None),
]


@pytest.mark.parametrize(
    ("name", "export_date", "kind", "rows", "first", "last"), STUDIO_FILES, ids=[f[0] for f in STUDIO_FILES]
)
def test_every_studio_fixture_is_read_whole_with_the_right_dates(
    loaded, name, export_date, kind, rows, first, last
):
    [result], store = loaded(name, export_date=export_date)
    assert result.error is None
    assert (result.kind, result.rows, result.accepted, result.rejected) == (kind, rows, rows, 0)
    assert result.rows == result.accepted + result.rejected
    assert (result.date_from, result.date_to) == (first, last)
    [logged] = store.table("files").to_dict("records")
    assert (logged["rows"], logged["accepted"], logged["rejected"]) == (rows, rows, 0)
    assert store.table("rejects").empty


# --- Overview ----------------------------------------------------------------------------------


def test_overview_sums_and_its_undefined_first_day_is_missing_not_zero(loaded):
    _, store = loaded("studio/Overview.csv", export_date=JAN6)
    daily = by_date(store.table("daily"))
    assert len(daily) == 12
    assert (
        total(daily, "likes"),
        total(daily, "views"),
        total(daily, "profile_views"),
        total(daily, "comments"),
        total(daily, "shares"),
    ) == (154, 3102, 34, 12, 6)
    first = daily.loc[date(2025, 12, 24)]
    for column in ("views", "profile_views", "likes", "comments", "shares"):
        assert pd.isna(first[column]), column
    assert daily["likes"].isna().sum() == 1
    assert daily.loc[date(2026, 1, 4), "likes"] == 9


def test_the_last_two_days_of_a_daily_file_are_provisional(loaded):
    _, store = loaded("studio/Overview.csv", export_date=JAN6)
    daily = by_date(store.table("daily"))
    assert sorted(daily.index[daily["provisional"]]) == [date(2026, 1, 3), date(2026, 1, 4)]


def test_the_overview_zip_takes_its_export_date_from_the_unix_timestamp_and_its_account_from_the_name(loaded):
    [result], store = loaded(ZIP)
    assert result.name.endswith(".zip/Overview.csv")
    assert result.account == "sample.brand"
    assert "2026-01-06" in result.date_basis and "2026-01-04" not in result.date_basis
    raw = store.table("daily_raw")
    assert set(raw["account"]) == {"sample.brand"}
    assert set(pd.to_datetime(raw["snapshot_date"]).dt.date) == {JAN6}
    assert (result.date_from, result.date_to) == (date(2025, 12, 24), date(2026, 1, 4))


@pytest.mark.parametrize(
    ("name", "hints"),
    [
        ("Overview_2026-01-04_1767657600_sample.brand.zip", {"export_date": JAN6, "account": "sample.brand"}),
        (
            "Overview_2026-01-04_1767657600_sample.brand (1).zip",
            {"export_date": JAN6, "account": "sample.brand"},
        ),
        (
            "Viewers_2026-11-20_1795176000_lumen.skincare.zip",
            {"export_date": date(2026, 11, 20), "account": "lumen.skincare"},
        ),
        ("Followers_sample.brand.zip", {"account": "sample.brand"}),
        ("Content_2025-12-26_lumen.skincare.zip", {}),
        ("export.zip", {}),
    ],
)
def test_zip_names_give_the_export_date_from_the_timestamp_and_the_handle(name, hints):
    assert zip_name_hints(name) == hints


def test_the_zip_gives_the_same_days_as_its_csv_with_the_export_date_given(loaded):
    zipped = loaded(ZIP)[1].table("daily").drop(columns="account")
    alone = loaded("studio/Overview.csv", export_date=JAN6)[1].table("daily").drop(columns="account")
    pd.testing.assert_frame_equal(zipped, alone)


@pytest.mark.parametrize(
    ("name", "export_date", "likes", "views", "profile_views", "comments", "shares"),
    [
        ("studio/Overview_greek.csv", date(2026, 3, 2), 280, 2800, 28, 7, 4),
        ("studio/Overview_vietnamese.csv", JAN6, 45, 1800, 18, 0, 9),
        ("studio/Overview_french.csv", date(2026, 9, 7), 268, 2400, 24, 16, 8),
        ("studio/Overview_365_newyear.csv", JAN6, 5723, 93430, 362, 362, 0),
        ("legacy/Last 60 days.csv", date(2023, 1, 14), 947, 15470, 60, 0, 0),
    ],
)
def test_localized_overviews_sum_to_the_worked_totals(
    loaded, name, export_date, likes, views, profile_views, comments, shares
):
    _, store = loaded(name, export_date=export_date)
    daily = store.table("daily")
    assert (
        total(daily, "likes"),
        total(daily, "views"),
        total(daily, "profile_views"),
        total(daily, "comments"),
        total(daily, "shares"),
    ) == (likes, views, profile_views, comments, shares)


def test_greek_genitive_months_give_the_right_days(loaded):
    _, store = loaded("studio/Overview_greek.csv", export_date=date(2026, 3, 2))
    daily = by_date(store.table("daily"))
    assert daily.loc[date(2026, 2, 25), "likes"] == 30
    assert daily.loc[date(2026, 3, 1), "likes"] == 70
    assert daily["likes"].isna().sum() == 3  # 20-22 February are undefined
    defined = daily.dropna(subset=["likes"])
    assert (defined["likes"] / defined["views"] == 0.1).all()


def test_vietnamese_month_names_that_prefix_each_other_and_the_new_year(loaded):
    _, store = loaded("studio/Overview_vietnamese.csv", export_date=JAN6)
    daily = by_date(store.table("daily"))
    assert list(daily.index) == [date(2025, 12, d) for d in range(27, 32)] + [
        date(2026, 1, d) for d in range(1, 6)
    ]
    assert list(daily["likes"].iloc[:9]) == list(range(1, 10))
    assert pd.isna(daily.loc[date(2026, 1, 5), "likes"])


@pytest.mark.parametrize(
    ("language", "days"),
    [
        ("ja", ["12月30日", "12月31日", "1月1日", "1月2日"]),
        ("ko", ["12월 30일", "12월 31일", "1월 1일", "1월 2일"]),
        ("th", ["30 ธ.ค.", "31 ธ.ค.", "1 ม.ค.", "2 ม.ค."]),
        ("ar", ["٣٠ ديسمبر", "٣١ ديسمبر", "١ يناير", "٢ يناير"]),
    ],
)
def test_overviews_from_asian_and_arabic_interfaces_cross_the_new_year(studio_csv, language, days):
    store = Store()
    rows = [(day, "100", "1", str(10 + i), "0", "0") for i, day in enumerate(days)]
    [result] = ingest_files(store, [("Overview.csv", studio_csv(OVERVIEW_HEADER, rows))], export_date=JAN6)
    assert (result.accepted, result.rejected) == (4, 0), result.errors
    daily = by_date(store.table("daily"))
    assert list(daily.index) == [date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 2)]
    assert list(daily["likes"]) == [10, 11, 12, 13]


def test_french_window_with_missing_first_and_last_days(loaded):
    _, store = loaded("studio/Overview_french.csv", export_date=date(2026, 9, 7))
    daily = by_date(store.table("daily"))
    assert pd.isna(daily.loc[date(2026, 8, 28), "likes"]) and pd.isna(daily.loc[date(2026, 9, 6), "likes"])
    assert list(daily.dropna(subset=["likes"])["likes"]) == list(range(30, 38))


def test_a_365_day_window_across_the_new_year_gets_every_year_right(loaded):
    [result], store = loaded("studio/Overview_365_newyear.csv", export_date=JAN6)
    daily = by_date(store.table("daily"))
    assert len(daily) == 365 and daily.index.is_unique
    assert (min(daily.index), max(daily.index)) == (date(2025, 1, 5), date(2026, 1, 4))
    missing = sorted(daily.index[daily["likes"].isna()])
    assert missing == [date(2025, 1, 5), date(2025, 1, 6), date(2026, 1, 4)]
    defined = daily.dropna(subset=["likes"])
    assert all(likes == day.day for day, likes in defined["likes"].items())
    assert all(views == 100 + 10 * day.day for day, views in defined["views"].items())
    assert daily.loc[date(2025, 12, 31), "likes"] == 31
    assert daily.loc[date(2026, 1, 1), "likes"] == 1
    assert sorted(daily.index[daily["provisional"]]) == [date(2026, 1, 3), date(2026, 1, 4)]
    assert (result.date_from, result.date_to) == (date(2025, 1, 5), date(2026, 1, 4))


def test_a_legacy_overview_with_lower_case_headers_crosses_the_new_year(loaded):
    _, store = loaded("legacy/Last 60 days.csv", export_date=date(2023, 1, 14))
    daily = by_date(store.table("daily"))
    assert len(daily) == 60
    assert daily.loc[date(2022, 12, 31), "likes"] == 31
    assert daily.loc[date(2023, 1, 13), "likes"] == 13


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(last=st.dates(date(2001, 1, 1), date(2079, 12, 31)), days=st.integers(1, 365), lag=st.integers(0, 2))
def test_a_daily_window_of_any_length_ending_before_the_export_gets_every_year(
    studio_csv, today, last, days, lag
):
    first = last - timedelta(days=days - 1)
    window = [first + timedelta(days=i) for i in range(days)]
    data = studio_csv(OVERVIEW_HEADER, [[f"{d:%B} {d.day}", "1", "1", str(d.day), "0", "0"] for d in window])
    s = Store()
    [result] = ingest_files(s, [("Overview.csv", data)], export_date=last + timedelta(days=lag), today=today)
    daily = s.table("daily")
    s.close()
    assert result.accepted == days
    assert list(pd.to_datetime(daily["date"]).dt.date) == window


# --- Content -----------------------------------------------------------------------------------


def test_greek_content_takes_its_export_date_from_the_time_column(loaded):
    [result], store = loaded("studio/Content.csv")
    assert "Time column" in result.date_basis and "2026-01-06" in result.date_basis
    videos = store.table("videos").set_index("video_id")
    assert set(videos["snapshot_date"].map(lambda d: pd.Timestamp(d).date())) == {JAN6}
    assert sorted(pd.to_datetime(videos["posted_at"]).dt.date) == [
        date(2025, 12, 20),
        date(2025, 12, 28),
        date(2026, 1, 2),
        date(2026, 1, 4),
    ]
    assert (
        total(videos, "likes"),
        total(videos, "views"),
        total(videos, "comments"),
        total(videos, "shares"),
    ) == (238, 4866, 6, 2)
    assert not videos["posted_time_known"].any()


def test_content_account_and_video_ids_come_from_the_video_link(loaded):
    [result], store = loaded("studio/Content.csv")
    assert result.account == "sample.brand"
    videos = store.table("videos").set_index("video_id")
    assert set(videos["account"]) == {"sample.brand"}
    assert "7590000000000007919" in videos.index
    for video_id, url in videos["url"].items():
        assert url.endswith(f"/video/{video_id}")
    collab = videos[videos["title"].str.contains("#collab")]
    assert len(collab) == 1 and "@partnerbrand" in collab["title"].iloc[0]
    assert videos.loc["7590000000000000000", "title"].endswith("#recipe #fyp ")  # kept as exported


def test_english_content_fifteen_videos_in_no_order_with_one_posted_the_year_before(loaded):
    [result], store = loaded("studio/Content_english.csv")
    assert "2026-11-20" in result.date_basis
    videos = store.table("videos").set_index("video_id")
    assert len(videos) == 15
    posted = pd.to_datetime(videos["posted_at"])
    assert (posted.dt.year == 2025).sum() == 1 and posted.min().date() == date(2025, 12, 15)
    assert (
        total(videos, "likes"),
        total(videos, "views"),
        total(videos, "comments"),
        total(videos, "shares"),
    ) == (1500, 120000, 120, 35)
    assert total(videos, "likes") / total(videos, "views") == 0.0125
    # The id's top bits are the posting time (18:00 UTC of the post day): every year was inferred right.
    for video_id, when in posted.items():
        assert datetime.fromtimestamp(int(video_id) >> 32, tz=UTC).date() == when.date(), video_id
    assert any(t == 'Say "hi" to SPF, finally 🧴 #spf #fyp' for t in videos["title"])
    assert videos["title"].str.endswith(" ").sum() == 6
    assert videos["title"].str.contains("#collab").sum() == 2


def test_legacy_video_posts_read_the_same_from_csv_and_xlsx_despite_the_nbsp_header(loaded):
    csv_videos, xlsx_videos = (
        loaded(name, export_date=date(2023, 1, 14))[1].table("videos")
        for name in ("legacy/Video Posts.csv", "legacy/Video Posts.xlsx")
    )
    pd.testing.assert_frame_equal(csv_videos, xlsx_videos)
    assert (
        total(csv_videos, "views"),
        total(csv_videos, "likes"),
        total(csv_videos, "comments"),
        total(csv_videos, "shares"),
    ) == (15000, 750, 75, 15)
    assert sorted(pd.to_datetime(csv_videos["posted_at"]).dt.date) == [
        date(2022, 11, 20),
        date(2022, 12, 3),
        date(2022, 12, 24),
        date(2023, 1, 2),
        date(2023, 1, 10),
    ]
    assert "SPF in winter? Yes, really #spf" in set(csv_videos["title"])


# --- Viewers, followers, audience --------------------------------------------------------------


def test_viewers_without_bom_keep_undefined_apart_from_zero(loaded):
    _, store = loaded("studio/Viewers.csv", export_date=JAN6)
    daily = by_date(store.table("daily"))
    assert total(daily, "total_viewers") == 606
    last = daily.loc[date(2026, 1, 5)]
    assert pd.isna(last["total_viewers"]) and last["new_viewers"] == 0 and last["returning_viewers"] == 0


def test_follower_history_is_read_from_followers_and_not_from_the_difference_column(loaded):
    _, store = loaded("studio/FollowerHistory_nobom.csv", export_date=date(2026, 1, 5))
    daily = by_date(store.table("daily"))
    assert list(daily.index) == [
        date(2025, 12, 30),
        date(2025, 12, 31),
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 1, 3),
    ]
    assert list(daily["followers"]) == [1000, 1010, 1005, 1030, 1030]
    assert "difference" not in " ".join(store.table("daily_raw").columns)


def test_follower_activity_is_two_days_of_24_hours(loaded):
    _, store = loaded("studio/FollowerActivity.csv", export_date=JAN6)
    activity = store.table("follower_activity")
    assert len(activity) == 48 and total(activity, "active_followers") == 1662
    assert sorted(set(pd.to_datetime(activity["date"]).dt.date)) == [date(2026, 1, 4), date(2026, 1, 5)]
    assert sorted(activity["hour"].unique()) == list(range(24))


def test_header_only_audience_files_are_read_with_zero_rows(loaded):
    results, store = loaded(
        "studio/FollowerGender.csv", "studio/FollowerTopTerritories_headeronly.csv", export_date=JAN6
    )
    assert [(r.error, r.rows, r.accepted, r.rejected) for r in results] == [(None, 0, 0, 0)] * 2
    assert store.table("audience").empty
    assert len(store.table("files")) == 2


def test_top_territories_and_percent_genders_become_fractions(loaded):
    _, store = loaded("studio/FollowerTopTerritories.csv", "legacy/Gender.csv", export_date=JAN6)
    audience = store.table("audience")
    shares = dict(zip(audience["dimension"] + ":" + audience["key"], audience["share"], strict=True))
    assert shares == pytest.approx(
        {
            "territory:GR": 0.412,
            "territory:CY": 0.097,
            "territory:US": 0.051,
            "gender:Female": 0.56,
            "gender:Male": 0.41,
            "gender:Other": 0.03,
        }
    )


def test_the_followers_zip_gives_four_tables_under_the_handle_in_its_name(loaded):
    results, store = loaded("studio/Followers_sample.brand.zip", export_date=JAN6)
    assert sorted(r.name.split("/")[-1] for r in results) == [
        "FollowerActivity.csv",
        "FollowerGender.csv",
        "FollowerHistory.csv",
        "FollowerTopTerritories.csv",
    ]
    assert {r.account for r in results} == {"sample.brand"}
    assert [r.error for r in results] == [None] * 4
    assert sum(r.rows for r in results) == 5 + 48 + 0 + 3
    assert total(store.table("daily"), "followers") == 1200 + 1204 + 1208 + 1212 + 1216


def test_studio_files_without_a_handle_join_the_account_named_in_the_same_upload(loaded):
    results, store = loaded(ZIP, "studio/Viewers.csv")
    assert {r.account for r in results} == {"sample.brand"}
    viewers = next(r for r in results if r.name == "Viewers.csv")
    assert "another file" in viewers.date_basis and "2026-01-06" in viewers.date_basis


def test_a_given_account_overrides_the_one_in_the_links(loaded):
    [result], store = loaded("studio/Content.csv", account="other.brand")
    assert result.account == "other.brand"
    assert set(store.table("videos")["account"]) == {"other.brand"}


# --- repeated and overlapping uploads ----------------------------------------------------------


def test_uploading_the_same_file_twice_changes_nothing(ingest, store):
    ingest("studio/Overview.csv", "studio/Content.csv", export_date=JAN6)
    before = {t: store.table(t) for t in ("daily", "daily_raw", "videos", "videos_raw")}
    [again, _] = ingest("studio/Overview.csv", "studio/Content.csv", export_date=JAN6)
    assert any("Identical" in note for note in again.notes)
    assert (again.rows, again.accepted) == (12, 12)  # still reported, just not stored twice
    for table, frame in before.items():
        pd.testing.assert_frame_equal(store.table(table), frame, obj=table)


def test_the_csv_inside_the_zip_is_the_same_file_as_the_csv_alone(ingest, store):
    ingest(ZIP)
    [alone] = ingest("studio/Overview.csv")
    assert any("Identical" in note for note in alone.notes)
    assert len(store.table("daily_raw")) == 12


def _later_overview(studio_csv) -> bytes:
    """An export of 2026-01-10 covering 2025-12-29 .. 2026-01-08: Jan 3 and 4 have grown since."""
    rows = [
        ["December 29", "265", "4", "12", "2", "1"],
        ["December 30", "282", "2", "17", "0", "0"],
        ["December 31", "299", "3", "11", "1", "1"],
        ["January 1", "316", "4", "16", "2", "0"],
        ["January 2", "333", "2", "10", "0", "1"],
        ["January 3", "400", "3", "20", "1", "0"],
        ["January 4", "420", "4", "25", "2", "1"],
        ["January 5", "100", "1", "5", "0", "0"],
        ["January 6", "110", "1", "6", "0", "0"],
        ["January 7", "120", "1", "7", "0", "0"],
        ["January 8", "undefined", "undefined", "undefined", "undefined", "undefined"],
    ]
    return studio_csv(OVERVIEW_HEADER, rows)


def test_overlapping_exports_build_a_longer_history_where_the_latest_export_wins(
    ingest, ingest_bytes, store, studio_csv
):
    ingest("studio/Overview.csv", export_date=JAN6, account="sample.brand")
    ingest_bytes(
        ("Overview.csv", _later_overview(studio_csv)), export_date=date(2026, 1, 10), account="sample.brand"
    )
    daily = by_date(store.table("daily"))
    assert list(daily.index) == [date(2025, 12, 24) + pd.Timedelta(days=i) for i in range(16)]
    assert daily.index.is_unique  # one row per (account, date)
    assert daily.loc[date(2026, 1, 3), "likes"] == 20 and daily.loc[date(2026, 1, 4), "likes"] == 25
    assert daily.loc[date(2025, 12, 25), "likes"] == 14  # only the first export has it
    # Provisional: only the newest export's last two days; Jan 3 and 4 were settled by the later one.
    assert sorted(daily.index[daily["provisional"]]) == [date(2026, 1, 7), date(2026, 1, 8)]
    assert total(daily, "likes") == 154 - 15 - 9 + 20 + 25 + 5 + 6 + 7


def test_daily_rows_dedupe_per_account_and_date(ingest, ingest_bytes, store, studio_csv):
    ingest("studio/Overview.csv", "studio/Overview_vietnamese.csv", export_date=JAN6, account="a.brand")
    ingest_bytes(
        ("Overview.csv", _later_overview(studio_csv)), export_date=date(2026, 1, 10), account="b.brand"
    )
    daily = store.table("daily")
    assert not daily.duplicated(["account", "date"]).any()
    # a.brand: Dec 24 - Jan 4 and Dec 27 - Jan 5 overlap into 13 days; b.brand: Dec 29 - Jan 8.
    assert daily.groupby("account").size().to_dict() == {"a.brand": 13, "b.brand": 11}
    a_brand = by_date(daily[daily["account"] == "a.brand"])
    # Both a.brand exports are dated Jan 6: the tie keeps the larger value, whatever the upload order.
    assert a_brand.loc[date(2025, 12, 27), "likes"] == 13
    assert pd.isna(a_brand.loc[date(2026, 1, 5), "likes"])  # undefined in the only export that has it


def _later_content(studio_csv) -> bytes:
    """Content exported 2026-01-10: two of the Greek sample's videos with more likes, one new video."""
    link = "https://www.tiktok.com/@sample.brand/video/"
    rows = [
        ["January 10", "Q&A part 2 #qna", link + "7590000000000023757", "January 4", "120", "5", "2", "2500"],
        [
            "January 10",
            "Behind the scenes with @partnerbrand #collab",
            link + "7590000000000007919",
            "December 28",
            "60",
            "1",
            "0",
            "1300",
        ],
        ["January 10", "Fresh one #new", link + "7590000000000031676", "January 8", "10", "0", "0", "200"],
    ]
    return studio_csv(CONTENT_HEADER, rows)


def test_videos_dedupe_on_the_link_id_keeping_the_latest_snapshot(ingest, ingest_bytes, store, studio_csv):
    ingest("studio/Content.csv")
    ingest_bytes(("Content (1).csv", _later_content(studio_csv)))
    videos = store.table("videos").set_index("video_id")
    assert len(videos) == 5 and len(store.table("videos_raw")) == 7
    assert videos.loc["7590000000000023757", "likes"] == 120
    assert videos.loc["7590000000000007919", "likes"] == 60
    assert videos.loc["7590000000000000000", "likes"] == 40  # only in the older export
    assert pd.Timestamp(videos.loc["7590000000000023757", "snapshot_date"]).date() == date(2026, 1, 10)


# --- order of uploads -------------------------------------------------------------------------

# Overlapping daily files (ties broken by value), videos, another daily kind and an audience file.
ORDER_FILES = [
    "studio/Overview.csv",
    "studio/Overview_vietnamese.csv",
    "studio/Viewers.csv",
    "studio/Content.csv",
    "studio/FollowerTopTerritories.csv",
]
CANONICAL = ("daily", "videos", "follower_activity", "audience", "ads")
_IN_LISTED_ORDER: dict[str, pd.DataFrame] = {}


def _tables(ingest_into, order: list[str], batches: bool) -> dict[str, pd.DataFrame]:
    s = Store()
    for batch in [[name] for name in order] if batches else [order]:
        ingest_into(s, *batch, export_date=JAN6, account="sample.brand")
    tables = {t: s.table(t) for t in CANONICAL}
    s.close()
    return tables


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(ORDER_FILES), batches=st.booleans())
def test_the_order_of_uploaded_files_does_not_change_the_tables(ingest_into, order, batches):
    if not _IN_LISTED_ORDER:  # computed once, on the first example
        _IN_LISTED_ORDER.update(_tables(ingest_into, ORDER_FILES, batches=False))
    expected = _IN_LISTED_ORDER
    actual = _tables(ingest_into, list(order), batches)
    assert len(expected["daily"]) == 13 and len(expected["videos"]) == 4
    for table in CANONICAL:
        pd.testing.assert_frame_equal(actual[table], expected[table], obj=table)


# --- hand-made Studio files with problems ------------------------------------------------------


def test_bad_rows_are_rejected_with_their_line_and_reason_and_the_rest_kept(ingest_bytes, store, studio_csv):
    rows = [
        ["February 27", "10", "1", "1", "0", "0"],
        ["February 29", "10", "1", "1", "0", "0"],  # line 3: 2026 has no February 29
        ["February 30", "10", "1", "1", "0", "0"],  # line 4: no such day
        ["03/04", "10", "1", "1", "0", "0"],  # line 5: day/month or month/day?
        ["March 1", "abc", "1", "-5", "0", "0"],  # line 6: a bad count (a day's net -5 likes is real)
        ["March 2", "1,234", "1", "1.2K", "N/A", "-"],
        ["March 3", "3.4M", "#N/A", "", "0", "0"],
    ]
    [result] = ingest_bytes(("Overview.csv", studio_csv(OVERVIEW_HEADER, rows)), export_date=date(2026, 3, 5))
    assert (result.rows, result.accepted, result.rejected) == (7, 3, 4)
    reasons = {(e["line"], e["column"]): e["reason"] for e in result.errors}
    assert "does not exist in 2026" in reasons[(3, "Date")]
    assert "no such day" in reasons[(4, "Date")]
    assert "day/month or month/day" in reasons[(5, "Date")] and "--date-order" in reasons[(5, "Date")]
    assert "is not a count" in reasons[(6, "Video Views")] and (6, "Likes") not in reasons
    assert all(r.startswith(f"Line {line}") for (line, _), r in reasons.items())
    daily = by_date(store.table("daily"))
    assert list(daily.index) == [date(2026, 2, 27), date(2026, 3, 2), date(2026, 3, 3)]
    march2, march3 = daily.loc[date(2026, 3, 2)], daily.loc[date(2026, 3, 3)]
    assert (march2["views"], march2["likes"]) == (1234, 1200)
    assert pd.isna(march2["comments"]) and pd.isna(march2["shares"])
    assert march3["views"] == 3_400_000 and pd.isna(march3["profile_views"]) and pd.isna(march3["likes"])
    logged = store.table("rejects")
    assert sorted(set(logged["line"])) == [3, 4, 5, 6] and len(logged) == 4


def test_line_numbers_count_the_lines_of_captions_with_line_breaks(ingest_bytes, store, studio_csv):
    link = "https://www.tiktok.com/@sample.brand/video/"
    rows = [
        ["January 10", "Two lines\nof caption\n#fyp", link + "1", "January 2", "5", "0", "0", "50"],  # 2-4
        ["January 10", "ok", link + "2", "January 3", "lots", "0", "0", "50"],  # 5
        ["January 10", "ok", link + "3", "January 3", "5", "0", "0"],  # 6
        ["January 10", "ok", link + "4", "January 40", "5", "0", "0", "50"],
    ]  # 7
    [result] = ingest_bytes(("Content.csv", studio_csv(CONTENT_HEADER, rows)))
    assert (result.rows, result.accepted, result.rejected) == (4, 1, 3)
    assert [(e["line"], e["column"]) for e in result.errors] == [
        (5, "Total likes"),
        (6, None),
        (7, "Post time"),
    ]
    [title] = store.table("videos")["title"]
    assert title == "Two lines\nof caption\n#fyp"


def test_a_content_video_older_than_a_year_gets_its_year_from_the_video_id(store):
    from kpi_core.ingest import ingest_files

    posted = int(datetime(2024, 6, 30, 18, 0).timestamp())
    old_id = (posted << 32) | 4242  # TikTok ids carry the posting time in their top 32 bits
    content = (
        '\ufeff"Time","Video title","Video link","Post time","Total likes","Total comments",'
        '"Total shares","Total views"\n'
        f'"November 20","Old evergreen #tbt","https://www.tiktok.com/@brand/video/{old_id}",'
        '"June 30","900","1","2","9000"\n'
        '"November 20","Fresh one","https://www.tiktok.com/@brand/video/7590000000000000000",'
        '"June 30","10","0","0","100"'
    ).encode()
    [result] = ingest_files(store, [("Content.csv", content)], today=date(2026, 11, 25))
    assert result.accepted == 2
    videos = store.table("videos").set_index("video_id")
    assert videos.loc[str(old_id), "posted_at"].date() == date(2024, 6, 30)
    # Without a matching id date the export date decides: the June 30 before November 20, 2026.
    assert videos.loc["7590000000000000000", "posted_at"].date() == date(2026, 6, 30)


# --- the account of files that name none -------------------------------------------------------


def test_a_lone_overview_waits_under_a_placeholder_and_moves_to_the_handle_named_later(ingest, store):
    [overview] = ingest("studio/Overview.csv", export_date=JAN6)
    assert overview.account == "my account"
    assert any("No account handle in this file" in note for note in overview.notes)
    days = store.table("daily", "my account").drop(columns="account")
    [content] = ingest("studio/Content.csv")
    assert content.account == "sample.brand" and content.took_over == "my account"
    assert "12 row(s) read earlier without a handle" in content.notes[-1]
    assert store.accounts() == ["sample.brand"]
    assert set(store.table("files")["account"]) == {"sample.brand"}
    pd.testing.assert_frame_equal(store.table("daily", "sample.brand").drop(columns="account"), days)


def test_a_handle_typed_later_takes_over_the_placeholder_too(ingest, store):
    ingest("studio/Overview.csv", export_date=JAN6)
    [viewers] = ingest("studio/Viewers.csv", export_date=JAN6, account="my.brand")
    assert viewers.took_over == "my account"
    assert store.accounts() == ["my.brand"]


def test_a_lone_studio_file_is_never_filed_under_a_scraped_competitor(ingest, store):
    ingest("scrapers/apify.json")
    competitors = store.accounts()
    [overview] = ingest("studio/Overview.csv", export_date=JAN6)
    assert overview.account == "my account" and "my account" not in competitors
    assert store.own_account() == "my account"


# --- one statement from text to canonical rows ----------------------------------------------


def finished_rows(fixtures, name: str, text: str | None = None, *, fused: bool) -> tuple[bool, list]:
    """A Studio file (or `text` under its name) read into canonical rows, normalised and finished
    in one statement (`fused`) or two; (whether the one statement kept them, the rows)."""
    from kpi_core.ingest.expressions import expressions
    from kpi_core.ingest.loading import load_sheet
    from kpi_core.ingest.readers import read_upload
    from kpi_core.ingest.rows import finish_plan, finish_rows
    from kpi_core.store import schema
    from kpi_core.store.raw_reader import UploadConnection

    data = text.encode() if text is not None else (fixtures / "studio" / name).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        upload = UploadConnection(allowed_directory=tmp)
        try:
            [sheet] = list(read_upload(name, data, Path(tmp), 2**20))
            item = load_sheet(sheet, {}, True, upload)
            item.account, item.export_date = "brand", JAN6
            sql = expressions(item, {}, None)
            kept = False
            if fused:
                plan = finish_plan(item, {c for c, _ in sql.select})
                table = schema.RAW_TABLES[item.fmt.table]
                kept = item.reader.normalise_and_finish(
                    sql.select, sql.problems, sql.joins, table, plan.exprs,
                    {**sql.params, **plan.params}, plan.derived,
                )  # fmt: skip
            if not kept:
                item.reader.normalise(sql.select, sql.problems, sql.joins, params=sql.params)
                finish_rows(item)
            rows = item.reader.con.execute(f"SELECT * FROM {item.reader.table}_rows").fetchall()
            return kept, rows
        finally:
            upload.close()


@pytest.mark.parametrize(
    "name", ["Overview.csv", "Viewers.csv", "FollowerHistory.csv", "FollowerActivity.csv", "Content.csv"]
)
def test_a_file_of_no_problem_reads_the_same_in_one_statement_as_in_two(fixtures, name):
    kept, rows = finished_rows(fixtures, name, fused=True)
    assert kept
    assert rows == finished_rows(fixtures, name, fused=False)[1]


def test_a_file_with_a_rejected_row_is_read_in_two_statements_with_the_same_rows(fixtures):
    text = '"Date","Video Views","Profile Views","Likes","Comments","Shares"\n"January 1","10","1","2","0","0"\n"soon","11","1","2","0","0"\n"January 5","12","1","3","0","0"\n'
    kept, rows = finished_rows(fixtures, "Overview.csv", text, fused=True)
    assert not kept  # the one statement kept nothing: the problems must be found and reported
    assert [(r[1], r[2]) for r in rows] == [(date(2026, 1, 1), 10), (date(2026, 1, 5), 12)]
    assert [r[-3] for r in rows] == [False, True]  # within 2 days of the last accepted day: provisional
