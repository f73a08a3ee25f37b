"""AppTest of the Barter page: both languages, every source (one blogger, the current plan, the shortlist, a saved
campaign), editable assumptions, the currency switch, no English on the Russian page."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from planner.core.i18n import TEXT
from planner.core.markdown import literal
from planner.storage import db, store
from planner.storage.access import LOCAL
from tests.conftest import app_test
from tests.conftest import shown_texts as _texts

PAGE = "pages/barter.py"


@pytest.fixture
def app_db(new_db_url, tmp_path, monkeypatch, small_sample):
    url = new_db_url("app")
    monkeypatch.setenv("DATABASE_URL", url)
    store.upsert_bloggers(db.get_engine(url), small_sample, source="sample")
    return url


def _app(lang: str = "en"):
    return app_test(lang, timeout=90)


def _barter(lang: str = "en") -> AppTest:
    at = _app(lang).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _metric(at: AppTest, key: str, lang: str = "en") -> str:
    label = TEXT[key][lang]
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_barter_page_in_both_languages(app_db, lang):
    at = _barter(lang)
    assert at.title[0].value == TEXT["barter.title"][lang]
    for key in ("barter.cash_saved", "barter.units_total", "barter.product_cost_total", "barter.posts_lost"):
        assert _metric(at, key, lang)
    assert len(at.dataframe) >= 2  # the comparison and the one placement's three options
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")  # the break-even chart
    texts = _texts(at)
    assert not [x for x in texts if re.fullmatch(r"[a-z_]+\.[a-z_.]+", x)]  # no untranslated key
    if lang == "ru":
        english = {v["en"] for v in TEXT.values() if v["en"] != v["ru"]}
        assert [x for x in texts if x in english] == []
        table = at.dataframe[0].value
        assert set(table["rec"]) <= {"Оплата", "Бартер", "Гибрид"}
        assert not table["why"].str.contains("paid:|barter:|hybrid:", regex=True).any()


def test_one_blogger_every_priced_format_and_a_cheap_product_changes_the_answer(app_db):
    at = _barter()
    assert at.radio(key="barter_source").value == "one"
    handle = at.selectbox(key="barter_one").value
    assert handle is not None
    table = at.dataframe[0].value
    assert len(table) >= 1 and set(table["rec"]) <= {"Paid", "Barter", "Hybrid"}
    # a product that costs the brand almost nothing makes barter cheaper per post wherever it is accepted
    at.number_input(key="barter_cost").set_value(10.0).run()
    at.number_input(key="barter_ship").set_value(0.0).run()
    at.number_input(key="barter_pack").set_value(0.0).run()
    assert not at.exception
    assert "be" in at.dataframe[0].value.columns


def test_the_shortlist_and_the_current_plan(app_db):
    at = _app().run()
    at.button(key="db_sl_page").click().run()  # the Database page's first page into the shortlist
    n = len(at.session_state["db_shortlist"])
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.radio(key="barter_source").value == "shortlist"
    compared = len(at.dataframe[0].value)
    not_compared = sum(1 for c in at.caption if c.value.startswith("Not compared"))
    assert 0 < compared <= n and (compared == n or not_compared)
    assert any(c.value.startswith("Paid ") and "barter" in c.value for c in at.caption)
    # after a plan is shown on the Plan page, the page compares it by default
    at.number_input(key="barter_retail").set_value(5_000.0).run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    cost = next(m.value for m in at.metric if m.label == "Cost")
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.radio(key="barter_source").value == "plan"
    assert at.number_input(key="barter_retail").value == 5_000  # the offer outlives a page switch
    assert cost and len(at.dataframe[0].value) > 0


def test_a_saved_campaign_can_be_compared(app_db):
    from planner import campaigns
    from planner.estimates import metrics
    from planner.planning import plan
    engine = db.get_engine(app_db)
    frame = metrics.enrich(store.load_bloggers(engine))
    brief = plan.Brief(budget=300_000)
    cands = plan.build_candidates(frame, brief)
    result = plan.describe(cands, plan.solve(cands, brief, time_limit=5), brief, frame)
    campaigns.save_plan(engine, "Saved for barter", result, access=LOCAL)
    at = _barter()
    at.radio(key="barter_source").set_value("campaign").run()
    assert not at.exception
    assert at.selectbox(key="barter_campaign").value is not None
    assert len(at.dataframe[0].value) > 0


def test_assumptions_are_editable_with_sources_and_move_the_figures(app_db):
    at = _barter()
    assert not (at.get("arrow_data_editor") or at.get("data_editor"))  # drawn only while its panel is open
    at.session_state["barter_assumptions_box"] = True
    at.run()
    editor = at.get("arrow_data_editor") or at.get("data_editor")
    assert editor
    before = at.dataframe[0].value["rate"].tolist()
    # every post rate 10 points lower: the tier figures of the assumption table (per cent on the page)
    from planner.estimates.benchmarks import BARTER, TIERS
    at.session_state["barter_edits"] = {("post_rate", t): 100 * BARTER.post_rate[t].typical - 10 for t in TIERS}
    at.run()
    assert not at.exception
    after = at.dataframe[0].value["rate"].tolist()
    assert after != before
    at.session_state["barter_assumptions_box"] = False  # closed, the panel still says the figures use edits
    at.run()
    assert any(e.label == TEXT["barter.assumptions_edited"]["en"].format(n=len(TIERS)) for e in at.expander)
    at.session_state["barter_assumptions_box"] = True
    at.run()
    assert any(b.key == "barter_reset" for b in at.button)
    at.button(key="barter_reset").click().run()
    assert not at.exception
    assert at.dataframe[0].value["rate"].tolist() == before


def test_currency_switch_converts_the_offer(app_db):
    at = _barter()
    assert at.number_input(key="barter_retail").value == pytest.approx(4_000)
    at.selectbox(key="ccy").select("USD").run()
    assert not at.exception
    assert at.number_input(key="barter_retail").value == pytest.approx(4_000 / 90, abs=0.01)
    assert any("$" in n.label for n in at.number_input)
    assert at.dataframe[0].value["fee"].str.contains(r"\$").all()


def test_an_empty_list_and_bloggers_without_prices(new_db_url, tmp_path, monkeypatch):
    import pandas as pd
    url = new_db_url("min")
    monkeypatch.setenv("DATABASE_URL", url)
    store.upsert_bloggers(db.get_engine(url), pd.DataFrame({
        "handle": ["a", "b"], "platform": ["telegram", "vk"], "followers": [5000, 800]}))
    for lang in ("en", "ru"):
        at = _barter(lang)
        assert any(i.value == TEXT["barter.no_rows"][lang] for i in at.info)
        at.toggle(key="barter_estimates").set_value(True).run()  # value estimated prices (≈)
        assert not at.exception
        assert at.dataframe[0].value["fee"].str.startswith("≈").all()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_mixed_plan_on_the_plan_page_and_its_saved_deals(app_db, lang):
    """A product budget on the Plan page: placements say their deal, the totals show cash and product apart, and
    the saved campaign keeps each placement's deal, cash and product cost."""
    from planner import campaigns
    at = _app(lang).run()
    at.switch_page("pages/plan.py").run()
    at.number_input(key="plan_punits").set_value(6)
    at.number_input(key="plan_pcost").set_value(500.0)
    at.number_input(key="plan_pretail").set_value(4_000.0)
    at.number_input(key="plan_pship").set_value(300.0)
    next(b for b in at.button if b.label == TEXT["plan.go"][lang]).click().run()
    assert not at.exception
    deal = TEXT["barter.deal"][lang]
    table = next(d.value for d in at.dataframe if deal in d.value.columns)
    goods = table[~table[deal].eq(TEXT["barter.deal.paid"][lang])]
    assert 0 < len(goods) <= 6
    assert any(c.value.startswith(TEXT["barter.plan_totals"][lang][:5]) for c in at.caption)
    at.text_input(key="plan_name").input("Mixed")
    next(b for b in at.button if b.label == TEXT["plan.save"][lang]).click().run()
    assert not at.exception
    engine = db.get_engine(app_db)
    _, placements = campaigns.load_campaign(engine, int(campaigns.list_campaigns(engine, access=LOCAL)["id"].iloc[0]),
                                            access=LOCAL)
    saved = placements[placements["kind"] != "paid"]
    assert len(saved) == len(goods) and (saved["product_cost"] == 800).all() and (saved["product_units"] == 1).all()
    assert (saved.loc[saved["kind"] == "barter", "cost"] == 0).all()
    # a product budget without a retail value is left out, with a warning, never an error
    at.number_input(key="plan_pretail").set_value(0.0)
    next(b for b in at.button if b.label == TEXT["plan.go"][lang]).click().run()
    assert not at.exception
    assert any(w.value == TEXT["barter.plan_needs_retail"][lang] for w in at.warning)


