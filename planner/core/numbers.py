"""Reading loose values as numbers: a finite float or nothing (None or NaN)."""

from __future__ import annotations

import math
from typing import Any


def finite_or_none(value: Any) -> float | None:
    """``value`` as a finite float; None for a missing, unreadable or infinite value."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def finite_or_nan(value: Any) -> float:
    """:func:`finite_or_none` with NaN for nothing."""
    x = finite_or_none(value)
    return float("nan") if x is None else x


def is_finite(value: Any) -> bool:
    """A finite number, and not a yes/no (``True`` is not 1 here)."""
    return not isinstance(value, bool) and finite_or_none(value) is not None


def rounded(value: Any, digits: int = 2) -> float | None:
    """A number for JSON: rounded to ``digits``; None for a missing, unreadable or infinite one."""
    x = finite_or_none(value)
    return None if x is None else round(x, digits)
