"""Certified plan optimiser: exact optimum on small briefs (brute force), constraints, infeasibility, scale."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.bench.plan import make_problem
from planner.planning import optimiser as opt
from planner.planning import reach as R

TL = 60.0  # generous: a loaded machine must not fail these (no timing is asserted)


def small_problem(seed: int, n: int, *, bounds: bool | str = True, musts: bool = True, max_share: bool = True,
                  overlaps: bool = False) -> opt.Problem:
    """A random small brief. ``bounds``: True (a random kind), False, or "lo" / "hi" / "both" (a platform share
    bound of that kind on one platform, and with "both" a second platform capped)."""
    rng = np.random.default_rng(seed)
    P = int(rng.integers(1, 4))
    nb = max(1, int(n * rng.uniform(0.5, 0.9)))
    blogger = np.sort(rng.integers(0, nb, size=n))
    b_pool = rng.integers(0, P, size=nb)
    b_plat = rng.integers(0, 3, size=nb)
    pool = b_pool[blogger]
    platform = b_plat[blogger] * 10 + 1  # arbitrary platform ids
    reach = np.exp(rng.normal(np.log(2_000), 1.0, size=n))
    cost = np.round(reach * rng.uniform(0.5, 1.5, size=n), 0) + 10
    fit = rng.uniform(0, 1, size=n)
    mx = np.zeros(P)
    np.maximum.at(mx, pool, reach)
    pool_size = np.maximum(rng.uniform(0.3, 1.0, size=P) * np.bincount(pool, weights=reach, minlength=P),
                           1.3 * mx) + 100
    budget = float(cost.sum() * rng.uniform(0.2, 0.6))
    must_in: list[int] = []
    must_out: list[int] = []
    if musts and n > 2:
        perm = rng.permutation(n)
        if rng.random() < 0.5:
            must_in = [int(perm[0])]
        if rng.random() < 0.5:
            must_out = [int(perm[1])]
    pb_bounds: dict = {}
    if bounds:
        ks = np.unique(platform)
        k = int(rng.choice(ks))
        kind = {"hi": 0, "lo": 1, "both": 2}[bounds] if isinstance(bounds, str) else rng.integers(0, 3)
        if bounds == "both" and ks.size > 1:
            pb_bounds[int(ks[ks != k][0])] = (None, float(rng.uniform(0.2, 0.5)))
        if kind == 0:
            pb_bounds[k] = (None, float(rng.uniform(0.1, 0.6)))
        elif kind == 1:
            pb_bounds[k] = (float(rng.uniform(0.05, 0.3)), None)
        else:
            pb_bounds[k] = (float(rng.uniform(0.0, 0.2)), float(rng.uniform(0.3, 0.8)))
    ms = float(rng.uniform(0.2, 0.7)) if max_share and rng.random() < 0.5 else None
    ov = None
    if overlaps and n > 1:
        ov = []
        for _ in range(int(rng.integers(1, 5))):
            i, k = rng.choice(n, size=2, replace=False)
            ov.append((int(i), int(k), float(rng.uniform(0, 1))))
    return opt.Problem(cost=cost, reach=reach, fit=fit, pool=pool, blogger=blogger, platform=platform,
                       pool_size=pool_size, budget=budget, must_in=must_in, must_out=must_out, max_share=ms,
                       platform_bounds=pb_bounds, overlaps=ov)


def feasible_masks(pb: opt.Problem):
    n = pb.n
    masks = ((np.arange(2 ** n)[:, None] >> np.arange(n)) & 1).astype(bool)
    cost = np.asarray(pb.cost, float)
    B = pb.budget
    ok = masks @ cost <= B * (1 + 1e-9)
    bl = np.asarray(pb.blogger)
    for b in np.unique(bl):
        ok &= masks[:, bl == b].sum(axis=1) <= 1
    if len(pb.must_in):
        ok &= masks[:, list(pb.must_in)].all(axis=1)
    if len(pb.must_out):
        ok &= ~masks[:, list(pb.must_out)].any(axis=1)
    if pb.max_share is not None:
        ok &= ~masks[:, cost > pb.max_share * B * (1 + 1e-12)].any(axis=1)
    plat = np.asarray(pb.platform)
    for k, (lo, hi) in pb.platform_bounds.items():
        spend = masks[:, plat == k] @ cost[plat == k]
        if lo is not None:
            ok &= spend >= lo * B * (1 - 1e-9)
        if hi is not None:
            ok &= spend <= hi * B * (1 + 1e-9)
    return masks, ok


def brute_values(pb: opt.Problem, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact unique reach and deduplicated niche value of every subset, computed independently of the solver:
    per pool N (1 - prod(1 - x/N)) with x = r (reach) or x = f r (niche value); with measured pairs through
    planner.planning.reach on each subset."""
    r = np.asarray(pb.reach, float)
    fr = np.asarray(pb.fit, float) * r
    pool = np.asarray(pb.pool)
    if pb.overlaps:
        U = np.array([R.unique_reach(r[m], pool[m], pb.pool_size, _local_pairs(pb.overlaps, np.flatnonzero(m)))
                      for m in masks])
        V = np.array([R.niche_value(r[m], np.asarray(pb.fit, float)[m], pool[m], pb.pool_size,
                                    _local_pairs(pb.overlaps, np.flatnonzero(m))) for m in masks])
        return U, V
    N = np.asarray(pb.pool_size, float)
    out = []
    for x in (r, fr):
        prod = np.ones((masks.shape[0], N.size))
        for j in range(pb.n):
            prod[masks[:, j], pool[j]] *= 1.0 - x[j] / N[pool[j]]
        out.append((N * (1.0 - prod)).sum(axis=1))
    return out[0], out[1]


