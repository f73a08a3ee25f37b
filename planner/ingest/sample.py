"""A realistic synthetic blogger database (never real people) and an agency-style messy CSV of it.

:func:`generate` draws every column of :data:`planner.core.schema.FIELD_NAMES` with fully vectorised numpy,
following :mod:`planner.estimates.benchmarks` (tiers, ER, reach, prices, credibility) so that the planner's
estimates and checks have something realistic to work on. :func:`to_messy_csv` renders the same data
the way agencies export it from Excel (Russian headers, ';', decimal commas, "1,2 млн", "N/A", ...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.special import ndtr, ndtri

from planner.core.money import DEFAULT_FX_RUB
from planner.core.schema import AGE_BUCKETS, CURRENCIES, ER_BASES, FIELD_NAMES, FORMATS, NICHES, PLATFORMS
from planner.estimates.benchmarks import (
    ER_BASIS,
    PLATFORM_FORMATS,
    PRIMARY_FORMAT,
    REACH_FROM_VIEWS,
    TIERS,
    Benchmarks,
    tier_codes,
)

_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str" dtype (pyarrow ships with streamlit)

# --------------------------------------------------------------------------- market mix

PLATFORM_SHARE: Mapping[str, float] = {
    "telegram": 0.28, "vk": 0.24, "instagram": 0.18, "youtube": 0.13, "tiktok": 0.11, "twitch": 0.06,
}

# (country, share, currency, ((language, share), ...), ((city, share), ...))
COUNTRIES: tuple[tuple[str, float, str, tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]], ...] = (
    ("RU", 0.70, "RUB", (("ru", 0.97), ("en", 0.03)),
     (("Moscow", 0.34), ("Saint Petersburg", 0.16), ("Kazan", 0.06), ("Novosibirsk", 0.06),
      ("Yekaterinburg", 0.06), ("Krasnodar", 0.06), ("Nizhny Novgorod", 0.05), ("Samara", 0.04),
      ("Rostov-on-Don", 0.05), ("Sochi", 0.04), ("Ufa", 0.04), ("Perm", 0.04))),
    ("KZ", 0.08, "RUB", (("ru", 0.75), ("kk", 0.25)), (("Almaty", 0.5), ("Astana", 0.35), ("Shymkent", 0.15))),
    ("BY", 0.05, "RUB", (("ru", 0.9), ("be", 0.1)), (("Minsk", 0.75), ("Gomel", 0.13), ("Brest", 0.12))),
    ("UZ", 0.04, "RUB", (("ru", 0.6), ("uz", 0.4)), (("Tashkent", 0.8), ("Samarkand", 0.2))),
    ("AM", 0.02, "RUB", (("ru", 0.6), ("hy", 0.4)), (("Yerevan", 0.9), ("Gyumri", 0.1))),
    ("GE", 0.02, "RUB", (("ru", 0.5), ("ka", 0.5)), (("Tbilisi", 0.75), ("Batumi", 0.25))),
    ("US", 0.03, "USD", (("en", 0.6), ("ru", 0.4)), (("New York", 0.5), ("Los Angeles", 0.3), ("Miami", 0.2))),
    ("DE", 0.02, "EUR", (("ru", 0.6), ("de", 0.2), ("en", 0.2)), (("Berlin", 0.6), ("Munich", 0.2), ("Hamburg", 0.2))),
    ("TR", 0.02, "USD", (("ru", 0.5), ("tr", 0.3), ("en", 0.2)), (("Istanbul", 0.7), ("Antalya", 0.3))),
    ("AE", 0.02, "USD", (("ru", 0.6), ("en", 0.4)), (("Dubai", 0.85), ("Abu Dhabi", 0.15))),
)

# Secondary audience countries (after the blogger's own country; RU comes second for non-RU bloggers).
AUDIENCE_POOL: tuple[tuple[str, float], ...] = (
    ("KZ", 0.25), ("BY", 0.2), ("UZ", 0.1), ("DE", 0.1), ("US", 0.08), ("AM", 0.06), ("GE", 0.06),
    ("KG", 0.05), ("IL", 0.05), ("TR", 0.05),
)

# Niche popularity per platform, in NICHES order.
_NICHE_WEIGHTS: Mapping[str, tuple[float, ...]] = {
    #             bea fas foo tra tec par fit gam fin aut lif edu mus hum hea pet hom spo bus art
    "instagram": (10, 9, 7, 7, 3, 6, 6, 1, 3, 2, 10, 3, 3, 4, 4, 4, 4, 3, 4, 4),
    "youtube": (4, 2, 5, 5, 9, 3, 4, 10, 4, 6, 4, 8, 5, 6, 3, 2, 3, 4, 4, 2),
    "tiktok": (7, 6, 6, 3, 2, 3, 4, 5, 1, 2, 6, 3, 8, 10, 2, 5, 2, 3, 1, 3),
    "telegram": (3, 2, 3, 4, 8, 3, 2, 3, 10, 3, 4, 6, 3, 7, 3, 2, 2, 5, 9, 2),
    "vk": (5, 4, 6, 4, 4, 6, 4, 6, 3, 6, 5, 5, 6, 8, 4, 4, 5, 5, 3, 3),
    "twitch": (0.3, 0.3, 0.5, 0.3, 3, 0.2, 0.5, 30, 0.3, 0.5, 2, 1, 4, 4, 0.2, 0.3, 0.2, 2, 0.3, 2),
}

_RELATED: tuple[tuple[str, str], ...] = (
    ("beauty", "fashion"), ("beauty", "lifestyle"), ("fashion", "lifestyle"), ("food", "travel"), ("food", "home"),
    ("travel", "lifestyle"), ("tech", "gaming"), ("tech", "business"), ("tech", "education"), ("parenting", "home"),
    ("parenting", "health"), ("fitness", "health"), ("fitness", "sport"), ("finance", "business"),
    ("finance", "education"), ("auto", "tech"), ("music", "art"), ("humor", "lifestyle"), ("pets", "home"),
    ("sport", "health"), ("education", "business"), ("gaming", "humor"), ("beauty", "health"),
)

# Female share of the audience by niche (beauty/fashion/parenting mostly female, auto/gaming/finance male).
_FEMALE: Mapping[str, float] = {
    "beauty": 0.86, "fashion": 0.8, "food": 0.66, "travel": 0.58, "tech": 0.25, "parenting": 0.87,
    "fitness": 0.56, "gaming": 0.2, "finance": 0.3, "auto": 0.14, "lifestyle": 0.7, "education": 0.56,
    "music": 0.5, "humor": 0.45, "health": 0.66, "pets": 0.7, "home": 0.72, "sport": 0.28,
    "business": 0.37, "art": 0.62,
}

# Audience age mix by niche over AGE_BUCKETS (13-17, 18-24, 25-34, 35-44, 45+).
_AGE_DEFAULT = (0.06, 0.26, 0.36, 0.21, 0.11)
_AGE: Mapping[str, tuple[float, ...]] = {
    "gaming": (0.25, 0.40, 0.22, 0.09, 0.04), "humor": (0.18, 0.38, 0.26, 0.12, 0.06),
    "music": (0.15, 0.35, 0.28, 0.14, 0.08), "finance": (0.02, 0.14, 0.36, 0.28, 0.20),
    "business": (0.02, 0.14, 0.38, 0.28, 0.18), "home": (0.02, 0.12, 0.34, 0.30, 0.22),
    "parenting": (0.01, 0.15, 0.50, 0.26, 0.08), "health": (0.03, 0.15, 0.32, 0.28, 0.22),
    "auto": (0.04, 0.20, 0.36, 0.25, 0.15), "beauty": (0.08, 0.32, 0.36, 0.16, 0.08),
    "fashion": (0.08, 0.34, 0.36, 0.15, 0.07), "education": (0.10, 0.32, 0.32, 0.17, 0.09),
    "tech": (0.08, 0.28, 0.36, 0.19, 0.09), "sport": (0.08, 0.28, 0.32, 0.20, 0.12),
}
_AGE_PLATFORM_SHIFT: Mapping[str, tuple[float, ...]] = {
    "instagram": (0.8, 1.1, 1.1, 0.9, 0.8), "youtube": (1.2, 1.0, 1.0, 1.0, 1.0),
    "tiktok": (1.8, 1.3, 0.9, 0.6, 0.4), "telegram": (0.5, 0.9, 1.1, 1.1, 1.1),
    "vk": (1.1, 1.0, 1.0, 1.0, 1.1), "twitch": (1.6, 1.4, 0.9, 0.5, 0.3),
}

# log10(followers) ~ normal(mu, sd) truncated at 1,000, plus a thin log-uniform tail of big accounts.
_FOLLOWERS_LOG10: Mapping[str, tuple[float, float]] = {
    "instagram": (4.1, 0.85), "youtube": (4.2, 0.9), "tiktok": (4.2, 0.9),
    "telegram": (3.95, 0.8), "vk": (3.95, 0.8), "twitch": (3.7, 0.75),
}
_TAIL_SHARE = 0.01
_TAIL_LOG10 = (5.0, 7.3)
_PRICE_OUTLIER_SHARE = 0.04  # quotes 3-10x above the band
_PRICE_LOW_SHARE = 0.02  # quotes 0.3-0.7x the band

_COMMENT_SHARE: Mapping[str, float] = {
    "instagram": 0.04, "youtube": 0.06, "tiktok": 0.03, "telegram": 0.15, "vk": 0.08, "twitch": 0.3,
}
_FRAUD_SHARE_BY_TIER = (0.05, 0.07, 0.10, 0.14, 0.20)

_PROFANITY: Mapping[str, float] = {"humor": 0.35, "gaming": 0.30, "music": 0.18, "lifestyle": 0.10,
                                   "parenting": 0.01, "education": 0.02, "finance": 0.03, "business": 0.03}
_GAMBLING_BY_PLATFORM: Mapping[str, float] = {"telegram": 0.12, "twitch": 0.15}

# Russian labels used by the messy export (and usable by an importer to map back).
NICHES_RU: Mapping[str, str] = {
    "beauty": "Красота", "fashion": "Мода", "food": "Еда", "travel": "Путешествия", "tech": "Технологии",
    "parenting": "Родительство", "fitness": "Фитнес", "gaming": "Игры", "finance": "Финансы", "auto": "Авто",
    "lifestyle": "Лайфстайл", "education": "Образование", "music": "Музыка", "humor": "Юмор",
    "health": "Здоровье", "pets": "Животные", "home": "Дом", "sport": "Спорт", "business": "Бизнес",
    "art": "Искусство",
}
COUNTRY_NAMES_RU: Mapping[str, str] = {
    "RU": "Россия", "KZ": "Казахстан", "BY": "Беларусь", "UZ": "Узбекистан", "AM": "Армения", "GE": "Грузия",
    "US": "США", "DE": "Германия", "TR": "Турция", "AE": "ОАЭ",
}
PLATFORM_NAMES_RU: Mapping[str, tuple[str, ...]] = {
    "instagram": ("Instagram", "Инстаграм", "instagram", "IG"),
    "youtube": ("YouTube", "Ютуб", "youtube", "YT"),
    "tiktok": ("TikTok", "ТикТок", "Tik Tok", "tiktok"),
    "telegram": ("Telegram", "Телеграм", "TG", "telegram"),
    "vk": ("VK", "ВКонтакте", "ВК", "vk"),
    "twitch": ("Twitch", "Твич", "twitch"),
}


# --------------------------------------------------------------------------- helpers


def _choice(rng: np.random.Generator, n: int, weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return np.searchsorted(np.cumsum(w / w.sum()), rng.random(n), side="right").clip(0, len(w) - 1)


def _grouped_choice(rng: np.random.Generator, groups: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Draw one category per row from the weight row ``table[group]`` (rows normalised here).

    Row g's cumulative weights are shifted to (g, g + 1], so one searchsorted serves every group.
    """
    k = table.shape[1]
    cum = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    flat = (cum + np.arange(len(table))[:, None]).ravel()
    idx = np.searchsorted(flat, rng.random(len(groups)) + groups, side="right") - groups * k
    return np.clip(idx, 0, k - 1)


