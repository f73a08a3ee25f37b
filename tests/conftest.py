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
