"""Start a schedule from the pinned meetings, refusing pinned meetings that break the rules."""

from __future__ import annotations

from collections.abc import Iterable

from .feasibility import check
from .index import Index
from .model import InputError, Meeting, Solution
from .state import State


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
    """A `State` holding a feasible assignment; instance pins and `pinned` ids are fixed."""
    meetings = tuple(meetings)
    broken = check(ix.instance, Solution(meetings))
    if broken:
        raise InputError("the assignment is not feasible: " + "; ".join(str(v) for v in broken))
    state = State(ix)
    for m in meetings:
        r = ix.request_pos[m.request]
        state.place(r, ix.slot_pos[m.slot], -1 if m.table is None else ix.table_pos[m.table])
    for rid in pinned:
        if rid not in ix.request_pos or state.slot_of[ix.request_pos[rid]] < 0:
            raise InputError(f"pinned request '{rid}' is not in the assignment")
        state.fixed[ix.request_pos[rid]] = True
    for r in ix.pinned:
        state.fixed[r] = True
    return state
