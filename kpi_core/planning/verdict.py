"""Status and achievability of a goal: is it on track, and is the pace it needs one the account
has reached before?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi_core.metrics.registry import GoalKind, goal_metric
from kpi_core.planning.baseline import MIN_HISTORY_DAYS, MIN_HISTORY_VIDEOS, Baseline, as_floats
from kpi_core.planning.goals import Goal, format_value
from kpi_core.planning.progress import (
    RECENT_DAYS,
    Progress,
    finite,
    goal_progress,
    rate_parts,
    recent_mean_per_day,
)

__all__ = [
    "AT_RISK_PROBABILITY",
    "ON_TRACK_PROBABILITY",
    "REALISTIC_SHARE",
    "STATUSES",
    "TOO_EASY_PERCENTILE",
    "Verdict",
    "achievability",
    "goal_status",
    "historical_paces",
    "status_rule",
]

ON_TRACK_PROBABILITY = 0.7  # on track from this probability of reaching the target
AT_RISK_PROBABILITY = 0.3  # at risk from this one; below it, off track
STATUSES = ("on track", "at risk", "off track")
TOO_EASY_PERCENTILE = 0.10  # a needed pace below the 10th percentile of past paces is "too easy"
REALISTIC_SHARE = 0.5  # reached in at least half of past windows: "realistic"; less: "ambitious"


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
        top, bottom = rate_parts(metric, b)
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
        info = goal_metric(metric)
        if info.kind is GoalKind.COUNT:
            return finite(recent_mean_per_day(other.likes))
        if info.kind is GoalKind.LEVEL:
            return finite(recent_mean_per_day(other.follower_gains()))
        if info.kind is GoalKind.RATE:
            top, bottom = rate_parts(metric, other)
            total = np.nansum(bottom[-RECENT_DAYS:])
            return finite(np.nansum(top[-RECENT_DAYS:]) / total) if total > 0 else None
        return None
    likes, views = (
        as_floats(frame["likes"]),
        as_floats(frame.get("views", pd.Series(np.nan, index=frame.index))),
    )
    posted = pd.to_datetime(frame["posted_at"]) if "posted_at" in frame.columns else None
    if posted is not None and posted.notna().any():
        recent = (posted >= posted.max() - pd.Timedelta(days=84)).to_numpy()
    else:
        recent = np.ones(len(frame), dtype=bool)
    if metric == "likes_per_video":
        ok = recent & ~np.isnan(likes)
        return finite(likes[ok].mean()) if ok.any() else None
    if metric == "like_rate":
        ok = recent & ~np.isnan(likes) & ~np.isnan(views)
        return finite(likes[ok].sum() / views[ok].sum()) if ok.any() and views[ok].sum() > 0 else None
    if metric == "engagement_rate_by_view":
        parts = [as_floats(frame[c]) for c in ("likes", "comments", "shares") if c in frame.columns]
        if len(parts) < 3:
            return None
        top = parts[0] + parts[1] + parts[2]
        ok = recent & ~np.isnan(top) & ~np.isnan(views)
        return finite(top[ok].sum() / views[ok].sum()) if ok.any() and views[ok].sum() > 0 else None
    if metric == "likes" and posted is not None:
        ok = recent & ~np.isnan(likes)
        return finite(likes[ok].sum() / 84) if ok.any() else None
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
    info = goal.info
    progress = goal_progress(goal, baseline)
    competitor_pace = _competitor_pace(goal.metric, competitor)
    if progress.days_left == 0:
        reached = progress.value is not None and progress.value >= goal.target
        return Verdict(
            "ended", "The window has ended: the target was " + ("reached." if reached else "missed.")
        )
    if info.kind is GoalKind.PER_VIDEO:
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
    unit = "" if info.kind is GoalKind.RATE else info.pace_unit
    extras = []
    if competitor_pace is not None and needed is not None:
        extras.append(f"a competitor's recent pace is {fmt(competitor_pace)} {unit}".rstrip())
    if benchmark is not None and needed is not None:
        extras.append(f"the benchmark is {fmt(benchmark)} {unit}".rstrip())
    tail = (" For comparison, " + " and ".join(extras) + ".") if extras else ""

    if info.kind is GoalKind.PER_VIDEO and needed is None:
        return Verdict(
            "unrealistic",
            progress.note or "No videos are expected before the deadline.",
            competitor_pace=competitor_pace,
            benchmark=benchmark,
        )
    if needed is None:
        return Verdict("not enough history", "The needed pace cannot be worked out from the data.")
    if info.kind in (GoalKind.COUNT, GoalKind.LEVEL) and needed <= 0:
        return Verdict(
            "too easy",
            "The target is already reached." + tail,
            1.0,
            competitor_pace=competitor_pace,
            benchmark=benchmark,
        )
    if info.kind is GoalKind.RATE and needed > 1:
        return Verdict(
            "unrealistic", progress.note + tail, 0.0, competitor_pace=competitor_pace, benchmark=benchmark
        )

    if info.kind is GoalKind.PER_VIDEO:
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
