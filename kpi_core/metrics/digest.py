"""What changed, in plain words: up to five sentences built from the computed figures, no model.

The sentences come from the likes driver tree (kpi_core.metrics.drivers), the trend verdict
(kpi_core.metrics.trends), the spike share and viral outliers (kpi_core.metrics.content's rule),
posting volume, and follower and profile-view movement (kpi_core.metrics.values.compare_periods).
Each carries the figures it rests on, with their formulas. The first sentence always states the
change in likes; the others are ranked by the size of their effect, a fraction, those that state
a change within normal variation (or one not known to be beyond it) after the rest:

- a driver: its contribution to the change in likes / the likes before;
- the trend: its slope × the days in the period / the mean likes per day;
- the spike share: the top video's share of the likes − an even share (1 / videos);
- profile views: the relative change; followers: the change in the net follower change / the
  larger of the two (the net change can be 0 or negative, so it has no base of its own).

Normal variation. A change is called a rise or a fall only when it lies outside the account's
normal variation: the range, around no change, that holds four in five of the changes between
consecutive periods of the same length in the account's own history before the current period
(the 80th percentile of their sizes), one comparison per start day (overlapping). Likes, views,
posts and rates are compared as ratios, on the log scale, so a halving and a doubling count alike
(a size of ln 2 gives -50% to +100%); the net follower change, which can be 0 or negative, as a
difference. Each period of a comparison needs data on at least 80% of its days (levels are
compared per day with data). It needs at least three periods' length of history before the
current period (two independent comparisons); with less, a change is given as a number and never
called a rise or a fall.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

import numpy as np
import pandas as pd

from kpi_core.metrics.drivers import FORMATS, LABELS, DriverTree, Side, driver_tree, log_mean
from kpi_core.metrics.findings import plural, signed_plural
from kpi_core.metrics.registry import aggregates, kpi
from kpi_core.metrics.scope import DateLike, as_date, data_extent, resolve_account
from kpi_core.metrics.trends import Trend, likes_trend, signed
from kpi_core.metrics.values import compare_periods, daily_measures, ratio
from kpi_core.store import Store

__all__ = [
    "DEFAULT_PERIOD_DAYS",
    "MAX_SENTENCES",
    "NORMAL_VARIATION",
    "Digest",
    "Figure",
    "Sentence",
    "Usual",
    "default_period",
    "digest",
    "usual",
]

DEFAULT_PERIOD_DAYS = 90  # the Overview opens on the last 90 days of the data (ui/widgets.sidebar)
MAX_SENTENCES = 5
NORMAL_SHARE = 80  # percent of past changes inside the normal variation
MIN_HISTORY_PERIODS = 3  # periods' length of history before the current one
MIN_COMPARISONS = 5
MIN_COVERAGE = 0.8  # share of a period's days with data for it to count in a comparison
NORMAL_VARIATION = (
    "A change is called a rise or a fall only beyond the account's normal variation: the range around no "
    "change that holds four in five of the changes between consecutive periods of the same length in its "
    "own history before this period (one comparison per start day; ratios on the log scale, so a halving "
    "and a doubling count alike). It needs three periods' length of history before this one; with less, "
    "a change is given as a number and never called a rise or a fall."
)
Verdict = Literal["within", "above", "below"]


# ---------------------------------------------------------------------------------------------
# Normal variation


@dataclass(frozen=True)
class Usual:
    """The account's normal variation of one figure between consecutive periods of `period_days`:
    a relative change (a fraction) or, when not `relative`, a difference in the figure's unit.
    `low` and `high` are None with a `reason` when the history is too short."""

    period_days: int
    relative: bool
    low: float | None = None
    high: float | None = None
    comparisons: int = 0
    before: date | None = None  # the comparisons end before this day
    reason: str | None = None

    def verdict(self, change: float | None) -> Verdict | None:
        """'within', 'above' or 'below' the normal variation; None when either is unknown."""
        if change is None or self.low is None or self.high is None:
            return None
        if change > self.high:
            return "above"
        if change < self.low:
            return "below"
        return "within"

    @property
    def text(self) -> str:
        """'-25% to +30%', '-150 to +200'; 'n/a' when unknown."""
        if self.low is None or self.high is None:
            return "n/a"
        if self.relative:
            return f"{self.low:+.0%} to {self.high:+.0%}"
        return f"±{self.high:,.0f}"

    @property
    def formula(self) -> str:
        if self.reason is not None:
            return f"n/a: {self.reason}"
        size = "size of the log of the ratio" if self.relative else "size of the difference"
        when = f" before {_day(self.before)}" if self.before else ""
        return (
            f"{NORMAL_SHARE}th percentile of the {size} over the {self.comparisons:,} comparisons of "
            f"consecutive {self.period_days}-day periods{when} (one per start day), either way from no change"
        )


def usual(
    numerator: np.ndarray,
    denominator: np.ndarray | None,
    period_days: int,
    before: int,
    relative: bool = True,
    before_day: date | None = None,
) -> Usual:
    """The normal variation of a figure from calendar-complete daily arrays (NaN: no data).

    The figure of a period is sum(numerator) / sum(denominator) over its days with data, or, with
    no denominator, the numerator's mean per day with data. Past comparisons pair consecutive
    periods of `period_days` that end before index `before` (the current period's first day).

    >>> u = usual(np.array([10.0, 10, 20, 20] * 10), None, 2, 40)  # a doubling and a halving, in turn
    >>> (u.comparisons, u.text)
    (37, '-50% to +100%')
    """
    n = period_days
    num = np.asarray(numerator, dtype=float)[:before]
    known = ~np.isnan(num)
    if denominator is not None:
        den = np.asarray(denominator, dtype=float)[:before]
        known &= ~np.isnan(den)
    else:
        den = np.ones_like(num)
    empty = Usual(n, relative, before=before_day)
    if not known.any():
        return _replace(empty, reason="no data before this period")
    history = len(num) - int(np.argmax(known))
    needed = MIN_HISTORY_PERIODS * n
    if history < needed:
        return _replace(empty, reason=f"{needed:,} days needed before this period, {history:,} there")

    def sums(values: np.ndarray) -> np.ndarray:
        return np.concatenate([[0.0], np.cumsum(np.where(known, values, 0.0))])

    top, bottom, count = sums(num), sums(den), sums(np.ones_like(num))
    ends = np.arange(2 * n, len(num) + 1)  # exclusive end of the later period
    middle, starts = ends - n, ends - 2 * n
    with np.errstate(divide="ignore", invalid="ignore"):
        later = (top[ends] - top[middle]) / (bottom[ends] - bottom[middle])
        earlier = (top[middle] - top[starts]) / (bottom[middle] - bottom[starts])
        covered = (count[ends] - count[middle] >= MIN_COVERAGE * n) & (
            count[middle] - count[starts] >= MIN_COVERAGE * n
        )
        if relative:
            # A period at 0 has no ratio: such comparisons are left out.
            changes = np.log(later / earlier)
        else:
            changes = (later - earlier) * n
    samples = changes[covered & np.isfinite(changes)]
    if len(samples) < MIN_COMPARISONS:
        return _replace(
            empty,
            comparisons=len(samples),
            reason=f"{plural(len(samples), 'comparison')} of two {n}-day periods with data, "
            f"{MIN_COMPARISONS} needed",
        )
    size = float(np.percentile(np.abs(samples), NORMAL_SHARE))
    low, high = (math.expm1(-size), math.expm1(size)) if relative else (-size, size)
    return _replace(empty, low=low, high=high, comparisons=len(samples))


def _replace(u: Usual, **changes: Any) -> Usual:
    return Usual(**{**u.__dict__, **changes})


# ---------------------------------------------------------------------------------------------
# Sentences


@dataclass(frozen=True)
class Figure:
    """A figure a sentence rests on: its value, as shown, and how it is computed."""

    value: float | int | str | None
    text: str
    formula: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "text": self.text, "formula": self.formula}


@dataclass(frozen=True)
class Sentence:
    """One sentence of the digest, what it is about, the size of its effect (see the module
    docstring) and the figures it rests on, by name."""

    topic: str
    text: str
    effect: float
    figures: dict[str, Figure] = field(default_factory=dict)
    within_normal: bool = False  # a change within normal variation (or not known to be beyond it)

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "text": self.text,
            "effect": self.effect,
            "within_normal": self.within_normal,
            "figures": {name: f.to_dict() for name, f in self.figures.items()},
        }


@dataclass(frozen=True)
class Digest:
    """Up to MAX_SENTENCES sentences on what changed between a period and the one before it."""

    account: str | None
    date_from: date | None
    date_to: date | None
    sentences: tuple[Sentence, ...]
    tree: DriverTree | None = None
    reason: str | None = None  # why there are no sentences

    def to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "from": None if self.date_from is None else self.date_from.isoformat(),
            "to": None if self.date_to is None else self.date_to.isoformat(),
            "sentences": [s.to_dict() for s in self.sentences],
            "reason": self.reason,
            "normal_variation": NORMAL_VARIATION,
        }


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _span(start: date, end: date) -> str:
    return f"{start.day} {start:%b} – {_day(end)}"


FOLD = 2.0  # a relative change from +200% on reads as a factor: "×3.4", "×110"


def _fold(change: float) -> str:
    """The factor of a large rise: 2.4 -> '3.4-fold', 109 -> '110-fold'."""
    factor = 1 + change
    return f"{factor:,.0f}-fold" if factor >= 10 else f"{factor:.1f}-fold"


def _percent(change: float) -> str:
    """A relative change for a sentence: '+12%', '-8%', '+0.4%' (never a rounded '0%' or '-0%'),
    and from +200% on a factor ('×3.4', '×110') rather than an absurd-looking percentage."""
    if change >= FOLD:
        factor = 1 + change
        return f"×{factor:,.0f}" if factor >= 10 else f"×{factor:.1f}"
    if change != 0 and abs(change) < 0.005:
        return f"{change:+.1%}"
    return f"{change:+.0%}"


def _level(name: str, value: float | None) -> str:
    return "n/a" if value is None else FORMATS[name].format(value)


def default_period(store: Store, account: str | None = None) -> tuple[date, date] | None:
    """The period the Overview opens on: the last DEFAULT_PERIOD_DAYS days of the account's data."""
    first, last = data_extent(store, account)
    if first is None or last is None or pd.isna(first) or pd.isna(last):  # an empty store gives NaT
        return None
    return max(first, last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)), last


