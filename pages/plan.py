"""Plan page: a brief, the optimiser's plan with its proof of quality, the reach–niche frontier,
locks and kick-outs, backups, and saved campaigns."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import streamlit as st

from pages import common
from planner import benchmarks, campaigns, charts, export, optimiser, plan, reach
from planner.catalog import Filters
from planner.models import PLACEMENT_STATUSES
from planner.schema import AGE_BUCKETS, FORMATS, NICHES, PLATFORMS

common.require_router()
s = common.settings()
st.title(s.t("plan.title"))
cat = common.catalog(s)
eng = common.engine()

ss = st.session_state
ss.setdefault("plan_w", 0.5)
ss.setdefault("plan_locks", [])
ss.setdefault("plan_kicks", [])
ss.setdefault("plan_budget", 1_500_000.0 if s.currency == "RUB" else 20_000.0)

tab_plan, tab_saved = st.tabs([s.t("plan.tab_plan"), s.t("plan.tab_saved")])


def source_frame() -> tuple[pd.DataFrame, str]:
    """The bloggers to plan on: the Database page's shortlist, or the whole filtered database."""
    shortlist = ss.get("db_shortlist", [])
    options = ["shortlist", "filtered"] if shortlist else ["filtered"]
    choice = st.radio(
        s.t("plan.source"),
        options,
        horizontal=True,
        key="plan_source",
        format_func=lambda o: s.t(f"plan.source_{o}", n=s.number(len(shortlist))),
    )
    if choice == "shortlist":
        mask = cat.frame["id"].isin(shortlist).to_numpy()
    else:
        f = Filters.from_dict(ss.get("db_filters", {}))
        mask = cat.mask(f, s.currency, ss.get("db_tier_bounds"))
    return cat.frame[mask], choice


