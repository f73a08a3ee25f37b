"""Combined reach: Sainsbury inside pools, measured overlaps, reach curves, packages."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from planner.planning import reach as R


def test_sainsbury_by_hand():
    assert R.sainsbury([0.1, 0.2]) == pytest.approx(1 - 0.9 * 0.8)
    assert R.sainsbury([0.5, 0.5, 0.5]) == pytest.approx(0.875)
    assert R.sainsbury([]) == 0.0
    assert R.sainsbury([1.0, 0.3]) == 1.0


def test_pool_reach_by_hand():
    # 1,000 people; reaches of 100 and 200: 1000 * (1 - 0.9 * 0.8) = 280
    assert R.pool_reach([100, 200], 1000) == pytest.approx(280.0)
    assert R.pool_reach([100], 1000) == pytest.approx(100.0)
    assert R.pool_reach([], 1000) == 0.0
    with pytest.raises(ValueError):
        R.pool_reach([1200], 1000)


def test_unique_reach_sums_over_disjoint_pools():
    r = np.array([100.0, 200.0, 50.0])
    pools = np.array([0, 0, 1])
    u = R.unique_reach(r, pools, np.array([1000.0, 400.0]))
    assert u == pytest.approx(280.0 + 50.0)
    # mapping and scalar pool sizes
    assert R.unique_reach(r, pools, {0: 1000.0, 1: 400.0}) == pytest.approx(u)
    assert R.unique_reach(r, np.zeros(3, int), 1000.0) == pytest.approx(1000 * (1 - 0.9 * 0.8 * 0.95))


def test_measured_overlap_overrides_model():
    r = np.array([100.0, 50.0])
    # model inside a 1,000-people pool: duplication 100 * 50 / 1000 = 5
    assert R.unique_reach(r, [0, 0], 1000.0) == pytest.approx(145.0)
    # measured 40 % of the smaller audience: duplication 0.4 * 50 = 20, whatever the pools
    assert R.unique_reach(r, [0, 0], 1000.0, [(0, 1, 0.4)]) == pytest.approx(130.0)
    assert R.unique_reach(r, [0, 1], [1000.0, 1000.0], [(1, 0, 0.4)]) == pytest.approx(130.0)
    # a zero measured overlap removes the model's duplication
    assert R.unique_reach(r, [0, 0], 1000.0, [(0, 1, 0.0)]) == pytest.approx(150.0)
    # full overlap: the smaller audience adds nobody
    assert R.unique_reach(r, [0, 0], 1000.0, [(0, 1, 1.0)]) == pytest.approx(100.0)
    # the last measurement of a pair wins
    assert R.unique_reach(r, [0, 0], 1000.0, [(0, 1, 1.0), (1, 0, 0.4)]) == pytest.approx(130.0)
    with pytest.raises(ValueError):
        R.unique_reach(r, [0, 0], 1000.0, [(0, 1, 1.5)])
    with pytest.raises(ValueError):
        R.unique_reach(r, [0, 0], 1000.0, [(0, 5, 0.5)])


def test_three_placements_with_one_measured_pair():
    r = np.array([300.0, 200.0, 100.0])
    pools = np.zeros(3, int)
    N = 1000.0
    # canonical order 300, 200, 100; the 200-audience shares 50 % of itself with the 300-audience
    inc = R.increments(r, pools, N, [(0, 1, 0.5)])
    assert inc[0] == pytest.approx(300.0)
    assert inc[1] == pytest.approx(200.0 * 0.5)
    assert inc[2] == pytest.approx(100.0 * 0.7 * 0.8)  # model: (1 - 300/1000) (1 - 200/1000)
    assert R.unique_reach(r, pools, N, [(0, 1, 0.5)]) == pytest.approx(inc.sum())


def test_reach_curve_and_matrix():
    r = np.array([100.0, 50.0, 30.0])
    pools = np.array([0, 0, 1])
    sizes = np.array([1000.0, 500.0])
    curve = R.reach_curve(r, pools, sizes, order=[2, 1, 0])
    assert curve == pytest.approx([30.0, 50.0, 100.0 * (1 - 0.05)])
    assert curve.sum() == pytest.approx(R.unique_reach(r, pools, sizes))
    with_pairs = R.reach_curve(r, pools, sizes, order=[2, 1, 0], overlaps=[(0, 1, 0.5)])
    assert with_pairs.sum() == pytest.approx(R.unique_reach(r, pools, sizes, [(0, 1, 0.5)]))
    assert with_pairs == pytest.approx([30.0, 50.0, 75.0])
    m = R.overlap_matrix(r, pools, sizes)
    assert m.shape == (3, 3)
    assert np.allclose(m, m.T)
    assert np.allclose(np.diag(m), 1.0)
    assert m[0, 1] == pytest.approx(100 * 50 / 1000 / 50)
    assert m[0, 2] == 0.0
    people = R.overlap_matrix(r, pools, sizes, [(0, 2, 0.25)], as_share=False)
    assert people[0, 2] == pytest.approx(0.25 * 30)
    marg = R.marginal_reach(r, pools, sizes)
    assert marg == pytest.approx([95.0, 45.0, 30.0])


def test_package_candidates():
    cost = np.array([10.0, 5.0, 3.0, 7.0])
    reach = np.array([100.0, 40.0, 20.0, 50.0])
    fit = np.array([1.0, 0.5, 0.5, 1.0])
    pk = R.package_candidates(cost, reach, fit, blogger=[1, 1, 1, 2], platform=[0, 0, 0, 0], pool=[0, 0, 0, 1],
                              in_blogger_overlap=0.8, max_formats=3)
    assert pk.members[:4] == [(0,), (1,), (2,), (3,)]
    assert set(pk.members[4:]) == {(0, 1), (0, 2), (1, 2), (0, 1, 2)}
    assert pk.is_package.sum() == 4
    assert np.all(pk.blogger[4:] == 1)
    for row, mem in enumerate(pk.members):
        rr = reach[list(mem)]
        assert rr.max() - 1e-9 <= pk.reach[row] <= rr.sum() + 1e-9
        assert pk.cost[row] == pytest.approx(cost[list(mem)].sum())
    assert pk.reach[pk.members.index((0, 1))] == pytest.approx(100 + 40 * 0.2)
    # different platforms do not combine by default
    pk2 = R.package_candidates(cost, reach, fit, blogger=[1, 1, 1, 2], platform=[0, 1, 0, 0], pool=[0, 0, 0, 1])
    assert set(pk2.members[4:]) == {(0, 2)}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1.0, 1e6), min_size=1, max_size=5), st.floats(0.0, 1.0))
def test_package_reach_between_max_and_sum(rs, overlap):
    tot, inc = R.package_reach(np.array(rs), overlap)
    assert max(rs) * (1 - 1e-12) <= tot <= sum(rs) * (1 + 1e-12)
    assert np.all(inc >= 0)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(1, 9), st.integers(0, 6))
@example(4812, 5, 4)  # a pool capped at its size (found by hypothesis)
def test_measured_pairs_stay_sane_and_below_the_bound(seed, m, npairs):
    """max r <= U <= sum r, and U <= model + sum of max(0, model - measured) duplications (the optimiser's bound)."""
    rng = np.random.default_rng(seed)
    pools = rng.integers(0, 2, size=m)
    sizes = np.array([5_000.0, 3_000.0])
    r = rng.uniform(10, 1_500, size=m)
    pairs = []
    slack = 0.0
    for _ in range(npairs if m > 1 else 0):
        i, k = rng.choice(m, size=2, replace=False)
        pairs.append((int(i), int(k), float(rng.uniform(0, 1))))
    # the bound uses the last measurement of each pair
    last = {}
    for i, k, o in pairs:
        last[(min(i, k), max(i, k))] = o
    for (i, k), o in last.items():
        model = r[i] * r[k] / sizes[pools[i]] if pools[i] == pools[k] else 0.0
        slack += max(0.0, model - o * min(r[i], r[k]))
    u = R.unique_reach(r, pools, sizes, pairs)
    u_model = R.unique_reach(r, pools, sizes)
    assert r.max() * (1 - 1e-12) <= u <= r.sum() * (1 + 1e-12)
    assert u <= u_model + slack + 1e-9 * r.sum()
    # the increments add up to U, each pool's part capped at its size: measured overlaps below the model's can take a
    # small pool's increments above the people it holds (reach.unique_reach caps it; hypothesis found seed 4812, m 5)
    inc = R.increments(r, pools, sizes, pairs)
    assert np.minimum(np.bincount(pools, weights=inc, minlength=2), sizes).sum() == pytest.approx(u)
    assert inc.sum() >= u * (1 - 1e-12)


def test_niche_value_counts_each_person_once():
    # one pool of 1,000 people; fit-weighted reaches 0.5 x 100 = 50 and 1.0 x 200 = 200:
    # 1000 (1 - 0.95 x 0.8) = 240, not 250
    assert R.niche_value([100.0, 200.0], [0.5, 1.0], [0, 0], 1000.0) == pytest.approx(240.0)
    # disjoint pools add up
    assert R.niche_value([100.0, 200.0], [0.5, 1.0], [0, 1], [1000.0, 1000.0]) == pytest.approx(250.0)
    # a measured pair applies to the fit-weighted audiences: 40 % of the smaller one (50) is duplicated
    assert R.niche_value([100.0, 200.0], [0.5, 1.0], [0, 0], 1000.0, [(0, 1, 0.4)]) == pytest.approx(230.0)
    assert R.niche_value([], [], [], 1000.0) == 0.0
    with pytest.raises(ValueError):
        R.niche_value([100.0], [1.5], [0], 1000.0)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(1, 12))
def test_niche_value_never_exceeds_the_pools(seed, m):
    rng = np.random.default_rng(seed)
    pools = rng.integers(0, 3, size=m)
    sizes = rng.uniform(500.0, 3_000.0, size=3)
    r = rng.uniform(0.0, 0.99, size=m) * sizes[pools]
    fit = rng.uniform(0.0, 1.0, size=m)
    v = R.niche_value(r, fit, pools, sizes)
    used = sizes[np.unique(pools)].sum()
    assert 0.0 <= v <= min(used, (fit * r).sum()) * (1 + 1e-12)
    assert v >= (fit * r).max() * (1 - 1e-12)
    # the same concave shape as reach: V = sum_p N_p (1 - exp(-sum b_j)), b_j = -ln(1 - f_j r_j / N_p)
    b = -np.log1p(-fit * r / sizes[pools])
    assert v == pytest.approx(float((sizes * -np.expm1(-np.bincount(pools, weights=b, minlength=3))).sum()))
