"""A client that speaks Streamlit's websocket protocol, as the frontend does, without rendering anything.

The load benchmark (uibench.load, ``--clients websocket``) opens many sessions at once with it: rendering
twenty pages in Chromium costs about 20 s of the same two cores the server runs on, before the server does any work;
this client costs a few milliseconds per session, so what is measured is the server.

One session: connect to ``ws://HOST:PORT/_stcore/stream`` (subprotocol ``streamlit``; no XSRF token and no session
to resume, as a first visit), send the frontend's first ``BackMsg``: ``rerun_script`` with the link's query string
and the page's name as the frontend takes it from the address (``/database`` -> ``database``), then read
``ForwardMsg``s until the run finishes: ``script_finished`` FINISHED_SUCCESSFULLY (a run that stops early for a
rerun — ``st.rerun``, ``st.switch_page`` — is followed by the next run on the server, nothing to send). An exception
element, a compile error, ``page_not_found`` or a closed socket is an error of the session.

What the page drew is kept for checks: the metrics (label, value, delta), the headings, the Markdown and captions,
and the options of its select boxes. Streamlit is imported only
inside the functions (the module imports with the standard library alone).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

STREAM_PATH = "/_stcore/stream"


@dataclass
class PageRun:
    """What one session saw: seconds from the rerun request to the run finished, the page's metrics and headings,
    the page's name the server ran (``new_session``), the exception texts, and an error (None when fine)."""

    seconds: float | None = None
    metrics: list[tuple[str, str, str]] = field(default_factory=list)  # (label, value, delta)
    headings: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # Markdown and captions, select boxes' options
    page_script_hash: str = ""
    page_name: str = ""
    exceptions: list[str] = field(default_factory=list)
    messages: int = 0
    runs: int = 0  # script runs the request set off (a run that stops for a rerun is followed by the next)
    error: str | None = None

    def metric(self, label: str) -> tuple[str, str] | None:
        """(value, delta) of the first metric with this label."""
        for lab, value, delta in self.metrics:
            if lab == label:
                return value, delta
        return None


def number(text: str) -> int | None:
    """The digits of a count as the page writes it ("1,000,000", "1 000 000" with narrow spaces, "of 12 345")."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits else None


def rerun_request(query_string: str, page_name: str, page_script_hash: str = "") -> bytes:
    """The frontend's first message of a session: run the page named in the address with the link's query."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query_string
    state.page_name = page_name
    state.page_script_hash = page_script_hash
    info = state.context_info
    info.timezone = "Europe/Moscow"
    info.timezone_offset = -180
    info.locale = "en-US"
    info.url = f"http://127.0.0.1/{page_name}?{query_string}"
    info.is_embedded = False
    info.color_scheme = "light"
    return bytes(msg.SerializeToString())


def _take(run: PageRun, raw: bytes) -> str | None:
    """Record one ForwardMsg; return "done" at the end of the request's runs, "error: ..." on a failure."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.ParseFromString(raw)
    run.messages += 1
    kind = msg.WhichOneof("type")
    if kind == "new_session":
        run.page_script_hash = msg.new_session.page_script_hash
        run.runs += 1
    elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        el = msg.delta.new_element
        what = el.WhichOneof("type")
        if what == "metric":
            run.metrics.append((el.metric.label, el.metric.body, el.metric.delta))
        elif what == "heading":
            run.headings.append(el.heading.body)
        elif what == "markdown":
            run.texts.append(el.markdown.body)
        elif what == "selectbox":
            run.texts.extend(el.selectbox.options)
        elif what == "exception":
            run.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])
    elif kind == "page_info_changed":
        pass
    elif kind == "navigation":
        for page in msg.navigation.app_pages:
            if page.page_script_hash == msg.navigation.page_script_hash:
                run.page_name = page.url_pathname
    elif kind == "page_not_found":
        return f"error: page not found ({msg.page_not_found.page_name!r})"
    elif kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception":
        exc = msg.session_event.script_compilation_exception
        return f"error: {exc.type}: {exc.message}"[:300]
    elif kind == "script_finished":
        status = msg.script_finished
        if status == ForwardMsg.FINISHED_SUCCESSFULLY:
            return "done"
        if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            return "error: the script did not compile"
        # FINISHED_EARLY_FOR_RERUN: st.rerun or st.switch_page, the server runs again by itself
    return None


async def open_page(base: str, query_string: str, page_name: str = "database", timeout: float = 600.0,
                    start: asyncio.Event | None = None) -> PageRun:
    """One new session opening ``base/page_name?query_string``: connect, (wait for ``start``,) ask for the run,
    read until it finishes. ``seconds`` counts from the request sent to the run finished (the connection is made
    before, as a browser's is before its first rerun request)."""
    import websockets

    run = PageRun()
    url = base.replace("http://", "ws://").replace("https://", "wss://").rstrip("/") + STREAM_PATH
    request = rerun_request(query_string, page_name)
    try:
        async with websockets.connect(url, subprotocols=[websockets.Subprotocol("streamlit")], max_size=None,
                                      open_timeout=timeout, ping_interval=None, close_timeout=2,
                                      compression=None) as ws:
            if start is not None:
                await start.wait()
            t0 = time.perf_counter()
            await ws.send(request)
            deadline = t0 + timeout
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    run.error = f"timeout after {timeout:.0f} s"
                    break
                raw = await asyncio.wait_for(ws.recv(), timeout=left)
                if isinstance(raw, str):
                    run.error = "a text frame (the protocol is binary)"
                    break
                outcome = _take(run, raw)
                if outcome == "done":
                    run.seconds = time.perf_counter() - t0
                    break
                if outcome:
                    run.error = outcome[len("error: "):]
                    break
    except TimeoutError:
        run.error = f"timeout after {timeout:.0f} s"
    except Exception as exc:  # a refused or dropped connection is this session's error
        run.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    if run.error is None and run.exceptions:
        run.error = "exception shown: " + run.exceptions[0]
    return run


def summary(run: PageRun) -> dict[str, Any]:
    return {"seconds": run.seconds, "metrics": run.metrics, "headings": run.headings, "page": run.page_name,
            "runs": run.runs, "messages": run.messages, "error": run.error}
