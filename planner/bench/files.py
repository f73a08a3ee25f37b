"""`python -m planner bench files`: the hostile files of issue 19, each run as the command line runs it, in a
fresh process: its outcome (accepted, or refused with the limit or the row named), seconds and peak memory.

Results and sales files against a campaign of 2,597 placements (one cancelled): 50,000 rows of results, 30,000
refused rows, dates and amounts out of range, a sales file of 20,000 regions, of 30,000 unreadable dates or
figures, of 200,000 (and 90,000) days from 1500 to 2047, the largest sales series the limits take and the report on it;
workbooks: bombs of 100 and 400 MB unpacked, a sparse sheet whose rectangle is 20 million cells, the largest
workbook the limits take. The builders are shared with tests/test_hostile.py, which asserts each outcome (never a
time). Each case's figures: ``seconds`` (the command's own work, in the process), ``wall`` (with the interpreter's
start and imports) and ``peak_mib`` (the process's peak resident memory, VmHWM)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from planner.ingest import reasons as limits

ROOT = Path(__file__).resolve().parents[2]
PLACEMENTS = 2_597
CANCELLED = 7  # the placement b00007 is cancelled
TODAY = date.today()


def handle(i: int) -> str:
    return f"b{i:05d}"


def campaign_placements(n: int = PLACEMENTS) -> list[dict[str, object]]:
    """A saved campaign's placements: b00000 ... on Instagram, all published but one cancelled."""
    return [{"handle": handle(i), "platform": "instagram", "format": "post", "kind": "paid", "cost": 10_000.0,
             "expected_reach": 20_000.0, "status": "cancelled" if i == CANCELLED else "published"} for i in range(n)]


