import csv
import datetime as dt
import io
import re

import numpy as np
import pandas as pd
import pytest

from planner.core.money import DEFAULT_FX_RUB
from planner.core.schema import AGE_BUCKETS, FIELD_NAMES, FORMATS, NICHES, PLATFORMS
from planner.estimates import metrics
from planner.estimates.benchmarks import PLATFORM_FORMATS, PRIMARY_FORMAT, TIERS, Benchmarks, tier_codes
from planner.ingest import sample

AS_OF = dt.date(2026, 1, 1)
BENCH = Benchmarks.default()
AGE_COLS = [f"audience_age_{b}" for b in AGE_BUCKETS]


@pytest.fixture(scope="module")
def df():
    return sample.generate(5_000, seed=0, as_of=AS_OF)


@pytest.fixture(scope="module")
def big():
    """Enough rows for per-(platform, tier) statistics."""
    return sample.generate(60_000, seed=11, as_of=AS_OF)


def primary_niche(frame):
    return frame["niches"].str.split(";").str[0]


# ---------------------------------------------------------------- shape and identity


def test_schema_columns_and_types(df):
    assert tuple(df.columns) == FIELD_NAMES
    assert len(df) == 5_000
    assert df["followers"].dtype == np.int64 and (df["followers"] >= 1_000).all()
    for c in ("accepts_barter", "flag_profanity", "flag_competitor_ads", "ad_alcohol", "ad_gambling"):
        assert df[c].dtype == bool
    for c in FIELD_NAMES:
        assert df[c].notna().any(), c


def test_deterministic_per_seed():
    a = sample.generate(800, seed=3, as_of=AS_OF)
    b = sample.generate(800, seed=3, as_of=AS_OF)
    pd.testing.assert_frame_equal(a, b)
    c = sample.generate(800, seed=4, as_of=AS_OF)
    assert not a["followers"].equals(c["followers"])


def test_platform_and_country_mix(df):
    assert set(df["platform"]) == set(PLATFORMS)
    share = df["platform"].value_counts(normalize=True)
    assert share["telegram"] > share["instagram"] > share["twitch"]
    assert share["vk"] > share["tiktok"]
    countries = df["country"].value_counts(normalize=True)
    assert countries["RU"] > 0.6
    assert {"KZ", "BY", "UZ", "AM", "GE", "US", "DE", "TR", "AE"} <= set(countries.index)
    cur = df.groupby("country")["currency"].agg(lambda s: set(s))
    assert cur["RU"] == {"RUB"} and cur["US"] == {"USD"} and cur["DE"] == {"EUR"}
    assert df.loc[df["country"] == "KZ", "language"].isin(["ru", "kk"]).all()


def test_cities_consistent_with_countries(df):
    allowed = {c[0]: {city for city, _ in c[4]} for c in sample.COUNTRIES}
    rows = df.dropna(subset=["city"])
    assert all(city in allowed[ctry] for ctry, city in zip(rows["country"], rows["city"], strict=True))
    assert 0.02 < df["city"].isna().mean() < 0.1


def test_handles_unique_and_synthetic(df):
    assert not df.duplicated(["platform", "handle"]).any()
    assert df["handle"].str.fullmatch(r"sample_[a-z]+_\d+").all()
    assert df["name"].str.fullmatch(r"(Sample Blogger|Тестовый блогер) \d+").all()
    assert df["name"].str.startswith("Тестовый").mean() > 0.2
    assert df["contact"].str.fullmatch(r"sample_[a-z]+_\d+@example\.com").all()


def test_niches(df, big):
    lists = df["niches"].str.split(";")
    assert lists.str.len().between(1, 3).all()
    assert set(x for lst in lists for x in lst) <= set(NICHES)
    assert lists.map(lambda x: len(set(x)) == len(x)).all()
    assert (lists.str.len() > 1).mean() > 0.3
    top = big.assign(n=primary_niche(big)).groupby("platform")["n"].agg(lambda s: s.value_counts().index[0])
    assert top["twitch"] == "gaming"
    twitch_gaming = primary_niche(big[big["platform"] == "twitch"]).eq("gaming").mean()
    ig_gaming = primary_niche(big[big["platform"] == "instagram"]).eq("gaming").mean()
    assert twitch_gaming > 5 * ig_gaming


