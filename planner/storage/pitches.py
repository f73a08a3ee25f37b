"""Pitch files built ahead, shared by every app replica (the ``pitch_file`` table, planner.storage.models.PitchFile).

A replica that wants a file :func:`claim`s its key: the first to ask inserts the row and builds the file; another
finds the row and either takes the finished bytes or waits, and takes the build over only when the builder's lease
ran out (the builder died): a conditional UPDATE, so two replicas racing for an expired lease cannot both win. The
builder :func:`renew`s its lease while it works, :func:`store`s the bytes (only while the claim is still its own) or
:func:`release`s the row when the build failed. Leases are counted on the database's clock (every replica shares
it; their own clocks may differ).

Each function takes the caller's planner.storage.access.Access and reads and writes only its workspace's rows; a
file is a cache of what any member may read (a viewer downloads the pitch), so no role beyond membership is needed.
The campaign must be the workspace's (:class:`planner.storage.campaigns.CampaignNotFound` otherwise)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Float, and_, delete, func, literal_column, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from planner.storage.access import Access
from planner.storage.campaigns import require
from planner.storage.models import PitchFile, utcnow

TABLE = PitchFile.__table__  # type: ignore[attr-defined]
KEEP_PER_CAMPAIGN = 24  # finished files kept per campaign (languages, currencies, clients, formats of its version)


@dataclass(frozen=True)
class Claim:
    """What :func:`claim` found: ``claimed`` (this caller builds the file now), ``data`` (the finished file), or
    neither (another replica is building it: ``builder``)."""

    claimed: bool
    data: bytes | None = None
    builder: str = ""


def _now(conn: Connection) -> ColumnElement[float]:
    """Seconds since 1970 on the database's clock."""
    if conn.dialect.name == "postgresql":
        return func.extract("epoch", func.clock_timestamp()).cast(Float)
    return literal_column("((julianday('now') - 2440587.5) * 86400.0)", Float)


def _insert(conn: Connection):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(TABLE)


def claim(engine: Engine, key: str, *, campaign_id: int, fmt: str, version: str, builder: str, lease_s: float,
          access: Access) -> Claim:
    """Claim the file ``key`` of the workspace's campaign for building by ``builder`` for ``lease_s`` seconds, or
    find it built, or being built by another whose lease still holds."""
    with Session(engine) as session:
        require(session, campaign_id, access)  # another workspace's campaign does not exist here
    ws = access.workspace_id
    while True:
        with engine.begin() as conn:
            now = _now(conn)
            made = conn.execute(_insert(conn).values(
                workspace_id=ws, campaign_id=int(campaign_id), key=key, format=fmt, version=version[:200],
                builder=builder[:200], lease_until=now + float(lease_s), created_at=utcnow(),
            ).on_conflict_do_nothing(index_elements=["workspace_id", "key"]).returning(TABLE.c.id)).first()
            if made is not None:
                return Claim(claimed=True)
            taken = conn.execute(update(TABLE).where(
                TABLE.c.key == key, TABLE.c.workspace_id == ws, TABLE.c.data.is_(None), TABLE.c.lease_until < now,
            ).values(builder=builder[:200], lease_until=now + float(lease_s)).returning(TABLE.c.id)).first()
            if taken is not None:
                return Claim(claimed=True)
            row = conn.execute(select(TABLE.c.data, TABLE.c.builder).where(
                TABLE.c.key == key, TABLE.c.workspace_id == ws)).first()
        if row is not None:  # else released between the statements: ask again
            return Claim(claimed=False, data=None if row.data is None else bytes(row.data), builder=str(row.builder))


def _held(key: str, builder: str, ws: int) -> ColumnElement[bool]:
    return and_(TABLE.c.key == key, TABLE.c.workspace_id == ws, TABLE.c.builder == builder[:200],
                TABLE.c.data.is_(None))


def renew(engine: Engine, key: str, *, builder: str, lease_s: float, access: Access) -> bool:
    """Extend ``builder``'s claim by ``lease_s`` seconds from now; False when the claim is no longer its own."""
    with engine.begin() as conn:
        done = conn.execute(update(TABLE).where(_held(key, builder, access.workspace_id))
                            .values(lease_until=_now(conn) + float(lease_s)))
        return done.rowcount == 1


def store(engine: Engine, key: str, data: bytes, *, builder: str, access: Access) -> bool:
    """Keep the finished file, when the claim is still ``builder``'s (False otherwise: another replica took the
    build over and stores its own); in the same transaction drop the campaign's files of other versions and its
    oldest beyond :data:`KEEP_PER_CAMPAIGN`."""
    ws = access.workspace_id
    with engine.begin() as conn:
        row = conn.execute(select(TABLE.c.campaign_id, TABLE.c.version).where(_held(key, builder, ws))).first()
        if row is None:
            return False
        conn.execute(update(TABLE).where(_held(key, builder, ws)).values(data=bytes(data), built_at=utcnow()))
        mine = and_(TABLE.c.workspace_id == ws, TABLE.c.campaign_id == row.campaign_id)
        conn.execute(delete(TABLE).where(mine, TABLE.c.version != row.version, TABLE.c.data.is_not(None)))
        kept = select(TABLE.c.id).where(mine, TABLE.c.data.is_not(None)).order_by(TABLE.c.id.desc()) \
            .limit(KEEP_PER_CAMPAIGN).scalar_subquery()
        conn.execute(delete(TABLE).where(mine, TABLE.c.data.is_not(None), TABLE.c.id.not_in(kept)))
    return True


def release(engine: Engine, key: str, *, builder: str, access: Access) -> None:
    """Give up ``builder``'s claim (its build failed): the next caller claims the file afresh."""
    with engine.begin() as conn:
        conn.execute(delete(TABLE).where(_held(key, builder, access.workspace_id)))


def fetch(engine: Engine, key: str, *, access: Access) -> bytes | None:
    """The finished file ``key`` of the workspace, or None (not built yet, or none)."""
    with engine.connect() as conn:
        data = conn.execute(select(TABLE.c.data).where(TABLE.c.key == key,
                                                      TABLE.c.workspace_id == access.workspace_id)).scalar()
    return None if data is None else bytes(data)


def files(engine: Engine, campaign_id: int, *, access: Access) -> dict[str, tuple[str, str, bool]]:
    """The workspace campaign's files by key: (format, who built or builds it, whether it is built); what shows which
    replica made which file."""
    with engine.connect() as conn:
        rows = conn.execute(select(TABLE.c.key, TABLE.c.format, TABLE.c.builder, TABLE.c.data.is_not(None)).where(
            TABLE.c.workspace_id == access.workspace_id, TABLE.c.campaign_id == int(campaign_id))).all()
    return {str(k): (str(f), str(b), bool(built)) for k, f, b, built in rows}
