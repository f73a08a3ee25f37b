"""The budget curve of the plan on screen is planned ahead, in the background, before a save
(planner.reporting.pitch.plan_curve_ahead): a pitch's build of the saved brief then finds it planned (or being
planned) and never plans it twice; the curve is the one the build would plan itself; a newer plan on the same screen
stops the older planning, whose answer is never kept; and the key holds everything the curve depends on (the
brief's fingerprint, the data version, the database)."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import threading
import time

import pandas as pd
import pytest

from planner import campaigns
from planner.core import money
from planner.planning import optimiser
from planner.planning.optimiser.context import _Deadline
from planner.reporting import pitch
from planner.storage import store
from planner.storage.access import LOCAL
from tests.conftest import pitch_world

FX = money.Rates.of({"USD": 90.0, "EUR": 98.0})
WAIT_S = 300.0  # a shared machine: never a timing assertion, only an upper bound on waiting


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with pitch_world(tmp_path_factory, "curve_ahead", "Ahead") as w:
        camp, _ = campaigns.load_campaign(w["engine"], w["plan_id"], access=LOCAL)
        yield {**w, "cid": w["plan_id"], "brief": campaigns.campaign_brief(camp)}


@pytest.fixture
def sweeps(monkeypatch) -> list[tuple[str, bool]]:
    """Every budget sweep the pitch plans, as (the brief's fingerprint, whether it was planned ahead); the memo of
    frontiers and curves emptied."""
    calls: list[tuple[str, bool]] = []
    real = pitch._sweep_curve

    def counting(engine_, bloggers, brief, time_limit, **kwargs):
        calls.append((brief.fingerprint(), "stop" in kwargs))
        return real(engine_, bloggers, brief, time_limit, **kwargs)

    monkeypatch.setattr(pitch, "_sweep_curve", counting)
    monkeypatch.setattr(pitch, "_PLANS_MEMO", type(pitch._PLANS_MEMO)())
    return calls


def _key(world, brief=None) -> tuple:
    data_key = pitch._data_key(world["engine"], store.data_version(world["engine"]))
    assert data_key is not None
    return pitch._curve_key(data_key, brief or world["brief"], pitch.TIME_LIMIT_S)


def _ahead(world, wish, brief=None, delay=0.0) -> bool:
    return pitch.plan_curve_ahead(world["engine"], brief or world["brief"], bloggers=world["bloggers"],
                                  data_version=store.data_version(world["engine"]), access=LOCAL, wish=wish,
                                  delay=delay)


def _planned(key: tuple):
    """The curve planned ahead under ``key``, waited for (None when nothing is planned or being planned)."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        got = pitch._PLANS_MEMO.peek(key)
        if got is not None:
            return got.result(timeout=WAIT_S)
        time.sleep(0.05)
    return None


def _drain() -> None:
    """Wait until the planning-ahead thread has done everything queued so far."""
    pitch._AHEAD.submit(lambda: None).result(timeout=WAIT_S)


def _curve(doc: pitch.Pitch):
    return None if doc.budget_curve is None else doc.budget_curve.to_dict("list"), doc.flattening_budget


def _same_curve(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Two sweeps of one brief: the same budgets, and at each the same unique reach within the curve's gap target
    (the sweep stops at a certified gap, not at one plan: two runs may stop at two plans within it)."""
    from planner.planning import scenarios
    assert a["budget"].tolist() == b["budget"].tolist()
    certified = a["status"].isin(["optimal", "gap_ok"]) & b["status"].isin(["optimal", "gap_ok"])
    assert certified.any()
    lo = pd.concat([a["unique_reach"], b["unique_reach"]], axis=1).min(axis=1)
    hi = pd.concat([a["unique_reach"], b["unique_reach"]], axis=1).max(axis=1)
    assert ((hi[certified] - lo[certified]) <= hi[certified] * scenarios.CURVE_GAP * 1.0001).all()


def _build(world):
    return pitch.build(world["engine"], world["cid"], lang="en", rates=FX, bloggers=world["bloggers"],
                       frontier=False, curve=True, access=LOCAL)


def test_the_build_takes_the_curve_planned_ahead_and_it_is_the_curve_it_would_plan(world, sweeps, monkeypatch):
    alone = _build(world)  # no curve planned ahead: the build plans it
    assert sweeps == [(world["brief"].fingerprint(), False)]
    assert alone.budget_curve is not None and not alone.budget_curve.empty

    monkeypatch.setattr(pitch, "_PLANS_MEMO", type(pitch._PLANS_MEMO)())
    sweeps.clear()
    wish = pitch.CurveWish()
    assert _ahead(world, wish)
    assert _planned(_key(world)) is not None
    ahead = _build(world)
    assert sweeps == [(world["brief"].fingerprint(), True)]  # planned once, ahead; the build planned nothing
    _same_curve(ahead.budget_curve, alone.budget_curve)
    assert not _ahead(world, wish)  # known: nothing is queued again


def test_a_build_started_while_the_curve_is_planned_waits_for_it(world, sweeps, monkeypatch):
    started, release = threading.Event(), threading.Event()
    real = pitch._sweep_curve

    def slow(engine_, bloggers, brief, time_limit, **kwargs):
        started.set()
        release.wait(WAIT_S)
        return real(engine_, bloggers, brief, time_limit, **kwargs)

    monkeypatch.setattr(pitch, "_sweep_curve", slow)
    wish = pitch.CurveWish()
    assert _ahead(world, wish)
    assert started.wait(WAIT_S)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        doc = pool.submit(_build, world)
        deadline = time.monotonic() + WAIT_S
        while _key(world) not in pitch._AWAITED and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _key(world) in pitch._AWAITED and not doc.done()  # waiting for the curve being planned
        wish.key = None  # the screen moved on (another page): a curve a build waits for is planned on
        release.set()
        built = doc.result(timeout=WAIT_S)
    assert built.budget_curve is not None and not built.budget_curve.empty
    assert pitch._PLANS_MEMO.peek(_key(world)).result() is not None
    assert sweeps == [(world["brief"].fingerprint(), True)]  # planned once, ahead, to its end
    assert not pitch._AWAITED


def test_a_newer_plan_stops_the_older_planning_and_its_answer_is_never_kept(world, sweeps):
    other = dataclasses.replace(world["brief"], reach_weight=0.9)
    wish = pitch.CurveWish()
    # a plan replaced before its delay is up is never planned for
    assert _ahead(world, wish, delay=0.5)
    assert _ahead(world, wish, other)
    _drain()
    assert [f for f, _ in sweeps] == [other.fingerprint()]
    assert pitch._PLANS_MEMO.peek(_key(world)) is None
    assert _planned(_key(world, other)) is not None


def test_a_planning_stopped_part_way_is_dropped_and_a_waiting_build_plans_the_curve_itself(world, sweeps,
                                                                                         monkeypatch):
    wish = pitch.CurveWish()
    from planner.planning import scenarios
    real_sweep = scenarios.sweep
    budgets_done: list[int] = []

    def sweep_then_move(df, scenario, **kwargs):
        progress = kwargs.get("progress")

        def moved(done, total):
            budgets_done.append(done)
            if done == 2:
                wish.key = ("another plan on the screen",)
            if progress is not None:
                progress(done, total)

        return real_sweep(df, scenario, **{**kwargs, "progress": moved})

    monkeypatch.setattr(scenarios, "sweep", sweep_then_move)
    assert _ahead(world, wish)
    _drain()
    assert budgets_done[-1] == 2  # stopped at the first budget that saw the newer wish
    assert pitch._PLANS_MEMO.peek(_key(world)) is None  # its plans are not the curve's: nothing kept
    monkeypatch.setattr(scenarios, "sweep", real_sweep)
    built = _build(world)
    assert built.budget_curve is not None and not built.budget_curve.empty
    assert [ahead for _, ahead in sweeps] == [True, False]


def test_the_key_holds_the_data_version_and_the_database(world, tmp_path):
    engine = world["engine"]
    version = store.data_version(engine)
    key = _key(world)
    assert pitch._curve_key(pitch._data_key(engine, version + "-other"), world["brief"], pitch.TIME_LIMIT_S) != key
    for field, value in (("budget", world["brief"].budget * 2), ("reach_weight", 0.1), ("niches", ("food",))):
        changed = dataclasses.replace(world["brief"], **{field: value})
        assert _key(world, changed) != key, field
    # an in-memory database repeats its versions: nothing is planned ahead there
    from planner.storage import db
    memory = db.get_engine("sqlite://")
    try:
        assert pitch._data_key(memory, version) is None
        wish = pitch.CurveWish(key=("old",))
        assert not pitch.plan_curve_ahead(memory, world["brief"], bloggers=world["bloggers"], data_version=version,
                                          access=LOCAL, wish=wish)
        assert wish.key is None  # and an older wish of the screen is let go
    finally:
        memory.dispose()


def test_a_stopped_deadline_has_passed_for_every_step_and_its_shares(monkeypatch):
    stopped = {"now": False}
    dl = _Deadline(60.0, stop=lambda: stopped["now"])
    share = dl.share(0.5)
    assert dl.left() > 0 and not dl.expired() and not share.expired() and not dl.nearly_over()
    stopped["now"] = True
    assert dl.left() == 0.0 and dl.expired() and dl.nearly_over()
    assert share.expired() and _Deadline(10.0, share).expired()


def test_a_stopped_sweep_returns_at_once_with_a_plan_at_every_budget_it_would_fill(world):
    from planner.planning import plan
    cands = plan.build_candidates(world["bloggers"], world["brief"])
    norm = optimiser.normalisers(cands.problem, time_limit=30)
    budgets = [world["brief"].budget * f for f in (0.5, 1.0, 1.5)]
    free = optimiser.budget_sweep(cands.problem, budgets, 0.5, normalisers=norm, time_limit=60)
    stopped = optimiser.budget_sweep(cands.problem, budgets, 0.5, normalisers=norm, time_limit=60,
                                     stop=lambda: True)
    assert len(stopped) == len(free) == 3
    for budget, a, b in zip(budgets, free, stopped, strict=True):
        assert a is not None and b is not None  # the first pass still fills every budget
        assert b.cost <= budget * (1 + 1e-9)
        # a real plan: never above the free sweep's proven bound, and its own bound never below the free optimum
        assert b.objective <= a.upper_bound * (1 + 1e-9)
        assert b.upper_bound >= a.objective * (1 - 1e-9)
        assert b.objective <= b.upper_bound * (1 + 1e-9)


def test_the_plan_page_plans_its_pitch_curve_ahead_and_its_save_uses_it(sample_app, sweeps, monkeypatch):
    """On the Plan page (pitches built ahead on): the plan on screen has its pitch's curve planned in the background;
    a save's pitch build takes it (the curve is planned once, ahead); a new weight is a new wish; computing the
    frontier stops the curve being planned while it runs, and the page's rerun after it plans it again."""
    from pages import common
    from planner.app import pitch as app_pitch
    from planner.storage import db
    from tests.conftest import app_test

    monkeypatch.delenv("PLANNER_NO_PREBUILD", raising=False)
    monkeypatch.setattr(pitch, "AHEAD_DELAY_S", 0.0)
    common._PITCHES._values.clear()
    at = app_test("en", timeout=240).run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    wish = at.session_state["_pitch_curve_wish"]
    shown = at.session_state[common.PLAN_SHOWN].brief
    assert wish.key is not None and wish.key[2] == shown.fingerprint()
    _drain()
    assert pitch._PLANS_MEMO.peek(wish.key).result(timeout=WAIT_S)[0] is not None
    assert sweeps == [(shown.fingerprint(), True)]

    at.text_input(key="plan_name").input("Curve ahead")
    next(b for b in at.button if b.label == "Save as a campaign").click().run()
    assert not at.exception
    listed = campaigns.list_campaigns(db.get_engine(sample_app), access=LOCAL)
    assert "Curve ahead" in set(listed["name"])
    futures = [f for k, f in list(common._PITCHES._values.items()) if k[2] in app_pitch.FORMATS]
    assert len(futures) == len(app_pitch.FORMATS)  # the save's three files
    for future in futures:
        assert future.result(timeout=600)[:2] in (b"PK", b"%P")  # XLSX and PPTX are zip files, the PDF %PDF
    assert sweeps == [(shown.fingerprint(), True)]  # the build planned no curve of its own
    common._PITCHES._values.clear()

    at.slider(key="plan_w").set_value(0.8).run()
    assert not at.exception
    moved = at.session_state[common.PLAN_SHOWN].brief
    assert moved.fingerprint() != shown.fingerprint() and wish.key[2] == moved.fingerprint()

    paused: list = []
    real_pause = common.pitch_curve_pause

    def pause() -> None:
        real_pause()
        paused.append(wish.key)

    monkeypatch.setattr(common, "pitch_curve_pause", pause)
    next(b for b in at.button if b.key == "plan_frontier_go").click().run()
    assert not at.exception
    assert paused == [None]  # stopped while the frontier was computed
    assert wish.key is not None and wish.key[2] == moved.fingerprint()  # and wished again by the page's rerun
    monkeypatch.setattr(common, "pitch_curve_pause", real_pause)
    at.switch_page("pages/scenarios.py").run()  # no plan on this screen: its curve is no longer wanted
    assert not at.exception
    assert at.session_state["_pitch_curve_wish"].key is None
    _drain()


def test_a_stopped_solve_returns_a_valid_plan_and_bound(world):
    from planner.planning import plan
    cands = plan.build_candidates(world["bloggers"], world["brief"])
    free = optimiser.solve(cands.problem, 0.5, time_limit=60)
    stopped = optimiser.solve(cands.problem, 0.5, time_limit=60, stop=lambda: True)
    assert stopped.cost <= world["brief"].budget * (1 + 1e-9)
    assert stopped.objective <= stopped.upper_bound * (1 + 1e-9)
    # both certificates hold: neither plan is above the other's proven bound
    assert stopped.objective <= free.upper_bound * (1 + 1e-9) and free.objective <= stopped.upper_bound * (1 + 1e-9)
    if stopped.gap > stopped.gap_target:
        assert stopped.status == "time_limit"
    u, v = optimiser.normalisers(plan.build_candidates(world["bloggers"], world["brief"]).problem, time_limit=60,
                                 stop=lambda: True)
    assert u > 0 and v > 0


def test_a_wish_asked_again_while_queued_is_not_queued_twice(world, sweeps):
    """A page reruns on every click and each run asks for its plan's curve: one job per key while it is queued."""
    wish = pitch.CurveWish()
    assert _ahead(world, wish, delay=0.3)
    assert not _ahead(world, wish, delay=0.3)  # the same plan on the screen, asked again: served by the first job
    _drain()
    assert sweeps == [(world["brief"].fingerprint(), True)]
    assert not pitch._AHEAD_QUEUED
    assert not _ahead(world, wish)  # known now
