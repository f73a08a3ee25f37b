"""The report on a campaign that is still running: each placement's state (reported, published without results,
pending, did not publish) from its results, status, planned date and the campaign's window; totals over the reported
placements only; a projection (≈) of the whole campaign; no verdict before the results are in. Checked on random
half-finished campaigns as well as hand-made ones, and through the command line."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from planner.campaigns import goals as goals_mod
from planner.campaigns import report, results
from tests.conftest import run_cli

pytestmark = pytest.mark.database  # on SQLite and, with PLANNER_TEST_POSTGRES, on PostgreSQL

TODAY = date(2026, 12, 5)


def _row(i: int, *, status: str = "proposed", result: dict | None = None, due: date | None = None,
         cost: float = 10_000.0, reach: float = 20_000.0) -> dict:
    row = {"placement_id": i, "blogger_id": None, "handle": f"b{i}", "platform": "instagram", "format": "post",
           "kind": "paid", "status": status, "planned_cost": cost, "planned_product_cost": 0.0,
           "expected_reach": reach, "expected_posts": None, "planned_date": due, "has_result": result is not None,
           **{f: np.nan for f in results.RESULT_FIELDS}, "published_at": None, "link": None, "notes": None}
    row.update(result or {})
    return row


def test_three_of_sixty_three_reported_the_rest_waiting():
    rows = [_row(i, status="published", result={"reach": 15_000.0, "orders": 5.0, "revenue": 20_000.0})
            for i in range(3)]
    rows += [_row(i) for i in range(3, 63)]
    rep = report.compute(pd.DataFrame(rows), goals_mod.Goals(margin_pct=50.0), today=TODAY)
    assert rep.coverage == {"reported": 3, "published_without_results": 0, "pending": 60, "not_published": 0,
                            "planned": 63}
    t = rep.totals
    assert t["cost"] == 30_000 and t["revenue"] == 60_000 and t["orders"] == 15  # the three against their results
    assert t["roas"] == pytest.approx(2.0) and t["romi"] == pytest.approx(0.0)
    assert t["cost_per_order"] == pytest.approx(2_000)
    assert t["reach_error"] == pytest.approx(15_000 / 20_000 - 1)  # their forecast, not the whole plan's
    by = rep.bloggers.set_index("handle")
    assert (by.loc[[f"b{i}" for i in range(3, 63)], "verdict"] == "wait").all()
    assert not (by["verdict"] == "drop").any()
    pr = rep.projection
    assert pr is not None and pr["waiting"] == 60 and pr["cost"] == pytest.approx(63 * 10_000)
    assert pr["reach"] == pytest.approx(3 * 15_000 + 60 * 20_000)
    js = rep.to_json()
    assert js["coverage"]["reported"] == 3 and {b["state"] for b in js["bloggers"]} == {"reported", "pending"}


def test_no_results_at_all_says_waiting_not_drop():
    rep = report.compute(pd.DataFrame([_row(i) for i in range(5)]), goals_mod.Goals(), today=TODAY)
    assert rep.coverage["pending"] == 5 and set(rep.bloggers["verdict"]) == {"wait"}


def test_did_not_publish_only_when_its_date_or_the_window_passed_or_it_was_cancelled():
    rows = [_row(0, due=TODAY - timedelta(days=1)), _row(1, due=TODAY + timedelta(days=3)), _row(2),
            _row(3, status="cancelled"), _row(4, status="published"), _row(5, status="agreed", due=TODAY)]
    rep = report.compute(pd.DataFrame(rows), goals_mod.Goals(), today=TODAY)
    state = dict(zip(rep.bloggers["handle"], rep.bloggers["state"], strict=True))
    assert state == {"b0": "not_published", "b1": "pending", "b2": "pending", "b3": "not_published",
                     "b4": "published_without_results", "b5": "pending"}
    verdict = dict(zip(rep.bloggers["handle"], rep.bloggers["verdict"], strict=True))
    assert verdict["b0"] == verdict["b3"] == "drop" and verdict["b4"] == verdict["b1"] == "wait"
    # the campaign's window over: a placement without a date of its own did not publish either
    over = report.compute(pd.DataFrame(rows), goals_mod.Goals(window_start=TODAY - timedelta(days=30),
                                                              window_end=TODAY - timedelta(days=2)), today=TODAY)
    assert dict(zip(over.bloggers["handle"], over.bloggers["state"], strict=True))["b2"] == "not_published"


def test_a_finished_campaign_has_no_projection_and_counts_every_placement():
    rows = [_row(i, status="published", result={"reach": 1_000.0 * (i + 1), "orders": 1.0}) for i in range(4)]
    rep = report.compute(pd.DataFrame(rows), goals_mod.Goals(), today=TODAY)
    assert rep.projection is None and rep.coverage["reported"] == 4 and rep.totals["cost"] == 40_000
    assert rep.totals["reach"] == 10_000


@pytest.mark.parametrize("seed", range(25))
def test_random_half_finished_campaigns(seed):
    """Totals are the reported placements' sums; the states partition the plan; a waiting placement never gets a
    verdict; the projection adds the waiting placements' planned cost and forecast reach to the reported ones."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    rows = []
    for i in range(n):
        kind = rng.choice(["reported", "published", "pending", "late", "cancelled"])
        cost, reach = float(rng.integers(1, 100)) * 1_000, float(rng.integers(1, 100)) * 1_000
        if kind == "reported":
            rows.append(_row(i, status=str(rng.choice(["published", "agreed"])), cost=cost, reach=reach,
                             result={"reach": float(rng.integers(0, 100_000)), "orders": float(rng.integers(0, 20)),
                                     "cash_cost": cost * float(rng.uniform(0.8, 1.2))}))
        elif kind == "published":
            rows.append(_row(i, status="published", cost=cost, reach=reach))
        elif kind == "pending":
            rows.append(_row(i, status="agreed", due=TODAY + timedelta(days=int(rng.integers(0, 30))), cost=cost,
                             reach=reach))
        elif kind == "late":
            rows.append(_row(i, status="proposed", due=TODAY - timedelta(days=int(rng.integers(1, 30))), cost=cost,
                             reach=reach))
        else:
            rows.append(_row(i, status="cancelled", cost=cost, reach=reach))
    frame = pd.DataFrame(rows)
    rep = report.compute(frame, goals_mod.Goals(), today=TODAY)
    c = rep.coverage
    assert sum(c[s] for s in report.STATES) == c["planned"] == n
    p = frame.assign(state=report.placement_states(frame, None, TODAY))
    rep_rows = p[p["state"] == "reported"]
    want_cost = float(np.where(np.isfinite(rep_rows["cash_cost"]), rep_rows["cash_cost"],
                               rep_rows["planned_cost"]).sum())
    if len(rep_rows):
        assert rep.totals["cost"] == pytest.approx(want_cost)
        assert rep.totals["reach"] == pytest.approx(float(rep_rows["reach"].sum()))
    waiting = p[p["state"].isin(["pending", "published_without_results"])]
    assert set(rep.bloggers.loc[rep.bloggers["state"].isin(["pending", "published_without_results"]),
                                "verdict"]) <= {"wait"}
    if waiting.empty:
        assert rep.projection is None
    else:
        assert rep.projection is not None
        assert rep.projection["cost"] == pytest.approx(want_cost + float(waiting["planned_cost"].sum()))
        assert rep.projection["reach"] == pytest.approx(float(rep_rows["reach"].sum())
                                                        + float(waiting["expected_reach"].sum()))


