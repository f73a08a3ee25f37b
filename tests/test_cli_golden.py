"""The command line's JSON contracts, against golden files (tests/golden/*.json).

Each case runs ``python -m planner ... --json`` in-process (tests.conftest.run_cli) on a throw-away SQLite
database and on a small deterministic list of bloggers (planner.ingest.sample.generate(25, seed=2), dated
2025-01-15, written to CSV), and compares the JSON it prints with its golden file, which holds two things:

- ``shape``: the full key tree with each value's JSON type ("number", "string", "boolean", "null", "object",
  "array"; a list holds the union of its elements' shapes, "absent" marks a key that some elements lack);
- ``values``: the payload itself, every field compared exactly (numbers to 1e-9, relative), except the timings —
  ``seconds`` and every key ending in ``_s`` are stripped before comparing; their presence and type stay in the
  shape. Timings are never asserted.

Values that depend on the solver are compared only when the solve is certified: every plan here runs with a
generous ``--time-limit`` (120 s for solves that take about a second) and the test first asserts that its status is
"optimal" (a plan) or "optimal" / "gap_ok" (the sweep's points: certified within their gap target), never
"time_limit"; a run the deadline stopped would fail there, not on its figures.

Cases: ``plan`` (a file's bloggers: placements, costs, unique reach, the certificate, the brief), ``plan_mixed`` (a
product budget: barter and hybrid deals), ``barter`` (paid against barter against hybrid per blogger),
``scenarios_sweep`` (three budgets, P10/P50/P90 by a seeded Monte Carlo), and on a campaign saved with
``plan --save``: ``results_import`` (four placements' results and an unknown handle), ``goals`` and
``results_report``.

To regenerate the golden files after a deliberate change of a contract (then read the diff of tests/golden/)::

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_cli_golden.py

In that mode each case runs twice, on two fresh databases, and a golden file is written only when both runs agree
(a run that is not deterministic is never frozen).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
TIME_LIMIT = "120"  # generous: the solves here take about a second, so a certified status is never the deadline's
CERTIFIED = ("optimal", "gap_ok")  # "time_limit" and "gap_above_target" are not

# a small deterministic list: 25 bloggers of the sample generator; at a 60 000 ₽ budget the plan takes some of them
ROWS, SEED, AS_OF, BUDGET = 25, 2, date(2025, 1, 15), "60000"
BRIEF = ["--budget", BUDGET, "--bloggers", "{bloggers}", "--niche-mode", "prefer", "--time-limit", TIME_LIMIT]
CASES: dict[str, list[str]] = {
    "plan": ["plan", *BRIEF, "--json"],
    "plan_mixed": ["plan", *BRIEF, "--product-units", "5", "--product-cost", "800", "--retail", "3000", "--json"],
    "barter": ["barter", "--bloggers", "{bloggers}", "--product-cost", "800", "--retail", "3000",
               "--allow-estimated-prices", "--json"],
    "scenarios_sweep": ["scenarios", "sweep", *BRIEF, "--points", "3", "--samples", "200", "--seed", "0", "--json"],
}


# ---- shapes and stable values ----------------------------------------------------------------------------------
def _is_timing(key: str) -> bool:
    return key == "seconds" or key.endswith("_s")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    raise TypeError(f"not a JSON value: {value!r}")


def shape(value: Any) -> Any:
    """The key tree with JSON types: an object's keys with their shapes, a list's elements merged into one."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_merge([shape(v) for v in value])] if value else []
    return _kind(value)


def _merge(shapes: list[Any]) -> Any:
    if all(isinstance(s, dict) for s in shapes):
        keys = sorted({k for s in shapes for k in s})
        out = {}
        for k in keys:
            present = [s[k] for s in shapes if k in s]
            merged = _merge(present)
            out[k] = merged if len(present) == len(shapes) else _union([merged, "absent"])
        return out
    if all(isinstance(s, list) for s in shapes):
        inner = [x for s in shapes for x in s]
        return [_merge(inner)] if inner else []
    return _union(shapes)


def _union(shapes: list[Any]) -> str:
    names = {"object" if isinstance(s, dict) else "array" if isinstance(s, list) else s for s in shapes}
    return "|".join(sorted(n for part in names for n in part.split("|")))


