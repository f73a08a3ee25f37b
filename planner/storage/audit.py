"""The audit trail: who created, changed or deleted a campaign, its placements, goals, results, sales series or
scenarios (and a workspace's members), and when. An event is written by the storage function that makes the
change, in the change's own transaction (a change that is rolled back leaves no event), and read per workspace or
per campaign of it; a deleted campaign's events stay readable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.storage.access import Access
from planner.storage.models import AUDIT_ACTIONS, AUDIT_OBJECTS, AuditEvent

TRAIL_COLUMNS: tuple[str, ...] = ("id", "at", "user", "action", "object", "campaign_id", "detail")


def record(session: Session, access: Access, action: str, obj: str, *, campaign_id: int | None = None,
           detail: Mapping[str, Any] | None = None) -> None:
    """Add an event to the session's transaction (committed, or rolled back, with the change it records)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if obj not in AUDIT_OBJECTS:
        raise ValueError(f"unknown audit object {obj!r}")
    session.add(AuditEvent(workspace_id=access.workspace_id, campaign_id=campaign_id, user_id=access.user_id,
                           actor=access.user[:320], action=action, object=obj, detail=dict(detail or {})))


def has_events(engine: Engine, campaign_id: int, *, access: Access) -> bool:
    """Whether the workspace's trail names this campaign (one that was deleted included)."""
    with Session(engine) as session:
        return session.exec(select(AuditEvent.id).where(AuditEvent.workspace_id == access.workspace_id,
                                                        AuditEvent.campaign_id == int(campaign_id))).first() \
            is not None


def trail(engine: Engine, *, access: Access, campaign_id: int | None = None, limit: int | None = 500) -> pd.DataFrame:
    """The workspace's events, newest first (``campaign_id``: that campaign's only; ``limit``: at most so many):
    ``TRAIL_COLUMNS`` (``user`` is the e-mail of whoever did it, ``detail`` a dict). Another workspace's events are
    never read."""
    with Session(engine) as session:
        query = select(AuditEvent).where(AuditEvent.workspace_id == access.workspace_id)
        if campaign_id is not None:
            query = query.where(AuditEvent.campaign_id == int(campaign_id))
        query = query.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        if limit is not None:
            query = query.limit(int(limit))
        rows = session.exec(query).all()
        frame = pd.DataFrame([{"id": r.id, "at": r.at, "user": r.actor, "action": r.action, "object": r.object,
                               "detail": dict(r.detail or {})} for r in rows], columns=list(TRAIL_COLUMNS))
        frame["campaign_id"] = pd.Series([r.campaign_id for r in rows], dtype=object)  # None stays None
        return frame
