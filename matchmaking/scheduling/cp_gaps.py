"""Exact gap stage on OR-Tools CP-SAT: re-time the scheduled meetings to the fewest idle gaps.

The same model as gap_mip.py (the meetings are fixed, only slots and own tables where a meeting
has two to choose from are chosen again; pinned meetings stay), in Booleans: x[r, s, t] per
meeting, common slot and own table; each meeting once, each participant and own table at most
once per slot, pool tables per slot. For one participant's day in time order, busy b[k] is the
sum of its x in the k-th slot (or 1 for a pinned meeting), and y[k] = 1 exactly when a block
starts there (y >= b[k] - b[k-1], y <= b[k], y + b[k-1] <= 1); e[d] = 1 when it meets that day
(a constant when all its meetings can only be on that day). Gaps = sum(y) - sum(e), the same
count as `Days.gaps`. The local search's schedule is the hint and its total an upper bound, so
CP-SAT starts from it; with the per-participant floors (`gap_mip.lower_bound`) as cuts, its
bound often meets the schedule and proves it optimal.
"""

from __future__ import annotations

import importlib.util
import math
import os
import time
from typing import Any

from .gap_mip import FULL_SECONDS, GapResult, _apply, exact_stage, staying_usage
from .index import BOOTH, POOL, bits
from .state import NO_TABLE, State

MAX_CELLS = 8_000
"""Scheduled meetings x slots above which the stage does not run, as for HiGHS: on bsrw (529 x 28)
CP-SAT found nothing better in its 4 s and the local search, cut to 60% of its time, ended with
more gaps, so bigger events keep the local search alone."""
SEED = 1
"""CP-SAT's random seed: runs repeat when the time limit does not cut them."""


def available() -> bool:
    """Whether OR-Tools is installed (the solver falls back to the HiGHS stage otherwise); found
    without importing it, which takes a second on a loaded machine, on events the stage skips."""
    return importlib.util.find_spec("ortools") is not None


def workers() -> int:
    """Two search workers on two cores or more: CP-SAT's portfolio needs at least two."""
    return max(1, min(2, os.cpu_count() or 1))


def eligible(state: State) -> bool:
    """Whether the model is small enough for the stage."""
    ix = state.ix
    cells = sum(1 for r in range(len(ix.request_ids)) if state.slot_of[r] >= 0 and not state.fixed[r])
    return cells * ix.n_slots <= MAX_CELLS


def cp_gaps(state: State, time_limit: float, floors: dict[int, int] | None = None,
            hint: bool = True) -> GapResult:
    """Re-time all unpinned scheduled meetings of `state` to the fewest gaps CP-SAT finds in
    `time_limit` seconds; the state changes only to a schedule its own checks accept with fewer
    gaps. `hint=False` starts CP-SAT from scratch (to see whether the local search's start
    traps it)."""
    t0 = time.perf_counter()  # importing OR-Tools takes a second on a loaded machine: counted
    from ortools.sat.python import cp_model

    ix = state.ix
    days = ix.days
    current = sum(days.gaps(mask) for mask in state.busy)
    moving = [r for r in range(len(ix.request_ids)) if state.slot_of[r] >= 0 and not state.fixed[r]]
    floor_sum = sum((floors or {}).values())
    if current == 0 or not moving or current <= floor_sum:
        return GapResult("optimal", current, time.perf_counter() - t0, min(current, floor_sum))
    free = set(moving)
    fixed_busy, pool_left, booth_taken = staying_usage(state, free)

    m = cp_model.CpModel()
    x: dict[tuple[int, int, int], Any] = {}
    by_person_slot: dict[tuple[int, int], list[Any]] = {}
    by_pool_slot: dict[int, list[Any]] = {}
    by_booth_slot: dict[tuple[int, int], list[Any]] = {}
    for r in moving:
        mine = []
        for s in bits(ix.common[r] & ~(fixed_busy[ix.ra[r]] | fixed_busy[ix.rb[r]])):
            if ix.kind[r] == POOL and pool_left[s] <= 0:
                continue
            tables = [t for t in ix.booths[r] if (t, s) not in booth_taken] if ix.kind[r] == BOOTH else [NO_TABLE]
            for t in tables:
                v = x[r, s, t] = m.NewBoolVar("")
                mine.append(v)
                for p in (ix.ra[r], ix.rb[r]):
                    by_person_slot.setdefault((p, s), []).append(v)
                if ix.kind[r] == POOL:
                    by_pool_slot.setdefault(s, []).append(v)
                elif t != NO_TABLE:
                    by_booth_slot.setdefault((t, s), []).append(v)
            if hint:
                for t in tables:
                    m.AddHint(x[r, s, t], int(state.slot_of[r] == s and (t == NO_TABLE or t == state.table_of[r])))
        if not mine:  # cannot happen for a placed meeting; keep the schedule as it is
            return GapResult("no better found", current, time.perf_counter() - t0)
        m.AddExactlyOne(mine)
    for vs in by_person_slot.values():
        if len(vs) > 1:
            m.AddAtMostOne(vs)
    for s, vs in by_pool_slot.items():
        if len(vs) > pool_left[s]:
            m.Add(sum(vs) <= pool_left[s])
    for vs in by_booth_slot.values():
        if len(vs) > 1:
            m.AddAtMostOne(vs)

    objective: list[Any] = []
    people = {p for r in moving for p in (ix.ra[r], ix.rb[r])}
    def _busy(p: int, s: int) -> Any:
        return 1 if (fixed_busy[p] >> s) & 1 else sum(by_person_slot.get((p, s), []))

    for p in sorted(people):
        reach = fixed_busy[p]
        for r in ix.incident[p]:
            if r in free:
                reach |= ix.common[r]
        mine_terms: list[Any] = []
        for d in (d for d in days.day_masks if days._timed(reach) & d):
            order = [days.order[k] for k in bits(d)]
            mine_terms += _gap_ends(m, [_busy(p, s) for s in order],
                                    [(state.busy[p] >> s) & 1 if hint else None for s in order])
        if floors and floors.get(p):
            m.Add(sum(mine_terms) >= floors[p])
        objective += mine_terms
    others = sum(days.gaps(state.busy[p]) for p in range(len(ix.person_ids)) if p not in people)
    total = sum(objective) + others
    m.Add(total <= current)
    m.Minimize(total)

    if time_limit - (time.perf_counter() - t0) < 0.05:  # building the model used the time up
        return GapResult("no better found", current, time.perf_counter() - t0, floor_sum)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit - (time.perf_counter() - t0)
    solver.parameters.num_workers = workers()
    solver.parameters.random_seed = SEED
    if solver.parameters.num_workers > 1:
        # core-guided search (as MaxSAT solvers do) proves bounds on this objective of positive
        # literals far better than the LP; the other worker finds schedules (LNS, local search)
        solver.parameters.subsolvers.append("core")
    code = solver.Solve(m)
    bound = floor_sum
    if code != cp_model.MODEL_INVALID and math.isfinite(solver.BestObjectiveBound()):
        bound = max(floor_sum, math.ceil(solver.BestObjectiveBound() - 1e-6))
    if code == cp_model.INFEASIBLE:  # nothing at or below `current`: cannot happen with the hint's schedule
        return GapResult("no better found", current, time.perf_counter() - t0, floor_sum)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return GapResult("no better found", current, time.perf_counter() - t0, floor_sum)
    chosen = {r: key for key, v in x.items() if solver.Value(v) for r in (key[0],)}
    found = round(solver.ObjectiveValue())
    gaps = current
    if found < current and _apply(state, moving, chosen, current):
        gaps = sum(days.gaps(mask) for mask in state.busy)
    bound = min(bound, gaps)
    if code == cp_model.OPTIMAL and gaps == found:
        status = "optimal"
    else:
        status = "improved" if gaps < current else ("optimal" if bound >= gaps else "no better found")
    return GapResult(status, gaps, time.perf_counter() - t0, bound)


