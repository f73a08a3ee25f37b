"""AppTest: every page runs without an exception in both languages, filters work, no English on a Russian page."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from planner import db, store
from planner.i18n import TEXT
from tests.conftest import ROOT

PAGES = ["pages/database.py", "pages/plan.py"]


@pytest.fixture
def app_db(tmp_path, monkeypatch, small_sample):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    engine = db.get_engine(url)
    store.upsert_bloggers(engine, small_sample, source="sample")
    return url


def _app(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at


def _texts(at: AppTest) -> list[str]:
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out.extend(str(e.value) for e in getattr(at, kind))
    for kind in ("button", "checkbox", "toggle", "selectbox", "multiselect", "slider", "number_input", "text_input",
                 "radio", "expander", "tabs"):
        out.extend(str(getattr(e, "label", "")) for e in getattr(at, kind))
    out.extend(str(m.label) for m in at.metric)
    return [o for o in out if o]


def _metric(at: AppTest, label: str) -> int:
    for m in at.metric:
        if m.label == label:
            return int(re.sub(r"\D", "", m.value))
    raise AssertionError(f"no metric {label!r}")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_database_page_runs(app_db, lang):
    at = _app(lang).run()
    assert not at.exception
    assert at.title[0].value == TEXT["db.title"][lang]
    assert _metric(at, TEXT["db.matching"][lang]) > 0


def test_filters_narrow_the_list(app_db):
    at = _app().run()
    everyone = _metric(at, "Bloggers found")
    at.multiselect(key="platform").select("telegram").run()
    assert not at.exception
    telegram = _metric(at, "Bloggers found")
    assert 0 < telegram < everyone
    at.slider(key="cred").set_value(0).run()
    assert _metric(at, "Bloggers found") >= telegram


def test_russian_page_has_no_english_strings(app_db):
    english = {v["en"] for v in TEXT.values() if v["en"] != v["ru"]}
    at = _app("ru").run()
    assert not at.exception
    leaked = [s for s in _texts(at) if s in english]
    assert leaked == []
    # and no label is an untranslated key
    assert not [s for s in _texts(at) if re.fullmatch(r"[a-z_]+\.[a-z_.]+", s)]


def test_currency_switch_changes_symbol(app_db):
    at = _app().run()
    at.selectbox(key="ccy").select("USD").run()
    assert not at.exception
    labels = [n.label for n in at.number_input]
    assert any("$" in lab for lab in labels)


def test_empty_database_offers_the_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    at = _app().run()
    assert not at.exception
    assert any(TEXT["db.empty"]["en"] in i.value for i in at.info)


def test_bad_database_url_shows_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    at = _app().run()
    assert not at.exception
    assert at.error and "database" in at.error[0].value.lower()


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_both_languages_has_no_english_leak(app_db, page, lang):
    at = _app(lang).run()
    at.switch_page(page).run()
    assert not at.exception
    if lang == "ru":
        english = {v["en"] for v in TEXT.values() if v["en"] != v["ru"]}
        assert [x for x in _texts(at) if x in english] == []


def test_plan_page_slider_and_save(app_db):
    at = _app().run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    caption_mid = next(c.value for c in at.caption if c.value.startswith("Objective"))
    at.slider(key="plan_w").set_value(1.0).run()
    assert not at.exception
    caption_reach = next(c.value for c in at.caption if c.value.startswith("Objective"))
    assert caption_reach != caption_mid and "gap" in caption_reach
    at.text_input(key="plan_name").input("Launch")  # inside a form: sent with the submit click
    save = next(b for b in at.button if b.label == "Save as a campaign")
    save.click().run()
    assert not at.exception
    assert any("Launch" in x.value for x in at.success)
    assert at.selectbox(key="plan_open").value is not None
    assert at.button(key="plan_save_status")


def test_plan_page_from_the_shortlist(app_db):
    at = _app().run()
    at.button(key="db_sl_page").click().run()  # add the first page of the table to the shortlist
    assert len(at.session_state["db_shortlist"]) > 0
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    assert at.radio(key="plan_source").value == "shortlist"


def test_remove_sample_after_an_import_and_delete_a_campaign(app_db):
    import pandas as pd

    engine = db.get_engine(app_db)
    store.upsert_bloggers(engine, pd.DataFrame({"handle": ["mine"], "platform": ["vk"], "followers": [5000]}),
                          source="import:list.csv")
    at = _app().run()
    remove = at.button(key="db_remove_sample")
    remove.click().run()
    assert not at.exception
    assert db.blogger_count(engine) == 1
    # a saved campaign can be deleted from the Saved campaigns tab
    store.upsert_bloggers(engine, pd.DataFrame({"handle": ["mine2"], "platform": ["vk"], "followers": [9000],
                                                "avg_reach": [3000.0], "price_post": [500.0]}), source="import:b.csv")
    at.switch_page("pages/plan.py").run()
    at.text_input(key="plan_name").input("To delete")
    next(b for b in at.button if b.label == "Save as a campaign").click().run()
    assert any("To delete" in x.value for x in at.success)
    delete = next(b for b in at.button if (b.key or "").startswith("plan_delete_"))
    delete.click().run()
    assert not at.exception
    from planner import campaigns

    assert campaigns.list_campaigns(engine).empty


def test_budget_change_reoptimises_at_once(app_db):
    at = _app().run()
    at.switch_page("pages/plan.py").run()
    before = next(m.value for m in at.metric if m.label == "Cost")
    at.number_input(key="plan_budget").set_value(200_000).run()
    assert not at.exception
    after = next(m.value for m in at.metric if m.label == "Cost")
    assert after != before and int(re.sub(r"\D", "", after)) <= 200_000


def test_pages_on_a_minimal_imported_list(tmp_path, monkeypatch):
    """Only handle, platform and followers known: both pages still work, every figure estimated."""
    import pandas as pd

    url = f"sqlite:///{tmp_path / 'min.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store.upsert_bloggers(db.get_engine(url), pd.DataFrame({
        "handle": ["a", "b", "c"], "platform": ["telegram", "youtube", "vk"], "followers": [5000, 120000, 800]}))
    for lang in ("en", "ru"):
        at = _app(lang).run()
        assert not at.exception
        at.switch_page("pages/plan.py").run()
        assert not at.exception
        assert any(m.label in ("Cost", "Стоимость") for m in at.metric)


def test_switching_currency_converts_the_budget(app_db):
    at = _app().run()
    at.switch_page("pages/plan.py").run()
    assert at.number_input(key="plan_budget").value == 1_500_000
    at.selectbox(key="ccy").select("USD").run()
    assert not at.exception
    assert at.number_input(key="plan_budget").value == pytest.approx(1_500_000 / 90, rel=1e-6)
