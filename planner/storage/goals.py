"""A campaign's goals in the database: the goal columns of the campaign and its targets (campaign_goal rows),
read and replaced in one transaction, within a workspace. The values as stored: planner.campaigns.goals above
validates them (planner.campaigns.goals.Goals). A save is a planner's work and leaves an audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete as sa_delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.storage import audit
from planner.storage.access import PLANNER, Access
from planner.storage.campaigns import require
from planner.storage.models import CampaignGoal, utcnow
from planner.storage.versions import claim


@dataclass(frozen=True)
class StoredGoals:
    """The goal columns of a campaign and its targets ((kind, target), ...), as stored."""

    primary_goal: str | None = None
    targets: tuple[tuple[str, float], ...] = ()
    margin_pct: float | None = None
    uplift_pct: float = 0.0
    roi_definition: str = "romi"
    window_start: date | None = None
    window_end: date | None = None
    brand_lift_pp: float | None = None
    sales_unit: str | None = None
    version: int = 0  # the campaign's goals_version when read (planner.storage.versions)


def load_goals(engine: Engine, campaign_id: int, *, access: Access) -> StoredGoals:
    """The goals stored on a campaign of the workspace; planner.storage.campaigns.CampaignNotFound."""
    with Session(engine) as session:
        camp = require(session, campaign_id, access)
        rows = session.exec(select(CampaignGoal).where(CampaignGoal.campaign_id == camp.id)).all()
        return StoredGoals(primary_goal=camp.primary_goal, targets=tuple((r.kind, r.target) for r in rows),
                           margin_pct=camp.margin_pct, uplift_pct=camp.uplift_pct,
                           roi_definition=camp.roi_definition, window_start=camp.window_start,
                           window_end=camp.window_end, brand_lift_pp=camp.brand_lift_pp, sales_unit=camp.sales_unit,
                           version=int(camp.goals_version or 0))


def save_goals(engine: Engine, campaign_id: int, goals: StoredGoals, *, expected_version: int | None = None,
               access: Access) -> int:
    """Store the goals of a campaign of the workspace (its targets replaced), in one transaction with its audit
    event (a planner's work); their new version. ``expected_version``: the version the goals were edited from
    (planner.storage.versions.StaleWrite, nothing written, when another save came first);
    planner.storage.campaigns.CampaignNotFound."""
    access.require(PLANNER, "saving goals")
    with Session(engine) as session:
        camp = require(session, campaign_id, access)
        version = claim(session, int(camp.id or 0), "goals", expected_version)
        camp.primary_goal = goals.primary_goal
        camp.margin_pct = goals.margin_pct
        camp.uplift_pct = float(goals.uplift_pct)
        camp.roi_definition = goals.roi_definition
        camp.window_start = goals.window_start
        camp.window_end = goals.window_end
        camp.brand_lift_pp = goals.brand_lift_pp
        camp.sales_unit = goals.sales_unit
        camp.updated_at = utcnow()
        session.add(camp)
        session.execute(sa_delete(CampaignGoal).where(col(CampaignGoal.campaign_id) == camp.id))
        for kind, target in goals.targets:
            session.add(CampaignGoal(campaign_id=int(camp.id or 0), kind=kind, target=float(target)))
        audit.record(session, access, "change", "goals", campaign_id=int(camp.id or 0),
                     detail={"version": version, "primary": goals.primary_goal,
                             "targets": {k: float(t) for k, t in goals.targets}, "margin_pct": goals.margin_pct})
        session.commit()
    return version
