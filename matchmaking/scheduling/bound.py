"""A valid upper bound on the value of any feasible schedule.

The relaxation keeps everything but the time dimension's fine structure:
  x_r in [0, 1] (x_r = 0 without a common slot, x_r = 1 when pinned),
  sum of x_r at participant p <= cap_p = min(max_meetings, available slots it could use),
  Hall cuts: the requests of p whose common slots all lie in a set C take at most |C| of them,
  pool tables: requests needing a table nobody owns take at most, summed over slots,
  min(#pool tables, #participants without a booth available in that slot // 2).
With SciPy (HiGHS) it is solved as an LP (as a MIP for small instances, which is still a
relaxation and tighter); without SciPy a Lagrangian dual found by coordinate descent gives a
weaker but still valid bound. Weights are integers, so the bound is rounded down.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from operator import sub

from .index import POOL, Index, bits, build_index
from .model import Instance

MIP_MAX_REQUESTS = 3000
EPS = 1e-6


@dataclass(frozen=True)
class Bound:
    value: int
    method: str
    x: list[float] | None = field(default=None, repr=False, compare=False)
    prices: list[float] | None = field(default=None, repr=False, compare=False)
    """Dual prices of the participants (Lagrangian bound only); guide the solver's order."""
    pool_price: float = 0.0


@dataclass
class Relaxation:
    """The LP rows as index lists: each row's variables and right-hand side (all coefficients 1)."""

    usable: list[bool]
    rows: list[list[int]]
    rhs: list[int]
    pool_cap: int | None = None


def relaxation(ix: Index) -> Relaxation:
    n_r = len(ix.request_ids)
    usable = [ix.common[r] != 0 for r in range(n_r)]
    rows: list[list[int]] = []
    rhs: list[int] = []
    for p, inc in enumerate(ix.incident):
        live = [r for r in inc if usable[r]]
        union = 0
        for r in live:
            union |= ix.common[r]
        cap = min(ix.cap[p], union.bit_count())
        if len(live) > cap:
            rows.append(live)
            rhs.append(cap)
        masks = sorted({ix.common[r] for r in live}, key=int.bit_count)
        for c in masks:
            size = c.bit_count()
            if size >= cap:
                break
            inside = [r for r in live if ix.common[r] & ~c == 0]
            if len(inside) > size:
                rows.append(inside)
                rhs.append(size)
    pool_cap = _pool_cap(ix)
    if pool_cap is not None:
        rows.append([r for r in range(n_r) if usable[r] and ix.kind[r] == POOL])
        rhs.append(pool_cap)
    return Relaxation(usable, rows, rhs, pool_cap)


