"""Altair chart builders: pure functions from data to a chart spec (tests assert on the spec)."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from planner.core.audience import parse_countries
from planner.core.i18n import t
from planner.core.money import NNBSP
from planner.core.schema import AGE_BUCKETS
from planner.core.units import format_share, percent
from planner.ingest.values import country_name

PALETTE = ["#4C6FFF", "#FF8A5B", "#2BB673", "#A05CFF", "#FFC233", "#00A3BF"]

# Vega number locales (d3-format): 12 500,5 in Russian (narrow no-break space, decimal comma), 12,500.5 in English.
NUMBER_LOCALES: dict[str, dict[str, object]] = {
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]},
    "ru": {"decimal": ",", "thousands": NNBSP, "grouping": [3], "currency": ["", ""], "minus": "\u2212"},
}
WHOLE = ",.0f"  # a whole number with the locale's thousands separator
ONE_DECIMAL = ",.1f"


def number_locale(lang: str) -> dict[str, object]:
    return dict(NUMBER_LOCALES.get(lang, NUMBER_LOCALES["en"]))


def compact_axis(lang: str, **kwargs: Any) -> alt.Axis:
    """An axis of short numbers as planner.core.money.format_compact writes them (1.2M / 35K; 1,2 млн / 35 тыс.),
    never d3's SI "1k" on a Russian chart."""
    units = (("1e9", "B", "млрд"), ("1e6", "M", "млн"), ("1e3", "K", "тыс."))
    sep = "'\u00a0'" if lang == "ru" else "''"
    expr = "format(datum.value, ',~r')"
    for size, en, ru in reversed(units):
        expr = (f"abs(datum.value) >= {size} ? format(datum.value / {size}, ',.3~r') + {sep} + "
                f"'{ru if lang == 'ru' else en}' : {expr}")
    return alt.Axis(labelExpr=expr, **kwargs)


def localized(chart, lang: str):
    """The chart with the language's number format (axes, legends and tooltips format through it)."""
    return chart.configure(locale={"number": number_locale(lang)})


def _share_bar(data: pd.DataFrame, category_title: str, lang: str, color: str,
               sort: list[str] | str | None) -> alt.Chart:
    return (
        alt.Chart(data)
        .mark_bar(color=color, cornerRadiusEnd=3)
        .encode(
            y=alt.Y("label:N", title=category_title, sort=sort),
            x=alt.X("share:Q", title=t("card.share", lang), scale=alt.Scale(domain=[0, max(100.0, 0.0)]),
                    axis=alt.Axis(format=WHOLE)),
            tooltip=[alt.Tooltip("label:N", title=category_title), alt.Tooltip("share:Q", title=t("card.share", lang),
                                                                                format=ONE_DECIMAL)],
        )
        .properties(height=70 + 36 * len(data))
    )


def audience_age_chart(row: Mapping[str, object], lang: str = "en") -> alt.Chart | None:
    """Bar chart of the audience's age buckets in percent; None when the row has no age data."""
    values = [row.get(f"audience_age_{b}") for b in AGE_BUCKETS]
    if all(v is None or pd.isna(v) for v in values):
        return None
    labels = [t(f"age.{b}", lang) for b in AGE_BUCKETS]
    shares = [0.0 if v is None or pd.isna(v) else percent(v) for v in values]
    data = pd.DataFrame({"label": labels, "share": shares})
    return localized(_share_bar(data, t("card.age", lang), lang, PALETTE[0], labels), lang)


def audience_gender_chart(row: Mapping[str, object], lang: str = "en") -> alt.Chart | None:
    female = row.get("audience_female")
    if female is None or pd.isna(female):
        return None
    f = percent(female)
    data = pd.DataFrame({"label": [t("gender.female", lang), t("gender.male", lang)], "share": [f, 100 - f]})
    return localized(_share_bar(data, t("card.gender", lang), lang, PALETTE[1], None), lang)


def audience_countries_chart(row: Mapping[str, object], lang: str = "en", top: int = 5) -> alt.Chart | None:
    pairs = [(code, percent(share)) for code, share in parse_countries(row.get("audience_countries"))]
    if not pairs:
        return None
    pairs.sort(key=lambda p: -p[1])
    data = pd.DataFrame([(country_name(code, lang), share) for code, share in pairs[:top]], columns=["label", "share"])
    return localized(_share_bar(data, t("card.countries", lang), lang, PALETTE[2], "-x"), lang)


def facet_chart(counts: Mapping[str, int], title: str, lang: str, prefix: str) -> alt.Chart:
    """Horizontal bars of counts per platform or tier, labels translated with ``prefix``."""
    data = pd.DataFrame({"label": [t(f"{prefix}.{k}", lang) for k in counts], "count": list(counts.values())})
    chart = (
        alt.Chart(data)
        .mark_bar(color=PALETTE[3], cornerRadiusEnd=3)
        .encode(y=alt.Y("label:N", title=title, sort="-x"),
                x=alt.X("count:Q", title=t("db.matching", lang), axis=alt.Axis(format=WHOLE)),
                tooltip=[alt.Tooltip("label:N", title=title),
                         alt.Tooltip("count:Q", title=t("db.matching", lang), format=WHOLE)])
        .properties(height=70 + 34 * len(data))
    )
    return localized(chart, lang)


CERTIFIED = ("optimal", "gap_ok")  # a plan's statuses that say it is proven within its gap target