def stable(value: Any) -> Any:
    """The payload without its timings (``seconds``, ``*_s``), at any depth."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if not _is_timing(k)}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def _diff(want: Any, got: Any, path: str = "$") -> Iterator[str]:
    """Where two JSON values differ (numbers equal to 1e-9, relative); one line per difference."""
    if isinstance(want, dict) and isinstance(got, dict):
        for k in sorted(set(want) | set(got)):
            if k not in got:
                yield f"{path}.{k}: missing (golden {json.dumps(want[k], ensure_ascii=False)[:80]})"
            elif k not in want:
                yield f"{path}.{k}: new (got {json.dumps(got[k], ensure_ascii=False)[:80]})"
            else:
                yield from _diff(want[k], got[k], f"{path}.{k}")
    elif isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            yield f"{path}: {len(got)} items, golden {len(want)}"
        for i, (w, g) in enumerate(zip(want, got, strict=False)):
            yield from _diff(w, g, f"{path}[{i}]")
    elif _kind_or_none(want) == "number" and _kind_or_none(got) == "number":
        if not math.isclose(want, got, rel_tol=1e-9, abs_tol=1e-9):
            yield f"{path}: {got!r}, golden {want!r}"
    elif want != got or type(want) is not type(got):  # True == 1 in Python, not in JSON
        yield f"{path}: {json.dumps(got, ensure_ascii=False)[:80]}, golden {json.dumps(want, ensure_ascii=False)[:80]}"


def _kind_or_none(value: Any) -> str | None:
    try:
        return _kind(value)
    except TypeError:
        return None


def check_golden(name: str, runs: list[dict[str, Any]]) -> None:
    """Compare the payload of ``runs[0]`` with tests/golden/NAME.json (shape, then values); with UPDATE_GOLDEN=1
    write the file instead, once the two runs agree."""
    path = GOLDEN / f"{name}.json"
    got = {"shape": shape(runs[0]), "values": stable(runs[0])}
    if UPDATE:
        assert len(runs) == 2, "UPDATE_GOLDEN=1 runs each case twice"
        again = {"shape": shape(runs[1]), "values": stable(runs[1])}
        differences = list(_diff(got, again))
        assert not differences, f"{name}: two runs disagree, nothing frozen:\n" + "\n".join(differences[:20])
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path}: UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_cli_golden.py"
    want = json.loads(path.read_text(encoding="utf-8"))
    differences = list(_diff(want["shape"], got["shape"], "shape"))
    assert not differences, f"{name}: the JSON's shape changed:\n" + "\n".join(differences[:30])
    differences = list(_diff(want["values"], got["values"], "values"))
    assert not differences, f"{name}: the JSON's values changed:\n" + "\n".join(differences[:30])


# ---- running the command line ----------------------------------------------------------------------------------
@pytest.fixture
def fresh_database(new_db_url, tmp_path, monkeypatch) -> Iterator[Callable[[str], Path]]:
    """A function that points DATABASE_URL at a new database (conftest.new_db_url: SQLite or PostgreSQL) and
    returns a new folder for the run's files (one per run); the engines are disposed of afterwards."""
    urls: list[str] = []

    def make(label: str) -> Path:
        folder = tmp_path / label
        folder.mkdir()
        url = new_db_url(f"golden_{label}")
        monkeypatch.setenv("DATABASE_URL", url)
        urls.append(url)
        return folder

    yield make
    from planner.storage import db
    for url in urls:
        engine = db._engines.pop(db.database_url(url), None)
        if engine is not None:
            engine.dispose()


def _bloggers_csv(folder: Path) -> Path:
    from planner.ingest import sample
    return sample.write_csv(sample.generate(ROWS, seed=SEED, as_of=AS_OF), folder / "bloggers.csv")


def _run_json(capsys, folder: Path, argv: list[str], **fill: str) -> dict[str, Any]:
    code, out, err = run_cli(capsys, *(a.format(**fill) for a in argv))
    assert code == 0, f"exit {code}: {err or out}"
    assert isinstance(out, dict), out
    # a path of this run's folder would differ from run to run
    return json.loads(json.dumps(out, ensure_ascii=False).replace(str(folder), "<tmp>"))


