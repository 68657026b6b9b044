"""A goal metric at its deadline: the median of the simulated futures, the 80% band, the
probability of reaching the target and the reach date (made by simulation.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.metrics.findings import whole_percent
from kpi_core.metrics.goal_metrics import GoalKind, goal_metric
from kpi_core.planning.baseline import MIN_HISTORY_DAYS, MIN_HISTORY_VIDEOS, Baseline
from kpi_core.planning.chances import chance_text
from kpi_core.planning.goals import format_value

__all__ = ["Projection", "not_enough"]


@dataclass(frozen=True)
class Projection:
    """A goal metric at the deadline: median, 80 % band, probability of reaching the target.

    Values are in the metric's unit (likes, a fraction for rates, likes per video, followers).
    `path_*` hold the per-day 10th/50th/90th percentiles for the burn-up chart; all are None
    (and `note` says why) when the history is too short for a projection.
    """

    metric: str
    target: float
    expected: float | None
    low: float | None
    high: float | None
    probability: float | None
    reach_date: date | None
    dates: tuple[date, ...] = ()
    path_low: tuple[float, ...] = ()
    path_expected: tuple[float, ...] = ()
    path_high: tuple[float, ...] = ()
    actual_dates: tuple[date, ...] = ()
    actual: tuple[float, ...] = ()
    note: str = ""
    track_record: str = ""  # how such bands did on the account's own history (calibration.py)
    caution: str = ""  # why the band's top is far above anything the account did, when it is
    # The share of futures with no value at the deadline (no video posted for a per-video goal, no
    # views for a rate): `expected` and the band are those of the others, and each counts as a miss.
    without_value: float = 0.0

    @property
    def enough_history(self) -> bool:
        return self.probability is not None

    def path_frame(self) -> pd.DataFrame:
        """One row per day of the window: date, actual (past), low/expected/high (future), target."""
        n_past, n_future = len(self.actual_dates), len(self.dates)
        gap_past, gap_future = np.full(n_past, np.nan), np.full(n_future, np.nan)
        return pd.DataFrame(
            {
                "date": pd.to_datetime(list(self.actual_dates) + list(self.dates)),
                "actual": np.concatenate([np.asarray(self.actual, dtype=float), gap_future]),
                "low": np.concatenate([gap_past, self.path_low]),
                "expected": np.concatenate([gap_past, self.path_expected]),
                "high": np.concatenate([gap_past, self.path_high]),
                "target": np.full(n_past + n_future, self.target),
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """{expected, low, high, probability, track_record, caution} as plain JSON values: the
        band's record on the account's own history and why its top is far above the account's
        best, as the Goals page words them ("" where there is nothing to say). The command line's
        format: the share of futures without a value is in `sentence`."""
        return {
            "expected": self.expected,
            "low": self.low,
            "high": self.high,
            "probability": self.probability,
            "track_record": self.track_record,
            "caution": self.caution,
        }

    def _without_value_words(self) -> tuple[str, str, str] | None:
        """How this metric's futures without a value are said (`_WITHOUT_VALUE`), when there are
        enough of them to show (at least 1%)."""
        return _WITHOUT_VALUE[goal_metric(self.metric).kind] if self.without_value >= 0.005 else None

    def without_value_note(self) -> str:
        """Why the expected value can sit above the target beside a poor chance, when some futures
        have no value ("" when every one has): for pages that show the numbers without `sentence`."""
        words = self._without_value_words()
        if words is None:
            return ""
        return (
            f"{whole_percent(self.without_value)} of the simulated futures {words[1]}, and miss the target: the "
            f"projected value and its band are those of {words[2]}."
        )

    def sentence(self) -> str:
        """'Expected 31,200 (80% band 27,000-36,100); 64% chance of reaching 30,000.'"""
        if self.probability is None or self.expected is None:
            return self.note or "Not enough history for a projection."
        f = lambda x: format_value(self.metric, x)  # noqa: E731
        band = f"80% band {f(self.low)}-{f(self.high)}"
        chance = f"{chance_text(self.probability)} chance of reaching {f(self.target)}."
        words = self._without_value_words()
        if words is None:
            return f"Expected {f(self.expected)} ({band}); {chance}"
        return (
            f"Expected {f(self.expected)} {words[0]} ({band}); {whole_percent(self.without_value)} of the "
            f"simulated futures {words[1]}, and miss the target; {chance}"
        )


# How a future without a value is said: the condition on the expected value, what those futures
# lack, and the futures the expected value is of.
_WITHOUT_VALUE = {
    GoalKind.PER_VIDEO: (
        "if a video is posted",
        "post no video by the deadline",
        "the futures that post one",
    ),
    GoalKind.RATE: ("if the window gets views", "get no views by the deadline", "the futures that get views"),
    GoalKind.COUNT: ("where a value is known", "have no value", "the other futures"),
    GoalKind.LEVEL: ("where a value is known", "have no value", "the other futures"),
}


def not_enough(metric: str, target: float, baseline: Baseline | None = None) -> Projection:
    """The projection of a history too short to project from, with what to do about it; given the
    `baseline`, says when the days are there but do not have what the metric needs (a 2021 file
    with views and followers and no likes)."""
    advice = "Download 60 or 365 days from TikTok Studio (Overview, and Followers for follower goals)."
    if goal_metric(metric).kind is GoalKind.PER_VIDEO:
        note = (
            f"Not enough history for a projection: at least {MIN_HISTORY_VIDEOS} videos with settled "
            "likes are needed. Upload more Content exports (or a scraper export) to add videos."
        )
    elif (
        baseline is not None
        and baseline.n_days >= MIN_HISTORY_DAYS
        and (usable := baseline.usable_days(metric)) < MIN_HISTORY_DAYS
    ):
        have = "none has" if usable == 0 else f"only {usable:,} {'has' if usable == 1 else 'have'}"
        note = (
            f"Not enough history for a projection: of the {baseline.n_days:,} days loaded, {have} "
            f"{baseline.usable_text(metric)} (at least {MIN_HISTORY_DAYS} days are needed). {advice}"
        )
    else:
        note = f"Not enough history for a projection: at least {MIN_HISTORY_DAYS} days of data are needed. {advice}"
    return Projection(metric, float(target), None, None, None, None, None, note=note)
