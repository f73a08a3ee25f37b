"""Barter page: paid against barter against hybrid for one blogger, the current plan, the shortlist or a saved
campaign, with a recommendation per blogger and its reason, totals, the break-even chart, the sensitivity to a
lower post rate and every assumption editable with its source.

UI only: the model is planner.planning.barter, the chart planner.reporting.charts.break_even_chart. Amounts are
typed and shown in the display currency (the sidebar's, converted with its rates).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from pages import common
from planner import campaigns
from planner.app import barter as use
from planner.app.planning import PlanOutcome
from planner.core.i18n import barter_error
from planner.core.markdown import literal
from planner.core.schema import NICHES
from planner.core.units import fraction, percent
from planner.estimates import benchmarks
from planner.estimates.benchmarks import BARTER, BarterBenchmarks
from planner.estimates.catalog import Filters
from planner.planning import barter
from planner.reporting import charts
from planner.reporting.pitch_model import citation_text

BASE = "RUB"  # the defaults below, converted to the display currency on first use
MONEY = {"barter_cost": 1_200.0, "barter_retail": 4_000.0, "barter_ship": 350.0, "barter_pack": 150.0}
SOURCES = ("one", "plan", "shortlist", "campaign")
MAX_ROWS_SHOWN = 500
HELD = ("barter_source", "barter_niches", "barter_common", "barter_estimates", "barter_units", "barter_campaign",
        "barter_cost", "barter_retail", "barter_ship", "barter_pack", "barter_query", "barter_one")
SHARE_METRICS = ("post_rate", "hybrid_post_rate", "acceptance", "declared_acceptance", "off_niche_factor",
                 "commonplace_factor", "refuses_hybrid_factor", "min_acceptance", "hybrid_fee_share")

common.require_router()
s = common.settings()
ss = st.session_state
st.title(s.t("barter.title"))
st.caption(s.t("barter.intro"))
cat = common.catalog(s)
eng = common.engine()
# the page's state in its URL (a reload, a new tab or a colleague's link shows the same comparison); the URL name is
# the widget's key, a value outside its widget's range is clamped, anything else unusable dropped
URL: dict[str, common.UrlParam] = {
    "barter_source": common.UrlParam("str", None, SOURCES),
    "barter_campaign": common.UrlParam("int", None, lo=1, hi=2**31 - 1),
    "barter_one": common.UrlParam("int", None, lo=-(2**62), hi=2**62),
    "barter_units": common.UrlParam("int", 1, lo=1, hi=1000),
    "barter_niches": common.UrlParam("list", [], NICHES),
    "barter_common": common.UrlParam("bool", False),
    "barter_estimates": common.UrlParam("bool", False),
    **{k: common.UrlParam("float", None, lo=0.0, hi=1e9) for k in MONEY},  # in the URL's currency (ccy)
}
if not ss.get("_url_barter") and st.query_params.get("barter_source"):
    ss["_barter_source_chosen"] = True  # the link's choice, not the page's default
common.load_url_state(URL, "_url_barter")
common.restore_widgets("_barter_held", HELD, s.lang)


# ---- the offer: amounts in the display currency --------------------------------------------------------------
def offer_form() -> barter.BarterOffer | None:
    common.keep_amounts(tuple(MONEY), "_barter_ccy", s, defaults=MONEY, base=BASE)
    ss.setdefault("barter_units", 1)
    ss.setdefault("barter_niches", [])
    ss.setdefault("barter_common", False)
    ss.setdefault("barter_estimates", False)
    st.markdown(f"**{s.t('barter.offer')}**")
    a, b, c, d, e = st.columns(5)
    money_fmt = common.money_format(s.currency)
    a.number_input(s.t("barter.product_cost", sym=s.symbol), min_value=0.0, step=100.0, format=money_fmt,
                   key="barter_cost")
    b.number_input(s.t("barter.retail", sym=s.symbol), min_value=0.01, step=100.0, format=money_fmt,
                   key="barter_retail")
    c.number_input(s.t("barter.shipping", sym=s.symbol), min_value=0.0, step=50.0, format=money_fmt, key="barter_ship")
    d.number_input(s.t("barter.packaging", sym=s.symbol), min_value=0.0, step=50.0, format=money_fmt,
                   key="barter_pack")
    e.number_input(s.t("barter.units"), min_value=1, max_value=1000, step=1, key="barter_units")
    a, b, c = st.columns([2, 1, 1], vertical_alignment="bottom")
    common.multiselect(a, s.t("barter.niches"), NICHES, format_func=lambda x: s.t(f"niche.{x}"), key="barter_niches",
                  placeholder=s.t("any"))
    b.checkbox(s.t("barter.commonplace"), key="barter_common", help=s.t("barter.commonplace_help"))
    c.toggle(s.t("barter.estimates"), key="barter_estimates", help=s.t("plan.estimates_help"))
    rates = assumption_rates()
    try:
        return barter.BarterOffer(product_cost=ss["barter_cost"], retail_value=ss["barter_retail"],
                                  shipping=ss["barter_ship"], packaging=ss["barter_pack"], units=ss["barter_units"],
                                  currency=s.currency, niches=tuple(ss["barter_niches"]),
                                  commonplace=bool(ss["barter_common"]), ctr=rates["ctr"],
                                  conversion=rates["conversion"])
    except barter.BarterError as exc:
        st.error(s.t("barter.bad_offer", reason=barter_error(exc, s.lang)))
        return None


# ---- assumptions: defaults with sources, edits kept in the session --------------------------------------------
def share(value: float) -> float:
    """A figure typed in per cent on the page as the model's fraction (planner.core.units)."""
    return fraction(value, in_percent=True) or 0.0


