"""The ingestion rules of the "Real accounts" issue, one section per rule, on hand-made bytes in the
real export formats whose answers can be worked out on paper."""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_core.ingest import DEFAULT_ACCOUNT, formats, ingest_files
from kpi_core.ingest.mapping import mapped_format
from kpi_core.ingest.unused import unused_columns
from kpi_core.store import Store

JAN6 = date(2026, 1, 6)
OVERVIEW = ("Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares")
CONTENT = (
    "Time",
    "Video title",
    "Video link",
    "Post time",
    "Total likes",
    "Total comments",
    "Total shares",
    "Total views",
)
HISTORY = ("Date", "Followers", "Difference in followers from previous day")
ACTIVITY = ("Date", "Hour", "Active followers")
LINK = "https://www.tiktok.com/@sample.brand/video/"


def plain_csv(*lines: str) -> bytes:
    """The older analytics export: no BOM, quotes only where needed, a newline after every line."""
    return ("\n".join(lines) + "\n").encode()


def legacy_overview(dates: list[str]) -> bytes:
    """`Last 60 days.csv` (2022): one row per date; day n has 10n views, n likes, 1 comment."""
    rows = [f"{d},{10 * n},1,{n},1,0" for n, d in enumerate(dates, start=1)]
    return plain_csv("Date,Video views,Profile views,Likes,Comments,Shares", *rows)


def days(store: Store) -> list[str]:
    return [str(pd.Timestamp(d).date()) for d in store.table("daily").sort_values("date")["date"]]


def accounted(result) -> bool:
    return result.error is None and result.rows == result.accepted + result.rejected


# --- 1. Net daily counts may be below zero ------------------------------------------------------


def test_a_negative_daily_comment_count_is_kept_summed_and_noted_once(ingest_bytes, store, studio_csv):
    rows = [
        ["January 1", "100", "2", "10", "3", "1"],
        ["January 2", "90", "1", "9", "-2", "0"],  # two more comments deleted than written
        ["January 3", "80", "1", "8", "1", "1"],
        ["January 4", "70", "0", "7", "-1", "0"],
    ]
    [result] = ingest_bytes(("Overview.csv", studio_csv(OVERVIEW, rows)), export_date=JAN6)
    assert accounted(result) and (result.rows, result.accepted, result.errors) == (4, 4, [])
    daily = store.table("daily").set_index("date")
    assert int(daily["comments"].sum()) == 3 - 2 + 1 - 1
    assert int(daily.loc[pd.Timestamp("2026-01-02"), "comments"]) == -2
    assert int(daily["likes"].sum()) == 34
    [note] = [n for n in result.notes if "negative" in n]
    assert note.startswith("2 day(s) have a negative count ('Comments' on 2): kept")
    assert "TikTok counts comments net of deleted ones" in note


def test_negative_likes_views_and_comments_are_one_note_naming_each_column(ingest_bytes, store, studio_csv):
    rows = [
        ["January 1", "−5", "1", "-1", "0", "0"],  # Unicode minus, as spreadsheets write it
        ["January 2", "50", "1", "5", "-1", "0"],
        ["January 3", "50", "1", "5", "1", "0"],
    ]
    [result] = ingest_bytes(("Overview.csv", studio_csv(OVERVIEW, rows)), export_date=JAN6)
    assert (result.accepted, result.rejected) == (3, 0)
    daily = store.table("daily")
    assert (int(daily["views"].sum()), int(daily["likes"].sum()), int(daily["comments"].sum())) == (95, 9, 0)
    [note] = [n for n in result.notes if "negative" in n]
    assert note.startswith(
        "2 day(s) have a negative count ('Video Views' on 1, 'Likes' on 1, 'Comments' on 1)"
    )
    assert "net of deleted ones" in note and "likes taken back" in note


def test_a_per_day_sheet_of_your_own_keeps_its_negative_days(ingest_bytes, store):
    sheet = plain_csv("Day,Hearts,Plays", "2026-03-01,10,100", "2026-03-02,-2,50")
    [result] = ingest_bytes(("tracker.csv", sheet))
    assert (result.kind, result.accepted, result.rejected) == ("mapped_daily", 2, 0)
    assert int(store.table("daily")["likes"].sum()) == 8
    assert any("'Hearts' on 1" in n for n in result.notes)


