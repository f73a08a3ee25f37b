"""`goals` and `results import | baseline | report`: a campaign's business goals, its results, its sales series and
the report against the goals."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner.cli.common import CliError, add_workspace_arg, check_campaign, emit, workspace_access


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
    check_campaign(engine, args.campaign, args)
    acc = workspace_access(args, engine)
    current = goals_mod.load_goals(engine, args.campaign, access=acc)
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
    if changed:  # from the goals read above: a save made meanwhile elsewhere is refused, not undone
        try:
            goals_mod.save_goals(engine, args.campaign, updated, base=current, access=acc)
        except goals_mod.GoalError as exc:
            raise CliError(str(exc)) from None
    payload = {"campaign": args.campaign, "changed": changed, **updated.to_dict()}
    lines = [f"campaign {args.campaign}: primary goal {updated.primary or '-'}; margin "
             f"{'-' if updated.margin_pct is None else f'{updated.margin_pct:g} %'}; uplift {updated.uplift_pct:g} % "
             f"on code and link sales; {updated.roi_text}"]
    for kind, target in updated.targets:
        sign = "<=" if goals_mod.TARGET_KINDS[kind].direction == "max" else ">="
        lines.append(f"  {kind} {sign} {target:,.4g}")
    emit(args, payload, "\n".join(lines))
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
    """results import | baseline | report (planner.app.results, as the Results page)."""
    from planner import ingest
    from planner.app import results as use
    from planner.campaigns import results
    from planner.storage import db
    engine = db.get_engine()
    check_campaign(engine, args.campaign, args)
    acc = workspace_access(args, engine)
    if args.what == "report":
        rep = use.report(engine, args.campaign, access=acc)
        payload = rep.to_json()
        if args.out:
            from planner.reporting import results_export
            try:
                results_export.write(rep, args.out)
            except ValueError as exc:
                raise CliError(str(exc)) from None
            payload["out"] = args.out
        emit(args, payload, _report_text(payload))
        return 0
    path, data = _read_upload(args.file)
    try:
        if args.what == "import":
            # amounts in another currency than the campaign's: converted at the default rates (as the report's)
            preview = use.preview_results(engine, args.campaign, data, path.name, overrides=_result_maps(args.map),
                                          sheet=args.sheet, access=acc)
        else:
            sales = use.preview_sales(data, path.name, controls=args.control,
                                      overrides=_result_maps_sales(args.map), sheet=args.sheet)
    except (results.ResultsFileError, ingest.UnreadableFile) as exc:
        raise CliError(f"{path.name}: {exc}") from None
    if args.what == "import":
        done = use.import_results(engine, args.campaign, preview, source=f"import:{path.name}", dry_run=args.dry_run,
                                  access=acc)
        payload = done.to_json()
        tot = preview.totals
        lines = [f"rows read {preview.rows_read}, matched {preview.matched} ({done.inserted} new, {done.updated} "
                 f"updated), unmatched {tot['unmatched']}, refused {tot['refused_rows']} rows"
                 + (" (dry run, nothing written)" if args.dry_run else "")]
        lines += [f"  unmatched: row {u['row']}, {u['handle']}" + (f" ({u['platform']})" if u.get("platform") else "")
                  + ": not in the campaign" for u in preview.unmatched[:20]]
        lines += [f"  refused: row {r.row}, column {r.column!r}: {r.reason}" for r in preview.rejected[:20]]
        lines += [f"  note: row {r.row}, column {r.column!r}: {r.reason}" for r in preview.notes[:20]]
        lines += _group_lines(preview.groups, tot, preview.unmatched, preview.rejected, preview.notes)
        emit(args, payload, "\n".join(lines))
        return 0
    stored = use.store_sales(engine, args.campaign, sales, unit=args.unit, dry_run=args.dry_run, access=acc)
    payload = stored.to_json()
    lines = [f"{payload['days']} days of {stored.unit} from {payload['first_day']} to {payload['last_day']}"
             + (f", regions {', '.join(payload['regions'])} (control: {', '.join(payload['controls']) or '-'})"
                if any(payload["regions"]) else "")
             + f"; refused {sales.totals['refused_rows']} rows"
             + (" (dry run, nothing written)" if args.dry_run else "")]
    lines += [f"  refused: row {r.row}, column {r.column!r}: {r.reason}" for r in sales.rejected[:20]]
    lines += _group_lines(sales.groups, sales.totals, [], sales.rejected, [])
    emit(args, payload, "\n".join(lines))
    return 0


def _group_lines(groups: list[Any], totals: dict[str, int], unmatched: list[Any], rejected: list[Any],
                 notes: list[Any]) -> list[str]:
    """When more rows were refused, noted or unmatched than are listed above (20 each): all of them counted by
    column and reason."""
    if (totals.get("rejected", 0) <= min(20, len(rejected)) and totals.get("notes", 0) <= min(20, len(notes))
            and totals.get("unmatched", 0) <= min(20, len(unmatched))):
        return []
    lines = ["  in all (the first rows are listed above; --json lists the first 100 of each):"]
    if totals.get("unmatched", 0) > min(20, len(unmatched)):
        lines.append(f"    {totals['unmatched']:,} rows not in the campaign")
    lines += [f"    {g.count:,} {'refused' if g.kind == 'refused' else 'noted'} at column {g.column!r}: "
              f"{g.code} (first: row {g.first.row}, {g.first.reason})" for g in groups]
    return lines


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


def add_parsers(sub) -> None:
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
    add_workspace_arg(gp)
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
        add_workspace_arg(w)
        w.set_defaults(func=cmd_results)

