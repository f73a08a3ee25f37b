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

Layout: this ``__init__`` is the public API (every name callers use is re-exported here; setting one, e.g. in a
test's monkeypatch, reaches the part that uses it). The parts, each importing only parts listed before it:

- ``problem``: :class:`Problem`, :class:`Solution`, the gap targets (:func:`default_gap_target`) and the errors by
  code, each with a table of English templates for pages to translate: :class:`Infeasible` (:data:`INFEASIBLE`),
  :class:`ProblemError` (:data:`PROBLEM_ERRORS`, malformed data, a ValueError), :class:`SolverError`
  (:data:`SOLVER_ERRORS`, an internal failure, a RuntimeError);
- ``prep``: preparation, cached per problem: checked arrays, the must-haves' fixed part, the free candidates and
  their one-per-blogger layout, measured pairs and the exact overlap part of the objective (``_Prep``, ``_Work``,
  ``_Kappa``);
- ``context``: the objective at one reach weight, the one deadline, a solve's context;
- ``bound``: the Lagrangian bound and its multiplier search (step 1);
- ``primal``: plan states, repair, greedy fill and swaps (step 2);
- ``milp``: the growing MILP (highspy, scipy.optimize.milp as the fallback), the model of a region's plans under
  its cuts and the Kelley loop (step 3);
- ``closing``: dual branching on dear candidates, reduced-cost fixing, kernel search, the MILP on the core (step 3);
- ``driver``: one reach weight's solve, the normalisers, :func:`solve`, :func:`frontier` and :func:`evaluate`;
- ``sweep``: :func:`budget_sweep`, one brief's plans at several budgets.
"""

from __future__ import annotations

import sys
import types

from planner.planning.optimiser import bound, closing, context, driver, milp, prep, primal, problem, sweep
from planner.planning.optimiser.bound import _FILTER_MIN as _FILTER_MIN
from planner.planning.optimiser.closing import _GIANT as _GIANT
from planner.planning.optimiser.closing import _KERNEL as _KERNEL
from planner.planning.optimiser.driver import evaluate, frontier, normalisers, solve
from planner.planning.optimiser.milp import _DISP as _DISP
from planner.planning.optimiser.milp import _HEUR as _HEUR
from planner.planning.optimiser.milp import _highspy as _highspy
from planner.planning.optimiser.milp import _Mip as _Mip
from planner.planning.optimiser.problem import _EPS as _EPS
from planner.planning.optimiser.problem import (
    GAP_LARGE,
    GAP_OPTIMAL,
    INFEASIBLE,
    PROBLEM_ERRORS,
    SMALL_N,
    SOLVER_ERRORS,
    Infeasible,
    Problem,
    ProblemError,
    Solution,
    SolverError,
    default_gap_target,
)
from planner.planning.optimiser.sweep import budget_sweep

__all__ = [
    "GAP_LARGE",
    "GAP_OPTIMAL",
    "INFEASIBLE",
    "PROBLEM_ERRORS",
    "SMALL_N",
    "SOLVER_ERRORS",
    "Infeasible",
    "Problem",
    "ProblemError",
    "Solution",
    "SolverError",
    "budget_sweep",
    "default_gap_target",
    "evaluate",
    "frontier",
    "normalisers",
    "solve",
]

_PARTS = (problem, prep, context, bound, primal, milp, closing, driver, sweep)
_UNSET = object()


class _Package(types.ModuleType):
    """This package, whose re-exported names can be set as when the optimiser was one module: setting one
    (``monkeypatch.setattr(optimiser, "_highspy", None)`` in a test, ``optimiser._DISP = True`` to debug) also
    sets it in every part that holds the same object, so the solver's own code sees the new value."""

    def __setattr__(self, name: str, value: object) -> None:
        old = self.__dict__.get(name, _UNSET)
        if old is not _UNSET and not any(old is part for part in _PARTS):  # a part itself is never forwarded
            for part in _PARTS:
                if part.__dict__.get(name, _UNSET) is old:
                    setattr(part, name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