@pytest.mark.parametrize(
    ("name", "data", "column"),
    [
        (
            "Content.csv",
            '"Time","Video title","Video link","Post time","Total likes","Total comments","Total shares",'
            f'"Total views"\n"January 6","a","{LINK}7590000000000000001","January 2","10","0","0","100"\n'
            f'"January 6","b","{LINK}7590000000000000002","January 3","-3","0","0","100"',
            "Total likes",
        ),
        (
            "scrape.csv",
            "id,createTimeISO,diggCount,playCount\n1,2026-01-01T10:00:00Z,5,50\n2,2026-01-02T10:00:00Z,-5,50",
            "diggCount",
        ),
        ("FollowerHistory.csv", '"Date","Followers"\n"January 1","100"\n"January 2","-5"', "Followers"),
        (
            "Viewers.csv",
            '"Date","Total Viewers","New Viewers","Returning Viewers"\n"January 1","5","3","2"\n'
            '"January 2","-1","0","0"',
            "Total Viewers",
        ),
    ],
    ids=["content total", "scraper total", "followers", "viewers"],
)
def test_totals_and_counts_of_people_stay_non_negative(ingest_bytes, store, name, data, column):
    [result] = ingest_bytes((name, data.encode()), export_date=JAN6)
    assert accounted(result) and (result.rows, result.accepted, result.rejected) == (2, 1, 1)
    [error] = result.errors
    assert (error["line"], error["column"]) == (3, column) and error["reason"].endswith("is negative")
    assert not any("negative count" in n for n in result.notes)


@settings(max_examples=20, deadline=None)
@given(comments=st.lists(st.integers(-40, 40), min_size=1, max_size=20))
def test_any_net_comment_counts_are_all_kept_and_sum_as_written(comments):
    text = "\n".join(f"2026-01-{d:02d},100,1,5,{c},0" for d, c in enumerate(comments, start=1))
    store = Store()
    try:
        [result] = ingest_files(
            store,
            [
                (
                    "Last 60 days.csv",
                    ("Date,Video views,Profile views,Likes,Comments,Shares\n" + text).encode(),
                )
            ],
            export_date=date(2026, 2, 1),
        )
        assert (result.rows, result.accepted) == (len(comments), len(comments))
        assert int(store.table("daily")["comments"].sum()) == sum(comments)
        negative = sum(c < 0 for c in comments)
        assert sum("negative count" in n for n in result.notes) == (1 if negative else 0)
    finally:
        store.close()


# --- 2. Day/month order is a property of the column ---------------------------------------------

# dates as written, the order given, export date -> the days stored, the dates rejected, note words
ORDER_CASES = [
    pytest.param(
        ["29/6/2022", "30/6/2022", "1/7/2022", "2/7/2022"],
        None,
        date(2022, 7, 3),
        ["2022-06-29", "2022-06-30", "2022-07-01", "2022-07-02"],
        [],
        "read day first (day/month), as '29/6/2022' shows",
        id="a day above 12 settles day first",
    ),
    pytest.param(
        ["6/29/2022", "6/30/2022", "7/1/2022"],
        None,
        date(2022, 7, 3),
        ["2022-06-29", "2022-06-30", "2022-07-01"],
        [],
        "read month first (month/day), as '6/29/2022' shows",
        id="a day above 12 settles month first",
    ),
    pytest.param(
        ["1/5/2022", "2/5/2022", "3/5/2022"],
        None,
        date(2022, 12, 31),
        ["2022-05-01", "2022-05-02", "2022-05-03"],
        [],
        "the only order that makes the rows consecutive days",
        id="consecutive days settle day first",
    ),
    pytest.param(
        ["5/1/2022", "5/2/2022", "5/3/2022"],
        None,
        date(2022, 12, 31),
        ["2022-05-01", "2022-05-02", "2022-05-03"],
        [],
        "the only order that makes the rows consecutive days",
        id="consecutive days settle month first",
    ),
    pytest.param(
        ["3/4/2022", "5/6/2022"],
        None,
        date(2022, 5, 10),
        ["2022-03-04", "2022-05-06"],
        [],
        "the only order that puts no date after the export date (2022-05-10)",
        id="the export date settles month first",
    ),
    pytest.param(
        ["3/4/2022", "5/6/2022"],
        None,
        date(2022, 12, 31),
        [],
        ["3/4/2022", "5/6/2022"],
        "nothing in the file settles which",
        id="nothing settles it",
    ),
    pytest.param(
        ["3/4/2022", "5/6/2022"],
        "dmy",
        date(2022, 12, 31),
        ["2022-04-03", "2022-06-05"],
        [],
        "read day first (day/month), as given (upload options, or --date-order)",
        id="the order given: day first",
    ),
    pytest.param(
        ["3/4/2022", "5/6/2022"],
        "mdy",
        date(2022, 12, 31),
        ["2022-03-04", "2022-05-06"],
        [],
        "read month first (month/day), as given (upload options, or --date-order)",
        id="the order given: month first",
    ),
    pytest.param(
        ["20/6/2022", "6/21/2022", "7/6/2022"],
        None,
        date(2022, 12, 31),
        ["2022-06-20", "2022-06-21"],
        ["7/6/2022"],
        "mixes both orders: '20/6/2022' can only be day first and '6/21/2022' only month first",
        id="a column holding both orders",
    ),
]


