"""The solves: one reach weight (:func:`_solve_w`: bound, heuristics, closing), the normalisers (the pure
runs, cached on the problem), :func:`solve` and the exact value of any plan (:func:`evaluate`). The frontier is
:mod:`planner.planning.optimiser.tradeoff`."""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from planner.planning import reach as _reach
from planner.planning.optimiser.bound import _Bound, _bound, _Ev, _NoPlan
from planner.planning.optimiser.closing import _close
from planner.planning.optimiser.context import _Ctx, _Deadline, _Obj
from planner.planning.optimiser.milp import _region_enum
from planner.planning.optimiser.prep import _Prep, _prep_of
from planner.planning.optimiser.primal import _greedy, _improve, _repair, _State
from planner.planning.optimiser.problem import (
    GAP_LARGE,
    GAP_OPTIMAL,
    Infeasible,
    NoPlanInTime,
    Problem,
    ProblemError,
    Solution,
    default_gap_target,
)
from planner.planning.optimiser.tree import _Point, _Tree


def _exact(prep: _Prep, chosen: np.ndarray, pb_overlaps_pairs) -> tuple[float, float]:
    """(unique reach, niche value) of a plan given as original indices: both deduplicated the same way (niche
    value is the unique reach of the fit-weighted reaches ``f_j r_j``, see
    :func:`planner.planning.reach.niche_value`)."""
    chosen = np.asarray(chosen, dtype=np.int64)
    if chosen.size == 0:
        return 0.0, 0.0
    r = prep.reach_all[chosen]
    pools = prep.pool_all[chosen]
    pairs = None
    if pb_overlaps_pairs is not None:
        pi, pk, po = pb_overlaps_pairs
        loc = np.full(prep.n, -1, dtype=np.int64)
        loc[chosen] = np.arange(chosen.size)
        m = (loc[pi] >= 0) & (loc[pk] >= 0)
        if m.any():
            pairs = np.column_stack([loc[pi[m]], loc[pk[m]], po[m]])
    U = _reach.unique_reach(r, pools, prep.N, pairs)
    V = _reach.unique_reach(prep.fr_all[chosen], pools, prep.N, pairs)
    return U, V


def evaluate(problem: Problem, chosen, reach_weight: float, normalisers_: tuple[float, float] | None = None):
    """Exact (unique reach, niche value, objective F) of any plan (candidate indices)."""
    prep = _prep_of(problem)
    Us, Vs = normalisers_ if normalisers_ is not None else normalisers(problem)
    U, V = _exact(prep, np.unique(np.asarray(chosen, dtype=np.int64)), prep.pairs_orig)
    return U, V, reach_weight * U / Us + (1 - reach_weight) * V / Vs



@dataclass
class _Run:
    sol: Solution
    items: np.ndarray  # free indices
    lam: float | None
    theta: np.ndarray | None
    eta: np.ndarray | None
    UB_raw: float  # bound in objective units
    bound: _Bound | None = None  # the Lagrangian bound it started from (None when enumerated)


def _true_F(prep: _Prep, w: float, Us: float, Vs: float):
    """The exact objective of a plan given as free indices (must-haves added)."""
    def true_F(items_free: np.ndarray) -> float:
        chosen = np.sort(np.concatenate([prep.must_in, prep.free[items_free]]))
        U, V = _exact(prep, chosen, prep.pairs_orig)
        return w * U / Us + (1 - w) * V / Vs
    return true_F


