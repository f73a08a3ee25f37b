"""Issue 17, "the budget sweep": every point of optimiser.budget_sweep against brute force on random small briefs
(platform shares, measured overlaps, locks, kick-outs, a cap per placement, barter and hybrid twins under a product
budget), through enumeration and through the branch and bound over dear candidates, the bounds shared between
budgets and the closing; and on briefs too large to enumerate, against single solves."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from planner.planning import optimiser as opt
from planner.planning.optimiser import sweep as sweep_mod
from tests.test_optimiser_audit import check_point, enumerate_plans, small_brief

TL = 60.0  # generous: a loaded machine must not fail these (no timing is asserted)
FACTORS = (0.35, 1.6, 0.7, 1.0, 1.25, 0.5)  # the sweep's budgets, x the brief's (deliberately not in order)


def _check_point(kw: dict, b: float, w: float, norm: tuple[float, float], sol: opt.Solution | None) -> str:
    """One point against every plan of the brief at budget ``b``: None exactly when no plan exists; otherwise the
    plan meets the brief there, its objective is its exact value, its bound is at least the optimum and it reached
    its gap target. Returns "none" or the point's status."""
    kb = {**kw, "budget": b}
    enum = enumerate_plans(kb)
    if not enum[1].any():
        assert sol is None, f"a plan at budget {b} where none exists"
        return "none"
    assert sol is not None, f"no plan at budget {b}, though one exists"
    check_point(kb, enum, sol, w, norm, f"at budget {b}")
    assert sol.gap <= sol.gap_target and sol.status in ("optimal", "gap_ok"), (b, sol.gap, sol.status, sol.info)
    return sol.status


def _sweep_brute_force(seeds) -> dict:
    """Sweeps of random small briefs at six budgets, every point checked (:func:`_check_point`); what was used."""
    seen = {"points": 0, "none": 0, "nodes": 0, "skipped": 0, "from_larger": 0, "with_minimum": 0}
    for seed in seeds:
        kw, _ = small_brief(seed)
        w = (0.0, 0.4, 1.0, 0.7, 0.5)[seed % 5]
        budgets = [kw["budget"] * f for f in FACTORS]
        # any positive normalisers keep every certificate valid: the largest budget's best values
        _, ok, U, V = enumerate_plans({**kw, "budget": max(budgets)})
        norm = (max(float(U[ok].max()), 1e-9), max(float(V[ok].max()), 1e-9)) if ok.any() else (1.0, 1.0)
        sols = opt.budget_sweep(opt.Problem(**kw), budgets, w, normalisers=norm, time_limit=TL)
        assert len(sols) == len(budgets)
        lower = any(lo for lo, _ in (kw.get("platform_bounds") or {}).values() if lo)
        for b, sol in zip(budgets, sols, strict=True):
            if _check_point(kw, b, w, norm, sol) == "none":
                seen["none"] += 1
                continue
            assert sol is not None
            seen["points"] += 1
            seen["nodes"] += sol.info.get("sweep_nodes", 0)
            seen["skipped"] += sol.info.get("sweep_nodes_skipped", 0)
            if sol.info.get("sweep_bound_from_larger_budget"):
                assert not lower, "a bound moved between budgets of a brief with a platform minimum share"
                seen["from_larger"] += 1
            seen["with_minimum"] += lower
    return seen


def test_sweep_brute_force_on_random_small_briefs():
    """120 briefs x 6 budgets, small enough to be searched whole at every budget."""
    seen = _sweep_brute_force(range(120))
    assert seen["points"] > 400 and seen["none"] > 0


@pytest.mark.slow
def test_sweep_brute_force_through_the_branch_and_bound(monkeypatch):
    """The same with enumeration off: each budget's bound, plans and branch and bound over its dear candidates,
    node bounds and trees moved down the curve, plans up it, and the closing (the path of every list too large to
    enumerate), with locks, shares, pairs and twins. The test says that each of those was used."""
    monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    seen = _sweep_brute_force(range(1, 240, 2))
    assert seen["points"] > 400
    assert seen["nodes"] > 300  # the trees ran
    assert seen["skipped"] > 0  # nodes dropped on a larger budget's bound of the same node
    assert seen["from_larger"] > 0  # points certified by a larger budget's bound
    assert seen["with_minimum"] > 0  # and briefs where no bound may move (a platform minimum share)


