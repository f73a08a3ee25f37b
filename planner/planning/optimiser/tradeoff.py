"""The reach-niche frontier: one brief's plans at several reach weights under one deadline, each point given to the
caller as soon as it is solved (:func:`frontier_iter`; :func:`frontier` is the list of them).

Every point optimises ``w U/U* + (1-w) V/V*`` with the same normalisers (a start plan's, e.g. the plan on screen,
or the problem's own) and only the weight differs, so what one point finds is worth something to the others:

- a plan found at one weight is a plan at every weight (the brief's constraints do not depend on it): the plans
  found so far that are best at the next weight start it, and every better plan is offered to the points still
  open;
- the next point's multipliers start from its nearest solved neighbour's, the tangent slopes of each term scaled by
  the ratio of its coefficients (any multipliers give a valid bound, a close start a quick search);
- the best value at a weight, ``max_S w u(S) + (1-w) v(S)``, is a maximum of linear functions of ``w``, hence
  convex: between two weights with valid bounds their chord bounds every plan too, and the most unique reach and
  niche value any plan of the brief can have (certified by the problem's own pure runs) bound the ends.

On a list where a few bloggers cost much of the budget and reach most of their pool (the shipped sample) the
Lagrangian bound alone sits 8-11 % above the best plan: each point runs the budget sweep's small branch and bound
over those dear candidates (:class:`planner.planning.optimiser.tree._Tree`; a few nodes close it to 0.5 %), rooted
at its neighbour's multipliers as the sweep roots a budget at the smaller one's, and, when that is not enough, the
single solve's closing (reduced-cost fixing, MILP).

Two passes: first every weight, nearest to the start first, with a fair share of the time left and a few nodes of
its tree (a point within its gap target is given at once); then the points still above it, the largest gap first,
with what is left: their bounds tightened by the chords of the weights solved since on both sides, the single
solve's closing (its MILP closes a tight target, 0.01 % on a short list, where the tree's nodes would take long),
then more nodes; each is given once within target, the rest at the deadline with their best plan and valid bound.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from planner.planning.optimiser.bound import _Bound, _Ev, _full_eval, _lam_guess
from planner.planning.optimiser.closing import _close
from planner.planning.optimiser.context import _Ctx, _Deadline, _Obj
from planner.planning.optimiser.driver import (
    _NORMALISER_INFO,
    _exact,
    _finish,
    _pure_runs,
    _rescale,
    _run,
    _solve_w,
    _start_items,
    _true_F,
    remembered_duals,
)
from planner.planning.optimiser.milp import _region_enum
from planner.planning.optimiser.prep import _Prep, _prep_of
from planner.planning.optimiser.problem import NoPlanInTime, Problem, ProblemError, Solution, default_gap_target
from planner.planning.optimiser.tree import _MAX_NODES, _Point, _Tree

CERTIFIED = ("optimal", "gap_ok")
_CLOSE_MIN_S = 0.5  # a point's closing (MILP, second pass only) starts only with at least this much of its share
_OFFERED = 3  # the plans found so far that are best at a weight, each repaired and filled there as its start
_MIN_SHARE_S = 0.05  # a weight's first pass gets at least this (a starved search is no better than none)
_FIRST_NODES = 12  # nodes of a weight's branch and bound in the first pass (the sample's weights close in 5-9)


def _weights(weights) -> list[float]:
    """The distinct weights asked for, in their order (default 0, 0.1, ..., 1)."""
    ws = np.linspace(0.0, 1.0, 11) if weights is None else np.asarray(weights, dtype=float).ravel()
    if np.any(~np.isfinite(ws)) or np.any((ws < 0.0) | (ws > 1.0)):
        raise ProblemError("weights_value")
    out: list[float] = []
    for w in ws.tolist():
        if float(w) not in out:
            out.append(float(w))
    return out


@dataclass
class _Known:
    """What a solved (or open) weight tells the others: a valid bound on every plan there (objective units), and
    the multipliers it was searched with, with the two terms' coefficients per person at that search
    (``ku = w/U*``, ``kn = (1-w)/V*``) to scale them by."""

    UB: float
    duals: _Ev | None = None
    ku: float = 0.0
    kn: float = 0.0


def _scaled(k: _Known, ku: float, kn: float, P: int) -> dict:
    """``k``'s multipliers as a start at another weight: each term's tangent slopes scaled by the ratio of its
    coefficients (the same tangent points), the budget's and the platforms' as they are (the search brackets them).
    Without a slope to scale (a term that was 0 there) the slopes are left to the search (no "eta")."""
    e = k.duals
    if e is None:
        return {}
    out: dict = {"theta": np.asarray(e.theta, dtype=float).copy(), "mu": float(e.mu)}
    if e.lam >= 1e-12:
        out["lam"] = float(e.lam)
    eta = np.asarray(e.eta, dtype=float).copy()
    if eta.size != 2 * P:
        return out
    for part, old, new in ((slice(0, P), k.ku, ku), (slice(P, 2 * P), k.kn, kn)):
        if new == 0.0:
            eta[part] = 0.0
        elif old > 0.0:
            eta[part] *= new / old
        else:
            return out
    out["eta"] = eta
    return out


def _pure_bounds(problem: Problem) -> tuple[float, float] | None:
    """The most unique reach and niche value (people) any plan of this problem can have, certified by its own pure
    runs (kept on it by any solve; a bound in people holds whatever their normalisers). None when none ran."""
    u = v = math.inf
    for key, pr in list(problem._cache.items()):
        if isinstance(key, tuple) and key and key[0] in ("pure", "pure_quick") and isinstance(pr, dict):
            u, v = min(u, float(pr["U_bound"])), min(v, float(pr["V_bound"]))
    return (u, v) if math.isfinite(u) and math.isfinite(v) else None


class _Frontier:
    """One frontier's shared state: the normalisers, every plan found (free indices, with its exact unique reach and
    niche value) and what every solved or open weight tells the others (:class:`_Known`)."""

    def __init__(self, problem: Problem, prep: _Prep, Us: float, Vs: float, target: float, dl: _Deadline) -> None:
        self.pb, self.prep, self.Us, self.Vs, self.target, self.dl = problem, prep, Us, Vs, target, dl
        self.plans: dict[bytes, tuple[np.ndarray, float, float]] = {}
        self.known: dict[float, _Known] = {}
        self.ends = _pure_bounds(problem)  # certified (most unique reach, most niche value) in people

    def coefs(self, w: float) -> tuple[float, float]:
        return w / self.Us, (1.0 - w) / self.Vs

    def add_plan(self, items: np.ndarray, U: float | None = None, V: float | None = None) -> bool:
        """A plan (free indices) found at some weight; False when it was known already."""
        items = np.unique(np.asarray(items, dtype=np.int64))
        key = items.tobytes()
        if key in self.plans:
            return False
        if U is None or V is None:
            p = self.prep
            U, V = _exact(p, np.sort(np.concatenate([p.must_in, p.free[items]])), p.pairs_orig)
        self.plans[key] = (items, float(U), float(V))
        return True

    def add_solution(self, sol: Solution) -> None:
        """A solution's plan (candidate indices; those not free here, the must-haves, are left out)."""
        self.add_plan(_start_items(self.prep, [sol.chosen])[0], sol.unique_reach, sol.niche_value)

    def ranked(self, w: float) -> list[np.ndarray]:
        """Every plan found so far (free items), the best at ``w`` first."""
        ku, kn = self.coefs(w)
        return [items for items, _, _ in sorted(self.plans.values(), key=lambda x: -(ku * x[1] + kn * x[2]))]

    def chord(self, w: float) -> float:
        """The least bound at ``w`` from the weights on either side of it (and the ends' bounds in people): the best
        value at a weight is convex in the weight, so it lies below every chord of valid bounds."""
        anchors = [(k, x.UB) for k, x in self.known.items() if math.isfinite(x.UB)]
        if self.ends is not None:
            anchors += [(1.0, self.ends[0] / self.Us), (0.0, self.ends[1] / self.Vs)]
        best = math.inf
        for a, ua in anchors:
            if a >= w:
                continue
            for b, ub in anchors:
                if b > w:
                    t = (w - a) / (b - a)
                    best = min(best, (1.0 - t) * ua + t * ub)
        return best

    def nearest(self, w: float) -> _Known | None:
        """The nearest other weight whose multipliers are known."""
        near = [k for k, x in self.known.items() if x.duals is not None and k != w]
        return self.known[min(near, key=lambda k: (abs(k - w), k))] if near else None

    def warm(self, w: float) -> dict:
        """A single solve's start at ``w``: the nearest neighbour's multipliers (scaled) and every plan found."""
        near = self.nearest(w)
        out = _scaled(near, *self.coefs(w), self.prep.P) if near is not None else {}
        out["plans"] = self.ranked(w)
        return out


