"""The pitch as a PowerPoint deck (python-pptx, 16:9) that reads as a story, in the client's language:

1. the title (the campaign, the client, the date); 2. the brief; 3. what the plan buys (cash, product, unique reach in
the target audience and orders with their P10–P90, then total cost, budget, cost per 1,000 people reached,
placements and bloggers), each figure with its source; 4. the plan's top placements; 5. the budget by platform and
format; 6. the reach–niche frontier; 7. the budget curve with its band and the flattening point; 8. barter and
hybrid deals; 9. the compared scenarios; 10. assumptions with their sources and what the sources mean; then an
appendix: the rest of the plan, every total with its source, backups, the bloggers that differ between scenarios.
A section without content (no barter, no scenarios, no frontier) is left out.

Text is editable text and tables are native tables; only the charts are pictures, each rendered to the shape of the
room it fills. Every text is measured (planner.reporting.pitch_text) and every box and table row is made as tall as
its text needs, so nothing runs out of its box; a table too long for one slide continues on the next. It lays out a
:class:`planner.reporting.pitch_model.Pitch` and computes nothing."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from planner.reporting import pitch_text as tx
from planner.reporting.pitch_model import (
    SOURCES,
    Figure,
    Pitch,
    Table,
    assumption_texts,
    band_text,
    cell_text,
    column_widths,
    rows_of,
    source_text,
    sources_line,
    story_plan,
    table_texts,
    totals_texts,
    word_widths,
    words,
)

NAVY = RGBColor(0x1F, 0x2A, 0x44)
ACCENT = RGBColor(0x4C, 0x6F, 0xFF)
GREY = RGBColor(0x6B, 0x72, 0x80)
LIGHT = RGBColor(0xF3, 0xF4, 0xF6)
PALE = RGBColor(0xB8, 0xC2, 0xE0)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
INK = RGBColor(0x11, 0x18, 0x27)
FONT = "Arial"
EMU_PT = 12700  # EMU per point
W, H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BOTTOM = H - Inches(0.62)  # the content's lowest line, above the footer
PAD_X, PAD_Y = 3.6, 2.2  # a text box's insets, points
CELL_X, CELL_Y = 4.3, 2.2  # a table cell's insets, points
TOP_ROWS = 10  # placements on the plan's slide when the plan does not fit one slide
TABLE_SIZES = (14.0, 13.0, 12.0, 11.0, 10.0, 9.0)
MIN_PAGED = 11.0  # a table over several slides is set no smaller than this (when its words fit)


def _pt(emu: int | float) -> float:
    return float(emu) / EMU_PT


def _emu(pt: float) -> Emu:
    return Emu(int(round(pt * EMU_PT)))


class _Deck:
    def __init__(self, pitch: Pitch):
        self.p = pitch
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = W, H
        core = self.prs.core_properties
        # python-pptx refuses a core property over 255 characters: the file's properties keep the first 255
        core.title = (pitch.title or "")[:255]
        core.subject = (pitch.text("pitch.doc_title") or "")[:255]
        core.author = (pitch.client or "")[:255]
        core.language = "ru-RU" if pitch.lang == "ru" else "en-US"
        self.blank = self.prs.slide_layouts[6]
        self.numbers: list[Any] = []  # each slide's number box, filled in when the deck is closed
        self.rest: Table | None = None  # the plan's placements after its slide's top ones (the appendix)

    # ---- primitives ------------------------------------------------------------------------------------
    def text(self, s, text: str, left, top, width, height, *, size: float = 14, bold: bool = False,
             color: RGBColor = INK, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
        """A text box exactly ``width`` x ``height`` (never grown by the renderer), wrapping at words."""
        box = s.shapes.add_textbox(left, top, width, height)
        tf = box.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.vertical_anchor = anchor
        tf.margin_left = tf.margin_right = _emu(PAD_X)
        tf.margin_top = tf.margin_bottom = _emu(PAD_Y)
        for i, line in enumerate(str(text).split("\n")):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            para.alignment = align
            run = para.add_run()
            run.text = line
            _font(run.font, size, bold, color)
        return box

    def fitted(self, s, text: str, left, top, width, sizes: Sequence[float], *, max_h: float | None = None,
               bold: bool = False, max_lines: int | None = None, **kwargs: Any) -> float:
        """A text box at the largest of ``sizes`` whose wrapped text fits ``width`` and ``max_h`` points (cut with
        "…" at the smallest size when it does not); as tall as the text. Returns its height in points."""
        avail = _pt(width) - 2 * PAD_X
        room = (max_h if max_h is not None else 10_000.0) - 2 * PAD_Y
        size, lines = tx.fit(text, avail, room, tuple(sizes), bold, max_lines)
        h = tx.height(len(lines), size) + 2 * PAD_Y
        self.text(s, "\n".join(_paragraphs(text, lines)), left, top, width, _emu(h), size=size, bold=bold, **kwargs)
        return h

    def slide(self, title: str, subtitle: str | None = None) -> tuple[Any, int]:
        """A content slide with its title (one line, smaller when long) and subtitle (up to three lines); returns the
        slide and the top of its content (EMU)."""
        s = self.prs.slides.add_slide(self.blank)
        band = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, Inches(0.12))
        _fill(band, ACCENT)
        width = W - 2 * MARGIN
        y: int = Inches(0.28)
        y += _emu(self.fitted(s, title, MARGIN, y, width, (26, 23, 20, 18), max_lines=1, bold=True, color=NAVY))
        if subtitle:
            y += _emu(2)
            y += _emu(self.fitted(s, subtitle, MARGIN, y, width, (13, 12, 11), max_lines=3, color=GREY))
        self.footer(s)
        return s, int(y + Inches(0.14))

    def footer(self, s) -> None:
        p = self.p
        left = p.title + (f" · {p.client}" if p.client else "")
        y, h = H - Inches(0.45), Inches(0.3)
        width = Inches(9.2)
        self.text(s, tx.clip(left, _pt(width) - 2 * PAD_X, 9), MARGIN, y, width, h, size=9, color=GREY)
        self.numbers.append(self.text(s, "", W - MARGIN - Inches(2.6), y, Inches(2.6), h, size=9, color=GREY,
                                      align=PP_ALIGN.RIGHT))

    def cell_widths(self, heads: Sequence[str], rows: Sequence[Sequence[str]], size: float,
                    weights: Sequence[float] | None) -> list[float]:
        """Column widths in points over the slide's width: ``weights`` when given, else each column's longest cell
        and its header's longest word (planner.reporting.pitch_model.column_widths)."""
        total = _pt(W - 2 * MARGIN)
        if weights:
            return [total * w / sum(weights) for w in weights]
        return column_widths(heads, rows, total, lambda x: tx.width(x, size), lambda x: tx.width(x, size, True),
                             pad=2 * CELL_X + 2.0, cap=0.4)

    @staticmethod
    def row_height(cells: Sequence[str], widths: Sequence[float], size: float, bold: bool = False) -> float:
        lines = max((tx.lines(str(c), max(w - 2 * CELL_X, 1.0), size, bold) for c, w in zip(cells, widths,
                                                                                         strict=True)), default=1)
        return tx.height(lines, size) + 2 * CELL_Y + 1.0

    def layout(self, heads: Sequence[str], rows: Sequence[Sequence[str]], room: float,
               sizes: Sequence[float] = TABLE_SIZES, weights: Sequence[float] | None = None
               ) -> tuple[float, list[float], float, list[float]]:
        """The table's size, column widths, header height and row heights (points): the largest size at which it
        fits ``room`` points with no word broken; when no size does, the largest of at least :data:`MIN_PAGED`
        points with no word broken (it then continues on further slides)."""
        total = _pt(W - 2 * MARGIN)

        def words_fit(size: float) -> bool:
            return weights is not None or sum(word_widths(heads, rows, lambda x: tx.width(x, size),
                                                          lambda x: tx.width(x, size, True),
                                                          2 * CELL_X + 2.0)) <= total

        def sized(size: float) -> tuple[float, list[float], float, list[float]]:
            widths = self.cell_widths(heads, rows, size, weights)
            return (size, widths, self.row_height(heads, widths, size, bold=True),
                    [self.row_height(r, widths, size) for r in rows])

        for size in sizes:
            if words_fit(size):
                out = sized(size)
                if out[2] + sum(out[3]) <= room:
                    return out
        readable = [x for x in sizes if x >= MIN_PAGED and words_fit(x)]
        return sized(readable[0] if readable else sizes[-1])

    def table(self, s, heads: Sequence[str], rows: Sequence[Sequence[str]], top, *, numeric: Sequence[bool],
              size: float, widths: Sequence[float], head_h: float, heights: Sequence[float]) -> int:
        """A native table whose rows are as tall as their text needs; returns its bottom (EMU)."""
        shape = s.shapes.add_table(len(rows) + 1, len(heads), MARGIN, top, W - 2 * MARGIN,
                                   _emu(head_h + sum(heights)))
        tbl = shape.table
        for i, w in enumerate(widths):
            tbl.columns[i].width = _emu(w)
        for r, h in enumerate([head_h, *heights]):
            tbl.rows[r].height = _emu(h)
        for c, head in enumerate(heads):
            self._cell(tbl.cell(0, c), head, size, bold=True, color=WHITE, fill=NAVY,
                       align=PP_ALIGN.RIGHT if numeric[c] else PP_ALIGN.LEFT)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                self._cell(tbl.cell(r, c), value, size, fill=LIGHT if r % 2 == 0 else WHITE,
                           align=PP_ALIGN.RIGHT if numeric[c] else PP_ALIGN.LEFT)
        return int(top + _emu(head_h + sum(heights)))

    @staticmethod
    def _cell(cell, text: str, size: float, *, bold: bool = False, color: RGBColor = INK, fill: RGBColor = WHITE,
              align=PP_ALIGN.LEFT) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        cell.margin_left = cell.margin_right = _emu(CELL_X)
        cell.margin_top = cell.margin_bottom = _emu(CELL_Y)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        tf = cell.text_frame
        tf.word_wrap = True
        para = tf.paragraphs[0]
        para.alignment = align
        run = para.add_run()
        run.text = text
        _font(run.font, size, bold, color)

    def paged_table(self, title: str, subtitle: str | None, heads: Sequence[str], rows: Sequence[Sequence[str]], *,
                    numeric: Sequence[bool], weights: Sequence[float] | None = None, foot: str = "",
                    sizes: Sequence[float] = TABLE_SIZES, empty: str = "") -> None:
        """A table under its title, over as many slides as it needs (numbered "(2/3)", balanced so that no slide
        holds a lone row), ``foot`` (its sources) under it on every slide."""
        if not rows:
            s, top = self.slide(title, subtitle)
            self.fitted(s, empty or self.p.text("pitch.note.no_placements"), MARGIN, top, W - 2 * MARGIN, (14,))
            return
        foot_h = self._foot_height(foot)
        # the room under a title and its subtitle (measured on a throw-away layout of the same texts)
        room = _pt(BOTTOM) - self._top_of(title, subtitle) - foot_h
        size, widths, head_h, heights = self.layout(heads, rows, room, sizes, weights)
        heights = _stretched(heights, room - head_h - 2.0, size)
        parts = tx.balance(heights, room - head_h, room - head_h)
        for i, (a, b) in enumerate(parts):
            s, top = self.slide(f"{title} ({i + 1}/{len(parts)})" if len(parts) > 1 else title, subtitle)
            bottom = self.table(s, heads, rows[a:b], top, numeric=numeric, size=size, widths=widths, head_h=head_h,
                                heights=heights[a:b])
            if foot:
                self.fitted(s, foot, MARGIN, bottom + Inches(0.08), W - 2 * MARGIN, (10, 9), max_lines=3,
                            color=GREY)

    def _foot_height(self, foot: str) -> float:
        if not foot:
            return 0.0
        size, lines = tx.fit(foot, _pt(W - 2 * MARGIN) - 2 * PAD_X, 1e4, (10, 9), max_lines=3)
        return tx.height(len(lines), size) + 2 * PAD_Y + _pt(Inches(0.08))

    def _top_of(self, title: str, subtitle: str | None) -> float:
        """Where a slide's content starts (points) under this title and subtitle, as :meth:`slide` lays them out."""
        avail = _pt(W - 2 * MARGIN) - 2 * PAD_X
        y = _pt(Inches(0.28))
        size, lines = tx.fit(title + " (9/9)", avail, 1e4, (26, 23, 20, 18), True, 1)
        y += tx.height(len(lines), size) + 2 * PAD_Y
        if subtitle:
            size, lines = tx.fit(subtitle, avail, 1e4, (13, 12, 11), False, 3)
            y += 2 + tx.height(len(lines), size) + 2 * PAD_Y
        return y + _pt(Inches(0.14))

    def table_slides(self, table: Table, *, title: str | None = None, subtitle: str | None = None,
                     foot: bool = True) -> None:
        p = self.p
        heads, rows = table_texts(table, p.lang, p.currency)
        self.paged_table(title or table.title, table.note if subtitle is None else subtitle, heads, rows,
                         numeric=[c.kind != "text" for c in table.columns],
                         foot=sources_line(table, p.lang) if foot else "")

    def picture(self, s, name: str, top) -> bool:
        """The chart ``name`` filling the slide under ``top``, rendered to that shape."""
        width, height = W - 2 * MARGIN, BOTTOM - top
        px_w = 1200
        png = self.p.png(name, px_w, max(int(px_w * height / width), 200))
        if png is None:
            return False
        s.shapes.add_picture(io.BytesIO(png), MARGIN, top, width=width, height=height)
        return True

    # ---- slides --------------------------------------------------------------------------------------------
    def title_slide(self) -> None:
        p = self.p
        s = self.prs.slides.add_slide(self.blank)
        bg = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, H)
        _fill(bg, NAVY)
        width = W - 2 * MARGIN
        self.fitted(s, p.text("pitch.doc_title").upper(), MARGIN, Inches(1.2), width, (16, 14), max_lines=1,
                    bold=True, color=PALE)
        bar = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN + _emu(PAD_X), Inches(1.85), Inches(1.2), Inches(0.08))
        _fill(bar, ACCENT)
        y: int = Inches(2.1)
        y += _emu(self.fitted(s, p.title, MARGIN, y, width, (44, 38, 32, 28, 24), max_h=_pt(Inches(2.3)),
                              bold=True, color=WHITE))
        if p.client:
            y += Inches(0.2)
            y += _emu(self.fitted(s, p.text("pitch.for_client", client=p.client), MARGIN, y, width, (26, 22, 18),
                                  max_lines=2, color=WHITE))
        y += Inches(0.12)
        self.fitted(s, p.text("pitch.prepared_on", date=p.date.strftime("%d.%m.%Y")), MARGIN, y, width, (16,),
                    max_lines=1, color=PALE)
        note = p.text("pitch.currency_note", ccy=p.currency, sym=p.symbol)
        size, lines = tx.fit(note, _pt(width) - 2 * PAD_X, 1e4, (12, 11), max_lines=2)
        h = tx.height(len(lines), size) + 2 * PAD_Y
        self.fitted(s, note, MARGIN, H - Inches(0.4) - _emu(h), width, (12, 11), max_lines=2, color=PALE)

    def brief(self) -> None:
        p = self.p
        heads = [p.text("pitch.col.item"), p.text("pitch.col.value")]
        rows = [[label, text] for label, text in p.brief]
        self.paged_table(p.text("pitch.section.brief"), None, heads, rows, numeric=[False, False],
                         weights=[1.0, 2.2], sizes=(20, 18, 16, 15, 14, 13, 12, 11))

    def cards(self, s, cards: Sequence[tuple[Figure, str, str]], top, height, *, big: bool) -> None:
        """A row of figures on cards, each with its value, its label, its P10–P90 when it has one and its source;
        ``cards``: (figure, label, value text). One size for every value of the row, one for every label."""
        p = self.p
        gap = Inches(0.22)
        cw = int((W - 2 * MARGIN - (len(cards) - 1) * gap) / len(cards))
        inner = _pt(cw - Inches(0.3)) - 2 * PAD_X
        value_sizes = (40, 34, 30, 26, 22, 18) if big else (28, 24, 20, 16)
        label_sizes = (16, 15, 14, 13) if big else (14, 13, 12)
        lines = 3 if big else 2
        v_size = min(tx.fit(v, inner, 1e4, value_sizes, True, 1)[0] for _, _, v in cards)
        l_size = min(tx.fit(lab, inner, 1e4, label_sizes, False, lines)[0] for _, lab, _ in cards)
        for i, (f, label, value) in enumerate(cards):
            left = MARGIN + (cw + gap) * i
            shape = s.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, cw, height)
            _fill(shape, LIGHT)
            shape.adjustments[0] = 0.05
            x, y, width = left + Inches(0.15), top + Inches(0.12), cw - Inches(0.3)
            y += _emu(self.fitted(s, value, x, y, width, (v_size,), max_lines=1, bold=True, color=NAVY))
            y += _emu(self.fitted(s, label, x, y, width, (l_size,), max_lines=lines))
            band = band_text(f, p.lang, p.currency)
            if band:
                y += _emu(self.fitted(s, band, x, y, width, (15, 14, 13, 12, 11), max_lines=2, bold=True,
                                      color=ACCENT))
            source = source_text(f.source, p.lang) + (f" — {f.note}" if f.note else "")
            room = _pt(top + height - y) - 8
            if room > 12:
                self.fitted(s, source, x, y + Inches(0.04), width, (13, 12, 11, 10, 9), max_h=room, color=GREY)

    def headline(self) -> None:
        p = self.p
        n = cell_text(p.figure("placements").value, "int", p.lang, p.currency)
        b = cell_text(p.figure("bloggers").value, "int", p.lang, p.currency)
        s, top = self.slide(p.text("pitch.section.headline"), p.text("pitch.headline_sub", n=n, b=b))
        gap = Inches(0.22)
        room = BOTTOM - top
        big_h = int((room - gap) * 0.6)

        def card(key: str, label: str | None = None, value: str | None = None) -> tuple[Figure, str, str]:
            f = p.figure(key)
            return (f, label or f.label,
                    value if value is not None else cell_text(f.value, f.kind, p.lang, p.currency, f.source))

        self.cards(s, [card("cash_cost"), card("product_cost"),
                       card("unique_reach", p.text("pitch.headline.unique_reach")), card("orders")],
                   top, big_h, big=True)
        self.cards(s, [card("total_cost"), card("budget"), card("cpm_unique"),
                       card("placements", p.text("pitch.headline.bloggers"), f"{n} · {b}")],
                   top + big_h + gap, int(room - gap - big_h), big=False)

    def plan(self) -> None:
        p = self.p
        table = story_plan(p.plan)
        total = len(table.frame)
        heads, rows = table_texts(table, p.lang, p.currency)
        numeric = [c.kind != "text" for c in table.columns]
        foot = sources_line(table, p.lang)
        title, sub = p.text("pitch.section.plan"), p.text("pitch.sub.plan_all")
        room = _pt(BOTTOM) - self._top_of(title, sub) - self._foot_height(foot)
        size, widths, head_h, heights = self.layout(heads, rows, room)
        if not total or head_h + sum(heights) <= room:
            self.paged_table(title, sub, heads, rows, numeric=numeric, foot=foot)
            return
        top_n = min(TOP_ROWS, total)
        self.paged_table(p.text("pitch.section.plan_top", n=top_n, total=total),
                         p.text("pitch.sub.plan_top", rest=total - top_n) if total > top_n else sub,
                         heads, rows[:top_n], numeric=numeric, foot=foot)
        self.rest = rows_of(table, top_n) if total > top_n else None

    def chart(self, name: str, title: str, note: str = "") -> None:
        if name not in self.p.charts:
            return
        s, top = self.slide(title, note or None)
        self.picture(s, name, top)

    def scenarios(self) -> None:
        p = self.p
        if p.scenarios is None:
            return
        table = p.scenarios
        heads, rows = table_texts(table, p.lang, p.currency)
        numeric = [c.kind != "text" for c in table.columns]
        title = p.text("pitch.section.scenarios")
        room = _pt(BOTTOM) - self._top_of(title, table.note)
        size, widths, head_h, heights = self.layout(heads, rows, room)
        used = head_h + sum(heights)
        if "compare" in p.charts and room - used >= _pt(Inches(2.4)):
            s, top = self.slide(title, table.note)
            bottom = self.table(s, heads, rows, top, numeric=numeric, size=size, widths=widths, head_h=head_h,
                                heights=heights)
            self.picture(s, "compare", bottom + Inches(0.15))
            return
        self.table_slides(table, foot=False)
        self.chart("compare", p.text("pitch.chart.compare"))

    def assumptions(self) -> None:
        p = self.p
        heads, rows = assumption_texts(p)
        self.paged_table(p.text("pitch.section.assumptions"), None, heads, rows, numeric=[False, True, False],
                         weights=[1.5, 0.55, 2.6], sizes=(11, 10, 9))
        legend = [[source_text(x, p.lang), p.text(f"pitch.srcdef.{x}")] for x in SOURCES]
        self.paged_table(p.text("pitch.section.sources"), p.text("pitch.note.approx"),
                         [p.text("pitch.col.source"), p.text("pitch.col.meaning")], legend, numeric=[False, False],
                         weights=[1.0, 3.6], sizes=(15, 14, 13, 12))

    def appendix(self) -> None:
        p = self.p
        if self.rest is not None:
            self.table_slides(self.rest, title=p.text("pitch.section.appendix_plan"), subtitle="")
        heads, rows = totals_texts(p)
        self.paged_table(p.text("pitch.section.appendix_totals"), p.text("pitch.note.approx"), heads, rows,
                         numeric=[False, True, False], weights=[1.6, 1.1, 2.4], sizes=(12, 11, 10, 9))
        if p.backups is not None and not p.backups.empty:
            self.table_slides(p.backups, title=p.text("pitch.section.appendix_backups"))
        if p.scenario_bloggers is not None:
            self.table_slides(p.scenario_bloggers, title=p.text("pitch.section.appendix_scenario_bloggers"),
                              foot=False)

    def close(self) -> bytes:
        total = len(self.prs.slides)
        for i, box in enumerate(self.numbers):
            run = box.text_frame.paragraphs[0].add_run()
            run.text = f"{self.p.text('pitch.note.approx_short')} · {i + 2}/{total}"
            _font(run.font, 9, False, GREY)
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def _stretched(heights: Sequence[float], room: float, size: float) -> list[float]:
    """Row heights with the room a one-slide table leaves under it shared out (at most 0.9 of a line more per row),
    so that a short table fills its slide with air between its rows rather than sitting in the top third."""
    used = sum(heights)
    if not heights or used >= room:
        return list(heights)
    extra = min((room - used) / len(heights), 0.9 * size * tx.LINE)
    return [h + extra for h in heights]