def _frontier_data(points: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A frontier's points with whole numbers, whether each is proven within its gap target (``status`` one of
    :data:`CERTIFIED`; a table without statuses is taken as proven) and what its proof says ("within 0.31 %")."""
    status = points["status"].astype(str) if "status" in points else pd.Series("optimal", index=points.index)
    gap = points["gap"].astype(float) if "gap" in points else pd.Series(0.0, index=points.index)
    return points.assign(unique_reach=points["unique_reach"].astype(float).round(0),
                         niche_value=points["niche_value"].astype(float).round(0),
                         certified=status.isin(CERTIFIED).to_numpy(),
                         proof=[t("plan.frontier_within", lang, gap=format_share(g, lang, 2)) for g in gap])


FRONTIER_DATA = "frontier"  # the name of the frontier spec's dataset (frontier_spec)


def _frontier_layers(data: Any, lang: str) -> alt.LayerChart:
    """The Plan page's frontier chart over ``data`` (a frame, or the named dataset of :func:`frontier_spec`)."""
    pick = alt.selection_point(name="pick", fields=["w"], on="click", clear=False)
    base = alt.Chart(data).encode(
        x=alt.X("niche_value:Q", title=t("plan.niche_value", lang), scale=alt.Scale(zero=False, nice=True),
                axis=alt.Axis(format=WHOLE, labelOverlap=True, tickCount=5)),
        y=alt.Y("unique_reach:Q", title=t("plan.unique_reach", lang), scale=alt.Scale(zero=False, nice=True),
                axis=alt.Axis(format=WHOLE, labelOverlap=True, tickCount=5)),
    )
    line = base.mark_line(color="#B8C2E0", strokeDash=[4, 3]).encode(order="w:Q")
    dots = base.mark_point(shape="circle", filled=True, opacity=1, strokeWidth=2.5).encode(
        fill=alt.when("!datum.certified").then(alt.value("white")).when("datum.current")
        .then(alt.value(PALETTE[1])).otherwise(alt.value(PALETTE[0])),
        stroke=alt.when("datum.current").then(alt.value(PALETTE[1])).otherwise(alt.value(PALETTE[0])),
        size=alt.when("datum.current").then(alt.value(420)).otherwise(alt.value(140)),
        tooltip=[alt.Tooltip("unique_reach:Q", title=t("plan.unique_reach", lang), format=WHOLE),
                 alt.Tooltip("niche_value:Q", title=t("plan.niche_value", lang), format=WHOLE),
                 alt.Tooltip("proof:N", title=t("plan.frontier_proof", lang)),
                 alt.Tooltip("w:Q", title=t("plan.reach_weight", lang), format=ONE_DECIMAL)],
    ).add_params(pick)
    return localized((line + dots).properties(height=320), lang)


def _frontier_rows(points: pd.DataFrame, current_w: float, lang: str) -> pd.DataFrame:
    data = _frontier_data(points, lang)
    data["current"] = (data["w"] - current_w).abs() < 1e-9
    return data


def frontier_chart(points: pd.DataFrame, current_w: float, lang: str = "en") -> alt.LayerChart:
    """Unique reach against niche value, a point per plan (reach weight w); the current plan highlighted. A point
    whose plan is not proven within its gap target (the time ran out) is drawn hollow; every point's tooltip says
    how close to the best its plan is proven to be ("within 0.31 %").

    ``points`` columns: w, unique_reach, niche_value, cost, and optionally status and gap (as on a Solution). The
    point selection is named "pick" so that a click on a point returns its w (st.altair_chart(on_select=...)). Axes
    and tooltips are whole numbers in the language's format (a one-point frontier must not print 1,538,915.813854).
    """
    return _frontier_layers(_frontier_rows(points, current_w, lang), lang)


@functools.lru_cache(maxsize=8)
def _frontier_template(lang: str) -> str:
    """:func:`_frontier_layers`' spec over the named dataset, as JSON (built once per language: Altair takes a
    tenth of a second or more to build and check it, every time)."""
    return json.dumps(_frontier_layers(alt.NamedData(name=FRONTIER_DATA), lang).to_dict())


def frontier_spec(points: pd.DataFrame, current_w: float, lang: str = "en") -> dict[str, Any]:
    """:func:`frontier_chart` as a Vega-Lite spec (a new dict: the chart's spec, checked once per language, and the
    points as its dataset), for st.vega_lite_chart: the Plan page draws the frontier point by point."""
    spec = json.loads(_frontier_template(lang))
    rows = _frontier_rows(points, current_w, lang)
    spec["datasets"] = {FRONTIER_DATA: json.loads(rows.to_json(orient="records"))}
    return spec


def spend_chart(spend: pd.DataFrame, title: str, lang: str = "en") -> alt.Chart:
    """Budget by a category (platform or tier): columns label, cost."""
    chart = (
        alt.Chart(spend)
        .mark_bar(color=PALETTE[0], cornerRadiusEnd=3)
        .encode(y=alt.Y("label:N", title=title, sort="-x"),
                x=alt.X("cost:Q", title=t("plan.cost", lang), axis=alt.Axis(format=WHOLE, labelOverlap=True)),
                tooltip=[alt.Tooltip("label:N", title=title), alt.Tooltip("cost:Q", title=t("plan.cost", lang),
                                                                            format=WHOLE)])
        .properties(height=70 + 34 * len(spend))
    )
    return localized(chart, lang)


