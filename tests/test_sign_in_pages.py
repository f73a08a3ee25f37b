"""Sign-in, workspaces and roles on the pages (issue 20), driven with AppTest: with an ``[auth]`` section in the
secrets, a visitor not signed in sees the sign-in screen only, a user of no workspace is told to ask an owner, and a
signed-in user sees, on every page, only the workspaces they are a member of: another workspace's campaigns,
scenarios, results, goals, lists and bloggers are neither listed, read, changed nor deleted, whatever the URL says
(?results_campaign=, ?campaign=&scenario=, ?barter_campaign=, ?brief= of another workspace; ?ws= of a workspace the
user is not a member of; a colleague's share link). A viewer reads and downloads, and finds every control that
writes disabled with the role it needs; a planner saves and deletes nothing; a role lowered meanwhile is refused with
a message, never a traceback. Without sign-in the app is the local user's, as before.

st.user is AppTest's seeded user here (the real OpenID Connect flow is tests/e2e/test_sign_in_flow.py)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner import campaigns
from planner.app import planning
from planner.core.i18n import TEXT
from planner.planning import plan
from planner.storage import access as acc
from planner.storage import campaigns as repo
from planner.storage import db, goals, lists, results, scenarios, store, workspaces
from tests.conftest import app_test, open_tab, shown_texts

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "a test cookie secret, 32 chars+",
        "client_id": "planner", "client_secret": "not-a-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
PAGES = ["pages/database.py", "pages/plan.py", "pages/barter.py", "pages/results.py", "pages/scenarios.py"]
ALPHA_OWNER, VIEWER, PLANNER, BETA_OWNER = "ann@alpha.example", "vic@alpha.example", "pat@alpha.example", \
    "bob@beta.example"
NOBODY, BOTH = "nobody@example.org", "multi@example.org"
BETA_MARK = "betasecret"  # in every name and handle of Beta's: never on a page of a user outside Beta
ALPHA_MARK = "alphasecret"


@dataclasses.dataclass
class World:
    url: str
    engine: Any
    alpha: acc.Access  # Alpha's owner
    beta: acc.Access  # Beta's owner
    cid_a: int
    cid_b: int
    sid_a: int
    sid_b: int
    brief_b: str  # Beta's stored brief (a link's ?brief=)


def _seed(engine, access: acc.Access, frame: pd.DataFrame, mark: str) -> tuple[int, int, str]:
    """A workspace's bloggers, a saved plan with goals, results and a sales series, a scenario, a list, a brief."""
    store.upsert_bloggers(engine, frame, source="import:test.csv", workspace_id=access.workspace_id)
    outcome = planning.plan_brief(engine, plan.Brief(budget=300_000, min_credibility=0.0), time_limit=5,
                                  access=access)
    cid = campaigns.save_plan(engine, f"{mark} launch", outcome.result, access=access)
    pid = int(results.placement_results(engine, cid, access=access)[0][0].id or 0)
    goals.save_goals(engine, cid, goals.StoredGoals(targets=(("orders", 50.0),), margin_pct=40.0,
                                                    window_start=date(2026, 3, 1), window_end=date(2026, 3, 14)),
                     access=access)
    results.upsert_results(engine, cid, [(pid, {"reach": 1000.0, "orders": 5.0})], source="test", access=access)
    days = [date(2026, 1, 1) + timedelta(days=d) for d in range(73)]  # 59 days before the window, 14 in it
    results.replace_sales(engine, cid, [(d, "", False, 100.0 + d.weekday() * 3 + (d.day % 5)) for d in days],
                          unit="orders", access=access)
    sid = scenarios.upsert_scenario(engine, cid, f"{mark} base", scenario={"brief": {"budget": 300_000.0}},
                                    totals={"cost": 1.0}, placements=[], curve=[], access=access)
    lists.store_list(engine, [{"id": 1, "handle": f"{mark}_x", "platform": "instagram"}], name=f"{mark} list",
                     access=access)
    brief = {"budget": 123_456.0, "keywords": [mark]}
    fp = hashlib.sha256(json.dumps(brief, sort_keys=True).encode()).hexdigest()[:32]
    lists.store_brief(engine, fp, brief, access=access)
    return cid, sid, fp


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, dict[str, Any]]:
    """Alpha and Beta with their members and objects, built once (two plans are solved) and copied for each test."""
    from planner.ingest import sample

    path = tmp_path_factory.mktemp("signin") / "template.db"
    engine = db.get_engine(f"sqlite:///{path}")
    alpha = workspaces.create_workspace(engine, "Alpha", user=ALPHA_OWNER)
    beta = workspaces.create_workspace(engine, "Beta", user=BETA_OWNER)
    workspaces.add_member(engine, VIEWER, "viewer", access=alpha)
    workspaces.add_member(engine, PLANNER, "planner", access=alpha)
    workspaces.add_member(engine, BOTH, "viewer", access=alpha)
    workspaces.add_member(engine, BOTH, "planner", access=beta)
    bloggers = sample.generate(400, seed=7)
    a_frame, b_frame = bloggers.copy(), bloggers.copy()
    a_frame["handle"] = [f"{ALPHA_MARK}_{h}" for h in a_frame["handle"]]
    b_frame["handle"] = [f"{BETA_MARK}_{h}" for h in b_frame["handle"]]
    cid_a, sid_a, _ = _seed(engine, alpha, a_frame, ALPHA_MARK)
    cid_b, sid_b, brief_b = _seed(engine, beta, b_frame, BETA_MARK)
    engine.dispose()
    return path, {"cid_a": cid_a, "cid_b": cid_b, "sid_a": sid_a, "sid_b": sid_b, "brief_b": brief_b}


