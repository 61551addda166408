"""An organiser sets up an event; slots are derived in the event's time zone."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Event, MeetingTable
from matchmaking.services import events
from matchmaking.services.slots import local_slot_times, parse_breaks
from tests.factories import make_user


def test_slots_skip_breaks_and_resume_after_them():
    breaks = parse_breaks("10:30-10:45, 12:00-13:00")

    slots = list(local_slot_times(time(10, 0), time(13, 40), 20, breaks))

    assert [f"{s:%H:%M}" for s, _ in slots] == ["10:00", "10:45", "11:05", "11:25", "13:00", "13:20"]


def test_slots_are_stored_in_utc_from_the_events_zone(ctx):
    organiser = make_user("org@example.org", organiser=True)
    event = events.create_event(organiser=organiser, details=events.EventDetails(
        name="Riga exchange", venue="", description="", timezone="Europe/Riga",
        registration_deadline=None, request_deadline=None))
    # 29 March 2026 is the day Europe switches to summer time.
    winter = events.add_day(event=event, day=date(2026, 3, 28))
    summer = events.add_day(event=event, day=date(2026, 3, 30))
    events.add_session(day=winter, name="", start=time(9, 0), end=time(9, 30), slot_minutes=30, breaks="")
    events.add_session(day=summer, name="", start=time(9, 0), end=time(9, 30), slot_minutes=30, breaks="")

    starts = [slot.starts_at for slot in events.event_slots(event.id)]

    assert starts == [datetime(2026, 3, 28, 7, 0), datetime(2026, 3, 30, 6, 0)]  # UTC+2, then UTC+3
    assert all(s.tzinfo is None for s in starts)


def test_organiser_sets_up_an_event_through_the_pages(app, browser):
    with app.app_context():
        make_user("org@example.org", "Dace Liepiņa", organiser=True)
        db.session.commit()
    browser.login("org@example.org")

    created = browser.post("/organiser/events/new", {
        "name": "Łomża Social Economy Fair", "venue": "Galeria Veneda, Łomża", "description": "Stands and meetings",
        "timezone": "Europe/Warsaw", "registration_deadline": "2030-05-01T18:00", "request_deadline": "",
    })
    assert created.status_code == 302
    with app.app_context():
        event = db.session.scalar(select(Event))
        event_id = event.id
        assert event.registration_deadline == datetime(2030, 5, 1, 16, 0)  # 18:00 in Warsaw (CEST) in UTC
    browser.post(f"/organiser/events/{event_id}/days", {"date": "2030-05-20"})
    with app.app_context():
        day_id = db.session.get(Event, event_id).days[0].id
    browser.post(f"/organiser/events/{event_id}/days/{day_id}/sessions", {
        "name": "Morning", "start": "09:00", "end": "12:00", "slot_minutes": "20", "breaks": "10:30-10:45"})
    browser.post(f"/organiser/events/{event_id}/tables", {"count": "3", "prefix": "Stolik", "names": ""})
    browser.post(f"/organiser/events/{event_id}/tables", {"names": "Stoisko ARLEKIN\nStoisko Poezja Smaku"})

    page = browser.get(f"/organiser/events/{event_id}").get_data(as_text=True)
    assert "7 slots" in page  # 09:00 … 10:00, then 10:45, 11:05, 11:25
    assert "09:00–09:20" in page and "10:45–11:05" in page and "10:30–10:50" not in page
    with app.app_context():
        names = db.session.scalars(select(MeetingTable.name).order_by(MeetingTable.id)).all()
        assert names == ["Stolik 1", "Stolik 2", "Stolik 3", "Stoisko ARLEKIN", "Stoisko Poezja Smaku"]


def test_a_session_overlapping_another_is_refused(ctx):
    organiser = make_user("org@example.org", organiser=True)
    event = events.create_event(organiser=organiser, details=events.EventDetails(
        name="E", venue="", description="", timezone="Europe/Warsaw", registration_deadline=None,
        request_deadline=None))
    day = events.add_day(event=event, day=date(2030, 1, 10))
    events.add_session(day=day, name="", start=time(9, 0), end=time(11, 0), slot_minutes=30, breaks="")

    try:
        events.add_session(day=day, name="", start=time(10, 0), end=time(12, 0), slot_minutes=30, breaks="")
    except events.Conflict as error:
        assert "overlaps the session 09:00-11:00" in error.message
    else:
        raise AssertionError("overlap accepted")


def test_participant_cannot_create_events(app, browser):
    with app.app_context():
        make_user("p@example.org")
        db.session.commit()
    browser.login("p@example.org")

    assert browser.post("/organiser/events/new", {"name": "X", "timezone": "Europe/Riga"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Event)) is None