def test_the_command_line_reports_the_cost_of_the_placements_with_results(new_db_url, capsys, tmp_path, monkeypatch):
    """A saved plan with results for two placements: `results report` counts those two's cost, says how many are
    reported, and tells nobody else to be dropped."""
    monkeypatch.setenv("DATABASE_URL", new_db_url("cli"))
    monkeypatch.setenv("PLANNER_NO_SAMPLE", "1")
    code, out, err = run_cli(capsys, "sample", "--rows", "300", "--out", str(tmp_path / "b.csv"))
    assert code == 0, err
    code, out, err = run_cli(capsys, "import", str(tmp_path / "b.csv"))
    assert code == 0, err
    code, saved, err = run_cli(capsys, "plan", "--budget", "1500000", "--allow-estimated-prices", "--time-limit", "5",
                               "--save", "Running", "--json")
    assert code == 0, err
    first, second = saved["placements"][:2]
    (tmp_path / "r.csv").write_text("handle;platform;orders;revenue;cash paid\n"
                                    f"{first['handle']};{first['platform']};3;9000;{first['cost']}\n"
                                    f"{second['handle']};{second['platform']};1;2000;{second['cost']}\n")
    code, out, err = run_cli(capsys, "results", "import", "--campaign", str(saved["campaign_id"]),
                             str(tmp_path / "r.csv"), "--json")
    assert code == 0 and out["matched"] == 2, (err, out)
    code, rep, err = run_cli(capsys, "results", "report", "--campaign", str(saved["campaign_id"]), "--json")
    assert code == 0, err
    n = len(saved["placements"])
    assert rep["coverage"]["reported"] == 2 and rep["coverage"]["planned"] == n
    assert rep["totals"]["cost"] == pytest.approx(first["cost"] + second["cost"], abs=1)
    assert all(b["verdict"] == "wait" for b in rep["bloggers"] if b["state"] not in ("reported", "not_published"))
    assert sum(b["state"] == "reported" for b in rep["bloggers"]) == 2
    assert rep["projection"]["cost"] == pytest.approx(saved["total_cost"], rel=1e-6)
