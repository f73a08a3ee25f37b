"""Writes and reads of bloggers: bulk upsert in one transaction, fast load into a DataFrame,
remembered column mappings.

The bloggers are a workspace's (``workspace_id``, the default workspace when none is named: the benchmarks and the
sample seed it); a caller acting for a user passes its planner.storage.access.Access instead, and the role is checked
(a planner imports, an owner removes). The remembered column mappings are the workspace's and always take an
Access."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import delete, select, text
from sqlalchemy.engine import Connection, Engine

from planner.core.schema import FIELD_BY_NAME, FIELD_NAMES
from planner.storage.access import OWNER, PLANNER, Access
from planner.storage.models import DEFAULT_WORKSPACE_ID, Blogger, ColumnMapping, utcnow

BLOGGER_TABLE = Blogger.__table__  # type: ignore[attr-defined]
KEY = ("workspace_id", "platform", "handle")
CHUNK = 20_000      # rows written by one executemany (only a chunk is ever Python tuples at once)
KEY_CHUNK = 100_000  # stored keys fetched at once when counting the rows an upsert updates


@dataclass
class WriteResult:
    inserted: int
    updated: int


def _column_values(series: pd.Series, kind: str, dialect: str) -> list:
    """One column as plain Python values (None for missing), fast: whole-column conversions only."""
    if kind in ("int", "float"):
        arr = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        values = arr.tolist()
        if kind == "int":
            return [None if v != v else int(round(v)) for v in values]
        return [None if v != v else v for v in values]
    if kind == "bool":
        arr = series.astype("boolean")
        known = arr.notna().to_numpy()
        flags = arr.fillna(False).to_numpy(dtype=bool).tolist()
        return [f if k else None for f, k in zip(flags, known, strict=True)]
    if kind == "date":
        dates = pd.to_datetime(series, errors="coerce")
        known = dates.notna().to_numpy()
        text = dates.dt.strftime("%Y-%m-%d").astype(object).tolist()
        if dialect == "sqlite":
            return [t if k else None for t, k in zip(text, known, strict=True)]
        return [date.fromisoformat(t) if k else None for t, k in zip(text, known, strict=True)]
    if series.dtype == object:
        series = series.map(lambda v: v if v is None or isinstance(v, str) else str(v), na_action="ignore")
    return series.astype(object).where(series.notna(), None).tolist()


def _upsert_sql(dialect: str, columns: list[str]) -> str:
    """INSERT ... ON CONFLICT (workspace, platform, handle) DO UPDATE: the same text on SQLite and PostgreSQL."""
    mark = "?" if dialect == "sqlite" else "%s"
    if dialect not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"upsert is not implemented for {dialect}")
    all_cols = [*columns, "workspace_id", "source", "imported_at"]
    updates = [c for c in all_cols if c not in KEY]
    # a blank cell (missing, or unreadable and left blank with a warning) never erases what is stored: an
    # import adds and corrects figures, it does not lose them
    return (f"INSERT INTO blogger ({', '.join(all_cols)}) VALUES ({', '.join([mark] * len(all_cols))}) "
            f"ON CONFLICT (workspace_id, platform, handle) DO UPDATE SET "
            + ", ".join(f"{c} = COALESCE(excluded.{c}, blogger.{c})" for c in updates))


def upsert_bloggers(engine: Engine, frame: pd.DataFrame, *, workspace_id: int = DEFAULT_WORKSPACE_ID,
                    source: str = "import", fail_after_rows: int | None = None,
                    remember: Mapping[str, str | None] | None = None, access: Access | None = None) -> WriteResult:
    """Insert or update bloggers by (workspace, platform, handle), all rows in one transaction.

    Only the columns present in ``frame`` are written on update, so a file without prices does
    not wipe the prices already stored. Either every row is written or none is (bulk executemany
    through the driver, not one ORM object per row). ``remember``: the user's corrections of the column mapping,
    stored in the same transaction (an import that fails stores neither its rows nor its corrections).
    ``access``: the user's access, whose workspace is written (a planner's work; needed with ``remember``).
    ``fail_after_rows`` is a test hook that raises mid-transaction.
    """
    if access is not None:
        access.require(PLANNER, "importing bloggers")
        workspace_id = access.workspace_id
    elif remember:
        raise ValueError("remembering a column mapping needs the user's access to the workspace")
    columns = [c for c in FIELD_NAMES if c in frame.columns]
    missing = {"handle", "platform"} - set(columns)
    if missing:
        raise ValueError(f"cannot write bloggers without {', '.join(sorted(missing))}")
    if frame.empty:
        if remember:
            assert access is not None
            remember_mapping(engine, remember, access=access)
        return WriteResult(0, 0)
    dialect = engine.dialect.name
    now = utcnow()
    stamp = now.replace(tzinfo=None).isoformat(sep=" ") if dialect == "sqlite" else now
    n = len(frame)
    sql = _upsert_sql(dialect, columns)
    with engine.begin() as conn:
        updated = _count_existing(conn, frame, workspace_id)
        written = 0
        for start in range(0, n, CHUNK):
            chunk = _chunk_rows(frame.iloc[start:start + CHUNK], columns, dialect, (workspace_id, source, stamp))
            conn.exec_driver_sql(sql, chunk)
            written += len(chunk)
            del chunk
            if fail_after_rows is not None and written >= fail_after_rows:
                raise RuntimeError("simulated failure during import")
        if remember:
            _remember(conn, remember, workspace_id)
        _bump_version(conn, workspace_id)
    return WriteResult(inserted=n - updated, updated=updated)


def _chunk_rows(part: pd.DataFrame, columns: list[str], dialect: str, extra: tuple) -> list[tuple]:
    """The driver's parameter tuples of one chunk of rows: only a chunk is ever Python objects at once."""
    m = len(part)
    values = [_column_values(part[c], FIELD_BY_NAME[c].kind, dialect) for c in columns]
    values += [[value] * m for value in extra]
    return list(zip(*values, strict=True))


