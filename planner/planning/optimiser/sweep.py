"""Plans of one brief at several budgets (:func:`budget_sweep`, the Scenarios page's budget curve).

Why the curve needs more than one quick solve per budget: on a list where a few bloggers cost a large share of the
budget and reach most of their pool (the shipped sample), the Lagrangian bound (= the continuous relaxation) takes
a fraction of them and sits 2-15 % above the best plan, and a plan that can be certified within 1 % is built around
the right ones. A single solve closes that with its dual branching (one side of a dear candidate dropped at a time)
and a MILP on the rest, about a second per budget there. The sweep runs instead, per budget, a small branch and
bound over those candidates (:class:`_Tree`: both sides of each, every node bounded by the Lagrangian of its plans,
its relaxed choice repaired and filled into a plan), gives each step to the budget whose certified gap is largest,
and shares between budgets what is a proof: without platform minimum shares (the only part of a brief that
tightens as the budget grows) a plan at a budget is a plan at every larger one, so plans move up the curve and
bounds down it."""

from __future__ import annotations

import copy
import dataclasses
import heapq
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from planner.planning.optimiser.bound import _Dual, _Ev, _gstar, _lam_guess, _NoPlan, _SearchFailed
from planner.planning.optimiser.closing import _world, _world_empty, _world_ids
from planner.planning.optimiser.context import _Ctx, _Deadline, _Obj
from planner.planning.optimiser.driver import _finish, _run, _solve_w, _true_F
from planner.planning.optimiser.milp import _region_enum
from planner.planning.optimiser.prep import _Prep, _prep_of, _Work
from planner.planning.optimiser.primal import _greedy, _repair, _State
from planner.planning.optimiser.problem import (
    _EPS,
    Infeasible,
    Problem,
    ProblemError,
    Solution,
    SolverError,
    default_gap_target,
)

_CLOSE_MIN_S = 0.5  # budget_sweep's last pass: the least time a point's closing gets
_QUICK_MIN_S = 0.1  # budget_sweep's first pass: the least time a budget gets (its plan is filled, never left empty)
_SPLIT = 0.05  # _Tree: a critical candidate above this share of the node's budget left is split on
_RTOL = 5e-4  # _Tree: relative accuracy of a node's budget multiplier (any value keeps the bound valid)
_ETOL = 3e-3  # ... and of its pools' tangent slopes (in log)
_KEEP = 0.6  # a node searches its multipliers over the candidates scoring at least -_KEEP x their price (bound.py's)
_WIDEN = 3  # ... widened at most this many times when a candidate left out would raise the bound
_PRUNE = 0.9  # _Tree: a node is dropped when its bound is below best / (1 - _PRUNE x target)
_MAX_NODES = 40  # _Tree: nodes a budget's tree evaluates at most (then the last pass closes it as a single solve)


def _scores(ctx: _Ctx, e: _Ev) -> np.ndarray:
    """Every free candidate's Lagrangian score at ``e``'s multipliers (free order)."""
    p, o = ctx.prep, ctx.obj
    w = p.work_full
    out = np.empty(p.nf)
    out[w.ids] = o.vb[w.ids] + w.tangent_part(e.eta) - w.c * (e.lam + e.theta[w.plat]) - e.mu * w.u
    return out


class _FastWork(_Work):
    """A node's candidates (prep._Work) with the set maxima of :meth:`best` and the sums of :meth:`xsum` in a few
    array operations each (a node searches a few hundred candidates, where _Work's per-block loop is mostly
    call overhead). The same results: each set's first best candidate, the same sums per pool."""

    def __init__(self, prep: _Prep, ids: np.ndarray) -> None:
        super().__init__(prep, ids)
        rows, cols, lks = [], [], []
        r0 = 0
        for (sz, _off, ng), lk in zip(self.blocks, self.block_lk, strict=True):
            rows.append(np.repeat(np.arange(r0, r0 + ng), sz))
            cols.append(np.tile(np.arange(sz), ng))
            lks.append(lk)
            r0 += ng
        self.rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        self.cols = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        self.row_lk = np.concatenate(lks) if lks else np.zeros(0, dtype=bool)
        width = max((sz for sz, _, _ in self.blocks), default=1)
        self.cell = np.full((r0, width), -1, dtype=np.int64)  # position of each (set, member)
        self.cell[self.rows, self.cols] = np.arange(self.m)
        self.grid = np.full((r0, width), -np.inf)
        self.ar = np.arange(r0)
        self.pool2 = np.r_[self.pool, self.poolb]
        self.ab = np.r_[self.a, self.b]

    def best(self, s: np.ndarray) -> tuple[np.ndarray, float]:
        self.grid[self.rows, self.cols] = s
        am = self.grid.argmax(axis=1)
        top = self.grid[self.ar, am]
        take = (top > 0) | self.row_lk
        mask = np.zeros(self.m, dtype=bool)
        mask[self.cell[self.ar[take], am[take]]] = True
        total = float(np.where(self.row_lk, top, np.maximum(top, 0.0)).sum()) if self.any_lock \
            else float(np.maximum(top, 0.0).sum())
        return mask, total

    def xsum(self, mask: np.ndarray) -> np.ndarray:
        m2 = np.concatenate((mask, mask))
        return np.bincount(self.pool2[m2], weights=self.ab[m2], minlength=2 * self.P)


