"""Export bloggers with canonical columns to CSV or XLSX, safe to open in a spreadsheet."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from planner.core.schema import (
    ESTIMATE_PREFIX,
    ESTIMATED_FIELDS,
    EXPORT_COLUMNS,
    FIELD_BY_NAME,
    PERCENT_EXPORT_FIELDS,
)
from planner.core.units import percent

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_frame(frame: pd.DataFrame, *, derived: pd.DataFrame | None = None, estimates: bool = True,
                 safe_text: bool = True) -> pd.DataFrame:
    """Every stored field under its canonical name, with the value as stored (measured or given).

    ``frame`` is the stored data (planner.storage.store.load_bloggers); ``derived`` (optional, same index) is the same
    bloggers enriched by planner.estimates.metrics.enrich: a figure the data lacks and the planner computed or
    estimated is written in its own column ``estimated_<field>`` (left out with ``estimates=False``), never in
    the field's own column, so exporting and importing again stores exactly the same data and never turns an
    estimate into a measurement. ``frame`` may itself be enriched: figures flagged ``<field>_estimated`` are
    then moved out of the data the same way. Credibility is written in percent; ``safe_text`` neutralises
    text a spreadsheet would run as a formula (CSV).
    """
    out = pd.DataFrame(index=frame.index)
    est_cols: dict[str, pd.Series] = {}
    for col in EXPORT_COLUMNS:
        values = frame[col] if col in frame else pd.Series(pd.NA, index=frame.index, dtype=object)
        if col in ESTIMATED_FIELDS:
            flag = f"{col}_estimated"
            if derived is not None and col in derived:
                extra = derived[col].where(values.isna().to_numpy())
            elif flag in frame:
                is_est = frame[flag].astype("boolean").fillna(False).to_numpy(dtype=bool)
                extra = values.where(is_est)
                values = values.where(~is_est)
            else:
                extra = None
            if estimates and extra is not None:
                est_cols[ESTIMATE_PREFIX + col] = extra
        out[col] = values
    for name, values in est_cols.items():
        out[name] = values
    for col in out.columns:
        field = col.removeprefix(ESTIMATE_PREFIX)
        kind = FIELD_BY_NAME[field].kind
        if kind == "int":
            out[col] = pd.to_numeric(out[col], errors="coerce").round().astype("Int64")
        elif kind == "float":
            num = pd.to_numeric(out[col], errors="coerce")
            out[col] = percent(num).round(4) if field in PERCENT_EXPORT_FIELDS else num
        elif kind == "bool":
            out[col] = out[col].astype("boolean")
        else:
            text = out[col].astype(object).where(out[col].notna(), None)
            out[col] = text.map(neutralise) if safe_text else text
    return out.reset_index(drop=True)


def to_csv_bytes(frame: pd.DataFrame, *, derived: pd.DataFrame | None = None, estimates: bool = True) -> bytes:
    """UTF-8 with a byte-order mark so that Excel opens Cyrillic text correctly; formula-like text neutralised."""
    return export_frame(frame, derived=derived, estimates=estimates).to_csv(index=False).encode("utf-8-sig")


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


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "bloggers", *, derived: pd.DataFrame | None = None,
                  estimates: bool = True) -> bytes:
    """Text is written as text cells (never run as a formula), as it is: no apostrophe added to the data."""
    return _xlsx({sheet: export_frame(frame, derived=derived, estimates=estimates, safe_text=False)})


def _write_atomic(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(payload)
    tmp.replace(path)


def write(frame: pd.DataFrame, path: str | Path, *, derived: pd.DataFrame | None = None,
          estimates: bool = True) -> int:
    """Write CSV or XLSX by the file's extension (see :func:`export_frame`). Returns rows written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = to_csv_bytes(frame, derived=derived, estimates=estimates)
    elif suffix in (".xlsx", ".xlsm"):
        data = to_xlsx_bytes(frame, derived=derived, estimates=estimates)
    else:
        raise ValueError(f"unsupported export format {suffix!r}: use .csv or .xlsx")
    _write_atomic(path, data)
    return len(frame)


PLAN_COLUMNS = ("handle", "platform", "format", "deal", "tier", "followers", "cost", "cash_cost", "product_units",
                "product_cost", "expected_posts", "price_source", "reach", "reach_source", "unique_reach_added",
                "impressions", "cpm_unique", "fit", "pool")


def plan_frame(result, *, safe_text: bool = True) -> pd.DataFrame:
    """A plan's placements with canonical columns (planner.planning.plan.PlanResult)."""
    rows = result.placements
    out = pd.DataFrame({c: rows[c] for c in PLAN_COLUMNS if c in rows})
    for col in ("cost", "cash_cost", "product_cost", "expected_posts", "reach", "unique_reach_added", "impressions",
                "cpm_unique"):
        if col in out:
            out[col] = pd.to_numeric(out[col], errors="coerce").round(2)
    out["fit"] = out["fit"].round(4)
    for col in ("handle", "pool", "format", "deal", "platform", "tier", "price_source", "reach_source"):
        if col in out and safe_text:
            out[col] = out[col].astype(object).map(neutralise)
    return out


def write_plan(result, path: str | Path) -> int:
    path = Path(path)
    suffix = path.suffix.lower()
    data = plan_frame(result, safe_text=suffix == ".csv")
    if suffix == ".csv":
        payload = data.to_csv(index=False).encode("utf-8-sig")
    elif suffix == ".xlsx":
        totals = pd.DataFrame(list(result.totals.items()), columns=["metric", "value"])
        payload = _xlsx({"plan": data, "totals": totals})
    else:
        raise ValueError(f"unsupported plan format {suffix!r}: use .csv or .xlsx")
    _write_atomic(path, payload)
    return len(data)
