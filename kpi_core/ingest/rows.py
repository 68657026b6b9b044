"""Finish the accepted rows of a sheet into canonical rows (account, snapshot date, source, video
ids, the years of yearless posting dates, provisional days), and describe them in the result."""

from __future__ import annotations

from datetime import date

import pandas as pd

from kpi_core.ingest import dates
from kpi_core.ingest.accounts import link_handle
from kpi_core.ingest.formats import Format
from kpi_core.ingest.loading import LoadedSheet
from kpi_core.ingest.result import FileResult

# Only TikTok's own daily exports are cut while their last days are still being counted; a
# hand-made tracker's last rows are as final as the others.
PROVISIONAL_KINDS = {"studio_overview", "studio_viewers", "studio_follower_history"}
PROVISIONAL_DAYS = 2  # the last two days of a daily export are usually incomplete


def finish_rows(accepted: pd.DataFrame, item: LoadedSheet) -> pd.DataFrame:
    """Add the columns every canonical row carries: account, snapshot date, source, flags."""
    rows = accepted.copy()
    fmt = item.fmt
    _mark_utc_posting_times(rows, item)
    rows["source_file"] = item.sheet.name
    rows["snapshot_date"] = pd.Timestamp(item.export_date or date.today())
    if (
        fmt.kind in ("scraper_videos", "mapped_videos")
        and item.basis
        and item.basis.startswith("assumed")
        and "posted_at" in rows.columns
        and rows["posted_at"].notna().any()
    ):
        # A scrape carries no date of its own; it is at least as recent as its newest post. Using
        # today instead would let an old scrape override a newer Studio export's counts.
        rows["snapshot_date"] = pd.to_datetime(rows["posted_at"]).max().normalize()
    for key, value in fmt.constants.items():
        rows[key] = value
    if "account" in rows.columns:
        account = rows["account"].astype("object")
        missing = account.isna()
        if missing.any() and "url" in rows.columns:  # the links only of rows without a handle
            account[missing] = rows.loc[missing, "url"].map(link_handle)
        account = account.where(account.notna(), item.account)
        rows["account"] = account.astype(str).str.lstrip("@")
    else:
        rows["account"] = item.account
    if fmt.table == "videos_raw":
        if "video_id" not in rows.columns or rows["video_id"].isna().any():
            rows["video_id"] = _video_ids(rows)
        if fmt.kind == "studio_content" and "posted_at" in rows.columns:
            rows["posted_at"] = _years_from_video_ids(rows["posted_at"], rows["video_id"])
        if "posted_at" in rows.columns and fmt.constants.get("posted_time_known") is True:
            posted = pd.to_datetime(rows["posted_at"])
            rows["posted_time_known"] = posted.notna() & (posted != posted.dt.normalize())
    if fmt.kind in PROVISIONAL_KINDS and len(rows):
        last = pd.to_datetime(rows["date"]).max()
        rows["provisional"] = pd.to_datetime(rows["date"]) > last - pd.Timedelta(days=PROVISIONAL_DAYS)
    elif fmt.table == "daily_raw":
        rows["provisional"] = False
    return rows


def _mark_utc_posting_times(rows: pd.DataFrame, item: LoadedSheet) -> None:
    """Scrapers give posting times in UTC: they are stored as they are, marked as UTC, until the
    account's zone moves them (`accounts.local_posting_times`)."""
    if item.fmt.kind == "scraper_videos" and "posted_at" in rows.columns and rows["posted_at"].notna().any():
        rows["posted_zone"] = rows["posted_at"].notna().map({True: "UTC", False: None})


def _years_from_video_ids(posted: pd.Series, video_ids: pd.Series) -> pd.Series:
    """Correct the year of yearless posting dates with the time TikTok writes into the video id.

    A TikTok video id's top 32 bits are its posting time in unix seconds. Content.csv lists
    videos in no useful order, and one posted more than a year before the export would get the
    wrong year from the export date alone. The id's date is used only when it agrees with the
    file's day and month (one day of time-zone slack); otherwise the export-date year stands.
    """
    from_id = dates.video_id_days(video_ids)
    corrected = []
    # Content.csv holds about fifteen videos, so a plain loop is clear and costs nothing.
    for day, id_day in zip(pd.to_datetime(posted), from_id, strict=True):
        best = day
        if pd.notna(day) and pd.notna(id_day):
            for year in (id_day.year - 1, id_day.year, id_day.year + 1):
                try:
                    candidate = day.replace(year=year)
                except ValueError:  # February 29 in a year without one
                    continue
                if abs(candidate - id_day) <= pd.Timedelta(days=1):
                    best = candidate
        corrected.append(best)
    return pd.Series(corrected, index=posted.index, dtype="datetime64[ns]")


