"""Meeting requests and meetings: request, accept, decline, withdraw, cancel, mark attendance."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Event, Meeting, MeetingRequest, Participant, SlotBooking, User
from ..models.base import utcnow
from ..models.meeting import (
    ACCEPTED,
    ATTENDANCE,
    CANCELLED,
    DECLINED,
    EXPIRED,
    NO_SHOW,
    OPEN_STATUSES,
    PENDING,
    WITHDRAWN,
)
from . import accounts, loads, marketplace, outbox, shapes, time_windows, webhooks
from .errors import Conflict, NotFound, ServiceError
from .lookup import one_of_event
from .placement import lock_event, place_meeting, release_bookings

MESSAGE_MAX = 1000
DECLINE_REASON_MAX = 500
REASON_MAX = 500


def no_consent_message() -> str:
    """Why a participant without consent to networking cannot request or accept (translated when shown)."""
    return _("You have not agreed to networking, so you cannot request or accept meetings. "
             "Tick the agreement in your profile to take part.")


def prefers_online(a: Participant, b: Participant) -> bool:
    """Meet online by default when either side only meets online."""
    return "online" in (a.meeting_mode, b.meeting_mode)


def open_request_between(a: Participant, b: Participant) -> MeetingRequest | None:
    return db.session.scalar(MeetingRequest.for_pair(a.event_id, a.id, b.id))


def must_meet_count(participant: Participant) -> int:
    """How many open (pending or accepted) requests of the event the participant marked "must meet",
    sent or received: what the event's quota limits (a declined, withdrawn or cancelled one frees it)."""
    return db.session.scalar(select(func.count()).select_from(MeetingRequest).where(
        MeetingRequest.event_id == participant.event_id, MeetingRequest.status.in_(OPEN_STATUSES),
        or_((MeetingRequest.requester_id == participant.id) & MeetingRequest.requester_must_meet,
            (MeetingRequest.recipient_id == participant.id) & MeetingRequest.recipient_must_meet))) or 0


def _check_must_meet_quota(participant: Participant) -> None:
    """Refuse one more "must meet" over the event's quota. The participant's row is locked first, so
    two requests marked at once cannot both slip under it."""
    db.session.execute(select(Participant.id).where(Participant.id == participant.id).with_for_update(key_share=True))
    quota = participant.event.must_meet_quota
    if quota <= 0:
        raise Conflict(_("This event does not use “must meet”."))
    if must_meet_count(participant) >= quota:
        raise Conflict(_("You have already marked %(quota)d requests “must meet”, as many as the event allows. "
                         "Unmark one by withdrawing or declining it, or send this one without the mark.",
                         quota=quota))


def request_meeting(*, requester: Participant, recipient: Participant, message: str, online: bool,
                    opportunity_id: int | None = None, window: time_windows.Window = time_windows.ANY,
                    must_meet: bool = False) -> MeetingRequest:
    """Send a request. One open request per pair and event (a unique index backs this up).

    Only a listed participant can be requested (one who is hidden is a 404, as if absent), and only
    one who consents to networking can request; one visible to organisers only may still ask others.
    ``opportunity_id``: the recipient's published marketplace opportunity the request is about. An
    event that requires an opportunity refuses requests from someone who has not published one.
    ``window``: when the meeting may take place (a day of the event, its morning or afternoon, or any
    time); ``must_meet``: the requester's mark, within the event's quota.
    """
    if recipient.event_id != requester.event_id or not recipient.is_listed:
        raise NotFound()
    opportunity = marketplace.requestable(recipient=recipient, opportunity_id=opportunity_id)
    if not requester.is_active:
        raise Conflict(_("Your registration is not approved, so you cannot request meetings yet."))
    accounts.require_verified(requester.user)
    if not requester.networking_consent:
        raise Conflict(no_consent_message())
    if recipient.id == requester.id:
        raise Conflict(_("You cannot request a meeting with yourself."))
    if requester.event.requires_opportunity and not marketplace.has_published(requester):
        raise Conflict(_("Publish at least one opportunity in the marketplace before you request meetings."))
    now = utcnow()
    if not requester.event.requests_open(now):
        if requester.event.requests_open_at and now < requester.event.requests_open_at:
            raise Conflict(_("Meeting requests are not open yet."))
        raise Conflict(_("The deadline for meeting requests has passed."))
    if open_request_between(requester, recipient) is not None:
        raise Conflict(_("There is already an open request or meeting between you two."))
    time_windows.check(window, requester.event)
    if must_meet:
        _check_must_meet_quota(requester)
    low, high = sorted((requester.id, recipient.id))
    meeting_request = MeetingRequest(
        event_id=requester.event_id, requester_id=requester.id, recipient_id=recipient.id,
        pair_low_id=low, pair_high_id=high, message=message.strip()[:MESSAGE_MAX], online=online,
        opportunity_id=opportunity.id if opportunity is not None else None,
        window_part=window.part, window_date=window.day, requester_must_meet=must_meet,
    )
    return send(meeting_request)


