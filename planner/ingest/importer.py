"""Read agencies' messy spreadsheets into canonical blogger rows.

Pure functions, no database: ``preview`` turns uploaded bytes into an :class:`ImportPreview`
(accepted rows in the canonical fields of :mod:`planner.core.schema`, plus a list of rejected cells);
the caller writes the accepted frame to the database.

The pipeline is ``read_table`` (bytes -> raw string cells) -> ``auto_map`` (source header ->
canonical field) -> ``normalise`` (validate, convert, deduplicate).

Row numbers: every frame returned by :func:`read_table` is indexed by the original 1-based
spreadsheet row number (index name ``"row"``): the header is row 1 and the first data row is 2
in a plain file; blank lines and leading title rows keep their numbers, and a quoted cell that
spans several physical lines counts as one row, as in Excel. ``ImportPreview.frame`` keeps the
same index, and ``Rejection.row`` uses the same numbers.

Numbers are parsed column-wise with pyarrow compute kernels on the unique values of a column,
so 100 000 rows x 25 columns take well under a second.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import html
import io
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from planner.core import schema

__all__ = [
    "REASONS",
    "ImportPreview",
    "Rejection",
    "UnreadableFile",
    "auto_map",
    "content_mapping",
    "country_name",
    "map_columns",
    "missing_fields_message",
    "normalise",
    "parse_number",
    "parse_numbers",
    "parse_percent",
    "preview",
    "read_table",
    "reason_text",
]


# Every reason the importer gives, by code: the English text (the command line's JSON and messages) is built
# from the code and its parameters; the page translates the same code (planner.core.i18n, keys "reason.<code>"), so a
# cell's own text is never rewritten by a translation. ``value`` is the cell as shown (shortened), quoted by !r.
REASONS: dict[str, str] = {
    # a row is refused (identity)
    "handle_missing": "handle missing",
    "bad_profile_link": "unrecognised profile link: {value!r}",
    "not_a_handle": "not a handle: {value!r}",
    "unknown_platform": "unknown platform: {value!r}",
    "platform_link_mismatch": "platform {value!r} does not match the profile link ({link})",
    "platform_missing": "platform missing",
    "followers_missing": "followers missing",
    "followers_zero": "followers must be above zero: {value!r}",
    "followers_out_of_range": "implausible followers count (above {high:,.0f}): {value!r}",
    "handle_too_long": "handle longer than {max} characters",
    # a cell is left blank (or a range stored as its midpoint); the row is stored
    "not_a_number": "not a number: {value!r}",
    "percent_not_number": "a percentage where a number is expected: {value!r}",
    "negative_number": "negative number: {value!r}",
    "range_midpoint": "range stored as its midpoint: {value!r}",
    "share_out_of_range": "share out of range (0-100 %): {value!r}",
    "out_of_range": "implausible value (above {high:,.0f}): {value!r}",
    "rate_out_of_range": "rate out of range (0-100 %): {value!r}",
    "text_too_long": "longer than {max} characters: cut to {max}",
    "control_characters": "invisible control characters removed",
    "unknown_er_basis": "unknown ER basis (followers or views): {value!r}",
    "unknown_currency": "unknown currency (prices left blank): {value!r}",
    "currency_clash": "prices in different currencies ({price} and {column})",
    "not_yes_no": "not yes/no: {value!r}",
    "not_a_date": "not a date: {value!r}",
    "unknown_country": "unknown country: {value!r}",
    "unknown_language": "unknown language: {value!r}",
    "bad_audience_countries": "cannot read audience countries: {value!r}",
    # the whole file cannot be read (UnreadableFile)
    "empty_file": "empty file",
    "no_columns": "no recognisable columns (need at least handle and followers)",
    "not_a_table": "not a table: {detail}",
    "binary_data": "not a table: binary data",
    "image_file": "not a table: this is a {kind} image",
    "pdf_file": "not a table: this is a PDF document",
    "archive_file": "not a table: this is a {kind} archive",
    "damaged_zip": "not a table: damaged Excel or ZIP file",
    "zip_not_spreadsheet": "not a table: a ZIP archive, not a spreadsheet",
    "invalid_workbook": "not a table: the file is not a valid Excel workbook",
    "old_xls": "not a table: old Excel .xls (or Word .doc) file that cannot be read, save it as .xlsx or .csv",
    "workbook_error": "not a table: cannot open the workbook ({detail})",
    "damaged_sheet": "sheet {sheet!r} is damaged and cannot be read ({detail})",
    # limits (see MAX_* below): a file too big to read safely is refused before it is read
    "file_too_big": "the file is larger than {limit_mb:,} MB: split it into smaller files",
    "too_many_rows": "more than {limit:,} rows: split the file",
    "too_many_columns": "more than {limit:,} columns: delete the unused columns or split the file",
    "sheet_too_many_rows": "sheet {sheet!r}: more than {limit:,} rows: split the file or save the sheet as CSV",
    "sheet_too_many_columns": "sheet {sheet!r}: more than {limit:,} columns (a cell far to the right?): "
                              "delete the unused columns or save the sheet as CSV",
    "sheet_too_many_cells": "sheet {sheet!r}: more than {limit:,} cells (rows x columns): "
                            "split the sheet or save it as CSV",
    "workbook_too_big": "the workbook unpacks to more than {limit_mb:,} MB: save the sheet as CSV",
    "cell_too_long": "row {row}: a cell longer than {limit:,} characters (Excel's own limit)",
    "unclosed_quote": "row {row}: a quote opened here is never closed",
    "unknown_sheet": "no sheet named {sheet!r} (sheets: {sheets})",
    "unexpected": "cannot read the file (unexpected {detail})",
}

# Limits, checked while reading and before anything big is allocated (a ZIP bomb, a cell at XFD1048576, a
# million repeated ODS rows are refused in seconds, never read). The page's upload limit
# (.streamlit/config.toml, server.maxUploadSize) is MAX_FILE_BYTES too.
MAX_FILE_BYTES = 200 * 2**20      # a file (page upload and command line alike)
MAX_ROWS = 1_000_000              # rows of a table (text files: lines, counted on the bytes before parsing)
MAX_COLUMNS = 1_000               # columns of a table
MAX_CELLS = 20_000_000            # rows x columns of a workbook sheet (what the workbook reader allocates)
MAX_CELL_CHARS = 32_767           # characters in one cell (Excel's own limit)
MAX_INFLATED_BYTES = 512 * 2**20  # a workbook's ZIP members, unpacked, all together


# Characters no data needs and that change how text looks or is compared: C0/C1 controls (NUL included),
# zero-width and direction marks (a right-to-left override turns "moc.exe" into "exe.com"), BOM.
_CONTROL_RE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"


def reason_text(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The English text of a reason code with its parameters."""
    return REASONS[code].format(**(params or {}))


class UnreadableFile(Exception):
    """The upload is not a table we can read; ``str(exc)`` is a one-line English reason, ``code`` and
    ``params`` the same reason for a translation (planner.core.i18n)."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        self.sheets: list[str] = []  # a workbook's sheets, when known (so another one can be chosen)
        super().__init__(reason_text(code, params))


NO_COLUMNS = REASONS["no_columns"]

# --------------------------------------------------------------------------------------------
# Reading bytes into a raw table
# --------------------------------------------------------------------------------------------

_HEADER_SCAN_ROWS = 20  # a header row may follow up to this many title rows
_SNIFF_CHARS = 65536
_FAST_MIN_BYTES = 200_000  # smaller text files go through the csv module
_DELIMITERS = (",", ";", "\t", "|")

_MAGIC: tuple[tuple[bytes, str, dict[str, str]], ...] = (
    (b"\x89PNG", "image_file", {"kind": "PNG"}),
    (b"\xff\xd8\xff", "image_file", {"kind": "JPEG"}),
    (b"GIF8", "image_file", {"kind": "GIF"}),
    (b"%PDF", "pdf_file", {}),
    (b"\x1f\x8b", "archive_file", {"kind": "gzip"}),
    (b"Rar!", "archive_file", {"kind": "RAR"}),
    (b"7z\xbc\xaf", "archive_file", {"kind": "7-Zip"}),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Excel .xls (or Word .doc)


def read_table(data: bytes, filename: str = "", *,
               remembered: Mapping[str, str | None] | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read CSV/TSV/TXT or XLSX/XLSM/XLS/ODS bytes into a frame of raw string cells.

    Columns are the cleaned header names (line breaks and odd spaces collapsed, duplicates
    suffixed " (2)", " (3)", empty ones named "Column N"); cells are strings ("" when empty), in
    ``string[pyarrow]`` columns (``pd.ArrowDtype(pa.string())``: the Arrow arrays read, 4-byte offsets).
    The index holds the original 1-based spreadsheet row numbers (name ``"row"``); blank rows
    are skipped. ``df.attrs`` has ``header_row``, ``delimiter`` and ``encoding`` (text files)
    or ``sheet`` and ``sheets`` (workbooks: the sheet read and every sheet's name). The header is
    the best-recognised of the first rows, so leading title rows are skipped. ``remembered``
    (header -> field) counts as recognised. Of a workbook's sheets the one that holds the data is
    read (the best header, then the most rows), or ``sheet`` when given.

    Raises :class:`UnreadableFile` for an empty file, a binary file that is not a table, a table
    in which neither a handle nor a followers column can be recognised, a file beyond the limits
    (``MAX_*``), and for anything unexpected (code ``"unexpected"``): never another exception.
    """
    try:
        return _read_table(data, filename, remembered, sheet)
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged file must never end in a traceback
        raise UnreadableFile("unexpected", detail=type(exc).__name__) from exc
    finally:
        _release_arrow_memory()


_RELEASE_BYTES = 24 << 20  # while a table is read or normalised, memory is given back after this much is freed


def _release_arrow_memory() -> None:
    """Give the memory the allocators keep for reuse back to the system: Arrow's (the parser's buffers, freed
    columns) and C's (numpy's freed arrays, on glibc): after reading or normalising a big table it is hundreds
    of MB that would count as used, and neither allocator can reuse what the other freed. Not after every
    small step: memory given back costs the next allocations their page faults."""
    pa.default_memory_pool().release_unused()
    if _malloc_trim is not None:
        _malloc_trim(0)


def _find_malloc_trim() -> Any:
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to trim
        return None


_malloc_trim = _find_malloc_trim()


