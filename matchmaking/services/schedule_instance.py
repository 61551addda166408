"""The bridge between the database and the pure scheduling core.

An event's live schedule becomes a ``matchmaking.scheduling.Instance`` (ids are prefixed strings:
``s<slot id>``, ``t<table id>``, ``p<participant id>``, ``m<meeting id>``), and the core's answers
come back as database ids.
"""
from __future__ import annotations

import dataclasses
import gc
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, Row, func, null, or_, select, union_all
from sqlalchemy.orm import aliased, selectinload

from .. import scheduling as core
from ..extensions import db
from ..models import (
    BlockedTime,
    Event,
    Meeting,
    MeetingRequest,
    MeetingTable,
    Participant,
    ProgrammeSession,
    Slot,
    participant_session,
    programme_attendance,
    table_closure,
)
from . import blocked_time, priorities, time_windows


@dataclass(frozen=True)
class LiveSchedule:
    instance: core.Instance
    assignment: tuple[core.Meeting, ...]  # the meetings booked now (closures included)
    pinned: tuple[str, ...]  # request ids of the pinned ones (closures included)
    meetings: dict[int, Row]  # live meetings by id: id, participant_a_id, participant_b_id, slot_id, table_id, ...
    closures: int = 0  # stand-in meetings that keep closed tables closed; not real meetings


CLOSURE_PREFIX = "c"


def is_meeting_key(key: str) -> bool:
    """True for a real meeting's request id (``m…``), False for a table closure's stand-in."""
    return key.startswith("m")


def slot_key(slot_id: int) -> str:
    return f"s{slot_id}"


def table_key(table_id: int) -> str:
    return f"t{table_id}"


def meeting_key(meeting_id: int) -> str:
    return f"m{meeting_id}"


def db_id(key: str | None) -> int | None:
    return None if key is None else int(key[1:])


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building the core's many small, acyclic objects.

    At 20,000 meetings its collections, triggered by nothing but allocation counts, double the
    time of loading the schedule and building the incremental scheduler (scripts/bench_accept.py).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_live_schedule(event_id: int) -> LiveSchedule:
    """Everything the core needs about an event, in a handful of queries."""
    slots = db.session.scalars(select(Slot).where(Slot.event_id == event_id).order_by(Slot.starts_at, Slot.id)).all()
    tables = db.session.scalars(select(MeetingTable).where(MeetingTable.event_id == event_id)
                                .options(selectinload(MeetingTable.closed_slots)).order_by(MeetingTable.id)).all()
    people = db.session.execute(
        select(Participant.id, Participant.max_meetings).where(Participant.event_id == event_id)
    ).all()
    slots_of_session: dict[int, list[int]] = defaultdict(list)
    for s in slots:
        slots_of_session[s.session_id].append(s.id)
    attends: dict[int, set[int]] = defaultdict(set)
    rows = db.session.execute(
        select(participant_session.c.participant_id, participant_session.c.session_id)
        .join(Participant, Participant.id == participant_session.c.participant_id)
        .where(Participant.event_id == event_id)
    )
    for participant_id, session_id in rows:
        attends[participant_id].update(slots_of_session[session_id])
    for participant_id, slot_id in _programme_clashes(event_id):
        attends[participant_id].discard(slot_id)
    for participant_id, slot_id in blocked_time.blocked_slots(event_id):
        attends[participant_id].discard(slot_id)
    # Plain columns, not ORM objects: at 20,000 meetings this is the difference between 45 ms and 1.7 s
    # (scripts/bench_accept.py), and every accept of an event that books at once runs it.
    meetings = db.session.execute(
        select(Meeting.id, Meeting.participant_a_id, Meeting.participant_b_id, Meeting.slot_id, Meeting.table_id,
               Meeting.online, Meeting.pinned, MeetingRequest.window_part, MeetingRequest.window_date,
               MeetingRequest.requester_must_meet, MeetingRequest.recipient_must_meet)
        .join(MeetingRequest, MeetingRequest.id == Meeting.request_id)
        .where(Meeting.event_id == event_id, Meeting.holds_place).order_by(Meeting.id)
    ).all()
    for m in meetings:  # a booked meeting stays possible even if its people left that session since
        if m.slot_id is not None:
            attends[m.participant_a_id].add(m.slot_id)
            attends[m.participant_b_id].add(m.slot_id)
    owner_table = {t.owner_participant_id: t.id for t in tables if t.owner_participant_id}
    order = {s.id: i for i, s in enumerate(slots)}
    windows = _Windows(slots, db.session.scalar(select(Event.timezone).where(Event.id == event_id)))

    instance = core.Instance(
        slots=tuple(core.Slot(slot_key(s.id), s.starts_at, s.ends_at) for s in slots),
        tables=tuple(core.Table(table_key(t.id)) for t in tables),
        participants=tuple(
            core.Participant(
                id=f"p{pid}",
                available=tuple(slot_key(s) for s in sorted(attends[pid], key=order.__getitem__)),
                max_meetings=max_meetings,
                table=table_key(owner_table[pid]) if pid in owner_table else None,
            )
            for pid, max_meetings in people
        ),
        requests=tuple(
            core.Request(meeting_key(m.id), f"p{m.participant_a_id}", f"p{m.participant_b_id}", online=m.online,
                         slots=windows.of(m))
            for m in meetings
        ),
    )
    assignment = tuple(
        core.Meeting(meeting_key(m.id), slot_key(m.slot_id), None if m.table_id is None else table_key(m.table_id))
        for m in meetings if m.slot_id is not None
    )
    pinned = tuple(meeting_key(m.id) for m in meetings if m.pinned and m.slot_id is not None)
    instance, closures = _with_closures(instance, tables)
    return LiveSchedule(instance, assignment + closures, pinned + tuple(c.request for c in closures),
                        {m.id: m for m in meetings}, len(closures))