def _solve_w(pb: Problem, prep: _Prep, w: float, Us: float, Vs: float, target: float, dl: _Deadline,
             warm: dict | None = None, close: bool = True, tree: bool = False) -> _Run:
    """One reach weight: the bound, the heuristics and (with ``close``, while the gap is above ``target``) the
    closing steps; with ``tree`` (no measured pairs) the branch and bound over dear candidates first
    (planner.planning.optimiser.tree: a few nodes often close what the closing takes a second to), with at most
    half of the time left."""
    t0 = time.perf_counter()
    obj = _Obj(prep, w, Us, Vs)
    ctx = _Ctx(prep, obj, dl)
    true_F = _true_F(prep, w, Us, Vs)

    # a brief with few plans (a handful of bloggers) is searched whole, exactly: its best plan and its bound
    enum = _region_enum(ctx, np.zeros(0, dtype=np.int64), np.arange(prep.nf), prep.X0, np.zeros(prep.K), 0.0, 0.0)
    if enum is not None:
        if enum[1] is None:
            raise Infeasible("budget_and_shares")  # every plan enumerated: none meets the brief
        items = np.sort(enum[1])
        F = true_F(items)
        top = max(enum[0], F)
        return _run(prep, items, F, top + 1e-12 * abs(top), w, Us, Vs, target, dl, None,
                    {"enumerated": True}, t0)
    try:
        bd = _bound(ctx, warm)
    except _NoPlan:  # nothing fits the budget (a proof)
        raise Infeasible("budget_and_shares") from None
    _remember_duals(pb, w, Us, Vs, bd.duals)
    cand = bd.cand

    starts = [bd.relaxed]
    if warm and warm.get("plans"):
        starts += [np.asarray(x, dtype=np.int64) for x in warm["plans"]]
    best_st = None
    best_val = -math.inf
    for items in starts:
        st = _State(ctx, items)
        c2 = np.union1d(cand, st.items())
        if not _repair(ctx, st, c2):
            continue
        _greedy(ctx, st, c2)
        v = st.value()
        if v > best_val + 1e-15:
            best_st, best_val = st, v
    # the best plan so far rebuilt around a dear candidate, when the bound leaves room for a better plan
    for j in _giants(ctx, best_st) if bd.UB - best_val > target * max(abs(bd.UB), 1e-300) else []:
        st = best_st.copy() if best_st is not None else _State(ctx, np.zeros(0, dtype=np.int64))
        st.put(j)
        c2 = np.union1d(cand, st.items())
        if not _repair(ctx, st, c2, keep=j):
            continue
        _greedy(ctx, st, c2)
        v = st.value()
        if v > best_val + 1e-15:
            best_st, best_val = st, v
    info: dict = {}
    if best_st is not None:
        c2 = np.union1d(cand, best_st.items())
        _improve(ctx, best_st, c2)
        items = np.sort(best_st.items())
        F = true_F(items)
    else:
        items = np.zeros(0, dtype=np.int64)
        F = -math.inf
    UB = bd.UB
    info["bound_passes"] = ctx.passes
    info["work"] = int(bd.cand.size)
    if tree and close and not prep.has_pairs and F > -math.inf and UB - F > target * max(UB, 1e-300) \
            and bd.duals is not None and not dl.expired():
        pt = _Point(float(pb.budget), pb, prep, target, ctx, true_F, items, F, UB, cand,
                    _Tree(ctx, float(UB), bd.duals))
        pt.grow(dl.share(0.5))
        items, F, UB = pt.items, pt.F, min(UB, pt.UB)
        info["tree_nodes"] = pt.tree.nodes if pt.tree is not None else 0
    if (close or F == -math.inf) and UB - F > target * max(UB, 1e-300) and bd.duals is not None \
            and not dl.expired():  # a quick run that found no plan still searches for one
        UB2, items2, F2, cinfo = _close(ctx, bd, items, F, target, true_F)
        info.update(cinfo)
        if F2 > F:
            items, F = np.sort(items2), F2
        UB = min(UB, UB2)
    if F == -math.inf:
        # "infeasible" only when proven: no free candidate to search, or the exact search (the MILP, or every side
        # of the dual branching bounded below any plan) found that no plan exists; otherwise the time ran out
        if bd.duals is None or UB == -math.inf:
            raise Infeasible("budget_and_shares")
        raise NoPlanInTime("time_limit", seconds=f"{dl.limit:g}")
    out = _run(prep, items, F, UB, w, Us, Vs, target, dl, bd.duals, info, t0)
    out.bound = bd
    return out


_DUALS_KEPT = 16  # multipliers of the last solves kept on a problem (a frontier starts from the plan on screen's)


def _remember_duals(pb: Problem, w: float, Us: float, Vs: float, duals: _Ev | None) -> None:
    """The multipliers of a solve's bound, kept on the problem by weight and normalisers (a few, the newest):
    :func:`remembered_duals` gives them to a later search at a nearby weight as its start."""
    if duals is None:
        return
    key = (float(w), float(Us), float(Vs))
    kept = {k: v for k, v in pb._cache.get("duals", {}).items() if k != key}  # a new dict: other threads may read
    kept[key] = duals
    pb._cache["duals"] = dict(list(kept.items())[-_DUALS_KEPT:])


