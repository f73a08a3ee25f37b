"""The blogger database: read a list (CSV, TSV, XLSX, XLS, ODS) with the workspace's remembered column mapping,
and import it (upsert by platform and handle). The Database page and `python -m planner import` both call these and
report the same :class:`ListImport`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from planner import ingest
from planner.storage import store
from planner.storage.access import Access
from planner.storage.db import Engine


def read_list(engine: Engine, data: bytes, filename: str, *, platform: str | None = None,
              overrides: Mapping[str, str | None] | None = None, sheet: str | None = None,
              access: Access) -> ingest.ImportPreview:
    """A list read, mapped (``overrides`` over the workspace's remembered corrections over the guess) and
    normalised; nothing is written. Raises ingest.UnreadableFile."""
    remembered = store.remembered_mapping(engine, access=access)
    return ingest.preview(data, filename, platform=platform, overrides=overrides, remembered=remembered, sheet=sheet)


@dataclass(frozen=True)
class ListImport:
    """A list imported (or, ``dry_run``, counted only; ``strict_refused``: refused whole because a row was refused
    under the strict rule): the preview and how many bloggers are new and how many updated."""

    preview: ingest.ImportPreview
    inserted: int
    updated: int
    dry_run: bool = False
    strict_refused: bool = False
    corrections: Mapping[str, str | None] = field(default_factory=dict)

    @property
    def written(self) -> bool:
        return not (self.dry_run or self.strict_refused)

    def to_json(self) -> dict[str, Any]:
        """`python -m planner import --json`."""
        out: dict[str, Any] = {**self.preview.to_json_dict(), "inserted": self.inserted, "updated": self.updated}
        if self.strict_refused:
            out["strict_refused"] = True
        if self.dry_run:
            out["dry_run"] = True
        return out


def import_list(engine: Engine, preview: ingest.ImportPreview, *, filename: str,
                corrections: Mapping[str, str | None] | None = None, strict: bool = False, dry_run: bool = False,
                access: Access) -> ListImport:
    """Store the preview's rows and remember the user's ``corrections`` of the column mapping for the next file, in
    one transaction (every row and correction, or none). ``strict``: nothing is stored when any row was refused.
    ``dry_run``: only count what would be new and updated."""
    corrections = dict(corrections or {})
    if strict and preview.refused:
        return ListImport(preview, 0, 0, strict_refused=True, corrections=corrections)
    if dry_run:
        inserted, updated = store.count_new(engine, preview.frame, workspace_id=access.workspace_id)
        return ListImport(preview, inserted, updated, dry_run=True, corrections=corrections)
    # the rows and the corrections in one transaction: a failure stores neither (nothing half-written)
    result = store.upsert_bloggers(engine, preview.frame, access=access, source=f"import:{filename}"[:200],
                                   remember=corrections)
    return ListImport(preview, result.inserted, result.updated, corrections=corrections)
