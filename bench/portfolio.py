"""The portfolio at scale: 1,000 accounts and 100,000 videos, kpi_core against a plain DuckDB query and
pandas computing the same table in the same run. Writes bench/PORTFOLIO.md (and bench/out/portfolio.json).

    python bench/portfolio.py            # 1,000 accounts, 100,000 videos, 50 with a year of daily likes
    python bench/portfolio.py --smoke    # 100 accounts, 3,000 videos (tests/test_bench_portfolio.py)

Data: data/shapes.py's `scraper_many` (an Apify scrape of ~1,000 videos from ~800 accounts) scaled
up by its own constants, with a long tail of extra hashtags in mixed case, split into JSON files under
the ingest caps and read by `ingest_files`; plus a year of daily likes for some accounts (an agency's
own clients), added as canonical rows. Timed on the loaded data (ingest is timed once, apart):

- kpi_core: `portfolio()` + `ranking()` (every account's registry KPIs, posting span and trend
  verdict), and `hashtag_table()` (hashtags, their sums, the empirical-Bayes fit): what the
  Portfolio page computes on a data change.
- DuckDB reference: the same figures by two hand-written queries on a plain connection (same
  threads and memory limit) over the same canonical rows, the trend by scipy's Theil-Sen.
- pandas reference: the same with pandas group-bys.

Runs alternate (kpi_core, DuckDB, pandas) so they share the machine's load; every run's figures
are checked against kpi_core's (counts exactly, rates to 1e-9, the same trend verdicts).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy import stats

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT)]

from data import shapes  # noqa: E402
from kpi_core.ingest import ingest_files  # noqa: E402
from kpi_core.metrics import hashtags, portfolio  # noqa: E402
from kpi_core.metrics.trends import WEEKLY_FIT_DAYS  # noqa: E402
from kpi_core.store import Store  # noqa: E402
from kpi_core.store.connection import DEFAULT_MEMORY_LIMIT  # noqa: E402

SEED = 16
FULL = {"accounts": 1_000, "videos": 100_000, "daily_accounts": 50, "repeats": 5}
SMOKE = {"accounts": 100, "videos": 3_000, "daily_accounts": 5, "repeats": 2}
RECORDS_PER_FILE = 20_000  # ~16 MB of pretty-printed JSON: under the 50 MB and 4M-value caps
EXTRA_TAGS = 5_000  # a scrape's long tail of hashtags
TODAY = date(2026, 11, 25)
HASHTAG = re.compile(r"#\w+")  # the same tags as the SQL rule on these ASCII captions
THREADS = 2  # kpi_core.store.connection opens every store with 2 threads


# --- data --------------------------------------------------------------------------------------


def scrape(accounts: int, videos: int) -> list[dict[str, Any]]:
    """`scraper_many`'s records at another size, each caption with 0-3 more tags of a long tail."""
    saved = shapes.SCRAPE_ACCOUNTS, shapes.SCRAPE_VIDEOS
    shapes.SCRAPE_ACCOUNTS, shapes.SCRAPE_VIDEOS = accounts, videos
    try:
        records = json.loads(next(iter(shapes.scraper_many(np.random.default_rng(SEED)).files.values())))
    finally:
        shapes.SCRAPE_ACCOUNTS, shapes.SCRAPE_VIDEOS = saved
    rng = np.random.default_rng(SEED + 1)
    vocabulary = [f"tag{i}" for i in range(EXTRA_TAGS)]
    weights = 1 / np.arange(1, EXTRA_TAGS + 1)  # Zipf: a few common tags, many rare ones
    weights /= weights.sum()
    for r in records:
        for tag in rng.choice(vocabulary, size=int(rng.integers(0, 4)), p=weights, replace=False):
            r["text"] += " #" + (tag.upper() if rng.random() < 0.2 else str(tag))
    return records


