"""Two app replicas on one PostgreSQL database, as deploy/compose.yaml runs them behind its proxy: two
`streamlit run app.py` processes on loopback (``PLANNER_REPLICA`` replica-a and replica-b, one cookie secret), the
database made fresh on PLANNER_TEST_POSTGRES's server (skipped, saying why, without one). A save on one is read
fresh on the other (and a stale view on the other cannot undo it); another workspace's campaign is neither listed
nor opened on either, whatever the link says; a saved campaign's pitch built ahead on one is handed over by the
other without being built again."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from planner.ingest.sample_campaign import NAME as SAMPLE
from tests.e2e.conftest import _server, after, number_input, postgres_database, results_tab, settle, type_number

pytestmark = pytest.mark.e2e
LONG = 180_000  # ms: a shared 2-core machine; never a timing assertion
BUILD_WAIT_S = 900  # s: three pitch files built in the background beside the other tests; a wait, not a timing
SECRET = "Acme's secret launch"  # the second workspace's campaign (its owner is boss@acme.test, not the local user)
COOKIE_SECRET = "one secret for every replica: XSRF tokens and st.login's cookie"


@dataclass(frozen=True)
class Replicas:
    url: str  # the database both open
    a: str  # replica-a's base URL
    b: str  # replica-b's base URL
    secret_id: int  # the second workspace's campaign


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    from planner.storage import campaigns as repo
    from planner.storage import db, workspaces
    with postgres_database("replicas_") as url:
        engine = db.get_engine(url)  # migrated (the servers seed the sample on their first page, one of them)
        acme = workspaces.create_workspace(engine, "Acme", user="boss@acme.test")  # the local user is no member
        secret_id = repo.create_campaign(engine, {"name": SECRET, "currency": "RUB", "budget": 50_000.0,
                                                  "brief": {"budget": 50_000.0, "currency": "RUB"}}, [], access=acme)
        engine.dispose()
        db._engines.pop(db.database_url(url), None)
        with contextlib.ExitStack() as stack:
            bases = [stack.enter_context(_server(tmp_path_factory.mktemp(name), url, {
                "PLANNER_REPLICA": name, "PLANNER_NO_PREBUILD": "", "STREAMLIT_SERVER_COOKIE_SECRET": COOKIE_SECRET,
            })) for name in ("replica-a", "replica-b")]
            yield Replicas(url=url, a=bases[0], b=bases[1], secret_id=secret_id)


def test_a_save_on_one_replica_is_read_fresh_on_the_other(replicas, browser):
    """Replica B draws the goals (and caches the report), replica A saves a target, and B's next view shows it;
    B's view from before the save is refused when it saves (the goals' version is the database's), and A sees
    B's save after that."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        before = results_tab(ctx, replicas.b, tab="Report")  # B's process caches the report of this version
        goal = before.locator("[data-testid='stTabPanel']:visible")
        expect(goal).to_contain_text("Orders ≥ 290", timeout=LONG)  # the sample's orders target
        expect(goal).not_to_contain_text("Orders ≥ 350")
        stale = results_tab(ctx, replicas.b)
        expect(stale.get_by_role("button", name="Save the goals")).to_be_visible(timeout=LONG)
        a = results_tab(ctx, replicas.a)
        type_number(a, "Orders ≥", "350")
        after(a, lambda: a.get_by_role("button", name="Save the goals").click())
        expect(a.get_by_role("tab", name="Goals")).to_be_visible(timeout=LONG)

        fresh = results_tab(ctx, replicas.b)
        expect(number_input(fresh, "Orders ≥")).to_have_value(re.compile(r"^350(\.0+)?$"), timeout=LONG)
        report = results_tab(ctx, replicas.b, tab="Report")  # a new version: the report is made again on B
        expect(report.locator("[data-testid='stTabPanel']:visible")).to_contain_text("Orders ≥ 350", timeout=LONG)
        expect(report.locator("[data-testid='stTabPanel']:visible")).not_to_contain_text("Orders ≥ 290")

        type_number(stale, "Gross margin", "40")
        after(stale, lambda: stale.get_by_role("button", name="Save the goals").click())
        stale.get_by_role("tab", name="Goals").click()
        expect(stale.locator("[data-testid='stAlert']", has_text="changed elsewhere")).to_be_visible(timeout=LONG)
        type_number(stale, "Gross margin", "40")
        after(stale, lambda: stale.get_by_role("button", name="Save the goals").click())
        back = results_tab(ctx, replicas.a)
        expect(number_input(back, "Gross margin")).to_have_value(re.compile(r"^40(\.0+)?$"), timeout=LONG)
        expect(number_input(back, "Orders ≥")).to_have_value(re.compile(r"^350(\.0+)?$"), timeout=LONG)
        for page in (before, a, fresh, report, stale, back):
            assert "Traceback" not in page.inner_text("body")
    finally:
        ctx.close()