def _bump_version(conn: Connection, workspace_id: int) -> None:
    conn.execute(text("UPDATE workspace SET bloggers_version = bloggers_version + 1 WHERE id = :w"),
                 {"w": workspace_id})


def delete_bloggers(engine: Engine, *, workspace_id: int = DEFAULT_WORKSPACE_ID, source: str | None = None,
                    access: Access | None = None) -> int:
    """Remove the workspace's bloggers (``source``: those of that source only); ``access``: the user's, whose
    workspace it is (an owner's work). Rows removed."""
    if access is not None:
        access.require(OWNER, "removing bloggers")
        workspace_id = access.workspace_id
    with engine.begin() as conn:
        stmt = delete(BLOGGER_TABLE).where(BLOGGER_TABLE.c.workspace_id == workspace_id)
        if source is not None:
            stmt = stmt.where(BLOGGER_TABLE.c.source == source)
        count = int(conn.execute(stmt).rowcount or 0)
        _bump_version(conn, workspace_id)
        return count


LOAD_COLUMNS = ("id", *FIELD_NAMES, "source")


def snapshot_dir(engine: Engine) -> Path:
    """Where loads are snapshotted: beside a SQLite file, or under data/.cache/ per server for PostgreSQL."""
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        return Path(str(engine.url.database)).resolve().parent / ".cache"
    import hashlib

    key = hashlib.blake2b(engine.url.render_as_string(hide_password=True).encode(), digest_size=8).hexdigest()
    return Path(__file__).resolve().parents[2] / "data" / ".cache" / key


