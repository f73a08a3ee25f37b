"""Saved campaigns in the database: a campaign with its placements, written, listed, read, its placements'
statuses changed, deleted. Every call is one session and one transaction, and every query is scoped to a
workspace: another workspace's campaign does not exist here (:class:`CampaignNotFound`).

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

from planner.storage.models import DEFAULT_WORKSPACE_ID, Campaign, Placement, utcnow
from planner.storage.versions import StaleWrite, claim

CAMPAIGN_LIST_COLUMNS: tuple[str, ...] = ("id", "name", "status", "budget", "currency", "updated_at")


class CampaignNotFound(KeyError):
    """No such campaign in this workspace."""


def owned(session: Session, campaign_id: int, workspace_id: int) -> Campaign | None:
    """The campaign if it belongs to the workspace (another workspace's campaign does not exist here)."""
    camp = session.get(Campaign, int(campaign_id))
    return camp if camp is not None and camp.workspace_id == workspace_id else None


def require(session: Session, campaign_id: int, workspace_id: int) -> Campaign:
    """The workspace's campaign; :class:`CampaignNotFound` ("no campaign N") when there is none."""
    camp = owned(session, campaign_id, workspace_id)
    if camp is None:
        raise CampaignNotFound(f"no campaign {campaign_id}")
    return camp


def create_campaign(engine: Engine, campaign: Mapping[str, Any], placements: Iterable[Mapping[str, Any]], *,
                    workspace_id: int = DEFAULT_WORKSPACE_ID) -> int:
    """Insert a campaign (``campaign``: its columns) with its placements (each a mapping of placement columns),
    in one transaction; the campaign's id."""
    with Session(engine) as session:
        camp = Campaign(**campaign, workspace_id=workspace_id)
        session.add(camp)
        session.flush()
        assert camp.id is not None
        for place in placements:
            session.add(Placement(**place, campaign_id=camp.id))
        session.commit()
        assert camp.id is not None
        return camp.id


def list_campaigns(engine: Engine, *, workspace_id: int = DEFAULT_WORKSPACE_ID) -> pd.DataFrame:
    """The workspace's campaigns, last changed first: ``CAMPAIGN_LIST_COLUMNS``."""
    with Session(engine) as session:
        rows = session.exec(select(Campaign).where(Campaign.workspace_id == workspace_id)
                            .order_by(col(Campaign.updated_at).desc())).all()
        return pd.DataFrame([{"id": c.id, "name": c.name, "status": c.status, "budget": c.budget,
                              "currency": c.currency, "updated_at": c.updated_at} for c in rows],
                            columns=list(CAMPAIGN_LIST_COLUMNS))


def get_campaign(engine: Engine, campaign_id: int, *, workspace_id: int = DEFAULT_WORKSPACE_ID) -> Campaign:
    """The workspace's campaign, detached from its session; :class:`CampaignNotFound`."""
    with Session(engine) as session:
        camp = require(session, campaign_id, workspace_id)
        session.expunge(camp)
        return camp


def load_campaign(engine: Engine, campaign_id: int, *,
                  workspace_id: int = DEFAULT_WORKSPACE_ID) -> tuple[Campaign, pd.DataFrame]:
    """The workspace's campaign (detached) and its placements, most reach first; :class:`CampaignNotFound`."""
    with Session(engine) as session:
        camp = require(session, campaign_id, workspace_id)
        rows = session.exec(select(Placement).where(Placement.campaign_id == campaign_id)
                            .order_by(col(Placement.expected_reach).desc())).all()
        frame = pd.DataFrame([r.model_dump() for r in rows])
        session.expunge(camp)
        return camp, frame


def set_statuses(engine: Engine, campaign_id: int, statuses: Mapping[int, str], *,
                 planned_dates: Mapping[int, date | None] | None = None, expected_version: int | None = None,
                 workspace_id: int = DEFAULT_WORKSPACE_ID) -> int:
    """Set the statuses (and ``planned_dates``) of the campaign's placements (a placement of another campaign is
    left alone) and touch the campaign when any changed, in one transaction. ``expected_version``: the placements
    version the changes were made from (planner.storage.versions.StaleWrite, nothing written, when another save came
    first). Rows changed; :class:`CampaignNotFound`."""
    changed = 0
    dates = dict(planned_dates or {})
    with Session(engine) as session:
        camp = require(session, campaign_id, workspace_id)
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
        session.commit()
    return changed


def delete_campaign(engine: Engine, campaign_id: int, *, workspace_id: int = DEFAULT_WORKSPACE_ID) -> bool:
    """Delete a campaign of the workspace with its placements. False when there is no such campaign here."""
    with Session(engine) as session:
        camp = owned(session, campaign_id, workspace_id)
        if camp is None:
            return False
        # one statement for the placements (PostgreSQL and SQLite alike), then the campaign
        session.execute(sa_delete(Placement).where(col(Placement.campaign_id) == campaign_id))
        session.delete(camp)
        session.commit()
    return True
