"""Uncertainty of a plan's forecast: P10 / P50 / P90 of unique reach, engagements and orders by Monte Carlo.

Every uncertain input is drawn within the range its source gives (:class:`Ranges`; planner.estimates.benchmarks
for the benchmark figures, a stated, editable assumption where no source gives a range):

- **reach of a placement**: a reach estimated from followers or from a format's benchmark ratio varies within the
  benchmark reach-rate band of its platform, tier and format (minter.io, Insense, ... :attr:`Benchmarks.reach_rate`);
  a measured average reach varies from post to post within :attr:`Ranges.measured_reach`, a reach from measured
  views (x the unique-viewer share) within :attr:`Ranges.views_reach` (both assumptions);
- **engagement rate**: an ER estimated from the benchmark varies within its platform-and-tier band
  (:attr:`Benchmarks.er`); a measured ER within :attr:`Ranges.measured_er` (assumption);
- **barter post rate** (barter and hybrid deals only): within the tier's band (seedingops.com,
  :attr:`BarterBenchmarks.post_rate`); a deal is then published or not (a coin with that chance x acceptance);
- **click-through and conversion rates**: within :attr:`Ranges.ctr` / :attr:`Ranges.conversion` around the brief's
  rates (assumptions: no public source gives a range for a brand's own funnel).

Each input is a triangular draw between the range's ends with its mode at the figure the plan uses, so a range
lying mostly below the figure (Instagram nano posts: 20-37.7 % around 37.7 %) pulls the P50 below the plan's
point figure. Errors are partly shared between placements (a benchmark that is off is off for every blogger it
prices): a Gaussian copula with correlation :attr:`Ranges.correlation` (assumption) between a common and an own
draw per input. Unique reach is deduplicated in each sample (Sainsbury inside each pool, as the plan does).

**Forecast error of earlier campaigns** (:func:`calibrate`): where past campaigns have results, the spread of
log(actual / forecast) per placement (P10 to P90) is compared with the spread the model gives one placement; the
ratio, shrunk towards 1 by the number of placements observed (``n / (n + PRIOR_PLACEMENTS)``) and held within
[1/3, 3], widens or narrows every sampled deviation of that metric (``multiplier ** k``). Only the spread is
calibrated, never the bias: the results report suggests corrected rates for that.

Vectorised with numpy (samples x placements); a fixed seed makes every band reproducible.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtr

from planner.core.errors import CodedError
from planner.core.numbers import is_finite
from planner.estimates import benchmarks, metrics
from planner.estimates.benchmarks import BARTER, BarterBenchmarks, Benchmarks

METRICS: tuple[str, ...] = ("unique_reach", "engagements", "orders")
# errors of earlier campaigns by metric: the results report's names (planner.campaigns.report)
ERROR_METRICS: tuple[str, ...] = ("reach", "engagements", "orders")
PRIOR_PLACEMENTS = 10.0  # placements' worth of trust in the model's own spread (assumption)
K_BOUNDS = (1 / 3, 3.0)  # the most the history may narrow or widen a band
MIN_OBSERVED = 3  # fewer placements with results than this: the history is not used
QUANTILES = (0.10, 0.50, 0.90)

SOURCES: dict[str, str] = {
    "measured_reach": "assumption: a measured average reach varies about ±20 % from post to post",
    "views_reach": "assumption: reach from measured views x the unique-viewer share, about ±30 %",
    "measured_er": "assumption: a measured engagement rate varies about ±20 % from post to post",
    "ctr": "assumption: the click-through rate lies within 0.5-1.5x the brief's",
    "conversion": "assumption: the conversion to order lies within 0.5-1.5x the brief's",
    "correlation": "assumption: half of an input's error is shared by every placement it prices",
    "reach_band": "benchmark reach-rate band of the platform, tier and format (planner.estimates.benchmarks)",
    "er_band": "benchmark ER band of the platform and tier (planner.estimates.benchmarks)",
    "post_rate_band": "seedingops.com post-rate band of the tier (BarterBenchmarks.post_rate)",
}


class UncertaintyError(CodedError, ValueError):
    """Ranges that cannot be used (plain-language message; ``code`` and ``params`` for a translation)."""

    MESSAGES = {
        "range": "{name}: the range must be two numbers with 0 < low <= 1 <= high <= 10, got {value}",
        "correlation": "the shared part of the errors must lie between 0 and 1, got {value}",
        "samples": "samples must be a whole number from 100 to 20000, got {value}",
        "seed": "the seed must be a whole number from 0 to 2**32 - 1, got {value}",
    }
    I18N_PREFIX = "unc.error."


@dataclass(frozen=True)
class Ranges:
    """The ranges of the inputs that have no published range, as multiples of the plan's figure (low <= 1 <= high),
    the shared part of the errors, the number of samples and the seed. Every figure is an editable assumption
    (:data:`SOURCES`); the benchmark figures bring their own bands."""

    measured_reach: tuple[float, float] = (0.8, 1.2)
    views_reach: tuple[float, float] = (0.7, 1.3)
    measured_er: tuple[float, float] = (0.8, 1.2)
    ctr: tuple[float, float] = (0.5, 1.5)
    conversion: tuple[float, float] = (0.5, 1.5)
    correlation: float = 0.5
    samples: int = 1000
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("measured_reach", "views_reach", "measured_er", "ctr", "conversion"):
            v = getattr(self, name)
            try:
                lo, hi = (float(v[0]), float(v[1]))
            except (TypeError, ValueError, IndexError, KeyError):
                raise UncertaintyError("range", name=name, value=repr(v)) from None
            if not (is_finite(lo) and is_finite(hi) and 0 < lo <= 1 <= hi <= 10):
                raise UncertaintyError("range", name=name, value=repr(v))
            object.__setattr__(self, name, (lo, hi))
        if not is_finite(self.correlation) or not 0 <= float(self.correlation) <= 1:
            raise UncertaintyError("correlation", value=repr(self.correlation))
        object.__setattr__(self, "correlation", float(self.correlation))
        for name, lo, hi in (("samples", 100, 20_000), ("seed", 0, 2**32 - 1)):
            v = getattr(self, name)
            if not is_finite(v) or float(v) != int(float(v)) or not lo <= int(float(v)) <= hi:
                raise UncertaintyError(name, value=repr(v))
            object.__setattr__(self, name, int(float(v)))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Ranges:
        names = {f.name for f in fields(cls)}
        kw: dict[str, Any] = {k: (tuple(v) if isinstance(v, list) else v) for k, v in (data or {}).items()
                              if k in names}
        return cls(**kw)


@dataclass(frozen=True)
class Calibration:
    """How far earlier campaigns' forecast errors widen (k > 1) or narrow (k < 1) each metric's band, and on how
    many placements with results that rests (``n``; 0: no history, k = 1)."""

    k: Mapping[str, float] = field(default_factory=lambda: {m: 1.0 for m in METRICS})
    n: Mapping[str, int] = field(default_factory=lambda: {m: 0 for m in METRICS})
    observed: Mapping[str, float] = field(default_factory=dict)  # P10-P90 width of log(actual / forecast)
    model: Mapping[str, float] = field(default_factory=dict)  # the same width the model gives one placement

    @property
    def used(self) -> bool:
        return any(int(v) > 0 for v in self.n.values())

    def to_dict(self) -> dict[str, Any]:
        return {"k": dict(self.k), "n": dict(self.n), "observed": dict(self.observed), "model": dict(self.model)}


NO_HISTORY = Calibration()


# ---- inputs of one plan ------------------------------------------------------------------------------------
PLACEMENT_COLUMNS: tuple[str, ...] = (
    "pool", "pool_size", "reach", "reach_low", "reach_high", "er", "er_low", "er_high", "impressions_factor",
    "publish", "post_low", "post_high",
)


def _band(low: float, typical: float, high: float) -> tuple[float, float]:
    """A band as multiples of its typical figure, with low <= 1 <= high."""
    if not (is_finite(typical) and typical > 0):
        return 1.0, 1.0
    lo = float(low) / typical if is_finite(low) else 1.0
    hi = float(high) / typical if is_finite(high) else 1.0
    return min(lo, 1.0), max(hi, 1.0)


def placement_inputs(rows: pd.DataFrame, pool_sizes: Mapping[str, float], ranges: Ranges, *,
                     bench: Benchmarks | None = None, barter_bench: BarterBenchmarks = BARTER,
                     post_rate_shift: float = 0.0) -> pd.DataFrame:
    """The Monte Carlo's inputs per placement of a plan, with each range as multiples of the plan's figure.

    ``rows``: the plan's placements (planner.planning.plan.describe: ``platform``, ``format``, ``tier``, ``reach``,
    ``reach_source``, ``pool``; ``engagement_rate`` and ``engagement_rate_estimated`` of the blogger, percent;
    optionally ``deal``, ``acceptance`` and ``post_rate`` of a barter or hybrid deal, and ``expected_posts``).
    ``pool_sizes``: people per pool (the candidates' ``pool_sizes``)."""
    bench = bench or benchmarks.Benchmarks.default()
    n = len(rows)
    fmt = rows["format"].astype(str).str.split("+").str[0].to_numpy() if n else np.zeros(0, dtype=object)
    plat = rows["platform"].astype(str).to_numpy() if n else np.zeros(0, dtype=object)
    tier = rows["tier"].astype(str).to_numpy() if n else np.zeros(0, dtype=object)
    src = rows["reach_source"].astype(str).to_numpy() if "reach_source" in rows and n else np.full(n, "followers")
    r_lo, r_hi = np.ones(n), np.ones(n)
    e_lo, e_hi = np.ones(n), np.ones(n)
    p_lo, p_hi = np.ones(n), np.ones(n)
    er_est = (rows["engagement_rate_estimated"].astype("boolean").fillna(True).to_numpy(dtype=bool)
              if "engagement_rate_estimated" in rows else np.ones(n, dtype=bool))
    deal = rows["deal"].astype(str).to_numpy() if "deal" in rows else np.full(n, "paid")
    for i in range(n):
        if src[i] == "measured":
            r_lo[i], r_hi[i] = ranges.measured_reach
        elif src[i] == "views":
            r_lo[i], r_hi[i] = ranges.views_reach
        else:
            b = bench.reach_rate.get((plat[i], tier[i], fmt[i]))
            if b is not None:
                r_lo[i], r_hi[i] = _band(b.low, b.typical, b.high)
        if er_est[i]:
            e = bench.er.get((plat[i], tier[i]))
            if e is not None:
                e_lo[i], e_hi[i] = _band(e.low, e.median, e.high)
        else:
            e_lo[i], e_hi[i] = ranges.measured_er
        if deal[i] in ("barter", "hybrid") and tier[i] in barter_bench.post_rate:
            table = barter_bench.post_rate if deal[i] == "barter" else barter_bench.hybrid_post_rate
            pb = table[tier[i]]
            p_lo[i], p_hi[i] = _band(pb.low + post_rate_shift, pb.typical + post_rate_shift, pb.high + post_rate_shift)
    publish = np.ones(n)
    if "expected_posts" in rows:
        publish = np.clip(rows["expected_posts"].astype(float).fillna(1.0).to_numpy(), 0.0, 1.0)
    pools = rows["pool"].astype(str).to_numpy() if n else np.zeros(0, dtype=object)
    codes, uniques = pd.factorize(pd.Series(pools, dtype=object))
    out = pd.DataFrame({
        "pool": codes.astype(np.int64),
        "pool_size": np.array([float(pool_sizes.get(p, np.nan)) for p in pools], dtype=float),
        "reach": rows["reach"].to_numpy(dtype=float) if n else np.zeros(0),
        "reach_low": r_lo, "reach_high": r_hi,
        "er": np.nan_to_num(rows["engagement_rate"].to_numpy(dtype=float, na_value=np.nan)) if
        "engagement_rate" in rows and n else np.zeros(n),
        "er_low": e_lo, "er_high": e_hi,
        "impressions_factor": np.nan_to_num(metrics.impressions_factor(fmt, bench=bench)),  # unknown: none
        "publish": publish, "post_low": p_lo, "post_high": p_hi,
    })
    missing = ~np.isfinite(out["pool_size"].to_numpy())
    if missing.any():  # a pool the caller did not size: large enough never to saturate
        out.loc[missing, "pool_size"] = 1e12
    return out


# ---- sampling ------------------------------------------------------------------------------------------------
def _tri_ppf(u: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Quantile ``u`` of a triangular distribution on [lo, hi] with its mode at 1 (vectorised, broadcast)."""
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    width = hi - lo
    safe = np.where(width > 0, width, 1.0)
    fc = np.where(width > 0, (1.0 - lo) / safe, 0.5)
    left = lo + np.sqrt(np.clip(u * safe * (1.0 - lo), 0.0, None))
    right = hi - np.sqrt(np.clip((1.0 - u) * safe * (hi - 1.0), 0.0, None))
    return np.where(width > 0, np.where(u < fc, left, right), 1.0)


def _copula(common: np.ndarray, own: np.ndarray, rho: float) -> np.ndarray:
    """Uniforms (s x n) whose normal scores share ``rho`` of a common draw per sample (a Gaussian copula)."""
    return ndtr(rho * common + math.sqrt(max(1.0 - rho * rho, 0.0)) * own)


@dataclass
class Draws:
    """Per-placement multipliers of one simulation (samples x placements) and the plan-level rate multipliers."""

    reach: np.ndarray
    er: np.ndarray
    published: np.ndarray  # 0/1 (paid: always 1)
    ctr: np.ndarray  # (samples,)
    conversion: np.ndarray  # (samples,)


def draw(inputs: pd.DataFrame, ranges: Ranges, *, seed_offset: int = 0,
         keys: np.ndarray | None = None) -> Draws:
    """The random multipliers for one plan (reproducible: the seed plus ``seed_offset``). ``keys``: one integer per
    placement (its candidate's position): each placement then draws from a stream of its own, so its multipliers
    do not depend on which other placements are drawn with it (the scenario's bands are the same with or without
    the budget curve's placements beside it)."""
    s, n = ranges.samples, len(inputs)
    rho = ranges.correlation
    rng = np.random.default_rng([ranges.seed, seed_offset])
    if keys is None:  # one stream for the plan: a common draw, then each placement's own, per multiplier
        scores = []
        for _ in range(3):
            common = rng.standard_normal((s, 1))
            scores.append(_copula(common, rng.standard_normal((s, n)), rho))
        uniform = rng.random((s, n))
    else:  # each placement's own draws from a stream of its own; the common draws from the plan's
        own = [np.empty((s, n)) for _ in range(3)]
        uniform = np.empty((s, n))
        for j, key in enumerate(np.asarray(keys, dtype=np.int64).tolist()):
            g = np.random.default_rng([ranges.seed, seed_offset, 1, int(key)])
            for m in range(3):
                own[m][:, j] = g.standard_normal(s)
            uniform[:, j] = g.random(s)
        scores = [_copula(rng.standard_normal((s, 1)), own[m], rho) for m in range(3)]
    reach = _tri_ppf(scores[0], inputs["reach_low"].to_numpy(), inputs["reach_high"].to_numpy())
    er = _tri_ppf(scores[1], inputs["er_low"].to_numpy(), inputs["er_high"].to_numpy())
    post = _tri_ppf(scores[2], inputs["post_low"].to_numpy(), inputs["post_high"].to_numpy())
    chance = np.clip(inputs["publish"].to_numpy()[None, :] * post, 0.0, 1.0)
    published = (uniform < chance).astype(float)
    rates = ndtr(rng.standard_normal((s, 2)))
    ctr = _tri_ppf(rates[:, 0], np.array(ranges.ctr[0]), np.array(ranges.ctr[1]))
    conv = _tri_ppf(rates[:, 1], np.array(ranges.conversion[0]), np.array(ranges.conversion[1]))
    return Draws(reach=reach, er=er, published=published, ctr=np.asarray(ctr), conversion=np.asarray(conv))


def _pool_reach(reach: np.ndarray, pool: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Unique reach per sample: per pool N (1 - prod(1 - r / N)), summed (reach: samples x placements)."""
    if reach.shape[1] == 0:
        return np.zeros(reach.shape[0])
    order = np.argsort(pool, kind="stable")
    p = pool[order]
    starts = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
    logs = np.log1p(-np.minimum(reach[:, order] * (1.0 / size[order])[None, :], 1.0 - 1e-12))
    per_pool = np.add.reduceat(logs, starts, axis=1)  # samples x pools present
    return (size[order][starts][None, :] * -np.expm1(per_pool)).sum(axis=1)


def simulate(inputs: pd.DataFrame, rates: Mapping[str, float], ranges: Ranges, *,
             calibration: Calibration = NO_HISTORY, point: Mapping[str, float] | None = None,
             seed_offset: int = 0) -> pd.DataFrame:
    """P10 / P50 / P90 of unique reach, engagements and orders of one plan (a tidy table: ``metric, point, p10,
    p50, p90, samples, k``). ``rates``: the brief's ``ctr`` and ``conversion``. ``point``: the plan's own figures
    (``unique_reach``, ``engagements``, ``orders``); a plan whose unique reach counts measured overlaps scales its
    reach samples by its figure over the pool model's, so the band sits around the plan's number."""
    d = draw(inputs, ranges, seed_offset=seed_offset)
    return simulate_draws(inputs, d, rates, calibration=calibration, point=point)


def simulate_draws(inputs: pd.DataFrame, d: Draws, rates: Mapping[str, float], *,
                   calibration: Calibration = NO_HISTORY, point: Mapping[str, float] | None = None) -> pd.DataFrame:
    k = {m: float(calibration.k.get(m, 1.0)) for m in METRICS}
    r0 = inputs["reach"].to_numpy(dtype=float)
    pool = inputs["pool"].to_numpy(dtype=np.int64)
    size = inputs["pool_size"].to_numpy(dtype=float)
    er = inputs["er"].to_numpy(dtype=float) / 100.0
    imp = inputs["impressions_factor"].to_numpy(dtype=float)
    ctr = float(rates.get("ctr", 0.0))
    conv = float(rates.get("conversion", 0.0))

    def pw(x: np.ndarray, e: float) -> np.ndarray:
        return x if e == 1.0 else x ** e

    reach = r0[None, :] * pw(d.reach, k["unique_reach"]) * d.published
    unique = _pool_reach(np.minimum(reach, 0.999 * size[None, :]), pool, size)
    eng = (pw(d.reach * d.er, k["engagements"]) * d.published) @ (r0 * er)
    imps = (pw(d.reach, k["orders"]) * d.published) @ (r0 * imp)
    orders = imps * ctr * conv * pw(d.ctr * d.conversion, k["orders"])
    # the plan's own point figures (central inputs, expected posts)
    model_point = {
        "unique_reach": float(_pool_reach((r0 * inputs["publish"].to_numpy())[None, :], pool, size)[0]),
        "engagements": float((r0 * er * inputs["publish"].to_numpy()).sum()),
        "orders": float((r0 * imp * inputs["publish"].to_numpy()).sum() * ctr * conv),
    }
    pts = dict(model_point)
    if point is not None:
        for m in METRICS:
            if m in point and is_finite(point[m]):
                pts[m] = float(point[m])
    if model_point["unique_reach"] > 0 and pts["unique_reach"] > 0:
        unique = unique * pts["unique_reach"] / model_point["unique_reach"]
    rows = []
    for m, sample in (("unique_reach", unique), ("engagements", eng), ("orders", orders)):
        q = np.quantile(sample, QUANTILES) if sample.size else np.zeros(3)
        rows.append({"metric": m, "point": pts[m], "p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2]),
                     "samples": int(sample.size), "k": k[m]})
    return pd.DataFrame(rows, columns=["metric", "point", "p10", "p50", "p90", "samples", "k"])


# ---- forecast error of earlier campaigns ------------------------------------------------------------------------
def _width(logs: np.ndarray) -> float:
    q = np.quantile(logs, (QUANTILES[0], QUANTILES[2]))
    return float(q[1] - q[0])


def model_widths(inputs: pd.DataFrame, ranges: Ranges) -> dict[str, float]:
    """The P10-P90 width of log(multiplier) the model gives one placement, per metric (median over the plan's
    placements; the same draws as the bands)."""
    if inputs.empty:
        return {}
    d = draw(inputs, ranges, seed_offset=7919)
    pub = d.published > 0
    out = {}
    for m, mult in (("unique_reach", d.reach), ("engagements", d.reach * d.er),
                    ("orders", d.reach * (d.ctr * d.conversion)[:, None])):
        widths = []
        for j in range(mult.shape[1]):
            col = mult[pub[:, j], j]
            if col.size >= 20:
                widths.append(_width(np.log(col)))
        if widths:
            out[m] = float(np.median(widths))
    return out


def calibrate(errors: pd.DataFrame | None, widths: Mapping[str, float]) -> Calibration:
    """How far earlier campaigns' forecast errors widen or narrow each band (see the module docstring).

    ``errors``: one row per placement (or blogger) with results: ``metric`` (reach, engagements or orders),
    ``forecast`` and ``actual`` (planner.campaigns.scenarios.forecast_errors). ``widths``: the model's own
    per-placement widths (:func:`model_widths`)."""
    if errors is None or errors.empty or not widths:
        return NO_HISTORY
    names = dict(zip(ERROR_METRICS, METRICS, strict=True))
    k: dict[str, float] = {m: 1.0 for m in METRICS}
    n: dict[str, int] = {m: 0 for m in METRICS}
    observed: dict[str, float] = {}
    for raw, m in names.items():
        sub = errors[errors["metric"] == raw]
        f = pd.to_numeric(sub["forecast"], errors="coerce").to_numpy(dtype=float)
        a = pd.to_numeric(sub["actual"], errors="coerce").to_numpy(dtype=float)
        ok = np.isfinite(f) & np.isfinite(a) & (f > 0) & (a > 0)
        if ok.sum() < MIN_OBSERVED or m not in widths or widths[m] <= 0:
            continue
        logs = np.log(a[ok] / f[ok])
        obs = _width(logs)
        count = int(ok.sum())
        ratio = obs / widths[m] if obs > 0 else K_BOUNDS[0]
        weight = count / (count + PRIOR_PLACEMENTS)
        k[m] = float(np.clip(math.exp(weight * math.log(max(ratio, 1e-9))), *K_BOUNDS))
        n[m] = count
        observed[m] = obs
    return Calibration(k=k, n=n, observed=observed, model={m: float(widths[m]) for m in widths})


def bands_frame(results: Sequence[tuple[float, pd.DataFrame]]) -> pd.DataFrame:
    """Bands of several plans (``(budget, simulate(...))``) as one wide table per budget:
    ``budget, <metric>_p10, <metric>_p50, <metric>_p90`` for every metric."""
    rows = []
    for budget, table in results:
        row: dict[str, float] = {"budget": float(budget)}
        for rec in table.itertuples():
            for q in ("p10", "p50", "p90"):
                row[f"{rec.metric}_{q}"] = float(getattr(rec, q))
        rows.append(row)
    cols = ["budget", *[f"{m}_{q}" for m in METRICS for q in ("p10", "p50", "p90")]]
    return pd.DataFrame(rows, columns=cols)


__all__ = [
    "METRICS", "NO_HISTORY", "SOURCES", "Calibration", "Draws", "Ranges", "UncertaintyError", "bands_frame",
    "calibrate", "draw", "model_widths", "placement_inputs", "simulate", "simulate_draws",
]
