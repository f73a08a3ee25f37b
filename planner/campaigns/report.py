"""The campaign report: goals against actuals first, then business figures, likes against business, the funnel,
plan against actual with suggested corrections of the benchmark rates, incrementality, and the bloggers worth
booking again or dropping. Pure computation from the stored campaign; the page and the exports only format it.

Definitions (DOMAIN.md, "Results and return"), amounts in the campaign's currency:
- cost of a placement = cash actually paid + product cost of barter (GRIN's cost basis); the plan's figures
  stand where the results give none (source "planned"), nothing for a cancelled placement without results;
- orders and revenue are code and link sales (measured) × (1 + uplift): codes under-count, the uplift is an
  editable assumption, shown whenever it is used (source "uplifted" instead of "measured");
- ROAS = revenue / cost; ROMI = (revenue × margin − cost) / cost, in per cent (needs the margin);
- cost per order = cost / orders, cost per lead = cost / leads (planner.estimates.metrics cpa, cpl);
- EMV = Σ impressions / 1000 × the platform's published CPM (benchmark): a soft, disputed metric, never a headline;
- forecasts are the plan's own: reach as saved with the plan (a barter deal's at its expected value), engagements,
  clicks and orders by planner.planning.plan's expected_engagements / expected_clicks / expected_orders (ER ×
  reach, impressions × CTR, clicks × conversion), leads = clicks × lead rate, with the brief's rates; forecast
  error = actual / forecast − 1.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from planner.campaigns import goals as goals_mod
from planner.campaigns import incrementality as inc_mod
from planner.campaigns import results as results_mod
from planner.campaigns.saved import campaign_brief
from planner.core.memo import LruMemo
from planner.core.money import Rates
from planner.estimates import metrics
from planner.estimates.benchmarks import Benchmarks
from planner.planning import plan
from planner.planning.plan import DEFAULT_RATES
from planner.storage import store
from planner.storage.access import Access
from planner.storage.db import Engine

SOURCES: tuple[str, ...] = ("measured", "uplifted", "planned", "forecast", "estimated", "benchmark", "assumption")
VERDICTS: tuple[str, ...] = ("rebook", "keep", "drop", "wait")
# A placement's state, from its results, its status, its planned date and the campaign's window: reported (results
# in), published without results (yet), pending (not yet due), did not publish (cancelled, or its date passed).
STATES: tuple[str, ...] = ("reported", "published_without_results", "pending", "not_published")
WAITING: frozenset[str] = frozenset({"published_without_results", "pending"})
DISAGREEMENTS: tuple[str, ...] = ("likes_without_sales", "sales_without_likes")
# The business result a blogger is ranked and judged by, per primary goal.
BUSINESS_BY_GOAL: dict[str | None, str] = {
    None: "orders", "online_sales": "orders", "offline_sales": "promo_redemptions_offline",
    "store_visits": "promo_redemptions_offline", "leads": "leads", "installs": "installs", "awareness": "reach",
    "positive_mentions": "positive_mentions",
}
FUNNEL: tuple[str, ...] = ("reach", "clicks", "redemptions", "orders", "revenue")
DROP_ROMI_POINTS = 50.0  # ROMI this many points below the bar: drop
DROP_SHARE_POINTS = 25.0  # positive share this many points below the bar: drop


@dataclass
class Report:
    campaign: dict[str, Any]
    goals: goals_mod.Goals
    goal_rows: list[dict[str, Any]]
    totals: dict[str, float | None]
    sources: dict[str, str]
    bloggers: pd.DataFrame
    disagreements: list[dict[str, Any]]
    funnel: pd.DataFrame
    corrections: pd.DataFrame
    business: str
    incrementality: inc_mod.Incrementality | None = None
    incrementality_error: inc_mod.IncrementalityError | None = None
    attributed: dict[str, Any] = field(default_factory=dict)
    has_results: bool = False
    coverage: dict[str, int] = field(default_factory=dict)
    projection: dict[str, float | None] | None = None

    @property
    def roi(self) -> float | None:
        """The ROI under the definition the user chose (ROMI and ROI on EMV in per cent, ROAS a multiple)."""
        return self.totals.get({"romi": "romi", "roas": "roas", "emv": "roi_emv"}[self.goals.roi_definition])

    def rebook(self) -> pd.DataFrame:
        return self.bloggers[self.bloggers["verdict"] == "rebook"]

    def drop(self) -> pd.DataFrame:
        return self.bloggers[self.bloggers["verdict"] == "drop"]

    def likes_vs_business(self) -> pd.DataFrame:
        """Each published blogger's share of the campaign's engagements beside their share of its business result
        (fractions): ``handle, platform, engagement_share, business_share``."""
        pub = self.bloggers[self.bloggers["published"].astype(bool)]
        eng, biz, eng_share, biz_share = _shares(pub, self.business)
        return pd.DataFrame({"handle": pub["handle"].to_numpy(), "platform": pub["platform"].to_numpy(),
                             "engagement_share": eng_share, "business_share": biz_share})

    def to_json(self) -> dict[str, Any]:
        """The report as ``results report --json`` prints it."""
        b = self.bloggers
        out: dict[str, Any] = {
            "campaign": self.campaign,
            "goals": [{k: r[k] for k in ("kind", "target", "actual", "met")} for r in self.goal_rows],
            "primary_goal": self.goals.primary, "margin_pct": self.goals.margin_pct,
            "uplift_pct": self.goals.uplift_pct,
            "totals": {k: _clean(v) for k, v in self.totals.items()},
            "sources": dict(self.sources),
            "bloggers": [
                {"handle": r.handle, "platform": r.platform, "cost": _clean(r.cost),
                 "engagements": _clean(r.engagements), "orders": _clean(r.orders), "revenue": _clean(r.revenue),
                 "romi": _clean(r.romi), "roas": _clean(r.roas), "forecast_reach": _clean(r.forecast_reach),
                 "actual_reach": _clean(r.actual_reach),
                 "forecast_orders": _clean(r.forecast_orders), "forecast_engagements": _clean(r.forecast_engagements),
                 "reach_error": _clean(r.reach_error), "orders_error": _clean(r.orders_error),
                 "verdict": r.verdict, "verdict_metric": r.verdict_metric, "verdict_value": _clean(r.verdict_value),
                 "verdict_reason": r.verdict_reason, "state": r.state}
                for r in b.itertuples()],
            "disagreements": [{"handle": d["handle"], "platform": d["platform"], "kind": d["kind"]}
                              for d in self.disagreements],
            "funnel": [{"stage": r.stage, "value": _clean(r.value), "rate": _clean(r.rate)}
                       for r in self.funnel.itertuples()],
            "corrections": [{k: _clean(v) for k, v in rec.items()} for rec in self.corrections.to_dict("records")],
            "roi_definition": self.goals.roi_definition, "roi_text": self.goals.roi_text, "roi": _clean(self.roi),
            "business_result": self.business,
            "coverage": dict(self.coverage),
            # the whole campaign if the placements still waiting perform as forecast (≈, an estimate)
            "projection": None if self.projection is None else {k: _clean(v) for k, v in self.projection.items()},
        }
        if self.incrementality is not None:
            out["incrementality"] = {**{k: _clean(v) if isinstance(v, float) else v
                                        for k, v in self.incrementality.to_dict().items()},
                                     "attributed": {k: _clean(v) for k, v in self.attributed.items()}}
        elif self.incrementality_error is not None:
            out["incrementality_error"] = str(self.incrementality_error)
        return out


def _clean(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _f(v: Any) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return float("nan")
    return x


def _sum(values: pd.Series | np.ndarray) -> float:
    """Σ of the known values; NaN when none is known (an unmeasured figure is not a zero)."""
    arr = np.asarray(values, dtype=float)
    known = np.isfinite(arr)
    return float(arr[known].sum()) if known.any() else float("nan")


def _ratio(num: float, den: float, scale: float = 1.0) -> float:
    return float(num) / float(den) * scale if math.isfinite(num) and math.isfinite(den) and den > 0 else float("nan")


def build(engine: Engine, campaign_id: int, *, rates: Rates | Mapping[str, float] | None = None,
          bench: Benchmarks | None = None, access: Access,
          with_incrementality: bool = True, today: date | None = None) -> Report:
    """The report of a stored campaign of the workspace."""
    camp = results_mod.campaign_of(engine, campaign_id, access=access)
    goals = goals_mod.load_goals(engine, campaign_id, access=access)
    frame = results_mod.load_results(engine, campaign_id, access=access)
    bloggers = store.load_bloggers_by_id(engine, [int(i) for i in frame["blogger_id"].dropna().unique()],
                                         workspace_id=access.workspace_id) if frame["blogger_id"].notna().any() \
        else None
    try:
        brief_rates = dict(campaign_brief(camp).rates or {})
    except Exception:  # an old or hand-made brief: the default rates, as the plan would have used
        brief_rates = {}
    sales = results_mod.load_sales(engine, campaign_id, access=access) if with_incrementality else None
    info = {"id": camp.id, "name": camp.name, "currency": camp.currency, "status": camp.status, "budget": camp.budget}
    return compute(frame, goals, campaign=info, bloggers=bloggers, brief_rates=brief_rates, sales=sales,
                   rates=Rates.of(rates), bench=bench, today=today)


def compute(frame: pd.DataFrame, goals: goals_mod.Goals, *, campaign: Mapping[str, Any] | None = None,
            bloggers: pd.DataFrame | None = None, brief_rates: Mapping[str, float] | None = None,
            sales: pd.DataFrame | None = None, rates: Rates | None = None,
            bench: Benchmarks | None = None, today: date | None = None) -> Report:
    """The report from a campaign's placements with results (:func:`planner.campaigns.results.load_results`).

    Totals, ROMI, ROAS, costs per result and forecast errors cover the reported placements (their cost against
    their results); a campaign still running also gets a projection of the whole campaign if the placements still
    waiting perform as forecast. ``today``: the day a planned date or the campaign's window is compared with."""
    bench = bench or metrics.default_benchmarks()
    rates = rates or Rates.of(None)
    campaign = dict(campaign or {})
    currency = str(campaign.get("currency") or "RUB")
    r = {**DEFAULT_RATES, **{k: float(v) for k, v in (brief_rates or {}).items() if k in DEFAULT_RATES}}
    uplift = 1.0 + float(goals.uplift_pct) / 100.0
    p = _placements(frame, bloggers, r, uplift, bench, rates, currency)
    p["state"] = placement_states(p, goals.window_end, today or date.today())
    business = BUSINESS_BY_GOAL.get(goals.primary, "orders")
    by = _by_blogger(p)
    reported = p[p["state"] == "reported"]
    totals, sources = _totals(reported, goals, uplift)
    coverage = {st: int((p["state"] == st).sum()) for st in STATES} | {"planned": len(p)}
    totals["placements"], totals["published"] = float(len(p)), float(coverage["reported"])
    _verdicts(by, goals, totals, business)
    disagreements = _disagreements(by, business)
    kinds = {(d["handle"], d["platform"]): d["kind"] for d in disagreements}  # one lookup per blogger
    by["disagreement"] = [kinds.get(key) for key in zip(by["handle"], by["platform"], strict=True)]
    goal_rows = _goal_rows(goals, totals, sources)
    report = Report(campaign=campaign, goals=goals, goal_rows=goal_rows, totals=totals, sources=sources, bloggers=by,
                    disagreements=disagreements, funnel=_funnel(totals, sources), corrections=_corrections(p, r),
                    business=business, has_results=bool(p["has_result"].any()), coverage=coverage,
                    projection=_projection(p, totals, goals, uplift))
    if sales is not None and not sales.empty:
        _incrementality(report, p, sales, goals, uplift)
    return report


