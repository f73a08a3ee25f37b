"""A saved campaign's pitch for the client as XLSX, PPTX or PDF. The pages' download buttons and
`python -m planner export-plan` both call :func:`make`, and both name the file with :func:`file_names`."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner import campaigns
from planner.core.money import Rates
from planner.reporting import pitch, pitch_model
from planner.storage.access import Access
from planner.storage.db import Engine

FORMATS = pitch.FORMATS
MIME = pitch.MIME
PitchError = pitch.PitchError


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
         frontier: bool = True, bloggers: pd.DataFrame | None = None,
         access: Access) -> PitchFile:
    """The campaign's pitch in ``fmt`` (xlsx, pptx, pdf): its plan, and (``frontier``) the reach–niche frontier and
    the budget curve planned on the campaign's own list and rates; ``scenarios``: saved scenarios compared beside
    it. ``bloggers``: the workspace's enriched bloggers when the caller has them. Raises PitchError."""
    t0 = time.perf_counter()
    doc = pitch.build(engine, campaign_id, lang=lang, currency=currency, rates=rates, client=client,
                      scenarios=tuple(scenarios), frontier=frontier, bloggers=bloggers, access=access)
    data = pitch.render(doc, fmt)
    return PitchFile(doc=doc, data=data, format=fmt, seconds=time.perf_counter() - t0)


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
