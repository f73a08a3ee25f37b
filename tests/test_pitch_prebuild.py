"""A saved campaign's pitch is built in the background as soon as its download buttons are drawn, keyed by
everything it depends on, so a click hands over a finished file: the same key finds the same build (in this process
and, through the database, in another replica), and each input (a status, the bloggers' data, the rates, the
language, the client) makes a new one."""

from __future__ import annotations

import pytest

from planner.core.money import DEFAULT_FX_RUB
from planner.storage import db
from planner.storage.access import LOCAL


@pytest.fixture
def sample_campaign(sample_app):
    from planner import campaigns
    engine = db.get_engine(sample_app)
    listed = campaigns.list_campaigns(engine, access=LOCAL)
    return engine, int(listed["id"].iloc[0])


def _settings(lang="en", usd=None):
    from pages import common
    fx = {**DEFAULT_FX_RUB, **({"USD": usd} if usd else {})}
    return common.Settings(lang=lang, currency="RUB", fx=tuple(sorted({"RUB": 1.0, **fx}.items())))


def _count_builds(monkeypatch) -> list[str]:
    """Prebuilt pitches on (the suite turns them off) and every pitch.make counted: the formats built, in order."""
    from planner.app import pitch
    monkeypatch.delenv("PLANNER_NO_PREBUILD", raising=False)
    builds: list[str] = []
    real = pitch.make

    def counting(*args, **kwargs):
        builds.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(pitch, "make", counting)
    return builds


def test_the_key_holds_every_input(sample_campaign, small_sample):
    from pages import common
    from planner import campaigns
    from planner.storage import goals, store
    engine, cid = sample_campaign
    base = common.pitch_key(engine, cid, _settings(), "", LOCAL)
    assert common.pitch_key(engine, cid, _settings(), "", LOCAL) == base  # the same inputs, the same key
    assert common.pitch_key(engine, cid, _settings("ru"), "", LOCAL) != base
    assert common.pitch_key(engine, cid, _settings(usd=50.0), "", LOCAL) != base
    assert common.pitch_key(engine, cid, _settings(), "Acme", LOCAL) != base
    _camp, rows = campaigns.load_campaign(engine, cid, access=LOCAL)
    first = int(rows.iloc[0]["id"]) if "id" in rows else int(rows[0].id)
    campaigns.set_statuses(engine, cid, {first: "cancelled"}, access=LOCAL)
    after_status = common.pitch_key(engine, cid, _settings(), "", LOCAL)
    assert after_status != base
    goals.save_goals(engine, cid, goals.StoredGoals(targets=(("orders", 5.0),)), access=LOCAL)
    after_goals = common.pitch_key(engine, cid, _settings(), "", LOCAL)
    assert after_goals != after_status
    store.upsert_bloggers(engine, small_sample.head(3), source="import")
    assert common.pitch_key(engine, cid, _settings(), "", LOCAL) != after_goals
    assert len({k.key(fmt) for k in (base, after_goals) for fmt in ("xlsx", "pptx", "pdf")}) == 6  # a file each


def test_built_ahead_once_and_handed_over(sample_campaign, monkeypatch):
    """The page's buttons start the build in the background; a second drawing (a rerun, another session of this
    process) finds the same build, and the file is the database's for every other replica (planner.app.pitch)."""
    from pages import common
    from planner.app import pitch
    from planner.storage import pitches
    engine, cid = sample_campaign
    monkeypatch.delenv("PLANNER_NO_PREBUILD", raising=False)
    monkeypatch.setenv("PLANNER_REPLICA", "replica-a")
    assert common._prebuild_on()
    real = pitch.make
    builds = _count_builds(monkeypatch)
    s = _settings()
    key = common.pitch_key(engine, cid, s, "Acme", LOCAL)
    fetch = common._prebuilt(key, engine, "xlsx", None, LOCAL)
    again = common._prebuilt(key, engine, "xlsx", None, LOCAL)
    data = fetch()
    assert again() is data and builds == ["xlsx"]  # one build, found by the second drawing
    expected = real(engine, cid, "xlsx", lang="en", currency="RUB", rates=s.rates, client="Acme", access=LOCAL).data
    assert data[:2] == b"PK" and len(data) > 1000 and abs(len(data) - len(expected)) < 64  # the same workbook
    assert pitches.fetch(engine, key.key("xlsx"), access=LOCAL) == data  # kept for the other replicas
    assert pitches.files(engine, cid, access=LOCAL) == {key.key("xlsx"): ("xlsx", "replica-a", True)}
    common._PITCHES._values.clear()  # another replica: nothing of this process's memory
    monkeypatch.setenv("PLANNER_REPLICA", "replica-b")
    assert common._prebuilt(key, engine, "xlsx", None, LOCAL)() == data and builds == ["xlsx"]  # not built again


