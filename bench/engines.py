"""The three ways of getting the same scores from the same files, and the what-if timing.

- `kpi_core_scores`: the product: `ingest_paths` then `score_accounts()` (every account's `score()`).
- `duckdb_floor`: raw DuckDB reading the same files with one hand-written query (the floor).
- `pandas_floor`: the same aggregates in pandas only (to show the choice of engine pays).

Each returns (scores, timings). Scores are per account, in `score()`'s shape restricted to the
aggregates the floors compute (`AGGREGATES`); the trend is kpi_core's alone and timed apart.
Timings are wall seconds and CPU seconds (all threads) per phase.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from generate import APIFY_HEADER, END, OVERVIEW_HEADER, DataSet

EXPORT_DATE = END + timedelta(days=1)  # the files were exported the day after their last day
PROVISIONAL_DAYS = 2  # kpi_core.ingest: the last two days of a daily export are left out
MEMORY_LIMIT = "1GB"  # kpi_core.store.connection.DEFAULT_MEMORY_LIMIT, used by the DuckDB floor too
THREADS = 2

AGGREGATES = {
    "per_video": (
        "videos",
        "likes",
        "views",
        "comments",
        "shares",
        "like_rate",
        "engagement_rate_by_view",
        "likes_per_video_mean",
        "likes_per_video_median",
    ),
    "per_day": (
        "days",
        "likes",
        "views",
        "comments",
        "shares",
        "profile_views",
        "like_rate",
        "engagement_rate_by_view",
    ),
}

Scores = dict[str, dict[str, dict[str, float | int | None]]]


class Clock:
    """Wall and CPU seconds per named phase."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {"wall": dict(self.wall), "cpu": dict(self.cpu)}


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def _plain(value: Any) -> Any:
    """numpy/pandas scalars as plain numbers; NaN and NA as None."""
    if value is None:
        return None
    try:
        if value != value:  # NaN
            return None
    except TypeError:  # pandas NA
        return None
    return value.item() if hasattr(value, "item") else value


def _scores_from_sums(row: dict[str, Any]) -> dict[str, dict[str, float | int | None]]:
    """score()'s aggregates from summed measures, with its ratio-of-sums definitions."""
    r = {k: _plain(v) for k, v in row.items()}
    return {
        "per_video": {
            "videos": r["videos"],
            "likes": r["likes"],
            "views": r["views"],
            "comments": r["comments"],
            "shares": r["shares"],
            "like_rate": _ratio(r["likes_with_views"], r["views_with_likes"]),
            "engagement_rate_by_view": _ratio(r["interactions_with_views"], r["views_with_interactions"]),
            "likes_per_video_mean": _ratio(r["likes"], r["videos_with_likes"]),
            "likes_per_video_median": None if r["likes_median"] is None else float(r["likes_median"]),
        },
        "per_day": {
            "days": r["days"],
            "likes": r["d_likes"],
            "views": r["d_views"],
            "comments": r["d_comments"],
            "shares": r["d_shares"],
            "profile_views": r["d_profile_views"],
            "like_rate": _ratio(r["d_likes_with_views"], r["d_views_with_likes"]),
            "engagement_rate_by_view": _ratio(r["d_interactions_with_views"], r["d_views_with_interactions"]),
        },
    }


# ---------------------------------------------------------------------------------------------
# kpi_core


def kpi_core_scores(
    data: DataSet, clock: Clock, on_ingested: Callable[[], None] = lambda: None
) -> tuple[Scores, Any]:
    """Ingest every file through kpi_core, then score every account (`score_accounts`). Returns (scores, store).

    `on_ingested` is called between the two (the worker reads the peak RSS of the ingest there).
    """
    from kpi_core.ingest import ingest_paths
    from kpi_core.metrics import scoring
    from kpi_core.store import Store

    store = Store()
    with clock.phase("ingest"):
        results = []
        for path in data.daily_files:  # a bare Overview.csv names no account: the uploader gives it
            results += ingest_paths(store, [path], account=path.parent.name, export_date=EXPORT_DATE)
        results += ingest_paths(store, data.video_files, export_date=EXPORT_DATE)
    problems = [r.error or f"{r.name}: {r.rejected} rejected" for r in results if r.error or r.rejected]
    if problems:
        raise RuntimeError("the synthetic files did not ingest cleanly: " + "; ".join(problems[:5]))
    on_ingested()

    # The trend (a Theil-Sen slope, here over each week's mean) has no SQL counterpart in the floors: time it
    # inside scoring so that the engines can be compared on the aggregates alone as well. Scoring reads
    # the trend's days in the per-day KPIs' statement (values.daily_results_and_series_by_account): the
    # trend is its fits, timed inside, plus what the days' lists add to that statement (`series_cost`).
    trend_clock = Clock()
    fit_trend = scoring.fit_trend

    def timed_fit(*args: Any, **kwargs: Any) -> Any:
        with trend_clock.phase("fit"):
            return fit_trend(*args, **kwargs)

    scoring.fit_trend = timed_fit
    try:
        with clock.phase("score"):
            full = scoring.score_accounts(store)
    finally:
        scoring.fit_trend = fit_trend
    for unit, series in series_cost(store, full).items():
        getattr(clock, unit).update(
            {"trend": getattr(trend_clock, unit)["fit"] + series, "trend_series": series}
        )
    scores = {
        account: {grain: {k: s[grain][k] for k in keys} for grain, keys in AGGREGATES.items()}
        for account, s in full.items()
    }
    return scores, store


