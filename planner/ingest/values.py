"""Reading cell values: numbers ("1,2 млн", "15 000 ₽", "10–15K", "3,5%") and the value tables of text
fields (platforms, profile links, niches, countries from CLDR through babel, languages, yes/no, currencies,
dates, audience countries).

Numbers are parsed column-wise with pyarrow compute kernels on the unique values of a column,
so 100 000 rows x 25 columns take well under a second; text fields are mapped once per distinct value.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from planner.core import schema
from planner.core.units import fraction, fractions

__all__ = ["city_name", "country_name", "currency_code", "other_currency", "parse_date", "parse_money", "parse_number",
           "parse_numbers", "parse_percent"]


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

_SPACES = r"\s\x{a0}\x{202f}\x{2007}\x{2009}\x{2008}\x{200a}"

_MISSING_TOKENS = (
    "", "n/a", "na", "n.a.", "n\\a", "-", "--", "---", "—", "–", "нет данных", "н/д", "нд", "null", "none",
    "nan", "#value!", "#знач!", "#n/a", "#н/д", "#div/0!", "#дел/0!", "#ref!", "#ссылка!", "#name?", "#имя?",
    "#num!", "#число!", "#null!", "#пусто!", "?", "нет", "no", "не указано", "unknown", "неизвестно",
)
# Compared with the cell lower-cased and with its spaces removed ("нет данных" -> "нетданных").
_MISSING_PA = pa.array(sorted({re.sub(r"\s+", "", t) for t in _MISSING_TOKENS}), type=pa.large_string())
# Cells the fast path casts directly: integers and decimals that no reading could take for thousands.
_SIMPLE_RE = r"^-?(?:\d+|\d+\.\d{1,2}|\d+\.\d{4,}|0\.\d+|\d{4,}\.\d+)$"

_CURRENCY_WORDS: dict[str, str] = {
    "₽": "RUB", "руб": "RUB", "руб.": "RUB", "рублей": "RUB", "рубля": "RUB", "р": "RUB", "р.": "RUB",
    "rub": "RUB", "rur": "RUB",
    "$": "USD", "usd": "USD", "долл": "USD", "долл.": "USD", "dollar": "USD", "dollars": "USD",
    "€": "EUR", "eur": "EUR", "евро": "EUR",
}
_CUR_RE = r"[$€₽]|usd|eur|rub|rur|рублей|рубля|руб\.?|р\.?|евро|долл\.?|dollars?"
_MULTIPLIERS: dict[str, float] = {
    "k": 1e3, "к": 1e3, "тыс": 1e3, "тыс.": 1e3, "т": 1e3, "т.": 1e3, "thousand": 1e3, "thousands": 1e3,
    "m": 1e6, "м": 1e6, "млн": 1e6, "млн.": 1e6, "mln": 1e6, "mln.": 1e6, "mio": 1e6, "mil": 1e6,
    "million": 1e6, "millions": 1e6, "kk": 1e6, "кк": 1e6,
    "b": 1e9, "bn": 1e9, "млрд": 1e9, "млрд.": 1e9, "billion": 1e9, "billions": 1e9,
}
_MULT_RE = (r"kk|кк|k|к|тыс\.?|thousands?|т\.?|mln\.?|млн\.?|mio|millions?|mil|m|м|млрд\.?|bn|billions?|b")
# Applied to a lower-cased cell with all spaces and apostrophes removed.
_NUMBER_RE = (
    r"^(?:~|≈|≃|около|примерно|прибл\.?|approx\.?|ca\.?|от|from)?"
    r"(?P<sign>[-+−])?"
    rf"(?P<cur1>{_CUR_RE})?"
    r"(?P<num>\d[\d.,]*|[.,]\d[\d.,]*)"
    r"(?:e(?P<exp>[-+]?\d{1,3}))?"
    rf"(?P<mult>{_MULT_RE})?"
    rf"(?P<cur2>{_CUR_RE})?"
    r"(?P<pct>%)?$"
)
_MULT_KEYS = pa.array(list(_MULTIPLIERS), type=pa.large_string())
_MULT_VALUES = np.array([*_MULTIPLIERS.values(), 1.0])
_CUR_KEYS = pa.array(list(_CURRENCY_WORDS), type=pa.large_string())
_CUR_VALUES = np.array([*_CURRENCY_WORDS.values(), None], dtype=object)


@dataclass
class _Parsed:
    values: np.ndarray    # float64, NaN where missing or invalid
    error: np.ndarray     # bool: non-empty cell that is not a number
    pct: np.ndarray       # bool: the cell had a "%"
    suffix: np.ndarray    # bool: the cell had a K/M/тыс/млн multiplier
    currency: np.ndarray  # object: "RUB"/"USD"/"EUR" when the cell named a currency, else None
    missing: np.ndarray   # bool: empty or a "no data" token
    range: np.ndarray     # bool: a range ("10-15K", "10–15 тыс"), stored as its midpoint


def _np(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False))


def _is_arrow_text(dtype: Any) -> bool:
    """A ``string[pyarrow]`` column (``pd.ArrowDtype`` of an Arrow string type), as :func:`read_table` gives."""
    return isinstance(dtype, pd.ArrowDtype) and (pa.types.is_string(dtype.pyarrow_dtype)
                                                 or pa.types.is_large_string(dtype.pyarrow_dtype))


def _as_text(values: pd.Series | Sequence[Any] | np.ndarray) -> pd.Series:
    """Any series or sequence as a pandas ``str`` series (missing stays missing); a ``string[pyarrow]``
    column is returned as it is (text already, and not copied)."""
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if isinstance(s.dtype, pd.StringDtype) or _is_arrow_text(s.dtype):
        return s
    if s.dtype == object:
        s = s.map(_obj_text, na_action="ignore")
    return s.astype("str")


def _obj_text(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8") if not value.isascii() else value
    return str(value)


def _to_arrow(s: pd.Series) -> pa.Array:
    """A text series as one Arrow large_string array (one column copied at most)."""
    text = isinstance(s.dtype, pd.StringDtype) or _is_arrow_text(s.dtype)
    arr = pa.array(s.array) if text else pa.array(s.astype("str").array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    return arr


def _detect_style(arr: pa.Array) -> str:
    """'comma' when a column writes decimals with a comma (3,5 / 1.234,5), else 'dot'."""
    def count(pattern: str) -> int:
        return int(pc.sum(pc.match_substring_regex(arr, pattern)).as_py() or 0)

    comma = count(r"\d,\d{1,2}(?:\D|$)|\d,\d{4,}|\.\d{3},\d|^0,\d|\d\.\d{3}\.\d{3}")
    dot = count(r"\d\.\d{1,2}(?:\D|$)|\d\.\d{4,}|,\d{3}\.\d|^0\.\d|\d,\d{3},\d{3}")
    return "comma" if comma > dot else "dot"


def _parse_unique(d: pa.Array, style: str | None) -> _Parsed:
    """Parse an array of distinct strings (no nulls). Plain numbers ("12500", "3.25") take a
    fast path; the rest go through :func:`_parse_messy`."""
    n = len(d)
    trimmed = pc.utf8_trim_whitespace(d)
    compact = pc.replace_substring_regex(pc.utf8_lower(trimmed), rf"[{_SPACES}'’`]+", "")
    simple = _np(pc.match_substring_regex(compact, _SIMPLE_RE)).astype(bool)
    values = np.full(n, np.nan)
    no = np.zeros(n, dtype=bool)
    out = _Parsed(values, no.copy(), no.copy(), no.copy(), np.full(n, None, dtype=object), no.copy(), no.copy())
    if simple.any():
        values[simple] = _np(pc.cast(pc.filter(compact, pa.array(simple)), pa.float64()))
    if not simple.all():
        rest = np.flatnonzero(~simple)
        take = pa.array(rest)
        sub = _parse_messy(pc.take(trimmed, take), pc.take(compact, take), style)
        values[rest] = sub.values
        out.error[rest] = sub.error
        out.pct[rest] = sub.pct
        out.suffix[rest] = sub.suffix
        out.currency[rest] = sub.currency
        out.missing[rest] = sub.missing
        out.range[rest] = sub.range
    return out


def _parse_messy(trimmed: pa.Array, compact: pa.Array, style: str | None) -> _Parsed:
    """``trimmed``: cells without outer spaces; ``compact``: lower-cased, inner spaces removed."""
    if style is None:
        style = _detect_style(trimmed)
    missing = _np(pc.is_in(compact, value_set=_MISSING_PA)).astype(bool) | _np(
        pc.match_substring_regex(compact, _ERROR_VALUE_RE)).astype(bool)
    m = pc.extract_regex(compact, _NUMBER_RE)
    matched = _np(pc.is_valid(m)).astype(bool) & ~missing
    num = m.field("num")

    def has(pattern: str, arr: pa.Array = num) -> np.ndarray:
        return _np(pc.match_substring_regex(arr, pattern)).astype(bool)

    n_c = _np(pc.count_substring(num, ","))
    n_d = _np(pc.count_substring(num, "."))
    space_group = has(rf"\d[{_SPACES}]\d{{3}}(?:\D|$)", trimmed)
    comma_last = has(r",\d*$")
    amb_c = has(r"^[1-9]\d{0,2},\d{3}$")
    amb_d = has(r"^[1-9]\d{0,2}\.\d{3}$")
    both = (n_c > 0) & (n_d > 0)
    only_c = (n_c > 0) & (n_d == 0)
    only_d = (n_d > 0) & (n_c == 0)
    # True: dots are thousands separators and a comma is the decimal mark; False: the reverse.
    comma_dec = both & comma_last
    comma_dec |= only_c & (n_c == 1) & ~(amb_c & (style == "dot") & ~space_group)
    comma_dec |= only_d & ((n_d >= 2) | (amb_d & (style == "comma")))
    good = matched & ~has(r"[.,]$")
    if both.any():
        good &= ~both | np.where(comma_last, (n_c == 1) & has(r"^\d{1,3}(\.\d{3})+,\d+$"),
                                 (n_d == 1) & has(r"^\d{1,3}(,\d{3})+\.\d+$"))
    multi_c, multi_d = only_c & (n_c >= 2), only_d & (n_d >= 2)
    if multi_c.any():
        good &= ~multi_c | has(r"^\d{1,3}(,\d{3})+$")
    if multi_d.any():
        good &= ~multi_d | has(r"^\d{1,3}(\.\d{3})+$")

    dot_form = pc.replace_substring(num, ",", "")
    comma_form = pc.replace_substring(pc.replace_substring(num, ".", ""), ",", ".")
    canon = pc.if_else(pa.array(comma_dec), comma_form, dot_form)
    canon = pc.if_else(pa.array(good), canon, pa.scalar(None, pa.large_string()))
    base = _np(pc.cast(canon, pa.float64())).astype(float)

    exp_s = m.field("exp")
    # "1E+3" or "1e-2": the sign read apart ("+3" is not an integer to Arrow), the digits as a float (a long run of
    # them overflows no integer type: 10 to its power is infinite, and the value is then refused below)
    exp_digits = pc.replace_substring_regex(pc.if_else(pc.equal(exp_s, ""), "0", exp_s), r"^\+", "")
    exp = _np(pc.cast(exp_digits, pa.float64())).astype(float)
    mult_idx = _np(pc.index_in(m.field("mult"), value_set=_MULT_KEYS).fill_null(len(_MULTIPLIERS))).astype(np.int64)
    sign = np.where(_np(pc.is_in(m.field("sign"), value_set=pa.array(["-", "−"], pa.large_string()))), -1.0, 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        values = base * np.power(10.0, exp) * _MULT_VALUES[mult_idx] * sign
    good &= np.isfinite(values)
    cur_s = pc.if_else(pc.not_equal(m.field("cur1"), ""), m.field("cur1"), m.field("cur2"))
    cur_idx = _np(pc.index_in(cur_s, value_set=_CUR_KEYS).fill_null(len(_CURRENCY_WORDS))).astype(np.int64)
    currency = _CUR_VALUES[cur_idx]
    currency[~good] = None
    result = _Parsed(
        values=np.where(good, values, np.nan),
        error=~missing & ~good,
        pct=good & _np(pc.equal(m.field("pct"), "%")).astype(bool),
        suffix=good & (mult_idx < len(_MULTIPLIERS)),
        currency=currency,
        missing=missing,
        range=np.zeros(len(good), dtype=bool),
    )
    if result.error.any():
        _parse_ranges(compact, result, style)
    return result


_RANGE_RE = re.compile(
    r"^(?:от|from)?(?P<a>\d[\d.,]*)(?P<m1>" + _MULT_RE + r")?(?P<c1>" + _CUR_RE + r")?"
    r"(?:-|–|—|до|to|…|\.\.\.?)"
    r"(?P<b>\d[\d.,]*)(?P<m2>" + _MULT_RE + r")?(?P<c2>" + _CUR_RE + r")?(?P<p>%)?$")


def _parse_ranges(compact: pa.Array, result: _Parsed, style: str) -> None:
    """Cells that failed as numbers but are ranges ("10-15K", "10–15 тыс", "1,5–2 млн ₽") get
    their midpoint, in place; ``result.range`` marks them."""
    bad = np.flatnonzero(result.error)
    cells = pc.take(compact, pa.array(bad)).to_pylist()
    lows: list[str] = []
    highs: list[str] = []
    where: list[int] = []
    for pos, cell in zip(bad.tolist(), cells, strict=True):
        m = _RANGE_RE.match(cell or "")
        if not m:
            continue
        cur = m["c2"] or m["c1"] or ""
        lows.append(f"{m['a']}{m['m1'] or m['m2'] or ''}{cur}{m['p'] or ''}")
        highs.append(f"{m['b']}{m['m2'] or ''}{cur}{m['p'] or ''}")
        where.append(pos)
    if not where:
        return
    both = pa.array(lows + highs, type=pa.large_string())
    parsed = _parse_messy(both, both, style) if not _np(pc.match_substring_regex(both, "[-–—]")).any() else None
    if parsed is None:
        return
    k = len(where)
    low, high = parsed.values[:k], parsed.values[k:]
    ok = np.isfinite(low) & np.isfinite(high) & (low <= high)
    for i in np.flatnonzero(ok).tolist():
        pos = where[i]
        result.values[pos] = (low[i] + high[i]) / 2
        result.error[pos] = False
        result.range[pos] = True
        result.pct[pos] = bool(parsed.pct[i])
        result.suffix[pos] = bool(parsed.suffix[i] or parsed.suffix[k + i])
        result.currency[pos] = parsed.currency[i] or parsed.currency[k + i]


def _parse_core(values: pd.Series | Sequence[Any] | np.ndarray, style: str | None = "dot") -> _Parsed:
    """Parse a column; ``style`` None detects the decimal mark from the column itself."""
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    n = len(s)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        v = s.to_numpy(dtype=float, na_value=np.nan)
        no = np.zeros(n, dtype=bool)
        return _Parsed(v, no, no, no, np.full(n, None, dtype=object), np.isnan(v), no)
    enc = _to_arrow(_as_text(s)).dictionary_encode()
    idx = _np(enc.indices.fill_null(-1)).astype(np.int64)
    u = _parse_unique(enc.dictionary, style)

    def back(a: np.ndarray, fill: Any) -> np.ndarray:
        return np.append(a, np.array([fill], dtype=a.dtype))[idx]

    return _Parsed(back(u.values, np.nan), back(u.error, False), back(u.pct, False), back(u.suffix, False),
                   back(u.currency, None), back(u.missing, True), back(u.range, False))


def parse_numbers(values: pd.Series | Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised number parser: ``(float64 values with NaN for missing, bool mask of unparseable cells)``.

    Reads "1.2M", "475.8m", "3,5k", "35K", "12 500" (space, NBSP or narrow NBSP groups), "12,500",
    "3,5", "1,234,567", "1.234.567", "1.234,5", "3,5%" (-> 3.5), "тыс"/"млн"/"млрд"/"к"/"кк",
    currency signs and codes ("15 000 ₽", "$1,200", "1200 руб.", "€300", "USD 500"), "1e5", and
    a leading "~", "≈" or "от". Empty cells, "N/A", "-", "—", "нет данных" and spreadsheet errors
    ("#VALUE!", "#ЗНАЧ!", "#N/A", "#DIV/0!") are missing, not errors. A lone comma before three
    digits ("1,234") is a thousands separator; a lone dot ("1.234") is a decimal point.
    """
    p = _parse_core(values)
    return p.values, p.error