def _read_table(data: bytes, filename: str, remembered: Mapping[str, str | None] | None,
                sheet: str | None) -> pd.DataFrame:
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile("file_too_big", limit_mb=MAX_FILE_BYTES // 2**20)
    if not data or not re.search(rb"[^ \t\r\n\x00\x1a\xef\xbb\xbf\xff\xfe]", data):
        raise UnreadableFile("empty_file")
    kind = _workbook_kind(data, filename)
    if kind:
        records, numbers, name, names = _workbook_records(data, kind, sheet, remembered)
        try:
            return _records_to_frame(records, numbers, {"sheet": name, "sheets": names}, remembered)
        except UnreadableFile as exc:
            exc.sheets = names  # another sheet can be chosen
            raise
    _check_line_count(data)
    if len(data) >= _FAST_MIN_BYTES:
        frame = _fast_text_frame(data, remembered)
        if frame is not None:
            return frame
    text, encoding = _decode(data)
    del data  # the text is the copy from now on
    text, delimiter = _split_sep_line(text)
    delimiter = delimiter or _sniff_delimiter(text[:_SNIFF_CHARS])
    records = _csv_records(text, delimiter)
    attrs: dict[str, Any] = {"encoding": encoding, "delimiter": delimiter}
    return _records_to_frame(records, list(range(1, len(records) + 1)), attrs, remembered)


def _check_line_count(data: bytes) -> None:
    """Refuse a text file of more than MAX_ROWS lines, counted on the bytes before anything is parsed
    (UTF-16 has two bytes a character; a file of lone CRs counts its CRs)."""
    step = 2 if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else 1
    lines = data.count(b"\n") // step or data.count(b"\r") // step
    if lines > MAX_ROWS:
        raise UnreadableFile("too_many_rows", limit=MAX_ROWS)


class _LineSource:
    """Lines for csv.reader, remembering where the record being read started (its offset in the text)
    and how many lines it took: so a cell that is too long, and a quote that is never closed, are
    reported at the row where they start."""

    def __init__(self, text: str) -> None:
        self._lines = iter(io.StringIO(text, newline=""))
        self.offset = 0        # characters handed out so far
        self.record_start = 0  # offset of the record being read
        self.record_lines = 0

    def __iter__(self) -> _LineSource:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.offset += len(line)
        self.record_lines += 1
        return line

    def start_record(self) -> None:
        self.record_start, self.record_lines = self.offset, 0


def _csv_records(text: str, delimiter: str) -> list[list[str]]:
    """Records of a text table read by the csv module; a cell longer than MAX_CELL_CHARS, a quote that is
    never closed and rows wider than MAX_COLUMNS are refused with the row they start on."""
    src = _LineSource(text)
    reader = csv.reader(src, delimiter=delimiter, strict=False)
    records: list[list[str]] = []
    while True:
        src.start_record()
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # "field larger than field limit" (a quote that swallowed the file, or a giant cell)
            row = len(records) + 1
            if text.count('"', src.record_start) % 2:
                raise UnreadableFile("unclosed_quote", row=row) from exc
            raise UnreadableFile("cell_too_long", row=row, limit=MAX_CELL_CHARS) from exc
        if src.record_lines > 1 and src.offset >= len(text) and text.count('"', src.record_start) % 2:
            raise UnreadableFile("unclosed_quote", row=len(records) + 1)  # the last record ran to the end
        if len(record) > MAX_COLUMNS:
            if any(record[MAX_COLUMNS:]):
                raise UnreadableFile("too_many_columns", limit=MAX_COLUMNS)
            record = record[:MAX_COLUMNS]  # trailing delimiters
        if record and max(map(len, record)) > MAX_CELL_CHARS:
            raise UnreadableFile("cell_too_long", row=len(records) + 1, limit=MAX_CELL_CHARS)
        records.append(record)
    return records


def _workbook_kind(data: bytes, filename: str) -> str | None:
    """"xlsx", "xls" or "ods" for a spreadsheet workbook, None for text; raises for other binary files."""
    head = data[:8]
    for magic, code, params in _MAGIC:
        if head.startswith(magic):
            raise UnreadableFile(code, **params)
    if head.startswith(_OLE):
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UnreadableFile("damaged_zip") from exc
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "mimetype" in names and "content.xml" in names:
            return "ods"
        raise UnreadableFile("zip_not_spreadsheet")
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise UnreadableFile("invalid_workbook")
    return None


_DETECT_BYTES = 32768  # the encoding of a non-UTF-8 file is detected on this many bytes
# Among equally likely readings, the encodings exports are really written in come first.
_PREFERRED_ENCODINGS = ("utf_8", "cp1251", "cp1252", "koi8_r", "cp866", "cp1125", "koi8_u", "iso8859_5",
                        "mac_cyrillic", "iso8859_1", "iso8859_15", "cp1250")
_ENCODING_ALIASES = {"cp1125": "cp866"}  # the same letters for Russian; cp866 is what DOS tools wrote


def _detect_encoding(data: bytes) -> str | None:
    """The encoding of non-UTF-8 bytes, detected by charset-normalizer on a sample (cut at a line
    end). Of the readings as clean as the best one, the most common export encoding wins (so
    Windows-1252 beats Windows-1250, Windows-1251 beats Mac Cyrillic on the same bytes)."""
    from charset_normalizer import from_bytes

    sample = data[:_DETECT_BYTES]
    if len(data) > _DETECT_BYTES:
        cut = sample.rfind(b"\n")
        if cut > _DETECT_BYTES // 2:
            sample = sample[:cut + 1]
    matches = [m for m in from_bytes(sample) if m.encoding]
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    near = [m.encoding for m in matches if m.chaos <= best + 0.02]
    rank = {e: i for i, e in enumerate(_PREFERRED_ENCODINGS)}
    chosen = min(near, key=lambda e: (rank.get(e, len(rank)), near.index(e)))
    if chosen not in rank:
        chosen = next(m.encoding for m in matches if m.chaos == best)
    return _ENCODING_ALIASES.get(chosen, chosen)


def _decode(data: bytes) -> tuple[str, str]:
    """Bytes -> text: BOM, then UTF-8 (strict), then the encoding charset-normalizer detects on a
    sample (KOI8-R, CP866, Windows-1251/1252...), then Windows-1251, then Latin-1."""
    if data.startswith(codecs.BOM_UTF8):
        text, enc = data[3:].decode("utf-8", "replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, enc = data.decode("utf-16", "replace"), "utf-16"
    else:
        if b"\x00" in data[:_SNIFF_CHARS]:
            raise UnreadableFile("binary_data")
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            detected = _detect_encoding(data)
            text, enc = "", ""
            for candidate in (detected, "cp1251"):
                if not candidate:
                    continue
                try:
                    text, enc = data.decode(candidate), candidate
                    break
                except (UnicodeDecodeError, LookupError):
                    continue
            if not enc:
                text, enc = data.decode("latin-1"), "latin-1"
    _check_text_sample(text[:_SNIFF_CHARS])
    if not re.search(r"[^ \t\r\n\ufeff\x1a]", text):
        raise UnreadableFile("empty_file")
    return (text[1:] if text.startswith("\ufeff") else text), enc


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first rows into the most consistent number (>= 2) of fields."""
    if len(sample) >= _SNIFF_CHARS:
        cut = max(sample.rfind("\n"), sample.rfind("\r"))
        if cut > 0:
            sample = sample[:cut]
    best, best_score = ",", (0.0, 0)
    for delim in _DELIMITERS:
        try:
            recs = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delim) if "".join(r).strip()]
        except csv.Error:
            continue
        recs = recs[:100]
        if not recs:
            continue
        width, freq = max(Counter(len(r) for r in recs).items(), key=lambda kv: (kv[1], kv[0]))
        if width < 2:
            continue
        score = (round(freq / len(recs), 6), width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _split_sep_line(text: str) -> tuple[str, str | None]:
    """Drop Excel's "sep=;" hint line (Excel hides it, so rows count from the next line)."""
    first_nl = text.find("\n")
    first_line = text[: first_nl if first_nl >= 0 else len(text)].strip()
    match = re.fullmatch(r"sep=(.)", first_line, flags=re.IGNORECASE)
    if not match:
        return text, None
    return (text[first_nl + 1:] if first_nl >= 0 else ""), match.group(1)


def _check_text_sample(sample: str) -> None:
    control = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n") + sample.count("\ufffd")
    if control > max(2, len(sample) // 200):
        raise UnreadableFile("binary_data")


def _byte_positions(b: np.ndarray, value: int, step: int = 1 << 24) -> np.ndarray:
    """Positions of a byte value in ``b``, found a slice at a time (never a boolean array of the whole file)."""
    parts = [np.flatnonzero(b[i:i + step] == value) + i for i in range(0, len(b), step)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _fast_text_frame(data: bytes, remembered: Mapping[str, str | None] | None) -> pd.DataFrame | None:
    """Fast path for big regular text tables: pyarrow's CSV reader on UTF-8 bytes (UTF-8 files
    are read as they are, others are decoded and re-encoded), with record boundaries (and so row
    numbers) found by numpy from the newlines outside quotes. Returns None whenever the file is
    irregular in any way (lone CR line ends, unbalanced quotes, ragged or whitespace-only rows,
    invalid UTF-8), and the caller falls back to the csv module."""
    import pyarrow.csv as pcsv

    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    offset = 3 if data.startswith(codecs.BOM_UTF8) else 0
    head_bytes = data[offset:offset + _SNIFF_CHARS]
    buf: bytes | memoryview
    try:
        head = head_bytes.decode("utf-8")
        encoding = "utf-8-sig" if offset else "utf-8"
        buf = memoryview(data)[offset:]
    except UnicodeDecodeError as exc:
        if exc.start >= len(head_bytes) - 3:  # a character cut by the sample's end (Arrow checks the rest)
            head, encoding = head_bytes[:exc.start].decode("utf-8"), "utf-8-sig" if offset else "utf-8"
            buf = memoryview(data)[offset:]
        elif offset:
            return None
        else:
            text, encoding = _decode(data)
            buf = text.encode("utf-8")
            head = text[:_SNIFF_CHARS]
    if "\x00" in head:
        raise UnreadableFile("binary_data")
    _check_text_sample(head)
    body, delimiter = _split_sep_line(head)
    if delimiter:
        skipped = len(head[: len(head) - len(body)].encode("utf-8"))
        buf, head = buf[skipped:], body
    else:
        delimiter = _sniff_delimiter(head)

    b = np.frombuffer(buf, dtype=np.uint8)
    cr = _byte_positions(b, 13)
    if len(cr) and (cr[-1] + 1 >= len(b) or not bool((b[cr + 1] == 10).all())):
        return None  # lone CR line ends
    newlines = _byte_positions(b, 10)
    quotes = _byte_positions(b, 34)
    if len(quotes) % 2:
        return None
    inside = (np.searchsorted(quotes, newlines) % 2).astype(bool) if len(quotes) else np.zeros(len(newlines), bool)
    ends = np.append(newlines[~inside], len(b))
    starts = np.concatenate(([0], ends[:-1] + 1))
    if starts[-1] >= len(b):  # the text ends with a newline
        starts, ends = starts[:-1], ends[:-1]
    lengths = ends - starts
    lengths -= (lengths > 0) & (b[np.maximum(ends - 1, 0)] == 13)

    def record(i: int) -> str:
        return bytes(buf[int(starts[i]):int(starts[i]) + int(lengths[i])]).decode("utf-8", "replace")

    n_head = min(len(starts), _HEADER_SCAN_ROWS * 3)
    try:
        head_records = [next(csv.reader([line], delimiter=delimiter, strict=False), []) if line else []
                        for line in (record(i) for i in range(n_head))]
    except csv.Error:
        return None  # a cell above the csv module's limit: read again by the csv module, which names its row
    if any(len(r) > MAX_COLUMNS or (r and max(map(len, r)) > MAX_CELL_CHARS) for r in head_records):
        return None  # the csv module refuses it with its row
    h = _find_header(head_records, remembered)
    width = len(head_records[h])
    try:
        # One thread (on a shared 2-core machine as fast as several, and without their parse buffers at once);
        # 4-byte string offsets: a column of a file within MAX_FILE_BYTES is far below 2 GiB.
        table = pcsv.read_csv(
            pa.BufferReader(pa.py_buffer(buf)[int(starts[h]):]),
            read_options=pcsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 22, use_threads=False),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=bool(inside.any()),
                                            ignore_empty_lines=True),
            convert_options=pcsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # ragged rows, invalid UTF-8, ...
    kept = np.flatnonzero(lengths[h:] > 0) + h  # the records Arrow returns (it skips empty lines)
    if (table.num_rows != len(kept) or table.num_columns != width
            or any(t != pa.string() for t in table.schema.types)):
        return None
    # rows of delimiters and spaces only: short records whose text has nothing else
    short = kept[1:][lengths[kept[1:]] <= 4 * width + 8]
    blank = np.array([not record(int(i)).replace(delimiter, "").replace('"', "").strip() for i in short],
                     dtype=bool)
    columns = [table.column(i).slice(1) for i in range(width)]
    del table
    if len(buf) >= _RELEASE_BYTES:
        _release_arrow_memory()  # the parser's buffers
    numbers = kept[1:] + 1
    if blank.any():
        keep = ~np.isin(kept[1:], short[blank])
        numbers = numbers[keep]
        edges = np.flatnonzero(np.diff(np.concatenate(([0], keep.astype(np.int8), [0]))))
        runs = list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))  # [start, stop) of kept rows
        keep_pa = pa.array(keep)
        for i in range(width):  # a few runs: slices of the same buffers; many: one column copied at a time
            columns[i] = (pa.chunked_array([c for a, z in runs for c in columns[i].slice(a, z - a).chunks],
                                           type=columns[i].type)
                          if len(runs) <= 64 else columns[i].filter(keep_pa))
    for col in columns:  # a cell longer than Excel's limit: refused with its row
        too_long = pc.greater(pc.utf8_length(col), MAX_CELL_CHARS)
        if pc.any(too_long).as_py():
            first = int(pc.index(too_long, True).as_py())
            raise UnreadableFile("cell_too_long", row=int(numbers[first]), limit=MAX_CELL_CHARS)
    attrs = {"encoding": encoding, "delimiter": delimiter, "header_row": h + 1}
    return _build_frame(head_records[h], columns, numbers, attrs)


class _XlsxSheetScan:
    """The extent of an XLSX sheet from its XML, fed in chunks: the last row and the last column any cell
    names (``r="XFD1048576"``), before the workbook reader allocates a range that large."""

    _ROW_RE = re.compile(rb'<row\b[^>]*?\sr="(\d+)"')
    _COL_RE = re.compile(rb'\sr="([A-Z]+)\d')             # every cell's column letters
    _FAR_RE = re.compile(rb'\sr="[A-Z]*(\d{7,})"')        # rows 1,000,000 and beyond

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        text = self._tail + chunk
        self._tail = text[-64:]  # a reference cut by the chunk's end is read again with the next chunk
        rows = [int(r) for r in self._ROW_RE.findall(text)] + [int(r) for r in self._FAR_RE.findall(text)]
        if rows:
            self.rows = max(self.rows, *rows)
        for letters in set(self._COL_RE.findall(text)):
            col = 0
            for ch in letters[:4]:
                col = col * 26 + ch - 64
            self.columns = max(self.columns, col if len(letters) <= 4 else 1 << 30)


class _OdsScan:
    """The extent of each table of an ODS content.xml, fed in chunks: rows and columns as the workbook
    reader expands them (``number-rows-repeated``/``number-columns-repeated``), counted up to the last row
    and column that hold something; LibreOffice's trailing empty repeats (a million empty rows) count nothing."""

    _TOKEN_RE = re.compile(rb'<table:table\s[^>]*?table:name="([^"]*)"|<table:table-row(?=[\s/>])([^>]*?)'
                           rb'(?:/>|>(.*?)</table:table-row>)', re.S)
    _CELL_RE = re.compile(rb'<table:(?:covered-)?table-cell\b([^>]*?)(/?)>')
    _REPEAT_RE = re.compile(rb'number-(?:rows|columns)-repeated="(\d+)"')

    def __init__(self) -> None:
        self.extents: dict[str, tuple[int, int]] = {}
        self._table = ""
        self._rows = 0  # rows seen in the current table
        self._buf = b""

    def feed(self, chunk: bytes, final: bool = False) -> None:
        buf = self._buf + chunk
        end = 0
        for m in self._TOKEN_RE.finditer(buf):
            end = m.end()
            if m.group(1) is not None:
                self._table, self._rows = html.unescape(m.group(1).decode("utf-8", "replace")), 0
                continue
            repeat = self._REPEAT_RE.search(m.group(2))
            n = int(repeat.group(1)) if repeat else 1
            body = m.group(3) or b""
            width = self._row_width(body)
            self._rows += n
            if width:
                rows, cols = self.extents.get(self._table, (0, 0))
                self.extents[self._table] = (max(rows, self._rows), max(cols, width))
        self._buf = buf[end:] if not final else b""

    def _row_width(self, body: bytes) -> int:
        """Columns up to the last cell that holds something (a value type or text), repeats expanded."""
        if b"office:value-type" not in body and b"<text:p" not in body:
            return 0
        if b"number-columns-repeated" not in body:
            return body.count(b"<table:table-cell") + body.count(b"<table:covered-table-cell")
        position, last = 0, 0
        for m in self._CELL_RE.finditer(body):
            repeat = self._REPEAT_RE.search(m.group(1))
            position += int(repeat.group(1)) if repeat else 1
            closed_at_once = bool(m.group(2)) or body.startswith(b"</table:", body.find(b"<", m.end()))
            if b"office:value-type" in m.group(1) or not closed_at_once:
                last = position
        return last


def _zip_extents(data: bytes, kind: str, sheet_paths: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Unpack every member of a workbook's ZIP in chunks (never more than MAX_INFLATED_BYTES in all, never
    all of it in memory at once) and measure each sheet: XLSX by the sheet's path, ODS by the table's name."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile("damaged_zip") from exc
    limit_mb = MAX_INFLATED_BYTES // 2**20
    if sum(i.file_size for i in infos) > MAX_INFLATED_BYTES or len(infos) > 100_000:
        raise UnreadableFile("workbook_too_big", limit_mb=limit_mb)
    extents: dict[str, tuple[int, int]] = {}
    total = 0
    for info in infos:
        xlsx_scan = _XlsxSheetScan() if kind == "xlsx" and info.filename in sheet_paths else None
        ods_scan = _OdsScan() if kind == "ods" and info.filename == "content.xml" else None
        try:
            with z.open(info) as fh:
                while chunk := fh.read(1 << 22):
                    total += len(chunk)
                    if total > MAX_INFLATED_BYTES:
                        raise UnreadableFile("workbook_too_big", limit_mb=limit_mb)
                    if xlsx_scan:
                        xlsx_scan.feed(chunk)
                    if ods_scan:
                        ods_scan.feed(chunk)
        except UnreadableFile:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
            raise UnreadableFile("damaged_zip") from exc  # bad CRC, a size that lies, encryption...
        if xlsx_scan:
            extents[info.filename] = (xlsx_scan.rows, xlsx_scan.columns)
        if ods_scan:
            ods_scan.feed(b"", final=True)
            extents.update(ods_scan.extents)
    return extents


def _check_extent(sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS:
        raise UnreadableFile("sheet_too_many_rows", sheet=sheet, limit=MAX_ROWS)
    if columns > MAX_COLUMNS:
        raise UnreadableFile("sheet_too_many_columns", sheet=sheet, limit=MAX_COLUMNS)
    if rows * columns > MAX_CELLS:
        raise UnreadableFile("sheet_too_many_cells", sheet=sheet, limit=MAX_CELLS)


def _xlsx_parts(data: bytes) -> tuple[list[str], set[bytes]]:
    """The path of each sheet of an XLSX in workbook order ("" when unknown) and the style ids with a
    percent number format."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        workbook = z.read("xl/workbook.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return [], set()
    paths: list[str] = []
    for rid in re.findall(rb"<(?:\w+:)?sheet\s[^>]*?r:id=\"([^\"]+)\"", workbook):
        target = re.search(rb'<Relationship\s[^>]*?Id="' + re.escape(rid) + rb'"[^>]*?Target="([^"]+)"', rels) \
            or re.search(rb'<Relationship\s[^>]*?Target="([^"]+)"[^>]*?Id="' + re.escape(rid) + rb'"', rels)
        if not target:
            paths.append("")
            continue
        path = target.group(1).decode("utf-8", "replace").lstrip("/")
        paths.append(path if path.startswith("xl/") else "xl/" + path)
    try:
        styles = z.read("xl/styles.xml")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return paths, set()
    custom = {m[0]: m[1] for m in re.findall(rb'<numFmt\s[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"', styles)}
    xfs_block = re.search(rb"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    percent_styles: set[bytes] = set()
    if xfs_block:
        for i, xf in enumerate(re.findall(rb"<xf\s[^>]*?/?>", xfs_block.group(1))):
            fmt = re.search(rb'numFmtId="(\d+)"', xf)
            fmt_id = fmt.group(1) if fmt else b"0"
            if fmt_id in (b"9", b"10") or b"%" in custom.get(fmt_id, b""):
                percent_styles.add(str(i).encode())
    return paths, percent_styles


def _sheet_names_text(names: Sequence[str]) -> str:
    shown = ", ".join(repr(n) for n in names[:20])
    return shown + (f" and {len(names) - 20} more" if len(names) > 20 else "")


def _workbook_records(data: bytes, kind: str, sheet: str | None = None,
                      remembered: Mapping[str, str | None] | None = None
                      ) -> tuple[list[list[str]], list[int], str, list[str]]:
    """The sheet of an XLSX/XLS/ODS workbook (read by calamine) that holds the data, as text records, their
    1-based row numbers, its name and every sheet's name. Each sheet is scored by its best header (the fields
    it names, as :func:`_find_header` does), then by its rows; ``sheet`` reads that sheet only. Sizes are
    checked before calamine reads a sheet (:func:`_zip_extents`)."""
    from python_calamine import CalamineWorkbook

    paths, percent_styles = _xlsx_parts(data) if kind == "xlsx" else ([], set())
    extents = _zip_extents(data, kind, paths) if kind in ("xlsx", "ods") else {}
    if kind == "ods":  # calamine reads every table of an ODS when it opens it
        for name, (rows, columns) in extents.items():
            if sheet is None or name == sheet:
                _check_extent(name, rows, columns)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [str(n) for n in wb.sheet_names]
    except Exception as exc:  # calamine raises its own error types on damaged files
        if kind == "xls":
            raise UnreadableFile("old_xls") from exc
        raise UnreadableFile("workbook_error", detail=type(exc).__name__) from exc
    try:
        return _best_sheet(wb, names, kind, data, sheet, remembered, paths, percent_styles, extents)
    except UnreadableFile as exc:
        exc.sheets = names
        raise
    finally:
        wb.close()


def _best_sheet(wb: Any, names: list[str], kind: str, data: bytes, sheet: str | None,
                remembered: Mapping[str, str | None] | None, paths: list[str], percent_styles: set[bytes],
                extents: dict[str, tuple[int, int]]) -> tuple[list[list[str]], list[int], str, list[str]]:
    """The sheet that holds the data (or ``sheet``): records, row numbers, its name and every sheet's name."""
    if sheet is not None and sheet not in names:
        raise UnreadableFile("unknown_sheet", sheet=sheet, sheets=_sheet_names_text(names))
    order = [names.index(sheet)] if sheet is not None else range(len(names))
    best: tuple[tuple[int, int, int], list[list[str]], list[int], str] | None = None
    damaged: UnreadableFile | None = None
    for index in order:
        name = names[index]
        path = paths[index] if index < len(paths) else ""
        rows, columns = extents.get(path, (0, 0)) if kind == "xlsx" else extents.get(name, (0, 0))
        _check_extent(name, rows, columns)
        try:
            book_sheet = wb.get_sheet_by_index(index)
        except Exception as exc:  # a chart sheet or a damaged sheet: try the next one
            damaged = damaged or UnreadableFile("damaged_sheet", sheet=name, detail=_error_detail(exc))
            if sheet is not None:
                raise damaged from exc
            continue
        _check_extent(name, book_sheet.height, book_sheet.width)  # XLS, and what calamine made of the rest
        percent = _xlsx_percent_columns(data, path, percent_styles) if path and percent_styles else set()
        records, numbers = _sheet_records(book_sheet, percent)
        if not records:
            continue
        score = _header_score(records, remembered) + (len(records),)
        if best is None or score > best[0]:
            best = (score, records, numbers, name)
    if best is None:
        raise damaged or UnreadableFile("empty_file")
    return best[1], best[2], best[3], names


def _error_detail(exc: BaseException) -> str:
    """A library's error message, short and plain (letters, digits, spaces and simple punctuation only)."""
    text = re.sub(r"[^\w .,:'()-]+", " ", str(exc).splitlines()[0] if str(exc).strip() else "")
    return " ".join(text.split())[:120] or type(exc).__name__


def _sheet_records(book_sheet: Any, percent: set[int]) -> tuple[list[list[str]], list[int]]:
    """A calamine sheet as text records (trailing empty cells dropped, empty rows skipped) and row numbers."""
    first_row, first_col = book_sheet.start or (0, 0)
    percent = {c - first_col for c in percent}
    records: list[list[str]] = []
    numbers: list[int] = []
    for number, values in enumerate(book_sheet.iter_rows(), start=first_row + 1):
        cells = [v if type(v) is str else _value_text(v, pos in percent) for pos, v in enumerate(values)]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            if max(map(len, cells)) > MAX_CELL_CHARS:
                raise UnreadableFile("cell_too_long", row=number, limit=MAX_CELL_CHARS)
            records.append(cells)
            numbers.append(number)
    return records, numbers


_XLSX_FORMAT_SCAN_BYTES = 1 << 18  # percent-formatted columns are recognised from the first rows
_CELL_TAG_RE = re.compile(rb"<c\s([^>]*)>")
_ATTR_RE = re.compile(rb'([\w:]+)="([^"]*)"')


def _xlsx_percent_columns(data: bytes, path: str, percent_styles: set[bytes]) -> set[int]:
    """0-based columns of an XLSX sheet whose first numeric cells have a percent number format
    (calamine gives values, not formats: the start of the sheet's XML is read)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)).open(path) as fh:
            head = fh.read(_XLSX_FORMAT_SCAN_BYTES)
    except (KeyError, OSError, zipfile.BadZipFile, ValueError):
        return set()
    columns: set[int] = set()
    for m in _CELL_TAG_RE.finditer(head):
        attrs = dict(_ATTR_RE.findall(m.group(1)))
        if attrs.get(b"s") in percent_styles and attrs.get(b"t", b"n") == b"n" and b"r" in attrs:
            letters = re.match(rb"[A-Z]+", attrs[b"r"])
            if letters:
                col = 0
                for ch in letters.group(0):
                    col = col * 26 + ch - 64
                columns.add(col - 1)
    return columns


def _value_text(value: Any, percent: bool = False) -> str:
    """A workbook cell value as the text a user sees (percent-formatted numbers with "%")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        if percent:
            return f"{value * 100:.10g}%"
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value) if isinstance(value, float) else str(value)
    return str(value)