def _round_sig(x: np.ndarray, digits: int = 2) -> np.ndarray:
    """Round to ``digits`` significant figures, the way people quote prices (12 345 -> 12 000)."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = 10.0 ** (np.floor(np.log10(np.where(x > 0, x, 1.0))) - (digits - 1))
    return np.where(x > 0, np.round(x / mag) * mag, x)


def _take(strings: list[str], idx: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """Arrow strings ``strings[idx]`` (null where ``missing``)."""
    return pa.array(strings).take(pa.array(np.asarray(idx, dtype=np.int64), mask=missing))


def _concat(*parts) -> pa.Array:
    """Element-wise concatenation of arrow string arrays and str scalars (null if any part is null)."""
    return pc.binary_join_element_wise(*parts, "")


def _str_codes(categories, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A pandas ``str`` column taking ``categories[code]`` per row (-1 = NaN)."""
    return pd.array(list(categories), dtype="str").take(np.asarray(codes, dtype=np.intp), allow_fill=True)


# --------------------------------------------------------------------------- generate


def generate(rows: int, seed: int = 0, as_of: dt.date | None = None, bench: Benchmarks | None = None) -> pd.DataFrame:
    """A synthetic blogger table with every schema column, deterministic for ``seed`` (and ``as_of``).

    Optional measured columns are partly empty (10-35 %) so the planner has to estimate.
    ``as_of`` anchors ``updated_at`` (default: today); figures follow ``bench`` (default benchmarks).
    """
    n = int(rows)
    bench = bench or Benchmarks.default()
    rng = np.random.default_rng(seed)
    as_of = as_of or dt.date.today()
    n_plat = len(PLATFORMS)

    # ---- platform, country, language, city, currency
    plat = _choice(rng, n, [PLATFORM_SHARE[p] for p in PLATFORMS])
    ctry = _choice(rng, n, [c[1] for c in COUNTRIES])
    country_names = [c[0] for c in COUNTRIES]
    langs = sorted({lang for c in COUNTRIES for lang, _ in c[3]})
    lang_tab = np.array([[dict(c[3]).get(lang, 0.0) for lang in langs] for c in COUNTRIES])
    lang = _grouped_choice(rng, ctry, lang_tab)
    cities = [city for c in COUNTRIES for city, _ in c[4]]
    city_tab = np.array([[dict(c[4]).get(city, 0.0) for city in cities] for c in COUNTRIES])
    city = _grouped_choice(rng, ctry, city_tab)
    cur_code = np.array([CURRENCIES.index(c[2]) for c in COUNTRIES])[ctry]

    # ---- niches: primary by platform popularity, then up to two related or popular ones
    niche_tab = np.array([_NICHE_WEIGHTS[p] for p in PLATFORMS], dtype=float)
    n1 = _grouped_choice(rng, plat, niche_tab)
    k = len(NICHES)
    affinity = np.ones((k, k))
    for a, b in _RELATED:
        i, j = NICHES.index(a), NICHES.index(b)
        affinity[i, j] = affinity[j, i] = 12.0
    np.fill_diagonal(affinity, 0.0)
    n2 = _grouped_choice(rng, n1, affinity)
    n3 = _grouped_choice(rng, n1, affinity)
    has2 = rng.random(n) < 0.55
    has3 = has2 & (rng.random(n) < 0.4) & (n3 != n2)
    combo = n1 * (k + 1) ** 2 + np.where(has2, n2 + 1, 0) * (k + 1) + np.where(has3, n3 + 1, 0)
    uniq_combo, combo_idx = np.unique(combo, return_inverse=True)
    combo_names = [";".join(NICHES[d - 1] if pos else NICHES[d] for pos, d in enumerate(
        (c // (k + 1) ** 2, c // (k + 1) % (k + 1), c % (k + 1))) if pos == 0 or d > 0) for c in uniq_combo]

    # ---- followers: truncated log-normal per platform + a thin heavy tail
    mu = np.array([_FOLLOWERS_LOG10[p][0] for p in PLATFORMS])[plat]
    sd = np.array([_FOLLOWERS_LOG10[p][1] for p in PLATFORMS])[plat]
    lo_cdf, hi_cdf = ndtr((3.0 - mu) / sd), ndtr((8.3 - mu) / sd)
    log_f = mu + sd * ndtri(lo_cdf + rng.random(n) * (hi_cdf - lo_cdf))
    tail = rng.random(n) < _TAIL_SHARE
    log_f = np.where(tail, rng.uniform(*_TAIL_LOG10, n), log_f)
    followers = np.maximum(np.round(10.0**log_f), 1000).astype(np.int64)
    tier = tier_codes(followers, bench.tier_bounds)
    tier_lo = np.log10(np.array((1_000, *bench.tier_bounds), dtype=float))[tier]
    tier_hi = np.log10(np.array((*bench.tier_bounds, 10**7.5), dtype=float))[tier]
    pos_in_tier = np.clip((log_f - tier_lo) / (tier_hi - tier_lo), 0, 1)

    # ---- credibility: falls with size; a fraud share with low, some very low, values
    cred_typ = bench.credibility_table()[tier]
    cred = np.clip(cred_typ + rng.normal(0, 0.05, n), 0.5, 0.99)
    fraud = rng.random(n) < np.array(_FRAUD_SHARE_BY_TIER)[tier]
    cred = np.where(fraud, rng.uniform(0.2, 0.745, n), cred)
    cred = np.round(cred, 3)

    # ---- views, ER, likes, comments
    view_rate = np.array([[bench.view_rate[(p, t)].typical for t in TIERS] for p in PLATFORMS])[plat, tier]
    views = np.round(followers * view_rate * np.exp(rng.normal(0, 0.35, n)))
    er_med = bench.er_median_table()[plat, tier]
    er_true = er_med * np.exp(rng.normal(0, 0.3, n)) * np.clip(cred / cred_typ, 0.4, 1.1)
    by_views = np.array([ER_BASIS[p] == "views" for p in PLATFORMS])[plat]
    basis_value = np.where(by_views, views, followers)
    eng = er_true / 100 * basis_value
    c_share = np.clip(np.array([_COMMENT_SHARE[p] for p in PLATFORMS])[plat] * np.exp(rng.normal(0, 0.3, n)),
                      0.005, 0.5)
    likes = np.round(eng * (1 - c_share))
    comments = np.round(eng * c_share)
    er = np.round((likes + comments) / np.maximum(basis_value, 1) * 100, 2)

    # ---- reach per placement and per story
    uniq = bench.unique_share_array()[plat]
    from_views = np.array([p in REACH_FROM_VIEWS for p in PLATFORMS])[plat]
    post_rate = bench.reach_rate_table(None)[plat, tier]
    reach = np.where(from_views, views * uniq * np.exp(rng.normal(0, 0.05, n)),
                     followers * post_rate * np.exp(rng.normal(0, 0.3, n)))
    capped = ~np.isin(plat, [PLATFORMS.index("tiktok"), PLATFORMS.index("youtube")])
    reach = np.round(np.where(capped, np.minimum(reach, followers), reach))
    story_rate = bench.reach_rate_table("story")[plat, tier]
    story_reach = np.round(np.minimum(followers * story_rate * np.exp(rng.normal(0, 0.3, n)), followers))

    # ---- audience: gender and age by niche (and platform), top countries led by the blogger's country
    fem_tab = np.array([_FEMALE[x] for x in NICHES])
    female = np.where(has2, 0.75 * fem_tab[n1] + 0.25 * fem_tab[n2], fem_tab[n1])
    female = np.round(np.clip(female + rng.normal(0, 0.06, n), 0.02, 0.98), 3)
    age_base = np.array([_AGE.get(x, _AGE_DEFAULT) for x in NICHES])[n1]
    age_base = age_base * np.array([_AGE_PLATFORM_SHIFT[p] for p in PLATFORMS])[plat]
    ages = rng.standard_gamma(40 * age_base / age_base.sum(axis=1, keepdims=True))
    ages = np.round(ages / ages.sum(axis=1, keepdims=True), 3)
    top = ages.argmax(axis=1)
    ages[np.arange(n), top] += 1.0 - ages.sum(axis=1)
    ages = np.round(ages, 3)

    aud_countries = list(dict.fromkeys([*country_names, *(c for c, _ in AUDIENCE_POOL)]))
    pool = np.array([aud_countries.index(c) for c, _ in AUDIENCE_POOL])
    pool_w = [w for _, w in AUDIENCE_POOL]
    own = np.array([aud_countries.index(c) for c in country_names])[ctry]
    ru = aud_countries.index("RU")
    second = np.where(own == ru, pool[_choice(rng, n, pool_w)], ru)
    third_i = _choice(rng, n, pool_w)
    for _ in range(2):  # shift past collisions with the first two countries
        clash = (pool[third_i] == own) | (pool[third_i] == second)
        third_i = np.where(clash, (third_i + 1) % len(pool), third_i)
    third = pool[third_i]
    s1 = np.round(rng.uniform(0.45, 0.85, n) * 100).astype(np.int64)
    s2 = np.maximum(np.round((100 - s1) * rng.uniform(0.35, 0.6, n)), 1).astype(np.int64)
    s3 = np.clip(np.round((100 - s1 - s2) * rng.uniform(0.2, 0.5, n)), 1, s2).astype(np.int64)
    pair = [f"{c}:{s / 100:.2f}" for c in aud_countries for s in range(101)]
    aud_idx = (own * 101 + s1, second * 101 + s2, third * 101 + s3)

    # ---- prices in USD by band, converted to the row currency
    rub = np.array([DEFAULT_FX_RUB[c] for c in CURRENCIES])
    usd_to_row = rub[CURRENCIES.index("USD")] / rub[cur_code]
    u_row = np.clip(0.5 * rng.random(n) + 0.5 * pos_in_tier, 0, 1)
    outlier = rng.random(n)
    mult = np.where(outlier < _PRICE_OUTLIER_SHARE, np.exp(rng.uniform(np.log(3), np.log(10), n)),
                    np.where(outlier > 1 - _PRICE_LOW_SHARE, rng.uniform(0.3, 0.7, n), 1.0))
    prices: dict[str, np.ndarray] = {}
    for fmt in FORMATS:
        lo = np.full((n_plat, len(TIERS)), np.nan)
        hi = lo.copy()
        for i, p in enumerate(PLATFORMS):
            for j, t in enumerate(TIERS):
                band = bench.price_usd.get((p, t, fmt))
                if band is not None and fmt in PLATFORM_FORMATS[p]:
                    lo[i, j], hi[i, j] = band.low, band.high
        u = np.clip(u_row + rng.normal(0, 0.08, n), 0, 1)
        usd = lo[plat, tier] * (hi[plat, tier] / lo[plat, tier]) ** u * mult
        prices[fmt] = np.maximum(np.round(_round_sig(usd * usd_to_row)), 1.0)
    primary_fmt = np.array([FORMATS.index(PRIMARY_FORMAT[p]) for p in PLATFORMS])[plat]
    primary_price = np.choose(primary_fmt, [prices[f] for f in FORMATS])

    # ---- barter: readily below ~200K followers, the ask grows with size
    log_200k = np.log10(200_000)
    p_barter = np.where(followers < 200_000, 0.8 - 0.3 * (np.log10(followers) - 3) / (log_200k - 3), 0.08)
    barter = rng.random(n) < p_barter
    barter_min = _round_sig(primary_price / mult * (1 + 0.6 * tier + rng.random(n)))
    barter_min = np.where(barter, barter_min, np.nan)

    # ---- brand safety
    def niche_p(names: tuple[str, ...], hit: float, base: float) -> np.ndarray:
        return np.where(np.isin(n1, [NICHES.index(x) for x in names]), hit, base)

    prof_p = np.array([_PROFANITY.get(x, 0.06) for x in NICHES])[n1]
    prof_p = prof_p + np.where(plat == PLATFORMS.index("twitch"), 0.1, 0)
    gamb_p = np.array([_GAMBLING_BY_PLATFORM.get(p, 0.02) for p in PLATFORMS])[plat]
    gamb_p = np.where(n1 == NICHES.index("sport"), gamb_p * 2, gamb_p)
    flags = {
        "flag_profanity": prof_p,
        "flag_competitor_ads": np.full(n, 0.10),
        "ad_alcohol": niche_p(("food", "lifestyle", "music", "travel"), 0.06, 0.025),
        "ad_gambling": gamb_p,
        "ad_pharma": niche_p(("health", "fitness", "parenting"), 0.07, 0.025),
        "ad_tobacco": niche_p(("gaming", "music", "humor"), 0.03, 0.012),
    }
    flags = {name: rng.random(n) < p for name, p in flags.items()}

    # ---- deals, identity, dates
    mean_deals = 2.0 + 4.0 * tier
    deals = rng.negative_binomial(2, 2 / (2 + mean_deals)).astype(np.int64)
    cancelled = rng.binomial(deals + 1, np.where(cred < 0.6, 0.2, 0.06)).astype(np.int64)
    number = pc.cast(pa.array(rng.permutation(n) + 1000), pa.string())
    handle = _concat(_take([f"sample_{x}_" for x in NICHES], n1), number)
    cyr = (lang == langs.index("ru")) & (rng.random(n) < 0.5)
    name = _concat(_take(["Sample Blogger ", "Тестовый блогер "], cyr), number)
    contact = _concat(handle, "@example.com")
    days = rng.integers(0, 548, n)
    updated = (np.datetime64(as_of, "D") - days.astype("timedelta64[D]")).astype("datetime64[s]")

    # ---- missing measured figures
    def gap(share: float) -> np.ndarray:
        return rng.random(n) < share

    no_likes = gap(0.15)
    no_audience = gap(0.2)
    columns: dict[str, object] = {
        "handle": pd.array(handle, dtype=_STR),
        "name": pd.array(name, dtype=_STR),
        "platform": _str_codes(PLATFORMS, plat),
        "country": _str_codes(country_names, ctry),
        "city": _str_codes(cities, np.where(gap(0.05), -1, city)),
        "language": _str_codes(langs, lang),
        "niches": _str_codes(combo_names, combo_idx),
        "followers": followers,
        "avg_views": np.where(gap(0.08), np.nan, views),
        "avg_reach": np.where(gap(0.3), np.nan, reach),
        "avg_story_reach": np.where(gap(0.35), np.nan, story_reach),
        "avg_likes": np.where(no_likes, np.nan, likes),
        "avg_comments": np.where(no_likes | gap(0.03), np.nan, comments),
        "engagement_rate": np.where(gap(0.2), np.nan, er),
        "er_basis": _str_codes(ER_BASES, by_views.astype(np.int8)),
        "credibility": np.where(gap(0.2), np.nan, cred),
        "audience_female": np.where(no_audience, np.nan, female),
    }
    for i, b in enumerate(AGE_BUCKETS):
        columns[f"audience_age_{b}"] = np.where(no_audience, np.nan, ages[:, i])
    no_countries = no_audience | gap(0.05)
    columns["audience_countries"] = pd.array(_concat(
        _take(pair, aud_idx[0], no_countries), ";", _take(pair, aud_idx[1]), ";", _take(pair, aud_idx[2])), dtype=_STR)
    for fmt in FORMATS:
        columns[f"price_{fmt}"] = np.where(gap(0.15), np.nan, prices[fmt])
    columns.update({
        "currency": _str_codes(CURRENCIES, cur_code),
        "accepts_barter": barter,
        "barter_min_value": barter_min,
        **flags,
        "deals_completed": deals,
        "deals_cancelled": cancelled,
        "contact": pd.array(contact, dtype=_STR),
        "updated_at": updated,
    })
    assert tuple(columns) == FIELD_NAMES
    return pd.DataFrame(columns, copy=False)


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write the canonical table as a plain UTF-8 CSV (',' separator, '.' decimals, ISO dates)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, date_format="%Y-%m-%d")
    return path


# --------------------------------------------------------------------------- messy export

MESSY_HEADERS: Mapping[str, str] = {
    "handle": "Аккаунт", "name": "Имя блогера", "platform": "Площадка", "country": "Страна", "city": "Город",
    "language": "Язык", "niches": "Тематика", "followers": "Подписчики", "avg_views": "Просмотры (ср.)",
    "avg_reach": "Охват", "avg_story_reach": "Охват сторис", "avg_likes": "Лайки (ср.)",
    "avg_comments": "Комментарии (ср.)", "engagement_rate": "ER", "er_basis": "База ER",
    "credibility": "Качество\nаудитории, %", "audience_female": "Женщины, %",
    "audience_age_13_17": "13-17 лет, %", "audience_age_18_24": "18-24 лет, %",
    "audience_age_25_34": "25-34 лет, %", "audience_age_35_44": "35-44 лет, %",
    "audience_age_45_plus": "45+ лет, %", "audience_countries": "География аудитории",
    "price_post": "Стоимость поста", "price_story": "Стоимость сторис", "price_short": "Стоимость Reels/Shorts",
    "price_video": "Стоимость интеграции", "currency": "Валюта", "accepts_barter": "Бартер",
    "barter_min_value": "Мин. сумма бартера", "flag_profanity": "Мат", "flag_competitor_ads": "Реклама конкурентов",
    "ad_alcohol": "Алкоголь", "ad_gambling": "Азартные игры", "ad_pharma": "Фарма", "ad_tobacco": "Табак",
    "deals_completed": "Сделки проведены", "deals_cancelled": "Сделки отменены", "contact": "Контакт",
    "updated_at": "Дата обновления",
}
MISSING_MARKERS: tuple[str, ...] = ("", "", "", "N/A", "-", "#ЗНАЧ!", "н/д")
ER_BASIS_RU: Mapping[str, str] = {"followers": "по подписчикам", "views": "по просмотрам"}


def _dec(v: float, decimals: int) -> str:
    """Decimal comma, trailing zeros dropped: 3,5 · 12 · 0,82."""
    s = f"{v:.{decimals}f}".replace(".", ",")
    return s.rstrip("0").rstrip(",") if "," in s else s


def _grouped(v: float, sep: str) -> str:
    """Thousands separated, decimals (if any) after a comma: 12 500 · 1 250 000 · 12 500,5."""
    whole, _, frac = _dec(v, 2).partition(",")
    return f"{int(whole):,}".replace(",", sep) + ("," + frac if frac else "")


def _compact(v: float, units: tuple[str, str]) -> str:
    if v >= 1e6:
        return _dec(v / 1e6, 1) + units[0]
    if v >= 1e3:
        return _dec(v / 1e3, 1) + units[1]
    return f"{v:.0f}"


def _render(rng: np.random.Generator, values, fmts: list, weights=None, missing: bool = True) -> list[str]:
    """Render a column: one format variant drawn per row, each (variant, distinct value) formatted once.

    Missing values become one of MISSING_MARKERS (or "" when ``missing`` is False).
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniques = np.asarray(uniques.to_numpy() if hasattr(uniques, "to_numpy") else uniques, dtype=object)
    n = len(codes)
    out = np.full(n, "", dtype=object)
    variant = _choice(rng, n, weights or [1.0] * len(fmts)) if len(fmts) > 1 else np.zeros(n, dtype=np.intp)
    for i, f in enumerate(fmts):
        rows = (variant == i) & (codes >= 0)
        need, inv = np.unique(codes[rows], return_inverse=True)
        out[rows] = np.array([f(u) for u in uniques[need]] + [""], dtype=object)[:-1][inv]
    if missing:
        gaps = codes < 0
        out[gaps] = np.array(MISSING_MARKERS, dtype=object)[rng.integers(0, len(MISSING_MARKERS), int(gaps.sum()))]
    return out.tolist()


def _plain(s: pd.Series) -> list[str]:
    return s.to_numpy(dtype=object, na_value="").tolist()


def to_messy_csv(df: pd.DataFrame, seed: int = 0, encoding: str | None = None) -> bytes:
    """Render a canonical table as an agency's messy Excel export (bytes of a CSV file).

    Russian headers (one with a line break, quoted), ';' separator, Windows-1251 or UTF-8 with BOM
    (chosen by ``seed`` unless ``encoding`` is given), CRLF line ends; numbers as "12500" / "12 500"
    (space or no-break space) / "35 тыс" / "1,2 млн"; decimal commas; ER as "3,5%"; credibility,
    audience and age shares in percent ("78,5" or "78,5 %"); booleans as да/нет/1/0; dates as
    dd.mm.yyyy (some ISO); platforms, niches and countries partly in Russian (see PLATFORM_NAMES_RU,
    NICHES_RU, COUNTRY_NAMES_RU); handles partly with '@'; audience countries as "RU:0,71, KZ:0,12";
    missing values as "", "N/A", "-", "#ЗНАЧ!" or "н/д"; ~1 % exact duplicate rows right after their
    original, some blank lines and two separator-only lines at the end.
    Every shown value parses back to the data up to the rounding shown.
    """
    rng = np.random.default_rng(seed)
    if encoding is None:
        encoding = ("cp1251", "utf-8-sig")[int(rng.integers(0, 2))]
    cp1251 = encoding.replace("-", "").replace("_", "").lower() in {"cp1251", "windows1251"}
    n = len(df)
    nbsp = "\u00a0"
    compact_units = ((" млн", " тыс"), (" млн.", " тыс."), ("млн", "K"))

    def col(name: str) -> pd.Series:
        return df[name] if name in df.columns else pd.Series([np.nan] * n, index=df.index, dtype=float)

    def count_fmts(compact: float) -> tuple[list, list[float]]:
        fmts: list[Callable[[float], str]] = [lambda v: f"{v:.0f}", lambda v: _grouped(v, " "),
                                              lambda v: _grouped(v, nbsp)]
        fmts += [partial(_compact, units=u) for u in compact_units]
        rest = (1 - compact) / 3
        return fmts, [rest] * 3 + [compact / 3] * 3

    def pct_fmts(decimals: int, sign: float) -> tuple[list, list[float]]:
        return ([lambda v: _dec(v * 100, decimals), lambda v: _dec(v * 100, decimals) + "%",
                 lambda v: _dec(v * 100, decimals) + " %"], [1 - sign, sign / 2, sign / 2])

    rub = ("RUB", "руб.", "руб", "р.") if cp1251 else ("RUB", "руб.", "₽", "р.")
    currency_names = {"RUB": rub, "USD": ("USD", "$", "usd"), "EUR": ("EUR", "€", "eur")}
    bool_words = (("да", "нет"), ("Да", "Нет"), ("ДА", "НЕТ"), ("1", "0"))

    cols: list[list[str]] = []
    for name in FIELD_NAMES:
        s = col(name)
        if name == "handle":
            cols.append(_render(rng, s, [str, lambda h: "@" + h], [0.7, 0.3]))
        elif name == "platform":
            cols.append(_render(rng, s, [lambda p, i=i: PLATFORM_NAMES_RU.get(p, (p,) * 4)[i % len(
                PLATFORM_NAMES_RU.get(p, (p,)))] for i in range(4)]))
        elif name == "country":
            cols.append(_render(rng, s, [str, lambda c: COUNTRY_NAMES_RU.get(c, c)]))
        elif name == "niches":
            cols.append(_render(rng, s, [lambda x: x.replace(";", ", "),
                                         lambda x: ", ".join(NICHES_RU.get(t, t) for t in x.split(";"))], [0.4, 0.6]))
        elif name == "audience_countries":
            cols.append(_render(rng, s, [lambda x: x.replace(";", ", ").replace(".", ",")]))
        elif name == "er_basis":
            cols.append(_render(rng, s, [lambda b: ER_BASIS_RU.get(b, b)]))
        elif name in ("followers", "avg_views", "avg_reach", "avg_story_reach"):
            cols.append(_render(rng, s.astype(float), *count_fmts(0.3 if name == "followers" else 0.15)))
        elif name in ("avg_likes", "avg_comments", "deals_completed", "deals_cancelled"):
            cols.append(_render(rng, s.astype(float), [lambda v: f"{v:.0f}", lambda v: _grouped(v, " ")]))
        elif name == "engagement_rate":
            cols.append(_render(rng, s.astype(float), [lambda v: _dec(v, 2), lambda v: _dec(v, 2) + "%",
                                                       lambda v: _dec(v, 2) + " %"], [0.3, 0.4, 0.3]))
        elif name == "credibility" or name.startswith("audience_"):
            cols.append(_render(rng, s.astype(float), *pct_fmts(1, 0.4)))
        elif name.startswith("price_") or name == "barter_min_value":
            cols.append(_render(rng, s.astype(float), [lambda v: _dec(v, 2), lambda v: _grouped(v, " "),
                                                       lambda v: _grouped(v, nbsp)]))
        elif name == "currency":
            cols.append(_render(rng, s, [lambda c, i=i: currency_names.get(c, (c,))[i % len(currency_names.get(
                c, (c,)))] for i in range(4)]))
        elif name in ("accepts_barter", "flag_profanity", "flag_competitor_ads") or name.startswith("ad_"):
            cols.append(_render(rng, s.astype(object), [lambda b, w=w: w[0] if b else w[1] for w in bool_words],
                                missing=False))
        elif name == "updated_at":
            d = pd.to_datetime(s, errors="coerce")
            cols.append(_render(rng, d, [lambda x: x.strftime("%d.%m.%Y"), lambda x: x.strftime("%Y-%m-%d")],
                                [0.85, 0.15]))
        else:
            cols.append(_plain(s))

    header = ";".join(f'"{h}"' if ("\n" in h or ";" in h) else h for h in (MESSY_HEADERS[c] for c in FIELD_NAMES))
    lines = [";".join(r) for r in zip(*cols, strict=True)]

    # exact duplicates right after their original, some blank lines
    dup = set(np.flatnonzero(rng.random(n) < 0.01).tolist())
    blank = set(np.flatnonzero(rng.random(n) < 0.005).tolist())
    body: list[str] = [header]
    for i, line in enumerate(lines):
        if i in blank:
            body.append("")
        body.append(line)
        if i in dup:
            body.append(line)
    body += [";" * (len(FIELD_NAMES) - 1)] * 2
    return ("\r\n".join(body) + "\r\n").encode(encoding, errors="replace" if cp1251 else "strict")
