"""What changed, in plain words: up to five sentences built from the computed figures, no model.

The sentences come from the likes driver tree (kpi_core.metrics.drivers), the trend verdict
(kpi_core.metrics.trends), the spike share and viral outliers (kpi_core.metrics.content's rule),
posting volume, and follower and profile-view movement (kpi_core.metrics.comparison.compare_periods).
Each carries the figures it rests on, with their formulas. The first sentence always states the
change in likes; the others are ranked by the size of their effect, a fraction, those that state
a change within normal variation (or one not known to be beyond it) after the rest:

- a driver: its contribution to the change in likes / the likes before;
- the trend: its slope × the days in the period / the mean likes per day;
- the spike share: the top video's share of the likes − an even share (1 / videos);
- profile views: the relative change; followers: the change in the net follower change / the
  larger of the two (the net change can be 0 or negative, so it has no base of its own).

A change is called a rise or a fall only beyond the account's normal variation
(kpi_core.metrics.normal_variation); within it, or with too little history, it is given as a number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kpi_core.metrics.comparison import compare_periods, partial_total, settled_note
from kpi_core.metrics.digest_sentences import (
    Sentence,
    as_number,
    driver_sentence,
    followers_sentence,
    likes_sentence,
    posting_sentence,
    profile_views_sentence,
    spike_sentence,
    trend_sentence,
    unsplit_likes_sentence,
)
from kpi_core.metrics.drivers import DriverTree, driver_tree
from kpi_core.metrics.normal_variation import (
    NORMAL_VARIATION,
    USUAL_COLUMNS,
    History,
    Judgement,
    Usual,
    account_history,
    judge,
)
from kpi_core.metrics.registry import kpi
from kpi_core.metrics.scope import DateLike, as_date, data_extent, resolve_account, settled_cut
from kpi_core.metrics.trends import likes_trend
from kpi_core.store import Store

__all__ = [
    "BANDED",
    "DEFAULT_PERIOD_DAYS",
    "MAX_SENTENCES",
    "Digest",
    "card_bands",
    "card_judgement",
    "default_period",
    "digest",
    "period_bands",
]

DEFAULT_PERIOD_DAYS = 90  # the Overview opens on the last 90 days of the data (ui/widgets.sidebar)
MAX_SENTENCES = 5
# The KPIs whose change the Overview's and the report's cards call a rise or a fall only beyond its
# normal variation (the band of `card_bands` each is judged by), as the digest calls its changes.
BANDED: dict[tuple[str, str], tuple[str, str]] = {  # (grain, KPI) -> (band, the figure in words)
    ("per_day", "likes"): ("likes", "daily likes"),
    ("per_day", "likes_per_day"): ("likes", "daily likes"),
    ("per_day", "profile_views"): ("profile_views", "profile views"),
    ("per_day", "net_follower_change"): ("followers", "the net follower change"),
    ("per_day", "engagement_rate_by_follower"): ("follower_rate", "the daily engagement rate by follower"),
    # Shown when no file lists the account's videos (comparison.shown_cards): the daily totals' rates.
    ("per_day", "like_rate"): ("day_like_rate", "the like rate of the daily totals"),
    ("per_day", "engagement_rate_by_view"): (
        "day_view_rate",
        "the engagement rate by view of the daily totals",
    ),
    # Shown when there are no daily totals (comparison.shown_cards): the likes of the videos posted.
    ("per_video", "likes"): ("video_likes", "the likes of each period's videos"),
    ("per_video", "like_rate"): ("video_like_rate", "the like rate of each period's videos"),
    ("per_video", "engagement_rate_by_view"): (
        "video_engagement_rate",
        "the engagement rate by view of each period's videos",
    ),
    ("per_video", "likes_per_video_median"): ("median_likes", "the median likes of each period's videos"),
    ("per_video", "videos"): ("posts", "the videos posted"),
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
    note: str | None = None  # which days the per-day figures compare (`comparison.settled_note`)

    def to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "from": None if self.date_from is None else self.date_from.isoformat(),
            "to": None if self.date_to is None else self.date_to.isoformat(),
            "sentences": [s.to_dict() for s in self.sentences],
            "reason": self.reason,
            "note": self.note,
            "normal_variation": NORMAL_VARIATION,
        }


# Each card band (BANDED): whether its periods are the calendar days (videos) or the settled days
# with daily data, whether it measures relative changes, and how the account's history gives it.
_CARD_BANDS: dict[str, tuple[bool, bool, Callable[[History, int], Usual]]] = {
    "likes": (False, True, lambda h, n: h.usual(*USUAL_COLUMNS["daily"]["likes"], n)),
    "profile_views": (False, True, lambda h, n: h.usual("profile_views", None, n)),
    "followers": (False, False, lambda h, n: h.usual("follower_change", None, n, relative=False)),
    "follower_rate": (False, True, lambda h, n: h.usual_follower_rate(n)),
    "day_like_rate": (False, True, lambda h, n: h.usual(*USUAL_COLUMNS["daily"]["like_rate"], n)),
    "day_view_rate": (False, True, lambda h, n: h.usual("day_view_interactions", "day_interaction_views", n)),
    "video_like_rate": (True, True, lambda h, n: h.usual(*USUAL_COLUMNS["videos"]["like_rate"], n)),
    "video_engagement_rate": (
        True,
        True,
        lambda h, n: h.usual("video_interactions", "video_interaction_views", n),
    ),
    "median_likes": (True, True, lambda h, n: h.usual_median_likes(n)),
    "video_likes": (True, True, lambda h, n: h.usual(*USUAL_COLUMNS["videos"]["likes"], n)),
    "posts": (True, True, lambda h, n: h.usual(*USUAL_COLUMNS["daily"]["posts"], n)),
}


def card_bands(history: History | None, n: int, calendar_days: int) -> dict[str, Usual]:
    """The normal variation of the KPI cards' changes (BANDED, `_CARD_BANDS`): the daily totals'
    figures between `n`-day periods of settled days, the videos' between periods of
    `calendar_days`; without history before the period, each band says so."""
    bands = {}
    for name, (calendar, relative, band) in _CARD_BANDS.items():
        days = calendar_days if calendar else n
        bands[name] = band(history, days) if history else Usual(days, relative, reason="no earlier data")
    return bands


def card_judgement(row: Mapping[str, Any], bands: Mapping[str, Usual]) -> Judgement | None:
    """Whether a `compare_periods` row's change is called a rise or a fall (`normal_variation.judge`),
    for a KPI of BANDED with its band in `bands` (`card_bands`); None for any other. Its change is
    of the level per day with data, as the band's: likes per day, a rate and a median are levels already.

    A total over periods with data on different days (`comparison.partial_total`) is never called
    either: its note is its bases ("previous: 28 of 88 days"), shown beside the change, since the
    level per day, which the band judges, may have moved the other way (the Likes per day card)."""
    bases = partial_total(row)
    banded = BANDED.get((row["grain"], row["name"]))
    band = None if banded is None else bands.get(banded[0])
    if band is None or banded is None:
        if bases is None:
            return None
        return Judgement(
            True,
            bases,
            f"The two totals count different days with data ({bases}), so the change is not called a rise or a fall.",
        )
    current, previous = as_number(row["current"]), as_number(row["previous"])
    declared = kpi(row["grain"], row["name"])
    level = declared.is_ratio or declared.numerator.function == "median"
    if level:  # a level already (likes per day, a like rate, a median)
        change = band.level_change(current, 1, previous, 1)
    elif row["grain"] == "per_video":  # videos posted: over the period's calendar days, as the band
        days = int(row["period_days"])
        change = band.level_change(current, days, previous, days)
    else:
        change = band.level_change(current, int(row["current_rows"]), previous, int(row["previous_rows"]))
    judged = judge(band, change, banded[1], per_day=not level)
    return judged if bases is None else Judgement(True, bases, judged.sentence)


def period_bands(
    store: Store,
    account: str | None,
    date_from: DateLike,
    date_to: DateLike,
    include_provisional: bool = False,
) -> dict[str, Usual]:
    """`card_bands` for a period, as `digest` places its changes against them, without the sentences:
    per-day figures over the period's settled days, videos over its calendar days, from the
    account's history before it."""
    account = resolve_account(store, account)
    start, end = as_date(date_from), as_date(date_to)
    if account is None or start is None or end is None:
        return {}
    cut = settled_cut(store, account, start, end, include_provisional)
    history = account_history(store, account, start, include_provisional)
    return card_bands(history, (cut.last - start).days + 1, (end - start).days + 1)