# ---------------------------------------------------------------------------------------------
# The account's history, day by day


_VIDEO_KPIS = (kpi("per_video", "videos"), kpi("per_video", "views_per_video"), kpi("per_video", "like_rate"))


@dataclass(frozen=True, eq=False)
class _History:
    """Calendar-complete daily arrays of the account up to the day before the current period."""

    first: date
    columns: dict[str, np.ndarray]
    before: int  # index of the current period's first day
    before_day: date

    def usual(self, numerator: str, denominator: str | None, n: int, relative: bool = True) -> Usual:
        return usual(
            self.columns[numerator],
            None if denominator is None else self.columns[denominator],
            n,
            self.before,
            relative,
            self.before_day,
        )


def _history(store: Store, account: str, start: date, include_provisional: bool) -> _History | None:
    first, _ = data_extent(store, account)
    end = start - timedelta(days=1)
    if first is None or pd.isna(first) or first > end:  # an empty store gives NaT
        return None
    calendar = pd.date_range(first, end, freq="D")
    daily = daily_measures(store, account, first, end, include_provisional, grain="day")
    daily = daily.set_index(pd.DatetimeIndex(daily["period"])).reindex(calendar)
    videos = store.aggregate(
        "kpi_video_rows",
        ("date",),
        aggregates(_VIDEO_KPIS),
        account=account,
        date_from=first,
        date_to=end,
    )
    videos = videos.set_index(pd.DatetimeIndex(videos["date"])).reindex(calendar)
    posted = videos.index[videos["videos"].notna()]
    listed = calendar >= posted.min() if len(posted) else np.zeros(len(calendar), dtype=bool)

    def video(column: str) -> np.ndarray:
        # A day inside the video list's span without a video posted is a real 0.
        values = pd.to_numeric(videos[column], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        return np.where(listed, values, np.nan)

    def day(column: str) -> np.ndarray:
        return pd.to_numeric(daily[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)

    columns = {
        "video_likes": video("like_rate__num"),
        "video_views": video("views_per_video__num"),
        "video_posts": video("views_per_video__rows"),
        "video_rate_views": video("like_rate__den"),
        "all_posts": video("videos"),
        "day_likes": day("like_rate__num"),
        "day_views": day("like_rate__den"),
        "profile_views": day(kpi("per_day", "profile_views").numerator_column),
        "follower_change": day(kpi("per_day", "net_follower_change").numerator_column),
    }
    return _History(first, columns, len(calendar), start)


# Each figure's normal variation: (numerator, denominator) history columns, by tree source.
_USUAL_COLUMNS: dict[str, dict[str, tuple[str, str | None]]] = {
    "videos": {
        "likes": ("video_likes", None),
        "posts": ("video_posts", None),
        "views_per_video": ("video_views", "video_posts"),
        "like_rate": ("video_likes", "video_rate_views"),
    },
    "daily": {
        "likes": ("day_likes", None),
        "posts": ("all_posts", None),
        "views": ("day_views", None),
        "views_per_video": ("day_views", "all_posts"),
        "like_rate": ("day_likes", "day_views"),
    },
}


# ---------------------------------------------------------------------------------------------
# The digest


def digest(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> Digest:
    """Up to MAX_SENTENCES sentences on what changed from the period before [date_from, date_to]
    (default: `default_period`), the change in likes first, the rest ranked by effect."""
    account = resolve_account(store, account)
    start, end = as_date(date_from), as_date(date_to)
    if start is None or end is None:
        period = default_period(store, account)
        if period is None:
            return Digest(account, None, None, (), reason="no data for this account yet")
        start, end = start or period[0], end or period[1]
    assert account is not None
    n = (end - start).days + 1
    tree = driver_tree(store, account, start, end, include_provisional=include_provisional)
    history = _history(store, account, start, include_provisional)

    def normal(source: str, name: str, relative: bool = True) -> Usual:
        columns = _USUAL_COLUMNS.get(source, {}).get(name)
        if history is None or columns is None:
            return Usual(n, relative, reason="no earlier data to learn it from")
        return history.usual(*columns, n, relative)

    source = tree.source or "daily"
    first = _likes_sentence(tree, normal(source, "likes"))
    others: list[Sentence] = []
    for name in tree.drivers:
        if tree.reason is None:
            found = _driver_sentence(tree, name, normal(source, name))
            others += [found] if found else []
    if tree.reason is None and "posts" not in tree.drivers:
        others += _posting_sentence(tree)
    comparison = compare_periods(store, account, start, end, include_provisional).set_index(["grain", "name"])
    likes_per_day = _number(comparison.loc[("per_day", "likes_per_day"), "current"])
    others += _trend_sentence(likes_trend(store, account, start, end, include_provisional), likes_per_day)
    others += _spike_sentence(tree)
    others += _profile_views_sentence(comparison.loc[("per_day", "profile_views")], history, n)
    others += _followers_sentence(comparison.loc[("per_day", "net_follower_change")], history, n)
    ranked = sorted(others, key=lambda s: (s.within_normal, -s.effect))[: MAX_SENTENCES - 1]
    return Digest(account, start, end, (first, *ranked), tree)


def _sides(tree: DriverTree) -> tuple[str, str]:
    """What the likes of each side are, in words."""
    days = plural(tree.now.days, "day")
    if tree.source == "videos":
        return "Likes of the videos posted this period", f"for those posted in the {days} before"
    return "Likes received this period", f"in the {days} before"


def _moved(label: str, change: float, verdict: Verdict | None) -> str:
    """'Likes rose 45%' / 'fell 20%' outside the normal variation, 'changed by +5%' within it or
    when it is unknown (never a rise or a fall then)."""
    if verdict == "above":
        return f"{label} rose {_fold(change) if change >= FOLD else f'{change:.0%}'}"
    if verdict == "below":
        return f"{label} fell {abs(change):.0%}"
    if change >= FOLD:
        return f"{label} changed by a factor of {1 + change:,.{0 if change >= 9 else 1}f}"
    return f"{label} changed by {_percent(change)}"


def _band(verdict: Verdict | None, u: Usual, whose: str) -> str:
    """The clause that places a change against the normal variation."""
    between = f"between {u.period_days}-day periods"
    if verdict == "within":
        return f"within {whose} normal variation ({u.text} {between}), so not a rise or a fall"
    if verdict in ("above", "below"):
        return f"beyond {whose} normal variation ({u.text} {between})"
    return f"too little history to tell that from normal variation ({u.reason})"


def _usual_figure(u: Usual) -> Figure:
    return Figure(u.text, u.text, u.formula)


def _likes_sentence(tree: DriverTree, u: Usual) -> Sentence:
    now, before = tree.now, tree.before
    figures = {
        "likes now": Figure(now.likes, _level("likes", now.likes), _likes_formula(tree, now)),
        "likes before": Figure(before.likes, _level("likes", before.likes), _likes_formula(tree, before)),
    }
    if tree.reason is not None or tree.change is None:
        return Sentence("likes", f"The change in likes cannot be split: {tree.reason}.", 0.0, figures, True)
    what, against = _sides(tree)
    figures["change"] = Figure(tree.change, f"{tree.change:+,}", "likes now − likes before")
    if tree.change_rel is None:
        text = (
            f"{what}: {now.likes:,}, against none {against}; a change from 0 has no percentage "
            "and no normal variation to compare with."
        )
        return Sentence("likes", text, 0.0, figures)
    rel = tree.change_rel
    figures["relative change"] = Figure(rel, _percent(rel), "(likes now − likes before) / likes before")
    figures["normal variation"] = _usual_figure(u)
    if tree.change == 0:
        return Sentence("likes", f"{what}: {now.likes:,}, the same as {against}.", 0.0, figures)
    verdict = u.verdict(rel)
    band = _band(verdict, u, "the account's")
    text = f"{_moved(what, rel, verdict)} ({now.likes:,} against {before.likes:,} {against}), {band}."
    return Sentence("likes", text, abs(rel), figures, verdict not in ("above", "below"))


def _likes_formula(tree: DriverTree, side: Side) -> str:
    when = _span(side.date_from, side.date_to)
    if tree.source == "daily":
        return f"sum of daily likes over the {side.base} of {when} with both likes and views"
    return f"sum(likes) of the {side.base} posted {when} with both likes and views"


_DRIVER_FORMULA = {
    "posts": "videos posted in the period with both likes and views",
    "views_per_video": "sum(views) / videos, over the videos with both likes and views",
    "like_rate": "sum(likes) / sum(views)",
    "views": "sum of daily views over the days with both likes and views",
}
_DAILY_FORMULA = {
    "posts": "videos posted in the period (the video list)",
    "views_per_video": "sum of daily views / videos posted in the period",
    "like_rate": "sum of daily likes / sum of daily views, over the days with both",
}


def _driver_sentence(tree: DriverTree, name: str, u: Usual) -> Sentence | None:
    contribution = tree.contributions.get(name)
    if contribution is None or contribution == 0:
        return None
    now, before = tree.now.level(name), tree.before.level(name)
    label = LABELS[name]
    formula = (_DAILY_FORMULA if tree.source == "daily" else {}).get(name, _DRIVER_FORMULA[name])
    base = tree.before.likes or tree.now.likes or 1
    figures = {
        f"{label.lower()} now": Figure(now, _level(name, now), formula),
        f"{label.lower()} before": Figure(before, _level(name, before), formula),
        "contribution": Figure(
            contribution,
            signed_plural(contribution, "like"),
            f"L(likes now, likes before) × ln({label.lower()} now / {label.lower()} before), with "
            f"L(a, b) = (a − b) / ln(a / b); L({_level('likes', tree.now.likes)}, "
            f"{_level('likes', tree.before.likes)}) = {_log_mean_text(tree)}",
        ),
    }
    share = f"in the split of the change in likes it accounts for {contribution:+,.0f}"
    if not before or now is None:
        text = (
            f"{label} went from {_level(name, before) if before is not None else 'none'} to "
            f"{_level(name, now)}: a driver at 0 in one period takes the whole change, {signed_plural(contribution, 'like')}."
        )
        return Sentence(name, text, abs(contribution) / base, figures)
    rel = now / before - 1
    verdict = u.verdict(rel)
    figures["relative change"] = Figure(
        rel, _percent(rel), f"{label.lower()} now / {label.lower()} before − 1"
    )
    figures["normal variation"] = _usual_figure(u)
    text = (
        f"{_moved(label, rel, verdict)} ({_level(name, before)} → {_level(name, now)}), "
        f"{_band(verdict, u, 'its')}; {share}."
    )
    return Sentence(name, text, abs(contribution) / base, figures, verdict not in ("above", "below"))


def _log_mean_text(tree: DriverTree) -> str:
    a, b = tree.now.likes, tree.before.likes
    return "n/a" if a is None or b is None else f"{log_mean(a, b):,.1f}"


def _posting_sentence(tree: DriverTree) -> list[Sentence]:
    """Posting volume when it is not a driver of the tree (a daily tree with a period without posts)."""
    now, before = tree.now.posts, tree.before.posts
    if now is None or before is None or now == before:
        return []
    days = plural(tree.now.days, "day")
    text = (
        f"Videos posted: {now:,} this period against {'none' if not before else f'{before:,}'} in the "
        f"{days} before."
    )
    figures = {
        "videos posted now": Figure(now, f"{now:,}", _DAILY_FORMULA["posts"]),
        "videos posted before": Figure(before, f"{before:,}", _DAILY_FORMULA["posts"]),
    }
    return [Sentence("posts", text, abs(now - before) / max(now, before), figures)]


def _trend_sentence(trend: Trend, likes_per_day: float | None) -> list[Sentence]:
    if trend.verdict == "not enough data":
        return []
    figures = {
        "slope": Figure(
            trend.slope_per_day,
            "n/a" if trend.slope_per_day is None else f"{trend.slope_per_day:+,.2f} likes per day",
            "Theil-Sen slope of daily likes (the median of all pairwise slopes)",
        ),
        "interval": Figure(
            None if trend.low is None else f"{trend.low:+,.2f} to {trend.high:+,.2f}",
            "n/a" if trend.low is None else f"{trend.low:+,.2f} to {trend.high:+,.2f} likes per day",
            "95% confidence interval of the slope; a direction is claimed only when it excludes 0",
        ),
        "days": Figure(trend.n_days, plural(trend.n_days, "day"), "days with daily likes in the period"),
    }
    effect = 0.0
    if trend.verdict in ("rising", "falling") and trend.slope_per_day is not None and likes_per_day:
        effect = abs(trend.slope_per_day) * trend.n_days / likes_per_day
    steady = trend.verdict not in ("rising", "falling")
    text = trend.sentence
    if not steady and trend.slope_per_day is not None and trend.low is not None and trend.high is not None:
        text = (
            f"Daily likes are {trend.verdict} within this period: about {signed(trend.slope_per_day)} likes per "
            f"day (95% interval {signed(trend.low)} to {signed(trend.high)}) over {plural(trend.n_days, 'day')}."
        )
    return [Sentence("trend", text, effect, figures, steady)]


def _spike_sentence(tree: DriverTree) -> list[Sentence]:
    spike = tree.spike
    sentence = spike.sentence
    if sentence is None or spike.top_share is None or spike.top_video is None:
        return []
    figures = {
        "top video's likes": Figure(
            spike.top_video["likes"],
            f"{spike.top_video['likes']:,}",
            "likes of the video with the most likes",
        ),
        "likes of the period's videos": Figure(
            spike.likes,
            _level("likes", spike.likes),
            f"sum(likes) of the {plural(spike.videos, 'video')} posted this period",
        ),
        "top share": Figure(
            spike.top_share, f"{spike.top_share:.0%}", "top video's likes / likes of the period's videos"
        ),
    }
    if spike.outlier_share is not None:
        figures["outlier share"] = Figure(
            spike.outlier_share,
            f"{spike.outlier_share:.0%}",
            "likes of the viral outliers (robust z-score above 3.5 on likes or like rate) / likes of the "
            "period's videos",
        )
    return [Sentence("spike", sentence + ".", max(0.0, spike.top_share - 1 / spike.videos), figures)]


def _profile_views_sentence(row: pd.Series, history: _History | None, n: int) -> list[Sentence]:
    current, previous = _number(row["current"]), _number(row["previous"])
    if current is None:
        return []
    figure = {"profile views now": Figure(current, f"{current:,.0f}", "sum of daily profile views")}
    comparison = None if _missing(row["comparison"]) else str(row["comparison"])
    if previous is None or comparison is not None:
        text = f"Profile views: {current:,.0f} this period; the change is n/a: {comparison}."
        return [Sentence("profile_views", text, 0.0, figure, True)]
    figure["profile views before"] = Figure(previous, f"{previous:,.0f}", "sum of daily profile views")
    rel = ratio(current - previous, previous)
    if rel is None:
        text = f"Profile views: {current:,.0f} this period against none in the {n} days before."
        return [Sentence("profile_views", text, 0.0, figure, True)]
    u = history.usual("profile_views", None, n) if history else Usual(n, True, reason="no earlier data")
    verdict = u.verdict(rel)
    figure["relative change"] = Figure(rel, _percent(rel), "profile views now / profile views before − 1")
    figure["normal variation"] = _usual_figure(u)
    text = (
        f"{_moved('Profile views', rel, verdict)} ({current:,.0f} against {previous:,.0f} in the {n} days "
        f"before), {_band(verdict, u, 'their')}."
    )
    return [Sentence("profile_views", text, abs(rel), figure, verdict not in ("above", "below"))]


def _followers_sentence(row: pd.Series, history: _History | None, n: int) -> list[Sentence]:
    current, previous = _number(row["current"]), _number(row["previous"])
    if current is None:
        return []
    formula = "sum of day-to-day changes of the follower count"
    figure = {"net follower change now": Figure(current, f"{current:+,.0f}", formula)}
    if previous is None:
        text = f"Net follower change: {current:+,.0f} this period; the change is n/a: {row['comparison']}."
        return [Sentence("followers", text, 0.0, figure, True)]
    figure["net follower change before"] = Figure(previous, f"{previous:+,.0f}", formula)
    difference = current - previous
    u = (
        history.usual("follower_change", None, n, relative=False)
        if history
        else Usual(n, False, reason="no earlier data")
    )
    verdict = u.verdict(difference)
    figure["difference"] = Figure(difference, f"{difference:+,.0f}", "net change now − net change before")
    figure["normal variation"] = _usual_figure(u)
    both = f"{current:+,.0f} this period against {previous:+,.0f} in the {n} days before"
    if verdict in ("above", "below"):
        moved = f"rose by {difference:,.0f}" if verdict == "above" else f"fell by {-difference:,.0f}"
        text = f"Net follower change {moved} ({both}), {_band(verdict, u, 'its')}."
    else:
        text = f"Net follower change: {both} ({difference:+,.0f}), {_band(verdict, u, 'its')}."
    larger = max(abs(current), abs(previous))
    effect = abs(difference) / larger if larger else 0.0
    return [Sentence("followers", text, effect, figure, verdict not in ("above", "below"))]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(value: object) -> float | None:
    return None if _missing(value) else float(value)  # type: ignore[arg-type]
