"""The headers a file has that its format does not store: each one is named in a note with the
reason, never dropped in silence."""

from __future__ import annotations

import re

from kpi_core.ingest.formats import RECOGNISED, Format, normalise_header

_COLUMN_WORDS = {"posted_at": "posting time", "title": "caption", "video_id": "video id", "url": "link"}
# Headers some recognised format stores: in a file of another format they are named, not dropped.
_STORED_BY_SOME_FORMAT = frozenset(h for f in RECOGNISED for c in f.columns for h in c.headers)


def unused_columns(fmt: Format, header: list[str]) -> list[str]:
    """Notes naming each header of the file that `fmt` knows but does not store, and why: one per
    reason. A header that only repeats another one feeding the same column says which one is used;
    a header another format would store (an extra "Likes" in a Content file) is named too."""
    normalised = [normalise_header(h) for h in header]
    used: set[str] = set()
    by_reason: dict[str, list[str]] = {}
    for column in fmt.columns:
        present = [h for h in column.headers if h in normalised]
        used.update(present[:1])
        for alternative in present[1:]:
            first = header[normalised.index(present[0])].strip()
            what = _COLUMN_WORDS.get(column.target, column.target.replace("_", " "))
            reason = f"'{first}' gives the same {what}"
            by_reason.setdefault(reason, []).append(alternative)
    alternatives = {n for names in by_reason.values() for n in names}
    for name in dict.fromkeys(normalised):  # each header once, in the file's order
        if name in used or name in alternatives:
            continue
        for pattern, reason in fmt.unused:
            if re.fullmatch(pattern, name):
                by_reason.setdefault(reason, []).append(name)
                break
        else:
            if name in _STORED_BY_SOME_FORMAT and not fmt.kind.startswith("mapped_"):
                reason = f"a {fmt.label} is read for its own columns only"
                by_reason.setdefault(reason, []).append(name)
    notes = []
    for reason, names in by_reason.items():
        named = [header[normalised.index(n)].strip() for n in dict.fromkeys(names) if n not in used]
        if named:
            listed = ", ".join(f"'{h}'" for h in named)
            verb = "is" if len(named) == 1 else "are"
            notes.append(f"Column{'s' if len(named) > 1 else ''} {listed} {verb} not stored: {reason}")
    return notes
