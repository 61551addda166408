"""What meetings led to: each side's word right after a meeting, and the follow-up months later.

Right after a meeting each side says whether it took place (one "it didn't" makes the meeting a
no-show, and either side may correct their answer later), rates it and may leave a comment that only
the organisers read. On the event's follow-up day (by default six months after its last day) each
participant gets one mail with a signed link per meeting, then one reminder; the link works without
logging in. An agreement counts as confirmed when both sides report it.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Event, EventDay, Meeting, MeetingOutcome, Participant, Slot
from ..models.base import utcnow
from ..models.meeting import HELD, NO_SHOW
from ..models.outcome import (
    AGREEMENT,
    AGREEMENT_TYPE_CODES,
    BENEFIT_MAX,
    COMMENT_MAX,
    FOLLOWUP_ANSWERS,
    RATINGS,
)
from ..models.participant import APPROVED
from . import meetings, outbox
from .account_links import EXPIRED, INVALID, InvalidLink
from .errors import Conflict, NotFound, ServiceError
from .timezones import local_to_utc, to_local

RATING_LABELS = {
    "no_interest": _l("Insufficient interest"),
    "informative": _l("Informative, no cooperation planned"),
    "cooperation_possible": _l("Cooperation possible"),
}
FOLLOWUP_LABELS = {
    "no_contact": _l("No further contact"),
    "knowledge": _l("No further contact, but knowledge gained"),
    "valuable_contact": _l("A valuable contact for the future"),
    "negotiation": _l("Negotiation started"),
    "agreement": _l("Cooperation agreement reached"),
}
AGREEMENT_FAMILY_LABELS = {"business": _l("Business cooperation"), "technology": _l("Technology cooperation"),
                           "research": _l("Research cooperation")}
AGREEMENT_TYPE_LABELS = {
    "commercial_agency": _l("Commercial agency or distribution"),
    "subcontracting": _l("Subcontracting or outsourcing"),
    "joint_venture": _l("Joint venture"),
    "manufacturing": _l("Manufacturing agreement"),
    "services": _l("Services agreement"),
    "licence": _l("Licence agreement"),
    "technical_cooperation": _l("Technical cooperation"),
    "joint_development": _l("Joint further development"),
    "joint_project_proposal": _l("Joint research project proposal"),
}

FOLLOWUP_MONTHS = 6  # the default follow-up day: this many months after the event's last day
REMINDER_AFTER = timedelta(days=14)  # the one reminder, this long after the follow-up mail
ANSWERS_FOR = timedelta(days=30)  # the follow-up's answers are in this long after its day: retention counts from then
LINK_MAX_AGE = timedelta(days=400)  # a follow-up link works this long after its mail was composed
SUMMARY_AT = time(19, 0)  # the evening summary of the day's meetings, from this local time
_SALT = "meeting-outcome"


# --- right after the meeting ----------------------------------------------------------------

def outcome_of(meeting: Meeting, participant: Participant) -> MeetingOutcome | None:
    return db.session.scalar(select(MeetingOutcome).where(MeetingOutcome.meeting_id == meeting.id,
                                                          MeetingOutcome.participant_id == participant.id))


def outcomes_of(participant: Participant, meeting_ids: Iterable[int]) -> dict[int, MeetingOutcome]:
    """The participant's own answers about these meetings, by meeting id."""
    ids = list(meeting_ids)
    if not ids:
        return {}
    return {o.meeting_id: o for o in db.session.scalars(select(MeetingOutcome).where(
        MeetingOutcome.participant_id == participant.id, MeetingOutcome.meeting_id.in_(ids)))}


def both_sides(meeting: Meeting) -> dict[int, MeetingOutcome]:
    """Both sides' answers (for the organisers), by participant id."""
    return {o.participant_id: o for o in db.session.scalars(
        select(MeetingOutcome).where(MeetingOutcome.meeting_id == meeting.id))}


