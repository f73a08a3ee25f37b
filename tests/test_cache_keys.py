"""One test per cached result of the app: an unchanged input gives the cached answer, and changing an input the
answer depends on (an import, an exchange rate, a tier bound, a lock, a kick-out, the list planned on, results)
changes it. Real objects on a throw-away SQLite database; a cache's builds are counted by wrapping the function
that computes, never by replacing it. Timings are never asserted."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner.core.i18n import TEXT
from planner.core.money import DEFAULT_FX_RUB, Rates
from planner.estimates import metrics
from planner.estimates.catalog import Catalog, Filters
from planner.planning.brief import Brief
from planner.storage import db, store
from planner.storage.access import LOCAL
from tests.conftest import ROOT

MY_RATES = (("RUB", 1.0), ("USD", 30.0), ("EUR", 98.0))  # a user's rates: the dollar at a third of the default
PRICE_RANGE = (20_000.0, 60_000.0)  # roubles: a post's price filter on the Database page


@pytest.fixture
def sample_db(new_db_url, tmp_path, monkeypatch, small_sample):
    """The 400-blogger sample (RUB, USD and EUR prices) in a fresh SQLite file, the app's DATABASE_URL."""
    url = new_db_url("cache")
    monkeypatch.setenv("DATABASE_URL", url)
    engine = db.get_engine(url)
    store.upsert_bloggers(engine, small_sample, source="sample")
    yield engine
    engine.dispose()
    db._engines.pop(db.database_url(url), None)


def _import(engine, change) -> None:
    """An import: the stored bloggers written back with ``change(frame)`` applied (a new data version)."""
    before = store.data_version(engine)
    frame = change(store.load_bloggers(engine).drop(columns=["id"]))
    store.upsert_bloggers(engine, frame, source="import:test")
    assert store.data_version(engine) != before


def _counted(monkeypatch, owner, name: str) -> list:
    """Wrap ``owner.name`` so that each call is recorded (its arguments and its answer); it still computes."""
    calls: list = []
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        out = real(*args, **kwargs)
        calls.append((args, kwargs, out))
        return out

    monkeypatch.setattr(owner, name, counted)
    return calls


def _page(path: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["lang"] = "en"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if path != "pages/database.py":
        at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at: AppTest, key: str) -> str:
    return next(m.value for m in at.metric if m.label == TEXT[key]["en"])


# ---- the Database page's catalog (pages.common._catalog) ----------------------------------------------------------
def test_the_catalog_is_built_once_per_data_version_and_rates_apply_per_call(sample_db, monkeypatch):
    from pages import common

    builds = _counted(monkeypatch, Catalog, "__post_init__")
    default = common.Settings("en", "RUB", tuple(DEFAULT_FX_RUB.items()))
    mine = common.Settings("en", "RUB", MY_RATES)
    cat = common.catalog(default)
    assert common.catalog(mine) is cat and len(builds) == 1  # a rate edit rebuilds nothing

    f = Filters(price_min=PRICE_RANGE[0], price_max=PRICE_RANGE[1], min_credibility=0.0)
    at_default = cat.select(f, "RUB", rates=default.rates)
    at_mine = cat.select(f, "RUB", rates=mine.rates)
    assert cat.select(f, "RUB", rates=default.rates) is at_default  # unchanged rates: the remembered answer
    assert set(at_default.tolist()) != set(at_mine.tolist())  # the rate changed which bloggers the filter keeps
    df = cat.frame
    for settings, got in ((default, at_default), (mine, at_mine)):
        rub = df["price_post"] * df["currency"].map(settings.rates.table)
        kept = rub.between(*PRICE_RANGE).to_numpy(dtype=bool, na_value=False)
        assert set(got.tolist()) == set(np.flatnonzero(kept).tolist())
    # a price sort, the view's median CPM and the prices shown follow the rates too
    by_price = Filters(min_credibility=0.0)
    assert not np.array_equal(cat.select(by_price, sort="price_main", rates=default.rates),
                              cat.select(by_price, sort="price_main", rates=mine.rates))
    assert cat.summary(f, "RUB", rates=default.rates)["median_cpm_rub"] != \
        cat.summary(f, "RUB", rates=mine.rates)["median_cpm_rub"]
    usd_rows = np.flatnonzero((df["currency"] == "USD").to_numpy())[:5]
    assert np.allclose(cat.amounts("price_main", "RUB", mine.rates, usd_rows),
                       cat.amounts("price_main", "RUB", default.rates, usd_rows) * 30.0 / 90.0)

    # an import: a new data version, a new catalog, and the filter sees the new prices
    outside = df.index[(df["currency"] == "RUB") & ~df["price_post"].between(*PRICE_RANGE)][:3]
    handles = set(df.loc[outside, "handle"])
    _import(sample_db, lambda fr: fr.assign(price_post=fr["price_post"].where(~fr["handle"].isin(handles), 40_000.0)))
    fresh = common.catalog(default)
    assert fresh is not cat and len(builds) == 2
    hits = set(fresh.frame["handle"].iloc[fresh.select(f, "RUB", rates=default.rates)])
    assert handles <= hits and not handles & set(df["handle"].iloc[at_default])
    assert common.catalog(mine) is fresh and len(builds) == 2


