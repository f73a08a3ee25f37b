"""The pitch as an XLSX workbook (xlsxwriter): a summary (brief and totals with their sources and P10–P90), the
plan, barter and hybrid deals, backups, scenarios, the frontier, the budget curve, assumptions with their sources,
the charts as images and what each source means. Numbers are number cells with number formats in the chosen
currency (and per cent), text is text (never a formula). Every sheet prints landscape on A4, one page wide, its
header row repeated on each page, and keeps that header in view (frozen); a cell that wraps gets a row as tall as
its lines, so no text runs over the next row. It lays out a :class:`planner.reporting.pitch_model.Pitch` and
computes nothing."""

from __future__ import annotations

import io
import math
import re
from typing import Any

import xlsxwriter

from planner.core import money
from planner.reporting import pitch_text as tx
from planner.reporting.pitch_model import SOURCES, Column, Pitch, Table, missing, source_text, words

HEADER_BG = "#1F2A44"
ACCENT = "#4C6FFF"
FONT, FONT_SIZE = "Arial", 10
LINE_PT = 13.0  # a row's height per line of FONT_SIZE text
PX_PT = 96 / 72  # screen pixels per point
CHAR_PX = 7.0  # a column width unit: the default font's digit (Arial 10: 7 px)
CHART_PX = 880  # a chart's width on the charts sheet: within a landscape A4 page printed at 100 %


def money_format(currency: str, lang: str) -> str:
    """An Excel number format for amounts in ``currency``: whole roubles, dollars and euros with cents (the reader's
    locale sets the separators)."""
    sym = money.SYMBOLS.get(currency, currency)
    number = "#,##0" if currency == "RUB" else "#,##0.00"
    if lang == "ru" or currency == "RUB":
        return f'{number}" {sym}"'
    return f'"{sym}"{number}'


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """A text's width in column-width units (characters of the default font)."""
    return tx.width(text, size, bold) * PX_PT / CHAR_PX


def lines_in(text: str, chars: float, size: float = FONT_SIZE, bold: bool = False) -> int:
    """Lines ``text`` wraps into in a column (or merged columns) ``chars`` wide."""
    avail_pt = max(chars * CHAR_PX - 8, 8) / PX_PT
    return tx.lines(str(text), avail_pt, size, bold)


def _escape_hf(text: str) -> str:
    """Text for a page header or footer: "&" doubled (it starts a code there), at most 60 characters."""
    return tx.clip(str(text), 60 * 6.0, 9).replace("&", "&&")