# ---- per placement ---------------------------------------------------------------------------------------
def _placements(frame: pd.DataFrame, bloggers: pd.DataFrame | None, r: Mapping[str, float], uplift: float,
                bench: Benchmarks, rates: Rates, currency: str) -> pd.DataFrame:
    p = frame.copy()
    n = len(p)
    has = p["has_result"].astype(bool).to_numpy() if n else np.zeros(0, bool)
    cancelled = (p["status"] == "cancelled").to_numpy() & ~has
    cash = p["cash_cost"].to_numpy(dtype=float)
    planned_cash = np.where(cancelled, 0.0, p["planned_cost"].to_numpy(dtype=float))
    p["cash_source"] = np.where(np.isfinite(cash), "measured", "planned")
    p["cash"] = np.where(np.isfinite(cash), cash, planned_cash)
    prod = p["product_cost"].to_numpy(dtype=float)
    planned_prod = np.where(cancelled, 0.0, np.nan_to_num(p["planned_product_cost"].to_numpy(dtype=float)))
    p["product_source"] = np.where(np.isfinite(prod), "measured", "planned")
    p["product"] = np.where(np.isfinite(prod), prod, planned_prod)
    p["cost"] = p["cash"] + p["product"]
    # reach: measured, else views x the platform's unique-viewer share (an estimate)
    share = p["platform"].map(lambda x: bench.unique_viewer_share[x].value if x in bench.unique_viewer_share
                              else np.nan).to_numpy(dtype=float)
    reach = p["reach"].to_numpy(dtype=float)
    views = p["views"].to_numpy(dtype=float)
    p["actual_reach"] = np.where(np.isfinite(reach), reach, views * share)
    p["reach_source"] = np.where(np.isfinite(reach), "measured", np.where(np.isfinite(views), "estimated", ""))
    fmt = p["format"].astype(str).str.split("+").str[0].to_numpy()
    imps = p["impressions"].to_numpy(dtype=float)
    est_imps = np.asarray(metrics.impressions(p["actual_reach"].to_numpy(dtype=float), fmt, bench=bench), dtype=float) \
        if n else np.zeros(0)
    p["actual_impressions"] = np.where(np.isfinite(imps), imps, np.where(np.isfinite(views), views, est_imps))
    eng_cols = p[["likes", "comments", "shares", "saves"]].to_numpy(dtype=float)
    p["engagements"] = np.where(np.isfinite(eng_cols).any(axis=1), np.nansum(eng_cols, axis=1), np.nan) if n else []
    red = p[["promo_redemptions_online", "promo_redemptions_offline"]].to_numpy(dtype=float)
    p["redemptions"] = np.where(np.isfinite(red).any(axis=1), np.nansum(red, axis=1), np.nan) if n else []
    orders = p["orders"].to_numpy(dtype=float)
    p["orders_measured"] = np.where(np.isfinite(orders), orders, p["redemptions"].to_numpy(dtype=float))
    p["orders_source"] = np.where(np.isfinite(orders), "measured",
                                  np.where(p["redemptions"].notna(), "redemptions", ""))
    p["orders_up"] = p["orders_measured"] * uplift
    p["revenue_up"] = p["revenue"] * uplift
    # the plan's forecasts, by its own formulas (planner.planning.plan.describe)
    # a saved placement's expected reach is already reach x expected posts (barter and hybrid at their expected
    # value, as the plan counted them: planner.campaigns.saved)
    p["forecast_reach"] = p["expected_reach"].to_numpy(dtype=float)
    er = np.full(n, np.nan)
    if bloggers is not None and len(bloggers) and n:
        enriched = metrics.enrich(bloggers, bench=bench)
        by_id = dict(zip(enriched["id"].astype(int), enriched["engagement_rate"].astype(float), strict=True))
        er = np.array([by_id.get(int(b), np.nan) if pd.notna(b) else np.nan for b in p["blogger_id"]], dtype=float)
    p["forecast_engagements"] = np.where(np.isfinite(er), plan.expected_engagements(er, p["forecast_reach"]), np.nan)
    f_imps = np.asarray(metrics.impressions(p["forecast_reach"].to_numpy(dtype=float), fmt, bench=bench), dtype=float) \
        if n else np.zeros(0)
    p["forecast_impressions"] = f_imps
    p["forecast_clicks"] = plan.expected_clicks(f_imps, r)
    p["forecast_orders"] = plan.expected_orders(f_imps, r)
    p["forecast_leads"] = p["forecast_clicks"] * r["lead_rate"]
    # EMV: impressions / 1000 x the platform's typical published CPM (USD), in the campaign's currency
    cpm = p["platform"].map(lambda x: bench.cpm_usd[x].typical if x in bench.cpm_usd else np.nan).to_numpy(dtype=float)
    p["emv"] = metrics.cost_at_cpm(cpm, p["actual_impressions"].to_numpy(float)) * float(
        rates.convert(1.0, "USD", currency))
    return p