@pytest.mark.parametrize(("written", "given", "exported", "stored", "rejected", "note"), ORDER_CASES)
def test_the_day_month_order_is_decided_per_column(
    ingest_bytes, store, written, given, exported, stored, rejected, note
):
    [result] = ingest_bytes(
        ("Last 60 days.csv", legacy_overview(written)), export_date=exported, date_order=given
    )
    assert accounted(result) and result.rejected == len(rejected)
    assert days(store) == stored
    assert [e["reason"].split(": ", 1)[1].split("'")[1] for e in result.errors] == rejected
    assert any(note in n for n in result.notes), result.notes


def test_an_undecided_date_says_what_to_do(ingest_bytes):
    [result] = ingest_bytes(("Last 60 days.csv", legacy_overview(["3/4/2022", "5/6/2022"])), export_date=JAN6)
    assert [e["reason"] for e in result.errors] == [
        "Line 2, column 'Date': '3/4/2022' could be day/month or month/day, and nothing in the file "
        "settles which: give the day/month order under upload options, or --date-order",
        "Line 3, column 'Date': '5/6/2022' could be day/month or month/day, and nothing in the file "
        "settles which: give the day/month order under upload options, or --date-order",
    ]
    [note] = [n for n in result.notes if "settles" in n]
    assert note.startswith("Column 'Date': 2 date(s) such as '3/4/2022' could be day/month or month/day")


def test_a_given_order_rejects_the_dates_it_cannot_read(ingest_bytes, store):
    written = ["20/6/2022", "1/7/2022"]
    [result] = ingest_bytes(
        ("Last 60 days.csv", legacy_overview(written)), export_date=JAN6, date_order="mdy"
    )
    assert days(store) == ["2022-01-07"]
    [error] = result.errors
    assert error["reason"] == "Line 2, column 'Date': '20/6/2022' is not a date in month/day order"


def test_the_2022_export_that_lost_22_of_59_rows_keeps_them_all(ingest_bytes, store):
    """Day first shows only from 13/5/2022 on: the rows before it were rejected one by one."""
    written = [f"{d}/5/2022" for d in range(4, 32)] + [f"{d}/6/2022" for d in range(1, 31)] + ["1/7/2022"]
    [result] = ingest_bytes(("Last 60 days.csv", legacy_overview(written)), export_date=date(2022, 7, 3))
    assert (result.rows, result.accepted, result.rejected) == (59, 59, 0)
    stored = days(store)
    assert (stored[0], stored[-1], len(set(stored))) == ("2022-05-04", "2022-07-01", 59)


