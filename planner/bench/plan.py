"""Benchmark of the plan optimiser (``python -m planner bench plan [--json]``).

``run()`` generates realistic random briefs itself and returns median timings and quality figures:

* ``plan_20k_s`` / ``plan_100k_s``: one :func:`planner.planning.optimiser.solve` at w = 0.5, normalisers included
  (three certified solves: reach alone, niche alone, the mix), on 20,000 / 100,000 candidates;
* ``frontier_20k_s``: the 11-point reach-niche frontier on 20,000 candidates (normalisers included);
* ``max_gap``: the largest certified relative gap among all plans above;
* ``milp_5k_s`` / ``ours_5k_s`` / ``milp_5k_objective_ratio``: a plain ``scipy.optimize.milp`` model of the same
  5,000-candidate brief (binary x, each pool's reach a variable under 20 tangent cuts, budget, one per blogger,
  mip_rel_gap 0.005, 60 s limit) against ours; the ratio is F(milp plan) / F(our plan), both evaluated exactly.
  The MILP baseline runs once whatever ``repeats`` is (it is the slow part).

Real briefs, the Plan page's kind (:func:`brief_problem`): synthetic bloggers from :mod:`planner.ingest.sample`,
enriched by :func:`planner.estimates.metrics.enrich`, turned into candidates by
:func:`planner.planning.plan.build_candidates` with a default :class:`planner.planning.plan.Brief` except two
niches (beauty, fashion), a target audience (RU, female, 18-24 and 25-34) and reach weight 0.5;
the budget is the page's default 1.5 M RUB per 5,000 bloggers in the database.
Timings include the normalisers (one :func:`planner.planning.optimiser.solve` with a 10 s limit, as the page runs it):

* ``brief_sample_s``: the shipped sample's size (5,000 bloggers, 1.5 M RUB);
* ``brief_20k_s`` / ``brief_100k_s``: databases scaled to give about 20,000 / 100,000 candidates;
* ``brief_shares_20k_s``: the 20,000 brief with three platform shares (Instagram 30-60 %, Telegram >= 10 %,
  YouTube <= 30 %);
* for each: ``..._gap`` (certified), ``..._status`` and ``..._candidates`` (counted after build_candidates).

The command line as a user runs it (:func:`cli_plan`, issue 18: the whole process in 2 s):

* ``cli_plan_5k_s``: median wall seconds of the whole process ``python -m planner plan --budget 1000000
  --bloggers LIST --json`` on a 5,000-row list (``sample.generate(5000, seed=3)`` as CSV), started afresh each
  time, on a throw-away SQLite database seeded with the shipped sample (a first run, not timed, migrates it,
  keeps the list and fills a bytecode cache of its own); ``cli_plan_5k_cpu_s``: its median CPU seconds (user and
  system: what the process costs whatever else runs on the machine).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from planner.planning import optimiser as opt

__all__ = ["brief_problem", "cli_plan", "make_problem", "milp_baseline", "run", "run_briefs"]

BRIEF_SHARES = {"instagram": (0.3, 0.6), "telegram": (0.1, None), "youtube": (None, 0.3)}
_ROWS_PER_CANDIDATE = 3.4  # bloggers in the synthetic database per candidate of this brief (measured)


def make_problem(n: int, seed: int = 0, *, n_pools: int | None = None, budget_share: float = 0.03,
                 platform_bounds: dict | None = None, max_share: float | None = None) -> opt.Problem:
    """A random brief with ``n`` candidates (placements).

    Bloggers have 1-4 formats; follower counts are heavy-tailed (log-normal), a format reaches a share of them;
    cost = reach x CPM with a per-platform level and a 3x spread of CPM between placements; 20-60 audience pools
    (niche x country) sized so that duplication matters for the bought set; the budget buys about
    ``budget_share`` of the candidates' total cost.
    """
    rng = np.random.default_rng(seed)
    P = int(n_pools if n_pools is not None else rng.integers(20, 61))
    n_formats = rng.integers(1, 5, size=n)  # over-generated, cut to n below
    blogger = np.repeat(np.arange(n), n_formats)[:n]
    nb = int(blogger[-1]) + 1
    followers = np.exp(rng.normal(np.log(30_000), 1.4, size=nb))
    b_pool = rng.integers(0, P, size=nb)
    b_plat = rng.integers(0, 6, size=nb)
    b_fit = rng.beta(2.0, 2.0, size=nb)
    fmt_share = rng.uniform(0.04, 0.35, size=n)
    reach = followers[blogger] * fmt_share + 50.0
    cpm_level = np.array([8.0, 20.0, 6.0, 10.0, 5.0, 12.0])  # per platform
    cpm = cpm_level[b_plat[blogger]] * np.exp(rng.uniform(np.log(1 / np.sqrt(3)), np.log(np.sqrt(3)), size=n))
    cost = np.round(reach * cpm / 1000.0 * 90.0, -1) + 500.0  # roubles
    fit = np.clip(b_fit[blogger] + rng.normal(0, 0.08, size=n), 0, 1)
    pool = b_pool[blogger]
    # pool sizes: a fraction of the pool's total candidate reach, so the bought set overlaps noticeably
    tot = np.bincount(pool, weights=reach, minlength=P)
    mx = np.zeros(P)
    np.maximum.at(mx, pool, reach)
    pool_size = np.maximum(rng.uniform(0.05, 0.25, size=P) * tot, 4.0 * mx) + 1000.0
    budget = float(budget_share * cost.sum())
    return opt.Problem(cost=cost, reach=reach, fit=fit, pool=pool, blogger=blogger, platform=b_plat[blogger],
                       pool_size=pool_size, budget=budget, max_share=max_share,
                       platform_bounds=platform_bounds or {})


def milp_baseline(pb: opt.Problem, w: float, normalisers: tuple[float, float], *, cuts: int = 20,
                  time_limit: float = 60.0, mip_rel_gap: float = 0.005):
    """Plain MILP: binary x_j, y_p <= tangents of N_p (1 - exp(-A_p)) at ``cuts`` points spread evenly over
    the share of the pool reached (0 .. 99 %), budget row, one-per-blogger rows. Returns (chosen, seconds, F)."""
    t0 = time.perf_counter()
    Us, Vs = normalisers
    n = pb.n
    r, c, f = np.asarray(pb.reach, float), np.asarray(pb.cost, float), np.asarray(pb.fit, float)
    pool = np.asarray(pb.pool)
    N = np.asarray(pb.pool_size, float)
    P = N.size
    a = -np.log1p(-r / N[pool])
    nvar = n + P
    cobj = np.zeros(nvar)
    cobj[:n] = -(1 - w) * f * r / Vs
    cobj[n:] = -w / Us  # y_p in people
    rows_r, rows_c, rows_v, lo, hi = [], [], [], [], []
    row = 0
    rows_r.append(np.zeros(n, np.int64))
    rows_c.append(np.arange(n))
    rows_v.append(c / pb.budget)
    lo.append(-np.inf)
    hi.append(1.0)
    row += 1
    _, g = np.unique(np.asarray(pb.blogger), return_inverse=True)
    g = g.reshape(-1)
    counts = np.bincount(g)
    multi = np.flatnonzero(counts > 1)
    gmap = np.full(counts.size, -1)
    gmap[multi] = np.arange(multi.size)
    sel = gmap[g] >= 0
    rows_r.append(row + gmap[g[sel]])
    rows_c.append(np.flatnonzero(sel))
    rows_v.append(np.ones(int(sel.sum())))
    lo += [-np.inf] * multi.size
    hi += [1.0] * multi.size
    row += multi.size
    shares = np.linspace(0.0, 0.99, cuts)
    for p in range(P):
        mem = np.flatnonzero(pool == p)
        for u in shares:
            t = -np.log1p(-u)
            slope = N[p] * np.exp(-t)
            # y - slope * sum a x <= N (1 - e^-t) - slope t
            rows_r.append(np.full(mem.size + 1, row))
            rows_c.append(np.r_[n + p, mem])
            rows_v.append(np.r_[1.0, -slope * a[mem]])
            lo.append(-np.inf)
            hi.append(N[p] * u - slope * t)
            row += 1
    A = sparse.csr_array((np.concatenate(rows_v), (np.concatenate(rows_r), np.concatenate(rows_c))),
                         shape=(row, nvar))
    integrality = np.r_[np.ones(n), np.zeros(P)]
    bounds = Bounds(np.zeros(nvar), np.r_[np.ones(n), N])
    res = milp(cobj, integrality=integrality, bounds=bounds, constraints=LinearConstraint(A, lo, hi),
               options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap})
    secs = time.perf_counter() - t0
    if res.x is None:
        return np.zeros(0, np.int64), secs, 0.0
    chosen = np.flatnonzero(res.x[:n] > 0.5)
    _, _, F = opt.evaluate(pb, chosen, w, normalisers)
    return chosen, secs, F


def run(repeats: int = 3, sizes=(20_000, 100_000), seed: int = 0, briefs: bool = True) -> dict:
    """Median timings (seconds) and quality of the optimiser on generated briefs; see the module docstring."""
    out: dict = {}
    gaps: list[float] = []
    for size in sizes:
        times = []
        for rep in range(repeats):
            pb = make_problem(size, seed + rep)
            t0 = time.perf_counter()
            sol = opt.solve(pb, 0.5)
            times.append(time.perf_counter() - t0)
            gaps.append(sol.gap)
        key = f"plan_{size // 1000}k_s"
        out[key] = statistics.median(times)
    if 20_000 in sizes or sizes:
        fsize = 20_000 if 20_000 in sizes else sizes[0]
        times = []
        for rep in range(repeats):
            pb = make_problem(fsize, seed + 100 + rep)
            t0 = time.perf_counter()
            sols = opt.frontier(pb)
            times.append(time.perf_counter() - t0)
            gaps.extend(s.gap for s in sols)
        out[f"frontier_{fsize // 1000}k_s"] = statistics.median(times)
    out["max_gap"] = max(gaps) if gaps else 0.0
    # plain MILP against ours on 5,000 candidates
    pb = make_problem(5_000, seed + 500)
    t0 = time.perf_counter()
    sol = opt.solve(pb, 0.5)
    ours = time.perf_counter() - t0
    norm = sol.normalisers
    _, milp_s, milp_F = milp_baseline(pb, 0.5, norm)
    out["milp_5k_s"] = milp_s
    out["ours_5k_s"] = ours
    out["milp_5k_time_ratio"] = milp_s / ours if ours > 0 else float("inf")
    out["milp_5k_objective_ratio"] = milp_F / sol.objective if sol.objective > 0 else float("nan")
    out["ours_5k_gap"] = sol.gap
    if briefs:
        out.update(run_briefs(repeats=repeats, seed=seed))
    out.update(cli_plan(repeats=repeats))
    return out


def cli_plan(repeats: int = 3, rows: int = 5_000) -> dict:
    """``cli_plan_5k_s`` and ``cli_plan_5k_cpu_s`` (module docstring): the whole `plan --bloggers` process, each
    run a fresh ``python -m planner``."""
    from planner.ingest import sample
    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory(prefix="planner_cli_bench_") as tmp:
        listed = Path(tmp) / f"list{rows // 1000}k.csv"
        sample.generate(rows, seed=3).to_csv(listed, index=False)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PLANNER_NO_SAMPLE")}
        env.update(DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.db'}", PYTHONPYCACHEPREFIX=str(Path(tmp) / "pyc"))
        argv = [sys.executable, "-m", "planner", "plan", "--budget", "1000000", "--bloggers", str(listed), "--json"]
        walls: list[float] = []
        cpus: list[float] = []
        for run_no in range(max(1, repeats) + 1):  # the first one prepares the database and the bytecode
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(argv, cwd=root, env=env, check=True, stdout=subprocess.DEVNULL, timeout=300)
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if run_no:
                walls.append(wall)
                cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    key = f"cli_plan_{rows // 1000}k"
    return {f"{key}_s": statistics.median(walls), f"{key}_cpu_s": statistics.median(cpus)}


def brief_problem(candidates: int | None = None, *, rows: int | None = None, shares: bool = False,
                  seed: int = 0) -> opt.Problem:
    """The Plan page's kind of brief on a synthetic database (see the module docstring): ``rows`` bloggers, or
    enough of them for about ``candidates`` candidates."""
    from planner.estimates import metrics
    from planner.ingest import sample
    from planner.planning import plan
    if rows is None:
        rows = int(round((candidates or 20_000) * _ROWS_PER_CANDIDATE))
    df = metrics.enrich(sample.generate(rows, seed=seed))
    if "id" not in df.columns:
        df.insert(0, "id", np.arange(1, len(df) + 1))
    brief = plan.Brief(budget=1_500_000.0 * rows / 5_000, niches=("beauty", "fashion"), countries=("RU",),
                       gender="female", ages=("18_24", "25_34"), reach_weight=0.5,
                       platform_bounds=dict(BRIEF_SHARES) if shares else {})
    return plan.build_candidates(df, brief).problem


def run_briefs(repeats: int = 3, time_limit: float = 10.0, seed: int = 0) -> dict:
    """Median seconds, worst gap, statuses and candidate counts of the real-brief figures (module docstring)."""
    out: dict = {}
    cases = (("brief_sample", dict(rows=5_000)), ("brief_20k", dict(candidates=20_000)),
             ("brief_shares_20k", dict(candidates=20_000, shares=True)), ("brief_100k", dict(candidates=100_000)))
    for name, kw in cases:
        times, gaps, statuses = [], [], []
        n = 0
        for rep in range(repeats):
            pb = brief_problem(seed=seed + rep, **kw)  # type: ignore[arg-type]
            n = pb.n
            t0 = time.perf_counter()
            sol = opt.solve(pb, 0.5, time_limit=time_limit)
            times.append(time.perf_counter() - t0)
            gaps.append(sol.gap)
            statuses.append(sol.status)
        out[f"{name}_s"] = statistics.median(times)
        out[f"{name}_gap"] = max(gaps)
        out[f"{name}_status"] = "time_limit" if "time_limit" in statuses else max(
            statuses, key=["optimal", "gap_ok", "gap_above_target"].index)
        out[f"{name}_candidates"] = n
    return out
