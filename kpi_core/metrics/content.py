"""Which videos and which kinds of content earn likes: outliers, rankings, posting times, hashtags, groups.

Claims need support: a posting-time cell with fewer than MIN_CELL_VIDEOS videos, or a
with/without comparison with fewer than MIN_SUPPORT videos on either side, is shown but flagged
and never turned into a verdict. Intervals are Welch t-intervals built from sums computed in
DuckDB (the like-rate difference uses the delta method for a ratio of sums).

Whether a section has anything to show is decided here too: the `*_finding` functions and
`ranking` return the table, or the one sentence (with the real counts and what would make the
section possible) that replaces a chart or table carrying no information.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from kpi_core.metrics.findings import Finding, plural
from kpi_core.metrics.scope import DateLike, as_date, resolve_account
from kpi_core.store import Store

__all__ = [
    "DEFAULT_RULES",
    "MIN_CELL_VIDEOS",
    "MIN_OUTLIER_VIDEOS",
    "MIN_SUPPORT",
    "OUTLIER_Z",
    "Ranking",
    "Rule",
    "audience_finding",
    "audience_hours",
    "group_finding",
    "group_uplift",
    "hashtag_finding",
    "hashtag_uplift",
    "posting_slot_finding",
    "posting_times",
    "ranking",
    "top_videos",
    "video_counts",
    "video_table",
    "viral_outlier_finding",
    "viral_outliers",
]

OUTLIER_Z = 3.5  # robust z-score above which a video counts as viral (Iglewicz & Hoaglin)
MIN_OUTLIER_VIDEOS = 5  # below this, an account has no "typical" video to stand out from
MIN_CELL_VIDEOS = 3  # a posting-time cell with fewer videos makes no claim
MIN_SUPPORT = 5  # videos needed on each side of a with/without comparison
CONFIDENCE = 0.95
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Rule:
    """A content-group rule: videos whose title matches join group `name` (any rule of it matches).

    kind 'contains': the title contains `text` (case-insensitive). kind 'mention': the title
    @mentions the handle `text`, or anyone when `text` is empty.
    """

    name: str
    kind: str
    text: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("contains", "mention"):
            raise ValueError(f"a rule's kind is 'contains' or 'mention', not {self.kind!r}")
        if self.kind == "contains" and not self.text.strip():
            raise ValueError("a 'contains' rule needs a text")


DEFAULT_RULES: tuple[Rule, ...] = (Rule("collab", "contains", "collab"), Rule("collab", "mention"))


def _range(store: Store, account: str | None, date_from: DateLike, date_to: DateLike) -> dict[str, Any]:
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
        **_range(store, account, date_from, date_to),
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
        "kpi_video_ranked", **_range(store, account, date_from, date_to), n=n, by=by, bottom=bottom
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
    frame = store.query("kpi_posting_times", **_range(store, account, date_from, date_to), by=by)
    frame.insert(
        1, "weekday_name", frame["weekday"].map(lambda d: None if pd.isna(d) else WEEKDAYS[int(d) - 1])
    )
    frame["enough"] = frame["videos"] >= MIN_CELL_VIDEOS
    return frame


def audience_hours(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> pd.DataFrame:
    """Mean active followers per hour of day (columns: hour 0-23, active_followers, days)."""
    return store.query("kpi_follower_activity_hours", **_range(store, account, date_from, date_to))


# ---------------------------------------------------------------------------------------------
# With and without: hashtags and content groups


def hashtag_uplift(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    min_support: int = MIN_SUPPORT,
) -> pd.DataFrame:
    """Likes per video and like rate of videos with each hashtag against those without it.

    Hashtags are `#` + Unicode word characters, lower-cased, counted once per title. One row per
    hashtag, most used first; columns as in `uplift`, with `hashtag` as the key.
    """
    frame = store.query("kpi_hashtag_stats", **_range(store, account, date_from, date_to))
    return uplift(frame, min_support).rename(columns={"key": "hashtag"})


def group_uplift(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    rules: tuple[Rule, ...] = DEFAULT_RULES,
    min_support: int = MIN_SUPPORT,
) -> pd.DataFrame:
    """Likes per video and like rate of each content group against the other videos.

    One row per group name in `rules`; columns as in `uplift`, with `group` as the key.
    """
    if not rules:
        return uplift(pd.DataFrame(columns=["key", *_SUM_COLUMNS]), min_support).rename(
            columns={"key": "group"}
        )
    frame = store.query(
        "kpi_group_stats",
        **_range(store, account, date_from, date_to),
        names=[r.name for r in rules],
        kinds=[r.kind for r in rules],
        texts=[r.text for r in rules],
    )
    return uplift(frame, min_support).rename(columns={"key": "group"})


_SUMS = ("n", "likes", "likes2", "views", "views2", "likes_views")
_SUM_COLUMNS = [f"{s}_{side}" for side in ("with", "all") for s in _SUMS]


def uplift(sums: pd.DataFrame, min_support: int = MIN_SUPPORT) -> pd.DataFrame:
    """With/without comparison from the sums of kpi_hashtag_stats.sql or kpi_group_stats.sql.

    Columns: key, videos_with, videos_without, likes_per_video_with/_without, likes_uplift
    (likes per video, with - without) with likes_uplift_low/_high (95 % Welch interval) and
    likes_uplift_rel (a fraction of the without value), like_rate_with/_without (fractions),
    like_rate_uplift with _low/_high (fraction points), enough_support, likes_verdict,
    like_rate_verdict. Intervals are NaN and verdicts "not enough videos" when either side has
    fewer than `min_support` videos.
    """
    with_ = {s: sums[f"{s}_with"].to_numpy(dtype=float, na_value=np.nan) for s in _SUMS}
    all_ = {s: sums[f"{s}_all"].to_numpy(dtype=float, na_value=np.nan) for s in _SUMS}
    without = {s: all_[s] - with_[s] for s in _SUMS}
    enough = (with_["n"] >= min_support) & (without["n"] >= min_support)

    mean_with, var_mean_with = _mean(with_)
    mean_without, var_mean_without = _mean(without)
    rate_with, var_rate_with = _rate(with_)
    rate_without, var_rate_without = _rate(without)
    likes_diff = mean_with - mean_without
    rate_diff = rate_with - rate_without
    likes_half = _half_width(var_mean_with, with_["n"], var_mean_without, without["n"])
    rate_half = _half_width(var_rate_with, with_["n"], var_rate_without, without["n"])
    likes_half[~enough] = np.nan
    rate_half[~enough] = np.nan

    with np.errstate(divide="ignore", invalid="ignore"):
        likes_rel = np.where(mean_without > 0, likes_diff / mean_without, np.nan)
    return pd.DataFrame(
        {
            "key": sums["key"].to_numpy(),
            "videos_with": with_["n"].astype(int),
            "videos_without": without["n"].astype(int),
            "likes_per_video_with": mean_with,
            "likes_per_video_without": mean_without,
            "likes_uplift": likes_diff,
            "likes_uplift_low": likes_diff - likes_half,
            "likes_uplift_high": likes_diff + likes_half,
            "likes_uplift_rel": likes_rel,
            "like_rate_with": rate_with,
            "like_rate_without": rate_without,
            "like_rate_uplift": rate_diff,
            "like_rate_uplift_low": rate_diff - rate_half,
            "like_rate_uplift_high": rate_diff + rate_half,
            "enough_support": enough,
            "likes_verdict": _verdicts(
                likes_diff - likes_half,
                likes_diff + likes_half,
                enough,
                "more likes with",
                "fewer likes with",
            ),
            "like_rate_verdict": _verdicts(
                rate_diff - rate_half,
                rate_diff + rate_half,
                enough,
                "higher like rate with",
                "lower like rate with",
            ),
        }
    )


def _mean(side: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Mean likes per video and the variance of that mean (sample variance / n)."""
    n, total, squares = side["n"], side["likes"], side["likes2"]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, total / n, np.nan)
        variance = np.where(n > 1, np.maximum(squares - total * mean, 0) / (n - 1), np.nan)
        return mean, variance / n


