"""One campaign, one truth: a plan made on a list, saved, then pitched tells the same figures; a kicked-out blogger
never comes back; a stored brief reads back whole."""

from __future__ import annotations

import pytest

from planner.planning.brief import Brief
from planner.storage.access import LOCAL
from tests.conftest import run_cli

TL = "20"


@pytest.fixture
def cli_db(new_db_url, tmp_path, monkeypatch):
    url = new_db_url("cli")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def list_file(tmp_path):
    from planner.ingest import sample
    path = tmp_path / "list300.csv"
    sample.generate(300, seed=11).to_csv(path, index=False)
    return path


def _plan(capsys, list_file, *extra):
    code, out, err = run_cli(capsys, "plan", "--budget", "400000", "--niche", "beauty", "--niche", "fashion",
                             "--niche-mode", "prefer", "--bloggers", str(list_file), "--time-limit", TL, "--json",
                             *extra)
    assert code == 0, err
    return out


def test_a_list_plan_saved_and_pitched_tells_the_same_figures(cli_db, capsys, list_file):
    from planner import campaigns
    from planner.reporting import pitch
    from planner.storage import db

    first = _plan(capsys, list_file)
    kicked = first["placements"][0]["handle"]  # the plan's largest placement, kicked out
    out = _plan(capsys, list_file, "--exclude", kicked, "--save", "List campaign")
    assert out["bloggers"]["kind"] == "upload" and out["bloggers"]["size"] == 300
    assert kicked not in {p["handle"] for p in out["placements"]}
    eng = db.get_engine()
    camp, placements = campaigns.load_campaign(eng, out["campaign_id"], access=LOCAL)
    brief = campaigns.campaign_brief(camp)
    assert brief == Brief.from_dict(out["brief"]) and brief.fingerprint() == out["brief_fingerprint"]
    assert brief.must_exclude and brief.bloggers.kind == "upload"

    p = pitch.build(eng, out["campaign_id"], time_limit=20, access=LOCAL)
    reach = out["unique_reach"]
    # the frontier's point at the plan's own weight is the plan (both solved to their gap target)
    own = p.frontier.loc[(p.frontier["w"] - brief.reach_weight).abs() < 1e-9].iloc[0]
    assert own["unique_reach"] == pytest.approx(reach, rel=0.01)
    # the budget curve at the plan's budget is the plan
    at_budget = p.budget_curve.loc[(p.budget_curve["budget"] - brief.budget).abs() < 1e-6]
    assert len(at_budget) == 1 and at_budget.iloc[0]["unique_reach"] == pytest.approx(reach, rel=0.01)
    # the pitch's totals are the saved plan's
    totals = {f.key: f.value for f in p.totals}
    assert totals["unique_reach"] == pytest.approx(reach, abs=0.5)  # the JSON rounds to whole people
    # the kicked-out blogger is nowhere: not in the plan, not among the backups
    assert ("@" + kicked) not in set(p.plan.frame["handle_label"])
    if p.backups is not None:
        assert ("@" + kicked) not in set(p.backups.frame.astype(str).to_numpy().ravel())
    # planned on the 300-row list, not the database (which here holds none of them)
    assert out["candidates"] > 0


def test_the_same_file_is_one_stored_list(cli_db, capsys, list_file):
    a = _plan(capsys, list_file)
    b = _plan(capsys, list_file)
    assert a["bloggers"]["digest"] == b["bloggers"]["digest"]
    assert a["brief_fingerprint"] == b["brief_fingerprint"]
    assert a["unique_reach"] == b["unique_reach"]


def _stored_lists():
    from sqlmodel import Session, select

    from planner.storage import db
    from planner.storage.models import StoredList
    with Session(db.get_engine()) as session:
        return [(r.id, r.digest) for r in session.exec(select(StoredList)).all()]


def test_a_refused_plan_on_a_file_leaves_no_stored_list(cli_db, capsys, list_file):
    """`plan --bloggers FILE` that exits 2 (here: a must-have blogger dearer than the budget) keeps nothing: the
    list it stored for its brief goes again; a list kept by an earlier run stays."""
    import pandas as pd
    handle = str(pd.read_csv(list_file)["handle"].iloc[0])
    code, out, err = run_cli(capsys, "plan", "--budget", "1", "--must", handle, "--bloggers", str(list_file),
                             "--time-limit", TL, "--json")
    assert code == 2 and "must" in out["error"], (out, err)
    assert _stored_lists() == []
    kept = _plan(capsys, list_file)  # the same file planned: its list is kept
    assert _stored_lists() == [(kept["brief"]["bloggers"]["list_id"], kept["bloggers"]["digest"])]
    code, out, _err = run_cli(capsys, "plan", "--budget", "1", "--must", handle, "--bloggers", str(list_file),
                              "--time-limit", TL, "--json")
    assert code == 2
    assert _stored_lists() == [(kept["brief"]["bloggers"]["list_id"], kept["bloggers"]["digest"])]  # not removed