def brief_form(frame: pd.DataFrame) -> plan.Brief:
    # the budget is outside the form: changing it re-optimises at once (what-if in a meeting)
    budget_col, _ = st.columns([1, 2])
    budget = budget_col.number_input(
        s.t("plan.budget", sym=s.symbol), min_value=1.0, step=50_000.0, format="%.0f", key="plan_budget",
        help=s.t("plan.budget_help"),
    )
    with st.form("plan_brief"):
        a, b, c = st.columns(3)
        a.caption(s.t("plan.brief_caption"))
        goal = b.selectbox(s.t("plan.goal"), plan.GOALS, format_func=lambda g: s.t(f"goal.{g}"), key="plan_goal")
        niches = c.multiselect(
            s.t("plan.niches"),
            NICHES,
            format_func=lambda n: s.t(f"niche.{n}"),
            key="plan_niches",
            placeholder=s.t("any"),
        )
        a, b, c = st.columns(3)
        countries = a.multiselect(
            s.t("plan.countries"),
            sorted(set(cat.audience_countries) | {"RU"}),
            key="plan_countries",
            placeholder=s.t("any"),
        )
        gender = b.selectbox(
            s.t("plan.gender"),
            [None, "female", "male"],
            key="plan_gender",
            format_func=lambda g: s.t("any") if g is None else s.t(f"gender.{g}"),
        )
        ages = c.multiselect(
            s.t("plan.ages"),
            AGE_BUCKETS,
            format_func=lambda x: s.t(f"age.{x}"),
            key="plan_ages",
            placeholder=s.t("any"),
        )
        a, b, c = st.columns(3)
        platforms = a.multiselect(
            s.t("plan.platforms"),
            PLATFORMS,
            format_func=lambda p: s.t(f"platform.{p}"),
            key="plan_platforms",
            placeholder=s.t("any"),
        )
        formats = b.multiselect(
            s.t("plan.formats"),
            FORMATS,
            format_func=lambda f: s.t(f"format.{f}"),
            key="plan_formats",
            placeholder=s.t("any"),
        )
        keywords = c.text_input(s.t("plan.keywords"), key="plan_keywords")
        with st.expander(s.t("plan.constraints")):
            a, b, c = st.columns(3)
            cred = a.slider(s.t("db.min_credibility"), 0, 100, 75, step=5, key="plan_cred")
            max_share = b.number_input(
                s.t("plan.max_share"), min_value=0, max_value=100, value=0, step=5, key="plan_max_share"
            )
            category = c.selectbox(
                s.t("plan.category"),
                [None, *plan.CATEGORIES],
                key="plan_category",
                format_func=lambda x: s.t("plan.category_none") if x is None else s.t(f"cat.{x}"),
            )
            packages = st.checkbox(s.t("plan.packages"), key="plan_packages")
            st.caption(s.t("plan.platform_bounds"))
            bounds_df = st.data_editor(
                pd.DataFrame(
                    {
                        s.t("db.platform"): [s.t(f"platform.{p}") for p in PLATFORMS],
                        s.t("plan.min_pct"): [None] * len(PLATFORMS),
                        s.t("plan.max_pct"): [None] * len(PLATFORMS),
                    }
                ),
                hide_index=True,
                key="plan_bounds",
                column_config={
                    s.t("db.platform"): st.column_config.TextColumn(disabled=True),
                    s.t("plan.min_pct"): st.column_config.NumberColumn(min_value=0, max_value=100),
                    s.t("plan.max_pct"): st.column_config.NumberColumn(min_value=0, max_value=100),
                },
            )
        st.form_submit_button(s.t("plan.go"), type="primary")
    bounds: dict[str, tuple[float | None, float | None]] = {}
    for p, lo, hi in zip(PLATFORMS, bounds_df[s.t("plan.min_pct")], bounds_df[s.t("plan.max_pct")], strict=True):
        lo_v = None if lo is None or pd.isna(lo) else float(lo) / 100
        hi_v = None if hi is None or pd.isna(hi) else float(hi) / 100
        if lo_v is not None or hi_v is not None:
            bounds[p] = (lo_v, hi_v)
    return plan.Brief(
        budget=float(budget),
        currency=s.currency,
        goal=goal,
        countries=tuple(countries),
        gender=gender,
        ages=tuple(ages),
        niches=tuple(niches),
        keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
        platforms=tuple(platforms),
        formats=tuple(formats) or FORMATS,
        min_credibility=cred / 100,
        max_share=(max_share / 100) if max_share else None,
        platform_bounds=bounds,
        category=category,
        allow_packages=packages,
        must_include=tuple(ss["plan_locks"]),
        must_exclude=tuple(ss["plan_kicks"]),
        reach_weight=float(ss["plan_w"]),
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def _candidates(
    key: str, _frame: pd.DataFrame, brief_json: str, fx: tuple, _pools: dict, _overlaps: pd.DataFrame | None
) -> plan.Candidates:
    return plan.build_candidates(
        _frame, plan.Brief.from_dict(json.loads(brief_json)), fx=dict(fx), pool_sizes=_pools, overlaps=_overlaps
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def _frontier(key: str, _cands: plan.Candidates) -> list[optimiser.Solution]:
    return plan.frontier(_cands)


@st.cache_resource(show_spinner=False, max_entries=32)
def _solution(key: str, w: float, _cands: plan.Candidates) -> optimiser.Solution:
    return optimiser.solve(_cands.problem, w)


@st.cache_resource(show_spinner=False, max_entries=32)
def _backups(key: str, w: float, _frame: pd.DataFrame, _result: plan.PlanResult) -> dict[int, list[int]]:
    return plan.backups(_frame, _result)


def _pick_point() -> None:
    state = ss.get("plan_frontier_chart")
    try:
        picked = state["selection"]["pick"]
    except (KeyError, TypeError):
        return
    if picked:
        ss["plan_w"] = round(float(picked[0]["w"]), 2)


def show_plan(frame: pd.DataFrame, brief: plan.Brief) -> None:
    brief_key = {k: v for k, v in brief.to_dict().items() if k != "reach_weight"}
    ids = frame["id"].to_numpy()
    key = hashlib.sha1(
        (
            json.dumps(brief_key, sort_keys=True, default=str)
            + str(len(ids))
            + hashlib.sha1(ids.tobytes()).hexdigest()
            + str(s.fx)
            + json.dumps(ss.get("plan_pool_overrides", {}), sort_keys=True)
            + str(ss.get("plan_overlaps_key", ""))
        ).encode()
    ).hexdigest()
    try:
        with st.spinner(s.t("plan.optimising")):
            cands = _candidates(
                key,
                frame,
                json.dumps(brief.to_dict(), default=str),
                s.fx,
                ss.get("plan_pool_overrides", {}),
                ss.get("plan_overlaps"),
            )
            points = _frontier(key, cands)
            sol = _solution(key, float(ss["plan_w"]), cands)
    except (plan.BriefError, optimiser.Infeasible) as exc:
        st.error(s.t("plan.infeasible", reason=str(exc)))
        return
    result = plan.describe(cands, sol, brief, frame)
    totals = result.totals
    if result.placements.empty:
        st.warning(s.t("plan.empty", cheapest=s.money(totals["cheapest"])))
        return

    st.slider(s.t("plan.reach_weight"), 0.0, 1.0, step=0.1, key="plan_w", help=s.t("plan.reach_weight_help"))
    m = st.columns(5)
    m[0].metric(
        s.t("plan.cost"),
        s.money(totals["cost"]),
        s.t("plan.of_budget", budget=s.money(brief.budget)),
        delta_color="off",
        delta_arrow="off",
    )
    m[1].metric(s.t("plan.unique_reach"), s.compact(totals["unique_reach"]))
    m[2].metric(
        s.t("plan.impressions"),
        s.compact(totals["impressions"]),
        s.t("plan.frequency", f=s.number(totals["frequency"], 2)),
        delta_color="off",
        delta_arrow="off",
    )
    m[3].metric(s.t("plan.cpm_unique"), s.money(totals["cpm_unique"]))
    m[4].metric(s.t("plan.bloggers"), s.number(totals["bloggers"]))
    status = s.t("plan.status_optimal") if sol.status == "optimal" else s.t("plan.status_gap")
    st.caption(
        s.t(
            "plan.certificate",
            objective=s.number(sol.objective, 4),
            bound=s.number(sol.upper_bound, 4),
            gap=s.number(sol.gap * 100, 3),
            status=status,
            n=s.number(len(cands.frame)),
            sec=s.number(sol.seconds, 2),
        )
    )

    left, right = st.columns([1.1, 1])
    with left:
        st.markdown(f"**{s.t('plan.frontier')}**")
        pts = pd.DataFrame(
            {
                "w": [p.reach_weight for p in points],
                "unique_reach": [p.unique_reach for p in points],
                "niche_value": [p.niche_value for p in points],
                "cost": [p.cost for p in points],
            }
        )
        st.altair_chart(
            charts.frontier_chart(pts, float(ss["plan_w"]), s.lang),
            key="plan_frontier_chart",
            on_select=_pick_point,
            selection_mode="pick",
        )
        st.caption(s.t("plan.frontier_help"))
    with right:
        outcome_panel(totals, brief)

    st.markdown(f"**{s.t('plan.placements')}**")
    rows = result.placements
    table = pd.DataFrame(
        {
            s.t("col.handle"): "@" + rows["handle"],
            s.t("col.platform"): [s.t(f"platform.{p}") for p in rows["platform"]],
            s.t("plan.format"): [" + ".join(s.t(f"format.{f}") for f in x.split("+")) for x in rows["format"]],
            s.t("col.tier"): [s.t(f"tier.{t}") for t in rows["tier"]],
            s.t("plan.cost"): [s.money(v) for v in rows["cost"]],
            s.t("plan.reach"): [s.number(v) for v in rows["reach"]],
            s.t("plan.adds"): [s.number(v) for v in rows["unique_reach_added"]],
            s.t("plan.fit"): [s.number(v, 2) for v in rows["fit"]],
            s.t("plan.cpm_unique"): [s.money(v) for v in rows["cpm_unique"]],
        }
    )
    st.dataframe(table, hide_index=True, height=min(420, 38 + 35 * len(table)))
    locks_and_kicks(rows, frame)

    a, b = st.columns(2)
    by_platform = rows.groupby("platform")["cost"].sum().reset_index()
    by_platform["label"] = [s.t(f"platform.{p}") for p in by_platform["platform"]]
    a.altair_chart(charts.spend_chart(by_platform, s.t("db.platform"), s.lang))
    by_tier = rows.groupby("tier")["cost"].sum().reindex(benchmarks.TIERS).dropna().reset_index()
    by_tier["label"] = [s.t(f"tier.{t}") for t in by_tier["tier"]]
    b.altair_chart(charts.spend_chart(by_tier, s.t("db.tier"), s.lang))
    with st.expander(s.t("plan.overlap")):
        top = rows.head(20)  # the plan's largest placements
        chosen = top["cand"].to_numpy(dtype=np.int64)
        pb = cands.problem
        mat = reach.overlap_matrix(pb.reach[chosen], pb.pool[chosen], pb.pool_size)
        labels = [f"@{h}" for h in top["handle"]]
        st.altair_chart(charts.overlap_heatmap(mat, labels, s.lang))
        st.caption(s.t("plan.overlap_help"))
    with st.expander(s.t("plan.backups")):
        backup = _backups(key, float(ss["plan_w"]), frame, result)
        handle_of = dict(zip(frame["id"].tolist(), frame["handle"].astype(str), strict=True))
        st.dataframe(
            pd.DataFrame(
                {
                    s.t("col.handle"): ["@" + handle_of[i] for i in backup],
                    s.t("plan.backup_1"): ["@" + handle_of[b[0]] if len(b) > 0 else "—" for b in backup.values()],
                    s.t("plan.backup_2"): ["@" + handle_of[b[1]] if len(b) > 1 else "—" for b in backup.values()],
                }
            ),
            hide_index=True,
        )
    with st.expander(s.t("plan.pools")):
        pools_panel(cands, frame)
    save_panel(result)


def pools_panel(cands: plan.Candidates, frame: pd.DataFrame) -> None:
    """The pool-size assumption table (editable) and measured overlaps that override the model."""
    st.caption(s.t("plan.pools_help"))
    names = list(cands.pool_sizes)

    def label(pool: str) -> str:
        niche, _, country = pool.partition("/")
        return f"{s.t('niche.' + niche) if niche in NICHES else niche} / {country}"

    table = pd.DataFrame(
        {
            s.t("plan.pool"): [label(k) for k in names],
            s.t("plan.pool_people"): [round(cands.base_pool_sizes.get(k, 0.0)) for k in names],
            s.t("plan.pool_size"): [round(v) for v in cands.pool_sizes.values()],
        }
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        height=260,
        key="plan_pools_editor",
        disabled=[s.t("plan.pool"), s.t("plan.pool_size")],
        column_config={s.t("plan.pool_people"): st.column_config.NumberColumn(min_value=1, step=1000, format="%d")},
    )
    overrides = dict(ss.get("plan_pool_overrides", {}))
    for name, people, base in zip(names, edited[s.t("plan.pool_people")], table[s.t("plan.pool_people")], strict=True):
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
        if ss.get("plan_overlaps") is not None:
            ss["plan_overlaps"] = None
            ss["plan_overlaps_key"] = ""
            st.rerun()
        return
    marker = f"{up.name}:{up.size}:{hashlib.sha1(up.getvalue()).hexdigest()}"
    if ss.get("plan_overlaps_key") != marker:
        try:
            pairs = plan.read_overlaps(up.getvalue(), up.name, frame)
        except plan.OverlapError as exc:
            st.error(s.t("plan.overlaps_bad", reason=str(exc)))
            return
        ss["plan_overlaps"] = pairs
        ss["plan_overlaps_key"] = marker
        st.rerun()
    st.caption(s.t("plan.overlaps_used", n=s.number(len(ss["plan_overlaps"]))))


def outcome_panel(totals: dict, brief: plan.Brief) -> None:
    st.markdown(f"**{s.t('plan.expected')}**")
    rates = dict(plan.DEFAULT_RATES)
    if brief.goal in ("traffic", "sales", "leads"):
        a, b = st.columns(2)
        rates["ctr"] = a.number_input(s.t("plan.ctr"), 0.0, 100.0, 1.0, step=0.1, key="plan_ctr") / 100
        if brief.goal == "leads":
            rates["lead_rate"] = b.number_input(s.t("plan.lead_rate"), 0.0, 100.0, 5.0, step=0.5, key="plan_lead") / 100
        else:
            rates["conversion"] = (
                b.number_input(s.t("plan.conversion"), 0.0, 100.0, 2.0, step=0.5, key="plan_conv") / 100
            )
    clicks = totals["impressions"] * rates["ctr"]
    lines = [
        (s.t("plan.engagements"), s.number(totals["engagements"])),
        (s.t("plan.gross_reach"), s.number(totals["gross_reach"])),
        (s.t("plan.cpm"), s.money(totals["cpm"])),
        (s.t("plan.niche_value"), s.number(totals["niche_value"])),
    ]
    if brief.goal in ("traffic", "sales", "leads"):
        lines.append((s.t("plan.clicks"), s.number(clicks)))
    if brief.goal == "sales":
        orders = clicks * rates["conversion"]
        lines.append((s.t("plan.orders"), s.number(orders)))
        lines.append((s.t("plan.cpa"), s.money(totals["cost"] / orders if orders else None)))
    if brief.goal == "leads":
        leads = clicks * rates["lead_rate"]
        lines.append((s.t("plan.leads"), s.number(leads)))
        lines.append((s.t("plan.cpl"), s.money(totals["cost"] / leads if leads else None)))
    st.dataframe(pd.DataFrame(lines, columns=[s.t("card.figure"), s.t("card.value")]), hide_index=True)
    if brief.goal in ("traffic", "sales", "leads"):
        st.caption(s.t("plan.rates_help"))


def locks_and_kicks(rows: pd.DataFrame, frame: pd.DataFrame) -> None:
    handle_of = dict(zip(frame["id"].tolist(), frame["handle"].astype(str), strict=True))
    in_plan = rows["id"].drop_duplicates().astype(int).tolist()
    a, b = st.columns(2)
    lock_opts = sorted(set(in_plan) | set(ss["plan_locks"]), key=lambda i: handle_of.get(i, ""))
    a.multiselect(
        s.t("plan.locks"),
        lock_opts,
        format_func=lambda i: "@" + handle_of.get(i, str(i)),
        key="plan_locks",
        placeholder=s.t("plan.none"),
    )
    kick_opts = sorted(set(in_plan) | set(ss["plan_kicks"]), key=lambda i: handle_of.get(i, ""))
    b.multiselect(
        s.t("plan.kicks"),
        kick_opts,
        format_func=lambda i: "@" + handle_of.get(i, str(i)),
        key="plan_kicks",
        placeholder=s.t("plan.none"),
    )


def save_panel(result: plan.PlanResult) -> None:
    with st.form("plan_save"):
        a, b = st.columns([3, 1])
        name = a.text_input(s.t("plan.campaign_name"), key="plan_name")
        saved = b.form_submit_button(s.t("plan.save"))
    if saved:
        if not name.strip():
            st.warning(s.t("plan.name_needed"))
        else:
            cid = campaigns.save_plan(eng, name, result)
            st.success(s.t("plan.saved", name=name.strip(), id=cid))
    a, b = st.columns(2)
    a.download_button(
        s.t("exp.csv"),
        data=lambda: export.plan_frame(result).to_csv(index=False).encode("utf-8-sig"),
        file_name="media_plan.csv",
        mime="text/csv",
        key="plan_dl_csv",
    )


def saved_tab() -> None:
    camps = campaigns.list_campaigns(eng)
    if camps.empty:
        st.info(s.t("plan.no_campaigns"))
        return
    cid = st.selectbox(
        s.t("plan.open"),
        camps["id"].tolist(),
        key="plan_open",
        format_func=lambda i: str(camps.loc[camps["id"] == i, "name"].iloc[0]),
    )
    camp, placements = campaigns.load_campaign(eng, int(cid))
    totals = (camp.brief or {}).get("totals", {})
    m = st.columns(3)
    m[0].metric(s.t("plan.budget", sym=s.symbol), s.money(camp.budget))
    m[1].metric(s.t("plan.unique_reach"), s.compact(totals.get("unique_reach")))
    m[2].metric(s.t("plan.bloggers"), s.number(len(placements)))
    if placements.empty:
        return
    status_label = {k: s.t(f"pstatus.{k}") for k in PLACEMENT_STATUSES}
    label_status = {v: k for k, v in status_label.items()}
    view = pd.DataFrame(
        {
            "id": placements["id"],
            s.t("col.handle"): "@" + placements["handle"],
            s.t("col.platform"): [s.t(f"platform.{p}") for p in placements["platform"]],
            s.t("plan.format"): placements["format"],
            s.t("plan.cost"): [s.money(v) for v in placements["cost"]],
            s.t("plan.reach"): [s.number(v) for v in placements["expected_reach"]],
            s.t("plan.pstatus"): [status_label[x] for x in placements["status"]],
        }
    )
    edited = st.data_editor(
        view,
        hide_index=True,
        disabled=[c for c in view.columns if c != s.t("plan.pstatus")],
        column_config={
            "id": None,
            s.t("plan.pstatus"): st.column_config.SelectboxColumn(options=list(status_label.values()), required=True),
        },
        key=f"plan_status_{cid}",
    )
    if st.button(s.t("plan.delete"), key=f"plan_delete_{cid}"):
        campaigns.delete_campaign(eng, int(cid))
        st.rerun()
    if st.button(s.t("plan.save_status"), key="plan_save_status"):
        changes = {int(i): label_status[v] for i, v in zip(edited["id"], edited[s.t("plan.pstatus")], strict=True)}
        n = campaigns.set_statuses(eng, int(cid), changes)
        st.success(s.t("plan.status_saved", n=n))


with tab_plan:
    if cat.n == 0:
        st.info(s.t("db.empty"))
    else:
        frame, _ = source_frame()
        if frame.empty:
            st.warning(s.t("db.no_match"))
        else:
            brief = brief_form(frame)
            show_plan(frame, brief)
with tab_saved:
    saved_tab()
