"""Results page: a campaign's report against its business goals — goal attainment first, business figures,
likes against business, the funnel, plan against actual, incrementality, the bloggers to book again and to
drop — and the inputs behind it: goals, results per placement (upload or edit), the daily sales series.

UI only: every figure comes from planner.campaigns.report (built once per campaign version and rates, cached),
charts from planner.reporting.charts, the workbook from planner.reporting.results_export."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd
import streamlit as st

from pages import common
from planner import campaigns, ingest
from planner.app import results as use
from planner.campaigns import goals as goals_mod
from planner.campaigns import report as report_mod
from planner.campaigns import results
from planner.core import markdown, units
from planner.core.i18n import error_text
from planner.core.markdown import literal
from planner.core.numbers import finite_or_none
from planner.reporting import charts, results_export
from planner.storage import audit, store
from planner.storage.models import GOAL_TYPES

common.require_router()
s = common.settings()
ss = st.session_state
eng = common.engine()
st.title(s.t("results.title"))


@st.cache_data(ttl=3600, max_entries=32, show_spinner=False)
def cached_report(url: str, campaign_id: int, version: str, fx: tuple[tuple[str, float], ...]) -> report_mod.Report:
    """The report of one campaign version and data version (``version``) under one set of rates."""
    return use.report(eng, campaign_id, rates=dict(fx), access=common.workspace())


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def cached_results_file(url: str, campaign_id: int, version: str, data: bytes, name: str, currency: str,
                        fx: tuple[tuple[str, float], ...]) -> results.ResultsPreview:
    """An uploaded results file read and matched once per file, campaign version and rates, not on every rerun;
    amounts in another currency are converted into the campaign's at the rates used."""
    return use.preview_results(eng, campaign_id, data, name, rates=dict(fx), access=common.workspace())


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def cached_sales_file(data: bytes, name: str) -> results.SalesPreview:
    """An uploaded sales series read once per file, not on every rerun."""
    return use.preview_sales(data, name)


def money(value: Any, ccy: str) -> str:
    v = finite_or_none(value)
    return "—" if v is None else s.money(s.shown(v, ccy))


def number(value: Any, decimals: int = 0) -> str:
    v = finite_or_none(value)
    return "—" if v is None else s.number(v, decimals)


def pct(value: Any, decimals: int = 0) -> str:
    v = finite_or_none(value)
    return "—" if v is None else s.percent(v, decimals)


def src(key: str) -> str:
    return s.t(f"results.src.{key}") if key else ""


ESTIMATES = ("uplifted", "estimated", "benchmark", "forecast")
# a goal's state as its metric's delta colour
STATE_COLORS: dict[str, Literal["green", "red", "gray"]] = {"met": "green", "missed": "red", "unknown": "gray"}


def mark(text: str, source: str) -> str:
    """An estimate's figure carries ≈ (STYLE rule 18), a measured one none."""
    return f"≈ {text}" if source in ESTIMATES and text != "—" else text


def who(handle: str, platform: str) -> str:
    return f"@{handle} · {s.t(f'platform.{platform}')}"


def goal_value(kind: str, value: Any, ccy: str) -> str:
    unit = goals_mod.TARGET_KINDS[kind].unit
    if unit == "money":
        return money(value, ccy)
    if unit == "percent":
        return pct(value)
    if unit == "ratio":
        v = finite_or_none(value)
        return "—" if v is None else f"{s.number(v, 2)}×"
    return number(value)


# ---- the campaign ------------------------------------------------------------------------------------------
# the campaign shown lives in the URL: a reload, a new tab or a colleague's link opens the same report (a campaign
# not in this workspace is not offered, whatever the link says)
URL = {"results_campaign": common.UrlParam("int", None, lo=1, hi=2**31 - 1)}
common.load_url_state(URL, "_url_results")
camps = campaigns.list_campaigns(eng, access=common.workspace())
if camps.empty:
    st.info(s.t("results.no_campaigns"))
    st.stop()
names = dict(zip(camps["id"].astype(int).tolist(), camps["name"].astype(str), strict=True))
if ss.get("results_campaign") not in names:  # first the latest campaign with results: a report to read
    with_results = results.campaigns_with_results(eng, access=common.workspace())
    ss["results_campaign"] = next((i for i in names if i in with_results), next(iter(names)))
cid = int(st.selectbox(s.t("results.campaign"), list(names), key="results_campaign",
                       format_func=lambda i: names.get(i, str(i))))
common.save_url_state(URL)
camp = results.campaign_of(eng, cid, access=common.workspace())
ccy = camp.currency or "RUB"
# what the report reads: the campaign (any write bumps its updated_at) and the workspace's bloggers (their data
# version: an import changes the report's benchmark figures at once, not after the cache's hour)
version = f"{camp.updated_at}|{store.data_version(eng, common.workspace().workspace_id)}"


