"""What-if scenarios: a brief's plans at many budgets (the budget sweep), a scenario's plan with P10 / P50 / P90
bands, and named scenarios compared side by side.

**Inputs** are frozen, validated dataclasses: a :class:`Scenario` is a brief (planner.planning.plan.Brief, whose
product budget, when it has one, makes a mixed paid-and-barter plan: the scenario's barter settings), its
:class:`Assumptions` (reach rates and pool sizes scaled, the barter post rate moved, the Monte Carlo's ranges) and
a :class:`SweepSpec` (which budgets).

**Solving** (:func:`plan_scenario`, then :func:`plan_curve`): one candidate build (at the largest budget; a cap
per placement as a share of the budget is applied per budget by the optimiser); the blend's normalisers computed
once at the brief's budget and shared by every budget (any positive pair keeps a blend's certificate valid, and
one pair keeps the reach/niche exchange rate the same along the curve, so the scenario's plan is the Plan page's
plan, within the gaps); the scenario's plan; then the curve's budgets, each warm-started from its
smaller neighbour's plan and multipliers, with plans built around a candidate costing a large share of the
budget as extra starts (planner.planning.optimiser.budget_sweep). The plan and every point are solved to the
large gap target (0.5 %: a what-if needs its shape, not the last half per cent; the Plan page closes small briefs
to 0.01 %). Every point carries its certificate (gap, status) as it is.

**Evaluating** (:func:`evaluate`, no solve): the plan's placements and totals, each point's figures, the
**marginal reach** per extra 100 000 of the brief's currency between neighbouring budgets, the **flattening
point** (:func:`flattening`: the first budget from which every further step buys less than half the reach per
money the first quarter of the curve bought) and the **bands** (planner.planning.uncertainty: P10 / P50 / P90 of
unique reach, engagements and orders by Monte Carlo, one draw per placement shared by every budget, so the bands
move smoothly along the curve; earlier campaigns' forecast errors widen or narrow them when the caller passes
them: planner.campaigns.scenarios.forecast_errors). The post-rate lever re-counts the plan's barter and hybrid
placements at the moved rate (expected posts = acceptance x post rate); the plan is not re-optimised for it.

:func:`run` does both. Results are tidy tables (:attr:`SweepResult.points`, :attr:`ScenarioResult.bands`,
:func:`compare`'s tables); pages and exports format them and never compute them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from planner.core.errors import CodedError
from planner.core.numbers import finite_or_nan, is_finite
from planner.core.schema import CURRENCIES
from planner.estimates import benchmarks, metrics
from planner.estimates.benchmarks import Band, Benchmarks
from planner.planning import optimiser, plan, reach
from planner.planning import uncertainty as unc

DEFAULT_POINTS = 20
MIN_POINTS, MAX_POINTS = 3, 60
DEFAULT_FROM, DEFAULT_TO = 0.5, 2.0  # of the brief's budget
PER = 100_000.0  # marginal reach per this much extra money (of the brief's currency)
FLATTEN_THRESHOLD = 0.5
CURVE_GAP = optimiser.GAP_LARGE  # gap target of the curve's points
CURVE_SAMPLES = 400  # Monte Carlo samples per curve point (the first of the scenario's own draws)
MAX_NAME = 200
MIN_POST_RATE = 0.01

# Where each figure of a sweep point or a scenario's totals comes from (the pages and exports say it).
SOURCES: dict[str, str] = {
    "budget": "brief",
    "cost": "quoted: the bloggers' prices (estimated ≈ only where the brief allows estimated prices)",
    "cash_cost": "quoted: cash fees of the plan",
    "product_cost": "brief: product at cost price + shipping, barter and hybrid placements",
    "total_cost": "quoted: cash fees + product cost",
    "unique_reach": "estimated ≈: the plan's reach model (measured reach where the data has it, Sainsbury in pools)",
    "niche_value": "estimated ≈: fit-weighted unique reach",
    "impressions": "estimated ≈: reach x the format's impressions factor (Modash)",
    "engagements": "estimated ≈: reach x the blogger's engagement rate",
    "orders": "assumption: impressions x click-through rate x conversion (the brief's rates)",
    "cpm": "estimated ≈: cost / impressions x 1000",
    "cpm_unique": "estimated ≈: cost / unique reach x 1000",
    "bloggers": "the plan",
    "expected_posts": "estimated ≈: acceptance x post rate of barter and hybrid placements, 1 for paid",
    "marginal_reach": "estimated ≈: extra unique reach between neighbouring budgets, per 100 000",
    "bands": "estimated ≈: Monte Carlo over the inputs' ranges (P10 / P50 / P90)",
    "flattening_budget": "estimated ≈: first budget from which each step buys under half the early reach per money",
}


class ScenarioError(CodedError, ValueError):
    """A scenario that cannot be planned (plain-language message; ``code`` and ``params`` for a translation,
    planner.core.i18n ``scen.error.<code>``)."""

    TEXTS: dict[str, str] = {
        "brief": "a scenario needs a brief",
        "budget": "the budget must be a positive number, got {value}",
        "points": "points must be a whole number from {lo} to {hi}, got {value}",
        "range": "the sweep needs 0 < from < to, got from {start} to {stop}",
        "factor": "{name} must be a number from {lo} to {hi}, got {value}",
        "shift": "the post-rate shift must lie between -0.5 and 0.5, got {value}",
        "name": "a scenario's name must be at most {n} characters",
        "currency": "unknown currency {value}",
        "no_plan": "no plan fits the brief at its budget",
    }

    MESSAGES = TEXTS
    I18N_PREFIX = "scen.error."


# ---- inputs ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SweepSpec:
    """Which budgets a sweep plans: ``points`` budgets evenly from ``start`` to ``stop`` (amounts in the brief's
    currency; None: half and twice the brief's budget)."""

    start: float | None = None
    stop: float | None = None
    points: int = DEFAULT_POINTS

    def __post_init__(self) -> None:
        p = self.points
        if not is_finite(p) or float(p) != int(float(p)) or not MIN_POINTS <= int(float(p)) <= MAX_POINTS:
            raise ScenarioError("points", lo=MIN_POINTS, hi=MAX_POINTS, value=repr(p))
        object.__setattr__(self, "points", int(float(p)))
        for name in ("start", "stop"):
            v = getattr(self, name)
            if v is not None:
                if not is_finite(v) or float(v) <= 0:
                    raise ScenarioError("range", start=repr(self.start), stop=repr(self.stop))
                object.__setattr__(self, name, float(v))
        if self.start is not None and self.stop is not None and not self.start < self.stop:
            raise ScenarioError("range", start=repr(self.start), stop=repr(self.stop))

    def budgets(self, budget: float) -> np.ndarray:
        """The sweep's budgets for a brief of ``budget``."""
        lo = self.start if self.start is not None else DEFAULT_FROM * budget
        hi = self.stop if self.stop is not None else DEFAULT_TO * budget
        if not lo < hi:
            raise ScenarioError("range", start=repr(lo), stop=repr(hi))
        grid = np.linspace(lo, hi, self.points)
        if lo <= budget <= hi:  # the brief's own budget is a point: the curve there is the brief's plan
            grid[int(np.argmin(np.abs(grid - budget)))] = float(budget)
        return grid

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Assumptions:
    """What-if levers on the plan's inputs and the Monte Carlo's ranges, each an editable assumption:

    - ``reach_rate_factor``: x every benchmark reach rate (reach estimated from followers; measured reach and
      reach from measured views are kept as they are);
    - ``pool_size_factor``: x every audience pool's size (people interested in the niche in the target);
    - ``post_rate_shift``: added to every barter and hybrid post rate (e.g. -0.10: ten points lower);
    - ``ranges``: the Monte Carlo's ranges, correlation, samples and seed (planner.planning.uncertainty.Ranges);
    - ``use_history``: let earlier campaigns' forecast errors widen or narrow the bands.
    """

    reach_rate_factor: float = 1.0
    pool_size_factor: float = 1.0
    post_rate_shift: float = 0.0
    ranges: unc.Ranges = field(default_factory=unc.Ranges)
    use_history: bool = True

    def __post_init__(self) -> None:
        for name, lo, hi in (("reach_rate_factor", 0.1, 10.0), ("pool_size_factor", 0.1, 10.0)):
            v = getattr(self, name)
            if not is_finite(v) or not lo <= float(v) <= hi:
                raise ScenarioError("factor", name=name, lo=lo, hi=hi, value=repr(v))
            object.__setattr__(self, name, float(v))
        v = self.post_rate_shift
        if not is_finite(v) or not -0.5 <= float(v) <= 0.5:
            raise ScenarioError("shift", value=repr(v))
        object.__setattr__(self, "post_rate_shift", float(v))
        if not isinstance(self.ranges, unc.Ranges):
            object.__setattr__(self, "ranges", unc.Ranges.from_dict(self.ranges))  # type: ignore[arg-type]
        object.__setattr__(self, "use_history", bool(self.use_history))

    def to_dict(self) -> dict[str, Any]:
        return {"reach_rate_factor": self.reach_rate_factor, "pool_size_factor": self.pool_size_factor,
                "post_rate_shift": self.post_rate_shift, "ranges": self.ranges.to_dict(),
                "use_history": self.use_history}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Assumptions:
        data = dict(data or {})
        kw: dict[str, Any] = {k: data[k] for k in ("reach_rate_factor", "pool_size_factor", "post_rate_shift",
                                                   "use_history") if k in data}
        kw["ranges"] = unc.Ranges.from_dict(data.get("ranges"))
        return cls(**kw)


@dataclass(frozen=True)
class Scenario:
    """A named what-if: the brief (with its product budget: the barter settings), its assumptions and the sweep's
    budgets. The brief is not copied: treat it as read-only."""

    brief: plan.Brief
    assumptions: Assumptions = field(default_factory=Assumptions)
    sweep: SweepSpec = field(default_factory=SweepSpec)
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.brief, plan.Brief):
            raise ScenarioError("brief")
        b = self.brief.budget
        if not is_finite(b) or float(b) <= 0:
            raise ScenarioError("budget", value=repr(b))
        if self.brief.currency not in CURRENCIES:
            raise ScenarioError("currency", value=repr(self.brief.currency))
        name = str(self.name or "").strip()
        if len(name) > MAX_NAME:
            raise ScenarioError("name", n=MAX_NAME)
        object.__setattr__(self, "name", name)
        self.sweep.budgets(float(b))  # the range must make sense for this budget

    @property
    def budget(self) -> float:
        return float(self.brief.budget)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "brief": self.brief.to_dict(), "assumptions": self.assumptions.to_dict(),
                "sweep": self.sweep.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """The scenario :meth:`to_dict` wrote (a stored one). Raises ScenarioError, planner.planning.plan.BriefError
        or planner.planning.uncertainty.UncertaintyError on values that cannot be used, TypeError / ValueError on a
        malformed dict."""
        fields_ = plan.Brief.__dataclass_fields__
        brief = plan.Brief.from_dict({k: v for k, v in dict(data.get("brief") or {}).items() if k in fields_})
        sweep = data.get("sweep") or {}
        return cls(brief=brief, assumptions=Assumptions.from_dict(data.get("assumptions")),
                   sweep=SweepSpec(**{k: sweep[k] for k in ("start", "stop", "points") if k in sweep}),
                   name=str(data.get("name") or ""))


