"""Load benchmark: a team arriving at once on a cold server with a big database.

``run(sessions, rows)`` seeds a throw-away SQLite database with ``rows`` synthetic bloggers (and reads it once,
as the app does after an import, which leaves the load snapshot that a restarted server finds), starts
``streamlit run app.py`` cold (uibench.browser's server), then opens ``sessions`` browser sessions in headless
Chromium at the same moment. Each session waits for the Database page to show its count of bloggers (the first
render), then searches for a handle and picks a platform filter, each timed from the keystroke or click to the
new count shown and the app idle. Reports ``first_render_median_s``, ``first_render_max_s``,
``search_median_s``, ``filter_median_s``, ``errors`` (sessions that timed out or showed an exception),
``server_peak_mib`` (resident memory of the server process, sampled), and where the machine's CPU went per
session: ``server_cpu_s_per_session`` (the app) and ``browser_cpu_s_per_session`` (Chromium rendering
Streamlit's front end; on this machine the browsers share the server's cores, so they bound the first render
from below).

``run_websocket(sessions, rows)`` (``--clients websocket``) measures the server alone: twenty Chromium pages need
about 20 s of this machine's two cores before the server runs at all, so here the sessions are clients that speak
Streamlit's websocket protocol (uibench.wsclient: the frontend's rerun request, then the page's messages until
the run finishes; nothing is rendered). Each opens the Database page with its own filters in the link (language,
platform, niche, search) and must get that page with the count of bloggers its filters give (computed beforehand
from the same catalog) in its language, without an exception. Measured: ``cold_first_run_s`` (the first page on a
server just started, from its health check answering to the run finished), ``warm_one_s`` and the ``warm_*`` figures
(one session, then ``sessions`` arriving together, on that now warm server, with other filters), then on a second,
cold server ``sessions`` arriving together: ``first_run_median_s``, ``first_run_max_s``, ``errors``,
``server_peak_mib`` and ``server_cpu_s_per_session`` (the server's CPU from its health check to the last answer,
catalog loading included, per session); ``server_cpu_s_per_render`` is the warm server's CPU per session. The load
average of the machine at the start and the end is printed (the figures are wall-clock times on shared cores).

``--database-url postgresql://USER@HOST:PORT/DB`` (websocket clients) runs the same on PostgreSQL: a throw-away
database is made on that server (the one named is only where it is made from), seeded, measured and dropped; the
figures are the same, and ``database`` says which kind was measured.

Only loopback traffic; the number of sessions and every wait are bounded. Run alone:
``python -m uibench.load --sessions 20 --rows 1000000 [--clients websocket [--database-url URL]]`` prints
JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from uibench.browser import CHROMIUM, CHROMIUM_ARGS, IDLE_JS, ROOT, _free_port, _server, stop

TIMEOUT_S = float(os.environ.get("BENCH_LOAD_TIMEOUT_S", "600"))
METRIC = "[data-testid='stMetricValue']"
EXCEPTION = "[data-testid='stException']"
# The browsers share the server's two cores here, so what they spend while they wait slows the server down; on a
# user's own machine it does not. CSS animations and transitions (the running indicator, skeletons, fades) are
# switched off in the benchmark's browsers: they repaint for as long as a session waits. The app and what the
# server does are unchanged.
_STILL_JS = """(() => {
  const still = () => {
    const style = document.createElement("style");
    style.textContent = "*, *::before, *::after { animation: none !important; transition: none !important; }";
    document.head.appendChild(style);
  };
  if (document.head) still(); else document.addEventListener("DOMContentLoaded", still);
})();"""


@contextlib.contextmanager
def _database(workdir: Path, server: str | None = None) -> Iterator[str]:
    """The URL of the throw-away database the benchmark seeds and its servers open: a SQLite file in ``workdir``, or,
    with ``server`` (a PostgreSQL server's URL, as ``--database-url`` names it), a new database on that server,
    dropped afterwards (the database ``server`` names is never written)."""
    from planner.storage import db
    if not server:
        yield f"sqlite:///{workdir / 'bench_page.db'}"
        return
    if not db.database_url(server).startswith("postgresql"):
        raise ValueError(f"--database-url must name a PostgreSQL server, not {server.split(':', 1)[0]!r}")
    url = db.create_database(server, prefix="bench_load_")
    try:
        yield url
    finally:
        db.drop_database(server, url)


def _seed(url: str, rows: int, links: Sequence[str] = ()) -> dict[str, int]:
    """The database the server will open (``url``): ``rows`` synthetic bloggers, then its catalog opened once as the
    app does after an import (its next page builds the catalog, leaving the load snapshot and the catalog's snapshot
    that a restarted server finds). Returns the count of bloggers each of ``links`` must show (its filters on that
    catalog: the check of the answers)."""
    from planner.app.catalog import open_catalog
    from planner.ingest import sample
    from planner.storage import db, store
    os.environ.setdefault("PLANNER_NO_SAMPLE", "1")
    engine = db.get_engine(url)
    step = 250_000
    for start in range(0, rows, step):
        frame = sample.generate(min(step, rows - start), seed=start // step)
        frame["handle"] = frame["handle"] + f"_{start // step}"  # unique across the chunks
        store.upsert_bloggers(engine, frame, source="sample")
        del frame
    cat = open_catalog(engine)  # built, snapshotted (not in the background: the server must find it)
    expected = {link: int(cat.summary(_filters_of(link))["n"]) for link in links}
    del cat
    engine.dispose()
    db._engines.pop(db.database_url(url), None)
    return expected


class _PeakMemory:
    """Samples the resident memory of the server process (and its children) every 0.2 s."""

    def __init__(self, pid: int):
        import psutil

        self.proc = psutil.Process(pid)
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                rss = self.proc.memory_info().rss + sum(c.memory_info().rss for c in self.proc.children(True))
                self.peak = max(self.peak, rss / 2**20)
            except psutil.Error:
                pass
            self._stop.wait(0.2)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join(2)
        return self.peak


async def _wait_idle(page) -> None:
    await page.wait_for_function(IDLE_JS, timeout=TIMEOUT_S * 1000)


async def _count_changes(page, before: str) -> None:
    await page.wait_for_function(
        "([sel, before]) => { const e = document.querySelector(sel); return e && e.innerText !== before; }",
        arg=[METRIC, before], timeout=TIMEOUT_S * 1000)
    await _wait_idle(page)


async def _context(browser):
    context = await browser.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
    await context.add_init_script(_STILL_JS)
    return context


async def _session(browser, base: str, i: int, start: asyncio.Event, shared=None) -> dict[str, Any]:
    out: dict[str, Any] = {"error": None}
    context = shared or await _context(browser)
    page = await context.new_page()
    try:
        await start.wait()
        t0 = time.perf_counter()
        await page.goto(f"{base}/?lang=en", timeout=TIMEOUT_S * 1000)
        await page.wait_for_selector(METRIC, timeout=TIMEOUT_S * 1000)
        await _wait_idle(page)
        out["first_render_s"] = time.perf_counter() - t0
        # search: a handle of the synthetic list, typed and confirmed with Enter
        before = await page.inner_text(METRIC)
        box = page.get_by_label("Search handle, name or city")
        await box.fill(f"sample_beauty_{100 + i}")
        t0 = time.perf_counter()
        await box.press("Enter")
        await _count_changes(page, before)
        out["search_s"] = time.perf_counter() - t0
        await box.fill("")
        before = await page.inner_text(METRIC)
        await box.press("Enter")
        await _count_changes(page, before)
        # a filter: the platform list, Telegram
        before = await page.inner_text(METRIC)
        select = page.locator("[data-testid='stMultiSelect']", has_text="Platform").first
        await select.locator("input").first.click()
        option = page.locator("[role='option']", has_text="Telegram").first
        await option.wait_for(timeout=30_000)
        t0 = time.perf_counter()
        await option.click()
        await _count_changes(page, before)
        out["filter_s"] = time.perf_counter() - t0
        if await page.locator(EXCEPTION).count():
            out["error"] = "exception shown"
    except Exception as exc:  # a timeout or a broken page counts as an error of this session
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    finally:
        await (page.close() if shared else context.close())
    return out


async def _sessions(base: str, n: int, shared_context: bool = False) -> list[dict[str, Any]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            start = asyncio.Event()
            shared = await _context(browser) if shared_context else None  # tabs of one browser, one cache
            tasks = [asyncio.create_task(_session(browser, base, i, start, shared)) for i in range(n)]
            await asyncio.sleep(1.0)  # every context open: then all arrive together
            start.set()
            return list(await asyncio.wait_for(asyncio.gather(*tasks), timeout=TIMEOUT_S * 2))
        finally:
            await browser.close()


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds of a process so far (0 when unknown)."""
    import psutil

    try:
        c = psutil.Process(pid).cpu_times() if pid else None
    except psutil.Error:
        return 0.0
    return float(c.user + c.system) if c else 0.0


class _ChromiumCpu:
    """CPU seconds the Chromium processes spend from now on (sampled, so processes that end are counted)."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.base = {pid: cpu for pid, cpu in self._sample().items()}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _sample() -> dict[int, float]:
        import psutil

        out = {}
        for proc in psutil.process_iter(["name", "cmdline"]):
            try:
                if "chrom" in (proc.info.get("name") or "") or "chromium" in " ".join(proc.info.get("cmdline") or []):
                    c = proc.cpu_times()
                    out[proc.pid] = float(c.user + c.system)
            except psutil.Error:
                continue
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            self.seen.update(self._sample())
            self._stop.wait(0.5)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join(2)
        return sum(cpu - self.base.get(pid, 0.0) for pid, cpu in self.seen.items())


def _server_pid(url: str) -> int | None:
    """The process id of the app's server that opened the database ``url``."""
    import psutil

    for proc in psutil.process_iter(["pid", "cmdline", "cwd"]):
        cmd = " ".join(proc.info.get("cmdline") or [])
        if "streamlit run app.py" in cmd and proc.info["pid"] != os.getpid():
            env_ok = True
            try:
                env_ok = proc.environ().get("DATABASE_URL") == url
            except psutil.Error:
                pass
            if env_ok:
                return int(proc.info["pid"])
    return None


def run(sessions: int = 20, rows: int = 1_000_000, shared_context: bool = False) -> dict[str, Any]:
    """See the module docstring. ``shared_context``: the sessions are tabs of one browser profile (one HTTP and
    code cache: Streamlit's scripts are fetched and compiled once), not one profile each."""
    if not 1 <= sessions <= 50:
        raise ValueError("sessions must be between 1 and 50")
    with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
        workdir = Path(tmp)
        t0 = time.perf_counter()
        url = f"sqlite:///{workdir / 'bench_page.db'}"
        _seed(url, rows)
        seeded = time.perf_counter() - t0
        with _server(workdir, None) as base:
            pid = _server_pid(url)
            meter = _PeakMemory(pid) if pid else None
            server0, clients = _cpu_seconds(pid), _ChromiumCpu()
            results = asyncio.run(_sessions(base, sessions, shared_context))
            server_cpu, client_cpu = _cpu_seconds(pid) - server0, clients.stop()
            peak = meter.stop() if meter else float("nan")
    ok = [r for r in results if not r["error"]]
    first = [r["first_render_s"] for r in results if "first_render_s" in r]
    search = [r["search_s"] for r in ok if "search_s" in r]
    filt = [r["filter_s"] for r in ok if "filter_s" in r]
    return {
        "sessions": sessions, "rows": rows, "shared_context": shared_context,
        "first_render_median_s": round(statistics.median(first), 2) if first else None,
        "first_render_max_s": round(max(first), 2) if first else None,
        "search_median_s": round(statistics.median(search), 2) if search else None,
        "filter_median_s": round(statistics.median(filt), 2) if filt else None,
        "errors": len(results) - len(ok),
        "error_messages": sorted({r["error"] for r in results if r["error"]})[:5],
        "server_peak_mib": round(peak, 1),
        # where the machine's time went: the server (the app) and the browsers, per session (CPU seconds);
        # with every browser on the same 2 cores, the browsers' share bounds the first render from below
        "server_cpu_s_per_session": round(server_cpu / sessions, 2),
        "browser_cpu_s_per_session": round(client_cpu / sessions, 2),
        "cpus": os.cpu_count(),
        "seed_s": round(seeded, 1),
    }


# ---- the server alone: clients speaking Streamlit's websocket protocol ------------------------------------
SEARCHES = ("moscow", "блогер 12", "beauty_1", "Казань", "spb", "_12", "almaty", "food_3", "москва", "minsk")


def links(n: int, offset: int = 0) -> list[str]:
    """``n`` Database page links, each with its own filters: language, platform, niche and a search (a city in
    either language, a name, a part of a handle); ``offset`` gives another set of the same kind."""
    from planner.core.schema import NICHES, PLATFORMS

    out = []
    for j in range(offset, offset + n):
        out.append(urlencode({"lang": ("en", "ru")[j % 2], "platform": PLATFORMS[j % len(PLATFORMS)],
                              "niche": NICHES[(j * 7) % len(NICHES)], "q": SEARCHES[j % len(SEARCHES)]}))
    return out


def _filters_of(link: str):
    """The catalog's filters a link asks for (the page's defaults for everything it leaves out)."""
    from planner.estimates.catalog import Filters

    q = {k: v[-1] for k, v in parse_qs(link).items()}
    return Filters(platforms=tuple(q["platform"].split(",")) if q.get("platform") else (),
                   niches=tuple(q["niche"].split(",")) if q.get("niche") else (), search=q.get("q", ""))


def _check(run, link: str, expected: Mapping[str, int], rows: int) -> str | None:
    """Why a session's answer is wrong (None: the Database page, in the link's language, with its count)."""
    from planner.core.i18n import t
    from uibench.wsclient import number

    if run.error:
        return run.error
    lang = parse_qs(link).get("lang", ["en"])[-1]
    if run.page_name != "database":
        return f"another page: {run.page_name!r}"
    shown = run.metric(t("db.matching", lang))
    if shown is None:
        return f"no count of bloggers in {lang!r} (metrics: {[m[0] for m in run.metrics][:4]})"
    count, total = number(shown[0]), number(shown[1])
    if total != rows:
        return f"total {shown[1]!r}, not {rows}"
    if link in expected and count != expected[link]:
        return f"{count} bloggers shown, the filters give {expected[link]}"
    return None


async def _ws_sessions(base: str, batch: Sequence[str]) -> list:
    """The sessions of ``batch`` connected first, then their requests sent at the same moment."""
    from uibench import wsclient

    start = asyncio.Event()
    tasks = [asyncio.create_task(wsclient.open_page(base, link, timeout=TIMEOUT_S, start=start)) for link in batch]
    await asyncio.sleep(0.5)  # every socket open: then all ask together
    start.set()
    return list(await asyncio.gather(*tasks))


def _answers(base: str, batch: Sequence[str], expected: Mapping[str, int], rows: int) -> tuple[list[float], list[str]]:
    runs = asyncio.run(_ws_sessions(base, batch))
    errors = [e for e in (_check(r, link, expected, rows) for r, link in zip(runs, batch, strict=True)) if e]
    return [r.seconds for r in runs if r.seconds is not None and not r.error], errors


@contextlib.contextmanager
def _started(workdir: Path, url: str) -> Iterator[tuple[str, float, float]]:
    """``streamlit run app.py`` as uibench.browser's server runs it, against the seeded database ``url``;
    yields the base URL, the moment the process was started and the moment its health check first answered (asked
    every 20 ms: the moment "the server started" is known to that)."""
    import subprocess
    import urllib.request

    env = {**os.environ, "DATABASE_URL": url}
    env.pop("PLANNER_NO_SAMPLE", None)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with open(workdir / "server.log", "a") as log:
        spawned = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
             str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = spawned + TIMEOUT_S
            while True:
                try:
                    if urllib.request.urlopen(base + "/_stcore/health", timeout=1).read() == b"ok":
                        break
                except Exception:  # noqa: BLE001 - not up yet
                    if proc.poll() is not None or time.perf_counter() > deadline:
                        raise RuntimeError(f"streamlit never became healthy (see {workdir / 'server.log'})") from None
                    time.sleep(0.02)
            yield base, spawned, time.perf_counter()
        finally:
            stop(proc)


def run_websocket(sessions: int = 20, rows: int = 1_000_000, database_url: str | None = None) -> dict[str, Any]:
    """See the module docstring. ``database_url``: a PostgreSQL server, on which a throw-away database is seeded and
    measured (default: a SQLite file)."""
    if not 1 <= sessions <= 50:
        raise ValueError("sessions must be between 1 and 50")
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp, _database(Path(tmp), database_url) as url:
        workdir = Path(tmp)
        t0 = time.perf_counter()
        expected = _seed(url, rows, _all_links(sessions))
        seeded = time.perf_counter() - t0
        out = measure_websocket(workdir, url, sessions, rows, expected)
    out.update(seed_s=round(seeded, 1), load_avg_before_seed=[round(x, 2) for x in load_start],
               database=url.split(":", 1)[0].split("+", 1)[0])
    return out


def _all_links(sessions: int) -> list[str]:
    """The cold team's links, the warm team's, the first page's and the warm single session's."""
    return links(2 * sessions + 2)


def measure_websocket(workdir: Path, url: str, sessions: int, rows: int,
                      expected: Mapping[str, int]) -> dict[str, Any]:
    """The measurements of :func:`run_websocket` on the database ``url``, already seeded (``expected``: the count each
    link must show); the servers' output in ``workdir``."""
    import streamlit.proto.ForwardMsg_pb2  # noqa: F401 - imported before any timing (the clients parse with it)
    import websockets  # noqa: F401

    from uibench import wsclient

    every = _all_links(sessions)
    cold_links, warm_links = every[:sessions], every[sessions:2 * sessions]
    first_link, one_link = every[-2], every[-1]
    out: dict[str, Any] = {"clients": "websocket", "sessions": sessions, "rows": rows,
                           "load_avg_start": [round(x, 2) for x in os.getloadavg()]}
    errors: list[str] = []
    # 1. a server just started: its first page; then warm, one session and a team, each with other filters
    with _started(workdir, url) as (base, spawned, healthy):
        pid = _server_pid(url)
        first = asyncio.run(wsclient.open_page(base, first_link, timeout=TIMEOUT_S))
        out["cold_first_run_s"] = round(time.perf_counter() - healthy, 2)
        out["server_start_s"] = round(healthy - spawned, 2)  # the process started to its health check answering
        errors += [e for e in [_check(first, first_link, expected, rows)] if e]
        one = asyncio.run(wsclient.open_page(base, one_link, timeout=TIMEOUT_S))
        out["warm_one_s"] = round(one.seconds, 2) if one.seconds is not None else None
        errors += [e for e in [_check(one, one_link, expected, rows)] if e]
        cpu0 = _cpu_seconds(pid)
        warm, warm_errors = _answers(base, warm_links, expected, rows)
        warm_cpu = _cpu_seconds(pid) - cpu0
        errors += warm_errors
    out["warm_first_run_median_s"] = round(statistics.median(warm), 2) if warm else None
    out["warm_first_run_max_s"] = round(max(warm), 2) if warm else None
    out["server_cpu_s_per_render"] = round(warm_cpu / sessions, 3)
    # 2. a cold server again: the team arrives at once, right after it started
    with _started(workdir, url) as (base, _, _):
        pid = _server_pid(url)
        meter = _PeakMemory(pid) if pid else None
        cpu0 = _cpu_seconds(pid)
        cold, cold_errors = _answers(base, cold_links, expected, rows)
        cold_cpu = _cpu_seconds(pid) - cpu0
        peak = meter.stop() if meter else float("nan")
    out.update({
        "first_run_median_s": round(statistics.median(cold), 2) if cold else None,
        "first_run_max_s": round(max(cold), 2) if cold else None,
        "errors": len(cold_errors),
        "error_messages": sorted(set(cold_errors))[:5],
        "server_peak_mib": round(peak, 1),
        "server_cpu_s_per_session": round(cold_cpu / sessions, 3),
        "other_errors": len(errors),  # the first page's, the warm single session's and the warm team's
        "other_error_messages": sorted(set(errors))[:5],
        "cpus": os.cpu_count(),
        "load_avg_end": [round(x, 2) for x in os.getloadavg()],
    })
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m uibench.load")
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--shared-context", action="store_true",
                   help="the sessions as tabs of one browser profile (Streamlit's scripts cached once)")
    p.add_argument("--clients", choices=("browser", "websocket"), default="browser",
                   help="browser: headless Chromium pages; websocket: clients of Streamlit's protocol, no rendering")
    p.add_argument("--database-url", default=None, metavar="URL",
                   help="websocket: a PostgreSQL server (postgresql://user@host:port/db) on which a throw-away "
                        "database is made, seeded and dropped (default: a SQLite file)")
    args = p.parse_args(argv)
    if args.clients == "websocket":
        print(json.dumps(run_websocket(args.sessions, args.rows, args.database_url)))
    else:
        print(json.dumps(run(args.sessions, args.rows, args.shared_context)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
