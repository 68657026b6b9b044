"""Published TikTok engagement benchmarks beside the account's own rate, like for like.

Vendors publish engagement rates per post (by view or by follower), summarised as the median or
the average of posts. The account's value is computed the same way (sql/kpi_post_rates.sql):
per-post (likes + comments + shares) / views, or / followers, then the median or the mean.
These are reference points, not targets; the definition travels with every number.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kpi_core.metrics.scope import DateLike, as_date, resolve_account
from kpi_core.metrics.values import first_row
from kpi_core.store import Store

__all__ = ["BENCHMARKS_CSV", "benchmark_comparison", "load_benchmarks"]

BENCHMARKS_CSV = Path(__file__).resolve().parents[2] / "data" / "benchmarks.csv"

# (metric, statistic) -> the column of kpi_post_rates.sql on the same definition.
_ACCOUNT_MEASURE = {
    ("engagement_rate_by_view", "median"): "er_by_view_median",
    ("engagement_rate_by_view", "average"): "er_by_view_mean",
    ("engagement_rate_by_follower", "median"): "er_by_follower_median",
    ("engagement_rate_by_follower", "average"): "er_by_follower_mean",
}


def load_benchmarks(path: Path | str = BENCHMARKS_CSV) -> pd.DataFrame:
    """Read the benchmark table; `value` is a fraction (3.4 % becomes 0.034).

    Columns: source, year, data_period, population, metric, definition, statistic ('median' or
    'average', from the definition), segment, value, url.

    >>> load_benchmarks().loc[1, ["metric", "statistic", "value"]].tolist()  # doctest: +SKIP
    ['engagement_rate_by_view', 'median', 0.034]
    """
    raw = pd.read_csv(path, dtype={"report_year": int, "data_period": str, "value_pct": float})
    statistic = raw["definition"].str.rsplit(";", n=1).str[-1].str.strip()
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
        }
    )


def benchmark_comparison(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    benchmarks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each benchmark row with the account's value on the same definition (fractions; NaN if none).

    Columns: those of `load_benchmarks`, then account_value and difference (account - benchmark).
    """
    table = load_benchmarks() if benchmarks is None else benchmarks.copy()
    measures = first_row(
        store.query(
            "kpi_post_rates",
            account=resolve_account(store, account),
            date_from=as_date(date_from),
            date_to=as_date(date_to),
        )
    )
    table["account_value"] = [
        measures.get(_ACCOUNT_MEASURE.get((metric, statistic), ""))
        for metric, statistic in zip(table["metric"], table["statistic"], strict=True)
    ]
    table["account_value"] = table["account_value"].astype(float)
    table["difference"] = table["account_value"] - table["value"]
    return table


def goal_benchmark(metric: str, path: Path | str = BENCHMARKS_CSV) -> float | None:
    """The reference a goal on `metric` is compared with: the newest all-industries median.

    Only engagement rate by view has a published per-view figure (no vendor publishes a
    likes-per-view rate), so other metrics get None. A fraction, e.g. 0.034.
    """
    if metric != "engagement_rate_by_view":
        return None
    table = load_benchmarks(path)
    rows = table[
        (table["metric"] == metric)
        & (table["statistic"] == "median")
        & (table["segment"] == "all industries")
    ]
    if rows.empty:
        return None
    return float(rows.sort_values("year").iloc[-1]["value"])
