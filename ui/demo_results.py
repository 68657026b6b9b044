"""What the pages computed from the untouched demo, shared by every session of the server.

The demo account is public and the same for every visitor, and every visitor starts on it: a new
session's first pages would otherwise compute again, in a store of its own, what the previous
visitor's had just computed. `ui/session.py` puts a result here only while its session shows the
demo exactly as loaded; anything computed from a visitor's own data stays in that session.

A shelf holds at most `budget` bytes of results (their pickled size), the least recently used
going first: one simulated goal window is 1.4 MB, and visitors who try many windows on the demo
must not make the server hold all of them. A result that holds another (an assessment holds its
simulation) is counted whole, so the budget errs towards holding less.

What a visitor asks of the demo (a goal's target, a what-if scenario) is part of a key here: a
later visitor asking the same gets the answer sooner, which is all they could learn of it.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

__all__ = ["SharedShelf"]

T = TypeVar("T")


class SharedShelf:
    """Results by key for every session, least recently used out first past `budget` bytes.

    Sessions run in threads of their own: a lock guards the order and the sizes, never the making
    of a result (two sessions may both make one; the value is the same either way).
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._values: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The result under `key`, made by `make()` the first time (or after it was let go)."""
        with self._lock:
            held = self._values.get(key)
            if held is not None:
                self._values.move_to_end(key)
                return held[0]  # type: ignore[return-value]
        value = make()
        size = len(pickle.dumps(value, protocol=5))
        with self._lock:
            if key not in self._values and size <= self.budget:
                self._values[key] = (value, size)
                self._bytes += size
                while self._bytes > self.budget:
                    _, (_, dropped) = self._values.popitem(last=False)
                    self._bytes -= dropped
        return value

    def items(self) -> list[tuple[Hashable, object]]:
        """Every key and result held, least recently used first."""
        with self._lock:
            return [(key, value) for key, (value, _) in self._values.items()]

    @property
    def size(self) -> int:
        """Bytes held (pickled sizes)."""
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._bytes = 0
