"""The client pitch (planner.reporting.pitch*): the numbers inside the exported XLSX, PPTX and PDF equal the saved
plan, in English and Russian and in a converted currency; the headline figures carry their P10–P90; sources read in
the pitch's language; the deck is a story with the rest of the plan in its appendix; the workbook prints one page
wide with its headers repeated and frozen; file names carry the client and the campaign and are safe for any name;
every file opens in LibreOffice; the export-plan command line; the PDF's font is found or the failure says what to
install. (That no text leaves its box once rendered: tests/test_pitch_render.py.)"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from planner import campaigns
from planner.core import money
from planner.core.i18n import TEXT
from planner.planning import plan
from planner.reporting import pitch, pitch_model, pitch_text
from planner.storage import db, store
from planner.storage.access import LOCAL
from planner.storage.models import Campaign
from tests.conftest import pitch_world

FX = money.Rates.of({"USD": 90.0, "EUR": 98.0})


# ---- one database for the module: the shipped sample (bloggers and the finished sample campaign) and a saved plan
@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with pitch_world(tmp_path_factory, "pitch", "Весенний запуск «Сияние»") as w:
        yield w


@pytest.fixture(scope="module")
def doc_en(world):
    return pitch.build(world["engine"], world["plan_id"], lang="en", client="Acme Beauty", rates=FX,
                       bloggers=world["bloggers"], time_limit=30, access=LOCAL)


@pytest.fixture(scope="module")
def doc_ru_usd(world):
    return pitch.build(world["engine"], world["plan_id"], lang="ru", currency="USD", client="ООО «Ромашка»",
                       rates=FX, bloggers=world["bloggers"], frontier=False, access=LOCAL)


@pytest.fixture(scope="module")
def doc_sample_ru(world):
    return pitch.build(world["engine"], world["sample_id"], lang="ru", rates=FX, bloggers=world["bloggers"],
                       frontier=False, access=LOCAL)


@pytest.fixture(scope="module")
def files(doc_en, doc_ru_usd, doc_sample_ru):
    return {(name, fmt): pitch.render(doc, fmt) for name, doc in
            (("en", doc_en), ("ru_usd", doc_ru_usd), ("sample_ru", doc_sample_ru)) for fmt in pitch.FORMATS}


def _stored(world, cid):
    return campaigns.load_campaign(world["engine"], cid, access=LOCAL)[1]


def _plain(text: str) -> str:
    """Text with every kind of space as one plain space (PDF extraction may turn NBSP and NNBSP into either)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


# ---- the model ---------------------------------------------------------------------------------------------
def test_the_model_holds_the_saved_plan(world, doc_en):
    stored = _stored(world, world["plan_id"])
    frame = doc_en.plan.frame
    assert len(frame) == len(stored) > 3
    assert frame["handle"].tolist() == stored["handle"].tolist()
    assert np.allclose(frame["cash"], stored["cost"])
    assert np.allclose(frame["reach"], stored["expected_reach"])
    assert doc_en.figure("cash_cost").value == pytest.approx(stored["cost"].sum())
    assert doc_en.figure("product_cost").value == pytest.approx(0.0)
    # the plan's own totals as saved: cost and unique reach
    saved = world["result"].totals
    assert doc_en.figure("total_cost").value == pytest.approx(saved["cost"])
    assert doc_en.figure("unique_reach").value == pytest.approx(saved["unique_reach"], rel=1e-9)
    assert doc_en.figure("impressions").value == pytest.approx(saved["impressions"], rel=1e-9)
    assert doc_en.figure("engagements").value == pytest.approx(saved["engagements"], rel=1e-9)
    assert doc_en.figure("orders").value == pytest.approx(saved["orders"], rel=1e-9)
    assert doc_en.figure("budget").value == pytest.approx(400_000)
    # every figure carries its source
    assert {f.source for f in doc_en.totals} <= set(pitch.SOURCES)
    assert doc_en.figure("unique_reach").source == "estimated" and doc_en.figure("budget").source == "brief"
    assert set(frame["reach_source"]) <= {"measured", "estimated"}
    assert frame.loc[stored["reach_source"].to_numpy() == "measured", "reach_source"].eq("measured").all()
    # the frontier is the brief's, the plan's weight marked; backups exist for the chosen bloggers
    assert doc_en.frontier is not None and len(doc_en.frontier) == len(pitch.FRONTIER_WS)
    assert doc_en.current_w == 0.5 and {"spend", "frontier"} <= set(doc_en.charts)
    assert doc_en.backups is not None and len(doc_en.backups.frame) == len(stored)
    assert doc_en.barter is None and doc_en.notes["barter"] == TEXT["pitch.note.all_paid"]["en"]
    assert not any("Exchange rate" in a.label for a in doc_en.assumptions)  # nothing converted, no rate used
    assert any(a.label.startswith("Audience pool beauty/") for a in doc_en.assumptions)


