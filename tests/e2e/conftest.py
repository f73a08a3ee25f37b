"""Browser tests: start `streamlit run` headless on a free port against a throw-away database
and drive Debian's Chromium with Playwright (no browser download)."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_SERVER

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
def postgres_database(prefix: str = "e2e_"):
    """A fresh, empty database on PLANNER_TEST_POSTGRES's server for the duration (its URL), dropped after; the
    test is skipped, saying why, when no server is named."""
    from planner.storage import db

    if not POSTGRES_SERVER:
        pytest.skip("PLANNER_TEST_POSTGRES is not set: no PostgreSQL server for this browser test (.ci/run starts "
                    "one on 127.0.0.1:55439)")
    url = db.create_database(POSTGRES_SERVER, prefix=prefix)
    try:
        yield url
    finally:
        db.drop_database(POSTGRES_SERVER, url)


@contextlib.contextmanager
def _server(tmp_dir: Path, database_url: str | None = None, env_extra: dict[str, str] | None = None):
    """`streamlit run app.py` on a free port against a throw-away database seeded like a first start (a SQLite file
    in ``tmp_dir``, or ``database_url``), with ``env_extra`` in its environment (the same server the browser
    benchmarks start: uibench.browser)."""
    from uibench.browser import _server as bench_server

    _chromium_or_skip()
    try:
        with bench_server(tmp_dir, None, database_url, env_extra) as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    with _server(tmp_path_factory.mktemp("e2e")) as base:
        yield base


@pytest.fixture(scope="session")
def postgres_app_url(tmp_path_factory):
    """The same first start on a fresh PostgreSQL database of PLANNER_TEST_POSTGRES's server (skipped without one)."""
    with postgres_database() as url, _server(tmp_path_factory.mktemp("e2e_pg"), url) as base:
        yield base


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app_url(request):
    """A flow run twice: on the SQLite server (:func:`app_url`) and on the PostgreSQL one (:func:`postgres_app_url`,
    skipped without a server)."""
    return request.getfixturevalue("app_url" if request.param == "sqlite" else "postgres_app_url")


@pytest.fixture
def fresh_app_url(tmp_path):
    """A server of its own: the first visit of a freshly started app."""
    with _server(tmp_path) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium. Every page of every context it makes keeps its console's errors and warnings (the
    frontend says there when it drops a message, e.g. "Cannot send message when server is disconnected"): a wait
    that times out (uibench.browser._wait) prints the last of them."""
    from playwright.sync_api import sync_playwright

    from uibench.browser import watch_console

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium_or_skip(),
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        make = b.new_context

        def new_context(**kwargs):
            ctx = make(**kwargs)
            ctx.on("page", watch_console)
            return ctx

        b.new_context = new_context  # type: ignore[method-assign]
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

    from uibench.browser import IDLE_JS, quiet

    expect(page.locator("h1").first).to_be_visible(timeout=timeout * 1000)
    page.wait_for_function(IDLE_JS, timeout=timeout * 1000)
    quiet(page)  # and nothing running for a second: a fragment's background runs done (inputs typed next are kept)


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def after(page, action, timeout: float = 180) -> None:
    """Do ``action`` (a click, a key) and wait until the app has run its script because of it and is idle
    again: a MutationObserver notes the script state turning "running", so a quick rerun is never missed (an action
    that set off no run at all within 30 s is done once more: uibench.browser.act)."""
    from uibench.browser import IDLE_JS, _wait, act, quiet

    act(page, action, int(timeout * 1000))
    _wait(page, IDLE_JS, "the app idle", int(timeout * 1000))
    quiet(page)  # what is typed next lands on a settled page (see quiet)


def metric(page, label: str):
    """The first metric whose text holds ``label``."""
    return page.locator("[data-testid='stMetric']", has_text=label).first


def number_input(page, label: str):
    """The input box of the first number input whose label holds ``label``."""
    return page.locator("[data-testid='stNumberInput']", has_text=label).locator("input").first


def results_tab(ctx, base: str, tab: str = "Goals"):
    """A new tab of browser context ``ctx`` on the Results page (English) of ``base``'s server, the sample campaign
    chosen (other tests may have saved campaigns of their own) and its ``tab`` open."""
    from planner.ingest.sample_campaign import NAME as SAMPLE

    page = ctx.new_page()
    page.goto(f"{base}/results?lang=en")
    settle(page)
    box = page.get_by_role("combobox", name="Campaign")
    if box.input_value() != SAMPLE:
        box.click()
        after(page, lambda: page.locator("[role='option']", has_text=SAMPLE).first.click())
    if tab != "Report":  # the page opens on its report; every other tab is drawn only while open (a rerun)
        target = page.get_by_role("tab", name=tab)
        # a tab already open sets off no run when clicked (Streamlit reruns on a change only): then the page drew
        # it open, and there is nothing to wait for
        if target.get_attribute("aria-selected") != "true":
            after(page, target.click)
    return page


def type_number(page, label: str, value: str) -> None:
    """Type ``value`` into the first number input whose label holds ``label``, and leave the field (Tab)."""
    box = number_input(page, label)
    box.fill(value)
    box.press("Tab")
