"""Finish the accepted rows of a sheet into canonical rows (account, snapshot date, source, video
ids, the years of yearless posting dates, provisional days), and describe them in the result.

Both are SQL over the rows the reader normalised, one statement each, whatever the number of rows:
no row passes through Python between the file and the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kpi_core.ingest.accounts import DEFAULT_ACCOUNT, unnamed_note
from kpi_core.ingest.loading import LoadedSheet
from kpi_core.ingest.result import FileResult
from kpi_core.store import schema
from kpi_core.store.cell_sql import link_handle_sql, link_video_id_sql

# Only TikTok's own daily exports are cut while their last days are still being counted; a
# hand-made tracker's last rows are as final as the others.
PROVISIONAL_KINDS = {"studio_overview", "studio_viewers", "studio_follower_history"}
PROVISIONAL_DAYS = 2  # the last two days of a daily export are usually incomplete

# A TikTok video id's top 32 bits are its posting time in unix seconds (ids after 2014 only).
_ID_DAY = (
    "CASE WHEN TRY_CAST(finished_video_id AS HUGEINT) > 6012954214400000000 "  # 2**32 * 1.4e9
    "THEN CAST(make_timestamp(CAST(TRY_CAST(finished_video_id AS HUGEINT) // 4294967296 AS BIGINT) "
    "* 1000000) AS DATE) END"
)


@dataclass(frozen=True)
class FinishPlan:
    """The arguments of RawReader.finish, and whether the rows' posting times are marked as UTC
    (scrapers: those rows that have one; `carries_utc_times` says whether any has)."""

    exprs: dict[str, str]
    params: dict[str, Any]
    derived: list[tuple[str, str]]
    utc_times: bool


def finish_rows(item: LoadedSheet) -> bool:
    """Turn the reader's accepted rows into canonical rows (kept in the reader, `rows()`), with
    every column the sheet's table has; True when their posting times are marked as UTC."""
    plan = finish_plan(item, set(item.reader.columns))
    item.reader.finish(schema.RAW_TABLES[item.fmt.table], plan.exprs, plan.params, plan.derived)
    return plan.utc_times


def carries_utc_times(plan_utc_times: bool, result: FileResult) -> bool:
    """Whether the stored rows hold posting times in UTC: marked so (`FinishPlan.utc_times`) and
    some accepted row has a posting time. `describe` dates a videos_raw file by `posted_at` (the
    table has no `date` column), so its date range is there exactly when one row has a time."""
    return plan_utc_times and result.date_from is not None


def finish_plan(item: LoadedSheet, have: set[str]) -> FinishPlan:
    """How the normalised columns `have` become canonical rows: SQL over the accepted rows alone
    (what depends on all of them, a scrape's newest post, is a window over them), so the same
    plan finishes the rows in the statement that normalises them."""
    fmt = item.fmt
    exprs: dict[str, str] = {c: c for c in have}
    params: dict[str, Any] = {"source_file": item.sheet.name, "fallback_account": item.account}
    utc_times = fmt.kind == "scraper_videos" and "posted_at" in have
    if utc_times:  # stored as they are, marked as UTC, until the account's zone moves them
        exprs["posted_zone"] = "CASE WHEN posted_at IS NOT NULL THEN 'UTC' END"
    exprs["source_file"] = "$source_file"
    exprs["snapshot_date"] = "$snapshot_date"
    params["snapshot_date"] = item.export_date or date.today()
    if (
        fmt.kind in ("scraper_videos", "mapped_videos")
        and item.basis
        and item.basis.startswith("assumed")
        and "posted_at" in have
    ):
        # A scrape carries no date of its own; it is at least as recent as its newest post. Using
        # today instead would let an old scrape override a newer Studio export's counts.
        exprs["snapshot_date"] = "coalesce(CAST(max(posted_at) OVER () AS DATE), $snapshot_date)"
    for key, value in fmt.constants.items():
        exprs[key] = f"$constant_{key}"
        params[f"constant_{key}"] = value
    if "account" in have:
        handles = ["account", *([link_handle_sql("url")] if "url" in have else [])]
        exprs["account"] = f"ltrim(coalesce({', '.join(handles)}, $fallback_account), '@')"
    else:
        exprs["account"] = "$fallback_account"
    derived: list[tuple[str, str]] = []
    if fmt.table == "videos_raw":
        derived.append(("finished_video_id", _video_id(have)))
        exprs["video_id"] = "finished_video_id"
        if fmt.kind == "studio_content" and "posted_at" in have:
            derived.append(("id_day", _ID_DAY))
            exprs["posted_at"] = _year_from_video_id()
        if "posted_at" in have and fmt.constants.get("posted_time_known") is True:
            exprs["posted_time_known"] = (
                "coalesce(posted_at IS NOT NULL AND posted_at <> date_trunc('day', posted_at), false)"
            )
    if fmt.kind in PROVISIONAL_KINDS:
        # The newest day of the accepted rows (all of them: finish reads only those), read where
        # the rows are: with no rows there is nothing to mark.
        exprs["provisional"] = f"coalesce(date > CAST(max(date) OVER () AS DATE) - {PROVISIONAL_DAYS}, false)"
    elif fmt.table == "daily_raw":
        exprs["provisional"] = "false"
    return FinishPlan(exprs, params, derived, utc_times)


def _video_id(have: set[str]) -> str:
    """The id the file gives; else the one in the video link; else a stable id from the title and
    the posting date (the 2022-23 Video Posts export has no link)."""
    title = "coalesce(title, '')" if "title" in have else "''"
    posted = "coalesce(CAST(posted_at AS VARCHAR), '')" if "posted_at" in have else "''"
    parts = [
        *(["video_id"] if "video_id" in have else []),
        *([link_video_id_sql("url")] if "url" in have else []),
        f"'t' || md5({title} || '|' || {posted})",
    ]
    return f"coalesce({', '.join(parts)})"