def can_answer(meeting: Meeting, now: datetime | None = None) -> bool:
    """A live, scheduled meeting whose slot has started."""
    return meeting.is_live and meeting.slot is not None and (now or utcnow()) >= meeting.slot.starts_at


def _row(meeting: Meeting, participant: Participant) -> MeetingOutcome:
    """The side's row, made on first use (a second, parallel first use finds the other's)."""
    found = outcome_of(meeting, participant)
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            row = MeetingOutcome(meeting_id=meeting.id, participant_id=participant.id)
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        row = outcome_of(meeting, participant)
        if row is None:
            raise
    return row


def answer(*, meeting: Meeting, participant: Participant, took_place: bool | None,
           rating: str | None = None, comment: str | None = None, now: datetime | None = None) -> MeetingOutcome:
    """One side's word right after the meeting; ``rating`` and ``comment`` None leave them as they were
    ("" clears them). The meeting's attendance follows: one "it didn't" makes it a no-show."""
    if not meeting.involves(participant.id):
        raise NotFound()
    now = now or utcnow()
    if not meeting.is_live or meeting.slot is None:
        raise Conflict(_("Only a scheduled meeting can be marked."))
    if now < meeting.slot.starts_at:
        raise Conflict(_("The meeting has not started yet."))
    if rating and rating not in RATINGS:
        raise ServiceError(_("Choose one of the ratings."))
    row = _row(meeting, participant)
    changed = row.took_place != took_place
    row.took_place = took_place
    if rating is not None:
        row.rating = rating or None
    if comment is not None:
        row.comment = comment.strip()[:COMMENT_MAX]
    if took_place is False:
        row.rating = None
    row.answered_at = now
    db.session.flush()
    if changed:
        said = [o.took_place for o in both_sides(meeting).values()]
        value = NO_SHOW if False in said else HELD if True in said else None
        if value != meeting.attendance:
            meetings.mark_attendance(meeting=meeting, by=participant.user, value=value, now=now)
    return row


# --- the follow-up --------------------------------------------------------------------------

def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day(event: Event) -> date | None:
    return db.session.scalar(select(EventDay.date).where(EventDay.event_id == event.id)
                             .order_by(EventDay.date.desc()).limit(1))


def followup_day(event: Event) -> date | None:
    """The organiser's follow-up day, else six months after the event's last day (None: the follow-up is
    turned off, or no days yet)."""
    if not event.followup_enabled:
        return None
    if event.followup_on is not None:
        return event.followup_on
    end = last_day(event)
    return _add_months(end, FOLLOWUP_MONTHS) if end is not None else None


def followup_starts(event: Event) -> datetime | None:
    """The follow-up day's first instant, in the event's time zone (naive UTC)."""
    day = followup_day(event)
    return local_to_utc(day, time(0, 0), event.timezone) if day is not None else None


def followup_closes(event: Event) -> datetime | None:
    """When the follow-up's answers are in (``ANSWERS_FOR`` after its day, past the one reminder): the
    personal data it asks about is needed until then (None: no follow-up)."""
    starts = followup_starts(event)
    return starts + ANSWERS_FOR if starts is not None else None


def followup_open(event: Event, now: datetime | None = None) -> bool:
    starts = followup_starts(event)
    return starts is not None and (now or utcnow()) >= starts


def _asked_about() -> list:
    """Two SELECTs (one per side) of (meeting id, participant id): scheduled live meetings that were not
    no-shows, for each side that is still an approved, not anonymised participant."""
    return [select(Meeting.id, side, Meeting.event_id).join(Slot, Slot.id == Meeting.slot_id)
            .join(Participant, Participant.id == side)
            .where(Meeting.is_live, or_(Meeting.attendance.is_(None), Meeting.attendance != NO_SHOW),
                   Participant.status == APPROVED, Participant.anonymised_at.is_(None))
            for side in (Meeting.participant_a_id, Meeting.participant_b_id)]


