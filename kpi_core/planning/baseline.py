"""An account's measured baseline: the small arrays goals, projections and what-ifs work from.

Build it once per data change (`Baseline.from_frames(daily, videos)`); every goal, projection,
what-if and inverse afterwards reads only this object, so a slider move costs milliseconds
whatever the size of the data.

"Today" (`as_of`) is the last non-provisional day with data, never the wall clock: the last two
days of an export are still counting, and a goal must not look behind because of them.
Counts stay NaN when the export had no value: missing is never 0.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from kpi_core.metrics import scope
from kpi_core.metrics.findings import long_day, short_day
from kpi_core.metrics.goal_metrics import GoalKind, goal_metric
from kpi_core.store import Store

__all__ = [
    "LEVER_WINDOW_DAYS",
    "MATURE_VIDEO_AGE_DAYS",
    "MIN_HISTORY_DAYS",
    "MIN_HISTORY_VIDEOS",
    "OLD_DATA_DAYS",
    "Baseline",
    "age_note",
    "as_day",
    "as_floats",
    "counts_past_overview",
    "last_complete_day",
    "load_baseline",
]

OLD_DATA_DAYS = 30  # data ending longer ago than this: the planning pages say their dates are that time's
MIN_HISTORY_DAYS = 14  # fewer usable days: "not enough history" (a 7-day download), no projection
MIN_HISTORY_VIDEOS = 8  # the same for per-video metrics
LEVER_WINDOW_DAYS = 84  # posts per week, views per video, like rate: measured over the last 12 weeks
MATURE_VIDEO_AGE_DAYS = 3  # younger videos are still collecting most of their likes
_DAILY_COUNTS = ("views", "likes", "comments", "shares", "followers")
_OVERVIEW_COUNTS = ("likes", "views")  # the Overview export's rows: they decide the last settled day
# The levers measured on videos and daily likes: a follower goal that counts past the Overview keeps
# them as measured to the Overview's last day (the days after it have no likes, views or posts).
_OVERVIEW_LEVERS = (
    "posts_per_week",
    "videos_per_week",
    "views_per_video",
    "like_rate",
    "daily_like_rate",
    "new_video_like_share",
    "new_video_view_share",
)


def as_floats(column: pd.Series) -> np.ndarray:
    """A numeric column as float64 with NaN for missing (Int64 <NA>, None, text)."""
    return pd.to_numeric(column, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def as_day(value: Any) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def _one_account(frame: pd.DataFrame | None, account: str | None) -> pd.DataFrame | None:
    if frame is None or len(frame) == 0:
        return frame
    if "account" not in frame.columns:
        return frame
    if account is not None:
        return frame[frame["account"] == account]
    names = frame["account"].dropna().unique()
    if len(names) > 1:
        raise ValueError(f"the data holds {len(names)} accounts; say which one the baseline is for")
    return frame


def counts_past_overview(metric: str | None) -> bool:
    """Whether a goal on `metric` counts follower counts past the Overview's last settled day (a
    follower goal), so that its baseline may end on a later day than the account's."""
    return metric is not None and goal_metric(metric).kind is GoalKind.LEVEL


def last_complete_day(daily: pd.DataFrame) -> date | None:
    """The last day that has data and is no longer provisional: the goals' "today".

    Where the account has Overview rows (likes or views) only they decide, as they decide which
    days per-day figures compare (`metrics.scope.settled_cut`): a Followers export newer than the
    Overview would otherwise move "today" past the last day of likes, and a likes goal would count
    the days in between as days without likes.

    Example: days up to 2026-11-20 where the last two are provisional -> date(2026, 11, 18).
    """
    if daily is None or len(daily) == 0:
        return None
    overview = [c for c in _OVERVIEW_COUNTS if c in daily.columns and daily[c].notna().any()]
    return _last_settled_day(daily, overview or [c for c in _DAILY_COUNTS if c in daily.columns])


