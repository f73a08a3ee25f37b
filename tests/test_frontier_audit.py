"""Issue 18, "the frontier appears progressively": every point of optimiser.frontier_iter against brute force on
random small briefs (platform shares, measured overlaps, locks, kick-outs, a cap per placement, barter and hybrid
twins under a product budget), through enumeration and through the branch and bound rooted at a neighbour's
multipliers, the chords between weights and the closing; at a deadline already over; and on lists too large to
enumerate, against single solves."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from planner.planning import optimiser as opt
from tests.test_optimiser_audit import check_point, enumerate_plans, small_brief
from tests.test_sweep_audit import _giants

TL = 60.0  # generous: a loaded machine must not fail these (no timing is asserted)
WS = tuple(round(x / 10, 1) for x in range(11))
CERTIFIED = ("optimal", "gap_ok")


def _check(kw: dict, enum: tuple, sol: opt.Solution, norm: tuple[float, float], *, certified: bool) -> None:
    """One point against every plan of the brief: the plan meets it, its objective is its exact value with the
    frontier's normalisers, its bound is at least the optimum at its weight (and, ``certified``, it reached its gap
    target)."""
    w = sol.reach_weight
    assert sol.normalisers == norm
    check_point(kw, enum, sol, w, norm, f"at w={w}")
    if certified:
        assert sol.gap <= sol.gap_target and sol.status in CERTIFIED, (w, sol.gap, sol.status, sol.info)
    else:
        assert sol.status in (*CERTIFIED, "time_limit", "gap_above_target")


def _frontier_brute_force(seeds, *, time_limit: float = TL, with_start: bool = True, ordered: bool = False) -> dict:
    """Frontiers of random small briefs from a start plan at one of the weights (``with_start``; else from the
    problem's own pure runs), every point checked; what was used (trees, chords, closings, late points).
    ``ordered``: every point is solved at its first turn (exactly, when enumerated), so they come nearest first."""
    seen = {"briefs": 0, "points": 0, "nodes": 0, "chords": 0, "closed": 0, "late": 0, "no_plan": 0}
    for seed in seeds:
        kw, _ = small_brief(seed)
        enum = enumerate_plans(kw)
        _, ok, U, V = enum
        pb = opt.Problem(**kw)
        if not ok.any():
            with pytest.raises(opt.Infeasible):
                list(opt.frontier_iter(pb, WS, time_limit=TL))
            seen["no_plan"] += 1
            continue
        if with_start:
            # any positive normalisers keep every certificate valid: the brief's best values
            norm = (max(float(U[ok].max()), 1e-9), max(float(V[ok].max()), 1e-9))
            start = opt.solve(pb, WS[seed % len(WS)], normalisers=norm, time_limit=TL)
            got = list(opt.frontier_iter(pb, WS, start=start, time_limit=time_limit))
            assert got[0] is start  # the start's own point first, exactly as given
            if ordered:  # then the nearest weights first (the larger first between two as near)
                w0 = start.reach_weight
                assert [s.reach_weight for s in got] == sorted(WS, key=lambda x: (round(abs(x - w0), 9), -x))
        else:
            got = list(opt.frontier_iter(pb, WS, time_limit=time_limit))
            norm = got[0].normalisers
        assert sorted(s.reach_weight for s in got) == sorted(WS)  # every weight once
        for sol in got:
            _check(kw, enum, sol, norm, certified=time_limit == TL)
            seen["points"] += 1
            seen["nodes"] += sol.info.get("frontier_nodes", 0)
            seen["chords"] += bool(sol.info.get("frontier_chord"))
            seen["closed"] += "core" in sol.info or "giants_out" in sol.info
            seen["late"] += bool(sol.info.get("frontier_late"))
        seen["briefs"] += 1
    return seen


def test_frontier_brute_force_on_random_small_briefs():
    """120 briefs x 11 weights, small enough to be searched whole at every weight."""
    seen = _frontier_brute_force(range(120), ordered=True)
    assert seen["briefs"] > 80 and seen["no_plan"] > 0


@pytest.mark.slow
def test_frontier_brute_force_through_the_branch_and_bound(monkeypatch):
    """The same with enumeration off: each weight's root bound from its neighbour's scaled multipliers, the plans
    shared between weights, the branch and bound over dear candidates, the chords and the closing (the path of every
    list too large to enumerate). The test says that each of those was used."""
    monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    seen = _frontier_brute_force(range(1, 200, 6))
    ends = _frontier_brute_force(range(4, 200, 6), with_start=False)  # the pure runs' bounds anchor the chords
    assert seen["briefs"] > 20 and ends["briefs"] > 20
    assert seen["nodes"] + ends["nodes"] > 100  # the trees ran
    assert seen["chords"] + ends["chords"] > 0  # bounds from the weights on either side
    assert seen["closed"] + ends["closed"] > 0  # and the single solve's closing


def test_a_chord_of_bounds_is_a_bound():
    """The best value at a weight is convex in the weight: the chord of two weights' bounds (here their exact
    optima, the tightest bounds there are) bounds every plan between them, and the pure runs' bounds in people bound
    the ends (brute force on random small briefs, every weight of a fine grid)."""
    from planner.planning.optimiser import tradeoff
    from planner.planning.optimiser.context import _Deadline
    from planner.planning.optimiser.prep import _prep_of

    grid = np.linspace(0.0, 1.0, 41)
    checked = 0
    for seed in range(60):
        kw, _ = small_brief(seed)
        _, ok, U, V = enumerate_plans(kw)
        if not ok.any():
            continue
        pb = opt.Problem(**kw)
        norm = opt.normalisers(pb, time_limit=TL)  # the pure runs, kept on the problem: the ends' bounds
        best = [float((w * U / norm[0] + (1 - w) * V / norm[1])[ok].max()) for w in grid]
        fr = tradeoff._Frontier(pb, _prep_of(pb), norm[0], norm[1], 1e-4, _Deadline(TL))
        assert fr.ends is not None
        rng = np.random.default_rng(seed)
        for i in sorted(rng.choice(grid.size, size=3, replace=False)):
            fr.known[float(grid[i])] = tradeoff._Known(best[i])
        for w, b in zip(grid, best, strict=True):
            assert fr.chord(float(w)) >= b * (1 - 1e-9) - 1e-12
            checked += 1
    assert checked > 1000


def test_a_frontier_past_its_deadline_still_bounds_every_point(monkeypatch):
    """With no time at all, every weight still gets a plan of the brief and a valid bound (the best plan found so
    far, the chords and one Lagrangian evaluation), status "time_limit" where that is not within target; and with a
    little time, whatever mix of solved, held and late points it makes."""
    monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    seen = _frontier_brute_force(range(0, 120, 4), time_limit=0.0)
    assert seen["late"] > 100
    _frontier_brute_force(range(1, 120, 6), time_limit=0.05)  # some points solved, some held, some late


def test_frontier_without_a_start_and_with_known_points():
    """Without a start: the problem's own normalisers (its pure runs, the points at 0 and 1), every point against
    brute force. With known points: one with the start's normalisers and within target is given as it is; one with
    other normalisers only starts the search."""
    checked = 0
    for seed in range(40):
        kw, _ = small_brief(seed)
        enum = enumerate_plans(kw)
        if not enum[1].any():
            continue
        pb = opt.Problem(**kw)
        sols = opt.frontier(pb, WS, time_limit=TL)
        norm = sols[0].normalisers
        assert [s.reach_weight for s in sols] == list(WS)
        for sol in sols:
            _check(kw, enum, sol, norm, certified=True)
        start = sols[5]
        other = opt.solve(pb, 0.2, normalisers=norm, time_limit=TL)
        foreign = opt.solve(pb, 0.8, normalisers=(norm[0] * 2, norm[1]), time_limit=TL)
        got = {s.reach_weight: s for s in opt.frontier_iter(pb, WS, start=start, known=[other, foreign],
                                                              time_limit=TL)}
        assert got[0.5] is start and got[0.2] is other and got[0.8] is not foreign
        for sol in got.values():
            _check(kw, enum, sol, norm, certified=True)
        checked += 1
    assert checked > 25


def test_frontier_weights_are_checked():
    pb = opt.Problem(**small_brief(3)[0])
    with pytest.raises(opt.ProblemError):
        list(opt.frontier_iter(pb, [0.5, 1.5]))
    sols = opt.frontier(pb, [0.5, 0.5, 0.0], time_limit=TL)  # a weight asked twice gets the same point
    assert sols[0] is sols[1] and [s.reach_weight for s in sols] == [0.5, 0.5, 0.0]


@pytest.mark.parametrize("seed", range(3))
def test_frontier_points_against_single_solves_on_lists_with_dear_bloggers(seed):
    """A list too large to enumerate, where the Lagrangian bound alone is far above every plan: each point is a plan
    of the brief worth no more than a single solve's bound at its weight, and its bound is no less than the single
    solve's plan (both certified to 0.1 %, the same normalisers); the start is the point at its weight; the trees
    did the work."""
    pb = _giants(seed)
    start = opt.solve(pb, 0.5, gap_target=1e-3, time_limit=TL)
    norm = start.normalisers
    got = list(opt.frontier_iter(pb, WS, start=start, gap_target=1e-3, time_limit=TL))
    assert got[0] is start and sorted(s.reach_weight for s in got) == list(WS)
    nodes = 0
    for sol in got[1:]:
        w = sol.reach_weight
        single = opt.solve(dataclasses.replace(pb), w, normalisers=norm, gap_target=1e-3, time_limit=TL)
        assert sol.cost <= pb.budget * (1 + 1e-9)
        assert sol.objective <= single.upper_bound * (1 + 1e-9)
        assert sol.upper_bound >= single.objective * (1 - 1e-9)
        assert sol.status in CERTIFIED and sol.gap <= 1e-3
        assert len(np.unique(np.asarray(pb.blogger)[sol.chosen])) == sol.chosen.size  # one placement a blogger
        _, _, F = opt.evaluate(pb, sol.chosen, w, norm)
        assert F == pytest.approx(sol.objective, rel=1e-9)
        nodes += sol.info.get("frontier_nodes", 0)
    assert nodes > len(WS)