# ---------------------------------------------------------------- figures follow the benchmarks


def test_tier_proportions_heavy_tailed(big):
    share = pd.Series(tier_codes(big["followers"])).map(dict(enumerate(TIERS))).value_counts(normalize=True)
    assert share["nano"] + share["micro"] > 0.6
    assert share["nano"] > share["micro"] > share["mid"] > share["macro"]
    assert 0.001 < share["mega"] < 0.05
    assert big["followers"].max() > 5_000_000


def test_er_falls_with_tier_and_follows_convention(big):
    tiers = pd.Categorical.from_codes(tier_codes(big["followers"]), TIERS, ordered=True)
    med = big.assign(tier=tiers).groupby(["platform", "tier"], observed=True)["engagement_rate"].median()
    for p in PLATFORMS:
        values = med[p].reindex(list(TIERS)).to_numpy()
        assert (np.diff(values) < 0).all(), (p, values)
        e = BENCH.er[(p, "micro")]
        assert e.low <= med[(p, "micro")] <= e.high
    views_basis = big["platform"].isin(["tiktok", "youtube", "twitch"])
    assert (big.loc[views_basis, "er_basis"] == "views").all()
    assert (big.loc[~views_basis, "er_basis"] == "followers").all()


def test_likes_comments_consistent_with_er(df):
    rows = df.dropna(subset=["avg_likes", "avg_comments", "engagement_rate"])
    basis = np.where(rows["er_basis"] == "views", rows["avg_views"], rows["followers"])
    er = metrics.engagement_rate(rows["avg_likes"], rows["avg_comments"], None, rows["followers"], rows["avg_views"],
                                 rows["er_basis"].to_numpy())
    ok = ~np.isnan(er) & (basis > 0)
    np.testing.assert_allclose(er[ok], rows["engagement_rate"].to_numpy()[ok], atol=0.006)
    assert (rows["avg_comments"] <= rows["avg_likes"] + 1).mean() > 0.95


def test_reach_consistent_with_benchmarks(big):
    tiers = tier_codes(big["followers"])
    ig = (big["platform"] == "instagram").to_numpy() & (tiers == 0)
    rate = (big["avg_reach"] / big["followers"])[ig].median()
    assert 0.25 < rate < 0.5
    yt = big[(big["platform"] == "youtube")].dropna(subset=["avg_reach", "avg_views"])
    assert (yt["avg_reach"] / yt["avg_views"]).median() == pytest.approx(0.75, abs=0.03)
    story = big[big["platform"] == "instagram"].dropna(subset=["avg_story_reach"])
    assert (story["avg_story_reach"] < story["avg_reach"].fillna(np.inf)).mean() > 0.9
    assert big.loc[big["platform"] == "youtube", "avg_story_reach"].isna().all()


def test_credibility_and_fraud(big):
    tiers = tier_codes(big["followers"])
    cred = big["credibility"]
    assert cred[tiers == 4].median() < cred[tiers == 0].median()
    fraud = (cred.dropna() < BENCH.fraud_threshold).mean()
    assert 0.08 <= fraud <= 0.15
    assert (cred < 0.4).any()
    assert cred.dropna().between(0, 1).all()


def test_audience_demographics(big):
    niche = primary_niche(big)
    female = big.groupby(niche)["audience_female"].median()
    assert female["beauty"] > 0.7 and female["auto"] < 0.3
    assert female["beauty"] > female["auto"] + 0.4
    assert female["fashion"] > female["gaming"] and female["parenting"] > female["finance"]
    young = big.groupby(niche)[["audience_age_13_17", "audience_age_18_24"]].median().sum(axis=1)
    assert young["gaming"] > young["finance"] and young["humor"] > young["business"]
    ages = big[AGE_COLS].dropna()
    np.testing.assert_allclose(ages.sum(axis=1), 1.0, atol=1e-9)
    assert (ages >= 0).all().all()


def test_audience_countries_led_by_own_country(df):
    rows = df.dropna(subset=["audience_countries"])
    for country, text in zip(rows["country"], rows["audience_countries"], strict=True):
        pairs = [p.split(":") for p in text.split(";")]
        codes = [c for c, _ in pairs]
        shares = [float(s) for _, s in pairs]
        assert codes[0] == country and len(set(codes)) == len(codes)
        assert shares == sorted(shares, reverse=True) and sum(shares) <= 1.0 + 1e-9


