"""Campaigns in the database: a campaign owns its brief and its placements (each with a status). The plan's rows
and the rules live here; the SQL in planner.storage.campaigns."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd

from planner.core.errors import CodedError
from planner.planning.plan import Brief, PlanResult
from planner.storage import campaigns as repo
from planner.storage.access import Access
from planner.storage.db import Engine
from planner.storage.models import PLACEMENT_STATUSES, Campaign
from planner.storage.versions import StaleWrite


def save_plan(engine: Engine, name: str, result: PlanResult, *, access: Access) -> int:
    """Store a plan as a new campaign with its placements (status "proposed"), in one transaction."""
    name = (name or "").strip()
    if not name:
        raise ValueError("a campaign needs a name")
    brief = result.brief
    campaign = {"name": name[:200], "status": "planned", "currency": brief.currency, "budget": float(brief.budget),
                "reach_weight": float(brief.reach_weight),
                "brief": {**brief.to_dict(), "totals": {k: (v if isinstance(v, str | dict) else float(v))
                                                        for k, v in result.totals.items()}}}
    placements = [dict(
        blogger_id=_blogger_id(row.id), handle=str(row.handle), platform=str(row.platform),
        format=str(row.format), kind=str(getattr(row, "deal", "paid")), status="proposed",
        cost=float(row.cost), expected_reach=float(row.reach),
        expected_unique_reach=float(row.unique_reach_added), fit=float(row.fit), pool=str(row.pool),
        price_source=str(getattr(row, "price_source", "quote")),
        reach_source=(str(row.reach_source) if getattr(row, "reach_source", None) else None),
        **_deal_fields(row)) for row in result.placements.itertuples()]
    return repo.create_campaign(engine, campaign, placements, access=access)


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


def list_campaigns(engine: Engine, *, access: Access) -> pd.DataFrame:
    return repo.list_campaigns(engine, access=access)


def load_campaign(engine: Engine, campaign_id: int, *,
                  access: Access) -> tuple[Campaign, pd.DataFrame]:
    """The campaign and its placements; KeyError when it is not the workspace's."""
    return repo.load_campaign(engine, campaign_id, access=access)


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


class StaleEdit(CodedError, ValueError):
    """A save made from a view older than what is stored (someone saved first): nothing was written."""

    I18N_PREFIX = "stale."
    MESSAGES = {
        "placements": "the placements were changed elsewhere since you opened them; nothing was saved: look at "
                      "them again and save once more",
        "results": "the results were changed elsewhere since you opened them; nothing was saved: look at them "
                   "again and save once more",
        "scenario": "the scenario was saved elsewhere since you opened it; nothing was saved: open it again",
    }

    @property
    def part(self) -> str:
        return self.code


def set_statuses(engine: Engine, campaign_id: int, statuses: Mapping[int, str], *,
                 planned_dates: Mapping[int, date | None] | None = None, expected_version: int | None = None,
                 access: Access) -> int:
    """Change placement statuses (proposed, agreed, published, cancelled) and the dates placements are due
    (``planned_dates``: a date, or None to clear it). Returns rows changed."""
    bad = {s for s in statuses.values() if s not in PLACEMENT_STATUSES}
    if bad:
        raise ValueError(f"unknown status: {', '.join(sorted(bad))}")
    wrong = [d for d in (planned_dates or {}).values()
             if d is not None and (not isinstance(d, date) or isinstance(d, datetime) or d != d)]
    if wrong:
        raise ValueError(f"not a date: {wrong[0]!r}")
    try:
        return repo.set_statuses(engine, campaign_id, statuses, planned_dates=planned_dates,
                                 expected_version=expected_version, access=access)
    except StaleWrite as exc:
        raise StaleEdit(exc.part) from None


def delete_campaign(engine: Engine, campaign_id: int, *, access: Access) -> bool:
    """Delete a campaign of the workspace with its placements. False when there is no such campaign here."""
    return repo.delete_campaign(engine, campaign_id, access=access)
