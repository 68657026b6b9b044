"""Sheets that are not a TikTok export we know: a column mapping onto the canonical vocabulary
(`formats.MAPPABLE_VIDEO`, `formats.MAPPABLE_DAILY`), suggested from the header names or given by
the user, and the Format a mapping makes."""

from __future__ import annotations

import re

from kpi_core.ingest.formats import (
    CANONICAL_TARGETS,
    MAPPABLE_DAILY,
    MAPPABLE_VIDEO,
    Column,
    Format,
    normalise_header,
)

MAPPING_PARSERS = {
    "video_id": "text",
    "title": "text",
    "url": "text",
    "posted_at": "datetime",
    "account": "text",
    "date": "day",
    "likes": "count",
    "views": "count",
    "comments": "count",
    "shares": "count",
    "saves": "count",
    "profile_views": "count",
    "followers": "count",
}
# A per-day sheet's counts of these are the day's net change, which can be below zero.
NET_DAILY_TARGETS = frozenset({"likes", "views", "comments", "shares", "profile_views"})


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """Canonical column -> the file's header that looks like it, from known aliases."""
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(normalise_header(h), h)
    suggestion: dict[str, str] = {}
    for target in CANONICAL_TARGETS:
        aliases = MAPPABLE_VIDEO.get(target, ()) + MAPPABLE_DAILY.get(target, ())
        for alias in aliases:
            if alias in by_norm and by_norm[alias] not in suggestion.values():
                suggestion[target] = by_norm[alias]
                break
    return suggestion


def mapped_format(mapping: dict[str, str]) -> Format:
    """A Format built from a user's (or suggested) mapping: canonical column -> header.

    Rows are per video when a video id, title or posting time is mapped, else per day.
    Raises ValueError when the mapping cannot make either.
    """
    unknown = set(mapping) - set(MAPPING_PARSERS)
    if unknown:
        raise ValueError(
            f"unknown column(s) {', '.join(sorted(unknown))}; choose from {', '.join(CANONICAL_TARGETS)}"
        )
    if not {"likes", "views"} & set(mapping):
        raise ValueError("map at least likes or views")
    per_video = bool({"video_id", "title", "posted_at", "url"} & set(mapping))
    if not per_video and "date" not in mapping:
        raise ValueError("map a date (per-day rows) or a video id, title or posting time (per-video rows)")
    columns = []
    unused = []
    for target, header in mapping.items():
        if per_video and target == "date":
            target = "posted_at"
        if not per_video and target not in MAPPABLE_DAILY:
            unused.append((re.escape(normalise_header(header)), f"a per-day sheet has no {target} column"))
            continue
        parser = MAPPING_PARSERS[target]
        if not per_video and target in NET_DAILY_TARGETS:
            parser = "net_count"  # a day's count, net like TikTok's own (comments net of deleted ones)
        columns.append(Column(target, parser, (normalise_header(header),), required=target in ("date",)))
    if per_video:
        return Format(
            "mapped_videos",
            "videos_raw",
            "Your per-video sheet (mapped)",
            frozenset(),
            tuple(columns),
            constants={"posted_time_known": True},
        )
    return Format(
        "mapped_daily",
        "daily_raw",
        "Your per-day sheet (mapped)",
        frozenset(),
        tuple(columns),
        unused=tuple(unused),
    )


def suggestion_is_usable(suggestion: dict[str, str]) -> bool:
    try:
        mapped_format(suggestion)
    except ValueError:
        return False
    return True