@dataclass
class _Open:
    """A weight being solved: its plan and bound (:class:`planner.planning.optimiser.tree._Point`), the single
    solve's bound when it started that way, whether its closing ran, and the seconds spent on it."""

    w: float
    pt: _Point
    bd: _Bound | None = None
    closed: str | None = None  # the closing's own status once it ran ("" when its share stopped it)
    seconds: float = 0.0
    seen: int = 0  # plans found so far that were offered to it

    def gap(self) -> float:
        return self.pt.gap(self.pt.UB)

    def tree_done(self) -> bool:
        """The branch and bound has no node worth evaluating (or there is none)."""
        return not self.pt.open()

    def stuck(self) -> bool:
        """Nothing left to try: the branch and bound is done and the closing ran (or cannot)."""
        return self.tree_done() and (self.closed is not None or self.pt.duals is None)


def _from_neighbour(fr: _Frontier, w: float, ctx: _Ctx) -> _Point | None:
    """A weight's bound and plan from its nearest neighbour, as the budget sweep moves between budgets: the root of
    its branch and bound searched from the neighbour's multipliers (scaled, :func:`_scaled`) on the candidates that
    score well there, the plans found so far that are best at this weight and the root's relaxed choice, each
    repaired and filled. None when there is no such start (no neighbour's slopes to scale, measured pairs, a brief
    small enough to enumerate) or it gives no plan: the single solve's first steps decide then."""
    prep = fr.prep
    near = fr.nearest(w)
    if near is None or near.duals is None or prep.has_pairs or prep.nf == 0:
        return None
    warm = _scaled(near, *fr.coefs(w), prep.P)
    if "eta" not in warm:
        return None
    if _region_enum(ctx, np.zeros(0, dtype=np.int64), np.arange(prep.nf), prep.X0, np.zeros(prep.K), 0.0,
                    0.0) is not None:
        return None
    e = near.duals
    start = _Ev(math.inf, float(warm.get("lam", e.lam)), warm["theta"], warm["eta"], e.mask, e.spend, e.spendk,
                float(warm.get("mu", 0.0)), e.units)
    tree = _Tree(ctx, math.inf, start)
    pt = _Point(float(fr.pb.budget), fr.pb, prep, fr.target, ctx, _true_F(prep, w, fr.Us, fr.Vs),
                np.zeros(0, dtype=np.int64), -math.inf, math.inf, np.arange(prep.nf), tree)
    relaxed = tree.step(-math.inf)
    if tree.root is None:  # no multiplier found from the neighbour's, or no plan at all: the single solve decides
        return None
    pt.UB = tree.bound()
    pt.duals = tree.root.hi
    pt.cand = tree.root.work.ids
    pt.info["work"] = int(pt.cand.size)
    for items in fr.ranked(w)[:_OFFERED]:
        pt.offer(items)
    if relaxed is not None:
        pt.offer(relaxed)
    return pt if pt.F > -math.inf else None