def _last_settled_day(daily: pd.DataFrame, columns: list[str]) -> date | None:
    """The last day on which one of `columns` has a value and that is not provisional."""
    present = np.zeros(len(daily), dtype=bool)
    for column in columns:
        present |= ~np.isnan(as_floats(daily[column]))
    if "provisional" in daily.columns:
        provisional = daily["provisional"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        present &= ~provisional
    if not present.any():
        return None
    days = pd.to_datetime(daily["date"]).to_numpy()[present]
    return pd.Timestamp(days.max()).date()


@dataclass(frozen=True, eq=False)
class Baseline:
    """One account's history as calendar-complete daily arrays plus its videos.

    Daily arrays run from `start` to `as_of` inclusive, one value per calendar day (NaN where the
    export had none). `followers` is the cumulative count. Video arrays hold one value per video
    posted on or before `as_of`; `video_day` counts days from `start` (negative: before it).
    The levers (posts per week, views per video, like rate, follower gains per day) are measured
    over the last `LEVER_WINDOW_DAYS` days and are NaN when they cannot be measured.
    """

    account: str
    as_of: date | None
    start: date | None
    likes: np.ndarray
    views: np.ndarray
    comments: np.ndarray
    shares: np.ndarray
    followers: np.ndarray
    video_day: np.ndarray
    video_likes: np.ndarray
    video_views: np.ndarray
    video_mature: np.ndarray
    posts_per_week: float  # NaN when not measured: no video list, or a sample of the posts
    videos_per_week: float  # videos of the list a week (posts per week, or the sample's own rate)
    views_per_video: float
    like_rate: float  # likes / views of the recent mature videos, a fraction 0..1
    daily_like_rate: float  # likes / views of the recent days, a fraction 0..1
    follower_gain_per_day: float
    new_video_like_share: float  # share 0..1 of daily likes that recent posts explain
    new_video_view_share: float
    fingerprint: str
    followers_to: date | None = None  # follower counts' last settled day, when after `as_of`
    overview_to: date | None = None  # a follower goal's baseline past the Overview: the Overview's last day
    # The videos come from Studio Content exports alone (`metrics.scope.videos_listed_only`): they
    # are a sample of the posts, so posts per week is not measured (NaN).
    videos_listed_only: bool = False
    from_posts: bool = False  # `as_of` is the last posting day (videos without daily data)
    read_on: date | None = None  # the day the newest video list was read (its snapshot), if any

    @property
    def today_note(self) -> str | None:
        """Why goals count to different days, when they do: follower counts newer than the
        Overview's last settled day (`last_complete_day`) count for follower goals only."""
        if self.as_of is None:
            return None
        if self.followers_to is not None:
            followers_to, overview_to = self.followers_to, self.as_of
        elif self.overview_to is not None:
            followers_to, overview_to = self.as_of, self.overview_to
        else:
            return None
        return (
            f"Follower counts run to {long_day(followers_to)}, past the Overview's last settled day "
            f"({long_day(overview_to)}): follower goals count to {short_day(followers_to)}, goals on likes "
            f"and rates to {short_day(overview_to)}, and posting, views per video and like rate are measured "
            f"to {short_day(overview_to)}. Upload an Overview export as new as the Followers one to count the "
            "days in between."
        )

    def age_note(self, today: date) -> str | None:
        """`age_note` of this baseline's day: the plans' start long past `today`."""
        return age_note(self.as_of, today, from_posts=self.from_posts, read_on=self.read_on)

    @property
    def measured_to(self) -> str:
        """The days the levers are measured over, as a header says it: "over the 12 weeks up to 28
        Oct 2026", or for a follower goal past the Overview's last day "over the 12 weeks up to 28 Oct
        2026 (follower growth to 7 Nov 2026)"."""
        if self.as_of is None:
            return "n/a (no dated data)"
        weeks = f"over the {LEVER_WINDOW_DAYS // 7} weeks up to"
        if self.overview_to is None:
            return f"{weeks} {long_day(self.as_of)}"
        return f"{weeks} {long_day(self.overview_to)} (follower growth to {long_day(self.as_of)})"

    # --- building ------------------------------------------------------------------------------

    @classmethod
    def from_frames(
        cls,
        daily: pd.DataFrame | None,
        videos: pd.DataFrame | None = None,
        *,
        account: str | None = None,
        as_of: date | None = None,
        metric: str | None = None,
        videos_listed_only: bool = False,
    ) -> Baseline:
        """Measure the baseline from the `daily` and `videos` tables of one account.

        `as_of` defaults to `last_complete_day(daily)` (or the last posting day without daily
        data). For a follower goal (`metric` "followers"), follower counts newer than that day
        count too: "today" is then their last settled day (`for_followers`). `videos_listed_only`:
        the videos are those Studio's Content exports list, not every post (posting is not
        measured). Example:
        `Baseline.from_frames(store.table("daily"), store.table("videos"), account="lumen.skincare")`.
        """
        daily = _one_account(daily, account)
        videos = _one_account(videos, account)
        if account is None:
            for frame in (daily, videos):
                if frame is not None and len(frame) and "account" in frame.columns:
                    account = str(frame["account"].dropna().iloc[0])
                    break
        followers_to = None
        if as_of is None and daily is not None and len(daily):
            as_of = last_complete_day(daily)
            if "followers" in daily.columns:
                followers_to = _last_settled_day(daily, ["followers"])
        from_posts = False  # `as_of` is the last posting day: no daily data
        if as_of is None and videos is not None and len(videos) and "posted_at" in videos.columns:
            posted = pd.to_datetime(videos["posted_at"]).dropna()
            as_of = posted.max().date() if len(posted) else None
            from_posts = as_of is not None
        as_of = as_day(as_of) if as_of is not None else None
        read_on = None  # the day the newest video list was read (its snapshot)
        if videos is not None and len(videos) and "snapshot_date" in videos.columns:
            seen = pd.to_datetime(videos["snapshot_date"]).dropna()
            read_on = seen.max().date() if len(seen) else None

        arrays = {name: np.zeros(0) for name in _DAILY_COUNTS}
        start: date | None = None
        if as_of is not None and daily is not None and len(daily):
            days = pd.to_datetime(daily["date"]).dt.date
            keep = (days <= as_of).to_numpy()
            if keep.any():
                start = min(days[keep])
                n = (as_of - start).days + 1
                offsets = np.array([(d - start).days for d in days[keep]], dtype=int)
                for name in _DAILY_COUNTS:
                    values = np.full(n, np.nan)
                    if name in daily.columns:
                        column = as_floats(daily[name])[keep]
                        # Duplicate dates cannot come from the views; keep the larger value if they do.
                        order = np.argsort(np.nan_to_num(column, nan=-np.inf))
                        values[offsets[order]] = column[order]
                    arrays[name] = values
        if start is None and as_of is not None:
            # Videos without daily data (a scrape, TikTok's data archive): the days run from the
            # first posting day, all unknown, so posting rates and per-video goals still have a span.
            start = as_of
            if videos is not None and len(videos) and "posted_at" in videos.columns:
                posted = pd.to_datetime(videos["posted_at"]).dropna()
                if len(posted):
                    start = min(as_of, posted.min().date())
            arrays = {name: np.full((as_of - start).days + 1, np.nan) for name in _DAILY_COUNTS}

        video_day = np.zeros(0, dtype=int)
        video_likes = video_views = np.zeros(0)
        video_mature = np.zeros(0, dtype=bool)
        if as_of is not None and videos is not None and len(videos) and "posted_at" in videos.columns:
            posted = pd.to_datetime(videos["posted_at"])
            ok = posted.notna().to_numpy() & (posted.dt.date <= as_of).to_numpy()
            if ok.any():
                posted_days = posted[ok].dt.date
                assert start is not None
                video_day = np.array([(d - start).days for d in posted_days], dtype=int)
                video_likes = (
                    as_floats(videos["likes"])[ok] if "likes" in videos.columns else np.full(ok.sum(), np.nan)
                )
                video_views = (
                    as_floats(videos["views"])[ok] if "views" in videos.columns else np.full(ok.sum(), np.nan)
                )
                if "snapshot_date" in videos.columns:
                    seen = pd.to_datetime(videos["snapshot_date"])[ok].dt.date
                    seen = [s if isinstance(s, date) else as_of for s in seen]
                else:
                    seen = [as_of] * int(ok.sum())
                video_mature = np.array(
                    [(s - p).days >= MATURE_VIDEO_AGE_DAYS for s, p in zip(seen, posted_days, strict=True)],
                    dtype=bool,
                )
                order = np.argsort(video_day, kind="stable")
                video_day, video_likes = video_day[order], video_likes[order]
                video_views, video_mature = video_views[order], video_mature[order]

        baseline = cls._from_arrays(
            account or "",
            as_of,
            start,
            arrays,
            video_day,
            video_likes,
            video_views,
            video_mature,
            videos_listed_only,
        )
        baseline = dataclasses.replace(baseline, from_posts=from_posts, read_on=read_on)
        if followers_to is None or as_of is None or followers_to <= as_of:
            return baseline
        baseline = dataclasses.replace(baseline, followers_to=followers_to)
        if counts_past_overview(metric):
            counted = cls.from_frames(
                daily, videos, account=account, as_of=followers_to, videos_listed_only=videos_listed_only
            )
            return baseline.for_followers(counted)
        return baseline

    def for_followers(self, counted: Baseline) -> Baseline:
        """`counted` (this account's baseline to the follower counts' last settled day) for a
        follower goal: its follower counts and follower growth, with this baseline's other levers,
        measured to the Overview's last day, as the What-if sliders start from them (the days
        after it have no likes, views or posts to measure, and would read as a posting pause)."""
        levers = {name: getattr(self, name) for name in _OVERVIEW_LEVERS}
        digest = hashlib.sha256((counted.fingerprint + repr(sorted(levers.items()))).encode())
        return dataclasses.replace(
            counted, **levers, overview_to=self.as_of, fingerprint=digest.hexdigest()[:16]
        )

    @classmethod
    def _from_arrays(
        cls,
        account: str,
        as_of: date | None,
        start: date | None,
        arrays: dict[str, np.ndarray],
        video_day: np.ndarray,
        video_likes: np.ndarray,
        video_views: np.ndarray,
        video_mature: np.ndarray,
        videos_listed_only: bool = False,
    ) -> Baseline:
        levers = _levers(arrays, video_day, video_likes, video_views, video_mature, videos_listed_only)
        digest = hashlib.sha256(repr((account, as_of, start, videos_listed_only)).encode())
        for array in (*arrays.values(), video_day, video_likes, video_views, video_mature):
            digest.update(np.ascontiguousarray(array).tobytes())
        return cls(
            account=account,
            as_of=as_of,
            start=start,
            likes=arrays["likes"],
            views=arrays["views"],
            comments=arrays["comments"],
            shares=arrays["shares"],
            followers=arrays["followers"],
            video_day=video_day,
            video_likes=video_likes,
            video_views=video_views,
            video_mature=video_mature,
            fingerprint=digest.hexdigest()[:16],
            videos_listed_only=videos_listed_only,
            **levers,
        )

    def truncated(self, last: int) -> Baseline:
        """The baseline as it was on day `last` (an index): the days up to it, the videos posted by
        then (settled when posted at least MATURE_VIDEO_AGE_DAYS before it). For backtests: a
        video's likes are its latest totals, not those of that day, the only look-ahead left."""
        if self.start is None or not 0 <= last < self.n_days:
            raise ValueError(f"day {last} is outside the baseline's {self.n_days} days")
        arrays = {name: getattr(self, name)[: last + 1] for name in _DAILY_COUNTS}
        keep = self.video_day <= last
        mature = self.video_mature[keep] & (self.video_day[keep] <= last - MATURE_VIDEO_AGE_DAYS)
        return Baseline._from_arrays(
            self.account,
            self.date_at(last),
            self.start,
            arrays,
            self.video_day[keep],
            self.video_likes[keep],
            self.video_views[keep],
            mature,
            self.videos_listed_only,
        )

    # --- reading -------------------------------------------------------------------------------

    @property
    def n_days(self) -> int:
        """Calendar days held, from `start` to `as_of`."""
        return len(self.likes)

    def day_index(self, day: date) -> int:
        """Position of `day` in the daily arrays (negative or >= n_days when outside)."""
        if self.start is None:
            raise ValueError("the baseline holds no days")
        return (day - self.start).days

    def date_at(self, index: int) -> date:
        if self.start is None:
            raise ValueError("the baseline holds no days")
        return self.start + timedelta(days=int(index))

    def follower_gains(self) -> np.ndarray:
        """Followers gained each day (NaN where either day's count is missing)."""
        if len(self.followers) == 0:
            return np.zeros(0)
        return np.diff(self.followers, prepend=np.nan)

    def follower_level(self, index: int) -> float:
        """The last known follower count on or before day `index` (NaN if none)."""
        known = np.flatnonzero(~np.isnan(self.followers[: max(index + 1, 0)]))
        return float(self.followers[known[-1]]) if len(known) else float("nan")

    def usable_days(self, metric: str) -> int:
        """Days in the history that have the values `metric` needs."""
        return int(self.usable(metric).sum())

    def usable_text(self, metric: str) -> str:
        """What a day needs to count for `metric`, as `usable` decides it, in words."""
        return {
            "followers": "a follower count on it and the day before",
            "like_rate": "both likes and views",
            "engagement_rate_by_view": "likes, views, comments and shares",
        }.get(metric, "likes")

    def usable(self, metric: str) -> np.ndarray:
        """Per day: whether the day has every value `metric` needs (a boolean array)."""
        if metric == "followers":
            return ~np.isnan(self.follower_gains())
        if metric == "like_rate":
            return ~np.isnan(self.likes) & ~np.isnan(self.views) & (np.nan_to_num(self.views) >= 0)
        if metric == "engagement_rate_by_view":
            return ~(
                np.isnan(self.likes) | np.isnan(self.views) | np.isnan(self.comments) | np.isnan(self.shares)
            )
        return ~np.isnan(self.likes)

    def to_dict(self) -> dict[str, Any]:
        """The measured levers as plain JSON values (for the CLI and the What-if page)."""

        def plain(x: float) -> float | None:
            return None if x is None or not np.isfinite(x) else float(x)

        return {
            "account": self.account,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "days": self.n_days,
            "videos": int(len(self.video_day)),
            "posts_per_week": plain(self.posts_per_week),
            "views_per_video": plain(self.views_per_video),
            "like_rate": plain(self.like_rate),
            "daily_like_rate": plain(self.daily_like_rate),
            "follower_gain_per_day": plain(self.follower_gain_per_day),
        }


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 and np.isfinite(numerator) else float("nan")


class _Levers(TypedDict):
    """The Baseline's lever fields, as `_levers` measures them."""

    posts_per_week: float
    videos_per_week: float
    views_per_video: float
    like_rate: float
    daily_like_rate: float
    follower_gain_per_day: float
    new_video_like_share: float
    new_video_view_share: float


def _levers(
    daily: dict[str, np.ndarray],
    video_day: np.ndarray,
    video_likes: np.ndarray,
    video_views: np.ndarray,
    video_mature: np.ndarray,
    videos_listed_only: bool = False,
) -> _Levers:
    """Posting, reach and like-rate levers over the last LEVER_WINDOW_DAYS days; posting is not
    measured (NaN) on a video list that is a sample of the posts (`videos_listed_only`)."""
    n = len(daily["likes"])
    window = min(LEVER_WINDOW_DAYS, n) if n else LEVER_WINDOW_DAYS
    first = n - window
    likes, views = daily["likes"][first:], daily["views"][first:]
    both = ~np.isnan(likes) & ~np.isnan(views)
    daily_like_rate = _ratio(likes[both].sum(), views[both].sum())
    likes_per_day = float(np.nanmean(likes)) if (~np.isnan(likes)).any() else float("nan")
    views_per_day = float(np.nanmean(views)) if (~np.isnan(views)).any() else float("nan")

    # Posting is counted over the last 12 weeks that the daily data or the video list covers: a
    # 7-day download's Content list reaches weeks before its first daily row.
    earliest = min(0, int(video_day.min())) if len(video_day) else 0
    posting_window = min(LEVER_WINDOW_DAYS, n - earliest) if n else LEVER_WINDOW_DAYS
    recent = video_day >= n - posting_window
    videos_per_week = float(recent.sum()) / posting_window * 7 if len(video_day) and n else float("nan")
    posts_per_week = float("nan") if videos_listed_only else videos_per_week
    pool = recent & video_mature & ~np.isnan(video_likes) & ~np.isnan(video_views)
    if pool.sum() < 3:  # too few recent mature videos: fall back on every mature video
        pool = video_mature & ~np.isnan(video_likes) & ~np.isnan(video_views)
    views_per_video = float(video_views[pool].mean()) if pool.any() else float("nan")
    like_rate = _ratio(video_likes[pool].sum(), video_views[pool].sum()) if pool.any() else float("nan")

    def share(per_post: float, per_day: float) -> float:
        # Recent posts' lifetime counts, spread over the window, against the account's daily counts;
        # unknown -> 1.0 (treat everything as coming from posting), as on a sample of the posts:
        # counted from the sample's own rate it would be as small as the sample (declining's 15
        # listed videos gave 0.04; a whole list gives 0.96 on the demo).
        value = posts_per_week / 7 * per_post / per_day if per_day and np.isfinite(per_day) else float("nan")
        return float(min(1.0, value)) if np.isfinite(value) and value > 0 else 1.0

    followers = daily["followers"][first:]
    known = np.flatnonzero(~np.isnan(followers))
    gain = (
        float((followers[known[-1]] - followers[known[0]]) / (known[-1] - known[0]))
        if len(known) >= 2 and known[-1] > known[0]
        else float("nan")
    )
    return {
        "posts_per_week": posts_per_week,
        "videos_per_week": videos_per_week,
        "views_per_video": views_per_video,
        "like_rate": like_rate,
        "daily_like_rate": daily_like_rate,
        "follower_gain_per_day": gain,
        "new_video_like_share": share(views_per_video * like_rate, likes_per_day),
        "new_video_view_share": share(views_per_video, views_per_day),
    }


def load_baseline(
    store: Store, account: str | None = None, as_of: date | None = None, metric: str | None = None
) -> Baseline:
    """The baseline of one account (the primary one by default), read from a store; for a goal on
    `metric` when given (a follower goal may count to a later day: `Baseline.from_frames`)."""
    account = account or store.primary_account()
    # Only this account's rows leave DuckDB: every account's videos cost 0.9 GB and 2.5 s at 1M.
    return Baseline.from_frames(
        store.table("daily", account),
        store.table("videos", account),
        account=account,
        as_of=as_of,
        metric=metric,
        videos_listed_only=scope.videos_listed_only(store, account),
    )


def age_note(
    as_of: date | None, today: date, *, from_posts: bool = False, read_on: date | None = None
) -> str | None:
    """That plans start from a day long past, when `as_of` (`Baseline.as_of`) is more than
    OLD_DATA_DAYS before `today` (the wall clock, which only this sentence reads): a 2021 export
    plans in 2021, and the planning pages say so. Without daily data (`from_posts`) the day is the
    newest video's posting day, and a video list read recently (`read_on`) is no old data: the
    account has posted nothing since.

    >>> age_note(date(2021, 3, 16), date(2026, 11, 29))[:73]
    "The data's last settled day is 16 Mar 2021, over 5 years before today (29"
    >>> age_note(date(2026, 11, 1), date(2026, 11, 29)) is None
    True
    >>> age_note(date(2026, 8, 31), date(2026, 11, 29), from_posts=True, read_on=date(2026, 11, 28))[-78:]
    'The video list was read on 28 Nov 2026 and holds no video posted after 31 Aug.'
    """
    if as_of is None or (today - as_of).days <= OLD_DATA_DAYS:
        return None
    day = (
        f"The newest video in the data was posted on {long_day(as_of)}"
        if from_posts
        else f"The data's last settled day is {long_day(as_of)}"
    )
    recent = from_posts and read_on is not None and (today - read_on).days <= OLD_DATA_DAYS
    advice = (
        f"The video list was read on {long_day(read_on)} and holds no video posted after {short_day(as_of)}."
        if recent and read_on is not None
        else "Upload recent exports to plan from today."
    )
    return (
        f"{day}, {_age((today - as_of).days)} before today ({long_day(today)}): goals and scenarios start "
        f"the day after it, as if it were then, and their paces and chances are that time's. {advice}"
    )


def _age(days: int) -> str:
    """A span of days in the unit a reader thinks in: '45 days', '8 months', 'over 5 years'.

    >>> _age(45), _age(250), _age(400), _age(2084)
    ('45 days', '8 months', 'over 1 year', 'over 5 years')
    """
    if days < 60:
        return f"{days} days"
    if days < 365:
        return f"{days // 30} months"
    years = days // 365
    return f"over {years} year{'s' if years > 1 else ''}"