def placement_states(p: pd.DataFrame, window_end: date | None, today: date) -> np.ndarray:
    """Each placement's state (:data:`STATES`): reported when its results are in; did not publish when it was
    cancelled, or when its planned date (else the campaign's window end) has passed with no publication; published
    without results when its status says published; else pending (not yet due, or no date to say it is late)."""
    n = len(p)
    if not n:
        return np.zeros(0, dtype=object)
    has = p["has_result"].astype(bool).to_numpy()
    status = p["status"].astype(str).to_numpy()
    due = p["planned_date"] if "planned_date" in p else pd.Series([None] * n, index=p.index)
    passed = np.array([(d < today) if isinstance(d, date) else (window_end is not None and window_end < today)
                       for d in due], dtype=bool)
    return np.where(has, "reported", np.where(status == "cancelled", "not_published",
                                              np.where(status == "published", "published_without_results",
                                                       np.where(passed, "not_published", "pending")))).astype(object)


def _projection(p: pd.DataFrame, totals: Mapping[str, float | None], goals: goals_mod.Goals,
                uplift: float) -> dict[str, float | None] | None:
    """The whole campaign if the placements still waiting (pending, or published without results) perform as
    forecast: reported figures plus the waiting placements' planned cost and forecasts (an estimate, ≈). Revenue
    takes the reported revenue per order for the forecast orders. None when nothing is waiting."""
    waiting = p[p["state"].isin(WAITING)]
    if waiting.empty:
        return None

    def num(v: Any) -> float:
        x = _f(v)
        return x if math.isfinite(x) else 0.0

    cost = num(totals.get("cost")) + num(_sum(waiting["cash"])) + num(_sum(waiting["product"]))
    orders = num(totals.get("orders")) + num(_sum(waiting["forecast_orders"])) * uplift
    per_order = _ratio(num(totals.get("revenue")), num(totals.get("orders")))
    revenue = num(totals.get("revenue")) + num(_sum(waiting["forecast_orders"])) * uplift * per_order \
        if math.isfinite(per_order) else float("nan")
    margin = goals.margin_pct
    return {
        "placements": float(len(p[p["state"] != "not_published"])), "waiting": float(len(waiting)),
        "cost": cost, "cash_cost": num(totals.get("cash_cost")) + num(_sum(waiting["cash"])),
        "product_cost": num(totals.get("product_cost")) + num(_sum(waiting["product"])),
        "reach": num(totals.get("reach")) + num(_sum(waiting["forecast_reach"])),
        "orders": orders, "revenue": revenue, "roas": _ratio(revenue, cost),
        "romi": _ratio(revenue * margin / 100.0 - cost, cost, 100.0) if margin is not None else float("nan"),
        "cost_per_order": float(metrics.cpa(cost, orders)),
    }


