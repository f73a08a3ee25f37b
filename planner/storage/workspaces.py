"""Workspaces and their members: create a workspace (its creator owns it), list a user's workspaces, list, add,
change and remove members (an owner's work, audited). A workspace keeps at least one owner."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from planner.storage import audit
from planner.storage.access import OWNER, Access, find_workspace, normal_email
from planner.storage.models import (
    DEFAULT_WORKSPACE_ID,
    DEFAULT_WORKSPACE_NAME,
    LOCAL_USER_EMAIL,
    LOCAL_USER_ID,
    ROLES,
    Campaign,
    Membership,
    User,
    Workspace,
)

NAME_LENGTH = 200


class WorkspaceError(ValueError):
    """A workspace or member change that cannot be made (nothing was written)."""


@dataclass(frozen=True)
class WorkspaceInfo:
    """A workspace as its member sees it in a list."""

    id: int
    name: str
    role: str
    members: int
    campaigns: int

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "role": self.role, "members": self.members,
                "campaigns": self.campaigns}


@dataclass(frozen=True)
class Member:
    """A member of a workspace: the user's e-mail, name and role."""

    email: str
    name: str
    role: str

    def to_json(self) -> dict[str, str]:
        return {"email": self.email, "name": self.name, "role": self.role}


def ensure_local(session: Session) -> None:
    """Within a transaction: the default workspace ("Local") and the local user, the workspace's owner when it is
    made here (a fresh database). A membership removed on purpose later is never given back."""
    user = session.get(User, LOCAL_USER_ID)
    if user is None:
        session.add(User(id=LOCAL_USER_ID, email=LOCAL_USER_EMAIL, name="Local user"))
        session.flush()
    if session.get(Workspace, DEFAULT_WORKSPACE_ID) is None:
        session.add(Workspace(id=DEFAULT_WORKSPACE_ID, name=DEFAULT_WORKSPACE_NAME))
        session.flush()
        session.add(Membership(user_id=LOCAL_USER_ID, workspace_id=DEFAULT_WORKSPACE_ID, role=OWNER))
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":  # ids given by hand do not move the sequences: the next gets max + 1
        for table in ("workspace", "app_user"):
            session.connection().exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
                f"FROM {table}")


def _user(session: Session, email: str, name: str = "") -> User:
    """The user of this e-mail, added when there is none."""
    account = session.exec(select(User).where(User.email == email)).first()
    if account is None:
        account = User(email=email, name=(name or "").strip()[:200])
        session.add(account)
        session.flush()
    return account


class SignInRefused(ValueError):
    """A signed-in identity the app does not accept (nothing was written): ``code`` is ``no_email`` (the provider
    gave no e-mail address), ``unverified`` (it says the address is not verified) or ``local`` (the local user's
    address, which only the app without sign-in and the command line act as)."""

    def __init__(self, code: str, email: str = ""):
        self.code, self.email = code, email
        super().__init__(f"sign-in refused ({code}): {email or 'no e-mail'}")


def sign_in(engine: Engine, email: str | None, *, name: str = "", subject: str | None = None,
            verified: bool | None = None) -> int:
    """The user id of someone signed in through OpenID Connect, identified by the e-mail address their provider
    gave. An unknown address gets a user row (its name and subject kept) with no membership: it sees no workspace
    until an owner adds it (:func:`add_member`, ``python -m planner workspace add-member``); a known one keeps its
    memberships, and its subject and name are filled in when they were empty. :class:`SignInRefused` for no
    address, an address the provider says is not verified (``verified`` False; None: the provider did not say), or
    the local user's address."""
    address = normal_email(email or "")
    if "@" not in address or len(address) > 320 or any(c.isspace() for c in address):
        raise SignInRefused("no_email", address)
    if verified is False:
        raise SignInRefused("unverified", address)
    if address == LOCAL_USER_EMAIL:
        raise SignInRefused("local", address)
    with Session(engine) as session:
        account = session.exec(select(User).where(User.email == address)).first()
        if account is None:
            account = User(email=address, name=(name or "").strip()[:200], subject=(subject or None) and subject[:255])
            session.add(account)
            try:
                session.commit()
            except IntegrityError:  # the same person's second tab signed in meanwhile
                session.rollback()
                account = session.exec(select(User).where(User.email == address)).one()
        elif (subject and not account.subject) or (name and not account.name):
            if subject and not account.subject:
                account.subject = subject[:255]
            account.name = account.name or (name or "").strip()[:200]
            session.add(account)
            session.commit()
        assert account.id is not None
        return int(account.id)


def _checked_name(name: str) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise WorkspaceError("a workspace needs a name")
    if len(text) > NAME_LENGTH:
        raise WorkspaceError(f"a workspace's name has at most {NAME_LENGTH} characters")
    if text.isdigit():
        raise WorkspaceError(f"a workspace's name cannot be a number ({text!r} would read as a workspace id)")
    return text


