"""Incrementality: the campaign window's sales against a counterfactual baseline, with an interval that means
what it says (checked by a simulation study: ``python -m planner bench incrementality``).

Two estimators, chosen by the data, and the result says which (``estimator``) and why (``estimator_reason``):

* ``did_control`` — a control region is given. **Difference-in-differences against the control scaled to this
  region**: baseline = ratio × the control's sales in the window, the ratio being this region's sales over the
  control's before the window, weekday-balanced (each weekday weighs as often as the window has it). A shock both
  regions share (a holiday, a price change, the weather) moves the control too and drops out. The control enters
  with a fixed scale, never a fitted coefficient: a regression on a noisy control shrinks its weight
  (errors-in-variables) and credits a shared shock to the campaign, which is what the structural time-series
  model this replaces did.
* ``forecast`` — no control. A forecast from the region's own days before the window.
* ``flat`` — the sales (or their difference from the scaled control) did not vary before the window beyond their
  weekday pattern: the baseline repeats that week, and there is nothing to measure an interval from.

**With a control the interval comes from placebos in time** (``interval`` "placebo"; :func:`_placebo`): the same
estimate made in every window of the window's length among the days before it, where there was no campaign, its
baseline from the other days before the window (leaving out ``PLACEBO_GAP`` days on either side of it); their
relative errors' mean square (corrected by the white-noise ratio of the window's contrast to theirs) is the
spread of the window's relative error, a Student t with its effective degrees of freedom (the placebos overlap:
about 3.7 for 90 days before a 21-day window). It measures the error where it can be seen rather than from a model
of how persistent the difference is, which 90 days pin down poorly: the model's interval below covered a noisy
control's nearly white-noise difference in 0.92–0.94 of the simulation study's series (it weighs a slow drift the
days cannot rule out) and the clean control's in 0.89–0.90, and every prior tried moved the two together; the
placebos' interval covers both near 0.90 (README). When the days before the window hold too few placebo windows
(fewer than three effective degrees of freedom: a pre-period not several windows long) the model's interval is
used (``interval`` "model"), and the method says which.

The interval without a control, and with one as the fallback, comes from one model of the daily series d (this
region's sales minus the scaled control; the sales themselves without a control) before the window: weekday means,
plus a stationary AR(1) component, plus day-to-day noise. Its parameters are not plugged in but averaged over their
posterior: a grid over the AR coefficient φ (arcsine-spaced: Berger and Yang's reference prior for an AR(1)
coefficient, dense near ±1 where the window's total is most sensitive; without a control the interval weighs the
same grid by the model's exact reference prior instead, below) and the AR component's share of the variance
(uniform), each grid point weighted by its restricted (REML) likelihood, the weekday means and the variance
integrated out analytically (flat priors; a Student t with n − 7 degrees of freedom). So the uncertainty of the
weekday means, of the level and of how long a deviation lasts all reach the interval — a plug-in fit of the same
model covered the truth in only about 85 % of simulated series at 90 %.

* With a control (the fallback): the difference-in-differences error is a weekday-balanced contrast of d (window
  minus the weighted days before it), so its spread under each grid point is exact (aᵀVa); the interval is the DiD
  ± that mixture's quantiles, scaled by the control's level in the window against before it (a shared shock scales the
  noise too). The weighted days before the window in that contrast are the ratio's own error (the ratio is
  estimated from them, and an error in it moves the baseline by the scale × that weighted sum), so the
  uncertainty of the scale factor is in the interval (with 21 days before a 42-day window and day-to-day noise
  it is two thirds of the error's variance). The ratio and the interval depend only on the days before the
  window and the control's in it, so a lift moves the estimate and both ends of its interval together.
  How often it holds the truth depends on how persistent the difference really is, which 90 days pin down
  poorly: on series of the model, 0.935 where the difference is white noise (a noisy control's own noise), 0.91
  with an AR share of 17 % (φ 0.7), 0.86 for a small slow drift (10 %, φ 0.95). The control's noise, the ratio
  and the scale are counted once (under the pure-noise point alone, white-noise differences are covered as the
  level says); the excess at white noise is the posterior's weight on a slow drift, which every prior tried
  moves together with the drift's shortfall and the clean control's coverage (README).
* Without a control: the baseline is the model's posterior-mean forecast of the window (kriging: the recent days
  pull it while a deviation lasts, the weekday means beyond), the interval its posterior predictive quantiles
  under the model's exact reference prior over (φ, s) (Berger, De Oliveira and Sansó 2001: √det of the
  information of the restricted likelihood, for the days observed and the weekday means fitted;
  :func:`_reference_prior`). A forecast's total over weeks depends most on how long a deviation lasts, which 90
  days pin down least. Berger and Yang's prior is that reference prior's limit for a long pure AR(1) (no noise,
  one mean); for 90 noisy days with seven means fitted its posterior was sure too soon that deviations fade: its
  90 % interval covered the truth in 87 % of the simulation study's no-control series (3,000, five seeds) and in
  84–85 % of series of this very model with φ 0.85. The exact prior weighs a persistent component as much as the
  finite sample leaves room for: 91 % and 90–92 %. The price, in the same model: where deviations are short-lived
  (φ ≤ 0.6) its interval covers 94–97 %, on the safe side (Berger and Yang's 91–94 %). The point stays the mean
  under Berger and Yang's prior (under the exact prior its error was 1–1.5 % larger). With a control Berger and
  Yang's prior stays too: its intervals cover 89–94 % (the DiD contrast's error is mostly day-to-day noise and the
  scale's), and the exact prior widens them to 93–95 %.

Several control regions are summed into one (a pooled control). A control with no sales before the window is
left out (``controls_ignored``). Days missing from this region's series count on neither side; a control's
missing days are interpolated. At most the last ``MAX_PRE_DAYS`` days before the window are used.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from planner.core.errors import CodedError

MIN_PRE_DAYS = 21  # three weeks before the window, at least (a weekday mean needs several of its days)
MAX_PRE_DAYS = 182  # the last half-year before the window at most: older days add little and cost cubic time
LEVEL = 0.9
PLACEBO_GAP = 7  # days left out of a placebo window's own days before and after on either side (a week)
MIN_PLACEBO_DOF = 3.0  # fewer effective degrees of freedom than this: the model's interval instead

ESTIMATORS: dict[str, str] = {
    "did_control": "difference-in-differences against the control scaled to this region",
    "forecast": "a forecast from this region's own history",
    "flat": "the sales before the window repeated (they did not vary beyond their weekday pattern)",
}
# Why the estimator is the one used (English; the pages say it in their language: i18n results.inc_why.*)
REASONS: dict[str, str] = {
    "did_control": "A control region is given: a shock both regions share (a holiday, a price change, the weather) "
                   "moves the control too, so the difference against the scaled control leaves it out. The control "
                   "enters with a fixed scale, not a fitted weight: a regression shrinks a noisy control's weight and "
                   "credits a shared shock to the campaign. The interval comes from the same estimate made in windows "
                   "of the window's length placed among the days before it, where there was no campaign (placebos): "
                   "how far those missed is how far this one may miss, whatever the two regions' difference is like "
                   "(too few days before the window for that: from a model of the daily difference). Checked by a "
                   "simulation study.",
    "forecast": "No control region: the baseline can only come from this region's own history (weekday effects, a "
                "level that wanders and returns), its interval from the same model with its parameters uncertain, "
                "wide enough for a deviation that lasts longer than the history shows. A shock in the window that "
                "is not the campaign (a holiday, a competitor's sale) cannot be told apart from it: add a control "
                "region's sales to rule that out.",
    "flat": "Before the window the sales repeated the same week exactly (or did not change at all), so there is no "
            "day-to-day variation to measure the uncertainty from: the interval is the point.",
}
METHOD = ("{name}{control}; the {pre} days before the window; {level:.0f} % interval from a model of the daily "
          "{series} (weekday means, an AR(1) component and noise) with its parameters averaged over their posterior")
METHOD_PLACEBO = ("{name}{control}; the {pre} days before the window; {level:.0f} % interval from {count} placebo "
                  "windows of {days} days among them (the same estimate where there was no campaign; Student t with "
                  "{dof:.1f} degrees of freedom)")

ERRORS: dict[str, str] = {
    "no_window": "the campaign window is not set (and no publication date gives it)",
    "short_pre": "only {days} days before the window: at least {need} are needed for a baseline",
    "no_window_days": "the sales series has no day inside the campaign window",
}


class IncrementalityError(CodedError, ValueError):
    """Why there is no estimate, by code (:data:`ERRORS`; the Results page says it in its language:
    i18n ``results.inc_error.*``)."""

    MESSAGES = ERRORS
    I18N_PREFIX = "results.inc_error."


@dataclass(frozen=True)
class Incrementality:
    """The window's actual sales, the baseline and incremental = actual − baseline, with the interval
    (``low``/``high`` of the incremental sales at ``level``); ``estimator`` (a key of ESTIMATORS) and
    ``estimator_reason`` say which estimate it is and why; ``daily``: day, actual, baseline, low, high (the
    baseline's daily band), in_window."""

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
    estimator: str = "forecast"
    estimator_reason: str = ""
    controls_ignored: tuple[str, ...] = ()
    interval: str = "model"  # how the interval was made: "placebo", "model" or "point" (flat)
    daily: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)

    def to_dict(self) -> dict[str, object]:
        return {"baseline": self.baseline, "actual": self.actual, "incremental": self.incremental, "low": self.low,
                "high": self.high, "level": self.level, "method": self.method, "estimator": self.estimator,
                "estimator_reason": self.estimator_reason,
                "window_start": self.window_start.isoformat(), "window_end": self.window_end.isoformat(),
                "pre_days": self.pre_days, "control_regions": list(self.control_regions),
                "controls_ignored": list(self.controls_ignored), "interval": self.interval}


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