def _by_blogger(p: pd.DataFrame) -> pd.DataFrame:
    """One row per blogger (handle, platform): sums of the placements' figures (NaN where none is known)."""
    sums = ["cash", "product", "cost", "actual_reach", "actual_impressions", "views", "likes", "comments", "shares",
            "saves", "engagements", "clicks", "promo_redemptions_online", "promo_redemptions_offline", "redemptions",
            "orders_measured", "orders_up", "revenue", "revenue_up", "leads", "installs", "new_followers",
            "positive_mentions", "negative_mentions", "forecast_reach", "forecast_engagements", "forecast_impressions",
            "forecast_clicks", "forecast_orders", "forecast_leads", "emv"]
    cols = ["handle", "platform", *sums, "placements", "published", "kind", "format", "published_at", "link",
            "cash_source", "product_source", "reach_source", "state"]
    if p.empty:
        return pd.DataFrame(columns=cols)
    p = p.assign(published=p["has_result"].astype(bool), placements=1)
    g = p.groupby(["handle", "platform"], sort=False)
    # one vectorised sum per figure (NaN where none is known, as _sum) and one pass over the rows for the text
    # figures: a Python function per group and figure took 19 s on a campaign of 2,597 placements
    figures = p[sums].apply(pd.to_numeric, errors="coerce").astype(float)
    figures = figures.where(np.isfinite(figures.to_numpy()))
    out = figures.groupby([p["handle"], p["platform"]], sort=False).sum(min_count=1).reset_index()
    out["placements"] = g["placements"].sum().to_numpy()
    out["published"] = g["published"].any().to_numpy()
    gid = g.ngroup().to_numpy()
    n = int(g.ngroups)
    kinds: list[dict[str, None]] = [{} for _ in range(n)]
    formats: list[dict[str, None]] = [{} for _ in range(n)]
    first_day: list[date | None] = [None] * n
    link: list[str | None] = [None] * n
    sources = {c: [""] * n for c in ("cash_source", "product_source", "reach_source")}
    measured = {c: [True] * n for c in sources}
    for i, kind, fmt, day, url, *src in zip(gid, p["kind"], p["format"], p["published_at"], p["link"],
                                            *(p[c] for c in sources), strict=True):
        kinds[i][kind] = None
        formats[i][fmt] = None
        if isinstance(day, date) and (first_day[i] is None or day < first_day[i]):  # type: ignore[operator]
            first_day[i] = day
        if link[i] is None and isinstance(url, str) and url:
            link[i] = url
        for c, value in zip(sources, src, strict=True):
            if value != "measured":
                if measured[c][i]:
                    sources[c][i] = value
                measured[c][i] = False
    out["kind"] = ["+".join(k) for k in kinds]
    out["format"] = ["+".join(f) for f in formats]
    out["published_at"] = first_day
    out["link"] = link
    # a blogger's state: the first of reported, published without results, pending, did not publish
    rank = p["state"].map({x: i for i, x in enumerate(STATES)}).fillna(len(STATES)).astype(int)
    best = rank.groupby(gid).min().reindex(range(n)).to_numpy()
    out["state"] = [STATES[r] if r < len(STATES) else "pending" for r in best]
    for c in sources:
        out[c] = ["measured" if m else v for m, v in zip(measured[c], sources[c], strict=True)]
    out = out.rename(columns={"orders_up": "orders", "revenue_up": "revenue_uplifted"})
    out["revenue_measured"] = out["revenue"]
    out["revenue"] = out["revenue_uplifted"]
    out = out.drop(columns=["revenue_uplifted"])
    # cost per lead / order, ROAS, ROMI per blogger (ROMI needs the margin: filled in _verdicts' caller)
    out["cost_per_order"] = np.asarray(metrics.cpa(out["cost"].to_numpy(float), out["orders"].to_numpy(float)))
    out["cost_per_lead"] = np.asarray(metrics.cpl(out["cost"].to_numpy(float), out["leads"].to_numpy(float)))
    out["cost_per_install"] = np.asarray(metrics.cpa(out["cost"].to_numpy(float), out["installs"].to_numpy(float)))
    out["cpm_reach"] = np.asarray(metrics.cpm(out["cost"].to_numpy(float), out["actual_reach"].to_numpy(float)))
    with np.errstate(divide="ignore", invalid="ignore"):
        out["roas"] = np.where(out["cost"] > 0, out["revenue"] / out["cost"], np.nan)
        pos, neg = out["positive_mentions"].to_numpy(float), out["negative_mentions"].to_numpy(float)
        out["positive_share"] = np.where(np.nan_to_num(pos) + np.nan_to_num(neg) > 0,
                                         np.nan_to_num(pos) / (np.nan_to_num(pos) + np.nan_to_num(neg)) * 100, np.nan)
        out["reach_error"] = np.where(out["forecast_reach"] > 0, out["actual_reach"] / out["forecast_reach"] - 1,
                                      np.nan)
        out["engagements_error"] = np.where(out["forecast_engagements"] > 0,
                                            out["engagements"] / out["forecast_engagements"] - 1, np.nan)
        out["orders_error"] = np.where(out["forecast_orders"] > 0,
                                       out["orders_measured"] / out["forecast_orders"] - 1, np.nan)
    return out


