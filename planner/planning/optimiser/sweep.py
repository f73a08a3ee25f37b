"""Plans of one brief at several budgets (:func:`budget_sweep`, the Scenarios page's budget curve).

Why the curve needs more than one quick solve per budget: on a list where a few bloggers cost a large share of the
budget and reach most of their pool (the shipped sample), the Lagrangian bound (= the continuous relaxation) takes
a fraction of them and sits 2-15 % above the best plan, and a plan that can be certified within 1 % is built around
the right ones. The sweep runs, per budget, a small branch and bound over those candidates
(planner.planning.optimiser.tree: both sides of each, every node bounded by the Lagrangian of its plans, its relaxed
choice repaired and filled into a plan; a single solve runs the same tree before its closing), gives each step to
the budget whose certified gap is largest, and shares between budgets what is a proof: without platform minimum
shares (the only part of a brief that tightens as the budget grows) a plan at a budget is a plan at every larger
one, so plans move up the curve and bounds down it."""

from __future__ import annotations

import copy
import dataclasses
import math
import time
from collections.abc import Callable, Sequence

import numpy as np

from planner.planning.optimiser.context import _Ctx, _Deadline, _Obj
from planner.planning.optimiser.driver import _finish, _run, _solve_w, _true_F
from planner.planning.optimiser.milp import _region_enum
from planner.planning.optimiser.prep import _Prep, _prep_of
from planner.planning.optimiser.problem import Infeasible, Problem, ProblemError, Solution, default_gap_target
from planner.planning.optimiser.tree import _items_at, _Memo, _Point, _Tree

_CLOSE_MIN_S = 0.5  # budget_sweep's last pass: the least time a point's closing gets
_QUICK_MIN_S = 0.1  # budget_sweep's first pass: the least time a budget gets (its plan is filled, never left empty)


def _signature(prep: _Prep) -> tuple:
    """What must be the same at two budgets (besides the absence of platform minimum shares, :func:`_monotone`) for
    a node's bound to move from one to the other: the must-haves and the locked bloggers still open (a locked
    blogger with one candidate left is a must-have at small budgets). Then the candidates free at a budget are free
    at every larger one, and for fixed multipliers per unit of money only the budget's term of the Lagrangian moves
    (a platform's maximum share only lowers it further as the budget falls)."""
    locked = np.unique(prep.gid_all[prep.free[prep.lock_cands]]) if prep.lock_cands.size else np.zeros(0)
    return (tuple(prep.must_in.tolist()), tuple(locked.tolist()))


def _monotone(problem: Problem) -> bool:
    """Whether every plan at a budget is a plan at every larger budget: no platform has a minimum share (the cap
    per placement and the platforms' maximum shares only widen as the budget grows; the rest does not move)."""
    for lo, _hi in (problem.platform_bounds or {}).values():
        if lo is not None and lo > 0:
            return False
    return True


