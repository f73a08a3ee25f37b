"""Search and filter over the blogger database, fast enough for a million rows.

The enriched DataFrame (planner.estimates.metrics.enrich) is turned once into numpy columns; a filter is
a conjunction of vectorised masks. Niches are a bit mask, platforms and tiers small integer codes.

Money stays in each row's own currency (a code per row into the few distinct currencies): the catalog does not
depend on anyone's exchange rates, so it is built once per data version and shared. The rates are applied when a
price is filtered, sorted or shown (:meth:`Catalog.amounts`: one factor per distinct currency, gathered per row).
"""

from __future__ import annotations

import ast
import json
import shutil
import threading
import uuid
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
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
# a search looks at every row (once per query, remembered) when the other filters keep more than 1/4 of the list,
# else only at the rows they keep; a view of more than 1/16 of the list is taken from the list's sort order
SEARCH_ALL_ABOVE = 4
SORT_ALL_ABOVE = 16
SNAPSHOT_FORMAT = 1  # Catalog.save's layout; a snapshot of another layout is not read
# what a snapshot holds besides the frame, the search texts and the main formats (Catalog.save, Catalog.load)
_STATE_ARRAYS: tuple[str, ...] = (
    "platform", "niche_bits", "followers", "er", "credibility", "credibility_estimated", "country_values", "country",
    "female", "currency_code", "reach_post", "price_main_estimated", "reach_post_estimated", "cpm_main_estimated",
    "barter", "ids", "_id_order", "_city_code",
)
_STATE_DICTS: tuple[str, ...] = ("age", "audience_countries", "_money", "flags")


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
    # a catalog read from a snapshot (Catalog.load): its Arrow table, while the frame is made from it on a thread
    _table: pa.Table | None = field(default=None, init=False, repr=False, compare=False)
    _frame_ready: threading.Event | None = field(default=None, init=False, repr=False, compare=False)
    _frame_error: BaseException | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.frame = df = _one_piece(self.frame)
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
        self._search_head, self._city_code, self._city_text = self._build_search_text()
        self.n_sample = int((df["source"] == "sample").sum()) if "source" in df and n else 0
        self.ids = df["id"].to_numpy(dtype=np.int64) if "id" in df else np.arange(n, dtype=np.int64)
        self._id_order = np.argsort(self.ids, kind="stable")  # positions() looks ids up in it
        if n == 0:
            self.country = np.zeros(0, dtype=np.int64)
        self._freeze()
        self._views()

    def _freeze(self) -> None:
        """Every array of the catalog read-only: it is shared by every session."""
        for name in _STATE_ARRAYS:
            getattr(self, name).setflags(write=False)
        for name in _STATE_DICTS:
            for values in getattr(self, name).values():
                values.setflags(write=False)

    # ---- a snapshot on disk: a restarted server opens the catalog instead of building it -----------------
    def save(self, folder: Path) -> bool:
        """Write the catalog to ``folder`` (created whole or not at all: written beside it, then renamed): the
        enriched frame and the search texts as Arrow IPC, every array as .npy. False, nothing written, when the
        frame's index is not its row numbers (the snapshot keeps the rows, not the index), the catalog is
        empty or the folder exists."""
        frame = self.frame
        if not self.n or not (isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
                              and frame.index.step == 1):
            return False
        folder = Path(folder)
        if folder.exists():
            return False
        # unique beside the folder: replicas in containers may share the cache folder, and their process ids
        tmp = folder.with_name(f"{folder.name}.{uuid.uuid4().hex}.part")
        tmp.mkdir(parents=True)
        try:
            table = pa.Table.from_pandas(frame, preserve_index=False)  # its columns in one piece: one batch
            with pa.OSFile(str(tmp / "frame.arrow"), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
            del table
            for name, values in (("head", self._search_head), ("cities", self._city_text)):
                table = pa.table({"text": values})
                with pa.OSFile(str(tmp / f"search_{name}.arrow"), "wb") as sink, \
                        pa.ipc.new_file(sink, table.schema) as writer:
                    writer.write_table(table)
            arrays = {name: getattr(self, name) for name in _STATE_ARRAYS}
            for name in _STATE_DICTS:
                arrays.update({f"{name}.{key}": values for key, values in getattr(self, name).items()})
            pinned: list[dict[str, Any]] = []  # the default view, computed at build (a million rows: 0.5 s)
            for i, (key, value) in enumerate(self._pinned.items()):
                if isinstance(value, np.ndarray):
                    arrays[f"pinned.{i}"] = value
                    pinned.append({"key": repr(key), "array": f"pinned.{i}"})
                else:
                    pinned.append({"key": repr(key), "value": value})
            codes, formats = pd.factorize(pd.Series(self.main_format, dtype=object))
            arrays["main_format.codes"] = codes.astype(np.int8)
            for name, values in arrays.items():
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(values), allow_pickle=False)
            manifest = {"format": SNAPSHOT_FORMAT, "n": self.n, "tier_bounds": list(self.tier_bounds),
                        "pinned": pinned,
                        "n_sample": self.n_sample, "currency_values": list(self.currency_values),
                        "main_formats": [str(f) for f in formats],
                        "dicts": {name: list(getattr(self, name)) for name in _STATE_DICTS}}
            (tmp / "manifest.json").write_text(json.dumps(manifest))
            tmp.rename(folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(folder, Path) and folder.exists():  # another process wrote it first: keep theirs
                return False
            raise
        return True

    @classmethod
    def load(cls, folder: Path) -> Catalog:
        """A catalog written by :meth:`save` (the same one: every array, the frame and the default view as they
        were). The arrays are memory-mapped, read-only; the frame is converted from Arrow on a thread of its own.
        Raises ValueError for a snapshot of another format, OSError for a missing or damaged one."""
        folder = Path(folder)
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest.get("format") != SNAPSHOT_FORMAT:
            raise ValueError(f"catalog snapshot format {manifest.get('format')!r}, not {SNAPSHOT_FORMAT}")

        def array(name: str, per_row: bool = True) -> np.ndarray:
            values = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            if per_row and len(values) != manifest["n"]:
                raise ValueError(f"catalog snapshot: {name} has {len(values)} rows, not {manifest['n']}")
            return values

        def arrow(name: str) -> pa.Table:
            with pa.memory_map(str(folder / name)) as source:
                return pa.ipc.open_file(source).read_all()

        table = arrow("frame.arrow")
        if table.num_rows != manifest["n"]:
            raise ValueError("catalog snapshot: the frame's rows differ from its arrays'")
        cat = cls.__new__(cls)
        cat._table = table
        cat._frame_ready = threading.Event()
        cat._frame_error = None
        cat.tier_bounds = tuple(int(b) for b in manifest["tier_bounds"])
        cat.n = int(manifest["n"])
        cat.n_sample = int(manifest["n_sample"])
        cat.currency_values = tuple(manifest["currency_values"])
        for name in _STATE_ARRAYS:
            setattr(cat, name, array(name, per_row=name != "country_values"))
        for name in _STATE_DICTS:
            setattr(cat, name, {key: array(f"{name}.{key}") for key in manifest["dicts"][name]})
        cat.main_format = np.array(manifest["main_formats"] or ["post"], dtype=object)[array("main_format.codes")]
        cat._search_head = arrow("search_head.arrow").column("text").combine_chunks()
        cat._city_text = arrow("search_cities.arrow").column("text").combine_chunks()
        cat._tiers = {}
        cat._freeze()
        pinned = {ast.literal_eval(entry["key"]): array(entry["array"], per_row=False) if "array" in entry
                  else entry["value"]
                  for entry in manifest["pinned"]}
        cat._views(pinned)
        # the frame (a million rows: about 0.5 s) is made on a thread of its own: a first page needs only the rows
        # it shows (Catalog.rows reads them from the Arrow table meanwhile); ``frame`` waits for it
        threading.Thread(target=cat._convert, name="planner-catalog-frame", daemon=True).start()
        return cat

    def _convert(self) -> None:
        table, ready = self._table, self._frame_ready
        assert table is not None and ready is not None
        try:
            self.frame = table.to_pandas()
        except BaseException as exc:  # noqa: BLE001 - told to whoever asks for the frame
            self._frame_error = exc
        finally:
            ready.set()

    def __getattr__(self, name: str) -> Any:
        """``frame`` of a catalog read from a snapshot while its thread still makes it (Catalog.load): waits."""
        ready = self.__dict__.get("_frame_ready")
        if name != "frame" or ready is None:
            raise AttributeError(name)
        ready.wait()
        if self._frame_error is not None:
            raise RuntimeError("the catalog's frame could not be read from its snapshot") from self._frame_error
        return self.__dict__["frame"]

    def rows(self, idx: np.ndarray, columns: Sequence[str]) -> pd.DataFrame:
        """``frame.iloc[idx]`` of these columns (the same values, dtypes and index), without waiting for the frame
        of a catalog just read from its snapshot: then taken from its Arrow table."""
        if "frame" in self.__dict__ or self._table is None:
            frame, at = self.frame, np.asarray(idx, dtype=np.int64)
            return pd.DataFrame({c: frame[c].take(at) for c in columns})  # a column at a time: 2x faster than iloc
        part = self._table.select(list(columns)).take(pa.array(np.asarray(idx, dtype=np.int64)))
        out = part.to_pandas()
        out.index = pd.RangeIndex(self.n)[np.asarray(idx, dtype=np.int64)]
        return out

    # ---- derived columns, built once in the constructor ---------------------------------------
    # The catalog is shared by every session (st.cache_resource builds it once per data version): nothing in it
    # is built lazily by whichever session gets there first (STYLE rule 17).
    def _build_search_text(self) -> tuple[pa.Array, np.ndarray, pa.Array]:
        """What a search looks in, normalised like :func:`search_key`: per row its handle and name (``head``), and
        per distinct city all its names (Russian, English, transliterated; :func:`city_names`, joined by " | ")
        with each row's code into them, so that "Москва" finds Moscow. A row's text is its head, " | " and its
        city's names (:meth:`_row_text`); a query without "|" cannot match across that separator, so the head and
        the few distinct cities are searched apart. Built in Arrow (no Python string per row)."""
        df = self.frame
        if not len(df):
            return pa.array([], pa.large_string()), np.zeros(0, dtype=np.int32), pa.array([], pa.large_string())

        def text(col: str) -> pa.Array:
            return pa.array(df[col].astype("string").fillna(""), type=pa.large_string())

        def sep(s: str) -> pa.Scalar:
            return pa.scalar(s, pa.large_string())

        head = pc.utf8_lower(pc.binary_join_element_wise(text("handle"), text("name"), sep(" ")))
        head = pc.replace_substring(pc.replace_substring(head, "ё", "е"), "-", " ")
        codes, cities = pd.factorize(df["city"].astype("string").fillna(""))
        city_text = pa.array([" | ".join(city_names(c)) for c in cities] or [""], type=pa.large_string())
        return head, np.maximum(codes, 0).astype(np.int32), city_text

    def _row_text(self, rows: np.ndarray | None = None) -> pa.Array:
        """The searched text of the rows ``rows`` (else every row): head, " | ", the city's names."""
        head = self._search_head if rows is None else self._search_head.take(pa.array(rows))
        codes = self._city_code if rows is None else self._city_code[rows]
        city = self._city_text.take(pa.array(codes))
        return pc.binary_join_element_wise(head, city, pa.scalar(" | ", pa.large_string()))

    def positions(self, ids: Sequence[int]) -> np.ndarray:
        """Row positions of the given blogger ids, in the order given (unknown ids left out)."""
        order = self._id_order
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
            m &= _among(self.platform, [PLATFORMS.index(p) for p in f.platforms if p in PLATFORMS])
        if f.niches:
            bits = niche_bits_of(f.niches)
            m &= (self.niche_bits & bits) != 0
        if f.tiers:
            m &= _among(self.tiers(tier_bounds), [benchmarks.TIERS.index(t) for t in f.tiers if t in benchmarks.TIERS])
        if f.countries:
            wanted = np.flatnonzero(np.isin(self.country_values, [c.upper() for c in f.countries]))
            m &= np.isin(self.country, wanted) if len(wanted) > 8 else _among(self.country, wanted)
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
        if f.search.strip():  # last: only the rows the other filters keep are searched (when they are few)
            m &= self._search_within(f, currency, tier_bounds, rates)
        return m

    def _search_within(self, f: Filters, currency: str, tier_bounds: Sequence[int] | None,
                       rates: RatesLike) -> np.ndarray:
        """The search's hits among the rows every filter but the credibility floor and the search keeps: exact
        for those rows (a superset of the view's), False elsewhere. One search serves the view and its counts
        with and without the credibility filter (remembered, shared)."""
        wide = replace(f, min_credibility=0.0, include_unknown_credibility=False, search="")
        key = ("search-within", tuple(search_needles(f.search)), _filters_key(wide),
               _bounds_key(tier_bounds, self.tier_bounds), *_money_key(wide, currency, "", rates))

        def hits() -> np.ndarray:
            out = self.search_hits(f.search, within=self.mask(wide, currency, tier_bounds, rates))
            out.setflags(write=False)
            return out

        return self._get(key, hits)

    def search_hits(self, query: str, within: np.ndarray | None = None) -> np.ndarray:
        """Rows whose handle, name or city holds the query: a substring search in Arrow (C++, no Python loop over
        a million strings). ``within`` (a row mask): only those rows are asked, and the others are False, when
        they are a small part of the list (a platform and a niche chosen: a search among their few thousand
        rows); a search of most of the list is done over every row once and remembered for a few recent queries,
        for everyone (a view and its count without the credibility filter search once); read-only."""
        needles = tuple(search_needles(query))
        if within is not None and np.count_nonzero(within) * SEARCH_ALL_ABOVE <= self.n:
            rows = np.flatnonzero(within)
            hits = np.zeros(self.n, dtype=bool)
            hits[rows] = self._search(needles, rows)
            return hits

        def search() -> np.ndarray:
            hits = self._search(needles, None)
            hits.setflags(write=False)
            return hits

        return self._get(("search", needles), search)

    def _search(self, needles: tuple[str, ...], rows: np.ndarray | None) -> np.ndarray:
        """Which of the rows ``rows`` (else every row) hold one of the needles, in their head or their city's
        names; a needle with "|" (the separator) is looked for in the rows' whole text, as it is written."""
        count = self.n if rows is None else len(rows)
        hits = np.zeros(count, dtype=bool)
        if any("|" in needle for needle in needles):
            text = self._row_text(rows)
            for needle in needles:
                hits |= pc.match_substring(text, needle).to_numpy(zero_copy_only=False).astype(bool, copy=False)
            return hits
        head = self._search_head if rows is None else self._search_head.take(pa.array(rows))
        text = pa.chunked_array([head, self._city_text], type=pa.large_string())  # one pass: rows, then cities
        codes = self._city_code if rows is None else self._city_code[rows]
        for needle in needles:
            found = pc.match_substring(text, needle).to_numpy(zero_copy_only=False).astype(bool, copy=False)
            hits |= found[:count] | found[count:][codes]
        return hits

    def select(self, f: Filters, currency: str = "RUB", sort: str = "followers", descending: bool = True,
               tier_bounds: Sequence[int] | None = None, rates: RatesLike = None) -> np.ndarray:
        """Row positions matching the filters, sorted (missing values last; money sorts at ``rates``). The answer
        is remembered for a few recent views (it is the same for everyone with the same rates: a team opening the
        default view computes it once; the default view is computed when the catalog is built); the returned
        array is read-only."""
        key = (_filters_key(f), sort, bool(descending), _bounds_key(tier_bounds, self.tier_bounds),
               *_money_key(f, currency, sort, rates))

        def select() -> np.ndarray:
            out = self._sorted(self._rows(f, currency, tier_bounds, rates), sort, descending, rates)
            out.setflags(write=False)
            return out

        return self._get(key, select)

    def summary(self, f: Filters, currency: str = "RUB",
                tier_bounds: Sequence[int] | None = None, rates: RatesLike = None) -> dict[str, Any]:
        """What the page shows above a view, computed once per view and rates for everyone (remembered beside
        :meth:`select`): ``n`` rows matching, ``median_er`` (per cent), ``median_cpm_rub`` of the main format
        (in roubles at ``rates``),
        ``total_reach`` of a post each, ``hidden_by_credibility`` (rows the credibility filter alone hides; of them
        ``hidden_unknown_credibility``: no credibility data, their estimate passing the floor if included) and
        the ``facets`` by platform and tier. Medians and sums skip missing values; None when nothing is there."""
        key = ("summary", _filters_key(f), _bounds_key(tier_bounds, self.tier_bounds),
               _money_key(f, currency, "", rates)[0], rates_key(rates))  # the median CPM: at the rates, always

        def summarise() -> dict[str, Any]:
            idx = self._rows(f, currency, tier_bounds, rates)
            er, cpm = self.er[idx], self.amounts("cpm_main", "RUB", rates, idx)
            hidden = unknown = 0
            if f.min_credibility > 0:  # counts only: the masks, neither kept nor sorted
                everyone = np.count_nonzero(self.mask(replace(f, min_credibility=0.0), currency, tier_bounds, rates))
                hidden = int(everyone) - len(idx)
                if not f.include_unknown_credibility:
                    unknown = int(np.count_nonzero(self.mask(replace(f, include_unknown_credibility=True), currency,
                                                             tier_bounds, rates))) - len(idx)
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

        return dict(self._get(key, summarise))

    # ---- shared answers: remembered for everyone, the default view computed at load -------------------
    def _views(self, pinned: Mapping[Any, Any] | None = None) -> None:
        """The answers every session shares: a few recent views (rows, sorted rows, summaries, searches, sort
        orders) in an LRU memo, and the default view (no filter but the default credibility floor, sorted by
        followers, the default tier bounds and rates) computed now and kept for the catalog's life: a team
        opening the Database page finds it ready. ``pinned``: those answers read from a snapshot, by their key."""
        self._memo = LruMemo(64)
        self._pinned: dict[Hashable, Any] = dict(pinned or {})
        self._pinning = True
        try:
            self._order("followers", True, None)
            self.select(Filters())
            self.summary(Filters())
        finally:
            self._pinning = False

    def _get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        if key in self._pinned:
            return self._pinned[key]
        if self._pinning:
            self._pinned[key] = value = make()
            return value
        return self._memo.get(key, make)

    def _rows(self, f: Filters, currency: str, tier_bounds: Sequence[int] | None, rates: RatesLike) -> np.ndarray:
        """Positions of the rows matching the filters, in the list's order (read-only, remembered)."""
        key = ("rows", _filters_key(f), _bounds_key(tier_bounds, self.tier_bounds), *_money_key(f, currency, "", rates))

        def rows() -> np.ndarray:
            out = np.flatnonzero(self.mask(f, currency, tier_bounds, rates))
            out.setflags(write=False)
            return out

        return self._get(key, rows)

    def _order(self, sort: str, descending: bool, rates: RatesLike) -> np.ndarray:
        """Every row's position in a sort (stable, missing values last): what a view of most of the list is
        sorted by, shared; a money sort per rates."""
        money_sort = sort in MONEY_COLUMNS or sort.startswith("price_")
        key = ("order", sort, bool(descending), rates_key(rates) if money_sort else None)

        def order() -> np.ndarray:
            values = self.sort_values(sort, rates)
            out = np.argsort(-values if descending else values, kind="stable")
            out.setflags(write=False)
            return out

        return self._get(key, order)

    def _sorted(self, rows: np.ndarray, sort: str, descending: bool, rates: RatesLike) -> np.ndarray:
        """``rows`` sorted, missing values last, ties in the list's order. A few rows are sorted themselves; many
        are taken from the whole list's order in that sort (the same answer: a stable sort of the list keeps,
        among any of its rows, the order a stable sort of those rows gives)."""
        if len(rows) * SORT_ALL_ABOVE <= self.n:
            key = self.sort_values(sort, rates, rows)
            order = np.argsort(-key if descending else key, kind="stable")
            nan_last = np.isnan(key[order])
            return np.concatenate([rows[order][~nan_last], rows[order][nan_last]])
        order = self._order(sort, descending, rates)
        chosen = np.zeros(self.n, dtype=bool)
        chosen[rows] = True
        return order[chosen[order]]

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


def _one_piece(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with each Arrow-backed column in one piece (a Parquet read leaves them in pieces, one per row
    group: taking 100 rows of a column in 8 pieces costs about 6 ms, of one 0.03 ms; the table of a page takes
    them from a dozen columns on every run). The same values and dtypes; a column already whole is kept."""
    whole = {}
    for col in df.columns:
        values = df[col].array
        if hasattr(values, "__arrow_array__"):
            arrow = values.__arrow_array__()
            if isinstance(arrow, pa.ChunkedArray) and arrow.num_chunks > 1:
                whole[col] = pd.Series(pd.array(arrow.combine_chunks(), dtype=df[col].dtype), index=df.index)
    return df.assign(**whole) if whole else df


def _filters_key(f: Filters) -> str:
    return repr(sorted(f.to_dict().items()))


def _bounds_key(bounds: Sequence[int] | None, default: Sequence[int]) -> tuple[int, ...]:
    return tuple(int(b) for b in (bounds or default))


def _among(codes: np.ndarray, wanted: Sequence[int] | np.ndarray) -> np.ndarray:
    """``np.isin(codes, wanted)`` for a few small integer codes: one comparison of the codes per wanted value (a
    million int8 codes compared in a fraction of a millisecond; a lookup table indexed by them costs ten times
    more)."""
    m = np.zeros(len(codes), dtype=bool)
    for w in sorted({int(w) for w in wanted}):
        m |= codes == w
    return m


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
