"""planner.core.memo and planner.core.numbers: the shared LRU memo and the loose-number readers."""

from __future__ import annotations

import math
import re

import pytest

from planner.core.markdown import literal
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


def test_literal_text_links_nothing_by_itself():
    r"""GitHub-flavoured Markdown links a bare address even when its characters are escaped ("http\://...",
    "www\.…", "a@b\.c"): literal() breaks it with an invisible word joiner (U+2060), and the text reads as typed."""
    for text in ("http://evil.example/x.png", "see www.evil.example", "write to a.b+c@evil.example", "HTTPS://X.Y",
                 "![x](http://evil.example/x.png) [click](http://evil.example) :red[red] $x$ <b>b</b>"):
        unescaped = re.sub(r"\\(.)", r"\1", literal(text))
        assert unescaped.replace("\u2060", "") == text
        assert not re.search(r"(?i)https?://|\bwww\.|[\w.+-]@", unescaped), unescaped
    assert literal("@handle · VK") == "@handle · VK"  # nothing added where no address is


def test_every_coded_error_survives_a_pickle():
    """A report or a solve held in a cache is pickled with the error it carries (the Results page's report of a
    campaign with a sales series and no window held an IncrementalityError that could not be read back): every coded
    error comes back with its class, code, parameters, message and own attributes."""
    import importlib
    import pickle

    from planner.core.errors import CodedError

    for name in ("planner.planning.optimiser", "planner.planning.brief", "planner.campaigns.incrementality",
                 "planner.planning.scenarios", "planner.planning.uncertainty", "planner.campaigns.report"):
        importlib.import_module(name)
    seen, todo = [], list(CodedError.__subclasses__())
    while todo:
        cls = todo.pop()
        seen.append(cls)
        todo.extend(cls.__subclasses__())
    tried = 0
    for cls in seen:
        for code, template in cls.MESSAGES.items():
            import string
            fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
            error = cls(code, **{f: f"<{f}>" for f in fields})
            error.extra = 7  # an attribute set after it was made (Infeasible's 'proven', say)
            back = pickle.loads(pickle.dumps(error))
            assert type(back) is cls and back.code == code and back.params == error.params
            assert str(back) == str(error) and back.extra == 7 and back.args == error.args
            tried += 1
    assert tried >= 20 and any(c.__name__ == "IncrementalityError" for c in seen)


def test_a_value_claimed_is_made_once_and_waited_for_and_a_failure_is_not_kept():
    import threading

    memo = LruMemo(4)
    got, mine = memo.claim("k")
    assert mine and not got.done()
    other, theirs = memo.claim("k")
    assert other is got and not theirs  # the second caller waits for the first one's making
    answer: list = []
    waiter = threading.Thread(target=lambda: answer.append(other.result(timeout=30)))
    waiter.start()
    memo.fulfil("k", got, lambda: 42)
    waiter.join(30)
    assert answer == [42] and memo.claim("k")[0].result() == 42

    bad, mine = memo.claim("bad")

    def fails():
        raise ValueError("no")

    memo.fulfil("bad", bad, fails)
    with pytest.raises(ValueError):
        bad.result()
    again, mine_again = memo.claim("bad")
    assert mine_again and again is not bad  # made afresh by the next caller


def test_a_markdown_table_reads_every_cell_as_typed():
    """planner.core.markdown.table: one GFM table, a header and one row per row, each cell the text given (pipes,
    links, emphasis and HTML included) and nothing linked."""
    from markdown_it import MarkdownIt

    from planner.core.markdown import table

    hostile = ["a | b", "[click](http://evil.example)", "**bold** _x_", "<b>b</b>", "1 234,5 ₽", "—"]
    rows = [[hostile[i], hostile[(i + 1) % 6], i] for i in range(6)]
    tokens = MarkdownIt("commonmark").enable("table").parse(table(["Rate", "Now | then", "n"], rows))
    assert sum(t.type == "table_open" for t in tokens) == 1
    assert not [t for t in tokens if t.type == "inline" for c in t.children or [] if c.type in ("link_open",
                                                                                              "html_inline",
                                                                                              "strong_open")]
    cells = [re.sub(r"\\(.)", r"\1", "".join(c.content for c in t.children or [] if c.type == "text")).replace(
        "\u2060", "") for t in tokens if t.type == "inline"]
    assert cells == ["Rate", "Now | then", "n", *(str(c) for r in rows for c in r)]


def test_a_value_key_tells_any_difference_in_content_and_nothing_else():
    """planner.core.memo.value_key (the chart memo's key): equal content, equal keys; a changed cell, column name,
    dtype, index label, row order, mapping value or sequence order, another key; an object it cannot stand for
    exactly is refused."""
    import numpy as np
    import pandas as pd

    from planner.core.memo import Unkeyable, value_key

    rng = np.random.default_rng(7)
    for _ in range(50):
        n = int(rng.integers(1, 12))
        frame = pd.DataFrame({"label": [f"@b{i}" for i in rng.integers(0, 99, n)], "x": rng.normal(size=n),
                              "k": rng.integers(0, 5, n)})
        same = frame.copy(deep=True)
        assert value_key(frame) == value_key(same) and hash(value_key(frame)) == hash(value_key(same))
        i = int(rng.integers(0, n))
        changed = [frame.assign(x=frame["x"].where(frame.index != i, frame["x"] + 1e-9)),
                   frame.rename(columns={"x": "y"}), frame.astype({"k": float}), frame.set_axis(frame.index + 1),
                   frame.assign(label=frame["label"].where(frame.index != i, "other"))]
        if n > 1:
            changed.append(frame.iloc[::-1].reset_index(drop=True))
        for other in changed:
            if not other.equals(frame) or list(other.columns) != list(frame.columns):
                assert value_key(other) != value_key(frame)
    assert value_key({"a": 1, "b": [1, 2]}) == value_key({"b": [1, 2], "a": 1})
    assert value_key({"a": 1}) != value_key({"a": 1.5}) and value_key([1, 2]) != value_key([2, 1])
    assert value_key(np.arange(4)) != value_key(np.arange(4).reshape(2, 2))
    assert value_key(np.float64(1.5)) == value_key(1.5) and value_key(True) != value_key(1)
    with pytest.raises(Unkeyable):
        value_key(object())