def test_the_database_page_filters_prices_at_the_users_rates_without_a_rebuild(sample_db, monkeypatch):
    builds = _counted(monkeypatch, Catalog, "__post_init__")
    at = _page("pages/database.py", cred="0", pmin=str(int(PRICE_RANGE[0])), pmax=str(int(PRICE_RANGE[1])))
    matching = _metric(at, "db.matching")
    at.run()
    assert _metric(at, "db.matching") == matching and len(builds) == 1
    at.number_input(key="fx_usd").set_value(30.0).run()  # the user's dollar rate
    assert not at.exception
    assert _metric(at, "db.matching") != matching and len(builds) == 1  # another answer, the same catalog


# ---- the Plan page's plan: data version + the brief's fingerprint ----------------------------------------------
def _plan_answer(outcome) -> tuple:
    out = outcome.to_json()
    return (sorted((p["handle"], p["platform"], p["format"], p["cost"]) for p in out["placements"]),
            out["unique_reach"], out["total_cost"])


def test_the_plan_key_changes_with_every_input_of_the_plan_and_so_does_the_plan(sample_db):
    """pages/plan.py keys its candidates and plans by the data version and the brief's fingerprint (the
    candidates' part of it: everything but the reach weight and the outcome rates). Each input below changes the
    key and planner.app.planning.plan_brief's answer; the same brief read back has the same key and plan."""
    from planner.app import planning
    from planner.campaigns import lists

    frame = metrics.enrich(store.load_bloggers(sample_db))

    def page_key(brief: Brief) -> str:  # what the page's caches are keyed by (pages/plan.py plan_key)
        return f"{store.data_version(sample_db)}|{brief.candidates_fingerprint()}"

    base = Brief(budget=600_000)
    first = planning.plan_brief(sample_db, base, time_limit=10, database=frame, access=LOCAL)
    again = Brief.from_json(base.to_json())
    assert page_key(again) == page_key(base) and again.fingerprint() == base.fingerprint()
    assert _plan_answer(planning.plan_brief(sample_db, again, time_limit=10, database=frame,
                                            access=LOCAL)) == _plan_answer(first)

    chosen = sorted(set(first.result.placements["id"].astype(int)))
    outside = [int(i) for i in frame["id"] if int(i) not in chosen]
    assert set(chosen) & set(frame.loc[frame["currency"] == "USD", "id"].astype(int))  # the rate matters here
    variants = {
        "rate": dataclasses.replace(base, fx=dict(MY_RATES)),
        "tier bound": dataclasses.replace(base, tier_bounds=(1_000, 5_000, 20_000, 100_000)),
        "lock": dataclasses.replace(base, must_include=(outside[0],)),
        "kick-out": dataclasses.replace(base, must_exclude=(chosen[0],)),
        "list": dataclasses.replace(base, bloggers=lists.of_ids("shortlist", sorted(frame["id"].astype(int))[:200])),
    }
    keys = {page_key(base)}
    for name, brief in variants.items():
        assert brief.fingerprint() != base.fingerprint(), name
        keys.add(page_key(brief))
        outcome = planning.plan_brief(sample_db, brief, time_limit=10, database=frame, access=LOCAL)
        assert _plan_answer(outcome) != _plan_answer(first), name
    assert len(keys) == 1 + len(variants)
    placed = set(outcome.result.placements["id"].astype(int))
    assert placed <= set(sorted(frame["id"].astype(int))[:200])  # the list's plan is on the list
    # an import: a new data version, a new key for the same brief, and a plan on the new data
    key = page_key(base)
    _import(sample_db, lambda fr: fr.assign(price_post=fr["price_post"] * 0.5, price_video=fr["price_video"] * 0.5,
                                            price_short=fr["price_short"] * 0.5))
    assert page_key(base) != key
    fresh = planning.plan_brief(sample_db, base, time_limit=10, access=LOCAL)
    assert _plan_answer(fresh) != _plan_answer(first)


