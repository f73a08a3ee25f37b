"""planner.core.memo and planner.core.numbers: the shared LRU memo and the loose-number readers."""

from __future__ import annotations

import math

from planner.core.memo import LruMemo
from planner.core.numbers import finite_or_nan, finite_or_none, is_finite


def test_lru_memo_keeps_the_most_recently_used():
    memo = LruMemo(2)
    made = []

    def make(v):
        return lambda: made.append(v) or v

    assert memo.get("a", make(1)) == 1 and memo.get("b", make(2)) == 2
    assert memo.get("a", make(99)) == 1  # remembered, and now the most recent
    memo.get("c", make(3))  # "b" goes
    assert memo.get("b", make(4)) == 4
    assert made == [1, 2, 3, 4] and len(memo) == 2


def test_loose_numbers():
    assert finite_or_none("2.5") == 2.5 and finite_or_none(None) is None and finite_or_none("x") is None
    assert finite_or_none(float("inf")) is None and math.isnan(finite_or_nan("nan"))
    assert is_finite(3) and not is_finite(True) and not is_finite(float("nan")) and not is_finite("")