def remembered_duals(pb: Problem, w: float, Us: float, Vs: float) -> _Ev | None:
    """The multipliers of the last bound searched on ``pb`` at weight ``w`` with normalisers ``(Us, Vs)`` (None
    when none was). A start only: any multipliers give a valid bound."""
    return pb._cache.get("duals", {}).get((float(w), float(Us), float(Vs)))


_GIANT_SHARE = 0.1  # a candidate costing more than this share of the budget left is a "giant"
_GIANT_STARTS = 3  # the most valuable giants each rebuild the best plan around them


def _giants(ctx: _Ctx, st: _State | None) -> list[int]:
    """The most valuable dear candidates not in the plan ``st`` (one per blogger): a swap (remove one, add one)
    cannot reach a plan in which one placement takes a large share of the budget from a plan of many small ones."""
    p, o = ctx.prep, ctx.obj
    big = np.flatnonzero(p.c > _GIANT_SHARE * p.Bres)
    if st is not None and big.size:
        big = big[st.ch[p.grp[big]] != big]
    if not big.size or _GIANT_STARTS <= 0:
        return []
    val = (o.vb[big] + o.coef1[p.pool[big]] * -np.expm1(-p.a[big])
           + o.coef1[p.P + p.pool[big]] * -np.expm1(-p.b[big]))
    order = big[np.lexsort((big, -val))]
    _, first = np.unique(p.grp[order], return_index=True)  # one per blogger, the most valuable first
    return order[np.sort(first)][:_GIANT_STARTS].tolist()


def _run(prep: _Prep, items: np.ndarray, F: float, UB: float, w: float, Us: float, Vs: float, target: float,
         dl: _Deadline, e: _Ev | None, info: dict, t0: float) -> _Run:
    """One reach weight's result: the plan (free items) with its exact value ``F`` and its bound ``UB``."""
    UB = max(UB, F)  # numerical guard: never report a bound below the plan itself
    gap = (UB - F) / UB if UB > 0 else 0.0
    gap = max(gap, 0.0)
    status = _status(gap, target, dl)
    chosen = np.sort(np.concatenate([prep.must_in, prep.free[items]])).astype(np.int64)
    U, V = _exact(prep, chosen, prep.pairs_orig)
    spend = {prep.plat_ids[k].item(): float(prep.cost_all[chosen][prep.kid_all[chosen] == k].sum())
             for k in range(prep.K)}
    sol = Solution(chosen=chosen, cost=float(prep.cost_all[chosen].sum()), unique_reach=U, niche_value=V,
                   objective=float(F), upper_bound=float(UB), gap=float(gap), reach_weight=float(w),
                   seconds=time.perf_counter() - t0, status=status, normalisers=(Us, Vs), gap_target=target,
                   platform_spend=spend, info=info)
    return _Run(sol, items, e.lam if e else None, e.theta if e else None, e.eta if e else None, float(UB))


def _status(gap: float, target: float, dl: _Deadline) -> str:
    if gap <= GAP_OPTIMAL:
        return "optimal"
    if gap <= target:
        return "gap_ok"
    if dl.nearly_over():  # stopped by the deadline (a MILP is not started in the last moments either)
        return "time_limit"
    return "gap_above_target"


def _provisional_scales(prep: _Prep) -> tuple[float, float]:
    """Rough sizes of the two terms (any positive numbers would do: the pure runs are rescaled afterwards)."""
    if prep.nf == 0:
        return 1.0, 1.0
    order = np.argsort(-prep.r / prep.cw, kind="stable")
    k = int(np.searchsorted(np.cumsum(prep.c[order]), prep.Bres)) + 1
    u = float(prep.r[order[:k]].sum()) + float(prep.reach_all[prep.must_in].sum())
    order = np.argsort(-prep.fr / prep.cw, kind="stable")
    k = int(np.searchsorted(np.cumsum(prep.c[order]), prep.Bres)) + 1
    v = float(prep.fr[order[:k]].sum()) + prep.fr_in
    return max(u, 1e-9), max(v, 1e-9)


