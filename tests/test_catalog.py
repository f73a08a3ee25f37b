"""Filters over the catalog agree with a plain pandas evaluation of the same conditions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.money import DEFAULT_FX_RUB, Rates
from planner.core.schema import NICHES, PLATFORMS
from planner.estimates import benchmarks, metrics
from planner.estimates.catalog import Catalog, Filters, audience_country_shares, niche_bitmask


@pytest.fixture(scope="module")
def cat(small_sample):
    return Catalog(metrics.enrich(small_sample))


def _niches(df: pd.DataFrame) -> pd.Series:
    return df["niches"].fillna("").str.split(";")


def test_no_filter_but_default_credibility(cat):
    m = cat.mask(Filters())
    known = ~cat.frame["credibility_estimated"].astype(bool)
    assert m.sum() == ((cat.frame["credibility"] >= 0.75 - 1e-6) & known).sum()
    assert cat.mask(Filters(min_credibility=0)).all()


def test_bloggers_without_credibility_data_pass_a_floor_only_when_included(cat):
    """Their credibility is a benchmark estimate (≈): including them is the user's explicit choice."""
    unknown = cat.frame["credibility_estimated"].astype(bool).to_numpy()
    assert unknown.any()
    passes = (cat.frame["credibility"] >= 0.75 - 1e-6).to_numpy()
    assert not (cat.mask(Filters()) & unknown).any()
    assert np.array_equal(cat.mask(Filters(include_unknown_credibility=True)), passes)
    from planner.planning import plan
    strict = plan.eligible(cat.frame, plan.Brief(budget=1.0))
    assert not (strict & unknown).any()
    loose = plan.eligible(cat.frame, plan.Brief(budget=1.0, include_unknown_credibility=True))
    assert (loose & unknown & passes).any()


def test_platform_niche_tier_followers(cat):
    f = Filters(platforms=("telegram", "vk"), niches=("beauty", "food"), tiers=("micro", "mid"),
                followers_min=20_000, followers_max=400_000, min_credibility=0)
    df = cat.frame
    tier = df["followers"].map(benchmarks.tier_of)
    expected = (df["platform"].isin(["telegram", "vk"])
                & _niches(df).map(lambda ns: bool({"beauty", "food"} & set(ns)))
                & tier.isin(["micro", "mid"]) & df["followers"].between(20_000, 400_000))
    assert np.array_equal(cat.mask(f), expected.to_numpy())


def test_er_range_and_credibility(cat):
    f = Filters(er_min=1.5, er_max=4.0, min_credibility=0.8)
    df = cat.frame
    expected = (df["engagement_rate"].between(1.5, 4.0) & (df["credibility"] >= 0.8 - 1e-6)
                & ~df["credibility_estimated"].astype(bool))
    assert np.array_equal(cat.mask(f), expected.to_numpy())


def test_audience_filters(cat):
    df = cat.frame
    f = Filters(audience_gender="female", audience_gender_min=0.6, min_credibility=0)
    assert np.array_equal(cat.mask(f), (df["audience_female"] >= 0.6).to_numpy())
    f = Filters(audience_gender="male", audience_gender_min=0.6, min_credibility=0)
    male = 1.0 - df["audience_female"].to_numpy(dtype=np.float32, na_value=np.nan)
    assert np.array_equal(cat.mask(f), male >= 0.6)
    f = Filters(audience_age="18_24", audience_age_min=0.3, min_credibility=0)
    assert np.array_equal(cat.mask(f), (df["audience_age_18_24"].astype("float32") >= np.float32(0.3)).to_numpy())
    f = Filters(audience_country="RU", audience_country_min=0.5, min_credibility=0)
    shares = audience_country_shares(df["audience_countries"])["RU"]
    assert np.array_equal(cat.mask(f), shares >= 0.5)
    assert 0 < cat.mask(f).sum() < len(df)


