"""The client pitch: one document model of a saved campaign (and, optionally, named scenarios beside it), and
its three files — XLSX (:mod:`planner.reporting.pitch_xlsx`), PPTX (:mod:`planner.reporting.pitch_pptx`) and PDF
(:mod:`planner.reporting.pitch_pdf`).

:func:`build` gathers a :class:`planner.reporting.pitch_model.Pitch` (the document model, which the renderers import
instead of this module); the renderers only lay out. Every figure comes from the stored campaign or from the
domain's own functions — the plan as saved (placements, their deals, cash and product cost, reach and where it
comes from), :func:`planner.planning.plan.frontier` and :func:`planner.planning.plan.backups` on the campaign's
brief, the plan's outcome formulas (:func:`planner.planning.plan.expected_engagements`, ``expected_clicks``,
``expected_orders``), :mod:`planner.estimates.metrics` (impressions, CPM), the benchmark tables with their sources
— and each carries its source: quoted, measured, estimated (≈), assumption or the brief. Money is converted once,
through :class:`planner.core.money.Rates`, into the chosen currency; every text goes through
:mod:`planner.core.i18n` (keys ``pitch.*``). Charts are the pages' own Altair specs
(:mod:`planner.reporting.charts`), rendered to PNG offline by vl-convert.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner import campaigns
from planner.campaigns import lists
from planner.core import money, units
from planner.core.i18n import t
from planner.core.memo import LruMemo
from planner.core.numbers import finite_or_nan
from planner.core.schema import CURRENCIES
from planner.estimates import benchmarks, metrics
from planner.estimates.benchmarks import BARTER
from planner.planning import optimiser, plan
from planner.planning import uncertainty as unc
from planner.reporting import charts
from planner.reporting import pitch_model as _model
from planner.reporting.pitch_model import (  # noqa: F401  (the model, re-exported: pitch.X names stay for callers)
    CHART_FONT,
    CHART_HEIGHT,
    CHART_WIDTH,
    CHART_WIDTHS,
    KINDS,
    SOURCES,
    Assumption,
    Column,
    Figure,
    Pitch,
    PitchError,
    Table,
    assumption_texts,
    band_text,
    cell_text,
    chart_png,
    citation_text,
    column_widths,
    missing,
    source_text,
    sources_line,
    table_texts,
    totals_texts,
)
from planner.storage import store
from planner.storage.access import Access
from planner.storage.db import Engine

FORMATS: tuple[str, ...] = ("xlsx", "pptx", "pdf")
MIME: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}
FRONTIER_WS: tuple[float, ...] = plan.FRONTIER_WS  # the Plan page's slider steps

# The frontier and the budget curve are plans (seconds each); the three formats of one pitch, and a pitch made again
# in another language or currency, reuse them while the data and the brief are unchanged. Process-wide (a download
# runs on Streamlit's download thread, outside any session), a few entries, under a lock.
_PLANS_MEMO = LruMemo(8)
# the budget curves being planned beside the rest of a pitch (build): two, for two pitches built at once
_CURVES = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="pitch-curve")
# the budget curves planned ahead of a save (plan_curve_ahead): one at a time, the newest wish of each session;
# a key already queued is not queued again (a page reruns on every click, each run asks). Not at a lower priority:
# a thread holding the interpreter's lock must never wait for the cores, or every answer of the server waits with it
_AHEAD = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pitch-curve-ahead")
_AHEAD_QUEUED: set[tuple] = set()
_AHEAD_LOCK = threading.Lock()
TIME_LIMIT_S = 10.0
"""Seconds each of a pitch's plans (its frontier, its budget curve) may take: :func:`build`'s default."""
AHEAD_DELAY_S = 1.0
"""Seconds a plan stays on the screen before its pitch's budget curve is planned ahead (a plan replaced sooner,
e.g. a slider dragged through its steps, is never planned for)."""


class Superseded(Exception):
    """A budget curve planned ahead that is no longer wanted: the screen that asked for it shows another plan."""


@dataclass
class CurveWish:
    """The brief whose pitch's budget curve a session wants planned ahead (the plan on its screen now): set by the
    page's run (:func:`plan_curve_ahead`), read by the planning thread, which stops as soon as it changes."""

    key: tuple | None = None


@dataclass(frozen=True)
class Solved:
    """A brief's plan the caller has already solved (the Plan page's, handed over at a save), given to :func:`build`
    instead of solving the brief again: its candidates, its plan (``solution()``: the certified one, waited for when
    its proof still runs) with its normalisers, and the reach–niche frontier the page drew for it, if computed
    (``frontier``: ``w, unique_reach, niche_value, cost, status, gap``, costs in the brief's currency).

    Used only for the very brief and data it was solved for (:meth:`fits`: the data version of the bloggers and the
    brief's whole fingerprint — its list, budget, reach weight, locks, rates, tier bounds and pools); for any other
    the pitch plans as it would without it."""

    data_version: str
    brief: plan.Brief
    candidates: plan.Candidates
    solution: Callable[[], optimiser.Solution]
    frontier: pd.DataFrame | None = None

    def fits(self, data_version: str, brief: plan.Brief) -> bool:
        """Whether this plan is ``brief``'s on the data of ``data_version``."""
        return bool(self.data_version) and self.data_version == data_version and \
            self.brief.fingerprint() == brief.fingerprint()


# ---- gathering ---------------------------------------------------------------------------------------------
def _reach_source(code: Any) -> str:
    return "measured" if str(code or "") == "measured" else "estimated"


def _price_source(code: Any) -> str:
    return "estimated" if str(code or "") == "estimate" else "quoted"


