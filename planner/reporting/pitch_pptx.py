"""The pitch as a PowerPoint deck (python-pptx, 16:9): a title slide, the key figures, the brief, the totals with
their sources, the plan, the charts (budget by platform, the reach–niche frontier, the budget curve when computed),
barter and hybrid deals, backups, assumptions with their sources and what the sources mean. Text is editable text
and tables are native tables; only the charts are pictures. It lays out a :class:`planner.reporting.pitch_model.Pitch`
and computes nothing."""

from __future__ import annotations

import io
from collections.abc import Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from planner.reporting.pitch_model import (
    SOURCES,
    Pitch,
    Table,
    assumption_texts,
    cell_text,
    column_widths,
    source_text,
    table_texts,
    totals_texts,
)

NAVY = RGBColor(0x1F, 0x2A, 0x44)
ACCENT = RGBColor(0x4C, 0x6F, 0xFF)
GREY = RGBColor(0x6B, 0x72, 0x80)
LIGHT = RGBColor(0xF3, 0xF4, 0xF6)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
INK = RGBColor(0x11, 0x18, 0x27)
FONT = "Arial"
W, H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
ROWS_PER_SLIDE = 12


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

    # ---- primitives
    def slide(self, title: str | None = None, subtitle: str | None = None):
        s = self.prs.slides.add_slide(self.blank)
        band = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, Inches(0.12))
        _fill(band, ACCENT)
        if title:
            self.text(s, title, MARGIN, Inches(0.3), W - 2 * MARGIN, Inches(0.6), size=26, bold=True, color=NAVY)
        if subtitle:
            self.text(s, subtitle, MARGIN, Inches(0.88), W - 2 * MARGIN, Inches(0.5), size=12, color=GREY)
        self.footer(s)
        return s

    def footer(self, s) -> None:
        p = self.p
        left = p.title + (f" · {p.client}" if p.client else "")
        self.text(s, left, MARGIN, H - Inches(0.45), Inches(8), Inches(0.3), size=9, color=GREY)
        self.text(s, p.text("pitch.note.approx_short"), W - MARGIN - Inches(4.5), H - Inches(0.45), Inches(4.5),
                  Inches(0.3), size=9, color=GREY, align=PP_ALIGN.RIGHT)

    def text(self, s, text: str, left, top, width, height, *, size: int = 14, bold: bool = False,
             color: RGBColor = INK, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, wrap: bool = True):
        box = s.shapes.add_textbox(left, top, width, height)
        tf = box.text_frame
        tf.word_wrap = wrap
        tf.vertical_anchor = anchor
        tf.margin_left = tf.margin_right = Inches(0.05)
        lines = text.split("\n")
        for i, line in enumerate(lines):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            para.alignment = align
            run = para.add_run()
            run.text = line
            _font(run.font, size, bold, color)
        return box

    def table(self, s, heads: Sequence[str], rows: Sequence[Sequence[str]], top, *, numeric: Sequence[bool],
              widths: Sequence[float] | None = None, size: int = 11, height=None) -> None:
        n_rows, n_cols = len(rows) + 1, len(heads)
        width = W - 2 * MARGIN
        room = H - top - Inches(0.65)  # above the footer
        row_h = min(Inches(0.36 if size >= 11 else 0.32), int(room / n_rows))
        shape = s.shapes.add_table(n_rows, n_cols, MARGIN, top, width, height or row_h * n_rows)
        tbl = shape.table
        if widths:
            weights = list(widths)
        else:  # python-pptx cannot measure text: take a wide glyph (DejaVu Sans, LibreOffice's stand-in for Arial)
            em = size / 72 * 914400 * 0.6
            weights = column_widths(heads, rows, float(width), lambda x: len(x) * em,
                                    lambda x: len(x) * em * 1.12, pad=Inches(0.16))
        total = sum(weights)
        for i, w in enumerate(weights):
            tbl.columns[i].width = Emu(int(width * w / total))
        for r in range(n_rows):
            tbl.rows[r].height = row_h
        for c, head in enumerate(heads):
            self._cell(tbl.cell(0, c), head, size, bold=True, color=WHITE, fill=NAVY,
                       align=PP_ALIGN.RIGHT if numeric[c] else PP_ALIGN.LEFT)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                self._cell(tbl.cell(r, c), value, size, fill=LIGHT if r % 2 == 0 else WHITE,
                           align=PP_ALIGN.RIGHT if numeric[c] else PP_ALIGN.LEFT)

    @staticmethod
    def _cell(cell, text: str, size: int, *, bold: bool = False, color: RGBColor = INK, fill: RGBColor = WHITE,
              align=PP_ALIGN.LEFT) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        cell.margin_left = cell.margin_right = Inches(0.06)
        cell.margin_top = cell.margin_bottom = Inches(0.03)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        tf = cell.text_frame
        tf.word_wrap = True
        para = tf.paragraphs[0]
        para.alignment = align
        run = para.add_run()
        run.text = text
        _font(run.font, size, bold, color)

    def picture(self, s, png: bytes, top, max_height) -> None:
        w_px, h_px = _png_size(png)
        width = W - 2 * MARGIN
        height = int(width * h_px / max(w_px, 1))
        if height > max_height:
            height = int(max_height)
            width = int(height * w_px / max(h_px, 1))
        s.shapes.add_picture(io.BytesIO(png), int((W - width) / 2), top, width=width, height=height)

    # ---- slides
    def title_slide(self) -> None:
        p = self.p
        s = self.prs.slides.add_slide(self.blank)
        bg = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, H)
        _fill(bg, NAVY)
        bar = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(2.2), Inches(1.2), Inches(0.08))
        _fill(bar, ACCENT)
        self.text(s, p.text("pitch.doc_title").upper(), MARGIN, Inches(1.5), Inches(11), Inches(0.5), size=16,
                  bold=True, color=RGBColor(0xB8, 0xC2, 0xE0))
        self.text(s, p.title, MARGIN, Inches(2.5), W - 2 * MARGIN, Inches(1.6), size=40, bold=True, color=WHITE)
        if p.client:
            self.text(s, p.text("pitch.for_client", client=p.client), MARGIN, Inches(4.3), Inches(11), Inches(0.6),
                      size=22, color=WHITE)
        self.text(s, p.text("pitch.prepared_on", date=p.date.strftime("%d.%m.%Y")), MARGIN, Inches(4.85),
                  Inches(11), Inches(0.5), size=14, color=RGBColor(0xB8, 0xC2, 0xE0))
        for i, key in enumerate(("total_cost", "unique_reach", "placements")):  # three headline figures
            f = p.figure(key)
            left = MARGIN + Inches(4.1) * i
            self.text(s, cell_text(f.value, f.kind, p.lang, p.currency, f.source), left, Inches(5.6), Inches(4),
                      Inches(0.6), size=28, bold=True, color=WHITE)
            self.text(s, f.label, left, Inches(6.15), Inches(4), Inches(0.4), size=12,
                      color=RGBColor(0xB8, 0xC2, 0xE0))
        self.text(s, p.text("pitch.currency_note", ccy=p.currency, sym=p.symbol), MARGIN, H - Inches(0.8),
                  W - 2 * MARGIN, Inches(0.5), size=11, color=RGBColor(0xB8, 0xC2, 0xE0))

    def key_figures(self) -> None:
        p = self.p
        keys = ("total_cost", "cash_cost", "product_cost", "unique_reach", "impressions", "cpm_unique",
                "engagements", "orders")
        s = self.slide(p.text("pitch.section.key"), p.text("pitch.key_sub", n=cell_text(
            p.figure("placements").value, "int", p.lang, p.currency)))
        cols, gap = 4, Inches(0.25)
        cw = int((W - 2 * MARGIN - gap * (cols - 1)) / cols)
        ch = Inches(2.3)
        for i, key in enumerate(keys):
            f = p.figure(key)
            left = MARGIN + (cw + gap) * (i % cols)
            top = Inches(1.5) + (ch + gap) * (i // cols)
            card = s.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, cw, ch)
            _fill(card, LIGHT)
            card.adjustments[0] = 0.06
            self.text(s, cell_text(f.value, f.kind, p.lang, p.currency, f.source), left + Inches(0.2),
                      top + Inches(0.25), cw - Inches(0.4), Inches(0.9), size=24, bold=True, color=NAVY)
            self.text(s, f.label, left + Inches(0.2), top + Inches(1.15), cw - Inches(0.4), Inches(0.6), size=14)
            self.text(s, source_text(f.source, p.lang), left + Inches(0.2), top + Inches(1.75), cw - Inches(0.4),
                      Inches(0.4), size=10, color=GREY)

    def brief(self) -> None:
        p = self.p
        s = self.slide(p.text("pitch.section.brief"))
        rows = [[label, text] for label, text in p.brief]
        size = 13 if len(rows) <= 10 else 11
        self.table(s, [p.text("pitch.col.item"), p.text("pitch.col.value")], rows, Inches(1.4),
                   numeric=[False, False], widths=[1.0, 2.2], size=size)

    def totals(self) -> None:
        p = self.p
        s = self.slide(p.text("pitch.section.totals"))
        heads, rows = totals_texts(p)
        self.table(s, heads, rows, Inches(1.3), numeric=[False, True, False], widths=[1.6, 1.2, 2.2],
                   size=11 if len(rows) < 13 else 10)

    def paged_table(self, table: Table, *, per_slide: int = ROWS_PER_SLIDE, size: int = 11,
                    subtitle: str = "") -> None:
        p = self.p
        heads, rows = table_texts(table, p.lang, p.currency)
        numeric = [c.kind != "text" for c in table.columns]
        pages = max(1, -(-len(rows) // per_slide))
        per_slide = max(1, -(-len(rows) // pages))  # balanced: no slide with a lone row
        for i in range(pages):
            title = table.title + (f" ({i + 1}/{pages})" if pages > 1 else "")
            s = self.slide(title, subtitle or table.note or None)
            chunk = rows[i * per_slide:(i + 1) * per_slide]
            if chunk:
                self.table(s, heads, chunk, Inches(1.55), numeric=numeric, size=size)
            else:
                self.text(s, p.text("pitch.note.no_placements"), MARGIN, Inches(1.6), Inches(10), Inches(0.5))

    def chart(self, name: str, note: str = "") -> None:
        p = self.p
        png = p.pngs().get(name)
        if png is None:
            return
        s = self.slide(p.text(f"pitch.chart.{name}"), note or None)
        self.picture(s, png, Inches(1.4), H - Inches(2.0))

    def assumptions(self) -> None:
        p = self.p
        heads, rows = assumption_texts(p)
        pages = max(1, -(-len(rows) // 9))
        per = max(1, -(-len(rows) // pages))
        for i in range(pages):
            title = p.text("pitch.section.assumptions") + (f" ({i + 1}/{pages})" if pages > 1 else "")
            s = self.slide(title)
            self.table(s, heads, rows[i * per:(i + 1) * per], Inches(1.3), numeric=[False, True, False],
                       widths=[1.5, 0.6, 2.6], size=10)

    def sources(self) -> None:
        p = self.p
        s = self.slide(p.text("pitch.section.sources"))
        rows = [[source_text(x, p.lang), p.text(f"pitch.srcdef.{x}")] for x in SOURCES]
        self.table(s, [p.text("pitch.col.source"), p.text("pitch.col.meaning")], rows, Inches(1.4),
                   numeric=[False, False], widths=[1.0, 3.6], size=13)
        self.text(s, p.text("pitch.note.approx"), MARGIN, Inches(4.2), W - 2 * MARGIN, Inches(0.6), size=12,
                  color=GREY)

    def close(self) -> bytes:
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def _fill(shape, color: RGBColor) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    shape.line.fill.background()
    shape.shadow.inherit = False


def _font(font, size: int, bold: bool, color: RGBColor) -> None:
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = color


def _png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        return 1600, 900
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def render(pitch: Pitch) -> bytes:
    deck = _Deck(pitch)
    deck.title_slide()
    deck.key_figures()
    deck.brief()
    deck.totals()
    if pitch.scenarios is not None:
        deck.paged_table(pitch.scenarios, size=10)
    deck.chart("compare", pitch.notes.get("compare", ""))
    if pitch.scenario_bloggers is not None:
        deck.paged_table(pitch.scenario_bloggers, size=10)
    deck.paged_table(pitch.plan, size=9)
    deck.chart("spend")
    deck.chart("frontier", pitch.notes.get("frontier", ""))
    deck.chart("curve", pitch.notes.get("curve", ""))
    if pitch.barter is not None:
        deck.paged_table(pitch.barter, size=10)
    if pitch.backups is not None and not pitch.backups.empty:
        deck.paged_table(pitch.backups, size=10)
    deck.assumptions()
    deck.sources()
    return deck.close()
