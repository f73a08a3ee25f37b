"""AppTest of the Scenarios page: both languages, the URL round trip (a shared link opens the same scenario), an
assumption's effect at once, saving two scenarios and comparing them, a saved scenario's link, the presentation
view. Timings are never asserted."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from planner.campaigns import scenarios as saved
from planner.core.i18n import TEXT
from planner.storage import db, store
from planner.storage.access import LOCAL
from planner.storage.models import Campaign
from tests.conftest import ROOT, open_expander

PAGE = "pages/scenarios.py"


@pytest.fixture
def app_db(new_db_url, tmp_path, monkeypatch, small_sample):
    url = new_db_url("scen")
    monkeypatch.setenv("DATABASE_URL", url)
    engine = db.get_engine(url)
    store.upsert_bloggers(engine, small_sample, source="sample")
    with Session(engine) as s:
        camp = Campaign(name="Spring launch")
        s.add(camp)
        s.commit()
    return url


def _open(params: dict[str, str] | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["lang"] = lang
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at: AppTest, key: str, lang: str = "en") -> str:
    label = TEXT[key][lang]
    return next(m.value for m in at.metric if m.label == label)


def _number(text: str) -> float:
    """A shown number back ("1.3M" / "1,3 млн" keep their digits: compare as text, or parse plain numbers)."""
    return float(re.sub(r"[^\d.]", "", text.replace(",", "")))


def _texts(at: AppTest) -> list[str]:
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out.extend(str(e.value) for e in getattr(at, kind))
    for kind in ("button", "checkbox", "toggle", "selectbox", "multiselect", "slider", "number_input", "text_input",
                 "radio", "expander"):
        out.extend(str(getattr(e, "label", "")) for e in getattr(at, kind))
    out.extend(str(m.label) for m in at.metric)
    return [o for o in out if o]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_page_runs_in_both_languages(app_db, lang):
    at = _open(lang=lang)
    assert at.title[0].value == TEXT["scen.title"][lang]
    assert _metric(at, "scen.m.unique_reach", lang)
    # the bands are stated beside the totals, the curve is drawn with its band
    reach = next(m for m in at.metric if m.label == TEXT["scen.m.unique_reach"][lang])
    assert "P10" in reach.delta

    def charts() -> int:
        return len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart"))

    drawn = charts()
    assert drawn >= 1
    # the marginal reach is drawn only while its panel is open
    box = next(e for e in at.expander if e.label.startswith(TEXT["scen.marginal_title"][lang].split(":")[0]))
    assert box is not None
    open_expander(at, "sc_marginal_box")
    assert not at.exception and charts() == drawn + 1
    if lang == "ru":
        english = {v["en"] for v in TEXT.values() if v["en"] != v["ru"]}
        assert [x for x in _texts(at) if x in english] == []
        assert not [x for x in _texts(at) if re.fullmatch(r"[a-z_]+\.[a-z_.]+", x)]


def test_url_round_trip_opens_the_same_scenario(app_db):
    at = _open()
    at.number_input(key="budget").set_value(900_000.0).run()
    at.slider(key="w").set_value(0.8).run()
    at.multiselect(key="sc_niches").select("beauty").run()
    at.slider(key="points").set_value(6).run()
    open_expander(at, "sc_assumptions_box")  # drawn only while open
    at.slider(key="sc_reach").set_value(150).run()
    at.number_input(key="sc_ctr").set_value(2.5).run()
    assert not at.exception
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["budget"] == "900000.0" and params["w"] == "0.8" and params["sc_niches"] == "beauty"
    assert params["points"] == "6" and params["sc_reach"] == "150" and params["sc_ctr"] == "2.5"
    mine = at.session_state["_scen_current"]
    # a fresh session opened with that link shows the same scenario and the same figures (equal when both plans
    # reach their gap target; within the gap where a loaded machine's time limit stopped one of them)
    shared = _open({k: (v[0] if isinstance(v, list) else v) for k, v in params.items()})
    for key in ("budget", "w", "sc_niches", "points", "sc_reach", "sc_ctr"):
        assert shared.session_state[key] == at.session_state[key], key
    theirs = shared.session_state["_scen_current"]
    assert theirs.scenario.to_dict() == mine.scenario.to_dict()
    for m in ("unique_reach", "orders", "engagements", "cost"):
        assert theirs.totals[m] == pytest.approx(mine.totals[m], rel=0.02), m


def test_an_assumption_shows_its_effect_at_once(app_db):
    at = _open({"points": "4"})
    before = _metric(at, "scen.m.orders")
    open_expander(at, "sc_assumptions_box")  # drawn only while open
    at.number_input(key="sc_conv").set_value(4.0).run()  # conversion doubled: orders double, no re-plan
    assert not at.exception
    after = _metric(at, "scen.m.orders")
    assert _number(after) == pytest.approx(2 * _number(before), rel=0.01)
    reach = at.session_state["_scen_current"].totals["unique_reach"]
    at.slider(key="sc_pool").set_value(30).run()  # smaller pools: more overlap, less unique reach
    assert not at.exception
    assert at.session_state["_scen_current"].totals["unique_reach"] < reach


def test_save_two_scenarios_compare_and_open_the_saved_link(app_db):
    engine = db.get_engine(app_db)
    at = _open({"points": "4"})
    at.text_input(key="sc_name").input("Base")
    next(b for b in at.button if b.label == TEXT["scen.save"]["en"]).click().run()
    assert not at.exception
    assert any("Base" in x.value for x in at.success)
    at.number_input(key="budget").set_value(700_000.0).run()
    at.text_input(key="sc_name").input("Lean")
    next(b for b in at.button if b.label == TEXT["scen.save"]["en"]).click().run()
    listed = saved.list_scenarios(engine, 1, access=LOCAL)
    assert set(listed["name"]) == {"Base", "Lean"}
    base = saved.load_scenario_by_name(engine, 1, "Base", access=LOCAL).snapshot
    assert base.curve is not None and len(base.curve) == 4  # the sweep's points travel with the scenario
    assert base.totals["unique_reach_p10"] <= base.totals["unique_reach"] <= base.totals["unique_reach_p90"] * 1.5
    at.multiselect(key="sc_compare").set_value(listed["id"].astype(int).tolist()).run()
    assert not at.exception
    table = at.dataframe[-2].value if len(at.dataframe) >= 2 else None
    frames = [d.value for d in at.dataframe]
    assert any({"Base", "Lean"} <= set(f.columns) for f in frames), [list(f.columns) for f in frames]
    assert table is not None
    # the comparison's files for the client: the campaign's pitch with the compared scenarios (made on the click)
    downloads = at.get("download_button")
    assert len(downloads) == 3, [d.proto for d in downloads]
    for button, fmt in zip(downloads, ("xlsx", "pptx", "pdf"), strict=True):
        assert f"sc_pitch_{fmt}" in button.proto.id
    # the saved scenario's own link opens it in a fresh session
    lean = int(listed.loc[listed["name"] == "Lean", "id"].iloc[0])
    opened = _open({"scenario": str(lean)})
    assert opened.session_state["budget"] == pytest.approx(700_000.0)
    assert opened.query_params["scenario"] == [str(lean)] or opened.query_params["scenario"] == str(lean)
    # a link to a scenario that does not exist here says so and opens the defaults
    missing = _open({"scenario": "999999"})
    assert any(TEXT["scen.link_not_found"]["en"] in w.value for w in missing.warning)


def test_presentation_view_has_no_editing_controls(app_db):
    at = _open({"present": "1", "client": "Acme Cosmetics", "points": "4"}, lang="ru")
    assert "Acme Cosmetics" in at.title[0].value
    main = at.main  # the sidebar keeps the language and currency settings
    assert not main.number_input and not main.slider and not main.multiselect and not main.text_input
    assert not main.selectbox and not main.toggle
    assert [b.label for b in main.button] == [TEXT["scen.exit_present"]["ru"]]
    assert _metric(at, "scen.m.unique_reach", "ru")
    assert len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart")) >= 2
    main.button[0].click().run()
    assert not at.exception and at.number_input(key="budget")
    # the view's choice and the scenario survive the round trip
    assert at.session_state["client"] == "Acme Cosmetics"


def test_currency_switch_keeps_the_typed_amounts(app_db):
    """The budget and the product's amounts keep their value in another currency, and again after a round trip."""
    at = _open()
    at.number_input(key="budget").set_value(1_800_000.0).run()
    open_expander(at, "sc_barter_box")  # drawn only while open
    at.number_input(key="sc_pcost").set_value(900.0).run()
    at.selectbox(key="ccy").select("USD").run()
    assert not at.exception
    assert at.number_input(key="budget").value == pytest.approx(1_800_000 / 90, abs=0.01)
    assert at.number_input(key="sc_pcost").value == pytest.approx(10.0, abs=0.01)
    at.selectbox(key="ccy").select("RUB").run()
    assert at.number_input(key="budget").value == pytest.approx(1_800_000, abs=1)
    assert at.number_input(key="sc_pcost").value == pytest.approx(900, abs=0.5)