def _begin(fr: _Frontier, w: float, share: _Deadline) -> _Open:
    """A weight's first bound and plan: from its nearest neighbour, else as a single solve's first steps make them
    (a brief with few plans is searched whole, exactly). Raises Infeasible (proven: no weight has a plan then) or
    NoPlanInTime."""
    t0 = time.perf_counter()
    prep = fr.prep
    ctx = _Ctx(prep, _Obj(prep, w, fr.Us, fr.Vs), share)
    pt = _from_neighbour(fr, w, ctx)
    bd = None
    if pt is None:
        run = _solve_w(fr.pb, prep, w, fr.Us, fr.Vs, fr.target, share, fr.warm(w), close=False)
        bd = run.bound
        pt = _Point(float(fr.pb.budget), fr.pb, prep, fr.target, ctx, _true_F(prep, w, fr.Us, fr.Vs), run.items,
                    run.sol.objective, run.UB_raw, bd.cand if bd is not None else np.arange(prep.nf),
                    info=dict(run.sol.info))
        if bd is not None and bd.duals is not None:
            pt.duals = bd.duals
            if not prep.has_pairs:  # with measured pairs a forced member's share of a pair's credit would be lost
                pt.tree = _Tree(ctx, float(bd.UB), bd.duals)
    op = _Open(w, pt, bd, seen=len(fr.plans))
    op.seconds = time.perf_counter() - t0
    return op