def estimate(sales: pd.DataFrame, window_start: date, window_end: date, *, level: float = LEVEL) -> Incrementality:
    """Incremental sales in [window_start, window_end] (inclusive) from a series of day, region, control, sales."""
    test, ctrl = daily_series(sales)
    return estimate_series(test, ctrl, window_start, window_end, level=level)


def estimate_series(test: pd.Series, ctrl: pd.DataFrame, window_start: date, window_end: date, *,
                    level: float = LEVEL) -> Incrementality:
    """The same from the daily series themselves (``daily_series``'s output: one continuous daily index)."""
    ws, we = pd.Timestamp(window_start), pd.Timestamp(window_end)
    idx = test.index[(test.index <= we)]
    pre_idx = idx[idx < ws][-MAX_PRE_DAYS:]
    win_idx = idx[idx >= ws]
    y_pre = test.loc[pre_idx].to_numpy(dtype=float)
    y_win = test.loc[win_idx].to_numpy(dtype=float)
    pre_seen, win_seen = np.isfinite(y_pre), np.isfinite(y_win)
    if int(pre_seen.sum()) < MIN_PRE_DAYS:
        raise IncrementalityError("short_pre", days=int(pre_seen.sum()), need=MIN_PRE_DAYS)
    if not win_seen.any():
        raise IncrementalityError("no_window_days")
    n_pre = len(pre_idx)
    pos = np.arange(n_pre + len(win_idx), dtype=float)  # day positions: the correlation of days goes by distance
    dow = np.concatenate([pre_idx.day_of_week.to_numpy(), win_idx.day_of_week.to_numpy()])
    pre_dow, win_dow = dow[:n_pre][pre_seen], dow[n_pre:][win_seen]

    # the controls with sales before the window, pooled
    used: list[object] = []
    ignored: list[object] = []
    for col in ctrl.columns:
        values = ctrl.loc[pre_idx, col].to_numpy(dtype=float)
        (used if np.nansum(values[pre_seen]) > 0 else ignored).append(col)
    has_control = bool(used)
    c_pre = ctrl.loc[pre_idx, used].sum(axis=1).to_numpy(dtype=float) if has_control else np.zeros(n_pre)
    c_win = ctrl.loc[win_idx, used].sum(axis=1).to_numpy(dtype=float) if has_control else np.zeros(len(win_idx))

    # weekday balance: each weekday's days before the window weigh as often as the window has that weekday
    win_count = np.bincount(win_dow, minlength=7)
    pre_count = np.bincount(pre_dow, minlength=7)
    by_weekday = bool(np.all(pre_count[win_count > 0] >= 2))
    weights = (win_count / np.maximum(pre_count, 1))[pre_dow] if by_weekday \
        else np.full(len(pre_dow), win_seen.sum() / pre_seen.sum())
    yp, cp, cw = y_pre[pre_seen], c_pre[pre_seen], c_win[win_seen]
    actual = float(y_win[win_seen].sum())
    if has_control and float(weights @ cp) <= 0:  # the control sold only on weekdays the window does not have
        ignored, used, has_control = ignored + used, [], False
    if has_control:
        ratio = float(weights @ yp) / float(weights @ cp)
        scale = float(cw.sum()) / float(weights @ cp)  # the control's level in the window against before it
    else:
        ratio, scale = 0.0, 1.0
    d_pre = yp - ratio * cp
    x_pre = _design(pre_dow, by_weekday)
    x_win = _design(win_dow, by_weekday)
    contrast = np.concatenate([-weights, np.ones(int(win_seen.sum()))])  # the DiD error's weights on d

    pre_pos, win_pos = pos[:n_pre][pre_seen], pos[n_pre:][win_seen]
    placebo: _Placebo | None = None
    if has_control and ratio * float(cw.sum()) > 0 and not _explained(d_pre, x_pre):
        placebo = _placebo(yp, cp, pre_dow, win_count, int(win_seen.sum()), float(contrast @ contrast), by_weekday)
    post = None
    if placebo is None and np.ptp(d_pre) > 0:
        post = _posterior(d_pre, pre_pos, x_pre, win_pos, x_win, contrast)
    if placebo is not None:  # the placebos' relative errors: the baseline × (1 ± t · their spread)
        from scipy import stats
        estimator = "did_control"
        base_win = ratio * cw
        baseline = float(base_win.sum())
        half = float(stats.t.ppf((1 + level) / 2, placebo.dof)) * placebo.sd
        lo_b, hi_b = baseline * (1 - half), baseline * (1 + half)
        # a day's band: how far single days before the window strayed from the scaled control
        band = base_win * placebo.day_sd * float(stats.t.ppf((1 + level) / 2, max(len(yp) - 1, 1)))
        fitted = ratio * cp
    elif post is None:
        estimator = "flat"
        means = np.linalg.lstsq(x_pre, d_pre, rcond=None)[0]
        base_win = ratio * cw + scale * (x_win @ means)
        baseline = float(base_win.sum())
        lo_b = hi_b = baseline
        band = np.zeros(len(base_win))
        fitted = ratio * cp + x_pre @ means
    elif has_control:
        estimator = "did_control"
        base_win = ratio * cw
        baseline = float(base_win.sum())
        q_lo, q_hi = _mixture_quantiles(post.weights, np.zeros_like(post.did_var), np.sqrt(post.s2 * post.did_var),
                                        post.dof, ((1 - level) / 2, (1 + level) / 2))
        lo_b, hi_b = baseline + scale * q_lo, baseline + scale * q_hi
        band = scale * np.sqrt(post.weights @ (post.s2[:, None] * post.day_var)) * post.t_factor(level)
        fitted = ratio * cp
    else:
        estimator = "forecast"
        base_win = post.weights @ post.day_mean
        baseline = float(post.weights @ post.sum_mean)
        # the interval: the posterior predictive under the model's exact reference prior (the point stays the
        # posterior mean under Berger and Yang's, the more accurate; see the module docstring)
        exact = post.weights_exact()
        lo_b, hi_b = _mixture_quantiles(exact, post.sum_mean, np.sqrt(post.s2 * post.sum_var), post.dof,
                                        ((1 - level) / 2, (1 + level) / 2))
        spread = exact @ (post.s2[:, None] * post.day_var + (post.day_mean - base_win) ** 2)
        band = np.sqrt(spread) * post.t_factor(level)
        fitted = x_pre @ (post.weights @ post.beta)

    daily = _daily(pre_idx, win_idx, y_pre, y_win, pre_seen, win_seen, fitted, base_win, band)
    controls = tuple(str(c) for c in used)
    words = {"name": ESTIMATORS[estimator][0].upper() + ESTIMATORS[estimator][1:],
             "control": (f" (control regions {', '.join(controls)}, ratio {ratio:.4g})" if has_control else ""),
             "pre": int(pre_seen.sum()), "level": level * 100}
    if placebo is not None:
        method = METHOD_PLACEBO.format(**words, count=placebo.count, days=int(win_seen.sum()), dof=placebo.dof)
    else:
        method = METHOD.format(**words, series="difference from the scaled control" if has_control else "sales")
    return Incrementality(baseline=baseline, actual=actual, incremental=actual - baseline,
                          low=float(actual - hi_b), high=float(actual - lo_b), level=level, method=method,
                          window_start=window_start, window_end=window_end, pre_days=int(pre_seen.sum()),
                          control_regions=controls, estimator=estimator, estimator_reason=REASONS[estimator],
                          controls_ignored=tuple(str(c) for c in ignored),
                          interval="point" if estimator == "flat" else "placebo" if placebo is not None else "model",
                          daily=daily)


