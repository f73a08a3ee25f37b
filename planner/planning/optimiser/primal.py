"""Primal heuristics (step 2 of the method in the package docstring): a plan as a mutable state
(:class:`_State`, its value exact, measured pairs included), repaired for the budgets and platform shares
(:func:`_repair`), filled greedily by marginal gain per cost (:func:`_greedy`) and improved by swaps
(:func:`_swap_round`, :func:`_improve`)."""

from __future__ import annotations

import numpy as np

from planner.planning.optimiser.context import _Ctx
from planner.planning.optimiser.prep import _Prep
from planner.planning.optimiser.problem import _EPS


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
        """Exact objective of the plan (pool model plus the measured-overlap part, each pool capped at its size)."""
        o = self.ctx.obj
        model = o.coef * -np.expm1(-self.A)
        v = float(model.sum())
        kp = self.ctx.prep.kappa
        if kp is not None and self.ins is not None and kp.terms:
            kv = kp.kweights(o.ku, o.kn) * kp.corr_terms(self.ins)
            v += float(kv.sum())
            if kp.capped:
                v -= kp.excess(model, kv, o.ku, o.kn)
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
                and bool(np.all(self.spendk >= p.Lres - _EPS)) and self.units <= p.Ures + _EPS
                and bool(np.all(self.ch[p.locked_sets] >= 0)))


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
    kp = ctx.prep.kappa
    check = kp is not None and bool(kp.capped)  # gains ignore the pools' caps: each step is checked exactly
    barred = np.zeros(cand.size, dtype=bool)
    while steps < max_steps and not ctx.dl.expired():
        gain, dc, ok = _move_gains(ctx, st, cand)
        before = st.value()
        tol = 1e-13 * max(1.0, abs(before))
        ok &= (gain > tol) & ~barred
        if not ok.any():
            break
        free = ok & (dc <= 0)
        if free.any():
            j = int(np.argmax(np.where(free, gain, -np.inf)))
        else:
            j = int(np.argmax(np.where(ok, gain / np.where(dc > 0, dc, 1.0), -np.inf)))
        if check:
            prev = int(st.ch[ctx.prep.grp[cand[j]]])
            st.put(int(cand[j]))
            if st.value() <= before + tol:  # a capped pool: no gain after all
                st.remove(int(cand[j]))
                if prev >= 0:
                    st.put(prev)
                barred[j] = True
                continue
        else:
            st.put(int(cand[j]))
        steps += 1
    return steps


def _loss(ctx: _Ctx, st: _State, items: np.ndarray) -> np.ndarray:
    p, o = ctx.prep, ctx.obj
    E = o.coef * np.exp(-st.A)
    q = p.pool[items]
    return E[q] * np.expm1(p.a[items]) + E[p.P + q] * np.expm1(p.b[items])


def _fill_locks(ctx: _Ctx, st: _State) -> None:
    """Give every locked set that has nothing chosen a candidate: the best gain per cost among those that keep the
    plan within its bounds, else the cheapest (the repair then makes room)."""
    p = ctx.prep
    for g in p.locked_sets[st.ch[p.locked_sets] < 0].tolist():
        mem = p.lock_cands[p.grp[p.lock_cands] == g]
        gain, dc, ok = _move_gains(ctx, st, mem)
        if ok.any():
            free = ok & (dc <= 0)
            score = np.where(free, gain, -np.inf) if free.any() else np.where(ok, gain / np.where(dc > 0, dc, 1.0),
                                                                                -np.inf)
            j = int(mem[np.argmax(score)])
        else:
            j = int(mem[np.lexsort((mem, p.cw[mem]))[0]])
        st.put(j)


def _downgrade(ctx: _Ctx, st: _State, res: np.ndarray, on_k: int | None = None, off_k: int | None = None) -> bool:
    """Switch one locked set's choice to a candidate of the same set that uses less of ``res`` (cash or units;
    with ``on_k`` only cash on that platform counts, with ``off_k`` only cash off it), losing the least value per
    unit saved. False when no switch saves any."""
    p = ctx.prep
    if not p.locked_sets.size:
        return False

    def counted(j: np.ndarray) -> np.ndarray:
        v = res[j]
        if on_k is not None:
            v = np.where(p.plat[j] == on_k, v, 0.0)
        if off_k is not None:
            v = np.where(p.plat[j] != off_k, v, 0.0)
        return v

    cur = st.ch[p.locked_sets]
    cur = cur[cur >= 0]
    if not cur.size:
        return False
    js = p.lock_cands[np.isin(p.grp[p.lock_cands], p.grp[cur])]
    now = np.zeros(p.G)
    now[p.grp[cur]] = counted(cur)
    saving = now[p.grp[js]] - counted(js)
    keep = saving > _EPS
    js, saving = js[keep], saving[keep]
    if not js.size:
        return False
    gain, _, _ = _move_gains(ctx, st, js)
    st.put(int(js[np.argmax(gain / saving)]))
    return True


