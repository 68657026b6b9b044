"""Hashtags across accounts: which hashtags go with a higher or lower like rate than the set's,
each uplift shrunk towards the set's rate by empirical Bayes so that a hashtag on two videos
cannot top the table by luck.

The set is every video with likes and views posted in the range (of one account, or of all).
Hashtags follow the one rule of the Content page (sql `title_hashtags`): lower-cased, once per title.

The model, per hashtag h with videos i (likes L_i, views V_i) and the set's rate r0 = ΣL / ΣV:

- Observed: y_h = log(r_h / r0), r_h = ΣL_h / ΣV_h its like rate (a ratio of sums, as every rate).
  A hashtag whose videos have no like at all counts half a like, so that y_h is finite.
- Sampling variance: a video's like rate ρ_i = L_i / V_i scatters around its hashtag's rate by a
  relative spread c, whatever its views (Var L_i = c²·r²·V_i²). c² = Σ(ρ_i/r0 − 1)² / (N − 1) over
  the set's N videos with views, each video counting once: pooling by views² (Σ(L_i − r0·V_i)² /
  (r0²·ΣV_i²)) would let one viral video, whose rate is the set's, set the spread alone (a burst of
  100k views among 200-view videos gave ±0%, and a verdict from one video). y_h compares the hashtag's videos with the set that contains them,
  so s_h² = c² · (ΣV_h²/(ΣV_h)² − 2·ΣV_h²/(ΣV_h·ΣV) + ΣV²/(ΣV)²): about c²/n for a hashtag on n
  videos of similar views, less when one viral video carries most of its views, and 0 for a
  hashtag on every video (it is the set).
- Prior: the true log uplift θ_h ~ Normal(0, τ²), centred on the set's rate. τ², the spread of
  true uplifts between hashtags, is fitted by the method of moments (DerSimonian–Laird with the
  mean fixed at 0): τ² = max(0, (Σ w_h·y_h² − H) / Σ w_h), w_h = 1/s_h², over the H hashtags not
  on every video.
- Posterior: θ_h | y_h ~ Normal((1 − B_h)·y_h, (1 − B_h)·s_h²) with B_h = s_h² / (s_h² + τ²), the
  share of the way back to the set's rate. Uplift = exp(θ) − 1 (a fraction of the set's rate) with
  its 95 % interval; "higher" or "lower" only when the interval excludes 0.
- Videos needed to tell: for a hashtag whose interval holds 0, the videos at which the current
  estimate θ_h, if it held, would give an interval clear of 0 (|θ|·τ > z·√(u·(τ² + u)) with the
  sampling variance u shrinking as 1/videos); None when θ_h is 0 or τ² is 0 (nothing to tell apart).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from kpi_core.metrics.findings import Finding, plural
from kpi_core.metrics.scope import DateLike, as_date
from kpi_core.store import Store

__all__ = [
    "COLUMNS",
    "CONFIDENCE",
    "ESTIMATE",
    "HIGHER",
    "LOWER",
    "NO_SPREAD",
    "NO_SPREAD_SENTENCE",
    "ON_EVERY_VIDEO",
    "UNCLEAR",
    "Prior",
    "hashtag_finding",
    "hashtag_records",
    "hashtag_table",
    "interval_text",
    "needed_text",
    "shrink",
]

CONFIDENCE = 0.95
Z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
HIGHER, LOWER, ON_EVERY_VIDEO = "higher like rate", "lower like rate", "on every video"
UNCLEAR = "can't tell yet"  # the interval holds 0; more videos could tell (videos_needed)
NO_SPREAD = "no clear difference"  # the hashtags differ no more than chance (τ² fitted as 0): nothing to tell
NO_SPREAD_SENTENCE = "The hashtags' like rates differ no more than chance would make them."
NO_LIKE = 0.5  # likes counted for a hashtag whose videos have none, so its log uplift is finite

# The estimate's columns of `hashtag_table` (the Content page takes these beside its own counts).
ESTIMATE = ["raw_uplift", "uplift", "low", "high", "shrinkage", "verdict", "videos_needed"]
COLUMNS = ["hashtag", "videos", "accounts", "median_likes", "likes", "views", "like_rate", *ESTIMATE]


@dataclass(frozen=True)
class Prior:
    """The fitted prior and what it rests on.

    overall_rate: the set's like rate r0 (a fraction); spread: c, the relative spread of one
    video's like rate (c² pooled over the set); tau: the spread of true log uplifts between
    hashtags (0 when the hashtags differ no more than chance); videos and hashtags: what was fitted.
    """

    overall_rate: float | None
    spread: float | None
    tau: float | None
    videos: int
    hashtags: int

    @property
    def sentence(self) -> str:
        """The prior in words, with its figures (the model's terms are in the module's docstring and
        the README)."""
        if self.videos == 0:
            return "No uplift can be estimated: no video with likes and views has a hashtag in its title."
        if self.overall_rate is None:
            return "No uplift can be estimated: no video of the set has views."
        if self.overall_rate <= 0:
            return f"No uplift can be estimated: no like on the set's {plural(self.videos, 'video')}."
        if self.spread is None or self.tau is None:
            return "No uplift can be estimated: it needs at least 2 videos with likes and views."
        fitted = f"fitted by the method of moments over {plural(self.hashtags, 'hashtag')}"
        spread = (
            f"the hashtags' true like rates differ no more than chance would make them ({fitted}), so every "
            "uplift is pulled all the way to it"
            if self.tau == 0
            else f"the hashtags' true like rates differ by about ±{self.tau:.1%} ({fitted}), so a hashtag on "
            "few videos is pulled most of the way to it"
        )
        return (
            f"Each hashtag's uplift is pulled towards the set's like rate ({self.overall_rate:.2%} over "
            f"{plural(self.videos, 'video')}): {spread}; one video's like rate scatters by ±{self.spread:.0%} "
            "around its hashtag's."
        )


def shrink(y: np.ndarray, s2: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Posterior means and variances of log uplifts `y` with sampling variances `s2`, and the fitted
    τ² (method of moments, mean fixed at 0, over the entries with s2 > 0). Entries with s2 == 0
    keep y with variance 0 (they are the set itself).

    >>> mean, var, tau2 = shrink(np.array([0.4, -0.4, 0.0]), np.array([0.02, 0.02, 0.0]))
    >>> round(tau2, 4), [round(float(m), 3) for m in mean]
    (0.14, [0.35, -0.35, 0.0])
    """
    fit = s2 > 0
    w = 1 / s2[fit]
    tau2 = max(0.0, float((np.sum(w * y[fit] ** 2) - fit.sum()) / np.sum(w))) if fit.any() else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.where(fit, s2 / (s2 + tau2), 0.0)
    return (1 - b) * y, (1 - b) * s2, tau2


