"""Why is a request unscheduled? One reason per request, true of the given schedule.

The codes are stable strings for the web app to translate; `participants` and `slots` name
who and when, and `message` is a ready English sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .index import BOOTH, ONLINE, Index, bits, build_index
from .model import Instance, Solution
from .pinned import load_state
from .state import State


class Reason(StrEnum):
    NO_COMMON_AVAILABILITY = "no_common_availability"
    """The two participants share no available slot."""
    OUTSIDE_WINDOW = "outside_window"
    """They share available slots, but none inside the request's window (`slots`: the window)."""
    MAX_MEETINGS_REACHED = "max_meetings_reached"
    """`participants` have as many meetings as their max_meetings."""
    COMMON_SLOTS_TAKEN = "common_slots_taken"
    """In every common slot one of `participants` already has a meeting."""
    NO_TABLE_FREE = "no_table_free"
    """In every common slot where both are free (`slots`) no suitable table is free."""
    COULD_BE_PLACED = "could_be_placed"
    """Nothing blocks it: the schedule is not maximal (never for the solver's schedules)."""


@dataclass(frozen=True)
class Explanation:
    request: str
    code: Reason
    participants: tuple[str, ...]
    slots: tuple[str, ...]
    message: str


def explain(instance: Instance, solution: Solution, index: Index | None = None) -> dict[str, Explanation]:
    """An explanation for every request of `instance` that `solution` leaves unscheduled."""
    ix = index or build_index(instance)
    state = load_state(ix, solution.meetings)
    return {ix.request_ids[r]: explain_one(state, r) for r in range(len(ix.request_ids)) if state.slot_of[r] < 0}


def explain_one(state: State, r: int) -> Explanation:
    ix = state.ix
    rid, a, b = ix.request_ids[r], ix.ra[r], ix.rb[r]
    name = ix.person_ids
    common = ix.common[r]
    if not common and ix.avail[a] & ix.avail[b]:
        window = tuple(ix.slot_ids[s] for s in bits(ix.window[r]))
        return Explanation(rid, Reason.OUTSIDE_WINDOW, (name[a], name[b]), window,
                           f"{name[a]} and {name[b]} share no available slot inside the meeting's time window")
    if not common:
        return Explanation(rid, Reason.NO_COMMON_AVAILABILITY, (name[a], name[b]), (),
                           f"{name[a]} and {name[b]} share no available slot")
    people = ix.instance.participants
    full = [p for p in (a, b) if people[p].max_meetings is not None and state.count[p] >= people[p].max_meetings]
    if full:
        who = " and ".join(f"{name[p]} ({people[p].max_meetings})" for p in full)
        return Explanation(rid, Reason.MAX_MEETINGS_REACHED, tuple(name[p] for p in full), (),
                           f"reached their maximum number of meetings: {who}")
    slots = tuple(ix.slot_ids[s] for s in bits(common))
    both_free = common & ~(state.busy[a] | state.busy[b])
    if not both_free:
        busy = [p for p in (a, b) if common & state.busy[p]]
        counts = ", ".join(f"for {name[p]} in {(common & state.busy[p]).bit_count()}" for p in busy)
        return Explanation(rid, Reason.COMMON_SLOTS_TAKEN, tuple(name[p] for p in busy), slots,
                           f"every common slot ({len(slots)}) is taken: {counts}")
    if ix.kind[r] != ONLINE and not state.free_slots(r) & both_free:
        free = tuple(ix.slot_ids[s] for s in bits(both_free))
        what = ("own table " + " / ".join(ix.table_ids[t] for t in ix.booths[r])
                if ix.kind[r] == BOOTH else "table")
        return Explanation(rid, Reason.NO_TABLE_FREE, (name[a], name[b]), free,
                           f"no {what} is free in the {len(free)} common slot(s) where both are free")
    return Explanation(rid, Reason.COULD_BE_PLACED, (name[a], name[b]), slots,
                       "nothing blocks this meeting: it could still be scheduled")
