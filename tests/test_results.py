"""Campaign results against business goals: every figure against a hand-computed case (barter product cost in
ROMI, the uplift), results files (messy input, unmatched rows, refused rows with row and column, a re-upload that
updates), all-or-nothing writes, the sales series, incrementality on a synthetic series with a known lift, the
sample campaign, the XLSX export."""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from sqlmodel import Session, select

from planner.campaigns import goals as goals_mod
from planner.campaigns import incrementality, report, results
from planner.storage.access import LOCAL
from planner.storage.models import Campaign, Placement, PlacementResult, Workspace

pytestmark = pytest.mark.database  # on SQLite and, with PLANNER_TEST_POSTGRES, on PostgreSQL


def make_campaign(engine, placements, *, workspace_id: int = 1, name: str = "Test", currency: str = "RUB") -> int:
    """A campaign with placements (dicts of Placement fields), as saving a plan would leave it."""
    with Session(engine) as session:
        if session.get(Workspace, workspace_id) is None:
            session.add(Workspace(id=workspace_id, name=f"W{workspace_id}"))
            session.flush()
        camp = Campaign(name=name, currency=currency, budget=100_000, workspace_id=workspace_id,
                        brief={"budget": 100_000, "rates": {"ctr": 0.01, "conversion": 0.02, "lead_rate": 0.05}})
        session.add(camp)
        session.flush()
        for p in placements:
            session.add(Placement(campaign_id=camp.id, **{"format": "post", "status": "published", **p}))
        session.commit()
        return int(camp.id)


TWO = [
    {"handle": "anna", "platform": "instagram", "kind": "paid", "cost": 10_000.0, "expected_reach": 20_000.0},
    {"handle": "bob", "platform": "telegram", "kind": "barter", "cost": 0.0, "product_cost": 5_000.0,
     "product_units": 2, "expected_reach": 8_000.0, "expected_posts": 0.5},
]


def csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


RESULTS_CSV = ("Блогер;Площадка;Охват;Лайки;Клики;Заказы;Выручка, руб.;Оплачено;Себестоимость товара\n"
               "@Anna;Инстаграм;21 000;1,2 тыс;300;10;30 000 руб.;10 000;0\n"
               "bob;ТГ;4 000;50;100;5;10 000;0;5 000\n")


def test_romi_counts_the_product_cost_of_barter(engine):
    """Cost = cash + product: 10 000 + (0 + 5 000) = 15 000; revenue 40 000; margin 50 %:
    ROMI = (40 000 × 0.5 − 15 000) / 15 000 = 33.33 %; ROAS = 40 000 / 15 000 = 2.667; cost per order 15 000 / 15."""
    cid = make_campaign(engine, TWO)
    pv = results.read_results(csv(RESULTS_CSV, "cp1251"), "r.csv", results.placements_of(engine, cid, access=LOCAL))
    assert pv.matched == 2 and not pv.rejected and not pv.unmatched
    assert results.apply_results(engine, cid, pv, access=LOCAL) == (2, 0)
    goals_mod.save_goals(engine, cid, goals_mod.Goals(primary="online_sales", margin_pct=50.0,
                                                      targets=(("romi", 50.0), ("cost_per_order", 1_200.0))),
                         access=LOCAL)
    rep = report.build(engine, cid, access=LOCAL)
    t = rep.totals
    assert t["cash_cost"] == 10_000 and t["product_cost"] == 5_000 and t["cost"] == 15_000
    assert t["revenue"] == 40_000 and t["orders"] == 15
    assert t["romi"] == pytest.approx(100 / 3)
    assert t["roas"] == pytest.approx(40_000 / 15_000)
    assert t["cost_per_order"] == pytest.approx(1_000)
    assert t["likes"] == 1_250  # "1,2 тыс" is 1 200, plus 50
    goals = {g["kind"]: g for g in rep.goal_rows}
    assert goals["romi"]["met"] is False and goals["cost_per_order"]["met"] is True
    assert rep.sources["orders"] == "measured" and rep.sources["cost"] == "measured"
    bob = rep.bloggers.set_index("handle").loc["bob"]
    # bob's ROMI on his own: (10 000 × 0.5 − 5 000) / 5 000 = 0 %
    assert bob["cost"] == 5_000 and bob["romi"] == pytest.approx(0.0)
    js = rep.to_json()
    assert set(js["totals"]) >= {"cash_cost", "product_cost", "cost", "reach", "engagements", "clicks",
                                 "redemptions_online", "redemptions_offline", "orders", "revenue", "leads",
                                 "installs", "roas", "romi", "cost_per_order", "cost_per_lead", "emv"}
    assert {"handle", "platform", "cost", "engagements", "orders", "revenue", "romi", "forecast_reach",
            "actual_reach", "forecast_orders", "verdict"} <= set(js["bloggers"][0])
    assert js["roi_definition"] == "romi" and "GRIN" in js["roi_text"]


