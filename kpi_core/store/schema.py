"""The canonical tables every export is normalised into.

Raw tables (`*_raw`) keep every snapshot that was uploaded; the views without the suffix pick,
per key, the latest snapshot, so repeated and overlapping uploads accumulate into one history
and uploading the same file twice changes nothing.

Counts are BIGINT and NULL when the export had no value (`undefined`, `#N/A`, empty): missing is
never 0. Rates are never stored; they are computed as ratios of sums (see metrics.py).
"""

from __future__ import annotations

# Column name -> DuckDB type, in table order. Ingestion builds rows with exactly these columns.
DAILY_COLUMNS: dict[str, str] = {
    "account": "VARCHAR",  # handle without "@"
    "date": "DATE",
    "views": "BIGINT",  # Overview "Video Views"
    "profile_views": "BIGINT",
    "likes": "BIGINT",
    "comments": "BIGINT",
    "shares": "BIGINT",
    "total_viewers": "BIGINT",  # Viewers.csv
    "new_viewers": "BIGINT",
    "returning_viewers": "BIGINT",
    "followers": "BIGINT",  # FollowerHistory "Followers" (cumulative)
    "provisional": "BOOLEAN",  # one of the last two days of the file it came from
    "snapshot_date": "DATE",  # the export date of the file
    "source_file": "VARCHAR",
}

VIDEO_COLUMNS: dict[str, str] = {
    "account": "VARCHAR",
    "video_id": "VARCHAR",  # the digits at the end of the video link, or the scraper's id
    "title": "VARCHAR",
    "url": "VARCHAR",
    "posted_at": "TIMESTAMP",  # local posting time; midnight when only the date is known
    "posted_time_known": "BOOLEAN",  # False for Studio Content (date only)
    # The zone posted_at is written in, for times a scraper gave in UTC: 'UTC' until the account's
    # zone is set (Store.set_time_zone moves them). NULL where the export gives local times (Studio).
    "posted_zone": "VARCHAR",
    "likes": "BIGINT",
    "views": "BIGINT",
    "comments": "BIGINT",
    "shares": "BIGINT",
    "saves": "BIGINT",
    "followers": "BIGINT",  # the author's followers when the scraper recorded them
    "duration_s": "DOUBLE",
    "is_ad": "BOOLEAN",
    "snapshot_date": "DATE",
    "source_file": "VARCHAR",
}

FOLLOWER_ACTIVITY_COLUMNS: dict[str, str] = {
    "account": "VARCHAR",
    "date": "DATE",
    "hour": "INTEGER",  # 0..23, the interface's local time
    "active_followers": "BIGINT",
    "snapshot_date": "DATE",
    "source_file": "VARCHAR",
}

AUDIENCE_COLUMNS: dict[str, str] = {
    "account": "VARCHAR",
    "dimension": "VARCHAR",  # 'gender' or 'territory'
    "key": "VARCHAR",  # 'Female', 'GR', ...
    "share": "DOUBLE",  # a fraction 0..1 ('56%' becomes 0.56)
    "snapshot_date": "DATE",
    "source_file": "VARCHAR",
}

AD_COLUMNS: dict[str, str] = {
    "account": "VARCHAR",
    "date": "DATE",
    "campaign": "VARCHAR",
    "ad_group": "VARCHAR",
    "ad_name": "VARCHAR",
    "ad_id": "VARCHAR",
    "currency": "VARCHAR",
    "cost": "DOUBLE",  # in `currency`
    "impressions": "BIGINT",
    "clicks": "BIGINT",
    "reach": "BIGINT",
    "conversions": "BIGINT",
    "video_views": "BIGINT",
    "paid_likes": "BIGINT",  # paid likes stay here, never added to organic likes
    "paid_comments": "BIGINT",
    "paid_shares": "BIGINT",
    "paid_follows": "BIGINT",
    "paid_profile_visits": "BIGINT",
    "snapshot_date": "DATE",
    "source_file": "VARCHAR",
}

FILE_COLUMNS: dict[str, str] = {
    "file_id": "INTEGER",
    "name": "VARCHAR",
    "kind": "VARCHAR",
    "account": "VARCHAR",
    "content_hash": "VARCHAR",
    "rows": "BIGINT",
    "accepted": "BIGINT",
    "rejected": "BIGINT",
    "date_from": "DATE",
    "date_to": "DATE",
    "date_basis": "VARCHAR",  # how the year of yearless dates was inferred
}

REJECT_COLUMNS: dict[str, str] = {
    "file_id": "INTEGER",
    "line": "BIGINT",  # 1-based line in the file (the header is line 1); NULL for JSON
    "column_name": "VARCHAR",
    "reason": "VARCHAR",
}

ACCOUNT_ZONE_COLUMNS: dict[str, str] = {
    "account": "VARCHAR",
    "time_zone": "VARCHAR",  # IANA name: the zone the account's scraped posting times are shown in
}

RAW_TABLES: dict[str, dict[str, str]] = {
    "daily_raw": DAILY_COLUMNS,
    "videos_raw": VIDEO_COLUMNS,
    "follower_activity_raw": FOLLOWER_ACTIVITY_COLUMNS,
    "audience_raw": AUDIENCE_COLUMNS,
    "ads_raw": AD_COLUMNS,
    "files": FILE_COLUMNS,
    "rejects": REJECT_COLUMNS,
    "account_zones": ACCOUNT_ZONE_COLUMNS,
}

# Which canonical table each recognised kind fills.
KIND_TABLE: dict[str, str] = {
    "studio_overview": "daily_raw",
    "studio_viewers": "daily_raw",
    "studio_follower_history": "daily_raw",
    "studio_content": "videos_raw",  # about 15 videos a download, a sample of the posts
    "studio_video_posts": "videos_raw",  # the 2022-23 "Video Posts": every post of its window
    "studio_follower_activity": "follower_activity_raw",
    "studio_follower_gender": "audience_raw",
    "studio_follower_territories": "audience_raw",
    "ads_report": "ads_raw",
    "scraper_videos": "videos_raw",
    "archive_posts": "videos_raw",  # TikTok's "Download your data" archive
    "mapped_videos": "videos_raw",
    "mapped_daily": "daily_raw",
}


def create_table_sql(table: str, columns: dict[str, str]) -> str:
    """`CREATE TABLE` for one of our own tables (names come from this module, never from users)."""
    body = ", ".join(f"{name} {sql_type}" for name, sql_type in columns.items())
    return f"CREATE TABLE IF NOT EXISTS {table} ({body})"