def overlap_heatmap(matrix, labels: list[str], lang: str = "en") -> alt.Chart:
    """Pairwise audience overlap (share of the smaller audience) between chosen bloggers."""
    rows = [{"a": labels[i], "b": labels[k], "overlap": percent(matrix[i][k])}
            for i in range(len(labels)) for k in range(len(labels)) if i != k]
    data = pd.DataFrame(rows, columns=["a", "b", "overlap"])
    # overlaps are often a fraction of a per cent: whole numbers would label every tick "0"
    top = float(data["overlap"].max()) if len(data) else 0.0
    legend_format = WHOLE if top >= 10 else (ONE_DECIMAL if top >= 1 else ",.2~f")
    chart = (
        alt.Chart(data)
        .mark_rect()
        .encode(x=alt.X("a:N", title=None, sort=labels), y=alt.Y("b:N", title=None, sort=labels),
                color=alt.Color("overlap:Q", title=t("plan.overlap_pct", lang), scale=alt.Scale(scheme="blues"),
                                legend=alt.Legend(format=legend_format)),
                tooltip=[alt.Tooltip("a:N"), alt.Tooltip("b:N"),
                         alt.Tooltip("overlap:Q", title=t("plan.overlap_pct", lang), format=ONE_DECIMAL)])
        .properties(height=max(200, 22 * len(labels)))
    )
    return localized(chart, lang)


DEAL_COLORS = {"paid": PALETTE[0], "barter": PALETTE[1], "hybrid": PALETTE[2]}


def break_even_chart(curve: pd.DataFrame, marks: pd.DataFrame, lang: str = "en", symbol: str = "₽") -> alt.LayerChart:
    """Cost per published post of paid, barter and hybrid against the product's retail value per unit (lines, from
    planner.planning.barter.break_even_curve: ``retail, deal, cost_per_post``), with dashed rules at ``marks``
    (``retail, mark``: "offer", "asked", "break_even"). Every tooltip says where the figure comes from: the fee as
    quoted (or ≈ estimated), barter and hybrid ≈ estimates from the post rate assumption."""
    deal_label = {d: t(f"barter.deal.{d}", lang) for d in DEAL_COLORS}
    src = curve["source"] if "source" in curve.columns else pd.Series(
        ["" if d == "paid" else "≈" for d in curve["deal"]], index=curve.index)
    data = curve.assign(label=[deal_label.get(d, d) for d in curve["deal"]], source=src,
                        retail=curve["retail"].astype(float).round(2),
                        cost_per_post=curve["cost_per_post"].astype(float).round(2))
    x_title = f"{t('barter.x_retail', lang)}, {symbol}"
    y_title = f"{t('barter.cost_per_post', lang)}, {symbol}"
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("retail:Q", title=x_title, axis=alt.Axis(format=WHOLE, labelOverlap=True, tickCount=6)),
            y=alt.Y("cost_per_post:Q", title=y_title, axis=alt.Axis(format=WHOLE, labelOverlap=True, tickCount=6)),
            color=alt.Color("label:N", title=t("barter.deal", lang),
                            scale=alt.Scale(domain=[deal_label[d] for d in DEAL_COLORS],
                                            range=list(DEAL_COLORS.values())),
                            legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("label:N", title=t("barter.deal", lang)),
                     alt.Tooltip("retail:Q", title=x_title, format=WHOLE),
                     alt.Tooltip("source:N", title=t("barter.src", lang)),
                     alt.Tooltip("cost_per_post:Q", title=y_title, format=WHOLE)],
        )
    )
    mk = marks.assign(label=[t(f"barter.mark.{m}", lang) for m in marks["mark"]],
                      retail=marks["retail"].astype(float).round(2),
                      ypix=[4 + 16 * i for i in range(len(marks))])  # labels one under another, never on top
    rules = alt.Chart(mk).mark_rule(strokeDash=[5, 4], color="#6B7280").encode(
        x="retail:Q",
        tooltip=[alt.Tooltip("label:N", title=t("barter.mark", lang)),
                 alt.Tooltip("retail:Q", title=x_title, format=WHOLE)])
    text = alt.Chart(mk).mark_text(align="left", baseline="top", dx=4, color="#374151").encode(
        x="retail:Q", y=alt.Y("ypix:Q", scale=None, axis=None), text="label:N")
    return localized(alt.layer(lines, rules, text).properties(height=340), lang)


# ---- campaign results (planner.campaigns.report) ------------------------------------------------------------
RESULT_COLORS = {"engagements": "#9AA5C4", "business": PALETTE[1], "forecast": "#B8C2E0", "actual": PALETTE[0]}