_HEADER_SPACE_RE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def _clean_header(text: str) -> str:
    return _HEADER_SPACE_RE.sub(" ", str(text)).strip()


def _best_header(records: Sequence[list[str]],
                 remembered: Mapping[str, str | None] | None) -> tuple[int, set[str]]:
    """Index of the header and the fields it names: the first of the first non-blank records with the most
    recognised cells (-1 when every record is blank)."""
    best_i, best_found, seen = -1, -1, 0
    best_fields: set[str] = set()
    for i, record in enumerate(records):
        if not "".join(record).strip():
            continue
        seen += 1
        if seen > _HEADER_SCAN_ROWS:
            break
        cells = [c for c in (_clean_header(c) for c in record) if c]
        fields = {f for f in auto_map(cells, remembered).values() if f}
        if len(fields) > best_found:
            best_i, best_found, best_fields = i, len(fields), fields
    return best_i, best_fields


def _header_score(records: Sequence[list[str]], remembered: Mapping[str, str | None] | None) -> tuple[int, int]:
    """How well a sheet's best header is recognised: (names the handle or followers, fields it names)."""
    _, fields = _best_header(records, remembered)
    return int("handle" in fields or "followers" in fields), len(fields)


def _find_header(records: Sequence[list[str]], remembered: Mapping[str, str | None] | None) -> int:
    """Index of the header: the first of the first non-blank records with the most recognised cells."""
    best_i, best_fields = _best_header(records, remembered)
    if best_i < 0:
        raise UnreadableFile("empty_file")
    if "handle" not in best_fields and "followers" not in best_fields:
        raise UnreadableFile("no_columns")
    return best_i