# ---- building blocks ---------------------------------------------------------------------------------------
def scaled_benchmarks(bench: Benchmarks, factor: float) -> Benchmarks:
    """The benchmarks with every reach rate (band and typical) x ``factor`` (capped at 1: a post reaches at most
    every follower), the source saying so."""
    if factor == 1.0:
        return bench
    table = {k: Band(min(b.low * factor, 1.0), min(b.high * factor, 1.0), min(b.typical * factor, 1.0),
                     f"user setting: {factor:g} x ({b.source})") for k, b in bench.reach_rate.items()}
    return replace(bench, reach_rate=table)


def pool_overrides(df: pd.DataFrame, brief: plan.Brief, factor: float,
                   base: Mapping[str, float] | None = None) -> dict[str, float] | None:
    """Pool sizes x ``factor`` for every pool the brief can use (``base`` overrides the default sizes first)."""
    if factor == 1.0 and not base:
        return None
    keys = plan.pool_key(df, brief).unique().tolist() if len(df) else []
    sizes = plan.default_pool_sizes([str(k) for k in keys])
    sizes.update({k: float(v) for k, v in (base or {}).items() if k in sizes and is_finite(v) and float(v) > 0})
    return {k: v * factor for k, v in sizes.items()}


def marginal_per(budgets: Sequence[float], values: Sequence[float], per: float = PER) -> np.ndarray:
    """Extra ``values`` per ``per`` extra money between neighbouring budgets, one per point (NaN for the first and
    around a missing value)."""
    b = np.asarray(budgets, dtype=float)
    v = np.asarray(values, dtype=float)
    out = np.full(b.size, np.nan)
    if b.size < 2:
        return out
    db = np.diff(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[1:] = np.where(db > 0, np.diff(v) / np.where(db > 0, db, 1.0) * per, np.nan)
    return out


def flattening(budgets: Sequence[float], values: Sequence[float], threshold: float = FLATTEN_THRESHOLD) -> float | None:
    """The budget where returns flatten: the first budget from which every further step between neighbouring
    budgets buys less than ``threshold`` x the value per money of the first quarter of the curve (at least one
    step). None when returns never fall that low (or the curve is too short, or flat from the start)."""
    b = np.asarray(budgets, dtype=float)
    v = np.asarray(values, dtype=float)
    ok = np.isfinite(b) & np.isfinite(v)
    b, v = b[ok], v[ok]
    if b.size < 3:
        return None
    o = np.argsort(b, kind="stable")
    b, v = b[o], v[o]
    db = np.diff(b)
    slope = np.diff(v) / np.where(db > 0, db, np.nan)
    early = max(1, int(round((b.size - 1) / 4)))
    ref = (v[early] - v[0]) / (b[early] - b[0]) if b[early] > b[0] else np.nan
    if not (np.isfinite(ref) and ref > 0):
        return None
    low = np.where(np.isfinite(slope), slope < threshold * ref, True)
    for i in range(slope.size):  # the first step after which every step stays low
        if low[i:].all():
            return float(b[i])
    return None


# ---- solving -----------------------------------------------------------------------------------------------
@dataclass
class Solved:
    """A scenario's plans: candidates, the normalisers every budget shares, the scenario's plan (``main``) and,
    after :func:`plan_curve`, the curve's budgets and plans (None where no plan fits)."""

    candidates: plan.Candidates
    normalisers: tuple[float, float]
    bench: Benchmarks
    main: optimiser.Solution
    budgets: np.ndarray
    curve: list[optimiser.Solution | None] | None = None
    seconds: float = 0.0
    curve_seconds: float = 0.0


def _at_budget(pb: optimiser.Problem, budget: float) -> optimiser.Problem:
    return replace(pb, budget=float(budget))


def plan_scenario(df: pd.DataFrame, scenario: Scenario, *, bench: Benchmarks | None = None,
                  time_limit: float = 10.0, stop: Callable[[], bool] | None = None) -> Solved:
    """Candidates, shared normalisers and the scenario's plan at its budget (one deadline, ``time_limit``).

    ``df``: the enriched bloggers of the brief's list (planner.campaigns.lists.bloggers_for). The exchange rates,
    pool sizes (before the scenario's factor), measured overlaps, locks and kick-outs are the brief's. Raises
    planner.planning.plan.BriefError, or ScenarioError("no_plan") when no plan fits the brief at its budget.
    ``stop``: as in :func:`plan_curve`."""
    t0 = time.perf_counter()
    a = scenario.assumptions
    brief = scenario.brief
    bench_s = scaled_benchmarks(bench or benchmarks.Benchmarks.default(), a.reach_rate_factor)
    grid = scenario.sweep.budgets(brief.budget)
    top = float(max(grid.max(), brief.budget))
    pools = pool_overrides(df, brief, a.pool_size_factor, brief.pool_sizes)
    cands = plan.build_candidates(df, replace(brief, budget=top, pool_sizes=brief.pool_sizes if pools is None
                                              else pools), bench=bench_s)
    end = t0 + time_limit
    ref = _at_budget(cands.problem, brief.budget)
    gap = max(optimiser.default_gap_target(ref.n), CURVE_GAP)
    try:
        norm = optimiser.normalisers(ref, gap_target=gap, time_limit=max(end - time.perf_counter(), 0.05) / 2,
                                     stop=stop)
        main = optimiser.solve(ref, brief.reach_weight, normalisers=norm, gap_target=gap,
                               time_limit=max(end - time.perf_counter(), 0.05), stop=stop)
    except optimiser.Infeasible as exc:
        raise ScenarioError("no_plan") from exc
    return Solved(candidates=cands, normalisers=norm, bench=bench_s, main=main, budgets=grid,
                  seconds=time.perf_counter() - t0)


def plan_curve(solved: Solved, scenario: Scenario, *, time_limit: float = 10.0,
               progress: Callable[[int, int], None] | None = None,
               stop: Callable[[], bool] | None = None) -> Solved:
    """``solved`` with the curve's plans (one deadline for all of them; ``progress(done, total)`` after each
    budget; ``stop``: the caller no longer wants it, see optimiser.budget_sweep): a new object, ``solved`` itself
    is never changed (it may be shared between sessions)."""
    t0 = time.perf_counter()
    curve = optimiser.budget_sweep(solved.candidates.problem, solved.budgets, scenario.brief.reach_weight,
                                          normalisers=solved.normalisers, gap_target=CURVE_GAP,
                                          time_limit=time_limit, progress=progress, stop=stop)
    own = np.flatnonzero(solved.budgets == float(scenario.brief.budget))
    main = solved.main
    if own.size:  # at the brief's own budget the curve and the scenario tell one plan: the better of the two
        best = _with_bound(solved.main, curve[int(own[0])], solved.normalisers)
        curve[int(own[0])] = best
        main = best if best is not None else main
    return replace(solved, main=main, curve=curve, curve_seconds=time.perf_counter() - t0)


def _with_bound(main: optimiser.Solution | None, swept: optimiser.Solution | None,
                normalisers: tuple[float, float]) -> optimiser.Solution | None:
    """The scenario's plan at its own budget after the sweep: the better of its own plan and the sweep's plan there
    (the page's short solve may have stopped at a poorer one), certified by the lower of the two bounds (both bound
    every plan of the same budget and blend, with the same normalisers), so a plan the short solve could not certify
    is certified by the sweep's longer search. A new object; ``main`` itself when the two cannot be compared."""
    if main is None or swept is None or not np.allclose(main.normalisers, normalisers) \
            or not np.allclose(swept.normalisers, normalisers):
        return main
    best = swept if float(swept.objective) > float(main.objective) else main
    bound = max(min(float(main.upper_bound), float(swept.upper_bound)), float(best.objective))
    if best is main and bound >= float(main.upper_bound):
        return main
    gap = (bound - best.objective) / bound if bound > 0 else 0.0
    target = float(main.gap_target)
    status = "optimal" if gap <= optimiser.GAP_OPTIMAL else "gap_ok" if gap <= target else best.status
    return replace(best, upper_bound=bound, gap=gap, status=status, gap_target=target)


# ---- evaluating ----------------------------------------------------------------------------------------------
class _Facts:
    """Per-candidate figures the evaluation sums over a plan: reach, impressions factor, engagement rate, the
    deal and its expected posts (moved by the post-rate lever), cash and product cost."""

    def __init__(self, cands: plan.Candidates, df: pd.DataFrame, bench: Benchmarks, shift: float):
        f = cands.frame
        n = len(f)
        pos = f["pos"].to_numpy(dtype=np.int64)
        self.frame = f
        self.reach = f["reach"].to_numpy(dtype=float)
        self.imp = metrics.impressions_factor(f["format"].astype(str).to_numpy(), bench=bench)
        er = df["engagement_rate"].to_numpy(dtype=float, na_value=np.nan) if "engagement_rate" in df else \
            np.full(len(df), np.nan)
        self.er = er[pos] if n else np.zeros(0)
        est = (df["engagement_rate_estimated"].astype("boolean").fillna(True).to_numpy(dtype=bool)
               if "engagement_rate_estimated" in df else np.ones(len(df), dtype=bool))
        self.er_est = est[pos] if n else np.zeros(0, dtype=bool)
        followers = df["followers"].to_numpy(dtype=float, na_value=np.nan) if "followers" in df else \
            np.full(len(df), np.nan)
        codes = benchmarks.tier_codes(followers[pos] if n else np.zeros(0), bench.tier_bounds)
        # no followers, no tier ("", as plan.describe): never the smallest tier's ranges
        self.tier = np.asarray([*benchmarks.TIERS, ""], dtype=object)[codes] if n else np.zeros(0, object)
        self.deal = f["deal"].astype(str).to_numpy() if "deal" in f else np.full(n, "paid", dtype=object)
        posts = f["expected_posts"].to_numpy(dtype=float) if "expected_posts" in f else np.ones(n)
        posts = np.where(np.isfinite(posts) & (posts > 0), posts, 1.0)
        self.reach_posted = (f["reach_posted"].to_numpy(dtype=float) if "reach_posted" in f
                             else self.reach / posts)
        acc = f["acceptance"].to_numpy(dtype=float) if "acceptance" in f else np.full(n, np.nan)
        rate = f["post_rate"].to_numpy(dtype=float) if "post_rate" in f else np.full(n, np.nan)
        deal_row = self.deal != "paid"
        moved = np.where(deal_row & np.isfinite(acc) & np.isfinite(rate),
                         acc * np.clip(rate + shift, MIN_POST_RATE, 1.0), posts)
        self.posts = np.where(deal_row, moved, 1.0)
        self.factor = np.where(posts > 0, self.posts / posts, 1.0)  # x the candidate's (expected) reach
        self.cash = f["cost"].to_numpy(dtype=float)
        self.product = f["product_cost"].to_numpy(dtype=float) if "product_cost" in f else np.zeros(n)
        self.units = f["product_units"].to_numpy(dtype=float) if "product_units" in f else np.zeros(n)

    def rows(self, idx: np.ndarray) -> pd.DataFrame:
        """The Monte Carlo's view of candidates ``idx`` (planner.planning.uncertainty.placement_inputs)."""
        f = self.frame.iloc[idx]
        return pd.DataFrame({
            "platform": f["platform"].astype(str).to_numpy(), "format": f["format"].astype(str).to_numpy(),
            "tier": self.tier[idx], "reach": self.reach_posted[idx],
            "reach_source": f["reach_source"].astype(str).to_numpy() if "reach_source" in f else "followers",
            "pool": f["pool"].astype(str).to_numpy(), "engagement_rate": self.er[idx],
            "engagement_rate_estimated": self.er_est[idx], "deal": self.deal[idx], "expected_posts": self.posts[idx],
        })


def _point(facts: _Facts, cands: plan.Candidates, sol: optimiser.Solution, rates: Mapping[str, float]) -> dict:
    """One plan's figures (the same formulas as planner.planning.plan.describe), the post-rate lever applied."""
    ch = np.asarray(sol.chosen, dtype=np.int64)
    pb = cands.problem
    k = facts.factor[ch]
    reach_e = facts.reach[ch] * k
    if np.allclose(k, 1.0):
        unique, niche = float(sol.unique_reach), float(sol.niche_value)
    else:
        unique = float(reach.unique_reach(reach_e, pb.pool[ch], pb.pool_size))
        niche = float(reach.unique_reach(reach_e * pb.fit[ch], pb.pool[ch], pb.pool_size))
    imps = float(np.nansum(reach_e * facts.imp[ch]))
    cash = float(facts.cash[ch].sum())
    product = float(facts.product[ch].sum())
    clicks = float(plan.expected_clicks(imps, rates))
    return {
        "cost": cash, "cash_cost": cash, "product_cost": product, "total_cost": cash + product,
        "unique_reach": unique, "niche_value": niche, "impressions": imps,
        "engagements": float(np.nansum(plan.expected_engagements(facts.er[ch], reach_e))),
        "clicks": clicks, "orders": float(plan.expected_orders(imps, rates)),
        "cpm": float(metrics.cpm(cash + product, imps)), "cpm_unique": float(metrics.cpm(cash + product, unique)),
        "bloggers": int(np.unique(np.asarray(pb.blogger)[ch]).size) if ch.size else 0,
        "expected_posts": float(facts.posts[ch].sum()), "product_units": float(facts.units[ch].sum()),
        "gap": float(sol.gap), "status": str(sol.status),
    }


POINT_COLUMNS: tuple[str, ...] = (
    "budget", "cost", "cash_cost", "product_cost", "total_cost", "unique_reach", "niche_value", "impressions",
    "engagements", "orders", "cpm", "cpm_unique", "bloggers", "expected_posts", "marginal_reach", "gap", "status",
    *(f"{m}_{q}" for m in unc.METRICS for q in ("p10", "p50", "p90")),
)


def _r(v: Any, digits: int) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(x):
        return None
    return round(x, digits) if digits else float(round(x))


@dataclass
class SweepResult:
    """The sweep: one row per budget (:data:`POINT_COLUMNS`; ``marginal_reach`` is the extra unique reach per
    extra :data:`PER` of the brief's currency from the previous budget; ``<metric>_p10/_p50/_p90`` the bands;
    ``status`` "infeasible" where no plan fits), the flattening budget of unique reach (None: returns never
    flatten in the range), the normalisers every point shares, the calibration the bands used, seconds."""

    points: pd.DataFrame
    flattening_budget: float | None
    normalisers: tuple[float, float]
    calibration: unc.Calibration
    seconds: float
    currency: str = "RUB"

    def quality(self) -> dict[str, Any]:
        """How well the sweep's plans are solved: ``points``, ``within_target`` (optimal or within the gap
        target), ``stopped`` (at the time limit), ``largest_gap`` (a fraction; 0 with no gap known)."""
        status = self.points["status"].astype(str)
        gaps = pd.to_numeric(self.points["gap"], errors="coerce")
        return {"points": len(self.points), "within_target": int(status.isin(["optimal", "gap_ok"]).sum()),
                "stopped": int((status == "time_limit").sum()),
                "largest_gap": float(np.nanmax(gaps)) if gaps.notna().any() else 0.0}

    def to_json(self) -> dict[str, Any]:
        """``scenarios sweep --json``: ``points [{budget, unique_reach, niche_value, orders, cpm, p10, p50, p90,
        ...}]`` (p10 / p50 / p90 band the unique reach) and ``flattening_budget``."""
        pts = []
        for r in self.points.to_dict("records"):
            pts.append({
                "budget": _r(r["budget"], 2), "cost": _r(r["cost"], 2), "unique_reach": _r(r["unique_reach"], 0),
                "niche_value": _r(r["niche_value"], 2), "orders": _r(r["orders"], 2), "cpm": _r(r["cpm"], 2),
                "p10": _r(r["unique_reach_p10"], 0), "p50": _r(r["unique_reach_p50"], 0),
                "p90": _r(r["unique_reach_p90"], 0), "engagements": _r(r["engagements"], 0),
                **{f"{m}_{q}": _r(r[f"{m}_{q}"], 2 if m == "orders" else 0)
                   for m in ("engagements", "orders") for q in ("p10", "p50", "p90")},
                "product_cost": _r(r["product_cost"], 2), "expected_posts": _r(r["expected_posts"], 2),
                "marginal_reach_per_100k": _r(r["marginal_reach"], 0), "bloggers": _r(r["bloggers"], 0),
                "gap": _r(r["gap"], 6), "status": r["status"],
            })
        return {"points": pts, "flattening_budget": _r(self.flattening_budget, 2), "currency": self.currency,
                "bands": "p10, p50, p90: unique reach (people); engagements_* and orders_* band those figures; "
                         "Monte Carlo over the inputs' ranges",
                "normalisers": [_r(self.normalisers[0], 2), _r(self.normalisers[1], 2)],
                "calibration": self.calibration.to_dict(), "seconds": round(self.seconds, 3),
                "sources": dict(SOURCES)}


@dataclass
class ScenarioResult:
    """A scenario's plan at its budget: placements (planner.planning.plan.describe's rows, with ``deal``,
    ``cash_cost``, ``product_cost`` and ``expected_posts``), totals (with ``<metric>_p10/_p50/_p90``), the bands
    table (``metric, point, p10, p50, p90, samples, k``), the sweep (None when not asked for)."""

    scenario: Scenario
    plan: plan.PlanResult
    placements: pd.DataFrame
    totals: dict[str, Any]
    bands: pd.DataFrame
    sweep: SweepResult | None
    calibration: unc.Calibration
    solved: Solved | None = None

    def snapshot(self, name: str | None = None) -> ScenarioSnapshot:
        """What a saved scenario keeps: the scenario, its totals, its placements and the sweep's points."""
        scen = self.scenario if name is None else replace(self.scenario, name=name)
        curve = self.sweep.points.copy() if self.sweep is not None else None
        return ScenarioSnapshot(name=scen.name, scenario=scen, totals=dict(self.totals),
                                placements=snapshot_placements(self.placements), curve=curve)


SNAPSHOT_COLUMNS: tuple[str, ...] = (
    "id", "handle", "platform", "format", "tier", "cost", "price_source", "reach", "reach_source",
    "unique_reach_added", "fit", "pool", "engagements", "deal", "cash_cost", "product_cost", "expected_posts",
)


def snapshot_placements(rows: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in SNAPSHOT_COLUMNS if c in rows.columns]
    return rows[cols].reset_index(drop=True)


@dataclass
class ScenarioSnapshot:
    """A scenario with the plan it gave: what is saved and compared (no re-solve needed). ``curve``: the budget
    sweep's points (:data:`POINT_COLUMNS`; None when the scenario was planned without its sweep)."""

    name: str
    scenario: Scenario
    totals: dict[str, Any]
    placements: pd.DataFrame
    curve: pd.DataFrame | None = None


def _bands_of(table: pd.DataFrame) -> dict[str, float]:
    return {f"{rec.metric}_{q}": float(getattr(rec, q)) for rec in table.itertuples() for q in ("p10", "p50", "p90")}


def evaluate(solved: Solved, df: pd.DataFrame, scenario: Scenario, *,
             errors: pd.DataFrame | None = None) -> ScenarioResult:
    """Placements, totals, bands and (when the curve is solved) the sweep's table, without solving anything:
    the outcome rates, the post-rate lever and the Monte Carlo's ranges may change freely between calls.
    ``errors``: earlier campaigns' forecast errors (planner.campaigns.scenarios.forecast_errors), used when the
    assumptions allow."""
    a = scenario.assumptions
    brief = scenario.brief
    cands = solved.candidates
    rates = {**plan.DEFAULT_RATES, **(brief.rates or {})}
    facts = _Facts(cands, df, solved.bench, a.post_rate_shift)
    res = plan.describe(cands, solved.main, brief, df)
    rows = res.placements.copy()
    main_idx = rows["cand"].to_numpy(dtype=np.int64) if len(rows) else np.zeros(0, dtype=np.int64)
    if len(rows):
        rows["deal"] = facts.deal[main_idx]
        rows["cash_cost"] = facts.cash[main_idx]
        rows["product_cost"] = facts.product[main_idx]
        rows["expected_posts"] = facts.posts[main_idx]
        rows["engagement_rate"] = facts.er[main_idx]
    totals = dict(res.totals)
    totals.update(_point(facts, cands, solved.main, rates))
    totals["budget"] = float(brief.budget)
    # one draw per placement, shared by the scenario's plan and every point of the curve
    curve = solved.curve or []
    union = np.unique(np.concatenate([main_idx, *[np.asarray(s.chosen, dtype=np.int64) for s in curve if s]])
                      if (len(main_idx) or any(curve)) else np.zeros(0, dtype=np.int64))
    where = np.full(len(cands.frame), -1, dtype=np.int64)
    where[union] = np.arange(union.size)
    inputs = unc.placement_inputs(facts.rows(union), cands.pool_sizes, a.ranges, bench=solved.bench,
                                  post_rate_shift=a.post_rate_shift)
    draws = unc.draw(inputs, a.ranges, keys=union)  # a placement's draws do not depend on the curve's presence
    calibration = unc.NO_HISTORY
    if a.use_history and errors is not None and not errors.empty and len(main_idx):
        calibration = unc.calibrate(errors, unc.model_widths(inputs.iloc[where[main_idx]].reset_index(drop=True),
                                                             a.ranges))

    def bands(idx: np.ndarray, point: Mapping[str, float], samples: int | None = None) -> pd.DataFrame:
        cols = where[idx]
        sub = inputs.iloc[cols].reset_index(drop=True)
        k = slice(0, samples)  # the first samples of the same draws (samples are independent)
        d = unc.Draws(reach=draws.reach[k, cols], er=draws.er[k, cols], published=draws.published[k, cols],
                      ctr=draws.ctr[k], conversion=draws.conversion[k])
        return unc.simulate_draws(sub, d, rates, calibration=calibration,
                                  point={m: float(point.get(m, np.nan)) for m in unc.METRICS})

    main_bands = bands(main_idx, totals)
    totals.update(_bands_of(main_bands))
    sweep_res = None
    if solved.curve is not None:
        out = []
        for b, sol in zip(solved.budgets.tolist(), solved.curve, strict=True):
            row: dict[str, Any] = {c: np.nan for c in POINT_COLUMNS}
            row["budget"] = float(b)
            if sol is None:
                row["status"] = "infeasible"
            else:
                row.update(_point(facts, cands, sol, rates))
                idx = np.asarray(sol.chosen, dtype=np.int64)
                row.update(_bands_of(bands(idx, row, CURVE_SAMPLES)) if idx.size else
                           {f"{m}_{q}": 0.0 for m in unc.METRICS for q in ("p10", "p50", "p90")})
            out.append(row)
        points = pd.DataFrame(out, columns=list(POINT_COLUMNS))
        points["marginal_reach"] = marginal_per(points["budget"], points["unique_reach"])
        sweep_res = SweepResult(points=points, flattening_budget=flattening(points["budget"], points["unique_reach"]),
                                normalisers=solved.normalisers, calibration=calibration,
                                seconds=solved.seconds + solved.curve_seconds, currency=brief.currency)
    return ScenarioResult(scenario=scenario, plan=res, placements=rows, totals=totals, bands=main_bands,
                          sweep=sweep_res, calibration=calibration, solved=solved)


def plan_at(solved: Solved, df: pd.DataFrame, scenario: Scenario, index: int) -> plan.PlanResult | None:
    """The plan a person reads at the curve's ``index``-th budget (None where no plan fits)."""
    if solved.curve is None or not 0 <= index < len(solved.curve):
        raise IndexError(index)
    sol = solved.curve[index]
    if sol is None:
        return None
    return plan.describe(solved.candidates, sol, replace(scenario.brief, budget=float(solved.budgets[index])), df)


def run(df: pd.DataFrame, scenario: Scenario, *,
        errors: pd.DataFrame | None = None, bench: Benchmarks | None = None, with_sweep: bool = True,
        time_limit: float = 10.0, progress: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] | None = None) -> ScenarioResult:
    """The scenario's plan with its bands and (``with_sweep``) the budget sweep: :func:`plan_scenario`,
    :func:`plan_curve` and :func:`evaluate`. ``time_limit``: one deadline for every solve (the scenario's plan
    gets up to a third of it when the curve follows); ``stop``: as in :func:`plan_curve`."""
    t0 = time.perf_counter()
    solved = plan_scenario(df, scenario, bench=bench, time_limit=time_limit / 3 if with_sweep else time_limit,
                           stop=stop)
    if with_sweep:
        solved = plan_curve(solved, scenario, time_limit=max(time_limit - (time.perf_counter() - t0), 0.05),
                   progress=progress, stop=stop)
    return evaluate(solved, df, scenario, errors=errors)


