"""The browser benchmark's wiring (no browser): which pages it knows, how a wrong name is refused, and
``python -m planner bench pages`` running every page through uibench.page."""

from __future__ import annotations

import json

import pytest

from planner.__main__ import build_parser, cmd_bench, main
from uibench import page as bench_page
from uibench import pages as bench_pages


def test_every_page_has_a_measure():
    assert bench_page.PAGES == ("plan", "database", "barter", "results", "scenarios")
    assert set(bench_page._measures()) == set(bench_page.PAGES)
    assert set(bench_pages.MEASURES) == set(bench_page.PAGES) - {"plan"}


def test_pages_option_parses_a_list_and_defaults_to_the_plan_page():
    assert bench_page._page_list(" database,scenarios ,database") == ("database", "scenarios")
    assert bench_page._parser().parse_args([]).pages == ("plan",)  # as before: the Plan page alone
    assert bench_page._parser().parse_args(["--pages", "results"]).pages == ("results",)


@pytest.mark.parametrize("value", ["plan,nope", "Database", ","])
def test_an_unknown_page_is_refused_before_anything_starts(value, capsys):
    with pytest.raises(SystemExit) as exc:
        bench_page.main(["--pages", value])
    assert exc.value.code == 2
    assert "unknown page" in capsys.readouterr().err
    with pytest.raises(ValueError, match="unknown page"):
        bench_page.page_timings(pages=("nope",))


def test_bench_pages_runs_every_page(monkeypatch, capsys):
    seen: dict = {}

    def fake(rows=None, repeats=3, pages=("plan",)):
        seen.update(rows=rows, repeats=repeats, pages=pages)
        return {"database_first_open_s": 1.5, "scenarios_error": "TimeoutError: x", "repeats": repeats}

    monkeypatch.setattr(bench_page, "page_timings", fake)
    args = build_parser().parse_args(["bench", "pages", "--repeats", "7", "--json"])
    assert args.func is cmd_bench and args.what == "pages"
    assert main(["bench", "pages", "--repeats", "7", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert seen == {"rows": None, "repeats": 3, "pages": bench_page.PAGES}  # the sample, at most 3 clicks each
    assert out["database_first_open_s"] == 1.5 and out["scenarios_error"].startswith("TimeoutError")


def test_bench_refuses_an_unknown_benchmark(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["bench", "nope"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
