"""Browser benchmark of the Database, Barter, Results and Scenarios pages: what a user waits for, measured in
headless Chromium with uibench.browser's server, waits and timing rule (``_server``, ``_timed``, ``_idle``).

Each ``measure_<page>(page, base, repeats, out)`` fills ``out`` with seconds as it measures (a failure part-way keeps
the figures before it; uibench.page reports the failure as ``<page>_error``). "First open" is a new session of
a server whose Database page has been visited once (its caches built); every other figure is the median over
``repeats`` actions (p50; ``*_max_s`` the slowest) of the time from the action (a key, a click) to a visible change
in the rendered page and the app idle again:

- Database: ``database_first_open_s`` (the table shown), ``database_search_s`` (a handle, name or city fragment and
  Enter, to the filtered view written into the link and drawn), ``database_filter_s`` (a platform chosen in the
  filter), ``database_card_s`` (a row selected, to the blogger's card), ``database_shortlist_s`` ("Add this page to
  shortlist", to the count shown); ``database_cold_open_s`` is the very first visit of the freshly started server
  (the sample seeded, the catalog built), measured by uibench.page before any page;
- Barter: ``barter_first_open_s`` (the comparison, its totals and break-even chart shown), ``barter_cost_s`` (the
  product's cost price typed, to the break-even chart redrawn);
- Results: ``results_first_open_s`` (the shipped finished sample campaign's report shown: goals, charts, the
  download), ``results_goals_tab_s`` (the Goals tab opened, to its form drawn: each tab is drawn only while open),
  ``results_uplift_s`` (a new uplift saved on the Goals tab, to the form drawn again with it),
  ``results_report_tab_s`` (the Report tab opened after it, to the report saying it uses the new uplift),
  ``results_choose_campaign_s`` (another saved campaign chosen, to its report shown: the Plan page's benchmark
  saves one), ``results_upload_preview_s`` (a results file for the sample campaign chosen, to its preview and the
  store button shown), ``results_store_s`` (the store button, to the results stored);
- Scenarios: ``scenarios_first_open_s`` (the scenario's plan shown) and ``scenarios_first_open_idle_s`` (the budget
  sweep done too), ``scenarios_budget_plan_s`` (a new budget, to the new plan's totals shown) and
  ``scenarios_budget_idle_s`` (to the app idle, the sweep's curve solved in its fragment), ``scenarios_rate_s`` (the
  click-through rate, to the expected orders changed: no solve), ``scenarios_present_s`` (the presentation view
  switched on, to its title and figures shown), ``scenarios_take_brief_s`` (a budget changed on the Plan page, then
  "Take the Plan page's brief" on the Scenarios page, to the scenario's plan at that budget shown) and
  ``scenarios_take_brief_idle_s`` (to the app idle, the new brief's sweep done).

Playwright is imported only inside the functions (the module imports with the core packages alone).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from planner.core.i18n import t
from planner.core.schema import PLATFORMS
from uibench.browser import (
    TIMEOUT_MS,
    _idle,
    _open_and_choose,
    _opened,
    _timed,
    _timings,
    act,
    appear,
    precisely,
    record,
)

SEARCHES = ("food", "tech", "Blogger 12", "kat", "moscow")  # handle, name and city fragments with matches
UPLIFTS = (35, 40, 45, 50, 55)  # the sample campaign's uplift is 30 %: each one a change
CTRS = ("1.3", "1.6", "1.9", "1.1", "1.4")


def _metric(page, label: str):
    return page.locator("[data-testid='stMetric']", has_text=label).first


def _number_input(page, label: str):
    return page.locator("[data-testid='stNumberInput']", has_text=label).locator("input").first


def _url_has(page, pattern: str) -> Callable[[], None]:
    """The page's link carries ``pattern`` (the pages write their state into the link when their script has run)."""
    from playwright.sync_api import expect

    return lambda: precisely(lambda ms: expect(page).to_have_url(re.compile(pattern), timeout=ms))


def _text_changes(locator, before: str) -> Callable[[], None]:
    from playwright.sync_api import expect

    return lambda: precisely(lambda ms: expect(locator).not_to_have_text(before, timeout=ms))


def _shown(*locators) -> Callable[[], None]:
    def wait() -> None:
        for loc in locators:
            appear(loc)

    return wait


def _plan_cost_shows(page, amount: int) -> None:
    """The Plan page's cost card says it is of ``amount`` (its new budget)."""
    from playwright.sync_api import expect

    cost = page.locator("[data-testid='stMetric']", has_text="Cost").first
    precisely(lambda ms: expect(cost).to_contain_text(f"of {amount:,}", timeout=ms))


