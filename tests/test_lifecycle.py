"""The event's lifecycle: registration and requests open and close, the schedule is published."""
from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest

from matchmaking.extensions import db
from matchmaking.models import Event, Participant
from matchmaking.models.base import utcnow
from matchmaking.services import events, meetings
from matchmaking.services.errors import Conflict, ServiceError
from tests.factories import make_user, register

HOUR = timedelta(hours=1)


def test_registration_opens_and_closes_when_the_organiser_said(app, pair):
    with app.app_context():
        event = db.session.get(Event, pair[0])
        user = make_user("late@example.org")
        event.registration_opens_at = utcnow() + HOUR
        with pytest.raises(Conflict, match="has not opened yet"):
            register(user, event)
        event.registration_opens_at, event.registration_deadline = utcnow() - 2 * HOUR, utcnow() - HOUR
        with pytest.raises(Conflict, match="has closed"):
            register(user, event)
        event.registration_deadline = utcnow() + HOUR
        assert register(user, event).status == "approved"


def test_requests_open_and_close_when_the_organiser_said(app, pair):
    with app.app_context():
        event = db.session.get(Event, pair[0])
        a, b = db.session.get(Participant, pair[1]), db.session.get(Participant, pair[2])
        event.requests_open_at = utcnow() + HOUR
        with pytest.raises(Conflict, match="not open yet"):
            meetings.request_meeting(requester=a, recipient=b, message="", online=False)
        event.requests_open_at = utcnow() - HOUR
        assert meetings.request_meeting(requester=a, recipient=b, message="", online=False).status == "pending"


def test_a_deadline_before_its_opening_is_refused(app, pair):
    with app.app_context():
        event = db.session.get(Event, pair[0])
        details = events.EventDetails(name=event.name, venue="", description="", timezone=event.timezone,
                                      registration_deadline=utcnow(), request_deadline=None,
                                      registration_opens_at=utcnow() + HOUR)
        with pytest.raises(ServiceError, match="Registration must close after it opens"):
            events.update_event(event=event, details=details)


def test_the_schedule_stays_hidden_until_it_is_published(app, pair, browser):
    event_id, a_id, b_id = pair
    with app.app_context():
        a, b = db.session.get(Participant, a_id), db.session.get(Participant, b_id)
        request = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
        meeting = meetings.accept_request(recipient=b, request_id=request.id)
        db.session.get(Event, event_id).schedule_published_at = utcnow() + HOUR
        db.session.commit()
        meeting_id = meeting.id
    browser.login("a@example.org")

    agenda = browser.get(f"/events/{event_id}/agenda").get_data(as_text=True)
    ics = icalendar.Calendar.from_ical(browser.get(f"/events/{event_id}/agenda.ics").data)
    detail = browser.get(f"/events/{event_id}/meetings/{meeting_id}").get_data(as_text=True)
    settings = browser.get("/calendar").get_data(as_text=True)
    feed_path = settings.split('id="feed-url" readonly value="')[1].split('"')[0].replace("http://localhost", "")
    feed = icalendar.Calendar.from_ical(browser.get(feed_path).data)

    assert "The schedule will be published on" in agenda and "Mārtiņš Krūmiņš" in agenda
    assert "09:00" not in agenda and "<td>T1</td>" not in agenda
    assert ics.walk("VEVENT") == [] and feed.walk("VEVENT") == []
    assert "The schedule will be published on" in detail and "<p>T1</p>" not in detail
    with app.app_context():
        db.session.get(Event, event_id).schedule_published_at = utcnow() - HOUR
        db.session.commit()
    assert "<td>T1</td>" in browser.get(f"/events/{event_id}/agenda").get_data(as_text=True)
    assert len(icalendar.Calendar.from_ical(browser.get(feed_path).data).walk("VEVENT")) == 1
