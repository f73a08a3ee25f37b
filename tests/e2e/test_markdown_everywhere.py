"""In a real browser: text from data, a file or a link reaches the screen as text (issue 19), on every page.

A fresh database where every free-text field carries hostile Markdown — the bloggers' handles, names, cities, niches
and contacts, a finished campaign's name, its sales regions (market and control) and a result's link, a planned
campaign's name, two saved scenarios' names and an uploaded list's name — and uploads and link values that carry it
too (a blogger file's headers and cells, a measured-overlap file's cell, a results file's column headers, a sales
file's regions, an unreadable file's name, the text values the pages read from their link: ``?client=`` and
``?q=``; a campaign and a scenario saved under such a name from the pages' own forms). Every page is opened, with the
tabs, expanders, confirmations and panels that show those names (the Plan page's saved campaigns and its delete
confirmation, the Results upload's "Columns read", the Scenarios comparison and presentation mode), and every
``a[href]``, ``img[src]`` and ``svg image`` in the DOM must be one the app made itself: none points at the hostile
host, none is outside the allow-list below. No page shows an exception, and no data turns into Streamlit's maths
(KaTeX)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from planner.core.i18n import TEXT
from planner.storage.access import LOCAL
from tests.e2e.conftest import _server, settle
from uibench.browser import IDLE_JS, WATCH_JS
from uibench.page import PROVING

pytestmark = pytest.mark.e2e
LONG = 120_000  # ms: a shared 2-core machine; never a timing assertion

EVIL = "![x](http://evil.example/x.png) [click](http://evil.example) :red[red] $x$ <b>b</b>"
# The allow-list. The pages' own addresses (app.py's url_path values), on the app's own address or relative: the links
# its navigation makes. Streamlit's in-page anchors ("#..."): its "skip to main content" link and a heading's own
# anchor, only where Streamlit draws them. Inline sources (data:, blob:) and Streamlit's media and static files for
# images. Links to outside the app the app makes on purpose (help links in its texts): none today.
APP_PATHS = {"", "home", "database", "plan", "barter", "results", "scenarios"}
ANCHOR_PLACES = {"stSkipToContent", "stHeaderActionElements"}
MEDIA_PATHS = ("media/", "app/static/", "static/")
HELP_LINKS: set[str] = set()

COLLECT_JS = """() => {
  const where = (el) => { const t = el.closest('[data-testid]'); return t ? t.getAttribute('data-testid') : ''; };
  const out = [];
  const add = (kind, el, url) => out.push({kind, url: url || '', where: where(el),
                                           text: (el.textContent || el.getAttribute('alt') || '').slice(0, 80)});
  document.querySelectorAll('a[href]').forEach((el) => add('a', el, el.getAttribute('href')));
  document.querySelectorAll('img').forEach((el) => add('img', el, el.getAttribute('src') || el.getAttribute('srcset')));
  document.querySelectorAll('svg image, svg a').forEach((el) => add('svg ' + el.tagName.toLowerCase(), el,
      el.getAttribute('href') || el.getAttributeNS('http://www.w3.org/1999/xlink', 'href')));
  document.querySelectorAll('iframe, embed, object, video, audio, source').forEach((el) => add(el.tagName.toLowerCase(),
      el, el.getAttribute('src') || el.getAttribute('data') || el.getAttribute('srcset')));
  // any attribute that loads or links something and names the hostile host, whatever the element
  document.querySelectorAll('*').forEach((el) => { for (const a of el.attributes) {
    if (/^(href|xlink:href|src|srcset|action|formaction|poster|data|background|style)$/i.test(a.name)
        && /evil/i.test(a.value)) add('attr ' + a.name, el, a.value); } });
  return {links: out, exceptions: document.querySelectorAll("[data-testid='stException']").length,
          maths: document.querySelectorAll('.katex').length};
}"""


# whether an element (by data-testid) shows a message's own words and the hostile text as typed (literal() keeps an
# address from being linked with an invisible word joiner, U+2060)
SHOWN_JS = r"""([testid, words, text]) => Array.from(document.querySelectorAll(`[data-testid='${testid}']`))
  .some((el) => { const shown = el.textContent.replace(/\u2060/g, '');
                  return shown.includes(words) && shown.includes(text); })"""
RERUN_MS = 10_000  # how long an action's rerun is waited for to start (a quick one leaves no trace: act())
SHOWN_MS = 30_000  # how long a view is given to show what it was opened for


# ---- the database ---------------------------------------------------------------------------------------------
def seed(workdir: Path) -> dict[str, Any]:
    """The throw-away database the app's server opens (tests.e2e.conftest._server: ``bench_page.db``), seeded with the
    project's own functions; the ids the walk opens."""
    from planner.app import planning
    from planner.app import scenarios as scen_use
    from planner.campaigns import lists
    from planner.ingest import sample, sample_campaign
    from planner.planning import plan
    from planner.planning import scenarios as scen
    from planner.storage import db, store
    from planner.storage import sample_campaign as stored_sample

    url = f"sqlite:///{workdir / 'bench_page.db'}"
    engine = db.get_engine(url)
    try:
        bloggers = sample.generate(2500, seed=7)  # enough beauty bloggers in Russia for the finished campaign's cast
        bloggers["handle"] = [f"{EVIL} {i}" for i in range(len(bloggers))]
        for col in ("name", "city", "contact"):
            bloggers[col] = EVIL
        # a free tag in the niches (kept as given): first for a third of them (their audience pool's name), else last
        bloggers["niches"] = [f"{EVIL};{n}" if i % 3 == 0 else f"{n};{EVIL}"
                              for i, n in enumerate(bloggers["niches"].fillna(""))]
        store.upsert_bloggers(engine, bloggers, source="import")

        # a finished campaign (goals, placements with results, a daily sales series with a control region), the shape
        # the shipped sample has, loaded as the app loads that sample
        data = sample_campaign.generate(bloggers, seed=0)
        data["name"] = f"Finished {EVIL}"
        for day in data["sales"]:
            day["region"] = f"{EVIL} {'control' if day['control'] else 'market'}"
        for item in data["placements"]:
            if "result" in item:
                item["result"]["link"] = f"http://evil.example/{EVIL}"
        path = workdir / "finished.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        finished = stored_sample.load(engine, path, workspace_id=LOCAL.workspace_id)

        # a planned campaign, as the Plan page saves one
        outcome = planning.plan_brief(engine, plan.Brief(budget=400_000, min_credibility=0.0), time_limit=5,
                                      access=LOCAL)
        planned = planning.save(engine, outcome, f"Planned {EVIL}", access=LOCAL)

        # two saved scenarios of it: one on an uploaded list with a hostile name
        spec, _rows = lists.upload(engine, bloggers.iloc[:300].reset_index(drop=True), name=f"List {EVIL}",
                                   access=LOCAL)
        scenario_ids = []
        for name, brief in ((f"On a list {EVIL}", plan.Brief(budget=300_000, min_credibility=0.0, bloggers=spec)),
                            (f"Whole database {EVIL}", plan.Brief(budget=200_000, min_credibility=0.0))):
            sc = scen.Scenario(brief=brief)
            result = scen.run(lists.bloggers_for(engine, brief, access=LOCAL), sc, with_sweep=False, time_limit=5)
            scenario_ids.append(scen_use.save(engine, planned, result, name, access=LOCAL))
        shortlist = [int(i) for i in store.load_bloggers(engine)["id"].head(12)]
        handles = [p["handle"] for p in data["placements"]]
        platforms = [p["platform"] for p in data["placements"]]
    finally:
        engine.dispose()
        db._engines.pop(db.database_url(url), None)
    return {"finished": finished, "planned": planned, "scenarios": scenario_ids, "shortlist": shortlist,
            "handles": handles, "platforms": platforms}