class _NodeDual(_Dual):
    """bound._Dual whose budget multiplier is bracketed from its start in small steps that grow (x1.02, x1.04,
    x1.08, ...) rather than x4 / x0.5: a node starts from its parent's multipliers, usually close. Any multipliers
    give a valid bound; only the number of evaluations changes."""

    def lam_search(self, theta, lam0, eta0, rtol, etol) -> tuple[_Ev | None, _Ev]:
        if not lam0 >= 1e-12:  # no start to step from (the budget did not bind there): bound's first guess
            lam0 = _lam_guess(self.ctx, self.work)
        B = self.ctx.prep.Bres
        if self.work.least_spend() > B + _EPS:
            raise _NoPlan
        lam = lam0
        e = self.ev(lam, theta, eta0, h=0.3, tol=etol)
        lo: _Ev | None = None
        hi: _Ev | None = None
        f = 1.02
        if e.spend > B + _EPS:
            lo = e
            for _ in range(200):
                lam = lo.lam * f
                e = self.ev(lam, theta, lo.eta, h=max(0.3, 1.5 * math.log(f)), tol=etol)
                f = min(f * f, 4.0)
                if e.spend <= B + _EPS:
                    hi = e
                    break
                lo = e
        else:
            hi = e
            for _ in range(200):
                lam = hi.lam / f
                if lam < 1e-12 * max(lam0, 1e-300):
                    e = self.ev(0.0, theta, hi.eta, h=1.0, tol=etol)
                    if e.spend <= B + _EPS:
                        return None, e
                    lo = e
                    break
                e = self.ev(lam, theta, hi.eta, h=max(0.3, 1.5 * math.log(f)), tol=etol)
                f = min(f * f, 4.0)
                if e.spend > B + _EPS:
                    lo = e
                    break
                hi = e
        if hi is None or lo is None:
            raise _SearchFailed
        if lo.lam <= 0:
            return lo, hi
        for _ in range(80):
            if lo.lam <= 0 or hi.lam / lo.lam - 1.0 <= rtol or self.ctx.dl.expired():
                break
            mid = math.sqrt(lo.lam) * math.sqrt(hi.lam)
            step = math.log(hi.lam / lo.lam)
            e = self.ev(mid, theta, hi.eta, h=max(4 * etol, 1.5 * step), tol=etol)
            if e.spend > B + _EPS:
                lo = e
            else:
                hi = e
        return lo, hi


@dataclass
class _Node:
    """A node's bound ``D`` (certified: evaluated over every candidate of the node), the multipliers it was
    searched with on each side of the budget (``lo``: spends above it, None when the budget does not bind;
    ``hi``: within it), the candidates searched (``work``) and the node's context (its forced candidates fixed)."""

    D: float
    lo: _Ev | None
    hi: _Ev
    work: _Work
    ctx: _Ctx
    lam: float = 0.0  # the budget multiplier of D, per unit of money


