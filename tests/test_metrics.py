import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.money import DEFAULT_FX_RUB
from planner.core.schema import CURRENCIES, FORMATS, PLATFORMS
from planner.estimates import metrics
from planner.estimates.benchmarks import PLATFORM_FORMATS, PRIMARY_FORMAT, TIERS, Benchmarks, tier_codes
from planner.ingest.sample import generate

BENCH = Benchmarks.default()
MEASURED = ("engagement_rate", "credibility", "price_post", "price_story", "price_short", "price_video")


@pytest.fixture(scope="module")
def sample():
    return generate(5_000, seed=7, as_of=dt.date(2026, 1, 1))


@pytest.fixture(scope="module")
def enriched(sample):
    return metrics.enrich(sample)


# ---------------------------------------------------------------- formulas


def test_engagement_rate_by_followers_and_by_views():
    assert metrics.engagement_rate(90, 10, followers=2_000, basis="followers") == pytest.approx(5.0)
    # shares only count on the views basis
    assert metrics.engagement_rate(90, 10, 20, followers=2_000, basis="followers") == pytest.approx(5.0)
    assert metrics.engagement_rate(90, 10, 20, views=4_000, basis="views") == pytest.approx(3.0)
    assert metrics.engagement_rate(90, 10, None, views=4_000, basis="views") == pytest.approx(2.5)
    rows = metrics.engagement_rate([90, 90], [10, 10], [20, 20], [2_000, 2_000], [4_000, 4_000],
                                   np.array(["followers", "views"]))
    np.testing.assert_allclose(rows, [5.0, 3.0])
    assert math.isnan(metrics.engagement_rate(90, 10, followers=0))
    assert math.isnan(metrics.engagement_rate(90, 10, views=None, basis="views"))


def test_cost_metrics():
    assert metrics.cpm(500, 100_000) == pytest.approx(5.0)
    assert metrics.cpe(100, 50) == 2.0
    assert metrics.cpc(100, 25) == 4.0
    assert metrics.cpa(1_000, 10) == 100.0
    assert metrics.cpl(300, 30) == 10.0
    for f in (metrics.cpm, metrics.cpe, metrics.cpc, metrics.cpa, metrics.cpl):
        assert math.isnan(f(100, 0))
    np.testing.assert_allclose(metrics.cpm(np.array([10, 20]), np.array([1_000, 4_000])), [10, 5])


def test_impressions_factors():
    assert metrics.impressions(1_000, "post") == pytest.approx(1_500)
    assert metrics.impressions(1_000, "story") == pytest.approx(1_000)
    np.testing.assert_allclose(metrics.impressions([1_000, 1_000], ["post", "story"]), [1_500, 1_000])
    assert metrics.impressions(1_000, "post", factors={"post": 2.0}) == 2_000


# ---------------------------------------------------------------- enrich


def test_enrich_keeps_measured_values(sample, enriched):
    for col in MEASURED:
        had = sample[col].notna()
        pd.testing.assert_series_equal(enriched.loc[had, col], sample.loc[had, col], check_names=False)
        assert not enriched.loc[had, f"{col}_estimated"].any()
    for src, col in (("avg_reach", "reach_post"), ("avg_story_reach", "reach_story")):
        had = sample[src].notna()
        np.testing.assert_array_equal(enriched.loc[had, col], sample.loc[had, src])
        assert not enriched.loc[had, f"{col}_estimated"].any()
    for col in sample.columns:
        if col not in MEASURED and col not in ("er_basis",):
            pd.testing.assert_series_equal(enriched[col], sample[col])


def test_enrich_marks_and_fills_estimates(sample, enriched):
    for col in ("credibility",) + tuple(f"price_{f}" for f in FORMATS):
        est = enriched[f"{col}_estimated"]
        assert (est == (sample[col].isna() & enriched[col].notna())).all()
    assert enriched["credibility"].notna().all()
    assert enriched["credibility_estimated"].mean() == pytest.approx(sample["credibility"].isna().mean())
    assert enriched["engagement_rate"].notna().all()
    assert enriched["reach_post"].notna().all()
    assert set(enriched["tier"].cat.categories) == set(TIERS)
    assert (enriched["fraud_flag"] == (enriched["credibility"] < BENCH.fraud_threshold)).all()
    # formats a platform does not sell are never estimated
    for p in PLATFORMS:
        rows = enriched["platform"] == p
        for f in FORMATS:
            if f not in PLATFORM_FORMATS[p]:
                assert enriched.loc[rows, f"price_{f}"].isna().all()


