"""Shared fixtures: a throw-away database per test, small synthetic data.

The database a test gets (``db_url``, ``new_db_url``, ``engine``, ``sample_app``): a SQLite file under the test's
tmp_path, or a database of its own on a PostgreSQL server, created before the test and dropped after it:

- ``DATABASE_URL=postgresql://USER@HOST:PORT/DB pytest ...``: every test on that server (one database per test);
- ``PLANNER_TEST_POSTGRES=postgresql://...`` (what .ci/run sets): the tests marked ``database`` (storage, the
  command line, import, results) run twice, on SQLite and on that server, the others on SQLite;
- neither: SQLite.

DATABASE_URL is removed from the environment for the tests (each sets its own), so a test never touches the
developer's database. Engines a test opens are disposed after it (a PostgreSQL server has few connection slots)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PLANNER_NO_SAMPLE", "1")  # tests seed what they need
os.environ.setdefault("PLANNER_NO_PREBUILD", "1")  # pitches are built ahead only where a test asks (pages.common)
os.environ.setdefault("PLANNER_PLAN_QUICK_S", "0")  # a page solves with its whole deadline at once (planner.app.refine)
_START_URL = os.environ.pop("DATABASE_URL", "")
ALL_ON_POSTGRES = _START_URL.startswith(("postgresql", "postgres:"))
POSTGRES_SERVER = _START_URL if ALL_ON_POSTGRES else os.environ.get("PLANNER_TEST_POSTGRES", "")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "database: runs on PostgreSQL too when PLANNER_TEST_POSTGRES names a server")


def pytest_generate_tests(metafunc) -> None:
    """A test marked ``database`` that asks for a database runs on SQLite and on PLANNER_TEST_POSTGRES's server."""
    if ("db_backend" in metafunc.fixturenames and POSTGRES_SERVER and not ALL_ON_POSTGRES
            and metafunc.definition.get_closest_marker("database")):
        metafunc.parametrize("db_backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def db_backend(request) -> str:
    """"sqlite" or "postgresql": the kind of database this test's ``db_url`` and ``new_db_url`` give."""
    return getattr(request, "param", "postgresql" if ALL_ON_POSTGRES else "sqlite")


_ADMIN: list = []  # one engine on the server's own database, to create and drop the tests' databases


def _admin():
    if not _ADMIN:
        from sqlalchemy import create_engine

        from planner.storage import db
        _ADMIN.append(create_engine(db.database_url(POSTGRES_SERVER), isolation_level="AUTOCOMMIT",
                                    pool_size=1, max_overflow=0))
    return _ADMIN[0]


def _forget_engine(url: str) -> None:
    """Dispose the cached engine of ``url`` (its pooled connections closed) and drop it from the cache."""
    from planner.storage import db
    engine = db._engines.pop(db.database_url(url), None)
    if engine is not None:
        engine.dispose()


@pytest.fixture
def new_db_url(db_backend: str, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """A factory of fresh, empty databases for this test (``name`` tells them apart): SQLite files under tmp_path,
    or databases of their own on the PostgreSQL server, dropped after the test."""
    from planner.storage import db

    made: list[tuple[str, bool]] = []  # (url, on the PostgreSQL server)

    def make(name: str = "test") -> str:
        if db_backend == "sqlite":
            url = f"sqlite:///{tmp_path / f'{name}.db'}"
            made.append((url, False))
            return url
        url = db.create_database(POSTGRES_SERVER, prefix="t_")
        made.append((url, True))
        return url

    yield make
    for url, on_server in made:
        _forget_engine(url)
        if on_server:
            db.drop_database(POSTGRES_SERVER, url)  # its snapshots under data/.cache/ too


def recreate_database(url: str) -> None:
    """The same address, a new empty database: a SQLite file deleted, a PostgreSQL database dropped and created
    again under its name (what a test of "a new database at the same place" needs on either)."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    _forget_engine(url)
    if not on_postgres(url):
        Path(url.removeprefix("sqlite:///")).unlink()
        return
    database = make_url(url).database
    with _admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))


@pytest.fixture
def db_url(new_db_url: Callable[[str], str]) -> str:
    return new_db_url("test")


@pytest.fixture
def engine(db_url: str):
    from planner.storage import db
    eng = db.get_engine(db_url)
    yield eng
    _forget_engine(db_url)


@pytest.fixture(autouse=True)
def _dispose_engines() -> Iterator[None]:
    """Engines a test opened (db.get_engine caches one per URL for the process) are disposed after it."""
    from planner.storage import db
    before = set(db._engines)
    yield
    for url in set(db._engines) - before:
        _forget_engine(url)


def on_postgres(url: str) -> bool:
    return url.startswith(("postgresql", "postgres:"))


@pytest.fixture(scope="session")
def small_sample():
    from planner.ingest import sample
    return sample.generate(400, seed=7)


# ---- AppTest helpers shared by the page tests ------------------------------------------------------------------
def app_test(lang: str = "en", timeout: float = 60, **params: str):
    """The app (its router) as a new visitor opens it: ``?lang=`` and any other query parameters set."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    return at


@contextlib.contextmanager
def pitch_world(tmp_path_factory, folder: str, campaign: str) -> Iterator[dict]:
    """The pitch tests' database: a first start of its own (the shipped sample: bloggers and the finished sample
    campaign) and the Plan page's kind of brief planned and saved as ``campaign``. Yields ``url``, ``engine``,
    ``bloggers`` (enriched), ``brief``, ``result``, ``plan_id`` and ``sample_id``; the engine is let go after."""
    from planner import campaigns
    from planner.estimates import metrics
    from planner.planning import plan
    from planner.storage import db, store
    from planner.storage.access import LOCAL

    url = f"sqlite:///{tmp_path_factory.mktemp(folder) / 'pitch.db'}"
    with pytest.MonkeyPatch.context() as mp:  # a first start: the shipped sample is loaded
        mp.delenv("PLANNER_NO_SAMPLE", raising=False)
        engine = db.get_engine(url)
    bloggers = metrics.enrich(store.load_bloggers(engine))
    brief = plan.Brief(budget=400_000, niches=("beauty",), countries=("RU",), gender="female",
                       ages=("18_24", "25_34"), reach_weight=0.5)
    cands = plan.build_candidates(bloggers, brief)
    result = plan.describe(cands, plan.solve(cands, brief, time_limit=60), brief, bloggers)
    plan_id = campaigns.save_plan(engine, campaign, result, access=LOCAL)
    sample_id = int(campaigns.list_campaigns(engine, access=LOCAL).set_index("name").loc[
        "Sample: autumn serum launch (finished)", "id"])
    try:
        yield {"url": url, "engine": engine, "bloggers": bloggers, "brief": brief, "result": result,
               "plan_id": plan_id, "sample_id": sample_id}
    finally:
        engine.dispose()
        db._engines.pop(db.database_url(url), None)


def open_tab(at, key: str, text_key: str, lang: str = "en"):
    """Open a page's tab that is drawn only while open (``st.tabs(..., key=key, on_change="rerun")``), as a click
    on it does: the tab's label in the page's language (i18n ``text_key``) set and the page run again."""
    from planner.core.i18n import TEXT

    at.session_state[key] = TEXT[text_key][lang]
    return at.run()


def open_expander(at, key: str):
    """Open a page's expander that is drawn only while open (``st.expander(..., key=key, on_change="rerun")``), as
    a click on it does: its state set and the page run again."""
    at.session_state[key] = True
    return at.run()


def shown_texts(at) -> list[str]:
    """Every text a page shows: titles, headers, Markdown, captions, alerts, widget labels and metric labels."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out.extend(str(e.value) for e in getattr(at, kind))
    for kind in ("button", "checkbox", "toggle", "selectbox", "multiselect", "slider", "number_input", "text_input",
                 "radio", "expander", "tabs"):
        out.extend(str(getattr(e, "label", "")) for e in getattr(at, kind))
    out.extend(str(m.label) for m in at.metric)
    return [o for o in out if o]


# ---- the command line ------------------------------------------------------------------------------------------
def run_cli(capsys, *argv):
    """``python -m planner ARGV`` in-process: (exit code, parsed JSON or the printed text, stderr)."""
    import json

    from planner.__main__ import main
    code = main(list(argv))
    out, err = capsys.readouterr()
    try:
        return code, json.loads(out), err
    except json.JSONDecodeError:
        return code, out, err


@pytest.fixture
def sample_app(new_db_url, monkeypatch):
    """A first start of the app: a throw-away database seeded with the shipped sample (bloggers and the finished
    sample campaign, its sales series with a control region); its URL."""
    from planner.storage import db
    monkeypatch.delenv("PLANNER_NO_SAMPLE", raising=False)
    url = new_db_url("app")
    monkeypatch.setenv("DATABASE_URL", url)
    db.get_engine(url)
    yield url
    _forget_engine(url)


# ---- the database's state ---------------------------------------------------------------------------------------
def database_digest(url: str) -> str:
    """What "nothing was written" compares: every table's rows (sorted), read through a throw-away engine, on
    SQLite and PostgreSQL alike; on SQLite the file's bytes too (a refusal leaves the file byte-identical)."""
    import hashlib

    from sqlalchemy import MetaData, create_engine, select

    from planner.storage import db

    digest = hashlib.sha256()
    url = db.database_url(url)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        digest.update(path.read_bytes() if path.exists() else b"")
    eng = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(eng)
        with eng.connect() as conn:
            for name in sorted(meta.tables):
                digest.update(name.encode())
                for row in sorted(repr(tuple(r)) for r in conn.execute(select(meta.tables[name]))):
                    digest.update(row.encode())
    finally:
        eng.dispose()
    return digest.hexdigest()
