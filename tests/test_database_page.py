"""AppTest of the Database page in both languages: the card on imported bloggers, sorting by the main format's
price, ≈ on estimated CPM, the shortlist in the URL, the default credibility filter shown, plurals, reasons
translated by code, exports of stored values."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner.core.i18n import TEXT, plural_index, t, tn
from planner.core.markdown import literal
from planner.storage import db, store
from tests.conftest import ROOT
from tests.conftest import app_test as _app

LANGS = ["en", "ru"]

# An agency's list: some contacts empty, no currency, barter without a value, a YouTube channel whose post is
# cheap and whose video (its main format) is dear, prices quoted with and without a measured reach.
LIST_CSV = (
    "handle,platform,followers,avg_reach,price_post,price_video,contact,accepts_barter,city,updated_at\n"
    "tube_dear,youtube,50000,,1000,900000,,,Москва,\n"
    "tube_cheap,youtube,60000,,800000,2000,mail@x.ru,yes,Saint Petersburg,2025-01-02\n"
    "tg_measured,telegram,40000,12000,30000,,,no,,\n"
    "tg_unmeasured,telegram,45000,,35000,,@agent,,Новосибирск,\n"
)


def _seed(url: str, sample: pd.DataFrame | None = None) -> None:
    from planner import ingest
    engine = db.get_engine(url)
    if sample is not None:
        store.upsert_bloggers(engine, sample, source="sample")
    pv = ingest.preview(LIST_CSV.encode(), "list.csv")
    assert pv.accepted == 4
    store.upsert_bloggers(engine, pv.frame, source="import:list.csv")


@pytest.fixture
def list_db(new_db_url, tmp_path, monkeypatch):
    """Only the user's own four bloggers."""
    url = new_db_url("list")
    monkeypatch.setenv("DATABASE_URL", url)
    _seed(url)
    return url


@pytest.fixture
def sample_db(new_db_url, tmp_path, monkeypatch, small_sample):
    url = new_db_url("sample")
    monkeypatch.setenv("DATABASE_URL", url)
    store.upsert_bloggers(db.get_engine(url), small_sample, source="sample")
    return url


def _table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if TEXT["col.handle"]["en"] in d.value.columns
                or TEXT["col.handle"]["ru"] in d.value.columns)


def _handles(at: AppTest, lang: str) -> list[str]:
    return [h.lstrip("@") for h in _table(at)[t("col.handle", lang)]]


def _ids(url: str) -> dict[str, int]:
    frame = store.load_bloggers(db.get_engine(url))
    return dict(zip(frame["handle"], frame["id"].astype(int), strict=True))