def send(meeting_request: MeetingRequest) -> MeetingRequest:
    """Store a new open request and tell its recipient; the unique index on open pairs refuses a second one."""
    try:
        with db.session.begin_nested():
            db.session.add(meeting_request)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("There is already an open request or meeting between you two.")) from None
    outbox.enqueue("request_received", meeting_request.recipient.user, {"request": meeting_request.id})
    webhooks.emit(event_id=meeting_request.event_id, kind="request.created",
                  data=lambda: shapes.request_data(meeting_request))
    return meeting_request


# The request's two people come with it, but not their sectors and sessions (read if asked for):
# answering a request needs neither, and each is a query per side.
_BARE_PEOPLE = tuple(relation.lazyload(attribute) for relation in (joinedload(MeetingRequest.requester),
                                                                    joinedload(MeetingRequest.recipient))
                     for attribute in (Participant.sector_rows, Participant.sessions))


def get_request_for(participant: Participant, request_id: int) -> MeetingRequest:
    """A request the participant sent or received; NotFound otherwise."""
    return one_of_event(MeetingRequest, participant.event_id, request_id, or_(
        MeetingRequest.requester_id == participant.id, MeetingRequest.recipient_id == participant.id),
        options=_BARE_PEOPLE)


def _answer(meeting_request: MeetingRequest, new_status: str, **values) -> None:
    """Move a pending request on, atomically: of two parallel answers exactly one succeeds."""
    _change_pending(meeting_request, _("This request has already been answered."), status=new_status,
                    responded_at=utcnow(), **values)


