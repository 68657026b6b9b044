"""The shelf the untouched demo's results are shared on (ui/demo_results.py): made once, kept
within its byte budget, the least recently used let go first."""

from __future__ import annotations

import pickle

from ui.demo_results import SharedShelf


def maker(calls: list[str], value: object):  # type: ignore[no-untyped-def]
    def make() -> object:
        calls.append(str(value))
        return value

    return make


def size(value: object) -> int:
    return len(pickle.dumps(value, protocol=5))


def test_a_result_is_made_once_even_when_it_is_none():
    shelf, calls = SharedShelf(budget=10_000), []
    assert shelf.get("a", maker(calls, None)) is None
    assert shelf.get("a", maker(calls, "other")) is None
    assert calls == ["None"]
    assert shelf.size == size(None)


def test_past_the_budget_the_least_recently_used_results_go_first():
    value = "x" * 1000
    shelf, calls = SharedShelf(budget=3 * size(value)), []
    for key in "abc":
        shelf.get(key, maker(calls, value))
    shelf.get("a", maker(calls, value))  # a is used again: b is now the oldest
    shelf.get("d", maker(calls, value))
    assert [key for key, _ in shelf.items()] == ["c", "a", "d"]
    assert shelf.size == 3 * size(value)
    shelf.get("b", maker(calls, value))  # let go, so made again
    assert len(calls) == 5


def test_a_result_larger_than_the_budget_is_returned_but_not_kept():
    shelf, calls = SharedShelf(budget=100), []
    big = list(range(1000))
    assert shelf.get("big", maker(calls, big)) == big
    assert shelf.items() == [] and shelf.size == 0
    shelf.get("big", maker(calls, big))
    assert len(calls) == 2