def answer_shown(page, name: str) -> Callable[[], None]:
    """What a first open of page ``name`` waits for, its answer visible (one rule for a first open in a new session
    and for one from the sidebar): Database its table and count, Barter its comparison's totals and break-even
    chart, Results the sample campaign's goals, charts and report button, Scenarios the scenario's plan (its cost)."""
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    if name == "database":
        return _shown(page.locator("[data-testid='stDataFrame']").first, _metric(page, "Bloggers found"))
    if name == "barter":
        return _shown(_metric(page, "Cash saved"), chart)
    if name == "results":
        return _shown(page.get_by_text("Goals: target against actual").first, chart,
                      page.get_by_role("button", name="Download the report"))
    if name == "scenarios":
        return _shown(_metric(page, "Cost"))
    raise ValueError(f"no first-open answer known for the page {name!r}")


# ---- Database ---------------------------------------------------------------------------------------------------
def _database_open(page, base: str, out: dict[str, Any] | None = None, key: str | None = None) -> float:
    """A new session of the Database page; seconds to its table and count shown and the app idle."""
    return _opened(page, base + "/database", answer_shown(page, "database"), out=out, key=key)


def _select_row(page, row: int) -> Callable[[], None]:
    """The click on row ``row``'s selection box in the Database page's table (a glide grid: coordinates; the row
    markers are the first column, rows 35 px under a 35 px header)."""
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    x, y = box["x"] + 18, box["y"] + 35 + 35 * row + 17
    return lambda: page.mouse.click(x, y)