def series_cost(store: Any, scored: dict[str, dict[str, Any]], repeats: int = 3) -> dict[str, float]:
    """Wall and CPU seconds that reading the trend's days adds to the per-day KPIs' statement of
    every account (`score_accounts`): the statement with the days' lists and without them
    (`daily_results_and_series_by_account`, series None), alternately, `repeats` times each and in
    both orders, each asked of DuckDB afresh (the store's kept answers forgotten); the median
    difference (never below 0)."""
    from kpi_core.metrics import values
    from kpi_core.metrics.registry import kpi

    likes = kpi("per_day", "likes")
    dated = {a: s for a, s in scored.items() if s["date_from"] and s["date_to"]}
    wide = (min(s["date_from"] for s in dated.values()), max(s["date_to"] for s in dated.values()))
    spent: dict[tuple[str, bool], list[float]] = {(u, w): [] for u in ("wall", "cpu") for w in (True, False)}
    for repeat in range(repeats):
        for with_days in (True, False) if repeat % 2 == 0 else (False, True):
            store._answers.forget()  # the benchmark's own access: each statement goes to DuckDB
            wall, cpu = time.perf_counter(), time.process_time()
            values.daily_results_and_series_by_account(
                store, list(dated), *wide, likes if with_days else None
            )
            spent["wall", with_days].append(time.perf_counter() - wall)
            spent["cpu", with_days].append(time.process_time() - cpu)
    return {
        unit: max(statistics.median(spent[unit, True]) - statistics.median(spent[unit, False]), 0.0)
        for unit in ("wall", "cpu")
    }


# ---------------------------------------------------------------------------------------------
# The DuckDB floor: one hand-written query over the same files

FLOOR_SQL = r"""
WITH scraped AS (
    SELECT "authorMeta/name" AS account, id, diggCount AS likes, playCount AS views,
        commentCount AS comments, shareCount AS shares
    FROM read_csv($videos, header = true, auto_detect = false, columns = $video_columns)
),
videos AS (  -- a video scraped twice counts once, with the counts it had grown to
    SELECT account, id, max(likes) AS likes, max(views) AS views, max(comments) AS comments,
        max(shares) AS shares
    FROM scraped GROUP BY account, id
),
per_video AS (
    SELECT account, count(*) AS videos, count(likes) AS videos_with_likes,
        sum(likes) AS likes, sum(views) AS views, sum(comments) AS comments, sum(shares) AS shares,
        median(likes) AS likes_median,
        sum(likes) FILTER (WHERE views IS NOT NULL) AS likes_with_views,
        sum(views) FILTER (WHERE likes IS NOT NULL) AS views_with_likes,
        sum(likes + comments + shares) FILTER (WHERE views IS NOT NULL) AS interactions_with_views,
        sum(views) FILTER (WHERE likes + comments + shares IS NOT NULL) AS views_with_interactions
    FROM videos GROUP BY account
),
days AS (
    SELECT regexp_extract(filename, '([^/\\]+)[/\\]Overview\.csv$', 1) AS account,
        "Likes" AS likes, "Video Views" AS views, "Comments" AS comments, "Shares" AS shares,
        "Profile Views" AS profile_views, "Likes" + "Comments" + "Shares" AS interactions,
        "Date" > max("Date") OVER (PARTITION BY filename) - $provisional_days AS provisional
    FROM read_csv($daily, header = true, filename = true, auto_detect = false, columns = $daily_columns)
),
per_day AS (
    SELECT account, count(*) AS days, sum(likes) AS d_likes, sum(views) AS d_views,
        sum(comments) AS d_comments, sum(shares) AS d_shares, sum(profile_views) AS d_profile_views,
        sum(likes) FILTER (WHERE views IS NOT NULL) AS d_likes_with_views,
        sum(views) FILTER (WHERE likes IS NOT NULL) AS d_views_with_likes,
        sum(interactions) FILTER (WHERE views IS NOT NULL) AS d_interactions_with_views,
        sum(views) FILTER (WHERE interactions IS NOT NULL) AS d_views_with_interactions
    FROM days WHERE NOT provisional GROUP BY account
)
SELECT * FROM per_video FULL JOIN per_day USING (account) ORDER BY account
"""