def sweep(df: pd.DataFrame, scenario: Scenario, **kwargs: Any) -> SweepResult:
    """The budget sweep of a scenario as a table (:attr:`SweepResult.points`); the keyword arguments of :func:`run`."""
    result = run(df, scenario, with_sweep=True, **kwargs)
    assert result.sweep is not None
    return result.sweep


# ---- comparing scenarios --------------------------------------------------------------------------------------
COMPARE_METRICS: tuple[str, ...] = (
    "budget", "cost", "product_cost", "total_cost", "unique_reach", "niche_value", "impressions", "engagements",
    "orders", "cpm", "cpm_unique", "bloggers", "expected_posts",
)


@dataclass
class Comparison:
    """Scenarios side by side.

    ``totals``: tidy, one row per scenario and metric: ``scenario, metric, value, p10, p50, p90, source`` (bands
    for unique reach, engagements and orders). ``bloggers``: one row per blogger (handle, platform) in any of the
    plans, a boolean column per scenario, ``formats`` and ``deals`` ({scenario: ...}) and ``in_all``.
    ``names``: the scenarios' names, made unique (the columns)."""

    names: list[str]
    totals: pd.DataFrame
    bloggers: pd.DataFrame

    @property
    def differ(self) -> pd.DataFrame:
        """The bloggers that are not in every plan."""
        return self.bloggers[~self.bloggers["in_all"].astype(bool)].reset_index(drop=True)

    def wide(self) -> pd.DataFrame:
        """The totals as a metric x scenario table of values."""
        present = set(self.totals["metric"])
        return self.totals.pivot(index="metric", columns="scenario", values="value").reindex(
            index=[m for m in COMPARE_METRICS if m in present], columns=self.names)