def followup_meetings(participant: Participant) -> list[Meeting]:
    """The meetings a participant's follow-up mail asks about (all but no-shows), in time order."""
    return list(db.session.scalars(
        select(Meeting).join(Slot, Slot.id == Meeting.slot_id)
        .where(Meeting.is_live, or_(Meeting.participant_a_id == participant.id,
                                    Meeting.participant_b_id == participant.id),
               or_(Meeting.attendance.is_(None), Meeting.attendance != NO_SHOW))
        .order_by(Slot.starts_at, Meeting.id)))


def answer_followup(*, meeting: Meeting, participant: Participant, answer: str, agreement_type: str = "",
                    benefit: str = "", now: datetime | None = None) -> MeetingOutcome:
    """One side's answer months later; an agreement needs its type and its benefit in a sentence."""
    if not meeting.involves(participant.id):
        raise NotFound()
    now = now or utcnow()
    if not followup_open(meeting.participant_a.event, now):
        raise Conflict(_("The follow-up has not started yet."))
    if not meeting.is_live or meeting.slot is None or meeting.attendance == NO_SHOW:
        raise Conflict(_("This meeting did not take place."))
    if answer not in FOLLOWUP_ANSWERS:
        raise ServiceError(_("Choose one of the answers."))
    benefit = " ".join((benefit or "").split())[:BENEFIT_MAX]
    if answer == AGREEMENT:
        if agreement_type not in AGREEMENT_TYPE_CODES:
            raise ServiceError(_("Choose the type of the agreement."))
        if not benefit:
            raise ServiceError(_("Say in a sentence what the agreement brings."))
    row = _row(meeting, participant)
    row.followup_answer = answer
    row.agreement_type = agreement_type if answer == AGREEMENT else None
    row.benefit = benefit if answer == AGREEMENT else ""
    row.followup_answered_at = now
    db.session.flush()
    return row


def link_token(meeting: Meeting, participant: Participant, *, secret_key: str) -> str:
    """The token of a participant's link about one meeting (mailed; works without logging in)."""
    return URLSafeTimedSerializer(secret_key, salt=_SALT).dumps({"m": meeting.id, "p": participant.id})


def read_link_token(token: str, *, secret_key: str) -> tuple[Meeting, Participant]:
    """The meeting and side a link is for; ``InvalidLink`` when forged, expired or the person is gone."""
    try:
        data = URLSafeTimedSerializer(secret_key, salt=_SALT).loads(
            token, max_age=int(LINK_MAX_AGE.total_seconds()))
    except SignatureExpired:
        raise InvalidLink(EXPIRED) from None
    except BadSignature:
        raise InvalidLink(INVALID) from None
    ids = (data.get("m"), data.get("p")) if isinstance(data, dict) else (None, None)
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise InvalidLink(INVALID)
    meeting, participant = db.session.get(Meeting, ids[0]), db.session.get(Participant, ids[1])
    if meeting is None or participant is None or not meeting.involves(participant.id) \
            or participant.anonymised_at is not None:
        raise InvalidLink(INVALID)
    return meeting, participant