def _repair(ctx: _Ctx, st: _State, cand: np.ndarray, keep: int | None = None) -> bool:
    """Make the plan respect budget and platform shares (remove / add by gain per cost); a locked set keeps a
    candidate (it may switch to a cheaper one of its own), and ``keep`` stays."""
    p = ctx.prep
    if p.locked_sets.size:
        _fill_locks(ctx, st)
    protect: list[int] = [] if keep is None else [keep]  # candidates the repair keeps
    tried: set[int] = set()
    for _ in range(20_000):
        items = st.items()
        if p.locked_sets.size:
            items = items[~p.locked[p.grp[items]]]  # the ones a repair may take out
        if protect:
            items = items[~np.isin(items, protect)]
        if st.units > p.Ures + _EPS:  # over the units budget: drop the least value per unit
            sel = items[p.u[items] > 0]
            if sel.size:
                r = _loss(ctx, st, sel) / p.u[sel]
                st.remove(int(sel[np.argmin(r)]))
                continue
            if _downgrade(ctx, st, p.u):
                continue
            return False
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
                if _downgrade(ctx, st, p.c, on_k=int(over_k[0]) if over_k.size else None):
                    continue
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
        if st.spend > p.Bres - p.Lres[k] + st.spendk[k] - _EPS and _downgrade(ctx, st, p.c, off_k=k):
            continue  # no room for platform k's minimum: a locked set switches to a cheaper candidate elsewhere
        # last resort: swap a chosen candidate for a dearer one on platform k (largest rise of k's spend)
        jk = ck[st.ch[p.grp[ck]] < 0]
        if jk.size and items.size:
            slack = p.Bres - st.spend
            rise = p.c[jk][None, :] - np.where(p.plat[items] == k, p.c[items], 0.0)[:, None]
            fits = p.c[jk][None, :] - p.c[items][:, None] <= slack + _EPS
            kk = p.plat[items]
            keeps = (kk == k) | (st.spendk[kk] - p.c[items] >= p.Lres[kk] - _EPS)
            score = np.where(fits & keeps[:, None] & (rise > _EPS), rise, -np.inf)
            if np.isfinite(score.max()):
                ii, jj = np.unravel_index(int(np.argmax(score)), score.shape)
                st.remove(int(items[ii]))
                st.put(int(jk[jj]))
                continue
        # or one candidate that alone brings platform k to its minimum (the cheapest such), kept while the branch
        # above takes out what no longer fits the budget (small placements on k included: it no longer needs them)
        big = _meets_minimum(ctx, st, ck, k, tried)
        if big is None:
            return False
        tried.add(big)
        protect.append(big)
        st.put(big)
    return False


def _meets_minimum(ctx: _Ctx, st: _State, ck: np.ndarray, k: int, tried: set[int]) -> int | None:
    """The cheapest candidate of ``ck`` (on platform ``k``) that alone takes k to its minimum share, with the other
    platforms' minimums still within the budget; None if there is none not ``tried`` yet."""
    p = ctx.prep
    if not ck.size:
        return None
    cur = st.ch[p.grp[ck]]
    was = np.where((cur >= 0) & (p.plat[np.maximum(cur, 0)] == k), p.c[np.maximum(cur, 0)], 0.0)
    others = float(np.maximum(p.Lres, 0.0).sum() - max(float(p.Lres[k]), 0.0))
    ok = (cur != ck) & (st.spendk[k] + p.c[ck] - was >= p.Lres[k] - _EPS) & (p.c[ck] + others <= p.Bres + _EPS)
    ok &= ~np.isin(ck, list(tried))
    if not ok.any():
        return None
    meets = ck[ok]
    return int(meets[np.lexsort((meets, p.c[meets]))[0]])


def _swap_round(ctx: _Ctx, st: _State, cand: np.ndarray) -> bool:
    """One round of remove-one / add-one moves over all chosen candidates; applies non-conflicting ones."""
    p, o = ctx.prep, ctx.obj
    items = st.items()
    if p.locked_sets.size:
        items = items[~p.locked[p.grp[items]]]  # a locked set is never emptied (it switches by _greedy's moves)
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
