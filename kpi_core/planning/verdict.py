"""Status and achievability of a goal, from one model: the projection's probability.

The status follows exactly the rule `status_rule()` states, and the achievability label uses the
same probability bands (`LABELS`), so the two can never disagree: "realistic" and "too easy" are
on track, "ambitious" at risk, "stretch" and "unrealistic" off track. The suggested targets of
suggestions.py are named by these labels too. The achievability sentence adds the account's own
history (past windows of the same length, the last 28 days) as context, never as a second rule.
Without enough history for a projection, the status rests on the most recent evidence (the last 7
days' median pace), not on a mean a burst inflates, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi_core.metrics.findings import long_day, whole_percent
from kpi_core.metrics.goal_metrics import GoalKind, goal_metric
from kpi_core.planning.baseline import MIN_HISTORY_DAYS, MIN_HISTORY_VIDEOS, Baseline, as_floats
from kpi_core.planning.chances import (
    AT_RISK_PROBABILITY,
    EVEN_CHANCE,
    LABELS,
    ON_TRACK_PROBABILITY,
    chance_text,
    label_for,
    status_for,
)
from kpi_core.planning.forecast import project
from kpi_core.planning.goals import Goal, format_value
from kpi_core.planning.progress import (
    RECENT_DAYS,
    Progress,
    finite,
    goal_progress,
    rate_parts,
    recent_mean_per_day,
)
from kpi_core.planning.projection import Projection

__all__ = [
    "AT_RISK_PROBABILITY",
    "LABELS",
    "ON_TRACK_PROBABILITY",
    "RECENT_EVIDENCE_DAYS",
    "STATUSES",
    "Status",
    "Verdict",
    "achievability",
    "goal_status",
    "historical_paces",
    "label_for",
    "recent_pace",
    "status_for",
    "status_rule",
]

STATUSES = ("on track", "at risk", "off track")
RECENT_EVIDENCE_DAYS = 7  # without a projection, the last 7 days decide
HALF_THE_PACE = 0.5  # without a projection: at least half the pace needed is "at risk"


def status_rule() -> str:
    """The status rule as one sentence for the UI (what `goal_status` does, and nothing else)."""
    return (
        f"On track when the projection gives at least a {ON_TRACK_PROBABILITY:.0%} chance of reaching the "
        f"target, at risk from {AT_RISK_PROBABILITY:.0%} to {ON_TRACK_PROBABILITY:.0%}, off track below "
        f"{AT_RISK_PROBABILITY:.0%}; a target already reached is on track. Without enough history for a "
        f"projection, the last {RECENT_EVIDENCE_DAYS} days decide: a median pace at or above the pace "
        f"needed is on track, at least half of it at risk, less off track."
    )


@dataclass(frozen=True)
class Status:
    """A goal's status ("on track", "at risk", "off track") and the sentence that explains it."""

    label: str
    reason: str


def recent_pace(metric: str, baseline: Baseline) -> float | None:
    """A goal metric's pace over the most recent evidence, robust to one burst: the median of the
    last 7 days' daily values (likes or follower gains per day), the last 7 days' ratio of sums
    (rates), or the median likes of the last 5 settled videos (per-video goals)."""
    b, kind = baseline, goal_metric(metric).kind
    if kind is GoalKind.COUNT:
        return _median(b.likes[-RECENT_EVIDENCE_DAYS:])
    if kind is GoalKind.LEVEL:
        return _median(b.follower_gains()[-RECENT_EVIDENCE_DAYS:])
    if kind is GoalKind.RATE:
        top, bottom = rate_parts(metric, b)
        total = float(np.nansum(bottom[-RECENT_EVIDENCE_DAYS:]))
        return float(np.nansum(top[-RECENT_EVIDENCE_DAYS:])) / total if total > 0 else None
    settled = b.video_likes[b.video_mature & ~np.isnan(b.video_likes)]
    return _median(settled[-5:])


