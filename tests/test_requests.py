"""Meeting requests: send, accept, decline, withdraw, cancel; one open request per pair."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from matchmaking.extensions import db
from matchmaking.models import MeetingRequest
from matchmaking.models.base import utcnow
from matchmaking.services import meetings
from matchmaking.services.errors import Conflict


def _request_id(app):
    with app.app_context():
        return db.session.scalar(select(MeetingRequest.id).order_by(MeetingRequest.id.desc()))


def _status(app, request_id):
    with app.app_context():
        return db.session.get(MeetingRequest, request_id).status


def test_request_then_decline(app, make_browser, pair):
    event_id, _a_id, b_id = pair
    a, b = make_browser(), make_browser()
    a.login("a@example.org")
    b.login("b@example.org")
    a.post(f"/events/{event_id}/participants/{b_id}/request", {"message": "Cześć! Labdien!", "online": "y"})
    request_id = _request_id(app)

    declined = b.post(f"/events/{event_id}/requests/{request_id}/decline", follow_redirects=True)

    assert "Request declined." in declined.get_data(as_text=True)
    assert _status(app, request_id) == "declined"
    sent_page = a.get(f"/events/{event_id}/requests").get_data(as_text=True)
    assert "Declined" in sent_page and "Cześć! Labdien!" in sent_page


def test_requester_withdraws_and_may_ask_again(app, browser, pair):
    event_id, _a_id, b_id = pair
    browser.login("a@example.org")
    browser.post(f"/events/{event_id}/participants/{b_id}/request", {"message": "1"})
    first = _request_id(app)

    browser.post(f"/events/{event_id}/requests/{first}/withdraw")
    again = browser.post(f"/events/{event_id}/participants/{b_id}/request", {"message": "2"})

    assert _status(app, first) == "withdrawn"
    assert again.status_code == 302 and _request_id(app) != first


def test_only_the_recipient_can_accept(app, browser, pair):
    event_id, _a_id, b_id = pair
    browser.login("a@example.org")
    browser.post(f"/events/{event_id}/participants/{b_id}/request", {"message": ""})
    request_id = _request_id(app)

    response = browser.post(f"/events/{event_id}/requests/{request_id}/accept")

    assert response.status_code == 404 and _status(app, request_id) == "pending"


def test_one_open_request_per_pair_in_either_direction(app, make_browser, pair):
    event_id, a_id, b_id = pair
    a, b = make_browser(), make_browser()
    a.login("a@example.org")
    b.login("b@example.org")
    a.post(f"/events/{event_id}/participants/{b_id}/request", {"message": "first"})

    reverse = b.post(f"/events/{event_id}/participants/{a_id}/request", {"message": "second"}, follow_redirects=True)

    assert "There is already an open request or meeting between you two." in reverse.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MeetingRequest)) == 1


def test_database_refuses_a_second_open_request_for_a_pair(app, pair):
    event_id, a_id, b_id = pair
    row = {"event_id": event_id, "requester_id": a_id, "recipient_id": b_id, "pair_low_id": min(a_id, b_id),
           "pair_high_id": max(a_id, b_id), "message": "", "online": False, "status": "pending",
           "created_at": utcnow()}
    with app.app_context():
        db.session.execute(insert(MeetingRequest).values(**row))
        with pytest.raises(IntegrityError):
            db.session.execute(insert(MeetingRequest).values(**dict(row, status="accepted")))
        db.session.rollback()


def test_requests_close_at_the_deadline(app, pair):
    event_id, a_id, b_id = pair
    with app.app_context():
        from matchmaking.models import Event, Participant

        db.session.get(Event, event_id).request_deadline = utcnow() - timedelta(minutes=1)
        a, b = db.session.get(Participant, a_id), db.session.get(Participant, b_id)
        with pytest.raises(Conflict, match="deadline for meeting requests has passed"):
            meetings.request_meeting(requester=a, recipient=b, message="", online=False)


def test_either_side_cancels_with_a_reason_the_other_sees(app, make_browser, pair):
    event_id, _a_id, b_id = pair
    a, b = make_browser(), make_browser()
    a.login("a@example.org")
    b.login("b@example.org")
    a.post(f"/events/{event_id}/participants/{b_id}/request", {"message": ""})
    b.post(f"/events/{event_id}/requests/{_request_id(app)}/accept")
    with app.app_context():
        from matchmaking.models import Meeting

        meeting_id = db.session.scalar(select(Meeting.id))

    missing_reason = b.post(f"/events/{event_id}/meetings/{meeting_id}", {"reason": ""})
    b.post(f"/events/{event_id}/meetings/{meeting_id}", {"reason": "Lidojums atcelts"})

    assert "This field is required." in missing_reason.get_data(as_text=True)
    seen_by_a = a.get(f"/events/{event_id}/meetings/{meeting_id}").get_data(as_text=True)
    assert "Cancelled" in seen_by_a and "Lidojums atcelts" in seen_by_a
    assert _status(app, _request_id(app)) == "cancelled"