def default_period(store: Store, account: str | None = None) -> tuple[date, date] | None:
    """The period the Overview opens on: the last DEFAULT_PERIOD_DAYS days of the account's data."""
    first, last = data_extent(store, account)
    if first is None or last is None:
        return None
    return max(first, last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)), last


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
    tree = driver_tree(store, account, start, end, include_provisional=include_provisional)
    history = account_history(store, account, start, include_provisional)
    # The tree's periods: the calendar period for videos, its settled days for daily totals; the
    # per-day figures' (compare_periods): the settled days.
    n = tree.now.days
    cut = settled_cut(store, account, start, end, include_provisional)
    per_day_days = (cut.last - start).days + 1

    def normal(source: str, name: str, relative: bool = True) -> Usual:
        columns = USUAL_COLUMNS.get(source, {}).get(name)
        if history is None or columns is None:
            return Usual(n, relative, reason="no earlier data to learn it from")
        return history.usual(*columns, n, relative)

    source = tree.source or "daily"
    comparison = compare_periods(store, account, start, end, include_provisional).set_index(["grain", "name"])
    daily_likes = comparison.loc[("per_day", "likes")]
    bands = card_bands(history, per_day_days, (end - start).days + 1)
    if tree.reason is not None and as_number(daily_likes["current"]) is not None:
        # No split, and daily likes: the likes the cards show, not the tree's (a tree without
        # earlier data may be the video list's, empty where there is no Content export), judged by
        # the Likes card's band, over the settled days.
        first = unsplit_likes_sentence(tree, daily_likes, bands["likes"], per_day_days, start)
    else:
        first = likes_sentence(tree, normal(source, "likes"))
    others: list[Sentence] = []
    for name in tree.drivers:
        if tree.reason is None:
            found = driver_sentence(tree, name, normal(source, name))
            others += [found] if found else []
    if tree.reason is None and "posts" not in tree.drivers:
        others += posting_sentence(tree)
    likes_per_day = as_number(comparison.loc[("per_day", "likes_per_day"), "current"])
    others += trend_sentence(likes_trend(store, account, start, end, include_provisional), likes_per_day)
    others += spike_sentence(tree)
    others += profile_views_sentence(
        comparison.loc[("per_day", "profile_views")], bands["profile_views"], per_day_days
    )
    others += followers_sentence(
        comparison.loc[("per_day", "net_follower_change")], bands["followers"], per_day_days
    )
    ranked = sorted(others, key=lambda s: (s.within_normal, -s.effect))[: MAX_SENTENCES - 1]
    return Digest(
        account,
        start,
        end,
        (first, *ranked),
        tree,
        note=settled_note(start, end, cut),
    )
