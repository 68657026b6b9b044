"""Published TikTok engagement benchmarks beside the account's own rate, like for like.

Vendors publish engagement rates per post (by view or by follower), summarised as the median or
the average of posts. The account's value is computed the same way (registry.POST_RATES over the
per-video rows): per-post (likes + comments + shares) / views, or / the period's average follower
count, then the median or the mean, each checked by its KPI's validity rule (so a rate by
follower on too small or too fast-moving a base is n/a, with the reason). These are reference
points, not targets; the definition travels with every number.

Which rows fit the account is a `BenchmarkFit`: an industry (or all industries) and a follower
band (or any size). A row fits when it covers the industry (its own, or all industries) and its
population's follower range holds the whole band; the row goals are compared with is the fitting
median by view that matches on the most (the industry's own row first, then the narrowest follower
range, then the newest report). The band starts from the account's own follower count (`default_fit`).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kpi_core.metrics.findings import Finding, plural
from kpi_core.metrics.goal_metrics import GOAL_METRICS
from kpi_core.metrics.ratios import KpiValue, statistic_result
from kpi_core.metrics.registry import POST_RATES, kpi
from kpi_core.metrics.scope import NO_VIDEO_LIST, DateLike, has_video_list, plain, resolve_account
from kpi_core.metrics.values import video_measures
from kpi_core.store import Store

__all__ = [
    "ALL_INDUSTRIES",
    "ANY_SIZE",
    "BENCHMARKS_CSV",
    "FOLLOWER_BANDS",
    "FIT_KEYS",
    "BenchmarkFit",
    "FollowerBand",
    "GoalReference",
    "account_rates",
    "benchmark_comparison",
    "default_fit",
    "fit_finding",
    "fit_table",
    "goal_benchmark",
    "goal_benchmark_sentence",
    "goal_reference",
    "industries",
    "load_benchmarks",
    "read_fit",
]

BENCHMARKS_CSV = Path(__file__).resolve().parents[2] / "data" / "benchmarks.csv"


def load_benchmarks(path: Path | str = BENCHMARKS_CSV) -> pd.DataFrame:
    """Read the benchmark table; `value` is a fraction (3.4 % becomes 0.034).

    Columns: source, year, data_period, population, metric, definition, statistic ('median' or
    'average', from the definition), segment, value, url, then what the row covers: industry (None
    for all industries) and followers_low, followers_high (the population's follower range, 0 and
    inf when it has none).

    >>> load_benchmarks().loc[1, ["metric", "statistic", "value"]].tolist()  # doctest: +SKIP
    ['engagement_rate_by_view', 'median', 0.034]
    """
    # Read once per version of the file (a page asked for it up to eight times, 6 ms each); every
    # caller gets its own copy. The file is the project's published table, never a visitor's data.
    file = Path(path).resolve()
    written = file.stat()
    return _read_benchmarks(str(file), written.st_mtime_ns, written.st_size).copy()


@functools.lru_cache(maxsize=4)
def _read_benchmarks(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype={"report_year": int, "data_period": str, "value_pct": float})
    statistic = raw["definition"].str.rsplit(";", n=1).str[-1].str.strip()
    ranges = [_follower_range(seg, pop) for seg, pop in zip(raw["segment"], raw["population"], strict=True)]
    return pd.DataFrame(
        {
            "source": raw["source"],
            "year": raw["report_year"],
            "data_period": raw["data_period"],
            "population": raw["population"],
            "metric": raw["metric"],
            "definition": raw["definition"],
            "statistic": statistic,
            "segment": raw["segment"],
            "value": raw["value_pct"] / 100,
            "url": raw["url"],
            "industry": [_industry(seg) for seg in raw["segment"]],
            "followers_low": [low for low, _ in ranges],
            "followers_high": [high for _, high in ranges],
        }
    )


def account_rates(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> dict[tuple[str, str], KpiValue]:
    """The account's per-post rates as benchmarks summarise them, by (metric, statistic), each a
    fraction checked by its KPI's rule (value None with the reason when it fails)."""
    account = resolve_account(store, account)
    if account is not None and not has_video_list(store, account):  # not "no video of the period"
        return {key: KpiValue(kpi("per_video", key[0]), None, 0, NO_VIDEO_LIST) for key in POST_RATES}
    measures = video_measures(store, account, date_from, date_to, extra=tuple(POST_RATES.values()))
    return {
        (metric, statistic): statistic_result(kpi("per_video", metric), measures, measures.get(measure.name))
        for (metric, statistic), measure in POST_RATES.items()
    }


