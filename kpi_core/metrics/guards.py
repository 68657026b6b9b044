"""The validity rules (`Guard`s) that turn a KPI value which would mean nothing into "n/a" with its
reason: a rate by follower on a small or moving base, a rate above 100% of the views."""

from __future__ import annotations

import numpy as np

from kpi_core.metrics.measures import Grain, Guard, Measure, Parts

__all__ = [
    "FOLLOWER_BASE_RULE",
    "MAX_FOLLOWER_CHANGE",
    "MIN_AVERAGE_FOLLOWERS",
    "follower_base_guard",
    "steady_follower_base",
    "views_guard",
]


# A rate by follower divides by the followers as if they were the audience. Two things break that:
# - a small base. Under 1,000 followers nearly every view comes from the For You feed, not from
#   followers, and one video seen by a hundred strangers reads as 156% of 64 followers. The
#   published rates by follower (data/benchmarks.csv) are measured on accounts of thousands of
#   followers and more; influencer tiers start at 1,000 ("nano").
# - a moving base. If the count more than doubles (largest over smallest) in the period, the same
#   interactions read as twice the rate or half of it depending on which day's count is used:
#   the figure says more about when followers were counted than about the videos.
# A rate above 100% of the followers means the videos reach far beyond them: reach, not
# engagement, which the rate by view measures.
MIN_AVERAGE_FOLLOWERS = 1_000
MAX_FOLLOWER_CHANGE = 2.0
FOLLOWER_BASE_RULE = (
    f"Shown only when the account averaged at least {MIN_AVERAGE_FOLLOWERS:,} followers over the period, "
    f"its follower count changed by at most a factor of {MAX_FOLLOWER_CHANGE:g} (largest over smallest) "
    "and the result is at most 100% of the followers; otherwise n/a, with the reason."
)


def steady_follower_base(
    average: np.ndarray, low: np.ndarray, high: np.ndarray, rate: np.ndarray
) -> np.ndarray:
    """`follower_base_guard`'s rule over many periods at once: which have a rate by follower that
    means something (an average of MIN_AVERAGE_FOLLOWERS or more, a count changing by at most
    MAX_FOLLOWER_CHANGE, at most 100 %). NaN anywhere fails.

    >>> steady_follower_base(np.array([5e3, 500, 5e3]), np.array([4e3, 400, 1e3]),
    ...                      np.array([6e3, 600, 9e3]), np.array([0.02, 0.02, 0.02])).tolist()
    [True, False, False]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        moved = high / low
    return (average >= MIN_AVERAGE_FOLLOWERS) & (moved <= MAX_FOLLOWER_CHANGE) & (rate <= 1)


def _factor(value: float) -> str:
    return f"×{value:,.0f}" if value >= 10 else f"×{value:.1f}"


def follower_base_guard(grain: Grain, counted: str) -> Guard:
    """The rule for a rate by follower over `grain`'s rows: a big enough, steady base, at most 100%."""
    # Every row carries its period's range of follower counts (see FOLLOWERS).
    measures = (
        Measure("followers_low", "min", "base_low"),
        Measure("followers_high", "max", "base_high"),
        Measure("followers_first", "first", "base_first"),
        Measure("followers_last", "last", "base_last"),
    )
    per = "per video" if grain == "per_video" else "per day"

    def check(parts: Parts) -> str | None:
        if parts.denominator is None or parts.rows == 0:
            return None
        average = parts.denominator / parts.rows
        if average < MIN_AVERAGE_FOLLOWERS:
            return (
                f"{average:,.0f} followers on average: a rate by follower needs at least "
                f"{MIN_AVERAGE_FOLLOWERS:,}; with fewer, most views come from the For You feed, not from "
                "followers"
            )
        x = parts.extra
        smallest, largest = x.get("followers_low"), x.get("followers_high")
        if smallest and largest and largest / smallest > MAX_FOLLOWER_CHANGE:
            start, end = x.get("followers_first"), x.get("followers_last")
            if (start, end) == (smallest, largest):
                moved = f"grew from {smallest:,.0f} to {largest:,.0f}"
            elif (start, end) == (largest, smallest):
                moved = f"fell from {largest:,.0f} to {smallest:,.0f}"
            else:
                moved = f"ranged from {smallest:,.0f} to {largest:,.0f}"
            return (
                f"followers {_factor(largest / smallest)} in the period: they {moved}, and a rate on a "
                "moving base means nothing"
            )
        if parts.value > 1:
            return (
                f"over 100% of followers: more {counted} {per} than the account has followers; videos "
                "reach far beyond the followers, so use the rate by view"
            )
        return None

    return Guard(FOLLOWER_BASE_RULE, check, measures)


def views_guard(counted: str) -> Guard:
    """A rate by view above 100% says the view counts are incomplete, not that videos did well."""

    def check(parts: Parts) -> str | None:
        if parts.value > 1:
            return f"over 100% of views: more {counted} than views, so the view counts look incomplete"
        return None

    return Guard("Shown only when it is at most 100% of the views; otherwise n/a.", check)
