"""Certified media-plan optimiser: maximise unique reach and niche value under a budget.

Problem (all in :class:`Problem`): candidates ``j`` with cost ``c_j``, target reach ``r_j`` (people), niche fit
``f_j``, audience pool ``p(j)``, blogger ``b(j)``, platform ``k(j)``. Choose a set ``S`` maximising::

    F(S) = w * U(S) / U* + (1 - w) * V(S) / V*

``U`` = unique reach and ``V`` = niche value, both deduplicated (planner.planning.reach): inside pool ``p`` of ``N_p``
people, ``U_p = N_p (1 - exp(-A_p))``, ``A_p = sum a_j``, ``a_j = -ln(1 - r_j/N_p)``, and ``V_p = N_p (1 -
exp(-B_p))``, ``B_p = sum b_j``, ``b_j = -ln(1 - f_j r_j/N_p)`` (fit-weighted Sainsbury: each person counted once,
never more than the pool). Subject to the budget, at most one candidate per blogger, must-have / excluded
candidates, locked bloggers (at least one of their candidates: the optimiser chooses which, format and deal), an
optional cap on one candidate's cost as a share of the budget and optional lower / upper shares of the budget per
platform.

Method (why every reported ``upper_bound`` is a proof):

1. **Lagrangian bound.** Each pool has two concave terms, ``alpha_p (1 - e^{-A_p})`` and ``beta_p (1 -
   e^{-B_p})``; each lies below its tangents: ``alpha (1 - e^{-A}) <= g*(eta) + eta A`` for any ``eta > 0``
   (``g*`` = the concave conjugate), and the same with ``zeta_p`` for the niche term. Relaxing the budget
   (``lam >= 0``) and the platform shares (``theta_k``, sign-restricted) with multipliers, what is left is a
   linear function over the one-per-blogger sets, maximised exactly by taking in each set the candidate of
   largest positive score ``s_j = eta_p a_j + zeta_p b_j + credit_j - (lam + theta_k) c_j`` (in a locked blogger's
   set the largest score, positive or not: "none" is not a choice there). Hence, for *any*
   multipliers, ``D = const + lam B + sum_k(theta_k^+ H_k - theta_k^- L_k) + sum_p (g*_p(eta_p) + g*_p(zeta_p))
   + sum_sets max(0, max s_j)`` is >= F(S) for every feasible plan ``S``. We search the multipliers (bisection
   on ``lam`` and ``theta``, and for each of them a vectorised bisection on every ``eta_p`` and ``zeta_p``);
   every ``D`` that is reported is evaluated exactly over *all* candidates allowed, so search accuracy affects
   tightness only, never validity. Measured overlaps can only add value relative to the model by ``delta+ =
   max(0, model - measured)`` duplication per pair (for reach with ``r``, for niche value with ``f r``; see
   planner.planning.reach); the bound credits ``delta+/2`` to each member of the pair (``x_i x_k <= (x_i + x_k)/2``).
   A measured pair can take a small pool above its size; the objective caps each pool at its size (as
   planner.planning.reach does), which only lowers it, so the bound stays valid.
2. **Primal plan.** Candidates chosen by the Lagrangian on the feasible side of the budget, repaired for platform
   shares (a locked blogger keeps a candidate, switching to a cheaper one of theirs when the budget needs it),
   filled greedily by marginal gain per cost (vectorised), the best plan rebuilt around each of the most valuable
   dear candidates (a swap cannot reach a plan in which one placement takes much of the budget), then improved by
   swaps (remove one, add one; all pools at once). The plan's value and the swaps' acceptance are exact, measured
   pairs and pool caps included (:class:`_Kappa`: the overlap part of the objective, one term per later member of a
   measured pair); so are the greedy gains, but for pool caps (a step into a capped pool is checked exactly).
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
   ``kappa_t <= rho_j sum max(0, qmod - qmeas) x_m`` and cuts exact at each plan met (and per pool a measured pair
   could take above its size, a capped variable); every cut holds for every plan, so the MILP's dual bound
   over-estimates every plan consistent with the fixings, and the certified bound is ``min(D, max(T, MILP bound,
   dropped sides' bounds))``. The loop goes on while time is left, until the model is exact at its own solution
   (it then converges to the exact optimum, measured pairs included) or the gap is closed. When the core is large,
   a small MILP over the most promising candidates (kernel search) first improves the incumbent, which raises ``T``
   and shrinks the core. A region of at most ``_ENUM_MAX`` plans (a brief of a handful of bloggers, or a small
   core) is enumerated instead: every plan evaluated at once, the best exact.

**Locks** (``Problem.must_bloggers``): every plan books one of the blogger's candidates. In the bound a locked set
takes its best score even when negative; the heuristics keep a candidate in it; the MILP has the row ``sum x = 1``;
reduced-cost fixing and dual branching see "none" is no choice there. A locked blogger left with one candidate that
fits is a must-have; with none, the brief is infeasible and says why (the reason of their cheapest candidate).

**A product budget** (mixed paid and barter plans): with ``Problem.units`` and ``units_budget``, plans also keep
``sum units_j <= units_budget``. It is one more relaxed row (multiplier ``mu >= 0``, ``- mu u_j`` in each score,
``+ mu U`` in ``D``), so every bound stays valid; the heuristics keep both budgets; the MILP has the row too. A
candidate may then cost no cash (a barter placement: product only).

**One deadline.** ``time_limit`` is one absolute deadline for the whole solve (normalisers, bound search,
heuristics, kernel search, MILP; HiGHS gets the time left) and for a whole :func:`frontier`. A solve it stops
returns its best plan with a valid bound and status "time_limit". "Infeasible" is said only when proven (by the
checks before the search, the enumeration, the MILP or the dual branching); a solve whose heuristics found no plan
before the deadline raises :class:`NoPlanInTime` (a subclass of :class:`Infeasible`, ``proven`` False). A blend's
normalisers are only its scales, so under the deadline the blend comes first: the pure runs' bound and heuristics,
the blend with them, then the pure runs closed with the time left (and the blend solved again only if that changed
them), so more time buys the plan the user sees a smaller gap.

Normalisers ``U*`` and ``V*`` are the values of plans found for reach alone and for niche value alone (each
certified within the gap target of its optimum, see :func:`normalisers`; ``normalisers_certified`` is true only when
both runs ended within it), computed once per problem and cached on it; their own certified bounds (the most unique
reach / niche value any plan under the brief could have, in people) are on every :class:`Solution`
(``unique_reach_bound``, ``niche_value_bound`` and ``info``).

Layout: this ``__init__`` is the public API (every name callers use is re-exported here; setting one, e.g. in a
test's monkeypatch, reaches the part that uses it). The parts, each importing only parts listed before it:

- ``problem``: :class:`Problem`, :class:`Solution`, the gap targets (:func:`default_gap_target`) and the errors by
  code, each with a table of English templates for pages to translate: :class:`Infeasible` (:data:`INFEASIBLE`),
  :class:`NoPlanInTime` (:data:`NO_PLAN`),
  :class:`ProblemError` (:data:`PROBLEM_ERRORS`, malformed data, a ValueError), :class:`SolverError`
  (:data:`SOLVER_ERRORS`, an internal failure, a RuntimeError);
- ``prep``: preparation, cached per problem: checked arrays, the must-haves' fixed part, the free candidates and
  their one-per-blogger layout, measured pairs and the exact overlap part of the objective (``_Prep``, ``_Work``,
  ``_Kappa``);
- ``context``: the objective at one reach weight, the one deadline, a solve's context;
- ``bound``: the Lagrangian bound and its multiplier search (step 1);
- ``primal``: plan states, repair, greedy fill and swaps (step 2);
- ``milp``: the growing MILP (highspy, scipy.optimize.milp as the fallback), the model of a region's plans under
  its cuts and the Kelley loop, and the enumeration of a small region (step 3);
- ``closing``: dual branching on dear candidates, reduced-cost fixing, kernel search, the MILP on the core (step 3);
- ``tree``: the branch and bound over dear candidates (``_Tree``) and a plan and bound it improves (``_Point``),
  shared by a single solve (before its closing), the sweep and the frontier;
- ``driver``: one reach weight's solve (the whole brief enumerated when small), the normalisers, :func:`solve`
  (a blend before its normalisers' closing) and :func:`evaluate`;
- ``sweep``: :func:`budget_sweep`, one brief's plans at several budgets;
- ``tradeoff``: :func:`frontier_iter`, one brief's plans at several reach weights, each given as soon as it is
  solved, from a start plan (the plan on screen), and :func:`frontier`, the list of them.
"""

