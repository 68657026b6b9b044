"""With and without: likes per video and like rate of videos with a hashtag (or in a content
group) against those without, with Welch t-intervals built from sums computed in DuckDB (the
like-rate difference uses the delta method for a ratio of sums). A comparison with fewer than
MIN_SUPPORT videos on either side is shown but never turned into a verdict."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from kpi_core.metrics.content import range_params
from kpi_core.metrics.scope import DateLike
from kpi_core.store import Store

__all__ = ["CONFIDENCE", "DEFAULT_RULES", "MIN_SUPPORT", "Rule", "group_uplift", "hashtag_uplift", "uplift"]

MIN_SUPPORT = 5  # videos needed on each side of a with/without comparison
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Rule:
    """A content-group rule: videos whose title matches join group `name` (any rule of it matches).

    kind 'contains': the title contains `text` (case-insensitive). kind 'mention': the title
    @mentions the handle `text`, or anyone when `text` is empty.
    """

    name: str
    kind: str
    text: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("contains", "mention"):
            raise ValueError(f"a rule's kind is 'contains' or 'mention', not {self.kind!r}")
        if self.kind == "contains" and not self.text.strip():
            raise ValueError("a 'contains' rule needs a text")


DEFAULT_RULES: tuple[Rule, ...] = (Rule("collab", "contains", "collab"), Rule("collab", "mention"))


# ---------------------------------------------------------------------------------------------
# With and without: hashtags and content groups


def hashtag_uplift(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    min_support: int = MIN_SUPPORT,
) -> pd.DataFrame:
    """Likes per video and like rate of videos with each hashtag against those without it.

    Hashtags are `#` + Unicode word characters, lower-cased, counted once per title. One row per
    hashtag, most used first; columns as in `uplift`, with `hashtag` as the key.
    """
    frame = store.query("kpi_hashtag_stats", **range_params(store, account, date_from, date_to))
    return uplift(frame, min_support).rename(columns={"key": "hashtag"})


def group_uplift(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    rules: tuple[Rule, ...] = DEFAULT_RULES,
    min_support: int = MIN_SUPPORT,
) -> pd.DataFrame:
    """Likes per video and like rate of each content group against the other videos.

    One row per group name in `rules`; columns as in `uplift`, with `group` as the key.
    """
    if not rules:
        return uplift(pd.DataFrame(columns=["key", *_SUM_COLUMNS]), min_support).rename(
            columns={"key": "group"}
        )
    frame = store.query(
        "kpi_group_stats",
        **range_params(store, account, date_from, date_to),
        names=[r.name for r in rules],
        kinds=[r.kind for r in rules],
        texts=[r.text for r in rules],
    )
    return uplift(frame, min_support).rename(columns={"key": "group"})


_SUMS = ("n", "likes", "likes2", "views", "views2", "likes_views")
_SUM_COLUMNS = [f"{s}_{side}" for side in ("with", "all") for s in _SUMS]


def uplift(sums: pd.DataFrame, min_support: int = MIN_SUPPORT) -> pd.DataFrame:
    """With/without comparison from the sums of kpi_hashtag_stats.sql or kpi_group_stats.sql.

    Columns: key, videos_with, videos_without, likes_per_video_with/_without, likes_uplift
    (likes per video, with - without) with likes_uplift_low/_high (95 % Welch interval) and
    likes_uplift_rel (a fraction of the without value), like_rate_with/_without (fractions),
    like_rate_uplift with _low/_high (fraction points), enough_support, likes_verdict,
    like_rate_verdict. Intervals are NaN and verdicts "not enough videos" when either side has
    fewer than `min_support` videos.
    """
    with_ = {s: sums[f"{s}_with"].to_numpy(dtype=float, na_value=np.nan) for s in _SUMS}
    all_ = {s: sums[f"{s}_all"].to_numpy(dtype=float, na_value=np.nan) for s in _SUMS}
    without = {s: all_[s] - with_[s] for s in _SUMS}
    enough = (with_["n"] >= min_support) & (without["n"] >= min_support)

    mean_with, var_mean_with = _mean(with_)
    mean_without, var_mean_without = _mean(without)
    rate_with, var_rate_with = _rate(with_)
    rate_without, var_rate_without = _rate(without)
    likes_diff = mean_with - mean_without
    rate_diff = rate_with - rate_without
    likes_half = _half_width(var_mean_with, with_["n"], var_mean_without, without["n"])
    rate_half = _half_width(var_rate_with, with_["n"], var_rate_without, without["n"])
    likes_half[~enough] = np.nan
    rate_half[~enough] = np.nan

    with np.errstate(divide="ignore", invalid="ignore"):
        likes_rel = np.where(mean_without > 0, likes_diff / mean_without, np.nan)
    return pd.DataFrame(
        {
            "key": sums["key"].to_numpy(),
            "videos_with": with_["n"].astype(int),
            "videos_without": without["n"].astype(int),
            "likes_per_video_with": mean_with,
            "likes_per_video_without": mean_without,
            "likes_uplift": likes_diff,
            "likes_uplift_low": likes_diff - likes_half,
            "likes_uplift_high": likes_diff + likes_half,
            "likes_uplift_rel": likes_rel,
            "like_rate_with": rate_with,
            "like_rate_without": rate_without,
            "like_rate_uplift": rate_diff,
            "like_rate_uplift_low": rate_diff - rate_half,
            "like_rate_uplift_high": rate_diff + rate_half,
            "enough_support": enough,
            "likes_verdict": _verdicts(
                likes_diff - likes_half,
                likes_diff + likes_half,
                enough,
                "more likes with",
                "fewer likes with",
            ),
            "like_rate_verdict": _verdicts(
                rate_diff - rate_half,
                rate_diff + rate_half,
                enough,
                "higher like rate with",
                "lower like rate with",
            ),
        }
    )


def _mean(side: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Mean likes per video and the variance of that mean (sample variance / n)."""
    n, total, squares = side["n"], side["likes"], side["likes2"]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, total / n, np.nan)
        variance = np.where(n > 1, np.maximum(squares - total * mean, 0) / (n - 1), np.nan)
        return mean, variance / n


def _rate(side: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Like rate sum(likes)/sum(views) and its delta-method variance."""
    n, likes, views = side["n"], side["likes"], side["views"]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(views > 0, likes / views, np.nan)
        # sum over videos of (likes - rate * views)^2, expanded into the sums we have.
        residual = np.maximum(side["likes2"] - 2 * rate * side["likes_views"] + rate**2 * side["views2"], 0)
        variance = np.where(n > 1, residual * n / ((n - 1) * views**2), np.nan)
        return rate, variance


def _half_width(var_a: np.ndarray, n_a: np.ndarray, var_b: np.ndarray, n_b: np.ndarray) -> np.ndarray:
    """Half the width of a Welch t-interval for a difference of two estimates."""
    total = var_a + var_b
    with np.errstate(divide="ignore", invalid="ignore"):
        dof = total**2 / (var_a**2 / (n_a - 1) + var_b**2 / (n_b - 1))
        half = stats.t.ppf(0.5 + CONFIDENCE / 2, dof) * np.sqrt(total)
    return np.where(total == 0, 0.0, half)  # no spread on either side: the difference is exact


def _verdicts(low: np.ndarray, high: np.ndarray, enough: np.ndarray, up: str, down: str) -> list[str]:
    return [
        "not enough videos" if not ok else up if lo > 0 else down if hi < 0 else "no clear difference"
        for lo, hi, ok in zip(low, high, enough, strict=True)
    ]