def budget_sweep(problem: Problem, budgets: Sequence[float] | np.ndarray, reach_weight: float, *,
                 normalisers: tuple[float, float], gap_target: float | None = None,
                 time_limit: float = 10.0, progress=None,
                 stop: Callable[[], bool] | None = None) -> list[Solution | None]:
    """Plans of one brief at several budgets (``problem`` with ``budget`` replaced), in the order of ``budgets``.

    Every point optimises the same blend ``w U/U* + (1-w) V/V*`` with the caller's ``normalisers`` (any positive
    pair keeps each point's certificate valid; one pair for all budgets keeps the reach/niche exchange rate the
    same along the curve). Three passes under one deadline (``time_limit``):

    1. every budget, in increasing order, gets its Lagrangian bound (from its smaller neighbour's multipliers,
       scaled by the budget ratio) and a plan: the better of its smaller neighbour's plan and its relaxed choice,
       each repaired and filled greedily; a budget gets at least 0.1 s even past the deadline, so its plan is never
       left unfilled (the curve's shape never comes from the clock);
    2. the gaps are closed where they are largest: step by step, the budget whose certified gap is largest gets one
       node of its branch and bound over its dear candidates (:class:`_Tree`; the node's relaxed choice, repaired
       and filled, is offered as a plan), until every point is within ``gap_target`` (default: 0.01 % up to 2,000
       candidates, 0.5 % above) or the time is up. Without platform minimum shares, a plan at a budget is a plan
       at every larger one: each better plan is offered to the larger budgets (filled there), and each point's
       bound is the least of its own, its larger budgets' and their trees' moved down to it (for fixed multipliers
       a node's Lagrangian moves with the budget by ``lam x budget`` only: one set of node bounds bounds the curve
       below it, and a node a larger budget bounded below the threshold is dropped unevaluated);
    3. a budget still above target whose tree cannot split further (or with measured overlaps, where the tree is
       not used) is closed as a single solve closes it (reduced-cost fixing, MILP), in the time left.

    Starts only speed the search up: each plan and bound is as valid as a fresh :func:`solve` at that budget, and
    its status says exactly what was reached ("time_limit" when the deadline came first). A budget no plan fits
    (e.g. below the must-haves' cost) gets None. ``progress(done, total)`` is called after each budget of the
    first pass (what it raises stops the sweep). ``stop``: once it answers True the time is up for every step that
    has not started (the sweep returns soon, its plans uncertified: a caller that stops one drops its answer).
    """
    dl = _Deadline(time_limit, stop=stop)
    bs = np.asarray(budgets, dtype=float).ravel()
    if bs.size == 0:
        return []
    if np.any(~np.isfinite(bs)) or np.any(bs <= 0):
        raise ProblemError("budgets_value")
    w = float(reach_weight)
    if not 0.0 <= w <= 1.0:
        raise ProblemError("reach_weight_value")
    Us, Vs = (float(normalisers[0]) or 1.0), (float(normalisers[1]) or 1.0)
    order = np.argsort(bs, kind="stable").tolist()
    pts = _first_pass(problem, bs, order, w, Us, Vs, gap_target, dl, progress)
    order = [i for i in order if i in pts]
    mono = _monotone(problem)
    if mono:
        memo = _Memo()
        for pt in pts.values():
            if pt.tree is not None:
                pt.tree.memo = memo
                pt.tree.sig = _signature(pt.prep)
                if pt.tree.root is not None:
                    memo.put(_Memo.key(pt.tree.sig, pt.prep, (), ()), pt.b, pt.tree.root.D, pt.tree.root.lam)
    _branch(pts, order, mono, dl)
    _close_rest(pts, order, mono, w, Us, Vs, dl)
    ub = _envelope(pts, order, mono)
    out: list[Solution | None] = []
    for i in range(bs.size):
        if i not in pts:
            out.append(None)
            continue
        pt = pts[i]
        info = dict(pt.info)
        if pt.tree is not None:
            info["sweep_nodes"] = pt.tree.nodes
            info["sweep_nodes_skipped"] = pt.tree.skipped
        if ub[i] < pt.UB:
            info["sweep_bound_from_larger_budget"] = True
        s = _run(pt.prep, pt.items, pt.F, ub[i], w, Us, Vs, pt.target, dl, pt.duals, info, time.perf_counter()).sol
        if s.gap > pt.target:  # "gap_above_target" only when the last pass's MILP stopped on its own
            s.status = "gap_above_target" if pt.closed == "gap_above_target" else "time_limit"
        out.append(_finish(s, pt.pb, None, time.perf_counter() - pt.seconds))
    return out


def _first_pass(problem: Problem, bs: np.ndarray, order: list[int], w: float, Us: float, Vs: float,
                gap_target: float | None, dl: _Deadline, progress) -> dict[int, _Point]:
    """Every budget's bound and plan, in increasing order (pass 1 of :func:`budget_sweep`)."""
    pts: dict[int, _Point] = {}
    prev: _Point | None = None
    for left, i in enumerate(order):
        b = float(bs[i])
        pb = copy.copy(problem)
        pb.budget = b
        pb._cache = {}
        t0 = time.perf_counter()
        try:
            prep = _prep_of(pb)
            pt = _first_point(pb, prep, b, w, Us, Vs, gap_target, dl, prev)
        except Infeasible:
            pass
        else:
            pt.seconds += time.perf_counter() - t0
            pts[i] = prev = pt
        if progress is not None:
            progress(left + 1, int(bs.size))
    return pts