def _merge(first: _Run, again: _Run, target: float, dl: _Deadline, keep_first: bool = False) -> _Run:
    """Two runs of one problem (same weight and normalisers): the better plan (with ``keep_first``, the first's)
    with the lower of the two (valid) bounds, its gap and status against ``target``."""
    best = first if keep_first or again.sol.objective < first.sol.objective else again
    s = copy.copy(best.sol)
    UB = max(min(first.UB_raw, again.UB_raw), s.objective)
    s.upper_bound = UB
    s.gap = max((UB - s.objective) / UB, 0.0) if UB > 0 else 0.0
    s.gap_target = target
    s.status = _status(s.gap, target, dl)
    s.seconds = first.sol.seconds + again.sol.seconds
    return _Run(s, best.items, best.lam, best.theta, best.eta, UB)


def _again(pb: Problem, prep: _Prep, run: _Run, w: float, Us: float, Vs: float, target: float,
           dl: _Deadline) -> _Run:
    """``run`` (bound and heuristics, not closed) solved on to ``target``: its bound closed from its plan."""
    bd = run.bound
    if bd is None or bd.duals is None or bd.scores is None or run.sol.objective == -math.inf:
        return _merge(run, run, target, dl)  # enumerated, or nothing to close: as good as it gets
    t0 = time.perf_counter()
    F = run.sol.objective
    if bd.UB - F <= target * max(bd.UB, 1e-300) or dl.expired():
        return _merge(run, run, target, dl)
    ctx = _Ctx(prep, _Obj(prep, w, Us, Vs), dl)
    UB2, items2, F2, info = _close(ctx, bd, run.items, F, target, _true_F(prep, w, Us, Vs))
    items = np.sort(items2) if F2 > F else run.items
    again = _run(prep, items, max(F, F2), min(run.UB_raw, UB2), w, Us, Vs, target, dl, bd.duals,
                 {**run.sol.info, **info}, t0)
    again.bound = bd
    return _merge(run, again, target, dl)


def _pure_runs(pb: Problem, prep: _Prep, target: float, dl: _Deadline, *, stage: str = "full",
               start: dict | None = None) -> dict:
    """Best plans for reach alone and for niche value alone (the normalisers), cached on the problem once both
    are certified; a run stopped by the deadline is not cached. Reach alone gets at most a third of the time
    left, niche alone at most half of what remains then, so the blend always keeps time of its own.

    ``stage``: "full" (each solved to ``target``), "quick" (bound and heuristics only: certified when that is
    already within ``target``), "close" (the quick runs ``start`` solved on to ``target``)."""
    key = ("pure", target)
    if key in pb._cache:
        return pb._cache[key]
    qkey = ("pure_quick", target)
    if stage == "quick" and qkey in pb._cache:
        return pb._cache[qkey]
    u0, v0 = _provisional_scales(prep)
    if stage == "close":
        assert start is not None
        ru = _again(pb, prep, start["ru"], 1.0, u0, 1.0, target, dl.share(1 / 3))
        rv = _again(pb, prep, start["rv"], 0.0, 1.0, v0, target, dl.share(0.5))
    else:
        close = stage != "quick"
        try:
            ru = _solve_w(pb, prep, 1.0, u0, 1.0, target, dl.share(1 / 3), close=close, tree=close)
        except NoPlanInTime:  # no plan found in its share: any plan is one for every weight, so it gets all the time
            if dl.nearly_over():
                raise
            ru = _solve_w(pb, prep, 1.0, u0, 1.0, target, dl, close=close, tree=close)
        rv = _solve_w(pb, prep, 0.0, 1.0, v0, target, dl.share(0.5), {"plans": [ru.items]}, close=close, tree=close)
    out = _pure(ru, rv, u0, v0, float(prep.N.sum()))
    if out["certified"] and stage != "close":
        _keep_pure(pb, target, out)
    elif stage == "quick" and "time_limit" not in (ru.sol.status, rv.sol.status):
        pb._cache[qkey] = out  # the same whatever the deadline: solving again starts from here
    return out


