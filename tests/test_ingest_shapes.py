"""Every account shape of data/shapes.py read end to end: every real row is accepted and the store
holds exactly what the shape's truth says (its sums are computed from the rows as written)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pandas as pd
import pytest

from data.shapes import SHAPES, build
from kpi_core.ingest.accounts import BORROWED_REACH
from kpi_core.ingest.day_lookup import date_lookup
from kpi_core.ingest.pipeline import ingest_files
from kpi_core.store import Store

DAILY_SUMS = ("likes", "views", "comments", "shares", "profile_views")


def daily_file(run) -> str:
    """The name of the shape's daily file (Overview.csv, or the older export's Last 60 days.csv)."""
    return "Overview.csv" if "Overview.csv" in run.shape.truth["rows"] else "Last 60 days.csv"


@pytest.mark.parametrize("name", SHAPES)
def test_every_row_of_every_shape_is_read_and_accepted(shape_run, name):
    run = shape_run(name)
    assert [r.error for r in run.results if r.error] == []
    for result in run.results:
        assert (result.rejected, result.errors) == (0, []), (result.name, result.errors[:3])
        assert result.rows == result.accepted
    read = {r.name.rsplit("/", 1)[-1]: r.rows for r in run.results}
    assert read == run.shape.truth["rows"]
    files = run.store.table("files")
    assert (files["rows"] == files["accepted"]).all() and run.store.table("rejects").empty


@pytest.mark.parametrize("name", [n for n in SHAPES if n not in ("download_your_data", "scraper_many")])
def test_the_daily_sums_include_every_day_negative_ones_too(shape_run, name):
    run = shape_run(name)
    truth, daily = run.shape.truth, run.store.table("daily")
    for metric in DAILY_SUMS:
        if metric in truth:
            assert int(daily[metric].sum()) == truth[metric], metric
    if "negative_comment_days" in truth:
        assert int((daily["comments"] < 0).sum()) == truth["negative_comment_days"]
    result = run.result(daily_file(run))
    assert (str(result.date_from), str(result.date_to)) == (truth["date_from"], truth["date_to"])


@pytest.mark.parametrize("name", SHAPES)
def test_followers_run_from_the_first_to_the_last_count(shape_run, name):
    run = shape_run(name)
    truth = run.shape.truth
    if "followers_first" not in truth:
        pytest.skip("no follower history in this shape")
    followers = run.store.table("daily").sort_values("date")["followers"].dropna()
    assert (int(followers.iloc[0]), int(followers.iloc[-1])) == (
        truth["followers_first"],
        truth["followers_last"],
    )
    assert int((followers.diff() < 0).sum()) == truth["follower_drop_days"]


@pytest.mark.parametrize("name", SHAPES)
def test_videos_are_counted_once_each_with_their_latest_likes(shape_run, name):
    run = shape_run(name)
    truth = run.shape.truth
    if "videos" not in truth:
        pytest.skip("no per-video file in this shape")
    videos = run.store.table("videos")
    assert len(videos) == truth["videos"]
    assert int(videos["likes"].sum()) == truth["video_likes"]
    for metric in ("views", "comments", "shares", "saves"):
        if f"video_{metric}" in truth:
            assert int(videos[metric].sum()) == truth[f"video_{metric}"], metric
    posted = pd.to_datetime(videos["posted_at"]).dt.date
    assert (str(posted.min()), str(posted.max())) == (truth["posted_from"], truth["posted_to"])
    if "top_video_id" in truth and (videos["likes"] == videos["likes"].max()).sum() == 1:
        assert videos.loc[videos["likes"].idxmax(), "video_id"] == truth["top_video_id"]


@pytest.mark.parametrize("name", SHAPES)
def test_follower_activity_is_stored_by_hour_0_to_23(shape_run, name):
    run = shape_run(name)
    truth = run.shape.truth
    if "activity_rows" not in truth:
        pytest.skip("no follower activity in this shape")
    activity = run.store.table("follower_activity")
    assert len(activity) == truth["activity_rows"]
    assert activity["date"].nunique() == truth["activity_days"]
    assert sorted(activity["hour"].unique()) == list(range(24))
    assert int(activity["active_followers"].sum()) == truth["active_followers"]


@pytest.mark.parametrize("name", ["tiny", "download_28d"])
def test_viewers_sum_as_written(shape_run, name):
    run = shape_run(name)
    daily = run.store.table("daily")
    assert int(daily["total_viewers"].sum()) == run.shape.truth["viewers"]
    assert int(daily["new_viewers"].sum()) == run.shape.truth["new_viewers"]


def test_each_shape_is_filed_under_its_own_account(shape_run):
    for name in SHAPES:
        run = shape_run(name)
        account = run.shape.truth["account"]
        if account is None:  # a scrape of many accounts
            assert len(run.store.accounts()) == run.shape.truth["accounts"]
        else:
            assert run.store.accounts() == [account], name


# --- what the shapes of the new rules say about themselves -------------------------------------


def test_a_year_of_net_comments_keeps_its_35_negative_days_with_one_note(shape_run):
    run = shape_run("negative_comments")
    notes = [n for n in run.result("Overview.csv").notes if "negative count" in n]
    assert notes == [
        "35 day(s) have a negative count ('Comments' on 35): kept and summed as they are, because "
        "TikTok counts comments net of deleted ones, so a day when more were deleted than written is below zero"
    ]


def test_the_2022_export_is_read_day_first_with_hours_1_to_24(shape_run):
    run = shape_run("legacy_2022")
    daily_notes = run.result("Last 60 days.csv").notes
    assert any("read day first (day/month), as '13/5/2022' shows" in n for n in daily_notes)
    activity_notes = run.result("Follower activity.csv").notes
    assert any("numbers the hours 1 to 24" in n for n in activity_notes)
    # The first rows (4/5/2022 to 12/5/2022) could be read month first: they are May, not April to December.
    daily = run.store.table("daily").sort_values("date")
    assert str(pd.Timestamp(daily["date"].iloc[0]).date()) == "2022-05-04"
    assert pd.to_datetime(daily["date"]).diff().dropna().eq(pd.Timedelta(days=1)).all()


def test_the_2021_combined_file_gives_views_profile_views_and_followers(shape_run):
    run = shape_run("legacy_2021")
    result = run.result("Last 60 days.csv")
    assert result.kind == "studio_overview"
    assert any("'Difference in followers from previous day' is not stored" in n for n in result.notes)
    daily = run.store.table("daily")
    assert daily[["views", "profile_views", "followers"]].notna().all().all()
    assert daily["likes"].isna().all()  # this file has no likes: missing, not 0


def test_the_split_archive_and_an_older_one_are_one_account_of_forty_posts(shape_run):
    run = shape_run("download_your_data")
    assert {r.kind for r in run.results} == {"archive_posts"}
    assert {r.account for r in run.results} == {"jules.paints"}
    videos = run.store.table("videos")
    assert videos["views"].isna().all()  # the archive gives no views: missing, never 0
    assert videos["posted_time_known"].all()
    assert int(videos["title"].isna().sum()) == run.shape.truth["na_titles"]
    assert run.store.table("videos_raw")["posted_zone"].isna().all()  # local times, not UTC


def test_a_content_export_from_last_year_dates_the_whole_upload_by_its_video_ids():
    # The tiny account's files name no export date and were exported on 2025-11-26; read a year
    # later. Content's yearless "Time" would say 2026, but its newest video id says 25 Nov 2025,
    # so the export is 26 Nov 2025, and the yearless daily files uploaded with it follow.
    from datetime import date

    from data.shapes import build
    from kpi_core.ingest import ingest_files
    from kpi_core.store import Store

    shape = build("tiny")
    store = Store()
    results = ingest_files(store, list(shape.files.items()), today=date(2026, 11, 26))
    dated = {r.name: (r.date_from, r.date_to) for r in results if r.date_to}
    assert dated["Content.csv"] == (date(2025, 8, 16), date(2025, 11, 25))
    assert dated["Overview.csv"] == (date(2025, 8, 1), date(2025, 11, 26))
    assert dated["FollowerActivity.csv"][1] == date(2025, 11, 26)
    assert next(r for r in results if r.name == "Content.csv").date_basis == (
        "export date in the file's Time column (2025-11-26)"
    )


def test_a_followers_export_newer_than_the_overview_keeps_its_years(shape_run):
    # The Followers ZIP carries no export date: it borrows the Overview's (28 Apr 2026). Its days run
    # to 12 May, so the whole file was read a year early (30 Dec 2024 - 12 May 2025), and the
    # account's follower counts sat a year before its likes.
    run = shape_run("newer_followers")
    history = run.result("FollowerHistory.csv")
    assert (str(history.date_from), str(history.date_to)) == ("2025-12-30", "2026-05-12")
    assert history.date_basis == (
        "its last day (2026-05-12), after the export date of another file in this upload (2026-04-28)"
    )
    overview = run.result("Overview.csv")
    assert (str(overview.date_from), str(overview.date_to)) == ("2025-12-30", "2026-04-28")
    daily = run.store.table("daily")
    followers = daily.dropna(subset=["followers"])
    assert (str(followers["date"].min().date()), str(followers["date"].max().date())) == (
        "2025-12-30",
        "2026-05-12",
    )
    activity = run.store.table("follower_activity")
    assert str(activity["date"].min().date()) == "2026-05-06"


def test_a_followers_zips_gender_and_territories_take_the_date_its_history_runs_to():
    # Gender and territories list no day: they were exported with the history, on 12 May or later,
    # not on the Overview's 28 Apr that the ZIP borrowed (an older split stored as seen between the
    # two days would read as the newer one).
    shape = build("newer_followers")
    files = dict(shape.files)
    name = "Followers_horno.de.sol.zip"
    members = zipfile.ZipFile(io.BytesIO(files[name]))
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as z:  # one undated member before the history, one after it
        z.writestr("FollowerGender.csv", '\ufeff"Gender","Distribution"\n"Female","0.6"\n"Male","0.4"\n')
        for member in members.namelist():
            z.writestr(member, members.read(member))
        z.writestr("FollowerTopTerritories.csv", '\ufeff"Top territories","Distribution"\n"ES","0.7"\n')
    files[name] = rebuilt.getvalue()
    store = Store()
    try:
        results = ingest_files(store, list(files.items()))
        assert [r.name.rsplit("/", 1)[-1] for r in results if r.name.startswith(name)] == [
            "FollowerGender.csv",  # reported in the ZIP's order
            "FollowerHistory.csv",
            "FollowerActivity.csv",
            "FollowerTopTerritories.csv",
        ]
        gender = next(r for r in results if r.name.endswith("FollowerGender.csv"))
        assert gender.date_basis == (
            "the last day of FollowerHistory.csv in the same ZIP (2026-05-12), after the export date of "
            "another file in this upload (2026-04-28)"
        )
        audience = store.table("audience")
        assert {str(d.date()) for d in pd.to_datetime(audience["snapshot_date"])} == {"2026-05-12"}
        assert len(audience) == 3
        # The Overview's own ZIP is dated by its name and stays so.
        overview = next(r for r in results if r.name.endswith("Overview.csv"))
        assert overview.date_basis == "export time in the ZIP name (2026-04-28)"
    finally:
        store.close()


def test_two_followers_exports_zipped_together_keep_the_date_they_borrowed():
    # Two histories in one ZIP (folders are dropped from member names): which gender split goes with
    # which history is unknown, so neither split takes a history's last day.
    shape = build("newer_followers")
    files = dict(shape.files)
    name = "Followers_horno.de.sol.zip"
    members = zipfile.ZipFile(io.BytesIO(files.pop(name)))
    history = members.read("FollowerHistory.csv")
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as z:
        for folder, share in (("may", "0.6"), ("april", "0.55")):
            z.writestr(f"{folder}/FollowerHistory.csv", history if folder == "may" else history[:-40])
            z.writestr(f"{folder}/FollowerGender.csv", f'"Gender","Distribution"\n"Female","{share}"\n')
    files["Followers_two.zip"] = rebuilt.getvalue()
    store = Store()
    try:
        results = ingest_files(store, list(files.items()))
        genders = [r for r in results if r.name.endswith("FollowerGender.csv")]
        assert [r.date_basis for r in genders] == [
            "export date of another file in this upload (2026-04-28)"
        ] * 2
        assert {str(d.date()) for d in pd.to_datetime(store.table("audience")["snapshot_date"])} == {
            "2026-04-28"
        }
    finally:
        store.close()


def test_files_uploaded_on_their_own_keep_their_order_and_each_zip_lists_its_dated_sheets_first():
    from kpi_core.ingest.accounts import dated_members_first
    from kpi_core.ingest.formats import STUDIO_FOLLOWER_GENDER, STUDIO_FOLLOWER_HISTORY, STUDIO_OVERVIEW
    from kpi_core.ingest.loading import LoadedSheet
    from kpi_core.ingest.readers.sheet import Sheet
    from kpi_core.ingest.result import FileResult

    def sheet(name, fmt, header):
        return LoadedSheet(Sheet(name, header), None, fmt, FileResult(name), [])  # type: ignore[arg-type]

    gender = ["Gender", "Distribution"]
    pending = [
        sheet("FollowerGender.csv", STUDIO_FOLLOWER_GENDER, gender),
        sheet("F.zip/FollowerGender.csv", STUDIO_FOLLOWER_GENDER, gender),
        sheet("Overview.csv", STUDIO_OVERVIEW, ["Date", "Video Views", "Likes"]),
        sheet(
            "F.zip/FollowerHistory.csv",
            STUDIO_FOLLOWER_HISTORY,
            ["Date", "Followers", "Difference in followers from previous day"],
        ),
        sheet("Other.csv", STUDIO_FOLLOWER_GENDER, gender),
    ]
    assert [i.sheet.name for i in dated_members_first(pending)] == [
        "FollowerGender.csv",
        "F.zip/FollowerHistory.csv",
        "F.zip/FollowerGender.csv",
        "Overview.csv",
        "Other.csv",
    ]


def test_a_clock_behind_the_export_keeps_the_followers_export_in_its_year():
    # today before the Overview ZIP's timestamp (a machine's clock, or the `today` option): the
    # borrowed date's reach used to end at today, before the Followers file's last day, and the
    # whole file was read a year early.
    shape = build("download_28d")
    store = Store()
    try:
        results = ingest_files(store, list(shape.files.items()), today=date(2026, 4, 20))
        dated = {r.name.rsplit("/", 1)[-1]: (str(r.date_from), str(r.date_to)) for r in results if r.date_to}
        assert dated["FollowerHistory.csv"][1] == "2026-05-12"
        assert dated["Overview.csv"][1] == "2026-05-12"
    finally:
        store.close()


def test_a_borrowed_export_date_lets_a_files_last_day_run_past_it_up_to_its_reach():
    def last_day(texts, runs_until=None):
        lookup, _ = date_lookup(
            texts, False, date(2026, 4, 28), {}, in_date_order=True, runs_until=runs_until
        )
        return max(d for d in lookup.days if d is not None)

    reach = date(2026, 4, 28) + BORROWED_REACH  # 29 Jul 2026
    days = ["December 30", "December 31", "January 1", "April 28", "May 12"]
    assert last_day(days, runs_until=reach) == date(2026, 5, 12)
    # A date of the file's own (a ZIP's timestamp, its Time column, the user's) bounds its days.
    assert last_day(days) == date(2025, 5, 12)
    # Past the reach (a quarter after the borrowed date, or today), the file is the year before's.
    assert last_day(["July 20", "July 25"], runs_until=reach) == date(2026, 7, 25)
    assert last_day(["October 20", "October 25"], runs_until=reach) == date(2025, 10, 25)
    assert last_day(["July 20", "July 25"], runs_until=date(2026, 5, 20)) == date(2025, 7, 25)
