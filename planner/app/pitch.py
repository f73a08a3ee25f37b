"""A saved campaign's pitch for the client as XLSX, PPTX or PDF. The pages' download buttons and
`python -m planner export-plan` both call :func:`make`, and both name the file with :func:`file_names`.

A campaign's own pitch is built ahead of the click (:func:`ahead`, :func:`shared_file`) once for every app replica:
the finished file is kept in the database under the digest of everything it depends on, and the one replica that
claimed it builds it while the others wait for it or find it done (planner.storage.pitches)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner import campaigns
from planner.app.catalog import code_key
from planner.core.memo import LruMemo
from planner.core.money import Rates
from planner.reporting import pitch, pitch_model
from planner.storage import campaigns as stored_campaigns
from planner.storage import pitches, store
from planner.storage.access import Access
from planner.storage.db import Engine

FORMATS = pitch.FORMATS
MIME = pitch.MIME
PitchError = pitch.PitchError
CurveWish = pitch.CurveWish
plan_curve_ahead = pitch.plan_curve_ahead  # a plan's pitch curve planned while it is on the screen, before a save


@dataclass(frozen=True)
class PitchFile:
    """The pitch's document model, the file made from it and the seconds it took."""

    doc: pitch.Pitch
    data: bytes
    format: str
    seconds: float

    def to_json(self) -> dict[str, Any]:
        """What `export-plan --json` prints about the file (besides where it was written)."""
        doc = self.doc
        return {"format": self.format, "title": doc.title, "client": doc.client, "lang": doc.lang,
                "currency": doc.currency, "bytes": len(self.data), "placements": len(doc.plan.frame),
                "file_name": pitch.file_name(doc, self.format),
                "totals": {f.key: (None if f.value is None else round(float(f.value), 2)) for f in doc.totals},
                "bands": {f.key: [round(float(f.low), 2), round(float(f.high), 2)]  # type: ignore[arg-type]
                          for f in doc.totals if f.banded},
                "sources": {f.key: f.source for f in doc.totals},
                "sections": [k for k, v in (("frontier", doc.frontier), ("barter", doc.barter),
                                             ("backups", doc.backups), ("budget_curve", doc.budget_curve))
                             if v is not None],
                "seconds": round(self.seconds, 3)}


def make(engine: Engine, campaign_id: int, fmt: str, *, lang: str = "en", currency: str | None = None,
         rates: Rates | None = None, client: str | None = None, scenarios: Sequence[str] = (),
         frontier: bool = True, bloggers: pd.DataFrame | None = None, solved: pitch.Solved | None = None,
         ahead: Ahead | None = None, access: Access) -> PitchFile:
    """The campaign's pitch in ``fmt`` (xlsx, pptx, pdf): its plan, and (``frontier``) the reach–niche frontier and
    the budget curve planned on the campaign's own list and rates; ``scenarios``: saved scenarios compared beside
    it. ``bloggers``: the workspace's enriched bloggers when the caller has them; ``solved``: the brief's plan the
    caller has solved (planner.reporting.pitch.Solved: used only when it fits the campaign's brief and data);
    ``ahead``: the campaign's own pitch (no scenarios) is asked for under this key, whose three formats share one
    document (:func:`_document`). Raises PitchError."""
    t0 = time.perf_counter()

    def build() -> pitch.Pitch:
        return pitch.build(engine, campaign_id, lang=lang, currency=currency, rates=rates, client=client,
                           scenarios=tuple(scenarios), frontier=frontier, bloggers=bloggers, solved=solved,
                           access=access)

    doc = _document(engine, ahead, build) if ahead is not None and not scenarios else build()
    data = pitch.render(doc, fmt)
    return PitchFile(doc=doc, data=data, format=fmt, seconds=time.perf_counter() - t0)


# the documents of the pitches built ahead, by database and Ahead: the three formats of one pitch render one document
# (gathered once: its bands, backups, frontier, curve and charts), also while it is still being gathered
_DOCS = LruMemo(6)


def _document(engine: Engine, ahead: Ahead, build: Callable[[], pitch.Pitch]) -> pitch.Pitch:
    """The document of ``ahead``'s pitch: gathered by the first caller (``build``), waited for by the others; a
    failed build is not kept (the next caller tries again)."""
    key = (str(engine.url), ahead)
    got, mine = _DOCS.claim(key)
    if mine:
        _DOCS.fulfil(key, got, build)
    return got.result()


def file_names(engine: Engine, campaign_id: int, *, lang: str = "en", client: str | None = None,
               day: dt.date | None = None, access: Access) -> dict[str, str]:
    """The pitch's file name in each format, ``Client – Campaign – pitch – 2026-12-04.pptx``
    (planner.reporting.pitch_model.file_name: safe for any client or campaign name), the campaign's name read from
    the database: the name the page's download buttons offer and the command line's default ``--out``. Raises
    PitchError for an unknown campaign."""
    listed = campaigns.list_campaigns(engine, access=access)
    found = listed.loc[listed["id"] == int(campaign_id), "name"]
    if found.empty:
        raise PitchError(f"no campaign {campaign_id}")
    day = day or dt.date.today()
    return {fmt: pitch_model.file_name(str(found.iloc[0]), (client or "").strip(), fmt, lang, day,
                                       fallback=f"campaign {campaign_id}") for fmt in FORMATS}