def build(engine: Engine, campaign_id: int, *, lang: str = "en", currency: str | None = None,
          rates: money.Rates | Mapping[str, float] | None = None, client: str | None = None,
          scenarios: Sequence[str] = (), bloggers: pd.DataFrame | None = None, frontier: bool = True,
          curve: bool | None = None, time_limit: float = TIME_LIMIT_S, today: dt.date | None = None,
          solved: Solved | None = None, access: Access) -> Pitch:
    """The pitch of a saved campaign in ``lang`` and ``currency`` (default: the campaign's).

    Everything planned here plans on the campaign's own brief, its list of bloggers (planner.campaigns.lists), rates,
    locks and kick-outs included, so the frontier's point at the plan's weight and the curve at its budget tell the
    plan's figures (within its gap). ``bloggers``: the workspace's enriched bloggers when the caller has them (the
    page's cached frame); else they are read. ``frontier``: also compute the reach–niche frontier of the campaign's
    brief (11 plans, within ``time_limit`` seconds). ``curve`` (default: as ``frontier``): the budget curve with its
    P10–P90 band — a compared scenario's saved curve, else the budget sweep of the campaign's brief
    (planner.planning.scenarios). ``scenarios``: names of the campaign's saved scenarios (one to four) to compare
    beside the plan. ``solved``: the brief's plan already solved by the caller (:class:`Solved`; the Plan page's at a
    save): its candidates, plan and frontier are used instead of planning them again, when it :meth:`Solved.fits`
    the campaign's brief and the current data."""
    rates = money.Rates.of(rates)
    try:
        camp, placements = campaigns.load_campaign(engine, int(campaign_id), access=access)
    except KeyError:
        raise PitchError(f"no campaign {campaign_id}") from None
    base = camp.currency or "RUB"
    currency = currency or base
    if currency not in CURRENCIES:
        raise PitchError(f"unknown currency {currency!r} (known: {', '.join(CURRENCIES)})")
    curve = frontier if curve is None else curve
    snapshots = _snapshots(engine, int(campaign_id), scenarios, access) if scenarios else []
    k = float(rates.convert(1.0, base, currency))
    try:
        brief = campaigns.campaign_brief(camp)
    except plan.BriefError as exc:
        raise PitchError(f"campaign {campaign_id}: its brief cannot be read ({exc})") from None
    saved_totals: Mapping[str, Any] = (camp.brief or {}).get("totals", {}) or {}
    notes: dict[str, str] = {}

    version = store.data_version(engine, access.workspace_id)
    data_key = _data_key(engine, version)
    handed = solved if solved is not None and solved.fits(version, brief) else None
    try:  # the campaign's own list: backups, the frontier and the curve look beyond the plan, inside that list
        bloggers = lists.bloggers_for(engine, brief, database=bloggers, access=access)
    except plan.BriefError as exc:
        notes["bloggers"] = str(exc)
        bloggers = pd.DataFrame(columns=["id", "handle", "platform"])
    # the budget curve (a few seconds of solving, most of it in HiGHS, outside the interpreter's lock) is planned on a
    # thread of its own while the rest is gathered here (a frame of its own: pandas may reorganise one it reads)
    curve_job = _CURVES.submit(_budget_curve, snapshots, bloggers.copy(deep=False), brief, rates, currency,
                               time_limit, data_key) if curve else None
    by_id = bloggers.drop_duplicates("id").set_index("id", drop=False) if not bloggers.empty else bloggers

    if not placements.empty and not bloggers.empty:  # a placement without its link (a plan made on a file):
        placements = _link_bloggers(placements, bloggers)  # the stored blogger of the same platform and handle
    table = _plan_frame(placements, by_id, k)
    cands: plan.Candidates | None
    if handed is not None and not bloggers.empty:  # the caller's candidates of this very brief and data
        cands, cands_error = handed.candidates, None
    else:
        cands, cands_error = _candidates(bloggers, brief) if frontier or not table.empty else (None, None)
    totals = _totals(table, brief, lang, currency, k, camp.budget)
    totals = _with_bands(totals, table, brief, cands)
    pitch = Pitch(
        lang=lang, currency=currency, campaign_id=int(campaign_id), title=str(camp.name),
        client=(client or "").strip(), date=today or dt.date.today(),
        brief=_brief_lines(camp, brief, saved_totals, lang, currency, k),
        totals=totals,
        plan=Table("plan", t("pitch.section.plan", lang), labels(table, lang), _plan_columns(lang)),
        barter=_barter_table(table, lang), backups=None, frontier=None, current_w=float(brief.reach_weight),
        budget_curve=None, assumptions=[], notes=notes,
    )
    if not table.empty and cands is not None:
        pitch.backups = _backups(table, cands, bloggers, brief, lang, k)
    if frontier:
        if cands is None:
            notes["frontier"] = t("pitch.note.no_frontier", lang, reason=cands_error or "")
        else:
            pitch.frontier = _frontier(cands, brief, k, time_limit, data_key, handed)
            notes["frontier"] = t("pitch.note.frontier", lang,
                                  w=money.format_number(brief.reach_weight, lang, 1)) + _frontier_open(pitch.frontier,
                                                                                                       lang)
    if snapshots:
        pitch.scenarios, pitch.scenario_bloggers, pitch.scenario_totals = _comparison(snapshots, lang, currency,
                                                                                      rates)
    if pitch.barter is None:
        notes["barter"] = t("pitch.note.all_paid", lang)
    pitch.assumptions = _assumptions(table, brief, cands, rates, base, currency, lang)
    early: dict[str, Any] = {}
    if curve_job is not None and not curve_job.done():
        # while the curve is planned, the charts that do not show it are drawn at their default size (the workbook's)
        pitch.charts = early = _charts(pitch, table, lang)
        for name in early:
            pitch.png(name)
    if curve_job is not None:
        pitch.budget_curve, pitch.flattening_budget = curve_job.result()
    if pitch.budget_curve is None:
        notes["curve"] = t("pitch.note.no_curve", lang)
    else:
        notes["curve"] = t("pitch.note.curve", lang, name=_curve_name(snapshots, camp.name)) + (
            " " + t("pitch.note.flattening", lang, budget=money.format_money(pitch.flattening_budget, currency, lang))
            if pitch.flattening_budget is not None else "")
    pitch.charts = {name: early.get(name, chart) for name, chart in _charts(pitch, table, lang).items()}
    return pitch


# ---- scenarios (planner.planning.scenarios, planner.campaigns.scenarios) -------------------------------------------
def _scenario_api() -> tuple[Any, Any] | None:
    """(saved scenarios, the scenarios engine), or None in a version without them."""
    try:
        from planner.campaigns import scenarios as saved
        from planner.planning import scenarios as engine_
    except ImportError:
        return None
    return saved, engine_


def _snapshots(engine: Engine, campaign_id: int, names: Sequence[str], access: Access) -> list[Any]:
    api = _scenario_api()
    if api is None:
        raise PitchError("scenario comparison is not available in this version")
    saved, _ = api
    names = [str(n).strip() for n in names if str(n).strip()]
    if not 1 <= len(names) <= 4:
        raise PitchError("compare one to four scenarios")
    out = []
    for name in names:
        try:
            out.append(saved.load_scenario_by_name(engine, campaign_id, name, access=access).snapshot)
        except KeyError:
            raise PitchError(f"no scenario {name!r} in campaign {campaign_id}") from None
    return out


# the budget curve's columns kept (planner.planning.scenarios.POINT_COLUMNS): the page's chart builder reads them
CURVE_COLUMNS: tuple[str, ...] = ("budget", "unique_reach", "unique_reach_p10", "unique_reach_p50", "unique_reach_p90",
                                  "status")