def report_now() -> report_mod.Report:
    return cached_report(str(eng.url), cid, version, s.fx)


# each tab is drawn only while it is open (a click on another reruns the page): a first open draws the report alone,
# not also the goals' form, the uploaders and their tables (about a quarter of the browser's work on a first open:
# 2.4-2.7 s of its main thread against 3.3-3.7 s with every tab drawn, python -m uibench.page's split)
tab_report, tab_goals, tab_results, tab_sales = st.tabs(
    [s.t("results.tab_report"), s.t("results.tab_goals"), s.t("results.tab_results"), s.t("results.tab_sales")],
    key="results_tab", on_change="rerun")


# ---- the report --------------------------------------------------------------------------------------------
def coverage_line(rep: report_mod.Report) -> None:
    """How much of the campaign the report covers (reported, waiting, pending, did not publish) and, while it
    runs, the whole campaign projected (≈)."""
    c = rep.coverage
    if not c:
        return
    st.markdown(s.t("results.coverage", reported=s.number(c["reported"]), planned=s.number(c["planned"]),
                    published=s.number(c["published_without_results"]), pending=s.number(c["pending"]),
                    not_published=s.number(c["not_published"])))
    pr = rep.projection
    if pr is not None:
        roas = finite_or_none(pr["roas"])
        st.caption(s.t("results.projection", waiting=s.number(pr["waiting"]), cost=money(pr["cost"], ccy),
                       reach=number(pr["reach"]), orders=number(pr["orders"]), revenue=money(pr["revenue"], ccy),
                       roas="—" if roas is None else f"{s.number(roas, 2)}×",
                       romi=pct(pr["romi"]) if rep.goals.margin_pct is not None else "—"))


def goal_cards(rep: report_mod.Report) -> None:
    st.subheader(s.t("results.goal_attainment"))
    if not rep.goal_rows:
        st.info(s.t("results.no_goals"))
        return
    met = sum(1 for r in rep.goal_rows if r["met"] is True)
    st.caption(s.t("results.goals_met", met=s.number(met), n=s.number(len(rep.goal_rows))))
    cols = st.columns(min(4, len(rep.goal_rows)))
    for i, row in enumerate(rep.goal_rows):
        kind = row["kind"]
        sign = "≤" if row["direction"] == "max" else "≥"
        label = f"{s.t(f'goals.kind.{kind}')} {sign} {goal_value(kind, row['target'], ccy)}"
        state = {True: "met", False: "missed", None: "unknown"}[row["met"]]
        cols[i % len(cols)].metric(
            label, mark(goal_value(kind, row["actual"], ccy), row["source"]), delta=s.t(f"results.{state}"),
            delta_color=STATE_COLORS[state], delta_arrow="off", border=True,
            help=s.t("results.source_is", source=src(row["source"])))


def business_figures(rep: report_mod.Report) -> None:
    t, so = rep.totals, rep.sources
    st.subheader(s.t("results.business"))
    uplift = rep.goals.uplift_pct
    if uplift > 0:
        st.caption(s.t("results.uplift_used", uplift=pct(uplift), orders=number(t["orders_measured"]),
                       revenue=money(t["revenue_measured"], ccy)))
    cards = [
        ("results.orders", number(t["orders"]), so["orders"]),
        ("results.revenue", money(t["revenue"], ccy), so["revenue"]),
        ("results.cost", money(t["cost"], ccy), so["cost"]),
        ("results.roas", "—" if finite_or_none(t["roas"]) is None else f"{s.number(t['roas'], 2)}×", so["roas"]),
        ("results.romi", pct(t["romi"]) if rep.goals.margin_pct is not None else s.t("results.needs_margin"),
         so["romi"]),
        ("results.cost_per_order", money(t["cost_per_order"], ccy), so["cost_per_order"]),
    ]
    if finite_or_none(t["leads"]):
        cards += [("results.leads", number(t["leads"]), so["leads"]),
                  ("results.cost_per_lead", money(t["cost_per_lead"], ccy), so["cost_per_lead"])]
    if finite_or_none(t["installs"]):
        cards += [("results.installs", number(t["installs"]), so["installs"])]
    if rep.goals.brand_lift_pp is not None:  # an awareness goal's result: a survey the user entered (measured)
        lift = float(rep.goals.brand_lift_pp)
        cards += [("results.brand_lift", s.t("results.brand_lift_pp", value=s.number(lift, 1),
                                             sign="+" if lift > 0 else ""), "measured")]
    cols = st.columns(4)
    for i, (key, value, source) in enumerate(cards):
        cols[i % 4].metric(s.t(key), mark(value, source), help=s.t("results.source_is", source=src(source)))
    st.caption(s.t("results.cost_split", cash=money(t["cash_cost"], ccy), product=money(t["product_cost"], ccy),
                   source=src(so["cost"])))
    budget = finite_or_none(rep.campaign.get("budget"))
    if budget:
        st.caption(s.t("results.cash_of_budget", cash=money(t["cash_cost"], ccy), budget=money(budget, ccy),
                       product=money(t["product_cost"], ccy)))
    st.caption(s.t(f"results.roi_def.{rep.goals.roi_definition}")
               + (s.t("results.roi_value", value=(f"{s.number(rep.roi, 2)}×" if rep.goals.roi_definition == "roas"
                                                   else pct(rep.roi))) if finite_or_none(rep.roi) is not None else ""))
    emv = finite_or_none(t.get("emv"))
    st.caption(s.t("results.emv", emv=money(emv, ccy)) if emv is not None else s.t("results.emv_none"))


