"""A campaign's brief: one frozen, validated object that every page, export and command plans from.

A brief holds everything a plan depends on besides the data itself: the budget and its currency with the exchange
rates used, the goal, the target audience, niches and how they act, platforms, formats and their budget shares, the
list of bloggers it plans on (the whole database, a filter of it, a shortlist or an uploaded list, stored by its
identity and content: :class:`BloggerList`), locks (``must_include``) and kick-outs (``must_exclude``), the product
budget of a mixed plan, and the assumptions a user may edit (outcome rates, tier bounds, audience pool sizes,
measured overlaps).

It is validated once, when it is made (:class:`BriefError` names the field); it is immutable (change it with
``dataclasses.replace``, which validates again); :meth:`Brief.fingerprint` identifies it for caches and links; it
round-trips exactly through JSON (:meth:`Brief.to_json` / :meth:`Brief.from_json`). Money is in ``currency``;
shares, rates and credibility are fractions (a percent exists only at the edges: input parsing and display).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from planner.core import money
from planner.core.errors import CodedError
from planner.core.frozen import FrozenMappings
from planner.core.numbers import finite_or_none
from planner.core.schema import AGE_BUCKETS, BRIEF_CATEGORIES, CURRENCIES, FORMATS, PLATFORMS, TIERS
from planner.estimates import benchmarks

GOALS: tuple[str, ...] = ("awareness", "engagement", "traffic", "sales", "leads")
# How the brief's niches act: "only" keeps bloggers of those niches (or matching a keyword) and nobody else;
# "prefer" keeps everybody and lets niche fit weigh the brief's niches up.
NICHE_MODES: tuple[str, ...] = ("only", "prefer")
# Restricted product categories (brand safety): a blogger advertising one is left out of a plan for it.
CATEGORIES: tuple[str, ...] = BRIEF_CATEGORIES
GENDERS: tuple[str, ...] = ("female", "male")
# Expected conversion rates for traffic / sales / leads goals: editable defaults, shown as such.
DEFAULT_RATES: Mapping[str, float] = {"ctr": 0.01, "conversion": 0.02, "lead_rate": 0.05}
# Where the bloggers of a brief come from.
LIST_KINDS: tuple[str, ...] = ("database", "filter", "shortlist", "upload")
MAX_PRODUCT_UNITS = 1_000_000

# Why a brief cannot be made or planned, by code (the page translates the code, planner.core.i18n "brief_error.*").
BRIEF_ERRORS: dict[str, str] = {
    "niche_mode": "niche mode must be one of only, prefer, got {value}",
    "reach_weight": "the reach weight must lie between 0 and 1",
    "budget": "the budget must be positive",
    "currency": "unknown currency {value}",
    "goal": "the goal must be one of awareness, engagement, traffic, sales, leads, got {value}",
    "countries": "a target country must be a two- or three-letter code, got {value}",
    "gender": "the target gender must be female or male, got {value}",
    "ages": "unknown age group {value}",
    "platforms": "unknown platform {value}",
    "formats": "unknown format {value}",
    "min_credibility": "the minimum credibility must be a share between 0 and 1, got {value}",
    "max_share_range": "the largest share of the budget on one blogger must lie in (0, 1], got {value}",
    "platform_bounds": "the budget share of {platform} must lie between 0 and 1 with the minimum not above the maximum",
    "locks_clash": "bloggers both locked in and kicked out: {names}",
    "category": "unknown product category {value}",
    "rates": "the outcome rate {name} must be a share between 0 and 1, got {value}",
    "fx": "the exchange rate of {name} must be a positive number, got {value}",
    "tier_bounds": "tier bounds must be {n} increasing follower counts above 0",
    "pool_sizes": "the size of the audience pool {name} must be a positive number of people, got {value}",
    "overlaps": "a measured overlap must name two different bloggers and a share between 0 and 1",
    "bloggers": "the list of bloggers is not valid: {reason}",
    "must_missing": "must-have bloggers not in the database: {names}",
    "must_excluded": "must-have bloggers excluded by the brief (platform, credibility or brand safety): {names}",
    "must_unpriced": ("must-have bloggers with no placement to book (no quoted price for the allowed formats; allow "
                      "estimated prices or other formats to plan on them): {names}"),
    "no_candidates": "no blogger in the database matches the brief (platforms, formats, niches, credibility, safety)",
    "only_estimates": ("no blogger matching the brief has a quoted price for the allowed formats ({n} placements "
                       "have only estimated prices: allow estimated prices to plan on them)"),
    "max_share": "every candidate costs more than the allowed share of the budget",
    "product": ("the product budget needs a whole number of units (0 or more), a cost price and shipping of 0 or "
                "more and a retail value above 0"),
}


class BriefError(CodedError, ValueError):
    """The brief cannot be made or planned (:data:`BRIEF_ERRORS`; planner.core.i18n "brief_error.<code>")."""

    MESSAGES = BRIEF_ERRORS
    I18N_PREFIX = "brief_error."


def _strings(values: Iterable[Any] | str | None, *, lower: bool = False, upper: bool = False) -> tuple[str, ...]:
    """A tuple of stripped, non-empty strings in their first order, each once."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = (values,)
    out: list[str] = []
    for v in values:
        s = str(v).strip()
        s = s.lower() if lower else s.upper() if upper else s
        if s and s not in out:
            out.append(s)
    return tuple(out)