def test_another_workspaces_campaign_is_on_neither_replica(replicas):
    """The Results page on each replica, opened as a new session (the websocket client: the page's texts and its
    select boxes' options), lists the local workspace's campaigns only and names no other workspace, and a link
    naming the other workspace's campaign opens a local one."""
    from uibench import wsclient

    for base in (replicas.a, replicas.b):
        for query in ("lang=en", f"lang=en&results_campaign={replicas.secret_id}"):
            run = _in_a_thread(wsclient.open_page(base, query, page_name="results", timeout=300))
            assert run.error is None, (base, query, run.error)
            assert SAMPLE in run.texts, (base, query, run.texts[:20])  # the local campaigns are listed
            shown = "\n".join([*run.texts, *run.headings, *(m[0] for m in run.metrics)])
            assert SECRET not in shown and "Acme" not in shown, (base, query)


def test_the_pitch_built_on_one_replica_is_not_built_again_on_the_other(replicas, browser, tmp_path):
    """Replica A shows the sample campaign's pitch buttons: its three files are built in the background and kept in
    the database under replica-a's name. Replica B shows the same buttons: its PDF button hands over A's file (the
    same bytes), and no file is claimed or built by replica-b."""
    from planner import campaigns
    from planner.storage import db, pitches
    from planner.storage.access import LOCAL

    engine = db.get_engine(replicas.url)
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        # first the page: on a database no test of this worker has opened yet, the first page seeds the sample
        # campaign (the module's tests may run on different workers, each with replicas of its own)
        a = _saved_campaign(ctx, replicas.a)
        listed = campaigns.list_campaigns(engine, access=LOCAL)
        cid = int(listed.loc[listed["name"] == SAMPLE, "id"].iloc[0])
        # the three files of the campaign's current version, built by replica-a one after another (each solves the
        # campaign's frontier and budget curve: 15 s alone, minutes when the other tests load the two cores)
        deadline = time.monotonic() + BUILD_WAIT_S
        while True:
            built = pitches.files(engine, cid, access=LOCAL)
            if len(built) == 3 and all(done for _fmt, _who, done in built.values()):
                break
            assert time.monotonic() < deadline, built
            time.sleep(0.5)
        assert {fmt for fmt, _who, _done in built.values()} == {"xlsx", "pptx", "pdf"}
        assert {who for _fmt, who, _done in built.values()} == {"replica-a"}

        b = _saved_campaign(ctx, replicas.b)
        with b.expect_download(timeout=LONG) as dl:
            b.get_by_role("button", name="Pitch PDF").click()
        path = tmp_path / "pitch.pdf"
        dl.value.save_as(path)
        pdf_key = next(k for k, (fmt, _who, _done) in built.items() if fmt == "pdf")
        assert path.read_bytes() == pitches.fetch(engine, pdf_key, access=LOCAL)
        assert pitches.files(engine, cid, access=LOCAL) == built  # nothing claimed, built or replaced by replica-b
        for page in (a, b):
            assert "Traceback" not in page.inner_text("body")
    finally:
        ctx.close()
        engine.dispose()
        db._engines.pop(db.database_url(replicas.url), None)


def _in_a_thread(coro):
    """Run a coroutine to its end on a thread of its own (Playwright's sync API holds this thread's event loop)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _saved_campaign(ctx, base: str):
    """The Plan page's saved campaigns tab on the sample campaign, its pitch buttons drawn."""
    page = ctx.new_page()
    page.goto(f"{base}/plan?lang=en")
    settle(page, timeout=180)
    page.get_by_role("tab", name="Saved campaigns").click()
    box = page.get_by_role("combobox", name="Campaign")
    expect(box).to_be_visible(timeout=LONG)
    if box.input_value() != SAMPLE:
        box.click()
        after(page, lambda: page.locator("[role='option']", has_text=SAMPLE).first.click())
    expect(page.get_by_role("button", name="Pitch PDF")).to_be_visible(timeout=LONG)
    return page
