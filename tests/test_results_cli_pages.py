"""The results command line (goals, results import | baseline | report) and the Results page in AppTest, in both
languages, on the shipped sample campaign and on an empty database."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from planner.core.i18n import TEXT
from planner.storage import db
from planner.storage.access import LOCAL
from tests.conftest import ROOT, open_tab, run_cli
from tests.test_results import TWO, make_campaign

run = run_cli


@pytest.fixture
def cli_campaign(new_db_url, tmp_path, monkeypatch):
    url = new_db_url("cli")
    monkeypatch.setenv("DATABASE_URL", url)
    engine = db.get_engine(url)
    yield make_campaign(engine, TWO)
    engine.dispose()
    db._engines.pop(db.database_url(url), None)


def _file(tmp_path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_goals_command_sets_and_shows(capsys, cli_campaign):
    cid = str(cli_campaign)
    code, out, _ = run(capsys, "goals", "--campaign", cid, "--goal", "orders=500", "--goal", "cost_per_lead=800 ₽",
                       "--goal", "romi=50", "--margin", "45 %", "--uplift", "30", "--primary", "online_sales",
                       "--window", "2026-10-05:2026-10-25", "--json")
    assert code == 0 and out["changed"] is True
    assert out["targets"] == [{"kind": "orders", "target": 500.0}, {"kind": "cost_per_lead", "target": 800.0},
                              {"kind": "romi", "target": 50.0}]
    assert out["margin_pct"] == 45.0 and out["uplift_pct"] == 30.0 and out["window_start"] == "2026-10-05"
    code, out, _ = run(capsys, "goals", "--campaign", cid, "--no-goal", "romi", "--json")
    assert [g["kind"] for g in out["targets"]] == ["orders", "cost_per_lead"]
    code, text, _ = run(capsys, "goals", "--campaign", cid)
    assert code == 0 and "orders >= 500" in text and "cost_per_lead <= 800" in text
    # an awareness goal's result: a brand-lift survey, in percentage points, reported as measured
    code, out, _ = run(capsys, "goals", "--campaign", cid, "--primary", "awareness", "--brand-lift", "4,5", "--json")
    assert code == 0 and out["brand_lift_pp"] == 4.5 and out["primary"] == "awareness"
    code, _, err = run(capsys, "goals", "--campaign", cid, "--brand-lift", "lots")
    assert code == 2 and "--brand-lift" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["goals", "--campaign", "999"],
    ["goals", "--campaign", "{cid}", "--goal", "likes=5"],
    ["goals", "--campaign", "{cid}", "--goal", "orders=many"],
    ["goals", "--campaign", "{cid}", "--margin", "150"],
    ["goals", "--campaign", "{cid}", "--window", "2026-10-25:2026-10-01"],
    ["results", "import", "--campaign", "{cid}", "missing.csv"],
    ["results", "report", "--campaign", "999", "--json"],
])
def test_bad_input_exits_2_with_one_line(capsys, cli_campaign, argv):
    code, out, err = run(capsys, *[a.format(cid=cli_campaign) for a in argv])
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1


def test_results_import_matches_lists_and_updates(capsys, tmp_path, cli_campaign):
    cid = str(cli_campaign)
    path = _file(tmp_path, "results.csv", "Ник;Площадка;Охват;Заказы;Выручка\n@anna;Инстаграм;1,2 тыс;3;9 000 руб.\n"
                                          "zed;ВК;10;1;1\nbob;ТГ;10;два;5\n", "cp1251")
    code, out, _ = run(capsys, "results", "import", "--campaign", cid, path, "--dry-run", "--json")
    assert code == 0 and out["dry_run"] is True
    assert (out["rows_read"], out["matched"], out["inserted"], out["updated"]) == (3, 1, 1, 0)
    assert out["unmatched"] == [{"row": 3, "handle": "zed", "platform": "vk"}]
    assert out["rejected"] == [{"row": 4, "column": "Заказы", "reason": "not a number: 'два'"}]
    code, out, _ = run(capsys, "results", "import", "--campaign", cid, path, "--json")
    assert (out["inserted"], out["updated"]) == (1, 0)
    code, out, _ = run(capsys, "results", "import", "--campaign", cid, path, "--json")
    assert (out["inserted"], out["updated"]) == (0, 1)  # again: updated, never a second row
    code, text, _ = run(capsys, "results", "import", "--campaign", cid, path)
    assert "unmatched: row 3, zed (vk): not in the campaign" in text
    code, out, err = run(capsys, "results", "import", "--campaign", cid, _file(tmp_path, "x.csv", "a;b\n1;2\n"))
    assert code == 2 and err.count("\n") == 1


def test_results_import_notes_amounts_converted_from_another_currency(capsys, tmp_path, cli_campaign):
    cid = str(cli_campaign)
    path = _file(tmp_path, "usd.csv", "Ник;Площадка;Заказы;Выручка\nanna;instagram;3;$500\nbob;telegram;1;2 000 руб.\n"
                                      "bob;telegram;1;500 GBP\n")
    code, out, _ = run(capsys, "results", "import", "--campaign", cid, path, "--dry-run", "--json")
    assert code == 0 and out["matched"] == 2
    assert out["notes"] == [{"row": 2, "column": "Выручка",
                             "reason": "500.00 USD ('$500') converted at 90 RUB per USD: 45,000.00 RUB"}]
    assert out["rejected"] == [{"row": 4, "column": "Выручка", "reason": "an amount in GBP, a currency that is not "
                                                                        "read here (RUB, USD, EUR): '500 GBP'"}]
    code, text, _ = run(capsys, "results", "import", "--campaign", cid, path)
    assert "note: row 2, column 'Выручка': 500.00 USD ('$500') converted at 90 RUB per USD: 45,000.00 RUB" in text
    from planner.campaigns import results
    frame = results.load_results(db.get_engine(), cli_campaign, access=LOCAL).set_index("handle")
    assert frame.loc["anna", "revenue"] == 45_000.0 and frame.loc["bob", "revenue"] == 2_000.0


def test_baseline_and_report(capsys, tmp_path, cli_campaign):
    cid = str(cli_campaign)
    run(capsys, "results", "import", "--campaign", cid, _file(
        tmp_path, "r.csv", "handle;platform;reach;likes;clicks;orders;revenue;published\n"
                           "anna;instagram;20000;500;300;60;180000;2026-05-01\nbob;telegram;5000;20;90;30;90000;"
                           "2026-05-03\n"))
    lines = ["date,sales,region"]
    start = date(2026, 2, 1)
    for i in range(110):
        d = start + timedelta(days=i)
        lift = 6 if date(2026, 5, 1) <= d <= date(2026, 5, 10) else 0
        lines.append(f"{d.isoformat()},{100 + (i % 7) * 3 + lift},Moscow")
        lines.append(f"{d.isoformat()},{50 + (i % 7)},Kazan")
    code, out, _ = run(capsys, "results", "baseline", "--campaign", cid, _file(tmp_path, "s.csv", "\n".join(lines)),
                       "--json")
    assert code == 0 and out["days"] == 110 and out["controls"] == ["Kazan"] and out["unit"] == "orders"
    run(capsys, "goals", "--campaign", cid, "--margin", "50", "--goal", "orders=50", "--window",
        "2026-05-01:2026-05-10")
    xlsx = tmp_path / "report.xlsx"
    code, out, _ = run(capsys, "results", "report", "--campaign", cid, "--json", "--out", str(xlsx))
    assert code == 0 and xlsx.exists()
    assert out["goals"] == [{"kind": "orders", "target": 50.0, "actual": 90.0, "met": True}]
    assert out["totals"]["cost"] == 15_000 and out["totals"]["romi"] == pytest.approx((135_000 - 15_000) / 150)
    assert {b["handle"] for b in out["bloggers"]} == {"anna", "bob"}
    assert all(b["verdict"] in ("rebook", "keep", "drop") for b in out["bloggers"])
    assert out["roi_definition"] == "romi" and isinstance(out["disagreements"], list)
    inc = out["incrementality"]
    assert set(inc) >= {"baseline", "actual", "incremental", "low", "high", "method"}
    assert inc["low"] <= 60 <= inc["high"] + 40 and inc["estimator"] == "flat"  # an exact weekly pattern
    code, text, _ = run(capsys, "results", "report", "--campaign", cid)
    assert "goal orders: target 50, actual 90: met" in text


def test_help_stays_fast():
    import subprocess
    import sys
    code = "import sys; from planner.__main__ import build_parser; build_parser(); print(sorted(m for m in " \
           "('scipy', 'pandas', 'sqlalchemy', 'streamlit') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]"  # heavy imports stay inside the commands
    from planner.__main__ import GOAL_TYPES
    from planner.storage import models
    assert GOAL_TYPES == models.GOAL_TYPES


# ---- the page ----------------------------------------------------------------------------------------------
def _page(lang: str, tab: str | None = None) -> AppTest:
    """The Results page; ``tab`` ("goals", "results", "sales"): that tab opened (each is drawn only while open)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/results.py").run()
    if tab is not None:
        open_tab(at, "results_tab", f"results.tab_{tab}", lang)
    return at


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_results_page_shows_the_sample_report(sample_app, lang):
    at = _page(lang)
    assert not at.exception
    assert at.title[0].value == TEXT["results.title"][lang]
    labels = [m.label for m in at.metric]
    # goal attainment first
    assert labels[0].startswith(TEXT["goals.kind.orders"][lang])
    assert at.metric[0].delta in (TEXT["results.met"][lang], TEXT["results.missed"][lang])
    assert TEXT["results.romi"][lang] in labels and TEXT["results.inc_incremental"][lang] in labels
    subheaders = [h.value for h in at.subheader]
    assert subheaders[0] == TEXT["results.goal_attainment"][lang]
    text = " ".join(str(m.value) for m in at.markdown) + " ".join(str(c.value) for c in at.caption)
    assert TEXT["results.dis.likes_without_sales"][lang] in " ".join(str(e.value) for e in at.markdown) or \
        "@" in text
    if lang == "ru":
        english = {v["en"] for k, v in TEXT.items() if k.startswith(("results.", "goals.")) and v["en"] != v["ru"]}
        shown = [h.value for h in at.subheader] + [m.label for m in at.metric] + [str(c.value) for c in at.caption]
        assert not [s for s in shown if s in english]
        assert not [s for s in shown if re.fullmatch(r"[a-z_]+\.[a-z_.]+", s)]