def daily_rows(accounts: list[str]) -> pd.DataFrame:
    """A year of daily likes and views per account: a level, a drift and noise (seeded)."""
    rng = np.random.default_rng(SEED + 2)
    days = pd.date_range(TODAY - timedelta(days=364), TODAY).date
    frames = []
    for account in accounts:
        level, drift = rng.uniform(50, 5000), rng.normal(0, 2)
        likes = np.maximum(0, level + drift * np.arange(len(days)) + rng.normal(0, level * 0.3, len(days)))
        frames.append(
            pd.DataFrame({"account": account, "date": days, "likes": likes.round().astype(int),
                          "views": (likes * rng.uniform(8, 15)).round().astype(int),
                          "provisional": [False] * (len(days) - 2) + [True, True], "snapshot_date": TODAY})
        )  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def load(size: dict[str, int]) -> tuple[Store, float, int]:
    """A store holding the scaled scrape (read by ingest, timed) and the daily rows; the input bytes."""
    records = scrape(size["accounts"], size["videos"])
    files = [
        (f"dataset_tiktok-scraper_{i:02d}.json", shapes.json_bytes(records[start : start + RECORDS_PER_FILE]))
        for i, start in enumerate(range(0, len(records), RECORDS_PER_FILE))
    ]
    store = Store()
    started = time.perf_counter()
    results = ingest_files(store, files, today=TODAY)
    seconds = time.perf_counter() - started
    failed = [r.error for r in results if r.error]
    if failed:
        raise RuntimeError(f"the scrape did not load: {failed}")
    handles = sorted({r["authorMeta"]["name"] for r in records})[: size["daily_accounts"]]
    days = daily_rows(handles)
    summary = {"name": "Overview.csv", "kind": "studio_overview", "rows": len(days), "accepted": len(days),
               "rejected": 0}  # fmt: skip
    store.add_file(summary, days, "daily_raw", [])
    return store, seconds, sum(len(data) for _, data in files)


# --- the three engines ---------------------------------------------------------------------------

Figures = dict[str, Any]  # {"accounts": {account: {...}}, "hashtags": {hashtag: {...}}}


def kpi_core_run(store: Store) -> tuple[Figures, dict[str, float]]:
    t0 = time.perf_counter()
    ranked = portfolio.ranking(portfolio.portfolio(store))
    t1 = time.perf_counter()
    table, _ = hashtags.hashtag_table(store)
    t2 = time.perf_counter()
    accounts = {
        r["account"]: {k: r[k] for k in ("videos", "likes", "views", "like_rate", "engagement_rate_by_view",
                                        "likes_per_video_median", "trend")}
        for r in ranked.to_dict("records")
    }  # fmt: skip
    tags = {
        r["hashtag"]: {k: r[k] for k in ("videos", "accounts", "likes", "views", "median_likes")}
        for r in table.to_dict("records")
    }
    return {"accounts": accounts, "hashtags": tags}, {"accounts": t1 - t0, "hashtags": t2 - t1}


def verdict(days: np.ndarray, likes: np.ndarray) -> str:
    """The trend verdict as kpi_core words it, from scipy's Theil-Sen (the reference's own) on the
    days: kpi_core fits days on a range of a year or less, as every account's here is. Its
    interval allows for each day's likes carrying into the next (README, Trend verdict): the lag-1
    autocorrelation of the ranks left once the slope is taken out, bias-corrected, is rho, which
    widens the variance by 1 + 2 sum_k (1 - k/n) rho^k, summed here in closed form, and scipy's
    interval is taken at the tail probability whose z is that much wider."""
    if days.max() - days.min() >= WEEKLY_FIT_DAYS:
        raise ValueError("the reference fits days: over more than a year kpi_core fits weekly averages")
    if len(likes) < 14:
        return "not enough data"
    n = len(likes)
    slope = stats.theilslopes(likes, days, alpha=0.95).slope
    ranks = stats.rankdata(likes - slope * days)
    centred = ranks - ranks.mean()
    lag1 = float(centred[1:] @ centred[:-1] / (centred @ centred)) if centred.any() else -1 / n
    rho = min(max((n * lag1 + 1) / (n - 4), 0.0), 1.0)  # bias-corrected as Yue et al. (2002)
    factor = 1 + 2 * (rho / (1 - rho) - rho * (1 - rho**n) / (n * (1 - rho) ** 2)) if rho < 1 else n
    tails = 2 * stats.norm.sf(stats.norm.isf(0.025) * np.sqrt(factor))
    fit = stats.theilslopes(likes, days, alpha=max(tails, np.finfo(float).tiny))
    return "rising" if fit.low_slope > 0 else "falling" if fit.high_slope < 0 else "no clear trend"


