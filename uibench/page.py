"""Browser benchmark of the app's pages, the Plan page first: what a user waits for, in headless Chromium.

``page_timings()`` starts ``streamlit run app.py`` headless on a free port against a throw-away SQLite database
(the app seeds the shipped 5,000-blogger sample on first start; ``rows`` seeds that many synthetic bloggers
instead), opens the Database page (the sample loaded), then the Plan page, and times in seconds:

- ``page_first_open_s``: from navigating to the Plan page (a new session) to the plan shown;
- the median (p50; ``*_max_s`` the slowest of the ``repeats``) time from a click to the new plan shown and the app
  idle, for: the budget (``page_budget_change_s``), the reach/niche slider (``page_slider_s``), a lock
  (``page_lock_s``), a kick (``page_kick_s``), a click on a frontier point (``page_frontier_click_s``; the frontier
  itself, computed on demand and drawn as its plans are solved, is ``page_frontier_first_point_s`` to its first
  point and ``page_frontier_compute_s`` to all 11 and the chart a click opens), a currency switch
  (``page_currency_s``), a reload and the page's link in a new tab (``page_reload_s``, ``page_new_tab_s``: the same
  brief and plan shown) and a placement's status edit in a saved campaign (``page_status_edit_s``: the edit, then
  "Save statuses"); ``page_pitch_after_save_s``: the saved campaigns' tab opened right after "Save as a campaign"
  and its XLSX pitch clicked, to the whole file received (``..._from_save_s``: counted from the save's answer).

Every first open also gives ``<key>_browser_s``: the seconds the browser's main thread worked in it (the
page's scripts, styles, layout; on this machine the browser shares the server's two cores). And the floor under
them, measured in the same run by the same Streamlit, config and waits on a page that draws only a title and a
100-row table: ``floor_first_open_s`` (a new browser context, the app's scripts not yet loaded), ``floor_new_tab_s``
(a new tab of a browser that has them), each with its ``_browser_s``. And each page's first open as the server
answers it, without a browser (:func:`server_timings`): ``<prefix>_first_open_server_s``. And each page opened
the way a user moves between pages, from the sidebar of the app open in the browser (:func:`sidebar_timings`):
``<prefix>_from_sidebar_s`` (its answer shown) and ``<prefix>_from_sidebar_idle_s``. And each page's first open
by its address in a new tab of a browser that has opened the app before (:func:`returning_timings`, its scripts
cached): ``<prefix>_returning_open_s``.

"Shown" means a visible change in the rendered page (the plan's certificate line, the cost's currency, the
saved message) and Streamlit's script state back to idle, the way tests/e2e/conftest.py waits.

The other pages (Database, Barter, Results, Scenarios) are measured the same way, with uibench.browser's server,
waits and timing rule, by uibench.pages (their keys: ``database_*``, ``barter_*``, ``results_*``,
``scenarios_*``). Each page runs in a browser context of its own after one visit of the freshly started server;
a page that fails reports ``<prefix>_error`` (``page_error`` for the Plan page) and the others still run.

Run alone: ``python -m uibench.page [--pages plan,database,barter,results,scenarios] [--rows N]
[--repeats K]`` prints JSON (default: the Plan page only); ``python -m planner bench pages`` measures every page.
Needs playwright and Debian's chromium (``/usr/bin/chromium``); streamlit and playwright are imported only
inside the functions.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from uibench.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LOST,
    TIMEOUT_MS,
    _idle,
    _log,
    _open_and_choose,
    _opened,
    _server,
    _settle,
    _timed,
    _timings,
    appear,
    floor_timings,
    precisely,
    record,
    watch_console,
)


def _certificate(page):
    return page.locator("[data-testid='stCaptionContainer']", has_text="proven upper bound").first


def _plan_changes(page, before: str) -> Callable[[], None]:
    from playwright.sync_api import expect

    def wait() -> None:
        precisely(lambda ms: expect(_certificate(page)).not_to_have_text(before, timeout=ms))

    return wait


PROVING = "proving its quality"
"""The Plan page's status while the plan on screen is certified in the background (planner.app.refine)."""