def parse_money(values: pd.Series | Sequence[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`parse_numbers` with the currency each cell names: ``(values, error mask, currency)``, the
    currency "RUB", "USD" or "EUR" where the cell wrote one ("$500", "€300", "USD 500", "1 200 руб."), else
    None (the header's or the row's currency column may name it: :func:`planner.ingest.mapping.header_currency`,
    :func:`currency_code`)."""
    p = _parse_core(values)
    return p.values, p.error, p.currency


def parse_number(text: Any) -> float | None:
    """Scalar :func:`parse_numbers`: ``None`` for a missing cell, ``ValueError`` for garbage."""
    if text is None or isinstance(text, bool):
        if text is None:
            return None
        raise ValueError(f"not a number: {text!r}")
    if isinstance(text, int | float | np.integer | np.floating):
        v = float(text)
        return None if np.isnan(v) else v
    values, error = parse_numbers(pd.Series([str(text)], dtype=object))
    if error[0]:
        raise ValueError(f"not a number: {text!r}")
    v = float(values[0])
    return None if np.isnan(v) else v


def _fraction_column(p: _Parsed, max_median: float | None = None) -> bool:
    """Whether the cells without "%" hold fractions: all of them are at most 1 (and, with
    ``max_median``, their median is at most that)."""
    plain = p.values[np.isfinite(p.values) & ~p.pct]
    if not len(plain) or not bool((np.abs(plain) <= 1).all()):
        return False
    return max_median is None or float(np.median(plain)) <= max_median


def parse_percent(values: pd.Series | Sequence[Any], *, fractions: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Parse a percent column into percent units: ``"3,5%"`` -> 3.5, ``"3.5"`` -> 3.5.

    Cells with a "%" are percent. ``fractions`` None decides for the rest of the column at once:
    when every value without "%" is at most 1, they are fractions (0.035 -> 3.5); so a column
    with no "%" at all and every value <= 1 holds fractions. True/False force the reading of
    the cells without "%". Returns ``(values, error mask)`` like :func:`parse_numbers`.
    """
    p = _parse_core(values)
    return _to_percent(p, fractions), p.error


def _to_percent(p: _Parsed, fractions: bool | None) -> np.ndarray:
    if fractions is None:
        fractions = _fraction_column(p)
    with np.errstate(over="ignore", invalid="ignore"):  # 1e308 x 100 is inf: out of range, left blank later
        return np.where(p.pct | (not fractions), p.values, p.values * 100.0)


# --------------------------------------------------------------------------------------------
# Text cells
# --------------------------------------------------------------------------------------------

def _text_array(values: Any) -> pa.Array:
    """Text values (an Arrow array, or an object array of str and None) as one Arrow large_string array."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values if values.type == pa.large_string() else values.cast(pa.large_string())
    return pa.array(values, type=pa.large_string(), from_pandas=True)


_TEXT_MISSING_PA = pa.array(sorted(set(_MISSING_TOKENS) - {"нет", "no"}), type=pa.large_string())
_ERROR_VALUE_RE = r"^#[^\d]*[!?]$|^#(n/a|н/д)$"  # spreadsheet errors: #VALUE!, #ЗНАЧ!, #N/A, #DIV/0!


# Text cells that mean "no value": spreadsheet errors and "нет данных" / "не указано" with any spaces.
_TEXT_MISSING_RE = rf"{_ERROR_VALUE_RE}|^не(т)?[{_SPACES}]+(данных|указано)$"


_TEXT_SLICE_ROWS = 65_536  # text columns are cleaned this many cells at a time (the temporaries stay small)


def _arrow_text(col: pd.Series) -> pa.Array:
    """Cells without outer spaces as an Arrow large_string array; empty cells and "N/A", "-", "н/д",
    spreadsheet errors and the like are null. Cleaned a slice at a time: only the result is a whole column."""
    if isinstance(col.dtype, pd.StringDtype) or _is_arrow_text(col.dtype):
        arr = pa.array(col.array)
    else:
        arr = _to_arrow(_as_text(col))
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    parts = [_clean_text(chunk.slice(start, _TEXT_SLICE_ROWS)) for chunk in chunks
             for start in range(0, len(chunk), _TEXT_SLICE_ROWS)]
    return pa.concat_arrays(parts) if parts else pa.array([], type=pa.large_string())


def _clean_text(arr: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(arr.cast(pa.large_string()))
    # a spreadsheet-safe export writes "=1+1" as "'=1+1" (planner.reporting.export.neutralise): read it back as it was
    trimmed = pc.replace_substring_regex(trimmed, r"^'([=+\-@\t\r])", r"\1")
    low = pc.utf8_lower(trimmed)
    missing = pc.or_(pc.is_in(low, value_set=_TEXT_MISSING_PA), pc.match_substring_regex(low, _TEXT_MISSING_RE))
    return pc.if_else(missing, pa.scalar(None, pa.large_string()), trimmed)


_MISSING = object()  # a ``_map_unique`` function's answer for "no value, and no error"


_TEXT_MISSING = frozenset(_TEXT_MISSING_PA.to_pylist())


def _cleaned(func: Callable[[str], Any]) -> Callable[[str], Any]:
    """``func`` on a stripped cell; empty cells and "N/A"-like markers are missing (not errors)."""
    def apply(value: str) -> Any:
        text = value.strip()
        key = " ".join(text.lower().split())
        if key in _TEXT_MISSING or re.match(_ERROR_VALUE_RE, key) or key in ("нет данных", "не указано"):
            return _MISSING
        return func(text)
    return apply


def _factorize(arr: pa.Array) -> tuple[np.ndarray, list[str]]:
    """``(codes, distinct values)`` of a string array; nulls get code -1."""
    enc = arr.dictionary_encode()
    return _np(enc.indices.fill_null(-1)).astype(np.int64), enc.dictionary.to_pylist()


def _map_unique(arr: pa.Array, func: Callable[[str], Any],
                factorized: tuple[np.ndarray, list[str]] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``func`` once per distinct value: ``(results, error mask)``. A ValueError or a None
    result is an error; ``_MISSING`` and null cells give (None, False)."""
    codes, uniques = factorized or _factorize(arr)
    results: list[Any] = []
    errors: list[bool] = []
    for u in uniques:
        try:
            r = func(u)
        except ValueError:
            r = None
        errors.append(r is None)
        results.append(None if r is _MISSING else r)
    res = np.array([*results, None], dtype=object)
    err = np.array([*errors, False], dtype=bool)
    return res[codes], err[codes]


# --------------------------------------------------------------------------------------------
# Value tables for text fields
# --------------------------------------------------------------------------------------------

def _plain_key(value: str) -> str:
    return re.sub(r"[^0-9a-zа-я]+", "", value.lower().replace("ё", "е"))


_PLATFORM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "instagram": ("instagram", "ig", "insta", "инстаграм", "инстаграмм", "инста", "инст", "instagramcom", "инсту"),
    "youtube": ("youtube", "yt", "ютуб", "ютьюб", "ютюб", "youtubecom", "ютубканал"),
    "tiktok": ("tiktok", "тикток", "tt", "tiktokcom", "тт"),
    "telegram": ("telegram", "tg", "телеграм", "телеграмм", "тг", "телега", "tme", "телеграмканал"),
    "vk": ("vk", "вк", "вконтакте", "vkontakte", "vkcom", "вконтакт"),
    "twitch": ("twitch", "твич", "twitchtv"),
}
_PLATFORMS: dict[str, str] = {_plain_key(w): p for p, ws in _PLATFORM_SYNONYMS.items() for w in ws}


def _platform_code(value: str) -> str | None:
    key = _plain_key(value)
    if key in _PLATFORMS:
        return _PLATFORMS[key]
    for word, code in _PLATFORMS.items():  # "YouTube Shorts", "Instagram Reels", "ТГ-канал"
        if len(word) >= 4 and key.startswith(word):
            return code
    return None


_URL_RE = (
    r"^(?:https?://)?(?:www\.|m\.|mobile\.|ru\.)?"
    r"(?P<dom>instagram\.com|instagr\.am|youtube\.com|youtu\.be|tiktok\.com|t\.me|telegram\.me|telegram\.dog"
    r"|vk\.com|vk\.ru|vkontakte\.ru|twitch\.tv)/"
    r"(?:@|c/|channel/|user/|s/)?(?P<h>[^/?#\s]+)"
)
_URL_PLATFORM: dict[str, str] = {
    "instagram.com": "instagram", "instagr.am": "instagram", "youtube.com": "youtube", "youtu.be": "youtube",
    "tiktok.com": "tiktok", "t.me": "telegram", "telegram.me": "telegram", "telegram.dog": "telegram",
    "vk.com": "vk", "vk.ru": "vk", "vkontakte.ru": "vk", "twitch.tv": "twitch",
}

_NICHE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((n, re.compile(p)) for n, p in (
    ("parenting", r"материн|\bмам|родит|\bдет|parent|\bmom|\bmum|\bkids|family|семь"),
    ("pets", r"живот|питом|\bpets?\b|animal|собак|кошк|\bdogs?\b|\bcats?\b"),
    ("beauty", r"красот|бьюти|beauty|космет|макияж|makeup|skincare|уход за"),
    ("fashion", r"\bмод[аны]|стиль|fashion|\bstyle|одежд|outfit"),
    ("food", r"^еда|\bеда\b|кулин|кухн|рецепт|\bfood|cook|гастро|ресторан"),
    ("travel", r"путеш|travel|туризм|трэвел|тревел"),
    ("tech", r"технол|гаджет|\btech|\bit\b|айти|электрон|gadget"),
    ("fitness", r"фитнес|fitness|тренир|workout|\bgym\b|\bзож\b"),
    ("sport", r"спорт|sport|футбол|хоккей"),
    ("gaming", r"\bигр|гейм|gaming|\bgames?\b|киберспорт|esport"),
    ("finance", r"финанс|инвест|financ|invest|\bденьг|money|крипт|crypto"),
    ("auto", r"\bавто|машин|\bauto|\bcars?\b|\bмото"),
    ("lifestyle", r"лайфст|lifestyle|life style|\bвлог|\bvlog"),
    ("education", r"образов|обучен|educat|учеб|\bнаук|science|\blearn"),
    ("music", r"музык|music"),
    ("humor", r"юмор|humou?r|comedy|комеди|прикол|funny|\bмем"),
    ("health", r"здоров|health|медиц|wellness|\bврач"),
    ("home", r"^дом\b|\bдом\b|интерьер|\bhome|interior|ремонт|\bdiy\b"),
    ("business", r"бизнес|business|предприним|стартап|startup|карьер"),
    ("art", r"искусств|^арт\b|\bart\b|дизайн|design|творч"),
))
_NICHE_SPLIT = re.compile(r"\s*(?:[,;/|+&\n]|\s+и\s+|\s+and\s+)\s*")


@functools.lru_cache(maxsize=4096)
def _niche_tag(part: str) -> str:
    tag = " ".join(part.lower().replace("ё", "е").split()).strip(" .-#")
    for niche, rx in _NICHE_RULES:
        if rx.search(tag):
            return niche
    return tag


def _niches(value: str) -> str | None:
    tags: list[str] = []
    for part in _NICHE_SPLIT.split(value):
        tag = _niche_tag(part)
        if tag and tag not in tags:
            tags.append(tag)
    return ";".join(tags) or None


# Names CLDR does not list (short forms, abbreviations, older official names); everything else
# comes from CLDR through babel (every country and territory in English and Russian).
_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "RU": ("рф", "russian federation", "rus", "рос", "российская федерация"),
    "KZ": ("kaz", "рк"), "BY": ("белоруссия", "рб", "blr"), "UA": ("ukr",),
    "US": ("usa", "сша", "united states of america", "америка", "america", "u s a", "u s"),
    "GB": ("uk", "великобритания", "англия", "britain", "great britain", "england", "scotland", "wales",
           "northern ireland", "шотландия", "united kingdom of great britain and northern ireland"),
    "DE": ("deutschland",), "TR": ("turkey", "turkiye", "турция"),
    "KG": ("киргизия", "киргизстан"), "MD": ("молдавия",),
    "AE": ("uae", "оаэ", "emirates", "эмираты"), "TH": ("тайланд",),
    "NL": ("голландия", "holland"), "CZ": ("czech republic",),
    "KR": ("korea", "корея", "южная корея", "republic of korea", "korea republic of"),
    "KP": ("north korea", "северная корея", "кндр"),
    "VN": ("viet nam",), "ZA": ("юар", "rsa"), "CI": ("ivory coast", "кот д ивуар"), "CV": ("cape verde",),
    "SZ": ("swaziland",), "MK": ("macedonia", "македония"), "MM": ("burma",), "IR": ("iran islamic republic of",),
    "CD": ("dr congo", "drc", "democratic republic of the congo"), "CG": ("republic of the congo",),
    "LA": ("laos",), "BR": ("brasil",), "ES": ("espana", "españa"), "IT": ("italia",), "FR": ("frankreich",),
    "SY": ("syria",), "BO": ("bolivia",), "VE": ("venezuela",), "TZ": ("tanzania",),
}
# Territory codes in CLDR that are not a country's: EU, UN, the euro zone, pseudo-locales, "unknown".
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})


