"""Why likes changed: the likes driver tree and its exact split of a change between two periods.

    likes = videos posted × views per video × like rate

From the videos posted in each period (their likes and views so far) where the video list has
videos in both periods; from the daily totals otherwise, as views × like rate, with views split
into videos posted × views per video posted when the video list has videos in both periods. Every
level is a registry KPI (kpi_core.metrics.registry): the per-video like rate and views per video
(both over the videos with likes and views, so the three multiply to exactly their likes), the
per-day like rate (over the days with likes and views) and the video count.

The change in likes is split with the additive LMDI-I (log-mean Divisia index) decomposition,
which leaves no residual: driver k contributes

    L(likes now, likes before) × ln(k now / k before),  L(a, b) = (a − b) / ln(a / b),  L(a, a) = a

and since the logs of the drivers' ratios add up to ln(likes now / likes before), the
contributions add up to the change. A driver equal in both periods contributes 0, so a change in
one driver alone is attributed entirely to it. A driver that is 0 in one period (no videos, no
views, no likes) makes that period's likes 0; the whole change then goes to it (the limit of
LMDI as the zero is approached; several zeros in one period share it equally), and drivers that
cannot be measured in that period (views per video without videos) contribute 0. A driver that
is missing (a like rate over 100%, which the registry turns into n/a) leaves the split n/a.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from kpi_core.metrics.comparison import NO_EARLIER_DATA, previous_range, settled_note
from kpi_core.metrics.findings import day_span, plural, short_day
from kpi_core.metrics.lmdi import lmdi
from kpi_core.metrics.ratios import KpiValue, ratio
from kpi_core.metrics.scope import (
    PARTIAL_LIST,
    DateLike,
    as_date,
    plain,
    posting_span,
    resolve_account,
    settled_cut,
    videos_listed_only,
)
from kpi_core.metrics.spike import SpikeShare, spike_share
from kpi_core.metrics.values import daily_results, video_results
from kpi_core.store import Store

__all__ = [
    "DRIVERS",
    "FORMULA",
    "Side",
    "Source",
    "DriverTree",
    "driver_tree",
]

Source = Literal["videos", "daily"]
DRIVERS: tuple[str, ...] = ("posts", "views_per_video", "like_rate")
# The two-driver tree of daily totals when views cannot be split into videos × views per video.
DAILY_DRIVERS: tuple[str, ...] = ("views", "like_rate")
FORMULA = (
    "Likes = videos posted × views per video × like rate. The change in likes between two periods is "
    "split exactly between the three (LMDI-I, additive, no residual): each driver contributes "
    "L(likes now, likes before) × ln(driver now / driver before), where L(a, b) = (a − b) / ln(a / b) "
    "is the logarithmic mean and L(a, a) = a. The logs of the drivers' ratios add up to the log of the "
    "likes' ratio, so the contributions add up to the change: a driver that did not change contributes 0, "
    "and a change in one driver alone is all its own. A driver that is 0 in one period (no videos, no "
    "views, no likes) takes the whole change; one that cannot be measured (a like rate over 100%) "
    "leaves the split n/a."
)


@dataclass(frozen=True)
class Side:
    """One period's node values: likes and the drivers that multiply to them.

    `rows` are the videos (source "videos") or days (source "daily") behind the values; `posts`
    are the videos posted in the period (with likes and views for source "videos"), None when
    the video list does not cover the period. Rates are fractions; None is n/a.
    """

    date_from: date
    date_to: date
    likes: int | None
    posts: int | None
    views: int | None
    views_per_video: float | None
    like_rate: float | None
    rows: int
    rows_noun: str  # "video" or "day"

    @property
    def days(self) -> int:
        """Calendar days in the period."""
        return (self.date_to - self.date_from).days + 1

    @property
    def posts_per_week(self) -> float | None:
        """Videos posted per week of the period (the What-if posting lever's unit)."""
        return ratio(self.posts, self.days, 7.0)

    @property
    def base(self) -> str:
        """What stands behind the values: '9 videos', '88 days'."""
        return plural(self.rows, self.rows_noun)

    def level(self, name: str) -> float | None:
        return getattr(self, name)  # type: ignore[no-any-return]

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "days": self.days,
            "likes": self.likes,
            "posts": self.posts,
            "posts_per_week": self.posts_per_week,
            "views": self.views,
            "views_per_video": self.views_per_video,
            "like_rate": self.like_rate,
            "rows": self.rows,
            "rows_unit": f"{self.rows_noun}s",
        }


