"""Tests for planner.ingest: reading messy agency spreadsheets into canonical blogger rows."""

from __future__ import annotations

import io
import math
import random
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import ingest
from planner.core import schema
from planner.ingest import (
    ImportPreview,
    Rejection,
    UnreadableFile,
    auto_map,
    normalise,
    parse_number,
    parse_numbers,
    parse_percent,
    preview,
    read_table,
    reading,
)
from planner.ingest import values as ingest_values

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture(params=["csv-module", "arrow"])
def reader(request, monkeypatch):
    """Run a test through both text readers: the csv module and the Arrow fast path (normally
    only used for big files)."""
    if request.param == "arrow":
        monkeypatch.setattr(reading, "_FAST_MIN_BYTES", 0)
    return request.param


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def reasons(pv: ImportPreview) -> list[tuple[int, str, str]]:
    return [(r.row, r.column, r.reason) for r in pv.rejected]


def warned(pv: ImportPreview) -> list[tuple[int, str, str]]:
    return [(r.row, r.column, r.reason) for r in pv.warnings]


# --------------------------------------------------------------------------------------------
# parse_number / parse_numbers
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("12500", 12500.0),
    ("3.25", 3.25),
    ("1.2M", 1_200_000.0),
    ("475.8m", 475_800_000.0),
    ("3,5k", 3_500.0),
    ("35K", 35_000.0),
    ("12 500", 12_500.0),
    ("12\xa0500", 12_500.0),
    ("12\u202f500", 12_500.0),
    ("1 234 567", 1_234_567.0),
    ("12,500", 12_500.0),
    ("3,5", 3.5),
    ("0,825", 0.825),
    ("1,234,567", 1_234_567.0),
    ("1.234.567", 1_234_567.0),
    ("1.234,5", 1_234.5),
    ("1,234.5", 1_234.5),
    ("12 500,75", 12_500.75),
    ("1.234", 1.234),
    ("3,5%", 3.5),
    ("1.39%", 1.39),
    ("12 тыс", 12_000.0),
    ("12 тыс.", 12_000.0),
    ("12тыс", 12_000.0),
    ("1,5 млн", 1_500_000.0),
    ("2 млрд", 2_000_000_000.0),
    ("3к", 3_000.0),
    ("1,2кк", 1_200_000.0),
    ("15 000 ₽", 15_000.0),
    ("$1,200", 1_200.0),
    ("1200 руб.", 1_200.0),
    ("1200 руб", 1_200.0),
    ("1200р.", 1_200.0),
    ("€300", 300.0),
    ("300 EUR", 300.0),
    ("USD 500", 500.0),
    ("15 тыс. руб.", 15_000.0),
    ("~500", 500.0),
    ("≈ 1,2k", 1_200.0),
    ("от 10 000 ₽", 10_000.0),
    ("  42  ", 42.0),
    ("1e5", 100_000.0),
    ("0E+0", 0.0),  # a spreadsheet's scientific form, its exponent signed
    ("1E+3", 1_000.0),
    ("2,5E-2", 0.025),
    ("-5", -5.0),
    ("12'500", 12_500.0),
])
def test_parse_number_messy_forms(text, expected):
    assert parse_number(text) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("text", [
    "", " ", "\xa0", "N/A", "n/a", "NA", "-", "—", "–", "нет данных", "Нет данных", "#VALUE!", "#ЗНАЧ!", "#N/A",
    "#Н/Д", "#DIV/0!", "#ДЕЛ/0!", "null", "None", "н/д", "#REF!",
])
def test_parse_number_missing_tokens_are_none(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["abc", "12abc", "1.2.3", "12,5,6", "1,23,456", "$", "k", "5 ₸", "12.", "15-10",
                                  "1E+99999999999999999999"])
def test_parse_number_garbage_raises(text):
    with pytest.raises(ValueError, match="not a number"):
        parse_number(text)


def test_parse_number_scalars():
    assert parse_number(None) is None
    assert parse_number(float("nan")) is None
    assert parse_number(7) == 7.0
    assert parse_number(2.5) == 2.5


def test_parse_numbers_vectorised():
    values, bad = parse_numbers(pd.Series(["1.2M", "", "abc", "3,5k", None, "N/A", "12 500", "#DIV/0!"]))
    assert values.dtype == np.float64
    assert bad.tolist() == [False, False, True, False, False, False, False, False]
    np.testing.assert_array_equal(values, [1.2e6, np.nan, np.nan, 3500.0, np.nan, np.nan, 12500.0, np.nan])


def test_parse_numbers_accepts_plain_lists_and_numeric_series():
    values, bad = parse_numbers(["1", "2k"])
    assert values.tolist() == [1.0, 2000.0] and not bad.any()
    values, bad = parse_numbers(pd.Series([1.5, np.nan]))
    assert values[0] == 1.5 and np.isnan(values[1]) and not bad.any()


def test_parse_numbers_repeated_values_big_column():
    col = pd.Series(["12 500", "1,2k", "x"] * 20_000)
    values, bad = parse_numbers(col)
    assert values[:3].tolist()[:2] == [12500.0, 1200.0]
    assert bad.sum() == 20_000 and np.isnan(values[2::3]).all()


def test_parse_percent_forms():
    values, bad = parse_percent(pd.Series(["3,5%", "1.39%", "2", ""]))
    np.testing.assert_allclose(values[:3], [3.5, 1.39, 2.0])
    assert np.isnan(values[3]) and not bad.any()


def test_parse_percent_fraction_column():
    values, _ = parse_percent(pd.Series(["0.035", "0,02", "1"]))
    np.testing.assert_allclose(values, [3.5, 2.0, 100.0])


def test_parse_percent_percent_column_without_sign():
    values, _ = parse_percent(pd.Series(["3.5", "0.8"]))
    np.testing.assert_allclose(values, [3.5, 0.8])


def test_parse_percent_forced_reading():
    values, _ = parse_percent(pd.Series(["0.5"]), fractions=False)
    assert values.tolist() == [0.5]
    values, _ = parse_percent(pd.Series(["0.5", "2%"]), fractions=True)
    assert values.tolist() == [50.0, 2.0]


# --------------------------------------------------------------------------------------------
# Hypothesis properties of the number parser
# --------------------------------------------------------------------------------------------

def _group(int_part: int, sep: str) -> str:
    return f"{int_part:,}".replace(",", sep)


@st.composite
def formatted_numbers(draw) -> tuple[str, float]:
    """A non-negative number written in one of the supported styles, and its value."""
    style = draw(st.sampled_from([
        "plain", "plain_decimal", "space", "nbsp", "narrow_nbsp", "comma_thousands", "dot_thousands",
        "decimal_comma", "k", "m", "percent", "price",
    ]))
    whole = draw(st.integers(0, 10**12))
    cents = draw(st.integers(0, 99))
    frac = f"{cents:02d}".rstrip("0") or "0"
    with_frac = draw(st.booleans())
    value = whole + (cents / 100 if with_frac else 0)
    if style == "plain":
        return str(whole), float(whole)
    if style == "plain_decimal":
        return f"{whole}.{cents:02d}", whole + cents / 100
    if style in ("space", "nbsp", "narrow_nbsp"):
        sep = {"space": " ", "nbsp": "\xa0", "narrow_nbsp": "\u202f"}[style]
        return _group(whole, sep) + (f",{frac}" if with_frac else ""), whole + (int(frac) / 10 ** len(frac)
                                                                                if with_frac else 0)
    if style == "comma_thousands":
        return _group(whole, ",") + (f".{cents:02d}" if with_frac else ""), value
    if style == "dot_thousands":
        grouped = _group(whole, ".")
        if with_frac or whole >= 1_000_000:
            return grouped + (f",{cents:02d}" if with_frac else ""), value
        return grouped + f",{cents:02d}", whole + cents / 100
    if style == "decimal_comma":
        return f"{whole}," + frac, whole + int(frac) / 10 ** len(frac)
    if style == "k":  # thousands with at most two decimals: exact
        hundreds = draw(st.integers(0, 10**9))
        text = f"{hundreds * 10 / 1000:.2f}".rstrip("0").rstrip(".")
        text = text.replace(".", draw(st.sampled_from([".", ","])))
        return text + draw(st.sampled_from(["K", "k", "к", " тыс.", "тыс", " K"])), hundreds * 10.0
    if style == "m":
        tens_k = draw(st.integers(0, 10**6))
        text = f"{tens_k * 10_000 / 1e6:.2f}".rstrip("0").rstrip(".")
        text = text.replace(".", draw(st.sampled_from([".", ","])))
        return text + draw(st.sampled_from(["M", "m", " млн", "млн."])), tens_k * 10_000.0
    if style == "percent":
        pct = draw(st.integers(0, 100))
        text = f"{pct}" + (f".{cents:02d}" if with_frac else "")
        text = text.replace(".", draw(st.sampled_from([".", ","])))
        return text + draw(st.sampled_from(["%", " %"])), pct + (cents / 100 if with_frac else 0)
    # price with a currency sign or code
    amount = draw(st.integers(0, 10**9))
    pattern = draw(st.sampled_from(["{} ₽", "${}", "€{}", "USD {}", "{} руб.", "{}р", "{} EUR"]))
    return pattern.format(_group(amount, draw(st.sampled_from([" ", "\xa0", ",", ""])))), float(amount)


@settings(max_examples=300, deadline=None)
@given(formatted_numbers())
def test_formatted_number_round_trips(case):
    text, value = case
    parsed = parse_number(text)
    assert parsed is not None and math.isclose(parsed, value, rel_tol=1e-9, abs_tol=1e-9), (text, parsed, value)


@settings(max_examples=200, deadline=None)
@given(st.lists(formatted_numbers(), min_size=1, max_size=12))
def test_formatted_numbers_round_trip_vectorised(cases):
    values, bad = parse_numbers(pd.Series([t for t, _ in cases]))
    assert not bad.any()
    np.testing.assert_allclose(values, [v for _, v in cases], rtol=1e-9, atol=1e-9)


_MESSY_PIECES = st.sampled_from(list("0123456789 .,-+%$€₽~≈kKmMкт\xa0\u202f'#/!NnAaрубe") + ["тыс", "млн", "руб."])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), st.lists(_MESSY_PIECES, max_size=10).map("".join)),
                min_size=1, max_size=6))
@pytest.mark.slow
def test_parse_numbers_never_raises_and_agrees_with_scalar(texts):
    values, bad = parse_numbers(pd.Series(texts, dtype=object))
    assert len(values) == len(bad) == len(texts)
    for text, v, b in zip(texts, values, bad, strict=True):
        if b:
            with pytest.raises(ValueError):
                parse_number(text)
            assert np.isnan(v)
        else:
            scalar = parse_number(text)
            assert (scalar is None and np.isnan(v)) or scalar == v, (text, scalar, v)