def likes_vs_business(rep: report_mod.Report) -> None:
    st.subheader(s.t("results.likes_vs_business"))
    shares = rep.likes_vs_business()
    if shares.empty:
        st.info(s.t("results.no_results_yet"))
        return
    kinds = {(d["handle"], d["platform"]): d["kind"] for d in rep.disagreements}
    data = pd.DataFrame({  # per cent on the chart's axis
        "label": [who(h, p) + (f" — {s.t('results.dis.' + kinds[(h, p)])}" if (h, p) in kinds else "")
                  for h, p in zip(shares["handle"], shares["platform"], strict=True)],
        "engagement_share": units.percent(shares["engagement_share"].to_numpy(float)),
        "business_share": units.percent(shares["business_share"].to_numpy(float)),
    })
    business_label = s.t(f"results.biz.{rep.business}")
    st.altair_chart(common.chart(charts.likes_vs_business_chart, data, business_label, s.lang), width="stretch")
    for d in rep.disagreements:
        kind = d["kind"] + ("_none" if d["kind"] == "likes_without_sales" and not d["business_share"] else "")
        st.markdown("- " + s.t(f"results.dis_line.{kind}", who=literal(who(d["handle"], d["platform"])),
                              eng=pct(units.percent(d["engagement_share"])),
                              biz=pct(units.percent(d["business_share"])), what=business_label))
    if not rep.disagreements:
        st.caption(s.t("results.no_disagreement"))


def funnel(rep: report_mod.Report) -> None:
    st.subheader(s.t("results.funnel"))
    f = rep.funnel.assign(label=[s.t(f"results.stage.{x}") for x in rep.funnel["stage"]],
                          source=[src(x) for x in rep.funnel["source"]])
    a, b = st.columns([3, 2])
    if f["value"].notna().any():
        a.altair_chart(common.chart(charts.funnel_chart, f, s.lang), width="stretch")
    rev = f[f["stage"] == "revenue"]["value"]
    b.metric(s.t("results.stage.revenue"), money(rev.iloc[0] if len(rev) else None, ccy),
             help=s.t("results.source_is", source=src("measured")))
    b.caption(s.t("results.funnel_note"))
    by = rep.bloggers
    table = pd.DataFrame({
        s.t("col.handle"): [who(h, p) for h, p in zip(by["handle"], by["platform"], strict=True)],
        s.t("results.stage.reach"): [number(v) for v in by["actual_reach"]],
        s.t("results.stage.clicks"): [number(v) for v in by["clicks"]],
        s.t("results.stage.redemptions"): [number(v) for v in by["redemptions"]],
        s.t("results.stage.orders"): [number(v) for v in by["orders_measured"]],
        s.t("results.stage.revenue"): [money(v, ccy) for v in by["revenue_measured"]],
    })
    with st.expander(s.t("results.funnel_by_blogger"), key="results_funnel_box", on_change="rerun") as box:
        if box.open:  # drawn only while open (opening it reruns the page)
            common.dataframe(st, table, hide_index=True, width="stretch")


def refusal_counts(groups) -> None:
    """More refusals or notes than a file's preview lists: every one of them counted, by column and reason."""
    st.caption(s.t("results.cut", n=s.number(results.LISTED)))
    common.dataframe(st, pd.DataFrame({
        s.t("results.col.column"): [g.column for g in groups],
        s.t("results.col.reason"): [results.reason_text(g.code, g.first.params, s.lang) for g in groups],
        s.t("results.col.count"): [s.number(g.count) for g in groups],
        s.t("results.col.first_row"): [g.first.row for g in groups],
        s.t("results.col.what"): [s.t("results.refused") if g.kind == "refused" else s.t("results.note")
                                  for g in groups]}), hide_index=True, width="stretch")


