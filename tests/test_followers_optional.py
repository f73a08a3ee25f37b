"""Followers are optional (issue 7: only identity refuses a row): a blogger without a followers count is imported
with a warning and works everywhere after that — estimates (no tier: no benchmark figure resting on followers),
the catalog, the Database page and its card, the plan (a quoted price and a measured reach are enough), barter
(paid only: its rates are per tier) and the export round trip."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner import ingest
from planner.core.i18n import t
from planner.core.schema import PLATFORMS
from planner.estimates import benchmarks, metrics
from planner.estimates.catalog import Catalog, Filters
from planner.planning import barter, plan
from planner.storage import db, store
from tests.conftest import app_test as _app

TL = 120.0  # a generous limit: these tests check plans, never speed

# An agency's list where two bloggers have no usable followers count: one blank, one unreadable
LIST_CSV = (
    "handle,platform,followers,avg_reach,avg_views,price_post,price_video,niches,country,accepts_barter\n"
    "tg_known,telegram,40000,7000,,18000,,beauty,RU,yes\n"
    "tg_blank,telegram,,9000,,20000,,beauty,RU,yes\n"
    "tube_unread,youtube,lots,,50000,,60000,beauty,RU,yes\n"
    "tg_nothing,telegram,,,,25000,,beauty,RU,yes\n"
)


def _preview() -> ingest.ImportPreview:
    return ingest.preview(LIST_CSV.encode(), "list.csv")


def _enriched() -> pd.DataFrame:
    frame = store.with_all_columns(_preview().frame.reset_index(drop=True))
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return metrics.enrich(frame)


def test_the_list_imports_with_a_warning_and_blank_followers():
    pv = _preview()
    assert pv.refused == 0 and pv.rejected == [] and pv.accepted == 4 and pv.missing_fields == []
    assert [(w.row, w.column, w.code) for w in pv.warnings] == [(4, "followers", "not_a_number")]
    f = pv.frame.set_index("handle")["followers"]
    assert f["tg_known"] == 40_000 and f.drop("tg_known").isna().all()


# ---- estimates ----------------------------------------------------------------------------------------------
def test_enrich_without_followers():
    e = _enriched().set_index("handle")
    assert pd.isna(e.loc["tg_blank", "tier"]) and e.loc["tg_known", "tier"] == "micro"
    # reach: the measured reach as it is, the measured views (a YouTube video), or nothing; never followers-based
    assert e.loc["tg_blank", "reach_post"] == 9_000 and not e.loc["tg_blank", "reach_post_estimated"]
    share = benchmarks.Benchmarks.default().unique_share_array()[PLATFORMS.index("youtube")]
    assert e.loc["tube_unread", "reach_post"] == pytest.approx(50_000 * share)
    assert np.isnan(e.loc["tg_nothing", "reach_post"]) and np.isnan(e.loc["tg_nothing", "reach_story"])
    # no tier: no benchmark price, no benchmark ER
    assert np.isnan(e.loc["tg_blank", "price_story"]) and np.isnan(e.loc["tg_nothing", "engagement_rate"])
    # credibility: the most cautious tier's typical value, marked estimated (the plan's floor needs one)
    cautious = benchmarks.Benchmarks.default().credibility_table().min()
    assert e.loc["tg_blank", "credibility"] == cautious and e.loc["tg_blank", "credibility_estimated"]
    assert not e.loc["tg_blank", "fraud_flag"]


def test_engagement_rate_on_a_followers_basis_is_blank_without_followers():
    df = store.with_all_columns(pd.DataFrame({
        "handle": ["ig", "yt"], "platform": ["instagram", "youtube"], "avg_likes": [500.0, 500.0],
        "avg_comments": [20.0, 20.0], "avg_views": [np.nan, 10_000.0]}))
    e = metrics.enrich(df).set_index("handle")
    assert np.isnan(e.loc["ig", "engagement_rate"])  # likes over no followers: unknown
    assert e.loc["yt", "engagement_rate"] == pytest.approx(5.2) and not e.loc["yt", "engagement_rate_estimated"]


# ---- catalog ------------------------------------------------------------------------------------------------
def test_catalog_filters_sort_and_facets_without_followers():
    cat = Catalog(_enriched())
    handles = cat.frame["handle"].to_numpy()
    assert set(handles[cat.select(Filters(min_credibility=0.0, followers_min=1))]) == {"tg_known"}
    assert set(handles[cat.select(Filters(min_credibility=0.0, followers_max=10**9))]) == {"tg_known"}
    for descending in (True, False):  # blanks last either way
        order = handles[cat.select(Filters(min_credibility=0.0), sort="followers", descending=descending)]
        assert order[0] == "tg_known" and len(order) == 4
    # the default credibility filter leaves out those without credibility data (their credibility only the cautious
    # estimate) unless the user includes them
    unknown = int(cat.credibility_estimated.sum())
    assert unknown and len(cat.select(Filters())) == 4 - unknown
    assert len(cat.select(Filters(include_unknown_credibility=True))) == 4
    facets = cat.facets(np.arange(cat.n))
    assert facets["tier"] == {"micro": 1} and facets["platform"] == {"telegram": 3, "youtube": 1}


# ---- plan ---------------------------------------------------------------------------------------------------
def test_a_blogger_without_followers_is_plannable_with_a_quote_and_a_measured_reach():
    e = _enriched()
    brief = plan.Brief(budget=200_000, niches=("beauty",), include_unknown_credibility=True)
    c = plan.build_candidates(e, brief)
    cand = c.frame.set_index("handle")
    assert cand.loc["tg_blank", "reach"] == 9_000 and cand.loc["tg_blank", "reach_source"] == "measured"
    assert cand.loc["tube_unread", "reach_source"] == "views"
    assert "tg_nothing" not in cand.index  # no reach at all: nothing to plan on (no benchmark from followers)
    # a measured ER is not judged against the largest tier's median (tier -1 is no tier): resonance neutral
    _fit, parts = plan.fit_scores(e.assign(engagement_rate=5.0), brief, np.ones(len(e)))
    assert parts["resonance"][e["handle"].tolist().index("tg_blank")] == pytest.approx(0.25)
    res = plan.describe(c, plan.solve(c, brief, time_limit=TL), brief, e)
    rows = res.placements.set_index("handle")
    assert "tg_blank" in rows.index and rows.loc["tg_blank", "tier"] == "" and np.isnan(rows.loc["tg_blank",
                                                                                                 "followers"])
    plan.backups(e, res)  # the distance in followers is defined without a count too
    # estimated prices allowed: still no benchmark price or reach for the blogger with no figure at all
    c = plan.build_candidates(e, plan.Brief(budget=200_000, niches=("beauty",), allow_estimated_prices=True,
                                            include_unknown_credibility=True))
    assert "tg_nothing" not in set(c.frame["handle"])


def test_backups_without_followers():
    """The closest by price comes first even when a followers count is missing (a blank is one order of
    magnitude away, not a distance that cannot be compared)."""
    e = _enriched()
    blank = e[e["handle"] == "tg_blank"]
    e = pd.concat([e[e["handle"] != "tg_known"], blank.assign(id=98, handle="far", followers=50_000.0,
                                                                    price_post=2_000.0),
                   blank.assign(id=99, handle="close", price_post=19_000.0)], ignore_index=True)
    e.loc[e["handle"] == "tg_blank", "avg_reach"] = 15_000.0  # the one the plan takes
    e = metrics.enrich(e.drop(columns=[c for c in e.columns if c.endswith("_estimated") or c in
                                       ("reach_post", "reach_story", "tier", "fraud_flag")]))
    brief = plan.Brief(budget=20_000, niches=("beauty",), formats=("post",), max_share=1.0,
                       include_unknown_credibility=True)
    c = plan.build_candidates(e, brief)
    assert {"far", "close"} <= set(c.frame["handle"])
    res = plan.describe(c, plan.solve(c, brief, time_limit=TL), brief, e)
    assert res.placements["handle"].tolist() == ["tg_blank"]
    handle_of = dict(zip(e["id"], e["handle"], strict=True))
    assert [handle_of[i] for i in plan.backups(e, res)[int(res.placements["id"].iloc[0])]] == ["close", "far"]


def test_mixed_plan_books_a_blogger_without_followers_paid_only():
    e = _enriched()
    brief = plan.Brief(budget=200_000, niches=("beauty",), include_unknown_credibility=True, product_units=5,
                       product_cost=1_000,
                       product_retail=30_000)
    cand = plan.build_candidates(e, brief).frame
    deals = cand.groupby("handle")["deal"].agg(set)
    assert deals["tg_blank"] == {"paid"} and deals["tg_known"] == {"paid", "barter", "hybrid"}


# ---- barter -------------------------------------------------------------------------------------------------
def test_barter_leaves_out_a_blogger_without_followers():
    e = _enriched()
    rows, skipped = barter.rows_from_bloggers(e, currency="RUB")
    assert rows["handle"].tolist() == ["tg_known"]
    assert dict(zip(skipped["handle"], skipped["reason"], strict=True)) == {
        "tg_blank": "no_followers", "tube_unread": "no_followers", "tg_nothing": "no_followers"}
    assert t("barter.skip.no_followers", "ru") != t("barter.skip.no_followers", "en")
    placements = pd.DataFrame({"blogger_id": [1, 2], "handle": ["tg_known", "tg_blank"],
                               "platform": ["telegram"] * 2, "format": ["post"] * 2, "kind": ["paid"] * 2,
                               "cost": [18_000.0, 20_000.0], "price_source": ["quote"] * 2,
                               "expected_reach": [7_000.0, 9_000.0], "reach_source": ["measured"] * 2})
    rows, skipped = barter.rows_from_campaign(placements, e, campaign_currency="RUB", currency="RUB")
    assert rows["handle"].tolist() == ["tg_known"] and skipped["reason"].tolist() == ["no_followers"]


# ---- pages --------------------------------------------------------------------------------------------------
@pytest.fixture
def list_db(new_db_url, tmp_path, monkeypatch):
    url = new_db_url("list")
    monkeypatch.setenv("DATABASE_URL", url)
    store.upsert_bloggers(db.get_engine(url), _preview().frame, source="import:list.csv")
    return url


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_database_page_table_and_card_without_followers(list_db, lang):
    at = _app(lang, cred_unknown="1").run()  # the credibility floor on, bloggers without its data included
    assert not at.exception
    table = next(d.value for d in at.dataframe if t("col.handle", lang) in d.value.columns)
    handles = [h.lstrip("@") for h in table[t("col.handle", lang)]]
    assert sorted(handles) == ["tg_blank", "tg_known", "tg_nothing", "tube_unread"]
    assert handles[0] == "tg_known"  # sorted by followers: the blanks last
    tiers = dict(zip(handles, table[t("col.tier", lang)], strict=True))
    assert tiers["tg_blank"] == "—" and tiers["tg_known"] == t("tier.micro", lang)
    followers = dict(zip(handles, table[t("col.followers", lang)], strict=True))
    assert followers["tg_blank"] == "—" and followers["tg_known"] != "—"
    for handle in ("tg_blank", "tube_unread", "tg_nothing"):
        at.session_state["db_table_1"] = {"selection": {"rows": [handles.index(handle)], "columns": [], "cells": []}}
        at.run()
        assert not at.exception, handle
        head = next(str(h.value) for h in at.subheader if handle.replace("_", "\\_") in str(h.value))
        assert not any(t(f"tier.{x}", lang) in head for x in benchmarks.TIERS)  # no tier in the header
        figures = next(d.value for d in at.dataframe if t("card.source", lang) in d.value.columns)
        row = figures[figures[t("card.figure", lang)] == t("col.followers", lang)]
        assert row[t("card.value", lang)].iat[0].startswith("—")
        assert row[t("card.source", lang)].iat[0] == t("no_data", lang)
        # no fair-price box without a tier
        assert not any(t("card.fair_price", lang, fmt="")[:12] in str(m.value) for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_plan_page_plans_a_blogger_without_followers(list_db, lang):
    at = _app(lang, cred="0").run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    at.button(key="plan_cred_unknown_on").click().run()  # the brief's own floor: include those without data
    assert not at.exception
    table = next(d.value for d in at.dataframe if t("plan.reach_source", lang) in d.value.columns)
    rows = dict(zip(table[t("col.handle", lang)], table[t("col.tier", lang)], strict=True))
    assert rows["@tg_blank"] == "—" and rows["@tg_known"] == t("tier.micro", lang)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_database_page_imports_the_list_with_a_warning(new_db_url, tmp_path, monkeypatch, lang):
    url = new_db_url("page")
    monkeypatch.setenv("DATABASE_URL", url)
    store.upsert_bloggers(db.get_engine(url), pd.DataFrame({"handle": ["someone"], "platform": ["vk"],
                                                            "followers": [1000]}))
    at = _app(lang).run()
    at.file_uploader(key="db_upload").upload("list.csv", LIST_CSV.encode(), "text/csv").run()
    assert not at.exception and not at.error
    metrics_ = {m.label: int("".join(ch for ch in m.value if ch.isdigit()) or -1) for m in at.metric}
    assert [metrics_[t(k, lang)] for k in ("imp.rows_read", "imp.stored", "imp.refused", "imp.warnings")] == [4, 4,
                                                                                                         0, 1]
    at.button(key="db_imp_go").click().run()
    assert not at.exception and at.success
    stored = store.load_bloggers(db.get_engine(url), snapshot=False).set_index("handle")
    assert len(stored) == 5 and stored["followers"].isna().sum() == 3


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_database_page_imports_a_list_without_a_followers_column(new_db_url, tmp_path, monkeypatch, lang):
    url = new_db_url("page")
    monkeypatch.setenv("DATABASE_URL", url)
    store.upsert_bloggers(db.get_engine(url), pd.DataFrame({"handle": ["someone"], "platform": ["vk"],
                                                            "followers": [1000]}))
    data = "Ник;Площадка;Охват поста;Цена поста\nalpha;Телеграм;4 000;15 000\nbeta;ВК;;\n".encode()
    at = _app(lang).run()
    at.file_uploader(key="db_upload").upload("list.csv", data, "text/csv").run()
    assert not at.exception and not at.error  # no "required field" message: followers are optional
    notes = " ".join(str(v) for d in at.dataframe for v in d.value.to_numpy().ravel())
    assert t("imp.note_required", lang, fields="")[:6] not in notes
    at.button(key="db_imp_go").click().run()
    assert not at.exception and at.success
    stored = store.load_bloggers(db.get_engine(url), snapshot=False).set_index("handle")
    assert stored.loc[["alpha", "beta"], "followers"].isna().all() and stored.loc["alpha", "avg_reach"] == 4_000