# ---- the files a user uploads ---------------------------------------------------------------------------------
def blogger_file() -> bytes:
    """A blogger list whose headers and cells carry the Markdown (one row refused, one with a warning)."""
    rows = [["handle", "platform", "followers", "city", EVIL],
            [f"new {EVIL}", "telegram", "12 500", EVIL, EVIL],
            [f"abc {EVIL}", "vk", f"abc {EVIL}", EVIL, EVIL],
            ["", "telegram", "5 000", EVIL, EVIL]]
    return _csv(rows)


def results_file(ids: dict[str, Any]) -> bytes:
    """Results of the finished campaign under headers that carry the Markdown (each still read as its field), a row
    of a blogger not in the campaign and a value refused."""
    rows = [["handle", "platform", f"reach {EVIL}", f"orders {EVIL}", f"likes {EVIL}", EVIL]]
    for h, p in list(zip(ids["handles"], ids["platforms"], strict=True))[:3]:
        rows.append([h, p, "12000", "15", "900", EVIL])
    rows.append([f"nobody {EVIL}", "telegram", "1000", "1", "10", EVIL])
    rows.append([ids["handles"][4], ids["platforms"][4], f"lots {EVIL}", "2", "3", EVIL])
    return _csv(rows)


def overlap_file(ids: dict[str, Any]) -> bytes:
    """Measured audience overlaps, refused for a share that is a hostile text (the complaint quotes it)."""
    return _csv([["handle_a", "handle_b", "overlap"], [ids["handles"][0], ids["handles"][1], EVIL]])


