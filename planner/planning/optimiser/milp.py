"""The MILP of step 3 (package docstring): one growing model (:class:`_Mip`, HiGHS through highspy, or
scipy.optimize.milp where highspy is missing), the model of the plans consistent with some fixings
(:class:`_RegionModel`: epigraph variables under tangent, submodular and measured-overlap cuts) and the Kelley
loop that solves it, cuts at each solution and solves again (:func:`_region_milp`)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from planner.planning.optimiser.context import _Ctx, _Deadline
from planner.planning.optimiser.primal import _State, _xof
from planner.planning.optimiser.problem import _EPS

_DISP = False  # HiGHS log (debugging)
_HEUR = 0.05  # HiGHS mip_heuristic_effort
_ENUM_MAX = 1 << 15  # a region with at most this many plans is searched by enumeration, exactly, not by the MILP
_ENUM_CELLS = 20_000_000  # ... when its plans' data (plans x columns evaluated) stay below this many numbers


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
        from scipy import sparse  # the fallback's imports (0.4 s) only when it runs
        from scipy.optimize import Bounds, LinearConstraint, milp

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


def _region_enum(ctx: _Ctx, fixed: np.ndarray, core: np.ndarray, X_fix: np.ndarray, spendk_fix: np.ndarray,
                 cost_fix: float, units_fix: float) -> tuple[float, np.ndarray | None] | None:
    """The best plan of a small region exactly, by enumerating its plans (at most one core candidate per set, one in
    each locked set that nothing fixed books) and evaluating them all at once, measured pairs and pool caps
    included. Returns (the best objective, its free items) or (-inf, None) when no plan of the region meets the
    brief; None when the region has more than :data:`_ENUM_MAX` plans (the MILP searches it then)."""
    p, o = ctx.prep, ctx.obj
    booked = np.zeros(p.G, dtype=bool)
    booked[p.grp[fixed]] = True
    core = core[~booked[p.grp[core]]]  # a set with a candidate fixed in takes no other
    sets, inv = np.unique(p.grp[core], return_inverse=True)
    inv = inv.reshape(-1)
    open_locks = p.locked_sets[~booked[p.locked_sets]]
    if not np.all(np.isin(open_locks, sets)):
        return -math.inf, None
    must = np.isin(sets, open_locks)  # these sets take one of their candidates, the others may take none
    sizes = np.bincount(inv, minlength=sets.size)
    opts = sizes + ~must
    count = 1
    for v in opts.tolist():
        count *= int(v)
        if count > _ENUM_MAX:
            return None
    kp = p.kappa
    cols = np.zeros(0, dtype=np.int64)
    if kp is not None and kp.terms:
        cols = np.unique(np.concatenate([np.r_[j, E] for _, j, _, E, *_ in kp.terms]))
    if count * (cols.size + 2 * p.P + core.size) > _ENUM_CELLS:
        return None
    # plan t takes, in set s, digit (t // stride_s) % opts_s: a candidate (or, in a set that may, none: digit 0)
    stride = np.cumprod(np.r_[1, opts[:-1]])
    digit = (np.arange(count)[:, None] // stride[None, :]) % opts[None, :]
    rank = np.empty(core.size, dtype=np.int64)
    order = np.argsort(inv, kind="stable")
    rank[order] = np.arange(core.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    masks = digit[:, inv] == (rank + ~must[inv])[None, :]
    cc, uc = p.c[core], p.u[core]
    ok = masks @ cc <= p.Bres - cost_fix + _EPS
    if ctx.units_on:
        ok &= masks @ uc <= p.Ures - units_fix + _EPS
    for k in ctx.constrained.tolist():
        spend = masks @ np.where(p.plat[core] == k, cc, 0.0) + spendk_fix[k]
        ok &= (spend <= p.Hres[k] + _EPS) & (spend >= p.Lres[k] - _EPS)
    if not ok.any():
        return -math.inf, None
    masks = masks[ok]
    onehot = np.zeros((core.size, 2 * p.P))
    onehot[np.arange(core.size), p.pool[core]] = p.a[core]
    onehot[np.arange(core.size), p.P + p.pool[core]] = p.b[core]
    model = o.coef * -np.expm1(-(X_fix + masks @ onehot))
    val = model.sum(axis=1)
    if cols.size:
        assert kp is not None
        loc = np.full(p.n, -1, dtype=np.int64)
        loc[cols] = np.arange(cols.size)
        ins = np.zeros((masks.shape[0], cols.size), dtype=bool)
        constx = np.zeros(p.n, dtype=bool)
        constx[p.must_in] = True
        constx[p.free[fixed]] = True
        ins[:, constx[cols]] = True
        at = loc[p.free[core]]
        ins[:, at[at >= 0]] = masks[:, at >= 0]
        kv = np.empty((masks.shape[0], len(kp.terms)))
        for t, (tau, j, rho, E, qmeas, qmod, _) in enumerate(kp.terms):
            inE = ins[:, loc[E]]
            pm = np.where(inE, 1.0 - qmeas, 1.0).prod(axis=1)
            pd = np.where(inE, 1.0 - qmod, 1.0).prod(axis=1)
            kv[:, t] = (o.ku if tau == 0 else o.kn) * rho * (pm - pd) * ins[:, loc[j]]
        val = val + kv.sum(axis=1)
        for tau, q, ts in kp.capped:
            kt = o.ku if tau == 0 else o.kn
            val = val - np.maximum(model[:, tau * p.P + q] + kv[:, ts].sum(axis=1) - kt * p.N[q], 0.0)
    best = int(np.argmax(val))
    return float(val[best]), np.concatenate([fixed, core[masks[best]]])


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
        # pools that measured overlaps may take above their size: one capped variable each (see _Kappa.excess)
        self.caps = [] if kp is None else [(tau, q, ts) for tau, q, ts in kp.capped if (o.ku if tau == 0 else o.kn) > 0]
        ncap = len(self.caps)
        self.nvar = nvar = nc + 2 * nt + nk + ncap + 1
        self.ycol = {q: nc + t for t, q in enumerate(self.term_list)}
        self.acol = {q: nc + nt + t for t, q in enumerate(self.term_list)}
        self.zoff = zoff = nc + 2 * nt
        self.coff = coff = zoff + nk
        rest = np.setdiff1d(np.arange(2 * P), terms)
        const_rest = o.coef * -np.expm1(-X_fix)  # the terms no core candidate moves
        cobj = np.zeros(nvar)
        cobj[nc: nc + nt] = -1.0
        lb = np.zeros(nvar)
        ub = np.ones(nvar)
        if kp is not None:
            for t, (tau, _j, rho, *_) in enumerate(kp.terms):
                cobj[zoff + t] = -(o.ku if tau == 0 else o.kn)
                lb[zoff + t], ub[zoff + t] = -rho, rho
        cap_rows = []
        capped_const = np.zeros(2 * P, dtype=bool)
        for i, (tau, q, ts) in enumerate(self.caps):  # cap_q <= y_q + k sum z_t, cap_q <= k N_q
            assert kp is not None
            k = o.ku if tau == 0 else o.kn
            qq = tau * P + q
            cobj[coff + i] = -1.0
            cobj[zoff + ts] = 0.0
            lb[coff + i], ub[coff + i] = -k * float(sum(kp.terms[t][2] for t in ts.tolist())), k * float(p.N[q])
            if qq in self.ycol:
                cobj[self.ycol[qq]] = 0.0
                cap_rows.append((np.r_[coff + i, self.ycol[qq], zoff + ts], np.r_[1.0, -1.0, -k * np.ones(ts.size)],
                                 0.0))
            else:
                capped_const[qq] = True
                cap_rows.append((np.r_[coff + i, zoff + ts], np.r_[1.0, -k * np.ones(ts.size)], float(const_rest[qq])))
        rest = rest[~capped_const[rest]]
        cobj[-1] = -float(np.sum(const_rest[rest]))
        ub[nc: nc + nt] = o.coef[terms]
        lb[nc + nt: nc + 2 * nt] = X_fix[terms]
        ub[nc + nt: nc + 2 * nt] = self.xmax[terms]
        lb[-1] = ub[-1] = 1.0
        integrality = np.zeros(nvar)
        integrality[:nc] = 1
        self.mip = _Mip(cobj, integrality, lb, ub)
        self._constraints(spendk_fix, cost_fix, units_fix)
        for cols, vals, hi in cap_rows:
            self.mip.add_row(cols, vals, -np.inf, hi)
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
        booked = np.zeros(p.G, dtype=bool)  # sets with a candidate fixed in: no core candidate of theirs
        booked[p.grp[self.fixed]] = True
        need = np.zeros(p.G, dtype=bool)  # locked sets still to book one of their core candidates
        need[p.locked_sets] = True
        need &= ~booked
        in_core = np.zeros(p.G, dtype=bool)
        in_core[g] = True
        if np.any(need & ~in_core):
            raise _Empty
        og = np.argsort(g, kind="stable")
        gs = g[og]
        starts = np.flatnonzero(np.r_[True, gs[1:] != gs[:-1]])
        ends = np.r_[starts[1:], gs.size]
        for s0, s1 in zip(starts.tolist(), ends.tolist(), strict=True):
            gg = int(gs[s0])
            if booked[gg]:
                mip.add_row(og[s0:s1], np.ones(s1 - s0), -np.inf, 0.0)
            elif need[gg]:
                mip.add_row(og[s0:s1], np.ones(s1 - s0), 1.0, 1.0)
            elif s1 - s0 > 1:
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
            for t, (_tau, j, rho, E, qmeas, qmod, _) in enumerate(kp.terms):
                if self.colmap[j] >= 0:
                    self.mip.add_row([self.zoff + t, self.colmap[j]], [1.0, -rho], -np.inf, 0.0)
                else:
                    self.mip.set_upper(self.zoff + t, min(float(self.mip.ub[self.zoff + t]), rho * self.constx[j]))
                # a product of factors in [0, 1] moves by at most the sum of their changes: kappa_t <= rho_j sum over
                # the plan's E of max(0, qmod - qmeas) (the pairs the measurement says duplicate less)
                d = rho * np.maximum(qmod - qmeas, 0.0)
                cols = self.colmap[E]
                var = (cols >= 0) & (d > 0)
                rhs = float(np.dot(d[cols < 0], self.constx[E[cols < 0]]))
                self.mip.add_row(np.r_[self.zoff + t, cols[var]], np.r_[1.0, -d[var]], -np.inf, rhs)
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
            o, P = self.ctx.obj, self.ctx.prep.P
            model = o.coef * -np.expm1(-X_s)
            for i, (tau, q, ts) in enumerate(self.caps):
                k = o.ku if tau == 0 else o.kn
                xs[self.coff + i] = min(model[tau * P + q] + k * float(xs[self.zoff + ts].sum()),
                                        k * self.ctx.prep.N[q])
        xs[-1] = 1.0
        return xs


def _region_milp(ctx: _Ctx, status: np.ndarray, T: float, best_items: np.ndarray, F_best: float, gap: float,
                 dl: _Deadline, centres: list[np.ndarray], plans: list[np.ndarray], true_F,
                 kelley: int | None = None):
    """Bound the plans consistent with ``status`` (per free candidate: 0 out, 1 in, 2 free) by the MILP of
    :class:`_RegionModel`, adding cuts at each solution and solving the same model again (Kelley's method, until
    the model is exact at its own solution, the gap is closed or the deadline comes; at most ``kelley`` rounds
    when given), and keep the best plan met. ``info["milp_converged"]`` says whether the loop ended with the
    model's bound proven (not cut short by the deadline or the round limit).
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
        if np.all(spendk_fix >= p.Lres - _EPS) and bool(np.all(np.isin(p.locked_sets, p.grp[fixed]))):
            Fx = true_F(fixed)
            if Fx > F_best:
                best_items, F_best = fixed, Fx
            return Fx, best_items, F_best, info
        return -math.inf, best_items, F_best, info
    enum = _region_enum(ctx, fixed, core, X_fix, spendk_fix, cost_fix, units_fix)
    if enum is not None:  # a small region: every plan evaluated, the best is exact
        F_enum, items = enum
        info["enumerated"] = True
        info["milp_converged"] = True
        if items is None:
            return -math.inf, best_items, F_best, info
        Fx = true_F(items)
        if Fx > F_best:
            best_items, F_best = items, Fx
        top = max(F_enum, Fx)
        return top + 1e-12 * abs(top), best_items, F_best, info
    try:
        model = _RegionModel(ctx, status, fixed, core, X_fix, spendk_fix, cost_fix, units_fix)
    except _Empty:
        return -math.inf, best_items, F_best, info
    model.seed_cuts(centres, plans)
    UB_core: float | None = None
    Fscale = max(abs(F_best), 1e-12) if F_best > -math.inf else 1.0
    x0 = model.start_vector(np.asarray(best_items, dtype=np.int64)) if F_best > -math.inf else None
    info["milp_converged"] = False
    it = 0
    while kelley is None or it < kelley:
        remaining = dl.left()
        if dl.nearly_over():
            info["milp"] = "time"
            break
        mst, x, dual = model.mip.solve(x0, remaining, max(gap, 1e-9), -T if T > -math.inf else None)
        info["milp_status"] = mst
        info["milp_solves"] = it + 1
        it += 1
        if mst == "infeasible":  # no plan consistent with the fixings beats T
            UB_core = -math.inf
            info["milp_converged"] = True
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
            info["milp_converged"] = True
            break
        if not model.separate(x, pick, Fscale):
            info["milp_converged"] = True
            break
        x0 = model.start_vector(np.asarray(best_items, dtype=np.int64))
    info["milp_cuts"] = model.mip.rows - model.base_rows
    info["milp_core"] = int(core.size)
    return UB_core, best_items, F_best, info