def _change_pending(meeting_request: MeetingRequest, refusal: str, **values) -> None:
    """Write ``values`` only while the request is pending (one statement), else refuse with ``refusal``."""
    result = db.session.execute(
        update(MeetingRequest)
        .where(MeetingRequest.id == meeting_request.id, MeetingRequest.status == PENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(refusal)
    db.session.expire(meeting_request, list(values))  # read again when asked: not its people


def accept_request(*, recipient: Participant, request_id: int, window: time_windows.Window | None = None,
                   must_meet: bool = False, place: bool = True) -> Meeting:
    """Accept and place the meeting at once (earliest fitting slot) or leave it unscheduled with why.

    ``window``: the time window the recipient agrees to (None: the requester's, unchanged);
    ``must_meet``: the recipient's mark, within the event's quota; ``place`` False: the caller books
    it (a walk-in, services/on_the_day.py)."""
    meeting_request = get_request_for(recipient, request_id)
    if meeting_request.recipient_id != recipient.id:
        raise NotFound()
    if meeting_request.status != PENDING:
        raise Conflict(_("This request has already been answered."))
    if not (meeting_request.requester.is_active and recipient.is_active):
        raise Conflict(_("This participant is no longer active at the event."))
    if not recipient.networking_consent:
        raise Conflict(no_consent_message())
    if not meeting_request.requester.networking_consent:
        raise Conflict(_("This participant no longer takes part in networking."))
    if window is not None:
        time_windows.check(window, recipient.event)
    event = lock_event(meeting_request.event_id)
    if must_meet:
        _check_must_meet_quota(recipient)
    _answer(meeting_request, ACCEPTED)
    if window is not None:
        meeting_request.window_part, meeting_request.window_date = window.part, window.day
    meeting_request.recipient_must_meet = must_meet
    webhooks.emit(event_id=meeting_request.event_id, kind="request.accepted",
                  data=lambda: shapes.request_data(meeting_request))
    meeting = Meeting(
        event_id=meeting_request.event_id, request_id=meeting_request.id,
        participant_a_id=meeting_request.requester_id, participant_b_id=meeting_request.recipient_id,
        online=meeting_request.online,
    )
    db.session.add(meeting)
    db.session.flush()
    if not place:
        return meeting
    if meeting_request.walk_in:  # proposed on the day: the first slot left today that fits both, or refused
        from .on_the_day import book_soonest  # (that module builds on this one)

        return book_soonest(meeting)
    if not place_meeting(meeting, locked=event):  # when booked, "meeting scheduled" goes to both sides instead
        outbox.enqueue("request_accepted", meeting_request.requester.user, {"meeting": meeting.id})
    return meeting


def decline_request(*, recipient: Participant, request_id: int, reason: str = "") -> MeetingRequest:
    """Decline a request received; ``reason`` (optional) is shown to the requester, and to nobody else."""
    meeting_request = get_request_for(recipient, request_id)
    if meeting_request.recipient_id != recipient.id:
        raise NotFound()
    _answer(meeting_request, DECLINED, decline_reason=reason.strip()[:DECLINE_REASON_MAX])
    outbox.enqueue("request_declined", meeting_request.requester.user, {"request": meeting_request.id})
    webhooks.emit(event_id=meeting_request.event_id, kind="request.declined",
                  data=lambda: shapes.request_data(meeting_request))
    return meeting_request


def edit_message(*, requester: Participant, request_id: int, message: str) -> MeetingRequest:
    """Change the message of a request one sent, while it waits for an answer (atomically: an answer
    given meanwhile wins, and the edit is refused)."""
    meeting_request = get_request_for(requester, request_id)
    if meeting_request.requester_id != requester.id:
        raise NotFound()
    _change_pending(meeting_request, _("This request has already been answered, so its message can no longer change."),
                    message=message.strip()[:MESSAGE_MAX])
    return meeting_request


def withdraw_request(*, requester: Participant, request_id: int) -> MeetingRequest:
    meeting_request = get_request_for(requester, request_id)
    if meeting_request.requester_id != requester.id:
        raise NotFound()
    _answer(meeting_request, WITHDRAWN)
    return meeting_request


def close_requests_at_deadlines(*, now: datetime) -> int:
    """Once an event's request deadline has passed, its unanswered requests expire; how many did."""
    past = select(Event.id).where(Event.request_deadline <= now)
    result = db.session.execute(
        update(MeetingRequest).where(MeetingRequest.status == PENDING, MeetingRequest.event_id.in_(past))
        .values(status=EXPIRED, responded_at=now).execution_options(synchronize_session=False)
    )
    return result.rowcount


def get_meeting_for(participant: Participant, meeting_id: int) -> Meeting:
    """A meeting the participant is one side of (cancelled ones too); NotFound otherwise."""
    return one_of_event(Meeting, participant.event_id, meeting_id, or_(
        Meeting.participant_a_id == participant.id, Meeting.participant_b_id == participant.id),
        options=loads.meetings_shown())


def cancel_meeting(*, participant: Participant, meeting_id: int, reason: str) -> Meeting:
    """Either side cancels with a reason; the seats and the table are freed at once."""
    return cancel(meeting=get_meeting_for(participant, meeting_id), by=participant, reason=reason)


def cancel(*, meeting: Meeting, by: Participant | None, reason: str) -> Meeting:
    """Cancel a meeting (``by`` None: the organiser did); exactly one of two parallel cancels wins."""
    result = db.session.execute(
        update(Meeting).where(Meeting.id == meeting.id, Meeting.is_live)
        .values(cancelled_at=utcnow(), cancelled_by_id=by.id if by else None, cancel_reason=reason.strip()[:REASON_MAX],
                sequence=Meeting.sequence + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("This meeting has already been cancelled."))
    release_bookings(meeting)
    db.session.execute(
        update(MeetingRequest).where(MeetingRequest.id == meeting.request_id).values(status=CANCELLED)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(meeting)
    db.session.refresh(meeting.request)
    for side in (meeting.participant_a, meeting.participant_b):
        if by is None or side.id != by.id:
            outbox.enqueue("meeting_cancelled", side.user, {"meeting": meeting.id})
    webhooks.emit(event_id=meeting.event_id, kind="meeting.cancelled", data=lambda: shapes.meeting_data(meeting))
    return meeting


def requests_of(participant: Participant) -> tuple[list[MeetingRequest], list[MeetingRequest]]:
    """(received, sent) requests, newest first."""
    rows = db.session.scalars(
        select(MeetingRequest)
        .where(or_(MeetingRequest.requester_id == participant.id, MeetingRequest.recipient_id == participant.id))
        .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
        .options(*loads.requests_shown())
    ).all()
    received = [r for r in rows if r.recipient_id == participant.id]
    sent = [r for r in rows if r.requester_id == participant.id]
    return received, sent


def mark_attendance(*, meeting: Meeting, by: User, value: str | None, now: datetime | None = None) -> None:
    """Record whether a scheduled meeting took place ("held", "no_show", or None to clear).

    The caller checks that ``by`` is one of the two sides or an organiser of the event. Marking is
    possible once the meeting's slot has started.
    """
    if value is not None and value not in ATTENDANCE:
        raise ServiceError(_("Choose held or no-show."))
    if not meeting.is_live or meeting.slot is None:
        raise Conflict(_("Only a scheduled meeting can be marked."))
    if (now or utcnow()) < meeting.slot.starts_at:
        raise Conflict(_("The meeting has not started yet."))
    was_no_show = meeting.attendance == NO_SHOW
    meeting.attendance = value
    if value == NO_SHOW and not was_no_show:
        release_bookings(meeting)  # the seats and the table are free for someone else (services/on_the_day.py)
    elif was_no_show and value != NO_SHOW:
        _book_again(meeting)
    meeting.attendance_marked_at = utcnow()
    meeting.attendance_marked_by_id = by.id
    webhooks.emit(event_id=meeting.event_id, kind="meeting.attendance", data=lambda: shapes.meeting_data(meeting))


def _book_again(meeting: Meeting) -> None:
    """A no-show taken back: the meeting holds its seats and table again, unless they went to another meeting."""
    try:
        with db.session.begin_nested():
            db.session.flush()
            db.session.add_all(SlotBooking(participant_id=pid, slot_id=meeting.slot_id, meeting_id=meeting.id)
                               for pid in sorted((meeting.participant_a_id, meeting.participant_b_id)))
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("Its place was given to another meeting after the no-show; "
                         "it cannot be taken back.")) from None
