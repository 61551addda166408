"""Batch mode: maximise the weighted number of meetings, then fairness.

1. Order the requests by the Lagrangian dual prices of the bound (a request whose two
   participants are cheap is in every good schedule), most constrained first, and insert each
   with short ejection chains (`chains.insert`).
2. Improve: re-try the unscheduled with longer chains; swap a lower-priority meeting out of a
   full participant or a full slot for a higher-priority request; give participants without
   any meeting one, by ejecting a meeting of the same priority whose participants keep others.
3. Ruin and recreate (search.py) until the bound, the move budget or the time limit.
4. Small events with SciPy installed: if still short of the bound, solve the exact
   slot-indexed MIP (mip.py) and keep its schedule when better.
5. Stop at the bound (proven optimal), at the work budget or at the time limit.
6. Compact participants' days (compact.py): fewer idle gaps, the same meetings.
7. Small events: re-time the meetings by the full CP-SAT model (cp_gaps.py, with OR-Tools; else
   HiGHS's MIPs over neighbourhoods, then its full model: gap_mip.py), for fewer gaps still.
Randomness only breaks ties, from `random.Random(seed)`, so a run is deterministic for an
instance and seed unless the time limit cuts it short.
"""

from __future__ import annotations

import math
import random
import time

from . import cp_gaps, gap_mip
from .bound import dual_bound
from .chains import Budget, insert
from .compact import compact, total
from .exact import exact_solve
from .fairness_pass import fairness_pass
from .index import POOL, Index, build_index
from .mip import mip_assignment
from .model import Instance, Solution
from .pinned import pinned_state
from .search import local_search
from .state import State
from .swaps import upgrade_pass

EXACT_MAX_REQUESTS = 12
MAX_MOVES = 100_000
PATIENCE = 3_000
MIP_SECONDS = 10.0
COMPACT_SHARE = 0.2  # of a time limit, kept for the gap compaction
LOCAL_SHARE = 0.8  # of the time left for gaps: the local search stops there when the MIP stage follows
CP_LOCAL_SHARE = 0.6  # the same before the CP-SAT stage, which makes better use of its time
EXACT_END = 0.82  # of a time limit, when the MIP stage stops (building the answer takes its time)


class Clock:
    def __init__(self, limit: float | None) -> None:
        self.start = time.perf_counter()
        self.deadline = None if limit is None else self.start + limit

    def out(self) -> bool:
        return self.deadline is not None and time.perf_counter() > self.deadline

    def elapsed(self) -> float:
        return time.perf_counter() - self.start


