"""Nothing lost when two people edit: two sessions on the same campaign, one saves first, the other's save from its
stale view is refused with a message naming what changed, and nothing of the first save is lost (goals through two
AppTest sessions; goals, placement statuses and results in the domain, as any page or command saves them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.campaigns import goals as goals_mod
from planner.campaigns import results, saved
from planner.core.i18n import TEXT
from planner.storage import db
from planner.storage.access import LOCAL
from tests.conftest import open_tab

ROOT = Path(__file__).resolve().parent.parent


def _goals_tab(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/results.py").run()
    open_tab(at, "results_tab", "results.tab_goals", lang)  # drawn only while open
    assert not at.exception
    return at


def _save(at: AppTest, lang: str = "en") -> None:
    next(b for b in at.button if b.label == TEXT["goals.save"][lang]).click().run()


def test_a_stale_tab_cannot_undo_anothers_goals(sample_app):
    engine = db.get_engine(sample_app)
    a, b = _goals_tab(), _goals_tab()
    cid = int(a.selectbox(key="results_campaign").value)
    before = goals_mod.load_goals(engine, cid, access=LOCAL)
    def orders(at: AppTest):
        return next(n for n in at.number_input if n.label.startswith(TEXT["goals.kind.orders"]["en"]))

    orders(a).set_value(350.0)
    _save(a)
    assert not a.exception and goals_mod.load_goals(engine, cid, access=LOCAL).target("orders") == 350
    # tab B still shows the goals it opened; its user changes the margin and saves
    margin = next(n for n in b.number_input if n.label == TEXT["goals.margin"]["en"])
    margin.set_value(40.0)
    _save(b)
    assert not b.exception
    errors = " ".join(e.value for e in b.error)
    assert "changed elsewhere" in errors and "Orders" in errors and "350" in errors
    now = goals_mod.load_goals(engine, cid, access=LOCAL)
    assert now.target("orders") == 350 and now.margin_pct == before.margin_pct  # nothing of B written, A kept
    # B's form now shows the goals as they are: the margin saved again is saved, the orders stay
    assert orders(b).value == 350
    margin = next(n for n in b.number_input if n.label == TEXT["goals.margin"]["en"])
    margin.set_value(40.0)
    _save(b)
    assert not b.exception and not b.error
    now = goals_mod.load_goals(engine, cid, access=LOCAL)
    assert now.target("orders") == 350 and now.margin_pct == 40


def test_goals_saved_from_a_stale_read_are_refused_and_name_the_change(engine):
    from tests.test_results import TWO, make_campaign
    cid = make_campaign(engine, TWO)
    seen_by_a = goals_mod.load_goals(engine, cid, access=LOCAL)
    seen_by_b = goals_mod.load_goals(engine, cid, access=LOCAL)
    goals_mod.save_goals(engine, cid, seen_by_a.with_targets({"orders": 350.0}), base=seen_by_a, access=LOCAL)
    with pytest.raises(goals_mod.GoalError) as info:
        goals_mod.save_goals(engine, cid, goals_mod.Goals(margin_pct=40.0), base=seen_by_b, access=LOCAL)
    assert info.value.code == "stale" and "orders — → 350" in str(info.value)
    assert goals_mod.load_goals(engine, cid, access=LOCAL).target("orders") == 350
    assert goals_mod.load_goals(engine, cid, access=LOCAL).margin_pct is None


def test_statuses_and_results_saved_from_a_stale_read_are_refused(engine):
    from tests.test_results import TWO, make_campaign
    cid = make_campaign(engine, TWO)
    camp, placements = saved.load_campaign(engine, cid, access=LOCAL)
    version = int(camp.placements_version)
    pid = int(placements["id"].iloc[0])
    saved.set_statuses(engine, cid, {pid: "agreed"}, expected_version=version, access=LOCAL)
    with pytest.raises(saved.StaleEdit) as info:
        saved.set_statuses(engine, cid, {pid: "cancelled"}, expected_version=version, access=LOCAL)
    assert info.value.part == "placements"
    assert saved.load_campaign(engine, cid, access=LOCAL)[1].set_index("id").loc[pid, "status"] == "agreed"
    frame = results.load_results(engine, cid, access=LOCAL)
    rversion = results.results_version(engine, cid, access=LOCAL)
    row = frame.iloc[[0]].assign(orders=5.0)
    results.write_results(engine, cid, row, columns=["orders"], source="edit", expected_version=rversion, access=LOCAL)
    with pytest.raises(saved.StaleEdit):
        results.write_results(engine, cid, row.assign(orders=1.0), columns=["orders"], source="edit",
                              expected_version=rversion, access=LOCAL)
    assert results.load_results(engine, cid, access=LOCAL).set_index("placement_id").loc[row["placement_id"].iloc[0],
                                                                            "orders"] == 5.0


def test_a_scenario_saved_again_elsewhere_is_not_overwritten_from_a_stale_copy(engine):
    from planner.campaigns import scenarios as saved_scenarios
    from planner.planning import plan
    from planner.planning import scenarios as scen
    from tests.test_results import TWO, make_campaign
    cid = make_campaign(engine, TWO)

    def snapshot(budget: float) -> scen.ScenarioSnapshot:
        sc = scen.Scenario(brief=plan.Brief(budget=budget), name="Spring")
        return scen.ScenarioSnapshot(name="Spring", scenario=sc, totals={"cost": budget}, placements=None, curve=None)

    sid = saved_scenarios.save_scenario(engine, cid, snapshot(100_000), access=LOCAL)
    opened_by_a = saved_scenarios.load_scenario(engine, sid, access=LOCAL)
    opened_by_b = saved_scenarios.load_scenario(engine, sid, access=LOCAL)
    saved_scenarios.save_scenario(engine, cid, snapshot(200_000), expected_version=opened_by_a.version, access=LOCAL)
    with pytest.raises(saved.StaleEdit) as info:
        saved_scenarios.save_scenario(engine, cid, snapshot(300_000), expected_version=opened_by_b.version,
                                      access=LOCAL)
    assert info.value.part == "scenario"
    assert saved_scenarios.load_scenario(engine, sid, access=LOCAL).snapshot.totals["cost"] == 200_000


def test_two_imports_at_once_into_a_campaign_without_results_both_succeed(engine):
    """Two imports racing into a campaign with no results yet: the version claim at the start of each write
    serialises them (the second reads what the first wrote), so neither ends in a unique-constraint error."""
    import threading

    from tests.test_results import TWO, make_campaign
    cid = make_campaign(engine, TWO)
    frame = results.load_results(engine, cid, access=LOCAL).assign(orders=3.0)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            results.write_results(engine, cid, frame, columns=["orders"], source="import:race.csv", access=LOCAL)
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert not errors, errors
    assert (results.load_results(engine, cid, access=LOCAL)["orders"] == 3.0).all()
