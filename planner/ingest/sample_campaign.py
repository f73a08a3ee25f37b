"""A finished sample campaign (synthetic, never real people): a beauty brand's autumn launch on ten bloggers of
the shipped sample, paid, barter and hybrid, with business goals, results per placement and a daily sales
series with a control region, so that the Results page shows a real report on first start.

It tells the seeds' story on purpose: two bloggers collect many likes and sell almost nothing, two quiet ones
sell well, a barter blogger never posts. :func:`generate` is deterministic (a seed); the shipped file
``data/sample_campaign.json`` is its output on ``data/sample_bloggers.csv`` (a test checks they agree), and
the database loads the file on first start (planner.storage.sample_campaign) without computing anything.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.estimates import metrics
from planner.estimates.benchmarks import PRIMARY_FORMAT

NAME = "Sample: autumn serum launch (finished)"
WINDOW = (dt.date(2026, 10, 5), dt.date(2026, 10, 25))
SERIES = (dt.date(2026, 6, 15), dt.date(2026, 11, 15))
ORDER_VALUE = 3_200.0  # ₽, average order
PRODUCT_COST = 1_400.0  # ₽ per unit to the brand (product + shipping + packaging)
PRODUCT_VALUE = 4_900.0  # ₽ retail
RATES = {"ctr": 0.01, "conversion": 0.02, "lead_rate": 0.05}

# (platform, kind, story): what each of the ten bloggers is in the story
_CAST: tuple[tuple[str, str, str], ...] = (
    ("instagram", "paid", "likes_no_sales"),
    ("instagram", "paid", "steady"),
    ("instagram", "hybrid", "steady"),
    ("instagram", "barter", "no_post"),
    ("telegram", "paid", "quiet_seller"),
    ("telegram", "paid", "steady"),
    ("telegram", "barter", "quiet_seller"),
    ("tiktok", "paid", "likes_no_sales"),
    ("youtube", "paid", "steady"),
    ("vk", "paid", "weak"),
)


def _pick(bloggers: pd.DataFrame, rng: np.random.Generator) -> list[pd.Series]:
    """Beauty bloggers in Russia with a quoted price for their platform's main format, credible, mid-sized."""
    df = bloggers.copy()
    df = df[df["niches"].fillna("").str.contains("beauty") & (df["country"] == "RU")
            & (df["credibility"].fillna(0) >= 0.8) & df["followers"].between(15_000, 900_000)]
    used: set[str] = set()
    out = []
    for platform, _kind, _story in _CAST:
        fmt = PRIMARY_FORMAT[platform]
        reach, _ = metrics.format_reach(df, fmt)
        # among the four best-priced per person reached (a price a brand would have paid), one by chance
        pool = df.assign(per_person=df[f"price_{fmt}"].to_numpy(float) / reach, reach=reach)
        pool = pool[(pool["platform"] == platform) & pool["per_person"].notna() & ~pool["handle"].isin(used)
                    & (pool["reach"] > 3_000)]
        pool = pool.sort_values(["per_person", "handle"]).head(4)
        row = pool.iloc[int(rng.integers(len(pool)))].drop(["per_person", "reach"])
        used.add(str(row["handle"]))
        out.append(row)
    return out