def _local_pairs(pairs, chosen):
    loc = {int(j): t for t, j in enumerate(chosen)}
    out = [(loc[i], loc[k], o) for i, k, o in pairs if i in loc and k in loc]
    return out or None


def check_plan(pb: opt.Problem, sol: opt.Solution, tol: float = 1e-9):
    chosen = np.asarray(sol.chosen)
    cost = np.asarray(pb.cost, float)
    B = pb.budget
    assert cost[chosen].sum() <= B * (1 + tol)
    bl = np.asarray(pb.blogger)[chosen]
    assert np.unique(bl).size == bl.size, "two placements of one blogger"
    assert set(int(i) for i in pb.must_in) <= set(chosen.tolist())
    assert not set(int(i) for i in pb.must_out) & set(chosen.tolist())
    if pb.max_share is not None:
        assert np.all(cost[chosen] <= pb.max_share * B * (1 + 1e-12))
    plat = np.asarray(pb.platform)[chosen]
    for k, (lo, hi) in pb.platform_bounds.items():
        spend = cost[chosen][plat == k].sum()
        if lo is not None:
            assert spend >= lo * B * (1 - tol)
        if hi is not None:
            assert spend <= hi * B * (1 + tol)
    assert sol.objective <= sol.upper_bound * (1 + 1e-12)
    if sol.upper_bound > 0:
        assert sol.gap == pytest.approx((sol.upper_bound - sol.objective) / sol.upper_bound, abs=1e-12)
    else:
        assert sol.gap == 0.0


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(14))
def test_exact_optimum_against_brute_force(seed):
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(6, 15))
    pb = small_problem(seed, n)
    masks, ok = feasible_masks(pb)
    if not ok.any():
        with pytest.raises(opt.Infeasible):
            opt.solve(pb, 0.5, normalisers=(1.0, 1.0), time_limit=TL)
        return
    U, V = brute_values(pb, masks)
    Us, Vs = U[ok].max(), V[ok].max()
    Us, Vs = (Us if Us > 0 else 1.0), (Vs if Vs > 0 else 1.0)
    for w in (0.0, 0.35, 1.0):
        F = w * U / Us + (1 - w) * V / Vs
        best = F[ok].max()
        sol = opt.solve(pb, w, normalisers=(Us, Vs), gap_target=1e-7, time_limit=TL)
        check_plan(pb, sol)
        assert sol.objective == pytest.approx(best, rel=1e-6, abs=1e-12)
        assert sol.upper_bound >= best * (1 - 1e-9)
    # the solver's own normalisers are certified within the gap target of the pure optima
    us, vs = opt.normalisers(pb, time_limit=TL)
    assert us <= U[ok].max() * (1 + 1e-9) or U[ok].max() == 0
    assert us >= U[ok].max() * (1 - opt.GAP_OPTIMAL) - 1e-9
    assert vs >= V[ok].max() * (1 - opt.GAP_OPTIMAL) - 1e-9