def _giants(seed: int, n: int = 120) -> opt.Problem:
    """A list like the shipped sample's, too large to enumerate: many small bloggers and a few dear ones that reach
    most of their pool (the Lagrangian bound takes a fraction of them and sits far above every plan)."""
    rng = np.random.default_rng(seed)
    P = 6
    blogger = np.sort(rng.integers(0, int(n * 0.7), size=n))
    pool = rng.integers(0, P, size=blogger.max() + 1)[blogger]
    platform = rng.integers(0, 3, size=blogger.max() + 1)[blogger]
    reach = np.exp(rng.normal(np.log(3_000), 0.8, size=n))
    cost = np.round(reach * rng.uniform(2.0, 4.0, size=n)) + 10
    pool_size = np.full(P, 400_000.0)
    big = rng.choice(n, size=5, replace=False)
    reach[big] = rng.uniform(150_000, 300_000, size=5)
    cost[big] = np.round(reach[big] * rng.uniform(0.25, 0.4, size=5))
    fit = rng.uniform(0.1, 1.0, size=n)
    return opt.Problem(cost=cost, reach=reach, fit=fit, pool=pool, blogger=blogger, platform=platform,
                       pool_size=pool_size, budget=float(np.sort(cost[big])[1] * 1.5))


@pytest.mark.parametrize("seed", range(3))
def test_sweep_points_against_single_solves_on_lists_with_dear_bloggers(seed):
    """Each point's plan is a plan of the brief at its budget worth no more than a single solve's bound there, and
    its bound is no less than the single solve's plan (both certified to 0.1 %); the trees did the work."""
    pb = _giants(seed)
    budgets = pb.budget * np.linspace(0.5, 2.0, 6)
    norm = opt.normalisers(pb, time_limit=TL)
    sols = opt.budget_sweep(pb, budgets, 0.5, normalisers=norm, gap_target=1e-3, time_limit=TL)
    nodes = 0
    for b, sol in zip(budgets, sols, strict=True):
        single = opt.solve(dataclasses.replace(pb, budget=float(b)), 0.5, normalisers=norm, gap_target=1e-3,
                           time_limit=TL)
        assert sol is not None
        assert sol.cost <= b * (1 + 1e-9)
        assert sol.objective <= single.upper_bound * (1 + 1e-9)
        assert sol.upper_bound >= single.objective * (1 - 1e-9)
        assert sol.status in ("optimal", "gap_ok") and sol.gap <= 1e-3
        assert len(np.unique(np.asarray(pb.blogger)[sol.chosen])) == sol.chosen.size  # one placement a blogger
        _, _, F = opt.evaluate(pb, sol.chosen, 0.5, norm)
        assert F == pytest.approx(sol.objective, rel=1e-9)
        nodes += sol.info.get("sweep_nodes", 0)
    assert nodes > len(budgets)


@pytest.mark.slow
def test_a_shifted_bound_is_a_bound(monkeypatch):
    """The bound a tree gives a smaller budget (its nodes' bounds moved down by lam x the difference) is at least
    that budget's optimum, on random small briefs without platform minimums (brute force)."""
    monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    trees: list = []  # the points of the last sweep (after it ran: their trees as they ended)
    real = sweep_mod._first_pass

    def keep(*a, **k):
        pts = real(*a, **k)
        trees.extend(pts.values())
        return pts

    monkeypatch.setattr(sweep_mod, "_first_pass", keep)
    checked = 0
    for seed in range(60):
        kw, _ = small_brief(seed)
        if any(lo for lo, _ in (kw.get("platform_bounds") or {}).values() if lo):
            continue
        trees.clear()
        budgets = [kw["budget"] * f for f in (0.5, 1.0, 1.5)]
        opt.budget_sweep(opt.Problem(**kw), budgets, 0.5, normalisers=(1.0, 1.0), time_limit=TL)
        for top in trees:
            if top.tree is None or top.tree.sig is None:
                continue
            for pt in trees:
                if pt.b > top.b or pt.tree is None or pt.tree.sig != top.tree.sig:
                    continue
                _, ok, U, V = enumerate_plans({**kw, "budget": pt.b})
                if ok.any():
                    assert top.tree.shifted(pt.b) >= float((0.5 * U + 0.5 * V)[ok].max()) * (1 - 1e-9) - 1e-12
                    checked += 1
    assert checked > 50


def test_the_benchmark_solves_the_sweep_with_the_pages_time_limits():
    """planner.bench.scenarios measures the Scenarios page's figure with the page's own time limits and scenario."""
    import re
    from pathlib import Path

    from planner.bench import scenarios as bench
    from planner.planning import scenarios as scen

    page = (Path(__file__).resolve().parents[1] / "pages" / "scenarios.py").read_text(encoding="utf-8")
    for name, value in (("PLAN_TIME_S", bench.PAGE_PLAN_S), ("CURVE_TIME_S", bench.PAGE_CURVE_S)):
        found = re.search(rf"^{name} = ([0-9.]+)", page, re.MULTILINE)
        assert found and float(found.group(1)) == value, name
    budget = re.search(r"^DEFAULT_BUDGET_RUB = ([0-9_.]+)", page, re.MULTILINE)
    sc = bench.page_scenario()
    assert budget and sc.budget == float(budget.group(1).replace("_", ""))
    assert sc.brief.reach_weight == 0.5 and not sc.brief.niches and not sc.brief.platforms
    assert sc.sweep.points == scen.DEFAULT_POINTS and list(sc.sweep.budgets(sc.budget)[[0, -1]]) == [750_000, 3_000_000]