def test_missing_shares(df):
    for c in ("avg_reach", "avg_likes", "engagement_rate", "credibility", "audience_female", "audience_countries"):
        assert 0.1 <= df[c].isna().mean() <= 0.35, c
    assert df[["handle", "platform", "followers", "er_basis", "currency"]].notna().all().all()


def test_prices_plausible(big):
    fx = DEFAULT_FX_RUB
    rate = big["currency"].map(fx).astype(float) / fx["USD"]
    tiers = tier_codes(big["followers"])
    for p in PLATFORMS:
        for f in FORMATS:
            rows = (big["platform"] == p).to_numpy()
            if f not in PLATFORM_FORMATS[p]:
                assert big.loc[rows, f"price_{f}"].isna().all()
                continue
            lo = np.array([BENCH.price_usd[(p, t, f)].low for t in TIERS])[tiers[rows]]
            hi = np.array([BENCH.price_usd[(p, t, f)].high for t in TIERS])[tiers[rows]]
            usd = (big.loc[rows, f"price_{f}"] * rate[rows]).to_numpy()
            ok = ~np.isnan(usd)
            assert (usd[ok] > 0).all()
            inside = (usd[ok] >= lo[ok] * 0.9) & (usd[ok] <= hi[ok] * 1.1)
            assert 0.88 < inside.mean() < 0.99, (p, f)
            assert (usd[ok] <= hi[ok] * 10.5).all() and (usd[ok] >= lo[ok] * 0.25).all()
    story = big.dropna(subset=["price_post", "price_story"])
    assert (story["price_story"] < story["price_post"]).mean() > 0.9


def test_fair_price_flags_outliers(big):
    enriched = metrics.enrich(big)
    for p in ("instagram", "telegram", "youtube"):
        f = PRIMARY_FORMAT[p]
        rows = enriched[(enriched["platform"] == p) & enriched[f"price_{f}"].notna()]
        v = metrics.fair_price_frame(rows, f)["verdict"]
        flagged = v.isin(["above", "far_above"]).mean()
        assert 0.015 < flagged < 0.08, (p, flagged)
        assert (v == "far_above").any()


def test_brand_safety_flags(big):
    niche = primary_niche(big)
    prof = big.groupby(niche)["flag_profanity"].mean()
    assert prof["humor"] > 2 * prof["beauty"] and prof["gaming"] > 2 * prof["parenting"]
    assert 0.07 < big["flag_competitor_ads"].mean() < 0.13
    gamb = big.groupby("platform")["ad_gambling"].mean()
    assert gamb["telegram"] > 3 * gamb["instagram"] and gamb["twitch"] > 3 * gamb["youtube"]
    for c in ("ad_alcohol", "ad_pharma", "ad_tobacco"):
        assert 0.005 < big[c].mean() < 0.08


def test_barter_and_deals(big):
    small = big["followers"] < 200_000
    assert big.loc[small, "accepts_barter"].mean() > 0.5 > 0.2 > big.loc[~small, "accepts_barter"].mean()
    assert big.loc[~big["accepts_barter"], "barter_min_value"].isna().all()
    assert big.loc[big["accepts_barter"], "barter_min_value"].gt(0).all()
    med = big.groupby(tier_codes(big["followers"]))["barter_min_value"].median().to_numpy()
    assert (np.diff(med) > 0).all()
    assert (big["deals_completed"] >= 0).all() and (big["deals_cancelled"] >= 0).all()
    assert big["deals_cancelled"].mean() < big["deals_completed"].mean() / 3


def test_updated_at_within_18_months(df):
    d = pd.to_datetime(df["updated_at"])
    assert d.max() <= pd.Timestamp(AS_OF)
    assert d.min() >= pd.Timestamp(AS_OF) - pd.Timedelta(days=549)


def test_write_csv_round_trip(tmp_path, df):
    path = sample.write_csv(df.head(50), tmp_path / "x" / "bloggers.csv")
    back = pd.read_csv(path)
    assert tuple(back.columns) == FIELD_NAMES
    assert back["followers"].tolist() == df["followers"].head(50).tolist()
    assert back["updated_at"].iloc[0] == df["updated_at"].iloc[0].strftime("%Y-%m-%d")


