"""What every command of the command line shares: the user error (exit 2), printing JSON or text, numbers for JSON,
the campaign check and the bloggers a brief plans on. It imports none of the command modules."""

from __future__ import annotations

import argparse
import json
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


def check_campaign(engine, campaign_id: int) -> None:
    """Refuse an unknown campaign id (this workspace's campaigns only) before anything is read."""
    from planner.campaigns import results
    from planner.campaigns.goals import GoalError
    try:
        results.campaign_of(engine, campaign_id)
    except GoalError:
        raise CliError(f"--campaign: no campaign {campaign_id}") from None


def bloggers_for_plan(args: argparse.Namespace):
    """The bloggers a brief plans on: a file's rows (--bloggers) with their ids (the database's blogger of the same
    platform and handle, else one of the list's own; nothing written yet), or the whole database. Returns (engine,
    the rows: the file's canonical rows or the enriched database, rows rejected from the file)."""
    from planner import ingest
    from planner.campaigns import lists
    from planner.estimates import metrics
    from planner.storage import db, store
    engine = db.get_engine()
    if not args.bloggers:
        return engine, metrics.enrich(store.load_bloggers(engine)), []
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
    return engine, lists.with_ids(engine, preview.frame), preview.rejected