def _country_key(value: str) -> str:
    text = value.lower().replace("ё", "е").replace("&", " and ")
    return " ".join(re.sub(r"[^\w ]+", " ", text).split())


@functools.lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(name or code -> ISO code, {lang: ISO code -> display name}) from babel's CLDR data."""
    from babel import Locale

    names: dict[str, dict[str, str]] = {}
    lookup: dict[str, str] = {}
    for lang in ("en", "ru"):
        territories = Locale(lang).territories
        names[lang] = {c: n for c, n in territories.items()
                       if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES}
        for code, name in names[lang].items():
            lookup.setdefault(_country_key(name), code)
            # "Bosnia & Herzegovina", "Hong Kong SAR China", "Congo - Kinshasa": also the plain forms
            for short in re.split(r"\s+(?:sar\b.*|-\s.*)$|\s*\(.*\)$", name.lower())[:1]:
                lookup.setdefault(_country_key(short), code)
    for code, words in _COUNTRY_ALIASES.items():
        for word in words:
            lookup[_country_key(word)] = code.strip()
    for code in names["en"]:
        lookup.setdefault(code.lower(), code)
    return lookup, names


def _country_code(value: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country or territory written as a code or an English or
    Russian name ("Uruguay", "Viet Nam", "ЮАР", "РФ", "UK"); None when unknown (an unknown
    two-letter code too)."""
    return _country_tables()[0].get(_country_key(value))


def country_name(code: str | None, lang: str = "en") -> str:
    """A country's display name in ``lang`` ("en" or "ru") from CLDR; the code itself when unknown."""
    if not code:
        return ""
    names = _country_tables()[1]
    return names.get(lang, names["en"]).get(str(code).upper(), str(code))


# Cities as a reader of each language writes them: the shipped sample's cities and the largest cities of the
# countries it covers (a city is the user's data: one not listed here is shown as stored).
_CITY_NAMES: tuple[tuple[str, str], ...] = (
    ("Moscow", "Москва"), ("Saint Petersburg", "Санкт-Петербург"), ("Kazan", "Казань"),
    ("Novosibirsk", "Новосибирск"), ("Yekaterinburg", "Екатеринбург"), ("Krasnodar", "Краснодар"),
    ("Nizhny Novgorod", "Нижний Новгород"), ("Samara", "Самара"), ("Rostov-on-Don", "Ростов-на-Дону"),
    ("Sochi", "Сочи"), ("Ufa", "Уфа"), ("Perm", "Пермь"), ("Chelyabinsk", "Челябинск"), ("Omsk", "Омск"),
    ("Voronezh", "Воронеж"), ("Volgograd", "Волгоград"), ("Krasnoyarsk", "Красноярск"), ("Saratov", "Саратов"),
    ("Tyumen", "Тюмень"), ("Vladivostok", "Владивосток"), ("Kaliningrad", "Калининград"),
    ("Almaty", "Алматы"), ("Astana", "Астана"), ("Shymkent", "Шымкент"), ("Minsk", "Минск"), ("Gomel", "Гомель"),
    ("Brest", "Брест"), ("Tashkent", "Ташкент"), ("Samarkand", "Самарканд"), ("Yerevan", "Ереван"),
    ("Gyumri", "Гюмри"), ("Tbilisi", "Тбилиси"), ("Batumi", "Батуми"), ("New York", "Нью-Йорк"),
    ("Los Angeles", "Лос-Анджелес"), ("Miami", "Майами"), ("Berlin", "Берлин"), ("Munich", "Мюнхен"),
    ("Hamburg", "Гамбург"), ("Istanbul", "Стамбул"), ("Antalya", "Анталья"), ("Dubai", "Дубай"),
    ("Abu Dhabi", "Абу-Даби"), ("Bishkek", "Бишкек"), ("Baku", "Баку"), ("Chisinau", "Кишинёв"),
    ("Kyiv", "Киев"), ("London", "Лондон"), ("Paris", "Париж"),
)


@functools.lru_cache(maxsize=1)
def _city_tables() -> dict[str, dict[str, str]]:
    """{lang: any known spelling (lower case) -> the name in lang}."""
    out: dict[str, dict[str, str]] = {"en": {}, "ru": {}}
    for en, ru in _CITY_NAMES:
        for spelling in (en, ru, ru.replace("ё", "е")):
            out["en"][spelling.lower()] = en
            out["ru"][spelling.lower()] = ru
    return out


def city_name(city: str | None, lang: str = "en") -> str:
    """A city as a reader of ``lang`` writes it ("Perm" on a Russian page is "Пермь"); a city not in the table
    as stored."""
    if not city:
        return ""
    text = str(city).strip()
    return _city_tables().get(lang, {}).get(text.lower(), text)


_LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "ru": ("русский", "russian", "рус", "rus"), "en": ("english", "английский", "англ", "eng"),
    "kk": ("kazakh", "казахский", "каз"), "uk": ("ukrainian", "украинский", "укр"),
    "be": ("belarusian", "белорусский"), "uz": ("uzbek", "узбекский"), "de": ("german", "немецкий"),
    "fr": ("french", "французский"), "es": ("spanish", "испанский"), "it": ("italian", "итальянский"),
    "tr": ("turkish", "турецкий"), "hy": ("armenian", "армянский"), "ka": ("georgian", "грузинский"),
    "az": ("azerbaijani", "азербайджанский"), "ky": ("kyrgyz", "киргизский", "кыргызский"),
    "pt": ("portuguese", "португальский"), "zh": ("chinese", "китайский"), "ar": ("arabic", "арабский"),
    "pl": ("polish", "польский"), "ja": ("japanese", "японский"), "ko": ("korean", "корейский"),
}
_LANGUAGES: dict[str, str] = {w: c for c, ws in _LANGUAGE_NAMES.items() for w in ws}