def _video_ids(rows: pd.DataFrame) -> pd.Series:
    """The id from the link when there is one, else a stable id from title and posting date."""
    existing = (
        rows["video_id"] if "video_id" in rows.columns else pd.Series([None] * len(rows), index=rows.index)
    )
    if "url" in rows.columns:
        from_url = rows["url"].astype("string").str.extract(r"/video/(\d+)", expand=False)
        existing = existing.where(existing.notna(), from_url)
    title = rows["title"].astype("string").fillna("") if "title" in rows.columns else ""
    posted = rows["posted_at"].astype("string").fillna("") if "posted_at" in rows.columns else ""
    synthetic = "t" + pd.util.hash_pandas_object(
        pd.Series(title + "|" + posted, index=rows.index), index=False
    ).astype("string")
    return existing.where(existing.notna(), synthetic).astype("string")


def describe(result: FileResult, rows: pd.DataFrame, fmt: Format) -> None:
    """Date range, the account(s) and the things worth a note (likes above views)."""
    date_column = "date" if "date" in rows.columns else "posted_at" if "posted_at" in rows.columns else None
    if date_column and rows[date_column].notna().any():
        values = pd.to_datetime(rows[date_column])
        result.date_from, result.date_to = values.min().date(), values.max().date()
    if "account" in rows.columns and len(rows):
        counts = rows["account"].value_counts()
        result.account = str(counts.index[0])
        if len(counts) > 1:
            result.notes.append(f"Rows for {len(counts)} accounts: " + ", ".join(map(str, counts.index[:5])))
    if {"likes", "views"} <= set(rows.columns):
        above = int(((rows["likes"] > rows["views"]) & rows["views"].notna()).sum())
        if above:
            result.notes.append(f"{above} row(s) have more likes than views: kept, but check them")
    key = {"daily_raw": ["account", "date"], "videos_raw": ["account", "video_id"]}.get(fmt.table)
    if key and len(rows) and set(key) <= set(rows.columns):
        repeated = int(rows.duplicated(subset=key).sum())
        if repeated:  # the views keep one row per day or video, so nothing is counted twice
            what = "day" if fmt.table == "daily_raw" else "video"
            result.notes.append(
                f"{repeated} row(s) repeat a {what} of an earlier row: kept, and counted once"
            )
    if fmt.kind in PROVISIONAL_KINDS and len(rows):
        result.notes.append(
            f"The last {PROVISIONAL_DAYS} days are provisional (TikTok may still update them)"
        )


def negative_days_note(rows: pd.DataFrame, net_counts: dict[str, str]) -> str | None:
    """One note on the days whose net count is below zero: how many, in which columns, and why
    they are kept (`net_counts`: canonical column -> the file's header)."""
    columns = [c for c in net_counts if c in rows.columns]
    if not columns or not len(rows):
        return None
    negative = rows[columns].lt(0).fillna(False).astype(bool)
    days = int(negative.any(axis=1).sum())
    if not days:
        return None
    per_column = [f"'{net_counts[c]}' on {int(negative[c].sum()):,}" for c in columns if negative[c].any()]
    why = []
    if negative.get("comments", pd.Series(dtype=bool)).any():
        why.append(
            "TikTok counts comments net of deleted ones, so a day when more were deleted than written is below zero"
        )
    if negative.drop(columns=["comments"], errors="ignore").to_numpy().any():
        why.append("its other daily counts are net as well (likes taken back, views it discounted later)")
    return (
        f"{days:,} day(s) have a negative count ({', '.join(per_column)}): kept and summed as they are, "
        f"because {'; '.join(why)}"
    )
