"""Start a schedule from the pinned meetings, refusing pinned meetings that break the rules."""

from __future__ import annotations

from collections.abc import Iterable

from .feasibility import check
from .index import BOOTH, ONLINE, POOL, Index
from .model import InputError, Meeting, Solution
from .state import NO_TABLE, State


def pinned_state(ix: Index) -> State:
    """A `State` holding exactly the pinned meetings, marked fixed."""
    inst = ix.instance
    broken = check(inst, Solution(inst.pinned))
    if broken:
        raise InputError("pinned meetings are not feasible: " + "; ".join(str(v) for v in broken))
    state = State(ix)
    for r, (s, t) in sorted(ix.pinned.items()):
        state.place(r, s, t)
        state.fixed[r] = True
    return state


def load_state(ix: Index, meetings: Iterable[Meeting], pinned: Iterable[str] = ()) -> State:
    """A `State` holding a feasible assignment; instance pins and `pinned` ids are fixed.

    Every meeting is verified as it goes in, with the state's own bit masks: the same seven rules
    as `feasibility.check` (a test holds the two to the same verdicts), at a fraction of its cost,
    which matters when the app rebuilds the live schedule of 20,000 meetings for one accept.
    """
    state = State(ix)
    pool = set(ix.pool_tables)
    for m in meetings:
        r, s = ix.request_pos.get(m.request), ix.slot_pos.get(m.slot)
        t = None if m.table is None else ix.table_pos.get(m.table)
        if r is None or s is None or (m.table is not None and t is None):
            _refuse(m, "names an unknown request, slot or table")
        if state.slot_of[r] >= 0:
            _refuse(m, "is scheduled twice")
        if not (ix.common[r] >> s) & 1:
            _refuse(m, "is in a slot where a participant is not available or outside its window")
        a, b = ix.ra[r], ix.rb[r]
        if ((state.busy[a] | state.busy[b]) >> s) & 1:
            _refuse(m, "meets a participant who already has a meeting in that slot")
        if state.count[a] >= ix.cap[a] or state.count[b] >= ix.cap[b]:
            _refuse(m, "exceeds a participant's max_meetings")
        kind = ix.kind[r]
        if kind == ONLINE:
            if t is not None:
                _refuse(m, "is online but has a table")
        elif t is None:
            _refuse(m, "is onsite but has no table")
        elif kind == BOOTH and (t not in ix.booths[r] or (state.booth_busy.get(t, 0) >> s) & 1):
            _refuse(m, "is not at its participant's own table, or that table is taken")
        elif kind == POOL and (t not in pool or t in state.pool_tables_used[s]):
            _refuse(m, "is at a table owned by someone else, or taken")
        state.place(r, s, NO_TABLE if t is None else t)
    for r, (s, t) in ix.pinned.items():
        if state.slot_of[r] != s or state.table_of[r] != t:
            where = ix.request_ids[r]
            raise InputError(f"the assignment is not feasible: pinned request {where} is not where it is pinned")
    for rid in pinned:
        if rid not in ix.request_pos or state.slot_of[ix.request_pos[rid]] < 0:
            raise InputError(f"pinned request '{rid}' is not in the assignment")
        state.fixed[ix.request_pos[rid]] = True
    for r in ix.pinned:
        state.fixed[r] = True
    return state


def _refuse(m: Meeting, why: str) -> None:
    raise InputError(f"the assignment is not feasible: request {m.request} {why} (slot {m.slot}, table {m.table})")
