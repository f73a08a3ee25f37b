"""Pitch files built ahead once for every app replica (planner.storage.pitches, planner.app.pitch.shared_file): the
first replica to ask claims and builds, the others find the file or wait for it, a dead builder's lease is taken
over, a failed build is released, another workspace's files are neither read nor claimed; the migration that adds
the table goes up and down. On SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, inspect, text

from planner.app import pitch
from planner.core.money import Rates
from planner.storage import campaigns as repo
from planner.storage import db, pitches, workspaces
from planner.storage.access import LOCAL
from planner.storage.campaigns import CampaignNotFound

pytestmark = pytest.mark.database

BRIEF = {"budget": 100_000.0, "currency": "RUB"}
PLACEMENT = {"handle": "anna", "platform": "instagram", "format": "post", "kind": "paid", "status": "proposed",
             "cost": 10_000.0, "expected_reach": 20_000.0}


def _campaign(engine, access=LOCAL, name: str = "Launch") -> int:
    return repo.create_campaign(engine, {"name": name, "currency": "RUB", "budget": 100_000.0, "brief": BRIEF},
                                [dict(PLACEMENT)], access=access)


def _builders(engine, cid, access=LOCAL) -> dict[str, str]:
    return {key: builder for key, (_fmt, builder, _built) in pitches.files(engine, cid, access=access).items()}


def _claim(engine, key, cid, builder, lease_s=60.0, access=LOCAL, version="v1"):
    return pitches.claim(engine, key, campaign_id=cid, fmt="pdf", version=version, builder=builder,
                         lease_s=lease_s, access=access)


def test_one_claim_builds_the_others_wait_then_find_the_file(engine):
    cid = _campaign(engine)
    assert _claim(engine, "k1", cid, "replica-a") == pitches.Claim(claimed=True)
    busy = _claim(engine, "k1", cid, "replica-b")
    assert (busy.claimed, busy.data, busy.builder) == (False, None, "replica-a")
    assert pitches.fetch(engine, "k1", access=LOCAL) is None
    assert not pitches.store(engine, "k1", b"not mine", builder="replica-b", access=LOCAL)  # only the holder stores
    assert pitches.renew(engine, "k1", builder="replica-a", lease_s=60.0, access=LOCAL)
    assert pitches.store(engine, "k1", b"%PDF-1", builder="replica-a", access=LOCAL)
    assert _claim(engine, "k1", cid, "replica-b") == pitches.Claim(claimed=False, data=b"%PDF-1",
                                                                   builder="replica-a")
    assert pitches.fetch(engine, "k1", access=LOCAL) == b"%PDF-1"
    assert not pitches.renew(engine, "k1", builder="replica-a", lease_s=60.0, access=LOCAL)  # built: nothing held
    assert pitches.files(engine, cid, access=LOCAL) == {"k1": ("pdf", "replica-a", True)}


def test_an_expired_lease_is_taken_over_by_one_replica_and_a_failed_build_released(engine):
    cid = _campaign(engine)
    assert _claim(engine, "k2", cid, "dead", lease_s=-5.0).claimed  # a builder whose lease has run out
    assert _claim(engine, "k2", cid, "replica-b").claimed
    assert not _claim(engine, "k2", cid, "replica-c").claimed  # b holds it now
    assert not pitches.store(engine, "k2", b"late", builder="dead", access=LOCAL)  # the dead one's file is refused
    pitches.release(engine, "k2", builder="replica-b", access=LOCAL)
    assert _builders(engine, cid, access=LOCAL) == {}
    assert _claim(engine, "k2", cid, "replica-c").claimed


def test_storing_a_newer_version_drops_the_older_files(engine):
    cid = _campaign(engine)
    for key, version in (("old-x", "v1"), ("old-p", "v1"), ("new-x", "v2")):
        assert _claim(engine, key, cid, "a", version=version).claimed
    pitches.store(engine, "old-x", b"1", builder="a", access=LOCAL)
    pitches.store(engine, "old-p", b"2", builder="a", access=LOCAL)
    pitches.store(engine, "new-x", b"3", builder="a", access=LOCAL)
    assert set(_builders(engine, cid, access=LOCAL)) == {"new-x"}


def test_another_workspaces_files_are_neither_read_nor_claimed(engine):
    other = workspaces.create_workspace(engine, "Acme")
    mine, theirs = _campaign(engine, LOCAL), _campaign(engine, other, "Acme's")
    assert _claim(engine, "ka", mine, "a").claimed
    pitches.store(engine, "ka", b"local file", builder="a", access=LOCAL)
    assert pitches.fetch(engine, "ka", access=other) is None
    assert _builders(engine, mine, access=other) == {}
    with pytest.raises(CampaignNotFound):
        _claim(engine, "kb", mine, "b", access=other)  # a campaign of another workspace does not exist there
    with pytest.raises(CampaignNotFound):
        _claim(engine, "kc", theirs, "a", access=LOCAL)
    assert _claim(engine, "ka", theirs, "b", access=other).claimed  # a key is a workspace's own
    assert pitches.fetch(engine, "ka", access=LOCAL) == b"local file"


def test_two_replicas_asking_at_once_build_the_file_once(engine, monkeypatch):
    """Two builders (two replicas) ask for the same file at the same moment: one builds, the other waits for its
    file and gets the same bytes; a third asking without waiting gets the stored file."""
    cid = _campaign(engine)
    ahead = pitch.ahead(engine, cid, lang="en", currency="RUB", rates=Rates.of({}), client="Acme", access=LOCAL)
    started, go = threading.Event(), threading.Event()
    builds: list[str] = []

    def make(_engine, _cid, fmt, **_kw):
        builds.append(threading.current_thread().name)
        started.set()
        go.wait(10)
        return pitch.PitchFile(doc=None, data=b"%PDF built once", format=fmt, seconds=0.0)  # type: ignore[arg-type]

    monkeypatch.setattr(pitch, "make", make)
    monkeypatch.setattr(pitch, "POLL_S", 0.01)
    got: dict[str, bytes | None] = {}

    def replica(name: str) -> None:
        got[name] = pitch.shared_file(engine, ahead, "pdf", access=LOCAL, builder=name)

    a = threading.Thread(target=replica, args=("replica-a",), name="replica-a")
    a.start()
    assert started.wait(10)
    b = threading.Thread(target=replica, args=("replica-b",), name="replica-b")
    b.start()
    assert pitch.shared_file(engine, ahead, "pdf", access=LOCAL, builder="replica-c", wait=False) is None
    go.set()
    a.join(10)
    b.join(10)
    assert builds == ["replica-a"] and got == {"replica-a": b"%PDF built once", "replica-b": b"%PDF built once"}
    assert pitch.shared_file(engine, ahead, "pdf", access=LOCAL, builder="replica-c", wait=False) == \
        b"%PDF built once"
    assert _builders(engine, cid, access=LOCAL) == {ahead.key("pdf"): "replica-a"}


def test_a_failed_build_raises_and_the_next_caller_builds_again(engine, monkeypatch):
    cid = _campaign(engine)
    ahead = pitch.ahead(engine, cid, lang="en", currency="RUB", rates=Rates.of({}), client="", access=LOCAL)

    def broken(*_a, **_kw):
        raise pitch.PitchError("no plan")

    monkeypatch.setattr(pitch, "make", broken)
    with pytest.raises(pitch.PitchError):
        pitch.shared_file(engine, ahead, "xlsx", access=LOCAL, builder="a")
    assert _builders(engine, cid, access=LOCAL) == {}  # released
    monkeypatch.setattr(pitch, "make", lambda *_a, **_kw: pitch.PitchFile(doc=None, data=b"PK",  # type: ignore
                                                                          format="xlsx", seconds=0.0))
    assert pitch.shared_file(engine, ahead, "xlsx", access=LOCAL, builder="b") == b"PK"


def test_migration_0013_upgrades_and_downgrades(new_db_url):
    """From 0012 with a campaign: up, the table is there and takes a file; down, it goes (the campaign stays);
    up again."""
    from alembic import command
    url = new_db_url("migrate")
    raw = create_engine(db.database_url(url))
    cfg = db.alembic_config(raw)
    command.upgrade(cfg, "0012")
    with raw.begin() as conn:
        conn.execute(text("INSERT INTO workspace (id, name, created_at, bloggers_version) VALUES "
                          "(1, 'Local', '2026-01-01', 0)"))
        conn.execute(text("INSERT INTO campaign (name, status, currency, budget, reach_weight, brief, workspace_id, "
                          "created_at, updated_at, uplift_pct, roi_definition, goals_version, placements_version, "
                          "results_version) VALUES ('Old', 'draft', 'RUB', 1, 0.5, '{}', 1, '2026-01-01', "
                          "'2026-01-01', 0, 'romi', 0, 0, 0)"))
    for _round in range(2):
        command.upgrade(cfg, "head")
        assert "pitch_file" in inspect(raw).get_table_names()
        assert {i["name"] for i in inspect(raw).get_indexes("pitch_file")} >= {"ix_pitch_file_campaign_id",
                                                                                "ix_pitch_file_workspace_id"}
        cid = _old_campaign(raw)
        assert _claim(raw, "m", cid, "a").claimed and pitches.store(raw, "m", b"file", builder="a", access=LOCAL)
        command.downgrade(cfg, "0012")
        assert "pitch_file" not in inspect(raw).get_table_names()
        with raw.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM campaign")).scalar_one() == 1
    raw.dispose()


def _old_campaign(engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT id FROM campaign")).scalar_one())
