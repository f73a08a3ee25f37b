"""Plan page: a brief, the optimiser's plan with its proof of quality, the reach–niche frontier (on demand),
locks and kick-outs, backups, and saved campaigns.

The page does the least work per click: the plan is solved once per brief and reach weight (kept in the
session, keyed by a hash of the brief, the data version and the assumptions), always in one base currency
(RUB; the typed budget is converted with the sidebar's rates), so a currency switch only re-formats it; the
frontier is computed on demand; the saved campaigns are a fragment of their own (a status edit never
touches the plan). A lock, a kick-out or a new reach weight re-plans from the plan shown (plan.resolve: its
normalisers kept, its placements the start), one quick solve instead of three.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import streamlit as st

from pages import common
from planner import campaigns, ingest
from planner.app import planning, refine
from planner.campaigns import lists
from planner.core import money, units
from planner.core.i18n import tn
from planner.core.markdown import literal
from planner.core.schema import AGE_BUCKETS, FORMATS, NICHES, PLATFORMS
from planner.estimates import benchmarks
from planner.estimates.catalog import Filters
from planner.planning import optimiser, plan
from planner.reporting import charts, export
from planner.storage import store
from planner.storage.models import PLACEMENT_STATUSES

if TYPE_CHECKING:
    from planner.reporting.pitch import Solved

BASE = "RUB"  # the plan is built in one currency; amounts are converted only to be shown
FRONTIER_WS = plan.FRONTIER_WS  # the slider's steps: every point is also a plan
FRONTIER_TIME_S = plan.FRONTIER_TIME_S  # the whole frontier after the plan on screen (one deadline, as in the pitch)
MAX_CANDIDATE_SETS = 3
MAX_SOLUTIONS = 48
TIME_LIMIT_S = plan.PLAN_TIME_S  # per solve (a meeting does not wait); a plan it stops says so (status, gap)
REACH_SOURCES = ("measured", "views", "followers", "benchmark")
# widgets whose value must survive a language switch (their options are shown translated) and a page switch
HELD: tuple[str, ...] = (
    "plan_source", "plan_goal", "plan_niches", "plan_niche_mode", "plan_countries", "plan_gender", "plan_ages",
    "plan_platforms", "plan_formats", "plan_keywords", "plan_cred", "plan_cred_unknown", "plan_max_share",
    "plan_category",
    "plan_packages", "plan_estimates", "plan_locks", "plan_kicks", "plan_w", "plan_ctr", "plan_conv", "plan_lead",
)
_NICHE_MODE = plan.Brief.__dataclass_fields__["niche_mode"].default
DEFAULTS: dict[str, Any] = {
    "plan_goal": "awareness", "plan_niches": [], "plan_niche_mode": _NICHE_MODE, "plan_countries": [],
    "plan_gender": "any", "plan_ages": [], "plan_platforms": [], "plan_formats": [], "plan_keywords": "",
    "plan_cred": round(units.percent(benchmarks.FRAUD_THRESHOLD)), "plan_cred_unknown": False, "plan_max_share": 0,
    "plan_category": "none",
    "plan_packages": False, "plan_estimates": False,
    "plan_locks": [], "plan_kicks": [], "plan_w": 0.5, "plan_ctr": 1.0, "plan_conv": 2.0, "plan_lead": 5.0,
}
# a product budget for barter and hybrid deals (a mixed plan): units, and amounts in the display currency
PRODUCT: dict[str, Any] = {"plan_punits": 0, "plan_pcost": 0.0, "plan_pretail": 0.0, "plan_pship": 0.0}
HELD = (*HELD, *PRODUCT)
DEFAULTS.update(PRODUCT)

common.require_router()
s = common.settings()
st.title(s.t("plan.title"))
cat = common.catalog(s)
eng = common.engine()

ss = st.session_state


def apply_linked_brief(b: plan.Brief) -> None:
    """A link's brief (``?brief=`` short id, stored by common.link_brief) into the page's widgets: a reload, a new
    tab or a colleague's link shows the same brief, list, locks and kick-outs (and so the same plan)."""
    ss["plan_budget_rub"] = float(b.rates_used.convert(b.budget, b.currency, BASE))
    ss.update({
        "plan_goal": b.goal, "plan_niches": [n for n in b.niches if n in NICHES], "plan_niche_mode": b.niche_mode,
        "plan_countries": list(b.countries), "plan_gender": b.gender or "any", "plan_ages": list(b.ages),
        "plan_platforms": list(b.platforms), "plan_formats": [] if set(b.formats) == set(FORMATS) else list(b.formats),
        "plan_keywords": ", ".join(b.keywords), "plan_cred": int(round(units.percent(b.min_credibility))),
        "plan_cred_unknown": b.include_unknown_credibility,
        "plan_max_share": int(round(units.percent(b.max_share))) if b.max_share else 0,
        "plan_category": b.category or "none", "plan_packages": b.allow_packages,
        "plan_estimates": b.allow_estimated_prices, "plan_locks": list(b.must_include),
        "plan_kicks": list(b.must_exclude), "plan_w": round(b.reach_weight, 2),
        "plan_ctr": units.percent(b.rates["ctr"]), "plan_conv": units.percent(b.rates["conversion"]),
        "plan_lead": units.percent(b.rates["lead_rate"]), "plan_punits": b.product_units,
        "plan_pool_overrides": dict(b.pool_sizes),
        "plan_overlaps": pd.DataFrame(list(b.overlaps), columns=["id_a", "id_b", "overlap"]) if b.overlaps else None,
        "plan_overlaps_key": "link" if b.overlaps else "",
    })
    for key, field in (("plan_pcost", "product_cost"), ("plan_pretail", "product_retail"),
                       ("plan_pship", "product_shipping")):
        ss[key] = float(s.rates.convert(float(b.rates_used.convert(getattr(b, field), b.currency, BASE)), BASE,
                                        s.currency))
    ss["_plan_linked_bounds"] = dict(b.platform_bounds)
    ss["_plan_linked_list"] = None if b.bloggers.whole_database else b.bloggers
    if b.tier_bounds:
        ss[common.TIER_BOUNDS] = list(b.tier_bounds)
    if not b.bloggers.whole_database:
        ss["plan_source"] = "linked"


common.load_url_state(common.BRIEF_URL, "_url_plan_brief")
if not ss.get("_url_plan_brief_applied"):
    ss["_url_plan_brief_applied"] = True
    _linked = common.linked_brief(str(ss.get("brief") or ""))
    if _linked is not None:
        try:
            apply_linked_brief(plan.Brief.from_dict(_linked))
        except (plan.BriefError, TypeError, ValueError, KeyError):
            ss["_plan_link_bad"] = True
common.restore_widgets("_plan_held", HELD, s.lang)
if ss.pop("_plan_link_bad", False):
    st.warning(s.t("plan.link_bad"))
for _k, _v in DEFAULTS.items():
    ss.setdefault(_k, _v)
ss.setdefault("plan_budget_rub", 1_500_000.0)