def benchmark_comparison(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    benchmarks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each benchmark row with the account's value on the same definition (fractions; NaN if none).

    Columns: those of `load_benchmarks`, then account_value, difference (account - benchmark)
    and account_note (why account_value is missing; None where it stands).
    """
    table = load_benchmarks() if benchmarks is None else benchmarks.copy()
    rates = account_rates(store, account, date_from, date_to)
    results = [rates.get((m, s)) for m, s in zip(table["metric"], table["statistic"], strict=True)]
    table["account_value"] = pd.Series(
        [None if r is None else r.value for r in results], index=table.index, dtype=float
    )
    table["difference"] = table["account_value"] - table["value"]
    table["account_note"] = [
        "no account value on this definition" if r is None else r.reason for r in results
    ]
    return table


# ---------------------------------------------------------------------------------------------
# Which rows fit the account

ALL_INDUSTRIES = "all"  # the industry key of "all industries"
ANY_SIZE = "any"  # the follower band key of "any size"
FIT_KEYS = ("industry", "follower_band")  # a fit as a plain dict, in the URL and the workspace file

_FOLLOWERS = re.compile(
    r"(?P<op>>=|>|<)?\s*(?P<a>\d+(?:\.\d+)?)\s*(?P<au>[km])"
    r"(?:\s*-\s*(?P<b>\d+(?:\.\d+)?)\s*(?P<bu>[km]))?(?P<plus>\+)?\s*followers",
    re.IGNORECASE,
)
_UNITS = {"k": 1e3, "m": 1e6}


def _follower_range(segment: str, population: str) -> tuple[float, float]:
    """The follower range [low, high) a row's segment or population names ("<100K followers",
    "100K-500K followers", "10M+ followers", "brands with >=5k followers"); (0, inf) if none.
    A lower edge is taken as inclusive whether written > or >=: the bands start on it."""
    for text in (segment, population):
        found = _FOLLOWERS.search(str(text))
        if not found:
            continue
        a = float(found["a"]) * _UNITS[found["au"].lower()]
        if found["b"]:
            return a, float(found["b"]) * _UNITS[found["bu"].lower()]
        if found["op"] == "<":
            return 0.0, a
        return a, math.inf  # ">", ">=" and "+"
    return 0.0, math.inf


def _industry(segment: str) -> str | None:
    """A row's industry: its segment, unless that is "all industries" or a follower range."""
    text = str(segment).strip()
    return None if text.lower() == "all industries" or _FOLLOWERS.search(text) else text