def test_price_in_display_currency(cat):
    df = cat.frame
    fx = DEFAULT_FX_RUB
    rub = df["price_post"] * df["currency"].map(fx)
    f = Filters(price_min=100, price_max=2000, price_format="post", min_credibility=0)
    usd = rub / fx["USD"]
    assert np.array_equal(cat.mask(f, "USD"), usd.between(100, 2000).to_numpy())


def test_prices_keep_their_currency_and_the_rates_are_applied_per_call(cat):
    """The catalog holds no rates: the same catalog filters, sorts and shows prices at whichever rates it is given."""
    df = cat.frame
    assert not hasattr(cat, "fx") and {"RUB", "USD", "EUR"} <= set(cat.currency_values)
    mine = Rates.of({"USD": 60.0, "EUR": 120.0})
    rub = df["price_post"] * df["currency"].map(mine.table)
    assert np.allclose(cat.amounts("price_post", "RUB", mine), rub.to_numpy(), equal_nan=True)
    assert np.allclose(cat.amounts("price_post", "EUR", mine), (rub / 120.0).to_numpy(), equal_nan=True)
    f = Filters(price_min=20_000, price_max=60_000, min_credibility=0)
    assert np.array_equal(cat.mask(f, "RUB", rates=mine), rub.between(20_000, 60_000).to_numpy())
    assert not np.array_equal(cat.mask(f, "RUB", rates=mine), cat.mask(f, "RUB"))
    # sorted by price at the rates given
    order = cat.select(Filters(min_credibility=0), sort="price_post", rates=mine)
    key = rub.to_numpy()[order]
    assert np.all(np.diff(key[np.isfinite(key)]) <= 0)
    # a view without money is one answer for every currency and rates (shared); a priced one is not
    plain = Filters(platforms=("vk",), min_credibility=0)
    assert cat.select(plain, "RUB") is cat.select(plain, "USD", rates=mine)
    assert cat.select(f, "RUB") is not cat.select(f, "RUB", rates=mine)
    assert cat.summary(plain, "RUB")["median_cpm_rub"] != cat.summary(plain, "RUB", rates=mine)["median_cpm_rub"]
    # a few rows: only theirs converted, the same figures
    idx = np.array([3, 1, 4])
    assert np.allclose(cat.amounts("cpm_main", "USD", mine, idx), cat.amounts("cpm_main", "USD", mine)[idx],
                       equal_nan=True)


def test_a_row_without_a_currency_is_in_roubles_and_an_unknown_one_is_unknown():
    from planner.storage import store
    df = store.with_all_columns(pd.DataFrame({"id": [1, 2, 3], "handle": ["a", "b", "c"], "platform": ["vk"] * 3,
                                              "followers": [1000] * 3, "price_post": [100.0] * 3,
                                              "currency": ["RUB", "USD", "RUB"]}))
    c = Catalog(metrics.enrich(df).assign(currency=[None, "USD", "XYZ"]))  # enrich itself fills in RUB
    got = c.amounts("price_post", "RUB", {"USD": 50.0})
    assert got[0] == 100.0 and got[1] == 5000.0 and np.isnan(got[2])


def test_barter_flags_search(cat):
    df = cat.frame
    f = Filters(barter_only=True, exclude_flags=("gambling", "profanity"), min_credibility=0)
    expected = (df["accepts_barter"].fillna(False) & ~df["ad_gambling"].fillna(False)
                & ~df["flag_profanity"].fillna(False))
    assert np.array_equal(cat.mask(f), expected.to_numpy(dtype=bool))
    handle = df["handle"].iloc[5]
    hits = cat.select(Filters(search="@" + handle.upper(), min_credibility=0))
    assert 5 in hits.tolist()


def test_select_sorts_descending_with_missing_last(cat):
    idx = cat.select(Filters(min_credibility=0), sort="engagement_rate", descending=True)
    er = cat.er[idx]
    finite = er[~np.isnan(er)]
    assert np.all(np.diff(finite) <= 0)
    assert not np.isnan(er[: len(finite)]).any()


