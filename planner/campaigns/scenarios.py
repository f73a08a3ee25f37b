"""Named scenarios saved per campaign, and the forecast error of earlier campaigns that widens or narrows the bands.

A saved scenario keeps the scenario (brief, assumptions, sweep: planner.planning.scenarios.Scenario.to_dict) and
the plan it gave (totals with their P10 / P50 / P90, placements), so scenarios compare side by side without a
re-solve (planner.planning.scenarios.compare). Everything is scoped to a workspace through its campaign: another
workspace's campaign or scenario does not exist here. The rows are read and written by planner.storage.scenarios.

Public API (the pages, the command line and the pitch exports use these):

- :func:`save_scenario` (engine, campaign_id, snapshot, *, access) -> scenario id (a name saved again
  replaces the scenario of that name);
- :func:`list_scenarios` (engine, campaign_id, *, access) -> DataFrame ``id, name, budget, currency,
  unique_reach, cost, updated_at``;
- :func:`load_scenario` (engine, scenario_id, *, access) -> :class:`SavedScenario` (``.snapshot`` for
  compare, ``.snapshot.curve`` the budget sweep's points); :func:`load_scenario_by_name` (engine, campaign_id,
  name, *, access);
- :func:`delete_scenario` (engine, scenario_id, *, access) -> bool;
- :func:`forecast_errors` (engine, *, access) -> DataFrame ``campaign_id, handle, platform, metric,
  forecast, actual`` from every campaign of the workspace with results (planner.campaigns.report).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from planner.campaigns.saved import StaleEdit
from planner.planning import scenarios as scen
from planner.storage import results as results_repo
from planner.storage import scenarios as repo
from planner.storage.access import Access
from planner.storage.campaigns import CampaignNotFound
from planner.storage.db import Engine
from planner.storage.models import CampaignScenario
from planner.storage.versions import StaleWrite

ERROR_COLUMNS: tuple[str, ...] = ("campaign_id", "handle", "platform", "metric", "forecast", "actual")


class ScenarioNotFound(KeyError):
    """No such scenario (or campaign) in this workspace."""


def _clean(v: Any) -> Any:
    """A value JSON stores everywhere (PostgreSQL refuses NaN): numbers as floats or None, containers cleaned."""
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_clean(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, datetime):
        return v.isoformat()
    return str(v)


@dataclass
class SavedScenario:
    """A stored scenario: its id, campaign, name, times and the snapshot (scenario, totals, placements)."""

    id: int
    campaign_id: int
    name: str
    snapshot: scen.ScenarioSnapshot
    created_at: datetime
    updated_at: datetime
    version: int = 0  # planner.storage.versions: what a save of the same name says it was made from

    @property
    def scenario(self) -> scen.Scenario:
        return self.snapshot.scenario


def save_scenario(engine: Engine, campaign_id: int, snapshot: scen.ScenarioSnapshot, *,
                  expected_version: int | None = None, access: Access) -> int:
    """Save a scenario under its name in a campaign of the workspace (the same name again replaces it). Returns
    its id. ``expected_version``: the version of the scenario of that name this one was opened from
    (planner.campaigns.saved.StaleEdit, nothing written, when it was saved again since). Raises ScenarioNotFound for
    a campaign that is not this workspace's, ValueError for a blank name."""
    name = (snapshot.name or "").strip()[: scen.MAX_NAME]
    if not name:
        raise ValueError("a scenario needs a name")
    state = _clean(snapshot.scenario.to_dict())
    state["name"] = name
    totals = _clean(dict(snapshot.totals))
    placements = _clean(snapshot.placements.to_dict("records")) if snapshot.placements is not None else []
    curve = _clean(snapshot.curve.to_dict("records")) if snapshot.curve is not None else []
    try:
        return repo.upsert_scenario(engine, campaign_id, name, scenario=state, totals=totals, placements=placements,
                                    curve=curve, expected_version=expected_version, access=access)
    except CampaignNotFound:
        raise ScenarioNotFound(f"no campaign {campaign_id}") from None
    except StaleWrite as exc:
        raise StaleEdit(exc.part) from None


def list_scenarios(engine: Engine, campaign_id: int, *, access: Access) -> pd.DataFrame:
    """The campaign's scenarios, newest first (empty for a campaign that is not this workspace's)."""
    cols = ["id", "name", "budget", "currency", "unique_reach", "cost", "updated_at"]
    try:
        rows = repo.list_scenarios(engine, campaign_id, access=access)
    except CampaignNotFound:
        return pd.DataFrame(columns=cols)
    out = []
    for r in rows:
        brief = (r.scenario or {}).get("brief") or {}
        out.append({"id": r.id, "name": r.name, "budget": brief.get("budget"), "currency": brief.get("currency"),
                    "unique_reach": (r.totals or {}).get("unique_reach"), "cost": (r.totals or {}).get("cost"),
                    "updated_at": r.updated_at})
    return pd.DataFrame(out, columns=cols)