def _select(at: AppTest, lang: str, handle: str) -> AppTest:
    """Select a table row (as a click on its checkbox would) and rerun."""
    row = _handles(at, lang).index(handle)
    at.session_state["db_table_1"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def _texts(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader")
             for e in getattr(at, kind)]
    parts += [str(b.label) for b in at.button]
    return "\n".join(parts)


# ---- the card ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_card_on_imported_bloggers_with_missing_fields(list_db, lang):
    at = _app(lang, cred="0").run()
    assert not at.exception
    for handle in ("tube_dear", "tube_cheap", "tg_measured", "tg_unmeasured"):
        _select(at, lang, handle)
        assert not at.exception, handle
        assert any(literal(handle) in str(h.value) for h in at.subheader)  # Markdown source: escaped
        figures = next(d.value for d in at.dataframe if t("card.source", lang) in d.value.columns)
        value, source = figures[t("card.value", lang)], figures[t("card.source", lang)]
        missing = value.str.startswith("—")
        # a missing value is "no data", never "measured"
        assert (source[missing] == t("no_data", lang)).all(), figures
        assert not (source[missing] == t("measured", lang)).any()
        contact = figures[figures[t("card.figure", lang)] == t("card.contact", lang)]
        if handle in ("tube_dear", "tg_measured"):
            assert contact[t("card.value", lang)].iat[0] == "—"
    # an estimated price is rounded and marked; a quote is shown as it is
    at = _select(at, lang, "tube_dear")
    figures = next(d.value for d in at.dataframe if t("card.source", lang) in d.value.columns)
    prices = dict(zip(figures[t("card.figure", lang)], figures[t("card.value", lang)], strict=True))
    story = prices[t("card.price", lang, fmt=t("format.short", lang))]
    assert story.startswith("≈") and re.search(r"\d", story)
    assert not prices[t("card.price", lang, fmt=t("format.video", lang))].startswith("≈")


# ---- sorting and ≈ in the table ------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_sort_by_the_main_formats_price(list_db, lang):
    at = _app(lang, cred="0").run()
    at.selectbox(key="sort").select("price_main").run()
    assert not at.exception
    order = _handles(at, lang)
    # YouTube's main format is the video: 900 000 before 35 000, 30 000 (Telegram posts) and 2 000
    assert order == ["tube_dear", "tg_unmeasured", "tg_measured", "tube_cheap"]
    assert at.query_params["sort"] == "price_main"


@pytest.mark.parametrize("lang", LANGS)
def test_cpm_on_an_estimated_reach_is_marked(list_db, lang):
    at = _app(lang, cred="0").run()
    table = _table(at).set_index(t("col.handle", lang))
    cpm = table[t("col.cpm_main", lang)]
    assert not cpm["@tg_measured"].startswith("≈")  # quoted price, measured reach
    assert cpm["@tg_unmeasured"].startswith("≈")  # quoted price, reach from followers
    price = table[t("col.price_main", lang)]
    assert not price["@tg_unmeasured"].startswith("≈")
    assert t("col.flags", lang) in list(table.columns)[:7]  # price, CPM and risks come early


# ---- the shortlist in the URL ------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_shortlist_comes_back_from_the_url(list_db, lang):
    ids = _ids(list_db)
    wanted = [ids["tg_measured"], ids["tube_dear"]]
    at = _app(lang, short=f"{wanted[0]},{wanted[1]},999999,junk", cred_unknown="1").run()  # a list without
    # credibility data: its bloggers shown once included
    assert not at.exception
    assert at.session_state["db_shortlist"] == wanted  # the Plan page reads this key
    assert tn("sl.count", 2, lang, n="2") in _texts(at)
    # adding a page writes the URL
    at.button(key="db_sl_page").click().run()
    assert sorted(at.session_state["db_shortlist"]) == sorted(ids.values())
    assert at.query_params["short"] == ",".join(str(i) for i in at.session_state["db_shortlist"])
    at.button(key="db_sl_clear").click().run()
    assert at.session_state["db_shortlist"] == [] and "short" not in at.query_params


# ---- the default credibility filter is shown -------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_default_credibility_filter_is_shown_and_cleared(sample_db, lang):
    at = _app(lang).run()
    found = int(re.sub(r"\D", "", at.metric[0].value))
    chip = t("db.cred_default", lang, pct=75)
    assert any(c.value.startswith(chip) for c in at.caption)
    at.button(key="db_cred_clear").click().run()
    assert not at.exception
    assert at.session_state["cred"] == 0
    assert int(re.sub(r"\D", "", at.metric[0].value)) > found
    assert not any(c.value.startswith(chip) for c in at.caption)
    assert "cred" in at.query_params  # the cleared filter is shared in the link too


# ---- the sample badge ------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_sample_badge_goes_once_the_users_list_is_in(sample_db, small_sample, lang):
    at = _app(lang).run()
    assert any(t("db.sample_badge", lang) in m.value for m in at.markdown)
    _seed(sample_db)
    at = _app(lang).run()
    assert not any(t("db.sample_badge", lang) in m.value for m in at.markdown)
    mixed = tn("db.sample_mixed", len(small_sample), lang, n=str(len(small_sample)))
    assert any(mixed in c.value for c in at.caption)


# ---- search by a city's Russian or English name ------------------------------------------------------
@pytest.mark.parametrize(("query", "handles"), [
    ("Moscow", {"tube_dear"}), ("москва", {"tube_dear"}), ("Санкт-Петербург", {"tube_cheap"}),
    ("saint petersburg", {"tube_cheap"}), ("Novosibirsk", {"tg_unmeasured"}),
])
def test_search_a_city_in_either_language(list_db, query, handles):
    at = _app("en", cred="0", q=query).run()
    assert set(_handles(at, "en")) == handles


# ---- plurals ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("n", "ru"), [(1, "1 блогер"), (2, "2 блогера"), (5, "5 блогеров"), (21, "21 блогер"),
                                       (11, "11 блогеров"), (0, "0 блогеров"), (104, "104 блогера"),
                                       (112, "112 блогеров")])
