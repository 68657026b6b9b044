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
    gc.disable()  # no collection of Python's own may free it first
    try:
        held = _Cycle(Store())
        store = weakref.ref(held.store)
        del held
        assert store() is not None  # reference counting alone cannot free a cycle
        before = collector.full_collections()
        after = collector.collect_if_none_since(before)
        assert after == before + 1
        assert store() is None
    finally:
        gc.enable()


def test_no_collection_when_python_ran_one_since():
    seen = collector.full_collections()
    gc.collect()
    gc.disable()
    try:
        assert collector.collect_if_none_since(seen) == seen + 1  # Python's own, not another
    finally:
        gc.enable()


def test_one_collector_thread_per_process():
    collector.start()
    collector.start()
    assert [t.name for t in threading.enumerate()].count("kpi-collector") == 1