def create_workspace(engine: Engine, name: str, *, user: str = LOCAL_USER_EMAIL) -> Access:
    """A new workspace, owned by ``user`` (added when unknown); the owner's access to it. WorkspaceError for a
    blank, numeric or taken name (names are unique, whatever their case)."""
    text = _checked_name(name)
    email = normal_email(user)
    with Session(engine) as session:
        if find_workspace(session, text) is not None:
            raise WorkspaceError(f"there is a workspace called {text!r} already")
        account = _user(session, email)
        ws = Workspace(name=text)
        session.add(ws)
        try:
            session.flush()
        except IntegrityError:  # made meanwhile by someone else
            session.rollback()
            raise WorkspaceError(f"there is a workspace called {text!r} already") from None
        assert ws.id is not None and account.id is not None
        session.add(Membership(user_id=account.id, workspace_id=ws.id, role=OWNER))
        access = Access(user_id=int(account.id), user=account.email, workspace_id=int(ws.id), role=OWNER,
                        workspace=ws.name)
        audit.record(session, access, "create", "workspace", detail={"name": ws.name})
        session.commit()
        return access


def list_workspaces(engine: Engine, *, user: str = LOCAL_USER_EMAIL) -> list[WorkspaceInfo]:
    """The workspaces ``user`` is a member of, by id, with the role, the number of members and of campaigns."""
    email = normal_email(user)
    with Session(engine) as session:
        rows = session.exec(select(Workspace.id, Workspace.name, Membership.role)
                            .join(Membership, col(Membership.workspace_id) == col(Workspace.id))
                            .join(User, col(User.id) == col(Membership.user_id))
                            .where(User.email == email).order_by(col(Workspace.id))).all()
        ids = [int(r[0]) for r in rows if r[0] is not None]
        members = dict(session.exec(select(Membership.workspace_id, func.count())
                                    .where(col(Membership.workspace_id).in_(ids))
                                    .group_by(col(Membership.workspace_id))).all()) if ids else {}
        camps = dict(session.exec(select(Campaign.workspace_id, func.count())
                                  .where(col(Campaign.workspace_id).in_(ids))
                                  .group_by(col(Campaign.workspace_id))).all()) if ids else {}
    return [WorkspaceInfo(id=int(i), name=n, role=r, members=int(members.get(i, 0)), campaigns=int(camps.get(i, 0)))
            for i, n, r in rows if i is not None]


def members(engine: Engine, *, access: Access) -> list[Member]:
    """The workspace's members (any member may see them), owners first, then by e-mail."""
    with Session(engine) as session:
        rows = session.exec(select(User.email, User.name, Membership.role)
                            .join(Membership, col(Membership.user_id) == col(User.id))
                            .where(Membership.workspace_id == access.workspace_id)).all()
    return sorted((Member(email=e, name=n, role=r) for e, n, r in rows),
                  key=lambda m: (-ROLES.index(m.role), m.email))


def _owners(session: Session, workspace_id: int) -> int:
    return int(session.exec(select(func.count()).select_from(Membership).where(
        Membership.workspace_id == workspace_id, Membership.role == OWNER)).one())


def add_member(engine: Engine, email: str, role: str, *, access: Access, name: str = "") -> tuple[Member, str | None]:
    """Make ``email`` (a user, added when unknown) a member of the workspace with ``role``, or change the role of a
    member (an owner's work, audited); the member and the role held before (None: a new member). WorkspaceError
    for an unknown role, an address that is no e-mail, or the last owner made less than an owner."""
    access.require(OWNER, "managing members")
    if role not in ROLES:
        raise WorkspaceError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    address = normal_email(email)
    if "@" not in address or len(address) > 320 or any(c.isspace() for c in address):
        raise WorkspaceError(f"not an e-mail address: {email!r}")
    with Session(engine) as session:
        account = _user(session, address, name)
        assert account.id is not None
        held = session.exec(select(Membership).where(Membership.user_id == account.id,
                                                     Membership.workspace_id == access.workspace_id)).first()
        before = held.role if held is not None else None
        if held is None:
            session.add(Membership(user_id=account.id, workspace_id=access.workspace_id, role=role))
        elif held.role != role:
            if held.role == OWNER and _owners(session, access.workspace_id) <= 1:
                raise WorkspaceError(f"{address} is the last owner of workspace {access.label}: make another "
                                     "member an owner first")
            held.role = role
            session.add(held)
        if before != role:
            audit.record(session, access, "create" if before is None else "change", "member",
                         detail={"email": address, "role": role, "before": before})
        session.commit()
        return Member(email=account.email, name=account.name, role=role), before


def remove_member(engine: Engine, email: str, *, access: Access) -> bool:
    """Remove ``email`` from the workspace (an owner's work, audited); False when it is no member. WorkspaceError
    for the last owner."""
    access.require(OWNER, "managing members")
    address = normal_email(email)
    with Session(engine) as session:
        held = session.exec(select(Membership).join(User, col(User.id) == col(Membership.user_id))
                            .where(User.email == address, Membership.workspace_id == access.workspace_id)).first()
        if held is None:
            return False
        if held.role == OWNER and _owners(session, access.workspace_id) <= 1:
            raise WorkspaceError(f"{address} is the last owner of workspace {access.label}")
        session.delete(held)
        audit.record(session, access, "delete", "member", detail={"email": address, "role": held.role})
        session.commit()
        return True