def generate(bloggers: pd.DataFrame, seed: int = 0) -> dict[str, Any]:
    """The sample campaign as plain data: campaign, goals, placements with results, sales series."""
    rng = np.random.default_rng(seed)
    picked = _pick(bloggers, rng)
    rows = pd.DataFrame(picked).reset_index(drop=True)
    fmts = [PRIMARY_FORMAT[p] for p in rows["platform"]]
    reach, _src = metrics.format_reach(rows, np.array(fmts, dtype=object))
    enriched = metrics.enrich(rows)
    placements = []
    days = pd.date_range(WINDOW[0], WINDOW[0] + dt.timedelta(days=12), freq="D")
    for i, ((platform, kind, story), row) in enumerate(zip(_CAST, picked, strict=True)):
        fmt = fmts[i]
        price = float(row[f"price_{fmt}"])
        cash = price if kind == "paid" else (round(price * 0.4, -2) if kind == "hybrid" else 0.0)
        units = 0 if kind == "paid" else 3
        post_reach = float(round(reach[i] * float(row["credibility"]), 0))
        posts = 1.0 if kind == "paid" else 0.6
        expected_reach = post_reach * posts  # as a plan saves it: a barter post at its expected value
        place: dict[str, Any] = {
            "handle": str(row["handle"]), "platform": platform, "format": fmt, "kind": kind,
            "status": "agreed" if story == "no_post" else "published",  # the product went out, no post came
            "cost": cash, "product_cost": PRODUCT_COST * units, "product_value": PRODUCT_VALUE * units,
            "product_units": units, "expected_reach": expected_reach,
            "expected_unique_reach": round(expected_reach * 0.9),
            "acceptance": None if kind == "paid" else 0.8, "post_rate": None if kind == "paid" else 0.75,
            "expected_posts": posts, "price_source": "quote", "reach_source": "measured",
        }
        if story != "no_post":
            er = float(enriched["engagement_rate"].iloc[i]) / 100.0
            actual_reach = post_reach * float(np.exp(rng.normal(0.0, 0.25)))
            like_k = {"likes_no_sales": 3.0, "quiet_seller": 0.35, "steady": 1.0, "weak": 0.8}[story]
            conv_k = {"likes_no_sales": 0.08, "quiet_seller": 4.2, "steady": 2.4, "weak": 0.6}[story]
            likes = actual_reach * er * like_k * 0.85
            views = actual_reach / 0.8
            click_k = {"likes_no_sales": 1.1, "quiet_seller": 2.2, "steady": 1.9, "weak": 0.9}[story]
            clicks = actual_reach * 1.5 * RATES["ctr"] * click_k
            orders = clicks * RATES["conversion"] * conv_k
            online = round(orders * 0.7)
            offline = round(orders * 0.2)
            orders_n = round(orders)
            place["result"] = {
                "published_at": days[(i * 3) % len(days)].date().isoformat(),
                "link": f"https://example.com/{platform}/{row['handle']}/post",
                "views": round(views), "reach": round(actual_reach), "likes": round(likes),
                "comments": round(likes * 0.04), "shares": round(likes * 0.03), "saves": round(likes * 0.06),
                "clicks": round(clicks), "promo_redemptions_online": online, "promo_redemptions_offline": offline,
                "orders": orders_n, "revenue": round(orders_n * ORDER_VALUE * float(np.exp(rng.normal(0, 0.08))), -1),
                "new_followers": round(actual_reach * 0.004),
                "positive_mentions": round(likes * 0.01 + 3), "negative_mentions": round(likes * 0.001),
                "cash_cost": cash, "product_cost": PRODUCT_COST * units,
            }
        placements.append(place)
    attributed = sum(p["result"]["orders"] for p in placements if "result" in p)
    budget = float(round(sum(p["cost"] + p["product_cost"] for p in placements) * 1.05, -4))
    return {
        "name": NAME, "status": "done", "currency": "RUB",
        "budget": budget,
        "brief": {"budget": budget, "currency": "RUB", "goal": "sales", "countries": ["RU"], "niches": ["beauty"],
                  "rates": dict(RATES), "reach_weight": 0.5},
        "goals": {"primary": "online_sales", "margin_pct": 55.0, "uplift_pct": 30.0, "roi_definition": "romi",
                  "window_start": WINDOW[0].isoformat(), "window_end": WINDOW[1].isoformat(), "sales_unit": "orders",
                  "targets": {"orders": float(round(attributed * 1.3 * 0.9, -1)), "cost_per_order": 2_500.0,
                              "romi": 50.0, "positive_share": 85.0}},
        "placements": placements,
        "sales": _sales(rng, attributed * 1.3),
    }


def _sales(rng: np.random.Generator, lift_total: float) -> list[dict[str, Any]]:
    """Orders per day in Moscow (the campaign's market) and in a control region without the campaign: a common
    trend and weekly cycle, noise, and the campaign's lift inside the window (fading after the posts)."""
    idx = pd.date_range(SERIES[0], SERIES[1], freq="D")
    n = len(idx)
    week = np.array([0.92, 0.95, 1.0, 1.02, 1.08, 1.15, 0.88])[idx.dayofweek.to_numpy()]
    trend = 1.0 + 0.12 * np.arange(n) / n + np.cumsum(rng.normal(0, 0.004, n))
    control = 42.0 * trend * week * np.exp(rng.normal(0, 0.05, n))
    base = 95.0 * trend * week * np.exp(rng.normal(0, 0.04, n))
    in_win = (idx >= pd.Timestamp(WINDOW[0])) & (idx <= pd.Timestamp(WINDOW[1]))
    shape = np.where(in_win, np.exp(-np.arange(n) / 9.0 + np.argmax(in_win) / 9.0), 0.0)
    lift = shape / shape.sum() * lift_total
    out = []
    for d, s in zip(idx, base + lift, strict=True):
        out.append({"day": d.date().isoformat(), "region": "Москва", "control": False, "sales": round(float(s))})
    for d, s in zip(idx, control, strict=True):
        out.append({"day": d.date().isoformat(), "region": "Казань (контроль)", "control": True,
                    "sales": round(float(s))})
    return out


def write(bloggers_csv: str | Path, out: str | Path, seed: int = 0) -> Path:
    bloggers = pd.read_csv(bloggers_csv, dtype={"handle": str, "name": str})
    data = generate(bloggers, seed=seed)
    out = Path(out)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out
