"""Database page: filter the blogger database, look at a blogger's card, build a shortlist,
import a list, export the filtered bloggers."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from pages import common
from planner import ingest
from planner.app import bloggers as use
from planner.core import schema
from planner.core.i18n import reason, tn
from planner.core.markdown import literal
from planner.core.money import round_estimate
from planner.core.schema import AGE_BUCKETS, FIELD_NAMES, FLAGS, FORMATS, NICHES, PLATFORMS
from planner.core.units import fraction, percent
from planner.estimates import benchmarks, metrics
from planner.estimates.benchmarks import FRAUD_THRESHOLD
from planner.estimates.catalog import SORT_KEYS, Catalog, Filters
from planner.reporting import export
from planner.storage import store

PAGE_SIZE = 100
TURN_WAIT_S = 5.0  # the longest a view waits for its turn (turn())
SORT_LABELS = {
    "followers": "col.followers",
    "engagement_rate": "col.er",
    "credibility": "col.credibility",
    "reach_post": "col.reach_post",
    "price_main": "col.price_main",
    "cpm_main": "col.cpm_main",
}
URL = {
    "platform": common.UrlParam("list", [], PLATFORMS),
    "niche": common.UrlParam("list", [], NICHES),
    "tier": common.UrlParam("list", [], benchmarks.TIERS),
    "q": common.UrlParam("str", ""),
    # numbers are clamped to what their widgets accept (a crafted link never breaks the page)
    "fmin": common.UrlParam("int", lo=0, hi=schema.FIELD_BY_NAME["followers"].high),
    "fmax": common.UrlParam("int", lo=0, hi=schema.FIELD_BY_NAME["followers"].high),
    "ermin": common.UrlParam("float", lo=0.0, hi=100.0),
    "ermax": common.UrlParam("float", lo=0.0, hi=100.0),
    "cred": common.UrlParam("int", round(percent(FRAUD_THRESHOLD)), lo=0, hi=100),  # per cent on the page
    "cred_unknown": common.UrlParam("bool", False),
    "country": common.UrlParam("list", []),
    "acountry": common.UrlParam("str", max_length=3),
    "acountry_min": common.UrlParam("int", 0, lo=0, hi=100),
    "gender": common.UrlParam("str", None, ("female", "male")),
    "gender_min": common.UrlParam("int", 0, lo=0, hi=100),
    "age": common.UrlParam("str", None, AGE_BUCKETS),
    "age_min": common.UrlParam("int", 0, lo=0, hi=100),
    "pformat": common.UrlParam("str", "post", FORMATS),
    "pmin": common.UrlParam("float", lo=0.0, hi=schema.FIELD_BY_NAME["price_post"].high),
    "pmax": common.UrlParam("float", lo=0.0, hi=schema.FIELD_BY_NAME["price_post"].high),
    "barter": common.UrlParam("bool", False),
    "exclude": common.UrlParam("list", [], FLAGS),
    "sort": common.UrlParam("str", "followers", SORT_KEYS),
}

SHORT_PARAM = "short"  # the shortlist in the URL: ?short=12,57 (blogger ids)
# the catalog's columns the table shows (display_rows)
TABLE_COLUMNS = ("handle", "platform", "followers", "engagement_rate", "engagement_rate_estimated", "credibility",
                 "credibility_estimated", "reach_post", "reach_post_estimated", "niches", "country", "name",
                 "accepts_barter")

common.require_router()
s = common.settings()
st.title(s.t("db.title"))

cat = common.catalog(s)
total = cat.n
# the badge says the whole list is synthetic; once the user's own bloggers are in, the sample left is counted
if cat.n_sample and cat.n_sample == total:
    st.badge(s.t("db.sample_badge"), icon=":material/science:", color="orange")



def count(key: str, n: int, **kwargs: object) -> str:
    """A text with a count in it, in the plural form the count takes in the page's language."""
    return tn(key, n, s.lang, n=s.number(n), **kwargs)