# ---------------------------------------------------------------- messy export

MISSING = {"", "N/A", "-", "#ЗНАЧ!", "н/д"}


def _number(text: str) -> float:
    t = text.strip().replace("\u00a0", " ").rstrip("%").strip()
    if t in MISSING:
        return np.nan
    scale = 1.0
    for unit, k in (("млн", 1e6), ("тыс", 1e3), ("K", 1e3)):
        if unit in t:
            t, scale = t.replace(unit, "").replace(".", "").strip(), k
    return float(t.replace(" ", "").replace(",", ".")) * scale


def _parse(raw: bytes) -> tuple[list[str], list[list[str]]]:
    enc = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "cp1251"
    rows = list(csv.reader(io.StringIO(raw.decode(enc), newline=""), delimiter=";"))
    header, body = rows[0], [r for r in rows[1:] if any(cell.strip() for cell in r)]
    return header, body


def test_messy_csv_looks_like_an_agency_export(df):
    raw = sample.to_messy_csv(df.head(2_000), seed=5)
    assert raw.startswith(b"\xef\xbb\xbf") or raw.decode("cp1251")
    text = raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "cp1251")
    header = text.split("\r\n", 2)
    assert '"Качество\nаудитории, %"' in text.split("Женщины")[0]
    for h in ("Подписчики", "Охват", "ER", "Стоимость поста", "Площадка", "Тематика"):
        assert h in header[0] + header[1]
    for token in ("тыс", "млн", "N/A", "#ЗНАЧ!", ";-;", "%", "\r\n\r\n"):
        assert token in text, token
    assert re.search(r";\d+,\d+", text)  # decimal commas
    assert re.search(r";\d{1,3} \d{3}", text)  # "12 500"
    lines = [ln for ln in text.split("\r\n") if ln.strip(";")]
    assert len(lines) - 1 > 2_000  # exact duplicates
    assert sample.to_messy_csv(df.head(300), seed=5) == sample.to_messy_csv(df.head(300), seed=5)


@pytest.mark.parametrize("encoding", ["cp1251", "utf-8-sig"])
def test_messy_csv_values_recoverable(df, encoding):
    part = df.head(1_500).reset_index(drop=True)
    header, body = _parse(sample.to_messy_csv(part, seed=2, encoding=encoding))
    assert header == [sample.MESSY_HEADERS[c] for c in FIELD_NAMES]
    unique_rows = list(dict.fromkeys(tuple(r) for r in body))
    assert len(unique_rows) == len(part) < len(body)
    got = pd.DataFrame(unique_rows, columns=FIELD_NAMES)
    platforms = {name: p for p, names in sample.PLATFORM_NAMES_RU.items() for name in names}
    assert got["handle"].str.lstrip("@").tolist() == part["handle"].tolist()
    assert got["platform"].map(platforms).tolist() == part["platform"].tolist()
    followers = got["followers"].map(_number).to_numpy()
    np.testing.assert_allclose(followers, part["followers"], rtol=0.051)
    for col in ("engagement_rate", "price_post", "avg_likes"):
        values = got[col].map(_number).to_numpy()
        want = part[col].to_numpy(dtype=float)
        assert (np.isnan(values) == np.isnan(want)).all(), col
        np.testing.assert_allclose(values[~np.isnan(want)], want[~np.isnan(want)], atol=0.006, rtol=1e-9)
    cred = got["credibility"].map(_number).to_numpy() / 100
    np.testing.assert_allclose(cred, part["credibility"], atol=6e-4)
    ru_niches = {v: k for k, v in sample.NICHES_RU.items()}
    niches = got["niches"].map(lambda s: ";".join(ru_niches.get(x, x) for x in s.split(", ")))
    assert niches.tolist() == part["niches"].tolist()
    dates = pd.to_datetime(got["updated_at"], format="%d.%m.%Y", errors="coerce").fillna(
        pd.to_datetime(got["updated_at"], format="%Y-%m-%d", errors="coerce"))
    assert (dates == part["updated_at"]).all()
    yes = got["accepts_barter"].str.lower().isin(["да", "1"])
    assert yes.tolist() == part["accepts_barter"].tolist()
