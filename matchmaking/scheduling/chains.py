"""Insertion with short ejection chains, shared by the batch solver and incremental mode.

When request r has no directly free slot, pick a common slot s, take out the (at most two)
unpinned meetings that block a or b in s (or one pool meeting when s has no pool table
left), put r into s and re-place each ejected meeting elsewhere, recursively up to `depth`.
Every change goes through the state's journal, so a failed chain is rolled back exactly.
"""

from __future__ import annotations

from collections.abc import Callable

from .index import BOOTH, POOL, bits
from .state import State

SCAN = 24
SlotPicker = Callable[[State, int, int], int]


def lowest(state: State, r: int, mask: int) -> int:
    return (mask & -mask).bit_length() - 1


class Budget:
    """A count of chain steps left, so that one insertion never explodes."""

    __slots__ = ("left",)

    def __init__(self, left: int) -> None:
        self.left = left


def insert(state: State, r: int, depth: int, budget: Budget, pick: SlotPicker = lowest) -> bool:
    """Place r, moving unpinned meetings along chains of at most `depth` steps if needed."""
    mask = state.free_slots(r)
    if mask:
        state.place(r, pick(state, r, mask))
        return True
    ix = state.ix
    a, b = ix.ra[r], ix.rb[r]
    if depth <= 0 or state.count[a] >= ix.cap[a] or state.count[b] >= ix.cap[b]:
        return False
    if ix.kind[r] == POOL and state.pool_full == state.all_slots:
        return False  # every pool table is taken: only a swap (see swaps.py) can help
    mark = state.mark()
    ok = _chain(state, r, depth, budget, {r}, pick, exclude=0)
    if not ok:
        state.rollback(mark)
    state.commit(mark)
    return ok


def _slots_by_blockers(state: State, r: int, exclude: int) -> list[int]:
    ix = state.ix
    ba, bb = state.busy[ix.ra[r]], state.busy[ix.rb[r]]
    cand = bits(ix.common[r] & ~exclude)
    return sorted(cand, key=lambda s: ((ba >> s) & 1) + ((bb >> s) & 1))


def _chain(state: State, r: int, depth: int, budget: Budget, locked: set[int], pick: SlotPicker,
           exclude: int) -> bool:
    for s in _slots_by_blockers(state, r, exclude):
        if budget.left <= 0:
            return False
        mark = state.savepoint()
        if _make_room(state, r, s, depth, budget, locked, pick):
            return True
        state.rollback(mark)
    return False


def _make_room(state: State, r: int, s: int, depth: int, budget: Budget, locked: set[int],
               pick: SlotPicker) -> bool:
    """Eject r's blockers in slot s, place r there, re-place the ejected meetings."""
    budget.left -= 1
    ix = state.ix
    blockers = []
    for p in (ix.ra[r], ix.rb[r]):
        m = state.at[p].get(s)
        if m is not None and m not in blockers:
            if state.fixed[m] or m in locked:
                return False
            blockers.append(m)
    for m in blockers:
        state.remove(m)
    kind = ix.kind[r]
    if kind == POOL and (state.pool_full >> s) & 1:
        victim = _movable_pool_meeting(state, s, locked)
        if victim is None:
            return False
        state.remove(victim)
        blockers.append(victim)
    elif kind == BOOTH and state.booth_for(r, s) < 0:
        return False
    state.place(r, s)
    locked.add(r)
    bit = 1 << s
    for m in blockers:
        mask = state.free_slots(m) & ~bit
        if mask:
            state.place(m, pick(state, m, mask))
        elif depth <= 1 or not _chain(state, m, depth - 1, budget, locked, pick, exclude=bit):
            return False
    return True


def _movable_pool_meeting(state: State, s: int, locked: set[int]) -> int | None:
    """An unpinned pool meeting in slot s that has another directly free slot."""
    ix = state.ix
    bit = 1 << s
    if state.pool_full | bit == state.all_slots:
        return None
    for i, m in enumerate(sorted(state.pool_at[s])):
        if i >= SCAN:
            break
        if state.fixed[m] or m in locked:
            continue
        free = ix.common[m] & ~(state.busy[ix.ra[m]] | state.busy[ix.rb[m]] | state.pool_full | bit)
        if free:
            return m
    return None