def missing(value: object) -> bool:
    """None, NaN, NA and NaT alike (a card field may be any of them on an imported blogger)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is a value
        return False


def clean(value: object) -> object:
    return None if missing(value) else value


def money_shown(value: object, estimated: bool) -> str:
    """An amount in the display currency; an estimate is rounded to the precision it has and marked ≈."""
    if missing(value):
        return "—"
    v = float(value)  # type: ignore[arg-type]
    return f"≈ {s.money(round_estimate(v))}" if estimated else s.money(v)


# ---- the shortlist: in the session for the Plan page, mirrored in the URL so that a reload keeps it ------
def load_shortlist(cat: Catalog) -> list[int]:
    """Once per session, seed the shortlist from ``?short=`` (ids not in the database are dropped)."""
    if not st.session_state.get("_url_db_short"):
        st.session_state["_url_db_short"] = True
        raw = st.query_params.get(SHORT_PARAM)
        if raw and not st.session_state.get(common.SHORTLIST):
            ids = []
            for part in raw.split(","):
                try:
                    ids.append(int(part))
                except ValueError:
                    continue
            known = cat.ids[cat.positions(list(dict.fromkeys(ids)))]
            st.session_state[common.SHORTLIST] = [int(i) for i in known]
    return st.session_state.setdefault(common.SHORTLIST, [])


def save_shortlist() -> None:
    ids = st.session_state.get(common.SHORTLIST) or []
    value = ",".join(str(int(i)) for i in ids)
    if not value:
        if SHORT_PARAM in st.query_params:
            del st.query_params[SHORT_PARAM]
    elif st.query_params.get(SHORT_PARAM) != value:
        st.query_params[SHORT_PARAM] = value


if cat.n_sample and cat.n_sample < total:
    st.caption(":material/science: " + count("db.sample_mixed", cat.n_sample))
load_shortlist(cat)
tab_browse, tab_import, tab_export = st.tabs([s.t("db.tab_browse"), s.t("db.tab_import"), s.t("db.tab_export")])


# ---- filters (mirrored in the URL, so a filtered view can be shared) -----------------------------
def share(value: float) -> float:
    """A slider's per cent as the fraction the filters take (planner.core.units: per cent only on the page)."""
    return fraction(value, in_percent=True) or 0.0


def value_kw(key: str, default: object) -> dict[str, Any]:
    """Pass a widget's default only when its state is not already set (from the URL or a click)."""
    return {} if key in st.session_state else {"value": default}


def read_filters(cat: Catalog) -> tuple[Filters, tuple[int, ...]]:
    common.load_url_state(URL, "_url_database")
    st.session_state.setdefault("cred", round(percent(FRAUD_THRESHOLD)))
    known = set(cat.country_values.tolist())
    st.session_state["country"] = [c for c in st.session_state.get("country", []) if c in known]
    if st.session_state.get("acountry") not in (None, *cat.audience_countries):
        st.session_state["acountry"] = None
    c1, c2, c3, c4 = st.columns([1.2, 1.4, 1.2, 1.4])
    platforms = common.multiselect(c1, s.t("db.platform"),
        PLATFORMS,
        format_func=lambda p: s.t(f"platform.{p}"),
        key="platform",
        placeholder=s.t("any"),
    )
    niches = common.multiselect(
        c2, s.t("db.niche"), NICHES, format_func=lambda n: s.t(f"niche.{n}"), key="niche", placeholder=s.t("any")
    )
    tiers = common.multiselect(
        c3, s.t("db.tier"), benchmarks.TIERS, format_func=lambda x: s.t(f"tier.{x}"), key="tier", placeholder=s.t("any")
    )
    search = c4.text_input(s.t("db.search"), key="q")
    with st.expander(s.t("db.more_filters")):
        a, b, c, d = st.columns(4)
        fmin = a.number_input(s.t("db.followers_min"), min_value=0, step=1000, key="fmin", **value_kw("fmin", None))
        fmax = a.number_input(s.t("db.followers_max"), min_value=0, step=1000, key="fmax", **value_kw("fmax", None))
        ermin = b.number_input(
            s.t("db.er_min"), min_value=0.0, max_value=100.0, step=0.5, key="ermin", **value_kw("ermin", None)
        )
        ermax = b.number_input(
            s.t("db.er_max"), min_value=0.0, max_value=100.0, step=0.5, key="ermax", **value_kw("ermax", None)
        )
        cred = c.slider(s.t("db.min_credibility"), 0, 100, key="cred", step=5)
        cred_unknown = c.checkbox(s.t("db.cred_unknown"), key="cred_unknown", help=s.t("db.cred_unknown_help"))
        countries = common.multiselect(d, s.t("db.country"),
            list(cat.country_values[cat.country_values != ""]),
            format_func=lambda c: ingest.country_name(c, s.lang),
            key="country",
            placeholder=s.t("any"),
        )
        a, b, c = st.columns(3)
        aud_country, aud_country_min = share_filter(
            a, "acountry", "db.aud_country", "db.aud_country_min", sorted(cat.audience_countries),
            lambda c: ingest.country_name(c, s.lang)
        )
        gender, gender_min = share_filter(
            b, "gender", "db.aud_gender", "db.aud_gender_min", ["female", "male"], lambda x: s.t(f"gender.{x}")
        )
        age, age_min = share_filter(c, "age", "db.aud_age", "db.aud_age_min", AGE_BUCKETS, lambda x: s.t(f"age.{x}"))
        a, b, c = st.columns(3)
        money_fmt = common.money_format(s.currency)
        price_format = a.selectbox(
            s.t("db.price_format"), FORMATS, format_func=lambda f: s.t(f"format.{f}"), key="pformat"
        )
        pmin = b.number_input(
            s.t("db.price_min", sym=s.symbol), min_value=0.0, step=1000.0, key="pmin", format=money_fmt,
            **value_kw("pmin", None)
        )
        pmax = c.number_input(
            s.t("db.price_max", sym=s.symbol), min_value=0.0, step=1000.0, key="pmax", format=money_fmt,
            **value_kw("pmax", None)
        )
        a, b = st.columns([1, 3])
        barter = a.checkbox(s.t("db.barter_only"), key="barter")
        exclude = common.multiselect(
            b, s.t("db.exclude"), FLAGS, format_func=lambda f: s.t(f"flag.{f}"), key="exclude", placeholder=s.t("any")
        )
        bounds = tier_bounds_inputs()
    f = Filters(
        platforms=tuple(platforms),
        niches=tuple(niches),
        tiers=tuple(tiers),
        countries=tuple(countries),
        followers_min=fmin,
        followers_max=fmax,
        er_min=ermin,
        er_max=ermax,
        min_credibility=share(cred),
        include_unknown_credibility=bool(cred_unknown),
        audience_country=aud_country,
        audience_country_min=share(aud_country_min),
        audience_gender=gender,
        audience_gender_min=share(gender_min),
        audience_age=age,
        audience_age_min=share(age_min),
        price_format=price_format,
        price_min=pmin,
        price_max=pmax,
        barter_only=barter,
        exclude_flags=tuple(exclude),
        search=search or "",
    )
    return f, bounds


