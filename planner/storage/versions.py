"""Versions of what people edit, so that a save from a stale view never silently undoes someone else's save.

A campaign carries one version per part people edit (its goals, its placements' statuses and dates, its results),
and a saved scenario one of its own. Every write of a part bumps its version inside the write's transaction; a write
that says which version it was made from (the version the person saw) is refused with :class:`StaleWrite` when the
stored version moved on, and nothing of it is written. A conditional UPDATE does the check and the bump at once, so
two saves racing each other cannot both pass."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session

from planner.storage.models import Campaign, CampaignScenario

PARTS: tuple[str, ...] = ("goals", "placements", "results")


class StaleWrite(Exception):
    """The part was saved by someone else since the view this write comes from: ``current`` is its version now."""

    def __init__(self, part: str, expected: int, current: int):
        self.part, self.expected, self.current = part, expected, current
        super().__init__(f"{part} changed since version {expected} (now {current})")


def claim(session: Session, campaign_id: int, part: str, expected: int | None) -> int:
    """Within a write's transaction: bump the campaign's ``part`` version, refusing (StaleWrite) when ``expected``
    is given and the stored version is another. Returns the new version."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}")
    column = getattr(Campaign, f"{part}_version")
    stmt = update(Campaign).where(Campaign.id == campaign_id)  # type: ignore[arg-type]
    if expected is not None:
        stmt = stmt.where(column == int(expected))
    result = session.execute(stmt.values({column: column + 1}).execution_options(synchronize_session=False))
    current = session.get(Campaign, campaign_id)
    if current is not None:
        session.refresh(current, [f"{part}_version"])
    now = int(getattr(current, f"{part}_version", 0) or 0) if current is not None else 0
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleWrite(part, int(expected or 0), now)
    return now


def claim_scenario(session: Session, scenario_id: int, expected: int | None) -> int:
    """The same for a saved scenario's own version."""
    stmt = update(CampaignScenario).where(CampaignScenario.id == scenario_id)  # type: ignore[arg-type]
    if expected is not None:
        stmt = stmt.where(CampaignScenario.version == int(expected))  # type: ignore[arg-type]
    result = session.execute(stmt.values(version=CampaignScenario.version + 1)
                             .execution_options(synchronize_session=False))
    row = session.get(CampaignScenario, scenario_id)
    if row is not None:
        session.refresh(row, ["version"])
    now = int(row.version or 0) if row is not None else 0
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleWrite("scenario", int(expected or 0), now)
    return now
