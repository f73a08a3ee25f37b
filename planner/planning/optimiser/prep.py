"""Preparation of a problem, independent of the reach weight and cached on it (:func:`_prep_of`): the checked
arrays, the must-haves' fixed part, the free candidates (:class:`_Prep`), their layout by one-per-blogger set for
vectorised set maxima (:class:`_Work`) and the exact measured-overlap part of the objective (:class:`_Kappa`)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from planner.core.errors import Amount, Count, Share
from planner.planning import reach as _reach
from planner.planning.optimiser.problem import _EPS, Infeasible, Problem, ProblemError


def _fingerprint(pb: Problem) -> str:
    h = hashlib.blake2b(digest_size=16)
    for arr in (pb.cost, pb.reach, pb.fit, pb.pool, pb.blogger, pb.platform, pb.pool_size):
        a = np.ascontiguousarray(np.asarray(arr))
        h.update(str(a.dtype).encode())
        h.update(a.tobytes())
    h.update(repr((float(pb.budget), sorted(int(i) for i in pb.must_in), sorted(int(i) for i in pb.must_out),
                   sorted(int(i) for i in pb.must_bloggers), pb.max_share, sorted(pb.platform_bounds.items()),
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
        # a locked set (a blogger locked in) always takes its best candidate, even at a negative score
        lk = prep.locked[prep.grp[ids]] if m else np.zeros(0, dtype=bool)
        self.any_lock = bool(lk.any())
        self.block_lk = [lk[off: off + sz * ng: sz] for sz, off, ng in self.blocks]
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

    def least_spend(self) -> float:
        """The least cash any choice of these candidates spends: each locked set's cheapest candidate."""
        if not self.any_lock:
            return 0.0
        out = 0.0
        for (sz, off, ng), lk in zip(self.blocks, self.block_lk, strict=True):
            if lk.any():
                out += float(self.c[off: off + sz * ng].reshape(ng, sz).min(axis=1)[lk].sum())
        return out

    def least_units(self) -> float:
        """The least product units any choice of these candidates needs (shares of the units left)."""
        if not self.any_lock:
            return 0.0
        out = 0.0
        for (sz, off, ng), lk in zip(self.blocks, self.block_lk, strict=True):
            if lk.any():
                out += float(self.u[off: off + sz * ng].reshape(ng, sz).min(axis=1)[lk].sum())
        return out

    def xsum(self, mask: np.ndarray) -> np.ndarray:
        """Both exponents per pool (reach, niche) summed over the masked positions."""
        pm = self.pool[mask]
        return np.r_[np.bincount(pm, weights=self.a[mask], minlength=self.P),
                     np.bincount(pm, weights=self.b[mask], minlength=self.P)]

    def tangent_part(self, eta: np.ndarray) -> np.ndarray:
        """eta_p a_j + zeta_p b_j per position (eta holds both multipliers per pool, as X does)."""
        return eta[self.pool] * self.a + eta[self.poolb] * self.b

    def best(self, s: np.ndarray) -> tuple[np.ndarray, float]:
        """Mask of each set's best candidate with a positive score (a locked set's best whatever its score), and
        the sum of those scores."""
        mask = np.zeros(self.m, dtype=bool)
        total = 0.0
        for (sz, off, ng), lk in zip(self.blocks, self.block_lk, strict=True):
            seg = s[off: off + sz * ng]
            if sz == 1:
                best = seg
                mask[off: off + ng] = (seg > 0) | lk
            else:
                S = seg.reshape(ng, sz)
                am = S.argmax(axis=1)
                best = S[np.arange(ng), am]
                rows = np.flatnonzero((best > 0) | lk)
                mask[off + rows * sz + am[rows]] = True
            total += float(np.where(lk, best, np.maximum(best, 0.0)).sum()) if self.any_lock \
                else float(np.maximum(best, 0.0).sum())
        return mask, total

    def top2(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per position: its set's best score ("none" counts 0, except in a locked set), whether it is that best,
        and the best score of the set without it (-inf for a locked set's only candidate)."""
        gbest = np.zeros(self.m)
        is_best = np.zeros(self.m, dtype=bool)
        other = np.zeros(self.m)
        for (sz, off, ng), lk in zip(self.blocks, self.block_lk, strict=True):
            sl = slice(off, off + sz * ng)
            seg = s[sl]
            if sz == 1:
                gbest[sl] = np.where(lk, seg, np.maximum(seg, 0.0))
                is_best[sl] = (seg > 0) | lk
                other[sl] = np.where(lk, -np.inf, 0.0)
            else:
                S = seg.reshape(ng, sz)
                am = S.argmax(axis=1)
                b1 = S[np.arange(ng), am]
                S2 = S.copy()
                S2[np.arange(ng), am] = -np.inf
                b2 = S2.max(axis=1)
                gb = np.where(lk, b1, np.maximum(b1, 0.0))
                gbest[sl] = np.repeat(gb, sz)
                ib = np.zeros((ng, sz), dtype=bool)
                ib[np.arange(ng), am] = (b1 > 0) | lk
                is_best[sl] = ib.ravel()
                oth = np.where(ib, np.where(lk, b2, np.maximum(b2, 0.0))[:, None], gb[:, None])
                other[sl] = oth.ravel()
        return gbest, is_best, other


@dataclass
class _Arrays:
    """A problem's candidate arrays, flat and checked (:func:`_checked_arrays`)."""

    cost: np.ndarray
    reach: np.ndarray
    fit: np.ndarray
    pool: np.ndarray  # int64, indexes N
    blogger: np.ndarray
    platform: np.ndarray
    N: np.ndarray  # pool sizes (people)
    units: np.ndarray  # zeros without a units budget
    U: float  # the units budget (inf without one)
    has_units: bool  # a units budget and some candidate using it


def _checked_arrays(pb: Problem) -> _Arrays:
    """The problem's arrays, flat, every value checked (:class:`ProblemError` says what is wrong)."""
    cost = np.asarray(pb.cost, dtype=float).ravel()
    reach = np.asarray(pb.reach, dtype=float).ravel()
    fit = np.asarray(pb.fit, dtype=float).ravel()
    n = cost.size
    pool = np.asarray(pb.pool).ravel()
    blogger = np.asarray(pb.blogger).ravel()
    platform = np.asarray(pb.platform).ravel()
    N = np.asarray(pb.pool_size, dtype=float).ravel()
    for name, arr in (("reach", reach), ("fit", fit), ("pool", pool), ("blogger", blogger),
                      ("platform", platform)):
        _check_length(name, arr, n)
    units = np.zeros(n) if pb.units is None else np.asarray(pb.units, dtype=float).ravel()
    _check_length("units", units, n)
    if n and (not np.all(np.isfinite(units)) or np.any(units < 0)):
        raise ProblemError("units_values")
    has_units = pb.units is not None and bool(np.any(units > 0))
    U = float(pb.units_budget) if pb.units_budget is not None else math.inf
    if has_units and not (U >= 0 and not math.isnan(U)):
        raise ProblemError("units_budget_value")
    _check_values(cost, reach, fit, units, pb.budget)
    pool = pool.astype(np.int64)
    _check_pools(reach, pool, N)
    return _Arrays(cost, reach, fit, pool, blogger, platform, N, units, U, has_units)


def _check_length(name: str, arr: np.ndarray, n: int) -> None:
    if arr.size != n:
        raise ProblemError("length_mismatch", name=name, size=str(arr.size), n=str(n))


def _check_values(cost: np.ndarray, reach: np.ndarray, fit: np.ndarray, units: np.ndarray, budget: float) -> None:
    """Costs (0 only with units), reaches, niche fits and the budget."""
    if cost.size and (not np.all(np.isfinite(cost)) or np.any(cost < 0) or np.any((cost == 0) & (units <= 0))):
        raise ProblemError("cost_values")
    if cost.size and (not np.all(np.isfinite(reach)) or np.any(reach <= 0)):
        raise ProblemError("reach_values")
    if cost.size and (not np.all(np.isfinite(fit)) or np.any(fit < 0) or np.any(fit > 1)):
        raise ProblemError("fit_values")
    if not (np.isfinite(budget) and budget > 0):
        raise ProblemError("budget_value")


def _check_pools(reach: np.ndarray, pool: np.ndarray, N: np.ndarray) -> None:
    """Pool ids index the pool sizes, which are positive, and every reach is below its pool's size."""
    n = reach.size
    if n and (pool.min() < 0 or pool.max() >= N.size):
        raise ProblemError("pool_ids")
    if np.any(~np.isfinite(N)) or np.any(N <= 0):
        raise ProblemError("pool_sizes")
    if n and np.any(reach >= N[pool]):
        j = int(np.flatnonzero(reach >= N[pool])[0])
        raise ProblemError("reach_above_pool", j=str(j), reach=Count(reach[j]), size=Count(N[pool[j]]))


def _candidate_ids(x: Sequence[int], field: str, n: int) -> np.ndarray:
    """Candidate indices (sorted, unique) of ``must_in`` / ``must_out``, each checked to exist."""
    arr = np.unique(np.asarray(list(x), dtype=np.int64)) if len(x) else np.zeros(0, dtype=np.int64)
    if arr.size and (arr.min() < 0 or arr.max() >= n):
        raise ProblemError("unknown_candidate", field=field)
    return arr


class _Prep:
    """Validated arrays, fixed (must-have) part, free candidates and pair data; no reach weight involved.

    Built in the order of the brief's checks, so that the first reason a brief fails is the one reported:
    the arrays (:func:`_checked_arrays`), the candidates' derived data, the must-haves, the budget and the cap
    per placement, the platform shares, the free candidates, the platform minimums, then the measured pairs."""

    def __init__(self, pb: Problem):
        arr = _checked_arrays(pb)
        self._candidates(pb, arr)
        must_in, must_out = self._musts(pb)
        locked = self._locked_bloggers(pb)
        out_mask = np.zeros(self.n, dtype=bool)
        out_mask[must_out] = True
        while True:  # a locked blogger left with one candidate is a must-have; that may leave another with one
            cap, cost_in, units_in = self._budgets(pb, arr, must_in)
            H, L, spend_in = self._platform_bounds(pb, arr, must_in)
            in_mask = np.zeros(self.n, dtype=bool)
            in_mask[must_in] = True
            Hres_abs = H - spend_in
            free = self._free_mask(arr, must_in, in_mask, out_mask, cap, cost_in, units_in, Hres_abs)
            more, locked = self._lock_singles(arr, locked, in_mask, out_mask, free, cap, cost_in, units_in,
                                              spend_in, Hres_abs)
            if not more.size:
                break
            must_in = np.union1d(must_in, more)
        self._free_part(arr, must_in, free, units_in, locked)
        self._fixed_part(arr, must_in, cost_in, Hres_abs, L, spend_in)
        self._check_locks(arr, cost_in, units_in)
        self._check_platform_minimums(L, spend_in)
        self.work_full = _Work(self, np.arange(self.nf))
        self._measured_pairs(pb, arr, in_mask)
        possible = in_mask.copy()
        possible[self.free] = True
        self.kappa = _Kappa(self, possible) if self.has_pairs else None

    def _candidates(self, pb: Problem, arr: _Arrays) -> None:
        """Every candidate's data: exponents, blogger and platform indices; labels and names for messages."""
        n = arr.cost.size
        self.n = n
        self.has_units = arr.has_units
        self.B = float(pb.budget)
        self.P = arr.N.size
        self.N = arr.N
        self.labels = pb.labels
        self.platform_names = pb.platform_names or {}
        self.cost_all, self.reach_all, self.fit_all = arr.cost, arr.reach, arr.fit
        self.pool_all = arr.pool
        self.units_all = arr.units
        N, pool = arr.N, arr.pool
        self.a_all = -np.log1p(-arr.reach / N[pool]) if n else np.zeros(0)
        self.fr_all = arr.fit * arr.reach
        self.b_all = -np.log1p(-self.fr_all / N[pool]) if n else np.zeros(0)
        _, gid = np.unique(arr.blogger, return_inverse=True)
        self.gid_all = gid.reshape(-1).astype(np.int64)  # blogger index per candidate
        self.plat_ids, kid = np.unique(arr.platform, return_inverse=True)
        self.kid_all = kid.reshape(-1).astype(np.int64)
        self.K = self.plat_ids.size

    def _musts(self, pb: Problem) -> tuple[np.ndarray, np.ndarray]:
        """Must-have and excluded candidates: none both, at most one per blogger among the must-haves."""
        must_in = _candidate_ids(pb.must_in, "must_in", self.n)
        must_out = _candidate_ids(pb.must_out, "must_out", self.n)
        both = np.intersect1d(must_in, must_out)
        if both.size:
            raise Infeasible("must_and_excluded", name=self.name(both[0]))
        if must_in.size:
            g_in = self.gid_all[must_in]
            u, cnt = np.unique(g_in, return_counts=True)
            if np.any(cnt > 1):
                dup = must_in[g_in == u[cnt > 1][0]]
                raise Infeasible("same_blogger", a=self.name(dup[0]), b=self.name(dup[1]))
        return must_in, must_out

    def _locked_bloggers(self, pb: Problem) -> np.ndarray:
        """Blogger indices (``gid``) locked in by ``must_bloggers``, but for those a must-have already books."""
        ids = np.unique(np.asarray(list(pb.must_bloggers), dtype=np.int64)) if len(pb.must_bloggers) else \
            np.zeros(0, dtype=np.int64)
        if not ids.size:
            return ids
        known, at = np.unique(np.asarray(pb.blogger).ravel(), return_index=True)
        pos = np.searchsorted(known, ids)
        if np.any(pos >= known.size) or np.any(known[np.minimum(pos, known.size - 1)] != ids):
            raise ProblemError("unknown_blogger")
        return np.asarray(pos, dtype=np.int64)  # np.unique's order is the gid order

    def _lock_singles(self, arr: _Arrays, locked: np.ndarray, in_mask: np.ndarray, out_mask: np.ndarray,
                      free: np.ndarray, cap: float, cost_in: float, units_in: float, spend_in: np.ndarray,
                      Hres_abs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The locked bloggers' candidates that must be in because they are their blogger's only one left (new
        must-haves), and the locked bloggers still open (none booked yet, two or more candidates left). A locked
        blogger with no candidate left makes the brief infeasible: the reason is their cheapest placement's."""
        gid = self.gid_all
        booked = np.zeros(gid.max() + 1 if self.n else 0, dtype=bool)
        booked[gid[in_mask]] = True
        locked = locked[~booked[locked]]
        if not locked.size:
            return np.zeros(0, dtype=np.int64), locked
        nfree = np.bincount(gid[free], minlength=booked.size)
        empty = locked[nfree[locked] == 0]
        if empty.size:
            self._lock_reason(arr, int(empty[0]), out_mask, cap, cost_in, units_in, spend_in, Hres_abs)
        single = locked[nfree[locked] == 1]
        more = np.flatnonzero(free & np.isin(gid, single))
        return more, locked[nfree[locked] >= 2]

    def _lock_reason(self, arr: _Arrays, g: int, out_mask: np.ndarray, cap: float, cost_in: float, units_in: float,
                     spend_in: np.ndarray, Hres_abs: np.ndarray) -> None:
        """Raise why locked blogger ``g`` has no candidate a plan may take (the first reason of their cheapest
        placement that is not kicked out, in the order of the brief's checks)."""
        mem = np.flatnonzero(self.gid_all == g)
        left = mem[~out_mask[mem]]
        if not left.size:
            raise Infeasible("must_and_excluded", name=self.name(mem[0]))
        j = int(left[np.lexsort((left, arr.units[left], arr.cost[left]))[0]])
        c, B = float(arr.cost[j]), self.B
        if cap < B and c > cap * (1 + 1e-12):
            raise Infeasible("must_above_cap", name=self.name(j), cost=Amount(c), cap=Amount(cap), share=Share(cap / B))
        if cost_in + c > B * (1 + 1e-12):
            raise Infeasible("budget_below_musts", budget=Amount(B), cost=Amount(cost_in + c))
        if units_in + arr.units[j] > arr.U + 1e-9:
            raise Infeasible("units_below_musts", units=Count(arr.U), need=Count(units_in + arr.units[j]))
        k = int(self.kid_all[j])
        pname = self.platform_names.get(self.plat_ids[k].item(), f"platform {self.plat_ids[k]}")
        if not np.isfinite(self.H_abs[k]):  # within every bound but for rounding: the budget is the nearest reason
            raise Infeasible("budget_below_musts", budget=Amount(B), cost=Amount(cost_in + c))
        raise Infeasible("musts_above_platform_cap", platform=pname, cost=Amount(spend_in[k] + c),
                         hi=Share(self.H_abs[k] / B), cap=Amount(self.H_abs[k]))

    def _check_locks(self, arr: _Arrays, cost_in: float, units_in: float) -> None:
        """The locked bloggers still open need at least their cheapest candidates' cost and units."""
        if not self.locked.any():
            return
        lk = self.locked[self.grp]
        least_c = _group_min(self.grp[lk], arr.cost[self.free][lk]).sum()
        if cost_in + least_c > self.B * (1 + 1e-12):
            raise Infeasible("budget_below_musts", budget=Amount(self.B), cost=Amount(cost_in + least_c))
        if self.has_units:
            least_u = _group_min(self.grp[lk], arr.units[self.free][lk]).sum()
            if units_in + least_u > arr.U + 1e-9:
                raise Infeasible("units_below_musts", units=Count(arr.U), need=Count(units_in + least_u))

    def _budgets(self, pb: Problem, arr: _Arrays, must_in: np.ndarray) -> tuple[float, float, float]:
        """The cap per placement; the must-haves within it, the budget and the units budget. Returns (cap,
        the must-haves' cost, their units)."""
        B, cost = self.B, arr.cost
        cost_in = float(cost[must_in].sum())
        if pb.max_share is not None:
            if not 0 < pb.max_share <= 1:
                raise ProblemError("max_share_value")
            cap = pb.max_share * B
            over = must_in[cost[must_in] > cap * (1 + 1e-12)]
            if over.size:
                j = int(over[0])
                raise Infeasible("must_above_cap", name=self.name(j), cost=Amount(cost[j]), cap=Amount(cap),
                                 share=Share(pb.max_share))
        else:
            cap = B
        if cost_in > B * (1 + 1e-12):
            raise Infeasible("budget_below_musts", budget=Amount(B), cost=Amount(cost_in))
        units_in = float(arr.units[must_in].sum())
        if self.has_units and units_in > arr.U * (1 + 1e-12):
            raise Infeasible("units_below_musts", units=Count(arr.U), need=Count(units_in))
        return cap, cost_in, units_in

    def _platform_bounds(self, pb: Problem, arr: _Arrays,
                         must_in: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Platform spend bounds in money: (upper H, lower L, the must-haves' spend), per platform index."""
        K = self.K
        H = np.full(K, np.inf)
        L = np.full(K, -np.inf)
        spend_in = np.bincount(self.kid_all[must_in], weights=arr.cost[must_in], minlength=K)
        lo_total = 0.0
        for key, (lo, hi) in (pb.platform_bounds or {}).items():
            self._platform_bound(key, lo, hi, spend_in, H, L)
            if lo:
                lo_total += lo
        if lo_total > 1 + 1e-12:
            raise Infeasible("share_minimums_above_100", total=Share(lo_total))
        self.H_abs, self.L_abs = H, L
        return H, L, spend_in

    def _platform_bound(self, key, lo: float | None, hi: float | None, spend_in: np.ndarray, H: np.ndarray,
                        L: np.ndarray) -> None:
        """One platform's shares (``key``: its id), checked, into ``H`` and ``L``."""
        B = self.B
        pos = np.flatnonzero(self.plat_ids == key)
        pname = self.platform_names.get(key, f"platform {key}")
        if lo is not None and not (0 <= lo <= 1):
            raise ProblemError("lower_share_value", platform=pname)
        if hi is not None and not (0 <= hi <= 1):
            raise ProblemError("upper_share_value", platform=pname)
        if lo is not None and hi is not None and lo > hi:
            raise Infeasible("share_min_above_max", platform=pname, lo=Share(lo), hi=Share(hi))
        if pos.size == 0:
            if lo:
                raise Infeasible("share_no_candidates", platform=pname, lo=Share(lo))
            return
        k = int(pos[0])
        if hi is not None:
            if spend_in[k] > hi * B * (1 + 1e-12):
                raise Infeasible("musts_above_platform_cap", platform=pname, cost=Amount(spend_in[k]), hi=Share(hi),
                                 cap=Amount(hi * B))
            H[k] = hi * B
        if lo:
            L[k] = lo * B

    def _free_mask(self, arr: _Arrays, must_in: np.ndarray, in_mask: np.ndarray, out_mask: np.ndarray, cap: float,
                   cost_in: float, units_in: float, Hres_abs: np.ndarray) -> np.ndarray:
        """Candidates a plan may still add: neither must-have nor excluded, not a must-have's blogger, within the
        cap per placement and what the must-haves leave of the budget, the units and the platform caps."""
        n, cost, units, gid = self.n, arr.cost, arr.units, self.gid_all
        grp_has_in = np.zeros(gid.max() + 1 if n else 0, dtype=bool)
        grp_has_in[gid[must_in]] = True
        Bres_abs = self.B - cost_in
        free = ~in_mask & ~out_mask & (cost <= min(cap, Bres_abs) * (1 + 1e-12)) & (units <= (arr.U - units_in) + 1e-9)
        if n:
            free &= ~grp_has_in[gid] & (cost <= Hres_abs[self.kid_all] * (1 + 1e-12))
        return free

    def _free_part(self, arr: _Arrays, must_in: np.ndarray, free: np.ndarray, units_in: float,
                   locked: np.ndarray) -> None:
        """The free candidates' arrays (free order): costs as shares of the budget, units as shares of the units
        left (0 without a units budget), ``cw`` both shares (for ratios), exponents, pools, sets, platforms, and
        which sets are locked (``locked``: per set, a blogger locked in with two or more candidates left)."""
        B, U = self.B, arr.U
        self.must_in = must_in
        self.free = np.flatnonzero(free)
        f = self.free
        self.nf = f.size
        self.c = arr.cost[f] / B
        Ures_abs = U - units_in
        self.u = arr.units[f] / U if self.has_units and U > 0 else np.zeros(f.size)
        self.Ures = (Ures_abs / U if U > 0 else 0.0) if self.has_units else math.inf
        self.cw = self.c + self.u
        self.a = self.a_all[f]
        self.b = self.b_all[f]
        self.r = arr.reach[f]
        self.fr = arr.fit[f] * arr.reach[f]
        self.pool = arr.pool[f]
        gids, g2 = np.unique(self.gid_all[f], return_inverse=True)
        self.grp = g2.reshape(-1).astype(np.int64)
        self.G = int(self.grp.max()) + 1 if f.size else 0
        self.plat = self.kid_all[f]
        self.locked = np.isin(gids, locked)  # per set
        self.locked_sets = np.flatnonzero(self.locked)
        self.lock_cands = np.flatnonzero(self.locked[self.grp]) if f.size else np.zeros(0, dtype=np.int64)

    def _fixed_part(self, arr: _Arrays, must_in: np.ndarray, cost_in: float, Hres_abs: np.ndarray, L: np.ndarray,
                    spend_in: np.ndarray) -> None:
        """The must-haves' exponents per pool and what they leave of the budget and platform bounds (shares)."""
        B, pool = self.B, arr.pool
        self.A0 = np.bincount(pool[must_in], weights=self.a_all[must_in], minlength=self.P)
        self.B0 = np.bincount(pool[must_in], weights=self.b_all[must_in], minlength=self.P)
        self.A0 = self.A0.astype(float)  # bincount of nothing is an integer array
        self.B0 = self.B0.astype(float)
        self.X0 = np.r_[self.A0, self.B0]  # both exponents per pool: reach [:P], niche [P:]
        self.fr_in = float((arr.fit[must_in] * arr.reach[must_in]).sum())
        self.Bres = (B - cost_in) / B
        self.Hres = Hres_abs / B
        self.Lres = (L - spend_in) / B
        self.spend_in = spend_in / B

    def _check_platform_minimums(self, L: np.ndarray, spend_in: np.ndarray) -> None:
        """Feasibility of the lower bounds (necessary condition: the most each platform could take)."""
        B = self.B
        for k in range(self.K):
            if self.Lres[k] > _EPS:
                pk = self.plat == k
                pname = self.platform_names.get(self.plat_ids[k].item(), f"platform {self.plat_ids[k]}")
                most = float(_group_max(self.grp[pk], self.c[pk]).sum()) if pk.any() else 0.0
                most = min(most, self.Hres[k], self.Bres)
                if most + _EPS < self.Lres[k]:
                    need = L[k]
                    have = spend_in[k] + most * B
                    code = "share_min_cheap" if most < self.Bres - _EPS else "share_min_left"
                    raise Infeasible(code, platform=pname, need=Amount(need), share=Share(need / B), have=Amount(have))
        if self.Lres[self.Lres > 0].sum() > self.Bres + _EPS:
            raise Infeasible("share_minimums_above_left")

    def _measured_pairs(self, pb: Problem, arr: _Arrays, in_mask: np.ndarray) -> None:
        """Measured overlaps: per pair delta+ = max(0, model duplication - measured duplication), for unique reach
        (reaches r) and for niche value (fit-weighted reaches f r), see planner.planning.reach; credited to the
        free members (whole with a must-have, half to each of two free ones) and summed among must-haves."""
        self.has_pairs = False
        z = np.zeros(self.nf)
        self.credit_in = (z, z.copy())  # (reach, niche) delta+ with must-haves (exact linear)
        self.credit_half = (z.copy(), z.copy())  # (reach, niche) delta+/2 of free-free pairs
        self.pair_const = (0.0, 0.0)
        self.pairs_orig = None
        if pb.overlaps is None or not len(pb.overlaps):
            return
        n, f, pool, N = self.n, self.free, arr.pool, self.N
        pi, pk, po = _reach._pairs(pb.overlaps, n)
        self.pairs_orig = (pi, pk, po)
        self.has_pairs = pi.size > 0
        same = pool[pi] == pool[pk]
        dplus = []
        for rr in (arr.reach, self.fr_all):
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
    (:meth:`cut`).

    A measured overlap below the model's can make a pool's sum (model plus its kappa terms) exceed the pool itself;
    planner.planning.reach caps each pool's unique reach (and niche value) at its size, and so does the objective:
    :meth:`excess` is what a plan's terms have above their pools' sizes (``capped`` lists the (term, pool) pairs
    where that can happen: their possible placements' reach adds up to more than the pool)."""

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
        self.t_tau = np.array([t[0] for t in self.terms], dtype=np.int64)
        self.t_pool = np.array([prep.pool_all[t[1]] for t in self.terms], dtype=np.int64)
        # (term, pool) pairs whose kappa terms may take the pool above its size, and the terms of each
        # kappa_j <= rho_j sum_E max(0, qmod - qmeas) (a product of factors in [0, 1] moves by at most the sum of
        # their changes), and the model's part of pool q is at most N_q (1 - exp(-X_max)): a pool whose two can
        # add up to more than N_q may need its cap
        self.capped: list[tuple[int, int, np.ndarray]] = []
        kmax = np.array([rho * float(np.maximum(qmod - qmeas, 0.0).sum())
                         for _, _, rho, _, qmeas, qmod, _ in self.terms])
        for tau, x in enumerate((prep.a_all, prep.b_all)):
            xmax = np.bincount(prep.pool_all[possible], weights=x[possible], minlength=prep.P)
            for q in np.unique(self.t_pool[self.t_tau == tau]).tolist():
                ts = np.flatnonzero((self.t_tau == tau) & (self.t_pool == q))
                if float(kmax[ts].sum()) > prep.N[q] * math.exp(-xmax[q]):
                    self.capped.append((tau, int(q), ts))
        self.N = prep.N
        self.P = prep.P

    def excess(self, model: np.ndarray, kvals: np.ndarray, ku: float, kn: float) -> float:
        """What the plan's terms have above their pools' sizes (objective units), from its model terms ``model``
        (``coef (1 - exp(-X))``, reach [:P], niche [P:]) and its kappa terms ``kvals`` (objective units)."""
        out = 0.0
        for tau, q, ts in self.capped:
            k = ku if tau == 0 else kn
            over = model[tau * self.P + q] + float(kvals[ts].sum()) - k * self.N[q]
            if over > 0:
                out += over
        return out

    def kweights(self, ku: float, kn: float) -> np.ndarray:
        return np.where(self.t_tau == 0, ku, kn) if self.terms else np.zeros(0)

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


def _group_min(g: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """Smallest value per group (groups in sorted id order)."""
    return -_group_max(g, -vals)


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
        prep = _Prep(pb)  # a brief it refuses caches nothing: solving it again raises the same error
        pb._cache["fp"] = fp
        pb._cache["prep"] = prep
    return pb._cache["prep"]