@dataclass(frozen=True)
class DriverTree:
    """The driver tree of two periods and the split of the change in likes between the drivers.

    `contributions` (likes) has "posts", "views_per_video" and "like_rate"; a daily tree whose
    views cannot be split into videos × views per video has None for those two and a "views"
    contribution instead. The values that are not None add up to the change. `reason` says why
    there is no split at all (then every contribution is None); `notes` say what else to know.
    `plan` holds this period's lever values for What-if (posts per week, views per video and like
    rate of the videos posted in it), None where they cannot be measured.
    """

    source: Source | None
    now: Side
    before: Side
    contributions: dict[str, float | None]
    spike: SpikeShare
    reason: str | None = None
    notes: tuple[str, ...] = ()
    plan: dict[str, float | None] = field(default_factory=dict)
    days_note: str | None = None  # which days a daily tree compared (`comparison.settled_note`)

    @property
    def drivers(self) -> tuple[str, ...]:
        """The drivers the split uses, in tree order."""
        if self.contributions.get("views") is not None:
            return DAILY_DRIVERS
        return DRIVERS

    @property
    def change(self) -> int | None:
        """Likes now − likes before; None when either is n/a."""
        if self.reason is not None or self.now.likes is None or self.before.likes is None:
            return None
        return self.now.likes - self.before.likes

    @property
    def change_rel(self) -> float | None:
        """The change as a fraction of the likes before; None on a base of 0."""
        return None if self.change is None else ratio(self.change, self.before.likes)

    @property
    def source_text(self) -> str:
        """Which data the tree is built from and what stands behind each side, in a sentence."""
        now, before = self.now, self.before
        counts = f"{now.base} this period, {before.base} in the one before"
        if self.source == "videos":
            return f"From the videos posted in each period, with their likes and views so far: {counts}."
        if self.source == "daily":
            posting = (
                f" Videos posted come from the video list ({now.posts:,} and {before.posts:,})."
                if now.posts is not None and before.posts is not None
                else ""
            )
            return f"From the daily totals (likes and views received each day): {counts}.{posting}"
        return "n/a"

    def to_dict(self) -> dict[str, Any]:
        """The command line's JSON: source, likes, contributions, levels, spike share."""
        return {
            "source": self.source,
            "likes": {"now": self.now.likes, "before": self.before.likes, "change": self.change},
            "contributions": self.contributions,
            "levels": {"now": self.now.to_dict(), "before": self.before.to_dict()},
            "spike_share": self.spike.to_dict(),
            "reason": self.reason,
            "notes": list(self.notes),
            "days_note": self.days_note,
            "formula": FORMULA,
        }


def _value(result: KpiValue) -> float | None:
    return None if result.value is None else float(result.value)


def _count(value: Any) -> int | None:
    value = plain(value)
    return None if value is None else int(value)


def _video_side(start: date, end: date, results: Mapping[str, KpiValue]) -> Side:
    per_video, rate = results["views_per_video"], results["like_rate"]
    posts = per_video.rows
    return Side(
        start,
        end,
        likes=_count(rate.numerator) if posts else 0,
        posts=posts,
        views=_count(per_video.numerator) if posts else 0,
        views_per_video=_value(per_video),
        like_rate=_value(rate),
        rows=posts,
        rows_noun="video",
    )