def _median(values: np.ndarray) -> float | None:
    known = values[~np.isnan(values)]
    return float(np.median(known)) if len(known) else None


def goal_status(goal: Goal, progress: Progress, projection: Projection, baseline: Baseline) -> Status:
    """The goal's status by `status_rule()`, with the sentence that explains it.

    Example: a projection giving an 82 % chance -> Status("on track", "On track: 82% chance of
    reaching 30,000 by 30 Nov 2026 (on track from 70%).").
    """
    fmt = lambda x: format_value(goal.metric, x)  # noqa: E731
    by = long_day(goal.deadline)
    if progress.reached:
        return Status(
            "on track", f"On track: the target is reached ({fmt(progress.value)} of {fmt(goal.target)})."
        )
    if progress.days_left == 0:
        return Status(
            "off track", f"Off track: the window ended at {fmt(progress.value)}, short of {fmt(goal.target)}."
        )
    p = projection.probability
    if p is not None:
        label = status_for(p)
        edge = {
            "on track": f"on track from {ON_TRACK_PROBABILITY:.0%}",
            "at risk": f"at risk from {AT_RISK_PROBABILITY:.0%}, on track from {ON_TRACK_PROBABILITY:.0%}",
            "off track": f"at risk from {AT_RISK_PROBABILITY:.0%}",
        }[label]
        return Status(
            label,
            f"{label.capitalize()}: {chance_text(p)} chance of reaching {fmt(goal.target)} by {by} ({edge}).",
        )
    needed, recent = progress.pace_needed, recent_pace(goal.metric, baseline)
    why = (projection.note or "Not enough history for a projection.").rstrip(".") + "."
    unit = "" if goal.info.kind is GoalKind.RATE else f" {goal.info.pace_unit}"
    if needed is None or recent is None:
        return Status("at risk", f"At risk: {why} No recent pace to judge by either.")
    label = "on track" if recent >= needed else "at risk" if recent >= HALF_THE_PACE * needed else "off track"
    if goal.info.kind is GoalKind.PER_VIDEO:
        evidence = "median of the last 5 settled videos"
    else:
        evidence = f"last {RECENT_EVIDENCE_DAYS} days" + (
            "" if goal.info.kind is GoalKind.RATE else ", median"
        )
    return Status(
        label,
        f"{label.capitalize()}: {why} The most recent evidence decides: {fmt(recent)}{unit} ({evidence}) "
        f"against {fmt(needed)}{unit} needed.",
    )


# ---------------------------------------------------------------------------------------------
# Achievability


@dataclass(frozen=True)
class Verdict:
    """Is the goal achievable? A label from the projection's probability (LABELS) and a sentence
    that places the needed pace in the account's own history.

    `share_of_windows` is the fraction 0..1 of past windows (of `window` days, or videos for
    per-video goals) whose pace reached the needed pace; `best_pace` the best of them.
    """

    label: (
        str  # "too easy", "realistic", "ambitious", "stretch", "unrealistic", "not enough history", "ended"
    )
    sentence: str
    probability: float | None = None
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


