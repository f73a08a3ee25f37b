"""The report's incrementality estimate is remembered by everything it is computed from (the sales series' content
and the window): a goals edit does not fit it again, and any change of the series or the window does."""

from __future__ import annotations

from datetime import timedelta

import pytest

from planner.campaigns import incrementality as inc
from planner.campaigns import report
from tests.test_incrementality import frame, series


@pytest.fixture
def fits(monkeypatch):
    calls: list[int] = []
    real = inc.estimate

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(inc, "estimate", counted)
    monkeypatch.setattr(report, "_ESTIMATES", report.LruMemo(32))
    return calls


def test_the_same_series_and_window_are_fitted_once_and_equal_a_fresh_fit(fits):
    y, c, start, end = series(seed=3)
    first = report._estimate(frame(y, c), start, end)
    again = report._estimate(frame(list(y), list(c)), start, end)  # a new frame, the same content
    assert len(fits) == 1
    assert again == first == inc.estimate(frame(y, c), start, end)
    assert again.daily is not first.daily  # each report its own frame
    assert again.daily.equals(first.daily)


def test_any_change_of_the_series_or_the_window_fits_again(fits):
    y, c, start, end = series(seed=4)
    base = report._estimate(frame(y, c), start, end)
    y2 = list(y)
    y2[-1] += 50.0  # one day of the window
    changed = report._estimate(frame(y2, c), start, end)
    assert changed.actual == pytest.approx(base.actual + 50.0)
    c2 = list(c)
    c2[3] += 1.0  # one day of the control before the window
    report._estimate(frame(y, c2), start, end)
    shorter = report._estimate(frame(y, c), start, end - timedelta(days=1))
    assert shorter.window_end == end - timedelta(days=1)
    no_control = report._estimate(frame(y), start, end)
    assert no_control.control_regions == ()
    assert len(fits) == 5


def test_a_failure_is_remembered_and_raised_afresh(fits):
    y, c, start, end = series(seed=5)
    short = frame(y[-25:], c[-25:], start=start - timedelta(days=4))  # four days before the window: too few
    with pytest.raises(inc.IncrementalityError) as one:
        report._estimate(short, start, end)
    with pytest.raises(inc.IncrementalityError) as two:
        report._estimate(short, start, end)
    assert len(fits) == 1
    assert one.value.code == two.value.code
    assert one.value is not two.value