def test_the_uplift_raises_code_sales_and_says_so(engine):
    """Uplift 30 %: orders 15 × 1.3 = 19.5, revenue 40 000 × 1.3 = 52 000, ROMI (26 000 − 15 000) / 15 000 = 73.3 %."""
    cid = make_campaign(engine, TWO)
    results.apply_results(engine, cid, results.read_results(csv(RESULTS_CSV), "r.csv",
                                                            results.placements_of(engine, cid, access=LOCAL)),
                          access=LOCAL)
    goals_mod.save_goals(engine, cid, goals_mod.Goals(margin_pct=50.0, uplift_pct=30.0), access=LOCAL)
    t = report.build(engine, cid, access=LOCAL).totals
    assert t["orders"] == pytest.approx(19.5) and t["orders_measured"] == 15
    assert t["revenue"] == pytest.approx(52_000) and t["revenue_measured"] == 40_000
    assert t["romi"] == pytest.approx(11_000 / 15_000 * 100)
    rep = report.build(engine, cid, access=LOCAL)
    assert rep.sources["revenue"] == rep.sources["romi"] == "uplifted"
    # the funnel stays on measured sales
    assert rep.funnel.set_index("stage").loc["orders", "value"] == 15


def test_planned_cost_stands_where_no_actual_cost_is_given(engine):
    cid = make_campaign(engine, [*TWO, {"handle": "carl", "platform": "vk", "kind": "paid", "cost": 7_000.0,
                                        "status": "cancelled"}])
    data = "handle;platform;orders;revenue\nanna;instagram;1;100\nbob;telegram;2;200\n"
    results.apply_results(engine, cid, results.read_results(csv(data), "r.csv",
                                                            results.placements_of(engine, cid, access=LOCAL)),
                          access=LOCAL)
    rep = report.build(engine, cid, access=LOCAL)
    # anna 10 000 and bob's product 5 000 as planned; carl cancelled without results: nothing
    assert rep.totals["cost"] == 15_000 and rep.sources["cost"] == "planned"
    assert rep.bloggers.set_index("handle").loc["carl", "verdict"] == "drop"


def test_unmatched_and_refused_rows_are_listed_with_row_and_column(engine):
    cid = make_campaign(engine, TWO)
    data = ("Ник;Площадка;Просмотры;Заказы;Дата публикации\n"
            "anna;instagram;1,2 млн;abc;01.10.2026\n"     # row 2: orders unreadable -> refused
            "zed;instagram;100;1;\n"                       # row 3: not in the campaign
            "bob;telegram;-5;1;\n"                         # row 4: negative -> refused
            "bob;vk;10;1;\n"                               # row 5: bob is on Telegram here, not VK
            "https://t.me/bob;;10;2;32.13.2026\n")         # row 6: the date is no date -> refused
    pv = results.read_results(csv(data), "r.csv", results.placements_of(engine, cid, access=LOCAL))
    assert [(r.row, r.column, r.code) for r in pv.rejected] == [
        (2, "Заказы", "not_a_number"), (4, "Просмотры", "negative_number"), (6, "Дата публикации", "not_a_date")]
    assert "row" not in pv.rejected[0].reason and "abc" in pv.rejected[0].reason
    assert [(u["row"], u["handle"]) for u in pv.unmatched] == [(3, "zed"), (5, "bob")]
    assert pv.matched == 0
    assert results.apply_results(engine, cid, pv, access=LOCAL) == (0, 0)


