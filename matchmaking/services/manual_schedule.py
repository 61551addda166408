"""The organiser's hand changes to the schedule: move a meeting, arrange one, cancel one.

A hand-placed meeting is pinned: the organiser decided, so no run or incremental placement moves it.
The checks here give the organiser a precise reason; the database's unique keys still have the
last word if two organisers change the same cell at once.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Event, Meeting, MeetingRequest, MeetingTable, Participant, Slot, SlotBooking
from ..models.base import utcnow
from ..models.meeting import ACCEPTED
from . import blocked_time, time_windows
from . import meetings as meeting_service
from .errors import Conflict, ServiceError
from .lookup import one_of_event
from .placement import apply_schedule, lock_event, place_meeting

ARRANGED_MESSAGE = "Arranged by the organiser"


def _busy_in(slot: Slot, participant_ids: tuple[int, ...], except_meeting: int | None) -> list[int]:
    rows = db.session.scalars(select(SlotBooking.participant_id).where(
        SlotBooking.slot_id == slot.id, SlotBooking.participant_id.in_(participant_ids),
        SlotBooking.meeting_id != (except_meeting or 0)))
    return list(rows)


def place_refusal(meeting: Meeting, slot: Slot, table: MeetingTable | None) -> ServiceError | None:
    """Why the meeting cannot have this place (a refusal naming the reason), or None when it can."""
    a, b = meeting.participant_a, meeting.participant_b
    busy = _busy_in(slot, (a.id, b.id), meeting.id)
    if busy:
        who = a if a.id in busy else b
        return Conflict(_("%(name)s (%(organisation)s) already has a meeting in that slot.",
                          name=who.name, organisation=who.organisation_name))
    blocked = blocked_time.blocked_among(slot, (a.id, b.id))
    if blocked:  # what they blocked is private: the organiser learns only that they are unavailable
        who = a if a.id in blocked else b
        return Conflict(_("%(name)s (%(organisation)s) is unavailable in that slot.",
                          name=who.name, organisation=who.organisation_name))
    window = time_windows.of_request(meeting.request)
    if not window.holds(slot.starts_at, a.event.timezone):
        return Conflict(_("The two agreed to meet in another time window: %(window)s.",
                          window=time_windows.describe(window)))
    if meeting.online:
        return ServiceError(_("An online meeting takes no table.")) if table is not None else None
    if table is None:
        return ServiceError(_("Choose a table for a meeting on site."))
    if slot in table.closed_slots:
        return Conflict(_("%(table)s is closed in that slot.", table=table.name))
    stands = {t.id: t for p in (a, b) if (t := p.own_table) is not None}
    if stands and table.id not in stands:
        stand = next(iter(stands.values()))
        return Conflict(_("%(organisation)s meets at their own stand, %(table)s.",
                          organisation=stand.owner.organisation_name, table=stand.name))
    if table.owner_participant_id and table.owner_participant_id not in (a.id, b.id):
        return Conflict(_("%(table)s is the stand of %(organisation)s.", table=table.name,
                          organisation=table.owner.organisation_name))
    taken = db.session.scalar(select(Meeting.id).where(
        Meeting.slot_id == slot.id, Meeting.table_id == table.id, Meeting.holds_place,
        Meeting.id != meeting.id))
    if taken:
        return Conflict(_("%(table)s is taken in that slot.", table=table.name))
    return None


def _target(event: Event, meeting_id: int, slot_id: int,
            table_id: int | None) -> tuple[Meeting, Slot | None, MeetingTable | None]:
    """The meeting and the place asked for; the place is not looked up for a cancelled meeting."""
    meeting = one_of_event(Meeting, event.id, meeting_id)
    if not meeting.is_live:
        return meeting, None, None
    slot = one_of_event(Slot, event.id, slot_id)
    return meeting, slot, one_of_event(MeetingTable, event.id, table_id) if table_id else None


def _refusal(meeting: Meeting, slot: Slot | None, table: MeetingTable | None) -> ServiceError | None:
    if not meeting.is_live or slot is None:
        return Conflict(_("This meeting is cancelled."))
    return place_refusal(meeting, slot, table)


def move_refusal(*, event: Event, meeting_id: int, slot_id: int, table_id: int | None) -> ServiceError | None:
    """Why a hand move of the meeting to this slot (and table) would be refused, or None when it would
    be made: the move form and the grid's check before a drop ask the same question. A meeting, slot
    or table of another event is NotFound."""
    return _refusal(*_target(event, meeting_id, slot_id, table_id))


def move_meeting(*, event: Event, meeting_id: int, slot_id: int, table_id: int | None) -> Meeting:
    """Put a meeting into a slot (and table) by hand; it becomes pinned."""
    lock_event(event.id)
    meeting, slot, table = _target(event, meeting_id, slot_id, table_id)
    refusal = _refusal(meeting, slot, table)
    if refusal is not None:
        raise refusal
    try:
        with db.session.begin_nested():
            apply_schedule({meeting.id: (slot.id, table.id if table else None)})
    except IntegrityError:
        raise Conflict(_("Someone else just booked that place; reload the grid and try again.")) from None
    meeting.pinned = True
    db.session.flush()
    return meeting


def arrange_meeting(*, event: Event, participant_a_id: int, participant_b_id: int, online: bool,
                    slot_id: int | None = None, table_id: int | None = None) -> Meeting:
    """Create an accepted meeting for two participants, at the given place or wherever it fits."""
    lock_event(event.id)
    a, b = one_of_event(Participant, event.id, participant_a_id), one_of_event(Participant, event.id, participant_b_id)
    if a.id == b.id:
        raise ServiceError(_("Choose two different participants."))
    if meeting_service.open_request_between(a, b) is not None:
        raise Conflict(_("%(a)s and %(b)s already have an open request or meeting.", a=a.name, b=b.name))
    meeting = new_accepted_meeting(event=event, requester=a, recipient=b, online=online)
    if slot_id:
        move_meeting(event=event, meeting_id=meeting.id, slot_id=slot_id, table_id=table_id)
    else:
        place_meeting(meeting)
    return meeting


def new_accepted_meeting(*, event: Event, requester: Participant, recipient: Participant, online: bool,
                         walk_in: bool = False) -> Meeting:
    """An accepted request and its meeting, without a place, for a pair both sides (or the organiser)
    already agreed to; the unique index on open pairs refuses a second one."""
    low, high = sorted((requester.id, recipient.id))
    request = MeetingRequest(event_id=event.id, requester_id=requester.id, recipient_id=recipient.id,
                             pair_low_id=low, pair_high_id=high, message=ARRANGED_MESSAGE, online=online,
                             status=ACCEPTED, responded_at=utcnow(), walk_in=walk_in)
    try:
        with db.session.begin_nested():
            db.session.add(request)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("%(a)s and %(b)s already have an open request or meeting.",
                         a=requester.name, b=recipient.name)) from None
    meeting = Meeting(event_id=event.id, request_id=request.id, participant_a_id=requester.id,
                      participant_b_id=recipient.id, online=online)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def cancel_by_organiser(*, event: Event, meeting_id: int, reason: str) -> Meeting:
    meeting = one_of_event(Meeting, event.id, meeting_id)
    if not reason.strip():
        raise ServiceError(_("Give a reason; both participants will see it."))
    return meeting_service.cancel(meeting=meeting, by=None, reason=reason)