def _records_to_frame(records: list[list[str]], numbers: list[int], attrs: dict[str, Any],
                      remembered: Mapping[str, str | None] | None) -> pd.DataFrame:
    h = _find_header(records, remembered)
    body_idx = [i for i in range(h + 1, len(records)) if "".join(records[i]).strip()]
    body = [records[i] for i in body_idx]
    width = max([len(records[h]), *map(len, body)])
    if any(len(r) != width for r in body):
        body = [r + [""] * (width - len(r)) if len(r) < width else r for r in body]
    columns: list[Any] = [_string_array(list(col)) for col in zip(*body, strict=True)]
    if not body:
        columns = [pa.array([], type=pa.string()) for _ in range(width)]
    numbers_arr = np.array([numbers[i] for i in body_idx], dtype=np.int64)
    return _build_frame(records[h], columns, numbers_arr, {**attrs, "header_row": numbers[h]})


def _string_array(cells: list[str]) -> pa.Array | pa.ChunkedArray:
    """Cells as an Arrow string array with 4-byte offsets (half the offsets of large_string), or large_string
    for a column of more than 2 GiB of text."""
    try:
        return pa.array(cells, type=pa.string())
    except pa.ArrowCapacityError:
        return pa.array(cells, type=pa.large_string())


def _build_frame(header_cells: list[str], columns: list[Any], numbers: np.ndarray,
                 attrs: dict[str, Any]) -> pd.DataFrame:
    """Raw frame from header cells and Arrow string columns (blank rows already dropped): drops
    nameless empty columns, names unnamed columns "Column N" and suffixes duplicated names " (2)"."""
    header = [_clean_header(c) for c in header_cells]
    header += [""] * (len(columns) - len(header))
    index = pd.Index(numbers, name="row", dtype="int64")
    data: dict[str, Any] = {}
    seen: Counter[str] = Counter()
    for pos, (name, col) in enumerate(zip(header, columns, strict=True)):
        if not name:
            if not len(col) or not pc.max(pc.binary_length(pc.utf8_trim_whitespace(col))).as_py():
                continue  # trailing delimiters: a nameless, empty column
            name = f"Column {pos + 1}"
        seen[name.casefold()] += 1
        unique = name if seen[name.casefold()] == 1 else f"{name} ({seen[name.casefold()]})"
        while unique in data:  # a literal "Name (2)" header is already there
            seen[name.casefold()] += 1
            unique = f"{name} ({seen[name.casefold()]})"
        data[unique] = pd.arrays.ArrowExtensionArray(col)  # string[pyarrow]: Arrow's own array, not a copy
    frame = pd.DataFrame(data, index=index, copy=False)
    frame.attrs.update(attrs)
    return frame


# --------------------------------------------------------------------------------------------
# Header mapping
# --------------------------------------------------------------------------------------------

def _header_key(header: object) -> str:
    """Case-, space- and punctuation-insensitive form of a header: 'Ср. просмотры, шт' -> 'ср просмотры шт'."""
    s = str(header).lower().replace("ё", "е")
    s = re.sub(r"[^\w%+@]+|_", " ", s)
    return " ".join(s.split())