MATRIX = [  # (platform share bounds, must-in/out, max share, measured overlaps)
    ("lo", False, False, False), ("hi", False, False, False), ("both", True, False, False), ("lo", True, True, False),
    (False, True, True, True), ("hi", False, False, True), ("lo", True, False, True), ("both", True, True, True),
]


@pytest.mark.slow
@pytest.mark.parametrize("case", range(len(MATRIX)))
@pytest.mark.parametrize("seed", range(4))
def test_closes_to_optimal_against_brute_force(case, seed):
    """Deduplicated niche value, platform shares (lo, hi), must-in/out, max share and measured overlaps: at the
    default gap target (0.01 % up to 2,000 candidates) the plan is the brute-force optimum and "optimal"."""
    bounds, musts, max_share, overlaps = MATRIX[case]
    rng = np.random.default_rng(7000 + 31 * case + seed)
    n = int(rng.integers(8, 13 if overlaps else 15))  # brute force with pairs evaluates each subset in Python
    pb = small_problem(3000 + 31 * case + seed, n, bounds=bounds, musts=musts, max_share=max_share,
                       overlaps=overlaps)
    masks, ok = feasible_masks(pb)
    if not ok.any():
        with pytest.raises(opt.Infeasible):
            opt.solve(pb, 0.5, time_limit=TL)
        return
    U, V = brute_values(pb, masks)
    Us, Vs = max(U[ok].max(), 1e-9), max(V[ok].max(), 1e-9)
    for w in (0.0, 0.3, 0.5, 1.0):
        F = w * U / Us + (1 - w) * V / Vs
        best = F[ok].max()
        sol = opt.solve(pb, w, normalisers=(Us, Vs), time_limit=TL)
        check_plan(pb, sol)
        assert sol.status == "optimal", (w, sol.gap, sol.info)
        assert sol.upper_bound >= best * (1 - 1e-9)
        assert sol.objective >= best * (1 - opt.GAP_OPTIMAL)
        idx = int(np.flatnonzero((masks == np.isin(np.arange(pb.n), sol.chosen)).all(axis=1))[0])
        assert ok[idx]
        assert sol.unique_reach == pytest.approx(U[idx], rel=1e-9)
        assert sol.niche_value == pytest.approx(V[idx], rel=1e-9)
    # with its own normalisers: U*, V* are the pure optima (within the target) and the certified bounds in
    # people hold for every plan
    sol = opt.solve(pb, 0.5, time_limit=TL)
    assert sol.status == "optimal"
    assert sol.info["unique_reach_max"] == sol.normalisers[0]
    assert sol.normalisers[0] >= U[ok].max() * (1 - opt.GAP_OPTIMAL) - 1e-9
    assert sol.normalisers[1] >= V[ok].max() * (1 - opt.GAP_OPTIMAL) - 1e-9
    assert sol.unique_reach_bound is not None and sol.niche_value_bound is not None
    assert sol.unique_reach_bound >= U[ok].max() * (1 - 1e-9)
    assert sol.niche_value_bound >= V[ok].max() * (1 - 1e-9)
    assert V[ok].max() <= np.asarray(pb.pool_size).sum() or overlaps  # never more than the pools
    Fs = 0.5 * U / sol.normalisers[0] + 0.5 * V / sol.normalisers[1]
    assert sol.objective >= Fs[ok].max() * (1 - opt.GAP_OPTIMAL)


