"""From a campaign brief and the blogger database to an optimisation problem, and from a solution back to
a media plan a person can read: placements, unique reach each adds, totals, backups.

Reach of a placement (people in the target audience):
  measured reach of the format when the data has it, as it is; otherwise the benchmark estimate from
  followers (planner.estimates.metrics) times credibility; times the share of the audience inside the brief's target
  (only when the brief sets a target audience).
Audience pools: bloggers sharing a primary niche and a country share one pool (Sainsbury inside it); the
pool sizes are an editable assumption table (:func:`default_pool_sizes`).
Niche fit (RRR): topic match with the brief's niches (related niches count partly), audience match,
resonance (ER against its tier-and-platform benchmark) and credibility, a score in [0, 1].
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.core import audience, money, units
from planner.core.schema import AGE_BUCKETS, CHILDREN_UNSAFE, FORMATS, PLATFORMS, RESTRICTED_CATEGORIES
from planner.estimates import benchmarks, metrics
from planner.planning import barter, optimiser, reach
from planner.planning.brief import (  # noqa: F401 - the brief's names, read through this module by callers
    BRIEF_ERRORS,
    CATEGORIES,
    DEFAULT_RATES,
    GOALS,
    NICHE_MODES,
    BloggerList,
    Brief,
    BriefError,
)
from planner.planning.placement import (  # noqa: F401 - read through this module by callers
    RELATED_NICHES,
    expected_clicks,
    expected_engagements,
    expected_orders,
    in_brief_niches,
    placement_reach,
    topic_score,
)

# Where a placement's price comes from: the blogger's own quote, or a benchmark estimate (opt-in only).
PRICE_SOURCES: tuple[str, ...] = ("quote", "estimate")
REACH_SOURCES = benchmarks.REACH_SOURCES
# Formats a platform sells (a candidate exists only where the blogger has a price for it, measured or estimated).
PLATFORM_FORMATS = benchmarks.PLATFORM_FORMATS

# Online population (people) by country: the base of a pool. Editable assumption (rounded public estimates).
COUNTRY_POPULATION: dict[str, float] = {
    "RU": 110e6, "KZ": 15e6, "BY": 7.5e6, "UZ": 25e6, "AM": 2.5e6, "GE": 3e6, "KG": 4e6, "UA": 30e6,
    "US": 300e6, "DE": 75e6, "TR": 70e6, "AE": 9e6, "IL": 8e6, "GB": 60e6,
}
OTHER_COUNTRY_POPULATION = 10e6
# Share of the online population interested in a niche: the pool is population x this. Editable assumption.
NICHE_INTEREST: dict[str, float] = {
    "beauty": 0.30, "fashion": 0.30, "food": 0.45, "travel": 0.30, "tech": 0.25, "parenting": 0.15, "fitness": 0.25,
    "gaming": 0.25, "finance": 0.20, "auto": 0.20, "lifestyle": 0.50, "education": 0.30, "music": 0.50,
    "humor": 0.50, "health": 0.30, "pets": 0.25, "home": 0.30, "sport": 0.30, "business": 0.15, "art": 0.15,
}
OTHER_NICHE_INTEREST = 0.2
# Population shares used when a blogger has no audience data (neutral priors).
DEFAULT_FEMALE = 0.5
DEFAULT_AGE = {"13_17": 0.08, "18_24": 0.22, "25_34": 0.32, "35_44": 0.22, "45_plus": 0.16}
FIT_WEIGHTS = {"topic": 0.5, "audience": 0.2, "resonance": 0.2, "credibility": 0.1}


@dataclass
class Candidates:
    """Placements the optimiser may choose from, one row per (blogger, format) or package."""

    frame: pd.DataFrame  # row per candidate: blogger position, id, handle, platform, format, cost, reach, fit, pool
    problem: optimiser.Problem
    pool_names: list[str]
    pool_sizes: dict[str, float]  # people in the pool inside the target (what the model uses)
    base_pool_sizes: dict[str, float] = field(default_factory=dict)  # niche audience before the target share
    members: list[tuple[int, ...]] | None = None
    # pools the model raised above the assumption (to 1.25 x their largest placement): pool -> (assumed, used)
    raised_pools: dict[str, tuple[float, float]] = field(default_factory=dict)
    skipped_estimated: int = 0  # placements left out because their price is only an estimate


# ---- eligibility -------------------------------------------------------------------------------------------
def eligible(df: pd.DataFrame, brief: Brief) -> np.ndarray:
    """Bloggers the brief allows: platform, credibility, brand safety for the product category."""
    m = np.ones(len(df), dtype=bool)
    if brief.platforms:
        m &= df["platform"].isin(brief.platforms).to_numpy()
    cred = df["credibility"].to_numpy(dtype=float, na_value=np.nan)
    # no credibility data: does not pass a credibility floor unless the brief includes such bloggers (as the Database
    # page's filter); an enriched frame holds a benchmark estimate for them, marked credibility_estimated
    m &= np.nan_to_num(cred, nan=0.0) >= brief.min_credibility - 1e-9
    if brief.min_credibility > 0 and not brief.include_unknown_credibility and "credibility_estimated" in df:
        m &= ~df["credibility_estimated"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    cat = brief.category
    if cat in RESTRICTED_CATEGORIES:
        # a blogger who advertises a restricted category is a brand-safety risk for that category
        m &= ~df[f"ad_{cat}"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if cat == "children":
        for col in CHILDREN_UNSAFE:
            m &= ~df[col].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if brief.must_exclude:
        m &= ~df["id"].isin(brief.must_exclude).to_numpy()
    return m


# ---- audience ----------------------------------------------------------------------------------------------
def target_share(df: pd.DataFrame, brief: Brief) -> np.ndarray:
    """Share of each blogger's audience inside the brief's target (1 when the brief sets none)."""
    n = len(df)
    share = np.ones(n)
    if brief.countries:
        wanted = {c.upper() for c in brief.countries}
        shares = audience.country_shares(df["audience_countries"])
        s = np.zeros(n)
        for code in wanted & set(shares):
            s += shares[code]
        s = np.minimum(s, 1.0)
        no_data = ~audience.has_countries(df["audience_countries"])
        home = df["country"].astype("string").fillna("").str.upper().isin(wanted).to_numpy()
        s = np.where(no_data, np.where(home, 0.8, 0.05), s)
        share *= s
    if brief.gender in ("female", "male"):
        f = df["audience_female"].to_numpy(dtype=float, na_value=np.nan)
        f = np.where(np.isnan(f), DEFAULT_FEMALE, f)
        share *= f if brief.gender == "female" else 1.0 - f
    if brief.ages:
        ages = np.zeros(n)
        known = np.zeros(n)
        for b in AGE_BUCKETS:
            col = df[f"audience_age_{b}"].to_numpy(dtype=float, na_value=np.nan)
            known += np.nan_to_num(col)
            if b in brief.ages:
                ages += np.nan_to_num(col)
        prior = sum(DEFAULT_AGE[b] for b in brief.ages)
        share *= np.where(known > 0, ages / np.where(known > 0, known, 1.0), prior)
    return np.clip(share, 0.0, 1.0)


def primary_niche(df: pd.DataFrame) -> pd.Series:
    return df["niches"].astype("string").fillna("").str.split(";").str[0].fillna("").replace("", "other")


def niche_match(niches: pd.Series, wanted: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """For each blogger (their "main;other" niches): the first of the brief's niches they have ("" when none, or
    when the brief names no niche) and whether it is their main niche (True when the brief names none)."""
    parts = niches.astype("string").fillna("").str.split(";")
    want = [str(n) for n in wanted]
    match = np.array([next((n for n in (x or []) if n in want), "") if want else "" for x in parts], dtype=object)
    main = np.array([(x[0] if x else "") for x in parts], dtype=object)
    primary = np.where(match == "", not want, match == main) if want else np.ones(len(parts), dtype=bool)
    return match, primary.astype(bool)


def fit_scores(df: pd.DataFrame, brief: Brief, target: np.ndarray, bench: benchmarks.Benchmarks | None = None,
               tier_bounds: Sequence[int] | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Niche fit in [0, 1] per blogger and its parts (topic, audience, resonance, credibility)."""
    bench = bench or benchmarks.Benchmarks.default()
    topic = topic_score(df, brief)
    audience = np.clip(target / 0.6, 0.0, 1.0) if brief.has_target else np.ones(len(df))
    tiers = benchmarks.tier_codes(df["followers"].to_numpy(dtype=float), tuple(tier_bounds or
                                                                                benchmarks.DEFAULT_TIER_BOUNDS))
    plat = pd.Categorical(df["platform"], categories=list(PLATFORMS)).codes
    med = bench.er_median_table()  # [platform, tier] percent
    # no followers, no tier: no expected ER to compare with (resonance neutral), never the last tier's
    expected = np.where((plat >= 0) & (tiers >= 0), med[np.clip(plat, 0, None), np.clip(tiers, 0, None)], np.nan)
    er = df["engagement_rate"].to_numpy(dtype=float, na_value=np.nan)
    resonance = np.clip(np.nan_to_num(er / np.where(expected > 0, expected, np.nan), nan=0.5) / 2.0, 0.0, 1.0)
    cred = df["credibility"].to_numpy(dtype=float, na_value=np.nan)
    credibility = np.clip((np.nan_to_num(cred, nan=benchmarks.UNKNOWN_CREDIBILITY) - 0.5) / 0.5, 0.0, 1.0)
    parts = {"topic": topic, "audience": audience, "resonance": resonance, "credibility": credibility}
    fit = sum(FIT_WEIGHTS[k] * v for k, v in parts.items())
    # no topic match means no niche value, however good the rest
    fit = np.where(topic > 0, fit, 0.0)
    return np.clip(fit, 0.0, 1.0), parts


