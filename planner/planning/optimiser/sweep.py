"""Plans of one brief at several budgets (:func:`budget_sweep`, the Scenarios page's budget curve)."""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence

import numpy as np

from planner.planning.optimiser.context import _Deadline
from planner.planning.optimiser.driver import _finish, _Run, _solve_w, _status
from planner.planning.optimiser.prep import _Prep, _prep_of
from planner.planning.optimiser.problem import Infeasible, Problem, ProblemError, Solution, default_gap_target

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
        raise ProblemError("budgets_value")
    w = float(reach_weight)
    if not 0.0 <= w <= 1.0:
        raise ProblemError("reach_weight_value")
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
