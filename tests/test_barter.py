"""Barter against paid (planner.planning.barter): hand-checked cases, the CLI, and mixed plans against brute force."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from planner.core.i18n import TEXT, barter_error, t
from planner.estimates import metrics
from planner.estimates.benchmarks import BARTER, BarterBenchmarks
from planner.planning import barter
from planner.storage.access import LOCAL


def _blogger(**kw) -> dict:
    base = {"handle": "anna", "platform": "instagram", "followers": 20_000, "price_post": 7_500.0,
            "currency": "RUB", "accepts_barter": None, "barter_min_value": None, "deals_completed": None,
            "deals_cancelled": None, "niches": "beauty", "credibility": 0.9, "avg_reach": 6_000.0,
            "engagement_rate": 3.0}
    base.update(kw)
    return base


def _frame(*rows: dict) -> pd.DataFrame:
    df = pd.DataFrame(list(rows))
    df.insert(0, "id", np.arange(1, len(df) + 1))
    from planner.storage import store
    return metrics.enrich(store.with_all_columns(df).assign(id=df["id"].to_numpy()))


OFFER = barter.BarterOffer(product_cost=1_500, retail_value=9_000, shipping=300, packaging=200)


def _compare(*rows: dict, offer: barter.BarterOffer = OFFER, assumptions: BarterBenchmarks = BARTER):
    table_rows, skipped = barter.rows_from_bloggers(_frame(*rows))
    return barter.compare(table_rows, offer, assumptions), skipped


# ---- hand-checked cases -------------------------------------------------------------------------------------
def test_barter_clearly_cheaper_for_a_micro_blogger():
    """Micro, 7 500 ₽ fee, no data on barter: acceptance 75 % (tier), value 9 000 ≥ 1 × 7 500 (covers);
    post rate 45 %; barter cost 1 500 + 300 + 200 = 2 000, per published post 2 000 / 0.45 = 4 444.44;
    hybrid: fee 3 750, (3 750 + 2 000) / 0.85 = 6 764.71, acceptance 1 - 0.25 x 0.5 = 87.5 %;
    break-even retail (7 500 x 0.45 - 500) / (1 500 / 9 000) = 17 250."""
    tab, skipped = _compare(_blogger())
    assert skipped.empty
    r = tab.iloc[0]
    assert r["tier"] == "micro" and r["format"] == "post" and r["fee_source"] == "quote"
    assert r["acceptance"] == pytest.approx(0.75)
    assert r["post_rate"] == pytest.approx(0.45)
    assert r["barter_cost"] == pytest.approx(2_000)
    assert r["barter_cost_per_post"] == pytest.approx(2_000 / 0.45)
    assert r["paid_cost_per_post"] == pytest.approx(7_500)
    assert r["hybrid_fee"] == pytest.approx(3_750)
    assert r["hybrid_cost_per_post"] == pytest.approx(5_750 / 0.85)
    assert r["hybrid_acceptance"] == pytest.approx(0.875)
    assert r["break_even_retail"] == pytest.approx(17_250)
    assert r["asked_value"] == pytest.approx(7_500)
    assert r["recommendation"] == "barter"
    assert barter.reason_text(r, "en") == ("barter: a product worth 9,000\u00a0₽ at retail covers the 7,500\u00a0₽ "
                                           "fee; micro tier accepts readily")
    assert barter.reason_text(r, "ru") == ("бартер: продукт стоимостью 9\u202f000\u00a0₽ в рознице покрывает гонорар "
                                           "7\u202f500\u00a0₽; блогеры категории «микро» охотно соглашаются")
    # at 10 points lower (35 %): 2 000 / 0.35 = 5 714 < 6 764 < 7 500: still barter
    assert r["post_rate_low"] == pytest.approx(0.35) and r["recommendation_low"] == "barter"
    # costs per engagement and order use the plan's formulas on the same reach
    imps = float(metrics.impressions(r["reach"], "post"))
    assert r["cpm_barter"] == pytest.approx(r["barter_cost_per_post"] / imps * 1000)
    assert r["cpe_paid"] == pytest.approx(7_500 / (0.03 * r["reach"]))
    assert r["cpo_paid"] == pytest.approx(7_500 / (imps * 0.01 * 0.02))


def test_a_blogger_who_refuses_barter_is_paid():
    """accepts_barter False: barter acceptance 0; hybrid (fee 500) costs (500 + 2 000) / 0.85 = 2 941 per post,
    more than the 1 000 fee: paid, "does not accept barter"."""
    tab, _ = _compare(_blogger(handle="boris", followers=5_000, price_post=1_000, accepts_barter=False))
    r = tab.iloc[0]
    assert r["acceptance"] == 0
    assert r["recommendation"] == "paid" and r["reason_code"] == "refuses"
    assert barter.reason_text(r, "en") == "paid: @boris does not accept barter"
    codes = [c for c, _ in r["acceptance_reasons"]]
    assert codes == ["tier", "refuses"]
    # the hybrid offer still has a chance, halved (refuses_hybrid_factor): nano base 85 % -> 1 - 0.15 x 0.5
    assert r["hybrid_acceptance"] == pytest.approx((1 - 0.15 * 0.5) * 0.5)


def test_a_big_blogger_asks_for_more_and_the_minimum_rules():
    """Macro (600K), fee 300 000: asks 2.5 x the fee = 750 000 at retail; 9 000 covers 1.2 %: acceptance
    25 % x 0.012 = 0.3 %: paid, "unlikely". With a stated minimum above the product: 0, "below_minimum"."""
    tab, _ = _compare(_blogger(handle="star", followers=600_000, price_post=300_000))
    r = tab.iloc[0]
    assert r["tier"] == "macro"
    assert r["asked_value"] == pytest.approx(750_000)
    assert r["acceptance"] == pytest.approx(0.25 * 9_000 / 750_000)
    # hybrid: (150 000 + 9 000) / (150 000 + 2.5 x 150 000) x (1 - 0.75 x 0.5) = 18.9 % < 30 %: not recommended
    assert r["hybrid_acceptance"] == pytest.approx(159_000 / 525_000 * 0.625)
    assert r["recommendation"] == "paid" and r["reason_code"] == "unlikely"
    tab, _ = _compare(_blogger(handle="picky", price_post=7_500, accepts_barter=True, barter_min_value=20_000))
    r = tab.iloc[0]
    assert r["acceptance"] == 0 and r["hybrid_acceptance"] == 0  # hybrid: 9 000 < 20 000 x 0.5 too
    assert r["recommendation"] == "paid" and r["reason_code"] == "below_minimum"
    assert ("below_min", {"retail": 9_000.0, "minimum": 20_000.0}) in r["acceptance_reasons"]


def test_the_record_moves_the_post_rate_and_sensitivity_flips_a_close_call():
    """Record 30 completed, 0 cancelled: (10 x 0.45 + 30) / 40 = 86.25 %; 10 cancelled of 10: 4.5 / 20 = 22.5 %."""
    tab, _ = _compare(_blogger(deals_completed=30, deals_cancelled=0),
                      _blogger(handle="flaky", deals_completed=0, deals_cancelled=10))
    assert tab.iloc[0]["post_rate"] == pytest.approx(34.5 / 40)
    assert tab.iloc[1]["post_rate"] == pytest.approx(4.5 / 20)
    assert [c for c, _ in tab.iloc[0]["post_rate_reasons"]] == ["tier", "record"]
    # a close call: fee 4 700, barter 2 000 / 0.45 = 4 444 (barter); at 35 %: 5 714 > 4 700 -> paid or hybrid
    tab, _ = _compare(_blogger(price_post=4_700))
    r = tab.iloc[0]
    assert r["recommendation"] == "barter" and r["changed_low"] and r["recommendation_low"] != "barter"


def test_niche_fit_and_commonplace_lower_acceptance():
    offer = barter.BarterOffer(product_cost=1_500, retail_value=9_000, niches=("tech",), commonplace=True)
    tab, _ = _compare(_blogger(), offer=offer)  # a beauty blog, a tech product everyone has
    r = tab.iloc[0]
    assert r["fit_factor"] == pytest.approx(0.5)
    assert r["acceptance"] == pytest.approx(0.75 * 0.5 * 0.5)
    assert r["post_rate"] == pytest.approx(0.45 * 0.5)
    assert {"niche_off", "commonplace"} <= {c for c, _ in r["acceptance_reasons"]}


def test_editable_assumptions_change_the_answer():
    tab, _ = _compare(_blogger())
    assert tab.iloc[0]["recommendation"] == "barter"
    low = BARTER.with_typical({("post_rate", "micro"): 0.2})
    assert low.post_rate["micro"].source == "user setting"
    tab, _ = _compare(_blogger(), assumptions=low)
    assert tab.iloc[0]["post_rate"] == pytest.approx(0.2)
    assert tab.iloc[0]["recommendation"] != "barter"  # 2 000 / 0.2 = 10 000 > 7 500
    with pytest.raises(ValueError):
        BARTER.with_typical({("acceptance", "nano"): 1.5})


def test_totals_and_options():
    offer = OFFER
    tab, _ = _compare(_blogger(), _blogger(handle="boris", followers=5_000, price_post=1_000, accepts_barter=False))
    tot = barter.totals(tab, offer)
    # anna by barter: fee 7 500 not paid; the product costs 1 500 + 300 + 200; boris paid
    assert tot["cash_saved"] == pytest.approx(7_500)
    assert tot["units"] == 1 and tot["product_cost"] == pytest.approx(2_000)
    assert tot["expected_posts_lost"] == pytest.approx(1 - 0.75 * 0.45)
    assert tot["deals"] == {"paid": 1, "barter": 1, "hybrid": 0}
    opts = barter.options(tab, offer)
    assert opts["deal"].tolist() == ["paid", "barter", "hybrid"] * 2
    assert opts.loc[1, "cash"] == 0 and opts.loc[1, "product_cost"] == 2_000 and bool(opts.loc[1, "recommended"])
    assert opts.loc[2, "cash"] == 3_750 and opts.loc[2, "product_cost"] == 2_000
    curve = barter.break_even_curve(tab.iloc[0], offer)
    b = curve[curve["deal"] == "barter"]
    p = curve[curve["deal"] == "paid"]
    # the barter line crosses the paid one at the break-even retail value
    x = float(tab.iloc[0]["break_even_retail"])
    assert np.interp(x, b["retail"], b["cost_per_post"]) == pytest.approx(p["cost_per_post"].iloc[0], rel=1e-9)


def test_formats_estimates_and_skipped():
    df = _frame(_blogger(), _blogger(handle="noprice", price_post=None))
    rows, skipped = barter.rows_from_bloggers(df)
    assert rows["handle"].tolist() == ["anna"]
    assert skipped.to_dict("records") == [{"handle": "noprice", "platform": "instagram", "reason": "no_fee"}]
    rows, skipped = barter.rows_from_bloggers(df, allow_estimated_prices=True)
    assert rows["fee_source"].tolist() == ["quote", "estimate"] and skipped.empty
    rows, _ = barter.rows_from_bloggers(df, formats="all", allow_estimated_prices=True)
    assert set(rows.loc[rows["handle"] == "anna", "format"]) == {"post", "story", "short"}
    usd, _ = barter.rows_from_bloggers(df, currency="USD", fx={"USD": 90.0})
    assert usd["fee"].iloc[0] == pytest.approx(7_500 / 90)


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"product_cost": -1}, "product_cost"), ({"retail_value": 0}, "retail"), ({"shipping": float("nan")}, "shipping"),
    ({"units": 0}, "units"), ({"units": 2.5}, "units"), ({"currency": "XYZ"}, "currency"), ({"ctr": 2}, "rate"),
])
def test_a_bad_offer_says_why_in_both_languages(kwargs, code):
    args = {"product_cost": 100.0, "retail_value": 300.0, **kwargs}
    with pytest.raises(barter.BarterError) as info:
        barter.BarterOffer(**args)
    assert info.value.code == code
    assert barter_error(info.value, "en") == str(info.value)
    assert barter_error(info.value, "ru") != str(info.value)


def test_every_reason_code_has_both_languages_and_the_english_matches():
    for code, en in barter.BARTER_ERRORS.items():
        assert TEXT[f"barter.error.{code}"]["en"] == en
    for key in [k for k in TEXT if k.startswith("barter.")]:
        assert TEXT[key]["ru"] and TEXT[key]["en"]
    # the same parameters in both languages
    import string
    for key in [k for k in TEXT if k.startswith(("barter.why.", "barter.acc.", "barter.rate.", "barter.clause."))]:
        names = [{f for _, f, _, _ in string.Formatter().parse(TEXT[key][lang]) if f} for lang in ("en", "ru")]
        assert names[0] == names[1], key
    assert t("barter.why.refuses", "ru", handle="x") == "оплата: @x не работает по бартеру"


def test_zero_cost_product_and_nothing_to_compare():
    offer = barter.BarterOffer(product_cost=0, retail_value=500)
    tab, _ = _compare(_blogger(), offer=offer)
    assert math.isinf(tab.iloc[0]["break_even_retail"])  # free product: barter is cheaper at any retail value
    empty, skipped = barter.rows_from_bloggers(_frame(_blogger(price_post=None)))
    assert empty.empty and len(skipped) == 1
    assert barter.compare(empty, OFFER).empty
    assert barter.totals(barter.compare(empty, OFFER), OFFER)["units"] == 0


# ---- the command line ---------------------------------------------------------------------------------------
@pytest.fixture
def cli_db(new_db_url, tmp_path, monkeypatch):
    url = new_db_url("cli")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _run(capsys, *argv: str) -> tuple[int, dict | str]:
    from planner.__main__ import main
    code = main(list(argv))
    out = capsys.readouterr()
    if "--json" in argv:
        return code, json.loads(out.out)
    return code, out.out + out.err


def _csv(tmp_path, *rows: dict):
    path = tmp_path / "bloggers.csv"
    pd.DataFrame(list(rows)).to_csv(path, index=False)
    return str(path)


KEYS = ["handle", "platform", "format", "fee", "post_rate", "acceptance", "barter_cost", "barter_cost_per_post",
        "paid_cost_per_post", "hybrid_fee", "hybrid_cost_per_post", "recommendation", "reason", "break_even_retail"]


def test_cli_barter_on_a_file(tmp_path, capsys, cli_db):
    path = _csv(tmp_path, _blogger(), _blogger(handle="boris", followers=5_000, price_post=1_000,
                                               accepts_barter=False))
    code, out = _run(capsys, "barter", "--bloggers", path, "--product-cost", "1500", "--retail", "9000",
                     "--shipping", "300", "--packaging", "200", "--json")
    assert code == 0
    assert isinstance(out, dict)
    assert [list(b) for b in out["bloggers"]] == [KEYS, KEYS]
    anna, boris = out["bloggers"]
    assert anna["recommendation"] == "barter" and anna["barter_cost"] == 2000
    assert anna["barter_cost_per_post"] == pytest.approx(4444.44, abs=0.01)
    assert anna["paid_cost_per_post"] == 7500 and anna["break_even_retail"] == 17250
    assert anna["reason"].startswith("barter: a product worth 9,000")
    assert boris["recommendation"] == "paid" and boris["reason"] == "paid: @boris does not accept barter"
    assert list(out["totals"]) == ["cash_saved", "units", "product_cost", "expected_posts_lost"]
    assert out["totals"]["cash_saved"] == 7500 and out["totals"]["units"] == 1
    assert out["totals"]["product_cost"] == 2000
    assert out["assumptions"]["post_rate.micro"]["source"].startswith("seedingops.com")
    code, text = _run(capsys, "barter", "--bloggers", path, "--product-cost", "1500", "--retail", "9000")
    assert code == 0 and "@anna" in text and "cash saved" in text


@pytest.mark.parametrize("argv", [
    ["--product-cost", "-1", "--retail", "9000"],
    ["--product-cost", "100", "--retail", "nan"],
    ["--product-cost", "100", "--retail", "9000", "--units", "0"],
    ["--product-cost", "100", "--retail", "9000", "--niche", "spaceflight"],
])
def test_cli_barter_bad_input_exits_2(tmp_path, capsys, cli_db, argv):
    path = _csv(tmp_path, _blogger())
    code, text = _run(capsys, "barter", "--bloggers", path, *argv)
    assert code == 2 and "error:" in str(text) and "Traceback" not in str(text)


def test_cli_barter_nothing_to_compare_and_no_campaign(tmp_path, capsys, cli_db):
    path = _csv(tmp_path, _blogger(price_post=None))
    code, text = _run(capsys, "barter", "--bloggers", path, "--product-cost", "100", "--retail", "900")
    assert code == 2 and "--allow-estimated-prices" in str(text)
    code, text = _run(capsys, "barter", "--campaign", "99", "--product-cost", "100", "--retail", "900")
    assert code == 2 and "no campaign 99" in str(text)


def test_cli_plan_save_then_barter_on_the_campaign(tmp_path, capsys, cli_db, small_sample):
    from planner.storage import db, store
    store.upsert_bloggers(db.get_engine(cli_db), small_sample, source="sample")
    code, out = _run(capsys, "plan", "--budget", "400000", "--save", "Spring launch", "--json")
    assert code == 0 and isinstance(out, dict)
    cid = out["campaign_id"]
    assert isinstance(cid, int)
    code, res = _run(capsys, "barter", "--campaign", str(cid), "--product-cost", "800", "--retail", "4000",
                     "--json")
    assert code == 0 and isinstance(res, dict)
    assert len(res["bloggers"]) + len(res["skipped"]) == len(out["placements"])
    assert res["currency"] == "RUB"
    # a plan on a file links placements to the database's bloggers by platform and handle
    path = tmp_path / "few.csv"
    small_sample.head(40).to_csv(path, index=False)
    code, out = _run(capsys, "plan", "--budget", "200000", "--bloggers", str(path), "--save", "From a file", "--json")
    assert code == 0 and isinstance(out, dict)
    from planner import campaigns
    _, placements = campaigns.load_campaign(db.get_engine(cli_db), out["campaign_id"], access=LOCAL)
    assert placements["blogger_id"].notna().all()


def test_break_even_chart_spec():
    from planner.reporting import charts
    tab, _ = _compare(_blogger())
    row = tab.iloc[0]
    curve = barter.break_even_curve(row, OFFER)
    marks = pd.DataFrame({"mark": ["offer", "asked", "break_even"],
                          "retail": [9_000.0, float(row["asked_value"]), float(row["break_even_retail"])]})
    for lang, paid in (("en", "Paid"), ("ru", "Оплата")):
        spec = charts.break_even_chart(curve, marks, lang, "₽").to_dict()
        lines, rules, text = spec["layer"]
        assert lines["encoding"]["x"]["field"] == "retail" and lines["encoding"]["y"]["field"] == "cost_per_post"
        assert paid in lines["encoding"]["color"]["scale"]["domain"]
        assert "source" in [tt["field"] for tt in lines["encoding"]["tooltip"]]  # where each figure comes from
        assert rules["encoding"]["x"]["field"] == "retail"
        assert spec["config"]["locale"]["number"]["decimal"] == ("," if lang == "ru" else ".")
    data = next(iter(spec["datasets"].values()))
    assert {d["deal"] for d in data} == {"paid", "barter", "hybrid"}


# ---- mixed plans: the optimiser with a product budget, against brute force -----------------------------------
def mixed_problem(seed: int, n_bloggers: int, *, zero_cash: bool = True, bounds: bool = False):
    """Each blogger: a paid candidate (cash, no units), a barter one (no cash or shipping only, 1 unit, reach x
    an expected-post factor) and sometimes a hybrid one (half the fee, 1 unit); a units budget of a few units."""
    from planner.planning import optimiser as opt
    rng = np.random.default_rng(seed)
    P = int(rng.integers(1, 3))
    cost, reach, fit, pool, blogger, plat, units = [], [], [], [], [], [], []
    for b in range(n_bloggers):
        r = float(np.exp(rng.normal(np.log(2_000), 0.8)))
        c = round(r * float(rng.uniform(0.5, 1.5))) + 10
        f = float(rng.uniform(0, 1))
        q = int(rng.integers(0, P))
        k = int(rng.integers(0, 2))
        deals = [(c, r, 0)]
        post = float(rng.uniform(0.15, 0.7))
        deals.append((0.0 if zero_cash else float(rng.integers(1, 30)), r * post, 1))
        if rng.random() < 0.5:
            deals.append((round(c / 2), r * min(1.0, post + 0.3), 1))
        for dc, dr, du in deals:
            cost.append(dc)
            reach.append(dr)
            fit.append(f)
            pool.append(q)
            blogger.append(b)
            plat.append(k)
            units.append(du)
    reach_a = np.array(reach)
    pool_a = np.array(pool)
    mx = np.zeros(P)
    np.maximum.at(mx, pool_a, reach_a)
    size = np.maximum(np.bincount(pool_a, weights=reach_a, minlength=P) * rng.uniform(0.3, 1.0, P), 1.3 * mx) + 100
    cost_a = np.array(cost, dtype=float)
    budget = float(cost_a[np.array(units) == 0].sum() * rng.uniform(0.15, 0.5))
    pb_bounds = {0: (None, float(rng.uniform(0.3, 0.7)))} if bounds else {}
    return opt.Problem(cost=cost_a, reach=reach_a, fit=np.array(fit), pool=pool_a, blogger=np.array(blogger),
                       platform=np.array(plat), pool_size=size, budget=budget, platform_bounds=pb_bounds,
                       units=np.array(units, dtype=float), units_budget=float(rng.integers(0, 4)))


@pytest.mark.parametrize("seed", range(10))
def test_mixed_plans_respect_both_budgets_and_match_brute_force(seed):
    from planner.planning import optimiser as opt
    from tests.test_optimiser import brute_values, feasible_masks
    rng = np.random.default_rng(seed)
    pb = mixed_problem(500 + seed, int(rng.integers(3, 6)), zero_cash=seed % 2 == 0, bounds=seed % 3 == 0)
    assert pb.n <= 16
    masks, ok = feasible_masks(pb)
    ok &= masks @ np.asarray(pb.units) <= pb.units_budget + 1e-9  # the product budget
    U, V = brute_values(pb, masks)
    Us, Vs = max(U[ok].max(), 1e-9), max(V[ok].max(), 1e-9)
    for w in (0.0, 0.5, 1.0):
        F = w * U / Us + (1 - w) * V / Vs
        best = F[ok].max()
        sol = opt.solve(pb, w, normalisers=(Us, Vs), time_limit=60)
        chosen = np.asarray(sol.chosen)
        assert np.asarray(pb.cost)[chosen].sum() <= pb.budget * (1 + 1e-9)  # cash never above the budget
        assert np.asarray(pb.units)[chosen].sum() <= pb.units_budget + 1e-9  # units never above the product budget
        assert np.unique(np.asarray(pb.blogger)[chosen]).size == chosen.size  # one deal per blogger
        assert sol.status == "optimal", (w, sol.gap, sol.info)
        assert sol.upper_bound >= best * (1 - 1e-9)
        assert sol.objective == pytest.approx(best, rel=opt.GAP_OPTIMAL)


def test_units_budget_validation_and_infeasible_musts():
    from planner.planning import optimiser as opt
    pb = mixed_problem(3, 3)
    with pytest.raises(ValueError):
        opt.solve(opt.Problem(**{**_fields(pb), "units": -np.asarray(pb.units)}), 0.5, time_limit=10)
    barter_row = int(np.flatnonzero(np.asarray(pb.units) > 0)[0])
    with pytest.raises(opt.Infeasible) as info:
        opt.solve(opt.Problem(**{**_fields(pb), "units_budget": 0.0, "must_in": [barter_row]}), 0.5, time_limit=10)
    assert info.value.code == "units_below_musts"
    zero = opt.Problem(**{**_fields(pb), "units": None})  # without units a free candidate is refused
    if (np.asarray(pb.cost) == 0).any():
        with pytest.raises(ValueError):
            opt.solve(zero, 0.5, time_limit=10)


def _fields(pb) -> dict:
    return {k: getattr(pb, k) for k in ("cost", "reach", "fit", "pool", "blogger", "platform", "pool_size", "budget",
                                        "must_in", "must_out", "max_share", "platform_bounds", "overlaps", "units",
                                        "units_budget")}


# ---- mixed plans through the brief, the command line and saved campaigns ----------------------------------------
def _mixed_frame(n: int = 7, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        followers = int(rng.choice([4_000, 15_000, 30_000, 120_000]))
        rows.append(_blogger(handle=f"b{i}", followers=followers, price_post=float(round(followers * 0.3, -2)),
                             avg_reach=followers * 0.3, accepts_barter=[True, None, False][i % 3],
                             niches=["beauty", "fashion", "food"][i % 3], country="RU"))
    return _frame(*rows)


def test_a_mixed_plan_through_the_brief_matches_brute_force():
    from planner.planning import optimiser as opt
    from planner.planning import plan
    from tests.test_optimiser import brute_values, feasible_masks
    df = _mixed_frame()
    for units in (0, 1, 2):
        brief = plan.Brief(budget=12_000, niches=("beauty",), niche_mode="prefer", formats=("post",),
                           product_units=units, product_cost=500, product_retail=6_000, product_shipping=200)
        cands = plan.build_candidates(df, brief)
        frame = cands.frame
        assert set(frame["deal"]) == ({"paid"} if units == 0 else {"paid", "barter", "hybrid"})
        goods = frame[frame["deal"] != "paid"]
        assert (goods.loc[goods["deal"] == "barter", "cost"] == 0).all()
        assert (goods["product_units"] == 1).all() and (goods["product_cost"] == 700).all()
        # expected value: reach x post rate x acceptance
        assert np.allclose(goods["reach"], goods["reach_posted"] * goods["acceptance"] * goods["post_rate"])
        refuses = df["accepts_barter"].eq(False).fillna(False).to_numpy(dtype=bool)[frame["pos"].to_numpy()]
        assert not (frame["deal"].to_numpy()[refuses] == "barter").any()
        pb = cands.problem
        assert pb.n <= 18
        masks, ok = feasible_masks(pb)
        if units:
            ok &= masks @ np.asarray(pb.units) <= units + 1e-9
        U, V = brute_values(pb, masks)
        Us, Vs = max(U[ok].max(), 1e-9), max(V[ok].max(), 1e-9)
        best = (0.5 * U / Us + 0.5 * V / Vs)[ok].max()
        sol = opt.solve(pb, 0.5, normalisers=(Us, Vs), time_limit=60)
        assert sol.status == "optimal" and sol.objective == pytest.approx(best, rel=opt.GAP_OPTIMAL)
        result = plan.describe(cands, sol, brief, df)
        t = result.totals
        assert t["cash_cost"] <= 12_000 and t["product_units"] <= units
        assert t["product_cost"] == pytest.approx(700 * t["product_units"])
        assert set(result.placements.columns) >= {"deal", "cash_cost", "product_units", "expected_posts"}
        backups = plan.backups(df, result)
        for row in result.placements.itertuples():
            assert len(backups[int(row.id)]) <= (3 if row.deal != "paid" else 2)


def test_a_bad_product_budget_is_a_brief_error():
    from planner.planning import plan
    for kw in ({"product_units": -1}, {"product_units": 2, "product_retail": 0}, {"product_units": 1.5},
               {"product_units": 2, "product_retail": 100, "product_cost": float("nan")}):
        with pytest.raises(plan.BriefError) as info:
            plan.Brief(budget=1000, **kw)
        assert info.value.code == "product"
    from planner.core.i18n import plan_error
    assert plan_error(info.value, "ru") != str(info.value)


def test_cli_mixed_plan_respects_both_budgets_and_saves_the_deals(tmp_path, capsys, cli_db, small_sample):
    from planner import campaigns
    from planner.storage import db, store
    engine = db.get_engine(cli_db)
    store.upsert_bloggers(engine, small_sample, source="sample")
    code, out = _run(capsys, "plan", "--budget", "150000", "--product-units", "6", "--product-cost", "400",
                     "--retail", "3000", "--shipping", "250", "--save", "Mixed", "--json")
    assert code == 0 and isinstance(out, dict)
    assert out["cash_cost"] <= 150_000 and out["product_units"] <= 6
    keys = {"deal", "cash_cost", "product_units", "expected_posts"}
    assert all(keys <= set(p) for p in out["placements"])
    goods = [p for p in out["placements"] if p["deal"] != "paid"]
    assert goods, "a product budget worth using is used"
    assert sum(p["product_units"] for p in out["placements"]) == out["product_units"]
    assert sum(p["cash_cost"] for p in out["placements"]) == pytest.approx(out["cash_cost"], abs=0.05)
    assert out["product_cost"] == pytest.approx(650 * out["product_units"])
    assert all(p["expected_posts"] == 1 for p in out["placements"] if p["deal"] == "paid")
    assert all(0 < p["expected_posts"] < 1 for p in goods)
    camp, placements = campaigns.load_campaign(engine, out["campaign_id"], access=LOCAL)
    assert sorted(placements["kind"]) == sorted(p["deal"] for p in out["placements"])
    saved = placements[placements["kind"] != "paid"]
    assert (saved["product_cost"] == 650).all() and (saved["product_units"] == 1).all()
    assert saved["expected_posts"].between(0, 1).all() and saved["acceptance"].notna().all()
    assert placements["cost"].sum() == pytest.approx(out["cash_cost"], abs=0.05)
    assert camp.brief["product_units"] == 6 and camp.brief["totals"]["product_units"] == out["product_units"]
    # the barter comparison of the saved campaign values each placement at the reach of a published post
    code, res = _run(capsys, "barter", "--campaign", str(out["campaign_id"]), "--product-cost", "400", "--retail",
                     "3000", "--json")
    assert code == 0 and isinstance(res, dict) and res["bloggers"]
    # the plan's file export says each placement's deal, with cash and product apart
    path = tmp_path / "mixed.csv"
    code, _ = _run(capsys, "plan", "--budget", "150000", "--product-units", "6", "--product-cost", "400",
                   "--retail", "3000", "--shipping", "250", "--out", str(path), "--json")
    back = pd.read_csv(path)
    assert code == 0 and set(back["deal"]) >= {"paid"} and (back["deal"] != "paid").any()
    assert back["product_units"].sum() <= 6 and back["cash_cost"].sum() <= 150_000
    assert (back.loc[back["deal"] == "barter", "cash_cost"] == 0).all()
    code, text = _run(capsys, "plan", "--budget", "150000", "--product-units", "3", "--retail", "3000")
    assert code == 2 and "--product-cost" in str(text)


def test_a_mixed_plan_says_why_deals_were_offered_or_not():
    """Every blogger among the paid candidates is either offered a barter (hybrid) deal or counted under one reason;
    the offered ones are exactly the bloggers with a twin among the candidates."""
    from planner.planning import barter as model
    from planner.planning import plan
    df = _mixed_frame(12, seed=5)
    df.loc[df.index[0], "followers"] = np.nan  # no tier: no deal
    brief = plan.Brief(budget=12_000, formats=("post",), product_units=3, product_cost=500, product_retail=6_000,
                       product_shipping=200, min_credibility=0.0)
    cands = plan.build_candidates(df, brief)
    frame = cands.frame
    offers = model.twin_reasons(frame, df, brief)
    paid = frame[frame["deal"] == "paid"]
    bloggers = set(zip(paid["handle"], paid["platform"], strict=True))
    for deal in ("barter", "hybrid"):
        counts = offers[deal]
        assert sum(counts.values()) == len(bloggers)
        twins = frame[frame["deal"] == deal]
        assert counts["offered"] == len(set(zip(twins["handle"], twins["platform"], strict=True)))
    assert offers["barter"]["no_tier"] >= 1
    assert model.twin_reasons(frame, df, plan.Brief(budget=12_000)) == {}  # no product budget: nothing to say
