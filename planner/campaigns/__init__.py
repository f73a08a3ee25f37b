"""Campaigns: saved plans with their brief and placements, statuses (and, as they land, goals and results)."""

from planner.campaigns.saved import (
    StaleEdit,
    campaign_brief,
    delete_campaign,
    list_campaigns,
    load_campaign,
    save_plan,
    set_statuses,
)

__all__ = ["StaleEdit", "campaign_brief", "delete_campaign", "list_campaigns", "load_campaign", "save_plan",
           "set_statuses"]
