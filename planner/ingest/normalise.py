"""Raw table to canonical blogger rows: :func:`normalise` validates and converts each field of
:mod:`planner.core.schema`, :func:`preview` reads, maps and normalises an upload (an
:class:`ImportPreview`: the accepted rows and the :class:`Rejection` of each cell that could not be used).
Pure functions, no database: the caller writes the accepted frame.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from planner.core import schema
from planner.core.units import fractions
from planner.ingest.mapping import _header_key, _header_multiplier, _platform_hint, header_currency, map_columns
from planner.ingest.reading import _RELEASE_BYTES, _release_arrow_memory, read_table
from planner.ingest.reasons import _CONTROL_RE2, _PY_BLANK_RE2, REASONS, _unexpected_is_unreadable, reason_text
from planner.ingest.values import (
    _ER_BASIS,
    _URL_PLATFORM,
    _URL_RE,
    _arrow_text,
    _as_text,
    _audience_countries_column,
    _bool_value,
    _cleaned,
    _country_code,
    _date_value,
    _factorize,
    _fraction_column,
    _is_arrow_text,
    _language_code,
    _map_unique,
    _niches,
    _np,
    _parse_core,
    _Parsed,
    _platform_code,
    _text_array,
    _to_arrow,
    _to_percent,
    currency_code,
)

__all__ = ["ImportPreview", "Rejection", "missing_fields_message", "normalise", "preview"]


@dataclass(slots=True)
class Rejection:
    """A cell the importer could not use: its spreadsheet row, its source header, and why (``code`` and
    ``params``; ``reason`` is the English text built from them)."""

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return reason_text(self.code, self.params)

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportPreview:
    """The result of reading a file. Counts are rows: ``rows_read`` = ``accepted`` + ``refused``
    + ``duplicates_dropped`` + ``superseded``. ``rejected`` lists the cells that refused a row
    (only identity does: handle and platform); ``warnings`` the cells of stored rows that
    could not be read and were left blank, and ranges stored as their midpoint. When a required
    field has no column (``missing_fields``) nothing is stored and no row is listed."""

    frame: pd.DataFrame
    rejected: list[Rejection]
    rows_read: int
    mapping: dict[str, str | None]
    duplicates_dropped: int
    superseded: int = 0  # valid rows replaced by a later row with the same (platform, handle)
    warnings: list[Rejection] = field(default_factory=list)
    refused: int = 0  # rows refused (not stored)
    missing_fields: list[str] = field(default_factory=list)  # required fields with no column
    assumed_platform: str | None = None  # platform read from a header or the file name
    from_content: dict[str, str] = field(default_factory=dict)  # header -> field guessed from the cells
    sheet: str | None = None  # the workbook sheet read (None for a text file)
    sheets: list[str] = field(default_factory=list)  # every sheet of the workbook

    @property
    def accepted(self) -> int:
        return len(self.frame)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "accepted": self.accepted,
            "refused": self.refused,
            "rejected": [{"row": r.row, "column": r.column, "reason": r.reason} for r in self.rejected],
            "warnings": [{"row": r.row, "column": r.column, "reason": r.reason} for r in self.warnings],
            "mapping": dict(self.mapping),
            "duplicates_dropped": self.duplicates_dropped,
            "superseded": self.superseded,
            "missing_fields": list(self.missing_fields),
            "assumed_platform": self.assumed_platform,
            "from_content": dict(self.from_content),
            "sheet": self.sheet,
            "sheets": list(self.sheets),
        }


def missing_fields_message(fields: Sequence[str]) -> str:
    """One line saying which required fields have no column and how to fix it on the command line."""
    parts = []
    cols = [f for f in fields if f != "platform"]
    if cols:
        parts.append("no column is mapped to " + " and ".join(cols) + ": map one with "
                     + " ".join(f'--map "HEADER={f}"' for f in cols))
    if "platform" in fields:
        parts.append("no platform column or profile links: give one with --platform "
                     + "|".join(schema.PLATFORMS))
    return "; ".join(parts)


def normalise(raw: pd.DataFrame, mapping: Mapping[str, str | None], platform: str | None = None, *,
              filename: str = "") -> ImportPreview:
    """Validate and convert a raw table (from :func:`read_table`) into canonical blogger rows.

    ``mapping`` is source header -> field (None or an unknown field: ignored; a field mapped
    twice: the first header wins). ``platform`` is the default for rows whose platform is
    neither in a column nor in a profile link; without one, a platform named by the handle's
    header or another header ("Instagram handle", "Tiktoker name") or by ``filename`` is used
    (``assumed_platform``).

    Only identity refuses a row: a missing or unreadable handle or platform
    gives a :class:`Rejection` (row, source header, reason) in ``rejected``. Any other cell that
    cannot be read is left blank and the row is stored with a warning (same shape, in
    ``warnings``); a range ("10-15K") is stored as its midpoint with a warning. A required field
    with no column at all is one entry of ``missing_fields`` (no row is listed, none is stored).
    Exact duplicate rows are dropped and counted; of rows with the same (platform, handle) the
    last one is kept (counted in ``superseded``). ``raw.attrs`` ``sheet`` and ``sheets`` are passed on.
    Anything unexpected is an :class:`UnreadableFile` ("unexpected"), never another exception (an
    unknown ``platform`` is the caller's error: ``ValueError``). ``raw`` is left as it is.
    """
    return _normalise_table(raw, mapping, platform, filename, consume=False)


def _normalise_table(raw: pd.DataFrame, mapping: Mapping[str, str | None], platform: str | None, filename: str, *,
                     consume: bool) -> ImportPreview:
    """:func:`normalise`; with ``consume`` (a raw table nobody else holds, as :func:`preview` has) each source
    column is deleted from ``raw`` once it has been read for good, so the raw table shrinks while the result
    grows."""
    default_platform = None
    if platform:
        default_platform = _platform_code(platform)
        if default_platform is None:
            raise ValueError(f"unknown platform {platform!r}")
    try:
        with _unexpected_is_unreadable():
            result = _normalise(raw, mapping, default_platform, filename, consume)
    finally:
        _release_arrow_memory()
    result.sheet = raw.attrs.get("sheet")
    result.sheets = list(raw.attrs.get("sheets") or [])
    return result


def preview(data: bytes, filename: str = "", platform: str | None = None,
            overrides: Mapping[str, str | None] | None = None,
            remembered: Mapping[str, str | None] | None = None, sheet: str | None = None) -> ImportPreview:
    """Read, map and normalise an upload. ``overrides`` ({source header: field, or None/"" to
    ignore}) win over ``remembered`` choices, which win over the guess from the cells and then
    the automatic guess from the headers. ``sheet`` names the workbook sheet to read (default: the
    sheet that holds the data). Raises :class:`UnreadableFile` and nothing else for any file."""
    raw = read_table(data, filename, remembered={**(remembered or {}), **(overrides or {})}, sheet=sheet)
    del data
    mapping, from_content = map_columns(raw, remembered, overrides)
    result = _normalise_table(raw, mapping, platform, filename, consume=True)  # nobody else holds ``raw``
    result.from_content = from_content
    return result


# --------------------------------------------------------------------------------------------
# The sections of a row, chosen by the schema's field kinds
# --------------------------------------------------------------------------------------------

def _fields(kinds: tuple[str, ...], *, high: float | None = None, but: Sequence[str] = ()) -> tuple[str, ...]:
    """The schema's fields of these kinds (and this upper bound), in schema order, but the ones named."""
    return tuple(f.name for f in schema.FIELDS
                 if f.kind in kinds and (high is None or f.high == high) and f.name not in but)


# Numbers by their range: shares 0..1, rates 0..100 %; prices are the numbers the currency applies to; the
# other numbers are counts.
_SHARE_FIELDS = _fields(("float",), high=1)
_RATE_FIELDS = _fields(("float",), high=100)
_MONEY_FIELDS = (*(f"price_{fmt}" for fmt in schema.FORMATS), "barter_min_value")
_COUNT_FIELDS = _fields(("int", "float"), but=(*_SHARE_FIELDS, *_RATE_FIELDS, *_MONEY_FIELDS))
_NUMBER_FIELDS = (*_COUNT_FIELDS, *_MONEY_FIELDS, *_RATE_FIELDS, *_SHARE_FIELDS)  # in the order they are read
_BOOL_FIELDS = _fields(("bool",))
_DATE_FIELDS = _fields(("date",))
# Required columns: the platform may also come from profile links or a default.
REQUIRED_COLUMNS = tuple(f.name for f in schema.FIELDS if f.required and f.name != "platform")
# Text read through a value table: the code of a value (None: unknown) and the warning for an unknown one.
_CODED_TEXT: dict[str, tuple[Callable[[str], Any], str | None]] = {
    "country": (_country_code, "unknown_country"),
    "language": (_language_code, "unknown_language"),
    "niches": (_niches, None),  # a free tag is kept as it is: never unknown
}
# Text kept as it is: every text field that no section below reads in its own way.
_PLAIN_TEXT_FIELDS = _fields(("str",), but=("handle", "platform", "er_basis", "currency", "audience_countries",
                                            *_CODED_TEXT))
_VIEW_PLATFORMS = ("youtube", "tiktok", "twitch")


def _normalise(raw: pd.DataFrame, mapping: Mapping[str, str | None], default_platform: str | None,
               filename: str, consume: bool) -> ImportPreview:
    """:func:`normalise` section by section: the identity (handle, then platform), the numbers (parsed ahead in
    threads on a big table), the other fields, the database's limits on text, then the rows stored."""
    clean_map, source = _source_columns(raw, mapping)
    assumed_platform = None if default_platform or "platform" in source else _assumed_platform(raw, source, filename)
    default_platform = default_platform or assumed_platform
    rows_read = len(raw)
    t = _Table(raw, source, clean_map, consume)

    missing_fields = [f for f in REQUIRED_COLUMNS if f not in source]
    if missing_fields:
        if "platform" not in source and default_platform is None and not _has_links(raw, source.get("handle")):
            missing_fields.append("platform")
        return _missing_preview(clean_map, rows_read, t.duplicates, t.n, missing_fields, assumed_platform)
    if not _platform(t, _handle(t), default_platform):
        return _missing_preview(clean_map, rows_read, t.duplicates, t.n, ["platform"], assumed_platform)
    parsed = _ParsedColumns([f for f in _NUMBER_FIELDS if f in source], lambda f: t.column(source[f]), t.n)
    for number_section in (_counts, _money, _rates, _shares):
        number_section(t, parsed)
    parsed.close()
    for section in (_er_basis, _currency, _booleans, _coded_text, _audience, _dates, _plain_text, _stored_text):
        section(t)
    return _assemble(t, clean_map, rows_read, assumed_platform)


def _source_columns(raw: pd.DataFrame, mapping: Mapping[str, str | None]
                    ) -> tuple[dict[str, str | None], dict[str, Any]]:
    """``(header -> field or None, field -> header)``: a field mapped twice is the first header's."""
    clean_map: dict[str, str | None] = {}
    source: dict[str, Any] = {}
    for header in raw.columns:
        wanted = mapping.get(header)
        if isinstance(wanted, str) and wanted in schema.FIELD_BY_NAME and wanted not in source:
            source[wanted] = header
            clean_map[str(header)] = wanted
        else:
            clean_map[str(header)] = None
    return clean_map, source


def _assumed_platform(raw: pd.DataFrame, source: dict[str, Any], filename: str) -> str | None:
    """The one platform named by the handle's header, else by the headers, else by the file name."""
    headers = [str(source["handle"])] if "handle" in source else []
    return _platform_hint(headers) or _platform_hint([str(h) for h in raw.columns]) or _platform_hint([filename])


class _Table:
    """One normalisation under way: the source column of each field, the rows kept (exact duplicates
    dropped), the values read so far (``out``, field -> column) and the cells that refuse their row
    (``rej``) or are left blank (``warn``)."""

    def __init__(self, raw: pd.DataFrame, source: dict[str, Any], clean_map: dict[str, str | None],
                 consume: bool) -> None:
        self.raw = raw
        self.source = source
        self.consume = consume
        dup = _duplicate_rows(raw, source.get("handle"))
        self.duplicates = int(dup.sum())
        self.kept_rows = ~dup
        self.rows = _row_numbers(raw)[self.kept_rows]
        self.n = len(self.rows)
        self.order = {h: i for i, h in enumerate(raw.columns)}
        self.freed = 0  # bytes of raw columns deleted since memory was last given back
        if consume:  # columns mapped to no field are not read at all (they counted for exact duplicates above)
            for header in [h for h in raw.columns if clean_map.get(str(h)) is None]:
                self.drop(header)
        if self.n >= 200_000:
            _release_arrow_memory()  # finding the duplicates' temporaries
        self.rej = _Rejects(self.n)
        self.warn = _Rejects(self.n)
        self.out: dict[str, Any] = {}
        self.money_currency: dict[str, np.ndarray] = {}  # price field -> the currency its cells name

    def mapped(self, fields: Sequence[str]) -> list[str]:
        """The fields that have a column."""
        return [f for f in fields if f in self.source]

    def column(self, header: Any) -> pd.Series:
        """A source column without the dropped duplicates (one column copied at a time, never the table)."""
        return self.raw[header][self.kept_rows] if self.duplicates else self.raw[header]

    def drop(self, header: Any) -> None:
        self.freed += int(pa.array(self.raw[header].array).nbytes) if _is_arrow_text(self.raw[header].dtype) else 0
        del self.raw[header]

    def done(self, *fields: str) -> None:
        """The source columns of ``fields`` are read for good (their cells shown in every reason already):
        with ``consume``, deleted from ``raw``."""
        if self.consume:
            for f in fields:
                if f in self.source and self.source[f] in self.raw.columns:
                    self.drop(self.source[f])
            if self.freed >= _RELEASE_BYTES:  # for numpy's allocations too, which Arrow's allocator cannot reuse
                _release_arrow_memory()
                self.freed = 0

    def raw_text(self, f: str) -> pa.Array:
        """The cells as they are (for columns with few distinct values, cleaned value by value)."""
        return _to_arrow(_as_text(self.column(self.source[f])))

    def text(self, f: str) -> pa.Array:
        """The cells without outer spaces; empty cells and "N/A"-like markers null."""
        return _arrow_text(self.column(self.source[f]))

    def col_name(self, f: str) -> str:
        return str(self.source.get(f, f))

    def col_order(self, f: str) -> int:
        return self.order.get(self.source[f], -1) if f in self.source else -1

    def shown(self, f: str, pos: np.ndarray) -> list[str]:
        return [_shown(v) for v in self.column(self.source[f]).iloc[pos].tolist()]

    def reject(self, f: str, mask: np.ndarray, code: str, into: _Rejects | None = None) -> None:
        """Reject the masked cells of field ``f`` with reason ``code`` (its ``value``: the cell as shown)."""
        pos = np.flatnonzero(mask)
        if len(pos):
            params = [{"value": v} for v in self.shown(f, pos)] if "{value" in REASONS[code] else None
            (into or self.rej).add(mask, self.col_name(f), self.col_order(f), code, params)

    def warning(self, f: str, mask: np.ndarray, code: str) -> None:
        """The masked cells of optional field ``f`` are left blank; the rows are stored."""
        self.reject(f, mask, code, self.warn)

    def reject_with(self, f: str, mask: np.ndarray, code: str, extra: Mapping[str, Any], into: _Rejects) -> None:
        """Like :meth:`reject` with fixed parameters beside the cell's value (a limit, say)."""
        pos = np.flatnonzero(mask)
        if len(pos):
            values = self.shown(f, pos) if "{value" in REASONS[code] else [None] * len(pos)
            params = [{**extra, **({"value": v} if v is not None else {})} for v in values]
            into.add(mask, self.col_name(f), self.col_order(f), code, params)


def _shown(value: Any) -> str:
    """A cell as a reason shows it: stripped, long text shortened."""
    text = str(value).strip()
    return text if len(text) <= 60 else text[:57] + "..."


class _Rejects:
    """Collects rejected cells column by column; ``mask`` marks the rejected rows."""

    def __init__(self, n: int) -> None:
        self.mask = np.zeros(n, dtype=bool)
        self.pos: list[np.ndarray] = []
        self.order: list[np.ndarray] = []
        self.columns: list[str] = []
        self.codes: list[str] = []
        self.params: list[list[dict[str, Any]] | None] = []

    def add(self, mask: np.ndarray, column: str, order: int, code: str,
            params: list[dict[str, Any]] | None = None) -> None:
        """Mark the masked cells with reason ``code``; ``params`` (one dict per marked cell) or none."""
        pos = np.flatnonzero(mask)
        if not len(pos):
            return
        self.mask[pos] = True
        self.pos.append(pos)
        self.order.append(np.full(len(pos), order))
        self.columns.append(column)
        self.codes.append(code)
        self.params.append(params)

    def build(self, rows: np.ndarray, drop: np.ndarray | None = None) -> list[Rejection]:
        """The collected cells in row, then column order; rows marked in ``drop`` left out."""
        if not self.pos:
            return []
        pos = np.concatenate(self.pos)
        order = np.concatenate(self.order)
        part = np.concatenate([np.full(len(p), i) for i, p in enumerate(self.pos)])
        offset = np.concatenate([np.arange(len(p)) for p in self.pos])
        ranked = np.lexsort((part, order, pos))
        if drop is not None:
            ranked = ranked[~drop[pos[ranked]]]
        out = []
        for k in ranked.tolist():
            params = self.params[part[k]]
            out.append(Rejection(int(rows[pos[k]]), self.columns[part[k]], self.codes[part[k]],
                                 dict(params[offset[k]]) if params is not None else {}))
        return out


def _row_numbers(raw: pd.DataFrame) -> np.ndarray:
    if raw.index.name == "row" and pd.api.types.is_integer_dtype(raw.index.dtype):
        return raw.index.to_numpy(dtype=np.int64)
    return np.arange(len(raw), dtype=np.int64) + 2


def _duplicate_rows(raw: pd.DataFrame, key: Any = None) -> np.ndarray:
    """Rows equal in every cell to an earlier row. Only rows whose ``key`` column (default: the
    first) repeats can be duplicates, so the full comparison runs on those alone."""
    if not raw.shape[1] or len(raw) < 2:
        return np.zeros(len(raw), dtype=bool)
    key_pos = raw.columns.get_loc(key) if key is not None and key in raw.columns else 0
    key_pos = key_pos if isinstance(key_pos, int) else 0
    codes = _np(_to_arrow(_as_text(raw.iloc[:, key_pos])).dictionary_encode().indices.fill_null(-1))
    codes = codes.astype(np.int64) + 1
    candidates = np.flatnonzero(np.bincount(codes)[codes] > 1)
    result = np.zeros(len(raw), dtype=bool)
    if len(candidates):
        sub = raw.iloc[candidates]
        result[candidates] = _repeated([_to_arrow(_as_text(sub.iloc[:, i])) for i in range(sub.shape[1])])
    return result


def _repeated(arrays: Sequence[pa.Array], keep: str = "first") -> np.ndarray:
    """Rows whose cells in ``arrays`` all equal those of another row that is kept (the first or
    the last of each group)."""
    n = len(arrays[0]) if arrays else 0
    if n < 2:
        return np.zeros(n, dtype=bool)
    joined = arrays[0] if len(arrays) == 1 else pc.binary_join_element_wise(
        *arrays, pa.scalar("\x1f", pa.large_string()), null_handling="replace", null_replacement="\x00")
    codes = _np(joined.dictionary_encode().indices.fill_null(-1)).astype(np.int64)
    order = np.arange(n) if keep == "first" else np.arange(n)[::-1]
    _, kept = np.unique(codes[order], return_index=True)
    repeated = np.ones(n, dtype=bool)
    repeated[order[kept]] = False
    return repeated


# --------------------------------------------------------------------------------------------
# Identity: handle and platform (a row without them is refused)
# --------------------------------------------------------------------------------------------

def _handle(t: _Table) -> np.ndarray:
    """The handle, from a profile link too; returns the platform each profile link names (None elsewhere)."""
    url_platform = np.full(t.n, None, dtype=object)
    arr = t.text("handle")
    low = pc.utf8_lower(arr)
    missing = _np(pc.is_null(arr)).astype(bool)
    cand = pc.utf8_ltrim(low, characters="@")
    is_url = np.zeros(t.n, dtype=bool)
    link_like = _np(pc.fill_null(pc.match_substring_regex(low, r"^(https?://|www\.)"), False)).astype(bool)
    slash = np.flatnonzero(_np(pc.fill_null(pc.match_substring(low, "/"), False)).astype(bool))
    if len(slash):  # only cells with a "/" can be profile links
        sub = pc.take(low, pa.array(slash))
        m = pc.extract_regex(sub, _URL_RE)
        sub_url = _np(pc.is_valid(m)).astype(bool)
        is_url[slash] = sub_url
        link_like[slash] |= _np(pc.match_substring_regex(sub, r"^[\w.-]+\.[a-z]{2,}/")).astype(bool)
        fixed = pc.utf8_rtrim(pc.utf8_ltrim(pc.if_else(pa.array(sub_url), m.field("h"), sub), characters="@"),
                              characters="/")
        mask = np.zeros(t.n, dtype=bool)
        mask[slash] = True
        cand = pc.replace_with_mask(cand, pa.array(mask), fixed)
        if sub_url.any():
            domains = _np(pc.filter(m.field("dom"), pa.array(sub_url))).astype(object)
            url_platform[slash[sub_url]] = [_URL_PLATFORM.get(d) for d in domains]
    link_like &= ~is_url & ~missing
    valid = _np(pc.fill_null(pc.match_substring_regex(cand, r"^[^\s/?#@,;]+$"), False)).astype(bool)
    t.reject("handle", missing, "handle_missing")
    t.reject("handle", link_like, "bad_profile_link")
    t.reject("handle", ~missing & ~link_like & ~valid, "not_a_handle")
    t.out["handle"] = cand
    return url_platform


def _platform(t: _Table, url_platform: np.ndarray, default_platform: str | None) -> bool:
    """The platform: its column, else the profile link's, else the default. False (nothing read) when no row
    can have one: no column, no default and not one profile link."""
    plat = np.full(t.n, None, dtype=object)
    bad_platform = np.zeros(t.n, dtype=bool)
    if "platform" in t.source:
        plat, bad_platform = _map_unique(t.raw_text("platform"), _cleaned(_platform_code))
        t.reject("platform", bad_platform, "unknown_platform")
        conflict = (plat != None) & (url_platform != None) & (plat != url_platform)  # noqa: E711
        pos = np.flatnonzero(conflict)
        if len(pos):
            t.rej.add(conflict, t.col_name("platform"), t.col_order("platform"), "platform_link_mismatch",
                      [{"value": v, "link": url_platform[i]}
                       for i, v in zip(pos, t.shown("platform", pos), strict=True)])
    plat = np.where(plat == None, url_platform, plat)  # noqa: E711
    if "platform" not in t.source and default_platform is None and t.n and not (url_platform != None).any():  # noqa: E711
        return False
    if default_platform:
        plat = np.where(plat == None, default_platform, plat)  # noqa: E711
    t.reject("platform", (plat == None) & ~bad_platform, "platform_missing")  # noqa: E711
    t.out["platform"] = plat
    t.done("handle", "platform")
    return True


# --------------------------------------------------------------------------------------------
# Numbers: counts, money, rates, shares
# --------------------------------------------------------------------------------------------

def _amounts(t: _Table, f: str, parsed: _ParsedColumns) -> tuple[_Parsed, np.ndarray, np.ndarray]:
    """A column of counts or prices: the parsed cells, their values in the header's unit ("тыс", "K") and
    which of them are stored. A cell that cannot be (not a number, a percentage, negative, above the
    schema's bound) refuses its row in a required field and is left blank in any other."""
    spec = schema.FIELD_BY_NAME[f]
    p = parsed.take(f)
    values = p.values
    factor = _header_multiplier(str(t.source[f]))
    if factor != 1.0:
        values = np.where(p.suffix, values, values * factor)
    into = t.rej if spec.required else t.warn
    t.reject(f, p.error, "not_a_number", into)
    t.reject(f, p.pct, "percent_not_number", into)
    t.reject(f, values < 0, "negative_number", into)
    t.warning(f, p.range & ~p.pct & (values >= 0), "range_midpoint")
    high = spec.high if spec.high is not None else float("inf")
    huge = ~p.pct & (values >= 0) & ~(values <= high)  # inf included
    if huge.any():
        t.reject_with(f, huge, "followers_out_of_range" if f == "followers" else "out_of_range", {"high": high}, into)
    return p, values, np.isfinite(values) & (values >= 0) & ~p.pct & ~huge


def _counts(t: _Table, parsed: _ParsedColumns) -> None:
    for f in t.mapped(_COUNT_FIELDS):
        p, values, ok = _amounts(t, f, parsed)
        spec = schema.FIELD_BY_NAME[f]
        if f == "followers":  # a count of zero is no audience figure: left blank, with a warning
            t.warning(f, ok & (values == 0), "followers_zero")
            ok &= values > 0
        if spec.kind == "int":
            t.out[f] = pd.array(np.where(ok, np.round(values), np.nan), dtype="Int64")
        else:
            t.out[f] = np.where(ok, values, np.nan)
        del p, values, ok
        t.done(f)


def _money(t: _Table, parsed: _ParsedColumns) -> None:
    """Prices, and the currency each cell names ("15 000 ₽") or its header does ("Цена, $")."""
    for f in t.mapped(_MONEY_FIELDS):
        p, values, ok = _amounts(t, f, parsed)
        t.out[f] = np.where(ok, values, np.nan)
        cur = p.currency.copy()
        header_cur = header_currency(str(t.source[f]))
        if header_cur:
            cur[(cur == None) & np.isfinite(values)] = header_cur  # noqa: E711
        t.money_currency[f] = cur
        del p, values, ok
        t.done(f)


def _rates(t: _Table, parsed: _ParsedColumns) -> None:
    """Rates in percent (the engagement rate), up to the schema's bound (100 %)."""
    for f in t.mapped(_RATE_FIELDS):
        p = parsed.take(f)
        # A percent column may hold only values <= 1 (mega-bloggers at 0.8 %), so the cells count as
        # fractions only when they also look like them: median at most 0.3 (30 %).
        rate = _to_percent(p, _fraction_column(p, max_median=0.3))
        t.warning(f, p.error, "not_a_number")
        t.warning(f, rate < 0, "negative_number")
        t.warning(f, p.range & (rate >= 0), "range_midpoint")
        ok = (rate >= 0) & (rate <= schema.FIELD_BY_NAME[f].high)
        t.warning(f, (rate >= 0) & ~ok, "rate_out_of_range")  # 1e308 % and inf included
        t.out[f] = np.where(ok, rate, np.nan)
        del p, rate, ok
        t.done(f)


def _shares(t: _Table, parsed: _ParsedColumns) -> None:
    """Shares as fractions 0..1 ("82%", "82" and "0.82" alike)."""
    for f in t.mapped(_SHARE_FIELDS):
        p = parsed.take(f)
        if f in ("credibility", "audience_female"):
            # Per cell: "82%", "82" and "0.82" are all 0.82 (below 1 % is not a plausible value here).
            share = fractions(p.values, p.pct)
        else:  # age buckets: 0.5 % is plausible, so the column decides
            share = _to_percent(p, None) / 100.0
        in_range = (share >= 0) & (share <= 1 + 1e-9)
        t.warning(f, p.error, "not_a_number")
        t.warning(f, np.isfinite(share) & ~in_range, "share_out_of_range")
        t.out[f] = np.where(in_range, np.minimum(share, 1.0), np.nan)
        del p, share, in_range
        t.done(f)


# --------------------------------------------------------------------------------------------
# Text: coded values (ER basis, currency, yes/no, country, language, niches, audience, dates) and plain text
# --------------------------------------------------------------------------------------------

def _er_basis(t: _Table) -> None:
    """What the engagement rate is computed on: its column, else the rate's header ("ERR", "ER по
    подписчикам"), else the platform's usual basis (views on video platforms)."""
    if "er_basis" not in t.source and "engagement_rate" not in t.source:
        return
    views = pd.Series(t.out["platform"], dtype=object).isin(_VIEW_PLATFORMS).to_numpy(dtype=bool)
    basis_default = np.array(["followers", "views"], dtype=object)[views.astype(np.int64)]
    if "engagement_rate" in t.source:
        key = _header_key(t.source["engagement_rate"])
        if re.search(r"\berr\b|просмотр|views|охват|reach", key):
            basis_default[:] = "views"
        elif re.search(r"подписч|follower|subscr", key):
            basis_default[:] = "followers"
    basis = np.full(t.n, None, dtype=object)
    if "er_basis" in t.source:
        basis, bad = _map_unique(t.raw_text("er_basis"), _cleaned(lambda v: _ER_BASIS.get(" ".join(v.lower().split()))))
        t.warning("er_basis", bad, "unknown_er_basis")
    t.out["er_basis"] = np.where(basis == None, basis_default, basis)  # noqa: E711
    t.done("er_basis")


def _currency(t: _Table) -> None:
    """The currency of a row's prices: its column, else the one its price cells name, else roubles. Prices
    in a currency other than the column's, or beside an unknown one, are left blank."""
    if not t.money_currency and "currency" not in t.source:
        return
    currency = np.full(t.n, None, dtype=object)
    bad_currency = np.zeros(t.n, dtype=bool)
    if "currency" in t.source:
        currency, bad_currency = _map_unique(t.raw_text("currency"), _cleaned(currency_code))
        t.warning("currency", bad_currency, "unknown_currency")
    for f, cur in t.money_currency.items():
        clash = (cur != None) & (currency != None) & (cur != currency)  # noqa: E711
        if clash.any():
            t.warn.add(clash, t.col_name(f), t.col_order(f), "currency_clash",
                       [{"price": cur[i], "column": currency[i]} for i in np.flatnonzero(clash)])
        t.out[f] = np.where(clash | bad_currency, np.nan, t.out[f])
        currency = np.where(currency == None, cur, currency)  # noqa: E711
    t.out["currency"] = np.where(currency == None, "RUB", currency)  # noqa: E711
    t.money_currency.clear()
    t.done("currency")


def _booleans(t: _Table) -> None:
    for f in t.mapped(_BOOL_FIELDS):
        values, bad = _map_unique(t.raw_text(f), _bool_value)
        t.warning(f, bad, "not_yes_no")
        t.out[f] = pd.array(values, dtype="boolean")  # bad cells are None already
        t.done(f)


def _coded_text(t: _Table) -> None:
    for f in t.mapped(list(_CODED_TEXT)):
        code_of, unknown = _CODED_TEXT[f]
        values, bad = _map_unique(t.raw_text(f), _cleaned(code_of))
        if unknown:
            t.warning(f, bad, unknown)
        t.out[f] = values
        t.done(f)


def _audience(t: _Table) -> None:
    if "audience_countries" in t.source:
        values, bad = _audience_countries_column(t.raw_text("audience_countries"))
        t.warning("audience_countries", bad, "bad_audience_countries")
        t.out["audience_countries"] = values
        t.done("audience_countries")


def _dates(t: _Table) -> None:
    for f in t.mapped(_DATE_FIELDS):
        cells = t.raw_text(f)
        factorized = _factorize(cells)
        slashes = [m.groups() for v in factorized[1] if (m := re.match(r"\s*(\d{1,2})/(\d{1,2})/\d", v))]
        # 03/01/2025 is month-first (US) unless some first part is above 12 and no second part is.
        day_first = any(int(a) > 12 for a, _ in slashes) and not any(int(b) > 12 for _, b in slashes)
        values, bad = _map_unique(cells, _cleaned(functools.partial(_date_value, day_first_slash=day_first)),
                                  factorized)
        t.warning(f, bad, "not_a_date")
        t.out[f] = values
        t.done(f)


def _plain_text(t: _Table) -> None:
    for f in t.mapped(_PLAIN_TEXT_FIELDS):
        t.out[f] = t.text(f)
        t.done(f)


def _stored_text(t: _Table) -> None:
    """What the database keeps: no invisible control characters, text within its length (a handle beyond
    it refuses its row, other text is cut)."""
    for spec in schema.FIELDS:
        if spec.kind != "str" or spec.name not in t.out or spec.name == "platform":
            continue
        col = _text_array(t.out[spec.name])
        changed = _np(pc.fill_null(pc.match_substring_regex(col, _CONTROL_RE2), False)).astype(bool)
        cleaned = col
        if changed.any():
            t.reject_with(spec.name, changed, "control_characters", {}, t.warn)
            cleaned = pc.replace_substring_regex(col, _CONTROL_RE2, "")
            blank = pc.fill_null(pc.match_substring_regex(cleaned, _PY_BLANK_RE2), False)  # str.strip() == ""
            cleaned = pc.if_else(blank, pa.scalar(None, pa.large_string()), cleaned)
        limit = spec.max_length
        if limit:
            long = _np(pc.fill_null(pc.greater(pc.utf8_length(cleaned), limit), False)).astype(bool)
            if long.any():
                if spec.name == "handle":
                    t.reject_with("handle", long, "handle_too_long", {"max": limit}, t.rej)
                else:
                    t.reject_with(spec.name, long, "text_too_long", {"max": limit}, t.warn)
                    cleaned = pc.if_else(pa.array(long), pc.utf8_slice_codeunits(cleaned, 0, limit), cleaned)
        if spec.name == "handle":
            t.reject("handle", _np(pc.and_(pc.is_null(cleaned), pc.is_valid(col))).astype(bool), "handle_missing")
        t.out[spec.name] = cleaned
        del col, cleaned


# --------------------------------------------------------------------------------------------
# The rows stored
# --------------------------------------------------------------------------------------------

def _assemble(t: _Table, clean_map: dict[str, str | None], rows_read: int,
              assumed_platform: str | None) -> ImportPreview:
    """The rows not refused, of each (platform, handle) the last, as a frame of the schema's columns."""
    keep = ~t.rej.mask
    rejected = t.rej.build(t.rows)
    refused = int(t.rej.mask.sum())
    stored_pos, superseded = _latest(t, np.flatnonzero(keep))
    stored = np.zeros(t.n, dtype=bool)
    stored[stored_pos] = True
    whole = len(stored_pos) == t.n
    stored_pa = None if whole else pa.array(stored)
    columns: dict[str, Any] = {}
    for spec in schema.FIELDS:  # each column taken out of ``out`` as it is copied: one column at a time
        if spec.name not in t.out:
            continue
        values = t.out.pop(spec.name)
        if isinstance(values, pa.Array | pa.ChunkedArray) or spec.kind in ("str", "date"):
            arr = _text_array(values)
            columns[spec.name] = pd.array(arr if whole else pc.filter(arr, stored_pa), dtype="str")
        elif spec.kind == "float":
            columns[spec.name] = np.asarray(values if whole else values[stored], dtype=float)
        else:
            columns[spec.name] = values if whole else values[stored]
        del values
    frame = pd.DataFrame(columns, index=pd.Index(t.rows[stored], name="row", dtype="int64"), copy=False)
    del columns
    return ImportPreview(frame=frame, rejected=rejected, rows_read=rows_read, mapping=clean_map,
                         duplicates_dropped=t.duplicates, superseded=superseded,
                         warnings=t.warn.build(t.rows, ~stored), refused=refused, assumed_platform=assumed_platform)


def _latest(t: _Table, kept_pos: np.ndarray) -> tuple[np.ndarray, int]:
    """Of the kept rows with the same (platform, handle), the last one: ``(its positions, rows superseded)``,
    found on the kept rows' keys alone."""
    if not len(kept_pos):
        return kept_pos, 0
    # only rows whose handle repeats can share a key: the keys are compared on those alone
    handles = _text_array(t.out["handle"]).take(pa.array(kept_pos))
    codes = _np(handles.dictionary_encode().indices.fill_null(-1)).astype(np.int64) + 1
    candidates = np.flatnonzero(np.bincount(codes)[codes] > 1)
    del codes
    later = np.zeros(len(kept_pos), dtype=bool)
    if len(candidates):
        platforms = _text_array(t.out["platform"][kept_pos[candidates]])
        later[candidates] = _repeated([platforms, handles.take(pa.array(candidates))], keep="last")
    del handles
    superseded = int(later.sum())
    return (kept_pos[~later] if superseded else kept_pos), superseded


def _missing_preview(mapping: dict[str, str | None], rows_read: int, duplicates: int, n: int,
                     missing: list[str], assumed_platform: str | None) -> ImportPreview:
    """Nothing can be stored: a required field has no column (one message, not one per row)."""
    frame = pd.DataFrame({"handle": pd.array([], dtype="str"), "platform": pd.array([], dtype="str"),
                          "followers": np.zeros(0, dtype=np.float64)},
                         index=pd.Index([], name="row", dtype="int64"))
    return ImportPreview(frame=frame, rejected=[], rows_read=rows_read, mapping=mapping, duplicates_dropped=duplicates,
                         refused=n, missing_fields=missing, assumed_platform=assumed_platform)


def _has_links(df: pd.DataFrame, handle_header: Any) -> bool:
    if handle_header is None:
        return False
    cells = _to_arrow(_as_text(df[handle_header].head(1000)))
    return bool(pc.any(pc.fill_null(pc.match_substring_regex(pc.utf8_lower(cells), _URL_RE), False)).as_py())


class _ParsedColumns:
    """Number columns parsed when they are needed, in ``order``, and let go of when taken: on a big table the
    next few are parsed ahead in threads (Arrow kernels release the GIL), so no more than a few parsed
    columns (some 20 bytes a cell each) exist at once."""

    def __init__(self, order: Sequence[str], column: Callable[[str], pd.Series], rows: int) -> None:
        self._order = list(order)
        self._column = column
        self._ahead = min(4, os.cpu_count() or 1, len(self._order))
        self._pool = ThreadPoolExecutor(max_workers=self._ahead) if self._ahead >= 2 and \
            rows * len(self._order) >= 200_000 else None
        self._futures: dict[str, Any] = {}

    def take(self, f: str) -> _Parsed:
        if self._pool is None:
            return _parse_core(self._column(f), None)
        for g in self._order[self._order.index(f):][:self._ahead]:
            if g not in self._futures:  # the column is taken here, in the caller's thread (which may change the table)
                self._futures[g] = self._pool.submit(_parse_core, self._column(g), None)
        return self._futures.pop(f).result()  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._pool is not None:
            for future in self._futures.values():
                future.cancel()
            self._pool.shutdown(wait=True)
            self._futures.clear()
