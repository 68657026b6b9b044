"""Time zone names as people type them (a base module: every layer may use it)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def check_time_zone(name: str | None) -> None:
    """Raise ValueError with a sentence unless `name` is None or a known IANA time zone."""
    if name is None:
        return
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{name}' is not a time zone we know: use a name like Europe/Berlin or America/New_York"
        ) from None