def test_each_column_has_its_own_order(ingest_bytes, store):
    day_first = legacy_overview(["29/6/2022", "30/6/2022", "1/7/2022"])
    month_first = plain_csv(
        "Date,Followers,Difference in followers from previous day", "6/29/2022,10,0", "7/1/2022,12,2"
    )
    overview, history = ingest_bytes(
        ("Last 60 days.csv", day_first), ("Total followers.csv", month_first), export_date=date(2022, 7, 3)
    )
    assert (overview.rejected, history.rejected) == (0, 0)
    daily = store.table("daily").set_index("date")
    assert int(daily.loc[pd.Timestamp("2022-07-01"), "likes"]) == 3
    assert int(daily.loc[pd.Timestamp("2022-07-01"), "followers"]) == 12


def test_an_unknown_date_order_is_refused(store):
    with pytest.raises(ValueError, match="date_order must be one of dmy, mdy"):
        ingest_files(store, [], date_order="ymd")


# --- 3. Hours numbered 1 to 24 ------------------------------------------------------------------


def test_hours_numbered_1_to_24_are_stored_as_0_to_23(ingest_bytes, store, studio_csv):
    rows = [["January 4", str(h), str(10 * h)] for h in range(1, 25)]
    [result] = ingest_bytes(("FollowerActivity.csv", studio_csv(ACTIVITY, rows)), export_date=JAN6)
    assert (result.rows, result.accepted, result.rejected) == (24, 24, 0)
    activity = store.table("follower_activity").set_index("hour")["active_followers"]
    assert list(activity.index) == list(range(24))
    assert (int(activity[0]), int(activity[23])) == (10, 240)  # hour 1 (from midnight) is 0:00
    assert any("numbers the hours 1 to 24" in n for n in result.notes)


def test_hours_0_to_23_are_stored_as_they_are(ingest_bytes, store, studio_csv):
    rows = [["January 4", str(h), str(10 * h)] for h in range(24)]
    [result] = ingest_bytes(("FollowerActivity.csv", studio_csv(ACTIVITY, rows)), export_date=JAN6)
    assert result.accepted == 24 and not any("hours" in n for n in result.notes)
    assert int(store.table("follower_activity").set_index("hour").loc[23, "active_followers"]) == 230


def test_an_hour_past_24_is_rejected_in_a_file_numbering_1_to_24(ingest_bytes, studio_csv):
    rows = [["January 4", "1", "5"], ["January 4", "24", "5"], ["January 4", "25", "5"]]
    [result] = ingest_bytes(("FollowerActivity.csv", studio_csv(ACTIVITY, rows)), export_date=JAN6)
    assert (result.accepted, result.rejected) == (2, 1)
    assert result.errors[0]["reason"] == "Line 4, column 'Hour': is not an hour 1-24"


# --- 4. Every metric a file holds; unused columns are named --------------------------------------


def test_the_2021_combined_daily_file_stores_views_profile_views_and_followers(ingest_bytes, store):
    data = plain_csv(
        "Date,Video views,Followers,Difference in followers from previous day,Profile views",
        "2021-03-01,100,500,3,5",
        "2021-03-02,120,498,-2,6",
        "2021-03-03,90,503,5,4",
    )
    [result] = ingest_bytes(("Last 60 days.csv", data), export_date=date(2021, 3, 4))
    assert (result.kind, result.accepted, result.rejected) == ("studio_overview", 3, 0)
    daily = store.table("daily")
    assert (int(daily["views"].sum()), int(daily["profile_views"].sum())) == (310, 15)
    assert list(daily.sort_values("date")["followers"]) == [500, 498, 503]
    assert daily["likes"].isna().all()
    assert (
        "Column 'Difference in followers from previous day' is not stored: the daily change is "
        "recomputed from Followers, because real files disagree on whether it is the change from the "
        "previous day or to the next one"
    ) in result.notes


def test_a_daily_file_stores_every_daily_metric_it_holds(ingest_bytes, store, studio_csv):
    header = (*OVERVIEW, "Followers")
    rows = [["January 1", "100", "2", "10", "3", "1", "700"], ["January 2", "90", "1", "9", "1", "0", "705"]]
    [result] = ingest_bytes(("Overview.csv", studio_csv(header, rows)), export_date=JAN6)
    assert (result.kind, result.accepted) == ("studio_overview", 2)
    assert list(store.table("daily").sort_values("date")["followers"]) == [700, 705]
    assert not any("not stored" in n for n in result.notes)


