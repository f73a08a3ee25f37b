"""A campaign's results in the database: one placement_result row per placement (upserted), the daily sales series
(sales_day rows, replaced whole), and which campaigns have results. Every call is one session and one transaction,
scoped to a workspace through the campaign (planner.storage.campaigns.CampaignNotFound); a write is a planner's
work and leaves an audit event in its transaction.

Values arrive converted (planner.campaigns.results reads the files, checks and converts every cell): here they
are only written and read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import delete as sa_delete
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.storage import audit
from planner.storage.access import PLANNER, Access
from planner.storage.campaigns import require
from planner.storage.models import Campaign, Placement, PlacementResult, SalesDay, utcnow
from planner.storage.versions import claim

# The columns of a result a caller may write (its keys and bookkeeping are set here).
RESULT_COLUMNS: frozenset[str] = frozenset(PlacementResult.model_fields) - {"id", "placement_id", "measured_at",
                                                                            "source"}
SALES_COLUMNS: tuple[str, ...] = ("day", "region", "control", "sales")


def placement_results(engine: Engine, campaign_id: int, *, access: Access,
                      ) -> list[tuple[Placement, PlacementResult | None]]:
    """The campaign's placements in id order, each with its result (None when it has none)."""
    with Session(engine) as session:
        require(session, campaign_id, access)
        places = session.exec(select(Placement).where(Placement.campaign_id == campaign_id)
                              .order_by(col(Placement.id))).all()
        ids = [p.id for p in places]
        res = {r.placement_id: r for r in session.exec(
            select(PlacementResult).where(col(PlacementResult.placement_id).in_(ids))).all()} if ids else {}
    return [(p, res.get(p.id) if p.id is not None else None) for p in places]


def upsert_results(engine: Engine, campaign_id: int, rows: Sequence[tuple[int, Mapping[str, Any]]], *,
                   source: str, access: Access, dry_run: bool = False,
                   expected_version: int | None = None) -> tuple[int, int]:
    """Write results by placement: ``rows`` are (placement id, {column: value}), only the columns given are
    written (the others keep what is stored). One transaction: a placement that is not the campaign's (KeyError)
    writes nothing; ``dry_run`` counts and rolls back. Touches the campaign and bumps its results version
    (``expected_version``: the version the rows were edited from; planner.storage.versions.StaleWrite, nothing
    written, when another save came first). A planner's work (a dry run: any member's); the audit event is in the
    transaction. Returns (inserted, updated)."""
    if not dry_run:
        access.require(PLANNER, "importing results")
    unknown = {c for _pid, values in rows for c in values} - RESULT_COLUMNS
    if unknown:
        raise ValueError(f"not a result column: {', '.join(sorted(unknown))}")
    inserted = updated = 0
    with Session(engine) as session:
        camp = require(session, campaign_id, access)
        if not dry_run:
            claim(session, campaign_id, "results", expected_version)
        ids = set(session.exec(select(Placement.id).where(Placement.campaign_id == campaign_id)).all())
        stored = {r.placement_id: r for r in session.exec(
            select(PlacementResult).where(col(PlacementResult.placement_id).in_(ids))).all()} if ids else {}
        for pid, values in rows:
            if pid not in ids:
                raise KeyError(f"placement {pid} is not in campaign {campaign_id}")
            res = stored.get(pid)
            if res is None:
                res = PlacementResult(placement_id=pid)
                stored[pid] = res
                inserted += 1
            else:
                updated += 1
            for c, v in values.items():
                setattr(res, c, v)
            res.source = source[:200]
            res.measured_at = utcnow()
            session.add(res)
        if dry_run:
            session.rollback()
            return inserted, updated
        camp.updated_at = utcnow()
        session.add(camp)
        audit.record(session, access, "change", "results", campaign_id=int(campaign_id),
                     detail={"inserted": inserted, "updated": updated, "source": source[:200]})
        session.commit()
    return inserted, updated


def results_version(engine: Engine, campaign_id: int, *, access: Access) -> int:
    """The campaign's results version now (planner.storage.versions)."""
    with Session(engine) as session:
        return int(require(session, campaign_id, access).results_version or 0)


def replace_sales(engine: Engine, campaign_id: int, days: Iterable[tuple[date, str, bool, float]], *,
                  unit: str | None = None, access: Access) -> None:
    """Replace the campaign's sales series with ``days`` ((day, region, control, sales), ...) and set its unit when
    given, in one transaction (one bulk insert: no ORM object per day) with its audit event (a planner's work)."""
    access.require(PLANNER, "storing a sales series")
    with Session(engine) as session:
        camp = require(session, campaign_id, access)
        session.execute(sa_delete(SalesDay).where(col(SalesDay.campaign_id) == campaign_id))
        sqlite = engine.dialect.name == "sqlite"
        rows = [(campaign_id, _day(day).isoformat() if sqlite else _day(day), region, bool(control), float(sales))
                for day, region, control, sales in days]  # as SQLAlchemy stores a date on SQLite: ISO text
        if rows:
            mark = "?" if sqlite else "%s"
            session.connection().exec_driver_sql(
                f"INSERT INTO sales_day (campaign_id, day, region, control, sales) VALUES ({', '.join([mark] * 5)})",
                rows)
        if unit:
            camp.sales_unit = unit
        camp.updated_at = utcnow()
        session.add(camp)
        audit.record(session, access, "change", "sales", campaign_id=int(campaign_id),
                     detail={"days": len(rows), "unit": unit})
        session.commit()


def _day(value: date) -> date:
    """A day as a date (a timestamp or a datetime at midnight is its date)."""
    return value.date() if isinstance(value, datetime) else value


def load_sales(engine: Engine, campaign_id: int, *, access: Access) -> pd.DataFrame:
    """The campaign's sales series by region and day: ``SALES_COLUMNS`` (empty when none was stored)."""
    table = SalesDay.__table__  # type: ignore[attr-defined]
    with Session(engine) as session:
        require(session, campaign_id, access)
        rows = session.execute(sa_select(table.c.day, table.c.region, table.c.control, table.c.sales)
                               .where(table.c.campaign_id == campaign_id)
                               .order_by(table.c.region, table.c.day)).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=list(SALES_COLUMNS))


def campaigns_with_results(engine: Engine, *, access: Access) -> set[int]:
    """Ids of the workspace's campaigns with at least one placement result (one query)."""
    with Session(engine) as session:
        rows = session.exec(select(Placement.campaign_id).join(
            PlacementResult, col(PlacementResult.placement_id) == col(Placement.id)).join(
            Campaign, col(Campaign.id) == col(Placement.campaign_id)).where(
            Campaign.workspace_id == access.workspace_id).distinct()).all()
    return {int(r) for r in rows}