# --------------------------------------------------------------------------------------------
# auto_map
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("header", "field"), [
    ("Followers", "followers"), ("Подписчики", "followers"), ("подписчиков", "followers"),
    ("Subscribers", "followers"), ("Аудитория", "followers"), ("Кол-во подписчиков", "followers"),
    ("Подписчики, тыс.", "followers"), ("  ПОДПИСЧИКИ\n", "followers"),
    ("Reach", "avg_reach"), ("Охват", "avg_reach"), ("Avg reach", "avg_reach"), ("Средний охват", "avg_reach"),
    ("Охват сторис", "avg_story_reach"), ("Stories reach", "avg_story_reach"),
    ("Views", "avg_views"), ("Просмотры", "avg_views"), ("Ср. просмотры", "avg_views"),
    ("ER", "engagement_rate"), ("ER, %", "engagement_rate"), ("Вовлеченность", "engagement_rate"),
    ("Вовлечённость", "engagement_rate"), ("Engagement rate", "engagement_rate"), ("ERR", "engagement_rate"),
    ("Price", "price_post"), ("Цена", "price_post"), ("Стоимость", "price_post"),
    ("Стоимость поста", "price_post"), ("Прайс", "price_post"), ("Цена поста, руб.", "price_post"),
    ("Story price", "price_story"), ("Сторис", "price_story"), ("Цена сторис", "price_story"),
    ("Reels", "price_short"), ("Shorts price", "price_short"), ("Клип", "price_short"),
    ("Integration", "price_video"), ("Интеграция", "price_video"), ("Видео", "price_video"),
    ("Стоимость интеграции", "price_video"),
    ("Handle", "handle"), ("Username", "handle"), ("Ник", "handle"), ("Аккаунт", "handle"), ("Логин", "handle"),
    ("Link", "handle"), ("Ссылка", "handle"), ("URL", "handle"), ("Ссылка на профиль", "handle"),
    ("Name", "name"), ("Имя", "name"), ("Блогер", "name"), ("Название", "name"), ("Имя блогера", "name"),
    ("Platform", "platform"), ("Площадка", "platform"), ("Соцсеть", "platform"), ("Платформа", "platform"),
    ("Niche", "niches"), ("Тематика", "niches"), ("Категория", "niches"), ("Ниша", "niches"),
    ("Country", "country"), ("Страна", "country"), ("City", "city"), ("Город", "city"),
    ("Language", "language"), ("Язык", "language"),
    ("Likes", "avg_likes"), ("Лайки", "avg_likes"), ("Comments", "avg_comments"), ("Комментарии", "avg_comments"),
    ("Credibility", "credibility"), ("Качество аудитории", "credibility"), ("Real followers", "credibility"),
    ("Живые подписчики", "credibility"), ("AQS", "credibility"),
    ("Gender female share", "audience_female"), ("Женщины", "audience_female"), ("% женщин", "audience_female"),
    ("18-24", "audience_age_18_24"), ("Возраст 25–34, %", "audience_age_25_34"), ("45+", "audience_age_45_plus"),
    ("Barter", "accepts_barter"), ("Бартер", "accepts_barter"), ("Мин. бартер", "barter_min_value"),
    ("Contact", "contact"), ("Контакт", "contact"), ("Email", "contact"), ("Telegram", "contact"),
    ("Currency", "currency"), ("Валюта", "currency"),
    ("Дата обновления", "updated_at"), ("Updated", "updated_at"),
    ("Мат", "flag_profanity"), ("Реклама конкурентов", "flag_competitor_ads"), ("Алкоголь", "ad_alcohol"),
    ("ER basis", "er_basis"),
    ("price_post", "price_post"), ("avg_story_reach", "avg_story_reach"), ("deals_cancelled", "deals_cancelled"),
])
def test_auto_map_synonyms(header, field):
    assert auto_map([header]) == {header: field}


@pytest.mark.parametrize("header", ["Комментарий", "Notes", "Примечание", "№", "ID", ""])
def test_auto_map_ignores_unknown_headers(header):
    assert auto_map([header]) == {header: None}


def test_auto_map_never_maps_two_headers_to_one_field():
    mapping = auto_map(["Цена", "Стоимость поста", "Подписчики, тыс.", "Подписчики", "Охват"])
    assert mapping == {"Цена": "price_post", "Стоимость поста": None, "Подписчики, тыс.": "followers",
                       "Подписчики": None, "Охват": "avg_reach"}
    fields = [f for f in mapping.values() if f]
    assert len(fields) == len(set(fields))


def test_auto_map_exact_synonym_beats_partial_match():
    # "Стоимость размещения у блогера" matches price_post only partially; "Цена" is exact.
    mapping = auto_map(["Стоимость размещения у блогера", "Цена"])
    assert mapping == {"Стоимость размещения у блогера": None, "Цена": "price_post"}


def test_auto_map_remembered_overrides_guess():
    mapping = auto_map(["Аудитория", "Subs", "Заметки"],
                       remembered={"аудитория": None, "SUBS": "followers", "Заметки": "contact"})
    assert mapping == {"Аудитория": None, "Subs": "followers", "Заметки": "contact"}


def test_auto_map_remembered_unknown_field_is_ignored():
    assert auto_map(["Foo"], remembered={"Foo": "no_such_field"}) == {"Foo": None}


def test_auto_map_only_returns_schema_fields():
    headers = ["Ник", "Подписчики", "ER", "Цена", "Сторис", "Reels", "Видео", "Город", "Язык", "Бартер"]
    assert set(auto_map(headers).values()) <= set(schema.FIELD_NAMES)


# --------------------------------------------------------------------------------------------
# read_table
# --------------------------------------------------------------------------------------------

def test_read_table_plain_csv_row_numbers(reader):
    raw = read_table(csv_bytes("handle,followers\nanna,100\nboris,200\n"))
    assert list(raw.columns) == ["handle", "followers"]
    assert raw.index.name == "row" and raw.index.tolist() == [2, 3]
    assert raw.attrs["header_row"] == 1 and raw.attrs["delimiter"] == ","
    assert raw["followers"].tolist() == ["100", "200"]


def test_read_table_blank_lines_keep_row_numbers(reader):
    text = "handle;followers\r\n\r\nanna;100\r\n;;\r\n   \r\nboris;200\r\n\r\n"
    raw = read_table(csv_bytes(text))
    assert raw.index.tolist() == [3, 6]
    assert raw["handle"].tolist() == ["anna", "boris"]


def test_read_table_cp1251_semicolon_decimal_comma(reader):
    text = "Ник;Подписчики;ER;Цена поста\nанна_блог;12 500;3,5;15 000 руб.\nборис;1,2 млн;0,8;\n"
    raw = read_table(csv_bytes(text, "cp1251"), "agency.csv")
    assert raw.attrs["encoding"] == "cp1251" and raw.attrs["delimiter"] == ";"
    assert list(raw.columns) == ["Ник", "Подписчики", "ER", "Цена поста"]
    assert raw.iloc[0].tolist() == ["анна_блог", "12 500", "3,5", "15 000 руб."]
    pv = preview(csv_bytes(text, "cp1251"), "agency.csv", platform="instagram")
    assert pv.frame["followers"].tolist() == [12_500, 1_200_000]
    assert pv.frame["engagement_rate"].tolist() == [3.5, 0.8]
    assert pv.frame["price_post"].iloc[0] == 15_000.0 and np.isnan(pv.frame["price_post"].iloc[1])
    assert pv.frame["currency"].tolist() == ["RUB", "RUB"]


def test_read_table_utf8_bom(reader):
    raw = read_table(b"\xef\xbb\xbf" + "Ник,Подписчики\nanna,10\n".encode())
    assert list(raw.columns) == ["Ник", "Подписчики"] and raw.attrs["encoding"] == "utf-8-sig"


def test_read_table_utf16_with_bom():
    raw = read_table("Ник\tПодписчики\r\nanna\t10\r\n".encode("utf-16"))
    assert list(raw.columns) == ["Ник", "Подписчики"] and raw["Подписчики"].tolist() == ["10"]


def test_read_table_tab_separated(reader):
    raw = read_table(csv_bytes("handle\tfollowers\tniche\nanna\t1,2k\tбьюти, мода\n"), "x.tsv")
    assert raw.attrs["delimiter"] == "\t"
    assert raw.iloc[0].tolist() == ["anna", "1,2k", "бьюти, мода"]


def test_read_table_quoted_fields_with_delimiters_and_newlines(reader):
    text = 'handle,followers,contact\n"anna","12,500","a@b.ru,\nтелеграм @anna"\nboris,300,x\n'
    raw = read_table(csv_bytes(text))
    assert raw.index.tolist() == [2, 3]  # the quoted line break stays inside row 2, as in Excel
    assert raw.iloc[0].tolist() == ["anna", "12,500", "a@b.ru,\nтелеграм @anna"]
    assert raw.iloc[1].tolist() == ["boris", "300", "x"]


def test_read_table_header_cleanup_and_duplicates(reader):
    text = '"Подписчики,\nтыс.";Ник;Имя\xa0 блогера ;Ник;;Ник (2)\n12;anna;Анна;anna2;;z\n'
    raw = read_table(csv_bytes(text))
    assert list(raw.columns) == ["Подписчики, тыс.", "Ник", "Имя блогера", "Ник (2)", "Ник (2) (2)"]
    assert raw.iloc[0].tolist() == ["12", "anna", "Анна", "anna2", "z"]


def test_read_table_unnamed_column_with_data_is_kept(reader):
    raw = read_table(csv_bytes("handle,,followers,\nanna,note,10,\n"))
    assert list(raw.columns) == ["handle", "Column 2", "followers"]


def test_read_table_leading_title_rows(reader):
    text = "Медиаплан блогеров;;\nвыгрузка от 01.03.2025;;\n;;\nНик;Подписчики;Город\nanna;100;Москва\n"
    raw = read_table(csv_bytes(text))
    assert raw.attrs["header_row"] == 4
    assert list(raw.columns) == ["Ник", "Подписчики", "Город"]
    assert raw.index.tolist() == [5]


def test_read_table_ragged_rows_are_padded(reader):
    raw = read_table(csv_bytes("handle,followers,city\nanna,10\nboris,20,Москва,extra\n"))
    assert list(raw.columns) == ["handle", "followers", "city", "Column 4"]
    assert raw.loc[2].tolist() == ["anna", "10", "", ""]
    assert raw.loc[3].tolist() == ["boris", "20", "Москва", "extra"]


def test_read_table_excel_sep_line(reader):
    raw = read_table(csv_bytes("sep=;\nhandle;followers\nanna;1,5\n"))
    assert raw.attrs["delimiter"] == ";" and raw.index.tolist() == [2]
    assert raw.iloc[0].tolist() == ["anna", "1,5"]


