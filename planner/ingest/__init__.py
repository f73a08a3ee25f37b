"""Ingest: reading files (CSV, TSV, XLSX, XLS, ODS in any common encoding), mapping headers, parsing messy
values and normalising rows to the schema; the sample generator.

The pipeline is :func:`read_table` (bytes -> raw string cells, :mod:`planner.ingest.reading`) ->
:func:`map_columns` (source header -> canonical field, :mod:`planner.ingest.mapping`) -> :func:`normalise`
(validate, convert, deduplicate, :mod:`planner.ingest.normalise`, with the values of
:mod:`planner.ingest.values`); :func:`preview` does all three. Every reason and limit is in
:mod:`planner.ingest.reasons`.
"""

from planner.ingest.mapping import auto_map, content_mapping, header_currency, map_columns, match_headers
from planner.ingest.normalise import (
    REQUIRED_COLUMNS,
    ImportPreview,
    Rejection,
    missing_fields_message,
    normalise,
    preview,
)
from planner.ingest.reading import read_table
from planner.ingest.reasons import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_INFLATED_BYTES,
    MAX_ROWS,
    REASONS,
    UnreadableFile,
    reason_text,
)
from planner.ingest.values import (
    city_name,
    country_name,
    currency_code,
    other_currency,
    parse_date,
    parse_money,
    parse_number,
    parse_numbers,
    parse_percent,
)

__all__ = [
    "MAX_CELL_CHARS", "MAX_CELLS", "MAX_COLUMNS", "MAX_FILE_BYTES", "MAX_INFLATED_BYTES", "MAX_ROWS", "REASONS",
    "REQUIRED_COLUMNS",
    "ImportPreview", "Rejection", "UnreadableFile", "auto_map", "city_name", "content_mapping", "country_name",
    "currency_code",
    "header_currency", "map_columns", "match_headers", "missing_fields_message", "normalise", "other_currency",
    "parse_date", "parse_money", "parse_number", "parse_numbers", "parse_percent", "preview", "read_table",
    "reason_text",
]
