"""Simulation study of the incrementality estimate (``python -m planner bench incrementality [--json]``).

Does the 90 % interval mean what it says? Series with a known lift, a fixed seed, the estimator
(planner.campaigns.incrementality.estimate_series, exactly as the Results report calls it) against the truth.

Each series: 90 days before the campaign window and 21 in it, a weekly cycle (Monday … Sunday × 1.00, 0.95,
0.97, 1.00, 1.08, 1.20, 0.80), about 200 sales a day in the campaign's region and 140 in the control region (0.7
of it: a coefficient of 1/0.7 = 1.43 is right). On the log scale both share a market factor (AR(1), φ 0.85,
standard deviation 6 %); each region has its own drift (AR(1), φ 0.7, 3 %) and daily noise (8 % in the campaign's
region). Three settings:

* ``no_control``: the estimator gets the campaign's region only;
* ``clean_control``: and a control region with 5 % daily noise;
* ``noisy_control_shock``: a control with 35 % daily noise, and a shock of +20 % on both regions over the whole
  window (a holiday, a price change: not the campaign's doing).

The lift multiplies the region's window sales by 1 + lift (0, +10 %, +30 %); the truth is lift × the window's
sales without the campaign. ``series`` series per setting and lift, each drawn afresh. Per setting:

* ``coverage_90``: share of the series whose 90 % interval holds the true lift (target 0.87–0.93);
* ``false_positive_rate``: how often the estimate claims an effect where there is none (target ≤ 0.12; ≤ 0.15
  with the shock), measured on every series: the estimate is lift-equivariant (a lift moves the estimate and both
  ends of its interval by exactly the truth, since the baseline and its interval come only from the days before the
  window and the control's; tests/test_incrementality.py checks it with and without a control), so an interval
  that misses the truth at any lift is one that excludes 0 for the same series without the lift, and all
  ``3 × series`` series measure the rate (the lifts differ only in their draws). ``false_positive_rate_lift0``:
  the same counted on the lift-0 series alone (the definition as it reads, three times noisier);
* ``power``: at a lift above 0, share whose interval lies above 0 (``power_by_lift`` per lift);
* ``rmse``: the root mean square error of the incremental sales; ``rmse_did``: of the textbook
  difference-in-differences with the same data (the control scaled by the ratio of the pre-period's sums; without
  a control, before / after), the yardstick (target: ``rmse`` no worse);
* ``coverage_90_se``, ``false_positive_rate_se``, ``false_positive_rate_lift0_se``: their Monte-Carlo standard
  errors (a false-positive rate of 0.10 is measured ± 0.012 on 600 series, ± 0.021 on the 200 at lift 0);
* ``coverage_by_lift``, ``bias``, ``mean_width`` (of the interval), ``estimator`` (which one ran) and ``meets``
  (each target, true or false; "no worse than DiD" also when the paired difference of squared errors is within
  two Monte-Carlo standard errors of zero: the two estimates are nearly the same with a control).

The default ``series`` (60 per setting and lift: 540 estimates) takes about a minute of CPU (96 s on the shared
2 cores, about 30 s per setting); the README's figures are from 200.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, timedelta

import numpy as np
import pandas as pd

__all__ = ["run", "SETTINGS", "LIFTS", "simulate"]

PRE_DAYS, WINDOW_DAYS = 90, 21
LEVEL = 0.9
LIFTS = (0.0, 0.1, 0.3)
SETTINGS = ("no_control", "clean_control", "noisy_control_shock")
WEEK = np.array([1.00, 0.95, 0.97, 1.00, 1.08, 1.20, 0.80])
LEVEL_TEST, LEVEL_CONTROL = 200.0, 140.0
MARKET = (0.85, 0.06)  # AR(1) coefficient, standard deviation (log scale), shared by both regions
REGIONAL = (0.7, 0.03)  # each region's own drift
NOISE = 0.08
CONTROL_NOISE = {"no_control": 0.05, "clean_control": 0.05, "noisy_control_shock": 0.35}
SHOCK = 0.20
START = date(2026, 1, 5)  # a Monday
COVERAGE_TARGET = (0.87, 0.93)
FALSE_POSITIVE_TARGET, FALSE_POSITIVE_TARGET_SHOCK = 0.12, 0.15


def _ar1(rng: np.random.Generator, n: int, phi: float, sd: float) -> np.ndarray:
    shocks = rng.normal(0.0, sd * np.sqrt(1 - phi ** 2), n)
    out = np.empty(n)
    out[0] = rng.normal(0.0, sd)
    for t in range(1, n):
        out[t] = phi * out[t - 1] + shocks[t]
    return out


def simulate(rng: np.random.Generator, setting: str) -> tuple[np.ndarray, np.ndarray]:
    """One pair of daily series without the campaign: the campaign's region and the control region."""
    n = PRE_DAYS + WINDOW_DAYS
    week = WEEK[np.arange(n) % 7]
    market = _ar1(rng, n, *MARKET)
    y = LEVEL_TEST * week * np.exp(market + _ar1(rng, n, *REGIONAL) + rng.normal(0.0, NOISE, n))
    c = LEVEL_CONTROL * week * np.exp(market + _ar1(rng, n, *REGIONAL)
                                      + rng.normal(0.0, CONTROL_NOISE[setting], n))
    if setting == "noisy_control_shock":
        y[PRE_DAYS:] *= 1 + SHOCK
        c[PRE_DAYS:] *= 1 + SHOCK
    return y, c


