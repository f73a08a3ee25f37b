"""The pitch's document model: what a pitch file shows (:class:`Pitch`, its :class:`Table` s of :class:`Column` s,
its :class:`Figure` s and :class:`Assumption` s, each with its source from :data:`SOURCES`), and the text helpers the
renderers share (a value as a reader sees it, a table's cells, column widths, a chart as a PNG).

:mod:`planner.reporting.pitch` builds a :class:`Pitch`; the renderers (:mod:`planner.reporting.pitch_xlsx`,
:mod:`planner.reporting.pitch_pptx`, :mod:`planner.reporting.pitch_pdf`) lay one out. This module imports neither,
so the renderers depend on the model alone and the builder on the model and the renderers.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.core import money
from planner.core.i18n import TEXT, t
from planner.core.units import format_share

# Where a figure comes from (STYLE.md rule 18); "brief" is the client's own input (the budget, the target).
SOURCES: tuple[str, ...] = ("quoted", "measured", "estimated", "assumption", "brief")
# Kinds of value a column or a figure holds: how each renderer formats it (XLSX number formats, text elsewhere).
KINDS: tuple[str, ...] = ("text", "money", "int", "number", "share", "percent")
CHART_FONT = "DejaVu Sans"
CHART_WIDTH = 1200  # px, before the 2x scale: a chart as wide as a slide's content
CHART_HEIGHT = 470  # px: the room under a slide's title and note (16:9), the same shape on a landscape page
CHART_WIDTHS: dict[str, int] = {}  # a chart drawn narrower than CHART_WIDTH (none: every chart fills its slide)
CHART_FONT_SIZES = {"label": 15, "title": 16, "legend": 15}  # px at CHART_WIDTH: about 11-12 pt on a slide


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
    low: float | None = None  # P10 of the figure (an estimate's band), when one is computed
    high: float | None = None  # P90

    @property
    def banded(self) -> bool:
        return self.low is not None and self.high is not None and not missing(self.low) and not missing(self.high)


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

    def png(self, name: str, width: int | None = None, height: int | None = None) -> bytes | None:
        """One chart as a PNG of ``width`` x ``height`` px (before the 2x scale; default: a slide's content), axes and
        legend included; rendered once per document and size, offline. None when the pitch has no such chart."""
        chart = self.charts.get(name)
        if chart is None:
            return None
        w, h = width or CHART_WIDTHS.get(name, CHART_WIDTH), height or CHART_HEIGHT
        key = f"{name}@{w}x{h}"
        if key not in self._png:
            self._png[key] = chart_png(chart, w, h)
        return self._png[key]

    def pngs(self) -> dict[str, bytes]:
        """Each chart as a PNG at the default size (a slide's content)."""
        return {name: png for name in self.charts if (png := self.png(name)) is not None}


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
    mark = "≈\u00a0" if source == "estimated" else ""  # the mark never wraps away from its number
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


_BREAK = re.compile(r"[ \t\r\n]+")  # where a line may break: a plain space, never a no-break space inside 12 500 ₽


def words(text: str) -> list[str]:
    """The pieces a renderer may wrap a text between (plain spaces; "12 500 ₽" with its no-break spaces is one)."""
    return [w for w in _BREAK.split(str(text)) if w]


def word_widths(heads: Sequence[str], rows: Sequence[Sequence[str]], measure: Callable[[str], float],
                measure_head: Callable[[str], float] | None = None, pad: float = 0.0) -> list[float]:
    """Each column's longest word (of its header and its cells) plus ``pad``: the least width at which no word of
    the column breaks."""
    head_measure = measure_head or measure
    out = []
    for c, head in enumerate(heads):
        hw = max((head_measure(w) for w in words(head)), default=0.0)
        cw = max((measure(w) for r in rows for w in words(str(r[c]))), default=0.0)
        out.append(max(hw, cw) + pad)
    return out


def column_widths(heads: Sequence[str], rows: Sequence[Sequence[str]], total: float,
                  measure: Callable[[str], float], measure_head: Callable[[str], float] | None = None,
                  pad: float = 0.0, cap: float = 0.34) -> list[float]:
    """Column widths over ``total``: every column at least its longest word (headers and cells wrap between words,
    never inside one, while the table can hold them), the room left given to the columns whose cells are longer
    than that, in proportion to what they still need to hold their longest cell on one line (at most ``cap`` of the
    table); spare room shared out in proportion. When even the longest words do not fit, they are scaled down (and
    break): a caller that can, tries a smaller font first (:func:`word_widths`)."""
    head_measure = measure_head or measure
    lo = word_widths(heads, rows, measure, measure_head, pad)
    hi = []
    for c, head in enumerate(heads):
        full = max((measure(str(r[c])) for r in rows), default=0.0)
        hw = max((head_measure(w) for w in words(head)), default=0.0)
        hi.append(max(lo[c], min(max(full, hw) + pad, cap * total)))
    if not heads:
        return []
    if sum(hi) <= 0:
        return [total / len(heads)] * len(heads)
    if sum(hi) <= total:
        return [w + (total - sum(hi)) * w / sum(hi) for w in hi]
    if sum(lo) <= total:
        extra = [h - w for h, w in zip(hi, lo, strict=True)]
        room = total - sum(lo)
        return [w + room * e / sum(extra) for w, e in zip(lo, extra, strict=True)]
    return [w * total / sum(lo) for w in lo]


def source_text(source: str | None, lang: str) -> str:
    if not source:
        return ""
    return t(f"pitch.src.{source}", lang) if source in SOURCES else str(source)


@functools.cache
def _citations() -> dict[str, str]:
    """English text of a benchmark's source -> its i18n key (``pitch.bsrc.*``)."""
    return {v["en"]: k for k, v in TEXT.items() if k.startswith("pitch.bsrc.")}


def citation_text(source: str, lang: str) -> str:
    """A benchmark's or an assumption's source (planner.estimates.benchmarks, planner.planning.uncertainty: English
    text) in ``lang``: its translation in planner.core.i18n (keys ``pitch.bsrc.*``), else the text as it is."""
    key = _citations().get(str(source))
    return t(key, lang) if key else str(source)


def band_text(figure: Figure, lang: str, currency: str) -> str:
    """"P10–P90: 250 000 – 340 000" for a figure with a band ("" without one)."""
    if not figure.banded:
        return ""
    return t("pitch.band", lang, low=cell_text(figure.low, figure.kind, lang, currency),
             high=cell_text(figure.high, figure.kind, lang, currency))


def sources_line(table: Table, lang: str) -> str:
    """Which sources each column of a table draws on ("Cash: quoted; Reach: measured, ≈ estimated"), for the line
    under a table whose cells mark only estimates (≈)."""
    items = []
    for c in table.columns:
        if not c.source_key or c.source_key not in table.frame or table.frame.empty:
            continue
        found = [s for s in SOURCES if s in set(table.frame[c.source_key].astype(str))]
        if found:
            items.append(t("pitch.sources_item", lang, column=c.label,
                           sources=", ".join(source_text(s, lang) for s in found)))
    text = t("pitch.sources_line", lang, items="; ".join(items)) if items else ""
    return text.replace("≈ ", "≈\u00a0")  # the mark stays with its word


def subset(table: Table, keys: Sequence[str], *, title: str | None = None, note: str | None = None) -> Table:
    """The table with only the columns ``keys`` (in the table's order), its rows and sources as they are."""
    wanted = set(keys)
    return Table(table.name, table.title if title is None else title, table.frame,
                 [c for c in table.columns if c.key in wanted], table.note if note is None else note)


def story_plan(plan: Table) -> Table:
    """The plan's columns a client reads on a slide or a printed page: no status, and no deal, product or chance of
    the post when every placement is paid (a column of "Paid", "0 ₽" and "100 %" says nothing). The workbook keeps
    every column."""
    keys = [c.key for c in plan.columns if c.key != "status_label"]
    frame = plan.frame
    if frame.empty or (frame["deal"] == "paid").all():
        keys = [k for k in keys if k not in ("deal_label", "product_cost", "expected_posts")]
    return subset(plan, keys)


def rows_of(table: Table, start: int, stop: int | None = None) -> Table:
    """The table's rows ``start:stop``."""
    return Table(table.name, table.title, table.frame.iloc[start:stop].reset_index(drop=True), table.columns,
                 table.note)


# ---- file names ---------------------------------------------------------------------------------------------
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]+')
PART_BYTES = 80  # the client's and the campaign's part of a file name, each, at most (UTF-8 bytes)


def _name_part(text: str, limit: int = PART_BYTES) -> str:
    """A piece of a file name: no path separators, control or reserved characters, one space between words, no dots
    or spaces at its ends, at most ``limit`` UTF-8 bytes (cut between characters, "…" marking the cut)."""
    text = unicodedata.normalize("NFC", str(text or ""))
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    text = " ".join(_UNSAFE.sub(" ", text).split()).strip(" .")
    if len(text.encode("utf-8")) <= limit:
        return text
    room = limit - len("…".encode())
    while len(text.encode("utf-8")) > room:
        text = text[:-1]
    return text.rstrip(" .,-–—") + "…"


def file_name(title: str, client: str, fmt: str, lang: str, day: dt.date, *, fallback: str = "") -> str:
    """The pitch's file name: ``Client – Campaign – pitch – 2026-12-04.pptx`` (without a client: ``Campaign – pitch
    – 2026-12-04.pptx``; the word in ``lang``). Safe for any client or campaign name: no path separators, control or
    reserved characters, never hidden, each name at most :data:`PART_BYTES` bytes, the whole well under 255.
    ``fallback``: the campaign's part when its name leaves nothing (``campaign 12``)."""
    parts = [p for p in (_name_part(client), _name_part(title) or _name_part(fallback)) if p]
    word = _name_part(t("pitch.file_word", lang), 40) or "pitch"
    ext = re.sub(r"[^a-z0-9]", "", str(fmt).lower())[:8] or "bin"
    return " – ".join([*parts, word, day.isoformat()]) + f".{ext}"


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


def chart_spec(chart: Any, width: int = CHART_WIDTH, height: int = CHART_HEIGHT) -> dict[str, Any]:
    """An Altair chart's Vega-Lite spec sized to ``width`` x ``height`` px in all (axes, titles and legend inside:
    autosize "fit"), with one font that has Cyrillic, ₽ and ≈ and text large enough for a slide."""
    spec = chart.to_dict()
    spec["width"], spec["height"] = int(width), int(height)
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    spec.setdefault("background", "white")
    spec.setdefault("padding", 8)
    config = spec.setdefault("config", {})
    config["font"] = CHART_FONT  # the renderer's default falls back to a serif for ₽
    sizes = CHART_FONT_SIZES
    config.setdefault("axis", {}).update({"labelFontSize": sizes["label"], "titleFontSize": sizes["title"],
                                          "titlePadding": 10})
    config.setdefault("legend", {}).update({"labelFontSize": sizes["legend"], "titleFontSize": sizes["legend"],
                                            "labelLimit": 420})
    config.setdefault("text", {}).setdefault("fontSize", sizes["label"])
    return spec


def chart_png(chart: Any, width: int = CHART_WIDTH, height: int = CHART_HEIGHT, scale: float = 2.0) -> bytes:
    """An Altair chart as a PNG from the same spec the page shows, sized for a slide or a page (:func:`chart_spec`)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart_spec(chart, width, height), scale=scale)