def _daily_side(start: date, end: date, results: Mapping[str, KpiValue], posts: int | None) -> Side:
    rate = results["like_rate"]
    views = _count(rate.denominator) if rate.rows else None
    return Side(
        start,
        end,
        likes=_count(rate.numerator) if rate.rows else None,
        posts=posts,
        views=views,
        views_per_video=ratio(views, posts),
        like_rate=_value(rate),
        rows=rate.rows,
        rows_noun="day",
    )


def _posted_nothing(span: tuple[date | None, date | None], start: date, end: date) -> bool:
    """Whether a period without videos means the account posted nothing: the video list has
    videos from before it and after it, so it covers the period."""
    first, last = span
    return first is not None and last is not None and first < start and last > end


def driver_tree(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    vs_from: DateLike = None,
    vs_to: DateLike = None,
    include_provisional: bool = False,
) -> DriverTree:
    """The likes driver tree of [date_from, date_to] against [vs_from, vs_to] (by default the
    period of the same length before it, `comparison.previous_range`), and the split of the change.

    Source "videos" when videos with likes and views were posted in both periods (or in one, while
    the video list covers the other, which then had no posts); else "daily" when both periods have
    days with likes and views; else no split, with the reason. A video list that Studio's Content
    exports alone gave is a sample of the posts (`scope.videos_listed_only`): only the daily totals
    are split then (no split without them on both sides), and its videos are not counted as posts. A daily tree compares the period's
    settled days (`scope.settled_cut`: up to its last settled Overview day) with as many days before
    them, unless the period to compare with is given; its videos posted are counted over the same
    days, and `days_note` says which days were compared.
    """
    account = resolve_account(store, account)
    start, end = as_date(date_from), as_date(date_to)
    if start is None or end is None or end < start:
        raise ValueError("a period needs a start and an end on or after it")
    if (vs_from is None) != (vs_to is None):
        raise ValueError("give both ends of the period to compare with, or neither")
    before_start, before_end = (
        previous_range(start, end) if vs_from is None else (as_date(vs_from), as_date(vs_to))
    )
    assert before_start is not None and before_end is not None
    if before_end < before_start:
        raise ValueError("the period to compare with needs an end on or after its start")

    # The daily totals' periods: this one's settled days, and as many days before them.
    cut = settled_cut(store, account, start, end, include_provisional)
    settled_to = cut.last
    day_ranges = (
        (start, settled_to),
        previous_range(start, settled_to) if vs_from is None else (before_start, before_end),
    )

    videos_now = video_results(store, account, start, end)
    videos_before = video_results(store, account, before_start, before_end)
    days_now = daily_results(store, account, *day_ranges[0], include_provisional)
    days_before = daily_results(store, account, *day_ranges[1], include_provisional)
    spike = spike_share(store, account, start, end, videos_now["likes"])
    span = posting_span(store, account)
    # Studio's Content exports list a sample of the posts: their number is no posting count.
    sampled = videos_listed_only(store, account)
    listed = videos_now["videos"].value or _posted_nothing(span, start, end)  # else: no video list here
    plan = {
        "posts_per_week": (
            ratio(videos_now["videos"].value, (end - start).days + 1, 7.0) if listed and not sampled else None
        ),
        "views_per_video": _value(videos_now["views_per_video"]),
        "like_rate": _value(videos_now["like_rate"]),
    }

    posted_now, posted_before = videos_now["views_per_video"].rows, videos_before["views_per_video"].rows
    liked_now, liked_before = days_now["like_rate"].rows, days_before["like_rate"].rows
    notes: list[str] = []
    days_note: str | None = None  # a daily tree's: which days its totals compare
    source: Source | None
    if sampled:
        # A sample's videos are no posting count, and a period without them is no posting pause.
        source = "daily" if liked_now and liked_before else None
    elif posted_now and posted_before:
        source = "videos"
    elif liked_now and liked_before:
        source = "daily"
    elif (posted_now or _posted_nothing(span, start, end)) and (
        posted_before or _posted_nothing(span, before_start, before_end)
    ):
        source = "videos"
        quiet = "this period" if not posted_now else "the period before"
        notes.append(
            f"No videos were posted in {quiet}, while the video list has videos on either side of it."
        )
    else:
        source = None

    if source == "daily":
        # Videos posted over the same days as the totals (the store keeps the answers it gave).
        counted = [_count(video_results(store, account, s, e)["videos"].value) for s, e in day_ranges]
        covered = all(n or _posted_nothing(span, s, e) for n, (s, e) in zip(counted, day_ranges, strict=True))
        posts_now, posts_before = counted if covered and not sampled else (None, None)
        now = _daily_side(*day_ranges[0], days_now, posts_now)
        before = _daily_side(*day_ranges[1], days_before, posts_before)
        days_note = settled_note(start, end, cut, days_before=vs_from is None)
    else:
        now = _video_side(start, end, videos_now)
        before = _video_side(before_start, before_end, videos_before)
        left_out = sum(
            (r["videos"].value or 0) - r["views_per_video"].rows for r in (videos_now, videos_before)
        )
        if source == "videos" and left_out:
            notes.append(
                f"{plural(int(left_out), 'video')} without both a like count and a view count "
                f"{'is' if left_out == 1 else 'are'} left out."
            )

    if source is None:
        listed_now, listed_before = (_count(r["videos"].value) or 0 for r in (videos_now, videos_before))
        # A period the sample lists videos for, without daily totals: those videos were the split's.
        stood_in = (listed_now and not liked_now) or (listed_before and not liked_before)
        reason = (
            _sampled_reason(liked_now, liked_before, before_start, before_end)
            if sampled and stood_in
            else _no_split_reason(
                (posted_now, liked_now, listed_now),
                (posted_before, liked_before, listed_before),
                before_start,
                before_end,
            )
        )
        return DriverTree(
            None, now, before, dict.fromkeys(DRIVERS), spike, reason, tuple(notes), plan, days_note
        )

    if source == "daily" and (missing := partial_days(now, before)):
        return DriverTree(
            source, now, before, dict.fromkeys(DRIVERS), spike, missing, tuple(notes), plan, days_note
        )
    chosen = (videos_now, videos_before) if source == "videos" else (days_now, days_before)
    unusable = [
        f"the like rate {when}: {problem}"
        for when, side, results in (("now", now, chosen[0]), ("before", before, chosen[1]))
        if (problem := _unusable(side, results["like_rate"]))
    ]
    if unusable:
        reason = "a driver is n/a: " + "; ".join(unusable)
        return DriverTree(
            source, now, before, dict.fromkeys(DRIVERS), spike, reason, tuple(notes), plan, days_note
        )

    contributions: dict[str, float | None]
    if source == "videos" or (now.posts and before.posts):
        split = lmdi(_factors(now, DRIVERS), _factors(before, DRIVERS))
        contributions = {name: split[name] for name in DRIVERS}
    else:
        split = lmdi(_factors(now, DAILY_DRIVERS), _factors(before, DAILY_DRIVERS))
        contributions = {"posts": None, "views_per_video": None, **split}
        notes.append(_unsplit_views_note(now, before, span, sampled))
    return DriverTree(source, now, before, contributions, spike, None, tuple(notes), plan, days_note)


