"""Gap compaction: re-time scheduled meetings so that participants' days have fewer idle gaps.

Runs after the value and fairness phases and keeps exactly the same set of meetings, so value
and fairness cannot change. A move takes an unpinned meeting r of a participant with gaps to
another of its common slots s next to the meetings of one of its participants; the (at most
two) unpinned meetings of r's participants in s move away (to the best free slot for them,
often r's old one, which makes it a swap). The move is kept when the gaps of everyone touched
go down, or stay and the idle slots inside their days go down (narrowing a gap is progress
towards closing it); otherwise it is undone through the state's journal. Passes repeat until one finds nothing,
the time is up or the evaluation budget is spent.
"""

from __future__ import annotations

import random
from bisect import bisect_left, insort
from collections import deque
from collections.abc import Callable

from .index import bits
from .state import State

MAX_EVALS = 400_000
PATIENCE = 2_000  # kicks in a row without a better schedule before the search gives up


def person_gaps(state: State, p: int) -> int:
    return state.ix.days.gaps(state.busy[p])


def cost(state: State, people: set[int]) -> int:
    costs, busy = state.ix.days.costs, state.busy
    return sum([costs[busy[p]] for p in people])


def total(state: State) -> int:
    days = state.ix.days
    return sum(days.gaps(mask) for mask in state.busy)


def snug_slot(state: State, r: int, mask: int) -> int:
    """The slot of `mask` that adds the fewest gaps for r's participants (then the fewest idle
    slots inside their days), then the one next to most of their meetings, then the earliest
    (a `chains.SlotPicker`)."""
    ix = state.ix
    days = ix.days
    costs, near_of = days.costs, days.near
    ba, bb = state.busy[ix.ra[r]], state.busy[ix.rb[r]]
    best, best_key = -1, (0, 0, 0)
    for s in bits(mask):
        bit = 1 << s
        c = costs[ba | bit] + costs[bb | bit]
        if best >= 0 and c > best_key[0]:  # the first key decides: skip the rest
            continue
        near = near_of(bit)
        key = (c, -((near & ba).bit_count() + (near & bb).bit_count()), s)
        if best < 0 or key < best_key:
            best, best_key = s, key
    return best


def compact(state: State, out: Callable[[], bool], max_evals: int = MAX_EVALS, seed: int = 0) -> int:
    """Reduce the total gaps of `state` without changing its meetings; returns gaps removed.

    First a descent (`_descend`) to a local optimum, then an iterated local search (`_kick`):
    shake one participant's day, descend again around it, keep the result unless the total got
    worse; until the time is up, no gap is left or `PATIENCE` kicks in a row brought nothing."""
    ix = state.ix
    before = total(state)
    people = sorted((p for p in range(len(ix.person_ids)) if person_gaps(state, p)),
                    key=lambda p: -person_gaps(state, p))
    evals = _descend(state, people, out, max_evals)
    _iterate(state, out, random.Random(seed), max_evals - evals)
    return before - total(state)


def _descend(state: State, people: list[int], out: Callable[[], bool], max_evals: int) -> int:
    """Improving moves until none is left: a work list of participants with gaps (most first);
    whoever a kept move touches is examined again. Returns the evaluations spent."""
    queue = deque(people)
    queued = set(queue)
    evals = steps = 0
    costs, busy, scale = state.ix.days.costs, state.busy, state.ix.days.scale

    def has_gaps(q: int) -> bool:  # cost >= scale exactly when gaps > 0 (idle < scale), memoised
        return costs[busy[q]] >= scale

    while queue and evals < max_evals:
        steps += 1
        if steps % 16 == 0 and out():
            break
        p = queue.popleft()
        queued.discard(p)
        for r in sorted(state.at[p].values()):
            if not has_gaps(p):
                break
            if state.fixed[r] or state.slot_of[r] < 0:
                continue
            touched, spent = _improve_meeting(state, r)
            evals += spent
            for q in touched:
                if q not in queued and q != p and has_gaps(q):
                    queue.append(q)
                    queued.add(q)
            if touched and p not in queued and has_gaps(p):
                queue.append(p)
                queued.add(p)
                break
    return evals


