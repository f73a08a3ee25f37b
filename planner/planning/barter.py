"""Barter against paid: what a placement really costs, per blogger and format.

The model (every figure an editable default with its source, :class:`planner.estimates.benchmarks.BarterBenchmarks`):

- **Paid**: the blogger's quoted fee for the format (a benchmark estimate only when the caller allows it, marked
  ``fee_source = "estimate"``). A paid post is published: its cost per published post is the fee.
- **Barter**: the brand's real cost is the product's cost price (not retail) x units + shipping + packaging
  (:attr:`BarterOffer.barter_cost`); the blogger values the product at retail. A barter post is not guaranteed:
  the **post rate** (share of accepted deals that end in a post) is the tier's default (seedingops.com: 30-50 %
  healthy for gifting, lower for big bloggers), moved by the blogger's own record of deals completed and
  cancelled when the data has one (a beta update: the tier rate counts as ``record_weight`` deals), and lower
  for a product everyone already has. Effective cost per published post = barter cost / post rate.
- **Acceptance**: the likelihood the blogger says yes: the tier's base rate (or the blogger's declared "accepts
  barter"), times the value factor (retail value against what the blogger asks: their own minimum when known,
  else the fee x the tier's ask multiple), times the product's fit with the blog's niches, times a factor for a
  product everyone has; 0 when the blogger refuses barter or the product is below their minimum. Each step
  that moved it is kept as a reason (a code and its parameters, translated by :mod:`planner.core.i18n`).
- **Hybrid**: the product plus a reduced fee (``hybrid_fee_share`` of the fee), with its own post rate; its
  base acceptance lies between barter's and paid's (1) in proportion to the fee kept.
- For each option: cost per published post, effective CPM, cost per expected engagement and per expected order
  (the plan's formulas: :mod:`planner.estimates.metrics`, :func:`planner.planning.placement.expected_engagements`,
  :func:`planner.planning.placement.expected_orders`), and the **break-even retail value**: the retail value per unit
  of a product with this offer's cost-to-retail ratio at which barter costs as much per published post as the
  fee; below it barter is cheaper per post, above it paid is. The blogger, meanwhile, asks for a retail value of
  at least ``asked_value``: barter works in the window between the two.
- **Recommendation**: the option with the lowest cost per published post among those at least
  ``min_acceptance`` likely to be accepted (paid always is), with a one-sentence reason; and the same at a post
  rate 10 points lower (sensitivity).

Inputs are a frozen, validated :class:`BarterOffer` and a tidy frame of placements (one row per blogger and
format: :func:`rows_from_bloggers`, :func:`rows_from_campaign`); results are tidy frames (:func:`compare`,
:func:`options`, :func:`break_even_curve`) and a totals dict (:func:`totals`). Money is in the offer's
currency; every conversion goes through :class:`planner.core.money.Rates`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planner.core import money, units
from planner.core.errors import CodedError
from planner.core.i18n import t
from planner.core.schema import CURRENCIES, FORMATS
from planner.estimates import benchmarks, metrics
from planner.estimates.benchmarks import BARTER, PLATFORM_FORMATS, PRIMARY_FORMAT, TIERS, BarterBenchmarks
from planner.planning import placement
from planner.planning.brief import DEFAULT_RATES, Brief

DEALS: tuple[str, ...] = ("paid", "barter", "hybrid")
FEE_SOURCES: tuple[str, ...] = ("quote", "estimate")
SENSITIVITY_POINTS = 0.10  # "how the recommendation changes if the post rate is 10 points lower"
READILY = 0.6  # an acceptance at least this high reads "accepts readily"
MIN_POST_RATE = 0.01  # a post rate moved below this (sensitivity) is held here

# Why an offer cannot be valued, by code (translated as "barter.error.<code>" in planner.core.i18n).
BARTER_ERRORS: dict[str, str] = {
    "product_cost": "the product's cost price must be a number of 0 or more, got {value}",
    "retail": "the product's retail value must be a positive number, got {value}",
    "shipping": "shipping must be a number of 0 or more, got {value}",
    "packaging": "packaging must be a number of 0 or more, got {value}",
    "units": "units per blogger must be a whole number from 1 to 1000, got {value}",
    "currency": "unknown currency {value}",
    "rate": "{name} must lie between 0 and 1, got {value}",
}


class BarterError(CodedError, ValueError):
    """An offer that cannot be valued (plain-language message; ``code`` and ``params`` for a translation)."""

    MESSAGES = BARTER_ERRORS
    I18N_PREFIX = "barter.error."


def _finite(x: object) -> bool:
    try:
        return math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class BarterOffer:
    """What the brand offers each blogger, in ``currency``: ``units`` of a product costing ``product_cost`` each
    to the brand and worth ``retail_value`` each at retail, plus ``shipping`` and ``packaging`` per parcel.
    ``niches``: the product's niches (its fit with a blog's topic; none: fit not judged). ``commonplace``: a
    product everyone already has (bloggers rarely post about it). ``ctr`` and ``conversion``: the outcome rates
    of the expected orders (editable assumptions, the plan's defaults)."""

    product_cost: float
    retail_value: float
    shipping: float = 0.0
    packaging: float = 0.0
    units: int = 1
    currency: str = "RUB"
    niches: tuple[str, ...] = ()
    commonplace: bool = False
    ctr: float = DEFAULT_RATES["ctr"]
    conversion: float = DEFAULT_RATES["conversion"]

    def __post_init__(self) -> None:
        for name, code in (("product_cost", "product_cost"), ("shipping", "shipping"), ("packaging", "packaging")):
            v = getattr(self, name)
            if isinstance(v, bool) or not _finite(v) or float(v) < 0:
                raise BarterError(code, value=repr(v))
            object.__setattr__(self, name, float(v))
        r = self.retail_value
        if isinstance(r, bool) or not _finite(r) or float(r) <= 0:
            raise BarterError("retail", value=repr(r))
        object.__setattr__(self, "retail_value", float(r))
        u = self.units
        if isinstance(u, bool) or not _finite(u) or float(u) != int(float(u)) or not 1 <= int(float(u)) <= 1000:
            raise BarterError("units", value=repr(u))
        object.__setattr__(self, "units", int(float(u)))
        if self.currency not in CURRENCIES:
            raise BarterError("currency", value=repr(self.currency))
        for name in ("ctr", "conversion"):
            v = getattr(self, name)
            if not _finite(v) or not 0 <= float(v) <= 1:
                raise BarterError("rate", name=name, value=repr(v))
        object.__setattr__(self, "niches", tuple(str(n).strip().lower() for n in self.niches if str(n).strip()))
        object.__setattr__(self, "commonplace", bool(self.commonplace))

    @property
    def product_total(self) -> float:
        """The product sent to one blogger at cost price."""
        return self.units * self.product_cost

    @property
    def barter_cost(self) -> float:
        """The brand's real cost of one barter deal: product at cost price + shipping + packaging."""
        return self.product_total + self.shipping + self.packaging

    @property
    def retail_total(self) -> float:
        """What the blogger sees: the product sent at retail value."""
        return self.units * self.retail_value

    @property
    def cost_ratio(self) -> float:
        """Cost price per unit of retail value."""
        return self.product_cost / self.retail_value

    @property
    def rates(self) -> dict[str, float]:
        return {"ctr": self.ctr, "conversion": self.conversion}


# ---- rows to value -----------------------------------------------------------------------------------------
ROW_COLUMNS: tuple[str, ...] = (
    "id", "handle", "platform", "format", "followers", "fee", "fee_source", "reach", "reach_source",
    "engagement_rate", "niches", "accepts_barter", "barter_min_value", "deals_completed", "deals_cancelled",
)


def _priced(df: pd.DataFrame, fmt: str, allow_estimates: bool) -> tuple[np.ndarray, np.ndarray]:
    """(has a usable price for ``fmt``, that price is an estimate) per row."""
    col = f"price_{fmt}"
    if col not in df.columns:
        z = np.zeros(len(df), dtype=bool)
        return z, z.copy()
    price = df[col].to_numpy(dtype=float, na_value=np.nan)
    est_col = f"{col}_estimated"
    est = (df[est_col].astype("boolean").fillna(False).to_numpy(dtype=bool) if est_col in df.columns
           else np.zeros(len(df), dtype=bool))
    sells = df["platform"].map(lambda p: fmt in PLATFORM_FORMATS.get(str(p), ())).to_numpy(dtype=bool)
    ok = sells & np.isfinite(price) & (price > 0)
    if not allow_estimates:
        ok &= ~est
    return ok, est


def _to_currency(df: pd.DataFrame, currency: str, rates: money.Rates) -> np.ndarray:
    """Per-row factor from the row's price currency (missing: RUB) into ``currency``; NaN for an unknown one."""
    cur = df["currency"].astype(object).to_numpy() if "currency" in df.columns else np.full(len(df), None)
    return rates.factors(cur, currency, default="RUB", unknown_as_nan=True)


def _has_tier(df: pd.DataFrame, tier_bounds: Sequence[int] | None = None) -> np.ndarray:
    """Whether each row has a tier (a followers count): the barter model's rates are per tier, so a blogger
    without one is not valued (never as the smallest or the largest tier)."""
    followers = _col(df, "followers")
    return benchmarks.tier_codes(followers, tuple(tier_bounds or benchmarks.DEFAULT_TIER_BOUNDS)) >= 0


def rows_from_bloggers(df: pd.DataFrame, *, formats: str | Sequence[str] | Mapping[int, str] | None = None,
                       currency: str = "RUB",
                       fx: Mapping[str, float] | money.Rates | None = None, allow_estimated_prices: bool = False,
                       bench: benchmarks.Benchmarks | None = None,
                       tier_bounds: Sequence[int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Placements to value from an *enriched* blogger frame (planner.estimates.metrics.enrich).

    ``formats``: None = one row per blogger, the platform's main format when it is priced, else the first priced
    format the platform sells; "all" = one row per priced format; a format name or a list = those formats; a
    mapping blogger id -> format = that format of each of those bloggers (a package "post+story": its first).
    Fees are quotes unless ``allow_estimated_prices`` (then benchmark estimates too, ``fee_source = "estimate"``).
    Money is converted into ``currency``. Returns (rows, skipped): skipped bloggers with ``handle, platform,
    reason`` ("no_fee": no usable price for the formats asked; "currency": prices in an unknown currency;
    "no_followers": no followers count, so no tier, and the model's acceptance and post rates are per tier)."""
    rates = money.Rates.of(fx)
    rates.rate(currency)
    if df.empty:
        return pd.DataFrame(columns=list(ROW_COLUMNS)), pd.DataFrame(columns=["handle", "platform", "reason"])
    k = _to_currency(df, currency, rates)
    sized = _has_tier(df, tier_bounds)
    wanted: tuple[str, ...]
    by_id: np.ndarray | None = None
    if isinstance(formats, Mapping):
        ids = df["id"].to_numpy() if "id" in df.columns else np.full(len(df), -1)
        by_id = np.array([str(formats.get(int(i), "")).split("+")[0] for i in ids], dtype=object)
        wanted = tuple(f for f in FORMATS if (by_id == f).any())
    elif formats is None or formats == "all":
        wanted = FORMATS
    elif isinstance(formats, str):
        wanted = (formats,)
    else:
        wanted = tuple(formats)
    pri = {f: _priced(df, f, allow_estimated_prices) for f in wanted}
    usable = np.isfinite(k) & sized
    chosen = np.full(len(df), "", dtype=object)
    if formats is None:  # the main format when priced, else the first priced one the platform sells
        main = df["platform"].map(lambda p: PRIMARY_FORMAT.get(str(p), "post")).to_numpy(dtype=object)
        for fmt in FORMATS:
            sel = pri[fmt][0] & (main == fmt) & (chosen == "") & usable
            chosen[sel] = fmt
        for fmt in FORMATS:
            sel = pri[fmt][0] & (chosen == "") & usable
            chosen[sel] = fmt
        picks = [(fmt, np.flatnonzero(chosen == fmt)) for fmt in FORMATS]
    elif by_id is not None:
        picks = [(fmt, np.flatnonzero(pri[fmt][0] & usable & (by_id == fmt))) for fmt in wanted]
    else:
        picks = [(fmt, np.flatnonzero(pri[fmt][0] & usable)) for fmt in wanted]
    parts = [_rows(df, idx, fmt, k, pri[fmt][1], bench, tier_bounds) for fmt, idx in picks if idx.size]
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*ROW_COLUMNS, "_pos"])
    if not rows.empty:
        rank = rows["format"].map(FORMATS.index).to_numpy()
        rows = rows.iloc[np.lexsort((rank, rows["_pos"].to_numpy()))].reset_index(drop=True)
    have = np.zeros(len(df), dtype=bool)
    if not rows.empty:
        have[rows["_pos"].to_numpy(dtype=np.int64)] = True
    miss = np.flatnonzero(~have)
    skipped = pd.DataFrame({
        "handle": df["handle"].astype(str).to_numpy()[miss], "platform": df["platform"].astype(str).to_numpy()[miss],
        "reason": np.where(~sized[miss], "no_followers", np.where(np.isfinite(k[miss]), "no_fee", "currency")),
    })
    return rows.drop(columns="_pos", errors="ignore"), skipped


def _rows(df: pd.DataFrame, idx: np.ndarray, fmt: str, k: np.ndarray, est: np.ndarray,
          bench: benchmarks.Benchmarks | None, tier_bounds: Sequence[int] | None) -> pd.DataFrame:
    sub = df.iloc[idx]
    reach, src = placement.placement_reach(sub, fmt, bench, tier_bounds)
    get = _getter(sub)
    src_names = np.asarray([*benchmarks.REACH_SOURCES, ""], dtype=object)[np.where(src >= 0, src, -1)]
    return pd.DataFrame({
        "_pos": idx,
        "id": get("id", np.arange(len(sub))),
        "handle": sub["handle"].astype(str).to_numpy(),
        "platform": sub["platform"].astype(str).to_numpy(),
        "format": fmt,
        "followers": get("followers"),
        "fee": sub[f"price_{fmt}"].to_numpy(dtype=float, na_value=np.nan) * k[idx],
        "fee_source": np.where(est[idx], "estimate", "quote").astype(object),
        "reach": reach,
        "reach_source": src_names,
        "engagement_rate": get("engagement_rate"),
        "niches": get("niches", np.full(len(sub), "", dtype=object)),
        "accepts_barter": get("accepts_barter", np.full(len(sub), None, dtype=object)),
        "barter_min_value": get("barter_min_value") * k[idx],
        "deals_completed": get("deals_completed"),
        "deals_cancelled": get("deals_cancelled"),
    })


def _getter(sub: pd.DataFrame):
    def get(col: str, default: np.ndarray | None = None) -> np.ndarray:
        if col not in sub.columns:
            return default if default is not None else np.full(len(sub), np.nan)
        s = sub[col]
        if default is not None and default.dtype == object:
            return s.astype(object).where(s.notna(), None).to_numpy(dtype=object)
        return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return get


def rows_from_campaign(placements: pd.DataFrame, bloggers: pd.DataFrame, *, campaign_currency: str,
                       currency: str, fx: Mapping[str, float] | money.Rates | None = None,
                       bench: benchmarks.Benchmarks | None = None,
                       tier_bounds: Sequence[int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Placements of a saved campaign to value: the stored fee (a paid placement's cost, with its price source;
    for a barter or hybrid placement the blogger's current price of the format), reach and format; the blogger's
    followers, niches and barter record from ``bloggers`` (enriched, by ``id``). Returns (rows, skipped)."""
    rates = money.Rates.of(fx)
    k = float(rates.convert(1.0, campaign_currency, currency))
    by_id = bloggers.set_index("id", drop=False) if "id" in bloggers.columns and not bloggers.empty else None
    out: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for p in placements.itertuples(index=False):
        bid = getattr(p, "blogger_id", None)
        b = by_id.loc[bid] if by_id is not None and bid is not None and not pd.isna(bid) and bid in by_id.index \
            else None
        if isinstance(b, pd.DataFrame):
            b = b.iloc[0]
        if b is None:
            skipped.append({"handle": str(p.handle), "platform": str(p.platform), "reason": "no_blogger"})
            continue
        if not _finite(b.get("followers")):  # no tier: the model's rates are per tier
            skipped.append({"handle": str(p.handle), "platform": str(p.platform), "reason": "no_followers"})
            continue
        fmt = str(p.format)
        base_fmt = fmt.split("+")[0]
        kind = str(getattr(p, "kind", "paid") or "paid")
        if kind == "paid" and float(p.cost or 0) > 0:
            fee = float(p.cost) * k
            fee_source = str(getattr(p, "price_source", "quote") or "quote")
        else:
            price = b.get(f"price_{base_fmt}") if "+" not in fmt else np.nan
            est = bool(b.get(f"price_{base_fmt}_estimated", False)) if "+" not in fmt else True
            row_k = float(_to_currency(pd.DataFrame([b]), currency, rates)[0])
            fee = float(price) * row_k if price is not None and _finite(price) else np.nan
            fee_source = "estimate" if est else "quote"
        if not (_finite(fee) and fee > 0):
            skipped.append({"handle": str(p.handle), "platform": str(p.platform), "reason": "no_fee"})
            continue
        row_k = float(_to_currency(pd.DataFrame([b]), currency, rates)[0])
        minimum = b.get("barter_min_value")
        out.append({
            "id": int(b["id"]), "handle": str(p.handle), "platform": str(p.platform), "format": fmt,
            "followers": float(b.get("followers", np.nan)), "fee": fee, "fee_source": fee_source,
            "reach": _posted_reach(p), "reach_source": str(getattr(p, "reach_source", "") or ""),
            "engagement_rate": float(b["engagement_rate"]) if _finite(b.get("engagement_rate")) else np.nan,
            "niches": b.get("niches") if isinstance(b.get("niches"), str) else "",
            "accepts_barter": None if pd.isna(b.get("accepts_barter")) else bool(b.get("accepts_barter")),
            "barter_min_value": float(minimum) * row_k if _finite(minimum) else np.nan,
            "deals_completed": float(b["deals_completed"]) if _finite(b.get("deals_completed")) else np.nan,
            "deals_cancelled": float(b["deals_cancelled"]) if _finite(b.get("deals_cancelled")) else np.nan,
        })
    rows = pd.DataFrame(out, columns=list(ROW_COLUMNS))
    return rows, pd.DataFrame(skipped, columns=["handle", "platform", "reason"])


def _posted_reach(p: Any) -> float:
    """A saved placement's reach if its post is published: a barter or hybrid placement keeps its expected reach
    (reach x expected posts)."""
    reach = float(getattr(p, "expected_reach", 0.0) or 0.0)
    posts = getattr(p, "expected_posts", None)
    if str(getattr(p, "kind", "paid")) != "paid" and posts is not None and _finite(posts) and float(posts) > 0:
        return reach / float(posts)
    return reach


# ---- the model ---------------------------------------------------------------------------------------------
def _col(rows: pd.DataFrame, name: str) -> np.ndarray:
    if name not in rows.columns:
        return np.full(len(rows), np.nan)
    return pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _accepts(rows: pd.DataFrame) -> np.ndarray:
    """1 = the blogger accepts barter, 0 = refuses, NaN = unknown."""
    if "accepts_barter" not in rows.columns:
        return np.full(len(rows), np.nan)
    s = rows["accepts_barter"].astype("boolean")
    return np.where(s.isna().to_numpy(), np.nan, s.fillna(False).to_numpy(dtype=bool).astype(float))


def _topic(rows: pd.DataFrame, offer: BarterOffer) -> np.ndarray:
    """The product's fit with each blog's niches (0..1, the plan's topic score); NaN when the offer names none."""
    if not offer.niches:
        return np.full(len(rows), np.nan)
    frame = pd.DataFrame({"niches": rows["niches"].astype(object).where(rows["niches"].notna(), "")
                          if "niches" in rows.columns else [""] * len(rows)})
    return placement.topic_score(frame, Brief(budget=1.0, niches=offer.niches))


def terms(rows: pd.DataFrame, offer: BarterOffer, assumptions: BarterBenchmarks = BARTER, *,
          post_rate_shift: float = 0.0, tier_bounds: Sequence[int] | None = None) -> pd.DataFrame:
    """The model's numbers per row, vectorised (no text): tier, acceptance and post rate of barter and hybrid,
    costs per published post, break-even retail value and the recommendation. ``post_rate_shift`` moves both
    post rates (e.g. -0.10 for the sensitivity)."""
    a = assumptions
    n = len(rows)
    bounds = tuple(tier_bounds or benchmarks.DEFAULT_TIER_BOUNDS)
    tier = benchmarks.tier_codes(_col(rows, "followers"), bounds)
    tier = np.where(tier >= 0, tier, 0)  # rows without a tier are left out before (_has_tier)
    tiers = np.asarray(TIERS, dtype=object)[tier]
    fee = _col(rows, "fee")
    accepts = _accepts(rows)
    minimum = _col(rows, "barter_min_value")
    has_min = np.isfinite(minimum) & (minimum > 0)
    done, cancelled = np.nan_to_num(_col(rows, "deals_completed")), np.nan_to_num(_col(rows, "deals_cancelled"))
    record = (done + cancelled) > 0
    topic = _topic(rows, offer)

    def per_tier(table: Mapping[str, Any]) -> np.ndarray:
        vals = np.array([getattr(table[x], "typical", getattr(table[x], "value", np.nan)) for x in TIERS])
        return vals[tier]

    share = a.hybrid_fee_share.value
    retail = offer.retail_total
    # ---- acceptance
    base = per_tier(a.acceptance)
    base = np.where(accepts == 1, np.maximum(base, a.declared_acceptance.value), base)
    mult = per_tier(a.ask_multiple)
    asked = np.where(has_min, minimum, fee * mult)
    with np.errstate(divide="ignore", invalid="ignore"):
        value_b = np.where(has_min, (retail >= minimum).astype(float), np.minimum(1.0, retail / (fee * mult)))
    fit = np.where(np.isfinite(topic), a.off_niche_factor.value + (1 - a.off_niche_factor.value) * topic, 1.0)
    common = a.commonplace_factor.value if offer.commonplace else 1.0
    acc_b = np.where(accepts == 0, 0.0, np.clip(base * value_b * fit * common, 0.0, 1.0))
    hybrid_fee = fee * share
    base_h = 1.0 - (1.0 - base) * (1.0 - share)
    asked_h = hybrid_fee + fee * (1.0 - share) * mult
    with np.errstate(divide="ignore", invalid="ignore"):
        value_h = np.where(has_min, (retail >= minimum * (1.0 - share) - 1e-9).astype(float),
                           np.minimum(1.0, (hybrid_fee + retail) / asked_h))
    refuse_h = np.where(accepts == 0, a.refuses_hybrid_factor.value, 1.0)
    acc_h = np.clip(base_h * value_h * fit * common * refuse_h, 0.0, 1.0)
    # ---- post rates: the tier's, moved by the blogger's record (a beta update), lower for a commonplace product
    kw = a.record_weight.value

    def rate_of(table: Mapping[str, benchmarks.Band]) -> np.ndarray:
        r0 = per_tier(table)
        r = np.where(record, (kw * r0 + done) / (kw + done + cancelled), r0) * common
        return np.clip(r + post_rate_shift, MIN_POST_RATE, 1.0)

    rate_b = rate_of(a.post_rate)
    rate_h = rate_of(a.hybrid_post_rate)
    # ---- costs per published post
    cost_b = offer.barter_cost
    cpp_paid = fee
    cpp_b = cost_b / rate_b
    cost_h = hybrid_fee + cost_b
    cpp_h = cost_h / rate_h
    # ---- break-even retail value per unit (same cost-to-retail ratio, shipping and packaging)
    fixed = offer.shipping + offer.packaging
    with np.errstate(divide="ignore", invalid="ignore"):
        if offer.product_cost > 0:
            be = (fee * rate_b - fixed) / (offer.units * offer.cost_ratio)
        else:
            be = np.where(fee * rate_b > fixed, np.inf, np.nan)
    be = np.where(be > 0, be, np.nan)
    # ---- recommendation: the cheapest per published post among the likely enough
    ok_b = acc_b >= a.min_acceptance.value - 1e-12
    ok_h = acc_h >= a.min_acceptance.value - 1e-12
    best = np.zeros(n, dtype=np.int64)  # DEALS index
    best_cpp = cpp_paid.copy()
    take_h = ok_h & (cpp_h < best_cpp * (1 - 1e-9))
    best = np.where(take_h, 2, best)
    best_cpp = np.where(take_h, cpp_h, best_cpp)
    take_b = ok_b & (cpp_b < best_cpp * (1 - 1e-9))
    best = np.where(take_b, 1, best)
    return pd.DataFrame({
        "tier": tiers, "acceptance": acc_b, "hybrid_acceptance": acc_h, "base_acceptance": base,
        "hybrid_base_acceptance": base_h, "asked_value": asked, "hybrid_asked_value": asked_h,
        "value_factor": value_b, "hybrid_value_factor": value_h, "fit_factor": fit, "topic": topic,
        "post_rate": rate_b, "hybrid_post_rate": rate_h, "barter_cost": np.full(n, cost_b),
        "barter_cost_per_post": cpp_b, "paid_cost_per_post": cpp_paid, "hybrid_fee": hybrid_fee,
        "hybrid_cost": cost_h, "hybrid_cost_per_post": cpp_h, "break_even_retail": be,
        "recommendation": np.asarray(DEALS, dtype=object)[best],
    }, index=rows.index)


def compare(rows: pd.DataFrame, offer: BarterOffer, assumptions: BarterBenchmarks = BARTER, *,
            tier_bounds: Sequence[int] | None = None) -> pd.DataFrame:
    """Paid, barter and hybrid side by side, one row per placement of ``rows`` (see :func:`rows_from_bloggers`),
    with the reasons that moved acceptance and post rate, the recommendation and its reason (``reason_code``,
    ``reason_params``, ``clause_code``, ``clause_params``: translate with :func:`reason_text`), expected
    impressions, engagements and orders per published post, effective CPM and costs per engagement and order of
    each option, and the recommendation at a post rate 10 points lower (``recommendation_low``)."""
    rows = rows.reset_index(drop=True)
    tm = terms(rows, offer, assumptions, tier_bounds=tier_bounds)
    low = terms(rows, offer, assumptions, post_rate_shift=-SENSITIVITY_POINTS, tier_bounds=tier_bounds)
    out = pd.concat([rows, tm], axis=1)
    out["recommendation_low"] = low["recommendation"].to_numpy()
    out["post_rate_low"] = low["post_rate"].to_numpy()
    out["changed_low"] = out["recommendation_low"] != out["recommendation"]
    reach = _col(rows, "reach")
    fmt = rows["format"].astype(str).str.split("+").str[0].to_numpy() if len(rows) else np.array([], dtype=object)
    imps = np.asarray(metrics.impressions(reach, fmt), dtype=float) if len(rows) else np.zeros(0)
    eng = np.asarray(placement.expected_engagements(_col(rows, "engagement_rate"), reach), dtype=float)
    orders = np.asarray(placement.expected_orders(imps, offer.rates), dtype=float)
    out["impressions"], out["engagements"], out["orders"] = imps, eng, orders
    for deal, cpp in (("paid", "paid_cost_per_post"), ("barter", "barter_cost_per_post"),
                      ("hybrid", "hybrid_cost_per_post")):
        c = out[cpp].to_numpy(dtype=float)
        out[f"cpm_{deal}"] = np.asarray(metrics.cpm(c, imps), dtype=float) if len(out) else np.zeros(0)
        out[f"cpe_{deal}"] = np.asarray(metrics.cpe(c, eng), dtype=float) if len(out) else np.zeros(0)
        out[f"cpo_{deal}"] = np.asarray(metrics.cpa(c, orders), dtype=float) if len(out) else np.zeros(0)
    acc_r, rate_r, why, why_p, cl, cl_p = [], [], [], [], [], []
    accepts = _accepts(rows)
    for i in range(len(out)):
        r = out.iloc[i]
        acc_r.append(_acceptance_reasons(r, accepts[i], offer, assumptions))
        rate_r.append(_rate_reasons(r, offer, assumptions))
        code, params, ccode, cparams = _why(r, accepts[i], offer, assumptions)
        why.append(code)
        why_p.append(params)
        cl.append(ccode)
        cl_p.append(cparams)
    out["acceptance_reasons"] = pd.Series(acc_r, index=out.index, dtype=object)
    out["post_rate_reasons"] = pd.Series(rate_r, index=out.index, dtype=object)
    out["reason_code"] = pd.Series(why, index=out.index, dtype=object)
    out["reason_params"] = pd.Series(why_p, index=out.index, dtype=object)
    out["clause_code"] = pd.Series(cl, index=out.index, dtype=object)
    out["clause_params"] = pd.Series(cl_p, index=out.index, dtype=object)
    return out


def _acceptance_reasons(r: pd.Series, accepts: float, offer: BarterOffer,
                        a: BarterBenchmarks) -> tuple[tuple[str, dict[str, Any]], ...]:
    out: list[tuple[str, dict[str, Any]]] = [("tier", {"tier": r["tier"],
                                                        "pct": float(a.acceptance[r["tier"]].value)})]
    if accepts == 0:
        return (*out, ("refuses", {}))
    if accepts == 1:
        out.append(("declared", {"pct": a.declared_acceptance.value}))
    minimum = r.get("barter_min_value")
    if _finite(minimum) and float(minimum) > 0:
        ok = offer.retail_total >= float(minimum)
        out.append(("min_met" if ok else "below_min", {"retail": offer.retail_total, "minimum": float(minimum)}))
        if not ok:
            return tuple(out)
    elif r["value_factor"] >= 1:
        out.append(("value_covers", {"retail": offer.retail_total, "asked": r["asked_value"], "fee": r["fee"],
                                     "multiple": float(a.ask_multiple[r["tier"]].value)}))
    else:
        out.append(("value_short", {"retail": offer.retail_total, "asked": r["asked_value"], "fee": r["fee"],
                                    "multiple": float(a.ask_multiple[r["tier"]].value),
                                    "factor": float(r["value_factor"])}))
    topic = r.get("topic")
    if _finite(topic):
        if float(topic) >= 1:
            out.append(("niche_fit", {}))
        elif float(topic) <= 0:
            out.append(("niche_off", {"factor": float(r["fit_factor"])}))
        else:
            out.append(("niche_partial", {"factor": float(r["fit_factor"])}))
    if offer.commonplace:
        out.append(("commonplace", {"factor": a.commonplace_factor.value}))
    return tuple(out)


def _rate_reasons(r: pd.Series, offer: BarterOffer, a: BarterBenchmarks) -> tuple[tuple[str, dict[str, Any]], ...]:
    out: list[tuple[str, dict[str, Any]]] = [("tier", {"tier": r["tier"],
                                                        "pct": float(a.post_rate[r["tier"]].typical)})]
    done, cancelled = r.get("deals_completed"), r.get("deals_cancelled")
    d = float(done) if _finite(done) else 0.0
    c = float(cancelled) if _finite(cancelled) else 0.0
    if d + c > 0:
        k = a.record_weight.value
        moved = (k * a.post_rate[r["tier"]].typical + d) / (k + d + c)
        out.append(("record", {"completed": int(d), "cancelled": int(c), "pct": moved}))
    if offer.commonplace:
        out.append(("commonplace", {"factor": a.commonplace_factor.value}))
    return tuple(out)


def _why(r: pd.Series, accepts: float, offer: BarterOffer,
         a: BarterBenchmarks) -> tuple[str, dict[str, Any], str | None, dict[str, Any]]:
    """The recommendation's reason (code, params) and its acceptance clause (code or None, params)."""
    rec = r["recommendation"]
    tier = r["tier"]

    def clause(acc: float) -> tuple[str, dict[str, Any]]:
        if accepts == 1:
            return "declared", {"acceptance": acc}
        if acc >= READILY:
            return "readily", {"tier": tier, "acceptance": acc}
        return "likely", {"acceptance": acc}

    if rec == "barter":
        code = "covers" if r["value_factor"] >= 1 else "cheaper"
        params = {"retail": offer.retail_total, "fee": r["fee"], "cpp": r["barter_cost_per_post"],
                  "post_rate": r["post_rate"]}
        return (code, params, *clause(float(r["acceptance"])))
    if rec == "hybrid":
        params = {"hybrid_fee": r["hybrid_fee"], "cpp": r["hybrid_cost_per_post"], "fee": r["fee"],
                  "post_rate": r["hybrid_post_rate"]}
        return ("hybrid", params, *clause(float(r["hybrid_acceptance"])))
    minimum = r.get("barter_min_value")
    min_acc = a.min_acceptance.value
    if accepts == 0:
        return "refuses", {"handle": r["handle"]}, None, {}
    if _finite(minimum) and float(minimum) > 0 and offer.retail_total < float(minimum):
        return "below_minimum", {"retail": offer.retail_total, "minimum": float(minimum)}, None, {}
    if r["acceptance"] < min_acc - 1e-12:
        return "unlikely", {"tier": tier, "acceptance": float(r["acceptance"]), "asked": r["asked_value"],
                            "retail": offer.retail_total}, None, {}
    return "paid_cheaper", {"fee": r["fee"], "cpp": r["barter_cost_per_post"], "post_rate": r["post_rate"]}, \
        None, {}


# ---- mixed plans: barter and hybrid candidates beside the paid ones ----------------------------------------
DEAL_COLUMNS: tuple[str, ...] = ("deal", "fee", "product_units", "product_cost", "product_value", "acceptance",
                                 "post_rate", "expected_posts", "reach_posted")


def offer_of(brief: Brief) -> BarterOffer:
    """The product budget of a brief as an offer (one unit per barter or hybrid placement; the brief's niches are
    the product's)."""
    return BarterOffer(product_cost=brief.product_cost, retail_value=brief.product_retail or 1.0,
                       shipping=brief.product_shipping, currency=brief.currency, niches=tuple(brief.niches),
                       ctr=(brief.rates or {}).get("ctr", DEFAULT_RATES["ctr"]),
                       conversion=(brief.rates or {}).get("conversion", DEFAULT_RATES["conversion"]))


def deal_candidates(cand: pd.DataFrame, df: pd.DataFrame, brief: Brief, blogger_codes: np.ndarray,
                    platform_codes: np.ndarray, *, fx: Mapping[str, float] | money.Rates | None = None,
                    assumptions: BarterBenchmarks = BARTER) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The plan's candidates (paid, one row per blogger and format or package, rows of ``df`` in ``pos``) with
    their deal columns (:data:`DEAL_COLUMNS`) and, when the brief has a product budget, a barter and a hybrid row
    for every single-format paid row whose deal is at least ``min_acceptance`` likely: cash (``cost``) 0 for
    barter and the reduced fee for hybrid, one product unit, and reach counted at its expected value (reach x
    post rate x acceptance: ``expected_posts``; ``reach_posted`` keeps the reach of a published post). Returns
    (candidates, blogger codes, platform codes) with the new rows' codes those of their blogger."""
    n = len(cand)
    out = cand.assign(deal="paid", fee=cand["cost"].to_numpy(dtype=float), product_units=0, product_cost=0.0,
                      product_value=0.0, acceptance=np.nan, post_rate=np.nan, expected_posts=1.0,
                      reach_posted=cand["reach"].to_numpy(dtype=float))
    if not brief.mixed or n == 0:
        return out, blogger_codes, platform_codes
    offer = offer_of(brief)
    single, base, tm, verdicts = _twin_terms(cand, df, brief, offer, fx, assumptions)
    reach = base["reach"].to_numpy(dtype=float)
    parts = [out]
    codes_b, codes_p = [blogger_codes], [platform_codes]
    for deal, cash, acc, rate in (
            ("barter", np.zeros(len(base)), tm["acceptance"].to_numpy(), tm["post_rate"].to_numpy()),
            ("hybrid", tm["hybrid_fee"].to_numpy(), tm["hybrid_acceptance"].to_numpy(),
             tm["hybrid_post_rate"].to_numpy())):
        posts = acc * rate
        keep = verdicts[deal] == "offered"
        if not keep.any():
            continue
        rows_d = base.iloc[np.flatnonzero(keep)].assign(
            deal=deal, fee=base["cost"].to_numpy(dtype=float)[keep], cost=cash[keep], product_units=offer.units,
            product_cost=offer.barter_cost, product_value=offer.retail_total, acceptance=acc[keep],
            post_rate=rate[keep], expected_posts=posts[keep], reach_posted=reach[keep], reach=reach[keep] * posts[keep])
        parts.append(rows_d)
        codes_b.append(np.asarray(blogger_codes)[single[keep]])
        codes_p.append(np.asarray(platform_codes)[single[keep]])
    ext = pd.concat(parts, ignore_index=True)
    return ext, np.concatenate(codes_b), np.concatenate(codes_p)


# Why a paid candidate has no barter (or hybrid) twin in a mixed plan.
TWIN_REASONS: tuple[str, ...] = ("no_tier", "unlikely", "too_small")


def _twin_terms(cand: pd.DataFrame, df: pd.DataFrame, brief: Brief, offer: BarterOffer,
                fx: Mapping[str, float] | money.Rates | None,
                assumptions: BarterBenchmarks) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame, dict[str, np.ndarray]]:
    """The single-format paid candidates (their positions and rows), the model's terms for them and, per deal
    (barter, hybrid), each one's verdict: "offered" (a twin joins the plan's candidates) or why not — "no_tier" (no
    followers count: the model's rates are per tier), "unlikely" (acceptance below the assumptions' minimum),
    "too_small" (under one expected published reach)."""
    single = np.flatnonzero(~cand["format"].astype(str).str.contains("+", regex=False).to_numpy())
    base = cand.iloc[single]
    src = df.iloc[base["pos"].to_numpy(dtype=np.int64)]
    rates = money.Rates.of(brief.fx if fx is None else fx)
    k = _to_currency(src, brief.currency, rates)
    get = _getter(src)
    rows = pd.DataFrame({
        "handle": base["handle"].to_numpy(), "platform": base["platform"].to_numpy(),
        "format": base["format"].to_numpy(), "followers": get("followers"),
        "fee": base["cost"].to_numpy(dtype=float), "niches": get("niches", np.full(len(src), "", dtype=object)),
        "accepts_barter": get("accepts_barter", np.full(len(src), None, dtype=object)),
        "barter_min_value": get("barter_min_value") * k, "deals_completed": get("deals_completed"),
        "deals_cancelled": get("deals_cancelled"),
    })
    tm = terms(rows, offer, assumptions, tier_bounds=brief.tier_bounds)
    sized = _has_tier(rows)  # no followers count, no tier: paid only (the model's rates are per tier)
    min_acc = assumptions.min_acceptance.value - 1e-12
    reach = base["reach"].to_numpy(dtype=float)
    verdicts: dict[str, np.ndarray] = {}
    for deal, acc, rate in (("barter", tm["acceptance"].to_numpy(), tm["post_rate"].to_numpy()),
                            ("hybrid", tm["hybrid_acceptance"].to_numpy(), tm["hybrid_post_rate"].to_numpy())):
        posts = acc * rate
        verdicts[deal] = np.where(~sized, "no_tier", np.where(~(acc >= min_acc), "unlikely", np.where(
            ~(np.isfinite(posts) & (reach * posts >= 1.0)), "too_small", "offered"))).astype(object)
    return single, base, tm, verdicts


def twin_reasons(cand: pd.DataFrame, df: pd.DataFrame, brief: Brief, *,
                 fx: Mapping[str, float] | money.Rates | None = None,
                 assumptions: BarterBenchmarks = BARTER) -> dict[str, dict[str, int]]:
    """Why a mixed plan's bloggers have barter or hybrid deals to choose from, or not: per deal, the count of
    bloggers offered one and of those not offered one by reason (:data:`TWIN_REASONS`). ``cand`` holds the plan's
    paid candidates (deal "paid" rows of planner.planning.plan.Candidates.frame). Empty without a product budget."""
    paid = cand[cand["deal"] == "paid"] if "deal" in cand else cand
    if not brief.mixed or paid.empty:
        return {}
    _single, base, _tm, verdicts = _twin_terms(paid, df, brief, offer_of(brief), fx, assumptions)
    out: dict[str, dict[str, int]] = {}
    for deal, v in verdicts.items():
        # a blogger is offered a deal when any of their formats is; otherwise the first reason of their formats
        per = pd.DataFrame({"who": base["handle"].astype(str) + "|" + base["platform"].astype(str), "v": v})
        best = per.groupby("who")["v"].agg(lambda x: "offered" if (x == "offered").any() else sorted(x)[0])
        out[deal] = {r: int((best == r).sum()) for r in ("offered", *TWIN_REASONS)}
    return out


# ---- text ------------------------------------------------------------------------------------------------
_MONEY_PARAMS = frozenset({"retail", "fee", "minimum", "asked", "cpp", "hybrid_fee"})
_SHARE_PARAMS = frozenset({"acceptance", "post_rate", "pct", "factor"})


def _format_params(params: Mapping[str, Any], lang: str, currency: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in params.items():
        if k in _MONEY_PARAMS:
            out[k] = money.format_money(v, currency, lang)
        elif k in _SHARE_PARAMS:
            out[k] = money.format_percent(units.percent(float(v)), lang, 0)
        elif k == "tier":
            out[k] = t(f"tier.{v}", lang).lower()
        elif k == "multiple":
            out[k] = money.format_number(v, lang, 1).rstrip("0").rstrip(",.") if v != int(v) else str(int(v))
        else:
            out[k] = str(v)
    return out


def reason_text(row: Mapping[str, Any], lang: str = "en", currency: str = "RUB") -> str:
    """The recommendation with its reason in one sentence, in ``lang`` (built from codes and parameters)."""
    params = _format_params(row["reason_params"], lang, currency)
    text = t(f"barter.why.{row['reason_code']}", lang, **params)
    code = row.get("clause_code")
    if code:
        text += "; " + t(f"barter.clause.{code}", lang, **_format_params(row["clause_params"], lang, currency))
    return text


def reasons_text(reasons: Sequence[tuple[str, Mapping[str, Any]]], kind: str, lang: str = "en",
                 currency: str = "RUB") -> str:
    """The reasons that moved acceptance (``kind`` "acc") or the post rate ("rate"), joined with "; "."""
    return "; ".join(t(f"barter.{kind}.{code}", lang, **_format_params(params, lang, currency))
                     for code, params in reasons)


# ---- views of a comparison ---------------------------------------------------------------------------------
def options(table: pd.DataFrame, offer: BarterOffer) -> pd.DataFrame:
    """One row per placement and deal (paid, barter, hybrid): ``handle, platform, format, deal, cash,
    product_cost, acceptance, post_rate, cost_per_post, cpm, cpe, cpo, recommended`` (long form, for a side-by-side
    table or chart). Cash is the fee paid (none for barter, the reduced fee for hybrid); product cost is what the
    product sent costs the brand: at cost price, plus shipping and packaging (a saved placement's ``product_cost``)."""
    n = len(table)
    parts = []
    for deal in DEALS:
        if deal == "paid":
            cash, product = table["fee"].to_numpy(dtype=float), np.zeros(n)
            acc, rate, cpp = np.ones(n), np.ones(n), table["paid_cost_per_post"].to_numpy(dtype=float)
        elif deal == "barter":
            cash, product = np.zeros(n), np.full(n, offer.barter_cost)
            acc, rate = table["acceptance"].to_numpy(dtype=float), table["post_rate"].to_numpy(dtype=float)
            cpp = table["barter_cost_per_post"].to_numpy(dtype=float)
        else:
            cash, product = table["hybrid_fee"].to_numpy(dtype=float), np.full(n, offer.barter_cost)
            acc = table["hybrid_acceptance"].to_numpy(dtype=float)
            rate = table["hybrid_post_rate"].to_numpy(dtype=float)
            cpp = table["hybrid_cost_per_post"].to_numpy(dtype=float)
        parts.append(pd.DataFrame({
            "handle": table["handle"].to_numpy(), "platform": table["platform"].to_numpy(),
            "format": table["format"].to_numpy(), "deal": deal, "cash": cash, "product_cost": product,
            "acceptance": acc, "post_rate": rate, "cost_per_post": cpp,
            "cpm": table[f"cpm_{deal}"].to_numpy(dtype=float), "cpe": table[f"cpe_{deal}"].to_numpy(dtype=float),
            "cpo": table[f"cpo_{deal}"].to_numpy(dtype=float),
            "recommended": (table["recommendation"] == deal).to_numpy(), "_row": np.arange(n),
        }))
    out = pd.concat(parts, ignore_index=True)
    rank = out["deal"].map(DEALS.index).to_numpy()
    return out.iloc[np.lexsort((rank, out["_row"].to_numpy()))].drop(columns="_row").reset_index(drop=True)


def deal_cash(table: pd.DataFrame, deal_col: str = "recommendation") -> np.ndarray:
    """The fee each placement is paid under the deal in ``deal_col``: the fee (paid), none (barter), the reduced
    fee (hybrid). The product side (cost price, shipping, packaging) is :attr:`BarterOffer.barter_cost`."""
    deal = table[deal_col].to_numpy(dtype=object)
    fee = table["fee"].to_numpy(dtype=float)
    return np.where(deal == "paid", fee, np.where(deal == "barter", 0.0, table["hybrid_fee"].to_numpy(dtype=float)))


def totals(table: pd.DataFrame, offer: BarterOffer) -> dict[str, Any]:
    """Totals of the recommended deals against paying every placement: ``cash_saved`` (fees not paid), ``units``
    of product sent and their ``product_cost`` (what they cost the brand: cost price + shipping + packaging),
    ``expected_posts_lost`` (1 - acceptance x post rate for each barter or hybrid placement: a paid post is
    published), plus ``cash_cost``, ``paid_cost``, ``deals`` (count per deal) and ``changed_if_post_rate_lower``."""
    if table.empty:
        return {"cash_saved": 0.0, "units": 0, "product_cost": 0.0, "expected_posts_lost": 0.0, "cash_cost": 0.0,
                "paid_cost": 0.0, "deals": {d: 0 for d in DEALS}, "changed_if_post_rate_lower": 0}
    deal = table["recommendation"].to_numpy(dtype=object)
    goods = deal != "paid"
    cash = deal_cash(table)
    paid = float(table["fee"].sum())
    acc = np.where(deal == "barter", table["acceptance"], table["hybrid_acceptance"])
    rate = np.where(deal == "barter", table["post_rate"], table["hybrid_post_rate"])
    return {
        "cash_saved": paid - float(cash.sum()),
        "units": int(goods.sum()) * offer.units,
        "product_cost": float(goods.sum()) * offer.barter_cost,
        "expected_posts_lost": float(np.sum(np.where(goods, 1.0 - acc * rate, 0.0))),
        "cash_cost": float(cash.sum()), "paid_cost": paid,
        "deals": {d: int((deal == d).sum()) for d in DEALS},
        "changed_if_post_rate_lower": int(table["changed_low"].sum()) if "changed_low" in table else 0,
    }


def break_even_curve(row: Mapping[str, Any], offer: BarterOffer, *, points: int = 61,
                     x_max: float | None = None) -> pd.DataFrame:
    """Cost per published post of paid, barter and hybrid against the product's retail value per unit (a product
    with this offer's cost-to-retail ratio, shipping and packaging), for one compared placement ``row``: tidy
    ``retail, deal, cost_per_post``. The barter line crosses the paid one at ``row["break_even_retail"]``."""
    fee = float(row["fee"])
    rate_b, rate_h = float(row["post_rate"]), float(row["hybrid_post_rate"])
    marks = [offer.retail_value, float(row["asked_value"]) / offer.units if _finite(row["asked_value"]) else 0.0]
    be = row.get("break_even_retail")
    if be is not None and _finite(be):
        marks.append(float(be))
    top = x_max if x_max is not None else 1.5 * max(marks + [1.0])
    x = np.linspace(0.0, top, max(int(points), 2))
    fixed = offer.shipping + offer.packaging
    product = offer.units * x * offer.cost_ratio
    barter = (product + fixed) / rate_b
    hybrid = (float(row["hybrid_fee"]) + product + fixed) / rate_h
    return pd.DataFrame({
        "retail": np.tile(x, 3),
        "deal": np.repeat(np.asarray(DEALS, dtype=object), x.size),
        "cost_per_post": np.r_[np.full(x.size, fee), barter, hybrid],
    })


__all__ = [
    "BARTER_ERRORS", "DEALS", "DEAL_COLUMNS", "SENSITIVITY_POINTS", "BarterError", "BarterOffer", "break_even_curve",
    "compare", "deal_candidates", "deal_cash", "offer_of", "options", "reason_text", "reasons_text",
    "rows_from_bloggers", "rows_from_campaign", "terms", "totals",
]
