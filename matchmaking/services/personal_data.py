"""Personal data under the GDPR (the event's organiser is the controller): a person's export of
everything stored about them, the deletion of their account, and the deletion of an event's
personal data once its retention period has passed.

What counts as personal data, and what is kept for the event's statistics:

- personal, removed: the person's name and e-mail address (on the account), every text they wrote
  (the profile's description, offer and seek, their messages in meeting requests, the reasons they
  gave for cancelling, their comments on meetings and the benefits of agreements they described,
  their marketplace opportunities' titles and descriptions), their video room address, their
  organisation's logo (the file too), and any profile field added later unless it is listed in
  ``KEPT_FIELDS`` (so a new contact field is removed by default);
- kept: the organisation's name, type, country and region, the sectors, the meeting mode and the
  wished number of meetings. They describe an organisation, not a person, and they are what the
  dashboard counts (meetings per day, sector, country, type). The participant row itself stays,
  with its id, status and meetings, so every figure still adds up; it reads "Deleted participant".

Deleting an account (``delete_account``) removes the person from every event and anonymises the
account row itself (it is kept so that ids stay valid, but no longer holds anything about them).
The retention purge (``purge_event``) is about one event: the account belongs to the person, not
to the event, so it stays (with their other events) and only that event's rows are anonymised.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update

from ..extensions import db
from ..models import (
    ApiToken,
    BlockedTime,
    Event,
    EventDay,
    IdempotentResponse,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    OutboxMessage,
    Participant,
    PartnerMark,
    Recommendation,
    SentenceVector,
    Slot,
    User,
    event_organiser,
)
from ..models.base import utcnow
from ..models.meeting import DECLINED, PENDING, WITHDRAWN
from ..models.opportunity import WITHDRAWN as OPPORTUNITY_WITHDRAWN
from ..models.opportunity import Opportunity
from ..models.outbox import PENDING as MAIL_PENDING
from ..models.participant import ANONYMOUS_NAME, VISIBLE_TO_ORGANISERS, new_checkin_token
from . import (
    accounts,
    api_tokens,
    audit,
    background_jobs,
    blocked_time,
    branding,
    calendar_feed,
    marketplace,
    meetings,
    outbox,
    outcomes,
    registration,
    time_windows,
)
from .errors import ServiceError
from .mail_kinds import CATEGORIES
from .text import fold
from .timezones import local_to_utc

# Profile fields that describe the organisation and are kept for statistics; every other plain
# field of the profile (``registration.PLAIN_FIELDS``) is personal and is blanked.
KEPT_FIELDS = ("organisation_name", "organisation_type", "country", "region", "meeting_mode", "max_meetings")
# Choices that are not blanked but set: an anonymised row no longer networks and is seen by organisers only.
ANONYMISED_CHOICES = {"networking_consent": False, "visibility": VISIBLE_TO_ORGANISERS}
# Stored (in English) as the reason of meetings cancelled because a side deleted their account;
# ``localized.system_text`` translates it for each reader.
ACCOUNT_DELETED_REASON = "The other participant deleted their account."
# Reminders to the organisers, this many days before an event's personal data is deleted.
REMINDER_DAYS = (14, 1)
LAST_WARNING_DAYS = min(REMINDER_DAYS)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _party(participant: Participant) -> dict[str, Any]:
    """Another participant as the person sees them on their pages: name and organisation."""
    return {"participant_id": participant.id, "name": participant.name,
            "organisation": participant.organisation_name}


def _profile(participant: Participant) -> dict[str, Any]:
    """The profile, field by field: a new field of ``registration.Profile`` is exported with no change here."""
    return {**{name: getattr(participant, name) for name in registration.PLAIN_FIELDS},
            "sectors": list(participant.sectors),
            "sessions": [s.name or str(s.start_time) for s in participant.sessions]}


def _request(request: MeetingRequest, participant: Participant) -> dict[str, Any]:
    sent = request.requester_id == participant.id
    return {"id": request.id, "direction": "sent" if sent else "received",
            "with": _party(request.other(participant.id)), "message": request.message, "online": request.online,
            "status": request.status, "created_at": _iso(request.created_at),
            "responded_at": _iso(request.responded_at), "window": time_windows.of_request(request).code,
            "must_meet": request.requester_must_meet if sent else request.recipient_must_meet}


def _meeting(meeting: Meeting, participant: Participant, now: datetime) -> dict[str, Any]:
    visible = participant.event.schedule_visible(now)
    return {"id": meeting.id, "with": _party(meeting.other(participant.id)), "status": meeting.status,
            "online": meeting.online,
            "starts_at": _iso(meeting.slot.starts_at) if visible and meeting.slot else None,
            "ends_at": _iso(meeting.slot.ends_at) if visible and meeting.slot else None,
            "table": meeting.table.name if visible and meeting.table else None,
            "attendance": meeting.attendance, "cancel_reason": meeting.cancel_reason,
            "created_at": _iso(meeting.created_at), "my_outcome": _outcome(meeting, participant)}


def _outcome(meeting: Meeting, participant: Participant) -> dict[str, Any] | None:
    """The person's own answers about the meeting (never the other side's)."""
    row = db.session.scalar(select(MeetingOutcome).where(MeetingOutcome.meeting_id == meeting.id,
                                                         MeetingOutcome.participant_id == participant.id))
    if row is None:
        return None
    return {"took_place": row.took_place, "rating": row.rating, "comment": row.comment,
            "followup_answer": row.followup_answer, "agreement_type": row.agreement_type, "benefit": row.benefit}


def _registration(participant: Participant, now: datetime) -> dict[str, Any]:
    requests = db.session.scalars(
        select(MeetingRequest)
        .where(or_(MeetingRequest.requester_id == participant.id, MeetingRequest.recipient_id == participant.id))
        .order_by(MeetingRequest.created_at, MeetingRequest.id)).all()
    meeting_rows = db.session.scalars(
        select(Meeting)
        .where(or_(Meeting.participant_a_id == participant.id, Meeting.participant_b_id == participant.id))
        .order_by(Meeting.created_at, Meeting.id)).all()
    return {
        "event": {"id": participant.event_id, "name": participant.event.name},
        "participant_id": participant.id,
        "status": participant.status,
        "registered_at": _iso(participant.created_at),
        "updated_at": _iso(participant.updated_at),
        "checked_in_at": _iso(participant.checked_in_at),
        "profile": _profile(participant),
        "logo": participant.logo or None,  # the picture's name in the store: /media/<name>
        "requests_sent": [_request(r, participant) for r in requests if r.requester_id == participant.id],
        "requests_received": [_request(r, participant) for r in requests if r.recipient_id == participant.id],
        "meetings": [_meeting(m, participant, now) for m in meeting_rows],
        "opportunities": [{"kind": o.kind, "category": o.category, "title": o.title, "description": o.description,
                           "sectors": o.sectors, "deadline": o.deadline.isoformat() if o.deadline else None,
                           "status": o.status, "created_at": _iso(o.created_at)}
                          for o in marketplace.mine(participant)],
        "partner_marks": [{"with": _party(db.session.get(Participant, m.other_id)), "mark": m.mark,
                           "at": _iso(m.created_at)}
                          for m in db.session.scalars(select(PartnerMark).where(
                              PartnerMark.participant_id == participant.id).order_by(PartnerMark.id))],
        "blocked_time": [{"starts_at": _iso(b.starts_at), "ends_at": _iso(b.ends_at), "label": b.label}
                         for b in blocked_time.blocks_of(participant)],
    }


def export(*, user: User, now: datetime | None = None) -> dict[str, Any]:
    """Everything stored about ``user``, as one JSON-ready dict: the page and the download both show it.

    Other people appear only as the person sees them in the app (name and organisation, and the
    messages they sent to this person); times are naive UTC in ISO 8601.
    """
    now = now or utcnow()
    participants = db.session.scalars(
        select(Participant).where(Participant.user_id == user.id).order_by(Participant.created_at, Participant.id)
    ).all()
    muted = outbox.muted(user)
    organised = db.session.scalars(
        select(Event).join(event_organiser, event_organiser.c.event_id == Event.id)
        .where(event_organiser.c.user_id == user.id).order_by(Event.id)).all()
    return {
        "exported_at": _iso(now),
        "account": {"id": user.id, "name": user.name, "email": user.email, "language": user.locale,
                    "time_zone": user.timezone, "created_at": _iso(user.created_at),
                    "organiser": user.is_organiser, "admin": user.is_admin},
        "mail_preferences": {category: category not in muted for category in CATEGORIES},
        "calendar_feed": {"active": user.feed_token_hash is not None},
        "api_tokens": [{"name": t.name, "prefix": t.prefix, "scopes": t.scopes.split(),
                        "created_at": _iso(t.created_at), "expires_at": _iso(t.expires_at),
                        "last_used_at": _iso(t.last_used_at), "revoked_at": _iso(t.revoked_at)}
                       for t in api_tokens.tokens_of(user)],
        "events_organised": [{"id": e.id, "name": e.name} for e in organised],
        "registrations": [_registration(p, now) for p in participants],
    }


def _blank_personal_fields(participant: Participant) -> None:
    """Remove what is personal from the profile, and the texts the person wrote to others."""
    for name in registration.PLAIN_FIELDS:
        if name in ANONYMISED_CHOICES:
            setattr(participant, name, ANONYMISED_CHOICES[name])
        elif name not in KEPT_FIELDS:
            setattr(participant, name, "" if isinstance(getattr(participant, name), str) else None)
    participant.search_text = fold(" ".join((participant.organisation_name, participant.region)))
    branding.remove_participant_logo(participant=participant)  # the file goes once no one else shows it
    db.session.execute(update(MeetingRequest).where(MeetingRequest.requester_id == participant.id)
                       .values(message="").execution_options(synchronize_session=False))
    db.session.execute(update(Meeting).where(Meeting.cancelled_by_id == participant.id)
                       .values(cancel_reason="").execution_options(synchronize_session=False))
    # What they wrote about their meetings (their answers themselves stay, for the outcome report).
    db.session.execute(update(MeetingOutcome).where(MeetingOutcome.participant_id == participant.id)
                       .values(comment="", benefit="").execution_options(synchronize_session=False))
    # The time they blocked in their agenda, with its private labels.
    db.session.execute(delete(BlockedTime).where(BlockedTime.participant_id == participant.id))
    # Recommended-partner lists quote their sentences, in their list and in others': gone (re-ranked later).
    db.session.execute(delete(Recommendation).where(or_(Recommendation.participant_id == participant.id,
                                                        Recommendation.other_id == participant.id)))
    # Their marketplace opportunities keep only their kind and category (the dashboard counts them).
    db.session.execute(update(Opportunity).where(Opportunity.participant_id == participant.id)
                       .values(title="", description="", search_text="", status=OPPORTUNITY_WITHDRAWN)
                       .execution_options(synchronize_session=False))


def anonymise_participant(*, participant: Participant, now: datetime) -> None:
    """One registration without the person: personal fields blanked, the row kept for the statistics."""
    _blank_personal_fields(participant)
    participant.checkin_token = new_checkin_token()  # the printed badge's code leads nowhere now
    participant.anonymised_at = now
    db.session.flush()


def _close_open_requests(participant: Participant, now: datetime, *, sent: str, received: str) -> None:
    for column, status in ((MeetingRequest.requester_id, sent), (MeetingRequest.recipient_id, received)):
        db.session.execute(update(MeetingRequest).where(column == participant.id, MeetingRequest.status == PENDING)
                           .values(status=status, responded_at=now).execution_options(synchronize_session=False))


def sole_organiser_of(user: User) -> list[Event]:
    """Events that ``user`` organises alone (not yet purged): nobody else could run them."""
    other = event_organiser.alias("other")
    others = (select(func.count()).select_from(other)
              .where(other.c.event_id == Event.id, other.c.user_id != user.id)
              .correlate(Event).scalar_subquery())
    return list(db.session.scalars(
        select(Event).join(event_organiser, event_organiser.c.event_id == Event.id)
        .where(event_organiser.c.user_id == user.id, Event.purged_at.is_(None), others == 0).order_by(Event.id)))


def delete_account(*, user: User, password: str, secret_key: str, now: datetime | None = None) -> None:
    """Delete ``user``'s account, confirmed with their password.

    Refused while they are the only organiser of an event (the event and its participants would be
    left without anyone responsible: they add a co-organiser first), and for the last admin (nobody
    could make organisers any more). Otherwise, in every event they registered for: meetings still
    to come are cancelled (the partner gets the usual cancellation mail), pending requests are
    withdrawn or declined, and the registration is anonymised (past meetings stay, for the
    statistics). The account keeps its id but nothing about the person: a unique address that is
    not one (so the e-mail can sign up again), an unusable password, every session, the calendar
    feed and the API tokens ended, and no mail still waiting for them. The event's webhooks are
    not touched (they are the organiser's), but they are told of each cancelled meeting.
    """
    now = now or utcnow()
    if not accounts.verify_password(user, password):
        raise ServiceError(_("The password is not right."))
    alone = sole_organiser_of(user)
    if alone:
        raise ServiceError(_("You are the only organiser of %(events)s. Add another organiser to it first, "
                             "then delete your account.", events=", ".join(e.name for e in alone)))
    if user.is_admin and not db.session.scalar(
            select(func.count()).select_from(User).where(User.is_admin.is_(True), User.id != user.id)):
        raise ServiceError(_("You are the only administrator. Make someone else an administrator first."))

    participants = db.session.scalars(select(Participant).where(Participant.user_id == user.id)).all()
    for participant in participants:
        # Before cancelling: the reason given below is the app's own, and partners and webhooks
        # are told of the cancellation by "Deleted participant", not by name.
        _blank_personal_fields(participant)
        participant.anonymised_at = now
        coming = db.session.scalars(
            select(Meeting).outerjoin(Slot, Meeting.slot_id == Slot.id)
            .where(Meeting.is_live, or_(Meeting.participant_a_id == participant.id,
                                        Meeting.participant_b_id == participant.id),
                   or_(Meeting.slot_id.is_(None), Slot.starts_at > now))).all()
        for meeting in coming:
            meetings.cancel(meeting=meeting, by=participant, reason=ACCOUNT_DELETED_REASON)
        _close_open_requests(participant, now, sent=WITHDRAWN, received=DECLINED)
        audit.record(event=participant.event, actor=None, action=audit.ACCOUNT_DELETED,
                     participant_id=participant.id)
        # re-ranking drops the vectors of sentences nobody has any more
        background_jobs.enqueue_recommendations(event=participant.event, on_change=True)

    db.session.execute(delete(event_organiser).where(event_organiser.c.user_id == user.id))
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now).execution_options(synchronize_session=False))
    db.session.execute(delete(IdempotentResponse).where(IdempotentResponse.user_id == user.id))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.user_id == user.id,
                                                   OutboxMessage.status == MAIL_PENDING))
    user.name = ANONYMOUS_NAME
    user.email = f"deleted-{user.id}@invalid"  # unique, and not an address anyone can sign up with
    user.password_hash = accounts.UNUSABLE_PASSWORD
    user.is_admin = user.is_organiser = False
    user.locale = user.timezone = None
    accounts.end_all_sessions(user)
    calendar_feed.revoke_feed(user, secret_key)
    user.feed_token_hash = None  # no feed address at all, not even a new one
    db.session.flush()


# The retention period.

def event_end(event: Event) -> datetime | None:
    """The end of the event's last day (local midnight, as naive UTC); None for an event without days."""
    last = db.session.scalar(select(func.max(EventDay.date)).where(EventDay.event_id == event.id))
    if last is None:
        return None
    return local_to_utc(last + timedelta(days=1), time(0, 0), event.timezone)


def deletion_due(event: Event) -> datetime | None:
    """When the event's personal data is deleted: its retention period after the event's end, or after
    its follow-up's answers are in when it has a follow-up (the follow-up needs the data: six months by
    default, so a 90-day period counted from the event would delete it before any follow-up went)."""
    end = event_end(event)
    if end is None:
        return None
    closes = outcomes.followup_closes(event)
    return max(end, closes or end) + timedelta(days=event.retention_days)


def _unpurged_events() -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.purged_at.is_(None)).order_by(Event.id)))