def assumption_rates() -> dict[str, float]:
    edits = ss.get("barter_edits", {})
    return {"ctr": share(edits.get(("ctr", ""), percent(barter.BarterOffer.ctr))),
            "conversion": share(edits.get(("conversion", ""), percent(barter.BarterOffer.conversion)))}


def allowed(metric: str) -> tuple[float, float, bool]:
    """(low, high, low excluded) of a figure as typed on the page (shares in per cent)."""
    if metric in ("post_rate", "hybrid_post_rate"):
        return 0.0, 100.0, True
    if metric in SHARE_METRICS or metric in ("ctr", "conversion"):
        return 0.0, 100.0, False
    return 0.0, 1e6, True  # ask multiple, record weight


def is_allowed(metric: str, value: float) -> bool:
    lo, hi, open_lo = allowed(metric)
    return bool(np.isfinite(value)) and (value > lo if open_lo else value >= lo) and value <= hi


def assumptions() -> BarterBenchmarks:
    """The defaults with the user's edits (percent on the page, fractions in the model)."""
    edits = {k: (share(v) if k[0] in SHARE_METRICS else v) for k, v in ss.get("barter_edits", {}).items()
             if k[0] not in ("ctr", "conversion") and is_allowed(k[0], v)}
    return BARTER.with_typical(edits)


def assumptions_panel(current: BarterBenchmarks) -> None:
    # drawn only while open (opening it reruns the page): its editable table costs the browser a data grid on every
    # first open, and the edits live in the session (barter_edits), not in the table
    edited = len(ss.get("barter_edits", {}))  # said on the closed panel too: the figures above use the edits
    label = s.t("barter.assumptions_edited", n=s.number(edited)) if edited else s.t("barter.assumptions")
    with st.expander(label, key="barter_assumptions_box", on_change="rerun") as box:
        if box.open:
            assumptions_table(current)


