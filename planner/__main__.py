"""The command line: every batch job the pages do.

    python -m planner sample --rows N --out FILE.csv [--seed S]
    python -m planner import FILE [--platform P] [--map "SOURCE HEADER=field"]... [--sheet NAME] [--dry-run]
                             [--strict] [--json]
    python -m planner export --out FILE.csv|FILE.xlsx [filters]
    python -m planner plan --budget B [--bloggers FILE.csv] [--reach-weight W] [--platform P]... [--save NAME] [--json]
                           [--product-units N --product-cost C --retail R [--shipping S]]
    python -m planner barter (--bloggers FILE | --campaign ID) --product-cost C --retail R [--shipping S]
                             [--packaging P] [--json]
    python -m planner bench database|plan|load|scenarios|pages [--repeats N] [--json]
    python -m planner scenarios sweep --budget B [brief flags as for plan] [--from A] [--to B] [--points N] [--json]
    python -m planner goals --campaign ID [--goal KIND=TARGET]... [--margin PCT] [--uplift PCT] [--json]
    python -m planner results import|baseline --campaign ID FILE [--dry-run] [--json]
    python -m planner results report --campaign ID [--out FILE.xlsx] [--json]
    python -m planner export-plan --campaign ID --format xlsx|pptx|pdf --out FILE [--scenario NAME]... [--lang en|ru]
                                  [--currency RUB|USD|EUR] [--client NAME] [--json]

Every command honours DATABASE_URL. Bad input exits 2 with a one-line reason and touches nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from planner.core.schema import FIELD_NAMES, FLAGS, FORMATS, NICHES, PLATFORMS, TIERS

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A user error: printed as one line, exit code 2."""


def _emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        print(text)


# ---- sample -------------------------------------------------------------------------------------
def cmd_sample(args: argparse.Namespace) -> int:
    from planner.ingest import sample
    if args.rows < 1:
        raise CliError("--rows must be at least 1")
    t0 = time.perf_counter()
    frame = sample.generate(args.rows, seed=args.seed)
    out = Path(args.out)
    if args.messy:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(sample.to_messy_csv(frame, seed=args.seed))
    else:
        sample.write_csv(frame, out)
    _emit(args, {"rows": len(frame), "out": str(out), "seconds": round(time.perf_counter() - t0, 3)},
          f"wrote {len(frame)} synthetic bloggers to {out}")
    return 0


# ---- import -------------------------------------------------------------------------------------
def _parse_maps(items: list[str]) -> dict[str, str | None]:
    overrides: dict[str, str | None] = {}
    for item in items or []:
        if "=" not in item:
            raise CliError(f'--map needs "SOURCE HEADER=field", got {item!r}')
        header, _, field = item.rpartition("=")
        field = field.strip()
        if field in ("", "-", "none", "ignore"):
            overrides[header.strip()] = None
        elif field not in FIELD_NAMES:
            raise CliError(f"--map: unknown field {field!r}; known fields: {', '.join(FIELD_NAMES)}")
        else:
            overrides[header.strip()] = field
    return overrides


def cmd_import(args: argparse.Namespace) -> int:
    from planner import ingest
    from planner.storage import db, store
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    if args.platform and args.platform not in PLATFORMS:
        raise CliError(f"--platform must be one of {', '.join(PLATFORMS)}")
    overrides = _parse_maps(args.map)
    if path.stat().st_size > ingest.MAX_FILE_BYTES:  # refused before it is read into memory
        raise CliError(f"{path.name}: {ingest.UnreadableFile('file_too_big', limit_mb=ingest.MAX_FILE_BYTES // 2**20)}")
    engine = db.get_engine()
    remembered = store.remembered_mapping(engine)
    try:
        preview = ingest.preview(path.read_bytes(), path.name, platform=args.platform, overrides=overrides,
                                 remembered=remembered, sheet=args.sheet)
    except ingest.UnreadableFile as exc:
        raise CliError(f"{path.name}: {exc}") from None
    if preview.missing_fields:
        raise CliError(f"{path.name}: {ingest.missing_fields_message(preview.missing_fields)}")
    payload = preview.to_json_dict()
    frame = preview.frame
    if args.strict and preview.refused:
        payload.update({"inserted": 0, "updated": 0, "strict_refused": True})
        first = preview.rejected[0]
        _emit(args, payload, f"refused (--strict): {preview.refused} rows refused, nothing imported; "
                             f"first: row {first.row}, column {first.column!r}: {first.reason}")
        return 1
    if args.dry_run:
        inserted, updated = store.count_new(engine, frame)
        payload.update({"inserted": inserted, "updated": updated, "dry_run": True})
    else:
        result = store.upsert_bloggers(engine, frame, source=f"import:{path.name}"[:200])
        if overrides:
            store.remember_mapping(engine, overrides)
        payload.update({"inserted": result.inserted, "updated": result.updated})
    lines = [f"rows read {preview.rows_read}, stored {len(frame)}, refused {preview.refused}, "
             f"warnings {len(preview.warnings)}; {payload['inserted']} new, {payload['updated']} updated"
             + (" (dry run, nothing written)" if args.dry_run else "")]
    if preview.duplicates_dropped or preview.superseded:
        lines.append(f"duplicates merged: {preview.duplicates_dropped} exact copies dropped, "
                     f"{preview.superseded} rows of the same blogger (platform and handle) replaced by a later row")
    if len(preview.sheets) > 1:
        lines.append(f"sheet {preview.sheet!r} read, of {len(preview.sheets)} sheets (--sheet NAME to read another)")
    if preview.assumed_platform:
        lines.append(f"platform {preview.assumed_platform} taken from the headers or the file name "
                     "(--platform to choose another)")
    for header, field in preview.from_content.items():
        lines.append(f"column {header!r} read as {field} from its cells (--map \"{header}=-\" to ignore it)")
    for title, items in (("refused", preview.rejected), ("warning", preview.warnings)):
        for r in items[:20]:
            lines.append(f"  {title}: row {r.row}, column {r.column!r}: {r.reason}")
        if len(items) > 20:
            lines.append(f"  ... and {len(items) - 20} more (use --json for all)")
    _emit(args, payload, "\n".join(lines))
    return 0


# ---- export -------------------------------------------------------------------------------------
def add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--platform", action="append", choices=PLATFORMS, default=[])
    p.add_argument("--niche", action="append", choices=NICHES, default=[])
    p.add_argument("--tier", action="append", choices=TIERS, default=[])
    p.add_argument("--country", action="append", default=[], help="blogger's country, ISO code")
    p.add_argument("--min-followers", type=float)
    p.add_argument("--max-followers", type=float)
    p.add_argument("--min-er", type=float, help="percent")
    p.add_argument("--max-er", type=float, help="percent")
    p.add_argument("--min-credibility", type=float, default=None,
                   help="share of real followers, 0..1 or percent (export: no default filter)")
    p.add_argument("--barter", action="store_true", help="only bloggers who accept barter")
    p.add_argument("--exclude", action="append", choices=FLAGS, default=[], help="exclude a brand-safety flag")
    p.add_argument("--search", default="")
    p.add_argument("--price-format", choices=FORMATS, default="post")
    p.add_argument("--min-price", type=float)
    p.add_argument("--max-price", type=float)
    p.add_argument("--currency", default="RUB", choices=("RUB", "USD", "EUR"), help="currency of --min/--max-price")


