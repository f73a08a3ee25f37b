"""The plan a page has solved is handed to the pitch's build (planner.reporting.pitch.Solved) instead of being solved
again: the same plan gives the same pitch, figure for figure, with no solve; the frontier the page drew is taken as
it is, its own point the plan; and a plan solved for another brief or on other data is never used."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from planner import campaigns
from planner.campaigns import lists
from planner.core import money
from planner.planning import plan
from planner.reporting import pitch
from planner.storage import store
from planner.storage.access import LOCAL
from tests.conftest import pitch_world

FX = money.Rates.of({"USD": 90.0, "EUR": 98.0})


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with pitch_world(tmp_path_factory, "handover", "Handed over") as w:
        camp, _ = campaigns.load_campaign(w["engine"], w["plan_id"], access=LOCAL)
        yield {**w, "cid": w["plan_id"], "brief": campaigns.campaign_brief(camp)}


def _solves(monkeypatch) -> list[plan.Brief]:
    """Every plan.solve counted (the briefs solved); the memo of frontiers and curves emptied."""
    solved: list[plan.Brief] = []
    real = plan.solve

    def counting(cands, brief, **kw):
        solved.append(brief)
        return real(cands, brief, **kw)

    monkeypatch.setattr(plan, "solve", counting)
    monkeypatch.setattr(pitch, "_PLANS_MEMO", type(pitch._PLANS_MEMO)())
    return solved


def _figures(doc: pitch.Pitch) -> dict:
    """Every figure of a pitch: the totals with their bands, the frontier, the backups, the assumptions, the curve."""
    return {"totals": [(f.key, f.value, f.low, f.high, f.source) for f in doc.totals],
            "frontier": None if doc.frontier is None else doc.frontier.to_dict("list"),
            "backups": None if doc.backups is None else doc.backups.frame.to_dict("list"),
            "assumptions": [(a.label, a.value, a.source) for a in doc.assumptions],
            "curve": None if doc.budget_curve is None else doc.budget_curve.to_dict("list"),
            "notes": dict(doc.notes)}


def _build(world, **kw) -> pitch.Pitch:
    return pitch.build(world["engine"], world["cid"], lang="en", rates=FX, bloggers=world["bloggers"],
                       curve=False, access=LOCAL, **kw)


def _handed(world, sol, *, frontier=None) -> pitch.Solved:
    brief = world["brief"]
    return pitch.Solved(data_version=store.data_version(world["engine"]), brief=brief,
                        candidates=plan.build_candidates(world["bloggers"], brief), solution=lambda: sol,
                        frontier=frontier)


def test_the_handed_plan_makes_the_same_pitch_without_a_solve(world, monkeypatch):
    # deadlines no solve reaches, so that the frontier does not depend on the machine's load
    monkeypatch.setattr(plan, "PLAN_TIME_S", 60.0)
    monkeypatch.setattr(plan, "FRONTIER_TIME_S", 60.0)
    solved = _solves(monkeypatch)
    alone = _build(world, time_limit=60)
    assert len(solved) == 1  # the pitch solved the brief itself: the frontier's start
    real = plan.solve
    captured: list = []
    monkeypatch.setattr(plan, "solve", lambda c, b, **kw: captured.append(real(c, b, **kw)) or captured[-1])
    monkeypatch.setattr(pitch, "_PLANS_MEMO", type(pitch._PLANS_MEMO)())
    again = _build(world, time_limit=60)  # the same solve, captured: the plan a page would hand over
    solved = _solves(monkeypatch)
    handed = _build(world, time_limit=60, solved=_handed(world, captured[0]))
    assert solved == []  # nothing solved again
    assert _figures(handed) == _figures(again)
    assert _figures(again)["totals"] == _figures(alone)["totals"]  # the saved plan's figures never depend on it


def test_the_frontier_the_page_drew_is_taken_as_it_is(world, monkeypatch):
    solved = _solves(monkeypatch)
    doc = _build(world)
    real_frontier = plan.frontier
    calls = {"frontier": 0}

    def frontier(*a, **k):
        calls["frontier"] += 1
        return real_frontier(*a, **k)

    monkeypatch.setattr(plan, "frontier", frontier)
    monkeypatch.setattr(pitch, "_PLANS_MEMO", type(pitch._PLANS_MEMO)())
    cands = plan.build_candidates(world["bloggers"], world["brief"])
    start_sol = plan.solve(cands, world["brief"], time_limit=plan.PLAN_TIME_S)
    drawn = doc.frontier.assign(gap_target=0.005)  # as the page keeps it (a column more), costs in rubles
    drawn.loc[drawn["w"] == 0.5, "unique_reach"] = -1.0  # the page's own point is replaced by the plan
    solved.clear()
    got = pitch.build(world["engine"], world["cid"], lang="en", currency="USD", rates=FX, bloggers=world["bloggers"],
                      curve=False, access=LOCAL, solved=_handed(world, start_sol, frontier=drawn))
    assert solved == [] and calls["frontier"] == 0
    table = got.frontier
    assert list(table.columns) == list(pitch.FRONTIER_COLUMNS) and table["w"].tolist() == list(plan.FRONTIER_WS)
    own = table.loc[table["w"] == 0.5].iloc[0]
    assert own["unique_reach"] == start_sol.unique_reach and own["status"] == start_sol.status
    others = table["w"] != 0.5
    assert np.allclose(table.loc[others, "cost"], doc.frontier.loc[others, "cost"] / 90.0)  # converted once
    assert table.loc[others, "unique_reach"].tolist() == doc.frontier.loc[others, "unique_reach"].tolist()


@pytest.mark.parametrize("change", ["budget", "reach_weight", "locks", "list", "data_version"])
def test_a_plan_of_another_brief_or_data_is_never_used(world, monkeypatch, change):
    brief = world["brief"]
    version = store.data_version(world["engine"])
    other_brief, other_version = brief, version
    if change == "budget":
        other_brief = dataclasses.replace(brief, budget=brief.budget * 1.5)
    elif change == "reach_weight":
        other_brief = dataclasses.replace(brief, reach_weight=0.7)
    elif change == "locks":
        other_brief = dataclasses.replace(brief, must_exclude=(int(world["bloggers"]["id"].iloc[0]),))
    elif change == "list":
        other_brief = dataclasses.replace(brief, bloggers=lists.of_ids("shortlist", world["bloggers"]["id"].tolist()))
    else:
        other_version = version + ":older"
    assert not pitch.Solved(data_version=other_version, brief=other_brief, candidates=None,  # type: ignore[arg-type]
                            solution=lambda: None).fits(version, brief)  # type: ignore[arg-type,return-value]
    cands = plan.build_candidates(world["bloggers"], other_brief) if change != "list" else None
    wrong = plan.solve(cands, other_brief, time_limit=plan.PLAN_TIME_S) if cands is not None else None
    asked: list = []
    solved = _solves(monkeypatch)
    frontier = pd.DataFrame({"w": list(plan.FRONTIER_WS), "unique_reach": -1.0, "niche_value": -1.0, "cost": -1.0,
                             "status": "optimal", "gap": 0.0})
    handed = pitch.Solved(data_version=other_version, brief=other_brief,
                          candidates=cands if cands is not None else plan.build_candidates(world["bloggers"], brief),
                          solution=lambda: asked.append(1) or wrong, frontier=frontier)  # type: ignore[func-returns-value]
    doc = _build(world, solved=handed)
    assert asked == [] and len(solved) == 1 and solved[0].fingerprint() == brief.fingerprint()  # solved afresh
    assert doc.frontier is not None and (doc.frontier["unique_reach"] > 0).all()  # not the handed frontier


def test_the_campaign_saved_from_a_plan_fits_the_plan(world):
    """The brief a campaign stores is the brief it was planned with, fingerprint and all (what a handed plan is
    matched by)."""
    brief = plan.Brief(budget=400_000, niches=("beauty",), countries=("RU",), gender="female",
                       ages=("18_24", "25_34"), reach_weight=0.5)
    assert world["brief"].fingerprint() == brief.fingerprint()
