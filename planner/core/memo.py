"""A few recent values by key, shared by every thread (a Streamlit server runs each session on its own thread)."""

from __future__ import annotations

import concurrent.futures
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
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


class Unkeyable(TypeError):
    """A value :func:`value_key` cannot stand for exactly (its caller computes without a memo)."""


def value_key(value: Any) -> Hashable:
    """A hashable key that stands for ``value``: equal for equal content, different for any difference in it (a
    frame's or an array's columns, dtypes, length and every cell and index label — a frame's rows through pandas'
    64-bit row hashes, an array's bytes —; a mapping's keys and values; a sequence's order). Numbers, strings,
    bools and None stand for themselves. Anything else raises :class:`Unkeyable`: never a key that might not tell
    two values apart."""
    import numpy as np
    import pandas as pd

    if isinstance(value, np.generic):  # numpy's float64 is a float too: the same number, the same key
        return value_key(value.item())
    if value is None or isinstance(value, bool | int | float | str | bytes):
        return (type(value).__name__, value)
    if isinstance(value, pd.DataFrame | pd.Series):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        try:
            cells = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
        except TypeError as exc:  # cells pandas cannot hash (lists, dicts)
            raise Unkeyable(str(exc)) from exc
        return ("frame", tuple(map(str, frame.columns)), tuple(map(str, frame.dtypes)), len(frame), cells,
                str(getattr(value, "name", "")))
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return ("objects", value.shape, tuple(value_key(v) for v in value.ravel().tolist()))
        return ("array", value.shape, str(value.dtype), value.tobytes())
    if isinstance(value, Mapping):
        return ("map", tuple(sorted(((value_key(k), value_key(v)) for k, v in value.items()), key=repr)))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(value_key(v) for v in value))
    raise Unkeyable(f"no exact key for a {type(value).__name__}")