def filters_from_args(args: argparse.Namespace, *, default_credibility: float | None = None):
    from planner.estimates.catalog import DEFAULT_MIN_CREDIBILITY, Filters

    if default_credibility is None:
        default_credibility = DEFAULT_MIN_CREDIBILITY
    cred = default_credibility if args.min_credibility is None else args.min_credibility
    if cred > 1:
        cred /= 100.0
    return Filters(platforms=tuple(args.platform), niches=tuple(args.niche), tiers=tuple(args.tier),
                   countries=tuple(args.country), followers_min=args.min_followers, followers_max=args.max_followers,
                   er_min=args.min_er, er_max=args.max_er, min_credibility=cred, barter_only=args.barter,
                   exclude_flags=tuple(args.exclude), search=args.search, price_format=args.price_format,
                   price_min=args.min_price, price_max=args.max_price)


def cmd_export(args: argparse.Namespace) -> int:
    from planner.estimates import metrics
    from planner.estimates.catalog import Catalog
    from planner.reporting import export
    from planner.storage import db, store

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise CliError("--out must end in .csv or .xlsx")
    engine = db.get_engine()
    stored = store.load_bloggers(engine)
    cat = Catalog(metrics.enrich(stored))
    # no hidden default: without a filter every blogger is written; the filters used are stated
    filters = filters_from_args(args, default_credibility=0.0)
    idx = cat.select(filters, args.currency)
    n = export.write(stored.iloc[idx], out, derived=cat.frame.iloc[idx], estimates=not args.measured_only)
    from planner.estimates.catalog import Filters

    none = Filters(min_credibility=0.0).to_dict()
    active = {k: v for k, v in filters.to_dict().items() if v != none[k] and k != "price_format"}
    _emit(args, {"rows": n, "of": len(cat.frame), "out": str(out), "filters": active,
                 "estimates": "left out" if args.measured_only else "in estimated_* columns"},
          f"wrote {n} of {len(cat.frame)} bloggers to {out}"
          + (f" (filters: {', '.join(f'{k}={v}' for k, v in active.items())})" if active else " (no filter)")
          + ("; estimated figures left out" if args.measured_only else "; estimated figures in estimated_* columns"))
    return 0


# ---- plan ---------------------------------------------------------------------------------------
def _bloggers_for_plan(args: argparse.Namespace):
    """The bloggers a brief plans on: a file's rows (--bloggers) with their ids (the database's blogger of the same
    platform and handle, else one of the list's own; nothing written yet), or the whole database. Returns (engine,
    the rows: the file's canonical rows or the enriched database, rows rejected from the file)."""
    from planner import ingest
    from planner.campaigns import lists
    from planner.estimates import metrics
    from planner.storage import db, store
    engine = db.get_engine()
    if not args.bloggers:
        return engine, metrics.enrich(store.load_bloggers(engine)), []
    path = Path(args.bloggers)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    try:
        preview = ingest.preview(path.read_bytes(), path.name, platform=args.file_platform)
    except ingest.UnreadableFile as exc:
        raise CliError(f"{path.name}: {exc}") from None
    if preview.frame.empty:
        first = preview.rejected[0] if preview.rejected else None
        raise CliError(f"{path.name}: no usable rows" + (f"; row {first.row}, column {first.column!r}: "
                                                         f"{first.reason}" if first else ""))
    return engine, lists.with_ids(engine, preview.frame), preview.rejected


def _plan_inputs(args: argparse.Namespace):
    """The brief flags of `plan` (and `scenarios sweep`): (the brief, its enriched bloggers, rows rejected from
    --bloggers). Bad input raises CliError before anything is written; a file's list is then kept in the database
    (planner.campaigns.lists.upload: a saved plan, its scenarios and its pitch read the same list back)."""
    import dataclasses

    from planner.campaigns import lists
    from planner.planning import plan
    if not args.budget > 0 or args.budget == float("inf"):
        raise CliError("--budget must be a positive number")
    if not 0 < args.time_limit < float("inf"):
        raise CliError("--time-limit must be a positive number of seconds")
    if not 0 <= args.reach_weight <= 1:
        raise CliError("--reach-weight must lie between 0 and 1")
    from planner.estimates.benchmarks import FRAUD_THRESHOLD

    cred = FRAUD_THRESHOLD if args.min_credibility is None else args.min_credibility
    if cred > 1:
        cred /= 100.0
    if args.max_share is not None and not 0 < args.max_share <= 1:
        raise CliError("--max-share must lie in (0, 1]")
    bounds = _platform_shares(args.platform_share)
    pool_sizes: dict[str, float] = {}
    for item in args.pool_size:
        name, _, size = item.rpartition("=")
        try:
            pool_sizes[name.strip()] = float(size)
        except ValueError:
            raise CliError(f'--pool-size needs "niche/COUNTRY=people", got {item!r}') from None
    try:
        brief = plan.Brief(budget=args.budget, currency=args.currency, goal=args.goal, countries=tuple(args.country),
                           gender=args.gender, ages=tuple(args.age), niches=tuple(args.niche),
                           platforms=tuple(args.platform), formats=tuple(args.format) or plan.FORMATS,
                           min_credibility=cred, max_share=args.max_share, category=args.category,
                           allow_packages=args.packages, reach_weight=args.reach_weight, platform_bounds=bounds,
                           allow_estimated_prices=args.allow_estimated_prices, niche_mode=args.niche_mode,
                           keywords=tuple(args.keyword), pool_sizes=pool_sizes, **_product_budget(args))
    except plan.BriefError as exc:
        raise CliError(str(exc)) from None
    engine, frame, rejected = _bloggers_for_plan(args)
    handles = {h.lstrip("@").lower() for h in args.must}
    ids_in = frame.loc[frame["handle"].str.lower().isin(handles), "id"].astype(int).tolist()
    unknown = handles - set(frame["handle"].str.lower())
    if unknown:
        raise CliError(f"--must: no blogger with handle {', '.join(sorted(unknown))}")
    ids_out = frame.loc[frame["handle"].str.lower().isin({h.lstrip("@").lower() for h in args.exclude}),
                        "id"].astype(int).tolist()
    overlaps: tuple = ()
    if args.overlaps:
        opath = Path(args.overlaps)
        if not opath.is_file():
            raise CliError(f"no such file: {opath}")
        try:
            overlaps = plan.overlap_triples(plan.read_overlaps(opath.read_bytes(), opath.name, frame))
        except plan.OverlapError as exc:
            raise CliError(f"{opath.name}: {exc}") from None
    try:
        brief = dataclasses.replace(brief, must_include=tuple(ids_in), must_exclude=tuple(ids_out),
                                    overlaps=overlaps)
    except plan.BriefError as exc:
        raise CliError(str(exc)) from None
    if args.bloggers:
        spec, _rows = lists.upload(engine, frame, name=Path(args.bloggers).name)
        brief = dataclasses.replace(brief, bloggers=spec)
        frame = lists.bloggers_for(engine, brief)
    return brief, frame, rejected


