"""Factory functions with sensible defaults; call them inside an app context and commit."""
from __future__ import annotations

from datetime import date, time

from matchmaking.extensions import db
from matchmaking.models import User
from matchmaking.services import accounts, events, registration

PASSWORD = "correct horse battery"
EVENT_DAY = date(2030, 5, 20)


def make_user(email: str, name: str = "Ilze Bērziņa", *, organiser: bool = False, admin: bool = False,
              verified: bool = True) -> User:
    """A user with the password PASSWORD; with a confirmed address unless ``verified=False``."""
    user = accounts.sign_up(name=name, email=email, password=PASSWORD, verified=verified)
    assert user is not None
    user.is_organiser = organiser or admin
    user.is_admin = admin
    db.session.flush()
    return user


def make_event(organiser: User, *, name: str = "Baltic Cluster Brokerage", timezone: str = "Europe/Riga",
               sessions: tuple[tuple[time, time], ...] = ((time(9, 0), time(10, 0)),), slot_minutes: int = 30,
               tables: int = 2, day: date = EVENT_DAY, **details):
    event = events.create_event(organiser=organiser, details=events.EventDetails(
        name=name, venue="Rīga, Latvia", description="", timezone=timezone,
        registration_deadline=details.get("registration_deadline"), request_deadline=details.get("request_deadline"),
    ))
    event_day = events.add_day(event=event, day=day)
    for start, end in sessions:
        events.add_session(day=event_day, name="", start=start, end=end, slot_minutes=slot_minutes, breaks="")
    if tables:
        events.add_tables(event=event, names=[f"T{i}" for i in range(1, tables + 1)])
    return event


def register(user: User, event, *, organisation: str = "Łomża Social Economy Cluster", country: str = "PL",
             organisation_type: str = "cluster", sectors: tuple[str, ...] = ("social_economy",),
             meeting_mode: str = "onsite", session_ids: tuple[int, ...] | None = None, by_organiser: bool = False,
             **extra):
    if session_ids is None:
        session_ids = tuple(s.id for d in event.days for s in d.sessions)
    return registration.register(user=user, event=event, profile=registration.Profile(
        organisation_name=organisation, organisation_type=organisation_type, country=country,
        region=extra.pop("region", "Podlaskie"), sectors=sectors, meeting_mode=meeting_mode,
        session_ids=session_ids, **extra,
    ), by_organiser=by_organiser)
