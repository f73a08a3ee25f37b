"""One engine per process from DATABASE_URL (default: a SQLite file under data/), sessions,
and migrations applied at start-up through Alembic.

``Engine`` is the engine's type for the layers above storage, which import neither SQLAlchemy nor SQLModel
(an import-linter contract): they pass an engine to planner.storage's functions and never open a session."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import event, func, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Engine as Engine  # re-exported: the type the layers above storage name
from sqlmodel import Session, create_engine

from planner.storage.models import DEFAULT_WORKSPACE_ID, Blogger, Workspace
from planner.storage.workspaces import ensure_local

if TYPE_CHECKING:
    from alembic.config import Config

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
DEFAULT_DB_PATH = DATA_DIR / "planner.db"
SAMPLE_CSV = DATA_DIR / "sample_bloggers.csv"
SAMPLE_CAMPAIGN = DATA_DIR / "sample_campaign.json"  # a finished campaign with results (the Results page's sample)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def database_url(url: str | None = None) -> str:
    url = url or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}"
    # Heroku-style URLs name the dialect "postgres"; SQLAlchemy wants "postgresql".
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):  # no driver named: use psycopg 3 (pinned in requirements)
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for a URL, created (and migrated) once."""
    url = database_url(url)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite"):
                path = url.split(":///", 1)[-1]
                if path and path != ":memory:":
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
            with _schema_lock(engine):
                migrate(engine)
                ensure_sample(engine)  # the app and the command line open a database the same way
            _engines[url] = engine
        return engine


@contextmanager
def _on_server(server_url: str) -> Iterator[Connection]:
    """A connection, outside any transaction, to the database ``server_url`` names on its PostgreSQL server: where
    other databases are created and dropped."""
    from sqlalchemy.pool import NullPool

    admin = create_engine(database_url(server_url), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            yield conn
    finally:
        admin.dispose()


def create_database(server_url: str, prefix: str = "planner_tmp_") -> str:
    """A new, empty database on the PostgreSQL server of ``server_url`` (whose own database is where the new one is
    created from); the new database's URL, with the same user, password, host and port. For throw-away databases:
    the tests', the benchmarks' and the replica tests' (:func:`drop_database` removes it)."""
    import uuid

    from sqlalchemy.engine import make_url

    name = f"{prefix}{uuid.uuid4().hex[:20]}"
    with _on_server(server_url) as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    """Drop the database of ``url`` (made by :func:`create_database` on ``server_url``'s server; its connections
    closed first), this process's engine of it, and the load and catalog snapshots kept for it under data/.cache."""
    import shutil

    from sqlalchemy.engine import make_url

    from planner.storage import store

    engine = _engines.pop(database_url(url), None)
    if engine is not None:
        engine.dispose()
    name = make_url(database_url(url)).database
    with _on_server(server_url) as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    probe = create_engine(database_url(url))  # never connects: only names the snapshot folder
    shutil.rmtree(store.snapshot_dir(probe), ignore_errors=True)
    probe.dispose()


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config  # Alembic only when a database is opened: importing Engine stays light

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[None]:
    """One process at a time migrates (and seeds) a database: two processes opening a fresh SQLite file at
    once would both create its tables. A file lock beside a SQLite file; PostgreSQL takes an advisory lock."""
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        if not path or path == ":memory:":
            yield
            return
        import fcntl

        with open(f"{path}.lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
    elif engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT pg_advisory_lock(727001)")
            try:
                yield
            finally:
                conn.exec_driver_sql("SELECT pg_advisory_unlock(727001)")
                conn.commit()
    else:
        yield


_REVISION = re.compile(r"^revision(?:\s*:[^=\n]*)?\s*=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=\n]*)?\s*=\s*(.+)$", re.M)


def head_revision() -> str | None:
    """The newest migration's id as Alembic finds it (the one revision no other migration names as its
    down_revision), read from the migration files without importing Alembic; None when that is not exactly one
    (a branch: Alembic decides). tests/test_store.py checks it against Alembic's own head."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev is None or down is None:
            return None
        revisions.add(rev.group(1))
        downs.update(re.findall(r"[\"']([^\"']+)[\"']", down.group(1)))
    heads = revisions - downs
    return next(iter(heads)) if len(heads) == 1 else None


def current_revision(engine: Engine) -> str | None:
    """The database's migration (Alembic's version table), or None (a fresh database, or more than one)."""
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    except Exception:  # noqa: BLE001 - no version table yet: a fresh database
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration and make sure the default workspace and the local user exist.
    A database already at the newest migration is not handed to Alembic (its import and check cost a command
    about 0.3 s)."""
    head = head_revision()
    if head is None or current_revision(engine) != head:
        from alembic import command

        command.upgrade(alembic_config(engine), "head")
    with Session(engine) as session:
        ensure_local(session)  # the default workspace "Local", owned by the local user on a fresh database
        session.commit()


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    with Session(engine or get_engine()) as session:
        yield session


def blogger_count(engine: Engine, workspace_id: int = DEFAULT_WORKSPACE_ID) -> int:
    with engine.connect() as conn:
        table = Blogger.__table__  # type: ignore[attr-defined]
        return int(conn.execute(select(func.count()).select_from(table).where(
            table.c.workspace_id == workspace_id)).scalar_one())


def has_table(engine: Engine, name: str) -> bool:
    return inspect(engine).has_table(name)


def ensure_sample(engine: Engine, workspace_id: int = DEFAULT_WORKSPACE_ID) -> int:
    """Seed a fresh database (no blogger ever written) with the shipped sample, on the first open by the app
    or the command line alike. A database whose bloggers were removed on purpose stays empty.
    ``PLANNER_NO_SAMPLE=1`` skips it. Returns rows written."""
    if os.environ.get("PLANNER_NO_SAMPLE") or not SAMPLE_CSV.exists():
        return 0
    with engine.connect() as conn:
        version = conn.execute(select(Workspace.bloggers_version)  # type: ignore[call-overload]
                               .where(Workspace.id == workspace_id)).scalar()
    if (version or 0) > 0 or blogger_count(engine, workspace_id) > 0:
        return 0
    from planner.storage import sample_campaign, store
    written = store.load_sample_csv(engine, SAMPLE_CSV, workspace_id=workspace_id)
    sample_campaign.load(engine, SAMPLE_CAMPAIGN, workspace_id=workspace_id)
    return written
