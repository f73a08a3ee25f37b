"""What-if scenarios: the budget sweep against individual plans, the flattening point, the Monte Carlo bands, saved
scenarios (round trip, workspace scope), the comparison, the command line. Timings are never asserted."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from sqlmodel import Session

from planner.campaigns import scenarios as saved
from planner.estimates import metrics
from planner.planning import optimiser, plan
from planner.planning import scenarios as scen
from planner.planning import uncertainty as unc
from planner.storage import db, store
from planner.storage.access import LOCAL
from planner.storage.models import Campaign, Workspace
from tests.conftest import run_cli

TL = 120.0  # a generous limit: these tests check plans, never speed


@pytest.fixture(scope="module")
def frame(small_sample):
    df = metrics.enrich(small_sample)
    df.insert(0, "id", np.arange(1, len(df) + 1))
    return df


def _scenario(budget: float = 400_000.0, w: float = 0.5, points: int = 6, **brief) -> scen.Scenario:
    return scen.Scenario(brief=plan.Brief(budget=budget, reach_weight=w, **brief),
                         sweep=scen.SweepSpec(points=points), name="base")


@pytest.fixture(scope="module")
def result(frame):
    return scen.run(frame, _scenario(), time_limit=TL)


# ---- the sweep ---------------------------------------------------------------------------------------------
def test_sweep_budgets_costs_and_monotonic_objective(result):
    pts = result.sweep.points
    assert len(pts) == 6
    # the grid's point nearest the brief's budget (400 000) is the budget itself: the curve there is the brief's plan
    assert np.allclose(pts["budget"], [200_000, 320_000, 400_000, 560_000, 680_000, 800_000])
    main = result.totals
    at_own = pts.loc[pts["budget"] == 400_000].iloc[0]
    assert at_own["unique_reach"] == pytest.approx(main["unique_reach"])
    assert (pts["cost"] <= pts["budget"] * (1 + 1e-9)).all()
    assert (pts["status"].isin(["optimal", "gap_ok"])).all()
    # each budget starts from its smaller neighbour's plan, so the objective never falls as the budget grows
    solved = result.solved
    objectives = [s.objective for s in solved.curve]
    assert all(b >= a - 1e-12 for a, b in zip(objectives, objectives[1:], strict=False))
    # points keep their certificate: objective <= bound, gap as reported
    for s in solved.curve:
        assert s.objective <= s.upper_bound * (1 + 1e-12) and s.gap <= optimiser.GAP_LARGE
    # marginal reach: the first point has none, the others are the reach bought per 100 000
    m = pts["marginal_reach"].to_numpy()
    assert np.isnan(m[0])
    expected = np.diff(pts["unique_reach"]) / np.diff(pts["budget"]) * 100_000
    assert np.allclose(m[1:], expected)


def test_pure_reach_sweep_reach_grows_with_the_budget(frame):
    r = scen.run(frame, _scenario(w=1.0, points=5), time_limit=TL)
    reach = r.sweep.points["unique_reach"].to_numpy()
    assert (np.diff(reach) >= -1e-6).all()


def test_points_match_individual_plans_at_those_budgets(frame, result):
    """Every point is the plan a fresh solve finds at that budget with the sweep's normalisers (within the two
    certified gaps), through the public path: candidates built for that budget, plan.solve."""
    solved = result.solved
    norm = solved.normalisers
    base = result.scenario.brief
    for b, sol in zip(solved.budgets, solved.curve, strict=True):
        brief = replace(base, budget=float(b))
        cands = plan.build_candidates(frame, brief)
        alone = optimiser.solve(cands.problem, brief.reach_weight, normalisers=norm, gap_target=scen.CURVE_GAP,
                                time_limit=TL)
        tol = sol.gap * sol.upper_bound + alone.gap * alone.upper_bound + 1e-9
        assert abs(sol.objective - alone.objective) <= tol, (b, sol.objective, alone.objective)
        # and each one's bound covers the other's plan
        assert alone.objective <= sol.upper_bound * (1 + 1e-9)
        assert sol.objective <= alone.upper_bound * (1 + 1e-9)
    # the scenario's own plan is the Plan page's plan at the brief's budget (same normalisers, same objective)
    cands = plan.build_candidates(frame, base)
    page = plan.solve(cands, base, time_limit=TL)
    tol = page.gap * page.upper_bound + solved.main.gap * solved.main.upper_bound + 1e-9
    assert abs(page.objective - solved.main.objective) <= tol


def test_sweep_json_shape(result):
    out = result.sweep.to_json()
    assert set(out) >= {"points", "flattening_budget", "bands", "sources"}
    for p in out["points"]:
        assert set(p) >= {"budget", "unique_reach", "niche_value", "orders", "cpm", "p10", "p50", "p90"}
        assert p["p10"] <= p["p50"] <= p["p90"]
    json.dumps(out)  # JSON-ready: no NaN objects, no numpy types


def test_a_budget_below_the_must_haves_is_infeasible_not_an_error(frame):
    cands = plan.build_candidates(frame, plan.Brief(budget=400_000))
    fits = cands.frame[cands.frame["cost"] <= 300_000]
    dear = fits.sort_values("cost").iloc[-1]
    brief = plan.Brief(budget=400_000, must_include=(int(dear["id"]),))
    s = scen.Scenario(brief=brief, sweep=scen.SweepSpec(start=float(dear["cost"]) / 4, stop=800_000, points=4))
    r = scen.run(frame, s, time_limit=TL)
    pts = r.sweep.points
    assert pts["status"].iloc[0] == "infeasible" and np.isnan(pts["unique_reach"].iloc[0])
    assert (pts["status"].iloc[1:] != "infeasible").any()


# ---- flattening and marginal reach ----------------------------------------------------------------------------
def test_flattening_on_a_hand_made_curve():
    budgets = np.arange(1, 11, dtype=float) * 100_000
    # 10 000 people per 100 000 up to 500 000, then 1 000: flattens at 500 000
    reach = np.array([min(b, 500_000) / 10 + max(b - 500_000, 0) / 100 for b in budgets])
    assert scen.flattening(budgets, reach) == pytest.approx(500_000)
    # a straight line never flattens; nor does a too short curve
    assert scen.flattening(budgets, budgets * 0.1) is None
    assert scen.flattening(budgets[:2], reach[:2]) is None
    # a single dip that recovers is not the flattening point: returns must stay low from there on
    bumpy = reach.copy()
    bumpy[3] = bumpy[2] + 500  # one poor step at 300 000 -> 400 000
    assert scen.flattening(budgets, bumpy) == pytest.approx(500_000)
    # order and missing points do not matter
    order = np.r_[5, 0, 9, 2, 7, 1, 3, 8, 4, 6]
    assert scen.flattening(budgets[order], reach[order]) == pytest.approx(500_000)
    assert scen.flattening(np.r_[budgets, 1.1e6], np.r_[reach, np.nan]) == pytest.approx(500_000)
    # a stricter threshold flattens later (or never)
    assert scen.flattening(budgets, reach, threshold=0.05) is None


def test_marginal_per():
    m = scen.marginal_per([100_000, 200_000, 400_000], [1_000, 3_000, 4_000])
    assert np.isnan(m[0]) and m[1] == pytest.approx(2_000) and m[2] == pytest.approx(500)


# ---- inputs are validated once -------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [dict(points=2), dict(points=61), dict(points=2.5), dict(start=0.0),
                                    dict(start=5.0, stop=2.0), dict(stop=float("inf")), dict(start=float("nan"))])
def test_bad_sweep_specs_are_refused(kwargs):
    with pytest.raises(scen.ScenarioError):
        scen.SweepSpec(**kwargs)


@pytest.mark.parametrize("kwargs", [dict(reach_rate_factor=0), dict(pool_size_factor=11), dict(post_rate_shift=0.6),
                                    dict(reach_rate_factor=float("nan"))])
def test_bad_assumptions_are_refused(kwargs):
    with pytest.raises(scen.ScenarioError):
        scen.Assumptions(**kwargs)


@pytest.mark.parametrize("kwargs", [dict(ctr=(0.0, 2.0)), dict(measured_reach=(1.2, 0.8)), dict(correlation=1.5),
                                    dict(samples=10), dict(seed=-1), dict(views_reach="x")])
def test_bad_ranges_are_refused(kwargs):
    with pytest.raises(unc.UncertaintyError):
        unc.Ranges(**kwargs)


def test_scenario_round_trips_through_a_dict():
    s = scen.Scenario(brief=plan.Brief(budget=1e6, niches=("beauty",), countries=("RU",), reach_weight=0.3),
                      assumptions=scen.Assumptions(reach_rate_factor=0.8, pool_size_factor=1.5, post_rate_shift=-0.1,
                                                   ranges=unc.Ranges(ctr=(0.4, 1.6), samples=500, seed=3)),
                      sweep=scen.SweepSpec(start=5e5, stop=3e6, points=12), name="Launch")
    back = scen.Scenario.from_dict(json.loads(json.dumps(s.to_dict())))
    assert back.to_dict() == s.to_dict() and back.name == "Launch"
    with pytest.raises(plan.BriefError):  # a brief is validated once, when it is made
        scen.Scenario(brief=plan.Brief(budget=-1))


# ---- Monte Carlo bands ----------------------------------------------------------------------------------------
def _inputs(n: int = 12, ranges: unc.Ranges | None = None) -> pd.DataFrame:
    rows = pd.DataFrame({
        "platform": ["instagram"] * n, "format": ["post"] * n, "tier": ["micro"] * n,
        "reach": np.linspace(5_000, 20_000, n), "reach_source": ["followers", "measured", "views"] * (n // 3),
        "pool": ["beauty/RU"] * (n // 2) + ["fashion/RU"] * (n - n // 2),
        "engagement_rate": [3.0] * n, "engagement_rate_estimated": [True, False] * (n // 2),
    })
    return unc.placement_inputs(rows, {"beauty/RU": 400_000, "fashion/RU": 300_000}, ranges or unc.Ranges())


def test_bands_are_ordered_and_reproducible():
    inputs = _inputs()
    rates = {"ctr": 0.01, "conversion": 0.02}
    a = unc.simulate(inputs, rates, unc.Ranges(seed=4))
    b = unc.simulate(inputs, rates, unc.Ranges(seed=4))
    c = unc.simulate(inputs, rates, unc.Ranges(seed=5))
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["p10"], c["p10"])
    assert list(a["metric"]) == list(unc.METRICS)
    assert (a["p10"] <= a["p50"]).all() and (a["p50"] <= a["p90"]).all() and (a["p10"] < a["p90"]).all()
    # around the plan's own figure, and never above every placement's reach
    reach = a.set_index("metric").loc["unique_reach"]
    assert reach["p10"] < reach["point"] < reach["p90"]
    assert reach["p90"] <= inputs["reach"].sum() * inputs["reach_high"].max()


def test_narrower_ranges_narrow_the_bands_and_a_barter_post_rate_widens_them():
    inputs = _inputs()
    rates = {"ctr": 0.01, "conversion": 0.02}
    wide = unc.simulate(inputs, rates, unc.Ranges()).set_index("metric")
    narrow = unc.Ranges(measured_reach=(0.99, 1.01), views_reach=(0.99, 1.01), measured_er=(0.99, 1.01),
                        ctr=(0.99, 1.01), conversion=(0.99, 1.01))
    tight = unc.simulate(_inputs(ranges=narrow), rates, narrow).set_index("metric")
    for m in unc.METRICS:
        assert tight.loc[m, "p90"] - tight.loc[m, "p10"] < wide.loc[m, "p90"] - wide.loc[m, "p10"]
    # barter deals publish only with their expected posts: the band falls and widens
    barter = inputs.assign(publish=0.4, post_low=0.7, post_high=1.3)
    b = unc.simulate(barter, rates, unc.Ranges()).set_index("metric")
    assert b.loc["unique_reach", "p50"] < wide.loc["unique_reach", "p50"]
    assert b.loc["unique_reach", "point"] < wide.loc["unique_reach", "point"]


def test_earlier_campaigns_widen_or_narrow_the_bands():
    inputs = _inputs()
    rates = {"ctr": 0.01, "conversion": 0.02}
    widths = unc.model_widths(inputs, unc.Ranges())
    rng = np.random.default_rng(0)
    forecast = rng.uniform(1_000, 10_000, 60)

    def errors(spread: float) -> pd.DataFrame:
        actual = forecast * np.exp(rng.normal(0, spread, 60))
        return pd.DataFrame({"metric": np.repeat(["reach", "engagements", "orders"], 20),
                             "forecast": forecast, "actual": actual})

    wide = unc.calibrate(errors(1.0), widths)
    narrow = unc.calibrate(errors(0.01), widths)
    assert wide.k["unique_reach"] > 1 > narrow.k["unique_reach"]
    assert wide.n["unique_reach"] == 20 and wide.used
    assert unc.K_BOUNDS[0] <= narrow.k["orders"] and wide.k["orders"] <= unc.K_BOUNDS[1]
    base = unc.simulate(inputs, rates, unc.Ranges()).set_index("metric")
    w = unc.simulate(inputs, rates, unc.Ranges(), calibration=wide).set_index("metric")
    n = unc.simulate(inputs, rates, unc.Ranges(), calibration=narrow).set_index("metric")
    for m in unc.METRICS:
        span = base.loc[m, "p90"] - base.loc[m, "p10"]
        assert w.loc[m, "p90"] - w.loc[m, "p10"] > span > n.loc[m, "p90"] - n.loc[m, "p10"]
    # too few placements with results: the history is not used
    assert not unc.calibrate(errors(1.0).head(2), widths).used
    assert not unc.calibrate(None, widths).used


def test_scenario_totals_state_their_bands(result):
    t = result.totals
    for m in unc.METRICS:
        assert t[f"{m}_p10"] <= t[f"{m}_p50"] <= t[f"{m}_p90"]
    b = result.bands.set_index("metric")
    assert b.loc["unique_reach", "point"] == pytest.approx(t["unique_reach"])


def test_assumptions_move_the_plan(frame, result):
    base = result.totals["unique_reach"]
    more = scen.run(frame, replace(_scenario(), assumptions=scen.Assumptions(reach_rate_factor=1.5)),
                    with_sweep=False, time_limit=TL)
    assert more.totals["unique_reach"] > base
    small = scen.run(frame, replace(_scenario(), assumptions=scen.Assumptions(pool_size_factor=0.2)),
                     with_sweep=False, time_limit=TL)
    assert small.totals["unique_reach"] < base


# ---- comparing ---------------------------------------------------------------------------------------------
def test_compare_totals_and_which_bloggers_differ(frame, result):
    other = scen.run(frame, replace(_scenario(budget=250_000), name="lean"), with_sweep=False, time_limit=TL)
    cmp = scen.compare([result.snapshot(), other.snapshot(), other.snapshot("lean")])
    assert cmp.names == ["base", "lean", "lean (2)"]
    wide = cmp.wide()
    assert wide.loc["budget", "base"] == 400_000 and wide.loc["budget", "lean"] == 250_000
    assert set(cmp.totals.columns) == {"scenario", "metric", "value", "p10", "p50", "p90", "source"}
    reach = cmp.totals[cmp.totals["metric"] == "unique_reach"]
    assert (reach["p10"] <= reach["p90"]).all()
    a = set(result.placements["handle"])
    b = set(other.placements["handle"])
    differ = cmp.differ
    assert set(differ["handle"]) == a ^ b
    assert set(cmp.bloggers.loc[cmp.bloggers["in_all"], "handle"]) == a & b
    with pytest.raises(ValueError):
        scen.compare([result.snapshot()] * 5)


# ---- saved scenarios -----------------------------------------------------------------------------------------
@pytest.fixture
def two_workspaces(engine):
    with Session(engine) as s:
        if s.get(Workspace, 1) is None:
            s.add(Workspace(id=1, name="default"))
        s.add(Workspace(id=2, name="other agency"))
        s.commit()
        c1 = Campaign(name="Launch", workspace_id=1)
        c2 = Campaign(name="Theirs", workspace_id=2)
        s.add(c1)
        s.add(c2)
        s.commit()
        return engine, int(c1.id), int(c2.id)


def test_saved_scenarios_round_trip_and_are_workspace_scoped(two_workspaces, result):
    engine, c1, c2 = two_workspaces
    snap = result.snapshot("Base 400k")
    sid = saved.save_scenario(engine, c1, snap, access=LOCAL)
    back = saved.load_scenario(engine, sid, access=LOCAL)
    assert back.name == "Base 400k" and back.campaign_id == c1
    assert back.scenario.to_dict() == {**snap.scenario.to_dict(), "name": "Base 400k"}
    assert back.snapshot.totals["unique_reach"] == pytest.approx(snap.totals["unique_reach"])
    assert back.snapshot.totals["unique_reach_p90"] == pytest.approx(snap.totals["unique_reach_p90"])
    assert list(back.snapshot.placements["handle"]) == list(snap.placements["handle"])
    assert np.allclose(back.snapshot.curve["unique_reach_p50"], snap.curve["unique_reach_p50"])
    # the same name again replaces it; another name adds one
    assert saved.save_scenario(engine, c1, snap, access=LOCAL) == sid
    sid2 = saved.save_scenario(engine, c1, result.snapshot("Other"), access=LOCAL)
    listed = saved.list_scenarios(engine, c1, access=LOCAL)
    assert set(listed["name"]) == {"Base 400k", "Other"} and len(listed) == 2
    assert saved.load_scenario_by_name(engine, c1, "Other", access=LOCAL).id == sid2
    # another workspace sees none of it, and cannot write into this one's campaign
    other = dataclasses.replace(LOCAL, workspace_id=2, workspace="other agency")
    with pytest.raises(saved.ScenarioNotFound):
        saved.load_scenario(engine, sid, access=other)
    assert saved.list_scenarios(engine, c1, access=other).empty
    assert saved.delete_scenario(engine, sid, access=other) is False
    with pytest.raises(saved.ScenarioNotFound):
        saved.save_scenario(engine, c1, snap, access=other)
    with pytest.raises(saved.ScenarioNotFound):
        saved.save_scenario(engine, c2, snap, access=LOCAL)  # workspace 1 cannot write into workspace 2's campaign
    assert saved.list_scenarios(engine, c2, access=other).empty
    # a saved scenario compares without a re-solve
    cmp = scen.compare([saved.load_scenario(engine, sid, access=LOCAL).snapshot,
                        saved.load_scenario(engine, sid2, access=LOCAL).snapshot])
    assert cmp.differ.empty
    assert saved.delete_scenario(engine, sid, access=LOCAL) is True
    with pytest.raises(saved.ScenarioNotFound):
        saved.load_scenario(engine, sid, access=LOCAL)
    with pytest.raises(saved.ScenarioNotFound):
        saved.load_scenario(engine, "abc", access=LOCAL)  # type: ignore[arg-type]


def test_deleting_a_campaign_deletes_its_scenarios(two_workspaces, result):
    from planner import campaigns
    engine, c1, _ = two_workspaces
    sid = saved.save_scenario(engine, c1, result.snapshot("Gone"), access=LOCAL)
    assert campaigns.delete_campaign(engine, c1, access=LOCAL)
    with pytest.raises(saved.ScenarioNotFound):
        saved.load_scenario(engine, sid, access=LOCAL)


# ---- the command line ----------------------------------------------------------------------------------------
@pytest.fixture
def cli_db(new_db_url, tmp_path, monkeypatch, small_sample):
    url = new_db_url("cli")
    monkeypatch.setenv("DATABASE_URL", url)
    store.upsert_bloggers(db.get_engine(url), small_sample, source="sample")
    return url


_run = run_cli


def test_cli_sweep_json(cli_db, capsys):
    code, out, _ = _run(capsys, "scenarios", "sweep", "--budget", "400000", "--from", "200000", "--to", "800000",
                        "--points", "5", "--time-limit", str(TL), "--json")
    assert code == 0
    assert len(out["points"]) == 5 and set(out) >= {"points", "flattening_budget"}
    budgets = [p["budget"] for p in out["points"]]
    assert budgets == pytest.approx([200_000, 400_000, 500_000, 650_000, 800_000])  # the brief's budget is a point
    for p in out["points"]:
        assert {"budget", "unique_reach", "niche_value", "orders", "cpm", "p10", "p50", "p90"} <= set(p)
        assert p["cost"] <= p["budget"] and p["p10"] <= p["p50"] <= p["p90"]
    assert out["plan"]["budget"] == 400_000


def test_cli_sweep_text_save_and_bad_input(cli_db, capsys):
    engine = db.get_engine(cli_db)
    with Session(engine) as s:
        camp = Campaign(name="Launch")
        s.add(camp)
        s.commit()
        cid = int(camp.id)
    code, out, _ = _run(capsys, "scenarios", "sweep", "--budget", "400000", "--points", "3", "--niche", "beauty",
                        "--campaign", str(cid), "--save", "Beauty", "--time-limit", str(TL))
    assert code == 0 and "unique reach" in out and "saved as scenario" in out
    assert list(saved.list_scenarios(engine, cid, access=LOCAL)["name"]) == ["Beauty"]
    for argv in (["--points", "1"], ["--from", "5", "--to", "2"], ["--from", "-3"], ["--reach-rate", "0"],
                 ["--samples", "5"], ["--save", "x"], ["--campaign", "999", "--save", "x"], ["--budget", "-1"]):
        args = ["scenarios", "sweep", "--budget", "400000", *argv]
        code, out, err = _run(capsys, *args)
        assert code == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1, argv


# ---- charts (pure Altair specs) ------------------------------------------------------------------------------
def test_sweep_chart_draws_the_band_the_marks_and_the_locale(result):
    from planner.reporting import charts
    pts = result.sweep.points
    spec = charts.scenario_sweep_chart(pts, "unique_reach", "ru", "₽", current=400_000, flattening=600_000).to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks[:3] == ["area", "line", "point"] and "rule" in marks and "text" in marks
    band = spec["layer"][0]["encoding"]
    assert band["y"]["field"] == "p10" and band["y2"]["field"] == "p90"
    assert spec["config"]["locale"]["number"]["decimal"] == ","  # Russian number format
    data = max(spec["datasets"].values(), key=len)
    assert len(data) == len(pts) and all(d["p10"] <= d["value"] * 1.5 for d in data)
    assert any(d.get("label") == "отдача выравнивается" for v in spec["datasets"].values() for d in v)
    # CPM has no band; a big (presentation) chart has larger text
    cpm = charts.scenario_sweep_chart(pts, "cpm", "en", big=True).to_dict()
    assert [ly["mark"]["type"] if isinstance(ly["mark"], dict) else ly["mark"] for ly in cpm["layer"]] == [
        "line", "point"]
    assert cpm["config"]["axis"]["labelFontSize"] >= 18
    # a point not solved to its gap target is drawn apart (hollow, with its gap), never joined by the line
    stopped = pts.copy()
    stopped.loc[stopped.index[1], ["status", "gap"]] = ["time_limit", 0.05]
    spec = charts.scenario_sweep_chart(stopped, "unique_reach", "en").to_dict()
    line = next(ly for ly in spec["layer"] if (ly["mark"]["type"] if isinstance(ly["mark"], dict) else ly["mark"])
                == "line")
    assert len(spec["datasets"][line["data"]["name"]]) == len(pts) - 1
    every = max(spec["datasets"].values(), key=len)
    assert [d["gap"] for d in every if not d["solved"]] == [5.0]
    dots = next(ly for ly in spec["layer"] if (ly["mark"]["type"] if isinstance(ly["mark"], dict) else ly["mark"])
                == "point")
    assert dots["encoding"]["fill"]["condition"]["test"] == "datum.solved"


def test_marginal_and_compare_charts(result):
    from planner.reporting import charts
    m = charts.scenario_marginal_chart(result.sweep.points, "en", flattening=500_000).to_dict()
    rows = next(iter(m["datasets"].values()))
    assert len(rows) == len(result.sweep.points) - 1 and {"budget", "value", "flat"} <= set(rows[0])
    cmp = scen.compare([result.snapshot("A"), result.snapshot("B")])
    c = charts.scenario_compare_chart(cmp.totals, "unique_reach", "en").to_dict()
    kinds = [ly["mark"]["type"] if isinstance(ly["mark"], dict) else ly["mark"] for ly in c["layer"]]
    assert kinds == ["bar", "errorbar"]


def test_a_sweeps_quality_counts_its_points_by_status_and_its_largest_gap():
    points = pd.DataFrame({"status": ["optimal", "gap_ok", "time_limit", "infeasible"],
                           "gap": [0.0, 0.004, 0.03, np.nan]})
    sweep = scen.SweepResult(points=points, flattening_budget=None, normalisers=(1.0, 1.0),
                             calibration=unc.Calibration(), seconds=0.1)
    assert sweep.quality() == {"points": 4, "within_target": 2, "stopped": 1, "largest_gap": 0.03}
    empty = scen.SweepResult(points=points.iloc[0:0], flattening_budget=None, normalisers=(1.0, 1.0),
                             calibration=unc.Calibration(), seconds=0.0)
    assert empty.quality() == {"points": 0, "within_target": 0, "stopped": 0, "largest_gap": 0.0}


def test_a_scenarios_bands_are_the_same_with_or_without_its_budget_curve(frame):
    """The editor (curve solved) and the presentation view (the same scenario) must not show different P10–P90 for
    the same seed: a placement's draws do not depend on the curve's placements drawn beside it."""
    sc = _scenario(budget=600_000.0, points=4)
    solved = scen.plan_scenario(frame, sc, time_limit=5)
    alone = scen.evaluate(solved, frame, sc)
    with_curve = scen.evaluate(scen.plan_curve(solved, sc, time_limit=10), frame, sc)
    for metric in ("unique_reach", "engagements", "orders"):
        for q in ("p10", "p50", "p90"):
            assert alone.totals[f"{metric}_{q}"] == pytest.approx(with_curve.totals[f"{metric}_{q}"], rel=1e-12)


def test_the_scenarios_own_point_is_certified_by_the_sweeps_bound_too():
    """At the brief's own budget the curve and the scenario tell the better of the two plans, with the lower of the
    two bounds (both bound every plan of that budget and blend with the same normalisers); the scenario's plan
    object itself is never changed (it may be shared)."""
    import numpy as np

    from planner.planning import optimiser
    from planner.planning.scenarios import _with_bound

    def sol(objective, bound, status, norm=(2.0, 3.0)):
        return optimiser.Solution(chosen=np.array([1, 2]), cost=10.0, unique_reach=5.0, niche_value=1.0,
                                  objective=objective, upper_bound=bound, gap=(bound - objective) / bound,
                                  reach_weight=0.5, seconds=1.0, status=status, normalisers=norm, gap_target=0.005)

    main, swept = sol(0.90, 0.99, "time_limit"), sol(0.899, 0.902, "gap_ok")
    out = _with_bound(main, swept, (2.0, 3.0))
    assert out is not main and main.upper_bound == 0.99 and main.status == "time_limit"
    assert out.objective == 0.90 and out.upper_bound == pytest.approx(0.902) and list(out.chosen) == [1, 2]
    assert out.gap == pytest.approx(0.002 / 0.902) and out.status == "gap_ok"
    assert _with_bound(main, sol(0.8, 0.995, "time_limit"), (2.0, 3.0)) is main  # a looser bound: nothing to take
    assert _with_bound(main, sol(0.899, 0.902, "gap_ok", norm=(1.0, 1.0)), (2.0, 3.0)) is main  # other blend scale
    assert _with_bound(main, None, (2.0, 3.0)) is main
    # a bound below the plan (rounding) never makes a negative gap
    assert _with_bound(main, sol(0.89, 0.8999999, "gap_ok"), (2.0, 3.0)).gap == 0.0
    # a poorer plan of the short solve (a busy server) gives way to the sweep's better plan at the same budget,
    # certified by the lower bound; the short solve's plan itself is not changed
    poor = sol(0.60, 0.99, "time_limit")
    poor.chosen = np.array([7])
    good = sol(0.90, 0.903, "gap_ok")
    out = _with_bound(poor, good, (2.0, 3.0))
    assert out is not poor and list(out.chosen) == [1, 2] and out.objective == 0.90 and list(poor.chosen) == [7]
    assert out.upper_bound == pytest.approx(0.903) and out.status == "gap_ok" and out.gap_target == 0.005


def test_a_poor_short_solve_is_replaced_by_the_sweeps_plan_at_its_budget(frame, monkeypatch):
    """The scenario's plan after the curve is the better of its own and the sweep's at the brief's budget: a short
    solve stopped at a poor plan (a busy server) no longer contradicts the curve drawn beside it."""
    import dataclasses

    from planner.planning import optimiser
    sc = _scenario(points=4)
    solved = scen.plan_scenario(frame, sc, time_limit=TL)
    poor = dataclasses.replace(solved.main, chosen=solved.main.chosen[:1], objective=solved.main.objective * 0.5,
                               status="time_limit")
    short = dataclasses.replace(solved, main=poor)
    done = scen.plan_curve(short, sc, time_limit=TL)
    own = int(np.flatnonzero(done.budgets == sc.brief.budget)[0])
    assert done.main is done.curve[own] and done.main.objective > poor.objective
    assert done.main.objective >= solved.main.objective * (1 - scen.CURVE_GAP)  # as good as a full solve, nearly
    assert short.main is poor and len(poor.chosen) == 1  # the shared short solve is never changed
    assert done.main.upper_bound <= poor.upper_bound + 1e-12
    assert isinstance(done.main, optimiser.Solution)
