"""Load benchmark: a team arriving at once on a cold server with a big database.

``run(sessions, rows)`` seeds a throw-away SQLite database with ``rows`` synthetic bloggers (and reads it once,
as the app does after an import, which leaves the load snapshot that a restarted server finds), starts
``streamlit run app.py`` cold (planner.bench.browser's server), then opens ``sessions`` browser sessions in headless
Chromium at the same moment. Each session waits for the Database page to show its count of bloggers (the first
render), then searches for a handle and picks a platform filter, each timed from the keystroke or click to the
new count shown and the app idle. Reports ``first_render_median_s``, ``first_render_max_s``,
``search_median_s``, ``filter_median_s``, ``errors`` (sessions that timed out or showed an exception),
``server_peak_mib`` (resident memory of the server process, sampled), and where the machine's CPU went per
session: ``server_cpu_s_per_session`` (the app) and ``browser_cpu_s_per_session`` (Chromium rendering
Streamlit's front end; on this machine the browsers share the server's cores, so they bound the first render
from below).

Only loopback traffic; the number of sessions and every wait are bounded. Run alone:
``python -m planner.bench.load --sessions 20 --rows 1000000`` prints JSON.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from planner.bench.browser import CHROMIUM, CHROMIUM_ARGS, IDLE_JS, _server

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


def _seed(workdir: Path, rows: int) -> None:
    """The database the server will open: ``rows`` synthetic bloggers, read once (leaves the load snapshot)."""
    from planner.ingest import sample
    from planner.storage import db, store
    url = f"sqlite:///{workdir / 'bench_page.db'}"
    os.environ.setdefault("PLANNER_NO_SAMPLE", "1")
    engine = db.get_engine(url)
    step = 250_000
    for start in range(0, rows, step):
        frame = sample.generate(min(step, rows - start), seed=start // step)
        frame["handle"] = frame["handle"] + f"_{start // step}"  # unique across the chunks
        store.upsert_bloggers(engine, frame, source="sample")
    store.load_bloggers(engine)
    engine.dispose()
    db._engines.clear()


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


def _server_pid(workdir: Path) -> int | None:
    import psutil

    for proc in psutil.process_iter(["pid", "cmdline", "cwd"]):
        cmd = " ".join(proc.info.get("cmdline") or [])
        if "streamlit run app.py" in cmd and proc.info["pid"] != os.getpid():
            env_ok = True
            try:
                env_ok = str(workdir) in (proc.environ().get("DATABASE_URL") or "")
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
        _seed(workdir, rows)
        seeded = time.perf_counter() - t0
        with _server(workdir, None) as base:
            pid = _server_pid(workdir)
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


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m planner.bench.load")
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--shared-context", action="store_true",
                   help="the sessions as tabs of one browser profile (Streamlit's scripts cached once)")
    args = p.parse_args(argv)
    print(json.dumps(run(args.sessions, args.rows, args.shared_context)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
