"""Closing the gap (step 3 of the method in the package docstring): dual branching on dear candidates
(:func:`_probe_giants`), reduced-cost fixing at the bound's multipliers, kernel search and the MILP on the core
(:func:`_close`); every bound it returns is certified."""

from __future__ import annotations

import copy
import math

import numpy as np

from planner.planning.optimiser.bound import _Bound, _Dual, _Ev, _full_eval, _lam_guess, _NoPlan
from planner.planning.optimiser.context import _Ctx, _Deadline, _Obj
from planner.planning.optimiser.milp import _region_milp
from planner.planning.optimiser.prep import _group_max, _Prep, _Work
from planner.planning.optimiser.primal import _xof
from planner.planning.optimiser.problem import _EPS

_KERNEL = True  # kernel search (small MILP for a better incumbent) before the core MILP
_GIANT = 0.05  # probe critical candidates costing more than this share of the budget left (see _probe_giants)


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


def _world_empty(p: _Prep, q: _Prep, forced: list[int], work: _Work) -> bool:
    """Whether no plan contains ``forced`` and takes only ``work``'s candidates besides (``q``: that world's budgets
    and bounds), by necessary conditions: each budget covers the locked sets' cheapest candidates, every locked set
    still has one, and every platform minimum can be reached."""
    if q.Bres < -_EPS or np.any(q.Hres < -_EPS) or q.Ures < -_EPS:
        return True
    if p.locked_sets.size:
        open_ = np.ones(p.G, dtype=bool)
        if forced:
            open_[p.grp[np.asarray(forced, dtype=np.int64)]] = False
        have = np.zeros(p.G, dtype=bool)
        have[p.grp[work.ids]] = True
        need = p.locked_sets[open_[p.locked_sets]]
        if not np.all(have[need]) or work.least_spend() > q.Bres + _EPS or work.least_units() > q.Ures + _EPS:
            return True
    lo = np.flatnonzero(q.Lres > _EPS)
    if lo.size:
        if float(q.Lres[lo].sum()) > q.Bres + _EPS:
            return True
        for k in lo.tolist():
            on = work.plat == k
            most = float(_group_max(p.grp[work.ids[on]], work.c[on]).sum()) if on.any() else 0.0
            if min(most, q.Hres[k], q.Bres) + _EPS < q.Lres[k]:
                return True
    return False


def _world_bound(ctx: _Ctx, forced: list[int], excl: np.ndarray, e: _Ev, rtol: float = 1e-4):
    """(bound eval, lo, hi) of the Lagrangian over the plans containing ``forced`` and none of ``excl``;
    None when no such plan exists (proven)."""
    p = ctx.prep
    ctx2 = _world(ctx, forced)
    q = ctx2.prep
    work = _Work(p, _world_ids(p, forced, excl))
    if _world_empty(p, q, forced, work):
        return None
    d = _Dual(ctx2, work, e.mu)
    lam0 = e.lam if e.lam > 0 else _lam_guess(ctx2, d.work)
    try:
        lo, hi = d.run(lam0, e.theta, e.eta, rtol=rtol, etol=rtol * 10, rounds=2)
    except _NoPlan:
        return None
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
    dead = ~np.isfinite(s)  # excluded by the dual branching, or in a forced candidate's set: never a choice here
    gbest, is_best, other = w.top2(s)
    with np.errstate(invalid="ignore"):
        forced_in = D - gbest + s  # bound over plans that contain this candidate (it is not the set's choice)
        forced_out = D - gbest + other  # bound over plans without this candidate (it is the set's choice)
    rc = np.empty(p.nf)
    rc[w.ids] = np.where(dead, np.inf, np.where(is_best, D - forced_out, D - forced_in))  # bound drop when flipped
    lag_in = np.zeros(p.nf, dtype=bool)
    lag_in[w.ids] = is_best & ~dead
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

    def fixed(T: float) -> np.ndarray:  # reduced-cost fixing at threshold T, the excluded and forced kept so
        st = fixing(T)
        st[excl] = 0
        st[forced] = 1
        return st

    T = thr(F_best)
    if T >= D:
        return cert(D), best_items, F_best, info
    status = fixed(T)
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
        kern[p.lock_cands] = True  # a locked set keeps its candidates
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
        status = fixed(T)
    info["core"] = int((status == 2).sum())
    info["fixed_in"] = int((status == 1).sum())
    if ctx.dl.nearly_over():
        return cert(D), best_items, F_best, info
    centres = [a_of(best_items), A_rel] if F_best > -math.inf else [A_rel]
    UB_core, best_items, F_best, minfo = _region_milp(ctx, status, T, best_items, F_best, target / 4, ctx.dl,
                                                      centres, [best_items, bd.relaxed], true_F)
    info.update(minfo)
    if UB_core is None:
        return cert(D), best_items, F_best, info
    return cert(min(D, max(T, UB_core))), best_items, F_best, info