def test_currency_is_converted_once_through_the_rates(world, doc_en, doc_ru_usd):
    assert doc_ru_usd.currency == "USD"
    assert np.allclose(doc_ru_usd.plan.frame["cash"], doc_en.plan.frame["cash"] / 90.0)
    for key in ("cash_cost", "total_cost", "budget", "cpm_unique"):
        assert doc_ru_usd.figure(key).value == pytest.approx(doc_en.figure(key).value / 90.0)
    for key in ("unique_reach", "impressions", "orders"):  # people and counts do not change with the currency
        assert doc_ru_usd.figure(key).value == pytest.approx(doc_en.figure(key).value)
    assert doc_ru_usd.frontier is None  # asked without it
    rate = next(a for a in doc_ru_usd.assumptions if a.label == TEXT["pitch.as.fx"]["ru"].format(sym="$"))
    assert rate.value == 90.0 and rate.source == TEXT["pitch.src.fx"]["ru"]


def test_barter_deals_keep_cash_and_product_apart(world, doc_sample_ru):
    stored = _stored(world, world["sample_id"])
    assert doc_sample_ru.figure("cash_cost").value == pytest.approx(stored["cost"].sum())
    assert stored["product_cost"].sum() > 0
    assert doc_sample_ru.figure("product_cost").value == pytest.approx(stored["product_cost"].sum())
    assert doc_sample_ru.figure("total_cost").value == pytest.approx(stored["cost"].sum()
                                                                     + stored["product_cost"].sum())
    barter = doc_sample_ru.barter
    assert barter is not None
    goods = stored[stored["kind"] != "paid"]
    assert sorted(barter.frame["handle"]) == sorted(goods["handle"])
    row = barter.frame.set_index("handle").loc[goods["handle"].iloc[0]]
    g = goods.iloc[0]
    assert row["expected_posts"] == pytest.approx(g["expected_posts"])
    assert row["cost_per_post"] == pytest.approx((g["cost"] + g["product_cost"]) / g["expected_posts"])
    assert set(barter.frame["deal_label"]) <= {TEXT["barter.deal.barter"]["ru"], TEXT["barter.deal.hybrid"]["ru"]}


def test_a_missing_campaign_or_currency_is_refused(world):
    with pytest.raises(pitch.PitchError, match="no campaign 9999"):
        pitch.build(world["engine"], 9999, access=LOCAL)
    with pytest.raises(pitch.PitchError, match="unknown currency"):
        pitch.build(world["engine"], world["plan_id"], currency="GBP", frontier=False, access=LOCAL)


def test_cell_text_marks_estimates_and_formats_by_locale():
    assert pitch.cell_text(12500, "money", "ru", "RUB") == "12\u202f500\u00a0₽"
    assert pitch.cell_text(12500, "money", "en", "USD", "estimated") == "≈\u00a0$12,500"
    assert pitch.cell_text(0.6, "share", "en", "RUB") == "60\u00a0%"
    assert pitch.cell_text(float("nan"), "int", "en", "RUB") == "—"


# ---- XLSX ---------------------------------------------------------------------------------------------------
def _sheet(book, name):
    ws = book[name]
    rows = list(ws.iter_rows(values_only=True))
    return ws, rows


@pytest.mark.parametrize("which,lang", [("en", "en"), ("ru_usd", "ru")])
def test_xlsx_numbers_are_numbers_and_equal_the_plan(files, doc_en, doc_ru_usd, which, lang):
    import openpyxl

    doc = doc_en if which == "en" else doc_ru_usd
    book = openpyxl.load_workbook(io.BytesIO(files[(which, "xlsx")]))
    assert book.sheetnames[:2] == [TEXT["pitch.sheet.summary"][lang], TEXT["pitch.sheet.plan"][lang]]
    assert TEXT["pitch.sheet.assumptions"][lang] in book.sheetnames
    ws, rows = _sheet(book, TEXT["pitch.sheet.plan"][lang])
    head = list(rows[0])
    cash_i = head.index(TEXT["pitch.col.cash"][lang])
    handle_i = head.index(TEXT["col.handle"][lang])
    body = rows[1:]
    assert len(body) == len(doc.plan.frame)
    assert [r[handle_i] for r in body] == ["@" + h for h in doc.plan.frame["handle"]]
    assert all(isinstance(r[cash_i], float | int) for r in body)
    assert np.allclose([r[cash_i] for r in body], doc.plan.frame["cash"])
    sym = "₽" if doc.currency == "RUB" else "$"
    assert sym in ws.cell(row=2, column=cash_i + 1).number_format
    # the source beside the figure
    assert head[cash_i + 1].startswith(TEXT["pitch.col.cash"][lang])
    assert {r[cash_i + 1] for r in body} <= {TEXT[f"pitch.src.{s}"][lang] for s in pitch.SOURCES}
    share_i = head.index(TEXT["pitch.col.expected_posts"][lang])
    assert ws.cell(row=2, column=share_i + 1).number_format == "0%"
    # totals on the summary sheet: label, number, source
    _, summary = _sheet(book, TEXT["pitch.sheet.summary"][lang])
    by_label = {r[0]: r for r in summary if r[0]}
    for f in doc.totals:
        row = by_label[f.label]
        if f.value is None:
            assert row[1] is None
        else:
            assert isinstance(row[1], float | int) and row[1] == pytest.approx(f.value)
        assert row[2].startswith(TEXT[f"pitch.src.{f.source}"][lang])
    assert summary[0][0] == doc.title