def sheet_name(text: str, used: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, none of []:*?/\\)."""
    name = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "Sheet"
    base, i = name, 2
    while name.lower() in used:
        suffix = f" {i}"
        name = base[:31 - len(suffix)] + suffix
        i += 1
    used.add(name.lower())
    return name


class _Book:
    def __init__(self, pitch: Pitch):
        self.p = pitch
        self.buf = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buf, {"in_memory": True, "strings_to_formulas": False,
                                                 "strings_to_urls": False, "strings_to_numbers": False,
                                                 "default_format_properties": {"font_name": FONT,
                                                                               "font_size": FONT_SIZE}})
        self.wb.set_properties({"title": pitch.title, "subject": pitch.text("pitch.doc_title"),
                                "author": pitch.client or "", "company": pitch.client or "",
                                "comments": pitch.text("pitch.prepared_with")})
        self.used: set[str] = set()
        wb = self.wb
        self.f_title = wb.add_format({"bold": True, "font_size": 18, "font_color": HEADER_BG, "text_wrap": True,
                                      "valign": "top"})
        self.f_sub = wb.add_format({"font_size": 12, "font_color": "#374151", "text_wrap": True, "valign": "top"})
        self.f_h2 = wb.add_format({"bold": True, "font_size": 13, "font_color": HEADER_BG, "valign": "bottom"})
        self.f_head = wb.add_format({"bold": True, "font_color": "white", "bg_color": HEADER_BG, "text_wrap": True,
                                     "valign": "top", "border": 1, "border_color": "#D1D5DB"})
        self.f_label = wb.add_format({"bold": True, "valign": "top", "text_wrap": True})
        self.f_text = wb.add_format({"valign": "top", "text_wrap": True})
        self.f_note = wb.add_format({"italic": True, "font_color": "#6B7280", "text_wrap": True, "valign": "top"})
        num = {"money": money_format(pitch.currency, pitch.lang), "int": "#,##0", "number": "#,##0.00",
               "share": "0%", "percent": '0.0" %"'}
        self.f_num = {k: wb.add_format({"num_format": v, "valign": "top"}) for k, v in num.items()}
        self.f_num_bold = {k: wb.add_format({"num_format": v, "bold": True, "valign": "top"}) for k, v in num.items()}

    def sheet(self, key: str, *, header_row: int | None = None, fit: bool = True):
        """A new sheet set up for print: landscape A4, one page wide (``fit``), ``header_row`` repeated on every
        page, the campaign and the page number in the footer."""
        p = self.p
        ws = self.wb.add_worksheet(sheet_name(p.text(f"pitch.sheet.{key}"), self.used))
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        if fit:
            ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        if header_row is not None:
            ws.repeat_rows(header_row)
        page = p.text("pitch.page", n="&P", total="&N")
        ws.set_footer(f"&L&9{_escape_hf(p.title + (' · ' + p.client if p.client else ''))}&R&9{page}")
        return ws

    def row_height(self, ws, row: int, cells: list[tuple[str, float, float, bool]]) -> None:
        """Set ``row`` as tall as its tallest wrapped cell: ``cells`` of (text, width in characters, font size,
        bold)."""
        lines = max((lines_in(text, chars, size, bold) * size / FONT_SIZE for text, chars, size, bold in cells),
                    default=1.0)
        if lines > 1.0:
            ws.set_row(row, round(lines * LINE_PT + 3, 1))

    def value(self, ws, row: int, col: int, value: Any, kind: str, bold: bool = False) -> None:
        if kind == "text" or isinstance(value, str):
            if value is None or (not isinstance(value, str) and missing(value)):
                ws.write_blank(row, col, None, self.f_text)
            else:
                ws.write_string(row, col, str(value), self.f_text)
            return
        if missing(value):
            ws.write_blank(row, col, None, self.f_text)
            return
        fmt = (self.f_num_bold if bold else self.f_num).get(kind, self.f_num["number"])
        ws.write_number(row, col, float(value), fmt)

    # ---- sheets
    def summary(self) -> None:
        p = self.p
        ws = self.sheet("summary")
        widths = {0: 40, 1: 18, 2: 62, 3: 14, 4: 14}
        for c, w in widths.items():
            ws.set_column(c, c, w)
        span = float(sum(widths.values()))
        last = max(widths)
        top = [(p.title, self.f_title, 18.0, True),
               (p.text("pitch.doc_title") + (f" · {p.text('pitch.for_client', client=p.client)}" if p.client else ""),
                self.f_sub, 12.0, False),
               (p.text("pitch.prepared_on", date=p.date.strftime("%d.%m.%Y")), self.f_sub, 12.0, False),
               (p.text("pitch.currency_note", ccy=p.currency, sym=p.symbol), self.f_note, FONT_SIZE, False)]
        for r, (text, fmt, size, bold) in enumerate(top):
            ws.merge_range(r, 0, r, last, text, fmt)
            lines = lines_in(text, span, size, bold)
            ws.set_row(r, round(lines * size * 1.3 + 4, 1))
        r = len(top) + 1
        ws.set_row(r, 20)
        ws.write_string(r, 0, p.text("pitch.section.brief"), self.f_h2)
        r += 1
        value_span = float(sum(widths[c] for c in range(1, last + 1)))
        for label, text in p.brief:
            ws.write_string(r, 0, label, self.f_label)
            ws.merge_range(r, 1, r, last, text, self.f_text)
            self.row_height(ws, r, [(label, widths[0], FONT_SIZE, True), (text, value_span, FONT_SIZE, False)])
            r += 1
        r += 1
        ws.set_row(r, 20)
        ws.write_string(r, 0, p.text("pitch.section.totals"), self.f_h2)
        r += 1
        heads = (p.text("pitch.col.figure"), p.text("pitch.col.value"), p.text("pitch.col.source"),
                 p.text("pitch.col.band_p10"), p.text("pitch.col.band_p90"))
        for c, head in enumerate(heads):
            ws.write_string(r, c, head, self.f_head)
        self.row_height(ws, r, [(h, widths[c], FONT_SIZE, True) for c, h in enumerate(heads)])
        r += 1
        for f in p.totals:
            source = source_text(f.source, p.lang) + (f" — {f.note}" if f.note else "")
            ws.write_string(r, 0, f.label, self.f_label)
            self.value(ws, r, 1, f.value, f.kind, bold=True)
            ws.write_string(r, 2, source, self.f_text)
            if f.banded:
                self.value(ws, r, 3, f.low, f.kind)
                self.value(ws, r, 4, f.high, f.kind)
            self.row_height(ws, r, [(f.label, widths[0], FONT_SIZE, True), (source, widths[2], FONT_SIZE, False)])
            r += 1
        note = p.text("pitch.note.approx")
        ws.merge_range(r + 1, 0, r + 1, last, note, self.f_note)
        self.row_height(ws, r + 1, [(note, span, FONT_SIZE, False)])
        ws.activate()

    def table(self, key: str, table: Table, *, with_sources: bool = True) -> None:
        p = self.p
        frame = table.frame
        cols: list[tuple[Column, bool]] = []  # (column, is its source column)
        for c in table.columns:
            cols.append((c, False))
            if with_sources and c.source_key:
                cols.append((c, True))
        head = 1 if table.note else 0
        ws = self.sheet(key, header_row=head)
        heads = [f"{c.label}: {p.text('pitch.col.source').lower()}" if is_src else c.label for c, is_src in cols]
        records = list(frame.itertuples(index=False))
        texts: list[list[str]] = []  # each cell as text, to size the columns and rows
        for row in records:
            d = row._asdict()
            texts.append([source_text(str(d.get(c.source_key or "", "")), p.lang) if is_src
                          else _as_text(d.get(c.key), c.kind) for c, is_src in cols])
        widths = []
        for i, ((c, is_src), h) in enumerate(zip(cols, heads, strict=True)):
            word = max((text_width(w, bold=True) for w in words(h)), default=0.0)
            longest = max((text_width(t[i]) for t in texts), default=0.0)
            cap = 16.0 if is_src else (40.0 if c.kind == "text" else 18.0)
            widths.append(round(min(max(word, longest, 8.0) + 2.0, max(cap, word + 2.0)), 1))
            ws.set_column(i, i, widths[-1])
        if table.note:
            ws.merge_range(0, 0, 0, max(len(cols) - 1, 0), table.note, self.f_note)
            self.row_height(ws, 0, [(table.note, max(sum(widths), 1.0), FONT_SIZE, False)])
        for i, h in enumerate(heads):
            ws.write_string(head, i, h, self.f_head)
        self.row_height(ws, head, [(h, widths[i], FONT_SIZE, True) for i, h in enumerate(heads)])
        r = head
        for row, cells in zip(records, texts, strict=True):
            r += 1
            d = row._asdict()
            for i, (c, is_src) in enumerate(cols):
                if is_src:
                    ws.write_string(r, i, cells[i], self.f_text)
                else:
                    self.value(ws, r, i, d.get(c.key), c.kind)
            self.row_height(ws, r, [(cells[i], widths[i], FONT_SIZE, False) for i, (c, is_src) in enumerate(cols)
                                    if is_src or c.kind == "text"])
        ws.freeze_panes(head + 1, 0)
        if len(frame):
            ws.autofilter(head, 0, r, len(cols) - 1)

    def frontier(self) -> None:
        p = self.p
        if p.frontier is None or p.frontier.empty:
            return
        cols = [Column("w", p.text("pitch.col.w"), "number"),
                Column("unique_reach", p.text("plan.unique_reach"), "int"),
                Column("niche_value", p.text("plan.niche_value"), "int"),
                Column("cost", p.text("plan.cost"), "money")]
        self.table("frontier", Table("frontier", p.text("plan.frontier"), p.frontier, cols,
                                     note=p.notes.get("frontier", "")), with_sources=False)

    def assumptions(self) -> None:
        p = self.p
        ws = self.sheet("assumptions", header_row=0)
        widths = (48, 14, 72)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        for c, head in enumerate((p.text("pitch.col.assumption"), p.text("pitch.col.value"),
                                  p.text("pitch.col.source"))):
            ws.write_string(0, c, head, self.f_head)
        for r, a in enumerate(p.assumptions, start=1):
            ws.write_string(r, 0, a.label, self.f_text)
            self.value(ws, r, 1, a.value, a.kind)
            ws.write_string(r, 2, a.source, self.f_text)
            self.row_height(ws, r, [(a.label, widths[0], FONT_SIZE, False), (a.source, widths[2], FONT_SIZE, False)])
        ws.freeze_panes(1, 0)

    def charts(self) -> None:
        """Each chart under its title and note, the next one below it (rows of a fixed 20 px, so an image's height in
        rows is exact and no image covers another)."""
        p = self.p
        pngs = p.pngs()
        if not pngs:
            return
        ws = self.sheet("charts", fit=False)  # at 100 %, a chart to a page (Excel ignores page breaks when fitting)
        ws.set_default_row(15)  # points: 20 px
        breaks: list[int] = []
        titles = p.chart_titles()
        notes = {"frontier": p.notes.get("frontier", ""), "curve": p.notes.get("curve", "")}
        span = 14  # columns the images cover (default width 8.43: 64 px each)
        r = 0
        for name, png in pngs.items():
            if r:
                breaks.append(r)
            ws.write_string(r, 0, titles.get(name, name), self.f_h2)
            ws.set_row(r, 22)
            r += 1
            if notes.get(name):
                ws.merge_range(r, 0, r, span - 1, notes[name], self.f_note)
                self.row_height(ws, r, [(notes[name], span * 8.43, FONT_SIZE, False)])
                r += 1
            # CHART_PX wide on screen, within a landscape A4 page at 100 % (xlsxwriter sizes an image by its own
            # dpi: vl-convert writes 72, which would make it a third larger)
            scale = CHART_PX / _png_width(png) * _png_dpi(png) / 96
            ws.insert_image(r, 0, f"{name}.png", {"image_data": io.BytesIO(png), "x_scale": scale, "y_scale": scale,
                                                  "object_position": 3})
            r += math.ceil(_png_height(png) * CHART_PX / _png_width(png) / 20) + 2
        ws.set_h_pagebreaks(breaks)

    def sources(self) -> None:
        p = self.p
        ws = self.sheet("sources", header_row=0)
        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 90)
        ws.write_string(0, 0, p.text("pitch.col.source"), self.f_head)
        ws.write_string(0, 1, p.text("pitch.col.meaning"), self.f_head)
        for r, s in enumerate(SOURCES, start=1):
            meaning = p.text(f"pitch.srcdef.{s}")
            ws.write_string(r, 0, source_text(s, p.lang), self.f_label)
            ws.write_string(r, 1, meaning, self.f_text)
            self.row_height(ws, r, [(meaning, 90, FONT_SIZE, False)])
        ws.freeze_panes(1, 0)

    def close(self) -> bytes:
        self.wb.close()
        return self.buf.getvalue()


def _as_text(value: Any, kind: str) -> str:
    """A cell's value as it roughly shows (to size its column): numbers with their separators, text as it is."""
    if kind == "text" or isinstance(value, str):
        return "" if value is None else str(value)
    if missing(value):
        return ""
    return f"{float(value):,.2f}" if kind in ("money", "number") else f"{float(value):,.0f}"


