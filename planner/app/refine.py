"""A plan answered at meeting speed and certified in the background.

A solve on the page first runs with a short deadline (:data:`QUICK_S`): its plan is usually the final one or within
a fraction of a percent of it, but its proven bound is still loose (the MILP that closes the gap takes one to two
seconds on the sample). That plan is shown at once, with its honest certificate and a note that the proof goes on;
the same solve with the full deadline, started from the quick plan, runs on a worker thread, and the page swaps in
the certified plan when it is done. A quick solve that already meets its gap target is final: nothing runs after it.

A :class:`Refining` is immutable from the outside (its answer only moves from the quick to the certified solution),
so a cache shared by the server's sessions may hold it; one that a session dropped before it started (the user
moved on) is started again when anyone asks for its answer.
"""

from __future__ import annotations

import concurrent.futures
import os
import threading
from collections.abc import Callable

from planner.planning import optimiser

QUICK_S = 0.3
"""Seconds the answer shown at once may take (the solve; candidates and drawing come on top). On the sample's
budgets from 0.8 to 3 M ₽ the plans found in 0.3 s had the unique reach and niche value of those found in 0.5 s
(at most 0.04 % apart; 2.4 % below the certified plan at 2 M ₽ for both), while 0.2 s was 4 % short at 3 M ₽."""

QUICK_RESOLVE_S = 0.1
"""The same for a re-solve from the plan on screen (a lock, a kick-out, a new reach weight): it starts from that plan,
and on the sample's default brief (five locks, three kick-outs, three weights) the plan found in 0.1 s had the
certified plan's objective every time (the certified solve took 0.3-0.8 s)."""

FINAL_STATUSES = ("optimal", "gap_ok")
"""A solve with one of these statuses is certified: nothing is left to prove."""

# two workers: one certifies the plan on screen while another finishes the previous one (a slider moved twice)
_WORKERS = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="plan-certify")


class Refining:
    """One solve's answer so far: ``quick`` (shown at once), then the certified solution of ``full`` (called on a
    worker thread with the quick solution; it should start from its plan), unless ``quick`` is final already."""

    def __init__(self, quick: optimiser.Solution,
                 full: Callable[[optimiser.Solution], optimiser.Solution] | None = None) -> None:
        self.quick = quick
        self._full = None if quick.status in FINAL_STATUSES else full
        self._lock = threading.Lock()
        self._future: concurrent.futures.Future[optimiser.Solution] | None = None
        if self._full is not None:
            self._submit()

    def _submit(self) -> None:
        full, quick = self._full, self.quick
        assert full is not None
        self._future = _WORKERS.submit(full, quick)

    def _done(self) -> concurrent.futures.Future[optimiser.Solution] | None:
        """The finished certification, or None while it runs (a dropped one is started again)."""
        with self._lock:
            f = self._future
            if f is None:
                return None
            if f.cancelled():
                self._submit()
                return None
            return f if f.done() else None

    @property
    def pending(self) -> bool:
        """Whether the certified plan is still being solved."""
        return self._future is not None and self._done() is None

    def solution(self) -> optimiser.Solution:
        """The best answer so far: the certified solution once it is done (it started from the quick plan, so its
        plan is never worse), else the quick one (also when the certification failed)."""
        f = self._done()
        if f is None or f.exception() is not None:
            return self.quick
        return f.result()

    def final(self, timeout: float | None = None) -> optimiser.Solution:
        """The certified answer, waiting for it (at most ``timeout`` seconds; then the best so far)."""
        while self._future is not None and self._done() is None:  # a dropped certification is started again
            f = self._future
            if f is not None and not f.cancelled():
                concurrent.futures.wait([f], timeout=timeout)
                break
        return self.solution()

    def drop(self) -> None:
        """The caller moved on: a certification not started yet is not started (anyone who asks for this answer
        again starts it); one already running finishes."""
        with self._lock:
            if self._future is not None:
                self._future.cancel()


def quick_seconds() -> float:
    """:data:`QUICK_S`, or the ``PLANNER_PLAN_QUICK_S`` environment variable (0: no quick answer, every solve runs
    its whole deadline at once; the test suite's default, so that a page's figures do not depend on timing)."""
    raw = os.environ.get("PLANNER_PLAN_QUICK_S", "").strip()
    try:
        value = float(raw) if raw else QUICK_S
    except ValueError:
        return QUICK_S
    return value if value > 0 else 0.0


def answer(run: Callable[[float, tuple], optimiser.Solution], time_limit: float, *,
           quick_s: float | None = None) -> Refining:
    """``run(seconds, starts)`` is a solve: now with ``quick_s`` (default :func:`quick_seconds`), then, when that
    answer is not final, in the background with ``time_limit`` from its plan. Without quick answers
    (:func:`quick_seconds` is 0): one solve with ``time_limit``."""
    quick = quick_seconds()
    if quick and quick_s is not None and not os.environ.get("PLANNER_PLAN_QUICK_S", "").strip():
        quick = quick_s  # the caller's deadline, unless the environment sets one
    if not quick or quick >= time_limit:
        return Refining(run(time_limit, ()))
    try:
        first = run(quick, ())
    except optimiser.NoPlanInTime:  # no plan in the quick deadline (a hard brief, a busy server): wait for one
        return Refining(run(time_limit, ()))
    return Refining(first, lambda q: run(time_limit, (q.chosen,)))