def test_a_re_upload_updates_without_duplicating(engine):
    cid = make_campaign(engine, TWO)
    places = results.placements_of(engine, cid, access=LOCAL)
    first = "handle;platform;likes;orders;revenue\nanna;instagram;100;1;1000\nbob;telegram;5;0;0\n"
    assert results.apply_results(engine, cid, results.read_results(csv(first), "a.csv", places), access=LOCAL) == (2, 0)
    again = "handle;platform;orders\nanna;instagram;3\n"  # a file without likes or revenue keeps them
    assert results.apply_results(engine, cid, results.read_results(csv(again), "b.csv", places), access=LOCAL) == (0, 1)
    with Session(engine) as session:
        rows = session.exec(select(PlacementResult)).all()
    assert len(rows) == 2
    frame = results.load_results(engine, cid, access=LOCAL).set_index("handle")
    assert frame.loc["anna", "orders"] == 3
    assert frame.loc["anna", "likes"] == 100 and frame.loc["anna", "revenue"] == 1000


def test_a_later_row_of_the_same_placement_wins_and_is_noted(engine):
    cid = make_campaign(engine, TWO)
    data = "handle;platform;orders\n@Anna;Instagram;1\nanna;insta;4\n"
    pv = results.read_results(csv(data), "r.csv", results.placements_of(engine, cid, access=LOCAL))
    assert pv.matched == 1 and pv.frame["orders"].tolist() == [4.0]
    assert [(n.row, n.code, n.params["later"]) for n in pv.notes] == [(2, "superseded_row", 3)]


# ---- amounts in another currency than the campaign's -----------------------------------------------------------
def _noted(pv) -> list[tuple]:
    return [(n.row, n.column, n.code, n.params["currency"], n.params["amount"], n.params["rate"],
             n.params["converted"]) for n in pv.notes]


def test_a_dollar_cell_in_a_rouble_campaign_is_converted_at_the_rates_objects_rate_with_a_note(engine):
    """$500 at the default 90 ₽ per USD is 45 000 ₽; 30 000 ₽ and a bare 1 000 are the campaign's roubles."""
    from planner.core.money import Rates

    assert Rates.of(None).convert(1.0, "USD", "RUB") == 90.0  # the default the figures below use
    cid = make_campaign(engine, TWO)
    data = "handle;platform;orders;revenue;cash cost\nanna;instagram;3;$500;30 000 ₽\nbob;telegram;1;1 000;0\n"
    pv = results.read_results(csv(data), "r.csv", results.placements_of(engine, cid, access=LOCAL), currency="RUB")
    assert not pv.rejected and pv.matched == 2
    assert pv.frame.set_index("row")["revenue"].to_dict() == {2: 45_000.0, 3: 1_000.0}
    assert pv.frame.set_index("row")["cash_cost"].to_dict() == {2: 30_000.0, 3: 0.0}
    assert _noted(pv) == [(2, "revenue", "converted_currency", "USD", 500.0, 90.0, 45_000.0)]
    assert pv.notes[0].reason == "500.00 USD ('$500') converted at 90 RUB per USD: 45,000.00 RUB"
    assert results.reason_text("converted_currency", pv.notes[0].params, "ru") == \
        "500.00 USD («$500») пересчитано по курсу 90 RUB за 1 USD: 45000.00 RUB"
    results.apply_results(engine, cid, pv, access=LOCAL)
    assert results.load_results(engine, cid, access=LOCAL).set_index("handle").loc["anna", "revenue"] == 45_000.0
    # the rates object given (the user's "Rates used") is the one applied, never a factor of its own
    pv = results.read_results(csv(data), "r.csv", results.placements_of(engine, cid, access=LOCAL), rates={"USD": 80.0})
    assert _noted(pv) == [(2, "revenue", "converted_currency", "USD", 500.0, 80.0, 40_000.0)]


