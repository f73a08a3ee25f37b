"""Certified media-plan optimiser: maximise unique reach and niche value under a budget.

Problem (all in :class:`Problem`): candidates ``j`` with cost ``c_j``, target reach ``r_j`` (people), niche fit
``f_j``, audience pool ``p(j)``, blogger ``b(j)``, platform ``k(j)``. Choose a set ``S`` maximising::

    F(S) = w * U(S) / U* + (1 - w) * V(S) / V*

``U`` = unique reach and ``V`` = niche value, both deduplicated (planner.planning.reach): inside pool ``p`` of ``N_p``
people, ``U_p = N_p (1 - exp(-A_p))``, ``A_p = sum a_j``, ``a_j = -ln(1 - r_j/N_p)``, and ``V_p = N_p (1 -
exp(-B_p))``, ``B_p = sum b_j``, ``b_j = -ln(1 - f_j r_j/N_p)`` (fit-weighted Sainsbury: each person counted once,
never more than the pool). Subject to the budget, at most one candidate per blogger, must-have / excluded
candidates, an optional cap on one candidate's cost as a share of the budget and optional lower / upper shares
of the budget per platform.

Method (why every reported ``upper_bound`` is a proof):

1. **Lagrangian bound.** Each pool has two concave terms, ``alpha_p (1 - e^{-A_p})`` and ``beta_p (1 -
   e^{-B_p})``; each lies below its tangents: ``alpha (1 - e^{-A}) <= g*(eta) + eta A`` for any ``eta > 0``
   (``g*`` = the concave conjugate), and the same with ``zeta_p`` for the niche term. Relaxing the budget
   (``lam >= 0``) and the platform shares (``theta_k``, sign-restricted) with multipliers, what is left is a
   linear function over the one-per-blogger sets, maximised exactly by taking in each set the candidate of
   largest positive score ``s_j = eta_p a_j + zeta_p b_j + credit_j - (lam + theta_k) c_j``. Hence, for *any*
   multipliers, ``D = const + lam B + sum_k(theta_k^+ H_k - theta_k^- L_k) + sum_p (g*_p(eta_p) + g*_p(zeta_p))
   + sum_sets max(0, max s_j)`` is >= F(S) for every feasible plan ``S``. We search the multipliers (bisection
   on ``lam`` and ``theta``, and for each of them a vectorised bisection on every ``eta_p`` and ``zeta_p``);
   every ``D`` that is reported is evaluated exactly over *all* candidates allowed, so search accuracy affects
   tightness only, never validity. Measured overlaps can only add value relative to the model by ``delta+ =
   max(0, model - measured)`` duplication per pair (for reach with ``r``, for niche value with ``f r``; see
   planner.planning.reach); the bound credits ``delta+/2`` to each member of the pair (``x_i x_k <= (x_i + x_k)/2``).
2. **Primal plan.** Candidates chosen by the Lagrangian on the feasible side of the budget, repaired for platform
   shares, filled greedily by marginal gain per cost (vectorised), then improved by swaps (remove one, add one;
   all pools at once). The plan's value, the greedy gains and the swaps' acceptance are exact, measured pairs
   included (:class:`_Kappa`: the overlap part of the objective, one term per later member of a measured pair).
3. **Closing the gap** (when above target, e.g. small instances where 0.01 % is asked). *Dual branching* first:
   when the budget's critical candidate costs a large share of the budget, the Lagrangian (which equals the
   continuous relaxation) takes a fraction of it and may sit far above every plan; the plans with it and those
   without it are bounded apart, a side whose bound is below the threshold ``T`` (just above the incumbent) is
   dropped and the search goes on in the other side. Then reduced-cost fixing with the kept side's multipliers:
   if forcing a candidate in (or out of) the plan makes ``D`` drop below ``T``, no plan better than ``T`` does
   that. The remaining *core* goes to HiGHS (highspy when installed, with the incumbent and ``T`` as cutoff;
   scipy.optimize.milp otherwise): per pool and term an epigraph variable under tangent cuts and submodular
   (Nemhauser-Wolsey) cuts at the empty set, the incumbent and each new MILP solution (Kelley loop:
   :class:`_RegionModel` adds them to one HiGHS model and solves it again), and per kappa term a variable under
   cuts exact at each plan met; every cut holds for every plan, so the MILP's dual
   bound over-estimates every plan consistent with the fixings, and the certified bound is ``min(D, max(T,
   MILP bound, dropped sides' bounds))``. With the MILP's own plans the loop converges to the exact optimum,
   measured pairs included. When the core is large, a small MILP over the most promising candidates (kernel
   search) first improves the incumbent, which raises ``T`` and shrinks the core.

**A product budget** (mixed paid and barter plans): with ``Problem.units`` and ``units_budget``, plans also keep
``sum units_j <= units_budget``. It is one more relaxed row (multiplier ``mu >= 0``, ``- mu u_j`` in each score,
``+ mu U`` in ``D``), so every bound stays valid; the heuristics keep both budgets; the MILP has the row too. A
candidate may then cost no cash (a barter placement: product only).

**One deadline.** ``time_limit`` is one absolute deadline for the whole solve (normalisers, bound search,
heuristics, kernel search, MILP; HiGHS gets the time left) and for a whole :func:`frontier`. A solve it stops
returns its best plan with a valid bound and status "time_limit".

Normalisers ``U*`` and ``V*`` are the values of the best plans found for reach alone and for niche value alone
(each certified within the gap target of its optimum, see :func:`normalisers`), computed once per problem and
cached on it; their own certified bounds (the most unique reach / niche value any plan under the brief could
have, in people) are on every :class:`Solution` (``unique_reach_bound``, ``niche_value_bound`` and ``info``).
"""

from __future__ import annotations

import copy
import hashlib
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from planner.planning import reach as _reach

__all__ = [
    "GAP_OPTIMAL",
    "Infeasible",
    "Problem",
    "Solution",
    "default_gap_target",
    "evaluate",
    "frontier",
    "normalisers",
    "solve",
]

GAP_OPTIMAL = 1e-4  # a plan within 0.01 % of the bound is reported "optimal"
GAP_LARGE = 5e-3  # default target above SMALL_N candidates
SMALL_N = 2000
_EPS = 1e-9  # feasibility tolerance on budget shares (costs are divided by the budget)
_FILTER_MIN = 3000  # above this many free candidates the bound search first runs on a filtered set
_DISP = False  # HiGHS log (debugging)
_KERNEL = True  # kernel search (small MILP for a better incumbent) before the core MILP
_HEUR = 0.05
_GIANT = 0.05  # probe critical candidates costing more than this share of the budget left (see _probe_giants)


# Why no plan exists, by code: the English text here, the page translates the code (planner.core.i18n "infeasible.*")
# with the same parameters (names, amounts and shares already formatted, language-neutral).
INFEASIBLE: dict[str, str] = {
    "must_and_excluded": "{name} is both a must-have and excluded",
    "same_blogger": ("must-haves {a} and {b} are the same blogger; a plan books at most one placement per blogger "
                     "(use package candidates to book several formats together)"),
    "must_above_cap": "must-have {name} costs {cost}, above the cap of {cap} per placement ({share} of the budget)",
    "budget_below_musts": "budget {budget} is below the cost of the must-have bloggers ({cost})",
    "share_min_above_max": "{platform}: the minimum share {lo} is above the maximum {hi}",
    "share_no_candidates": "{platform} must take at least {lo} of the budget, but there are no candidates on it",
    "musts_above_platform_cap": ("must-have placements on {platform} cost {cost}, above its cap of {hi} of the "
                                 "budget ({cap})"),
    "share_minimums_above_100": "platform minimum shares add up to {total} of the budget",
    "share_min_cheap": ("{platform} must take at least {need} ({share} of the budget), but all allowed candidates "
                        "on it together cost only {have}"),
    "share_min_left": ("{platform} must take at least {need} ({share} of the budget), but the budget left after "
                       "the must-haves allows only {have}"),
    "share_minimums_above_left": "the platform minimum shares need more than the budget left after the must-haves",
    "budget_and_shares": "no plan satisfies the budget and platform shares together",
    "units_below_musts": "the must-have placements need {need} product units, more than the {units} available",
}


class Infeasible(Exception):
    """No plan satisfies the brief; the message says why in plain words. ``code`` and ``params`` let a page
    say the same in its language (:data:`INFEASIBLE`)."""

    def __init__(self, code: str, **params: str):
        self.code, self.params = code, params
        super().__init__(INFEASIBLE[code].format(**params))


def _fmt(x: float) -> str:
    return f"{x:,.0f}".replace(",", "\u202f")


def _pct(x: float) -> str:
    return f"{100 * x:.3g} %"


@dataclass
class Problem:
    """One planning brief, as arrays over candidates (placements).

    ``pool`` holds pool ids ``0..P-1`` indexing ``pool_size`` (people); every reach must be below its pool
    size. ``blogger`` and ``platform`` are any integer ids. ``must_in`` / ``must_out`` are candidate indices.
    ``max_share`` caps one candidate's cost at ``max_share * budget``. ``platform_bounds`` maps a platform id
    to ``(lo, hi)`` shares of the budget (``None`` = no bound). ``overlaps`` lists measured pairs
    ``(j1, j2, share of the smaller audience)``. ``labels`` (optional, per candidate) and ``platform_names``
    are used in messages only.

    ``units`` (per candidate, >= 0) and ``units_budget``: a second budget, e.g. product units sent for barter; a
    candidate with units may cost no cash.

    Several formats of one blogger: expand the candidates with :func:`planner.planning.reach.package_candidates`
    (``allow_packages``); the solver always books at most one row per blogger.
    Treat a Problem as immutable once solved (derived data is cached on it, keyed by a fingerprint).
    """

    cost: np.ndarray
    reach: np.ndarray
    fit: np.ndarray
    pool: np.ndarray
    blogger: np.ndarray
    platform: np.ndarray
    pool_size: np.ndarray
    budget: float
    must_in: Sequence[int] = ()
    must_out: Sequence[int] = ()
    max_share: float | None = None
    platform_bounds: dict[int, tuple[float | None, float | None]] = field(default_factory=dict)
    overlaps: Sequence[tuple[int, int, float]] | None = None
    labels: Sequence[str] | None = None
    platform_names: dict[int, str] | None = None
    # a second budget (product units of barter and hybrid placements): sum units <= units_budget
    units: np.ndarray | None = None
    units_budget: float | None = None
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def n(self) -> int:
        return int(np.asarray(self.cost).size)


@dataclass
class Solution:
    """A plan and its certificate. ``upper_bound`` is a proven bound on the best achievable objective;
    ``gap = (upper_bound - objective) / upper_bound``. ``status``: "optimal" (gap <= 0.01 %), "gap_ok" (within
    ``gap_target``), "time_limit" (the deadline stopped it; the bound is still valid), "gap_above_target".
    ``unique_reach_bound`` / ``niche_value_bound``: the most unique reach / niche value (people) any plan under
    the brief could have (certified by the normalisers' runs; None when they are unknown, e.g. normalisers given
    by the caller for a problem never solved here). ``info`` also holds ``unique_reach_max`` /
    ``niche_value_max`` (= the normalisers) and ``normalisers_certified``."""

    chosen: np.ndarray
    cost: float
    unique_reach: float
    niche_value: float
    objective: float
    upper_bound: float
    gap: float
    reach_weight: float
    seconds: float
    status: str  # "optimal" | "gap_ok" | "time_limit" | "gap_above_target"
    normalisers: tuple[float, float] = (1.0, 1.0)
    gap_target: float = GAP_OPTIMAL
    platform_spend: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    # certified: no plan under the brief has more unique reach / niche value (people) than these
    unique_reach_bound: float | None = None
    niche_value_bound: float | None = None


def default_gap_target(n: int) -> float:
    """0.01 % (optimal) up to 2,000 candidates, 0.5 % above."""
    return GAP_OPTIMAL if n <= SMALL_N else GAP_LARGE


# ----------------------------------------------------------------------------------------------------------
# Preparation (independent of the reach weight), cached per problem
# ----------------------------------------------------------------------------------------------------------


def _fingerprint(pb: Problem) -> str:
    h = hashlib.blake2b(digest_size=16)
    for arr in (pb.cost, pb.reach, pb.fit, pb.pool, pb.blogger, pb.platform, pb.pool_size):
        a = np.ascontiguousarray(np.asarray(arr))
        h.update(str(a.dtype).encode())
        h.update(a.tobytes())
    h.update(repr((float(pb.budget), sorted(int(i) for i in pb.must_in), sorted(int(i) for i in pb.must_out),
                   pb.max_share, sorted(pb.platform_bounds.items()),
                   None if pb.overlaps is None else [tuple(map(float, t)) for t in pb.overlaps])).encode())
    if pb.units is not None:
        h.update(np.ascontiguousarray(np.asarray(pb.units, dtype=float)).tobytes())
        h.update(repr(pb.units_budget).encode())
    return h.hexdigest()


