"""Marking meetings held or no-show: either side or an organiser, once the meeting has started."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from matchmaking.extensions import db
from matchmaking.models import Meeting
from matchmaking.services import meetings
from matchmaking.services.errors import Conflict
from tests.factories import make_event, make_user, register

PAST_DAY = date(2025, 3, 10)


def _meeting(app, day=PAST_DAY):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        make_user("other-org@example.org", organiser=True)
        event = make_event(organiser, day=day, sessions=((time(9, 0), time(9, 30)),))
        a = register(make_user("a@example.org", "Jūratė Kazlauskienė"), event)
        b = register(make_user("b@example.org", "Tõnu Kask"), event, organisation="Tartu Cluster")
        register(make_user("c@example.org"), event, organisation="Someone Else")
        request = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
        meeting = meetings.accept_request(recipient=b, request_id=request.id)
        db.session.commit()
        return event.id, meeting.id


def _attendance(app, meeting_id):
    with app.app_context():
        return db.session.get(Meeting, meeting_id).attendance


def test_participant_marks_a_past_meeting_held(app, browser):
    event_id, meeting_id = _meeting(app)
    browser.login("b@example.org")

    page = browser.post(f"/events/{event_id}/meetings/{meeting_id}/attendance", {"value": "held"},
                        follow_redirects=True)

    assert "Thank you: attendance recorded." in page.get_data(as_text=True)
    assert _attendance(app, meeting_id) == "held"


def test_organiser_marks_a_no_show_and_can_clear_it(app, browser):
    event_id, meeting_id = _meeting(app)
    browser.login("org@example.org")

    browser.post(f"/organiser/events/{event_id}/meetings/{meeting_id}/attendance", {"value": "no_show"})
    assert _attendance(app, meeting_id) == "no_show"
    browser.post(f"/organiser/events/{event_id}/meetings/{meeting_id}/attendance", {"value": ""})
    assert _attendance(app, meeting_id) is None


@pytest.mark.parametrize("who", ["c@example.org", "other-org@example.org"])
def test_others_cannot_mark_attendance(app, browser, who):
    event_id, meeting_id = _meeting(app)
    browser.login(who)

    as_participant = browser.post(f"/events/{event_id}/meetings/{meeting_id}/attendance", {"value": "held"})
    as_organiser = browser.post(f"/organiser/events/{event_id}/meetings/{meeting_id}/attendance", {"value": "held"})

    assert (as_participant.status_code, as_organiser.status_code) == (404, 404)
    assert _attendance(app, meeting_id) is None


def test_a_future_meeting_cannot_be_marked_yet(app):
    _event_id, meeting_id = _meeting(app, day=date(2030, 5, 20))
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        user = meeting.participant_a.user
        with pytest.raises(Conflict, match="not started yet"):
            meetings.mark_attendance(meeting=meeting, by=user, value="held", now=datetime(2030, 5, 20, 5, 0))
        meetings.mark_attendance(meeting=meeting, by=user, value="held", now=datetime(2030, 5, 20, 6, 0))
        assert meeting.attendance == "held"