_SCENARIO_MONEY = ("budget", "cost", "product_cost", "total_cost", "cpm_unique")


def _comparison(snapshots: Sequence[Any], lang: str, currency: str,
                rates: money.Rates) -> tuple[Table, Table | None, pd.DataFrame]:
    """The scenarios side by side (planner.planning.scenarios.compare): one row per scenario, money converted into
    the pitch's currency; and the bloggers that are not in every plan."""
    api = _scenario_api()
    assert api is not None
    comp = api[1].compare(list(snapshots))
    wide = comp.totals.set_index(["scenario", "metric"])
    rows = []
    for name, snap in zip(comp.names, snapshots, strict=True):
        k = float(rates.convert(1.0, snap.scenario.brief.currency, currency))

        def value(metric: str, q: str = "value", name: str = name) -> float:
            try:
                return float(wide.at[(name, metric), q])
            except KeyError:
                return float("nan")

        row: dict[str, Any] = {"name": name}
        for m in ("budget", "cost", "product_cost", "total_cost", "unique_reach", "orders", "cpm_unique", "bloggers",
                  "expected_posts"):
            row[m] = value(m) * (k if m in _SCENARIO_MONEY else 1.0)
        row["reach_p10"], row["reach_p90"] = value("unique_reach", "p10"), value("unique_reach", "p90")
        row["orders_p10"], row["orders_p90"] = value("orders", "p10"), value("orders", "p90")
        rows.append(row)
    frame = pd.DataFrame(rows).assign(cost_source="quoted", product_source="assumption", est="estimated")
    cols = [Column("name", t("pitch.col.scenario", lang)),
            Column("budget", t("pitch.total.budget", lang), "money"),
            Column("cost", t("pitch.col.cash", lang), "money", "cost_source"),
            Column("product_cost", t("pitch.col.product_cost", lang), "money", "product_source"),
            Column("unique_reach", t("plan.unique_reach", lang), "int", "est"),
            Column("reach_p10", t("pitch.col.p10", lang), "int", "est"),
            Column("reach_p90", t("pitch.col.p90", lang), "int", "est"),
            Column("orders", t("pitch.total.orders", lang), "int", "est"),
            Column("cpm_unique", t("pitch.total.cpm_unique", lang), "money", "est"),
            Column("bloggers", t("pitch.total.bloggers", lang), "int")]
    main = Table("scenarios", t("pitch.section.scenarios", lang), frame, cols, note=t("pitch.note.scenarios", lang))
    differ = comp.differ
    if differ.empty:
        return main, None, comp.totals
    brows = []
    for rec in differ.to_dict("records"):
        row = {"handle_label": f"@{rec['handle']}", "platform_label": t(f"platform.{rec['platform']}", lang)}
        for i, name in enumerate(comp.names):
            fmt = (rec.get("formats") or {}).get(name)
            deal = (rec.get("deals") or {}).get(name, "paid")
            row[f"s{i}"] = ("—" if not rec.get(name) or not fmt else
                            " + ".join(t(f"format.{f}", lang) for f in str(fmt).split("+"))
                            + ("" if deal == "paid" else f" ({t(f'barter.deal.{deal}', lang).lower()})"))
        brows.append(row)
    bcols = [Column("handle_label", t("col.handle", lang)), Column("platform_label", t("col.platform", lang))]
    bcols += [Column(f"s{i}", name) for i, name in enumerate(comp.names)]
    return main, Table("scenario_bloggers", t("pitch.section.scenario_bloggers", lang), pd.DataFrame(brows), bcols,
                       note=t("pitch.note.scenario_bloggers", lang)), comp.totals


def _curve_name(snapshots: Sequence[Any], campaign_name: str) -> str:
    return str(snapshots[0].name) if snapshots else str(campaign_name)


def _budget_curve(snapshots: Sequence[Any], bloggers: pd.DataFrame, brief: plan.Brief, rates: money.Rates,
                  currency: str, time_limit: float, data_key: tuple | None = None
                  ) -> tuple[pd.DataFrame | None, float | None]:
    """Unique reach against budget with its P10 / P50 / P90 band: the first compared scenario's saved curve, else
    the budget sweep of the campaign's brief on the current database; budgets in the pitch's currency."""
    api = _scenario_api()
    if api is None:
        return None, None
    engine_ = api[1]
    points, flat, ccy = None, None, brief.currency
    snap = snapshots[0] if snapshots else None
    saved_curve = getattr(snap, "curve", None) if snap is not None else None
    if snap is not None and saved_curve is not None and not saved_curve.empty:
        points, ccy = saved_curve, snap.scenario.brief.currency
        flat = engine_.flattening(points["budget"], points["unique_reach"])
    elif brief.budget and brief.budget > 0 and not bloggers.empty:
        def run() -> tuple[pd.DataFrame | None, float | None]:
            return _sweep_curve(engine_, bloggers, brief, time_limit)

        points, flat = run() if data_key is None else _curve_once(_curve_key(data_key, brief, time_limit), run)
    if points is None or points.empty:
        return None, None
    k = float(rates.convert(1.0, ccy, currency))
    cols = [c for c in CURVE_COLUMNS if c in points.columns]
    out = points.loc[points["unique_reach"].notna(), cols].reset_index(drop=True)
    out["budget"] = out["budget"].astype(float) * k
    return out, (float(flat) * k if flat is not None and math.isfinite(float(flat)) else None)


def _link_bloggers(placements: pd.DataFrame, bloggers: pd.DataFrame) -> pd.DataFrame:
    bid = placements["blogger_id"]
    lost = bid.isna().to_numpy()
    if not lost.any():
        return placements
    key = dict(zip(zip(bloggers["platform"].astype(str), bloggers["handle"].astype(str).str.lower(), strict=True),
                   bloggers["id"].astype(int), strict=True))
    found = [key.get((str(p), str(h).lower())) for p, h in zip(placements["platform"], placements["handle"],
                                                                  strict=True)]
    out = placements.copy()
    out["blogger_id"] = [f if miss else b for b, f, miss in zip(bid.to_numpy(dtype=object), found, lost,
                                                                 strict=True)]
    return out


