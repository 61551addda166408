"""Immutable data model of a scheduling instance and of a solution.

The model mirrors the JSON formats (matchmaking-instance/1) one to one, so that the web app
can build an `Instance` from its database rows without going through JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

FORMAT_TAG = "matchmaking-instance/1"


class InputError(ValueError):
    """Bad input: the message names the culprit and is meant for a human."""


@dataclass(frozen=True)
class Slot:
    id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Table:
    id: str


@dataclass(frozen=True)
class Participant:
    id: str
    available: tuple[str, ...]
    max_meetings: int | None = None
    table: str | None = None


@dataclass(frozen=True)
class Request:
    id: str
    a: str
    b: str
    priority: int = 1
    online: bool = False
    # The slots in which this meeting may take place (a time window, or one slot for a meeting fixed
    # in time); None: any slot both participants are available in.
    slots: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Meeting:
    """A scheduled request; `table` is None exactly for online meetings."""

    request: str
    slot: str
    table: str | None


@dataclass(frozen=True)
class Instance:
    slots: tuple[Slot, ...]
    tables: tuple[Table, ...]
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]
    pinned: tuple[Meeting, ...] = ()

    @cached_property
    def participant_by_id(self) -> dict[str, Participant]:
        return {p.id: p for p in self.participants}

    @cached_property
    def request_by_id(self) -> dict[str, Request]:
        return {r.id: r for r in self.requests}

    @cached_property
    def slot_by_id(self) -> dict[str, Slot]:
        return {s.id: s for s in self.slots}

    @cached_property
    def table_ids(self) -> frozenset[str]:
        return frozenset(t.id for t in self.tables)

    @cached_property
    def pinned_by_request(self) -> dict[str, Meeting]:
        return {m.request: m for m in self.pinned}


@dataclass(frozen=True)
class Solution:
    meetings: tuple[Meeting, ...]
    unscheduled: tuple[str, ...] = ()
    stats: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def meeting_by_request(self) -> dict[str, Meeting]:
        return {m.request: m for m in self.meetings}
