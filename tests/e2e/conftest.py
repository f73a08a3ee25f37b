"""Browser tests: start `streamlit run` headless on a free port against a throw-away database
and drive Debian's Chromium with Playwright (no browser download)."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-results"


def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install Debian's chromium")
    pytest.skip("Chromium is not installed (apt-get install chromium)")


@contextlib.contextmanager
def _server(tmp_dir: Path):
    """`streamlit run app.py` on a free port against a throw-away database seeded like a first start
    (the same server the browser benchmarks start: planner.bench.browser)."""
    from planner.bench.browser import _server as bench_server

    _chromium_or_skip()
    try:
        with bench_server(tmp_dir, None) as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    with _server(tmp_path_factory.mktemp("e2e")) as base:
        yield base


@pytest.fixture
def fresh_app_url(tmp_path):
    """A server of its own: the first visit of a freshly started app."""
    with _server(tmp_path) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium_or_skip(),
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = ctx.new_page()
    yield pg
    ctx.close()


def settle(page, timeout: float = 60) -> None:
    """After a navigation: wait (Playwright's own waits, no sleeps) until the page has drawn its title and its
    script has finished. After a click or a key that reruns the script, use :func:`after` instead."""
    from playwright.sync_api import expect

    from planner.bench.browser import IDLE_JS

    expect(page.locator("h1").first).to_be_visible(timeout=timeout * 1000)
    page.wait_for_function(IDLE_JS, timeout=timeout * 1000)


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def after(page, action, timeout: float = 180) -> None:
    """Do ``action`` (a click, a key) and wait until the app has run its script because of it and is idle
    again: a MutationObserver notes the script state turning "running", so a quick rerun is never missed."""
    from planner.bench.browser import IDLE_JS, WATCH_JS

    page.evaluate(WATCH_JS)
    action()
    page.wait_for_function("() => window.__benchRan === true", timeout=timeout * 1000)
    page.wait_for_function(IDLE_JS, timeout=timeout * 1000)


def metric(page, label: str):
    """The first metric whose text holds ``label``."""
    return page.locator("[data-testid='stMetric']", has_text=label).first


def number_input(page, label: str):
    """The input box of the first number input whose label holds ``label``."""
    return page.locator("[data-testid='stNumberInput']", has_text=label).locator("input").first
