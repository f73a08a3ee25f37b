"""The workspace's blogger catalog (planner.estimates.catalog.Catalog over the enriched bloggers) as every page
opens it: read from its snapshot on disk when one of the same data, database and code is there (a million bloggers
in about a second instead of five), else built from the stored bloggers, its snapshot then written for the next
start (in the background when asked: the session that built it does not wait for the disk).

The snapshot is a folder beside the load snapshot (planner.storage.store.snapshot_dir) named by
store.data_identity (the data version and when the workspace was made: an import, or a database deleted and made
again, never finds an old one) and by :func:`code_key` (the source of the code the catalog's figures come from, and the
versions of numpy, pandas and pyarrow: a new version of the planner never reads an older one's estimates). A list
below ``SNAPSHOT_MIN_ROWS`` bloggers is built each time (in well under a second). A snapshot is only a cache: a
damaged or unreadable one is deleted and the catalog built again; delete them at will.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import logging
import shutil
import threading
from pathlib import Path

from planner.estimates import metrics
from planner.estimates.catalog import Catalog
from planner.storage import store
from planner.storage.db import Engine
from planner.storage.models import DEFAULT_WORKSPACE_ID

_LOG = logging.getLogger(__name__)
SNAPSHOT_MIN_ROWS = 20_000
PREFIX = "catalog-"


@functools.cache
def code_key(package: str = "estimates") -> str:
    """A fingerprint of the code a catalog's figures come from: the modules of planner.estimates (or another of
    planner's packages, ``package``: "reporting" for the pitch's files) and every module of the planner they import,
    at any depth (read from their import statements; a change of wording elsewhere, planner.core.i18n say, keeps
    the catalog's snapshot), and the versions of numpy, pandas and pyarrow."""
    import numpy
    import pandas
    import pyarrow

    root = Path(__file__).resolve().parents[1]  # planner/
    todo = sorted((root / package).glob("*.py"))
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_bytes())):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "planner":
                    target = root.joinpath(*parts[1:])
                    todo += [target.with_suffix(".py"), target / "__init__.py"]
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(seen):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    digest.update(f"{numpy.__version__} {pandas.__version__} {pyarrow.__version__}".encode())
    return digest.hexdigest()


def snapshot_folder(engine: Engine, workspace_id: int = DEFAULT_WORKSPACE_ID) -> Path | None:
    """Where the catalog of the workspace's current data is snapshotted (None: an in-memory database)."""
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return None
    key = store.data_identity(engine, workspace_id)
    return store.snapshot_dir(engine) / f"{PREFIX}{key}-{code_key()}"


def open_catalog(engine: Engine, workspace_id: int = DEFAULT_WORKSPACE_ID, *, background: bool = False,
                 snapshot: bool = True) -> Catalog:
    """The workspace's catalog: its snapshot when there is one, else built (and snapshotted, unless
    ``snapshot`` is False; in a daemon thread when ``background``)."""
    version = store.data_version(engine, workspace_id)
    folder = snapshot_folder(engine, workspace_id) if snapshot else None
    if folder is not None and folder.is_dir():
        try:
            return Catalog.load(folder)
        except Exception as exc:  # noqa: BLE001 - a damaged cache is not data: build the catalog again
            _LOG.warning("catalog snapshot %s unreadable (%s): the catalog is built again", folder, exc)
            shutil.rmtree(folder, ignore_errors=True)
    cat = Catalog(metrics.enrich(store.load_bloggers(engine, workspace_id=workspace_id)))
    # written only when no write of bloggers happened meanwhile (the folder's name is the data it holds)
    if folder is not None and cat.n >= SNAPSHOT_MIN_ROWS and store.data_version(engine, workspace_id) == version:
        if background:
            threading.Thread(target=_save, args=(cat, folder), name="planner-catalog-snapshot", daemon=True).start()
        else:
            _save(cat, folder)
    return cat


def _save(cat: Catalog, folder: Path) -> None:
    """Write the snapshot and drop the workspace's older ones (a disk that refuses is no error: it is a cache)."""
    try:
        if not cat.save(folder):
            return
    except Exception as exc:  # noqa: BLE001 - a full or read-only disk: the next start builds the catalog again
        _LOG.warning("catalog snapshot %s not written (%s)", folder, exc)
        return
    workspace = folder.name[len(PREFIX):].split("-v", 1)[0]
    for old in folder.parent.glob(f"{PREFIX}{workspace}-v*"):
        if old != folder and old.is_dir() and not old.name.endswith(".part"):
            shutil.rmtree(old, ignore_errors=True)
