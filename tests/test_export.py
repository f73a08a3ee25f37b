import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.core.schema import EXPORT_COLUMNS
from planner.reporting import export


def _frame():
    return pd.DataFrame({
        "handle": ["=cmd|' /C calc'!A0", "plain", "@at", "+plus"],
        "name": ["-minus", "Имя", None, "ok"],
        "platform": ["instagram"] * 4,
        "followers": [1000, 2000, 3000, 4000],
        "engagement_rate": [3.5, 2.0, None, 1.0],
        "er_basis": ["followers"] * 4,
        "credibility": [0.82, 0.5, None, 1.0],
        "price_post": [100.0, None, 5.5, -3.0],
        "currency": ["RUB"] * 4,
        "accepts_barter": [True, False, None, True],
    })


def test_export_frame_has_canonical_columns_and_percent():
    out = export.export_frame(_frame())
    assert list(out.columns) == list(EXPORT_COLUMNS)  # every stored field, no estimate columns without flags
    assert out["credibility"].tolist()[:2] == [82.0, 50.0]
    assert out["engagement_rate"].iloc[0] == 3.5


def test_estimates_go_in_their_own_columns_never_in_the_data():
    from planner.estimates import metrics
    enriched = metrics.enrich(_frame())
    out = export.export_frame(enriched)
    assert out["price_post"].isna().tolist() == [False, True, False, False]  # the missing quote stays missing
    assert out["estimated_price_post"].notna().tolist() == [False, True, False, False]
    assert out["engagement_rate"].iloc[2] is pd.NA or pd.isna(out["engagement_rate"].iloc[2])
    assert pd.notna(out["estimated_engagement_rate"].iloc[2])
    assert out["estimated_credibility"].iloc[2] == pytest.approx(100 * enriched["credibility"].iloc[2])
    bare = export.export_frame(enriched, estimates=False)
    assert not [c for c in bare.columns if c.startswith("estimated_")]
    assert bare["price_post"].isna().tolist() == [False, True, False, False]


def test_formula_cells_neutralised_in_csv():
    text = export.to_csv_bytes(_frame()).decode("utf-8-sig")
    rows = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert rows["handle"].tolist() == ["'=cmd|' /C calc'!A0", "plain", "'@at", "'+plus"]
    assert rows["name"].tolist()[0] == "'-minus"
    assert rows["name"].tolist()[1] == "Имя"
    # numbers stay numbers (a negative price is not text)
    assert float(rows["price_post"].iloc[3]) == -3.0


def test_xlsx_cells_are_text_as_they_are_not_formulas(tmp_path):
    path = tmp_path / "out.xlsx"
    assert export.write(_frame(), path) == 4
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert header == list(EXPORT_COLUMNS)
    handle = ws.cell(row=2, column=1)
    assert handle.data_type == "s" and handle.value == "=cmd|' /C calc'!A0"  # a text cell, no apostrophe added


def test_unknown_extension_refused(tmp_path):
    import pytest

    with pytest.raises(ValueError):
        export.write(_frame(), tmp_path / "x.pdf")