def _ids(values: Iterable[Any] | None) -> tuple[int, ...]:
    """Whole numbers in their first order, each once (linear: a filter's list holds thousands)."""
    out: dict[int, None] = {}
    for v in values or ():
        if isinstance(v, bool):
            raise TypeError("an id is a whole number")
        f = float(v)
        if not f.is_integer():
            raise ValueError("an id is a whole number")
        out.setdefault(int(f), None)
    return tuple(out)


def digest_ids(ids: Iterable[int]) -> str:
    """The content digest of a list of the database's bloggers: its ids, in any order."""
    return hashlib.sha256(",".join(str(int(i)) for i in sorted(set(ids))).encode()).hexdigest()


@dataclass(frozen=True)
class BloggerList:
    """The bloggers a brief plans on, stored by identity and content so the same list can be read back:
    ``database`` (the whole blogger database), ``filter`` (the database's bloggers a filter kept: their ids and the
    filter, for people), ``shortlist`` (the ids picked on the Database page), ``upload`` (a file's rows, stored in
    the database as a list of its own: ``list_id`` and the rows' digest; planner.storage.lists)."""

    kind: str = "database"
    ids: tuple[int, ...] = ()
    list_id: int | None = None
    digest: str = ""
    label: str = ""  # where it came from, for people: a file's name, the filter described
    size: int = 0

    def __post_init__(self) -> None:
        if self.kind not in LIST_KINDS:
            raise BriefError("bloggers", reason=f"unknown kind {self.kind!r}")
        try:
            ids = tuple(sorted(_ids(self.ids)))
        except (TypeError, ValueError):
            raise BriefError("bloggers", reason="ids must be whole numbers") from None
        object.__setattr__(self, "ids", ids)
        object.__setattr__(self, "label", str(self.label or "")[:300])
        if self.kind == "database":
            if ids or self.list_id is not None:
                raise BriefError("bloggers", reason="the whole database takes no ids")
            object.__setattr__(self, "digest", "")
            object.__setattr__(self, "size", 0)
        elif self.kind in ("filter", "shortlist"):
            if self.list_id is not None:
                raise BriefError("bloggers", reason="a filter or shortlist is the database's bloggers, by id")
            object.__setattr__(self, "digest", digest_ids(ids))
            object.__setattr__(self, "size", len(ids))
        else:
            if not isinstance(self.list_id, int) or isinstance(self.list_id, bool) or self.list_id <= 0:
                raise BriefError("bloggers", reason="an uploaded list needs its stored id")
            if not self.digest or len(self.digest) != 64:
                raise BriefError("bloggers", reason="an uploaded list needs its content digest")
            if ids:
                raise BriefError("bloggers", reason="an uploaded list keeps its rows in storage, not ids")
            object.__setattr__(self, "size", int(self.size or 0))

    @property
    def whole_database(self) -> bool:
        return self.kind == "database"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "ids": list(self.ids), "list_id": self.list_id, "digest": self.digest,
                "label": self.label, "size": self.size}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> BloggerList:
        if not data:
            return cls()
        names = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {k: (tuple(v) if k == "ids" else v) for k, v in dict(data).items() if k in names}
        return cls(**kwargs)


