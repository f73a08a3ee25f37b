"""The pitch's document model: what a pitch file shows (:class:`Pitch`, its :class:`Table` s of :class:`Column` s,
its :class:`Figure` s and :class:`Assumption` s, each with its source from :data:`SOURCES`), and the text helpers the
renderers share (a value as a reader sees it, a table's cells, column widths, a chart as a PNG).

:mod:`planner.reporting.pitch` builds a :class:`Pitch`; the renderers (:mod:`planner.reporting.pitch_xlsx`,
:mod:`planner.reporting.pitch_pptx`, :mod:`planner.reporting.pitch_pdf`) lay one out. This module imports neither,
so the renderers depend on the model alone and the builder on the model and the renderers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.core import money
from planner.core.i18n import t
from planner.core.units import format_share

# Where a figure comes from (STYLE.md rule 18); "brief" is the client's own input (the budget, the target).
SOURCES: tuple[str, ...] = ("quoted", "measured", "estimated", "assumption", "brief")
# Kinds of value a column or a figure holds: how each renderer formats it (XLSX number formats, text elsewhere).
KINDS: tuple[str, ...] = ("text", "money", "int", "number", "share", "percent")
CHART_FONT = "DejaVu Sans"
CHART_WIDTH = 760  # px, before the 2x scale: wide enough for a slide or a landscape page
CHART_WIDTHS = {"compare": 480}  # a few bars read better narrow


class PitchError(ValueError):
    """The pitch cannot be made (an unknown campaign or currency): one plain line."""


# ---- the document model ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # KINDS
    source_key: str | None = None  # a column of the same frame holding each value's source (SOURCES)


@dataclass
class Table:
    """A table of the pitch: raw values (numbers stay numbers) with their kinds, and sources where they vary."""

    name: str  # stable id: "plan", "barter", ...
    title: str
    frame: pd.DataFrame
    columns: list[Column]
    note: str = ""

    @property
    def empty(self) -> bool:
        return self.frame.empty


@dataclass(frozen=True)
class Figure:
    """One number of the totals with its kind and its source."""

    key: str
    label: str
    value: float | None
    kind: str = "int"
    source: str = "estimated"
    note: str = ""


@dataclass(frozen=True)
class Assumption:
    label: str
    value: float | str | None
    kind: str
    source: str  # the citation (benchmarks) or "assumption" text


@dataclass
class Pitch:
    """Everything a pitch file shows, in one language and one currency."""

    lang: str
    currency: str
    campaign_id: int
    title: str  # the campaign's name
    client: str
    date: dt.date
    brief: list[tuple[str, str]]  # label, text
    totals: list[Figure]
    plan: Table
    barter: Table | None
    backups: Table | None
    frontier: pd.DataFrame | None  # w, unique_reach, niche_value, cost (currency)
    current_w: float
    budget_curve: pd.DataFrame | None  # CURVE_COLUMNS of the scenarios' sweep (budget in the pitch's currency)
    assumptions: list[Assumption]
    notes: dict[str, str] = field(default_factory=dict)  # section -> a sentence (why something is missing)
    scenarios: Table | None = None  # one row per compared scenario: totals with the P10–P90 band of unique reach
    scenario_bloggers: Table | None = None  # the bloggers not in every compared plan
    scenario_totals: pd.DataFrame | None = None  # planner.planning.scenarios.Comparison.totals (the chart's data)
    flattening_budget: float | None = None  # where returns flatten on the budget curve (currency)
    charts: dict[str, Any] = field(default_factory=dict)  # name -> Altair chart (the pages' builders)
    _png: dict[str, bytes] = field(default_factory=dict, repr=False)

    def text(self, key: str, **kwargs: object) -> str:
        return t(key, self.lang, **kwargs)

    @property
    def symbol(self) -> str:
        return money.SYMBOLS.get(self.currency, self.currency)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.totals if f.key == key)

    def chart_titles(self) -> dict[str, str]:
        return {name: self.text(f"pitch.chart.{name}") for name in self.charts}

    def pngs(self) -> dict[str, bytes]:
        """Each chart as a PNG (rendered once per document, offline)."""
        for name, chart in self.charts.items():
            if name not in self._png:
                self._png[name] = chart_png(chart, CHART_WIDTHS.get(name, CHART_WIDTH))
        return dict(self._png)


# ---- formatting (the renderers' one helper) -----------------------------------------------------------------
def missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return isinstance(value, float | np.floating) and not math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def cell_text(value: Any, kind: str, lang: str, currency: str, source: str | None = None) -> str:
    """A value as a reader sees it (12 500 ₽, 1,2 млн…), an estimate marked ≈ (planner.core.money formats)."""
    if missing(value) or (kind != "text" and isinstance(value, str) and not value):
        return "—"
    mark = "≈ " if source == "estimated" else ""
    if kind == "money":
        return mark + money.format_money(float(value), currency, lang)
    if kind == "int":
        return mark + money.format_number(round(float(value)), lang)
    if kind == "number":
        return mark + money.format_number(float(value), lang, 2)
    if kind == "share":  # a fraction shown in per cent
        return mark + format_share(float(value), lang, 0)
    if kind == "percent":
        return mark + money.format_percent(float(value), lang, 1)
    return str(value)


def table_texts(table: Table, lang: str, currency: str) -> tuple[list[str], list[list[str]]]:
    """A table as the PPTX and PDF print it: its headers, and each row's cells as text (estimates marked ≈)."""
    frame = table.frame
    heads = [c.label for c in table.columns]
    rows: list[list[str]] = []
    for rec in frame.to_dict("records"):
        rows.append([cell_text(rec.get(c.key), c.kind, lang, currency,
                               str(rec.get(c.source_key)) if c.source_key else None) for c in table.columns])
    return heads, rows