class _Windows:
    """The core's ``slots`` of each meeting: those of its request's agreed window (None: any time),
    worked out once per window. A meeting booked outside its window (by hand, before the window
    rule existed) keeps its own slot possible, as a booked meeting does outside its sessions."""

    def __init__(self, slots, tz_name: str) -> None:
        self.slots, self.tz_name = slots, tz_name
        self.inside: dict[time_windows.Window, tuple[str, ...]] = {}

    def of(self, meeting: Row) -> tuple[str, ...] | None:
        window = time_windows.Window(meeting.window_part, meeting.window_date)
        if window.is_any:
            return None
        if window not in self.inside:
            self.inside[window] = tuple(slot_key(s.id) for s in time_windows.slots_in(window, self.slots, self.tz_name))
        inside = self.inside[window]
        if meeting.slot_id is not None and slot_key(meeting.slot_id) not in inside:
            inside = tuple(slot_key(s.id) for s in self.slots
                           if s.id == meeting.slot_id or window.holds(s.starts_at, self.tz_name))
        return inside


@dataclass
class Neighbourhood:
    """What placing one new meeting without moving any other needs: its two participants' availability,
    limits and own tables, and their scheduled meetings. ``tiny()`` makes the core's instance of it; the
    tables of the rest of the event are asked for slot by slot (``table_in``) once the core has chosen
    one, and a slot without a free table is ``closed`` for the next choice."""

    meeting_id: int
    event_id: int
    new: Row  # the meeting's sides, online, window, the sides' limits and own tables
    slots: list[Row]
    attends: dict[int, set[int]]  # participant id -> the slots they can meet in
    theirs: list[Row]  # their scheduled meetings
    inside: set[int] | None  # the slots of the meeting's window (None: any time)
    closed: set[int] = dataclasses.field(default_factory=set)  # slots where no suitable table is free

    @property
    def pair(self) -> tuple[int, int]:
        return self.new.participant_a_id, self.new.participant_b_id

    @property
    def own(self) -> dict[int, int]:
        return {pid: t for pid, t in zip(self.pair, (self.new.stand_a, self.new.stand_b), strict=True) if t}

    @property
    def movable(self) -> bool:
        """Some meeting of the two is unpinned: a chain of moves might make room where this cannot."""
        return not all(m.pinned for m in self.theirs)

    @property
    def narrowed(self) -> bool:
        """Slots where their own tables are taken are left out of the window: "outside the window" may not be why."""
        return bool(self.own and self.closed and not self.new.online)

    def tiny(self) -> tuple[core.Instance, tuple[core.Meeting, ...], tuple[str, ...]]:
        """The core's instance (the meeting, the two, their meetings pinned with a stand-in on the other
        side, the event's slots), the meetings booked, the pinned ones. Shared tables are one table closed
        (``_with_closures``) in the closed slots; own tables taken narrow the meeting's window instead."""
        own, pair, new = self.own, self.pair, self.new
        booths = sorted(own.values())
        inside = self.inside
        if booths and self.closed and not new.online:
            inside = (inside or {s.id for s in self.slots}) - self.closed
        order = {s.id: i for i, s in enumerate(self.slots)}
        side = {m.id: m.participant_a_id if m.participant_a_id in self.attends else m.participant_b_id
                for m in self.theirs}
        shared = () if booths or new.online else (core.Table(SHARED),)
        instance = core.Instance(
            slots=tuple(core.Slot(slot_key(s.id), s.starts_at, s.ends_at) for s in self.slots),
            tables=(*(core.Table(table_key(t)) for t in booths), *shared),
            participants=(
                *(core.Participant(f"p{pid}", tuple(slot_key(s) for s in sorted(self.attends[pid],
                                                                                key=order.__getitem__)),
                                   limit, table_key(own[pid]) if pid in own else None)
                  for pid, limit in zip(pair, (new.max_a, new.max_b), strict=True)),
                *(core.Participant(f"x{m.id}", (slot_key(m.slot_id),)) for m in self.theirs)),
            requests=(
                core.Request(meeting_key(self.meeting_id), f"p{pair[0]}", f"p{pair[1]}", online=new.online,
                             slots=None if inside is None else tuple(slot_key(s) for s in sorted(inside))),
                *(core.Request(meeting_key(m.id), f"p{side[m.id]}", f"x{m.id}", online=True) for m in self.theirs)),
        )
        assignment = tuple(core.Meeting(meeting_key(m.id), slot_key(m.slot_id), None) for m in self.theirs)
        shut = [_ClosedTable(SHARED[1:], tuple(_Slot(s) for s in sorted(self.closed)))] if shared else []
        instance, closures = _with_closures(instance, shut)
        return instance, assignment + closures, tuple(m.request for m in assignment + closures)

    def table_in(self, slot_id: int) -> int | None:
        """The table the meeting takes in the slot: the lowest free one of their own tables, else of the
        shared ones; None online; ``NO_TABLE`` when none is free. One probe of the index on live
        meetings' places per table, not the whole slot's meetings."""
        if self.new.online:
            return None
        booths = sorted(self.own.values())
        which = MeetingTable.id.in_(booths) if booths else (
            (MeetingTable.event_id == self.event_id) & MeetingTable.owner_participant_id.is_(None))
        found = db.session.scalar(select(func.min(MeetingTable.id)).where(
            which,
            ~select(Meeting.id).where(Meeting.slot_id == slot_id, Meeting.table_id == MeetingTable.id,
                                      Meeting.is_live).exists(),
            ~select(table_closure.c.slot_id).where(table_closure.c.slot_id == slot_id,
                                                   table_closure.c.table_id == MeetingTable.id).exists()))
        return NO_TABLE if found is None else found