def assumptions_table(current: BarterBenchmarks) -> None:
    """Every barter assumption with its source, editable; an edit out of its range is refused with a warning."""
    st.caption(s.t("barter.assumptions_help"))
    frame = current.to_frame()
    keys = list(zip(frame["metric"], frame["tier"], strict=True)) + [("ctr", ""), ("conversion", "")]
    rates = assumption_rates()
    values = [percent(v) if m in SHARE_METRICS else v for m, v in zip(frame["metric"], frame["typical"],
                                                                        strict=True)]
    values += [percent(rates["ctr"]), percent(rates["conversion"])]
    # each source in the page's language (the pitch's translations of the benchmarks' sources: one list)
    sources = [citation_text(x, s.lang) for x in frame["source"]] + [s.t("barter.src.plan_rates")] * 2
    labels = [s.t(f"barter.m.{m}") + (f" — {s.t('tier.' + t)}" if t else "") for m, t in keys]
    table = pd.DataFrame({"figure": labels, "value": np.round(np.asarray(values, dtype=float), 4),
                          "source": sources})
    edited = common.data_editor(
        st, table, hide_index=True, key="barter_assumptions", disabled=["figure", "source"], height=420,
        column_config={
            "figure": st.column_config.TextColumn(s.t("barter.figure"), width="large"),
            "value": st.column_config.NumberColumn(s.t("barter.value"), min_value=0.0, format="%.4g"),
            "source": st.column_config.TextColumn(s.t("barter.src"), width="large"),
        },
    )
    edits = dict(ss.get("barter_edits", {}))
    for key, label, new, old in zip(keys, labels, edited["value"], table["value"], strict=True):
        if new is None or pd.isna(new) or abs(float(new) - float(old)) <= 1e-9:
            continue
        if is_allowed(key[0], float(new)):
            edits[key] = float(new)
        else:
            lo, hi, _ = allowed(key[0])
            st.warning(s.t("barter.bad_assumption", name=label, value=s.number(float(new), 2),
                           lo=s.number(lo), hi=s.number(hi)))
    if edits != ss.get("barter_edits", {}):
        ss["barter_edits"] = edits
        st.rerun()
    if ss.get("barter_edits") and st.button(s.t("barter.reset"), key="barter_reset"):
        ss["barter_edits"] = {}
        ss.pop("barter_assumptions", None)
        st.rerun()


# ---- what to compare -------------------------------------------------------------------------------------------
def shortlist_ids() -> list[int]:
    ids = ss.get(common.SHORTLIST)
    if ids:
        return [int(i) for i in ids]
    raw = (st.query_params.get("short") or "")[:100_000]  # a link straight here with the Database page's shortlist
    ids = [int(x) for x in (x.strip() for x in raw.split(",")) if x.isascii() and x.isdigit() and len(x) <= 18]
    return ids[:5000]


def current_plan() -> pd.DataFrame | None:
    """The placements (``id, format``) of the plan last shown on the Plan page in this session, or None."""
    shown = ss.get(common.PLAN_SHOWN)
    if not isinstance(shown, PlanOutcome) or shown.result.placements.empty:
        return None
    return shown.result.placements[["id", "format"]].reset_index(drop=True)


def pick_one() -> pd.DataFrame:
    """One blogger: a search over handles, names and cities (the Database page's), then a choice."""
    a, b = st.columns([1, 2])
    query = a.text_input(s.t("barter.blogger_search"), key="barter_query")
    first = [*shortlist_ids()[:20]]
    if query.strip():
        pos = cat.select(Filters(search=query.strip(), min_credibility=0.0), s.currency)[:50]
    else:  # the shortlist first, then micro bloggers who accept barter (Epicstars, Heepsy: readily); the micro tier
        # by the Database page's tier bounds when set there, else planner.estimates.benchmarks' defaults
        likely = Filters(min_credibility=0.0, barter_only=True, tiers=("micro",))
        bounds = ss.get(common.TIER_BOUNDS) or benchmarks.DEFAULT_TIER_BOUNDS
        pos = np.r_[cat.positions(first), cat.select(likely, s.currency, tier_bounds=bounds)[:50],
                    cat.select(Filters(min_credibility=0.0), s.currency)[:20]]
    pos = pd.unique(np.asarray(pos, dtype=np.int64))
    if not len(pos):
        b.selectbox(s.t("barter.blogger"), [], key="barter_one_empty")
        return cat.frame.iloc[0:0]
    ids = cat.ids[pos].tolist()
    label = {int(i): f"@{h} · {s.t('platform.' + p)}" for i, h, p in
             zip(ids, cat.frame["handle"].iloc[pos], cat.frame["platform"].iloc[pos], strict=True)}
    if ss.get("barter_one") not in label:
        ss["barter_one"] = ids[0]
    choice = b.selectbox(s.t("barter.blogger"), ids, format_func=lambda i: label.get(int(i), str(i)), key="barter_one")
    return cat.frame.iloc[cat.positions([int(choice)])]


