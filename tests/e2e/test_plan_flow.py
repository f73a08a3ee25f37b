"""In a real browser: shortlist on the Database page, a plan on the Plan page, the slider, save, reopen."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import settle, shot

pytestmark = pytest.mark.e2e


def _certificate(page) -> str:
    return page.locator("[data-testid='stCaptionContainer']", has_text="proven upper bound").first.inner_text()


def test_from_database_to_a_saved_optimal_plan(app_url, page):
    page.goto(app_url + "/")
    settle(page)
    page.get_by_role("button", name="Add this page to shortlist").click()
    settle(page)
    assert "100 bloggers in the shortlist" in page.inner_text("body")

    page.locator("[data-testid='stSidebarNav'] a", has_text="Plan").click()
    settle(page, timeout=120)
    body = page.inner_text("body")
    assert "Traceback" not in body
    assert "The shortlist (100)" in body
    assert re.search(r"gap \d[\d.,]* %", _certificate(page))

    # plan on the whole database for a beauty brief: reach and niche fit now pull apart
    page.get_by_text("The filtered database").click()
    settle(page, timeout=120)
    box = page.locator("[data-testid='stMultiSelect']", has_text="Niches of the brief").first
    box.click()
    page.locator("[role='option']", has_text=re.compile(r"^Beauty$")).first.click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Build the plan").click()
    settle(page, timeout=120)
    first = _certificate(page)
    shot(page, "plan_en")

    # move the reach weight to 1.0 (all unique reach): the plan and the highlighted frontier point change
    thumb = page.locator("[data-testid='stSlider']", has_text="weight of unique reach").locator("input[type='range']")
    thumb.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    settle(page, timeout=120)
    second = _certificate(page)
    assert second != first

    page.get_by_label("Campaign name").fill("Browser launch")
    page.get_by_role("button", name="Save as a campaign").click()
    settle(page)
    assert "Saved campaign “Browser launch”" in page.inner_text("body")
    page.get_by_role("tab", name="Saved campaigns").click()
    settle(page)
    box = page.locator("[data-testid='stSelectbox']", has_text="Campaign").first
    assert "Browser launch" in (box.inner_text() + " " + box.inner_html())
    assert page.get_by_role("button", name="Save statuses").count() == 1
    shot(page, "plan_saved_en")


def test_plan_page_in_russian(app_url, page):
    page.goto(app_url + "/plan?lang=ru")
    settle(page, timeout=120)
    body = page.inner_text("body")
    assert "Медиаплан" in body and "Уникальный охват" in body and "Traceback" not in body
    assert "Unique reach" not in body
    shot(page, "plan_ru")


def test_click_a_frontier_point_opens_its_plan(app_url, page):
    page.goto(app_url + "/plan")
    settle(page, timeout=120)
    slider = page.locator("[data-testid='stSlider']", has_text="weight of unique reach").locator("input[type='range']")
    assert slider.input_value() == "0.5"
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    points = chart.locator("path[role='graphics-symbol']")
    labels = [points.nth(i).get_attribute("aria-label") or "" for i in range(points.count())]
    target = next(i for i, label in enumerate(labels) if re.search(r"weight of unique reach: 1\.0\b", label))
    points.nth(target).click(force=True)
    settle(page, timeout=120)
    assert slider.input_value() == "1"
    assert "Traceback" not in page.inner_text("body")
