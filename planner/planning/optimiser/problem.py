"""The optimiser's public data: a brief as arrays (:class:`Problem`), a plan with its certificate
(:class:`Solution`), the gap targets, and the errors, each by code with its English text in a table so that a page
can say the same in its language: :class:`Infeasible` (no plan meets the brief, :data:`INFEASIBLE`),
:class:`ProblemError` (the problem's data are malformed, :data:`PROBLEM_ERRORS`) and :class:`SolverError` (an
internal search failed, :data:`SOLVER_ERRORS`). The solver formats no sentence: it raises a code and parameters
(labels, amounts and shares already formatted), and ``str()`` is the code's English template filled in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from planner.core.errors import CodedError

GAP_OPTIMAL = 1e-4  # a plan within 0.01 % of the bound is reported "optimal"
GAP_LARGE = 5e-3  # default target above SMALL_N candidates
SMALL_N = 2000
_EPS = 1e-9  # feasibility tolerance on budget shares (costs are divided by the budget)


# Why no plan exists, by code: the English text here, the page translates the code (planner.core.i18n "infeasible.*")
# with the same parameters (names, amounts and shares already formatted, language-neutral).
INFEASIBLE: dict[str, str] = {
    "must_and_excluded": "{name} is both a must-have and excluded",
    "same_blogger": ("must-haves {a} and {b} are the same blogger; a plan books at most one placement per blogger "
                     "(use package candidates to book several formats together)"),
    "must_above_cap": "must-have {name} costs {cost}, above the cap of {cap} per placement ({share} of the budget)",
    "budget_below_musts": "budget {budget} is below the cost of the must-have bloggers ({cost})",
    "share_min_above_max": "{platform}: the minimum share {lo} is above the maximum {hi}",
    "share_no_candidates": "{platform} must take at least {lo} of the budget, but there are no candidates on it",
    "musts_above_platform_cap": ("must-have placements on {platform} cost {cost}, above its cap of {hi} of the "
                                 "budget ({cap})"),
    "share_minimums_above_100": "platform minimum shares add up to {total} of the budget",
    "share_min_cheap": ("{platform} must take at least {need} ({share} of the budget), but all allowed candidates "
                        "on it together cost only {have}"),
    "share_min_left": ("{platform} must take at least {need} ({share} of the budget), but the budget left after "
                       "the must-haves allows only {have}"),
    "share_minimums_above_left": "the platform minimum shares need more than the budget left after the must-haves",
    "budget_and_shares": "no plan satisfies the budget and platform shares together",
    "units_below_musts": "the must-have placements need {need} product units, more than the {units} available",
}


# No plan was found before the deadline, and none was proven impossible either: the brief may well have plans (the
# heuristics and the exact search ran out of time), by code; the page translates "no_plan.<code>".
NO_PLAN: dict[str, str] = {
    "time_limit": ("no plan meeting the budget and platform shares was found in the {seconds} s allowed (none was "
                   "proven impossible either): allow more time"),
}


class Infeasible(CodedError):
    """No plan satisfies the brief; the message says why in plain words. ``code`` and ``params`` let a page
    say the same in its language (:data:`INFEASIBLE`; planner.core.i18n "infeasible.<code>"). Raised only when
    it is proven (``proven`` is True); its subclass :class:`NoPlanInTime` says that the time ran out first."""

    MESSAGES = INFEASIBLE
    I18N_PREFIX = "infeasible."
    proven: bool = True


class NoPlanInTime(Infeasible):
    """No plan was found before the deadline, and none was proven impossible (:data:`NO_PLAN`; planner.core.i18n
    "no_plan.<code>"). A subclass of :class:`Infeasible` so that every caller that handles "no plan" handles it too,
    but its text never says that the brief is impossible (``proven`` is False)."""

    MESSAGES = NO_PLAN
    I18N_PREFIX = "no_plan."
    proven = False


# The problem's data are malformed (a caller's bug, or a file the page let through), by code: the English text
# here; ``params`` are field names (``name``, ``field``), indices and amounts already formatted. A ValueError, as
# before codes existed. Codes differ from planner.planning.plan.BRIEF_ERRORS' (a page may translate both).
PROBLEM_ERRORS: dict[str, str] = {
    "length_mismatch": "{name} has {size} entries, cost has {n}",
    "units_values": "units must be numbers of 0 or more",
    "units_budget_value": "the units budget must be a number of 0 or more",
    "cost_values": "every cost must be a positive number (or 0 for a candidate with units)",
    "reach_values": "every reach must be a positive number",
    "fit_values": "niche fit must lie in [0, 1]",
    "budget_value": "the budget must be a positive number",
    "pool_ids": "pool ids must index pool_size (0..P-1)",
    "pool_sizes": "pool sizes must be positive",
    "reach_above_pool": "candidate {j} reaches {reach}, not below its pool size {size}",
    "unknown_candidate": "{field} refers to a candidate that does not exist",
    "unknown_blogger": "must_bloggers names a blogger id that no candidate has",
    "max_share_value": "max_share must lie in (0, 1]",
    "lower_share_value": "lower share for {platform} must lie in [0, 1]",
    "upper_share_value": "upper share for {platform} must lie in [0, 1]",
    "reach_weight_value": "reach_weight must lie in [0, 1]",
    "weights_value": "weights must lie in [0, 1]",
    "budgets_value": "budgets must be positive numbers",
}


class ProblemError(CodedError, ValueError):
    """The problem's data are malformed; ``code`` and ``params`` let a page say why in its language
    (:data:`PROBLEM_ERRORS`), ``str()`` is the English text."""

    MESSAGES = PROBLEM_ERRORS
    I18N_PREFIX = "problem_error."


# An internal search failed (a bug: no brief should cause it), by code.
SOLVER_ERRORS: dict[str, str] = {
    "multiplier_search": "budget multiplier search failed",
}


class SolverError(CodedError, RuntimeError):
    """An internal search failed (:data:`SOLVER_ERRORS`); a RuntimeError, as before codes existed."""

    MESSAGES = SOLVER_ERRORS
    I18N_PREFIX = "solver_error."


@dataclass
class Problem:
    """One planning brief, as arrays over candidates (placements).

    ``pool`` holds pool ids ``0..P-1`` indexing ``pool_size`` (people); every reach must be below its pool
    size. ``blogger`` and ``platform`` are any integer ids. ``must_in`` / ``must_out`` are candidate indices (a
    placement forced in: this blogger, this format, this deal). ``must_bloggers`` are blogger ids (values of
    ``blogger``) locked in: every plan has one of their candidates, and the optimiser chooses which (format, deal,
    package), the bound covering that choice.
    ``max_share`` caps one candidate's cost at ``max_share * budget``. ``platform_bounds`` maps a platform id
    to ``(lo, hi)`` shares of the budget (``None`` = no bound). ``overlaps`` lists measured pairs
    ``(j1, j2, share of the smaller audience)``. ``labels`` (optional, per candidate) and ``platform_names``
    are used in messages only.

    ``units`` (per candidate, >= 0) and ``units_budget``: a second budget, e.g. product units sent for barter; a
    candidate with units may cost no cash.

    Several formats of one blogger: expand the candidates with :func:`planner.planning.reach.package_candidates`
    (``allow_packages``); the solver always books at most one row per blogger.
    Treat a Problem as immutable once solved (derived data is cached on it, keyed by a fingerprint).
    """

    cost: np.ndarray
    reach: np.ndarray
    fit: np.ndarray
    pool: np.ndarray
    blogger: np.ndarray
    platform: np.ndarray
    pool_size: np.ndarray
    budget: float
    must_in: Sequence[int] = ()
    must_out: Sequence[int] = ()
    must_bloggers: Sequence[int] = ()
    max_share: float | None = None
    platform_bounds: dict[int, tuple[float | None, float | None]] = field(default_factory=dict)
    overlaps: Sequence[tuple[int, int, float]] | None = None
    labels: Sequence[str] | None = None
    platform_names: dict[int, str] | None = None
    # a second budget (product units of barter and hybrid placements): sum units <= units_budget
    units: np.ndarray | None = None
    units_budget: float | None = None
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def n(self) -> int:
        return int(np.asarray(self.cost).size)


@dataclass
class Solution:
    """A plan and its certificate. ``upper_bound`` is a proven bound on the best achievable objective;
    ``gap = (upper_bound - objective) / upper_bound``. ``status``: "optimal" (gap <= 0.01 %), "gap_ok" (within
    ``gap_target``), "time_limit" (the deadline stopped it; the bound is still valid), "gap_above_target".
    ``unique_reach_bound`` / ``niche_value_bound``: the most unique reach / niche value (people) any plan under
    the brief could have (certified by the normalisers' runs; None when they are unknown, e.g. normalisers given
    by the caller for a problem never solved here). ``info`` also holds ``unique_reach_max`` /
    ``niche_value_max`` (= the normalisers) and ``normalisers_certified``."""

    chosen: np.ndarray
    cost: float
    unique_reach: float
    niche_value: float
    objective: float
    upper_bound: float
    gap: float
    reach_weight: float
    seconds: float
    status: str  # "optimal" | "gap_ok" | "time_limit" | "gap_above_target"
    normalisers: tuple[float, float] = (1.0, 1.0)
    gap_target: float = GAP_OPTIMAL
    platform_spend: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    # certified: no plan under the brief has more unique reach / niche value (people) than these
    unique_reach_bound: float | None = None
    niche_value_bound: float | None = None


def default_gap_target(n: int) -> float:
    """0.01 % (optimal) up to 2,000 candidates, 0.5 % above."""
    return GAP_OPTIMAL if n <= SMALL_N else GAP_LARGE