def cmd_plan(args: argparse.Namespace) -> int:
    from planner.app import planning
    from planner.planning import optimiser, plan
    brief, frame, rejected = _plan_inputs(args)
    try:
        outcome = planning.make_plan(frame, brief, time_limit=args.time_limit)
    except (plan.BriefError, optimiser.Infeasible) as exc:
        raise CliError(str(exc)) from None
    result, cands, sol, seconds = outcome.result, outcome.candidates, outcome.solution, outcome.seconds
    rows = result.placements
    t = result.totals
    payload = {**outcome.to_json(), "rows_rejected": len(rejected)}
    if args.out:
        from planner.reporting import export
        export.write_plan(result, args.out)
        payload["out"] = args.out
    if args.save is not None:
        payload["campaign_id"] = _save_plan(args, result)
    lines = [f"{len(rows)} placements, {t['bloggers']} bloggers: cost {t['cost']:,.0f} "
             f"{brief.currency} of {brief.budget:,.0f}; unique reach {t['unique_reach']:,.0f}, "
             f"impressions {t['impressions']:,.0f}; objective {sol.objective:.4f}, "
             f"bound {sol.upper_bound:.4f}: {plan.status_text(t)}; {seconds:.2f} s"]
    if t["estimated_cost"] > 0:
        lines.append(f"  ≈ {t['estimated_cost']:,.0f} {brief.currency} ({100 * t['estimated_cost_share']:.0f} % of the "
                     "cost) at estimated prices (--allow-estimated-prices)")
    elif cands.skipped_estimated:
        lines.append(f"  quoted prices only: {cands.skipped_estimated} placements with estimated prices left out "
                     "(--allow-estimated-prices to plan on them)")
    for k, (a, u) in cands.raised_pools.items():
        lines.append(f"  pool {k}: assumed {a:,.0f} people, raised to {u:,.0f} (below its largest placement)")
    if rows.empty:
        lines.append(f"  no placement fits: the cheapest candidate costs {result.totals['cheapest']:,.0f} "
                     f"{brief.currency}")
    if brief.mixed:
        lines.append(f"  product budget: {t['product_units']} of {brief.product_units} units sent "
                     f"(barter {t['deals_barter']}, hybrid {t['deals_hybrid']}), product cost "
                     f"{t['product_cost']:,.0f} {brief.currency}; cash {t['cash_cost']:,.0f} of {brief.budget:,.0f}; "
                     f"expected published posts ≈{t['expected_posts']:.1f} of {len(rows)}")
    for r in rows.head(30).itertuples():
        pe = "≈" if r.price_source == "estimate" else " "
        re_ = "≈" if r.reach_source != "measured" else " "
        lines.append(f"  @{r.handle:<28} {r.platform:<9} {r.format:<12} {pe}{r.cost:>12,.0f}  "
                     f"reach {re_}{r.reach:>10,.0f} ({r.reach_source}) "
                     f"adds {r.unique_reach_added:>10,.0f}  fit {r.fit:.2f}"
                     + (f"  {r.deal} (≈{r.expected_posts:.2f} posts expected)" if r.deal != "paid" else ""))
    if len(rows) > 30:
        lines.append(f"  ... and {len(rows) - 30} more (use --json or --out)")
    _emit(args, payload, "\n".join(lines))
    return 0


def _product_budget(args: argparse.Namespace) -> dict[str, Any]:
    """--product-units N --product-cost C --retail R [--shipping S]: a mixed plan's product budget."""
    given = [f for f in ("product_units", "product_cost", "retail") if getattr(args, f) is not None]
    if not given and not args.shipping:
        return {}
    if len(given) < 3:
        raise CliError("a product budget needs --product-units, --product-cost and --retail together")
    if args.product_units < 0:
        raise CliError("--product-units must be a whole number of 0 or more")
    for flag, v in (("--product-cost", args.product_cost), ("--shipping", args.shipping)):
        if not (v >= 0 and v != float("inf")):
            raise CliError(f"{flag} must be a number of 0 or more")
    if not (args.retail > 0 and args.retail != float("inf")):
        raise CliError("--retail must be a positive number")
    return {"product_units": args.product_units, "product_cost": args.product_cost, "product_retail": args.retail,
            "product_shipping": args.shipping}


def _save_plan(args: argparse.Namespace, result) -> int:
    """Save the plan as a campaign (--save NAME); its id. The campaign keeps its brief whole, the list it planned
    on included (a plan on a file links each placement to the database's blogger of the same platform and handle,
    when there is one: planner.campaigns.lists.with_ids)."""
    from planner import campaigns
    from planner.storage import db
    name = (args.save or "").strip()
    if not name:
        raise CliError("--save needs a campaign name")
    return campaigns.save_plan(db.get_engine(), name, result)


def _platform_shares(items: list[str]) -> dict[str, tuple[float | None, float | None]]:
    """--platform-share PLATFORM=MIN:MAX in per cent of the budget, either side may be empty."""
    out: dict[str, tuple[float | None, float | None]] = {}
    for item in items:
        name, eq, span = item.partition("=")
        name = name.strip().lower()
        lo_s, colon, hi_s = span.partition(":")
        if not eq or not colon or name not in PLATFORMS:
            raise CliError(f'--platform-share needs "PLATFORM=MIN:MAX" (per cent, a side may be empty) with a '
                           f"platform of {', '.join(PLATFORMS)}; got {item!r}")
        vals: list[float | None] = []
        for side in (lo_s, hi_s):
            side = side.strip().rstrip("%").strip().replace(",", ".")
            if not side:
                vals.append(None)
                continue
            try:
                v = float(side)
            except ValueError:
                raise CliError(f"--platform-share {item!r}: {side!r} is not a number") from None
            if not 0 <= v <= 100:
                raise CliError(f"--platform-share {item!r}: shares are per cent between 0 and 100")
            vals.append(v / 100)
        lo, hi = vals
        if lo is not None and hi is not None and lo > hi:
            raise CliError(f"--platform-share {item!r}: the minimum is above the maximum")
        if name in out:
            raise CliError(f"--platform-share: {name} given twice")
        out[name] = (lo, hi)
    return out


