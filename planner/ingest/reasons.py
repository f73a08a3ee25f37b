"""What the importer says and where it stops: every reason by code (:data:`REASONS`, :func:`reason_text`),
the whole-file refusal (:class:`UnreadableFile`), the limits (``MAX_*``) and the control characters no cell
keeps."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = [
    "DAYS_AHEAD",
    "FIRST_DATE_YEAR",
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_INFLATED_BYTES",
    "MAX_RESULT_ROWS",
    "MAX_ROWS",
    "MAX_SALES_REGIONS",
    "MAX_SALES_ROWS",
    "MAX_SALES_SPAN_DAYS",
    "REASONS",
    "UnreadableFile",
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
    "no_columns": "no recognisable columns (need at least a handle column)",
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
# (.streamlit/config.toml, server.maxUploadSize) is MAX_FILE_BYTES too. Every file within them is read (or refused)
# in a few seconds and a few hundred MB (``python -m planner bench files``).
MAX_FILE_BYTES = 200 * 2**20      # a file (page upload and command line alike)
MAX_ROWS = 1_000_000              # rows of a table (text files: lines, counted on the bytes before parsing)
MAX_COLUMNS = 1_000               # columns of a table
MAX_CELLS = 2_000_000             # rows x columns of a workbook sheet, to its last cell: the workbook reader
#                                   allocates every cell of that rectangle (about 32 bytes) and each becomes a
#                                   Python object (20,000 rows with one cell in column ALL: 9 s and 1 GB before)
MAX_CELL_CHARS = 32_767           # characters in one cell (Excel's own limit)
MAX_INFLATED_BYTES = 24 * 2**20   # a workbook's ZIP members, unpacked, all together (an XLS: its size): about
#                                   150,000 rows of three columns; reading and storing them takes about 0.1 s and
#                                   7 MB a MB (100 MB: 10-23 s and 1.1 GB before); a bigger list is read as CSV

# Results and sales files (planner.campaigns.results): a campaign's results or daily sales, far smaller than a
# blogger list; refused before the rows are matched, each limit named with its figure.
MAX_RESULT_ROWS = 100_000         # rows of a results file (a row per placement, or several per placement)
MAX_SALES_ROWS = 100_000          # rows of a sales file (days x regions: 27 regions for ten years)
MAX_SALES_REGIONS = 100           # distinct regions of a sales file (the campaign's and its controls)
MAX_SALES_SPAN_DAYS = 3_660       # first to last day of a sales series (ten years; the report reads 182 days
#                                   before the campaign's window)
FIRST_DATE_YEAR = 2000            # a result's or a sale's date: from 1 January of this year ...
DAYS_AHEAD = 366                  # ... to a year after today (9999-12-31, 0001-01-01, 99999 read as 2173 are refused)


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


@contextlib.contextmanager
def _unexpected_is_unreadable() -> Iterator[None]:
    """Anything unexpected inside is an :class:`UnreadableFile` (code ``"unexpected"``, the error's type as its
    detail): a damaged file must never end in a traceback. An :class:`UnreadableFile` passes as it is."""
    try:
        yield
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile("unexpected", detail=type(exc).__name__) from exc


# Characters no data needs and that change how text looks or is compared: C0/C1 controls (NUL included),
# zero-width and direction marks (a right-to-left override turns "moc.exe" into "exe.com"), BOM.
_CONTROL_RE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"


def _re2(pattern: str) -> str:
    """A Python regular expression's ``\\uXXXX`` escapes as RE2 (Arrow's regex engine) writes them."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", r"\\x{\1}", pattern)


_CONTROL_RE2 = _re2(_CONTROL_RE)
# Cells ``str.strip()`` leaves empty: only the characters Python counts as white space (str.isspace), or none.
_PY_BLANK_RE2 = (r"^[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
                 r"\x{205f}\x{3000}]*$")
