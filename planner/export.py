"""Export bloggers with canonical columns to CSV or XLSX, safe to open in a spreadsheet."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from planner.schema import EXPORT_COLUMNS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical export columns: engagement_rate and credibility in percent, text cells neutralised."""
    out = pd.DataFrame(index=frame.index)
    for col in EXPORT_COLUMNS:
        out[col] = frame[col] if col in frame else pd.NA
    out["followers"] = pd.to_numeric(out["followers"], errors="coerce").round().astype("Int64")
    for col in ("avg_views", "avg_likes", "avg_comments", "price_post", "price_story", "price_video"):
        out[col] = pd.to_numeric(out[col], errors="coerce").round(2)
    out["engagement_rate"] = pd.to_numeric(out["engagement_rate"], errors="coerce").round(3)
    out["credibility"] = (pd.to_numeric(out["credibility"], errors="coerce") * 100).round(1)
    out["accepts_barter"] = out["accepts_barter"].astype("boolean")
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith(("string", "str")):
            out[col] = out[col].astype(object).map(neutralise)
    return out.reset_index(drop=True)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark so that Excel opens Cyrillic text correctly."""
    return export_frame(frame).to_csv(index=False).encode("utf-8-sig")


def _xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per frame: header frozen, filters on, text never run as formulas."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xw:
        for name, data in sheets.items():
            data.replace({np.nan: None}).to_excel(xw, sheet_name=name, index=False)
            ws = xw.sheets[name]
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, len(data), max(len(data.columns) - 1, 0))
            for i, col in enumerate(data.columns):
                ws.set_column(i, i, max(10, min(30, len(str(col)) + 2)))
    return buf.getvalue()


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "bloggers") -> bytes:
    return _xlsx({sheet: export_frame(frame)})


def _write_atomic(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(payload)
    tmp.replace(path)


def write(frame: pd.DataFrame, path: str | Path) -> int:
    """Write CSV or XLSX by the file's extension. Returns rows written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = to_csv_bytes(frame)
    elif suffix in (".xlsx", ".xlsm"):
        data = to_xlsx_bytes(frame)
    else:
        raise ValueError(f"unsupported export format {suffix!r}: use .csv or .xlsx")
    _write_atomic(path, data)
    return len(frame)


PLAN_COLUMNS = ("handle", "platform", "format", "tier", "followers", "cost", "price_source", "reach", "reach_source",
                "unique_reach_added", "impressions", "cpm_unique", "fit", "pool")


def plan_frame(result) -> pd.DataFrame:
    """A plan's placements with canonical columns (planner.plan.PlanResult)."""
    rows = result.placements
    out = pd.DataFrame({c: rows[c] for c in PLAN_COLUMNS if c in rows})
    for col in ("cost", "reach", "unique_reach_added", "impressions", "cpm_unique"):
        out[col] = pd.to_numeric(out[col], errors="coerce").round(2)
    out["fit"] = out["fit"].round(4)
    for col in ("handle", "pool", "format", "platform", "tier", "price_source", "reach_source"):
        if col in out:
            out[col] = out[col].astype(object).map(neutralise)
    return out


def write_plan(result, path: str | Path) -> int:
    path = Path(path)
    data = plan_frame(result)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        payload = data.to_csv(index=False).encode("utf-8-sig")
    elif suffix == ".xlsx":
        totals = pd.DataFrame(list(result.totals.items()), columns=["metric", "value"])
        payload = _xlsx({"plan": data, "totals": totals})
    else:
        raise ValueError(f"unsupported plan format {suffix!r}: use .csv or .xlsx")
    _write_atomic(path, payload)
    return len(data)
