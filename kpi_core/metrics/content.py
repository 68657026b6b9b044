"""Which videos earn likes: viral outliers, rankings, posting times and the followers' hours.

Claims need support: a posting-time cell with fewer than MIN_CELL_VIDEOS videos is shown but
flagged and never turned into a verdict. With/without comparisons (hashtags, content groups) are
in uplift.py; whether a section has anything to show at all, in content_findings.py.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.metrics.scope import DateLike, as_date, resolve_account
from kpi_core.store import Store

__all__ = [
    "MIN_CELL_VIDEOS",
    "MIN_OUTLIER_VIDEOS",
    "OUTLIER_Z",
    "WEEKDAYS",
    "audience_hours",
    "posting_times",
    "range_params",
    "top_videos",
    "video_table",
    "viral_outliers",
]

OUTLIER_Z = 3.5  # robust z-score above which a video counts as viral (Iglewicz & Hoaglin)
MIN_OUTLIER_VIDEOS = 5  # below this, an account has no "typical" video to stand out from
MIN_CELL_VIDEOS = 3  # a posting-time cell with fewer videos makes no claim
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def range_params(store: Store, account: str | None, date_from: DateLike, date_to: DateLike) -> dict[str, Any]:
    """The bound parameters of a per-account, per-range query: the account (primary if None), dates."""
    return {
        "account": resolve_account(store, account),
        "date_from": as_date(date_from),
        "date_to": as_date(date_to),
    }


# ---------------------------------------------------------------------------------------------
# Single videos


def viral_outliers(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    threshold: float = OUTLIER_Z,
) -> pd.DataFrame:
    """Videos far above the account's typical likes or like rate (robust z above `threshold`).

    Columns: video_id, title, url, posted_at, posted_time_known, likes, views, like_rate (fraction), likes_median,
    like_rate_median, likes_z, like_rate_z (robust z-scores), reason; strongest first.
    """
    frame = store.query(
        "kpi_video_outliers",
        **range_params(store, account, date_from, date_to),
        threshold=threshold,
        min_videos=MIN_OUTLIER_VIDEOS,
    )
    by_likes = frame["likes_z"].gt(threshold).fillna(False).astype(bool)
    by_rate = frame["like_rate_z"].gt(threshold).fillna(False).astype(bool)
    frame["reason"] = np.where(
        by_likes & by_rate, "likes and like rate", np.where(by_likes, "likes", "like rate")
    )
    return frame


def top_videos(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    n: int = 10,
    by: str = "likes",
    bottom: bool = False,
) -> pd.DataFrame:
    """The `n` videos with the most (or, with bottom=True, fewest) likes or the highest like rate.

    Columns: video_id, title, url, posted_at, posted_time_known (False: only the posting date is
    known, as in TikTok Studio's Content export), likes, views, like_rate (fraction).
    """
    if by not in ("likes", "like_rate"):
        raise ValueError(f"rank by 'likes' or 'like_rate', not {by!r}")
    return store.query(
        "kpi_video_ranked", **range_params(store, account, date_from, date_to), n=n, by=by, bottom=bottom
    )


def video_table(videos: pd.DataFrame, outliers: pd.DataFrame) -> pd.DataFrame:
    """`videos` (from `top_videos`) ready to list: an `outlier` column and only web links kept.

    `outlier` is the reason from `viral_outliers` ("likes", "like rate", "likes and like rate")
    or "" for a typical video. `url` stays only when it is an http(s) link, else None: a link
    from an uploaded file (e.g. `javascript:...`) must never become clickable.

    >>> table = video_table(pd.DataFrame({"video_id": ["1", "2"], "url": ["https://t/1", "javascript:x"]}),
    ...                     pd.DataFrame({"video_id": ["1"], "reason": ["likes"]}))
    >>> table["outlier"].tolist(), table["url"].isna().tolist()
    (['likes', ''], [False, True])
    """
    reasons = dict(zip(outliers["video_id"], outliers["reason"], strict=True))
    table = videos.copy()
    table["outlier"] = [reasons.get(v, "") for v in table["video_id"]]
    table["url"] = [
        u.strip() if isinstance(u, str) and _WEB_LINK.match(u.strip()) else None for u in table["url"]
    ]
    return table


_WEB_LINK = re.compile(r"https?://[^\s/?#]+", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Timing


def posting_times(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    by: str = "weekday_hour",
) -> pd.DataFrame:
    """Videos, median likes and like rate per posting weekday, hour or weekday x hour cell.

    Columns: weekday (1 = Monday, NaN when by='hour'), weekday_name, hour (0-23, NaN when
    by='weekday'), videos, median_likes (likes per video), like_rate (fraction), enough (False
    when the cell has fewer than MIN_CELL_VIDEOS videos: show it, claim nothing). Hours use only
    videos whose posting time is known.
    """
    if by not in ("weekday", "hour", "weekday_hour"):
        raise ValueError(f"group by 'weekday', 'hour' or 'weekday_hour', not {by!r}")
    frame = store.query("kpi_posting_times", **range_params(store, account, date_from, date_to), by=by)
    frame.insert(
        1, "weekday_name", frame["weekday"].map(lambda d: None if pd.isna(d) else WEEKDAYS[int(d) - 1])
    )
    frame["enough"] = frame["videos"] >= MIN_CELL_VIDEOS
    return frame


def audience_hours(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> pd.DataFrame:
    """Mean active followers per hour of day (columns: hour 0-23, active_followers, days)."""
    return store.query("kpi_follower_activity_hours", **range_params(store, account, date_from, date_to))
