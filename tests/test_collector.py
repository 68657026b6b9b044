"""The process's collector (ui/collector.py): ended sessions' stores are freed within a minute."""

from __future__ import annotations

import gc
import threading
import weakref

from kpi_core.store import Store
from ui import collector


class _Cycle:
    """A holder that refers to itself, as Streamlit's forgotten sessions do."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.me = self


def test_a_store_kept_only_by_a_cycle_is_freed_by_the_collection():
    gc.disable()  # no automatic collection may free it first
    # and the collector thread an earlier test of this process may have started waits: a collection
    # of its in progress made this one return at once, collecting nothing (seen in a full run)
    try:
        with collector._collecting:
            held = _Cycle(Store())
            store = weakref.ref(held.store)
            del held
            assert store() is not None  # reference counting alone cannot free a cycle
            before = collector.full_collections()
            assert collector.collect_if_none_since(before) > before
            assert store() is None
    finally:
        gc.enable()


def test_it_collects_only_when_python_ran_no_full_collection_since(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(collector, "full_collections", lambda: 7)  # Python's count, held still
    monkeypatch.setattr(collector.gc, "collect", lambda generation=2: calls.append(generation))
    assert collector.collect_if_none_since(6) == 7  # one ran since 6: no other
    assert calls == []
    assert collector.collect_if_none_since(7) == 7  # none since 7: one now
    assert calls == [2]


def test_one_collector_thread_per_process():
    collector.start()
    collector.start()
    assert [t.name for t in threading.enumerate()].count("kpi-collector") == 1