def sales_file() -> bytes:
    """A daily sales series whose market and control regions are named with the Markdown."""
    rows = [["date", "region", "sales"]]
    for d in range(1, 29):
        rows.append([f"2026-09-{d:02d}", f"{EVIL} market", str(90 + d % 7)])
        rows.append([f"2026-09-{d:02d}", f"{EVIL} control", str(40 + d % 5)])
    return _csv(rows)


def _csv(rows: list[list[str]]) -> bytes:
    import csv
    import io
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


# ---- the walk -------------------------------------------------------------------------------------------------
def walk(page, base: str, ids: dict[str, Any], seen: list[dict[str, Any]], verbose: bool = False) -> None:
    """Open every page with the views that show data; what each view's DOM links and loads, by step, into ``seen``."""
    t0 = time.perf_counter()

    def look(step: str, *shown_in: tuple[str, str | None]) -> None:
        """Collect the view's links and sources. ``shown_in``: (data-testid, text key or None) of the elements where
        the hostile text must be on screen as typed, in that message (the view really drew what this step is for)."""
        missing = []
        for testid, key in shown_in:
            try:
                page.wait_for_function(SHOWN_JS, arg=[testid, _words(key), EVIL], timeout=SHOWN_MS)
            except PlaywrightTimeout:
                missing.append(f"{testid} {key or ''}".strip())
        page.wait_for_function(IDLE_JS, timeout=LONG)
        got = page.evaluate(COLLECT_JS)
        seen.extend({**x, "step": step} for x in got["links"])
        seen.append({"kind": "state", "step": step, "url": "", "where": "", "text": "",
                     "exceptions": got["exceptions"], "maths": got["maths"], "missing": missing})
        if verbose:
            print(f"{time.perf_counter() - t0:6.1f} s  {step}: {len(got['links'])} links, "
                  f"{got['exceptions']} exceptions, {got['maths']} maths", flush=True)

    def goto(path: str, **params: Any) -> None:
        query = {"client": EVIL, "q": EVIL, **params}
        page.goto(f"{base}/{path}?{urlencode(query)}")
        settle(page, timeout=LONG / 1000)

    def act(action: Callable[[], Any]) -> None:
        """Do ``action`` and wait until the rerun it sets off has ended. A rerun Streamlit finishes within one render
        leaves no trace to watch (tests.e2e.conftest.after would wait for it for ever), so its start is waited for a
        while, not required; what the step is for is then waited for by look()."""
        page.evaluate(WATCH_JS)
        action()
        try:
            page.wait_for_function("() => window.__benchRan === true", timeout=RERUN_MS)
        except PlaywrightTimeout:
            pass
        page.wait_for_function(IDLE_JS, timeout=LONG)

    def tab(name: str, reruns: bool = False) -> None:
        """Open a tab; ``reruns``: a tab drawn only while open (its click reruns the page)."""
        click = page.get_by_role("tab", name=name).first.click
        if reruns:
            act(click)
        else:
            click()

    def expand(label: str, reruns: bool = False) -> None:
        """Open the expander; ``reruns``: one drawn only while open (its click reruns the page)."""
        click = page.locator("[data-testid='stExpander'] summary", has_text=label).first.click
        if reruns:
            act(click)
        else:
            click()

    def press(name: str, exact: bool = False) -> None:
        act(page.get_by_role("button", name=name, exact=exact).first.click)

    def certified() -> None:
        """The Plan page's plan certified (planner.app.refine: until then a fragment reruns twice a second)."""
        expect(page.get_by_text(PROVING)).to_have_count(0, timeout=LONG)
        page.wait_for_function(IDLE_JS, timeout=LONG)

    def upload(name: str, data: bytes, mime: str = "text/csv", index: int = 0) -> None:
        field = page.locator("[data-testid='stFileUploader'] input[type='file']").nth(index)
        act(lambda: field.set_input_files({"name": name, "mimeType": mime, "buffer": data}))

    def choose(label: str, option: str | re.Pattern) -> None:
        from uibench.browser import _open_and_choose

        page.wait_for_function(IDLE_JS, timeout=LONG)
        box = page.locator("[data-testid='stSelectbox'], [data-testid='stMultiSelect']", has_text=label).first
        act(_open_and_choose(page, box, page.locator("[role='option']", has_text=option).first))
        page.keyboard.press("Escape")

    short = ",".join(str(i) for i in ids["shortlist"])

    # the Database page: the table, a blogger's card, the shortlist, the facets, an import preview, the export
    goto("database", short=short, cred="0")
    look("database")
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    if box:  # the first row's selection box (the table is drawn on a canvas): the blogger's card
        act(lambda: page.mouse.click(box["x"] + 18, box["y"] + 35 + 17))
    look("database: a blogger's card", ("stHeading", None), ("stCaptionContainer", None))
    expand("Shortlist")
    expand("Bloggers found", reruns=True)
    look("database: shortlist and facets")
    tab("Import")
    upload(f"{EVIL}.csv", blogger_file())
    look("database: import preview")
    tab("Export")
    look("database: export")

    # the Plan page: the plan with its expanders, a campaign saved under a hostile name, the saved campaigns tab and
    # its delete confirmation
    goto("plan")
    certified()
    for label in ("Audience overlap", "Backups", "Audience pools"):
        expand(label, reruns=True)
    expand("Constraints")
    look("plan")
    upload("overlaps.csv", overlap_file(ids))
    look("plan: a measured-overlap file refused", ("stAlert", "plan.overlaps_bad"))
    page.get_by_label("Campaign name").fill(EVIL)
    press("Save as a campaign")
    look("plan: saved under a hostile name", ("stAlert", "plan.saved"))
    tab("Saved campaigns", reruns=True)
    choose("Campaign", re.compile(r"^Planned"))
    look("plan: a saved campaign")
    press("Delete this campaign")
    look("plan: delete confirmation", ("stAlert", "plan.delete_confirm"))

    # the Barter page: a saved campaign's deals, the shortlist
    goto("barter", barter_source="campaign", barter_campaign=ids["finished"])
    expand("Assumptions", reruns=True)  # drawn only while open
    look("barter: a campaign", ("stMarkdownContainer", "barter.details"))
    goto("barter", barter_source="shortlist", short=short)
    look("barter: the shortlist")

    # the Results page: the report, the goals, a results file and a sales file (previews), an unreadable file
    goto("results", results_campaign=ids["finished"])
    for label in ("The funnel per blogger", "Forecast error per blogger"):
        expand(label, reruns=True)  # drawn only while open
    look("results: report", ("stCaptionContainer", "results.inc_method"), ("stMarkdownContainer", None))
    tab("Goals", reruns=True)  # the Results page draws each tab only while it is open
    look("results: goals")
    tab("Results per placement", reruns=True)
    upload(f"{EVIL}.xlsx", b"not a workbook " + EVIL.encode(), "application/octet-stream")
    look("results: an unreadable file", ("stAlert", "results.unreadable"))
    upload("results.csv", results_file(ids))
    look("results: upload preview", ("stCaptionContainer", "results.mapping"))
    tab("Daily sales", reruns=True)
    upload("sales.csv", sales_file())  # the only uploader drawn now
    look("results: sales preview", ("stMarkdownContainer", "results.sales_preview"))

    # the Scenarios page: a saved scenario (on an uploaded list) opened from its link, two compared with the client's
    # pitch, one saved and one deleted; then the presentation mode
    goto("scenarios", campaign=ids["planned"], scenario=ids["scenarios"][0])
    for label in ("Audience, platforms and quality", "Barter settings", "Assumptions", "Bloggers in the plan"):
        expand(label, reruns=True)  # drawn only while open
    look("scenarios: a saved scenario", ("stCaptionContainer", "scen.list_note"))
    for name in ("On a list", "Whole database"):
        choose("Compare side by side", re.compile(name))
    look("scenarios: compared", ("stCaptionContainer", "pitch.cmp_client"))
    page.get_by_label("Scenario name").fill(EVIL)
    press("Save the scenario")
    look("scenarios: saved under a hostile name", ("stAlert", "scen.saved"))
    press("Delete", exact=True)
    look("scenarios: deleted", ("stAlert", "scen.deleted"))
    goto("scenarios", campaign=ids["planned"], present="1", scenario=ids["scenarios"][1])
    look("scenarios: presentation", ("stHeading", "scen.p.title"))



