"""Altair chart builders: pure functions from data to a chart spec (tests assert on the spec)."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from planner.core.i18n import t
from planner.core.money import NNBSP
from planner.core.schema import AGE_BUCKETS

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
    shares = [0.0 if v is None or pd.isna(v) else float(v) * 100 for v in values]  # type: ignore[arg-type]
    data = pd.DataFrame({"label": labels, "share": shares})
    return localized(_share_bar(data, t("card.age", lang), lang, PALETTE[0], labels), lang)


def audience_gender_chart(row: Mapping[str, object], lang: str = "en") -> alt.Chart | None:
    female = row.get("audience_female")
    if female is None or pd.isna(female):
        return None
    f = float(female) * 100  # type: ignore[arg-type]
    data = pd.DataFrame({"label": [t("gender.female", lang), t("gender.male", lang)], "share": [f, 100 - f]})
    return localized(_share_bar(data, t("card.gender", lang), lang, PALETTE[1], None), lang)


def audience_countries_chart(row: Mapping[str, object], lang: str = "en", top: int = 5) -> alt.Chart | None:
    text = row.get("audience_countries")
    if not isinstance(text, str) or ":" not in text:
        return None
    pairs = []
    for part in text.split(";"):
        code, _, share = part.partition(":")
        try:
            value = float(share.replace(",", "."))
        except ValueError:
            continue
        pairs.append((code.strip().upper(), value * 100 if value <= 1 else value))
    if not pairs:
        return None
    pairs.sort(key=lambda p: -p[1])
    data = pd.DataFrame(pairs[:top], columns=["label", "share"])
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


def frontier_chart(points: pd.DataFrame, current_w: float, lang: str = "en") -> alt.Chart:
    """Unique reach against niche value, a point per plan (reach weight w); the current plan highlighted.

    ``points`` columns: w, unique_reach, niche_value, cost. The point selection is named "pick" so that a
    click on a point returns its w (st.altair_chart(on_select=...)). Axes and tooltips are whole numbers in the
    language's format (a one-point frontier must not print 1,538,915.813854).
    """
    data = points.assign(current=(points["w"] - current_w).abs() < 1e-9,
                         unique_reach=points["unique_reach"].astype(float).round(0),
                         niche_value=points["niche_value"].astype(float).round(0))
    pick = alt.selection_point(name="pick", fields=["w"], on="click", clear=False)
    base = alt.Chart(data).encode(
        x=alt.X("niche_value:Q", title=t("plan.niche_value", lang), scale=alt.Scale(zero=False, nice=True),
                axis=alt.Axis(format=WHOLE, labelOverlap=True, tickCount=5)),
        y=alt.Y("unique_reach:Q", title=t("plan.unique_reach", lang), scale=alt.Scale(zero=False, nice=True),
                axis=alt.Axis(format=WHOLE, labelOverlap=True, tickCount=5)),
    )
    line = base.mark_line(color="#B8C2E0", strokeDash=[4, 3]).encode(order="w:Q")
    dots = base.mark_circle(size=140).encode(
        color=alt.condition("datum.current", alt.value("#FF8A5B"), alt.value("#4C6FFF")),
        size=alt.condition("datum.current", alt.value(420), alt.value(140)),
        tooltip=[alt.Tooltip("w:Q", title=t("plan.reach_weight", lang), format=ONE_DECIMAL),
                 alt.Tooltip("unique_reach:Q", title=t("plan.unique_reach", lang), format=WHOLE),
                 alt.Tooltip("niche_value:Q", title=t("plan.niche_value", lang), format=WHOLE)],
    ).add_params(pick)
    return localized((line + dots).properties(height=320), lang)


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
    rows = [{"a": labels[i], "b": labels[k], "overlap": float(matrix[i][k]) * 100}
            for i in range(len(labels)) for k in range(len(labels)) if i != k]
    data = pd.DataFrame(rows, columns=["a", "b", "overlap"])
    chart = (
        alt.Chart(data)
        .mark_rect()
        .encode(x=alt.X("a:N", title=None, sort=labels), y=alt.Y("b:N", title=None, sort=labels),
                color=alt.Color("overlap:Q", title=t("plan.overlap_pct", lang), scale=alt.Scale(scheme="blues"),
                                legend=alt.Legend(format=WHOLE)),
                tooltip=[alt.Tooltip("a:N"), alt.Tooltip("b:N"),
                         alt.Tooltip("overlap:Q", title=t("plan.overlap_pct", lang), format=ONE_DECIMAL)])
        .properties(height=max(200, 22 * len(labels)))
    )
    return localized(chart, lang)
