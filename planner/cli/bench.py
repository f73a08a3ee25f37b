"""`bench`: speed and memory (planner.bench: database, plan, load, scenarios, pages, files: the hostile files), and
the incrementality estimate's simulation study (planner.bench.incrementality)."""

from __future__ import annotations

import argparse

from planner.cli.common import CliError, emit


def cmd_bench(args: argparse.Namespace) -> int:
    if args.what == "database":
        from planner.bench import database as bench_database
        result = bench_database.run(rows=args.rows, import_rows=args.import_rows, page_rows=args.page_rows,
                                    repeats=args.repeats)
    elif args.what == "plan":
        from planner.bench import plan as bench_plan
        result = bench_plan.run(repeats=args.repeats)
        if not args.skip_page:  # the Plan page in headless Chromium: a click to the answer, as a user waits
            from uibench import page as bench_page
            try:
                result.update(bench_page.page_timings(repeats=max(1, min(args.repeats, 3))))
            except Exception as exc:  # a browser that cannot start: the solver figures still count
                result["page_error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    elif args.what == "pages":  # every page in headless Chromium: a click to the answer, as a user waits
        from uibench import page as bench_page
        try:
            result = bench_page.page_timings(repeats=max(1, min(args.repeats, 3)), pages=bench_page.PAGES)
        except Exception as exc:  # a browser or a server that cannot start (each page reports its own failure)
            result = {"pages_error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"}
    elif args.what == "scenarios":
        from planner.bench import scenarios as bench_scenarios
        result = bench_scenarios.run(repeats=max(1, min(args.repeats, 5)))
    elif args.what == "load":
        from uibench import load as bench_load
        if not 1 <= args.sessions <= 50:
            raise CliError("--sessions must be between 1 and 50")
        if args.database_url and (args.clients != "websocket" or not args.database_url.startswith("postgres")):
            raise CliError("--database-url: a PostgreSQL server (postgresql://...), with --clients websocket")
        if args.clients == "websocket":  # the server alone: clients of Streamlit's protocol, nothing rendered
            result = bench_load.run_websocket(sessions=args.sessions, rows=args.rows, database_url=args.database_url)
        else:
            result = bench_load.run(sessions=args.sessions, rows=args.rows, shared_context=args.shared_context)
    elif args.what == "files":  # hostile results, sales and workbook files, each in a fresh process
        from planner.bench import files as bench_files
        known = {c.name for c in bench_files.CASES} | {"report"}
        unknown = [n for n in args.case if n not in known]
        if unknown:
            raise CliError(f"--case: unknown {unknown[0]!r}; known: {', '.join(sorted(known))}")
        result = bench_files.run(only=tuple(args.case))
        emit(args, result, bench_files.text(result))
        return 0
    elif args.what == "incrementality":  # calibration, not speed: a simulation study with a fixed seed
        from planner.bench import incrementality as bench_incrementality
        if not 1 <= args.series <= 100_000:
            raise CliError("--series must be between 1 and 100000")
        if not 1 <= args.workers <= 64:
            raise CliError("--workers must be between 1 and 64")
        result = bench_incrementality.run(series=args.series, seed=args.seed, workers=args.workers)
        emit(args, result, bench_incrementality.text(result))
        return 0
    else:
        raise CliError(f"unknown benchmark {args.what!r}")
    text = "\n".join(f"{k}: {v}" for k, v in result.items())
    emit(args, result, text)
    return 0


def add_parser(sub) -> None:
    bp = sub.add_parser("bench", help="measure speed and memory; incrementality: the estimate's simulation study")
    bp.add_argument("what", choices=["database", "plan", "load", "scenarios", "pages", "incrementality", "files"])
    bp.add_argument("--rows", type=int, default=1_000_000)
    bp.add_argument("--import-rows", type=int, default=100_000)
    bp.add_argument("--page-rows", type=int, default=100_000)
    bp.add_argument("--repeats", type=int, default=5, help="runs per figure (plan's page and pages: at most 3)")
    bp.add_argument("--sessions", type=int, default=20, help="load: sessions arriving at once")
    bp.add_argument("--shared-context", action="store_true",
                    help="load: the sessions as tabs of one browser profile (Streamlit's scripts cached once)")
    bp.add_argument("--clients", choices=["browser", "websocket"], default="browser",
                    help="load: browser (headless Chromium, the default) or websocket (clients of Streamlit's "
                         "protocol: the server's own time, nothing rendered)")
    bp.add_argument("--database-url", default=None, metavar="URL",
                    help="load --clients websocket: a PostgreSQL server (postgresql://user@host:port/db) on which a "
                         "throw-away database is made, seeded, measured and dropped (default: a SQLite file)")
    bp.add_argument("--skip-page", action="store_true", help="plan: leave out the browser timings of the Plan page")
    bp.add_argument("--series", type=int, default=200,
                    help="incrementality: simulated series per setting and lift (default 200: 1,800 estimates, "
                         "600 per setting, so a coverage of 0.90 is measured ± 0.012; about 2 CPU minutes)")
    bp.add_argument("--seed", type=int, default=17, help="incrementality: the simulation's seed")
    bp.add_argument("--workers", type=int, default=2,
                    help="incrementality: worker processes (default 2; the figures are the same for any number)")
    bp.add_argument("--case", action="append", default=[], metavar="NAME",
                    help="files: run only this case (repeatable; 'report' for the report on the largest series)")
    bp.add_argument("--json", action="store_true")
    bp.set_defaults(func=cmd_bench)
