"""`plan`: an optimal media plan for a budget; the brief flags it shares with `scenarios sweep` (add_brief_args,
read back by plan_inputs)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner.cli.common import (
    CliError,
    add_workspace_arg,
    amounts_text,
    bloggers_for_plan,
    emit,
    on_error,
    quiet_imports,
    workspace_access,
)
from planner.core.schema import BRIEF_CATEGORIES, FORMATS, PLATFORMS


def plan_inputs(args: argparse.Namespace):
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
    from planner.core.units import fraction
    from planner.estimates.benchmarks import FRAUD_THRESHOLD

    cred = FRAUD_THRESHOLD if args.min_credibility is None else fraction(args.min_credibility)
    if cred is None:
        raise CliError("--min-credibility must be a share from 0 to 1 or a percent from 0 to 100")
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
                           min_credibility=cred, include_unknown_credibility=args.include_unknown_credibility,
                           max_share=args.max_share, category=args.category,
                           allow_packages=args.packages, reach_weight=args.reach_weight, platform_bounds=bounds,
                           allow_estimated_prices=args.allow_estimated_prices, niche_mode=args.niche_mode,
                           keywords=tuple(args.keyword), pool_sizes=pool_sizes, **_product_budget(args))
    except plan.BriefError as exc:
        raise CliError(str(exc)) from None
    engine, frame, rejected = bloggers_for_plan(args)
    handles = {h.lstrip("@").lower() for h in args.must}
    ids_in = frame.loc[frame["handle"].str.lower().isin(handles), "id"].astype(int).tolist()
    unknown = handles - set(frame["handle"].str.lower().tolist()) if handles else set()
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
        acc = workspace_access(args, engine)
        spec, frame = lists.upload(engine, frame, name=Path(args.bloggers).name, on_new=on_error(args), access=acc)
        brief = dataclasses.replace(brief, bloggers=spec)  # frame: the list as lists.bloggers_for reads it back
    return brief, frame, rejected


def cmd_plan(args: argparse.Namespace) -> int:
    with quiet_imports():  # the domain, at once: the collector left out (planner.cli.common.quiet_imports)
        from planner import ingest  # noqa: F401 - plan_inputs reads --bloggers with it
        from planner.app import planning
        from planner.core import units
        from planner.planning import optimiser, plan
        from planner.storage import db  # noqa: F401 - plan_inputs opens the database with it
    brief, frame, rejected = plan_inputs(args)
    try:
        outcome = planning.make_plan(frame, brief, time_limit=args.time_limit)
    except (plan.BriefError, optimiser.Infeasible) as exc:
        raise CliError(amounts_text(exc, brief.currency)) from None
    result, cands, sol, seconds = outcome.result, outcome.candidates, outcome.solution, outcome.seconds
    rows = result.placements
    t = result.totals
    payload = {**outcome.to_json(), "rows_rejected": len(rejected)}
    if args.out:
        from planner.reporting import export
        export.write_plan(result, args.out)
        payload["out"] = args.out
    if args.save is not None:
        payload["campaign_id"] = _save_plan(args, outcome)
    lines = [f"{len(rows)} placements, {t['bloggers']} bloggers: cost {t['cost']:,.0f} "
             f"{brief.currency} of {brief.budget:,.0f}; unique reach {t['unique_reach']:,.0f}, "
             f"impressions {t['impressions']:,.0f}; objective {sol.objective:.4f}, "
             f"bound {sol.upper_bound:.4f}: {plan.status_text(t)}; {seconds:.2f} s"]
    if brief.budget > t["absorbable"] > 0:
        lines.append(f"  the list can take at most {t['absorbable']:,.0f} {brief.currency} (every blogger in their "
                     "dearest placement): the rest of the budget stays unspent")
    if t["estimated_cost"] > 0:
        share = units.percent(t["estimated_cost_share"])
        lines.append(f"  ≈ {t['estimated_cost']:,.0f} {brief.currency} ({share:.0f} % of the cost) at estimated prices "
                     "(--allow-estimated-prices)")
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
    emit(args, payload, "\n".join(lines))
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


def _save_plan(args: argparse.Namespace, outcome) -> int:
    """Save the plan as a campaign (--save NAME); its id. The campaign keeps its brief whole, the list it planned
    on included (a plan on a file links each placement to the database's blogger of the same platform and handle,
    when there is one: planner.campaigns.lists.with_ids)."""
    from planner.app import planning
    from planner.storage import db
    name = (args.save or "").strip()
    if not name:
        raise CliError("--save needs a campaign name")
    engine = db.get_engine()
    return planning.save(engine, outcome, name, access=workspace_access(args, engine))


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


def add_brief_args(p: argparse.ArgumentParser) -> None:
    """The brief flags of `plan`, shared by `scenarios sweep` (read back by plan_inputs)."""
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
    p.add_argument("--include-unknown-credibility", action="store_true",
                   help="bloggers without credibility data pass --min-credibility (their credibility is an estimate)")
    p.add_argument("--max-share", type=float, help="maximum share of the budget on one blogger")
    p.add_argument("--category", choices=BRIEF_CATEGORIES,
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
    add_workspace_arg(p)
    p.add_argument("--product-units", type=int, metavar="N",
                   help="a product budget for barter and hybrid deals: units available (a mixed plan)")
    p.add_argument("--product-cost", type=float, metavar="C", help="the product's cost price per unit")
    p.add_argument("--retail", type=float, metavar="R", help="the product's retail value per unit")
    p.add_argument("--shipping", type=float, default=0.0, metavar="S", help="shipping per parcel (product cost)")


def add_parser(sub) -> None:
    pp = sub.add_parser("plan", help="build an optimal media plan for a budget")
    add_brief_args(pp)
    pp.add_argument("--out", help="also write the plan to FILE.csv or FILE.xlsx")
    pp.add_argument("--save", metavar="NAME", help="also save the plan as a campaign (prints its campaign_id)")
    pp.add_argument("--json", action="store_true")
    pp.set_defaults(func=cmd_plan)
