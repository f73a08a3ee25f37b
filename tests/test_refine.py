"""A plan answered at once and certified in the background (planner.app.refine): the quick answer is shown, the
certified one replaces it when done, a final quick answer runs nothing more, a dropped certification starts again
when anyone asks for it, and the Plan page says which it shows."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from planner.app import refine
from planner.planning import optimiser, plan
from tests.conftest import ROOT


def _sol(status: str, objective: float = 1.0) -> optimiser.Solution:
    return optimiser.Solution(chosen=np.array([0]), cost=1.0, unique_reach=1.0, niche_value=1.0, objective=objective,
                              upper_bound=1.1, gap=0.09, reach_weight=0.5, seconds=0.1, status=status)


def test_a_final_quick_answer_runs_nothing_more():
    calls = []
    ref = refine.Refining(_sol("gap_ok"), lambda q: calls.append(q) or _sol("optimal"))
    assert not ref.pending and ref.solution().status == "gap_ok" and ref.final().status == "gap_ok"
    assert calls == []


def test_the_certified_answer_replaces_the_quick_one_when_done():
    go = threading.Event()
    started = []

    def full(q: optimiser.Solution) -> optimiser.Solution:
        started.append(q)
        go.wait(10)
        return _sol("gap_ok", objective=1.05)

    quick = _sol("time_limit")
    ref = refine.Refining(quick, full)
    assert ref.pending and ref.solution() is quick  # shown at once, while the proof goes on
    go.set()
    final = ref.final(timeout=10)
    assert final.status == "gap_ok" and final.objective == 1.05 and not ref.pending
    assert ref.solution() is final and started == [quick]  # started from the quick answer


def test_a_failed_certification_keeps_the_quick_answer():
    def full(q: optimiser.Solution) -> optimiser.Solution:
        raise RuntimeError("boom")

    quick = _sol("time_limit")
    ref = refine.Refining(quick, full)
    assert ref.final(timeout=10) is quick and not ref.pending


def test_a_dropped_certification_starts_again_when_asked():
    gate = threading.Event()
    blockers = [refine.Refining(_sol("time_limit"), lambda q: (gate.wait(10), q)[1]) for _ in range(2)]  # busy
    runs = []
    ref = refine.Refining(_sol("time_limit"), lambda q: runs.append(1) or _sol("gap_ok"))
    ref.drop()  # queued behind the two busy workers: never started
    gate.set()
    for b in blockers:
        b.final(timeout=10)
    assert ref.final(timeout=10).status == "gap_ok" and runs == [1]  # asked again: started, once


def test_no_plan_in_the_quick_deadline_waits_for_the_whole_one(monkeypatch):
    monkeypatch.setenv("PLANNER_PLAN_QUICK_S", "0.1")
    calls = []

    def run(limit: float, starts: tuple) -> optimiser.Solution:
        calls.append(limit)
        if limit < 1:
            raise optimiser.NoPlanInTime("time_limit", seconds="0.1")
        return _sol("gap_ok")

    ref = refine.answer(run, 5.0)
    assert calls == [0.1, 5.0] and not ref.pending and ref.solution().status == "gap_ok"


def test_quick_seconds_reads_the_environment(monkeypatch):
    monkeypatch.setenv("PLANNER_PLAN_QUICK_S", "0")
    assert refine.quick_seconds() == 0.0
    monkeypatch.setenv("PLANNER_PLAN_QUICK_S", "0.3")
    assert refine.quick_seconds() == pytest.approx(0.3)
    monkeypatch.setenv("PLANNER_PLAN_QUICK_S", "soon")
    assert refine.quick_seconds() == refine.QUICK_S
    monkeypatch.delenv("PLANNER_PLAN_QUICK_S")
    assert refine.quick_seconds() == refine.QUICK_S


@pytest.fixture
def sample_frame(small_sample):
    from planner.estimates import metrics
    df = metrics.enrich(small_sample)
    df.insert(0, "id", np.arange(1, len(df) + 1))
    return df


def test_answer_on_a_real_brief_is_certified_as_a_full_solve_would_be(sample_frame, monkeypatch):
    """On a real brief: the quick answer (a very short deadline) then the certified one, which is as good as one
    solve with the whole deadline (on the same problem: the same or a better objective, a gap within its target)."""
    monkeypatch.setenv("PLANNER_PLAN_QUICK_S", "0.05")
    brief = plan.Brief(budget=900_000, niches=("beauty", "fashion"), niche_mode="prefer")
    cands = plan.build_candidates(sample_frame, brief)
    seen = []

    def run(limit: float, starts: tuple) -> optimiser.Solution:
        seen.append((limit, len(starts)))
        return plan.solve(cands, brief, starts=starts, time_limit=limit)

    ref = refine.answer(run, 20.0)
    final = ref.final(timeout=60)
    assert seen[0] == (0.05, 0)
    if len(seen) > 1:  # the quick answer was not final: certified from its plan
        assert seen[1] == (20.0, 1)
    assert final.status in refine.FINAL_STATUSES
    alone = plan.solve(plan.build_candidates(sample_frame, brief), brief, time_limit=20.0)
    assert final.gap <= final.gap_target + 1e-12
    assert dataclasses.replace(final, seconds=0).objective >= alone.objective * (1 - alone.gap_target) - 1e-9


def test_the_plan_page_shows_the_quick_answer_then_the_certified_plan(sample_app, monkeypatch):
    """The page draws the quick answer with "proving its quality" and, once certified, the plan with its status:
    the same plan the shared cache now holds, with no "proving" left."""
    from pages import common

    monkeypatch.setenv("PLANNER_PLAN_QUICK_S", "0.02")  # so short that the answer is almost never final
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    ref = at.session_state["_plan_refining"]
    first = next(c.value for c in at.caption if "upper bound" in c.value)
    quick_shown = at.session_state[common.PLAN_SHOWN].solution
    assert quick_shown is ref.quick  # the page drew the quick answer
    # it says the proof goes on exactly when the quick answer is not final
    assert ("proving its quality" in first) == (ref.quick.status not in refine.FINAL_STATUSES)
    final = ref.final(timeout=120)
    at.run()
    assert not at.exception
    shown = at.session_state[common.PLAN_SHOWN].solution
    text = next(c.value for c in at.caption if "upper bound" in c.value)
    assert shown is final and "proving its quality" not in text
    assert final.status in (*refine.FINAL_STATUSES, "time_limit", "gap_above_target")


def test_a_caller_gives_its_own_quick_deadline_unless_the_environment_sets_one(monkeypatch):
    seen = []

    def run(limit: float, starts: tuple) -> optimiser.Solution:
        seen.append(limit)
        return _sol("gap_ok")

    monkeypatch.delenv("PLANNER_PLAN_QUICK_S", raising=False)
    refine.answer(run, 2.5, quick_s=refine.QUICK_RESOLVE_S)
    refine.answer(run, 2.5)
    monkeypatch.setenv("PLANNER_PLAN_QUICK_S", "0.2")
    refine.answer(run, 2.5, quick_s=refine.QUICK_RESOLVE_S)
    monkeypatch.setenv("PLANNER_PLAN_QUICK_S", "0")
    refine.answer(run, 2.5, quick_s=refine.QUICK_RESOLVE_S)
    assert seen == [refine.QUICK_RESOLVE_S, refine.QUICK_S, 0.2, 2.5]