def test_a_header_naming_a_currency_converts_the_whole_column(engine):
    cid = make_campaign(engine, TWO)
    data = "Ник;Площадка;Заказы;Выручка, USD\nanna;instagram;3;500\nbob;telegram;1;1 200\n"
    pv = results.read_results(csv(data), "r.csv", results.placements_of(engine, cid, access=LOCAL))
    assert pv.mapping["Выручка, USD"] == "revenue" and not pv.rejected
    assert pv.frame.set_index("row")["revenue"].to_dict() == {2: 45_000.0, 3: 108_000.0}
    assert _noted(pv) == [(2, "Выручка, USD", "converted_currency", "USD", 500.0, 90.0, 45_000.0),
                          (3, "Выручка, USD", "converted_currency", "USD", 1_200.0, 90.0, 108_000.0)]
    # a cell naming its own currency wins over its header's (as in the blogger importer)
    data = "Ник;Площадка;Заказы;Revenue (EUR)\nanna;instagram;3;1 000 руб.\nbob;telegram;1;10\n"
    pv = results.read_results(csv(data), "r.csv", results.placements_of(engine, cid, access=LOCAL))
    assert pv.frame.set_index("row")["revenue"].to_dict() == {2: 1_000.0, 3: 980.0}
    assert _noted(pv) == [(3, "Revenue (EUR)", "converted_currency", "EUR", 10.0, 98.0, 980.0)]


def test_amounts_in_the_campaigns_own_currency_are_not_noted(engine):
    cid = make_campaign(engine, TWO)
    pv = results.read_results(csv(RESULTS_CSV, "cp1251"), "r.csv", results.placements_of(engine, cid, access=LOCAL))
    assert pv.notes == [] and pv.frame["revenue"].tolist() == [30_000.0, 10_000.0]  # "Выручка, руб.", "30 000 руб."
    usd = make_campaign(engine, TWO, name="USD", currency="USD")
    data = "handle;platform;revenue;Cost, $\nanna;instagram;$500;USD 20\nbob;telegram;€98;5\n"
    pv = results.read_results(csv(data), "r.csv", results.placements_of(engine, usd, access=LOCAL), currency="USD")
    # dollars stay dollars; €98 at 98 ₽ per EUR and 90 ₽ per USD is 98 × 98 / 90 = 106.71 USD
    assert pv.frame.set_index("row")["revenue"].to_dict() == {2: 500.0, 3: pytest.approx(98 * 98 / 90)}
    assert pv.frame["cash_cost"].tolist() == [20.0, 5.0]
    assert [(n.row, n.column, n.params["currency"], n.params["target"]) for n in pv.notes] == [
        (3, "revenue", "EUR", "USD")]
    assert pv.notes[0].params["rate"] == pytest.approx(98 / 90)


def test_a_currency_column_converts_its_rows_and_a_cell_against_it_is_refused(engine):
    cid = make_campaign(engine, [*TWO, {"handle": "carl", "platform": "vk", "cost": 1.0}])
    data = ("handle;platform;revenue;Оплачено;Валюта\nanna;instagram;500;10;USD\nbob;telegram;€30;0;usd\n"
            "carl;vk;700;1;руб.\n")
    pv = results.read_results(csv(data), "r.csv", results.placements_of(engine, cid, access=LOCAL))
    assert pv.mapping["Валюта"] == "currency"
    assert [(r.row, r.column, r.code, r.params) for r in pv.rejected] == [
        (3, "revenue", "currency_mismatch", {"value": "€30", "currency": "EUR", "column": "USD"})]
    assert pv.rejected[0].reason == "'€30' is in EUR but the row's currency column says USD"
    assert pv.frame.set_index("row")[["revenue", "cash_cost"]].to_dict("index") == {
        2: {"revenue": 45_000.0, "cash_cost": 900.0}, 4: {"revenue": 700.0, "cash_cost": 1.0}}
    assert [(n.row, n.column, n.params["converted"]) for n in pv.notes] == [(2, "revenue", 45_000.0),
                                                                           (2, "Оплачено", 900.0)]