# ---- totals and goals --------------------------------------------------------------------------------------
def _totals(p: pd.DataFrame, goals: goals_mod.Goals, uplift: float) -> tuple[dict[str, float | None], dict[str, str]]:
    cash, product = _sum(p["cash"]), _sum(p["product"])
    cost = np.nansum([cash, product]) if (math.isfinite(cash) or math.isfinite(product)) else float("nan")
    orders_m, revenue_m = _sum(p["orders_measured"]), _sum(p["revenue"])
    orders, revenue = orders_m * uplift, revenue_m * uplift
    leads, installs = _sum(p["leads"]), _sum(p["installs"])
    pos, neg = _sum(p["positive_mentions"]), _sum(p["negative_mentions"])
    margin = goals.margin_pct
    romi = (_ratio(revenue * margin / 100.0 - cost, cost, 100.0)
            if margin is not None and math.isfinite(revenue) else float("nan"))
    emv = _sum(p["emv"])
    totals: dict[str, float | None] = {
        "cash_cost": cash, "product_cost": product, "cost": float(cost),
        "reach": _sum(p["actual_reach"]), "impressions": _sum(p["actual_impressions"]), "views": _sum(p["views"]),
        "likes": _sum(p["likes"]), "comments": _sum(p["comments"]), "shares": _sum(p["shares"]),
        "saves": _sum(p["saves"]), "engagements": _sum(p["engagements"]), "clicks": _sum(p["clicks"]),
        "redemptions_online": _sum(p["promo_redemptions_online"]),
        "redemptions_offline": _sum(p["promo_redemptions_offline"]), "redemptions": _sum(p["redemptions"]),
        "orders": orders, "orders_measured": orders_m, "revenue": revenue, "revenue_measured": revenue_m,
        "leads": leads, "installs": installs, "new_followers": _sum(p["new_followers"]),
        "positive_mentions": pos, "negative_mentions": neg,
        "positive_share": _ratio(np.nan_to_num(pos), np.nan_to_num(pos) + np.nan_to_num(neg), 100.0),
        "roas": _ratio(revenue, cost), "romi": romi,
        "cost_per_order": float(metrics.cpa(cost, orders)), "cost_per_lead": float(metrics.cpl(cost, leads)),
        "cost_per_install": float(metrics.cpa(cost, installs)),
        "cpm": float(metrics.cpm(cost, _sum(p["actual_impressions"]))),
        "emv": emv, "roi_emv": _ratio(emv - cost, cost, 100.0), "uplift_pct": float(goals.uplift_pct),
        "margin_pct": margin, "brand_lift_pp": goals.brand_lift_pp,
        "forecast_reach": _sum(p["forecast_reach"]), "forecast_engagements": _sum(p["forecast_engagements"]),
        "forecast_clicks": _sum(p["forecast_clicks"]), "forecast_orders": _sum(p["forecast_orders"]),
        "forecast_leads": _sum(p["forecast_leads"]),
        "placements": float(len(p)), "published": float(p["has_result"].astype(bool).sum()),
    }
    for what, forecast, actual in (("reach", "forecast_reach", "reach"),
                                   ("engagements", "forecast_engagements", "engagements"),
                                   ("orders", "forecast_orders", "orders_measured")):  # actual / forecast - 1
        f, a = totals[forecast], totals[actual]
        totals[f"{what}_error"] = (float(a) / float(f) - 1.0 if f is not None and a is not None and math.isfinite(f)
                                   and math.isfinite(a) and f > 0 else float("nan"))
    measured_cost = bool(len(p)) and bool((p["cash_source"] == "measured").all()
                                          and (p["product_source"] == "measured").all())
    sales_src = "uplifted" if goals.uplift_pct > 0 else "measured"
    sources = {k: "measured" for k in totals}
    sources.update({"cash_cost": "measured" if (p["cash_source"] == "measured").all() else "planned",
                    "product_cost": "measured" if (p["product_source"] == "measured").all() else "planned",
                    "cost": "measured" if measured_cost else "planned",
                    "reach": "measured" if (p["reach_source"].isin(["measured", ""])).all() else "estimated",
                    "orders": sales_src, "revenue": sales_src, "roas": sales_src, "romi": sales_src,
                    "cost_per_order": sales_src, "emv": "benchmark", "roi_emv": "benchmark",
                    "uplift_pct": "assumption", "margin_pct": "assumption", "cpm": "measured",
                    **{k: "forecast" for k in totals if k.startswith("forecast_")},
                    **{k: "forecast" for k in totals if k.endswith("_error")}})
    return totals, sources