_SYNONYMS: dict[str, tuple[str, ...]] = {
    "handle": ("handle", "username", "user name", "ник", "никнейм", "nickname", "nick", "аккаунт", "account",
               "логин", "login", "link", "ссылка", "url", "profile", "профиль", "ссылка на аккаунт",
               "ссылка на профиль", "instagram handle", "имя пользователя", "@"),
    "name": ("name", "имя", "блогер", "blogger", "название", "influencer", "инфлюенсер", "full name", "фио",
             "имя блогера", "creator", "автор", "канал", "channel", "название канала", "blogger name"),
    "platform": ("platform", "площадка", "соцсеть", "социальная сеть", "платформа", "social network", "network",
                 "соц сеть", "social"),
    "niches": ("niche", "niches", "тематика", "категория", "категории", "ниша", "topic", "topics", "category",
               "categories", "тема", "тематики", "ниши"),
    "country": ("country", "страна", "гео", "geo"),
    "city": ("city", "город"),
    "language": ("language", "язык", "lang", "язык контента"),
    "followers": ("followers", "подписчики", "подписчиков", "subscribers", "аудитория", "subs", "фолловеры",
                  "кол во подписчиков", "количество подписчиков", "число подписчиков", "followers count"),
    "avg_views": ("views", "просмотры", "ср просмотры", "средние просмотры", "avg views", "average views",
                  "просмотров", "среднее количество просмотров"),
    "avg_reach": ("reach", "охват", "avg reach", "средний охват", "охват поста", "average reach", "ср охват"),
    "avg_story_reach": ("story reach", "stories reach", "охват сторис", "охват историй", "ср охват сторис"),
    "avg_likes": ("likes", "лайки", "avg likes", "ср лайки", "лайков", "средние лайки"),
    "avg_comments": ("comments", "комментарии", "avg comments", "ср комментарии", "комментариев"),
    "engagement_rate": ("er", "er %", "er%", "вовлеченность", "engagement rate", "engagement", "err", "err %",
                        "ер", "коэффициент вовлеченности"),
    "er_basis": ("er basis", "er base", "база er", "er база", "основа er", "er по", "basis"),
    "credibility": ("credibility", "качество аудитории", "real followers", "живые подписчики", "aqs",
                    "audience quality", "% живых", "живые", "реальные подписчики"),
    "audience_female": ("gender female share", "женщины", "% женщин", "female", "female %", "доля женщин",
                        "women", "ж", "% ж"),
    "audience_countries": ("audience countries", "гео аудитории", "страны аудитории", "top countries",
                           "audience geo", "топ стран"),
    "price_post": ("price", "цена", "стоимость", "стоимость поста", "прайс", "price post", "post price",
                   "цена поста", "пост", "post", "стоимость публикации", "стоимость размещения",
                   "цена размещения", "cost"),
    "price_story": ("story", "stories", "сторис", "story price", "цена сторис", "стоимость сторис", "истории"),
    "price_short": ("reels", "shorts", "клип", "клипы", "рилс", "reels price", "цена reels", "стоимость reels"),
    "price_video": ("integration", "интеграция", "видео", "video", "цена интеграции", "стоимость интеграции",
                    "video price", "integration price"),
    "currency": ("currency", "валюта"),
    "accepts_barter": ("barter", "бартер", "accepts barter", "готов на бартер"),
    "barter_min_value": ("barter min value", "мин бартер", "min barter", "бартер от", "минимальный бартер"),
    "flag_profanity": ("мат", "profanity", "ненормативная лексика", "маты"),
    "flag_competitor_ads": ("competitor ads", "реклама конкурентов", "конкуренты"),
    "ad_alcohol": ("alcohol", "алкоголь"),
    "ad_gambling": ("gambling", "казино", "ставки", "беттинг"),
    "ad_pharma": ("pharma", "фарма", "бады", "лекарства"),
    "ad_tobacco": ("tobacco", "табак", "вейпы"),
    "deals_completed": ("deals completed", "completed deals", "сделок", "сделки"),
    "deals_cancelled": ("deals cancelled", "cancelled deals", "отмены", "срывы"),
    "contact": ("contact", "контакт", "контакты", "email", "e mail", "почта", "telegram", "телеграм", "tg", "тг",
                "phone", "телефон", "whatsapp"),
    "updated_at": ("updated", "updated at", "дата обновления", "обновлено", "дата", "date", "last updated",
                   "актуально на"),
}

_EXACT: dict[str, str] = {}
for _field in schema.FIELD_NAMES:
    _EXACT[_header_key(_field)] = _field
for _field, _words in _SYNONYMS.items():
    for _word in _words:
        _EXACT.setdefault(_header_key(_word), _field)

_STORY = r"(стори|stories|story|истори)"
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((f, re.compile(p)) for f, p in (
    ("currency", r"валют|currency|\bccy\b"),
    ("er_basis", r"\b(basis|база|основа)\b"),
    *((f"audience_age_{b}", rx) for b, rx in (
        ("13_17", r"\b13 17\b|до 17|младше 18|under 18"),
        ("18_24", r"\b18 24\b"),
        ("25_34", r"\b25 34\b"),
        ("35_44", r"\b35 44\b"),
        ("45_plus", r"\b45\+|\b45 (plus|и старше)|старше 45|\b45 (54|64|99)\b|\b45 \+"),
    )),
    ("audience_countries", r"(audience|аудитор).*(countr|стран|гео|geo)|(countr|стран|гео|geo).*(audience|аудитор)"
                           r"|top countr|топ стран"),
    ("audience_female", r"женщ|female|women|woman|девуш|\bж\b"),
    ("credibility", r"credib|качеств|quality|\baqs\b|real (follow|audience|subs)|жив|реальн|настоящ"),
    ("avg_story_reach", rf"(охват|reach|просмотр|views).*{_STORY}|{_STORY}.*(охват|reach|просмотр|views)"),
    ("avg_reach", r"охват|reach"),
    ("engagement_rate", r"\berr?\b|\berr?%|engagement|вовлеч|\bерр?\b|\beng\b.*\brate\b"),
    ("avg_views", r"просмотр|\bviews?\b|\bпросм\b"),
    ("avg_likes", r"лайк|\blikes?\b"),
    ("avg_comments", r"комментари[иея]в?\b|\bcomments\b|\bкомм\b"),
    ("barter_min_value", r"(бартер|barter).*(мин|min|\bот\b|value|стоим|сумм|порог)|(мин|min).*(бартер|barter)"),
    ("accepts_barter", r"бартер|barter|gifting"),
    ("price_story", _STORY),
    ("price_short", r"reels|рилс|shorts|шортс|клип|\bshort\b"),
    ("price_video", r"интеграц|integration|видео|\bvideo\b|ролик"),
    ("price_post", r"\bцен|стоимост|прайс|price|\bпост\b|\bpost\b|публикац|размещ|\bcost\b|\bfee\b|гонорар"),
    ("deals_cancelled", r"отмен|срыв|cancel"),
    ("deals_completed", r"сделк|\bdeals?\b|выполнен|completed"),
    ("followers", r"подписч|subscr|follower|фолловер|аудитор|\bsubs\b|\bfans\b|участник|members"),
    ("handle", r"handle|username|user name|пользовател|\bник|nick|аккаунт|account|логин|login|ссылк|\blink|\burl\b"
               r"|profile|профил"),
    ("name", r"\bname\b|\bимя\b|блогер|blogger|назван|influencer|инфлюенсер|creator|автор|\bфио\b|канал|channel"),
    ("platform", r"платформ|площадк|соцсет|соц сет|social|platform|network"),
    ("niches", r"тематик|категор|\bниш|niche|topic|categor|\bтема\b|vertical|направлен|рубрик"),
    ("country", r"стран|country|\bгео\b|\bgeo\b"),
    ("city", r"город|\bcity\b"),
    ("language", r"язык|language|\blang\b"),
    ("flag_profanity", r"\bмат\b|\bматы\b|\bмат в|ненормат|profan|swear|обсцен"),
    ("flag_competitor_ads", r"конкурент|competitor"),
    ("ad_alcohol", r"алког|alcohol"),
    ("ad_gambling", r"gambl|казино|casino|ставк|беттинг|betting|азарт"),
    ("ad_pharma", r"pharm|фарм|\bбад|лекарств"),
    ("ad_tobacco", r"tobacco|табак|вейп|\bvape|сигарет|никотин"),
    ("contact", r"контакт|contact|e ?mail|почт|telegram|телеграм|\bтг\b|whatsapp|phone|телефон|менеджер|manager"
                r"|для связи"),
    ("updated_at", r"обновл|update|\bдата\b|\bdate\b|актуальн"),
))


_UNIT_TOKENS = frozenset((
    "тыс", "тысяч", "шт", "руб", "р", "rub", "rur", "usd", "eur", "евро", "k", "к", "млн", "mln", "m", "%", "в",
    "in", "ед", "чел", "человек", "pcs", "thousands", "thousand", "000", "за", "1",
))


def _strip_units(key: str) -> str:
    """'подписчики тыс' -> 'подписчики', 'price usd' -> 'price' (a unit word never names a field)."""
    words = key.split()
    while len(words) > 1 and words[-1] in _UNIT_TOKENS:
        words.pop()
    return " ".join(words)


# Columns of estimates (the app's own export writes them as "estimated_<field>"): never read as data, so an
# export imported again never turns an estimate into a measurement.
_ESTIMATE_HEADER_RE = re.compile(r"^(?:estimated|estimate|est|оценка|оценочн\w*|расчетн\w*)\b")


def _guess_field(key: str) -> tuple[str | None, int]:
    if _ESTIMATE_HEADER_RE.match(key):
        return None, 0
    if key in _EXACT:
        return _EXACT[key], 2
    if _strip_units(key) in _EXACT:
        return _EXACT[_strip_units(key)], 2
    for name, rx in _RULES:
        if rx.search(key):
            return name, 1
    return None, 0