def test_read_table_fixture_agency_export(reader):
    raw = read_table((FIXTURES / "agency_cp1251.csv").read_bytes(), "agency_cp1251.csv")
    assert raw.attrs == {"encoding": "cp1251", "delimiter": ";", "header_row": 3}
    assert raw.index.tolist() == [4, 5, 7, 8, 9]
    assert list(raw.columns)[-2:] == ["Комментарий", "Комментарий (2)"]
    assert raw.loc[4, "Комментарий"] == "Работает с брендами;\nлюбит бартер"
    assert raw.loc[4, "Тематика"] == "Красота; мода"


def test_read_table_big_file_uses_fast_path_same_result():
    lines = ["Ник;Подписчики;ER"] + [f"user{i};{i + 1} 000;{i % 7},5%" if i % 50 else "" for i in range(30_000)]
    data = ("\r\n".join(lines) + "\r\n").encode("cp1251")
    fast = read_table(data)
    assert len(data) > reading._FAST_MIN_BYTES
    slow = reading._records_to_frame(*_csv_module_records(data), {"encoding": "cp1251", "delimiter": ";"}, None)
    pd.testing.assert_frame_equal(fast, slow, check_like=False)
    assert fast.index[0] == 3 and fast.index[-1] == 30_001  # line 2 (i == 0) is blank


@pytest.mark.parametrize(("text", "taken"), [
    ("handle;followers\r\nanna;1\r\n\r\nboris;2\r\n", True),
    ('handle,followers,note\n"a",1,"x,\ny"\nb,2,z', True),
    ("title\n\nhandle;followers\nanna;1\n;\n", True),
    ("sep=;\nhandle;followers\nанна;1\n", True),
    ("handle;followers\nanna;1;extra\n", False),      # ragged row
    ("handle;followers\n   \nanna;1\n", False),       # whitespace-only line
    ('handle;followers\nan"na;1\n', False),            # unbalanced quote
    ("handle;followers\ranna;1\r", False),             # old Mac line ends
])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_arrow_fast_path_taken_only_for_regular_text(text, taken, encoding):
    data = text.encode(encoding)
    frame = reading._fast_text_frame(data, None)
    assert (frame is not None) == taken
    if frame is not None:
        import csv

        decoded, detected = reading._decode(data)  # ASCII-only text is UTF-8 whatever it was saved as
        decoded, delimiter = reading._split_sep_line(decoded)
        delimiter = delimiter or reading._sniff_delimiter(decoded)
        records = list(csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter))
        attrs = {"encoding": detected, "delimiter": delimiter}
        slow = reading._records_to_frame(records, list(range(1, len(records) + 1)), attrs, None)
        pd.testing.assert_frame_equal(frame, slow)
        assert frame.attrs == slow.attrs


def test_fast_path_invalid_utf8_after_the_sample_falls_back():
    head = "handle;followers\n" + "".join(f"user{i};{i}\n" for i in range(8000))
    data = head.encode() + "борис;5\n".encode("cp1251")
    assert len(head) > reading._SNIFF_CHARS
    assert reading._fast_text_frame(data, None) is None
    raw = read_table(data)
    assert raw.attrs["encoding"] == "cp1251" and raw["handle"].iloc[-1] == "борис"


def _csv_module_records(data: bytes):
    import csv

    records = list(csv.reader(io.StringIO(data.decode("cp1251"), newline=""), delimiter=";"))
    return records, list(range(1, len(records) + 1))


def _xlsx(rows_by_sheet: dict[str, list[list[object]]], percent_cells: tuple[str, ...] = ()) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in rows_by_sheet.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for ref in percent_cells:
            if ws[ref].value is not None:
                ws[ref].number_format = "0.0%"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_read_table_xlsx_first_nonempty_sheet():
    data = _xlsx({
        "Пусто": [],
        "Блогеры": [
            ["Отчёт агентства"],
            [None],
            ["Ник", "Подписчики", "ER", "Цена", "Дата обновления", "Бартер"],
            ["anna", 12500, 0.035, 15000.0, datetime(2025, 3, 1), True],
            [None, None, None, None, None, None],
            ["boris", "1,2 млн", "2,5%", "$1,200", "01.03.2025", "нет"],
        ],
    }, percent_cells=("C4",))
    raw = read_table(data, "plan.xlsx")
    assert raw.attrs == {"sheet": "Блогеры", "sheets": ["Пусто", "Блогеры"], "header_row": 3}
    assert raw.index.tolist() == [4, 6]
    assert raw.loc[4].tolist() == ["anna", "12500", "3.5%", "15000", "2025-03-01", "TRUE"]
    pv = preview(data, "plan.xlsx", platform="Instagram")
    assert pv.frame["followers"].tolist() == [12_500, 1_200_000]
    assert pv.frame["engagement_rate"].tolist() == [3.5, 2.5]
    assert pv.frame["currency"].tolist() == ["RUB", "USD"]
    assert pv.frame["updated_at"].tolist() == ["2025-03-01", "2025-03-01"]
    assert pv.frame["accepts_barter"].tolist() == [True, False]


def test_read_table_xlsx_fraction_cells_without_percent_format():
    data = _xlsx({"S": [["handle", "followers", "credibility"], ["anna", 100, 0.82], ["boris", 200, 0.5]]})
    pv = preview(data, "x.xlsx", platform="vk")
    assert pv.frame["credibility"].tolist() == [0.82, 0.5]


# --------------------------------------------------------------------------------------------
# Unreadable files
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty file"),
    (b"   \r\n\r\n  \n", "empty file"),
    (b"\xef\xbb\xbf", "empty file"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not a table: this is a PNG image"),
    (b"%PDF-1.7\n...", "not a table: this is a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "not a table: old Excel .xls"),
    ("Комментарий;Примечание\nпозвонить;завтра\n".encode(), "no recognisable columns (need at least a handle column)"),
    (b"just one line of prose without any table", "no recognisable columns"),
])
def test_unreadable_files(data, message):
    with pytest.raises(UnreadableFile) as exc:
        read_table(data, "upload.csv")
    assert str(exc.value).startswith(message)
    assert "\n" not in str(exc.value)


def test_a_list_without_a_handle_column_is_one_message_not_unreadable():
    """Followers are optional, so any recognised column makes a table: without a handle column, one message says
    which field is missing and how to map it."""
    pv = preview("Имя;Город\nАнна;Москва\n".encode(), "upload.csv")
    assert pv.missing_fields == ["handle", "platform"] and pv.accepted == 0 and pv.rejected == []


def test_a_list_without_followers_whose_handles_are_found_by_their_cells():
    """The Top-200 list without its followers column: the handles are found in ``channel_info`` and all 200 rows
    are stored, the followers blank (no warning: there is no cell to read)."""
    data = (FIXTURES / "top200_instagram.csv").read_bytes().decode()
    lines = [",".join(c for i, c in enumerate(line.split(",")) if i != 5) for line in data.splitlines()]
    assert lines[0].split(",")[4:6] == ["posts", "avg_likes"]  # column 5, "followers", is gone
    pv = preview(("\n".join(lines) + "\n").encode(), "top200_instagram.csv")
    assert pv.from_content == {"channel_info": "handle"} and pv.missing_fields == []
    assert pv.accepted == 200 and pv.refused == 0 and "followers" not in {w.column for w in pv.warnings}
    assert "followers" not in pv.frame.columns


def test_unreadable_random_bytes():
    rng = random.Random(1234)
    for size in (16, 300, 5000):
        data = bytes(rng.randrange(256) for _ in range(size))
        with pytest.raises(UnreadableFile, match="not a table"):
            read_table(data, "upload.csv")


def test_unreadable_zip_that_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(UnreadableFile, match="ZIP archive"):
        read_table(buf.getvalue(), "data.zip")


def test_unreadable_fake_xlsx():
    with pytest.raises(UnreadableFile, match="not a valid Excel workbook"):
        read_table(b"handle,followers\nanna,1\n", "plan.xlsx")


def test_preview_raises_on_unreadable():
    with pytest.raises(UnreadableFile, match="no recognisable columns"):
        preview(b"a;b\n1;2\n", "x.csv")


def test_preview_remembered_mapping_makes_strange_headers_readable():
    data = b"Col A;Col B\nanna;100\n"
    pv = preview(data, "x.csv", platform="tg", remembered={"Col A": "handle", "Col B": "followers"})
    assert pv.frame["handle"].tolist() == ["anna"] and pv.frame["followers"].tolist() == [100]


# --------------------------------------------------------------------------------------------
# normalise / preview
# --------------------------------------------------------------------------------------------

def test_preview_fixture_agency_export(reader):
    pv = preview((FIXTURES / "agency_cp1251.csv").read_bytes(), "agency_cp1251.csv")
    assert pv.rows_read == 5
    assert pv.duplicates_dropped == 1
    assert pv.mapping == {
        "Ник": "handle", "Площадка": "platform", "Подписчики": "followers", "Ср. просмотры": "avg_views",
        "ER, %": "engagement_rate", "Цена поста, руб.": "price_post", "Сторис": "price_story",
        "Тематика": "niches", "Страна": "country", "Бартер": "accepts_barter", "Комментарий": None,
        "Комментарий (2)": None,
    }
    f = pv.frame
    assert f.index.tolist() == [4, 5, 7, 8]
    assert f["handle"].tolist() == ["anna_beauty", "techguy", "kotiki_tg", "vasya"]
    assert f["platform"].tolist() == ["instagram", "youtube", "telegram", "tiktok"]
    assert f["followers"].tolist()[:3] == [475_800, 1_200_000, 85_000] and pd.isna(f["followers"].iloc[3])
    assert f["avg_views"].tolist()[:2] == [12_000.0, 350_000.0] and f["avg_views"].iloc[3] == 1_500.0
    assert f["engagement_rate"].tolist()[:2] == [3.5, 4.1] and np.isnan(f["engagement_rate"].iloc[2])
    assert f["er_basis"].tolist() == ["followers", "views", "followers", "views"]
    assert f["price_post"].tolist()[:2] == [15_000.0, 120_000.0] and f["price_post"].iloc[2:].isna().all()
    assert f["price_story"].iloc[0] == 5_000.0
    assert f["niches"].tolist() == ["beauty;fashion", "tech", "pets", "humor"]
    assert f["country"].tolist()[:3] == ["RU", "KZ", "RU"] and pd.isna(f["country"].iloc[3])
    assert f["currency"].tolist() == ["RUB", "RUB", "RUB", "RUB"]
    assert f["accepts_barter"].tolist()[:3] == [True, False, True] and f["accepts_barter"].iloc[3] is pd.NA
    # only identity refuses a row: row 8's unreadable followers, price, country and barter are left blank
    assert reasons(pv) == [] and pv.refused == 0
    row8 = [{"row": 8, "column": c, "reason": r} for c, r in (
        ("Подписчики", "not a number: 'abc'"), ("Цена поста, руб.", "negative number: '-5'"),
        ("Страна", "unknown country: 'Атлантида'"), ("Бартер", "not yes/no: 'может'"))]
    assert pv.to_json_dict() == {
        "rows_read": 5, "accepted": 4, "refused": 0, "duplicates_dropped": 1, "superseded": 0,
        "rejected": [], "warnings": row8, "mapping": pv.mapping, "missing_fields": [], "assumed_platform": None,
        "from_content": {}, "sheet": None, "sheets": [],
    }