def _first_point(pb: Problem, prep: _Prep, b: float, w: float, Us: float, Vs: float, gap_target: float | None,
                 dl: _Deadline, prev: _Point | None) -> _Point:
    """One budget's bound and plan (pass 1). Raises Infeasible when no plan meets the brief there (proven), or
    NoPlanInTime."""
    target = gap_target if gap_target is not None else default_gap_target(prep.n)
    # the first pass fills every budget, even past the deadline (at least _QUICK_MIN_S each)
    ctx = _Ctx(prep, _Obj(prep, w, Us, Vs), _Deadline(max(dl.left(), _QUICK_MIN_S)))
    true_F = _true_F(prep, w, Us, Vs)
    enum = _region_enum(ctx, np.zeros(0, dtype=np.int64), np.arange(prep.nf), prep.X0, np.zeros(prep.K), 0.0, 0.0)
    e = prev.duals if prev is not None else None
    if prev is None or e is None or enum is not None or (prep.has_pairs and prep.nf) or e.theta.size != prep.K \
            or e.eta.size != 2 * prep.P:
        return _single(pb, prep, b, w, Us, Vs, target, dl, prev)
    r = b / prev.b  # multipliers are per share of the budget
    start = dataclasses.replace(e, D=math.inf, lam=max(e.lam * r, 1e-300), theta=e.theta * r, mu=e.mu)
    tree = _Tree(ctx, math.inf, start)
    pt = _Point(b, pb, prep, target, ctx, true_F, np.zeros(0, dtype=np.int64), -math.inf, math.inf,
                np.arange(prep.nf), tree)
    plan = tree.step(-math.inf)
    if tree.root is None:  # no multiplier found from the neighbour's, or no plan at all: the single solve decides
        return _single(pb, prep, b, w, Us, Vs, target, dl, prev)
    pt.UB = tree.bound()
    pt.duals = tree.root.hi
    pt.cand = tree.root.work.ids
    pt.info["work"] = int(pt.cand.size)
    pt.offer(_items_at(prev, prep))
    if plan is not None:
        pt.offer(plan)
    if pt.F == -math.inf:  # neither start could be repaired: the single solve's heuristics
        return _single(pb, prep, b, w, Us, Vs, target, dl, prev)
    ctx.dl = dl
    return pt


def _single(pb: Problem, prep: _Prep, b: float, w: float, Us: float, Vs: float, target: float, dl: _Deadline,
            prev: _Point | None) -> _Point:
    """One budget's bound and plan as a single solve's first steps make them (a brief with few plans is searched
    whole, exactly), from the smaller neighbour's plan and multipliers; its tree starts from that bound."""
    warm: dict = {}
    if prev is not None:
        warm["plans"] = [_items_at(prev, prep)]
        e = prev.duals
        if e is not None and e.theta.size == prep.K and e.eta.size == 2 * prep.P:
            r = b / prev.b
            warm.update(theta=e.theta * r, eta=e.eta, mu=e.mu)
            if e.lam * r >= 1e-12:  # else bound._bound guesses it (a start near 0 has nothing to step from)
                warm["lam"] = e.lam * r
    run = _solve_w(pb, prep, w, Us, Vs, 1.0, _Deadline(max(dl.left(), _QUICK_MIN_S)), warm or None)
    ctx = _Ctx(prep, _Obj(prep, w, Us, Vs), dl)
    bd = run.bound
    cand = bd.cand if bd is not None else np.arange(prep.nf)
    pt = _Point(b, pb, prep, target, ctx, _true_F(prep, w, Us, Vs), run.items, run.sol.objective, run.UB_raw, cand,
                info=dict(run.sol.info))
    if bd is not None and bd.duals is not None:
        pt.duals = bd.duals
        if not prep.has_pairs:  # with measured pairs a forced member's share of a pair's credit would be lost
            pt.tree = _Tree(ctx, float(bd.UB), bd.duals)
    return pt