def load_bloggers(engine: Engine, *, workspace_id: int = DEFAULT_WORKSPACE_ID, chunk_rows: int = 100_000,
                  snapshot: bool = True) -> pd.DataFrame:
    """All bloggers of a workspace as a DataFrame with canonical columns and proper dtypes.

    A cold load reads a Parquet snapshot of the same data version when one exists (a million bloggers in
    about 2 s instead of 15-20 s from SQLite); otherwise it reads the database and writes the snapshot.
    The snapshot is keyed by the workspace's data version, which every write of bloggers bumps, so it is
    never stale; it is only a cache (delete it at will) and is written only when no write happened during
    the read.
    """
    if not snapshot or (engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")):
        return _load_from_db(engine, workspace_id, chunk_rows)
    version = data_version(engine, workspace_id)
    folder = snapshot_dir(engine)
    path = folder / f"bloggers-{version.replace(':', '-v')}-{_fingerprint(engine, workspace_id)}.parquet"
    if path.exists():
        try:
            return pd.read_parquet(path)
        except Exception:  # a damaged cache is not data: read the database instead
            path.unlink(missing_ok=True)
    frame = _load_from_db(engine, workspace_id, chunk_rows)
    if data_version(engine, workspace_id) == version:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{uuid.uuid4().hex}.part")  # replicas may share the folder (and a pid)
            frame.to_parquet(tmp, index=False)
            tmp.replace(path)
            for old in folder.glob(f"bloggers-{workspace_id}-v*.parquet"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:  # a read-only disk: the cache is optional
            pass
    return frame


def data_identity(engine: Engine, workspace_id: int = DEFAULT_WORKSPACE_ID) -> str:
    """The workspace's data version and the moment the workspace was made (one row read): what names a cache of
    its bloggers kept on disk (planner.app.catalog's snapshot of the catalog). A database deleted and made again
    at the same place, whose version may be the old one's, has another moment."""
    with engine.connect() as conn:
        made, version = conn.execute(text("SELECT created_at, bloggers_version FROM workspace WHERE id = :w"),
                                     {"w": workspace_id}).one()
    return f"{workspace_id}-v{version}-{''.join(ch for ch in str(made) if ch.isdigit())}"


def _fingerprint(engine: Engine, workspace_id: int) -> str:
    """Count, largest id and total followers of the workspace's bloggers: with the data version, this tells a
    snapshot of this database from one of an earlier database at the same path (deleted and created again)."""
    with engine.connect() as conn:
        # "+workspace_id": a plain table scan on SQLite (walking the index would read rows in random order)
        sql = ("SELECT COUNT(*), MAX(id), TOTAL(followers) FROM blogger WHERE +workspace_id = :w"
               if engine.dialect.name == "sqlite" else
               "SELECT COUNT(*), MAX(id), SUM(followers) FROM blogger WHERE workspace_id = :w")
        n, top, total = conn.execute(text(sql), {"w": workspace_id}).one()
    return f"{int(n or 0)}-{int(top or 0)}-{int(total or 0) % 1_000_000_007}"


def _load_from_db(engine: Engine, workspace_id: int, chunk_rows: int) -> pd.DataFrame:
    """Read in chunks, each turned into typed columns at once, so a million rows never exist as Python
    tuples all together (peak memory stays near the size of the typed frame)."""
    cols = ", ".join(LOAD_COLUMNS)
    # "+workspace_id" keeps SQLite from walking the unique index (a table scan in id order is faster)
    where = "+workspace_id" if engine.dialect.name == "sqlite" else "workspace_id"
    sql = f"SELECT {cols} FROM blogger WHERE {where} = {int(workspace_id)} ORDER BY id"
    parts: list[pd.DataFrame] = []
    raw = engine.raw_connection()  # plain DB-API tuples: no per-row Row objects
    try:
        cur = raw.cursor()
        cur.execute(sql)
        while True:
            rows = cur.fetchmany(chunk_rows)
            if not rows:
                break
            parts.append(coerce_types(pd.DataFrame.from_records(rows, columns=list(LOAD_COLUMNS), coerce_float=True)))
            del rows
        cur.close()
    finally:
        raw.close()
    if not parts:
        return coerce_types(pd.DataFrame(columns=list(LOAD_COLUMNS)))
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return frame


def load_bloggers_by_id(engine: Engine, ids, *, workspace_id: int = DEFAULT_WORKSPACE_ID,
                        chunk: int = 500, whole_above: int = 50_000) -> pd.DataFrame:
    """The stored rows (as :func:`load_bloggers` gives them) of the given blogger ids, in id order; ids not in
    the workspace are left out. Reads only those rows, in chunks of ``chunk`` ids (a large set, above
    ``whole_above`` ids, is read with the whole workspace and filtered)."""
    wanted = np.unique(np.asarray(list(ids), dtype=np.int64))
    if len(wanted) > whole_above:
        frame = load_bloggers(engine, workspace_id=workspace_id)
        return frame[np.isin(frame["id"].to_numpy(), wanted)].reset_index(drop=True)
    cols = [BLOGGER_TABLE.c[c] for c in LOAD_COLUMNS]
    parts: list[pd.DataFrame] = []
    with engine.connect() as conn:
        for start in range(0, len(wanted), chunk):
            part = [int(i) for i in wanted[start:start + chunk]]
            rows = conn.execute(select(*cols).where(BLOGGER_TABLE.c.workspace_id == workspace_id,
                                                    BLOGGER_TABLE.c.id.in_(part)).order_by(BLOGGER_TABLE.c.id)).all()
            if rows:
                parts.append(pd.DataFrame.from_records([tuple(r) for r in rows], columns=list(LOAD_COLUMNS),
                                                       coerce_float=True))
    if not parts:
        return coerce_types(pd.DataFrame(columns=list(LOAD_COLUMNS)))
    return coerce_types(pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0])


def coerce_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical dtypes: float64 for numbers (NaN for missing), nullable booleans, strings."""
    out = {}
    n = len(frame)
    for name in frame.columns:
        col = frame[name]
        f = FIELD_BY_NAME.get(name)
        kind = f.kind if f else ("int" if name == "id" else "str")
        if kind == "int" and name == "id":
            out[name] = pd.to_numeric(col, errors="coerce").fillna(0).astype(np.int64)
        elif kind in ("int", "float"):
            out[name] = pd.to_numeric(col, errors="coerce").astype(np.float64)
        elif kind == "bool":
            out[name] = col.astype("boolean") if n else pd.Series([], dtype="boolean")
        elif kind == "date":
            out[name] = pd.to_datetime(col, errors="coerce").dt.date if n else pd.Series([], dtype=object)
        else:
            out[name] = col.astype("string") if n else pd.Series([], dtype="string")
    return pd.DataFrame(out, index=pd.RangeIndex(n))


def with_all_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every canonical column (missing ones empty), in canonical dtypes: what a partial
    file (only handle, platform, followers, say) needs before estimates and planning."""
    missing = [c for c in FIELD_NAMES if c not in frame.columns]
    if not missing:
        return coerce_types(frame)
    extra = pd.DataFrame({c: pd.Series([None] * len(frame), dtype=object) for c in missing}, index=frame.index)
    return coerce_types(pd.concat([frame, extra], axis=1))


def load_sample_csv(engine: Engine, path: Path, *, workspace_id: int = DEFAULT_WORKSPACE_ID) -> int:
    frame = coerce_types(pd.read_csv(path, dtype={"handle": str, "name": str}, keep_default_na=True))
    return upsert_bloggers(engine, frame, workspace_id=workspace_id, source="sample").inserted


def data_version(engine: Engine, workspace_id: int = DEFAULT_WORKSPACE_ID) -> str:
    """A cheap fingerprint that changes whenever bloggers are written (cache key for loads)."""
    with engine.connect() as conn:
        version = conn.execute(text("SELECT bloggers_version FROM workspace WHERE id = :w"),
                               {"w": workspace_id}).scalar()
    return f"{workspace_id}:{version}"


def remembered_mapping(engine: Engine, *, access: Access) -> dict[str, str | None]:
    """The workspace's remembered corrections of the automatic column mapping (header -> field, None: ignored)."""
    table = ColumnMapping.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.source_header, table.c.field).where(
            table.c.workspace_id == access.workspace_id)).all()
    return {h: f for h, f in rows}