def _claim(column, event_id: int, now: datetime) -> bool:
    """Mark the event's follow-up (or reminder) as queued, once: False when another run had it."""
    claimed = db.session.execute(update(Event).where(Event.id == event_id, column.is_(None))
                                 .values({column.key: now}).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def queue_followups(*, now: datetime) -> int:
    """Queue the follow-up mails of events whose follow-up day has come (each event once, in bulk),
    and the one reminder ``REMINDER_AFTER`` later to those who left a meeting unanswered."""
    queued = 0
    for event in db.session.scalars(select(Event).where(Event.followup_sent_at.is_(None), Event.followup_enabled,
                                                        Event.purged_at.is_(None))).all():
        if followup_open(event, now) and _claim(Event.followup_sent_at, event.id, now):
            queued += outbox.enqueue_many(("followup", user_id, {"participant": pid}, f"followup:{pid}")
                                          for pid, user_id in _recipients(event, now, unanswered_only=False))
    for event in db.session.scalars(select(Event).where(
            Event.followup_sent_at <= now - REMINDER_AFTER, Event.followup_reminded_at.is_(None),
            Event.purged_at.is_(None))).all():
        if _claim(Event.followup_reminded_at, event.id, now):
            queued += outbox.enqueue_many(("followup_reminder", user_id, {"participant": pid},
                                           f"followup-reminder:{pid}")
                                          for pid, user_id in _recipients(event, now, unanswered_only=True))
    return queued


def _recipients(event: Event, now: datetime, *, unanswered_only: bool) -> list[tuple[int, int]]:
    """(participant id, user id) of those with a meeting to ask about (and, for the reminder, unanswered)."""
    pairs: set[tuple[int, int]] = set()
    for stmt in _asked_about():
        side = stmt.selected_columns[1]
        stmt = stmt.where(Meeting.event_id == event.id, Slot.starts_at <= now)
        if unanswered_only:
            stmt = stmt.where(~select(MeetingOutcome.id).where(
                MeetingOutcome.meeting_id == Meeting.id, MeetingOutcome.participant_id == side,
                MeetingOutcome.followup_answer.is_not(None)).exists())
        pairs.update(db.session.execute(
            stmt.with_only_columns(side, Participant.user_id).distinct()).tuples())
    return sorted(pairs)


def queue_evening_summaries(*, now: datetime, at: time = SUMMARY_AT) -> int:
    """From ``at`` local time on a day of meetings, each participant with a meeting that day they have
    not said anything about gets one summary with a link per meeting (once per day)."""
    messages = []
    events = db.session.scalars(select(Event).where(Event.purged_at.is_(None), Event.id.in_(
        select(EventDay.event_id).where(EventDay.date.between(now.date() - timedelta(days=1),
                                                              now.date() + timedelta(days=1)))))).all()
    for event in events:
        local = to_local(now, event.timezone)
        if local.time() < at:
            continue
        day_start = local_to_utc(local.date(), time(0, 0), event.timezone)
        for stmt in _asked_about():
            side = stmt.selected_columns[1]
            stmt = stmt.where(Meeting.event_id == event.id, Slot.starts_at >= day_start, Slot.starts_at <= now,
                              ~select(MeetingOutcome.id).where(
                                  MeetingOutcome.meeting_id == Meeting.id, MeetingOutcome.participant_id == side,
                                  MeetingOutcome.took_place.is_not(None)).exists())
            for pid, user_id in db.session.execute(stmt.with_only_columns(side, Participant.user_id).distinct()):
                messages.append(("evening_summary", user_id, {"participant": pid, "day": local.date().isoformat()},
                                 f"summary:{pid}:{local.date().isoformat()}"))
    return outbox.enqueue_many(messages)


def summary_meetings(participant: Participant, day: date) -> list[Meeting]:
    """The participant's meetings of one local day (the evening summary's list)."""
    tz = participant.event.timezone
    start = local_to_utc(day, time(0, 0), tz)
    return list(db.session.scalars(
        select(Meeting).join(Slot, Slot.id == Meeting.slot_id)
        .where(Meeting.is_live, or_(Meeting.participant_a_id == participant.id,
                                    Meeting.participant_b_id == participant.id),
               and_(Slot.starts_at >= start, Slot.starts_at < start + timedelta(days=1)))
        .order_by(Slot.starts_at, Meeting.id)))


def partner_agreement(meeting: Meeting, participant: Participant) -> MeetingOutcome | None:
    """The other side's reported agreement, for this side to confirm (None when they reported none)."""
    other = meeting.other(participant.id)
    found = outcome_of(meeting, other)
    return found if found is not None and found.followup_answer == AGREEMENT else None