def _saved(row: CampaignScenario) -> SavedScenario:
    scenario = scen.Scenario.from_dict({**(row.scenario or {}), "name": row.name})
    placements = pd.DataFrame(list(row.placements or []))
    curve = pd.DataFrame(list(row.curve or [])) if row.curve else None
    if curve is not None:
        curve = curve.reindex(columns=list(scen.POINT_COLUMNS))
    snap = scen.ScenarioSnapshot(name=row.name, scenario=scenario, totals=dict(row.totals or {}),
                                 placements=placements, curve=curve)
    assert row.id is not None
    return SavedScenario(id=int(row.id), campaign_id=int(row.campaign_id), name=row.name, snapshot=snap,
                         created_at=row.created_at, updated_at=row.updated_at, version=int(row.version or 0))


def load_scenario(engine: Engine, scenario_id: int, *, access: Access) -> SavedScenario:
    """A saved scenario of the workspace. Raises ScenarioNotFound (another workspace's does not exist here)."""
    row = repo.get_scenario(engine, scenario_id, access=access)
    if row is None:
        raise ScenarioNotFound(f"no scenario {scenario_id}")
    return _saved(row)


def load_scenario_by_name(engine: Engine, campaign_id: int, name: str, *,
                          access: Access) -> SavedScenario:
    """A campaign's scenario by its name. Raises ScenarioNotFound."""
    try:
        row = repo.get_scenario_by_name(engine, campaign_id, str(name).strip(), access=access)
    except CampaignNotFound:
        raise ScenarioNotFound(f"no campaign {campaign_id}") from None
    if row is None:
        raise ScenarioNotFound(f"no scenario {name!r} in campaign {campaign_id}")
    return _saved(row)


def delete_scenario(engine: Engine, scenario_id: int, *, access: Access) -> bool:
    """Delete a saved scenario of the workspace; False when there is none."""
    return repo.delete_scenario(engine, scenario_id, access=access)


def campaigns_with_results(engine: Engine, *, access: Access) -> list[int]:
    """Ids of the workspace's campaigns that have results of at least one placement."""
    return sorted(results_repo.campaigns_with_results(engine, access=access))


def forecast_errors(engine: Engine, *, access: Access,
                    exclude: int | None = None) -> pd.DataFrame:
    """Forecast against actual per blogger of every campaign of the workspace with results (the results report's
    figures: reach, engagements, orders; planner.campaigns.report), one row per blogger and metric where both
    are known and positive. ``exclude``: a campaign to leave out (e.g. the one being planned)."""
    from planner.campaigns import report  # the report pulls in scipy and the XLSX writer: only when asked

    rows: list[dict[str, Any]] = []
    for cid in campaigns_with_results(engine, access=access):
        if exclude is not None and cid == exclude:
            continue
        try:
            rep = report.build(engine, cid, access=access, with_incrementality=False)
        except Exception:  # a campaign whose report cannot be built teaches nothing here
            continue
        b = rep.bloggers
        for metric, fc, ac in (("reach", "forecast_reach", "actual_reach"),
                               ("engagements", "forecast_engagements", "engagements"),
                               ("orders", "forecast_orders", "orders_measured")):
            if fc not in b or ac not in b:
                continue
            f = pd.to_numeric(b[fc], errors="coerce").to_numpy(dtype=float)
            a = pd.to_numeric(b[ac], errors="coerce").to_numpy(dtype=float)
            ok = np.isfinite(f) & np.isfinite(a) & (f > 0) & (a > 0)
            for h, p, fv, av in zip(b["handle"].astype(str)[ok], b["platform"].astype(str)[ok], f[ok], a[ok],
                                    strict=True):
                rows.append({"campaign_id": cid, "handle": h, "platform": p, "metric": metric,
                             "forecast": float(fv), "actual": float(av)})
    return pd.DataFrame(rows, columns=list(ERROR_COLUMNS))


__all__ = [
    "ERROR_COLUMNS", "SavedScenario", "ScenarioNotFound", "campaigns_with_results", "delete_scenario",
    "forecast_errors", "list_scenarios", "load_scenario", "load_scenario_by_name", "save_scenario",
]