SHARED = "tshared"  # the one table of a tiny instance standing for the event's shared tables
NO_TABLE = -1


# Made once: an alias works out its columns anew each time it is made, which cost an accept more than
# the query that names it.
_SIDE_A, _SIDE_B = aliased(Participant, name="side_a"), aliased(Participant, name="side_b")
_STAND_A, _STAND_B = aliased(MeetingTable, name="stand_a"), aliased(MeetingTable, name="stand_b")


def load_neighbourhood(event_id: int, meeting_id: int) -> Neighbourhood:
    """What touches the new meeting's two participants, in a few narrow queries (each by an index on
    the two participants), instead of the whole event's schedule."""
    side_a, side_b, stand_a, stand_b = _SIDE_A, _SIDE_B, _STAND_A, _STAND_B
    new = db.session.execute(  # the meeting, its window, its two people's limits and own tables (at most one each)
        select(Meeting.participant_a_id, Meeting.participant_b_id, Meeting.online, MeetingRequest.window_part,
               MeetingRequest.window_date, Event.timezone, side_a.max_meetings.label("max_a"),
               side_b.max_meetings.label("max_b"), stand_a.id.label("stand_a"), stand_b.id.label("stand_b"))
        .join(MeetingRequest, MeetingRequest.id == Meeting.request_id).join(Event, Event.id == Meeting.event_id)
        .join(side_a, side_a.id == Meeting.participant_a_id).join(side_b, side_b.id == Meeting.participant_b_id)
        .outerjoin(stand_a, stand_a.owner_participant_id == Meeting.participant_a_id)
        .outerjoin(stand_b, stand_b.owner_participant_id == Meeting.participant_b_id)
        .where(Meeting.id == meeting_id)).one()
    pair = (new.participant_a_id, new.participant_b_id)
    slots = db.session.execute(select(Slot.id, Slot.starts_at, Slot.ends_at)
                               .where(Slot.event_id == event_id).order_by(Slot.starts_at, Slot.id)).all()
    attends: dict[int, set[int]] = {pid: set() for pid in pair}
    away: list[tuple[int, datetime, datetime]] = []
    for pid, slot_id, starts_at, ends_at in db.session.execute(union_all(
            # the slots of the sessions they attend, then the programme sessions they chose and the time
            # they blocked (no slot id): no meeting then
            select(participant_session.c.participant_id, Slot.id, Slot.starts_at, Slot.ends_at)
            .join(Slot, Slot.session_id == participant_session.c.session_id)
            .where(participant_session.c.participant_id.in_(pair)),
            select(programme_attendance.c.participant_id, null().cast(Integer), ProgrammeSession.starts_at,
                   ProgrammeSession.ends_at)
            .join(ProgrammeSession, ProgrammeSession.id == programme_attendance.c.programme_session_id)
            .where(programme_attendance.c.participant_id.in_(pair)),
            select(BlockedTime.participant_id, null().cast(Integer), BlockedTime.starts_at, BlockedTime.ends_at)
            .where(BlockedTime.participant_id.in_(pair)))):
        if slot_id is None:
            away.append((pid, starts_at, ends_at))
        else:
            attends[pid].add(slot_id)
    for pid, starts_at, ends_at in away:
        attends[pid] -= {s.id for s in slots if s.starts_at < ends_at and s.ends_at > starts_at}
    theirs = db.session.execute(
        select(Meeting.id, Meeting.participant_a_id, Meeting.participant_b_id, Meeting.slot_id, Meeting.pinned)
        .where(or_(Meeting.participant_a_id.in_(pair), Meeting.participant_b_id.in_(pair)), Meeting.is_live,
               Meeting.slot_id.is_not(None), Meeting.id != meeting_id)).all()
    for m in theirs:  # a booked meeting stays possible, as in the whole event's instance
        for pid in (m.participant_a_id, m.participant_b_id):
            if pid in attends:
                attends[pid].add(m.slot_id)
    window = time_windows.Window(new.window_part, new.window_date)
    inside = None if window.is_any else {s.id for s in time_windows.slots_in(window, slots, new.timezone)}
    return Neighbourhood(meeting_id, event_id, new, slots, attends, theirs, inside)