def _iterate(state: State, out: Callable[[], bool], rng: random.Random, max_evals: int) -> None:
    """Iterated local search: the descent stops at a local optimum, where every single move makes
    someone's day worse; a kick moves one meeting of a participant with gaps to a random slot
    (its blockers to their best free slots), a descent repairs around it, and the new schedule is
    kept when the cost of the people it touched did not rise (plateaus are walked)."""
    ix, days = state.ix, state.ix.days
    costs, scale = days.costs, days.scale
    cost_of = [costs[mask] for mask in state.busy]
    # the participants with gaps in increasing order, kept up to date as costs change (not rebuilt
    # for each kick: on large events that scan was most of a kick's time)
    with_gaps = [p for p in range(len(ix.person_ids)) if cost_of[p] >= scale]
    patience = min(PATIENCE, 50 * len(ix.person_ids))
    idle = evals = 0
    while idle < patience and evals < max_evals:
        if out():
            return
        if not with_gaps:
            return
        p = rng.choice(with_gaps)
        movable = [r for r in state.at[p].values() if not state.fixed[r]]
        if not movable:
            idle += 1
            continue
        r = rng.choice(movable)
        slots = bits(ix.common[r] & ~(1 << state.slot_of[r]))
        if not slots:
            idle += 1
            continue
        mark = state.mark()
        kicked = _kick(state, r, rng.choice(slots))
        if kicked:
            evals += _descend(state, sorted(kicked), out, max_evals - evals)
        touched = {q for _op, m, _code in state.journal[mark:] for q in (ix.ra[m], ix.rb[m])}
        delta = sum([costs[state.busy[q]] - cost_of[q] for q in touched])
        if kicked and delta <= 0:
            for q in touched:
                new = costs[state.busy[q]]
                if (new >= scale) != (cost_of[q] >= scale):
                    if new >= scale:
                        insort(with_gaps, q)
                    else:
                        del with_gaps[bisect_left(with_gaps, q)]
                cost_of[q] = new
            idle = 0 if delta < 0 else idle + 1
        else:
            state.rollback(mark)
            idle += 1
        state.commit(mark)


def _kick(state: State, r: int, s: int) -> set[int]:
    """Move meeting r to slot s whatever it costs, its blockers to their best free slots; the
    participants touched, or an empty set (and nothing changed) when it cannot be done."""
    ix = state.ix
    blockers: list[int] = []
    for p in (ix.ra[r], ix.rb[r]):
        m = state.at[p].get(s)
        if m is not None and m not in blockers:
            if state.fixed[m]:
                return set()
            blockers.append(m)
    mark = state.savepoint()
    if not _apply(state, r, s, blockers):
        state.rollback(mark)
        return set()
    return {q for m in (r, *blockers) for q in (ix.ra[m], ix.rb[m])}


def _improve_meeting(state: State, r: int) -> tuple[set[int], int]:
    """Try the moves of meeting r; the participants touched by the kept move, if any."""
    ix = state.ix
    days = ix.days
    a, b = ix.ra[r], ix.rb[r]
    s0 = state.slot_of[r]
    cand = ix.common[r] & days.near(state.busy[a] | state.busy[b]) & ~(1 << s0)
    spent = 0
    for s in bits(cand):
        spent += 1
        touched = _try_move(state, r, s)
        if touched:
            return touched, spent
    return set(), spent


def _try_move(state: State, r: int, s: int) -> set[int]:
    ix = state.ix
    a, b = ix.ra[r], ix.rb[r]
    blockers: list[int] = []
    for p in (a, b):
        m = state.at[p].get(s)
        if m is not None and m not in blockers:
            if state.fixed[m]:
                return set()
            blockers.append(m)
    if not blockers:  # a plain move: evaluate on the masks before touching the state
        costs, flip = ix.days.costs, (1 << s) | (1 << state.slot_of[r])
        ma, mb = state.busy[a], state.busy[b]
        if costs[ma ^ flip] + costs[mb ^ flip] >= costs[ma] + costs[mb]:
            return set()
    touched = {a, b}
    for m in blockers:
        touched.update((ix.ra[m], ix.rb[m]))
    before = cost(state, touched)
    mark = state.mark()
    ok = _apply(state, r, s, blockers)
    if ok and cost(state, touched) < before:
        state.commit(mark)
        return touched
    state.rollback(mark)
    state.commit(mark)
    return set()


def _apply(state: State, r: int, s: int, blockers: list[int]) -> bool:
    state.remove(r)
    for m in blockers:
        state.remove(m)
    if not (state.free_slots(r) >> s) & 1:
        return False
    state.place(r, s)
    bit = 1 << s
    for m in blockers:
        mask = state.free_slots(m) & ~bit
        if not mask:
            return False
        state.place(m, snug_slot(state, m, mask))
    return True