def test_plural_forms(n, ru):
    assert tn("exp.shortlist", n, "ru").endswith(ru)
    assert tn("exp.shortlist", n, "en").endswith(f"{n} blogger" if n == 1 else f"{n} bloggers")
    assert plural_index(n, "en") == (0 if n == 1 else 1)


@pytest.mark.parametrize(("lang", "one", "two"), [
    ("en", "1 blogger in the shortlist", "2 bloggers in the shortlist"),
    ("ru", "В шорт-листе 1 блогер", "В шорт-листе 2 блогера"),
])
def test_shortlist_count_on_the_page_is_plural(list_db, lang, one, two):
    ids = _ids(list_db)
    at = _app(lang, short=str(ids["tube_dear"]), cred_unknown="1").run()
    assert one in _texts(at)
    at = _app(lang, short=f"{ids['tube_dear']},{ids['tube_cheap']}", cred_unknown="1").run()
    assert two in _texts(at)
    at.tabs[2].run()
    assert tn("exp.shortlist", 2, lang) in _texts(at)


def test_every_plural_entry_has_its_forms():
    """Whole-text plurals ("{n} blogger|{n} bloggers", for tn) and inline ones ("{n|blogger|bloggers}", for t):
    English one|other, Russian one|few|many (a Russian text may avoid the agreement: "Кандидатов: {n}")."""
    import re
    inline = re.compile(r"\{(\w+)\|([^{}]+)\}")
    for key, entry in TEXT.items():
        en, ru = inline.findall(entry["en"]), inline.findall(entry["ru"])
        assert [len(f.split("|")) for _, f in en] == [2] * len(en), key
        assert [len(f.split("|")) for _, f in ru] == [3] * len(ru), key
        whole_en, whole_ru = inline.sub("", entry["en"]), inline.sub("", entry["ru"])
        if "|" in whole_en:
            assert whole_en.count("|") == 1, key
            assert whole_ru.count("|") == 2, key


# ---- reasons translated by code ------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "not a number: 'followers missing; handle missing'"),
    ("ru", "не число: «followers missing; handle missing»"),
])
def test_reason_keeps_a_cell_with_another_messages_words(sample_db, lang, expected):
    data = "handle,platform,followers,er\nanna,vk,1000,followers missing; handle missing\nboris,vk,2000,2\n"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.file_uploader(key="db_upload").upload("list.csv", data.encode(), "text/csv").run()
    assert not at.exception
    reasons = [r for d in at.dataframe if t("imp.reason", lang) in d.value.columns
               for r in d.value[t("imp.reason", lang)]]
    assert reasons == [expected]
    assert any(b.label == tn("imp.go", 2, lang, n="2") for b in at.button)


# ---- exports: stored values as data, estimates only in estimated_* columns -----------------------------
def test_export_frames_helper(list_db):
    """The page's export uses the stored rows for the data and the enriched ones for estimated_* columns."""
    from planner.estimates import metrics
    from planner.estimates.catalog import Catalog
    from planner.reporting import export

    engine = db.get_engine(list_db)
    stored_all = store.load_bloggers(engine)
    ids = _ids(list_db)
    stored = store.load_bloggers_by_id(engine, [ids["tg_unmeasured"], ids["tube_dear"], 424242])
    assert sorted(stored["handle"]) == ["tg_unmeasured", "tube_dear"]
    cat = Catalog(metrics.enrich(stored_all))
    derived = cat.derived_for(stored)
    assert derived["handle"].tolist() == stored["handle"].tolist()
    out = pd.read_csv(io.BytesIO(export.to_csv_bytes(stored, derived=derived)))
    row = out.set_index("handle").loc["tg_unmeasured"]
    assert row["price_post"] == 35000 and pd.isna(row["price_story"]) and row["estimated_price_story"] > 0
    assert pd.isna(row["credibility"]) and row["estimated_credibility"] > 0


