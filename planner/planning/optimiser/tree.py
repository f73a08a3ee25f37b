"""The branch and bound over a brief's dear candidates (:class:`_Tree`) and one budget's or weight's plan and bound
being improved by it (:class:`_Point`): a single solve (driver.solve, before its closing), the budget sweep and the
frontier use the same search.

Why: on a list where a few bloggers cost a large share of the budget and reach most of their pool (the shipped
sample), the Lagrangian bound (= the continuous relaxation) takes a fraction of them and sits 2-15 % above the best
plan, and a plan that can be certified within 1 % is built around the right ones. The tree splits the plans on those
candidates (both sides of each, every node bounded by the Lagrangian of its plans, its relaxed choice repaired and
filled into a plan): a few nodes close what the dual branching and a MILP on the rest take a second to close."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from planner.planning.optimiser.bound import _Dual, _Ev, _gstar, _lam_guess, _NoPlan, _SearchFailed
from planner.planning.optimiser.closing import _world, _world_empty, _world_ids
from planner.planning.optimiser.context import _Ctx, _Deadline
from planner.planning.optimiser.prep import _Prep, _Work
from planner.planning.optimiser.primal import _greedy, _repair, _State
from planner.planning.optimiser.problem import _EPS, Problem, SolverError

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

    def open(self, cap: int = _MAX_NODES) -> bool:
        """Whether its tree has a node worth evaluating (bounded above the threshold; fewer than ``cap`` evaluated)."""
        t = self.tree
        return t is not None and t.top() >= self.threshold() and t.nodes < cap

    def step(self) -> bool:
        """One node of its tree: the bound tightened by it and the node's plan offered. Whether the plan was kept."""
        assert self.tree is not None
        plan = self.tree.step(self.threshold(), self.F)
        self.UB = min(self.UB, self.tree.bound())
        return plan is not None and self.offer(plan)

    def grow(self, dl: _Deadline, cap: int = _MAX_NODES) -> None:
        """Its tree node after node while the gap is above target and a node is worth it, until ``dl`` is nearly
        over."""
        while not dl.nearly_over() and self.gap(self.UB) > self.target and self.open(cap):
            self.step()


def _items_at(src: _Point, prep: _Prep) -> np.ndarray:
    """``src``'s plan as free indices of ``prep`` (candidates not free there are left out: the repair and the
    exact value decide the rest)."""
    loc = np.full(prep.n, -1, dtype=np.int64)
    loc[prep.free] = np.arange(prep.nf)
    items = loc[src.chosen()]
    return np.unique(items[items >= 0])
