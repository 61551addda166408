"""The first-come, earliest-slot baseline: what a manual organiser would do."""

from __future__ import annotations

from .index import Index, build_index
from .model import Instance, Solution
from .pinned import pinned_state
from .state import State


def first_come(instance: Instance, index: Index | None = None) -> Solution:
    """Place requests in input order, each in the earliest slot that is free for it."""
    ix = index or build_index(instance)
    state = pinned_state(ix)
    place_first_come(state)
    return state.solution({"algorithm": "first-come"})


def place_first_come(state: State) -> None:
    for r in range(len(state.ix.request_ids)):
        if state.slot_of[r] < 0:
            mask = state.free_slots(r)
            if mask:
                state.place(r, (mask & -mask).bit_length() - 1)