def _handle_of(frame: pd.DataFrame | None) -> str | None:
    """The account a competitor's frame holds, when it names one."""
    if frame is None or "account" not in frame.columns or not len(frame) or pd.isna(frame["account"].iloc[0]):
        return None
    return str(frame["account"].iloc[0])


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
    goal: Goal,
    baseline: Baseline,
    projection: Projection | None = None,
    *,
    competitor: pd.DataFrame | None = None,
    benchmark: float | None = None,
    benchmark_label: str | None = None,
) -> Verdict:
    """How achievable `goal` is: the label of its projection's probability (LABELS), explained by
    the pace it needs against the account's past windows of the same length and its last 28 days
    (and a competitor's pace and a benchmark, when given, in the goal's pace unit; `benchmark_label`
    names the benchmark in the sentence).

    `projection` defaults to `project(goal, baseline)`; pass the one already made (assessment.py)
    so that status, verdict and page read the same numbers. Example sentence: "Needs 850 likes per
    day for 30 days: your last 28 days ran at 910; 12% of your past 30-day windows reached it
    (best: 1,020 likes per day)."
    """
    info = goal.info
    progress = goal_progress(goal, baseline)
    competitor_pace = _competitor_pace(goal.metric, competitor)
    fmt = lambda x: format_value(goal.metric, x)  # noqa: E731
    if progress.days_left == 0:
        reached = progress.value is not None and progress.value >= goal.target
        return Verdict(
            "ended", "The window has ended: the target was " + ("reached." if reached else "missed.")
        )
    projection = projection if projection is not None else project(goal, baseline)
    p = projection.probability
    if p is None:
        return Verdict(
            "not enough history",
            f"Not enough history to judge: {_history_text(goal, baseline)}.",
            competitor_pace=competitor_pace,
            benchmark=benchmark,
        )
    label = label_for(p)
    needed = progress.pace_needed
    unit = "" if info.kind is GoalKind.RATE else f" {info.pace_unit}"
    extras = []
    if competitor_pace is not None:
        whose = _handle_of(competitor)
        extras.append(
            f"{f'@{whose}' if whose else 'a competitor'}'s recent pace is {fmt(competitor_pace)}{unit}"
        )
    if benchmark is not None:
        named = f" ({benchmark_label})" if benchmark_label else ""
        extras.append(f"the benchmark{named} is {fmt(benchmark)}{unit}")
    tail = (" For comparison, " + " and ".join(extras) + ".") if extras else ""
    if progress.reached or (
        needed is not None and needed <= 0 and info.kind in (GoalKind.COUNT, GoalKind.LEVEL)
    ):
        return Verdict(
            label,
            "The target is already reached." + tail,
            p,
            competitor_pace=competitor_pace,
            benchmark=benchmark,
        )
    if needed is None:  # per-video goals with no videos expected, rates with no views to come
        note = progress.note or "The pace it needs cannot be worked out from the data."
        return Verdict(label, note + tail, p, competitor_pace=competitor_pace, benchmark=benchmark)
    if info.kind is GoalKind.PER_VIDEO:
        window = int(max(1, round(progress.expected_future_videos or 1)))
        usable_videos = int((baseline.video_mature & ~np.isnan(baseline.video_likes)).sum())
        window = min(window, max(1, usable_videos // 2))
        span = f"{window}-video stretches" if window > 1 else "videos"
        coming = progress.expected_future_videos
        if needed <= 0 and progress.pace_so_far is not None:  # the average so far holds the target
            return Verdict(
                label,
                f"The {_count(progress.videos_so_far, 'video')} of the window so far average "
                f"{fmt(progress.pace_so_far)}{unit}: the target holds even if the next "
                f"{'video gets' if coming is None or coming < 1.5 else 'videos get'} no likes. On simulations "
                f"of your own history the chance is {chance_text(p)}: {label}." + tail,
                p,
                competitor_pace=competitor_pace,
                benchmark=benchmark,
            )
        if coming is not None and coming < 1:  # not "over the next 0.7 videos"
            needs = (
                f"Needs {fmt(needed)}{unit} on the next video (fewer than one is expected by the deadline)"
            )
        else:
            needs = f"Needs {fmt(needed)}{unit} over the next {_count(coming, 'video')}"
    else:
        window = min(progress.days_left, max(7, baseline.n_days // 2))
        span = f"{window}-day windows"
        needs = f"Needs {fmt(needed)}{unit} for the remaining {_count(progress.days_left, 'day')}"
    recent = progress.pace_last_28_days if info.kind is not GoalKind.PER_VIDEO else None
    recent_text = None
    if recent is not None:
        # A 28-day download, or a gap: the mean is over the days with data among the last 28.
        short = progress.recent_days is not None and progress.recent_days < RECENT_DAYS
        recent_text = f"your last {RECENT_DAYS} days ran at {fmt(recent)}" + (
            f" (on the {progress.recent_days} of them with data)" if short else ""
        )
    paces = historical_paces(goal.metric, baseline, window)
    share = best = None
    history_text = None
    if len(paces):
        share, best = float((paces >= needed).mean()), float(paces.max())
        if share == 0:
            history_text = (
                f"no past {span[:-1] if window == 1 else span} reached it (best: {fmt(best)}{unit})"
            )
        else:
            history_text = f"{whole_percent(share)} of your past {span} reached it (best: {fmt(best)}{unit})"
    if _history_against_chance(share, p, recent, needed) and history_text and recent_text:
        # The past says one thing and the chance another, because the recent pace has moved away
        # from the past: "100% of your past windows reached it" beside a 3% chance read as a
        # contradiction. The recent pace, which the simulations start from, comes after a "but".
        sentence = (
            f"{needs}: {history_text}, but {recent_text}, and the simulations start from the "
            "account's recent level."
        )
    else:
        parts = [needs, *(t for t in (recent_text, history_text) if t)]
        sentence = f"{parts[0]}: " + "; ".join(parts[1:]) + "." if len(parts) > 1 else parts[0] + "."
        median_pace = _median_pace(projection, progress) if info.kind is GoalKind.COUNT else None
        if median_pace is not None and _evidence_against_chance(share, p, recent, needed):
            # The past and the last 28 days agree, and the chance does not (declining: 100% of the
            # windows and a recent pace above the need, beside 52%): the simulations' own pace says why.
            sentence = sentence[:-1] + f"; the simulations' median pace is {fmt(median_pace)}{unit}."
    chance = f" On simulations of your own history the chance is {chance_text(p)}: {label}."
    return Verdict(label, sentence + chance + tail, p, share, window, best, competitor_pace, benchmark)


def _history_against_chance(share: float | None, p: float, recent: float | None, needed: float) -> bool:
    """Whether most past windows reached the pace while the chance is under even (or few did while
    it is even or better) and the recent pace sides with the chance."""
    if share is None or recent is None:
        return False
    if share >= 0.5 and p < 0.5:
        return recent < needed
    if share < 0.5 and p >= 0.5:
        return recent >= needed
    return False


def _evidence_against_chance(share: float | None, p: float, recent: float | None, needed: float) -> bool:
    """Whether most past windows and the recent pace both reach the pace needed while the goal is
    not on track, or neither does while the chance is even or better."""
    if share is None or recent is None:
        return False
    if share >= 0.5 and recent >= needed:
        return p < ON_TRACK_PROBABILITY
    if share < 0.5 and recent < needed:
        return p >= EVEN_CHANCE
    return False


def _median_pace(projection: Projection, progress: Progress) -> float | None:
    """The pace per day of a count goal's median future over the days left (its expected total)."""
    if projection.expected is None or not progress.days_left:
        return None
    return (projection.expected - (progress.value or 0.0)) / progress.days_left


def _count(n: float | int | None, word: str) -> str:
    """'1 day', '30 days', '2.5 videos'."""
    if n is None:
        return f"{word}s"
    shown = f"{n:,.0f}" if float(n).is_integer() or n >= 10 else f"{n:,.1f}"
    return f"{shown} {word}" + ("" if shown == "1" else "s")


def _history_text(goal: Goal, baseline: Baseline) -> str:
    """How much usable history there is against what a projection needs, in words."""
    if goal.info.kind is GoalKind.PER_VIDEO:
        usable = int((baseline.video_mature & ~np.isnan(baseline.video_likes)).sum())
        return f"{_count(usable, 'video')} with settled likes, at least {MIN_HISTORY_VIDEOS} are needed"
    return (
        f"{_count(baseline.usable_days(goal.metric), 'day')} of data, at least {MIN_HISTORY_DAYS} are needed"
    )