def _pure(ru: _Run, rv: _Run, u0: float, v0: float, people: float) -> dict:
    """The normalisers from the pure runs: their values, their runs, their bounds in people (never above
    ``people``, everybody in the pools), and whether both are within their gap target."""
    Us = ru.sol.unique_reach if ru.sol.unique_reach > 0 else 1.0
    Vs = rv.sol.niche_value if rv.sol.niche_value > 0 else 1.0
    return {"Us": Us, "Vs": Vs, "ru": ru, "rv": rv, "u0": u0, "v0": v0,
            # certified: no plan under this brief reaches more people / more niche value than these
            "U_bound": max(min(ru.UB_raw * u0, people), Us), "V_bound": max(min(rv.UB_raw * v0, people), Vs),
            # within the gap target, both: a run stopped by the deadline or above its target certifies nothing
            "certified": ru.sol.status in ("optimal", "gap_ok") and rv.sol.status in ("optimal", "gap_ok")}


def _keep_pure(pb: Problem, target: float, pr: dict) -> None:
    """Certified normalisers, cached on the problem: every later solve of it uses them."""
    pb._cache[("pure", target)] = pr
    pb._cache["normalisers"] = (pr["Us"], pr["Vs"])
    pb._cache["norm_info"] = _norm_info(pr)


_NORMALISER_INFO = ("unique_reach_max", "niche_value_max", "unique_reach_bound", "niche_value_bound",
                    "normalisers_certified")


def _norm_info(pr: dict) -> dict:
    return {"unique_reach_max": pr["Us"], "niche_value_max": pr["Vs"], "unique_reach_bound": pr["U_bound"],
            "niche_value_bound": pr["V_bound"], "normalisers_certified": pr["certified"]}


def normalisers(problem: Problem, *, gap_target: float | None = None, time_limit: float = 10.0,
                stop: Callable[[], bool] | None = None) -> tuple[float, float]:
    """(U*, V*): unique reach of the best plan for reach alone and (deduplicated) niche value of the best plan
    for niche value alone, under the brief's constraints. Each is the value of a found plan certified within the
    gap target (0.01 % up to 2,000 candidates, 0.5 % above) of that pure problem's optimum, so
    ``F <= 1 / (1 - gap)``, unless ``time_limit`` (one deadline for both) stopped them first.
    Computed once per problem and cached on it. A term that cannot be positive gets normaliser 1. ``stop``: the
    caller no longer wants them (the deadline passes at once, see _Deadline)."""
    prep = _prep_of(problem)
    if "normalisers" in problem._cache and gap_target is None:
        return problem._cache["normalisers"]
    target = gap_target if gap_target is not None else default_gap_target(prep.n)
    pr = _pure_runs(problem, prep, target, _Deadline(time_limit, stop=stop))
    return pr["Us"], pr["Vs"]


def _rescale(run: _Run, prep: _Prep, w: float, Us: float, Vs: float, scale: float) -> Solution:
    """A pure-term run re-expressed with the final normalisers (its plan and bound are unchanged)."""
    s = run.sol
    F = w * s.unique_reach / Us + (1 - w) * s.niche_value / Vs
    UB = max(run.UB_raw * scale, F)
    gap = (UB - F) / UB if UB > 0 else 0.0
    status = "optimal" if gap <= GAP_OPTIMAL else ("gap_ok" if gap <= s.gap_target else s.status)
    return Solution(chosen=s.chosen.copy(), cost=s.cost, unique_reach=s.unique_reach, niche_value=s.niche_value,
                    objective=F, upper_bound=UB, gap=gap, reach_weight=w, seconds=s.seconds, status=status,
                    normalisers=(Us, Vs), gap_target=s.gap_target, platform_spend=dict(s.platform_spend),
                    info=dict(s.info))


def _finish(sol: Solution, pb: Problem, pr: dict | None, t0: float) -> Solution:
    """Attach the normalisers' certificates (when known: computed for this problem, and the ones used) and the
    wall time."""
    info = _norm_info(pr) if pr is not None else pb._cache.get("norm_info")
    if info is not None and pr is None and pb._cache.get("normalisers") != sol.normalisers:
        info = None  # the caller's normalisers, not this problem's: their certificates are not known here
    if info is not None:
        sol.info.update(info)
        sol.unique_reach_bound = info["unique_reach_bound"]
        sol.niche_value_bound = info["niche_value_bound"]
    sol.seconds = time.perf_counter() - t0
    return sol