def _rate(side: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Like rate sum(likes)/sum(views) and its delta-method variance."""
    n, likes, views = side["n"], side["likes"], side["views"]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(views > 0, likes / views, np.nan)
        # sum over videos of (likes - rate * views)^2, expanded into the sums we have.
        residual = np.maximum(side["likes2"] - 2 * rate * side["likes_views"] + rate**2 * side["views2"], 0)
        variance = np.where(n > 1, residual * n / ((n - 1) * views**2), np.nan)
        return rate, variance


def _half_width(var_a: np.ndarray, n_a: np.ndarray, var_b: np.ndarray, n_b: np.ndarray) -> np.ndarray:
    """Half the width of a Welch t-interval for a difference of two estimates."""
    total = var_a + var_b
    with np.errstate(divide="ignore", invalid="ignore"):
        dof = total**2 / (var_a**2 / (n_a - 1) + var_b**2 / (n_b - 1))
        half = stats.t.ppf(0.5 + CONFIDENCE / 2, dof) * np.sqrt(total)
    return np.where(total == 0, 0.0, half)  # no spread on either side: the difference is exact


def _verdicts(low: np.ndarray, high: np.ndarray, enough: np.ndarray, up: str, down: str) -> list[str]:
    return [
        "not enough videos" if not ok else up if lo > 0 else down if hi < 0 else "no clear difference"
        for lo, hi, ok in zip(low, high, enough, strict=True)
    ]


# ---------------------------------------------------------------------------------------------
# Is there anything to show? Each section's table, or the sentence that says why not.


def video_counts(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> dict[str, int]:
    """Videos posted in the range: `videos`, `with_likes`, `with_likes_and_views`, `with_time`
    (a known posting hour), as sql/kpi_video_counts.sql counts them."""
    row = store.query("kpi_video_counts", **_range(store, account, date_from, date_to)).iloc[0]
    return {column: int(row[column]) for column in row.index}


def _more(n: int) -> str:
    """'1 more video', '3 more videos'."""
    return plural(n, "more video")


def _names(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True, eq=False)
class Ranking:
    """The best and the worst videos, which never share a video. With fewer than twice the list
    length, `bottom` is empty, `top` ranks every video and `reason` says why there is one list."""

    top: pd.DataFrame
    bottom: pd.DataFrame
    reason: str | None = None


def ranking(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    n: int = 5,
    by: str = "likes",
) -> Ranking:
    """The top `n` and bottom `n` videos by likes or like rate (as `top_videos`), or, when fewer
    than 2n videos can be ranked, all of them in one list with the reason."""
    ranked = top_videos(store, account, date_from, date_to, n=2 * n, by=by)
    if len(ranked) >= 2 * n:
        return Ranking(
            ranked.head(n), top_videos(store, account, date_from, date_to, n=n, by=by, bottom=True)
        )
    count = len(ranked)
    value = "likes" if by == "likes" else "like rate (a like rate needs views)"
    if count == 0:
        reason = f"No video posted in this period can be ranked by {value}."
    else:
        reason = (
            f"Only {plural(count, 'video')} posted in this period can be ranked by {value}, so "
            f"{'it is' if count == 1 else 'they are'} one list: a top {n} and a separate bottom {n} need "
            f"at least {2 * n} videos, or they would share videos."
        )
    return Ranking(ranked, ranked.iloc[0:0], reason)


def viral_outlier_finding(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    threshold: float = OUTLIER_Z,
) -> Finding:
    """`viral_outliers`, or why there are none: too few videos to know a typical one, or none
    stands out."""
    outliers = viral_outliers(store, account, date_from, date_to, threshold)
    if len(outliers):
        return Finding(outliers)
    counts = video_counts(store, account, date_from, date_to)
    count = counts["with_likes"]
    if count < MIN_OUTLIER_VIDEOS:
        posted = (
            f"Only {plural(count, 'video')} {'was' if count == 1 else 'were'} posted in this period"
            if count == counts["videos"]
            else f"Only {count} of the {plural(counts['videos'], 'video')} posted in this period "
            f"{'has' if count == 1 else 'have'} a like count"
        )
        reason = (
            f"{posted}: telling a viral video from a typical one needs at least {MIN_OUTLIER_VIDEOS}, so "
            f"{_more(MIN_OUTLIER_VIDEOS - count)} would allow it."
        )
    else:
        reason = (
            f"No video stands out among the {plural(count, 'video')}: no video's likes or like rate are more "
            f"than {threshold:g} robust z-scores above the typical video's."
        )
    return Finding(outliers, reason)


def posting_slot_finding(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> Finding:
    """`posting_times` by weekday and hour, or why no slot can be read: no video has a posting
    hour (Studio gives dates only), or every slot has fewer than MIN_CELL_VIDEOS videos."""
    cells = posting_times(store, account, date_from, date_to, by="weekday_hour")
    if cells.empty:
        count = video_counts(store, account, date_from, date_to)["videos"]
        which = (
            "The video posted in this period has"
            if count == 1
            else f"The {count:,} videos posted in this period have"
        )
        return Finding(
            cells,
            f"{which} no posting hour: TikTok "
            "Studio's Content export gives the posting date only. A scraper export of the account "
            "adds the time of day.",
        )
    if cells["enough"].any():
        return Finding(cells)
    videos, busiest = int(cells["videos"].sum()), int(cells["videos"].max())
    spread = (
        "Only 1 video has a posting hour"
        if videos == 1
        else f"The {plural(videos, 'video')} with a posting hour are spread over "
        f"{plural(len(cells), 'weekday-and-hour slot')}, the busiest with {plural(busiest, 'video')}"
    )
    return Finding(
        cells,
        f"{spread}: a slot needs at least {MIN_CELL_VIDEOS} videos before its likes say anything "
        "about when to post.",
    )


def audience_finding(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> Finding:
    """`audience_hours`, or why there is no hour to prefer: no FollowerActivity rows (small
    accounts get the file header-only), or no follower online in any hour."""
    hours = audience_hours(store, account, date_from, date_to)
    if hours.empty:
        return Finding(
            hours,
            "No follower activity for this account and period: it comes from TikTok Studio's Followers "
            "export (FollowerActivity), which covers its last 7 days; TikTok writes it with no rows for "
            "small accounts.",
        )
    if not hours["active_followers"].fillna(0).gt(0).any():
        days = int(hours["days"].max())
        return Finding(
            hours,
            f"FollowerActivity counts no follower online in any hour of its {plural(days, 'day')} in "
            "this period, so there is no hour to prefer yet.",
        )
    return Finding(hours)


def hashtag_finding(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    min_support: int = MIN_SUPPORT,
) -> Finding:
    """`hashtag_uplift`, or why no hashtag can be compared: no hashtags, or none has `min_support`
    videos with it and without it (the sentence names the closest and what it lacks)."""
    table = hashtag_uplift(store, account, date_from, date_to, min_support)
    if table.empty:
        count = video_counts(store, account, date_from, date_to)["with_likes_and_views"]
        videos = f"the {plural(count, 'video')}" if count else "any video"
        return Finding(
            table, f"No hashtags in the titles of {videos} with likes and views posted in this period."
        )
    return Finding(table, _support_reason(table, "hashtag", ("with it", "without it"), min_support))


def group_finding(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    rules: tuple[Rule, ...] = DEFAULT_RULES,
    min_support: int = MIN_SUPPORT,
) -> Finding:
    """`group_uplift` without the groups no video matches, or why no group can be compared. Notes
    name the groups no video matches and those with too few videos to compare (left out of the charts)."""
    table = group_uplift(store, account, date_from, date_to, rules, min_support)
    matched = table["videos_with"] > 0
    empty = table.loc[~matched, "group"].tolist()
    notes: tuple[str, ...] = ()
    if empty:
        groups, verb, whose = ("group", "has", "its") if len(empty) == 1 else ("groups", "have", "their")
        notes = (
            f"The {groups} {_names(empty)} {verb} no videos in this period: no title matches {whose} rules.",
        )
    kept = table[matched].reset_index(drop=True)
    if kept.empty:
        if not len(table):
            return Finding(kept, "No content groups: add a rule below.")
        return Finding(kept, notes[0])
    reason = _support_reason(kept, "group", ("in it", "outside it"), min_support)
    if reason is not None:
        return Finding(kept, " ".join((*notes, reason)))
    few = kept[~kept["enough_support"]]
    if len(few):
        counts = [
            f"{g} ({plural(int(n), 'video')} in it)"
            for g, n in zip(few["group"], few["videos_with"], strict=True)
        ]
        verb, claim = ("has", "it makes") if len(few) == 1 else ("have", "they make")
        notes += (
            f"{_names(counts)} {verb} too few videos to compare: a group needs at least {min_support} videos "
            f"in it and {min_support} outside it, so {claim} no claim yet.",
        )
    return Finding(kept, None, notes)


def _support_reason(table: pd.DataFrame, noun: str, sides: tuple[str, str], min_support: int) -> str | None:
    """None when some row of an `uplift` table has the support for a verdict; otherwise one
    sentence with the counts and what the closest row lacks."""
    if table["enough_support"].any():
        return None
    with_, without = sides
    need_with = (min_support - table["videos_with"]).clip(lower=0)
    need_without = (min_support - table["videos_without"]).clip(lower=0)
    closest = int((need_with + need_without).to_numpy().argmin())  # ties: the most used, listed first
    row = table.iloc[closest]
    key = str(row[table.columns[0]])
    has, total = int(row["videos_with"]), int(row["videos_with"] + row["videos_without"])
    needs = " and ".join(
        f"{_more(int(k))} {side}"
        for k, side in ((need_with.iloc[closest], with_), (need_without.iloc[closest], without))
        if k
    )
    rule = f"at least {min_support} videos {with_} and {min_support} {without}"
    if len(table) == 1:
        return (
            f"The only {noun}, {key}, has {has} of the {plural(total, 'video')} {with_}: a comparison needs "
            f"{rule}, so {needs} would allow it."
        )
    return (
        f"No {noun} has enough videos to compare yet: each of the {len(table):,} needs {rule}. The closest, "
        f"{key} ({has} of the {plural(total, 'video')}), needs {needs}."
    )