@pytest.mark.parametrize("lang", LANGS)
def test_export_tab_offers_the_filtered_set_and_the_shortlist(list_db, lang):
    ids = _ids(list_db)
    at = _app(lang, cred="0", short=str(ids["tube_dear"])).run()
    assert not at.exception
    texts = _texts(at)
    assert tn("exp.filtered", 4, lang) in texts and tn("exp.shortlist", 1, lang) in texts


# ---- user text stays text ------------------------------------------------------------------------------
def test_markdown_in_a_users_cells_is_shown_as_typed(new_db_url, tmp_path, monkeypatch):
    from planner import ingest
    from planner.core.markdown import literal

    url = new_db_url("md")
    monkeypatch.setenv("DATABASE_URL", url)
    name = "[click here](http://evil.example) ![x](http://evil.example/img.png) **bold** :red[alert]"
    data = f"handle,platform,followers,name,city\nphish,telegram,5000,\"{name}\",\"<b>Moscow</b>\"\n".encode()
    pv = ingest.preview(data, "md.csv")
    store.upsert_bloggers(db.get_engine(url), pv.frame, source="import:md.csv")
    at = _app("en", cred="0").run()
    at = _select(at, "en", "phish")
    assert not at.exception
    captions = [str(c.value) for c in at.caption]
    shown = next(c for c in captions if "click here" in c)
    assert literal(name) in shown  # escaped: Markdown shows the characters, renders no link or image
    assert "](http" not in shown.replace("\\]\\(http", "")
    for text, escaped in (("[a](b)", "\\[a\\]\\(b\\)"), ("![i](u)", "\\!\\[i\\]\\(u\\)"), ("a*b_c", "a\\*b\\_c")):
        assert literal(text) == escaped


# ---- crafted links ----------------------------------------------------------------------------------
@pytest.mark.parametrize("params", [
    {"cred": "500"}, {"cred": "-20"}, {"cred": "73"}, {"fmin": "1e999"}, {"fmax": "-5"}, {"fmin": "nan"},
    {"acountry": "RU", "acountry_min": "500"}, {"gender": "female", "gender_min": "150"},
    {"age": "18_24", "age_min": "-1"}, {"ermin": "inf"}, {"pmin": "1e308", "pformat": "video"},
    {"sort": "drop table"}, {"platform": "myspace,telegram"}, {"q": "x" * 100_000}, {"short": "1,abc,-3,99999999"},
    {"ccy": "GBP"}, {"barter": "maybe"}, {"tier": "giga"}, {"short": "9" * 5000},
])
def test_crafted_links_never_break_the_page(list_db, params):
    at = _app("en", **params).run()
    assert not at.exception, params
    assert any(str(m.label) == t("db.matching", "en") for m in at.metric)
    cred = at.session_state["cred"] if "cred" in at.session_state else 75
    assert 0 <= cred <= 100


def test_an_unknown_language_in_the_link_falls_back_to_english(list_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "xx"
    at.run()
    assert not at.exception
    assert any(str(m.label) == t("db.matching", "en") for m in at.metric)


def test_a_shared_links_numbers_keep_every_digit():
    from pages.common import UrlParam, _dump, _parse

    p = UrlParam("float", lo=0.0, hi=1e12)
    for value in (1_234_567.0, 0.1, 2.5, 999_999_999.99, 0.0):
        assert _parse(p, _dump(p, value)) == value
    assert _dump(p, 1_234_567.0) == "1234567"