from __future__ import annotations

import sys
import types

from planner.planning.optimiser import (
    bound,
    closing,
    context,
    driver,
    milp,
    prep,
    primal,
    problem,
    sweep,
    tradeoff,
    tree,
)
from planner.planning.optimiser.bound import _FILTER_MIN as _FILTER_MIN
from planner.planning.optimiser.closing import _GIANT as _GIANT
from planner.planning.optimiser.closing import _KERNEL as _KERNEL
from planner.planning.optimiser.driver import carried, evaluate, normalisers, restricts, solve
from planner.planning.optimiser.milp import _DISP as _DISP
from planner.planning.optimiser.milp import _ENUM_MAX as _ENUM_MAX
from planner.planning.optimiser.milp import _HEUR as _HEUR
from planner.planning.optimiser.milp import _highspy as _highspy
from planner.planning.optimiser.milp import _Mip as _Mip
from planner.planning.optimiser.problem import _EPS as _EPS
from planner.planning.optimiser.problem import (
    GAP_LARGE,
    GAP_OPTIMAL,
    INFEASIBLE,
    NO_PLAN,
    PROBLEM_ERRORS,
    SMALL_N,
    SOLVER_ERRORS,
    Infeasible,
    NoPlanInTime,
    Problem,
    ProblemError,
    Solution,
    SolverError,
    default_gap_target,
)
from planner.planning.optimiser.sweep import budget_sweep
from planner.planning.optimiser.tradeoff import frontier, frontier_iter

__all__ = [
    "GAP_LARGE",
    "GAP_OPTIMAL",
    "INFEASIBLE",
    "NO_PLAN",
    "PROBLEM_ERRORS",
    "SMALL_N",
    "SOLVER_ERRORS",
    "Infeasible",
    "NoPlanInTime",
    "Problem",
    "ProblemError",
    "Solution",
    "SolverError",
    "budget_sweep",
    "carried",
    "default_gap_target",
    "evaluate",
    "frontier",
    "frontier_iter",
    "normalisers",
    "restricts",
    "solve",
]

_PARTS = (problem, prep, context, bound, primal, milp, closing, tree, driver, sweep, tradeoff)
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
