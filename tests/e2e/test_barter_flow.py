"""In a real browser: the Barter page in English and Russian (a direct link), one blogger's comparison with its
break-even chart, a cheaper product changing the numbers, and the current plan compared after the Plan page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import after, settle, shot

pytestmark = pytest.mark.e2e
LONG = 180_000  # ms: a shared 2-core machine; never a timing assertion


@pytest.mark.parametrize(("lang", "title", "metric", "chart", "english"), [
    ("en", "Barter against paid", "Cash saved", "Cost per published post against the product's retail value", None),
    ("ru", "Бартер или оплата", "Сэкономлено денег", "Цена опубликованного поста в зависимости от розничной цены",
     "Cash saved"),
])
def test_barter_page_opens_with_its_chart(app_url, page, lang, title, metric, chart, english):
    page.goto(f"{app_url}/barter?lang={lang}")
    settle(page, timeout=180)
    expect(page.locator("h1").first).to_have_text(title)
    expect(page.locator("[data-testid='stMetric']", has_text=metric).first).to_be_visible(timeout=LONG)
    expect(page.get_by_text(chart).first).to_be_visible(timeout=LONG)
    expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible(timeout=LONG)
    body = page.inner_text("body")
    assert "Traceback" not in body and "Page not found" not in body
    if english:
        assert english not in body
    shot(page, f"barter_{lang}")


def test_a_cheaper_product_and_the_current_plan(app_url, page):
    page.goto(app_url + "/barter")
    settle(page, timeout=180)
    details = page.locator("[data-testid='stCaptionContainer']", has_text="Post rate ≈").first
    expect(details).to_be_visible(timeout=LONG)
    cost = page.get_by_label("Cost price per unit, ₽")
    cost.fill("10")
    after(page, lambda: cost.press("Enter"))
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible(timeout=LONG)
    assert "Traceback" not in page.inner_text("body")
    # a plan shown on the Plan page becomes the default comparison here
    after(page, lambda: page.locator("[data-testid='stSidebarNav'] a", has_text="Plan").click())
    expect(page.locator("[data-testid='stMetric']", has_text="Unique reach").first).to_be_visible(timeout=LONG)
    after(page, lambda: page.locator("[data-testid='stSidebarNav'] a", has_text="Barter").click())
    expect(page.get_by_text(re.compile(r"The current plan \(\d+\)")).first).to_be_visible(timeout=LONG)
    radio = page.get_by_role("radio", name=re.compile(r"The current plan"))
    expect(radio).to_be_checked()
    expect(page.get_by_label("Cost price per unit, ₽")).to_have_value("10")  # the offer outlives a page switch
    expect(page.locator("[data-testid='stMetric']", has_text="Cash saved").first).to_be_visible(timeout=LONG)
    assert "Traceback" not in page.inner_text("body")
    shot(page, "barter_plan_en")
