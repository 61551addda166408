"""The event's programme: sessions organisers add, and the ones participants choose."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, or_, select

from ..extensions import db
from ..models import Event, Meeting, Participant, ProgrammeSession, Slot, programme_attendance
from ..models.programme import PROGRAMME_KINDS
from .errors import Conflict, ServiceError
from .lookup import one_of_event
from .timezones import local_to_utc


@dataclass(frozen=True)
class SessionDetails:
    kind: str
    title: str
    day: date
    start: time
    end: time
    place: str = ""
    description: str = ""
    video_url: str = ""
    signup: bool = False
    translations: dict | None = None  # {"pl": {"title": ...}, ...}


def _check(details: SessionDetails) -> None:
    if details.kind not in PROGRAMME_KINDS:
        raise ServiceError(_("Choose a kind of session from the list."))
    if details.end <= details.start:
        raise ServiceError(_("The session must end after it starts."))
    if details.video_url:
        parts = urlsplit(details.video_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ServiceError(_("The video link must be an address starting with https://"))


def add_session(*, event: Event, details: SessionDetails) -> ProgrammeSession:
    session = ProgrammeSession(event_id=event.id)
    _apply(session, event, details)
    db.session.add(session)
    db.session.flush()
    return session


def update_session(*, event: Event, session: ProgrammeSession, details: SessionDetails) -> ProgrammeSession:
    """Change a session in place: those who signed up stay signed up, and feeds update it (same UID)."""
    _apply(session, event, details)
    session.sequence += 1
    db.session.flush()
    return session


def _apply(session: ProgrammeSession, event: Event, details: SessionDetails) -> None:
    _check(details)
    session.kind, session.title, session.place = details.kind, details.title, details.place
    session.description, session.video_url, session.signup = details.description, details.video_url, details.signup
    session.translations = details.translations or {}
    session.starts_at = local_to_utc(details.day, details.start, event.timezone)
    session.ends_at = local_to_utc(details.day, details.end, event.timezone)


def get_session(event: Event, session_id: int) -> ProgrammeSession:
    return one_of_event(ProgrammeSession, event.id, session_id)


def delete_session(*, session: ProgrammeSession) -> None:
    db.session.delete(session)
    db.session.flush()


def event_programme(event_id: int) -> list[ProgrammeSession]:
    return list(db.session.scalars(select(ProgrammeSession).where(ProgrammeSession.event_id == event_id)
                                   .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)))


def clashing_meeting(participant: Participant, session: ProgrammeSession) -> Meeting | None:
    """A live meeting of the participant during the session, if any."""
    return db.session.scalar(
        select(Meeting).join(Slot, Meeting.slot_id == Slot.id).where(
            Meeting.is_live,
            or_(Meeting.participant_a_id == participant.id, Meeting.participant_b_id == participant.id),
            Slot.starts_at < session.ends_at, Slot.ends_at > session.starts_at,
        ).limit(1)
    )


def choose(*, participant: Participant, session: ProgrammeSession) -> None:
    """Sign up for a session; the scheduler then keeps the participant's meetings out of it."""
    if not session.signup:
        raise ServiceError(_("This session is for everyone; there is nothing to sign up for."))
    clash = clashing_meeting(participant, session)
    if clash is not None:
        partner = clash.other(participant.id)
        raise Conflict(_("You have a meeting with %(name)s (%(organisation)s) at that time; cancel it first.",
                         name=partner.name, organisation=partner.organisation_name))
    if session.id not in chosen_ids(participant):
        db.session.execute(insert(programme_attendance).values(
            participant_id=participant.id, programme_session_id=session.id))
        _forget(participant, session)


def leave(*, participant: Participant, session: ProgrammeSession) -> None:
    db.session.execute(delete(programme_attendance).where(
        programme_attendance.c.participant_id == participant.id,
        programme_attendance.c.programme_session_id == session.id))
    _forget(participant, session)


def _forget(participant: Participant, session: ProgrammeSession) -> None:
    """The rows changed under the ORM: reload both sides' lists when they are next read."""
    db.session.expire(participant, ["programme_sessions"])
    db.session.expire(session, ["attendees"])


def chosen_ids(participant: Participant) -> set[int]:
    """The sessions the participant signed up for: one query on the participant's own rows, so a
    personal page never loads the attendees of a session."""
    return set(db.session.scalars(select(programme_attendance.c.programme_session_id)
                                  .where(programme_attendance.c.participant_id == participant.id)))


def attendee_counts(event_id: int) -> dict[int, int]:
    """Sign-ups per session of the event, counted in SQL (for the organiser's programme list)."""
    return dict(db.session.execute(
        select(programme_attendance.c.programme_session_id, func.count())
        .join(ProgrammeSession, ProgrammeSession.id == programme_attendance.c.programme_session_id)
        .where(ProgrammeSession.event_id == event_id)
        .group_by(programme_attendance.c.programme_session_id)).all())