@dataclass(frozen=True)
class _Slot:
    id: int


@dataclass(frozen=True)
class _ClosedTable:
    """A table with the slots in which it cannot be had (``_with_closures``' input)."""

    id: str
    closed_slots: tuple[_Slot, ...]


def batch_instance(live: LiveSchedule, event_id: int) -> tuple[core.Instance, dict[int, int]]:
    """The instance an organiser's batch run solves: each meeting's request carries its priority
    (``services/priorities.py``). Also returns the interest of every meeting with some (meeting id ->
    ``priorities.ONE_SIDED`` or ``MUTUAL``), for the run's review. The fingerprint stays that of
    ``live``: a new mark does not make a draft stale."""
    interest = priorities.interest_of_pairs(
        event_id, [(m.participant_a_id, m.participant_b_id) for m in live.meetings.values()])
    by_meeting = {m.id: interest[(m.participant_a_id, m.participant_b_id)] for m in live.meetings.values()
                  if (m.participant_a_id, m.participant_b_id) in interest}
    requests = tuple(
        dataclasses.replace(r, priority=priorities.priority(priorities.Signals(
            interest=by_meeting.get(db_id(r.id), priorities.NO_INTEREST),
            must_meet=priorities.must_meet_sides(live.meetings[db_id(r.id)])))) if is_meeting_key(r.id) else r
        for r in live.instance.requests)
    return dataclasses.replace(live.instance, requests=requests), by_meeting


