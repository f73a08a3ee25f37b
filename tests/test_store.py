"""Storage on SQLite and PostgreSQL (the module's tests run on both when PLANNER_TEST_POSTGRES names a server):
upserts, migrations, snapshots, one transaction per write, and stored values that fit their columns."""

import pandas as pd
import pytest
from sqlalchemy import text

from planner.storage import db, store
from planner.storage.access import LOCAL

pytestmark = pytest.mark.database


def _frame(n=5, start=0, **overrides):
    data = {
        "handle": [f"user{i}" for i in range(start, start + n)],
        "platform": ["instagram"] * n,
        "followers": [1000 * (i + 1) for i in range(start, start + n)],
        "price_post": [100.0 * (i + 1) for i in range(start, start + n)],
        "niches": ["beauty;fashion"] * n,
        "accepts_barter": [True] * n,
        "updated_at": ["2026-01-15"] * n,
    }
    data.update(overrides)
    return pd.DataFrame(data)


def _snapshot(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT platform, handle, followers, price_post FROM blogger ORDER BY id")).all()


def test_migrations_create_tables_and_default_workspace(engine):
    for table in ("workspace", "blogger", "column_mapping", "campaign", "placement", "placement_result",
                  "alembic_version"):
        assert db.has_table(engine, table)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM workspace WHERE id = 1")).scalar_one() == "Local"


def test_upsert_inserts_then_updates_only_given_columns(engine):
    res = store.upsert_bloggers(engine, _frame(5))
    assert (res.inserted, res.updated) == (5, 0)
    # a second file without prices updates followers, keeps prices
    upd = pd.DataFrame({"handle": ["user1", "user9"], "platform": ["instagram", "instagram"], "followers": [777, 9]})
    res = store.upsert_bloggers(engine, upd)
    assert (res.inserted, res.updated) == (1, 1)
    loaded = store.load_bloggers(engine).set_index("handle")
    assert loaded.loc["user1", "followers"] == 777
    assert loaded.loc["user1", "price_post"] == 200.0
    assert pd.isna(loaded.loc["user9", "price_post"])
    assert len(loaded) == 6


def test_same_handle_on_two_platforms_is_two_bloggers(engine):
    store.upsert_bloggers(engine, _frame(1))
    res = store.upsert_bloggers(engine, _frame(1, platform=["telegram"]))
    assert res.inserted == 1
    assert db.blogger_count(engine) == 2


def test_failed_import_leaves_database_as_it_was(engine):
    store.upsert_bloggers(engine, _frame(5))
    before = _snapshot(engine)
    big = _frame(12_000, start=3, followers=[1] * 12_000)  # updates 2 rows, inserts the rest
    with pytest.raises(RuntimeError):
        store.upsert_bloggers(engine, big, fail_after_rows=6_000)
    assert _snapshot(engine) == before


def test_constraint_violation_rolls_back_everything(engine):
    store.upsert_bloggers(engine, _frame(3))
    before = _snapshot(engine)
    bad = _frame(4, start=10)
    bad["handle"] = bad["handle"].astype(object)
    bad.loc[3, "handle"] = None  # NOT NULL violation on the last row (identity: followers may be blank)
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        store.upsert_bloggers(engine, bad)
    assert _snapshot(engine) == before


def test_load_types(engine):
    store.upsert_bloggers(engine, _frame(3))
    df = store.load_bloggers(engine)
    assert df["followers"].dtype == "float64"  # a count like the others: NaN where the list lacks it
    assert df["price_post"].dtype.kind == "f"
    assert str(df["accepts_barter"].dtype) == "boolean"
    assert df["updated_at"].iloc[0].isoformat() == "2026-01-15"


def test_followers_may_be_blank(engine):
    """Only identity is required of a stored blogger: a frame without followers, or with blank ones, is written and
    reads back NaN (never 0)."""
    res = store.upsert_bloggers(engine, pd.DataFrame({"handle": ["a", "b"], "platform": ["vk", "telegram"]}))
    assert (res.inserted, res.updated) == (2, 0)
    res = store.upsert_bloggers(engine, _frame(2, followers=[None, 5000]))
    assert (res.inserted, res.updated) == (2, 0)
    df = store.load_bloggers(engine, snapshot=False).set_index("handle")
    assert df["followers"].isna().tolist() == [True, True, True, False] and df.loc["user1", "followers"] == 5000
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM blogger WHERE followers IS NULL")).scalar_one() == 3
    with pytest.raises(ValueError, match="without platform"):
        store.upsert_bloggers(engine, pd.DataFrame({"handle": ["c"], "followers": [1]}))


def test_remembered_mapping_roundtrip(engine):
    store.remember_mapping(engine, {"Подписота": "followers", "Мусор": None}, access=LOCAL)
    store.remember_mapping(engine, {"Подписота": "avg_views"}, access=LOCAL)
    assert store.remembered_mapping(engine, access=LOCAL) == {"Подписота": "avg_views", "Мусор": None}


def test_dry_run_counts(engine):
    store.upsert_bloggers(engine, _frame(3))
    assert store.count_new(engine, _frame(5)) == (2, 3)
    assert len(_snapshot(engine)) == 3


def test_data_version_changes_on_write(engine):
    v0 = store.data_version(engine)
    store.upsert_bloggers(engine, _frame(2))
    assert store.data_version(engine) != v0


@pytest.mark.slow
def test_a_fresh_database_opened_by_several_processes_at_once(new_db_url, tmp_path):
    """Each process gets a working database; the sample is seeded once, not once per process."""
    import os
    import subprocess
    import sys

    from planner.storage import db
    from tests.conftest import ROOT

    url = new_db_url("fresh")
    code = f"from planner.storage import db; print(db.blogger_count(db.get_engine({url!r})))"
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_NO_SAMPLE"}
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    assert [out.strip() for out, _ in outs] == ["5000"] * 3
    engine = db.get_engine(url)
    assert db.blogger_count(engine) == 5000


def test_loads_are_snapshotted_per_data_version_and_never_stale(new_db_url, tmp_path, small_sample):
    import pandas as pd

    from planner.storage import db, store
    from tests.conftest import recreate_database
    url = new_db_url("snap")
    engine = db.get_engine(url)
    store.upsert_bloggers(engine, small_sample.head(50))
    first = store.load_bloggers(engine)
    snaps = list(store.snapshot_dir(engine).glob("*.parquet"))
    assert len(snaps) == 1
    pd.testing.assert_frame_equal(store.load_bloggers(engine), first)  # read from the snapshot, same frame
    pd.testing.assert_frame_equal(store.load_bloggers(engine, snapshot=False), first)
    store.upsert_bloggers(engine, small_sample.iloc[50:60])
    assert len(store.load_bloggers(engine)) == 60  # a write makes a new version: never the old snapshot
    assert len(list(store.snapshot_dir(engine).glob("*.parquet"))) == 1  # the old one is gone
    engine.dispose()
    db._engines.pop(url, None)
    # the same address, a new database: its first version must not read the old database's snapshot
    recreate_database(url)
    engine = db.get_engine(url)
    store.upsert_bloggers(engine, small_sample.head(5))
    store.upsert_bloggers(engine, small_sample.iloc[5:8])
    assert len(store.load_bloggers(engine)) == 8
    engine.dispose()
    db._engines.pop(url, None)


def test_upsert_in_many_chunks_writes_every_row_once(engine, monkeypatch):
    """Rows become driver tuples one chunk at a time; the stored keys are counted in chunks too: the result
    is the same as in one chunk."""
    monkeypatch.setattr(store, "CHUNK", 7)
    res = store.upsert_bloggers(engine, _frame(50))
    assert (res.inserted, res.updated) == (50, 0)
    assert store.count_new(engine, _frame(30, start=40)) == (20, 10)
    res = store.upsert_bloggers(engine, _frame(30, start=40, followers=[5] * 30))
    assert (res.inserted, res.updated) == (20, 10)
    rows = _snapshot(engine)
    assert len(rows) == 70 and len({(p, h) for p, h, _, _ in rows}) == 70
    assert dict((h, f) for _, h, f, _ in rows)["user45"] == 5
    assert dict((h, f) for _, h, f, _ in rows)["user39"] == 40_000
    with engine.connect() as conn:
        dates = conn.execute(text("SELECT DISTINCT updated_at FROM blogger")).scalars().all()
    assert [str(d) for d in dates] == ["2026-01-15"]


def test_count_existing_reads_stored_keys_in_chunks(engine, monkeypatch):
    monkeypatch.setattr(store, "KEY_CHUNK", 7)
    store.upsert_bloggers(engine, _frame(250))
    other = _frame(3, platform=["tiktok"] * 3)  # same handles, another platform: new
    assert store.count_new(engine, pd.concat([_frame(5, start=248), other], ignore_index=True)) == (6, 2)


def test_migrations_build_exactly_the_models_tables(engine):
    """Every column a model declares exists after the migrations, with its type and nullability (a model
    changed without its migration fails here, on SQLite as on PostgreSQL)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == []


def test_a_blank_cell_in_a_new_file_never_erases_a_stored_figure(engine):
    store.upsert_bloggers(engine, _frame(2))
    upd = pd.DataFrame({"handle": ["user0", "user1"], "platform": ["instagram", "instagram"],
                        "followers": [None, 4321], "price_post": [None, 99.0]})
    store.upsert_bloggers(engine, upd)
    loaded = store.load_bloggers(engine).set_index("handle")
    before = _frame(2).set_index("handle")
    assert loaded.loc["user0", "followers"] == before.loc["user0", "followers"]  # kept: the new cell was blank
    assert loaded.loc["user0", "price_post"] == before.loc["user0", "price_post"]
    assert (loaded.loc["user1", "followers"], loaded.loc["user1", "price_post"]) == (4321, 99.0)


# ---- every bounded text column holds what is stored in it (PostgreSQL checks lengths, SQLite never did) ---------
def _vocabulary_fits() -> dict[tuple[str, str], tuple[str, ...]]:
    """Columns whose values come from a fixed set: the set (each value must fit its column's length)."""
    from planner.campaigns.goals import TARGET_KINDS
    from planner.core.schema import CURRENCIES, PLATFORMS
    from planner.estimates.benchmarks import REACH_SOURCES
    from planner.planning.plan import PRICE_SOURCES
    from planner.storage.models import (
        AUDIT_ACTIONS,
        AUDIT_OBJECTS,
        GOAL_TYPES,
        PLACEMENT_KINDS,
        PLACEMENT_STATUSES,
        ROLES,
    )
    return {
        ("blogger", "platform"): PLATFORMS, ("blogger", "currency"): tuple(CURRENCIES),
        ("blogger", "er_basis"): ("followers", "views"), ("placement", "platform"): PLATFORMS,
        ("placement", "kind"): PLACEMENT_KINDS, ("placement", "status"): PLACEMENT_STATUSES,
        ("placement", "price_source"): PRICE_SOURCES, ("placement", "reach_source"): REACH_SOURCES,
        ("campaign", "status"): ("draft", "planned", "running", "done"), ("campaign", "currency"): tuple(CURRENCIES),
        ("campaign", "primary_goal"): GOAL_TYPES, ("campaign", "roi_definition"): ("romi", "roas", "emv"),
        ("campaign", "sales_unit"): ("orders", "revenue"), ("campaign_goal", "kind"): tuple(TARGET_KINDS),
        ("membership", "role"): ROLES, ("audit_event", "action"): AUDIT_ACTIONS,
        ("audit_event", "object"): AUDIT_OBJECTS,
    }


# Columns whose values are cut (or checked) to the length before they are written: where.
CUT_TO_FIT = {
    ("workspace", "name"): "planner.storage.workspaces: a longer name is refused (NAME_LENGTH)",
    ("app_user", "email"): "planner.storage.workspaces.add_member: an address over 320 characters is refused",
    ("app_user", "name"): "planner.storage.workspaces: name[:200]",
    ("app_user", "subject"): "the OpenID Connect subject: at most 255 characters (OpenID Connect Core 1.0)",
    ("audit_event", "actor"): "planner.storage.audit.record: the user's e-mail [:320]",
    ("campaign", "name"): "planner.campaigns.saved.save_plan: name[:200]",
    ("campaign_scenario", "name"): "planner.campaigns.scenarios: a longer name is refused (scen.error.name)",
    ("column_mapping", "field"): "a field name of planner.core.schema",
    ("placement", "handle"): "a blogger's handle, within planner.core.schema's 200 characters",
    ("placement_result", "link"): "planner.campaigns.results.TEXT_LIMITS",
    ("placement_result", "notes"): "planner.campaigns.results.TEXT_LIMITS",
    ("placement_result", "source"): "planner.storage.results.upsert_results: source[:200]",
    ("sales_day", "region"): "planner.campaigns.results.read_sales: region[:100]",
    ("blogger", "source"): "planner.app.bloggers.import_list: 'import:<file name>'[:200]",
    ("stored_list", "name"): "planner.storage.lists.store_list: name[:300]",
    ("stored_list", "digest"): "a SHA-256 in hex", ("stored_brief", "fingerprint"): "a SHA-256 in hex",
}


def test_every_bounded_text_column_is_a_vocabulary_or_cut_to_fit():
    """A text column with a length is either a fixed vocabulary that fits it or a value the code cuts to it; any
    other text is unbounded (migration 0011: a pool's label, a package's format, a remembered header). A new
    bounded column fails here until it says which it is."""
    import sqlalchemy as sa
    from sqlmodel import SQLModel

    from planner.core.schema import FIELDS

    schema_cut = {("blogger", f.name) for f in FIELDS if f.max_length}  # the importer cuts to planner.core.schema
    vocabularies = _vocabulary_fits()
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            length = getattr(column.type, "length", None)
            if not isinstance(column.type, sa.String) or length is None:
                continue
            key = (table.name, column.name)
            assert key in vocabularies or key in CUT_TO_FIT or key in schema_cut, f"{key}: VARCHAR({length})"
            for value in vocabularies.get(key, ()):
                assert len(value) <= length, (key, value)
    assert {("placement", "pool"), ("placement", "format"), ("column_mapping", "source_header")}.isdisjoint(
        {(t.name, c.name) for t in SQLModel.metadata.sorted_tables for c in t.columns
         if getattr(c.type, "length", None) is not None})


def test_an_import_and_its_remembered_mapping_are_one_transaction(engine, monkeypatch):
    """The rows and the corrections of the mapping are written together: a failure in either writes neither."""
    from planner.app import bloggers as use
    from planner.ingest import preview

    pv = preview(b"Nick,platform,followers\nalpha,vk,100\n", "a.csv", overrides={"Nick": "handle"})
    before = _snapshot(engine)

    def broken(conn, corrections, workspace_id):
        raise RuntimeError("the mapping cannot be stored")

    monkeypatch.setattr(store, "_remember", broken)
    with pytest.raises(RuntimeError):
        use.import_list(engine, pv, filename="a.csv", corrections={"Nick": "handle"}, access=LOCAL)
    assert _snapshot(engine) == before and store.remembered_mapping(engine, access=LOCAL) == {}
    monkeypatch.undo()
    done = use.import_list(engine, pv, filename="a.csv", corrections={"N" * 400: "handle", "Nick": "handle"},
                           access=LOCAL)
    remembered = store.remembered_mapping(engine, access=LOCAL)
    assert done.inserted == 1 and remembered["N" * 400] == "handle"  # over the old 300


def test_the_head_read_from_the_files_is_alembics_and_a_database_at_it_skips_alembic(new_db_url, monkeypatch):
    """db.head_revision (the migration files read without Alembic) names Alembic's own head; a database already
    at it is opened without Alembic's upgrade, a fresh one is migrated by it."""
    from alembic import command
    from alembic.script import ScriptDirectory

    url = new_db_url("heads")
    engine = db.get_engine(url)
    assert db.head_revision() == ScriptDirectory.from_config(db.alembic_config(engine)).get_current_head()
    assert db.current_revision(engine) == db.head_revision()
    calls = []
    monkeypatch.setattr(command, "upgrade", lambda *a, **k: calls.append(a))
    db.migrate(engine)
    assert calls == []  # at the head: Alembic is not asked
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    db.migrate(engine)
    assert len(calls) == 1  # behind: Alembic upgrades
