"""Benchmark figures: editable defaults, each with its source.

Published figures disagree (often by 2-10x), so nothing here is "the truth": every number is a
default carrying a ``source`` label, bundled in a frozen :class:`Benchmarks` that the app can copy
with edits (``dataclasses.replace``) and show as a table (:meth:`Benchmarks.to_frame`).
Figures without a public source are labelled ``"assumption"``.

Units: engagement rates in percent (with their basis), reach rates and credibility as fractions
0..1, prices and CPMs in USD (convert with :mod:`planner.core.money`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import ClassVar

import numpy as np
import pandas as pd

from planner.core.frozen import FrozenMappings
from planner.core.schema import FORMATS, PLATFORMS, TIERS

# --------------------------------------------------------------------------- tiers (names in planner.core.schema)

# Below this share of credible (real) followers an account is flagged as fraud, and plans and lists leave it
# out by default (Modash: below 75 % is a common fraud flag). The one place the threshold is defined.
FRAUD_THRESHOLD = 0.75
# The credibility assumed for a blogger without credibility data where a figure needs one (reach estimated from
# followers, the fit score): the threshold itself, an editable assumption. Filters never pass such a blogger as if
# measured.
UNKNOWN_CREDIBILITY = FRAUD_THRESHOLD

# nano < 10K <= micro < 50K <= mid < 500K <= macro < 1M <= mega (Mediakix / Hootsuite convention).
DEFAULT_TIER_BOUNDS: tuple[int, ...] = (10_000, 50_000, 500_000, 1_000_000)
# HypeAuditor's cuts: nano 1K-5K, micro 5K-20K, mid 20K-100K, macro 100K-1M, mega 1M+
# (accounts under 1K are not influencers there; here they fall into nano).
HYPEAUDITOR_TIER_BOUNDS: tuple[int, ...] = (5_000, 20_000, 100_000, 1_000_000)

TIER_BOUNDS_SOURCES: Mapping[str, str] = MappingProxyType({
    "default": "Mediakix / Hootsuite convention",
    "hypeauditor": "HypeAuditor (1K, 5K, 20K, 100K, 1M)",
})


def tier_codes(followers, bounds: tuple[int, ...] = DEFAULT_TIER_BOUNDS) -> np.ndarray:
    """Tier index per row (0 = nano .. 4 = mega) as int8; -1 where followers is missing.

    A count equal to a bound belongs to the upper tier (10_000 is micro).
    """
    f = np.asarray(followers, dtype=float)
    codes = np.searchsorted(np.asarray(bounds, dtype=float), f, side="right").astype(np.int8)
    codes[np.isnan(f)] = -1
    return codes


def tier_of(followers, bounds: tuple[int, ...] = DEFAULT_TIER_BOUNDS) -> str:
    """Tier name of one follower count ('' when missing)."""
    code = int(tier_codes(np.asarray([followers], dtype=float), bounds)[0])
    return TIERS[code] if code >= 0 else ""


# --------------------------------------------------------------------------- conventions

# Which number ER is divided by, per platform (DOMAIN.md: HypeAuditor, GRIN conventions).
ER_BASIS: Mapping[str, str] = MappingProxyType({
    "instagram": "followers", "telegram": "followers", "vk": "followers",
    "tiktok": "views", "youtube": "views", "twitch": "views",
})

# Price formats a platform actually sells. Formats not listed stay empty (never estimated).
PLATFORM_FORMATS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "instagram": ("post", "story", "short"),
    "youtube": ("short", "video"),
    "tiktok": ("short",),
    "telegram": ("post", "story"),
    "vk": ("post", "story", "short", "video"),
    "twitch": ("video",),
})

# The regular placement of a platform: its reach is the row's ``reach_post``.
PRIMARY_FORMAT: Mapping[str, str] = MappingProxyType({
    "instagram": "post", "youtube": "video", "tiktok": "short",
    "telegram": "post", "vk": "post", "twitch": "video",
})

# Platforms whose average views are a good measure of one placement's reach
# (Instagram's avg_views are Reels views, not feed-post reach).
REACH_FROM_VIEWS: tuple[str, ...] = ("youtube", "tiktok", "twitch", "telegram", "vk")

# The format whose views a row's ``avg_views`` counts (Instagram: Reels; elsewhere the regular placement).
VIEWS_FORMAT: Mapping[str, str] = MappingProxyType({**PRIMARY_FORMAT, "instagram": "short"})

# Where the reach of one placement comes from, best first (planner.estimates.metrics.format_reach):
# measured = the format's own measured reach (avg_reach for the platform's main format, avg_story_reach);
# views = the format's measured views x the unique-viewer share; benchmark = the blogger's measured views of
# the main format x the benchmark ratio between the two formats' reach rates; followers = followers x the
# format's benchmark reach rate. Everything but "measured" is an estimate (shown with ≈).
REACH_SOURCES: tuple[str, ...] = ("measured", "views", "benchmark", "followers")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ErBenchmark:
    """Engagement rate band in percent, on ``basis`` ('followers' or 'views')."""

    low: float
    high: float
    median: float
    basis: str
    source: str


@dataclass(frozen=True)
class Band:
    """A low..high range of a quantity (a rate 0..1 or an amount in USD) with a typical value."""

    low: float
    high: float
    typical: float
    source: str

    @property
    def geomid(self) -> float:
        """Midpoint on a log scale (the median of a log-uniform draw from the band)."""
        return float(np.sqrt(self.low * self.high))


@dataclass(frozen=True)
class Value:
    """One figure with its source."""

    value: float
    source: str


# --------------------------------------------------------------------------- default figures

_ASSUMPTION = "assumption"


def _er_defaults() -> dict[tuple[str, str], ErBenchmark]:
    bands: dict[str, tuple[tuple[float, float], ...]] = {
        # DOMAIN.md, Instagram by followers; HypeAuditor 2023 reports nano 2.78 % (sources disagree).
        "instagram": ((3, 5), (2, 3.5), (1.5, 2.5), (1, 1.8), (0.7, 1.2)),
        # untapper.com bands by views; HypeAuditor 2023: nano 12.6 %.
        "tiktok": ((6, 10), (4, 7), (3, 5), (2, 3.5), (1, 2)),
        "youtube": ((3, 6), (2.5, 5), (2, 4), (1.5, 3), (1, 2)),
        "twitch": ((4, 8), (3, 6), (2, 4), (1.5, 3), (1, 2)),
        "telegram": ((2, 4), (1.5, 3), (1, 2), (0.7, 1.5), (0.5, 1)),
        "vk": ((2, 4), (1.5, 3), (1, 2), (0.7, 1.5), (0.4, 1)),
    }
    sources = {
        "instagram": "Mediakix/HypeAuditor/GRIN bands (DOMAIN.md); median = band midpoint",
        "tiktok": "untapper.com bands by views; median = band midpoint",
        "youtube": "assumption (below TikTok by views); median = band midpoint",
        "twitch": "assumption (chat + likes per view); median = band midpoint",
        "telegram": "assumption (reactions + comments per subscriber); median = band midpoint",
        "vk": "assumption (likes + comments per follower); median = band midpoint",
    }
    out = {}
    for platform, rows in bands.items():
        for tier, (lo, hi) in zip(TIERS, rows, strict=True):
            out[(platform, tier)] = ErBenchmark(lo, hi, round((lo + hi) / 2, 3), ER_BASIS[platform], sources[platform])
    return out


def _view_rate_defaults() -> dict[tuple[str, str], Band]:
    """Average views per publication as a share of followers (all labelled assumptions)."""
    rates: dict[str, tuple[float, ...]] = {
        "instagram": (0.50, 0.40, 0.30, 0.25, 0.20),  # Reels views
        "youtube": (0.30, 0.25, 0.20, 0.15, 0.10),
        "tiktok": (1.00, 0.60, 0.40, 0.30, 0.20),
        "twitch": (0.10, 0.08, 0.06, 0.05, 0.04),  # unique viewers of a stream + VOD
        "telegram": (0.40, 0.30, 0.22, 0.18, 0.15),  # post views / subscribers (ERR)
        "vk": (0.15, 0.12, 0.10, 0.08, 0.06),
    }
    out = {}
    for platform, row in rates.items():
        for tier, r in zip(TIERS, row, strict=True):
            out[(platform, tier)] = Band(r / 2, r * 2, r, f"{_ASSUMPTION}: views per post / followers, {platform}")
    return out


_UNIQUE_VIEWER_SHARE: dict[str, Value] = {
    "youtube": Value(0.75, "Stellar: ~75 % of YouTube views are unique viewers"),
    "tiktok": Value(0.68, "Stellar: ~68 % of TikTok views are unique viewers"),
    "twitch": Value(0.70, f"{_ASSUMPTION} (close to YouTube/TikTok)"),
    "telegram": Value(1.00, f"{_ASSUMPTION}: Telegram counts a post view once per account"),
    "vk": Value(0.90, f"{_ASSUMPTION}: VK post views are mostly unique"),
    "instagram": Value(0.70, f"{_ASSUMPTION} (Reels views)"),
}


def _reach_defaults(view_rate: Mapping[tuple[str, str], Band],
                    unique: Mapping[str, Value]) -> dict[tuple[str, str, str], Band]:
    """Reach of one placement as a share of followers, per (platform, tier, format)."""
    out: dict[tuple[str, str, str], Band] = {}
    # Instagram feed post: minter.io medians (37.7 % under 20K, 22.9 % 20K-1M, 19.1 % over 1M)
    # and Insense ranges (20-25 % nano, 11-18 % micro, > 10 % macro).
    ig_post = ((0.377, 0.20, 0.377), (0.30, 0.11, 0.377), (0.229, 0.11, 0.229), (0.229, 0.10, 0.229),
               (0.191, 0.10, 0.191))
    ig_post_src = ("minter.io median (0-20K); Insense 20-25 %",
                   "between minter.io 37.7 % (<20K) and 22.9 % (20K-1M): assumption; Insense 11-18 %",
                   "minter.io median (20K-1M)", "minter.io median (20K-1M); Insense > 10 %",
                   "minter.io median (> 1M)")
    # Stories: minter.io 8.2 % falling to 3.8 %; Insense 7-8 % nano, 2-6 % micro, > 2 % macro.
    ig_story = ((0.082, 0.07, 0.082), (0.07, 0.02, 0.08), (0.055, 0.02, 0.06), (0.045, 0.02, 0.05),
                (0.038, 0.02, 0.04))
    ig_story_src = "minter.io 8.2 % -> 3.8 % (interpolated between tiers: assumption); Insense 7-8 %, 2-6 %, > 2 %"
    for i, tier in enumerate(TIERS):
        rate, lo, hi = ig_post[i]
        out[("instagram", tier, "post")] = Band(min(lo, rate), max(hi, rate), rate, ig_post_src[i])
        rate, lo, hi = ig_story[i]
        out[("instagram", tier, "story")] = Band(lo, hi, rate, ig_story_src)
        vr = view_rate[("instagram", tier)]
        ig_u = unique["instagram"].value
        out[("instagram", tier, "short")] = Band(vr.low * ig_u, vr.high * ig_u, vr.typical * ig_u,
                                                 f"{_ASSUMPTION}: Reels views/followers x unique share")
    story_share = {"telegram": 0.5, "vk": 0.4}  # story reach as a share of post reach
    for platform in PLATFORMS:
        if platform == "instagram":
            continue
        u = unique[platform]
        for tier in TIERS:
            vr = view_rate[(platform, tier)]
            for fmt in PLATFORM_FORMATS[platform]:
                if fmt == "story":
                    k = story_share.get(platform, 0.4)
                    out[(platform, tier, fmt)] = Band(
                        vr.low * u.value * k, vr.high * u.value * k, vr.typical * u.value * k,
                        f"{_ASSUMPTION}: {k:g} x post reach")
                else:
                    k = 0.8 if (platform, fmt) in {("youtube", "short"), ("vk", "short")} else 1.0
                    if (platform, fmt) == ("vk", "video"):
                        k = 0.6
                    src = f"views/followers ({_ASSUMPTION}) x unique-viewer share ({u.source})"
                    if k != 1.0:
                        src += f" x {k:g} ({_ASSUMPTION})"
                    out[(platform, tier, fmt)] = Band(vr.low * u.value * k, vr.high * u.value * k,
                                                      vr.typical * u.value * k, src)
    return out


_IMPRESSIONS_FACTOR: dict[str, Value] = {
    "post": Value(1.5, "Modash: impressions ~ 1.5 x reach for feed posts"),
    "story": Value(1.0, "Modash: impressions = reach for stories"),
    "short": Value(1.4, f"{_ASSUMPTION}: ~ views / reach (1 / 0.68-0.75)"),
    "video": Value(1.33, f"{_ASSUMPTION}: views / unique viewers (1 / 0.75, Stellar)"),
}


def _price_defaults() -> dict[tuple[str, str, str], Band]:
    """Price per placement in USD, per (platform, tier, format)."""
    src_ig = "reach-influencers.com / wordontheblock.com (DOMAIN.md); sources differ up to 10x"
    base: dict[tuple[str, str], tuple[tuple[float, float, str], ...]] = {
        ("instagram", "post"): (
            (10, 100, src_ig), (100, 500, src_ig), (500, 5_000, src_ig), (5_000, 10_000, src_ig),
            (10_000, 30_000, f"{src_ig}; '10K+' capped at 30K: {_ASSUMPTION}")),
        ("tiktok", "short"): (
            (5, 25, src_ig), (25, 125, src_ig),
            (125, 1_250, f"lower part of the source's 125-2.5K band: {_ASSUMPTION}"),
            (1_250, 2_500, f"upper part of the source's 125-2.5K band: {_ASSUMPTION}"),
            (2_500, 10_000, _ASSUMPTION)),
        ("youtube", "video"): (
            (20, 200, src_ig), (200, 1_000, src_ig),
            (1_000, 5_000, f"lower part of the source's 1K-20K band: {_ASSUMPTION}"),
            (5_000, 20_000, f"upper part of the source's 1K-20K band: {_ASSUMPTION}"),
            (20_000, 60_000, _ASSUMPTION)),
        ("telegram", "post"): tuple((lo, hi, f"{_ASSUMPTION} (RU market, CPM ~ 5-15 USD)") for lo, hi in
                                    ((10, 60), (60, 300), (300, 2_500), (2_500, 6_000), (6_000, 20_000))),
        ("vk", "post"): tuple((lo, hi, f"{_ASSUMPTION} (below Instagram)") for lo, hi in
                              ((5, 40), (40, 200), (200, 1_500), (1_500, 4_000), (4_000, 12_000))),
        ("twitch", "video"): tuple((lo, hi, f"{_ASSUMPTION} (stream integration)") for lo, hi in
                                   ((10, 50), (50, 250), (250, 1_500), (1_500, 5_000), (5_000, 20_000))),
    }
    # Other formats as a multiple of the platform's base band (all assumptions).
    derived: dict[tuple[str, str], tuple[tuple[str, str], float]] = {
        ("instagram", "story"): (("instagram", "post"), 0.4),
        ("instagram", "short"): (("instagram", "post"), 1.2),
        ("youtube", "short"): (("youtube", "video"), 0.3),
        ("telegram", "story"): (("telegram", "post"), 0.5),
        ("vk", "story"): (("vk", "post"), 0.4),
        ("vk", "short"): (("vk", "post"), 0.8),
        ("vk", "video"): (("vk", "post"), 2.0),
    }
    out: dict[tuple[str, str, str], Band] = {}
    for (platform, fmt), rows in base.items():
        for tier, (lo, hi, src) in zip(TIERS, rows, strict=True):
            out[(platform, tier, fmt)] = Band(float(lo), float(hi), float(np.sqrt(lo * hi)), src)
    for (platform, fmt), ((bp, bf), k) in derived.items():
        for tier in TIERS:
            b = out[(bp, tier, bf)]
            out[(platform, tier, fmt)] = Band(b.low * k, b.high * k, b.typical * k,
                                              f"{_ASSUMPTION}: {k:g} x {bf} price")
    return out


def _cpm_defaults() -> dict[str, Band]:
    pub = "published CPM (inzpire.me); real bookings 3-5x higher"
    return {
        "instagram": Band(5, 15, 10, pub),
        "tiktok": Band(3, 10, 6.5, pub),
        "youtube": Band(10, 30, 20, pub),
        "telegram": Band(5, 15, 10, f"{_ASSUMPTION} (RU Telegram ads market)"),
        "vk": Band(2, 8, 5, _ASSUMPTION),
        "twitch": Band(5, 20, 12, _ASSUMPTION),
    }


_CREDIBILITY_BY_TIER: dict[str, Value] = {
    tier: Value(v, f"{_ASSUMPTION}: falls with size (HypeAuditor 2023: fraud ~36 % overall, ~60 % above 1M)")
    for tier, v in zip(TIERS, (0.86, 0.84, 0.81, 0.79, 0.77), strict=True)
}


# --------------------------------------------------------------------------- the bundle


_FrozenMappings = FrozenMappings  # the one mixin lives in planner.core.frozen


@dataclass(frozen=True)
class Benchmarks(_FrozenMappings):
    """All editable defaults. Copy with edits: ``dataclasses.replace(bench, fraud_threshold=0.7)``."""

    er: Mapping[tuple[str, str], ErBenchmark]
    view_rate: Mapping[tuple[str, str], Band]
    unique_viewer_share: Mapping[str, Value]
    reach_rate: Mapping[tuple[str, str, str], Band]
    impressions_factor: Mapping[str, Value]
    price_usd: Mapping[tuple[str, str, str], Band]
    cpm_usd: Mapping[str, Band]
    credibility_by_tier: Mapping[str, Value]
    tier_bounds: tuple[int, ...] = DEFAULT_TIER_BOUNDS
    fraud_threshold: float = FRAUD_THRESHOLD
    fraud_threshold_source: str = "Modash: below 75 % credible followers is a common fraud flag"
    insense_min_credibility: float = 0.65
    insense_min_credibility_source: str = "Insense: at least 65 % real followers"
    real_booking_cpm_multiplier: Band = field(
        default_factory=lambda: Band(3, 5, 4, "inzpire.me: real bookings 3-5x the published CPM"))
    far_above_factor: float = 3.0  # quote above this many times the fair high end -> 'far_above'

    __hash__ = _FrozenMappings.__hash__  # a frozen dataclass would otherwise hash the mapping proxies

    def __post_init__(self) -> None:
        self._freeze_mappings()
        object.__setattr__(self, "tier_bounds", tuple(self.tier_bounds))
        b = self.tier_bounds
        if len(b) != len(TIERS) - 1 or any(x >= y for x, y in zip(b, b[1:], strict=False)):
            raise ValueError(f"tier_bounds must be {len(TIERS) - 1} increasing numbers, got {b!r}")
        unknown = {f for (_, _, f) in self.price_usd} - set(FORMATS)
        if unknown:
            raise ValueError(f"unknown price formats {sorted(unknown)}")

    @classmethod
    def default(cls) -> Benchmarks:
        view_rate = _view_rate_defaults()
        return cls(
            er=_er_defaults(),
            view_rate=view_rate,
            unique_viewer_share=_UNIQUE_VIEWER_SHARE,
            reach_rate=_reach_defaults(view_rate, _UNIQUE_VIEWER_SHARE),
            impressions_factor=_IMPRESSIONS_FACTOR,
            price_usd=_price_defaults(),
            cpm_usd=_cpm_defaults(),
            credibility_by_tier=_CREDIBILITY_BY_TIER,
        )

    # ---- lookup tables for vectorised code: index [platform_code, tier_code]

    def er_median_table(self) -> np.ndarray:
        """ER median (percent) as a (platforms x tiers) array, in each platform's convention basis."""
        return self._table(lambda p, t: self.er[(p, t)].median if (p, t) in self.er else np.nan)

    def reach_rate_table(self, fmt: str | None = None) -> np.ndarray:
        """Reach share of followers per (platform, tier) for ``fmt``; None = each platform's primary format."""
        def get(p: str, t: str) -> float:
            key = (p, t, fmt or PRIMARY_FORMAT[p])
            return self.reach_rate[key].typical if key in self.reach_rate else np.nan
        return self._table(get)

    def price_mid_table(self, fmt: str) -> np.ndarray:
        """Log-midpoint of the USD price band per (platform, tier); NaN where the format is not sold."""
        return self._table(lambda p, t: self.price_usd[(p, t, fmt)].geomid if (p, t, fmt) in self.price_usd
                           else np.nan)

    def credibility_table(self) -> np.ndarray:
        """Typical credibility per tier (length len(TIERS))."""
        return np.array([self.credibility_by_tier[t].value for t in TIERS], dtype=float)

    def unique_share_array(self) -> np.ndarray:
        return np.array([self.unique_viewer_share[p].value if p in self.unique_viewer_share else np.nan
                         for p in PLATFORMS], dtype=float)

    @staticmethod
    def _table(get) -> np.ndarray:
        return np.array([[get(p, t) for t in TIERS] for p in PLATFORMS], dtype=float)

    # ---- display

    def to_frame(self) -> pd.DataFrame:
        """All figures as one long table: metric, platform, tier, format, low, typical, high, unit, source."""
        rows: list[dict] = []

        def add(metric, platform, tier, fmt, low, typical, high, unit, source):
            rows.append(dict(metric=metric, platform=platform, tier=tier, format=fmt, low=low,
                             typical=typical, high=high, unit=unit, source=source))

        for (p, t), e in self.er.items():
            add("engagement_rate", p, t, "", e.low, e.median, e.high, f"% of {e.basis}", e.source)
        for (p, t, f), b in self.reach_rate.items():
            add("reach_rate", p, t, f, b.low, b.typical, b.high, "share of followers", b.source)
        for (p, t), b in self.view_rate.items():
            add("view_rate", p, t, "", b.low, b.typical, b.high, "views / followers", b.source)
        for p, v in self.unique_viewer_share.items():
            add("unique_viewer_share", p, "", "", np.nan, v.value, np.nan, "share of views", v.source)
        for f, v in self.impressions_factor.items():
            add("impressions_factor", "", "", f, np.nan, v.value, np.nan, "x reach", v.source)
        for (p, t, f), b in self.price_usd.items():
            add("price", p, t, f, b.low, b.typical, b.high, "USD", b.source)
        for p, b in self.cpm_usd.items():
            add("cpm", p, "", "", b.low, b.typical, b.high, "USD per 1000 impressions", b.source)
        m = self.real_booking_cpm_multiplier
        add("real_booking_cpm_multiplier", "", "", "", m.low, m.typical, m.high, "x published CPM", m.source)
        for t, v in self.credibility_by_tier.items():
            add("credibility", "", t, "", np.nan, v.value, np.nan, "share of real followers", v.source)
        add("fraud_threshold", "", "", "", np.nan, self.fraud_threshold, np.nan, "credibility",
            self.fraud_threshold_source)
        add("insense_min_credibility", "", "", "", np.nan, self.insense_min_credibility, np.nan, "credibility",
            self.insense_min_credibility_source)
        for i, t in enumerate(TIERS):
            lo = self.tier_bounds[i - 1] if i > 0 else 0
            hi = self.tier_bounds[i] if i < len(self.tier_bounds) else np.nan
            add("tier_followers", "", t, "", lo, np.nan, hi, "followers (low inclusive)",
                TIER_BOUNDS_SOURCES["default"] if self.tier_bounds == DEFAULT_TIER_BOUNDS else "user setting")
        return pd.DataFrame(rows)