def unique_names(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for i, raw in enumerate(names):
        base = str(raw or "").strip() or f"#{i + 1}"
        name, k = base, 2
        while name in out:
            name = f"{base} ({k})"
            k += 1
        out.append(name)
    return out


def compare(snapshots: Sequence[ScenarioSnapshot]) -> Comparison:
    """One to four scenarios side by side: totals (with bands) and which bloggers differ (saved scenarios:
    ``planner.campaigns.scenarios.load_scenario(...).snapshot``, or :meth:`ScenarioResult.snapshot`)."""
    if not 1 <= len(snapshots) <= 4:
        raise ValueError("compare takes one to four scenarios")
    names = unique_names([s.name for s in snapshots])
    trows = []
    for name, snap in zip(names, snapshots, strict=True):
        t = snap.totals
        for m in COMPARE_METRICS:
            v = t.get(m)
            if m == "budget" and v is None:
                v = snap.scenario.budget
            if m == "total_cost" and v is None:
                product = t.get("product_cost")
                v = finite_or_nan(t.get("cost")) + (finite_or_nan(product) if is_finite(product) else 0.0)
            trows.append({"scenario": name, "metric": m, "value": finite_or_nan(v),
                          **{q: finite_or_nan(t.get(f"{m}_{q}")) for q in ("p10", "p50", "p90")},
                          "source": SOURCES.get(m, "")})
    totals = pd.DataFrame(trows, columns=["scenario", "metric", "value", "p10", "p50", "p90", "source"])
    keys: dict[tuple[str, str], dict[str, Any]] = {}
    for name, snap in zip(names, snapshots, strict=True):
        p = snap.placements
        if p is None or p.empty:
            continue
        fmts = p["format"].astype(str).tolist() if "format" in p else [""] * len(p)
        deals = p["deal"].astype(str).tolist() if "deal" in p else ["paid"] * len(p)
        for h, plat, fmt, deal in zip(p["handle"].astype(str), p["platform"].astype(str), fmts, deals, strict=True):
            rec = keys.setdefault((h, plat), {"handle": h, "platform": plat, "formats": {}, "deals": {}})
            rec["formats"][name] = fmt
            rec["deals"][name] = deal
    brows = [{"handle": rec["handle"], "platform": rec["platform"],
              **{n: n in rec["formats"] for n in names}, "formats": rec["formats"], "deals": rec["deals"]}
             for rec in keys.values()]
    bloggers = pd.DataFrame(brows, columns=["handle", "platform", *names, "formats", "deals"])
    bloggers["in_all"] = bloggers[names].astype(bool).all(axis=1) if len(bloggers) else pd.Series(dtype=bool)
    bloggers = bloggers.sort_values(["in_all", "handle"], kind="stable").reset_index(drop=True)
    return Comparison(names=names, totals=totals, bloggers=bloggers)


__all__ = [
    "COMPARE_METRICS", "POINT_COLUMNS", "SOURCES", "Assumptions", "Comparison", "Scenario", "ScenarioError",
    "ScenarioResult", "ScenarioSnapshot", "Solved", "SweepResult", "SweepSpec", "compare", "evaluate", "flattening",
    "marginal_per", "plan_at", "plan_curve", "plan_scenario", "pool_overrides", "run", "scaled_benchmarks",
    "snapshot_placements", "sweep", "unique_names",
]