def placements(offer: barter.BarterOffer | None, model: BarterBenchmarks) -> tuple[use.BarterOutcome | None, str]:
    """The source's widgets, then its comparison under ``offer`` (planner.app.barter, as `python -m planner
    barter`): None without a valid offer."""
    plan_rows = current_plan()
    shortlist = shortlist_ids()
    camps = campaigns.list_campaigns(eng, access=common.workspace())
    options = ["one"] + (["plan"] if plan_rows is not None else []) + (["shortlist"] if shortlist else []) + (
        ["campaign"] if not camps.empty else [])
    if ss.get("barter_source") not in options or not ss.get("_barter_source_chosen"):
        # until the user picks one: the current plan, else the shortlist, else one blogger
        ss["barter_source"] = next(o for o in ("plan", "shortlist", "one") if o in options)
    counts = {"plan": 0 if plan_rows is None else len(plan_rows), "shortlist": len(shortlist)}
    source = st.radio(s.t("barter.source"), options, horizontal=True, key="barter_source",
                      format_func=lambda o: s.t(f"barter.source_{o}", n=s.number(counts.get(o, 0))),
                      on_change=ss.__setitem__, args=("_barter_source_chosen", True))
    estimates = bool(ss["barter_estimates"])
    if source == "campaign":
        names = dict(zip(camps["id"].tolist(), camps["name"].astype(str), strict=True))
        if ss.get("barter_campaign") not in names:
            ss["barter_campaign"] = next(iter(names))
        cid = st.selectbox(s.t("barter.campaign"), list(names), key="barter_campaign",
                           format_func=lambda i: names.get(i, str(i)))
        if offer is None:
            return None, source
        try:
            return use.of_campaign(eng, int(cid), offer, rates=s.rates, database=cat.frame, assumptions=model,
                                   access=common.workspace()), source
        except use.BarterSourceError as exc:
            st.info(s.error(exc))
            return None, source
    if source == "plan" and plan_rows is not None:
        return (None if offer is None else
                use.of_plan(plan_rows, cat.frame, offer, rates=s.rates, assumptions=model)), source
    frame = cat.frame.iloc[cat.positions(shortlist)] if source == "shortlist" else pick_one()
    if offer is None:
        return None, source
    return use.of_bloggers(frame, offer, rates=s.rates, formats=None if source == "shortlist" else "all",
                           allow_estimated_prices=estimates, assumptions=model), source


# ---- showing a comparison --------------------------------------------------------------------------------------
APPROX = "≈\u00a0"


def pct(x: float) -> str:
    return s.percent(percent(x), 0)


def deal_label(deal: str) -> str:
    return s.t(f"barter.deal.{deal}")


def fee_text(value: float, source: str) -> str:
    return (APPROX if source == "estimate" else "") + s.money(value)


def totals_panel(outcome: use.BarterOutcome) -> None:
    tot, table = outcome.totals, outcome.table
    st.markdown(f"**{s.t('barter.totals')}**")
    m = st.columns(4)
    m[0].metric(s.t("barter.cash_saved"), s.money(tot["cash_saved"]), help=s.t("barter.cash_saved_help"))
    m[1].metric(s.t("barter.units_total"), s.number(tot["units"]))
    m[2].metric(s.t("barter.product_cost_total"), s.money(tot["product_cost"]),
                help=s.t("barter.product_cost_help"))
    m[3].metric(s.t("barter.posts_lost"), APPROX + s.number(tot["expected_posts_lost"], 1),
                help=s.t("barter.posts_lost_help"))
    st.caption(s.t("barter.deals_count", **{d: s.number(n) for d, n in tot["deals"].items()}))
    changed = tot["changed_if_post_rate_lower"]
    if changed:
        st.caption(s.t("barter.sensitivity", n=s.number(changed), total=s.number(len(table))))
    else:
        st.caption(s.t("barter.sensitivity_none"))