@dataclass(frozen=True)
class _Placebo:
    """The placebos' verdict on the window's estimate: the standard deviation of its relative error (the error over
    the baseline), its effective degrees of freedom and how many placebo windows."""

    sd: float
    dof: float
    count: int
    day_sd: float = 0.0  # single days' relative deviation from the scaled control before the window (the chart's band)


def _placebo(yp: np.ndarray, cp: np.ndarray, dow: np.ndarray, win_count: np.ndarray, days: int,
             contrast_sq: float, by_weekday: bool) -> _Placebo | None:
    """The interval's spread from placebos in time: the window's estimate made again where there was no campaign.

    Each run of ``days`` consecutive observed days before the window is a placebo window; its baseline is the control
    in it × the ratio of the other days before the window, weekday-balanced as the window's is, leaving out
    ``PLACEBO_GAP`` days on either side of it (its neighbours share its short-lived deviations, as the days just
    before the window share the window's on one side only). Its error is known (no campaign): (sales − baseline) /
    baseline. The window's relative error has their mean square, corrected by κ, the ratio of the white-noise
    variance of the window's contrast (aᵀa: its days and the weighted days before it) to the placebos' mean (a
    placebo's own days before it are fewer); the placebos overlap, so the spread is a Student t's with the effective
    degrees of freedom of that mean square (Satterthwaite, for independent days: (tr A)² / tr A², A the placebos'
    mean aₚaₚᵀ). None when there is no placebo, the degrees of freedom are below ``MIN_PLACEBO_DOF`` (a pre-period
    not several windows long) or the errors are all 0: the model's interval then."""
    n = len(yp)
    errors, rows = [], []
    idx = np.arange(n)
    for t in range(0, n - days + 1):
        win = idx[t:t + days]
        pre = np.concatenate([idx[:max(t - PLACEBO_GAP, 0)], idx[t + days + PLACEBO_GAP:]])
        if len(pre) < MIN_PRE_DAYS:
            continue
        wc, pc = np.bincount(dow[win], minlength=7), np.bincount(dow[pre], minlength=7)
        if by_weekday and not np.array_equal(wc, win_count):  # not the window's weekdays (days missing)
            continue
        if by_weekday and np.any(pc[wc > 0] < 2):
            continue
        w = (wc / np.maximum(pc, 1))[dow[pre]] if by_weekday else np.full(len(pre), days / len(pre))
        den = float(w @ cp[pre])
        if den <= 0:
            continue
        base = float(w @ yp[pre]) / den * float(cp[win].sum())
        if base <= 0:
            continue
        errors.append((float(yp[win].sum()) - base) / base)
        a = np.zeros(n)
        a[win] = 1.0
        a[pre] = -w
        rows.append(a)
    if not rows:
        return None
    a = np.array(rows)
    gram = a @ a.T
    dof = float(np.trace(gram) ** 2 / np.sum(gram ** 2))
    mean_sq = float(np.mean(np.square(errors)))
    if dof < MIN_PLACEBO_DOF or mean_sq <= 1e-20:
        return None
    kappa = contrast_sq / float(np.mean(np.diag(gram)))
    scaled = cp * float(yp.sum()) / float(cp.sum()) if float(cp.sum()) > 0 else cp
    daily = (yp - scaled)[scaled > 0] / scaled[scaled > 0]
    return _Placebo(sd=float(np.sqrt(kappa * mean_sq)), dof=dof, count=len(rows),
                    day_sd=float(np.sqrt(np.mean(daily ** 2))) if len(daily) else 0.0)


