"""Incrementality: the campaign window's sales against a counterfactual baseline, in the spirit of Google's
CausalImpact, with statsmodels' structural time-series model (``UnobservedComponents``).

The model (a local level, a weekly cycle, and the control regions' sales as regressors when the series has
them) is fitted on the days before the window only, then forecast over the window: that forecast is what the
sales would have been without the campaign. Incremental sales = actual − baseline. The interval comes from
simulated paths over the window (level and noise shocks) under parameter sets drawn around the fitted ones (the
regression on the controls and the variances: their uncertainty counts too, as in CausalImpact's Bayesian fit),
summed per path: an interval of the window's total, not of single days.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

MIN_PRE_DAYS = 21  # three weeks before the window, at least (the weekly cycle needs them)
SIMULATIONS = 2000
METHOD = "statsmodels UnobservedComponents (local level + weekly cycle{control}), fitted on {pre} days before " \
         "the window; {level:.0f} % interval from {sims} simulated paths under drawn parameters"

ERRORS: dict[str, str] = {
    "no_window": "the campaign window is not set (and no publication date gives it)",
    "short_pre": "only {days} days before the window: at least {need} are needed for a baseline",
    "no_window_days": "the sales series has no day inside the campaign window",
}


class IncrementalityError(ValueError):
    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(ERRORS[code].format(**params))


@dataclass(frozen=True)
class Incrementality:
    """The window's actual sales, the baseline forecast and incremental = actual − baseline, with the interval
    (``low``/``high`` of the incremental sales at ``level``); ``daily``: day, actual, baseline, low, high (the
    baseline's daily interval), in_window."""

    baseline: float
    actual: float
    incremental: float
    low: float
    high: float
    level: float
    method: str
    window_start: date
    window_end: date
    pre_days: int
    control_regions: tuple[str, ...] = ()
    daily: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)

    def to_dict(self) -> dict[str, object]:
        return {"baseline": self.baseline, "actual": self.actual, "incremental": self.incremental, "low": self.low,
                "high": self.high, "level": self.level, "method": self.method,
                "window_start": self.window_start.isoformat(), "window_end": self.window_end.isoformat(),
                "pre_days": self.pre_days, "control_regions": list(self.control_regions)}


