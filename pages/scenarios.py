"""Scenarios page: a brief's plans at many budgets (the budget sweep) with P10–P90 bands, the marginal reach and
the point where returns flatten; every assumption editable with its source; named scenarios saved per campaign,
compared side by side; the whole scenario in the URL (a shared link opens the same scenario); a presentation view
for a projector.

UI only: the domain is planner.planning.scenarios (sweep, bands, compare) and planner.campaigns.scenarios (saving);
charts are planner.reporting.charts.scenario_*. The scenario's plan is solved once per brief and kept in the
session; the sweep's budgets are solved in a fragment with a progress bar after the plan is shown; changing an
outcome rate, the post rate or a Monte Carlo range re-evaluates without solving. Plans are built in one base
currency (RUB); amounts are typed and shown in the sidebar's currency.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import streamlit as st

from pages import common
from planner import campaigns, ingest
from planner.app import scenarios as use
from planner.campaigns import lists
from planner.campaigns import scenarios as saved
from planner.core.i18n import scenario_error
from planner.core.markdown import literal
from planner.core.memo import LruMemo
from planner.core.money import format_compact_range, round_estimate
from planner.core.schema import AGE_BUCKETS, NICHES, PLATFORMS
from planner.core.units import fraction, percent
from planner.estimates.benchmarks import FRAUD_THRESHOLD
from planner.planning import optimiser, plan
from planner.planning import scenarios as scen
from planner.planning import uncertainty as unc
from planner.reporting import charts
from planner.storage import store

BASE = "RUB"
DEFAULT_BUDGET_RUB = 1_500_000.0
PLAN_TIME_S = 1.0  # the scenario's plan, normalisers included (a plan the deadline stops says so: status and gap)
CURVE_TIME_S = 3.0  # the sweep's budgets, in a fragment with a progress bar (their status says where it stopped);
# the sweep stops as soon as every budget is within its gap (about 1.3 s of CPU on the sample's default brief)
MAX_SOLVED = 6  # scenarios' plans kept for all sessions (the sample: a few MB each; a big list: much more)
MAX_EVALUATED = 6
MONEY = ("budget", "sc_pcost", "sc_retail", "sc_ship")  # typed in the display currency
GOALS = plan.GOALS

# Every value of the scenario mirrored in the URL (a shared link opens the same scenario); the URL name is the
# widget's key. A hand-edited value outside a widget's range is clamped, anything else unusable is dropped.
URL: dict[str, common.UrlParam] = {
    "campaign": common.UrlParam("int", None, lo=1, hi=2**31 - 1),
    "present": common.UrlParam("bool", False),
    "client": common.UrlParam("str", "", max_length=100),
    "budget": common.UrlParam("int", None, lo=1, hi=10**12),  # whole units of the URL's currency (ccy)
    "w": common.UrlParam("float", 0.5, lo=0.0, hi=1.0),
    "from": common.UrlParam("int", 50, lo=10, hi=95),
    "to": common.UrlParam("int", 200, lo=105, hi=500),
    "points": common.UrlParam("int", scen.DEFAULT_POINTS, lo=scen.MIN_POINTS, hi=40),
    "sc_goal": common.UrlParam("str", "awareness", GOALS),
    "sc_niches": common.UrlParam("list", [], NICHES),
    "sc_mode": common.UrlParam("str", "only", plan.NICHE_MODES),
    "sc_platforms": common.UrlParam("list", [], PLATFORMS),
    "sc_countries": common.UrlParam("list", [], max_length=40),
    "sc_gender": common.UrlParam("str", "any", ("any", "female", "male")),
    "sc_ages": common.UrlParam("list", [], AGE_BUCKETS),
    "sc_cred": common.UrlParam("int", round(percent(FRAUD_THRESHOLD)), lo=0, hi=100),
    "sc_est": common.UrlParam("bool", False),
    "sc_reach": common.UrlParam("int", 100, lo=10, hi=300),
    "sc_pool": common.UrlParam("int", 100, lo=10, hi=300),
    "sc_post": common.UrlParam("int", 0, lo=-50, hi=50),
    "sc_ctr": common.UrlParam("float", percent(plan.DEFAULT_RATES["ctr"]), lo=0.0, hi=100.0),
    "sc_conv": common.UrlParam("float", percent(plan.DEFAULT_RATES["conversion"]), lo=0.0, hi=100.0),
    "sc_corr": common.UrlParam("int", 50, lo=0, hi=100),
    "sc_hist": common.UrlParam("bool", True),
    "sc_units": common.UrlParam("int", 0, lo=0, hi=1_000_000),
    "sc_pcost": common.UrlParam("int", 0, lo=0, hi=10**9),
    "sc_retail": common.UrlParam("int", 0, lo=0, hi=10**9),
    "sc_ship": common.UrlParam("int", 0, lo=0, hi=10**9),
}
SCENARIO_URL = {"scenario": common.UrlParam("int", None, lo=1, hi=2**31 - 1)}
HELD = tuple(k for k in URL if k != "campaign") + ("sc_compare", "sc_curve_metric", "sc_cmp_metric")
DEFAULTS: dict[str, Any] = {k: p.default for k, p in URL.items() if p.default is not None}
DEFAULTS.update({"sc_compare": [], "sc_curve_metric": "unique_reach", "sc_cmp_metric": "unique_reach"})
CURVE_METRICS = ("unique_reach", "orders", "niche_value", "cpm", "engagements")

common.require_router()
s = common.settings()
ss = st.session_state
eng = common.engine()
cat = common.catalog(s)


# ---- state: URL, a saved scenario's link, language and page switches, currency ---------------------------------
def _money_shown(amount_rub: float) -> float:
    return round(float(s.rates.convert(float(amount_rub), BASE, s.currency)), 2)


def _to_base(amount: Any) -> float:
    return float(s.rates.convert(float(amount or 0.0), s.currency, BASE))


def apply_scenario(sc: scen.Scenario) -> None:
    """Put a scenario's values into the page's state (amounts converted into the display currency)."""
    b = sc.brief
    a = sc.assumptions
    budget = float(b.budget) if b.currency == BASE else float(s.rates.convert(b.budget, b.currency, BASE))
    ss["budget"] = _money_shown(budget)
    ss["w"] = round(float(b.reach_weight), 2)
    grid = sc.sweep.budgets(b.budget)
    ss["from"] = int(min(max(round(percent(grid[0] / b.budget)), 10), 95))
    ss["to"] = int(min(max(round(percent(grid[-1] / b.budget)), 105), 500))
    ss["points"] = int(min(max(sc.sweep.points, scen.MIN_POINTS), 40))
    ss["sc_goal"] = b.goal if b.goal in GOALS else "awareness"
    ss["sc_niches"] = [n for n in b.niches if n in NICHES]
    ss["sc_mode"] = b.niche_mode
    ss["sc_platforms"] = [p for p in b.platforms if p in PLATFORMS]
    ss["sc_countries"] = [str(c).upper()[:3] for c in b.countries]
    ss["sc_gender"] = b.gender or "any"
    ss["sc_ages"] = [x for x in b.ages if x in AGE_BUCKETS]
    ss["sc_cred"] = int(round(percent(b.min_credibility)))
    ss["sc_est"] = bool(b.allow_estimated_prices)
    rates = {**plan.DEFAULT_RATES, **(b.rates or {})}
    ss["sc_ctr"] = round(percent(rates["ctr"]), 3)
    ss["sc_conv"] = round(percent(rates["conversion"]), 3)
    ss["sc_reach"] = int(round(percent(a.reach_rate_factor)))
    ss["sc_pool"] = int(round(percent(a.pool_size_factor)))
    ss["sc_post"] = int(round(percent(a.post_rate_shift)))
    ss["sc_corr"] = int(round(percent(a.ranges.correlation)))
    ss["sc_hist"] = bool(a.use_history)
    units = int(getattr(b, "product_units", 0) or 0)
    ss["sc_units"] = units
    for key, field in (("sc_pcost", "product_cost"), ("sc_retail", "product_retail"), ("sc_ship", "product_shipping")):
        ss[key] = _money_shown(float(getattr(b, field, 0.0) or 0.0))
    apply_extra(b)
    ss["_scen_ranges"] = a.ranges.to_dict()
    ss["_scen_ccy"] = s.currency


# What the page has no control for is kept as it is, whole: the list planned on, locks and kick-outs, formats,
# shares, pool sizes, overlaps... (it travels with the link as a stored brief's short id, and with a saved scenario)
EXTRA = ("keywords", "formats", "max_share", "platform_bounds", "must_include", "must_exclude", "category",
         "allow_packages", "bloggers", "tier_bounds", "pool_sizes", "overlaps", "include_unknown_credibility")


def apply_extra(b: plan.Brief) -> None:
    ss["_scen_extra"] = {k: v for k, v in b.to_dict().items() if k in EXTRA}


def apply_brief(b: plan.Brief) -> None:
    """Put a brief's values into the page's widgets (the sweep's range and the assumptions stay as they are)."""
    ss["budget"] = _money_shown(float(s.rates.convert(b.budget, b.currency, BASE)))
    ss["w"] = round(float(b.reach_weight), 2)
    ss["sc_goal"] = b.goal if b.goal in GOALS else "awareness"
    ss["sc_niches"] = [n for n in b.niches if n in NICHES]
    ss["sc_mode"] = b.niche_mode
    ss["sc_platforms"] = [p for p in b.platforms if p in PLATFORMS]
    ss["sc_countries"] = list(b.countries)
    ss["sc_gender"] = b.gender or "any"
    ss["sc_ages"] = list(b.ages)
    ss["sc_cred"] = int(round(percent(b.min_credibility)))
    ss["sc_est"] = bool(b.allow_estimated_prices)
    ss["sc_ctr"] = round(percent(b.rates["ctr"]), 3)
    ss["sc_conv"] = round(percent(b.rates["conversion"]), 3)
    ss["sc_units"] = int(b.product_units)
    for key, field in (("sc_pcost", "product_cost"), ("sc_retail", "product_retail"), ("sc_ship", "product_shipping")):
        ss[key] = _money_shown(float(s.rates.convert(float(getattr(b, field)), b.currency, BASE)))
    apply_extra(b)
    ss["_scen_ccy"] = s.currency


def open_saved(scenario_id: int) -> bool:
    try:
        item = saved.load_scenario(eng, int(scenario_id), access=common.workspace())
    except saved.ScenarioNotFound:
        ss["_scen_link_error"] = s.t("scen.link_not_found")
        return False
    except (ValueError, TypeError, KeyError) as exc:  # a stored scenario this version cannot read
        ss["_scen_link_error"] = scenario_error(exc, s.lang)
        return False
    apply_scenario(item.scenario)
    ss["campaign"] = item.campaign_id
    ss["scenario"] = item.id
    ss["_scen_opened"] = item.id
    ss["_scen_opened_version"] = (item.campaign_id, item.name, item.version)  # a save of that name is made from it
    common.remember_widgets("_scen_held", HELD)
    return True


common.load_url_state(common.BRIEF_URL, "_url_scen_brief")
if not ss.get("_url_scen_brief_applied"):
    ss["_url_scen_brief_applied"] = True
    _linked = common.linked_brief(str(ss.get("brief") or ""))
    if _linked is not None:
        ss["_scen_extra"] = {k: v for k, v in _linked.items() if k in EXTRA}
common.load_url_state(SCENARIO_URL, "_url_scen_id")
if not ss.get("_url_scen_applied"):
    ss["_url_scen_applied"] = True
    if ss.get("scenario"):
        open_saved(int(ss["scenario"]))  # the saved scenario first; the link's own values then override it
common.load_url_state(URL, "_url_scen")
common.restore_widgets("_scen_held", HELD, s.lang)
for _k, _v in DEFAULTS.items():
    ss.setdefault(_k, _v)
for _k in MONEY:  # the URL keeps whole units; the inputs hold floats
    if isinstance(ss.get(_k), int | float) and not isinstance(ss.get(_k), bool):
        ss[_k] = float(ss[_k])
if not isinstance(ss.get("budget"), int | float) or not ss["budget"] > 0:
    ss["budget"] = _money_shown(DEFAULT_BUDGET_RUB)
ss["sc_countries"] = [str(c).strip().upper() for c in ss.get("sc_countries", [])
                      if str(c).strip().isalpha() and 2 <= len(str(c).strip()) <= 3][:20]
common.keep_amounts(MONEY, "_scen_ccy", s)


# ---- the scenario from the page's values ------------------------------------------------------------------------
def share_of(typed: Any) -> float:
    """A share typed in per cent (a widget's number) as the brief's fraction (planner.core.units, the one reader)."""
    return float(fraction(typed, in_percent=True) or 0.0)


def make_scenario() -> scen.Scenario:
    budget = _to_base(ss["budget"])
    extra = dict(ss.get("_scen_extra") or {})
    kwargs: dict[str, Any] = dict(
        budget=budget, currency=BASE, goal=ss["sc_goal"], countries=tuple(ss["sc_countries"]),
        gender=None if ss["sc_gender"] == "any" else ss["sc_gender"], ages=tuple(ss["sc_ages"]),
        niches=tuple(ss["sc_niches"]), platforms=tuple(ss["sc_platforms"]),
        min_credibility=share_of(ss["sc_cred"]), reach_weight=round(float(ss["w"]), 2),
        rates={**plan.DEFAULT_RATES, "ctr": share_of(ss["sc_ctr"]), "conversion": share_of(ss["sc_conv"])},
        allow_estimated_prices=bool(ss["sc_est"]), niche_mode=str(ss["sc_mode"]), fx=s.fx_map,
    )
    units = int(ss.get("sc_units") or 0)
    if units > 0 and float(ss.get("sc_retail") or 0) > 0:
        kwargs.update(product_units=units, product_cost=_to_base(ss["sc_pcost"]),
                      product_retail=_to_base(ss["sc_retail"]), product_shipping=_to_base(ss["sc_ship"]))
    data = {**{k: v for k, v in extra.items() if k in EXTRA}, **kwargs}
    brief = plan.Brief.from_dict(data)
    # the part the widgets do not hold travels in the link as a stored brief's short id
    ss["brief"] = common.link_brief({k: v for k, v in brief.to_dict().items() if k in EXTRA and k in extra})
    # the levers are multipliers and shifts in per cent of the benchmark (a slider's whole numbers), not shares
    ranges = unc.Ranges.from_dict({**(ss.get("_scen_ranges") or {}), "correlation": int(ss["sc_corr"]) / 100})
    assumptions = scen.Assumptions(reach_rate_factor=int(ss["sc_reach"]) / 100,
                                   pool_size_factor=int(ss["sc_pool"]) / 100,
                                   post_rate_shift=int(ss["sc_post"]) / 100, ranges=ranges,
                                   use_history=bool(ss["sc_hist"]))
    sweep = scen.SweepSpec(start=budget * int(ss["from"]) / 100, stop=budget * int(ss["to"]) / 100,
                           points=int(ss["points"]))
    return scen.Scenario(brief=brief, assumptions=assumptions, sweep=sweep)


def solve_key(sc: scen.Scenario) -> str:
    """What the plans depend on (planner.app.scenarios.solve_key): the database and its data version, the brief
    without its outcome rates (its list and exchange rates included), the reach and pool levers and the sweep."""
    return use.solve_key(str(eng.url), store.data_version(eng, common.workspace().workspace_id), sc)


@st.cache_resource(max_entries=MAX_SOLVED, ttl=3600, show_spinner=False)
def _solved_shared(key: str, _frame: pd.DataFrame, _sc: scen.Scenario) -> scen.Solved:
    """The scenario's plan, kept for every session: a reload, a colleague opening the same link or a way back to
    an earlier budget shows it without solving again. ``key`` (solve_key) says what it depends on; the other
    arguments are not hashed. Never changed once made (the sweep's plans are a new object: _curves)."""
    return scen.plan_scenario(_frame, _sc, time_limit=PLAN_TIME_S)


@st.cache_resource(show_spinner=False)
def _curves() -> LruMemo:
    """The scenarios' plans with their sweeps (planner.planning.scenarios.plan_curve), by solve_key, for every
    session: made once, never changed (a thread-safe memo)."""
    return LruMemo(MAX_SOLVED)


def bloggers_of(sc: scen.Scenario) -> pd.DataFrame:
    """The bloggers of the scenario's list (the Plan page's shortlist, filter or uploaded list, or the database)."""
    return lists.bloggers_for(eng, sc.brief, database=cat.frame, access=common.workspace())


def solved_for(key: str, sc: scen.Scenario) -> scen.Solved:
    done = _curves().peek(key)
    return done if done is not None else _solved_shared(key, bloggers_of(sc), sc)


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def _errors(url: str, version: str) -> pd.DataFrame:
    """Earlier campaigns' forecast errors (per history_version; the engine's URL keeps databases apart)."""
    return use.forecast_errors(common.engine(), access=common.workspace())


def history_version() -> str:
    """What earlier campaigns' forecast errors depend on (planner.app.scenarios.history_version)."""
    return use.history_version(eng, access=common.workspace())


def history(version: str) -> pd.DataFrame | None:
    if not ss.get("sc_hist"):
        return None
    try:
        return _errors(str(eng.url), version)
    except Exception:  # a report that cannot be built: no history, the bands stand on the ranges alone
        return None


def evaluated(key: str, solved: scen.Solved, sc: scen.Scenario) -> scen.ScenarioResult:
    """Figures and bands (no solve); cached by the plans, the evaluation's own inputs, the history it reads and the
    curve's presence, for every session of the process (a colleague's link, a new tab or a first open of the
    page on the same scenario gets the evaluation already made: its Monte Carlo is a third of a first open's
    server time). The result carries this session's own scenario (its name), which the key leaves out."""
    hist = history_version() if ss.get("sc_hist") else ""
    ekey = use.evaluation_key(key, sc, with_curve=solved.curve is not None, history=hist)
    result = common.shared_lru("_scen_eval", ekey, lambda: scen.evaluate(solved, bloggers_of(sc), sc,
                                                                         errors=history(hist)),
                               MAX_EVALUATED, shared=4 * MAX_EVALUATED)
    return result if result.scenario == sc else replace(result, scenario=sc)


# ---- formatting ----------------------------------------------------------------------------------------------
def smoney(value: Any, ccy: str = BASE) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return s.money(s.shown(float(value), ccy))


def band_text(t: dict, metric: str, decimals: int = 0, compact: bool = False) -> str:
    p10, p90 = t.get(f"{metric}_p10"), t.get(f"{metric}_p90")
    if p10 is None or p90 is None:
        return ""
    if compact:
        return s.t("scen.band", range=format_compact_range(p10, p90, s.lang))
    return s.t("scen.band", range=f"{s.number(p10, decimals)}–{s.number(p90, decimals)}")


def per_text() -> str:
    return s.number(scen.PER)


def status_label(status: str) -> str:
    return s.t(f"scen.status.{status}") if f"scen.status.{status}" in _STATUS_KEYS else status


_STATUS_KEYS = {f"scen.status.{x}" for x in ("optimal", "gap_ok", "time_limit", "gap_above_target", "infeasible")}


def shown_points(points: pd.DataFrame) -> pd.DataFrame:
    """The sweep's table with money in the display currency (reach figures are people: unchanged); the marginal
    reach per 100 000 of the display currency."""
    k = float(s.rates.convert(1.0, BASE, s.currency))
    out = points.copy()
    for c in ("budget", "cost", "cash_cost", "product_cost", "total_cost", "cpm", "cpm_unique"):
        out[c] = out[c].astype(float) * k
    out["marginal_reach"] = out["marginal_reach"].astype(float) / k
    return out


# ---- the brief and the assumptions (editor view) -----------------------------------------------------------------
def take_plan_brief() -> None:
    """Take the Plan page's brief whole (common.PLAN_BRIEF): its list, locks, kick-outs, shares and rates too."""
    b = ss.get(common.PLAN_BRIEF)
    if not isinstance(b, plan.Brief):
        ss["_scen_take_error"] = True
        return
    apply_brief(b)


def _whole_database() -> None:
    extra = dict(ss.get("_scen_extra") or {})
    for k in ("bloggers", "must_include", "must_exclude"):
        extra.pop(k, None)
    ss["_scen_extra"] = extra


def list_note() -> None:
    """What the widgets do not show but the scenario plans with: its list, locks and kick-outs (taken from the Plan
    page or a link), said plainly, with a way back to the whole database."""
    extra = ss.get("_scen_extra") or {}
    spec = plan.BloggerList.from_dict(extra.get("bloggers"))
    locks, kicks = len(extra.get("must_include") or ()), len(extra.get("must_exclude") or ())
    if spec.whole_database and not locks and not kicks:
        return
    where = (s.t("scen.list_db") if spec.whole_database
             else s.t(f"scen.list_{spec.kind}", n=s.number(spec.size), name=literal(spec.label or "")))
    a, b = st.columns([3, 1], vertical_alignment="center")
    a.caption(s.t("scen.list_note", where=where, locks=s.number(locks), kicks=s.number(kicks)))
    b.button(s.t("scen.list_reset"), key="sc_list_reset", on_click=_whole_database)


def brief_controls() -> None:
    a, b, c = st.columns([1.2, 1.5, 1])
    a.number_input(s.t("scen.budget_input", sym=s.symbol, value=s.money(ss["budget"])), min_value=1.0, max_value=1e12,
                   step=50_000.0, format="%.0f", key="budget", help=s.t("scen.budget_help"))
    b.slider(s.t("plan.reach_weight"), 0.0, 1.0, step=0.1, key="w", help=s.t("plan.reach_weight_help"))
    c.selectbox(s.t("plan.goal"), GOALS, format_func=lambda g: s.t(f"goal.{g}"), key="sc_goal")
    a, b, c = st.columns([1.2, 1.5, 1])
    common.multiselect(a, s.t("plan.niches"), NICHES, format_func=lambda n: s.t(f"niche.{n}"), key="sc_niches",
                  placeholder=s.t("any"))
    a.radio(s.t("plan.niche_mode"), list(plan.NICHE_MODES), format_func=lambda m: s.t(f"plan.niche_mode.{m}"),
            key="sc_mode", horizontal=True, help=s.t("plan.niche_mode_help"))
    lo, hi = b.columns(2)
    lo.number_input(s.t("scen.from"), min_value=URL["from"].lo, max_value=URL["from"].hi, step=5, key="from",
                    help=s.t("scen.range"))
    hi.number_input(s.t("scen.to"), min_value=URL["to"].lo, max_value=URL["to"].hi, step=10, key="to",
                    help=s.t("scen.range"))
    b.slider(s.t("scen.points"), URL["points"].lo, URL["points"].hi, key="points")
    c.button(s.t("scen.from_plan"), key="sc_from_plan", on_click=take_plan_brief, icon=":material/input:")
    list_note()
    with st.expander(s.t("scen.more_brief"), key="sc_more_box", on_change="rerun") as box:
        if box.open:  # drawn only while open (opening it reruns the page); its values are held (remember_widgets)
            a, b, c = st.columns(3)
            countries = sorted(set(cat.audience_countries) | {"RU"} | set(ss["sc_countries"]))
            common.multiselect(a, s.t("plan.countries"), countries, key="sc_countries", placeholder=s.t("any"),
                               format_func=lambda c: ingest.country_name(c, s.lang))
            b.selectbox(s.t("plan.gender"), ["any", "female", "male"], key="sc_gender",
                        format_func=lambda g: s.t("any") if g == "any" else s.t(f"gender.{g}"))
            common.multiselect(c, s.t("plan.ages"), AGE_BUCKETS, format_func=lambda x: s.t(f"age.{x}"),
                               key="sc_ages", placeholder=s.t("any"))
            a, b, c = st.columns(3)
            common.multiselect(a, s.t("plan.platforms"), PLATFORMS, format_func=lambda p: s.t(f"platform.{p}"),
                               key="sc_platforms", placeholder=s.t("any"))
            b.slider(s.t("db.min_credibility"), URL["sc_cred"].lo, URL["sc_cred"].hi, step=5, key="sc_cred")
            c.toggle(s.t("plan.estimates"), key="sc_est", help=s.t("plan.estimates_help"))
    with st.expander(s.t("scen.barter"), key="sc_barter_box", on_change="rerun") as box:
        if box.open:  # drawn only while open, like the one above
            st.caption(s.t("scen.product"))
            a, b, c, d = st.columns(4)
            a.number_input(s.t("scen.units"), min_value=0, max_value=1_000_000, step=1, key="sc_units",
                           help=s.t("scen.units_help"))
            b.number_input(s.t("barter.product_cost", sym=s.symbol), min_value=0.0, max_value=1e9, step=100.0,
                           key="sc_pcost", format=common.money_format(s.currency))
            c.number_input(s.t("barter.retail", sym=s.symbol), min_value=0.0, max_value=1e9, step=100.0,
                           key="sc_retail", format=common.money_format(s.currency))
            d.number_input(s.t("barter.shipping", sym=s.symbol), min_value=0.0, max_value=1e9, step=50.0,
                           key="sc_ship", format=common.money_format(s.currency))
            if int(ss.get("sc_units") or 0) > 0 and not float(ss.get("sc_retail") or 0) > 0:
                st.warning(s.t("scen.needs_retail"))
            st.slider(s.t("scen.post"), URL["sc_post"].lo, URL["sc_post"].hi, step=5, key="sc_post",
                      help=s.t("scen.post_help"))


def assumptions_panel(result: scen.ScenarioResult | None) -> None:
    with st.expander(s.t("scen.assumptions"), key="sc_assumptions_box", on_change="rerun") as box:
        if box.open:  # drawn only while open, like the brief's
            a, b, c = st.columns(3)
            # each widget's range is its link parameter's (URL): a crafted link is clamped to what the widget accepts
            a.slider(s.t("scen.reach_rate"), URL["sc_reach"].lo, URL["sc_reach"].hi, step=10, key="sc_reach",
                     help=s.t("scen.reach_rate_help"))
            b.slider(s.t("scen.pool"), URL["sc_pool"].lo, URL["sc_pool"].hi, step=10, key="sc_pool",
                     help=s.t("scen.pool_help"))
            c.slider(s.t("scen.corr"), URL["sc_corr"].lo, URL["sc_corr"].hi, step=10, key="sc_corr",
                     help=s.t("scen.corr_help"))
            a, b, c = st.columns(3)
            a.number_input(s.t("plan.ctr"), 0.0, 100.0, step=0.1, key="sc_ctr")
            b.number_input(s.t("plan.conversion"), 0.0, 100.0, step=0.5, key="sc_conv")
            c.toggle(s.t("scen.history"), key="sc_hist")
            cal = result.calibration if result is not None else None
            if ss.get("sc_hist") and cal is not None and cal.used:
                st.caption(s.t("scen.history_used", n=s.number(max(cal.n.values())),
                               reach=s.number(cal.k["unique_reach"], 2), eng=s.number(cal.k["engagements"], 2),
                               orders=s.number(cal.k["orders"], 2)))
            elif ss.get("sc_hist"):
                st.caption(s.t("scen.history_none"))
            st.caption(s.t("scen.ranges_caption"))
            r = unc.Ranges.from_dict(ss.get("_scen_ranges"))

            def rng(lo_hi: tuple[float, float]) -> str:
                return f"× {s.number(lo_hi[0], 2)} – {s.number(lo_hi[1], 2)}"

            rows = [
                (s.t("scen.in.measured_reach"), rng(r.measured_reach), s.t("scen.src.assumption_post")),
                (s.t("scen.in.views_reach"), rng(r.views_reach), s.t("scen.src.assumption_views")),
                (s.t("scen.in.benchmark_reach"), s.t("scen.rng.band"), s.t("scen.src.reach_bench")),
                (s.t("scen.in.measured_er"), rng(r.measured_er), s.t("scen.src.assumption_post")),
                (s.t("scen.in.benchmark_er"), s.t("scen.rng.tier_band"), s.t("scen.src.er_bench")),
                (s.t("scen.in.post_rate"), s.t("scen.rng.tier_band"), s.t("scen.src.post_bench")),
                (s.t("scen.in.ctr"), rng(r.ctr), s.t("scen.src.assumption_funnel")),
                (s.t("scen.in.conversion"), rng(r.conversion), s.t("scen.src.assumption_funnel")),
            ]
            common.dataframe(st, pd.DataFrame(rows, columns=[s.t("scen.col.input"), s.t("scen.col.range"),
                                                     s.t("scen.col.source")]), hide_index=True)


# ---- the scenario's plan ---------------------------------------------------------------------------------------
def totals_panel(result: scen.ScenarioResult, big: bool = False) -> None:
    t = result.totals
    cols = st.columns(5)
    cols[0].metric(s.t("plan.cost"), smoney(t.get("total_cost", t.get("cost"))),
                   s.t("plan.of_budget", budget=smoney(result.scenario.budget)), delta_color="off", delta_arrow="off")
    cols[1].metric(s.t("scen.m.unique_reach"), s.compact(t["unique_reach"]),
                   band_text(t, "unique_reach", compact=True), delta_color="off", delta_arrow="off")
    orders = float(t["orders"])
    cols[2].metric(s.t("scen.m.orders"), s.number(orders, 1 if abs(orders) < 10 else 0), band_text(t, "orders", 0),
                   delta_color="off", delta_arrow="off")
    cols[3].metric(s.t("scen.m.engagements"), s.compact(t["engagements"]), band_text(t, "engagements", compact=True),
                   delta_color="off", delta_arrow="off")
    cols[4].metric(s.t("scen.m.bloggers"), s.number(t["bloggers"]), s.t("scen.cpm_short", value=smoney(t.get("cpm"))),
                   delta_color="off", delta_arrow="off")
    r = result.scenario.assumptions.ranges
    st.caption(s.t("scen.bands_caption", n=s.number(r.samples), seed=r.seed))
    if big:
        return
    est_share = float(t.get("estimated_cost_share", 0.0) or 0.0)
    est_txt = s.t("scen.est_share", pct=s.percent(percent(est_share), 0)) if est_share > 0 else ""
    st.caption(s.t("scen.certificate", status=plan_status(t), n=s.number(result.plan.candidates.problem.n),
                   est=est_txt))
    if float(t.get("product_cost", 0) or 0) > 0 or int(t.get("product_units", 0) or 0) > 0:
        st.caption(s.t("scen.deals", paid=s.number(int(t.get("deals_paid", 0))),
                       barter=s.number(int(t.get("deals_barter", 0))),
                       hybrid=s.number(int(t.get("deals_hybrid", 0))), product=smoney(t["product_cost"]),
                       posts=s.number(t.get("expected_posts", 0.0), 1)))


def plan_status(t: dict) -> str:
    status = str(t.get("status", ""))
    gap = s.number(percent(float(t.get("gap", 0.0) or 0.0)), 2)
    target = s.number(percent(float(t.get("gap_target", 0.0) or 0.0)), 2)
    return {"optimal": s.t("plan.status_optimal"), "gap_ok": s.t("plan.status_gap", target=target),
            "time_limit": s.t("plan.status_time", gap=gap)}.get(status, s.t("plan.status_above", gap=gap,
                                                                               target=target))


def placements_table(result: scen.ScenarioResult) -> None:
    rows = result.placements
    if rows.empty:
        return
    approx = "≈\u00a0"
    table = pd.DataFrame({
        s.t("col.handle"): "@" + rows["handle"].astype(str),
        s.t("col.platform"): [s.t(f"platform.{p}") for p in rows["platform"]],
        s.t("plan.format"): [" + ".join(s.t(f"format.{f}") for f in str(x).split("+")) for x in rows["format"]],
        s.t("scen.col.deal"): [s.t(f"barter.deal.{d}") for d in rows.get("deal", pd.Series(["paid"] * len(rows)))],
        s.t("plan.cost"): [(approx if src == "estimate" else "") + smoney(v)
                           for v, src in zip(rows["cash_cost"], rows.get("price_source", ["quote"] * len(rows)),
                                             strict=True)],
        s.t("plan.reach"): [(approx if src != "measured" else "") + s.number(v)
                            for v, src in zip(rows["reach"], rows.get("reach_source", ["followers"] * len(rows)),
                                              strict=True)],
        s.t("plan.adds"): [approx + s.number(v) for v in rows["unique_reach_added"]],
        s.t("plan.fit"): [s.number(v, 2) for v in rows["fit"]],
    })
    common.dataframe(st, table, hide_index=True, height=min(380, 38 + 35 * len(table)))
    st.caption(s.t("plan.approx_legend"))


# ---- the sweep: a fragment of its own (its budgets solve after the plan is shown) ---------------------------------
def _pick() -> None:
    state: Any = ss.get("sc_curve_chart")
    try:
        picked = state["selection"]["pick"]
    except (KeyError, TypeError):
        return
    if picked:
        ss["sc_pick"] = float(picked[0]["budget"])


def _use_pick(budget_shown: float) -> None:
    ss["budget"] = round(float(budget_shown), 2)
    ss.pop("sc_pick", None)
    ss["_scen_rerun_app"] = True  # a callback inside a fragment: the whole page must follow


@st.fragment
def curve_panel(key: str, solved: scen.Solved, sc: scen.Scenario, big: bool = False) -> None:
    if ss.pop("_scen_rerun_app", False):
        st.rerun()
    if solved.curve is None:
        n = len(solved.budgets)
        bar = st.progress(0.0, text=s.t("scen.curve_progress", i=0, n=n))

        def progress(i: int, total: int) -> None:
            bar.progress(i / max(total, 1), text=s.t("scen.curve_progress", i=i, n=total))

        before = solved.main
        solved = _curves().get(key, lambda: scen.plan_curve(solved, sc, time_limit=CURVE_TIME_S, progress=progress))
        bar.empty()
        if solved.main is not before:
            # the sweep found a better plan at the scenario's own budget, or certified it: the whole page draws it
            # (the card above this fragment tells the same plan as the curve)
            st.rerun(scope="app")
    result = evaluated(key, solved, sc)
    if result.sweep is None:
        return
    ss["_scen_current"] = result  # what "Save" keeps: with the sweep's points (the pitch draws them)
    pts = shown_points(result.sweep.points)
    flat = result.sweep.flattening_budget
    flat_shown = s.shown(flat, BASE) if flat is not None else None
    current = s.shown(sc.budget, BASE)
    if not big:
        st.selectbox(s.t("scen.curve_metric"), CURVE_METRICS, key="sc_curve_metric",
                     format_func=lambda m: s.t(f"scen.m.{m}"))
    metric = ss.get("sc_curve_metric", "unique_reach") if not big else "unique_reach"
    st.altair_chart(common.chart(charts.scenario_sweep_chart, pts, metric, s.lang, s.symbol, current=current,
                                 flattening=flat_shown, big=big),
                    key="sc_curve_chart" if not big else "sc_curve_big", on_select=_pick if not big else "ignore",
                    selection_mode="pick" if not big else None)
    if flat is not None:
        # an estimate read off a curve: said to the precision it has (2.2 M ₽, not 2,171,053 ₽)
        st.markdown(s.t("scen.flat", budget=s.money(round_estimate(flat_shown)), per=f"{per_text()} {s.symbol}"))
    else:
        st.markdown(s.t("scen.no_flat"))
    if big:
        st.altair_chart(common.chart(charts.scenario_sweep_chart, pts, "orders", s.lang, s.symbol, current=current,
                                     flattening=flat_shown, big=True), key="sc_orders_big")
        return
    q = result.sweep.quality()
    st.caption(s.t("scen.curve_caption", ok=s.number(q["within_target"]), n=s.number(q["points"]),
                   target=s.percent(percent(scen.CURVE_GAP), 1), stopped=s.number(q["stopped"]),
                   gap=s.percent(percent(q["largest_gap"]), 2)))
    picked = ss.get("sc_pick")
    if isinstance(picked, float):
        near = int(np.argmin(np.abs(pts["budget"].to_numpy(dtype=float) - picked)))
        row = pts.iloc[near]
        if row["status"] != "infeasible":
            t = result.sweep.points.iloc[near].to_dict()
            a, b = st.columns([3, 1], vertical_alignment="center")
            a.info(s.t("scen.picked", budget=s.money(row["budget"]), reach=s.number(row["unique_reach"]),
                       band=band_text(t, "unique_reach"), orders=s.number(row["orders"], 1),
                       cost=s.money(row["total_cost"]), bloggers=s.number(row["bloggers"])))
            b.button(s.t("scen.use_budget"), key="sc_use_pick", on_click=_use_pick, args=(float(row["budget"]),))
    # the marginal reach (what each next amount buys) is the curve's detail, its flattening said above: drawn only
    # while its panel is open (a chart costs the browser about 0.2 s on every run of the page)
    with st.expander(s.t("scen.marginal_title", per=per_text(), sym=s.symbol), key="sc_marginal_box",
                     on_change="rerun") as box:
        if box.open:
            st.altair_chart(common.chart(charts.scenario_marginal_chart, pts, s.lang, s.symbol, per_text(),
                                         flattening=flat_shown), key="sc_marginal_chart")
    with st.expander(s.t("scen.points_table"), key="sc_points_box", on_change="rerun") as box:
        if box.open:  # drawn only while open (opening it reruns the page): a closed table costs nothing
            common.dataframe(st, pd.DataFrame({
                s.t("scen.budget"): [s.money(v) for v in pts["budget"]],
                s.t("plan.cost"): [s.money(v) for v in pts["total_cost"]],
                s.t("scen.m.unique_reach"): [s.number(v) for v in pts["unique_reach"]],
                "P10": [s.number(v) for v in pts["unique_reach_p10"]],
                "P90": [s.number(v) for v in pts["unique_reach_p90"]],
                s.t("scen.m.orders"): [s.number(v, 1) for v in pts["orders"]],
                s.t("scen.m.cpm"): [s.money(v) for v in pts["cpm"]],
                s.t("scen.col.marginal", per=f"{per_text()} {s.symbol}"): [s.number(v) for v in pts["marginal_reach"]],
                s.t("scen.status"): [status_label(x) for x in pts["status"]],
            }), hide_index=True)


# ---- saving, comparing, sharing ---------------------------------------------------------------------------------
def share_panel() -> None:
    # the link with its copy button, drawn only while its panel is open: a code block costs the browser about 0.3 s
    # on a first open (its highlighter's scripts), and the page's own address holds the same state meanwhile
    with st.expander(s.t("scen.share"), key="sc_share_box", on_change="rerun", icon=":material/link:") as box:
        if not box.open:
            return
        params = {**{k: v for k, v in st.query_params.to_dict().items() if k not in URL and k not in common.BRIEF_URL},
                  **common.url_params(URL), **({"brief": ss["brief"]} if ss.get("brief") else {})}
        base = str(getattr(st.context, "url", "") or "").split("?")[0]
        st.code(f"{base}?{urlencode(params)}" if base else f"?{urlencode(params)}", language=None)
        st.caption(s.t("scen.share_help"))


def save_panel(result: scen.ScenarioResult, camps: pd.DataFrame) -> None:
    names = dict(zip(camps["id"].astype(int).tolist(), camps["name"].astype(str), strict=True))
    cid = int(ss["campaign"])
    may_save = common.allowed(common.PLANNER)  # a viewer compares and presents scenarios, and saves none
    with st.form("sc_save_form"):
        a, b = st.columns([3, 1], vertical_alignment="bottom")
        name = a.text_input(s.t("scen.name"), key="sc_name", max_chars=scen.MAX_NAME, disabled=not may_save)
        go = b.form_submit_button(s.t("scen.save"), type="primary", disabled=not may_save)
    if go and may_save:
        if not (name or "").strip():
            st.warning(s.t("scen.name_needed"))
        else:
            opened = ss.get("_scen_opened_version")
            expected = opened[2] if isinstance(opened, tuple) and opened[:2] == (cid, name.strip()) else None
            try:
                sid = use.save(eng, cid, result, name.strip(), expected_version=expected, access=common.workspace())
            except campaigns.StaleEdit as exc:  # saved again elsewhere since it was opened here
                st.error(s.error(exc))
            else:
                ss["scenario"] = sid
                ss["_scen_opened_version"] = (cid, name.strip(),
                                              saved.load_scenario(eng, sid, access=common.workspace()).version)
                st.success(s.t("scen.saved", name=literal(name.strip()), campaign=literal(names.get(cid, str(cid)))))


def _open_clicked(sid: int) -> None:
    open_saved(sid)
    ss["_scen_rerun_app"] = True  # the brief's controls and the plan are outside this fragment


@common.refusals_kept
def _delete_clicked(sid: int, name: str) -> None:
    saved.delete_scenario(eng, sid, access=common.workspace())
    if ss.get("scenario") == sid:
        ss["scenario"] = None
    ss["sc_compare"] = [x for x in ss.get("sc_compare", []) if x != sid]
    ss["_scen_deleted"] = name


@st.fragment
@common.shows_refusals
def saved_panel() -> None:
    if ss.pop("_scen_rerun_app", False):
        st.rerun()
    camps = campaigns.list_campaigns(eng, access=common.workspace())
    if camps.empty:
        st.info(s.t("scen.no_campaigns"))
        return
    ids = camps["id"].astype(int).tolist()
    names = dict(zip(ids, camps["name"].astype(str), strict=True))
    if ss.get("campaign") not in ids:
        ss["campaign"] = ids[0]
    st.selectbox(s.t("scen.campaign"), ids, key="campaign", format_func=lambda i: names.get(i, str(i)))
    result = ss.get("_scen_current")
    if isinstance(result, scen.ScenarioResult):
        save_panel(result, camps)
    listed = saved.list_scenarios(eng, int(ss["campaign"]), access=common.workspace())
    if ss.get("_scen_deleted"):
        st.success(s.t("scen.deleted", name=literal(ss.pop("_scen_deleted"))))
    if listed.empty:
        st.caption(s.t("scen.none_saved"))
        return
    labels: dict[int, str] = {int(r.id): f"{r.name} · {smoney(r.budget, str(r.currency or BASE))}"
                              for r in listed.itertuples()}

    def label(i: Any) -> str:
        return labels.get(int(i), str(i))

    a, b, c = st.columns([3, 1, 1], vertical_alignment="bottom")
    pick = int(a.selectbox(s.t("scen.open_pick"), list(labels), format_func=label, key="sc_open_pick") or 0)
    b.button(s.t("scen.open"), key="sc_open", on_click=_open_clicked, args=(pick,), icon=":material/open_in_new:")
    may_delete = common.workspace().can(common.OWNER)  # deleting a scenario is an owner's
    c.button(s.t("scen.delete"), key="sc_delete", on_click=_delete_clicked, args=(pick, labels.get(pick, "")),
             icon=":material/delete:", disabled=not may_delete)
    if not may_delete:
        common.allowed(common.OWNER)
    keep = [x for x in ss.get("sc_compare", []) if x in labels]
    if keep != ss.get("sc_compare"):
        ss["sc_compare"] = keep
    common.multiselect(st, s.t("scen.compare"), list(labels), format_func=label, key="sc_compare", max_selections=4)
    compare_panel([int(x) for x in ss.get("sc_compare", [])])


def _snapshots(ids: list[int]) -> list[scen.ScenarioSnapshot]:
    out = []
    for sid in ids:
        try:
            out.append(saved.load_scenario(eng, sid, access=common.workspace()).snapshot)
        except (saved.ScenarioNotFound, ValueError, TypeError, KeyError):
            continue
    return out


def compare_panel(ids: list[int], big: bool = False) -> None:
    if len(ids) < 2:
        if not big:
            st.caption(s.t("scen.compare_need"))
        return
    snaps = _snapshots(ids[:4])
    if len(snaps) < 2:
        return
    cmp = scen.compare(snaps)
    money_metrics = {"budget", "cost", "product_cost", "total_cost", "cpm", "cpm_unique"}
    wide = cmp.totals
    rows = []
    for m in scen.COMPARE_METRICS:
        sub = wide[wide["metric"] == m].set_index("scenario")
        if sub["value"].isna().all():
            continue
        line = {s.t("scen.metric"): s.t(f"scen.m.{m}")}
        for n, snap in zip(cmp.names, snaps, strict=True):
            v = sub.loc[n, "value"]
            ccy = snap.scenario.brief.currency
            text = smoney(v, ccy) if m in money_metrics else \
                s.number(v, 1 if m == "orders" and pd.notna(v) and abs(float(v)) < 10 else 0)
            if pd.notna(sub.loc[n, "p10"]):
                text += f"  ({s.number(sub.loc[n, 'p10'])} – {s.number(sub.loc[n, 'p90'])})"
            line[n] = text
        rows.append(line)
    common.dataframe(st, pd.DataFrame(rows), hide_index=True)
    if not big:
        st.selectbox(s.t("scen.compare_metric"), ("unique_reach", "orders", "engagements"), key="sc_cmp_metric",
                     format_func=lambda m: s.t(f"scen.m.{m}"))
    metric = ss.get("sc_cmp_metric", "unique_reach") if not big else "unique_reach"
    st.altair_chart(common.chart(charts.scenario_compare_chart, cmp.totals, metric, s.lang, big=big),
                    key="sc_cmp_chart_big" if big else "sc_cmp_chart")
    if big:
        return
    if ss.get("campaign"):  # the comparison as the client's files: the campaign's plan with these scenarios
        common.pitch_downloads(eng, int(ss["campaign"]), s, cat.frame, key="sc_pitch",
                               scenarios=[snap.name for snap in snaps], client=str(ss.get("client") or "").strip())
    st.markdown(f"**{s.t('scen.differ')}**")
    differ = cmp.differ
    if differ.empty:
        st.caption(s.t("scen.same_bloggers"))
        return
    common.dataframe(st, pd.DataFrame({
        s.t("col.handle"): "@" + differ["handle"].astype(str),
        s.t("col.platform"): [s.t(f"platform.{p}") if p in PLATFORMS else p for p in differ["platform"]],
        **{n: [" + ".join(s.t(f"format.{f}") for f in str(fm.get(n, "")).split("+")) if fm.get(n) else "—"
               for fm in differ["formats"]] for n in cmp.names},
    }), hide_index=True)


# ---- the two views -----------------------------------------------------------------------------------------------
def _leave_presentation() -> None:
    ss["present"] = False


def compute(sc: scen.Scenario) -> tuple[str, scen.Solved, scen.ScenarioResult] | None:
    try:
        key = solve_key(sc)
        with st.spinner(s.t("scen.optimising")):
            solved = solved_for(key, sc)
            result = evaluated(key, solved, sc)
    except (plan.BriefError, optimiser.Infeasible) as exc:
        st.error(s.t("scen.infeasible", reason=s.error(exc)))
        return None
    except (scen.ScenarioError, unc.UncertaintyError) as exc:
        st.error(s.t("scen.infeasible", reason=scenario_error(exc, s.lang)))
        return None
    ss["_scen_current"] = result
    return key, solved, result


def editor_view() -> None:
    st.title(s.t("scen.title"))
    st.caption(s.t("scen.intro"))
    top = st.columns([1, 2], vertical_alignment="bottom")
    top[0].toggle(s.t("scen.present"), key="present", help=s.t("scen.present_help"))
    top[1].text_input(s.t("scen.client"), key="client", max_chars=100)
    if ss.get("_scen_link_error"):
        st.warning(s.t("scen.bad_link", reason=ss.pop("_scen_link_error")))
    if ss.pop("_scen_take_error", False):
        st.warning(s.t("scen.no_plan_brief"))
    st.subheader(s.t("scen.brief"))
    brief_controls()
    try:
        sc = make_scenario()
    except (plan.BriefError, scen.ScenarioError, unc.UncertaintyError, ValueError) as exc:
        assumptions_panel(None)
        st.error(s.t("scen.bad_input", reason=scenario_error(exc, s.lang) if isinstance(exc, scen.ScenarioError)
                     else s.error(exc)))
        return
    got = compute(sc)
    assumptions_panel(got[2] if got else None)
    if got is None:
        return
    key, solved, result = got
    st.subheader(s.t("scen.plan_at", budget=smoney(sc.budget)))
    if result.placements.empty:
        st.warning(s.t("plan.empty", cheapest=smoney(result.totals.get("cheapest"))))
    totals_panel(result)
    with st.expander(s.t("scen.placements"), key="sc_placements_box", on_change="rerun") as box:
        if box.open:  # drawn only while open: a closed table costs a first open nothing
            placements_table(result)
    st.subheader(s.t("scen.curve"))
    curve_panel(key, solved, sc)
    st.divider()
    left, right = st.columns([1, 1])
    with left:
        share_panel()
    with right:
        if ss.get("scenario") and ss.get("scenario") == ss.get("_scen_opened"):
            st.caption(s.t("scen.share_saved", name=literal(ss.get("sc_name") or ss.get("scenario"))))
    st.subheader(s.t("scen.saved_list"))
    saved_panel()


def presentation_view() -> None:
    client = str(ss.get("client") or "").strip()
    st.title(s.t("scen.p.title", client=literal(client)) if client else s.t("scen.p.title_plain"), anchor=False)
    try:
        sc = make_scenario()
    except (plan.BriefError, scen.ScenarioError, unc.UncertaintyError, ValueError) as exc:
        st.error(s.t("scen.bad_input", reason=literal(exc)))
        st.button(s.t("scen.exit_present"), key="sc_exit", on_click=_leave_presentation)
        return
    niches = ", ".join(s.t(f"niche.{n}") for n in sc.brief.niches) or s.t("scen.p.any_niche")
    st.subheader(s.t("scen.p.subtitle", budget=smoney(sc.budget), brief=niches))
    got = compute(sc)
    if got is not None:
        key, solved, result = got
        totals_panel(result, big=True)
        curve_panel(key, solved, sc, big=True)
        compare_panel([int(x) for x in ss.get("sc_compare", [])], big=True)
        rates = {**plan.DEFAULT_RATES, **(sc.brief.rates or {})}
        st.caption(s.t("scen.p.footer", n=s.number(sc.assumptions.ranges.samples),
                       ctr=s.percent(percent(rates["ctr"]), 1), conv=s.percent(percent(rates["conversion"]), 1)))
    st.button(s.t("scen.exit_present"), key="sc_exit", on_click=_leave_presentation, icon=":material/close:")


try:
    if cat.n == 0:
        st.title(s.t("scen.title"))
        st.info(s.t("db.empty"))
    elif ss.get("present"):
        presentation_view()
    else:
        editor_view()
finally:
    common.remember_widgets("_scen_held", HELD)
    common.save_url_state(URL)
    common.save_url_state(common.BRIEF_URL)
    if ss.get("scenario") and ss.get("scenario") == ss.get("_scen_opened"):
        common.save_url_state(SCENARIO_URL)
    elif "scenario" in st.query_params:
        del st.query_params["scenario"]
