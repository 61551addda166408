"""Equal-value moves that give a participant without any meeting at least one."""

from __future__ import annotations

from collections.abc import Callable

from .chains import Budget, insert
from .index import POOL, bits
from .state import State


def fairness_pass(state: State, out: Callable[[], bool]) -> int:
    """Returns how many participants gained their first meeting."""
    ix = state.ix
    gained = 0
    lonely = [p for p, inc in enumerate(ix.incident) if inc and state.count[p] == 0 and ix.cap[p] > 0]
    for i, p in enumerate(lonely):
        if i % 64 == 0 and out():
            break
        if state.count[p]:
            continue
        for r in sorted(ix.incident[p], key=lambda r: -ix.weight[r]):
            if ix.common[r] and _rescue(state, r, p):
                gained += 1
                break
    return gained


def _victims(state: State, r: int, p: int) -> list[int]:
    """Meetings of the same priority or less whose participants all keep another meeting."""
    ix = state.ix
    q = ix.other(r, p)
    w = ix.weight[r]

    def spare(m: int) -> bool:
        return (not state.fixed[m] and ix.weight[m] <= w
                and state.count[ix.ra[m]] > 1 and state.count[ix.rb[m]] > 1)

    out = [m for m in state.at[q].values() if (ix.common[r] >> state.slot_of[m]) & 1 and spare(m)]
    if state.count[q] >= ix.cap[q]:
        out += [m for m in state.at[q].values() if spare(m)]
    if ix.kind[r] == POOL:
        for s in bits(ix.common[r] & ~state.busy[q] & state.pool_full)[:6]:
            out += sorted(filter(spare, state.pool_at[s]))[:3]
    seen: set[int] = set()
    return [m for m in out if not (m in seen or seen.add(m))]


def _rescue(state: State, r: int, p: int) -> bool:
    if insert(state, r, depth=2, budget=Budget(30)):
        return True
    for m in _victims(state, r, p)[:12]:
        before = state.value
        mark = state.mark()
        state.remove(m)
        if insert(state, r, depth=2, budget=Budget(30)):
            insert(state, m, depth=2, budget=Budget(20))
            if state.value >= before:
                state.commit(mark)
                return True
        state.rollback(mark)
        state.commit(mark)
    return False
