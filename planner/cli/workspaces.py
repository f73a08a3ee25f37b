"""`workspace create | list | members | add-member | remove-member` (an agency's clients, each a workspace whose
data no other workspace sees) and `audit` (who created, changed or deleted a campaign, its goals or results, and
when)."""

from __future__ import annotations

import argparse
from typing import Any

from planner.cli.common import CliError, add_workspace_arg, command_user, emit, workspace_access

ROLE_CHOICES = ("viewer", "planner", "owner")  # planner.storage.models.ROLES (a test checks they agree)


def cmd_workspace(args: argparse.Namespace) -> int:
    from planner.storage import db, workspaces
    engine = db.get_engine()
    if args.what == "create":
        try:
            made = workspaces.create_workspace(engine, args.name, user=command_user())
        except workspaces.WorkspaceError as exc:
            raise CliError(str(exc)) from None
        emit(args, {"id": made.workspace_id, "name": made.workspace, "owner": made.user, "role": made.role},
             f"workspace {made.workspace_id} {made.workspace!r} created; {made.user} owns it")
        return 0
    if args.what == "list":
        found = workspaces.list_workspaces(engine, user=command_user())
        lines = [f"{'id':>4}  {'role':<8} {'members':>7} {'campaigns':>9}  name"]
        lines += [f"{w.id:>4}  {w.role:<8} {w.members:>7} {w.campaigns:>9}  {w.name}" for w in found]
        emit(args, {"user": command_user(), "workspaces": [w.to_json() for w in found]},
             "\n".join(lines) if found else f"{command_user()} is a member of no workspace")
        return 0
    args.workspace = args.target  # the workspace these commands name is their first argument
    acc = workspace_access(args, engine)
    if args.what == "members":
        people = workspaces.members(engine, access=acc)
        emit(args, {"workspace": acc.workspace, "workspace_id": acc.workspace_id,
                    "members": [m.to_json() for m in people]},
             "\n".join(f"{m.role:<8} {m.email}" + (f" ({m.name})" if m.name else "") for m in people))
        return 0
    from planner.storage.access import Forbidden
    try:
        if args.what == "add-member":
            member, before = workspaces.add_member(engine, args.email, args.role, access=acc, name=args.name or "")
            said = (f"{member.email} is now {member.role} in workspace {acc.label}"
                    + ("" if before is None else f" (was {before})"))
            emit(args, {"workspace": acc.workspace, "workspace_id": acc.workspace_id, **member.to_json(),
                        "before": before}, said)
            return 0
        removed = workspaces.remove_member(engine, args.email, access=acc)
    except workspaces.WorkspaceError as exc:
        raise CliError(str(exc)) from None
    except Forbidden as exc:
        raise CliError(str(exc)) from None
    if not removed:
        raise CliError(f"{args.email} is no member of workspace {acc.label}")
    emit(args, {"workspace": acc.workspace, "workspace_id": acc.workspace_id, "email": args.email.strip().lower(),
                "removed": True}, f"{args.email} removed from workspace {acc.label}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """The workspace's audit trail, or one campaign's (a deleted campaign's included)."""
    from planner.storage import audit, db
    engine = db.get_engine()
    acc = workspace_access(args, engine)
    if args.limit is not None and args.limit < 1:
        raise CliError("--limit must be a whole number of 1 or more")
    if args.campaign is not None:
        from planner.campaigns import results
        from planner.campaigns.goals import GoalError
        try:
            results.campaign_of(engine, args.campaign, access=acc)
        except GoalError:
            if not audit.has_events(engine, args.campaign, access=acc):  # neither here nor deleted from here
                raise CliError(f"--campaign: no campaign {args.campaign} in workspace {acc.label}") from None
    frame = audit.trail(engine, access=acc, campaign_id=args.campaign, limit=args.limit)
    events: list[dict[str, Any]] = [{**row, "at": row["at"].isoformat()} for row in frame.to_dict("records")]
    lines = [f"{e['at'][:19].replace('T', ' ')}  {e['user']:<28} {e['action']:<7} {e['object']:<10} "
             + (f"campaign {e['campaign_id']}" if e["campaign_id"] is not None else "")
             + (f"  {_detail(e['detail'])}" if e["detail"] else "") for e in events]
    emit(args, {"workspace": acc.workspace, "workspace_id": acc.workspace_id, "campaign": args.campaign,
                "events": events}, "\n".join(lines) if lines else "no events")
    return 0


def _detail(detail: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in detail.items() if v not in (None, "", {}, []))


def add_parsers(sub) -> None:
    wp = sub.add_parser("workspace", help="workspaces (an agency's clients) and their members")
    what = wp.add_subparsers(dest="what", required=True)
    c = what.add_parser("create", help="a new workspace; you ($PLANNER_USER, else the local user) own it")
    c.add_argument("name")
    lst = what.add_parser("list", help="the workspaces you are a member of, with your role")
    m = what.add_parser("members", help="a workspace's members and their roles")
    m.add_argument("target", metavar="WORKSPACE", help="name or id")
    a = what.add_parser("add-member", help="add a member, or change a member's role (owners only)")
    a.add_argument("target", metavar="WORKSPACE", help="name or id")
    a.add_argument("email")
    a.add_argument("--role", required=True, choices=ROLE_CHOICES,
                   help="viewer: reads and downloads; planner: also plans, saves, imports results; "
                        "owner: also deletes and manages members")
    a.add_argument("--name", help="the member's display name (a new user)")
    r = what.add_parser("remove-member", help="remove a member (owners only; a workspace keeps one owner)")
    r.add_argument("target", metavar="WORKSPACE", help="name or id")
    r.add_argument("email")
    for p in (c, lst, m, a, r):
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=cmd_workspace)

    au = sub.add_parser("audit", help="who created, changed or deleted a campaign, its goals or results, and when")
    au.add_argument("--campaign", type=int, metavar="ID", help="one campaign's events (a deleted one's too)")
    au.add_argument("--limit", type=int, default=500, help="at most so many events, newest first (default 500)")
    au.add_argument("--json", action="store_true")
    add_workspace_arg(au)
    au.set_defaults(func=cmd_audit)