def _chord(fr: _Frontier, op: _Open) -> None:
    """``op``'s bound tightened by the chords of the weights on either side (said in its info when it did)."""
    c = fr.chord(op.w)
    if c < op.pt.UB:
        op.pt.UB = c
        op.pt.info["frontier_chord"] = True


def _advance(fr: _Frontier, op: _Open, share: _Deadline, *, second: bool = False) -> None:
    """``op`` solved on within ``share``: its bound tightened by the chords of its neighbours, the plans found since
    offered to it, then its branch and bound one node at a time (in the first pass at most :data:`_FIRST_NODES`: a
    point they do not close waits for the second). In the second pass the single solve's closing (reduced-cost
    fixing, MILP; once, with at least :data:`_CLOSE_MIN_S`) comes first: where the gap target is tight (0.01 % on a
    short list) the tree's nodes close it slowly and the MILP on a small core at once."""
    t0 = time.perf_counter()
    pt, target = op.pt, fr.target
    pt.ctx.dl = share
    _chord(fr, op)
    if len(fr.plans) > op.seen and pt.gap(pt.UB) > target:
        for items in fr.ranked(op.w)[:_OFFERED]:
            pt.offer(items)
        op.seen = len(fr.plans)
    if second and op.closed is None and pt.gap(pt.UB) > target and pt.duals is not None:
        if share.left() < 0.8 * _CLOSE_MIN_S:  # too little time left for it (its share was at least that, or all)
            op.closed = ""
        else:
            bd = op.bd
            if bd is None or bd.scores is None:  # the root's multipliers: their bound and scores over every candidate
                D, scores = _full_eval(pt.ctx, pt.duals)
                relaxed = pt.cand[pt.duals.mask] if pt.duals.mask.size == pt.cand.size else np.zeros(0, np.int64)
                bd = _Bound(D, pt.duals, scores, np.sort(relaxed), pt.cand)
            UB2, items2, F2, cinfo = _close(pt.ctx, bd, pt.items, pt.F, target, pt.true_F)
            pt.info.update(cinfo)
            if F2 > pt.F:
                pt.items, pt.F = np.sort(items2), F2
            pt.UB = min(pt.UB, UB2)
            op.closed = "" if share.nearly_over() else "gap_above_target"
    if pt.tree is not None:
        pt.grow(share, _MAX_NODES if second else _FIRST_NODES)
        pt.info["frontier_nodes"] = pt.tree.nodes
    op.seconds += time.perf_counter() - t0


def _solution(fr: _Frontier, op: _Open) -> Solution:
    """The point of an open weight as it stands: "time_limit" above its gap target unless its closing stopped on its
    own ("gap_above_target")."""
    pt = op.pt
    sol = _run(fr.prep, pt.items, pt.F, pt.UB, op.w, fr.Us, fr.Vs, fr.target, fr.dl, pt.duals, pt.info,
               time.perf_counter()).sol
    if sol.gap > fr.target:
        sol.status = op.closed or "time_limit"
    sol = _finish(sol, fr.pb, None, time.perf_counter())
    sol.seconds = op.seconds
    return sol


