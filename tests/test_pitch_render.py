"""Every pitch file, rendered, keeps its text inside its boxes, in English and in Russian.

The deck (PPTX) and the workbook (XLSX) are rendered by LibreOffice headless to PDF, the PDF is the pitch's own
file, and every chart is rendered by vl-convert to PDF; tests/pdf_text_boxes.py then reads where each piece of text
landed. On a slide, every text must lie inside the box python-pptx gave it (its text box, or its table cell with the
row heights the deck set: a row LibreOffice had to grow pushes the rows under it out of their cells), and no two
texts may overlap on any slide, page or chart. The campaign and the client have long names with a slash, an
ampersand and quotes, so titles, footers and file names are tried at their limits. Skipped, with the reason, only
where LibreOffice (soffice) is not installed."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace

import pytest

from planner import campaigns
from planner.core import money
from planner.reporting import pitch
from planner.reporting.pitch_model import chart_spec
from planner.storage.access import LOCAL
from tests.conftest import pitch_world
from tests.pdf_text_boxes import Run, joined, overlaps, page_runs, squash

pytestmark = pytest.mark.slow

FX = money.Rates.of({"USD": 90.0, "EUR": 98.0})
CAMPAIGN = ("Весенний запуск «Сияние» — большая интеграционная кампания для сети магазинов косметики в двенадцати "
            "городах России, второй этап")
CLIENT = "ООО «Ромашка & партнёры» / Beauty Care Group"
SCENARIOS = ("База", "Эконом −30 %")
EMU_PT = 12700


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with pitch_world(tmp_path_factory, "render", CAMPAIGN) as w:
        engine, bloggers, plan_id = w["engine"], w["bloggers"], w["plan_id"]
        api = pitch._scenario_api()
        if api is not None:
            saved, engine_ = api
            camp, _ = campaigns.load_campaign(engine, plan_id, access=LOCAL)
            base = campaigns.campaign_brief(camp)
            for name, budget in zip(SCENARIOS, (base.budget, 0.7 * base.budget), strict=True):
                run = engine_.run(bloggers, engine_.Scenario(brief=replace(base, budget=budget), name=name),
                                  with_sweep=False, time_limit=30)
                saved.save_scenario(engine, plan_id, run.snapshot(), access=LOCAL)
        yield {**w, "scenarios": SCENARIOS if api is not None else ()}


# the documents: every section in each language (the plan with scenarios, frontier and curve; the sample campaign's
# barter and hybrid deals), and a converted currency
CASES = {
    "plan_ru": dict(cid="plan_id", lang="ru", client=CLIENT, scenarios=True),
    "plan_en": dict(cid="plan_id", lang="en", client=CLIENT, scenarios=True, currency="USD"),
    "barter_en": dict(cid="sample_id", lang="en", client="Acme Beauty"),
    "barter_ru": dict(cid="sample_id", lang="ru", client=""),
}


@pytest.fixture(scope="module")
def docs(world):
    out = {}
    for name, case in CASES.items():
        out[name] = pitch.build(world["engine"], world[case["cid"]], lang=case["lang"], client=case["client"],
                                currency=case.get("currency"), rates=FX, bloggers=world["bloggers"],
                                scenarios=world["scenarios"] if case.get("scenarios") else (), time_limit=20,
                                access=LOCAL)
    return out


@pytest.fixture(scope="module")
def rendered(docs, tmp_path_factory):
    """Each document's three files, and each rendered to PDF (the PPTX and the XLSX by LibreOffice, all of them in
    one run)."""
    exe = _soffice()
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed here, so the files cannot be rendered; .ci/run installs "
                    "libreoffice-impress-nogui and libreoffice-calc-nogui")
    folder = tmp_path_factory.mktemp("files")
    files, sources = {}, []
    for name, doc in docs.items():
        for fmt in pitch.FORMATS:
            data = pitch.render(doc, fmt)
            files[(name, fmt)] = data
            if fmt != "pdf":
                path = folder / f"{name}_{fmt}.{fmt}"
                path.write_bytes(data)
                sources.append(str(path))
    for fmt, data in _canaries().items():  # files the checks must fault (test_the_check_sees_text_outside_its_box)
        files[("canary", fmt)] = data
        path = folder / f"canary_{fmt}.{fmt}"
        path.write_bytes(data)
        sources.append(str(path))
    out = folder / "pdf"
    run = subprocess.run([exe, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to",
                          "pdf", "--outdir", str(out), *sources], capture_output=True, text=True, timeout=600)
    pdfs = {}
    for name in [*docs, "canary"]:
        for fmt in ("pptx", "xlsx"):
            path = out / f"{name}_{fmt}.pdf"
            assert path.exists(), f"LibreOffice did not render {name}.{fmt}: {run.stderr[-2000:]}"
            pdfs[(name, fmt)] = path.read_bytes()
        if (name, "pdf") in files:
            pdfs[(name, "pdf")] = files[(name, "pdf")]
    return {"files": files, "pdfs": pdfs}


def _canaries() -> dict[str, bytes]:
    """A slide with a text box too small for its text and a table row too short for its cell, and a sheet whose
    long cell runs over its neighbour's text."""
    import xlsxwriter
    from pptx import Presentation
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Inches, Pt

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(0.5), Inches(0.5), Inches(3), Inches(0.4))
    box.text_frame.word_wrap = True
    box.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    box.text_frame.text = "Overflowing " + "text that needs many lines " * 8
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    tbl = slide.shapes.add_table(2, 2, Inches(0.5), Inches(3), Inches(4), Inches(0.6)).table
    tbl.rows[0].height = tbl.rows[1].height = Inches(0.3)
    tbl.cell(0, 0).text = "A cell " + "with words enough for several lines " * 3
    tbl.cell(1, 0).text = "Below the tall row"
    buf = io.BytesIO()
    prs.save(buf)
    book_buf = io.BytesIO()
    book = xlsxwriter.Workbook(book_buf, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_string(0, 0, "A long text that runs far beyond its narrow cell")
    ws.write_string(1, 0, "Wrapped " + "words in a row too short for them " * 3, book.add_format({"text_wrap": True}))
    ws.set_row(1, 15)
    ws.write_string(2, 0, "The row under it")
    book.close()
    return {"pptx": buf.getvalue(), "xlsx": book_buf.getvalue()}


def _describe(runs: list[tuple[Run, Run]]) -> str:
    return "; ".join(f"{a.text[:40]!r} over {b.text[:40]!r} at ({a.x0:.0f}, {a.y0:.0f})" for a, b in runs[:5])


def _boxes(slide, page_h: float) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every text of a slide with the box python-pptx gave it (PDF points, y up): text frames, and table cells at
    the column widths and row heights the deck set."""
    out = []

    def box(left: int, top: int, width: int, height: int) -> tuple[float, float, float, float]:
        return (left / EMU_PT, page_h - (top + height) / EMU_PT, (left + width) / EMU_PT, page_h - top / EMU_PT)

    for shape in slide.shapes:
        if shape.has_table:
            tbl = shape.table
            widths = [c.width for c in tbl.columns]
            heights = [r.height for r in tbl.rows]
            y = shape.top
            for r, row in enumerate(tbl.rows):
                x = shape.left
                for c, cell in enumerate(row.cells):
                    if cell.text.strip():
                        out.append((cell.text, box(x, y, widths[c], heights[r])))
                    x += widths[c]
                y += heights[r]
        elif shape.has_text_frame and shape.text_frame.text.strip():
            out.append((shape.text_frame.text, box(shape.left, shape.top, shape.width, shape.height)))
    return out


def slide_problems(pptx: bytes, pdf: bytes) -> list[str]:
    """What a rendered deck shows outside its boxes: a text in no box, a text outside its box, two texts
    overlapping."""
    from pptx import Presentation

    prs = Presentation(io.BytesIO(pptx))
    pages = page_runs(pdf)
    assert len(pages) == len(prs.slides)
    problems = []
    for i, (slide, ((_, page_h), runs)) in enumerate(zip(prs.slides, pages, strict=True), start=1):
        if not runs:
            problems.append(f"slide {i} shows no text")
        boxes = [(squash(text), b) for text, b in _boxes(slide, page_h)]
        for run in runs:
            key = squash(run.text)
            homes = [b for text, b in boxes if key and key in text]
            if not homes:
                problems.append(f"slide {i}: {run.text[:50]!r} is in no text box")
            elif not any(run.inside(b) for b in homes):
                best = homes[0]
                problems.append(f"slide {i}: {run.text[:50]!r} at ({run.x0:.0f}..{run.x1:.0f}, {run.y0:.0f}.."
                                f"{run.y1:.0f}) outside its box ({best[0]:.0f}..{best[2]:.0f}, {best[1]:.0f}.."
                                f"{best[3]:.0f})")
        clash = overlaps(joined(runs))
        if clash:
            problems.append(f"slide {i}: {_describe(clash)}")
    return problems


def page_problems(pdf: bytes, margin: float) -> list[str]:
    """What rendered pages show off their printable width (``margin`` points each side) or overlapping."""
    problems = []
    for i, ((w, h), runs) in enumerate(page_runs(pdf), start=1):
        for run in runs:
            if not run.inside((margin, 0.0, w - margin, h), tol=2.0):
                problems.append(f"page {i}: {run.text[:50]!r} at x {run.x0:.0f}..{run.x1:.0f}, y {run.y0:.0f}.."
                                f"{run.y1:.0f} is off the page's printable width ({w:.0f} x {h:.0f})")
        clash = overlaps(joined(runs))
        if clash:
            problems.append(f"page {i}: {_describe(clash)}")
    return problems


@pytest.mark.parametrize("name", list(CASES))
def test_every_slide_keeps_its_text_in_its_boxes(rendered, name):
    problems = slide_problems(rendered["files"][(name, "pptx")], rendered["pdfs"][(name, "pptx")])
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
@pytest.mark.parametrize("name", list(CASES))
def test_every_page_keeps_its_text_apart_and_on_the_page(rendered, name, fmt):
    margin = 36.0 if fmt == "xlsx" else 14 * 72 / 25.4  # the sheets' 0.5 inch; the PDF's 14 mm
    problems = page_problems(rendered["pdfs"][(name, fmt)], margin)
    assert not problems, "\n".join(problems[:20])


def test_the_check_sees_text_outside_its_box(rendered):
    """The checks above find what they look for: a text box too small for its text, a table row LibreOffice has
    to grow (the rows under it leave their cells), and a spreadsheet cell that runs over its neighbour."""
    slide = slide_problems(rendered["files"][("canary", "pptx")], rendered["pdfs"][("canary", "pptx")])
    assert any("text that needs" in x and "outside its box" in x for x in slide), slide
    assert any("Below the tall" in x and "outside its box" in x for x in slide), slide
    sheet = page_problems(rendered["pdfs"][("canary", "xlsx")], 0.0)
    assert any("over" in x for x in sheet), sheet


@pytest.mark.parametrize("name", list(CASES))
def test_chart_labels_never_collide(docs, name):
    """Each chart as the files show it (planner.reporting.pitch_model.chart_spec), rendered to PDF by vl-convert:
    no label overlaps another and none leaves the picture."""
    import vl_convert as vlc

    doc = docs[name]
    assert doc.charts
    problems = []
    for chart, obj in doc.charts.items():
        for width, height in ((1200, 470), (1200, 640)):  # a slide's and a page's shape
            spec = chart_spec(obj, width, height)
            (w, h), runs = page_runs(vlc.vegalite_to_pdf(spec))[0]
            runs = joined(runs)
            for run in runs:
                if not run.inside((0.0, 0.0, w, h), tol=1.0):
                    problems.append(f"{chart} {width}x{height}: {run.text!r} leaves the picture")
            clash = overlaps(runs)
            if clash:
                problems.append(f"{chart} {width}x{height}: {_describe(clash)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(CASES))
def test_the_deck_tells_a_story_of_about_a_dozen_slides(rendered, docs, name):
    """Title, brief, what the plan buys, the plan, the charts, barter, scenarios, assumptions and sources: at most a
    dozen slides before the appendix, the charts as large as their slides."""
    from pptx import Presentation

    doc = docs[name]
    prs = Presentation(io.BytesIO(rendered["files"][(name, "pptx")]))
    titles = [next((sh.text_frame.text for sh in s.shapes if sh.has_text_frame and sh.text_frame.text.strip()), "")
              for s in prs.slides]
    appendix = doc.text("pitch.section.appendix_totals").split(":")[0]
    story = [x for x in titles if not x.startswith(appendix)]
    assert 7 <= len(story) <= 12, story
    assert titles[1].startswith(doc.text("pitch.section.brief"))
    assert titles[2] == doc.text("pitch.section.headline")
    cover = " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert " ".join(doc.title.split()[:4]) in cover and (not doc.client or doc.client in cover)
    width = prs.slide_width
    for s in prs.slides:
        for sh in s.shapes:
            if sh.shape_type == 13:  # a picture: a chart as wide as the slide's content and most of its height
                assert sh.width >= 0.9 * width and sh.height >= 0.4 * prs.slide_height


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_curve_names_close_budgets_without_collisions(lang):
    """The plan's budget and the flattening point a few roubles apart (the issue's Russian slide had their labels
    on top of each other): both are named in the legend, and no text overlaps."""
    import pandas as pd
    import vl_convert as vlc

    from planner.core.i18n import t
    from planner.reporting import charts

    budgets = [200_000.0 * (1 + i / 10) for i in range(11)]
    curve = pd.DataFrame({"budget": budgets, "unique_reach": [100_000 + 300 * (b / 1000) ** 0.8 for b in budgets],
                          "status": "optimal"})
    curve["unique_reach_p10"] = curve["unique_reach"] * 0.8
    curve["unique_reach_p90"] = curve["unique_reach"] * 1.25
    chart = charts.pitch_curve_chart(curve, lang, "RUB", current=300_000, flattening=302_000)
    for width, height in ((1200, 470), (1000, 380)):
        (w, h), runs = page_runs(vlc.vegalite_to_pdf(chart_spec(chart, width, height)))[0]
        runs = joined(runs)
        text = " ".join(r.text for r in runs)
        for key in ("reach", "band", "current", "flattening"):
            assert squash(t(f"pitch.legend.{key}", lang)) in squash(text), key
        assert not overlaps(runs), _describe(overlaps(runs))
        assert all(r.inside((0.0, 0.0, w, h), tol=1.0) for r in runs)