# The floor knows the files' layout, as a hand-written query would: no sniffing.
FLOOR_VIDEO_TYPES = {name: "VARCHAR" for name in APIFY_HEADER} | {
    name: "BIGINT"
    for name in (
        "id",
        "createTime",
        "diggCount",
        "playCount",
        "shareCount",
        "commentCount",
        "collectCount",
        "authorMeta/fans",
        "authorMeta/heart",
        "authorMeta/video",
        "videoMeta/duration",
    )
}
FLOOR_DAILY_TYPES = {name: "BIGINT" for name in OVERVIEW_HEADER} | {"Date": "DATE"}


def duckdb_floor(data: DataSet, clock: Clock) -> Scores:
    import duckdb

    con = duckdb.connect(":memory:", config={"memory_limit": MEMORY_LIMIT, "threads": THREADS})
    with clock.phase("query"):
        cursor = con.execute(
            FLOOR_SQL,
            {
                "videos": [str(p) for p in data.video_files],
                "daily": [str(p) for p in data.daily_files],
                "provisional_days": PROVISIONAL_DAYS,
                "video_columns": FLOOR_VIDEO_TYPES,
                "daily_columns": FLOOR_DAILY_TYPES,
            },
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        scores = {row["account"]: _scores_from_sums(row) for row in rows}
    con.close()
    return scores


# ---------------------------------------------------------------------------------------------
# The pandas floor: the same aggregates without a query engine

VIDEO_COLUMNS = {
    "id": "int64",
    "authorMeta/name": "str",
    "diggCount": "Int64",
    "playCount": "Int64",
    "commentCount": "Int64",
    "shareCount": "Int64",
}
DAILY_COLUMNS = {
    "Video Views": "Int64",
    "Profile Views": "Int64",
    "Likes": "Int64",
    "Comments": "Int64",
    "Shares": "Int64",
}


def pandas_floor(data: DataSet, clock: Clock) -> Scores:
    import pandas as pd

    with clock.phase("query"):
        scraped = pd.concat(
            [pd.read_csv(p, usecols=list(VIDEO_COLUMNS), dtype=VIDEO_COLUMNS) for p in data.video_files],
            ignore_index=True,
        )
        scraped = scraped.rename(
            columns={
                "authorMeta/name": "account",
                "diggCount": "likes",
                "playCount": "views",
                "commentCount": "comments",
                "shareCount": "shares",
            }
        )
        videos = scraped.groupby(["account", "id"], sort=False).max()  # rescraped videos count once
        videos["interactions"] = videos["likes"] + videos["comments"] + videos["shares"]
        by = videos.groupby(level="account")
        per_video = pd.DataFrame(
            {
                "videos": by.size(),
                "videos_with_likes": by["likes"].count(),
                "likes": by["likes"].sum(),
                "views": by["views"].sum(),
                "comments": by["comments"].sum(),
                "shares": by["shares"].sum(),
                "likes_median": by["likes"].median(),
                "likes_with_views": videos["likes"]
                .where(videos["views"].notna())
                .groupby(level="account")
                .sum(),
                "views_with_likes": videos["views"]
                .where(videos["likes"].notna())
                .groupby(level="account")
                .sum(),
                "interactions_with_views": videos["interactions"]
                .where(videos["views"].notna())
                .groupby(level="account")
                .sum(),
                "views_with_interactions": videos["views"]
                .where(videos["interactions"].notna())
                .groupby(level="account")
                .sum(),
            }
        )
        frames = []
        for path in data.daily_files:
            day = pd.read_csv(path, encoding="utf-8-sig", dtype=DAILY_COLUMNS, parse_dates=["Date"])
            day["account"] = path.parent.name
            frames.append(day[day["Date"] <= day["Date"].max() - pd.Timedelta(days=PROVISIONAL_DAYS)])
        days = pd.concat(frames, ignore_index=True)
        days["interactions"] = days["Likes"] + days["Comments"] + days["Shares"]
        by_day = days.groupby("account")
        per_day = pd.DataFrame(
            {
                "days": by_day.size(),
                "d_likes": by_day["Likes"].sum(),
                "d_views": by_day["Video Views"].sum(),
                "d_comments": by_day["Comments"].sum(),
                "d_shares": by_day["Shares"].sum(),
                "d_profile_views": by_day["Profile Views"].sum(),
                "d_likes_with_views": days["Likes"]
                .where(days["Video Views"].notna())
                .groupby(days["account"])
                .sum(),
                "d_views_with_likes": days["Video Views"]
                .where(days["Likes"].notna())
                .groupby(days["account"])
                .sum(),
                "d_interactions_with_views": days["interactions"]
                .where(days["Video Views"].notna())
                .groupby(days["account"])
                .sum(),
                "d_views_with_interactions": days["Video Views"]
                .where(days["interactions"].notna())
                .groupby(days["account"])
                .sum(),
            }
        )
        both = per_video.join(per_day, how="outer")
        scores = {str(account): _scores_from_sums(row.to_dict()) for account, row in both.iterrows()}
    return scores


# ---------------------------------------------------------------------------------------------
# What-if: a slider move on a precomputed baseline

POSTS_PER_WEEK_MOVES = [x / 2 for x in range(2, 42)]  # the "Posts per week" slider, 1.0 .. 20.5


def whatif_timings(store: Any, account: str, clock: Clock) -> dict[str, Any]:
    """What the What-if page does: build the baseline and simulation once, then per slider move
    `what_if` (the reach date, the chart's curve). `inverse` (the sentence under it) is timed
    beside each move too, though the page computes it once per goal.

    Returns the per-move milliseconds and the reach dates (a slider that moves nothing is a bug).
    """
    from kpi_core.planning.baseline import load_baseline
    from kpi_core.planning.forecast import simulate
    from kpi_core.planning.goals import Goal
    from kpi_core.planning.inverse import inverse
    from kpi_core.planning.suggestions import suggested_targets
    from kpi_core.planning.whatif import Scenario, what_if

    with clock.phase("baseline"):
        base = load_baseline(store, account)
    assert base.as_of is not None
    start, deadline = base.as_of + timedelta(days=1), base.as_of + timedelta(days=90)
    # A goal's first projection: its simulated futures, recalibrated by the backtest of the same
    # projection on the account's past (planning/forecast.py); the page then reuses them.
    with clock.phase("simulate"):
        simulation = simulate(base, "likes", start, deadline)
    with clock.phase("suggest"):  # on the goal window's own futures, as the pages ask for them
        offered = suggested_targets(base, "likes", start, deadline, simulation=simulation)
        target = next(s.target for s in offered if s.name == "realistic")
        goal = Goal(account, "likes", target, start, deadline)
    what_if_ms, inverse_ms, reach = [], [], []
    for posts in POSTS_PER_WEEK_MOVES:
        t = time.perf_counter()
        result = what_if(goal, base, Scenario(posts_per_week=posts), simulation=simulation)
        what_if_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        inverse(goal, base, simulation=simulation)
        inverse_ms.append((time.perf_counter() - t) * 1000)
        reach.append(result.reach_date.isoformat() if result.reach_date else None)
    return {
        "what_if_ms": what_if_ms,
        "inverse_ms": inverse_ms,
        "reach_dates": reach,
        "baseline_videos": int(len(base.video_day)),
        "baseline_days": base.n_days,
        "median_what_if_ms": statistics.median(what_if_ms),
    }


# ---------------------------------------------------------------------------------------------
# Small files: one real Studio download, against DuckDB reading the same CSV files

STUDIO_DOWNLOAD = (  # the demo account's last download: Overview, Viewers, Followers and Content
    "Overview_2026-11-20_1795176000_lumen.skincare.zip",
    "Viewers_2026-11-20_1795176000_lumen.skincare.zip",
    "Followers_lumen.skincare.zip",
    "Content_2026-11-20_lumen.skincare.zip",
)


def small_files(demo: Any, scratch: Any, repeats: int = 7) -> dict[str, Any]:
    """A Studio download ingested into a fresh store, in one warm process, `repeats` times; and
    DuckDB reading the very CSV files inside its ZIPs (extracted beforehand, each with its own
    `read_csv`, every row counted), as many times. Milliseconds, each run."""
    import zipfile

    import duckdb

    from kpi_core.ingest import ingest_paths
    from kpi_core.store import Store

    paths = [demo / name for name in STUDIO_DOWNLOAD]
    csvs = []
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                target = scratch / path.stem / member
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(member))
                csvs.append(target)
    ours, theirs, files = [], [], 0
    for run in range(repeats + 1):  # the first run of each warms the imports and caches
        store = Store()
        t = time.perf_counter()
        results = ingest_paths(store, paths)
        elapsed = (time.perf_counter() - t) * 1000
        assert all(r.ok for r in results), [r.error for r in results]
        files = len(results)
        store.close()
        con = duckdb.connect(":memory:", config={"memory_limit": MEMORY_LIMIT, "threads": THREADS})
        t = time.perf_counter()
        for csv in csvs:
            con.execute("SELECT count(*) FROM read_csv($p, header = true)", {"p": str(csv)}).fetchall()
        floor = (time.perf_counter() - t) * 1000
        con.close()
        if run:
            ours.append(elapsed)
            theirs.append(floor)
    return {"kpi_core_ms": ours, "duckdb_ms": theirs, "files": files, "zips": len(paths)}


ENGINES: dict[str, Callable[..., Any]] = {"duckdb": duckdb_floor, "pandas": pandas_floor}