@pytest.fixture
def world(template, tmp_path, monkeypatch) -> Iterator[World]:
    path, ids = template
    copy = tmp_path / "signin.db"
    shutil.copyfile(path, copy)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("DATABASE_URL", url)
    engine = db.get_engine(url)
    yield World(url=url, engine=engine, alpha=acc.resolve(engine, user=ALPHA_OWNER, workspace="Alpha"),
                beta=acc.resolve(engine, user=BETA_OWNER, workspace="Beta"), **ids)
    engine.dispose()


def signed_in(email: str | None, lang: str = "en", **params: str) -> AppTest:
    """The app with sign-in configured, opened by ``email`` (None: a visitor not signed in)."""
    at = app_test(lang, timeout=180, **params)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email, "sub": email}
    return at


def everything(at: AppTest) -> str:
    """Every text on the page, options, tables and code blocks included, in lower case."""
    out = list(shown_texts(at))
    for kind in ("selectbox", "multiselect", "radio"):
        for w in getattr(at, kind):
            out += [str(o) for o in w.options]
    for d in [*at.dataframe, *at.get("arrow_data_frame")]:
        value = getattr(d, "value", None)
        if isinstance(value, pd.DataFrame):
            out.append(value.to_csv())
    out += [str(getattr(c, "value", "")) for c in at.code]
    out += [str(getattr(e, "proto", "")) for e in at.get("download_button")]
    return "\n".join(out).lower()


def beta_state(w: World) -> str:
    """What Beta holds, read as Beta's owner: unchanged by anything done outside Beta."""
    b = w.beta
    camp, placements = repo.load_campaign(w.engine, w.cid_b, access=b)
    return json.dumps([
        repo.list_campaigns(w.engine, access=b).to_json(), str(camp), placements.to_json(),
        str(goals.load_goals(w.engine, w.cid_b, access=b)),
        [(str(p), str(r)) for p, r in results.placement_results(w.engine, w.cid_b, access=b)],
        results.load_sales(w.engine, w.cid_b, access=b).to_json(), results.results_version(w.engine, w.cid_b, access=b),
        [str(x) for x in scenarios.list_scenarios(w.engine, w.cid_b, access=b)],
        lists.load_brief(w.engine, w.brief_b, access=b), store.data_version(w.engine, b.workspace_id)], default=str)


def open_page(at: AppTest, page: str) -> AppTest:
    """A browser's first visit of ``page``'s address (AppTest's switch before the first run names the page by its
    address, as st.navigation does: so a run stopped at the gate is asked for that address too)."""
    at.session_state["plan_tab"] = TEXT["plan.tab_saved"]["en"]  # the Plan page's saved campaigns drawn too
    if page != "app.py":
        at.switch_page(page)
    at.run()
    assert not at.exception, (page, [e.value for e in at.exception])
    return at


def _disabled(widgets, label: str) -> bool:
    found = [w for w in widgets if w.label == label]
    assert found, (label, [w.label for w in widgets])
    return all(w.disabled for w in found)


