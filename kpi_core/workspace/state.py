"""What a session holds besides its tables, as plain JSON values: the upload log, the column
mappings chosen, goals, content rules, the sidebar's choices and the what-if scenario.

Reading is strict: `from_json` raises ValueError on any value of the wrong shape, so a workspace
file either restores all of its state or none of it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from kpi_core.ingest import FileResult
from kpi_core.metrics.benchmarks import FIT_KEYS
from kpi_core.metrics.registry import GOAL_METRICS
from kpi_core.planning.goals import Goal
from kpi_core.planning.levers import LEVERS

__all__ = ["LEVER_KEYS", "MappingChoice", "ScenarioState", "SessionState", "file_result_from_json"]

LEVER_KEYS: tuple[str, ...] = tuple(lv.url_key for lv in LEVERS.values())  # as a link names them


# ---------------------------------------------------------------------------------------------
# Checked readers of JSON values


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise ValueError(what)


def _text(value: object, what: str, *, optional: bool = False, limit: int = 10_000) -> str | None:
    if value is None and optional:
        return None
    _expect(isinstance(value, str) and len(value) <= limit, f"{what} is not a text")
    return str(value)


def _number(value: object, what: str, *, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    _expect(
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value),
        f"{what} is not a number",
    )
    return float(value)  # type: ignore[arg-type]


def _count(value: object, what: str) -> int:
    _expect(isinstance(value, int) and not isinstance(value, bool) and value >= 0, f"{what} is not a count")
    return int(value)  # type: ignore[call-overload]


def _day(value: object, what: str, *, optional: bool = True) -> date | None:
    if value is None and optional:
        return None
    try:
        return date.fromisoformat(str(_text(value, what)))
    except ValueError:
        raise ValueError(f"{what} is not a date") from None


def _list(value: object, what: str) -> list[Any]:
    _expect(isinstance(value, list), f"{what} is not a list")
    return value  # type: ignore[return-value]


def _object(value: object, what: str) -> dict[str, Any]:
    _expect(isinstance(value, dict), f"{what} is not an object")
    return value  # type: ignore[return-value]


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


# ---------------------------------------------------------------------------------------------
# The what-if scenario


@dataclass(frozen=True)
class ScenarioState:
    """The What-if page's scenario: a goal's fields and each lever's value in the lever's own unit
    (percent change for a relative lever, posts per week for posting), keyed by the lever's
    `url_key`; with the account and the last day of data it was made on.

    A field left None is not set (a link may carry only some): the page fills it from the account's
    defaults. Example: ScenarioState("likes", 60_000, levers={"posts_per_week": 6}, account="brand").
    """

    metric: str | None = None
    target: float | None = None
    start: date | None = None
    deadline: date | None = None
    levers: Mapping[str, float] = field(default_factory=dict)
    account: str | None = None
    data_to: date | None = None

    def with_defaults(self, defaults: ScenarioState) -> ScenarioState:
        """Every goal field and lever left unset here taken from `defaults` (where the scenario was
        made, `account` and `data_to`, stays as it is)."""
        return replace(
            self,
            metric=self.metric if self.metric is not None else defaults.metric,
            target=self.target if self.target is not None else defaults.target,
            start=self.start if self.start is not None else defaults.start,
            deadline=self.deadline if self.deadline is not None else defaults.deadline,
            levers={**defaults.levers, **self.levers},
        )

    @property
    def complete(self) -> bool:
        """Every goal field and every lever is set."""
        goal = (self.metric, self.target, self.start, self.deadline)
        return None not in goal and all(k in self.levers for k in LEVER_KEYS)

    def to_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "target": self.target,
            "start": _iso(self.start),
            "deadline": _iso(self.deadline),
            "levers": {k: self.levers[k] for k in LEVER_KEYS if k in self.levers},
            "account": self.account,
            "data_to": _iso(self.data_to),
        }

    @classmethod
    def from_json(cls, data: object) -> ScenarioState:
        obj = _object(data, "the scenario")
        metric = _text(obj.get("metric"), "the scenario's metric", optional=True)
        _expect(metric is None or metric in GOAL_METRICS, "the scenario's metric is unknown")
        levers = _object(obj.get("levers", {}), "the scenario's levers")
        _expect(set(levers) <= set(LEVER_KEYS), "the scenario names a lever this app does not have")
        return cls(
            metric=metric,
            target=_number(obj.get("target"), "the scenario's target", optional=True),
            start=_day(obj.get("start"), "the scenario's start"),
            deadline=_day(obj.get("deadline"), "the scenario's deadline"),
            levers={k: float(_number(v, f"the lever {k}") or 0.0) for k, v in levers.items()},
            account=_text(obj.get("account"), "the scenario's account", optional=True, limit=100),
            data_to=_day(obj.get("data_to"), "the scenario's data_to"),
        )


# ---------------------------------------------------------------------------------------------
# The upload log


def file_result_to_json(r: FileResult) -> dict[str, Any]:
    """A `FileResult` as JSON values (every field, so the upload page shows it as it was)."""
    return {
        "name": r.name,
        "kind": r.kind,
        "label": r.label,
        "account": r.account,
        "rows": r.rows,
        "accepted": r.accepted,
        "rejected": r.rejected,
        "errors": r.errors,
        "date_from": _iso(r.date_from),
        "date_to": _iso(r.date_to),
        "date_basis": r.date_basis,
        "notes": r.notes,
        "error": r.error,
        "needs_mapping": r.needs_mapping,
        "took_over": r.took_over,
    }


def file_result_from_json(data: object) -> FileResult:
    obj = _object(data, "an upload log entry")
    errors = []
    for e in _list(obj.get("errors", []), "an upload's rejected rows"):
        e = _object(e, "a rejected row")
        line = e.get("line")
        _expect(
            line is None or (isinstance(line, int) and not isinstance(line, bool)), "a line is not a number"
        )
        errors.append(
            {
                "line": line,
                "column": _text(e.get("column"), "a rejected row's column", optional=True),
                "reason": _text(e.get("reason"), "a rejected row's reason"),
            }
        )
    needs = obj.get("needs_mapping")
    if needs is not None:
        needs = _object(needs, "a pending mapping")
        needs = {
            "headers": [_text(h, "a header") for h in _list(needs.get("headers"), "a file's headers")],
            "suggestion": {
                str(_text(k, "a column")): _text(v, "a header")
                for k, v in _object(needs.get("suggestion"), "a mapping suggestion").items()
            },
        }
    return FileResult(
        name=str(_text(obj.get("name"), "an upload's name", limit=1000)),
        kind=_text(obj.get("kind"), "an upload's kind", optional=True),
        label=str(_text(obj.get("label", ""), "an upload's label")),
        account=_text(obj.get("account"), "an upload's account", optional=True),
        rows=_count(obj.get("rows"), "an upload's rows"),
        accepted=_count(obj.get("accepted"), "an upload's accepted rows"),
        rejected=_count(obj.get("rejected"), "an upload's rejected rows"),
        errors=errors,
        date_from=_day(obj.get("date_from"), "an upload's first day"),
        date_to=_day(obj.get("date_to"), "an upload's last day"),
        date_basis=_text(obj.get("date_basis"), "an upload's date basis", optional=True),
        notes=[str(_text(n, "an upload's note")) for n in _list(obj.get("notes", []), "an upload's notes")],
        error=_text(obj.get("error"), "an upload's error", optional=True),
        needs_mapping=needs,
        took_over=_text(obj.get("took_over"), "an upload's earlier account", optional=True),
    )


@dataclass(frozen=True)
class MappingChoice:
    """The columns a user mapped for a sheet that is not a known export: a later sheet with the
    same headers is read with the same mapping."""

    name: str
    headers: tuple[str, ...]
    mapping: Mapping[str, str]  # canonical column -> the sheet's header

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "headers": list(self.headers), "mapping": dict(self.mapping)}

    @classmethod
    def from_json(cls, data: object) -> MappingChoice:
        obj = _object(data, "a column mapping")
        mapping = _object(obj.get("mapping"), "a column mapping")
        return cls(
            name=str(_text(obj.get("name"), "a mapped file's name", limit=1000)),
            headers=tuple(str(_text(h, "a header")) for h in _list(obj.get("headers"), "a file's headers")),
            mapping={str(_text(k, "a column")): str(_text(v, "a header")) for k, v in mapping.items()},
        )


# ---------------------------------------------------------------------------------------------
# The session


VIEW_KEYS = ("account", "period", "custom_range", "include_provisional")


@dataclass(frozen=True)
class SessionState:
    """Everything of a session a workspace keeps besides the store's tables.

    `goals` are `Goal.to_dict()` values; `content_rules` the Content page's own groups
    ({"name", "text"}); `benchmark_fit` the Benchmarks page's industry and follower band (FIT_KEYS); `view` the sidebar's choices (account, period, custom_range as two ISO
    days, include_provisional); `demo` says the tables are the built-in demo account's.
    """

    uploads: tuple[FileResult, ...] = ()
    mappings: tuple[MappingChoice, ...] = ()
    goals: tuple[dict[str, Any], ...] = ()
    scenario: ScenarioState | None = None
    content_rules: tuple[dict[str, str], ...] = ()
    benchmark_fit: Mapping[str, str] = field(default_factory=dict)
    view: Mapping[str, Any] = field(default_factory=dict)
    demo: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "uploads": [file_result_to_json(r) for r in self.uploads],
            "mappings": [m.to_json() for m in self.mappings],
            "goals": [Goal.from_dict(g).to_dict() for g in self.goals],
            "scenario": None if self.scenario is None else self.scenario.to_json(),
            "content_rules": [dict(r) for r in self.content_rules],
            "benchmark_fit": dict(self.benchmark_fit),
            "view": dict(self.view),
            "demo": self.demo,
        }

    @classmethod
    def from_json(cls, data: object) -> SessionState:
        obj = _object(data, "the session")
        goals = []
        for g in _list(obj.get("goals", []), "the goals"):
            try:
                goals.append(Goal.from_dict(_object(g, "a goal")).to_dict())
            except (TypeError, KeyError) as exc:
                raise ValueError(f"a goal is incomplete ({exc})") from None
        rules = []
        for r in _list(obj.get("content_rules", []), "the content rules"):
            r = _object(r, "a content rule")
            rules.append(
                {
                    "name": str(_text(r.get("name"), "a content rule's name", limit=200)),
                    "text": str(_text(r.get("text"), "a content rule's text", limit=200)),
                }
            )
        scenario = obj.get("scenario")
        demo = obj.get("demo", False)
        _expect(isinstance(demo, bool), "the demo flag is not true or false")
        return cls(
            uploads=tuple(file_result_from_json(u) for u in _list(obj.get("uploads", []), "the upload log")),
            mappings=tuple(
                MappingChoice.from_json(m) for m in _list(obj.get("mappings", []), "the mappings")
            ),
            goals=tuple(goals),
            scenario=None if scenario is None else ScenarioState.from_json(scenario),
            content_rules=tuple(rules),
            benchmark_fit=_fit(obj.get("benchmark_fit", {})),
            view=_view(obj.get("view", {})),
            demo=demo,
        )


def _fit(data: object) -> dict[str, str]:
    """The Benchmarks page's choice: texts under FIT_KEYS. Whether each is still an option is
    checked where it is used (a value no longer offered is dropped there with a note)."""
    obj = _object(data, "the benchmark choice")
    _expect(set(obj) <= set(FIT_KEYS), "the benchmark choice holds an unknown key")
    return {k: str(_text(v, "a benchmark choice", limit=100)) for k, v in obj.items()}


def _view(data: object) -> dict[str, Any]:
    obj = _object(data, "the sidebar's choices")
    _expect(set(obj) <= set(VIEW_KEYS), "the sidebar's choices hold an unknown key")
    view: dict[str, Any] = {}
    if obj.get("account") is not None:
        view["account"] = _text(obj["account"], "the sidebar's account", limit=100)
    if obj.get("period") is not None:
        view["period"] = _text(obj["period"], "the sidebar's period", limit=100)
    if obj.get("custom_range") is not None:
        days = _list(obj["custom_range"], "the sidebar's custom range")
        _expect(len(days) == 2, "the sidebar's custom range is not two days")
        view["custom_range"] = [_iso(_day(d, "a custom range day", optional=False)) for d in days]
    if obj.get("include_provisional") is not None:
        _expect(isinstance(obj["include_provisional"], bool), "the provisional switch is not true or false")
        view["include_provisional"] = obj["include_provisional"]
    return view
