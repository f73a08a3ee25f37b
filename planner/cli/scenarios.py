"""`scenarios sweep`: plans of a brief at many budgets, with P10 / P50 / P90 bands and the flattening point."""

from __future__ import annotations

import argparse

from planner.cli.common import CliError, amounts_text, check_campaign, emit, workspace_access
from planner.cli.plan import add_brief_args, plan_inputs


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
        check_campaign(db.get_engine(), args.campaign, args)
    brief, frame, _rejected = plan_inputs(args)
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
    from planner.app import scenarios as use
    errors = None
    engine = None
    if not args.no_history and not args.bloggers:
        from planner.storage import db
        engine = db.get_engine()
        errors = use.forecast_errors(engine, exclude=args.campaign, access=workspace_access(args, engine))
    try:
        outcome = use.sweep(frame, scenario, errors=errors, time_limit=args.time_limit)
    except (plan.BriefError, scen.ScenarioError, optimiser.Infeasible) as exc:
        raise CliError(amounts_text(exc, brief.currency)) from None
    payload = outcome.to_json()
    if args.save:
        from planner.campaigns import scenarios as saved
        from planner.storage import db
        engine = engine or db.get_engine()
        try:
            payload["scenario_id"] = use.save(engine, args.campaign, outcome.result, args.save,
                                              access=workspace_access(args, engine))
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
    emit(args, payload, "\n".join(lines))
    return 0


def add_parser(sub) -> None:
    sp = sub.add_parser("scenarios", help="what-if scenarios: the budget sweep")
    what = sp.add_subparsers(dest="what", required=True)
    sw = what.add_parser("sweep", help="plans at many budgets with P10/P50/P90 bands and the flattening point")
    add_brief_args(sw)
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