def _year_from_video_id() -> str:
    """Correct the year of a yearless posting date with the time TikTok writes into the video id.

    Content.csv lists videos in no useful order, and one posted more than a year before the
    export would get the wrong year from the export date alone. The id's date is used only when
    it agrees with the file's day and month (one day of time-zone slack); otherwise the
    export-date year stands. Of the years around the id's, the latest that fits wins.
    """

    def candidate(shift: int) -> str:
        return (
            f"TRY_CAST(printf('%04d-%02d-%02d', year(id_day) + ({shift}), month(posted_at), "
            "day(posted_at)) AS DATE)"
        )

    cases = " ".join(
        f"WHEN abs(date_diff('day', {candidate(shift)}, id_day)) <= 1 THEN CAST({candidate(shift)} AS TIMESTAMP)"
        for shift in (1, 0, -1)
    )
    return f"CASE WHEN posted_at IS NULL OR id_day IS NULL THEN posted_at {cases} ELSE posted_at END"


def describe(
    result: FileResult,
    item: LoadedSheet,
    net_counts: dict[str, str],
    never_negative: set[str] | frozenset[str] = frozenset(),
) -> int:
    """Date range, the account(s) and the things worth a note (likes above views, repeated rows,
    days below zero: `net_counts` maps the net count columns to the file's headers, of which those
    in `never_negative` were read from digits only), from one pass over the finished rows; returns
    how many there are."""
    fmt, reader = item.fmt, item.reader
    have = set(reader.columns)
    date_column = "date" if "date" in have else "posted_at" if "posted_at" in have else None
    facts: list[tuple[str, str]] = [("rows", "count(*)")]
    if date_column:
        facts += [
            ("date_from", f"CAST(min({date_column}) AS DATE)"),
            ("date_to", f"CAST(max({date_column}) AS DATE)"),
        ]
    if {"likes", "views"} <= have:
        facts.append(("likes_above_views", "count(*) FILTER (WHERE likes > views)"))
    key = {"daily_raw": "date", "videos_raw": "video_id"}.get(fmt.table)
    if key and (key in have or key == "video_id"):
        # NULL keys are equal here, as in a DISTINCT: two rows of no date repeat each other.
        facts.append(("repeated", f"count(*) - count(DISTINCT {{'account': account, 'key': {key}}})"))
    net = [c for c in net_counts if c in have]
    # A count read from digits alone is never below zero: not counted (each count cost planning).
    signed = [c for c in net if c not in never_negative]
    if signed:
        facts.append(("negative_days", f"count(*) FILTER (WHERE {' OR '.join(f'{c} < 0' for c in signed)})"))
        facts += [(f"negative_{c}", f"count(*) FILTER (WHERE {c} < 0)") for c in signed]
    if "account" in have:
        unnamed = item.account == DEFAULT_ACCOUNT  # rows that name no handle are filed under it
        if unnamed:
            facts.append(("unnamed", "count(*) FILTER (WHERE account = $fallback)"))
        found = reader.facts(facts, params={"fallback": DEFAULT_ACCOUNT} if unnamed else None)
    else:  # every row has the fallback account (finish_rows): no need to count them
        found = {
            **reader.facts(facts, top=None),
            "accounts": int(item.account is not None),
            "top_accounts": [item.account],
        }
    found.update({f"negative_{c}": 0 for c in net if c not in signed})
    if found.get("date_from") is not None:
        result.date_from, result.date_to = found["date_from"], found["date_to"]
    if found["rows"]:
        result.account = str(found["top_accounts"][0])
        if found["accounts"] > 1:
            result.notes.append(
                f"Rows for {found['accounts']} accounts: " + ", ".join(map(str, found["top_accounts"]))
            )
    if found.get("unnamed"):
        result.notes.append(unnamed_note(found["unnamed"], found["rows"]))
    if found.get("likes_above_views"):
        result.notes.append(
            f"{found['likes_above_views']} row(s) have more likes than views: kept, but check them"
        )
    if found.get("repeated"):  # the views keep one row per day or video, so nothing is counted twice
        what = "day" if fmt.table == "daily_raw" else "video"
        result.notes.append(
            f"{found['repeated']} row(s) repeat a {what} of an earlier row: kept, and counted once"
        )
    if fmt.kind in PROVISIONAL_KINDS and found["rows"]:
        result.notes.append(
            f"The last {PROVISIONAL_DAYS} days are provisional (TikTok may still update them)"
        )
    if found.get("negative_days"):
        result.notes.append(_negative_days_note(found, net, net_counts))
    return int(found["rows"])


def _negative_days_note(found: dict[str, Any], columns: list[str], net_counts: dict[str, str]) -> str:
    """One note on the days whose net count is below zero: how many, in which columns, and why
    they are kept (`net_counts`: canonical column -> the file's header)."""
    per_column = [
        f"'{net_counts[c]}' on {found[f'negative_{c}']:,}" for c in columns if found[f"negative_{c}"]
    ]
    why = []
    if found.get("negative_comments"):
        why.append(
            "TikTok counts comments net of deleted ones, so a day when more were deleted than written is below zero"
        )
    if any(found[f"negative_{c}"] for c in columns if c != "comments"):
        why.append("its other daily counts are net as well (likes taken back, views it discounted later)")
    return (
        f"{found['negative_days']:,} day(s) have a negative count ({', '.join(per_column)}): kept and summed as they are, "
        f"because {'; '.join(why)}"
    )


__all__ = [
    "carries_utc_times",
    "PROVISIONAL_DAYS",
    "PROVISIONAL_KINDS",
    "FinishPlan",
    "describe",
    "finish_plan",
    "finish_rows",
]
