"""The rules kept in one place: shares in and out (planner.core.units), the date reader
(planner.ingest.values.parse_date), the CPM and its inverse (planner.estimates.metrics), the restricted categories
(planner.core.schema) and the fraud threshold (planner.estimates.benchmarks), and their callers agreeing."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core import audience, schema
from planner.core.money import NBSP
from planner.core.units import format_share, fraction, fractions, percent
from planner.estimates import benchmarks, metrics
from planner.estimates.catalog import Filters
from planner.ingest.values import _date_value, parse_date
from planner.reporting import charts


# ---- shares: one parser in, one formatter out ------------------------------------------------------------------
@pytest.mark.parametrize(("value", "expected"), [
    ("75", 0.75), ("75 %", 0.75), ("75%", 0.75), (f"75{NBSP}%", 0.75), ("0.75", 0.75), ("0,75", 0.75),
    (75, 0.75), (0.75, 0.75), (np.float32(0.5), 0.5), (1, 1.0), ("1", 1.0), ("100 %", 1.0), ("0.5 %", 0.005),
    ("150", 1.5), (0, 0.0), ("-20", -0.2),
])
def test_fraction_reads_a_share_however_it_is_written(value, expected):
    assert fraction(value) == pytest.approx(expected)


@pytest.mark.parametrize("value", [None, "", "abc", "75 %%", float("nan"), float("inf"), True, object()])
def test_fraction_is_none_for_what_is_no_share(value):
    assert fraction(value) is None


def test_fraction_in_percent_for_a_widget_labelled_in_per_cent():
    assert fraction(0.5, in_percent=True) == pytest.approx(0.005)
    assert fraction(75, in_percent=True) == pytest.approx(0.75)
    assert fraction("0.5", in_percent=True) == pytest.approx(0.005)


def test_fractions_follow_the_same_rule_over_an_array():
    values = np.array([75.0, 0.75, 1.0, 0.5, np.nan, -20.0])
    marked = np.array([False, False, False, True, False, False])
    out = fractions(values, marked)
    assert out[:4].tolist() == pytest.approx([0.75, 0.75, 1.0, 0.005])
    assert math.isnan(out[4]) and out[5] == pytest.approx(-0.2)
    assert fractions([50.0, 0.2], in_percent=True).tolist() == pytest.approx([0.5, 0.002])
    scalar_rule = [fraction(v) for v in (75.0, 0.75, 1.0)]
    assert fractions([75.0, 0.75, 1.0]).tolist() == pytest.approx(scalar_rule)


def test_percent_and_format_share_are_the_way_out():
    assert percent(0.75) == pytest.approx(75.0) and percent(None) is None
    assert percent(np.array([0.1, 0.25])).tolist() == pytest.approx([10.0, 25.0])
    series = percent(pd.Series([0.5, np.nan], index=[3, 7]))
    assert isinstance(series, pd.Series) and series.index.tolist() == [3, 7] and series.iloc[0] == pytest.approx(50.0)
    assert format_share(0.75) == f"75{NBSP}%"
    assert format_share(0.125, "ru", 1) == f"12,5{NBSP}%"
    assert format_share(None) == "—" and format_share(float("nan")) == "—"


@given(st.floats(min_value=0.0, max_value=5.0, allow_nan=False), st.sampled_from(["en", "ru"]))
def test_a_formatted_share_reads_back_as_itself(share, lang):
    # the formatter always writes "%", so even a share below 1 % comes back right (at the precision shown)
    assert fraction(format_share(share, lang, 4)) == pytest.approx(share, abs=0.5e-6)
    assert fraction(percent(share), in_percent=True) == pytest.approx(share)


def test_audience_codec_and_its_chart_use_the_one_rule():
    assert audience.parse_countries("RU:62;KZ:0.1;BY:5%;US:0.5%;GB:x") == [
        ("RU", 0.62), ("KZ", 0.1), ("BY", 0.05), ("US", pytest.approx(0.005))]
    shares = audience.country_shares(pd.Series(["RU:62;US:0.5%", "RU: 0,3 %", None]))
    assert shares["RU"].tolist() == pytest.approx([0.62, 0.003, 0.0])
    assert shares["US"].tolist() == pytest.approx([0.005, 0.0, 0.0])
    # the card's chart shows the codec's shares in per cent (it used to read "0.5%" as 50 %)
    chart = charts.audience_countries_chart({"audience_countries": "RU:0.62;US:0.5%"}, "en")
    data = chart.to_dict()["datasets"]
    rows = next(iter(data.values()))
    # labelled by the countries' names in the page's language (issue 18), never their codes
    assert {r["label"]: r["share"] for r in rows} == {"Russia": pytest.approx(62.0),
                                                      "United States": pytest.approx(0.5)}


# ---- dates: one reader -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("2026-12-01", dt.date(2026, 12, 1)), ("2026-12-01 10:30", dt.date(2026, 12, 1)),
    ("2026-12-01T10:30:00Z", dt.date(2026, 12, 1)), ("2026/12/01", dt.date(2026, 12, 1)),
    ("01.12.2026", dt.date(2026, 12, 1)), ("01.12.26", dt.date(2026, 12, 1)), ("1.12.2026 10:00", dt.date(2026, 12, 1)),
    ("01-12-2026", dt.date(2026, 12, 1)), ("01-12-26", dt.date(2026, 12, 1)), ("1/12/2026", dt.date(2026, 12, 1)),
    ("1 декабря 2026", dt.date(2026, 12, 1)), ("1 декабря 2026 г.", dt.date(2026, 12, 1)),
    ("3 марта 2026", dt.date(2026, 3, 3)), ("5 мая 2026", dt.date(2026, 5, 5)),
    ("1 Dec 2026", dt.date(2026, 12, 1)), ("Dec 1, 2026", dt.date(2026, 12, 1)),
    ("46357", dt.date(2026, 12, 1)), ("46357.5", dt.date(2026, 12, 1)),
])
def test_parse_date_reads_what_spreadsheets_and_people_write(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "вчера", "32.13.2026", "31.02.2026", "12345", "2026-13-01", "01.12/2026"])
def test_parse_date_is_none_for_no_date(text):
    assert parse_date(text) is None


def test_slash_dates_day_first_unless_told_and_the_importer_uses_the_same_reader():
    assert parse_date("03/01/2026") == dt.date(2026, 1, 3)
    assert parse_date("03/01/2026", day_first_slash=False) == dt.date(2026, 3, 1)
    assert _date_value("01.12.2026", True) == "2026-12-01"
    with pytest.raises(ValueError):
        _date_value("32.13.2026", True)


def test_results_files_read_dates_with_the_importers_reader():
    from planner.campaigns import results

    assert results.ingest.parse_date is parse_date
    assert results._db_value("published_at", "1 Dec 2026") == dt.date(2026, 12, 1)


# ---- CPM: one formula and its inverse --------------------------------------------------------------------------
def test_cpm_and_cost_at_cpm_are_inverse():
    assert metrics.cpm(5_000.0, 20_000.0) == pytest.approx(250.0)
    assert metrics.cost_at_cpm(250.0, 20_000.0) == pytest.approx(5_000.0)
    assert math.isnan(metrics.cpm(100.0, 0.0))
    imps, cost = np.array([1_000.0, 40_000.0]), np.array([10.0, 800.0])
    assert metrics.cost_at_cpm(metrics.cpm(cost, imps), imps).tolist() == pytest.approx(cost.tolist())


# ---- categories and the fraud threshold: one home each -----------------------------------------------------------
def test_categories_derive_from_the_restricted_list():
    assert schema.BRIEF_CATEGORIES == (*schema.RESTRICTED_CATEGORIES, "children")
    assert {f"ad_{c}" for c in schema.RESTRICTED_CATEGORIES} <= set(schema.FIELD_NAMES)
    assert set(schema.CHILDREN_UNSAFE) <= set(schema.FIELD_NAMES)
    assert set(schema.RESTRICTED_CATEGORIES) <= set(schema.FLAGS)


def test_the_default_credibility_filter_is_the_fraud_threshold():
    assert Filters().min_credibility == benchmarks.FRAUD_THRESHOLD
    assert metrics.default_benchmarks().fraud_threshold == benchmarks.FRAUD_THRESHOLD
