"""The canonical blogger record: field names, types and value sets.

Every other module (ingest, sample, catalog, export, models) speaks these names.
Shares (credibility, audience splits) are stored as fractions 0..1; the engagement
rate is stored in percent, as users read it, with its basis in ``er_basis``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PLATFORMS: tuple[str, ...] = ("instagram", "youtube", "tiktok", "telegram", "vk", "twitch")

NICHES: tuple[str, ...] = (
    "beauty", "fashion", "food", "travel", "tech", "parenting", "fitness", "gaming",
    "finance", "auto", "lifestyle", "education", "music", "humor", "health", "pets",
    "home", "sport", "business", "art",
)

# Price formats: post (feed post / Telegram or VK post), story, short video
# (Reels / Shorts / TikTok), video integration (YouTube / Twitch / long video).
FORMATS: tuple[str, ...] = ("post", "story", "short", "video")

ER_BASES: tuple[str, ...] = ("followers", "views")

CURRENCIES: tuple[str, ...] = ("RUB", "USD", "EUR")

# Product categories with advertising restrictions, the one list: a blogger who advertises one (the ``ad_<category>``
# fields) is a brand-safety risk for a product in it. The catalog's flags, the fields and a brief's categories
# derive from it.
RESTRICTED_CATEGORIES: tuple[str, ...] = ("alcohol", "gambling", "pharma", "tobacco")
# What a brief's product may be besides an ordinary one: a restricted category, or a product for children.
BRIEF_CATEGORIES: tuple[str, ...] = (*RESTRICTED_CATEGORIES, "children")
# The blogger fields a product for children keeps away from: profanity, and ads of the adult-only categories.
CHILDREN_UNSAFE: tuple[str, ...] = ("flag_profanity", "ad_alcohol", "ad_gambling", "ad_tobacco")

AGE_BUCKETS: tuple[str, ...] = ("13_17", "18_24", "25_34", "35_44", "45_plus")

# Follower tiers (Mediakix / Hootsuite convention; the boundaries are in planner.estimates.benchmarks, editable).
TIERS: tuple[str, ...] = ("nano", "micro", "mid", "macro", "mega")

# Brand-safety flags a list can be filtered on.
FLAGS: tuple[str, ...] = ("fraud", "profanity", "competitor_ads", *RESTRICTED_CATEGORIES)

Kind = Literal["str", "int", "float", "bool", "date"]


@dataclass(frozen=True)
class Field:
    """One field of the blogger record. ``max_length`` (text) and ``low``/``high`` (numbers, inclusive) are what
    the database keeps, the same on SQLite and PostgreSQL: the importer leaves a value outside them blank with a
    warning (or refuses the row for an identity field), so a preview never promises what a write would refuse."""

    name: str
    kind: Kind
    required: bool = False
    description: str = ""
    max_length: int | None = None
    low: float | None = None
    high: float | None = None


# Plausible ranges (one place). Counts of people stay below 2e9 (PostgreSQL's INTEGER, and more than any account
# has); views and reach below 1e10; money finite and below 1e12; shares 0-1; rates 0-100 %.
_PEOPLE = 2_000_000_000
_VIEWS = 1e10
_MONEY = 1e12


FIELDS: tuple[Field, ...] = (
    Field("handle", "str", True, "account handle, unique per platform (without @)", max_length=200),
    Field("name", "str", False, "display name", max_length=300),
    Field("platform", "str", True, "one of PLATFORMS", max_length=20),
    Field("country", "str", False, "ISO 3166-1 alpha-2 code of the blogger's country", max_length=2),
    Field("city", "str", max_length=100),
    Field("language", "str", False, "ISO 639-1 code of the content language", max_length=10),
    Field("niches", "str", False, "';'-separated list of NICHES (free tags kept as given)", max_length=300),
    Field("followers", "int", False, "followers / subscribers (blank when the list lacks them)", low=0, high=_PEOPLE),
    Field("avg_views", "float", False, "average views per post or video", low=0, high=_VIEWS),
    Field("avg_reach", "float", False, "measured average reach (unique viewers) of the platform's main format",
          low=0, high=_VIEWS),
    Field("avg_story_reach", "float", False, "measured average reach per story", low=0, high=_VIEWS),
    Field("avg_likes", "float", low=0, high=_VIEWS),
    Field("avg_comments", "float", low=0, high=_VIEWS),
    Field("engagement_rate", "float", False, "engagement rate in percent", low=0, high=100),
    Field("er_basis", "str", False, "'followers' or 'views'", max_length=10),
    Field("credibility", "float", False, "share of real followers, 0..1", low=0, high=1),
    Field("audience_female", "float", False, "share of female audience, 0..1", low=0, high=1),
    *(Field(f"audience_age_{b}", "float", False, f"share of audience aged {b.replace('_', '-')}", low=0, high=1)
      for b in AGE_BUCKETS),
    Field("audience_countries", "str", False, "top audience countries, 'RU:0.62;KZ:0.10'", max_length=300),
    Field("price_post", "float", False, "price of a feed post", low=0, high=_MONEY),
    Field("price_story", "float", False, "price of a story", low=0, high=_MONEY),
    Field("price_short", "float", False, "price of a short video (Reels, Shorts, TikTok)", low=0, high=_MONEY),
    Field("price_video", "float", False, "price of a video integration", low=0, high=_MONEY),
    Field("currency", "str", False, "currency of the prices: RUB, USD, EUR", max_length=3),
    Field("accepts_barter", "bool"),
    Field("barter_min_value", "float", False, "minimum product value for barter, in `currency`", low=0, high=_MONEY),
    Field("flag_profanity", "bool"),
    Field("flag_competitor_ads", "bool", False, "advertised a competitor in the last 90 days"),
    *(Field(f"ad_{c}", "bool", False, f"advertises {c}") for c in RESTRICTED_CATEGORIES),
    Field("deals_completed", "int", low=0, high=1_000_000),
    Field("deals_cancelled", "int", low=0, high=1_000_000),
    Field("contact", "str", max_length=300),
    Field("updated_at", "date", False, "when the figures were last updated (YYYY-MM-DD)"),
)

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)

# Columns of `python -m planner export`, in this order: every stored field, as stored (measured or given), so
# that an export imported again stores exactly the same data. Estimates are never written into these columns.
EXPORT_COLUMNS: tuple[str, ...] = FIELD_NAMES

# Figures the planner estimates when the data lacks them (planner.estimates.metrics.enrich marks them
# "<field>_estimated").
# An export writes them in their own columns, ESTIMATE_PREFIX + field, which an import never reads as data.
ESTIMATED_FIELDS: tuple[str, ...] = ("engagement_rate", "er_basis", "credibility", "price_post", "price_story",
                                     "price_short", "price_video", "currency")
ESTIMATE_PREFIX = "estimated_"

# Shares exported in percent (as people read them); the importer reads "82" or "82 %" back as 0.82.
PERCENT_EXPORT_FIELDS: tuple[str, ...] = ("credibility",)
