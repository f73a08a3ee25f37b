"""What every command of the command line shares: the user error (exit 2), printing JSON or text, numbers for JSON,
the workspace a command works in (``--workspace``, as the user ``PLANNER_USER``), the campaign check and the
bloggers a brief plans on. It imports none of the command modules."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from planner.core.numbers import rounded  # noqa: F401 - the commands' name for it

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A user error: printed as one line, exit code 2."""


def on_error(args: argparse.Namespace):
    """A registrar for undos of what a command stored before it could fail (an uploaded list kept for its brief):
    planner.cli.main runs them, newest first, when the command ends in an error, so a refused run leaves the
    database as it found it."""
    undos = args.__dict__.setdefault("_undo_on_error", [])
    return undos.append


def undo(args: argparse.Namespace) -> None:
    """Run the undos :func:`on_error` registered (newest first); an undo that fails is skipped, never raised."""
    for step in reversed(args.__dict__.pop("_undo_on_error", [])):
        try:
            step()
        except Exception:  # noqa: BLE001 - best effort: the command's own error is the one to report
            pass


@contextmanager
def quiet_imports() -> Iterator[None]:
    """Import a command's domain modules with the cyclic garbage collector paused, then freeze what they made
    (gc.freeze): modules, classes and functions live as long as the process, and the collector would otherwise
    walk them again and again while they load and at every full collection after (0.2-0.3 s of CPU of a plan on
    5,000 rows, issue 18). Freezes only when this block loaded modules (a process imports them once: a test
    calling commands in-process does not freeze its objects at every call); the collector runs as before after
    it."""
    loaded = len(sys.modules)
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if len(sys.modules) != loaded:
            gc.freeze()
        if enabled:
            gc.enable()


def amounts_text(exc: BaseException, currency: str) -> str:
    """A coded error in English with its amounts in the brief's currency, as the command's other lines say them
    ("budget 1 RUB is below the cost of the must-have bloggers (2,800 RUB)")."""
    from planner.core.i18n import error_text
    return error_text(exc, "en", money=lambda v: f"{v:,.0f} {currency}")


def emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        print(text)


USER_ENV = "PLANNER_USER"  # who a command acts as (an e-mail; default: the local user, owner of "Local")
WORKSPACE_HELP = ("the workspace to work in, by name or id (default: the local one); the user is $PLANNER_USER, "
                  "else the local user")


def add_workspace_arg(p: argparse.ArgumentParser) -> None:
    """``--workspace NAME_OR_ID`` on a command that reads or writes a workspace's data (also accepted before the
    command: ``python -m planner --workspace Acme plan ...``; the command's own wins)."""
    p.add_argument("--workspace", default=argparse.SUPPRESS, metavar="NAME_OR_ID", help=WORKSPACE_HELP)


def command_user() -> str:
    """The e-mail the command line acts as: ``PLANNER_USER``, else the local user. The command line trusts whoever
    runs it with the database's address (they could write to the database directly): the role checks keep a
    teammate's script within their role and name them in the audit trail, they are no sign-in."""
    from planner.storage.models import LOCAL_USER_EMAIL
    return os.environ.get(USER_ENV, "").strip() or LOCAL_USER_EMAIL


def workspace_access(args: argparse.Namespace, engine=None):
    """The command's planner.storage.access.Access: the user's role in ``--workspace`` (default: the local
    workspace), read once per command. A workspace that does not exist, or whose member the user is not, is one
    line and exit 2."""
    held = args.__dict__.get("_access")
    if held is not None:
        return held
    from planner.storage import access, db
    from planner.storage.models import DEFAULT_WORKSPACE_ID
    engine = engine or db.get_engine()
    name = getattr(args, "workspace", None)
    try:
        found = access.resolve(engine, user=command_user(), workspace=DEFAULT_WORKSPACE_ID if name is None else name)
    except access.NoWorkspace as exc:
        raise CliError(f"--workspace: {exc}") from None
    args.__dict__["_access"] = found
    return found


def check_campaign(engine, campaign_id: int, args: argparse.Namespace) -> None:
    """Refuse a campaign id that is not the workspace's ("no campaign 7 in workspace Local") before anything is
    read or written."""
    from planner.campaigns import results
    from planner.campaigns.goals import GoalError
    acc = workspace_access(args, engine)
    try:
        results.campaign_of(engine, campaign_id, access=acc)
    except GoalError:
        raise CliError(f"--campaign: no campaign {campaign_id} in workspace {acc.label}") from None


def bloggers_for_plan(args: argparse.Namespace):
    """The bloggers a brief plans on: a file's rows (--bloggers) with their ids (the database's blogger of the same
    platform and handle, else one of the list's own; nothing written yet), or the whole database. Returns (engine,
    the rows: the file's canonical rows or the enriched database, rows rejected from the file)."""
    from planner import ingest
    from planner.campaigns import lists
    from planner.estimates import metrics
    from planner.storage import db, store
    engine = db.get_engine()
    acc = workspace_access(args, engine)
    if not args.bloggers:
        return engine, metrics.enrich(store.load_bloggers(engine, workspace_id=acc.workspace_id)), []
    path = Path(args.bloggers)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    try:
        preview = ingest.preview(path.read_bytes(), path.name, platform=args.file_platform)
    except ingest.UnreadableFile as exc:
        raise CliError(f"{path.name}: {exc}") from None
    if preview.frame.empty:
        first = preview.rejected[0] if preview.rejected else None
        raise CliError(f"{path.name}: no usable rows" + (f"; row {first.row}, column {first.column!r}: "
                                                         f"{first.reason}" if first else ""))
    return engine, lists.with_ids(engine, preview.frame, access=acc), preview.rejected