def test_xlsx_charts_are_images_and_text_is_never_a_formula(world, files, doc_en):
    import zipfile

    z = zipfile.ZipFile(io.BytesIO(files[("en", "xlsx")]))
    assert len([n for n in z.namelist() if n.startswith("xl/media/") and n.endswith(".png")]) == len(doc_en.charts)
    assert not any("<f>" in z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))


@pytest.mark.parametrize("which,lang", [("en", "en"), ("ru_usd", "ru")])
def test_xlsx_prints_one_page_wide_with_its_headers(files, doc_en, doc_ru_usd, which, lang):
    """Every sheet prints landscape, one page wide, its header row repeated on each page and frozen on screen;
    amounts in the chosen currency; the summary's totals with their P10–P90; wrapped rows as tall as their lines."""
    import openpyxl

    doc = doc_en if which == "en" else doc_ru_usd
    book = openpyxl.load_workbook(io.BytesIO(files[(which, "xlsx")]))
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9, ws.title
        if ws.title == TEXT["pitch.sheet.charts"][lang]:  # a chart to a page, at a fixed scale
            assert not ws.sheet_properties.pageSetUpPr.fitToPage and len(ws.row_breaks.brk) == len(doc.charts) - 1
            continue
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0, ws.title
    noted = {"plan": False, "assumptions": False, "sources": False, "backups": True, "frontier": True, "curve": False}
    for key, note in noted.items():  # a sheet with a note above its table has its header on row 2
        if TEXT[f"pitch.sheet.{key}"][lang] not in book.sheetnames:
            assert key in ("frontier", "curve") and doc.frontier is None
            continue
        ws = book[TEXT[f"pitch.sheet.{key}"][lang]]
        head = 2 if note else 1
        assert ws.print_title_rows == f"${head}:${head}" and ws.freeze_panes == f"A{head + 1}", key
    ws = book[TEXT["pitch.sheet.plan"][lang]]
    cash = [c for c in ws[1] if c.value == TEXT["pitch.col.cash"][lang]][0]
    fmt = ws.cell(row=2, column=cash.column).number_format
    assert ("₽" in fmt and "0.00" not in fmt) if doc.currency == "RUB" else ("$" in fmt and "0.00" in fmt)
    summary = book[TEXT["pitch.sheet.summary"][lang]]
    rows = {r[0].value: r for r in summary.iter_rows() if r[0].value}
    reach = rows[doc.figure("unique_reach").label]
    assert reach[3].value == pytest.approx(doc.figure("unique_reach").low)
    assert reach[4].value == pytest.approx(doc.figure("unique_reach").high)
    formats = rows[TEXT["pitch.brief.formats"][lang]]  # a long brief line: a merged, wrapped value
    assert any(str(formats[0].coordinate) in str(rng) or f"B{formats[0].row}" in str(rng)
               for rng in summary.merged_cells.ranges)


# ---- PPTX ---------------------------------------------------------------------------------------------------
def _deck(data: bytes):
    from pptx import Presentation

    return Presentation(io.BytesIO(data))


def _tables(prs):
    out = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_table:
                out.append([[c.text for c in row.cells] for row in shape.table.rows])
    return out


@pytest.mark.parametrize("which", ["en", "ru_usd"])
def test_pptx_native_tables_hold_the_plan(files, doc_en, doc_ru_usd, which):
    doc = doc_en if which == "en" else doc_ru_usd
    prs = _deck(files[(which, "pptx")])
    story = pitch_model.story_plan(doc.plan)  # the columns a client reads (every placement paid: no deal columns)
    assert [c.key for c in story.columns] == ["n", "handle_label", "platform_label", "format_label", "followers",
                                              "cash", "reach", "unique_reach"]
    heads, expected = pitch.table_texts(story, doc.lang, doc.currency)
    plan_rows = [row for tbl in _tables(prs) if tbl[0] == heads for row in tbl[1:]]
    assert plan_rows == expected  # the plan's slide, then the rest of it in the appendix: every placement once
    cash_i = heads.index(TEXT["pitch.col.cash"][doc.lang])
    assert [r[cash_i] for r in plan_rows] == [
        money.format_money(v, doc.currency, doc.lang) for v in doc.plan.frame["cash"]]
    texts = [sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame]
    assert doc.title in texts and any(doc.client in x for x in texts)
    # key figures as editable text, the totals as a native table with their sources
    total = pitch.cell_text(doc.figure("total_cost").value, "money", doc.lang, doc.currency, "quoted")
    assert total in texts
    totals_tbl = next(tbl for tbl in _tables(prs) if tbl[0][0] == TEXT["pitch.col.figure"][doc.lang])
    assert [r[0] for r in totals_tbl[1:]] == [f.label for f in doc.totals]
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == len(doc.charts)