def test_an_unknown_currency_is_refused_for_its_cell_with_row_and_column(engine):
    cid = make_campaign(engine, [*TWO, {"handle": "carl", "platform": "vk", "cost": 1.0}])
    places = results.placements_of(engine, cid, access=LOCAL)
    data = "handle;platform;orders;revenue\nanna;instagram;2;500 GBP\nbob;telegram;1;$5\ncarl;vk;1;KZT 1 200\n"
    pv = results.read_results(csv(data), "r.csv", places)
    assert [(r.row, r.column, r.code, r.params["currency"], r.params["value"]) for r in pv.rejected] == [
        (2, "revenue", "unsupported_currency", "GBP", "500 GBP"),
        (4, "revenue", "unsupported_currency", "KZT", "KZT 1 200")]
    assert pv.rejected[0].reason == "an amount in GBP, a currency that is not read here (RUB, USD, EUR): '500 GBP'"
    assert pv.frame["row"].tolist() == [3] and pv.frame["revenue"].tolist() == [450.0]
    # a header in an unknown currency: none of its amounts is taken as the campaign's
    pv = results.read_results(csv("handle;platform;orders;Revenue (GBP)\nanna;instagram;2;500\nbob;telegram;1;\n"),
                              "r.csv", places)
    assert [(r.row, r.column, r.code) for r in pv.rejected] == [(2, "Revenue (GBP)", "unsupported_currency")]
    assert pv.frame["row"].tolist() == [3]
    # a currency column naming an unknown currency refuses the row at that column (once), when it has an amount
    data = "handle;platform;revenue;cash cost;currency\nanna;instagram;500;10;фунты\nbob;telegram;;;GBP\n"
    pv = results.read_results(csv(data), "r.csv", places)
    assert [(r.row, r.column, r.code, r.params["value"]) for r in pv.rejected] == [
        (2, "currency", "unknown_row_currency", "фунты")]
    assert pv.frame["row"].tolist() == [3]
    # a campaign currency the rates object does not know: nothing is converted by guesswork
    pv = results.read_results(csv("handle;platform;revenue\nanna;instagram;$5\nbob;telegram;7\n"), "r.csv", places,
                              currency="KZT")
    assert [(r.row, r.column, r.code, r.params["target"]) for r in pv.rejected] == [
        (2, "revenue", "no_exchange_rate", "KZT")]
    assert pv.frame["revenue"].tolist() == [7.0]


def test_without_a_platform_column_a_unique_handle_is_enough(engine):
    cid = make_campaign(engine, [*TWO, {"handle": "dup", "platform": "vk", "cost": 1.0},
                                 {"handle": "dup", "platform": "tiktok", "cost": 1.0}])
    data = "Аккаунт;Заказы\nbob;2\ndup;1\n"
    pv = results.read_results(csv(data), "r.csv", results.placements_of(engine, cid, access=LOCAL))
    assert pv.matched == 1
    assert [(r.row, r.code) for r in pv.rejected] == [(3, "ambiguous_platform")]


def test_writes_are_all_or_nothing(engine):
    cid = make_campaign(engine, TWO)
    ids = results.placements_of(engine, cid, access=LOCAL)["id"].tolist()
    frame = pd.DataFrame({"placement_id": [ids[0], 999_999], "orders": [5.0, 6.0]})
    with pytest.raises(KeyError):
        results.write_results(engine, cid, frame, access=LOCAL)
    with Session(engine) as session:
        assert session.exec(select(PlacementResult)).all() == []


def test_files_that_cannot_be_used_say_why(engine):
    cid = make_campaign(engine, TWO)
    places = results.placements_of(engine, cid, access=LOCAL)
    with pytest.raises(results.ResultsFileError) as exc:
        results.read_results(csv("handle;platform;примечание\nanna;instagram;hi\n"), "r.csv", places)
    assert exc.value.code == "no_results_columns"
    from planner import ingest
    with pytest.raises(ingest.UnreadableFile):
        results.read_results(b"\x89PNG\r\n\x1a\n" + bytes(100), "r.csv", places)
    with pytest.raises(ingest.UnreadableFile):
        results.read_results(b"", "r.csv", places)


def test_results_read_from_xlsx(engine):
    cid = make_campaign(engine, TWO)
    buf = io.BytesIO()
    pd.DataFrame({"Blogger": ["anna", "bob"], "Platform": ["Instagram", "Telegram"], "Reach": [1000, 2000],
                  "Orders": [3, 4], "Revenue": [300.5, 400]}).to_excel(buf, index=False)
    pv = results.read_results(buf.getvalue(), "r.xlsx", results.placements_of(engine, cid, access=LOCAL))
    assert pv.matched == 2 and pv.frame.set_index("placement_id")["revenue"].tolist() == [300.5, 400.0]