def _late(fr: _Frontier, w: float) -> Solution:
    """A weight reached after the deadline: the best plan found so far at it, with the least valid bound at hand
    (the chords of its neighbours, the Lagrangian at its nearest neighbour's multipliers, one evaluation over the
    candidates), no search."""
    t0 = time.perf_counter()
    prep = fr.prep
    if not fr.plans:
        raise NoPlanInTime("time_limit", seconds=f"{fr.dl.limit:g}")
    ku, kn = fr.coefs(w)
    items, U, V = max(fr.plans.values(), key=lambda x: ku * x[1] + kn * x[2])
    ctx = _Ctx(prep, _Obj(prep, w, fr.Us, fr.Vs), fr.dl)
    UB = fr.chord(w)
    if prep.nf:
        near = fr.nearest(w)
        start = _scaled(near, ku, kn, prep.P) if near is not None else {}
        eta = start.get("eta", ctx.obj.coef1)  # any slopes give a valid bound
        theta = np.asarray(start.get("theta", np.zeros(prep.K)), dtype=float)
        theta = np.where(ctx.up_ok, theta, np.minimum(theta, 0.0))
        theta = np.where(ctx.lo_ok, theta, np.maximum(theta, 0.0))
        e = _Ev(math.inf, float(start.get("lam", _lam_guess(ctx, prep.work_full))), theta, eta,
                np.zeros(0, dtype=bool), 0.0, np.zeros(prep.K), float(start.get("mu", 0.0)))
        UB = min(UB, _full_eval(ctx, e)[0])
    else:
        UB = min(UB, ctx.obj.const_b)
    sol = _run(prep, items, ku * U + kn * V, UB, w, fr.Us, fr.Vs, fr.target, fr.dl, None, {"frontier_late": True},
               t0).sol
    if sol.gap > fr.target:
        sol.status = "time_limit"
    return _finish(sol, fr.pb, None, t0)


def _with_start(sol: Solution, start: Solution | None) -> Solution:
    """A point made here with the start's normalisers' certificates (its normalisers are the start's)."""
    if start is None:
        return sol
    for k in _NORMALISER_INFO:
        if k in start.info:
            sol.info.setdefault(k, start.info[k])
    if sol.unique_reach_bound is None:
        sol.unique_reach_bound, sol.niche_value_bound = start.unique_reach_bound, start.niche_value_bound
    return sol