def remember_mapping(engine: Engine, corrections: Mapping[str, str | None], *, access: Access) -> None:
    """Store the user's corrections of the automatic mapping (header -> field or None to ignore) in the workspace
    (a planner's work)."""
    access.require(PLANNER, "remembering a column mapping")
    if not corrections:
        return
    with engine.begin() as conn:
        _remember(conn, corrections, access.workspace_id)


def _remember(conn: Connection, corrections: Mapping[str, str | None], workspace_id: int) -> None:
    # the dialects' INSERT ... ON CONFLICT, imported here: PostgreSQL's pulls in asyncio and its drivers' modules
    # (0.04 s of every process that reads the bloggers, issue 18)
    from sqlalchemy.dialects import postgresql, sqlite

    table = ColumnMapping.__table__  # type: ignore[attr-defined]
    ins = sqlite.insert(table) if conn.dialect.name == "sqlite" else postgresql.insert(table)
    stmt = ins.on_conflict_do_update(index_elements=["workspace_id", "source_header"],
                                     set_={"field": ins.excluded.field, "updated_at": ins.excluded.updated_at})
    conn.execute(stmt, [{"workspace_id": workspace_id, "source_header": h, "field": f or None,
                         "updated_at": utcnow()} for h, f in corrections.items()])


_KEY_SEP = pa.scalar("\x1f", pa.large_string())


def _key_text(platforms: pa.Array, handles: pa.Array) -> pa.Array:
    """"platform<US>handle" keys as one Arrow string array."""
    return pc.binary_join_element_wise(platforms.cast(pa.large_string()), handles.cast(pa.large_string()), _KEY_SEP)


def _arrow_text(series: pd.Series) -> pa.Array:
    arr = pa.array(series.astype("str").array)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _count_existing(conn: Connection, frame: pd.DataFrame, workspace_id: int) -> int:
    """How many rows of ``frame`` have a (platform, handle) already stored in the workspace. The stored keys
    are read in chunks into Arrow strings, never as one Python tuple per stored row all at once."""
    result = conn.execute(select(BLOGGER_TABLE.c.platform, BLOGGER_TABLE.c.handle).where(
        BLOGGER_TABLE.c.workspace_id == workspace_id))
    stored: list[pa.Array] = []
    while rows := result.fetchmany(KEY_CHUNK):
        platforms, handles = zip(*rows, strict=True)
        stored.append(_key_text(pa.array(platforms, pa.large_string()), pa.array(handles, pa.large_string())))
        del rows, platforms, handles
    if not stored or not sum(len(a) for a in stored):
        return 0
    keys = _key_text(_arrow_text(frame["platform"]), _arrow_text(frame["handle"]))
    found = pc.is_in(keys, value_set=pa.concat_arrays(stored))
    return int(pc.sum(found).as_py() or 0)


def count_new(engine: Engine, frame: pd.DataFrame, *, workspace_id: int = DEFAULT_WORKSPACE_ID) -> tuple[int, int]:
    """How many rows of ``frame`` would be inserted and how many would update (dry run)."""
    if frame.empty:
        return 0, 0
    with engine.connect() as conn:
        updated = _count_existing(conn, frame, workspace_id)
    return len(frame) - updated, updated
