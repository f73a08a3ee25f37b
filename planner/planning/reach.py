"""Combined (deduplicated) reach of a set of placements.

The model (see DOMAIN.md, "Combined reach across bloggers"):

* Candidates live in **audience pools** (bloggers sharing a niche and a country). Pools are disjoint
  universes of ``N_p`` people. Inside a pool audiences duplicate at random (Sainsbury)::

      reach_p(S) = N_p * (1 - prod_{j in S, p(j)=p} (1 - r_j / N_p))

  With ``a_j = -ln(1 - r_j / N_p)`` this is ``N_p * (1 - exp(-sum a_j))``: a concave function of a sum.
* Total unique reach is the sum over pools.
* **Measured overlaps** override the model for given pairs. A measured overlap ``o`` of a pair is the share
  of the smaller audience that the other blogger also reaches (how the tools report it), so the pair's
  duplicated audience is ``o * min(r_i, r_k)`` instead of the model's ``r_i * r_k / N_p`` (0 across pools).

How measured pairs enter a set of more than two placements: the set is built up in a canonical order
(largest reach first, ties by index). Placement ``j`` adds ``r_j * prod_k (1 - q_jk)`` people, the product
running over the placements ``k`` already in, where ``q_jk`` is the share of ``j``'s audience that ``k``
reaches: ``r_k / N_p`` in the model (same pool, else 0) and ``o`` for a measured pair (``j``, the later one,
has the smaller audience). Without measured pairs this is exactly Sainsbury per pool. With them each
placement still adds between 0 and its own reach, so ``max r <= U <= sum r``, and a pair reproduces its
measured duplication exactly. It also gives the bound the optimiser relies on::

      U(S) <= U_model(S) + sum over measured pairs in S of max(0, r_i r_k / N_p - o min(r_i, r_k))

(each factor lies in [0, 1], so a product moves by at most the sum of the changes of its factors).
A measured overlap below the model's adds people, and in a small pool the placements' increments could then add up
to more than the pool holds: each pool's unique reach is capped at its size (no figure exceeds its pool), so
``U_p(S) = min(N_p, sum of the increments of S's placements in p)``; the bound above still holds.
Measurements that contradict each other (many pairs at 100 %) can make the total fall when a placement is
added; the order then decides. Measure the pairs that matter rather than all of them.

**Niche value** counts each person once too: a placement brings ``f_j r_j`` "fit-weighted people" (its reach
times its niche fit in [0, 1]); inside a pool they combine by the same Sainsbury rule,
``V_p = N_p (1 - prod (1 - f_j r_j / N_p))``, so the niche value of a plan never exceeds its pools (a
fit-weighted Sainsbury). A measured overlap applies to the fit-weighted audiences the same way it applies to
reach (duplication ``o * min(f_i r_i, f_k r_k)`` for the pair, canonical order by ``f r``): see
:func:`niche_value`.

**Packages** (several formats of one blogger) reach mostly the same people. ``package_candidates`` turns a
blogger's formats into extra candidates with the combined reach under a high in-blogger overlap, all in the
blogger's one-per-blogger set, so the optimiser keeps its structure.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Packages",
    "increments",
    "marginal_reach",
    "niche_value",
    "overlap_matrix",
    "package_candidates",
    "pool_reach",
    "reach_curve",
    "sainsbury",
    "unique_reach",
]


def sainsbury(shares) -> float:
    """Combined reach share ``1 - prod(1 - r_i)`` of shares of one universe (DOMAIN.md formula)."""
    s = np.asarray(shares, dtype=float)
    if s.size == 0:
        return 0.0
    if np.any(s < 0) or np.any(s > 1):
        raise ValueError("reach shares must lie in [0, 1]")
    return float(-np.expm1(np.log1p(-s).sum())) if np.all(s < 1) else 1.0


def pool_reach(r, pool_size: float) -> float:
    """Unique reach (people) of placements with reaches ``r`` inside one pool of ``pool_size`` people."""
    r = np.asarray(r, dtype=float)
    if pool_size <= 0:
        raise ValueError("pool size must be positive")
    if np.any(r > pool_size):
        raise ValueError("a placement cannot reach more people than its pool holds")
    return float(pool_size * sainsbury(r / pool_size)) if r.size else 0.0


def _sizes_per_item(pool_ids: np.ndarray, pool_sizes) -> np.ndarray:
    if isinstance(pool_sizes, Mapping):
        try:
            return np.array([float(pool_sizes[p]) for p in pool_ids.tolist()], dtype=float)
        except KeyError as exc:
            raise ValueError(f"no size given for pool {exc.args[0]!r}") from None
    sizes = np.asarray(pool_sizes, dtype=float)
    if sizes.ndim == 0:
        return np.full(pool_ids.shape, float(sizes))
    return sizes[pool_ids.astype(np.int64)]


def _pairs(overlaps, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Measured pairs as arrays (i, k, o) with i < k, deduplicated (the last one given wins)."""
    if overlaps is None:
        z = np.zeros(0, dtype=np.int64)
        return z, z, np.zeros(0)
    arr = np.asarray(list(overlaps) if not isinstance(overlaps, np.ndarray) else overlaps, dtype=float)
    if arr.size == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z, np.zeros(0)
    arr = arr.reshape(-1, 3)
    i = arr[:, 0].astype(np.int64)
    k = arr[:, 1].astype(np.int64)
    o = arr[:, 2]
    if np.any(i < 0) or np.any(k < 0) or np.any(i >= m) or np.any(k >= m):
        raise ValueError("overlap pair refers to a placement that is not in the set")
    if np.any(~np.isfinite(o)) or np.any(o < 0) or np.any(o > 1):
        raise ValueError("a measured overlap is a share of the smaller audience and must lie in [0, 1]")
    keep = i != k
    i, k, o = i[keep], k[keep], o[keep]
    lo, hi = np.minimum(i, k), np.maximum(i, k)
    key = lo * m + hi
    # last occurrence wins
    _, first_rev = np.unique(key[::-1], return_index=True)
    sel = np.sort(key.size - 1 - first_rev)
    return lo[sel], hi[sel], o[sel]