def _envelope(pts: dict[int, _Point], order: list[int], mono: bool) -> dict[int, float]:
    """Each point's certified bound: its own and (``mono``) the least of its larger budgets' (every plan at a
    budget is a plan at every larger one, so no plan at a budget beats a larger budget's bound), and of their
    trees' bounds moved down to its budget (:meth:`_Tree.shifted`, between budgets of the same signature)."""
    out: dict[int, float] = {}
    least = math.inf
    for k in range(len(order) - 1, -1, -1):
        pt = pts[order[k]]
        ub = pt.UB
        if mono:
            least = min(least, ub)
            ub = least
            sig = pt.tree.sig if pt.tree is not None else None
            if sig is not None:
                for j in order[k + 1:]:
                    t = pts[j].tree
                    if t is not None and t.sig == sig:
                        ub = min(ub, t.shifted(pt.b))
        out[order[k]] = max(ub, pt.F)
    return out


def _lift(pts: dict[int, _Point], order: list[int], k: int) -> None:
    """(Without platform minimums) the plan at ``order[k]`` offered to the larger budgets, one after another
    (a plan at a budget is a plan at every larger one; each fills it), while it improves them."""
    for a, b in zip(order[k:], order[k + 1:], strict=False):
        src, dst = pts[a], pts[b]
        if src.F <= dst.F or not dst.offer(_items_at(src, dst.prep)):
            return


def _branch(pts: dict[int, _Point], order: list[int], mono: bool, dl: _Deadline) -> None:
    """Pass 2 of :func:`budget_sweep`: one node at a time to the budget of largest certified gap."""
    pos = {i: k for k, i in enumerate(order)}
    while not dl.nearly_over():
        ub = _envelope(pts, order, mono)
        best, pick = 0.0, None
        for i in order:
            pt = pts[i]
            g = pt.gap(ub[i])
            if g <= pt.target or not pt.open():
                continue  # within target, or only leaves left above the threshold (the last pass closes those)
            if g > best:
                best, pick = g, i
        if pick is None:
            return
        pt = pts[pick]
        t0 = time.perf_counter()
        if pt.step() and mono:
            _lift(pts, order, pos[pick])
        pt.seconds += time.perf_counter() - t0


def _close_rest(pts: dict[int, _Point], order: list[int], mono: bool, w: float, Us: float, Vs: float,
                dl: _Deadline) -> None:
    """Pass 3 of :func:`budget_sweep`: budgets still above target closed as a single solve closes them, the
    largest gap first, each with a fair share of the time left (at least :data:`_CLOSE_MIN_S`, never past the
    deadline)."""
    ub = _envelope(pts, order, mono)
    todo = sorted((i for i in order if pts[i].gap(ub[i]) > pts[i].target), key=lambda i: -pts[i].gap(ub[i]))
    for k, i in enumerate(todo):
        if dl.nearly_over():
            break
        pt = pts[i]
        warm: dict = {"plans": [pt.items]}
        e = pt.duals
        if e is not None:
            warm.update(theta=e.theta, eta=e.eta, mu=e.mu)
            if e.lam >= 1e-12:
                warm["lam"] = e.lam
        t0 = time.perf_counter()
        try:
            slice_ = _Deadline(max(dl.left() / (len(todo) - k), _CLOSE_MIN_S), dl)
            again = _solve_w(pt.pb, pt.prep, w, Us, Vs, pt.target, slice_, warm)
        except Infeasible:
            continue
        pt.closed = again.sol.status
        if again.sol.objective > pt.F:
            pt.items, pt.F = np.sort(again.items), again.sol.objective
        pt.info.update(again.sol.info)
        pt.UB = min(pt.UB, again.UB_raw)
        pt.seconds += time.perf_counter() - t0
        if mono:
            _lift(pts, order, order.index(i))