def auto_map(headers: list[str], remembered: Mapping[str, str | None] | None = None) -> dict[str, str | None]:
    """Map each source header to a canonical field (``schema.FIELD_NAMES``) or ``None`` (ignored).

    Matching ignores case, spaces and punctuation and knows English and Russian synonyms.
    ``remembered`` (header -> field, or ``None``/"" to ignore) overrides the guess. No field is
    given to two headers: remembered choices first, then exact synonyms, then partial matches,
    each in header order.
    """
    rem = {_header_key(k): v for k, v in (remembered or {}).items()}
    candidates: list[tuple[int, int, str | None]] = []
    for pos, header in enumerate(headers):
        key = _header_key(header)
        if key in rem:
            wanted = rem[key]
            candidates.append((3, pos, wanted if wanted in schema.FIELD_BY_NAME else None))
        else:
            guess, score = _guess_field(key)
            candidates.append((score, pos, guess))
    result: dict[str, str | None] = {h: None for h in headers}
    taken: set[str] = set()
    for _score, pos, guess in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if guess is not None and guess not in taken:
            result[headers[pos]] = guess
            taken.add(guess)
    return result


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
    exp = _np(pc.cast(pc.if_else(pc.equal(exp_s, ""), "0", exp_s), pa.int32())).astype(float)
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


def _currency_code(value: str) -> str | None:
    key = value.strip().lower().rstrip(".")
    return _CURRENCY_CODES.get(key) or (key.upper() if key.upper() in schema.CURRENCIES else None)


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


def _date_value(value: str, day_first_slash: bool) -> str:
    text = value.strip().lower()
    y = mo = d = 0
    if m := re.fullmatch(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[ t].*)?", text):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?:\s.*)?", text):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})(?:\s.*)?", text):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:\s.*)?", text):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        d, mo = (a, b) if day_first_slash else (b, a)
    elif m := re.fullmatch(r"(\d{1,2})\s+([a-zа-я]+)\.?,?\s+(\d{4})(?:\s*г\.?)?", text):
        d, mo, y = int(m[1]), _month(m[2]) or 0, int(m[3])
    elif m := re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", text):
        mo, d, y = _month(m[1]) or 0, int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{5})(?:\.\d+)?", text):  # Excel serial day number
        serial = int(m[1])
        if 20000 <= serial <= 80000:
            return (dt.date(1899, 12, 30) + dt.timedelta(days=serial)).isoformat()
        raise ValueError(value)
    else:
        raise ValueError(value)
    if y < 100:
        y += 2000
    return dt.date(y, mo, d).isoformat()  # ValueError when out of range


_AUD_COUNTRY_RE = re.compile(
    r"([^\W\d_][^\d:=\-–—]*?)\s*[:=\-–—]?\s*(\d+(?:[.,]\d+)?)\s*(%?)", re.UNICODE)


def _audience_countries(value: str) -> str:
    text = value.strip()
    if re.fullmatch(r"(?:[A-Za-z]{2}:\d*\.?\d+;?)+", text.replace(" ", "")):
        pairs = [p.split(":") for p in text.replace(" ", "").strip(";").split(";")]
        items = [(c.upper(), float(v)) for c, v in pairs]
    else:
        items = []
        if _AUD_COUNTRY_RE.sub("", text).strip(" ,;\t\n"):  # something besides "country share" pairs
            raise ValueError(value)
        for m in _AUD_COUNTRY_RE.finditer(text):
            code = _country_code(m[1].strip(" ,;"))
            if code is None:
                raise ValueError(value)
            share = float(m[2].replace(",", "."))
            items.append((code, share / 100 if m[3] or share > 1 else share))
        if not items:
            raise ValueError(value)
    if any(not 0 <= v <= 1 for _, v in items):
        raise ValueError(value)
    return ";".join(f"{c}:{_share_text(v)}" for c, v in items)


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
    share = np.where(_np(pc.equal(m.field("p"), "%")).astype(bool) | (value > 1), value / 100.0, value)
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


# --------------------------------------------------------------------------------------------
# Normalising a raw table
# --------------------------------------------------------------------------------------------

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


@dataclass
class ImportPreview:
    """The result of reading a file. Counts are rows: ``rows_read`` = ``accepted`` + ``refused``
    + ``duplicates_dropped`` + ``superseded``. ``rejected`` lists the cells that refused a row
    (only identity does: handle, platform, followers); ``warnings`` the cells of stored rows that
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


_COUNT_FIELDS = ("followers", "avg_views", "avg_reach", "avg_story_reach", "avg_likes", "avg_comments",
                 "deals_completed", "deals_cancelled")
_MONEY_FIELDS = ("price_post", "price_story", "price_short", "price_video", "barter_min_value")
_SHARE_FIELDS = ("credibility", "audience_female", *(f"audience_age_{b}" for b in schema.AGE_BUCKETS))
_BOOL_FIELDS = tuple(f.name for f in schema.FIELDS if f.kind == "bool")
_PLAIN_TEXT_FIELDS = ("name", "city", "contact")
_VIEW_PLATFORMS = ("youtube", "tiktok", "twitch")


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


def _re2(pattern: str) -> str:
    """A Python regular expression's ``\\uXXXX`` escapes as RE2 (Arrow's regex engine) writes them."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", r"\\x{\1}", pattern)


_CONTROL_RE2 = _re2(_CONTROL_RE)
# Cells ``str.strip()`` leaves empty: only the characters Python counts as white space (str.isspace), or none.
_PY_BLANK_RE2 = (r"^[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
                 r"\x{205f}\x{3000}]*$")


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


def _header_multiplier(header: str) -> float:
    """'Подписчики, тыс.' or 'Followers (K)': the cells are in thousands (millions for 'млн', 'M')."""
    key = _header_key(header)
    if re.search(r"\b(тыс|тысяч|thousands?|k|к)\b", key):
        return 1e3
    if re.search(r"\b(млн|mln|millions?|миллион\w*|m|м)\b", key):
        return 1e6
    return 1.0


def _header_currency(header: str) -> str | None:
    low = str(header).lower()
    for code, rx in (("RUB", r"₽|\bруб|\brub\b|\bр\.|\brur\b"), ("USD", r"\$|\busd\b"), ("EUR", r"€|\beur\b|евро")):
        if re.search(rx, low):
            return code
    return None