def plan_vs_actual(rep: report_mod.Report) -> None:
    st.subheader(s.t("results.plan_vs_actual"))
    by = rep.bloggers[rep.bloggers["published"].astype(bool) & rep.bloggers["forecast_reach"].notna()]
    if by.empty:
        st.info(s.t("results.no_results_yet"))
        return
    t = rep.totals
    m = st.columns(3)
    for i, (key, fc, ac) in enumerate((("reach", "forecast_reach", "reach"),
                                       ("engagements", "forecast_engagements", "engagements"),
                                       ("orders", "forecast_orders", "orders_measured"))):
        f, a = finite_or_none(t.get(fc)), finite_or_none(t.get(ac))
        err = finite_or_none(units.percent(t.get(f"{key}_error")))
        m[i].metric(s.t(f"results.pva.{key}"), number(a), delta=s.t("results.vs_forecast", forecast=number(f),
                                                                          error=pct(err) if err is not None else "—"),
                    delta_color="off", delta_arrow="off", help=s.t("results.forecast_help"))
    data = pd.DataFrame({"label": [who(h, p) for h, p in zip(by["handle"], by["platform"], strict=True)],
                         "forecast": by["forecast_reach"].to_numpy(float),
                         "actual": by["actual_reach"].fillna(0).to_numpy(float)})
    st.altair_chart(common.chart(charts.plan_vs_actual_chart, data, s.t("results.pva.reach"), s.lang),
                    width="stretch")
    table = pd.DataFrame({
        s.t("col.handle"): data["label"],
        s.t("results.col.reach_fc"): [number(v) for v in by["forecast_reach"]],
        s.t("results.col.reach"): [number(v) for v in by["actual_reach"]],
        s.t("results.col.reach_err"): [pct(units.percent(v)) for v in by["reach_error"]],
        s.t("results.col.orders_fc"): [number(v, 1) for v in by["forecast_orders"]],
        s.t("results.col.orders"): [number(v) for v in by["orders_measured"]],
        s.t("results.col.orders_err"): [pct(units.percent(v)) for v in by["orders_error"]],
    })
    with st.expander(s.t("results.pva_table"), key="results_pva_box", on_change="rerun") as box:
        if box.open:  # drawn only while open (opening it reruns the page)
            common.dataframe(st, table, hide_index=True, width="stretch")
    if not rep.corrections.empty:
        st.markdown("**" + s.t("results.corrections") + "**")
        rows: list[list[object]] = []
        for r in rep.corrections.itertuples():
            is_factor = r.rate.endswith("_factor")
            fmt = (lambda v: f"{s.number(v, 2)}×") if is_factor else (lambda v: pct(units.percent(v), 2))
            rows.append([s.t(f"results.rate.{r.rate}"), fmt(r.current), fmt(r.suggested),
                         s.t("results.basis", n=s.number(r.placements))])
        # a few rows, read not sorted: the page's text, not a data grid (whose scripts a first open would load)
        st.markdown(markdown.table([s.t("results.col.rate"), s.t("results.col.current"),
                                    s.t("results.col.suggested"), s.t("results.col.basis")], rows))
        st.caption(s.t("results.corrections_note"))


def incrementality(rep: report_mod.Report) -> None:
    st.subheader(s.t("results.incrementality"))
    inc = rep.incrementality
    if inc is None:
        if rep.incrementality_error is not None:
            err = rep.incrementality_error
            st.info(s.t(f"results.inc_error.{err.code}", **{k: s.number(v) if isinstance(v, int | float) else v
                                                             for k, v in err.params.items()}))
        else:
            st.info(s.t("results.no_series"))
        return
    unit = rep.attributed.get("unit", "orders")
    fmt = (lambda v: money(v, ccy)) if unit == "revenue" else number
    m = st.columns(4)
    m[0].metric(s.t("results.inc_actual"), fmt(inc.actual), help=s.t("results.source_is", source=src("measured")))
    m[1].metric(s.t("results.inc_baseline"), fmt(inc.baseline), help=s.t("results.source_is", source=src("baseline")))
    m[2].metric(s.t("results.inc_incremental"), fmt(inc.incremental),
                delta=s.t("results.inc_interval", low=fmt(inc.low), high=fmt(inc.high),
                          level=s.number(inc.level * 100)), delta_color="off", delta_arrow="off")
    m[3].metric(s.t("results.inc_attributed"), fmt(rep.attributed.get("measured")),
                delta=s.t("results.inc_uplifted", value=fmt(rep.attributed.get("uplifted"))) if rep.goals.uplift_pct
                else None, delta_color="off", delta_arrow="off", help=s.t("results.source_is", source=src("measured")))
    st.altair_chart(common.chart(charts.incrementality_chart, inc.daily, s.lang), width="stretch")
    st.caption(s.t("results.inc_method", start=inc.window_start.strftime("%d.%m.%Y"),
                   end=inc.window_end.strftime("%d.%m.%Y"), pre=s.number(inc.pre_days),
                   controls=literal(", ".join(inc.control_regions)) or "—", level=s.number(inc.level * 100)))
    st.caption(s.t("results.inc_estimate", name=s.t(f"results.inc_estimator.{inc.estimator}"),
                   why=s.t(f"results.inc_why.{inc.estimator}")))


