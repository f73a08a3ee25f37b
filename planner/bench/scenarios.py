"""Benchmark of the budget sweep (``python -m planner bench scenarios [--json]``).

The brief is the Plan page's kind (planner.bench.plan.brief_problem: niches beauty and fashion, women 18-34 in
Russia, blend 0.5, quoted prices only) on synthetic bloggers, enough of them for about 5,000 candidates; the
sweep is planner.planning.scenarios.sweep with its defaults: 20 budgets from half to twice the brief's budget,
1,000 Monte Carlo samples. Figures (medians over ``repeats`` runs, each on fresh data):

* ``sweep_20x5k_s``: the whole sweep, as ``scenarios sweep`` runs it: one candidate build, the shared normalisers,
  the scenario's plan, the 20 budgets (warm-started), every point's figures and its P10 / P50 / P90 bands;
* ``sweep_20x5k_cpu_s``: the CPU seconds of the same (the machine is shared: wall time varies with its load);
* ``sweep_20x5k_curve_s``: of which the 20 budgets' solves; ``sweep_20x5k_bands_s``: of which the figures and
  bands (no solve);
* ``sweep_20x5k_max_gap`` (certified, over every point), ``sweep_20x5k_statuses`` and
  ``sweep_20x5k_candidates``;
* ``sweep_20x5k_fresh_s``: for comparison, the same 20 budgets each solved alone by planner.planning.optimiser.solve
  with the same normalisers (no warm start), once; ``sweep_20x5k_separate_s``: the same, each budget computing its
  own normalisers (twenty separate plans, as the Plan page would make them), once;
* ``sweep_sample_s``, ``..._max_gap``, ``..._statuses``: the same sweep on the shipped sample (5,000 bloggers) with
  the Plan page's default brief (1.5 M RUB, no niche, all platforms): the page's own case.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import replace

import numpy as np

__all__ = ["run"]

_ROWS_5K = 17_000  # synthetic bloggers for about 5,000 candidates of this brief (planner.bench.plan)


def _brief(rows: int):
    from planner.planning import plan
    return plan.Brief(budget=1_500_000.0 * rows / 5_000, niches=("beauty", "fashion"), countries=("RU",),
                      gender="female", ages=("18_24", "25_34"), reach_weight=0.5)


def _frame(rows: int, seed: int):
    from planner.estimates import metrics
    from planner.ingest import sample
    df = metrics.enrich(sample.generate(rows, seed=seed))
    if "id" not in df.columns:
        df.insert(0, "id", np.arange(1, len(df) + 1))
    return df


def _sample_frame(seed: int):
    """The shipped sample, enriched (a synthetic 5,000 when the file is missing)."""
    import pandas as pd

    from planner.estimates import metrics
    from planner.storage.db import SAMPLE_CSV
    from planner.storage.store import coerce_types
    if not SAMPLE_CSV.exists():
        return _frame(5_000, seed)
    frame = coerce_types(pd.read_csv(SAMPLE_CSV, dtype={"handle": str, "name": str}, keep_default_na=True))
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return metrics.enrich(frame)


def _one(df, brief, time_limit: float) -> dict:
    from planner.planning import scenarios as scen
    scenario = scen.Scenario(brief=brief)
    c0 = time.process_time()
    t0 = time.perf_counter()
    solved = scen.plan_scenario(df, scenario, time_limit=time_limit / 3)
    t1 = time.perf_counter()
    solved = scen.plan_curve(solved, scenario, time_limit=max(time_limit - (t1 - t0), 0.05))
    t2 = time.perf_counter()
    result = scen.evaluate(solved, df, scenario)
    t3 = time.perf_counter()
    assert result.sweep is not None
    pts = result.sweep.points
    return {"s": t3 - t0, "cpu_s": time.process_time() - c0, "curve_s": t2 - t1, "bands_s": t3 - t2,
            "max_gap": float(np.nanmax(pts["gap"])),
            "statuses": Counter(pts["status"].astype(str)), "candidates": solved.candidates.problem.n,
            "solved": solved, "scenario": scenario}


def _fresh(solved, scenario, shared: bool = True) -> float:
    """The same budgets solved one by one (no warm start): with the sweep's normalisers (``shared``), or each
    computing its own, as twenty separate Plan-page plans would."""
    from planner.planning import optimiser
    t0 = time.perf_counter()
    for b in solved.budgets:
        pb = replace(solved.candidates.problem, budget=float(b))
        try:
            optimiser.solve(pb, scenario.brief.reach_weight, normalisers=solved.normalisers if shared else None,
                            gap_target=optimiser.GAP_LARGE, time_limit=10.0)
        except optimiser.Infeasible:
            pass
    return time.perf_counter() - t0


def run(repeats: int = 3, seed: int = 0, time_limit: float = 10.0, sample: bool = True) -> dict:
    """Median figures of the sweep (see the module docstring)."""
    out: dict = {}
    runs = []
    for rep in range(max(1, repeats)):
        df = _frame(_ROWS_5K, seed + rep)
        runs.append(_one(df, _brief(_ROWS_5K), time_limit))
    out["sweep_20x5k_s"] = statistics.median(r["s"] for r in runs)
    out["sweep_20x5k_cpu_s"] = statistics.median(r["cpu_s"] for r in runs)
    out["sweep_20x5k_curve_s"] = statistics.median(r["curve_s"] for r in runs)
    out["sweep_20x5k_bands_s"] = statistics.median(r["bands_s"] for r in runs)
    out["sweep_20x5k_max_gap"] = max(r["max_gap"] for r in runs)
    out["sweep_20x5k_statuses"] = dict(sum((r["statuses"] for r in runs), Counter()))
    out["sweep_20x5k_candidates"] = int(statistics.median(r["candidates"] for r in runs))
    out["sweep_20x5k_fresh_s"] = _fresh(runs[0]["solved"], runs[0]["scenario"])
    out["sweep_20x5k_separate_s"] = _fresh(runs[0]["solved"], runs[0]["scenario"], shared=False)
    if sample:
        from planner.planning import plan
        df = _sample_frame(seed)
        r = _one(df, plan.Brief(budget=1_500_000.0), time_limit)
        out["sweep_sample_s"] = r["s"]
        out["sweep_sample_curve_s"] = r["curve_s"]
        out["sweep_sample_max_gap"] = r["max_gap"]
        out["sweep_sample_statuses"] = dict(r["statuses"])
        out["sweep_sample_candidates"] = r["candidates"]
    return out
