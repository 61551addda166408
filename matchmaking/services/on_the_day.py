"""The day itself: places freed by cancellations and no-shows offered again, who is free now, walk-ins.

A meeting cancelled or marked no-show leaves its table free in its slot (``Meeting.holds_place``).
Such a slot is offered at once to the checked-in participants free in it, with partners who are
checked in and free too: first their accepted meetings still without a place, then partners both
marked "interested", then their recommendations. Taking an offer, or proposing a meeting to
someone from the "free now" list, goes through ``meet_now``: a meeting both already agreed to (an
accepted one, or mutual interest) is booked at once; otherwise the other person gets a walk-in
proposal, booked when they accept it. An organiser books a pair directly (``arrange_now``).

Every booking takes the event's schedule lock and the same checks as the organiser's hand changes
(``manual_schedule.place_refusal``); the database's unique keys refuse whatever slips past, and a
lost race is a ``Conflict`` with a plain message, never an error page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Event, Meeting, MeetingRequest, MeetingTable, Participant, Slot, SlotBooking
from ..models.base import utcnow
from ..models.meeting import OPEN_STATUSES, PENDING
from ..models.participant import APPROVED
from ..models.recommendation import INTERESTED, PartnerMark
from . import blocked_time, recommendations, time_windows
from . import meetings as meeting_service
from .errors import Conflict, NotFound
from .lookup import one_of_event
from .manual_schedule import new_accepted_meeting, place_refusal
from .placement import apply_schedule, lock_event
from .timezones import to_local

# A slot under way can still be taken while this much of it is left.
MIN_LEFT = timedelta(minutes=10)
OFFERS_PER_SLOT = 5
FREE_LIST_LIMIT = 100
MEETING, INTERESTED_BOTH, RECOMMENDED = "meeting", "interested", "recommended"


def _taken_message() -> str:
    return _("Someone else has just taken this place. Look at the other offers, or try the next slot.")


# --- Slots and tables ---------------------------------------------------------------------------------------

def slots_left_today(event: Event, now: datetime | None = None) -> list[Slot]:
    """The event's slots of today (its time zone) that can still be taken: not started, or under way
    with at least ``MIN_LEFT`` left; earliest first."""
    now = now or utcnow()
    today = to_local(now, event.timezone).date()
    slots = db.session.scalars(select(Slot).where(Slot.event_id == event.id, Slot.ends_at > now)
                               .order_by(Slot.starts_at, Slot.id)).all()
    return [s for s in slots if s.ends_at - now >= MIN_LEFT and to_local(s.starts_at, event.timezone).date() == today]


def now_and_next(event: Event, now: datetime | None = None) -> tuple[Slot | None, Slot | None]:
    """The slot under way (if it can still be taken) and the next one to start, today."""
    now = now or utcnow()
    left = slots_left_today(event, now)
    current = next((s for s in left if s.starts_at <= now), None)
    upcoming = next((s for s in left if s.starts_at > now), None)
    return current, upcoming


def _held(slot_id: int, table_id) -> exists:
    holder = aliased(Meeting)
    return exists().where(holder.slot_id == slot_id, holder.table_id == table_id, holder.holds_place)


def free_tables(slot: Slot, pair: tuple[int, int]) -> list[MeetingTable]:
    """Tables free in the slot for this pair: open, held by no meeting, and no one else's stand; the
    pair's own stand first (an exhibitor meets at their stand)."""
    tables = db.session.scalars(
        select(MeetingTable).where(
            MeetingTable.event_id == slot.event_id,
            or_(MeetingTable.owner_participant_id.is_(None), MeetingTable.owner_participant_id.in_(pair)),
            ~exists().where(Meeting.slot_id == slot.id, Meeting.table_id == MeetingTable.id, Meeting.holds_place))
        .order_by(MeetingTable.owner_participant_id.is_(None), MeetingTable.id)).all()
    return [t for t in tables if slot not in t.closed_slots]


def freed_slots(event: Event, now: datetime | None = None) -> list[Slot]:
    """Today's slots still to be taken in which a cancelled or no-show meeting left its table free."""
    left = {s.id: s for s in slots_left_today(event, now)}
    if not left:
        return []
    ids = set(db.session.scalars(select(Meeting.slot_id).where(
        Meeting.event_id == event.id, Meeting.slot_id.in_(list(left)), Meeting.table_id.is_not(None),
        ~Meeting.holds_place, ~_held(Meeting.slot_id, Meeting.table_id)).distinct()))
    return [s for s in left.values() if s.id in ids]