def verdict_lists(rep: report_mod.Report) -> None:
    st.subheader(s.t("results.rebook_drop"))
    by = rep.bloggers
    a, b = st.columns(2)
    for column, verdict in ((a, "rebook"), (b, "drop")):
        part = by[by["verdict"] == verdict]
        column.markdown(f"**{s.t(f'results.verdict.{verdict}')}** ({s.number(len(part))})")
        if part.empty:
            column.caption(s.t("results.nobody"))
        for r in part.itertuples():
            column.markdown("- " + literal(who(r.handle, r.platform)) + " — " + reason_line(rep, r))
    wait = by[by["verdict"] == "wait"]
    if len(wait):
        st.caption(s.t("results.wait_line", who=literal(", ".join(who(h, p) for h, p in zip(wait["handle"],
                                                                                            wait["platform"],
                                                                                            strict=True)))))
    keep = by[by["verdict"] == "keep"]
    if len(keep):
        st.caption(s.t("results.keep_line", who=literal(", ".join(who(h, p) for h, p in zip(keep["handle"],
                                                                                            keep["platform"],
                                                                                            strict=True)))))


def reason_line(rep: report_mod.Report, r: Any) -> str:
    metric = str(r.verdict_metric)
    value = finite_or_none(r.verdict_value)
    bar = finite_or_none(r.verdict_bar)
    if metric in ("romi", "positive_share"):
        shown, shown_bar = pct(value), pct(bar)
    elif metric == "roas":
        shown, shown_bar = f"{number(value, 2)}×", f"{number(bar, 2)}×"
    else:
        shown, shown_bar = money(value, ccy), money(bar, ccy)
    return s.t(f"results.why.{r.verdict_reason}", metric=s.t(f"results.metric.{metric}"), value=shown, bar=shown_bar,
               cost=money(r.cost, ccy))


def export_button(rep: report_mod.Report) -> None:
    st.download_button(s.t("results.export"), data=lambda: results_export.to_xlsx_bytes(rep),
                       file_name=f"campaign_{cid}_report.xlsx", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="results_dl")


if tab_report.open:
    with tab_report:
        with st.spinner(s.t("results.computing")):
            rep = report_now()
        if not rep.has_results:
            st.info(s.t("results.no_results_yet"))
        coverage_line(rep)
        goal_cards(rep)
        business_figures(rep)
        likes_vs_business(rep)
        funnel(rep)
        plan_vs_actual(rep)
        incrementality(rep)
        verdict_lists(rep)
        st.divider()
        export_button(rep)


# ---- goals -------------------------------------------------------------------------------------------------
def _goal_change_text(changed: Any) -> str:
    """What someone else changed in the goals, in the page's language."""
    names = {"primary": "goals.primary", "margin_pct": "goals.margin", "uplift_pct": "goals.uplift",
             "roi_definition": "goals.roi", "window_start": "goals.window", "window_end": "goals.window",
             "brand_lift_pp": "goals.brand_lift", **{k: f"goals.kind.{k}" for k in goals_mod.TARGET_KINDS}}

    def shown(v: Any) -> str:
        if v is None:
            return "—"
        if isinstance(v, date):
            return v.strftime("%d.%m.%Y")
        return s.number(v, 2) if isinstance(v, float) and v != round(v) else (
            s.number(v) if isinstance(v, int | float) else str(v))
    return "; ".join(f"{s.t(names[k]) if k in names else k}: {shown(a)} → {shown(b)}" for k, a, b in changed)


# the goals as this view last showed them (with their stored version): a save made from them is refused when
# someone saved the goals since (planner.storage.versions), and the form then shows the goals as they are now
GOALS_SEEN = "_results_goals_seen"