def test_results_page_without_campaigns(new_db_url, tmp_path, monkeypatch):
    url = new_db_url("empty")
    monkeypatch.setenv("DATABASE_URL", url)
    at = _page("en")
    assert not at.exception
    assert at.info[0].value == TEXT["results.no_campaigns"]["en"]
    db._engines.pop(db.database_url(url), None)


def test_results_page_saves_goals(sample_app):
    at = _page("en", "goals")
    at.number_input(key=[k for k in (w.key for w in at.number_input) if k and k.endswith("_orders")][0]).set_value(
        1.0)
    at.button[[b.label for b in at.button].index(TEXT["goals.save"]["en"])].click().run()
    assert not at.exception
    from planner.campaigns import goals as goals_mod
    assert goals_mod.load_goals(db.get_engine(sample_app), 1, access=LOCAL).target("orders") == 1.0


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_brand_lift_is_entered_and_reported(sample_app, lang):
    from planner.campaigns import goals as goals_mod

    at = _page(lang, "goals")
    box = next(w for w in at.number_input if w.label == TEXT["goals.brand_lift"][lang])
    box.set_value(3.5)
    at.button[[b.label for b in at.button].index(TEXT["goals.save"][lang])].click().run()
    assert not at.exception
    assert goals_mod.load_goals(db.get_engine(sample_app), 1, access=LOCAL).brand_lift_pp == 3.5
    open_tab(at, "results_tab", "results.tab_report", lang)
    lift = next(m for m in at.metric if m.label == TEXT["results.brand_lift"][lang])
    assert lift.value.startswith("+3") and not lift.value.startswith("≈")  # a survey's figure: measured


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_upload_preview_shows_a_converted_amount_as_a_note(sample_app, lang):
    from planner.campaigns import results

    at = _page(lang, "results")
    cid = int(at.selectbox(key="results_campaign").value)
    place = results.placements_of(db.get_engine(sample_app), cid, access=LOCAL).iloc[0]
    at.number_input(key="fx_usd").set_value(80.0).run()  # the user's rate, not the default 90
    data = f"handle;platform;orders;revenue\n{place['handle']};{place['platform']};2;$500\n".encode()
    at.file_uploader(key=f"results_up_{cid}_0").upload("usd.csv", data, "text/csv").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if TEXT["results.col.reason"][lang] in d.value.columns)
    assert table.to_dict("records") == [{
        TEXT["results.col.row"][lang]: 2, TEXT["results.col.column"][lang]: "revenue",
        TEXT["results.col.reason"][lang]: {"en": "500.00 USD ('$500') converted at 80 RUB per USD: 40,000.00 RUB",
                                          "ru": "500.00 USD («$500») пересчитано по курсу 80 RUB за 1 USD: "
                                                "40000.00 RUB"}[lang],
        TEXT["results.col.what"][lang]: TEXT["results.note"][lang]}]


