"""The campaign report as an XLSX workbook: every figure with its number (never a formatted text) and where it
comes from (measured, uplifted estimate, planned, forecast, benchmark, assumption). It formats the report of
planner.campaigns.report and computes nothing."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from planner.campaigns.goals import ROI_TEXT
from planner.campaigns.report import Report
from planner.core import units
from planner.reporting.export import _write_atomic, _xlsx

# What each source label means (the workbook's "sources" sheet).
SOURCE_TEXT: dict[str, str] = {
    "measured": "as reported per placement (results file or table)",
    "uplifted": "code and link sales × (1 + uplift): an estimate, codes under-count (DOMAIN.md, seedingops.com)",
    "planned": "the plan's figure (no actual figure was given)",
    "forecast": "the plan's forecast (planner.planning.plan: reach saved with the plan, ER × reach, "
                "impressions × CTR, clicks × conversion)",
    "estimated": "views × the platform's unique-viewer share (benchmark) where reach was not given",
    "benchmark": "benchmark figure with its source (planner.estimates.benchmarks), e.g. published CPM for EMV",
    "assumption": "the user's editable assumption (margin, uplift)",
}
FORMULAS: tuple[tuple[str, str], ...] = (
    ("cost", "cash actually paid + product cost of barter (product + shipping + packaging), GRIN's basis"),
    ("orders, revenue", "code and link sales as measured × (1 + uplift %)"),
    ("ROAS", "revenue / cost"),
    ("ROMI", "(revenue × margin − cost) / cost, per cent"),
    ("cost per order / lead", "cost / orders, cost / leads"),
    ("EMV", "Σ impressions / 1000 × the platform's published CPM (a soft, disputed metric; Traackr argues against)"),
    ("forecast error", "actual / forecast − 1"),
    ("incremental sales", "actual sales in the window − the baseline: difference-in-differences against the "
                          "scaled control region, or without one a forecast from the region's own history (the "
                          "method says which)"),
)


def _num(v: Any) -> Any:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    return f if math.isfinite(f) else None


def sheets(report: Report) -> dict[str, pd.DataFrame]:
    """The workbook's sheets as frames (tests read them)."""
    currency = str(report.campaign.get("currency") or "RUB")
    goals = pd.DataFrame([{"goal": r["kind"], "direction": ">=" if r["direction"] == "min" else "<=",
                           "target": _num(r["target"]), "actual": _num(r["actual"]),
                           "met": {True: "met", False: "missed", None: "no figure"}[r["met"]], "unit": r["unit"],
                           "source": r["source"]} for r in report.goal_rows],
                         columns=["goal", "direction", "target", "actual", "met", "unit", "source"])
    summary = pd.DataFrame([{"figure": k, "value": _num(v), "source": report.sources.get(k, "measured"),
                             "currency": currency if k in _MONEY else ""}
                            for k, v in report.totals.items()]
                           + [{"figure": f"projected {k} (whole campaign, if the waiting placements perform as "
                                         "forecast)", "value": _num(v), "source": "estimate",
                               "currency": currency if k in _MONEY else ""}
                              for k, v in (report.projection or {}).items()],
                           columns=["figure", "value", "source", "currency"])
    info = pd.DataFrame([
        {"item": "campaign", "value": str(report.campaign.get("name", ""))},
        {"item": "currency", "value": currency},
        {"item": "placements reported", "value": f"{report.coverage.get('reported', 0)} of "
                                                 f"{report.coverage.get('planned', 0)}"},
        {"item": "published, waiting for results", "value": report.coverage.get("published_without_results", 0)},
        {"item": "pending (not yet due)", "value": report.coverage.get("pending", 0)},
        {"item": "did not publish", "value": report.coverage.get("not_published", 0)},
        {"item": "figures cover", "value": "the reported placements: their cost against their results"},
        {"item": "primary goal", "value": report.goals.primary or ""},
        {"item": "ROI definition", "value": ROI_TEXT[report.goals.roi_definition]},
        {"item": "ROI", "value": _num(report.roi)},
        {"item": "margin, %", "value": _num(report.goals.margin_pct)},
        {"item": "uplift on code and link sales, %", "value": _num(report.goals.uplift_pct)},
        {"item": "EMV", "value": "a soft metric, never the headline"},
    ])
    b = report.bloggers
    cols = ["handle", "platform", "state", "kind", "format", "published_at", "cash", "product", "cost", "actual_reach",
            "views", "likes", "comments", "shares", "saves", "engagements", "clicks", "promo_redemptions_online",
            "promo_redemptions_offline", "orders_measured", "orders", "revenue_measured", "revenue", "leads",
            "installs", "roas", "romi", "cost_per_order", "cost_per_lead", "emv", "verdict", "verdict_metric",
            "verdict_value", "verdict_bar", "verdict_reason", "disagreement", "cash_source", "product_source",
            "reach_source"]
    bloggers = b[[c for c in cols if c in b.columns]].rename(columns={"orders": "orders_uplifted",
                                                                      "revenue": "revenue_uplifted"})
    plan = b[["handle", "platform", "forecast_reach", "actual_reach", "reach_error", "forecast_engagements",
              "engagements", "engagements_error", "forecast_clicks", "clicks", "forecast_orders", "orders_measured",
              "orders_error"]].assign(source_forecast="forecast", source_actual="measured") \
        if len(b) else pd.DataFrame()
    inc = pd.DataFrame()
    if report.incrementality is not None:
        i = report.incrementality
        level = units.percent(i.level)
        inc = pd.DataFrame([
            {"figure": "actual sales in the window", "value": i.actual, "source": "measured (sales series)"},
            {"figure": "baseline forecast", "value": i.baseline, "source": i.method},
            {"figure": "incremental sales", "value": i.incremental, "source": "actual − baseline"},
            {"figure": f"incremental, low ({level:.0f} % interval)", "value": i.low, "source": i.method},
            {"figure": f"incremental, high ({level:.0f} % interval)", "value": i.high, "source": i.method},
            {"figure": "code-attributed sales (measured)", "value": _num(report.attributed.get("measured")),
             "source": "measured"},
            {"figure": "code-attributed sales (uplifted)", "value": _num(report.attributed.get("uplifted")),
             "source": "uplifted"},
        ])
    sources = pd.DataFrame([{"source": k, "meaning": v} for k, v in SOURCE_TEXT.items()]
                           + [{"source": f"formula: {k}", "meaning": v} for k, v in FORMULAS])
    out = {"summary": info, "goals": goals, "figures": summary, "bloggers": bloggers, "funnel": report.funnel,
           "plan_vs_actual": plan, "corrections": report.corrections}
    if not inc.empty:
        out["incrementality"] = inc
        out["daily_sales"] = report.incrementality.daily if report.incrementality is not None else pd.DataFrame()
    out["sources"] = sources
    return out


_MONEY = {"cash_cost", "product_cost", "cost", "revenue", "revenue_measured", "cost_per_order", "cost_per_lead",
          "cost_per_install", "cpm", "emv"}


def to_xlsx_bytes(report: Report) -> bytes:
    # text is written as text, never run as a formula (planner.reporting.export._xlsx), and read back as typed: no
    # apostrophe before a handle's "@" or a minus (the rule of every XLSX the app writes; a CSV gets them)
    return _xlsx(sheets(report))


def write(report: Report, path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"unsupported report format {path.suffix!r}: use .xlsx")
    _write_atomic(path, to_xlsx_bytes(report))
    return path
