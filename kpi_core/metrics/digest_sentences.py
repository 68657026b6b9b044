"""The digest's sentences, one topic each: the change in likes, a driver, posting volume, the trend,
the spike share, profile views and followers; each with the figures it rests on and the size of its
effect (see kpi_core.metrics.digest)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from kpi_core.metrics.comparison import MIN_COMPARED_VIDEOS
from kpi_core.metrics.driver_nodes import FORMATS, LABELS, node_label
from kpi_core.metrics.drivers import DriverTree, Side
from kpi_core.metrics.findings import (
    FOLD,
    day_span,
    plural,
    signed,
    signed_percent,
    signed_plural,
    whole_percent,
)
from kpi_core.metrics.lmdi import log_mean
from kpi_core.metrics.normal_variation import Usual, Verdict
from kpi_core.metrics.ratios import ratio
from kpi_core.metrics.trends import Trend

__all__ = [
    "Figure",
    "Sentence",
    "as_number",
    "driver_sentence",
    "followers_sentence",
    "likes_sentence",
    "posting_sentence",
    "profile_views_sentence",
    "spike_sentence",
    "trend_sentence",
]


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


def _fold(change: float) -> str:
    """The factor of a large rise: 2.4 -> '3.4-fold', 109 -> '110-fold'."""
    factor = 1 + change
    return f"{factor:,.0f}-fold" if factor >= 10 else f"{factor:.1f}-fold"


def _level(name: str, value: float | None) -> str:
    return "n/a" if value is None else FORMATS[name].format(value)


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
        return f"{label} rose {_fold(change) if change >= FOLD else whole_percent(change)}"
    if verdict == "below":
        return f"{label} fell {whole_percent(abs(change))}"
    if change >= FOLD:
        return f"{label} changed by a factor of {1 + change:,.{0 if change >= 9 else 1}f}"
    return f"{label} changed by {signed_percent(change)}"


def _usual_figure(u: Usual) -> Figure:
    return Figure(u.text, u.text, u.formula)


def likes_sentence(tree: DriverTree, u: Usual) -> Sentence:
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
    figures["relative change"] = Figure(rel, signed_percent(rel), "(likes now − likes before) / likes before")
    figures["normal variation"] = _usual_figure(u)
    if tree.change == 0:
        return Sentence("likes", f"{what}: {now.likes:,}, the same as {against}.", 0.0, figures)
    # Daily totals are placed by their level per day with data, as their band measures them.
    level = u.level_change(now.likes, now.rows, before.likes, before.rows) if tree.source == "daily" else rel
    verdict = u.verdict(level)
    band = u.placed(level, "the account's")
    text = f"{_moved(what, rel, verdict)} ({now.likes:,} against {before.likes:,} {against}), {band}."
    return Sentence("likes", text, abs(rel), figures, verdict not in ("above", "below"))


def unsplit_likes_sentence(tree: DriverTree, row: pd.Series, u: Usual, n: int, start: date) -> Sentence:
    """The daily likes of a period whose change is not split (`tree.reason`: a period lacks days,
    `drivers.partial_days`; no earlier data; a driver n/a), from the `compare_periods` likes row
    the cards show (days with likes, over the `n` settled days of each period, from `start`). Totals
    over fewer days with likes than the period has are compared per day with likes, as the band and
    the cards judge them: "rose 20%" of 6 likes on 88 days against 5 on 28 was a fall of the likes a
    day. Without earlier likes, the days named are those `n` days before, which the header names,
    not the tree's calendar period."""
    current, previous = as_number(row["current"]), as_number(row["previous"])
    formula = "sum of daily likes"
    figures = {
        "likes now": Figure(current, _level("likes", current), formula),
        "likes before": Figure(previous, _level("likes", previous), formula),
    }
    unsplit = f"; it is not split into views and like rate: {tree.reason}"
    if current is None:
        return Sentence("likes", f"The change in likes cannot be split: {tree.reason}.", 0.0, figures, True)
    if previous is None:
        days_with = int(row["current_rows"])
        on = f" (on {days_with:,} of its {n:,} days)" if days_with < n else ""
        before = day_span(start - timedelta(days=n), start - timedelta(days=1))
        text = (
            f"Likes: {current:,.0f} this period{on}; the change is n/a: {row['comparison']} (the "
            f"{plural(n, 'day')} before, {before}, have no daily likes)."
        )
        return Sentence("likes", text, 0.0, {"likes now": figures["likes now"]}, True)
    days = (int(row["current_rows"]), int(row["previous_rows"]))
    level = u.level_change(current, days[0], previous, days[1])
    if min(days) < n:
        label, change = "Likes per day with data", level
        both = _against(f"{current:,.0f}", f"{previous:,.0f}", days, n)
        relative = "(likes now / days now) / (likes before / days before) − 1"
    else:
        label, change = "Likes received this period", ratio(current - previous, previous)
        both = f"{current:,.0f} against {previous:,.0f} in the {n} days before"
        relative = "(likes now − likes before) / likes before"
    if change is None:  # from none: no percentage
        return Sentence("likes", f"{label}: {both}{unsplit}.", 0.0, figures, True)
    verdict = u.verdict(level)
    figures["relative change"] = Figure(change, signed_percent(change), relative)
    figures["normal variation"] = _usual_figure(u)
    band = u.placed(level, "the account's")
    text = f"{_moved(label, change, verdict)} ({both}), {band}{unsplit}."
    return Sentence("likes", text, abs(change), figures, verdict not in ("above", "below"))