def placement_label(handle: str, platform: str, fmt: str) -> str:
    return f"@{handle} · {s.t('platform.' + platform)} · {s.t('format.' + fmt.split('+')[0])}"


def comparison_table(table: pd.DataFrame) -> None:
    st.markdown(f"**{s.t('barter.compare')}**")
    view = table.head(MAX_ROWS_SHOWN)
    cpp = s.t("barter.cost_per_post")
    cols = {
        "who": [placement_label(h, p, f) for h, p, f in zip(view["handle"], view["platform"], view["format"],
                                                              strict=True)],
        "fee": [fee_text(v, src) for v, src in zip(view["fee"], view["fee_source"], strict=True)],
        "rec": [deal_label(d) for d in view["recommendation"]],
        "why": [barter.reason_text(r, s.lang, s.currency) for _, r in view.iterrows()],
        "paid": [fee_text(v, src) for v, src in zip(view["paid_cost_per_post"], view["fee_source"], strict=True)],
        "barter": [APPROX + s.money(v) for v in view["barter_cost_per_post"]],
        "hybrid": [APPROX + s.money(v) for v in view["hybrid_cost_per_post"]],
        "acc": [APPROX + pct(v) for v in view["acceptance"]],
        "rate": [APPROX + pct(v) for v in view["post_rate"]],
        "be": [APPROX + s.money(v) if np.isfinite(v) else "—" for v in view["break_even_retail"]],
        "low": [s.t("barter.same") if d == lo else deal_label(lo)
                for d, lo in zip(view["recommendation"], view["recommendation_low"], strict=True)],
    }
    text = st.column_config.TextColumn
    common.dataframe(st, pd.DataFrame(cols), hide_index=True, height=min(460, 38 + 35 * len(view)), column_config={
        "who": text(s.t("barter.blogger"), width="medium"), "fee": text(s.t("barter.fee")),
        "rec": text(s.t("barter.recommendation")),
        "why": text(s.t("barter.reason"), width="large"),
        "paid": text(f"{cpp}: {deal_label('paid')}"), "barter": text(f"{cpp}: {deal_label('barter')}"),
        "hybrid": text(f"{cpp}: {deal_label('hybrid')}"), "acc": text(s.t("barter.acceptance"), width="small"),
        "rate": text(s.t("barter.post_rate"), width="small"), "be": text(s.t("barter.break_even")),
        "low": text(s.t("barter.if_lower")),
    })
    st.caption(s.t("barter.legend"))


