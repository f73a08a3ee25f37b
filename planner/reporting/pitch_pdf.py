"""The pitch as a PDF (fpdf2, landscape A4, a Unicode TrueType font so Cyrillic prints): the same content as the
deck — title page, key figures, brief, totals with their sources, the plan, the charts, barter and hybrid deals,
backups, assumptions with their sources and what the sources mean. It lays out a
:class:`planner.reporting.pitch_model.Pitch` and computes nothing."""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableBordersLayout, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from planner.reporting.pitch_model import (
    SOURCES,
    Pitch,
    PitchError,
    Table,
    assumption_texts,
    cell_text,
    column_widths,
    source_text,
    table_texts,
    totals_texts,
)

NAVY = (31, 42, 68)
ACCENT = (76, 111, 255)
GREY = (107, 114, 128)
LIGHT = (243, 244, 246)
INK = (17, 24, 39)
PALE = (184, 194, 224)
FAMILY = "PitchSans"
HEADER_BOTTOM = 19.0  # mm: where a page's content starts under its section title
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype", "/usr/local/share/fonts", "/usr/share/fonts", "/Library/Fonts",
    "C:/Windows/Fonts",
)
FONT_HINT = ("no Unicode font for the PDF: install DejaVu Sans (Debian: apt-get install fonts-dejavu-core) or set "
             "PLANNER_PDF_FONT_DIR to a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf")


def font_paths() -> tuple[Path, Path]:
    """DejaVu Sans regular and bold: ``PLANNER_PDF_FONT_DIR`` first, then the usual font folders (searched a level
    deep), then fontconfig; :class:`PitchError` with what to install when none has them."""
    dirs = [os.environ["PLANNER_PDF_FONT_DIR"]] if os.environ.get("PLANNER_PDF_FONT_DIR") else []
    dirs += list(FONT_DIRS)
    for d in dirs:
        base = Path(d)
        if not base.is_dir():
            continue
        for folder in (base, *sorted(p for p in base.iterdir() if p.is_dir())):
            regular, bold = folder / FONT_FILES[0], folder / FONT_FILES[1]
            if regular.is_file() and bold.is_file():
                return regular, bold
    if shutil.which("fc-match"):
        found = []
        for style in ("DejaVu Sans:style=Book", "DejaVu Sans:style=Bold"):
            try:
                out = subprocess.run(["fc-match", "-f", "%{file}", style], capture_output=True, text=True,
                                     timeout=10).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                out = ""
            if out and Path(out).is_file() and Path(out).name in FONT_FILES:
                found.append(Path(out))
        if len(found) == 2:
            return found[0], found[1]
    raise PitchError(FONT_HINT)


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
        self.cell(self.epw * 0.8, 5, left)
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
        for word in text.split() or [""]:
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
                   numeric: Sequence[bool], widths: Sequence[float] | None = None, size: float = 8.5) -> None:
        """A table under its section title, split over pages in balanced parts (no page holding a lone row), each
        part titled "(2/3)"; the note under the title of the first."""
        weights = self._widths(heads, rows, widths, size)
        heights = [self._row_height(r, weights, size) for r in rows]
        head_h = self._row_height(heads, weights, size, bold=True)
        top = HEADER_BOTTOM
        note_h = 0.0
        if note:
            self.set_font(FAMILY, "", 10)
            note_h = self._lines(note, self.epw) * 5 + 1.5
        room = self.h - self.b_margin - top - head_h - 4
        parts = _balance(heights, room - note_h, room)
        for i, (a, b) in enumerate(parts):
            self.new_section(f"{title} ({i + 1}/{len(parts)})" if len(parts) > 1 else title)
            if i == 0 and note:
                self.para(note)
            self.grid(heads, rows[a:b], numeric=numeric, widths=weights, size=size)

    def image_fit(self, png: bytes, max_h: float) -> None:
        w_px, h_px = _png_size(png)
        w = self.epw
        h = w * h_px / max(w_px, 1)
        if h > max_h:
            h = max_h
            w = h * w_px / max(h_px, 1)
        if self.get_y() + h > self.h - self.b_margin:
            self.add_page()
        self.image(io.BytesIO(png), x=(self.w - w) / 2, y=self.get_y(), w=w, h=h)
        self.set_y(self.get_y() + h + 3)