def test_tier_bounds_configurable(cat):
    a = cat.mask(Filters(tiers=("nano",), min_credibility=0))
    b = cat.mask(Filters(tiers=("nano",), min_credibility=0), tier_bounds=(5_000, 20_000, 100_000, 1_000_000))
    assert np.array_equal(b, (cat.followers < 5_000))
    assert b.sum() <= a.sum()


def test_filters_roundtrip_dict():
    f = Filters(platforms=("vk",), niches=("food",), er_min=1.0, exclude_flags=("fraud",))
    assert Filters.from_dict(f.to_dict()) == f
    assert f.active() == 4


def test_niche_bitmask_ignores_free_tags():
    bits = niche_bitmask(pd.Series(["beauty;cats", "", None, "food"]))
    assert bits[0] == 1 << NICHES.index("beauty")
    assert bits[1] == bits[2] == 0
    assert bits[3] == 1 << NICHES.index("food")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(platforms=st.lists(st.sampled_from(PLATFORMS), max_size=3, unique=True),
       niches=st.lists(st.sampled_from(NICHES), max_size=3, unique=True),
       fmin=st.one_of(st.none(), st.integers(0, 2_000_000)),
       cred=st.sampled_from([0.0, 0.5, 0.75, 0.9]))
def test_filter_is_a_conjunction(cat, platforms, niches, fmin, cred):
    """Adding a filter never adds rows, and the mask equals the AND of single-filter masks."""
    parts = [Filters(platforms=tuple(platforms), min_credibility=0), Filters(niches=tuple(niches), min_credibility=0),
             Filters(followers_min=fmin, min_credibility=0), Filters(min_credibility=cred)]
    combined = cat.mask(Filters(platforms=tuple(platforms), niches=tuple(niches), followers_min=fmin,
                                min_credibility=cred))
    expected = np.logical_and.reduce([cat.mask(p) for p in parts])
    assert np.array_equal(combined, expected)


def test_main_format_price_and_cpm(cat):
    df = cat.frame
    fx = DEFAULT_FX_RUB
    price_main, cpm_main = cat.amounts("price_main"), cat.amounts("cpm_main")
    for platform, fmt in (("youtube", "video"), ("tiktok", "short"), ("telegram", "post")):
        rows = np.flatnonzero((df["platform"] == platform).to_numpy())[:5]
        expected = df[f"price_{fmt}"].to_numpy()[rows] * df["currency"].map(fx).to_numpy()[rows]
        assert np.allclose(price_main[rows], expected, equal_nan=True)
    ok = np.isfinite(cpm_main)
    assert ok.mean() > 0.9 and (cpm_main[ok] > 0).all()
    order = cat.select(Filters(min_credibility=0), sort="cpm_main", descending=False)
    vals = cpm_main[order]
    assert np.all(np.diff(vals[np.isfinite(vals)]) >= 0)


def test_sort_by_main_format_price_uses_each_rows_own_format(cat):
    """YouTube sells a video, Telegram a post: price_main sorts by each row's main-format price."""
    idx = cat.select(Filters(min_credibility=0), sort="price_main")
    key = cat.amounts("price_main")[idx]
    finite = key[np.isfinite(key)]
    assert np.all(np.diff(finite) <= 0) and np.isnan(key[len(finite):]).all()
    yt = cat.frame["platform"].to_numpy() == "youtube"
    assert np.allclose(cat.amounts("price_main")[yt], cat.amounts("price_video")[yt], equal_nan=True)
    assert not np.allclose(cat.sort_values("price_main"), cat.sort_values("price_post"), equal_nan=True)


def test_cpm_on_an_estimated_price_or_reach_is_estimated(cat):
    cpm = cat.amounts("cpm_main")
    expected = (cat.price_main_estimated | cat.reach_post_estimated) & np.isfinite(cpm)
    assert np.array_equal(cat.cpm_main_estimated, expected)
    assert (cat.reach_post_estimated & ~cat.price_main_estimated & np.isfinite(cpm)).any()