def videos_needed(theta: float, s2: float, videos: int, tau2: float) -> int | None:
    """The videos at which an uplift `theta` (log) would be told apart from 0, if it held.

    >>> videos_needed(0.05, 0.01, 10, 0.01)  # u = 0.000613: 10 videos x 0.01 / u
    164
    """
    if theta == 0 or tau2 <= 0 or s2 <= 0:
        return None
    # |θ|·τ > z·√(u·(τ² + u)) <=> u² + τ²·u − θ²τ²/z² < 0: the largest sampling variance u that tells.
    u = (-tau2 + math.sqrt(tau2**2 + 4 * theta**2 * tau2 / Z**2)) / 2
    return max(videos + 1, math.ceil(videos * s2 / u))


def interval_text(low: float | None, high: float | None, verdict: str) -> str:
    """A hashtag's 95 % interval as the page and the command line write it: '-7.6% to +38.2%';
    for NO_SPREAD, where the fitted spread between hashtags is 0 and every uplift is shrunk to the
    set's rate, and for a hashtag on every video (the set itself), what that means rather than a
    '+0.0% to +0.0%' that reads as certainty; 'n/a' without one.

    >>> interval_text(-0.076, 0.382, UNCLEAR), interval_text(0.0, 0.0, NO_SPREAD), interval_text(None, None, UNCLEAR)
    ('-7.6% to +38.2%', "none: shrunk to the set's rate", 'n/a')
    """
    if verdict == NO_SPREAD:
        return "none: shrunk to the set's rate"
    if verdict == ON_EVERY_VIDEO:
        return "none: it is the set"
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return "n/a"
    return f"{low:+.1%} to {high:+.1%}"


NEEDED_CAP = 10  # videos needed beyond this many times the set's: "too small a difference to tell"


def needed_text(needed: int | None, set_videos: int) -> str:
    """`videos_needed` in words: 'about 240 videos', or, beyond NEEDED_CAP times the set's videos
    (47,337 for an account of 12), that the difference is too small to tell; '' without a number.

    >>> needed_text(240, 100), needed_text(47_337, 12), needed_text(None, 12)
    ('about 240 videos', "over 120 videos (ten times the set's): too small a difference to tell", '')
    """
    if needed is None:
        return ""
    if needed > NEEDED_CAP * set_videos:
        return (
            f"over {NEEDED_CAP * set_videos:,} videos (ten times the set's): too small a difference to tell"
        )
    return f"about {needed:,} videos"


