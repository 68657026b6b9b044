"""Counts as exports and spreadsheets write them: 1234, "1,234", "1.2K", "3.4M", "undefined".

The SQL macro `count_value` in store.py does the same on whole columns; this Python version is
the readable reference and the property tests check the two agree.
"""

from __future__ import annotations

import math
import re

MISSING = frozenset({"", "undefined", "#n/a", "n/a", "na", "-", "--", "null", "none", "nan"})
_SUFFIX = {"K": 1e3, "M": 1e6, "B": 1e9}


def is_missing(text: str | None) -> bool:
    """True for the markers exports use for "no data" (never read as 0)."""
    return text is None or text.replace("\u00a0", " ").strip().lower() in MISSING


def parse_count(text: str | None) -> int | None:
    """A whole non-negative count, None when missing; ValueError when it is not a count.

    >>> parse_count("1.2K"), parse_count("1,234"), parse_count("undefined")
    (1200, 1234, None)
    """
    if is_missing(text):
        return None
    assert text is not None
    t = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").upper()
    if re.fullmatch(r"[0-9]{1,18}", t):
        return int(t)
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", t):
        return int(t.replace(",", ""))
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", t):
        return int(t.replace(".", ""))
    if re.fullmatch(r"[0-9]{1,15}\.0+", t):
        return int(t.split(".")[0])
    if re.fullmatch(r"[0-9]{1,12}([.,][0-9]{1,6})?[KMB]", t):
        # Half away from zero, as DuckDB's round() does.
        return math.floor(float(t[:-1].replace(",", ".")) * _SUFFIX[t[-1]] + 0.5)
    if re.fullmatch(r"[-−][0-9.,]+[KMB]?", t):
        raise ValueError("is negative")
    raise ValueError("is not a count")
