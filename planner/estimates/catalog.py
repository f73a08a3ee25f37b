"""Search and filter over the blogger database, fast enough for a million rows.

The enriched DataFrame (planner.estimates.metrics.enrich) is turned once into numpy columns; a filter is
a conjunction of vectorised masks. Niches are a bit mask, platforms and tiers small integer codes.

Money stays in each row's own currency (a code per row into the few distinct currencies): the catalog does not
depend on anyone's exchange rates, so it is built once per data version and shared. The rates are applied when a
price is filtered, sorted or shown (:meth:`Catalog.amounts`: one factor per distinct currency, gathered per row).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from planner.core import audience, money
from planner.core.memo import LruMemo
from planner.core.money import Rates
from planner.core.schema import AGE_BUCKETS, FORMATS, NICHES, PLATFORMS, RESTRICTED_CATEGORIES
from planner.estimates import benchmarks, metrics

SORT_KEYS: tuple[str, ...] = ("followers", "engagement_rate", "credibility", "reach_post", "price_main", "cpm_main")
# the catalog's amounts, each in its row's own currency (Catalog.amounts converts them)
MONEY_COLUMNS: tuple[str, ...] = ("price_main", "cpm_main", *(f"price_{f}" for f in FORMATS))
RatesLike = Rates | Mapping[str, float] | None


@dataclass(frozen=True)
class Filters:
    """What the user asked for. Ranges are inclusive; None means open. Shares are fractions."""

    platforms: tuple[str, ...] = ()
    niches: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    followers_min: float | None = None
    followers_max: float | None = None
    er_min: float | None = None  # percent
    er_max: float | None = None
    min_credibility: float = benchmarks.FRAUD_THRESHOLD
    include_unknown_credibility: bool = False  # bloggers without credibility data pass the floor (≈ estimate)
    audience_country: str | None = None
    audience_country_min: float = 0.0
    audience_gender: str | None = None  # "female" or "male"
    audience_gender_min: float = 0.0
    audience_age: str | None = None  # one of AGE_BUCKETS
    audience_age_min: float = 0.0
    price_format: str = "post"
    price_min: float | None = None  # in the display currency
    price_max: float | None = None
    barter_only: bool = False
    exclude_flags: tuple[str, ...] = ()
    search: str = ""

    def active(self) -> int:
        """How many filters differ from the defaults."""
        default = Filters()
        return sum(getattr(self, f.name) != getattr(default, f.name) for f in fields(self)
                   if f.name not in ("price_format",))

    def to_dict(self) -> dict[str, Any]:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Filters:
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in data:
                v = data[f.name]
                kwargs[f.name] = tuple(v) if isinstance(v, list | tuple) else v
        return cls(**kwargs)


def rates_key(rates: RatesLike) -> tuple[tuple[str, float], ...]:
    """The rates as a memo key: the same rates give the same key whatever order they were given in."""
    return tuple(sorted(money.Rates.of(rates).table.items()))


def _money_key(f: Filters, currency: str, sort: str, rates: RatesLike) -> tuple[Any, Any]:
    """What money puts into a view's memo key: the display currency and the rates when the view filters by a
    price, the rates when it sorts by money, nothing otherwise (such a view is the same for every user's currency
    and rates: shared, not computed again after someone's rate edit)."""
    priced = f.price_min is not None or f.price_max is not None
    money_sort = sort in MONEY_COLUMNS or sort.startswith("price_")
    return (currency if priced else None), (rates_key(rates) if priced or money_sort else None)


@dataclass
class Catalog:
    """Column arrays of an enriched blogger frame, ready for fast filtering. Amounts stay in each row's currency;
    the methods that filter, sort or show them take the exchange rates (``rates``: the built-in defaults when
    None), so that one catalog serves every user's rates."""

    frame: pd.DataFrame
    tier_bounds: tuple[int, ...] = benchmarks.DEFAULT_TIER_BOUNDS

    def __post_init__(self) -> None:
        df = self.frame
        n = len(df)
        self.n = n
        self.platform = _codes(df["platform"], PLATFORMS)
        self.niche_bits = niche_bitmask(df["niches"])
        self.followers = df["followers"].to_numpy(dtype=np.float64)
        self._tiers: dict[tuple[int, ...], np.ndarray] = {}
        self.er = df["engagement_rate"].to_numpy(dtype=np.float32, na_value=np.nan)
        self.credibility = df["credibility"].to_numpy(dtype=np.float32, na_value=np.nan)
        self.credibility_estimated = (_bool(df, "credibility_estimated") if "credibility_estimated" in df
                                      else np.zeros(len(df), dtype=bool))
        country = df["country"].astype("string").fillna("").str.upper()
        self.country_values, self.country = _sorted_codes(country)
        self.female = _f32(df, "audience_female")
        self.age = {b: _f32(df, f"audience_age_{b}") for b in AGE_BUCKETS}
        self.audience_countries: dict[str, np.ndarray] = audience_country_shares(df["audience_countries"])
        # prices in each row's own currency: a code per row into the distinct currencies (a missing one is RUB,
        # an unknown one an unknown amount: Rates.factors); the rates are applied per call (amounts)
        cur_codes, cur_values = pd.factorize(df["currency"].astype(object), use_na_sentinel=True)
        self.currency_values: tuple[Any, ...] = (*(str(c) for c in cur_values), "")  # the last: no currency
        self.currency_code = np.where(cur_codes < 0, len(cur_values), cur_codes).astype(np.int32)
        price = {f: df[f"price_{f}"].to_numpy(dtype=np.float64, na_value=np.nan) for f in FORMATS}
        reach = df["reach_post"].to_numpy(dtype=np.float64, na_value=np.nan) if "reach_post" in df else (
            np.full(n, np.nan))
        self.reach_post = reach
        # the platform's regular placement (post, video or short): its price and its CPM on expected impressions
        plat_names = df["platform"].astype("string").fillna("").str.lower()
        plat_codes, plat_values = pd.factorize(plat_names)  # a handful of distinct platforms: map those, not rows
        self.main_format = np.array([benchmarks.PRIMARY_FORMAT.get(p, "post") for p in plat_values] or ["post"],
                                    dtype=object)[np.maximum(plat_codes, 0)]
        price_main = np.full(n, np.nan)
        self.price_main_estimated = np.zeros(n, dtype=bool)
        imps = np.full(n, np.nan)
        for fmt in FORMATS:
            rows = self.main_format == fmt
            if rows.any():
                price_main[rows] = price[fmt][rows]
                col = f"price_{fmt}_estimated"
                if col in df:
                    self.price_main_estimated[rows] = df[col].to_numpy(dtype=bool)[rows]
                imps[rows] = np.asarray(metrics.impressions(reach[rows], fmt), dtype=np.float64)
        cpm_main = np.asarray(metrics.cpm(price_main, imps), dtype=np.float64)  # in the row's currency too
        self._money: dict[str, np.ndarray] = {"price_main": price_main, "cpm_main": cpm_main,
                                              **{f"price_{f}": price[f] for f in FORMATS}}
        for values in self._money.values():
            values.setflags(write=False)  # shared by every session: read-only
        # a CPM resting on an estimated price or an estimated reach is an estimate itself (≈)
        self.reach_post_estimated = (_bool(df, "reach_post_estimated") if "reach_post_estimated" in df
                                     else np.zeros(n, dtype=bool))
        self.cpm_main_estimated = (self.price_main_estimated | self.reach_post_estimated) & np.isfinite(cpm_main)
        self.barter = df["accepts_barter"].fillna(False).to_numpy(dtype=bool)
        flags = {
            "fraud": self.credibility < benchmarks.FRAUD_THRESHOLD,
            "profanity": _bool(df, "flag_profanity"),
            "competitor_ads": _bool(df, "flag_competitor_ads"),
        }
        for c in RESTRICTED_CATEGORIES:
            flags[c] = _bool(df, f"ad_{c}")
        self.flags = flags
        self._search_arrow = self._build_search_text()
        self._memo = LruMemo(64)  # views' rows and summaries, search hits
        self.n_sample = int((df["source"] == "sample").sum()) if "source" in df and n else 0
        self.ids = df["id"].to_numpy(dtype=np.int64) if "id" in df else np.arange(n, dtype=np.int64)
        if n == 0:
            self.country = np.zeros(0, dtype=np.int64)

    # ---- derived columns, built once in the constructor ---------------------------------------
    # The catalog is shared by every session (st.cache_resource builds it once per data version): nothing in it
    # is built lazily by whichever session gets there first (STYLE rule 17).
    def _build_search_text(self) -> pa.Array:
        """Per row: handle, name and city, normalised like :func:`search_key`, with the city's other names
        (Russian, English, transliterated; :func:`city_names`) so that "Москва" finds Moscow. Built in Arrow
        (no Python string per row)."""
        df = self.frame
        if not len(df):
            return pa.array([], pa.large_string())

        def text(col: str) -> pa.Array:
            return pa.array(df[col].astype("string").fillna(""), type=pa.large_string())

        def sep(s: str) -> pa.Scalar:
            return pa.scalar(s, pa.large_string())

        head = pc.utf8_lower(pc.binary_join_element_wise(text("handle"), text("name"), sep(" ")))
        head = pc.replace_substring(pc.replace_substring(head, "ё", "е"), "-", " ")
        codes, cities = pd.factorize(df["city"].astype("string").fillna(""))
        city_text = pa.array([" | ".join(city_names(c)) for c in cities] or [""], type=pa.large_string())
        city = city_text.take(pa.array(np.maximum(codes, 0)))
        return pc.binary_join_element_wise(head, city, sep(" | "))

    def positions(self, ids: Sequence[int]) -> np.ndarray:
        """Row positions of the given blogger ids, in the order given (unknown ids left out)."""
        order = np.argsort(self.ids, kind="stable")
        wanted = np.asarray(list(ids), dtype=np.int64)
        at = np.searchsorted(self.ids, wanted, sorter=order)
        at = np.minimum(at, max(len(order) - 1, 0))
        if not len(order):
            return np.zeros(0, dtype=np.int64)
        found = self.ids[order[at]] == wanted
        return order[at[found]]

    def derived_for(self, stored: pd.DataFrame) -> pd.DataFrame:
        """The enriched rows of the bloggers in ``stored`` (rows of planner.storage.store.load_bloggers), row for
        row with the same index: the ``derived`` frame of planner.reporting.export.export_frame."""
        pos = self.positions(stored["id"].tolist())
        if len(pos) != len(stored):
            raise ValueError("some stored rows are not in the catalog (the data changed): reload")
        return self.frame.iloc[pos].set_index(stored.index)

    def tiers(self, bounds: Sequence[int] | None = None) -> np.ndarray:
        """Tier code per row (index into benchmarks.TIERS) for the given boundaries, cached."""
        key = tuple(int(b) for b in (bounds or self.tier_bounds))
        if key not in self._tiers:
            self._tiers[key] = benchmarks.tier_codes(self.followers, key).astype(np.int8)
        return self._tiers[key]

    @property
    def tier(self) -> np.ndarray:
        return self.tiers()

    # ---- money: each row's own currency, converted per call ----------------------------------------
    def factors(self, currency: str = "RUB", rates: RatesLike = None, idx: np.ndarray | None = None) -> np.ndarray:
        """Per row (of ``idx``, else every row): the factor turning an amount in the row's own currency into
        ``currency`` at ``rates`` (planner.core.money.Rates; a row without a currency is in roubles, one with an
        unknown currency gives NaN). One factor per distinct currency, gathered: a few milliseconds for a
        million rows."""
        per = money.Rates.of(rates).factors(np.array(self.currency_values, dtype=object), currency, default="RUB",
                                             unknown_as_nan=True)
        return per[self.currency_code if idx is None else self.currency_code[idx]]

    def amounts(self, column: str, currency: str = "RUB", rates: RatesLike = None,
                idx: np.ndarray | None = None) -> np.ndarray:
        """A money column (MONEY_COLUMNS: ``price_main``, ``cpm_main``, ``price_<format>``) in ``currency`` at
        ``rates``, for the rows ``idx`` (else every row); NaN where unknown."""
        values = self._money[column]
        if idx is not None:
            values = values[idx]
        return values * self.factors(currency, rates, idx)

    # ---- filtering -----------------------------------------------------------------------
    def mask(self, f: Filters, currency: str = "RUB", tier_bounds: Sequence[int] | None = None,
             rates: RatesLike = None) -> np.ndarray:
        """Rows matching the filters; a price range is in ``currency`` at ``rates`` (the defaults when None)."""
        m = np.ones(self.n, dtype=bool)
        if f.platforms:
            m &= np.isin(self.platform, [PLATFORMS.index(p) for p in f.platforms if p in PLATFORMS])
        if f.niches:
            bits = niche_bits_of(f.niches)
            m &= (self.niche_bits & bits) != 0
        if f.tiers:
            m &= np.isin(self.tiers(tier_bounds), [benchmarks.TIERS.index(t) for t in f.tiers if t in benchmarks.TIERS])
        if f.countries:
            wanted = np.flatnonzero(np.isin(self.country_values, [c.upper() for c in f.countries]))
            m &= np.isin(self.country, wanted)
        if f.followers_min is not None:
            m &= self.followers >= f.followers_min
        if f.followers_max is not None:
            m &= self.followers <= f.followers_max
        if f.er_min is not None:
            m &= self.er >= f.er_min
        if f.er_max is not None:
            m &= self.er <= f.er_max
        if f.min_credibility:
            m &= self.credibility >= np.float32(f.min_credibility) - np.float32(1e-6)
            if not f.include_unknown_credibility:  # no data: only when the user includes such bloggers
                m &= ~self.credibility_estimated
        if f.audience_country and f.audience_country_min > 0:
            share = self.audience_countries.get(f.audience_country.upper())
            m &= share >= f.audience_country_min if share is not None else False
        if f.audience_gender in ("female", "male") and f.audience_gender_min > 0:
            share = self.female if f.audience_gender == "female" else 1.0 - self.female
            m &= share >= f.audience_gender_min
        if f.audience_age in self.age and f.audience_age_min > 0:
            m &= self.age[f.audience_age] >= f.audience_age_min
        if f.price_min is not None or f.price_max is not None:
            column = f"price_{f.price_format}" if f"price_{f.price_format}" in self._money else "price_post"
            price = self.amounts(column, currency, rates)
            if f.price_min is not None:
                m &= price >= f.price_min
            if f.price_max is not None:
                m &= price <= f.price_max
        if f.barter_only:
            m &= self.barter
        for flag in f.exclude_flags:
            if flag in self.flags:
                m &= ~self.flags[flag]
        if f.search.strip():
            m &= self.search_hits(f.search)
        return m

    def search_hits(self, query: str) -> np.ndarray:
        """Rows whose handle, name or city holds the query: a substring search in Arrow (C++, no Python loop over
        a million strings), remembered for a few recent queries (a view and its count without the credibility
        filter search once); read-only."""
        needles = tuple(search_needles(query))

        def search() -> np.ndarray:
            hits = np.zeros(self.n, dtype=bool)
            for needle in needles:
                found = pc.match_substring(self._search_arrow, needle)
                hits |= found.to_numpy(zero_copy_only=False).astype(bool, copy=False)
            hits.setflags(write=False)
            return hits

        return self._memo.get(("search", needles), search)

    def select(self, f: Filters, currency: str = "RUB", sort: str = "followers", descending: bool = True,
               tier_bounds: Sequence[int] | None = None, rates: RatesLike = None) -> np.ndarray:
        """Row positions matching the filters, sorted (missing values last; money sorts at ``rates``). The answer
        is remembered for a few recent views (it is the same for everyone with the same rates: a team opening the
        default view computes it once); the returned array is read-only."""
        key = (repr(sorted(f.to_dict().items())), sort, bool(descending),
               tuple(int(b) for b in (tier_bounds or self.tier_bounds)), *_money_key(f, currency, sort, rates))

        def select() -> np.ndarray:
            out = self._select(f, currency, sort, descending, tier_bounds, rates)
            out.setflags(write=False)
            return out

        return self._memo.get(key, select)

    def summary(self, f: Filters, currency: str = "RUB",
                tier_bounds: Sequence[int] | None = None, rates: RatesLike = None) -> dict[str, Any]:
        """What the page shows above a view, computed once per view and rates for everyone (remembered beside
        :meth:`select`): ``n`` rows matching, ``median_er`` (per cent), ``median_cpm_rub`` of the main format
        (in roubles at ``rates``),
        ``total_reach`` of a post each, ``hidden_by_credibility`` (rows the credibility filter alone hides; of them
        ``hidden_unknown_credibility``: no credibility data, their estimate passing the floor if included) and
        the ``facets`` by platform and tier. Medians and sums skip missing values; None when nothing is there."""
        key = ("summary", repr(sorted(f.to_dict().items())), tuple(int(b) for b in (tier_bounds or self.tier_bounds)),
               _money_key(f, currency, "", rates)[0], rates_key(rates))  # the median CPM: at the rates, always

        def summarise() -> dict[str, Any]:
            idx = self.select(f, currency, tier_bounds=tier_bounds, rates=rates)
            er, cpm = self.er[idx], self.amounts("cpm_main", "RUB", rates, idx)
            hidden = unknown = 0
            if f.min_credibility > 0:
                everyone = self.select(replace(f, min_credibility=0.0), currency, tier_bounds=tier_bounds,
                                       rates=rates)
                hidden = len(everyone) - len(idx)
                if not f.include_unknown_credibility:
                    unknown = len(self.select(replace(f, include_unknown_credibility=True), currency,
                                              tier_bounds=tier_bounds, rates=rates)) - len(idx)
            return {
                "n": int(len(idx)),
                "median_er": float(np.nanmedian(er)) if np.isfinite(er).any() else None,
                "median_cpm_rub": float(np.nanmedian(cpm)) if np.isfinite(cpm).any() else None,
                "total_reach": float(np.nansum(self.reach_post[idx])),
                "hidden_by_credibility": int(hidden),
                # of those, rows without credibility data whose estimate would pass the floor if included
                "hidden_unknown_credibility": int(unknown),
                "facets": self.facets(idx, tier_bounds),
            }

        return dict(self._memo.get(key, summarise))

    def _select(self, f: Filters, currency: str, sort: str, descending: bool,
                tier_bounds: Sequence[int] | None, rates: RatesLike = None) -> np.ndarray:
        idx = np.flatnonzero(self.mask(f, currency, tier_bounds, rates))
        key = self.sort_values(sort, rates, idx)
        order = np.argsort(-key if descending else key, kind="stable")
        nan_last = np.isnan(key[order])
        return np.concatenate([idx[order][~nan_last], idx[order][nan_last]])

    def sort_values(self, sort: str, rates: RatesLike = None, idx: np.ndarray | None = None) -> np.ndarray:
        """The values a sort orders by, for the rows ``idx`` (else every row); money in roubles at ``rates``
        (price_main: each row's own main format, benchmarks.PRIMARY_FORMAT)."""
        if sort in ("price_main", "cpm_main") or sort.startswith("price_"):
            return self.amounts(sort if sort in self._money else "price_post", "RUB", rates, idx)
        if sort == "engagement_rate":
            values = self.er.astype(np.float64)
        elif sort == "credibility":
            values = self.credibility.astype(np.float64)
        elif sort == "reach_post":
            values = self.reach_post
        else:
            values = self.followers
        return values if idx is None else values[idx]

    def facets(self, idx: np.ndarray, tier_bounds: Sequence[int] | None = None) -> dict[str, dict[str, int]]:
        """Counts by platform and tier for the selected rows (for the summary above the table)."""
        plat = np.bincount(self.platform[idx][self.platform[idx] >= 0], minlength=len(PLATFORMS))
        tiers = self.tiers(tier_bounds)[idx]
        tier = np.bincount(tiers[tiers >= 0], minlength=len(benchmarks.TIERS))  # no followers: no tier
        return {"platform": {p: int(c) for p, c in zip(PLATFORMS, plat, strict=True) if c},
                "tier": {t: int(c) for t, c in zip(benchmarks.TIERS, tier, strict=True) if c}}


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, each row's index into them), as ``np.unique(..., return_inverse=True)`` gives,
    but factorised first: sorting a million strings is slow, sorting their few distinct values is not."""
    codes, uniques = pd.factorize(values)
    vals = np.asarray(uniques, dtype=str) if len(uniques) else np.zeros(0, dtype=str)
    order = np.argsort(vals, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return vals[order], rank[codes] if len(codes) else np.zeros(0, dtype=np.int64)


def _codes(values: pd.Series, vocabulary: Sequence[str]) -> np.ndarray:
    cat = pd.Categorical(values.astype("string").str.lower(), categories=list(vocabulary))
    return np.asarray(cat.codes, dtype=np.int8)


def _f32(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df:
        return np.full(len(df), np.nan, dtype=np.float32)
    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=np.float32, na_value=np.nan)


def _bool(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df:
        return np.zeros(len(df), dtype=bool)
    return df[col].astype("boolean").fillna(False).to_numpy(dtype=bool)


NICHE_BIT = {n: 1 << i for i, n in enumerate(NICHES)}


def niche_bits_of(niches: Sequence[str]) -> int:
    bits = 0
    for n in niches:
        bits |= NICHE_BIT.get(n, 0)
    return bits


def niche_bitmask(niches: pd.Series) -> np.ndarray:
    """One int64 per row, bit i set when the row lists NICHES[i] (free tags are ignored here)."""
    text = niches.astype("string").fillna("").str.lower()
    out = np.zeros(len(text), dtype=np.int64)
    # Work on the distinct niche strings: a real list has far fewer than rows.
    codes, uniques = pd.factorize(text)
    ubits = np.array([niche_bits_of([t.strip() for t in u.split(";")]) for u in uniques], dtype=np.int64)
    if len(uniques):
        out = ubits[codes]
    return out


def audience_country_shares(col: pd.Series) -> dict[str, np.ndarray]:
    """'RU:0.62;KZ:0.10' per row -> {country: float32 share per row} (planner.core.audience)."""
    return audience.country_shares(col)


# ---- search: a city by its Russian or English name ----------------------------------------------
# The largest cities of the market under their usual names; any other city is found through a
# Russian <-> Latin transliteration of its name (CLDR has no city names).
CITY_ALIASES: tuple[tuple[str, ...], ...] = (
    ("moscow", "москва", "moskva", "msk", "мск"),
    ("saint petersburg", "санкт-петербург", "st petersburg", "st. petersburg", "sankt-peterburg", "петербург",
     "peterburg", "питер", "spb", "спб"),
    ("novosibirsk", "новосибирск"),
    ("yekaterinburg", "екатеринбург", "ekaterinburg", "екб"),
    ("kazan", "казань"),
    ("nizhny novgorod", "нижний новгород", "nizhniy novgorod", "nizhnii novgorod"),
    ("chelyabinsk", "челябинск"),
    ("krasnoyarsk", "красноярск"),
    ("samara", "самара"),
    ("ufa", "уфа"),
    ("rostov-on-don", "ростов-на-дону", "rostov-na-donu", "rostov"),
    ("omsk", "омск"),
    ("krasnodar", "краснодар"),
    ("voronezh", "воронеж"),
    ("perm", "пермь"),
    ("volgograd", "волгоград"),
    ("sochi", "сочи"),
    ("kaliningrad", "калининград"),
    ("vladivostok", "владивосток"),
    ("minsk", "минск"),
    ("gomel", "гомель"),
    ("brest", "брест"),
    ("almaty", "алматы", "алма-ата", "alma-ata"),
    ("astana", "астана"),
    ("shymkent", "шымкент"),
    ("tashkent", "ташкент"),
    ("samarkand", "самарканд"),
    ("yerevan", "ереван"),
    ("gyumri", "гюмри"),
    ("tbilisi", "тбилиси"),
    ("batumi", "батуми"),
    ("baku", "баку"),
    ("bishkek", "бишкек"),
    ("dubai", "дубай"),
    ("abu dhabi", "абу-даби"),
    ("istanbul", "стамбул"),
    ("antalya", "анталья", "анталия"),
    ("berlin", "берлин"),
    ("hamburg", "гамбург"),
    ("munich", "мюнхен"),
    ("new york", "нью-йорк"),
    ("los angeles", "лос-анджелес"),
    ("miami", "майами"),
)

_CYR_LAT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                     "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))


def search_key(text: str) -> str:
    """Text as search compares it: lower case, ё as е, hyphens and runs of spaces as one space."""
    return " ".join(str(text).lower().replace("ё", "е").replace("-", " ").split())


def transliterate(text: str) -> str:
    """Russian letters in Latin (Москва -> moskva, Казань -> kazan); other characters as they are."""
    return "".join(_CYR_LAT.get(ch, ch) for ch in str(text).lower())


_CITY_GROUP: dict[str, tuple[str, ...]] = {}
for _names in CITY_ALIASES:
    _keys = tuple(dict.fromkeys(search_key(x) for x in (*_names, *(transliterate(x) for x in _names))))
    for _k in _keys:
        _CITY_GROUP[_k] = _keys


def city_names(city: str) -> tuple[str, ...]:
    """Every name a search may use for ``city`` (normalised): its own, its transliteration, and the other
    names of a known city ("Moscow" -> "moscow", "москва", "moskva", ...)."""
    key = search_key(city)
    if not key:
        return ()
    translit = search_key(transliterate(key))
    group = _CITY_GROUP.get(key) or _CITY_GROUP.get(translit) or ()
    return tuple(dict.fromkeys((key, translit, *group)))


def search_needles(query: str) -> tuple[str, ...]:
    """What a search looks for: the query normalised (a leading @ dropped) and its transliteration."""
    key = search_key(query.strip().lstrip("@"))
    return tuple(dict.fromkeys(x for x in (key, search_key(transliterate(key))) if x))
