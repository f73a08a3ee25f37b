"""The pitch as an XLSX workbook (xlsxwriter): a summary (brief and totals with their sources), the plan, barter
and hybrid deals, backups, the frontier, assumptions with their sources, the charts as images and what each source
means. Numbers are number cells with number formats (currency, per cent), text is text (never a formula). It lays
out a :class:`planner.reporting.pitch_model.Pitch` and computes nothing."""

from __future__ import annotations

import io
import re
from typing import Any

import xlsxwriter

from planner.core import money
from planner.reporting.pitch_model import SOURCES, Column, Pitch, Table, missing, source_text

HEADER_BG = "#1F2A44"
ACCENT = "#4C6FFF"


def money_format(currency: str, lang: str) -> str:
    """An Excel number format for whole amounts in ``currency`` (the reader's locale sets the separators)."""
    sym = money.SYMBOLS.get(currency, currency)
    if lang == "ru" or currency == "RUB":
        return f'#,##0" {sym}"'
    return f'"{sym}"#,##0'


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
                                                 "strings_to_urls": False, "strings_to_numbers": False})
        self.wb.set_properties({"title": pitch.title, "subject": pitch.text("pitch.doc_title"),
                                "author": pitch.client or "", "company": pitch.client or "",
                                "comments": pitch.text("pitch.prepared_with")})
        self.used: set[str] = set()
        wb = self.wb
        self.f_title = wb.add_format({"bold": True, "font_size": 18, "font_color": HEADER_BG})
        self.f_sub = wb.add_format({"font_size": 12, "font_color": "#374151"})
        self.f_h2 = wb.add_format({"bold": True, "font_size": 13, "font_color": HEADER_BG})
        self.f_head = wb.add_format({"bold": True, "font_color": "white", "bg_color": HEADER_BG, "text_wrap": True,
                                     "valign": "top", "border": 1, "border_color": "#D1D5DB"})
        self.f_label = wb.add_format({"bold": True, "valign": "top"})
        self.f_text = wb.add_format({"valign": "top", "text_wrap": True})
        self.f_note = wb.add_format({"italic": True, "font_color": "#6B7280", "text_wrap": True, "valign": "top"})
        num = {"money": money_format(pitch.currency, pitch.lang), "int": "#,##0", "number": "#,##0.00",
               "share": "0%", "percent": '0.0" %"'}
        self.f_num = {k: wb.add_format({"num_format": v, "valign": "top"}) for k, v in num.items()}
        self.f_num_bold = {k: wb.add_format({"num_format": v, "bold": True, "valign": "top"}) for k, v in num.items()}

    def sheet(self, key: str):
        return self.wb.add_worksheet(sheet_name(self.p.text(f"pitch.sheet.{key}"), self.used))

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
        ws.set_column(0, 0, 38)
        ws.set_column(1, 1, 26)
        ws.set_column(2, 2, 60)
        ws.write_string(0, 0, p.title, self.f_title)
        ws.write_string(1, 0, p.text("pitch.doc_title") + (f" · {p.text('pitch.for_client', client=p.client)}"
                                                            if p.client else ""), self.f_sub)
        ws.write_string(2, 0, p.text("pitch.prepared_on", date=p.date.strftime("%d.%m.%Y")), self.f_sub)
        ws.write_string(3, 0, p.text("pitch.currency_note", ccy=p.currency, sym=p.symbol), self.f_note)
        r = 5
        ws.write_string(r, 0, p.text("pitch.section.brief"), self.f_h2)
        r += 1
        for label, text in p.brief:
            ws.write_string(r, 0, label, self.f_label)
            ws.write_string(r, 1, text, self.f_text)
            r += 1
        r += 1
        ws.write_string(r, 0, p.text("pitch.section.totals"), self.f_h2)
        r += 1
        for c, head in enumerate((p.text("pitch.col.figure"), p.text("pitch.col.value"), p.text("pitch.col.source"))):
            ws.write_string(r, c, head, self.f_head)
        r += 1
        for f in p.totals:
            ws.write_string(r, 0, f.label, self.f_label)
            self.value(ws, r, 1, f.value, f.kind, bold=True)
            ws.write_string(r, 2, source_text(f.source, p.lang) + (f" — {f.note}" if f.note else ""), self.f_text)
            r += 1
        ws.write_string(r + 1, 0, p.text("pitch.note.approx"), self.f_note)
        ws.activate()

    def table(self, key: str, table: Table, *, with_sources: bool = True) -> None:
        p = self.p
        ws = self.sheet(key)
        frame = table.frame
        cols: list[tuple[Column, bool]] = []  # (column, is its source column)
        for c in table.columns:
            cols.append((c, False))
            if with_sources and c.source_key:
                cols.append((c, True))
        r = 0
        if table.note:
            ws.merge_range(0, 0, 0, max(len(cols) - 1, 0), table.note, self.f_note)
            ws.set_row(0, 30)
            r = 1
        for i, (c, is_src) in enumerate(cols):
            ws.write_string(r, i, f"{c.label}: {p.text('pitch.col.source').lower()}" if is_src else c.label,
                            self.f_head)
            width = 14 if c.kind != "text" else 22
            ws.set_column(i, i, 16 if is_src else width)
        head = r
        for row in frame.itertuples(index=False):
            r += 1
            d = row._asdict()
            for i, (c, is_src) in enumerate(cols):
                if is_src:
                    ws.write_string(r, i, source_text(str(d.get(c.source_key or "", "")), p.lang), self.f_text)
                else:
                    self.value(ws, r, i, d.get(c.key), c.kind)
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
        ws = self.sheet("assumptions")
        ws.set_column(0, 0, 52)
        ws.set_column(1, 1, 14)
        ws.set_column(2, 2, 100)
        for c, head in enumerate((p.text("pitch.col.assumption"), p.text("pitch.col.value"),
                                  p.text("pitch.col.source"))):
            ws.write_string(0, c, head, self.f_head)
        for r, a in enumerate(p.assumptions, start=1):
            ws.write_string(r, 0, a.label, self.f_text)
            self.value(ws, r, 1, a.value, a.kind)
            ws.write_string(r, 2, a.source, self.f_text)
        ws.freeze_panes(1, 0)

    def charts(self) -> None:
        p = self.p
        pngs = p.pngs()
        if not pngs:
            return
        ws = self.sheet("charts")
        titles = p.chart_titles()
        r = 0
        for name, png in pngs.items():
            ws.write_string(r, 0, titles.get(name, name), self.f_h2)
            ws.insert_image(r + 1, 0, f"{name}.png", {"image_data": io.BytesIO(png), "x_scale": 0.5,
                                                      "y_scale": 0.5, "object_position": 3})
            height_px = _png_height(png) / 2
            r += 3 + int(height_px / 20)
        for key in ("frontier", "curve"):
            if p.notes.get(key):
                ws.write_string(r, 0, p.notes[key], self.f_note)
                r += 1

    def sources(self) -> None:
        p = self.p
        ws = self.sheet("sources")
        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 100)
        ws.write_string(0, 0, p.text("pitch.col.source"), self.f_head)
        ws.write_string(0, 1, p.text("pitch.col.meaning"), self.f_head)
        for r, s in enumerate(SOURCES, start=1):
            ws.write_string(r, 0, source_text(s, p.lang), self.f_label)
            ws.write_string(r, 1, p.text(f"pitch.srcdef.{s}"), self.f_text)

    def close(self) -> bytes:
        self.wb.close()
        return self.buf.getvalue()


def _png_height(png: bytes) -> int:
    """Pixel height from a PNG's IHDR chunk."""
    return int.from_bytes(png[20:24], "big") if png[:8] == b"\x89PNG\r\n\x1a\n" else 600


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