def hashtag_table(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> tuple[pd.DataFrame, Prior]:
    """One row per hashtag of the set (most used first) and the fitted prior.

    Columns: hashtag, videos, accounts (how many accounts used it), median_likes (likes per video),
    likes, views, like_rate (ΣL/ΣV, a fraction), raw_uplift (like_rate / the set's − 1), uplift,
    low, high (the shrunk uplift and its 95 % interval, fractions of the set's rate), shrinkage
    (B: 0 = kept as measured, 1 = all the way to the set's rate), verdict (HIGHER, LOWER, UNCLEAR,
    NO_SPREAD, ON_EVERY_VIDEO) and videos_needed (for UNCLEAR: the videos that would tell, if the estimate
    held; None otherwise or when nothing would).
    """
    sums = store.query(
        "portfolio_hashtags", account=account, date_from=as_date(date_from), date_to=as_date(date_to)
    )
    if sums.empty:
        return pd.DataFrame(columns=COLUMNS), Prior(None, None, None, 0, 0)
    total = sums.iloc[0]
    n_all, likes_all, views_all = float(total["n_all"]), float(total["likes_all"]), float(total["views_all"])
    views2_all, n_rated = float(total["views2_all"]), float(total["n_rated"])
    likes = sums["rated_likes"].to_numpy(dtype=float, na_value=0.0)  # of its videos with views
    views = sums["views"].to_numpy(dtype=float)
    views2 = sums["views2"].to_numpy(dtype=float)
    table = sums[["hashtag", "videos", "accounts", "median_likes", "likes", "views"]].copy()
    table["videos"] = table["videos"].astype(int)
    table["accounts"] = table["accounts"].astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["like_rate"] = np.where(views > 0, likes / views, np.nan)
    rate = likes_all / views_all if views_all > 0 else None
    if rate is None or rate <= 0 or n_rated < 2:
        return _unfitted(table), Prior(rate, None, None, int(n_all), 0)
    # Σ(ρ/r0 − 1)² from the sums of ρ and ρ² (each video's own like rate).
    squares = float(total["rates2_all"]) / rate**2 - 2 * float(total["rates_all"]) / rate + n_rated
    c2 = max(squares, 0.0) / (n_rated - 1)
    known = views > 0
    whole = np.isclose(views, views_all, rtol=1e-12)  # on every video with views: the set itself
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(np.maximum(likes, NO_LIKE) / (rate * views))
        s2 = c2 * (views2 / views**2 - 2 * views2 / (views * views_all) + views2_all / views_all**2)
    if c2 == 0:  # every video's like rate is the set's: every uplift is 0, whatever rounding says
        y = np.where(known, 0.0, y)
    s2 = np.where(whole, 0.0, np.maximum(s2, 0.0))
    mean, var, tau2 = shrink(np.where(known, y, 0.0), np.where(known, s2, 0.0))
    half = Z * np.sqrt(var)
    table["raw_uplift"] = np.where(known, np.exp(y) - 1, np.nan)
    table["uplift"] = np.where(known, np.exp(mean) - 1, np.nan)
    table["low"] = np.where(known, np.exp(mean - half) - 1, np.nan)
    table["high"] = np.where(known, np.exp(mean + half) - 1, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["shrinkage"] = np.where(known & (s2 > 0), s2 / (s2 + tau2), np.nan)
    low, high = mean - half, mean + half
    verdicts = np.select(
        [~known, whole, low > 0, high < 0],
        [UNCLEAR, ON_EVERY_VIDEO, HIGHER, LOWER],
        default=UNCLEAR if tau2 > 0 else NO_SPREAD,
    )
    counts = table["videos"].to_numpy()
    needed = [
        videos_needed(float(m), float(v), int(n), tau2) if verdict in (UNCLEAR, NO_SPREAD) and ok else None
        for m, v, n, verdict, ok in zip(mean, s2, counts, verdicts, known, strict=True)
    ]
    table["verdict"] = verdicts.astype(object)
    table["videos_needed"] = pd.array(needed, dtype="Int64")
    fitted = int(np.count_nonzero(known & (s2 > 0)))
    return table[COLUMNS].reset_index(drop=True), Prior(
        rate, math.sqrt(c2), math.sqrt(tau2), int(n_all), fitted
    )


def _unfitted(table: pd.DataFrame) -> pd.DataFrame:
    for column in ("raw_uplift", "uplift", "low", "high", "shrinkage"):
        table[column] = np.nan
    table["verdict"] = UNCLEAR
    table["videos_needed"] = pd.array([None] * len(table), dtype="Int64")
    return table[COLUMNS].reset_index(drop=True)


def hashtag_finding(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> tuple[Finding, Prior]:
    """`hashtag_table` as a Finding: the table, or the sentence that says why there is none."""
    table, prior = hashtag_table(store, account, date_from, date_to)
    if table.empty:
        whose = "this account's videos" if account else "any account's videos"
        return Finding(table, f"No hashtags in the titles of {whose} posted in this period."), prior
    if prior.tau is None:
        return Finding(table, prior.sentence), prior
    return Finding(table), prior  # the prior's sentence, shown with the table, says when τ is 0


def hashtag_records(table: pd.DataFrame) -> list[dict[str, object]]:
    """`hashtag_table` rows as JSON-ready dicts: plain ints and floats, None for n/a."""
    records = []
    for row in table.to_dict("records"):
        record: dict[str, object] = {}
        for column in COLUMNS:
            value = row[column]
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                record[column] = None
            elif column in ("videos", "accounts", "likes", "views", "videos_needed"):
                record[column] = int(value)
            elif isinstance(value, str):
                record[column] = value
            else:
                record[column] = float(value)
        records.append(record)
    return records
