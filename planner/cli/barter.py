"""`barter`: paid against barter against hybrid, per blogger of a file or placement of a saved campaign."""

from __future__ import annotations

import argparse

from planner.cli.common import CliError, add_workspace_arg, bloggers_for_plan, check_campaign, emit, workspace_access
from planner.core.schema import FORMATS, PLATFORMS


def cmd_barter(args: argparse.Namespace) -> int:
    """Paid against barter against hybrid, per blogger (planner.app.barter, as the Barter page)."""
    from planner.app import barter as use
    if args.campaign is not None:
        from planner.storage import db
        engine = db.get_engine()
        check_campaign(engine, args.campaign, args)
        acc = workspace_access(args, engine)
        try:
            currency = args.currency or use.campaign_currency(engine, args.campaign, access=acc)
            outcome = use.of_campaign(engine, args.campaign, _barter_offer(args, currency), access=acc)
        except use.BarterSourceError as exc:
            raise CliError(f"--campaign: {exc}") from None
    else:
        offer = _barter_offer(args, args.currency or "RUB")
        _engine, frame, _rejected = bloggers_for_plan(args)
        outcome = use.of_bloggers(frame, offer, formats=args.format,
                                  allow_estimated_prices=args.allow_estimated_prices)
    if outcome.empty:
        hint = ("" if args.allow_estimated_prices or args.campaign is not None
                else " (--allow-estimated-prices to value estimated prices ≈)")
        fmt = f" for {args.format}" if args.format else ""
        raise CliError(f"nothing to compare: no blogger has a usable price{fmt}{hint}")
    from planner.core import units
    from planner.planning import barter
    table, tot, offer, currency = outcome.table, outcome.totals, outcome.offer, outcome.currency
    payload = outcome.to_json()
    skipped_handles = payload["skipped"]
    lines = [f"{len(table)} placements: paid {tot['deals']['paid']}, barter {tot['deals']['barter']}, hybrid "
             f"{tot['deals']['hybrid']}; cash saved {tot['cash_saved']:,.0f} {currency}, {tot['units']} units "
             f"(costing {tot['product_cost']:,.0f} {currency} with shipping and packaging), expected published "
             f"posts lost {tot['expected_posts_lost']:.2f}",
             f"  barter cost per deal {offer.barter_cost:,.0f} {currency} (product at cost + shipping + packaging); "
             "acceptance and post rates are estimates (≈) from editable assumptions"]
    for _, r in table.head(50).iterrows():
        fee = ("≈" if r["fee_source"] == "estimate" else " ") + f"{r['fee']:,.0f}"
        lines.append(f"  @{r['handle']:<26} {r['platform']:<9} {r['format']:<6} fee {fee:>11}  accept "
                     f"≈{units.percent(r['acceptance']):3.0f} %  posts ≈{units.percent(r['post_rate']):3.0f} %  "
                     f"per post: barter "
                     f"{r['barter_cost_per_post']:>10,.0f} hybrid {r['hybrid_cost_per_post']:>10,.0f}  -> "
                     f"{barter.reason_text(r, 'en', currency)}")
    if len(table) > 50:
        lines.append(f"  ... and {len(table) - 50} more (use --json)")
    if skipped_handles:
        lines.append(f"  not compared: {len(skipped_handles)} (" + ", ".join(
            f"@{x['handle']}: {x['reason']}" for x in skipped_handles[:5]) + (", ..." if len(skipped_handles) > 5
                                                                               else "") + ")")
    emit(args, payload, "\n".join(lines))
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


def add_parser(sub) -> None:
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
    add_workspace_arg(xp)
    xp.set_defaults(func=cmd_barter)
