"""Where a goal stands on the baseline's last day: value so far, fraction of target, days, paces.

"Today" is `baseline.as_of`, the last non-provisional day of data, never the wall clock. Paces
are in the goal metric's pace unit (likes per day, followers per day, a rate, likes per video).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from kpi_core.metrics.findings import whole_percent
from kpi_core.metrics.goal_metrics import GoalKind, goal_metric
from kpi_core.planning.baseline import Baseline
from kpi_core.planning.goals import Goal

__all__ = [
    "RECENT_DAYS",
    "Progress",
    "finite",
    "goal_progress",
    "rate_parts",
    "recent_mean_per_day",
    "share_of_target",
]

RECENT_DAYS = 28  # "the last 28 days" pace


@dataclass(frozen=True)
class Progress:
    """Where a goal stands on `as_of`.

    Paces are in `pace_unit`: likes per day, followers per day, a rate (fraction) for rate
    metrics, likes per video for per-video metrics. `pace_needed` is what the rest of the
    window needs (None when nothing is left to do or it cannot be done, see `note`).
    """

    as_of: date | None
    value: float | None
    fraction: float | None
    days_total: int
    days_elapsed: int
    days_left: int
    pace_needed: float | None
    pace_so_far: float | None
    pace_last_28_days: float | None
    pace_unit: str
    missing_days: int
    videos_so_far: int
    expected_future_videos: float | None
    reached: bool
    note: str
    recent_days: int | None = None  # the days with data behind pace_last_28_days (likes and follower goals)


def share_of_target(metric: str, fraction: float | None) -> str:
    """How far a goal has come, as its cards, report and command line say it: '42% of target', or
    for a follower goal, whose fraction is of the way from the count at the start to the target
    (not of the count itself), '0% of the way to the target'.

    >>> share_of_target("likes", 0.42), share_of_target("followers", 0.0), share_of_target("likes", None)
    ('42% of target', '0% of the way to the target', 'n/a of target')
    """
    share = "n/a" if fraction is None else whole_percent(fraction)
    return (
        f"{share} of the way to the target"
        if goal_metric(metric).kind is GoalKind.LEVEL
        else f"{share} of target"
    )


def window_positions(goal: Goal, b: Baseline) -> tuple[int, int, int]:
    """(first, last_held, days_elapsed): positions in the baseline arrays of the window so far."""
    if b.as_of is None or b.start is None:
        return 0, -1, 0
    first = b.day_index(goal.start)
    last = b.day_index(min(b.as_of, goal.deadline))
    elapsed = max(0, min((b.as_of - goal.start).days + 1, goal.days_total))
    return first, last, elapsed


def _known(values: np.ndarray) -> int:
    return int(np.count_nonzero(~np.isnan(values)))


def _sum(values: np.ndarray, first: int, last: int) -> tuple[float, int]:
    """nansum over positions first..last (clipped) and the count of non-missing values."""
    part = values[max(first, 0) : last + 1]
    ok = ~np.isnan(part)
    return float(part[ok].sum()), int(ok.sum())


def recent_mean_per_day(values: np.ndarray, days: int = RECENT_DAYS) -> float:
    """The mean of the last `days` values that are known (NaN when none is)."""
    part = values[-days:]
    ok = ~np.isnan(part)
    return float(part[ok].mean()) if ok.any() else float("nan")


def rate_parts(metric: str, b: Baseline) -> tuple[np.ndarray, np.ndarray]:
    """Per-day numerator and views for a rate metric, NaN on days that lack any part."""
    ok = b.usable(metric)
    numerator = b.likes.copy()
    if metric == "engagement_rate_by_view":
        numerator = b.likes + b.comments + b.shares
    return np.where(ok, numerator, np.nan), np.where(ok, b.views, np.nan)


def finite(x: float | None) -> float | None:
    """`x` as a float, or None when it is missing, NaN or infinite."""
    return float(x) if x is not None and math.isfinite(x) else None


def goal_progress(goal: Goal, baseline: Baseline) -> Progress:
    """Value so far, fraction of target, days and paces of `goal` on `baseline.as_of`.

    Example: 100 likes a day from Nov 1 to Nov 10 with a 3,000-like target for November gives
    value 1,000, fraction 0.33, 10 days elapsed, 20 left, pace needed 100 per day, pace so far 100.
    """
    b, info = baseline, goal.info
    first, last, elapsed = window_positions(goal, b)
    days_left = goal.days_total - elapsed
    missing = 0
    if elapsed:
        held = b.likes[max(first, 0) : last + 1]
        missing = elapsed - int((~np.isnan(held)).sum())
    note = ""
    value: float | None = None
    fraction: float | None = None
    needed = so_far = recent = None
    recent_days: int | None = None
    videos_so_far, future_videos = 0, None
    # Videos of the list a week: a per-video goal counts the listed videos, and so do its futures
    # (simulation._simulate_videos), also where the list is a sample of the posts.
    ppw = b.videos_per_week if np.isfinite(b.videos_per_week) else float("nan")

    if info.kind is GoalKind.COUNT:
        total, _ = _sum(b.likes, first, last) if elapsed else (0.0, 0)
        value, fraction = total, total / goal.target
        held_days = elapsed - missing
        so_far = total / held_days if held_days else None
        recent = recent_mean_per_day(b.likes)
        recent_days = _known(b.likes[-RECENT_DAYS:])
        needed = (goal.target - total) / days_left if days_left else None
    elif info.kind is GoalKind.LEVEL:
        level_now = b.follower_level(b.n_days - 1) if b.n_days else float("nan")
        level_start = b.follower_level(first - 1) if first >= 1 else float("nan")
        if not math.isfinite(level_start):  # the window starts before the data: its first known count
            known = np.flatnonzero(~np.isnan(b.followers[max(first, 0) :]))
            level_start = float(b.followers[max(first, 0) + known[0]]) if len(known) else float("nan")
        if elapsed == 0:
            level_start = level_now
        value = finite(level_now)
        if math.isfinite(level_now):
            gap = goal.target - level_start
            fraction = (level_now - level_start) / gap if gap > 0 else 1.0
            so_far = (level_now - level_start) / elapsed if elapsed else None
            gains = b.follower_gains()
            recent = recent_mean_per_day(gains)
            recent_days = _known(gains[-RECENT_DAYS:])
            needed = (goal.target - level_now) / days_left if days_left else None
    elif info.kind is GoalKind.RATE:
        numerator, views = rate_parts(goal.metric, b)
        top, _ = _sum(numerator, first, last) if elapsed else (0.0, 0)
        bottom, _ = _sum(views, first, last) if elapsed else (0.0, 0)
        rate = top / bottom if bottom > 0 else None
        value, fraction = rate, (rate / goal.target if rate is not None else None)
        so_far = rate
        r_top, r_bottom = np.nansum(numerator[-RECENT_DAYS:]), np.nansum(views[-RECENT_DAYS:])
        recent = r_top / r_bottom if r_bottom > 0 else None
        future_views = recent_mean_per_day(views) * days_left
        if days_left and math.isfinite(future_views) and future_views > 0:
            needed = (goal.target * (bottom + future_views) - top) / future_views
    else:  # per_video
        in_window = (b.video_day >= first) & (b.video_day <= last) & ~np.isnan(b.video_likes)
        videos_so_far = int(in_window.sum())
        total = float(b.video_likes[in_window].sum())
        value = total / videos_so_far if videos_so_far else None
        fraction = value / goal.target if value is not None else None
        so_far = value
        recent_videos = (b.video_day > b.n_days - 1 - RECENT_DAYS) & ~np.isnan(b.video_likes)
        recent = float(b.video_likes[recent_videos].mean()) if recent_videos.any() else None
        future_videos = ppw * days_left / 7 if math.isfinite(ppw) else None
        if days_left and future_videos and future_videos > 0:
            # Fewer than one video to come: what the next one needs, not a gap spread over 0.5 of one.
            coming = max(future_videos, 1.0)
            needed = (goal.target * (videos_so_far + coming) - total) / coming
        elif days_left:
            note = "No videos are expected before the deadline at the measured posting rate."

    reached = value is not None and (
        (info.kind in (GoalKind.COUNT, GoalKind.LEVEL) and value >= goal.target)
        or (days_left == 0 and value >= goal.target)
    )
    if (
        needed is not None
        and needed <= 0
        and info.kind in (GoalKind.COUNT, GoalKind.LEVEL, GoalKind.PER_VIDEO)
    ):
        needed = 0.0  # nothing more is needed (a per-video average so far that holds), never a negative pace
    if needed is not None and info.kind is GoalKind.RATE and needed > 1:
        note = (
            f"The rest of the window would need a {info.label.lower()} above 100% at the recent daily views."
        )
    if days_left == 0:
        note = note or "The window has ended."
    return Progress(
        as_of=b.as_of,
        value=finite(value),
        fraction=finite(fraction),
        days_total=goal.days_total,
        days_elapsed=elapsed,
        days_left=days_left,
        pace_needed=finite(needed),
        pace_so_far=finite(so_far),
        pace_last_28_days=finite(recent),
        recent_days=recent_days,
        pace_unit=info.pace_unit,
        missing_days=missing,
        videos_so_far=videos_so_far,
        expected_future_videos=finite(future_videos),
        reached=bool(reached),
        note=note,
    )
