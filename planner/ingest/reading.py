"""Bytes to a raw table (:func:`read_table`): CSV/TSV/TXT in any common encoding and delimiter (big regular
files through Arrow's CSV reader), XLSX/XLS/ODS through calamine (sizes checked before anything is read),
the sheet that holds the data and its header row.

Row numbers: every frame returned by :func:`read_table` is indexed by the original 1-based
spreadsheet row number (index name ``"row"``): the header is row 1 and the first data row is 2
in a plain file; blank lines and leading title rows keep their numbers, and a quoted cell that
spans several physical lines counts as one row, as in Excel. ``ImportPreview.frame`` keeps the
same index, and ``Rejection.row`` uses the same numbers.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import html
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from planner.ingest.mapping import auto_map
from planner.ingest.reasons import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_INFLATED_BYTES,
    MAX_ROWS,
    UnreadableFile,
    _unexpected_is_unreadable,
)

__all__ = ["read_table"]


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
               remembered: Mapping[str, str | None] | None = None, sheet: str | None = None,
               header_names: Iterable[str] = (), max_rows: int = MAX_ROWS) -> pd.DataFrame:
    """Read CSV/TSV/TXT or XLSX/XLSM/XLS/ODS bytes into a frame of raw string cells.

    Columns are the cleaned header names (line breaks and odd spaces collapsed, duplicates
    suffixed " (2)", " (3)", empty ones named "Column N"); cells are strings ("" when empty), in
    ``string[pyarrow]`` columns (``pd.ArrowDtype(pa.string())``: the Arrow arrays read, 4-byte offsets).
    The index holds the original 1-based spreadsheet row numbers (name ``"row"``); blank rows
    are skipped. ``df.attrs`` has ``header_row``, ``delimiter`` and ``encoding`` (text files)
    or ``sheet`` and ``sheets`` (workbooks: the sheet read and every sheet's name). The header is
    the best-recognised of the first rows, so leading title rows are skipped. ``remembered``
    (header -> field) counts as recognised, and so do ``header_names``: the names of another kind of table
    (results, sales) whose key column the caller knows, together counting as one field. Of a workbook's
    sheets the one that holds the data is read (the best header, then the most rows), or ``sheet`` when given.

    Raises :class:`UnreadableFile` for an empty file, a binary file that is not a table, a table
    in which no column can be recognised, a file beyond the limits
    (``MAX_*``; ``max_rows`` a lower row limit for a smaller kind of table, checked as early as ``MAX_ROWS``), and for
    anything unexpected (code ``"unexpected"``): never another exception.
    """
    try:
        with _unexpected_is_unreadable():
            if header_names:  # counted as a handle column is: one recognised field however many cells match
                remembered = {**{w: "handle" for w in header_names}, **(remembered or {})}
            return _read_table(data, filename, remembered, sheet, min(max_rows, MAX_ROWS))
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
                sheet: str | None, max_rows: int = MAX_ROWS) -> pd.DataFrame:
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile("file_too_big", limit_mb=MAX_FILE_BYTES // 2**20)
    if not data or not re.search(rb"[^ \t\r\n\x00\x1a\xef\xbb\xbf\xff\xfe]", data):
        raise UnreadableFile("empty_file")
    kind = _workbook_kind(data, filename)
    if kind:
        records, numbers, name, names = _workbook_records(data, kind, sheet, remembered, max_rows)
        try:
            return _records_to_frame(records, numbers, {"sheet": name, "sheets": names}, remembered)
        except UnreadableFile as exc:
            exc.sheets = names  # another sheet can be chosen
            raise
    _check_line_count(data, max_rows)
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


def _check_line_count(data: bytes, max_rows: int = MAX_ROWS) -> None:
    """Refuse a text file of more than ``max_rows`` lines, counted on the bytes before anything is parsed
    (UTF-16 has two bytes a character; a file of lone CRs counts its CRs)."""
    step = 2 if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else 1
    lines = data.count(b"\n") // step or data.count(b"\r") // step
    if lines > max_rows:
        raise UnreadableFile("too_many_rows", limit=max_rows)


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


# --------------------------------------------------------------------------------------------
# Text files: encodings, delimiters, the csv module and the Arrow fast path
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Workbooks (XLSX, XLS, ODS through calamine): sizes checked first, then the sheet that holds the data
# --------------------------------------------------------------------------------------------

class _XlsxSheetScan:
    """The extent of an XLSX sheet from its XML, fed in chunks: the last row and the last column any cell
    names (``r="XFD1048576"``), before the workbook reader allocates a range that large."""

    _ROW_RE = re.compile(rb'<row\b[^>]*?\sr="(\d+)"')
    # References after a plain space (a literal prefix: ten times faster than ``\s``); a chunk with another white
    # space before ``r=`` is read with the slow patterns.
    _COL_RE = re.compile(rb' r="([A-Z]{2,})\d')           # the column letters of cells beyond column Z
    _FAR_RE = re.compile(rb' r="[A-Z]*(\d{7,})"')         # rows 1,000,000 and beyond
    _COL_ANY_RE = re.compile(rb'\sr="([A-Z]+)\d')
    _FAR_ANY_RE = re.compile(rb'\sr="[A-Z]*(\d{7,})"')
    _ODD_SPACE = (b'\nr="', b'\tr="', b'\rr="')

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        text = self._tail + chunk
        self._tail = text[-64:]  # a reference cut by the chunk's end is read again with the next chunk
        odd = any(w in text for w in self._ODD_SPACE)
        far_re, col_re = (self._FAR_ANY_RE, self._COL_ANY_RE) if odd else (self._FAR_RE, self._COL_RE)
        rows = [int(r) for r in self._ROW_RE.findall(text)] + [int(r) for r in far_re.findall(text)]
        if rows:
            self.rows = max(self.rows, *rows)
        while not odd and self.columns < 26:  # one-letter columns: a cell beyond the widest seen yet, if any
            beyond = re.search(rb' r="([%c-Z])\d' % (65 + self.columns), text)
            if beyond is None:
                break
            self.columns = beyond[1][0] - 64
        for letters in set(col_re.findall(text)):
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


def _check_extent(sheet: str, rows: int, columns: int, max_rows: int = MAX_ROWS) -> None:
    if rows > max_rows:
        raise UnreadableFile("sheet_too_many_rows", sheet=sheet, limit=max_rows)
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
                      remembered: Mapping[str, str | None] | None = None, max_rows: int = MAX_ROWS,
                      ) -> tuple[list[list[str]], list[int], str, list[str]]:
    """The sheet of an XLSX/XLS/ODS workbook (read by calamine) that holds the data, as text records, their
    1-based row numbers, its name and every sheet's name. Each sheet is scored by its best header (the fields
    it names, as :func:`_find_header` does), then by its rows; ``sheet`` reads that sheet only. Sizes are
    checked before calamine reads a sheet (:func:`_zip_extents`)."""
    from python_calamine import CalamineWorkbook

    if kind == "xls" and len(data) > MAX_INFLATED_BYTES:  # an XLS is not packed: its size is what is read
        raise UnreadableFile("workbook_too_big", limit_mb=MAX_INFLATED_BYTES // 2**20)
    paths, percent_styles = _xlsx_parts(data) if kind == "xlsx" else ([], set())
    extents = _zip_extents(data, kind, paths) if kind in ("xlsx", "ods") else {}
    if kind == "ods":  # calamine reads every table of an ODS when it opens it
        for name, (rows, columns) in extents.items():
            if sheet is None or name == sheet:
                _check_extent(name, rows, columns, max_rows)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [str(n) for n in wb.sheet_names]
    except Exception as exc:  # calamine raises its own error types on damaged files
        if kind == "xls":
            raise UnreadableFile("old_xls") from exc
        raise UnreadableFile("workbook_error", detail=type(exc).__name__) from exc
    try:
        return _best_sheet(wb, names, kind, data, sheet, remembered, paths, percent_styles, extents, max_rows)
    except UnreadableFile as exc:
        exc.sheets = names
        raise
    finally:
        wb.close()


def _best_sheet(wb: Any, names: list[str], kind: str, data: bytes, sheet: str | None,
                remembered: Mapping[str, str | None] | None, paths: list[str], percent_styles: set[bytes],
                extents: dict[str, tuple[int, int]], max_rows: int = MAX_ROWS,
                ) -> tuple[list[list[str]], list[int], str, list[str]]:
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
        _check_extent(name, rows, columns, max_rows)
        try:
            book_sheet = wb.get_sheet_by_index(index)
        except Exception as exc:  # a chart sheet or a damaged sheet: try the next one
            damaged = damaged or UnreadableFile("damaged_sheet", sheet=name, detail=_error_detail(exc))
            if sheet is not None:
                raise damaged from exc
            continue
        _check_extent(name, book_sheet.height, book_sheet.width, max_rows)  # XLS, and what calamine made of the rest
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


# --------------------------------------------------------------------------------------------
# The header row and the raw frame
# --------------------------------------------------------------------------------------------

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
    # any recognised field will do: the handle may be found by the cells (planner.ingest.mapping.content_mapping),
    # and a list without a handle column gets one message saying how to map it (followers are optional)
    if not best_fields:
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