ACCOUNTS_SQL = """
SELECT account, count(*) AS videos, sum(likes) AS likes, sum(views) AS views,
    sum(likes) FILTER (WHERE views IS NOT NULL) / nullif(sum(views) FILTER (WHERE likes IS NOT NULL), 0) AS like_rate,
    sum(likes + comments + shares) FILTER (WHERE views IS NOT NULL)
        / nullif(sum(views) FILTER (WHERE likes IS NOT NULL AND comments IS NOT NULL AND shares IS NOT NULL), 0)
        AS engagement_rate_by_view,
    median(likes) AS likes_per_video_median
FROM videos GROUP BY account
"""
HASHTAGS_SQL = """
WITH tagged AS (
    SELECT DISTINCT video_id, account, likes, views, unnest(regexp_extract_all(lower(title), '#[\\w]+')) AS hashtag
    FROM videos WHERE likes IS NOT NULL AND views IS NOT NULL
)
SELECT hashtag, count(*) AS videos, count(DISTINCT account) AS accounts, sum(likes) AS likes, sum(views) AS views,
    median(likes) AS median_likes
FROM tagged GROUP BY hashtag
"""
DAILY_SQL = "SELECT account, date, likes FROM daily WHERE likes IS NOT NULL AND NOT provisional ORDER BY account, date"


def duckdb_run(con: duckdb.DuckDBPyConnection) -> tuple[Figures, dict[str, float]]:
    t0 = time.perf_counter()
    rows = con.execute(ACCOUNTS_SQL).df()
    days = con.execute(DAILY_SQL).df()
    trends = {
        account: verdict(
            ((g["date"] - g["date"].iloc[0]).dt.days).to_numpy(float), g["likes"].to_numpy(float)
        )
        for account, g in days.groupby("account", sort=False)
    }
    t1 = time.perf_counter()
    tags = con.execute(HASHTAGS_SQL).df()
    t2 = time.perf_counter()
    accounts = {
        r["account"]: {**{k: r[k] for k in rows.columns if k != "account"},
                       "trend": trends.get(r["account"], "not enough data")}
        for r in rows.to_dict("records")
    }  # fmt: skip
    return {"accounts": accounts, "hashtags": _tag_dict(tags)}, {"accounts": t1 - t0, "hashtags": t2 - t1}


