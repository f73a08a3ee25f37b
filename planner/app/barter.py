"""Paid against barter against hybrid, per placement: of a list of bloggers (a file, the shortlist, one blogger), of
the plan on screen, or of a saved campaign. The Barter page and `python -m planner barter` both call these and show
the same :class:`BarterOutcome`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.campaigns import saved
from planner.core import units
from planner.core.errors import CodedError
from planner.core.money import Rates
from planner.core.numbers import rounded
from planner.estimates import metrics
from planner.estimates.benchmarks import BARTER, BarterBenchmarks
from planner.planning import barter
from planner.storage import store
from planner.storage.access import Access
from planner.storage.db import Engine


class BarterSourceError(CodedError, ValueError):
    """A source of placements that cannot be compared (no such campaign, a campaign without placements)."""

    I18N_PREFIX = "barter.source_error."
    MESSAGES = {
        "no_campaign": "no campaign {campaign}",
        "no_placements": "the campaign {campaign} has no placements",
    }


@dataclass(frozen=True)
class BarterOutcome:
    """The comparison: one row per placement (planner.planning.barter.compare), the placements not compared and
    why, the offer, the assumptions used, the currency of every amount and the totals of the recommended deals."""

    table: pd.DataFrame
    skipped: pd.DataFrame
    offer: barter.BarterOffer
    currency: str
    assumptions: BarterBenchmarks = BARTER
    totals: Mapping[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.table.empty

    def to_json(self) -> dict[str, Any]:
        """The comparison as `python -m planner barter --json` prints it."""
        table, offer, tot = self.table, self.offer, self.totals
        rows = [{
            "handle": r["handle"], "platform": r["platform"], "format": r["format"], "fee": rounded(r["fee"]),
            "post_rate": rounded(r["post_rate"], 4), "acceptance": rounded(r["acceptance"], 4),
            "barter_cost": rounded(r["barter_cost"]), "barter_cost_per_post": rounded(r["barter_cost_per_post"]),
            "paid_cost_per_post": rounded(r["paid_cost_per_post"]), "hybrid_fee": rounded(r["hybrid_fee"]),
            "hybrid_cost_per_post": rounded(r["hybrid_cost_per_post"]), "recommendation": r["recommendation"],
            "reason": barter.reason_text(r, "en", self.currency), "break_even_retail": rounded(r["break_even_retail"]),
        } for _, r in table.iterrows()]
        changed = table[table["changed_low"]] if "changed_low" in table else table.iloc[0:0]
        return {
            "bloggers": rows,
            "totals": {"cash_saved": rounded(tot["cash_saved"]), "units": tot["units"],
                       "product_cost": rounded(tot["product_cost"]),
                       "expected_posts_lost": rounded(tot["expected_posts_lost"], 4)},
            "currency": self.currency, "deals": dict(tot["deals"]),
            "offer": {"product_cost": offer.product_cost, "retail": offer.retail_value, "shipping": offer.shipping,
                      "packaging": offer.packaging, "units": offer.units, "niches": list(offer.niches),
                      "commonplace": offer.commonplace},
            # where the figures come from: fees quoted or estimated (≈); acceptance and post rates are estimates
            "estimated_fees": table.loc[table["fee_source"] == "estimate", "handle"].tolist() if len(table) else [],
            "sensitivity": {"post_rate_points": -round(units.percent(barter.SENSITIVITY_POINTS)),
                            "changed": [{"handle": r["handle"], "format": r["format"],
                                         "recommendation": r["recommendation"],
                                         "recommendation_if_lower": r["recommendation_low"]}
                                        for _, r in changed.iterrows()]},
            "assumptions": {row.metric + (f".{row.tier}" if row.tier else ""): {"value": row.typical,
                                                                                 "source": row.source}
                            for row in self.assumptions.to_frame().itertuples()},
            "skipped": self.skipped.to_dict("records"),
        }


def compare(rows: pd.DataFrame, skipped: pd.DataFrame, offer: barter.BarterOffer, *, currency: str,
            assumptions: BarterBenchmarks = BARTER) -> BarterOutcome:
    """Compare placements already valued (planner.planning.barter.rows_from_*) under ``offer``."""
    table = barter.compare(rows, offer, assumptions) if not rows.empty else rows
    skipped = skipped if skipped is not None else pd.DataFrame(columns=["handle", "platform", "reason"])
    return BarterOutcome(table=table, skipped=skipped, offer=offer, currency=currency, assumptions=assumptions,
                         totals=barter.totals(table, offer))


def of_bloggers(bloggers: pd.DataFrame, offer: barter.BarterOffer, *, rates: Rates | None = None,
                formats: str | Sequence[str] | Mapping[int, str] | None = None, allow_estimated_prices: bool = False,
                assumptions: BarterBenchmarks = BARTER) -> BarterOutcome:
    """The placements of ``bloggers`` (enriched rows: the database's, or a file's canonical rows, which are
    enriched here) in ``formats`` (None: each blogger's main format; "all"; or a format per blogger id),
    valued in the offer's currency."""
    if len(bloggers) and "price_post_estimated" not in bloggers.columns:  # a file's rows: estimates and flags
        bloggers = metrics.enrich(store.with_all_columns(bloggers))
    rows, skipped = barter.rows_from_bloggers(bloggers, formats=formats, currency=offer.currency, fx=rates,
                                              allow_estimated_prices=allow_estimated_prices)
    return compare(rows, skipped, offer, currency=offer.currency, assumptions=assumptions)


def of_plan(placements: pd.DataFrame, bloggers: pd.DataFrame, offer: barter.BarterOffer, *,
            rates: Rates | None = None, assumptions: BarterBenchmarks = BARTER) -> BarterOutcome:
    """The placements of a plan (``id, format`` per row, from planner.planning.plan.PlanResult.placements) at the
    plan's own prices (quoted, or estimated ≈ when the plan allowed them), ``bloggers`` holding their rows."""
    ids = placements["id"].astype(int).tolist()
    frame = bloggers[bloggers["id"].isin(ids).to_numpy()]
    fmts = dict(zip(placements["id"].astype(int), placements["format"].astype(str), strict=True))
    rows, skipped = barter.rows_from_bloggers(frame, formats=fmts, currency=offer.currency, fx=rates,
                                              allow_estimated_prices=True)
    return compare(rows, skipped, offer, currency=offer.currency, assumptions=assumptions)


def campaign_currency(engine: Engine, campaign_id: int, *, access: Access) -> str:
    """The currency a saved campaign's amounts are in (the default of its comparison's offer)."""
    try:
        camp, _ = saved.load_campaign(engine, campaign_id, access=access)
    except KeyError:
        raise BarterSourceError("no_campaign", campaign=campaign_id) from None
    return camp.currency or "RUB"


def of_campaign(engine: Engine, campaign_id: int, offer: barter.BarterOffer, *, rates: Rates | None = None,
                database: pd.DataFrame | None = None, assumptions: BarterBenchmarks = BARTER,
                access: Access) -> BarterOutcome:
    """The placements of a saved campaign (its stored fees, formats and reach), valued in the offer's currency;
    ``database``: the workspace's enriched bloggers when the caller has them (else they are read)."""
    try:
        camp, placements = saved.load_campaign(engine, campaign_id, access=access)
    except KeyError:
        raise BarterSourceError("no_campaign", campaign=campaign_id) from None
    if placements.empty:
        raise BarterSourceError("no_placements", campaign=campaign_id)
    ids = placements["blogger_id"].dropna().astype(int).tolist()
    if database is not None:
        bloggers = database[database["id"].isin(ids).to_numpy()]
    else:
        bloggers = metrics.enrich(store.load_bloggers_by_id(engine, ids, workspace_id=access.workspace_id))
    rows, skipped = barter.rows_from_campaign(placements, bloggers, campaign_currency=camp.currency or "RUB",
                                              currency=offer.currency, fx=rates)
    return compare(rows, skipped, offer, currency=offer.currency, assumptions=assumptions)