def test_goals_are_validated_and_scoped_to_the_workspace(engine):
    cid = make_campaign(engine, TWO)
    assert goals_mod.parse_goal("cost_per_lead=800 ₽") == ("cost_per_lead", 800.0)
    assert goals_mod.parse_goal("orders=1,2 тыс") == ("orders", 1200.0)
    for bad in ("foo=1", "orders", "orders=abc"):
        with pytest.raises(goals_mod.GoalError):
            goals_mod.parse_goal(bad)
    with pytest.raises(goals_mod.GoalError):
        goals_mod.Goals(margin_pct=120)
    with pytest.raises(goals_mod.GoalError):
        goals_mod.Goals(targets=(("orders", -1.0),))
    goals_mod.save_goals(engine, cid, goals_mod.Goals(targets=(("orders", 5.0),), margin_pct=40), access=LOCAL)
    assert goals_mod.load_goals(engine, cid, access=LOCAL).target("orders") == 5.0
    other = make_campaign(engine, TWO, workspace_id=2)
    with pytest.raises(goals_mod.GoalError):
        goals_mod.load_goals(engine, other, access=LOCAL)  # another workspace's campaign does not exist here
    with pytest.raises(goals_mod.GoalError):
        results.load_results(engine, cid, access=dataclasses.replace(LOCAL, workspace_id=2))
    assert goals_mod.is_met("cost_per_lead", 800, 799) is True and goals_mod.is_met("orders", 10, 9) is False


def test_verdicts_and_disagreements():
    """Four bloggers, margin 50 %, ROMI target 50 %: a = 1000 likes, no orders (likes without sales, drop);
    b = 10 likes and most of the revenue (sells without likes, rebook); c = ROMI 20 % (keep: within 50 points);
    d = ROMI −60 % (drop: more than 50 points below)."""
    rows = []
    for i, (h, likes, revenue, cost) in enumerate((("a", 1000, 0, 10_000), ("b", 10, 60_000, 10_000),
                                                  ("c", 300, 24_000, 10_000), ("d", 200, 8_000, 10_000))):
        rows.append({"placement_id": i, "blogger_id": None, "handle": h, "platform": "instagram", "format": "post",
                     "kind": "paid", "status": "published", "planned_cost": cost, "planned_product_cost": 0.0,
                     "expected_reach": 10_000.0, "expected_posts": None, "has_result": True,
                     **{f: np.nan for f in results.RESULT_FIELDS},
                     "likes": likes, "revenue": revenue, "orders": revenue / 1000, "published_at": None,
                     "link": None, "notes": None})
    rep = report.compute(pd.DataFrame(rows), goals_mod.Goals(margin_pct=50, targets=(("romi", 50.0),)))
    by = rep.bloggers.set_index("handle")
    assert by["romi"].round(6).to_dict() == {"a": -100.0, "b": 200.0, "c": 20.0, "d": -60.0}
    assert by["verdict"].to_dict() == {"a": "drop", "b": "rebook", "c": "keep", "d": "drop"}
    assert by.loc["a", "verdict_reason"] == "no_result"
    assert {(d["handle"], d["kind"]) for d in rep.disagreements} == {("a", "likes_without_sales"),
                                                                     ("b", "sales_without_likes")}


def test_corrections_of_the_benchmark_rates(engine):
    """Actual clicks / impressions and orders / clicks replace the plan's CTR 1 % and conversion 2 %."""
    cid = make_campaign(engine, TWO[:1])
    data = "handle;platform;reach;impressions;clicks;orders\nanna;instagram;20000;30000;600;30\n"
    results.apply_results(engine, cid, results.read_results(csv(data), "r.csv",
                                                            results.placements_of(engine, cid, access=LOCAL)),
                          access=LOCAL)
    corr = report.build(engine, cid, access=LOCAL).corrections.set_index("rate")
    assert corr.loc["ctr", "current"] == 0.01 and corr.loc["ctr", "suggested"] == pytest.approx(0.02)
    assert corr.loc["conversion", "suggested"] == pytest.approx(0.05)
    assert corr.loc["reach_factor", "suggested"] == pytest.approx(1.0)


