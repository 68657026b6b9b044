"""The portfolio: every loaded account side by side (an agency's clients, competitors, a scrape of
hundreds of accounts), ranked on a per-video KPI only where the rank rests on enough videos.

The KPIs are the registry's (`values.kpis_by_account`: one query for every account), the trend
verdict is `trends.trend` on each account's daily likes (one query for every account, the same
verdict the Trends page and `score` give). A rank needs at least MIN_RANK_VIDEOS videos behind the
value it ranks on, posted over at least MIN_RANK_DAYS days (first to last posting day): below
that, or when the value itself is n/a, the account is listed with "n/a" and the reason, never a
rank. Handles are data throughout: searched as literal text, never as a pattern.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from kpi_core.metrics.findings import plural
from kpi_core.metrics.measures import Kpi, Measure
from kpi_core.metrics.ratios import kpi_result
from kpi_core.metrics.registry import kpi
from kpi_core.metrics.scope import DateLike, as_date, plain
from kpi_core.metrics.trends import trend
from kpi_core.metrics.values import first_row, kpis_by_account
from kpi_core.store import Store

__all__ = [
    "COLUMNS",
    "MIN_RANK_DAYS",
    "MIN_RANK_VIDEOS",
    "NO_DAILY_LIKES",
    "SAMPLE_RULE",
    "few_videos_note",
    "portfolio",
    "portfolio_records",
    "ranking",
    "ranking_sentence",
    "search",
]

MIN_RANK_VIDEOS = 5  # as content's MIN_SUPPORT: fewer videos say more about one video than the account
MIN_RANK_DAYS = 7  # a week: videos of one campaign day say little about the account
SAMPLE_RULE = (
    f"A rank needs at least {MIN_RANK_VIDEOS} videos behind the value it ranks on, posted over at least "
    f"{MIN_RANK_DAYS} days (first to last posting day); other accounts show n/a with the reason."
)
NO_DAILY_LIKES = (
    "no daily likes: the trend reads TikTok Studio's Overview export; scraper files give each "
    "video's totals, not likes per day"
)

# The per-video KPIs the portfolio shows and may rank on, declared in the registry.
COLUMNS: tuple[str, ...] = (
    "videos",
    "likes",
    "views",
    "like_rate",
    "engagement_rate_by_view",
    "likes_per_video_median",
)
_KPIS: dict[str, Kpi] = {name: kpi("per_video", name) for name in COLUMNS}
_POSTING_SPAN = (Measure("first_posted", "min", "date"), Measure("last_posted", "max", "date"))


def portfolio(
    store: Store, date_from: DateLike = None, date_to: DateLike = None, include_provisional: bool = False
) -> pd.DataFrame:
    """Every account in the store, one row each (primary first), on the videos posted in the range.

    Columns: account, is_primary; per KPI of COLUMNS its value (rates as fractions, NaN when n/a),
    `<kpi>_note` (why it is n/a, None where it stands) and `<kpi>_rows` (the videos behind it);
    first_posted, last_posted (dates, None without videos), posting_days (first to last posting
    day, inclusive; 0 without videos), trend (the daily-likes verdict: "rising", "falling", "no
    clear trend" or "not enough data") and trend_note (the verdict's sentence, or why there is none).
    """
    start, end = as_date(date_from), as_date(date_to)
    measured = kpis_by_account(
        store, start, end, extra=_POSTING_SPAN, include_provisional=include_provisional
    ).set_index("account")
    accounts = store.accounts()
    frame = measured.reindex(accounts)
    absent = ~frame.index.isin(measured.index)  # accounts with no video posted in the range
    empty = first_row(pd.DataFrame())
    out = pd.DataFrame({"account": accounts, "is_primary": [i == 0 for i in range(len(accounts))]})
    for name, declared in _KPIS.items():
        none = kpi_result(declared, empty)
        values = frame[name].to_numpy(dtype=float, na_value=np.nan, copy=True)
        values[absent] = np.nan if none.value is None else float(none.value)
        out[name] = values
        out[f"{name}_note"] = [
            none.reason if gone else (None if pd.isna(note) else str(note))
            for gone, note in zip(absent, frame[f"{name}_note"], strict=True)
        ]
        out[f"{name}_rows"] = frame[declared.rows_column].fillna(0).astype(int).to_numpy()
    out["videos"] = out["videos"].astype(int)
    first = [plain(d) for d in frame["first_posted"]]
    last = [plain(d) for d in frame["last_posted"]]
    out["first_posted"] = pd.Series(first, dtype=object)
    out["last_posted"] = pd.Series(last, dtype=object)
    out["posting_days"] = [
        (b - a).days + 1 if a is not None and b is not None else 0 for a, b in zip(first, last, strict=True)
    ]
    verdicts = _trends(store, start, end, include_provisional)
    no_trend = ("not enough data", NO_DAILY_LIKES)
    out["trend"] = [verdicts.get(a, no_trend)[0] for a in accounts]
    out["trend_note"] = [verdicts.get(a, no_trend)[1] for a in accounts]
    return out


def _trends(
    store: Store, start: date | None, end: date | None, include_provisional: bool
) -> dict[str, tuple[str, str]]:
    """account -> (verdict, sentence) of its daily likes, for every account with daily likes."""
    days = store.query(
        "portfolio_daily_likes", date_from=start, date_to=end, include_provisional=include_provisional
    )
    out = {}
    for account, series in days.groupby("account", sort=False):
        found = trend(series["date"], series["likes"])
        out[str(account)] = (found.verdict, found.sentence)
    return out


# ---------------------------------------------------------------------------------------------
# Ranking, search and what a ranking rests on


def rank_note(kpi_name: str, rows: int, posting_days: int, note: str | None) -> str | None:
    """Why an account gets no rank on `kpi_name` (its value's own reason when it has none, else the
    sample rule it misses), or None when it gets one.

    >>> rank_note("like_rate", 3, 40, None)
    'only 3 videos with likes and views (a rank needs 5)'
    >>> rank_note("like_rate", 6, 2, None)
    '6 videos posted within 2 days (a rank needs 7 days)'
    """
    declared = _KPIS[kpi_name]
    reason = _reason(rows, posting_days, note)
    if reason == "value":
        return note
    if reason == "videos":
        if rows == 0:
            return f"no videos{_known(declared)} in the period"
        return f"only {plural(rows, 'video')}{_known(declared)} (a rank needs {MIN_RANK_VIDEOS})"
    if reason == "days":
        within = "on 1 day" if posting_days == 1 else f"within {posting_days} days"
        return f"{plural(rows, 'video')} posted {within} (a rank needs {MIN_RANK_DAYS} days)"
    return None


def few_videos_note(videos: int | None) -> str | None:
    """What a side-by-side card of an account with fewer than MIN_RANK_VIDEOS videos in the period
    should say beside its rates; None with enough videos (or none: its rates say n/a themselves).

    >>> few_videos_note(1)
    'Only 1 video in the period: its rates say more about that video than about the account (the Portfolio ranks on 5 or more).'
    """
    if not videos or videos >= MIN_RANK_VIDEOS:
        return None
    those = "that video" if videos == 1 else "those videos"
    return (
        f"Only {plural(videos, 'video')} in the period: its rates say more about {those} than about the account "
        f"(the Portfolio ranks on {MIN_RANK_VIDEOS} or more)."
    )


def _reason(rows: int, posting_days: int, note: str | None) -> str | None:
    """Which rule keeps a value from a rank: 'value' (it is n/a), 'videos', 'days', or None."""
    if note is not None:
        return "value"
    if rows < MIN_RANK_VIDEOS:
        return "videos"
    if posting_days < MIN_RANK_DAYS:
        return "days"
    return None


def _known(declared: Kpi) -> str:
    """What a KPI's videos must have: '', ' with likes', ' with likes and views'."""
    n, d = declared.numerator, declared.denominator
    if n.function == "count_rows":
        return ""
    known = [n.noun] if d is None else [n.noun, d.noun]
    return f" with {' and '.join(dict.fromkeys(known))}"


def ranking(table: pd.DataFrame, by: str = "like_rate", descending: bool = True) -> pd.DataFrame:
    """`portfolio`'s table ranked on the KPI `by`: a `rank` column (1 = first in the chosen order;
    ties share the better rank; <NA> where the account cannot be ranked) and `rank_note` (why not,
    None where ranked). Ranked accounts come first in rank order, then the others in the same
    order of their values (n/a last), then by name."""
    if by not in _KPIS:
        raise ValueError(f"rank by one of {', '.join(COLUMNS)}, not {by!r}")
    out = table.copy()
    out["rank_note"] = [
        rank_note(by, int(rows), int(days), None if pd.isna(note) else str(note))
        for rows, days, note in zip(out[f"{by}_rows"], out["posting_days"], out[f"{by}_note"], strict=True)
    ]
    rankable = out["rank_note"].isna()
    value = out[by].astype(float)
    ranks = value.where(rankable).rank(method="min", ascending=not descending)
    out["rank"] = ranks.astype("Int64")
    order = (-value if descending else value).fillna(np.inf)
    out = out.assign(_ranked=~rankable, _order=order)
    out = out.sort_values(["_ranked", "_order", "account"], kind="stable")
    return out.drop(columns=["_ranked", "_order"]).reset_index(drop=True)


def search(table: pd.DataFrame, text: str) -> pd.DataFrame:
    """The rows whose handle contains `text` (any case, a leading @ ignored), as literal text.

    >>> search(pd.DataFrame({"account": ["books.by.ana", "Ana.reads", "tom"]}), "@ana")["account"].tolist()
    ['books.by.ana', 'Ana.reads']
    """
    wanted = text.strip().lstrip("@").casefold()
    if not wanted:
        return table
    found = table["account"].astype(str).str.casefold().str.contains(wanted, regex=False)
    return table[found.to_numpy(dtype=bool)]


def ranking_sentence(ranked: pd.DataFrame, by: str) -> str:
    """What a ranking on `by` rests on: how many accounts it ranks and why the others show n/a
    (the videos counted are those of the range the table was made for: a period, or all data).

    >>> frame = pd.DataFrame({"rank": pd.array([1, None, None], dtype="Int64"), "videos_rows": [9, 1, 2],
    ...     "posting_days": [30, 1, 3], "videos_note": [None, None, None]})
    >>> ranking_sentence(frame, "videos")
    'Ranked on videos: 1 of 3 accounts. 2 accounts have too few videos (a rank needs 5).'
    """
    label = _KPIS[by].label.lower()
    reasons = pd.Series(
        [
            _reason(int(rows), int(days), None if pd.isna(note) else str(note))
            for rows, days, note in zip(
                ranked[f"{by}_rows"], ranked["posting_days"], ranked[f"{by}_note"], strict=True
            )
        ],
        dtype=object,
    )
    few, short, other = (int((reasons == r).sum()) for r in ("videos", "days", "value"))
    parts = [f"Ranked on {label}: {int(ranked['rank'].notna().sum()):,} of {plural(len(ranked), 'account')}."]
    if few:
        # Not "posted": a Studio Content export lists a sample of an account's posts.
        parts.append(
            f"{plural(few, 'account')} {_have(few)} too few videos (a rank needs {MIN_RANK_VIDEOS})."
        )
    if short:
        parts.append(
            f"{plural(short, 'account')} posted {_their(short)} videos within fewer than {MIN_RANK_DAYS} days."
        )
    if other:
        parts.append(
            f"{plural(other, 'account')} {_have(other)} no {label} (the reason is in {_their(other)} row)."
        )
    return " ".join(parts)


def _is_count(declared: Kpi) -> bool:
    """A whole number: a count of videos or a sum of counts (not a ratio, not a median)."""
    return declared.denominator is None and declared.numerator.function in ("sum", "count_rows")


def _have(n: int) -> str:
    return "has" if n == 1 else "have"


def _their(n: int) -> str:
    return "its" if n == 1 else "their"


def portfolio_records(ranked: pd.DataFrame) -> list[dict[str, Any]]:
    """A ranked portfolio as JSON-ready rows: plain ints, floats, ISO dates and None (never NaN);
    `notes` holds the reason for each n/a, keyed by KPI name ("rank" for the rank)."""
    records = []
    for row in ranked.to_dict("records"):
        notes = {name: row[f"{name}_note"] for name in COLUMNS if isinstance(row[f"{name}_note"], str)}
        if isinstance(row["rank_note"], str):
            notes["rank"] = row["rank_note"]
        if row["trend"] == "not enough data":
            notes["trend"] = row["trend_note"]
        record: dict[str, Any] = {"account": row["account"]}
        for name in COLUMNS:
            value = plain(row[name])
            record[name] = int(value) if value is not None and _is_count(_KPIS[name]) else value
        first, last = row["first_posted"], row["last_posted"]
        record |= {
            "first_posted": first.isoformat() if first else None,
            "last_posted": last.isoformat() if last else None,
            "trend": row["trend"],
            "rank": plain(row["rank"]),
            "notes": notes,
        }
        records.append(record)
    return records
