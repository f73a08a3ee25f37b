"""SQLModel tables: workspaces own bloggers, mappings and campaigns; a campaign owns its brief,
placements (paid, barter or hybrid) and their results. Users are members of workspaces with a role
(viewer < planner < owner), and every change of a campaign, its goals or its results leaves an audit event.

Runs unchanged on SQLite (embedded default) and PostgreSQL (``DATABASE_URL``).
Schema changes go through Alembic migrations in ``planner/storage/migrations``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from planner.core.schema import FIELDS


def utcnow() -> datetime:
    return datetime.now(UTC)


class WorkspaceBase(SQLModel):
    name: str = Field(max_length=200)


class Workspace(WorkspaceBase, table=True):
    __table_args__ = (Index("uq_workspace_name", "name", unique=True),)  # an index: no table rebuilt on SQLite

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    # bumped by every write of the workspace's bloggers: a cheap cache key for loads
    bloggers_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


DEFAULT_WORKSPACE_ID = 1
DEFAULT_WORKSPACE_NAME = "Local"  # the workspace of the app and the command line without any set-up
LOCAL_USER_ID = 1
LOCAL_USER_EMAIL = "local@localhost"  # the one user of an app without sign-in: the owner of the default workspace
ROLES = ("viewer", "planner", "owner")  # each role may do what the ones before it may (planner.storage.access)


class User(SQLModel, table=True):
    """Someone who signs in (later: identified by the OpenID Connect subject and e-mail); for now an e-mail and a
    name. The table is ``app_user``: ``user`` is a reserved word in PostgreSQL."""

    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("email", name="uq_app_user_email"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320)  # lower case; 320: the longest address RFC 5321 allows
    name: str = Field(default="", max_length=200)
    subject: str | None = Field(default=None, max_length=255)  # the OIDC subject once sign-in exists
    created_at: datetime = Field(default_factory=utcnow)


class Membership(SQLModel, table=True):
    """A user's role in a workspace (one of ``ROLES``)."""

    __table_args__ = (UniqueConstraint("user_id", "workspace_id", name="uq_membership_user_workspace"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=10)
    created_at: datetime = Field(default_factory=utcnow)


AUDIT_ACTIONS = ("create", "change", "delete")
AUDIT_OBJECTS = ("campaign", "placements", "goals", "results", "sales", "scenario", "member", "workspace")


class AuditEvent(SQLModel, table=True):
    """Who created, changed or deleted what, and when: written in the transaction of the change itself. A
    campaign's events outlive it (``campaign_id`` is no foreign key: its deletion is one of them)."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    campaign_id: int | None = Field(default=None, index=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    actor: str = Field(max_length=320)  # the user's e-mail at the time
    action: str = Field(max_length=10)  # AUDIT_ACTIONS
    object: str = Field(max_length=20)  # AUDIT_OBJECTS
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = Field(default_factory=utcnow, index=True)
_LEN = {f.name: f.max_length for f in FIELDS if f.max_length}  # text lengths from the one schema


class BloggerBase(SQLModel):
    """The canonical blogger record (see planner.core.schema.FIELDS). Missing figures stay NULL:
    estimates are computed on load from editable benchmarks and marked as estimated."""

    handle: str = Field(max_length=_LEN["handle"])
    name: str | None = Field(default=None, max_length=_LEN["name"])
    platform: str = Field(max_length=_LEN["platform"])
    country: str | None = Field(default=None, max_length=_LEN["country"])
    city: str | None = Field(default=None, max_length=_LEN["city"])
    language: str | None = Field(default=None, max_length=_LEN["language"])
    niches: str | None = Field(default=None, max_length=_LEN["niches"])
    followers: int | None = None  # a list may lack it: reach then comes from views or measured reach
    avg_views: float | None = None
    avg_reach: float | None = None
    avg_story_reach: float | None = None
    avg_likes: float | None = None
    avg_comments: float | None = None
    engagement_rate: float | None = None
    er_basis: str | None = Field(default=None, max_length=_LEN["er_basis"])
    credibility: float | None = None
    audience_female: float | None = None
    audience_age_13_17: float | None = None
    audience_age_18_24: float | None = None
    audience_age_25_34: float | None = None
    audience_age_35_44: float | None = None
    audience_age_45_plus: float | None = None
    audience_countries: str | None = Field(default=None, max_length=_LEN["audience_countries"])
    price_post: float | None = None
    price_story: float | None = None
    price_short: float | None = None
    price_video: float | None = None
    currency: str | None = Field(default="RUB", max_length=_LEN["currency"])
    accepts_barter: bool | None = None
    barter_min_value: float | None = None
    flag_profanity: bool | None = None
    flag_competitor_ads: bool | None = None
    ad_alcohol: bool | None = None
    ad_gambling: bool | None = None
    ad_pharma: bool | None = None
    ad_tobacco: bool | None = None
    deals_completed: int | None = None
    deals_cancelled: int | None = None
    contact: str | None = Field(default=None, max_length=_LEN["contact"])
    updated_at: date | None = None


class Blogger(BloggerBase, table=True):
    __table_args__ = (UniqueConstraint("workspace_id", "platform", "handle", name="uq_blogger_ws_platform_handle"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(default=DEFAULT_WORKSPACE_ID, foreign_key="workspace.id")
    source: str | None = Field(default=None, max_length=200)  # "sample" or "import:<file name>"
    imported_at: datetime = Field(default_factory=utcnow)


class BloggerCreate(BloggerBase):
    pass


class ColumnMapping(SQLModel, table=True):
    """A user's correction of the automatic column mapping, remembered per workspace."""

    __tablename__ = "column_mapping"
    __table_args__ = (UniqueConstraint("workspace_id", "source_header", name="uq_mapping_ws_header"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(default=DEFAULT_WORKSPACE_ID, foreign_key="workspace.id", index=True)
    source_header: str  # unbounded (migration 0011): a header is a cell, up to 32,767 characters
    field: str | None = Field(default=None, max_length=50)  # None: ignore this column
    updated_at: datetime = Field(default_factory=utcnow)


class CampaignBase(SQLModel):
    name: str = Field(max_length=200)
    status: str = Field(default="draft", max_length=20)  # draft, planned, running, done
    currency: str = Field(default="RUB", max_length=3)
    budget: float = 0.0
    reach_weight: float = 0.5
    brief: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Campaign(CampaignBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(default=DEFAULT_WORKSPACE_ID, foreign_key="workspace.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # business goals (planner.campaigns.goals): the primary goal type, the gross margin and the uplift applied
    # to code and link sales (both in per cent), the ROI definition shown, the campaign window for the
    # incrementality baseline, a brand-lift survey's result (percentage points) and the unit of the sales series
    primary_goal: str | None = Field(default=None, max_length=30)
    margin_pct: float | None = None
    uplift_pct: float = Field(default=0.0, sa_column_kwargs={"server_default": "0"})
    roi_definition: str = Field(default="romi", max_length=20, sa_column_kwargs={"server_default": "romi"})
    window_start: date | None = None
    window_end: date | None = None
    brand_lift_pp: float | None = None
    sales_unit: str | None = Field(default=None, max_length=10)  # orders | revenue
    # versions of what people edit (planner.storage.versions): a save from a view of an older version is refused
    goals_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    placements_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    results_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class CampaignCreate(CampaignBase):
    pass


PLACEMENT_KINDS = ("paid", "barter", "hybrid")
PLACEMENT_STATUSES = ("proposed", "agreed", "published", "cancelled")


class PlacementBase(SQLModel):
    format: str  # post, story, short, video, or a package "post+story+short+video": unbounded (migration 0011)
    kind: str = Field(default="paid", max_length=10)  # paid, barter, hybrid
    status: str = Field(default="proposed", max_length=20)
    cost: float = 0.0  # cash fee, campaign currency
    product_cost: float = 0.0  # barter: product + shipping + packaging cost to the brand
    product_value: float = 0.0  # barter: retail value as the blogger sees it
    expected_reach: float = 0.0
    expected_unique_reach: float = 0.0
    fit: float | None = None
    pool: str | None = None  # "beauty/AE+AM+...": one code per country of the brief, unbounded (migration 0011)
    handle: str = Field(max_length=200)  # denormalised so a plan survives a re-import
    platform: str = Field(max_length=20)
    price_source: str = Field(default="quote", max_length=10)  # quote | estimate (planner.planning.plan.PRICE_SOURCES)
    reach_source: str | None = Field(default=None, max_length=10)  # planner.estimates.benchmarks.REACH_SOURCES
    # barter and hybrid deals: units of product sent, the chance the blogger accepts and then publishes, and the
    # expected published posts (acceptance x post rate; 1 for a paid placement)
    product_units: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    acceptance: float | None = None
    post_rate: float | None = None
    expected_posts: float | None = None
    planned_date: date | None = None  # when the placement is due to be published (None: not set)


class Placement(PlacementBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    blogger_id: int | None = Field(default=None, foreign_key="blogger.id", index=True, ondelete="SET NULL")


class PlacementResult(SQLModel, table=True):
    """What a published placement brought: reach and engagement, and business results (one row per placement:
    an upload again updates it). Amounts are in the campaign's currency; ``cash_cost`` and ``product_cost`` are
    what was actually paid (the plan's figures stand where they are missing)."""

    __tablename__ = "placement_result"
    __table_args__ = (UniqueConstraint("placement_id", name="uq_placement_result_placement"),)

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True, ondelete="CASCADE")
    measured_at: datetime = Field(default_factory=utcnow)
    reach: float | None = None
    impressions: float | None = None
    views: float | None = None
    likes: float | None = None
    comments: float | None = None
    shares: float | None = None
    clicks: float | None = None
    promo_redemptions_online: float | None = None
    promo_redemptions_offline: float | None = None
    orders: float | None = None
    revenue: float | None = None
    leads: float | None = None
    installs: float | None = None
    notes: str | None = Field(default=None, max_length=2000)
    published_at: date | None = None
    link: str | None = Field(default=None, max_length=500)
    saves: float | None = None
    new_followers: float | None = None
    positive_mentions: float | None = None
    negative_mentions: float | None = None
    cash_cost: float | None = None
    product_cost: float | None = None
    source: str | None = Field(default=None, max_length=200)  # "import:<file>", "edit", "sample"


GOAL_TYPES = ("online_sales", "offline_sales", "leads", "installs", "store_visits", "awareness", "positive_mentions")


class CampaignGoal(SQLModel, table=True):
    """One target of a campaign (planner.campaigns.goals.TARGET_KINDS): 500 orders, cost per lead <= 800."""

    __tablename__ = "campaign_goal"
    __table_args__ = (UniqueConstraint("campaign_id", "kind", name="uq_campaign_goal_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=30)
    target: float


class SalesDay(SQLModel, table=True):
    """A day of the campaign's sales series (the incrementality baseline), per region ("" for a series without
    regions); a ``control`` region saw no campaign and serves as the baseline's control."""

    __tablename__ = "sales_day"
    __table_args__ = (UniqueConstraint("campaign_id", "region", "day", name="uq_sales_day"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    day: date
    region: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    control: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    sales: float


class CampaignScenario(SQLModel, table=True):
    """A named what-if of a campaign (planner.planning.scenarios): the scenario itself (brief, assumptions, sweep),
    and the plan it gave (totals with their bands, placements, the budget sweep), so scenarios compare without a
    re-solve. A name is unique within its campaign (saving the same name again replaces it)."""

    __tablename__ = "campaign_scenario"
    __table_args__ = (UniqueConstraint("campaign_id", "name", name="uq_campaign_scenario_name"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    scenario: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    totals: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    placements: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    curve: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # the budget sweep's points
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # planner.storage.versions


class StoredList(SQLModel, table=True):
    """An uploaded list of bloggers a brief plans on without importing it (planner.planning.brief.BloggerList,
    kind "upload"): its rows in the canonical columns with the ids the plan gave them, stored once per content
    (``digest``, sha256 of the rows) in a workspace, so a saved campaign, its scenarios and its pitch read back the
    very list it was planned on."""

    __tablename__ = "stored_list"
    __table_args__ = (UniqueConstraint("workspace_id", "digest", name="uq_stored_list_digest"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(default=DEFAULT_WORKSPACE_ID, foreign_key="workspace.id", index=True)
    digest: str = Field(max_length=64)
    name: str = Field(default="", max_length=300)
    size: int = 0
    rows: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class StoredBrief(SQLModel, table=True):
    """A brief stored by its fingerprint (planner.planning.brief.Brief.fingerprint), so a page's link carries a
    short id instead of the whole brief: a reload, a new tab or a colleague's link opens the same brief."""

    __tablename__ = "stored_brief"
    __table_args__ = (UniqueConstraint("workspace_id", "fingerprint", name="uq_stored_brief_fingerprint"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(default=DEFAULT_WORKSPACE_ID, foreign_key="workspace.id", index=True)
    fingerprint: str = Field(max_length=64)
    brief: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class PitchFile(SQLModel, table=True):
    """A saved campaign's pitch file built ahead of a click (planner.app.pitch.shared_file), kept in the database so
    that every app replica hands over the same file and only one builds it. ``key`` is a digest of everything the
    file depends on (planner.app.pitch.Ahead.key); while ``data`` is NULL the file is being built by ``builder``,
    whose claim holds until ``lease_until`` (seconds since 1970 on the database's clock, the one clock every
    replica shares), after which another replica may take it over. ``version``: the campaign's and the bloggers'
    versions it was built from (a file of an older version is removed when a newer one is stored)."""

    __tablename__ = "pitch_file"
    __table_args__ = (UniqueConstraint("workspace_id", "key", name="uq_pitch_file_key"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=64)
    format: str = Field(max_length=4)
    version: str = Field(max_length=200)
    builder: str = Field(max_length=200)
    lease_until: float
    data: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    built_at: datetime | None = None
