"""Load the shipped sample campaign (``data/sample_campaign.json``, made by planner.ingest.sample_campaign) into
a workspace: the campaign with its goals, placements (linked to the sample bloggers), results and sales series,
in one transaction. Plain inserts: nothing is computed at start-up."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from planner.storage.models import (
    Blogger,
    Campaign,
    CampaignGoal,
    Placement,
    PlacementResult,
    SalesDay,
)

_PLACEMENT_KEYS = ("format", "kind", "status", "cost", "product_cost", "product_value", "expected_reach",
                   "expected_unique_reach", "product_units", "acceptance", "post_rate", "expected_posts", "handle",
                   "platform", "price_source", "reach_source")


def load(engine: Engine, path: Path, *, workspace_id: int) -> int | None:
    """Insert the sample campaign; returns its id (None when the file is missing)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    goals = data.get("goals", {})
    with Session(engine) as session:
        ids = {(p, h): i for i, p, h in session.execute(
            select(Blogger.id, Blogger.platform, Blogger.handle).where(  # type: ignore[call-overload]
                Blogger.workspace_id == workspace_id)).all()}
        camp = Campaign(
            name=data["name"], status=data.get("status", "done"), currency=data.get("currency", "RUB"),
            budget=float(data.get("budget", 0.0)), brief=dict(data.get("brief", {})), workspace_id=workspace_id,
            primary_goal=goals.get("primary"), margin_pct=goals.get("margin_pct"),
            uplift_pct=float(goals.get("uplift_pct") or 0.0), roi_definition=goals.get("roi_definition", "romi"),
            window_start=_day(goals.get("window_start")), window_end=_day(goals.get("window_end")),
            sales_unit=goals.get("sales_unit"))
        session.add(camp)
        session.flush()
        assert camp.id is not None
        for kind, target in (goals.get("targets") or {}).items():
            session.add(CampaignGoal(campaign_id=camp.id, kind=kind, target=float(target)))
        for item in data.get("placements", []):
            place = Placement(campaign_id=camp.id, blogger_id=ids.get((item["platform"], item["handle"])),
                              **{k: item[k] for k in _PLACEMENT_KEYS if k in item})
            session.add(place)
            session.flush()
            result = item.get("result")
            if result:
                assert place.id is not None
                values: dict[str, Any] = {k: (_day(v) if k == "published_at" else v) for k, v in result.items()}
                session.add(PlacementResult(placement_id=place.id, source="sample", **values))
        for day in data.get("sales", []):
            session.add(SalesDay(campaign_id=camp.id, day=date.fromisoformat(day["day"]), region=day.get("region", ""),
                                 control=bool(day.get("control")), sales=float(day["sales"])))
        session.commit()
        return camp.id


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