def column_widths(heads: Sequence[str], rows: Sequence[Sequence[str]], total: float,
                  measure: Callable[[str], float], measure_head: Callable[[str], float] | None = None,
                  pad: float = 0.0, cap: float = 0.34) -> list[float]:
    """Widths that fit each column's longest cell and its header's longest word (headers may wrap between words),
    no column above ``cap`` of the table; scaled to ``total`` (spare room shared out, a shortfall taken from the
    widest columns, which then wrap)."""
    head_measure = measure_head or measure
    need = []
    for c, head in enumerate(heads):
        word = max((head_measure(w) for w in str(head).split()), default=0.0)
        cell = max((measure(str(r[c])) for r in rows), default=0.0)
        need.append(min(max(word, cell) + pad, cap * total))
    s = sum(need)
    if s <= 0:
        return [total / max(len(heads), 1)] * len(heads)
    if s <= total:
        return [w + (total - s) * w / s for w in need]
    # too wide: shrink the columns above the even share first, so narrow number columns keep their width
    widths = list(need)
    for _ in range(20):
        over = sum(widths) - total
        if over <= 1e-6:
            break
        even = total / len(widths)
        big = [i for i, w in enumerate(widths) if w > even]
        if not big:
            widths = [w * total / sum(widths) for w in widths]
            break
        room = sum(widths[i] - even for i in big)
        take = min(over, room)
        for i in big:
            widths[i] -= take * (widths[i] - even) / room
    return widths


def source_text(source: str | None, lang: str) -> str:
    if not source:
        return ""
    return t(f"pitch.src.{source}", lang) if source in SOURCES else str(source)


def totals_texts(pitch: Pitch) -> tuple[list[str], list[list[str]]]:
    """The totals as the PPTX and PDF print them: figure, value (estimates marked ≈), source and its note."""
    p = pitch
    heads = [p.text("pitch.col.figure"), p.text("pitch.col.value"), p.text("pitch.col.source")]
    return heads, [[f.label, cell_text(f.value, f.kind, p.lang, p.currency, f.source),
                    source_text(f.source, p.lang) + (f" — {f.note}" if f.note else "")] for f in p.totals]


def assumption_texts(pitch: Pitch) -> tuple[list[str], list[list[str]]]:
    """The assumptions as the PPTX and PDF print them: assumption, value, source."""
    p = pitch
    heads = [p.text("pitch.col.assumption"), p.text("pitch.col.value"), p.text("pitch.col.source")]
    return heads, [[a.label, cell_text(a.value, a.kind, p.lang, p.currency), a.source] for a in p.assumptions]


def chart_png(chart: Any, width: int = CHART_WIDTH, scale: float = 2.0) -> bytes:
    """An Altair chart as a PNG, from the same spec the page shows, wider for a page or a slide."""
    import vl_convert as vlc

    spec = chart.to_dict()
    spec["width"] = width
    spec.pop("autosize", None)
    spec.setdefault("background", "white")
    # one font with Cyrillic and ₽ for every text (the renderer's default falls back to a serif for ₽)
    spec.setdefault("config", {})["font"] = CHART_FONT
    return vlc.vegalite_to_png(spec, scale=scale)