# ---- who sees what -------------------------------------------------------------------------------------------------
def test_the_gates_screen_is_at_every_pages_address():
    """A visitor stopped at the gate (not signed in, no workspace) at /results sees the gate's screen there, not
    Streamlit's "Page not found": pages.common.PAGE_PATHS names every address app.py gives a page."""
    import re

    from pages import common
    from tests.conftest import ROOT
    paths = set(re.findall(r'url_path="([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8")))
    assert paths and paths == set(common.PAGE_PATHS)


@pytest.mark.parametrize("page", ["app.py", *PAGES])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_visitor_not_signed_in_sees_the_sign_in_screen_only(world, page, lang):
    at = open_page(signed_in(None, lang, results_campaign=str(world.cid_a), campaign=str(world.cid_a)), page)
    assert [t.value for t in at.title] == [TEXT["app.title"][lang]]
    assert [b.label for b in at.button] == [TEXT["signin.button"][lang]]
    shown = everything(at)
    assert ALPHA_MARK not in shown and BETA_MARK not in shown
    assert not at.metric and not at.dataframe and not at.tabs


def test_named_providers_get_a_button_each(world):
    at = signed_in(None)
    at.secrets["auth"] = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"],
                          "google": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")},
                          "okta": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in with google", "Sign in with okta"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_user_of_no_workspace_is_told_to_ask_an_owner(world, lang):
    at = signed_in(NOBODY, lang).run()
    assert not at.exception
    assert any(TEXT["ws.none"][lang].split("{email}")[0] in i.value for i in at.info)
    assert NOBODY in [c.value for c in at.code][0]
    assert [b.label for b in at.button] == [TEXT["signin.sign_out"][lang]]
    shown = everything(at)
    assert ALPHA_MARK not in shown and BETA_MARK not in shown
    assert workspaces.list_workspaces(world.engine, user=NOBODY) == []  # known now (first sign-in), member of none
    at = open_page(signed_in(NOBODY, lang), "pages/results.py")
    assert ALPHA_MARK not in everything(at) and BETA_MARK not in everything(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_only_the_users_workspace(world, page):
    before = beta_state(world)
    at = open_page(signed_in(ALPHA_OWNER), page)
    shown = everything(at)
    assert BETA_MARK not in shown
    if page != "pages/scenarios.py":  # the Scenarios page shows its saved list in a fragment AppTest reads too
        assert ALPHA_MARK in shown, page
    assert at.selectbox(key="app_ws").options == [f"Alpha · {TEXT['role.owner']['en']}"]
    assert at.query_params["ws"] == str(world.alpha.workspace_id)
    assert beta_state(world) == before


CRAFTED = {
    "pages/results.py": {"results_campaign": "{cid_b}"},
    "pages/scenarios.py": {"campaign": "{cid_b}", "scenario": "{sid_b}", "present": "1", "brief": "{brief_b}"},
    "pages/barter.py": {"barter_campaign": "{cid_b}", "barter_source": "campaign"},
    "pages/plan.py": {"brief": "{brief_b}"},
    "pages/database.py": {"short": "1,2,3", "brief": "{brief_b}"},
}


@pytest.mark.parametrize("page", PAGES)
def test_a_crafted_link_to_another_workspaces_objects_shows_and_changes_nothing(world, page):
    before = beta_state(world)
    params = {k: v.format(cid_b=world.cid_b, sid_b=world.sid_b, brief_b=world.brief_b)
              for k, v in CRAFTED[page].items()}
    at = open_page(signed_in(ALPHA_OWNER, **params), page)
    assert BETA_MARK not in everything(at)
    names = [(b.key, b.label) for b in at.button]
    for key, label in names:  # every control the page offers, pressed: still nothing of Beta's read or changed
        if "delete" in (key or "") or key == "app_sign_out":
            continue
        now = [b for b in at.button if (b.key, b.label) == (key, label) and not b.disabled]
        if not now:
            continue
        now[0].click().run()
        assert not at.exception, (page, label, [e.value for e in at.exception])
        assert BETA_MARK not in everything(at), (page, label)
    assert beta_state(world) == before


@pytest.mark.parametrize(("ws", "page"), [("{beta}", "pages/results.py"), ("Beta", "pages/scenarios.py"),
                                          ("beta", "pages/plan.py"), ("999999", "pages/barter.py"),
                                          ("abc", "pages/database.py"), ("1", "pages/results.py")])
def test_a_workspace_the_user_is_not_a_member_of_shows_nothing(world, ws, page):
    """?ws= of a workspace the user is not a member of (by id or name; "1" is Local, the local user's), of none, or
    not a workspace at all: a message, nothing of either workspace, until the user picks one of theirs."""
    before = beta_state(world)
    at = open_page(signed_in(ALPHA_OWNER, ws=ws.format(beta=world.beta.workspace_id),
                             results_campaign=str(world.cid_b), campaign=str(world.cid_b),
                             scenario=str(world.sid_b)), page)
    assert [w.value for w in at.warning] == [TEXT["access.no_workspace"]["en"]]
    assert [t.value for t in at.title] == [TEXT["app.title"]["en"]]
    shown = everything(at)
    assert BETA_MARK not in shown and ALPHA_MARK not in shown
    assert at.selectbox(key="app_ws").value is None
    at.selectbox(key="app_ws").set_value(world.alpha.workspace_id).run()  # one of theirs: shown at once
    assert not at.exception and not at.warning
    assert at.query_params["ws"] == str(world.alpha.workspace_id)
    assert BETA_MARK not in everything(at)
    assert beta_state(world) == before


def test_a_share_link_opened_by_a_non_member_shows_nothing_of_it(world):
    """Alpha's scenario, shared as the Scenarios page shares it (its workspace, campaign, scenario, presentation)."""
    link = {"ws": str(world.alpha.workspace_id), "campaign": str(world.cid_a), "scenario": str(world.sid_a),
            "present": "1", "client": "Alpha's client", "results_campaign": str(world.cid_a)}
    for page in ("pages/scenarios.py", "pages/results.py"):
        at = open_page(signed_in(ALPHA_OWNER, **link), page)  # its member sees it
        assert not at.warning or page == "pages/scenarios.py"
        outsider = open_page(signed_in(BETA_OWNER, **link), page)  # a member of Beta only: nothing
        assert [w.value for w in outsider.warning] == [TEXT["access.no_workspace"]["en"]]
        assert ALPHA_MARK not in everything(outsider) and "alpha's client" not in everything(outsider)
        stranger = open_page(signed_in(NOBODY, **link), page)  # a member of nothing: nothing either
        assert ALPHA_MARK not in everything(stranger)
    # the same link without its workspace (as made without sign-in): opened in the outsider's own workspace, where
    # Alpha's scenario and campaign are not found
    bare = {k: v for k, v in link.items() if k != "ws"}
    outsider = open_page(signed_in(BETA_OWNER, **bare), "pages/scenarios.py")
    assert ALPHA_MARK not in everything(outsider)
    outsider.switch_page("pages/results.py").run()
    assert not outsider.exception and ALPHA_MARK not in everything(outsider)


def test_the_sidebar_offers_the_users_workspaces_and_a_switch_starts_afresh(world):
    at = open_page(signed_in(BOTH), "pages/results.py")
    choice = at.selectbox(key="app_ws")
    assert choice.options == [f"Alpha · {TEXT['role.viewer']['en']}", f"Beta · {TEXT['role.planner']['en']}"]
    assert any(TEXT["ws.signed_in_as"]["en"].split("{")[0] in c.value for c in at.sidebar.caption)
    assert ALPHA_MARK in everything(at) and BETA_MARK not in everything(at)
    assert at.session_state["results_campaign"] == world.cid_a
    choice.set_value(world.beta.workspace_id).run()
    assert not at.exception
    assert at.query_params["ws"] == str(world.beta.workspace_id)
    assert at.session_state["results_campaign"] == world.cid_b  # Alpha's campaign was not carried over
    assert BETA_MARK in everything(at) and ALPHA_MARK not in everything(at)


def test_a_user_removed_meanwhile_sees_nothing_more(world):
    at = open_page(signed_in(PLANNER), "pages/results.py")
    assert ALPHA_MARK in everything(at)
    workspaces.remove_member(world.engine, PLANNER, access=world.alpha)
    at.run()
    assert not at.exception
    assert ALPHA_MARK not in everything(at)
    assert any(TEXT["ws.none"]["en"][:20] in i.value for i in at.info)


# ---- roles -----------------------------------------------------------------------------------------------------
def _needs(role: str, mine: str, lang: str = "en") -> str:
    return TEXT["access.needs"][lang].format(needed=TEXT[f"role.{role}"][lang], role=TEXT[f"role.{mine}"][lang])


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_viewer_reads_and_downloads_but_every_write_is_disabled(world, lang):
    t = {k: v[lang] for k, v in TEXT.items()}
    at = signed_in(VIEWER, lang)
    at.run()
    at.session_state["plan_tab"] = t["plan.tab_saved"]
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    assert _disabled(at.button, t["plan.save"]) and _disabled(at.button, t["plan.save_status"])
    assert _disabled(at.button, t["plan.delete"])
    assert _needs("planner", "viewer", lang) in [c.value for c in at.caption]
    assert _needs("owner", "viewer", lang) in [c.value for c in at.caption]
    assert all(e.proto.disabled for e in at.get("arrow_data_frame") if hasattr(e.proto, "disabled")
               and e.proto.editing_mode)  # the statuses' table is read-only
    downloads = at.get("download_button")
    assert downloads and not any(d.proto.disabled for d in downloads)  # the plan and the pitch: downloadable
    at.switch_page("pages/results.py").run()
    assert not at.exception
    open_tab(at, "results_tab", "results.tab_goals", lang)  # each tab is drawn only while open
    assert _disabled(at.button, t["goals.save"])
    assert all(w.disabled for w in at.number_input if (w.key or "").startswith("results_goal_"))  # read, not edited
    open_tab(at, "results_tab", "results.tab_results", lang)
    assert _disabled(at.button, t["results.save_table"])
    uploads = at.get("file_uploader")
    assert uploads and all(u.proto.disabled for u in uploads)
    open_tab(at, "results_tab", "results.tab_sales", lang)
    uploads = at.get("file_uploader")
    assert uploads and all(u.proto.disabled for u in uploads)
    at.switch_page("pages/scenarios.py").run()
    assert not at.exception
    assert _disabled(at.button, t["scen.save"]) and _disabled(at.button, t["scen.delete"])
    at.switch_page("pages/database.py").run()
    assert not at.exception
    assert all(u.proto.disabled for u in at.get("file_uploader"))


def test_a_planner_saves_but_deletes_nothing(world):
    at = signed_in(PLANNER)
    at.run()
    at.session_state["plan_tab"] = TEXT["plan.tab_saved"]["en"]
    at.switch_page("pages/plan.py").run()
    assert not _disabled(at.button, TEXT["plan.save"]["en"])
    assert not _disabled(at.button, TEXT["plan.save_status"]["en"])
    assert _disabled(at.button, TEXT["plan.delete"]["en"])
    assert _needs("owner", "planner") in [c.value for c in at.caption]
    at.text_input(key="plan_name").input("Pat's plan")
    next(b for b in at.button if b.label == TEXT["plan.save"]["en"]).click().run()
    assert not at.exception
    assert "Pat's plan" in set(repo.list_campaigns(world.engine, access=world.alpha)["name"])
    at.switch_page("pages/scenarios.py").run()
    at.selectbox(key="campaign").set_value(world.cid_a).run()  # the campaign with a saved scenario
    assert _disabled(at.button, TEXT["scen.delete"]["en"]) and not _disabled(at.button, TEXT["scen.save"]["en"])


def test_a_role_lowered_meanwhile_is_refused_with_a_message(world):
    """The controls were drawn for a higher role, which an owner lowered before the click: the write is refused by
    the storage layer (it checks the role), said in a message, never a traceback, and nothing is written; the page
    drawn again shows the control disabled with the role it needs."""
    at = signed_in(ALPHA_OWNER)
    at.run()
    at.session_state["plan_tab"] = TEXT["plan.tab_saved"]["en"]
    at.switch_page("pages/plan.py").run()
    next(b for b in at.button if (b.key or "").startswith("plan_delete_")).click().run()  # asks to confirm
    helper = workspaces.add_member(world.engine, BOTH, "owner", access=world.alpha)[0]
    assert helper.role == "owner"
    other_owner = acc.resolve(world.engine, user=BOTH, workspace="Alpha")
    workspaces.add_member(world.engine, ALPHA_OWNER, "planner", access=other_owner)  # Ann is a planner now
    next(b for b in at.button if (b.key or "").startswith("plan_delete_yes_")).click().run()
    assert not at.exception
    assert TEXT["access.forbidden"]["en"].format(ws="Alpha", role="planner", needed="owner") in [
        e.value for e in at.error]
    assert len(repo.list_campaigns(world.engine, access=world.alpha)) == 1  # not deleted
    assert _disabled(at.button, TEXT["plan.delete"]["en"])
    # a planner's save, refused the same way when the role drops to viewer between drawing and clicking
    at = signed_in(PLANNER)
    at.run()
    at.session_state["plan_tab"] = TEXT["plan.tab_saved"]["en"]
    at.switch_page("pages/plan.py").run()
    before = repo.load_campaign(world.engine, world.cid_a, access=world.alpha)[1].to_json()
    workspaces.add_member(world.engine, PLANNER, "viewer", access=world.alpha)
    at.button(key="plan_save_status").click().run()
    assert not at.exception
    assert repo.load_campaign(world.engine, world.cid_a, access=world.alpha)[1].to_json() == before
    assert _disabled(at.button, TEXT["plan.save_status"]["en"])
    assert _needs("planner", "viewer") in [c.value for c in at.caption]


def test_an_owner_deletes_a_campaign(world):
    at = signed_in(ALPHA_OWNER)
    at.run()
    at.session_state["plan_tab"] = TEXT["plan.tab_saved"]["en"]
    at.switch_page("pages/plan.py").run()
    next(b for b in at.button if (b.key or "").startswith("plan_delete_")).click().run()
    next(b for b in at.button if (b.key or "").startswith("plan_delete_yes_")).click().run()
    assert not at.exception
    assert repo.list_campaigns(world.engine, access=world.alpha).empty
    assert len(repo.list_campaigns(world.engine, access=world.beta)) == 1


# ---- without sign-in -------------------------------------------------------------------------------------------
def test_without_sign_in_the_local_user_works_in_local_as_before(new_db_url, monkeypatch, small_sample):
    url = new_db_url("local")
    monkeypatch.setenv("DATABASE_URL", url)
    engine = db.get_engine(url)
    store.upsert_bloggers(engine, small_sample, source="sample")
    at = app_test().run()
    assert not at.exception
    assert "app_ws" not in [w.key for w in at.selectbox] and "ws" not in at.query_params
    assert not [b for b in at.button if b.key == "app_sign_out"]
    # a second workspace made on the command line: the local user may choose it in the sidebar
    other = workspaces.create_workspace(engine, "Second")
    at = app_test().run()
    assert at.selectbox(key="app_ws").options == [f"Local · {TEXT['role.owner']['en']}",
                                                  f"Second · {TEXT['role.owner']['en']}"]
    at.selectbox(key="app_ws").set_value(other.workspace_id).run()
    assert not at.exception and at.query_params["ws"] == str(other.workspace_id)


# ---- the user's row ------------------------------------------------------------------------------------------------
@pytest.mark.database
def test_a_first_sign_in_adds_the_user_with_no_membership(new_db_url):
    engine = db.get_engine(new_db_url("users"))
    uid = workspaces.sign_in(engine, " New@Example.ORG ", name="New Person", subject="sub-1")
    assert workspaces.sign_in(engine, "new@example.org", name="Other", subject="sub-2") == uid  # known: same row
    assert workspaces.list_workspaces(engine, user="new@example.org") == []
    with pytest.raises(acc.NoWorkspace):
        acc.resolve(engine, user="new@example.org")
    owner = workspaces.create_workspace(engine, "Team", user="boss@example.org")
    workspaces.add_member(engine, "new@example.org", "planner", access=owner)
    workspaces.sign_in(engine, "new@example.org")
    assert [w.role for w in workspaces.list_workspaces(engine, user="new@example.org")] == ["planner"]
    members = {m.email: m.name for m in workspaces.members(engine, access=owner)}
    assert members["new@example.org"] == "New Person"  # the first name given is kept
    for email, verified, code in (("", None, "no_email"), ("not an address", None, "no_email"),
                                  ("x@example.org", False, "unverified"), ("LOCAL@localhost", True, "local")):
        with pytest.raises(workspaces.SignInRefused) as refused:
            workspaces.sign_in(engine, email, verified=verified)
        assert refused.value.code == code


def test_sign_in_is_on_with_an_auth_section_and_a_broken_secrets_file_stops_the_app(tmp_path):
    """No secrets file: no sign-in (the local user). A file with [auth]: sign-in. A file that does not parse: the
    app stops with a message (pages.common.SignInUnreadable) rather than open to everyone."""
    from streamlit import config
    from streamlit.runtime.secrets import secrets_singleton

    from pages import common
    saved = config.get_option("secrets.files")
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n', encoding="utf-8")
    bad.write_text('[auth\nredirect_uri = "http://localhost', encoding="utf-8")
    try:
        for files, expected in (([str(tmp_path / "none.toml")], False), ([str(good)], True), ([str(bad)], None)):
            config.set_option("secrets.files", files)
            secrets_singleton._secrets = None  # read the files again
            if expected is None:
                with pytest.raises(common.SignInUnreadable):
                    common.sign_in_on()
            else:
                assert common.sign_in_on() is expected
    finally:
        config.set_option("secrets.files", saved)
        secrets_singleton._secrets = None