def _csv(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


# ---- results files ---------------------------------------------------------------------------------------------
def results_rows(rows: int, placements: int = PLACEMENTS) -> bytes:
    """``rows`` rows of results cycling through the placements (a later row of a placement replaces an earlier)."""
    day = TODAY - timedelta(days=60)
    return _csv(["handle,platform,views,likes,revenue,date"]
                + [f"{handle(i % placements)},instagram,{1000 + i},{i % 500},{i * 10},"
                   f"{(day + timedelta(days=i % 28)).isoformat()}" for i in range(rows)])


def results_refused(rows: int = 30_000) -> bytes:
    """Every row refused: views and likes that are no numbers."""
    return _csv(["handle,platform,views,likes"] + [f"{handle(i % PLACEMENTS)},instagram,n/a{i},x" for i in range(rows)])


# the dates of the issue: far future and past, Excel's serial 99999 as read (2173-10-13) and written
BAD_DATES = ("9999-12-31", "0001-01-01", "99999", "2173-10-13", "1999-12-31")


def results_dates() -> bytes:
    good = (TODAY - timedelta(days=10)).isoformat()
    return _csv(["handle,platform,views,date", f"{handle(1)},instagram,100,{good}"]
                + [f"{handle(2 + i)},instagram,100,{d}" for i, d in enumerate(BAD_DATES)])


def results_amounts() -> bytes:
    """1e10 EUR is 9.8e11 ₽ at the default 98 ₽/€ — within the limit; 1.1e10 EUR is above it once converted."""
    return _csv(["handle,platform,views,revenue", f"{handle(1)},instagram,100,1e10 EUR",
                 f"{handle(2)},instagram,100,1.1e10 EUR", f"{handle(3)},instagram,100,2e12",
                 f"{handle(4)},instagram,100,500 EUR"])


def results_cancelled() -> bytes:
    return _csv(["handle,platform,views,likes", f"{handle(CANCELLED)},instagram,1000,50",
                 f"{handle(1)},instagram,2000,80"])


# ---- sales files -----------------------------------------------------------------------------------------------
def sales_regions(regions: int = 20_000, days: int = 3) -> bytes:
    first = TODAY - timedelta(days=30)
    return _csv(["date,region,sales"] + [f"{(first + timedelta(days=k)).isoformat()},region {r},{10 + k}"
                                         for r in range(regions) for k in range(days)])


def sales_bad_dates(rows: int = 30_000) -> bytes:
    return _csv(["date,sales"] + [f"day {i},{i}" for i in range(rows)] + [f"{TODAY.isoformat()},5"])


def sales_bad_figures(rows: int = 30_000) -> bytes:
    return _csv(["date,sales"] + [f"{(TODAY - timedelta(days=i)).isoformat()},x{i}" for i in range(rows)]
                + [f"{TODAY.isoformat()},5"])


def sales_centuries(rows: int = 200_000) -> bytes:
    """``rows`` days spread from 1500 to 2047 (the issue's file: 200,000 rows)."""
    start = date(1500, 1, 1)
    span = (date(2047, 12, 31) - start).days
    return _csv(["date,sales"] + [f"{(start + timedelta(days=i * span // rows)).isoformat()},{100 + i % 50}"
                                  for i in range(rows)])


def sales_largest(regions: int = 27, days: int = limits.MAX_SALES_SPAN_DAYS) -> bytes:
    """The largest series the limits take: 27 regions (the campaign's and 26 controls) x ten years of days
    up to yesterday: 98,820 rows."""
    last = TODAY - timedelta(days=1)
    return _csv(["date,region,sales"] + [
        f"{(last - timedelta(days=days - 1 - k)).isoformat()},{'Moscow' if r == 0 else f'control {r}'},"
        f"{100 + (k * 7 + r) % 37}" for r in range(regions) for k in range(days)])


# ---- workbooks -------------------------------------------------------------------------------------------------
_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
       '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
         'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
         'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
              '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
              '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _row(r: int, extra: str = "") -> str:
    return (f'<row r="{r}">' + _text(f"A{r}", f"user{r}") + _text(f"B{r}", "vk") + f'<c r="C{r}"><v>{r}</v></c>'
            + extra + "</row>")


def workbook(unpacked: int, extra: Callable[[int], str] = lambda r: "") -> bytes:
    """An XLSX of a blogger list (handle, platform, followers) whose sheet unpacks to ``unpacked`` bytes, its ZIP
    headers honest; compressed, a tenth of that or less."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _BOOK),
                           ("xl/_rels/workbook.xml.rels", _BOOK_RELS)):
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main"><sheetData><row r="1">' + _text("A1", "handle").encode()
                     + _text("B1", "platform").encode() + _text("C1", "followers").encode() + b"</row>")
            written, r = 0, 2
            while written < unpacked:
                chunk = "".join(_row(r + k, extra(r + k)) for k in range(1000)).encode()
                fh.write(chunk)
                written += len(chunk)
                r += 1000
            fh.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def sparse_wide() -> bytes:
    """20,000 rows with a cell in column ALL: 389 KB whose rectangle is 20 million cells (the workbook reader
    allocates every one: 9 s and 1 GB before the limit)."""
    return workbook(20_000 * 140, extra=lambda r: f'<c r="ALL{r}"><v>1</v></c>')


# ---- the cases -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """One hostile file: what reads it (``command``: import, results import, results baseline), how it is made,
    and what should come of it (``expect``: "accepted", or the refusal's code)."""

    name: str
    command: str
    build: Callable[[], bytes]
    expect: str
    what: str


CASES: tuple[Case, ...] = (
    Case("results_50k.csv", "results import", lambda: results_rows(50_000), "accepted",
         "50,000 rows against 2,597 placements (47,403 replaced by a later row)"),
    Case("results_30k_refused.csv", "results import", results_refused, "accepted",
         "30,000 rows, every one refused (unreadable numbers): counted, the first 100 listed"),
    Case("results_too_many_rows.csv", "results import", lambda: results_rows(limits.MAX_RESULT_ROWS + 1),
         "too_many_rows", "100,001 rows"),
    Case("results_dates.csv", "results import", results_dates, "accepted",
         "dates 9999-12-31, 0001-01-01, 99999, 2173-10-13, 1999-12-31: each row refused with its column"),
    Case("results_amounts.csv", "results import", results_amounts, "accepted",
         "1.1e10 EUR above 1e12 RUB once converted, 2e12 RUB: refused with row and column"),
    Case("results_cancelled.csv", "results import", results_cancelled, "accepted",
         "a row for a cancelled placement: stored with a note"),
    Case("results_sparse_wide.xlsx", "results import", sparse_wide, "sheet_too_many_cells",
         "20,000 rows with a cell in column ALL (389 KB)"),
    Case("sales_20k_regions.csv", "results baseline", sales_regions, "too_many_regions",
         "20,000 regions x 3 days"),
    Case("sales_30k_bad_dates.csv", "results baseline", sales_bad_dates, "accepted",
         "30,000 unreadable dates and one good day"),
    Case("sales_30k_bad_figures.csv", "results baseline", sales_bad_figures, "accepted",
         "30,000 unreadable sales figures and one good day"),
    Case("sales_200k_1500_2047.csv", "results baseline", sales_centuries, "too_many_rows",
         "200,000 days from 1500 to 2047"),
    Case("sales_90k_1500_2047.csv", "results baseline", lambda: sales_centuries(90_000), "sales_span_too_long",
         "90,000 days from 1500 to 2047: days before 2000 and after next year refused, the rest spans 28 years"),
    Case("sales_largest.csv", "results baseline", sales_largest, "accepted",
         "27 regions x 3,660 days (98,820 rows): the largest series the limits take"),
    Case("bomb_100mb.xlsx", "import", lambda: workbook(100 * 2**20), "workbook_too_big",
         "a workbook of 644,000 rows, 100 MB unpacked (10 MB packed)"),
    Case("bomb_400mb.xlsx", "import", lambda: workbook(400 * 2**20), "workbook_too_big",
         "400 MB unpacked (41 MB packed)"),
    Case("sparse_wide.xlsx", "import", sparse_wide, "sheet_too_many_cells",
         "20,000 rows with a cell in column ALL (389 KB)"),
    Case("workbook_largest.xlsx", "import", lambda: workbook(limits.MAX_INFLATED_BYTES - 2**20), "accepted",
         "the largest workbook the limits take: 23 MB unpacked, 151,000 rows"),
)

_CHILD = r"""
import json, os, sys, time
t0 = time.perf_counter()
from planner.__main__ import main
t1 = time.perf_counter()
code = main(sys.argv[1:])
t2 = time.perf_counter()
try:
    rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
except OSError:  # not Linux: the peak from getrusage (KiB on Linux, bytes on macOS)
    import resource
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
with open(os.environ["PLANNER_BENCH_OUT"], "w") as fh:
    json.dump({"code": code, "seconds": round(t2 - t1, 2), "imports": round(t1 - t0, 2), "peak_mib": round(rss)}, fh)
"""


def _run(argv: list[str], env: dict[str, str], tmp: Path) -> dict[str, object]:
    import time

    out = tmp / "child.json"
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, *argv], env={**env, "PLANNER_BENCH_OUT": str(out)},
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    wall = time.perf_counter() - t0
    figures: dict[str, object] = json.loads(out.read_text()) if out.exists() else {"code": proc.returncode}
    out.unlink(missing_ok=True)
    figures["wall"] = round(wall, 2)
    lines = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
    figures["said"] = (lines[0] if lines else "")[:160]
    return figures


def run(only: tuple[str, ...] = ()) -> dict[str, dict[str, object]]:
    """Every case (or those named in ``only``) in a fresh process on a fresh SQLite database; then the report of
    the campaign with 50,000 rows of results and the largest sales series."""
    from planner.storage import campaigns, db
    from planner.storage.access import LOCAL

    result: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        url = f"sqlite:///{tmp / 'files.db'}"
        env = {**os.environ, "DATABASE_URL": url, "PLANNER_NO_SAMPLE": "1"}
        os.environ["PLANNER_NO_SAMPLE"] = "1"
        engine = db.get_engine(url)
        cid = campaigns.create_campaign(engine, {"name": "Hostile files", "currency": "RUB", "budget": 3e7,
                                                 "brief": {"budget": 3e7}}, campaign_placements(), access=LOCAL)
        engine.dispose()
        for case in CASES:
            if only and case.name not in only:
                continue
            path = tmp / case.name
            path.write_bytes(case.build())
            argv = ["import", str(path)] if case.command == "import" else \
                ["results", case.command.split()[1], "--campaign", str(cid), str(path)]
            figures = _run(argv, env, tmp)
            figures["size_kb"] = round(path.stat().st_size / 1024)
            figures["expect"] = case.expect
            result[case.name] = figures
            path.unlink()
        if not only or "report" in only:
            result["report"] = _run(["results", "report", "--campaign", str(cid), "--json"], env, tmp)
            result["report"]["said"] = "the report on 2,597 placements with results and the largest sales series"
    return result


def text(result: dict[str, dict[str, object]]) -> str:
    lines = [f"{'file':<28} {'outcome':<8} {'seconds':>7} {'wall':>6} {'peak MiB':>8}  said"]
    for name, f in result.items():
        outcome = "exit " + str(f.get("code"))
        lines.append(f"{name:<28} {outcome:<8} {f.get('seconds', '-'):>7} {f.get('wall', '-'):>6} "
                     f"{f.get('peak_mib', '-'):>8}  {f.get('said', '')}")
    return "\n".join(lines)