def test_storing_an_upload_says_so_and_empties_the_uploader(sample_app):
    """After "Store the results": the page says what was stored (after it is drawn again) and the file leaves the
    uploader, so the preview of what is already stored is not offered a second time."""
    from planner.campaigns import results

    at = _page("en", "results")
    cid = int(at.selectbox(key="results_campaign").value)
    place = results.placements_of(db.get_engine(sample_app), cid, access=LOCAL).iloc[0]
    data = f"handle;platform;orders\n{place['handle']};{place['platform']};7\n".encode()
    at.file_uploader(key=f"results_up_{cid}_0").upload("r.csv", data, "text/csv").run()
    store = next(b for b in at.button if (b.key or "") == f"results_apply_{cid}")
    store.click().run()
    assert not at.exception
    assert any(x.value.startswith("Stored: 0 new, 1 updated") for x in at.success), [x.value for x in at.success]
    assert not [b for b in at.button if (b.key or "") == f"results_apply_{cid}"]  # no second offer
    assert at.file_uploader(key=f"results_up_{cid}_1").value is None  # a new, empty uploader
    stored = results.load_results(db.get_engine(sample_app), cid, access=LOCAL)
    assert int(stored.set_index("placement_id").loc[int(place["id"]), "orders"]) == 7


def test_the_report_is_built_again_after_an_import(sample_app, monkeypatch):
    """The report reads the workspace's bloggers: its cache key holds their data version, so an import is seen at
    once (not after the cache's hour), and a rerun without one builds nothing."""
    from planner.campaigns import report as report_mod
    from planner.storage import store

    calls: list[int] = []
    real = report_mod.build

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(report_mod, "build", counted)
    at = _page("en")
    assert not at.exception and len(calls) == 1
    at.run()
    assert len(calls) == 1  # nothing changed: the cached report
    engine = db.get_engine(sample_app)
    frame = store.load_bloggers(engine).head(3).drop(columns=["id"]).assign(followers=123_456)
    store.upsert_bloggers(engine, frame, source="test")
    at.run()
    assert not at.exception and len(calls) == 2  # the import bumped the data version: a fresh report


