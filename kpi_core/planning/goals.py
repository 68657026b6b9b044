"""SMART goals on likes: the goal itself, progress so far, status and achievability.

A goal is data (`Goal`): a metric, a target, a window [start, deadline] (both days included),
the account and the objective it serves. Everything here reads a `Baseline` (baseline.py);
"today" is `baseline.as_of`, the last non-provisional day of data, never the wall clock.

Metrics and what their target means:
- likes: likes received in the window (daily Overview likes), a count.
- likes_per_video: average likes of the videos posted in the window (ratio of sums).
- like_rate: likes / views over the window's days, a fraction 0..1.
- engagement_rate_by_view: (likes + comments + shares) / views over the window, a fraction 0..1.
- followers: the follower count to reach by the deadline (a level, e.g. 30,000).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.planning.baseline import Baseline, _as_date, _floats, _usable

__all__ = [
    "AT_RISK_PROBABILITY",
    "METRICS",
    "MIN_HISTORY_DAYS",
    "MIN_HISTORY_VIDEOS",
    "OBJECTIVES",
    "ON_TRACK_PROBABILITY",
    "RECENT_DAYS",
    "STATUSES",
    "TOO_EASY_PERCENTILE",
    "Goal",
    "MetricInfo",
    "Progress",
    "Verdict",
    "achievability",
    "format_value",
    "goal_progress",
    "goal_status",
    "historical_paces",
    "status_rule",
]

ON_TRACK_PROBABILITY = 0.7  # on track from this probability of reaching the target
AT_RISK_PROBABILITY = 0.3  # at risk from this one; below it, off track
STATUSES = ("on track", "at risk", "off track")
RECENT_DAYS = 28  # "the last 28 days" pace
MIN_HISTORY_DAYS = 28  # fewer usable days: "not enough history", no confident numbers
MIN_HISTORY_VIDEOS = 8  # the same for per-video metrics
TOO_EASY_PERCENTILE = 0.10  # a needed pace below the 10th percentile of past paces is "too easy"
REALISTIC_SHARE = 0.5  # reached in at least half of past windows: "realistic"; less: "ambitious"
OBJECTIVES = ("awareness", "engagement", "conversion")


@dataclass(frozen=True)
class MetricInfo:
    """How a goal metric is measured: its label, kind and pace unit."""

    name: str
    label: str
    kind: str  # "count" (adds up over days), "rate" (ratio of sums), "per_video", "level"
    pace_unit: str


METRICS: dict[str, MetricInfo] = {
    "likes": MetricInfo("likes", "Likes received", "count", "likes per day"),
    "likes_per_video": MetricInfo(
        "likes_per_video", "Average likes per video", "per_video", "likes per video"
    ),
    "like_rate": MetricInfo("like_rate", "Like rate", "rate", "like rate (fraction of views)"),
    "engagement_rate_by_view": MetricInfo(
        "engagement_rate_by_view", "Engagement rate by view", "rate", "engagement rate (fraction of views)"
    ),
    "followers": MetricInfo("followers", "Followers", "level", "followers gained per day"),
}


def format_value(metric: str, value: float | None) -> str:
    """A metric value as people read it: '12,400', '6.1%', 'n/a'.

    Example: format_value("like_rate", 0.061) == "6.1%".
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    if METRICS[metric].kind == "rate":
        return f"{value * 100:.1f}%"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


# ---------------------------------------------------------------------------------------------
# The goal