def _language_code(value: str) -> str | None:
    for part in re.split(r"[,;/|+&]|\s+и\s+", value.lower().replace("ё", "е")):
        key = part.strip(" .")
        if key in _LANGUAGES:
            return _LANGUAGES[key]
        if re.fullmatch(r"[a-z]{2}", key):
            return key
    return None


_TRUE = {"yes", "y", "да", "д", "true", "t", "1", "1.0", "+", "✓", "✔", "✅", "☑", "v", "есть", "ok", "истина"}
_FALSE = {"no", "n", "нет", "н", "false", "f", "0", "0.0", "-", "—", "–", "✗", "✘", "❌", "x", "х", "ложь"}
_BOOL_MISSING = {"", "n/a", "na", "нет данных", "н/д", "null", "none", "nan", "?"}


def _bool_value(value: str) -> Any:
    key = " ".join(value.lower().split())
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    if key in _BOOL_MISSING or key in _MISSING_TOKENS or re.match(_ERROR_VALUE_RE, key):
        return _MISSING
    raise ValueError(value)


_CURRENCY_CODES: dict[str, str] = {
    **{k.rstrip("."): v for k, v in _CURRENCY_WORDS.items()},
    "рубли": "RUB", "рубль": "RUB", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB",
    "доллар": "USD", "доллары": "USD", "us$": "USD", "евр": "EUR", "euro": "EUR", "euros": "EUR",
}