def test_frame_dtypes_follow_schema():
    text = ("handle,followers,ER,credibility,price,barter,deals completed,updated,city\n"
            "anna,1.2k,3.5%,82%,1000,yes,3,2025-03-01,Москва\n")
    pv = preview(text.encode(), platform="instagram")
    f = pv.frame
    assert f.index.name == "row"
    assert str(f["followers"].dtype) == "Int64"  # a whole number, blank when the list lacks it
    assert f["engagement_rate"].dtype == np.float64 and f["credibility"].dtype == np.float64
    assert str(f["accepts_barter"].dtype) == "boolean"
    assert str(f["deals_completed"].dtype) == "Int64"
    assert f["handle"].dtype == "str" and f["updated_at"].dtype == "str"
    assert list(f.columns) == [c for c in schema.FIELD_NAMES if c in f.columns]
    assert set(f.columns) <= set(schema.FIELD_NAMES)


@pytest.mark.parametrize(("cell", "handle", "platform"), [
    ("@Anna", "anna", "instagram"),
    ("  anna_b  ", "anna_b", "instagram"),
    ("https://www.instagram.com/Anna.Beauty/", "anna.beauty", "instagram"),
    ("instagram.com/anna?igshid=abc", "anna", "instagram"),
    ("https://www.youtube.com/@TechGuy", "techguy", "youtube"),
    ("youtube.com/c/TechGuy/videos", "techguy", "youtube"),
    ("https://www.youtube.com/channel/UCabc123", "ucabc123", "youtube"),
    ("https://www.tiktok.com/@dancer", "dancer", "tiktok"),
    ("t.me/newsru", "newsru", "telegram"),
    ("https://t.me/s/newsru", "newsru", "telegram"),
    ("vk.com/club123", "club123", "vk"),
    ("https://twitch.tv/streamer", "streamer", "twitch"),
])
def test_handles_and_platform_from_url(cell, handle, platform):
    raw = pd.DataFrame({"Ссылка": [cell], "Подписчики": ["100"]})
    pv = normalise(raw, {"Ссылка": "handle", "Подписчики": "followers"}, platform="instagram")
    assert pv.rejected == []
    assert pv.frame["handle"].tolist() == [handle]
    assert pv.frame["platform"].tolist() == [platform]


def test_url_platform_wins_over_default_and_bare_handles_need_one():
    raw = pd.DataFrame({"link": ["https://t.me/news", "anna"], "followers": ["1", "2"]})
    pv = normalise(raw, {"link": "handle", "followers": "followers"})
    assert pv.frame["platform"].tolist() == ["telegram"]
    assert reasons(pv) == [(3, "platform", "platform missing")]


@pytest.mark.parametrize("cell", ["https://facebook.com/anna", "www.example.com/anna", "Anna Smith", "a/b"])
def test_bad_handles_rejected(cell):
    raw = pd.DataFrame({"handle": [cell], "followers": ["100"]})
    pv = normalise(raw, {"handle": "handle", "followers": "followers"}, platform="vk")
    assert len(pv.frame) == 0
    assert pv.rejected[0].column == "handle" and cell.strip() in pv.rejected[0].reason


@pytest.mark.parametrize(("cell", "platform"), [
    ("Instagram", "instagram"), ("IG", "instagram"), ("инстаграм", "instagram"), ("Инста", "instagram"),
    ("YouTube", "youtube"), ("YT", "youtube"), ("ютуб", "youtube"), ("Ютьюб", "youtube"),
    ("TikTok", "tiktok"), ("тикток", "tiktok"), ("Тик-Ток", "tiktok"), ("tik tok", "tiktok"),
    ("Telegram", "telegram"), ("TG", "telegram"), ("телеграм", "telegram"), ("Телеграмм", "telegram"),
    ("тг", "telegram"), ("VK", "vk"), ("ВК", "vk"), ("ВКонтакте", "vk"), ("VKontakte", "vk"),
    ("Twitch", "twitch"), ("твич", "twitch"), ("YouTube Shorts", "youtube"),
])
def test_platform_synonyms(cell, platform):
    raw = pd.DataFrame({"handle": ["anna"], "platform": [cell], "followers": ["10"]})
    pv = normalise(raw, {"handle": "handle", "platform": "platform", "followers": "followers"})
    assert pv.frame["platform"].tolist() == [platform]


def test_platform_argument_is_default_for_missing_cells():
    raw = pd.DataFrame({"handle": ["a", "b", "c"], "platform": ["", "YouTube", "facebook"], "followers": ["1"] * 3})
    pv = normalise(raw, {"handle": "handle", "platform": "platform", "followers": "followers"}, platform="тг")
    assert pv.frame["platform"].tolist() == ["telegram", "youtube"]
    assert reasons(pv) == [(4, "platform", "unknown platform: 'facebook'")]


def test_unknown_platform_argument_raises():
    raw = pd.DataFrame({"handle": ["a"], "followers": ["1"]})
    with pytest.raises(ValueError, match="unknown platform"):
        normalise(raw, {"handle": "handle", "followers": "followers"}, platform="myspace")


def test_platform_cell_contradicting_link_is_rejected():
    raw = pd.DataFrame({"handle": ["t.me/news"], "platform": ["Instagram"], "followers": ["1"]})
    pv = normalise(raw, {"handle": "handle", "platform": "platform", "followers": "followers"})
    assert reasons(pv) == [(2, "platform", "platform 'Instagram' does not match the profile link (telegram)")]


def test_followers_rules():
    raw = pd.DataFrame({"Ник": ["a", "b", "c", "d", "e", "f", ""],
                        "Подписчики": ["1.5", "", "0", "-3", "12abc", "2,5%", "9"]})
    pv = normalise(raw, {"Ник": "handle", "Подписчики": "followers"}, platform="vk")
    # followers are optional: a blank cell is blank, an unreadable or zero one blank with a warning; only the
    # row without a handle is refused
    assert pv.frame["handle"].tolist() == ["a", "b", "c", "d", "e", "f"]
    assert pv.frame["followers"].tolist()[0] == 2 and pv.frame["followers"].iloc[1:].isna().all()
    assert pv.rejected == [Rejection(row=8, column="Ник", code="handle_missing")]
    assert pv.warnings[0] == Rejection(row=4, column="Подписчики", code="followers_zero", params={"value": "0"})
    assert warned(pv) == [
        (4, "Подписчики", "followers must be above zero: '0'"),
        (5, "Подписчики", "negative number: '-3'"),
        (6, "Подписчики", "not a number: '12abc'"),
        (7, "Подписчики", "a percentage where a number is expected: '2,5%'"),
    ]
    assert pv.accepted == 6 and pv.refused == 1


def test_missing_required_columns_reported_under_field_names():
    raw = pd.DataFrame({"Имя": ["Анна"], "Город": ["Москва"]})
    pv = normalise(raw, {"Имя": "name", "Город": "city"}, platform="vk")
    assert len(pv.frame) == 0
    # one message for the file, not one rejection per row
    # followers are optional: only the handle is a required column
    assert ingest.REQUIRED_COLUMNS == ("handle",)
    assert reasons(pv) == [] and pv.missing_fields == ["handle"] and pv.refused == 1
    assert pv.to_json_dict()["missing_fields"] == ["handle"]
    pv = normalise(raw, {"Имя": "name", "Город": "city"})
    assert pv.missing_fields == ["handle", "platform"]
    assert ingest.missing_fields_message(pv.missing_fields) == (
        'no column is mapped to handle: map one with --map "HEADER=handle"; '
        "no platform column or profile links: give one with --platform " + "|".join(schema.PLATFORMS))


def test_a_file_without_a_followers_column_is_stored():
    """No followers column at all is no missing field: every row is stored, the followers blank, no warning."""
    raw = pd.DataFrame({"Ник": ["anna", "boris"], "Просмотры": ["12 000", "3,5 тыс"], "Цена поста": ["15000", ""]})
    pv = normalise(raw, {"Ник": "handle", "Просмотры": "avg_views", "Цена поста": "price_post"}, platform="telegram")
    assert pv.missing_fields == [] and pv.rejected == [] and pv.warnings == []
    assert pv.accepted == 2 and pv.refused == 0
    assert pv.frame["handle"].tolist() == ["anna", "boris"] and pv.frame["avg_views"].tolist() == [12_000, 3_500]
    assert "followers" not in pv.frame.columns or pv.frame["followers"].isna().all()


def test_header_unit_multiplier():
    raw = pd.DataFrame({"h": ["a", "b"], "Подписчики, тыс.": ["475,8", "1,2 млн"], "Цена, тыс. руб.": ["15", "2,5"]})
    pv = normalise(raw, {"h": "handle", "Подписчики, тыс.": "followers", "Цена, тыс. руб.": "price_post"}, "vk")
    assert pv.frame["followers"].tolist() == [475_800, 1_200_000]
    assert pv.frame["price_post"].tolist() == [15_000.0, 2_500.0]


