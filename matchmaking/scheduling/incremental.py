"""Incremental mode for the web app: add meetings to a live schedule without rebuilding it.

Build an `IncrementalScheduler` once from the instance and the current assignment, then call
`place(request_id)` for each newly accepted request. Pinned meetings never move; unpinned ones
may move along short ejection chains, and every move is reported so the app can notify people.
Among the possible slots, a meeting goes next to its participants' meetings: the slot adding
the fewest idle gaps to their days (gaps.py), then the one next to most of their meetings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .chains import Budget, insert
from .compact import snug_slot
from .explain import Explanation, explain_one
from .index import Index, build_index
from .model import InputError, Instance, Meeting, Solution
from .pinned import load_state

DEPTH = 3
STEPS = 300


@dataclass(frozen=True)
class Placement:
    """The outcome of one `place`: the new meeting (or None and the reason) and the moves."""

    request: str
    meeting: Meeting | None
    moved: tuple[Meeting, ...]
    explanation: Explanation | None = None


class IncrementalScheduler:
    def __init__(self, instance: Instance, assignment: Iterable[Meeting] = (), pinned: Iterable[str] = (),
                 index: Index | None = None, depth: int = DEPTH) -> None:
        """`assignment` must be feasible; instance pins and the `pinned` request ids stay put.
        `depth`: how long a chain of moves `place` may try (0: only slots free as they are)."""
        self.ix = index or build_index(instance)
        self.state = load_state(self.ix, assignment, pinned)
        self.depth = depth

    def meeting(self, request_id: str) -> Meeting | None:
        r = self._pos(request_id)
        s, t = self.state.slot_of[r], self.state.table_of[r]
        if s < 0:
            return None
        return Meeting(request_id, self.ix.slot_ids[s], None if t < 0 else self.ix.table_ids[t])

    def place(self, request_id: str) -> Placement:
        """Schedule one request (a no-op if it is already scheduled)."""
        r = self._pos(request_id)
        state = self.state
        if state.slot_of[r] >= 0:
            return Placement(request_id, self.meeting(request_id), ())
        mark = state.mark()
        ok = insert(state, r, self.depth, Budget(STEPS), pick=snug_slot)
        touched = {entry[1] for entry in (state.journal or [])[mark:]} if ok else set()
        state.commit(mark)
        if not ok:
            return Placement(request_id, None, (), explain_one(state, r))
        if not touched:
            touched = {r}
        for m in touched:
            state.assign_table(m)
        moved = tuple(self.meeting(self.ix.request_ids[m]) for m in sorted(touched - {r}))
        return Placement(request_id, self.meeting(request_id), tuple(m for m in moved if m is not None))

    def place_many(self, request_ids: Iterable[str]) -> list[Placement]:
        """Place requests in the given order (the caller decides who comes first)."""
        return [self.place(rid) for rid in request_ids]

    def remove(self, request_id: str) -> None:
        """Cancel an unpinned meeting, freeing its slot and table."""
        r = self._pos(request_id)
        if self.state.fixed[r]:
            raise InputError(f"request '{request_id}' is pinned and cannot be removed")
        if self.state.slot_of[r] >= 0:
            self.state.remove(r)

    def solution(self) -> Solution:
        return self.state.solution({"algorithm": "incremental"})

    def _pos(self, request_id: str) -> int:
        r = self.ix.request_pos.get(request_id)
        if r is None:
            raise InputError(f"unknown request '{request_id}'")
        return r


def place_requests(instance: Instance, assignment: Iterable[Meeting], new_requests: Iterable[str],
                   pinned: Iterable[str] = ()) -> tuple[Solution, list[Placement]]:
    """One-shot helper: place `new_requests` into `assignment` and return the new schedule."""
    sched = IncrementalScheduler(instance, assignment, pinned)
    placements = sched.place_many(new_requests)
    return sched.solution(), placements