if tab_goals.open:
    with tab_goals:
        current = goals_mod.load_goals(eng, cid, access=common.workspace())
        seen_all: dict[int, goals_mod.Goals] = ss.setdefault(GOALS_SEEN, {})
        seen = seen_all.get(cid, current)
        if ss.get("_results_goals_conflict"):
            st.error(ss.pop("_results_goals_conflict"))
        # every field is keyed by the goals' version: after a save elsewhere the form is drawn afresh from the goals as
        # they are (a browser keeps what it showed for a widget of the same key)
        gkey = f"results_goal_{cid}_v{seen.version}"
        may_save = common.allowed(common.PLANNER)  # goals are a planner's to set; a viewer reads them
        with st.form(f"results_goals_{cid}"):
            a, b, c = st.columns(3)
            primary_opts = ["", *GOAL_TYPES]
            primary = a.selectbox(s.t("goals.primary"), primary_opts, index=primary_opts.index(current.primary or ""),
                                  format_func=lambda g: s.t(f"goals.type.{g}") if g else "—", key=f"{gkey}_primary",
                                  disabled=not may_save)
            margin = b.number_input(s.t("goals.margin"), min_value=0.0, max_value=100.0, step=1.0, format="%.0f",
                                    value=current.margin_pct, placeholder="—", key=f"{gkey}_margin",
                                    disabled=not may_save)
            uplift = c.number_input(s.t("goals.uplift"), min_value=0.0, max_value=goals_mod.MAX_UPLIFT_PCT, step=5.0,
                                    format="%.0f", value=float(current.uplift_pct), help=s.t("goals.uplift_help"),
                                    key=f"{gkey}_uplift", disabled=not may_save)
            roi = a.selectbox(s.t("goals.roi"), list(goals_mod.ROI_DEFINITIONS),
                              index=list(goals_mod.ROI_DEFINITIONS).index(current.roi_definition),
                              format_func=lambda d: s.t(f"goals.roi.{d}"), key=f"{gkey}_roi", disabled=not may_save)
            # a range picker: the saved window, else empty (a list, the one range type the widget's stubs share)
            window_value: list[Any] = [current.window_start, current.window_end] if (
                current.window_start and current.window_end) else []
            window = b.date_input(s.t("goals.window"), value=window_value, format="DD.MM.YYYY", key=f"{gkey}_window",
                                  disabled=not may_save)
            lift = c.number_input(s.t("goals.brand_lift"), value=current.brand_lift_pp, step=0.5, placeholder="—",
                                  min_value=-100.0, max_value=100.0, help=s.t("goals.brand_lift_help"),
                                  key=f"{gkey}_lift", disabled=not may_save)
            st.markdown("**" + s.t("goals.targets") + "**")
            tcols = st.columns(3)
            typed: dict[str, float | None] = {}
            for i, kind in enumerate(goals_mod.TARGET_KINDS):
                unit = goals_mod.TARGET_KINDS[kind].unit
                sign = "≤" if goals_mod.TARGET_KINDS[kind].direction == "max" else "≥"
                suffix = {"money": f", {s.symbol}", "percent": ", %", "ratio": ", ×", "count": ""}[unit]
                target = current.target(kind)
                shown = s.shown(target, ccy) if target is not None and unit == "money" else target
                typed[kind] = tcols[i % 3].number_input(f"{s.t(f'goals.kind.{kind}')} {sign}{suffix}", value=shown,
                                                        min_value=None if kind == "romi" else 0.0, placeholder="—",
                                                        key=f"{gkey}_{kind}", disabled=not may_save)
            saved = st.form_submit_button(s.t("goals.save"), type="primary", disabled=not may_save)
        if saved and may_save:
            changes = {k: (None if v is None else float(s.rates.convert(v, s.currency, ccy))
                           if goals_mod.TARGET_KINDS[k].unit == "money" else float(v)) for k, v in typed.items()}
            start, end = ((window[0], window[1]) if isinstance(window, tuple | list) and len(window) == 2
                          else (None, None))
            try:
                new = replace(current.with_targets(changes), primary=primary or None, margin_pct=margin,
                              uplift_pct=float(uplift or 0.0), roi_definition=roi, brand_lift_pp=lift,
                              window_start=start if isinstance(start, date) else None,
                              window_end=end if isinstance(end, date) else None)
                goals_mod.save_goals(eng, cid, new, base=seen, access=common.workspace())
                seen_all.pop(cid, None)
                st.success(s.t("goals.saved"))
                st.rerun()
            except goals_mod.GoalError as exc:
                if exc.code != "stale":
                    st.error(results.error_text(exc, s.lang))
                else:  # someone saved first: nothing of this save was written; show the goals as they are now
                    ss["_results_goals_conflict"] = s.t("goals.error.stale",
                                                        changes=_goal_change_text(exc.params.get("changed", ())))
                    seen_all[cid] = current  # the targets' widgets are keyed by the version: drawn afresh
                    st.rerun()
        elif seen.version != current.version:  # saved elsewhere since this view drew the form: redraw it as it is now
            seen_all[cid] = current
            st.rerun()
        else:
            seen_all[cid] = current


# ---- results per placement: upload or edit -----------------------------------------------------------------
EDIT_FIELDS = ("published_at", "reach", "views", "likes", "comments", "shares", "saves", "clicks",
               "promo_redemptions_online", "promo_redemptions_offline", "orders", "revenue", "leads", "installs",
               "new_followers", "positive_mentions", "negative_mentions", "cash_cost", "product_cost", "link")

def _same_row(a: pd.Series, b: pd.Series) -> bool:
    for f in EDIT_FIELDS:
        x, y = a[f], b[f]
        if (x is None or (isinstance(x, float) and np.isnan(x)) or x is pd.NaT) and \
                (y is None or (isinstance(y, float) and np.isnan(y)) or y is pd.NaT):
            continue
        if f == "published_at":
            x = x.date() if isinstance(x, pd.Timestamp) else x
            y = y.date() if isinstance(y, pd.Timestamp) else y
        if x != y:
            return False
    return True