@dataclass(frozen=True)
class Goal:
    """A goal: reach `target` on `metric` for `account` between `start` and `deadline` (inclusive).

    Rate targets are fractions (a 6 % like rate is 0.06). Example:
    `Goal("lumen.skincare", "likes", 30_000, date(2026, 11, 1), date(2026, 11, 30), "engagement")`.
    """

    account: str
    metric: str
    target: float
    start: date
    deadline: date
    objective: str = "engagement"

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ValueError(f"Unknown goal metric {self.metric!r}: choose one of {', '.join(METRICS)}.")
        if self.objective not in OBJECTIVES:
            raise ValueError(f"Unknown objective {self.objective!r}: choose one of {', '.join(OBJECTIVES)}.")
        for name in ("start", "deadline"):
            value = getattr(self, name)
            try:
                object.__setattr__(self, name, _as_date(value))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"The goal's {name} {value!r} is not a date.") from exc
        if self.deadline <= self.start:
            raise ValueError(f"The deadline ({self.deadline}) must be after the start ({self.start}).")
        try:
            target = float(self.target)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"The target {self.target!r} is not a number.") from exc
        if not math.isfinite(target) or target <= 0:
            raise ValueError(f"The target must be a positive number, got {self.target!r}.")
        if METRICS[self.metric].kind == "rate" and target > 1:
            raise ValueError(
                f"A {METRICS[self.metric].label.lower()} target is a fraction between 0 and 1 "
                f"({target:g}% is {target / 100:g}), got {target:g}."
            )
        object.__setattr__(self, "target", target)

    @property
    def days_total(self) -> int:
        """Days in the window, start and deadline included."""
        return (self.deadline - self.start).days + 1

    def to_dict(self) -> dict[str, Any]:
        """The goal as plain JSON values."""
        out = asdict(self)
        out["start"], out["deadline"] = self.start.isoformat(), self.deadline.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Goal:
        """The inverse of `to_dict` (dates as ISO text are accepted)."""
        return cls(
            **{k: data[k] for k in ("account", "metric", "target", "start", "deadline") if k in data},
            objective=data.get("objective", "engagement"),
        )


# ---------------------------------------------------------------------------------------------
# Progress


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


def _window_positions(goal: Goal, b: Baseline) -> tuple[int, int, int]:
    """(first, last_held, days_elapsed): positions in the baseline arrays of the window so far."""
    if b.as_of is None or b.start is None:
        return 0, -1, 0
    first = b.day_index(goal.start)
    last = b.day_index(min(b.as_of, goal.deadline))
    elapsed = max(0, min((b.as_of - goal.start).days + 1, goal.days_total))
    return first, last, elapsed


def _sum(values: np.ndarray, first: int, last: int) -> tuple[float, int]:
    """nansum over positions first..last (clipped) and the count of non-missing values."""
    part = values[max(first, 0) : last + 1]
    ok = ~np.isnan(part)
    return float(part[ok].sum()), int(ok.sum())


def _recent_mean_per_day(values: np.ndarray, days: int = RECENT_DAYS) -> float:
    part = values[-days:]
    ok = ~np.isnan(part)
    return float(part[ok].mean()) if ok.any() else float("nan")


def _rate_parts(goal_metric: str, b: Baseline) -> tuple[np.ndarray, np.ndarray]:
    """Per-day numerator and views for a rate metric, NaN on days that lack any part."""
    ok = _usable(b, goal_metric)
    numerator = b.likes.copy()
    if goal_metric == "engagement_rate_by_view":
        numerator = b.likes + b.comments + b.shares
    return np.where(ok, numerator, np.nan), np.where(ok, b.views, np.nan)