@pytest.mark.parametrize("seed", range(6))
def test_bound_stays_valid_with_measured_overlaps(seed):
    pb = small_problem(50 + seed, 10, bounds=False, musts=seed % 2 == 0, overlaps=True)
    masks, ok = feasible_masks(pb)
    U, V = brute_values(pb, masks)
    Us, Vs = max(U[ok].max(), 1.0), max(V[ok].max(), 1.0)
    w = 0.7
    F = w * U / Us + (1 - w) * V / Vs
    sol = opt.solve(pb, w, normalisers=(Us, Vs), gap_target=1e-7, time_limit=TL)
    check_plan(pb, sol)
    best = F[ok].max()
    assert sol.upper_bound >= best * (1 - 1e-9)
    chosen = np.asarray(sol.chosen)
    idx = int((masks == np.isin(np.arange(pb.n), chosen)).all(axis=1).nonzero()[0][0])
    assert sol.objective == pytest.approx(F[idx], rel=1e-9)  # the objective is the exact F of the plan
    assert sol.objective <= best * (1 + 1e-9)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**31 - 1), st.integers(1, 40), st.floats(0.0, 1.0), st.booleans(), st.booleans())
def test_random_briefs_respect_every_constraint(seed, n, w, bounds, musts):
    pb = small_problem(seed, n, bounds=bounds, musts=musts)
    try:
        sol = opt.solve(pb, w, time_limit=TL)
    except opt.Infeasible as exc:
        assert str(exc)
        if n <= 14:
            _, ok = feasible_masks(pb)
            assert not ok.any()
        return
    check_plan(pb, sol)
    assert sol.status in ("optimal", "gap_ok")
    assert sol.gap <= sol.gap_target + 1e-12
    assert sol.unique_reach == pytest.approx(R.unique_reach(np.asarray(pb.reach)[sol.chosen],
                                                            np.asarray(pb.pool)[sol.chosen], pb.pool_size))


def _base(**kw) -> opt.Problem:
    d = dict(cost=np.array([40_000.0, 32_000.0, 10_000.0, 12_000.0]), reach=np.array([50_000.0, 40_000, 9_000, 8_000]),
             fit=np.array([0.5, 0.6, 0.9, 0.8]), pool=np.array([0, 0, 1, 1]), blogger=np.array([1, 2, 3, 4]),
             platform=np.array([0, 0, 1, 2]), pool_size=np.array([400_000.0, 100_000.0]), budget=50_000.0)
    d.update(kw)
    return opt.Problem(**d)


def test_infeasible_budget_below_must_haves():
    with pytest.raises(opt.Infeasible, match=r"budget 50.000 is below the cost of the must-have bloggers \(72.000\)"):
        opt.solve(_base(must_in=[0, 1]), 0.5, time_limit=TL)


def test_infeasible_platform_minimum():
    pb = _base(platform_bounds={1: (0.5, None)}, platform_names={1: "YouTube"})
    with pytest.raises(opt.Infeasible, match="YouTube must take at least 25.000"):
        opt.solve(pb, 0.5, time_limit=TL)
    with pytest.raises(opt.Infeasible, match="add up to"):
        opt.solve(_base(platform_bounds={1: (0.6, None), 2: (0.6, None)}), 0.5, time_limit=TL)