def increments(r, pool_ids, pool_sizes, overlaps=None) -> np.ndarray:
    """People each placement adds in the canonical order (largest reach first, ties by index).

    Returned in the input order; they sum to :func:`unique_reach` unless a pool is capped at its size (measured
    overlaps below the model's in a small pool, see the module docstring).
    """
    r = np.asarray(r, dtype=float)
    m = r.size
    if m == 0:
        return np.zeros(0)
    pool_ids = np.asarray(pool_ids)
    sizes = _sizes_per_item(pool_ids, pool_sizes)
    if np.any(r < 0):
        raise ValueError("reach must be non-negative")
    if np.any(r > sizes):
        raise ValueError("a placement cannot reach more people than its pool holds")
    order = np.lexsort((np.arange(m), -r))  # canonical order
    rank = np.empty(m, dtype=np.int64)
    rank[order] = np.arange(m)
    # exclusive cumulative sum of log(1 - r/N) inside each pool, in canonical order
    _, pinv = np.unique(pool_ids, return_inverse=True)
    pinv = pinv.reshape(-1)
    by_pool = np.lexsort((rank, pinv))
    with np.errstate(divide="ignore"):
        logs = np.log1p(-r[by_pool] / sizes[by_pool])
    csum = np.cumsum(logs)
    p_sorted = pinv[by_pool]
    starts = np.r_[True, p_sorted[1:] != p_sorted[:-1]]
    seg_start = np.maximum.accumulate(np.where(starts, np.arange(m), 0))
    base = np.where(seg_start > 0, csum[np.maximum(seg_start - 1, 0)], 0.0)
    excl = csum - logs - base
    factor = np.empty(m)
    factor[by_pool] = np.exp(excl)
    # the model-excluded share for a pool that is fully covered (r == N) gives exp(-inf) = 0: fine
    pi, pk, po = _pairs(overlaps, m)
    if pi.size:
        later = np.where(rank[pi] > rank[pk], pi, pk)
        earlier = np.where(rank[pi] > rank[pk], pk, pi)
        same = pinv[later] == pinv[earlier]
        q_model = np.where(same, r[earlier] / sizes[later], 0.0)
        # (1 - q_model) > 0 whenever the model factor is non-zero; guard against 0/0
        denom = 1.0 - q_model
        ratio = np.where(denom > 0, (1.0 - po) / np.where(denom > 0, denom, 1.0), 0.0)
        np.multiply.at(factor, later, ratio)
    return r * factor


