import dataclasses
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core.schema import FORMATS, PLATFORMS
from planner.estimates.benchmarks import (
    DEFAULT_TIER_BOUNDS,
    ER_BASIS,
    HYPEAUDITOR_TIER_BOUNDS,
    PLATFORM_FORMATS,
    PRIMARY_FORMAT,
    TIERS,
    Benchmarks,
    tier_codes,
    tier_of,
)

BENCH = Benchmarks.default()


def test_tier_edges_exact():
    f = np.array([1, 9_999, 10_000, 49_999, 50_000, 499_999, 500_000, 999_999, 1_000_000, 50_000_000, np.nan])
    codes = tier_codes(f)
    assert codes.dtype == np.int8
    assert codes.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1]
    assert [tier_of(x) for x in (9_999, 10_000, 50_000, 500_000, 1_000_000)] == list(TIERS)
    assert tier_of(float("nan")) == ""


def test_hypeauditor_bounds():
    got = [tier_of(x, HYPEAUDITOR_TIER_BOUNDS) for x in (4_999, 5_000, 20_000, 100_000, 999_999, 1_000_000)]
    assert got == ["nano", "micro", "mid", "macro", "macro", "mega"]


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=50))
def test_tier_codes_match_reference(followers):
    codes = tier_codes(np.array(followers, dtype=float))
    ref = [sum(x >= b for b in DEFAULT_TIER_BOUNDS) for x in followers]
    assert codes.tolist() == ref


def test_er_benchmarks_complete_and_ordered():
    for p in PLATFORMS:
        medians = []
        for t in TIERS:
            e = BENCH.er[(p, t)]
            assert e.low <= e.median <= e.high
            assert e.basis == ER_BASIS[p]
            assert e.source
            medians.append(e.median)
        assert medians == sorted(medians, reverse=True), p
    assert (BENCH.er[("instagram", "nano")].low, BENCH.er[("instagram", "nano")].high) == (3, 5)
    assert (BENCH.er[("instagram", "mega")].low, BENCH.er[("instagram", "mega")].high) == (0.7, 1.2)
    assert (BENCH.er[("tiktok", "nano")].low, BENCH.er[("tiktok", "nano")].high) == (6, 10)
    assert BENCH.er[("tiktok", "nano")].basis == "views"
    for p in ("youtube", "telegram", "vk", "twitch"):
        assert "assumption" in BENCH.er[(p, "micro")].source


def test_reach_figures_from_sources():
    ig = {t: BENCH.reach_rate[("instagram", t, "post")] for t in TIERS}
    assert ig["nano"].typical == pytest.approx(0.377)
    assert ig["mid"].typical == pytest.approx(0.229)
    assert ig["mega"].typical == pytest.approx(0.191)
    assert "minter.io" in ig["nano"].source
    assert BENCH.reach_rate[("instagram", "nano", "story")].typical == pytest.approx(0.082)
    assert BENCH.reach_rate[("instagram", "mega", "story")].typical == pytest.approx(0.038)
    assert BENCH.unique_viewer_share["youtube"].value == 0.75
    assert BENCH.unique_viewer_share["tiktok"].value == 0.68
    assert "assumption" in BENCH.unique_viewer_share["telegram"].source
    assert BENCH.impressions_factor["post"].value == 1.5
    assert BENCH.impressions_factor["story"].value == 1.0
    for (p, _t, f), b in BENCH.reach_rate.items():
        assert f in PLATFORM_FORMATS[p]
        assert 0 < b.low <= b.typical <= b.high
    for p in PLATFORMS:
        for t in TIERS:
            assert (p, t, PRIMARY_FORMAT[p]) in BENCH.reach_rate


def test_price_and_cpm_bands():
    assert (BENCH.price_usd[("instagram", "nano", "post")].low, BENCH.price_usd[("instagram", "nano", "post")].high) \
        == (10, 100)
    assert BENCH.price_usd[("instagram", "micro", "post")].high == 500
    assert BENCH.price_usd[("tiktok", "nano", "short")].high == 25
    assert BENCH.price_usd[("youtube", "nano", "video")].low == 20
    for p in PLATFORMS:
        for f in PLATFORM_FORMATS[p]:
            lows = [BENCH.price_usd[(p, t, f)].low for t in TIERS]
            assert lows == sorted(lows)
            for t in TIERS:
                b = BENCH.price_usd[(p, t, f)]
                assert 0 < b.low < b.high and b.source
    assert all(f in FORMATS for (_, _, f) in BENCH.price_usd)
    assert (BENCH.cpm_usd["instagram"].low, BENCH.cpm_usd["instagram"].high) == (5, 15)
    assert (BENCH.cpm_usd["tiktok"].low, BENCH.cpm_usd["tiktok"].high) == (3, 10)
    assert (BENCH.cpm_usd["youtube"].low, BENCH.cpm_usd["youtube"].high) == (10, 30)
    m = BENCH.real_booking_cpm_multiplier
    assert (m.low, m.high) == (3, 5)


def test_credibility_defaults():
    assert BENCH.fraud_threshold == 0.75
    assert BENCH.insense_min_credibility == 0.65
    cred = BENCH.credibility_table()
    assert list(cred) == sorted(cred, reverse=True)
    assert cred[0] > BENCH.fraud_threshold


def test_tables_shapes():
    assert BENCH.er_median_table().shape == (len(PLATFORMS), len(TIERS))
    assert BENCH.reach_rate_table().shape == (len(PLATFORMS), len(TIERS))
    story = BENCH.reach_rate_table("story")
    assert np.isnan(story[PLATFORMS.index("youtube")]).all()
    assert not np.isnan(story[PLATFORMS.index("instagram")]).any()
    video = BENCH.price_mid_table("video")
    assert np.isnan(video[PLATFORMS.index("instagram")]).all()


def test_frozen_and_editable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        BENCH.fraud_threshold = 0.5  # type: ignore[misc]
    edited = dataclasses.replace(BENCH, fraud_threshold=0.7, tier_bounds=HYPEAUDITOR_TIER_BOUNDS)
    assert edited.fraud_threshold == 0.7 and BENCH.fraud_threshold == 0.75
    with pytest.raises(ValueError):
        dataclasses.replace(BENCH, tier_bounds=(10, 5, 20, 30))


def test_to_frame_lists_sources():
    df = BENCH.to_frame()
    assert {"metric", "platform", "tier", "format", "low", "typical", "high", "unit", "source"} <= set(df.columns)
    assert {"engagement_rate", "reach_rate", "price", "cpm", "fraud_threshold", "credibility",
            "impressions_factor", "unique_viewer_share", "tier_followers"} <= set(df["metric"])
    assert df["source"].astype(bool).all()
    assert df["source"].str.contains("assumption").any()


def test_picklable_hashable_read_only():
    again = pickle.loads(pickle.dumps(BENCH))
    assert again == BENCH and hash(again) == hash(BENCH)
    assert hash(dataclasses.replace(BENCH, fraud_threshold=0.7)) != hash(BENCH)
    with pytest.raises(TypeError):
        BENCH.er[("instagram", "nano")] = None  # type: ignore[index]