def normalise(raw: pd.DataFrame, mapping: Mapping[str, str | None], platform: str | None = None, *,
              filename: str = "") -> ImportPreview:
    """Validate and convert a raw table (from :func:`read_table`) into canonical blogger rows.

    ``mapping`` is source header -> field (None or an unknown field: ignored; a field mapped
    twice: the first header wins). ``platform`` is the default for rows whose platform is
    neither in a column nor in a profile link; without one, a platform named by the handle's
    header or another header ("Instagram handle", "Tiktoker name") or by ``filename`` is used
    (``assumed_platform``).

    Only identity refuses a row: a missing or unreadable handle, platform or followers count
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
        result = _normalise(raw, mapping, default_platform, filename, consume)
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile("unexpected", detail=type(exc).__name__) from exc
    finally:
        _release_arrow_memory()
    result.sheet = raw.attrs.get("sheet")
    result.sheets = list(raw.attrs.get("sheets") or [])
    return result








def _normalise(raw: pd.DataFrame, mapping: Mapping[str, str | None], default_platform: str | None,
               filename: str, consume: bool) -> ImportPreview:

    clean_map: dict[str, str | None] = {}
    source: dict[str, Any] = {}
    for header in raw.columns:
        wanted = mapping.get(header)
        if isinstance(wanted, str) and wanted in schema.FIELD_BY_NAME and wanted not in source:
            source[wanted] = header
            clean_map[str(header)] = wanted
        else:
            clean_map[str(header)] = None

    assumed_platform = None
    if default_platform is None and "platform" not in source:
        headers = [str(source["handle"])] if "handle" in source else []
        assumed_platform = (_platform_hint(headers) or _platform_hint([str(h) for h in raw.columns])
                            or _platform_hint([filename]))
        default_platform = assumed_platform

    rows_read = len(raw)
    dup = _duplicate_rows(raw, source.get("handle"))
    duplicates = int(dup.sum())
    kept_rows = ~dup
    rows = _row_numbers(raw)[kept_rows]
    n = len(rows)

    def column(header: Any) -> pd.Series:
        """A source column without the dropped duplicates (one column copied at a time, never the table)."""
        return raw[header][kept_rows] if duplicates else raw[header]

    freed = [0]  # bytes of raw columns deleted since memory was last given back

    def drop(header: Any) -> None:
        freed[0] += int(pa.array(raw[header].array).nbytes) if _is_arrow_text(raw[header].dtype) else 0
        del raw[header]

    def done(*fields: str) -> None:
        """The source columns of ``fields`` are read for good (their cells shown in every reason already):
        with ``consume``, deleted from ``raw``."""
        if consume:
            for f in fields:
                if f in source and source[f] in raw.columns:
                    drop(source[f])
            if freed[0] >= _RELEASE_BYTES:  # for numpy's allocations too, which Arrow's allocator cannot reuse
                _release_arrow_memory()
                freed[0] = 0

    order = {h: i for i, h in enumerate(raw.columns)}
    if consume:  # columns mapped to no field are not read at all (they counted for exact duplicates above)
        for header in [h for h in raw.columns if clean_map.get(str(h)) is None]:
            drop(header)
    if n >= 200_000:
        _release_arrow_memory()  # finding the duplicates' temporaries
    rej = _Rejects(n)
    warn = _Rejects(n)
    out: dict[str, Any] = {}
    texts: dict[str, pa.Array] = {}

    def raw_text(f: str) -> pa.Array:
        """The cells as they are (for columns with few distinct values, cleaned value by value)."""
        return _to_arrow(_as_text(column(source[f])))

    def text(f: str) -> pa.Array:
        if f not in texts:
            texts[f] = _arrow_text(column(source[f]))
        return texts[f]

    def col_name(f: str) -> str:
        return str(source.get(f, f))

    def col_order(f: str) -> int:
        return order.get(source[f], -1) if f in source else -1

    def shown(f: str, pos: np.ndarray) -> list[str]:
        return [_shown(v) for v in column(source[f]).iloc[pos].tolist()]

    def reject(f: str, mask: np.ndarray, code: str, into: _Rejects = rej) -> None:
        """Reject the masked cells of field ``f`` with reason ``code`` (its ``value``: the cell as shown)."""
        pos = np.flatnonzero(mask)
        if len(pos):
            params = [{"value": v} for v in shown(f, pos)] if "{value" in REASONS[code] else None
            into.add(mask, col_name(f), col_order(f), code, params)

    def warning(f: str, mask: np.ndarray, code: str) -> None:
        """The masked cells of optional field ``f`` are left blank; the rows are stored."""
        reject(f, mask, code, warn)

    def reject_with(f: str, mask: np.ndarray, code: str, extra: Mapping[str, Any], into: _Rejects) -> None:
        """Like :func:`reject` with fixed parameters beside the cell's value (a limit, say)."""
        pos = np.flatnonzero(mask)
        if len(pos):
            values = shown(f, pos) if "{value" in REASONS[code] else [None] * len(pos)
            params = [{**extra, **({"value": v} if v is not None else {})} for v in values]
            into.add(mask, col_name(f), col_order(f), code, params)

    missing_fields = [f for f in ("handle", "followers") if f not in source]
    if missing_fields:
        if "platform" not in source and default_platform is None and not _has_links(raw, source.get("handle")):
            missing_fields.append("platform")
        return _missing_preview(raw, clean_map, rows_read, duplicates, n, missing_fields, assumed_platform)

    numeric = [f for f in (*_COUNT_FIELDS, *_MONEY_FIELDS, "engagement_rate", *_SHARE_FIELDS) if f in source]
    # parsed when needed (an exception on the way leaves at most a few parses running, then their threads end)
    parsed = _ParsedColumns(numeric, lambda f: column(source[f]), n)

    # --- handle and platform -------------------------------------------------------------
    url_platform = np.full(n, None, dtype=object)
    if "handle" in source:
        arr = text("handle")
        low = pc.utf8_lower(arr)
        missing = _np(pc.is_null(arr)).astype(bool)
        cand = pc.utf8_ltrim(low, characters="@")
        is_url = np.zeros(n, dtype=bool)
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
            mask = np.zeros(n, dtype=bool)
            mask[slash] = True
            cand = pc.replace_with_mask(cand, pa.array(mask), fixed)
            if sub_url.any():
                domains = _np(pc.filter(m.field("dom"), pa.array(sub_url))).astype(object)
                url_platform[slash[sub_url]] = [_URL_PLATFORM.get(d) for d in domains]
        link_like &= ~is_url & ~missing
        valid = _np(pc.fill_null(pc.match_substring_regex(cand, r"^[^\s/?#@,;]+$"), False)).astype(bool)
        reject("handle", missing, "handle_missing")
        reject("handle", link_like, "bad_profile_link")
        reject("handle", ~missing & ~link_like & ~valid, "not_a_handle")
        out["handle"] = cand
    else:
        out["handle"] = np.full(n, None, dtype=object)  # not reached: a missing column returns early

    plat = np.full(n, None, dtype=object)
    bad_platform = np.zeros(n, dtype=bool)
    if "platform" in source:
        plat, bad_platform = _map_unique(raw_text("platform"), _cleaned(_platform_code))
        reject("platform", bad_platform, "unknown_platform")
        conflict = (plat != None) & (url_platform != None) & (plat != url_platform)  # noqa: E711
        pos = np.flatnonzero(conflict)
        if len(pos):
            rej.add(conflict, col_name("platform"), col_order("platform"), "platform_link_mismatch",
                    [{"value": v, "link": url_platform[i]} for i, v in zip(pos, shown("platform", pos), strict=True)])
    plat = np.where(plat == None, url_platform, plat)  # noqa: E711
    if "platform" not in source and default_platform is None and n and not (url_platform != None).any():  # noqa: E711
        parsed.close()
        return _missing_preview(raw, clean_map, rows_read, duplicates, n, ["platform"], assumed_platform)
    if default_platform:
        plat = np.where(plat == None, default_platform, plat)  # noqa: E711
    reject("platform", (plat == None) & ~bad_platform, "platform_missing")  # noqa: E711
    out["platform"] = plat
    texts.pop("handle", None)
    done("handle", "platform")

    # --- numbers ---------------------------------------------------------------------------
    money_currency: dict[str, np.ndarray] = {}
    for f in (*_COUNT_FIELDS, *_MONEY_FIELDS):
        if f not in source:
            continue
        p = parsed.take(f)
        values = p.values
        factor = _header_multiplier(str(source[f]))
        if factor != 1.0:
            values = np.where(p.suffix, values, values * factor)
        flag = reject if f == "followers" else warning
        flag(f, p.error, "not_a_number")
        flag(f, p.pct, "percent_not_number")
        flag(f, values < 0, "negative_number")
        warning(f, p.range & ~p.pct & (values >= 0), "range_midpoint")
        high = schema.FIELD_BY_NAME[f].high
        huge = ~p.pct & (values >= 0) & ~(values <= (high if high is not None else np.inf))  # inf included
        if huge.any():
            code = "followers_out_of_range" if f == "followers" else "out_of_range"
            reject_with(f, huge, code, {"high": high if high is not None else float("inf")},
                        rej if f == "followers" else warn)
        ok = np.isfinite(values) & (values >= 0) & ~p.pct & ~huge
        if f == "followers":
            reject(f, p.missing, "followers_missing")
            reject(f, values == 0, "followers_zero")
            out[f] = np.where(ok & (values > 0), np.round(values), 0).astype(np.int64)
        elif f.startswith("deals_"):
            out[f] = pd.array(np.where(ok, np.round(values), np.nan), dtype="Int64")
        else:
            out[f] = np.where(ok, values, np.nan)
        if f in _MONEY_FIELDS:
            cur = p.currency.copy()
            header_cur = _header_currency(str(source[f]))
            if header_cur:
                cur[(cur == None) & np.isfinite(values)] = header_cur  # noqa: E711
            money_currency[f] = cur
        del p, values
        done(f)

    # --- percentages and shares ----------------------------------------------------------------
    if "engagement_rate" in source:
        p = parsed.take("engagement_rate")
        # A percent column may hold only values <= 1 (mega-bloggers at 0.8 %), so the cells count as
        # fractions only when they also look like them: median at most 0.3 (30 %).
        er = _to_percent(p, _fraction_column(p, max_median=0.3))
        warning("engagement_rate", p.error, "not_a_number")
        warning("engagement_rate", er < 0, "negative_number")
        warning("engagement_rate", p.range & (er >= 0), "range_midpoint")
        er_ok = (er >= 0) & (er <= schema.FIELD_BY_NAME["engagement_rate"].high)
        warning("engagement_rate", (er >= 0) & ~er_ok, "rate_out_of_range")  # 1e308 % and inf included
        out["engagement_rate"] = np.where(er_ok, er, np.nan)
        del p, er, er_ok
        done("engagement_rate")
    for f in _SHARE_FIELDS:
        if f not in source:
            continue
        p = parsed.take(f)
        if f in ("credibility", "audience_female"):
            # Per cell: "82%", "82" and "0.82" are all 0.82 (below 1 % is not a plausible value here).
            share = np.where(p.pct | (np.abs(p.values) > 1), p.values / 100.0, p.values)
        else:  # age buckets: 0.5 % is plausible, so the column decides
            share = _to_percent(p, None) / 100.0
        in_range = (share >= 0) & (share <= 1 + 1e-9)
        warning(f, p.error, "not_a_number")
        warning(f, np.isfinite(share) & ~in_range, "share_out_of_range")
        out[f] = np.where(in_range, np.minimum(share, 1.0), np.nan)
        del p, share, in_range
        done(f)

    parsed.close()
    # --- engagement basis --------------------------------------------------------------------
    if "er_basis" in source or "engagement_rate" in source:
        views = pd.Series(plat, dtype=object).isin(_VIEW_PLATFORMS).to_numpy(dtype=bool)
        basis_default = np.array(["followers", "views"], dtype=object)[views.astype(np.int64)]
        if "engagement_rate" in source:
            key = _header_key(source["engagement_rate"])
            if re.search(r"\berr\b|просмотр|views|охват|reach", key):
                basis_default[:] = "views"
            elif re.search(r"подписч|follower|subscr", key):
                basis_default[:] = "followers"
        basis = np.full(n, None, dtype=object)
        if "er_basis" in source:
            basis, bad = _map_unique(raw_text("er_basis"),
                                      _cleaned(lambda v: _ER_BASIS.get(" ".join(v.lower().split()))))
            warning("er_basis", bad, "unknown_er_basis")
        out["er_basis"] = np.where(basis == None, basis_default, basis)  # noqa: E711
        del basis, basis_default
        done("er_basis")

    # --- currency ------------------------------------------------------------------------------
    if money_currency or "currency" in source:
        currency = np.full(n, None, dtype=object)
        bad_currency = np.zeros(n, dtype=bool)
        if "currency" in source:
            currency, bad_currency = _map_unique(raw_text("currency"), _cleaned(_currency_code))
            warning("currency", bad_currency, "unknown_currency")
        for f, cur in money_currency.items():
            clash = (cur != None) & (currency != None) & (cur != currency)  # noqa: E711
            if clash.any():
                warn.add(clash, col_name(f), col_order(f), "currency_clash",
                         [{"price": cur[i], "column": currency[i]} for i in np.flatnonzero(clash)])
            out[f] = np.where(clash | bad_currency, np.nan, out[f])
            currency = np.where(currency == None, cur, currency)  # noqa: E711
        out["currency"] = np.where(currency == None, "RUB", currency)  # noqa: E711
        del currency, bad_currency
        done("currency")
    money_currency.clear()

    # --- booleans ------------------------------------------------------------------------------
    for f in _BOOL_FIELDS:
        if f in source:
            values, bad = _map_unique(raw_text(f), _bool_value)
            warning(f, bad, "not_yes_no")
            out[f] = pd.array(values, dtype="boolean")  # bad cells are None already
            done(f)

    # --- text fields ----------------------------------------------------------------------------
    for f, func, code in (("country", _country_code, "unknown_country"),
                          ("language", _language_code, "unknown_language"),
                          ("audience_countries", _audience_countries, "bad_audience_countries")):
        if f in source:
            values, bad = (_audience_countries_column(raw_text(f)) if f == "audience_countries"
                           else _map_unique(raw_text(f), _cleaned(func)))
            warning(f, bad, code)
            out[f] = values
            done(f)
    if "niches" in source:
        out["niches"], _ = _map_unique(raw_text("niches"), _cleaned(_niches))
        done("niches")
    if "updated_at" in source:
        factorized = _factorize(raw_text("updated_at"))
        slashes = [m.groups() for v in factorized[1] if (m := re.match(r"\s*(\d{1,2})/(\d{1,2})/\d", v))]
        # 03/01/2025 is month-first (US) unless some first part is above 12 and no second part is.
        day_first = any(int(a) > 12 for a, _ in slashes) and not any(int(b) > 12 for _, b in slashes)
        values, bad = _map_unique(raw_text("updated_at"), _cleaned(lambda v: _date_value(v, day_first)), factorized)
        warning("updated_at", bad, "not_a_date")
        out["updated_at"] = values
        done("updated_at")
    for f in _PLAIN_TEXT_FIELDS:
        if f in source:
            out[f] = text(f)
            done(f)
    texts.clear()

    # --- what the database keeps: no invisible control characters, text within its length -------------
    for spec in schema.FIELDS:
        if spec.kind != "str" or spec.name not in out or spec.name == "platform":
            continue
        col = _text_array(out[spec.name])
        changed = _np(pc.fill_null(pc.match_substring_regex(col, _CONTROL_RE2), False)).astype(bool)
        cleaned = col
        if changed.any():
            reject_with(spec.name, changed, "control_characters", {}, warn)
            cleaned = pc.replace_substring_regex(col, _CONTROL_RE2, "")
            blank = pc.fill_null(pc.match_substring_regex(cleaned, _PY_BLANK_RE2), False)  # str.strip() == ""
            cleaned = pc.if_else(blank, pa.scalar(None, pa.large_string()), cleaned)
        limit = spec.max_length
        if limit:
            long = _np(pc.fill_null(pc.greater(pc.utf8_length(cleaned), limit), False)).astype(bool)
            if long.any():
                if spec.name == "handle":
                    reject_with("handle", long, "handle_too_long", {"max": limit}, rej)
                else:
                    reject_with(spec.name, long, "text_too_long", {"max": limit}, warn)
                    cleaned = pc.if_else(pa.array(long), pc.utf8_slice_codeunits(cleaned, 0, limit), cleaned)
        if spec.name == "handle":
            reject("handle", _np(pc.and_(pc.is_null(cleaned), pc.is_valid(col))).astype(bool), "handle_missing")
        out[spec.name] = cleaned
        del col, cleaned

    # --- assemble --------------------------------------------------------------------------------
    keep = ~rej.mask
    rejected = rej.build(rows)
    refused = int(rej.mask.sum())
    # Of rows with the same (platform, handle) the last one is kept: found on the kept rows' keys alone.
    kept_pos = np.flatnonzero(keep)
    stored_pos = kept_pos
    superseded = 0
    if len(kept_pos):
        # only rows whose handle repeats can share a key: the keys are compared on those alone
        handles = _text_array(out["handle"]).take(pa.array(kept_pos))
        codes = _np(handles.dictionary_encode().indices.fill_null(-1)).astype(np.int64) + 1
        candidates = np.flatnonzero(np.bincount(codes)[codes] > 1)
        del codes
        later = np.zeros(len(kept_pos), dtype=bool)
        if len(candidates):
            platforms = _text_array(out["platform"][kept_pos[candidates]])
            later[candidates] = _repeated([platforms, handles.take(pa.array(candidates))], keep="last")
        del handles
        superseded = int(later.sum())
        if superseded:
            stored_pos = kept_pos[~later]
    stored = np.zeros(n, dtype=bool)
    stored[stored_pos] = True
    whole = len(stored_pos) == n
    stored_pa = None if whole else pa.array(stored)
    columns: dict[str, Any] = {}
    for spec in schema.FIELDS:  # each column taken out of ``out`` as it is copied: one column at a time
        if spec.name not in out:
            continue
        values = out.pop(spec.name)
        if isinstance(values, pa.Array | pa.ChunkedArray) or spec.kind in ("str", "date"):
            arr = _text_array(values)
            columns[spec.name] = pd.array(arr if whole else pc.filter(arr, stored_pa), dtype="str")
        elif spec.kind == "float":
            columns[spec.name] = np.asarray(values if whole else values[stored], dtype=float)
        else:
            columns[spec.name] = values if whole else values[stored]
        del values
    frame = pd.DataFrame(columns, index=pd.Index(rows[stored], name="row", dtype="int64"), copy=False)
    del columns
    return ImportPreview(frame=frame, rejected=rejected, rows_read=rows_read, mapping=clean_map,
                         duplicates_dropped=duplicates, superseded=superseded, warnings=warn.build(rows, ~stored),
                         refused=refused, assumed_platform=assumed_platform)


