"""A few recent values by key, shared by every thread (a Streamlit server runs each session on its own thread)."""

from __future__ import annotations

import concurrent.futures
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class LruMemo:
    """The ``size`` most recently used values by key. :meth:`get` returns the remembered value or makes it; the
    making runs outside the lock (another key need not wait), so two threads may both make a missing value and
    the last one is kept."""

    def __init__(self, size: int = 8) -> None:
        self.size = int(size)
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> Any:
        """The remembered value, or None (nothing is made)."""
        with self._lock:
            return self._values.get(key)

    def discard(self, key: Hashable, value: Any) -> None:
        """Forget ``key`` if it still holds ``value`` (a value found wrong, e.g. a failed build, is made afresh by the
        next :meth:`get`; one made since by another thread is kept)."""
        with self._lock:
            if key in self._values and self._values[key] is value:
                del self._values[key]

    def claim(self, key: Hashable) -> tuple[concurrent.futures.Future, bool]:
        """A value made once for every thread: (the future ``key`` holds, whether it is this caller's to make —
        then with :meth:`fulfil`; the others wait for its result)."""
        mine: concurrent.futures.Future = concurrent.futures.Future()
        got = self.get(key, lambda: mine)
        return got, got is mine

    def fulfil(self, key: Hashable, future: concurrent.futures.Future, make: Callable[[], Any]) -> None:
        """Make the value of a claimed ``future`` (:meth:`claim`): its result, or what ``make`` raised, for every
        caller waiting for it; a failed one is not kept (the next caller makes it afresh)."""
        try:
            future.set_result(make())
        except BaseException as exc:
            future.set_exception(exc)
            self.discard(key, future)

    def __len__(self) -> int:
        return len(self._values)