def _goal_rows(goals: goals_mod.Goals, totals: Mapping[str, float | None],
               sources: Mapping[str, str]) -> list[dict[str, Any]]:
    rows = []
    for kind, target in goals.targets:
        actual = totals.get(kind)
        actual = None if actual is None or not math.isfinite(float(actual)) else float(actual)
        kd = goals_mod.TARGET_KINDS[kind]
        rows.append({"kind": kind, "target": target, "actual": actual,
                     "met": goals_mod.is_met(kind, target, actual), "direction": kd.direction, "unit": kd.unit,
                     "source": sources.get(kind, "measured")})
    return rows


# ---- verdicts and disagreements ----------------------------------------------------------------------------
def _verdicts(by: pd.DataFrame, goals: goals_mod.Goals, totals: Mapping[str, float | None], business: str) -> None:
    """Rebook, keep or drop each blogger, with the figure that says so (verdict_metric, verdict_value,
    verdict_bar, verdict_reason)."""
    margin = goals.margin_pct
    with np.errstate(divide="ignore", invalid="ignore"):
        by["romi"] = (np.where(by["cost"] > 0, (by["revenue"] * (margin or 0) / 100.0 - by["cost"]) / by["cost"] * 100,
                               np.nan) if margin is not None else np.nan)
    if business in ("orders", "promo_redemptions_offline"):
        if margin is not None:
            metric, bar, better = "romi", goals.target("romi"), "higher_points"
            bar = 0.0 if bar is None else bar
        else:
            metric, bar, better = "roas", goals.target("roas") or totals.get("roas"), "higher_ratio"
    elif business == "leads":
        metric, bar, better = "cost_per_lead", goals.target("cost_per_lead") or totals.get("cost_per_lead"), "lower"
    elif business == "installs":
        metric, bar, better = "cost_per_install", totals.get("cost_per_install"), "lower"
    elif business == "reach":
        metric, bar, better = "cpm_reach", metrics.cpm(_f(totals.get("cost")), _f(totals.get("reach"))), "lower"
    else:
        metric, bar, better = "positive_share", goals.target("positive_share") or totals.get("positive_share"), \
            "higher_share"
    bar = None if bar is None or not math.isfinite(float(bar)) else float(bar)
    verdicts, values, reasons = [], [], []
    for rec in by.itertuples():
        value = _f(getattr(rec, metric))
        result = _f(getattr(rec, business if business != "reach" else "actual_reach"))
        cost = _f(rec.cost)
        if rec.state in WAITING:  # no verdict before the results are in
            verdict, reason = "wait", "waiting"
        elif rec.state == "not_published":
            verdict, reason = "drop", "not_published"
        elif cost > 0 and not (result > 0):
            verdict, reason = "drop", "no_result"
        elif not (cost > 0):
            verdict, reason = ("rebook", "free") if result > 0 else ("keep", "no_figure")
        elif bar is None or not math.isfinite(value):
            verdict, reason = "keep", "no_figure"
        elif better == "lower":
            verdict, reason = ("rebook", "meets") if value <= bar else (("drop", "far_off") if value > 2 * bar
                                                                         else ("keep", "near"))
        elif better == "higher_points":
            verdict, reason = ("rebook", "meets") if value >= bar else (("drop", "far_off")
                                                                         if value < bar - DROP_ROMI_POINTS
                                                                         else ("keep", "near"))
        elif better == "higher_share":
            verdict, reason = ("rebook", "meets") if value >= bar else (("drop", "far_off")
                                                                         if value < bar - DROP_SHARE_POINTS
                                                                         else ("keep", "near"))
        else:
            verdict, reason = ("rebook", "meets") if value >= bar else (("drop", "far_off") if value < bar / 2
                                                                         else ("keep", "near"))
        verdicts.append(verdict)
        values.append(value)
        reasons.append(reason)
    by["verdict"] = verdicts
    by["verdict_metric"] = metric
    by["verdict_value"] = values
    by["verdict_bar"] = bar
    by["verdict_reason"] = reasons


