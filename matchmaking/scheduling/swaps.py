"""Value-improving swaps: a higher-priority request takes the place of lower-priority ones."""

from __future__ import annotations

from collections.abc import Callable

from .chains import Budget, insert
from .index import POOL, bits
from .state import State


def upgrade_pass(state: State, out: Callable[[], bool]) -> int:
    """Try each unscheduled request against cheaper meetings that block it; returns the gain."""
    ix = state.ix
    before = state.value
    pending = sorted((r for r in range(len(ix.request_ids)) if state.slot_of[r] < 0 and ix.common[r]),
                     key=lambda r: -ix.weight[r])
    for i, r in enumerate(pending):
        if i % 128 == 0 and out():
            break
        if ix.weight[r] > 1 and state.slot_of[r] < 0:
            _upgrade(state, r)
    return state.value - before


def _victims(state: State, r: int) -> list[int]:
    """Cheaper unpinned meetings whose removal may open room for r."""
    ix = state.ix
    w = ix.weight[r]
    out: list[int] = []
    for p in (ix.ra[r], ix.rb[r]):
        if state.count[p] >= ix.cap[p]:
            out += [m for m in state.at[p].values() if ix.weight[m] < w and not state.fixed[m]]
    if ix.kind[r] == POOL:
        a, b = ix.ra[r], ix.rb[r]
        both_free = ix.common[r] & ~(state.busy[a] | state.busy[b]) & state.pool_full
        for s in bits(both_free)[:8]:
            # filter, then sort the few that pass (not the whole slot)
            out += sorted([m for m in state.pool_at[s] if ix.weight[m] < w and not state.fixed[m]])[:2]
    for p in (ix.ra[r], ix.rb[r]):
        for s in bits(ix.common[r]):
            m = state.at[p].get(s)
            if m is not None and ix.weight[m] < w and not state.fixed[m]:
                out.append(m)
    seen: set[int] = set()
    return [m for m in out if not (m in seen or seen.add(m))]


def _upgrade(state: State, r: int) -> bool:
    for m in _victims(state, r):
        before = state.value
        mark = state.mark()
        state.remove(m)
        if insert(state, r, depth=2, budget=Budget(30)):
            insert(state, m, depth=2, budget=Budget(30))
            if state.value > before:
                state.commit(mark)
                return True
        state.rollback(mark)
        state.commit(mark)
    return False