def currency_code(value: str) -> str | None:
    """The currency a currency column's cell names ("USD", "$", "руб.", "евро") as "RUB", "USD" or "EUR"; None
    when it names none the parser reads."""
    key = value.strip().lower().rstrip(".")
    return _CURRENCY_CODES.get(key) or (key.upper() if key.upper() in schema.CURRENCIES else None)


@functools.lru_cache(maxsize=1)
def _iso_currencies() -> frozenset[str]:
    """ISO 4217 codes (CLDR's list, through babel)."""
    from babel.numbers import list_currencies

    return frozenset(c.upper() for c in list_currencies())


_CODE_FIRST_RE = re.compile(r"^\s*([a-z]{3})(?![a-z])\.?\s*(.+?)\s*$", re.IGNORECASE)
_CODE_LAST_RE = re.compile(r"^\s*(.+?)\s*(?<![a-z])([a-z]{3})\.?\s*$", re.IGNORECASE)
# A unit in a header: in brackets or the last word ("Revenue (GBP)", "Выручка, KZT"), never "TOP posts".
_HEADER_CODE_RE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?=\s*[)\]]|\W*$)")


def other_currency(text: str, *, cell: bool = True) -> str | None:
    """The ISO 4217 code (CLDR's list) ``text`` names when it is a currency the parser does not read (not
    RUB, USD or EUR): for a ``cell``, a code beside a number in any case ("500 GBP", "kzt 1 200"); for a header
    (``cell=False``), a code written in capitals, in brackets or as the last word ("Revenue (GBP)", "Выручка, KZT").
    None otherwise."""
    codes = _iso_currencies()
    if not cell:
        found = (m[1] for m in _HEADER_CODE_RE.finditer(str(text)))
        return next((c for c in found if c in codes and c not in schema.CURRENCIES), None)
    for rx, code_at, number_at in ((_CODE_FIRST_RE, 1, 2), (_CODE_LAST_RE, 2, 1)):
        m = rx.match(str(text))
        if m is None or m[code_at].upper() not in codes or m[code_at].upper() in schema.CURRENCIES:
            continue
        try:
            if parse_number(m[number_at]) is not None:
                return m[code_at].upper()
        except ValueError:
            continue
    return None