def test_a_save_on_the_plan_page_starts_the_pitch_before_its_buttons_are_drawn(sample_app, monkeypatch):
    """Saving a campaign on the Plan page starts its three pitch files at once (its buttons are on the saved
    campaigns' tab, drawn later); the buttons, drawn then, find those builds: nothing is built twice. The build is
    handed the plan on screen (planner.reporting.pitch.Solved), which fits the saved campaign's brief and data, and
    solves no plan of its own."""
    import threading

    from pages import common
    from planner import campaigns
    from planner.app import pitch
    from planner.planning import plan
    from planner.storage import store
    from tests.conftest import app_test, open_tab

    monkeypatch.delenv("PLANNER_NO_PREBUILD", raising=False)
    builds = _count_builds(monkeypatch)
    handed: list = []
    counted = pitch.make

    def make(*args, **kwargs):
        handed.append(kwargs.get("solved"))
        return counted(*args, **kwargs)

    monkeypatch.setattr(pitch, "make", make)
    solves: list[str] = []
    real_solve = plan.solve

    def solve(*args, **kwargs):
        solves.append(threading.current_thread().name)
        return real_solve(*args, **kwargs)

    monkeypatch.setattr(plan, "solve", solve)
    common._PITCHES._values.clear()
    at = app_test("en", timeout=240).run()
    at.switch_page("pages/plan.py").run()
    at.text_input(key="plan_name").input("Pitched at once")
    next(b for b in at.button if b.label == "Save as a campaign").click().run()
    assert not at.exception
    engine = db.get_engine(sample_app)
    listed = campaigns.list_campaigns(engine, access=LOCAL)
    cid = int(listed.loc[listed["name"] == "Pitched at once", "id"].iloc[0])
    key = common.pitch_key(engine, cid, _settings(), "", LOCAL)
    futures = [common._PITCHES.peek((db.database_url(), key, fmt)) for fmt in pitch.FORMATS]
    assert all(f is not None for f in futures)  # started by the save, before any button was drawn
    for future in futures:
        future.result(timeout=600)
    assert sorted(builds) == sorted(pitch.FORMATS)
    camp, _rows = campaigns.load_campaign(engine, cid, access=LOCAL)
    assert len(handed) == 3 and all(h is not None and h.fits(store.data_version(engine), campaigns.campaign_brief(
        camp)) for h in handed)
    assert not [name for name in solves if name.startswith("pitch-prebuild")]  # the page's plan, not solved again
    open_tab(at, "plan_tab", "plan.tab_saved")  # the buttons: the same key, the builds found
    assert not at.exception
    assert at.selectbox(key="plan_open").value == cid
    assert sorted(builds) == sorted(pitch.FORMATS)
    common._PITCHES._values.clear()


def test_a_newer_version_cancels_the_older_files_not_started(sample_campaign, monkeypatch):
    """A status edited while the worker is busy: the older version's files not started yet are cancelled (the worker
    goes on to the newer ones); a click on an older button still gets its file, built on the click."""
    import threading

    from pages import common
    from planner import campaigns
    engine, cid = sample_campaign
    builds = _count_builds(monkeypatch)
    common._PITCHES._values.clear()
    s = _settings()
    older = common.pitch_key(engine, cid, s, "", LOCAL)
    gate = threading.Event()
    busy = common._PITCH_WORKER.submit(gate.wait, 600)  # the worker busy with another pitch
    try:
        old_fetch = [common._prebuilt(older, engine, fmt, None, LOCAL) for fmt in ("xlsx", "pptx")]
        old_futures = [common._PITCHES.peek((db.database_url(), older, fmt)) for fmt in ("xlsx", "pptx")]
        _camp, rows = campaigns.load_campaign(engine, cid, access=LOCAL)
        campaigns.set_statuses(engine, cid, {int(rows.iloc[0]["id"]): "cancelled"}, access=LOCAL)
        newer = common.pitch_key(engine, cid, s, "", LOCAL)
        assert newer.version != older.version
        new_fetch = common._prebuilt(newer, engine, "xlsx", None, LOCAL)
        assert all(f.cancelled() for f in old_futures)  # never started
    finally:
        gate.set()
        busy.result(timeout=60)
    assert new_fetch()[:2] == b"PK" and builds == ["xlsx"]  # the newer file only
    assert old_fetch[0]()[:2] == b"PK" and builds == ["xlsx", "xlsx"]  # the older one, built on its click
    # drawn again, the cancelled one is queued again (not handed over cancelled)
    again = common._prebuilt(older, engine, "pptx", None, LOCAL)
    assert not common._PITCHES.peek((db.database_url(), older, "pptx")).cancelled()
    assert again()[:2] == b"PK"
    common._PITCHES._values.clear()


def test_a_click_on_a_file_still_queued_takes_it_over(sample_campaign, monkeypatch):
    """The worker busy (another pitch's files before this one's): a click on the PPTX builds it at once on the click,
    not after the files queued before it; the queued build is cancelled, and the XLSX is still built ahead."""
    import threading

    from pages import common
    engine, cid = sample_campaign
    builds = _count_builds(monkeypatch)
    common._PITCHES._values.clear()
    key = common.pitch_key(engine, cid, _settings(), "Takeover", LOCAL)
    gate = threading.Event()
    busy = common._PITCH_WORKER.submit(gate.wait, 600)  # the worker busy with another pitch
    try:
        xlsx = common._prebuilt(key, engine, "xlsx", None, LOCAL)
        pptx = common._prebuilt(key, engine, "pptx", None, LOCAL)
        queued = common._PITCHES.peek((db.database_url(), key, "pptx"))
        data = pptx()  # the worker is still blocked: only the click can have built it
        assert data[:2] == b"PK" and builds == ["pptx"]
        assert queued.cancelled()
        assert pptx() is data and common._prebuilt(key, engine, "pptx", None, LOCAL)() is data  # kept, not rebuilt
        assert builds == ["pptx"]
    finally:
        gate.set()
        busy.result(timeout=60)
    assert xlsx()[:2] == b"PK" and sorted(builds) == ["pptx", "xlsx"]
    common._PITCHES._values.clear()