def likes_vs_business_chart(bloggers: pd.DataFrame, business_label: str, lang: str = "en") -> alt.Chart:
    """Each blogger's share of the campaign's engagements beside their share of the business result (two bars a
    blogger, sorted by engagements), the bloggers where the two disagree named on their label.

    ``bloggers`` columns: label (the blogger, with the disagreement named), engagement_share, business_share (per
    cent of the totals, measured)."""
    order = bloggers.sort_values("engagement_share", ascending=False)["label"].tolist()
    eng_t, biz_t = t("results.share_engagements", lang), t("results.share_business", lang, what=business_label)
    long = pd.concat([
        pd.DataFrame({"label": bloggers["label"], "measure": eng_t, "share": bloggers["engagement_share"].round(1)}),
        pd.DataFrame({"label": bloggers["label"], "measure": biz_t, "share": bloggers["business_share"].round(1)}),
    ], ignore_index=True).assign(source=t("results.src.measured", lang))
    chart = (
        alt.Chart(long)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=340)),
            yOffset=alt.YOffset("measure:N", sort=[eng_t, biz_t]),
            x=alt.X("share:Q", title=t("results.share_of_total", lang), axis=alt.Axis(format=WHOLE)),
            color=alt.Color("measure:N", title=None, sort=[eng_t, biz_t],
                            scale=alt.Scale(domain=[eng_t, biz_t],
                                            range=[RESULT_COLORS["engagements"], RESULT_COLORS["business"]]),
                            legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("label:N", title=t("col.handle", lang)), alt.Tooltip("measure:N", title=" "),
                     alt.Tooltip("share:Q", title=t("results.share_of_total", lang), format=ONE_DECIMAL),
                     alt.Tooltip("source:N", title=t("results.source", lang))],
        )
        .properties(height=60 + 44 * len(bloggers))
    )
    return localized(chart, lang)