# --- Who is free ----------------------------------------------------------------------------------------------

def _present():
    return and_(Participant.checked_in_at.is_not(None), Participant.status == APPROVED,
                Participant.anonymised_at.is_(None))


def free_among(slot: Slot, participant_ids) -> set[int]:
    """Which of these participants are checked in and free in the slot: no meeting there, no time blocked."""
    ids = list(participant_ids)
    if not ids:
        return set()
    free = set(db.session.scalars(select(Participant.id).where(
        Participant.id.in_(ids), _present(),
        ~exists().where(SlotBooking.participant_id == Participant.id, SlotBooking.slot_id == slot.id))))
    return free - set(blocked_time.blocked_among(slot, free)) if free else free


def who_is_free(*, event: Event, slot: Slot, viewer: Participant | None = None,
                limit: int = FREE_LIST_LIMIT) -> list[Participant]:
    """Checked-in participants free in the slot, by organisation. A participant (``viewer``) sees only
    those listed to everyone, never themselves; an organiser (no viewer) sees all."""
    stmt = select(Participant).where(
        Participant.event_id == event.id, _present(),
        ~exists().where(SlotBooking.participant_id == Participant.id, SlotBooking.slot_id == slot.id))
    if viewer is not None:
        stmt = stmt.where(Participant.is_listed, Participant.id != viewer.id)
    people = db.session.scalars(stmt.order_by(func.lower(Participant.organisation_name), Participant.id)
                                .limit(limit)).all()
    blocked = set(blocked_time.blocked_among(slot, [p.id for p in people])) if people else set()
    return [p for p in people if p.id not in blocked]


# --- Offers ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Offer:
    slot: Slot
    other: Participant
    kind: str  # MEETING (accepted, without a place), INTERESTED_BOTH or RECOMMENDED


def _unplaced_partners(viewer: Participant) -> dict[int, time_windows.Window]:
    """The partners of the viewer's accepted meetings without a place, in order, each with the time window
    the two agreed (a freed slot outside it is not offered for that meeting)."""
    rows = db.session.execute(
        select(Meeting.participant_a_id, Meeting.participant_b_id, MeetingRequest.window_part,
               MeetingRequest.window_date)
        .outerjoin(MeetingRequest, MeetingRequest.id == Meeting.request_id).where(
            Meeting.event_id == viewer.event_id, Meeting.is_live, Meeting.slot_id.is_(None),
            Meeting.online.is_(False),
            or_(Meeting.participant_a_id == viewer.id, Meeting.participant_b_id == viewer.id)).order_by(Meeting.id))
    windows: dict[int, time_windows.Window] = {}
    for a, b, part, day in rows:
        windows.setdefault(b if a == viewer.id else a, time_windows.Window(part or time_windows.ANY_TIME, day))
    return windows


def _mutually_interested(viewer: Participant) -> list[int]:
    back = aliased(PartnerMark)
    return list(db.session.scalars(
        select(PartnerMark.other_id).join(back, and_(back.participant_id == PartnerMark.other_id,
                                                     back.other_id == viewer.id, back.mark == INTERESTED))
        .where(PartnerMark.participant_id == viewer.id, PartnerMark.mark == INTERESTED).order_by(PartnerMark.id)))


def _with_open_request(viewer: Participant) -> set[int]:
    rows = db.session.execute(select(MeetingRequest.requester_id, MeetingRequest.recipient_id).where(
        MeetingRequest.event_id == viewer.event_id, MeetingRequest.status.in_(OPEN_STATUSES),
        or_(MeetingRequest.requester_id == viewer.id, MeetingRequest.recipient_id == viewer.id)))
    return {b if a == viewer.id else a for a, b in rows}


