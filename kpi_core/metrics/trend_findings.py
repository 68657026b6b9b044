"""Whether the Trends page's charts have anything to show: the period bars and rates, the rolling
means and the lagged correlations, each with the sentence that replaces it when it carries no
information (one bar, no likes at all, fewer days than a window, every lag blank)."""

from __future__ import annotations

import pandas as pd

from kpi_core.metrics import trends
from kpi_core.metrics.findings import Finding, plural
from kpi_core.metrics.scope import DateLike
from kpi_core.store import Store

__all__ = ["ROLLING_DAYS", "correlation_finding", "period_finding", "rolling_finding"]

ROLLING_DAYS = 7  # the shorter rolling window (sql/kpi_daily_rolling.sql); the longer is 28


def _day(value: object) -> str:
    day = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{day.day} {day:%b %Y}"


def _likes(frame: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(frame["likes"], errors="coerce")


def period_finding(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    grain: str = "week",
    include_provisional: bool = False,
) -> Finding:
    """`trends.daily_series` per `grain`, or why its charts would say nothing: no likes on any
    day, or every day in one bucket (a chart of one bar). An empty table has no reason: the
    account has no daily totals at all, which the page says in its own words."""
    series = trends.daily_series(store, account, date_from, date_to, grain, include_provisional)
    if series.empty:
        return Finding(series)
    days = int(series["days"].sum())
    if days == 0:
        return Finding(
            series,
            "No day in this period has a like count (older Overview exports may carry views only), so there "
            f"is nothing to chart: the table below has the views, comments and followers of each {grain}.",
        )
    if not _likes(series).fillna(0).ne(0).any():
        return Finding(
            series,
            f"No likes on any of the {plural(days, 'day')} in this period, so there is nothing to chart "
            "yet: the table below has the views, comments and followers of each "
            f"{grain}.",
        )
    if len(series) < 2:
        first, last = series["first_day"].iloc[0], series["last_day"].iloc[0]
        if grain == "day":
            where = f"The period has 1 day of data ({_day(first)})"
            more = "an Overview export that covers two days or more"
        else:
            where = f"All {plural(days, 'day')} with data fall in one {grain} ({_day(first)} – {_day(last)})"
            more = f"group by day, or upload an Overview export that covers two {grain}s or more"
        return Finding(
            series,
            f"{where}, so a chart would be a single bar: the table below has its totals. To see a change, "
            f"{more}.",
        )
    return Finding(series)


def rolling_finding(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> Finding:
    """`trends.rolling_means`, or why its charts would be empty or flat: fewer than ROLLING_DAYS
    days of likes, or no likes on any day."""
    rolling = trends.rolling_means(store, account, date_from, date_to, include_provisional)
    likes = _likes(rolling)
    days = int(likes.notna().sum())
    if days == 0 and len(rolling):
        return Finding(
            rolling, "No day in this period has a like count, so there are no rolling means of likes."
        )
    if days < ROLLING_DAYS:
        return Finding(
            rolling,
            f"The period has {plural(days, 'day')} of likes: a {ROLLING_DAYS}-day mean needs {ROLLING_DAYS} "
            f"days and a 28-day mean 28, so {plural(ROLLING_DAYS - days, 'more day')} would start the first.",
        )
    if not likes.fillna(0).ne(0).any():
        return Finding(
            rolling, f"No likes on any of the {plural(days, 'day')} in this period: every rolling mean is 0."
        )
    return Finding(rolling)


def correlation_finding(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    include_provisional: bool = False,
) -> Finding:
    """`trends.lagged_correlation(...).table`, or why no correlation can be read: every lag is
    blank (fewer than MIN_TREND_DAYS paired days, or series that never change), or likes came on
    fewer than MIN_TREND_DAYS days, so a rank correlation would mostly compare days without likes."""
    needed = trends.MIN_TREND_DAYS
    table = trends.lagged_correlation(
        store, account, date_from, date_to, include_provisional=include_provisional
    ).table
    if table["r"].isna().all():
        paired = (
            table.groupby("target")["n"].max().reindex(["profile_views", "net_follower_change"]).fillna(0)
        )
        if paired.max() < needed:
            return Finding(
                table,
                f"No lag has the {needed} paired days a correlation needs: daily likes pair with later "
                f"profile views on {plural(int(paired['profile_views']), 'day')} at most and with net "
                f"follower change on {plural(int(paired['net_follower_change']), 'day')}. An Overview "
                f"export of {needed} days or more (with FollowerHistory for the followers) would allow it.",
            )
        return Finding(
            table,
            "Daily likes, profile views or follower changes never change over these days, so nothing can "
            "move together with them: every lag is blank.",
        )
    daily = trends.daily_series(
        store, account, date_from, date_to, "day", include_provisional, trends.CORRELATED_KPIS
    )
    liked, days = int(_likes(daily).fillna(0).gt(0).sum()), len(daily)
    if liked < needed:
        return Finding(
            table,
            f"Likes came on only {liked} of the {plural(days, 'day')}, so a correlation would mostly compare "
            f"days without likes: it needs likes on at least {needed} days.",
        )
    return Finding(table)
