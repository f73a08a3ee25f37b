"""`python -m planner bench database`: filter speed on 1 M bloggers, import of a 100 K messy CSV,
a rerun of the Database page on 100 K bloggers, and the app's peak memory with 1 M loaded.

Figures are medians of several runs; timings vary with the machine, so tests never assert them.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from planner.estimates.benchmarks import FRAUD_THRESHOLD
from planner.estimates.catalog import Catalog, Filters, niche_bits_of

ROOT = Path(__file__).resolve().parents[2]

BENCH_FILTERS = Filters(
    platforms=("instagram", "telegram", "youtube"),
    niches=("beauty", "fashion", "lifestyle"),
    followers_min=10_000,
    followers_max=1_000_000,
    er_min=1.0,
    min_credibility=FRAUD_THRESHOLD,
)


def _median_ms(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)


def bench_filter(rows: int, repeats: int) -> dict[str, float]:
    from planner.estimates import metrics
    from planner.ingest import sample
    frame = metrics.enrich(sample.generate(rows, seed=1))
    cat = Catalog(frame)
    f = BENCH_FILTERS
    ours = _median_ms(lambda: cat.mask(f), repeats)
    count = int(cat.mask(f).sum())
    # The same five filters as a plain pandas mask over in-memory columns (categorical platform,
    # an integer niche bit column, numeric ranges): the floor to approach. The credibility floor keeps only
    # measured credibility (an estimated one passes only when the user includes such bloggers), as the catalog does.
    plain = pd.DataFrame({
        "platform": frame["platform"].astype("category"),
        "niche_bits": cat.niche_bits,
        "followers": frame["followers"],
        "engagement_rate": frame["engagement_rate"],
        "credibility": frame["credibility"],
        "credibility_estimated": frame["credibility_estimated"].astype(bool),
    })
    bits = niche_bits_of(f.niches)

    def pandas_mask():
        return (plain["platform"].isin(f.platforms) & ((plain["niche_bits"] & bits) != 0)
                & plain["followers"].between(f.followers_min, f.followers_max)
                & (plain["engagement_rate"] >= f.er_min) & (plain["credibility"] >= f.min_credibility)
                & ~plain["credibility_estimated"])

    pandas_ms = _median_ms(pandas_mask, repeats)
    assert int(pandas_mask().sum()) == count, "pandas mask and catalog filter disagree"
    return {"filter_1m_ms": ours, "pandas_mask_1m_ms": pandas_ms, "filter_1m_matches": count}


def _fresh_db(tmp: Path, name: str) -> str:
    return f"sqlite:///{tmp / name}"


def bench_import(rows: int, repeats: int, tmp: Path) -> dict[str, float]:
    from planner import ingest
    from planner.ingest import sample
    from planner.storage import db, store
    data = sample.to_messy_csv(sample.generate(rows, seed=2), seed=2)
    times = []
    accepted = 0
    for i in range(repeats):
        url = _fresh_db(tmp, f"import_{i}.db")
        engine = db.get_engine(url)
        t0 = time.perf_counter()
        preview = ingest.preview(data, "messy.csv")
        store.upsert_bloggers(engine, preview.frame, source="import:bench")
        times.append(time.perf_counter() - t0)
        accepted = len(preview.frame)
        engine.dispose()
    return {"import_100k_s": round(statistics.median(times), 3), "import_rows_accepted": accepted,
            "import_file_mib": round(len(data) / 2**20, 1)}


def _seed_db(url: str, rows: int) -> None:
    from planner.ingest import sample
    from planner.storage import db, store
    engine = db.get_engine(url)
    store.upsert_bloggers(engine, sample.generate(rows, seed=3), source="sample")
    engine.dispose()


def bench_page(rows: int, repeats: int, tmp: Path) -> dict[str, float]:
    """A full rerun of the Database page (AppTest) with `rows` bloggers in the database, cache warm."""
    url = _fresh_db(tmp, "page.db")
    _seed_db(url, rows)
    return _page_process(url, repeats, timeout=900)


def _page_process(url: str, repeats: int, *, timeout: float) -> dict[str, float]:
    """The Database page driven in AppTest in a process of its own by uibench (planner imports no Streamlit):
    its median rerun seconds and that process's peak memory."""
    out = subprocess.run([sys.executable, "-m", "uibench.database_page", str(int(repeats))],
                         env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, timeout=timeout,
                         cwd=ROOT)
    if out.returncode:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "page bench failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_memory(rows: int, tmp: Path) -> dict[str, float]:
    """Peak resident memory of the app process (AppTest of the Database page) with `rows` bloggers loaded."""
    url = _fresh_db(tmp, "mem.db")
    _seed_db(url, rows)
    result = _page_process(url, 1, timeout=1800)
    return {"peak_mem_1m_mib": result["peak_mem_mib"], "page_rerun_1m_s": result["page_rerun_s"]}


def run(rows: int = 1_000_000, import_rows: int = 100_000, page_rows: int = 100_000, repeats: int = 5) -> dict:
    os.environ["PLANNER_NO_SAMPLE"] = "1"
    result: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        result.update(bench_filter(rows, repeats))
        result.update(bench_import(import_rows, max(1, min(repeats, 3)), tmp))
        page = bench_page(page_rows, repeats, tmp)
        result["page_rerun_100k_s"] = page["page_rerun_s"]
        result.update(bench_memory(rows, tmp))
    result["rows"] = rows
    result["cpu_count"] = os.cpu_count() or 0
    np.random.seed(None)
    return result
