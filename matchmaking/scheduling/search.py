"""Ruin and recreate: force an unscheduled request in, re-place what it pushed out.

A move picks an unscheduled request r and one of its common slots s, ejects whatever blocks r
there (the meetings of a and b in s, one meeting of a participant at its maximum, one pool
meeting when s has no pool table left), places r, then re-inserts the ejected meetings and the
other unscheduled requests of the people involved with short chains. The move is kept when
(value, -participants without meeting) does not get worse, otherwise rolled back.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from .chains import Budget, insert
from .index import BOOTH, POOL, bits
from .state import State


def zero_count(state: State, people: set[int]) -> int:
    return sum(1 for p in people if state.count[p] == 0 and state.ix.incident[p])


def local_search(state: State, rng: random.Random, bound: int, out: Callable[[], bool],
                 max_iters: int, patience: int) -> int:
    """Run moves until the bound, the iteration budget, `patience` moves without gain, or `out()`."""
    ix = state.ix
    pending = [r for r in range(len(ix.request_ids)) if state.slot_of[r] < 0 and ix.common[r]]
    idle = 0
    it = 0
    for it in range(max_iters):
        if state.value >= bound or idle >= patience or not pending or (it % 64 == 0 and out()):
            break
        i = rng.randrange(len(pending))
        r = pending[i]
        if state.slot_of[r] >= 0:
            pending[i] = pending[-1]
            pending.pop()
            continue
        before = state.value
        if _move(state, r, rng) and state.value > before:
            idle = 0
            pending = [q for q in pending if state.slot_of[q] < 0]
        else:
            idle += 1
    return it


def _move(state: State, r: int, rng: random.Random) -> bool:
    ix = state.ix
    a, b = ix.ra[r], ix.rb[r]
    s = rng.choice(bits(ix.common[r]))
    victims: list[int] = []
    for p in (a, b):
        m = state.at[p].get(s)
        if m is not None and m not in victims:
            victims.append(m)
    for p in (a, b):
        if state.count[p] - sum(1 for m in victims if p in (ix.ra[m], ix.rb[m])) >= ix.cap[p]:
            others = [m for m in state.at[p].values() if m not in victims and not state.fixed[m]]
            if not others:
                return False
            victims.append(rng.choice(others))
    if any(state.fixed[m] for m in victims):
        return False
    people = {a, b} | {ix.ra[m] for m in victims} | {ix.rb[m] for m in victims}
    before = (state.value, -zero_count(state, people))
    mark = state.mark()
    for m in victims:
        state.remove(m)
    if ix.kind[r] == POOL and (state.pool_full >> s) & 1:
        pool = [m for m in state.pool_at[s] if not state.fixed[m]]
        if not pool:
            return _undo(state, mark)
        m = rng.choice(sorted(pool))
        state.remove(m)
        victims.append(m)
        people |= {ix.ra[m], ix.rb[m]}
    if not (state.free_slots(r) >> s) & 1 or (ix.kind[r] == BOOTH and state.booth_for(r, s) < 0):
        return _undo(state, mark)
    state.place(r, s)
    for m in victims:
        insert(state, m, depth=2, budget=Budget(40))
    for p in sorted(people):
        for q in ix.incident[p]:
            if state.slot_of[q] < 0 and ix.common[q] and state.count[p] < ix.cap[p]:
                insert(state, q, depth=1, budget=Budget(10))
    if (state.value, -zero_count(state, people)) < before:
        return _undo(state, mark)
    state.commit(mark)
    return True


def _undo(state: State, mark: int) -> bool:
    state.rollback(mark)
    state.commit(mark)
    return False