def pandas_run(videos: pd.DataFrame, daily: pd.DataFrame) -> tuple[Figures, dict[str, float]]:
    t0 = time.perf_counter()
    v = videos.assign(
        rate_likes=videos["likes"].where(videos["views"].notna()),
        rate_views=videos["views"].where(videos["likes"].notna()),
        eng=(videos["likes"] + videos["comments"] + videos["shares"]).where(videos["views"].notna()),
    )
    v["eng_views"] = v["views"].where(v[["likes", "comments", "shares"]].notna().all(axis=1))
    grouped = v.groupby("account")
    rows = pd.DataFrame(
        {
            "videos": grouped.size(),
            "likes": grouped["likes"].sum(min_count=1),
            "views": grouped["views"].sum(min_count=1),
            "like_rate": grouped["rate_likes"].sum() / grouped["rate_views"].sum().replace(0, np.nan),
            "engagement_rate_by_view": grouped["eng"].sum() / grouped["eng_views"].sum().replace(0, np.nan),
            "likes_per_video_median": grouped["likes"].median(),
        }
    )
    settled = daily[daily["likes"].notna() & ~daily["provisional"].astype(bool)].sort_values(
        ["account", "date"]
    )
    trends = {
        account: verdict(
            (pd.to_datetime(g["date"]) - pd.to_datetime(g["date"]).iloc[0]).dt.days.to_numpy(float),
            g["likes"].to_numpy(float),
        )
        for account, g in settled.groupby("account", sort=False)
    }
    t1 = time.perf_counter()
    known = videos[videos["likes"].notna() & videos["views"].notna()]
    tags = known.assign(hashtag=known["title"].fillna("").str.lower().str.findall(HASHTAG).map(set)).explode(
        "hashtag"
    )
    tags = tags[tags["hashtag"].notna()]
    by_tag = tags.groupby("hashtag")
    table = pd.DataFrame(
        {
            "videos": by_tag.size(),
            "accounts": by_tag["account"].nunique(),
            "likes": by_tag["likes"].sum(),
            "views": by_tag["views"].sum(),
            "median_likes": by_tag["likes"].median(),
        }
    ).reset_index()
    t2 = time.perf_counter()
    accounts = {
        account: {**{k: r[k] for k in rows.columns}, "trend": trends.get(account, "not enough data")}
        for account, r in rows.to_dict("index").items()
    }
    return {"accounts": accounts, "hashtags": _tag_dict(table)}, {"accounts": t1 - t0, "hashtags": t2 - t1}