def _one(y0: np.ndarray, c: np.ndarray, setting: str, lift: float, idx: pd.DatetimeIndex):
    from planner.campaigns import incrementality as inc

    y = y0.copy()
    y[PRE_DAYS:] *= 1 + lift
    truth = lift * float(y0[PRE_DAYS:].sum())
    ctrl = pd.DataFrame(index=idx) if setting == "no_control" else pd.DataFrame({"control": c}, index=idx)
    est = inc.estimate_series(pd.Series(y, index=idx), ctrl, idx[PRE_DAYS].date(), idx[-1].date(), level=LEVEL)
    did = inc.difference_in_differences(y[:PRE_DAYS], y[PRE_DAYS:], *((None, None) if setting == "no_control"
                                                                       else (c[:PRE_DAYS], c[PRE_DAYS:])))
    return est, truth, did


def run_setting(setting: str, series: int, seed: int, lifts: tuple[float, ...] = LIFTS) -> dict[str, object]:
    idx = pd.date_range(START, START + timedelta(days=PRE_DAYS + WINDOW_DAYS - 1), freq="D")
    rows = []
    estimators: Counter[str] = Counter()
    rng = np.random.default_rng([seed, SETTINGS.index(setting)])
    for lift in lifts:
        for _ in range(series):
            y0, c = simulate(rng, setting)
            est, truth, did = _one(y0, c, setting, lift, idx)
            estimators[est.estimator] += 1
            rows.append((lift, truth, est.incremental, est.low, est.high, did))
    a = np.array(rows)
    lift, truth, point, low, high, did = a.T
    covered = (low <= truth) & (truth <= high)
    zero, positive = lift == 0, lift > 0
    fpr_lift0 = float(((low > 0) | (high < 0))[zero].mean()) if zero.any() else None
    # lift-equivariant: missing the truth at any lift is claiming an effect at lift 0 (see the module docstring)
    fpr = float(1.0 - covered.mean()) if zero.any() else None
    err2, err2_did = (point - truth) ** 2, (did - truth) ** 2
    # "no worse than DiD": lower, or the paired difference of squared errors within 2 Monte-Carlo standard errors
    diff = err2 - err2_did
    no_worse = bool(diff.mean() <= 0 or diff.mean() <= 2 * diff.std(ddof=1) / np.sqrt(len(diff)))
    lo, hi = COVERAGE_TARGET
    fpr_target = FALSE_POSITIVE_TARGET_SHOCK if setting == "noisy_control_shock" else FALSE_POSITIVE_TARGET
    out: dict[str, object] = {
        "coverage_90": _r(covered.mean()),
        "coverage_90_se": _r(_se(float(covered.mean()), len(covered))),
        "false_positive_rate": None if fpr is None else _r(fpr),
        "false_positive_rate_se": None if fpr is None else _r(_se(fpr, len(covered))),
        "false_positive_rate_lift0": None if fpr_lift0 is None else _r(fpr_lift0),
        "false_positive_rate_lift0_se": None if fpr_lift0 is None else _r(_se(fpr_lift0, int(zero.sum()))),
        "power": _r((low > 0)[positive].mean()) if positive.any() else None,
        "rmse": _r(np.sqrt(err2.mean()), 1),
        "rmse_did": _r(np.sqrt(err2_did.mean()), 1),
        "bias": _r(np.mean(point - truth), 1),
        "mean_width": _r(np.mean(high - low), 1),
        "coverage_by_lift": {f"{v:g}": _r(covered[lift == v].mean()) for v in lifts},
        "power_by_lift": {f"{v:g}": _r((low > 0)[lift == v].mean()) for v in lifts if v > 0},
        "series": int(len(a)),
        "estimator": dict(estimators),
        "meets": {"coverage_90": bool(lo <= covered.mean() <= hi),
                  "false_positive_rate": None if fpr is None else bool(fpr <= fpr_target),
                  "rmse_vs_did": no_worse},
    }
    return out


