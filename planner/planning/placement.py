"""One placement's figures and a blogger's topic match, shared by the plan (planner.planning.plan) and the barter
comparison (planner.planning.barter): reach of a placement in a format, the engagements, clicks and orders it is
expected to bring, and how well a blogger's niches (and keywords) match a brief's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from planner.estimates import benchmarks, metrics
from planner.planning.brief import DEFAULT_RATES, Brief

REACH_SOURCES = benchmarks.REACH_SOURCES

# Niches whose audiences share interests: a blogger of a related niche counts partly for the topic.
RELATED_NICHES: dict[frozenset[str], float] = {
    frozenset(p): w for p, w in [
        (("beauty", "fashion"), 0.7), (("beauty", "health"), 0.4), (("beauty", "lifestyle"), 0.5),
        (("fashion", "lifestyle"), 0.6), (("fitness", "health"), 0.7), (("fitness", "sport"), 0.8),
        (("sport", "health"), 0.5), (("food", "home"), 0.5), (("food", "health"), 0.4), (("food", "lifestyle"), 0.4),
        (("parenting", "home"), 0.6), (("parenting", "education"), 0.5), (("parenting", "health"), 0.4),
        (("tech", "gaming"), 0.6), (("tech", "auto"), 0.4), (("tech", "business"), 0.4), (("tech", "education"), 0.4),
        (("finance", "business"), 0.8), (("finance", "education"), 0.4), (("travel", "lifestyle"), 0.6),
        (("travel", "food"), 0.4), (("music", "art"), 0.6), (("humor", "lifestyle"), 0.4), (("gaming", "humor"), 0.4),
        (("home", "lifestyle"), 0.5), (("pets", "home"), 0.4), (("pets", "lifestyle"), 0.3), (("auto", "sport"), 0.3),
        (("education", "business"), 0.4), (("art", "lifestyle"), 0.3),
    ]
}

def in_brief_niches(df: pd.DataFrame, brief: Brief) -> np.ndarray:
    """Bloggers of one of the brief's niches (primary or secondary) or matching one of its keywords; everybody
    when the brief names neither (the "only these niches" rule)."""
    n = len(df)
    if not brief.niches and not brief.keywords:
        return np.ones(n, dtype=bool)
    wanted = {x.lower() for x in brief.niches}
    text = df["niches"].astype("string").fillna("").str.lower()
    codes, uniques = pd.factorize(text)
    per_unique = np.array([bool(wanted & set(str(u).split(";"))) for u in uniques], dtype=bool)
    hit = per_unique[codes] if n else np.zeros(0, dtype=bool)
    return hit | _keyword_hit(df, brief, text)


def _keyword_hit(df: pd.DataFrame, brief: Brief, text: pd.Series) -> np.ndarray:
    hit = np.zeros(len(df), dtype=bool)
    if not brief.keywords:
        return hit
    hay = (df["handle"].astype("string").fillna("") + " " + df["name"].astype("string").fillna("") + " "
           + text).str.lower()
    for kw in brief.keywords:
        if kw.strip():
            hit |= hay.str.contains(kw.strip().lower(), regex=False).to_numpy(dtype=bool, na_value=False)
    return hit


def topic_score(df: pd.DataFrame, brief: Brief) -> np.ndarray:
    """1 for a blogger in one of the brief's niches, partly for a related niche, plus keyword matches."""
    n = len(df)
    if not brief.niches and not brief.keywords:
        return np.ones(n)
    text = df["niches"].astype("string").fillna("").str.lower()
    codes, uniques = pd.factorize(text)
    wanted = set(brief.niches)
    per_unique = np.zeros(len(uniques))
    for i, u in enumerate(uniques):
        own = [x for x in str(u).split(";") if x]
        best = 0.0
        for rank, nch in enumerate(own):
            weight = 1.0 if rank == 0 else 0.8  # a secondary niche counts a little less
            if nch in wanted:
                best = max(best, weight)
            else:
                for w in wanted:
                    best = max(best, weight * RELATED_NICHES.get(frozenset((nch, w)), 0.0))
        per_unique[i] = best
    score = per_unique[codes] if n else np.zeros(0)
    if brief.keywords:
        hit = _keyword_hit(df, brief, text)
        score = np.maximum(score, np.where(hit, 0.9, 0.0)) if brief.niches else np.where(hit, 1.0, 0.3)
    return score


# ---- one placement's figures (the plan and the barter comparison alike) -------------------------------------
def placement_reach(df: pd.DataFrame, fmt: str | np.ndarray, bench: benchmarks.Benchmarks | None = None,
                    tier_bounds: Sequence[int] | None = None, *,
                    measured_reach_as_is: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Reach of one placement in ``fmt`` (people, before any target share) and its source (an index of
    REACH_SOURCES, -1: none): :func:`planner.estimates.metrics.format_reach`, with credibility discounting a reach
    estimated from followers (bots follow but do not read); a measured reach, or one from measured views, is
    taken as it is (unless ``measured_reach_as_is`` is off)."""
    base, src = metrics.format_reach(df, fmt, bench, tuple(tier_bounds) if tier_bounds else None)
    unknown = benchmarks.UNKNOWN_CREDIBILITY
    cred = (np.nan_to_num(df["credibility"].to_numpy(dtype=float, na_value=np.nan), nan=unknown)
            if "credibility" in df.columns else np.full(len(df), unknown))
    discount = (src == REACH_SOURCES.index("followers")) if measured_reach_as_is else np.ones(len(df), dtype=bool)
    return base * np.where(discount, cred, 1.0), src


def expected_engagements(er_percent, reach):
    """Engagements a placement is expected to bring: its engagement rate (percent; missing counts 0) x its reach."""
    return np.nan_to_num(np.asarray(er_percent, dtype=float)) / 100.0 * np.asarray(reach, dtype=float)


def expected_clicks(impressions, rates: Mapping[str, float] | None = None):
    """Clicks expected from impressions: impressions x the click-through rate (an editable assumption)."""
    return np.asarray(impressions, dtype=float) * {**DEFAULT_RATES, **(rates or {})}["ctr"]


def expected_orders(impressions, rates: Mapping[str, float] | None = None):
    """Orders expected from impressions: clicks x the conversion to order (editable assumptions)."""
    return expected_clicks(impressions, rates) * {**DEFAULT_RATES, **(rates or {})}["conversion"]