def partial_days(now: Side, before: Side) -> str | None:
    """Why the daily totals of two periods are not split when either has data on fewer days than
    it has (the account's data starts, or has a gap, in it): their views would count the days
    without data as a change in views. None when both have data on every day.

    >>> full, part = (Side(date(2026, 3, 1), date(2026, 3, 28), 5, None, 9, None, 0.5, n, "day") for n in (28, 10))
    >>> partial_days(full, part)
    'the period before has likes and views on 10 of its 28 days, so the two totals count different days'
    >>> partial_days(full, full) is None
    True
    """
    gaps = [
        f"{which} has likes and views on {side.rows:,} of its {plural(side.days, 'day')}"
        for which, side in (("this period", now), ("the period before", before))
        if side.rows < side.days
    ]
    return f"{' and '.join(gaps)}, so the two totals count different days" if gaps else None


def _unusable(side: Side, like_rate: KpiValue) -> str | None:
    """Why a side's like rate leaves the split n/a: it failed its rule (over 100% of the views), or
    there are likes without views. None when it stands, or is n/a only because a driver is 0."""
    if like_rate.value is not None or not like_rate.rows:
        return None
    if side.views == 0 and side.likes == 0:
        return None  # no views and no likes: views per video is 0 and takes the change
    return like_rate.reason