# ---- pools -------------------------------------------------------------------------------------------------
def target_region(brief: Brief) -> str | None:
    """The brief's target countries as one pool region ("KZ+RU"), or None when it targets no country."""
    if not brief.countries:
        return None
    return "+".join(sorted({c.strip().upper() for c in brief.countries if c.strip()}))


def pool_key(df: pd.DataFrame, brief: Brief | None = None) -> pd.Series:
    """Audience pool of each blogger: primary niche x where the counted people live.

    Without target countries that is the blogger's own country. With them, only the people in the target
    countries are counted (reach x the audience share there), so the pool is the niche's audience *in the
    target region*: a Kazakh blogger's Russian viewers share the Russian pool with Russian bloggers, and a
    Russian blogger's Kazakh viewers are not counted in it at all.
    """
    region = target_region(brief) if brief is not None else None
    if region:
        return primary_niche(df) + "/" + region
    country = df["country"].astype("string").fillna("").str.upper().replace("", "XX")
    return primary_niche(df) + "/" + country


def default_pool_size(key: str) -> float:
    """People interested in the niche in the pool's country (or the sum over a region "KZ+RU")."""
    niche, _, region = key.partition("/")
    people = sum(COUNTRY_POPULATION.get(c, OTHER_COUNTRY_POPULATION) for c in region.split("+"))
    return people * NICHE_INTEREST.get(niche, OTHER_NICHE_INTEREST)


def default_pool_sizes(keys: Sequence[str]) -> dict[str, float]:
    return {k: default_pool_size(k) for k in sorted(set(keys))}


def target_universe_share(brief: Brief) -> float:
    """Share of a pool's population inside the brief's demographic target (gender and age priors)."""
    share = 1.0
    if brief.gender in ("female", "male"):
        share *= DEFAULT_FEMALE
    if brief.ages:
        share *= sum(DEFAULT_AGE[b] for b in brief.ages)
    return share