def funnel_chart(funnel: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Reach, clicks, code redemptions and orders as bars on a logarithmic scale (they differ by orders of
    magnitude), each labelled with its number and its rate from the step before. ``funnel`` columns: stage,
    label, value, rate (per cent of the step before), source."""
    data = funnel[funnel["stage"] != "revenue"].dropna(subset=["value"])
    data = data[data["value"] > 0].assign(value=lambda d: d["value"].round(0), base=1.0)
    order = data["label"].tolist()
    top = float(data["value"].max()) * 8 if len(data) else 10.0  # room for the labels
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", title=None, sort=order),
        x=alt.X("value:Q", title=t("results.funnel_axis", lang), scale=alt.Scale(type="log", domain=[1, top]),
                axis=compact_axis(lang, values=[10.0 ** k for k in range(int(math.log10(top)) + 1)])),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", title=t("results.value", lang),
                                                                 format=WHOLE),
                 alt.Tooltip("rate:Q", title=t("results.rate_prev", lang), format=ONE_DECIMAL),
                 alt.Tooltip("source:N", title=t("results.source", lang))])
    bars = base.mark_bar(color=PALETTE[0], cornerRadiusEnd=3).encode(x2="base:Q")  # a log scale has no zero
    text = base.mark_text(align="left", dx=4, color="#374151").encode(text=alt.Text("value:Q", format=WHOLE))
    return localized((bars + text).properties(height=60 + 40 * len(data)), lang)


def plan_vs_actual_chart(bloggers: pd.DataFrame, metric_label: str, lang: str = "en") -> alt.Chart:
    """Forecast (the plan's) against actual per blogger, two bars each. ``bloggers`` columns: label, forecast,
    actual."""
    f_t, a_t = t("results.forecast", lang), t("results.actual", lang)
    order = bloggers.sort_values("forecast", ascending=False)["label"].tolist()
    long = pd.concat([
        pd.DataFrame({"label": bloggers["label"], "kind": f_t, "value": bloggers["forecast"].round(0),
                      "source": t("results.src.forecast", lang)}),
        pd.DataFrame({"label": bloggers["label"], "kind": a_t, "value": bloggers["actual"].round(0),
                      "source": t("results.src.measured", lang)}),
    ], ignore_index=True)
    chart = (
        alt.Chart(long)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("kind:N", sort=[f_t, a_t]),
            x=alt.X("value:Q", title=metric_label, axis=alt.Axis(format=WHOLE, labelOverlap=True)),
            color=alt.Color("kind:N", title=None, sort=[f_t, a_t],
                            scale=alt.Scale(domain=[f_t, a_t],
                                            range=[RESULT_COLORS["forecast"], RESULT_COLORS["actual"]]),
                            legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("label:N", title=t("col.handle", lang)), alt.Tooltip("kind:N", title=" "),
                     alt.Tooltip("value:Q", title=metric_label, format=WHOLE),
                     alt.Tooltip("source:N", title=t("results.source", lang))],
        )
        .properties(height=60 + 40 * len(bloggers))
    )
    return localized(chart, lang)


def incrementality_chart(daily: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """Daily sales against the baseline forecast: the actual series, the baseline (the model's fit before the
    window, its forecast inside it) with its interval, the campaign window shaded. ``daily`` columns: day,
    actual, baseline, low, high, in_window (planner.campaigns.incrementality)."""
    data = daily.assign(day=pd.to_datetime(daily["day"]))
    a_t, b_t = t("results.actual_sales", lang), t("results.baseline", lang)
    win = data[data["in_window"]]
    shade = alt.Chart(pd.DataFrame({"start": [win["day"].min()], "end": [win["day"].max()]})).mark_rect(
        color="#FFE8DC", opacity=0.6).encode(x="start:T", x2="end:T")
    band = alt.Chart(win).mark_area(color=PALETTE[3], opacity=0.18).encode(
        x="day:T", y="low:Q", y2="high:Q")
    long = pd.concat([data[["day"]].assign(series=a_t, value=data["actual"],
                                           source=t("results.src.measured", lang)),
                      data[["day"]].assign(series=b_t, value=data["baseline"],
                                           source=t("results.src.baseline", lang))], ignore_index=True)
    lines = alt.Chart(long.dropna(subset=["value"])).mark_line(strokeWidth=1.8).encode(
        x=alt.X("day:T", title=None, axis=alt.Axis(format="%d.%m", labelOverlap=True)),
        y=alt.Y("value:Q", title=t("results.sales_per_day", lang), axis=alt.Axis(format=WHOLE)),
        color=alt.Color("series:N", title=None, scale=alt.Scale(domain=[a_t, b_t], range=[PALETTE[0], PALETTE[3]]),
                        legend=alt.Legend(orient="top")),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=[a_t, b_t], range=[[1, 0], [5, 3]]),
                                  legend=None),
        tooltip=[alt.Tooltip("day:T", title=t("results.day", lang), format="%d.%m.%Y"),
                 alt.Tooltip("series:N", title=" "), alt.Tooltip("value:Q", title=t("results.value", lang),
                                                                  format=WHOLE),
                 alt.Tooltip("source:N", title=t("results.source", lang))])
    return localized(alt.layer(shade, band, lines).properties(height=300), lang)



# ---- what-if scenarios (planner.planning.scenarios) ------------------------------------------------------------
SCENARIO_METRICS: tuple[str, ...] = ("unique_reach", "niche_value", "orders", "cpm", "engagements")
_BANDED = ("unique_reach", "engagements", "orders")


def _big(chart, big: bool):
    """Presentation size: larger text everywhere (a projector at the back of a meeting room)."""
    if not big:
        return chart
    return chart.configure_axis(labelFontSize=18, titleFontSize=20).configure_legend(
        labelFontSize=18, titleFontSize=18).configure_text(fontSize=18)


def scenario_sweep_chart(points: pd.DataFrame, metric: str = "unique_reach", lang: str = "en", symbol: str = "₽", *,
                         current: float | None = None, flattening: float | None = None, big: bool = False,
                         height: int | None = None) -> alt.LayerChart:
    """One figure of the budget sweep against the budget: the line of the best plan at each budget and, for unique
    reach, engagements and orders, its P10–P90 band (``<metric>_p10`` / ``_p90``); dashed rules at the scenario's
    own budget (``current``) and where returns flatten (``flattening``). ``points``: SweepResult.points with
    budgets (and CPM) already in the shown currency. A click on a point selects its budget (selection "pick").
    Every tooltip says the figure is an estimate (≈) and what the band is."""
    title = t(f"scen.m.{metric}", lang)
    if metric == "cpm":
        title = f"{title}, {symbol}"
    x_title = f"{t('scen.budget', lang)}, {symbol}"
    est = t("scen.src.estimated", lang)
    ok = points[metric].notna() if metric in points else pd.Series(False, index=points.index)
    status = points.loc[ok, "status"].astype(str)
    gap = (pd.to_numeric(points.loc[ok, "gap"], errors="coerce") if "gap" in points
           else pd.Series(float("nan"), index=status.index))
    data = pd.DataFrame({"budget": points.loc[ok, "budget"].astype(float).round(0),
                         "value": points.loc[ok, metric].astype(float).round(2 if metric == "orders" else 0),
                         "source": est, "status": [t(f"scen.status.{x}", lang) for x in status],
                         # a point solved to its gap target is on the line; one that is not is drawn apart (hollow,
                         # with its gap), never joined by the line
                         "solved": status.isin(["optimal", "gap_ok"]).to_numpy(),
                         "gap": percent(gap.astype(float)).round(2).to_numpy()})
    banded = metric in _BANDED and f"{metric}_p10" in points
    if banded:
        data["p10"] = points.loc[ok, f"{metric}_p10"].astype(float).round(0).to_numpy()
        data["p90"] = points.loc[ok, f"{metric}_p90"].astype(float).round(0).to_numpy()
    fmt = ONE_DECIMAL if metric in ("orders", "cpm") else WHOLE
    x = alt.X("budget:Q", title=x_title, scale=alt.Scale(zero=False, nice=True),
              axis=alt.Axis(format=WHOLE, labelOverlap=True, tickCount=6))
    y_axis = alt.Axis(format=WHOLE, labelOverlap=True, tickCount=6)
    tips = [alt.Tooltip("budget:Q", title=x_title, format=WHOLE), alt.Tooltip("value:Q", title=title, format=fmt)]
    if banded:
        tips += [alt.Tooltip("p10:Q", title="P10", format=fmt), alt.Tooltip("p90:Q", title="P90", format=fmt)]
    tips += [alt.Tooltip("source:N", title=t("scen.source", lang)),
             alt.Tooltip("status:N", title=t("scen.status", lang)),
             alt.Tooltip("gap:Q", title=t("scen.gap_pct", lang), format=",.2f")]
    solved = data[data["solved"]]
    layers: list = []
    if banded:
        layers.append(alt.Chart(solved).mark_area(color=PALETTE[0], opacity=0.18).encode(
            x=x, y=alt.Y("p10:Q", title=title, axis=y_axis), y2="p90:Q"))
    pick = alt.selection_point(name="pick", fields=["budget"], on="click", clear=False)
    layers.append(alt.Chart(solved).mark_line(color=PALETTE[0], strokeWidth=3 if big else 2.5).encode(
        x=x, y=alt.Y("value:Q", title=title, axis=y_axis, scale=alt.Scale(zero=False, nice=True))))
    layers.append(alt.Chart(data).mark_point(size=160 if big else 70, color=PALETTE[0], opacity=1).encode(
        x=x, y="value:Q", tooltip=tips,
        fill=alt.condition("datum.solved", alt.value(PALETTE[0]), alt.value("white"))).add_params(pick))
    marks = [(b, t(f"scen.mark.{name}", lang)) for b, name in ((current, "current"), (flattening, "flattening"))
             if b is not None and pd.notna(b)]
    if marks:
        mk = pd.DataFrame({"budget": [round(float(b)) for b, _ in marks], "label": [lab for _, lab in marks],
                           "ypix": [4 + (24 if big else 16) * i for i in range(len(marks))]})
        layers.append(alt.Chart(mk).mark_rule(strokeDash=[5, 4], color="#6B7280").encode(
            x="budget:Q", tooltip=[alt.Tooltip("label:N", title=" "),
                                   alt.Tooltip("budget:Q", title=x_title, format=WHOLE)]))
        layers.append(alt.Chart(mk).mark_text(align="left", baseline="top", dx=4, color="#374151").encode(
            x="budget:Q", y=alt.Y("ypix:Q", scale=None, axis=None), text="label:N"))
    chart = alt.layer(*layers).properties(height=height or (460 if big else 300))
    return _big(localized(chart, lang), big)


def scenario_marginal_chart(points: pd.DataFrame, lang: str = "en", symbol: str = "₽", per: str = "100 000",
                            *, flattening: float | None = None, big: bool = False) -> alt.Chart:
    """Extra unique reach per extra ``per`` of money between neighbouring budgets (bars at each budget), the bars
    from the flattening budget on in grey. ``points``: SweepResult.points (``budget`` in the shown currency,
    ``marginal_reach`` per ``per`` of the shown currency)."""
    x_title = f"{t('scen.budget', lang)}, {symbol}"
    y_title = t("scen.marginal", lang, per=per, sym=symbol)
    ok = points["marginal_reach"].notna()
    data = pd.DataFrame({"budget": points.loc[ok, "budget"].astype(float).round(0),
                         "value": points.loc[ok, "marginal_reach"].astype(float).round(0),
                         "source": t("scen.src.estimated", lang)})
    data["flat"] = False
    if flattening is not None and pd.notna(flattening):
        data["flat"] = data["budget"] > float(flattening) + 0.5
    chart = alt.Chart(data).mark_bar(cornerRadiusEnd=3).encode(
        x=alt.X("budget:O", title=x_title, axis=alt.Axis(format=WHOLE, labelAngle=-40, labelOverlap=True)),
        y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=WHOLE, tickCount=5)),
        color=alt.condition("datum.flat", alt.value("#B8C2E0"), alt.value(PALETTE[2])),
        tooltip=[alt.Tooltip("budget:Q", title=x_title, format=WHOLE), alt.Tooltip("value:Q", title=y_title,
                                                                                 format=WHOLE),
                 alt.Tooltip("source:N", title=t("scen.source", lang))],
    ).properties(height=360 if big else 220)
    return _big(localized(chart, lang), big)


def scenario_compare_chart(totals: pd.DataFrame, metric: str = "unique_reach", lang: str = "en", *,
                           big: bool = False) -> alt.LayerChart:
    """Scenarios side by side on one figure (planner.planning.scenarios.Comparison.totals: ``scenario, metric,
    value, p10, p90``): a bar per scenario and, where the figure has a band, its P10–P90 as an error bar."""
    title = t(f"scen.m.{metric}", lang)
    sub = totals[totals["metric"] == metric]
    data = pd.DataFrame({"scenario": sub["scenario"].astype(str), "value": sub["value"].astype(float).round(0),
                         "p10": sub["p10"].astype(float).round(0), "p90": sub["p90"].astype(float).round(0),
                         "source": t("scen.src.estimated", lang)})
    order = list(data["scenario"])
    tips = [alt.Tooltip("scenario:N", title=t("scen.scenario", lang)),
            alt.Tooltip("value:Q", title=title, format=WHOLE), alt.Tooltip("p10:Q", title="P10", format=WHOLE),
            alt.Tooltip("p90:Q", title="P90", format=WHOLE), alt.Tooltip("source:N", title=t("scen.source", lang))]
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=3, size=60 if big else 40).encode(
        x=alt.X("scenario:N", title=None, sort=order, axis=alt.Axis(labelAngle=0, labelLimit=260)),
        y=alt.Y("value:Q", title=title, axis=alt.Axis(format=WHOLE, tickCount=5)),
        color=alt.Color("scenario:N", sort=order, scale=alt.Scale(range=PALETTE), legend=None), tooltip=tips)
    layers: list = [bars]
    if data[["p10", "p90"]].notna().all(axis=None) and len(data):
        layers.append(alt.Chart(data).mark_errorbar(ticks=True, color="#374151").encode(
            x=alt.X("scenario:N", sort=order), y=alt.Y("p10:Q", title=title), y2="p90:Q", tooltip=tips))
    chart = alt.layer(*layers).properties(height=420 if big else 300)
    return _big(localized(chart, lang), big)


# ---- the client pitch (planner.reporting.pitch): charts that fill a slide, explained by a legend ----------------
def _pitch_legend(title: str | None = None, entries: int = 2, *, symbol_fill: bool = False) -> alt.Legend:
    """A legend under the chart: its entries in one row, in two columns when there are more than three (a row of
    four long names would run past a narrow chart's edge). ``symbol_fill``: the symbols filled with their colour
    (a legend of stroke colours)."""
    extra: dict[str, Any] = {"symbolType": "circle", "symbolStrokeWidth": 3} if symbol_fill else {}
    return alt.Legend(title=title, orient="bottom", direction="horizontal", symbolSize=220, columnPadding=28,
                      labelLimit=420, columns=2 if entries > 3 else entries, **extra)


def pitch_spend_chart(spend: pd.DataFrame, lang: str = "en", currency: str = "RUB") -> alt.LayerChart:
    """The plan's budget by platform (a bar each, the largest first) split by format (the colours), each platform's
    total written at the end of its bar. ``spend``: ``platform``, ``format`` (labels in ``lang``) and ``cost`` (cash
    and product at cost, in ``currency``), a row per placement."""
    from planner.core.money import SYMBOLS, format_money

    data = spend.groupby(["platform", "format"], as_index=False)["cost"].sum()
    totals = data.groupby("platform", as_index=False)["cost"].sum().sort_values("cost", ascending=False)
    order = totals["platform"].tolist()
    totals["label"] = [format_money(v, currency, lang) for v in totals["cost"]]
    top = float(totals["cost"].max()) if len(totals) else 1.0
    x_title = f"{t('pitch.col.spend', lang)}, {SYMBOLS.get(currency, currency)}"
    y = alt.Y("platform:N", sort=order, title=None, scale=alt.Scale(paddingInner=0.35),
              axis=alt.Axis(labelLimit=260))
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=3).encode(
        y=y, x=alt.X("cost:Q", title=x_title, stack="zero", scale=alt.Scale(domain=[0, top * 1.25], nice=False),
                     axis=alt.Axis(format=WHOLE, tickCount=6, labelOverlap=True)),
        color=alt.Color("format:N", scale=alt.Scale(range=PALETTE),
                        legend=_pitch_legend(t("plan.format", lang), data["format"].nunique())),
        tooltip=[alt.Tooltip("platform:N", title=t("col.platform", lang)),
                 alt.Tooltip("format:N", title=t("plan.format", lang)),
                 alt.Tooltip("cost:Q", title=x_title, format=WHOLE)])
    labels = alt.Chart(totals).mark_text(align="left", baseline="middle", dx=8, fontWeight="bold",
                                         color="#1F2A44").encode(y=y, x="cost:Q", text="label:N")
    return localized(alt.layer(bars, labels), lang)


def pitch_frontier_chart(points: pd.DataFrame, current_w: float, lang: str = "en") -> alt.LayerChart:
    """The reach–niche frontier for a slide: a point per optimal plan at one weight of unique reach, the campaign's
    plan in its own colour, both named in a legend under the chart; a point whose plan is not proven within its gap
    target is hollow, as on the Plan page (:func:`frontier_chart`). ``points``: w, unique_reach, niche_value, and
    optionally status and gap."""
    from planner.core.money import format_number

    plan_label = t("pitch.legend.plan_w", lang, w=format_number(current_w, lang, 1))
    other = t("pitch.legend.frontier", lang)
    data = _frontier_data(points, lang)
    data["series"] = [plan_label if abs(w - current_w) < 1e-9 else other for w in points["w"]]
    x = alt.X("niche_value:Q", title=t("plan.niche_value", lang), scale=alt.Scale(zero=False, nice=True, padding=24),
              axis=alt.Axis(format=WHOLE, labelOverlap=True, tickCount=5))
    y = alt.Y("unique_reach:Q", title=t("plan.unique_reach", lang) + " (≈)",
              scale=alt.Scale(zero=False, nice=True, padding=24),
              axis=alt.Axis(format=WHOLE, labelOverlap=True, tickCount=5))
    line = alt.Chart(data).mark_line(color="#B8C2E0", strokeDash=[4, 3]).encode(x=x, y=y, order="w:Q")
    mine = data["series"] == plan_label  # drawn last: never hidden under a plan of another weight at the same point
    scale = alt.Scale(domain=[other, plan_label], range=[PALETTE[0], PALETTE[1]])
    color = alt.Color("series:N", scale=scale, legend=_pitch_legend(symbol_fill=True))
    dots = alt.Chart(pd.concat([data[~mine], data[mine]])).mark_point(
        shape="circle", filled=False, opacity=1, strokeWidth=3).encode(
        x=x, y=y, color=color,  # the stroke, named in the legend
        fill=alt.when("!datum.certified").then(alt.value("white")).otherwise(
            alt.Fill("series:N", scale=scale, legend=None)),
        size=alt.condition(f"datum.series == '{plan_label}'", alt.value(520), alt.value(180)),
        tooltip=[alt.Tooltip("unique_reach:Q", title=t("plan.unique_reach", lang), format=WHOLE),
                 alt.Tooltip("niche_value:Q", title=t("plan.niche_value", lang), format=WHOLE),
                 alt.Tooltip("proof:N", title=t("plan.frontier_proof", lang)),
                 alt.Tooltip("w:Q", title=t("plan.reach_weight", lang), format=ONE_DECIMAL)])
    return localized(alt.layer(line, dots), lang)


def pitch_curve_chart(points: pd.DataFrame, lang: str = "en", currency: str = "RUB", *,
                      current: float | None = None, flattening: float | None = None) -> alt.LayerChart:
    """The budget curve for a slide: unique reach of the best plan at each budget (≈) with its P10–P90 band, dashed
    rules at the plan's budget and where returns flatten. Every mark is named in one legend under the chart, never
    by a label on the chart (two labels at close budgets would collide). ``points``: budget (in ``currency``),
    unique_reach, unique_reach_p10, unique_reach_p90 and status (planner.reporting.pitch.CURVE_COLUMNS)."""
    from planner.core.money import SYMBOLS

    x_title = f"{t('scen.budget', lang)}, {SYMBOLS.get(currency, currency)}"
    y_title = t("plan.unique_reach", lang) + " (≈)"
    names = {k: t(f"pitch.legend.{k}", lang) for k in ("reach", "band", "current", "flattening")}
    ok = points["unique_reach"].notna()
    solved = (points["status"].astype(str).isin(["optimal", "gap_ok"]) if "status" in points
              else pd.Series(True, index=points.index))
    data = pd.DataFrame({"budget": points.loc[ok, "budget"].astype(float).round(0),
                         "value": points.loc[ok, "unique_reach"].astype(float).round(0),
                         "solved": solved[ok].to_numpy()})
    banded = {"unique_reach_p10", "unique_reach_p90"} <= set(points.columns)
    if banded:
        data["p10"] = points.loc[ok, "unique_reach_p10"].astype(float).round(0).to_numpy()
        data["p90"] = points.loc[ok, "unique_reach_p90"].astype(float).round(0).to_numpy()
    marks = [(b, names[k]) for b, k in ((current, "current"), (flattening, "flattening"))
             if b is not None and pd.notna(b)]
    domain = [names["reach"]] + ([names["band"]] if banded else []) + [lab for _, lab in marks]
    palette = {names["reach"]: PALETTE[0], names["band"]: "#C9D3FF", names["current"]: "#374151",
               names["flattening"]: PALETTE[1]}
    color = alt.Color("series:N", scale=alt.Scale(domain=domain, range=[palette[d] for d in domain]),
                      legend=_pitch_legend(entries=len(domain)))
    x = alt.X("budget:Q", title=x_title, scale=alt.Scale(zero=False, nice=True, padding=16),
              axis=alt.Axis(format=WHOLE, labelOverlap=True, tickCount=6))
    y_axis = alt.Axis(format=WHOLE, labelOverlap=True, tickCount=6)
    good = data[data["solved"]].assign(series=names["reach"])
    layers: list = []
    if banded:
        layers.append(alt.Chart(good.assign(series=names["band"])).mark_area(opacity=0.9).encode(
            x=x, y=alt.Y("p10:Q", title=y_title, axis=y_axis), y2="p90:Q", color=color))
    layers.append(alt.Chart(good).mark_line(strokeWidth=3).encode(
        x=x, y=alt.Y("value:Q", title=y_title, axis=y_axis, scale=alt.Scale(zero=False, nice=True)), color=color))
    layers.append(alt.Chart(data.assign(series=names["reach"])).mark_point(size=90, opacity=1, filled=True).encode(
        x=x, y="value:Q", color=color,
        fill=alt.condition("datum.solved", alt.value(PALETTE[0]), alt.value("white"))))
    if marks:
        mk = pd.DataFrame({"budget": [round(float(b)) for b, _ in marks], "series": [lab for _, lab in marks]})
        layers.append(alt.Chart(mk).mark_rule(strokeDash=[7, 5], strokeWidth=2.5).encode(x="budget:Q", color=color))
    return localized(alt.layer(*layers), lang)


def pitch_compare_chart(totals: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """Unique reach of each compared scenario (a bar each) with its P10–P90 (a line with short ends), both named in
    a legend under the chart. ``totals``: planner.planning.scenarios.Comparison.totals (``scenario, metric, value,
    p10, p90``)."""
    sub = totals[totals["metric"] == "unique_reach"]
    reach, band = t("pitch.legend.scenario_reach", lang), t("pitch.legend.band", lang)
    data = pd.DataFrame({"scenario": sub["scenario"].astype(str), "value": sub["value"].astype(float).round(0),
                         "p10": sub["p10"].astype(float).round(0), "p90": sub["p90"].astype(float).round(0)})
    order = list(data["scenario"])
    x = alt.X("scenario:N", title=None, sort=order, scale=alt.Scale(paddingInner=0.5, paddingOuter=0.3),
              axis=alt.Axis(labelAngle=0, labelLimit=300))
    y_title = t("plan.unique_reach", lang) + " (≈)"
    color = alt.Color("series:N", scale=alt.Scale(domain=[reach, band], range=[PALETTE[0], "#374151"]),
                      legend=_pitch_legend())
    layers: list = [alt.Chart(data.assign(series=reach)).mark_bar(cornerRadiusEnd=3).encode(
        x=x, y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=WHOLE, tickCount=5)), color=color)]
    banded = data.dropna(subset=["p10", "p90"]).assign(series=band)
    if len(banded):
        layers.append(alt.Chart(banded).mark_rule(strokeWidth=3).encode(x=x, y="p10:Q", y2="p90:Q", color=color))
        for end in ("p10", "p90"):
            layers.append(alt.Chart(banded).mark_tick(thickness=3, size=36).encode(x=x, y=f"{end}:Q", color=color))
    return localized(alt.layer(*layers), lang)
