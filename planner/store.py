"""Writes and reads of bloggers: bulk upsert in one transaction, fast load into a DataFrame,
remembered column mappings."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from planner.models import DEFAULT_WORKSPACE_ID, Blogger, ColumnMapping, utcnow
from planner.schema import FIELD_BY_NAME, FIELD_NAMES

BLOGGER_TABLE = Blogger.__table__  # type: ignore[attr-defined]
KEY = ("workspace_id", "platform", "handle")
CHUNK = 5_000


@dataclass
class WriteResult:
    inserted: int
    updated: int


def _insert_stmt(conn: Connection):
    name = conn.dialect.name
    if name == "sqlite":
        return sqlite.insert(BLOGGER_TABLE)
    if name == "postgresql":
        return postgresql.insert(BLOGGER_TABLE)
    raise NotImplementedError(f"upsert is not implemented for {name}")


def _records(frame: pd.DataFrame, columns: list[str], workspace_id: int, source: str) -> list[dict]:
    """Rows as plain Python values (None for missing) ready for executemany."""
    out = frame[columns].astype(object).where(frame[columns].notna(), None)
    for col in columns:
        kind = FIELD_BY_NAME[col].kind
        if kind == "int":
            out[col] = [None if v is None else int(v) for v in out[col]]
        elif kind == "float":
            out[col] = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in out[col]]
        elif kind == "bool":
            out[col] = [None if v is None else bool(v) for v in out[col]]
        elif kind == "date":
            out[col] = [None if v is None else (v if isinstance(v, date) else date.fromisoformat(str(v)[:10]))
                        for v in out[col]]
        else:
            out[col] = [None if v is None else str(v) for v in out[col]]
    records = out.to_dict("records")
    now = utcnow()
    for r in records:
        r["workspace_id"] = workspace_id
        r["source"] = source
        r["imported_at"] = now
    return records


def upsert_bloggers(engine: Engine, frame: pd.DataFrame, *, workspace_id: int = DEFAULT_WORKSPACE_ID,
                    source: str = "import", fail_after_rows: int | None = None) -> WriteResult:
    """Insert or update bloggers by (workspace, platform, handle), all rows in one transaction.

    Only the columns present in ``frame`` are written on update, so a file without prices does
    not wipe the prices already stored. Either every row is written or none is.
    ``fail_after_rows`` is a test hook that raises mid-transaction.
    """
    columns = [c for c in FIELD_NAMES if c in frame.columns]
    missing = {"handle", "platform", "followers"} - set(columns)
    if missing:
        raise ValueError(f"cannot write bloggers without {', '.join(sorted(missing))}")
    if frame.empty:
        return WriteResult(0, 0)
    records = _records(frame, columns, workspace_id, source)
    with engine.begin() as conn:
        updated = _count_existing(conn, frame, workspace_id)
        stmt = _insert_stmt(conn)
        update_cols = [c for c in columns if c not in ("platform", "handle")] + ["source", "imported_at"]
        stmt = stmt.on_conflict_do_update(index_elements=list(KEY),
                                          set_={c: stmt.excluded[c] for c in update_cols})
        written = 0
        for start in range(0, len(records), CHUNK):
            chunk = records[start:start + CHUNK]
            conn.execute(stmt, chunk)
            written += len(chunk)
            if fail_after_rows is not None and written >= fail_after_rows:
                raise RuntimeError("simulated failure during import")
    return WriteResult(inserted=len(records) - updated, updated=updated)


def delete_bloggers(engine: Engine, *, workspace_id: int = DEFAULT_WORKSPACE_ID, source: str | None = None) -> int:
    with engine.begin() as conn:
        stmt = delete(BLOGGER_TABLE).where(BLOGGER_TABLE.c.workspace_id == workspace_id)
        if source is not None:
            stmt = stmt.where(BLOGGER_TABLE.c.source == source)
        return int(conn.execute(stmt).rowcount or 0)


LOAD_COLUMNS = ("id", *FIELD_NAMES, "source")


def load_bloggers(engine: Engine, *, workspace_id: int = DEFAULT_WORKSPACE_ID) -> pd.DataFrame:
    """All bloggers of a workspace as a DataFrame with canonical columns and proper dtypes."""
    cols = ", ".join(LOAD_COLUMNS)
    with engine.connect() as conn:
        raw = conn.exec_driver_sql(f"SELECT {cols} FROM blogger WHERE workspace_id = {int(workspace_id)} ORDER BY id")
        rows = raw.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=list(LOAD_COLUMNS), coerce_float=True)
    return coerce_types(frame)


def coerce_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical dtypes: float64 for numbers (NaN for missing), nullable booleans, strings."""
    out = {}
    n = len(frame)
    for name in frame.columns:
        col = frame[name]
        f = FIELD_BY_NAME.get(name)
        kind = f.kind if f else ("int" if name == "id" else "str")
        if kind == "int" and name in ("id", "followers"):
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