# ---- candidates --------------------------------------------------------------------------------------------
def build_candidates(df: pd.DataFrame, brief: Brief, *, bench: benchmarks.Benchmarks | None = None,
                     measured_reach_as_is: bool = True) -> Candidates:
    """Candidates for the optimiser from an *enriched* blogger frame (planner.estimates.metrics.enrich): the
    bloggers of the brief's list (the caller reads them: planner.app.bloggers). Everything else comes from the
    brief alone: its exchange rates (``fx``), tier bounds, pool-size overrides and measured pairwise overlaps
    (``overlaps``: share of the smaller audience, overriding the pool model for those pairs).
    """
    fx = brief.fx
    tier_bounds = brief.tier_bounds
    pool_sizes = brief.pool_sizes
    needed = ("niches", "country", "audience_countries", "audience_female", "name", "credibility", "avg_views",
              "engagement_rate", *(f"audience_age_{b}" for b in AGE_BUCKETS), *(f"price_{f}" for f in FORMATS),
              "flag_profanity", "ad_alcohol", "ad_gambling", "ad_pharma", "ad_tobacco", "currency")
    absent = [c for c in needed if c not in df.columns]
    if absent:  # a partial frame: the missing figures are unknown, not an error
        df = df.assign(**{c: pd.Series([None] * len(df), dtype=object, index=df.index) for c in absent})
    rates = money.Rates.of(fx)
    try:
        rates.rate(brief.currency)
    except money.UnknownCurrency as exc:
        raise BriefError("currency", value=brief.currency) from exc
    missing = [i for i in brief.must_include if i not in set(df["id"].tolist())]
    if missing:
        raise BriefError("must_missing", names=", ".join(map(str, missing)))
    ok = eligible(df, brief)
    forced = df["id"].isin(brief.must_include).to_numpy()
    blocked = forced & ~ok
    if blocked.any():
        names = ", ".join("@" + h for h in df.loc[blocked, "handle"].astype(str).head(5))
        raise BriefError("must_excluded", names=names)
    if brief.niche_mode == "only":
        ok &= in_brief_niches(df, brief) | forced
    pos = np.flatnonzero(ok)
    sub = df.iloc[pos].reset_index(drop=True)
    target = target_share(sub, brief)
    fit, _parts = fit_scores(sub, brief, target, bench, tier_bounds)
    keys = pool_key(sub, brief)
    cred = np.nan_to_num(sub["credibility"].to_numpy(dtype=float, na_value=np.nan), nan=benchmarks.UNKNOWN_CREDIBILITY)
    try:  # prices in each row's currency (enrich fills a missing one with the default) -> the brief's
        to_brief = rates.factors(sub["currency"].astype(object).to_numpy(), brief.currency, default="RUB")
    except money.UnknownCurrency as exc:
        raise BriefError("currency", value=str(exc).split("'")[1] if "'" in str(exc) else "?") from None
    followers_src = REACH_SOURCES.index("followers")
    measured_src = REACH_SOURCES.index("measured")
    rows: list[pd.DataFrame] = []
    allowed_formats = set(brief.formats or FORMATS)
    skipped_estimates = 0
    for fmt in FORMATS:
        if fmt not in allowed_formats:
            continue
        price = sub[f"price_{fmt}"].to_numpy(dtype=float, na_value=np.nan) * to_brief
        est_col = f"price_{fmt}_estimated"
        price_est = (sub[est_col].astype("boolean").fillna(False).to_numpy(dtype=bool) if est_col in sub
                     else np.zeros(len(sub), dtype=bool))
        sells = sub["platform"].map(lambda p, f=fmt: f in PLATFORM_FORMATS.get(p, ())).to_numpy(dtype=bool)
        base, src = metrics.format_reach(sub, fmt, bench, tuple(tier_bounds) if tier_bounds else None)
        # credibility discounts reach estimated from followers (bots follow but do not read); a measured
        # reach, or one derived from measured views, is taken as it is
        discount = (src == followers_src) if measured_reach_as_is else np.ones(len(sub), dtype=bool)
        r = base * np.where(discount, cred, 1.0)
        if brief.has_target:
            r = r * target
        priced = sells & np.isfinite(price) & (price > 0) & np.isfinite(r) & (r >= 1.0)
        if not brief.allow_estimated_prices:
            skipped_estimates += int((priced & price_est).sum())
            priced &= ~price_est  # quoted prices only, unless the user asks otherwise
        if not priced.any():
            continue
        idx = np.flatnonzero(priced)
        rows.append(pd.DataFrame({
            "pos": pos[idx], "id": sub["id"].to_numpy()[idx], "handle": sub["handle"].astype(str).to_numpy()[idx],
            "platform": sub["platform"].astype(str).to_numpy()[idx], "format": fmt, "cost": price[idx],
            "reach": r[idx], "fit": fit[idx], "pool": keys.to_numpy()[idx],
            "reach_estimated": src[idx] != measured_src,
            "reach_source": np.asarray(REACH_SOURCES, dtype=object)[src[idx]],
            "price_estimated": price_est[idx],
            "price_source": np.where(price_est[idx], "estimate", "quote").astype(object),
            "target_share": target[idx],
        }))
    if not rows:
        raise BriefError("only_estimates", n=skipped_estimates) if skipped_estimates else BriefError("no_candidates")
    cand = pd.concat(rows, ignore_index=True)
    if brief.max_share is not None:
        cap = brief.max_share * brief.budget
        too_dear = (cand["cost"] > cap * (1 + 1e-9)) & ~cand["id"].isin(brief.must_include)
        cand = cand[~too_dear].reset_index(drop=True)
    if cand.empty:
        raise BriefError("max_share")
    pool_names = sorted(cand["pool"].unique().tolist())
    sizes = default_pool_sizes(pool_names)
    if pool_sizes:
        sizes.update({k: float(v) for k, v in pool_sizes.items() if k in sizes and v and v > 0})
    universe = target_universe_share(brief)
    pool_ix = {k: i for i, k in enumerate(pool_names)}
    cand["pool_id"] = cand["pool"].map(pool_ix).astype(np.int64)
    assumed = np.array([sizes[k] * universe for k in pool_names], dtype=float)
    # a pool holds at least 1.25 x its largest placement (the model needs reach below the pool size); a pool
    # raised that way is reported (Candidates.raised_pools), never silent
    max_r = np.zeros(len(pool_names))
    np.maximum.at(max_r, cand["pool_id"].to_numpy(), cand["reach"].to_numpy())
    size_arr = np.maximum(assumed, 1.25 * max_r)
    raised = {k: (float(a), float(u)) for k, a, u in zip(pool_names, assumed, size_arr, strict=True) if u > a}
    blogger_codes, _ = pd.factorize(cand["id"])
    platform_codes = pd.Categorical(cand["platform"], categories=list(PLATFORMS)).codes.astype(np.int64)
    members = None
    if brief.allow_packages:
        pk = reach.package_candidates(cand["cost"].to_numpy(), cand["reach"].to_numpy(), cand["fit"].to_numpy(),
                                      blogger_codes, platform_codes, cand["pool_id"].to_numpy(),
                                      in_blogger_overlap=0.8, max_formats=3)
        members = pk.members
        extra = []
        rank = {name: i for i, name in enumerate(REACH_SOURCES)}
        for row_members in pk.members[len(cand):]:
            parts = cand.iloc[list(row_members)]
            base_row = parts.iloc[0].copy()
            base_row["format"] = "+".join(parts["format"])
            # a package is as good as its weakest figure: estimated if any part is
            base_row["price_estimated"] = bool(parts["price_estimated"].any())
            base_row["price_source"] = "estimate" if base_row["price_estimated"] else "quote"
            base_row["reach_source"] = max(parts["reach_source"], key=lambda x: rank.get(x, len(rank)))
            base_row["reach_estimated"] = bool(parts["reach_estimated"].any())
            extra.append(base_row)
        if extra:
            ext = pd.DataFrame(extra)
            ext["cost"] = pk.cost[len(cand):]
            ext["reach"] = pk.reach[len(cand):]
            ext["fit"] = pk.fit[len(cand):]
            cand = pd.concat([cand, ext], ignore_index=True)
        blogger_codes = pk.blogger
        platform_codes = pk.platform
    # deals: every row so far is paid; a product budget adds barter and hybrid rows (planner.planning.barter)
    cand, blogger_codes, platform_codes = barter.deal_candidates(cand, df, brief, np.asarray(blogger_codes),
                                                                 np.asarray(platform_codes))
    # a lock means "this blogger is in the plan": the optimiser chooses their format, package and deal (paid, barter,
    # hybrid) like everybody else's, and its bound covers that choice; a locked blogger with nothing to book (no
    # quoted price for the allowed formats) is said, never dropped
    unpriced = sorted(set(brief.must_include) - set(cand["id"].tolist()))
    if unpriced:
        names = ", ".join("@" + h for h in df.loc[df["id"].isin(unpriced), "handle"].astype(str).head(5))
        raise BriefError("must_unpriced", names=names)
    locked = np.unique(np.asarray(blogger_codes, dtype=np.int64)[cand["id"].isin(brief.must_include).to_numpy()])
    pair_list = _overlap_pairs(cand, brief.overlaps)
    bounds = {PLATFORMS.index(p): (lo, hi) for p, (lo, hi) in brief.platform_bounds.items() if p in PLATFORMS}
    problem = optimiser.Problem(
        cost=cand["cost"].to_numpy(dtype=float), reach=cand["reach"].to_numpy(dtype=float),
        fit=cand["fit"].to_numpy(dtype=float), pool=cand["pool_id"].to_numpy(dtype=np.int64),
        blogger=np.asarray(blogger_codes, dtype=np.int64), platform=np.asarray(platform_codes, dtype=np.int64),
        pool_size=size_arr, budget=float(brief.budget), must_bloggers=locked.tolist(), must_out=(),
        max_share=brief.max_share, platform_bounds=bounds, overlaps=pair_list or None,
        labels=("@" + cand["handle"] + " " + cand["format"]
                + np.where(cand["deal"] == "paid", "", " (" + cand["deal"] + ")")).tolist(),
        platform_names=dict(enumerate(PLATFORMS)),
        units=cand["product_units"].to_numpy(dtype=float) if brief.mixed else None,
        units_budget=float(brief.product_units) if brief.mixed else None,
    )
    return Candidates(frame=cand, problem=problem, pool_names=pool_names,
                      pool_sizes={k: float(s) for k, s in zip(pool_names, size_arr, strict=True)},
                      base_pool_sizes={k: float(sizes[k]) for k in pool_names}, members=members,
                      raised_pools=raised, skipped_estimated=skipped_estimates)


