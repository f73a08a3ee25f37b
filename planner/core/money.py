"""Money and number formatting, and currency conversion (through :class:`Rates`, the one place it happens).

One helper formats every number a user sees: ``12 500 ₽`` in Russian, ``$12,500`` in English.
Exchange rates are editable assumptions (defaults below), never live data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

SYMBOLS: dict[str, str] = {"RUB": "₽", "USD": "$", "EUR": "€"}

# Units of RUB per one unit of the currency. Editable defaults (approximate 2025-2026 levels);
# the app lets the user override them in the settings.
DEFAULT_FX_RUB: dict[str, float] = {"RUB": 1.0, "USD": 90.0, "EUR": 98.0}

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, the Russian thousands separator


class UnknownCurrency(ValueError):
    """A currency with no rate (never silently treated as roubles)."""


@dataclass(frozen=True)
class Rates:
    """Exchange rates as RUB per one unit of each currency: the one place money changes currency.

    Rates are an editable assumption (the sidebar's "Rates used"), never live data.
    """

    rub_per_unit: tuple[tuple[str, float], ...] = tuple(DEFAULT_FX_RUB.items())

    def __post_init__(self) -> None:
        for code, rate in self.rub_per_unit:
            if not (isinstance(rate, (int, float)) and math.isfinite(rate) and rate > 0):
                raise ValueError(f"the rate of {code} must be a positive number, got {rate!r}")

    @classmethod
    def of(cls, fx: Mapping[str, float] | Rates | None = None) -> Rates:
        if isinstance(fx, Rates):
            return fx
        return cls(tuple({**DEFAULT_FX_RUB, **dict(fx or {})}.items()))

    @property
    def table(self) -> dict[str, float]:
        return dict(self.rub_per_unit)

    def rate(self, code: str) -> float:
        try:
            return self.table[code]
        except KeyError:
            raise UnknownCurrency(f"unknown currency {code!r} (known: {', '.join(self.table)})") from None

    def convert(self, amount, from_ccy: str, to_ccy: str):
        """A scalar or array from one currency into another."""
        if from_ccy == to_ccy:
            return amount
        return amount * (self.rate(from_ccy) / self.rate(to_ccy))

    def factors(self, currencies, to_ccy: str, *, default: str | None = None,
                unknown_as_nan: bool = False) -> np.ndarray:
        """Per-row factor that turns an amount in its row's currency into ``to_ccy``. A missing currency is
        ``default`` when given; an unknown one raises :class:`UnknownCurrency` (or gives NaN, an unknown amount,
        with ``unknown_as_nan``), never taken as roubles."""
        cur = np.asarray(currencies, dtype=object)
        out = np.full(cur.shape, np.nan)
        target = self.rate(to_ccy)
        missing = np.asarray(pd.isna(cur), dtype=bool) | (cur == "")
        if missing.any():
            if default is None:
                raise UnknownCurrency("a row has no currency")
            out[missing] = self.rate(default) / target
        table = self.table
        for code in set(cur[~missing].tolist()):
            if unknown_as_nan and str(code) not in table:
                continue
            out[cur == code] = self.rate(str(code)) / target
        return out


def round_estimate(value, digits: int = 2):
    """An estimate rounded to the precision it has, for display: two significant digits (142 302.49 ->
    140 000, 8 765 -> 8 800, 43.7 -> 44). Scalars or arrays; NaN and None stay missing, 0 stays 0."""
    if value is None:
        return None
    arr = np.asarray(value, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.floor(np.log10(np.abs(np.where(arr == 0, 1.0, arr))))
        step = 10.0 ** (mag - (digits - 1))
        out = np.where(arr == 0, 0.0, np.round(arr / step) * step)
    return float(out) if out.ndim == 0 else out


def format_number(value, lang: str = "en", decimals: int = 0) -> str:
    """12 500 (ru, narrow no-break space, decimal comma) or 12,500 (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{float(value):,.{decimals}f}"
    if lang == "ru":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def format_money(value, currency: str = "RUB", lang: str = "en", decimals: int = 0) -> str:
    """12 500 ₽ in Russian; $12,500 / €12,500 / 12,500 ₽ in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    sym = SYMBOLS.get(currency, currency)
    number = format_number(abs(float(value)), lang, decimals)
    sign = "−" if float(value) < 0 else ""
    if lang == "ru" or currency == "RUB":
        return f"{sign}{number}{NBSP}{sym}"
    return f"{sign}{sym}{number}"


def format_compact(value, lang: str = "en") -> str:
    """Follower-style short numbers: 1.2M / 1,2 млн, 35K / 35 тыс."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    v = float(value)
    units = ((1e9, "B", "млрд"), (1e6, "M", "млн"), (1e3, "K", "тыс."))
    for size, en, ru in units:
        if abs(v) >= size:
            num = v / size
            text = f"{num:.1f}".rstrip("0").rstrip(".") if num < 100 else f"{num:.0f}"
            if lang == "ru":
                return f"{text.replace('.', ',')}{NBSP}{ru}"
            return f"{text}{en}"
    return format_number(v, lang)


def format_compact_range(low, high, lang: str = "en") -> str:
    """A short range of two compact numbers, the unit said once when they share it: 4.7–5.7M / 4,7–5,7 млн."""
    a, b = format_compact(low, lang), format_compact(high, lang)
    unit_a, unit_b = a.rsplit(NBSP, 1)[-1] if NBSP in a else a.lstrip("-0123456789.,"), \
        b.rsplit(NBSP, 1)[-1] if NBSP in b else b.lstrip("-0123456789.,")
    if unit_a and unit_a == unit_b and not unit_a[0].isdigit():
        a = a[: len(a) - len(unit_a)].rstrip(NBSP)
    return f"{a}–{b}"


def format_percent(value, lang: str = "en", decimals: int = 1) -> str:
    """A percentage given in percent units: 3.5 -> '3.5 %' / '3,5 %'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{format_number(value, lang, decimals)}{NBSP}%"