def _series(lift_per_day: float, days: int = 140, window: int = 21, seed: int = 3, control: bool = False):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2026-03-01", periods=days, freq="D")
    week = np.array([0, 3, 5, 4, 7, 14, 10])[idx.dayofweek.to_numpy()]
    common = 200 + np.cumsum(rng.normal(0, 0.5, days))  # a market trend both regions share
    ctrl = 0.5 * common + week * 0.5 + rng.normal(0, 1, days)
    y = common + week + rng.normal(0, 4, days)
    y[-window:] += lift_per_day
    rows = [{"day": d.date(), "region": "", "control": False, "sales": float(v)} for d, v in zip(idx, y, strict=True)]
    if control:
        rows += [{"day": d.date(), "region": "ctrl", "control": True, "sales": float(v)}
                 for d, v in zip(idx, ctrl, strict=True)]
    return pd.DataFrame(rows), idx[-window].date(), idx[-1].date()


def test_incrementality_recovers_a_known_lift():
    """A lift of 25 a day over 21 days (525) on five synthetic series: the estimate is right on average (within
    10 %), its 90 % interval holds the truth in most of them, and with no lift the interval holds zero."""
    truth = 25.0 * 21
    estimates, covered = [], 0
    for seed in range(1, 6):
        sales, start, end = _series(25.0, seed=seed)
        est = incrementality.estimate(sales, start, end)
        estimates.append(est.incremental)
        covered += est.low <= truth <= est.high
        assert est.low < est.incremental < est.high
    assert abs(np.mean(estimates) - truth) / truth < 0.1
    assert covered >= 3
    sales, start, end = _series(25.0, seed=1, control=True)
    est = incrementality.estimate(sales, start, end)
    assert est.control_regions == ("ctrl",) and "control regions ctrl" in est.method
    assert est.low <= truth <= est.high
    no_lift, start, end = _series(0.0, seed=2, control=True)
    zero = incrementality.estimate(no_lift, start, end)
    assert zero.low <= 0 <= zero.high


def test_incrementality_needs_weeks_before_the_window():
    sales, _, end = _series(10.0, days=30)
    with pytest.raises(incrementality.IncrementalityError) as exc:
        incrementality.estimate(sales, end - timedelta(days=14), end)
    assert exc.value.code == "short_pre"


def test_sales_series_with_regions_and_a_control(engine):
    cid = make_campaign(engine, TWO)
    lines = ["Дата;Регион;Выручка, руб."]
    for i in range(3):
        d = date(2026, 10, 1) + timedelta(days=i)
        lines += [f"{d:%d.%m.%Y};Москва;{1000 + i} руб.", f"{d:%d.%m.%Y};Казань;{500 + i}"]
    lines += ["01.10.2026;Москва;1 500", "не дата;Москва;1"]
    sp = results.read_sales(csv("\n".join(lines) + "\n"), "s.csv")
    assert sp.unit == "revenue"
    assert [(r.row, r.code) for r in sp.rejected] == [(9, "not_a_date")]
    assert [(n.row, n.code) for n in sp.notes] == [(2, "duplicate_day")]
    fr = sp.frame.set_index(["region", "day"])
    assert fr.loc[("Москва", date(2026, 10, 1)), "sales"] == 1500
    assert set(sp.frame.loc[sp.frame["control"], "region"]) == {"Казань"}
    assert results.store_sales(engine, cid, sp, access=LOCAL) == 6
    assert results.store_sales(engine, cid, sp, access=LOCAL) == 6  # replaced, not added
    assert len(results.load_sales(engine, cid, access=LOCAL)) == 6