def test_infeasible_other_messages():
    with pytest.raises(opt.Infeasible, match="both a must-have and excluded"):
        opt.solve(_base(must_in=[2], must_out=[2]), 0.5, time_limit=TL)
    with pytest.raises(opt.Infeasible, match="same blogger"):
        opt.solve(_base(blogger=np.array([1, 1, 3, 4]), must_in=[0, 1], budget=100_000.0), 0.5, time_limit=TL)
    with pytest.raises(opt.Infeasible, match="above the cap"):
        opt.solve(_base(must_in=[0], max_share=0.5), 0.5, time_limit=TL)
    with pytest.raises(opt.Infeasible, match="above its cap"):
        opt.solve(_base(must_in=[2], platform_bounds={1: (None, 0.1)}), 0.5, time_limit=TL)


def test_must_in_and_out_are_honoured():
    sol = opt.solve(_base(must_in=[3], must_out=[0]), 0.5, time_limit=TL)
    assert 3 in sol.chosen and 0 not in sol.chosen
    assert sol.status == "optimal"


def test_packages_keep_one_row_per_blogger():
    rng = np.random.default_rng(3)
    n = 30
    blogger = np.repeat(np.arange(12), 3)[:n]
    reach = rng.uniform(1_000, 20_000, size=n)
    pk = R.package_candidates(reach * 0.5, reach, rng.uniform(0, 1, n), blogger, np.zeros(n, int),
                              blogger % 3, in_blogger_overlap=0.8)
    pb = opt.Problem(cost=pk.cost, reach=pk.reach, fit=pk.fit, pool=pk.pool, blogger=pk.blogger,
                     platform=pk.platform, pool_size=np.full(3, 200_000.0), budget=float(pk.cost[:n].sum() * 0.4))
    sol = opt.solve(pb, 0.8, time_limit=TL)
    check_plan(pb, sol)
    booked = [j for i in sol.chosen for j in pk.members[i]]
    assert len(booked) == len(set(booked))


def test_deterministic():
    pb1 = make_problem(3_000, seed=11)
    pb2 = make_problem(3_000, seed=11)
    s1 = opt.solve(pb1, 0.4, time_limit=TL)
    s2 = opt.solve(pb2, 0.4, time_limit=TL)
    assert np.array_equal(s1.chosen, s2.chosen)
    assert s1.objective == s2.objective and s1.upper_bound == s2.upper_bound


def test_moderate_instance_is_solved_to_optimality():
    pb = make_problem(2_000, seed=4)
    sol = opt.solve(pb, 0.5, time_limit=TL)
    check_plan(pb, sol)
    assert sol.gap <= 1e-4
    assert sol.status == "optimal"


def test_frontier_reuses_normalisers():
    pb = make_problem(4_000, seed=2)
    sols = opt.frontier(pb, [0.0, 0.5, 1.0], time_limit=TL)
    assert [s.reach_weight for s in sols] == [0.0, 0.5, 1.0]
    norms = {s.normalisers for s in sols}
    assert len(norms) == 1
    for s in sols:
        check_plan(pb, s)
        assert s.gap <= s.gap_target
    assert sols[2].objective == pytest.approx(1.0)  # U* is the reach of the best reach-only plan
    assert sols[0].objective == pytest.approx(1.0)
    assert sols[2].unique_reach >= sols[0].unique_reach * (1 - 1e-3)
    assert sols[0].niche_value >= sols[2].niche_value * (1 - 1e-3)


def test_time_limit_is_one_deadline_and_the_bound_stays_valid():
    """A tight deadline stops the whole solve (normalisers included) with a valid plan and bound; the same
    brief solved without the tight deadline never beats that bound. No timing is asserted beyond a very loose
    ceiling."""
    import time

    pb = make_problem(100_000, seed=1)
    t0 = time.perf_counter()
    sol = opt.solve(pb, 0.5, time_limit=0.5)
    assert time.perf_counter() - t0 < 20.0
    check_plan(pb, sol, tol=1e-9)
    assert sol.status in ("optimal", "gap_ok", "time_limit")
    assert sol.upper_bound >= sol.objective
    pb2 = make_problem(20_000, seed=3)
    quick = opt.solve(pb2, 0.5, time_limit=0.05)
    check_plan(pb2, quick)
    assert quick.status in ("optimal", "gap_ok", "time_limit")
    full = opt.solve(pb2, 0.5, normalisers=quick.normalisers, time_limit=TL)
    assert full.objective <= quick.upper_bound * (1 + 1e-9)
    assert quick.objective <= full.upper_bound * (1 + 1e-9)
    t0 = time.perf_counter()
    sols = opt.frontier(make_problem(20_000, seed=5), time_limit=0.5)
    assert time.perf_counter() - t0 < 20.0
    assert len(sols) == 11
    for s in sols:
        assert s.status in ("optimal", "gap_ok", "time_limit")
        assert s.upper_bound >= s.objective