def _warned(event: Event, due: datetime) -> bool:
    """Whether the organisers were warned of this deletion date (within its reminder period)."""
    warned = event.retention_warned_at
    return warned is not None and warned >= due - timedelta(days=max(REMINDER_DAYS) + 1)


def purge_time(event: Event) -> datetime | None:
    """When the data actually goes: the retention period's end, but never before the organisers were
    warned of that date and never less than a day after the warning (an event found past its period,
    after an upgrade or a changed period, gets a day's warning first). None: not warned yet, or an
    event without days."""
    due = deletion_due(event)
    if due is None or not _warned(event, due):
        return None
    return max(due, event.retention_warned_at + timedelta(days=LAST_WARNING_DAYS))


def events_due_for_purge(*, now: datetime) -> list[int]:
    """Ids of events whose retention period has passed, whose organisers were warned, and whose data is still there."""
    return [e.id for e in _unpurged_events() if (due := purge_time(e)) is not None and due <= now]


def purge_event(*, event_id: int, now: datetime) -> bool:
    """Anonymise every participant of one event whose retention period has passed, once.

    The event is claimed with a conditional UPDATE of ``purged_at``, so two overlapping runs cannot
    both do it; False when another run had it already. Requests keep their status (the request
    deadline's job closes them), and meetings, tables and the programme stay, so the dashboard's
    figures are unchanged.
    """
    claimed = db.session.execute(update(Event).where(Event.id == event_id, Event.purged_at.is_(None))
                                 .values(purged_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    event = db.session.get(Event, event_id)
    db.session.refresh(event)
    participants = db.session.scalars(select(Participant).where(
        Participant.event_id == event_id, Participant.anonymised_at.is_(None))).all()
    for participant in participants:
        anonymise_participant(participant=participant, now=now)
    db.session.execute(delete(SentenceVector).where(SentenceVector.event_id == event_id))
    audit.record(event=event, actor=None, action=audit.PURGE, detail=str(len(participants)))
    return True


def queue_retention_reminders(*, now: datetime) -> int:
    """Tell each organiser 14 days and 1 day before an event's personal data is deleted (once each:
    the key names the deletion date, so a changed retention period gets its own reminders)."""
    queued = 0
    for event in _unpurged_events():
        due = deletion_due(event)
        if due is None:
            continue
        if now >= due:  # past its period and not warned: the last warning now, the deletion a day later
            if _warned(event, due):
                continue
            days, announced = LAST_WARNING_DAYS, now + timedelta(days=LAST_WARNING_DAYS)
        else:
            days = next((d for d in sorted(REMINDER_DAYS) if now >= due - timedelta(days=d)), None)
            if days is None:
                continue
            announced = due
        new = sum(outbox.enqueue("retention_reminder", organiser,
                                 {"event": event.id, "days": days, "due": announced.isoformat()},
                                 dedupe_key=f"retention:{event.id}:{announced.date().isoformat()}:{days}:{organiser.id}")
                  is not None for organiser in event.organisers)
        queued += new
        if new or not _warned(event, due):
            event.retention_warned_at = now
    db.session.flush()
    return queued
