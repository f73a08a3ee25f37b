"""Campaigns in the database: a campaign owns its brief and its placements (each with a status)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import delete as sa_delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.planning.plan import Brief, PlanResult
from planner.storage.models import DEFAULT_WORKSPACE_ID, PLACEMENT_STATUSES, Campaign, Placement, utcnow


def save_plan(engine: Engine, name: str, result: PlanResult, *, workspace_id: int = DEFAULT_WORKSPACE_ID) -> int:
    """Store a plan as a new campaign with its placements (status "proposed"), in one transaction."""
    name = (name or "").strip()
    if not name:
        raise ValueError("a campaign needs a name")
    brief = result.brief
    with Session(engine) as session:
        camp = Campaign(name=name[:200], status="planned", currency=brief.currency, budget=float(brief.budget),
                        reach_weight=float(brief.reach_weight), workspace_id=workspace_id,
                        brief={**brief.to_dict(), "totals": {k: (v if isinstance(v, str | dict) else float(v))
                                                             for k, v in result.totals.items()}})
        session.add(camp)
        session.flush()
        assert camp.id is not None
        for row in result.placements.itertuples():
            session.add(Placement(
                campaign_id=camp.id, blogger_id=_blogger_id(row.id), handle=str(row.handle),
                platform=str(row.platform),
                format=str(row.format), kind=str(getattr(row, "deal", "paid")), status="proposed",
                cost=float(row.cost), expected_reach=float(row.reach),
                expected_unique_reach=float(row.unique_reach_added), fit=float(row.fit), pool=str(row.pool),
                price_source=str(getattr(row, "price_source", "quote")),
                reach_source=(str(row.reach_source) if getattr(row, "reach_source", None) else None),
                **_deal_fields(row)))
        session.commit()
        assert camp.id is not None
        return camp.id


def _deal_fields(row: Any) -> dict[str, Any]:
    """A placement's deal as saved: the cash fee is ``cost``; a barter or hybrid deal also keeps its product (units,
    cost to the brand, retail value), the chance it is accepted and then published, and the expected posts (the
    placement's ``expected_reach`` is reach x expected posts, what the plan counted); a paid post is published."""
    deal = str(getattr(row, "deal", "paid"))
    if deal == "paid":
        return {"product_units": 0, "product_cost": 0.0, "product_value": 0.0, "expected_posts": 1.0}

    def num(name: str) -> float | None:
        v = getattr(row, name, None)
        return None if v is None or pd.isna(v) else float(v)

    return {"product_units": int(getattr(row, "product_units", 0) or 0), "product_cost": num("product_cost") or 0.0,
            "product_value": num("product_value") or 0.0, "acceptance": num("acceptance"),
            "post_rate": num("post_rate"), "expected_posts": num("expected_posts")}


def _blogger_id(value: object) -> int | None:
    """The placement's link to a stored blogger: None for a plan row with no stored blogger (missing or < 0, e.g. a
    plan on a file whose blogger is not in the database)."""
    try:
        v = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return v if v >= 0 else None


def list_campaigns(engine: Engine, *, workspace_id: int = DEFAULT_WORKSPACE_ID) -> pd.DataFrame:
    with Session(engine) as session:
        rows = session.exec(select(Campaign).where(Campaign.workspace_id == workspace_id)
                            .order_by(col(Campaign.updated_at).desc())).all()
        return pd.DataFrame([{"id": c.id, "name": c.name, "status": c.status, "budget": c.budget,
                              "currency": c.currency, "updated_at": c.updated_at} for c in rows],
                            columns=["id", "name", "status", "budget", "currency", "updated_at"])


def _owned(session: Session, campaign_id: int, workspace_id: int) -> Campaign | None:
    """The campaign if it belongs to the workspace (another workspace's campaign does not exist here)."""
    camp = session.get(Campaign, int(campaign_id))
    return camp if camp is not None and camp.workspace_id == workspace_id else None


def load_campaign(engine: Engine, campaign_id: int, *,
                  workspace_id: int = DEFAULT_WORKSPACE_ID) -> tuple[Campaign, pd.DataFrame]:
    with Session(engine) as session:
        camp = _owned(session, campaign_id, workspace_id)
        if camp is None:
            raise KeyError(f"no campaign {campaign_id}")
        rows = session.exec(select(Placement).where(Placement.campaign_id == campaign_id)
                            .order_by(col(Placement.expected_reach).desc())).all()
        frame = pd.DataFrame([r.model_dump() for r in rows])
        session.expunge(camp)
        return camp, frame


def campaign_brief(camp: Campaign) -> Brief:
    """The campaign's brief, whole (its list, locks, kick-outs and rates included). A brief stored before briefs
    carried their budget (or with none) takes the campaign's budget. Raises planner.planning.brief.BriefError when the
    stored brief cannot be read."""
    data = {k: v for k, v in (camp.brief or {}).items() if k != "totals"}
    budget = data.get("budget")
    if not isinstance(budget, int | float) or not budget > 0:
        data["budget"] = float(camp.budget or 0.0)
    data.setdefault("currency", camp.currency or "RUB")
    return Brief.from_dict(data)


def set_statuses(engine: Engine, campaign_id: int, statuses: Mapping[int, str], *,
                 workspace_id: int = DEFAULT_WORKSPACE_ID) -> int:
    """Change placement statuses (proposed, agreed, published, cancelled). Returns rows changed."""
    bad = {s for s in statuses.values() if s not in PLACEMENT_STATUSES}
    if bad:
        raise ValueError(f"unknown status: {', '.join(sorted(bad))}")
    changed = 0
    with Session(engine) as session:
        if _owned(session, campaign_id, workspace_id) is None:
            raise KeyError(f"no campaign {campaign_id}")
        for pid, status in statuses.items():
            p = session.get(Placement, int(pid))
            if p is not None and p.campaign_id == campaign_id and p.status != status:
                p.status = status
                session.add(p)
                changed += 1
        camp = session.get(Campaign, campaign_id)
        if camp is not None and changed:
            camp.updated_at = utcnow()
            session.add(camp)
        session.commit()
    return changed


def delete_campaign(engine: Engine, campaign_id: int, *, workspace_id: int = DEFAULT_WORKSPACE_ID) -> bool:
    """Delete a campaign of the workspace with its placements. False when there is no such campaign here."""
    with Session(engine) as session:
        camp = _owned(session, campaign_id, workspace_id)
        if camp is None:
            return False
        # one statement for the placements (PostgreSQL and SQLite alike), then the campaign
        session.execute(sa_delete(Placement).where(col(Placement.campaign_id) == campaign_id))
        session.delete(camp)
        session.commit()
    return True
