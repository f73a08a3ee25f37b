"""In a real browser: the Plan page's saved campaigns download the client pitch — the PDF made on the click, with
the client's name typed beside the buttons, in Russian; the file opens and says what the page said."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from planner.ingest.sample_campaign import NAME as SAMPLE
from tests.e2e.conftest import after, settle, shot

pytestmark = pytest.mark.e2e
LONG = 180_000  # ms: a shared 2-core machine; never a timing assertion


def test_pitch_pdf_downloads_from_the_saved_campaigns(app_url, page, tmp_path):
    from pypdf import PdfReader

    page.goto(f"{app_url}/plan?lang=ru")
    settle(page, timeout=180)
    page.get_by_role("tab", name="Сохранённые кампании").click()
    box = page.get_by_role("combobox", name="Кампания")
    expect(box).to_be_visible(timeout=LONG)
    if box.input_value() != SAMPLE:  # other tests of the session may have saved campaigns of their own
        box.click()
        after(page, lambda: page.locator("[role='option']", has_text=SAMPLE).first.click())
    client = page.get_by_label("Имя клиента (на титульном листе)")
    client.fill("ООО «Ромашка»")
    after(page, lambda: client.press("Enter"))
    button = page.get_by_role("button", name="Презентация PDF")
    expect(button).to_be_visible(timeout=LONG)
    with page.expect_download(timeout=LONG) as dl:
        button.click()
    # "Client – Campaign – медиаплан – date.pdf": the client and the campaign in the name, in the page's language
    name = dl.value.suggested_filename
    assert name.startswith("ООО «Ромашка» – ") and " – медиаплан – " in name and name.endswith(".pdf"), name
    path = tmp_path / "pitch.pdf"
    dl.value.save_as(path)
    reader = PdfReader(path)
    text = re.sub(r"[\s\u00a0\u202f]+", " ", " ".join(p.extract_text() or "" for p in reader.pages))
    assert len(reader.pages) >= 8
    assert SAMPLE in text and "ООО «Ромашка»" in text and "Медиаплан" in text and "Бартер и гибрид" in text
    body = page.inner_text("body")
    assert "Traceback" not in body and not page.locator("[data-testid='stException']").count()
    shot(page, "plan_pitch_ru")