def test_pptx_barter_table_in_russian(files, doc_sample_ru):
    prs = _deck(files[("sample_ru", "pptx")])
    heads, expected = pitch.table_texts(doc_sample_ru.barter, "ru", "RUB")
    assert [row for tbl in _tables(prs) if tbl[0] == heads for row in tbl[1:]] == expected
    assert TEXT["pitch.section.barter"]["ru"] in [sh.text_frame.text for s in prs.slides for sh in s.shapes
                                                  if sh.has_text_frame]
    # a barter plan keeps its deal, product and chance-of-the-post columns on the plan's slide
    story = pitch_model.story_plan(doc_sample_ru.plan)
    assert {"deal_label", "product_cost", "expected_posts"} <= {c.key for c in story.columns}


def _slide_texts(prs) -> list[list[str]]:
    return [[sh.text_frame.text for sh in s.shapes if sh.has_text_frame and sh.text_frame.text.strip()]
            for s in prs.slides]


@pytest.mark.parametrize("which", ["en", "ru_usd", "sample_ru"])
def test_the_deck_is_a_story(files, doc_en, doc_ru_usd, doc_sample_ru, which):
    """Title with the client, the brief, what the plan buys, the plan, the charts, barter, assumptions and sources,
    then the appendix; the charts fill their slides; in the pitch's language."""
    doc = {"en": doc_en, "ru_usd": doc_ru_usd, "sample_ru": doc_sample_ru}[which]
    prs = _deck(files[(which, "pptx")])
    texts = _slide_texts(prs)
    titles = [x[0] for x in texts[1:]]
    t = doc.text
    assert any(doc.title in x for x in texts[0]) and (not doc.client or any(doc.client in x for x in texts[0]))
    assert titles[0] == t("pitch.section.brief") and titles[1] == t("pitch.section.headline")
    assert titles[2] == t("pitch.section.plan")  # a plan of a dozen placements fits its slide
    expected = [t("pitch.section.spend")] + [t(f"pitch.chart.{c}") for c in ("frontier", "curve") if c in doc.charts]
    assert [x for x in titles if x in expected] == expected
    assert (t("pitch.section.barter") in titles) == (doc.barter is not None)
    story = titles[:titles.index(t("pitch.section.appendix_totals"))]
    assert story[-2:] == [t("pitch.section.assumptions"), t("pitch.section.sources")] or \
        story[-2].startswith(t("pitch.section.assumptions"))
    assert len(story) + 1 <= 12
    assert titles[-1].startswith(t("pitch.section.appendix_backups"))
    # what the plan buys: cash, product, unique reach in the target audience and orders with their P10–P90
    headline = texts[2]
    for key in ("cash_cost", "product_cost", "unique_reach", "orders", "total_cost", "budget", "cpm_unique"):
        f = doc.figure(key)
        assert pitch.cell_text(f.value, f.kind, doc.lang, doc.currency, f.source) in headline, key
    assert pitch.band_text(doc.figure("unique_reach"), doc.lang, doc.currency) in headline
    assert pitch.band_text(doc.figure("orders"), doc.lang, doc.currency) in headline
    assert t("pitch.headline.unique_reach") in headline
    assert t("pitch.src.estimated") in headline and t("pitch.src.quoted") in headline
    # the charts fill the room under their titles
    for s in prs.slides:
        for sh in s.shapes:
            if sh.shape_type == 13:
                assert sh.width >= 0.9 * prs.slide_width and sh.height >= 0.5 * prs.slide_height
    # nothing in English in a Russian deck but names and units
    if doc.lang == "ru":
        words = " ".join(x for slide in texts for x in slide)
        for english in ("Modash: below", "assumption:", "estimated", "quoted", "the brief"):
            assert english not in words, english


# ---- PDF ----------------------------------------------------------------------------------------------------
def _pdf_text(data: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), _plain("\n".join(p.extract_text() or "" for p in reader.pages))


@pytest.mark.parametrize("which", ["en", "ru_usd", "sample_ru"])
def test_pdf_text_holds_the_figures(files, doc_en, doc_ru_usd, doc_sample_ru, which):
    doc = {"en": doc_en, "ru_usd": doc_ru_usd, "sample_ru": doc_sample_ru}[which]
    pages, text = _pdf_text(files[(which, "pdf")])
    assert pages >= 8
    assert _plain(doc.title) in text
    for f in doc.totals:
        assert _plain(pitch.cell_text(f.value, f.kind, doc.lang, doc.currency, f.source)) in text, f.key
    heads, rows = pitch.table_texts(doc.plan, doc.lang, doc.currency)
    for row in rows:
        assert "@" + row[1].lstrip("@") in text.replace(" ", "") or row[1] in text
        assert _plain(row[6]) in text  # the cash figure
    if doc.lang == "ru":
        assert TEXT["pitch.section.plan"]["ru"] in text and TEXT["pitch.section.assumptions"]["ru"] in text


def test_pdf_embeds_its_unicode_font(files):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(files[("sample_ru", "pdf")]))
    fonts: set[str] = set()
    for page in reader.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            fonts.add(str(font.get("/BaseFont")))
            assert "/FontFile2" in font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert any("DejaVuSans" in f for f in fonts), fonts


