"""Placing an accepted meeting into a slot at a table: the earliest slot that fits.

This is the seam the scheduling core (matchmaking/scheduling) takes over: ``place_meeting`` is the
only function the rest of the app calls to book a meeting, and it leaves the meeting either booked
(slot, table or online) or unscheduled with a reason.

The database has the last word: the bookings' unique keys refuse a participant or a table twice in
one slot. Each attempt runs in a savepoint, so a concurrent booking that wins a slot makes us move
on to the next candidate instead of failing.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from ..extensions import db
from ..models import (
    Meeting,
    MeetingTable,
    Participant,
    Slot,
    SlotBooking,
    participant_session,
)

NO_COMMON_SESSION = "no_common_session"
PARTICIPANT_FULL = "participant_full"  # one side has no free slot left in the common sessions
NO_COMMON_FREE_SLOT = "no_common_free_slot"  # each common slot is taken for one side or the other
NO_TABLE_FREE = "no_table_free"
UNSCHEDULED_REASONS = (NO_COMMON_SESSION, PARTICIPANT_FULL, NO_COMMON_FREE_SLOT, NO_TABLE_FREE)

MAX_RACE_RETRIES = 3


def _common_slots(a: Participant, b: Participant) -> list[Slot]:
    sessions_a = select(participant_session.c.session_id).where(participant_session.c.participant_id == a.id)
    sessions_b = select(participant_session.c.session_id).where(participant_session.c.participant_id == b.id)
    return list(db.session.scalars(
        select(Slot).where(Slot.session_id.in_(sessions_a), Slot.session_id.in_(sessions_b))
        .order_by(Slot.starts_at, Slot.id)
    ))


def _busy_slots(participant_ids: tuple[int, int]) -> dict[int, set[int]]:
    busy: dict[int, set[int]] = {pid: set() for pid in participant_ids}
    rows = db.session.execute(
        select(SlotBooking.participant_id, SlotBooking.slot_id).where(SlotBooking.participant_id.in_(participant_ids))
    )
    for participant_id, slot_id in rows:
        busy[participant_id].add(slot_id)
    return busy


def _tables_in_use(slot_ids: list[int]) -> dict[int, set[int]]:
    used: dict[int, set[int]] = defaultdict(set)
    rows = db.session.execute(
        select(Meeting.slot_id, Meeting.table_id).where(
            Meeting.slot_id.in_(slot_ids), Meeting.table_id.is_not(None), Meeting.cancelled_at.is_(None)
        )
    )
    for slot_id, table_id in rows:
        used[slot_id].add(table_id)
    return used


def _table_choices(meeting: Meeting) -> list[int]:
    """The tables this meeting may use, in order of preference: an exhibitor's own stand, else shared."""
    own = db.session.scalars(
        select(MeetingTable.id).where(
            MeetingTable.owner_participant_id.in_((meeting.participant_a_id, meeting.participant_b_id))
        ).order_by(MeetingTable.id)
    ).all()
    if own:
        return list(own)
    return list(db.session.scalars(
        select(MeetingTable.id).where(
            MeetingTable.event_id == meeting.event_id, MeetingTable.owner_participant_id.is_(None)
        ).order_by(MeetingTable.id)
    ))


def _try_book(meeting: Meeting, slot: Slot, table_id: int | None) -> bool:
    """Book in a savepoint; False when the database refuses (someone else took the seat or table)."""
    try:
        with db.session.begin_nested():
            meeting.slot_id = slot.id
            meeting.table_id = table_id
            meeting.unscheduled_reason = None
            meeting.unscheduled_participant_id = None
            # Always lock seats in the same order (lowest participant id first) to avoid deadlocks.
            for participant_id in sorted((meeting.participant_a_id, meeting.participant_b_id)):
                db.session.add(SlotBooking(participant_id=participant_id, slot_id=slot.id, meeting_id=meeting.id))
                db.session.flush()
    except IntegrityError:
        return False
    except OperationalError as error:
        # PostgreSQL may still pick us as a deadlock victim against a concurrent booking; the
        # savepoint is rolled back and the caller tries the next slot.
        if getattr(error.orig, "sqlstate", None) not in ("40P01", "40001"):
            raise
        return False
    return True


def place_meeting(meeting: Meeting) -> bool:
    """Book the earliest slot in which both attend and are free and (on site) a table is free.

    Returns True when booked. Otherwise the meeting stays unscheduled with ``unscheduled_reason``
    (and ``unscheduled_participant_id`` where the reason is about one side).
    """
    a, b = meeting.participant_a, meeting.participant_b
    for _attempt in range(MAX_RACE_RETRIES):
        common = _common_slots(a, b)
        if not common:
            return _unscheduled(meeting, NO_COMMON_SESSION)
        busy = _busy_slots((a.id, b.id))
        free = [s for s in common if s.id not in busy[a.id] and s.id not in busy[b.id]]
        if not free:
            full = [p for p in (a, b) if all(s.id in busy[p.id] for s in common)]
            if len(full) == 1:
                return _unscheduled(meeting, PARTICIPANT_FULL, full[0].id)
            return _unscheduled(meeting, NO_COMMON_FREE_SLOT)
        tables = [] if meeting.online else _table_choices(meeting)
        used = {} if meeting.online else _tables_in_use([s.id for s in free])
        lost_race = False
        for slot in free:
            if meeting.online:
                table_id = None
            else:
                table_id = next((t for t in tables if t not in used.get(slot.id, ())), None)
                if table_id is None:
                    continue
            if _try_book(meeting, slot, table_id):
                return True
            lost_race = True
        if not lost_race:
            return _unscheduled(meeting, NO_TABLE_FREE)
    return _unscheduled(meeting, NO_COMMON_FREE_SLOT)


def _unscheduled(meeting: Meeting, reason: str, participant_id: int | None = None) -> bool:
    meeting.slot_id = None
    meeting.table_id = None
    meeting.unscheduled_reason = reason
    meeting.unscheduled_participant_id = participant_id
    db.session.flush()
    return False


def release_bookings(meeting: Meeting) -> None:
    """Free the meeting's seats (on cancellation); the meeting keeps its slot for the record."""
    db.session.execute(SlotBooking.__table__.delete().where(SlotBooking.meeting_id == meeting.id))