def test_the_plan_pages_brief_carries_the_sidebars_rates(sample_db):
    """The rate typed in the sidebar reaches the Plan page's brief (hence its fingerprint: its plan's key)."""
    from pages import common

    at = _page("pages/plan.py")
    brief = at.session_state[common.PLAN_BRIEF]
    at.run()
    assert at.session_state[common.PLAN_BRIEF].fingerprint() == brief.fingerprint()
    at.number_input(key="fx_usd").set_value(30.0).run()
    assert not at.exception
    mine = at.session_state[common.PLAN_BRIEF]
    assert mine.fx["USD"] == 30.0 and mine.fingerprint() != brief.fingerprint()


# ---- the Scenarios page's plans and sweep (pages/scenarios.py: _solved_shared, _curves by solve_key) --------------
def _sweep(at: AppTest) -> list[float]:
    return at.session_state["_scen_current"].sweep.points["unique_reach"].round().tolist()


def test_a_scenarios_sweep_is_remembered_until_a_rate_an_import_or_its_budgets_change(sample_db, monkeypatch):
    from planner.planning import scenarios as scen_engine

    curves = _counted(monkeypatch, scen_engine, "plan_curve")
    params = {"points": "4", "budget": "600000"}
    at = _page("pages/scenarios.py", **params)
    first = _sweep(at)
    assert len(curves) == 1
    other = _page("pages/scenarios.py", **params)  # another session on the same link: the remembered sweep
    assert _sweep(other) == first and len(curves) == 1
    other.number_input(key="fx_usd").set_value(30.0).run()  # a rate: other prices, other plans
    assert not other.exception and len(curves) == 2 and _sweep(other) != first
    _page("pages/scenarios.py", points="5", budget="600000")  # other budgets: another sweep
    assert len(curves) == 3
    _import(sample_db, lambda fr: fr.assign(price_post=fr["price_post"] * 0.5, price_video=fr["price_video"] * 0.5,
                                            price_short=fr["price_short"] * 0.5))
    at.run()  # the same session and widgets, new data
    assert not at.exception and len(curves) == 4 and _sweep(at) != first


def test_a_scenarios_evaluation_is_shared_by_sessions_until_a_rate_or_an_import_changes(sample_db, monkeypatch):
    """The figures and bands (the Monte Carlo) of one scenario are made once for every session of the process: a
    second session on the same link is handed them; a rate typed in one session, or an import, evaluates anew; a
    session's own scenario (its name) is never another session's."""
    from planner.planning import scenarios as scen_engine

    evaluations = _counted(monkeypatch, scen_engine, "evaluate")
    params = {"points": "4", "budget": "600000"}
    at = _page("pages/scenarios.py", **params)
    made = len(evaluations)
    assert made >= 1
    first = at.session_state["_scen_current"]
    other = _page("pages/scenarios.py", **params)  # another session, the same scenario: nothing evaluated again
    assert len(evaluations) == made
    shared = other.session_state["_scen_current"]
    assert shared.totals == first.totals and shared.bands.equals(first.bands)
    other.session_state["sc_assumptions_box"] = True  # the rates' panel, drawn only while open
    other.run()
    other.number_input(key="sc_ctr").set_value(5.0).run()  # another click-through rate: other orders
    assert not other.exception and len(evaluations) == made + 1
    assert other.session_state["_scen_current"].totals["orders"] != first.totals["orders"]
    at.run()  # the first session is untouched by the other's rate
    assert at.session_state["_scen_current"].totals == first.totals and len(evaluations) == made + 1
    _import(sample_db, lambda fr: fr.assign(followers=fr["followers"] * 2))
    _page("pages/scenarios.py", **params)  # new data: a new evaluation
    assert len(evaluations) > made + 1


