"""The blogger database: `sample` (a synthetic list), `import` (CSV or XLSX, upsert by platform and handle) and
`export` (canonical columns, estimates apart)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from planner.cli.common import EXIT_BAD_INPUT, CliError, add_workspace_arg, emit, workspace_access
from planner.core.schema import FIELD_NAMES, FLAGS, FORMATS, NICHES, PLATFORMS, TIERS


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
    emit(args, {"rows": len(frame), "out": str(out), "seconds": round(time.perf_counter() - t0, 3)},
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
    from planner.storage import db
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    if args.platform and args.platform not in PLATFORMS:
        raise CliError(f"--platform must be one of {', '.join(PLATFORMS)}")
    overrides = _parse_maps(args.map)
    if path.stat().st_size > ingest.MAX_FILE_BYTES:  # refused before it is read into memory
        raise CliError(f"{path.name}: {ingest.UnreadableFile('file_too_big', limit_mb=ingest.MAX_FILE_BYTES // 2**20)}")
    from planner.app import bloggers as use
    engine = db.get_engine()
    acc = workspace_access(args, engine)
    try:
        preview = use.read_list(engine, path.read_bytes(), path.name, platform=args.platform, overrides=overrides,
                                sheet=args.sheet, access=acc)
    except ingest.UnreadableFile as exc:
        raise CliError(f"{path.name}: {exc}") from None
    if preview.missing_fields:
        raise CliError(f"{path.name}: {ingest.missing_fields_message(preview.missing_fields)}")
    done = use.import_list(engine, preview, filename=path.name, corrections=overrides, strict=args.strict,
                           dry_run=args.dry_run, access=acc)
    payload = done.to_json()
    frame = preview.frame
    if done.strict_refused:
        first = preview.rejected[0]
        emit(args, payload, f"refused (--strict): {preview.refused} rows refused, nothing imported; "
                            f"first: row {first.row}, column {first.column!r}: {first.reason}")
        return EXIT_BAD_INPUT  # bad input exits 2, as every refusal
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
    emit(args, payload, "\n".join(lines))
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
    p.add_argument("--include-unknown-credibility", action="store_true",
                   help="bloggers without credibility data pass --min-credibility (their credibility is an estimate)")
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
    from planner.core.units import fraction
    from planner.estimates.benchmarks import FRAUD_THRESHOLD
    from planner.estimates.catalog import Filters

    if default_credibility is None:
        default_credibility = FRAUD_THRESHOLD
    cred = default_credibility if args.min_credibility is None else fraction(args.min_credibility)
    if cred is None or not 0 <= cred <= 1:
        raise CliError("--min-credibility must be a share from 0 to 1 or a percent from 0 to 100")
    return Filters(platforms=tuple(args.platform), niches=tuple(args.niche), tiers=tuple(args.tier),
                   countries=tuple(args.country), followers_min=args.min_followers, followers_max=args.max_followers,
                   er_min=args.min_er, er_max=args.max_er, min_credibility=cred,
                   include_unknown_credibility=bool(getattr(args, "include_unknown_credibility", False)),
                   barter_only=args.barter,
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
    stored = store.load_bloggers(engine, workspace_id=workspace_access(args, engine).workspace_id)
    cat = Catalog(metrics.enrich(stored))
    # no hidden default: without a filter every blogger is written; the filters used are stated
    filters = filters_from_args(args, default_credibility=0.0)
    idx = cat.select(filters, args.currency)
    n = export.write(stored.iloc[idx], out, derived=cat.frame.iloc[idx], estimates=not args.measured_only)
    from planner.estimates.catalog import Filters

    none = Filters(min_credibility=0.0).to_dict()
    active = {k: v for k, v in filters.to_dict().items() if v != none[k] and k != "price_format"}
    emit(args, {"rows": n, "of": len(cat.frame), "out": str(out), "filters": active,
                "estimates": "left out" if args.measured_only else "in estimated_* columns"},
         f"wrote {n} of {len(cat.frame)} bloggers to {out}"
         + (f" (filters: {', '.join(f'{k}={v}' for k, v in active.items())})" if active else " (no filter)")
         + ("; estimated figures left out" if args.measured_only else "; estimated figures in estimated_* columns"))
    return 0


def add_parsers(sub) -> None:
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
    add_workspace_arg(ip)
    ip.set_defaults(func=cmd_import)

    ep = sub.add_parser("export", help="export bloggers with canonical columns")
    ep.add_argument("--out", required=True)
    ep.add_argument("--measured-only", action="store_true",
                    help="leave out the estimated_* columns (estimates are never written as data anyway)")
    ep.add_argument("--json", action="store_true")
    add_workspace_arg(ep)
    add_filter_args(ep)
    ep.set_defaults(func=cmd_export)