def _disagreements(by: pd.DataFrame, business: str) -> list[dict[str, Any]]:
    """Bloggers whose likes and business result disagree, by their shares of the campaign's totals (published
    bloggers): likes without sales — at least half an average share of the engagements and at most a third of
    that share in the business result; sales without likes — at least half an average share of the business
    result and three times their share of the engagements or more."""
    pub = by[by["published"].astype(bool)]
    n = len(pub)
    if n < 2:
        return []
    eng, biz, eng_share, biz_share = _shares(pub, business)
    if eng.sum() <= 0 or biz.sum() < 0:
        return []
    floor = 1.0 / (2 * n)
    out = []
    for i, rec in enumerate(pub.itertuples()):
        likes_only = eng_share[i] >= floor and biz_share[i] <= eng_share[i] / 3
        sales_only = biz_share[i] >= floor and biz_share[i] >= 3 * eng_share[i]
        if likes_only or sales_only:
            out.append({"handle": rec.handle, "platform": rec.platform,
                        "kind": "likes_without_sales" if likes_only else "sales_without_likes",
                        "engagements": float(eng[i]), "business": float(biz[i]),
                        "engagement_share": float(eng_share[i]), "business_share": float(biz_share[i])})
    return out


def _shares(pub: pd.DataFrame, business: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Engagements and the business result of published bloggers, and each one's share of the totals
    (fractions; 0 when a total is not positive)."""
    col = "actual_reach" if business == "reach" else business
    eng = pub["engagements"].fillna(0.0).to_numpy(float)
    biz = pub[col].fillna(0.0).to_numpy(float)
    eng_share = eng / eng.sum() if eng.sum() > 0 else np.zeros(len(pub))
    biz_share = biz / biz.sum() if biz.sum() > 0 else np.zeros(len(pub))
    return eng, biz, eng_share, biz_share


# ---- funnel, corrections, incrementality -------------------------------------------------------------------
def _funnel(totals: Mapping[str, float | None], sources: Mapping[str, str]) -> pd.DataFrame:
    # code and link sales as measured: the uplift is an estimate on top, never a step of the funnel
    keys = {"reach": "reach", "clicks": "clicks", "redemptions": "redemptions", "orders": "orders_measured",
            "revenue": "revenue_measured"}
    values = [_f(totals.get(keys[s])) for s in FUNNEL]
    rate = [float("nan")] + [_ratio(values[i], values[i - 1], 100.0) if FUNNEL[i] != "revenue" else float("nan")
                             for i in range(1, len(FUNNEL))]
    return pd.DataFrame({"stage": list(FUNNEL), "value": values, "rate": rate,
                         "source": [sources.get(keys[s], "measured") for s in FUNNEL]})


def _corrections(p: pd.DataFrame, r: Mapping[str, float]) -> pd.DataFrame:
    """The benchmark rates the next plan should use, from this campaign's published placements: reach and
    engagements as a factor on the benchmark estimates, CTR, conversion to order and to lead as rates."""
    pub = p[p["has_result"].astype(bool)]
    rows = []

    def add(rate: str, current: float, num: pd.Series, den: pd.Series, basis: str) -> None:
        both = np.isfinite(num.to_numpy(float)) & np.isfinite(den.to_numpy(float)) & (den.to_numpy(float) > 0)
        if both.sum() == 0:
            return
        nsum, dsum = float(num[both].sum()), float(den[both].sum())
        observed = nsum / dsum if dsum > 0 else float("nan")
        suggested = observed * current if rate in ("reach_factor", "engagement_factor") else observed
        rows.append({"rate": rate, "current": current, "observed": observed, "suggested": suggested,
                     "error": (suggested / current - 1) if current > 0 else float("nan"), "placements": int(both.sum()),
                     "basis": basis})

    add("reach_factor", 1.0, pub["actual_reach"], pub["forecast_reach"], "actual reach / forecast reach")
    add("engagement_factor", 1.0, pub["engagements"], pub["forecast_engagements"],
        "actual engagements / forecast engagements")
    add("ctr", r["ctr"], pub["clicks"], pub["actual_impressions"], "clicks / impressions")
    add("conversion", r["conversion"], pub["orders_measured"], pub["clicks"], "orders (measured) / clicks")
    add("lead_rate", r["lead_rate"], pub["leads"], pub["clicks"], "leads / clicks")
    return pd.DataFrame(rows, columns=["rate", "current", "observed", "suggested", "error", "placements", "basis"])


# Incrementality estimates by everything they are computed from: the sales series (its content) and the window. A
# report is built again after every change of its campaign (a goal, an uplift, a result stored), and the estimate
# (0.4 s warm, 2 s the first time a pattern of days is seen) changes only with the series or the window.
_ESTIMATES = LruMemo(32)


def _frame_digest(frame: pd.DataFrame) -> str:
    h = hashlib.sha256(repr((list(frame.columns), [str(t) for t in frame.dtypes])).encode())
    h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return h.hexdigest()


def _estimate(sales: pd.DataFrame, start: date, end: date) -> inc_mod.Incrementality:
    """``inc_mod.estimate`` remembered by its inputs (a failure too); each caller gets its own daily frame."""
    def make() -> inc_mod.Incrementality | inc_mod.IncrementalityError:
        try:
            return inc_mod.estimate(sales, start, end)
        except inc_mod.IncrementalityError as exc:
            return exc

    out = _ESTIMATES.get((_frame_digest(sales), start, end, inc_mod.LEVEL), make)
    if isinstance(out, inc_mod.IncrementalityError):
        raise copy.copy(out).with_traceback(None)  # a fresh one: the kept one's traceback would grow per raise
    return dataclasses.replace(out, daily=out.daily.copy())


def _incrementality(report: Report, p: pd.DataFrame, sales: pd.DataFrame, goals: goals_mod.Goals,
                    uplift: float) -> None:
    window = ((goals.window_start, goals.window_end) if goals.window_start and goals.window_end
              else inc_mod.default_window(p["published_at"]))
    if window is None:
        report.incrementality_error = inc_mod.IncrementalityError("no_window")
        return
    try:
        report.incrementality = _estimate(sales, window[0], window[1])
    except inc_mod.IncrementalityError as exc:
        report.incrementality_error = exc
        return
    unit = goals.sales_unit or "orders"
    measured = _f(report.totals.get("revenue_measured" if unit == "revenue" else "orders_measured"))
    report.attributed = {"measured": measured, "uplifted": measured * uplift, "unit": unit}