def _missing_preview(raw: pd.DataFrame, mapping: dict[str, str | None], rows_read: int, duplicates: int, n: int,
                     missing: list[str], assumed_platform: str | None) -> ImportPreview:
    """Nothing can be stored: a required field has no column (one message, not one per row)."""
    frame = pd.DataFrame({"handle": pd.array([], dtype="str"), "platform": pd.array([], dtype="str"),
                          "followers": np.zeros(0, dtype=np.int64)},
                         index=pd.Index([], name="row", dtype="int64"))
    return ImportPreview(frame=frame, rejected=[], rows_read=rows_read, mapping=mapping, duplicates_dropped=duplicates,
                         refused=n, missing_fields=missing, assumed_platform=assumed_platform)


def _has_links(df: pd.DataFrame, handle_header: Any) -> bool:
    if handle_header is None:
        return False
    cells = _to_arrow(_as_text(df[handle_header].head(1000)))
    return bool(pc.any(pc.fill_null(pc.match_substring_regex(pc.utf8_lower(cells), _URL_RE), False)).as_py())


_PLATFORM_HINT_RE = re.compile(
    r"(?P<instagram>instagram|insta\b|инстаграм|\big\b)|(?P<tiktok>tiktok|tik tok|тикток|tiktoker)"
    r"|(?P<youtube>youtube|youtuber|ютуб)|(?P<telegram>telegram|телеграм)|(?P<vk>\bvk\b|вконтакте|\bвк\b)"
    r"|(?P<twitch>twitch|твич)")


def _platform_hint(texts: Sequence[str]) -> str | None:
    """The one platform the texts (headers, a file name) name, if exactly one is named."""
    found = {m.lastgroup for t in texts for m in _PLATFORM_HINT_RE.finditer(_header_key(t))}
    found.discard(None)
    return str(next(iter(found))) if len(found) == 1 else None





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


def _apply_overrides(mapping: dict[str, str | None],
                     overrides: Mapping[str, str | None] | None) -> dict[str, str | None]:
    if not overrides:
        return mapping
    result = dict(mapping)
    by_key = {_header_key(h): h for h in result}
    for header, wanted in overrides.items():
        target = header if header in result else by_key.get(_header_key(header))
        if target is None:
            continue
        fieldname = wanted if wanted in schema.FIELD_BY_NAME else None
        if fieldname is not None:
            for other, f in result.items():
                if f == fieldname and other != target:
                    result[other] = None
        result[target] = fieldname
    return result


_HANDLE_TOKEN_RE = r"^@?[\w.]{2,40}$"  # one word: "cristiano", "@anna_b" (with a letter, checked apart)
_CONTENT_SAMPLE = 500


def _cells(raw: pd.DataFrame, header: str) -> pa.Array:
    """The non-empty cells of a column's first rows (trimmed, lower-cased)."""
    arr = pc.utf8_lower(_arrow_text(raw[header].head(_CONTENT_SAMPLE)))
    return pc.drop_null(arr)


def _handle_score(cells: pa.Array) -> int:
    """2: profile links or @handles; 1: distinct one-word tokens (bare handles); 0: not handles."""
    n = len(cells)
    if n == 0:
        return 0
    links = int(pc.sum(pc.or_(pc.match_substring_regex(cells, _URL_RE), pc.starts_with(cells, "@"))).as_py() or 0)
    if links >= 0.8 * n:
        return 2
    tokens = int(pc.sum(pc.and_(pc.match_substring_regex(cells, _HANDLE_TOKEN_RE),
                                pc.match_substring_regex(cells, r"[a-zа-яё]"))).as_py() or 0)
    distinct = len(pc.unique(cells))
    return 1 if tokens >= 0.9 * n and distinct >= 0.9 * n else 0


def _percent_share(cells: pa.Array) -> float:
    return (int(pc.sum(pc.match_substring_regex(cells, r"%\s*$")).as_py() or 0) / len(cells)) if len(cells) else 0.0


def content_mapping(raw: pd.DataFrame, mapping: Mapping[str, str | None],
                    locked: Sequence[str] = ()) -> dict[str, str | None]:
    """Changes to ``mapping`` suggested by the cells, for headers not in ``locked`` (the user's own
    choices): when no column is the handle, the column whose cells look like handles or profile
    links (``channel_info``, "Tiktoker name"); a percent column named like a rate (``60d_eng_rate``)
    as the engagement rate; an "engagement" column of plain counts is not a rate."""
    changes: dict[str, str | None] = {}
    taken = {f for f in mapping.values() if f}
    free = [str(h) for h in raw.columns if str(h) not in locked]
    if "handle" not in taken:
        best: tuple[int, int] | None = None
        chosen = None
        for pos, h in enumerate(free):
            if mapping.get(h) not in (None, "name"):
                continue
            score = _handle_score(_cells(raw, h))
            if score and (best is None or (score, -pos) > best):
                best, chosen = (score, -pos), h
        if chosen is not None:
            changes[chosen] = "handle"
    er = next((h for h, f in mapping.items() if f == "engagement_rate"), None)
    if er is not None and er not in locked:
        cells = _cells(raw, er)
        values, _ = parse_numbers(pd.Series(cells.to_pylist(), dtype=object))
        finite = values[np.isfinite(values)]
        if len(finite) and _percent_share(cells) == 0 and float(np.median(finite)) > 100:
            changes[er] = None  # average engaged users, not a rate
            er = None
    if er is None:
        for h in free:
            if mapping.get(h) is None and h not in changes and re.search(r"\beng|\brate\b|\berr?\b|вовлеч",
                                                                          _header_key(h)):
                if _percent_share(_cells(raw, h)) >= 0.6:
                    changes[h] = "engagement_rate"
                    break
    return changes


def map_columns(raw: pd.DataFrame, remembered: Mapping[str, str | None] | None = None,
                overrides: Mapping[str, str | None] | None = None) -> tuple[dict[str, str | None], dict[str, str]]:
    """The mapping of a read table: ``remembered`` choices, the automatic guess from the headers,
    then :func:`content_mapping` for what the headers left open, then ``overrides``. Returns the
    mapping and the headers mapped from their cells (header -> field). Anything unexpected is an
    :class:`UnreadableFile` ("unexpected")."""
    try:
        return _map_columns(raw, remembered, overrides)
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile("unexpected", detail=type(exc).__name__) from exc


def _map_columns(raw: pd.DataFrame, remembered: Mapping[str, str | None] | None,
                 overrides: Mapping[str, str | None] | None) -> tuple[dict[str, str | None], dict[str, str]]:
    headers = [str(h) for h in raw.columns]
    mapping = _apply_overrides(auto_map(headers, remembered), overrides)
    rem_keys = {_header_key(h) for h in (remembered or {})} | {_header_key(h) for h in (overrides or {})}
    locked = [h for h in headers if _header_key(h) in rem_keys]
    changes = content_mapping(raw, mapping, locked)
    if not changes:
        return mapping, {}
    forced = {**(remembered or {}), **changes}
    mapping = _apply_overrides(auto_map(headers, forced), overrides)
    return mapping, {h: f for h, f in changes.items() if f and mapping.get(h) == f}


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
