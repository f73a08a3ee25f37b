"""Sign-in through the real OpenID Connect flow, in Chromium: `streamlit run app.py` with a secrets file of its own
whose [auth] section points at oidc-provider-mock, started in-process on loopback; the browser presses "Sign in",
types the user's e-mail as the subject on the provider's authorize form, comes back through /oauth2callback with
Streamlit's identity cookie, and sees what that user may see. No st.user is patched anywhere.

Two users of two workspaces (Alpha's owner, Beta's viewer) each see their own workspace's campaign and nothing of
the other's, also through a link to the other workspace (?ws=); a user of no workspace is told to ask an owner; a
visitor not signed in sees the sign-in screen only; signing out ends the session."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, _chromium_or_skip, after, settle, shot

ALPHA_OWNER, BETA_VIEWER, NOBODY = "ann@alpha.example", "bob@beta.example", "nobody@example.org"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _provider() -> Iterator[str]:
    """oidc-provider-mock on 127.0.0.1 (a free port), on a thread of this process; yields its base URL."""
    import werkzeug.serving
    from oidc_provider_mock import app as provider_app

    server = werkzeug.serving.make_server("127.0.0.1", 0, provider_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _seed(url: str) -> dict[str, int]:
    from planner.ingest import sample
    from planner.storage import campaigns, db, store, workspaces

    engine = db.get_engine(url)
    ids: dict[str, int] = {}
    for ws, owner, mark in (("Alpha", ALPHA_OWNER, "alphasecret"), ("Beta", "boss@beta.example", "betasecret")):
        access = workspaces.create_workspace(engine, ws, user=owner)
        bloggers = sample.generate(60, seed=3)
        bloggers["handle"] = [f"{mark}_{h}" for h in bloggers["handle"]]
        store.upsert_bloggers(engine, bloggers, source="import:e2e.csv", workspace_id=access.workspace_id)
        placements = [{"handle": f"{mark}_{h}", "platform": p, "format": "post", "kind": "paid", "status": "proposed",
                       "cost": 10_000.0, "expected_reach": 20_000.0}
                      for h, p in zip(bloggers["handle"].str.removeprefix(f"{mark}_")[:2], bloggers["platform"][:2],
                                      strict=True)]
        campaigns.create_campaign(engine, {"name": f"{mark} launch", "currency": "RUB", "budget": 100_000.0,
                                           "brief": {"budget": 100_000.0, "currency": "RUB"}},
                                  placements, access=access)
        if ws == "Beta":
            workspaces.add_member(engine, BETA_VIEWER, "viewer", access=access)
        ids[ws] = access.workspace_id
    engine.dispose()
    return ids


@pytest.fixture(scope="module")
def signin_app(tmp_path_factory) -> Iterator[tuple[str, dict[str, int]]]:
    """The app with sign-in configured against the mock provider; (its base URL, the workspaces' ids)."""
    _chromium_or_skip()
    work = tmp_path_factory.mktemp("signin_e2e")
    url = f"sqlite:///{work / 'app.db'}"
    ids = _seed(url)
    port = _free_port()
    with _provider() as provider:
        secrets = work / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "an e2e cookie secret that is long enough"\n'
            'client_id = "planner-e2e"\n'
            'client_secret = "planner-e2e-secret"\n'
            f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
        from uibench.browser import _server
        with _server(work, None, url, port=port, options=("--secrets.files", str(secrets))) as base:
            yield base, ids


def _sign_in(page, base: str, email: str) -> None:
    """The whole flow as a person does it: the app's sign-in button, the provider's form, back in the app."""
    from playwright.sync_api import expect

    page.goto(base + "/")
    settle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)  # the provider's own page
    page.fill("input[name='sub']", email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(base + "/**", timeout=30_000)
    settle(page)
    expect(page.get_by_text("Signed in as")).to_be_visible(timeout=30_000)
    assert f"signed in as {email}" in _text(page)


def _text(page) -> str:
    """The page's text in lower case (an address is shown with an invisible word joiner that keeps it from being
    linked: planner.core.markdown.literal; left out here)."""
    app = page.locator("[data-testid='stApp']")
    return (app.inner_text() + "\n" + app.aria_snapshot()).replace("\u2060", "").lower()  # values of inputs too


def test_two_users_see_their_own_workspaces_through_the_real_sign_in(browser, signin_app):
    from playwright.sync_api import expect

    base, ids = signin_app
    # a visitor not signed in, at any address: the sign-in screen only
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    page.goto(base + f"/results?ws={ids['Alpha']}")
    settle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    shot(page, "sign_in_screen")
    assert "alphasecret" not in _text(page) and "betasecret" not in _text(page)
    assert page.locator("[data-testid='stSidebarNav']").count() == 0  # no page to go to

    # Alpha's owner: Alpha's campaign, nothing of Beta's
    _sign_in(page, base, ALPHA_OWNER)
    page.goto(base + "/results")
    settle(page)
    assert "alphasecret launch" in _text(page)
    assert "betasecret" not in _text(page)
    assert f"ws={ids['Alpha']}" in page.url
    shot(page, "sign_in_alpha_owner")
    page.goto(base + f"/results?ws={ids['Beta']}")  # a link into a workspace Ann is not a member of
    settle(page)
    expect(page.get_by_text("You are not a member of this workspace")).to_be_visible()
    assert "betasecret" not in _text(page) and "alphasecret" not in _text(page)
    shot(page, "sign_in_not_a_member")
    # signing out ends the session: the identity cookie is gone, the next visit asks to sign in again
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/oauth2/end_session**", timeout=30_000)  # the provider's end of its session, confirmed
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(base + "/**", timeout=30_000)
    settle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.goto(base + "/results")
    settle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    ctx.close()

    # Beta's viewer, in a browser of their own: Beta's campaign, read-only, nothing of Alpha's
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    _sign_in(page, base, BETA_VIEWER)
    page.goto(base + "/plan")
    settle(page)
    after(page, lambda: page.get_by_role("tab", name="Saved campaigns").click())
    assert "betasecret launch" in _text(page)
    expect(page.get_by_text("Needs the owner role (your role here: viewer).")).to_be_visible()
    expect(page.get_by_role("button", name="Delete this campaign")).to_be_disabled()
    assert "alphasecret" not in _text(page)
    shot(page, "sign_in_beta_viewer")
    page.goto(base + f"/plan?ws={ids['Alpha']}")
    settle(page)
    expect(page.get_by_text("You are not a member of this workspace")).to_be_visible()
    assert "alphasecret" not in _text(page)
    ctx.close()

    # a user of no workspace
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    page.goto(base + "/")
    settle(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
    page.fill("input[name='sub']", NOBODY)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(base + "/**", timeout=30_000)
    settle(page)
    expect(page.get_by_text("you are not a member of any workspace yet")).to_be_visible(timeout=30_000)
    assert "alphasecret" not in _text(page) and "betasecret" not in _text(page)
    shot(page, "sign_in_no_workspace")
    ctx.close()
    assert Path(ROOT / "test-results" / "sign_in_screen.png").exists()