def _explained(d: np.ndarray, x: np.ndarray) -> bool:
    """d is its weekday means exactly (or constant): nothing varies to measure an interval from."""
    if np.ptp(d) == 0:
        return True
    n, p = x.shape
    if n - p < 2:
        return True
    res = d - x @ np.linalg.lstsq(x, d, rcond=None)[0]
    return float(res @ res) / (n - p) <= 1e-12 * max(1.0, float(np.mean(d ** 2)))


def difference_in_differences(y_pre: np.ndarray, y_win: np.ndarray, c_pre: np.ndarray | None = None,
                              c_win: np.ndarray | None = None) -> float:
    """The textbook comparison, no model: the window's sales − the control's in the window × (this region's
    sales / the control's before the window); without a control, before / after: the window's sales − the mean
    day before it × the window's days. NaN days are left out. The simulation study's yardstick."""
    seen_pre, seen_win = np.isfinite(y_pre), np.isfinite(y_win)
    actual = float(y_win[seen_win].sum())
    if c_pre is None or c_win is None:
        return actual - float(y_pre[seen_pre].mean()) * int(seen_win.sum())
    return actual - float(c_win[seen_win].sum()) * float(y_pre[seen_pre].sum()) / float(c_pre[seen_pre].sum())


# ---- the model of the daily series --------------------------------------------------------------------------
_PHI_POINTS = 40
_SHARES = np.linspace(0.1, 1.0, 10)
# AR coefficients at equal steps of arcsin(φ): the reference prior 1 / (π √(1 − φ²)) as equal weights
_PHI = np.sin(-np.pi / 2 + (np.arange(_PHI_POINTS) + 0.5) * np.pi / _PHI_POINTS)
_PHI_PRIOR = np.ones(_PHI_POINTS)
# the grid over (φ, s): the pure-noise point, then each share's row of φ
_GRID = np.array([(0.0, 0.0)] + [(float(phi), float(s)) for s in _SHARES for phi in _PHI])
_CHUNK = 100  # grid points per batch (memory: chunk × days² floats)


