"""The bloggers a brief plans on (planner.planning.brief.BloggerList): make a list from the database's ids or from an
uploaded file, and read any brief's list back — the one place every page, export and command gets a brief's
bloggers, so a saved campaign, its scenarios, its pitch and its report plan on the very list it was made on."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from planner.core.memo import LruMemo
from planner.estimates import metrics
from planner.planning.brief import BloggerList, Brief, BriefError
from planner.storage import lists as stored
from planner.storage import store
from planner.storage.access import Access
from planner.storage.db import Engine

_UPLOADS = LruMemo(8)  # an uploaded list's enriched rows by (database, stored id, digest): its content never changes


def of_ids(kind: str, ids: Iterable[int], *, label: str = "") -> BloggerList:
    """A list of the database's bloggers: ``kind`` "filter" (the ids a filter kept) or "shortlist"."""
    return BloggerList(kind=kind, ids=tuple(int(i) for i in ids), label=label)


def with_ids(engine: Engine, frame: pd.DataFrame, *, access: Access) -> pd.DataFrame:
    """An uploaded list's rows with an ``id`` each: the stored blogger's of the same platform and handle (so a
    saved placement links to it), else a negative id of the list's own."""
    out = frame.drop(columns=["id"], errors="ignore").reset_index(drop=True)
    known = store.load_bloggers(engine, workspace_id=access.workspace_id)[["id", "platform", "handle"]]
    # plain lists: walking Arrow-backed strings one cell at a time costs 5 µs a cell
    key = dict(zip(zip(known["platform"].astype(str).tolist(), known["handle"].astype(str).str.lower().tolist(),
                       strict=True), known["id"].astype(int).tolist(), strict=True))
    ids: list[int] = []
    taken: set[int] = set()
    own = 0
    for p, h in zip(out["platform"].astype(str).tolist(), out["handle"].astype(str).str.lower().tolist(),
                    strict=True):
        i = key.get((p, h))
        if i is None or i in taken:
            own -= 1
            i = own
        taken.add(i)
        ids.append(i)
    out.insert(0, "id", np.asarray(ids, dtype=np.int64))
    return out


def upload(engine: Engine, frame: pd.DataFrame, *, name: str = "", access: Access,
           on_new: Callable[[Callable[[], object]], object] | None = None) -> tuple[BloggerList, pd.DataFrame]:
    """Keep an uploaded list (canonical rows, as planner.ingest reads a file, with their ids or else given them by
    :func:`with_ids`) for planning without importing it: its :class:`BloggerList` and the enriched bloggers a brief
    on it plans on, the very frame :func:`bloggers_for` reads back from the database (made from the records just
    kept, without reading them back, when every value is one JSON gives back as it is).
    ``on_new``: called with the undo (removing the list again) when this call stored it — a command that then
    fails runs it, so an error leaves the database as it was."""
    rows = frame.reset_index(drop=True) if "id" in frame.columns else with_ids(engine, frame,
                                                                               access=access)
    records = stored.list_records(rows)
    list_id, digest, created = stored.store_list(engine, records, name=name, access=access)
    if created and on_new is not None:
        on_new(lambda: stored.delete_list(engine, list_id, digest, access=access))
    spec = BloggerList(kind="upload", list_id=list_id, digest=digest, label=name, size=len(records))
    if not _json_plain(records):
        return spec, _uploaded(engine, spec, access)
    return spec, _enriched(records)


# the values a list's stored JSON gives back unchanged (planner.storage.lists keeps finite floats, None for missing)
_JSON_PLAIN = frozenset({str, int, float, bool, type(None)})


def _json_plain(records: list[dict]) -> bool:
    """Whether every value of the records reads back from the stored list's JSON as it is (no tuple, date, ...):
    the same content (the digest is of that JSON) gives the same frame from memory as from the database."""
    kinds: set[type] = set()
    for record in records:
        kinds.update(map(type, record.values()))
    return kinds <= _JSON_PLAIN


def _enriched(records: list[dict]) -> pd.DataFrame:
    """A stored list's records as the enriched bloggers a brief plans on."""
    frame = pd.DataFrame.from_records(records, columns=list(stored.LIST_COLUMNS))
    ids = frame["id"].to_numpy(dtype=np.int64)
    frame = store.with_all_columns(frame.drop(columns=["id"]))
    frame.insert(0, "id", ids)
    return metrics.enrich(frame)


def _uploaded(engine: Engine, spec: BloggerList, access: Access) -> pd.DataFrame:
    def read() -> pd.DataFrame:
        try:
            _name, records = stored.load_list(engine, int(spec.list_id or 0), spec.digest, access=access)
        except stored.ListNotFound:
            raise BriefError("bloggers", reason=f"the uploaded list {spec.label or spec.list_id} is not stored "
                                                "in this workspace") from None
        return _enriched(records)

    if engine.url.database in (None, "", ":memory:"):
        return read()
    return _UPLOADS.get((str(engine.url), access.workspace_id, spec.list_id, spec.digest), read)


def bloggers_for(engine: Engine, brief: Brief, *, database: pd.DataFrame | None = None,
                 access: Access) -> pd.DataFrame:
    """The enriched bloggers ``brief`` plans on: the whole database, the database's bloggers of its filter or
    shortlist (those since deleted are gone), or its uploaded list. ``database``: the workspace's enriched bloggers
    when the caller has them (a page's cached frame); else they are read."""
    spec = brief.bloggers
    if spec.kind == "upload":
        return _uploaded(engine, spec, access)
    if database is None:
        database = metrics.enrich(store.load_bloggers(engine, workspace_id=access.workspace_id))
    if spec.whole_database:
        return database
    return database[database["id"].isin(spec.ids).to_numpy()]