# --------------------------------------------------------------------------- barter (gifting, product seeding)

_SEEDINGOPS = "seedingops.com: a healthy gifting post rate is 30-50 %, below 20 % signals a problem"
_EPICSTARS = "Epicstars: bloggers up to ~100-200K followers accept barter readily, large ones ask for more"
_HEEPSY = "Heepsy: nano and micro creators accept product collaborations more readily"
# the interview in the project's seed article 000 ("Шерлок Холмс в мире блогеров: как работает influencer manager")
_SEEDS_AUTHOR = "Sasha Buslaeva, MINT (BBDO Group)"
_SEEDS_BARTER = f"{_SEEDS_AUTHOR}: barter works when the product is worth the fee, fits the blog"


def _barter_tier_bands(values: tuple[tuple[float, float, float], ...], source: str) -> dict[str, Band]:
    return {t: Band(lo, hi, typ, source) for t, (lo, typ, hi) in zip(TIERS, values, strict=True)}


def _barter_tier_values(values: tuple[float, ...], source: str) -> dict[str, Value]:
    return {t: Value(v, source) for t, v in zip(TIERS, values, strict=True)}


@dataclass(frozen=True)
class BarterBenchmarks(_FrozenMappings):
    """Editable defaults of the barter model (planner.planning.barter), each with its source. Shares are fractions
    0..1; ``ask_multiple`` is the retail value a blogger asks per unit of their cash fee.

    - ``post_rate``: share of accepted barter deals that end in a published post, per tier (seedingops.com's
      30-50 % for gifting; lower for big bloggers: the tier split is an assumption);
    - ``hybrid_post_rate``: the same for product plus a reduced fee (a fee makes it a contract: assumption);
    - ``acceptance``: share of bloggers of a tier who say yes to a fitting barter offer worth their ask
      (Epicstars, Heepsy: readily up to ~100-200K followers; the figures are assumptions);
    - ``ask_multiple``: retail value asked per unit of the cash fee, per tier (Epicstars: large bloggers ask for
      goods worth several times their cash price; the multiples are assumptions);
    - scalar factors (assumptions unless a source is named): acceptance of a blogger who declares barter, the
      product off the blog's topic, a product everyone already has, a hybrid offer to a blogger who refuses
      barter; the weight (in deals) of the tier rate against the blogger's own record; the least acceptance a
      recommended deal needs; the reduced fee of a hybrid deal as a share of the cash fee.
    """

    post_rate: Mapping[str, Band]
    hybrid_post_rate: Mapping[str, Band]
    acceptance: Mapping[str, Value]
    ask_multiple: Mapping[str, Value]
    declared_acceptance: Value = Value(0.9, f"{_ASSUMPTION}: a blogger who says they accept barter (the data's "
                                            "accepts_barter) accepts a fitting offer worth their ask")
    off_niche_factor: Value = Value(0.5, f"{_SEEDS_BARTER}; the factor: {_ASSUMPTION}")
    commonplace_factor: Value = Value(0.5, f"{_SEEDS_AUTHOR}: a product everyone can buy is rarely posted about; "
                                           f"the factor (acceptance and post rate): {_ASSUMPTION}")
    refuses_hybrid_factor: Value = Value(0.5, f"{_ASSUMPTION}: a blogger who refuses barter may still take "
                                              "product plus a fee")
    record_weight: Value = Value(10.0, f"{_ASSUMPTION}: the tier's post rate counts as this many deals against "
                                       "the blogger's own record (deals completed and cancelled)")
    min_acceptance: Value = Value(0.3, f"{_ASSUMPTION}: a deal less likely than this to be accepted is not "
                                       "recommended")
    hybrid_fee_share: Value = Value(0.5, f"{_ASSUMPTION}: the reduced fee of a hybrid deal, share of the cash fee")
    problem_post_rate: Value = Value(0.2, _SEEDINGOPS)

    __hash__ = _FrozenMappings.__hash__  # a frozen dataclass would otherwise hash the mapping proxies

    def __post_init__(self) -> None:
        self._freeze_mappings()
        for name in ("post_rate", "hybrid_post_rate", "acceptance", "ask_multiple"):
            missing = set(TIERS) - set(getattr(self, name))
            if missing:
                raise ValueError(f"barter {name}: no figure for {', '.join(sorted(missing))}")
        for name in ("post_rate", "hybrid_post_rate"):
            for t, b in getattr(self, name).items():
                if not 0 < b.typical <= 1:
                    raise ValueError(f"barter {name} of {t} must lie in (0, 1], got {b.typical!r}")
        for t, v in self.acceptance.items():
            if not 0 <= v.value <= 1:
                raise ValueError(f"barter acceptance of {t} must lie in [0, 1], got {v.value!r}")
        for t, v in self.ask_multiple.items():
            if not v.value > 0:
                raise ValueError(f"barter ask multiple of {t} must be positive, got {v.value!r}")
        for name in ("declared_acceptance", "off_niche_factor", "commonplace_factor", "refuses_hybrid_factor",
                     "min_acceptance", "hybrid_fee_share", "problem_post_rate"):
            v = getattr(self, name).value
            if not 0 <= v <= 1:
                raise ValueError(f"barter {name} must lie in [0, 1], got {v!r}")
        if not self.record_weight.value > 0:
            raise ValueError("barter record_weight must be positive")

    @classmethod
    def default(cls) -> BarterBenchmarks:
        return cls(
            post_rate=_barter_tier_bands(
                ((0.35, 0.50, 0.60), (0.30, 0.45, 0.50), (0.25, 0.35, 0.45), (0.15, 0.25, 0.35),
                 (0.10, 0.20, 0.30)),
                f"{_SEEDINGOPS}; lower for big bloggers (issue 9): the tier split is an {_ASSUMPTION}"),
            hybrid_post_rate=_barter_tier_bands(
                ((0.75, 0.85, 0.95), (0.75, 0.85, 0.95), (0.70, 0.80, 0.90), (0.70, 0.80, 0.90),
                 (0.65, 0.75, 0.85)),
                f"{_ASSUMPTION}: a fee makes the post part of a contract, below a paid post's 100 %"),
            acceptance=_barter_tier_values((0.85, 0.75, 0.50, 0.25, 0.10),
                                           f"{_EPICSTARS}; {_HEEPSY}; the figures: {_ASSUMPTION}"),
            ask_multiple=_barter_tier_values((1.0, 1.0, 1.5, 2.5, 3.0),
                                             "Epicstars: large bloggers ask for goods worth several times their "
                                             f"cash price; the multiples: {_ASSUMPTION}"),
        )

    # scalar figures, in the order the page shows them
    SCALARS: ClassVar[tuple[str, ...]] = ("declared_acceptance", "off_niche_factor", "commonplace_factor",
                                "refuses_hybrid_factor", "record_weight", "min_acceptance", "hybrid_fee_share")

    def to_frame(self) -> pd.DataFrame:
        """Every figure as one table: metric, tier, low, typical, high, source (the page edits ``typical``)."""
        rows: list[dict] = []
        for metric in ("post_rate", "hybrid_post_rate"):
            for t, b in getattr(self, metric).items():
                rows.append(dict(metric=metric, tier=t, low=b.low, typical=b.typical, high=b.high, source=b.source))
        for metric in ("acceptance", "ask_multiple"):
            for t, v in getattr(self, metric).items():
                rows.append(dict(metric=metric, tier=t, low=np.nan, typical=v.value, high=np.nan, source=v.source))
        for metric in self.SCALARS:
            v = getattr(self, metric)
            rows.append(dict(metric=metric, tier="", low=np.nan, typical=v.value, high=np.nan, source=v.source))
        return pd.DataFrame(rows, columns=["metric", "tier", "low", "typical", "high", "source"])

    def with_typical(self, edits: Mapping[tuple[str, str], float]) -> BarterBenchmarks:
        """A copy with some figures changed: ``{(metric, tier): value}`` (tier "" for a scalar). A changed figure's
        source says it was set by the user; unchanged ones keep theirs. Raises ValueError on a bad value."""
        kwargs: dict = {}
        for (metric, tier), value in edits.items():
            value = float(value)
            if not np.isfinite(value):
                raise ValueError(f"barter {metric}: not a number")
            if metric in ("post_rate", "hybrid_post_rate", "acceptance", "ask_multiple"):
                table = dict(kwargs.get(metric, getattr(self, metric)))
                old = table[tier]
                if isinstance(old, Band):
                    if value == old.typical:
                        continue
                    table[tier] = Band(min(old.low, value), max(old.high, value), value, "user setting")
                else:
                    if value == old.value:
                        continue
                    table[tier] = Value(value, "user setting")
                kwargs[metric] = table
            elif metric in self.SCALARS:
                if value != getattr(self, metric).value:
                    kwargs[metric] = Value(value, "user setting")
            else:
                raise ValueError(f"unknown barter figure {metric!r}")
        return replace(self, **kwargs) if kwargs else self


BARTER = BarterBenchmarks.default()


__all__ = [
    "TIERS", "DEFAULT_TIER_BOUNDS", "HYPEAUDITOR_TIER_BOUNDS", "ER_BASIS", "PLATFORM_FORMATS", "PRIMARY_FORMAT",
    "REACH_FROM_VIEWS", "REACH_SOURCES", "FRAUD_THRESHOLD", "VIEWS_FORMAT", "Band", "Benchmarks", "ErBenchmark",
    "Value", "tier_codes", "tier_of",
]
__all__ += ["BARTER", "BarterBenchmarks"]