@pytest.mark.parametrize("cell", ["82%", "82", "0.82", "0,82", "82,0 %"])
def test_credibility_forms(cell):
    raw = pd.DataFrame({"h": ["a"], "f": ["10"], "Качество аудитории": [cell]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Качество аудитории": "credibility"}, "instagram")
    assert pv.frame["credibility"].tolist() == [pytest.approx(0.82)]


def test_shares_out_of_range_rejected():
    raw = pd.DataFrame({"h": ["a", "b"], "f": ["10", "10"], "Женщины": ["120%", "-5%"]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Женщины": "audience_female"}, "instagram")
    assert reasons(pv) == [] and pv.frame["audience_female"].isna().all()
    assert warned(pv) == [(2, "Женщины", "share out of range (0-100 %): '120%'"),
                          (3, "Женщины", "share out of range (0-100 %): '-5%'")]


def test_age_bucket_column_decides_fractions():
    raw = pd.DataFrame({"h": ["a", "b"], "f": ["1", "1"], "18-24": ["0.25", "0.5"], "45+": ["0.5", "12"]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "18-24": "audience_age_18_24",
                         "45+": "audience_age_45_plus"}, "vk")
    assert pv.frame["audience_age_18_24"].tolist() == [0.25, 0.5]
    assert pv.frame["audience_age_45_plus"].tolist() == [0.005, 0.12]


@pytest.mark.parametrize(("cells", "expected"), [
    (["3,5%", "1.39%"], [3.5, 1.39]),
    (["3,5", "1.39"], [3.5, 1.39]),
    (["0.035", "0.0139"], [3.5, 1.39]),
    (["3,5%", "0,035"], [3.5, 3.5]),
    (["0.8", "1.0"], [0.8, 1.0]),  # a mega-blogger percent column, not fractions (80 %, 100 %)
])
def test_engagement_rate_in_percent(cells, expected):
    raw = pd.DataFrame({"h": ["a", "b"], "f": ["10", "10"], "ER": cells})
    pv = normalise(raw, {"h": "handle", "f": "followers", "ER": "engagement_rate"}, "instagram")
    assert pv.frame["engagement_rate"].tolist() == pytest.approx(expected)


def test_er_basis_defaults_and_column():
    raw = pd.DataFrame({"h": ["a", "b", "c", "d"], "p": ["instagram", "youtube", "tiktok", "vk"],
                        "f": ["1"] * 4, "ER": ["3%"] * 4})
    m = {"h": "handle", "p": "platform", "f": "followers", "ER": "engagement_rate"}
    assert normalise(raw, m).frame["er_basis"].tolist() == ["followers", "views", "views", "followers"]
    raw["basis"] = ["просмотры", "", "followers", "охват"]
    pv = normalise(raw, {**m, "basis": "er_basis"})
    assert pv.frame["er_basis"].tolist() == ["views", "views", "followers", "views"]
    raw["basis"] = ["likes", "", "", ""]
    pv = normalise(raw, {**m, "basis": "er_basis"})
    assert warned(pv) == [(2, "basis", "unknown ER basis (followers or views): 'likes'")]
    assert pv.frame["er_basis"].iloc[0] == "followers"  # left to the platform's default


def test_er_basis_from_header():
    raw = pd.DataFrame({"h": ["a"], "f": ["1"], "ER по просмотрам": ["3%"]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "ER по просмотрам": "engagement_rate"}, "instagram")
    assert pv.frame["er_basis"].tolist() == ["views"]


@pytest.mark.parametrize(("cell", "value"), [
    ("yes", True), ("Yes", True), ("да", True), ("Да", True), ("true", True), ("TRUE", True), ("1", True),
    ("+", True), ("✓", True), ("no", False), ("нет", False), ("false", False), ("0", False), ("-", False),
    ("x", False), ("", None), ("n/a", None),
])
def test_booleans(cell, value):
    raw = pd.DataFrame({"h": ["a"], "f": ["1"], "Бартер": [cell]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Бартер": "accepts_barter"}, "vk")
    got = pv.frame["accepts_barter"].iloc[0]
    assert (got is pd.NA) if value is None else (got == value)


def test_boolean_garbage_rejected():
    raw = pd.DataFrame({"h": ["a"], "f": ["1"], "Мат": ["иногда"]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Мат": "flag_profanity"}, "vk")
    assert warned(pv) == [(2, "Мат", "not yes/no: 'иногда'")] and pv.frame["flag_profanity"].iloc[0] is pd.NA


def test_currency_detection():
    raw = pd.DataFrame({"h": list("abcdef"), "f": ["1"] * 6,
                        "Цена": ["15 000 ₽", "$1,200", "€300", "1000", "USD 5", "100 руб"],
                        "Сторис": ["", "$300", "", "", "", "$5"]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Цена": "price_post", "Сторис": "price_story"}, "vk")
    assert pv.frame["currency"].tolist() == ["RUB", "USD", "EUR", "RUB", "USD", "RUB"]
    assert warned(pv) == [(7, "Сторис", "prices in different currencies (USD and RUB)")]
    assert pv.frame["price_post"].iloc[5] == 100 and np.isnan(pv.frame["price_story"].iloc[5])


def test_currency_column_and_header():
    raw = pd.DataFrame({"h": ["a", "b", "c"], "f": ["1"] * 3, "Price, $": ["10", "20", "30"],
                        "Валюта": ["", "USD", "руб."]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Price, $": "price_post", "Валюта": "currency"}, "vk")
    assert pv.frame["currency"].tolist() == ["USD", "USD", "RUB"]
    assert warned(pv) == [(4, "Price, $", "prices in different currencies (USD and RUB)")]
    assert pv.frame["price_post"].tolist()[:2] == [10, 20] and np.isnan(pv.frame["price_post"].iloc[2])


def test_the_public_currency_readers_for_other_importers():
    """What the results importer reuses: each cell's currency, a header's, a currency column's, and a currency
    the parser does not read (an ISO 4217 code from CLDR beside a number, or in capitals at a header's end)."""
    values, error, currency = ingest.parse_money(["$500", "€300", "USD 500", "1 200 руб.", "12", "", "500 GBP"])
    assert values[:5].tolist() == [500.0, 300.0, 500.0, 1200.0, 12.0] and np.isnan(values[5:]).all()
    assert error.tolist() == [False] * 6 + [True]
    assert currency.tolist() == ["USD", "EUR", "USD", "RUB", None, None, None]
    assert [ingest.header_currency(h) for h in ("Выручка, $", "Revenue (USD)", "Выручка, руб.", "Revenue")] == [
        "USD", "USD", "RUB", None]
    assert [ingest.currency_code(c) for c in ("usd", "$", "руб.", "евро", "GBP", "")] == [
        "USD", "USD", "RUB", "EUR", None, None]
    assert [ingest.other_currency(c) for c in ("500 GBP", "kzt 1 200", "CHF10k", "500 abc", "$500", "GBP")] == [
        "GBP", "KZT", "CHF", None, None, None]
    assert [ingest.other_currency(h, cell=False) for h in ("Revenue (GBP)", "Выручка, KZT", "TOP posts revenue",
                                                           "Revenue, USD", "Revenue (gbp)")] == [
        "GBP", "KZT", None, None, None]


@pytest.mark.parametrize(("cell", "code"), [
    ("Россия", "RU"), ("Russia", "RU"), ("РФ", "RU"), ("ru", "RU"), ("Казахстан", "KZ"), ("Kazakhstan", "KZ"),
    ("Беларусь", "BY"), ("Belarus", "BY"), ("Украина", "UA"), ("Узбекистан", "UZ"), ("USA", "US"), ("США", "US"),
    ("UK", "GB"), ("Germany", "DE"), ("Германия", "DE"), ("Turkey", "TR"), ("Турция", "TR"), ("ОАЭ", "AE"),
    ("de", "DE"),
])
def test_countries(cell, code):
    raw = pd.DataFrame({"h": ["a"], "f": ["1"], "Страна": [cell]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Страна": "country"}, "vk")
    assert pv.frame["country"].tolist() == [code]


def test_language_names():
    raw = pd.DataFrame({"h": list("abcd"), "f": ["1"] * 4, "Язык": ["русский", "English", "kk", "эльфийский"]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Язык": "language"}, "vk")
    assert pv.frame["language"].tolist()[:3] == ["ru", "en", "kk"] and pd.isna(pv.frame["language"].iloc[3])
    assert warned(pv) == [(5, "Язык", "unknown language: 'эльфийский'")]


@pytest.mark.parametrize(("cell", "niches"), [
    ("Красота, мода", "beauty;fashion"),
    ("бьюти; еда / путешествия | технологии", "beauty;food;travel;tech"),
    ("Кулинария", "food"), ("гаджеты", "tech"), ("материнство и дети", "parenting"), ("родительство", "parenting"),
    ("Фитнес", "fitness"), ("спорт", "sport"), ("игры", "gaming"), ("гейминг", "gaming"),
    ("финансы/инвестиции", "finance"), ("авто", "auto"), ("лайфстайл", "lifestyle"), ("образование", "education"),
    ("музыка", "music"), ("юмор", "humor"), ("здоровье", "health"), ("животные", "pets"), ("дом", "home"),
    ("бизнес", "business"), ("искусство", "art"), ("Beauty, Travel", "beauty;travel"),
    ("Эзотерика, красота", "эзотерика;beauty"), ("красота, бьюти", "beauty"),
])
def test_niches(cell, niches):
    raw = pd.DataFrame({"h": ["a"], "f": ["1"], "Тематика": [cell]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Тематика": "niches"}, "vk")
    assert pv.frame["niches"].tolist() == [niches]


@pytest.mark.parametrize(("cells", "expected"), [
    (["2025-03-01", "01.03.2025", "03/01/2025"], ["2025-03-01"] * 3),
    (["13/01/2025", "01/02/2025"], ["2025-01-13", "2025-02-01"]),  # day first: 13 cannot be a month
    (["1.3.25", "2025-03-01 12:30:00", "1 марта 2025", "March 1, 2025", "45717"], ["2025-03-01"] * 5),
])
def test_updated_at_dates(cells, expected):
    raw = pd.DataFrame({"h": [f"u{i}" for i in range(len(cells))], "f": ["1"] * len(cells), "Дата": cells})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Дата": "updated_at"}, "vk")
    assert pv.frame["updated_at"].tolist() == expected


def test_bad_dates_rejected():
    raw = pd.DataFrame({"h": ["a", "b"], "f": ["1", "1"], "Дата": ["32.13.2025", "вчера"]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Дата": "updated_at"}, "vk")
    assert warned(pv) == [(2, "Дата", "not a date: '32.13.2025'"), (3, "Дата", "not a date: 'вчера'")]
    assert len(pv.frame) == 2 and pv.frame["updated_at"].isna().all()


@pytest.mark.parametrize(("cell", "expected"), [
    ("RU:0.62;KZ:0.10", "RU:0.62;KZ:0.10"),
    ("RU:0,71, KZ:0,12", "RU:0.71;KZ:0.12"),
    ("ru: 62%; kz: 10,5 %", "RU:0.62;KZ:0.105"),
    ("RU:62, UK:38", "RU:0.62;GB:0.38"),
    ("RU:1", "RU:1.00"),
    ("Россия 62%, Казахстан 10,5%", "RU:0.62;KZ:0.105"),
    ("Россия - 0,7; Беларусь - 0,1", "RU:0.70;BY:0.10"),
])
def test_audience_countries(cell, expected):
    raw = pd.DataFrame({"h": ["a"], "f": ["1"], "Гео аудитории": [cell]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Гео аудитории": "audience_countries"}, "vk")
    assert pv.rejected == []
    assert pv.frame["audience_countries"].tolist() == [expected]


@pytest.mark.parametrize("cell", ["Марс 50%", "RU:150%", "RU:0.5;XX", "просто текст"])
def test_audience_countries_rejected(cell):
    raw = pd.DataFrame({"h": ["a"], "f": ["1"], "Гео аудитории": [cell]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Гео аудитории": "audience_countries"}, "vk")
    assert warned(pv) == [(2, "Гео аудитории", f"cannot read audience countries: {cell!r}")]
    assert len(pv.frame) == 1 and pd.isna(pv.frame["audience_countries"].iloc[0])


@pytest.mark.parametrize("marker", ["", "-", "N/A", "н/д", "#ЗНАЧ!", "нет данных", "#N/A"])
def test_missing_markers_in_text_columns(marker):
    raw = pd.DataFrame({"h": ["a"], "f": ["1"], "Гео аудитории": [marker], "Страна": [marker], "Язык": [marker],
                        "Дата": [marker], "Тематика": [marker], "Город": [marker], "Бартер": [marker]})
    mapping = {"h": "handle", "f": "followers", "Гео аудитории": "audience_countries", "Страна": "country",
               "Язык": "language", "Дата": "updated_at", "Тематика": "niches", "Город": "city",
               "Бартер": "accepts_barter"}
    pv = normalise(raw, mapping, "vk")
    assert pv.rejected == []
    row = pv.frame.iloc[0]
    assert all(pd.isna(row[c]) for c in ["audience_countries", "country", "language", "updated_at", "niches", "city"])
    if marker == "-":  # "+" / "-" mean yes / no in a yes-no column
        assert not pd.isna(row["accepts_barter"]) and not row["accepts_barter"]
    else:
        assert row["accepts_barter"] is pd.NA


def test_duplicates_and_same_handle_keep_last():
    text = ("handle;platform;followers\n"
            "anna;instagram;100\n"
            "anna;instagram;100\n"   # exact duplicate of row 2: dropped and counted
            "@Anna;IG;150\n"         # same blogger, later row wins
            "anna;tiktok;5\n")       # another platform: a different blogger
    pv = preview(text.encode())
    assert pv.rows_read == 4 and pv.duplicates_dropped == 1 and pv.superseded == 1
    assert pv.frame.index.tolist() == [4, 5]
    assert pv.frame["followers"].tolist() == [150, 5]
    assert pv.rejected == []


def test_rejected_rows_do_not_hide_earlier_valid_rows():
    # row 3 names the same handle but an unknown platform: refused, it does not supersede row 2
    raw = pd.DataFrame({"h": ["anna", "anna"], "p": ["vk", "myspace"], "f": ["100", "200"]})
    pv = normalise(raw, {"h": "handle", "p": "platform", "f": "followers"}, "vk")
    assert pv.frame["followers"].tolist() == [100] and pv.superseded == 0
    assert reasons(pv) == [(3, "p", "unknown platform: 'myspace'")]


def test_a_later_row_with_unreadable_followers_is_stored_blank():
    # an unreadable count refuses nothing: the later row of the same blogger is stored, its followers blank
    raw = pd.DataFrame({"h": ["anna", "anna"], "f": ["100", "oops"]})
    pv = normalise(raw, {"h": "handle", "f": "followers"}, "vk")
    assert pv.frame.index.tolist() == [3] and pd.isna(pv.frame["followers"].iloc[0]) and pv.superseded == 1
    assert reasons(pv) == [] and warned(pv) == [(3, "f", "not a number: 'oops'")]


def test_unmapped_and_unknown_field_columns_are_ignored():
    raw = pd.DataFrame({"h": ["a"], "f": ["1"], "junk": ["abc"], "odd": ["abc"], "f2": ["x"]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "junk": None, "odd": "not_a_field", "f2": "followers"},
                   "vk")
    assert pv.rejected == [] and pv.mapping == {"h": "handle", "f": "followers", "junk": None, "odd": None,
                                                "f2": None}
    assert list(pv.frame.columns) == ["handle", "platform", "followers"]


def test_preview_overrides_win():
    data = "Ник;Подписчики;Аудитория;Заметки\nanna;100;5000;x\n".encode()
    pv = preview(data, platform="vk", overrides={"Аудитория": "followers", "Ник": "handle", "заметки": ""})
    assert pv.mapping == {"Ник": "handle", "Подписчики": None, "Аудитория": "followers", "Заметки": None}
    assert pv.frame["followers"].tolist() == [5000]


def test_blank_lines_row_numbers_in_rejections(reader):
    text = "handle,followers\n\nanna,100\n\n\nboris,abc\n,\ncarl,7\n"
    pv = preview(text.encode(), platform="instagram")
    assert pv.rows_read == 3
    assert pv.frame.index.tolist() == [3, 6, 8]
    assert reasons(pv) == [] and warned(pv) == [(6, "followers", "not a number: 'abc'")]
    text = "handle,followers\n\nanna,100\n\n\n,abc\n,\ncarl,7\n"  # a row without a handle: refused
    pv = preview(text.encode(), platform="instagram")
    assert pv.rows_read == 3 and pv.frame.index.tolist() == [3, 8]
    assert reasons(pv) == [(6, "handle", "handle missing")] and pv.warnings == []


def test_normalise_plain_dataframe_rows_count_from_two():
    raw = pd.DataFrame({"handle": ["", "b"], "followers": ["x", "1"]})
    pv = normalise(raw, {"handle": "handle", "followers": "followers"}, "vk")
    assert reasons(pv) == [(2, "handle", "handle missing")]
    assert pv.frame.index.tolist() == [3]
    pv = normalise(raw.assign(handle=["a", "b"]), {"handle": "handle", "followers": "followers"}, "vk")
    assert warned(pv) == [(2, "followers", "not a number: 'x'")] and pv.frame.index.tolist() == [2, 3]


def test_preview_realistic_messy_file(reader):
    rng = random.Random(7)
    lines = ["Блогер;Ссылка;Соцсеть;Подписчики;ER;Стоимость поста;Сторис;Живые подписчики;Тематика;Гео"]
    expected: dict[str, int] = {}
    for i in range(300):
        followers = rng.randrange(1_000, 3_000_000)
        shown = rng.choice([f"{followers}", f"{followers:,}".replace(",", " "), f"{followers:,}"])
        handle = f"user_{i}"
        link = rng.choice([f"@{handle}", f"https://instagram.com/{handle}", handle])
        lines.append(f"Блогер {i};{link};Instagram;\"{shown}\";{rng.randint(1, 9)},{rng.randint(0, 9)}%;"
                     f"{rng.randint(1, 90)} 000 ₽;;{rng.randint(50, 99)}%;бьюти;Россия")
        expected[handle] = followers
        if i % 37 == 0:
            lines.append("")
    pv = preview(("\n".join(lines) + "\n").encode("utf-8-sig"), "plan.csv")
    assert pv.rejected == []
    assert dict(zip(pv.frame["handle"], pv.frame["followers"], strict=True)) == expected
    assert (pv.frame["currency"] == "RUB").all() and (pv.frame["niches"] == "beauty").all()


# --------------------------------------------------------------------------------------------
# Real-world lists: only identity refuses a row, headers by content, encodings, workbooks
# --------------------------------------------------------------------------------------------

def test_top200_instagram_like_list(reader):
    pv = preview((FIXTURES / "top200_instagram.csv").read_bytes(), "top200_instagram.csv")
    # no row is lost to an optional field: row 201's unreadable followers are left blank with a warning
    assert pv.rows_read == 200 and pv.accepted == 200 and pv.refused == 0 and pv.rejected == []
    assert (201, "followers", "not a number: 'n/a followers'") in warned(pv)
    assert pv.from_content == {"channel_info": "handle"} and pv.mapping["60d_eng_rate"] == "engagement_rate"
    assert pv.assumed_platform == "instagram" and set(pv.frame["platform"]) == {"instagram"}
    f = pv.frame.set_index("handle")
    assert f.loc["cristiano", "followers"] == 1_200_000 and f.loc["cristiano", "engagement_rate"] == 8.13
    assert {"UY", "CO", "PR", "VN", "US", "BR"} <= set(f["country"].dropna())
    bad = {r.reason for r in pv.warnings}
    assert {"not a number: 'NaN%'", "unknown country: 'Atlantis'", "unknown country: 'XX'",
            "not a number: 'n/a followers'"} == bad
    assert f["country"].isna().sum() > 0 and f["engagement_rate"].isna().sum() > 0
    assert pd.isna(f.loc["creator.200_x", "followers"]) and f.loc["creator.200_x", "country"] == "VN"
    js = pv.to_json_dict()
    assert js["refused"] == 0 and len(js["warnings"]) == len(pv.warnings)
    assert js["rows_read"] == js["accepted"] + js["refused"] + js["duplicates_dropped"] + js["superseded"]


def test_tiktok_like_list_handle_from_content_and_range():
    pv = preview((FIXTURES / "tiktok_top.csv").read_bytes(), "tiktok_top.csv")
    assert pv.mapping["Tiktoker name"] == "handle" and pv.mapping["Tiktok name"] == "name"
    assert pv.mapping["Subscribers count"] == "followers" and pv.mapping["Views avg."] == "avg_views"
    assert pv.assumed_platform == "tiktok" and pv.refused == 0 and pv.accepted == 5
    f = pv.frame.set_index("handle")
    assert f.loc["khaby.lame", "followers"] == 149_900_000
    assert f.loc["bts_official_bighit", "avg_views"] == 12_500_000
    assert warned(pv) == [(5, "Views avg.", "range stored as its midpoint: '10–15M'")]


def test_engagement_counts_are_not_a_rate():
    text = "Account,Followers,Engagement avg\n@anna,1.2M,39.5K\n@boris,300K,12K\n"
    pv = preview(text.encode(), "top1000.csv", platform="instagram")
    assert pv.mapping["Engagement avg"] is None and "engagement_rate" not in pv.frame.columns


@pytest.mark.parametrize(("cell", "value"), [("10–15 тыс", 12_500.0), ("10-15K", 12_500.0), ("от 1 до 2 млн", 1.5e6),
                                            ("1,5–2,5 млн ₽", 2e6), ("3-5%", 4.0)])
def test_ranges_are_midpoints(cell, value):
    assert parse_number(cell) == value
    raw = pd.DataFrame({"h": ["anna"], "f": [cell], "p": [cell]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "p": "price_post"}, "vk")
    if cell.endswith("%"):  # a percentage is no count: both cells left blank, the row stored
        assert reasons(pv) == [] and len(pv.frame) == 1
        assert [w[2] for w in warned(pv)] == [f"a percentage where a number is expected: {cell!r}"] * 2
    else:
        assert pv.frame["price_post"].tolist() == [value]
        assert [w[2] for w in warned(pv)] == [f"range stored as its midpoint: {cell!r}"] * 2


def test_only_identity_refuses_rows():
    raw = pd.DataFrame({"h": ["anna", "boris", ""], "f": ["100", "200", "abc"], "ER": ["NaN%", "2%", "1%"],
                        "Цена": ["сколько?", "-5", "1000"], "Страна": ["Нарния", "ZZ", "ЮАР"]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "ER": "engagement_rate", "Цена": "price_post",
                         "Страна": "country"}, "vk")
    # row 4 is refused for its handle alone; a refused row has no warnings (its followers 'abc' are not listed)
    assert pv.accepted == 2 and pv.refused == 1 and reasons(pv) == [(4, "h", "handle missing")]
    assert warned(pv) == [(2, "ER", "not a number: 'NaN%'"), (2, "Цена", "not a number: 'сколько?'"),
                          (2, "Страна", "unknown country: 'Нарния'"), (3, "Цена", "negative number: '-5'"),
                          (3, "Страна", "unknown country: 'ZZ'")]
    assert pv.frame["price_post"].isna().all() and pv.frame["country"].isna().all()


def test_unknown_currency_blanks_prices_with_a_warning():
    raw = pd.DataFrame({"h": ["a", "b"], "f": ["1", "1"], "Цена": ["100", "200"], "Валюта": ["KZT", "USD"]})
    pv = normalise(raw, {"h": "handle", "f": "followers", "Цена": "price_post", "Валюта": "currency"}, "vk")
    assert pv.accepted == 2 and warned(pv) == [(2, "Валюта", "unknown currency (prices left blank): 'KZT'")]
    assert np.isnan(pv.frame["price_post"].iloc[0]) and pv.frame["price_post"].iloc[1] == 200


@pytest.mark.parametrize(("cell", "code"), [
    ("Uruguay", "UY"), ("Colombia", "CO"), ("Puerto Rico", "PR"), ("ЮАР", "ZA"), ("Viet Nam", "VN"), ("РФ", "RU"),
    ("США", "US"), ("UK", "GB"), ("UAE", "AE"), ("Южно-Африканская Республика", "ZA"), ("Бразилия", "BR"),
    ("uy", "UY"), ("Côte d’Ivoire", "CI"), ("Bosnia & Herzegovina", "BA"),
])
def test_countries_from_cldr(cell, code):
    assert ingest_values._country_code(cell) == code


@pytest.mark.parametrize("cell", ["XX", "zz", "EU", "UN", "Atlantis", "Нарния"])
def test_unknown_country_codes_are_not_countries(cell):
    assert ingest_values._country_code(cell) is None


def test_country_name_in_both_languages():
    assert ingest.country_name("ZA", "ru") == "Южно-Африканская Республика"
    assert ingest.country_name("za", "en") == "South Africa"
    assert ingest.country_name("XX", "ru") == "XX" and ingest.country_name(None) == ""


@pytest.mark.parametrize(("name", "encoding"), [("koi8r.csv", "koi8_r"), ("cp866.csv", "cp866")])
def test_russian_single_byte_encodings(reader, name, encoding):
    raw = read_table((FIXTURES / name).read_bytes(), name)
    assert raw.attrs["encoding"] == encoding
    pv = preview((FIXTURES / name).read_bytes(), name)
    assert pv.frame["city"].tolist() == ["Москва", "Санкт-Петербург", "Екатеринбург"]
    assert pv.frame["country"].tolist() == ["RU", "ZA", "KZ"]
    assert pv.frame["platform"].tolist() == ["instagram", "vk", "telegram"]


def test_windows_1252(reader):
    pv = preview((FIXTURES / "cp1252.csv").read_bytes(), "cp1252.csv")
    assert read_table((FIXTURES / "cp1252.csv").read_bytes()).attrs["encoding"] == "cp1252"
    assert pv.frame["city"].tolist() == ["Zürich", "São Paulo", "Besançon"]
    assert pv.frame["name"].tolist()[2] == "François Læ"
    assert pv.frame["country"].tolist() == ["CH", "BR", "FR"]


def test_cp1251_still_detected_on_a_big_file():
    body = "".join(f"Блогер {i};@user_{i};Инстаграм;12 500;3,5%;15 000 руб.;Москва\n" for i in range(5000))
    data = ("Блогер;Ссылка;Соцсеть;Подписчики;ER;Стоимость поста;Город\n" + body).encode("cp1251")
    raw = read_table(data, "big.csv")
    assert raw.attrs["encoding"] == "cp1251" and raw.iloc[0].tolist()[0] == "Блогер 0"


def _ods(rows: list[list[object]]) -> bytes:
    """A minimal OpenDocument spreadsheet (what LibreOffice writes, trimmed to the cells)."""
    def cell(v: object) -> str:
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, int | float):
            return (f'<table:table-cell office:value-type="float" office:value="{v}">'
                    f"<text:p>{v}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Блогеры">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def test_read_ods():
    data = _ods([["Отчёт"], ["Ник", "Площадка", "Подписчики", "Страна"], ["anna", "VK", 12500, "ЮАР"],
                 ["boris", "TG", "10-15K", "Uruguay"]])
    raw = read_table(data, "list.ods")
    assert raw.attrs == {"sheet": "Блогеры", "sheets": ["Блогеры"], "header_row": 2}
    assert raw.index.tolist() == [3, 4]
    pv = preview(data, "list.ods")
    assert pv.frame["followers"].tolist() == [12_500, 12_500]
    assert pv.frame["country"].tolist() == ["ZA", "UY"] and len(pv.warnings) == 1


def test_read_xls_fixture():
    path = FIXTURES / "bloggers.xls"
    if not path.exists():
        pytest.skip("no .xls fixture (xlwt could not write one)")
    pv = preview(path.read_bytes(), "bloggers.xls")
    assert pv.frame["handle"].tolist() == ["anna", "boris"]
    assert pv.frame["followers"].tolist() == [12_500, 1_200_000]
    assert pv.frame["country"].tolist() == ["RU", "CO"]


def test_missing_platform_is_one_message():
    pv = preview(b"handle,followers\nanna,100\nboris,200\n", "list.csv")
    assert pv.missing_fields == ["platform"] and pv.rejected == [] and pv.refused == 2 and pv.accepted == 0


def test_new_reasons_in_russian():
    from planner.core.i18n import reason, t

    assert reason("range_midpoint", {"value": "10-15K"}, "ru") == "диапазон сохранён как середина: «10-15K»"
    assert reason("unknown_currency", {"value": "KZT"}, "ru").startswith("неизвестная валюта (цены")
    for key in ("imp.stored", "imp.refused", "imp.warnings", "imp.missing_cols", "imp.merged"):
        assert t(key, "en") != t(key, "ru")


def test_every_reason_has_a_code_and_both_languages():
    """The importer's English texts and the translation table agree code by code."""
    from planner.core.i18n import REASON_TEXT

    assert set(REASON_TEXT) == set(ingest.REASONS)
    for code, text in ingest.REASONS.items():
        assert REASON_TEXT[code][0] == text
        assert REASON_TEXT[code][1] and REASON_TEXT[code][1] != text


def test_a_reason_keeps_the_cell_as_it_is():
    """A cell whose text holds another message's words is never rewritten by the translation."""
    from planner.core.i18n import reason

    raw = pd.DataFrame({"handle": ["anna", "boris"], "followers": ["followers missing", "1000"],
                        "er": ["2", "not a number"]})
    pv = normalise(raw, {"handle": "handle", "followers": "followers", "er": "engagement_rate"}, platform="vk")
    assert pv.rejected == []
    assert [(r.row, r.code, r.params) for r in pv.warnings] == [(2, "not_a_number", {"value": "followers missing"}),
                                                                (3, "not_a_number", {"value": "not a number"})]
    assert pv.warnings[0].reason == "not a number: 'followers missing'"
    assert reason(pv.warnings[0].code, pv.warnings[0].params, "ru") == "не число: «followers missing»"
    pv = normalise(raw.assign(platform=["handle missing", "vk"]),
                   {"handle": "handle", "platform": "platform", "followers": "followers"})
    assert [(r.row, r.code, r.params) for r in pv.rejected] == [(2, "unknown_platform", {"value": "handle missing"})]
    assert reason(pv.rejected[0].code, pv.rejected[0].params, "ru").endswith("«handle missing»")
    with pytest.raises(ingest.UnreadableFile) as exc:
        ingest.read_table(b"", "x.csv")
    assert exc.value.code == "empty_file" and str(exc.value) == "empty file"
    assert reason(exc.value.code, exc.value.params, "ru") == "пустой файл"


# --------------------------------------------------------------------------------------------
# The Database page's import (AppTest), both languages
# --------------------------------------------------------------------------------------------

@pytest.fixture
def page_db(new_db_url, tmp_path, monkeypatch, small_sample):
    from planner.storage import db, store
    url = new_db_url("app")
    monkeypatch.setenv("DATABASE_URL", url)
    store.upsert_bloggers(db.get_engine(url), small_sample, source="sample")
    return url


def _import_page(lang: str, name: str, data: bytes):
    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[1]
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/database.py").run()
    at.file_uploader(key="db_upload").upload(name, data, "text/csv").run()
    assert not at.exception
    return at


@pytest.mark.parametrize(("lang", "labels"), [
    ("en", ("Rows read", "Stored", "Refused", "Warnings")),
    ("ru", ("Прочитано строк", "Будет сохранено", "Отклонено", "Предупреждения")),
])
def test_database_page_import_preview(page_db, lang, labels):
    at = _import_page(lang, "top200_instagram.csv", (FIXTURES / "top200_instagram.csv").read_bytes())
    metrics = {m.label: int("".join(ch for ch in m.value if ch.isdigit())) for m in at.metric}
    assert [metrics[label] for label in labels[:3]] == [200, 200, 0] and metrics[labels[3]] > 0
    texts = " ".join(str(e.value) for e in (*at.info, *at.markdown, *at.caption))
    assert ("Instagram" in texts) and (("определена" in texts) if lang == "ru" else ("taken from" in texts))


@pytest.mark.parametrize(("lang", "word"), [("en", "required field"), ("ru", "обязательному полю")])
def test_database_page_missing_column_is_one_message(page_db, lang, word):
    at = _import_page(lang, "list.csv", "Имя;Подписчики\nАнна Иванова;100\nБорис Петров;200\n".encode())
    errors = [str(e.value) for e in at.error]  # one for the handle column, one for the platform: not per row
    assert len(errors) == 2 and word in errors[0]
    assert not at.dataframe or all(len(d.value) != 2 or "Row" not in d.value.columns for d in at.dataframe)


def test_estimate_columns_are_never_read_as_data():
    from planner.ingest import auto_map

    got = auto_map(["handle", "estimated_price_post", "estimated_engagement_rate", "Оценочная цена поста",
                    "Estimated reach"])
    assert got == {"handle": "handle", "estimated_price_post": None, "estimated_engagement_rate": None,
                   "Оценочная цена поста": None, "Estimated reach": None}


def test_the_apps_own_neutralised_export_reads_back_as_it_was():
    import pandas as pd

    from planner import ingest
    from planner.reporting import export
    df = pd.DataFrame({"handle": ["=1+1", "plain", "-minus"], "platform": ["telegram"] * 3,
                       "followers": [1000, 2000, 3000], "name": ["+7 999", "@x", "Имя"]})
    got = ingest.preview(export.to_csv_bytes(df), "export.csv").frame
    assert got["handle"].tolist() == ["=1+1", "plain", "-minus"]
    assert got["name"].tolist() == ["+7 999", "@x", "Имя"]


def test_numbers_out_of_range_are_left_blank_and_identity_refused():
    from planner import ingest
    from planner.core import schema
    data = (b"handle,platform,followers,price_post,engagement_rate,avg_views,credibility\n"
            b"huge,telegram,1e19,1,1,1,0.9\n"
            b"dear,telegram,1000,1e308,1e308,1e999,150%\n"
            b"ok,telegram,2147483648,5,2,3,0.8\n")
    p = ingest.preview(data, "ranges.csv")
    # an implausible followers count is left blank with a warning (2,147,483,648 is above the plausible range too)
    assert p.frame["handle"].tolist() == ["huge", "dear", "ok"] and p.rejected == []
    assert p.frame["followers"].isna().tolist() == [True, False, True]
    assert [(r.row, r.column, r.code) for r in p.warnings if r.column == "followers"] == [
        (2, "followers", "followers_out_of_range"), (4, "followers", "followers_out_of_range")]
    assert p.frame.loc[4, "price_post"] == 5 and p.frame.loc[2, "credibility"] == 0.9
    data = data.replace(b"\ndear,", b"\n,")  # identity still refuses: a row without a handle
    assert [(r.row, r.column, r.code) for r in ingest.preview(data, "ranges.csv").rejected] == [
        (3, "handle", "handle_missing")]
    row = p.frame.loc[[3]].iloc[0]
    assert np.isnan(row["price_post"]) and np.isnan(row["engagement_rate"]) and np.isnan(row["avg_views"])
    assert np.isnan(row["credibility"])
    codes = {(w.column, w.code) for w in p.warnings}
    assert {("price_post", "out_of_range"), ("engagement_rate", "rate_out_of_range"),
            ("credibility", "share_out_of_range")} <= codes
    for spec in schema.FIELDS:  # nothing stored is outside the schema's range
        if spec.high is not None and spec.name in p.frame:
            vals = pd.to_numeric(p.frame[spec.name], errors="coerce").dropna()
            assert (vals <= spec.high).all() and (vals >= spec.low).all()


def test_text_within_the_database_lengths_and_no_control_characters():
    from planner import ingest
    from planner.core import schema
    data = ("handle,platform,followers,name,city\n"
            "a\u202eb,vk,1000,zero\u200bwidth,Москва\n"
            + "x" * 250 + ",vk,1000,n,c\n"
            "fine,vk,2000," + "N" * 400 + "," + "C" * 150 + "\n"
            "\u200b\u200d,vk,2000,z,c\n").encode()
    p = ingest.preview(data, "text.csv")
    assert p.frame["handle"].tolist() == ["ab", "fine"]
    assert p.frame["name"].tolist()[0] == "zerowidth"
    assert p.frame["name"].str.len().max() == schema.FIELD_BY_NAME["name"].max_length
    assert p.frame["city"].str.len().max() == schema.FIELD_BY_NAME["city"].max_length
    assert {(r.row, r.code) for r in p.rejected} == {(3, "handle_too_long"), (5, "handle_missing")}
    assert {(w.row, w.column, w.code) for w in p.warnings} >= {
        (2, "handle", "control_characters"), (2, "name", "control_characters"), (4, "name", "text_too_long"),
        (4, "city", "text_too_long")}


# --------------------------------------------------------------------------------------------
# Memory: the import's frame is the same whichever way the raw table is held
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def messy_sample():
    """A 12,000-row messy agency export (Arrow fast path, numbers parsed in threads) and its clean frame."""
    from planner.ingest import sample
    clean = sample.generate(12_000, seed=7)
    return clean, sample.to_messy_csv(clean, seed=7, encoding="cp1251")


def test_import_of_messy_sample_gives_the_clean_frame(messy_sample):
    """What the import stores is what planner.ingest.sample generated: every field, row by row (counts drawn as
    "35 тыс" or "1,2 млн" within their shown rounding), none refused, no warning, exact copies dropped."""
    clean, data = messy_sample
    assert len(data) > reading._FAST_MIN_BYTES
    pv = ingest.preview(data, "messy.csv")
    assert (pv.accepted, pv.refused, pv.superseded, len(pv.warnings)) == (len(clean), 0, 0, 0)
    assert pv.duplicates_dropped == pv.rows_read - len(clean) > 0
    got = pv.frame.reset_index(drop=True)
    want = clean.reset_index(drop=True)
    assert list(got.columns) == list(schema.FIELD_NAMES)
    for spec in schema.FIELDS:
        a, b = got[spec.name], want[spec.name]
        if spec.kind in ("int", "float"):
            x, y = a.to_numpy(dtype=float, na_value=np.nan), b.to_numpy(dtype=float, na_value=np.nan)
            assert (np.isnan(x) == np.isnan(y)).all(), spec.name
            rtol = 0.05 if spec.name in ("followers", "avg_views", "avg_reach", "avg_story_reach") else 1e-9
            np.testing.assert_allclose(x[~np.isnan(y)], y[~np.isnan(y)], rtol=rtol, atol=1e-9, err_msg=spec.name)
        elif spec.kind == "date":
            assert (pd.to_datetime(a) == pd.to_datetime(b)).all(), spec.name
        else:
            x, y = a.astype(object).tolist(), b.astype(object).tolist()
            assert [None if pd.isna(v) else v for v in x] == [None if pd.isna(v) else v for v in y], spec.name


def test_preview_consuming_the_raw_table_equals_normalise_of_a_kept_one(messy_sample):
    """preview deletes each raw column once read (to keep memory down); normalise leaves its table as it
    is: both give the same frame, rejections and warnings."""
    from planner.ingest import sample
    data = sample.to_messy_csv(messy_sample[0], seed=7, encoding="utf-8-sig")
    lines = data.decode("utf-8-sig").split("\r\n")
    lines[5] = lines[5].replace("sample_", "@bad handle ", 1)  # a refused row
    lines[9] = lines[9].replace(";", ";\u200b", 3)  # control characters in text cells: warnings
    data = "\r\n".join(lines).encode("utf-8-sig")
    pv = ingest.preview(data, "messy.csv")
    raw = read_table(data, "messy.csv")
    before = raw.copy()
    mapping, _ = ingest.map_columns(raw)
    kept = normalise(raw, mapping, filename="messy.csv")
    pd.testing.assert_frame_equal(raw, before)
    pd.testing.assert_frame_equal(pv.frame, kept.frame)
    assert pv.to_json_dict() == kept.to_json_dict()
    assert pv.refused == 1 and pv.warnings


def test_read_table_columns_are_arrow_strings_with_4_byte_offsets(reader):
    raw = read_table(csv_bytes("handle,followers\nanna,100\nboris,\n"))
    for name in raw.columns:
        assert isinstance(raw[name].dtype, pd.ArrowDtype) and raw[name].dtype.pyarrow_dtype == "string"
    assert raw["followers"].tolist() == ["100", ""]


def test_control_characters_and_long_text_in_arrow_match_python_rules():
    """Control characters removed, a cell left with white space only (by str.isspace) is blank, text cut
    at the schema's length in characters."""
    limit = schema.FIELD_BY_NAME["city"].max_length
    text = ("handle;platform;followers;city\n"
            "a1;vk;10;Мос\u200bква\n"
            "a2;vk;10;\u2028\u202e\u3000\n"
            f"a3;vk;10;{'ж' * (limit + 5)}\n"
            "a4;vk;10;Tver\n")
    pv = ingest.preview(text.encode(), "x.csv")
    assert pv.frame["city"].iloc[0] == "Москва" and pd.isna(pv.frame["city"].iloc[1])
    assert pv.frame["city"].iloc[2] == "ж" * limit and pv.frame["city"].iloc[3] == "Tver"
    assert [(r.row, r.code) for r in pv.warnings] == [(2, "control_characters"), (3, "control_characters"),
                                                      (4, "text_too_long")]


@pytest.mark.parametrize("every", [4_000, 97])  # a few runs of kept rows (slices of the same buffers), many (copied)
def test_fast_path_drops_separator_only_rows_like_the_csv_module(every):
    lines = ["Ник;Подписчики;Город"] + [";;" if i % every == 5 else f"user{i};{i + 1};Город {i % 13}"
                                       for i in range(20_000)]
    data = ("\n".join(lines) + "\n;;\n").encode("cp1251")
    fast = reading._fast_text_frame(data, None)
    assert fast is not None
    slow = reading._records_to_frame(*_csv_module_records(data), {"encoding": "cp1251", "delimiter": ";"}, None)
    pd.testing.assert_frame_equal(fast, slow, check_like=False)
    assert 7 not in fast.index and fast.index[-1] == 20_001 and len(fast) == 20_000 - len(range(5, 20_000, every))


def test_audience_countries_in_slices_match_one_by_one(monkeypatch):
    """ISO-code cells are parsed by Arrow a slice of distinct values at a time; other forms one by one."""
    import pyarrow as pa

    cells = ["RU:0,71, KZ:0,12", "US:62%;GB:10%", "Россия 60%, Казахстан 20%", "RU:150%", "н/д", "", "xx",
             "KZ:0.5", "RU:0,71, KZ:0,12", "UK:0.3;DE:0.2", "RU: 40 %, US: 5"]
    arr = pa.array(cells, type=pa.large_string())
    whole, whole_bad = ingest_values._audience_countries_column(arr)
    monkeypatch.setattr(ingest_values, "_TEXT_SLICE_ROWS", 3)
    values, bad = ingest_values._audience_countries_column(arr)
    assert values.to_pylist() == whole.to_pylist() and bad.tolist() == whole_bad.tolist()
    assert values.to_pylist()[:5] == ["RU:0.71;KZ:0.12", "US:0.62;GB:0.10", "RU:0.60;KZ:0.20", None, None]
    assert values.to_pylist()[9] == "GB:0.30;DE:0.20"
    assert bad.tolist() == [c in ("RU:150%", "xx") for c in cells]


def test_text_cells_cleaned_in_slices_like_at_once(monkeypatch):
    col = pd.Series([" anna ", "N/A", "", "'=1+1", "#ЗНАЧ!", "нет  данных", "Борис", None, " - ", "x"] * 3,
                    dtype=pd.ArrowDtype(__import__("pyarrow").string()))
    whole = ingest_values._arrow_text(col).to_pylist()
    monkeypatch.setattr(ingest_values, "_TEXT_SLICE_ROWS", 4)
    assert ingest_values._arrow_text(col).to_pylist() == whole
    assert whole[:10] == ["anna", None, None, "=1+1", None, None, "Борис", None, None, "x"]