def test_a_column_another_export_would_store_is_named_not_dropped(ingest_bytes, studio_csv):
    rows = [["January 6", "a", f"{LINK}7590000000000000001", "January 2", "10", "0", "0", "100", "12"]]
    [result] = ingest_bytes(("Content.csv", studio_csv((*CONTENT, "Likes"), rows)), export_date=JAN6)
    assert result.accepted == 1
    assert (
        "Column 'Likes' is not stored: a TikTok Studio Content is read for its own columns only"
        in result.notes
    )


def _all_known_headers(fmt: formats.Format) -> list[str]:
    known = [*fmt.signature, *fmt.any_of, *(h for c in fmt.columns for h in c.headers)]
    return list(dict.fromkeys(known))


@pytest.mark.parametrize("fmt", formats.RECOGNISED, ids=lambda f: f"{f.kind}:{f.label}")
def test_every_header_a_format_knows_is_stored_or_named_in_a_note(fmt):
    header = _all_known_headers(fmt)
    stored = {next(h for h in c.headers if h in header) for c in fmt.columns}
    notes = unused_columns(fmt, header)
    for name in set(header) - stored:
        assert sum(f"'{name}'" in note for note in notes) == 1, (name, notes)
    for name in stored:
        assert not any(f"'{name}'" in note.split(":")[0] for note in notes), (name, notes)


@pytest.mark.parametrize(
    ("fmt", "header", "words"),
    [
        (formats.STUDIO_FOLLOWER_HISTORY, list(HISTORY), "'Difference in followers from previous day' is"),
        (formats.ADS_REPORT, ["Ad name", "By Day", "Cost", "CPM", "Frequency"], "'CPM', 'Frequency' are"),
        (formats.ADS_REPORT, ["Ad name", "Cost", "Video views at 25%"], "'Video views at 25%' is"),
        (formats.SCRAPER_VIDEOS, ["id", "createTimeISO", "createTime", "diggCount"], "'createTimeISO' gives"),
        (formats.SCRAPER_VIDEOS, ["id", "diggCount", "hashtags/0/name"], "read from the caption"),
        (formats.ARCHIVE_POSTS, ["Date", "Likes", "Link", "Sound", "WhoCanView"], "'Sound', 'WhoCanView' are"),
        (mapped_format({"date": "Day", "likes": "Hearts", "saves": "Saves"}), ["Day", "Hearts", "Saves"],
         "'Saves' is not stored: a per-day sheet has no saves column"),
    ],
)  # fmt: skip
def test_unused_column_notes_say_which_columns_and_why(fmt, header, words):
    assert any(words in note for note in unused_columns(fmt, header))


@pytest.mark.parametrize("fmt", [formats.STUDIO_OVERVIEW, formats.STUDIO_CONTENT, formats.STUDIO_VIEWERS])
def test_formats_that_store_every_column_add_no_note(fmt):
    assert unused_columns(fmt, _all_known_headers(fmt)) == []


# --- 5. TikTok's "Download your data" archive ----------------------------------------------------

POST_A = {
    "Date": "2025-08-06 19:08:26",
    "Link": "https://www.tiktokv.com/share/video/7535000000000000001/",
    "Likes": "12",
    "WhoCanView": "Everyone",
    "Sound": "original sound - jules.paints",
    "Location": "",
    "Title": "Sea at dusk",
    "ContentDisclosure": "Branded Content",
    "AIGeneratedContent": "",
}
POST_B = POST_A | {
    "Date": "2025-07-01 08:00:00",
    "Link": "https://www.tiktokv.com/share/video/7520000000000000002/",
    "Likes": "0",
    "Title": "N/A",
}
WATCHED = {"Date": "2025-08-01 10:00:00", "Link": "https://www.tiktokv.com/share/video/7400000000000000009/"}


