"""Exact gap stage for small events: re-time the scheduled meetings with a MIP (HiGHS via SciPy)
to the fewest idle gaps.

The set of meetings is fixed (the earlier phases chose it; value and fairness cannot change);
only slots, and own tables where a meeting could use either participant's, are chosen again.
Pinned meetings stay where they are.

Model. x[r, s, t] binary for each unpinned scheduled meeting r, slot s of its common slots (its
window and both participants' availability) and table t (an own table when it has two to choose
from, otherwise none: pool tables are interchangeable and counted per slot). Rows: each meeting
once; each participant at most once per slot; pool tables per slot; each own table once per
slot. Busy b[p, k] = (pinned meeting of p at k) + the x of p's meetings at k, for the slots k of
one day in time order. Gap runs are counted through block starts: a day with meetings has
`blocks - 1` gaps, and a block starts at k exactly when b[p, k] = 1 and b[p, k-1] = 0. So with
continuous 0 <= y[p, k] <= 1 and y[p, k] >= b[p, k] - b[p, k-1] (b[p, -1] = 0), and e[p, d] = 1
when p meets on day d (a constant when every meeting of p can only be on that day; otherwise
e <= sum of b over the day, e <= 1), minimising sum(y) - sum(e) gives exactly the gaps: at an
integral x the smallest feasible y is the block-start indicator and the largest e is
"meets that day". sum(y over the day) >= e tightens the relaxation (a day with meetings has a
block). The local search's total, minus one, bounds the objective, so HiGHS only looks for a
strictly better schedule and an infeasible model proves the local search optimal.

`exact_stage` runs the model over neighbourhoods first (the full model's relaxation is too weak
to find better schedules in seconds) and bounds the result from below (`lower_bound`).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .index import BOOTH, POOL, bits
from .state import NO_TABLE, State

MAX_CELLS = 8_000
"""Scheduled meetings x slots above which the stage does not run (the largest Catalan forum:
302 meetings, 22 slots; bsr with its 550 meetings and 28 slots is left to the local search)."""


@dataclass
class GapResult:
    status: str
    """"optimal" (proven: nothing better exists), "improved" (better, not proven optimal),
    "no better found" (time out), "skipped" (too big or SciPy missing)."""
    gaps: int
    seconds: float
    bound: int = 0
    """A lower bound on the gaps of any re-timing (`lower_bound`'s sum; 0 when not computed)."""


def eligible(state: State) -> bool:
    """Whether the model is small enough for the stage."""
    ix = state.ix
    cells = sum(1 for r in range(len(ix.request_ids)) if state.slot_of[r] >= 0 and not state.fixed[r])
    return cells * ix.n_slots <= MAX_CELLS


def exact_gaps(state: State, time_limit: float, current: int, floors: dict[int, int] | None = None) -> GapResult:
    """Re-time all of `state`'s unpinned meetings to the fewest gaps if the MIP finds fewer than
    `current` (the state's total) within `time_limit`; the state is left unchanged otherwise."""
    t0 = time.perf_counter()
    ix = state.ix
    moving = [r for r in range(len(ix.request_ids)) if state.slot_of[r] >= 0 and not state.fixed[r]]
    if len(moving) * ix.n_slots > MAX_CELLS:
        return GapResult("skipped", current, 0.0)
    status, gaps = retime(state, moving, state.all_slots, time_limit, current, floors=floors)
    return GapResult(status, gaps, time.perf_counter() - t0)


def retime(state: State, moving: list[int], within: int, time_limit: float, current: int,
           rng: random.Random | None = None, floors: dict[int, int] | None = None) -> tuple[str, int]:
    """The MIP over the meetings `moving` (scheduled, unpinned), each kept to the slots of the
    mask `within`, every other meeting staying put: ("optimal" | "improved", new total) after
    applying a schedule with fewer gaps than `current`, or ("optimal", current) when none exists,
    ("no better found", current) when the time ran out first, ("skipped", current) without SciPy.

    With `rng`, schedules with as many gaps are allowed too, and a random tie-break among them
    (costs below one gap in all) makes the MIP return a different one: ("moved", current).
    """
    t0 = time.perf_counter()
    try:
        import scipy.optimize  # noqa: F401
    except ImportError:
        return "skipped", current
    if current == 0:
        return "optimal", 0
    if not moving:
        return "optimal", current  # nothing can move
    ix = state.ix
    days = ix.days
    free = set(moving)
    fixed_busy, pool_left, booth_taken = staying_usage(state, free)

    var: list[tuple[int, int, int]] = []  # (request, slot, own table or NO_TABLE)
    for r in moving:
        open_ = ix.common[r] & within & ~(fixed_busy[ix.ra[r]] | fixed_busy[ix.rb[r]])
        for s in bits(open_):
            if ix.kind[r] == POOL:
                if pool_left[s] > 0:
                    var.append((r, s, NO_TABLE))
            elif ix.kind[r] == BOOTH:
                var += [(r, s, t) for t in ix.booths[r] if (t, s) not in booth_taken]
            else:
                var.append((r, s, NO_TABLE))

    rows: list[tuple[list[int], list[float], float, float]] = []
    by_request: dict[int, list[int]] = {r: [] for r in moving}
    by_person_slot: dict[tuple[int, int], list[int]] = {}
    by_pool_slot: dict[int, list[int]] = {}
    by_booth_slot: dict[tuple[int, int], list[int]] = {}
    for j, (r, s, t) in enumerate(var):
        by_request[r].append(j)
        for p in (ix.ra[r], ix.rb[r]):
            by_person_slot.setdefault((p, s), []).append(j)
        if ix.kind[r] == POOL:
            by_pool_slot.setdefault(s, []).append(j)
        elif t != NO_TABLE:
            by_booth_slot.setdefault((t, s), []).append(j)
    for js in by_request.values():
        rows.append((js, [1.0] * len(js), 1.0, 1.0))
    for js in by_person_slot.values():
        if len(js) > 1:
            rows.append((js, [1.0] * len(js), 0.0, 1.0))
    for s, js in by_pool_slot.items():
        if len(js) > pool_left[s]:
            rows.append((js, [1.0] * len(js), 0.0, float(pool_left[s])))
    for js in by_booth_slot.values():
        if len(js) > 1:
            rows.append((js, [1.0] * len(js), 0.0, 1.0))

    # Gap rows, per participant with meetings and day, over the day's slots in time order.
    n = len(var)
    cost: list[float] = [0.0] * n if rng is None else [rng.random() * 0.5 / len(moving) for _ in range(n)]
    offset = 0.0  # the objective's constant part (fixed e's)
    meeting_people = {p for r in moving for p in (ix.ra[r], ix.rb[r])}
    for p in sorted(meeting_people):
        reach = fixed_busy[p]
        for r in ix.incident[p]:
            if r in free:
                reach |= ix.common[r] & within
        first = n
        n, constant = _gap_rows(state, reach, fixed_busy[p], lambda s, p=p: by_person_slot.get((p, s), []),
                                n, cost, rows)
        offset += constant
        if floors and floors.get(p):  # p's own lower bound, a valid cut
            cols = list(range(first, n))
            rows.append((cols, [cost[j] for j in cols], floors[p] - constant, math.inf))
    # Only strictly better schedules: sum(y) - sum(e) + offset + others <= current - 1, where
    # others are the (unchangeable) gaps of participants with pinned meetings only.
    others = sum(days.gaps(state.busy[p]) for p in range(len(ix.person_ids)) if p not in meeting_people)
    obj_cols = list(range(len(var), n))
    rows.append((obj_cols, [cost[j] for j in obj_cols], -math.inf, current - (rng is None) - offset - others))

    left = time_limit - (time.perf_counter() - t0)
    if left <= 0.05:
        return "no better found", current
    res = _solve(cost, rows, len(var), left)
    if res.x is None:
        # infeasible: no schedule with fewer gaps exists; otherwise the time ran out first
        return ("optimal" if res.status == 2 else "no better found"), current
    chosen = {}
    for j in range(len(var)):
        if res.x[j] > 0.5:
            chosen[var[j][0]] = var[j]
    if not _apply(state, moving, chosen, current + (rng is not None)):
        return "no better found", current
    gaps = sum(days.gaps(mask) for mask in state.busy)
    if gaps == current:
        return "moved", current
    return ("optimal" if res.status == 0 and rng is None else "improved"), gaps


def _gap_rows(state: State, reach: int, fixed: int, at: Callable[[int], list[int]], n: int,
              cost: list[float], rows: list[tuple[list[int], list[float], float, float]]) -> tuple[int, float]:
    """Add one participant's block-start columns y and day columns e (costs 1 and -1) and their
    rows: `reach` are the slots the participant may meet in, `fixed` those of its meetings that
    stay, `at(s)` the x columns of its meetings in slot s. Returns the next column and the
    objective's constant (-1 per day the participant surely meets on)."""
    days = state.ix.days
    offset = 0.0
    touched_days = [d for d in days.day_masks if days._timed(reach) & d]
    for d in touched_days:
        positions = [days.order[k] for k in bits(d)]  # the day's slots in time order
        e_col: int | None = None
        if len(touched_days) == 1:
            offset -= 1.0  # it surely meets that day
        else:
            e_col = n
            n += 1
            cost.append(-1.0)
            cols = [e_col] + [j for s in positions for j in at(s)]
            fixed_here = sum((fixed >> s) & 1 for s in positions)
            rows.append((cols, [1.0] + [-1.0] * (len(cols) - 1), -math.inf, float(fixed_here)))
        starts: list[int] = []
        prev_cols: list[int] = []
        prev_fixed = 0
        for s in positions:
            here = at(s)
            fixed_here = (fixed >> s) & 1
            if here or fixed_here:
                y = n
                n += 1
                cost.append(1.0)
                starts.append(y)
                # y - b[k] + b[k-1] >= 0, constants moved right
                cols = [y, *here, *prev_cols]
                coefs = [1.0] + [-1.0] * len(here) + [1.0] * len(prev_cols)
                rows.append((cols, coefs, float(fixed_here - prev_fixed), math.inf))
            prev_cols, prev_fixed = here, fixed_here
        cols = starts + ([e_col] if e_col is not None else [])
        coefs = [1.0] * len(starts) + ([-1.0] if e_col is not None else [])
        rows.append((cols, coefs, 0.0 if e_col is not None else 1.0, math.inf))
    return n, offset


def _solve(cost: list[float], rows: list[tuple[list[int], list[float], float, float]], n_int: int,
           time_limit: float) -> Any:
    """HiGHS on the rows (columns below `n_int` binary, the rest continuous in [0, 1])."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    data: list[float] = []
    ri: list[int] = []
    ci: list[int] = []
    lo, hi = [], []
    for i, (cols, coefs, low, high) in enumerate(rows):
        ci += cols
        data += coefs
        ri += [i] * len(cols)
        lo.append(low)
        hi.append(high)
    n = len(cost)
    a = coo_matrix((data, (ri, ci)), shape=(len(rows), n)).tocsr()
    integrality = np.zeros(n)
    integrality[:n_int] = 1
    return milp(np.array(cost), integrality=integrality, bounds=Bounds(np.zeros(n), np.ones(n)),
                constraints=LinearConstraint(a, np.array(lo), np.array(hi)), options={"time_limit": time_limit})


def lower_bound(state: State, time_limit: float) -> dict[int, int]:
    """Per participant with gaps, the fewest gaps it could have with its meetings if nobody else
    mattered (partners' other meetings and tables ignored; only its meetings' common slots and
    its pinned meetings): their sum bounds every re-timing of the schedule from below."""
    try:
        import scipy.optimize  # noqa: F401
    except ImportError:
        return {}
    end = time.perf_counter() + time_limit
    ix = state.ix
    out: dict[int, int] = {}
    for p in range(len(ix.person_ids)):
        if not ix.days.gaps(state.busy[p]):
            continue
        left = end - time.perf_counter()
        if left <= 0.05:
            break
        fixed = 0
        var: list[tuple[int, int]] = []
        for r in state.at[p].values():
            if state.fixed[r]:
                fixed |= 1 << state.slot_of[r]
        for r in state.at[p].values():
            if not state.fixed[r]:
                var += [(r, s) for s in bits(ix.common[r] & ~fixed)]
        by_request: dict[int, list[int]] = {}
        by_slot: dict[int, list[int]] = {}
        for j, (r, s) in enumerate(var):
            by_request.setdefault(r, []).append(j)
            by_slot.setdefault(s, []).append(j)
        rows: list[tuple[list[int], list[float], float, float]] = []
        rows += [(js, [1.0] * len(js), 1.0, 1.0) for js in by_request.values()]
        rows += [(js, [1.0] * len(js), 0.0, 1.0) for js in by_slot.values() if len(js) > 1]
        reach = fixed
        for _r, s in var:
            reach |= 1 << s
        cost = [0.0] * len(var)
        _n, constant = _gap_rows(state, reach, fixed, lambda s, by_slot=by_slot: by_slot.get(s, []),
                                len(var), cost, rows)
        res = _solve(cost, rows, len(var), left)
        bound = res.fun if res.status == 0 else getattr(res, "mip_dual_bound", None)
        if bound is not None and bound + constant > 0.5:
            out[p] = math.ceil(bound + constant - 1e-6)
    return out


def _apply(state: State, moving: list[int], chosen: dict[int, tuple[int, int, int]], limit: int) -> bool:
    """Move the meetings to the MIP's slots (and own tables), checking each placement; undone
    unless every one fits and the total gaps drop below `limit`."""
    if set(chosen) != set(moving):
        return False
    mark = state.mark()
    for r in moving:
        state.remove(r)
    ok = True
    for r in moving:
        _r, s, t = chosen[r]
        if not (state.free_slots(r) >> s) & 1 or (t != NO_TABLE and (state.booth_busy.get(t, 0) >> s) & 1):
            ok = False
            break
        state.place(r, s, t)
    days = state.ix.days
    if ok and sum(days.gaps(mask) for mask in state.busy) < limit:
        state.commit(mark)
        return True
    state.rollback(mark)
    state.commit(mark)
    return False


SUB_SECONDS = 0.5
"""Time for one neighbourhood's MIP (most take a few hundredths of a second on forum sizes)."""
LNS_PATIENCE = 60
"""Neighbourhoods in a row without a better schedule before the full model gets the rest."""
PARTNERS = 6
"""At most this many partners of the participant with gaps join a neighbourhood."""
BOUND_SECONDS = 1.0
"""Time for the participants' own bounds (a few milliseconds each)."""
FULL_SECONDS = 3.0
"""The full model's time when the solve has no time limit."""


def exact_stage(state: State, deadline: float | None, seed: int = 0,
                finish: Callable[[State, float, dict[int, int]], GapResult] | None = None,
                share: float = 1.0) -> GapResult:
    """Fewer gaps by MIPs: first over neighbourhoods (all meetings in a few consecutive slots of a
    day, kept there; or all meetings of a participant with gaps and of some of their partners),
    each kept when no worse (a random tie-break among equals walks plateaus, as the local search
    does); then the full model, which may prove the result optimal. Stops at `deadline` (a
    `time.perf_counter()` value) or, without one, when the neighbourhoods stop paying and the
    full model had `FULL_SECONDS`. With `finish` (the CP-SAT model, cp_gaps.py), the
    neighbourhoods stop at `share` of the time left and `finish(state, seconds, floors)` replaces
    the full MIP."""
    t0 = time.perf_counter()
    ix = state.ix
    days = ix.days
    start = current = sum(days.gaps(mask) for mask in state.busy)
    if finish is None and not eligible(state):
        return GapResult("skipped", current, 0.0)
    rng = random.Random(seed)
    fails = 0

    def left() -> float:
        return float("inf") if deadline is None else deadline - time.perf_counter()

    floors = lower_bound(state, min(BOUND_SECONDS, left() / 5))
    bound = sum(floors.values())
    keep = 0.0 if deadline is None else left() * (1 - share)  # the time kept for `finish`
    while current > bound and fails < LNS_PATIENCE and left() - keep > 0.5:
        moving, within = _neighbourhood(state, rng)
        status, gaps = retime(state, moving, within, min(SUB_SECONDS, left() - keep), current, rng)
        if status == "skipped":
            return GapResult("skipped", current, time.perf_counter() - t0)
        fails = 0 if gaps < current else fails + 1
        current = gaps
    status = "optimal" if current <= bound else "no better found"
    if status != "optimal" and finish is not None and left() > 0.5:  # building CP-SAT's model takes time too
        full = finish(state, left() if deadline is not None else FULL_SECONDS, floors)
        status, current, bound = full.status, full.gaps, max(bound, full.bound)
    elif status != "optimal" and left() > 1.0:  # building the full model and HiGHS's start take their time
        full = exact_gaps(state, min(FULL_SECONDS, left()), current, floors)
        status, current = full.status, full.gaps
    if status == "no better found" and current < start:
        status = "improved"
    return GapResult(status, current, time.perf_counter() - t0, bound)


def _neighbourhood(state: State, rng: random.Random) -> tuple[list[int], int]:
    """The meetings to re-time and the slots they may take."""
    ix = state.ix
    days = ix.days
    if rng.random() < 0.3:
        day = rng.choice(days.day_masks)
        positions = [days.order[k] for k in bits(day)]
        width = min(len(positions), rng.randint(3, 6))
        first = rng.randrange(len(positions) - width + 1)
        within = sum(1 << s for s in positions[first:first + width])
        moving = [r for r in range(len(ix.request_ids))
                  if state.slot_of[r] >= 0 and not state.fixed[r] and (within >> state.slot_of[r]) & 1]
        return moving, within
    with_gaps = [p for p in range(len(ix.person_ids)) if days.gaps(state.busy[p])]
    people = {rng.choice(with_gaps)} if with_gaps else {rng.randrange(len(ix.person_ids))}
    partners = [ix.other(r, p) for p in people for r in state.at[p].values()]
    rng.shuffle(partners)
    people.update(partners[: rng.randint(1, PARTNERS)])
    moving = sorted({r for p in people for r in state.at[p].values() if not state.fixed[r]})
    return moving, state.all_slots


def staying_usage(state: State, free: set[int]) -> tuple[list[int], list[int], set[tuple[int, int]]]:
    """What the meetings that stay (scheduled, not in ``free``) take: each participant's busy slots as a
    mask, the pool tables left per slot, and the (own table, slot) pairs taken."""
    ix = state.ix
    fixed_busy = [0] * len(ix.person_ids)
    pool_left = [state.pool_size] * ix.n_slots
    booth_taken: set[tuple[int, int]] = set()
    for r in range(len(ix.request_ids)):
        s = state.slot_of[r]
        if s < 0 or r in free:
            continue
        fixed_busy[ix.ra[r]] |= 1 << s
        fixed_busy[ix.rb[r]] |= 1 << s
        if ix.kind[r] == POOL:
            pool_left[s] -= 1
        elif ix.kind[r] == BOOTH:
            booth_taken.add((state.table_of[r], s))
    return fixed_busy, pool_left, booth_taken