def _answered(page, act: Callable[[], None], changed: Callable[[], None] | None = None) -> tuple[float, float]:
    """Seconds from the action to (the plan's answer shown and the app idle; the plan certified: no "proving"
    status left, the app idle again)."""
    from playwright.sync_api import expect

    t0 = time.perf_counter()
    answer = _timed(page, act, changed)
    precisely(lambda ms: expect(page.get_by_text(PROVING)).to_have_count(0, timeout=ms))
    _idle(page)
    return answer, time.perf_counter() - t0


def _record_answers(out: dict[str, Any], name: str, pairs: list[tuple[float, float]]) -> None:
    """An interaction that solves a plan: ``name`` the answer shown, ``name`` with ``_certified_s`` the plan
    certified (p50 and max each)."""
    record(out, name, [a for a, _c in pairs])
    record(out, name.removesuffix("_s") + "_certified_s", [c for _a, c in pairs])


def _pick_option(page, label: str, nth: int = 0) -> Callable[[], None]:
    """Open the multiselect labelled ``label`` and choose its ``nth`` option (the click is the timed action)."""
    box = page.locator("[data-testid='stMultiSelect']", has_text=label).first
    # a blogger's option (their handles start with @), never a "select all" entry
    return _open_and_choose(page, box, page.locator("[role='option']", has_text="@").nth(nth))



