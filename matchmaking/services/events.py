"""Setting up an event: details, days, meeting sessions (and their slots), tables, organisers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from ..extensions import db
from ..models import (
    Event,
    EventDay,
    Meeting,
    MeetingSession,
    MeetingTable,
    Participant,
    Slot,
    User,
)
from .errors import Conflict, NotFound, ServiceError
from .lookup import one_of_event
from .placement import touch_meetings
from .slots import slot_instants
from .timezones import is_valid_timezone


@dataclass(frozen=True)
class EventDetails:
    name: str
    venue: str
    description: str
    timezone: str
    registration_deadline: datetime | None  # naive UTC
    request_deadline: datetime | None  # naive UTC
    requires_approval: bool = False
    translations: dict | None = None  # {"pl": {"name": ..., "description": ...}, ...}
    registration_opens_at: datetime | None = None  # naive UTC
    requests_open_at: datetime | None = None
    schedule_published_at: datetime | None = None
    privacy_notice: str = ""  # the organiser's own; empty: participants see the app's template
    # Days after the event's last day (or its follow-up's close, when it has one) when participants'
    # personal data is deleted (services/personal_data.py).
    retention_days: int = 90
    # How many requests each participant may mark "must meet" (0: the mark is off).
    must_meet_quota: int = 3
    # The follow-up mail about what meetings led to: whether it goes, and its day (None: six months after
    # the last day).
    followup_enabled: bool = True
    followup_on: date | None = None


def get_event(event_id: int) -> Event:
    """The event (every event page loads it first): its organisers only when asked for, as most
    participants' pages never do (one statement fewer on each)."""
    return one_of_event(Event, event_id, event_id, options=(lazyload(Event.organisers),))


def get_organised_event(user: User, event_id: int) -> Event:
    """The event if ``user`` organises it (or is admin); otherwise NotFound, as if it did not exist."""
    event = get_event(event_id)
    if not event.is_organised_by(user):
        raise NotFound()
    return event


def events_organised_by(user: User) -> list[Event]:
    query = select(Event).order_by(Event.created_at.desc())
    if not user.is_admin:
        query = query.where(Event.organisers.any(User.id == user.id))
    return list(db.session.scalars(query))


def list_events() -> list[Event]:
    return list(db.session.scalars(select(Event).order_by(Event.created_at.desc())))


RETENTION_MAX_DAYS = 3650
MUST_MEET_MAX = 50  # as the database's check allows


def _check_details(details: EventDetails) -> None:
    if not 0 <= details.retention_days <= RETENTION_MAX_DAYS:
        raise ServiceError(_("Keep personal data 0 to %(max)d days after the event.", max=RETENTION_MAX_DAYS))
    if not 0 <= details.must_meet_quota <= MUST_MEET_MAX:
        raise ServiceError(_("Allow 0 to %(max)d “must meet” requests per participant.", max=MUST_MEET_MAX))
    if not is_valid_timezone(details.timezone):
        raise ServiceError(_("Unknown time zone: %(zone)s", zone=details.timezone))
    for opens, closes, message in (
            (details.registration_opens_at, details.registration_deadline,
             _("Registration must close after it opens.")),
            (details.requests_open_at, details.request_deadline, _("Meeting requests must close after it opens."))):
        if opens and closes and closes <= opens:
            raise ServiceError(message)


def create_event(*, organiser: User, details: EventDetails) -> Event:
    if not (organiser.is_organiser or organiser.is_admin):
        raise NotFound()
    _check_details(details)
    event = Event(**{**details.__dict__, "translations": details.translations or {}})
    event.organisers.append(organiser)
    db.session.add(event)
    db.session.flush()
    return event


def update_event(*, event: Event, details: EventDetails) -> None:
    _check_details(details)
    last = max((d.date for d in event.days), default=None)
    if details.followup_on is not None and last is not None and details.followup_on <= last:
        raise ServiceError(_("The follow-up must come after the event's last day."))
    if details.timezone != event.timezone and db.session.scalar(
        select(func.count(Slot.id)).where(Slot.event_id == event.id)
    ):
        raise Conflict(_("The time zone cannot change once meeting slots exist; remove the sessions first."))
    for key, value in details.__dict__.items():
        setattr(event, key, value if key != "translations" else (value or {}))


def add_day(*, event: Event, day: date) -> EventDay:
    if any(d.date == day for d in event.days):
        raise Conflict(_("That day is already part of the event."))
    event_day = EventDay(event=event, date=day)
    db.session.add(event_day)
    db.session.flush()
    return event_day


def get_day(event: Event, day_id: int) -> EventDay:
    return one_of_event(EventDay, event.id, day_id)


def add_session(
    *, day: EventDay, name: str, start: time, end: time, slot_minutes: int, breaks: str
) -> MeetingSession:
    """Add a meeting session and derive its slots; sessions of one day may not overlap."""
    if end <= start:
        raise ServiceError(_("The session must end after it starts."))
    for other in day.sessions:
        if start < other.end_time and other.start_time < end:
            raise Conflict(_("It overlaps the session %(start)s-%(end)s.", start=f"{other.start_time:%H:%M}",
                             end=f"{other.end_time:%H:%M}"))
    instants = slot_instants(day.date, start, end, slot_minutes, breaks, day.event.timezone)
    if not instants:
        raise ServiceError(_("No slot fits into this session; make it longer or the slots shorter."))
    session = MeetingSession(day=day, name=name, start_time=start, end_time=end,
                             slot_minutes=slot_minutes, breaks=breaks)
    db.session.add(session)
    for starts_at, ends_at in instants:
        db.session.add(Slot(event_id=day.event_id, session=session, starts_at=starts_at, ends_at=ends_at))
    db.session.flush()
    return session


