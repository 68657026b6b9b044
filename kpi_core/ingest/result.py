"""What happened to one table of one upload (`FileResult`), and the sentences for failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

UNEXPECTED = "could not be read because of a problem on our side"


@dataclass
class FileResult:
    """What happened to one table of one upload (a ZIP gives one result per CSV inside)."""

    name: str
    kind: str | None = None
    label: str = ""
    account: str | None = None
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # {line, column, reason}
    date_from: date | None = None
    date_to: date | None = None
    date_basis: str | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None  # set when the file could not be read at all
    needs_mapping: dict[str, Any] | None = None  # {"headers": [...], "suggestion": {...}}
    # Set when this file named the handle of data read earlier without one: those rows, filed
    # under DEFAULT_ACCOUNT until now, moved to this file's account.
    took_over: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def as_dict(self) -> dict[str, Any]:
        """The command line's per-file JSON object."""
        return {
            "name": self.name,
            "kind": self.kind,
            "account": self.account,
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "errors": self.errors,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "date_basis": self.date_basis,
            "notes": self.notes,
            "error": self.error,
            **({"needs_mapping": self.needs_mapping} if self.needs_mapping else {}),
        }


def unexpected(name: str, exc: Exception) -> str:
    """The sentence for an error no check of ours foresaw (the tests look for UNEXPECTED)."""
    return f"{name}: {UNEXPECTED} ({type(exc).__name__}: {first_line(exc)}). Save it again as CSV UTF-8 and upload that"


def first_line(exc: Exception) -> str:
    """The first line of an exception's message (at most 200 characters), or its type's name."""
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def summary_frame(results: list[FileResult]) -> pd.DataFrame:
    """One row per read table, as the upload page shows it."""
    return pd.DataFrame(
        [
            {
                "file": r.name,
                "kind": r.label or r.kind or "not read",
                "account": r.account,
                "from": r.date_from,
                "to": r.date_to,
                "rows": r.rows,
                "accepted": r.accepted,
                "rejected": r.rejected,
                "years from": r.date_basis,
                "problem": r.error,
            }
            for r in results
        ],
        columns=[
            "file",
            "kind",
            "account",
            "from",
            "to",
            "rows",
            "accepted",
            "rejected",
            "years from",
            "problem",
        ],
    )
