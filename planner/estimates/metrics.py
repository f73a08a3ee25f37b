"""Derived metrics and estimates for missing figures.

One formula lives in one place: the pure functions below (ER, CPM, CPE, CPC, CPA, CPL, impressions)
work on scalars and numpy arrays. :func:`enrich` fills a blogger table's gaps from
:mod:`planner.estimates.benchmarks`, never overwriting a measured value, and marks every estimate with a
``<field>_estimated`` column. :func:`fair_price` / :func:`fair_price_frame` compare a quote with its
tier's price band and with published CPMs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from planner.core.money import Rates
from planner.core.schema import CURRENCIES, ER_BASES, FORMATS, PLATFORMS
from planner.estimates.benchmarks import (
    ER_BASIS,
    PRIMARY_FORMAT,
    REACH_FROM_VIEWS,
    REACH_SOURCES,
    TIERS,
    VIEWS_FORMAT,
    Benchmarks,
    tier_codes,
)

VERDICTS: tuple[str, ...] = ("below", "fair", "above", "far_above", "unknown")

@cache
def default_benchmarks() -> Benchmarks:
    """The default :class:`Benchmarks`, built once (it is immutable)."""
    return Benchmarks.default()


# --------------------------------------------------------------------------- pure formulas


def _out(a: np.ndarray):
    return a.item() if a.ndim == 0 else a


def _ratio(num, den, scale: float = 1.0):
    """num / den * scale; NaN where the denominator is missing, zero or negative."""
    n = np.asarray(num, dtype=float)
    d = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(d > 0, n / np.where(d > 0, d, 1.0) * scale, np.nan)
    return _out(np.asarray(r, dtype=float))


def engagement_rate(likes, comments, shares=None, followers=None, views=None, basis="followers"):
    """Engagement rate in percent.

    - basis 'followers' (Instagram, Telegram, VK): (likes + comments) / followers x 100
    - basis 'views' (TikTok, YouTube, Twitch): (likes + comments + shares) / views x 100

    ``basis`` may be a string or an array of strings (one per row). Missing shares count as 0;
    a missing like or comment count gives NaN.
    """
    likes = np.asarray(likes, dtype=float)
    comments = np.asarray(comments, dtype=float)
    sh = np.zeros_like(likes) if shares is None else np.nan_to_num(np.asarray(shares, dtype=float))
    by_views = np.asarray(basis) == "views"
    fol = np.asarray(np.nan if followers is None else followers, dtype=float)
    vw = np.asarray(np.nan if views is None else views, dtype=float)
    num = likes + comments + np.where(by_views, sh, 0.0)
    den = np.where(by_views, vw, fol)
    return _ratio(num, den, 100.0)


def cpm(cost, impressions):
    """Cost per 1,000 impressions: cost / impressions x 1000 (NaN where there are none). The one CPM formula: a CPM
    on unique reach is ``cpm(cost, unique_reach)``."""
    return _ratio(cost, impressions, 1000.0)


def cost_at_cpm(rate, impressions):
    """What ``impressions`` cost at a CPM of ``rate``: rate x impressions / 1000 (the inverse of :func:`cpm`)."""
    return _out(np.asarray(rate, dtype=float) * np.asarray(impressions, dtype=float) / 1000.0)


def cpe(cost, engagements):
    """Cost per engagement: cost / engagements."""
    return _ratio(cost, engagements)


def cpc(cost, clicks):
    """Cost per click: cost / clicks."""
    return _ratio(cost, clicks)


def cpa(cost, conversions):
    """Cost per acquisition (order, install): cost / conversions."""
    return _ratio(cost, conversions)


def cpl(cost, leads):
    """Cost per lead: cost / leads."""
    return _ratio(cost, leads)


def impressions(reach, format="post", factors: Mapping[str, float] | None = None, bench: Benchmarks | None = None):
    """Impressions of a placement from its reach: reach x factor(format).

    Default factors (Modash): feed post 1.5, story 1.0; short/video are labelled assumptions in
    :mod:`planner.estimates.benchmarks`. ``format`` may be an array of format names.
    """
    return _out(np.asarray(reach, dtype=float) * impressions_factor(format, factors, bench))


def impressions_factor(format="post", factors: Mapping[str, float] | None = None,
                       bench: Benchmarks | None = None) -> np.ndarray:
    """Impressions per person reached for each format (NaN for an unknown one). A package ("post+story") counts
    as its first format, as the plan does."""
    if factors is None:
        b = bench or default_benchmarks()
        factors = {k: v.value for k, v in b.impressions_factor.items()}
    fmt = np.asarray(format)
    if fmt.ndim == 0:
        return np.asarray(factors.get(str(fmt).split("+")[0], np.nan), dtype=float)
    base = pd.Series(fmt.ravel(), dtype=object).astype(str).str.split("+").str[0].to_numpy().reshape(fmt.shape)
    k = np.full(fmt.shape, np.nan)
    for name, val in factors.items():
        k[base == name] = val
    return k


# --------------------------------------------------------------------------- helpers for enrich


def _codes(df: pd.DataFrame, col: str, categories: tuple[str, ...]) -> np.ndarray:
    """Integer codes of a string column against fixed categories; -1 for missing/unknown."""
    if col not in df.columns:
        return np.full(len(df), -1, dtype=np.int16)
    codes, uniques = pd.factorize(df[col], use_na_sentinel=True)
    lookup = np.append(pd.Index(list(categories)).get_indexer(pd.Index(uniques).astype(object)), -1)
    return lookup[codes].astype(np.int16)


def _labels(categories: tuple[str, ...], codes: np.ndarray):
    """A pandas ``str`` array of ``categories[code]`` (-1 = NaN)."""
    return pd.array(list(categories), dtype="str").take(np.asarray(codes, dtype=np.intp), allow_fill=True)


def _num(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), np.nan)
    s = df[col]
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        s = pd.to_numeric(s, errors="coerce")
    return s.to_numpy(dtype=float, na_value=np.nan)


def _fx_rub(fx: Mapping[str, float] | None) -> np.ndarray:
    rates = Rates.of(fx)
    return np.array([rates.rate(c) for c in CURRENCIES], dtype=float)


_VIEWS_BASIS = np.array([ER_BASIS[p] == "views" for p in PLATFORMS])
_FROM_VIEWS = np.array([p in REACH_FROM_VIEWS for p in PLATFORMS])


class _Lookup:
    """Row-wise lookups into (platform x tier) tables."""

    def __init__(self, plat: np.ndarray, tier: np.ndarray):
        self.ok = (plat >= 0) & (tier >= 0)
        self.p = np.where(self.ok, plat, 0)
        self.t = np.where(self.ok, tier, 0)

    def __call__(self, table: np.ndarray) -> np.ndarray:
        v = table[self.p, self.t]
        v[~self.ok] = np.nan
        return v


# --------------------------------------------------------------------------- reach of a format


def format_reach(df: pd.DataFrame, fmt: str | np.ndarray, bench: Benchmarks | None = None,
                 tier_bounds: tuple[int, ...] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Reach of one placement in ``fmt`` (a format, or one per row) and where it comes from.

    Returns ``(reach, source)``: ``source`` indexes :data:`planner.estimates.benchmarks.REACH_SOURCES` (-1: no figure).
    Best first: the format's own measured reach (``avg_reach`` for the platform's main format,
    ``avg_story_reach`` for a story), taken as it is; the format's own measured views x the unique-viewer
    share (``avg_views`` counts :data:`VIEWS_FORMAT`, e.g. Reels on Instagram); on platforms whose views
    measure a placement (``REACH_FROM_VIEWS``), those views x the ratio of the two formats' benchmark reach
    rates; else followers x the format's benchmark reach rate. A short or long video never reuses the feed
    post's measured reach.
    """
    bench = bench or default_benchmarks()
    bounds = tuple(tier_bounds or bench.tier_bounds)
    n = len(df)
    plat = _codes(df, "platform", PLATFORMS)
    known = plat >= 0
    p0 = np.where(known, plat, 0)
    followers = _num(df, "followers")
    look = _Lookup(plat, tier_codes(followers, bounds))
    # formats as small integer codes (a million rows compare as integers, never as Python strings)
    vocab = list(dict.fromkeys([*FORMATS, *PRIMARY_FORMAT.values(), *VIEWS_FORMAT.values()]))
    given = np.asarray(fmt, dtype=object)
    if given.ndim == 0:
        vocab = list(dict.fromkeys([*vocab, str(given)]))
        fcode = np.full(n, vocab.index(str(given)), dtype=np.int16)
    else:
        fcode = _codes(pd.DataFrame({"f": given}), "f", tuple(vocab))
    primary = np.array([vocab.index(PRIMARY_FORMAT[p]) for p in PLATFORMS], dtype=np.int16)[p0]
    views_fmt = np.array([vocab.index(VIEWS_FORMAT[p]) for p in PLATFORMS], dtype=np.int16)[p0]
    own = np.full(n, np.nan)
    is_story = fcode == vocab.index("story")
    own = np.where(is_story, _num(df, "avg_story_reach"), own)
    own = np.where(~is_story & (fcode == primary), _num(df, "avg_reach"), own)
    rate = np.full(n, np.nan)
    vrate = np.full(n, np.nan)
    for c in np.unique(fcode[fcode >= 0]).tolist():
        m = fcode == c
        rate[m] = look(bench.reach_rate_table(vocab[c]))[m]
    for c in np.unique(views_fmt).tolist():
        m = views_fmt == c
        vrate[m] = look(bench.reach_rate_table(vocab[c]))[m]
    views = _num(df, "avg_views")
    uniq = np.where(known, bench.unique_share_array()[p0], np.nan)
    has_views = known & (views > 0)
    from_views = views * uniq
    direct = has_views & (fcode == views_fmt)
    ratio = has_views & ~direct & _FROM_VIEWS[p0] & (vrate > 0) & (rate > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = from_views * rate / vrate
    by_followers = followers * rate
    src = np.full(n, -1, dtype=np.int16)
    out = np.full(n, np.nan)
    steps = ((~np.isnan(own), own, "measured"), (direct, from_views, "views"),
             (ratio, scaled, "benchmark"), (np.isfinite(by_followers) & (by_followers > 0), by_followers, "followers"))
    for cond, value, name in steps:
        take = cond & (src < 0) & np.isfinite(value)
        out = np.where(take, value, out)
        src = np.where(take, REACH_SOURCES.index(name), src).astype(np.int16)
    return out, src


# --------------------------------------------------------------------------- enrich


def enrich(df: pd.DataFrame, bench: Benchmarks | None = None, tier_bounds: tuple[int, ...] | None = None,
           fx: Mapping[str, float] | None = None, default_currency: str = "RUB") -> pd.DataFrame:
    """Return a copy of ``df`` with tiers, estimates for missing figures and flags.

    Adds or fills (measured values are never overwritten):

    - ``tier`` (category), ``fraud_flag`` (credibility below the benchmark threshold);
    - ``engagement_rate``: measured, else computed from likes + comments over followers or views
      (``er_basis``, default by the platform convention), else the platform/tier benchmark median;
    - ``er_basis``, ``credibility`` (tier typical when missing; without followers, hence without a tier, the
      lowest of the tiers' typical values);
    - ``reach_post`` (reach of one regular placement: ``avg_reach``, else ``avg_views`` x unique-viewer
      share on view-counted platforms, else followers x reach rate), ``reach_story``;
    - ``price_<format>`` from the benchmark band's log-midpoint converted into the row currency,
      only for formats the platform sells; ``currency`` (``default_currency`` when missing);
    - ``<field>_estimated`` booleans for engagement_rate, er_basis, credibility, reach_post,
      reach_story, every price and currency. ER computed from measured likes counts as measured.
    """
    bench = bench or default_benchmarks()
    bounds = tuple(tier_bounds or bench.tier_bounds)
    out = df.copy(deep=False)

    plat = _codes(df, "platform", PLATFORMS)
    followers = _num(df, "followers")
    tier = tier_codes(followers, bounds)
    look = _Lookup(plat, tier)
    known_plat = plat >= 0
    out["tier"] = pd.Categorical.from_codes(tier, categories=list(TIERS), ordered=True)

    # ---- engagement rate
    conv = np.where(known_plat, _VIEWS_BASIS[np.where(known_plat, plat, 0)].astype(np.int16), -1)
    given_basis = _codes(df, "er_basis", ER_BASES)
    basis = np.where(given_basis >= 0, given_basis, conv)
    er_meas = _num(df, "engagement_rate")
    has_er = ~np.isnan(er_meas)
    computed = engagement_rate(_num(df, "avg_likes"), np.nan_to_num(_num(df, "avg_comments")), None,
                               followers, _num(df, "avg_views"), np.where(basis == 1, "views", "followers"))
    er = np.where(has_er, er_meas, computed)
    use_bench = np.isnan(er)
    bench_er = look(bench.er_median_table())
    er = np.where(use_bench, bench_er, er)
    er_est = use_bench & ~np.isnan(bench_er)
    basis = np.where(er_est, conv, basis)
    out["engagement_rate"] = er
    out["engagement_rate_estimated"] = er_est
    out["er_basis"] = _labels(ER_BASES, basis)
    out["er_basis_estimated"] = (basis >= 0) & (basis != given_basis)  # missing, or replaced with a benchmark's

    # ---- credibility (without a followers count there is no tier: the most cautious tier's typical value)
    cred = _num(df, "credibility")
    miss = np.isnan(cred)
    tiers_ok = tier >= 0
    by_tier = bench.credibility_table()
    typical = np.where(tiers_ok, by_tier[np.where(tiers_ok, tier, 0)], np.nanmin(by_tier))
    cred = np.where(miss, typical, cred)
    out["credibility"] = cred
    out["credibility_estimated"] = miss & ~np.isnan(cred)
    out["fraud_flag"] = cred < bench.fraud_threshold  # NaN compares False

    # ---- reach (one rule: format_reach), of the platform's main format and of a story
    main_fmt = np.array([PRIMARY_FORMAT[p] for p in PLATFORMS], dtype=object)[np.where(known_plat, plat, 0)]
    for col, fmt in (("reach_post", main_fmt), ("reach_story", "story")):
        reach, src = format_reach(df, fmt, bench, bounds)
        out[col] = reach
        out[f"{col}_estimated"] = (src != REACH_SOURCES.index("measured")) & ~np.isnan(reach)

    # ---- prices
    cur = _codes(df, "currency", CURRENCIES)
    cur_missing = cur < 0
    cur = np.where(cur_missing, CURRENCIES.index(default_currency), cur)
    rub = _fx_rub(fx)
    usd_to_row = rub[CURRENCIES.index("USD")] / rub[cur]
    if cur_missing.any():
        out["currency"] = _labels(CURRENCIES, cur)
    out["currency_estimated"] = cur_missing
    for fmt in FORMATS:
        col = f"price_{fmt}"
        meas = _num(df, col)
        est = look(bench.price_mid_table(fmt)) * usd_to_row
        price = np.where(np.isnan(meas), est, meas)
        out[col] = price
        out[f"{col}_estimated"] = np.isnan(meas) & ~np.isnan(price)
    return out


# --------------------------------------------------------------------------- fair price


@dataclass(frozen=True)
class FairPrice:
    """A quote compared with its tier's price band and with published CPM x impressions.

    Amounts are in ``currency``; ``implied_cpm`` is the quote per 1,000 expected impressions.
    ``verdict``: 'below' the expected range, 'fair' inside it, 'above' it, or 'far_above'
    (more than ``Benchmarks.far_above_factor`` x its high end); 'unknown' without a price or a range.
    """

    price: float
    currency: str
    platform: str
    tier: str
    format: str
    band_low: float
    band_high: float
    cpm_low: float
    cpm_high: float
    impressions: float
    fair_low: float
    fair_high: float
    implied_cpm: float
    implied_cpm_usd: float
    verdict: str


def _fair_arrays(price, usd_to_row, plat, tier, fmt: str, reach, bench: Benchmarks) -> dict[str, np.ndarray]:
    """Vectorised core of the fair-price check for one format."""
    look = _Lookup(plat, tier)
    lows = np.full((len(PLATFORMS), len(TIERS)), np.nan)
    highs = lows.copy()
    for i, p in enumerate(PLATFORMS):
        for j, t in enumerate(TIERS):
            b = bench.price_usd.get((p, t, fmt))
            if b is not None:
                lows[i, j], highs[i, j] = b.low, b.high
    band_low = look(lows) * usd_to_row
    band_high = look(highs) * usd_to_row
    cpm_lo = np.array([bench.cpm_usd[p].low if p in bench.cpm_usd else np.nan for p in PLATFORMS])
    cpm_hi = np.array([bench.cpm_usd[p].high if p in bench.cpm_usd else np.nan for p in PLATFORMS])
    known = plat >= 0
    pi = np.where(known, plat, 0)
    imps = np.asarray(impressions(reach, fmt, bench=bench), dtype=float) * np.ones_like(price)
    cpm_low = cost_at_cpm(np.where(known, cpm_lo[pi], np.nan), imps) * usd_to_row
    cpm_high = cost_at_cpm(np.where(known, cpm_hi[pi], np.nan), imps) * usd_to_row
    fair_low = np.fmin(band_low, cpm_low)
    fair_high = np.fmax(band_high, cpm_high)
    implied = np.asarray(cpm(price, imps), dtype=float) * np.ones_like(price)
    verdict = np.full(price.shape, VERDICTS.index("unknown"), dtype=np.int8)
    have = ~np.isnan(price) & ~np.isnan(fair_high)
    verdict[have & (price < fair_low)] = VERDICTS.index("below")
    verdict[have & (price >= fair_low) & (price <= fair_high)] = VERDICTS.index("fair")
    verdict[have & (price > fair_high)] = VERDICTS.index("above")
    verdict[have & (price > fair_high * bench.far_above_factor)] = VERDICTS.index("far_above")
    return dict(band_low=band_low, band_high=band_high, cpm_low=cpm_low, cpm_high=cpm_high, impressions=imps,
                fair_low=fair_low, fair_high=fair_high, implied_cpm=implied,
                implied_cpm_usd=implied / usd_to_row, verdict=verdict)


def fair_price(price: float, currency: str, platform: str, tier: str, format: str, reach: float | None = None,
               bench: Benchmarks | None = None, fx: Mapping[str, float] | None = None) -> FairPrice:
    """Is one quote fair? ``reach`` = expected reach of the placement (None: judge by the band only)."""
    bench = bench or default_benchmarks()
    rub = _fx_rub(fx)
    usd_to_row = np.array([rub[CURRENCIES.index("USD")] / rub[CURRENCIES.index(currency)]])
    plat = np.array([PLATFORMS.index(platform) if platform in PLATFORMS else -1])
    t = np.array([TIERS.index(tier) if tier in TIERS else -1])
    r = np.array([np.nan if reach is None else float(reach)])
    a = _fair_arrays(np.array([np.nan if price is None else float(price)]), usd_to_row, plat, t, format, r, bench)
    vals = {k: float(v[0]) for k, v in a.items() if k != "verdict"}
    return FairPrice(price=float(price) if price is not None else np.nan, currency=currency, platform=platform,
                     tier=tier, format=format, verdict=VERDICTS[int(a["verdict"][0])], **vals)


def fair_price_frame(df: pd.DataFrame, format: str = "post", bench: Benchmarks | None = None,
                     fx: Mapping[str, float] | None = None, tier_bounds: tuple[int, ...] | None = None,
                     default_currency: str = "RUB") -> pd.DataFrame:
    """Fair-price check of every row's ``price_<format>``, vectorised.

    Reach comes from ``reach_post`` (for the platform's primary format) or ``reach_story`` when the
    frame is enriched, else followers x the benchmark reach rate. Returns the columns of
    :class:`FairPrice` that vary by row, with ``verdict`` as a category, on ``df``'s index.
    """
    bench = bench or default_benchmarks()
    bounds = tuple(tier_bounds or bench.tier_bounds)
    plat = _codes(df, "platform", PLATFORMS)
    followers = _num(df, "followers")
    tier = tier_codes(followers, bounds)
    look = _Lookup(plat, tier)
    reach = followers * look(bench.reach_rate_table(format))
    if format == "story" and "reach_story" in df.columns:
        reach = np.where(np.isnan(_num(df, "reach_story")), reach, _num(df, "reach_story"))
    elif "reach_post" in df.columns:
        primary = np.array([PRIMARY_FORMAT[p] == format for p in PLATFORMS])
        is_primary = (plat >= 0) & primary[np.where(plat >= 0, plat, 0)]
        rp = _num(df, "reach_post")
        reach = np.where(is_primary & ~np.isnan(rp), rp, reach)
    cur = _codes(df, "currency", CURRENCIES)
    cur = np.where(cur < 0, CURRENCIES.index(default_currency), cur)
    rub = _fx_rub(fx)
    usd_to_row = rub[CURRENCIES.index("USD")] / rub[cur]
    a = _fair_arrays(_num(df, f"price_{format}"), usd_to_row, plat, tier, format, reach, bench)
    verdict = pd.Categorical.from_codes(a.pop("verdict"), categories=list(VERDICTS))
    res = pd.DataFrame(a, index=df.index)
    res["verdict"] = verdict
    return res
