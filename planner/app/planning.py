"""Plan a brief: the bloggers of its list, the candidates, the optimiser's plan and the plan a person reads."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner.campaigns import lists, saved
from planner.planning import barter, optimiser, plan
from planner.planning.brief import Brief
from planner.storage.access import Access
from planner.storage.db import Engine


@dataclass(frozen=True)
class PlanOutcome:
    """A brief's plan: the brief, the bloggers planned on, the candidates, the optimiser's solution, the readable
    plan (placements and totals) and the seconds it took."""

    brief: Brief
    bloggers: pd.DataFrame
    candidates: plan.Candidates
    solution: optimiser.Solution
    result: plan.PlanResult
    seconds: float
    data_version: str = ""  # of the bloggers planned on (planner.storage.store.data_version), when known

    def key(self, *, without: tuple[str, ...] = ()) -> str:
        """What the plan depends on (:func:`plan_key`)."""
        return plan_key(self.data_version, self.brief, without=without)

    def to_json(self) -> dict[str, Any]:
        """The plan as `python -m planner plan --json` prints it."""
        out = plan_json(self.brief, self.candidates, self.solution, self.result, self.seconds)
        if self.brief.mixed:  # why deals were or were not there to choose: per deal, bloggers offered and why not
            out["deal_offers"] = self.deal_offers()
        return out

    def deal_offers(self) -> dict[str, dict[str, int]]:
        """A mixed plan's barter and hybrid offers: per deal, bloggers offered one and, by reason, those not
        (planner.planning.barter.twin_reasons)."""
        return barter.twin_reasons(self.candidates.frame, self.bloggers, self.brief)


# the parts of a brief a plan is re-solved for from the plan on screen (planner.planning.plan.resolve): its reach
# weight, outcome rates, locks and kick-outs
RESOLVED = ("reach_weight", "rates", "must_include", "must_exclude")
# the parts of a brief its candidates do not depend on
NOT_CANDIDATES = ("reach_weight", "rates")


def plan_key(data_version: str, brief: Brief, *, without: tuple[str, ...] = ()) -> str:
    """The one key of a brief's plan (or of a part of it, ``without`` some fields): the data version of the
    bloggers and the brief's fingerprint (its list, rates, tier bounds, pool sizes and overlaps included)."""
    return f"{data_version}|{brief.fingerprint(without=without)}"


def plan_json(brief: Brief, cands: plan.Candidates, sol: optimiser.Solution, result: plan.PlanResult,
              seconds: float) -> dict[str, Any]:
    rows = result.placements
    t = result.totals
    return {
        "placements": [{"handle": r.handle, "platform": r.platform, "format": r.format, "cost": round(float(r.cost), 2),
                        "price_source": r.price_source, "reach": round(float(r.reach)), "reach_source": r.reach_source,
                        "pool": r.pool, "unique_reach_added": round(float(r.unique_reach_added)),
                        "fit": round(float(r.fit), 4),
                        # the deal: cash (the fee paid), product units sent, expected published posts (1 if paid)
                        "deal": r.deal, "cash_cost": round(float(r.cash_cost), 2),
                        "product_units": int(r.product_units), "expected_posts": round(float(r.expected_posts), 4)}
                       for r in rows.itertuples()],
        "total_cost": round(t["cost"], 2), "quoted_cost": round(t["quoted_cost"], 2),
        "estimated_cost": round(t["estimated_cost"], 2), "unique_reach": round(t["unique_reach"]),
        "impressions": round(t["impressions"]), "niche_value": round(t["niche_value"], 2),
        "objective": sol.objective, "upper_bound": sol.upper_bound, "gap": sol.gap, "gap_target": sol.gap_target,
        "status": sol.status, "status_text": plan.status_text(t),
        "unique_reach_max": round(t["unique_reach_max"]), "niche_value_max": round(t["niche_value_max"], 2),
        "bound_people": {"unique_reach": round(t["unique_reach_bound"]),
                         "niche_value": round(t["niche_value_bound"], 2)},
        "reach_weight": brief.reach_weight, "niche_mode": brief.niche_mode,
        "allow_estimated_prices": brief.allow_estimated_prices, "currency": brief.currency,
        "candidates": len(cands.frame), "skipped_estimated_prices": cands.skipped_estimated,
        "pools": {k: round(v) for k, v in cands.pool_sizes.items()},
        "pools_raised": {k: {"assumed": round(a), "used": round(u)} for k, (a, u) in cands.raised_pools.items()},
        "seconds": round(seconds, 3),
        # cash and product separately: cash_cost never above the budget, product_units never above the product budget
        "cash_cost": round(t["cash_cost"], 2), "product_units": t["product_units"],
        "product_cost": round(t["product_cost"], 2),
        # the most cash the list can take (every blogger in their dearest paid placement): a budget above it stays
        # partly unspent whatever the plan
        "absorbable": round(t["absorbable"], 2),
        # the brief planned (the list it planned on included) and its fingerprint
        "bloggers": {"kind": brief.bloggers.kind, "size": brief.bloggers.size, "label": brief.bloggers.label,
                     "digest": brief.bloggers.digest},
        "brief_fingerprint": brief.fingerprint(),
        "brief": brief.to_dict(),
    }


def make_plan(bloggers: pd.DataFrame, brief: Brief, *, time_limit: float = 10.0) -> PlanOutcome:
    """The brief's plan on ``bloggers`` (its list, read by planner.campaigns.lists.bloggers_for), within one
    deadline of ``time_limit`` seconds, candidates included. Raises plan.BriefError or optimiser.Infeasible."""
    t0 = time.perf_counter()
    cands = plan.build_candidates(bloggers, brief)
    sol = plan.solve(cands, brief, time_limit=max(0.05, time_limit - (time.perf_counter() - t0)))
    result = plan.describe(cands, sol, brief, bloggers)
    return PlanOutcome(brief=brief, bloggers=bloggers, candidates=cands, solution=sol, result=result,
                       seconds=time.perf_counter() - t0)


def plan_brief(engine: Engine, brief: Brief, *, time_limit: float = 10.0, database: pd.DataFrame | None = None,
               access: Access) -> PlanOutcome:
    """The brief's plan on its own list of bloggers (``database``: the workspace's enriched bloggers when the
    caller has them)."""
    frame = lists.bloggers_for(engine, brief, database=database, access=access)
    return make_plan(frame, brief, time_limit=time_limit)


def save(engine: Engine, outcome: PlanOutcome, name: str, *, access: Access) -> int:
    """Save the plan as a new campaign (status "proposed"; its brief whole, the list it planned on included);
    its id. Raises ValueError for a blank name."""
    return saved.save_plan(engine, name, outcome.result, access=access)