def reuse_candidates(base: Candidates, base_brief: Brief, brief: Brief) -> Candidates | None:
    """``brief``'s candidates taken from ``base`` (built for ``base_brief``) without building them again, when they
    would come out the same: the briefs differ only in their locks, their budget, the reach weight and the outcome
    rates (the same kick-outs and everything else); there is no cap per placement (a cap is a share of the budget,
    and a locked blogger keeps the formats above it); in "only these niches" mode with niches or keywords no lock is
    taken away (a lock brings its blogger in whatever their niche); every locked blogger already has a candidate in
    ``base``. Then only the problem's budget and locked set change (a new Problem: nothing cached on ``base``'s is
    reused). None otherwise: build them (:func:`build_candidates`)."""
    ignore = ("must_include", "budget", "reach_weight", "rates")
    if base_brief.fingerprint(without=ignore) != brief.fingerprint(without=ignore) or brief.max_share is not None:
        return None
    new, old = {int(i) for i in brief.must_include}, {int(i) for i in base_brief.must_include}
    if brief.niche_mode == "only" and (brief.niches or brief.keywords) and not old <= new:
        return None
    ids = base.frame["id"]
    if not new <= {int(i) for i in ids.tolist()}:
        return None
    locked = np.unique(np.asarray(base.problem.blogger, dtype=np.int64)[ids.isin(list(new)).to_numpy()])
    problem = dataclasses.replace(base.problem, budget=float(brief.budget), must_bloggers=locked.tolist())
    return dataclasses.replace(base, problem=problem)