_ER_BASIS: dict[str, str] = {
    "followers": "followers", "follower": "followers", "подписчики": "followers", "подписчиков": "followers",
    "subscribers": "followers", "по подписчикам": "followers", "erf": "followers", "er": "followers",
    "views": "views", "view": "views", "просмотры": "views", "просмотров": "views", "по просмотрам": "views",
    "reach": "views", "охват": "views", "по охвату": "views", "err": "views", "erv": "views",
}

_MONTHS: tuple[tuple[str, int], ...] = (
    ("янв", 1), ("фев", 2), ("мар", 3), ("апр", 4), ("мая", 5), ("май", 5), ("июн", 6), ("июл", 7), ("авг", 8),
    ("сен", 9), ("окт", 10), ("ноя", 11), ("дек", 12), ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4),
    ("may", 5), ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12),
)


def _month(word: str) -> int | None:
    word = word.lower()
    return next((n for stem, n in _MONTHS if word.startswith(stem)), None)


def parse_date(value: Any, *, day_first_slash: bool = True) -> dt.date | None:
    """A date as spreadsheets and people write it, the one reader of dates (blogger lists, results and sales files):
    2026-12-01 (also with "/" or "." and with a time after it), 01.12.2026 and 01.12.26, 01-12-2026, 1/12/2026
    (day first; month first with ``day_first_slash=False``), 1 декабря 2026 г., 1 Dec 2026, Dec 1, 2026, an Excel
    serial day number (20000 to 80000: 1954 to 2119). None for anything else, an impossible day included."""
    text = str(value).strip().lower()
    y = mo = d = 0
    short = False  # a two-digit year (01.12.26): 2026; a four-digit one is taken as written (0001 is no 2001)
    if m := re.fullmatch(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[ t].*)?", text):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})([.-])(\d{1,2})\2(\d{4}|\d{2})(?:\s.*)?", text):
        d, mo, y, short = int(m[1]), int(m[3]), int(m[4]), len(m[4]) == 2
    elif m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:\s.*)?", text):
        a, b, y, short = int(m[1]), int(m[2]), int(m[3]), len(m[3]) == 2
        d, mo = (a, b) if day_first_slash else (b, a)
    elif m := re.fullmatch(r"(\d{1,2})\s+([a-zа-яё]+)\.?,?\s+(\d{4})(?:\s*г\.?)?", text):
        d, mo, y = int(m[1]), _month(m[2]) or 0, int(m[3])
    elif m := re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", text):
        mo, d, y = _month(m[1]) or 0, int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{5})(?:\.\d+)?", text):  # Excel serial day number (the 1900 system), its time left
        serial = int(m[1])
        return dt.date(1899, 12, 30) + dt.timedelta(days=serial) if 20000 <= serial <= 80000 else None
    else:
        return None
    if short:
        y += 2000
    try:
        return dt.date(y, mo, d)
    except ValueError:  # out of range: 32.13.2026
        return None