def test_a_link_opens_the_same_campaigns_report(sample_app, capsys, tmp_path):
    """The campaign shown is in the URL: a new tab on the link opens that campaign's report, not the default."""
    at = _page("en")
    assert not at.exception
    shown = at.selectbox(key="results_campaign").value
    link = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert link["results_campaign"] == str(shown)
    # a second campaign, then a link to it
    code, out, err = run_cli(capsys, "plan", "--budget", "300000", "--niche", "beauty", "--time-limit", "5",
                             "--save", "Second", "--json")
    assert code == 0, err
    other = _page("en")
    assert other.selectbox(key="results_campaign").value == shown  # the default: the campaign with results
    linked = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    linked.query_params["lang"] = "en"
    linked.query_params["results_campaign"] = str(out["campaign_id"])
    linked.run()
    linked.switch_page("pages/results.py").run()
    assert not linked.exception
    assert linked.selectbox(key="results_campaign").value == out["campaign_id"]
    # a crafted link to a campaign that does not exist falls back to the default, no error
    bad = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    bad.query_params["lang"] = "en"
    bad.query_params["results_campaign"] = "999999"
    bad.run()
    bad.switch_page("pages/results.py").run()
    assert not bad.exception and bad.selectbox(key="results_campaign").value == shown


def test_the_page_and_the_command_tell_the_same_report(sample_app, capsys):
    """One use case (planner.app.results.report) behind both: the page's business figures for the sample campaign
    are `results report --json`'s."""
    at = _page("en")
    assert not at.exception
    cid = at.selectbox(key="results_campaign").value
    code, out, err = run_cli(capsys, "results", "report", "--campaign", str(cid), "--json")
    assert code == 0, err
    t = out["totals"]
    shown = {m.label: str(m.value) for m in at.metric}

    def figure(key: str) -> float:
        return float(re.sub(r"[^\d.]", "", shown[TEXT[key]["en"]].replace(",", "")))

    assert figure("results.orders") == pytest.approx(t["orders"], abs=0.5)
    assert figure("results.cost") == pytest.approx(t["cost"], abs=0.5)
    assert figure("results.roas") == pytest.approx(t["roas"], abs=0.005)
