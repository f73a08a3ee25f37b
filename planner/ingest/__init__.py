"""Ingest: reading files (CSV, TSV, XLSX, XLS, ODS in any common encoding), mapping headers, parsing messy
values and normalising rows to the schema; the sample generator."""

from planner.ingest.importer import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_INFLATED_BYTES,
    MAX_ROWS,
    REASONS,
    ImportPreview,
    Rejection,
    UnreadableFile,
    auto_map,
    content_mapping,
    country_name,
    map_columns,
    missing_fields_message,
    normalise,
    parse_number,
    parse_numbers,
    parse_percent,
    preview,
    read_table,
    reason_text,
)

__all__ = [
    "MAX_CELL_CHARS", "MAX_CELLS", "MAX_COLUMNS", "MAX_FILE_BYTES", "MAX_INFLATED_BYTES", "MAX_ROWS", "REASONS",
    "ImportPreview", "Rejection", "UnreadableFile", "auto_map", "content_mapping", "country_name", "map_columns",
    "missing_fields_message", "normalise", "parse_number", "parse_numbers", "parse_percent", "preview",
    "read_table", "reason_text",
]