def share_filter(col, key: str, label: str, min_label: str, options, fmt) -> tuple[str | None, int]:
    """An audience filter: which group (country, gender, age) and its minimum share in percent."""
    choice = col.selectbox(
        s.t(label), [None, *options], format_func=lambda x: s.t("any") if x is None else fmt(x), key=key
    )
    share = col.slider(
        s.t(min_label), 0, 100, step=5, key=f"{key}_min", **value_kw(f"{key}_min", 0), disabled=choice is None
    )
    return choice, share


def tier_bounds_inputs() -> tuple[int, ...]:
    defaults = benchmarks.DEFAULT_TIER_BOUNDS
    for i, b in enumerate(defaults):
        st.session_state.setdefault(f"db_tb{i}", int(b))
    cols = st.columns(len(defaults))
    values = [
        cols[i].number_input(s.t("db.tier_bound_n", n=i + 1), min_value=1, step=1000, key=f"db_tb{i}")
        for i in range(len(defaults))
    ]
    bounds = tuple(int(v) for v in values)
    if list(bounds) != sorted(set(bounds)):
        bounds = tuple(int(b) for b in defaults)
    st.caption(
        s.t(
            "db.tier_bounds",
            b0=s.compact(bounds[0]),
            b1=s.compact(bounds[1]),
            b2=s.compact(bounds[2]),
            b3=s.compact(bounds[3]),
        )
    )
    return bounds


# ---- table --------------------------------------------------------------------------------------
def display_rows(cat: Catalog, idx: np.ndarray, tiers: np.ndarray) -> pd.DataFrame:
    """The table's rows: price, CPM and risks come right after the blogger's identity (visible at 1440 px)."""
    df = cat.rows(idx, TABLE_COLUMNS)  # only the columns shown
    price = cat.amounts("price_main", s.currency, s.rates, idx)  # each row's own currency at the user's rates
    price_est = cat.price_main_estimated[idx]
    main_fmt = cat.main_format[idx]
    cpm_main = cat.amounts("cpm_main", s.currency, s.rates, idx)
    cpm_est = cat.cpm_main_estimated[idx]

    def mark(value: str, est: bool) -> str:
        return f"≈ {value}" if est and value != "—" else value

    def marked(col: str, fmt) -> list[str]:
        return [mark(fmt(v), bool(e)) for v, e in zip(df[col], df[f"{col}_estimated"], strict=True)]

    flags = [", ".join(s.t(f"flag.{f}") for f in FLAGS if cat.flags[f][i]) for i in idx]
    out = pd.DataFrame(
        {
            s.t("col.handle"): "@" + df["handle"].astype(str),
            s.t("col.platform"): [s.t(f"platform.{p}") for p in df["platform"]],
            s.t("col.followers"): [s.compact(v) for v in df["followers"]],
            s.t("col.price_main"): [money_shown(v, bool(e)) for v, e in zip(price, price_est, strict=True)],
            s.t("col.main_format"): [s.t(f"format.{f}") for f in main_fmt],
            s.t("col.cpm_main"): [money_shown(v, bool(e)) for v, e in zip(cpm_main, cpm_est, strict=True)],
            s.t("col.flags"): flags,
            s.t("col.tier"): [s.t(f"tier.{benchmarks.TIERS[c]}") if c >= 0 else "—" for c in tiers[idx]],
            s.t("col.er"): marked("engagement_rate", lambda v: s.number(v, 2)),
            s.t("col.credibility"): marked("credibility", lambda v: s.number(percent(v), 0)),
            s.t("col.reach_post"): marked("reach_post", s.compact),
            s.t("col.niches"): [
                ", ".join(s.t(f"niche.{n}") if n in NICHES else n for n in str(v).split(";") if n)
                for v in df["niches"].astype("string").fillna("")
            ],
            s.t("col.country"): [ingest.country_name(c, s.lang) for c in df["country"].astype("string").fillna("")],
            s.t("col.name"): df["name"].astype("string").fillna(""),
            s.t("col.barter"): [
                s.t("yes") if v is True else (s.t("no") if v is False else "—")
                for v in df["accepts_barter"].astype(object)
            ],
        }
    )
    return out