def _plan_frame(placements: pd.DataFrame, by_id: pd.DataFrame, k: float) -> pd.DataFrame:
    """One row per stored placement, money in the pitch's currency, each figure's source beside it."""
    cols = ["n", "id", "blogger_id", "handle", "platform", "format", "deal", "tier", "followers", "cash",
            "cash_source", "product_cost", "product_source", "cost", "reach", "reach_source", "unique_reach",
            "unique_source", "impressions", "engagements", "fit", "units", "retail_value", "acceptance",
            "post_rate", "expected_posts", "posts_source", "cost_per_post", "status", "pool", "reach_code", "er",
            "er_estimated"]
    if placements.empty:
        return pd.DataFrame(columns=cols)
    p = placements.reset_index(drop=True)
    n = len(p)
    bid = p["blogger_id"].to_numpy(dtype=object)
    known = [b is not None and not pd.isna(b) and int(b) in by_id.index for b in bid]

    def blogger(col: str) -> np.ndarray:
        if col not in by_id.columns:
            return np.full(n, np.nan)
        return np.array([finite_or_nan(by_id.at[int(b), col]) if ok else np.nan
                         for b, ok in zip(bid, known, strict=True)])

    followers = blogger("followers")
    er = blogger("engagement_rate")
    er_est = (np.array([bool(by_id.at[int(b), "engagement_rate_estimated"]) if ok and not pd.isna(
        by_id.at[int(b), "engagement_rate_estimated"]) else True for b, ok in zip(bid, known, strict=True)])
        if "engagement_rate_estimated" in by_id.columns else np.ones(n, dtype=bool))
    deal = p["kind"].fillna("paid").astype(str).to_numpy()
    cash = p["cost"].to_numpy(dtype=float) * k
    product = p["product_cost"].fillna(0.0).to_numpy(dtype=float) * k
    reach = p["expected_reach"].to_numpy(dtype=float)
    fmt = p["format"].astype(str).str.split("+").str[0].to_numpy()
    imps = np.asarray(metrics.impressions(reach, fmt), dtype=float)
    posts = np.where(deal == "paid", 1.0, pd.to_numeric(p.get("expected_posts"), errors="coerce")
                     .to_numpy(dtype=float, na_value=np.nan))
    cost = cash + product
    return pd.DataFrame({
        "n": np.arange(1, n + 1),
        "id": p["id"].to_numpy(), "blogger_id": bid,
        "handle": p["handle"].astype(str).to_numpy(), "platform": p["platform"].astype(str).to_numpy(),
        "format": p["format"].astype(str).to_numpy(), "deal": deal,
        "tier": [benchmarks.tier_of(f) if math.isfinite(f) else "" for f in followers],
        "followers": followers,
        "cash": cash,
        "cash_source": [_price_source(s) if d != "barter" else "quoted"
                        for s, d in zip(p["price_source"], deal, strict=True)],
        "product_cost": product,
        "product_source": np.where(product > 0, "assumption", ""),
        "cost": cost,
        "reach": reach, "reach_source": [_reach_source(s) for s in p["reach_source"]],
        "unique_reach": p["expected_unique_reach"].to_numpy(dtype=float), "unique_source": "estimated",
        "impressions": imps,
        "engagements": np.asarray(plan.expected_engagements(er, reach), dtype=float),
        "fit": pd.to_numeric(p["fit"], errors="coerce").to_numpy(dtype=float, na_value=np.nan),
        "units": p["product_units"].fillna(0).astype(int).to_numpy() if "product_units" in p else np.zeros(n, int),
        "retail_value": p["product_value"].fillna(0.0).to_numpy(dtype=float) * k,
        "acceptance": pd.to_numeric(p["acceptance"], errors="coerce").to_numpy(dtype=float, na_value=np.nan),
        "post_rate": pd.to_numeric(p["post_rate"], errors="coerce").to_numpy(dtype=float, na_value=np.nan),
        "expected_posts": posts,
        "posts_source": np.where(deal == "paid", "quoted", "estimated"),
        # the barter model's effective cost per published post: cost / expected posts (planner.planning.barter)
        "cost_per_post": np.asarray(metrics.cpa(cost, posts), dtype=float),
        "status": p["status"].astype(str).to_numpy(),
        "pool": p["pool"].fillna("").astype(str).to_numpy(),
        # the Monte Carlo's inputs (planner.planning.uncertainty): where the reach comes from, the blogger's ER
        "reach_code": p["reach_source"].fillna("followers").astype(str).to_numpy(),
        "er": er, "er_estimated": er_est,
    }, columns=cols)


def _plan_columns(lang: str) -> list[Column]:
    return [
        Column("n", "#", "int"),
        Column("handle_label", t("col.handle", lang)),
        Column("platform_label", t("col.platform", lang)),
        Column("format_label", t("plan.format", lang)),
        Column("deal_label", t("barter.deal", lang)),
        Column("followers", t("col.followers", lang), "int"),
        Column("cash", t("pitch.col.cash", lang), "money", "cash_source"),
        Column("product_cost", t("pitch.col.product_cost", lang), "money", "product_source"),
        Column("reach", t("plan.reach", lang), "int", "reach_source"),
        Column("unique_reach", t("plan.adds", lang), "int", "unique_source"),
        Column("expected_posts", t("pitch.col.expected_posts", lang), "share", "posts_source"),
        Column("status_label", t("plan.pstatus", lang)),
    ]