def measure_database(page, base: str, repeats: int, out: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    _database_open(page, base, out, "database_first_open_s")

    # a search: a fragment typed and Enter, to the view filtered (the link says q=...) and drawn
    search = page.locator("[data-testid='stTextInput']", has_text="Search handle").locator("input").first
    times = []
    for i in range(repeats):
        text = SEARCHES[i % len(SEARCHES)]
        search.fill(text)
        times.append(_timed(page, lambda: search.press("Enter"), _url_has(page, r"[?&]q=" + re.escape(text)
                                                                          .replace(r"\ ", r"(\+|%20)"))))
    record(out, "database_search_s", times)

    # a filter: one more platform chosen in the Platform multiselect, to the view filtered and drawn
    _database_open(page, base)
    box = page.locator("[data-testid='stMultiSelect']", has_text="Platform").first
    times = []
    for i in range(repeats):
        code = PLATFORMS[(3 + i) % len(PLATFORMS)]  # telegram, vk, twitch, ...: the largest first
        option = page.locator("[role='option']", has_text=re.compile(rf"^{re.escape(t(f'platform.{code}', 'en'))}$"))
        click = _open_and_choose(page, box, option.first)
        times.append(_timed(page, click, _url_has(page, rf"[?&]platform=[^&]*{code}")))
        page.keyboard.press("Escape")
        _idle(page)
    record(out, "database_filter_s", times)

    # a blogger's card: a row selected in the table, to the card shown (each time another row: another card)
    _database_open(page, base)
    heading = page.locator("h3").filter(has_text=re.compile(r"^@\S+ · ")).first  # the card's "@handle · platform"
    times = []
    for i in range(repeats):
        before = heading.inner_text() if heading.count() else None
        click = _select_row(page, i)

        def card(b: str | None = before) -> None:
            appear(heading)
            if b is not None:
                precisely(lambda ms: expect(heading).not_to_have_text(b, timeout=ms))

        times.append(_timed(page, click, card))
    record(out, "database_card_s", times)

    # the shortlist: "Add this page to shortlist", to the count shown; cleared between tries (not timed)
    _database_open(page, base)
    add = page.get_by_role("button", name="Add this page to shortlist")
    clear = page.get_by_role("button", name="Clear shortlist")
    times = []
    for _ in range(repeats):
        times.append(_timed(page, add.click, lambda: precisely(lambda ms: expect(page.get_by_text(re.compile(
            r"^\d+ bloggers? in the shortlist$"))).to_be_visible(timeout=ms))))
        _timed(page, clear.click, lambda: precisely(lambda ms: expect(page.get_by_text(re.compile(
            r"^The shortlist is empty: "))).to_be_visible(timeout=ms)))
    record(out, "database_shortlist_s", times)


# ---- Barter -----------------------------------------------------------------------------------------------------
def measure_barter(page, base: str, repeats: int, out: dict[str, Any]) -> None:
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    _opened(page, base + "/barter", answer_shown(page, "barter"), out=out, key="barter_first_open_s")

    # the product's cost price: typed and Enter, to the break-even chart drawn again with it
    cost = _number_input(page, "Cost price per unit")
    start = float(cost.input_value().replace(",", "") or 0)
    times = []
    for i in range(repeats):
        before = chart.inner_html()
        cost.fill(f"{start * (0.6 + 0.15 * i):.2f}")

        def redrawn(b: str = before) -> None:
            appear(chart)
            page.wait_for_function("b => { const c = document.querySelector(\"[data-testid='stVegaLiteChart']\");"
                                   " return !!c && c.innerHTML !== b; }", arg=b, timeout=TIMEOUT_MS)

        times.append(_timed(page, lambda: cost.press("Enter"), redrawn))
    record(out, "barter_cost_s", times)


# ---- Results ----------------------------------------------------------------------------------------------------
def _open_tab(page, name: str) -> None:
    """A tab of the Results page opened: each is drawn only while open, so the click reruns the page."""
    act(page, page.get_by_role("tab", name=name).click)
    _idle(page)


def measure_results(page, base: str, repeats: int, out: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    from planner.ingest.sample_campaign import NAME as SAMPLE

    _opened(page, base + "/results", answer_shown(page, "results"), out=out, key="results_first_open_s")
    shown = page.get_by_role("combobox", name="Campaign").input_value()
    if shown != SAMPLE:  # the default is the latest campaign with results: the sample on a fresh database
        raise RuntimeError(f"the Results page opened {shown!r}, not the sample campaign")

    # the uplift on code and link sales: a new value saved on the Goals tab (to the form drawn again with it), then
    # the Report tab opened (to the report saying it uses it: each tab is drawn only while open), then back
    caption = page.locator("[data-testid='stCaptionContainer']", has_text="include an uplift of").first
    saves, reports, goals = [], [], []
    for i in range(repeats):
        value = UPLIFTS[i % len(UPLIFTS)]
        goals.append(_timed(page, page.get_by_role("tab", name="Goals").click,
                            lambda: appear(_number_input(page, "Uplift on code and link sales"))))
        field = _number_input(page, "Uplift on code and link sales")
        field.fill(str(value))

        def saved(v: int = value) -> None:
            precisely(lambda ms: expect(_number_input(page, "Uplift on code and link sales")).to_have_value(
                re.compile(rf"^{v}(\.0+)?$"), timeout=ms))

        saves.append(_timed(page, page.get_by_role("button", name="Save the goals").click, saved))

        def used(v: int = value) -> None:
            precisely(lambda ms: expect(caption).to_contain_text(re.compile(rf"uplift of {v}\D"), timeout=ms))

        reports.append(_timed(page, page.get_by_role("tab", name="Report").click, used))
    record(out, "results_uplift_s", saves)
    record(out, "results_report_tab_s", reports)
    record(out, "results_goals_tab_s", goals)

    # another campaign chosen (the Plan page's benchmark saves "Bench"), then the sample again: to its report shown
    box = page.locator("[data-testid='stSelectbox']", has_text="Campaign").first
    field = page.get_by_role("combobox", name="Campaign")
    field.click()
    names = [n.strip() for n in page.locator("[role='option']").all_inner_texts()]
    page.keyboard.press("Escape")
    others = [n for n in names if n and n != SAMPLE]
    times = []
    for i in range(repeats if others else 0):
        name = others[0] if i % 2 == 0 else SAMPLE
        click = _open_and_choose(page, box, page.locator("[role='option']", has_text=name).first)

        def chosen(n: str = name) -> None:
            precisely(lambda ms: expect(field).to_have_value(n, timeout=ms))
            appear(page.locator("[data-testid='stMetric']").first)

        times.append(_timed(page, click, chosen))
    record(out, "results_choose_campaign_s", times)

    # a results file for the sample campaign uploaded on the Results tab (to its preview), then stored (to the
    # stored rows shown); each upload a new file (other figures), so nothing is answered from a cache
    if others:  # back to the sample campaign
        _open_and_choose(page, box, page.locator("[role='option']", has_text=SAMPLE).first)()
        _idle(page)
    _open_tab(page, "Results")
    upload = page.locator("[data-testid='stFileUploader'] input[type='file']").first
    preview_s, store_s = [], []
    applied = page.get_by_role("button", name=re.compile(r"^Store the results of"))
    for i in range(repeats):
        path = _results_file(i)
        def choose(p: Any = path) -> None:
            upload.set_input_files(str(p))

        preview_s.append(_timed(page, choose, lambda: appear(applied)))
        store_s.append(_timed(page, applied.click,
                              lambda: precisely(lambda ms: expect(page.get_by_text(re.compile(
                                  r"^Stored: \d+ new"))).to_be_visible(timeout=ms))))
    record(out, "results_upload_preview_s", preview_s)
    record(out, "results_store_s", store_s)


def _results_file(i: int):
    """A results file (CSV) for the shipped sample campaign's placements: its published figures moved by ``i``."""
    import csv
    import json
    import tempfile
    from pathlib import Path

    from planner.storage.db import SAMPLE_CAMPAIGN

    placements = json.loads(Path(SAMPLE_CAMPAIGN).read_text(encoding="utf-8"))["placements"]
    path = Path(tempfile.gettempdir()) / f"bench_results_{i}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["handle", "platform", "views", "reach", "likes", "clicks", "orders"])
        for k, p in enumerate(placements):
            r = p.get("result") or {}
            w.writerow([p["handle"], p["platform"], int(r.get("views", 1000)) + 10 * (i + 1) + k,
                        int(r.get("reach", 800)) + 7 * (i + 1), int(r.get("likes", 50)) + i + 1,
                        int(r.get("clicks", 10)) + i + 1, int(r.get("orders", 0)) + i])
    return path


# ---- Scenarios --------------------------------------------------------------------------------------------------
def measure_scenarios(page, base: str, repeats: int, out: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    cost = _metric(page, "Cost")
    orders = _metric(page, "Expected orders")
    title = page.locator("h1").first
    seen: list[float] = []

    def plan_shown() -> None:
        answer_shown(page, "scenarios")()
        seen.append(time.perf_counter())

    t0 = time.perf_counter()
    _opened(page, base + "/scenarios", plan_shown, out=out, key="scenarios_first_open_idle_s")
    out["scenarios_first_open_s"] = seen[0] - t0

    # the budget: a new amount and Enter, to the new plan's totals shown, then to the sweep done and the app idle
    budget = _number_input(page, "Budget, ")
    plan_s, idle_s = [], []
    for i in range(repeats):
        amount = 1_200_000 + 100_000 * i
        budget.fill(str(amount))

        def planned(a: int = amount) -> None:  # "Cost ... of 1,200,000 ₽": the plan at the new budget
            precisely(lambda ms: expect(cost).to_contain_text(f"of {a:,}", timeout=ms))

        shown, idle = _timings(page, lambda: budget.press("Enter"), planned)
        plan_s.append(shown)
        idle_s.append(idle)
    record(out, "scenarios_budget_plan_s", plan_s)
    record(out, "scenarios_budget_idle_s", idle_s)

    # an outcome rate (the click-through rate, in the assumptions): no solve, the figures evaluated again
    page.get_by_text("Assumptions (each editable").first.click()
    ctr = _number_input(page, "Click-through rate")
    appear(ctr)
    times = []
    for i in range(repeats):
        before = orders.inner_text()
        ctr.fill(CTRS[i % len(CTRS)])
        times.append(_timed(page, lambda: ctr.press("Enter"), _text_changes(orders, before)))
    record(out, "scenarios_rate_s", times)

    # the presentation view on (its title and figures shown), then off again (not timed)
    toggle = page.get_by_text("Presentation view", exact=True).first
    leave = page.get_by_role("button", name="Leave the presentation view")

    def presented() -> None:
        precisely(lambda ms: expect(title).to_have_text("What the budget buys", timeout=ms))
        appear(page.locator("[data-testid='stVegaLiteChart']").first)

    times = []
    for _ in range(repeats):
        times.append(_timed(page, toggle.click, presented))
        _timed(page, leave.click,
               lambda: precisely(lambda ms: expect(title).to_have_text("What-if scenarios", timeout=ms)))
    record(out, "scenarios_present_s", times)

    # "Take the Plan page's brief": a brief made on the Plan page (a new budget each time), then on the Scenarios
    # page (the same session: the sidebar's links) the button, to the scenario's plan at that budget shown
    times, idle_times = [], []
    for i in range(repeats):
        amount = 1_100_000 + 50_000 * i
        page.locator("[data-testid='stSidebarNav'] a", has_text="Plan").first.click()
        appear(page.locator("[data-testid='stCaptionContainer']", has_text="proven upper bound").first)
        plan_budget = page.locator("[data-testid='stNumberInput']", has_text="Budget").locator("input").first
        plan_budget.fill(str(amount))
        plan_budget.press("Enter")
        _plan_cost_shows(page, amount)
        _idle(page)
        page.locator("[data-testid='stSidebarNav'] a", has_text="Scenarios").first.click()
        appear(cost)
        _idle(page)
        take = page.get_by_role("button", name="Take the Plan page's brief")

        def taken(a: int = amount) -> None:
            precisely(lambda ms: expect(cost).to_contain_text(f"of {a:,}", timeout=ms))

        shown, idle = _timings(page, take.click, taken)
        times.append(shown)
        idle_times.append(idle)
    record(out, "scenarios_take_brief_s", times)
    record(out, "scenarios_take_brief_idle_s", idle_times)


MEASURES: dict[str, Callable[[Any, str, int, dict[str, Any]], None]] = {
    "database": measure_database,
    "barter": measure_barter,
    "results": measure_results,
    "scenarios": measure_scenarios,
}