def _finite(x: float | None) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def goal_progress(goal: Goal, baseline: Baseline) -> Progress:
    """Value so far, fraction of target, days and paces of `goal` on `baseline.as_of`.

    Example: 100 likes a day from Nov 1 to Nov 10 with a 3,000-like target for November gives
    value 1,000, fraction 0.33, 10 days elapsed, 20 left, pace needed 100 per day, pace so far 100.
    """
    b, info = baseline, METRICS[goal.metric]
    first, last, elapsed = _window_positions(goal, b)
    days_left = goal.days_total - elapsed
    missing = 0
    if elapsed:
        held = b.likes[max(first, 0) : last + 1]
        missing = elapsed - int((~np.isnan(held)).sum())
    note = ""
    value: float | None = None
    fraction: float | None = None
    needed = so_far = recent = None
    videos_so_far, future_videos = 0, None
    ppw = b.posts_per_week if np.isfinite(b.posts_per_week) else float("nan")

    if info.kind == "count":
        total, _ = _sum(b.likes, first, last) if elapsed else (0.0, 0)
        value, fraction = total, total / goal.target
        held_days = elapsed - missing
        so_far = total / held_days if held_days else None
        recent = _recent_mean_per_day(b.likes)
        needed = (goal.target - total) / days_left if days_left else None
    elif info.kind == "level":
        level_now = b.follower_level(b.n_days - 1) if b.n_days else float("nan")
        level_start = b.follower_level(first - 1) if first >= 1 else float("nan")
        if not math.isfinite(level_start):  # the window starts before the data: its first known count
            known = np.flatnonzero(~np.isnan(b.followers[max(first, 0) :]))
            level_start = float(b.followers[max(first, 0) + known[0]]) if len(known) else float("nan")
        if elapsed == 0:
            level_start = level_now
        value = _finite(level_now)
        if math.isfinite(level_now):
            gap = goal.target - level_start
            fraction = (level_now - level_start) / gap if gap > 0 else 1.0
            so_far = (level_now - level_start) / elapsed if elapsed else None
            gains = b.follower_gains()
            recent = _recent_mean_per_day(gains)
            needed = (goal.target - level_now) / days_left if days_left else None
    elif info.kind == "rate":
        numerator, views = _rate_parts(goal.metric, b)
        top, _ = _sum(numerator, first, last) if elapsed else (0.0, 0)
        bottom, _ = _sum(views, first, last) if elapsed else (0.0, 0)
        rate = top / bottom if bottom > 0 else None
        value, fraction = rate, (rate / goal.target if rate is not None else None)
        so_far = rate
        r_top, r_bottom = np.nansum(numerator[-RECENT_DAYS:]), np.nansum(views[-RECENT_DAYS:])
        recent = r_top / r_bottom if r_bottom > 0 else None
        future_views = _recent_mean_per_day(views) * days_left
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
            needed = (goal.target * (videos_so_far + future_videos) - total) / future_videos
        elif days_left:
            note = "No videos are expected before the deadline at the measured posting rate."

    reached = value is not None and (
        (info.kind in ("count", "level") and value >= goal.target)
        or (days_left == 0 and value >= goal.target)
    )
    if needed is not None and needed <= 0 and info.kind in ("count", "level"):
        needed = 0.0
    if needed is not None and info.kind == "rate" and needed > 1:
        note = (
            f"The rest of the window would need a {info.label.lower()} above 100% at the recent daily views."
        )
    if days_left == 0:
        note = note or "The window has ended."
    return Progress(
        as_of=b.as_of,
        value=_finite(value),
        fraction=_finite(fraction),
        days_total=goal.days_total,
        days_elapsed=elapsed,
        days_left=days_left,
        pace_needed=_finite(needed),
        pace_so_far=_finite(so_far),
        pace_last_28_days=_finite(recent),
        pace_unit=info.pace_unit,
        missing_days=missing,
        videos_so_far=videos_so_far,
        expected_future_videos=_finite(future_videos),
        reached=bool(reached),
        note=note,
    )


# ---------------------------------------------------------------------------------------------
# Status


def goal_status(probability: float | None, progress: Progress) -> str:
    """ "on track", "at risk" or "off track" (see `status_rule`).

    Example: goal_status(0.82, progress) == "on track"; goal_status(0.5, progress) == "at risk".
    """
    if progress.reached:
        return "on track"
    needed = progress.pace_needed
    fast_enough = [
        p >= needed
        for p in (progress.pace_so_far, progress.pace_last_28_days)
        if p is not None and needed is not None
    ]
    if probability is not None:
        if probability >= ON_TRACK_PROBABILITY or (len(fast_enough) == 2 and all(fast_enough)):
            return "on track"
        return "at risk" if probability >= AT_RISK_PROBABILITY else "off track"
    if fast_enough and all(fast_enough):
        return "on track"
    return "at risk" if any(fast_enough) else "off track"


def status_rule() -> str:
    """The status thresholds as one sentence for the UI."""
    return (
        f"On track when the projection gives at least a {ON_TRACK_PROBABILITY:.0%} chance of reaching the "
        f"target, or when both the pace so far and the last {RECENT_DAYS} days' pace meet the pace "
        f"needed; at risk from {AT_RISK_PROBABILITY:.0%} to {ON_TRACK_PROBABILITY:.0%}; off track below "
        f"{AT_RISK_PROBABILITY:.0%}. Without enough history for a projection, the two paces decide: "
        "both fast enough is on track, one is at risk, none is off track."
    )


# ---------------------------------------------------------------------------------------------
# Achievability


@dataclass(frozen=True)
class Verdict:
    """How the needed pace compares with the account's own past, competitors and benchmarks.

    `share_of_windows` is the fraction 0..1 of past windows (of `window` days, or videos for
    per-video metrics) whose pace reached the needed pace.
    """

    label: str  # "not enough history", "unrealistic", "ambitious", "realistic", "too easy", "ended"
    sentence: str
    share_of_windows: float | None = None
    window: int | None = None
    best_pace: float | None = None
    competitor_pace: float | None = None
    benchmark: float | None = None