def _paragraphs(text: str, lines: Sequence[str]) -> list[str]:
    """The text to put in a box: as it is when it fits whole, else the fitted lines' words (cut with "…"), one
    paragraph per paragraph of the text, so the renderer wraps them itself (no-break spaces kept)."""
    if words(" ".join(lines)) == words(str(text)):
        return [" ".join(words(par)) for par in str(text).split("\n")]
    return [" ".join(words(" ".join(lines)))]


def _fill(shape, color: RGBColor) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    shape.line.fill.background()
    shape.shadow.inherit = False


def _font(font, size: float, bold: bool, color: RGBColor) -> None:
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = color


def render(pitch: Pitch) -> bytes:
    p = pitch
    deck = _Deck(p)
    deck.title_slide()
    deck.brief()
    deck.headline()
    deck.plan()
    if "spend" in p.charts:
        total = cell_text(p.figure("total_cost").value, "money", p.lang, p.currency, p.figure("total_cost").source)
        deck.chart("spend", p.text("pitch.section.spend"), p.text("pitch.sub.spend", total=total))
    deck.chart("frontier", p.text("pitch.chart.frontier"), p.notes.get("frontier", ""))
    deck.chart("curve", p.text("pitch.chart.curve"), p.notes.get("curve", ""))
    if p.barter is not None:
        deck.table_slides(p.barter)
    deck.scenarios()
    deck.assumptions()
    deck.appendix()
    return deck.close()