@pytest.mark.parametrize("seed", range(10))
def test_dear_candidates_against_brute_force(seed):
    """Candidates costing most of the budget (where the continuous relaxation takes a fraction of one) are
    branched on by the bound; the plan stays the brute-force optimum and the bound stays valid."""
    rng = np.random.default_rng(9100 + seed)
    n = int(rng.integers(9, 14))
    pb = small_problem(9100 + seed, n, bounds=["lo", "hi", False][seed % 3], musts=seed % 2 == 0, max_share=False)
    cost = np.asarray(pb.cost, float).copy()
    reach = np.asarray(pb.reach, float).copy()
    giants = rng.choice(n, size=2, replace=False)
    cost[giants] = pb.budget * rng.uniform(0.55, 0.97, size=2)
    reach[giants] = np.minimum(reach[giants] * 4.0, 0.7 * np.asarray(pb.pool_size)[np.asarray(pb.pool)[giants]])
    pb = opt.Problem(cost=cost, reach=reach, fit=pb.fit, pool=pb.pool, blogger=pb.blogger, platform=pb.platform,
                     pool_size=pb.pool_size, budget=pb.budget, must_in=pb.must_in, must_out=pb.must_out,
                     platform_bounds=pb.platform_bounds)
    masks, ok = feasible_masks(pb)
    if not ok.any():
        with pytest.raises(opt.Infeasible):
            opt.solve(pb, 0.5, time_limit=TL)
        return
    U, V = brute_values(pb, masks)
    Us, Vs = max(U[ok].max(), 1e-9), max(V[ok].max(), 1e-9)
    for w in (0.0, 0.3, 1.0):
        F = w * U / Us + (1 - w) * V / Vs
        best = F[ok].max()
        sol = opt.solve(pb, w, normalisers=(Us, Vs), time_limit=TL)
        check_plan(pb, sol)
        assert sol.status == "optimal"
        assert sol.upper_bound >= best * (1 - 1e-9)
        assert sol.objective >= best * (1 - opt.GAP_OPTIMAL)


@pytest.mark.parametrize("seed", range(4))
def test_starts_speed_up_only_never_change_validity(seed):
    pb = small_problem(300 + seed, 11, bounds=seed % 2 == 0, musts=True)
    masks, ok = feasible_masks(pb)
    if not ok.any():
        return
    U, V = brute_values(pb, masks)
    Us, Vs = max(U[ok].max(), 1e-9), max(V[ok].max(), 1e-9)
    best = (0.5 * U / Us + 0.5 * V / Vs)[ok].max()
    # starts that break the brief: every candidate, must-haves and excluded ones, indices out of range
    bad = [list(range(pb.n)), [*pb.must_in, *pb.must_out, -1, pb.n + 5], []]
    sol = opt.solve(pb, 0.5, normalisers=(Us, Vs), starts=bad, time_limit=TL)
    check_plan(pb, sol)
    assert sol.upper_bound >= best * (1 - 1e-9)
    assert sol.objective >= best * (1 - opt.GAP_OPTIMAL)