def unique_reach(r, pool_ids, pool_sizes, overlaps=None) -> float:
    """Total unique reach (people) of a set of placements.

    ``pool_sizes`` is an array indexed by pool id, a mapping pool id -> size, or one number for all.
    ``overlaps`` is an optional sequence of ``(i, k, share)`` with indices into ``r``; ``share`` is the measured
    overlap as a share of the smaller audience and overrides the model for that pair. A pool's unique reach never
    exceeds its size.
    """
    r = np.asarray(r, dtype=float)
    if r.size == 0:
        return 0.0
    if overlaps is None or len(overlaps) == 0:
        pool_ids = np.asarray(pool_ids)
        sizes = _sizes_per_item(pool_ids, pool_sizes)
        if np.any(r > sizes):
            raise ValueError("a placement cannot reach more people than its pool holds")
        with np.errstate(divide="ignore"):
            logs = np.log1p(-r / sizes)
        _, pinv = np.unique(pool_ids, return_inverse=True)
        pinv = pinv.reshape(-1)
        tot = np.bincount(pinv, weights=logs)
        first = np.zeros(tot.size)
        first[pinv] = sizes
        return float(np.sum(-first * np.expm1(tot)))
    inc = increments(r, pool_ids, pool_sizes, overlaps)
    pool_ids = np.asarray(pool_ids)
    _, pinv = np.unique(pool_ids, return_inverse=True)
    pinv = pinv.reshape(-1)
    size = np.zeros(int(pinv.max()) + 1)
    size[pinv] = _sizes_per_item(pool_ids, pool_sizes)
    return float(np.minimum(np.bincount(pinv, weights=inc, minlength=size.size), size).sum())  # never above a pool


def niche_value(r, fit, pool_ids, pool_sizes, overlaps=None) -> float:
    """Deduplicated niche value of a set of placements: :func:`unique_reach` of the fit-weighted reaches
    ``fit * r`` (each person counted once, weighted by the fit of the placement that reaches them first in the
    canonical order). At most the sum of ``fit * r`` and, without measured pairs, at most the pools' sizes."""
    r = np.asarray(r, dtype=float)
    fit = np.asarray(fit, dtype=float)
    if fit.shape != r.shape:
        raise ValueError("fit and reach must have the same length")
    if np.any(fit < 0) or np.any(fit > 1):
        raise ValueError("niche fit must lie in [0, 1]")
    return unique_reach(fit * r, pool_ids, pool_sizes, overlaps)


def reach_curve(r, pool_ids, pool_sizes, order=None, overlaps=None) -> np.ndarray:
    """Unique reach each placement adds when the plan is built up in ``order`` (default: as given).

    Element ``i`` is ``U(first i+1 placements) - U(first i)``, returned in the order given by ``order``;
    ``np.cumsum`` of it is the reach curve and its sum is :func:`unique_reach` of the whole set.
    ``order`` holds indices into ``r``.
    """
    r = np.asarray(r, dtype=float)
    pool_ids = np.asarray(pool_ids)
    m = r.size
    order = np.arange(m) if order is None else np.asarray(order, dtype=np.int64)
    if sorted(order.tolist()) != list(range(m)):
        raise ValueError("order must be a permutation of the placements")
    if m == 0:
        return np.zeros(0)
    pi, pk, po = _pairs(overlaps, m)
    if pi.size == 0:
        rr = r[order]
        pp = pool_ids[order]
        sizes = _sizes_per_item(pp, pool_sizes)
        out = np.empty(m)
        covered: dict = {}
        for t in range(m):  # O(m): cheap for plans of a few thousand placements
            left = covered.get(pp[t].item(), 1.0)
            out[t] = rr[t] * left
            covered[pp[t].item()] = left * (1.0 - rr[t] / sizes[t])
        return out
    out = np.empty(m)
    prev = 0.0
    rank = np.empty(m, dtype=np.int64)
    rank[order] = np.arange(m)
    pairs = np.column_stack([pi, pk, po])
    for t in range(m):
        members = order[: t + 1]
        keep = (rank[pi] <= t) & (rank[pk] <= t)
        local = np.full(m, -1, dtype=np.int64)
        local[members] = np.arange(t + 1)
        sub = pairs[keep]
        sub_pairs = np.column_stack([local[pi[keep]], local[pk[keep]], sub[:, 2]]) if sub.size else None
        u = unique_reach(r[members], pool_ids[members], pool_sizes, sub_pairs)
        out[t] = u - prev
        prev = u
    return out


