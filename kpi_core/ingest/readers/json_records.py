"""JSON uploads: scraper record lists (Apify, tiktok-scraper, TikTokApi) and the posts of TikTok's
"Download your data" archive, flattened with "/" as Apify's own CSV does, after a size check that
bounds the memory parsing costs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pandas as pd

from kpi_core.errors import IngestError
from kpi_core.ingest import limits
from kpi_core.ingest.readers.sheet import Sheet


def check_json_size(name: str, data: bytes) -> None:
    """Refuse JSON that would take too much memory to parse, before `json.loads` sees it.

    Parsed JSON costs about 50-100 bytes of Python objects per value whatever the bytes say:
    50 MB of `[1,1,1,...]` is 25 million values. Commas and brackets bound the number of values
    from above (those inside strings make the count cautious, never lenient).
    """
    if len(data) > limits.MAX_JSON_BYTES:
        raise IngestError(
            name,
            f"is {len(data) / 1e6:.0f} MB of JSON, over the {limits.MAX_JSON_BYTES // 2**20} MB limit",
            "Split the scrape into smaller files",
        )
    values = data.count(b",") + data.count(b"[") + data.count(b"{")
    if values > limits.MAX_JSON_VALUES:
        raise IngestError(
            name,
            f"holds about {values:,} JSON values, over the {limits.MAX_JSON_VALUES:,} we read",
            "Split the scrape into smaller files",
        )


def read_json(name: str, text: str) -> Sheet:
    try:
        document = json.loads(text)
        records = _json_records(document)
        archive = _archive_posts(document) if records is None else None
        if archive is not None:
            records = archive.posts
        # A list of numbers or strings is not a scrape: say so rather than ask for a mapping.
        if records is None or not any(isinstance(r, dict) for r in records):
            raise IngestError(
                name,
                "is JSON but holds no list of video records",
                'Upload the scraper\'s output: a list of videos, or {"collector": [...]}',
            )
        if len(records) > limits.MAX_JSON_RECORDS:
            raise IngestError(
                name,
                f"holds {len(records):,} records, more than the {limits.MAX_JSON_RECORDS:,} we read",
                "Split the scrape into smaller files",
            )
        flat = [_flatten(r) if isinstance(r, dict) else {"value": _text(r)} for r in records]
    except RecursionError:  # json.loads, or json.dumps of a deep value inside a record
        raise IngestError(
            name, "is JSON nested too deeply to be an export", "Upload the scraper's record list"
        ) from None
    except json.JSONDecodeError as exc:
        raise IngestError(
            name,
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            "Export it again from the scraper",
        ) from None
    header: list[str] = list(dict.fromkeys(k for r in flat for k in r))
    if len(header) > limits.MAX_COLUMNS:
        raise IngestError(
            name,
            f"has {len(header)} different fields, more than the {limits.MAX_COLUMNS} we read",
            "Upload the scraper's video records only",
        )
    body = [[r.get(k) for k in header] for r in flat]
    frame = pd.DataFrame(body, columns=[f"c{i}" for i in range(len(header))], dtype="string")
    sheet = Sheet(name, header, frame=frame, line_numbers=False)
    if archive is not None:
        sheet.notes.append(archive.note())
        if archive.handle:
            sheet.hints["account"] = archive.handle
    return sheet


def _text(value: object) -> str:
    # NULs are dropped from CSV text when it is decoded; JSON's "\u0000" gets the same treatment.
    return str(value).replace("\x00", "")


def _json_records(document: object) -> list[object] | None:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in ("collector", "items", "itemList", "data", "videos", "results"):
            value = document.get(key)
            if isinstance(value, list):
                return value
    return None


def _flatten(record: dict[str, object], prefix: str = "", depth: int = 0) -> dict[str, str | None]:
    """{'authorMeta': {'fans': 5}} -> {'authorMeta/fans': '5'}; lists by index, as Apify's CSV does."""
    flat: dict[str, str | None] = {}
    for key, value in record.items():
        path = _text(f"{prefix}{key}")
        if isinstance(value, dict) and depth < limits.MAX_JSON_DEPTH:
            flat.update(_flatten(value, f"{path}/", depth + 1))
        elif isinstance(value, list) and depth < limits.MAX_JSON_DEPTH:
            flat.update(_flatten({str(i): v for i, v in enumerate(value[:50])}, f"{path}/", depth + 1))
        elif value is None:
            flat[path] = None
        elif isinstance(value, bool):
            flat[path] = "true" if value else "false"
        elif isinstance(value, dict | list):
            flat[path] = _text(json.dumps(value)[:1000])
        else:
            flat[path] = _text(value)
    return flat


# "Download your data" lists the account's own posts as records with these keys (any case),
# wherever the archive of a given year nests them (Post > Posts > VideoList, Video > Videos > ...).
_POST_KEYS = frozenset({"date", "likes", "link"})
_HANDLE = re.compile(r"[A-Za-z0-9._]{2,30}")


@dataclass
class _Archive:
    """The posts found in a data archive, the record lists that are not posts, and the handle."""

    posts: list[object] = field(default_factory=list)
    read_from: list[str] = field(default_factory=list)  # paths of the post lists
    skipped: list[tuple[str, int]] = field(default_factory=list)  # (path, records) of other lists
    handle: str | None = None

    def note(self) -> str:
        read = f"Posts read from {', '.join(self.read_from)}"
        if not self.skipped:
            return read
        others = ", ".join(f"{path} ({n:,} records)" for path, n in self.skipped)
        return (
            f"{read}; skipped as not your posts (comments, favourites, watch history and the like): {others}"
        )


def _archive_posts(document: object) -> _Archive | None:
    """The account's own posts in a "Download your data" archive (or one part of a split one),
    recognised by their records, not by where they sit; None when it holds no such list."""
    if not isinstance(document, dict):
        return None
    archive = _Archive()
    for path, records in _record_lists(document, ()):
        shown = " > ".join(path)
        dicts = [r for r in records if isinstance(r, dict)]
        if dicts and all(_POST_KEYS <= {str(k).casefold() for k in r} for r in dicts):
            archive.posts.extend(records)
            archive.read_from.append(shown)
        else:
            archive.skipped.append((shown, len(records)))
    if not archive.posts:
        return None
    profile = next((v for k, v in document.items() if str(k).casefold() == "profile"), None)
    archive.handle = _profile_handle(profile, 0)
    return archive


def _record_lists(
    node: dict[str, object], path: tuple[str, ...]
) -> list[tuple[tuple[str, ...], list[object]]]:
    """Every list holding records (dicts) in the archive's sections, with its path, in file order."""
    found: list[tuple[tuple[str, ...], list[object]]] = []
    if len(path) >= limits.MAX_JSON_DEPTH:
        return found
    for key, value in node.items():
        here = (*path, _text(key))
        if isinstance(value, dict):
            found.extend(_record_lists(value, here))
        elif isinstance(value, list) and any(isinstance(r, dict) for r in value):
            found.append((here, value))
    return found


def _profile_handle(node: object, depth: int) -> str | None:
    """The user name the archive's Profile section gives ("userName"), when it is a handle."""
    if not isinstance(node, dict) or depth > limits.MAX_JSON_DEPTH:
        return None
    for key, value in node.items():
        if str(key).casefold() in ("username", "user name") and isinstance(value, str):
            name = value.strip().removeprefix("@")
            return name if _HANDLE.fullmatch(name) else None
    for value in node.values():
        found = _profile_handle(value, depth + 1)
        if found:
            return found
    return None