def _node_bound(ctx: _Ctx, forced: list[int], excl: np.ndarray, e: _Ev) -> _Node | None:
    """The Lagrangian bound of the plans that contain ``forced`` and none of ``excl`` (closing._world_bound's
    node), searched from ``e`` on the candidates that score well enough there and evaluated exactly over all of
    the node's (widening the search when one left out would raise it). None when the node has no plan (a proof).
    Raises SolverError when no multiplier is found."""
    p = ctx.prep
    ctx2 = _world(ctx, forced)
    q = ctx2.prep
    if q.Bres < -_EPS or np.any(q.Hres < -_EPS) or q.Ures < -_EPS:
        return None
    ids = _world_ids(p, forced, excl)
    if (p.locked_sets.size or np.any(q.Lres > _EPS)) and _world_empty(p, q, forced, _Work(p, ids)):
        return None
    inside = np.zeros(p.nf, dtype=bool)
    inside[ids] = True
    in_forced = np.zeros(p.nf, dtype=bool)
    if forced:
        in_forced = np.isin(p.grp, p.grp[np.asarray(forced, dtype=np.int64)])
    lk = p.locked[p.grp]

    def exact(ev: _Ev) -> tuple[float, np.ndarray]:
        s = _scores(ctx2, ev)
        t = np.where(inside, s, np.where(in_forced, 0.0, -np.inf))  # a forced candidate's set is decided: 0
        _, total = p.work_full.best(t[p.work_full.ids])
        D = ctx2.dual_const(ev.lam, ev.theta, ev.mu) + float(_gstar(ctx2.obj.coef1, ev.eta).sum()) + total
        return D, s

    def kept(ev: _Ev, s: np.ndarray) -> np.ndarray:
        price = p.c * np.maximum(ev.lam + ev.theta[p.plat], 0.0) + ev.mu * p.u
        return inside & ((s >= -_KEEP * price) | lk)

    s0 = _scores(ctx2, e)
    keep = kept(e, s0)
    best_D, best_lam = math.inf, 0.0
    out: _Node | None = None
    lam0, theta0, eta0, mu0 = e.lam, e.theta, e.eta, e.mu
    for _ in range(_WIDEN + 1):
        work = _FastWork(p, np.flatnonzero(keep))
        d = _NodeDual(ctx2, work, mu0)
        try:
            lo, hi = d.run(lam0 if lam0 > 0 else _lam_guess(ctx2, work), theta0, eta0, rtol=_RTOL, etol=_ETOL,
                           rounds=1)
        except _NoPlan:  # every locked set is searched whole: a proof
            return None
        assert d.best is not None
        D_full, s = exact(d.best)
        if D_full < best_D:
            best_D, best_lam = D_full, d.best.lam / p.B
        out = _Node(best_D, lo, hi, work, ctx2, best_lam)
        if D_full <= d.best.D + 1e-9 * max(1.0, abs(d.best.D)) or ctx.dl.expired():
            break
        more = kept(d.best, s) & ~keep  # candidates left out that matter at these multipliers
        if not more.any():
            break
        keep |= more
        lam0, theta0, eta0, mu0 = (hi.lam if hi.lam > 0 else lam0), hi.theta, hi.eta, hi.mu
    return out


def _split_on(node: _Node) -> int | None:
    """The candidate a node is split on: the dearest of its budget's critical candidates (taken on one side of the
    budget multiplier's jump, not on the other: the relaxation takes a fraction of it), else the dearest of its
    relaxed choice (with it fixed in, its pool's value is exact: a candidate that takes most of its pool is where
    the pools' tangents are loosest); None when none costs above :data:`_SPLIT` of the node's budget left."""
    p = node.ctx.prep
    for mask in ([] if node.lo is None else [node.lo.mask & ~node.hi.mask]) + [node.hi.mask]:
        ids = node.work.ids[mask]
        ids = ids[p.c[ids] > _SPLIT * p.Bres]
        if ids.size:
            return int(ids[np.argmax(p.c[ids])])
    return None


class _Memo:
    """Node bounds shared between budgets, where that is a proof (see :func:`_signature`): a node's bound ``D`` at
    budget ``b`` with budget multiplier ``lam`` (per unit of money) bounds the same node at every ``b' <= b`` by
    ``D - lam (b - b')``. Nodes are keyed by candidate numbers, not free indices (those differ between budgets)."""

    def __init__(self) -> None:
        self.seen: dict[tuple, list[tuple[float, float, float]]] = {}  # key: (budget, D, lam)

    @staticmethod
    def key(pt_sig: tuple, prep: _Prep, forced: tuple[int, ...], excl: tuple[int, ...]) -> tuple:
        return (pt_sig, frozenset(prep.free[list(forced)].tolist()), frozenset(prep.free[list(excl)].tolist()))

    def put(self, key: tuple, b: float, D: float, lam: float) -> None:
        if math.isfinite(D) and lam >= 0:
            self.seen.setdefault(key, []).append((b, D, lam))

    def get(self, key: tuple, b: float) -> tuple[float, float]:
        """The least bound at ``b`` from the same node at budgets from ``b`` up, as (bound at b, its lam)."""
        out = (math.inf, 0.0)
        for b2, D, lam in self.seen.get(key, ()):
            if b2 >= b and D - lam * (b2 - b) < out[0]:
                out = (D - lam * (b2 - b), lam)
        return out