class _Work:
    """A subset of free candidates laid out by one-per-blogger set size, for vectorised set maxima."""

    def __init__(self, prep: _Prep, ids: np.ndarray):
        ids = np.asarray(ids, dtype=np.int64)
        g = prep.grp[ids]
        o = np.lexsort((ids, g))
        ids, g = ids[o], g[o]
        m = ids.size
        self.blocks: list[tuple[int, int, int]] = []
        if m:
            starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
            sizes = np.diff(np.r_[starts, m])
            parts = []
            off = 0
            for s in np.unique(sizes).tolist():
                st = starts[sizes == s]
                parts.append((st[:, None] + np.arange(s)).ravel())
                self.blocks.append((s, off, st.size))
                off += st.size * s
            ids = ids[np.concatenate(parts)]
        self.ids = ids
        self.m = m
        self.a = prep.a[ids]
        self.b = prep.b[ids]
        self.c = prep.c[ids]
        self.u = prep.u[ids]
        self.pool = prep.pool[ids]
        self.cw = prep.cw[ids]
        self.poolb = self.pool + prep.P  # index of the niche term
        self.plat = prep.plat[ids]
        self.P = prep.P
        self.xtot = np.r_[np.bincount(self.pool, weights=self.a, minlength=prep.P),
                          np.bincount(self.pool, weights=self.b, minlength=prep.P)]

    def xsum(self, mask: np.ndarray) -> np.ndarray:
        """Both exponents per pool (reach, niche) summed over the masked positions."""
        pm = self.pool[mask]
        return np.r_[np.bincount(pm, weights=self.a[mask], minlength=self.P),
                     np.bincount(pm, weights=self.b[mask], minlength=self.P)]

    def tangent_part(self, eta: np.ndarray) -> np.ndarray:
        """eta_p a_j + zeta_p b_j per position (eta holds both multipliers per pool, as X does)."""
        return eta[self.pool] * self.a + eta[self.poolb] * self.b

    def best(self, s: np.ndarray) -> tuple[np.ndarray, float]:
        """Mask of each set's best candidate with a positive score, and the sum of those scores."""
        mask = np.zeros(self.m, dtype=bool)
        total = 0.0
        for sz, off, ng in self.blocks:
            seg = s[off: off + sz * ng]
            if sz == 1:
                mk = seg > 0
                mask[off: off + ng] = mk
                total += float(np.maximum(seg, 0.0).sum())
            else:
                S = seg.reshape(ng, sz)
                am = S.argmax(axis=1)
                best = S[np.arange(ng), am]
                rows = np.flatnonzero(best > 0)
                mask[off + rows * sz + am[rows]] = True
                total += float(np.maximum(best, 0.0).sum())
        return mask, total

    def top2(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per position: its set's best score (>= 0, "none" counts 0), whether it is that best, and the best
        score of the set without it (>= 0)."""
        gbest = np.zeros(self.m)
        is_best = np.zeros(self.m, dtype=bool)
        other = np.zeros(self.m)
        for sz, off, ng in self.blocks:
            sl = slice(off, off + sz * ng)
            seg = s[sl]
            if sz == 1:
                gbest[sl] = np.maximum(seg, 0.0)
                is_best[sl] = seg > 0
                other[sl] = 0.0
            else:
                S = seg.reshape(ng, sz)
                am = S.argmax(axis=1)
                b1 = S[np.arange(ng), am]
                S2 = S.copy()
                S2[np.arange(ng), am] = -np.inf
                b2 = S2.max(axis=1)
                gb = np.maximum(b1, 0.0)
                gbest[sl] = np.repeat(gb, sz)
                ib = np.zeros((ng, sz), dtype=bool)
                ib[np.arange(ng), am] = b1 > 0
                is_best[sl] = ib.ravel()
                oth = np.where(ib, np.maximum(b2, 0.0)[:, None], gb[:, None])
                other[sl] = oth.ravel()
        return gbest, is_best, other


class _Prep:
    """Validated arrays, fixed (must-have) part, free candidates and pair data; no reach weight involved."""

    def __init__(self, pb: Problem):
        cost = np.asarray(pb.cost, dtype=float).ravel()
        reach = np.asarray(pb.reach, dtype=float).ravel()
        fit = np.asarray(pb.fit, dtype=float).ravel()
        n = cost.size
        self.n = n
        pool = np.asarray(pb.pool).ravel()
        blogger = np.asarray(pb.blogger).ravel()
        platform = np.asarray(pb.platform).ravel()
        N = np.asarray(pb.pool_size, dtype=float).ravel()
        for name, arr in (("reach", reach), ("fit", fit), ("pool", pool), ("blogger", blogger),
                          ("platform", platform)):
            if arr.size != n:
                raise ValueError(f"{name} has {arr.size} entries, cost has {n}")
        units = np.zeros(n) if pb.units is None else np.asarray(pb.units, dtype=float).ravel()
        if units.size != n:
            raise ValueError(f"units has {units.size} entries, cost has {n}")
        if n and (not np.all(np.isfinite(units)) or np.any(units < 0)):
            raise ValueError("units must be numbers of 0 or more")
        self.has_units = pb.units is not None and bool(np.any(units > 0))
        U = float(pb.units_budget) if pb.units_budget is not None else math.inf
        if self.has_units and not (U >= 0 and not math.isnan(U)):
            raise ValueError("the units budget must be a number of 0 or more")
        if n and (not np.all(np.isfinite(cost)) or np.any(cost < 0) or np.any((cost == 0) & (units <= 0))):
            raise ValueError("every cost must be a positive number (or 0 for a candidate with units)")
        if n and (not np.all(np.isfinite(reach)) or np.any(reach <= 0)):
            raise ValueError("every reach must be a positive number")
        if n and (not np.all(np.isfinite(fit)) or np.any(fit < 0) or np.any(fit > 1)):
            raise ValueError("niche fit must lie in [0, 1]")
        if not (np.isfinite(pb.budget) and pb.budget > 0):
            raise ValueError("the budget must be a positive number")
        pool = pool.astype(np.int64)
        if n and (pool.min() < 0 or pool.max() >= N.size):
            raise ValueError("pool ids must index pool_size (0..P-1)")
        if np.any(~np.isfinite(N)) or np.any(N <= 0):
            raise ValueError("pool sizes must be positive")
        if n and np.any(reach >= N[pool]):
            j = int(np.flatnonzero(reach >= N[pool])[0])
            raise ValueError(f"candidate {j} reaches {_fmt(reach[j])}, not below its pool size {_fmt(N[pool[j]])}")
        B = float(pb.budget)
        self.B = B
        self.P = N.size
        self.N = N
        self.labels = pb.labels
        self.platform_names = pb.platform_names or {}
        self.cost_all, self.reach_all, self.fit_all = cost, reach, fit
        self.pool_all = pool
        self.a_all = -np.log1p(-reach / N[pool]) if n else np.zeros(0)
        self.fr_all = fit * reach
        self.b_all = -np.log1p(-self.fr_all / N[pool]) if n else np.zeros(0)
        _, gid = np.unique(blogger, return_inverse=True)
        gid = gid.reshape(-1).astype(np.int64)
        self.plat_ids, kid = np.unique(platform, return_inverse=True)
        kid = kid.reshape(-1).astype(np.int64)
        K = self.plat_ids.size
        self.K = K
        self.kid_all = kid

        def ids(x, what):
            arr = np.unique(np.asarray(list(x), dtype=np.int64)) if len(x) else np.zeros(0, dtype=np.int64)
            if arr.size and (arr.min() < 0 or arr.max() >= n):
                raise ValueError(f"{what} refers to a candidate that does not exist")
            return arr

        must_in = ids(pb.must_in, "must_in")
        must_out = ids(pb.must_out, "must_out")
        both = np.intersect1d(must_in, must_out)
        if both.size:
            raise Infeasible("must_and_excluded", name=self.name(both[0]))
        # at most one per blogger among must-haves
        if must_in.size:
            g_in = gid[must_in]
            u, cnt = np.unique(g_in, return_counts=True)
            if np.any(cnt > 1):
                dup = must_in[g_in == u[cnt > 1][0]]
                raise Infeasible("same_blogger", a=self.name(dup[0]), b=self.name(dup[1]))
        cost_in = float(cost[must_in].sum())
        if pb.max_share is not None:
            if not 0 < pb.max_share <= 1:
                raise ValueError("max_share must lie in (0, 1]")
            cap = pb.max_share * B
            over = must_in[cost[must_in] > cap * (1 + 1e-12)]
            if over.size:
                j = int(over[0])
                raise Infeasible("must_above_cap", name=self.name(j), cost=_fmt(cost[j]), cap=_fmt(cap),
                                 share=_pct(pb.max_share))
        else:
            cap = B
        if cost_in > B * (1 + 1e-12):
            raise Infeasible("budget_below_musts", budget=_fmt(B), cost=_fmt(cost_in))
        units_in = float(units[must_in].sum())
        if self.has_units and units_in > U * (1 + 1e-12):
            raise Infeasible("units_below_musts", units=_fmt(U), need=_fmt(units_in))
        # platform bounds
        H = np.full(K, np.inf)
        L = np.full(K, -np.inf)
        spend_in = np.bincount(kid[must_in], weights=cost[must_in], minlength=K)
        lo_total = 0.0
        for key, (lo, hi) in (pb.platform_bounds or {}).items():
            pos = np.flatnonzero(self.plat_ids == key)
            pname = self.platform_names.get(key, f"platform {key}")
            for v, what in ((lo, "lower"), (hi, "upper")):
                if v is not None and not (0 <= v <= 1):
                    raise ValueError(f"{what} share for {pname} must lie in [0, 1]")
            if lo is not None and hi is not None and lo > hi:
                raise Infeasible("share_min_above_max", platform=pname, lo=_pct(lo), hi=_pct(hi))
            if lo:
                lo_total += lo
            if pos.size == 0:
                if lo:
                    raise Infeasible("share_no_candidates", platform=pname, lo=_pct(lo))
                continue
            k = int(pos[0])
            if hi is not None:
                if spend_in[k] > hi * B * (1 + 1e-12):
                    raise Infeasible("musts_above_platform_cap", platform=pname, cost=_fmt(spend_in[k]), hi=_pct(hi),
                                     cap=_fmt(hi * B))
                H[k] = hi * B
            if lo:
                L[k] = lo * B
        if lo_total > 1 + 1e-12:
            raise Infeasible("share_minimums_above_100", total=_pct(lo_total))
        self.H_abs, self.L_abs = H, L
        # free candidates
        in_mask = np.zeros(n, dtype=bool)
        in_mask[must_in] = True
        out_mask = np.zeros(n, dtype=bool)
        out_mask[must_out] = True
        grp_has_in = np.zeros(gid.max() + 1 if n else 0, dtype=bool)
        grp_has_in[gid[must_in]] = True
        Bres_abs = B - cost_in
        Hres_abs = H - spend_in
        free = ~in_mask & ~out_mask & (cost <= min(cap, Bres_abs) * (1 + 1e-12)) & (units <= (U - units_in) + 1e-9)
        if n:
            free &= ~grp_has_in[gid] & (cost <= Hres_abs[kid] * (1 + 1e-12))
        self.must_in = must_in
        self.free = np.flatnonzero(free)
        f = self.free
        self.nf = f.size
        self.c = cost[f] / B
        # units as a share of the units left (0 without a units budget); cw: both budgets' shares, for ratios
        Ures_abs = U - units_in
        self.units_all = units
        self.u = units[f] / U if self.has_units and U > 0 else np.zeros(f.size)
        self.Ures = (Ures_abs / U if U > 0 else 0.0) if self.has_units else math.inf
        self.cw = self.c + self.u
        self.a = self.a_all[f]
        self.b = self.b_all[f]
        self.r = reach[f]
        self.fr = fit[f] * reach[f]
        self.pool = pool[f]
        _, g2 = np.unique(gid[f], return_inverse=True)
        self.grp = g2.reshape(-1).astype(np.int64)
        self.G = int(self.grp.max()) + 1 if f.size else 0
        self.plat = kid[f]
        self.A0 = np.bincount(pool[must_in], weights=self.a_all[must_in], minlength=self.P)
        self.B0 = np.bincount(pool[must_in], weights=self.b_all[must_in], minlength=self.P)
        self.A0 = self.A0.astype(float)  # bincount of nothing is an integer array
        self.B0 = self.B0.astype(float)
        self.X0 = np.r_[self.A0, self.B0]  # both exponents per pool: reach [:P], niche [P:]
        self.fr_in = float((fit[must_in] * reach[must_in]).sum())
        self.Bres = Bres_abs / B
        self.Hres = Hres_abs / B
        self.Lres = (L - spend_in) / B
        self.spend_in = spend_in / B
        # feasibility of lower bounds (necessary condition: the most the platform could take)
        for k in range(K):
            if self.Lres[k] > _EPS:
                pk = self.plat == k
                pname = self.platform_names.get(self.plat_ids[k].item(), f"platform {self.plat_ids[k]}")
                most = float(_group_max(self.grp[pk], self.c[pk]).sum()) if pk.any() else 0.0
                most = min(most, self.Hres[k], self.Bres)
                if most + _EPS < self.Lres[k]:
                    need = L[k]
                    have = spend_in[k] + most * B
                    code = "share_min_cheap" if most < self.Bres - _EPS else "share_min_left"
                    raise Infeasible(code, platform=pname, need=_fmt(need), share=_pct(need / B), have=_fmt(have))
        if self.Lres[self.Lres > 0].sum() > self.Bres + _EPS:
            raise Infeasible("share_minimums_above_left")
        self.work_full = _Work(self, np.arange(self.nf))
        # measured overlaps: per pair delta+ = max(0, model duplication - measured duplication), for unique
        # reach (reaches r) and for niche value (fit-weighted reaches f r), see planner.planning.reach
        self.has_pairs = False
        z = np.zeros(self.nf)
        self.credit_in = (z, z.copy())  # (reach, niche) delta+ with must-haves (exact linear)
        self.credit_half = (z.copy(), z.copy())  # (reach, niche) delta+/2 of free-free pairs
        self.pair_const = (0.0, 0.0)
        self.pairs_orig = None
        if pb.overlaps is not None and len(pb.overlaps):
            pi, pk, po = _reach._pairs(pb.overlaps, n)
            self.pairs_orig = (pi, pk, po)
            self.has_pairs = pi.size > 0
            same = pool[pi] == pool[pk]
            dplus = []
            for rr in (reach, self.fr_all):
                dmodel = np.where(same, rr[pi] * rr[pk] / N[pool[pi]], 0.0)
                dmeas = po * np.minimum(rr[pi], rr[pk])
                dplus.append(np.maximum(dmodel - dmeas, 0.0))
            loc = np.full(n, -1, dtype=np.int64)
            loc[f] = np.arange(f.size)
            li, lk = loc[pi], loc[pk]
            ii, ik = in_mask[pi], in_mask[pk]
            m1 = ii & (lk >= 0)
            m2 = ik & (li >= 0)
            m3 = (li >= 0) & (lk >= 0) & ((dplus[0] > 0) | (dplus[1] > 0))
            consts = []
            for t, d in enumerate(dplus):
                consts.append(float(d[ii & ik].sum()))
                np.add.at(self.credit_in[t], lk[m1], d[m1])
                np.add.at(self.credit_in[t], li[m2], d[m2])
                np.add.at(self.credit_half[t], li[m3], d[m3] / 2)
                np.add.at(self.credit_half[t], lk[m3], d[m3] / 2)
            self.pair_const = (consts[0], consts[1])
        possible = in_mask.copy()
        possible[f] = True
        self.kappa = _Kappa(self, possible) if self.has_pairs else None

    def name(self, j) -> str:
        j = int(j)
        if self.labels is not None:
            return f"{self.labels[j]!s} (candidate {j})"
        return f"candidate {j}"


class _Kappa:
    """Exact measured-overlap part of the objective.

    For each of the two terms (reach with ``rho = r``, niche value with ``rho = f r``) planner.planning.reach builds a
    plan in a canonical order (largest ``rho`` first); a placement ``j`` that comes later than a measured
    partner adds ``rho_j prod_{m in S, m before j} (1 - q_jm)``, with ``q_jm`` the measured overlap for a
    measured pair and the model's ``rho_m / N_p`` otherwise (same pool; 0 across pools). So the exact value is
    the pool model plus, for each such ``j`` (a "kappa term")::

        kappa_j(S) = [j in S] rho_j (prod_{m in E_j cap S} (1 - qmeas_jm) - prod_{m in E_j cap S} (1 - qmod_jm))

    over ``E_j`` = the possible placements before ``j`` in its pool and its earlier measured partners. It is
    evaluated exactly for any plan (:meth:`corr`), and bounded in the MILP by cuts exact at a given plan
    (:meth:`cut`)."""

    def __init__(self, prep: _Prep, possible: np.ndarray):
        pi, pk, po = prep.pairs_orig  # type: ignore[misc]
        n = prep.n
        self.terms: list[tuple[int, int, float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self.members = np.zeros(n, dtype=bool)  # kappa terms and their partners
        ok = possible[pi] & possible[pk]
        pi, pk, po = pi[ok], pk[ok], po[ok]
        for tau, rho in enumerate((prep.reach_all, prep.fr_all)):
            rank = np.empty(n, dtype=np.int64)
            rank[np.lexsort((np.arange(n), -rho))] = np.arange(n)
            later = np.where(rank[pi] > rank[pk], pi, pk)
            earlier = np.where(rank[pi] > rank[pk], pk, pi)
            for j in np.unique(later).tolist():
                if rho[j] <= 0:
                    continue
                sel = later == j
                partners, o = earlier[sel], po[sel]
                q = prep.pool_all[j]
                Nq = prep.N[q]
                same = np.flatnonzero(possible & (prep.pool_all == q) & (rank < rank[j]))
                E = np.union1d(same, partners)
                qmod = np.where(prep.pool_all[E] == q, rho[E] / Nq, 0.0)
                qmeas = qmod.copy()
                pos = np.searchsorted(E, partners)
                qmeas[pos] = o
                isp = np.zeros(E.size, dtype=bool)
                isp[pos] = True
                self.terms.append((tau, int(j), float(rho[j]), E, qmeas, qmod, isp))
                self.members[j] = True
                self.members[partners] = True

    def corr_terms(self, ins: np.ndarray) -> np.ndarray:
        """kappa_j of the plan ``ins`` (mask over all candidates), one per term."""
        out = np.zeros(len(self.terms))
        for t, (_, j, rho, E, qmeas, qmod, _) in enumerate(self.terms):
            if ins[j]:
                m = ins[E]
                out[t] = rho * (float(np.prod(1.0 - qmeas[m])) - float(np.prod(1.0 - qmod[m])))
        return out

    def corr(self, ins: np.ndarray, ku: float, kn: float) -> float:
        if not self.terms:
            return 0.0
        k = np.array([ku if tau == 0 else kn for tau, *_ in self.terms])
        return float(np.dot(k, self.corr_terms(ins)))

    def cut(self, t: int, ins: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, float]:
        """A cut ``kappa_t <= c_j x_j + sum_E c_m x_m + c0`` valid for every plan and exact at ``ins``:
        returns (j, E, c_E, c0) with c_j folded in as (c_j, c0) -> see :func:`_region_milp`."""
        _, j, rho, E, qmeas, qmod, _ = self.terms[t]
        m = ins[E]
        pm = float(np.prod(1.0 - qmeas[m]))
        pd = float(np.prod(1.0 - qmod[m]))
        # rho [ x_j (pm - pd) + sum_{E cap S*} qmeas (1 - x) + sum_{E - S*} qmod x ]
        cE = rho * np.where(m, -qmeas, qmod)
        c0 = rho * float(qmeas[m].sum())
        return j, E, np.r_[rho * (pm - pd), cE], c0


def _group_max(g: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """Largest value per group (groups in sorted id order)."""
    o = np.lexsort((vals, g))
    gs = g[o]
    last = np.flatnonzero(np.r_[gs[1:] != gs[:-1], True])
    return vals[o][last]


def _prep_of(pb: Problem) -> _Prep:
    fp = _fingerprint(pb)
    if pb._cache.get("fp") != fp:
        pb._cache.clear()
        pb._cache["fp"] = fp
        pb._cache["prep"] = _Prep(pb)
    return pb._cache["prep"]


# ----------------------------------------------------------------------------------------------------------
# Objective for one reach weight
# ----------------------------------------------------------------------------------------------------------


class _Obj:
    """The objective at one reach weight: per pool two concave terms, ``coef_t (1 - exp(-X_t))`` with
    ``X = (A, B)`` (reach exponents in ``[:P]``, niche exponents in ``[P:]``)."""

    def __init__(self, prep: _Prep, w: float, Us: float, Vs: float):
        self.w, self.Us, self.Vs = w, Us, Vs
        self.alpha = w * prep.N / Us
        self.beta = (1.0 - w) * prep.N / Vs
        self.coef = np.r_[self.alpha, self.beta]
        self.coef1 = self.coef * np.exp(-prep.X0)  # what is left of each term after the must-haves
        self.alpha1 = self.coef1[: prep.P]
        kn = (1.0 - w) / Vs
        ku = w / Us
        self.ku, self.kn = ku, kn
        # linear part of the bound's score: measured-overlap credit (zero without measured pairs)
        self.vb = ku * (prep.credit_in[0] + prep.credit_half[0]) + kn * (prep.credit_in[1] + prep.credit_half[1])
        self.const_model = float(np.sum(self.coef * -np.expm1(-prep.X0)))
        self.const_b = self.const_model + ku * prep.pair_const[0] + kn * prep.pair_const[1]


def _gstar(al: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """sup_{A>=0} al (1 - e^{-A}) - eta A."""
    out = np.zeros_like(al)
    m = (al > 0) & (eta < al)
    e = eta[m]
    A = al[m]
    with np.errstate(divide="ignore", invalid="ignore"):
        val = np.where(e > 0, A - e - e * np.log(A / np.where(e > 0, e, 1.0)), A)
    out[m] = val
    return out


@dataclass
class _Ev:
    D: float
    lam: float
    theta: np.ndarray
    eta: np.ndarray
    mask: np.ndarray
    spend: float
    spendk: np.ndarray
    mu: float = 0.0  # the units budget's multiplier
    units: float = 0.0  # units (share of the units budget) of the relaxed choice


class _Deadline:
    """One absolute deadline shared by every step of a solve (normalisers, bound, heuristics, MILP)."""

    def __init__(self, seconds: float, parent: _Deadline | None = None):
        end: float = time.perf_counter() + max(float(seconds), 0.0)
        self.end: float = min(end, parent.end) if parent is not None else end

    def left(self) -> float:
        return self.end - time.perf_counter()

    def expired(self) -> bool:
        return time.perf_counter() >= self.end

    def share(self, frac: float) -> _Deadline:
        """A sub-deadline at ``frac`` of the time left (never after this one)."""
        return _Deadline(max(self.left(), 0.0) * frac, self)


class _Ctx:
    def __init__(self, prep: _Prep, obj: _Obj, dl: _Deadline):
        self.prep, self.obj, self.dl = prep, obj, dl
        K = prep.K
        self.up_ok = np.isfinite(prep.Hres) & (prep.Hres < prep.Bres - _EPS)  # theta may be > 0
        self.lo_ok = np.isfinite(prep.Lres) & (prep.Lres > _EPS)  # theta may be < 0
        self.constrained = np.flatnonzero(self.up_ok | self.lo_ok)
        self.K = K
        self.passes = 0
        self.units_on = bool(prep.has_units)  # the units budget is a relaxed row (multiplier mu)

    def dual_const(self, lam: float, theta: np.ndarray, mu: float = 0.0) -> float:
        p = self.prep
        v = self.obj.const_b + lam * p.Bres
        if mu > 0:
            v += mu * p.Ures
        tp = np.maximum(theta, 0.0)
        tn = np.maximum(-theta, 0.0)
        if np.any(tp > 0):
            v += float(np.sum(tp[self.up_ok] * p.Hres[self.up_ok]))
        if np.any(tn > 0):
            v -= float(np.sum(tn[self.lo_ok] * p.Lres[self.lo_ok]))
        return v


class _Dual:
    """Multiplier search on one work set."""

    def __init__(self, ctx: _Ctx, work: _Work, mu: float = 0.0):
        self.ctx, self.work = ctx, work
        self.mu = float(mu) if ctx.units_on else 0.0  # the units multiplier every ev uses (mu_search moves it)
        self.vw = ctx.obj.vb[work.ids]
        self.best: _Ev | None = None
        self.alpha1 = ctx.obj.coef1
        self.act = (self.alpha1 > 0) & (work.xtot > 0)

    def _A(self, base, eta):
        w = self.work
        s = base + w.tangent_part(eta)
        mask, total = w.best(s)
        self.ctx.passes += 1
        return w.xsum(mask), mask, total

    def ev(self, lam: float, theta: np.ndarray, eta0: np.ndarray | None, h: float = 0.1,
           tol: float = 1e-4, mu: float | None = None) -> _Ev:
        w = self.work
        mu = self.mu if mu is None else float(mu)
        price = w.c * (lam + theta[w.plat]) if self.ctx.K > 1 else w.c * (lam + theta[0])
        if mu > 0:
            price = price + mu * w.u
        base = self.vw - price
        al = self.alpha1
        eta = al.copy()
        act = self.act
        if act.any():
            la = np.log(al[act])
            glo = la - w.xtot[act] - 1.0
            ghi = la.copy()
            if eta0 is not None and np.all(eta0[act] > 0):
                u0 = np.clip(np.log(eta0[act]), glo, ghi)
                lo = np.maximum(u0 - h, glo)
                hi = np.minimum(u0 + h, ghi)
                eta[act] = np.exp(lo)
                A, _, _ = self._A(base, eta)
                lo = np.where(A[act] - (la - lo) > 0, glo, lo)
                eta[act] = np.exp(hi)
                A, _, _ = self._A(base, eta)
                hi = np.where(A[act] - (la - hi) < 0, ghi, hi)
            else:
                lo, hi = glo, ghi
            for _ in range(80):
                if float(np.max(hi - lo)) <= tol or self.ctx.dl.expired():
                    break
                mid = 0.5 * (lo + hi)
                eta[act] = np.exp(mid)
                A, _, _ = self._A(base, eta)
                up = A[act] - (la - mid) > 0
                hi = np.where(up, mid, hi)
                lo = np.where(up, lo, mid)
            eta[act] = np.exp(0.5 * (lo + hi))
        _, mask, total = self._A(base, eta)
        D = self.ctx.dual_const(lam, theta, mu) + float(_gstar(al, eta).sum()) + total
        cm = w.c[mask]
        e = _Ev(D, lam, theta.copy(), eta.copy(), mask, float(cm.sum()),
                np.bincount(w.plat[mask], weights=cm, minlength=self.ctx.K), mu, float(w.u[mask].sum()))
        if self.best is None or e.D < self.best.D:
            self.best = e
        return e

    def lam_search(self, theta, lam0, eta0, rtol, etol) -> tuple[_Ev | None, _Ev]:
        """Bisection on lam (theta fixed). Returns (eval with spend > budget or None, eval with spend <= budget)."""
        B = self.ctx.prep.Bres
        lam = max(lam0, 1e-300)
        e = self.ev(lam, theta, eta0, h=0.3, tol=etol)
        lo = hi = None
        if e.spend > B + _EPS:
            lo = e
            for _ in range(200):
                lam *= 2.0
                e = self.ev(lam, theta, lo.eta, h=1.0, tol=etol)
                if e.spend <= B + _EPS:
                    hi = e
                    break
                lo = e
        else:
            hi = e
            for _ in range(200):
                lam *= 0.5
                if lam < 1e-12 * max(lam0, 1e-300):
                    e = self.ev(0.0, theta, hi.eta, h=1.0, tol=etol)
                    if e.spend <= B + _EPS:
                        return None, e
                    lo = e
                    break
                e = self.ev(lam, theta, hi.eta, h=1.0, tol=etol)
                if e.spend > B + _EPS:
                    lo = e
                    break
                hi = e
        if hi is None or lo is None:
            raise RuntimeError("budget multiplier search failed")
        if lo.lam <= 0:
            return lo, hi
        for _ in range(80):
            if hi.lam / lo.lam - 1.0 <= rtol or self.ctx.dl.expired():
                break
            mid = math.sqrt(lo.lam * hi.lam)
            step = math.log(hi.lam / lo.lam)
            e = self.ev(mid, theta, hi.eta, h=max(4 * etol, 1.5 * step), tol=etol)
            if e.spend > B + _EPS:
                lo = e
            else:
                hi = e
        return lo, hi

    def theta_search(self, k: int, cur: _Ev, rtol: float, etol: float) -> _Ev:
        """Coordinate search on platform k's multiplier (lam and the other thetas fixed)."""
        ctx, p = self.ctx, self.ctx.prep
        H = p.Hres[k] if ctx.up_ok[k] else np.inf
        L = p.Lres[k] if ctx.lo_ok[k] else -np.inf

        def direction(e: _Ev) -> int:
            t, s = e.theta[k], e.spendk[k]
            if (t >= 0 and s > H + _EPS) or (t < 0 and s > L + _EPS):
                return 1
            if (t > 0 and s < H - _EPS) or (t <= 0 and s < L - _EPS):
                return -1
            return 0

        d = direction(cur)
        if d == 0:
            return cur
        scale = max(abs(cur.theta[k]), 0.05 * cur.lam, 1e-12)
        a = cur
        b = None
        step = scale
        for _ in range(60):
            th = cur.theta.copy()
            th[k] = cur.theta[k] + d * step
            if not ctx.up_ok[k]:
                th[k] = min(th[k], 0.0)
            if not ctx.lo_ok[k]:
                th[k] = max(th[k], 0.0)
            e = self.ev(cur.lam, th, a.eta, h=0.5, tol=etol)
            de = direction(e)
            if de != d:
                b = e
                break
            a = e
            step *= 2.0
            if th[k] == 0.0:
                b = e
                break
        if b is None:
            return a
        for _ in range(60):
            if abs(b.theta[k] - a.theta[k]) <= rtol * max(cur.lam, abs(a.theta[k]), 1e-300) or self.ctx.dl.expired():
                break
            th = a.theta.copy()
            th[k] = 0.5 * (a.theta[k] + b.theta[k])
            e = self.ev(cur.lam, th, a.eta, h=0.2, tol=etol)
            if direction(e) == d:
                a = e
            else:
                b = e
        return b if direction(b) == 0 or b.D <= a.D else a

    def mu_search(self, cur: _Ev, rtol: float, etol: float) -> _Ev:
        """Search on the units multiplier (lam and theta fixed), like :meth:`theta_search`; sets ``self.mu``."""
        U = self.ctx.prep.Ures

        def direction(e: _Ev) -> int:
            if e.units > U + _EPS:
                return 1
            if e.mu > 0 and e.units < U - _EPS:
                return -1
            return 0

        d = direction(cur)
        if d == 0:
            return cur
        a, b = cur, None
        step = max(cur.mu, 0.05 * cur.lam, 1e-12)
        for _ in range(80):
            mu = max(cur.mu + d * step, 0.0)
            e = self.ev(cur.lam, cur.theta, a.eta, h=0.5, tol=etol, mu=mu)
            if direction(e) != d or mu == 0.0:
                b = e
                break
            a = e
            step *= 2.0
        if b is None:
            self.mu = a.mu
            return a
        for _ in range(60):
            if abs(b.mu - a.mu) <= rtol * max(cur.lam, a.mu, b.mu, 1e-300) or self.ctx.dl.expired():
                break
            e = self.ev(cur.lam, cur.theta, a.eta, h=0.2, tol=etol, mu=0.5 * (a.mu + b.mu))
            if direction(e) == d:
                a = e
            else:
                b = e
        best = b if direction(b) == 0 or b.D <= a.D else a
        self.mu = best.mu
        return best

    def run(self, lam0: float, theta0: np.ndarray, eta0, rtol: float, etol: float, rounds: int = 4):
        theta = theta0.copy()
        lo, hi = self.lam_search(theta, lam0, eta0, rtol, etol)
        if self.ctx.constrained.size or self.ctx.units_on:
            trt = max(rtol * 10, 2e-4)  # platform multipliers: coarser (any value keeps the bound valid)
            for _ in range(rounds):
                if self.ctx.dl.expired():
                    break
                before = self.best.D if self.best is not None else math.inf
                moved = False
                cur = hi
                for k in self.ctx.constrained.tolist():
                    new = self.theta_search(k, cur, trt, max(etol, 1e-3))
                    if new is not cur and abs(new.theta[k] - cur.theta[k]) > trt * max(cur.lam, 1e-300):
                        moved = True
                    cur = new
                if self.ctx.units_on:
                    new = self.mu_search(cur, trt, max(etol, 1e-3))
                    if new is not cur and abs(new.mu - cur.mu) > trt * max(cur.lam, cur.mu, 1e-300):
                        moved = True
                    cur = new
                theta = cur.theta.copy()
                lo, hi = self.lam_search(theta, max(cur.lam, 1e-300) if cur.lam > 0 else lam0, cur.eta, rtol, etol)
                after = self.best.D if self.best is not None else math.inf
                if not moved or before - after <= 1e-6 * max(1.0, abs(after)):
                    break
        return lo, hi


def _lam_guess(ctx: _Ctx, work: _Work) -> float:
    p, o = ctx.prep, ctx.obj
    if work.m == 0:
        return 1.0
    val = (o.vb[work.ids] + o.coef1[work.pool] * -np.expm1(-work.a)
           + o.coef1[work.poolb] * -np.expm1(-work.b))
    ratio = val / work.cw  # cw: the cash share plus the units share (= c without a units budget)
    order = np.argsort(-ratio, kind="stable")
    cs = np.cumsum(work.c[order])
    i = int(np.searchsorted(cs, p.Bres))
    if i >= order.size:
        return max(float(ratio[order[-1]]) * 0.5, 1e-12)
    return max(float(ratio[order[i]]), 1e-12)


def _full_eval(ctx: _Ctx, e: _Ev) -> tuple[float, np.ndarray]:
    """Exact bound D at e's multipliers over all free candidates, and the score of each (free order)."""
    p, o = ctx.prep, ctx.obj
    w = p.work_full
    s = o.vb[w.ids] + w.tangent_part(e.eta) - w.c * (e.lam + e.theta[w.plat]) - e.mu * w.u
    _, total = w.best(s)
    D = ctx.dual_const(e.lam, e.theta, e.mu) + float(_gstar(o.coef1, e.eta).sum()) + total
    out = np.empty(p.nf)
    out[w.ids] = s
    return D, out


@dataclass
class _Bound:
    UB: float
    duals: _Ev | None
    scores: np.ndarray | None  # free order, at the duals of UB
    relaxed: np.ndarray  # free indices chosen on the feasible side
    cand: np.ndarray  # candidate pool for the primal heuristics (free indices)


def _bound(ctx: _Ctx, warm: dict | None) -> _Bound:
    p = ctx.prep
    full = p.work_full
    if p.nf == 0:
        D = ctx.obj.const_b
        return _Bound(D, None, None, np.zeros(0, np.int64), np.zeros(0, np.int64))
    theta0 = np.zeros(p.K)
    eta0 = None
    lam0 = None
    mu0 = 0.0
    if warm:
        lam0 = warm.get("lam")
        mu0 = float(warm.get("mu") or 0.0)
        if warm.get("theta") is not None:
            theta0 = warm["theta"].copy()
        eta0 = warm.get("eta")
    if eta0 is not None:
        eta0 = np.where(ctx.obj.coef1 > 0, np.maximum(eta0, 1e-300), 0.0)
    UB = math.inf
    ub_ev: _Ev | None = None
    ub_scores: np.ndarray | None = None
    if full.m > _FILTER_MIN:
        d0 = _Dual(ctx, full, mu0)
        if lam0 is None:
            lam0 = _lam_guess(ctx, full)
        lo, hi = d0.run(lam0, theta0, eta0, rtol=0.02, etol=0.02, rounds=1)
        cd = d0.best
        assert cd is not None
        UB, ub_ev = cd.D, cd  # evaluated over all free candidates: valid
        if hi.lam > 0:
            lam0 = hi.lam
        theta0, eta0 = hi.theta, hi.eta
        s = (ctx.obj.vb[full.ids] + full.tangent_part(cd.eta) - full.c * (cd.lam + cd.theta[full.plat])
             - cd.mu * full.u)
        price = full.c * np.maximum(cd.lam + cd.theta[full.plat], 0.0) + cd.mu * full.u
        mu0 = cd.mu
        keep_ids = np.sort(full.ids[s >= -0.6 * price])
    else:
        keep_ids = np.arange(p.nf)
        if lam0 is None:
            lam0 = _lam_guess(ctx, full)
    for _ in range(4):
        work = _Work(p, keep_ids) if keep_ids.size < p.nf else full
        d = _Dual(ctx, work, mu0)
        lo, hi = d.run(lam0, theta0, eta0, rtol=2e-6, etol=1e-4, rounds=3)
        cand_ev = d.best
        assert cand_ev is not None
        if work is full:
            D_full, scores = cand_ev.D, None
        else:
            D_full, scores = _full_eval(ctx, cand_ev)
        if D_full < UB:
            UB, ub_ev, ub_scores = D_full, cand_ev, scores
        relaxed = work.ids[hi.mask]
        if work is full or D_full <= cand_ev.D + 1e-12 * max(1.0, abs(cand_ev.D)) or ctx.dl.expired():
            break
        # some filtered-out candidates matter at these multipliers: widen the set and search again
        price = prep_price(p, cand_ev)
        assert scores is not None
        more = np.flatnonzero(scores >= -0.6 * price)
        keep_ids = np.union1d(keep_ids, more)
        lam0, theta0, eta0, mu0 = hi.lam if hi.lam > 0 else lam0, hi.theta, hi.eta, hi.mu
    if ub_scores is None and ub_ev is not None:
        _, ub_scores = _full_eval(ctx, ub_ev)
    # candidates for the primal: the work set, plus anything with a non-negligible score
    cand = work.ids
    return _Bound(UB, ub_ev, ub_scores, np.sort(relaxed), np.sort(cand))


def prep_price(p: _Prep, e: _Ev) -> np.ndarray:
    return p.c * np.maximum(e.lam + e.theta[p.plat], 0.0) + e.mu * p.u


# ----------------------------------------------------------------------------------------------------------
# Primal heuristics (model objective; the exact objective is evaluated at the end)
# ----------------------------------------------------------------------------------------------------------


def _xof(p: _Prep, items) -> np.ndarray:
    """Both exponents per pool (reach [:P], niche [P:]) of the must-haves plus ``items`` (free indices)."""
    items = np.asarray(items, dtype=np.int64)
    pm = p.pool[items]
    return p.X0 + np.r_[np.bincount(pm, weights=p.a[items], minlength=p.P),
                        np.bincount(pm, weights=p.b[items], minlength=p.P)]


class _State:
    def __init__(self, ctx: _Ctx, items: np.ndarray):
        p = ctx.prep
        self.ctx = ctx
        self.ch = np.full(p.G, -1, dtype=np.int64)
        items = np.asarray(items, dtype=np.int64)
        self.ch[p.grp[items]] = items
        items = self.items()
        self.A = _xof(p, items)  # both exponents per pool: reach [:P], niche [P:]
        self.spend = float(p.c[items].sum())
        self.spendk = np.bincount(p.plat[items], weights=p.c[items], minlength=p.K)
        self.units = float(p.u[items].sum())
        self.ins: np.ndarray | None = None  # plan as a mask over all candidates (measured pairs only)
        if p.kappa is not None:
            self.ins = np.zeros(p.n, dtype=bool)
            self.ins[p.must_in] = True
            self.ins[p.free[items]] = True

    def items(self) -> np.ndarray:
        return self.ch[self.ch >= 0]

    def copy(self) -> _State:
        s = object.__new__(_State)
        s.ctx = self.ctx
        s.ch, s.A, s.spend, s.spendk = self.ch.copy(), self.A.copy(), self.spend, self.spendk.copy()
        s.units = self.units
        s.ins = None if self.ins is None else self.ins.copy()
        return s

    def value(self) -> float:
        """Exact objective of the plan (pool model plus the measured-overlap part)."""
        o = self.ctx.obj
        v = float(np.sum(o.coef * -np.expm1(-self.A)))
        kp = self.ctx.prep.kappa
        if kp is not None and self.ins is not None:
            v += kp.corr(self.ins, o.ku, o.kn)
        return v

    def remove(self, i: int):
        p = self.ctx.prep
        self.ch[p.grp[i]] = -1
        self.A[p.pool[i]] -= p.a[i]
        self.A[p.P + p.pool[i]] -= p.b[i]
        if self.ins is not None:
            self.ins[p.free[i]] = False
        self.spend -= p.c[i]
        self.spendk[p.plat[i]] -= p.c[i]
        self.units -= p.u[i]

    def put(self, j: int):
        """Add j, replacing the current choice of its blogger if any."""
        p = self.ctx.prep
        cur = self.ch[p.grp[j]]
        if cur >= 0:
            self.remove(int(cur))
        self.ch[p.grp[j]] = j
        self.A[p.pool[j]] += p.a[j]
        self.A[p.P + p.pool[j]] += p.b[j]
        if self.ins is not None:
            self.ins[p.free[j]] = True
        self.spend += p.c[j]
        self.spendk[p.plat[j]] += p.c[j]
        self.units += p.u[j]

    def feasible(self) -> bool:
        p = self.ctx.prep
        return (self.spend <= p.Bres + _EPS and bool(np.all(self.spendk <= p.Hres + _EPS))
                and bool(np.all(self.spendk >= p.Lres - _EPS)) and self.units <= p.Ures + _EPS)


def _move_gains(ctx: _Ctx, st: _State, cand: np.ndarray):
    """Gain, extra cost and feasibility of putting each candidate in (switching within its blogger)."""
    p, o = ctx.prep, ctx.obj
    P = p.P
    E = o.coef * np.exp(-st.A)
    ca, cb, cc, cp, ck = p.a[cand], p.b[cand], p.c[cand], p.pool[cand], p.plat[cand]
    cur = st.ch[p.grp[cand]]
    has = cur >= 0
    cx = np.where(has, cur, 0)
    ai = np.where(has, p.a[cx], 0.0)
    bi = np.where(has, p.b[cx], 0.0)
    ci = np.where(has, p.c[cx], 0.0)
    pi = np.where(has, p.pool[cx], cp)
    ki = np.where(has, p.plat[cx], ck)
    same = pi == cp
    g_same = E[cp] * -np.expm1(-(ca - ai)) + E[P + cp] * -np.expm1(-(cb - bi))
    g_diff = (E[cp] * -np.expm1(-ca) - E[pi] * np.expm1(ai)
              + E[P + cp] * -np.expm1(-cb) - E[P + pi] * np.expm1(bi))
    gain = np.where(same, g_same, g_diff)
    if p.kappa is not None and st.ins is not None:
        gain = gain + _kappa_gain(ctx, st, cand, np.where(has, cur, -1))
    dc = cc - ci
    ok = (cur != cand) & (st.spend + dc <= p.Bres + _EPS)
    if ctx.units_on:  # the units budget too; the ratio's "cost" is both budgets' shares
        du = p.u[cand] - np.where(has, p.u[cx], 0.0)
        ok &= st.units + du <= p.Ures + _EPS
        dc = dc + du
    if ctx.constrained.size:
        newk = st.spendk[ck] + cc - np.where(ki == ck, ci, 0.0)
        ok &= newk <= p.Hres[ck] + _EPS
        ok &= newk >= np.minimum(p.Lres[ck], st.spendk[ck]) - _EPS
        ok &= ~has | (ki == ck) | (st.spendk[ki] - ci >= p.Lres[ki] - _EPS)
    return gain, dc, ok


def _kappa_gain(ctx: _Ctx, st: _State, cand: np.ndarray, cur: np.ndarray) -> np.ndarray:
    """Exact change of the measured-overlap part when each candidate is put in (replacing ``cur``, free index
    or -1). Candidates touching a measured pair are evaluated one by one; for the others only the model factor
    ``(1 - rho_m / N)`` they add to (or ``cur`` removes from) each kappa term behind them in their pool moves."""
    p, o = ctx.prep, ctx.obj
    kp = p.kappa
    assert kp is not None and st.ins is not None
    ins = st.ins
    out = np.zeros(cand.size)
    if not kp.terms:
        return out
    om = p.free[cand]
    oc = np.where(cur >= 0, p.free[np.maximum(cur, 0)], -1)
    special = kp.members[om] | ((oc >= 0) & kp.members[np.maximum(oc, 0)])
    base = kp.corr(ins, o.ku, o.kn)
    for t in np.flatnonzero(special).tolist():
        trial = ins.copy()
        if oc[t] >= 0:
            trial[oc[t]] = False
        trial[om[t]] = True
        out[t] = kp.corr(trial, o.ku, o.kn) - base
    vals = kp.corr_terms(ins)
    rest = ~special
    for t, (tau, _j, _rho, E, _qmeas, qmod, _isp) in enumerate(kp.terms):
        if vals[t] == 0.0:
            continue
        k = o.ku if tau == 0 else o.kn
        fac = np.ones(cand.size)
        pos = np.minimum(np.searchsorted(E, om), E.size - 1)
        hit = E[pos] == om
        fac = np.where(hit, 1.0 - qmod[pos], 1.0)
        posc = np.minimum(np.searchsorted(E, np.maximum(oc, 0)), E.size - 1)
        hitc = (oc >= 0) & (E[posc] == oc)
        fac = fac / np.where(hitc, 1.0 - qmod[posc], 1.0)
        out += np.where(rest, k * vals[t] * (fac - 1.0), 0.0)
    return out


def _greedy(ctx: _Ctx, st: _State, cand: np.ndarray, max_steps: int = 100_000) -> int:
    steps = 0
    if cand.size == 0:
        return 0
    while steps < max_steps and not ctx.dl.expired():
        gain, dc, ok = _move_gains(ctx, st, cand)
        tol = 1e-13 * max(1.0, abs(st.value()))
        ok &= gain > tol
        if not ok.any():
            break
        free = ok & (dc <= 0)
        if free.any():
            j = int(np.argmax(np.where(free, gain, -np.inf)))
        else:
            j = int(np.argmax(np.where(ok, gain / np.where(dc > 0, dc, 1.0), -np.inf)))
        st.put(int(cand[j]))
        steps += 1
    return steps


def _loss(ctx: _Ctx, st: _State, items: np.ndarray) -> np.ndarray:
    p, o = ctx.prep, ctx.obj
    E = o.coef * np.exp(-st.A)
    q = p.pool[items]
    return E[q] * np.expm1(p.a[items]) + E[p.P + q] * np.expm1(p.b[items])


def _repair(ctx: _Ctx, st: _State, cand: np.ndarray) -> bool:
    """Make the plan respect budget and platform shares (remove / add by gain per cost)."""
    p = ctx.prep
    for _ in range(20_000):
        items = st.items()
        if st.units > p.Ures + _EPS:  # over the units budget: drop the least value per unit
            sel = items[p.u[items] > 0]
            r = _loss(ctx, st, sel) / p.u[sel]
            st.remove(int(sel[np.argmin(r)]))
            continue
        over_k = np.flatnonzero(st.spendk > p.Hres + _EPS)
        under_k = np.flatnonzero(st.spendk < p.Lres - _EPS)
        if st.spend > p.Bres + _EPS or over_k.size:
            if over_k.size:
                sel = items[p.plat[items] == over_k[0]]
            else:
                sel = items[st.spendk[p.plat[items]] - p.c[items] >= p.Lres[p.plat[items]] - _EPS]
                if sel.size == 0:
                    sel = items
            sel = sel[p.c[sel] > 0]  # a candidate costing no cash frees none
            if sel.size == 0:
                return False
            r = _loss(ctx, st, sel) / p.c[sel]
            st.remove(int(sel[np.argmin(r)]))
            continue
        if not under_k.size:
            return True
        k = int(under_k[0])
        ck = cand[(p.plat[cand] == k) & (p.c[cand] > 0)]
        if ck.size:
            gain, dc, ok = _move_gains(ctx, st, ck)
            ok &= dc > 0
            if ok.any():
                j = int(np.argmax(np.where(ok, gain / np.where(dc > 0, dc, 1.0), -np.inf)))
                st.put(int(ck[j]))
                continue
        # free budget on other platforms
        sel = items[(p.plat[items] != k)]
        if sel.size:
            kk = p.plat[sel]
            sel = sel[(st.spendk[kk] - p.c[sel] >= p.Lres[kk] - _EPS) & (p.c[sel] > 0)]
        if sel.size:
            r = _loss(ctx, st, sel) / p.c[sel]
            st.remove(int(sel[np.argmin(r)]))
            continue
        # last resort: swap a chosen candidate for a dearer one on platform k (largest rise of k's spend)
        jk = ck[st.ch[p.grp[ck]] < 0]
        if jk.size == 0 or items.size == 0:
            return False
        slack = p.Bres - st.spend
        rise = p.c[jk][None, :] - np.where(p.plat[items] == k, p.c[items], 0.0)[:, None]
        fits = p.c[jk][None, :] - p.c[items][:, None] <= slack + _EPS
        kk = p.plat[items]
        keeps = (kk == k) | (st.spendk[kk] - p.c[items] >= p.Lres[kk] - _EPS)
        score = np.where(fits & keeps[:, None] & (rise > _EPS), rise, -np.inf)
        if not np.isfinite(score.max()):
            return False
        ii, jj = np.unravel_index(int(np.argmax(score)), score.shape)
        st.remove(int(items[ii]))
        st.put(int(jk[jj]))
    return False


def _swap_round(ctx: _Ctx, st: _State, cand: np.ndarray) -> bool:
    """One round of remove-one / add-one moves over all chosen candidates; applies non-conflicting ones."""
    p, o = ctx.prep, ctx.obj
    items = st.items()
    if items.size == 0 or cand.size == 0:
        return False
    P = p.P
    E = o.coef * np.exp(-st.A)
    ia, ib, ip, ic, ik = p.a[items], p.b[items], p.pool[items], p.c[items], p.plat[items]
    iu = p.u[items]
    loss = E[ip] * np.expm1(ia) + E[P + ip] * np.expm1(ib)
    J = cand[st.ch[p.grp[cand]] < 0]
    if J.size == 0:
        return False
    ja, jb, jp, jc, jk = p.a[J], p.b[J], p.pool[J], p.c[J], p.plat[J]
    ju = p.u[J]
    gain0 = E[jp] * -np.expm1(-ja) + E[P + jp] * -np.expm1(-jb)
    slack = p.Bres - st.spend
    K = p.K
    best_gain = np.full(items.size, -np.inf)
    best_j = np.full(items.size, -1, dtype=np.int64)
    constrained = ctx.constrained.size > 0
    # partners in any pool (gain at current pool state: exact for other pools, an under-estimate for its own);
    # with a units budget, partners are grouped by their units (a swap must keep both budgets)
    plat_list = range(K) if constrained else [None]
    unit_groups = np.unique(ju).tolist() if ctx.units_on else [None]
    for k, uval in ((k, uv) for uv in unit_groups for k in plat_list):
        sel = np.arange(J.size) if k is None else np.flatnonzero(jk == k)
        if uval is not None:
            sel = sel[ju[sel] == uval]
        if sel.size == 0:
            continue
        o_ = sel[np.argsort(jc[sel], kind="stable")]
        cs = jc[o_]
        gv = gain0[o_]
        gm = np.maximum.accumulate(gv)
        arg = np.maximum.accumulate(np.where(gv >= gm, np.arange(gv.size), 0))
        capv = slack + ic
        if k is not None and np.isfinite(p.Hres[k]):
            capv = np.minimum(capv, p.Hres[k] - st.spendk[k] + np.where(ik == k, ic, 0.0))
        pos = np.searchsorted(cs, capv + _EPS, side="right") - 1
        okp = pos >= 0
        if uval is not None:
            okp &= st.units - iu + uval <= p.Ures + _EPS
        val = np.where(okp, gm[np.maximum(pos, 0)], -np.inf)
        better = val > best_gain
        best_gain = np.where(better, val, best_gain)
        best_j = np.where(better, J[o_[arg[np.maximum(pos, 0)]]], best_j)
    # partners in the same pool, exact
    order_i = np.argsort(ip, kind="stable")
    order_j = np.argsort(jp, kind="stable")
    ip_s, jp_s = ip[order_i], jp[order_j]
    pools = np.intersect1d(ip_s, jp_s)
    maxcap = slack + ic.max()
    for q in pools.tolist():
        ii = order_i[np.searchsorted(ip_s, q, "left"): np.searchsorted(ip_s, q, "right")]
        jj = order_j[np.searchsorted(jp_s, q, "left"): np.searchsorted(jp_s, q, "right")]
        jj = jj[jc[jj] <= maxcap + _EPS]
        if jj.size == 0:
            continue
        M = ((E[q] * np.exp(ia[ii]))[:, None] * -np.expm1(-ja[jj])[None, :]
             + (E[P + q] * np.exp(ib[ii]))[:, None] * -np.expm1(-jb[jj])[None, :])
        feas = jc[jj][None, :] <= (slack + ic[ii])[:, None] + _EPS
        if ctx.units_on:
            feas &= st.units - iu[ii][:, None] + ju[jj][None, :] <= p.Ures + _EPS
        if constrained:
            kj = jk[jj][None, :]
            ki_ = ik[ii][:, None]
            newk = st.spendk[kj] + jc[jj][None, :] - np.where(ki_ == kj, ic[ii][:, None], 0.0)
            feas &= newk <= p.Hres[kj] + _EPS
            rem = np.where(ki_ == kj, st.spendk[ki_] - ic[ii][:, None] + jc[jj][None, :],
                           st.spendk[ki_] - ic[ii][:, None])
            feas &= rem >= p.Lres[ki_] - _EPS
        M = np.where(feas, M, -np.inf)
        am = M.argmax(axis=1)
        bv = M[np.arange(ii.size), am]
        better = bv > best_gain[ii]
        best_gain[ii] = np.where(better, bv, best_gain[ii])
        best_j[ii] = np.where(better, J[jj[am]], best_j[ii])
    delta = best_gain - loss
    tol = 1e-12 * max(1.0, abs(st.value()))
    cands = np.flatnonzero((delta > tol) & (best_j >= 0))
    if cands.size == 0:
        return False
    cands = cands[np.argsort(-delta[cands], kind="stable")]
    touched: set[int] = set()
    used_g: set[int] = set()
    improved = False
    for t in cands.tolist():
        i, j = int(items[t]), int(best_j[t])
        pi_, pj_ = int(p.pool[i]), int(p.pool[j])
        gj = int(p.grp[j])
        if pi_ in touched or pj_ in touched or gj in used_g or int(p.grp[i]) in used_g:
            continue
        if st.ch[gj] >= 0:
            continue
        trial = st.copy()
        before = trial.value()
        trial.remove(i)
        trial.put(j)
        if not trial.feasible():
            continue
        if trial.value() <= before + tol:
            continue
        st.__dict__.update(trial.__dict__)
        touched.update((pi_, pj_))
        used_g.update((gj, int(p.grp[i])))
        improved = True
    return improved


def _improve(ctx: _Ctx, st: _State, cand: np.ndarray, max_rounds: int = 40):
    _greedy(ctx, st, cand)
    for _ in range(max_rounds):
        if ctx.dl.expired() or not _swap_round(ctx, st, cand):
            break
        _greedy(ctx, st, cand)


# ----------------------------------------------------------------------------------------------------------
# Exact evaluation
# ----------------------------------------------------------------------------------------------------------


def _exact(prep: _Prep, chosen: np.ndarray, pb_overlaps_pairs) -> tuple[float, float]:
    """(unique reach, niche value) of a plan given as original indices: both deduplicated the same way (niche
    value is the unique reach of the fit-weighted reaches ``f_j r_j``, see
    :func:`planner.planning.reach.niche_value`)."""
    chosen = np.asarray(chosen, dtype=np.int64)
    if chosen.size == 0:
        return 0.0, 0.0
    r = prep.reach_all[chosen]
    pools = prep.pool_all[chosen]
    pairs = None
    if pb_overlaps_pairs is not None:
        pi, pk, po = pb_overlaps_pairs
        loc = np.full(prep.n, -1, dtype=np.int64)
        loc[chosen] = np.arange(chosen.size)
        m = (loc[pi] >= 0) & (loc[pk] >= 0)
        if m.any():
            pairs = np.column_stack([loc[pi[m]], loc[pk[m]], po[m]])
    U = _reach.unique_reach(r, pools, prep.N, pairs)
    V = _reach.unique_reach(prep.fr_all[chosen], pools, prep.N, pairs)
    return U, V


def evaluate(problem: Problem, chosen, reach_weight: float, normalisers_: tuple[float, float] | None = None):
    """Exact (unique reach, niche value, objective F) of any plan (candidate indices)."""
    prep = _prep_of(problem)
    Us, Vs = normalisers_ if normalisers_ is not None else normalisers(problem)
    U, V = _exact(prep, np.unique(np.asarray(chosen, dtype=np.int64)), prep.pairs_orig)
    return U, V, reach_weight * U / Us + (1 - reach_weight) * V / Vs


# ----------------------------------------------------------------------------------------------------------
# Closing the gap: reduced-cost fixing + MILP on the core (outer approximation, Kelley cuts)
# ----------------------------------------------------------------------------------------------------------


try:  # the direct HiGHS API lets us hand over the incumbent and a cutoff; scipy's milp is the fallback
    import highspy as _highspy
except ImportError:  # pragma: no cover - exercised only where highspy is missing
    _highspy = None  # type: ignore[assignment]


class _Mip:
    """Minimise ``c x`` over one model that grows by rows between solves.

    The Kelley loop of :class:`_RegionModel` adds its cuts here and solves again. With highspy the rows go into
    one ``Highs`` object, built at the first solve and extended by ``addRows`` in each later round (with the
    incumbent handed over and ``cutoff`` as objective bound); scipy's milp, the fallback where highspy is missing,
    solves the whole row list each time. Columns are fixed at construction; :meth:`set_upper` may tighten a
    column's upper bound at any time."""

    def __init__(self, c: np.ndarray, integrality: np.ndarray, lb: np.ndarray, ub: np.ndarray) -> None:
        self.c = np.asarray(c, dtype=float)
        self.integrality = np.asarray(integrality)
        self.lb = np.array(lb, dtype=float)
        self.ub = np.array(ub, dtype=float)
        self._cols: list[np.ndarray] = []
        self._vals: list[np.ndarray] = []
        self._lo: list[float] = []
        self._hi: list[float] = []
        self._sent = 0  # rows already in the HiGHS model
        self._h: Any = None

    @property
    def rows(self) -> int:
        return len(self._lo)

    def add_row(self, cols, vals, lo: float, hi: float) -> None:
        """``lo <= sum vals * x[cols] <= hi``."""
        self._cols.append(np.asarray(cols, dtype=np.int64))
        self._vals.append(np.asarray(vals, dtype=float))
        self._lo.append(float(lo))
        self._hi.append(float(hi))

    def set_upper(self, j: int, value: float) -> None:
        self.ub[j] = value
        if self._h is not None:
            self._h.changeColBounds(int(j), float(self.lb[j]), float(value))

    def _csr(self, start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows ``start:`` as (row starts, column indices, values)."""
        lens = np.array([c.size for c in self._cols[start:]], dtype=np.int64)
        starts = np.r_[0, np.cumsum(lens)[:-1]] if lens.size else np.zeros(0, dtype=np.int64)
        return starts, np.concatenate(self._cols[start:]), np.concatenate(self._vals[start:])

    def solve(self, x0: np.ndarray | None, time_limit: float, gap: float, cutoff: float | None):
        """Returns (status, x or None, proven lower bound or None). status: "optimal" | "infeasible" (nothing
        below ``cutoff`` either) | "time" | "other"."""
        if _highspy is None:
            return self._solve_scipy(time_limit, gap)
        h = self._highs()
        # HiGHS measures its time limit on the object's total run time, which goes on across solves
        h.setOptionValue("time_limit", float(h.getRunTime()) + float(time_limit))
        h.setOptionValue("mip_rel_gap", float(gap))
        if cutoff is not None:
            h.setOptionValue("objective_bound", float(cutoff))
        if x0 is not None:
            sol = _highspy.HighsSolution()
            sol.col_value = np.asarray(x0, dtype=float).tolist()
            sol.value_valid = True
            h.setSolution(sol)
        h.run()
        ms = h.getModelStatus()
        info = h.getInfo()
        M = _highspy.HighsModelStatus
        dual = float(info.mip_dual_bound)
        has_x = info.primal_solution_status == 2
        x = np.asarray(h.getSolution().col_value) if has_x else None
        c = self.c
        if ms == M.kOptimal:
            if cutoff is not None and not np.isfinite(dual) and (x is None or float(np.dot(c, x)) >= cutoff):
                return "infeasible", None, None  # search completed: nothing beats the cutoff
            return "optimal", x, dual
        if ms in (M.kInfeasible, M.kObjectiveBound):
            if x is not None and cutoff is not None and float(np.dot(c, x)) < cutoff:
                return "optimal", x, dual
            return "infeasible", None, None
        if ms == M.kTimeLimit:
            return "time", x, dual if np.isfinite(dual) else None
        return "other", x, dual if np.isfinite(dual) else None

    def _highs(self):
        """The HiGHS model: passed whole at the first solve, then only the rows added since the last one."""
        if self._h is None:
            h = _highspy.Highs()
            h.setOptionValue("output_flag", bool(_DISP))
            h.setOptionValue("threads", 1)
            h.setOptionValue("mip_heuristic_effort", _HEUR)
            lp = _highspy.HighsLp()
            lp.num_col_ = int(self.c.size)
            lp.num_row_ = self.rows
            lp.col_cost_ = self.c
            lp.col_lower_ = self.lb
            lp.col_upper_ = self.ub
            lp.row_lower_ = np.asarray(self._lo, dtype=float)
            lp.row_upper_ = np.asarray(self._hi, dtype=float)
            starts, index, value = self._csr(0)
            lp.a_matrix_.format_ = _highspy.MatrixFormat.kRowwise
            lp.a_matrix_.start_ = np.r_[starts, index.size].astype(np.int32)
            lp.a_matrix_.index_ = index.astype(np.int32)
            lp.a_matrix_.value_ = value
            lp.integrality_ = [_highspy.HighsVarType.kInteger if v else _highspy.HighsVarType.kContinuous
                               for v in self.integrality.tolist()]
            h.passModel(lp)
            self._h, self._sent = h, self.rows
        elif self.rows > self._sent:
            starts, index, value = self._csr(self._sent)
            self._h.addRows(self.rows - self._sent, np.asarray(self._lo[self._sent:], dtype=float),
                            np.asarray(self._hi[self._sent:], dtype=float), int(index.size),
                            starts.astype(np.int32), index.astype(np.int32), value)
            self._sent = self.rows
        return self._h

    def _solve_scipy(self, time_limit: float, gap: float):  # pragma: no cover - only where highspy is missing
        starts, index, value = self._csr(0)
        row = np.repeat(np.arange(self.rows), np.diff(np.r_[starts, index.size]))
        A = sparse.csr_array((value, (row, index)), shape=(self.rows, self.c.size))
        res = milp(self.c, integrality=self.integrality, bounds=Bounds(self.lb, self.ub),
                   constraints=LinearConstraint(A, np.asarray(self._lo), np.asarray(self._hi)),
                   options={"time_limit": time_limit, "mip_rel_gap": gap, "presolve": True, "disp": bool(_DISP)})
        dual = getattr(res, "mip_dual_bound", None)
        if res.status == 0:
            return "optimal", res.x, dual
        if res.status == 2:
            return "infeasible", None, None
        return ("time" if res.status == 1 else "other"), res.x, dual


class _Empty(Exception):
    """No plan consistent with a region's fixings exists (raised while its model is built)."""


class _RegionModel:
    """The MILP of the plans consistent with ``status`` (per free candidate: 0 out, 1 in, 2 free): the *core*
    (the free candidates) as binaries, and over-estimates of the objective that cuts tighten.

    Each pool has two concave terms (reach and niche value, ``coef_t (1 - exp(-X_t))``), each an epigraph
    variable ``y_t`` under tangent and submodular cuts; plus the measured-overlap part (one variable per kappa
    term of :class:`_Kappa`, under cuts exact at each plan met). Every cut holds for every plan, so the model's
    bound is >= every such plan's exact F. Columns: core binaries, ``y_t``, ``X_t``, kappa terms, a constant 1."""

    def __init__(self, ctx: _Ctx, status: np.ndarray, fixed: np.ndarray, core: np.ndarray, X_fix: np.ndarray,
                 spendk_fix: np.ndarray, cost_fix: float, units_fix: float) -> None:
        p, o = ctx.prep, ctx.obj
        P = p.P
        self.ctx, self.status, self.fixed, self.core, self.X_fix = ctx, status, fixed, core, X_fix
        self.kp = kp = p.kappa
        self.nc = nc = core.size
        cp = p.pool[core]
        a_core, b_core = p.a[core], p.b[core]
        self.xmax = X_fix + np.r_[np.bincount(cp, weights=a_core, minlength=P),
                                  np.bincount(cp, weights=b_core, minlength=P)]
        upools = np.unique(cp)
        terms = np.r_[upools, upools + P]
        self.terms = terms = terms[(o.coef[terms] > 0) & (self.xmax[terms] > X_fix[terms])]
        self.term_list: list[int] = terms.tolist()
        nt = terms.size
        self.nk = nk = 0 if kp is None else len(kp.terms)
        self.nvar = nvar = nc + 2 * nt + nk + 1
        self.ycol = {q: nc + t for t, q in enumerate(self.term_list)}
        self.acol = {q: nc + nt + t for t, q in enumerate(self.term_list)}
        self.zoff = zoff = nc + 2 * nt
        rest = np.setdiff1d(np.arange(2 * P), terms)
        cobj = np.zeros(nvar)
        cobj[nc: nc + nt] = -1.0
        cobj[-1] = -float(np.sum((o.coef * -np.expm1(-X_fix))[rest]))  # the terms no core candidate moves
        lb = np.zeros(nvar)
        ub = np.ones(nvar)
        if kp is not None:
            for t, (tau, _j, rho, *_) in enumerate(kp.terms):
                cobj[zoff + t] = -(o.ku if tau == 0 else o.kn)
                lb[zoff + t], ub[zoff + t] = -rho, rho
        ub[nc: nc + nt] = o.coef[terms]
        lb[nc + nt: nc + 2 * nt] = X_fix[terms]
        ub[nc + nt: nc + 2 * nt] = self.xmax[terms]
        lb[-1] = ub[-1] = 1.0
        integrality = np.zeros(nvar)
        integrality[:nc] = 1
        self.mip = _Mip(cobj, integrality, lb, ub)
        self._constraints(spendk_fix, cost_fix, units_fix)
        self.members: dict[int, np.ndarray] = {}
        self.exps: dict[int, np.ndarray] = {}
        for q in self.term_list:  # X_t = X_fix_t + sum ex_j x_j
            mem = np.flatnonzero(cp == q % P)
            ex = (a_core if q < P else b_core)[mem]
            keep = ex > 0
            self.members[q], self.exps[q] = mem[keep], ex[keep]
            self.mip.add_row(np.r_[self.acol[q], mem[keep]], np.r_[1.0, -ex[keep]], X_fix[q], X_fix[q])
        self.base_rows = self.mip.rows
        self._tangents: dict[int, set[float]] = {q: set() for q in self.term_list}
        self.loc_core = np.full(p.nf, -1, dtype=np.int64)
        self.loc_core[core] = np.arange(nc)
        self.colmap = np.full(p.n, -1, dtype=np.int64)  # kappa's candidate index -> core column
        self.colmap[p.free[core]] = np.arange(nc)
        self.constx = np.zeros(p.n)  # candidates in every plan of the region
        self.constx[p.must_in] = 1.0
        self.constx[p.free[fixed]] = 1.0

    def _constraints(self, spendk_fix: np.ndarray, cost_fix: float, units_fix: float) -> None:
        """Budget, product units, platform spend bounds, at most one placement per group."""
        ctx, p, core, nc, mip = self.ctx, self.ctx.prep, self.core, self.nc, self.mip
        cc = p.c[core]
        mip.add_row(np.arange(nc), cc, -np.inf, p.Bres - cost_fix + _EPS)
        if ctx.units_on:
            mip.add_row(np.arange(nc), p.u[core], -np.inf, p.Ures - units_fix + _EPS)
        for k in ctx.constrained.tolist():
            mk = np.flatnonzero(p.plat[core] == k)
            lo_k = p.Lres[k] - spendk_fix[k] - _EPS if ctx.lo_ok[k] else -np.inf
            hi_k = p.Hres[k] - spendk_fix[k] + _EPS if ctx.up_ok[k] else np.inf
            if mk.size == 0:
                if lo_k > 0:
                    raise _Empty
                continue
            mip.add_row(mk, cc[mk], lo_k, hi_k)
        g = p.grp[core]
        og = np.argsort(g, kind="stable")
        gs = g[og]
        starts = np.flatnonzero(np.r_[True, gs[1:] != gs[:-1]])
        ends = np.r_[starts[1:], gs.size]
        for s0, s1 in zip(starts.tolist(), ends.tolist(), strict=True):
            if s1 - s0 > 1:
                mip.add_row(og[s0:s1], np.ones(s1 - s0), -np.inf, 1.0)

    # ---- cuts

    def add_tangent(self, q: int, t: float) -> bool:
        """``y_q <= g_q(t) + g_q'(t) (X_q - t)``, once per point."""
        t = float(round(min(max(t, self.X_fix[q]), self.xmax[q]), 9))
        if t in self._tangents[q]:
            return False
        self._tangents[q].add(t)
        al = self.ctx.obj.coef[q]
        et = al * math.exp(-t)
        self.mip.add_row([self.ycol[q], self.acol[q]], [1.0, -et], -np.inf, al * -math.expm1(-t) - et * t)
        return True

    def add_nw(self, q: int, sel: np.ndarray) -> None:
        """Submodular (Nemhauser-Wolsey) cuts of term q at the set ``sel`` (mask over the term's core members):
        y <= g(S) + sum_{j not in S} rho_j(S) x_j   and
        y <= g(S) - sum_{j in S} rho_j(S - j) (1 - x_j) + sum_{j not in S} rho_j(empty) x_j.
        Both hold for every plan (g is concave in X, so the term is submodular) and are exact at S."""
        al = self.ctx.obj.coef[q]
        mem, am, ycol = self.members[q], self.exps[q], self.ycol[q]
        AS = self.X_fix[q] + float(am[sel].sum())
        gS = al * -math.expm1(-AS)
        self.mip.add_row(np.r_[ycol, mem], np.r_[1.0, -np.where(sel, 0.0, al * np.exp(-AS) * -np.expm1(-am))],
                         -np.inf, gS)
        if sel.any():
            loss = al * np.exp(-AS) * np.expm1(am)  # g(S) - g(S - j)
            rho0 = al * np.exp(-self.X_fix[q]) * -np.expm1(-am)
            self.mip.add_row(np.r_[ycol, mem], np.r_[1.0, -np.where(sel, loss, rho0)], -np.inf,
                             gS - float(loss[sel].sum()))

    def add_kappa_cut(self, t: int, ins: np.ndarray) -> None:
        """A cut of measured-overlap term t exact at the plan ``ins`` (mask over all candidates)."""
        assert self.kp is not None
        j, E, cvec, c0 = self.kp.cut(t, ins)
        idx = np.r_[j, E]
        cols = self.colmap[idx]
        var = cols >= 0
        rhs = c0 + float(np.dot(cvec[~var], self.constx[idx[~var]]))
        self.mip.add_row(np.r_[self.zoff + t, cols[var]], np.r_[1.0, -cvec[var]], -np.inf, rhs)

    def seed_cuts(self, centres: list[np.ndarray], plans: list[np.ndarray]) -> None:
        """Submodular cuts at the empty set and at the given plans, tangents on a grid and near the centres;
        for measured pairs, ``kappa_t <= rho_j x_j`` and cuts exact at the smallest plan and the given plans."""
        p, kp = self.ctx.prep, self.kp
        for q in self.term_list:
            self.add_nw(q, np.zeros(self.members[q].size, dtype=bool))
        in_core = np.zeros(p.nf, dtype=bool)
        for plan in plans:
            in_core[:] = False
            in_core[np.asarray(plan, dtype=np.int64)] = True
            sel_all = in_core[self.core]
            for q in self.term_list:
                sel = sel_all[self.members[q]]
                if sel.any():
                    self.add_nw(q, sel)
        for q in self.term_list:
            for cen in centres:
                c0 = float(cen[q])
                for dlt in (0.0, 0.01, 0.03, 0.1, 0.3):
                    self.add_tangent(q, c0 * (1 - dlt))
                    self.add_tangent(q, c0 * (1 + dlt))
            for t in np.linspace(self.X_fix[q], self.xmax[q], 9).tolist():
                self.add_tangent(q, t)
        if kp is not None:
            for t, (_tau, j, rho, *_) in enumerate(kp.terms):
                if self.colmap[j] >= 0:
                    self.mip.add_row([self.zoff + t, self.colmap[j]], [1.0, -rho], -np.inf, 0.0)
                else:
                    self.mip.set_upper(self.zoff + t, min(float(self.mip.ub[self.zoff + t]), rho * self.constx[j]))
                for plan in [self.fixed, *plans]:
                    self.add_kappa_cut(t, self.ins_of(plan))

    def separate(self, x: np.ndarray, pick: np.ndarray, Fscale: float) -> bool:
        """Cuts at the solution ``x`` (core picks ``pick``) wherever the model over-estimates it; False if none."""
        o, nc = self.ctx.obj, self.nc
        X_sol = self.xs_of(pick)
        xsel = x[:nc] > 0.5
        added = False
        for q in self.term_list:
            if x[self.ycol[q]] - o.coef[q] * -math.expm1(-X_sol[q]) > 1e-10 * Fscale:
                self.add_nw(q, xsel[self.members[q]])
                self.add_tangent(q, X_sol[q])
                added = True
        if self.kp is not None:
            ins_sol = self.ins_of(np.concatenate([self.fixed, pick]))
            exact_k = self.kp.corr_terms(ins_sol)
            for t in range(self.nk):
                kt = o.ku if self.kp.terms[t][0] == 0 else o.kn
                if kt * (x[self.zoff + t] - exact_k[t]) > 1e-10 * Fscale:
                    self.add_kappa_cut(t, ins_sol)
                    added = True
        return added

    # ---- plans as model points

    def xs_of(self, sel: np.ndarray) -> np.ndarray:
        """Per term, X of the region's fixed candidates plus the free ones ``sel``."""
        p = self.ctx.prep
        return self.X_fix + np.r_[np.bincount(p.pool[sel], weights=p.a[sel], minlength=p.P),
                                  np.bincount(p.pool[sel], weights=p.b[sel], minlength=p.P)]

    def ins_of(self, items_free) -> np.ndarray:
        p = self.ctx.prep
        m = np.zeros(p.n, dtype=bool)
        m[p.must_in] = True
        m[p.free[np.asarray(items_free, dtype=np.int64)]] = True
        return m

    def start_vector(self, items_free: np.ndarray) -> np.ndarray | None:
        """The model point of a plan, or None when the plan lies outside the region."""
        st = self.status[items_free]
        if np.any(st == 0) or not np.all(np.isin(self.fixed, items_free)):
            return None
        o = self.ctx.obj
        xs = np.zeros(self.nvar)
        sel = items_free[st == 2]
        xs[self.loc_core[sel]] = 1.0
        X_s = self.xs_of(sel)
        for q in self.term_list:
            xs[self.acol[q]] = X_s[q]
            xs[self.ycol[q]] = o.coef[q] * -math.expm1(-X_s[q])
        if self.kp is not None:
            xs[self.zoff: self.zoff + self.nk] = self.kp.corr_terms(self.ins_of(items_free))
        xs[-1] = 1.0
        return xs


def _region_milp(ctx: _Ctx, status: np.ndarray, T: float, best_items: np.ndarray, F_best: float, gap: float,
                 dl: _Deadline, centres: list[np.ndarray], plans: list[np.ndarray], true_F, kelley: int = 8):
    """Bound the plans consistent with ``status`` (per free candidate: 0 out, 1 in, 2 free) by the MILP of
    :class:`_RegionModel`, adding cuts at each solution and solving the same model again (Kelley's method,
    at most ``kelley`` rounds), and keep the best plan met.
    Returns (bound, or None if unknown, or -inf when no such plan beats ``T``; best items; best exact F; info)."""
    p = ctx.prep
    info: dict = {}
    core = np.flatnonzero(status == 2)
    fixed = np.flatnonzero(status == 1)
    X_fix = _xof(p, fixed)
    cost_fix = float(p.c[fixed].sum())
    spendk_fix = np.bincount(p.plat[fixed], weights=p.c[fixed], minlength=p.K)
    units_fix = float(p.u[fixed].sum())
    if cost_fix > p.Bres + _EPS or np.any(spendk_fix > p.Hres + _EPS) or units_fix > p.Ures + _EPS:
        return -math.inf, best_items, F_best, info
    if core.size == 0:
        if np.all(spendk_fix >= p.Lres - _EPS):
            Fx = true_F(fixed)
            if Fx > F_best:
                best_items, F_best = fixed, Fx
            return Fx, best_items, F_best, info
        return -math.inf, best_items, F_best, info
    try:
        model = _RegionModel(ctx, status, fixed, core, X_fix, spendk_fix, cost_fix, units_fix)
    except _Empty:
        return -math.inf, best_items, F_best, info
    model.seed_cuts(centres, plans)
    UB_core: float | None = None
    Fscale = max(abs(F_best), 1e-12) if F_best > -math.inf else 1.0
    x0 = model.start_vector(np.asarray(best_items, dtype=np.int64)) if F_best > -math.inf else None
    for it in range(kelley):
        remaining = dl.left()
        if remaining <= 0.02:
            info["milp"] = "time"
            break
        mst, x, dual = model.mip.solve(x0, remaining, max(gap, 1e-9), -T if T > -math.inf else None)
        info["milp_status"] = mst
        info["milp_solves"] = it + 1
        if mst == "infeasible":  # no plan consistent with the fixings beats T
            UB_core = -math.inf
            break
        if dual is not None and np.isfinite(dual):
            UB_core = -float(dual) if UB_core is None else min(UB_core, -float(dual))
        if x is None:
            break
        pick = core[x[:core.size] > 0.5]
        stt = _State(ctx, np.concatenate([fixed, pick]))
        if stt.feasible():
            Fx = true_F(stt.items())
            if Fx > F_best:
                best_items, F_best = stt.items(), Fx
        if _DISP:
            print("milp", it, mst, "T", T, "UBcore", UB_core, "F", F_best)
        if mst != "optimal" or UB_core is None:
            break
        if max(T, UB_core) - F_best <= 2 * gap * max(T, UB_core):
            break
        if not model.separate(x, pick, Fscale):
            break
        x0 = model.start_vector(np.asarray(best_items, dtype=np.int64))
    info["milp_cuts"] = model.mip.rows - model.base_rows
    info["milp_core"] = int(core.size)
    return UB_core, best_items, F_best, info


def _world(ctx: _Ctx, forced: list[int]) -> _Ctx:
    """The context of the plans that contain the free candidates ``forced`` (their reach, niche value, cost
    and platform spend become part of the fixed base, like must-haves)."""
    if not forced:
        return ctx
    p = ctx.prep
    q = copy.copy(p)
    fz = np.asarray(forced, dtype=np.int64)
    q.X0 = _xof(p, fz)
    q.Bres = p.Bres - float(p.c[fz].sum())
    q.Ures = p.Ures - float(p.u[fz].sum())
    spend = np.bincount(p.plat[fz], weights=p.c[fz], minlength=p.K)
    q.Hres = p.Hres - spend
    q.Lres = p.Lres - spend
    return _Ctx(q, _Obj(q, ctx.obj.w, ctx.obj.Us, ctx.obj.Vs), ctx.dl)


def _world_ids(p: _Prep, forced: list[int], excl: np.ndarray) -> np.ndarray:
    ok = ~excl
    if forced:
        ok &= ~np.isin(p.grp, p.grp[np.asarray(forced, dtype=np.int64)])
    return np.flatnonzero(ok)


def _world_bound(ctx: _Ctx, forced: list[int], excl: np.ndarray, e: _Ev, rtol: float = 1e-4):
    """(bound eval, lo, hi) of the Lagrangian over the plans containing ``forced`` and none of ``excl``;
    None when no such plan exists."""
    p = ctx.prep
    ctx2 = _world(ctx, forced)
    q = ctx2.prep
    if q.Bres < -_EPS or np.any(q.Hres < -_EPS) or q.Ures < -_EPS:
        return None
    d = _Dual(ctx2, _Work(p, _world_ids(p, forced, excl)), e.mu)
    lam0 = e.lam if e.lam > 0 else _lam_guess(ctx2, d.work)
    lo, hi = d.run(lam0, e.theta, e.eta, rtol=rtol, etol=rtol * 10, rounds=2)
    if ctx2 is not ctx:
        ctx.passes += ctx2.passes
    assert d.best is not None
    return d.best, lo, hi, d.work, ctx2


def _probe_giants(ctx: _Ctx, bd: _Bound, T: float):
    """Dual branching on dear candidates. When the budget's critical candidate (taken on one side of the budget
    multiplier's jump, not on the other) costs a large share of the budget, the Lagrangian (= continuous
    relaxation) takes a fraction of it and can sit far above every plan. Split the plans into those with it
    and those without it and bound each: a side whose bound is below ``T`` is dropped (the candidate is
    excluded, or forced in), and the search goes on in the other side. Returns (excluded mask, forced list,
    bound eval and context of the side kept, largest bound over the dropped sides) or None. Not used with
    measured pairs (their credit is shared between the two members of a pair)."""
    p = ctx.prep
    if p.has_pairs or bd.duals is None or T == -math.inf:
        return None
    excl = np.zeros(p.nf, dtype=bool)
    forced: list[int] = []
    dropped = -math.inf
    e = bd.duals
    for _ in range(16):
        if ctx.dl.expired():
            break
        res = _world_bound(ctx, forced, excl, e, 1e-5)
        if res is None:
            break
        _, lo, hi, work, ctx_w = res
        e = hi
        if lo is None:
            break
        crit = work.ids[lo.mask & ~hi.mask]
        crit = crit[p.c[crit] > _GIANT * ctx_w.prep.Bres]
        if crit.size == 0:
            break
        j = int(crit[np.argmax(p.c[crit])])
        r_in = _world_bound(ctx, forced + [j], excl, e)
        d_in = -math.inf if r_in is None else r_in[0].D
        if d_in < T:
            excl[j] = True
            dropped = max(dropped, d_in)
            continue
        ex2 = excl.copy()
        ex2[j] = True
        r_out = _world_bound(ctx, forced, ex2, e)
        d_out = -math.inf if r_out is None else r_out[0].D
        if d_out < T:
            forced.append(j)
            dropped = max(dropped, d_out)
            continue
        break
    if not excl.any() and not forced:
        return None
    res = _world_bound(ctx, forced, excl, e, 1e-5)  # the kept side as it is now
    if res is None:  # no plan on the kept side: every plan is in a dropped side
        return excl, forced, None, None, dropped
    return excl, forced, res[0], res[4], dropped


def _close(ctx: _Ctx, bd: _Bound, best_items: np.ndarray, F_best: float, target: float,
           true_F) -> tuple[float, np.ndarray, float, dict]:
    """Reduced-cost fixing at the bound's multipliers (after dual branching on dear candidates, see
    :func:`_probe_giants`), then MILP on the rest (kernel search first when the rest is large).
    Returns (certified bound, best free items, best exact F, info)."""
    p = ctx.prep
    info: dict = {}
    D0 = D = bd.UB
    w = p.work_full
    assert bd.scores is not None
    scores = bd.scores
    excl = np.zeros(p.nf, dtype=bool)
    d_in_max = -math.inf
    F_thr = F_best / (1.0 - 0.5 * target) if F_best > 0 else (0.0 if F_best > -math.inf else -math.inf)
    forced: list[int] = []
    pr = _probe_giants(ctx, bd, F_thr) if F_thr < D else None
    if pr is not None:
        excl, forced, ev, ctx_w, d_in_max = pr
        info["giants_out"] = int(excl.sum())
        info["giants_in"] = len(forced)
        if ev is None or ctx_w is None:  # nothing left beyond the dropped sides, all below the threshold
            return min(D0, max(d_in_max, F_best)), best_items, F_best, info
        _, scores = _full_eval(ctx_w, ev)
        scores[excl] = -np.inf
        if forced:
            scores[np.isin(p.grp, p.grp[np.asarray(forced, dtype=np.int64)])] = -np.inf
        D = min(ev.D, D0)
        info["bound_giants"] = max(ev.D, d_in_max)
    s = scores[w.ids]
    gbest, is_best, other = w.top2(s)
    forced_in = D - gbest + s  # bound over plans that contain this candidate (it is not the set's choice)
    forced_out = D - gbest + other  # bound over plans without this candidate (it is the set's choice)
    rc = np.empty(p.nf)
    rc[w.ids] = np.where(is_best, D - forced_out, D - forced_in)  # bound drop when flipped
    lag_in = np.zeros(p.nf, dtype=bool)
    lag_in[w.ids] = is_best
    A_rel = _xof(p, bd.relaxed)

    def fixing(T: float) -> np.ndarray:
        status = np.full(p.nf, 2, dtype=np.int8)
        flip_ok = D - rc > T  # flipping may still beat T
        status[~flip_ok & lag_in] = 1
        status[~flip_ok & ~lag_in] = 0
        return status

    def thr(F: float) -> float:
        if F == -math.inf:
            return -math.inf
        return F / (1.0 - 0.5 * target) if F > 0 else 0.0

    def a_of(items):
        return _xof(p, items)

    def cert(x: float) -> float:  # a bound over plans without the excluded giants, made a bound over all
        return min(D0, max(x, d_in_max))

    T = thr(F_best)
    if T >= D:
        return cert(D), best_items, F_best, info
    status = fixing(T)
    status[excl] = 0
    status[forced] = 1
    ncore = int((status == 2).sum())
    info["core0"] = ncore
    # kernel search: a small MILP over the most promising candidates, for a better incumbent (and so a
    # higher threshold T and a smaller core)
    if _KERNEL and ncore > 250 and ctx.dl.left() > 0.05:
        order = np.argsort(rc, kind="stable")
        kern = np.zeros(p.nf, dtype=bool)
        kern[order[:150]] = True
        kern[np.asarray(best_items, dtype=np.int64)] = True
        kern[bd.relaxed] = True
        kstatus = np.where(kern & (status != 0), 2, 0).astype(np.int8)
        kstatus[status == 1] = 1
        kstatus[excl] = 0
        kstatus[forced] = 1
        kdl = _Deadline(min(1.0, max(ctx.dl.left(), 0.0) * 0.3), ctx.dl)
        centres = [a_of(best_items), A_rel] if F_best > -math.inf else [A_rel]
        _, best_items, F_best, kinfo = _region_milp(ctx, kstatus, -math.inf, best_items, F_best, 1e-3,
                                                    kdl, centres, [best_items, bd.relaxed], true_F, kelley=2)
        info["kernel"] = kinfo
        T = thr(F_best)
        if T >= D:
            return cert(D), best_items, F_best, info
        status = fixing(T)
        status[excl] = 0
        status[forced] = 1
    info["core"] = int((status == 2).sum())
    info["fixed_in"] = int((status == 1).sum())
    if ctx.dl.left() <= 0.02:
        return cert(D), best_items, F_best, info
    centres = [a_of(best_items), A_rel] if F_best > -math.inf else [A_rel]
    UB_core, best_items, F_best, minfo = _region_milp(ctx, status, T, best_items, F_best, target / 4, ctx.dl,
                                                      centres, [best_items, bd.relaxed], true_F)
    info.update(minfo)
    if UB_core is None:
        return cert(D), best_items, F_best, info
    return cert(min(D, max(T, UB_core))), best_items, F_best, info


# ----------------------------------------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------------------------------------


@dataclass
class _Run:
    sol: Solution
    items: np.ndarray  # free indices
    lam: float | None
    theta: np.ndarray | None
    eta: np.ndarray | None
    UB_raw: float  # bound in objective units


def _solve_w(pb: Problem, prep: _Prep, w: float, Us: float, Vs: float, target: float, dl: _Deadline,
             warm: dict | None = None) -> _Run:
    t0 = time.perf_counter()
    obj = _Obj(prep, w, Us, Vs)
    ctx = _Ctx(prep, obj, dl)
    bd = _bound(ctx, warm)
    cand = bd.cand

    def true_F(items_free: np.ndarray) -> float:
        chosen = np.sort(np.concatenate([prep.must_in, prep.free[items_free]]))
        U, V = _exact(prep, chosen, prep.pairs_orig)
        return w * U / Us + (1 - w) * V / Vs

    starts = [bd.relaxed]
    if warm and warm.get("plans"):
        starts += [np.asarray(x, dtype=np.int64) for x in warm["plans"]]
    best_st = None
    best_val = -math.inf
    for items in starts:
        st = _State(ctx, items)
        c2 = np.union1d(cand, st.items())
        if not _repair(ctx, st, c2):
            continue
        _greedy(ctx, st, c2)
        v = st.value()
        if v > best_val + 1e-15:
            best_st, best_val = st, v
    info: dict = {}
    if best_st is not None:
        c2 = np.union1d(cand, best_st.items())
        _improve(ctx, best_st, c2)
        items = np.sort(best_st.items())
        F = true_F(items)
    else:
        items = np.zeros(0, dtype=np.int64)
        F = -math.inf
    UB = bd.UB
    info["bound_passes"] = ctx.passes
    info["work"] = int(bd.cand.size)
    if UB - F > target * max(UB, 1e-300) and bd.duals is not None and not dl.expired():
        UB2, items2, F2, cinfo = _close(ctx, bd, items, F, target, true_F)
        info.update(cinfo)
        if F2 > F:
            items, F = np.sort(items2), F2
        UB = min(UB, UB2)
    if F == -math.inf:
        raise Infeasible("budget_and_shares")
    UB = max(UB, F)  # numerical guard: never report a bound below the plan itself
    gap = (UB - F) / UB if UB > 0 else 0.0
    gap = max(gap, 0.0)
    status = _status(gap, target, dl)
    chosen = np.sort(np.concatenate([prep.must_in, prep.free[items]])).astype(np.int64)
    U, V = _exact(prep, chosen, prep.pairs_orig)
    spend = {prep.plat_ids[k].item(): float(prep.cost_all[chosen][prep.kid_all[chosen] == k].sum())
             for k in range(prep.K)}
    sol = Solution(chosen=chosen, cost=float(prep.cost_all[chosen].sum()), unique_reach=U, niche_value=V,
                   objective=float(F), upper_bound=float(UB), gap=float(gap), reach_weight=float(w),
                   seconds=time.perf_counter() - t0, status=status, normalisers=(Us, Vs), gap_target=target,
                   platform_spend=spend, info=info)
    e = bd.duals
    return _Run(sol, items, e.lam if e else None, e.theta if e else None, e.eta if e else None, float(UB))


def _status(gap: float, target: float, dl: _Deadline) -> str:
    if gap <= GAP_OPTIMAL:
        return "optimal"
    if gap <= target:
        return "gap_ok"
    if dl.expired():
        return "time_limit"
    return "gap_above_target"


def _provisional_scales(prep: _Prep) -> tuple[float, float]:
    """Rough sizes of the two terms (any positive numbers would do: the pure runs are rescaled afterwards)."""
    if prep.nf == 0:
        return 1.0, 1.0
    order = np.argsort(-prep.r / prep.cw, kind="stable")
    k = int(np.searchsorted(np.cumsum(prep.c[order]), prep.Bres)) + 1
    u = float(prep.r[order[:k]].sum()) + float(prep.reach_all[prep.must_in].sum())
    order = np.argsort(-prep.fr / prep.cw, kind="stable")
    k = int(np.searchsorted(np.cumsum(prep.c[order]), prep.Bres)) + 1
    v = float(prep.fr[order[:k]].sum()) + prep.fr_in
    return max(u, 1e-9), max(v, 1e-9)


def _pure_runs(pb: Problem, prep: _Prep, target: float, dl: _Deadline) -> dict:
    """Best plans for reach alone and for niche value alone (the normalisers), cached on the problem once both
    are certified; a run stopped by the deadline is not cached. Reach alone gets at most a third of the time
    left, niche alone at most half of what remains then, so the blend always keeps time of its own."""
    key = ("pure", target)
    if key in pb._cache:
        return pb._cache[key]
    u0, v0 = _provisional_scales(prep)
    ru = _solve_w(pb, prep, 1.0, u0, 1.0, target, dl.share(1 / 3))
    rv = _solve_w(pb, prep, 0.0, 1.0, v0, target, dl.share(0.5), {"plans": [ru.items]})
    Us = ru.sol.unique_reach if ru.sol.unique_reach > 0 else 1.0
    Vs = rv.sol.niche_value if rv.sol.niche_value > 0 else 1.0
    out = {"Us": Us, "Vs": Vs, "ru": ru, "rv": rv, "u0": u0, "v0": v0,
           # certified: no plan under this brief reaches more people / more niche value than these
           "U_bound": max(ru.UB_raw * u0, Us), "V_bound": max(rv.UB_raw * v0, Vs),
           "certified": ru.sol.status != "time_limit" and rv.sol.status != "time_limit"}
    if out["certified"]:
        pb._cache[key] = out
        pb._cache["normalisers"] = (Us, Vs)
        pb._cache["norm_info"] = _norm_info(out)
    return out


def _norm_info(pr: dict) -> dict:
    return {"unique_reach_max": pr["Us"], "niche_value_max": pr["Vs"], "unique_reach_bound": pr["U_bound"],
            "niche_value_bound": pr["V_bound"], "normalisers_certified": pr["certified"]}


def normalisers(problem: Problem, *, gap_target: float | None = None, time_limit: float = 10.0) -> tuple[float, float]:
    """(U*, V*): unique reach of the best plan for reach alone and (deduplicated) niche value of the best plan
    for niche value alone, under the brief's constraints. Each is the value of a found plan certified within the
    gap target (0.01 % up to 2,000 candidates, 0.5 % above) of that pure problem's optimum, so
    ``F <= 1 / (1 - gap)``, unless ``time_limit`` (one deadline for both) stopped them first.
    Computed once per problem and cached on it. A term that cannot be positive gets normaliser 1."""
    prep = _prep_of(problem)
    if "normalisers" in problem._cache and gap_target is None:
        return problem._cache["normalisers"]
    target = gap_target if gap_target is not None else default_gap_target(prep.n)
    pr = _pure_runs(problem, prep, target, _Deadline(time_limit))
    return pr["Us"], pr["Vs"]


def _rescale(run: _Run, prep: _Prep, w: float, Us: float, Vs: float, scale: float) -> Solution:
    """A pure-term run re-expressed with the final normalisers (its plan and bound are unchanged)."""
    s = run.sol
    F = w * s.unique_reach / Us + (1 - w) * s.niche_value / Vs
    UB = max(run.UB_raw * scale, F)
    gap = (UB - F) / UB if UB > 0 else 0.0
    status = "optimal" if gap <= GAP_OPTIMAL else ("gap_ok" if gap <= s.gap_target else s.status)
    return Solution(chosen=s.chosen.copy(), cost=s.cost, unique_reach=s.unique_reach, niche_value=s.niche_value,
                    objective=F, upper_bound=UB, gap=gap, reach_weight=w, seconds=s.seconds, status=status,
                    normalisers=(Us, Vs), gap_target=s.gap_target, platform_spend=dict(s.platform_spend),
                    info=dict(s.info))


def _finish(sol: Solution, pb: Problem, pr: dict | None, t0: float) -> Solution:
    """Attach the normalisers' certificates (when known: computed for this problem, and the ones used) and the
    wall time."""
    info = _norm_info(pr) if pr is not None else pb._cache.get("norm_info")
    if info is not None and pr is None and pb._cache.get("normalisers") != sol.normalisers:
        info = None  # the caller's normalisers, not this problem's: their certificates are not known here
    if info is not None:
        sol.info.update(info)
        sol.unique_reach_bound = info["unique_reach_bound"]
        sol.niche_value_bound = info["niche_value_bound"]
    sol.seconds = time.perf_counter() - t0
    return sol


def _start_items(prep: _Prep, starts: Sequence[Sequence[int] | np.ndarray]) -> list[np.ndarray]:
    """Plans given as candidate indices, as free indices (must-haves and candidates that are not free, e.g.
    excluded or above the budget left, are left out; the heuristics repair the rest)."""
    loc = np.full(prep.n, -1, dtype=np.int64)
    loc[prep.free] = np.arange(prep.nf)
    out = []
    for plan in starts:
        idx = np.asarray(list(plan), dtype=np.int64).ravel()
        idx = loc[idx[(idx >= 0) & (idx < prep.n)]]
        out.append(np.unique(idx[idx >= 0]))
    return out


def solve(problem: Problem, reach_weight: float, *, gap_target: float | None = None, time_limit: float = 10.0,
          normalisers: tuple[float, float] | None = None, starts: Sequence[Sequence[int] | np.ndarray] = (),
          _warm: dict | None = None) -> Solution:
    """Best plan for ``F = w U/U* + (1-w) V/V*`` with a proven upper bound (see the module docstring).

    ``gap_target``: stop once ``(upper_bound - objective) / upper_bound`` is at most this (default 0.01 %
    up to 2,000 candidates, 0.5 % above). ``normalisers``: ``(U*, V*)``; computed (and cached) when omitted.
    Any positive pair is a valid choice (they only scale the two terms; the certificate holds for the pair
    used): e.g. a previous plan's, after a lock or a kick-out. ``starts``: plans (candidate indices) the
    heuristics also start from, e.g. the previous plan after a lock or a kick-out; a start that breaks the brief
    is repaired, one naming a candidate that is not free (a must-have, excluded) loses it. Starts only speed
    the search up: the plan returned and its bound are valid whatever they are.
    ``time_limit``: one deadline (seconds) for everything, normalisers included; a solve it stops returns its
    best plan with a valid bound and status "time_limit".
    Raises :class:`Infeasible` with a plain-language reason when no plan meets the brief.
    """
    t0 = time.perf_counter()
    dl = _Deadline(time_limit)
    w = float(reach_weight)
    if not 0.0 <= w <= 1.0:
        raise ValueError("reach_weight must lie in [0, 1]")
    prep = _prep_of(problem)
    target = gap_target if gap_target is not None else default_gap_target(prep.n)
    start_plans = _start_items(prep, starts)
    if normalisers is not None and problem._cache.get("normalisers") == (float(normalisers[0]),
                                                                           float(normalisers[1])):
        normalisers = None  # this problem's own: its cached pure runs (and their certificates) apply
    pr = None
    if normalisers is None:
        # A blend's normalisers are only its scales: any positive (U*, V*) leaves the blend's certificate valid,
        # so for 0 < w < 1 they are found to the large gap target (a quick bound and primal, no MILP), which
        # keeps a click on the page (a new budget, a lock) to one real solve. A pure run is the plan itself and
        # gets the full target.
        pure_target = target if w in (0.0, 1.0) else max(target, GAP_LARGE)
        pr = _pure_runs(problem, prep, pure_target, dl)
        Us, Vs = pr["Us"], pr["Vs"]
        if w == 1.0:
            return _finish(_rescale(pr["ru"], prep, 1.0, Us, Vs, pr["u0"] / Us), problem, pr, t0)
        if w == 0.0:
            return _finish(_rescale(pr["rv"], prep, 0.0, Us, Vs, pr["v0"] / Vs), problem, pr, t0)
        warm: dict | None = _warm or {"plans": [*start_plans, pr["ru"].items, pr["rv"].items]}
    else:
        Us, Vs = (float(normalisers[0]) or 1.0), (float(normalisers[1]) or 1.0)
        warm = _warm
        cached = problem._cache.get(("pure", target))
        if warm is None and (start_plans or cached is not None):
            pure = [cached["ru"].items, cached["rv"].items] if cached is not None else []
            warm = {"plans": [*start_plans, *pure]}
    run = _solve_w(problem, prep, w, Us, Vs, target, dl, warm)
    return _finish(run.sol, problem, pr, t0)


def frontier(problem: Problem, weights=None, *, gap_target: float | None = None,
             time_limit: float = 10.0) -> list[Solution]:
    """Plans along the reach-niche trade-off (default w = 0, 0.1, ..., 1), in the order of ``weights``.

    Normalisers are computed once; each point starts from the multipliers of its nearest solved neighbour and
    from every plan found so far. ``time_limit`` is one deadline for the whole frontier (normalisers
    included); each point gets a fair share of the time left, and points reached after the deadline get a
    quick plan with a valid bound (status "time_limit").
    """
    dl = _Deadline(time_limit)
    ws = np.linspace(0.0, 1.0, 11) if weights is None else np.asarray(weights, dtype=float)
    if np.any((ws < 0.0) | (ws > 1.0)):
        raise ValueError("weights must lie in [0, 1]")
    prep = _prep_of(problem)
    target = gap_target if gap_target is not None else default_gap_target(prep.n)
    pr = _pure_runs(problem, prep, target, dl.share(0.5))
    Us, Vs = pr["Us"], pr["Vs"]
    done: dict[float, _Run] = {}
    out: dict[int, Solution] = {}
    # solve from reach (w=1) downwards, so neighbours are close
    order = sorted(range(ws.size), key=lambda i: -ws[i])
    todo = sum(1 for i in order if 0.0 < ws[i] < 1.0)
    for i in order:
        w = float(ws[i])
        t0 = time.perf_counter()
        if w == 1.0:
            out[i] = _finish(_rescale(pr["ru"], prep, 1.0, Us, Vs, pr["u0"] / Us), problem, pr, t0)
            out[i].seconds = pr["ru"].sol.seconds
            continue
        if w == 0.0:
            out[i] = _finish(_rescale(pr["rv"], prep, 0.0, Us, Vs, pr["v0"] / Vs), problem, pr, t0)
            out[i].seconds = pr["rv"].sol.seconds
            continue
        if w in done:
            out[i] = done[w].sol
            continue
        warm: dict = {"plans": [pr["ru"].items, pr["rv"].items] + [r.items for r in done.values()]}
        if done:
            near = min(done, key=lambda x: (abs(x - w), x))
            r = done[near]
            if r.lam is not None:
                warm.update(lam=r.lam, theta=r.theta, eta=r.eta)
        run = _solve_w(problem, prep, w, Us, Vs, target, dl.share(1.0 / max(todo, 1)), warm)
        todo -= 1
        done[w] = run
        out[i] = _finish(run.sol, problem, pr, t0)
    return [out[i] for i in range(ws.size)]


_GIANT_START = 0.25  # budget_sweep: a candidate above this share of the budget is a "giant" start
_GIANT_STARTS = 1  # how many giants (the most valuable) start a plan of their own (more add little: measured)
_QUICK_TARGET = 1.0  # budget_sweep's first pass: bound and plan, no closing
_CLOSE_MIN_S = 0.5  # budget_sweep's second pass: the least time a point's closing gets
_QUICK_MIN_S = 0.1  # budget_sweep's first pass: the least time a budget gets (its plan is filled, never left empty)


def budget_sweep(problem: Problem, budgets: Sequence[float] | np.ndarray, reach_weight: float, *,
                 normalisers: tuple[float, float], gap_target: float | None = None,
                 time_limit: float = 10.0, progress=None) -> list[Solution | None]:
    """Plans of one brief at several budgets (``problem`` with ``budget`` replaced), in the order of ``budgets``.

    Every point optimises the same blend ``w U/U* + (1-w) V/V*`` with the caller's ``normalisers`` (any positive
    pair keeps each point's certificate valid; one pair for all budgets keeps the reach/niche exchange rate the
    same along the curve). Two passes under one deadline (``time_limit``):

    1. every budget, in increasing order, gets its bound and a plan, without closing the gap: each starts from
       its smaller neighbour's plan (repaired and filled greedily) and multipliers (scaled by the budget ratio),
       and from that plan with the most valuable candidate costing a large share of the budget added
       (a swap cannot reach a plan built around such a "giant"), so the whole curve is there early; each budget
       gets its fair share of the time left, and at least 0.1 s even past the deadline (a budget's plan is never
       left unfilled, so the curve's shape never comes from the clock);
    2. budgets whose gap is above ``gap_target`` (default: 0.01 % up to 2,000 candidates, 0.5 % above) are closed
       (reduced-cost fixing, MILP), each from its own first plan and multipliers, with a fair share of the time
       left; the better plan and the lower of the two (valid) bounds are kept.

    Starts only speed the search up: each plan and bound is as valid as a fresh :func:`solve` at that budget, and
    its status says exactly what was reached ("time_limit" when the deadline came first). A budget no plan fits
    (e.g. below the must-haves' cost) gets None. ``progress(done, total)`` is called after each budget of the
    first pass.
    """
    dl = _Deadline(time_limit)
    bs = np.asarray(budgets, dtype=float).ravel()
    if bs.size == 0:
        return []
    if np.any(~np.isfinite(bs)) or np.any(bs <= 0):
        raise ValueError("budgets must be positive numbers")
    w = float(reach_weight)
    if not 0.0 <= w <= 1.0:
        raise ValueError("reach_weight must lie in [0, 1]")
    Us, Vs = (float(normalisers[0]) or 1.0), (float(normalisers[1]) or 1.0)
    runs: dict[int, tuple[Problem, _Prep, _Run, float]] = {}  # budget index: problem, prep, run, target
    prev: tuple[float, _Run, np.ndarray] | None = None  # budget, its run, its plan (candidate indices)
    order = np.argsort(bs, kind="stable")
    for left, i in enumerate(order.tolist()):
        b = float(bs[i])
        pb = copy.copy(problem)
        pb.budget = b
        pb._cache = {}
        try:
            prep = _prep_of(pb)
            target = gap_target if gap_target is not None else default_gap_target(prep.n)
            plans: list = []
            duals: dict = {}
            if prev is not None:
                pb_b, last, chosen = prev
                loc = np.full(prep.n, -1, dtype=np.int64)
                loc[prep.free] = np.arange(prep.nf)
                items = loc[chosen]
                plans.append(np.unique(items[items >= 0]))
                if last.lam is not None and last.eta is not None and last.theta is not None \
                        and last.theta.size == prep.K and last.eta.size == 2 * prep.P:
                    duals = {"lam": max(last.lam * b / pb_b, 1e-300), "theta": last.theta * b / pb_b, "eta": last.eta}
            big = np.flatnonzero(prep.c > _GIANT_START)
            if big.size:
                base = plans[0] if plans else np.zeros(0, dtype=np.int64)
                big = big[~np.isin(big, base)]
                val = w * prep.r[big] / Us + (1 - w) * prep.fr[big] / Vs
                plans += [np.r_[base, j] for j in big[np.argsort(-val, kind="stable")[:_GIANT_STARTS]]]
            warm = {"plans": plans, **duals} if plans or duals else None
            t0 = time.perf_counter()
            quick = _Deadline(max(dl.left() / (bs.size - left), _QUICK_MIN_S))
            run = _solve_w(pb, prep, w, Us, Vs, _QUICK_TARGET, quick, warm)
            run.sol.seconds = time.perf_counter() - t0
        except Infeasible:
            pass
        else:
            runs[i] = (pb, prep, run, target)
            prev = (b, run, run.sol.chosen)
        if progress is not None:
            progress(left + 1, int(bs.size))
    # second pass: close the gaps still above target, the largest first, each with a fair share of the time left
    # (at least _CLOSE_MIN_S: a slice too short to close anything is no use)
    todo = sorted((i for i in order.tolist() if i in runs and runs[i][2].sol.gap > runs[i][3]),
                  key=lambda i: -runs[i][2].sol.gap)
    closed: dict[int, str] = {}  # the second pass's own status, where it ran
    for k, i in enumerate(todo):
        if dl.left() <= 0.0:
            break
        pb, prep, first, target = runs[i]
        warm2: dict = {"plans": [first.items]}
        if first.lam is not None:
            warm2.update(lam=first.lam, theta=first.theta, eta=first.eta)
        t0 = time.perf_counter()
        try:
            slice_ = _Deadline(max(dl.left() / (len(todo) - k), _CLOSE_MIN_S), dl)
            again = _solve_w(pb, prep, w, Us, Vs, target, slice_, warm2)
        except Infeasible:
            continue
        closed[i] = again.sol.status
        best = again if again.sol.objective >= first.sol.objective else first
        best.sol.seconds = first.sol.seconds + time.perf_counter() - t0
        best.UB_raw = min(first.UB_raw, again.UB_raw)
        runs[i] = (pb, prep, best, target)
    out: list[Solution | None] = []
    for i in range(bs.size):
        if i not in runs:
            out.append(None)
            continue
        pb, prep, run, target = runs[i]
        s = run.sol
        s.upper_bound = max(float(run.UB_raw), s.objective)
        s.gap = max((s.upper_bound - s.objective) / s.upper_bound, 0.0) if s.upper_bound > 0 else 0.0
        s.gap_target = target
        s.status = (_status(s.gap, target, dl) if s.gap <= target
                    else "gap_above_target" if closed.get(i) == "gap_above_target" else "time_limit")
        out.append(_finish(s, pb, None, time.perf_counter() - s.seconds))
    return out