def test_a_second_session_on_the_same_scenario_reuses_its_plans(app_db, monkeypatch):
    """A reload or a colleague on the same link: the scenario's plans (and its sweep) are solved once for all."""
    from planner.planning import scenarios as scen_engine
    calls = []
    real = scen_engine.plan_scenario

    def counted(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(scen_engine, "plan_scenario", counted)
    first = _open({"points": "4", "budget": "1234567"})
    assert len(calls) == 1 and first.session_state["_scen_current"].sweep is not None
    second = _open({"points": "4", "budget": "1234567"})
    assert len(calls) == 1  # no new solve
    assert second.session_state["_scen_current"].totals["unique_reach"] == \
        first.session_state["_scen_current"].totals["unique_reach"]
    _open({"points": "4", "budget": "1234000"})  # another budget is another plan
    assert len(calls) == 2


def test_take_the_plan_pages_brief_whole_and_keep_it_in_the_link(app_db):
    """The Plan page's list, locks and kick-outs reach the scenario; a kicked-out blogger never comes back; a new
    tab on the page's link opens the same brief."""
    from pages import common

    at = _open()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    ids = sorted(set(at.session_state[common.PLAN_SHOWN].result.placements["id"].tolist()))
    locked, kicked = ids[0], ids[-1]
    at.multiselect(key="plan_locks").set_value([locked]).run()
    at.multiselect(key="plan_kicks").set_value([kicked]).run()
    assert not at.exception
    plan_brief = at.session_state[common.PLAN_BRIEF]
    assert plan_brief.must_include == (locked,) and plan_brief.must_exclude == (kicked,)
    at.switch_page(PAGE).run()
    at.button(key="sc_from_plan").click().run()
    assert not at.exception, [e.value for e in at.exception]
    sc = at.session_state["_scen_current"]
    assert sc.scenario.brief.must_exclude == (kicked,) and sc.scenario.brief.must_include == (locked,)
    assert sc.scenario.brief.bloggers == plan_brief.bloggers
    chosen = set(sc.placements["id"].astype(int))
    assert kicked not in chosen and locked in chosen
    # the link carries the rest of the brief as a short id: a new tab on it plans the same scenario
    link = {k: v for k, v in at.query_params.items()}
    assert link.get("brief")
    again = _open({k: (v[0] if isinstance(v, list) else v) for k, v in link.items() if k != "lang"})
    sc2 = again.session_state["_scen_current"]
    assert sc2.scenario.brief.must_exclude == (kicked,) and sc2.scenario.brief.must_include == (locked,)
    assert sc2.scenario.brief.fingerprint() == sc.scenario.brief.fingerprint()
    # the page says what it plans on, and goes back to the whole database on request
    assert any("kicked out: 1" in c.value for c in again.caption)
    again.button(key="sc_list_reset").click().run()
    assert not again.exception
    back = again.session_state["_scen_current"].scenario.brief
    assert back.bloggers.whole_database and not back.must_exclude and not back.must_include
    assert not any(b.key == "sc_list_reset" for b in again.button)


def test_a_value_typed_in_a_closed_expander_is_kept(app_db):
    """The brief's audience, barter and assumptions expanders are drawn only while open: a value typed there stays
    in the scenario (its figures and its link) once the expander is closed, and is shown again when it is opened."""
    at = _open({"points": "4"})
    open_expander(at, "sc_assumptions_box")
    at.number_input(key="sc_ctr").set_value(2.5).run()
    open_expander(at, "sc_more_box")
    at.selectbox(key="sc_gender").select("female").run()
    orders = at.session_state["_scen_current"].totals["orders"]
    for box in ("sc_assumptions_box", "sc_more_box"):
        at.session_state[box] = False
    at.run()
    at.run()  # and one more run with both closed: Streamlit forgets an undrawn widget's state after a run
    assert not at.exception
    assert not [w for w in at.number_input if w.key == "sc_ctr"]  # not drawn
    current = at.session_state["_scen_current"]
    assert current.scenario.brief.rates["ctr"] == pytest.approx(0.025)
    assert current.scenario.brief.gender == "female"
    assert current.totals["orders"] == pytest.approx(orders)
    assert at.query_params["sc_ctr"] == "2.5" and at.query_params["sc_gender"] == "female"
    open_expander(at, "sc_assumptions_box")
    assert at.number_input(key="sc_ctr").value == pytest.approx(2.5)