def daily_series(sales: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """The campaign's daily series (regions that are not controls, summed) and the controls (a column each),
    on one continuous daily index (a missing day of the campaign's series is NaN; of a control, interpolated)."""
    frame = sales.copy()
    frame["day"] = pd.to_datetime(frame["day"])
    test = frame[~frame["control"].astype(bool)].groupby("day")["sales"].sum(min_count=1)
    ctrl = frame[frame["control"].astype(bool)].pivot_table(index="day", columns="region", values="sales",
                                                            aggfunc="sum")
    start = min([d for d in (test.index.min(), ctrl.index.min() if len(ctrl) else None) if d is not None])
    end = max([d for d in (test.index.max(), ctrl.index.max() if len(ctrl) else None) if d is not None])
    idx = pd.date_range(start, end, freq="D")
    test = test.reindex(idx)
    ctrl = ctrl.reindex(idx).interpolate(limit_direction="both") if len(ctrl.columns) else pd.DataFrame(index=idx)
    return test, ctrl


def estimate(sales: pd.DataFrame, window_start: date, window_end: date, *, level: float = 0.9,
             seed: int = 0, simulations: int = SIMULATIONS) -> Incrementality:
    """Incremental sales in [window_start, window_end] (inclusive) from a series of day, region, control, sales."""
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    test, ctrl = daily_series(sales)
    ws, we = pd.Timestamp(window_start), pd.Timestamp(window_end)
    pre_mask = test.index < ws
    win_mask = (test.index >= ws) & (test.index <= we)
    pre_days = int(np.isfinite(test[pre_mask].to_numpy(dtype=float)).sum())
    if pre_days < MIN_PRE_DAYS:
        raise IncrementalityError("short_pre", days=pre_days, need=MIN_PRE_DAYS)
    if not np.isfinite(test[win_mask].to_numpy(dtype=float)).any():
        raise IncrementalityError("no_window_days")
    # the model sees the days from the first one up to the window's end; the window's own sales are hidden
    idx = test.index[test.index <= we]
    y_pre = test[idx[idx < ws]].to_numpy(dtype=float)
    exog = ctrl.loc[idx].to_numpy(dtype=float) if len(ctrl.columns) else None
    n_pre = len(y_pre)
    steps = int(win_mask.sum())
    model = UnobservedComponents(y_pre, level="local level", freq_seasonal=[{"period": 7, "harmonics": 3}],
                                 exog=None if exog is None else exog[:n_pre])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter of the optimiser: the fit is checked below
        fit = model.fit(disp=False, maxiter=1000)
        exog_win = None if exog is None else exog[n_pre:n_pre + steps]
        forecast = fit.get_forecast(steps, exog=exog_win)
        alpha = 1.0 - level
        band = np.asarray(forecast.conf_int(alpha=alpha), dtype=float)
        mean = np.asarray(forecast.predicted_mean, dtype=float)
        paths = _paths(model, fit, steps, exog_win, simulations, np.random.default_rng(seed))
    actual_win = test[win_mask].to_numpy(dtype=float)
    seen = np.isfinite(actual_win)  # a day missing from the series counts on neither side
    actual = float(actual_win[seen].sum())
    baseline = float(mean[seen].sum())
    totals = paths[seen].sum(axis=0)
    lo_base, hi_base = np.quantile(totals, [alpha / 2, 1 - alpha / 2])
    win_days = test.index[win_mask]
    fitted = np.asarray(fit.fittedvalues, dtype=float)
    pre_idx = idx[idx < ws]
    daily = pd.DataFrame({
        "day": list(pre_idx.date) + list(win_days.date),
        "actual": list(y_pre) + list(actual_win),
        "baseline": list(fitted) + list(mean),
        "low": [np.nan] * n_pre + list(band[:, 0]),
        "high": [np.nan] * n_pre + list(band[:, 1]),
        "in_window": [False] * n_pre + [True] * steps,
    })
    daily.loc[: min(7, n_pre) - 1, "baseline"] = np.nan  # the filter's first days are its start-up, not a fit
    controls = tuple(str(c) for c in ctrl.columns)
    method = METHOD.format(control=(", control regions " + ", ".join(controls)) if controls else "", pre=n_pre,
                           level=level * 100, sims=simulations)
    return Incrementality(baseline=baseline, actual=actual, incremental=actual - baseline,
                          low=float(actual - hi_base), high=float(actual - lo_base), level=level, method=method,
                          window_start=window_start, window_end=window_end, pre_days=n_pre,
                          control_regions=controls, daily=daily)


PARAM_DRAWS = 50  # parameter sets drawn from the fit's asymptotic distribution (the regression on the controls, the
#                   variances): paths simulated under each, so the interval carries the parameters' uncertainty too


def _paths(model, fit, steps: int, exog_win, simulations: int, rng: np.random.Generator) -> np.ndarray:
    """Simulated paths of the window (steps x paths): under parameter sets drawn around the fitted ones (variances
    kept positive), each filtered again and simulated from the end of the pre-period; the fitted parameters alone
    when their covariance cannot be used."""
    params = np.asarray(fit.params, dtype=float)
    try:
        cov = np.asarray(fit.cov_params(), dtype=float)
        ok = np.isfinite(cov).all() and np.all(np.linalg.eigvalsh((cov + cov.T) / 2) > -1e-9)
    except (ValueError, np.linalg.LinAlgError):
        ok = False
    if not ok:
        return np.asarray(fit.simulate(steps, repetitions=simulations, anchor="end", exog=exog_win, rng=rng),
                          dtype=float).reshape(steps, -1)
    variance = np.array(["sigma2" in str(n) for n in model.param_names])
    draws = rng.multivariate_normal(params, (cov + cov.T) / 2, size=PARAM_DRAWS, method="eigh")
    draws[:, variance] = np.abs(draws[:, variance])
    per = max(1, simulations // PARAM_DRAWS)
    out = []
    for d in draws:
        res = model.filter(d)
        out.append(np.asarray(res.simulate(steps, repetitions=per, anchor="end", exog=exog_win, rng=rng),
                              dtype=float).reshape(steps, -1))
    return np.concatenate(out, axis=1)


def default_window(published: pd.Series, carryover_days: int = 7) -> tuple[date, date] | None:
    """The campaign window when none is set: from the first publication to a week after the last (buyers come
    later than the post)."""
    days = pd.to_datetime(pd.Series(published), errors="coerce").dropna()
    if days.empty:
        return None
    return days.min().date(), days.max().date() + timedelta(days=carryover_days)
