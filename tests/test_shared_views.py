"""Issue 18, many people at once: what the server shares between sessions and keeps on disk.

- Two sessions opening the Database page with the same link get one answer, computed once (the catalog's view memo
  is the server's, not a session's); another filter, or an import (a new data version: a new catalog), is computed
  again and changes what is shown.
- The default view is computed when the catalog is built and kept, whatever the other views do to the memo.
- A view is the same whichever way it is computed: a few rows sorted themselves or taken from the whole list's
  sort order, a search among the rows the other filters keep or over every row.
- The catalog's snapshot on disk (planner.app.catalog): a restarted server reads the same catalog (every array, the
  frame, the default view), never another data version's or a damaged one.
- Magic is off in .streamlit/config.toml because no page relies on it.

Real objects on throw-away SQLite databases; computations are counted by wrapping, never replaced. No timings."""

from __future__ import annotations

import ast
import dataclasses
import glob

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pytest

from planner.app import catalog as catalogs
from planner.core.i18n import TEXT
from planner.estimates import catalog as catalog_mod
from planner.estimates import metrics
from planner.estimates.catalog import Catalog, Filters
from planner.ingest import sample
from planner.storage import db, store
from tests.conftest import ROOT
from tests.conftest import app_test as _app

LINK = {"platform": "telegram", "niche": "beauty", "q": "sample"}


@pytest.fixture
def sample_db(new_db_url, monkeypatch, small_sample):
    url = new_db_url("shared")
    monkeypatch.setenv("DATABASE_URL", url)
    engine = db.get_engine(url)
    store.upsert_bloggers(engine, small_sample, source="sample")
    yield engine
    engine.dispose()
    db._engines.pop(db.database_url(url), None)


def _counted(monkeypatch, owner, name: str) -> list:
    calls: list = []
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _found(at) -> int:
    value = next(m.value for m in at.metric if m.label == TEXT["db.matching"]["en"])
    return int("".join(ch for ch in value if ch.isdigit()))


def _open(**params: str):
    at = _app("en", timeout=120, **params).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ---- sessions share the view's answer ---------------------------------------------------------------------------
def test_two_sessions_with_the_same_link_share_one_answer_and_a_filter_or_an_import_changes_it(sample_db,
                                                                                             monkeypatch):
    masks = _counted(monkeypatch, Catalog, "mask")
    first = _open(**LINK)
    count = _found(first)
    assert 0 < count < 400 and masks  # the first session computed its view
    computed = len(masks)
    second = _open(**LINK)  # another session, the same link
    assert _found(second) == count and len(masks) == computed  # answered from the shared memo
    from pages import common
    cat = common.catalog()
    f = Filters(platforms=("telegram",), niches=("beauty",), search="sample")
    assert cat.select(f) is cat.select(f) and len(masks) == computed  # the very same read-only array
    assert not cat.select(f).flags.writeable

    other = _open(**{**LINK, "platform": "vk"})  # another filter: computed, another answer
    assert len(masks) > computed and _found(other) != count

    # an import: a new data version, a new catalog; the same link is computed again and shows the new bloggers
    new = sample.generate(30, seed=99).assign(platform="telegram", niches="beauty")
    new["handle"] = "sample_new_" + new.index.astype(str)
    new["credibility"] = 0.95
    store.upsert_bloggers(sample_db, new, source="import:test")
    computed = len(masks)
    after = _open(**LINK)
    assert len(masks) > computed and _found(after) == count + 30
    assert common.catalog() is not cat


def test_the_default_view_is_computed_at_build_and_kept(small_sample, monkeypatch):
    cat = Catalog(metrics.enrich(small_sample))
    masks = _counted(monkeypatch, Catalog, "mask")
    default = cat.select(Filters())
    summary = cat.summary(Filters())
    assert not masks  # ready before anyone asked
    for i in range(80):  # more views than the memo keeps
        cat.select(Filters(followers_min=i * 1000))
    masks.clear()
    assert cat.select(Filters()) is default and cat.summary(Filters()) == summary and not masks


# ---- the same view whichever way it is computed ----------------------------------------------------------------
@pytest.fixture(scope="module")
def big():
    return Catalog(metrics.enrich(sample.generate(6000, seed=11)))


VIEWS = [
    Filters(),
    Filters(min_credibility=0.0),
    Filters(platforms=("vk",), niches=("food", "travel")),
    Filters(platforms=("instagram", "tiktok"), search="moscow"),
    Filters(search="москва", include_unknown_credibility=True),
    Filters(niches=("beauty",), search="sample_beauty_1"),
    Filters(countries=("RU", "KZ"), tiers=("micro", "mid"), search="a | m"),  # a query across the separator
    Filters(search="|", min_credibility=0.0),
    Filters(search="no such blogger"),
]


@pytest.mark.parametrize("sort", ["followers", "engagement_rate", "price_main", "cpm_main"])
@pytest.mark.parametrize("descending", [True, False])
def test_a_view_is_the_same_sorted_either_way_and_searched_either_way(big, monkeypatch, sort, descending):
    def reference(f: Filters) -> np.ndarray:
        """The filters without the search, the search over every row's whole text, a plain stable sort."""
        rows = np.flatnonzero(big.mask(dataclasses.replace(f, search="")))
        if f.search.strip():
            text = big._row_text(rows)
            hit = np.zeros(len(rows), dtype=bool)
            for needle in catalog_mod.search_needles(f.search):
                hit |= pc.match_substring(text, needle).to_numpy(zero_copy_only=False).astype(bool)
            rows = rows[hit]
        values = big.sort_values(sort, None, rows)
        order = np.argsort(-values if descending else values, kind="stable")
        return rows[order]

    for sort_all, search_all in ((10**9, 10**9), (1, 1)):  # sort and search the view's rows / the whole list
        monkeypatch.setattr(catalog_mod, "SORT_ALL_ABOVE", sort_all)
        monkeypatch.setattr(catalog_mod, "SEARCH_ALL_ABOVE", search_all)
        fresh = Catalog(big.frame)
        for f in VIEWS:
            got = fresh.select(f, sort=sort, descending=descending)
            assert np.array_equal(got, reference(f)), (f, sort, descending, sort_all)
            assert fresh.summary(f)["n"] == len(got)