def test_enrich_computes_er_from_likes():
    df = pd.DataFrame({
        "platform": ["instagram", "tiktok", "tiktok"], "followers": [20_000, 20_000, 20_000],
        "avg_views": [np.nan, 10_000, np.nan], "avg_likes": [500, 400, 400], "avg_comments": [100, 100, 100],
    })
    out = metrics.enrich(df)
    assert out["engagement_rate"].tolist()[:2] == pytest.approx([3.0, 5.0])
    assert out["er_basis"].tolist() == ["followers", "views", "views"]
    assert out["engagement_rate_estimated"].tolist() == [False, False, True]  # no views: benchmark
    assert out["engagement_rate"].iloc[2] == BENCH.er[("tiktok", "micro")].median
    assert out["er_basis_estimated"].all()


def test_enrich_er_basis_given():
    df = pd.DataFrame({"platform": ["instagram", "instagram", "instagram"], "followers": [20_000] * 3,
                       "avg_views": [10_000, np.nan, np.nan], "avg_likes": [450, np.nan, np.nan],
                       "avg_comments": [50, np.nan, np.nan], "engagement_rate": [np.nan, 2.0, np.nan],
                       "er_basis": ["views", "followers", "views"]})
    out = metrics.enrich(df)
    assert out["engagement_rate"].tolist() == pytest.approx([5.0, 2.0, BENCH.er[("instagram", "micro")].median])
    assert out["er_basis"].tolist() == ["views", "followers", "followers"]  # the benchmark is by followers
    assert out["er_basis_estimated"].tolist() == [False, False, True]
    assert out["engagement_rate_estimated"].tolist() == [False, False, True]


def test_estimates_inside_benchmark_bands(enriched, sample):
    fx = DEFAULT_FX_RUB
    for (p, t), g in enriched.groupby(["platform", "tier"], observed=True):
        er = g.loc[g["engagement_rate_estimated"], "engagement_rate"]
        b = BENCH.er[(p, t)]
        assert ((er >= b.low) & (er <= b.high)).all()
        cred = g.loc[g["credibility_estimated"], "credibility"]
        assert (cred == BENCH.credibility_by_tier[t].value).all()
        for f in PLATFORM_FORMATS[p]:
            est = g[f"price_{f}_estimated"]
            usd = g.loc[est, f"price_{f}"] * g.loc[est, "currency"].map(fx).astype(float) / fx["USD"]
            band = BENCH.price_usd[(p, t, f)]
            assert ((usd >= band.low * 0.999) & (usd <= band.high * 1.001)).all()
        if p == "instagram":
            est = g["reach_post_estimated"]
            rate = g.loc[est, "reach_post"] / g.loc[est, "followers"]
            band = BENCH.reach_rate[(p, t, "post")]
            assert ((rate >= band.low - 1e-9) & (rate <= band.high + 1e-9)).all()


def test_reach_from_views_on_video_platforms():
    df = pd.DataFrame({"platform": ["youtube", "tiktok", "instagram"], "followers": [100_000] * 3,
                       "avg_views": [20_000, 50_000, 30_000]})
    out = metrics.enrich(df)
    assert out["reach_post"].tolist() == pytest.approx([15_000, 34_000, 100_000 * 0.229])
    assert out["reach_post_estimated"].all()


def test_enrich_currency_conversion_and_default():
    df = pd.DataFrame({"platform": ["instagram"] * 3, "followers": [5_000] * 3, "currency": ["USD", "RUB", None]})
    out = metrics.enrich(df)
    mid = BENCH.price_usd[("instagram", "nano", "post")].geomid
    assert out["price_post"].tolist() == pytest.approx([mid, mid * 90, mid * 90])
    assert out["currency"].tolist() == ["USD", "RUB", "RUB"]
    assert out["currency_estimated"].tolist() == [False, False, True]


_OPTIONAL = ("avg_views", "avg_reach", "avg_story_reach", "avg_likes", "avg_comments", "engagement_rate",
             "credibility", "price_post", "price_story", "price_short", "price_video")
maybe = st.one_of(st.none(), st.floats(min_value=0, max_value=1e7, allow_nan=False))
row = st.fixed_dictionaries({
    "platform": st.sampled_from([*PLATFORMS, "myspace", None]),
    "followers": st.one_of(st.none(), st.integers(min_value=0, max_value=10**8)),
    "currency": st.sampled_from([*CURRENCIES, None]),
    "er_basis": st.sampled_from(["followers", "views", None]),
    **{c: maybe for c in _OPTIONAL},
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=20), keep=st.sets(st.sampled_from(_OPTIONAL)))
def test_enrich_random_partial_frames_keep_measured_values(rows, keep):
    df = pd.DataFrame(rows)
    df = df[[c for c in df.columns if c not in _OPTIONAL or c in keep]]
    for c in keep:
        df[c] = df[c].astype(float)
    out = metrics.enrich(df)
    assert len(out) == len(df)
    for c in keep:
        target = {"avg_reach": "reach_post", "avg_story_reach": "reach_story"}.get(c, c)
        had = df[c].notna().to_numpy()
        np.testing.assert_array_equal(out[target].to_numpy()[had], df[c].to_numpy()[had])
        if f"{target}_estimated" in out.columns:
            assert not out[f"{target}_estimated"].to_numpy()[had].any()
    for c in [c for c in out.columns if c.endswith("_estimated")]:
        assert out[c].dtype == bool
    known = df["followers"].notna().to_numpy()
    assert (out["tier"].isna().to_numpy() == ~known).all()