def solve(instance: Instance, time_limit: float | None = None, seed: int = 0,
          index: Index | None = None, compact_gaps: bool = True, exact_gaps: bool = True,
          gap_solver: str | None = None) -> Solution:
    """Return a feasible schedule; its `stats` carry value, bound, gaps and timing figures.

    `compact_gaps=False` skips the gap compaction, `exact_gaps=False` only its exact stage (for
    comparisons; the meetings are the same); `gap_solver` picks that stage's full model:
    "cp-sat" (the default when OR-Tools is installed) or "highs"."""
    use_cp = (gap_solver or ("cp-sat" if cp_gaps.available() else "highs")) == "cp-sat"
    gap = cp_gaps if use_cp else gap_mip
    clock = Clock(time_limit)
    # The gap compaction keeps a share of the time: on events whose search would use all of it,
    # people's days would otherwise stay as the search left them.
    search = Clock(None if time_limit is None or not compact_gaps else time_limit * (1 - COMPACT_SHARE))
    ix = index or build_index(instance)
    state = pinned_state(ix)
    dual = dual_bound(ix)
    bound = dual.value
    stats: dict[str, object] = {"algorithm": "dual-ordered ejection chains", "seed": seed}
    phases: dict[str, float] = {"bound": clock.elapsed()}
    if len(ix.request_ids) - len(ix.pinned) <= EXACT_MAX_REQUESTS:
        exact_solve(state)
        stats["algorithm"] = "exhaustive"
    else:
        rng = random.Random(seed)
        order = request_order(ix, state, dual.prices or [0.0] * len(ix.person_ids), dual.pool_price, rng)
        construct(state, order, search)
        phases["construct"] = search.elapsed()
        improve(state, search, bound)
        phases["improve"] = search.elapsed()
        if state.value < bound and not search.out():
            stats["moves"] = local_search(state, rng, bound, search.out, MAX_MOVES, PATIENCE)
        phases["local_search"] = search.elapsed()
        if state.value < bound and not search.out():
            state, bound = polish_with_mip(state, bound, search)
        phases["mip"] = search.elapsed()
        if not clock.out():
            fairness_pass(state, clock.out)
        phases["fairness"] = clock.elapsed()
    stats["gaps_before_compaction"] = total(state)
    stats["gap_stage"] = "none"
    mip_next = compact_gaps and exact_gaps and gap.eligible(state)
    if compact_gaps and not clock.out():
        # it stops a little before the limit: writing the answer out takes its time too
        left = None if time_limit is None else time_limit * 0.97 - clock.elapsed()
        if left is not None and mip_next:
            left *= CP_LOCAL_SHARE if use_cp else LOCAL_SHARE
        stats["gaps_removed"] = compact(state, Clock(left).out, seed=seed)
        stats["gap_stage"] = "local search"
    phases["compact"] = clock.elapsed()
    if mip_next and not clock.out():
        stats["gaps_local_search"] = total(state)
        end = None if clock.deadline is None else clock.start + time_limit * EXACT_END  # type: ignore[operator]
        found = cp_gaps.cp_stage(state, end, seed=seed) if use_cp else gap_mip.exact_stage(state, end, seed=seed)
        if found.status != "skipped":
            stats["gap_stage"] = "cp-sat" if use_cp else "mip"
            stats["gap_mip"] = {"status": found.status, "seconds": round(found.seconds, 3),
                                "lower_bound": found.bound}
        phases["gap_mip"] = clock.elapsed()
    stats.update(value=state.value, bound=bound, gaps=total(state), seconds=round(clock.elapsed(), 3),
                 phases={k: round(v, 3) for k, v in phases.items()})
    return state.solution(stats)


def polish_with_mip(state: State, bound: int, clock: Clock) -> tuple[State, int]:
    """Small events only, with SciPy: replace the schedule by the exact MIP's when better."""
    left = MIP_SECONDS if clock.deadline is None else min(MIP_SECONDS, clock.deadline - time.perf_counter())
    found = mip_assignment(state, left)
    if found is None:
        return state, bound
    chosen, mip_bound = found
    bound = min(bound, math.floor(mip_bound + 1e-6))
    fresh = pinned_state(state.ix)
    for r, s in sorted(chosen):
        if (fresh.free_slots(r) >> s) & 1:
            fresh.place(r, s)
    return (fresh if fresh.value > state.value else state), bound


def request_order(ix: Index, state: State, prices: list[float], pool_price: float,
                  rng: random.Random) -> list[int]:
    """Highest reduced priority first; among equals, the fewest common slots first."""
    tie = list(range(len(ix.request_ids)))
    rng.shuffle(tie)

    def key(r: int) -> tuple[float, int, int, int]:
        reduced = ix.weight[r] - prices[ix.ra[r]] - prices[ix.rb[r]] - (pool_price if ix.kind[r] == POOL else 0)
        return (-round(reduced, 6), -ix.weight[r], ix.common[r].bit_count(), tie[r])

    return sorted((r for r in range(len(ix.request_ids)) if state.slot_of[r] < 0 and ix.common[r]), key=key)


def construct(state: State, order: list[int], clock: Clock) -> None:
    """Insert in `order`; once the time is up, the rest go only where a slot is free (cheap, so
    that a run whose bound ate the time limit still returns a full first schedule)."""
    late = False
    for i, r in enumerate(order):
        if i % 512 == 0 and not late:
            late = clock.out()
        if late:
            mask = state.free_slots(r)
            if mask:
                state.place(r, (mask & -mask).bit_length() - 1)
        else:
            insert(state, r, depth=2, budget=Budget(40))


def improve(state: State, clock: Clock, bound: int) -> None:
    ix = state.ix
    for depth, steps in ((3, 200),):
        pending = sorted((r for r in range(len(ix.request_ids)) if state.slot_of[r] < 0 and ix.common[r]),
                         key=lambda r: -ix.weight[r])
        for i, r in enumerate(pending):
            if state.value >= bound or (i % 256 == 0 and clock.out()):
                return
            insert(state, r, depth=depth, budget=Budget(steps))
    if state.value < bound and not clock.out():
        upgrade_pass(state, clock.out)