def labels(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The plan frame with its text columns in ``lang`` (handles with @, platforms, formats, deals, statuses)."""
    out = frame.copy()
    out["handle_label"] = "@" + frame["handle"].astype(str)
    out["platform_label"] = [t(f"platform.{p}", lang) for p in frame["platform"]]
    out["format_label"] = [" + ".join(t(f"format.{f}", lang) for f in str(x).split("+")) for x in frame["format"]]
    out["deal_label"] = [t(f"barter.deal.{d}", lang) for d in frame["deal"]]
    out["status_label"] = [t(f"pstatus.{s}", lang) for s in frame["status"]]
    out["tier_label"] = [t(f"tier.{x}", lang) if x else "" for x in frame["tier"]]
    return out


def _barter_table(table: pd.DataFrame, lang: str) -> Table | None:
    goods = table[table["deal"] != "paid"] if not table.empty else table
    if goods.empty:
        return None
    cols = [
        Column("handle_label", t("col.handle", lang)),
        Column("platform_label", t("col.platform", lang)),
        Column("deal_label", t("barter.deal", lang)),
        Column("cash", t("pitch.col.cash", lang), "money", "cash_source"),
        Column("units", t("pitch.col.units", lang), "int"),
        Column("product_cost", t("pitch.col.product_cost", lang), "money", "product_source"),
        Column("retail_value", t("pitch.col.retail", lang), "money"),
        Column("acceptance", t("pitch.col.acceptance", lang), "share", "posts_source"),
        Column("post_rate", t("pitch.col.post_rate", lang), "share", "posts_source"),
        Column("expected_posts", t("pitch.col.expected_posts", lang), "share", "posts_source"),
        Column("cost_per_post", t("pitch.col.cost_per_post", lang), "money", "posts_source"),
    ]
    return Table("barter", t("pitch.section.barter", lang), labels(goods, lang).reset_index(drop=True), cols,
                 note=t("pitch.note.barter", lang))


def _totals(table: pd.DataFrame, brief: plan.Brief, lang: str, currency: str, k: float,
            budget: float | None) -> list[Figure]:
    cash = float(table["cash"].sum()) if not table.empty else 0.0
    product = float(table["product_cost"].sum()) if not table.empty else 0.0
    est_cash = bool((table["cash_source"] == "estimated").any()) if not table.empty else False
    unique = float(table["unique_reach"].sum()) if not table.empty else 0.0
    gross = float(table["reach"].sum()) if not table.empty else 0.0
    imps = float(table["impressions"].sum()) if not table.empty else 0.0
    rates = {**plan.DEFAULT_RATES, **(brief.rates or {})}
    clicks = float(plan.expected_clicks(imps, rates))
    orders = float(plan.expected_orders(imps, rates))
    engagements = float(np.nansum(table["engagements"].to_numpy(dtype=float))) if not table.empty else 0.0
    posts = float(np.nansum(table["expected_posts"].to_numpy(dtype=float))) if not table.empty else 0.0
    gross_src = "measured" if not table.empty and (table["reach_source"] == "measured").all() else "estimated"
    bud = float(budget) if budget and budget > 0 else float(brief.budget or 0.0)

    def fig(key: str, value: float | None, kind: str, source: str, note: str = "") -> Figure:
        return Figure(key, t(f"pitch.total.{key}", lang), value, kind, source, note)

    return [
        fig("budget", bud * k if bud > 0 else None, "money", "brief"),
        fig("cash_cost", cash, "money", "estimated" if est_cash else "quoted",
            t("pitch.note.cash_estimated", lang) if est_cash else ""),
        fig("product_cost", product, "money", "assumption"),
        fig("total_cost", cash + product, "money", "estimated" if est_cash else "quoted",
            t("pitch.note.total_mix", lang) if product > 0 else ""),
        fig("placements", float(len(table)), "int", "brief"),
        fig("bloggers", float(table["handle"].nunique()) if not table.empty else 0.0, "int", "brief"),
        fig("unique_reach", unique, "int", "estimated"),
        fig("gross_reach", gross, "int", gross_src),
        fig("impressions", imps, "int", "estimated"),
        fig("frequency", imps / unique if unique > 0 else None, "number", "estimated"),
        fig("cpm_unique", float(np.nan_to_num(metrics.cpm(cash + product, unique))) if unique > 0 else None,
            "money", "estimated"),
        fig("engagements", engagements, "int", "estimated"),
        fig("clicks", clicks, "int", "estimated", t("pitch.note.at_rates", lang)),
        fig("orders", orders, "int", "estimated", t("pitch.note.at_rates", lang)),
        fig("expected_posts", posts, "number", "estimated" if (table["deal"] != "paid").any() else "quoted")
        if not table.empty else fig("expected_posts", 0.0, "number", "quoted"),
    ]


def _with_bands(totals: list[Figure], table: pd.DataFrame, brief: plan.Brief,
                cands: plan.Candidates | None) -> list[Figure]:
    """The totals with the P10–P90 band of unique reach, engagements and orders (planner.planning.uncertainty: a
    Monte Carlo over the plan's uncertain inputs, at its default ranges and fixed seed); the point figures stay the
    saved plan's, the band drawn around them."""
    if table.empty:
        return totals
    posts = pd.to_numeric(table["expected_posts"], errors="coerce").fillna(1.0).clip(lower=1e-9).to_numpy()
    rows = pd.DataFrame({
        "platform": table["platform"].to_numpy(), "format": table["format"].to_numpy(),
        "tier": table["tier"].to_numpy(),
        "reach": table["reach"].to_numpy(dtype=float) / np.where(table["deal"] == "paid", 1.0, posts),
        "reach_source": table["reach_code"].to_numpy(), "pool": table["pool"].to_numpy(),
        "engagement_rate": table["er"].to_numpy(dtype=float),
        "engagement_rate_estimated": table["er_estimated"].to_numpy(dtype=bool),
        "deal": table["deal"].to_numpy(), "expected_posts": np.where(table["deal"] == "paid", 1.0, posts),
    })
    pools = dict(cands.pool_sizes) if cands is not None else dict(brief.pool_sizes or {})
    rates = {**plan.DEFAULT_RATES, **(brief.rates or {})}
    ranges = unc.Ranges()
    point = {f.key: float(f.value) for f in totals if f.key in unc.METRICS and f.value is not None}
    try:
        bands = unc.simulate(unc.placement_inputs(rows, pools, ranges), rates, ranges, point=point)
    except (ValueError, KeyError):
        return totals
    by = bands.set_index("metric")
    out = []
    for f in totals:
        if f.key in by.index and f.value is not None:
            f = replace(f, low=float(by.at[f.key, "p10"]), high=float(by.at[f.key, "p90"]))
        out.append(f)
    return out


def _status_line(totals: Mapping[str, Any], lang: str) -> str:
    status = str(totals.get("status", ""))
    if not status:
        return ""
    gap = money.format_number(units.percent(float(totals.get("gap", 0.0) or 0.0)), lang, 3)
    target = money.format_number(units.percent(float(totals.get("gap_target", 0.0) or 0.0)), lang, 2)
    if status == "optimal":
        return f"{t('plan.status_optimal', lang)} ({t('pitch.gap', lang, gap=gap)})"
    if status == "gap_ok":
        return f"{t('plan.status_gap', lang, target=target)} ({t('pitch.gap', lang, gap=gap)})"
    if status == "time_limit":
        return t("plan.status_time", lang, gap=gap)
    return t("plan.status_above", lang, gap=gap, target=target)


def _brief_lines(camp: Any, brief: plan.Brief, totals: Mapping[str, Any], lang: str, currency: str,
                 k: float) -> list[tuple[str, str]]:
    every = t("pitch.brief.any", lang)

    def listed(prefix: str, items: Sequence[str]) -> str:
        return ", ".join(t(f"{prefix}.{x}", lang) for x in items) if items else every

    audience = []
    if brief.countries:
        audience.append(", ".join(brief.countries))
    if brief.gender:
        audience.append(t(f"gender.{brief.gender}", lang))
    if brief.ages:
        audience.append(", ".join(t(f"age.{a}", lang) for a in brief.ages))
    budget = float(camp.budget or brief.budget or 0.0)
    lines = [
        (t("pitch.brief.campaign", lang), str(camp.name)),
        (t("pitch.brief.goal", lang), t(f"goal.{brief.goal}", lang) if brief.goal in plan.GOALS else brief.goal),
        (t("pitch.brief.budget", lang), money.format_money(budget * k, currency, lang) if budget > 0 else "—"),
        (t("pitch.brief.audience", lang), "; ".join(audience) if audience else every),
        (t("pitch.brief.niches", lang), listed("niche", brief.niches)),
        (t("pitch.brief.platforms", lang), listed("platform", brief.platforms)),
        (t("pitch.brief.formats", lang), listed("format", brief.formats)),
        (t("pitch.brief.credibility", lang), money.format_percent(units.percent(brief.min_credibility), lang, 0)),
        (t("pitch.brief.reach_weight", lang), t("pitch.brief.reach_weight_value", lang,
                                                w=money.format_number(brief.reach_weight, lang, 1))),
    ]
    if brief.category:
        lines.append((t("plan.category", lang), t(f"cat.{brief.category}", lang)))
    status = _status_line(totals, lang)
    if status:
        lines.append((t("pitch.brief.quality", lang), status))
    return lines


def _candidates(bloggers: pd.DataFrame, brief: plan.Brief) -> tuple[plan.Candidates | None, str | None]:
    """The brief's candidates on the current database (for the frontier and the backups); None with the reason
    when the brief cannot be planned there."""
    if bloggers.empty or not brief.budget or brief.budget <= 0:
        return None, "no budget or no bloggers"
    try:
        return plan.build_candidates(bloggers, brief), None
    except (plan.BriefError, optimiser.Infeasible, ValueError) as exc:
        return None, str(exc)


def _frontier(cands: plan.Candidates, brief: plan.Brief, k: float, time_limit: float, data_key: tuple | None = None,
              solved: Solved | None = None) -> pd.DataFrame | None:
    """The reach–niche frontier of the brief's candidates as the Plan page draws it: from the brief's plan solved as
    the page solves it (plan.PLAN_TIME_S), its normalisers and its own point, the other weights within
    plan.FRONTIER_TIME_S (plan.frontier; ``time_limit`` may only shorten both), each with its status and certified
    gap; costs in the pitch's currency (``k`` per unit of the brief's); remembered per data and brief when
    ``data_key`` is given. ``solved`` (it fits the brief and data, see :func:`build`): the page's plan is the start,
    and the frontier the page drew from it, when it did, is taken as it is (its own point the plan)."""
    def run() -> pd.DataFrame | None:
        try:
            start = (solved.solution() if solved is not None else
                     plan.solve(cands, brief, time_limit=min(time_limit, plan.PLAN_TIME_S)))
            if solved is not None and solved.frontier is not None and not solved.frontier.empty:
                return _with_point(solved.frontier, start)
            sols = plan.frontier(cands, FRONTIER_WS, start=start, time_limit=min(time_limit, plan.FRONTIER_TIME_S))
        except (optimiser.Infeasible, ValueError):
            return None
        return pd.DataFrame([_frontier_row(w, s) for w, s in zip(FRONTIER_WS, sols, strict=True)])

    key = ("frontier", data_key, brief.fingerprint(), float(time_limit))
    table = run() if data_key is None else _PLANS_MEMO.get(key, run)
    if table is None:
        return None
    return table.assign(cost=table["cost"] * k)


FRONTIER_COLUMNS: tuple[str, ...] = ("w", "unique_reach", "niche_value", "cost", "status", "gap")


def _frontier_row(w: float, sol: optimiser.Solution) -> dict[str, Any]:
    return {"w": w, "unique_reach": sol.unique_reach, "niche_value": sol.niche_value, "cost": sol.cost,
            "status": sol.status, "gap": sol.gap}


def _with_point(points: pd.DataFrame, sol: optimiser.Solution) -> pd.DataFrame:
    """A frontier drawn by the page with the plan's own point at its weight (the page draws the plan on screen
    there too), one row per weight of :data:`FRONTIER_WS` it holds, in their order."""
    here = round(float(sol.reach_weight), 2)
    rows = {round(float(r["w"]), 2): {c: r[c] for c in FRONTIER_COLUMNS} for r in points.to_dict("records")}
    rows[here] = _frontier_row(here, sol)
    ws = [w for w in FRONTIER_WS if round(float(w), 2) in rows]
    return pd.DataFrame([{**rows[round(float(w), 2)], "w": w} for w in ws], columns=list(FRONTIER_COLUMNS))


def _frontier_open(table: pd.DataFrame | None, lang: str) -> str:
    """What a hollow point of the frontier means, when there is one (its plan not certified within the gap target:
    the time ran out), with the largest such gap; else nothing."""
    if table is None or "status" not in table:
        return ""
    open_ = table[~table["status"].astype(str).isin(charts.CERTIFIED)]
    if open_.empty:
        return ""
    return " " + t("pitch.note.frontier_open", lang, gap=units.format_share(float(open_["gap"].max()), lang, 1))


def _sweep_curve(engine_: Any, bloggers: pd.DataFrame, brief: plan.Brief, time_limit: float,
                 **kwargs: Any) -> tuple[pd.DataFrame | None, float | None]:
    """The brief's budget sweep on its own list (``bloggers``): its points and flattening budget, (None, None)
    when the brief cannot be planned. ``kwargs``: planner.planning.scenarios.run's (progress, stop)."""
    try:
        res = engine_.sweep(bloggers, engine_.Scenario(brief=brief), time_limit=time_limit, **kwargs)
    except (ValueError, optimiser.Infeasible):
        return None, None
    return res.points, res.flattening_budget


def _curve_key(data_key: tuple, brief: plan.Brief, time_limit: float) -> tuple:
    return ("curve", data_key, brief.fingerprint(), float(time_limit))


def _curve_once(key: tuple, run: Callable[[], tuple[pd.DataFrame | None, float | None]]
                ) -> tuple[pd.DataFrame | None, float | None]:
    """The budget curve remembered under ``key``: planned by the first caller, waited for by the others (a pitch's
    build waits for the curve being planned ahead for the same brief and data, never plans it twice). A planning
    that failed, or was stopped (:class:`Superseded`), is not kept: a caller waiting for a stopped one plans it
    itself."""
    while True:
        got, mine = _PLANS_MEMO.claim(key)
        if mine:
            _PLANS_MEMO.fulfil(key, got, run)
            return got.result()
        with _AWAITED_LOCK:  # a build waits for it: planned ahead or not, it is wanted now
            _AWAITED[key] = _AWAITED.get(key, 0) + 1
        try:
            return got.result()
        except Superseded:
            continue
        finally:
            with _AWAITED_LOCK:
                _AWAITED[key] -= 1
                if not _AWAITED[key]:
                    del _AWAITED[key]


# the curves a caller is waiting for (their waiters counted): one planned ahead is not stopped while awaited
_AWAITED: dict[tuple, int] = {}
_AWAITED_LOCK = threading.Lock()


def plan_curve_ahead(engine: Engine, brief: plan.Brief, *, bloggers: pd.DataFrame, data_version: str,
                     access: Access, wish: CurveWish, delay: float | None = None) -> bool:
    """Plan, in the background, the budget curve a pitch of ``brief`` would draw (a save of the plan on screen:
    its pitch's build then finds the curve planned or being planned, :func:`_curve_once`), once the plan has
    stayed on the screen ``delay`` seconds (default :data:`AHEAD_DELAY_S`). ``wish`` is the screen's: this call
    makes ``brief`` its wish, and the planning of an earlier wish stops (its deadline passes; its answer is
    dropped, never kept) unless a build is waiting for it. ``bloggers``: the workspace's enriched bloggers (the
    page's frame), ``data_version`` theirs. Returns whether planning was queued (not when the curve is known or
    already queued, or the database's versions repeat, or the brief has no budget). Never raises in the
    background: a failure is the build's to meet and say."""
    data_key = _data_key(engine, data_version)
    if data_key is None or not brief.budget or brief.budget <= 0 or bloggers.empty:
        wish.key = None
        return False
    key = _curve_key(data_key, brief, TIME_LIMIT_S)
    wish.key = key
    if _PLANS_MEMO.peek(key) is not None:
        return False

    def wanted() -> bool:  # still the screen's wish, or a build (a save's pitch) waits for it
        return wish.key == key or key in _AWAITED

    def progress(_done: int, _total: int) -> None:
        if not wanted():
            raise Superseded

    def run() -> tuple[pd.DataFrame | None, float | None]:
        api = _scenario_api()
        if api is None:
            return None, None
        frame = lists.bloggers_for(engine, brief, database=bloggers, access=access)
        out = _sweep_curve(api[1], frame, brief, TIME_LIMIT_S, progress=progress, stop=lambda: not wanted())
        if not wanted():  # stopped part-way: its plans are not the curve's
            raise Superseded
        return out

    def job() -> None:
        try:
            if not wanted():
                return
            time.sleep(max(float(AHEAD_DELAY_S if delay is None else delay), 0.0))
            if not wanted() or _PLANS_MEMO.peek(key) is not None:
                return
            _curve_once(key, run)
        except Exception:  # noqa: BLE001 - stopped, or failed: a pitch's build plans it again and says why
            return
        finally:
            with _AHEAD_LOCK:
                _AHEAD_QUEUED.discard(key)

    with _AHEAD_LOCK:
        if key in _AHEAD_QUEUED:  # asked for by an earlier run, not done yet: that job serves this wish too
            return False
        _AHEAD_QUEUED.add(key)
    _AHEAD.submit(job)
    return True


def _data_key(engine: Engine, version: str) -> tuple | None:
    """What the frontier and the curve depend on besides the brief (whose fingerprint holds its list, rates, tier
    bounds, locks and assumptions): the database and its data version (``version``: store.data_version; None: not
    remembered, e.g. an in-memory database whose versions repeat)."""
    if engine.url.database in (None, "", ":memory:"):
        return None
    return (str(engine.url), version)


def _backups(table: pd.DataFrame, cands: plan.Candidates, bloggers: pd.DataFrame, brief: plan.Brief, lang: str,
             k: float) -> Table | None:
    """Two similar bloggers outside the plan for each chosen blogger (planner.planning.plan.backups)."""
    pos_of = pd.Series(np.arange(len(bloggers)), index=bloggers["id"].to_numpy())
    pos_of = pos_of[~pos_of.index.duplicated()]
    known = table[table["blogger_id"].map(lambda b: b is not None and not pd.isna(b) and int(b) in pos_of.index)]
    if known.empty:
        return None
    chosen = pd.DataFrame({"id": known["blogger_id"].astype(int).to_numpy(),
                           "pos": pos_of.loc[known["blogger_id"].astype(int)].to_numpy(),
                           "platform": known["platform"].to_numpy(), "format": known["format"].to_numpy(),
                           "cost": known["cash"].to_numpy() / (k or 1.0)})
    result = plan.PlanResult(solution=None, placements=chosen, totals={}, brief=brief,  # type: ignore[arg-type]
                             candidates=cands)
    found = plan.backups(bloggers, result)
    cand = cands.frame
    # a backup's figures: its first candidate in the chosen blogger's format, else its first candidate at all
    figures = list(zip(cand["cost"].to_numpy(dtype=float), cand["reach"].to_numpy(dtype=float), strict=True))
    ids, fmts = cand["id"].tolist(), cand["format"].astype(str).tolist()
    by_format: dict[tuple[Any, str], tuple[float, float]] = {}
    by_id: dict[Any, tuple[float, float]] = {}
    for i, f, fig in zip(ids, fmts, figures, strict=True):
        by_format.setdefault((i, f), fig)
        by_id.setdefault(i, fig)
    handles = bloggers["handle"].astype(str).to_numpy()
    rows = []
    for r in known.itertuples():
        row: dict[str, Any] = {"handle_label": f"@{r.handle}", "platform_label": t(f"platform.{r.platform}", lang)}
        for i in (1, 2):
            row[f"backup_{i}"], row[f"backup_{i}_cost"], row[f"backup_{i}_reach"] = "", np.nan, np.nan
        for i, bid in enumerate(found.get(int(r.blogger_id), [])[:2], start=1):
            c = by_format.get((bid, str(r.format).split("+")[0])) or by_id.get(bid)
            row[f"backup_{i}"] = "@" + str(handles[int(pos_of[bid])])
            if c is not None:
                row[f"backup_{i}_cost"] = c[0] * k
                row[f"backup_{i}_reach"] = c[1]
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["price_source"] = "quoted" if not brief.allow_estimated_prices else "estimated"
    cols = [Column("handle_label", t("col.handle", lang)), Column("platform_label", t("col.platform", lang)),
            Column("backup_1", t("plan.backup_1", lang)),
            Column("backup_1_cost", t("pitch.col.backup_cost", lang), "money", "price_source"),
            Column("backup_1_reach", t("plan.reach", lang), "int"),
            Column("backup_2", t("plan.backup_2", lang)),
            Column("backup_2_cost", t("pitch.col.backup_cost", lang), "money", "price_source"),
            Column("backup_2_reach", t("plan.reach", lang), "int")]
    return Table("backups", t("pitch.section.backups", lang), frame, cols, note=t("pitch.note.backups", lang))


def _assumptions(table: pd.DataFrame, brief: plan.Brief, cands: plan.Candidates | None, rates: money.Rates,
                 base: str, currency: str, lang: str) -> list[Assumption]:
    out: list[Assumption] = []
    src = t("pitch.src.assumption_editable", lang)
    for code in ("USD", "EUR"):
        if code in (base, currency) or base != currency:
            out.append(Assumption(t("pitch.as.fx", lang, sym=money.SYMBOLS[code]), rates.rate(code), "number",
                                  t("pitch.src.fx", lang)))
    r = {**plan.DEFAULT_RATES, **(brief.rates or {})}
    out += [Assumption(t("plan.ctr", lang), units.percent(r["ctr"]), "percent", src),
            Assumption(t("plan.conversion", lang), units.percent(r["conversion"]), "percent", src),
            Assumption(t("plan.lead_rate", lang), units.percent(r["lead_rate"]), "percent", src),
            Assumption(t("pitch.brief.credibility", lang), units.percent(brief.min_credibility), "percent",
                       citation_text(benchmarks.Benchmarks.default().fraud_threshold_source, lang))]
    if table.empty:
        return out
    out += _band_assumptions(table, lang)
    bench = benchmarks.Benchmarks.default()
    seen: set[tuple[str, ...]] = set()
    key: tuple[str, ...]
    for row in table.itertuples():
        base_fmt = str(row.format).split("+")[0]
        tier = str(row.tier)
        if row.reach_source == "estimated" and tier:
            key = ("reach", str(row.platform), tier, base_fmt)
            band = bench.reach_rate.get((str(row.platform), tier, base_fmt))
            if band is not None and key not in seen:
                seen.add(key)
                out.append(Assumption(t("pitch.as.reach_rate", lang, platform=t(f"platform.{row.platform}", lang),
                                        tier=t(f"tier.{tier}", lang), format=t(f"format.{base_fmt}", lang)),
                                      units.percent(band.typical), "percent", citation_text(band.source, lang)))
        key = ("imps", base_fmt)
        v = bench.impressions_factor.get(base_fmt)
        if v is not None and key not in seen:
            seen.add(key)
            out.append(Assumption(t("pitch.as.impressions", lang, format=t(f"format.{base_fmt}", lang)), v.value,
                                  "number", citation_text(v.source, lang)))
        if row.deal != "paid" and tier:
            for metric in ("acceptance", "post_rate") if row.deal == "barter" else ("hybrid_post_rate",):
                key = (metric, tier)
                if key in seen:
                    continue
                seen.add(key)
                table_ = getattr(BARTER, metric)
                item = table_[tier]
                value = float(getattr(item, "typical", getattr(item, "value", math.nan)))
                out.append(Assumption(t(f"pitch.as.{metric}", lang, tier=t(f"tier.{tier}", lang)),
                                      units.percent(value), "percent", citation_text(item.source, lang)))
    if cands is not None:
        used = set(table["pool"]) & set(cands.pool_sizes)
        for pool in sorted(used):
            out.append(Assumption(t("pitch.as.pool", lang, pool=pool), float(cands.pool_sizes[pool]), "int",
                                  t("pitch.src.pool", lang)))
    return out


def _band_assumptions(table: pd.DataFrame, lang: str) -> list[Assumption]:
    """The ranges the P10–P90 bands draw from (planner.planning.uncertainty.Ranges, its defaults) that this plan
    uses, each with its source."""
    r, src = unc.Ranges(), unc.SOURCES
    codes = set(table["reach_code"])

    def band(name: str, lo_hi: tuple[float, float]) -> Assumption:
        text = f"{money.format_number(lo_hi[0], lang, 1)}–{money.format_number(lo_hi[1], lang, 1)} ×"
        return Assumption(t("pitch.as.band", lang, what=t(f"pitch.as.band.{name}", lang)), text, "text",
                          citation_text(src[name], lang))

    out = []
    if "measured" in codes:
        out.append(band("measured_reach", r.measured_reach))
    if "views" in codes:
        out.append(band("views_reach", r.views_reach))
    out += [band("ctr", r.ctr), band("conversion", r.conversion),
            Assumption(t("pitch.as.band", lang, what=t("pitch.as.band.correlation", lang)), units.percent(
                r.correlation), "percent", citation_text(src["correlation"], lang)),
            Assumption(t("pitch.as.band", lang, what=t("pitch.as.band.samples", lang)), float(r.samples), "int",
                       t("pitch.src.band_samples", lang))]
    return out


def _charts(pitch: Pitch, table: pd.DataFrame, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not table.empty and float(table["cost"].sum()) > 0:
        spend = pd.DataFrame({
            "platform": [t(f"platform.{p}", lang) for p in table["platform"]],
            "format": [" + ".join(t(f"format.{f}", lang) for f in str(x).split("+")) for x in table["format"]],
            "cost": table["cost"].to_numpy(dtype=float)})
        out["spend"] = charts.pitch_spend_chart(spend, lang, pitch.currency)
    if pitch.frontier is not None and not pitch.frontier.empty:
        out["frontier"] = charts.pitch_frontier_chart(pitch.frontier, pitch.current_w, lang)
    if pitch.scenario_totals is not None and not pitch.scenario_totals.empty:
        out["compare"] = charts.pitch_compare_chart(pitch.scenario_totals, lang)
    curve = pitch.budget_curve
    if curve is not None and not curve.empty:
        out["curve"] = charts.pitch_curve_chart(curve, lang, pitch.currency, current=pitch.figure("budget").value,
                                                flattening=pitch.flattening_budget)
    return out


# ---- files -------------------------------------------------------------------------------------------------
def renderer(fmt: str) -> Callable[[Pitch], bytes]:
    if fmt == "xlsx":
        from planner.reporting import pitch_xlsx
        return pitch_xlsx.render
    if fmt == "pptx":
        from planner.reporting import pitch_pptx
        return pitch_pptx.render
    if fmt == "pdf":
        from planner.reporting import pitch_pdf
        return pitch_pdf.render
    raise PitchError(f"unknown format {fmt!r}: use xlsx, pptx or pdf")


def render(pitch: Pitch, fmt: str) -> bytes:
    return renderer(fmt)(pitch)


def file_name(pitch: Pitch, fmt: str) -> str:
    """The pitch's file name, ``Client – Campaign – pitch – 2026-12-04.pptx`` (planner.reporting.pitch_model
    .file_name: safe for any client or campaign name)."""
    return _model.file_name(pitch.title, pitch.client, fmt, pitch.lang, pitch.date,
                            fallback=f"campaign {pitch.campaign_id}")


def write(pitch: Pitch, fmt: str, path: str | Path) -> Path:
    """Render and write atomically (a half-written file never replaces a good one)."""
    from planner.reporting.export import _write_atomic

    path = Path(path)
    _write_atomic(path, render(pitch, fmt))
    return path