# ---------------------------------------------------------------- fair price


def test_fair_price_verdicts():
    band = BENCH.price_usd[("instagram", "micro", "post")]  # 100..500 USD
    fair = metrics.fair_price(300, "USD", "instagram", "micro", "post")
    assert fair.verdict == "fair" and (fair.band_low, fair.band_high) == (band.low, band.high)
    assert metrics.fair_price(1_000, "USD", "instagram", "micro", "post").verdict == "above"
    assert metrics.fair_price(5_000, "USD", "instagram", "micro", "post").verdict == "far_above"
    assert metrics.fair_price(50, "USD", "instagram", "micro", "post").verdict == "below"
    assert metrics.fair_price(float("nan"), "USD", "instagram", "micro", "post").verdict == "unknown"
    assert metrics.fair_price(300, "USD", "instagram", "micro", "video").verdict == "unknown"  # not sold


def test_fair_price_in_other_currency_and_cpm():
    usd = metrics.fair_price(300, "USD", "instagram", "micro", "post", reach=20_000)
    rub = metrics.fair_price(300 * 90, "RUB", "instagram", "micro", "post", reach=20_000)
    assert rub.verdict == usd.verdict == "fair"
    assert rub.band_low == pytest.approx(usd.band_low * 90)
    assert usd.impressions == pytest.approx(30_000)
    assert usd.implied_cpm == pytest.approx(10.0)
    assert rub.implied_cpm_usd == pytest.approx(10.0)
    assert usd.cpm_low == pytest.approx(5 * 30) and usd.cpm_high == pytest.approx(15 * 30)
    # a big reach widens the fair range through the CPM
    assert metrics.fair_price(2_000, "USD", "instagram", "micro", "post", reach=100_000).verdict == "fair"


def test_fair_price_frame_matches_scalar(enriched):
    frame = metrics.fair_price_frame(enriched, "post")
    assert list(frame.index) == list(enriched.index)
    rows = enriched.index[enriched["platform"].isin(["instagram", "telegram"]) & enriched["price_post"].notna()][:25]
    for i in rows:
        r = enriched.loc[i]
        one = metrics.fair_price(r["price_post"], r["currency"], r["platform"], r["tier"], "post", r["reach_post"])
        assert frame.loc[i, "verdict"] == one.verdict
        assert frame.loc[i, "fair_high"] == pytest.approx(one.fair_high)


def test_fair_price_frame_flags_sample_outliers(enriched):
    shares = []
    for p in PLATFORMS:
        fmt = PRIMARY_FORMAT[p]
        rows = enriched[(enriched["platform"] == p) & ~enriched[f"price_{fmt}_estimated"]]
        v = metrics.fair_price_frame(rows, fmt)["verdict"]
        v = v[v != "unknown"]
        shares.append(v.isin(["above", "far_above"]).mean())
        assert (v == "fair").mean() > 0.85
    assert 0.01 < np.mean(shares) < 0.1


def test_tier_column_respects_bounds():
    df = pd.DataFrame({"platform": ["vk"] * 3, "followers": [4_999, 5_000, 150_000]})
    out = metrics.enrich(df, tier_bounds=(5_000, 20_000, 100_000, 1_000_000))
    assert out["tier"].tolist() == ["nano", "micro", "macro"]
    assert tier_codes(df["followers"]).tolist() == [0, 0, 2]


def test_impressions_factor_is_one_table_for_formats_and_packages():
    """One rule for impressions per person reached: a package counts as its first format; unknown is NaN."""
    from planner.estimates.benchmarks import Benchmarks
    b = Benchmarks.default()
    f = metrics.impressions_factor(np.array(["post", "story", "post+story", "video", "nonsense"]), bench=b)
    assert f[:4].tolist() == [b.impressions_factor["post"].value, b.impressions_factor["story"].value,
                              b.impressions_factor["post"].value, b.impressions_factor["video"].value]
    assert np.isnan(f[4])
    assert metrics.impressions(1000, "post+story", bench=b) == pytest.approx(1000 * b.impressions_factor["post"].value)


def test_compact_range_says_a_shared_unit_once():
    from planner.core.money import NBSP, format_compact_range
    assert format_compact_range(4.7e6, 5.7e6, "en") == "4.7–5.7M"
    assert format_compact_range(4.7e6, 5.7e6, "ru") == f"4,7–5,7{NBSP}млн"
    assert format_compact_range(950e3, 1.2e6, "en") == "950K–1.2M"
    assert format_compact_range(12, 30, "ru") == "12–30"
