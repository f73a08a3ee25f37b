"""A campaign's business goals: the primary goal type, targets (500 orders, cost per lead <= 800, ROMI >= 50 %),
the gross margin, the uplift applied to code and link sales, the ROI definition shown, and the campaign window
of the incrementality baseline. Stored on the campaign (workspace-scoped like the campaign itself).

Units: ``romi`` and ``positive_share`` targets, the margin and the uplift are in per cent (as people read
them); ``roas`` is a multiple (3 = revenue three times the cost); money is in the campaign's currency.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from planner import ingest
from planner.storage import goals as repo
from planner.storage.access import Access
from planner.storage.campaigns import CampaignNotFound
from planner.storage.db import Engine
from planner.storage.models import GOAL_TYPES
from planner.storage.versions import StaleWrite


@dataclass(frozen=True)
class TargetKind:
    """How a target is met (``min``: the actual must reach it; ``max``: stay at or below it) and its unit."""

    direction: str  # min | max
    unit: str  # count | money | ratio | percent


TARGET_KINDS: dict[str, TargetKind] = {
    "orders": TargetKind("min", "count"),
    "revenue": TargetKind("min", "money"),
    "leads": TargetKind("min", "count"),
    "installs": TargetKind("min", "count"),
    "cost_per_order": TargetKind("max", "money"),
    "cost_per_lead": TargetKind("max", "money"),
    "roas": TargetKind("min", "ratio"),
    "romi": TargetKind("min", "percent"),
    "positive_share": TargetKind("min", "percent"),
}

# Which ROI the report names as "the" ROI (DOMAIN.md: tools define it differently; the report says which).
ROI_DEFINITIONS: tuple[str, ...] = ("romi", "roas", "emv")
ROI_TEXT: dict[str, str] = {
    "romi": "ROMI = (revenue × margin − cost) / cost, cost = cash + product cost of barter (GRIN's cost basis)",
    "roas": "ROI as ROAS = revenue / cost (HypeAuditor: revenue / budget)",
    "emv": "ROI on EMV = (EMV − cost) / cost (Upfluence; EMV is a soft, disputed metric)",
}
SALES_UNITS: tuple[str, ...] = ("orders", "revenue")
MAX_UPLIFT_PCT = 500.0

# Why goals cannot be set, by code (the page translates the code: planner.core.i18n "goals.error.*").
GOAL_ERRORS: dict[str, str] = {
    "primary": "unknown primary goal {value!r} (known: {known})",
    "kind": "unknown goal {value!r} (known: {known})",
    "syntax": "a goal is KIND=TARGET, got {value!r}",
    "value": "the target of {kind} must be a number, got {value!r}",
    "negative": "the target of {kind} must be at least 0, got {value!r}",
    "margin": "the margin must lie between 0 and 100 %, got {value}",
    "uplift": "the uplift must lie between 0 and 500 %, got {value}",
    "roi": "unknown ROI definition {value!r} (known: romi, roas, emv)",
    "window": "the campaign window ends ({end}) before it starts ({start})",
    "sales_unit": "the sales unit must be orders or revenue, got {value!r}",
    "brand_lift": "the brand lift must be a number of percentage points, got {value}",
    "campaign": "no campaign {value}",
    "stale": "The goals were changed elsewhere since you read them ({changes}). Nothing was saved: read them "
             "again and make your change once more.",
}


class GoalError(ValueError):
    """Goals that cannot be stored; ``code`` and ``params`` give the reason for a translation."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(GOAL_ERRORS[code].format(**params))


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(float(value))


@dataclass(frozen=True)
class Goals:
    """A campaign's goals, validated once. ``targets`` is ((kind, target), ...) in TARGET_KINDS order."""

    primary: str | None = None
    targets: tuple[tuple[str, float], ...] = ()
    margin_pct: float | None = None
    uplift_pct: float = 0.0
    roi_definition: str = "romi"
    window_start: date | None = None
    window_end: date | None = None
    brand_lift_pp: float | None = None
    sales_unit: str | None = None
    # the stored version these goals were read at (planner.storage.versions); not part of what they say
    version: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        if self.primary is not None and self.primary not in GOAL_TYPES:
            raise GoalError("primary", value=self.primary, known=", ".join(GOAL_TYPES))
        seen: dict[str, float] = {}
        for kind, target in self.targets:
            if kind not in TARGET_KINDS:
                raise GoalError("kind", value=kind, known=", ".join(TARGET_KINDS))
            if not _finite(target):
                raise GoalError("value", kind=kind, value=target)
            if kind != "romi" and float(target) < 0:
                raise GoalError("negative", kind=kind, value=target)
            seen[kind] = float(target)
        object.__setattr__(self, "targets", tuple((k, seen[k]) for k in TARGET_KINDS if k in seen))
        if self.margin_pct is not None and not (_finite(self.margin_pct) and 0 <= float(self.margin_pct) <= 100):
            raise GoalError("margin", value=self.margin_pct)
        if not (_finite(self.uplift_pct) and 0 <= float(self.uplift_pct) <= MAX_UPLIFT_PCT):
            raise GoalError("uplift", value=self.uplift_pct)
        if self.roi_definition not in ROI_DEFINITIONS:
            raise GoalError("roi", value=self.roi_definition)
        if self.window_start and self.window_end and self.window_end < self.window_start:
            raise GoalError("window", start=self.window_start, end=self.window_end)
        if self.sales_unit is not None and self.sales_unit not in SALES_UNITS:
            raise GoalError("sales_unit", value=self.sales_unit)
        if self.brand_lift_pp is not None and not _finite(self.brand_lift_pp):
            raise GoalError("brand_lift", value=self.brand_lift_pp)

    def target(self, kind: str) -> float | None:
        return dict(self.targets).get(kind)

    def with_targets(self, changes: Mapping[str, float | None]) -> Goals:
        """The goals with targets set (a number) or removed (None)."""
        targets = dict(self.targets)
        for kind, value in changes.items():
            if value is None:
                targets.pop(kind, None)
            else:
                targets[kind] = value
        return replace(self, targets=tuple(targets.items()))

    @property
    def roi_text(self) -> str:
        return ROI_TEXT[self.roi_definition]

    def to_dict(self) -> dict[str, Any]:
        return {"primary": self.primary, "targets": [{"kind": k, "target": v} for k, v in self.targets],
                "margin_pct": self.margin_pct, "uplift_pct": self.uplift_pct, "roi_definition": self.roi_definition,
                "roi_text": self.roi_text, "window_start": self.window_start, "window_end": self.window_end,
                "brand_lift_pp": self.brand_lift_pp, "sales_unit": self.sales_unit}


