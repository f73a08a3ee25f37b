"""The audience-country codec: one place reads and writes ``"RU:0.62;KZ:0.10"`` (top audience countries with
their shares as fractions; a share written as a percentage, "62" or "62%", is read as 0.62: the one rule of
:func:`planner.core.units.fraction`)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from planner.core.units import fraction, fractions


def parse_countries(text: object) -> list[tuple[str, float]]:
    """``"RU:0.62;KZ:10"`` -> ``[("RU", 0.62), ("KZ", 0.10)]``; unreadable parts are skipped."""
    if not isinstance(text, str):
        return []
    out: list[tuple[str, float]] = []
    for part in text.split(";"):
        code, sep, value = part.partition(":")
        if not sep or not code.strip():
            continue
        share = fraction(value)
        if share is None or share < 0:
            continue
        out.append((code.strip().upper(), share))
    return out


def format_countries(pairs: Iterable[tuple[str, float]]) -> str:
    """``[("RU", 0.62)]`` -> ``"RU:0.62"`` (shares as fractions, two decimals)."""
    return ";".join(f"{code}:{share:.2f}" for code, share in pairs)


def country_shares(col: pd.Series) -> dict[str, np.ndarray]:
    """Per country, the share of each row's audience there (float32, 0 where the country is not listed).

    Vectorised over distinct texts with Arrow (a million rows in about a second), same rules as
    :func:`parse_countries`."""
    n = len(col)
    codes, uniques = pd.factorize(col.astype("string").fillna(""))
    if not len(uniques):
        return {}
    parts = pc.split_pattern(pa.array(np.asarray(uniques, dtype=object), type=pa.large_string()), ";")
    owner = pc.list_parent_indices(parts).to_numpy()
    flat = pc.utf8_trim_whitespace(pc.list_flatten(parts))
    kv = pc.split_pattern(flat, ":", max_splits=1)
    has_sep = pc.equal(pc.list_value_length(kv), 2).to_numpy(zero_copy_only=False)
    key = pc.utf8_upper(pc.utf8_trim_whitespace(pc.list_element(pc.fill_null(kv, pa.scalar([""], kv.type)), 0)))
    val_text = pc.if_else(pa.array(has_sep), pc.list_element(pc.if_else(pa.array(has_sep), kv,
                                                                         pa.scalar(["", ""], kv.type)), 1), "")
    val_text = pc.utf8_trim_whitespace(val_text)
    marked = pc.fill_null(pc.ends_with(val_text, "%"), False).to_numpy(zero_copy_only=False)
    val_text = pc.replace_substring(pc.utf8_rtrim(val_text, characters="% "), ",", ".")
    ok_num = pc.match_substring_regex(val_text, r"^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", ignore_case=True)
    ok = has_sep & pc.fill_null(ok_num, False).to_numpy(zero_copy_only=False) & (
        pc.utf8_length(key).to_numpy(zero_copy_only=False) > 0)
    share = np.full(len(flat), np.nan)
    if ok.any():
        share[ok] = pc.cast(pc.filter(val_text, pa.array(ok)), pa.float64()).to_numpy()
    share = fractions(share, marked)
    ok &= np.isfinite(share) & (share >= 0)
    keys = np.asarray(key.to_pylist(), dtype=object)
    parsed: dict[str, np.ndarray] = {}
    for code in pd.unique(keys[ok]):
        m = ok & (keys == code)
        arr = np.zeros(len(uniques), dtype=np.float32)
        arr[owner[m]] = share[m]  # a code listed twice in one text: the last one wins
        parsed[str(code)] = arr
    return {k: v[codes] if n else np.zeros(0, dtype=np.float32) for k, v in parsed.items()}


def has_countries(col: pd.Series) -> np.ndarray:
    """Rows whose audience-country text is present."""
    return (col.astype("string").fillna("") != "").to_numpy(dtype=bool)