def test_pdf_without_a_font_says_what_to_install(monkeypatch, tmp_path, doc_en):
    monkeypatch.setattr(pitch_text, "FONT_DIRS", ())
    monkeypatch.setenv("PLANNER_PDF_FONT_DIR", str(tmp_path))
    monkeypatch.setattr(pitch_text.shutil, "which", lambda name: None)
    with pytest.raises(pitch.PitchError, match="fonts-dejavu-core"):
        pitch.render(doc_en, "pdf")


def test_font_dir_from_the_environment(monkeypatch, tmp_path):
    regular, bold = pitch_text.font_paths()
    (tmp_path / "sub").mkdir()
    for p in (regular, bold):
        shutil.copy(p, tmp_path / "sub" / p.name)
    monkeypatch.setenv("PLANNER_PDF_FONT_DIR", str(tmp_path))
    assert pitch_text.font_paths() == (tmp_path / "sub" / regular.name, tmp_path / "sub" / bold.name)


def test_text_fits_its_width_and_keeps_its_no_break_spaces():
    assert pitch_text.wrap("12\u202f500\u00a0₽ and more words", pitch_text.width("12\u202f500\u00a0₽", 12) + 1,
                           12)[0] == "12\u202f500\u00a0₽"
    size, lines = pitch_text.fit("word " * 200, 200, 60, (14, 12, 10))
    assert size == 10 and len(lines) == 5 and lines[-1].endswith("…")
    assert all(pitch_text.width(x, 10) <= 200 for x in lines)
    assert pitch_text.clip("A very long campaign name indeed", 60, 10).endswith("…")


def test_an_empty_campaign_still_makes_three_files(world):
    from sqlmodel import Session

    with Session(world["engine"]) as session:
        camp = Campaign(name="Empty", currency="RUB", budget=100_000.0, brief={"budget": 100_000.0})
        session.add(camp)
        session.commit()
        cid = int(camp.id)
    doc = pitch.build(world["engine"], cid, bloggers=world["bloggers"], frontier=False, access=LOCAL)
    assert doc.plan.empty and doc.figure("total_cost").value == 0
    for fmt in pitch.FORMATS:
        assert len(pitch.render(doc, fmt)) > 1000


