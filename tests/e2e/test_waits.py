"""The browser waits every flow and benchmark uses (uibench.browser.act): an action that runs the script is
waited for once; one that sets off no run is done a second time after LOST_AFTER_MS and then, still nothing, fails
saying what the page was doing."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import settle

pytestmark = pytest.mark.e2e


def test_an_action_that_runs_is_done_once_and_one_that_does_not_is_repeated_then_reported(app_url, page,
                                                                                            monkeypatch):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from uibench import browser

    monkeypatch.setattr(browser, "LOST_AFTER_MS", 3_000)
    monkeypatch.setattr(browser, "LOST", [])
    page.goto(f"{app_url}/barter")
    settle(page, timeout=180)
    clicks: list[str] = []

    # the product's cost price typed and Enter: a run, waited for, nothing repeated
    cost = page.get_by_label("Cost price per unit, ₽")
    cost.fill("11")

    def enter() -> None:
        clicks.append("cost")
        cost.press("Enter")

    browser.act(page, enter, 180_000)
    assert clicks == ["cost"] and browser.LOST == []

    # a click on the page's title runs nothing: done twice, then the error names the wait and the page's state
    page.wait_for_function(browser.IDLE_JS, timeout=180_000)

    def title() -> None:
        clicks.append("title")
        page.locator("h1").first.click()

    with pytest.raises(PlaywrightTimeout) as failed:
        browser.act(page, title, 6_000)
    assert clicks == ["cost", "title", "title"]
    assert len(browser.LOST) == 1 and "'state': 'notRunning'" in browser.LOST[0]
    text = str(failed.value)
    assert "a run of the script (the action done a second time)" in text and "click on h1" in text


def test_an_action_whose_element_is_gone_when_done_again_is_taken_as_done(app_url, page, monkeypatch):
    """A run quicker than one render leaves no trace (a fragment's button that hides itself): when the action cannot
    be done again because its element is gone, the first one is taken as done, with a warning."""
    from uibench import browser

    monkeypatch.setattr(browser, "LOST_AFTER_MS", 2_000)
    monkeypatch.setattr(browser, "RETRY_FIND_MS", 1_000)
    monkeypatch.setattr(browser, "LOST", [])
    page.goto(f"{app_url}/barter")
    settle(page, timeout=180)
    calls: list[int] = []

    def once_then_gone() -> None:
        calls.append(len(calls))
        (page.locator("h1").first if len(calls) == 1 else page.locator("#no-such-element")).click()

    with pytest.warns(RuntimeWarning, match="taken as done"):
        browser.act(page, once_then_gone, 60_000)
    assert calls == [0, 1] and len(browser.LOST) == 1
    assert page.evaluate("() => document.querySelector('#no-such-element')") is None


def test_a_page_known_quiet_is_not_waited_for_again_and_a_run_since_is_seen(app_url, page):
    """quiet() keeps the moment the page was last busy (its observer stays in the page): right after one wait the
    next finds the page quiet already (a flow's after() then the next action's act() cost one wait, not two); a run
    in between moves that moment, and the next wait waits for it."""
    from uibench import browser

    page.goto(f"{app_url}/barter")
    settle(page, timeout=180)
    browser.quiet(page)
    page.evaluate(browser.BUSY_JS)
    assert page.evaluate(browser.QUIET_JS, 600) is True  # quiet for 0.6 s already: no new wait
    cost = page.get_by_label("Cost price per unit, ₽")
    cost.fill("12")
    browser.act(page, lambda: cost.press("Enter"), 180_000, settled=True)
    page.evaluate(browser.BUSY_JS)
    assert page.evaluate(browser.QUIET_JS, 600) is False  # it just ran: the next action waits its 0.6 s
    browser.quiet(page)
    assert page.evaluate(browser.QUIET_JS, 600) is True


def test_a_timed_wait_sees_an_answer_that_comes_late_and_says_how_long_it_waited_for_one_that_never_does(page):
    """uibench.browser.appear / precisely: the benchmarks' waits, in slices that each check every 20 ms (Playwright's
    own back off to one check every 0.5 s). An element drawn 0.9 s after the wait starts is found, an expectation
    that becomes true is met, and one never met fails after the whole timeout, saying so."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    from uibench.browser import appear, precisely

    page.set_content("<div id='box'>waiting</div><script>setTimeout(() => {"
                     " document.getElementById('box').textContent = 'answered';"
                     " const p = document.createElement('p'); p.id = 'late'; p.textContent = 'late';"
                     " document.body.appendChild(p); }, 900)</script>")
    appear(page.locator("#late"), timeout_ms=20_000)
    precisely(lambda ms: expect(page.locator("#box")).to_have_text("answered", timeout=ms), timeout_ms=20_000)
    assert page.locator("#late").is_visible()
    with pytest.raises(PlaywrightTimeout, match="waited 1 s"):
        appear(page.locator("#never"), timeout_ms=1_000)
    with pytest.raises(AssertionError, match="waited 1 s"):
        precisely(lambda ms: expect(page.locator("#box")).to_have_text("never", timeout=ms), timeout_ms=1_000)
