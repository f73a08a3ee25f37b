"""A full rerun of the Database page in AppTest, in a process of its own (planner.bench.database runs it against a
seeded database: ``DATABASE_URL``): ``python -m uibench.database_page REPEATS`` prints the median rerun seconds and
this process's peak resident memory as JSON."""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest


def main(repeats: int) -> dict[str, float]:
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=600)
    at.run()
    assert not at.exception, at.exception
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    # VmHWM: this process's own peak resident memory (ru_maxrss may carry the parent's size across fork)
    with open("/proc/self/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
    return {"page_rerun_s": round(statistics.median(times), 3), "peak_mem_mib": round(rss, 1)}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)))
