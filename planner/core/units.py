"""Shares: fractions inside planner, per cent only at the edges (STYLE.md rule 21). One parser in, one formatter out.

In: :func:`fraction` reads a share as a person or a file writes it, :func:`fractions` does the same for an array.
The rule, the only place it is written down:

- a value written with "%" is per cent: ``"75 %"`` -> 0.75, ``"0.5 %"`` -> 0.005;
- otherwise a magnitude above 1 is per cent and one of at most 1 is already a fraction: ``"75"`` and ``75`` -> 0.75,
  ``"0.75"``, ``"0,75"`` and ``0.75`` -> 0.75, ``1`` -> 1.0 (all of it);
- ``in_percent=True`` when the unit is known to be per cent (a widget labelled "%"): ``0.5`` -> 0.005.

So a bare 1 is 100 % and a bare value under 1 % cannot be written without its "%": the formatter always writes it.

Out: :func:`percent` is a fraction as the number a widget or a table shows (0.75 -> 75.0) and :func:`format_share`
the text (``"75 %"``, in the language's number format); ``fraction(format_share(x))`` gives ``x`` back at the
precision shown. Ranges are the callers' to check (a credibility is between 0 and 1, a share of a budget above 0).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from planner.core.money import NBSP, NNBSP, format_percent

_SPACES = str.maketrans("", "", f" {NBSP}{NNBSP}\t")


def fraction(value: Any, *, in_percent: bool = False) -> float | None:
    """A share as a fraction (see the module's rule); None for a missing, unreadable or infinite value.

    ``value``: a number or a text ("75", "75 %", "75%", "0,75", "0.75"); a yes/no is not a share."""
    if value is None or isinstance(value, bool):
        return None
    marked = in_percent
    if isinstance(value, str):
        text = value.translate(_SPACES).replace(",", ".")
        if text.endswith("%"):
            marked, text = True, text[:-1]
        try:
            x = float(text)
        except ValueError:
            return None
    else:
        try:
            x = float(value)
        except (TypeError, ValueError):
            return None
    if not math.isfinite(x):
        return None
    return x / 100.0 if marked or abs(x) > 1 else x


def fractions(values: Any, marked: Any = False, *, in_percent: bool = False) -> np.ndarray:
    """:func:`fraction` over an array of numbers: ``marked`` (a bool or a mask) says which were written with "%".
    NaN stays NaN."""
    v = np.asarray(values, dtype=float)
    pct = np.asarray(marked, dtype=bool) | in_percent
    with np.errstate(invalid="ignore"):
        return np.where(pct | (np.abs(v) > 1), v / 100.0, v)


def percent(share: Any) -> Any:
    """A fraction as per cent, the number shown at the edges: 0.75 -> 75.0. A scalar gives a float, a Series a
    Series, any other sequence an array; None stays None."""
    if share is None:
        return None
    if isinstance(share, pd.Series | np.ndarray):
        return share.astype(float) * 100.0
    if np.ndim(share):
        return np.asarray(share, dtype=float) * 100.0
    return float(share) * 100.0


def format_share(share: Any, lang: str = "en", decimals: int = 0) -> str:
    """A fraction as text in per cent: 0.75 -> "75 %" (en) / "75 %" (ru, decimal comma); "—" when missing."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    return format_percent(percent(share), lang, decimals)
