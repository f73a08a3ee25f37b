"""In a real browser: the Scenarios page sweeps the budget (the curve with its band), two scenarios are saved to the
sample campaign and compared side by side, the page's link opened in a fresh browser shows the same scenario, and
the presentation view in Russian with the client's name."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import after, metric, number_input, settle, shot

pytestmark = pytest.mark.e2e
LONG = 180_000  # ms: a shared 2-core machine; never a timing assertion




def _compact(text: str) -> float:
    """The value of a metric shown compactly ("Unique reach ≈\n1.8M\nP10–P90 ..." -> 1 800 000)."""
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    m = re.fullmatch(r"([\d.,]+)\s*([KM]?)", lines[1] if len(lines) > 1 else lines[0])
    assert m, text
    return float(m.group(1).replace(",", "")) * {"": 1, "K": 1e3, "M": 1e6}[m.group(2)]


def _save(page, name: str) -> None:
    box = page.locator("[data-testid='stTextInput']", has_text="Scenario name").locator("input").first
    box.fill(name)
    after(page, lambda: page.get_by_role("button", name="Save the scenario").click())
    expect(page.get_by_text(re.compile(f"Saved “{name}”")).first).to_be_visible(timeout=LONG)


def test_sweep_save_two_compare_and_share(app_url, page, browser, tmp_path):
    page.goto(f"{app_url}/scenarios?points=6&sc_niches=beauty")
    settle(page, timeout=180)
    expect(page.locator("h1").first).to_have_text("What-if scenarios")
    expect(metric(page, "Unique reach ≈")).to_be_visible(timeout=LONG)
    expect(metric(page, "Unique reach ≈")).to_contain_text("P10–P90")
    expect(page.get_by_text("What each budget buys").first).to_be_visible(timeout=LONG)
    expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible(timeout=LONG)
    expect(page.get_by_text(re.compile(r"Returns (flatten from about|do not flatten)")).first).to_be_visible(
        timeout=LONG)
    body = page.inner_text("body")
    assert "Traceback" not in body
    shot(page, "scenarios_en")

    _save(page, "Base")
    budget = number_input(page, "Budget, ₽")
    budget.fill("900000")
    after(page, lambda: budget.press("Enter"))
    expect(number_input(page, "Budget, ₽")).to_have_value(re.compile(r"^900,?000$"), timeout=LONG)
    _save(page, "Lean")

    # compare the two saved scenarios: totals side by side, one chart, the bloggers that differ
    box = page.locator("[data-testid='stMultiSelect']", has_text="Compare side by side").first
    for name in ("Base", "Lean"):
        box.locator("input").click()
        page.keyboard.type(name)
        option = page.locator("[role='option']", has_text=re.compile(f"^{name} ·")).first
        expect(option).to_be_visible(timeout=LONG)
        after(page, option.click)
        page.keyboard.press("Escape")
    expect(page.get_by_text("Bloggers that differ").first).to_be_visible(timeout=LONG)
    grids = page.locator("[data-testid='stDataFrame']")
    expect(grids.last).to_be_visible(timeout=LONG)
    assert "Traceback" not in page.inner_text("body")
    shot(page, "scenarios_compare_en")

    # the comparison as the client's file: the campaign's pitch with both scenarios beside the plan
    from openpyxl import load_workbook
    button = page.get_by_role("button", name="Pitch XLSX")
    expect(button).to_be_visible(timeout=LONG)
    with page.expect_download(timeout=LONG) as dl:
        button.click()
    # the pitch's own name: "Client – Campaign – pitch – 2026-12-04.xlsx" (planner.app.pitch.file_names)
    assert re.fullmatch(r".+ – pitch – \d{4}-\d{2}-\d{2}\.xlsx", dl.value.suggested_filename)
    path = tmp_path / "compare.xlsx"
    dl.value.save_as(path)
    book = load_workbook(path, read_only=True)
    sheet = next(book[n] for n in book.sheetnames if n.startswith("Scenarios"))
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
    assert {"Base", "Lean"} <= cells

    # the link holds the scenario: a fresh browser opens the same one with the same figures
    link = page.url
    assert "budget=900000" in link and "sc_niches=beauty" in link and "points=6" in link
    reach = metric(page, "Unique reach ≈").inner_text()
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    other = ctx.new_page()
    try:
        other.goto(link)
        settle(other, timeout=180)
        expect(metric(other, "Unique reach ≈")).to_be_visible(timeout=LONG)
        expect(number_input(other, "Budget, ₽")).to_have_value(re.compile(r"^900,?000$"))
        # the same figure (equal when both plans reach their gap target, within it when a time limit stopped one)
        assert _compact(metric(other, "Unique reach ≈").inner_text()) == pytest.approx(_compact(reach), rel=0.06)
    finally:
        ctx.close()


def test_presentation_view_in_russian(app_url, page):
    page.goto(f"{app_url}/scenarios?lang=ru&present=1&client=Acme&points=6")
    settle(page, timeout=180)
    expect(page.locator("h1").first).to_contain_text("Acme")
    expect(metric(page, "Уникальный охват ≈")).to_be_visible(timeout=LONG)
    expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible(timeout=LONG)
    main = page.locator("[data-testid='stMain']")
    assert main.locator("[data-testid='stNumberInput']").count() == 0
    assert main.locator("[data-testid='stSlider']").count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body and "Unique reach" not in body
    shot(page, "scenarios_present_ru")
    after(page, lambda: page.get_by_role("button", name="Выйти из режима презентации").click())
    expect(number_input(page, "Бюджет, ₽")).to_be_visible(timeout=LONG)