def marginal_reach(r, pool_ids, pool_sizes, overlaps=None) -> np.ndarray:
    """People each placement adds on top of all the others: ``U(S) - U(S without i)`` (order-free)."""
    r = np.asarray(r, dtype=float)
    pool_ids = np.asarray(pool_ids)
    m = r.size
    total = unique_reach(r, pool_ids, pool_sizes, overlaps)
    pi, pk, po = _pairs(overlaps, m)
    out = np.empty(m)
    for i in range(m):
        keep = np.arange(m) != i
        local = np.cumsum(keep) - 1
        sel = (pi != i) & (pk != i)
        sub = np.column_stack([local[pi[sel]], local[pk[sel]], po[sel]]) if sel.any() else None
        out[i] = total - unique_reach(r[keep], pool_ids[keep], pool_sizes, sub)
    return out


def overlap_matrix(r, pool_ids, pool_sizes, overlaps=None, *, as_share: bool = True) -> np.ndarray:
    """Pairwise expected audience overlap of a chosen set (for a heat map).

    ``as_share=True`` (default): duplicated audience as a share of the smaller of the two (how tools report
    overlap; the diagonal is 1). ``as_share=False``: duplicated people (the diagonal is each reach).
    Model: ``r_i r_k / N_p`` inside a pool, 0 across pools; measured pairs override.
    """
    r = np.asarray(r, dtype=float)
    pool_ids = np.asarray(pool_ids)
    m = r.size
    sizes = _sizes_per_item(pool_ids, pool_sizes)
    same = pool_ids[:, None] == pool_ids[None, :]
    dup = np.where(same, np.outer(r, r) / sizes[:, None], 0.0)
    pi, pk, po = _pairs(overlaps, m)
    if pi.size:
        d = po * np.minimum(r[pi], r[pk])
        dup[pi, pk] = d
        dup[pk, pi] = d
    np.fill_diagonal(dup, r)
    if not as_share:
        return dup
    smaller = np.minimum(r[:, None], r[None, :])
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(smaller > 0, dup / np.where(smaller > 0, smaller, 1.0), 0.0)
    return share


@dataclass
class Packages:
    """Candidates with blogger packages appended (``package_candidates``).

    The first ``n`` rows are the original candidates in their order; rows after them are packages.
    ``members[i]`` lists the original candidate indices a row books (one index for an original row).
    Every row keeps its blogger id, so "at most one row per blogger" still means one booking per blogger.
    """

    cost: np.ndarray
    reach: np.ndarray
    fit: np.ndarray
    blogger: np.ndarray
    platform: np.ndarray
    pool: np.ndarray
    members: list[tuple[int, ...]]

    @property
    def is_package(self) -> np.ndarray:
        return np.array([len(m) > 1 for m in self.members], dtype=bool)


def package_reach(r, in_blogger_overlap: float) -> tuple[float, np.ndarray]:
    """Combined reach of one blogger's formats and what each adds (largest first, each later format
    duplicates ``in_blogger_overlap`` of its audience with each earlier one)."""
    r = np.asarray(r, dtype=float)
    if not 0 <= in_blogger_overlap <= 1:
        raise ValueError("in-blogger overlap must lie in [0, 1]")
    order = np.lexsort((np.arange(r.size), -r))
    inc = np.empty(r.size)
    inc[order] = r[order] * (1.0 - in_blogger_overlap) ** np.arange(r.size)
    return float(inc.sum()), inc