def offers_for(viewer: Participant, *, now: datetime | None = None) -> list[Offer]:
    """Freed slots the checked-in viewer is free in, each with up to five partners checked in and free
    then: accepted meetings without a place first, then mutual interest, then recommendations."""
    if viewer.checked_in_at is None or not viewer.is_active:
        return []
    slots = [s for s in freed_slots(viewer.event, now) if viewer.id in free_among(s, [viewer.id])]
    if not slots:
        return []
    windows = _unplaced_partners(viewer)
    kinds: dict[int, str] = dict.fromkeys(windows, MEETING)  # in order: the first kind wins
    if viewer.can_network:  # new meetings need the viewer's consent to networking
        busy = _with_open_request(viewer)  # a pending request is answered on the requests page
        candidates = [(pid, INTERESTED_BOTH) for pid in _mutually_interested(viewer)]
        candidates += [(s.other.id, RECOMMENDED) for s in recommendations.recommended_for(viewer, limit=50)]
        for pid, kind in candidates:
            if pid not in busy:
                kinds.setdefault(pid, kind)
    ranked = list(kinds.items())
    people = {p.id: p for p in db.session.scalars(select(Participant).where(
        Participant.id.in_([pid for pid, _kind in ranked])))} if ranked else {}
    offers = []
    for slot in slots:
        free = free_among(slot, people)
        chosen = [(pid, kind) for pid, kind in ranked if pid in free and (
            windows[pid].holds(slot.starts_at, viewer.event.timezone) if kind == MEETING else people[pid].is_listed)]
        offers += [Offer(slot, people[pid], kind) for pid, kind in chosen[:OFFERS_PER_SLOT]]
    return offers


def proposals_to(viewer: Participant) -> list[MeetingRequest]:
    """Walk-in proposals waiting for the viewer's answer, newest first (made only to checked-in people)."""
    if viewer.checked_in_at is None:
        return []
    return list(db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.recipient_id == viewer.id, MeetingRequest.walk_in, MeetingRequest.status == PENDING)
        .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())))


# --- Booking -------------------------------------------------------------------------------------------------

def _place_for(meeting: Meeting, slot: Slot) -> MeetingTable | None:
    """The first table of the slot the meeting may have (``place_refusal``); raises the reason when none."""
    tables = free_tables(slot, (meeting.participant_a_id, meeting.participant_b_id))
    if not tables:
        raise Conflict(_taken_message())
    reason = None
    for table in tables:
        reason = place_refusal(meeting, slot, table)
        if reason is None:
            return table
    raise reason


def book(meeting: Meeting, slot: Slot) -> Meeting:
    """Book an on-site meeting into the slot at a free table, pinned; the caller holds the event's lock."""
    table = _place_for(meeting, slot)
    try:
        with db.session.begin_nested():
            apply_schedule({meeting.id: (slot.id, table.id)})
    except IntegrityError:  # a booking that bypassed the lock: the unique keys said no
        raise Conflict(_taken_message()) from None
    meeting.pinned = True
    db.session.flush()
    return meeting


def book_soonest(meeting: Meeting, *, now: datetime | None = None) -> Meeting:
    """Book the meeting into the first slot left today where both are free and a table is."""
    pair = (meeting.participant_a_id, meeting.participant_b_id)
    for slot in slots_left_today(meeting.participant_a.event, now):
        if free_among(slot, pair) != set(pair):
            continue
        try:
            return book(meeting, slot)
        except Conflict:
            continue
    raise Conflict(_("No slot left today has you both free and a table free."))


def _slot_left(event: Event, slot_id: int | None, now: datetime | None) -> Slot | None:
    if slot_id is None:
        return None
    slot = one_of_event(Slot, event.id, slot_id)
    if slot not in slots_left_today(event, now):
        raise Conflict(_("This slot can no longer be taken."))
    return slot


def _require_present(*people: Participant) -> None:
    for person in people:
        if not person.is_active or person.checked_in_at is None:
            raise Conflict(_("%(name)s has not checked in at the event.", name=person.name))