def frontier_iter(problem: Problem, weights=None, *, start: Solution | None = None, known: Sequence[Solution] = (),
                  gap_target: float | None = None, time_limit: float = 10.0) -> Iterator[Solution]:
    """Plans along the reach-niche trade-off (default w = 0, 0.1, ..., 1), each yielded as soon as it is solved,
    every distinct weight once (its :attr:`Solution.reach_weight`), under one deadline (``time_limit``) for all.

    ``start``: a plan of this problem (e.g. the plan on screen). Its normalisers are every point's; it is the point
    at its own weight exactly as given (yielded first, when its weight is asked for); its plan and multipliers start
    the others, which follow nearest to its weight first (the larger weight first between two as near). Without a
    start, the problem's own normalisers are computed first (its pure runs, within half the time; they are the
    points at 1 and 0) and the points follow from reach (w = 1) downwards.
    ``known``: points already solved at some of the weights (e.g. kept by a page). One with the start's normalisers
    and within its gap target is that weight's point as given; any other only starts the search with its plan.

    Each weight first gets a fair share of the time left and is yielded as soon as it is within ``gap_target``
    (default: 0.01 % up to 2,000 candidates, 0.5 % above); those still above it get what is left, the largest gap
    first, and are yielded once within it or at the deadline, then with their best plan and valid bound and status
    "time_limit" ("gap_above_target" when the closing stopped on its own); a weight the deadline reaches before its
    turn gets the best plan found so far with the least bound at hand. The points help each other (the module
    docstring says how); each plan and bound is as valid as a :func:`planner.planning.optimiser.solve`'s with the
    same normalisers. Raises :class:`Infeasible` (before any point) when no plan meets the brief.
    """
    dl = _Deadline(time_limit)
    ws = _weights(weights)
    prep = _prep_of(problem)
    target = gap_target if gap_target is not None else default_gap_target(prep.n)
    given: dict[float, Solution] = {}
    stand_in: dict[float, Solution] = {}  # a point as it is, should the deadline come before its turn
    if start is not None:
        Us, Vs = (float(start.normalisers[0]) or 1.0), (float(start.normalisers[1]) or 1.0)
        w0 = float(start.reach_weight)
        fr = _Frontier(problem, prep, Us, Vs, target, dl)
        fr.add_solution(start)
        fr.known[w0] = _Known(start.upper_bound, remembered_duals(problem, w0, Us, Vs), *fr.coefs(w0))
        if w0 in ws:
            given[w0] = start
    else:
        pr = _pure_runs(problem, prep, target, dl.share(0.5))
        Us, Vs, w0 = pr["Us"], pr["Vs"], 1.0
        fr = _Frontier(problem, prep, Us, Vs, target, dl)
        t0 = time.perf_counter()
        for w, run, scale, ku, kn in ((1.0, pr["ru"], pr["u0"] / Us, 1.0 / pr["u0"], 0.0),
                                      (0.0, pr["rv"], pr["v0"] / Vs, 0.0, 1.0 / pr["v0"])):
            sol = _finish(_rescale(run, prep, w, Us, Vs, scale), problem, pr, t0)
            sol.seconds = run.sol.seconds
            fr.add_plan(run.items, sol.unique_reach, sol.niche_value)
            # the pure run's multipliers were searched with its provisional scale as its normaliser
            duals = run.bound.duals if run.bound is not None else None
            fr.known[w] = _Known(sol.upper_bound, duals, ku, kn)
            if w in ws and sol.status in CERTIFIED:  # else solved on like any other weight, from its plan
                given[w] = sol
            stand_in[w] = sol
    for s in known:
        w = float(s.reach_weight)
        fr.add_solution(s)
        same = (float(s.normalisers[0]) or 1.0, float(s.normalisers[1]) or 1.0) == (Us, Vs)
        if same and w in ws and w not in given and s.status in CERTIFIED:
            given[w] = s
            fr.known[w] = _Known(s.upper_bound, remembered_duals(problem, w, Us, Vs), *fr.coefs(w))
    order = sorted(ws, key=lambda x: (round(abs(x - w0), 9), -x))
    todo = sum(1 for w in order if w not in given)
    held: dict[float, _Open] = {}
    yielded: set[float] = set()
    for w in order:  # first pass: nearest first, a fair share each
        if w in given:  # the start, or a known point: as it is
            yielded.add(w)
            yield given[w]
            continue
        left = max(dl.left(), 0.0)
        if left < _MIN_SHARE_S:  # the rest get the best plan found so far with the bound at hand
            break
        share = _Deadline(max(left / max(todo, 1), _MIN_SHARE_S), dl)
        todo -= 1
        try:
            op = _begin(fr, w, share)
        except NoPlanInTime:
            break
        _advance(fr, op, share)
        fr.known[w] = _Known(op.pt.UB, op.pt.duals, *fr.coefs(w))
        fr.add_plan(op.pt.items)
        if op.gap() <= target:
            yielded.add(w)
            yield _with_start(_solution(fr, op), start)
        else:
            held[w] = op
    while held and not dl.nearly_over():  # second pass: the largest gap first, with what is left
        for w, op in list(held.items()):
            _chord(fr, op)
            if op.gap() <= target:
                del held[w]
                yielded.add(w)
                yield _with_start(_solution(fr, op), start)
        live = [op for op in held.values() if not op.stuck()]
        if not live:
            break
        op = max(live, key=lambda o: (o.gap(), -o.w))
        left = max(dl.left(), 0.0)  # a fair share, and the closing's least while it has not run
        _advance(fr, op, _Deadline(max(left / len(live), min(left, _CLOSE_MIN_S if op.closed is None else 0.0)), dl),
                 second=True)
        fr.known[op.w] = _Known(op.pt.UB, op.pt.duals, *fr.coefs(op.w))
        fr.add_plan(op.pt.items)
        if op.gap() <= target:
            del held[op.w]
            yielded.add(op.w)
            yield _with_start(_solution(fr, op), start)
    for w in order:  # at the deadline: the rest as they stand, or the best plan found so far
        if w in yielded:
            continue
        if w in given:
            yield given[w]
            continue
        if w in held:
            sol = _solution(fr, held.pop(w))
        elif w in stand_in:
            sol = stand_in[w]
        else:
            sol = _late(fr, w)
            fr.known[w] = _Known(sol.upper_bound)
        yield _with_start(sol, start)


def frontier(problem: Problem, weights=None, *, start: Solution | None = None, known: Sequence[Solution] = (),
             gap_target: float | None = None, time_limit: float = 10.0) -> list[Solution]:
    """:func:`frontier_iter`'s points in the order of ``weights`` (a weight asked for twice gets the same point)."""
    ws = np.linspace(0.0, 1.0, 11) if weights is None else np.asarray(weights, dtype=float).ravel()
    got = {s.reach_weight: s for s in frontier_iter(problem, ws, start=start, known=known, gap_target=gap_target,
                                                    time_limit=time_limit)}
    return [got[float(w)] for w in ws.tolist()]
