"""`python -m planner bench load --clients websocket` end to end on a small list: two servers started, every session
answered with the Database page, in its language, with the count its link's filters give (the benchmark checks each
answer against the catalog), every figure present. No timing thresholds: the machine is shared and noisy; the
figures on a million bloggers are in the README."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import POSTGRES_SERVER, ROOT
from uibench import load

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

FIGURES = ("cold_first_run_s", "server_start_s", "warm_one_s", "warm_first_run_median_s", "warm_first_run_max_s",
           "first_run_median_s", "first_run_max_s", "server_peak_mib", "server_cpu_s_per_session",
           "server_cpu_s_per_render")


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_websocket_load_benchmark_checks_every_answer(database):
    """On SQLite, and with ``--database-url`` on PostgreSQL (a throw-away database made on the server, seeded and
    dropped): the same figures, every answer checked."""
    extra: list[str] = []
    if database == "postgresql":
        if not POSTGRES_SERVER:
            pytest.skip("PLANNER_TEST_POSTGRES is not set: no PostgreSQL server to run the benchmark on (.ci/run "
                        "starts one)")
        extra = ["--database-url", POSTGRES_SERVER]
    done = subprocess.run([sys.executable, "-m", "planner", "bench", "load", "--clients", "websocket", "--sessions",
                           "3", "--rows", "30000", *extra, "--json"], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    assert out["errors"] == 0 and out["other_errors"] == 0, (out["error_messages"], out["other_error_messages"])
    for key in FIGURES:
        assert isinstance(out[key], float) and out[key] > 0, (key, out[key])
    assert out["clients"] == "websocket" and out["sessions"] == 3 and len(out["load_avg_start"]) == 3
    assert out["database"] == database
    if database == "postgresql":  # the throw-away database is gone
        assert not _bench_databases()


def _bench_databases() -> list[str]:
    from sqlalchemy import create_engine, text

    from planner.storage import db
    admin = create_engine(db.database_url(POSTGRES_SERVER))
    try:
        with admin.connect() as conn:
            return list(conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'bench_load_%'"))
                        .scalars())
    finally:
        admin.dispose()


def test_the_database_url_must_name_a_postgresql_server(capsys):
    from tests.conftest import run_cli
    code, _out, err = run_cli(capsys, "bench", "load", "--clients", "websocket", "--database-url", "sqlite:///x.db")
    assert code != 0 and "PostgreSQL" in err
    code, _out, err = run_cli(capsys, "bench", "load", "--database-url", "postgresql://u@h/db")
    assert code != 0 and "--clients websocket" in err


def test_each_link_has_its_own_filters_and_the_check_refuses_a_wrong_answer():
    links = load.links(12)
    assert len(set(links)) == 12 and {"lang=en", "lang=ru"} <= {link.split("&")[0] for link in links}
    f = load._filters_of(links[1])
    assert f.platforms and f.niches and f.search
    from uibench.wsclient import PageRun

    good = PageRun(seconds=0.1, metrics=[("Найдено блогеров", "1\u202f234", "из 30\u202f000")], page_name="database")
    assert load._check(good, links[1], {links[1]: 1234}, 30_000) is None
    assert "1233" in load._check(good, links[1], {links[1]: 1233}, 30_000)  # another count than its filters give
    assert load._check(good, links[0], {}, 30_000)  # the count in Russian on an English link
    assert load._check(PageRun(seconds=0.1, metrics=good.metrics, page_name="plan"), links[1], {}, 30_000)
    assert load._check(PageRun(error="exception shown: ValueError"), links[1], {}, 30_000)