def meet_now(*, viewer: Participant, other_id: int, slot_id: int | None = None,
             now: datetime | None = None) -> Meeting | MeetingRequest:
    """The viewer wants to meet ``other`` now: in the slot given, or the first one left today.

    Booked at once when both already agreed (their accepted meeting without a place, or mutual
    interest); when the other has proposed a walk-in to the viewer, this accepts it; otherwise the
    other gets a walk-in proposal (a pending request) to accept.
    """
    event = lock_event(viewer.event_id)
    other = one_of_event(Participant, event.id, other_id)
    if other.id == viewer.id:
        raise NotFound()
    slot = _slot_left(event, slot_id, now)
    _require_present(viewer, other)
    open_request = meeting_service.open_request_between(viewer, other)
    if open_request is not None and open_request.meeting is not None:
        meeting = open_request.meeting
        if meeting.slot_id is not None:
            raise Conflict(_("You already have a meeting together."))
        if meeting.online:
            raise Conflict(_("Your meeting together is online; it is not booked at a table."))
        return book(meeting, slot) if slot else book_soonest(meeting, now=now)
    if open_request is not None:
        if open_request.recipient_id == viewer.id:
            return accept_walk_in(viewer=viewer, request_id=open_request.id, now=now)
        raise Conflict(_("You have already asked %(name)s; they have not answered yet.", name=other.name))
    if not other.is_listed:
        raise NotFound()
    if not viewer.can_network:
        raise Conflict(meeting_service.no_consent_message())
    if other.id in _mutually_interested(viewer):
        meeting = new_accepted_meeting(event=event, requester=viewer, recipient=other, online=False, walk_in=True)
        return book(meeting, slot) if slot else book_soonest(meeting, now=now)
    return _propose(viewer, other)


def _propose(viewer: Participant, other: Participant) -> MeetingRequest:
    low, high = sorted((viewer.id, other.id))
    return meeting_service.send(MeetingRequest(
        event_id=viewer.event_id, requester_id=viewer.id, recipient_id=other.id, pair_low_id=low,
        pair_high_id=high, online=False, walk_in=True, message=""))


def accept_walk_in(*, viewer: Participant, request_id: int, now: datetime | None = None) -> Meeting:
    """Accept a walk-in proposal: the meeting is booked into the first slot left today that fits both.

    When none does, the proposal stays open and the viewer is told why."""
    lock_event(viewer.event_id)
    proposal = meeting_service.get_request_for(viewer, request_id)
    if proposal.recipient_id != viewer.id or not proposal.walk_in:
        raise NotFound()
    _require_present(viewer, proposal.requester)
    meeting = meeting_service.accept_request(recipient=viewer, request_id=proposal.id, place=False)
    return book_soonest(meeting, now=now)


def arrange_now(*, event: Event, participant_a_id: int, participant_b_id: int,
                now: datetime | None = None) -> Meeting:
    """The organiser pairs two checked-in participants on the spot: booked at once, first slot left today."""
    lock_event(event.id)
    a = one_of_event(Participant, event.id, participant_a_id)
    b = one_of_event(Participant, event.id, participant_b_id)
    _require_present(a, b)
    if a.id == b.id:
        raise Conflict(_("Choose two different participants."))
    open_request = meeting_service.open_request_between(a, b)
    if open_request is not None and open_request.meeting is not None and open_request.meeting.slot_id is None:
        return book_soonest(open_request.meeting, now=now)
    if open_request is not None:
        raise Conflict(_("%(a)s and %(b)s already have an open request or meeting.", a=a.name, b=b.name))
    meeting = new_accepted_meeting(event=event, requester=a, recipient=b, online=False, walk_in=True)
    return book_soonest(meeting, now=now)


# --- The live table plan -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanSlot:
    slot: Slot
    meetings: list[Meeting]  # on site, holding their table, by table name


def live_plan(event: Event, *, now: datetime | None = None) -> list[PlanSlot]:
    """The slot under way (if any) and the next one, each with its meetings at tables."""
    now = now or utcnow()
    today = to_local(now, event.timezone).date()
    slots = [s for s in db.session.scalars(select(Slot).where(Slot.event_id == event.id, Slot.ends_at > now)
                                           .order_by(Slot.starts_at, Slot.id).limit(20))
             if to_local(s.starts_at, event.timezone).date() == today]
    current = [s for s in slots if s.starts_at <= now][:1]
    upcoming = [s for s in slots if s.starts_at > now][:1]
    plan = []
    for slot in current + upcoming:
        rows = db.session.scalars(select(Meeting).join(MeetingTable, MeetingTable.id == Meeting.table_id).where(
            Meeting.slot_id == slot.id, Meeting.holds_place).order_by(func.lower(MeetingTable.name), Meeting.id))
        plan.append(PlanSlot(slot, list(rows.unique())))
    return plan