def industry_key(name: str) -> str:
    """An industry as a URL value: 'Tech & Software' -> 'tech-software'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@functools.cache
def industries(path: Path | str = BENCHMARKS_CSV) -> dict[str, str]:
    """Every industry a published row is about, key -> name, after "all industries" (the shipped
    table is code's data, read once)."""
    names = sorted({i for i in load_benchmarks(path)["industry"] if isinstance(i, str)})
    return {ALL_INDUSTRIES: "All industries", **{industry_key(n): n for n in names}}


@dataclass(frozen=True)
class FollowerBand:
    """Accounts with at least `low` and fewer than `high` followers."""

    key: str
    label: str
    low: float
    high: float

    def holds(self, followers: float) -> bool:
        return self.low <= followers < self.high


# The edges are those the published rows use (5K, 100K, 500K, 1M, 5M, 10M), so every band lies
# wholly inside or wholly outside each row's follower range.
FOLLOWER_BANDS: dict[str, FollowerBand] = {
    b.key: b
    for b in (
        FollowerBand(ANY_SIZE, "Any size", 0, math.inf),
        FollowerBand("under-5k", "Under 5K followers", 0, 5e3),
        FollowerBand("5k-100k", "5K–100K followers", 5e3, 1e5),
        FollowerBand("100k-500k", "100K–500K followers", 1e5, 5e5),
        FollowerBand("500k-1m", "500K–1M followers", 5e5, 1e6),
        FollowerBand("1m-5m", "1M–5M followers", 1e6, 5e6),
        FollowerBand("5m-10m", "5M–10M followers", 5e6, 1e7),
        FollowerBand("10m-plus", "10M+ followers", 1e7, math.inf),
    )
}


@dataclass(frozen=True)
class BenchmarkFit:
    """The benchmarks that apply to an account: an industry key (`industries()`, or "all") and a
    follower band key (FOLLOWER_BANDS, or "any"). As a plain dict: `to_dict()`, keys FIT_KEYS."""

    industry: str = ALL_INDUSTRIES
    follower_band: str = ANY_SIZE

    @property
    def band(self) -> FollowerBand:
        return FOLLOWER_BANDS[self.follower_band]

    @property
    def industry_name(self) -> str:
        return industries().get(self.industry, self.industry)

    def to_dict(self) -> dict[str, str]:
        return {"industry": self.industry, "follower_band": self.follower_band}

    def describe(self) -> str:
        """The fit as a sentence names it: 'Fashion, 5K–100K followers', 'all industries, any size'."""
        industry = "all industries" if self.industry == ALL_INDUSTRIES else self.industry_name
        band = "any size" if self.follower_band == ANY_SIZE else self.band.label.replace("Under", "under")
        return f"{industry}, {band}"


def read_fit(
    values: Mapping[str, object] | None, default: BenchmarkFit, source: str = "The link"
) -> tuple[BenchmarkFit, tuple[str, ...]]:
    """`default` with each valid value of `values` (keys FIT_KEYS) put in; a value that is not one of
    the options is left out, with a sentence that names it and `source` ("The link", "The workspace
    file"). Never raises: anything that is not a known key's known value is a note.

    >>> read_fit({"industry": "fashion", "follower_band": "huge"}, BenchmarkFit())[0]
    BenchmarkFit(industry='fashion', follower_band='any')
    """
    options = {"industry": industries(), "follower_band": {k: b.label for k, b in FOLLOWER_BANDS.items()}}
    chosen = default.to_dict()
    notes = []
    for key, value in (values or {}).items():
        if key not in options:
            continue
        text = str(value).strip().lower()
        if text in options[key]:
            chosen[key] = text
        else:
            shown = str(value)[:40] + ("…" if len(str(value)) > 40 else "")
            what = "industry" if key == "industry" else "follower band"
            notes.append(
                f"{source} asks for the {what} “{shown}”, which is not one of the options: showing "
                f"{options[key][chosen[key]]} instead."
            )
    return BenchmarkFit(**chosen), tuple(notes)


def default_fit(store: Store, account: str | None = None) -> tuple[BenchmarkFit, str]:
    """The fit the data suggests, with the sentence that says where it came from: all industries (no
    export names one), and the follower band of the account's latest follower count (any size when
    the data has none)."""
    account = resolve_account(store, account)
    found = store.query("account_followers", account=account)
    if found.empty:
        return BenchmarkFit(), (
            "No follower count in the data for this account, so the follower band starts at any size. "
            "The exports do not name an industry: pick yours."
        )
    followers, counted_on = int(found["followers"].iloc[0]), plain(found["counted_on"].iloc[0])
    band = next(b for b in FOLLOWER_BANDS.values() if b.key != ANY_SIZE and b.holds(followers))
    origin = "follower history" if found["source"].iloc[0] == "daily" else "scraper export"
    return BenchmarkFit(follower_band=band.key), (
        f"The follower band starts from the account's {plural(followers, 'follower')} on "
        f"{counted_on.day} {counted_on:%b %Y} ({origin}). The exports do not name an industry: pick yours."
    )


def _fits(table: pd.DataFrame, fit: BenchmarkFit) -> tuple[pd.Series, pd.Series]:
    """Per row: whether its industry and its follower range cover the fit."""
    band = fit.band
    keys = table["industry"].map(lambda i: industry_key(i) if isinstance(i, str) else None)
    industry_ok = keys.isna() | (keys == fit.industry)
    band_ok = (table["followers_low"] <= band.low) & (table["followers_high"] >= band.high)
    return industry_ok, band_ok


def _range_text(low: float, high: float) -> str:
    def n(x: float) -> str:
        return f"{x / 1e6:g}M" if x >= 1e6 else f"{x / 1e3:g}K"

    if high == math.inf:
        return f"{n(low)}+ followers"
    return f"under {n(high)} followers" if low == 0 else f"{n(low)}–{n(high)} followers"


def fit_table(table: pd.DataFrame, fit: BenchmarkFit) -> pd.DataFrame:
    """`table` (load_benchmarks or benchmark_comparison rows) with what fits `fit`: fits (bool),
    fit_note (why a row does not fit: "Travel only", "accounts with 1M+ followers only"; None where
    it fits) and goal_reference (True on the row goals on its metric are compared with)."""
    out = table.copy()
    industry_ok, band_ok = _fits(out, fit)
    out["fits"] = industry_ok & band_ok
    notes = []
    for i_ok, b_ok, industry, low, high in zip(
        industry_ok, band_ok, out["industry"], out["followers_low"], out["followers_high"], strict=True
    ):
        why = ([] if i_ok else [f"{industry} only"]) + (
            [] if b_ok else [f"accounts with {_range_text(low, high)} only"]
        )
        notes.append("; ".join(why) if why else None)
    out["fit_note"] = notes
    reference = {_reference_index(out, m, fit) for m in out["metric"].unique() if m in GOAL_METRICS}
    out["goal_reference"] = [i in reference for i in out.index]
    return out


def fit_finding(table: pd.DataFrame, metric: str, fit: BenchmarkFit) -> Finding:
    """The rows of `metric` in `table` (`fit_table` output) that fit `fit`, or why none does."""
    rows = table[table["metric"] == metric]
    fitting = rows[rows["fits"]]
    if fitting.empty:
        return Finding(
            fitting,
            f"None of the {plural(len(rows), 'published figure')} on this metric fits {fit.describe()}: "
            "they are listed below with the reason each does not.",
        )
    return Finding(fitting)


def _reference_index(table: pd.DataFrame, metric: str, fit: BenchmarkFit) -> object | None:
    """The index of the fitting median of `metric` that matches on the most: an industry's own row
    first, then the narrowest follower range (a 1M+ row before a 5K+ one), then the newest report."""
    industry_ok, band_ok = _fits(table, fit)
    rows = table[(table["metric"] == metric) & (table["statistic"] == "median") & industry_ok & band_ok]
    if rows.empty:
        return None
    ranked = rows.assign(_industry=rows["industry"].notna(), _high=-rows["followers_high"]).sort_values(
        ["_industry", "followers_low", "_high", "year"], ascending=False, kind="stable"
    )
    return ranked.index[0]


@dataclass(frozen=True)
class GoalReference:
    """The published figure a goal is compared with: `value` (a fraction) and `label`, which says
    whose, for which population and how it is summarised."""

    value: float
    label: str


def goal_reference(
    metric: str, fit: BenchmarkFit | None = None, path: Path | str = BENCHMARKS_CSV
) -> GoalReference | None:
    """The benchmark a goal on `metric` is compared with, for `fit` (all industries, any size by
    default): the fitting median per post of the same metric. Only engagement rate by view has
    published figures (no vendor publishes a likes-per-view rate), so other goal metrics get None.

    >>> goal_reference("engagement_rate_by_view", BenchmarkFit("fashion")).label
    "Rival IQ 2024's median per post for Fashion brands"
    """
    table = load_benchmarks(path)
    if metric not in GOAL_METRICS:
        return None
    index = _reference_index(table, metric, fit or BenchmarkFit())
    if index is None:
        return None
    row = table.loc[index]
    who = (
        f"{row['industry']} {row['population']}"
        if isinstance(row["industry"], str)
        else f"{row['population']} in all industries"
    )
    label = f"{row['source']} {row['year']}'s median per post for {who}"
    return GoalReference(round(float(row["value"]), 6), label)  # 2.7 / 100 is 0.027000000000000003


def goal_benchmark(
    metric: str, fit: BenchmarkFit | None = None, path: Path | str = BENCHMARKS_CSV
) -> float | None:
    """`goal_reference`'s value: a fraction, e.g. 0.034; None where no benchmark applies."""
    reference = goal_reference(metric, fit, path)
    return None if reference is None else reference.value


def goal_benchmark_sentence(fit: BenchmarkFit) -> str:
    """Which goals the fitting benchmark is used for, and where no benchmark can apply."""
    reference = goal_reference("engagement_rate_by_view", fit)
    others = [m.label.lower() for name, m in GOAL_METRICS.items() if goal_reference(name, fit) is None]
    listed = ", ".join(others[:-1]) + " or " + others[-1] if len(others) > 1 else "".join(others)
    used = (
        f"Goals on engagement rate by view are compared with {reference.label}, {reference.value:.2%} (a median "
        "of per-post rates; the goal's own rate is views-weighted over days, so read it as a reference). "
        if reference is not None
        else f"No published median by view fits {fit.describe()}, so goals on engagement rate by "
        "view get no benchmark. "
    )
    return (
        f"{used}Goals on {listed} get none: vendors publish engagement per view or per follower, never "
        "likes per view, likes per video or follower growth, so those verdicts rest on the account's own "
        "history."
    )