def test_given_normalisers_never_carry_another_pairs_certificates():
    pb = make_problem(2500, seed=3)  # above SMALL_N: the blend's normalisers are the pure plans' own target
    own = opt.solve(pb, 0.5, time_limit=TL)
    assert own.info["unique_reach_max"] == own.normalisers[0] and own.unique_reach_bound is not None
    # the problem's own normalisers given back: its cached runs and certificates apply
    again = opt.solve(pb, 0.5, normalisers=own.normalisers, time_limit=TL)
    assert again.info["unique_reach_max"] == own.normalisers[0]
    # other normalisers: a valid blend, but the problem's own certificates are not theirs
    other = (own.normalisers[0] * 1.1, own.normalisers[1] * 0.9)
    sol = opt.solve(pb, 0.5, normalisers=other, starts=[own.chosen], time_limit=TL)
    check_plan(pb, sol)
    assert sol.normalisers == other
    assert "unique_reach_max" not in sol.info and sol.unique_reach_bound is None
    U, V, F = opt.evaluate(pb, sol.chosen, 0.5, other)
    assert F == pytest.approx(sol.objective)
    # the pure reach plan with the problem's own normalisers given back is the cached run
    pure = opt.solve(pb, 1.0, normalisers=own.normalisers, time_limit=TL)
    assert pure.unique_reach == pytest.approx(own.normalisers[0]) and pure.unique_reach_bound is not None


def _knapsack_mip() -> opt._Mip:
    """max 5a + 4b + 3c + y  s.t. 2a + 3b + c <= 4, y <= 2 (a, b, c binary; y continuous in [0, 10])."""
    mip = opt._Mip(np.array([-5.0, -4.0, -3.0, -1.0]), np.array([1, 1, 1, 0]), np.zeros(4),
                   np.array([1.0, 1.0, 1.0, 10.0]))
    mip.add_row([0, 1, 2], [2.0, 3.0, 1.0], -np.inf, 4.0)
    mip.add_row([3], [1.0], -np.inf, 2.0)
    return mip


@pytest.mark.parametrize("highs", [True, False], ids=["highspy", "scipy"])
def test_mip_adds_rows_to_one_model(monkeypatch, highs):
    """The region MILP grows one model by cuts: a solve after add_row equals a fresh model with every row, and
    with highspy the same HiGHS object is extended (rows added, nothing rebuilt)."""
    if not highs:
        monkeypatch.setattr(opt, "_highspy", None)
    mip = _knapsack_mip()
    status, x, bound = mip.solve(None, 10.0, 1e-9, None)
    assert status == "optimal"
    assert np.allclose(x, [1, 0, 1, 2]) and bound == pytest.approx(-10.0)
    first = mip._h
    mip.add_row([0, 1], [1.0, 1.0], -np.inf, 0.0)  # a cut: neither a nor b
    mip.add_row([3], [1.0], -np.inf, 1.5)
    status, x, bound = mip.solve(np.array([0.0, 0.0, 1.0, 1.5]), 10.0, 1e-9, None)
    fresh = _knapsack_mip()
    fresh.add_row([0, 1], [1.0, 1.0], -np.inf, 0.0)
    fresh.add_row([3], [1.0], -np.inf, 1.5)
    f_status, f_x, f_bound = fresh.solve(None, 10.0, 1e-9, None)
    assert (status, f_status) == ("optimal", "optimal")
    assert np.allclose(x, [0, 0, 1, 1.5]) and np.allclose(x, f_x) and bound == pytest.approx(f_bound)
    if highs:
        assert mip._h is first and first.getNumRow() == 4
    mip.set_upper(2, 0.0)  # tightening a bound after a solve reaches the model too
    status, x, _ = mip.solve(None, 10.0, 1e-9, None)
    assert status == "optimal" and np.allclose(x, [0, 0, 0, 1.5])


def test_mip_reports_nothing_below_the_cutoff():
    mip = _knapsack_mip()
    status, x, _ = mip.solve(None, 10.0, 1e-9, -11.0)  # the best is -10: nothing beats -11
    assert status == "infeasible" and x is None