if tab_results.open:
    with tab_results:
        st.caption(s.t("results.upload_help", ccy=ccy))
        stored = ss.pop(f"_results_stored_{cid}", None)  # what the last store did, said after the page is drawn again
        if stored:
            st.success(stored)
        # a stored file leaves the uploader (a new key): the preview of what is already stored is not offered again
        may_import = common.allowed(common.PLANNER)  # importing and editing results is a planner's; a viewer reads them
        up_key = f"results_up_{cid}_{ss.get(f'_results_up_n_{cid}', 0)}"
        up = common.kept_upload(s.t("results.upload"), up_key, s.lang,
                                type=["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"], disabled=not may_import)
        if up is not None and may_import:
            try:
                pv = cached_results_file(str(eng.url), cid, version, up.data, up.name, ccy, s.fx)
            except (results.ResultsFileError, ingest.UnreadableFile) as exc:
                st.error(s.t("results.unreadable", name=literal(up.name),
                             reason=literal(results.error_text(exc, s.lang))))
            else:
                st.markdown(s.t("results.preview_line", rows=s.number(pv.rows_read), matched=s.number(pv.matched),
                                unmatched=s.number(pv.totals["unmatched"]),
                                refused=s.number(pv.totals["refused_rows"])))
                mapped = {h: f for h, f in pv.mapping.items() if f}
                st.caption(s.t("results.mapping", cols="; ".join(f"«{literal(h)}» → {s.t(f'results.field.{f}')}"
                                                                  for h, f in mapped.items())))
                if pv.unmatched:
                    st.warning(s.t("results.unmatched_title"))
                    common.dataframe(st, pd.DataFrame({s.t("results.col.row"): [u["row"] for u in pv.unmatched],
                                               s.t("col.handle"): ["@" + str(u["handle"]) for u in pv.unmatched],
                                               s.t("col.platform"): [
                                                   s.t(f"platform.{u['platform']}") if u.get("platform") else "—"
                                                   for u in pv.unmatched]}),
                                 hide_index=True)
                issues = [*pv.rejected, *pv.notes]
                if issues:
                    common.dataframe(st, pd.DataFrame({
                        s.t("results.col.row"): [i.row for i in issues],
                        s.t("results.col.column"): [i.column for i in issues],
                        s.t("results.col.reason"): [results.reason_text(i.code, i.params, s.lang) for i in issues],
                        s.t("results.col.what"): [s.t("results.refused") if i in pv.rejected else s.t("results.note")
                                                  for i in issues]}), hide_index=True, width="stretch")
                if pv.cut:
                    refusal_counts(pv.groups)
                if pv.matched and st.button(s.t("results.apply", n=s.number(pv.matched)), type="primary",
                                            key=f"results_apply_{cid}"):
                    done = use.import_results(eng, cid, pv, source=f"import:{up.name}", access=common.workspace())
                    ss[f"_results_stored_{cid}"] = s.t("results.applied", inserted=s.number(done.inserted),
                                                       updated=s.number(done.updated))
                    common.forget_upload(up_key)
                    ss[f"_results_up_n_{cid}"] = int(ss.get(f"_results_up_n_{cid}", 0)) + 1
                    st.rerun()
        st.markdown("**" + s.t("results.edit_title") + "**")
        frame = results.load_results(eng, cid, access=common.workspace())
        # the results version this table was drawn from: an edit saved from it is refused when someone saved since
        rseen_key, rnow = f"_results_seen_{cid}", results.results_version(eng, cid, access=common.workspace())
        if ss.get(rseen_key) != rnow and not ss.get(f"results_save_{cid}"):
            ss.pop(f"results_edit_{cid}", None)  # saved elsewhere (or first drawn): the table as it is now
            ss[rseen_key] = rnow
        if ss.get("_results_stale"):
            st.error(ss.pop("_results_stale"))
        view = pd.DataFrame({"placement_id": frame["placement_id"],
                             "who": [who(h, p) for h, p in zip(frame["handle"], frame["platform"], strict=True)]})
        for f in EDIT_FIELDS:
            view[f] = frame[f]
        view["published_at"] = pd.to_datetime(view["published_at"], errors="coerce")
        config: dict[str, Any] = {"placement_id": None,
                                  "who": st.column_config.TextColumn(s.t("col.handle"), disabled=True)}
        for f in EDIT_FIELDS:
            label = s.t(f"results.field.{f}") + (f", {ccy}" if f in results.MONEY_FIELDS else "")
            if f == "published_at":
                config[f] = st.column_config.DateColumn(label, format="DD.MM.YYYY")
            elif f == "link":
                config[f] = st.column_config.LinkColumn(label)
            else:
                config[f] = st.column_config.NumberColumn(label, min_value=0.0, format="%.0f")
        edited = common.data_editor(st, view, hide_index=True, column_config=config, key=f"results_edit_{cid}",
                                width="stretch", num_rows="fixed", disabled=not may_import)
        if st.button(s.t("results.save_table"), key=f"results_save_{cid}", disabled=not may_import) and may_import:
            out = edited.drop(columns=["who"]).copy()
            out["published_at"] = [d.date() if isinstance(d, pd.Timestamp) and not pd.isna(d) else
                                   (d if isinstance(d, date) else None) for d in out["published_at"]]
            changed = [i for i in range(len(out)) if not _same_row(out.iloc[i], view.iloc[i])]
            if changed:
                try:
                    ins, upd = results.write_results(eng, cid, out.iloc[changed], columns=list(EDIT_FIELDS),
                                                     source="edit", expected_version=ss.get(rseen_key, rnow),
                                                     access=common.workspace())
                except campaigns.StaleEdit as exc:
                    ss["_results_stale"] = error_text(exc, s.lang)
                    ss.pop(f"results_edit_{cid}", None)
                    ss[rseen_key] = rnow
                    st.rerun()
                else:
                    ss.pop(rseen_key, None)
                    st.success(s.t("results.applied", inserted=s.number(ins), updated=s.number(upd)))
                    st.rerun()
            else:
                st.info(s.t("results.nothing_changed"))