def _design(dow: np.ndarray, by_weekday: bool) -> np.ndarray:
    return np.eye(7)[dow] if by_weekday else np.ones((len(dow), 1))


@dataclass(frozen=True)
class _Posterior:
    """Per grid point: its posterior weight (under Berger and Yang's prior over φ, and under the model's exact
    reference prior over (φ, s): :func:`_reference_prior`), the window's total (mean and variance per unit σ²), each
    window day's mean and variance, the DiD contrast's variance, the weekday means, σ²'s scale and the t's
    freedom."""

    weights: np.ndarray
    loglik: np.ndarray
    sum_mean: np.ndarray
    sum_var: np.ndarray
    day_mean: np.ndarray
    day_var: np.ndarray
    did_var: np.ndarray
    beta: np.ndarray
    s2: np.ndarray
    dof: int
    pos: np.ndarray
    x: np.ndarray

    def weights_exact(self) -> np.ndarray:
        """The posterior weights under the model's exact reference prior (:func:`_reference_prior`)."""
        with np.errstate(divide="ignore"):  # the exact prior is 0 at the pure-noise point
            log_post = np.log(_reference_prior(self.pos, self.x)) + self.loglik
        if not np.isfinite(log_post.max()):  # no point the prior and the data both allow (not seen): Berger and Yang's
            return self.weights
        w = np.exp(log_post - log_post.max())
        return w / w.sum()

    def t_factor(self, level: float) -> float:
        from scipy import stats
        return float(stats.t.ppf((1 + level) / 2, self.dof))


