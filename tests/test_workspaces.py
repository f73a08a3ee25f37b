"""Workspaces, members and roles, and the audit trail (issue 20), on SQLite and, with PLANNER_TEST_POSTGRES, on
PostgreSQL: a second workspace's campaigns, placements, goals, results, sales series, scenarios, lists, briefs and
remembered mappings are neither listed, read, changed nor deleted, by any storage function and any command; a
viewer reads, a planner also saves, an owner also deletes and manages members; every create, change and delete of
a campaign, its goals or its results leaves an audit event in its own transaction; migration 0012 goes up and
down."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner.storage import access as acc
from planner.storage import audit, db, goals, lists, results, scenarios, store, workspaces
from planner.storage import campaigns as repo
from planner.storage.access import Forbidden
from planner.storage.campaigns import CampaignNotFound
from tests.conftest import database_digest, run_cli

pytestmark = pytest.mark.database

PLACEMENTS = [
    {"handle": "anna", "platform": "instagram", "format": "post", "kind": "paid", "status": "proposed",
     "cost": 10_000.0, "expected_reach": 20_000.0},
    {"handle": "bob", "platform": "telegram", "format": "post", "kind": "paid", "status": "proposed",
     "cost": 5_000.0, "expected_reach": 8_000.0},
]
BRIEF = {"budget": 100_000.0, "currency": "RUB"}
RESULTS_CSV = "handle;platform;reach;orders;revenue\nanna;instagram;20000;60;180000\nbob;telegram;5000;30;90000\n"
SALES_CSV = "date,sales\n" + "\n".join(f"2026-03-{d:02d},{100 + d}" for d in range(1, 29)) + "\n"


@dataclasses.dataclass
class World:
    url: str
    engine: Any
    a: acc.Access  # the local owner in "Local"
    b: acc.Access  # the local owner in "Acme"
    cid_a: int  # Local's campaign, with goals, results, a sales series and a scenario
    cid_b: int  # Acme's campaign
    pid_a: int  # a placement of Local's campaign
    sid_a: int  # Local's saved scenario
    list_a: tuple[int, str]  # Local's stored list (id, digest)
    brief_a: str  # Local's stored brief's fingerprint
    tmp: Path


def _campaign(engine, access, name: str) -> int:
    return repo.create_campaign(engine, {"name": name, "currency": "RUB", "budget": 100_000.0, "brief": BRIEF},
                                [dict(p) for p in PLACEMENTS], access=access)


@pytest.fixture
def world(new_db_url, monkeypatch, tmp_path, small_sample) -> World:
    url = new_db_url("ws")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("PLANNER_USER", raising=False)
    engine = db.get_engine(url)
    a = acc.resolve(engine)
    b = workspaces.create_workspace(engine, "Acme")
    store.upsert_bloggers(engine, small_sample, source="sample")
    store.upsert_bloggers(engine, small_sample.head(40), source="sample", workspace_id=b.workspace_id)
    store.remember_mapping(engine, {"Ник": "handle"}, access=a)
    cid_a, cid_b = _campaign(engine, a, "Local's launch"), _campaign(engine, b, "Acme's launch")
    pid_a = int(results.placement_results(engine, cid_a, access=a)[0][0].id or 0)
    goals.save_goals(engine, cid_a, goals.StoredGoals(targets=(("orders", 50.0),), margin_pct=40.0), access=a)
    results.upsert_results(engine, cid_a, [(pid_a, {"reach": 1000.0, "orders": 5.0})], source="test", access=a)
    results.replace_sales(engine, cid_a, [(date(2026, 3, d), "", False, 10.0 + d) for d in range(1, 8)],
                          unit="orders", access=a)
    sid_a = scenarios.upsert_scenario(engine, cid_a, "Base", scenario={"brief": BRIEF}, totals={"cost": 1.0},
                                      placements=[], curve=[], access=a)
    list_id, digest, _ = lists.store_list(engine, [{"id": 1, "handle": "anna", "platform": "instagram"}],
                                          name="mine", access=a)
    lists.store_brief(engine, "f" * 32, BRIEF, access=a)
    files = tmp_path / "files"  # the commands' files, apart from the database's
    files.mkdir()
    return World(url=url, engine=engine, a=a, b=b, cid_a=cid_a, cid_b=cid_b, pid_a=pid_a, sid_a=sid_a,
                 list_a=(list_id, digest), brief_a="f" * 32, tmp=files)


# ---- the storage layer: another workspace's objects do not exist here -------------------------------------------
def _not_found(call):
    def check(w: World) -> None:
        with pytest.raises((CampaignNotFound, lists.ListNotFound)):
            call(w)
    return check


STORAGE_CALLS = {
    # campaigns and placements
    "get_campaign": _not_found(lambda w: repo.get_campaign(w.engine, w.cid_a, access=w.b)),
    "load_campaign": _not_found(lambda w: repo.load_campaign(w.engine, w.cid_a, access=w.b)),
    "set_statuses": _not_found(lambda w: repo.set_statuses(w.engine, w.cid_a, {w.pid_a: "agreed"}, access=w.b)),
    "delete_campaign": lambda w: _is(repo.delete_campaign(w.engine, w.cid_a, access=w.b), False),
    "list_campaigns": lambda w: _is(set(repo.list_campaigns(w.engine, access=w.b)["id"]), {w.cid_b}),
    # goals
    "load_goals": _not_found(lambda w: goals.load_goals(w.engine, w.cid_a, access=w.b)),
    "save_goals": _not_found(lambda w: goals.save_goals(w.engine, w.cid_a, goals.StoredGoals(), access=w.b)),
    # results and sales series
    "placement_results": _not_found(lambda w: results.placement_results(w.engine, w.cid_a, access=w.b)),
    "upsert_results": _not_found(lambda w: results.upsert_results(
        w.engine, w.cid_a, [(w.pid_a, {"orders": 99.0})], source="x", access=w.b)),
    "upsert_results dry run": _not_found(lambda w: results.upsert_results(
        w.engine, w.cid_a, [(w.pid_a, {"orders": 99.0})], source="x", access=w.b, dry_run=True)),
    "upsert_results into its own campaign, another's placement": lambda w: _raises(KeyError, lambda: (
        results.upsert_results(w.engine, w.cid_b, [(w.pid_a, {"orders": 99.0})], source="x", access=w.b))),
    "results_version": _not_found(lambda w: results.results_version(w.engine, w.cid_a, access=w.b)),
    "replace_sales": _not_found(lambda w: results.replace_sales(w.engine, w.cid_a, [], access=w.b)),
    "load_sales": _not_found(lambda w: results.load_sales(w.engine, w.cid_a, access=w.b)),
    "campaigns_with_results": lambda w: _is(results.campaigns_with_results(w.engine, access=w.b), set()),
    # scenarios
    "upsert_scenario": _not_found(lambda w: scenarios.upsert_scenario(
        w.engine, w.cid_a, "Base", scenario={}, totals={}, placements=[], curve=[], access=w.b)),
    "list_scenarios": _not_found(lambda w: scenarios.list_scenarios(w.engine, w.cid_a, access=w.b)),
    "get_scenario": lambda w: _is(scenarios.get_scenario(w.engine, w.sid_a, access=w.b), None),
    "get_scenario_by_name": _not_found(lambda w: scenarios.get_scenario_by_name(w.engine, w.cid_a, "Base",
                                                                                access=w.b)),
    "delete_scenario": lambda w: _is(scenarios.delete_scenario(w.engine, w.sid_a, access=w.b), False),
    # stored lists and briefs
    "load_list": _not_found(lambda w: lists.load_list(w.engine, *w.list_a, access=w.b)),
    "delete_list": lambda w: _is(lists.delete_list(w.engine, *w.list_a, access=w.b), False),
    "load_brief": lambda w: _is(lists.load_brief(w.engine, w.brief_a, access=w.b), None),
    # remembered column mappings
    "remembered_mapping": lambda w: _is(store.remembered_mapping(w.engine, access=w.b), {}),
    # the audit trail and the members
    "audit trail": lambda w: _is({e for e in audit.trail(w.engine, access=w.b)["campaign_id"] if e is not None},
                                 {w.cid_b}),
    "audit has_events": lambda w: _is(audit.has_events(w.engine, w.cid_a, access=w.b), False),
}


def _is(value, expected) -> None:
    assert value == expected


def _raises(kind, call) -> None:
    with pytest.raises(kind):
        call()


@pytest.mark.parametrize("name", list(STORAGE_CALLS))
def test_no_storage_function_reaches_another_workspace(world, name):
    before = database_digest(world.url)
    STORAGE_CALLS[name](world)
    assert database_digest(world.url) == before  # nothing read from it was changed, nothing written into it
    # and its owner still has it all
    camp, placements = repo.load_campaign(world.engine, world.cid_a, access=world.a)
    assert camp.name == "Local's launch" and len(placements) == 2
    assert goals.load_goals(world.engine, world.cid_a, access=world.a).targets == (("orders", 50.0),)
    assert scenarios.get_scenario(world.engine, world.sid_a, access=world.a) is not None


def test_a_campaign_id_is_only_found_in_its_workspace(world):
    """Each workspace reads its own, and an id that is no whole number names nothing."""
    assert repo.get_campaign(world.engine, world.cid_b, access=world.b).name == "Acme's launch"
    assert set(repo.list_campaigns(world.engine, access=world.a)["id"]) == {world.cid_a}
    with pytest.raises(CampaignNotFound, match=f"no campaign {world.cid_b} in workspace Local"):
        repo.get_campaign(world.engine, world.cid_b, access=world.a)
    with pytest.raises(CampaignNotFound):
        repo.get_campaign(world.engine, "abc", access=world.a)  # type: ignore[arg-type]
    # a brief stored under the same fingerprint in another workspace is that workspace's own
    lists.store_brief(world.engine, world.brief_a, {"budget": 5.0}, access=world.b)
    assert lists.load_brief(world.engine, world.brief_a, access=world.a) == BRIEF
    assert lists.load_brief(world.engine, world.brief_a, access=world.b) == {"budget": 5.0}


def test_the_layers_above_storage_take_the_workspace_too(world):
    """The domain and the use cases pass the workspace down: another workspace's campaign is not found there
    either (the pitch, the report, the barter comparison, a brief's uploaded list)."""
    from planner.app import barter as use_barter
    from planner.app import pitch as use_pitch
    from planner.app import results as use_results
    from planner.campaigns import goals as goals_mod
    from planner.campaigns import lists as list_mod
    from planner.planning.brief import BloggerList, Brief, BriefError
    with pytest.raises(goals_mod.GoalError):
        use_results.report(world.engine, world.cid_a, access=world.b)
    with pytest.raises(use_pitch.PitchError):
        use_pitch.file_names(world.engine, world.cid_a, access=world.b)
    with pytest.raises(use_barter.BarterSourceError):
        use_barter.campaign_currency(world.engine, world.cid_a, access=world.b)
    upload = BloggerList(kind="upload", list_id=world.list_a[0], digest=world.list_a[1], label="mine", size=1)
    with pytest.raises(BriefError):
        list_mod.bloggers_for(world.engine, Brief(budget=1.0, bloggers=upload), access=world.b)
    assert len(list_mod.bloggers_for(world.engine, Brief(budget=1.0, bloggers=upload), access=world.a)) == 1
    # each workspace plans on its own bloggers
    assert len(list_mod.bloggers_for(world.engine, Brief(budget=1.0), access=world.b)) == 40
    assert len(list_mod.bloggers_for(world.engine, Brief(budget=1.0), access=world.a)) == 400


# ---- roles ---------------------------------------------------------------------------------------------------------
def _member(world: World, email: str, role: str) -> acc.Access:
    workspaces.add_member(world.engine, email, role, access=world.a)
    return acc.resolve(world.engine, user=email, workspace="Local")


WRITES = {  # what a planner may do (and a viewer may not)
    "create_campaign": lambda w, x: _campaign(w.engine, x, "Another"),
    "set_statuses": lambda w, x: repo.set_statuses(w.engine, w.cid_a, {w.pid_a: "agreed"}, access=x),
    "save_goals": lambda w, x: goals.save_goals(w.engine, w.cid_a, goals.StoredGoals(), access=x),
    "upsert_results": lambda w, x: results.upsert_results(w.engine, w.cid_a, [(w.pid_a, {"orders": 9.0})],
                                                          source="x", access=x),
    "replace_sales": lambda w, x: results.replace_sales(w.engine, w.cid_a, [], access=x),
    "upsert_scenario": lambda w, x: scenarios.upsert_scenario(w.engine, w.cid_a, "New", scenario={}, totals={},
                                                              placements=[], curve=[], access=x),
    "store_list": lambda w, x: lists.store_list(w.engine, [{"id": 2, "handle": "b"}], access=x),
    "remember_mapping": lambda w, x: store.remember_mapping(w.engine, {"Цена": "price_post"}, access=x),
    "import bloggers": lambda w, x: store.upsert_bloggers(w.engine, _one_blogger(), access=x,
                                                          remember={"Ник": "handle"}),
}
DELETES = {  # what an owner may do (and a planner may not)
    "delete_campaign": lambda w, x: repo.delete_campaign(w.engine, w.cid_a, access=x),
    "delete_scenario": lambda w, x: scenarios.delete_scenario(w.engine, w.sid_a, access=x),
    "delete bloggers": lambda w, x: store.delete_bloggers(w.engine, source="sample", access=x),
    "add_member": lambda w, x: workspaces.add_member(w.engine, "new@agency.test", "viewer", access=x),
    "remove_member": lambda w, x: workspaces.remove_member(w.engine, "someone@agency.test", access=x),
}


def _one_blogger():
    import pandas as pd
    return pd.DataFrame({"handle": ["zed"], "platform": ["vk"], "followers": [1000]})


@pytest.mark.parametrize("name", list(WRITES) + list(DELETES))
def test_a_viewer_reads_and_writes_nothing(world, name):
    viewer = _member(world, "viewer@agency.test", "viewer")
    assert viewer.role == "viewer" and not viewer.can("planner")
    assert repo.load_campaign(world.engine, world.cid_a, access=viewer)[0].name == "Local's launch"
    assert goals.load_goals(world.engine, world.cid_a, access=viewer).targets == (("orders", 50.0),)
    assert not results.load_sales(world.engine, world.cid_a, access=viewer).empty
    before = database_digest(world.url)
    with pytest.raises(Forbidden, match="viewer@agency.test is a viewer in workspace Local"):
        {**WRITES, **DELETES}[name](world, viewer)
    assert database_digest(world.url) == before


@pytest.mark.parametrize("name", list(WRITES))
def test_a_planner_plans_saves_and_imports(world, name):
    planner = _member(world, "planner@agency.test", "planner")
    WRITES[name](world, planner)


@pytest.mark.parametrize("name", list(DELETES))
def test_a_planner_deletes_nothing_and_manages_no_member(world, name):
    planner = _member(world, "planner@agency.test", "planner")
    before = database_digest(world.url)
    with pytest.raises(Forbidden, match="needs the owner role"):
        DELETES[name](world, planner)
    assert database_digest(world.url) == before


@pytest.mark.parametrize("name", list(DELETES))
def test_an_owner_deletes_and_manages_members(world, name):
    owner = _member(world, "boss@agency.test", "owner")
    workspaces.add_member(world.engine, "someone@agency.test", "viewer", access=owner)
    DELETES[name](world, owner)


def test_members_and_their_roles(world):
    owner = world.a
    member, before = workspaces.add_member(world.engine, "Ann@Agency.test", "viewer", access=owner, name="Ann")
    assert (member.email, member.role, before) == ("ann@agency.test", "viewer", None)
    assert workspaces.add_member(world.engine, "ann@agency.test", "planner", access=owner)[1] == "viewer"
    assert [(m.email, m.role) for m in workspaces.members(world.engine, access=owner)] == [
        ("local@localhost", "owner"), ("ann@agency.test", "planner")]
    # Ann sees Local only; Acme's members are Acme's
    assert [w.name for w in workspaces.list_workspaces(world.engine, user="ann@agency.test")] == ["Local"]
    assert [m.email for m in workspaces.members(world.engine, access=world.b)] == ["local@localhost"]
    with pytest.raises(acc.NoWorkspace):
        acc.resolve(world.engine, user="ann@agency.test", workspace="Acme")
    with pytest.raises(acc.NoWorkspace):  # no such workspace: the same answer as "not a member"
        acc.resolve(world.engine, user="ann@agency.test", workspace="Nope")
    # a workspace keeps an owner
    with pytest.raises(workspaces.WorkspaceError, match="last owner"):
        workspaces.add_member(world.engine, "local@localhost", "viewer", access=owner)
    with pytest.raises(workspaces.WorkspaceError, match="last owner"):
        workspaces.remove_member(world.engine, "local@localhost", access=owner)
    with pytest.raises(workspaces.WorkspaceError):
        workspaces.add_member(world.engine, "not an address", "viewer", access=owner)
    assert workspaces.remove_member(world.engine, "ann@agency.test", access=owner) is True
    assert workspaces.remove_member(world.engine, "ann@agency.test", access=owner) is False
    with pytest.raises(acc.NoWorkspace):
        acc.resolve(world.engine, user="ann@agency.test", workspace="Local")


def test_workspace_names(world):
    for bad in ("", "   ", "123", "x" * 201, "acme"):  # blank, a number, too long, taken (whatever the case)
        with pytest.raises(workspaces.WorkspaceError):
            workspaces.create_workspace(world.engine, bad)
    made = workspaces.create_workspace(world.engine, "  Beta   Brand ", user="new@agency.test")
    assert (made.workspace, made.role, made.user) == ("Beta Brand", "owner", "new@agency.test")
    assert acc.resolve(world.engine, user="new@agency.test", workspace=made.workspace_id) == made
    assert acc.resolve(world.engine, user="NEW@agency.test", workspace="beta brand") == made


# ---- the audit trail -----------------------------------------------------------------------------------------------
def test_every_create_change_and_delete_leaves_an_event(world):
    engine, planner = world.engine, _member(world, "planner@agency.test", "planner")
    cid = _campaign(engine, planner, "Audited")
    pid = int(results.placement_results(engine, cid, access=planner)[0][0].id or 0)
    repo.set_statuses(engine, cid, {pid: "agreed"}, access=planner)
    goals.save_goals(engine, cid, goals.StoredGoals(targets=(("orders", 5.0),)), access=planner)
    results.upsert_results(engine, cid, [(pid, {"orders": 3.0})], source="import:r.csv", access=planner)
    results.upsert_results(engine, cid, [(pid, {"orders": 4.0})], source="x", access=planner, dry_run=True)
    results.replace_sales(engine, cid, [(date(2026, 3, 1), "", False, 1.0)], access=planner)
    sid = scenarios.upsert_scenario(engine, cid, "S", scenario={}, totals={}, placements=[], curve=[],
                                    access=planner)
    scenarios.delete_scenario(engine, sid, access=world.a)
    repo.delete_campaign(engine, cid, access=world.a)
    trail = audit.trail(engine, access=world.a, campaign_id=cid)
    events = list(zip(trail["user"], trail["action"], trail["object"], strict=True))[::-1]  # oldest first
    assert events == [("planner@agency.test", "create", "campaign"), ("planner@agency.test", "change", "placements"),
                      ("planner@agency.test", "change", "goals"), ("planner@agency.test", "change", "results"),
                      ("planner@agency.test", "change", "sales"), ("planner@agency.test", "create", "scenario"),
                      ("local@localhost", "delete", "scenario"), ("local@localhost", "delete", "campaign")]
    assert trail.iloc[-1]["detail"]["name"] == "Audited" and trail.iloc[0]["detail"] == {"name": "Audited"}
    assert trail.iloc[-4]["detail"] == {"inserted": 1, "updated": 0, "source": "import:r.csv"}  # not the dry run
    assert all(t.tzinfo is not None for t in trail["at"]) and trail["at"].is_monotonic_decreasing
    assert audit.has_events(engine, cid, access=world.a)  # the deleted campaign's trail stays readable
    assert audit.trail(engine, access=world.b, campaign_id=cid).empty  # and only in its workspace


def test_a_refused_change_leaves_no_event(world):
    from planner.storage.versions import StaleWrite
    before = len(audit.trail(world.engine, access=world.a))
    with pytest.raises(StaleWrite):
        goals.save_goals(world.engine, world.cid_a, goals.StoredGoals(), expected_version=99, access=world.a)
    with pytest.raises(KeyError):
        results.upsert_results(world.engine, world.cid_a, [(10**9, {"orders": 1.0})], source="x", access=world.a)
    assert len(audit.trail(world.engine, access=world.a)) == before


# ---- the command line ----------------------------------------------------------------------------------------------
def _argv(world: World, template: list[str]) -> list[str]:
    files = {"{results}": world.tmp / "r.csv", "{sales}": world.tmp / "s.csv"}
    files["{results}"].write_text(RESULTS_CSV, encoding="utf-8")
    files["{sales}"].write_text(SALES_CSV, encoding="utf-8")
    out = []
    for part in template:
        part = part.replace("{cid}", str(world.cid_a)).replace("{tmp}", str(world.tmp))
        out.append(str(files[part]) if part in files else part)
    return out


CAMPAIGN_COMMANDS = {  # every command that takes --campaign ID, run in Acme on Local's campaign
    "goals": ["goals", "--campaign", "{cid}"],
    "goals set": ["goals", "--campaign", "{cid}", "--goal", "orders=999", "--margin", "10"],
    "results import": ["results", "import", "--campaign", "{cid}", "{results}"],
    "results import --dry-run": ["results", "import", "--campaign", "{cid}", "{results}", "--dry-run"],
    "results baseline": ["results", "baseline", "--campaign", "{cid}", "{sales}"],
    "results report": ["results", "report", "--campaign", "{cid}", "--out", "{tmp}/report.xlsx"],
    "export-plan": ["export-plan", "--campaign", "{cid}", "--format", "xlsx", "--out", "{tmp}/pitch.xlsx",
                    "--no-frontier"],
    "export-plan into a folder": ["export-plan", "--campaign", "{cid}", "--format", "pdf", "--out", "{tmp}",
                                  "--no-frontier"],
    "barter": ["barter", "--campaign", "{cid}", "--product-cost", "100", "--retail", "300"],
    "scenarios sweep --save": ["scenarios", "sweep", "--budget", "100000", "--campaign", "{cid}", "--save", "Mine",
                               "--points", "3", "--samples", "100", "--no-history"],
    "audit": ["audit", "--campaign", "{cid}"],
}


@pytest.mark.parametrize("where", ["after", "before"])
@pytest.mark.parametrize("name", list(CAMPAIGN_COMMANDS))
def test_no_command_reaches_another_workspaces_campaign(world, capsys, name, where):
    argv = _argv(world, CAMPAIGN_COMMANDS[name])
    argv = [*argv, "--workspace", "Acme"] if where == "after" else ["--workspace", "Acme", *argv]
    before = database_digest(world.url)
    code, out, err = run_cli(capsys, *argv, "--json")
    assert code == 2, (out, err)
    assert out == {"error": f"--campaign: no campaign {world.cid_a} in workspace Acme"}
    assert err.strip() == f"error: --campaign: no campaign {world.cid_a} in workspace Acme"
    assert database_digest(world.url) == before
    assert sorted(p.name for p in world.tmp.iterdir()) == ["r.csv", "s.csv"]  # no report, no pitch written


@pytest.mark.parametrize("name", ["goals", "results report", "audit", "results import --dry-run"])
def test_the_same_commands_in_the_campaigns_own_workspace(world, capsys, name):
    """The refusals above are the workspace's: by id or by name, in Local the same commands answer."""
    for workspace in ([], ["--workspace", "Local"], ["--workspace", "1"]):
        code, out, err = run_cli(capsys, *_argv(world, CAMPAIGN_COMMANDS[name]), *workspace, "--json")
        assert code == 0, err


def test_commands_list_and_write_only_their_workspace(world, capsys):
    engine, tmp = world.engine, world.tmp
    # export: Acme's 40 bloggers, not Local's 400
    code, out, _ = run_cli(capsys, "export", "--out", str(tmp / "b.csv"), "--workspace", "Acme", "--json")
    assert code == 0 and out["rows"] == 40 and out["of"] == 40
    # import into Acme: Local's bloggers and remembered mapping stay as they were
    local_before = store.load_bloggers(engine, workspace_id=1)
    (tmp / "new.csv").write_text("Nick,platform,followers\nzed,vk,100\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "import", str(tmp / "new.csv"), "--map", "Nick=handle", "--workspace", "Acme",
                           "--json")
    assert code == 0 and out["inserted"] == 1
    assert store.load_bloggers(engine, workspace_id=1).equals(local_before)
    assert store.remembered_mapping(engine, access=world.a) == {"Ник": "handle"}
    assert store.remembered_mapping(engine, access=world.b) == {"Nick": "handle"}
    # plan --save in Acme: on Acme's bloggers, saved in Acme
    code, out, err = run_cli(capsys, "plan", "--budget", "300000", "--min-credibility", "0", "--time-limit", "5",
                             "--save", "Acme plan", "--workspace", "Acme", "--json")
    assert code == 0, err
    assert set(repo.list_campaigns(engine, access=world.b)["id"]) == {world.cid_b, out["campaign_id"]}
    assert set(repo.list_campaigns(engine, access=world.a)["id"]) == {world.cid_a}
    handles_b = set(store.load_bloggers(engine, workspace_id=world.b.workspace_id)["handle"])
    assert {p["handle"] for p in out["placements"]} <= handles_b
    # the audit trail of Acme names Acme's campaigns only
    code, out, _ = run_cli(capsys, "audit", "--workspace", "Acme", "--json")
    assert code == 0 and {e["campaign_id"] for e in out["events"]} == {None, world.cid_b, out["events"][0][
        "campaign_id"]} and world.cid_a not in {e["campaign_id"] for e in out["events"]}
    # an unknown workspace is one line, exit 2
    code, out, err = run_cli(capsys, "goals", "--campaign", str(world.cid_a), "--workspace", "Nope", "--json")
    assert code == 2 and out["error"] == "--workspace: no workspace 'Nope' that local@localhost is a member of"


def test_workspace_commands(world, capsys, monkeypatch):
    code, out, _ = run_cli(capsys, "workspace", "create", "Beta", "--json")
    assert code == 0 and out["name"] == "Beta" and out["role"] == "owner" and out["owner"] == "local@localhost"
    code, out, err = run_cli(capsys, "workspace", "create", "beta", "--json")
    assert code == 2 and "already" in out["error"]
    code, out, _ = run_cli(capsys, "workspace", "list", "--json")
    assert code == 0 and [(w["name"], w["role"], w["campaigns"]) for w in out["workspaces"]] == [
        ("Local", "owner", 1), ("Acme", "owner", 1), ("Beta", "owner", 0)]
    code, out, _ = run_cli(capsys, "workspace", "add-member", "Acme", "viewer@agency.test", "--role", "viewer",
                           "--json")
    assert code == 0 and out == {"workspace": "Acme", "workspace_id": world.b.workspace_id,
                                 "email": "viewer@agency.test", "name": "", "role": "viewer", "before": None}
    code, out, _ = run_cli(capsys, "workspace", "members", "Acme", "--json")
    assert [m["email"] for m in out["members"]] == ["local@localhost", "viewer@agency.test"]
    # the viewer lists only Acme, and its role stops its writes
    monkeypatch.setenv("PLANNER_USER", "viewer@agency.test")
    code, out, _ = run_cli(capsys, "workspace", "list", "--json")
    assert [w["name"] for w in out["workspaces"]] == ["Acme"]
    code, out, _ = run_cli(capsys, "goals", "--campaign", str(world.cid_a), "--json")  # Local: not a member
    assert code == 2 and "no workspace '1' that viewer@agency.test is a member of" in out["error"]
    code, out, _ = run_cli(capsys, "goals", "--campaign", str(world.cid_b), "--workspace", "Acme", "--json")
    assert code == 0 and out["changed"] is False  # reading is a viewer's
    before = database_digest(world.url)
    for argv in (["goals", "--campaign", str(world.cid_b), "--goal", "orders=5", "--workspace", "Acme"],
                 ["plan", "--budget", "300000", "--min-credibility", "0", "--save", "No", "--workspace", "Acme"],
                 ["workspace", "add-member", "Acme", "x@agency.test", "--role", "owner"]):
        code, out, _ = run_cli(capsys, *argv, "--json")
        assert code == 2 and "viewer@agency.test is a viewer in workspace Acme" in out["error"], argv
    assert database_digest(world.url) == before
    # a planner saves, and manages no member
    monkeypatch.delenv("PLANNER_USER")
    run_cli(capsys, "workspace", "add-member", "Acme", "viewer@agency.test", "--role", "planner")
    monkeypatch.setenv("PLANNER_USER", "viewer@agency.test")
    code, out, _ = run_cli(capsys, "goals", "--campaign", str(world.cid_b), "--goal", "orders=5", "--workspace",
                           "Acme", "--json")
    assert code == 0 and out["changed"] is True
    code, out, _ = run_cli(capsys, "workspace", "remove-member", "Acme", "local@localhost", "--json")
    assert code == 2 and "needs the owner role" in out["error"]
    code, out, _ = run_cli(capsys, "audit", "--campaign", str(world.cid_b), "--workspace", "Acme", "--json")
    assert (out["events"][0]["user"], out["events"][0]["action"], out["events"][0]["object"]) == (
        "viewer@agency.test", "change", "goals")
    # the owner removes the member
    monkeypatch.delenv("PLANNER_USER")
    code, out, _ = run_cli(capsys, "workspace", "remove-member", "Acme", "viewer@agency.test", "--json")
    assert code == 0 and out["removed"] is True
    code, out, _ = run_cli(capsys, "workspace", "remove-member", "Acme", "viewer@agency.test", "--json")
    assert code == 2


def test_audit_command_reads_a_deleted_campaigns_trail(world, capsys):
    repo.delete_campaign(world.engine, world.cid_a, access=world.a)
    code, out, _ = run_cli(capsys, "audit", "--campaign", str(world.cid_a), "--json")
    assert code == 0 and [(e["action"], e["object"]) for e in out["events"]][::-1] == [
        ("create", "campaign"), ("change", "goals"), ("change", "results"), ("change", "sales"),
        ("create", "scenario"), ("delete", "campaign")]
    assert json.loads(json.dumps(out))["events"][0]["user"] == "local@localhost"
    code, text, _ = run_cli(capsys, "audit", "--campaign", str(world.cid_a))
    assert "delete  campaign   campaign" in text and "local@localhost" in text
    code, out, _ = run_cli(capsys, "audit", "--campaign", "999999", "--json")
    assert code == 2 and out["error"] == "--campaign: no campaign 999999 in workspace Local"


def test_every_workspace_command_takes_the_workspace():
    """Every command that reads or writes a workspace's data has --workspace (a new one fails here until it does);
    the roles the command line offers are the storage's."""
    from planner.cli import build_parser
    from planner.cli.workspaces import ROLE_CHOICES
    from planner.storage.models import ROLES
    assert ROLE_CHOICES == ROLES
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    without = {"sample", "bench", "workspace"}  # no workspace data, or the workspace is their argument
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        nested = [a for a in command._actions if a.dest == "what" and isinstance(a.choices, dict)]
        parsers = list(nested[0].choices.values()) if nested else [command]
        for p in parsers:
            has = any("--workspace" in a.option_strings for a in p._actions)
            assert has == (name not in without), (name, p.prog)


# ---- the migration -------------------------------------------------------------------------------------------------
def test_migration_0012_upgrades_and_downgrades(new_db_url):
    """From 0011 with data (a workspace "Default" and another, a campaign): up, the local user owns both and the
    default is "Local"; down, the tables go and the name comes back; up again; and afterwards new workspaces and
    users get new ids (PostgreSQL's sequences moved past the ids given by hand)."""
    from alembic import command
    from sqlalchemy import create_engine, inspect, text
    url = new_db_url("migrate")
    raw = create_engine(db.database_url(url))
    cfg = db.alembic_config(raw)
    command.upgrade(cfg, "0011")
    with raw.begin() as conn:
        conn.execute(text("INSERT INTO workspace (id, name, created_at, bloggers_version) VALUES "
                          "(1, 'Default', '2026-01-01', 0), (2, 'Other', '2026-01-01', 0)"))
        conn.execute(text("INSERT INTO campaign (name, status, currency, budget, reach_weight, brief, workspace_id, "
                          "created_at, updated_at, uplift_pct, roi_definition, goals_version, placements_version, "
                          "results_version) VALUES ('Old', 'draft', 'RUB', 1, 0.5, '{}', 2, '2026-01-01', "
                          "'2026-01-01', 0, 'romi', 0, 0, 0)"))
    new_tables = {"app_user", "membership", "audit_event"}
    for _round in range(2):
        command.upgrade(cfg, "head")
        assert new_tables <= set(inspect(raw).get_table_names())
        with raw.connect() as conn:
            assert conn.execute(text("SELECT name FROM workspace WHERE id = 1")).scalar_one() == "Local"
            assert sorted(conn.execute(text("SELECT workspace_id, role FROM membership WHERE user_id = 1")).all()) \
                == [(1, "owner"), (2, "owner")]
        command.downgrade(cfg, "0011")
        assert not new_tables & set(inspect(raw).get_table_names())
        with raw.connect() as conn:
            assert conn.execute(text("SELECT name FROM workspace WHERE id = 1")).scalar_one() == "Default"
            assert conn.execute(text("SELECT COUNT(*) FROM campaign")).scalar_one() == 1
    raw.dispose()
    engine = db.get_engine(url)  # the app's own start: migrated to the newest
    old = acc.resolve(engine, workspace="Other")
    assert set(repo.list_campaigns(engine, access=old)["name"]) == {"Old"}
    made = workspaces.create_workspace(engine, "Third", user="someone@agency.test")
    assert made.workspace_id == 3 and made.user_id == 2


# ---- the pages -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_results_page_shows_the_campaigns_history(sample_app, lang):
    """A change made on the page is in the campaign's history, under the local user's name (pages.common.workspace:
    the local owner of the local workspace while there is no sign-in)."""
    from streamlit.testing.v1 import AppTest

    from planner.core.i18n import TEXT
    from tests.conftest import ROOT, open_expander, open_tab
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/results.py").run()
    history = next(e for e in at.expander if e.label == TEXT["audit.history"][lang])
    assert not history.caption  # read and drawn only while open
    open_expander(at, "results_history_box")
    history = next(e for e in at.expander if e.label == TEXT["audit.history"][lang])
    assert TEXT["audit.none"][lang] in [c.value for c in history.caption]  # the seeded sample: nobody changed it
    open_tab(at, "results_tab", "results.tab_goals", lang)  # drawn only while open
    at.number_input(key=[k for k in (w.key for w in at.number_input) if k and k.endswith("_orders")][0]).set_value(
        7.0)
    at.button[[b.label for b in at.button].index(TEXT["goals.save"][lang])].click().run()
    assert not at.exception
    history = next(e for e in at.expander if e.label == TEXT["audit.history"][lang])
    table = history.dataframe[0].value
    assert list(table[TEXT["audit.col.who"][lang]]) == ["local@localhost"]
    assert list(table[TEXT["audit.col.what"][lang]]) == [TEXT["audit.change.goals"][lang]]
    engine = db.get_engine(sample_app)
    assert goals.load_goals(engine, 1, access=acc.resolve(engine)).targets[0] == ("orders", 7.0)