def _factors(side: Side, names: tuple[str, ...]) -> dict[str, float | None]:
    """The side's drivers for `lmdi`: a ratio over nothing (no videos, no views) is None there."""
    return {name: side.level(name) for name in names}


def _unsplit_views_note(
    now: Side, before: Side, span: tuple[date | None, date | None], sampled: bool = False
) -> str:
    if sampled:
        return f"Views are not split into videos posted × views per video: {PARTIAL_LIST}."
    if now.posts is None or before.posts is None:
        first = span[0]
        where = (
            "there is no video list"
            if first is None
            else f"the video list does not cover both periods (its first video was posted on {short_day(first)} "
            f"{first:%Y})"
        )
        return f"Views are not split into videos posted × views per video: {where}."
    quiet = "this period" if not now.posts else "the period before"
    return (
        f"Views are not split into videos posted × views per video: no videos were posted in {quiet}, "
        "while its days still had views (from older videos)."
    )


def _without_views(listed: int) -> str:
    """'its video has no view count', 'its 9 videos have no view counts'."""
    return "its video has no view count" if listed == 1 else f"its {listed:,} videos have no view counts"


def _sampled_reason(liked_now: int, liked_before: int, before_start: date, before_end: date) -> str:
    """Why the change is not split for an account whose videos are a sample of its posts: the
    daily totals miss a period (`liked_*`: the days of a period with both likes and views)."""
    before = f"the period before, {day_span(before_start, before_end)},"
    missing = (
        "neither period has any"
        if not (liked_now or liked_before)
        else f"{before if liked_now else 'this period'} has none"
    )
    return (
        f"the split needs days with both likes and views in both periods, and {missing} (the videos "
        f"listed cannot stand in for them, as {PARTIAL_LIST})"
    )


def _no_split_reason(
    now: tuple[int, int, int], before: tuple[int, int, int], before_start: date, before_end: date
) -> str:
    """Why neither source splits the change: each side is (videos with both likes and views, days
    with both, videos listed). Videos listed without a view count (a "Download your data"
    archive's) are named as such, never as no videos."""
    usable_now, usable_before = any(now[:2]), any(before[:2])
    if not usable_now and not usable_before and (now[2] or before[2]):
        return (
            f"the split needs views, and the videos posted in either period ({now[2]:,} now, {before[2]:,} "
            "before) have no view counts, nor has any day both likes and views (the Content or Overview "
            "export has them)"
        )
    if not usable_before:
        when = day_span(before_start, before_end)
        if before[2]:
            return (
                f"the period before, {when}, has no views to compare with: {_without_views(before[2])}, and "
                "none of its days has both likes and views"
            )
        return f"{NO_EARLIER_DATA} (the period before, {when}, has no videos and no days with both likes and views)"
    if not usable_now:
        if now[2]:
            return (
                f"this period has no views to compare: {_without_views(now[2])}, and none of its days has "
                "both likes and views"
            )
        return "no data in this period: no videos and no days with both likes and views"
    return (
        "the two periods have different data: one has only videos, the other only daily totals, so "
        "their likes are not the same count"
    )
