"""The browser benchmarks' shared machinery: the app's server on a free port against a throw-away database, the
waits (the app idle, a page opened, a select box's option chosen) and the timing rule, in headless Chromium.

planner.bench.page (the Plan page and the runner) and planner.bench.pages (the other pages) measure with these;
planner.bench.load starts the same server; tests/e2e wait the same way. Streamlit and playwright are imported only
inside the functions (the module imports with the standard library alone).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = int(os.environ.get("BENCH_PAGE_TIMEOUT_MS", "240000"))
IDLE_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && app.getAttribute("data-test-script-state") === "notRunning"
    && !document.querySelector("[data-testid='stSkeleton']");
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _server(workdir: Path, rows: int | None, database_url: str | None = None,
            env_extra: dict[str, str] | None = None, *, port: int | None = None,
            options: Sequence[str] = ()) -> Iterator[str]:
    """``streamlit run app.py`` on ``port`` (default: a free one) against a throw-away database (a SQLite file in
    ``workdir``, or ``database_url``: a database made for it, on PostgreSQL say), with ``env_extra`` in its
    environment and ``options`` added to its command line (``--secrets.files``, say); yields the base URL. The
    server's output goes to ``workdir``/server.log."""
    env = {**os.environ, "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench_page.db'}", **(env_extra or {})}
    env.pop("PLANNER_NO_SAMPLE", None)
    if rows is not None:  # seed a synthetic list of that size (the app then skips the shipped sample)
        from planner.ingest import sample
        from planner.storage import db, store
        engine = db.get_engine(env["DATABASE_URL"])
        store.upsert_bloggers(engine, sample.generate(int(rows), seed=0), source="sample")
        engine.dispose()
    port = port or _free_port()
    log = open(workdir / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", *options],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(480):
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except Exception:
                time.sleep(0.25)
        else:
            raise RuntimeError(f"streamlit never became healthy (see {workdir / 'server.log'})")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _log(text: str) -> None:
    if os.environ.get("BENCH_PAGE_VERBOSE"):
        print(text, file=sys.stderr, flush=True)


def _idle(page) -> None:
    page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)


def _settle(page) -> None:
    """The first render of a page: its title drawn and the script idle (a short grace for a rerun to start)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=TIMEOUT_MS)
    time.sleep(0.5)
    _idle(page)


WATCH_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  window.__benchRan = false;
  if (window.__benchObserver) window.__benchObserver.disconnect();
  // a run that starts and ends before the callback fires still leaves a record whose old value is "running"
  window.__benchObserver = new MutationObserver((records) => {
    if (app.getAttribute("data-test-script-state") === "running"
        || records.some((r) => r.oldValue === "running")) window.__benchRan = true;
  });
  window.__benchObserver.observe(app, {attributes: true, attributeOldValue: true,
                                       attributeFilter: ["data-test-script-state"]});
}"""


def _timings(page, act: Callable[[], None], changed: Callable[[], None] | None = None) -> tuple[float, float]:
    """Seconds from the action to (the app having run its script and ``changed``, a visible change in the rendered
    page, when given; the app idle again). The first is the answer shown, the second everything the action set off
    (a fragment that keeps working after the answer is shown, e.g. the Scenarios page's budget sweep)."""
    page.evaluate(WATCH_JS)
    t0 = time.perf_counter()
    act()
    page.wait_for_function("() => window.__benchRan === true", timeout=TIMEOUT_MS)
    if changed is not None:
        changed()
    shown = time.perf_counter() - t0
    _idle(page)
    took = time.perf_counter() - t0
    _log(f"  {shown:.2f} s shown, {took:.2f} s idle")
    return shown, took


def _timed(page, act: Callable[[], None], changed: Callable[[], None] | None = None) -> float:
    """Seconds from the action to the app having run its script (and ``changed`` when given) and being idle again."""
    return _timings(page, act, changed)[1]


def record(out: dict[str, Any], name: str, times: list[float]) -> None:
    """An interaction's figures: ``name`` the median (p50) of ``times``, ``name`` with ``_max_s`` the slowest
    (None for both when nothing was measured)."""
    out[name] = statistics.median(times) if times else None
    out[name.removesuffix("_s") + "_max_s"] = max(times) if times else None


def _opened(page, url: str, shown: Callable[[], None]) -> float:
    """Seconds from navigating to ``url`` (a new session) to ``shown`` (a page's answer visible) and the app idle."""
    t0 = time.perf_counter()
    page.goto(url)
    shown()
    _idle(page)
    took = time.perf_counter() - t0
    _log(f"  opened {url.rsplit('/', 1)[-1] or '/'} in {took:.2f} s")
    return took


def _open_and_choose(page, box, option) -> Callable[[], None]:
    """Open a select box's list (a click, else the arrow key) until ``option`` shows; return its click."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    field = box.locator("input").first
    opener = box.get_by_role("button", name="Open").first
    for attempt in range(3):
        (opener if attempt and opener.count() else field).click()
        try:
            option.wait_for(timeout=3000)
            break
        except PlaywrightTimeout:
            field.press("ArrowDown")
            try:
                option.wait_for(timeout=3000)
                break
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
    else:
        option.wait_for(timeout=TIMEOUT_MS)
    return lambda: option.click()