def get_session(event: Event, session_id: int) -> MeetingSession:
    return one_of_event(MeetingSession, event.id, session_id)


def _refuse_if_booked(session_ids: list[int], what: str) -> None:
    booked = db.session.scalar(
        select(func.count(Meeting.id)).join(Slot, Meeting.slot_id == Slot.id)
        .where(Slot.session_id.in_(session_ids), Meeting.is_live)
    )
    if booked:
        # English keeps "meetings" even for 1 (singular and plural alike); other languages use their plural forms.
        messages = {
            "session": ngettext("%(num)d meetings are booked in this session; cancel or move them first.",
                                "%(num)d meetings are booked in this session; cancel or move them first.", booked),
            "day": ngettext("%(num)d meetings are booked in this day; cancel or move them first.",
                            "%(num)d meetings are booked in this day; cancel or move them first.", booked),
        }
        raise Conflict(messages[what])


def delete_session(*, session: MeetingSession) -> None:
    """Remove a session and its slots (the database cascades), unless meetings are booked in it."""
    _refuse_if_booked([session.id], "session")
    db.session.delete(session)
    db.session.flush()


def delete_day(*, day: EventDay) -> None:
    _refuse_if_booked([s.id for s in day.sessions], "day")
    db.session.delete(day)
    db.session.flush()


def event_slots(event_id: int) -> list[Slot]:
    return list(db.session.scalars(select(Slot).where(Slot.event_id == event_id).order_by(Slot.starts_at)))


def add_tables(*, event: Event, names: list[str]) -> list[MeetingTable]:
    """Add tables by name; names already used in the event are refused, naming them."""
    existing = {t.name.casefold() for t in event.tables}
    clean = [n.strip() for n in names if n.strip()]
    clashes = sorted({n for n in clean if n.casefold() in existing} |
                     {n for n in clean if [c.casefold() for c in clean].count(n.casefold()) > 1})
    if clashes:
        raise Conflict(_("These table names are already used: %(names)s", names=", ".join(clashes)))
    tables = [MeetingTable(event=event, name=n) for n in clean]
    db.session.add_all(tables)
    db.session.flush()
    return tables


def numbered_table_names(event: Event, count: int, prefix: str) -> list[str]:
    """Names ``prefix 1 .. prefix N`` continuing after the tables the event already has."""
    start = len(event.tables) + 1
    return [f"{prefix} {i}".strip() for i in range(start, start + count)]


def get_table(event: Event, table_id: int) -> MeetingTable:
    return one_of_event(MeetingTable, event.id, table_id)


def set_table_owner(*, table: MeetingTable, participant: Participant | None) -> None:
    """Make the table an exhibitor's own stand (or a shared table again)."""
    if participant is not None and participant.event_id != table.event_id:
        raise NotFound()
    live = db.session.scalar(
        select(func.count(Meeting.id)).where(Meeting.table_id == table.id, Meeting.is_live)
    )
    if live:
        raise Conflict(ngettext("%(num)d meetings are booked at this table; move or cancel them first.",
                                "%(num)d meetings are booked at this table; move or cancel them first.", live))
    if participant is not None:
        current = participant.own_table
        if current is not None and current.id != table.id:
            raise Conflict(_("%(organisation)s already has the table %(table)s.",
                             organisation=participant.organisation_name, table=current.name))
    table.owner_participant_id = participant.id if participant else None


def delete_table(*, table: MeetingTable) -> None:
    live = db.session.scalar(
        select(func.count(Meeting.id)).where(Meeting.table_id == table.id, Meeting.is_live)
    )
    if live:
        raise Conflict(ngettext("%(num)d meetings are booked at this table; move or cancel them first.",
                                "%(num)d meetings are booked at this table; move or cancel them first.", live))
    db.session.delete(table)
    db.session.flush()


def update_table(*, table: MeetingTable, name: str, location: str, closed_slot_ids: set[int]) -> None:
    """Rename a table, say where it is, and close it for some slots (no meeting may be booked there)."""
    name = name.strip()
    if not name:
        raise ServiceError(_("A table needs a name."))
    if any(t.id != table.id and t.name.casefold() == name.casefold() for t in table.event.tables):
        raise Conflict(_("Another table is already called %(name)s.", name=name))
    slots = {s.id: s for s in event_slots(table.event_id)}
    if not closed_slot_ids <= slots.keys():
        raise NotFound()
    booked = db.session.scalars(select(Slot).join(Meeting, Meeting.slot_id == Slot.id).where(
        Meeting.table_id == table.id, Meeting.is_live, Slot.id.in_(closed_slot_ids)
    ).order_by(Slot.starts_at)).all()
    if booked:
        raise Conflict(ngettext("%(num)d meetings are booked at this table in the slots to close; move them first.",
                                  "%(num)d meetings are booked at this table in the slots to close; move them first.",
                                  len(booked)))
    if (table.name, table.location) != (name, location.strip()):
        touch_meetings(table_id=table.id)  # the table is the calendar entries' LOCATION
    table.name, table.location = name, location.strip()
    table.closed_slots = [slots[i] for i in sorted(closed_slot_ids, key=lambda i: slots[i].starts_at)]
    db.session.flush()