class _Tree:
    """Branch and bound over one budget's dear candidates. A node is the set of plans that contain the candidates
    ``forced`` and none of ``excl``; its bound is the Lagrangian of those plans (:func:`_node_bound`). A node whose
    bound is below the threshold is dropped; otherwise it is split in two on a dear candidate (:func:`_split_on`):
    the plans with it and those without it; a node with none stays open as a leaf. Every plan of the brief lies in
    exactly one node that is waiting, a leaf or dropped, so the largest of their bounds is a certified bound
    (:meth:`bound`). Each bound is kept with its budget multiplier (per unit of money): for fixed multipliers a
    node's Lagrangian moves with the budget by ``lam x budget`` only, so the same partition bounds every smaller
    budget where that is a proof (:meth:`shifted`)."""

    def __init__(self, ctx: _Ctx, UB: float, duals: _Ev, sig: tuple | None = None) -> None:
        self.ctx = ctx
        lam = duals.lam / ctx.prep.B
        # waiting nodes: (-bound, order, forced, excluded, multipliers to start from, the bound's lam)
        self.heap: list[tuple[float, int, tuple[int, ...], tuple[int, ...], _Ev, float]] = \
            [(-UB, 0, (), (), duals, lam)]
        self.count = 1
        self.dropped = -math.inf  # the largest bound of a dropped node
        self.done: list[tuple[float, float]] = []  # (bound, lam) of every dropped node and leaf
        self.leaves: list[float] = []  # bounds of nodes that cannot be split
        self.nodes = 0  # nodes evaluated
        self.skipped = 0  # nodes dropped on a larger budget's bound of the same node, not evaluated
        self.root: _Node | None = None
        self.sig = sig  # what must be the same at another budget for bounds to move between them (None: never)
        self.memo: _Memo | None = None  # bounds shared with the other budgets (None: not a proof here)

    def top(self) -> float:
        """The largest bound of a node waiting to be evaluated (-inf: none)."""
        return -self.heap[0][0] if self.heap else -math.inf

    def bound(self) -> float:
        return max(self.dropped, self.top(), max(self.leaves, default=-math.inf))

    def shifted(self, b: float) -> float:
        """A certified bound at the smaller budget ``b`` (with the same :func:`_signature`) from this tree's
        nodes: the largest of their bounds moved down by ``lam x (budget - b)``."""
        db = self.ctx.prep.B - b
        out = -math.inf
        for D, lam in self.done:
            out = max(out, D - lam * db)
        for negD, *_, lam in self.heap:
            out = max(out, -negD - lam * db)
        return out

    def _drop(self, D: float, lam: float) -> None:
        self.dropped = max(self.dropped, D)
        self.done.append((D, lam))

    def step(self, T: float, F: float = -math.inf) -> np.ndarray | None:
        """Evaluate the waiting node of largest bound: drop it (bound below ``T``), split it or keep it as a leaf.
        Returns its relaxed choice (free indices, a plan once repaired and filled) when its bound is above ``F``
        (the best plan's value: no plan of the node beats it otherwise), else None."""
        negD, _, forced, excl, e, lam = heapq.heappop(self.heap)
        D = -negD
        p = self.ctx.prep
        key: tuple = ()
        if self.memo is not None and self.sig is not None:
            key = _Memo.key(self.sig, p, forced, excl)
            D2, lam2 = self.memo.get(key, p.B)
            if D2 < D:
                D, lam = D2, lam2
            if D < T:
                self._drop(D, lam)
                self.skipped += 1
                return None
        ex = np.zeros(p.nf, dtype=bool)
        ex[list(excl)] = True
        self.nodes += 1
        try:
            node = _node_bound(self.ctx, list(forced), ex, e)
        except SolverError:  # no multiplier found: the node keeps its parent's bound, unsplit
            self.leaves.append(D)
            self.done.append((D, lam))
            return None
        if node is None:  # no plan in this node (a proof)
            return None
        if self.root is None:
            self.root = node
        if self.memo is not None and key:
            self.memo.put(key, p.B, node.D, node.lam)
        if node.D < D:
            D, lam = node.D, node.lam
        plan = np.r_[np.asarray(forced, dtype=np.int64), node.work.ids[node.hi.mask]] if D > F else None
        if D < T:
            self._drop(D, lam)
            return plan
        j = _split_on(node)
        if j is None:
            self.leaves.append(D)
            self.done.append((D, lam))
            return plan
        for f2, x2 in ((forced + (j,), excl), (forced, excl + (j,))):
            heapq.heappush(self.heap, (-D, self.count, f2, x2, node.hi, lam))
            self.count += 1
        return plan