def _date_value(value: str, day_first_slash: bool) -> str:
    """:func:`parse_date` as the importer stores it (ISO text); ``ValueError`` for no date."""
    day = parse_date(value, day_first_slash=day_first_slash)
    if day is None:
        raise ValueError(value)
    return day.isoformat()


_AUD_COUNTRY_RE = re.compile(
    r"([^\W\d_][^\d:=\-–—]*?)\s*[:=\-–—]?\s*(\d+(?:[.,]\d+)?)\s*(%?)", re.UNICODE)


def _audience_countries(value: str) -> str:
    text = value.strip()
    if re.fullmatch(r"(?:[A-Za-z]{2}:\d*\.?\d+;?)+", text.replace(" ", "")):
        pairs = [p.split(":") for p in text.replace(" ", "").strip(";").split(";")]
        items = [(c.upper(), fraction(v)) for c, v in pairs]
    else:
        items = []
        if _AUD_COUNTRY_RE.sub("", text).strip(" ,;\t\n"):  # something besides "country share" pairs
            raise ValueError(value)
        for m in _AUD_COUNTRY_RE.finditer(text):
            code = _country_code(m[1].strip(" ,;"))
            if code is None:
                raise ValueError(value)
            items.append((code, fraction(m[2], in_percent=bool(m[3]))))
        if not items:
            raise ValueError(value)
    shares = [(c, v) for c, v in items if v is not None and 0 <= v <= 1]
    if len(shares) < len(items):
        raise ValueError(value)
    return ";".join(f"{c}:{_share_text(v)}" for c, v in shares)


