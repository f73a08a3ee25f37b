"""The audience-country codec: one place reads and writes ``"RU:0.62;KZ:0.10"`` (top audience countries with
their shares as fractions; a share written as a percentage, "62", is read as 0.62)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def parse_countries(text: object) -> list[tuple[str, float]]:
    """``"RU:0.62;KZ:10"`` -> ``[("RU", 0.62), ("KZ", 0.10)]``; unreadable parts are skipped."""
    if not isinstance(text, str):
        return []
    out: list[tuple[str, float]] = []
    for part in text.split(";"):
        code, sep, value = part.partition(":")
        if not sep or not code.strip():
            continue
        try:
            share = float(value.strip().rstrip("%").replace(",", "."))
        except ValueError:
            continue
        if not np.isfinite(share) or share < 0:
            continue
        out.append((code.strip().upper(), share / 100.0 if share > 1 else share))
    return out


def format_countries(pairs: Iterable[tuple[str, float]]) -> str:
    """``[("RU", 0.62)]`` -> ``"RU:0.62"`` (shares as fractions, two decimals)."""
    return ";".join(f"{code}:{share:.2f}" for code, share in pairs)


def country_shares(col: pd.Series) -> dict[str, np.ndarray]:
    """Per country, the share of each row's audience there (float32, 0 where the country is not listed)."""
    n = len(col)
    codes, uniques = pd.factorize(col.astype("string").fillna(""))
    parsed: dict[str, np.ndarray] = {}
    for ui, u in enumerate(uniques):
        for code, share in parse_countries(str(u)):
            arr = parsed.setdefault(code, np.zeros(len(uniques), dtype=np.float32))
            arr[ui] = share
    return {k: v[codes] if n else np.zeros(0, dtype=np.float32) for k, v in parsed.items()}


def has_countries(col: pd.Series) -> np.ndarray:
    """Rows whose audience-country text is present."""
    return (col.astype("string").fillna("") != "").to_numpy(dtype=bool)
