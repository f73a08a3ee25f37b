"""Issue 17, "a solver that never breaks and locks that help": brute force on random small briefs (platform shares,
measured overlaps, locks, kick-outs, barter and hybrid twins) and one regression test per defect of the audit."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from planner.estimates import metrics
from planner.planning import optimiser as opt
from planner.planning import plan
from planner.planning import reach as R

TL = 60.0  # generous: a loaded machine must not fail these (no timing is asserted)


# ---- random small briefs and their enumeration ------------------------------------------------------------------
def small_brief(seed: int) -> tuple[dict, int | None]:
    """A random brief of 5-9 candidates: 3-6 bloggers with one or two formats, some with a barter (product only) or
    hybrid (a smaller fee and product) twin of their first format under a product budget, one or two pools (a small
    one now and then, where measured overlaps below the model's would take a pool above its size), platform
    shares, measured overlaps, a kick-out, a cap per placement and a locked blogger. Returns (Problem fields, the
    locked blogger or None)."""
    rng = np.random.default_rng(seed)
    nb, P = int(rng.integers(3, 7)), int(rng.integers(1, 3))
    b_plat, b_pool = rng.integers(0, 2, size=nb), rng.integers(0, P, size=nb)
    rows: list[list[float]] = []  # blogger, platform, pool, cost, reach, fit, units
    for b in range(nb):
        nf = int(rng.integers(1, 3))
        for _ in range(nf):
            r = float(np.exp(rng.normal(np.log(3000), 0.8)))
            rows.append([b, b_plat[b], b_pool[b], float(round(r * rng.uniform(0.5, 1.6)) + 10), r,
                         float(rng.uniform(0.1, 1)), 0.0])
        if rng.random() < 0.35:
            twin = list(rows[-nf])
            if rng.random() < 0.5:
                twin[3], twin[4], twin[6] = 0.0, twin[4] * 0.8, float(rng.integers(1, 3))  # barter
            else:
                twin[3], twin[4], twin[6] = float(round(twin[3] * 0.5)), twin[4] * 0.9, 1.0  # hybrid
            rows.append(twin)
    arr = np.array(rows[:9])
    while arr.shape[0] < 5:  # at least five candidates: one more format of the last blogger
        extra = arr[-1].copy()
        extra[3], extra[4], extra[6] = extra[3] * 1.7 + 10, extra[4] * 1.3, 0.0
        arr = np.vstack([arr, extra])
    n = arr.shape[0]
    blogger, platform, pool = arr[:, 0].astype(int), arr[:, 1].astype(int), arr[:, 2].astype(int)
    cost, reach, fit, units = arr[:, 3], arr[:, 4], arr[:, 5], arr[:, 6]
    most = np.zeros(P)
    np.maximum.at(most, pool, reach)
    small = 0.4 if rng.random() < 0.4 else 1.0
    pool_size = np.maximum(rng.uniform(0.3, 1.0, P) * np.bincount(pool, weights=reach, minlength=P) * small,
                           1.1 * most) + 50
    paid = cost[cost > 0]
    kw: dict = dict(cost=cost, reach=reach, fit=fit, pool=pool, blogger=blogger, platform=platform,
                    pool_size=pool_size, budget=float(paid.sum() * rng.uniform(0.25, 0.7)) if paid.size else 1000.0)
    if np.any(units > 0):
        kw.update(units=units, units_budget=float(rng.integers(0, 4)))
    if rng.random() < 0.6:
        k, kind = int(rng.integers(0, 2)), int(rng.integers(0, 3))
        kw["platform_bounds"] = {k: [(float(rng.uniform(0.05, 0.5)), None), (None, float(rng.uniform(0.2, 0.7))),
                                     (float(rng.uniform(0.0, 0.3)), float(rng.uniform(0.4, 0.9)))][kind]}
    if rng.random() < 0.5:
        pairs = []
        for _ in range(int(rng.integers(1, 4))):
            i, j = rng.choice(n, size=2, replace=False)
            if blogger[i] != blogger[j]:
                pairs.append((int(i), int(j), float(rng.uniform(0, 0.6) if rng.random() < 0.7 else rng.uniform(0, 1))))
        kw["overlaps"] = pairs or None
    if rng.random() < 0.3:
        kw["must_out"] = [int(rng.integers(0, n))]
    if rng.random() < 0.2:
        kw["max_share"] = float(rng.uniform(0.3, 0.8))
    lock = None
    if rng.random() < 0.5:
        lock = int(rng.choice(np.unique(blogger)))
        kw["must_bloggers"] = [lock]
    return kw, lock


def enumerate_plans(kw: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every subset of candidates, whether it meets the brief, and its exact unique reach and niche value
    (planner.planning.reach, independently of the solver): (masks, ok, U, V)."""
    n = len(kw["cost"])
    masks = ((np.arange(2 ** n)[:, None] >> np.arange(n)) & 1).astype(bool)
    cost, B = np.asarray(kw["cost"], float), kw["budget"]
    bl, plat = np.asarray(kw["blogger"]), np.asarray(kw["platform"])
    ok = masks @ cost <= B * (1 + 1e-9)
    for b in np.unique(bl):
        taken = masks[:, bl == b].sum(axis=1)
        ok &= taken == 1 if b in kw.get("must_bloggers", ()) else taken <= 1
    for j in kw.get("must_out", ()):
        ok &= ~masks[:, j]
    if kw.get("max_share") is not None:
        ok &= ~masks[:, cost > kw["max_share"] * B * (1 + 1e-12)].any(axis=1)
    if kw.get("units") is not None:
        ok &= masks @ np.asarray(kw["units"], float) <= kw["units_budget"] + 1e-9
    for k, (lo, hi) in (kw.get("platform_bounds") or {}).items():
        spend = masks[:, plat == k] @ cost[plat == k]
        ok &= (spend >= (lo or 0) * B * (1 - 1e-9)) & (spend <= (1 if hi is None else hi) * B * (1 + 1e-9))
    r, f, pool = np.asarray(kw["reach"], float), np.asarray(kw["fit"], float), np.asarray(kw["pool"])
    U, V = np.zeros(len(masks)), np.zeros(len(masks))
    for t in np.flatnonzero(ok):
        idx = np.flatnonzero(masks[t])
        loc = {int(j): i for i, j in enumerate(idx)}
        pairs = [(loc[a], loc[b], o) for a, b, o in kw.get("overlaps") or () if a in loc and b in loc] or None
        U[t] = R.unique_reach(r[idx], pool[idx], kw["pool_size"], pairs)
        V[t] = R.niche_value(r[idx], f[idx], pool[idx], kw["pool_size"], pairs)
    return masks, ok, U, V


def check_point(kw: dict, enum: tuple, sol: opt.Solution, w: float, norm: tuple[float, float], where: str) -> None:
    """A plan at weight ``w`` (normalisers ``norm``) against every plan of the brief (``enumerate_plans``): it
    meets the brief, its objective and unique reach are their exact values, its bound is at least the optimum, it is
    within its stated gap of it, and every locked blogger is in it; ``where`` names the point in a failure."""
    masks, ok, U, V = enum
    F = w * U / norm[0] + (1 - w) * V / norm[1]
    best = float(F[ok].max())
    idx = int(np.flatnonzero((masks == np.isin(np.arange(masks.shape[1]), sol.chosen)).all(axis=1))[0])
    assert ok[idx], f"the plan {where} breaks the brief"
    assert sol.objective == pytest.approx(F[idx], rel=1e-7, abs=1e-12)
    assert sol.unique_reach == pytest.approx(U[idx], rel=1e-7, abs=1e-6)
    assert sol.upper_bound >= best * (1 - 1e-9) - 1e-12, f"the bound {where} is below the optimum"
    assert sol.objective >= best * (1 - sol.gap) - 1e-12
    assert set(kw.get("must_bloggers", ())) <= set(np.asarray(kw["blogger"])[sol.chosen].tolist())


def _check(kw: dict, masks: np.ndarray, ok: np.ndarray, F: np.ndarray, sol: opt.Solution) -> float:
    """The plan meets the brief, its objective is its exact value, within its stated gap of the enumerated optimum,
    its bound is at least that optimum, and every locked blogger is in it. Returns the optimum."""
    best = float(F[ok].max())
    idx = int(np.flatnonzero((masks == np.isin(np.arange(masks.shape[1]), sol.chosen)).all(axis=1))[0])
    assert ok[idx], "the plan breaks the brief"
    assert sol.objective == pytest.approx(F[idx], rel=1e-7, abs=1e-12)
    assert sol.upper_bound >= best * (1 - 1e-9)
    assert sol.objective >= best * (1 - sol.gap) - 1e-12
    assert sol.status == "optimal", (sol.gap, sol.info)
    booked = set(np.asarray(kw["blogger"])[sol.chosen].tolist())
    assert set(kw.get("must_bloggers", ())) <= booked
    return best


def _brute_force(seeds) -> int:
    solved = 0
    for seed in seeds:
        kw, _ = small_brief(seed)
        masks, ok, U, V = enumerate_plans(kw)
        w = (0.0, 0.4, 1.0, 0.7)[seed % 4]
        if not ok.any():  # no plan: the solver says so, and it is a proof
            with pytest.raises(opt.Infeasible) as info:
                opt.solve(opt.Problem(**kw), w, normalisers=(1.0, 1.0), time_limit=TL)
            assert info.value.proven and type(info.value) is opt.Infeasible
            continue
        Us, Vs = max(U[ok].max(), 1e-9), max(V[ok].max(), 1e-9)
        F = w * U / Us + (1 - w) * V / Vs
        sol = opt.solve(opt.Problem(**kw), w, normalisers=(Us, Vs), time_limit=TL)
        best = _check(kw, masks, ok, F, sol)
        solved += 1
        # lock a blogger of the unlocked optimum: the optimum stays a plan, so the objective never drops
        top = int(np.flatnonzero(ok)[np.argmax(F[ok])])
        in_top = np.unique(np.asarray(kw["blogger"])[masks[top]])
        if in_top.size:
            b = int(in_top[seed % in_top.size])
            kw2 = {**kw, "must_bloggers": sorted({*kw.get("must_bloggers", ()), b})}
            ok2 = ok & (masks[:, np.asarray(kw["blogger"]) == b].sum(axis=1) == 1)
            locked = opt.solve(opt.Problem(**kw2), w, normalisers=(Us, Vs), time_limit=TL)
            assert _check(kw2, masks, ok2, F, locked) == pytest.approx(best)
            assert locked.objective >= best * (1 - opt.GAP_OPTIMAL)
    return solved


def test_brute_force_on_random_small_briefs():
    """200 briefs, the plans every solve returns against enumeration (small briefs are searched whole)."""
    assert _brute_force(range(200)) > 150


def test_brute_force_through_the_bound_heuristics_and_milp(monkeypatch):
    """The same briefs with enumeration off: the Lagrangian bound, the heuristics, the dual branching and the MILP
    (the path every brief of more than a few thousand plans takes) with locks, shares, pairs and twins."""
    monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    assert _brute_force(range(0, 200, 4)) > 35


def test_brute_force_through_the_tree_before_the_closing(monkeypatch):
    """The same briefs, enumeration off, on the path a single solve takes when its heuristics leave a gap: the
    branch and bound over dear candidates (optimiser.tree, shared with the sweep and the frontier), then the closing.
    Every plan and bound checked by enumeration, and the tree proven to have run (no measured pairs there)."""
    monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    grown: list[int] = []
    real = opt.tree._Point.grow

    def grow(self, dl, cap=opt.tree._MAX_NODES):
        real(self, dl, cap)
        grown.append(self.tree.nodes if self.tree is not None else 0)

    monkeypatch.setattr(opt.tree._Point, "grow", grow)
    assert _brute_force(range(1, 400, 4)) > 70
    assert sum(1 for n in grown if n > 0) >= 30, grown


# ---- 1. a feasible brief never raises -----------------------------------------------------------------------------
def _five_bloggers() -> opt.Problem:
    """Five bloggers, one platform with a minimum share of 14 %: a probe forcing in the candidate costing 89 % of
    the budget (cost 30 750 of 34 625) leaves no plan that meets the share, once crashed the multiplier search."""
    return opt.Problem(cost=np.array([36_240.0, 1_868, 7_433, 30_750, 5_349, 2_457, 8_232, 2_535]),
                       reach=np.array([31_831.0, 1_579, 4_049, 14_790, 3_000, 1_904, 5_098, 1_972]),
                       fit=np.array([0.48, 0.92, 0.38, 0.4, 0.12, 0.95, 0.55, 0.12]), pool=np.zeros(8, int),
                       blogger=np.array([0, 0, 1, 2, 3, 3, 3, 4]), platform=np.array([1, 1, 2, 2, 1, 1, 1, 0]),
                       pool_size=np.array([62_470.0]), budget=34_625.0, platform_bounds={1: (0.14, None)})


@pytest.mark.parametrize("enumerate_", [True, False], ids=["enumerated", "bound_and_probes"])
def test_a_probe_that_leaves_no_plan_is_dropped_not_raised(monkeypatch, enumerate_):
    if not enumerate_:
        monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    pb = _five_bloggers()
    kw = {k: getattr(pb, k) for k in ("cost", "reach", "fit", "pool", "blogger", "platform", "pool_size", "budget",
                                      "platform_bounds")}
    masks, ok, U, V = enumerate_plans(kw)
    for w in (0.8, 0.0, 1.0):
        F = w * U / U[ok].max() + (1 - w) * V / V[ok].max()
        sol = opt.solve(opt.Problem(**kw), w, normalisers=(U[ok].max(), V[ok].max()), time_limit=TL)
        _check(kw, masks, ok, F, sol)
    assert opt.solve(pb, 0.8, time_limit=TL).status == "optimal"


# ---- 2. a lock books the blogger; the optimiser chooses the deal and the format ----------------------------------
def _instagram(rows: list[dict]) -> pd.DataFrame:
    base = {"platform": "instagram", "country": "RU", "niches": "beauty", "credibility": 0.9, "currency": "RUB",
            "followers": 40_000, "audience_countries": "RU:1.0"}
    df = pd.DataFrame([{**base, **r} for r in rows])
    df.insert(0, "id", np.arange(1, len(df) + 1))
    return metrics.enrich(df)


def test_locking_the_only_blogger_keeps_their_post():
    """A post reaching 6 000 for 10 000, a story reaching 1 500 for 2 000 (more reach per cost): locked, the blogger
    keeps the post, as unlocked, and the plan is still the optimum (a lock once booked the story)."""
    df = _instagram([{"handle": "anna", "price_post": 10_000.0, "price_story": 2_000.0, "avg_reach": 6_000.0,
                      "avg_story_reach": 1_500.0}])
    free = plan.Brief(budget=12_000, niche_mode="prefer", reach_weight=1.0)
    locked = plan.Brief(budget=12_000, niche_mode="prefer", reach_weight=1.0, must_include=(1,))
    c0 = plan.build_candidates(df, free)
    s0 = plan.solve(c0, free, time_limit=TL)
    c1 = plan.build_candidates(df, locked)
    s1 = plan.resolve(c1, locked, previous=s0, previous_brief=free, previous_candidates=c0, time_limit=TL)
    for c, s in ((c0, s0), (c1, s1)):
        assert c.frame["format"].iloc[s.chosen].tolist() == ["post"]
        assert s.unique_reach == pytest.approx(6_000) and s.status == "optimal"
    assert s1.objective == pytest.approx(s0.objective)


def test_a_locked_barter_blogger_stays_barter_in_a_mixed_plan():
    """Mixed plans: every blogger of the unlocked plan, locked, keeps their deal (barter, hybrid or paid) and the
    plan its unique reach (a lock once made a barter blogger paid, cutting unique reach from 6 900 to 4 700)."""
    from tests.test_barter import _mixed_frame

    df = _mixed_frame()
    brief = plan.Brief(budget=12_000, niches=("beauty",), niche_mode="prefer", formats=("post",), product_units=2,
                       product_cost=500, product_retail=6_000, product_shipping=200)
    c0 = plan.build_candidates(df, brief)
    s0 = plan.solve(c0, brief, time_limit=TL)
    deals = dict(zip(c0.frame["id"].iloc[s0.chosen], c0.frame["deal"].iloc[s0.chosen], strict=True))
    assert set(deals.values()) - {"paid"}, "the example needs a barter or hybrid deal in the plan"
    for bid, deal in deals.items():
        nb = dataclasses.replace(brief, must_include=(int(bid),))
        c1 = plan.build_candidates(df, nb)
        s1 = plan.resolve(c1, nb, previous=s0, previous_brief=brief, previous_candidates=c0, time_limit=TL)
        got = dict(zip(c1.frame["id"].iloc[s1.chosen], c1.frame["deal"].iloc[s1.chosen], strict=True))
        assert got.get(bid) == deal
        assert s1.status == "optimal"
        assert s1.objective >= s0.objective * (1 - opt.GAP_OPTIMAL)
        assert s1.unique_reach == pytest.approx(s0.unique_reach, rel=1e-6)


def test_a_lock_is_one_candidate_of_the_blogger_and_its_reasons():
    """A locked blogger left with one candidate (the others kicked out or above the cap) books it; with none left
    the brief says why, as for a must-have placement."""
    base = dict(cost=np.array([5_000.0, 1_000, 4_000, 3_000]), reach=np.array([9_000.0, 1_500, 5_000, 4_000]),
                fit=np.array([0.5, 0.5, 0.6, 0.7]), pool=np.zeros(4, int), blogger=np.array([7, 7, 8, 9]),
                platform=np.zeros(4, int), pool_size=np.array([60_000.0]), budget=6_000.0, must_bloggers=[7])
    sol = opt.solve(opt.Problem(**base), 1.0, time_limit=TL)
    assert 0 in sol.chosen  # the post of blogger 7, not the cheaper story
    sol = opt.solve(opt.Problem(**{**base, "must_out": [0]}), 1.0, time_limit=TL)
    assert 1 in sol.chosen
    with pytest.raises(opt.Infeasible) as info:
        opt.solve(opt.Problem(**{**base, "must_out": [0, 1]}), 1.0, time_limit=TL)
    assert info.value.code == "must_and_excluded"
    with pytest.raises(opt.Infeasible) as info:
        opt.solve(opt.Problem(**{**base, "max_share": 0.1}), 1.0, time_limit=TL)
    assert info.value.code == "must_above_cap"
    with pytest.raises(opt.Infeasible) as info:
        opt.solve(opt.Problem(**{**base, "budget": 900.0}), 1.0, time_limit=TL)
    assert info.value.code == "budget_below_musts"
    with pytest.raises(opt.ProblemError):
        opt.solve(opt.Problem(**{**base, "must_bloggers": [3]}), 1.0, time_limit=TL)


def test_a_locked_blogger_with_nothing_to_book_is_said_not_dropped():
    """A locked blogger with no quoted price for the allowed formats has no placement: the brief says so (a lock was
    silently dropped before), and with estimated prices allowed the blogger is planned."""
    from planner.core.i18n import error_text

    df = _instagram([{"handle": "anna", "price_post": 10_000.0, "avg_reach": 6_000.0},
                     {"handle": "bella", "avg_reach": 5_000.0}])  # no quoted price at all
    brief = plan.Brief(budget=50_000, niche_mode="prefer", must_include=(2,))
    with pytest.raises(plan.BriefError) as info:
        plan.build_candidates(df, brief)
    assert info.value.code == "must_unpriced" and "@bella" in str(info.value)
    assert "@bella" in error_text(info.value, "ru") and "нечего заказать" in error_text(info.value, "ru")
    brief = dataclasses.replace(brief, allow_estimated_prices=True)
    cands = plan.build_candidates(df, brief)
    sol = plan.solve(cands, brief, time_limit=TL)
    assert 2 in set(cands.frame["id"].iloc[sol.chosen])


# ---- 3. "infeasible" only when proven ---------------------------------------------------------------------------
def _shares_clash(**kw) -> opt.Problem:
    """Platform 0's candidates cost 70 % of the budget, platform 1's 35 %: each minimum share alone can be met,
    both together cannot (no check before the search sees it)."""
    d = dict(cost=np.array([700.0, 710, 350, 360]), reach=np.array([5_000.0, 5_100, 2_000, 2_100]),
             fit=np.full(4, 0.5), pool=np.zeros(4, int), blogger=np.arange(4), platform=np.array([0, 0, 1, 1]),
             pool_size=np.array([50_000.0]), budget=1_000.0, platform_bounds={0: (0.6, None), 1: (0.3, None)})
    d.update(kw)
    return opt.Problem(**d)


@pytest.mark.parametrize("enumerate_", [True, False], ids=["enumerated", "milp"])
def test_infeasible_is_said_only_when_proven(monkeypatch, enumerate_):
    if not enumerate_:
        monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    with pytest.raises(opt.Infeasible) as info:
        opt.solve(_shares_clash(), 0.5, time_limit=TL)
    assert info.value.code == "budget_and_shares" and info.value.proven
    assert type(info.value) is opt.Infeasible


def test_no_plan_in_time_is_not_infeasible(monkeypatch):
    """When the heuristics find no plan and the deadline stops the exact search, the answer is "no plan found in
    the time", never "infeasible"; given the time, the exact search finds the plan."""
    from planner.core.i18n import error_text
    from planner.planning.optimiser import driver

    monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    monkeypatch.setattr(driver, "_repair", lambda *a, **k: False)  # the heuristics never find a plan
    kw = {k: getattr(_shares_clash(), k) for k in ("reach", "fit", "pool", "blogger", "platform", "pool_size",
                                                   "budget", "platform_bounds")}
    kw["cost"] = np.array([600.0, 610, 350, 360])  # now 600-610 and 350-360 fit both minimums together
    with pytest.raises(opt.NoPlanInTime) as info:
        opt.solve(opt.Problem(**kw), 0.5, time_limit=1e-4)
    exc = info.value
    assert isinstance(exc, opt.Infeasible) and not exc.proven and exc.code == "time_limit"
    assert "found" in error_text(exc, "en") and "infeasible" not in error_text(exc, "en")
    assert "не найден" in error_text(exc, "ru")
    masks, ok, U, V = enumerate_plans(kw)
    sol = opt.solve(opt.Problem(**kw), 0.5, normalisers=(U[ok].max(), V[ok].max()), time_limit=TL)
    _check(kw, masks, ok, 0.5 * U / U[ok].max() + 0.5 * V / V[ok].max(), sol)


def test_the_heuristics_meet_a_minimum_share_only_a_dear_placement_can_meet(monkeypatch):
    """Platform 0 must take 12 % of the budget; its bloggers already in the plan have no dearer format and the only
    other placement there costs 69 % of the budget: the repair takes it and makes room for it (once it gave up, and
    a short deadline said "infeasible")."""
    from planner.bench.plan import make_problem
    from planner.planning.optimiser import driver, primal
    from planner.planning.optimiser.bound import _bound
    from planner.planning.optimiser.context import _Ctx, _Deadline, _Obj
    from planner.planning.optimiser.prep import _prep_of

    monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    rng = np.random.default_rng(272)
    n = int(rng.integers(20, 600))
    ks = rng.choice(6, size=int(rng.integers(1, 4)), replace=False)
    bounds = {int(k): (float(rng.uniform(0.05, 0.35)), None) for k in ks}
    pb = make_problem(n, seed=272, budget_share=float(rng.uniform(0.01, 0.1)), platform_bounds=bounds)
    prep = _prep_of(pb)
    ctx = _Ctx(prep, _Obj(prep, 1.0, 1.0, 1.0), _Deadline(TL))
    bd = _bound(ctx, None)
    st = primal._State(ctx, bd.relaxed)  # the bound's own choice: platform 0 below its minimum
    assert st.spendk[0] < prep.Lres[0]
    assert primal._repair(ctx, st, np.union1d(bd.cand, st.items()))
    assert st.feasible()
    run = driver._solve_w(pb, prep, 1.0, 1.0, 1.0, opt.GAP_LARGE, _Deadline(TL), close=False)
    spend = run.sol.platform_spend
    for k, (lo, _) in pb.platform_bounds.items():
        assert spend.get(k, 0.0) >= lo * pb.budget * (1 - 1e-9)
    assert run.sol.cost <= pb.budget * (1 + 1e-9)


# ---- 4. solving again after "infeasible" -------------------------------------------------------------------------
@pytest.mark.parametrize("enumerate_", [True, False], ids=["enumerated", "milp"])
def test_solving_again_after_infeasible_raises_the_same(monkeypatch, enumerate_):
    if not enumerate_:
        monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    for pb, code in ((_shares_clash(), "budget_and_shares"),
                     (_shares_clash(must_in=[0, 1], blogger=np.array([0, 1, 2, 3])), "budget_below_musts")):
        for _ in range(3):  # the Plan page solves the same problem again on its next rerun
            with pytest.raises(opt.Infeasible) as info:
                opt.solve(pb, 0.5, time_limit=TL)
            assert info.value.code == code
        with pytest.raises(opt.Infeasible):
            opt.normalisers(pb, time_limit=TL)


# ---- 5. no figure above its pool ----------------------------------------------------------------------------------
def test_unique_reach_never_exceeds_its_pool():
    """Two placements of 4 000 and 3 500 people in a pool of 5 322 with a measured overlap of 0: the model alone
    gives 4 869, the measured pair 7 500; the figure is the pool, 5 322 (it once came out at 6 237)."""
    assert R.unique_reach([4_000.0, 3_500], [0, 0], [5_322.0], [(0, 1, 0.0)]) == pytest.approx(5_322)
    assert R.reach_curve([4_000.0, 3_500], [0, 0], [5_322.0], overlaps=[(0, 1, 0.0)]).sum() == pytest.approx(5_322)
    assert R.niche_value([4_000.0, 3_500], [1.0, 1.0], [0, 0], [5_322.0], [(0, 1, 0.0)]) == pytest.approx(5_322)
    df = _instagram([{"handle": h, "price_post": p, "avg_reach": r} for h, p, r in
                     (("a", 4_000.0, 4_000.0), ("b", 3_600.0, 3_500.0), ("c", 3_000.0, 2_000.0))])
    brief = plan.Brief(budget=20_000, niche_mode="prefer", reach_weight=1.0, formats=("post",),
                       pool_sizes={"beauty/RU": 5_322}, overlaps=((1, 2, 0.0), (1, 3, 0.0), (2, 3, 0.0)))
    cands = plan.build_candidates(df, brief)
    assert cands.pool_sizes == {"beauty/RU": 5_322}
    sol = plan.solve(cands, brief, time_limit=TL)
    result = plan.describe(cands, sol, brief, df)
    assert sol.unique_reach <= 5_322 * (1 + 1e-12) and result.totals["unique_reach"] <= 5_322 * (1 + 1e-12)
    assert result.placements["unique_reach_added"].sum() == pytest.approx(result.totals["unique_reach"])
    assert result.totals["niche_value"] <= 5_322 * (1 + 1e-12)
    assert sol.status == "optimal"


@pytest.mark.parametrize("seed", range(3))
def test_the_milp_caps_pools_too(monkeypatch, seed):
    """Briefs whose measured overlaps take a small pool above its size, through the bound and the MILP: the plan is
    the enumerated optimum of the capped objective."""
    monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    rng = np.random.default_rng(40 + seed)
    n = 7
    reach = rng.uniform(2_000, 4_000, size=n)
    kw = dict(cost=np.round(reach * rng.uniform(0.6, 1.4, size=n)), reach=reach, fit=rng.uniform(0.3, 1, size=n),
              pool=np.zeros(n, int), blogger=np.arange(n), platform=np.zeros(n, int), pool_size=np.array([6_000.0]),
              budget=float(reach.sum() * 0.5), overlaps=[(i, j, 0.02) for i in range(n) for j in range(i + 1, n)])
    masks, ok, U, V = enumerate_plans(kw)
    assert U[ok].max() <= 6_000 * (1 + 1e-12)
    for w in (1.0, 0.5):
        F = w * U / U[ok].max() + (1 - w) * V / V[ok].max()
        sol = opt.solve(opt.Problem(**kw), w, normalisers=(U[ok].max(), V[ok].max()), time_limit=TL)
        _check(kw, masks, ok, F, sol)


# ---- 6. the MILP's cut loop uses the time left; normalisers_certified means it --------------------------------------
def _twelve_with_pairs() -> opt.Problem:
    rng = np.random.default_rng(23)
    n = 12
    pool = rng.integers(0, int(rng.integers(1, 3)), size=n)
    reach = np.exp(rng.normal(np.log(3000), 0.7, size=n))
    cost = np.round(reach * rng.uniform(0.5, 1.5, size=n)) + 10
    P = int(pool.max()) + 1
    most = np.zeros(P)
    np.maximum.at(most, pool, reach)
    size = np.maximum(rng.uniform(0.3, 1.0, P) * np.bincount(pool, weights=reach, minlength=P), 1.2 * most) + 100
    pairs = []
    for _ in range(int(rng.integers(4, 15))):
        i, k = rng.choice(n, size=2, replace=False)
        pairs.append((int(i), int(k), float(rng.uniform(0, 1))))
    return opt.Problem(cost=cost, reach=reach, fit=rng.uniform(0, 1, n), pool=pool, blogger=np.arange(n),
                       platform=np.zeros(n, int), pool_size=size, budget=float(cost.sum() * 0.45), overlaps=pairs)


def test_twelve_candidates_with_measured_pairs_are_solved_to_optimality():
    """12 candidates with 11 measured pairs (the audit's brief had a 17.2 % gap after 8 rounds of cuts)."""
    sol = opt.solve(_twelve_with_pairs(), 0.72, time_limit=TL)
    assert sol.status == "optimal" and sol.info["normalisers_certified"]


def test_the_cut_loop_runs_until_the_model_is_exact(monkeypatch):
    monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    pb = _twelve_with_pairs()
    sol = opt.solve(pb, 0.72, time_limit=TL)
    assert sol.status == "optimal" and sol.info["normalisers_certified"]
    assert sol.info.get("milp_converged", True)
    masks, ok, U, V = enumerate_plans({k: getattr(pb, k) for k in ("cost", "reach", "fit", "pool", "blogger",
                                                                    "platform", "pool_size", "budget", "overlaps")})
    Us, Vs = sol.normalisers
    assert sol.objective >= (0.72 * U / Us + 0.28 * V / Vs)[ok].max() * (1 - opt.GAP_OPTIMAL)


def test_normalisers_are_certified_only_within_their_target(monkeypatch):
    """Closing cut short (one MILP round, as when the loop stopped after a fixed number of rounds): the pure runs end
    above their gap target and ``normalisers_certified`` says false."""
    from planner.planning.optimiser import closing, milp

    monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    monkeypatch.setattr(opt, "_GIANT", 2.0)  # no dual branching: the MILP alone would have to close the gap
    real = milp._region_milp
    monkeypatch.setattr(closing, "_region_milp", lambda *a, **k: real(*a, **{**k, "kelley": 1}))
    sol = opt.solve(_twelve_with_pairs(), 0.72, time_limit=TL)
    assert sol.info["normalisers_certified"] is False
    assert sol.unique_reach_bound is not None and sol.unique_reach_bound >= sol.info["unique_reach_max"]


# ---- 7. extra time buys gap: a plan built around a dear placement without closing ----------------------------------
def test_heuristics_reach_a_plan_built_around_a_dear_candidate():
    """One placement worth most of the budget, and many small ones: the best plan takes the dear one, which no swap
    of one small placement for another reaches from a plan of small ones. The bound and heuristics alone (no closing:
    the first thing a short deadline gets) find it."""
    from planner.planning.optimiser import driver
    from planner.planning.optimiser.context import _Deadline
    from planner.planning.optimiser.prep import _prep_of

    n = 40
    rng = np.random.default_rng(5)
    reach = np.r_[35_000.0, rng.uniform(1_000, 2_000, n - 1)]
    cost = np.r_[80_000.0, reach[1:] * rng.uniform(0.9, 1.1, n - 1)]  # the small ones: more reach per cost at first
    pb = opt.Problem(cost=cost, reach=reach, fit=np.full(n, 0.5), pool=np.r_[0, np.ones(n - 1, int)],
                     blogger=np.arange(n), platform=np.zeros(n, int), pool_size=np.array([200_000.0, 30_000.0]),
                     budget=100_000.0)
    prep = _prep_of(pb)
    quick = driver._solve_w(pb, prep, 1.0, 1.0, 1.0, opt.GAP_OPTIMAL, _Deadline(TL), close=False)
    full = opt.solve(pb, 1.0, normalisers=(1.0, 1.0), time_limit=TL)
    assert 0 in full.chosen and full.status == "optimal"
    assert 0 in quick.sol.chosen  # without it the plan of small ones reached about half (25 850 against 50 389)
    assert quick.sol.objective >= full.objective * 0.99


def test_a_blend_is_solved_before_its_normalisers_are_closed(monkeypatch):
    """When the pure runs' bound and heuristics do not certify the normalisers, the blend is solved first with
    theirs, then the pure runs are closed with the time left (a short deadline goes to the plan the user sees); the
    result is certified and its normalisers are certified too."""
    from planner.planning.optimiser import driver

    monkeypatch.setattr(opt, "_ENUM_MAX", 0)
    calls: list[str] = []
    real_pure, real_w = driver._pure_runs, driver._solve_w

    def pure(*a, **k):
        calls.append(f"pure:{k.get('stage', 'full')}")
        return real_pure(*a, **k)

    def one(pb, prep, w, *a, **k):
        if 0 < w < 1:
            calls.append("blend")
        return real_w(pb, prep, w, *a, **k)

    monkeypatch.setattr(driver, "_pure_runs", pure)
    monkeypatch.setattr(driver, "_solve_w", one)
    pb = _five_bloggers()
    sol = opt.solve(pb, 0.5, time_limit=TL)
    assert calls[:2] == ["pure:quick", "blend"]
    assert sol.status == "optimal" and sol.info["normalisers_certified"]
    if len(calls) > 2:  # the quick normalisers were not certified: closed after the blend
        assert calls[2] == "pure:close"
    again = opt.solve(pb, 0.5, normalisers=sol.normalisers, time_limit=TL)
    assert again.objective == pytest.approx(sol.objective, rel=opt.GAP_OPTIMAL)


@pytest.mark.parametrize("seeds", [range(0, 60), range(60, 120)])
def test_a_lock_the_plan_keeps_or_a_kick_it_has_not_is_answered_without_a_search(seeds):
    """``optimiser.carried`` on random small briefs against enumeration: locking a blogger the plan books, or
    kicking out a candidate it does not book, hands back the plan with its bound at once, and that bound is at least
    the narrower brief's enumerated optimum (the plan is within its gap of it); a lock of a blogger it does not
    book, a kick-out of a placement it has, or any other change (the budget) needs a search (None)."""
    carried = 0
    for seed in seeds:
        kw, _ = small_brief(seed)
        masks, ok, U, V = enumerate_plans(kw)
        if not ok.any():
            continue
        w = (0.0, 0.4, 1.0, 0.7)[seed % 4]
        Us, Vs = max(U[ok].max(), 1e-9), max(V[ok].max(), 1e-9)
        F = w * U / Us + (1 - w) * V / Vs
        old = opt.Problem(**kw)
        sol = opt.solve(old, w, normalisers=(Us, Vs), time_limit=TL)
        bl = np.asarray(kw["blogger"])
        booked = sorted(set(bl[sol.chosen].tolist()))
        unbooked = sorted(set(bl.tolist()) - set(booked))
        free = [j for j in range(len(bl)) if j not in set(sol.chosen.tolist())]
        for b in booked:  # lock a blogger the plan books
            kw2 = {**kw, "must_bloggers": sorted({*kw.get("must_bloggers", ()), b})}
            kept = opt.carried(old, sol, opt.Problem(**kw2))
            assert kept is not None and kept.info["carried"] and kept is not sol
            np.testing.assert_array_equal(kept.chosen, sol.chosen)
            ok2 = ok & (masks[:, bl == b].sum(axis=1) == 1)
            best2 = float(F[ok2].max())
            assert kept.upper_bound >= best2 * (1 - 1e-9) and kept.objective >= best2 * (1 - kept.gap) - 1e-12
            carried += 1
        for j in free[:2]:  # kick out a placement the plan does not book
            kw2 = {**kw, "must_out": sorted({*kw.get("must_out", ()), j})}
            kept = opt.carried(old, sol, opt.Problem(**kw2))
            assert kept is not None
            ok2 = ok & ~masks[:, j]
            assert kept.upper_bound >= float(F[ok2].max()) * (1 - 1e-9)
            carried += 1
        for b in unbooked[:1]:  # a lock the plan does not keep: a search
            kw2 = {**kw, "must_bloggers": sorted({*kw.get("must_bloggers", ()), b})}
            assert opt.carried(old, sol, opt.Problem(**kw2)) is None
        if len(sol.chosen):  # a kick-out of a placement it books: a search
            kw2 = {**kw, "must_out": sorted({*kw.get("must_out", ()), int(sol.chosen[0])})}
            assert opt.carried(old, sol, opt.Problem(**kw2)) is None
        assert opt.carried(old, sol, opt.Problem(**{**kw, "budget": kw["budget"] * 1.01})) is None
        if kw.get("must_bloggers"):  # a lock taken away widens the brief: a search
            assert opt.carried(old, sol, opt.Problem(**{**kw, "must_bloggers": []})) is None
    assert carried >= 60
