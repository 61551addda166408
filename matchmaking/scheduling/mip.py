"""Exact slot-indexed MIP for small events, used only when SciPy (HiGHS) is installed.

The heuristic reaches the bound on most small events; when it falls short (one meeting on
some `bsr` seeds) this model (x[r, s] binary; one slot per request, one meeting per person
and slot, max_meetings, pool tables per slot, own tables shared by several people per slot)
finds the optimum in well under a second. Tables are chosen afterwards by `State.place`.
"""

from __future__ import annotations

from collections import defaultdict

from .index import BOOTH, POOL, bits
from .state import State

MAX_VARIABLES = 60_000


def mip_assignment(state: State, time_limit: float) -> tuple[list[tuple[int, int]], float] | None:
    """Optimal (request, slot) pairs for the free requests given the state's fixed meetings, and
    the MIP's upper bound on the value; None without SciPy or when the model is too big."""
    ix = state.ix
    # Counted before anything is built: on a big event (150,000 requests) the variable list
    # alone took seconds and hundreds of MB only to be thrown away.
    size = sum(1 if fixed else common.bit_count() for fixed, common in zip(state.fixed, ix.common, strict=True))
    if not size or size > MAX_VARIABLES:
        return None
    try:
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import csr_matrix
    except ImportError:
        return None
    var: list[tuple[int, int]] = []
    for r in range(len(ix.request_ids)):
        if state.fixed[r]:
            var.append((r, state.slot_of[r]))
        else:
            var += [(r, s) for s in bits(ix.common[r])]
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    caps: dict[tuple[object, ...], int] = {}
    for j, (r, s) in enumerate(var):
        groups["r", r].append(j)
        caps["r", r] = 1
        for p in (ix.ra[r], ix.rb[r]):
            groups["ps", p, s].append(j)
            caps["ps", p, s] = 1
            groups["p", p].append(j)
            caps["p", p] = ix.cap[p]
        if ix.kind[r] == POOL:
            groups["pool", s].append(j)
            caps["pool", s] = state.pool_size
        elif ix.kind[r] == BOOTH and len(ix.booths[r]) == 1:
            groups["booth", ix.booths[r][0], s].append(j)
            caps["booth", ix.booths[r][0], s] = 1
    keys = [k for k, js in groups.items() if len(js) > caps[k]]
    indptr, cols = [0], []
    for k in keys:
        cols += groups[k]
        indptr.append(len(cols))
    a = csr_matrix((np.ones(len(cols)), cols, indptr), shape=(len(keys), len(var)))
    lower = np.array([1.0 if state.fixed[r] else 0.0 for r, _ in var])
    w = -np.array([ix.weight[r] for r, _ in var], dtype=float)
    res = milp(w, constraints=LinearConstraint(a, -np.inf, np.array([caps[k] for k in keys], dtype=float)),
               integrality=np.ones(len(var)), bounds=Bounds(lower, np.ones(len(var))),
               options={"time_limit": max(0.05, time_limit)})
    if res.x is None:
        return None
    chosen = [var[j] for j in range(len(var)) if res.x[j] > 0.5 and not state.fixed[var[j][0]]]
    dual = getattr(res, "mip_dual_bound", None)
    return chosen, (-dual if dual is not None else float("inf"))