def test_a_link_opens_the_same_comparison(app_db):
    """The page's state lives in its URL: the offer, the source and the blogger come back in a new tab."""
    at = _barter()
    at.number_input(key="barter_units").set_value(3).run()
    at.number_input(key="barter_cost").set_value(999.0).run()
    at.checkbox(key="barter_common").check().run()
    assert not at.exception
    link = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert link["barter_units"] == "3" and link["barter_cost"] == "999" and link["barter_common"] == "1"
    again = _app()
    for k, v in link.items():
        again.query_params[k] = v
    again.run()
    again.switch_page(PAGE).run()
    assert not again.exception
    assert again.number_input(key="barter_units").value == 3
    assert again.number_input(key="barter_cost").value == 999.0
    assert again.checkbox(key="barter_common").value is True
    assert again.session_state["barter_source"] == at.session_state["barter_source"]
    assert _metric(again, "barter.cash_saved") == _metric(at, "barter.cash_saved")


def test_a_saved_campaign_tells_the_page_and_the_command_line_the_same(app_db, capsys):
    """One use case (planner.app.barter) behind both: the page's totals and recommendations for a saved campaign
    are the command line's `barter --campaign ID --json`, with the same offer."""
    from planner import campaigns
    from planner.app import planning
    from planner.planning import plan
    from tests.conftest import run_cli
    engine = db.get_engine(app_db)
    outcome = planning.plan_brief(engine, plan.Brief(budget=300_000), time_limit=5, access=LOCAL)
    cid = campaigns.save_plan(engine, "Both ways", outcome.result, access=LOCAL)
    at = _barter()
    at.radio(key="barter_source").set_value("campaign").run()
    at.selectbox(key="barter_campaign").set_value(cid).run()
    assert not at.exception
    code, out, _ = run_cli(capsys, "barter", "--campaign", str(cid), "--product-cost", "1200", "--retail", "4000",
                           "--shipping", "350", "--packaging", "150", "--json")
    assert code == 0
    cli = out
    saved = int(re.sub(r"\D", "", _metric(at, "barter.cash_saved")))
    assert saved == pytest.approx(cli["totals"]["cash_saved"], abs=1)
    assert len(at.dataframe[0].value) == len(cli["bloggers"])
    page_recs = [str(x) for x in at.dataframe[0].value.iloc[:, 2]]
    assert page_recs == [TEXT[f"barter.deal.{b['recommendation']}"]["en"] for b in cli["bloggers"]]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_details_dropdown_and_panel_name_the_same_placement_after_switching_source(app_db, lang):
    from planner import campaigns
    from planner.app import planning
    from planner.planning import plan
    engine = db.get_engine(app_db)
    outcome = planning.plan_brief(engine, plan.Brief(budget=400_000), time_limit=5, access=LOCAL)
    campaigns.save_plan(engine, "Details", outcome.result, access=LOCAL)
    at = _barter(lang)
    at.radio(key="barter_source").set_value("one").run()
    options = at.selectbox(key="barter_detail").options
    at.selectbox(key="barter_detail").set_value(at.selectbox(key="barter_detail").value).run()
    at.radio(key="barter_source").set_value("campaign").run()
    assert not at.exception
    box = at.selectbox(key="barter_detail")
    assert box.options != options
    shown = str(box.value)  # the dropdown's placement; the panel's title names the same one
    handle = shown.split("|")[1]
    title = next(m.value for m in at.markdown if TEXT["barter.details"][lang].split("{")[0] in m.value)
    assert f"@{literal(handle)}" in title  # the handle as typed (Markdown escaped)
