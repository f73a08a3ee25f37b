"""Saved campaigns in the database: a campaign with its placements, written, listed, read, its placements'
statuses changed, deleted. Every call is one session and one transaction, and every query is scoped to the
workspace of the caller's :class:`planner.storage.access.Access`: another workspace's campaign does not exist here
(:class:`CampaignNotFound`). A write checks the role first (a planner saves and changes statuses, an owner deletes)
and leaves an audit event in its own transaction (planner.storage.audit).

Plain values in, models and frames out: planner.campaigns (above) validates a plan and builds the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import delete as sa_delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.storage import audit
from planner.storage.access import OWNER, PLANNER, Access
from planner.storage.models import Campaign, Placement, utcnow
from planner.storage.versions import StaleWrite, claim

CAMPAIGN_LIST_COLUMNS: tuple[str, ...] = ("id", "name", "status", "budget", "currency", "updated_at")


class CampaignNotFound(KeyError):
    """No such campaign in this workspace."""

    def __init__(self, campaign_id: object, workspace: str = ""):
        self.campaign_id, self.workspace = campaign_id, workspace
        super().__init__(f"no campaign {campaign_id}" + (f" in workspace {workspace}" if workspace else ""))

    def __str__(self) -> str:  # KeyError's own would quote the message
        return str(self.args[0])


def owned(session: Session, campaign_id: int, workspace_id: int) -> Campaign | None:
    """The campaign if it belongs to the workspace (another workspace's campaign does not exist here)."""
    camp = session.get(Campaign, int(campaign_id))
    return camp if camp is not None and camp.workspace_id == workspace_id else None


def require(session: Session, campaign_id: int, access: Access) -> Campaign:
    """The workspace's campaign; :class:`CampaignNotFound` ("no campaign N in workspace W") when there is none (an
    id that is no whole number names none either)."""
    try:
        camp = owned(session, campaign_id, access.workspace_id)
    except (TypeError, ValueError, OverflowError):
        camp = None
    if camp is None:
        raise CampaignNotFound(campaign_id, access.label)
    return camp


def create_campaign(engine: Engine, campaign: Mapping[str, Any], placements: Iterable[Mapping[str, Any]], *,
                    access: Access) -> int:
    """Insert a campaign (``campaign``: its columns) with its placements (each a mapping of placement columns)
    into the workspace, in one transaction with its audit event (a planner's work); the campaign's id."""
    access.require(PLANNER, "saving a campaign")
    with Session(engine) as session:
        camp = Campaign(**campaign, workspace_id=access.workspace_id)
        session.add(camp)
        session.flush()
        assert camp.id is not None
        count = 0
        for place in placements:
            session.add(Placement(**place, campaign_id=camp.id))
            count += 1
        audit.record(session, access, "create", "campaign", campaign_id=camp.id,
                     detail={"name": camp.name, "placements": count, "budget": camp.budget,
                             "currency": camp.currency})
        session.commit()
        assert camp.id is not None
        return camp.id


def list_campaigns(engine: Engine, *, access: Access) -> pd.DataFrame:
    """The workspace's campaigns, last changed first: ``CAMPAIGN_LIST_COLUMNS``."""
    with Session(engine) as session:
        rows = session.exec(select(Campaign).where(Campaign.workspace_id == access.workspace_id)
                            .order_by(col(Campaign.updated_at).desc())).all()
        return pd.DataFrame([{"id": c.id, "name": c.name, "status": c.status, "budget": c.budget,
                              "currency": c.currency, "updated_at": c.updated_at} for c in rows],
                            columns=list(CAMPAIGN_LIST_COLUMNS))


def get_campaign(engine: Engine, campaign_id: int, *, access: Access) -> Campaign:
    """The workspace's campaign, detached from its session; :class:`CampaignNotFound`."""
    with Session(engine) as session:
        camp = require(session, campaign_id, access)
        session.expunge(camp)
        return camp


def load_campaign(engine: Engine, campaign_id: int, *, access: Access) -> tuple[Campaign, pd.DataFrame]:
    """The workspace's campaign (detached) and its placements, most reach first; :class:`CampaignNotFound`."""
    with Session(engine) as session:
        camp = require(session, campaign_id, access)
        rows = session.exec(select(Placement).where(Placement.campaign_id == campaign_id)
                            .order_by(col(Placement.expected_reach).desc())).all()
        frame = pd.DataFrame([r.model_dump() for r in rows])
        session.expunge(camp)
        return camp, frame


def set_statuses(engine: Engine, campaign_id: int, statuses: Mapping[int, str], *,
                 planned_dates: Mapping[int, date | None] | None = None, expected_version: int | None = None,
                 access: Access) -> int:
    """Set the statuses (and ``planned_dates``) of the campaign's placements (a placement of another campaign is
    left alone) and touch the campaign when any changed, in one transaction with its audit event (a planner's
    work). ``expected_version``: the placements version the changes were made from
    (planner.storage.versions.StaleWrite, nothing written, when another save came first). Rows changed;
    :class:`CampaignNotFound`."""
    access.require(PLANNER, "changing placements")
    changed = 0
    dates = dict(planned_dates or {})
    with Session(engine) as session:
        camp = require(session, campaign_id, access)
        if expected_version is not None:
            current = int(camp.placements_version or 0)
            if current != int(expected_version):
                raise StaleWrite("placements", int(expected_version), current)
        for pid in {*statuses, *dates}:
            p = session.get(Placement, int(pid))
            if p is None or p.campaign_id != campaign_id:
                continue
            status = statuses.get(pid, p.status)
            due = dates[pid] if pid in dates else p.planned_date
            if p.status != status or p.planned_date != due:
                p.status, p.planned_date = status, due
                session.add(p)
                changed += 1
        if changed:
            claim(session, campaign_id, "placements", expected_version)
            camp.updated_at = utcnow()
            session.add(camp)
            audit.record(session, access, "change", "placements", campaign_id=int(campaign_id),
                         detail={"changed": changed})
        session.commit()
    return changed


def delete_campaign(engine: Engine, campaign_id: int, *, access: Access) -> bool:
    """Delete a campaign of the workspace with its placements, in one transaction with its audit event (an
    owner's work). False when there is no such campaign here."""
    access.require(OWNER, "deleting a campaign")
    with Session(engine) as session:
        try:
            camp = owned(session, campaign_id, access.workspace_id)
        except (TypeError, ValueError, OverflowError):
            camp = None
        if camp is None:
            return False
        # one statement for the placements (PostgreSQL and SQLite alike), then the campaign
        session.execute(sa_delete(Placement).where(col(Placement.campaign_id) == campaign_id))
        audit.record(session, access, "delete", "campaign", campaign_id=int(campaign_id), detail={"name": camp.name})
        session.delete(camp)
        session.commit()
    return True