def run(series: int = 60, seed: int = 17, settings: tuple[str, ...] = SETTINGS,
        lifts: tuple[float, ...] = LIFTS) -> dict[str, object]:
    """The study: ``series`` series per setting and lift (three settings × three lifts by default)."""
    if series < 1:
        raise ValueError("series must be at least 1")
    started = time.perf_counter()
    result: dict[str, object] = {}
    timings = {}
    for setting in settings:
        t0 = time.perf_counter()
        result[setting] = run_setting(setting, series, seed, lifts)
        timings[setting] = round(time.perf_counter() - t0, 1)
    return {"settings": result, "series_per_setting_and_lift": series, "seed": seed, "lifts": list(lifts),
            "level": LEVEL, "pre_days": PRE_DAYS, "window_days": WINDOW_DAYS,
            "targets": {"coverage_90": list(COVERAGE_TARGET), "false_positive_rate": FALSE_POSITIVE_TARGET,
                        "false_positive_rate_shock": FALSE_POSITIVE_TARGET_SHOCK,
                        "rmse": "no worse than rmse_did"},
            "seconds_by_setting": timings, "seconds": round(time.perf_counter() - started, 1)}


def text(result: dict[str, object]) -> str:
    """The study as a table, one setting a line."""
    lines = [f"incrementality: {result['series_per_setting_and_lift']} series per setting and lift "
             f"{result['lifts']}, seed {result['seed']}, {result['seconds']} s",
             f"{'setting':<22}{'coverage_90':>12}{'false_pos':>10}{'(lift 0)':>10}{'power':>8}{'rmse':>9}"
             f"{'rmse_did':>10}  meets"]
    settings = result["settings"]
    assert isinstance(settings, dict)
    for name, s in settings.items():
        meets = ", ".join(k for k, v in s["meets"].items() if v is False)
        lines.append(f"{name:<22}{_fmt(s['coverage_90']):>12}{_fmt(s['false_positive_rate']):>10}"
                     f"{_fmt(s['false_positive_rate_lift0']):>10}{_fmt(s['power']):>8}{_fmt(s['rmse'], 1):>9}"
                     f"{_fmt(s['rmse_did'], 1):>10}  "
                     f"{'all targets' if not meets else 'misses ' + meets}")
    return "\n".join(lines)


def _se(share: float, n: int) -> float:
    """The Monte-Carlo standard error of a share measured on n series."""
    return float(np.sqrt(share * (1 - share) / n)) if n else float("nan")


def _r(value: float, digits: int = 3) -> float:
    return round(float(value), digits)


def _fmt(value: object, digits: int = 3) -> str:
    return "—" if value is None else f"{float(str(value)):.{digits}f}"