def column_widths() -> dict[str, Any]:
    """Narrow identity columns so that price, CPM and risks fit beside them at 1440 px."""
    small = {"col.platform": 90, "col.followers": 85, "col.main_format": 110, "col.price_main": 115,
             "col.cpm_main": 95, "col.flags": 190, "col.tier": 80, "col.er": 65, "col.credibility": 90}
    cfg: dict[str, Any] = {s.t(k): st.column_config.TextColumn(width=w) for k, w in small.items()}
    cfg[s.t("col.handle")] = st.column_config.TextColumn(width=160)
    return cfg


def browse(cat: Catalog) -> np.ndarray | None:
    """The Browse tab; returns the filtered, sorted row positions (None for an empty database)."""
    if total == 0:
        st.info(s.t("db.empty"))
        may_load = common.allowed(common.PLANNER)  # loading the sample writes bloggers: a planner's
        if st.button(s.t("db.load_sample"), key="db_load_sample", disabled=not may_load) and may_load:
            from planner.storage import db
            db.ensure_sample(common.engine(), workspace_id=common.workspace().workspace_id)  # this workspace's
            st.rerun()
        return None
    f, bounds = read_filters(cat)
    st.session_state[common.DB_FILTERS] = f.to_dict()
    st.session_state[common.TIER_BOUNDS] = list(bounds)
    c_sort, c_desc = st.columns([3, 1])
    sort = c_sort.selectbox(s.t("db.sort"), SORT_KEYS, format_func=lambda k: s.t(SORT_LABELS[k]), key="sort")
    desc = c_desc.toggle(s.t("db.descending"), value=True, key="db_desc")
    common.save_url_state(URL)
    idx = cat.select(f, s.currency, sort=sort, descending=desc, tier_bounds=bounds, rates=s.rates)
    tiers = cat.tiers(bounds)
    n = len(idx)

    view = cat.summary(f, s.currency, tier_bounds=bounds, rates=s.rates)  # computed once per view and rates
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(
        s.t("db.matching"), s.number(n), s.t("db.of_total", total=s.number(total)), delta_color="off", delta_arrow="off"
    )
    credibility_chip(m1, f, view["hidden_by_credibility"], view["hidden_unknown_credibility"])
    m2.metric(s.t("db.median_er"), s.percent(view["median_er"], 2))
    cpm = view["median_cpm_rub"]
    m3.metric(s.t("db.median_cpm"), s.money(None if cpm is None else float(s.shown(cpm))))
    m4.metric(s.t("db.total_reach"), s.compact(view["total_reach"]), help=s.t("db.total_reach_help"))
    if n == 0:
        st.warning(s.t("db.no_match"))
        return idx

    pages = max(1, -(-n // PAGE_SIZE))
    page = st.session_state.get("db_page", 1)
    page = min(max(1, int(page or 1)), pages)
    start = (page - 1) * PAGE_SIZE
    page_idx = idx[start : start + PAGE_SIZE]
    table = display_rows(cat, page_idx, tiers)
    st.caption(
        s.t("db.rows_shown", start=s.number(start + 1), end=s.number(start + len(page_idx)), total=s.number(n))
        + " · "
        + s.t("db.estimated_legend")
    )
    event = common.dataframe(st, 
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="multi-row",
        key=f"db_table_{page}",
        height=420,
        column_config=column_widths(),
    )
    if pages > 1:
        st.pagination(pages, default=page, key="db_page", max_visible_pages=7)
    chosen = [int(cat.ids[page_idx[r]]) for r in event.selection.rows] if event else []

    shortlist_panel(cat, chosen, page_idx)
    save_shortlist()
    if chosen:
        card(cat, chosen[-1], tiers)
    else:
        st.caption(s.t("db.select_hint"))
    # the charts are drawn only while the expander is open (it reruns the page when opened): two charts cost a
    # render about 40 ms of the server, mostly Altair's validation
    with st.expander(s.t("db.matching") + ": " + s.t("db.platform") + " / " + s.t("db.tier"), key="db_facets",
                     on_change="rerun") as facets_box:
        if facets_box.open:
            from planner.reporting import charts  # Altair: imported when a chart is first drawn, not on a first visit

            facets = view["facets"]
            a, b = st.columns(2)
            a.altair_chart(common.chart(charts.facet_chart, facets["platform"], s.t("db.platform"), s.lang,
                                        "platform"))
            b.altair_chart(common.chart(charts.facet_chart, facets["tier"], s.t("db.tier"), s.lang, "tier"))
    return idx


def clear_credibility() -> None:
    st.session_state["cred"] = 0


def include_unknown_credibility() -> None:
    st.session_state["cred_unknown"] = True


def credibility_chip(col, f: Filters, hidden: int, unknown: int = 0) -> None:
    """The credibility filter, shown beside the count whenever it is on (it hides bloggers by default)."""
    pct = round(percent(f.min_credibility))
    if pct <= 0:
        return
    key = "db.cred_default" if pct == round(percent(FRAUD_THRESHOLD)) else "db.cred_set"
    col.caption(s.t(key, pct=pct) + " · " + count("db.cred_hidden", hidden))
    col.button(s.t("db.cred_clear"), key="db_cred_clear", on_click=clear_credibility, type="tertiary",
               icon=":material/filter_alt_off:")
    if unknown:  # bloggers without credibility data: left out unless the user includes them, and told so
        col.button(count("db.cred_include_short", unknown), key="db_cred_unknown_on",
                   on_click=include_unknown_credibility, type="tertiary", icon=":material/help:",
                   help=count("db.cred_include_unknown", unknown) + " " + s.t("db.cred_unknown_help"))


def shortlist_panel(cat: Catalog, chosen: list[int], page_idx: np.ndarray) -> None:
    shortlist: list[int] = st.session_state.setdefault(common.SHORTLIST, [])
    with st.container(horizontal=True, vertical_alignment="center"):
        if st.button(s.t("sl.add_selected"), disabled=not chosen, key="db_sl_add"):
            shortlist.extend(i for i in chosen if i not in shortlist)
        if st.button(s.t("sl.add_page"), key="db_sl_page"):
            shortlist.extend(int(i) for i in cat.ids[page_idx] if int(i) not in shortlist)
        if st.button(s.t("sl.clear"), disabled=not shortlist, key="db_sl_clear"):
            shortlist.clear()
        st.markdown(f"**{count('sl.count', len(shortlist))}**" if shortlist else s.t("sl.empty"))
    if shortlist:
        with st.expander(s.t("sl.title")):
            ids = cat.ids
            pos = cat.positions(shortlist)
            common.dataframe(st, display_rows(cat, pos, cat.tiers(st.session_state.get(common.TIER_BOUNDS))),
                             hide_index=True, column_config=column_widths())
            handles = dict(zip(ids[pos].tolist(), cat.frame["handle"].iloc[pos].astype(str), strict=True))
            remove = common.multiselect(
                st, s.t("sl.remove"), shortlist, format_func=lambda i: "@" + handles.get(i, str(i)), key="db_sl_remove"
            )
            if remove and st.button(s.t("sl.remove"), key="db_sl_remove_go"):
                st.session_state[common.SHORTLIST] = [i for i in shortlist if i not in remove]
                st.rerun()


def card(cat: Catalog, blogger_id: int, tiers: np.ndarray) -> None:
    """A blogger's card. Every field may be missing on an imported blogger: a missing value reads "—" with
    the source "no data", never "measured"."""
    hit = cat.positions([blogger_id])
    if not len(hit):
        return
    pos = int(hit[0])
    row = cat.frame.iloc[pos]

    def get(col: str) -> object:
        return clean(row.get(col))

    tier = benchmarks.TIERS[int(tiers[pos])] if tiers[pos] >= 0 else None  # no followers: no tier
    platform = str(get("platform") or "")
    currency = str(get("currency") or "RUB")
    # an amount in the row's currency -> the display currency (an unknown currency is an unknown amount)
    ccy_rate = float(s.shown(1.0, currency))
    with st.container(border=True):
        # the handle, name and city are the user's data: shown as literal text, never as Markdown
        head = [f"@{literal(get('handle') or '')}", s.t("platform." + platform)]
        st.subheader(" · ".join([*head, s.t("tier." + tier)] if tier else head), anchor=False)
        where = " ".join(literal(x) for x in (ingest.country_name(str(get("country") or ""), s.lang),
                                              ingest.city_name(str(get("city") or ""), s.lang)) if x)
        subtitle = " · ".join(x for x in (literal(get("name")) if get("name") else "", where) if x)
        if subtitle:
            st.caption(subtitle)
        left, right = st.columns([1.1, 1])
        with left:
            st.markdown(f"**{s.t('card.figures')}**")

            def src(col: str, given: str = "measured") -> str:
                if get(col) is None:
                    return s.t("no_data")
                return s.t("estimated") if bool(get(f"{col}_estimated") or False) else s.t(given)

            basis = s.t(f"basis.{get('er_basis')}") if get("er_basis") in ("followers", "views") else "—"
            figures = [
                (s.t("col.followers"), s.number(get("followers")), src("followers")),
                (s.t("card.avg_views"), s.number(get("avg_views")), src("avg_views")),
                (s.t("card.avg_likes"), s.number(get("avg_likes")), src("avg_likes")),
                (s.t("card.avg_comments"), s.number(get("avg_comments")), src("avg_comments")),
                (s.t("card.er", basis=basis), s.percent(get("engagement_rate"), 2), src("engagement_rate")),
                (s.t("card.credibility"), s.percent(percent(get("credibility")), 0), src("credibility")),
                (s.t("card.reach_post"), s.number(get("reach_post")), src("reach_post")),
                (s.t("card.reach_story"), s.number(get("reach_story")), src("reach_story")),
            ]
            for fmt in FORMATS:
                price = get(f"price_{fmt}")
                estimated = bool(get(f"price_{fmt}_estimated") or False)
                figures.append(
                    (
                        s.t("card.price", fmt=s.t(f"format.{fmt}")),
                        money_shown(None if price is None else float(price) * ccy_rate, estimated),  # type: ignore[arg-type]
                        src(f"price_{fmt}", "quoted"),
                    )
                )
            barter = get("accepts_barter")
            floor = get("barter_min_value")
            if barter is None:
                barter_text = "—"
            elif bool(barter):
                barter_text = (s.t("card.barter_yes", value=s.money(float(floor) * ccy_rate))  # type: ignore[arg-type]
                               if floor is not None else s.t("card.barter_accepts"))
            else:
                barter_text = s.t("no")
            figures.append((s.t("card.barter"), barter_text, src("accepts_barter")))
            done, cancelled = get("deals_completed"), get("deals_cancelled")
            figures.append(
                (
                    s.t("card.reliability"),
                    f"{s.number(done)} / {s.number(cancelled)}",
                    s.t("no_data") if done is None and cancelled is None else s.t("measured"),
                )
            )
            contact, updated = get("contact"), get("updated_at")
            figures.append((s.t("card.contact"), str(contact or "—"), "" if contact else s.t("no_data")))
            figures.append((s.t("card.updated"), str(updated or "—"), "" if updated else s.t("no_data")))
            common.dataframe(st, 
                pd.DataFrame(figures, columns=[s.t("card.figure"), s.t("card.value"), s.t("card.source")]),
                hide_index=True,
                key="db_card_figures",
            )
            flags = [s.t(f"flag.{f}") for f in FLAGS if cat.flags[f][pos]]
            if flags:
                st.warning(s.t("card.flags", flags=", ".join(flags)))
            else:
                st.success(s.t("card.flags_none"))
        with right:
            fair_price_box(row, tier, currency, ccy_rate)
            st.markdown(f"**{s.t('card.audience')}**")
            shown = False
            record = {k: clean(v) for k, v in row.to_dict().items()}
            from planner.reporting import charts  # Altair: imported when a chart is first drawn

            for build in (charts.audience_gender_chart, charts.audience_age_chart, charts.audience_countries_chart):
                chart = build(record, s.lang)
                if chart is not None:
                    st.altair_chart(chart)
                    shown = True
            if not shown:
                st.caption(s.t("card.no_audience"))


def fair_price_box(row: pd.Series, tier: str | None, currency: str, ccy_rate: float) -> None:
    """The fair-price check of the quote of the platform's main format (a quote only: never an estimate; none
    without a tier, which needs a followers count)."""
    if tier is None:
        return
    platform = str(clean(row.get("platform")) or "")
    fmt = benchmarks.PRIMARY_FORMAT.get(platform, "post")
    price = clean(row.get(f"price_{fmt}"))
    if price is None or bool(clean(row.get(f"price_{fmt}_estimated")) or False) or not np.isfinite(ccy_rate):
        return
    reach = clean(row.get("reach_post"))
    fp = metrics.fair_price(
        price=float(price),  # type: ignore[arg-type]
        currency=currency,
        platform=platform,
        tier=tier,
        format=fmt,
        reach=None if reach is None else float(reach),  # type: ignore[arg-type]
        fx=s.fx_map,
    )
    rate = float(s.shown(1.0, fp.currency))
    st.markdown(f"**{s.t('card.fair_price', fmt=s.t('format.' + fmt).lower())}**")
    text = s.t(
        "card.fair_range",
        tier=s.t("tier." + tier).lower(),
        platform=s.t("platform." + platform),
        low=s.money(fp.fair_low * rate),
        high=s.money(fp.fair_high * rate),
        band_low=s.money(fp.band_low * rate),
        band_high=s.money(fp.band_high * rate),
        cpm_low=s.money(fp.cpm_low * rate),
        cpm_high=s.money(fp.cpm_high * rate),
        cpm=s.money(fp.implied_cpm * rate),
    )
    verdict = s.t(f"verdict.{fp.verdict}")
    box = {"below": st.info, "fair": st.success, "above": st.warning, "far_above": st.error}.get(fp.verdict, st.info)
    box(verdict + " " + text)


# ---- import ---------------------------------------------------------------------------------------
def import_tab() -> None:
    st.subheader(s.t("imp.title"))
    st.caption(s.t("imp.help_files"))
    n_sample = cat.n_sample
    if n_sample and n_sample < total:  # the user's own list is in: offer to drop the synthetic sample (an owner's)
        may_remove = common.allowed(common.OWNER)
        if st.button(count("imp.remove_sample", n_sample), key="db_remove_sample", disabled=not may_remove) \
                and may_remove:
            removed = store.delete_bloggers(common.engine(), source="sample", access=common.workspace())
            st.success(count("imp.sample_removed", removed))
    may_import = common.allowed(common.PLANNER)  # importing writes the workspace's list: a planner's
    up = st.file_uploader(s.t("imp.file"), type=["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"], key="db_upload",
                          disabled=not may_import)
    platform = st.selectbox(
        s.t("imp.platform"),
        [None, *PLATFORMS],
        format_func=lambda p: s.t("imp.none") if p is None else s.t(f"platform.{p}"),
        key="db_imp_platform",
    )
    if up is None or not may_import:
        return
    data = up.getvalue()
    eng = common.engine()
    remembered = store.remembered_mapping(eng, access=common.workspace())
    sheet_key = f"db_imp_sheet_{up.name}_{len(data)}"
    sheets_key = f"db_imp_sheets_{up.name}_{len(data)}"

    def sheet_selector(sheets: list[str]) -> None:
        """A workbook with several sheets: the sheet read can be chosen (the default is the one with the data)."""
        st.session_state[sheets_key] = sheets
        if len(sheets) > 1:
            st.selectbox(s.t("imp.sheet"), [None, *sheets], key=sheet_key,
                         format_func=lambda n: s.t("imp.sheet_auto") if n is None else str(n))

    chosen = st.session_state.get(sheet_key)
    try:
        raw = ingest.read_table(data, up.name, sheet=chosen)
    except ingest.UnreadableFile as exc:
        sheet_selector(exc.sheets or st.session_state.get(sheets_key) or [])
        st.error(s.t("imp.unreadable", reason=literal(reason(exc.code, exc.params, s.lang))))
        return
    sheets = list(raw.attrs.get("sheets") or [])
    sheet_selector(sheets)
    if len(sheets) > 1:
        st.caption(s.t("imp.sheet_read", sheet=literal(str(raw.attrs.get("sheet"))), n=len(sheets)))
    headers = [str(h) for h in raw.columns]
    auto, from_content = ingest.map_columns(raw, remembered)
    st.markdown(f"**{s.t('imp.mapping')}**")
    st.caption(s.t("imp.mapping_help"))
    ignore = s.t("imp.ignore")
    label_of = {f: s.t(f"field.{f}") for f in FIELD_NAMES}
    field_of = {v: k for k, v in label_of.items()}
    editor_key = f"db_map_{up.name}_{len(data)}_{raw.attrs.get('sheet')}_{s.lang}"
    # the required fields no column is mapped to (from the table as last edited), marked in the table
    state = st.session_state.get(editor_key) or {}
    current = {h: auto.get(h) for h in headers}
    for pos, change in (state.get("edited_rows") or {}).items():
        if s.t("imp.field") in change and int(pos) < len(headers):
            current[headers[int(pos)]] = field_of.get(change[s.t("imp.field")])
    unmapped = [f for f in ingest.REQUIRED_COLUMNS if f not in current.values()]
    notes = [s.t("imp.note_content") if h in from_content else "" for h in headers]
    if unmapped:
        missing_note = s.t("imp.note_required", fields=", ".join(label_of[f] for f in unmapped))
        notes = [n or (missing_note if current.get(h) is None else "") for h, n in zip(headers, notes, strict=True)]
    edited = common.data_editor(st, 
        pd.DataFrame(
            {
                s.t("imp.source_header"): headers,
                s.t("imp.field"): [label_of.get(auto.get(h) or "", ignore) for h in headers],
                s.t("imp.note"): notes,
            }
        ),
        column_config={
            s.t("imp.source_header"): st.column_config.TextColumn(disabled=True),
            s.t("imp.field"): st.column_config.SelectboxColumn(options=[ignore, *label_of.values()], required=True),
            s.t("imp.note"): st.column_config.TextColumn(disabled=True),
        },
        hide_index=True,
        key=editor_key,
    )
    mapping = {h: field_of.get(f) for h, f in zip(headers, edited[s.t("imp.field")], strict=True)}
    corrections = {h: f for h, f in mapping.items() if f != auto.get(h)}
    try:
        prev = ingest.normalise(raw, mapping, platform=platform, filename=up.name)
    except ingest.UnreadableFile as exc:
        st.error(s.t("imp.unreadable", reason=literal(reason(exc.code, exc.params, s.lang))))
        return
    cols = [f for f in prev.missing_fields if f != "platform"]
    if cols:
        st.error(s.t("imp.missing_cols", fields=", ".join(label_of[f] for f in cols)))
    if "platform" in prev.missing_fields:
        st.error(s.t("imp.missing_platform"))
    if prev.assumed_platform:
        st.info(s.t("imp.assumed_platform", platform=s.t(f"platform.{prev.assumed_platform}")))
    a, b, c, d = st.columns(4)
    a.metric(s.t("imp.rows_read"), s.number(prev.rows_read))
    b.metric(s.t("imp.stored"), s.number(len(prev.frame)))
    c.metric(s.t("imp.refused"), s.number(prev.refused))
    d.metric(s.t("imp.warnings"), s.number(len(prev.warnings)))
    if prev.duplicates_dropped or prev.superseded:
        st.caption(s.t("imp.merged", dropped=count("count.exact_copies", prev.duplicates_dropped),
                       superseded=count("count.rows", prev.superseded)))
    for title, items in (("imp.refused_rows", prev.rejected), ("imp.warning_rows", prev.warnings)):
        if items:
            st.markdown(f"**{s.t(title)}**")
            common.dataframe(st, 
                pd.DataFrame(
                    [(r.row, r.column, reason(r.code, r.params, s.lang)) for r in items[:2000]],
                    columns=[s.t("imp.row"), s.t("imp.column"), s.t("imp.reason")],
                ),
                hide_index=True,
            )
    if len(prev.frame):
        st.markdown(f"**{s.t('imp.preview_rows')}**")
        common.dataframe(st, prev.frame.head(50).rename(columns=label_of), hide_index=True)
    strict = st.checkbox(s.t("imp.strict"), key="db_imp_strict")
    if st.button(
        count("imp.go", len(prev.frame)), type="primary", disabled=not len(prev.frame), key="db_imp_go"
    ):
        try:  # planner.app.bloggers, as `python -m planner import`
            done = use.import_list(eng, prev, filename=up.name, corrections=corrections, strict=strict,
                                   access=common.workspace())
        except Exception as exc:  # the transaction rolled back: nothing was written
            st.error(s.t("imp.failed", reason=literal(str(exc).splitlines()[0][:300])))
            return
        if done.strict_refused:
            st.error(count("imp.strict_refused", prev.refused))
            return
        st.success(s.t("imp.done", inserted=s.number(done.inserted), updated=s.number(done.updated)))


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def stored_rows(url: str, workspace_id: int, version: str, ids: tuple[int, ...]) -> pd.DataFrame:
    """The stored rows of these bloggers, read once per data version and id set (not the whole database)."""
    return store.load_bloggers_by_id(common.engine(), ids, workspace_id=workspace_id)


def export_frames(cat: Catalog, pos: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(stored, enriched) frames of the bloggers at these row positions, row for row (same order, same index):
    stored values are the data, the catalog's estimates go only in estimated_* columns (export.export_frame)."""
    eng = common.engine()
    ws = common.workspace().workspace_id
    ids = tuple(sorted(int(i) for i in cat.ids[pos]))
    stored = stored_rows(str(eng.url), ws, store.data_version(eng, ws), ids)
    return stored, cat.derived_for(stored)


def csv_bytes(cat: Catalog, pos: np.ndarray) -> bytes:
    stored, derived = export_frames(cat, pos)
    return export.to_csv_bytes(stored, derived=derived)


def xlsx_bytes(cat: Catalog, pos: np.ndarray) -> bytes:
    stored, derived = export_frames(cat, pos)
    return export.to_xlsx_bytes(stored, derived=derived)


def download_buttons(cat: Catalog, pos: np.ndarray, name: str, key: str) -> None:
    a, b = st.columns(2)
    a.download_button(
        s.t("exp.csv"),
        data=lambda: csv_bytes(cat, pos),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        disabled=not len(pos),
    )
    b.download_button(
        s.t("exp.xlsx"),
        data=lambda: xlsx_bytes(cat, pos),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        disabled=not len(pos),
    )


def export_tab(cat: Catalog, idx: np.ndarray | None) -> None:
    st.subheader(s.t("exp.title"))
    st.caption(s.t("exp.help"))
    if idx is None:
        idx = np.zeros(0, dtype=np.int64)
    st.markdown(f"**{count('exp.filtered', len(idx))}**")
    download_buttons(cat, idx, "bloggers", "db_exp")
    shortlist = cat.positions(st.session_state.get(common.SHORTLIST) or [])
    st.markdown(f"**{count('exp.shortlist', len(shortlist))}**")
    if len(shortlist):
        download_buttons(cat, shortlist, "shortlist", "db_exp_short")
    else:
        st.caption(s.t("exp.shortlist_empty"))


@st.cache_resource(show_spinner=False)
def _turns() -> threading.Semaphore:
    """The server process's turns at drawing a view of the list (shared by every session)."""
    return threading.Semaphore(1)


@contextlib.contextmanager
def turn() -> Iterator[None]:
    """One session at a time draws its view (filters, count, table): a team arriving together is served in the
    order it came, each after one render of the server's time (about 0.1 s), instead of all of them sharing the
    interpreter until everyone's page is done at once. A turn held for more than ``TURN_WAIT_S`` (a slow run)
    no longer holds the others back: they go ahead. An import is not drawn in a turn (it may take minutes)."""
    turns = _turns()
    held = turns.acquire(timeout=TURN_WAIT_S)
    try:
        yield
    finally:
        if held:
            turns.release()


with turn():
    with tab_browse:
        selected = browse(cat)
    with tab_export:
        export_tab(cat, selected)
with tab_import:
    import_tab()
