"""The one lever table: every what-if lever declared once.

A lever is something a marketer can change: posts per week, the like rate of new videos, the
views each new video gets, the followers gained per day. Its row says its unit, its bounds and
step (the slider, the URL clamp, the command line and the inverse all read them), the goal kinds
it can move, the baseline value it starts from, and which factor of the simulation it scales
(whatif.multipliers turns the factors into multipliers on the simulated futures):
- `posts`: how many new videos (posts per week today -> planned);
- `reach`: the views each new video gets;
- `liking`: the likes each view gives (the like rate);
- `follow`: the followers each view brings.

A relative lever is set as a percent change of today's value (+10 means 10 % more); an absolute
one in its own unit (posts per week).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from kpi_core.metrics.findings import signed
from kpi_core.metrics.goal_metrics import GoalKind, goal_metric
from kpi_core.metrics.scope import PARTIAL_LIST
from kpi_core.planning.baseline import Baseline

__all__ = ["LEVERS", "Factor", "Lever", "lever", "levers_for", "slider_value"]

Factor = Literal["posts", "reach", "liking", "follow"]


def _three_digits(value: float) -> str:
    """A number to three significant digits, as a sentence reads it: 52,000, 1,230, 48.5."""
    digits = max(0, 3 - len(str(int(abs(value))))) if value else 0
    return f"{float(f'{value:.3g}'):,.{min(digits, 1)}f}"


def _rate(value: float) -> str:
    """A like rate for the inverse's answer: one decimal from 1 %, two significant digits below
    (0.036 %, where one decimal would read as no likes at all).

    >>> _rate(0.061), _rate(0.00036), _rate(0.0)
    ('6.1%', '0.036%', '0%')
    """
    percent = value * 100
    return f"{percent:.1f}%" if percent >= 0.995 else f"{float(f'{percent:.2g}'):g}%"


_SLIDER_DECIMALS = 1  # an absolute lever's slider writes one decimal ("%.1f")


def slider_value(value: float) -> float:
    """A posting rate rounded to one decimal as the slider writes it ("%.1f" in the browser rounds
    the exact value half up: 1.25 is "1.3", where Python's format reads "1.2"), so that the page's
    words and its slider give the same number."""
    return float(Decimal(value).quantize(Decimal(10) ** -_SLIDER_DECIMALS, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Lever:
    """One lever. Bounds are in the lever's unit: percent change for a relative lever, else its own.

    `solve_high` bounds what the inverse searches, in absolute terms: a multiple of today's value
    for a relative lever (10 is "10x today's"), or an absolute value (posts per week, or a like
    rate of 1.0 for `absolute_cap`).
    """

    name: str
    label: str
    unit: str
    factor: Factor
    relative: bool
    low: float
    high: float
    step: float
    moves: frozenset[GoalKind]
    measured: str  # the Baseline attribute holding today's value
    scenario_field: str  # the Scenario field the lever sets
    url_key: str  # the query parameter a shared link carries it in
    help: str
    solve_high: float
    describe: Callable[[float, float], str]  # (needed value, today's value) -> the inverse's words
    shown_today: str  # today's value in words, a str.format pattern: "{:.1f} posts per week"
    missing: str  # why today's value cannot be measured, when it cannot
    out_of_reach: str
    absolute_cap: bool = False  # solve_high is an absolute value even for a relative lever
    needs_videos: bool = False  # measured on the video list: without one, `why_missing` says so
    not_positive: str | None = None  # why, when today's value is measured but zero or below
    leads: frozenset[GoalKind] = frozenset()  # goal kinds for which this lever comes first
    held: str = ""  # what the answer holds at today's value ("at today's like rate"), as `describe` says it
    counts_posts: bool = False  # measured by counting posts: not on a sample of them (`PARTIAL_LIST`)

    def today(self, baseline: Baseline) -> float | None:
        """Today's value in the lever's natural unit (posts per week, a fraction, views, followers
        per day); None when it cannot be measured or is not positive (nothing to scale)."""
        value = float(getattr(baseline, self.measured))
        return value if math.isfinite(value) and value > 0 else None

    def solve_range(self, today: float) -> tuple[float, float]:
        """The absolute values the inverse searches for this lever."""
        if self.relative and not self.absolute_cap:
            return 0.0, self.solve_high * today
        return 0.0, self.solve_high

    def answer(self, value: float, today: float) -> str:
        """The inverse's words for `value`: `describe`'s, unless they read as today's value does.

        1.26 posts a week and today's 1.25 both read "1.3": "It takes 1.3 posts per week" beside
        today's "1.3" and a 49% chance reads as a contradiction. Then the answer says how far from
        today's it is: "a little more than today's posts per week (+0.80%) at today's like rate".
        """
        words = self.describe(value, today)
        if value == today or words != self.describe(today, today):
            return words
        side = "more" if value > today else "less"
        change = signed((value / today - 1) * 100)
        return f"a little {side} than today's {self.name.replace('_', ' ')} ({change}%) {self.held}".rstrip()

    @property
    def slider_format(self) -> str:
        """The slider's number format: a percent change, or the lever's unit to `slider_value`'s
        decimals."""
        return "%+.0f%%" if self.relative else f"%.{_SLIDER_DECIMALS}f"

    def today_text(self, baseline: Baseline, why: bool = True) -> str:
        """Today's value in words ("1.5 posts per week"), or "posts per week n/a" and, with `why`,
        why it cannot be measured."""
        value = self.today(baseline)
        if value is None:
            missing = f"{self.name.replace('_', ' ')} n/a"
            return f"{missing} ({self.why_missing(baseline)})" if why else missing
        return self.shown_today.format(value if self.relative else slider_value(value))

    def why_missing(self, baseline: Baseline) -> str:
        """Why today's value cannot be measured on this account: no video list at all, a value
        measured but not positive (followers that fell), or the lever's own reason."""
        if self.needs_videos and len(baseline.video_day) == 0:
            return "the files loaded hold no video list: upload the Content export or a scrape"
        if self.counts_posts and baseline.videos_listed_only:
            return PARTIAL_LIST
        value = float(getattr(baseline, self.measured))
        if self.not_positive is not None and math.isfinite(value) and value <= 0:
            return self.not_positive
        return self.missing

    def bounds(self, baseline: Baseline) -> tuple[float, float, float]:
        """(low, high, step) of the lever for this account, in the lever's unit: what the slider
        offers and what a shared link or the command line is clamped to.

        Posting fits the account: up to three times today's rate (at least 7 a week, at most
        MAX_POSTS_PER_WEEK), in steps of 0.1 up to 10 a week and 0.5 beyond. Relative levers
        keep their declared percent bounds.
        """
        if self.relative:
            return self.low, self.high, self.step
        today = self.today(baseline) or 0.0
        high = min(self.high, max(7.0, math.ceil(3 * today)))
        return self.low, float(high), 0.1 if high <= 10 else self.step

    def clamp(self, value: float, baseline: Baseline) -> float:
        """`value` within the lever's bounds for this account."""
        low, high, _ = self.bounds(baseline)
        return min(max(value, low), high)

    def setting(self, level: float | None, baseline: Baseline) -> float | None:
        """The lever's value, in its unit and within its bounds, that puts it at `level` (in the
        lever's natural unit, as `today`: posts per week, views per video, a like rate). A relative
        lever is the percent change from today's value, in whole percents as its slider shows them:
        a like rate of 6% against 5% today is +20. An absolute lever keeps two decimals (2.96 posts a
        week). None when `level` is missing, or today's value is, for a relative lever.

        Used by the Overview's "Plan from here": What-if opens with a period's measured values.
        """
        if level is None or not math.isfinite(level):
            return None
        if not self.relative:
            return round(self.clamp(level, baseline), 2)
        today = self.today(baseline)
        if today is None:
            return None
        return float(round(self.clamp((level / today - 1) * 100, baseline))) + 0.0  # + 0.0: never "-0%"


MAX_POSTS_PER_WEEK = 50.0  # beyond this, a plan is not a plan
_AT_LIKE_RATE = "at today's like rate"
_AT_POSTING = "at today's posting"
_AT_POSTING_AND_LIKE_RATE = "at today's posting and like rate"

LEVERS: dict[str, Lever] = {
    lv.name: lv
    for lv in (
        Lever(
            name="posts_per_week",
            needs_videos=True,
            counts_posts=True,
            missing="no videos posted in the last 12 weeks of the data",
            shown_today="{:.1f} posts per week",
            label="Posts per week",
            unit="posts per week",
            factor="posts",
            relative=False,
            low=0.0,
            high=MAX_POSTS_PER_WEEK,
            step=0.5,
            moves=frozenset({GoalKind.COUNT, GoalKind.LEVEL}),
            measured="posts_per_week",
            scenario_field="posts_per_week",
            url_key="posts_per_week",
            help="New videos a week.",
            solve_high=MAX_POSTS_PER_WEEK,
            describe=lambda value, today: (
                "no new posts at all"
                if value < 0.05
                else f"{slider_value(value):.1f} posts per week {_AT_LIKE_RATE}"
            ),
            held=_AT_LIKE_RATE,
            out_of_reach=f"no posting rate up to {MAX_POSTS_PER_WEEK:.0f} a week gets there",
        ),
        Lever(
            name="like_rate",
            needs_videos=True,
            missing="no settled video with both likes and views",
            shown_today="{:.2%} like rate",
            label="Like rate change (%)",
            unit="percent change of the like rate",
            factor="liking",
            relative=True,
            low=-50.0,
            high=100.0,
            step=5.0,
            moves=frozenset({GoalKind.COUNT, GoalKind.RATE, GoalKind.PER_VIDEO}),
            measured="like_rate",
            scenario_field="like_rate_change",
            url_key="like_rate_change",
            help="Percent change of the like rate (likes per view) from today's.",
            solve_high=1.0,
            absolute_cap=True,
            describe=lambda value, today: f"a like rate of {_rate(value)} {_AT_POSTING}",
            held=_AT_POSTING,
            out_of_reach="no like rate up to 100% gets there",
        ),
        Lever(
            name="views_per_video",
            needs_videos=True,
            missing="no settled video with views",
            shown_today="{:,.0f} views per video",
            label="Views per video change (%)",
            unit="percent change of views per video",
            factor="reach",
            relative=True,
            low=-50.0,
            high=200.0,
            step=5.0,
            moves=frozenset({GoalKind.COUNT, GoalKind.LEVEL, GoalKind.PER_VIDEO}),
            measured="views_per_video",
            scenario_field="views_per_video_change",
            url_key="views_change",
            help="Percent change of the views each new video gets.",
            solve_high=10.0,
            describe=lambda value, today: (
                f"{_three_digits(value)} views per video {_AT_POSTING_AND_LIKE_RATE}"
            ),
            held=_AT_POSTING_AND_LIKE_RATE,
            out_of_reach="not even 10x today's views per video gets there",
        ),
        Lever(
            name="follower_growth",
            missing="no follower counts in the last 12 weeks",
            not_positive="followers did not grow over the last 12 weeks: there is no growth to scale",
            shown_today="{:,.1f} followers gained a day",
            label="Follower growth change (%)",
            unit="percent change of followers gained per day",
            factor="follow",
            relative=True,
            low=-50.0,
            high=200.0,
            step=5.0,
            moves=frozenset({GoalKind.LEVEL}),
            measured="follower_gain_per_day",
            scenario_field="follower_growth_change",
            url_key="follower_change",
            help="Percent change of followers gained per day (for a followers goal).",
            solve_high=10.0,
            describe=lambda value, today: f"follower growth {value / today - 1:+.0%} on today's",
            out_of_reach="not even 10x today's follower growth gets there",
            leads=frozenset({GoalKind.LEVEL}),
        ),
    )
}


def lever(name: str) -> Lever:
    """The lever `name`; KeyError for an unknown one."""
    return LEVERS[name]


def levers_for(metric: str) -> tuple[Lever, ...]:
    """The levers that move a goal on `metric`, the main one first.

    Posting and reach change volumes, not a rate; posting does not change likes per video;
    only a followers goal has a follower-growth lever.
    """
    kind = goal_metric(metric).kind
    moving = [lv for lv in LEVERS.values() if kind in lv.moves]
    return tuple(sorted(moving, key=lambda lv: kind not in lv.leads))