class OverlapError(ValueError):
    """A measured-overlap file that cannot be used (the message names the row and column)."""


# The header names of an overlap file, besides those the importer knows for a blogger ("Блогер", "Ник", ...):
# read_table takes the row that names them for the header.
_OVERLAP_HEADERS: tuple[str, ...] = (
    "handle_a", "handle_b", "handle 1", "handle 2", "blogger_a", "blogger_b", "overlap", "overlap share",
    "audience overlap", "shared audience", "пересечение", "пересечение аудитории", "доля пересечения",
    "общая аудитория",
)


def read_overlaps(data: bytes, filename: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Measured pairwise audience overlaps from a CSV/XLSX: two handle columns and the overlap as a share
    of the smaller audience ("35 %", "0.35" or "35"). Returns ``id_a, id_b, overlap`` for ``build_candidates``.
    Pairs naming a blogger that is not in ``frame`` are skipped; a bad value raises with its row and column.
    The file is read as every other file is (planner.ingest.read_table: encodings, delimiters, workbooks, title
    rows above the header, size limits); rows are the spreadsheet's."""
    from planner import ingest
    try:
        raw = ingest.read_table(data, filename, header_names=_OVERLAP_HEADERS)
    except ingest.UnreadableFile as exc:
        if exc.code == "no_columns":  # no header names two bloggers and an overlap
            raise OverlapError("the overlap file needs three columns: handle_a, handle_b, overlap") from None
        raise OverlapError(f"the overlap file cannot be read: {exc}") from None
    if raw.shape[1] < 3:
        raise OverlapError("the overlap file needs three columns: handle_a, handle_b, overlap")
    cols = list(raw.columns)
    lower = {str(c).strip().lower(): c for c in cols}
    a_col = lower.get("handle_a", cols[0])
    b_col = lower.get("handle_b", cols[1])
    o_col = lower.get("overlap", cols[2])
    values, bad = ingest.parse_percent(raw[o_col])
    rows = list(raw.index)
    wrong = np.flatnonzero(bad | (np.nan_to_num(values, nan=0.0) < 0))
    if len(wrong):
        i = int(wrong[0])
        raise OverlapError(f"row {rows[i]}, column {o_col!r}: not an overlap share: {raw[o_col].iloc[i]!r}")
    share = values / 100.0  # parse_percent gives percent units ("35 %", "35" and "0.35" all -> 35)
    above = np.flatnonzero(np.nan_to_num(share, nan=0.0) > 1)
    if len(above):
        raise OverlapError(f"row {rows[int(above[0])]}, column {o_col!r}: overlap above 100 %")
    ids = dict(zip(frame["handle"].astype(str).str.lower(), frame["id"].astype(int), strict=False))

    def key(v: object) -> str:
        return str(v).strip().lstrip("@").lower()

    out = [(ids[key(a)], ids[key(b)], float(o)) for a, b, o in zip(raw[a_col], raw[b_col], share, strict=True)
           if key(a) in ids and key(b) in ids and np.isfinite(o)]
    return pd.DataFrame(out, columns=["id_a", "id_b", "overlap"])


def overlap_triples(overlaps: pd.DataFrame | None) -> tuple[tuple[int, int, float], ...]:
    """Measured overlaps read by :func:`read_overlaps` as the brief keeps them: (id, id, share)."""
    if overlaps is None or overlaps.empty:
        return ()
    cols = overlaps[["id_a", "id_b", "overlap"]]
    return tuple((int(a), int(b), float(o)) for a, b, o in cols.itertuples(index=False))


def _overlap_pairs(cand: pd.DataFrame, overlaps: Sequence[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    if not overlaps:
        return []
    rows_by_id: dict[Any, list[int]] = {}
    for i, bid in enumerate(cand["id"].tolist()):
        rows_by_id.setdefault(bid, []).append(i)
    pairs = []
    for a, b, o in overlaps:
        for i in rows_by_id.get(a, []):
            for k in rows_by_id.get(b, []):
                if i != k:
                    pairs.append((min(i, k), max(i, k), float(o)))
    return pairs


# ---- the plan a person reads -------------------------------------------------------------------------------
@dataclass
class PlanResult:
    solution: optimiser.Solution
    placements: pd.DataFrame  # one row per chosen placement
    totals: dict[str, Any]  # numbers, and the status key
    brief: Brief
    candidates: Candidates


# Which brief a plan's normalisers (``unique_reach_max``, ``niche_value_max``) and their bounds in people
# (``unique_reach_bound``, ``niche_value_bound``) were computed for: this very brief; the same brief without its
# locks and kick-outs; the same brief with other locks and kick-outs (see :func:`resolve`); or given by the
# caller (bounds unknown).
NORMALISER_SOURCES: tuple[str, ...] = ("brief", "without_locks", "other_locks", "given")
_NORMALISER_INFO = ("unique_reach_max", "niche_value_max", "unique_reach_bound", "niche_value_bound",
                    "normalisers_certified")


def _locks(brief: Brief) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The brief's locks and kick-outs, in a canonical order."""
    return tuple(sorted(int(i) for i in brief.must_include)), tuple(sorted(int(i) for i in brief.must_exclude))


def same_but_locks(a: Brief, b: Brief) -> bool:
    """Whether two briefs differ at most in their locks and kick-outs (``must_include`` / ``must_exclude``), the
    reach weight and the outcome rates: the same candidates but for those bloggers, the same objective's terms."""
    ignore = ("must_include", "must_exclude", "reach_weight", "rates")
    return a.fingerprint(without=ignore) == b.fingerprint(without=ignore)


def solve(cands: Candidates, brief: Brief, *, normalisers: tuple[float, float] | None = None,
          starts: Sequence[Sequence[int] | np.ndarray] = (), time_limit: float = 10.0) -> optimiser.Solution:
    """The best plan for the brief (optimiser.solve); ``starts`` are plans (rows of ``cands.frame``) to start
    the search from. Normalisers computed here are marked as this brief's (``info["normalisers_locks"]``)."""
    sol = optimiser.solve(cands.problem, brief.reach_weight, normalisers=normalisers, starts=starts,
                          time_limit=time_limit)
    if "unique_reach_max" in sol.info:  # computed for this very problem
        sol.info["normalisers_locks"] = _locks(brief)
    return sol


def carry_plan(old: Candidates, chosen: Sequence[int] | np.ndarray, new: Candidates) -> np.ndarray:
    """The placements ``chosen`` (rows of ``old.frame``) as rows of ``new.frame``: the same blogger, format and
    deal. Placements ``new`` does not have (a kicked-out blogger) are left out."""
    rows = np.asarray(chosen, dtype=np.int64)
    if not rows.size or new.frame.empty:
        return np.zeros(0, dtype=np.int64)
    # a placement is a blogger, a format and a deal (paid, barter or hybrid: a mixed plan has all three)
    keys = [c for c in ("id", "format", "deal") if c in new.frame and c in old.frame]
    where = {k: i for i, k in enumerate(zip(*(new.frame[c].tolist() for c in keys), strict=True))}
    at = [where[k] for k in zip(*(old.frame[c].to_numpy()[rows].tolist() for c in keys), strict=True) if k in where]
    return np.unique(np.asarray(at, dtype=np.int64))


def resolve(cands: Candidates, brief: Brief, *, previous: optimiser.Solution, previous_brief: Brief,
            previous_candidates: Candidates, starts: Sequence[Sequence[int] | np.ndarray] = (),
            time_limit: float = 10.0) -> optimiser.Solution:
    """The plan again after a lock, a kick-out or a new reach weight: ``brief`` is ``previous_brief`` but for
    those (else a fresh :func:`solve`); ``cands`` and ``previous_candidates`` are built from the same bloggers
    and assumptions.

    A lock is the blogger, not one of their placements (``Problem.must_bloggers``): the optimiser chooses their
    format, package and deal as for anybody else, and the plan's bound covers that choice. The previous plan's
    normalisers are kept (they only scale the two terms: the blend's certificate holds for any positive pair, so
    the objective and bound stay comparable between the two plans) and its placements, minus the kicked, are the
    search's start (a newly locked blogger is added to it by the repair, their best placement that fits, and the
    search goes on from there; ``starts``: more plans of ``cands`` to start from, e.g. a quick answer's). A lock
    of a blogger the plan already books, or a kick-out of one it does not, changes nothing: the previous plan is
    returned at once with its certificate (``optimiser.carried``: its bound covers the narrower brief). The
    normalisers' certificates (``unique_reach_max``,
    ``unique_reach_bound``, ...) then belong to the brief they were computed for, and say so
    (``info["normalisers_locks"]``, reported by :func:`describe` as ``normalisers_source``).
    """
    if not same_but_locks(previous_brief, brief):
        return solve(cands, brief, starts=starts, time_limit=time_limit)
    start = carry_plan(previous_candidates, previous.chosen, cands)
    if (previous.reach_weight == brief.reach_weight and len(start) == len(previous.chosen)
            and np.array_equal(start, np.sort(np.asarray(previous.chosen, dtype=np.int64)))):
        # the same placements at the same rows: a lock of a blogger the plan books (or a kick-out of one it does
        # not) needs no search, the plan and its certificate hold (optimiser.carried checks it)
        kept = optimiser.carried(previous_candidates.problem, previous, cands.problem)
        if kept is not None:
            return kept
    sol = solve(cands, brief, normalisers=previous.normalisers, starts=[start, *starts], time_limit=time_limit)
    if "unique_reach_max" not in sol.info:  # the previous plan's normalisers, with their certificates
        sol.info.update({k: previous.info[k] for k in (*_NORMALISER_INFO, "normalisers_locks")
                         if k in previous.info})
    return sol


def normalisers_source(sol: optimiser.Solution, brief: Brief) -> str:
    """For which brief the plan's normalisers were computed (:data:`NORMALISER_SOURCES`)."""
    locks = sol.info.get("normalisers_locks")
    if locks is None:
        return "brief" if "unique_reach_max" in sol.info else "given"
    locks = (tuple(locks[0]), tuple(locks[1]))
    if locks == _locks(brief):
        return "brief"
    return "without_locks" if locks == ((), ()) else "other_locks"


def absorbable(cands: Candidates) -> float:
    """The most cash the candidate list can take: every blogger in their dearest paid placement (one placement per
    blogger). A budget above it cannot be spent on this list, whatever the plan (the page and the command say so)."""
    cand = cands.frame
    if cand.empty:
        return 0.0
    paid = cand[cand["deal"] == "paid"] if "deal" in cand else cand
    return float(paid.groupby("id", sort=False)["cost"].max().sum()) if len(paid) else 0.0


def describe(cands: Candidates, sol: optimiser.Solution, brief: Brief, df: pd.DataFrame) -> PlanResult:
    """Placements with the unique reach each adds, CPM on unique reach, expected engagements and actions."""
    cand = cands.frame
    chosen = np.asarray(sol.chosen, dtype=np.int64)
    rows = cand.iloc[chosen].copy()
    order = np.argsort(-rows["reach"].to_numpy(), kind="stable")
    rows = rows.iloc[order]
    chosen = chosen[order]
    pb = cands.problem
    adds = reach.reach_curve(pb.reach[chosen], pb.pool[chosen], pb.pool_size,
                             overlaps=_local_pairs(pb.overlaps, chosen))
    rows["unique_reach_added"] = adds
    rows["cand"] = chosen
    imps = np.asarray(metrics.impressions(rows["reach"].to_numpy(dtype=float), rows["format"].astype(str).to_numpy()),
                      dtype=float).reshape(len(rows))
    rows["impressions"] = imps
    rows["cpm_unique"] = np.asarray(metrics.cpm(rows["cost"].to_numpy(dtype=float), adds), dtype=float)
    src = df.iloc[rows["pos"].to_numpy()]
    rows["engagements"] = expected_engagements(src["engagement_rate"].to_numpy(dtype=float, na_value=np.nan),
                                               rows["reach"].to_numpy())
    rows["tier"] = [benchmarks.tier_of(f) for f in src["followers"]]
    rows["followers"] = src["followers"].to_numpy()
    # which of the brief's niches brought the blogger in, and whether it is their main niche or a secondary one
    rows["niche_match"], rows["niche_primary"] = niche_match(src["niches"] if "niches" in src else
                                                             pd.Series([""] * len(src)), brief.niches)
    rows = rows.reset_index(drop=True)
    cost = float(rows["cost"].sum())
    impressions = float(imps.sum())
    unique = float(sol.unique_reach)
    rates = {**DEFAULT_RATES, **(brief.rates or {})}
    clicks = float(expected_clicks(impressions, rates))
    price_est = rows["price_estimated"].to_numpy(dtype=bool) if "price_estimated" in rows else np.zeros(len(rows), bool)
    reach_est = rows["reach_estimated"].to_numpy(dtype=bool) if "reach_estimated" in rows else np.zeros(len(rows), bool)
    estimated_cost = float(rows["cost"].to_numpy(dtype=float)[price_est].sum())
    info = sol.info or {}
    totals = {
        "cost": cost, "unique_reach": unique, "gross_reach": float(rows["reach"].sum()), "impressions": impressions,
        "frequency": impressions / unique if unique > 0 else 0.0,
        "cpm": float(np.nan_to_num(metrics.cpm(cost, impressions))),
        "cpm_unique": float(np.nan_to_num(metrics.cpm(cost, unique))),
        # how much of the plan rests on estimates (shown beside the totals, exported, stored)
        "quoted_cost": cost - estimated_cost, "estimated_cost": estimated_cost,
        "estimated_cost_share": estimated_cost / cost if cost > 0 else 0.0,
        "estimated_reach": float(rows["reach"].to_numpy(dtype=float)[reach_est].sum()),
        "estimated_price_placements": int(price_est.sum()),
        "engagements": float(rows["engagements"].sum()), "niche_value": float(sol.niche_value),
        "clicks": clicks, "orders": clicks * rates["conversion"], "leads": clicks * rates["lead_rate"],
        # None where there is no order or lead to divide by (totals are stored as JSON with a saved campaign)
        "cost_per_order": _finite_or_none(metrics.cpa(cost, clicks * rates["conversion"])),
        "cost_per_lead": _finite_or_none(metrics.cpl(cost, clicks * rates["lead_rate"])),
        "objective": float(sol.objective), "upper_bound": float(sol.upper_bound), "gap": float(sol.gap),
        "gap_target": float(sol.gap_target), "status": str(sol.status),
        # the two normalisers (best unique reach and best niche value found for a brief, each term alone) and
        # their certified bounds in people (no plan under that brief can do better), and which brief that was:
        # this one, or the same without its locks and kick-outs, or with others (a re-plan after a click keeps
        # the normalisers, see resolve)
        "unique_reach_max": float(sol.normalisers[0]), "niche_value_max": float(sol.normalisers[1]),
        "unique_reach_bound": float(info.get("unique_reach_bound", sol.normalisers[0])),
        "niche_value_bound": float(info.get("niche_value_bound", sol.normalisers[1])),
        "normalisers_source": normalisers_source(sol, brief),
        "budget": float(brief.budget), "bloggers": int(rows["id"].nunique()),
        "cheapest": float(cand["cost"].min()) if len(cand) else 0.0,
    }
    # deals: cash and product separately (a paid-only plan has no product side)
    if "deal" not in rows:
        rows = rows.assign(deal="paid", product_units=0, product_cost=0.0, product_value=0.0, expected_posts=1.0,
                           acceptance=np.nan, post_rate=np.nan, fee=rows["cost"])
    rows["cash_cost"] = rows["cost"]
    paid = cand["deal"] == "paid" if "deal" in cand else np.ones(len(cand), dtype=bool)
    totals.update({
        "cash_cost": cost, "product_units": int(rows["product_units"].sum()),
        "product_cost": float(rows["product_cost"].sum()), "product_value": float(rows["product_value"].sum()),
        "expected_posts": float(rows["expected_posts"].sum()),
        **{f"deals_{d}": int((rows["deal"] == d).sum()) for d in ("paid", "barter", "hybrid")},
        "product_budget": int(brief.product_units),
        "cheapest": float(cand.loc[paid, "cost"].min()) if bool(np.any(paid)) else totals.get("cheapest", 0.0),
        "absorbable": absorbable(cands),
    })
    return PlanResult(solution=sol, placements=rows, totals=totals, brief=brief, candidates=cands)


STATUSES: tuple[str, ...] = ("optimal", "gap_ok", "time_limit", "gap_above_target")


def status_text(totals: Mapping[str, Any]) -> str:
    """The plan's quality exactly as it is (English; the pages translate the status key with its gap)."""
    status, gap, target = str(totals.get("status", "")), float(totals.get("gap", 0.0)), totals.get("gap_target")
    pct = f"{units.percent(gap):.2g} %" if gap >= 0.001 else f"{units.percent(gap):.3f} %"
    if status == "optimal":
        return f"optimal (gap {pct})"
    if status == "gap_ok":
        return f"within the gap target of {units.percent(float(target or 0)):.2g} % (gap {pct})"
    if status == "time_limit":
        return f"stopped at the time limit (gap {pct})"
    return f"gap {pct}, above the target of {units.percent(float(target or 0)):.2g} %"


def _local_pairs(overlaps, chosen: np.ndarray):
    if not overlaps:
        return None
    where = {int(j): i for i, j in enumerate(chosen.tolist())}
    out = [(where[a], where[b], o) for a, b, o in overlaps if a in where and b in where]
    return out or None


def _finite_or_none(value: Any) -> float | None:
    v = float(value)
    return v if math.isfinite(v) else None


def overlap_among(cands: Candidates, chosen: Sequence[int] | np.ndarray) -> np.ndarray:
    """The audience overlap between the chosen candidates (positions in ``cands.frame``), as a share of the
    smaller audience: the model's, or the measured pairs where the brief has them."""
    chosen = np.asarray(chosen, dtype=np.int64)
    pb = cands.problem
    return reach.overlap_matrix(pb.reach[chosen], pb.pool[chosen], pb.pool_size,
                                overlaps=_local_pairs(pb.overlaps, chosen))


def spend_by(placements: pd.DataFrame, column: str, order: Sequence[str] | None = None) -> pd.DataFrame:
    """The plan's cost by ``column`` (platform, tier, format, deal): ``column, cost``, in ``order`` when given
    (values outside it left out), else largest first."""
    if placements.empty:
        return pd.DataFrame({column: pd.Series([], dtype=object), "cost": pd.Series([], dtype=float)})
    spend = placements.groupby(column)["cost"].sum()
    spend = spend.reindex(list(order)).dropna() if order is not None else spend.sort_values(ascending=False)
    return spend.rename_axis(column).reset_index()


def backups(df: pd.DataFrame, plan: PlanResult, *, per_blogger: int = 2) -> dict[int, list[int]]:
    """For every chosen blogger, bloggers of a similar profile outside the plan (same platform and primary
    niche, closest in followers and price), who pass the brief: replacements when someone drops out."""
    cand = plan.candidates.frame
    chosen_ids = set(plan.placements["id"].tolist())
    pool = cand[~cand["id"].isin(chosen_ids)]
    out: dict[int, list[int]] = {}
    niche, _ = pd.factorize(primary_niche(df))
    followers = np.log10(np.maximum(df["followers"].to_numpy(dtype=float), 1.0))
    # a barter or hybrid placement may not happen: one more backup, bloggers who would take the same deal first
    goods = set(pool.loc[pool["deal"] != "paid", "id"].tolist()) if "deal" in pool else set()
    if "deal" in pool:
        pool = pool[pool["deal"] == "paid"]  # compared by their fee
    # the placements outside the plan, by (platform, format): one lookup per chosen blogger, no frame filtering
    groups = pool.groupby([pool["platform"].astype(str), pool["format"].astype(str)], sort=False).indices
    p_pos = pool["pos"].to_numpy(dtype=np.int64)
    p_cost = pool["cost"].to_numpy(dtype=float)
    p_fit = pool["fit"].to_numpy(dtype=float)
    p_id = pool["id"].to_numpy()
    p_goods = np.isin(p_id, list(goods))
    for _, row in plan.placements.drop_duplicates("id").iterrows():
        pos = int(row["pos"])
        at = groups.get((str(row["platform"]), str(row["format"]).split("+")[0]))
        if at is None or not len(at):
            out[int(row["id"])] = []
            continue
        barter_deal = str(row.get("deal", "paid")) != "paid"
        fee = float(row.get("fee", row["cost"])) if barter_deal else float(row["cost"])
        sp = p_pos[at]
        # a blogger without a followers count is an order of magnitude away from anyone on that term
        dist = (np.nan_to_num(np.abs(followers[sp] - followers[pos]), nan=1.0)
                + 0.5 * np.abs(np.log10(p_cost[at] / max(fee, 1.0)))
                + np.where(niche[sp] == niche[pos], 0.0, 1.0) + (1.0 - p_fit[at]))
        if barter_deal:
            dist = dist + np.where(p_goods[at], 0.0, 2.0)
        n_backups = per_blogger + (1 if barter_deal else 0)
        picks: list[int] = []
        for i in p_id[at[np.argsort(dist, kind="stable")]].tolist():
            if int(i) not in picks:
                picks.append(int(i))
                if len(picks) == n_backups:
                    break
        out[int(row["id"])] = picks
    return out


# ---- the reach-niche frontier ----------------------------------------------------------------------------------
FRONTIER_WS: tuple[float, ...] = tuple(round(x / 10, 1) for x in range(11))
"""The frontier's weights: the Plan page's slider steps, so that every point is also a plan of the slider."""

PLAN_TIME_S = 2.5
"""Seconds a plan on the Plan page may take (a meeting does not wait); the pitch solves its frontier's start so too."""

FRONTIER_TIME_S = 3.0
"""Seconds the whole frontier may take after its start plan (one deadline for every point), on the page and in the
pitch alike, so that both tell the same frontier."""


def _frontier_point(sol: optimiser.Solution, start: optimiser.Solution | None) -> optimiser.Solution:
    """A frontier point says for which brief its normalisers were computed, as its start does (they are the start's,
    see :func:`normalisers_source`)."""
    if start is not None and "normalisers_locks" in start.info and "normalisers_locks" not in sol.info:
        sol = copy.copy(sol)  # a point given as it is may be a cached plan: never changed in place
        sol.info = {**sol.info, "normalisers_locks": start.info["normalisers_locks"]}
    return sol


def frontier_iter(cands: Candidates, weights: Sequence[float] | None = FRONTIER_WS, *,
                  start: optimiser.Solution | None = None, known: Sequence[optimiser.Solution] = (),
                  time_limit: float = FRONTIER_TIME_S) -> Iterator[optimiser.Solution]:
    """The brief's reach-niche frontier, each point as soon as it is solved (optimiser.frontier_iter): from
    ``start`` (the plan on screen: its normalisers, its own point exactly, then the weights nearest to it), under
    one deadline."""
    for sol in optimiser.frontier_iter(cands.problem, weights, start=start, known=known, time_limit=time_limit):
        yield _frontier_point(sol, start)


def frontier(cands: Candidates, weights: Sequence[float] | None = FRONTIER_WS, *,
             start: optimiser.Solution | None = None, time_limit: float = FRONTIER_TIME_S) -> list[optimiser.Solution]:
    """:func:`frontier_iter`'s points in the order of ``weights``."""
    sols = optimiser.frontier(cands.problem, weights, start=start, time_limit=time_limit)
    return [_frontier_point(s, start) for s in sols]