def _words(key: str | None) -> str:
    """The longest run of a message's own words (its English text between parameters; "" for None)."""
    if key is None:
        return ""
    return max(re.split(r"\{[^{}]*\}", TEXT[key]["en"]), key=len).strip()


def allowed(x: dict[str, Any], base: str) -> bool:
    """Whether a collected link or source is one the app makes itself (the allow-list above), never one naming the
    hostile host."""
    url = x["url"]
    if "evil" in url.lower():
        return False
    if url in HELP_LINKS:
        return True
    if url.startswith("#"):
        return x["kind"] == "a" and x["where"] in ANCHOR_PLACES
    if url.startswith(("data:", "blob:")):
        return x["kind"] != "a"
    parts = urlsplit(url)
    if (f"{parts.scheme}://{parts.netloc}" != base) if parts.scheme else bool(parts.netloc):
        return False  # another site, or another scheme (javascript:, mailto:, ...)
    path = parts.path.strip("/")
    return path in APP_PATHS if x["kind"] == "a" else path.startswith(MEDIA_PATHS)


def problems(seen: list[dict[str, Any]], base: str) -> list[str]:
    """What the walk found wrong, one line each: a link or source outside the allow-list, an exception box, maths
    made of data, a view that did not show the hostile text it was opened for."""
    out = []
    for x in seen:
        if x["kind"] == "state":
            if x["exceptions"]:
                out.append(f"{x['step']}: {x['exceptions']} exception box(es)")
            if x["maths"]:
                out.append(f"{x['step']}: {x['maths']} maths rendered (KaTeX)")
            for where in x["missing"]:
                out.append(f"{x['step']}: the hostile text is not shown as typed in any {where}")
        elif x["kind"].startswith("attr ") or not allowed(x, base):
            out.append(f"{x['step']}: {x['kind']} {x['url'][:120]!r} in {x['where'] or 'the page'} "
                       f"({x['text'][:60]!r})")
    return list(dict.fromkeys(out))


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("markdown")
    ids = seed(workdir)
    with _server(workdir) as base:
        yield base, ids


def test_no_page_turns_data_into_links_images_or_errors(hostile_app, page):
    base, ids = hostile_app
    seen: list[dict[str, Any]] = []
    walk(page, base, ids, seen)
    found = problems(seen, base)
    assert not found, "\n".join(found)