def _png_height(png: bytes) -> int:
    """Pixel height from a PNG's IHDR chunk."""
    return int.from_bytes(png[20:24], "big") if png[:8] == b"\x89PNG\r\n\x1a\n" else 600


def _png_width(png: bytes) -> int:
    return int.from_bytes(png[16:20], "big") if png[:8] == b"\x89PNG\r\n\x1a\n" else 1600


def _png_dpi(png: bytes) -> float:
    """The horizontal dpi a PNG states in its pHYs chunk (96, what xlsxwriter assumes, when it states none)."""
    at = png.find(b"pHYs")
    if at < 0 or png[at + 12] != 1:  # unit 1: pixels per metre
        return 96.0
    return int.from_bytes(png[at + 4:at + 8], "big") * 0.0254 or 96.0


def render(pitch: Pitch) -> bytes:
    book = _Book(pitch)
    book.summary()
    book.table("plan", pitch.plan)
    if pitch.barter is not None:
        book.table("barter", pitch.barter)
    if pitch.backups is not None and not pitch.backups.empty:
        book.table("backups", pitch.backups, with_sources=False)
    if pitch.scenarios is not None:
        book.table("scenarios", pitch.scenarios)
    if pitch.scenario_bloggers is not None:
        book.table("scenario_bloggers", pitch.scenario_bloggers, with_sources=False)
    book.frontier()
    if pitch.budget_curve is not None and not pitch.budget_curve.empty:
        cols = [Column(c, pitch.text(f"pitch.col.curve.{c.removeprefix('unique_reach_')}"),
                       "money" if c == "budget" else "int")
                for c in pitch.budget_curve.columns if c != "status"]
        book.table("curve", Table("curve", pitch.text("pitch.chart.curve"), pitch.budget_curve, cols),
                   with_sources=False)
    book.assumptions()
    book.charts()
    book.sources()
    return book.close()

