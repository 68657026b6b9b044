"""Published TikTok engagement benchmarks beside the account's own rate, like for like.

Vendors publish engagement rates per post (by view or by follower), summarised as the median or
the average of posts. The account's value is computed the same way (registry.POST_RATES over the
per-video rows): per-post (likes + comments + shares) / views, or / the period's average follower
count, then the median or the mean, each checked by its KPI's validity rule (so a rate by
follower on too small or too fast-moving a base is n/a, with the reason). These are reference
points, not targets; the definition travels with every number.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kpi_core.metrics.registry import POST_RATES, kpi
from kpi_core.metrics.scope import DateLike, resolve_account
from kpi_core.metrics.values import KpiValue, statistic_result, video_measures
from kpi_core.store import Store

__all__ = ["BENCHMARKS_CSV", "account_rates", "benchmark_comparison", "load_benchmarks"]

BENCHMARKS_CSV = Path(__file__).resolve().parents[2] / "data" / "benchmarks.csv"


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


def account_rates(
    store: Store, account: str | None = None, date_from: DateLike = None, date_to: DateLike = None
) -> dict[tuple[str, str], KpiValue]:
    """The account's per-post rates as benchmarks summarise them, by (metric, statistic), each a
    fraction checked by its KPI's rule (value None with the reason when it fails)."""
    measures = video_measures(
        store, resolve_account(store, account), date_from, date_to, extra=tuple(POST_RATES.values())
    )
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
