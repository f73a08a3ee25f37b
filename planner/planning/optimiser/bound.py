"""The Lagrangian dual bound (step 1 of the method in the package docstring): for any multipliers of the
budget (``lam``), the platform shares (``theta``), the units budget (``mu``) and the pools' tangents (``eta``,
``zeta``), ``D`` bounds every plan from above. :class:`_Dual` searches the multipliers on a work set;
:func:`_bound` runs it (on a filtered set first for large problems) and evaluates every reported ``D`` exactly
over all free candidates (:func:`_full_eval`), so search accuracy affects tightness only, never validity."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from planner.planning.optimiser.context import _Ctx
from planner.planning.optimiser.prep import _Prep, _Work
from planner.planning.optimiser.problem import _EPS, SolverError

_FILTER_MIN = 3000  # above this many free candidates the bound search first runs on a filtered set


class _NoPlan(Exception):
    """No plan exists in the (sub)problem searched: even its cheapest choice (the locked sets' cheapest candidates,
    nothing else) is above its budget. A proof, raised by the multiplier search."""


class _SearchFailed(Exception):
    """The budget multiplier's bisection found no multiplier on one side of the budget (e.g. after a platform's
    multiplier went far out in a sub-problem whose platform minimum cannot be met). Any multipliers still give a
    valid bound: the search keeps its best one and stops."""


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
        # a platform multiplier keeps the sign its bound allows here (a warm start may come from a problem whose
        # bounds bind otherwise, e.g. before a probe forced a candidate in): D would not be a bound otherwise
        theta = np.where(self.ctx.up_ok, theta, np.minimum(theta, 0.0))
        theta = np.where(self.ctx.lo_ok, theta, np.maximum(theta, 0.0))
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
        """Bisection on lam (theta fixed). Returns (eval with spend > budget or None, eval with spend <= budget).
        Raises :class:`_NoPlan` when nothing fits the budget (a proof), :class:`_SearchFailed` when no multiplier
        was found on one side."""
        B = self.ctx.prep.Bres
        if self.work.least_spend() > B + _EPS:
            raise _NoPlan
        lam = max(lam0, 1e-300)
        e = self.ev(lam, theta, eta0, h=0.3, tol=etol)
        lo = hi = None
        if e.spend > B + _EPS:
            lo = e
            lam = max(lam, 1e-12)
            for _ in range(200):
                lam *= 4.0
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
            raise _SearchFailed
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
        try:
            lo, hi = self.lam_search(theta, lam0, eta0, rtol, etol)
        except _SearchFailed:  # the warm start's platform multipliers: start again without them
            theta = np.zeros_like(theta)
            try:
                lo, hi = self.lam_search(theta, lam0, None, rtol, etol)
            except _SearchFailed:
                raise SolverError("multiplier_search") from None
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
                try:
                    lo, hi = self.lam_search(theta, max(cur.lam, 1e-300) if cur.lam > 0 else lam0, cur.eta, rtol,
                                             etol)
                except _SearchFailed:  # keep the last pair found (self.best holds the least bound met)
                    break
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
        keep_ids = np.union1d(full.ids[s >= -0.6 * price], np.flatnonzero(p.locked[p.grp]))
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