def _assert_certified(name: str, payload: dict[str, Any]) -> None:
    if name.startswith("plan"):
        statuses = [payload["status"]]
        assert payload["status"] == "optimal", f"{name}: not certified optimal ({payload['status_text']})"
    elif name == "scenarios_sweep":
        statuses = [payload["plan"]["status"], *(p["status"] for p in payload["points"])]
    else:
        return
    assert all(s in CERTIFIED for s in statuses), f"{name}: a solve was not certified: {statuses}"


def _runs(fresh_database, once: Callable[[Path], Any]) -> list[Any]:
    """One run on a fresh database; two with UPDATE_GOLDEN=1 (a golden file is frozen only when they agree)."""
    return [once(fresh_database(f"run{i}")) for i in range(2 if UPDATE else 1)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_contract(name, capsys, fresh_database):
    def once(folder: Path) -> dict[str, Any]:
        payload = _run_json(capsys, folder, CASES[name], bloggers=str(_bloggers_csv(folder)))
        _assert_certified(name, payload)
        return payload

    check_golden(name, _runs(fresh_database, once))


def test_results_report_contract(capsys, fresh_database):
    """A plan saved as a campaign (`plan --save`), results of four of its placements imported (and a row of a
    blogger not in it), goals set, then the report: each JSON against its golden file."""
    def once(folder: Path) -> dict[str, dict[str, Any]]:
        saved = _run_json(capsys, folder, ["plan", *BRIEF, "--save", "golden", "--json"],
                          bloggers=str(_bloggers_csv(folder)))
        _assert_certified("plan", saved)
        cid = str(saved["campaign_id"])
        lines = ["handle,platform,format,reach,likes,clicks,orders,revenue,published"]
        for i, p in enumerate(saved["placements"][:4]):
            lines.append(f"{p['handle']},{p['platform']},{p['format']},{10_000 * (i + 1)},{300 + 50 * i},"
                         f"{120 + 10 * i},{20 + 5 * i},{(20 + 5 * i) * 3000},2025-02-0{i + 1}")
        lines.append("nobody_here,instagram,post,1,1,1,1,1,2025-02-01")
        results_csv = folder / "results.csv"
        results_csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return {
            "results_import": _run_json(capsys, folder, ["results", "import", "--campaign", cid, str(results_csv),
                                                         "--json"]),
            "goals": _run_json(capsys, folder, ["goals", "--campaign", cid, "--goal", "orders=50", "--goal",
                                                "cost_per_order=5000", "--margin", "40", "--json"]),
            "results_report": _run_json(capsys, folder, ["results", "report", "--campaign", cid, "--json"]),
        }

    runs = _runs(fresh_database, once)
    for name in ("results_import", "goals", "results_report"):
        check_golden(name, [r[name] for r in runs])


# ---- the comparison itself -------------------------------------------------------------------------------------
def test_shape_and_diff_helpers():
    payload = {"a": [{"x": 1, "y": None}, {"x": 2.5}], "seconds": 0.3, "b": {"t_s": 1.0, "k": "v"}, "e": []}
    assert shape(payload) == {"a": [{"x": "number", "y": "absent|null"}], "seconds": "number",
                              "b": {"t_s": "number", "k": "string"}, "e": []}
    assert stable(payload) == {"a": [{"x": 1, "y": None}, {"x": 2.5}], "b": {"k": "v"}, "e": []}
    assert list(_diff({"n": 1.0, "s": "a"}, {"n": 1.0 + 1e-12, "s": "a"})) == []
    assert list(_diff({"n": 1.0}, {"n": 1.1})) == ["$.n: 1.1, golden 1.0"]
    assert list(_diff({"b": True}, {"b": 1})) == ["$.b: 1, golden true"]
    assert list(_diff({"l": [1, 2]}, {"l": [1]})) == ["$.l: 1 items, golden 2"]
    assert list(_diff({"k": 1}, {"j": 1})) == ["$.j: new (got 1)", "$.k: missing (golden 1)"]