def _pool_cap(ix: Index) -> int | None:
    """How many requests needing a shared table fit, summed over slots; None when not binding."""
    pool = sum(1 for r in range(len(ix.request_ids)) if ix.common[r] and ix.kind[r] == POOL)
    if not pool:
        return None
    can_pool = [0] * ix.n_slots
    # participants share availability masks: count each mask once, then spread it over its slots
    masks = Counter(mask for p, mask in enumerate(ix.avail)
                    if ix.booth[p] < 0 and any(ix.kind[r] == POOL for r in ix.incident[p]))
    for mask, n in masks.items():
        for s in bits(mask):
            can_pool[s] += n
    cap = sum(min(len(ix.pool_tables), n // 2) for n in can_pool)
    return cap if pool > cap else None


def upper_bound(instance: Instance, index: Index | None = None, time_limit: float = 5.0) -> Bound:
    """The best valid upper bound available (LP/MIP with SciPy, else a Lagrangian dual)."""
    ix = index or build_index(instance)
    rel = relaxation(ix)
    try:
        return _scipy_bound(ix, rel, time_limit)
    except ImportError:
        return dual_bound(ix, rel)


def _scipy_bound(ix: Index, rel: Relaxation, time_limit: float) -> Bound:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp
    from scipy.sparse import csr_matrix

    n_r = len(ix.request_ids)
    if n_r == 0:  # nothing to schedule (HiGHS refuses an empty model)
        return Bound(0, "mip", [])
    lower = np.zeros(n_r)
    upper = np.array([1.0 if u else 0.0 for u in rel.usable])
    for r in ix.pinned:
        lower[r] = 1.0
    w = -np.array(ix.weight, dtype=float)
    indptr = [0]
    for row in rel.rows:
        indptr.append(indptr[-1] + len(row))
    cols = [r for row in rel.rows for r in row]
    a = csr_matrix((np.ones(len(cols)), cols, indptr), shape=(len(rel.rows), n_r))
    b = np.array(rel.rhs, dtype=float)
    if n_r <= MIP_MAX_REQUESTS:
        res = milp(w, constraints=LinearConstraint(a, -np.inf, b), integrality=np.ones(n_r),
                   bounds=Bounds(lower, upper), options={"time_limit": time_limit})
        dual = getattr(res, "mip_dual_bound", None)
        if res.status in (0, 1) and dual is not None and math.isfinite(dual):
            return Bound(math.floor(-dual + EPS), "mip", list(res.x) if res.x is not None else None)
    res = linprog(w, A_ub=a, b_ub=b, bounds=list(zip(lower, upper, strict=True)), method="highs")
    if res.status != 0:
        return dual_bound(ix, rel)
    return Bound(math.floor(-res.fun + EPS), "lp", list(res.x))


def dual_bound(ix: Index, rel: Relaxation | None = None, rounds: int = 12) -> Bound:
    """Lagrangian dual of the participant and pool rows (pure Python, always valid).

    For any multipliers y_p >= 0 and lam >= 0 the value is at most
    lam * pool_cap + sum_p cap_p * y_p + sum_r max(0, w_r - lam*[r pool] - y_a - y_b).
    """
    n_p = len(ix.person_ids)
    caps = [min(ix.cap[p], len(ix.incident[p])) for p in range(n_p)]
    if rel is None:  # only the usable requests and the pool row are needed, not the Hall cuts
        pool_cap = _pool_cap(ix)
        live = [r for r in range(len(ix.request_ids)) if ix.common[r]]
    else:
        pool_cap = rel.pool_cap
        live = [r for r in range(len(ix.request_ids)) if rel.usable[r]]
    ra, rb = ix.ra, ix.rb
    best, prices, price = math.inf, [0.0] * n_p, 0.0
    # only participants with more live requests than their cap get a price (the others' stays 0):
    # their live requests and the other participants are listed once, for every lam
    degree = [0] * n_p
    for r in live:
        degree[ra[r]] += 1
        degree[rb[r]] += 1
    is_live = bytearray(len(ix.request_ids))
    for r in live:
        is_live[r] = 1
    tight_rs = [(p, [r for r in ix.incident[p] if is_live[r]]) for p in range(n_p) if degree[p] > caps[p]]
    others = [[rb[r] if ra[r] == p else ra[r] for r in rs] for p, rs in tight_rs]
    for lam in (0.0, 0.5, 1.0) if pool_cap is not None else (0.0,):
        w = [0.0] * len(ix.request_ids)
        for r in live:
            w[r] = ix.weight[r] - (lam if ix.kind[r] == POOL else 0.0)
        # (p, weights, others, position of the (cap+1)-th largest in ascending order)
        tight = [(p, [w[r] for r in rs], op, len(rs) - 1 - caps[p])
                 for (p, rs), op in zip(tight_rs, others, strict=True)]
        y = [0.0] * n_p
        get = y.__getitem__
        for _ in range(rounds):
            for p, wp, op, k in tight:
                # the (cap+1)-th largest reduced weight, as sorted(..., reverse=True)[cap] gave it
                y[p] = max(0.0, sorted(map(sub, wp, map(get, op)))[k])
        total = sum(caps[p] * y[p] for p in range(n_p)) + (lam * pool_cap if pool_cap is not None else 0.0)
        total += sum(max(0.0, w[r] - y[ra[r]] - y[rb[r]]) for r in live)
        if total < best:
            best, prices, price = total, y, lam
    return Bound(math.floor(best + EPS), "lagrangian", prices=prices, pool_price=price)