def detail_panel(table: pd.DataFrame, offer: barter.BarterOffer) -> None:
    """One placement in full: the three options, what moved acceptance and post rate, the break-even chart."""
    labels = [placement_label(h, p, f) for h, p, f in zip(table["handle"], table["platform"], table["format"],
                                                          strict=True)]
    # the choice is the placement itself (platform, handle, format), not a row position: after another source or
    # campaign the dropdown and the panel below still name the same placement
    seen: dict[str, int] = {}
    ids = []
    for h, p, f in zip(table["handle"], table["platform"], table["format"], strict=True):
        base = f"{p}|{h}|{f}"
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    label_of = dict(zip(ids, labels, strict=True))
    if len(table) > 1:
        if ss.get("barter_detail") not in label_of:
            ss["barter_detail"] = ids[0]
        chosen = st.selectbox(s.t("barter.detail_for"), ids, format_func=lambda k: label_of.get(k, k),
                              key="barter_detail")
        i = ids.index(chosen) if chosen in label_of else 0
    else:
        i = 0
    row = table.iloc[i]
    st.markdown(f"**{s.t('barter.details', handle=literal(labels[i]))}**")
    opts = barter.options(table.iloc[[i]], offer)
    src = str(row["fee_source"])
    cash = [fee_text(v, src) if d == "paid" else s.money(v) for d, v in zip(opts["deal"], opts["cash"], strict=True)]
    est = [("" if d == "paid" and src != "estimate" else APPROX) for d in opts["deal"]]
    common.dataframe(st, pd.DataFrame({
        s.t("barter.deal"): [deal_label(d) + (" ✓" if r else "") for d, r in zip(opts["deal"], opts["recommended"],
                                                                                   strict=True)],
        s.t("barter.cash"): cash,
        s.t("barter.product"): [s.money(v) for v in opts["product_cost"]],
        s.t("barter.acceptance"): [("" if d == "paid" else APPROX) + pct(v) for d, v in
                                   zip(opts["deal"], opts["acceptance"], strict=True)],
        s.t("barter.post_rate"): [("" if d == "paid" else APPROX) + pct(v) for d, v in
                                  zip(opts["deal"], opts["post_rate"], strict=True)],
        s.t("barter.cost_per_post"): [e + s.money(v) for e, v in zip(est, opts["cost_per_post"], strict=True)],
        s.t("barter.cpm"): [APPROX + s.money(v) for v in opts["cpm"]],
        s.t("barter.cpe"): [APPROX + s.money(v, 2) for v in opts["cpe"]],
        s.t("barter.cpo"): [APPROX + s.money(v) for v in opts["cpo"]],
    }), hide_index=True)
    st.caption(s.t("barter.acc_reasons", pct=pct(row["acceptance"]), hpct=pct(row["hybrid_acceptance"]),
                   reasons=barter.reasons_text(row["acceptance_reasons"], "acc", s.lang, s.currency)))
    st.caption(s.t("barter.rate_reasons", pct=pct(row["post_rate"]), hpct=pct(row["hybrid_post_rate"]),
                   reasons=barter.reasons_text(row["post_rate_reasons"], "rate", s.lang, s.currency)))
    st.markdown(f"**{s.t('barter.chart')}**")
    curve = barter.break_even_curve(row, offer)
    curve["source"] = [(s.t("quoted") if src == "quote" else APPROX + s.t("estimated")) if d == "paid"
                       else APPROX + s.t("estimated") for d in curve["deal"]]
    marks: list[dict[str, Any]] = [{"mark": "offer", "retail": offer.retail_value}]
    if np.isfinite(row["asked_value"]):
        marks.append({"mark": "asked", "retail": float(row["asked_value"]) / offer.units})
    if np.isfinite(row["break_even_retail"]):
        marks.append({"mark": "break_even", "retail": float(row["break_even_retail"])})
    st.altair_chart(common.chart(charts.break_even_chart, curve, pd.DataFrame(marks), s.lang, s.symbol))
    st.caption(s.t("barter.chart_help"))


def skipped_note(skipped: pd.DataFrame) -> None:
    if skipped is None or skipped.empty:
        return
    items = ", ".join(f"@{literal(h)} ({s.t('barter.skip.' + r)})" for h, r in
                      zip(skipped["handle"].head(8), skipped["reason"].head(8), strict=True))
    if len(skipped) > 8:
        items += ", …"
    st.caption(s.t("barter.skipped", n=s.number(len(skipped)), items=items))


# ---- the page ------------------------------------------------------------------------------------------------
try:
    if cat.n == 0:
        st.info(s.t("db.empty"))
    else:
        offer = offer_form()
        model = assumptions()
        outcome, source = placements(offer, model)
        if outcome is not None:
            if outcome.empty:
                st.info(s.t("barter.no_rows"))
            else:
                totals_panel(outcome)
                comparison_table(outcome.table)
                detail_panel(outcome.table, outcome.offer)
            skipped_note(outcome.skipped)
        assumptions_panel(model)
finally:
    common.remember_widgets("_barter_held", HELD)
    common.save_url_state(URL)