def _signature(prep: _Prep) -> tuple:
    """What must be the same at two budgets (besides the absence of platform minimum shares, :func:`_monotone`) for
    a node's bound to move from one to the other: the must-haves and the locked bloggers still open (a locked
    blogger with one candidate left is a must-have at small budgets). Then the candidates free at a budget are free
    at every larger one, and for fixed multipliers per unit of money only the budget's term of the Lagrangian moves
    (a platform's maximum share only lowers it further as the budget falls)."""
    locked = np.unique(prep.gid_all[prep.free[prep.lock_cands]]) if prep.lock_cands.size else np.zeros(0)
    return (tuple(prep.must_in.tolist()), tuple(locked.tolist()))


@dataclass
class _Point:
    """One budget of the sweep: its problem, the best plan found (free indices, exact value ``F``), its own
    certified bound ``UB`` (the envelope of larger budgets may certify a lower one), the candidates its heuristics
    search (``cand``) and its branch and bound (None when the brief was searched whole)."""

    b: float
    pb: Problem
    prep: _Prep
    target: float
    ctx: _Ctx
    true_F: Callable[[np.ndarray], float]
    items: np.ndarray
    F: float
    UB: float
    cand: np.ndarray
    tree: _Tree | None = None
    duals: _Ev | None = None  # the root's multipliers (the next budget's start)
    info: dict = field(default_factory=dict)
    seconds: float = 0.0
    closed: str | None = None  # the last pass's own status, where it ran

    def chosen(self) -> np.ndarray:
        return np.sort(np.concatenate([self.prep.must_in, self.prep.free[self.items]])).astype(np.int64)

    def offer(self, items: np.ndarray) -> bool:
        """A plan (free indices), repaired when it breaks the brief here and filled greedily: kept when better."""
        st = _State(self.ctx, np.unique(np.asarray(items, dtype=np.int64)))
        c2 = np.union1d(self.cand, st.items())
        if not st.feasible() and not _repair(self.ctx, st, c2):
            return False
        _greedy(self.ctx, st, c2)
        if st.value() <= self.F + 1e-12 * max(1.0, abs(self.F)):
            return False
        new = np.sort(st.items())
        F = self.true_F(new)
        if F <= self.F:
            return False
        self.items, self.F = new, F
        return True

    def gap(self, UB: float) -> float:
        UB = max(UB, self.F)
        return (UB - self.F) / UB if UB > 0 else 0.0

    def threshold(self) -> float:
        """Nodes bounded below this are dropped (the gap they leave is at most _PRUNE x target)."""
        if self.F == -math.inf:
            return -math.inf
        return self.F / (1.0 - _PRUNE * self.target) if self.F > 0 else 0.0


def _items_at(src: _Point, prep: _Prep) -> np.ndarray:
    """``src``'s plan as free indices of ``prep`` (candidates not free there are left out: the repair and the
    exact value decide the rest)."""
    loc = np.full(prep.n, -1, dtype=np.int64)
    loc[prep.free] = np.arange(prep.nf)
    items = loc[src.chosen()]
    return np.unique(items[items >= 0])


def _monotone(problem: Problem) -> bool:
    """Whether every plan at a budget is a plan at every larger budget: no platform has a minimum share (the cap
    per placement and the platforms' maximum shares only widen as the budget grows; the rest does not move)."""
    for lo, _hi in (problem.platform_bounds or {}).values():
        if lo is not None and lo > 0:
            return False
    return True


def budget_sweep(problem: Problem, budgets: Sequence[float] | np.ndarray, reach_weight: float, *,
                 normalisers: tuple[float, float], gap_target: float | None = None,
                 time_limit: float = 10.0, progress=None) -> list[Solution | None]:
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
            if g <= pt.target or pt.tree is None or pt.tree.top() < pt.threshold() or pt.tree.nodes >= _MAX_NODES:
                continue  # within target, or only leaves left above the threshold (the last pass closes those)
            if g > best:
                best, pick = g, i
        if pick is None:
            return
        pt = pts[pick]
        tree = pt.tree
        assert tree is not None
        t0 = time.perf_counter()
        plan = tree.step(pt.threshold(), pt.F)
        pt.UB = min(pt.UB, tree.bound())
        if plan is not None and pt.offer(plan) and mono:
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