def _likes_formula(tree: DriverTree, side: Side) -> str:
    when = day_span(side.date_from, side.date_to)
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


def driver_sentence(tree: DriverTree, name: str, u: Usual) -> Sentence | None:
    contribution = tree.contributions.get(name)
    if contribution is None or contribution == 0:
        return None
    now, before = tree.now.level(name), tree.before.level(name)
    label = node_label(name, tree.source)  # the sentence's; the figures keep stable names (--json)
    key = LABELS[name].lower()
    formula = (_DAILY_FORMULA if tree.source == "daily" else {}).get(name, _DRIVER_FORMULA[name])
    base = tree.before.likes or tree.now.likes or 1
    figures = {
        f"{key} now": Figure(now, _level(name, now), formula),
        f"{key} before": Figure(before, _level(name, before), formula),
        "contribution": Figure(
            contribution,
            signed_plural(contribution, "like"),
            f"L(likes now, likes before) × ln({key} now / {key} before), with "
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
    rows = (tree.now.rows, tree.before.rows)
    if tree.source == "videos" and name != "posts" and min(rows) < MIN_COMPARED_VIDEOS:
        # As the cards: a rate or an average of a few videos is one or two videos' (`few_videos`).
        text = (
            f"{label} went from {_level(name, before)} to {_level(name, now)} on "
            f"{plural(rows[0], 'video')} against {rows[1]:,}: too few videos to call it a change (at least "
            f"{MIN_COMPARED_VIDEOS} in each period); {share}."
        )
        return Sentence(name, text, abs(contribution) / base, figures, True)
    verdict = u.verdict(rel)
    figures["relative change"] = Figure(rel, signed_percent(rel), f"{key} now / {key} before − 1")
    figures["normal variation"] = _usual_figure(u)
    text = (
        f"{_moved(label, rel, verdict)} ({_level(name, before)} → {_level(name, now)}), "
        f"{u.placed(rel, 'its')}; {share}."
    )
    return Sentence(name, text, abs(contribution) / base, figures, verdict not in ("above", "below"))


def _log_mean_text(tree: DriverTree) -> str:
    a, b = tree.now.likes, tree.before.likes
    return "n/a" if a is None or b is None else f"{log_mean(a, b):,.1f}"


def posting_sentence(tree: DriverTree) -> list[Sentence]:
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


def trend_sentence(trend: Trend, likes_per_day: float | None) -> list[Sentence]:
    if trend.verdict == "not enough data":
        return []
    figures = {
        "slope": Figure(
            trend.slope_per_day,
            "n/a" if trend.slope_per_day is None else f"{trend.slope_per_day:+,.2f} likes per day",
            "Theil-Sen slope of daily likes (the median of all pairwise slopes)"
            + ("" if trend.n_weeks is None else f", fitted on {plural(trend.n_weeks, 'weekly average')}"),
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
            f"day (95% interval {signed(trend.low)} to {signed(trend.high)}) {trend.span}."
        )
    return [Sentence("trend", text, effect, figures, steady)]


def spike_sentence(tree: DriverTree) -> list[Sentence]:
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
            f"sum(likes) of {spike.which}",
        ),
        "top share": Figure(
            spike.top_share,
            whole_percent(spike.top_share),
            "top video's likes / likes of the period's videos",
        ),
    }
    if spike.outlier_share is not None:
        figures["outlier share"] = Figure(
            spike.outlier_share,
            whole_percent(spike.outlier_share),
            "likes of the viral outliers (robust z-score above 3.5 on likes or like rate) / likes of the "
            "period's videos",
        )
    return [Sentence("spike", sentence + ".", max(0.0, spike.top_share - 1 / spike.videos), figures)]


def profile_views_sentence(row: pd.Series, u: Usual, n: int) -> list[Sentence]:
    """Profile views against the `n` days before, placed against their normal variation `u`."""
    current, previous = as_number(row["current"]), as_number(row["previous"])
    if current is None:
        return []
    figure = {"profile views now": Figure(current, f"{current:,.0f}", "sum of daily profile views")}
    comparison = None if _missing(row["comparison"]) else str(row["comparison"])
    if previous is None or comparison is not None:
        text = f"Profile views: {current:,.0f} this period; the change is n/a: {comparison}."
        return [Sentence("profile_views", text, 0.0, figure, True)]
    figure["profile views before"] = Figure(previous, f"{previous:,.0f}", "sum of daily profile views")
    days = (int(row["current_rows"]), int(row["previous_rows"]))
    level = u.level_change(current, days[0], previous, days[1])
    before = f"{previous:,.0f}" if previous else "none"
    # Totals over fewer days with data than the period has are compared per day with data, as the band is.
    if min(days) < n:
        label, rel = "Profile views per day with data", level
        both = _against(f"{current:,.0f}", before, days, n)
        formula = "(profile views now / days now) / (profile views before / days before) − 1"
        same = f"{label}: the same as before ({both})."
    else:
        label, rel = "Profile views", ratio(current - previous, previous)
        both = f"{current:,.0f} against {before} in the {n} days before"
        formula = "profile views now / profile views before − 1"
        same = f"Profile views: {current:,.0f}, the same as in the {n} days before."
    if rel is None:  # from none: no percentage
        text = (
            f"Profile views: {both}."
            if min(days) < n
            else f"Profile views: {current:,.0f} this period against none in the {n} days before."
        )
        return [Sentence("profile_views", text, 0.0, figure, True)]
    verdict = u.verdict(level)
    figure["relative change"] = Figure(rel, signed_percent(rel), formula)
    figure["normal variation"] = _usual_figure(u)
    if rel == 0:
        return [Sentence("profile_views", same, 0.0, figure, True)]
    text = f"{_moved(label, rel, verdict)} ({both}), {u.placed(level, 'their')}."
    return [Sentence("profile_views", text, abs(rel), figure, verdict not in ("above", "below"))]


def _against(current: str, previous: str, days: tuple[int, int], n: int) -> str:
    """Two totals over `n` days each and the days with data behind them: '3 on 88 days with data
    this period against 5 on 28 of the 88 days before'."""
    return (
        f"{current} on {plural(days[0], 'day')} with data this period against {previous} on {days[1]:,} of "
        f"the {plural(n, 'day')} before"
    )


def followers_sentence(row: pd.Series, u: Usual, n: int) -> list[Sentence]:
    """The net follower change against the `n` days before's, placed against its normal variation `u`
    (a difference)."""
    current, previous = as_number(row["current"]), as_number(row["previous"])
    if current is None:
        return []
    formula = "sum of day-to-day changes of the follower count"
    figure = {"net follower change now": Figure(current, f"{current:+,.0f}", formula)}
    if previous is None:
        text = f"Net follower change: {current:+,.0f} this period; the change is n/a: {row['comparison']}."
        return [Sentence("followers", text, 0.0, figure, True)]
    figure["net follower change before"] = Figure(previous, f"{previous:+,.0f}", formula)
    days = (int(row["current_rows"]), int(row["previous_rows"]))
    level = u.level_change(current, days[0], previous, days[1])
    verdict = u.verdict(level)
    if 0 < min(days) < n:
        both = _against(f"{current:+,.0f}", f"{previous:+,.0f}", days, n)
        # Totals over different numbers of days with data: compared per day with data, as the band is.
        now_rate, before_rate = current / days[0], previous / days[1]
        difference = now_rate - before_rate
        figure["difference"] = Figure(
            difference, signed(difference), "net change now / days now − net change before / days before"
        )
        figure["normal variation"] = _usual_figure(u)
        per_day = f"{signed(now_rate)} a day with data against {signed(before_rate)}"
        moved = {"above": " rose", "below": " fell"}.get(verdict or "", "")
        text = f"Net follower change{moved}: {per_day} ({both}), {u.placed(level, 'its')}."
        larger = max(abs(now_rate), abs(before_rate))
    else:
        both = f"{current:+,.0f} this period against {previous:+,.0f} in the {n} days before"
        larger = max(abs(current), abs(previous))
        difference = current - previous
        figure["difference"] = Figure(difference, f"{difference:+,.0f}", "net change now − net change before")
        figure["normal variation"] = _usual_figure(u)
        if verdict in ("above", "below"):
            moved = f"rose by {difference:,.0f}" if verdict == "above" else f"fell by {-difference:,.0f}"
            text = f"Net follower change {moved} ({both}), {u.placed(level, 'its')}."
        else:
            text = f"Net follower change: {both} ({difference:+,.0f}), {u.placed(level, 'its')}."
    effect = abs(difference) / larger if larger else 0.0
    return [Sentence("followers", text, effect, figure, verdict not in ("above", "below"))]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def as_number(value: object) -> float | None:
    return None if _missing(value) else float(value)  # type: ignore[arg-type]