def _city_catalog() -> Catalog:
    df = pd.DataFrame({"id": [1, 2, 3, 4, 5], "handle": ["a", "b", "c", "d", "e"], "platform": ["vk"] * 5,
                       "followers": [1000] * 5, "name": ["", "", "", "", "Анна"],
                       "city": ["Moscow", "Санкт-Петербург", "Novosibirsk", "Екатеринбург", "Rostov-on-Don"]})
    from planner.storage import store
    return Catalog(metrics.enrich(store.with_all_columns(df)))


@pytest.mark.parametrize(("query", "ids"), [
    ("Москва", [1]), ("moscow", [1]), ("МСК", [1]), ("Saint Petersburg", [2]), ("санкт-петербург", [2]),
    ("St. Petersburg", [2]), ("спб", [2]), ("Новосибирск", [3]), ("novosibirsk", [3]), ("Yekaterinburg", [4]),
    ("ekaterinburg", [4]), ("Ростов-на-Дону", [5]), ("rostov on don", [5]), ("Анна", [5]), ("@a", [1]),
])
def test_a_city_is_found_by_its_russian_or_english_name(query, ids):
    c = _city_catalog()
    got = c.ids[c.select(Filters(search=query, min_credibility=0))]
    assert sorted(got.tolist()) == ids or (query == "@a" and 1 in got.tolist())


def test_positions_keep_the_order_given_and_drop_unknown_ids():
    c = _city_catalog()
    assert c.ids[c.positions([4, 99, 1])].tolist() == [4, 1]
    assert len(c.positions([])) == 0


def test_round_estimate():
    from planner.core.money import round_estimate

    assert round_estimate(142_302.49) == 140_000
    assert round_estimate(8_765) == 8_800 and round_estimate(43.7) == 44 and round_estimate(0) == 0
    assert round_estimate(None) is None and np.isnan(round_estimate(float("nan")))
    assert round_estimate(np.array([142_302.49, 1_234_567.0])).tolist() == [140_000, 1_200_000]


def test_a_views_summary_is_its_rows_figures_computed_once(cat):
    f = Filters(platforms=("instagram",), min_credibility=0.75)
    idx = cat.select(f)
    view = cat.summary(f)
    assert view["n"] == len(idx) > 0
    assert view["median_er"] == pytest.approx(float(np.nanmedian(cat.er[idx])))
    assert view["median_cpm_rub"] == pytest.approx(float(np.nanmedian(cat.amounts("cpm_main", idx=idx))))
    assert view["total_reach"] == pytest.approx(float(np.nansum(cat.reach_post[idx])))
    everyone = len(cat.select(Filters(platforms=("instagram",), min_credibility=0.0)))
    assert view["hidden_by_credibility"] == everyone - len(idx) > 0
    assert sum(view["facets"]["platform"].values()) == len(idx)
    assert cat.summary(f) == view  # remembered: the same answer for the next session
    nobody = cat.summary(Filters(search="no such blogger anywhere"))
    assert nobody["n"] == 0 and nobody["median_er"] is None and nobody["median_cpm_rub"] is None


def test_a_search_runs_once_for_a_view_and_its_count_without_the_credibility_filter(monkeypatch):
    import planner.estimates.catalog as catalog_mod
    from planner.ingest.sample import generate
    cat = Catalog(metrics.enrich(generate(2000, seed=3)))
    calls = []
    real = catalog_mod.pc.match_substring

    def counted(*a, **k):
        calls.append(a[1])
        return real(*a, **k)

    monkeypatch.setattr(catalog_mod.pc, "match_substring", counted)
    f = Filters(search="beauty", min_credibility=0.75)
    summary = cat.summary(f)
    assert len(calls) == len(catalog_mod.search_needles("beauty"))  # one pass over the strings, not two
    everyone = cat.select(Filters(search="beauty", min_credibility=0.0))
    assert summary["hidden_by_credibility"] == len(everyone) - summary["n"] > 0
    assert len(calls) == len(catalog_mod.search_needles("beauty"))