def test_the_report_exports_to_xlsx_with_sources(engine):
    cid = make_campaign(engine, TWO)
    results.apply_results(engine, cid, results.read_results(csv(RESULTS_CSV), "r.csv",
                                                            results.placements_of(engine, cid, access=LOCAL)),
                          access=LOCAL)
    goals_mod.save_goals(engine, cid, goals_mod.Goals(margin_pct=50.0, uplift_pct=10.0, targets=(("orders", 10.0),)),
                         access=LOCAL)
    from planner.reporting import results_export
    book = pd.read_excel(io.BytesIO(results_export.to_xlsx_bytes(report.build(engine, cid,
                                                                              access=LOCAL))), sheet_name=None)
    assert {"summary", "goals", "figures", "bloggers", "funnel", "plan_vs_actual", "corrections",
            "sources"} <= set(book)
    figures = book["figures"].set_index("figure")
    assert figures.loc["revenue", "value"] == pytest.approx(44_000) and figures.loc["revenue", "source"] == "uplifted"
    assert figures.loc["emv", "source"] == "benchmark"
    assert book["goals"].iloc[0]["met"] == "met"


def test_the_shipped_sample_campaign_is_the_generators_output_and_loads(new_db_url, tmp_path, monkeypatch):
    from planner.ingest import sample_campaign
    from planner.storage import db
    from tests.conftest import ROOT
    shipped = json.loads((ROOT / "data" / "sample_campaign.json").read_text(encoding="utf-8"))
    bloggers = pd.read_csv(ROOT / "data" / "sample_bloggers.csv", dtype={"handle": str, "name": str})
    assert json.loads(json.dumps(sample_campaign.generate(bloggers))) == shipped
    monkeypatch.delenv("PLANNER_NO_SAMPLE", raising=False)
    url = new_db_url("fresh")
    engine = db.get_engine(url)
    try:
        from planner import campaigns
        camps = campaigns.list_campaigns(engine, access=LOCAL)
        assert camps["name"].tolist() == [sample_campaign.NAME]
        rep = report.build(engine, int(camps["id"].iloc[0]), access=LOCAL)
        assert rep.has_results and rep.goal_rows and rep.incrementality is not None
        assert rep.incrementality.low > 0  # the sample's campaign did lift sales
        kinds = {d["kind"] for d in rep.disagreements}
        assert kinds == {"likes_without_sales", "sales_without_likes"}
        assert set(rep.bloggers["verdict"]) >= {"rebook", "drop"}
        assert rep.bloggers["handle"].isin(bloggers["handle"]).all()
    finally:
        engine.dispose()
        db._engines.pop(db.database_url(url), None)


def test_reasons_and_goal_errors_have_both_languages_with_the_same_parameters():
    import string

    from planner.core.i18n import TEXT

    def fields(text: str) -> set[str]:  # an inline plural "{n|day|days}" is the parameter n
        return {f.split("|")[0] for _, f, _, _ in string.Formatter().parse(text) if f}

    for prefix, table in (("results.reason.", results.REASONS), ("goals.error.", goals_mod.GOAL_ERRORS),
                          ("results.inc_error.", incrementality.ERRORS)):
        for code, english in table.items():
            entry = TEXT[prefix + code]
            if prefix != "results.inc_error.":  # the page words these its own way
                assert entry["en"] == english, code
            assert fields(entry["en"]) <= fields(english) and fields(entry["ru"]) == fields(entry["en"]), code


def test_the_results_workbook_writes_formula_like_text_as_text_read_back_as_typed(monkeypatch):
    """A text cell a spreadsheet would run as a formula (a hostile handle) is a text cell in the results workbook,
    whatever the column's dtype (pandas 3 keeps text as "str"), and reads back as typed: a handle's "@" gets no
    apostrophe (the rule of every XLSX the app writes)."""
    import openpyxl

    from planner.reporting import results_export

    hostile = '=HYPERLINK("http://evil.example","x")'
    frame = pd.DataFrame({"handle": pd.Series([hostile, "@ok"], dtype="str"),
                          "note": pd.Series(["+1", None], dtype=object), "n": [1, 2]})
    monkeypatch.setattr(results_export, "sheets", lambda report: {"bloggers": frame})
    sheet = openpyxl.load_workbook(io.BytesIO(results_export.to_xlsx_bytes(None)))["bloggers"]
    cells = [sheet.cell(row=r, column=c) for r in (2, 3) for c in (1, 2)]
    assert [c.value for c in cells] == [hostile, "+1", "@ok", None]
    assert all(c.data_type == "s" for c in cells if c.value is not None)
