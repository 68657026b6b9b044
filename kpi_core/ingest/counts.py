"""Counts as exports and spreadsheets write them: 1234, "1,234", "1.2K", "3.4M", "undefined".

The SQL macros `count_value` and `net_count_value` in store/cell_sql.py do the same on whole
columns; this Python version is the readable reference and the property tests check they agree.
"""

from __future__ import annotations

import math
import re

MISSING = frozenset({"", "undefined", "#n/a", "n/a", "na", "-", "--", "null", "none", "nan"})
_SUFFIX = {"K": 1e3, "M": 1e6, "B": 1e9}
_MAX = 2**63 - 1  # the SQL side stores counts as BIGINT; anything larger is not a count there either


def is_missing(text: str | None) -> bool:
    """True for the markers exports use for "no data" (never read as 0)."""
    return text is None or text.strip().lower() in MISSING


def parse_count(text: str | None) -> int | None:
    """A whole non-negative count, None when missing; ValueError when it is not a count.

    >>> parse_count("1.2K"), parse_count("1,234"), parse_count("undefined")
    (1200, 1234, None)
    """
    if is_missing(text):
        return None
    assert text is not None
    t = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").upper()
    value: int | None = None
    if re.fullmatch(r"[0-9]{1,18}", t):
        value = int(t)
    elif re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", t):
        value = int(t.replace(",", ""))
    elif re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", t):
        value = int(t.replace(".", ""))
    elif re.fullmatch(r"[0-9]{1,15}\.0+", t):
        value = int(t.split(".")[0])
    elif re.fullmatch(r"[0-9]{1,12}([.,][0-9]{1,6})?[KMB]", t):
        # Half away from zero, exactly as DuckDB's round() (C's round) does: `floor(x + 0.5)` would
        # round x + 0.5 itself when x is above 2**52 and could be one too high.
        scaled = float(t[:-1].replace(",", ".")) * _SUFFIX[t[-1]]
        value = math.floor(scaled)
        value += 1 if scaled - value >= 0.5 else 0
    elif re.fullmatch(r"[-−][0-9.,]+[KMB]?", t):
        raise ValueError("is negative")
    if value is None or value > _MAX:
        raise ValueError("is not a count")
    return value


def parse_net_count(text: str | None) -> int | None:
    """A day's net count, which may be below zero (TikTok's daily Comments are net of deleted
    ones): a count, or a minus sign and whole digits; None when missing, ValueError otherwise.

    >>> parse_net_count("-3"), parse_net_count("−1,234"), parse_net_count("1.2K")
    (-3, -1234, 1200)
    """
    if is_missing(text):
        return None
    assert text is not None
    t = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").upper()
    if re.fullmatch(r"[-−]([0-9]{1,18}|[0-9]{1,3}(,[0-9]{3})+|[0-9]{1,3}(\.[0-9]{3})+)", t):
        value = int(re.sub(r"[,.]", "", t[1:]))
        if value > _MAX:
            raise ValueError("is not a count")
        return -value
    try:
        return parse_count(text)
    except ValueError:
        raise ValueError("is not a count") from None  # "-1.2K": a sign on a form net counts do not take