def archive(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


PART_WITH_PROFILE = archive(
    {
        "Profile": {"Profile Info": {"ProfileMap": {"userName": "jules.paints", "bioDescription": "🎨"}}},
        "Activity": {
            "Video Browsing History": {"VideoList": [WATCHED, WATCHED]},
            "Favorite Videos": {"FavoriteVideoList": [WATCHED]},
        },
        "Comment": {"Comments": {"CommentsList": [{"date": WATCHED["Date"], "comment": "so calm"}]}},
        "Post": {"Posts": {"VideoList": [POST_A, POST_B]}},
    }
)
# An older archive nests its posts elsewhere, and a video's likes there are an earlier count.
OLDER_ARCHIVE = archive(
    {
        "Video": {"Videos": {"VideoList": [POST_B | {"Likes": "0"}, POST_A | {"Likes": "5"}]}},
        "Activity": {"Video Browsing History": {"VideoList": [WATCHED]}},
    }
)


def test_archive_posts_are_the_accounts_own_videos_with_likes_and_no_views(ingest_bytes, store):
    [result] = ingest_bytes(("user_data_tiktok.json", PART_WITH_PROFILE))
    assert (result.kind, result.account, result.rows, result.accepted) == (
        "archive_posts",
        "jules.paints",
        2,
        2,
    )
    videos = store.table("videos").set_index("video_id")
    assert sorted(videos.index) == ["7520000000000000002", "7535000000000000001"]
    post = videos.loc["7535000000000000001"]
    assert (int(post["likes"]), post["title"], bool(post["posted_time_known"])) == (12, "Sea at dusk", True)
    assert pd.Timestamp(post["posted_at"]) == pd.Timestamp(datetime(2025, 8, 6, 19, 8, 26))
    assert videos["views"].isna().all()
    assert pd.isna(videos.loc["7520000000000000002", "title"])  # "N/A" is missing
    assert store.table("videos_raw")["posted_zone"].isna().all()  # the account's local time, not UTC
    assert store.primary_account() == "jules.paints"
    [skipped] = [n for n in result.notes if n.startswith("Posts read from")]
    assert skipped == (
        "Posts read from Post > Posts > VideoList; skipped as not your posts (comments, favourites, "
        "watch history and the like): Activity > Video Browsing History > VideoList (2 records), "
        "Activity > Favorite Videos > FavoriteVideoList (1 records), Comment > Comments > CommentsList (1 records)"
    )
    assert any("'Sound'" in n and "not stored" in n for n in result.notes)


@pytest.mark.parametrize("order", [(0, 1), (1, 0)], ids=["newer first", "older first"])
def test_split_and_older_archives_are_one_account_with_each_video_once(ingest_bytes, store, order):
    files = [("user_data_tiktok_1.json", PART_WITH_PROFILE), ("user_data_tiktok_2024.json", OLDER_ARCHIVE)]
    results = ingest_bytes(*(files[i] for i in order))
    assert all(accounted(r) and r.rejected == 0 for r in results)
    assert {r.account for r in results} == {"jules.paints"}  # the older part names no one
    older = next(r for r in results if r.name == "user_data_tiktok_2024.json")
    assert older.notes[0] == (
        "Posts read from Video > Videos > VideoList; skipped as not your posts (comments, favourites, "
        "watch history and the like): Activity > Video Browsing History > VideoList (1 records)"
    )
    videos = store.table("videos").set_index("video_id")
    assert len(videos) == 2 and int(videos.loc["7535000000000000001", "likes"]) == 12  # the later count


def test_an_archive_part_naming_no_one_waits_under_the_placeholder_until_one_does(ingest_bytes, store):
    [first] = ingest_bytes(("user_data_tiktok_2024.json", OLDER_ARCHIVE))
    assert first.account == DEFAULT_ACCOUNT
    assert any("No account handle in this file" in n for n in first.notes)
    [second] = ingest_bytes(("user_data_tiktok.json", PART_WITH_PROFILE))
    assert second.took_over == DEFAULT_ACCOUNT
    assert store.accounts() == ["jules.paints"]


def test_watch_history_alone_is_not_posts(ingest_bytes):
    lonely = archive({"Activity": {"Video Browsing History": {"VideoList": [WATCHED]}}})
    [result] = ingest_bytes(("user_data_tiktok.json", lonely))
    assert result.error is not None and "holds no list of video records" in result.error