def changes(before: Goals, after: Goals) -> list[tuple[str, Any, Any]]:
    """What differs from ``before`` to ``after``: (what, before, after) per field, a target by its kind."""
    out: list[tuple[str, Any, Any]] = []
    for name in ("primary", "margin_pct", "uplift_pct", "roi_definition", "window_start", "window_end",
                 "brand_lift_pp", "sales_unit"):
        a, b = getattr(before, name), getattr(after, name)
        if a != b:
            out.append((name, a, b))
    old, new = dict(before.targets), dict(after.targets)
    out += [(kind, old.get(kind), new.get(kind)) for kind in TARGET_KINDS if old.get(kind) != new.get(kind)]
    return out


def changes_text(items: Sequence[tuple[str, Any, Any]]) -> str:
    """``changes`` as English text: "orders 300 → 350; margin_pct — → 40"."""
    def shown(v: Any) -> str:
        return "—" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))
    return "; ".join(f"{name} {shown(a)} → {shown(b)}" for name, a, b in items) or "saved again"


def is_met(kind: str, target: float | None, actual: float | None) -> bool | None:
    """Whether an actual meets its target (None: no target or no actual to judge)."""
    if target is None or actual is None or not math.isfinite(float(actual)):
        return None
    if TARGET_KINDS[kind].direction == "max":
        return float(actual) <= float(target)
    return float(actual) >= float(target)


def parse_number_text(text: Any) -> float | None:
    """A number as people type it ("50 %", "800 ₽", "1,2 млн"), read by the importer's parser; None if unreadable."""
    try:
        value = ingest.parse_number(text)
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def parse_goal(item: str) -> tuple[str, float]:
    """``"romi=50"``, ``"cost_per_lead=800 ₽"``, ``"orders=1,2 тыс"`` -> (kind, target)."""
    kind, sep, raw = str(item).partition("=")
    kind = kind.strip().lower()
    if not sep or not kind:
        raise GoalError("syntax", value=item)
    if kind not in TARGET_KINDS:
        raise GoalError("kind", value=kind, known=", ".join(TARGET_KINDS))
    value = parse_number_text(raw)
    if value is None:
        raise GoalError("value", kind=kind, value=raw.strip())
    return kind, value


# ---- storage (planner.storage.goals) -----------------------------------------------------------------------
def load_goals(engine: Engine, campaign_id: int, *, access: Access) -> Goals:
    try:
        stored = repo.load_goals(engine, campaign_id, access=access)
    except CampaignNotFound:
        raise GoalError("campaign", value=campaign_id) from None
    return Goals(primary=stored.primary_goal if stored.primary_goal in GOAL_TYPES else None,
                 targets=tuple((k, v) for k, v in stored.targets if k in TARGET_KINDS),
                 margin_pct=stored.margin_pct, uplift_pct=float(stored.uplift_pct or 0.0),
                 roi_definition=stored.roi_definition if stored.roi_definition in ROI_DEFINITIONS else "romi",
                 window_start=stored.window_start, window_end=stored.window_end, brand_lift_pp=stored.brand_lift_pp,
                 sales_unit=stored.sales_unit if stored.sales_unit in SALES_UNITS else None, version=stored.version)


def save_goals(engine: Engine, campaign_id: int, goals: Goals, *, base: Goals | None = None,
               access: Access) -> Goals:
    """Store the goals of a campaign of the workspace (its targets replaced), in one transaction; the goals as
    stored (with their new version). ``base``: the goals the person edited from (as read, with their version): when
    someone else saved since, nothing is written and GoalError("stale") names what they changed
    (``params["changed"]``: (what, before, after) per change)."""
    stored = repo.StoredGoals(primary_goal=goals.primary, targets=goals.targets, margin_pct=goals.margin_pct,
                              uplift_pct=float(goals.uplift_pct), roi_definition=goals.roi_definition,
                              window_start=goals.window_start, window_end=goals.window_end,
                              brand_lift_pp=goals.brand_lift_pp, sales_unit=goals.sales_unit)
    try:
        version = repo.save_goals(engine, campaign_id, stored, access=access,
                                  expected_version=None if base is None else base.version)
    except CampaignNotFound:
        raise GoalError("campaign", value=campaign_id) from None
    except StaleWrite:
        now = load_goals(engine, campaign_id, access=access)
        diff = changes(base or now, now)
        raise GoalError("stale", changes=changes_text(diff), changed=tuple(diff)) from None
    return replace(goals, version=version)