def _bounds(value: Mapping[str, Any] | None) -> dict[str, tuple[float | None, float | None]]:
    out: dict[str, tuple[float | None, float | None]] = {}
    for name, pair in dict(value or {}).items():
        p = str(name).strip().lower()
        try:
            lo_v, hi_v = pair
        except (TypeError, ValueError):
            raise BriefError("platform_bounds", platform=p) from None
        lo = None if lo_v is None else finite_or_none(lo_v)
        hi = None if hi_v is None else finite_or_none(hi_v)
        bad = (p not in PLATFORMS or (lo_v is not None and lo is None) or (hi_v is not None and hi is None)
               or (lo is not None and not 0 <= lo <= 1) or (hi is not None and not 0 <= hi <= 1)
               or (lo is not None and hi is not None and lo > hi))
        if bad:
            raise BriefError("platform_bounds", platform=p)
        if lo is not None or hi is not None:
            out[p] = (lo, hi)
    return dict(sorted(out.items()))


@dataclass(frozen=True, eq=True)
class Brief(FrozenMappings):
    """What the client wants (see the module's docstring). Money is in ``currency``; shares are fractions."""

    budget: float
    currency: str = "RUB"
    goal: str = "awareness"
    countries: tuple[str, ...] = ()  # target audience countries (ISO codes)
    gender: str | None = None  # "female" / "male"
    ages: tuple[str, ...] = ()  # AGE_BUCKETS
    niches: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()  # allowed platforms (empty: all)
    formats: tuple[str, ...] = FORMATS  # allowed formats
    min_credibility: float = benchmarks.FRAUD_THRESHOLD
    # bloggers with no credibility data (their credibility a benchmark estimate, ≈) pass the credibility floor only
    # when the user says so: an explicit, visible choice
    include_unknown_credibility: bool = False
    max_share: float | None = None  # of the budget on one blogger
    platform_bounds: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)
    must_include: tuple[int, ...] = ()  # blogger ids locked in
    must_exclude: tuple[int, ...] = ()  # blogger ids kicked out
    category: str | None = None  # restricted product category (CATEGORIES)
    allow_packages: bool = False
    reach_weight: float = 0.5
    rates: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RATES))  # outcome rates (fractions)
    allow_estimated_prices: bool = False  # also plan formats whose price is a benchmark estimate (≈)
    niche_mode: str = "only"  # NICHE_MODES
    # a product budget for barter and hybrid deals (mixed plans, planner.planning.barter): units available, the
    # cost price and retail value of one unit and shipping per parcel, in ``currency``; 0 units: paid only
    product_units: int = 0
    product_cost: float = 0.0
    product_retail: float = 0.0
    product_shipping: float = 0.0
    # the bloggers planned on, and the assumptions the plan used
    bloggers: BloggerList = field(default_factory=BloggerList)
    fx: Mapping[str, float] = field(default_factory=lambda: dict(money.DEFAULT_FX_RUB))  # RUB per unit
    tier_bounds: tuple[int, ...] | None = None  # follower counts between tiers (None: the benchmark's)
    pool_sizes: Mapping[str, float] = field(default_factory=dict)  # audience pool -> people (overrides)
    overlaps: tuple[tuple[int, int, float], ...] = ()  # measured overlaps: (id, id, share of the smaller)

    __hash__ = FrozenMappings.__hash__  # hashable although it holds mappings (read-only views)

    def __post_init__(self) -> None:  # noqa: C901 - one check per field, in field order
        put = self._put
        budget = finite_or_none(self.budget)
        if budget is None or budget <= 0:
            raise BriefError("budget")
        put("budget", budget)
        put("currency", str(self.currency or "").strip().upper())
        if self.currency not in CURRENCIES:
            raise BriefError("currency", value=repr(self.currency))
        if self.goal not in GOALS:
            raise BriefError("goal", value=repr(self.goal))
        put("countries", _strings(self.countries, upper=True))
        for c in self.countries:
            if not (c.isalpha() and 2 <= len(c) <= 3):
                raise BriefError("countries", value=repr(c))
        gender = None if self.gender in (None, "", "any") else str(self.gender).strip().lower()
        if gender is not None and gender not in GENDERS:
            raise BriefError("gender", value=repr(self.gender))
        put("gender", gender)
        put("ages", _strings(self.ages))
        for a in self.ages:
            if a not in AGE_BUCKETS:
                raise BriefError("ages", value=repr(a))
        put("niches", _strings(self.niches, lower=True))
        put("keywords", _strings(self.keywords))
        put("platforms", _strings(self.platforms, lower=True))
        for p in self.platforms:
            if p not in PLATFORMS:
                raise BriefError("platforms", value=repr(p))
        put("formats", _strings(self.formats, lower=True) or FORMATS)
        for f in self.formats:
            if f not in FORMATS:
                raise BriefError("formats", value=repr(f))
        cred = finite_or_none(self.min_credibility)
        if cred is None or not 0 <= cred <= 1:
            raise BriefError("min_credibility", value=repr(self.min_credibility))
        put("min_credibility", cred)
        if self.max_share is not None:
            share = finite_or_none(self.max_share)
            if share is None or not 0 < share <= 1:
                raise BriefError("max_share_range", value=repr(self.max_share))
            put("max_share", share)
        put("platform_bounds", _bounds(self.platform_bounds))
        try:
            put("must_include", _ids(self.must_include))
            put("must_exclude", _ids(self.must_exclude))
        except (TypeError, ValueError):
            raise BriefError("bloggers", reason="locked and kicked-out bloggers are ids") from None
        clash = sorted(set(self.must_include) & set(self.must_exclude))
        if clash:
            raise BriefError("locks_clash", names=", ".join(map(str, clash)))
        category = None if self.category in (None, "", "none") else str(self.category)
        if category is not None and category not in CATEGORIES:
            raise BriefError("category", value=repr(self.category))
        put("category", category)
        put("allow_packages", bool(self.allow_packages))
        w = finite_or_none(self.reach_weight)
        if w is None or not 0.0 <= w <= 1.0:
            raise BriefError("reach_weight")
        put("reach_weight", w)
        rates: dict[str, float] = dict(DEFAULT_RATES)
        for name, value in dict(self.rates or {}).items():
            v = finite_or_none(value)
            if v is None or not 0 <= v <= 1:
                raise BriefError("rates", name=str(name), value=repr(value))
            rates[str(name)] = v
        put("rates", rates)
        put("allow_estimated_prices", bool(self.allow_estimated_prices))
        put("include_unknown_credibility", bool(self.include_unknown_credibility))
        if self.niche_mode not in NICHE_MODES:
            raise BriefError("niche_mode", value=repr(self.niche_mode))
        self._check_product()
        if isinstance(self.bloggers, Mapping):
            put("bloggers", BloggerList.from_dict(self.bloggers))
        if not isinstance(self.bloggers, BloggerList):
            raise BriefError("bloggers", reason="not a list of bloggers")
        fx: dict[str, float] = dict(money.DEFAULT_FX_RUB)
        for name, value in dict(self.fx or {}).items():
            v = finite_or_none(value)
            if v is None or v <= 0:
                raise BriefError("fx", name=str(name), value=repr(value))
            fx[str(name).upper()] = v
        put("fx", dict(sorted(fx.items())))
        if self.currency not in self.fx:
            raise BriefError("currency", value=repr(self.currency))
        if self.tier_bounds is not None:
            try:
                tb = tuple(int(float(b)) for b in self.tier_bounds)
            except (TypeError, ValueError):
                raise BriefError("tier_bounds", n=len(TIERS) - 1) from None
            if (len(tb) != len(TIERS) - 1 or tb[0] <= 0 or any(b >= c for b, c in zip(tb, tb[1:], strict=False))
                    or any(float(b) != int(float(b)) for b in self.tier_bounds)):
                raise BriefError("tier_bounds", n=len(TIERS) - 1)
            put("tier_bounds", None if tb == benchmarks.DEFAULT_TIER_BOUNDS else tb)
        pools: dict[str, float] = {}
        for name, value in dict(self.pool_sizes or {}).items():
            v = finite_or_none(value)
            if v is None or v <= 0:
                raise BriefError("pool_sizes", name=str(name), value=repr(value))
            pools[str(name)] = v
        put("pool_sizes", dict(sorted(pools.items())))
        put("overlaps", self._clean_overlaps(self.overlaps))
        self._freeze_mappings()

    def _put(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def _check_product(self) -> None:
        units, cost = self.product_units, self.product_cost
        retail, ship = self.product_retail, self.product_shipping
        try:
            n = float(units)
            money_ok = all(math.isfinite(float(x)) and float(x) >= 0 for x in (cost, retail, ship))
            ok = (not isinstance(units, bool) and n.is_integer() and 0 <= n <= MAX_PRODUCT_UNITS and money_ok
                  and (int(n) == 0 or float(retail) > 0))
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise BriefError("product")
        self._put("product_units", int(float(units)))
        for name in ("product_cost", "product_retail", "product_shipping"):
            self._put(name, float(getattr(self, name)))

    @staticmethod
    def _clean_overlaps(items: Iterable[Any] | None) -> tuple[tuple[int, int, float], ...]:
        out: dict[tuple[int, int], float] = {}
        for item in items or ():
            try:
                a, b, share = item
                ia, ib = _ids((a,))[0], _ids((b,))[0]
            except (TypeError, ValueError, IndexError):
                raise BriefError("overlaps") from None
            v = finite_or_none(share)
            if ia == ib or v is None or not 0 <= v <= 1:
                raise BriefError("overlaps")
            out[(min(ia, ib), max(ia, ib))] = v
        return tuple((a, b, v) for (a, b), v in sorted(out.items()))

    # ---- reading it -----------------------------------------------------------------------------------------
    @property
    def mixed(self) -> bool:
        """Whether the brief has a product budget (barter and hybrid deals beside paid ones)."""
        return self.product_units > 0

    @property
    def has_target(self) -> bool:
        return bool(self.countries or self.gender or self.ages)

    @property
    def rates_used(self) -> money.Rates:
        """The exchange rates the plan converts prices with (the one conversion, planner.core.money.Rates)."""
        return money.Rates.of(self.fx)

    # ---- identity and JSON ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples as lists, mappings as dicts); :meth:`from_dict` reads it back exactly."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "bloggers":
                v = v.to_dict()
            elif f.name == "platform_bounds":
                v = {k: [lo, hi] for k, (lo, hi) in v.items()}
            elif f.name == "overlaps":
                v = [[a, b, s] for a, b, s in v]
            elif isinstance(v, Mapping):
                v = dict(v)
            elif isinstance(v, tuple):
                v = list(v)
            out[f.name] = v
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Brief:
        """A brief from :meth:`to_dict` (or a stored older one: names this version does not know are ignored,
        missing ones take their defaults)."""
        names = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for name, v in dict(data).items():
            if name not in names:
                continue
            if name == "platform_bounds":
                v = {k: (b[0], b[1]) for k, b in (v or {}).items()}
            elif name == "bloggers":
                v = BloggerList.from_dict(v)
            elif name == "overlaps":
                v = tuple(tuple(x) for x in (v or ()))
            elif isinstance(v, list):
                v = tuple(v)
            kwargs[name] = v
        return cls(**kwargs)

    def to_json(self) -> str:
        """Canonical JSON: the same brief gives the same text."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> Brief:
        return cls.from_dict(json.loads(text))

    def fingerprint(self, *, without: Iterable[str] = ()) -> str:
        """A digest of everything the brief says (``without``: fields to leave out, e.g. the reach weight for what
        does not depend on it). Two briefs with one fingerprint plan the same on the same data."""
        skip = set(without)
        unknown = skip - {f.name for f in fields(self)}
        if unknown:
            raise KeyError(f"not a field of the brief: {', '.join(sorted(unknown))}")
        data = {k: v for k, v in self.to_dict().items() if k not in skip}
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def candidates_fingerprint(self) -> str:
        """What the candidates depend on: everything but the reach weight and the outcome rates."""
        return self.fingerprint(without=("reach_weight", "rates"))