def _rolling_ratio(top: np.ndarray, bottom: np.ndarray, width: int, min_present: float = 0.8) -> np.ndarray:
    """Ratio of rolling sums over `width` consecutive positions with >= 80% present."""
    ok = ~(np.isnan(top) | np.isnan(bottom))
    t = np.concatenate([[0.0], np.cumsum(np.where(ok, top, 0.0))])
    u = np.concatenate([[0.0], np.cumsum(np.where(ok, bottom, 0.0))])
    c = np.concatenate([[0], np.cumsum(ok)])
    sums_t, sums_u, count = t[width:] - t[:-width], u[width:] - u[:-width], c[width:] - c[:-width]
    good = (count >= min_present * width) & (sums_u > 0)
    return sums_t[good] / sums_u[good]


def historical_paces(metric: str, baseline: Baseline, window: int) -> np.ndarray:
    """The account's paces over every past window of `window` days (videos for per-video metrics).

    Units as `Progress.pace_*`. Example: a constant 100 likes a day gives an array of 100s.
    """
    b = baseline
    if metric == "likes":
        return _rolling_ratio(b.likes, np.ones_like(b.likes), window)
    if metric == "followers":
        gains = b.follower_gains()
        return _rolling_ratio(gains, np.ones_like(gains), window)
    if metric in ("like_rate", "engagement_rate_by_view"):
        top, bottom = _rate_parts(metric, b)
        return _rolling_ratio(top, bottom, window)
    likes = b.video_likes[b.video_mature & ~np.isnan(b.video_likes)]
    if len(likes) < window:
        return np.zeros(0)
    return _rolling_ratio(likes, np.ones_like(likes), window, min_present=1.0)


def _competitor_pace(metric: str, frame: pd.DataFrame | None) -> float | None:
    """A competitor's recent pace in the goal's pace unit, from its daily or per-video frame."""
    if frame is None or len(frame) == 0:
        return None
    if "date" in frame.columns:  # daily
        other = Baseline.from_frames(frame, None)
        info = METRICS[metric]
        if info.kind == "count":
            return _finite(_recent_mean_per_day(other.likes))
        if info.kind == "level":
            return _finite(_recent_mean_per_day(other.follower_gains()))
        if info.kind == "rate":
            top, bottom = _rate_parts(metric, other)
            total = np.nansum(bottom[-RECENT_DAYS:])
            return _finite(np.nansum(top[-RECENT_DAYS:]) / total) if total > 0 else None
        return None
    likes, views = _floats(frame["likes"]), _floats(frame.get("views", pd.Series(np.nan, index=frame.index)))
    posted = pd.to_datetime(frame["posted_at"]) if "posted_at" in frame.columns else None
    if posted is not None and posted.notna().any():
        recent = (posted >= posted.max() - pd.Timedelta(days=84)).to_numpy()
    else:
        recent = np.ones(len(frame), dtype=bool)
    if metric == "likes_per_video":
        ok = recent & ~np.isnan(likes)
        return _finite(likes[ok].mean()) if ok.any() else None
    if metric == "like_rate":
        ok = recent & ~np.isnan(likes) & ~np.isnan(views)
        return _finite(likes[ok].sum() / views[ok].sum()) if ok.any() and views[ok].sum() > 0 else None
    if metric == "engagement_rate_by_view":
        parts = [_floats(frame[c]) for c in ("likes", "comments", "shares") if c in frame.columns]
        if len(parts) < 3:
            return None
        top = parts[0] + parts[1] + parts[2]
        ok = recent & ~np.isnan(top) & ~np.isnan(views)
        return _finite(top[ok].sum() / views[ok].sum()) if ok.any() and views[ok].sum() > 0 else None
    if metric == "likes" and posted is not None:
        ok = recent & ~np.isnan(likes)
        return _finite(likes[ok].sum() / 84) if ok.any() else None
    return None


