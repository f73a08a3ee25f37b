"""What every step of one solve shares: the objective at one reach weight (:class:`_Obj`), the one deadline
(:class:`_Deadline`) and the solve's context (:class:`_Ctx`: which platform shares bind, the Lagrangian's
constant part)."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from planner.planning.optimiser.prep import _Prep
from planner.planning.optimiser.problem import _EPS


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


_LAST = 0.02  # seconds: less than this left is too little to start a MILP


class _Deadline:
    """One absolute deadline shared by every step of a solve (normalisers, bound, heuristics, MILP). ``stop``: the
    caller's "no longer wanted" (e.g. a background warm-up a newer plan replaced); once it answers True the deadline
    has passed for every step that asks it (a MILP already started runs to its own limit). Sub-deadlines share it."""

    def __init__(self, seconds: float, parent: _Deadline | None = None, stop: Callable[[], bool] | None = None):
        end: float = time.perf_counter() + max(float(seconds), 0.0)
        self.end: float = min(end, parent.end) if parent is not None else end
        self.limit: float = parent.limit if parent is not None else float(seconds)  # the caller's time limit
        self.stop: Callable[[], bool] | None = stop if stop is not None else (
            parent.stop if parent is not None else None)

    def left(self) -> float:
        if self.stop is not None and self.stop():
            return 0.0
        return self.end - time.perf_counter()

    def expired(self) -> bool:
        return self.left() <= 0.0

    def nearly_over(self) -> bool:
        """Too little time left to start a MILP (:data:`_LAST`): a step that stops for it stops for the deadline."""
        return self.left() <= _LAST

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