# ---- the command line ---------------------------------------------------------------------------------------
def _run(capsys, *argv):
    from planner.__main__ import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_plan_command(world, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", world["url"])
    out = tmp_path / "deck" / "pitch.pptx"
    code, text, err = _run(capsys, "export-plan", "--campaign", str(world["plan_id"]), "--format", "pptx",
                           "--out", str(out), "--lang", "ru", "--currency", "EUR", "--client", "Клиент",
                           "--no-frontier", "--json")
    assert code == 0, err
    payload = json.loads(text)
    assert payload["out"] == str(out) and out.stat().st_size == payload["bytes"]
    assert payload["currency"] == "EUR" and payload["lang"] == "ru" and payload["client"] == "Клиент"
    stored = _stored(world, world["plan_id"])
    assert payload["totals"]["cash_cost"] == pytest.approx(stored["cost"].sum() / 98.0, abs=0.01)
    assert payload["sources"]["unique_reach"] == "estimated"
    prs = _deck(out.read_bytes())
    assert prs.slides[0].shapes  # a title slide


def test_export_plan_names_the_file_after_the_client_and_the_campaign(world, capsys, monkeypatch, tmp_path):
    """Without --out (or with a folder) the file takes the pitch's own name, the one the page's buttons offer."""
    import datetime as dt

    from planner.app import pitch as app_pitch

    monkeypatch.setenv("DATABASE_URL", world["url"])
    code, text, err = _run(capsys, "export-plan", "--campaign", str(world["plan_id"]), "--format", "xlsx", "--out",
                           str(tmp_path), "--client", "Acme / Beauty", "--no-frontier", "--json")
    assert code == 0, err
    payload = json.loads(text)
    name = f"Acme Beauty – Весенний запуск «Сияние» – pitch – {dt.date.today().isoformat()}.xlsx"
    assert payload["out"] == str(tmp_path / name) and payload["file_name"] == name
    assert (tmp_path / name).stat().st_size == payload["bytes"]
    assert app_pitch.file_names(db.get_engine(world["url"]), world["plan_id"], client="Acme / Beauty",
                                access=LOCAL)["xlsx"] == name
    assert payload["bands"]["unique_reach"][0] <= payload["totals"]["unique_reach"] <= \
        payload["bands"]["unique_reach"][1]
    monkeypatch.chdir(tmp_path / "..")
    code, text, err = _run(capsys, "export-plan", "--campaign", str(world["sample_id"]), "--format", "pdf",
                           "--lang", "ru", "--no-frontier", "--json")
    assert code == 0, err
    out = json.loads(text)["out"]
    assert out == f"Sample autumn serum launch (finished) – медиаплан – {dt.date.today().isoformat()}.pdf"
    assert (tmp_path / ".." / out).exists()


@pytest.mark.parametrize("argv,message", [
    (["--campaign", "9999", "--format", "pdf", "--out", "{tmp}/x.pdf"], "no campaign 9999"),
    (["--campaign", "9999", "--format", "pdf", "--out", "{tmp}"], "--campaign: no campaign 9999 in workspace Local"),
    (["--campaign", "{cid}", "--format", "xlsx", "--out", "/proc/no/such/x.xlsx"], "cannot write"),
])
def test_export_plan_bad_input_exits_2_with_one_line(world, capsys, monkeypatch, tmp_path, argv, message):
    monkeypatch.setenv("DATABASE_URL", world["url"])
    args = [a.format(tmp=tmp_path, cid=world["plan_id"]) for a in argv]
    code, _, err = _run(capsys, "export-plan", *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


# ---- LibreOffice opens every file --------------------------------------------------------------------------------
def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.parametrize("which", ["en", "sample_ru"])
def test_libreoffice_opens_every_file(files, tmp_path, which):
    exe = _soffice()
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed here; .ci/run installs it")
    from pypdf import PdfReader

    for fmt in ("xlsx", "pptx"):
        src = tmp_path / fmt / f"pitch.{fmt}"
        src.parent.mkdir()
        src.write_bytes(files[(which, fmt)])
        run = subprocess.run([exe, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                              "--convert-to", "pdf", "--outdir", str(src.parent), str(src)],
                             capture_output=True, text=True, timeout=240)
        out = src.with_suffix(".pdf")
        assert run.returncode == 0 and out.exists(), run.stderr
        assert len(PdfReader(out).pages) > 0
    # the PDF itself (LibreOffice without Draw cannot open a PDF): a strict parse, every page with text
    reader = PdfReader(io.BytesIO(files[(which, "pdf")]), strict=True)
    assert len(reader.pages) > 0 and all((p.extract_text() or "").strip() for p in reader.pages)


def test_pitch_texts_have_both_languages():
    keys = [k for k in TEXT if k.startswith("pitch.")]
    assert len(keys) > 80
    assert all(TEXT[k].get("en") and TEXT[k].get("ru") for k in keys)
    assert pd.Series([TEXT[k]["ru"] for k in keys if TEXT[k]["en"] != TEXT[k]["ru"]]).str.contains(
        "[а-яА-Я]").all()


def test_file_names_and_mime_types(doc_en, doc_ru_usd):
    day = doc_en.date.isoformat()
    assert pitch.file_name(doc_en, "pptx") == f"Acme Beauty – Весенний запуск «Сияние» – pitch – {day}.pptx"
    assert pitch.file_name(doc_ru_usd, "pdf") == f"ООО «Ромашка» – Весенний запуск «Сияние» – медиаплан – {day}.pdf"
    assert set(pitch.MIME) == set(pitch.FORMATS)
    with pytest.raises(pitch.PitchError):
        pitch.render(doc_en, "docx")


@pytest.mark.parametrize("title,client", [
    ("../../etc/passwd", "a/b\\c"),
    ("Весна\x00\x07\n\tкампания", "Клиент\u202e\u200b"),
    ("  ...hidden  ", ". ."),
    ('CON <x> "y" | z? * : w', "NUL"),
    ("Очень длинное имя кампании " * 20, "Клиент с очень длинным названием " * 20),
    ("", ""),
])
def test_file_names_are_safe_for_any_name(title, client):
    import datetime as dt
    import unicodedata

    name = pitch_model.file_name(title, client, "pptx", "ru", dt.date(2026, 12, 4), fallback="campaign 7")
    assert name.endswith(" – медиаплан – 2026-12-04.pptx")
    assert not any(ch in name for ch in '/\\:*?"<>|') and not name.startswith((".", " "))
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name)
    assert len(name.encode("utf-8")) <= 240 and len(name) >= len("x – медиаплан – 2026-12-04.pptx")
    assert pitch_model.file_name("Кампания", "", "xlsx", "en", dt.date(2026, 12, 4)) == \
        "Кампания – pitch – 2026-12-04.xlsx"
    assert pitch_model.file_name("", "", "pdf", "en", dt.date(2026, 12, 4), fallback="campaign 7") == \
        "campaign 7 – pitch – 2026-12-04.pdf"


def test_sources_speak_the_pitch_language(doc_ru_usd, doc_sample_ru, doc_en):
    """A Russian pitch cites its benchmarks in Russian (planner.core.i18n's pitch.bsrc.* keys): every assumption's
    source, the fraud threshold's included; the English one keeps the benchmark tables' own words."""
    from planner.estimates import benchmarks
    from planner.planning import uncertainty

    for doc in (doc_ru_usd, doc_sample_ru):
        for a in doc.assumptions:
            assert re.search("[а-яА-Я]", a.source), (a.label, a.source)
            assert "Modash: below" not in a.source
    fraud = benchmarks.Benchmarks.default().fraud_threshold_source
    assert fraud in [a.source for a in doc_en.assumptions]
    assert TEXT["pitch.bsrc.modash_fraud"]["ru"] in [a.source for a in doc_ru_usd.assumptions]
    # every source the benchmark tables hold has its Russian text
    every = (set(benchmarks.Benchmarks.default().to_frame()["source"])
             | set(benchmarks.BarterBenchmarks.default().to_frame()["source"]) | set(uncertainty.SOURCES.values()))
    missing = [x for x in every if pitch_model.citation_text(x, "ru") == x]
    assert not missing, missing


def test_headline_figures_carry_their_band(world, doc_en, doc_sample_ru):
    """Unique reach, engagements and orders with their P10–P90 (planner.planning.uncertainty at its default ranges
    and seed); the point figures stay the saved plan's."""
    for doc in (doc_en, doc_sample_ru):
        for key in ("unique_reach", "engagements", "orders"):
            f = doc.figure(key)
            assert f.banded and f.low <= f.value <= f.high and f.low < f.high, key
        assert not doc.figure("cash_cost").banded
        assert doc.text("pitch.as.band", what=doc.text("pitch.as.band.ctr")) in [a.label for a in doc.assumptions]
    again = pitch.build(world["engine"], doc_en.campaign_id, bloggers=world["bloggers"], frontier=False, access=LOCAL)
    assert again.figure("unique_reach").low == doc_en.figure("unique_reach").low  # a fixed seed: the same band


def test_write_is_atomic_and_makes_the_folder(doc_ru_usd, tmp_path):
    out = pitch.write(doc_ru_usd, "xlsx", tmp_path / "new" / "pitch.xlsx")
    assert out.exists() and out.read_bytes()[:2] == b"PK"
    assert not list(out.parent.glob("*.part"))


# ---- the Plan page's saved campaigns: three download buttons, made only when clicked -------------------------
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_plan_page_offers_the_three_pitch_files(world, monkeypatch, lang):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("DATABASE_URL", world["url"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["lang"] = lang
    at.session_state["plan_tab"] = TEXT["plan.tab_saved"][lang]  # the saved campaigns: drawn while their tab is open
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert [TEXT[f"pitch.download.{fmt}"][lang] for fmt in pitch.FORMATS] == labels[-3:]
    assert TEXT["pitch.client"][lang] in [t.label for t in at.text_input]


# ---- scenarios (planner.planning.scenarios, planner.campaigns.scenarios) -----------------------------------------
def _api():
    api = pitch._scenario_api()
    if api is None:
        pytest.skip("this version has no scenarios (planner.planning.scenarios)")
    return api


def test_the_budget_curve_carries_its_band(doc_en):
    _api()
    curve = doc_en.budget_curve
    assert curve is not None and len(curve) >= 3 and "curve" in doc_en.charts
    assert curve["budget"].min() == pytest.approx(200_000, rel=0.01)  # half to twice the brief's budget
    assert curve["budget"].max() == pytest.approx(800_000, rel=0.01)
    assert (curve["unique_reach_p10"] <= curve["unique_reach_p90"]).all()
    assert doc_en.notes["curve"].startswith("Unique reach of the best plan at each budget")


@pytest.fixture(scope="module")
def doc_scenarios(world):
    from dataclasses import replace

    saved, engine_ = _api()
    camp, _ = campaigns.load_campaign(world["engine"], world["plan_id"], access=LOCAL)
    brief = campaigns.campaign_brief(camp)
    for name, budget in (("Base", brief.budget), ("Lean −30 %", 0.7 * brief.budget)):
        run = engine_.run(world["bloggers"], engine_.Scenario(brief=replace(brief, budget=budget), name=name),
                          with_sweep=False, time_limit=30)
        saved.save_scenario(world["engine"], world["plan_id"], run.snapshot(), access=LOCAL)
    doc = pitch.build(world["engine"], world["plan_id"], lang="en", currency="EUR", rates=FX,
                      scenarios=["Base", "Lean −30 %"], bloggers=world["bloggers"], frontier=False, access=LOCAL)
    return doc, engine_.compare([saved.load_scenario_by_name(world["engine"], world["plan_id"], n,
                                                             access=LOCAL).snapshot
                                 for n in ("Base", "Lean −30 %")])


def test_scenarios_compared_in_every_file(doc_scenarios):
    import openpyxl

    doc, comp = doc_scenarios
    frame = doc.scenarios.frame
    assert frame["name"].tolist() == ["Base", "Lean −30 %"] and "compare" in doc.charts
    wide = comp.wide()
    for i, name in enumerate(comp.names):
        assert frame["unique_reach"].iloc[i] == pytest.approx(wide.at["unique_reach", name])
        assert frame["cost"].iloc[i] == pytest.approx(wide.at["cost", name] / 98.0)  # RUB -> EUR
        assert frame["budget"].iloc[i] == pytest.approx(wide.at["budget", name] / 98.0)
    assert (frame["reach_p10"] <= frame["unique_reach"]).all() and (frame["unique_reach"] <= frame["reach_p90"]).all()
    assert doc.scenario_bloggers is not None and len(doc.scenario_bloggers.frame) == len(comp.differ)
    # XLSX: numbers; PPTX: a native table; PDF: the same texts
    book = openpyxl.load_workbook(io.BytesIO(pitch.render(doc, "xlsx")))
    rows = list(book["Scenarios"].iter_rows(values_only=True))
    head = list(rows[1])  # row 1 is the note
    reach_i = head.index(TEXT["plan.unique_reach"]["en"])
    assert [r[reach_i] for r in rows[2:]] == pytest.approx(frame["unique_reach"].tolist())
    heads, texts = pitch.table_texts(doc.scenarios, "en", "EUR")
    assert [row for tbl in _tables(_deck(pitch.render(doc, "pptx"))) if tbl[0] == heads for row in tbl[1:]] == texts
    _, text = _pdf_text(pitch.render(doc, "pdf"))
    for row in texts:
        assert all(_plain(cell) in text for cell in row)


def test_an_unknown_scenario_is_refused(world):
    _api()
    with pytest.raises(pitch.PitchError, match="no scenario 'Nope'"):
        pitch.build(world["engine"], world["plan_id"], scenarios=["Nope"], frontier=False, access=LOCAL)
    with pytest.raises(pitch.PitchError, match="one to four"):
        pitch.build(world["engine"], world["plan_id"], scenarios=list("abcde"), frontier=False, access=LOCAL)


def test_the_pitchs_frontier_is_the_plan_pages(world, monkeypatch):
    """The pitch tells the Plan page's frontier: the brief's plan solved as the page solves it is the start (its
    normalisers, its own point exactly), the other weights by the same progressive function within the page's time;
    each point keeps its status and certified gap, and a hollow point is explained in the note."""
    seen: dict = {}
    real = plan.frontier

    def frontier(cands, weights, **kw):
        seen.update(kw, weights=tuple(weights))
        seen["points"] = real(cands, weights, **kw)
        return seen["points"]

    monkeypatch.setattr(plan, "frontier", frontier)
    monkeypatch.setattr(pitch, "_PLANS_MEMO", type(pitch._PLANS_MEMO)())
    doc = pitch.build(world["engine"], world["plan_id"], lang="en", rates=FX, bloggers=world["bloggers"],
                      curve=False, access=LOCAL)  # the default time: the page's
    start = seen["start"]
    assert seen["weights"] == plan.FRONTIER_WS and seen["time_limit"] == plan.FRONTIER_TIME_S
    assert start.reach_weight == 0.5 and all(p.normalisers == start.normalisers for p in seen["points"])
    assert seen["points"][plan.FRONTIER_WS.index(0.5)] is start
    table = doc.frontier
    own = table.loc[table["w"] == 0.5].iloc[0]
    assert own["unique_reach"] == start.unique_reach and own["gap"] == start.gap
    assert list(table["status"]) == [p.status for p in seen["points"]]
    assert list(table["gap"]) == [p.gap for p in seen["points"]]
    open_ = table[~table["status"].isin(("optimal", "gap_ok"))]
    said = TEXT["pitch.note.frontier_open"]["en"].split("{gap}")[0]
    assert (said in doc.notes["frontier"]) == (not open_.empty)
    assert pitch._frontier_open(table.assign(status="time_limit", gap=0.0812), "ru").endswith(
        "в пределах 8,1\u00a0% от лучшего плана (время вышло).")


def test_the_frontier_and_curve_are_planned_once_per_data_and_brief(world, monkeypatch):
    """The three formats (and another language or currency) of one pitch reuse its plans; new data re-plans."""
    from planner.planning import scenarios as scen_engine
    calls = {"frontier": 0, "sweep": 0}
    real_frontier, real_sweep = plan.frontier, scen_engine.sweep

    def frontier(*a, **k):
        calls["frontier"] += 1
        return real_frontier(*a, **k)

    def sweep(*a, **k):
        calls["sweep"] += 1
        return real_sweep(*a, **k)

    monkeypatch.setattr(plan, "frontier", frontier)
    monkeypatch.setattr(scen_engine, "sweep", sweep)
    monkeypatch.setattr(pitch, "_PLANS_MEMO", type(pitch._PLANS_MEMO)())
    args = (world["engine"], world["plan_id"])
    en = pitch.build(*args, lang="en", rates=FX, bloggers=world["bloggers"], time_limit=5, access=LOCAL)
    ru = pitch.build(*args, lang="ru", currency="USD", rates=FX, bloggers=world["bloggers"], time_limit=5, access=LOCAL)
    assert calls == {"frontier": 1, "sweep": 1}
    assert en.frontier is not None and ru.frontier is not None and en.budget_curve is not None
    assert np.allclose(ru.frontier["cost"], en.frontier["cost"] / 90.0)  # the same plans, converted once
    assert np.allclose(ru.budget_curve["budget"], en.budget_curve["budget"] / 90.0)
    assert ru.frontier["unique_reach"].tolist() == en.frontier["unique_reach"].tolist()
    real_version = store.data_version
    monkeypatch.setattr(store, "data_version", lambda *a, **k: real_version(*a, **k) + ":new")
    pitch.build(*args, lang="en", rates=FX, bloggers=world["bloggers"], time_limit=5, access=LOCAL)
    assert calls == {"frontier": 2, "sweep": 2}