# ---- barter -------------------------------------------------------------------------------------
def _round(value: Any, digits: int = 2) -> float | None:
    """A number for JSON: rounded; None for a missing or infinite one."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return round(v, digits) if v == v and abs(v) != float("inf") else None


def cmd_barter(args: argparse.Namespace) -> int:
    """Paid against barter against hybrid, per blogger (planner.planning.barter)."""
    from planner.estimates.benchmarks import BARTER
    from planner.planning import barter
    currency = args.currency or "RUB"
    skipped_handles: list[dict[str, str]] = []
    if args.campaign is not None:
        from planner import campaigns
        from planner.estimates import metrics
        from planner.storage import db, store
        engine = db.get_engine()
        try:
            camp, placements = campaigns.load_campaign(engine, args.campaign)
        except KeyError:
            raise CliError(f"--campaign: no campaign {args.campaign}") from None
        currency = args.currency or camp.currency or "RUB"
        offer = _barter_offer(args, currency)
        if placements.empty:
            raise CliError(f"--campaign {args.campaign}: the campaign has no placements")
        ids = placements["blogger_id"].dropna().astype(int).tolist()
        bloggers = metrics.enrich(store.load_bloggers_by_id(engine, ids))
        rows, skipped = barter.rows_from_campaign(placements, bloggers, campaign_currency=camp.currency or "RUB",
                                                  currency=currency)
    else:
        offer = _barter_offer(args, currency)
        from planner.estimates import metrics
        from planner.storage import store
        _engine, frame, _rejected = _bloggers_for_plan(args)
        if args.bloggers:  # a file's canonical rows: estimates and flags as for the database's
            frame = metrics.enrich(store.with_all_columns(frame))
        rows, skipped = barter.rows_from_bloggers(frame, formats=args.format, currency=currency,
                                                  allow_estimated_prices=args.allow_estimated_prices)
    skipped_handles = skipped.to_dict("records")
    if rows.empty:
        hint = ("" if args.allow_estimated_prices or args.campaign is not None
                else " (--allow-estimated-prices to value estimated prices ≈)")
        fmt = f" for {args.format}" if args.format else ""
        raise CliError(f"nothing to compare: no blogger has a usable price{fmt}{hint}")
    table = barter.compare(rows, offer)
    tot = barter.totals(table, offer)
    bloggers_out = [{
        "handle": r["handle"], "platform": r["platform"], "format": r["format"], "fee": _round(r["fee"]),
        "post_rate": _round(r["post_rate"], 4), "acceptance": _round(r["acceptance"], 4),
        "barter_cost": _round(r["barter_cost"]), "barter_cost_per_post": _round(r["barter_cost_per_post"]),
        "paid_cost_per_post": _round(r["paid_cost_per_post"]), "hybrid_fee": _round(r["hybrid_fee"]),
        "hybrid_cost_per_post": _round(r["hybrid_cost_per_post"]), "recommendation": r["recommendation"],
        "reason": barter.reason_text(r, "en", currency), "break_even_retail": _round(r["break_even_retail"]),
    } for _, r in table.iterrows()]
    payload = {
        "bloggers": bloggers_out,
        "totals": {"cash_saved": _round(tot["cash_saved"]), "units": tot["units"],
                   "product_cost": _round(tot["product_cost"]),
                   "expected_posts_lost": _round(tot["expected_posts_lost"], 4)},
        "currency": currency, "deals": tot["deals"],
        "offer": {"product_cost": offer.product_cost, "retail": offer.retail_value, "shipping": offer.shipping,
                  "packaging": offer.packaging, "units": offer.units, "niches": list(offer.niches),
                  "commonplace": offer.commonplace},
        # where the figures come from: fees quoted or estimated (≈); acceptance and post rates are estimates
        "estimated_fees": table.loc[table["fee_source"] == "estimate", "handle"].tolist(),
        "sensitivity": {"post_rate_points": -round(100 * barter.SENSITIVITY_POINTS),
                        "changed": [{"handle": r["handle"], "format": r["format"],
                                     "recommendation": r["recommendation"],
                                     "recommendation_if_lower": r["recommendation_low"]}
                                    for _, r in table[table["changed_low"]].iterrows()]},
        "assumptions": {row.metric + (f".{row.tier}" if row.tier else ""): {"value": row.typical, "source": row.source}
                        for row in BARTER.to_frame().itertuples()},
        "skipped": skipped_handles,
    }
    lines = [f"{len(table)} placements: paid {tot['deals']['paid']}, barter {tot['deals']['barter']}, hybrid "
             f"{tot['deals']['hybrid']}; cash saved {tot['cash_saved']:,.0f} {currency}, {tot['units']} units "
             f"(costing {tot['product_cost']:,.0f} {currency} with shipping and packaging), expected published "
             f"posts lost {tot['expected_posts_lost']:.2f}",
             f"  barter cost per deal {offer.barter_cost:,.0f} {currency} (product at cost + shipping + packaging); "
             "acceptance and post rates are estimates (≈) from editable assumptions"]
    for _, r in table.head(50).iterrows():
        fee = ("≈" if r["fee_source"] == "estimate" else " ") + f"{r['fee']:,.0f}"
        lines.append(f"  @{r['handle']:<26} {r['platform']:<9} {r['format']:<6} fee {fee:>11}  accept "
                     f"≈{100 * r['acceptance']:3.0f} %  posts ≈{100 * r['post_rate']:3.0f} %  per post: barter "
                     f"{r['barter_cost_per_post']:>10,.0f} hybrid {r['hybrid_cost_per_post']:>10,.0f}  -> "
                     f"{barter.reason_text(r, 'en', currency)}")
    if len(table) > 50:
        lines.append(f"  ... and {len(table) - 50} more (use --json)")
    if skipped_handles:
        lines.append(f"  not compared: {len(skipped_handles)} (" + ", ".join(
            f"@{x['handle']}: {x['reason']}" for x in skipped_handles[:5]) + (", ..." if len(skipped_handles) > 5
                                                                               else "") + ")")
    _emit(args, payload, "\n".join(lines))
    return 0


def _barter_offer(args: argparse.Namespace, currency: str):
    from planner.core.schema import NICHES as known_niches
    from planner.planning import barter
    unknown = [n for n in args.niche if n.strip().lower() not in known_niches]
    if unknown:
        raise CliError(f"--niche: unknown niche {', '.join(unknown)}; known: {', '.join(known_niches)}")
    try:
        return barter.BarterOffer(product_cost=args.product_cost, retail_value=args.retail, shipping=args.shipping,
                                  packaging=args.packaging, units=args.units, currency=currency,
                                  niches=tuple(args.niche), commonplace=args.commonplace)
    except barter.BarterError as exc:
        raise CliError(str(exc)) from None


# ---- bench --------------------------------------------------------------------------------------
def cmd_bench(args: argparse.Namespace) -> int:
    if args.what == "database":
        from planner.bench import database as bench_database
        result = bench_database.run(rows=args.rows, import_rows=args.import_rows, page_rows=args.page_rows,
                                    repeats=args.repeats)
    elif args.what == "plan":
        from planner.bench import plan as bench_plan
        result = bench_plan.run(repeats=args.repeats)
        if not args.skip_page:  # the Plan page in headless Chromium: a click to the answer, as a user waits
            from planner.bench import page as bench_page
            try:
                result.update(bench_page.page_timings(repeats=max(1, min(args.repeats, 3))))
            except Exception as exc:  # a browser that cannot start: the solver figures still count
                result["page_error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    elif args.what == "pages":  # every page in headless Chromium: a click to the answer, as a user waits
        from planner.bench import page as bench_page
        try:
            result = bench_page.page_timings(repeats=max(1, min(args.repeats, 3)), pages=bench_page.PAGES)
        except Exception as exc:  # a browser or a server that cannot start (each page reports its own failure)
            result = {"pages_error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"}
    elif args.what == "scenarios":
        from planner.bench import scenarios as bench_scenarios
        result = bench_scenarios.run(repeats=max(1, min(args.repeats, 5)))
    elif args.what == "load":
        from planner.bench import load as bench_load
        if not 1 <= args.sessions <= 50:
            raise CliError("--sessions must be between 1 and 50")
        result = bench_load.run(sessions=args.sessions, rows=args.rows, shared_context=args.shared_context)
    else:
        raise CliError(f"unknown benchmark {args.what!r}")
    text = "\n".join(f"{k}: {v}" for k, v in result.items())
    _emit(args, result, text)
    return 0


# ---- goals and results --------------------------------------------------------------------------
def _campaign_arg(engine, campaign_id: int) -> None:
    """Refuse an unknown campaign id (this workspace's campaigns only) before anything is read."""
    from planner.campaigns import results
    from planner.campaigns.goals import GoalError
    try:
        results.campaign_of(engine, campaign_id)
    except GoalError:
        raise CliError(f"--campaign: no campaign {campaign_id}") from None


def _percent_arg(name: str, text: str) -> float:
    from planner.campaigns.goals import parse_number_text
    value = parse_number_text(text)
    if value is None:
        raise CliError(f"{name} must be a number (per cent), got {text!r}")
    return value


def cmd_goals(args: argparse.Namespace) -> int:
    """Show or set a campaign's business goals (planner.campaigns.goals)."""
    from dataclasses import replace
    from datetime import date

    from planner.campaigns import goals as goals_mod
    from planner.storage import db
    engine = db.get_engine()
    _campaign_arg(engine, args.campaign)
    current = goals_mod.load_goals(engine, args.campaign)
    try:
        changes: dict[str, float | None] = dict(goals_mod.parse_goal(g) for g in args.goal)
        changes.update({k.strip().lower(): None for k in args.no_goal})
        unknown = [k for k in changes if k not in goals_mod.TARGET_KINDS]
        if unknown:
            raise goals_mod.GoalError("kind", value=unknown[0], known=", ".join(goals_mod.TARGET_KINDS))
        kw: dict[str, Any] = {}
        if args.margin is not None:
            kw["margin_pct"] = _percent_arg("--margin", args.margin)
        if args.uplift is not None:
            kw["uplift_pct"] = _percent_arg("--uplift", args.uplift)
        if args.brand_lift is not None:
            kw["brand_lift_pp"] = _percent_arg("--brand-lift", args.brand_lift)
        if args.primary is not None:
            kw["primary"] = args.primary
        if args.roi is not None:
            kw["roi_definition"] = args.roi
        if args.window is not None:
            start, sep, end = args.window.partition(":")
            try:
                kw["window_start"] = date.fromisoformat(start.strip())
                kw["window_end"] = date.fromisoformat(end.strip())
            except ValueError:
                raise CliError(f"--window must be START:END as YYYY-MM-DD:YYYY-MM-DD, got {args.window!r}") from None
        updated = replace(current.with_targets(changes), **kw)
    except goals_mod.GoalError as exc:
        raise CliError(str(exc)) from None
    changed = updated != current
    if changed:
        goals_mod.save_goals(engine, args.campaign, updated)
    payload = {"campaign": args.campaign, "changed": changed, **updated.to_dict()}
    lines = [f"campaign {args.campaign}: primary goal {updated.primary or '-'}; margin "
             f"{'-' if updated.margin_pct is None else f'{updated.margin_pct:g} %'}; uplift {updated.uplift_pct:g} % "
             f"on code and link sales; {updated.roi_text}"]
    for kind, target in updated.targets:
        sign = "<=" if goals_mod.TARGET_KINDS[kind].direction == "max" else ">="
        lines.append(f"  {kind} {sign} {target:,.4g}")
    _emit(args, payload, "\n".join(lines))
    return 0


def _read_upload(path_text: str) -> tuple[Path, bytes]:
    from planner import ingest
    path = Path(path_text)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    if path.stat().st_size > ingest.MAX_FILE_BYTES:
        raise CliError(f"{path.name}: {ingest.UnreadableFile('file_too_big', limit_mb=ingest.MAX_FILE_BYTES // 2**20)}")
    return path, path.read_bytes()


def _result_maps(items: list[str]) -> dict[str, str | None]:
    from planner.campaigns.results import FILE_FIELDS
    out: dict[str, str | None] = {}
    for item in items or []:
        header, sep, field = item.rpartition("=")
        if not sep or not header.strip():
            raise CliError(f'--map needs "SOURCE HEADER=field", got {item!r}')
        field = field.strip()
        if field in ("", "-", "none", "ignore"):
            out[header.strip()] = None
        elif field not in FILE_FIELDS:
            raise CliError(f"--map: unknown field {field!r}; known fields: {', '.join(FILE_FIELDS)}")
        else:
            out[header.strip()] = field
    return out


def cmd_results(args: argparse.Namespace) -> int:
    """results import | baseline | report (planner.campaigns.results, incrementality, report)."""
    from planner import ingest
    from planner.campaigns import results
    from planner.storage import db
    engine = db.get_engine()
    _campaign_arg(engine, args.campaign)
    if args.what == "report":
        from planner.campaigns import report
        rep = report.build(engine, args.campaign)
        payload = rep.to_json()
        if args.out:
            from planner.reporting import results_export
            try:
                results_export.write(rep, args.out)
            except ValueError as exc:
                raise CliError(str(exc)) from None
            payload["out"] = args.out
        _emit(args, payload, _report_text(payload))
        return 0
    path, data = _read_upload(args.file)
    try:
        if args.what == "import":
            # amounts in another currency than the campaign's: converted at the default rates (as the report's)
            preview = results.read_results(data, path.name, results.placements_of(engine, args.campaign),
                                           overrides=_result_maps(args.map), sheet=args.sheet,
                                           currency=results.campaign_of(engine, args.campaign).currency or "RUB")
        else:
            sales = results.read_sales(data, path.name, controls=args.control, overrides=_result_maps_sales(args.map),
                                       sheet=args.sheet)
    except (results.ResultsFileError, ingest.UnreadableFile) as exc:
        raise CliError(f"{path.name}: {exc}") from None
    if args.what == "import":
        inserted, updated = results.apply_results(engine, args.campaign, preview, source=f"import:{path.name}",
                                                  dry_run=args.dry_run)
        payload = {"rows_read": preview.rows_read, "matched": preview.matched, "inserted": inserted,
                   "updated": updated, "unmatched": preview.unmatched,
                   "rejected": [r.to_dict() for r in preview.rejected], "notes": [r.to_dict() for r in preview.notes],
                   "mapping": preview.mapping, "columns": preview.columns, "dry_run": bool(args.dry_run)}
        lines = [f"rows read {preview.rows_read}, matched {preview.matched} ({inserted} new, {updated} updated), "
                 f"unmatched {len(preview.unmatched)}, refused {len(preview.rejected)}"
                 + (" (dry run, nothing written)" if args.dry_run else "")]
        lines += [f"  unmatched: row {u['row']}, {u['handle']}" + (f" ({u['platform']})" if u.get("platform") else "")
                  + ": not in the campaign" for u in preview.unmatched[:20]]
        lines += [f"  refused: row {r.row}, column {r.column!r}: {r.reason}" for r in preview.rejected[:20]]
        lines += [f"  note: row {r.row}, column {r.column!r}: {r.reason}" for r in preview.notes[:20]]
        _emit(args, payload, "\n".join(lines))
        return 0
    unit = args.unit or sales.unit
    days = 0 if args.dry_run else results.store_sales(engine, args.campaign, sales, unit=unit)
    frame = sales.frame
    payload = {"rows_read": sales.rows_read, "days": int(frame["day"].nunique()), "stored": days,
               "regions": sales.regions, "controls": sorted(set(frame.loc[frame["control"], "region"])),
               "unit": unit, "first_day": min(frame["day"]).isoformat(), "last_day": max(frame["day"]).isoformat(),
               "rejected": [r.to_dict() for r in sales.rejected], "notes": [r.to_dict() for r in sales.notes],
               "mapping": sales.mapping, "dry_run": bool(args.dry_run)}
    lines = [f"{payload['days']} days of {unit} from {payload['first_day']} to {payload['last_day']}"
             + (f", regions {', '.join(payload['regions'])} (control: {', '.join(payload['controls']) or '-'})"
                if any(payload["regions"]) else "")
             + f"; refused {len(sales.rejected)} rows" + (" (dry run, nothing written)" if args.dry_run else "")]
    lines += [f"  refused: row {r.row}, column {r.column!r}: {r.reason}" for r in sales.rejected[:20]]
    _emit(args, payload, "\n".join(lines))
    return 0


def _result_maps_sales(items: list[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for item in items or []:
        header, sep, field = item.rpartition("=")
        field = field.strip()
        if not sep or field not in ("day", "sales", "region", "-", ""):
            raise CliError(f'--map for a sales series needs "HEADER=day|sales|region", got {item!r}')
        out[header.strip()] = field if field in ("day", "sales", "region") else None
    return out


def _report_text(payload: dict[str, Any]) -> str:
    t = payload["totals"]

    def num(v: Any, unit: str = "") -> str:
        if v is None:
            return "-"
        return f"{v:,.2f}{unit}" if isinstance(v, float) and abs(v) < 100 and v != round(v) else f"{v:,.0f}{unit}"

    lines = [f"campaign {payload['campaign'].get('id')}: {payload['campaign'].get('name')}"]
    for g in payload["goals"]:
        state = {True: "met", False: "missed", None: "no figure"}[g["met"]]
        lines.append(f"  goal {g['kind']}: target {num(g['target'])}, actual {num(g['actual'])}: {state}")
    lines.append(f"cost {num(t['cost'])} (cash {num(t['cash_cost'])} + product {num(t['product_cost'])}); orders "
                 f"{num(t['orders'])}, revenue {num(t['revenue'])} (uplift {num(t['uplift_pct'])} %); ROAS "
                 f"{num(t['roas'])}; ROMI {num(t['romi'], ' %')}")
    lines.append(f"ROI: {payload['roi_text']}; EMV (soft metric) {num(t['emv'])}")
    for b in payload["bloggers"]:
        lines.append(f"  {b['verdict']:<6} @{b['handle']} ({b['platform']}): cost {num(b['cost'])}, orders "
                     f"{num(b['orders'])}, {b['verdict_metric']} {num(b['verdict_value'])}")
    for d in payload["disagreements"]:
        lines.append(f"  disagreement: @{d['handle']} ({d['platform']}): {d['kind']}")
    inc = payload.get("incrementality")
    if inc:
        lines.append(f"incremental {num(inc['incremental'])} ({num(inc['low'])} .. {num(inc['high'])}) of actual "
                     f"{num(inc['actual'])} against a baseline of {num(inc['baseline'])}; {inc['method']}")
    return "\n".join(lines)


# planner.storage.models.GOAL_TYPES, named here so that building the parser imports no database code (a test
# checks they agree)
GOAL_TYPES = ("online_sales", "offline_sales", "leads", "installs", "store_visits", "awareness", "positive_mentions")


def _add_results_parsers(sub) -> None:
    gp = sub.add_parser("goals", help="show or set a campaign's business goals")
    gp.add_argument("--campaign", type=int, required=True)
    gp.add_argument("--goal", action="append", default=[], metavar="KIND=TARGET",
                    help="orders, revenue, leads, installs, cost_per_order, cost_per_lead, roas (a multiple), "
                         "romi (%%), positive_share (%%): e.g. --goal orders=500 --goal cost_per_lead=800")
    gp.add_argument("--no-goal", action="append", default=[], metavar="KIND", help="remove a target")
    gp.add_argument("--margin", help="gross margin, per cent (needed for ROMI)")
    gp.add_argument("--uplift", help="uplift applied to code and link sales, per cent (default 0)")
    gp.add_argument("--brand-lift", help="brand lift measured by a survey, percentage points (awareness goals)")
    gp.add_argument("--primary", choices=GOAL_TYPES, help="the primary goal type")
    gp.add_argument("--roi", choices=("romi", "roas", "emv"), help="the ROI definition the report names")
    gp.add_argument("--window", metavar="START:END", help="the campaign window of the incrementality baseline")
    gp.add_argument("--json", action="store_true")
    gp.set_defaults(func=cmd_goals)

    rp = sub.add_parser("results", help="a campaign's results: import a file, store a sales series, the report")
    what = rp.add_subparsers(dest="what", required=True)
    for name, text in (("import", "import results per placement (CSV or XLSX), matched by handle and platform"),
                       ("baseline", "store the daily sales series (date, sales, optional region)"),
                       ("report", "the report against the goals")):
        w = what.add_parser(name, help=text)
        w.add_argument("--campaign", type=int, required=True)
        if name != "report":
            w.add_argument("file", help="CSV, TSV, XLSX, XLS or ODS")
            w.add_argument("--dry-run", action="store_true", help="read and match only, write nothing")
            w.add_argument("--map", action="append", default=[], metavar='"SOURCE HEADER=field"',
                           help="correct the column mapping (field '-' ignores the column)")
            w.add_argument("--sheet", metavar="NAME", help="the workbook sheet to read")
        if name == "baseline":
            w.add_argument("--control", action="append", default=[], metavar="REGION",
                           help="a region without the campaign (default: every region after the first)")
            w.add_argument("--unit", choices=("orders", "revenue"), help="what the sales column counts")
        if name == "report":
            w.add_argument("--out", help="also write the report to FILE.xlsx")
        w.add_argument("--json", action="store_true")
        w.set_defaults(func=cmd_results)


# ---- the client pitch ---------------------------------------------------------------------------
def _writable(path_text: str) -> Path:
    """The output path, refused at once (before any work) when it cannot be written."""
    import os
    import tempfile
    path = Path(path_text)
    if path.is_dir():
        raise CliError(f"--out {path} is a folder: give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".pitch-", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def cmd_export_plan(args: argparse.Namespace) -> int:
    """A saved campaign's pitch as XLSX, PPTX or PDF (planner.reporting.pitch)."""
    out = _writable(args.out)
    from planner.reporting import pitch
    from planner.storage import db
    t0 = time.perf_counter()
    engine = db.get_engine()
    try:
        doc = pitch.build(engine, args.campaign, lang=args.lang, currency=args.currency, client=args.client,
                          scenarios=args.scenario, frontier=not args.no_frontier)
        data = pitch.render(doc, args.format)
    except pitch.PitchError as exc:
        raise CliError(f"--campaign {args.campaign}: {exc}" if str(exc).startswith("no campaign") else str(exc)) \
            from None
    try:
        from planner.reporting.export import _write_atomic
        _write_atomic(out, data)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    payload = {"out": str(out), "format": args.format, "campaign_id": args.campaign, "title": doc.title,
               "client": doc.client, "lang": doc.lang, "currency": doc.currency, "bytes": len(data),
               "placements": len(doc.plan.frame), "scenarios": list(args.scenario),
               "totals": {f.key: (None if f.value is None else round(float(f.value), 2)) for f in doc.totals},
               "sources": {f.key: f.source for f in doc.totals},
               "sections": [k for k, v in (("frontier", doc.frontier), ("barter", doc.barter),
                                            ("backups", doc.backups), ("budget_curve", doc.budget_curve))
                            if v is not None],
               "seconds": round(time.perf_counter() - t0, 3)}
    _emit(args, payload, f"wrote {args.format.upper()} pitch of campaign {args.campaign} ({doc.title!r}, "
                         f"{len(doc.plan.frame)} placements, {doc.lang}, {doc.currency}) to {out}, "
                         f"{len(data):,} bytes")
    return 0


def _add_pitch_parser(sub) -> None:
    xp = sub.add_parser("export-plan", help="a saved campaign's pitch for the client: XLSX, PPTX or PDF")
    xp.add_argument("--campaign", type=int, required=True, metavar="ID")
    xp.add_argument("--format", required=True, choices=["xlsx", "pptx", "pdf"])
    xp.add_argument("--out", required=True, metavar="FILE")
    xp.add_argument("--scenario", action="append", default=[], metavar="NAME",
                    help="a saved scenario of the campaign to compare beside the plan (repeat for several)")
    xp.add_argument("--lang", choices=["en", "ru"], default="en")
    xp.add_argument("--currency", choices=["RUB", "USD", "EUR"], help="default: the campaign's currency")
    xp.add_argument("--client", help="the client's name, on the title page")
    xp.add_argument("--no-frontier", action="store_true",
                    help="leave out the reach-niche frontier and the budget curve (they re-plan the campaign's brief "
                         "on the database: 11 plans, and the budget sweep)")
    xp.add_argument("--json", action="store_true")
    xp.set_defaults(func=cmd_export_plan)


# ---- scenarios ----------------------------------------------------------------------------------
def cmd_scenarios(args: argparse.Namespace) -> int:
    """The budget sweep of a brief (planner.planning.scenarios): plans at --points budgets from --from to --to, with
    P10 / P50 / P90 of unique reach, engagements and orders, the marginal reach and the flattening budget."""
    import math

    from planner.planning import optimiser, plan
    from planner.planning import scenarios as scen
    from planner.planning import uncertainty as unc
    for flag, v, lo, hi in (("--reach-rate", args.reach_rate, 0.1, 10.0),
                            ("--pool-factor", args.pool_factor, 0.1, 10.0),
                            ("--post-rate-shift", args.post_rate_shift, -0.5, 0.5)):
        if not (math.isfinite(v) and lo <= v <= hi):
            raise CliError(f"{flag} must be a number from {lo:g} to {hi:g}")
    for flag, v in (("--from", args.start), ("--to", args.stop)):
        if v is not None and not (math.isfinite(v) and v > 0):
            raise CliError(f"{flag} must be a positive amount")
    if not 3 <= args.points <= 60:
        raise CliError("--points must be a whole number from 3 to 60")
    if args.save is not None and (not args.save.strip() or args.campaign is None):
        raise CliError("--save needs a name and --campaign ID (the campaign the scenario belongs to)")
    if args.campaign is not None:
        from planner.storage import db
        _campaign_arg(db.get_engine(), args.campaign)
    brief, frame, _rejected = _plan_inputs(args)
    try:
        ranges = unc.Ranges(samples=args.samples, seed=args.seed)
        sweep = scen.SweepSpec(start=args.start, stop=args.stop, points=args.points)
        scenario = scen.Scenario(brief=brief, sweep=sweep,
                                 assumptions=scen.Assumptions(reach_rate_factor=args.reach_rate,
                                                              pool_size_factor=args.pool_factor,
                                                              post_rate_shift=args.post_rate_shift, ranges=ranges,
                                                              use_history=not args.no_history),
                                 name=args.save or "")
    except (scen.ScenarioError, unc.UncertaintyError) as exc:
        raise CliError(str(exc)) from None
    errors = None
    engine = None
    if not args.no_history and not args.bloggers:
        from planner.campaigns import scenarios as saved
        from planner.storage import db
        engine = db.get_engine()
        errors = saved.forecast_errors(engine, exclude=args.campaign)
    try:
        result = scen.run(frame, scenario, errors=errors, time_limit=args.time_limit)
    except (plan.BriefError, scen.ScenarioError, optimiser.Infeasible) as exc:
        raise CliError(str(exc)) from None
    assert result.sweep is not None
    payload = result.sweep.to_json()
    t = result.totals
    payload["plan"] = {"budget": brief.budget, "cost": _round(t.get("cost")),
                       "unique_reach": _round(t.get("unique_reach"), 0),
                       **{f"unique_reach_{q}": _round(t.get(f"unique_reach_{q}"), 0) for q in ("p10", "p50", "p90")},
                       "orders": _round(t.get("orders")), "status": t.get("status"), "gap": _round(t.get("gap"), 6)}
    if args.save:
        from planner.campaigns import scenarios as saved
        from planner.storage import db
        engine = engine or db.get_engine()
        try:
            payload["scenario_id"] = saved.save_scenario(engine, args.campaign, result.snapshot(args.save))
        except saved.ScenarioNotFound:
            raise CliError(f"--campaign: no campaign {args.campaign}") from None
    ccy = brief.currency
    lines = [f"{'budget':>14} {'cost':>14} {'unique reach':>13} {'P10':>11} {'P50':>11} {'P90':>11} "
             f"{'orders':>9} {'CPM':>9} {'+reach/100k':>12}  status"]
    for r in payload["points"]:
        def f(v, fmt=",.0f"):
            return "—" if v is None else format(v, fmt)
        lines.append(f"{f(r['budget']):>14} {f(r['cost']):>14} {f(r['unique_reach']):>13} {f(r['p10']):>11} "
                     f"{f(r['p50']):>11} {f(r['p90']):>11} {f(r['orders'], ',.1f'):>9} {f(r['cpm'], ',.1f'):>9} "
                     f"{f(r['marginal_reach_per_100k']):>12}  {r['status']}")
    flat = payload["flattening_budget"]
    lines.append(f"returns flatten from {flat:,.0f} {ccy}" if flat is not None
                 else "returns do not flatten in this range")
    lines.append(f"P10/P50/P90: unique reach by Monte Carlo ({scenario.assumptions.ranges.samples} samples, seed "
                 f"{scenario.assumptions.ranges.seed}); amounts in {ccy}; {payload['seconds']:.2f} s")
    if "scenario_id" in payload:
        lines.append(f"saved as scenario {payload['scenario_id']} of campaign {args.campaign}")
    _emit(args, payload, "\n".join(lines))
    return 0


def _add_scenarios_parser(sub) -> None:
    sp = sub.add_parser("scenarios", help="what-if scenarios: the budget sweep")
    what = sp.add_subparsers(dest="what", required=True)
    sw = what.add_parser("sweep", help="plans at many budgets with P10/P50/P90 bands and the flattening point")
    _add_brief_args(sw)
    sw.add_argument("--from", dest="start", type=float, metavar="A", help="first budget (default: half the budget)")
    sw.add_argument("--to", dest="stop", type=float, metavar="B", help="last budget (default: twice the budget)")
    sw.add_argument("--points", type=int, default=20, help="budgets in the sweep, 3 to 60 (default 20)")
    sw.add_argument("--reach-rate", type=float, default=1.0, metavar="X",
                    help="x every benchmark reach rate (an assumption to test; default 1)")
    sw.add_argument("--pool-factor", type=float, default=1.0, metavar="X", help="x every audience pool's size")
    sw.add_argument("--post-rate-shift", type=float, default=0.0, metavar="D",
                    help="added to barter and hybrid post rates, e.g. -0.1 (mixed plans)")
    sw.add_argument("--samples", type=int, default=1000, help="Monte Carlo samples, 100 to 20000 (default 1000)")
    sw.add_argument("--seed", type=int, default=0, help="Monte Carlo seed (the bands are reproducible)")
    sw.add_argument("--no-history", action="store_true",
                    help="leave earlier campaigns' forecast errors out of the bands")
    sw.add_argument("--campaign", type=int, metavar="ID",
                    help="the campaign the scenario belongs to (its own results are left out of the history)")
    sw.add_argument("--save", metavar="NAME", help="also save the scenario under NAME in --campaign")
    sw.add_argument("--json", action="store_true")
    sw.set_defaults(func=cmd_scenarios)


def _add_brief_args(p: argparse.ArgumentParser) -> None:
    """The brief flags of `plan`, shared by `scenarios sweep` (read back by _plan_inputs)."""
    p.add_argument("--budget", type=float, required=True)
    p.add_argument("--currency", default="RUB", choices=("RUB", "USD", "EUR"))
    p.add_argument("--bloggers", help="plan on this CSV/XLSX instead of the database")
    p.add_argument("--file-platform", choices=PLATFORMS, help="platform for --bloggers rows without one")
    p.add_argument("--reach-weight", type=float, default=0.5, help="0 = all niche fit, 1 = all unique reach")
    p.add_argument("--goal", default="awareness", choices=("awareness", "engagement", "traffic", "sales", "leads"))
    p.add_argument("--platform", action="append", choices=PLATFORMS, default=[])
    p.add_argument("--format", action="append", choices=FORMATS, default=[])
    p.add_argument("--niche", action="append", default=[])
    p.add_argument("--country", action="append", default=[], help="target audience country (ISO code)")
    p.add_argument("--gender", choices=("female", "male"))
    p.add_argument("--age", action="append", default=[], choices=("13_17", "18_24", "25_34", "35_44", "45_plus"))
    p.add_argument("--min-credibility", type=float, default=None,
                   help="share of real followers, 0..1 or percent (default: the fraud threshold, 0.75)")
    p.add_argument("--max-share", type=float, help="maximum share of the budget on one blogger")
    p.add_argument("--category", choices=("alcohol", "pharma", "gambling", "tobacco", "children"),
                   help="restricted product category: excludes bloggers with matching brand-safety flags")
    p.add_argument("--must", action="append", default=[], metavar="HANDLE", help="blogger that must be in")
    p.add_argument("--exclude", action="append", default=[], metavar="HANDLE", help="blogger that must stay out")
    p.add_argument("--packages", action="store_true", help="allow several formats of one blogger")
    p.add_argument("--pool-size", action="append", default=[], metavar='"niche/COUNTRY=people"',
                   help="override an audience pool's size (people interested in the niche in the country)")
    p.add_argument("--overlaps", help="CSV/XLSX of measured overlaps: handle_a, handle_b, overlap (%% of the smaller)")
    p.add_argument("--keyword", action="append", default=[], help="keyword in the handle, name or niches")
    p.add_argument("--niche-mode", choices=("only", "prefer"), default="only",
                   help="only: bloggers of the --niche niches (or a --keyword) and nobody else (default); "
                        "prefer: everybody, niche fit weighs the niches up")
    p.add_argument("--platform-share", action="append", default=[], metavar="PLATFORM=MIN:MAX",
                   help="share of the budget on a platform, per cent; a side may be empty (instagram=30:60, "
                        "telegram=10:, youtube=:30)")
    p.add_argument("--allow-estimated-prices", action="store_true",
                   help="also plan formats whose price is a benchmark estimate (≈); by default only quoted prices")
    p.add_argument("--time-limit", type=float, default=10.0, help="one deadline for the whole solve, seconds")
    p.add_argument("--product-units", type=int, metavar="N",
                   help="a product budget for barter and hybrid deals: units available (a mixed plan)")
    p.add_argument("--product-cost", type=float, metavar="C", help="the product's cost price per unit")
    p.add_argument("--retail", type=float, metavar="R", help="the product's retail value per unit")
    p.add_argument("--shipping", type=float, default=0.0, metavar="S", help="shipping per parcel (product cost)")


# ---- parser -------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m planner", description="Influencer media planner: batch jobs.")
    sub = p.add_subparsers(dest="command", required=True)

    sp = sub.add_parser("sample", help="write a synthetic blogger database to CSV")
    sp.add_argument("--rows", type=int, required=True)
    sp.add_argument("--out", required=True)
    sp.add_argument("--seed", type=int, default=0)
    sp.add_argument("--messy", action="store_true", help="write it as an agency's messy export (import tests)")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_sample)

    ip = sub.add_parser("import", help="import bloggers from CSV or XLSX (upsert by platform and handle)")
    ip.add_argument("file")
    ip.add_argument("--platform", help="platform for rows without one")
    ip.add_argument("--map", action="append", default=[], metavar='"SOURCE HEADER=field"',
                    help="correct the automatic column mapping (field '-' ignores the column)")
    ip.add_argument("--dry-run", action="store_true", help="preview only, write nothing")
    ip.add_argument("--strict", action="store_true", help="refuse the whole file if any row is refused")
    ip.add_argument("--sheet", metavar="NAME", help="the workbook sheet to read (default: the one holding the data)")
    ip.add_argument("--json", action="store_true")
    ip.set_defaults(func=cmd_import)

    ep = sub.add_parser("export", help="export bloggers with canonical columns")
    ep.add_argument("--out", required=True)
    ep.add_argument("--measured-only", action="store_true",
                    help="leave out the estimated_* columns (estimates are never written as data anyway)")
    ep.add_argument("--json", action="store_true")
    add_filter_args(ep)
    ep.set_defaults(func=cmd_export)

    pp = sub.add_parser("plan", help="build an optimal media plan for a budget")
    _add_brief_args(pp)
    pp.add_argument("--out", help="also write the plan to FILE.csv or FILE.xlsx")
    pp.add_argument("--save", metavar="NAME", help="also save the plan as a campaign (prints its campaign_id)")
    pp.add_argument("--json", action="store_true")
    pp.set_defaults(func=cmd_plan)

    xp = sub.add_parser("barter", help="paid against barter against hybrid, per blogger")
    src = xp.add_mutually_exclusive_group(required=True)
    src.add_argument("--bloggers", help="compare the bloggers of this CSV/XLSX")
    src.add_argument("--campaign", type=int, metavar="ID", help="compare the placements of a saved campaign")
    xp.add_argument("--file-platform", choices=PLATFORMS, help="platform for --bloggers rows without one")
    xp.add_argument("--product-cost", type=float, required=True, metavar="C",
                    help="the product's cost price per unit to the brand")
    xp.add_argument("--retail", type=float, required=True, metavar="R", help="the product's retail value per unit")
    xp.add_argument("--shipping", type=float, default=0.0, metavar="S", help="shipping per parcel")
    xp.add_argument("--packaging", type=float, default=0.0, metavar="P", help="packaging per parcel")
    xp.add_argument("--units", type=int, default=1, help="units sent to each blogger (default 1)")
    xp.add_argument("--currency", choices=("RUB", "USD", "EUR"),
                    help="currency of the amounts (default: the campaign's, else RUB)")
    xp.add_argument("--niche", action="append", default=[], help="the product's niche (its fit with each blog)")
    xp.add_argument("--commonplace", action="store_true", help="a product everyone already has")
    xp.add_argument("--format", choices=FORMATS,
                    help="--bloggers: the format to value (default: the main format, else the first quoted one)")
    xp.add_argument("--allow-estimated-prices", action="store_true",
                    help="--bloggers: also value formats whose price is a benchmark estimate (≈)")
    xp.add_argument("--json", action="store_true")
    xp.set_defaults(func=cmd_barter)

    bp = sub.add_parser("bench", help="measure speed and memory")
    bp.add_argument("what", choices=["database", "plan", "load", "scenarios", "pages"])
    bp.add_argument("--rows", type=int, default=1_000_000)
    bp.add_argument("--import-rows", type=int, default=100_000)
    bp.add_argument("--page-rows", type=int, default=100_000)
    bp.add_argument("--repeats", type=int, default=5, help="runs per figure (plan's page and pages: at most 3)")
    bp.add_argument("--sessions", type=int, default=20, help="load: browser sessions arriving at once")
    bp.add_argument("--shared-context", action="store_true",
                    help="load: the sessions as tabs of one browser profile (Streamlit's scripts cached once)")
    bp.add_argument("--skip-page", action="store_true", help="plan: leave out the browser timings of the Plan page")
    bp.add_argument("--json", action="store_true")
    bp.set_defaults(func=cmd_bench)
    _add_results_parsers(sub)
    _add_pitch_parser(sub)
    _add_scenarios_parser(sub)
    return p


def _is_database_error(exc: BaseException) -> bool:
    """A database that cannot be reached or used (sqlalchemy is imported only by commands that need it, so
    that ``--help`` answers at once)."""
    if isinstance(exc, (ModuleNotFoundError, OSError)):
        return True
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.SQLAlchemyError)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        if getattr(args, "json", False):
            print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error of ours
        sys.stderr.close()
        return 0
    except MemoryError:  # one line, never a traceback
        if getattr(args, "json", False):
            print(json.dumps({"error": "out of memory"}))
        print("error: out of memory", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        if not _is_database_error(exc):
            raise
        reason = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        if getattr(args, "json", False):
            print(json.dumps({"error": f"database: {reason}"}, ensure_ascii=False))
        print(f"error: database: {reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
