"""Crafted links never break a page: every page in pages/ (found on disk, so a new page is covered the day it
lands) opened with hostile query strings runs without an exception, in both languages, and the values it
keeps are in range. The Database page's own parameters are tested one by one in test_database_page.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.storage import db, store
from planner.storage.access import LOCAL
from tests.conftest import ROOT

PAGES = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if p.stem not in ("__init__", "common"))

# Every parameter any page reads or might read, each with a value no widget accepts: out of range, not a
# number, infinite, huge, markup, or an unknown choice. Three sets, so each page runs three times, not fifty.
HOSTILE = [
    {"lang": "xx", "ccy": "GBP", "cred": "500", "fmin": "1e999", "fmax": "-5", "acountry_min": "500",
     "gender": "female", "gender_min": "150", "age_min": "-1", "campaign": "-1", "budget": "-5", "w": "nan",
     "scenario": "x" * 10_000, "short": "1,abc,-3,99999999", "points": "1e9", "blogger": "abc"},
    {"lang": "ru", "ccy": "<script>alert(1)</script>", "cred": "-20", "ermin": "inf", "pmin": "1e308",
     "pformat": "video", "sort": "drop table", "campaign": "1e999", "budget": "1e999", "w": "5",
     "scenario": "../../etc/passwd", "platform": "myspace,telegram", "tier": "giga", "points": "-3",
     "blogger": "-1", "q": "[x](http://evil.example)"},
    {"lang": "en", "ccy": "usd", "campaign": "99999999", "budget": "abc", "w": "-1", "scenario": "%00%ff",
     "short": "9" * 5000, "barter": "maybe", "q": "x" * 100_000, "points": "nan", "from": "1e999", "to": "-1",
     "sc_reach": "301", "sc_pool": "1000", "sc_corr": "200", "sc_post": "-90", "sc_cred": "101",
     "present": "1", "client": "![x](http://evil.example/x.png) [click](http://evil.example)"},
]


@pytest.fixture
def app_db(new_db_url, tmp_path, monkeypatch, small_sample):
    url = new_db_url("links")
    monkeypatch.setenv("DATABASE_URL", url)
    store.upsert_bloggers(db.get_engine(url), small_sample, source="sample")
    return url


def test_every_page_is_covered():
    assert {"pages/database.py", "pages/plan.py"} <= set(PAGES)
    assert all(Path(ROOT / p).exists() for p in PAGES)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("params", range(len(HOSTILE)))
def test_crafted_links_never_break_a_page(app_db, page, params):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in HOSTILE[params].items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page(page).run()
    assert not at.exception, (page, [e.value for e in at.exception])
    assert at.title, page  # the page drew itself, not an error screen
    if "cred" in at.session_state:
        assert 0 <= at.session_state["cred"] <= 100


MARKDOWN = "![x](http://evil.example/x.png) [click](http://evil.example)"


def test_a_name_or_a_link_value_carrying_markdown_is_shown_as_text(app_db):
    """A campaign named with Markdown (the delete confirmation) and a client name in the presentation link's
    ?client= reach the screen as text: escaped, never a live link or a remote image."""
    from planner import campaigns
    from planner.app import planning
    from planner.planning import plan
    engine = db.get_engine(app_db)
    outcome = planning.plan_brief(engine, plan.Brief(budget=300_000, min_credibility=0.0), time_limit=5, access=LOCAL)
    cid = campaigns.save_plan(engine, MARKDOWN, outcome.result, access=LOCAL)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.session_state["plan_tab"] = "Saved campaigns"  # drawn only while its tab is open
    at.switch_page("pages/plan.py").run()
    at.selectbox(key="plan_open").set_value(cid).run()
    next(b for b in at.button if (b.key or "").startswith("plan_delete_")).click().run()
    assert not at.exception
    shown = [w.value for w in at.warning if "click" in w.value]
    assert shown and all("[click](http" not in w and "![x](" not in w and "\\[click\\]" in w for w in shown)
    sc = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    sc.query_params["present"] = "1"
    sc.query_params["client"] = MARKDOWN
    sc.run()
    sc.switch_page("pages/scenarios.py").run()
    assert not sc.exception
    titles = [t.value for t in sc.title if "click" in t.value]
    assert titles and all("[click](http" not in t and "![x](" not in t and "\\[click\\]" in t for t in titles)