def _measure(page, base: str, repeats: int, out: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Plan page's figures into ``out`` (filled as they are measured: a later failure keeps the earlier ones)."""
    from playwright.sync_api import expect

    out = {} if out is None else out
    page.goto(base + "/")  # the Database page: the sample loaded and the enriched frame cached
    _settle(page)

    t0 = time.perf_counter()
    _opened(page, base + "/plan", lambda: appear(_certificate(page)), out=out,
            key="page_first_open_s")
    precisely(lambda ms: expect(page.get_by_text(PROVING)).to_have_count(0, timeout=ms))
    _idle(page)
    out["page_first_open_certified_s"] = time.perf_counter() - t0
    _log(f"page_first_open_s {out['page_first_open_s']:.2f}, certified {out['page_first_open_certified_s']:.2f}")

    # budget: type a new amount (each one new) and press Enter
    budget = page.locator("[data-testid='stNumberInput']", has_text="Budget").locator("input").first
    pairs: list[tuple[float, float]] = []
    for i in range(repeats):
        before = _certificate(page).inner_text()
        budget.fill(str(1_400_000 + 70_000 * i))
        pairs.append(_answered(page, lambda: budget.press("Enter"), _plan_changes(page, before)))
    _log("page_budget_change_s")
    _record_answers(out, "page_budget_change_s", pairs)

    # reach/niche slider: one step to the right, each a weight not solved yet
    thumb = page.locator("[data-testid='stSlider']", has_text="weight of unique reach").get_by_role("slider").first
    pairs = []
    for _ in range(repeats):
        before = _certificate(page).inner_text()
        thumb.focus()
        pairs.append(_answered(page, lambda: page.keyboard.press("ArrowRight"), _plan_changes(page, before)))
    _log("page_slider_s")
    _record_answers(out, "page_slider_s", pairs)

    for name, label in (("page_lock_s", "Lock in"), ("page_kick_s", "Kick out")):
        pairs = []
        for _ in range(repeats):
            click = _pick_option(page, label)
            pairs.append(_answered(page, click, lambda: appear(_certificate(page))))
            page.keyboard.press("Escape")
            _idle(page)
        _record_answers(out, name, pairs)

    # the frontier, on demand; then clicks on its points (each opens a plan solved while computing it)
    go = page.get_by_role("button", name="Compute the frontier")
    point_css = "[data-testid='stVegaLiteChart'] path[role='graphics-symbol'][aria-label*='weight of unique reach']"
    first_point: dict[str, float] = {}

    def complete() -> None:  # the points come as they are solved, the plan on screen first; then the clickable chart
        t0 = time.perf_counter()
        appear(page.locator(point_css).first)
        first_point["s"] = time.perf_counter() - t0
        appear(page.get_by_text("click a point to open its plan"))
        precisely(lambda ms: expect(page.get_by_text("Solving plan")).to_have_count(0, timeout=ms))

    out["page_frontier_compute_s"] = _timed(page, go.click, complete)
    out["page_frontier_first_point_s"] = first_point.get("s")  # from the click (the wait starts right after it)
    slider_value = page.locator("[data-testid='stSlider']", has_text="weight of unique reach").locator(
        "input[type='range']")
    times = []
    for target in ("0.2", "0.4", "0.6", "0.3", "0.1")[:repeats]:
        point = page.locator(point_css.replace("*=", "$=").replace("reach']", f"reach): {target}']")).first

        def click(p: Any = point) -> None:
            p.dispatch_event("click")  # Vega finds the point from the event's target (no overlap misses)

        def moved(t: str = target) -> None:  # the slider shows the point's weight, the plan its certificate
            precisely(lambda ms: expect(slider_value).to_have_value(t, timeout=ms))
            appear(_certificate(page))

        times.append(_timed(page, click, moved))
    _log("page_frontier_click_s")
    record(out, "page_frontier_click_s", times)

    # currency: the shown amounts change, the plan is not solved again
    cost = page.locator("[data-testid='stMetric']", has_text="Cost").first
    times = []
    for ccy, mark in (("USD", "$"), ("EUR", "€"), ("RUB", "₽"))[: max(repeats, 1)]:
        box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']", has_text="Currency").first
        click = _open_and_choose(page, box, page.locator("[role='option']", has_text=ccy).first)
        def shows(m: str = mark) -> None:
            precisely(lambda ms: expect(cost).to_contain_text(m, timeout=ms))

        times.append(_timed(page, click, shows))
    _log("page_currency_s")
    record(out, "page_currency_s", times)

    # a saved campaign: edit a placement's status, then save the statuses
    page.get_by_label("Campaign name").fill("Bench")
    page.get_by_role("button", name="Save as a campaign").click()
    precisely(lambda ms: expect(page.get_by_text("Saved campaign “Bench”")).to_be_visible(timeout=ms))
    _idle(page)
    t_saved = time.perf_counter()
    page.get_by_role("tab", name="Saved campaigns").click()
    save = page.get_by_role("button", name="Save statuses")
    appear(save)
    # the pitch right after the save, as in a meeting: the tab opened and the XLSX clicked at once, to the whole file
    # received (its build started at the save: pages.common.prebuild_pitch); from the click, and from the save
    button = page.get_by_role("button", name="Pitch XLSX")
    appear(button)
    t0 = time.perf_counter()
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        button.click()
    download.value.path()
    out["page_pitch_after_save_s"] = time.perf_counter() - t0
    out["page_pitch_after_save_from_save_s"] = time.perf_counter() - t_saved
    _idle(page)
    times = []
    statuses = ("Agreed", "Published", "Cancelled", "Proposed")
    for i in range(repeats):
        try:  # the grid's cell editor is driven by coordinates: a miss is reported, never the whole benchmark lost
            t_edit = _edit_status(page, row=i, status=statuses[i % len(statuses)])
        except Exception as exc:
            out["page_status_edit_error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:150]}"
            page.keyboard.press("Escape")
            continue
        t_save = _timed(page, save.click,
                        lambda: precisely(lambda ms: expect(page.get_by_text(re.compile(
                            r"Statuses saved \(\d+ changed\)"))).to_be_visible(timeout=ms)))
        times.append(t_edit + t_save)
    _log("page_status_edit_s")
    record(out, "page_status_edit_s", times)

    # the saved campaign's pitch: a click on each download, to the browser's download starting (the files are built
    # in the background once the buttons are drawn: pages.common.pitch_downloads)
    for fmt in ("XLSX", "PPTX", "PDF"):
        button = page.get_by_role("button", name=f"Pitch {fmt}")
        appear(button)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            with page.expect_download(timeout=TIMEOUT_MS) as download:
                button.click()
            download.value.path()  # the whole file received
            times.append(time.perf_counter() - t0)
            _idle(page)
        record(out, f"page_pitch_{fmt.lower()}_s", times)
    _log("page_pitch_*_s")

    page.get_by_role("tab", name="Plan").first.click()
    _idle(page)
    # a reload, and the page's link in a new tab: the same brief and plan shown (the plan shared by the sessions)
    times = []
    for _ in range(repeats):
        times.append(_opened(page, page.url, lambda: appear(_certificate(page))))
    record(out, "page_reload_s", times)
    times = []
    for _ in range(repeats):
        tab = page.context.new_page()

        def shown(t: Any = tab) -> None:
            appear(_certificate(t))

        try:
            times.append(_opened(tab, page.url, shown))
        finally:
            tab.close()
    record(out, "page_new_tab_s", times)
    _log("page_reload_s, page_new_tab_s")

    return out


def _edit_status(page, *, row: int, status: str) -> float:
    """Set the status of placement ``row`` in the saved campaign's table (a glide grid: cell coordinates).
    Returns the seconds from choosing the status to the pending change shown and the app idle."""
    from playwright.sync_api import expect

    grid = page.locator("[data-testid='stTabPanel']:visible [data-testid='stDataFrame']").first
    grid.evaluate("e => e.scrollIntoView({block: 'center'})")  # the whole grid on screen, wherever it was
    time.sleep(0.3)
    box = grid.bounding_box()
    assert box is not None
    # status is the second column (after the 200 px handle column); rows are 35 px under a 35 px header
    x = box["x"] + 200 + 60
    y = box["y"] + 35 + 35 * row + 17
    option = page.locator("[role='option']", has_text=status).first
    for attempt in range(3):  # a click the grid took before it was ready is made again (never a lost figure)
        page.mouse.click(x, y)  # select the cell, then open its editor
        page.keyboard.press("Enter")
        try:
            option.wait_for(timeout=5000)
            break
        except Exception:
            page.mouse.dblclick(x, y)
            try:
                option.wait_for(timeout=5000)
                break
            except Exception:
                if attempt == 2:
                    raise
                page.keyboard.press("Escape")
                _idle(page)
    return _timed(page, option.click,
                  lambda: precisely(lambda ms: expect(page.get_by_text(re.compile(
                      r"status changes? not saved yet"))).to_be_visible(timeout=ms)))


PAGES = ("plan", "database", "barter", "results", "scenarios")
"""The pages ``--pages`` may name, in the order they are measured."""


def server_timings(base: str, pages: tuple[str, ...], repeats: int, out: dict[str, Any]) -> None:
    """Each page's first open as the server answers it, no browser: ``repeats`` new sessions of the warm server,
    one after another, each a client that speaks Streamlit's websocket protocol (uibench.wsclient) asking for
    the page's first run; ``<prefix>_first_open_server_s`` (p50, ``_max_s``) from the request to the run finished.
    What a first open costs beyond it is the browser's (``*_browser_s``; on a user's machine, the user's cores)."""
    import asyncio
    import concurrent.futures

    from uibench import wsclient

    for name in pages:
        key = f"{_prefix(name)}_first_open_server_s"
        with concurrent.futures.ThreadPoolExecutor(1) as pool:  # Playwright's own event loop runs on this thread
            runs = [pool.submit(asyncio.run, wsclient.open_page(base, "lang=en", name, timeout=TIMEOUT_MS / 1000)
                                ).result() for _ in range(repeats)]
        errors = [r.error for r in runs if r.error]
        if errors:
            out[key.removesuffix("_s") + "_error"] = errors[0]
        record(out, key, [r.seconds for r in runs if r.seconds is not None])


def _prefix(name: str) -> str:
    """The prefix of a page's keys: the Plan page's figures kept their first name (``page_*``)."""
    return "page" if name == "plan" else name


def _error_text(exc: BaseException) -> str:
    first = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {first}"


def _app_exception(page, log: Path) -> str | None:
    """The exception the page shows, if it shows one, with its last line from the server's log (the page itself
    shows a generic message: client.showErrorDetails is "none")."""
    shown = page.locator("[data-testid='stException']").count() or page.get_by_text(
        "This app has encountered an error").count()
    if not shown:
        return None
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
    tail = [line for line in lines[starts[-1]:] if line.strip()] if starts else []
    return tail[-1].strip()[:200] if tail else "(no traceback in the server log)"


NAV = {"database": "Database", "plan": "Plan", "barter": "Barter", "results": "Results", "scenarios": "Scenarios"}


def sidebar_timings(browser, base: str, names: tuple[str, ...], out: dict[str, Any]) -> None:
    """Each of ``names`` opened from the sidebar of the app already open in the browser, as a user moves between
    pages (one session, the app's scripts loaded, the server warm: after the pages' own measures):
    ``<prefix>_from_sidebar_s``, from the click on its link to its answer shown (the same as its first open's), and
    ``..._idle_s`` to the app idle (on the Scenarios page, a scenario not seen before: its 20-budget sweep done).
    The session starts on the Database page; the Database page itself is opened last, from the page
    before it. A page that fails reports ``<prefix>_from_sidebar_error``; the others still run."""
    from uibench import pages

    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    watch_console(page)
    try:
        pages._database_open(page, base)
        order = [n for n in PAGES if n in names and n != "database"] + (["database"] if "database" in names else [])
        for name in order:
            link = page.locator("[data-testid='stSidebarNav'] a", has_text=NAV[name]).first
            shown = _answer_shown(page, name)
            try:
                out[f"{_prefix(name)}_from_sidebar_s"], out[f"{_prefix(name)}_from_sidebar_idle_s"] = _timings(
                    page, link.click, shown)
            except Exception as exc:  # noqa: BLE001 - the other pages' figures still count
                out[f"{_prefix(name)}_from_sidebar_error"] = _error_text(exc)
    finally:
        context.close()


def _answer_shown(page, name: str) -> Callable[[], None]:
    """What a first open of page ``name`` waits for: the Plan page its plan's certificate, the others
    uibench.pages.answer_shown."""
    from uibench import pages

    if name == "plan":
        return lambda: appear(_certificate(page))
    return pages.answer_shown(page, name)


def returning_timings(browser, base: str, names: tuple[str, ...], repeats: int, out: dict[str, Any]) -> None:
    """Each of ``names`` opened by its address in a new tab of a browser that has opened the app before (its
    scripts in the browser's cache, as on a laptop that used the app yesterday; a new session on the warm server):
    ``<prefix>_returning_open_s`` (p50, ``_max_s``) to its answer shown (the same as its first open's) and the
    app idle, with ``..._browser_s`` (median) the browser's main-thread share. A first open in a browser that never
    loaded the app is ``<prefix>_first_open_s``. A page that fails reports ``<prefix>_returning_open_error``."""
    from uibench import pages

    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        first = context.new_page()
        pages._database_open(first, base)  # the browser has the app's scripts now
        first.close()
        for name in (x for x in PAGES if x in names):
            key = f"{_prefix(name)}_returning_open_s"
            times: list[float] = []
            browser_s: list[float] = []
            try:
                for _ in range(repeats):
                    page = context.new_page()
                    watch_console(page)
                    one: dict[str, Any] = {}
                    _opened(page, f"{base}/{name}", _answer_shown(page, name), out=one, key="x_s")
                    times.append(one["x_s"])
                    browser_s.append(one["x_browser_s"])
                    page.close()
                record(out, key, times)
                out[key.removesuffix("_s") + "_browser_s"] = statistics.median(browser_s)
            except Exception as exc:  # noqa: BLE001 - the other pages' figures still count
                out[key.removesuffix("_s") + "_error"] = _error_text(exc)
    finally:
        context.close()


def _measures() -> dict[str, Callable[[Any, str, int, dict[str, Any]], Any]]:
    from uibench import pages  # the other pages' measures, built on this module's helpers

    return {"plan": _measure, **pages.MEASURES}


def _warm_up(page, base: str) -> float:
    """The first visit of the freshly started server (the Database page: the sample seeded, the catalog cached);
    seconds to the table shown and the app idle."""
    return _opened(page, base + "/", lambda: appear(page.locator("[data-testid='stDataFrame']").first))


def page_timings(rows: int | None = None, repeats: int = 3, pages: tuple[str, ...] = ("plan",)) -> dict[str, Any]:
    """Seconds a user waits on each of ``pages`` (see the module docstring); ``rows``: a synthetic list of that
    many bloggers instead of the shipped 5,000-row sample. One server and one browser for all; each page in a
    browser context of its own, after the server's first visit. A page that fails reports ``<prefix>_error``
    beside the figures it measured before failing; the other pages still run."""
    from playwright.sync_api import sync_playwright

    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        raise ValueError(f"unknown page(s) {', '.join(unknown)}; known: {', '.join(PAGES)}")
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    measures = _measures()
    out: dict[str, Any] = {}
    workdir = Path(tempfile.mkdtemp(prefix="bench_page_"))
    try:
        with _server(workdir, rows) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for i, name in enumerate(("warm-up", *(x for x in PAGES if x in pages))):
                    context = browser.new_context(viewport={"width": 1440, "height": 1000})
                    page = context.new_page()
                    watch_console(page)
                    _log(name)
                    try:
                        if i == 0:
                            cold = _warm_up(page, base)
                            if "database" in pages:  # the very first visitor of a freshly started server
                                out["database_cold_open_s"] = cold
                            try:  # what any Streamlit page costs here: the floor under every first open
                                floor_timings(browser, repeats, out)
                            except Exception as exc:  # noqa: BLE001 - the pages' own figures still count
                                out["floor_error"] = _error_text(exc)
                            server_timings(base, tuple(x for x in PAGES if x in pages), repeats, out)
                        else:
                            measures[name](page, base, repeats, out)
                    except Exception as exc:
                        error = _error_text(exc)
                        shown = _app_exception(page, workdir / "server.log")
                        if shown:
                            error += f"; the page showed an exception: {shown}"
                        out[f"{_prefix(name) if i else 'warm_up'}_error"] = error
                        if os.environ.get("BENCH_PAGE_VERBOSE"):
                            page.screenshot(path=str(Path(tempfile.gettempdir()) / f"bench_page_{name}_failure.png"),
                                            full_page=True)
                    finally:
                        context.close()
                _log("from the sidebar")
                sidebar_timings(browser, base, tuple(x for x in PAGES if x in pages), out)
                _log("a returning browser")
                returning_timings(browser, base, tuple(x for x in PAGES if x in pages), repeats, out)
            finally:
                browser.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in out.items()}
    # actions that set off no run within 30 s and were done again (uibench.browser.act): their 30 s are in the
    # figures, so a run with any is read with that in mind
    out["lost_actions"] = len(LOST)
    out["rows"] = rows if rows is not None else 5000
    out["repeats"] = repeats
    return out


def _page_list(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(x.strip() for x in text.split(",") if x.strip()))
    unknown = [x for x in names if x not in PAGES]
    if unknown or not names:
        import argparse

        raise argparse.ArgumentTypeError(f"unknown page(s) {', '.join(unknown) or '(none)'}; "
                                         f"choose from {','.join(PAGES)}")
    return names


def _parser():
    import argparse

    ap = argparse.ArgumentParser(prog="python -m uibench.page", description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=None, help="synthetic bloggers instead of the shipped sample")
    ap.add_argument("--repeats", type=int, default=3, help="clicks per interaction (the median is reported)")
    ap.add_argument("--pages", type=_page_list, default=("plan",),
                    help=f"comma-separated pages to measure (default plan): {','.join(PAGES)}")
    return ap


def main(argv: list[str] | None = None) -> int:
    import signal

    ap = _parser()
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be at least 1")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped run still stops its server
    print(json.dumps(page_timings(args.rows, args.repeats, args.pages), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
