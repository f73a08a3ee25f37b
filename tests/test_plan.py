"""The brief → candidates → certified plan chain, as the Plan page and `planner plan` use it."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import campaigns
from planner.estimates import metrics
from planner.planning import optimiser, plan
from planner.storage.access import LOCAL

TL = 120.0  # a generous limit: these tests check plans, never speed (a loaded machine is slow)


def _frame(n: int = 6) -> pd.DataFrame:
    base = pd.DataFrame({
        "id": np.arange(1, n + 1), "handle": [f"b{i}" for i in range(n)], "name": [None] * n,
        "platform": ["telegram"] * n, "country": ["RU"] * n, "niches": ["beauty"] * (n // 2) + ["auto"] * (n - n // 2),
        "followers": [50_000 + 10_000 * i for i in range(n)], "avg_reach": [10_000.0 + 1_000 * i for i in range(n)],
        "credibility": [0.9] * n, "price_post": [20_000.0 + 1_000 * i for i in range(n)], "currency": ["RUB"] * n,
        "audience_countries": ["RU:0.8;KZ:0.2"] * n, "audience_female": [0.7] * n,
    })
    return metrics.enrich(base)


@pytest.fixture(scope="module")
def sample_frame(small_sample):
    df = metrics.enrich(small_sample)
    df.insert(0, "id", np.arange(1, len(df) + 1))
    return df


def test_measured_reach_is_used_as_is_and_target_share_only_with_a_target():
    df = _frame()
    c = plan.build_candidates(df, plan.Brief(budget=100_000, formats=("post",)))
    assert c.frame.set_index("handle").loc["b2", "reach"] == pytest.approx(12_000)  # measured, not × credibility
    c = plan.build_candidates(df, plan.Brief(budget=100_000, formats=("post",), countries=("RU",), gender="female"))
    assert c.frame.set_index("handle").loc["b2", "reach"] == pytest.approx(12_000 * 0.8 * 0.7)


def test_estimated_reach_is_discounted_by_credibility():
    df = _frame().assign(avg_reach=np.nan)
    df = metrics.enrich(df.drop(columns=[c for c in df.columns if c.endswith("_estimated") or c in
                                         ("reach_post", "reach_story", "tier", "fraud_flag")]))
    c = plan.build_candidates(df, plan.Brief(budget=100_000, formats=("post",)))
    row = c.frame.set_index("handle").loc["b0"]
    assert row["reach"] == pytest.approx(df.loc[0, "reach_post"] * 0.9)
    assert bool(row["reach_estimated"])


def test_niche_fit_prefers_the_brief_niche():
    c = plan.build_candidates(_frame(), plan.Brief(budget=100_000, niches=("beauty",), formats=("post",),
                                                   niche_mode="prefer"))
    fit = c.frame.groupby(c.frame["handle"].isin(["b0", "b1", "b2"]))["fit"].mean()
    assert fit[True] > 0.5 and fit[False] == 0.0  # auto has no relation to beauty


def test_only_these_niches_keeps_other_niches_out_but_honours_locks_and_keywords():
    df = _frame()  # b0-b2 beauty, b3-b5 auto
    c = plan.build_candidates(df, plan.Brief(budget=100_000, niches=("beauty",), formats=("post",)))
    assert plan.Brief(budget=1).niche_mode == "only"  # the default: a brief's niches mean those niches
    assert set(c.frame["handle"]) == {"b0", "b1", "b2"}
    assert (c.frame["fit"] > 0).all()
    c = plan.build_candidates(df, plan.Brief(budget=100_000, niches=("beauty",), formats=("post",),
                                             must_include=(5,)))
    assert set(c.frame["handle"]) == {"b0", "b1", "b2", "b4"}  # id 5 is b4: a lock wins over the niche rule
    c = plan.build_candidates(df, plan.Brief(budget=100_000, niches=("beauty",), keywords=("b5",),
                                             formats=("post",)))
    assert "b5" in set(c.frame["handle"])
    secondary = df.assign(niches=["fashion;beauty"] + ["auto"] * 5)
    c = plan.build_candidates(secondary, plan.Brief(budget=100_000, niches=("beauty",), formats=("post",)))
    assert set(c.frame["handle"]) == {"b0"}
    with pytest.raises(plan.BriefError):
        plan.Brief(budget=1, niche_mode="sometimes")


def _priced(**cols) -> pd.DataFrame:
    """Two Telegram bloggers: b0 quotes a post and not a story; b1 quotes nothing."""
    base = pd.DataFrame({
        "id": [1, 2], "handle": ["b0", "b1"], "platform": ["telegram", "telegram"], "country": ["RU", "RU"],
        "niches": ["food", "food"], "followers": [40_000, 60_000], "avg_views": [9_000.0, 12_000.0],
        "credibility": [0.9, 0.9], "price_post": [30_000.0, np.nan], "currency": ["RUB", "RUB"], **cols,
    })
    return metrics.enrich(base)


def test_quoted_prices_only_unless_estimates_are_allowed():
    df = _priced()
    c = plan.build_candidates(df, plan.Brief(budget=1e6))
    assert c.frame[["handle", "format"]].values.tolist() == [["b0", "post"]]
    assert c.frame["price_source"].tolist() == ["quote"] and not c.frame["price_estimated"].any()
    assert c.skipped_estimated == 3  # b0's story, b1's post and story have benchmark prices only
    c = plan.build_candidates(df, plan.Brief(budget=1e6, allow_estimated_prices=True))
    assert len(c.frame) == 4
    src = c.frame.set_index(["handle", "format"])["price_source"]
    assert src[("b0", "post")] == "quote" and src[("b0", "story")] == src[("b1", "post")] == "estimate"
    brief = plan.Brief(budget=1e6, allow_estimated_prices=True, reach_weight=1.0)
    res = plan.describe(c, plan.solve(c, brief, time_limit=60), brief, df)
    rows = res.placements
    est = rows.loc[rows["price_source"] == "estimate", "cost"].sum()
    assert est > 0 and res.totals["estimated_cost"] == pytest.approx(est)
    assert res.totals["quoted_cost"] + res.totals["estimated_cost"] == pytest.approx(res.totals["cost"])
    with pytest.raises(plan.BriefError, match="estimated prices"):
        plan.build_candidates(df[df["handle"] == "b1"], plan.Brief(budget=1e6))


def test_each_format_has_its_own_reach_and_source():
    df = metrics.enrich(pd.DataFrame({
        "id": [1, 2], "handle": ["ig", "yt"], "platform": ["instagram", "youtube"], "country": ["RU", "RU"],
        "followers": [100_000, 100_000], "avg_reach": [30_000.0, np.nan], "avg_views": [50_000.0, 20_000.0],
        "credibility": [0.8, 0.8], "price_post": [10_000.0, np.nan], "price_story": [4_000.0, np.nan],
        "price_short": [12_000.0, 3_000.0], "price_video": [np.nan, 40_000.0], "currency": ["RUB", "RUB"],
    }))
    c = plan.build_candidates(df, plan.Brief(budget=1e6, min_credibility=0))
    got = c.frame.set_index(["handle", "format"])
    bench = metrics.default_benchmarks()
    assert got.loc[("ig", "post"), "reach"] == pytest.approx(30_000)  # measured, as it is
    assert got.loc[("ig", "post"), "reach_source"] == "measured" and not got.loc[("ig", "post"), "reach_estimated"]
    ig_u = bench.unique_viewer_share["instagram"].value
    assert got.loc[("ig", "short"), "reach"] == pytest.approx(50_000 * ig_u)  # Reels views, not the post's reach
    assert got.loc[("ig", "short"), "reach_source"] == "views" and got.loc[("ig", "short"), "reach_estimated"]
    story_rate = bench.reach_rate[("instagram", "mid", "story")].typical
    assert got.loc[("ig", "story"), "reach"] == pytest.approx(100_000 * story_rate * 0.8)  # x credibility
    assert got.loc[("ig", "story"), "reach_source"] == "followers"
    yt_u = bench.unique_viewer_share["youtube"].value
    assert got.loc[("yt", "video"), "reach"] == pytest.approx(20_000 * yt_u)
    assert got.loc[("yt", "video"), "reach_source"] == "views"
    ratio = (bench.reach_rate[("youtube", "mid", "short")].typical
             / bench.reach_rate[("youtube", "mid", "video")].typical)
    assert got.loc[("yt", "short"), "reach"] == pytest.approx(20_000 * yt_u * ratio)
    assert got.loc[("yt", "short"), "reach_source"] == "benchmark"


def test_target_country_pools_count_people_in_that_country():
    df = metrics.enrich(pd.DataFrame({
        "id": [1, 2], "handle": ["ru", "kz"], "platform": ["telegram", "telegram"], "country": ["RU", "KZ"],
        "niches": ["food", "food"], "followers": [50_000, 50_000], "avg_reach": [10_000.0, 10_000.0],
        "credibility": [0.9, 0.9], "price_post": [20_000.0, 20_000.0], "currency": ["RUB", "RUB"],
        "audience_countries": ["RU:0.8;KZ:0.2", "KZ:0.5;RU:0.5"],
    }))
    c = plan.build_candidates(df, plan.Brief(budget=1e6, countries=("RU",)))
    got = c.frame.set_index("handle")
    assert set(c.pool_names) == {"food/RU"}  # the Kazakh blogger's Russian viewers join the Russian pool
    assert got.loc["ru", "reach"] == pytest.approx(8_000) and got.loc["kz", "reach"] == pytest.approx(5_000)
    assert c.base_pool_sizes["food/RU"] == pytest.approx(plan.COUNTRY_POPULATION["RU"] * plan.NICHE_INTEREST["food"])
    c = plan.build_candidates(df, plan.Brief(budget=1e6, countries=("ru", "KZ")))
    assert c.pool_names == ["food/KZ+RU"]
    assert c.base_pool_sizes["food/KZ+RU"] == pytest.approx(
        (plan.COUNTRY_POPULATION["RU"] + plan.COUNTRY_POPULATION["KZ"]) * plan.NICHE_INTEREST["food"])
    c = plan.build_candidates(df, plan.Brief(budget=1e6))
    assert sorted(c.pool_names) == ["food/KZ", "food/RU"]  # no target: the blogger's own country


def test_a_raised_pool_size_is_reported():
    df = _frame(4).assign(niches="beauty")
    brief = plan.Brief(budget=1e6, formats=("post",))
    c = plan.build_candidates(df, dataclasses.replace(brief, pool_sizes={"beauty/RU": 5_000}))
    assumed, used = c.raised_pools["beauty/RU"]
    assert assumed == pytest.approx(5_000) and used == pytest.approx(1.25 * c.frame["reach"].max())
    assert plan.build_candidates(df, brief).raised_pools == {}


def test_status_text_says_what_happened():
    assert plan.status_text({"status": "optimal", "gap": 0.00002}).startswith("optimal")
    assert "gap target of 0.5 %" in plan.status_text({"status": "gap_ok", "gap": 0.003, "gap_target": 0.005})
    assert plan.status_text({"status": "time_limit", "gap": 0.013}) == "stopped at the time limit (gap 1.3 %)"


def test_category_and_credibility_exclusions(sample_frame):
    df = sample_frame
    c = plan.build_candidates(df, plan.Brief(budget=1e6, category="children", min_credibility=0.8))
    chosen = df[df["id"].isin(c.frame["id"])]
    assert not chosen["flag_profanity"].fillna(False).any()
    assert not chosen["ad_alcohol"].fillna(False).any() and not chosen["ad_gambling"].fillna(False).any()
    assert (chosen["credibility"] >= 0.8 - 1e-9).all()
    c = plan.build_candidates(df, plan.Brief(budget=1e6, category="gambling"))
    assert not df[df["id"].isin(c.frame["id"])]["ad_gambling"].fillna(False).any()


def test_plan_respects_budget_and_one_placement_per_blogger(sample_frame):
    brief = plan.Brief(budget=500_000, niches=("food",), reach_weight=0.5, max_share=0.2)
    c = plan.build_candidates(sample_frame, brief)
    sol = plan.solve(c, brief, time_limit=TL)
    res = plan.describe(c, sol, brief, sample_frame)
    assert res.totals["cost"] <= 500_000 + 1e-6
    assert res.placements["id"].is_unique
    assert (res.placements["cost"] <= 0.2 * 500_000 + 1e-6).all()
    assert sol.gap <= 0.005 and sol.upper_bound >= sol.objective
    assert res.placements["unique_reach_added"].sum() == pytest.approx(res.totals["unique_reach"], rel=1e-6)
    assert res.totals["frequency"] >= 1.0


def test_must_have_too_expensive_is_a_clear_message(sample_frame):
    dear = sample_frame.sort_values("price_post", ascending=False).iloc[0]
    brief = plan.Brief(budget=1_000, must_include=(int(dear["id"]),), min_credibility=0)
    with pytest.raises((optimiser.Infeasible, plan.BriefError)) as exc:
        plan.solve(plan.build_candidates(sample_frame, brief), brief, time_limit=TL)
    assert "budget" in str(exc.value) or "must" in str(exc.value)


def test_locked_blogger_is_in_and_kicked_blogger_out(sample_frame):
    brief = plan.Brief(budget=300_000, reach_weight=1.0)
    c = plan.build_candidates(sample_frame, brief)
    first = plan.describe(c, plan.solve(c, brief, time_limit=TL), brief, sample_frame)
    kicked = int(first.placements["id"].iloc[0])
    outside = int(sample_frame.loc[~sample_frame["id"].isin(first.placements["id"])
                                   & (sample_frame["credibility"] >= 0.75), "id"].iloc[0])
    brief2 = plan.Brief(budget=300_000, reach_weight=1.0, must_include=(outside,), must_exclude=(kicked,))
    c2 = plan.build_candidates(sample_frame, brief2)
    res = plan.describe(c2, plan.solve(c2, brief2, time_limit=TL), brief2, sample_frame)
    assert outside in res.placements["id"].tolist() and kicked not in res.placements["id"].tolist()


def test_backups_are_outside_the_plan_and_similar(sample_frame):
    brief = plan.Brief(budget=200_000)
    c = plan.build_candidates(sample_frame, brief)
    res = plan.describe(c, plan.solve(c, brief, time_limit=TL), brief, sample_frame)
    backups = plan.backups(sample_frame, res)
    plat = dict(zip(sample_frame["id"], sample_frame["platform"], strict=True))
    in_plan = set(res.placements["id"])
    for bid, alts in backups.items():
        assert len(alts) <= 2 and not set(alts) & in_plan
        assert all(plat[a] == plat[bid] for a in alts)


def test_small_plan_is_optimal_against_brute_force():
    df = _frame(8)
    brief = plan.Brief(budget=70_000, formats=("post", "story"), reach_weight=0.6, niches=("beauty",))
    c = plan.build_candidates(df, brief)
    sol = plan.solve(c, brief, time_limit=TL)
    pb = c.problem
    best = 0.0
    for k in range(len(c.frame) + 1):
        for combo in itertools.combinations(range(len(c.frame)), k):
            idx = list(combo)
            if pb.cost[idx].sum() > brief.budget or len(set(pb.blogger[idx])) < len(idx):
                continue
            best = max(best, optimiser.evaluate(pb, idx, 0.6, sol.normalisers)[2])
    assert sol.objective == pytest.approx(best, rel=1e-6)
    assert sol.upper_bound >= best - 1e-9


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(budget=st.floats(50_000, 2_000_000), w=st.sampled_from([0.0, 0.3, 0.7, 1.0]),
       share=st.one_of(st.none(), st.floats(0.05, 0.5)))
@pytest.mark.slow
def test_random_briefs_keep_every_constraint(sample_frame, budget, w, share):
    brief = plan.Brief(budget=budget, reach_weight=w, max_share=share,
                       platform_bounds={"telegram": (None, 0.5)})
    try:
        c = plan.build_candidates(sample_frame, brief)
        sol = plan.solve(c, brief, time_limit=5)
    except (plan.BriefError, optimiser.Infeasible):
        return
    res = plan.describe(c, sol, brief, sample_frame)
    rows = res.placements
    assert rows["cost"].sum() <= budget * (1 + 1e-9)
    assert rows["id"].is_unique
    if share:
        assert (rows["cost"] <= share * budget * (1 + 1e-9)).all()
    assert rows.loc[rows["platform"] == "telegram", "cost"].sum() <= 0.5 * budget * (1 + 1e-9)
    assert sol.objective <= sol.upper_bound + 1e-9


def test_save_and_open_a_campaign(engine, sample_frame):
    brief = plan.Brief(budget=150_000, niches=("beauty",))
    c = plan.build_candidates(sample_frame, brief)
    res = plan.describe(c, plan.solve(c, brief, time_limit=TL), brief, sample_frame)
    from planner.storage import store
    store.upsert_bloggers(engine, sample_frame.drop(columns=["id"]))  # blogger ids 1..n as in the frame
    cid = campaigns.save_plan(engine, "Spring launch", res, access=LOCAL)
    listed = campaigns.list_campaigns(engine, access=LOCAL)
    assert listed["name"].tolist() == ["Spring launch"]
    camp, placements = campaigns.load_campaign(engine, cid, access=LOCAL)
    assert len(placements) == len(res.placements) and set(placements["status"]) == {"proposed"}
    assert campaigns.campaign_brief(camp).niches == ("beauty",)
    # where each price and reach came from survives saving (the results report will read it)
    assert set(placements["price_source"]) == {"quote"}
    assert placements["reach_source"].isin(plan.REACH_SOURCES).all()
    assert camp.brief["totals"]["status"] == res.totals["status"]
    first = int(placements["id"].iloc[0])
    assert campaigns.set_statuses(engine, cid, {first: "agreed"}, access=LOCAL) == 1
    assert campaigns.load_campaign(engine, cid, access=LOCAL)[1].set_index("id").loc[first, "status"] == "agreed"
    with pytest.raises(ValueError):
        campaigns.set_statuses(engine, cid, {first: "maybe"}, access=LOCAL)
    # another workspace sees none of it
    from sqlmodel import Session

    from planner.storage.models import Workspace

    with Session(engine) as session:
        session.add(Workspace(id=2, name="Other client"))
        session.commit()
    other = dataclasses.replace(LOCAL, workspace_id=2, workspace="Other client")
    assert campaigns.list_campaigns(engine, access=other).empty
    with pytest.raises(KeyError):
        campaigns.load_campaign(engine, cid, access=other)
    with pytest.raises(KeyError):
        campaigns.set_statuses(engine, cid, {first: "published"}, access=other)
    assert campaigns.delete_campaign(engine, cid, access=other) is False
    assert campaigns.load_campaign(engine, cid, access=LOCAL)[1].set_index("id").loc[first, "status"] == "agreed"


def test_pool_size_override_and_measured_overlap_change_the_reach():
    df = _frame(4).assign(niches="beauty")
    brief = plan.Brief(budget=1e6, formats=("post",), reach_weight=1.0)
    base = plan.build_candidates(df, brief)
    pool = base.pool_names[0]
    assert base.base_pool_sizes[pool] == pytest.approx(plan.default_pool_size(pool))
    small = plan.build_candidates(df, dataclasses.replace(brief, pool_sizes={pool: 60_000}))
    u_base = plan.solve(base, brief, time_limit=TL).unique_reach
    u_small = plan.solve(small, brief, time_limit=TL).unique_reach
    assert u_small < u_base  # a smaller pool: more duplication
    data = b"handle_a;handle_b;overlap\nb0;b1;90 %\nb2;b3;0,8\n"
    pairs = plan.read_overlaps(data, "o.csv", df)
    assert pairs[["overlap"]].round(2)["overlap"].tolist() == [0.9, 0.8]
    measured = plan.build_candidates(df, dataclasses.replace(brief, overlaps=plan.overlap_triples(pairs)))
    assert plan.solve(measured, brief, time_limit=TL).unique_reach < u_base


def test_bad_overlap_file_names_row_and_column():
    df = _frame(4)
    with pytest.raises(plan.OverlapError, match=r"row 3, column 'overlap'"):
        plan.read_overlaps(b"handle_a,handle_b,overlap\nb0,b1,50%\nb2,b3,lots\n", "o.csv", df)
    with pytest.raises(plan.OverlapError):
        plan.read_overlaps(b"a;b\n1;2\n", "o.csv", df)


def test_deleting_bloggers_keeps_saved_placements(engine, sample_frame):
    from planner.storage import store
    store.upsert_bloggers(engine, sample_frame.drop(columns=["id"]), source="sample")
    brief = plan.Brief(budget=100_000)
    c = plan.build_candidates(sample_frame, brief)
    res = plan.describe(c, plan.solve(c, brief, time_limit=TL), brief, sample_frame)
    cid = campaigns.save_plan(engine, "Keep me", res, access=LOCAL)
    store.delete_bloggers(engine, source="sample")
    _, placements = campaigns.load_campaign(engine, cid, access=LOCAL)
    assert len(placements) == len(res.placements) and placements["blogger_id"].isna().all()
    campaigns.delete_campaign(engine, cid, access=LOCAL)
    assert campaigns.list_campaigns(engine, access=LOCAL).empty


def test_plan_exports_say_where_prices_and_reach_come_from(tmp_path):
    from planner.reporting import export
    df = _priced()
    brief = plan.Brief(budget=1e6, allow_estimated_prices=True, reach_weight=1.0)
    c = plan.build_candidates(df, brief)
    res = plan.describe(c, plan.solve(c, brief, time_limit=60), brief, df)
    export.write_plan(res, tmp_path / "p.csv")
    back = pd.read_csv(tmp_path / "p.csv")
    assert set(back["price_source"]) == set(res.placements["price_source"]) and "estimate" in set(back["price_source"])
    assert back["reach_source"].tolist() == res.placements["reach_source"].tolist()
    # each placement's deal, its cash and product apart (a paid plan: all cash, no product)
    assert set(back["deal"]) == {"paid"} and back["cash_cost"].tolist() == pytest.approx(back["cost"].tolist())
    assert (back["product_units"] == 0).all() and (back["expected_posts"] == 1).all()
    export.write_plan(res, tmp_path / "p.xlsx")
    totals = pd.read_excel(tmp_path / "p.xlsx", sheet_name="totals").set_index("metric")["value"]
    assert float(totals["estimated_cost"]) == pytest.approx(res.totals["estimated_cost"])


# ---- a lock or a kick-out re-plans from the plan shown (plan.resolve) -----------------------------------------
TL = 60.0  # generous: a loaded machine must not stop these solves (no timing is asserted)


def _shown(frame: pd.DataFrame, brief: plan.Brief):
    c = plan.build_candidates(frame, brief)
    return c, plan.solve(c, brief, time_limit=TL)


@pytest.mark.parametrize("w", [0.3, 0.7, 1.0])
def test_resolve_after_lock_and_kick_matches_a_fresh_solve(sample_frame, w):
    base = plan.Brief(budget=250_000, reach_weight=w, niche_mode="prefer")
    c0, s0 = _shown(sample_frame, base)
    first = plan.describe(c0, s0, base, sample_frame)
    assert first.totals["normalisers_source"] == "brief"
    kicked = int(first.placements["id"].iloc[0])
    locked = int(sample_frame.loc[~sample_frame["id"].isin(first.placements["id"])
                                  & (sample_frame["credibility"] >= 0.75), "id"].iloc[0])
    brief = plan.Brief(budget=250_000, reach_weight=w, niche_mode="prefer", must_include=(locked,),
                       must_exclude=(kicked,))
    c = plan.build_candidates(sample_frame, brief)
    sol = plan.resolve(c, brief, previous=s0, previous_brief=base, previous_candidates=c0, time_limit=TL)
    res = plan.describe(c, sol, brief, sample_frame)
    ids = res.placements["id"].tolist()
    assert locked in ids and kicked not in ids
    assert sol.normalisers == s0.normalisers  # the previous plan's scales, so the objective stays comparable
    # the same brief solved afresh with those normalisers: the same optimum, within the certified gaps
    fresh = plan.solve(plan.build_candidates(sample_frame, brief), brief, normalisers=s0.normalisers, time_limit=TL)
    assert sol.status in ("optimal", "gap_ok") and fresh.status in ("optimal", "gap_ok")
    assert fresh.objective <= sol.upper_bound * (1 + 1e-9)
    assert sol.objective >= fresh.objective * (1 - sol.gap_target) - 1e-9
    assert fresh.objective >= sol.objective * (1 - fresh.gap_target) - 1e-9
    assert sol.objective == pytest.approx(optimiser.evaluate(c.problem, sol.chosen, w, s0.normalisers)[2])
    # the normalisers' figures are the unlocked brief's, and say so
    assert res.totals["normalisers_source"] == "without_locks"
    assert res.totals["unique_reach_max"] == first.totals["unique_reach_max"]
    assert res.totals["unique_reach_bound"] == first.totals["unique_reach_bound"]
    assert sol.unique_reach_bound is None  # not certified for the locked brief itself


def test_resolve_keeps_locks_in_and_kicks_out_click_after_click(sample_frame):
    brief = plan.Brief(budget=300_000, reach_weight=0.5, niche_mode="prefer")
    c, sol = _shown(sample_frame, brief)
    locks: list[int] = []
    kicks: list[int] = []
    for step in range(4):
        ids = c.frame["id"].to_numpy()[sol.chosen].tolist()
        pick = sorted(set(ids) - set(locks) - set(kicks))[0]
        (locks if step % 2 == 0 else kicks).append(pick)
        nb = plan.Brief(budget=300_000, reach_weight=0.5, niche_mode="prefer", must_include=tuple(locks),
                        must_exclude=tuple(kicks))
        nc = plan.build_candidates(sample_frame, nb)
        nsol = plan.resolve(nc, nb, previous=sol, previous_brief=brief, previous_candidates=c, time_limit=TL)
        chosen = set(nc.frame["id"].to_numpy()[nsol.chosen].tolist())
        assert set(locks) <= chosen and not set(kicks) & chosen
        assert nsol.cost <= 300_000 * (1 + 1e-9)
        assert plan.describe(nc, nsol, nb, sample_frame).totals["normalisers_source"] == "without_locks"
        c, sol, brief = nc, nsol, nb
    # all undone: the normalisers were computed for this very brief
    nb = plan.Brief(budget=300_000, reach_weight=0.6, niche_mode="prefer")
    nc = plan.build_candidates(sample_frame, nb)
    nsol = plan.resolve(nc, nb, previous=sol, previous_brief=brief, previous_candidates=c, time_limit=TL)
    assert plan.describe(nc, nsol, nb, sample_frame).totals["normalisers_source"] == "brief"


def test_resolve_with_other_locks_says_so_and_a_new_brief_solves_afresh(sample_frame):
    first = plan.Brief(budget=300_000, reach_weight=0.5, niche_mode="prefer")
    c0, s0 = _shown(sample_frame, first)
    a, b = sorted(set(c0.frame["id"].to_numpy()[s0.chosen].tolist()))[:2]
    locked = plan.Brief(budget=300_000, reach_weight=0.5, niche_mode="prefer", must_include=(a,))
    c1, s1 = _shown(sample_frame, locked)  # its own normalisers (e.g. the budget changed while locked)
    other = plan.Brief(budget=300_000, reach_weight=0.5, niche_mode="prefer", must_include=(a,), must_exclude=(b,))
    c2 = plan.build_candidates(sample_frame, other)
    s2 = plan.resolve(c2, other, previous=s1, previous_brief=locked, previous_candidates=c1, time_limit=TL)
    assert plan.describe(c2, s2, other, sample_frame).totals["normalisers_source"] == "other_locks"
    # a brief that differs in more than locks (the budget) is solved from scratch with its own normalisers
    dearer = plan.Brief(budget=400_000, reach_weight=0.5, niche_mode="prefer")
    c3 = plan.build_candidates(sample_frame, dearer)
    s3 = plan.resolve(c3, dearer, previous=s0, previous_brief=first, previous_candidates=c0, time_limit=TL)
    assert plan.describe(c3, s3, dearer, sample_frame).totals["normalisers_source"] == "brief"
    assert s3.unique_reach_bound is not None and s3.normalisers != s0.normalisers


def test_carry_plan_maps_blogger_and_format_and_drops_the_kicked(sample_frame):
    brief = plan.Brief(budget=300_000, niche_mode="prefer")
    c0, s0 = _shown(sample_frame, brief)
    kicked = int(c0.frame["id"].iloc[int(s0.chosen[0])])
    c1 = plan.build_candidates(sample_frame, plan.Brief(budget=300_000, niche_mode="prefer", must_exclude=(kicked,)))
    rows = plan.carry_plan(c0, s0.chosen, c1)
    assert len(rows) == len(s0.chosen) - 1
    key = ["id", "format"]
    want = c0.frame.iloc[s0.chosen][key]
    got = c1.frame.iloc[rows][key]
    assert set(map(tuple, got.to_numpy().tolist())) == set(map(tuple, want[want["id"] != kicked].to_numpy().tolist()))
    assert plan.carry_plan(c0, [], c1).size == 0


def test_same_but_locks():
    a = plan.Brief(budget=1_000, reach_weight=0.2)
    assert plan.same_but_locks(a, plan.Brief(budget=1_000, reach_weight=0.9, must_include=(3,), must_exclude=(4,)))
    assert not plan.same_but_locks(a, plan.Brief(budget=2_000))
    assert not plan.same_but_locks(a, plan.Brief(budget=1_000, niches=("beauty",)))


def test_a_lock_of_a_booked_blogger_keeps_the_plan_and_its_certificate(sample_frame):
    """The Plan page offers to lock only bloggers the plan books: such a lock changes no plan, so the plan and its
    bound come back at once (no search), and the bound holds against the locked brief solved afresh."""
    base = plan.Brief(budget=300_000, reach_weight=0.5, niche_mode="prefer")
    c0, s0 = _shown(sample_frame, base)
    booked = int(c0.frame["id"].to_numpy()[s0.chosen][0])
    locked = plan.Brief(budget=300_000, reach_weight=0.5, niche_mode="prefer", must_include=(booked,))
    c1 = plan.build_candidates(sample_frame, locked)
    s1 = plan.resolve(c1, locked, previous=s0, previous_brief=base, previous_candidates=c0, time_limit=TL)
    assert s1.info.get("carried") is True
    np.testing.assert_array_equal(s1.chosen, s0.chosen)
    assert (s1.objective, s1.upper_bound, s1.gap, s1.status) == (s0.objective, s0.upper_bound, s0.gap, s0.status)
    r0, r1 = plan.describe(c0, s0, base, sample_frame), plan.describe(c1, s1, locked, sample_frame)
    assert r1.totals["normalisers_source"] == "without_locks"
    assert r1.totals["unique_reach"] == r0.totals["unique_reach"] and r1.totals["cost"] == r0.totals["cost"]
    fresh = plan.solve(c1, locked, normalisers=s0.normalisers, time_limit=TL)
    assert fresh.objective <= s1.upper_bound * (1 + 1e-9)
    # the reach weight moved as well: a search
    moved = plan.Brief(budget=300_000, reach_weight=0.6, niche_mode="prefer", must_include=(booked,))
    s2 = plan.resolve(plan.build_candidates(sample_frame, moved), moved, previous=s0, previous_brief=base,
                      previous_candidates=c0, time_limit=TL)
    assert "carried" not in s2.info


def _same_candidates(a: plan.Candidates, b: plan.Candidates) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame)
    for f in ("cost", "reach", "fit", "pool", "blogger", "platform", "pool_size", "units"):
        x, y = getattr(a.problem, f), getattr(b.problem, f)
        assert (x is None) == (y is None) and (x is None or np.array_equal(x, y)), f
    for f in ("budget", "must_in", "must_out", "max_share", "platform_bounds", "overlaps", "labels", "units_budget"):
        assert getattr(a.problem, f) == getattr(b.problem, f), f
    assert sorted(a.problem.must_bloggers) == sorted(b.problem.must_bloggers)
    assert (a.pool_names, a.pool_sizes, a.base_pool_sizes, a.raised_pools, a.skipped_estimated) == \
        (b.pool_names, b.pool_sizes, b.base_pool_sizes, b.raised_pools, b.skipped_estimated)


@pytest.mark.parametrize("kind", ["default", "only", "mixed", "packages", "shares_overlaps"])
def test_candidates_with_new_locks_or_budget_are_the_candidates_built_afresh(sample_frame, kind):
    """plan.reuse_candidates (a lock or a new budget on the Plan page does not build the candidates again) gives
    exactly what build_candidates gives for the locked brief at a new budget, on random locks and budgets, in every
    mode where it answers; and it declines (None) where a lock or the budget can change the candidates."""
    rng = np.random.default_rng(len(kind))
    extra: dict = {"default": {}, "only": {"niches": ("beauty", "fashion"), "niche_mode": "only"},
                   "mixed": {"product_units": 20, "product_cost": 1500.0, "product_retail": 3000.0},
                   "packages": {"allow_packages": True},
                   "shares_overlaps": {"platform_bounds": {"instagram": (0.2, 0.7)}}}[kind]
    if kind == "shares_overlaps":
        a, b = sample_frame["id"].iloc[:2].tolist()
        extra["overlaps"] = ((int(a), int(b), 0.3),)
    base = plan.Brief(budget=400_000, **({"niche_mode": "prefer"} | extra if kind != "default" else {}))
    c0 = plan.build_candidates(sample_frame, base)
    ids = sorted(set(c0.frame["id"].tolist()))
    prev, prev_c = base, c0
    for step in range(4):
        locks = tuple(sorted({*prev.must_include, *map(int, rng.choice(ids, size=1 + step % 2, replace=False))}))
        brief = dataclasses.replace(prev, must_include=locks, reach_weight=float(rng.uniform()),
                                    budget=float(prev.budget if step % 2 else rng.uniform(100_000, 2_000_000)))
        fast = plan.reuse_candidates(prev_c, prev, brief)
        assert fast is not None
        _same_candidates(fast, plan.build_candidates(sample_frame, brief))
        assert fast.problem is not prev_c.problem and not fast.problem._cache
        prev, prev_c = brief, fast
    # locks taken away: the same candidates too, but in "only these niches" mode with niches (a lock may have
    # brought its blogger in; the default brief is that mode without niches: everybody is in)
    fewer = dataclasses.replace(prev, must_include=prev.must_include[:1])
    fast = plan.reuse_candidates(prev_c, prev, fewer)
    if kind == "only":
        assert fast is None
    else:
        assert fast is not None
        _same_candidates(fast, plan.build_candidates(sample_frame, fewer))
    # what a lock may change, or more than locks: build them
    outside = sorted(set(sample_frame["id"].tolist()) - set(ids))
    if outside:
        assert plan.reuse_candidates(c0, base, dataclasses.replace(base, must_include=(int(outside[0]),))) is None
    assert plan.reuse_candidates(c0, base, dataclasses.replace(base, must_exclude=(int(ids[0]),))) is None
    assert plan.reuse_candidates(c0, base, dataclasses.replace(base, currency="USD")) is None
    capped = dataclasses.replace(base, max_share=0.2)
    built = plan.build_candidates(sample_frame, capped)
    assert plan.reuse_candidates(built, capped, dataclasses.replace(capped, must_include=(int(ids[0]),))) is None
    assert plan.reuse_candidates(built, capped, dataclasses.replace(capped, budget=800_000)) is None
