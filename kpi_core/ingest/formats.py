"""Recognise an export by its header set (never by its file name) and say how each column maps
onto the canonical vocabulary (schema.py).

A `Format` lists, per canonical column, the header names that can feed it (normalised: trimmed,
non-breaking spaces removed, case-folded) and how to read the text ("count", "day", ...).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# How a text column is read into a canonical column. "net_count" is a daily count that TikTok
# nets (comments net of deleted ones): it may be below zero. "count" never is (totals, people).
PARSERS = ("count", "net_count", "day", "datetime", "text", "share", "number", "hour", "bool", "video_link")


def normalise_header(name: str) -> str:
    """Header text as compared: 'Total shares\\u00a0' -> 'total shares'; 'authorMeta.fans' -> 'authormeta/fans'."""
    name = unicodedata.normalize("NFC", name).replace("\ufeff", "").replace("\u00a0", " ")
    name = " ".join(name.split()).casefold()
    return name.replace(".", "/") if re.fullmatch(r"[\w/.]+", name) else name


@dataclass(frozen=True)
class Column:
    """One canonical column: the headers that can feed it (first present wins) and its parser."""

    target: str
    parser: str
    headers: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class Format:
    kind: str
    table: str
    label: str  # what the user sees: "TikTok Studio Overview"
    signature: frozenset[str]  # normalised headers that must all be present
    columns: tuple[Column, ...]
    constants: dict[str, object] = field(default_factory=dict)
    # Extra headers that make a looser signature count (ads reports: any 2 of these).
    any_of: frozenset[str] = frozenset()
    any_of_min: int = 0
    # Headers this format knows but does not store, as (normalised header or a regular expression
    # over them, why): each one a file has is named in a note, never dropped in silence.
    unused: tuple[tuple[str, str], ...] = ()
    # The user's own account's export (TikTok Studio, the older analytics, the data archive): a
    # file of it that names no handle is filed under the account the upload's others name.
    own: bool = False

    def matches(self, headers: set[str]) -> bool:
        if not self.signature <= headers:
            return False
        return len(self.any_of & headers) >= self.any_of_min


def _c(target: str, parser: str, *headers: str, required: bool = False) -> Column:
    return Column(target, parser, tuple(headers), required)


# Every metric a daily file of TikTok's can hold: whichever of them a daily file has is stored
# (the 2021 "Last 60 days.csv" holds views, followers and profile views in one file). The counts
# are daily and net, so a day may be below zero; followers are a running total.
_DAILY_COLUMNS = (
    _c("date", "day", "date", required=True),
    _c("views", "net_count", "video views"),
    _c("profile_views", "net_count", "profile views"),
    _c("likes", "net_count", "likes"),
    _c("comments", "net_count", "comments"),
    _c("shares", "net_count", "shares"),
    _c("followers", "count", "followers"),
)
_DIFFERENCE_NOT_USED = (
    (
        "difference in followers from previous day",
        "the daily change is recomputed from Followers, because real files disagree on whether it "
        "is the change from the previous day or to the next one",
    ),
)


STUDIO_OVERVIEW = Format(
    "studio_overview",
    "daily_raw",
    "TikTok Studio Overview",
    frozenset({"date", "video views", "profile views", "likes", "comments", "shares"}),
    _DAILY_COLUMNS,
    unused=_DIFFERENCE_NOT_USED,
    own=True,
)
# Some 2021 "Last 60 days.csv" files hold the daily views and the followers in one file.
LEGACY_DAILY_COMBINED = Format(
    "studio_overview",
    "daily_raw",
    "TikTok analytics Last 60 days (2021: views and followers)",
    frozenset({"date", "video views", "followers"}),
    _DAILY_COLUMNS,
    unused=_DIFFERENCE_NOT_USED,
    own=True,
)
STUDIO_CONTENT = Format(
    "studio_content",
    "videos_raw",
    "TikTok Studio Content",
    frozenset({"video title", "video link", "post time", "total likes", "total views"}),
    (
        _c("video_id", "video_link", "video link", required=True),
        _c("url", "text", "video link"),
        _c("title", "text", "video title"),
        _c("posted_at", "day", "post time", required=True),
        _c("likes", "count", "total likes"),
        _c("comments", "count", "total comments"),
        _c("shares", "count", "total shares"),
        _c("views", "count", "total views"),
    ),
    # "Time" is the export date repeated on every row: it gives the snapshot date (accounts.py).
    constants={"posted_time_known": False},
    own=True,
)
# The 2022-23 "Video Posts" export: no link, so the video is identified by title and date. It lists
# every post of its window, where Studio's Content export lists about 15: a kind of its own.
LEGACY_CONTENT = Format(
    "studio_video_posts",
    "videos_raw",
    "TikTok analytics Video Posts (2022-23)",
    frozenset({"video title", "post time", "total views", "total likes"}),
    (
        _c("title", "text", "video title"),
        _c("posted_at", "day", "post time", required=True),
        _c("likes", "count", "total likes"),
        _c("comments", "count", "total comments"),
        _c("shares", "count", "total shares"),
        _c("views", "count", "total views"),
    ),
    constants={"posted_time_known": False},
    own=True,
)
STUDIO_VIEWERS = Format(
    "studio_viewers",
    "daily_raw",
    "TikTok Studio Viewers",
    frozenset({"date", "total viewers", "new viewers", "returning viewers"}),
    (
        _c("date", "day", "date", required=True),
        _c("total_viewers", "count", "total viewers"),
        _c("new_viewers", "count", "new viewers"),
        _c("returning_viewers", "count", "returning viewers"),
    ),
    own=True,
)
STUDIO_FOLLOWER_HISTORY = Format(
    "studio_follower_history",
    "daily_raw",
    "TikTok Studio FollowerHistory",
    frozenset({"date", "followers"}),
    _DAILY_COLUMNS,
    unused=_DIFFERENCE_NOT_USED,
    own=True,
)
STUDIO_FOLLOWER_ACTIVITY = Format(
    "studio_follower_activity",
    "follower_activity_raw",
    "TikTok Studio FollowerActivity",
    frozenset({"date", "hour", "active followers"}),
    (
        _c("date", "day", "date", required=True),
        _c("hour", "hour", "hour", required=True),
        _c("active_followers", "count", "active followers"),
    ),
    own=True,
)
STUDIO_FOLLOWER_GENDER = Format(
    "studio_follower_gender",
    "audience_raw",
    "TikTok Studio FollowerGender",
    frozenset({"gender", "distribution"}),
    (_c("key", "text", "gender", required=True), _c("share", "share", "distribution")),
    constants={"dimension": "gender"},
    own=True,
)
STUDIO_FOLLOWER_TERRITORIES = Format(
    "studio_follower_territories",
    "audience_raw",
    "TikTok Studio FollowerTopTerritories",
    frozenset({"top territories", "distribution"}),
    (_c("key", "text", "top territories", required=True), _c("share", "share", "distribution")),
    constants={"dimension": "territory"},
    own=True,
)

_ADS_ONLY = frozenset(
    {
        "campaign name",
        "ad group name",
        "ad name",
        "ad id",
        "by day",
        "cost",
        "cpm",
        "cpc (destination)",
        "impressions",
        "clicks (destination)",
        "ctr (destination)",
        "reach",
        "frequency",
        "conversions",
        "cost per conversion",
        "paid likes",
        "paid comments",
        "paid shares",
        "paid follows",
        "paid profile visits",
        "2-second video views",
        "6-second video views",
        "primary status",
        "average play time per video view",
        "video views at 100%",
    }
)
ADS_REPORT = Format(
    "ads_report",
    "ads_raw",
    "TikTok Ads Manager report",
    frozenset(),
    (
        _c("date", "day", "by day", "date", "stat time day"),
        _c("campaign", "text", "campaign name"),
        _c("ad_group", "text", "ad group name"),
        _c("ad_name", "text", "ad name"),
        _c("ad_id", "text", "ad id"),
        _c("currency", "text", "currency"),
        _c("cost", "number", "cost", "total cost", "spend"),
        _c("impressions", "count", "impressions"),
        _c("clicks", "count", "clicks (destination)", "clicks"),
        _c("reach", "count", "reach"),
        _c("conversions", "count", "conversions"),
        _c("video_views", "count", "video views"),
        _c("paid_likes", "count", "paid likes"),
        _c("paid_comments", "count", "paid comments"),
        _c("paid_shares", "count", "paid shares"),
        _c("paid_follows", "count", "paid follows"),
        _c("paid_profile_visits", "count", "paid profile visits"),
    ),
    any_of=_ADS_ONLY,
    any_of_min=2,
    unused=(
        (
            "cpm|cpc \\(destination\\)|ctr \\(destination\\)|frequency|cost per conversion",
            "ratios are computed again from the stored totals (cost, impressions, clicks, reach, "
            "conversions) over any range",
        ),
        (
            "2-second video views|6-second video views|video views at [0-9]+%|average play time per video view",
            "the app measures views and likes, not how long or how far an ad was watched",
        ),
        ("primary status", "an ad's delivery status is not a measure"),
    ),
)

# Scrapers: Apify (JSON, or CSV flattened with "/"), drawrowfly {"collector": [...]},
# TikTokApi (stats.diggCount...), and snake_case tools. JSON keys are flattened with "/".
_SCRAPER_LIKES = ("diggcount", "digg_count", "stats/diggcount", "statsv2/diggcount", "stats/digg_count")
SCRAPER_VIDEOS = Format(
    "scraper_videos",
    "videos_raw",
    "Scraper export (Apify, tiktok-scraper, TikTokApi)",
    frozenset(),
    (
        _c("video_id", "text", "id", "video_id", "item_id", "aweme_id", "videoid"),
        _c("url", "text", "webvideourl", "video_url", "url", "share_url"),
        _c("title", "text", "text", "desc", "description", "title", "video_description"),
        _c(
            "posted_at",
            "datetime",
            "createtimeiso",
            "createtime",
            "create_time",
            "create_time_iso",
            "posted_at",
            "createtime_iso",
        ),
        _c("likes", "count", *_SCRAPER_LIKES),
        _c(
            "views",
            "count",
            "playcount",
            "play_count",
            "stats/playcount",
            "statsv2/playcount",
            "stats/play_count",
        ),
        _c(
            "comments", "count", "commentcount", "comment_count", "stats/commentcount", "statsv2/commentcount"
        ),
        _c("shares", "count", "sharecount", "share_count", "stats/sharecount", "statsv2/sharecount"),
        _c("saves", "count", "collectcount", "collect_count", "stats/collectcount", "statsv2/collectcount"),
        _c(
            "followers",
            "count",
            "authormeta/fans",
            "authorstats/followercount",
            "author_followers",
            "authorstats/follower_count",
            "author/followers",
        ),
        _c(
            "account",
            "text",
            "authormeta/name",
            "author/uniqueid",
            "author/unique_id",
            "author_unique_id",
            "author",
            "author_name",
            "username",
        ),
        _c("duration_s", "number", "videometa/duration", "video/duration", "duration", "video_duration"),
        _c("is_ad", "bool", "isad", "is_ad"),
    ),
    constants={"posted_time_known": True},
    any_of=frozenset(_SCRAPER_LIKES),
    any_of_min=1,
    unused=(
        ("hashtags/[0-9]+/name|hashtags/[0-9]+/title", "hashtags are read from the caption"),
        (
            "authormeta/heart|authormeta/video|authorstats/heartcount|authorstats/videocount",
            "the author's lifetime likes and videos are not one video's counts",
        ),
        ("ispinned", "pinning a video to the profile does not change its counts"),
    ),
)

# TikTok's "Download your data" archive (JSON): the account's own posts, found by their records
# (readers/json_records.py). Posting times are the account's local times; there are no views.
_ARCHIVE_SETTINGS = (
    "sound|whocanview|location|addyourstext|contentdisclosure|aigeneratedcontent|allow[a-z]*|"
    "coverimage|thumbnail|filename"
)
ARCHIVE_POSTS = Format(
    "archive_posts",
    "videos_raw",
    "TikTok data archive: your posts",
    frozenset({"date", "likes", "link"}),
    (
        _c("video_id", "video_link", "link", required=True),
        _c("url", "text", "link"),
        _c("title", "text", "title"),
        _c("posted_at", "datetime", "date", required=True),
        _c("likes", "count", "likes"),
    ),
    constants={"posted_time_known": True},
    unused=((_ARCHIVE_SETTINGS, "a post's sound and settings are not counts the app measures"),),
    own=True,
)

RECOGNISED: tuple[Format, ...] = (
    STUDIO_CONTENT,
    LEGACY_CONTENT,
    STUDIO_OVERVIEW,
    STUDIO_VIEWERS,
    STUDIO_FOLLOWER_ACTIVITY,
    LEGACY_DAILY_COMBINED,
    STUDIO_FOLLOWER_HISTORY,
    STUDIO_FOLLOWER_GENDER,
    STUDIO_FOLLOWER_TERRITORIES,
    SCRAPER_VIDEOS,
    ARCHIVE_POSTS,
    ADS_REPORT,
)

# The canonical vocabulary a user can map other files onto, with the aliases that suggest it.
MAPPABLE_VIDEO = {
    "video_id": ("video id", "video_id", "id", "clip id", "post id"),
    "title": ("title", "video title", "caption", "description", "desc", "text", "clip", "post"),
    "url": ("url", "link", "video link", "video url"),
    "posted_at": (
        "posted_at",
        "post time",
        "posted",
        "published",
        "publish date",
        "date posted",
        "created",
        "create_time",
        "date",
    ),
    "likes": ("likes", "total likes", "hearts", "diggcount", "digg_count", "video_like_count", "like count"),
    "views": ("views", "video views", "total views", "plays", "playcount", "play_count", "video_view_count"),
    "comments": (
        "comments",
        "total comments",
        "remarks",
        "commentcount",
        "comment_count",
        "video_comment_count",
    ),
    "shares": ("shares", "total shares", "sharecount", "share_count", "video_share_count"),
    "saves": ("saves", "collectcount", "collect_count", "favourites", "favorites", "video_download_count"),
    "account": ("account", "handle", "author", "username"),
}
MAPPABLE_DAILY = {
    "date": ("date", "day", "by day"),
    "likes": MAPPABLE_VIDEO["likes"],
    "views": MAPPABLE_VIDEO["views"],
    "comments": MAPPABLE_VIDEO["comments"],
    "shares": MAPPABLE_VIDEO["shares"],
    "profile_views": ("profile views", "profile_views", "profile visits"),
    "followers": ("followers", "total followers", "fans"),
}
CANONICAL_TARGETS = tuple(dict.fromkeys([*MAPPABLE_VIDEO, *MAPPABLE_DAILY]))


def recognise(headers: list[str]) -> Format | None:
    """The known format whose header set this file has, or None (then a column mapping is needed)."""
    present = {normalise_header(h) for h in headers}
    for fmt in RECOGNISED:
        if fmt.matches(present):
            return fmt
    return None