def load_sample_csv(engine: Engine, path: Path, *, workspace_id: int = DEFAULT_WORKSPACE_ID) -> int:
    frame = coerce_types(pd.read_csv(path, dtype={"handle": str, "name": str}, keep_default_na=True))
    return upsert_bloggers(engine, frame, workspace_id=workspace_id, source="sample").inserted


def data_version(engine: Engine, workspace_id: int = DEFAULT_WORKSPACE_ID) -> str:
    """A cheap fingerprint that changes whenever bloggers are written (cache key for loads)."""
    with engine.connect() as conn:
        row = conn.execute(text("SELECT COUNT(*), MAX(imported_at), MAX(id) FROM blogger WHERE workspace_id = :w"),
                           {"w": workspace_id}).one()
    return f"{row[0]}:{row[1]}:{row[2]}"


def remembered_mapping(engine: Engine, *, workspace_id: int = DEFAULT_WORKSPACE_ID) -> dict[str, str | None]:
    table = ColumnMapping.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.source_header, table.c.field).where(
            table.c.workspace_id == workspace_id)).all()
    return {h: f for h, f in rows}


def remember_mapping(engine: Engine, corrections: Mapping[str, str | None], *,
                     workspace_id: int = DEFAULT_WORKSPACE_ID) -> None:
    """Store the user's corrections of the automatic mapping (header -> field or None to ignore)."""
    if not corrections:
        return
    table = ColumnMapping.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        ins = sqlite.insert(table) if conn.dialect.name == "sqlite" else postgresql.insert(table)
        stmt = ins.on_conflict_do_update(index_elements=["workspace_id", "source_header"],
                                         set_={"field": ins.excluded.field, "updated_at": ins.excluded.updated_at})
        conn.execute(stmt, [{"workspace_id": workspace_id, "source_header": h, "field": f or None,
                             "updated_at": utcnow()} for h, f in corrections.items()])


def _count_existing(conn: Connection, frame: pd.DataFrame, workspace_id: int) -> int:
    existing = pd.DataFrame(conn.execute(
        select(BLOGGER_TABLE.c.platform, BLOGGER_TABLE.c.handle).where(
            BLOGGER_TABLE.c.workspace_id == workspace_id)).all(), columns=["platform", "handle"])
    if existing.empty:
        return 0
    keys = pd.MultiIndex.from_arrays([frame["platform"].astype(str), frame["handle"].astype(str)])
    return int(keys.isin(pd.MultiIndex.from_frame(existing)).sum())


def count_new(engine: Engine, frame: pd.DataFrame, *, workspace_id: int = DEFAULT_WORKSPACE_ID) -> tuple[int, int]:
    """How many rows of ``frame`` would be inserted and how many would update (dry run)."""
    if frame.empty:
        return 0, 0
    with engine.connect() as conn:
        updated = _count_existing(conn, frame, workspace_id)
    return len(frame) - updated, updated