# ---- money: planned in BASE, shown in the chosen currency ------------------------------------------
def shown(value: Any, ccy: str = BASE) -> Any:
    """An amount in ``ccy`` converted to the display currency."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return value
    return s.shown(float(value), ccy)  # the one conversion (Settings.rates); NaN for an unknown currency


def smoney(value: Any, ccy: str = BASE) -> str:
    return s.money(shown(value, ccy))


def _sync_budget_widget() -> None:
    """The budget lives in BASE; the widget shows it in the display currency (a currency switch or new rates
    convert the number shown, never the plan)."""
    if ss.get("_plan_budget_empty"):
        return
    want = float(shown(ss["plan_budget_rub"]))
    have = ss.get("plan_budget")
    if not isinstance(have, int | float) or abs(float(have) - want) > 0.011:
        ss["plan_budget"] = round(want, 2)


def product_inputs() -> None:
    """A product budget (inside the brief's form): barter and hybrid deals join the plan, under both budgets."""
    st.caption(s.t("barter.plan_product"))
    a, b, c, d = st.columns(4)
    a.number_input(s.t("barter.plan_units"), min_value=0, max_value=1_000_000, step=1, key="plan_punits",
                   help=s.t("barter.plan_units_help"))
    b.number_input(s.t("barter.product_cost", sym=s.symbol), min_value=0.0, step=100.0, key="plan_pcost",
                   format=common.money_format(s.currency))
    c.number_input(s.t("barter.retail", sym=s.symbol), min_value=0.0, step=100.0, key="plan_pretail",
                   format=common.money_format(s.currency))
    d.number_input(s.t("barter.shipping", sym=s.symbol), min_value=0.0, step=50.0, key="plan_pship",
                   format=common.money_format(s.currency))


def product_brief() -> dict[str, Any]:
    """The brief's product budget in BASE currency ({} without one; a budget without a retail value is left out,
    with a warning)."""
    units = int(ss.get("plan_punits") or 0)
    if units <= 0:
        return {}
    if not float(ss.get("plan_pretail") or 0) > 0:
        st.warning(s.t("barter.plan_needs_retail"))
        return {}

    def base(key: str) -> float:
        return float(s.rates.convert(float(ss.get(key) or 0.0), s.currency, BASE))

    return {"product_units": units, "product_cost": base("plan_pcost"), "product_retail": base("plan_pretail"),
            "product_shipping": base("plan_pship")}


def deal_text(deal: str, posts: float) -> str:
    if deal == "paid":
        return s.t("barter.deal.paid")
    return s.t("barter.plan_deal", deal=s.t(f"barter.deal.{deal}"), pct=s.percent(units.percent(float(posts)), 0))


def _budget_typed(ccy: str, fx: dict[str, float]) -> None:
    value = ss.get("plan_budget")
    # an emptied field stays empty and says so (never a silent 1 ₽, never the old budget behind an empty field)
    ss["_plan_budget_empty"] = not isinstance(value, int | float)
    if isinstance(value, int | float) and value > 0:
        ss["plan_budget_rub"] = float(money.Rates.of(fx).convert(float(value), ccy, BASE))


# ---- per-session caches keyed by the brief (common.session_lru) -------------------------------------
def plan_key(version: str, brief: plan.Brief) -> str:
    """What the candidates depend on (planner.app.planning.plan_key): the data version and the brief without its
    reach weight and outcome rates."""
    return planning.plan_key(version, brief, without=planning.NOT_CANDIDATES)


def candidates(key: str, version: str, frame: pd.DataFrame, brief: plan.Brief) -> plan.Candidates:
    """The brief's candidates, shared by the server's sessions; after a lock or a new budget on the plan on screen
    (the same data version), its candidates with the new lock or budget when that changes no candidate
    (plan.reuse_candidates), else built."""
    def make() -> plan.Candidates:
        last = ss.get(common.PLAN_SHOWN)
        if isinstance(last, planning.PlanOutcome) and last.data_version == version:
            same = plan.reuse_candidates(last.candidates, last.brief, brief)
            if same is not None:
                return same
        return plan.build_candidates(frame, brief)

    return common.shared_lru("_plan_cands", key, make, MAX_CANDIDATE_SETS, shared=2 * MAX_CANDIDATE_SETS)


def base_key(version: str, brief: plan.Brief) -> str:
    """The plan key of the brief without its locks and kick-outs (what a re-solve keeps)."""
    return planning.plan_key(version, brief, without=planning.RESOLVED)


def solution(key: str, base: str, cands: plan.Candidates, brief: plan.Brief, w: float, *,
             quick: bool = True) -> refine.Refining:
    """One solve per (brief, reach weight), shared by the server's sessions (a reload or a colleague's link shows
    the same plan at once). After a lock, a kick-out or a new weight (the plan
    on screen has the same brief but for those: the same ``base``), the plan is solved again from the one shown
    (plan.resolve: its normalisers kept, its placements the start); otherwise from scratch. A frontier point of
    the weight that was not certified in the frontier's time starts the search too. ``quick``: answer at once and
    certify in the background (planner.app.refine); else solve with the page's whole deadline now."""
    w = round(float(w), 2)

    def make() -> refine.Refining:  # only on a miss: the plan on screen is read then
        brief_w = dataclasses.replace(brief, reach_weight=w)
        last = ss.get(common.PLAN_SHOWN)
        previous = last if isinstance(last, planning.PlanOutcome) and \
            last.key(without=planning.RESOLVED) == base else None
        hint = ((ss.get("_plan_frontier_starts") or {}).get(key) or {}).get(w)
        extra: tuple = () if hint is None else (hint,)

        def run(limit: float, starts: tuple = ()) -> optimiser.Solution:
            starts = (*extra, *starts)
            if previous is None:
                return plan.solve(cands, brief_w, starts=starts, time_limit=limit)
            return plan.resolve(cands, brief_w, previous=previous.solution, previous_brief=previous.brief,
                                previous_candidates=previous.candidates, starts=starts, time_limit=limit)

        if not quick:
            return refine.Refining(run(TIME_LIMIT_S))
        return refine.answer(run, TIME_LIMIT_S,
                             quick_s=refine.QUICK_S if previous is None else refine.QUICK_RESOLVE_S)

    return common.shared_lru("_plan_sols", (key, w), make, MAX_SOLUTIONS, shared=4 * MAX_SOLUTIONS)


@st.fragment(run_every=0.5)
def await_certificate(ref: refine.Refining) -> None:
    """While the plan on screen is being certified: look twice a second, and draw the page again once it is."""
    if not ref.pending:
        st.rerun(scope="app")


def shown_plan(outcome: planning.PlanOutcome) -> None:
    """Remember the plan on screen (only it: its candidates are the newest of the cached sets): the next lock,
    kick-out or weight of this brief starts from it, and the Barter page compares its placements."""
    ss[common.PLAN_SHOWN] = outcome


# ---- the brief ---------------------------------------------------------------------------------------
def source_frame() -> tuple[pd.DataFrame, plan.BloggerList]:
    """The bloggers to plan on and the brief's list: the Database page's shortlist, or the whole filtered database
    (the whole database when no filter holds anyone back)."""
    shortlist = ss.get(common.SHORTLIST, [])
    linked = ss.get("_plan_linked_list")
    options = (["linked"] if linked is not None else []) + (["shortlist", "filtered"] if shortlist else ["filtered"])
    if ss.get("plan_source") not in options:
        ss["plan_source"] = options[0]
    choice = st.radio(
        s.t("plan.source"),
        options,
        horizontal=True,
        key="plan_source",
        format_func=lambda o: s.t(f"plan.source_{o}", n=s.number(linked.size if o == "linked" and linked is not None
                                                                  else len(shortlist))),
    )
    if choice == "linked" and linked is not None:
        try:
            return lists.bloggers_for(eng, plan.Brief(budget=1.0, bloggers=linked), database=cat.frame,
                                      access=common.workspace()), linked
        except plan.BriefError as exc:
            st.error(s.t("plan.infeasible", reason=s.error(exc)))
            return cat.frame.iloc[0:0], linked
    if choice == "shortlist":
        frame = cat.frame[cat.frame["id"].isin(shortlist).to_numpy()]
        return frame, lists.of_ids("shortlist", frame["id"].tolist())
    f = Filters.from_dict(ss.get(common.DB_FILTERS, {}))
    mask = cat.mask(f, s.currency, ss.get(common.TIER_BOUNDS), rates=s.rates)
    if mask.all():
        return cat.frame, plan.BloggerList()
    frame = cat.frame[mask]
    return frame, lists.of_ids("filter", frame["id"].tolist())


def _include_unknown_credibility() -> None:
    """Include bloggers without credibility data, on the Database page's filter and in the brief alike."""
    filters = dict(ss.get(common.DB_FILTERS) or {})
    filters["include_unknown_credibility"] = True
    ss[common.DB_FILTERS] = filters
    ss["cred_unknown"] = True  # the Database page's checkbox
    ss["plan_cred_unknown"] = True


def unknown_credibility_note(frame: pd.DataFrame) -> None:
    """Bloggers without credibility data are left out by the credibility floor unless the user includes them: say
    how many, with the one click that includes them (an explicit, visible choice)."""
    if ss.get("plan_cred_unknown") or not ss.get("plan_cred"):
        return
    f = Filters.from_dict(ss.get(common.DB_FILTERS, {}))
    # those in the list planned on (the brief's own floor leaves them out) and those the Database page's filter hid
    unknown = int(frame["credibility_estimated"].astype(bool).sum()) if "credibility_estimated" in frame else 0
    if f.min_credibility > 0 and not f.include_unknown_credibility and ss.get("plan_source", "filtered") == "filtered":
        wider = cat.mask(replace(f, include_unknown_credibility=True), s.currency, ss.get(common.TIER_BOUNDS),
                         rates=s.rates)
        unknown += int(wider.sum()) - len(frame)
    if unknown > 0:
        st.info(tn("plan.cred_unknown_note", unknown, s.lang, n=s.number(unknown)), icon=":material/help:")
        st.button(tn("db.cred_include_unknown", unknown, s.lang, n=s.number(unknown)), key="plan_cred_unknown_on",
                  on_click=_include_unknown_credibility, type="tertiary")


def _fmt_list(prefix: str):
    return lambda x: s.t(f"{prefix}.{x}")


def brief_form(frame: pd.DataFrame, spec: plan.BloggerList) -> plan.Brief:
    # the budget and the estimated-prices switch are outside the form: they re-optimise at once
    _sync_budget_widget()
    common.keep_amounts(("plan_pcost", "plan_pretail", "plan_pship"), "_plan_pccy", s)
    budget_col, est_col = st.columns([1, 2], vertical_alignment="bottom")
    budget_col.number_input(
        s.t("plan.budget_shown", sym=s.symbol, value=s.money(ss["plan_budget"])), value=None, min_value=1.0,
        step=50_000.0, format="%.0f", key="plan_budget", help=s.t("plan.budget_help"), on_change=_budget_typed,
        args=(s.currency, s.fx_map),
    )
    est_col.toggle(s.t("plan.estimates"), key="plan_estimates", help=s.t("plan.estimates_help"))
    linked_bounds = ss.get("_plan_linked_bounds") or {}
    with st.form("plan_brief"):
        a, b, c = st.columns(3)
        a.caption(s.t("plan.brief_caption"))
        b.selectbox(s.t("plan.goal"), plan.GOALS, format_func=_fmt_list("goal"), key="plan_goal")
        common.multiselect(c, s.t("plan.niches"), NICHES, format_func=_fmt_list("niche"), key="plan_niches",
                      placeholder=s.t("any"))
        c.radio(s.t("plan.niche_mode"), ["only", "prefer"], format_func=_fmt_list("plan.niche_mode"),
                key="plan_niche_mode", horizontal=True, help=s.t("plan.niche_mode_help"))
        a, b, c = st.columns(3)
        country_opts = sorted(set(cat.audience_countries) | {"RU"} | set(ss["plan_countries"]))
        common.multiselect(a, s.t("plan.countries"), country_opts, key="plan_countries", placeholder=s.t("any"),
                           format_func=lambda c: ingest.country_name(c, s.lang))
        b.selectbox(s.t("plan.gender"), ["any", "female", "male"], key="plan_gender",
                    format_func=lambda g: s.t("any") if g == "any" else s.t(f"gender.{g}"))
        common.multiselect(c, s.t("plan.ages"), AGE_BUCKETS, format_func=_fmt_list("age"), key="plan_ages",
                      placeholder=s.t("any"))
        a, b, c = st.columns(3)
        common.multiselect(a, s.t("plan.platforms"), PLATFORMS, format_func=_fmt_list("platform"), key="plan_platforms",
                      placeholder=s.t("any"))
        common.multiselect(b, s.t("plan.formats"), FORMATS, format_func=_fmt_list("format"), key="plan_formats",
                      placeholder=s.t("any"))
        c.text_input(s.t("plan.keywords"), key="plan_keywords")
        with st.expander(s.t("plan.constraints")):
            a, b, c = st.columns(3)
            a.slider(s.t("db.min_credibility"), 0, 100, step=5, key="plan_cred")
            a.checkbox(s.t("db.cred_unknown"), key="plan_cred_unknown", help=s.t("db.cred_unknown_help"))
            b.number_input(s.t("plan.max_share"), min_value=0, max_value=100, step=5, key="plan_max_share")
            c.selectbox(s.t("plan.category"), ["none", *plan.CATEGORIES], key="plan_category",
                        format_func=lambda x: s.t("plan.category_none") if x == "none" else s.t(f"cat.{x}"))
            st.checkbox(s.t("plan.packages"), key="plan_packages")
            product_inputs()
            st.caption(s.t("plan.platform_bounds"))
            # stable column names (labels are translated): edits survive a language switch
            bounds_df = common.data_editor(st, 
                pd.DataFrame({"platform": [s.t(f"platform.{p}") for p in PLATFORMS],
                              "lo": [_pct(linked_bounds.get(p, (None, None))[0]) for p in PLATFORMS],
                              "hi": [_pct(linked_bounds.get(p, (None, None))[1]) for p in PLATFORMS]}).astype(
                    {"lo": "float64", "hi": "float64"}),
                hide_index=True,
                key="plan_bounds",
                column_config={
                    "platform": st.column_config.TextColumn(s.t("db.platform"), disabled=True),
                    "lo": st.column_config.NumberColumn(s.t("plan.min_pct"), min_value=0, max_value=100),
                    "hi": st.column_config.NumberColumn(s.t("plan.max_pct"), min_value=0, max_value=100),
                },
            )
        st.form_submit_button(s.t("plan.go"), type="primary")
    bounds: dict[str, tuple[float | None, float | None]] = {}
    for p, lo, hi in zip(PLATFORMS, bounds_df["lo"], bounds_df["hi"], strict=True):
        lo_v = None if lo is None or pd.isna(lo) else units.fraction(lo, in_percent=True)
        hi_v = None if hi is None or pd.isna(hi) else units.fraction(hi, in_percent=True)
        if lo_v is not None or hi_v is not None:
            bounds[p] = (lo_v, hi_v)
    return make_brief(bounds, spec)


def _pct(share: float | None) -> float | None:
    return None if share is None else float(units.percent(share))


def make_brief(bounds: dict[str, tuple[float | None, float | None]], spec: plan.BloggerList) -> plan.Brief:
    """The brief from the widgets' values, in BASE currency, on the list ``spec``, with the sidebar's exchange
    rates, the Database page's tier bounds, and the pool sizes and measured overlaps of this page."""
    keywords = str(ss["plan_keywords"] or "")
    kwargs: dict[str, Any] = dict(
        budget=float(ss["plan_budget_rub"]),
        currency=BASE,
        goal=ss["plan_goal"],
        countries=tuple(ss["plan_countries"]),
        gender=None if ss["plan_gender"] in (None, "any") else ss["plan_gender"],
        ages=tuple(ss["plan_ages"]),
        niches=tuple(ss["plan_niches"]),
        keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
        platforms=tuple(ss["plan_platforms"]),
        formats=tuple(ss["plan_formats"]) or FORMATS,
        min_credibility=units.fraction(ss["plan_cred"], in_percent=True),
        include_unknown_credibility=bool(ss["plan_cred_unknown"]),
        max_share=(units.fraction(ss["plan_max_share"], in_percent=True)) if ss["plan_max_share"] else None,
        platform_bounds=bounds,
        category=None if ss["plan_category"] in (None, "none") else ss["plan_category"],
        allow_packages=bool(ss["plan_packages"]),
        must_include=tuple(int(i) for i in ss["plan_locks"]),
        must_exclude=tuple(int(i) for i in ss["plan_kicks"]),
        reach_weight=round(float(ss["plan_w"]), 2),
        rates=outcome_rates(),
        allow_estimated_prices=bool(ss["plan_estimates"]),
        niche_mode=str(ss["plan_niche_mode"]),
        bloggers=spec,
        fx=s.fx_map,
        tier_bounds=tuple(ss[common.TIER_BOUNDS]) if ss.get(common.TIER_BOUNDS) else None,
        pool_sizes=ss.get("plan_pool_overrides") or {},
        overlaps=plan.overlap_triples(ss.get("plan_overlaps")),
        **product_brief(),
    )
    return plan.Brief(**kwargs)


def outcome_rates() -> dict[str, float]:
    """The outcome rates typed on the page (percent in the widgets), as the brief's fractions."""
    rates = dict(plan.DEFAULT_RATES)
    for name, key in (("ctr", "plan_ctr"), ("conversion", "plan_conv"), ("lead_rate", "plan_lead")):
        rates[name] = float(units.fraction(ss[key], in_percent=True) or 0.0)
    return rates


def pool_label(pool: str) -> str:
    """"beauty/KZ+RU" as a reader says it: "Beauty / Kazakhstan + Russia" ("Красота / Казахстан + Россия")."""
    niche, _, region = pool.partition("/")
    where = " + ".join(s.t("plan.pool_unknown_country") if c == "XX" else ingest.country_name(c, s.lang)
                       for c in region.split("+"))
    return f"{s.t('niche.' + niche) if niche in NICHES else niche} / {where}"


def status_text(sol: optimiser.Solution, totals: dict) -> str:
    status = str(totals.get("status", sol.status))
    gap = s.number(units.percent(float(totals.get("gap", sol.gap))), 2)
    target = s.number(units.percent(float(totals.get("gap_target", getattr(sol, "gap_target", 0.0)))), 2)
    if status == "optimal":
        return s.t("plan.status_optimal")
    if status == "gap_ok":
        return s.t("plan.status_gap", target=target)
    if status == "time_limit":
        return s.t("plan.status_time", gap=gap)
    return s.t("plan.status_above", gap=gap, target=target)


# ---- the plan ----------------------------------------------------------------------------------------
def _pick_point() -> None:
    state: Any = ss.get("plan_frontier_chart")
    try:
        picked = state["selection"]["pick"]
    except (KeyError, TypeError):
        return
    if picked:
        w = round(float(picked[0]["w"]), 2)
        ss["plan_w"] = w


def _frontier_row(sol: optimiser.Solution) -> dict[str, Any]:
    return {"w": round(float(sol.reach_weight), 2), "unique_reach": sol.unique_reach, "niche_value": sol.niche_value,
            "cost": sol.cost, "status": sol.status, "gap": sol.gap, "gap_target": sol.gap_target}


def _frontier_frame(rows: dict[float, dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(list(rows.values())).sort_values("w").reset_index(drop=True)


def _frontier_drawn(points: pd.DataFrame, current_w: float) -> dict[str, Any]:
    """The frontier chart's Vega-Lite spec (charts.frontier_spec: built once per language, a point drawn in
    milliseconds while the others are solved)."""
    return charts.frontier_spec(points.assign(cost=[shown(c) for c in points["cost"]]), current_w, s.lang)


def _known_points(key: str, start: optimiser.Solution) -> list[optimiser.Solution]:
    """The plans this session keeps for the brief at the frontier's other weights (the slider's earlier steps): one
    with the plan on screen's normalisers, certified, is that weight's point as it is (a click opens the same plan);
    any other starts the search."""
    cache = ss.get("_plan_sols") or {}
    out = []
    for w in FRONTIER_WS:
        ref = cache.get((key, round(float(w), 2)))
        # its first answer (asking for the certified one would start again a certification the user left)
        if isinstance(ref, refine.Refining) and ref.quick is not start:
            out.append(ref.quick)
    return out


def _keep_point(key: str, sol: optimiser.Solution) -> None:
    """A certified frontier point is the plan of its weight (under the same key as :func:`solution`'s): a click on
    it opens this very plan, and the server's other sessions on the brief get it too."""
    w = round(float(sol.reach_weight), 2)
    made = refine.Refining(sol)
    got = common.shared_lru("_plan_sols", (key, w), lambda: made, MAX_SOLUTIONS, shared=4 * MAX_SOLUTIONS)
    if got is not made and got.quick is not sol:  # an older answer there: this session opens the point's plan
        ss["_plan_sols"][(key, w)] = made


@st.fragment
def frontier_compute(key: str, cands: plan.Candidates, current_w: float, ref: refine.Refining) -> None:
    """The frontier on demand: a button, then the plan on screen drawn at once and the other weights as they are
    solved (plan.frontier_iter from the plan on screen: its normalisers, its multipliers, nearest weights first,
    FRONTIER_TIME_S for all; a fragment: only this part reruns while it computes); when all are done, the whole
    page reruns to draw the chart a click can open a point of."""
    if ss.get("_plan_frontier_req") != key:
        st.caption(s.t("plan.frontier_lazy", sec=s.number(FRONTIER_TIME_S)))
        st.button(s.t("plan.frontier_go"), key="plan_frontier_go", icon=":material/show_chart:",
                  on_click=ss.__setitem__, args=("_plan_frontier_req", key))
        return
    common.pitch_curve_pause()  # the two cores to the frontier: the page's rerun after it plans the curve again
    box = st.container()  # a block of its own: the final chart is a new element, not this one re-specified
    chart, note = box.empty(), box.empty()
    # the plan on screen as it is (one still being proven keeps its proof going: the chart draws the plan on screen
    # at its weight whatever it becomes, see frontier_panel)
    start = ref.solution()
    rows = {round(float(current_w), 2): _frontier_row(start)}
    chart.vega_lite_chart(spec=_frontier_drawn(_frontier_frame(rows), current_w))
    note.caption(s.t("plan.frontier_progress", i=2, n=len(FRONTIER_WS)))
    hints: dict[float, np.ndarray] = {}
    for sol in plan.frontier_iter(cands, FRONTIER_WS, start=start, known=_known_points(key, start),
                                  time_limit=FRONTIER_TIME_S):
        if sol is start:
            continue  # drawn already
        rows[round(float(sol.reach_weight), 2)] = _frontier_row(sol)
        if sol.status in refine.FINAL_STATUSES:
            _keep_point(key, sol)
        else:  # a click on it solves it then, from this plan
            hints[round(float(sol.reach_weight), 2)] = sol.chosen
        note.caption(s.t("plan.frontier_progress", i=min(len(rows) + 1, len(FRONTIER_WS)), n=len(FRONTIER_WS)))
        chart.vega_lite_chart(spec=_frontier_drawn(_frontier_frame(rows), current_w))
    points = _frontier_frame(rows)
    (ss.get("_plan_frontier_starts") or {}).pop(key, None)  # this frontier's, not an earlier one's
    common.session_lru("_plan_frontier_starts", key, lambda: hints, MAX_CANDIDATE_SETS)
    common.session_lru("_plan_frontier", key, lambda: points, MAX_CANDIDATE_SETS)
    st.rerun()


def frontier_panel(key: str, cands: plan.Candidates, current_w: float, ref: refine.Refining) -> None:
    """The reach–niche frontier (each point is a plan of the slider; the certified ones kept as such): click a point
    to open it. The point at the current weight is always the plan on screen; a point not certified within its gap
    target is hollow."""
    st.markdown(f"**{s.t('plan.frontier')}**")
    pts = (ss.get("_plan_frontier") or {}).get(key)
    if pts is None:
        frontier_compute(key, cands, current_w, ref)
        return
    sol = ref.solution()
    here = round(float(current_w), 2)
    rows = {float(r["w"]): dict(r) for r in pts.to_dict("records")}
    rows[here] = _frontier_row(sol)
    pts = _frontier_frame(rows)
    st.vega_lite_chart(
        spec=_frontier_drawn(pts, current_w),
        key="plan_frontier_chart",
        on_select=_pick_point,
        selection_mode="pick",
    )
    certified = int(pts["status"].isin(refine.FINAL_STATUSES).sum())
    st.caption(s.t("plan.frontier_certified", n=s.number(certified), m=s.number(len(pts)),
                   target=s.percent(units.percent(float(sol.gap_target)), 1)))
    st.caption(s.t("plan.frontier_help"))


def show_plan(frame: pd.DataFrame, brief: plan.Brief) -> None:
    version = store.data_version(eng, common.workspace().workspace_id)  # read once per run: every key shares it
    key = plan_key(version, brief)
    base = base_key(version, brief)
    w = round(float(ss["plan_w"]), 2)
    try:
        with st.spinner(s.t("plan.optimising")):
            cands = candidates(key, version, frame, brief)
            ref = solution(key, base, cands, brief, w)
            sol = ref.solution()
    except (plan.BriefError, optimiser.Infeasible) as exc:
        st.error(s.t("plan.infeasible", reason=s.error(exc)))
        if ss["plan_locks"] or ss["plan_kicks"]:
            locks_and_kicks(frame.iloc[0:0].assign(id=pd.Series([], dtype=np.int64)), frame)  # so they can be undone
        return
    brief_w = dataclasses.replace(brief, reach_weight=w)
    result = plan.describe(cands, sol, brief, frame)
    shown_plan(planning.PlanOutcome(brief=brief_w, bloggers=frame, candidates=cands, solution=sol, result=result,
                                    seconds=sol.seconds, data_version=version))
    totals = result.totals
    if result.placements.empty:
        st.warning(s.t("plan.empty", cheapest=smoney(totals["cheapest"])))
        return

    st.slider(s.t("plan.reach_weight"), 0.0, 1.0, step=0.1, key="plan_w", help=s.t("plan.reach_weight_help"))
    ends = st.columns(2)
    ends[0].caption(s.t("plan.w_left"))
    ends[1].caption(s.t("plan.w_right"), text_alignment="right")
    rows = result.placements
    p_src = [str(x) for x in rows["price_source"]]
    r_src = [str(x) for x in rows["reach_source"]]
    cost_est = float(totals["estimated_cost"])
    m = st.columns(5)
    m[0].metric(s.t("plan.cost"), smoney(totals["cost"]), s.t("plan.of_budget", budget=smoney(brief.budget)),
                delta_color="off", delta_arrow="off")
    # unique reach is the model's (Sainsbury over the audience pools): an estimate, in the brief's target audience
    m[1].metric(s.t("plan.unique_reach_target"), "≈\u00a0" + s.compact(totals["unique_reach"]),
                help=s.t("plan.unique_reach_help"))
    m[2].metric(s.t("plan.impressions"), s.compact(totals["impressions"]),
                s.t("plan.frequency", f=s.number(totals["frequency"], 2)), delta_color="off", delta_arrow="off")
    m[3].metric(s.t("plan.cpm_unique"), "≈\u00a0" + smoney(totals["cpm_unique"]))
    m[4].metric(s.t("plan.bloggers"), s.number(totals["bloggers"]))
    if brief.budget > totals["absorbable"] > 0:  # a budget the list cannot take: said, not silently left unspent
        st.info(s.t("plan.absorb", most=smoney(totals["absorbable"]), budget=smoney(brief.budget)))
    share_est = units.percent(totals["estimated_cost_share"])
    if cost_est > 0:
        st.caption(s.t("plan.on_estimates", amount=smoney(cost_est), pct=s.percent(share_est, 0)))
    else:
        st.caption(s.t("plan.all_quoted"))
    if getattr(brief, "product_units", 0):
        st.caption(s.t("barter.plan_totals", cash=smoney(totals.get("cash_cost", totals["cost"])),
                       budget=smoney(brief.budget), units=s.number(totals.get("product_units", 0)),
                       of=s.number(brief.product_units), barter=s.number(totals.get("deals_barter", 0)),
                       hybrid=s.number(totals.get("deals_hybrid", 0)), product=smoney(totals.get("product_cost", 0)),
                       posts=s.number(totals.get("expected_posts", len(rows)), 1), n=s.number(len(rows))))
    if brief.mixed:  # why barter and hybrid deals were there to choose, or not (counts by reason)
        offers = common.session_lru("_plan_offers", (key, w), ss[common.PLAN_SHOWN].deal_offers, MAX_SOLUTIONS)
        if offers:
            b, h = offers["barter"], offers["hybrid"]
            st.caption(s.t("barter.plan_offers", barter=s.number(b["offered"]), hybrid=s.number(h["offered"]),
                           unlikely=s.number(b["unlikely"]), no_tier=s.number(b["no_tier"]),
                           small=s.number(b["too_small"])))
    skipped = int(getattr(cands, "skipped_estimated", 0) or 0)
    if skipped and not brief_allows_estimates(brief):
        st.caption(s.t("plan.skipped_estimates", n=s.number(skipped)))
    proving = ref.pending
    st.caption(
        s.t("plan.certificate", objective=s.number(sol.objective, 4), bound=s.number(sol.upper_bound, 4),
            gap=s.number(units.percent(sol.gap), 2),
            status=(s.t("plan.status_proving") if proving else status_text(sol, totals)),
            n=s.number(len(cands.frame)), sec=s.number(sol.seconds, 2))
    )
    earlier = ss.get("_plan_refining")
    if isinstance(earlier, refine.Refining) and earlier is not ref:
        earlier.drop()  # moved on: its certification need not start (anyone who opens it again starts it)
    ss["_plan_refining"] = ref
    if proving:
        await_certificate(ref)
    raised = cands.raised_pools
    if raised:
        st.warning(s.t("plan.pools_raised", n=s.number(len(raised)), pools="; ".join(
            f"{pool_label(k)}: {s.compact(a)} → {s.compact(u)}" for k, (a, u) in list(raised.items())[:6])),
            icon=":material/warning:")

    left, right = st.columns([1.1, 1])
    with left:
        frontier_panel(key, cands, w, ref)
    with right:
        outcome_panel(totals, brief)

    st.markdown(f"**{s.t('plan.placements')}**")
    approx = "≈\u00a0"
    table = pd.DataFrame(
        {
            s.t("col.handle"): "@" + rows["handle"],
            s.t("col.platform"): [s.t(f"platform.{p}") for p in rows["platform"]],
            s.t("plan.format"): [format_label(x) for x in rows["format"]],
            **({s.t("barter.deal"): [deal_text(d, p) for d, p in zip(rows["deal"], rows["expected_posts"],
                                                                     strict=True)]}
               if getattr(brief, "product_units", 0) and "deal" in rows else {}),
            s.t("col.tier"): [s.t(f"tier.{t}") if t else "—" for t in rows["tier"]],  # no followers: no tier
            **({s.t("plan.niche_match"): [("—" if not n else s.t(f"niche.{n}") + ("" if p else
                                                                                  " · " + s.t("plan.secondary")))
                                          for n, p in zip(rows["niche_match"], rows["niche_primary"], strict=True)]}
               if brief.niches and "niche_match" in rows else {}),
            s.t("plan.cost"): [(approx if src == "estimate" else "") + smoney(v)
                               for v, src in zip(rows["cost"], p_src, strict=True)],
            s.t("plan.reach"): [(approx if src != "measured" else "") + s.number(v)
                                for v, src in zip(rows["reach"], r_src, strict=True)],
            s.t("plan.reach_source"): [s.t(f"rsource.{x}") if x in REACH_SOURCES else x for x in r_src],
            s.t("plan.adds"): [s.number(v) for v in rows["unique_reach_added"]],
            s.t("plan.fit"): [s.number(v, 2) for v in rows["fit"]],
            s.t("plan.cpm_unique"): [smoney(v) for v in rows["cpm_unique"]],
        }
    )
    common.dataframe(st, table, hide_index=True, height=min(420, 38 + 35 * len(table)))
    st.caption(s.t("plan.approx_legend"))
    locks_and_kicks(rows, frame)

    a, b = st.columns(2)
    by_platform = plan.spend_by(rows, "platform")
    by_platform["cost"] = s.shown(by_platform["cost"].to_numpy(dtype=float), BASE)
    by_platform["label"] = [s.t(f"platform.{p}") for p in by_platform["platform"]]
    a.altair_chart(common.chart(charts.spend_chart, by_platform, s.t("db.platform"), s.lang))
    by_tier = plan.spend_by(rows, "tier", benchmarks.TIERS)
    by_tier["cost"] = s.shown(by_tier["cost"].to_numpy(dtype=float), BASE)
    by_tier["label"] = [s.t(f"tier.{t}") for t in by_tier["tier"]]
    b.altair_chart(common.chart(charts.spend_chart, by_tier, s.t("db.tier"), s.lang))
    # drawn only while open (opening one reruns the page): a closed panel costs every rerun nothing
    with st.expander(s.t("plan.overlap"), key="plan_overlap_box", on_change="rerun") as box:
        if box.open:
            top = rows.head(20)  # the plan's largest placements
            mat = plan.overlap_among(cands, top["cand"].to_numpy(dtype=np.int64))
            labels = [f"@{h}" for h in top["handle"]]
            st.altair_chart(common.chart(charts.overlap_heatmap, mat, labels, s.lang))
            st.caption(s.t("plan.overlap_help"))
    with st.expander(s.t("plan.backups"), key="plan_backups_box", on_change="rerun") as box:
        if box.open:
            backup_table(key, w, frame, result)
    with st.expander(s.t("plan.pools"), key="plan_pools_box", on_change="rerun") as box:
        if box.open:
            pools_panel(cands, frame, raised)
    save_panel(ss[common.PLAN_SHOWN], key, ref)
    # the page drawn: the budget curve of this plan's pitch is planned in the background, a save finds it planned
    common.pitch_curve_ahead(eng, brief_w, cat.frame, version)


def brief_allows_estimates(brief: plan.Brief) -> bool:
    return bool(getattr(brief, "allow_estimated_prices", True))


def format_label(fmt: str) -> str:
    return " + ".join(s.t(f"format.{f}") for f in str(fmt).split("+"))


def backup_table(key: str, w: float, frame: pd.DataFrame, result: plan.PlanResult) -> None:
    backup = common.session_lru("_plan_backups", (key, w), lambda: plan.backups(frame, result), MAX_SOLUTIONS)
    handle_of = dict(zip(frame["id"].tolist(), frame["handle"].astype(str), strict=True))
    common.dataframe(st, 
        pd.DataFrame(
            {
                s.t("col.handle"): ["@" + handle_of[i] for i in backup],
                s.t("plan.backup_1"): ["@" + handle_of[b[0]] if len(b) > 0 else "—" for b in backup.values()],
                s.t("plan.backup_2"): ["@" + handle_of[b[1]] if len(b) > 1 else "—" for b in backup.values()],
            }
        ),
        hide_index=True,
    )


def pools_panel(cands: plan.Candidates, frame: pd.DataFrame, raised: dict[str, tuple[float, float]]) -> None:
    """The pool-size assumption table (editable) and measured overlaps that override the model."""
    st.caption(s.t("plan.pools_help"))
    names = list(cands.pool_sizes)
    table = pd.DataFrame(
        {
            "pool": [pool_label(k) for k in names],
            "people": [round(cands.base_pool_sizes.get(k, 0.0)) for k in names],
            "used": [round(v) for v in cands.pool_sizes.values()],
            "raised": [s.t("plan.pool_raised_from", n=s.number(raised[k][0])) if k in raised else ""
                       for k in names],
        }
    )
    edited = common.data_editor(st, 
        table,
        hide_index=True,
        height=260,
        key="plan_pools_editor",
        disabled=["pool", "used", "raised"],
        column_config={
            "pool": st.column_config.TextColumn(s.t("plan.pool")),
            "people": st.column_config.NumberColumn(s.t("plan.pool_people"), min_value=1, step=1000,
                                                    format="localized"),
            "used": st.column_config.NumberColumn(s.t("plan.pool_size"), format="localized"),
            "raised": st.column_config.TextColumn(s.t("plan.pool_raised")),
        },
    )
    overrides = dict(ss.get("plan_pool_overrides", {}))
    for name, people, base in zip(names, edited["people"], table["people"], strict=True):
        if people is not None and not pd.isna(people) and float(people) > 0 and round(float(people)) != base:
            overrides[name] = float(people)
    if overrides != ss.get("plan_pool_overrides", {}):
        ss["plan_pool_overrides"] = overrides
        st.rerun()
    if ss.get("plan_pool_overrides") and st.button(s.t("plan.pools_reset"), key="plan_pools_reset"):
        ss["plan_pool_overrides"] = {}
        st.rerun()
    up = st.file_uploader(s.t("plan.overlaps"), type=["csv", "txt", "xlsx"], key="plan_overlap_file")
    if up is None:
        if ss.get("plan_overlaps") is not None and ss.get("plan_overlaps_key") != "link":
            ss["plan_overlaps"] = None
            ss["plan_overlaps_key"] = ""
            st.rerun()
        return
    marker = f"{up.name}:{up.size}:{hashlib.sha1(up.getvalue()).hexdigest()}"
    if ss.get("plan_overlaps_key") != marker:
        try:
            pairs = plan.read_overlaps(up.getvalue(), up.name, frame)
        except plan.OverlapError as exc:
            st.error(s.t("plan.overlaps_bad", reason=literal(exc)))
            return
        ss["plan_overlaps"] = pairs
        ss["plan_overlaps_key"] = marker
        st.rerun()
    st.caption(s.t("plan.overlaps_used", n=s.number(len(ss["plan_overlaps"]))))


def outcome_panel(totals: dict, brief: plan.Brief) -> None:
    """Expected results; the rates typed here are the brief's (saved with a campaign)."""
    st.markdown(f"**{s.t('plan.expected')}**")
    acts = brief.goal in ("traffic", "sales", "leads")
    if acts:
        a, b = st.columns(2)
        a.number_input(s.t("plan.ctr"), 0.0, 100.0, step=0.1, key="plan_ctr")
        if brief.goal == "leads":
            b.number_input(s.t("plan.lead_rate"), 0.0, 100.0, step=0.5, key="plan_lead")
        else:
            b.number_input(s.t("plan.conversion"), 0.0, 100.0, step=0.5, key="plan_conv")
    approx = "≈\u00a0"  # every figure here is an estimate: benchmark rates and the rates typed above
    lines = [
        (s.t("plan.engagements"), approx + s.number(totals["engagements"])),
        (s.t("plan.gross_reach"), approx + s.number(totals["gross_reach"])),
        (s.t("plan.cpm"), approx + smoney(totals["cpm"])),
        (s.t("plan.niche_value"), s.number(totals["niche_value"])),
    ]
    if acts:
        lines.append((s.t("plan.clicks"), approx + s.number(totals["clicks"])))
    if brief.goal == "sales":
        lines.append((s.t("plan.orders"), approx + s.number(totals["orders"])))
        lines.append((s.t("plan.cpa"), approx + smoney(totals["cost_per_order"])))
    if brief.goal == "leads":
        lines.append((s.t("plan.leads"), approx + s.number(totals["leads"])))
        lines.append((s.t("plan.cpl"), approx + smoney(totals["cost_per_lead"])))
    common.dataframe(st, pd.DataFrame(lines, columns=[s.t("card.figure"), s.t("card.value")]), hide_index=True)
    if acts:
        st.caption(s.t("plan.rates_help"))


def locks_and_kicks(rows: pd.DataFrame, frame: pd.DataFrame) -> None:
    handle_of = dict(zip(frame["id"].tolist(), frame["handle"].astype(str), strict=True))
    in_plan = rows["id"].drop_duplicates().astype(int).tolist()
    a, b = st.columns(2)
    # a blogger is locked in or kicked out, never both
    lock_opts = sorted((set(in_plan) - set(ss["plan_kicks"])) | set(ss["plan_locks"]),
                       key=lambda i: handle_of.get(i, ""))
    common.multiselect(a, s.t("plan.locks"), lock_opts, format_func=lambda i: "@" + handle_of.get(i, str(i)),
                  key="plan_locks", placeholder=s.t("plan.none"))
    kick_opts = sorted((set(in_plan) - set(ss["plan_locks"])) | set(ss["plan_kicks"]),
                       key=lambda i: handle_of.get(i, ""))
    common.multiselect(b, s.t("plan.kicks"), kick_opts, format_func=lambda i: "@" + handle_of.get(i, str(i)),
                  key="plan_kicks", placeholder=s.t("plan.none"))


def solved_for_pitch(outcome: planning.PlanOutcome, key: str, ref: refine.Refining) -> Solved:
    """The plan on screen as a saved campaign's pitch takes it (planner.reporting.pitch.Solved), so its build does
    not solve the brief again: the candidates, the certified plan (waited for while its proof runs) with its
    normalisers, and the frontier this session drew for the brief's candidates (``key``), if it did. The build uses
    it only for the brief and data version it was solved for."""
    from planner.reporting import pitch
    return pitch.Solved(data_version=outcome.data_version, brief=outcome.brief, candidates=outcome.candidates,
                        solution=ref.final, frontier=(ss.get("_plan_frontier") or {}).get(key))


def save_panel(outcome: planning.PlanOutcome, key: str, ref: refine.Refining) -> None:
    result = outcome.result
    may_save = common.allowed(common.PLANNER)  # a viewer plans on screen and downloads, and saves nothing
    with st.form("plan_save"):
        a, b = st.columns([3, 1], vertical_alignment="bottom")
        name = a.text_input(s.t("plan.campaign_name"), key="plan_name", disabled=not may_save)
        saved = b.form_submit_button(s.t("plan.save"), disabled=not may_save)
    if saved and may_save:
        if not name.strip():
            st.warning(s.t("plan.name_needed"))
        else:
            cid = planning.save(eng, outcome, name, access=common.workspace())
            ss["plan_open"] = cid  # the saved campaigns open on the one just saved (not the sample)
            # its pitch files start now, for the client named on the saved campaigns' tab (the same key its buttons
            # make there), from the plan on screen (not solved again), so a download right after the save waits
            # little or not at all
            common.prebuild_pitch(eng, cid, s, cat.frame, client=str(ss.get("plan_pitch_client") or ""),
                                  solved=solved_for_pitch(outcome, key, ref))
            st.success(s.t("plan.saved", name=literal(name.strip()), id=cid))
    st.download_button(
        s.t("exp.csv"),
        data=lambda: export.plan_frame(result).to_csv(index=False).encode("utf-8-sig"),
        file_name="media_plan.csv",
        mime="text/csv",
        key="plan_dl_csv",
    )


# ---- saved campaigns: a fragment of their own (a status edit never reruns the plan) ---------------------
@st.fragment
@common.shows_refusals
def saved_tab() -> None:
    camps = campaigns.list_campaigns(eng, access=common.workspace())
    if camps.empty:
        st.info(s.t("plan.no_campaigns"))
        return
    names = dict(zip(camps["id"].tolist(), camps["name"].astype(str), strict=True))
    if ss.get("plan_open") not in names:
        ss.pop("plan_open", None)
    cid = st.selectbox(s.t("plan.open"), list(names), key="plan_open", format_func=lambda i: names.get(i, str(i)))
    camp, placements = campaigns.load_campaign(eng, int(cid), access=common.workspace())
    seen_key = f"_plan_placements_seen_{cid}"  # the placements version the status table was drawn from
    seen = int(ss.get(seen_key, camp.placements_version or 0))
    if seen != int(camp.placements_version or 0) and not ss.get("plan_save_status"):
        ss.pop(f"plan_status_{cid}", None)  # saved elsewhere: draw the table afresh
        seen = int(camp.placements_version or 0)
    ss[seen_key] = seen
    ccy = camp.currency or BASE
    totals = (camp.brief or {}).get("totals", {})
    m = st.columns(4)
    m[0].metric(s.t("plan.budget", sym=s.symbol), smoney(camp.budget, ccy))
    m[1].metric(s.t("plan.cost"), smoney(totals.get("cost"), ccy) if totals.get("cost") is not None else "—")
    m[2].metric(s.t("plan.unique_reach"), s.compact(totals.get("unique_reach")))
    m[3].metric(s.t("plan.bloggers"), s.number(len(placements)))
    common.pitch_downloads(eng, int(cid), s, cat.frame, key="plan_pitch")
    if placements.empty:
        delete_control(int(cid), camp.name)
        return
    status_label = {k: s.t(f"pstatus.{k}") for k in PLACEMENT_STATUSES}
    label_status = {v: k for k, v in status_label.items()}
    view = pd.DataFrame(
        {
            "id": placements["id"],
            "handle": "@" + placements["handle"],
            "platform": [s.t(f"platform.{p}") for p in placements["platform"]],
            "format": [format_label(f) for f in placements["format"]],
            "cost": [smoney(v, ccy) for v in placements["cost"]],
            "reach": [s.number(v) for v in placements["expected_reach"]],
            "status": [status_label[x] for x in placements["status"]],
            "due": pd.to_datetime(placements["planned_date"] if "planned_date" in placements
                                  else pd.Series([None] * len(placements)), errors="coerce"),
            "deal": [deal_text(str(k), p if p is not None and not pd.isna(p) else 1.0) + (
                f" · {smoney(c, ccy)}" if str(k) != "paid" else "") for k, p, c in
                zip(placements["kind"], placements["expected_posts"], placements["product_cost"], strict=True)]
            if "kind" in placements else [""] * len(placements),
        }
    )
    may_edit = common.workspace().can(common.PLANNER)  # statuses and dates are a planner's (a viewer reads them)
    edited = common.data_editor(st, 
        view,
        hide_index=True,
        disabled=[c for c in view.columns if c not in ("status", "due")] if may_edit else True,
        column_order=("handle", "status", "due", "platform", "format", "cost", "reach", "deal"),
        column_config={
            "id": None,
            "handle": st.column_config.TextColumn(s.t("col.handle"), width="medium"),
            "platform": st.column_config.TextColumn(s.t("col.platform")),
            "format": st.column_config.TextColumn(s.t("plan.format")),
            "cost": st.column_config.TextColumn(s.t("plan.cost")),
            "reach": st.column_config.TextColumn(s.t("plan.reach")),
            "deal": st.column_config.TextColumn(s.t("barter.plan_saved_deal")),
            "status": st.column_config.SelectboxColumn(s.t("plan.pstatus"), options=list(status_label.values()),
                                                       required=True, width="medium"),
            "due": st.column_config.DateColumn(s.t("plan.planned_date"), format="DD.MM.YYYY",
                                               help=s.t("plan.planned_date_help")),
        },
        key=f"plan_status_{cid}",
    )
    changes = {int(i): label_status.get(v, v) for i, v in zip(edited["id"], edited["status"], strict=True)}
    def day(d: Any) -> dt.date | None:
        if d is None or pd.isna(d):  # NaT (an empty cell) is a datetime too
            return None
        if isinstance(d, pd.Timestamp | dt.datetime):
            return d.date()
        return d if isinstance(d, dt.date) else None

    dates = {int(i): day(d) for i, d in zip(edited["id"], edited["due"], strict=True)}
    before = {int(i): day(d) for i, d in zip(view["id"], view["due"], strict=True)}
    pending = sum(1 for i, v in zip(placements["id"], placements["status"], strict=True)
                  if changes.get(int(i)) != v or dates.get(int(i)) != before.get(int(i)))
    a, b = st.columns([1, 3], vertical_alignment="center")
    if not may_edit:
        common.allowed(common.PLANNER, b)
    if a.button(s.t("plan.save_status"), key="plan_save_status", type="primary" if pending else "secondary",
                disabled=not may_edit):
        try:  # from the placements this table showed (their version): a save made elsewhere since is not undone
            n = campaigns.set_statuses(eng, int(cid), changes, planned_dates=dates, expected_version=seen,
                                       access=common.workspace())
        except campaigns.StaleEdit as exc:
            ss.pop(f"plan_status_{cid}", None)  # the table shows the placements as they are now
            ss[seen_key] = int(camp.placements_version or 0)
            st.error(s.error(exc))
        else:
            ss[seen_key] = int(camp.placements_version or 0) + (1 if n else 0)
            st.success(s.t("plan.status_saved", n=n))
    elif pending:
        b.caption(s.t("plan.status_pending", n=s.number(pending)))
    delete_control(int(cid), camp.name)


@common.refusals_kept
def _delete_confirmed(cid: int) -> None:
    campaigns.delete_campaign(eng, cid, access=common.workspace())
    ss.pop("plan_delete_ask", None)
    ss.pop("plan_open", None)


def delete_control(cid: int, name: str) -> None:
    """Deleting a campaign asks first (callbacks: the run that follows already shows the outcome)."""
    if not common.allowed(common.OWNER, None):  # deleting is an owner's: the button is there, disabled, with why
        a, b = st.columns([1, 3], vertical_alignment="center")
        a.button(s.t("plan.delete"), key=f"plan_delete_{cid}", icon=":material/delete:", disabled=True)
        common.allowed(common.OWNER, b)
        ss.pop("plan_delete_ask", None)
        return
    if ss.get("plan_delete_ask") != cid:
        st.button(s.t("plan.delete"), key=f"plan_delete_{cid}", icon=":material/delete:",
                  on_click=ss.__setitem__, args=("plan_delete_ask", cid))
        return
    st.warning(s.t("plan.delete_confirm", name=literal(name)))  # a name is data: shown as text, never Markdown
    a, b, _ = st.columns([1, 1, 3])
    a.button(s.t("plan.delete_yes"), key=f"plan_delete_yes_{cid}", type="primary", on_click=_delete_confirmed,
             args=(cid,))
    b.button(s.t("plan.delete_no"), key=f"plan_delete_no_{cid}", on_click=ss.pop, args=("plan_delete_ask", None))


# the saved campaigns are drawn only while their tab is open (switching tabs reruns the page)
tab_plan, tab_saved = st.tabs([s.t("plan.tab_plan"), s.t("plan.tab_saved")], key="plan_tab", on_change="rerun")
try:
    with tab_plan:
        if cat.n == 0:
            st.info(s.t("db.empty"))
        else:
            frame, spec = source_frame()
            unknown_credibility_note(frame)
            if frame.empty:
                st.warning(s.t("db.no_match"))
            else:
                try:
                    brief = brief_form(frame, spec)
                except plan.BriefError as exc:
                    st.error(s.t("plan.infeasible", reason=s.error(exc)))
                else:
                    ss[common.PLAN_BRIEF] = brief  # the brief on screen, whole: other pages take it from here
                    ss["brief"] = common.draft_link("plan", brief.to_dict())  # and the link: a reload shows it
                    if ss.get("_plan_budget_empty"):
                        st.info(s.t("plan.budget_empty"))
                    else:
                        show_plan(frame, brief)
finally:
    common.remember_widgets("_plan_held", HELD)
    common.save_url_state(common.BRIEF_URL)
with tab_saved:
    if tab_saved.open:
        saved_tab()