def _start_items(prep: _Prep, starts: Sequence[Sequence[int] | np.ndarray]) -> list[np.ndarray]:
    """Plans given as candidate indices, as free indices (must-haves and candidates that are not free, e.g.
    excluded or above the budget left, are left out; the heuristics repair the rest)."""
    loc = np.full(prep.n, -1, dtype=np.int64)
    loc[prep.free] = np.arange(prep.nf)
    out = []
    for plan in starts:
        idx = np.asarray(list(plan), dtype=np.int64).ravel()
        idx = loc[idx[(idx >= 0) & (idx < prep.n)]]
        out.append(np.unique(idx[idx >= 0]))
    return out


def solve(problem: Problem, reach_weight: float, *, gap_target: float | None = None, time_limit: float = 10.0,
          normalisers: tuple[float, float] | None = None, starts: Sequence[Sequence[int] | np.ndarray] = (),
          _warm: dict | None = None, stop: Callable[[], bool] | None = None) -> Solution:
    """Best plan for ``F = w U/U* + (1-w) V/V*`` with a proven upper bound (see the module docstring).

    ``gap_target``: stop once ``(upper_bound - objective) / upper_bound`` is at most this (default 0.01 %
    up to 2,000 candidates, 0.5 % above). ``normalisers``: ``(U*, V*)``; computed (and cached) when omitted.
    Any positive pair is a valid choice (they only scale the two terms; the certificate holds for the pair
    used): e.g. a previous plan's, after a lock or a kick-out. ``starts``: plans (candidate indices) the
    heuristics also start from, e.g. the previous plan after a lock or a kick-out; a start that breaks the brief
    is repaired, one naming a candidate that is not free (a must-have, excluded) loses it. Starts only speed
    the search up: the plan returned and its bound are valid whatever they are.
    ``time_limit``: one deadline (seconds) for everything, normalisers included; a solve it stops returns its
    best plan with a valid bound and status "time_limit"; so does one whose ``stop`` answers True (the caller no
    longer wants it: the deadline passes at once).
    Raises :class:`Infeasible` with a plain-language reason when no plan meets the brief.
    """
    t0 = time.perf_counter()
    dl = _Deadline(time_limit, stop=stop)
    w = float(reach_weight)
    if not 0.0 <= w <= 1.0:
        raise ProblemError("reach_weight_value")
    prep = _prep_of(problem)
    target = gap_target if gap_target is not None else default_gap_target(prep.n)
    start_plans = _start_items(prep, starts)
    if normalisers is not None and problem._cache.get("normalisers") == (float(normalisers[0]),
                                                                           float(normalisers[1])):
        normalisers = None  # this problem's own: its cached pure runs (and their certificates) apply
    pr = None
    if normalisers is None:
        if w in (0.0, 1.0):  # a pure run is the plan itself and gets the full target
            pr = _pure_runs(problem, prep, target, dl)
            Us, Vs = pr["Us"], pr["Vs"]
            if w == 1.0:
                return _finish(_rescale(pr["ru"], prep, 1.0, Us, Vs, pr["u0"] / Us), problem, pr, t0)
            return _finish(_rescale(pr["rv"], prep, 0.0, Us, Vs, pr["v0"] / Vs), problem, pr, t0)
        return _blend(problem, prep, w, target, dl, start_plans, _warm, t0)
    Us, Vs = (float(normalisers[0]) or 1.0), (float(normalisers[1]) or 1.0)
    warm = _warm
    cached = problem._cache.get(("pure", target)) or problem._cache.get(("pure", max(target, GAP_LARGE)))
    if warm is None and (start_plans or cached is not None):
        pure = [cached["ru"].items, cached["rv"].items] if cached is not None else []
        warm = {"plans": [*start_plans, *pure]}
    run = _solve_w(problem, prep, w, Us, Vs, target, dl, warm, tree=True)
    return _finish(run.sol, problem, None, t0)


