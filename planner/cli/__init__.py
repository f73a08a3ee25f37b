"""The command line: every batch job the pages do (`python -m planner`, planner/__main__.py).

    python -m planner sample --rows N --out FILE.csv [--seed S]
    python -m planner import FILE [--platform P] [--map "SOURCE HEADER=field"]... [--sheet NAME] [--dry-run]
                             [--strict] [--json]
    python -m planner export --out FILE.csv|FILE.xlsx [filters]
    python -m planner plan --budget B [--bloggers FILE.csv] [--reach-weight W] [--platform P]... [--save NAME] [--json]
                           [--product-units N --product-cost C --retail R [--shipping S]]
    python -m planner barter (--bloggers FILE | --campaign ID) --product-cost C --retail R [--shipping S]
                             [--packaging P] [--json]
    python -m planner bench database|plan|load|scenarios|pages [--repeats N] [--json]
    python -m planner scenarios sweep --budget B [brief flags as for plan] [--from A] [--to B] [--points N] [--json]
    python -m planner goals --campaign ID [--goal KIND=TARGET]... [--margin PCT] [--uplift PCT] [--json]
    python -m planner results import|baseline --campaign ID FILE [--dry-run] [--json]
    python -m planner results report --campaign ID [--out FILE.xlsx] [--json]
    python -m planner export-plan --campaign ID --format xlsx|pptx|pdf --out FILE [--scenario NAME]... [--lang en|ru]
                                  [--currency RUB|USD|EUR] [--client NAME] [--json]
    python -m planner workspace create NAME | list | members WS | add-member WS EMAIL --role ROLE
                                | remove-member WS EMAIL
    python -m planner audit [--campaign ID] [--json]

Every command that reads or writes a workspace's data takes ``--workspace NAME_OR_ID`` (default: the local workspace;
also accepted before the command) and acts as the user ``PLANNER_USER`` (default: the local user, its owner).

One module per command (bloggers: sample, import, export; plan; barter; bench; results: goals, results; pitch:
export-plan; scenarios; workspaces: workspace, audit), each with its cmd_* function and the add_parser that
declares its flags; common holds what they share and imports none of them. Every module imports only the standard
library and planner.core.schema at its top: the domain is imported inside the commands, so that ``--help`` answers
at once.
"""

from __future__ import annotations

import argparse
import json
import sys

from planner.cli import barter, bench, bloggers, pitch, plan, results, scenarios, workspaces
from planner.cli.common import EXIT_BAD_INPUT, WORKSPACE_HELP, CliError, undo


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m planner", description="Influencer media planner: batch jobs.")
    p.add_argument("--workspace", metavar="NAME_OR_ID", help=WORKSPACE_HELP)
    sub = p.add_subparsers(dest="command", required=True)
    bloggers.add_parsers(sub)  # sample, import, export
    plan.add_parser(sub)
    barter.add_parser(sub)
    bench.add_parser(sub)
    results.add_parsers(sub)  # goals, results
    pitch.add_parser(sub)  # export-plan
    scenarios.add_parser(sub)
    workspaces.add_parsers(sub)  # workspace, audit
    return p


def _is_database_error(exc: BaseException) -> bool:
    """A database that cannot be reached or used (sqlalchemy is imported only by commands that need it, so
    that ``--help`` answers at once)."""
    if isinstance(exc, (ModuleNotFoundError, OSError)):
        return True
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.SQLAlchemyError)


def _is_forbidden(exc: BaseException) -> bool:
    """A write the user's role does not allow (planner.storage.access.Forbidden; imported only by commands that
    open a workspace)."""
    access = sys.modules.get("planner.storage.access")
    return access is not None and isinstance(exc, access.Forbidden)


def _refused(args: argparse.Namespace, reason: str) -> int:
    """A user error: one line (and ``{"error": ...}`` with --json), exit 2."""
    if getattr(args, "json", False):
        print(json.dumps({"error": reason}, ensure_ascii=False))
    print(f"error: {reason}", file=sys.stderr)
    return EXIT_BAD_INPUT


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = _run(args)
    except BaseException:
        undo(args)
        raise
    if code != 0:
        undo(args)  # what the command stored before it failed goes again (planner.cli.common.on_error)
    return code


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args))
    except CliError as exc:
        return _refused(args, str(exc))
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error of ours
        sys.stderr.close()
        return 0
    except MemoryError:  # one line, never a traceback
        if getattr(args, "json", False):
            print(json.dumps({"error": "out of memory"}))
        print("error: out of memory", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        if _is_forbidden(exc):  # the user's role in the workspace does not allow it: nothing was written
            return _refused(args, str(exc))
        if not _is_database_error(exc):
            raise
        reason = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        if getattr(args, "json", False):
            print(json.dumps({"error": f"database: {reason}"}, ensure_ascii=False))
        print(f"error: database: {reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130

