"""A campaign's saved scenarios in the database (campaign_scenario rows: the scenario, its totals, placements and
budget sweep as JSON), written, listed, read and deleted within a workspace: a scenario belongs to the workspace
of its campaign. Every call is one session and one transaction; a save is a planner's work, a delete an owner's,
each with its audit event. JSON-ready values in, rows out:
planner.campaigns.scenarios above cleans the values and turns rows into its snapshots."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.storage import audit
from planner.storage.access import OWNER, PLANNER, Access
from planner.storage.campaigns import CampaignNotFound, owned
from planner.storage.models import Campaign, CampaignScenario, utcnow
from planner.storage.versions import claim_scenario


def _campaign(session: Session, campaign_id: int, workspace_id: int) -> Campaign | None:
    """The workspace's campaign; None also for an id that is no integer (a scenario's link is typed by hand)."""
    try:
        return owned(session, campaign_id, workspace_id)
    except (TypeError, ValueError, OverflowError):
        return None


def _require(session: Session, campaign_id: int, access: Access) -> Campaign:
    camp = _campaign(session, campaign_id, access.workspace_id)
    if camp is None:
        raise CampaignNotFound(campaign_id, access.label)
    return camp


def _owned_scenario(session: Session, scenario_id: int, workspace_id: int) -> CampaignScenario | None:
    try:
        row = session.get(CampaignScenario, int(scenario_id))
    except (TypeError, ValueError, OverflowError):
        return None
    if row is None or _campaign(session, row.campaign_id, workspace_id) is None:
        return None
    return row


def upsert_scenario(engine: Engine, campaign_id: int, name: str, *, scenario: dict[str, Any], totals: dict[str, Any],
                    placements: Sequence[Any], curve: Sequence[Any], expected_version: int | None = None,
                    access: Access) -> int:
    """Save a scenario under ``name`` in a campaign of the workspace (the same name again replaces it), in one
    transaction with its audit event (a planner's work); its id. ``expected_version``: the version of the scenario
    of that name the save was made from (planner.storage.versions.StaleWrite, nothing written, when it was saved
    again since); :class:`planner.storage.campaigns.CampaignNotFound`."""
    access.require(PLANNER, "saving a scenario")
    with Session(engine) as session:
        _require(session, campaign_id, access)
        row = session.exec(select(CampaignScenario).where(CampaignScenario.campaign_id == int(campaign_id),
                                                          CampaignScenario.name == name)).first()
        action = "create" if row is None else "change"
        if row is None:
            row = CampaignScenario(campaign_id=int(campaign_id), name=name, scenario=scenario, totals=totals,
                                   placements=list(placements), curve=list(curve))
        else:
            claim_scenario(session, int(row.id or 0), expected_version)
            row.scenario, row.totals, row.placements, row.curve = scenario, totals, list(placements), list(curve)
            row.updated_at = utcnow()
        session.add(row)
        session.flush()
        audit.record(session, access, action, "scenario", campaign_id=int(campaign_id),
                     detail={"name": name, "scenario_id": row.id})
        session.commit()
        assert row.id is not None
        return int(row.id)


def list_scenarios(engine: Engine, campaign_id: int, *, access: Access) -> list[CampaignScenario]:
    """The campaign's scenarios, newest first; :class:`planner.storage.campaigns.CampaignNotFound`."""
    with Session(engine) as session:
        _require(session, campaign_id, access)
        return list(session.exec(
            select(CampaignScenario).where(CampaignScenario.campaign_id == int(campaign_id))
            .order_by(col(CampaignScenario.updated_at).desc(), col(CampaignScenario.id).desc())).all())


def get_scenario(engine: Engine, scenario_id: int, *, access: Access) -> CampaignScenario | None:
    """A saved scenario of the workspace, or None (another workspace's does not exist here)."""
    with Session(engine) as session:
        return _owned_scenario(session, scenario_id, access.workspace_id)


def get_scenario_by_name(engine: Engine, campaign_id: int, name: str, *, access: Access) -> CampaignScenario | None:
    """A campaign's scenario by its name, or None; :class:`planner.storage.campaigns.CampaignNotFound`."""
    with Session(engine) as session:
        _require(session, campaign_id, access)
        return session.exec(select(CampaignScenario).where(CampaignScenario.campaign_id == int(campaign_id),
                                                           CampaignScenario.name == name)).first()


def delete_scenario(engine: Engine, scenario_id: int, *, access: Access) -> bool:
    """Delete a saved scenario of the workspace, with its audit event (an owner's work); False when there is
    none."""
    access.require(OWNER, "deleting a scenario")
    with Session(engine) as session:
        row = _owned_scenario(session, scenario_id, access.workspace_id)
        if row is None:
            return False
        audit.record(session, access, "delete", "scenario", campaign_id=int(row.campaign_id),
                     detail={"name": row.name, "scenario_id": row.id})
        session.delete(row)
        session.commit()
    return True
