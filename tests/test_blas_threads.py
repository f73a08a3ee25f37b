"""The planner runs BLAS on one thread (planner/__init__.py): numpy imported before it or after, and scipy's own
BLAS loaded later. Checked in fresh processes, since the setting is per process; a user's own setting is kept."""

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json
{first}
import scipy.linalg  # scipy's BLAS, loaded after the planner
from threadpoolctl import threadpool_info
print(json.dumps([i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]))
"""


def _threads(first: str, env: dict[str, str]) -> list[int]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(first=first)], env=env, capture_output=True,
                         text=True, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    env["PYTHONPATH"] = os.getcwd()
    return env


@pytest.mark.parametrize("first", ["import numpy\nimport planner", "import planner\nimport numpy",
                                   "import pandas\nimport planner.core.money"])
def test_one_blas_thread_whatever_was_imported_first(first: str) -> None:
    threads = _threads(first, _clean_env())
    assert threads, "no BLAS found"
    assert set(threads) == {1}


def test_a_users_own_setting_is_kept() -> None:
    env = _clean_env()
    env["OPENBLAS_NUM_THREADS"] = "2"
    threads = _threads("import planner\nimport numpy", env)
    assert threads and set(threads) == {2}
