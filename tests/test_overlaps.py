"""A measured-overlap file (planner.planning.plan.read_overlaps) is read by the importer's reader
(planner.ingest.read_table): any common encoding and delimiter, workbooks, title rows, its size limits; a bad
value is still refused with its spreadsheet row and column."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from planner.ingest import reading
from planner.planning import plan


def _bloggers() -> pd.DataFrame:
    return pd.DataFrame({"id": [11, 12, 13, 14], "handle": ["анна_бьюти", "ivan.cars", "b2", "b3"]})


def test_cp1251_semicolon_csv_with_a_title_row():
    text = ("Пересечения аудиторий, март\n"
            "Блогер 1;Блогер 2;Пересечение\n"
            "@Анна_Бьюти;ivan.cars;35 %\n"
            "b2;b3;12,5 %\n"
            "b2;nobody;50 %\n")
    pairs = plan.read_overlaps(text.encode("cp1251"), "пересечения.csv", _bloggers())
    assert pairs[["id_a", "id_b"]].values.tolist() == [[11, 12], [13, 14]]  # the unknown blogger's pair is skipped
    assert pairs["overlap"].round(4).tolist() == [0.35, 0.125]


def test_cp1251_csv_bad_value_names_the_spreadsheet_row_and_column():
    text = "Пересечения аудиторий\nБлогер 1;Блогер 2;Пересечение\nb2;b3;12,5 %\nb2;ivan.cars;много\n"
    with pytest.raises(plan.OverlapError, match=r"row 4, column 'Пересечение': not an overlap share: 'много'"):
        plan.read_overlaps(text.encode("cp1251"), "o.csv", _bloggers())


def _xlsx(rows: list[list[object]], percent_cells: tuple[str, ...] = ()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for ref in percent_cells:
        ws[ref].number_format = "0%"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_overlap_file():
    data = _xlsx([["handle_a", "handle_b", "overlap"], ["анна_бьюти", "@ivan.cars", 0.35], ["b2", "b3", "80 %"]],
                 percent_cells=("C2",))
    pairs = plan.read_overlaps(data, "overlaps.xlsx", _bloggers())
    assert pairs[["id_a", "id_b"]].values.tolist() == [[11, 12], [13, 14]]
    assert pairs["overlap"].round(4).tolist() == [0.35, 0.8]


def test_xlsx_bad_value_names_row_and_column():
    data = _xlsx([["handle_a", "handle_b", "overlap"], ["b2", "b3", 0.4], ["b2", "ivan.cars", "150 %"]])
    with pytest.raises(plan.OverlapError, match=r"row 3, column 'overlap': overlap above 100 %"):
        plan.read_overlaps(data, "overlaps.xlsx", _bloggers())


def test_the_importers_limits_and_refusals_apply(monkeypatch):
    with pytest.raises(plan.OverlapError, match="cannot be read"):
        plan.read_overlaps(b"%PDF-1.4 not a table", "o.csv", _bloggers())
    with pytest.raises(plan.OverlapError, match="needs three columns"):
        plan.read_overlaps(b"handle_a;overlap\nb2;10 %\n", "o.csv", _bloggers())
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 16)
    with pytest.raises(plan.OverlapError, match="cannot be read"):
        plan.read_overlaps(b"handle_a;handle_b;overlap\nb2;b3;10 %\n", "o.csv", _bloggers())
