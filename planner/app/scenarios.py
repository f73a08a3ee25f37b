"""What-if scenarios: a scenario's plan and its budget sweep with P10–P90 bands, the keys they are cached by, and
saving a scenario. The Scenarios page and `python -m planner scenarios sweep` both call these."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner.app.planning import plan_key
from planner.campaigns import saved as saved_campaigns
from planner.campaigns import scenarios as saved
from planner.core.numbers import rounded
from planner.planning import scenarios as scen
from planner.storage import store
from planner.storage.access import Access
from planner.storage.db import Engine


def _digest(*parts: Any) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def solve_key(database: str, data_version: str, sc: scen.Scenario) -> str:
    """What a scenario's plans (its plan and its sweep) depend on: the database, the data version of its
    bloggers, the brief's fingerprint without its outcome rates (its list, exchange rates, tier bounds, pool sizes,
    overlaps, locks and kick-outs included), the reach and pool levers and the sweep's budgets."""
    a = sc.assumptions
    return _digest(database, plan_key(data_version, sc.brief, without=("rates",)), a.reach_rate_factor,
                   a.pool_size_factor, sc.sweep.to_dict())


def evaluation_key(solve: str, sc: scen.Scenario, *, with_curve: bool, history: str) -> str:
    """What a scenario's figures and bands depend on beyond its plans: the outcome rates, every assumption (the
    post-rate lever and the Monte Carlo's ranges, samples and seed), whether the sweep is solved and the
    earlier campaigns' errors read (:func:`history_version`, "" when they are not used)."""
    return _digest(solve, sc.brief.rates, sc.assumptions.to_dict(), with_curve, history)


def history_version(engine: Engine, *, access: Access) -> str:
    """What earlier campaigns' forecast errors depend on: the bloggers' data version and each campaign's last
    change (an import of its results, its goals or statuses touch it), not only how many campaigns there are."""
    camps = saved_campaigns.list_campaigns(engine, access=access)
    marks = ",".join(f"{i}@{u}" for i, u in zip(camps["id"].tolist(), camps["updated_at"].tolist(), strict=True))
    return f"{store.data_version(engine, access.workspace_id)}|{marks}"


def forecast_errors(engine: Engine, *, exclude: int | None = None,
                    access: Access) -> pd.DataFrame:
    """Earlier campaigns' forecast errors (they widen or narrow the bands when the assumptions allow)."""
    return saved.forecast_errors(engine, exclude=exclude, access=access)


@dataclass(frozen=True)
class SweepOutcome:
    """A scenario's plan at its budget with its bands, and the sweep (plans at every budget of the range)."""

    result: scen.ScenarioResult

    def to_json(self) -> dict[str, Any]:
        """`scenarios sweep --json`: the sweep's points and flattening budget, and the plan at the brief's budget."""
        assert self.result.sweep is not None
        payload = self.result.sweep.to_json()
        t = self.result.totals
        bands = {f"unique_reach_{q}": rounded(t.get(f"unique_reach_{q}"), 0) for q in ("p10", "p50", "p90")}
        payload["plan"] = {"budget": self.result.scenario.brief.budget, "cost": rounded(t.get("cost")),
                           "unique_reach": rounded(t.get("unique_reach"), 0), **bands,
                           "orders": rounded(t.get("orders")), "status": t.get("status"),
                           "gap": rounded(t.get("gap"), 6)}
        return payload


def sweep(bloggers: pd.DataFrame, sc: scen.Scenario, *, errors: pd.DataFrame | None = None,
          time_limit: float = 10.0) -> SweepOutcome:
    """The scenario's plan, its budget sweep and bands on ``bloggers`` (its list: planner.campaigns.lists
    .bloggers_for). Raises BriefError, ScenarioError or Infeasible."""
    return SweepOutcome(scen.run(bloggers, sc, errors=errors, time_limit=time_limit))


def save(engine: Engine, campaign_id: int, result: scen.ScenarioResult, name: str, *,
         expected_version: int | None = None, access: Access) -> int:
    """Save a scenario's snapshot (its brief, assumptions, figures and plan) under ``name`` in a campaign; its id.
    ``expected_version``: the version of the saved scenario of that name it was opened from (StaleEdit when it was
    saved again since). Raises planner.campaigns.scenarios.ScenarioNotFound for a campaign not in the workspace."""
    return saved.save_scenario(engine, campaign_id, result.snapshot(name), expected_version=expected_version,
                               access=access)