def achievability(
    goal: Goal, baseline: Baseline, *, competitor: pd.DataFrame | None = None, benchmark: float | None = None
) -> Verdict:
    """Place the needed pace among the account's own past paces (and a competitor's, a benchmark's).

    Past paces come from every window of the goal's remaining length in the history (videos for
    per-video metrics). Never reached: "unrealistic"; below the 10th percentile: "too easy";
    reached in at least half of the windows: "realistic"; otherwise "ambitious". Fewer than 28
    usable days (8 videos) give "not enough history". `benchmark` is in the pace unit (a rate for
    rate metrics). Example sentence: "Needs 850 likes per day: a pace you reached in 12% of your
    past 28-day windows (best: 1,020)."
    """
    info = METRICS[goal.metric]
    progress = goal_progress(goal, baseline)
    competitor_pace = _competitor_pace(goal.metric, competitor)
    if progress.days_left == 0:
        reached = progress.value is not None and progress.value >= goal.target
        return Verdict(
            "ended", "The window has ended: the target was " + ("reached." if reached else "missed.")
        )
    if info.kind == "per_video":
        usable = int((baseline.video_mature & ~np.isnan(baseline.video_likes)).sum())
        if usable < MIN_HISTORY_VIDEOS:
            return Verdict(
                "not enough history",
                f"Not enough history to judge: {usable} videos with settled likes, "
                f"at least {MIN_HISTORY_VIDEOS} are needed.",
                competitor_pace=competitor_pace,
            )
    else:
        usable = baseline.usable_days(goal.metric)
        if usable < MIN_HISTORY_DAYS:
            return Verdict(
                "not enough history",
                f"Not enough history to judge: {usable} days of data, "
                f"at least {MIN_HISTORY_DAYS} are needed.",
                competitor_pace=competitor_pace,
            )
    needed = progress.pace_needed
    fmt = lambda x: format_value(goal.metric, x)  # noqa: E731
    unit = "" if info.kind == "rate" else info.pace_unit
    extras = []
    if competitor_pace is not None and needed is not None:
        extras.append(f"a competitor's recent pace is {fmt(competitor_pace)} {unit}".rstrip())
    if benchmark is not None and needed is not None:
        extras.append(f"the benchmark is {fmt(benchmark)} {unit}".rstrip())
    tail = (" For comparison, " + " and ".join(extras) + ".") if extras else ""

    if info.kind == "per_video" and needed is None:
        return Verdict(
            "unrealistic",
            progress.note or "No videos are expected before the deadline.",
            competitor_pace=competitor_pace,
            benchmark=benchmark,
        )
    if needed is None:
        return Verdict("not enough history", "The needed pace cannot be worked out from the data.")
    if info.kind in ("count", "level") and needed <= 0:
        return Verdict(
            "too easy",
            "The target is already reached." + tail,
            1.0,
            competitor_pace=competitor_pace,
            benchmark=benchmark,
        )
    if info.kind == "rate" and needed > 1:
        return Verdict(
            "unrealistic", progress.note + tail, 0.0, competitor_pace=competitor_pace, benchmark=benchmark
        )

    if info.kind == "per_video":
        window = int(max(1, round(progress.expected_future_videos or 1)))
        usable_videos = int((baseline.video_mature & ~np.isnan(baseline.video_likes)).sum())
        window = min(window, max(1, usable_videos // 2))
        span = f"{window}-video stretches" if window > 1 else "videos"
    else:
        window = min(progress.days_left, max(7, baseline.n_days // 2))
        span = f"{window}-day windows"
    paces = historical_paces(goal.metric, baseline, window)
    if len(paces) == 0:
        return Verdict("not enough history", "Not enough history to compare the needed pace with.")
    share = float((paces >= needed).mean())
    best = float(paces.max())
    low = float(np.quantile(paces, TOO_EASY_PERCENTILE))
    needs = f"Needs {fmt(needed)} {unit}".rstrip()
    if share == 0:
        label = "unrealistic"
        sentence = f"{needs}: a pace never reached in your past {span} (best: {fmt(best)})."
    elif needed < low:
        label = "too easy"
        sentence = (
            f"{needs}: you went at least this fast in {share:.0%} of your past {span}; the "
            f"target is below your usual pace (10th percentile: {fmt(low)})."
        )
    else:
        label = "realistic" if share >= REALISTIC_SHARE else "ambitious"
        sentence = f"{needs}: a pace you reached in {share:.0%} of your past {span} (best: {fmt(best)})."
    return Verdict(label, sentence + tail, share, window, best, competitor_pace, benchmark)