def test_the_scenarios_history_follows_an_import_of_results(sample_db, monkeypatch):
    """Earlier campaigns' forecast errors (the bands' history) are read again after results are imported for one
    of them: the cache's key holds each campaign's last change, not only how many there are."""
    from planner import campaigns
    from planner.app import planning
    from planner.campaigns import results
    from planner.campaigns import scenarios as saved
    from planner.planning import scenarios as scen_engine

    outcome = planning.plan_brief(sample_db, Brief(budget=300_000), time_limit=10, access=LOCAL)
    cid = campaigns.save_plan(sample_db, "Earlier campaign", outcome.result, access=LOCAL)
    places = results.placements_of(sample_db, cid, access=LOCAL)
    results.write_results(sample_db, cid, pd.DataFrame({"placement_id": places["id"], "reach": 1_000.0}), access=LOCAL)
    errors = _counted(monkeypatch, saved, "forecast_errors")
    evaluations = _counted(monkeypatch, scen_engine, "evaluate")
    at = _page("pages/scenarios.py", points="4", budget="600000")
    assert len(errors) == 1 and not errors[-1][2].empty
    at.run()
    assert len(errors) == 1  # nothing changed: the remembered history
    results.write_results(sample_db, cid, pd.DataFrame({"placement_id": places["id"], "reach": 50_000.0}), access=LOCAL)
    at.run()
    assert not at.exception and len(errors) == 2
    assert not errors[-1][2].equals(errors[0][2])
    assert evaluations[-1][1]["errors"].equals(errors[-1][2])  # the bands are evaluated on the new history


# ---- the pitch's frontier (planner.reporting.pitch._PLANS_MEMO: url, data version, brief fingerprint) ------------
def test_the_pitchs_plans_are_remembered_per_data_version_and_brief(sample_db, monkeypatch):
    from planner import campaigns
    from planner.app import planning
    from planner.core.memo import LruMemo
    from planner.planning import plan
    from planner.reporting import pitch

    monkeypatch.setattr(pitch, "_PLANS_MEMO", LruMemo(8))
    frontiers = _counted(monkeypatch, plan, "frontier")
    frame = metrics.enrich(store.load_bloggers(sample_db))
    brief = Brief(budget=600_000)
    outcome = planning.plan_brief(sample_db, brief, time_limit=10, database=frame, access=LOCAL)
    cid = campaigns.save_plan(sample_db, "Pitched", outcome.result, access=LOCAL)

    def frontier(campaign: int, bloggers: pd.DataFrame, **kw) -> pd.DataFrame:
        doc = pitch.build(sample_db, campaign, bloggers=bloggers, frontier=True, curve=False, time_limit=5,
                          access=LOCAL, **kw)
        assert doc.frontier is not None
        return doc.frontier

    first = frontier(cid, frame, rates=Rates.of(None))
    assert len(frontiers) == 1
    # another language, currency or display rate: the remembered plans, converted when shown
    usd = frontier(cid, frame, lang="ru", currency="USD", rates=Rates.of(None))
    usd_mine = frontier(cid, frame, currency="USD", rates=Rates.of(dict(MY_RATES)))
    assert len(frontiers) == 1
    assert usd["unique_reach"].tolist() == first["unique_reach"].tolist()
    assert np.allclose(usd["cost"], first["cost"] / 90.0) and np.allclose(usd_mine["cost"], first["cost"] / 30.0)
    # the campaign's brief planned at other rates: another fingerprint, other plans
    other = campaigns.save_plan(sample_db, "Pitched at my rates", planning.plan_brief(
        sample_db, dataclasses.replace(brief, fx=dict(MY_RATES)), time_limit=10, database=frame, access=LOCAL).result,
        access=LOCAL)
    assert not frontier(other, frame).equals(first) and len(frontiers) == 2
    # an import: a new data version, the same campaign planned again on the new data
    _import(sample_db, lambda fr: fr.assign(price_post=fr["price_post"] * 0.5, price_video=fr["price_video"] * 0.5,
                                            price_short=fr["price_short"] * 0.5))
    fresh = frontier(cid, metrics.enrich(store.load_bloggers(sample_db)))
    assert len(frontiers) == 3 and not fresh.equals(first)