# ---- built ahead, once for every replica -----------------------------------------------------------------------
LEASE_S = 60.0
"""Seconds a replica's claim on a file it builds holds without news from it: the builder renews it every third of
that while it works, so only a builder that died (or lost the database) lets another replica take the build over."""
POLL_S = 0.25
"""How often a replica waiting for another's build looks whether the file is there."""


@dataclass(frozen=True)
class Ahead:
    """Everything a saved campaign's own pitch (no compared scenarios) depends on, read from the database: the
    workspace, the campaign and every version of it (its last change, its placements, goals and results), the
    bloggers' data version, and the reader's language, currency, exchange rates and client's name. Two replicas
    make the same :meth:`key` for the same file; any change of the campaign, on any replica, makes another."""

    workspace_id: int
    campaign_id: int
    version: str
    lang: str
    currency: str
    rates: Rates
    client: str

    def key(self, fmt: str) -> str:
        """The file's digest in ``fmt`` (the code that draws it included: a new release never hands over an older
        one's file)."""
        parts = [self.workspace_id, self.campaign_id, self.version, self.lang, self.currency,
                 list(self.rates.rub_per_unit), self.client, fmt, code_key("reporting")]
        return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def ahead(engine: Engine, campaign_id: int, *, lang: str, currency: str, rates: Rates, client: str,
          access: Access) -> Ahead:
    """The campaign's :class:`Ahead` now (its row alone is read, no placements). Raises
    planner.storage.campaigns.CampaignNotFound for a campaign not in ``access``'s workspace."""
    camp = stored_campaigns.get_campaign(engine, int(campaign_id), access=access)
    version = (f"{camp.updated_at}|p{camp.placements_version}|g{camp.goals_version}|r{camp.results_version}|"
               f"{store.data_version(engine, access.workspace_id)}")
    return Ahead(workspace_id=access.workspace_id, campaign_id=int(campaign_id), version=version, lang=lang,
                 currency=currency, rates=Rates.of(rates), client=(client or "").strip())


def builder_name() -> str:
    """This replica's name in the claims: ``PLANNER_REPLICA`` when set (deploy/compose.yaml names each), else the
    host and the process id."""
    return os.environ.get("PLANNER_REPLICA", "").strip() or f"{socket.gethostname()}:{os.getpid()}"


def shared_file(engine: Engine, ahead: Ahead, fmt: str, *, bloggers: pd.DataFrame | None = None,
                access: Access, wait: bool = True, builder: str | None = None,
                solved: pitch.Solved | None = None) -> bytes | None:
    """The pitch file of ``ahead`` in ``fmt``, built once for every replica: the finished file when one is stored;
    else built here when this replica claims it (and stored for the others), or, when another replica is building
    it, waited for (``wait``; without it: None at once). A builder that stopped answering is replaced after its
    lease (:data:`LEASE_S`). ``builder``: this replica's name (default :func:`builder_name`); ``solved``: as in
    :func:`make`. Raises what :func:`make` raises (the claim is released: the next caller tries again)."""
    key, me = ahead.key(fmt), builder or builder_name()
    while True:
        got = pitches.claim(engine, key, campaign_id=ahead.campaign_id, fmt=fmt, version=ahead.version,
                            builder=me, lease_s=LEASE_S, access=access)
        if got.data is not None:
            return got.data
        if got.claimed:
            return _build(engine, ahead, fmt, key, me, bloggers, access, solved)
        if not wait:
            return None
        time.sleep(POLL_S)


def _build(engine: Engine, ahead: Ahead, fmt: str, key: str, me: str, bloggers: pd.DataFrame | None,
           access: Access, solved: pitch.Solved | None = None) -> bytes:
    """Build the claimed file, renewing the claim while it runs, and store it (or release the claim on failure)."""
    done = threading.Event()

    def renew() -> None:
        while not done.wait(LEASE_S / 3):
            try:
                if not pitches.renew(engine, key, builder=me, lease_s=LEASE_S, access=access):
                    return
            except Exception:  # noqa: BLE001 - the database is away: the lease runs out, another replica builds
                return

    threading.Thread(target=renew, name="pitch-lease", daemon=True).start()
    try:
        data = make(engine, ahead.campaign_id, fmt, lang=ahead.lang, currency=ahead.currency, rates=ahead.rates,
                    client=ahead.client, bloggers=bloggers, solved=solved, ahead=ahead, access=access).data
    except BaseException:
        done.set()
        pitches.release(engine, key, builder=me, access=access)
        raise
    done.set()
    pitches.store(engine, key, data, builder=me, access=access)
    return data
