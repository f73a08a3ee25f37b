"""planner.app.bloggers: reading a list with the workspace's remembered mapping, importing it (strict, dry run,
the user's corrections remembered) — what the Database page and `python -m planner import` both call."""

from __future__ import annotations

from planner.app import bloggers as use
from planner.storage import store
from planner.storage.access import LOCAL

CSV = ("Ник;Площадка;Подписчики;Цена поста\n"
       "anna;instagram;12000;15000\n"
       "boris;telegram;8 500;9000\n"
       ";instagram;100;1\n").encode("cp1251")


def test_a_dry_run_writes_nothing_and_counts_what_would_be_new(engine):
    preview = use.read_list(engine, CSV, "list.csv", access=LOCAL)
    assert preview.refused == 1 and len(preview.frame) == 2
    done = use.import_list(engine, preview, filename="list.csv", dry_run=True, access=LOCAL)
    assert (done.inserted, done.updated, done.written) == (2, 0, False)
    assert store.load_bloggers(engine).empty
    assert done.to_json()["dry_run"] is True and done.to_json()["rows_read"] == preview.rows_read


def test_strict_refuses_the_whole_file_when_a_row_is_refused(engine):
    preview = use.read_list(engine, CSV, "list.csv", access=LOCAL)
    done = use.import_list(engine, preview, filename="list.csv", strict=True, access=LOCAL)
    assert done.strict_refused and not done.written and (done.inserted, done.updated) == (0, 0)
    assert store.load_bloggers(engine).empty
    assert done.to_json()["strict_refused"] is True


def test_an_import_stores_the_rows_then_updates_them_and_remembers_the_corrections(engine):
    preview = use.read_list(engine, CSV, "list.csv", overrides={"Цена поста": None}, access=LOCAL)
    done = use.import_list(engine, preview, filename="list.csv", corrections={"Цена поста": None}, access=LOCAL)
    assert (done.inserted, done.updated) == (2, 0)
    stored = store.load_bloggers(engine)
    assert sorted(stored["handle"]) == ["anna", "boris"] and stored["price_post"].isna().all()
    again = use.read_list(engine, CSV, "list.csv",
                          access=LOCAL)  # the remembered correction: the price column is ignored again
    assert again.mapping.get("Цена поста") is None
    assert (use.import_list(engine, again, filename="list.csv", access=LOCAL).updated) == 2