def _programme_clashes(event_id: int) -> list[tuple[int, int]]:
    """(participant, slot) pairs where a programme session the participant chose overlaps the slot."""
    return list(db.session.execute(
        select(programme_attendance.c.participant_id, Slot.id)
        .join(ProgrammeSession, ProgrammeSession.id == programme_attendance.c.programme_session_id)
        .join(Slot, (Slot.event_id == ProgrammeSession.event_id) & (Slot.starts_at < ProgrammeSession.ends_at)
              & (Slot.ends_at > ProgrammeSession.starts_at))
        .where(ProgrammeSession.event_id == event_id)
    ))


def _with_closures(instance: core.Instance, tables) -> tuple[core.Instance, tuple[core.Meeting, ...]]:
    """Keep closed tables closed: the instance format has no table availability, so each closed
    (table, slot) becomes a pinned stand-in meeting of two stand-in participants."""
    people, requests, closures = [], [], []
    for table in tables:
        for slot in table.closed_slots:
            key = f"{CLOSURE_PREFIX}{table.id}_{slot.id}"
            only_then = (slot_key(slot.id),)
            people += [core.Participant(f"{key}a", only_then), core.Participant(f"{key}b", only_then)]
            requests.append(core.Request(key, f"{key}a", f"{key}b"))
            closures.append(core.Meeting(key, slot_key(slot.id), table_key(table.id)))
    if not closures:
        return instance, ()
    return dataclasses.replace(instance, participants=instance.participants + tuple(people),
                               requests=instance.requests + tuple(requests)), tuple(closures)


def fingerprint(live: LiveSchedule) -> str:
    """Changes whenever a meeting is added, cancelled, moved or (un)pinned, or availability changes."""
    parts = [repr(sorted((m.request, m.slot, m.table) for m in live.assignment)), repr(sorted(live.pinned)),
             repr([(r.id, r.online) for r in live.instance.requests]),
             repr([(p.id, p.available, p.max_meetings, p.table) for p in live.instance.participants]),
             repr([s.id for s in live.instance.slots]), repr([t.id for t in live.instance.tables])]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Gaps:
    """Idle gaps in the live schedule: runs of free slots between two of a participant's meetings in a day."""

    total: int
    participants: int  # participants with at least one gap


def idle_gaps(event_id: int) -> Gaps:
    """The live schedule's idle gaps (the core's definition), from two light queries: the event's
    slots, and who meets in which slot; not the whole instance."""
    slots = db.session.execute(select(Slot.id, Slot.starts_at, Slot.ends_at).where(Slot.event_id == event_id)).all()
    position = {row.id: i for i, row in enumerate(slots)}
    masks: dict[int, int] = defaultdict(int)
    for a, b, slot_id in db.session.execute(
            select(Meeting.participant_a_id, Meeting.participant_b_id, Meeting.slot_id)
            .where(Meeting.event_id == event_id, Meeting.is_live, Meeting.slot_id.is_not(None))):
        bit = 1 << position[slot_id]
        masks[a] |= bit
        masks[b] |= bit
    days = core.Days([core.Slot(str(row.id), row.starts_at, row.ends_at) for row in slots])
    counts = [days.gaps(mask) for mask in masks.values()]
    return Gaps(total=sum(counts), participants=sum(1 for c in counts if c))
