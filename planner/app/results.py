"""A campaign's results: read a results file and import it, read a daily sales series and store it, the stored
series summarised, and the report against the goals. The Results page and `python -m planner results ...` both call
these and show the same figures (the command prints each outcome's ``to_json()``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner.campaigns import report as report_mod
from planner.campaigns import results
from planner.core.money import Rates
from planner.storage.access import Access
from planner.storage.db import Engine


def preview_results(engine: Engine, campaign_id: int, data: bytes, filename: str, *,
                    overrides: Mapping[str, str | None] | None = None, sheet: str | None = None,
                    rates: Rates | Mapping[str, float] | None = None,
                    access: Access) -> results.ResultsPreview:
    """A results file read and matched to the campaign's placements, amounts in the campaign's currency
    (another currency converted at ``rates``, the defaults when None). Nothing is written. Raises
    results.ResultsFileError or ingest.UnreadableFile for a file that cannot be used."""
    camp = results.campaign_of(engine, campaign_id, access=access)
    return results.read_results(data, filename, results.placements_of(engine, campaign_id, access=access),
                                overrides=overrides, sheet=sheet, currency=camp.currency or "RUB", rates=rates)


@dataclass(frozen=True)
class ResultsImport:
    """A results file imported (or, ``dry_run``, only read and matched): what was read, matched, written,
    refused and noted. Refusals, notes and unmatched rows are compact: the first ``results.LISTED`` of each by row
    (``rejected``, ``notes``, ``unmatched``), all of them counted (``totals``) and counted by column and reason
    (``groups``, each with its first row)."""

    preview: results.ResultsPreview
    inserted: int
    updated: int
    dry_run: bool

    def to_json(self) -> dict[str, Any]:
        pv = self.preview
        return {"rows_read": pv.rows_read, "matched": pv.matched, "inserted": self.inserted, "updated": self.updated,
                "unmatched": pv.unmatched, "rejected": [r.to_dict() for r in pv.rejected],
                "notes": [r.to_dict() for r in pv.notes], "totals": dict(pv.totals),
                "groups": [g.to_dict() for g in pv.groups], "mapping": pv.mapping, "columns": pv.columns,
                "dry_run": self.dry_run}


def import_results(engine: Engine, campaign_id: int, preview: results.ResultsPreview, *, source: str,
                   dry_run: bool = False, access: Access) -> ResultsImport:
    """Write the matched rows of ``preview`` (one transaction: every row or none)."""
    inserted, updated = results.apply_results(engine, campaign_id, preview, source=source[:200], dry_run=dry_run,
                                              access=access)
    return ResultsImport(preview=preview, inserted=inserted, updated=updated, dry_run=dry_run)


def preview_sales(data: bytes, filename: str, *, controls: Sequence[str] = (),
                  overrides: Mapping[str, str | None] | None = None,
                  sheet: str | None = None) -> results.SalesPreview:
    """A daily sales series read (dates, sales, regions and which are controls). Nothing is written."""
    return results.read_sales(data, filename, controls=controls, overrides=overrides, sheet=sheet)


def sales_facts(preview: results.SalesPreview) -> dict[str, Any]:
    """What a sales file holds: days, regions, control regions, unit, first and last day."""
    frame = preview.frame
    return {"days": int(frame["day"].nunique()), "regions": preview.regions,
            "controls": sorted(set(frame.loc[frame["control"], "region"])), "unit": preview.unit,
            "first_day": min(frame["day"]), "last_day": max(frame["day"])}


@dataclass(frozen=True)
class SalesImport:
    """A sales series stored (or, ``dry_run``, only read)."""

    preview: results.SalesPreview
    unit: str
    stored: int
    dry_run: bool

    def to_json(self) -> dict[str, Any]:
        sp, facts = self.preview, sales_facts(self.preview)
        return {"rows_read": sp.rows_read, "days": facts["days"], "stored": self.stored, "regions": facts["regions"],
                "controls": facts["controls"], "unit": self.unit, "first_day": facts["first_day"].isoformat(),
                "last_day": facts["last_day"].isoformat(), "rejected": [r.to_dict() for r in sp.rejected],
                "notes": [r.to_dict() for r in sp.notes], "totals": dict(sp.totals),
                "groups": [g.to_dict() for g in sp.groups], "mapping": sp.mapping, "dry_run": self.dry_run}


def store_sales(engine: Engine, campaign_id: int, preview: results.SalesPreview, *, unit: str | None = None,
                dry_run: bool = False, access: Access) -> SalesImport:
    """Replace the campaign's sales series with ``preview``'s (one transaction)."""
    unit = unit or preview.unit
    stored = 0 if dry_run else results.store_sales(engine, campaign_id, preview, unit=unit,
                                                   access=access)
    return SalesImport(preview=preview, unit=unit, stored=stored, dry_run=dry_run)


def series_summary(series: pd.DataFrame) -> pd.DataFrame:
    """A stored sales series by region: ``region, control, days, first, last, total``."""
    if series.empty:
        return pd.DataFrame(columns=["region", "control", "days", "first", "last", "total"])
    return series.groupby(["region", "control"]).agg(days=("day", "count"), first=("day", "min"), last=("day", "max"),
                                                     total=("sales", "sum")).reset_index()


def report(engine: Engine, campaign_id: int, *, rates: Rates | Mapping[str, float] | None = None,
           access: Access) -> report_mod.Report:
    """The campaign's report against its goals (``Report.to_json()`` is `results report --json`)."""
    return report_mod.build(engine, campaign_id, rates=rates, access=access)