def _tag_dict(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {
        r["hashtag"]: {k: r[k] for k in frame.columns if k != "hashtag"} for r in frame.to_dict("records")
    }


# --- checking and summarising ----------------------------------------------------------------------


def disagreements(reference: Figures, other: Figures) -> list[str]:
    """Where another engine's figures differ from kpi_core's (counts exactly, rates to 1e-9)."""
    problems = []
    for part in ("accounts", "hashtags"):
        ours, theirs = reference[part], other[part]
        if set(ours) != set(theirs):
            problems.append(f"{part}: {len(set(ours) ^ set(theirs))} keys in one engine only")
            continue
        for key, values in ours.items():
            for name, value in values.items():
                other_value = theirs[key][name]
                if isinstance(value, str) or isinstance(other_value, str):
                    same = value == other_value
                elif pd.isna(value) or pd.isna(other_value):
                    same = pd.isna(value) and pd.isna(other_value)
                else:
                    same = abs(float(value) - float(other_value)) <= 1e-9 * max(abs(float(value)), 1.0)
                if not same:
                    problems.append(f"{part} {key} {name}: {value} vs {other_value}")
    return problems[:20]


def spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def measure(size: dict[str, int]) -> dict[str, Any]:
    store, ingest_seconds, input_bytes = load(size)
    videos, daily = store.table("videos"), store.table("daily")
    con = duckdb.connect(":memory:", config={"threads": THREADS, "memory_limit": DEFAULT_MEMORY_LIMIT})
    con.register("videos_frame", videos)
    con.register("daily_frame", daily)
    con.execute("CREATE TABLE videos AS SELECT * FROM videos_frame")
    con.execute("CREATE TABLE daily AS SELECT * FROM daily_frame")
    engines: dict[str, Callable[[], tuple[Figures, dict[str, float]]]] = {
        "kpi_core": lambda: kpi_core_run(store),
        "duckdb": lambda: duckdb_run(con),
        "pandas": lambda: pandas_run(videos, daily),
    }
    timings: dict[str, list[dict[str, float]]] = {name: [] for name in engines}
    problems: dict[str, list[str]] = {name: [] for name in engines}
    reference: Figures | None = None
    for _ in range(size["repeats"]):
        for name, run in engines.items():
            figures, seconds = run()
            timings[name].append(seconds)
            reference = reference or figures
            problems[name] += disagreements(reference, figures)
    assert reference is not None
    ranked = sum(1 for a in portfolio.ranking(portfolio.portfolio(store)).itertuples() if not pd.isna(a.rank))
    _, prior = hashtags.hashtag_table(store)
    out: dict[str, Any] = {
        "size": size,
        "accounts": len(reference["accounts"]),
        "videos": int(len(videos)),
        "hashtags": len(reference["hashtags"]),
        "ranked_accounts": ranked,
        "daily_rows": int(len(daily)),
        "input_bytes": input_bytes,
        "ingest_s": ingest_seconds,
        "prior": {"overall_rate": prior.overall_rate, "spread": prior.spread, "tau": prior.tau},
        "disagreements": problems,
    }
    for name, runs in timings.items():
        for part in ("accounts", "hashtags"):
            out[f"{name}_{part}"] = spread([r[part] for r in runs])
        out[f"{name}_total"] = spread([r["accounts"] + r["hashtags"] for r in runs])
    for floor in ("duckdb", "pandas"):
        for part in ("accounts", "hashtags", "total"):
            out[f"ratio_{floor}_{part}"] = (
                out[f"kpi_core_{part}"]["median"] / out[f"{floor}_{part}"]["median"]
            )
    store.close()
    con.close()
    return out


def s_(figure: dict[str, float]) -> str:
    return f"{figure['median']:.3f} s ({figure['min']:.3f}–{figure['max']:.3f})"


def report(r: dict[str, Any], seconds: float) -> str:
    size = r["size"]
    agree = all(not p for p in r["disagreements"].values())
    lines = [
        "# The portfolio at scale",
        "",
        f"Written by `python bench/portfolio.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} in "
        f"{seconds / 60:.1f} minutes; {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}, DuckDB {duckdb.__version__}, pandas {pd.__version__}. Every figure is the "
        f"median of {size['repeats']} runs with min–max in brackets; the three engines run in turn in one "
        "process, on the same canonical rows, so they share the machine's load.",
        "",
        f"Data: `scraper_many` scaled to {r['accounts']:,} accounts and {r['videos']:,} videos "
        f"({r['input_bytes'] / 1e6:.0f} MB of Apify JSON in {-(-r['videos'] // RECORDS_PER_FILE)} files, read by "
        f"`ingest_files` in {r['ingest_s']:.1f} s), {r['hashtags']:,} distinct hashtags, and a year of daily likes "
        f"for {size['daily_accounts']} accounts ({r['daily_rows']:,} rows). {r['ranked_accounts']:,} accounts have "
        "enough videos for a rank on like rate.",
        "",
        "| | kpi_core | DuckDB reference | pandas reference | kpi_core / DuckDB | kpi_core / pandas |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for part, label in (
        ("accounts", "every account's KPIs, posting span, trend verdict, ranks"),
        ("hashtags", "every hashtag's counts and sums (+ the empirical-Bayes fit in kpi_core)"),
        ("total", "**what the Portfolio page computes on a data change**"),
    ):
        lines.append(
            f"| {label} | {s_(r[f'kpi_core_{part}'])} | {s_(r[f'duckdb_{part}'])} | {s_(r[f'pandas_{part}'])} | "
            f"{r[f'ratio_duckdb_{part}']:.1f}x | {r[f'ratio_pandas_{part}']:.1f}x |"
        )
    lines += [
        "",
        f"Engines agree on every figure of every account and hashtag: **{'yes' if agree else 'no'}**"
        + ("" if agree else f" ({r['disagreements']})"),
        "",
        "The references compute the figures the table shows and nothing else: no validity rules (a like rate "
        "over 100% of views, a rate by follower on a small base), no reason for each n/a, no rows for accounts "
        "without videos in the range, no empirical-Bayes fit. kpi_core's work is the registry's generated "
        "query (every per-video KPI, with the counts behind each), each KPI's rule applied row by row, and the "
        "Theil-Sen verdict per account with daily likes.",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a small size, 2 repeats")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    started = time.perf_counter()
    results = measure(SMOKE if args.smoke else FULL)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "portfolio-smoke" if args.smoke else "portfolio"
    (args.out / f"{name}.json").write_text(json.dumps(results, indent=2, default=str))
    text = report(results, time.perf_counter() - started)
    (args.out / f"{name}.md").write_text(text)
    if not args.smoke:
        (HERE / "PORTFOLIO.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