def _same_array(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and bool(np.array_equal(a, b))


def restricts(new: Problem, old: Problem) -> bool:
    """Whether every plan of ``new`` is a plan of ``old`` with the same objective: the same candidates (every
    array equal), budgets, caps, shares and measured pairs, and at least ``old``'s must-haves, exclusions and locks
    (a lock or a kick-out added, nothing else). Then ``old``'s certified bound holds for ``new`` too."""
    if new is old:
        return True
    arrays = ("cost", "reach", "fit", "pool", "blogger", "platform", "pool_size", "units")
    if not all(_same_array(getattr(new, a), getattr(old, a)) for a in arrays):
        return False
    if (float(new.budget), new.max_share, new.units_budget) != (float(old.budget), old.max_share, old.units_budget):
        return False
    if dict(new.platform_bounds) != dict(old.platform_bounds):
        return False
    pairs = (None if new.overlaps is None else sorted(tuple(map(float, t)) for t in new.overlaps),
             None if old.overlaps is None else sorted(tuple(map(float, t)) for t in old.overlaps))
    if pairs[0] != pairs[1]:
        return False
    return all({int(i) for i in getattr(old, f)} <= {int(i) for i in getattr(new, f)}
               for f in ("must_in", "must_out", "must_bloggers"))


def carried(old: Problem, solution: Solution, new: Problem) -> Solution | None:
    """``solution`` (a plan of ``old``) as the answer for ``new``, when that needs no search: ``new`` only adds
    locks or kick-outs (:func:`restricts`) that the plan already keeps (it books every newly locked blogger and
    none kicked out). Its objective is unchanged and ``old``'s bound covers every plan of ``new``, so its gap and
    status hold as they are (a copy, ``info["carried"]`` true). None when a search is needed."""
    if not restricts(new, old):
        return None
    chosen = np.asarray(solution.chosen, dtype=np.int64)
    blogger = np.asarray(new.blogger)
    if (not {int(i) for i in new.must_in} <= set(chosen.tolist())
            or {int(i) for i in new.must_out} & set(chosen.tolist())
            or not {int(b) for b in new.must_bloggers} <= {int(b) for b in blogger[chosen].tolist()}):
        return None
    out = copy.copy(solution)
    out.chosen = chosen.copy()
    out.info = {**solution.info, "carried": True}
    out.platform_spend = dict(solution.platform_spend)
    out.seconds = 0.0
    return out


def _blend(problem: Problem, prep: _Prep, w: float, target: float, dl: _Deadline, start_plans: list[np.ndarray],
           warm: dict | None, t0: float) -> Solution:
    """A blend (0 < w < 1) with its own normalisers. They are only its scales: any positive (U*, V*) leaves the
    blend's certificate valid, so they are found to the large gap target, and the blend comes first under the
    deadline: the pure runs' bound and heuristics (quick), and when that already certifies them (the usual case),
    the blend with them; otherwise the blend with the quick ones, then the pure runs closed with the time left and,
    if that changed the normalisers, the blend again from its plan with the certified ones (kept when it is at least
    as good, or certified). So more time never leaves a worse blend, and a short deadline goes to the plan the user
    sees rather than to its scales."""
    pure_target = max(target, GAP_LARGE)
    pr = _pure_runs(problem, prep, pure_target, dl, stage="quick")

    def plans(p: dict) -> dict:
        return warm or {"plans": [*start_plans, p["ru"].items, p["rv"].items]}

    first = _solve_w(problem, prep, w, pr["Us"], pr["Vs"], target, dl, plans(pr), tree=True)
    if pr["certified"] or dl.expired():
        return _finish(first.sol, problem, pr, t0)
    closed = _pure_runs(problem, prep, pure_target, dl, stage="close", start=pr)
    if not closed["certified"]:
        return _finish(first.sol, problem, pr, t0)
    # the quick plans with the closed runs' bounds: when these certify them, the blend keeps its scales
    kept = _pure(_merge(pr["ru"], closed["ru"], pure_target, dl, keep_first=True),
                 _merge(pr["rv"], closed["rv"], pure_target, dl, keep_first=True), pr["u0"], pr["v0"],
                 float(prep.N.sum()))
    if kept["certified"]:
        _keep_pure(problem, pure_target, kept)
        return _finish(first.sol, problem, kept, t0)
    _keep_pure(problem, pure_target, closed)
    again: dict = {"plans": [first.items, closed["ru"].items, closed["rv"].items]}
    if first.lam is not None:
        again.update(lam=first.lam, theta=first.theta, eta=first.eta)
    second = _solve_w(problem, prep, w, closed["Us"], closed["Vs"], target, dl, again, tree=True)
    if second.sol.status in ("optimal", "gap_ok") or second.sol.gap <= first.sol.gap:
        return _finish(second.sol, problem, closed, t0)
    return _finish(first.sol, problem, pr, t0)