def package_candidates(
    cost,
    reach,
    fit,
    blogger,
    platform,
    pool,
    *,
    in_blogger_overlap: float = 0.8,
    max_formats: int = 3,
    discount: float = 0.0,
    same_platform_only: bool = True,
    max_package_rows: int | None = None,
) -> Packages:
    """Add "package" candidates (2..``max_formats`` formats of the same blogger booked together).

    Use it when the brief allows several formats per blogger (``allow_packages``): pass the returned arrays
    to the optimiser instead of the originals; the one-row-per-blogger rule then lets the plan book a single
    format or one package, never double-count a blogger.

    * reach: the formats' audiences overlap by ``in_blogger_overlap`` (share of the smaller audience, the same
      convention as measured overlaps): largest format first, each further one adds
      ``r * (1 - overlap) ** (number of formats before it)``. So ``max r <= package reach <= sum r``.
    * cost: sum of the formats' costs times ``1 - discount``.
    * fit: reach-weighted by what each format adds, so niche value = sum of fit x added reach.
    * ``same_platform_only`` (default): only formats on one platform combine, so each row's cost belongs to one
      platform and platform budget shares stay exact. Cross-platform bundles are not modelled.
    * ``pool``: a blogger's formats share the blogger's pool; a package takes the pool of its first format.
    * ``max_package_rows``: stop adding packages after this many (bloggers processed in id order).

    Must-have / excluded lists refer to rows: map them through ``members`` (a must-have original format can be
    kept as the single row, or replaced by the packages that contain it).
    """
    cost = np.asarray(cost, dtype=float)
    reach_ = np.asarray(reach, dtype=float)
    fit = np.asarray(fit, dtype=float)
    blogger = np.asarray(blogger)
    platform = np.asarray(platform)
    pool = np.asarray(pool)
    n = cost.size
    if not (reach_.size == fit.size == blogger.size == platform.size == pool.size == n):
        raise ValueError("all candidate arrays must have the same length")
    if not 0 <= discount < 1:
        raise ValueError("discount must lie in [0, 1)")
    members: list[tuple[int, ...]] = [(i,) for i in range(n)]
    rows_c: list[float] = []
    rows_r: list[float] = []
    rows_f: list[float] = []
    rows_b: list = []
    rows_k: list = []
    rows_p: list = []
    keys = (blogger, platform) if same_platform_only else (blogger,)
    order = np.lexsort((np.arange(n), platform, blogger)) if same_platform_only else np.lexsort((np.arange(n), blogger))
    groups: list[list[int]] = []
    cur: list[int] = []
    prev_key = None
    for i in order.tolist():
        key = tuple(k[i].item() if hasattr(k[i], "item") else k[i] for k in keys)
        if key != prev_key and cur:
            groups.append(cur)
            cur = []
        cur.append(i)
        prev_key = key
    if cur:
        groups.append(cur)
    added = 0
    for g in groups:
        if len(g) < 2:
            continue
        for size in range(2, min(max_formats, len(g)) + 1):
            for combo in itertools.combinations(g, size):
                if max_package_rows is not None and added >= max_package_rows:
                    break
                idx = np.array(combo)
                tot, inc = package_reach(reach_[idx], in_blogger_overlap)
                rows_c.append(float(cost[idx].sum() * (1.0 - discount)))
                rows_r.append(tot)
                rows_f.append(float((fit[idx] * inc).sum() / tot) if tot > 0 else 0.0)
                rows_b.append(blogger[combo[0]])
                rows_k.append(platform[combo[0]])
                rows_p.append(pool[combo[0]])
                members.append(tuple(int(c) for c in combo))
                added += 1
    return Packages(
        cost=np.concatenate([cost, np.array(rows_c, dtype=float)]),
        reach=np.concatenate([reach_, np.array(rows_r, dtype=float)]),
        fit=np.concatenate([fit, np.array(rows_f, dtype=float)]),
        blogger=np.concatenate([blogger, np.array(rows_b, dtype=blogger.dtype)]),
        platform=np.concatenate([platform, np.array(rows_k, dtype=platform.dtype)]),
        pool=np.concatenate([pool, np.array(rows_p, dtype=pool.dtype)]),
        members=members,
    )
