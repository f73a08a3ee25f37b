"""`export-plan`: a saved campaign's pitch for the client as XLSX, PPTX or PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli.common import CliError, add_workspace_arg, check_campaign, emit, workspace_access


def _writable(path: Path) -> Path:
    """The output path, refused at once (before any work) when it cannot be written."""
    import os
    import tempfile
    if path.is_dir():
        raise CliError(f"--out {path} is a folder: give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".pitch-", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def _out_path(args: argparse.Namespace, engine) -> Path:
    """``--out``, or the pitch's own name (``Client – Campaign – pitch – 2026-12-04.pptx``, planner.app.pitch
    .file_names) in the folder ``--out`` names or in the current folder."""
    from planner.app import pitch
    given = Path(args.out) if args.out else None
    if given is not None and not given.is_dir():
        return given
    try:
        name = pitch.file_names(engine, args.campaign, lang=args.lang, client=args.client,
                                access=workspace_access(args, engine))[args.format]
    except pitch.PitchError as exc:
        raise CliError(f"--campaign {args.campaign}: {exc}") from None
    return (given or Path(".")) / name


def cmd_export_plan(args: argparse.Namespace) -> int:
    """A saved campaign's pitch as XLSX, PPTX or PDF (planner.reporting.pitch)."""
    from planner.app import pitch
    from planner.storage import db
    given = Path(args.out) if args.out else None
    if given is not None and not given.is_dir():  # a file named: refused before any work when it cannot be written
        out = _writable(given)
        engine = db.get_engine()
        check_campaign(engine, args.campaign, args)
    else:
        engine = db.get_engine()
        check_campaign(engine, args.campaign, args)
        out = _writable(_out_path(args, engine))
    try:
        made = pitch.make(engine, args.campaign, args.format, lang=args.lang, currency=args.currency,
                          client=args.client, scenarios=args.scenario, frontier=not args.no_frontier,
                          access=workspace_access(args, engine))
    except pitch.PitchError as exc:
        raise CliError(f"--campaign {args.campaign}: {exc}" if str(exc).startswith("no campaign") else str(exc)) \
            from None
    doc, data = made.doc, made.data
    try:
        from planner.reporting.export import _write_atomic
        _write_atomic(out, data)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    payload = {"out": str(out), "campaign_id": args.campaign, "scenarios": list(args.scenario), **made.to_json()}
    emit(args, payload, f"wrote {args.format.upper()} pitch of campaign {args.campaign} ({doc.title!r}, "
                        f"{len(doc.plan.frame)} placements, {doc.lang}, {doc.currency}) to {out}, "
                        f"{len(data):,} bytes")
    return 0


def add_parser(sub) -> None:
    xp = sub.add_parser("export-plan", help="a saved campaign's pitch for the client: XLSX, PPTX or PDF")
    xp.add_argument("--campaign", type=int, required=True, metavar="ID")
    xp.add_argument("--format", required=True, choices=["xlsx", "pptx", "pdf"])
    xp.add_argument("--out", metavar="FILE", help="the file to write, or a folder to write it in; default: the pitch's "
                    "own name ('Client – Campaign – pitch – 2026-12-04.pptx') in the current folder")
    xp.add_argument("--scenario", action="append", default=[], metavar="NAME",
                    help="a saved scenario of the campaign to compare beside the plan (repeat for several)")
    xp.add_argument("--lang", choices=["en", "ru"], default="en")
    xp.add_argument("--currency", choices=["RUB", "USD", "EUR"], help="default: the campaign's currency")
    xp.add_argument("--client", help="the client's name, on the title page")
    xp.add_argument("--no-frontier", action="store_true",
                    help="leave out the reach-niche frontier and the budget curve (they re-plan the campaign's brief "
                         "on the database: 11 plans, and the budget sweep)")
    xp.add_argument("--json", action="store_true")
    add_workspace_arg(xp)
    xp.set_defaults(func=cmd_export_plan)

