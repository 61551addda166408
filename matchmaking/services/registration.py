"""Registering for an event with an organisation profile, and editing it later."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Event, MeetingSession, Participant, ParticipantSector, User
from ..models.base import utcnow
from ..models.participant import (
    APPROVED,
    MEETING_MODES,
    ORGANISATION_TYPES,
    PENDING_APPROVAL,
    SECTORS,
    VISIBILITIES,
    VISIBLE_TO_ALL,
)
from . import accounts, audit, background_jobs, contacts, loads, shapes, webhooks
from .errors import Conflict, NotFound, ServiceError
from .lookup import one_of_event
from .placement import touch_meetings
from .text import fold, has_control_characters


@dataclass(frozen=True)
class Profile:
    organisation_name: str
    organisation_type: str
    country: str
    region: str = ""
    sectors: tuple[str, ...] = ()
    description: str = ""
    offer: str = ""
    seek: str = ""
    meeting_mode: str = "onsite"
    session_ids: tuple[int, ...] = field(default=())
    max_meetings: int | None = None
    video_url: str = ""
    phone: str = ""
    website: str = ""
    linkedin: str = ""
    # Consent to networking, asked separately from the terms. The web form asks for it explicitly
    # (unticked to start with); participants created by code (the organiser's import, the demo)
    # network unless told otherwise, as every participant did before the question existed.
    networking_consent: bool = True
    visibility: str = VISIBLE_TO_ALL

    @classmethod
    def of(cls, participant: Participant) -> Profile:
        """The saved profile of a participant, as the value object the forms edit."""
        return cls(**{name: getattr(participant, name) for name in PLAIN_FIELDS},
                   sectors=tuple(participant.sectors), session_ids=tuple(s.id for s in participant.sessions))


ONE_LINE = ("organisation_name", "organisation_type", "country", "region", "meeting_mode", "video_url", "phone",
            "website", "linkedin", "visibility")
# The fields copied to the participant as they are; sectors and sessions are rows of their own.
PLAIN_FIELDS = tuple(f.name for f in fields(Profile) if f.name not in ("sectors", "session_ids"))


def participant_for(user: User, event: Event) -> Participant | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Participant).where(Participant.event_id == event.id, Participant.user_id == user.id)
        .options(*loads.participant_alone())
    )


def require_participant(user: User, event: Event) -> Participant:
    """The user's registration for the event; NotFound when they are not registered."""
    participant = participant_for(user, event)
    if participant is None:
        raise NotFound()
    return participant


def event_ids_of(user: User) -> set[int]:
    """The events the user is registered for."""
    return set(db.session.scalars(select(Participant.event_id).where(Participant.user_id == user.id)))


def _event_sessions(event: Event, session_ids: tuple[int, ...]) -> list[MeetingSession]:
    sessions = {s.id: s for day in event.days for s in day.sessions}
    unknown = [sid for sid in session_ids if sid not in sessions]
    if unknown:
        raise ServiceError(_("Choose sessions of this event only."))
    return [sessions[sid] for sid in session_ids]


def _apply(participant: Participant, profile: Profile, event: Event, user_name: str) -> None:
    if any(has_control_characters(getattr(profile, name)) for name in ONE_LINE):
        raise ServiceError(_("Use one line, without line breaks or tabs."))
    if profile.organisation_type not in ORGANISATION_TYPES:
        raise ServiceError(_("Choose an organisation type from the list."))
    if profile.meeting_mode not in MEETING_MODES:
        raise ServiceError(_("Choose a meeting mode from the list."))
    if profile.video_url and not profile.video_url.startswith("https://"):
        raise ServiceError(_("The video room must be an address starting with https://"))
    unknown = set(profile.sectors) - set(SECTORS)
    if unknown:
        raise ServiceError(_("Unknown sector: %(sectors)s", sectors=", ".join(sorted(unknown))))
    if profile.visibility not in VISIBILITIES:
        raise ServiceError(_("Choose who may find you from the list."))
    contacts.check(phone=profile.phone, website=profile.website, linkedin=profile.linkedin)
    if participant.networking_consent_at is None or participant.networking_consent != profile.networking_consent:
        participant.networking_consent_at = utcnow()  # when the current answer was given
    for key in PLAIN_FIELDS:
        setattr(participant, key, getattr(profile, key))
    wanted = set(profile.sectors)
    participant.sector_rows = [row for row in participant.sector_rows if row.sector in wanted] + [
        ParticipantSector(sector=s) for s in sorted(wanted - set(participant.sectors))
    ]
    participant.sessions = _event_sessions(event, profile.session_ids)
    participant.search_text = searchable_text(participant, user_name)


def searchable_text(participant: Participant, user_name: str) -> str:
    parts = (user_name, participant.organisation_name, participant.region, participant.description,
             participant.offer, participant.seek)
    return fold(" ".join(parts))


def register(*, user: User, event: Event, profile: Profile, by_organiser: bool = False) -> Participant:
    """Register a user; organisers may register people after the deadline, already approved.

    People register themselves only from a confirmed address (an organiser vouches for whom they add).
    """
    if participant_for(user, event) is not None:
        raise Conflict(_("You are already registered for this event."))
    now = utcnow()
    if not by_organiser and not event.registration_open(now):
        if event.registration_opens_at and now < event.registration_opens_at:
            raise Conflict(_("Registration for this event has not opened yet."))
        raise Conflict(_("Registration for this event has closed."))
    if not by_organiser:
        accounts.require_verified(user)
    waits = event.requires_approval and not by_organiser
    participant = Participant(event_id=event.id, user_id=user.id, status=PENDING_APPROVAL if waits else APPROVED)
    _apply(participant, profile, event, user.name)
    db.session.add(participant)
    db.session.flush()
    webhooks.emit(event_id=event.id, kind="participant.registered",
                  data=lambda: shapes.participant_data(participant))
    if participant.is_listed:  # a new partner for the others: rank the event again, in the background
        background_jobs.enqueue_recommendations(event=event, actor=user, on_change=True)
    return participant


def update_profile(*, participant: Participant, profile: Profile, on_behalf_by: User | None = None) -> None:
    """Edit the profile. Leaving a session keeps already booked meetings; the organiser sees them.

    ``on_behalf_by``: the organiser who edits it for the participant (written to the audit log).
    A registration whose personal data was deleted stays so: it is not filled in again."""
    if participant.anonymised_at is not None:
        raise Conflict(_("The personal data of this registration was deleted; it can no longer be changed."))
    was_listed = participant.is_listed
    _apply(participant, profile, participant.event, participant.user.name)
    participant.updated_at = utcnow()
    db.session.flush()
    if was_listed or participant.is_listed:  # their offer, seek or visibility may have changed
        background_jobs.enqueue_recommendations(event=participant.event, actor=on_behalf_by or participant.user,
                                                on_change=True)
    touch_meetings(participant_id=participant.id)  # their offer and seek are in partners' calendars
    if on_behalf_by is not None:
        audit.record(event=participant.event, actor=on_behalf_by, action=audit.EDIT_PROFILE,
                     participant_id=participant.id)


def get_participant_in(event: Event, participant_id: int) -> Participant:
    """A participant of the event, whatever their status; NotFound otherwise."""
    return one_of_event(Participant, event.id, participant_id)
