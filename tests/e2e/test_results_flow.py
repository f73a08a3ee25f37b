"""In a real browser: the Results page on first start shows the finished sample campaign's report — goals first,
the charts drawn, the XLSX download — in English and in Russian, without an exception; on SQLite and, when
PLANNER_TEST_POSTGRES names a server, on PostgreSQL."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.ingest.sample_campaign import NAME as SAMPLE
from tests.e2e.conftest import after, settle, shot

pytestmark = pytest.mark.e2e
LONG = 180_000  # ms: a shared 2-core machine; never a timing assertion


@pytest.mark.parametrize("lang, title, campaign, goals, download", [
    ("en", "Campaign results against business goals", "Campaign", "Goals: target against actual",
     "Download the report"),
    ("ru", "Результаты кампании против бизнес-целей", "Кампания", "Цели: план и факт", "Скачать отчёт"),
])
def test_results_page_shows_the_sample_report(any_app_url, page, lang, title, campaign, goals, download):
    page.goto(f"{any_app_url}/results?lang={lang}")
    settle(page)
    expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=LONG)
    box = page.get_by_role("combobox", name=campaign)
    if box.input_value() != SAMPLE:  # other tests of the session may have saved campaigns of their own
        box.click()
        after(page, lambda: page.locator("[role='option']", has_text=SAMPLE).first.click())
    expect(page.get_by_text(goals)).to_be_visible(timeout=LONG)
    expect(page.locator("[data-testid='stMetric']").first).to_be_visible(timeout=LONG)
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(4, timeout=LONG)
    expect(page.get_by_role("button", name=download)).to_be_visible(timeout=LONG)
    body = page.inner_text("body")
    assert "Traceback" not in body and not page.locator("[data-testid='stException']").count()
    with page.expect_download(timeout=LONG) as dl:
        page.get_by_role("button", name=download).click()
    assert dl.value.suggested_filename.endswith(".xlsx")
    shot(page, f"results_{lang}")