def _gap_ends(m: Any, busy: list[Any], now: list[int | None]) -> list[Any]:
    """One participant's day, busy per slot in time order (0, 1 or a sum of Booleans): a Boolean
    per slot where a gap ends (busy here, free just before, a meeting earlier that day), so the
    gaps are their sum, an objective of positive literals only. `now`: the busy slots of the
    schedule given as the hint (None: no hint)."""
    ends: list[Any] = []
    seen: Any = 0  # a meeting before this slot
    prev: Any = 0
    seen_now = 0
    prev_now = 0
    for here, here_now in zip(busy, now, strict=True):
        if not _is(here, 0) and not _is(seen, 0) and not _is(prev, 1):
            z = m.NewBoolVar("")
            m.Add(z >= here + seen - prev - 1)
            m.Add(z <= here)
            m.Add(z <= seen)
            m.Add(z + prev <= 1)
            ends.append(z)
            if here_now is not None:
                m.AddHint(z, int(here_now and seen_now and not prev_now))
        if _is(here, 1) or _is(seen, 1):
            nxt: Any = 1
        elif _is(here, 0) and _is(seen, 0):
            nxt = 0
        else:
            nxt = m.NewBoolVar("")
            m.Add(nxt >= here)
            m.Add(nxt >= seen)
            m.Add(nxt <= here + seen)
            if here_now is not None:
                m.AddHint(nxt, int(here_now or seen_now))
        if here_now is not None:
            seen_now, prev_now = int(here_now or seen_now), here_now
        seen, prev = nxt, here
    return ends


def _is(term: Any, value: int) -> bool:
    return isinstance(term, int) and term == value


LNS_SHARE = 0.0
"""Of the stage's time, for the HiGHS neighbourhoods before the CP-SAT model (with SciPy). None:
in alternating runs (`python scripts/bench_gap_split.py`) CP-SAT given their fifth too proved
open2 optimal at 2 gaps in 3 of 3 runs (1 of 3 after them) and was no worse elsewhere."""


def cp_stage(state: State, deadline: float | None, seed: int = 0) -> GapResult:
    """Fewer gaps: the participants' floors (with SciPy, gap_mip.exact_stage; HiGHS
    neighbourhoods for `LNS_SHARE` of the time), then the CP-SAT model on all meetings."""
    if importlib.util.find_spec("scipy") is not None:
        return exact_stage(state, deadline, seed, finish=lambda st, left, floors: cp_gaps(st, left, floors),
                           share=LNS_SHARE)
    left = FULL_SECONDS if deadline is None else deadline - time.perf_counter()
    return cp_gaps(state, left)
