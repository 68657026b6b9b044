"""Is there anything to show? Each Content section's table, or the one sentence (with the real
counts and what would make the section possible) that replaces a chart or table carrying no
information."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi_core.metrics import hashtags
from kpi_core.metrics.audience_files import no_activity_reason
from kpi_core.metrics.content import (
    MIN_CELL_VIDEOS,
    MIN_OUTLIER_VIDEOS,
    OUTLIER_Z,
    audience_hours,
    posting_times,
    range_params,
    top_videos,
    viral_outliers,
)
from kpi_core.metrics.findings import Finding, and_list, plural
from kpi_core.metrics.hashtags import NO_SPREAD_SENTENCE, Prior
from kpi_core.metrics.scope import (
    PARTIAL_LIST,
    DateLike,
    no_video_list,
    resolve_account,
    videos_in_period,
    videos_listed_only,
)
from kpi_core.metrics.uplift import DEFAULT_RULES, MIN_SUPPORT, Rule, group_uplift, hashtag_uplift
from kpi_core.store import Store

__all__ = [
    "Ranking",
    "audience_finding",
    "group_finding",
    "hashtag_finding",
    "listed_videos_note",
    "posting_slot_finding",
    "ranking",
    "video_counts",
    "viral_outlier_finding",
]


# ---------------------------------------------------------------------------------------------
# Is there anything to show? Each section's table, or the sentence that says why not.


def video_counts(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> dict[str, int]:
    """Videos posted in the range: `videos`, `with_likes`, `with_likes_and_views`, `with_time`
    (a known posting hour), as sql/kpi_video_counts.sql counts them."""
    row = store.query("kpi_video_counts", **range_params(store, account, date_from, date_to)).iloc[0]
    return {column: int(row[column]) for column in row.index}


def _more(n: int) -> str:
    """'1 more video', '3 more videos'."""
    return plural(n, "more video")


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
    period = videos_in_period(store, account)
    if count == 0:
        reason = no_video_list(store, account) or f"No video {period} can be ranked by {value}."
    else:
        reason = (
            f"Only {plural(count, 'video')} {period} can be ranked by {value}, so "
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
    if counts["videos"] == 0 and (unlisted := no_video_list(store, account)):
        return Finding(outliers, unlisted)
    if count < MIN_OUTLIER_VIDEOS:
        period = videos_in_period(store, account)
        posted = (
            f"Only {plural(count, 'video')} {'was' if count == 1 else 'were'} {period}"
            if count == counts["videos"]
            else f"Only {count} of the {plural(counts['videos'], 'video')} {period} "
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


def listed_videos_note(store: Store, account: str | None) -> str | None:
    """Why video counts fall short, when the account's recent videos come only from TikTok Studio's
    Content exports (`scope.videos_listed_only`): each lists about 15 videos, not every post, so
    a count of them is a floor and posts per week is not measured. None when a list of every post
    covers them, or the account has no videos."""
    if not videos_listed_only(store, account):
        return None
    return f"Video counts here are a floor: {PARTIAL_LIST}. Posts per week is not measured on such a list."


def posting_slot_finding(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> Finding:
    """`posting_times` by weekday and hour, or why no slot can be read: no video has a posting
    hour (Studio gives dates only), or every slot has fewer than MIN_CELL_VIDEOS videos."""
    cells = posting_times(store, account, date_from, date_to, by="weekday_hour")
    if cells.empty:
        count = video_counts(store, account, date_from, date_to)["videos"]
        if count == 0 and (unlisted := no_video_list(store, account)):
            return Finding(cells, unlisted)
        period = videos_in_period(store, account)
        which = f"The video {period} has" if count == 1 else f"The {count:,} videos {period} have"
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
    """`audience_hours`, or why there is no hour to prefer: no FollowerActivity rows in the period
    (the Audience page's reason: `audience_files.no_activity_reason`), or no follower online in any
    hour."""
    hours = audience_hours(store, account, date_from, date_to)
    if hours.empty:
        return Finding(hours, no_activity_reason(store, account))
    if not hours["active_followers"].fillna(0).gt(0).any():
        days = int(hours["days"].max())
        return Finding(
            hours,
            f"FollowerActivity counts no follower online in any hour of its {plural(days, 'day')} in "
            "this period, so there is no hour to prefer yet.",
        )
    return Finding(hours)


# The with/without like-rate columns `uplift` gives: a hashtag's like rate is the empirical-Bayes
# estimate of `hashtags` instead, the Portfolio page's, so the two pages give one verdict per hashtag.
WELCH_LIKE_RATE = ["like_rate_uplift", "like_rate_uplift_low", "like_rate_uplift_high", "like_rate_verdict"]


def hashtag_finding(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    min_support: int = MIN_SUPPORT,
) -> tuple[Finding, Prior]:
    """Each hashtag of the account's titles: its likes per video with it against without it
    (`hashtag_uplift`: a Welch interval, a verdict from `min_support` videos on each side), and its
    like rate against the account's, shrunk by empirical Bayes (`hashtags.hashtag_table` over the
    same videos: the Portfolio page's estimate, so the pages never give a hashtag two like-rate
    verdicts); with the prior of that estimate.

    The table is `hashtag_uplift`'s without its with/without like-rate difference (WELCH_LIKE_RATE),
    with `hashtags.ESTIMATE`'s columns (and its videos and accounts). Its reason says why no hashtag can be compared: none in the
    titles, or none with `min_support` videos on each side (the sentence names the closest and what
    it lacks) and no like rate to tell apart: too few videos, or hashtags that differ no more than
    chance (τ fitted as 0). When the like rate can be shown, the likes sentence is a note."""
    account = resolve_account(store, account)
    welch = hashtag_uplift(store, account, date_from, date_to, min_support)
    rates, prior = hashtags.hashtag_table(store, account, date_from, date_to)
    if welch.empty:
        count = video_counts(store, account, date_from, date_to)["with_likes_and_views"]
        if count == 0 and (unlisted := no_video_list(store, account)):
            return Finding(welch, unlisted), prior
        videos = f"the {plural(count, 'video')}" if count else "any video"
        reason = (
            f"No hashtags in the titles of {videos} with likes and views {videos_in_period(store, account)}."
        )
        return Finding(welch, reason), prior
    table = welch.drop(columns=WELCH_LIKE_RATE).merge(
        rates[["hashtag", "videos", "accounts", *hashtags.ESTIMATE]],
        on="hashtag",
        how="left",
        validate="one_to_one",
    )
    support = _support_reason(welch, "hashtag", ("with it", "without it"), min_support)
    if support and not prior.tau:  # no likes comparison, and no like rate, or all shrunk to the account's
        chance = f" {NO_SPREAD_SENTENCE}" if prior.tau == 0 else ""
        return Finding(table, support + chance), prior
    notes = (f"Likes per video: {support[0].lower()}{support[1:]}",) if support else ()
    return Finding(table, None, notes), prior


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
            f"The {groups} {and_list(empty)} {verb} no videos in this period: no title matches {whose} rules.",
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
            f"{and_list(counts)} {verb} too few videos to compare: a group needs at least {min_support} videos "
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
