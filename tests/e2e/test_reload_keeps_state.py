"""In a real browser: a reload and a new tab keep a page's state — the Plan page's brief (niches, budget, a
kicked-out blogger) and plan, and the Scenarios page's brief taken from the Plan page (list, locks and kick-outs
included); the link shown to share is the state on screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import after, metric, number_input, settle

pytestmark = pytest.mark.e2e
LONG = 180_000  # ms: a shared 2-core machine; never a timing assertion




def _chips(page, label: str) -> list[str]:
    box = page.locator("[data-testid='stMultiSelect']", has_text=label).first
    return [t.strip() for t in box.locator("[data-tag] span[title]").all_inner_texts()]


def _certificate(page):
    return page.locator("[data-testid='stCaptionContainer']", has_text="proven upper bound").first


def _open(browser, url: str):
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = ctx.new_page()
    pg.goto(url)
    settle(pg, timeout=180)
    return ctx, pg


def test_plan_and_scenarios_keep_their_state_on_reload_and_in_a_new_tab(app_url, page, browser):
    page.goto(f"{app_url}/plan")
    settle(page, timeout=180)
    expect(_certificate(page)).to_be_visible(timeout=LONG)
    # a brief of our own: a niche, a budget, a kicked-out blogger
    box = page.locator("[data-testid='stMultiSelect']", has_text="Niches of the brief").first
    box.click()
    page.locator("[role='option']", has_text=re.compile(r"^Beauty$")).first.click()
    page.keyboard.press("Escape")
    after(page, lambda: page.get_by_role("button", name="Build the plan").click())
    budget = number_input(page, "Budget")
    budget.fill("900000")
    after(page, lambda: budget.press("Enter"))
    expect(_certificate(page)).to_be_visible(timeout=LONG)
    lock_box = page.locator("[data-testid='stMultiSelect']", has_text="Kick out").first
    lock_box.locator("input").click()
    page.keyboard.type("sample_")  # the sample's handles: a blogger's option, never "Select all"
    first_option = page.locator("[role='option']", has_text="sample_").first
    expect(first_option).to_be_visible(timeout=LONG)
    kicked = first_option.inner_text().strip()
    after(page, first_option.click)
    page.keyboard.press("Escape")
    expect(_certificate(page)).to_be_visible(timeout=LONG)
    page.wait_for_function("() => window.location.search.includes('brief=')", timeout=LONG)
    reach = metric(page, "Unique reach").inner_text()
    link = page.url
    assert "brief=" in link

    # a reload: the same brief, the same kicked-out blogger, the same plan
    page.reload()
    settle(page, timeout=180)
    expect(_certificate(page)).to_be_visible(timeout=LONG)
    assert "Beauty" in _chips(page, "Niches of the brief")
    assert kicked in _chips(page, "Kick out")
    expect(number_input(page, "Budget")).to_have_value(re.compile(r"^900,?000$"))
    assert metric(page, "Unique reach").inner_text() == reach
    assert "Traceback" not in page.inner_text("body")

    # a new tab on the link: the same again
    ctx, other = _open(browser, link)
    try:
        expect(_certificate(other)).to_be_visible(timeout=LONG)
        assert kicked in _chips(other, "Kick out")
        assert metric(other, "Unique reach").inner_text() == reach
    finally:
        ctx.close()

    # Scenarios takes the Plan page's brief whole; a reload keeps it; the share link is the state on screen
    after(page, lambda: page.locator("[data-testid='stSidebarNav'] a", has_text="Scenarios").click())
    expect(metric(page, "Unique reach ≈")).to_be_visible(timeout=LONG)
    after(page, lambda: page.get_by_role("button", name="Take the Plan page's brief").click())
    expect(number_input(page, "Budget, ₽")).to_have_value(re.compile(r"^900,?000$"), timeout=LONG)
    page.wait_for_function("() => window.location.search.includes('brief=')", timeout=LONG)
    expect(metric(page, "Unique reach ≈")).to_be_visible(timeout=LONG)
    page.wait_for_function("() => !document.body.innerText.includes('Running')", timeout=LONG)
    scen_link = page.url
    after(page, lambda: page.get_by_text("Share this scenario").click())  # the link is drawn while its panel is open
    expect(page.locator("[data-testid='stCode']").first).to_be_visible(timeout=LONG)
    shared = page.locator("[data-testid='stCode']").first.inner_text()
    assert "budget=900000" in shared and "brief=" in shared
    page.reload()
    settle(page, timeout=180)
    expect(metric(page, "Unique reach ≈")).to_be_visible(timeout=LONG)
    expect(number_input(page, "Budget, ₽")).to_have_value(re.compile(r"^900,?000$"))
    assert "Beauty" in _chips(page, "Niches")
    assert page.url == scen_link
    # a smaller budget: the share link follows at once (not one run behind)
    if page.locator("[data-testid='stCode']").count() == 0:  # a new session: its link panel closed
        after(page, lambda: page.get_by_text("Share this scenario").click())
    budget = number_input(page, "Budget, ₽")
    budget.fill("700000")
    after(page, lambda: budget.press("Enter"))
    expect(page.locator("[data-testid='stCode']").first).to_contain_text("budget=700000", timeout=LONG)
    assert "Traceback" not in page.inner_text("body")