def _posterior(d: np.ndarray, pos: np.ndarray, x: np.ndarray, wpos: np.ndarray, xw: np.ndarray,
               contrast: np.ndarray) -> _Posterior | None:
    """d = x β + u before the window, u = AR(1)(φ, share s of the variance) + noise (1 − s); the grid over (φ, s)
    weighted by the REML likelihood (β and σ² integrated out: flat β, 1/σ² prior), each point giving the
    window's predictive (universal kriging) and the DiD contrast's variance. None when d is explained exactly."""
    n, p = x.shape
    m = len(wpos)
    if n - p < 2:
        return None
    allpos = np.concatenate([pos, wpos])
    lag = np.abs(allpos[:, None] - allpos[None, :]).astype(int)
    # equal prior mass per share (the pure-noise point stands for a whole share's row of φ)
    prior = np.concatenate([[_PHI_PRIOR.sum()], np.tile(_PHI_PRIOR, len(_SHARES))])
    eye = np.eye(n + m)
    out: list[tuple[np.ndarray, ...]] = []
    for start in range(0, len(_GRID), _CHUNK):
        g = _GRID[start:start + _CHUNK]
        phi, s = g[:, 0], g[:, 1]
        powers = np.power.outer(phi, np.arange(int(lag.max()) + 1))  # φ^k, k = 0 .. the longest distance
        v = s[:, None, None] * powers[:, lag] + (1 - s)[:, None, None] * eye
        vpp, vwp, vww = v[:, :n, :n], v[:, n:, :n], v[:, n:, n:]
        chol = np.linalg.cholesky(vpp)
        rhs = np.concatenate([np.broadcast_to(x, (len(g), n, p)), np.broadcast_to(d[:, None], (len(g), n, 1)),
                              vwp.transpose(0, 2, 1)], axis=2)
        z = np.linalg.solve(chol, rhs)  # L⁻¹ [X d V_pw]
        lx, ld, lv = z[:, :, :p], z[:, :, p], z[:, :, p + 1:]
        xtvx = lx.transpose(0, 2, 1) @ lx
        xtvx_inv = np.linalg.inv(xtvx)
        beta = (xtvx_inv @ (lx.transpose(0, 2, 1) @ ld[:, :, None]))[:, :, 0]
        res = ld - (lx @ beta[:, :, None])[:, :, 0]  # L⁻¹ (d − X β̂)
        rss = (res ** 2).sum(axis=1)
        loglik = (-np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1) - 0.5 * np.linalg.slogdet(xtvx)[1]
                  - 0.5 * (n - p) * np.log(np.maximum(rss, 1e-300)))
        # each window day: x_w β̂ + V_wp V⁻¹ (d − X β̂); variance V_ww − V_wp V⁻¹ V_pw + c (XᵀV⁻¹X)⁻¹ cᵀ
        day_mean = beta @ xw.T + (lv * res[:, :, None]).sum(axis=1)
        cw = xw[None] - lv.transpose(0, 2, 1) @ lx  # m × p per point
        cov = vww - lv.transpose(0, 2, 1) @ lv + cw @ xtvx_inv @ cw.transpose(0, 2, 1)
        day_var = np.diagonal(cov, axis1=1, axis2=2)
        sum_var = cov.sum(axis=(1, 2))
        did_var = np.einsum("i,gij,j->g", contrast, v, contrast)
        out.append((loglik, day_mean.sum(axis=1), sum_var, day_mean, day_var, did_var, beta, rss / (n - p)))
    loglik, sum_mean, sum_var, day_mean, day_var, did_var, beta, s2 = (np.concatenate(a)
                                                                       for a in zip(*out, strict=True))
    if not np.all(np.isfinite(loglik)) or float(s2.max()) <= 1e-12 * max(1.0, float(np.mean(d ** 2))):
        return None
    like = np.exp(loglik - loglik.max())
    w = prior * like
    return _Posterior(weights=w / w.sum(), loglik=loglik, sum_mean=sum_mean,
                      sum_var=np.maximum(sum_var, 0.0), day_mean=day_mean,
                      day_var=np.maximum(day_var, 0.0), did_var=np.maximum(did_var, 0.0), beta=beta, s2=s2,
                      dof=n - p, pos=pos, x=x)