# ---- the daily sales series --------------------------------------------------------------------------------
if tab_sales.open:
    with tab_sales:
        st.caption(s.t("results.sales_help"))
        may_store = common.allowed(common.PLANNER)  # a sales series is a planner's to store; a viewer reads it
        sup = common.kept_upload(s.t("results.sales_upload"), f"results_sales_up_{cid}", s.lang,
                                 type=["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"], disabled=not may_store)
        if sup is not None and may_store:
            try:
                sp = cached_sales_file(sup.data, sup.name)
            except (results.ResultsFileError, ingest.UnreadableFile) as exc:
                st.error(s.t("results.unreadable", name=literal(sup.name),
                             reason=literal(results.error_text(exc, s.lang))))
            else:
                facts = use.sales_facts(sp)
                st.markdown(s.t("results.sales_preview", days=s.number(facts["days"]),
                                start=facts["first_day"].strftime("%d.%m.%Y"),
                                end=facts["last_day"].strftime("%d.%m.%Y"), unit=s.t(f"results.unit.{sp.unit}"),
                                controls=literal(", ".join(facts["controls"])) or "—",
                                refused=s.number(sp.totals["refused_rows"])))
                if sp.rejected:
                    common.dataframe(st, pd.DataFrame({s.t("results.col.row"): [i.row for i in sp.rejected],
                                               s.t("results.col.column"): [i.column for i in sp.rejected],
                                               s.t("results.col.reason"): [results.reason_text(i.code, i.params, s.lang)
                                                                           for i in sp.rejected]}), hide_index=True)
                if sp.cut:
                    refusal_counts(sp.groups)
                if st.button(s.t("results.sales_store"), type="primary", key=f"results_sales_store_{cid}"):
                    stored = use.store_sales(eng, cid, sp, access=common.workspace())
                    st.success(s.t("results.sales_stored", n=s.number(stored.stored)))
                    st.rerun()
        series = results.load_sales(eng, cid, access=common.workspace())
        if series.empty:
            st.info(s.t("results.no_series"))
        else:
            summary = use.series_summary(series)
            common.dataframe(st, pd.DataFrame({
                s.t("results.col.region"): [r or "—" for r in summary["region"]],
                s.t("results.col.control"): [s.t("results.yes") if c else s.t("results.no")
                                             for c in summary["control"]],
                s.t("results.col.days"): [s.number(v) for v in summary["days"]],
                s.t("results.col.period"): [f"{a.strftime('%d.%m.%Y')} – {b.strftime('%d.%m.%Y')}"
                                            for a, b in zip(summary["first"], summary["last"], strict=True)],
                s.t("results.col.total"): [s.number(v) for v in summary["total"]]}), hide_index=True, width="stretch")


# ---- the campaign's history (planner.storage.audit, as `python -m planner audit --campaign ID`) ---------------
with st.expander(s.t("audit.history"), key="results_history_box", on_change="rerun") as _history:
    if _history.open:  # read and drawn only while open (opening it reruns the page)
        trail = audit.trail(eng, access=common.workspace(), campaign_id=cid, limit=200)
        if trail.empty:
            st.caption(s.t("audit.none"))
        else:
            common.dataframe(st, pd.DataFrame({
                s.t("audit.col.when"): [at.strftime("%d.%m.%Y %H:%M") for at in trail["at"]],
                s.t("audit.col.who"): list(trail["user"]),
                s.t("audit.col.what"): [s.t(f"audit.{a}.{o}") for a, o in zip(trail["action"], trail["object"],
                                                                              strict=True)]}),
                hide_index=True, width="stretch")