def _balance(heights: Sequence[float], first: float, room: float) -> list[tuple[int, int]]:
    """Rows split into pages: as few pages as a greedy fill needs (``first``: the room on the first page, ``room``
    on the others), the rows then spread evenly over them, so that no page ends up with a lone row."""
    if not heights:
        return [(0, 0)]

    def pack(limit: float) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        start, used = 0, 0.0
        for i, h in enumerate(heights):
            cap = min(limit, first if not out else room)
            if used + h > cap and i > start:
                out.append((start, i))
                start, used = i, 0.0
            used += h
        out.append((start, len(heights)))
        return out

    greedy = pack(float("inf"))
    if len(greedy) == 1:
        return greedy
    even = sum(heights) / len(greedy)
    for slack in (1.02, 1.08, 1.15, 1.25):
        balanced = pack(even * slack)
        if len(balanced) == len(greedy):
            return balanced
    return greedy


def _png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        return 1600, 900
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _cover(pdf: _PDF) -> None:
    p = pdf.p
    pdf.cover_pages.add(pdf.page_no() + 1)
    pdf.add_page()
    pdf.set_fill_color(*NAVY)
    pdf.rect(0, 0, pdf.w, pdf.h, style="F")
    pdf.set_fill_color(*ACCENT)
    pdf.rect(pdf.l_margin + 6, 62, 30, 2, style="F")
    pdf.set_xy(pdf.l_margin + 6, 44)
    pdf.set_font(FAMILY, "B", 13)
    pdf.set_text_color(*PALE)
    pdf.cell(0, 8, p.text("pitch.doc_title").upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_xy(pdf.l_margin + 6, 72)
    pdf.set_font(FAMILY, "B", 30)
    pdf.set_text_color(255, 255, 255)
    pdf.multi_cell(pdf.epw - 12, 13, p.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y() + 8
    if p.client:
        pdf.set_xy(pdf.l_margin + 6, y)
        pdf.set_font(FAMILY, "", 17)
        pdf.cell(0, 9, p.text("pitch.for_client", client=p.client), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y += 11
    pdf.set_xy(pdf.l_margin + 6, y)
    pdf.set_font(FAMILY, "", 12)
    pdf.set_text_color(*PALE)
    pdf.cell(0, 7, p.text("pitch.prepared_on", date=p.date.strftime("%d.%m.%Y")))
    # three headline figures along the bottom
    keys = ("total_cost", "unique_reach", "placements")
    x0, w = pdf.l_margin + 6, (pdf.epw - 12) / 3
    for i, key in enumerate(keys):
        f = p.figure(key)
        pdf.set_xy(x0 + i * w, pdf.h - 62)
        pdf.set_font(FAMILY, "B", 22)
        pdf.set_text_color(255, 255, 255)
        pdf.cell(w - 4, 11, cell_text(f.value, f.kind, p.lang, p.currency, f.source))
        pdf.set_xy(x0 + i * w, pdf.h - 50)
        pdf.set_font(FAMILY, "", 10)
        pdf.set_text_color(*PALE)
        pdf.cell(w - 4, 6, f.label)
    pdf.set_xy(pdf.l_margin + 6, pdf.h - 26)
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(pdf.epw - 12, 5, p.text("pitch.currency_note", ccy=p.currency, sym=p.symbol), align="L")


def _key_figures(pdf: _PDF) -> None:
    p = pdf.p
    pdf.new_section(p.text("pitch.section.key"))
    pdf.para(p.text("pitch.key_sub", n=cell_text(p.figure("placements").value, "int", p.lang, p.currency)))
    keys = ("total_cost", "cash_cost", "product_cost", "unique_reach", "impressions", "cpm_unique", "engagements",
            "orders")
    cols, gap, ch = 4, 5.0, 34.0
    cw = (pdf.epw - gap * (cols - 1)) / cols
    top = pdf.get_y() + 2
    for i, key in enumerate(keys):
        f = p.figure(key)
        x = pdf.l_margin + (cw + gap) * (i % cols)
        y = top + (ch + gap) * (i // cols)
        pdf.set_fill_color(*LIGHT)
        pdf.rect(x, y, cw, ch, style="F", round_corners=True, corner_radius=2.5)
        pdf.set_xy(x + 4, y + 4)
        pdf.set_font(FAMILY, "B", 17)
        pdf.set_text_color(*NAVY)
        pdf.cell(cw - 8, 9, cell_text(f.value, f.kind, p.lang, p.currency, f.source))
        pdf.set_xy(x + 4, y + 15)
        pdf.set_font(FAMILY, "", 10)
        pdf.set_text_color(*INK)
        pdf.multi_cell(cw - 8, 5, f.label, align="L")
        pdf.set_xy(x + 4, y + ch - 7)
        pdf.set_font(FAMILY, "", 8)
        pdf.set_text_color(*GREY)
        pdf.cell(cw - 8, 4, source_text(f.source, p.lang))
    pdf.set_y(top + 2 * (ch + gap) + 2)


def _table_section(pdf: _PDF, table: Table, size: float = 8.0) -> None:
    p = pdf.p
    heads, rows = table_texts(table, p.lang, p.currency)
    if not rows:
        pdf.new_section(table.title)
        pdf.para(table.note)
        pdf.para(p.text("pitch.note.no_placements"), color=INK)
        return
    pdf.paged_grid(table.title, table.note, heads, rows, numeric=[c.kind != "text" for c in table.columns],
                   size=size)


def render(pitch: Pitch) -> bytes:
    pdf = _PDF(pitch)
    p = pitch
    pngs = p.pngs()
    _cover(pdf)
    _key_figures(pdf)
    pdf.new_section(p.text("pitch.section.brief"))
    pdf.grid([p.text("pitch.col.item"), p.text("pitch.col.value")], [list(x) for x in p.brief],
             numeric=[False, False], widths=[1.0, 2.4], size=10)
    pdf.new_section(p.text("pitch.section.totals"))
    pdf.grid(*totals_texts(p), numeric=[False, True, False], widths=[1.6, 1.1, 2.4], size=9.5)
    if p.scenarios is not None:
        _table_section(pdf, p.scenarios)
        if "compare" in pngs:  # under the table when it fits, else on a page of its own
            room = pdf.h - pdf.b_margin - pdf.get_y() - 2
            if room < 70:
                pdf.new_section(p.text("pitch.chart.compare"))
                room = pdf.h - pdf.b_margin - pdf.get_y() - 2
            pdf.image_fit(pngs["compare"], room)
    if p.scenario_bloggers is not None:
        _table_section(pdf, p.scenario_bloggers)
    _table_section(pdf, p.plan)
    for name in ("spend", "frontier", "curve"):
        if name in pngs:
            pdf.new_section(p.text(f"pitch.chart.{name}"))
            note = p.notes.get(name, "")
            if note:
                pdf.para(note)
            pdf.image_fit(pngs[name], pdf.h - pdf.get_y() - pdf.b_margin - 2)
    if p.barter is not None:
        _table_section(pdf, p.barter)
    if p.backups is not None and not p.backups.empty:
        _table_section(pdf, p.backups)
    pdf.paged_grid(p.text("pitch.section.assumptions"), "", *assumption_texts(p), numeric=[False, True, False],
                   widths=[1.5, 0.55, 2.6], size=8)
    pdf.new_section(p.text("pitch.section.sources"))
    pdf.grid([p.text("pitch.col.source"), p.text("pitch.col.meaning")],
             [[source_text(x, p.lang), p.text(f"pitch.srcdef.{x}")] for x in SOURCES],
             numeric=[False, False], widths=[1.0, 3.6], size=10)
    pdf.para(p.text("pitch.note.approx"))
    return bytes(pdf.output())