def _reference_prior(pos: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The model's exact reference prior over the grid of (φ, s), as each grid point's prior mass.

    The reference prior of Berger, De Oliveira and Sansó (2001, "Objective Bayesian analysis of spatially
    correlated data", JASA 96: 1361–1374) for a Gaussian model with a regression mean (here the weekday means, flat
    prior), a scale σ² (prior 1/σ²) and correlation parameters θ = (φ, s): π(θ) ∝ √det I(θ), where I(θ) is the
    information matrix of (log σ², φ, s) after the mean is integrated out, with entries n − p, tr Wᵢ and tr WᵢWⱼ,
    Wᵢ = (∂V/∂θᵢ) Q and Q = V⁻¹ − V⁻¹X (XᵀV⁻¹X)⁻¹ XᵀV⁻¹ — for the days actually observed and the mean actually
    fitted. Berger and Yang's 1 / √(1 − φ²) is its limit for a long pure AR(1) (no noise, one mean). For 90 days with
    noise and seven weekday means it gives more weight to a persistent component than that limit does (the data
    cannot exclude one, and the forecast's total depends on it most). The grid's φ are at equal steps of arcsin φ,
    so each point's mass is the density × √(1 − φ²); the shares have equal steps. Depends on the days' positions
    and the design only, not on the sales: computed once per pattern of days."""
    key = (np.ascontiguousarray(pos, dtype=float) - float(pos[0])).tobytes()
    return _reference_prior_cached(key, np.ascontiguousarray(x, dtype=float).tobytes(), x.shape)


@functools.lru_cache(maxsize=16)
def _reference_prior_cached(pos_key: bytes, x_key: bytes, shape: tuple[int, int]) -> np.ndarray:
    pos = np.frombuffer(pos_key)
    x = np.frombuffer(x_key).reshape(shape)
    lag = np.abs(pos[:, None] - pos[None, :]).astype(int)
    k = np.arange(int(lag.max()) + 1)
    eye = np.eye(len(pos))
    density = np.empty(len(_GRID))
    for i, (phi, s) in enumerate(_GRID):
        powers = phi ** k  # φ^k
        slope = np.concatenate([[0.0], k[1:] * powers[:-1]])  # d φ^k / dφ = k φ^(k − 1)
        corr = powers[lag]
        density[i] = _reference_density(s * corr + (1 - s) * eye, (s * slope[lag], corr - eye), x)
    mass = density * np.sqrt(1 - _GRID[:, 0] ** 2)
    mass.flags.writeable = False
    return mass


def _reference_density(v: np.ndarray, derivatives: tuple[np.ndarray, ...], x: np.ndarray) -> float:
    """√det of Berger, De Oliveira and Sansó's information matrix for the covariance σ² V(θ) with the mean x β
    integrated out: entries n − p (log σ²), tr Wᵢ and tr WᵢWⱼ, Wᵢ = (∂V/∂θᵢ) Q, Q the restricted precision."""
    n, p = x.shape
    v_inv = np.linalg.inv(v)
    vx = v_inv @ x
    q = v_inv - vx @ np.linalg.solve(x.T @ vx, vx.T)
    ws = [d @ q for d in derivatives]
    k = len(ws)
    info = np.empty((k + 1, k + 1))
    info[0, 0] = n - p
    for i in range(k):
        info[0, i + 1] = info[i + 1, 0] = np.trace(ws[i])
        for j in range(i, k):
            info[i + 1, j + 1] = info[j + 1, i + 1] = float(np.sum(ws[i] * ws[j].T))
    return float(np.sqrt(max(np.linalg.det(info), 0.0)))


def _mixture_quantiles(weights: np.ndarray, centre: np.ndarray, scale: np.ndarray, dof: int,
                       qs: tuple[float, ...]) -> tuple[float, ...]:
    """Quantiles of Σ wᵢ · t(dof, centreᵢ, scaleᵢ), solved exactly (no sampling: the same data give the same
    interval)."""
    from scipy import optimize, stats
    keep = weights > 1e-9 * weights.max()
    w, c, sc = weights[keep] / weights[keep].sum(), centre[keep], np.maximum(scale[keep], 1e-12)
    lo, hi = float(np.min(c - 200 * sc)), float(np.max(c + 200 * sc))

    def cdf(v: float) -> float:
        return float(w @ stats.t.cdf((v - c) / sc, dof))

    return tuple(optimize.brentq(lambda v, q=q: cdf(v) - q, lo, hi, xtol=1e-9 * max(1.0, hi - lo)) for q in qs)


def _daily(pre_idx: pd.DatetimeIndex, win_idx: pd.DatetimeIndex, y_pre: np.ndarray, y_win: np.ndarray,
           pre_seen: np.ndarray, win_seen: np.ndarray, fitted: np.ndarray, base_win: np.ndarray,
           band: np.ndarray) -> pd.DataFrame:
    """Day, actual, baseline (the estimate's own line before the window too), the baseline's daily band."""
    base_pre = np.full(len(pre_idx), np.nan)
    base_pre[pre_seen] = fitted
    base = np.full(len(win_idx), np.nan)
    base[win_seen] = base_win
    half = np.full(len(win_idx), np.nan)
    half[win_seen] = band
    return pd.DataFrame({
        "day": list(pre_idx.date) + list(win_idx.date),
        "actual": list(y_pre) + list(y_win),
        "baseline": list(base_pre) + list(base),
        "low": [np.nan] * len(pre_idx) + list(base - half),
        "high": [np.nan] * len(pre_idx) + list(base + half),
        "in_window": [False] * len(pre_idx) + [True] * len(win_idx),
    })


def default_window(published: pd.Series, carryover_days: int = 7) -> tuple[date, date] | None:
    """The campaign window when none is set: from the first publication to a week after the last (buyers come
    later than the post)."""
    days = pd.to_datetime(pd.Series(published), errors="coerce").dropna()
    if days.empty:
        return None
    return days.min().date(), days.max().date() + timedelta(days=carryover_days)
