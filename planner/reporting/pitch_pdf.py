"""The pitch as a PDF (fpdf2, landscape A4, a Unicode TrueType font so Cyrillic prints) in the deck's order: the
cover (the campaign, the client, the date), the brief, what the plan buys (the headline figures with their P10–P90
and sources), the whole plan, the charts (budget by platform and format, the reach–niche frontier, the budget
curve), barter and hybrid deals, the compared scenarios, assumptions with their sources and what the sources mean,
then an appendix (every total with its source, backups, the bloggers that differ between scenarios). Texts are
measured and fitted to their boxes; long tables split over pages in balanced parts. It lays out a
:class:`planner.reporting.pitch_model.Pitch` and computes nothing."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import TableBordersLayout, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from planner.reporting.pitch_model import (
    SOURCES,
    Figure,
    Pitch,
    PitchError,  # noqa: F401  (callers catch pitch_pdf.PitchError)
    Table,
    assumption_texts,
    band_text,
    cell_text,
    column_widths,
    source_text,
    sources_line,
    story_plan,
    table_texts,
    totals_texts,
    word_widths,
    words,
)
from planner.reporting.pitch_text import FONT_DIRS, FONT_FILES, FONT_HINT, balance, font_paths  # noqa: F401

NAVY = (31, 42, 68)
ACCENT = (76, 111, 255)
GREY = (107, 114, 128)
LIGHT = (243, 244, 246)
INK = (17, 24, 39)
PALE = (184, 194, 224)
FAMILY = "PitchSans"
HEADER_BOTTOM = 19.0  # mm: where a page's content starts under its section title
MM_PT = 25.4 / 72  # mm per point


class _PDF(FPDF):
    def __init__(self, pitch: Pitch):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.p = pitch
        regular, bold = font_paths()
        self.add_font(FAMILY, "", str(regular))
        self.add_font(FAMILY, "B", str(bold))
        self.set_margins(14, 14, 14)
        self.set_auto_page_break(True, margin=16)
        self.set_title(pitch.title)
        self.set_subject(pitch.text("pitch.doc_title"))
        self.set_author(pitch.client or "")
        self.set_creator(pitch.text("pitch.prepared_with"))
        self.set_lang("ru" if pitch.lang == "ru" else "en")
        self.cover_pages: set[int] = set()
        self.section = ""

    # ---- page furniture
    def header(self) -> None:
        if self.page_no() in self.cover_pages:
            return
        self.set_fill_color(*ACCENT)
        self.rect(0, 0, self.w, 2.5, style="F")
        if self.section:
            self.set_xy(self.l_margin, 8)
            self.set_font(FAMILY, "B", 17)
            self.set_text_color(*NAVY)
            self.cell(0, 9, self.section, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_y(HEADER_BOTTOM)

    def footer(self) -> None:
        if self.page_no() in self.cover_pages:
            return
        p = self.p
        self.set_y(-11)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY)
        left = p.title + (f" · {p.client}" if p.client else "") + " · " + p.text("pitch.note.approx_short")
        self.cell(self.epw * 0.8, 5, _clip(self, left, self.epw * 0.8 - 2))
        self.cell(self.epw * 0.2, 5, p.text("pitch.page", n=str(self.page_no()), total="{nb}"), align="R")

    def new_section(self, title: str) -> None:
        self.section = title
        self.add_page()

    def para(self, text: str, size: float = 10, color: tuple[int, int, int] = GREY, bold: bool = False) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    PAD = (1.2, 1.5)  # cell padding: vertical, horizontal (mm)

    def _widths(self, heads: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float] | None,
                size: float) -> list[float]:
        if widths:
            total = sum(widths)
            return [self.epw * w / total for w in widths]

        def measure(text: str, style: str = "") -> float:
            self.set_font(FAMILY, style, size)
            return self.get_string_width(text)

        out = column_widths(heads, rows, self.epw, measure, lambda w: measure(w, "B"), pad=2 * self.PAD[1] + 0.4)
        self.set_font(FAMILY, "", size)
        return out

    def _row_height(self, cells: Sequence[str], widths: Sequence[float], size: float, bold: bool = False) -> float:
        self.set_font(FAMILY, "B" if bold else "", size)
        lh = size * 0.55
        lines = max(self._lines(str(c), max(w - 2 * self.PAD[1], 1.0)) for c, w in zip(cells, widths, strict=True))
        return lines * lh + 2 * self.PAD[0]

    def _lines(self, text: str, avail: float) -> int:
        """Lines a text takes when wrapped at words into ``avail`` mm (a word wider than that breaks anywhere)."""
        space = self.get_string_width(" ")
        lines, used = 1, 0.0
        for word in words(text) or [""]:
            w = self.get_string_width(word)
            if used and used + space + w <= avail:
                used += space + w
                continue
            if used:
                lines += 1
            extra = max(math.ceil(w / avail) - 1, 0)
            lines += extra
            used = w - extra * avail
        return lines

    def grid(self, heads: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: Sequence[bool],
             widths: Sequence[float] | None = None, size: float = 8.5) -> None:
        self.set_font(FAMILY, "", size)
        self.set_text_color(*INK)
        self.set_draw_color(209, 213, 219)
        self.set_fill_color(*LIGHT)  # fpdf fills the even rows with the current colour
        weights = self._widths(heads, rows, widths, size)
        align = tuple("RIGHT" if n else "LEFT" for n in numeric)
        with self.table(col_widths=weights, text_align=align, width=self.epw, line_height=size * 0.55,
                        headings_style=FontFace(family=FAMILY, emphasis="BOLD", color=(255, 255, 255),
                                                fill_color=NAVY, size_pt=size),
                        cell_fill_color=LIGHT, cell_fill_mode=TableCellFillMode.ROWS,
                        borders_layout=TableBordersLayout.HORIZONTAL_LINES, padding=self.PAD,
                        repeat_headings=1) as table:
            table.row(list(heads))
            for row in rows:
                table.row(list(row))
        self.ln(3)

    def paged_grid(self, title: str, note: str, heads: Sequence[str], rows: Sequence[Sequence[str]], *,
                   numeric: Sequence[bool], widths: Sequence[float] | None = None, size: float = 8.5,
                   foot: str = "") -> None:
        """A table under its section title, split over pages in balanced parts (no page holding a lone row), each
        part titled "(2/3)"; the note under the title of the first, ``foot`` (its sources) under each part."""
        weights = self._widths(heads, rows, widths, size)
        heights = [self._row_height(r, weights, size) for r in rows]
        head_h = self._row_height(heads, weights, size, bold=True)
        top = HEADER_BOTTOM
        note_h = 0.0
        if note:
            self.set_font(FAMILY, "", 10)
            note_h = self._lines(note, self.epw) * 5 + 1.5
        foot_h = 0.0
        if foot:
            self.set_font(FAMILY, "", 8)
            foot_h = self._lines(foot, self.epw) * 4 + 1.5
        room = self.h - self.b_margin - top - head_h - 4 - foot_h
        parts = balance(heights, room - note_h, room)
        for i, (a, b) in enumerate(parts):
            self.new_section(f"{title} ({i + 1}/{len(parts)})" if len(parts) > 1 else title)
            if i == 0 and note:
                self.para(note)
            self.grid(heads, rows[a:b], numeric=numeric, widths=weights, size=size)
            if foot:
                self.para(foot, size=8)


def _fitted(pdf: _PDF, text: str, x: float, y: float, w: float, sizes: Sequence[float], *, bold: bool = False,
            color: tuple[int, int, int] = INK, max_lines: int | None = None, max_h: float | None = None,
            line: float = 1.25) -> float:
    """``text`` at the largest of ``sizes`` (pt) that fits ``w`` mm in ``max_lines`` lines and ``max_h`` mm, cut with
    "…" at the smallest; drawn at (``x``, ``y``); returns its height in mm."""
    style = "B" if bold else ""
    pdf.set_font(FAMILY, style, sizes[0])
    size, lines = sizes[-1], [text]
    for candidate in sizes:
        pdf.set_font(FAMILY, style, candidate)
        wrapped = _wrap(pdf, text, w)
        if (max_lines is None or len(wrapped) <= max_lines) and (
                max_h is None or len(wrapped) * candidate * MM_PT * line <= max_h):
            size, lines = candidate, wrapped
            break
    else:
        pdf.set_font(FAMILY, style, size)
        wrapped = _wrap(pdf, text, w)
        room = len(wrapped)
        if max_lines is not None:
            room = min(room, max_lines)
        if max_h is not None:
            room = min(room, max(1, int(max_h / (size * MM_PT * line))))
        lines = wrapped[:room]
        if len(wrapped) > room:
            lines[-1] = _clip(pdf, " ".join([lines[-1], *wrapped[room:]]), w)
    pdf.set_font(FAMILY, style, size)
    pdf.set_text_color(*color)
    lh = size * MM_PT * line
    for i, text_line in enumerate(lines):
        pdf.set_xy(x, y + i * lh)
        pdf.cell(w, lh, text_line)
    return len(lines) * lh


def _wrap(pdf: _PDF, text: str, w: float) -> list[str]:
    """Lines of ``text`` no wider than ``w`` mm in the current font (breaking at plain spaces)."""
    out: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        for word in words(para):
            trial = f"{line} {word}" if line else word
            if pdf.get_string_width(trial) <= w - 0.2:
                line = trial
                continue
            if line:
                out.append(line)
            while pdf.get_string_width(word) > w - 0.2 and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and pdf.get_string_width(word[:cut]) > w - 0.2:
                    cut -= 1
                out.append(word[:cut])
                word = word[cut:]
            line = word
        out.append(line)
    return out


def _clip(pdf: _PDF, text: str, w: float) -> str:
    """One line of ``text`` no wider than ``w`` mm in the current font, cut with "…"."""
    text = " ".join(words(text))
    if pdf.get_string_width(text) <= w - 0.2:
        return text
    while text and pdf.get_string_width(text + "…") > w - 0.2:
        text = text[:-1]
    return text.rstrip(" ,;:–—-") + "…"


def _cover(pdf: _PDF) -> None:
    p = pdf.p
    pdf.cover_pages.add(pdf.page_no() + 1)
    pdf.add_page()
    pdf.set_fill_color(*NAVY)
    pdf.rect(0, 0, pdf.w, pdf.h, style="F")
    x, w = pdf.l_margin + 6, pdf.epw - 12
    _fitted(pdf, p.text("pitch.doc_title").upper(), x, 44, w, (13, 11), bold=True, color=PALE, max_lines=1)
    pdf.set_fill_color(*ACCENT)
    pdf.rect(x, 60, 30, 2, style="F")
    y = 70.0
    y += _fitted(pdf, p.title, x, y, w, (30, 26, 22, 18), bold=True, color=(255, 255, 255), max_h=58)
    if p.client:
        y += 6
        y += _fitted(pdf, p.text("pitch.for_client", client=p.client), x, y, w, (17, 15, 13), color=(255, 255, 255),
                     max_lines=2)
    y += 4
    _fitted(pdf, p.text("pitch.prepared_on", date=p.date.strftime("%d.%m.%Y")), x, y, w, (12,), color=PALE,
            max_lines=1)
    _fitted(pdf, p.text("pitch.currency_note", ccy=p.currency, sym=p.symbol), x, pdf.h - 28, w, (9, 8), color=PALE,
            max_lines=2)


def _cards(pdf: _PDF, cards: Sequence[tuple[Figure, str, str]], top: float, height: float, *, big: bool) -> None:
    """A row of figures on cards: value, label, P10–P90 when there is one, source."""
    p = pdf.p
    gap = 5.0
    cw = (pdf.epw - gap * (len(cards) - 1)) / len(cards)
    inner = cw - 8
    for i, (f, label, value) in enumerate(cards):
        x = pdf.l_margin + (cw + gap) * i
        pdf.set_fill_color(*LIGHT)
        pdf.rect(x, top, cw, height, style="F", round_corners=True, corner_radius=2.5)
        y = top + 4
        y += _fitted(pdf, value, x + 4, y, inner, (22, 19, 16, 13) if big else (16, 14, 12), bold=True,
                     color=NAVY, max_lines=1, line=1.3)
        y += 1
        y += _fitted(pdf, label, x + 4, y, inner, (11, 10, 9), max_lines=3)
        band = band_text(f, p.lang, p.currency)
        if band:
            y += 1
            y += _fitted(pdf, band, x + 4, y, inner, (10, 9, 8), bold=True, color=ACCENT, max_lines=2)
        source = source_text(f.source, p.lang) + (f" — {f.note}" if f.note else "")
        room = top + height - y - 3
        if room > 4:
            _fitted(pdf, source, x + 4, y + 1, inner, (8.5, 8, 7.5), color=GREY, max_h=room)


def _headline(pdf: _PDF) -> None:
    p = pdf.p
    n = cell_text(p.figure("placements").value, "int", p.lang, p.currency)
    b = cell_text(p.figure("bloggers").value, "int", p.lang, p.currency)
    pdf.new_section(p.text("pitch.section.headline"))
    pdf.para(p.text("pitch.headline_sub", n=n, b=b))

    def card(key: str, label: str | None = None, value: str | None = None) -> tuple[Figure, str, str]:
        f = p.figure(key)
        return (f, label or f.label,
                value if value is not None else cell_text(f.value, f.kind, p.lang, p.currency, f.source))

    top = pdf.get_y() + 2
    room = pdf.h - pdf.b_margin - top - 2
    big_h = (room - 5) * 0.58
    _cards(pdf, [card("cash_cost"), card("product_cost"), card("unique_reach", p.text("pitch.headline.unique_reach")),
                 card("orders")], top, big_h, big=True)
    _cards(pdf, [card("total_cost"), card("budget"), card("cpm_unique"),
                 card("placements", p.text("pitch.headline.bloggers"), f"{n} · {b}")],
           top + big_h + 5, room - 5 - big_h, big=False)
    pdf.set_y(top + room)


def _chart(pdf: _PDF, name: str, title: str, note: str = "") -> None:
    p = pdf.p
    if name not in p.charts:
        return
    pdf.new_section(title)
    if note:
        pdf.para(note)
    room = pdf.h - pdf.b_margin - pdf.get_y() - 2
    png = p.png(name, 1200, max(int(1200 * room / pdf.epw), 200))
    if png is not None:
        pdf.image(io.BytesIO(png), x=pdf.l_margin, y=pdf.get_y(), w=pdf.epw, h=room)
        pdf.set_y(pdf.get_y() + room)


def _table_size(pdf: _PDF, heads: Sequence[str], rows: Sequence[Sequence[str]],
                sizes: Sequence[float] = (11, 10, 9, 8)) -> float:
    """The largest of ``sizes`` at which no word of the table breaks and (when it can) the whole table fits a page;
    else the largest at which no word breaks."""
    room = pdf.h - pdf.b_margin - HEADER_BOTTOM - 30

    def words_fit(size: float) -> bool:
        def measure(text: str, style: str = "") -> float:
            pdf.set_font(FAMILY, style, size)
            return pdf.get_string_width(text)

        return sum(word_widths(heads, rows, measure, lambda w: measure(w, "B"), 2 * pdf.PAD[1] + 0.4)) <= pdf.epw

    fitting = [x for x in sizes if words_fit(x)]
    for size in fitting:
        widths = pdf._widths(heads, rows, None, size)
        if pdf._row_height(heads, widths, size, True) + sum(pdf._row_height(r, widths, size) for r in rows) <= room:
            return size
    return fitting[0] if fitting else sizes[-1]


def _table_section(pdf: _PDF, table: Table, size: float | None = None, title: str | None = None,
                   foot: bool = True) -> None:
    p = pdf.p
    heads, rows = table_texts(table, p.lang, p.currency)
    title = title or table.title
    if not rows:
        pdf.new_section(title)
        pdf.para(table.note)
        pdf.para(p.text("pitch.note.no_placements"), color=INK)
        return
    pdf.paged_grid(title, table.note, heads, rows, numeric=[c.kind != "text" for c in table.columns],
                   size=size or _table_size(pdf, heads, rows), foot=sources_line(table, p.lang) if foot else "")


def render(pitch: Pitch) -> bytes:
    """The PDF, in the deck's order: cover, brief, what the plan buys, the plan, the charts, barter, scenarios,
    assumptions and sources, then the appendix (every total with its source, backups, the bloggers that differ)."""
    pdf = _PDF(pitch)
    p = pitch
    _cover(pdf)
    pdf.new_section(p.text("pitch.section.brief"))
    pdf.grid([p.text("pitch.col.item"), p.text("pitch.col.value")], [list(x) for x in p.brief],
             numeric=[False, False], widths=[1.0, 2.4], size=11)
    _headline(pdf)
    _table_section(pdf, story_plan(p.plan))
    if "spend" in p.charts:
        total = cell_text(p.figure("total_cost").value, "money", p.lang, p.currency, p.figure("total_cost").source)
        _chart(pdf, "spend", p.text("pitch.section.spend"), p.text("pitch.sub.spend", total=total))
    _chart(pdf, "frontier", p.text("pitch.chart.frontier"), p.notes.get("frontier", ""))
    _chart(pdf, "curve", p.text("pitch.chart.curve"), p.notes.get("curve", ""))
    if p.barter is not None:
        _table_section(pdf, p.barter)
    if p.scenarios is not None:
        _table_section(pdf, p.scenarios, foot=False)
        if "compare" in p.charts:  # under the table when it fits, else on a page of its own
            room = pdf.h - pdf.b_margin - pdf.get_y() - 2
            if room < 70:
                _chart(pdf, "compare", p.text("pitch.chart.compare"))
            else:
                png = p.png("compare", 1200, max(int(1200 * room / pdf.epw), 200))
                if png is not None:
                    pdf.image(io.BytesIO(png), x=pdf.l_margin, y=pdf.get_y(), w=pdf.epw, h=room)
    pdf.paged_grid(p.text("pitch.section.assumptions"), "", *assumption_texts(p), numeric=[False, True, False],
                   widths=[1.5, 0.55, 2.6], size=8)
    pdf.new_section(p.text("pitch.section.sources"))
    pdf.para(p.text("pitch.note.approx"))
    pdf.grid([p.text("pitch.col.source"), p.text("pitch.col.meaning")],
             [[source_text(x, p.lang), p.text(f"pitch.srcdef.{x}")] for x in SOURCES],
             numeric=[False, False], widths=[1.0, 3.6], size=10)
    pdf.paged_grid(p.text("pitch.section.appendix_totals"), "", *totals_texts(p), numeric=[False, True, False],
                   widths=[1.6, 1.1, 2.4], size=9)
    if p.backups is not None and not p.backups.empty:
        _table_section(pdf, p.backups, title=p.text("pitch.section.appendix_backups"))
    if p.scenario_bloggers is not None:
        _table_section(pdf, p.scenario_bloggers, title=p.text("pitch.section.appendix_scenario_bloggers"),
                       foot=False)
    return bytes(pdf.output())