# ---- the catalog's snapshot on disk ----------------------------------------------------------------------------
def _same(a: Catalog, b: Catalog) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame)
    for name in catalog_mod._STATE_ARRAYS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), name
        assert not y.flags.writeable, name
    for name in catalog_mod._STATE_DICTS:
        assert list(getattr(a, name)) == list(getattr(b, name)), name
        for key, x in getattr(a, name).items():
            assert np.array_equal(x, getattr(b, name)[key], equal_nan=x.dtype.kind == "f"), (name, key)
    assert a.main_format.tolist() == b.main_format.tolist()
    for name in ("n", "n_sample", "currency_values", "tier_bounds"):
        assert getattr(a, name) == getattr(b, name), name
    assert a._pinned.keys() == b._pinned.keys()
    for f in VIEWS:
        assert np.array_equal(a.select(f, sort="cpm_main"), b.select(f, sort="cpm_main")), f
        assert a.summary(f, "USD", rates={"USD": 80.0}) == b.summary(f, "USD", rates={"USD": 80.0}), f
    idx = np.array([5, 0, 77, 3, 77])
    assert a.rows(idx, ["handle", "followers", "accepts_barter"]).equals(b.rows(idx, ["handle", "followers",
                                                                                       "accepts_barter"]))


def test_a_snapshot_reads_back_the_same_catalog(big, tmp_path):
    assert big.save(tmp_path / "snap") and not big.save(tmp_path / "snap")  # written once, whole
    again = Catalog.load(tmp_path / "snap")
    # before its frame is made (on a thread of its own), the rows a page shows come from the Arrow table
    cols = ["handle", "platform", "followers", "credibility_estimated", "niches", "accepts_barter"]
    idx = np.array([10, 2, 5999, 10])
    pd.testing.assert_frame_equal(again.rows(idx, cols), big.frame.iloc[idx][cols])
    _same(big, again)


def test_the_app_opens_its_catalog_from_the_snapshot_of_the_same_data_only(new_db_url, monkeypatch):
    monkeypatch.setattr(catalogs, "SNAPSHOT_MIN_ROWS", 100)
    engine = db.get_engine(new_db_url("snapshot"))
    store.upsert_bloggers(engine, sample.generate(1500, seed=5), source="sample")
    builds = _counted(monkeypatch, Catalog, "__post_init__")
    built = catalogs.open_catalog(engine)  # built, its snapshot written
    folder = catalogs.snapshot_folder(engine)
    assert folder is not None and folder.is_dir() and len(builds) == 1
    again = catalogs.open_catalog(engine)  # a restarted server: read, not built
    assert len(builds) == 1
    _same(built, again)

    store.upsert_bloggers(engine, sample.generate(10, seed=6).assign(handle=lambda d: "x" + d["handle"]),
                          source="import:test")  # an import: another data version, another snapshot
    assert catalogs.snapshot_folder(engine) != folder
    fresh = catalogs.open_catalog(engine)
    assert len(builds) == 2 and fresh.n == 1510
    assert not folder.exists()  # the older snapshot of the workspace is dropped

    damaged = catalogs.snapshot_folder(engine)
    (damaged / "manifest.json").write_text("{")
    assert catalogs.open_catalog(engine).n == 1510 and len(builds) == 3  # a damaged snapshot: built again
    engine.dispose()


def test_a_snapshot_names_the_data_and_the_code(new_db_url):
    engine = db.get_engine(new_db_url("names"))
    key = store.data_identity(engine)
    assert key.startswith("1-v")
    store.upsert_bloggers(engine, sample.generate(5, seed=1), source="sample")
    assert store.data_identity(engine) != key  # every write of bloggers
    code = catalogs.code_key()
    assert len(code) == 16 and code in str(catalogs.snapshot_folder(engine))
    engine.dispose()


# ---- magic off ---------------------------------------------------------------------------------------------------
def test_no_page_relies_on_magic_which_is_off():
    """.streamlit/config.toml turns magic off (compiling the pages with it costs the server about 0.2 s whenever
    the last session leaves): it would have written nothing on any page."""
    from streamlit.runtime.scriptrunner import magic

    config = (ROOT / ".streamlit" / "config.toml").read_text()
    assert "magicEnabled = false" in config and "postScriptGC = false" in config
    for path in [ROOT / "app.py", *sorted(glob.glob(str(ROOT / "pages" / "*.py")))]:
        tree = magic.add_magic(open(path, encoding="utf-8").read(), str(path))
        writes = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "transparent_write"]
        assert not writes, (path, [ast.unparse(w) for w in writes][:3])


def test_snapshot_helpers_leave_no_partial_folder(big, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(catalog_mod.np, "save", refuse)
    with pytest.raises(OSError):
        big.save(tmp_path / "snap")
    assert not list(tmp_path.iterdir())
