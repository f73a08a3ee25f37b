"""Who may do what in which workspace: an :class:`Access` is a user's role in one workspace, and every storage
function of a workspace's objects (campaigns, placements, goals, results, sales series, scenarios, stored lists and
briefs, remembered column mappings) takes one. It reads only that workspace's rows, and a write or a delete checks
the role first (:meth:`Access.require`): a viewer reads, a planner also plans, saves and imports, an owner also
deletes and manages the members (planner.storage.workspaces).

An Access is made by :func:`resolve` from the database (the user's membership), never from what a visitor says;
the app without sign-in and the command line act as the local user (``local@localhost``), who owns the default
workspace ("Local") of every database, so that both behave as they did before workspaces had members."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.storage.models import (
    DEFAULT_WORKSPACE_ID,
    DEFAULT_WORKSPACE_NAME,
    LOCAL_USER_EMAIL,
    LOCAL_USER_ID,
    ROLES,
    Membership,
    User,
    Workspace,
)

VIEWER, PLANNER, OWNER = ROLES


class Forbidden(PermissionError):
    """The user's role in the workspace does not allow this (nothing was read or written)."""

    def __init__(self, access: Access, needed: str, action: str = ""):
        self.access, self.needed, self.action = access, needed, action
        what = action or "this"
        super().__init__(f"{access.user} is {_article(access.role)} {access.role} in workspace {access.label}: "
                         f"{what} needs the {needed} role")


class NoWorkspace(LookupError):
    """No such workspace for this user: it does not exist, or the user is not a member (the same answer, so that
    an outsider learns nothing of another agency's workspaces)."""

    def __init__(self, workspace: str | int, user: str):
        self.workspace, self.user = workspace, user
        super().__init__(f"no workspace {str(workspace)!r} that {user} is a member of")


def _article(role: str) -> str:
    return "an" if role[:1] in "aeiou" else "a"


@dataclass(frozen=True)
class Access:
    """A user's role in one workspace: what the storage layer's functions are given instead of a bare workspace
    id. ``user`` is the user's e-mail (what the audit trail names), ``workspace`` the workspace's name."""

    user_id: int
    user: str
    workspace_id: int
    role: str
    workspace: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r} (roles: {', '.join(ROLES)})")

    @property
    def label(self) -> str:
        """The workspace as messages name it: its name, else its id."""
        return self.workspace or str(self.workspace_id)

    def can(self, role: str) -> bool:
        """Whether this role may do what ``role`` may (viewer < planner < owner)."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
        return ROLES.index(self.role) >= ROLES.index(role)

    def require(self, role: str, action: str = "") -> None:
        """Raise :class:`Forbidden` unless this role may do what ``role`` may; ``action`` names it in the message
        ("deleting a campaign")."""
        if not self.can(role):
            raise Forbidden(self, role, action)


# The local user's access to the default workspace as a fresh database grants it: what tests and scripts without
# sign-in use. The app and the command line resolve theirs from the database (:func:`resolve`).
LOCAL = Access(user_id=LOCAL_USER_ID, user=LOCAL_USER_EMAIL, workspace_id=DEFAULT_WORKSPACE_ID, role=OWNER,
               workspace=DEFAULT_WORKSPACE_NAME)


def normal_email(email: str) -> str:
    """An e-mail as users are kept: stripped, lower case."""
    return str(email or "").strip().lower()


def find_workspace(session: Session, workspace: str | int) -> Workspace | None:
    """A workspace by its id (an int, or text of digits) or its name (case-insensitive), or None."""
    text = str(workspace).strip()
    if isinstance(workspace, int) or text.isdigit():
        try:
            return session.get(Workspace, int(text))
        except OverflowError:
            return None
    return session.exec(select(Workspace).where(func.lower(Workspace.name) == text.lower())).first()


def resolve(engine: Engine, *, user: str = LOCAL_USER_EMAIL,
            workspace: str | int = DEFAULT_WORKSPACE_ID) -> Access:
    """The user's access to the workspace (its id or name) as the database grants it; :class:`NoWorkspace` when
    there is no such workspace or the user is not a member of it."""
    email = normal_email(user)
    with Session(engine) as session:
        ws = find_workspace(session, workspace)
        account = session.exec(select(User).where(User.email == email)).first()
        if ws is None or account is None or ws.id is None or account.id is None:
            raise NoWorkspace(workspace, email)
        role = session.exec(select(Membership.role).where(Membership.user_id == account.id,
                                                          Membership.workspace_id == ws.id)).first()
        if role is None:
            raise NoWorkspace(workspace, email)
        return Access(user_id=int(account.id), user=account.email, workspace_id=int(ws.id), role=role,
                      workspace=ws.name)