def _share_text(value: float) -> str:
    """0.1 -> '0.10', 0.105 -> '0.105', 1 -> '1.00': two to four decimals."""
    text = f"{round(value, 4):.4f}".rstrip("0")
    return text + "0" * (2 - len(text.partition(".")[2]))


_AUD_PAIR = r"[a-zA-Z]{2}\s*:\s*\d+(?:[.,]\d+)?\s*%?"
_AUD_CODES_RE = rf"^{_AUD_PAIR}(?:\s*[;,]\s*{_AUD_PAIR})*\s*[;,]?$"


def _audience_codes(cells: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Cells of ISO-code pairs ("RU:0,71, KZ:0,12", "RU:62%;KZ:10%") as "RU:0.71;KZ:0.12" (null when a
    share is above 100 %), and the mask of those cells."""
    cells = pc.replace_substring_regex(cells, r"(\d),(\d)", r"\1.\2")
    cells = pc.replace_substring_regex(cells, r"\s*[;,]\s*$", "")
    parts = pc.split_pattern_regex(cells, r"\s*[;,]\s*")
    m = pc.extract_regex(pc.list_flatten(parts), r"^(?P<c>[a-zA-Z]{2})\s*:\s*(?P<v>\d+(?:\.\d+)?)\s*(?P<p>%?)$")
    value = _np(pc.cast(m.field("v"), pa.float64())).astype(float)
    share = fractions(value, _np(pc.equal(m.field("p"), "%")).astype(bool))
    parent = _np(pc.list_parent_indices(parts)).astype(np.int64)
    cell_bad = np.bincount(parent, weights=(share > 1).astype(float), minlength=len(cells)) > 0
    code = pc.replace_substring_regex(pc.utf8_upper(m.field("c")), "^UK$", "GB")
    shown = pc.cast(pc.cast(pc.round(pa.array(share), 4), pa.string()), pa.large_string())
    shown = pc.replace_substring_regex(pc.replace_substring_regex(shown, r"^(\d+)$", r"\1.00"),
                                       r"^(\d+\.\d)$", r"\10")  # at least two decimals: 0.10
    pairs = pc.binary_join_element_wise(code, shown, pa.scalar(":", pa.large_string()))
    joined = pc.binary_join(pa.LargeListArray.from_arrays(parts.offsets.cast(pa.int64()), pairs),
                            pa.scalar(";", pa.large_string()))
    return pc.if_else(pa.array(cell_bad), pa.scalar(None, pa.large_string()), joined), cell_bad


def _audience_countries_column(arr: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Vectorised :func:`_audience_countries`: cells written with ISO codes ("RU:0,71, KZ:0,12",
    "RU:62%;KZ:10%") are parsed with Arrow kernels, other forms one distinct value at a time. Returns the
    values as an Arrow large_string array (null: missing or unreadable) and the unreadable cells' mask."""
    enc = arr.dictionary_encode()
    codes = _np(enc.indices.fill_null(-1)).astype(np.int64)
    d = pc.utf8_trim_whitespace(enc.dictionary)
    low = pc.utf8_lower(d)
    missing = _np(pc.or_(pc.is_in(low, value_set=_TEXT_MISSING_PA),
                         pc.match_substring_regex(low, _TEXT_MISSING_RE))).astype(bool)
    del low
    result = pa.nulls(len(d), type=pa.large_string())  # one per distinct value
    bad = np.zeros(len(d) + 1, dtype=bool)
    fast = _np(pc.match_substring_regex(d, _AUD_CODES_RE)).astype(bool) & ~missing
    if fast.any():
        pos = np.flatnonzero(fast)
        parsed = [_audience_codes(pc.take(d, pa.array(pos[i:i + _TEXT_SLICE_ROWS])))
                  for i in range(0, len(pos), _TEXT_SLICE_ROWS)]  # a slice at a time: small temporaries
        result = pc.replace_with_mask(result, pa.array(fast), pa.concat_arrays([p[0] for p in parsed]))
        bad[pos] = np.concatenate([p[1] for p in parsed])
        del parsed
    slow = np.flatnonzero(~fast & ~missing)
    if len(slow):
        texts: list[str | None] = []
        for i in slow.tolist():
            try:
                texts.append(_audience_countries(d[i].as_py()))
            except ValueError:
                texts.append(None)
                bad[i] = True
        mask = np.zeros(len(d), dtype=bool)
        mask[slow] = True
        result = pc.replace_with_mask(result, pa.array(mask), pa.array(texts, type=pa.large_string()))
    return pc.take(result, enc.indices), bad[codes]
