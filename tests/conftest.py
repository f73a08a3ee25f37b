"""Shared fixtures: a throw-away database per test, small synthetic data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PLANNER_NO_SAMPLE", "1")  # tests seed what they need


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def engine(db_url: str):
    from planner.storage import db
    eng = db.get_engine(db_url)
    yield eng
    eng.dispose()
    db._engines.pop(db_url, None)


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
def sample_app(tmp_path, monkeypatch):
    """A first start of the app: a throw-away database seeded with the shipped sample (bloggers and the finished
    sample campaign, its sales series with a control region); its URL."""
    from planner.storage import db
    monkeypatch.delenv("PLANNER_NO_SAMPLE", raising=False)
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    engine = db.get_engine(url)
    yield url
    engine.dispose()
    db._engines.pop(db.database_url(url), None)


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