# ---- the Results page's report (pages/results.py cached_report: campaign version, data version, rates) ----------
@pytest.fixture
def shipped_sample(new_db_url, tmp_path, monkeypatch):
    """A first start: the shipped sample (bloggers and the finished sample campaign with its results)."""
    monkeypatch.delenv("PLANNER_NO_SAMPLE", raising=False)
    url = new_db_url("results")
    monkeypatch.setenv("DATABASE_URL", url)
    engine = db.get_engine(url)
    yield engine
    engine.dispose()
    db._engines.pop(db.database_url(url), None)


def test_the_results_report_follows_an_import_of_results_bloggers_or_rates(shipped_sample, monkeypatch):
    from planner.campaigns import report as report_mod
    from planner.campaigns import results

    builds = _counted(monkeypatch, report_mod, "build")

    def report():
        return builds[-1][2].to_json()

    at = _page("pages/results.py")
    cid = int(at.selectbox(key="results_campaign").value)
    first = report()
    at.run()
    assert len(builds) == 1  # nothing changed: the cached report
    # an import of results: the campaign's version
    places = results.placements_of(shipped_sample, cid, access=LOCAL)
    results.write_results(shipped_sample, cid, pd.DataFrame({"placement_id": places["id"].iloc[:1],
                                                             "orders": [987.0]}), access=LOCAL)
    at.run()
    assert not at.exception and len(builds) == 2 and report() != first
    # an import of bloggers: the data version (the report's benchmark figures read them)
    after_results = report()
    _import(shipped_sample, lambda fr: fr.assign(followers=fr["followers"] * 3))
    at.run()
    assert not at.exception and len(builds) == 3 and report() != after_results
    # the user's rates: another report (amounts converted at them)
    after_import = report()
    at.number_input(key="fx_usd").set_value(30.0).run()
    assert not at.exception and len(builds) == 4 and report() != after_import


# ---- the pages' charts (pages.common.chart: by the chart function and its arguments' content) ---------------------
def test_the_results_charts_are_made_once_per_report_and_language_and_follow_an_import(shipped_sample, monkeypatch):
    """The Results page's four charts are made once for every session while the report and the language stay; an
    import of results (another report) or another language makes them again, and each one drawn is the report's."""
    from pages import common
    from planner.campaigns import results
    from planner.reporting import charts

    monkeypatch.setattr(common, "_CHARTS", common.LruMemo(96))  # this test's own memo
    made = _counted(monkeypatch, charts, "funnel_chart")
    at = _page("pages/results.py")
    assert len(made) == 1
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert len(specs) == 4
    at.run()
    _page("pages/results.py")  # another session on the same report
    assert len(made) == 1
    assert [c.proto.spec for c in at.get("vega_lite_chart")] == specs
    cid = int(at.selectbox(key="results_campaign").value)
    places = results.placements_of(shipped_sample, cid, access=LOCAL)
    results.write_results(shipped_sample, cid, pd.DataFrame({"placement_id": places["id"],
                                                             "orders": 10_000.0}), access=LOCAL)
    at.run()
    assert not at.exception and len(made) == 2
    assert not made[-1][0][0]["value"].equals(made[0][0][0]["value"])  # the funnel of the new results
    at.selectbox(key="lang").select("ru").run()
    assert not at.exception and len(made) == 3


def test_a_chart_kept_for_later_runs_owns_its_data_and_unkeyable_arguments_build_every_time(monkeypatch):
    from pages import common

    monkeypatch.setattr(common, "_CHARTS", common.LruMemo(8))
    calls = []

    def make(frame, label, extra=None):
        calls.append(1)
        return frame

    data = pd.DataFrame({"x": [1.0, 2.0]})
    kept = common.chart(make, data, "a")
    data.loc[0, "x"] = 99.0  # the page changes its frame afterwards: the kept chart does not change
    assert kept["x"].tolist() == [1.0, 2.0] and len(calls) == 1
    assert common.chart(make, pd.DataFrame({"x": [1.0, 2.0]}), "a") is kept and len(calls) == 1
    assert common.chart(make, data, "a") is not kept and len(calls) == 2
    common.chart(make, data, "a", extra=object())
    common.chart(make, data, "a", extra=object())
    assert len(calls) == 4
