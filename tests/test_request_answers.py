"""Declining with a reason the requester sees; changing the message of a request still pending (pages and API)."""
from __future__ import annotations

import json

from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import MeetingRequest, OutboxMessage
from matchmaking.services import meetings
from tests.test_api import Api, requested, token_for

REASON = "Dziękuję, ale szukamy partnerów z Łomży / Paldies, Rokavaldīna"


def _request(app, request_id: int) -> MeetingRequest:
    with app.app_context():
        found = db.session.get(MeetingRequest, request_id)
        db.session.expunge(found)
        return found


def test_decline_with_a_reason_the_requester_sees_on_the_page_and_in_the_mail(app, make_browser, pair):
    event_id, a, b = pair
    request_id = requested(app, a, b)
    requester, recipient = make_browser(), make_browser()
    requester.login("a@example.org")
    recipient.login("b@example.org")

    declined = recipient.post(f"/events/{event_id}/requests/{request_id}/decline",
                              {f"d{request_id}-reason": REASON}, follow_redirects=True)

    assert "Request declined." in declined.get_data(as_text=True)
    answered = _request(app, request_id)
    assert (answered.status, answered.decline_reason) == ("declined", REASON)
    assert f"Their reason: {REASON}" in requester.get(f"/events/{event_id}/requests").get_data(as_text=True)
    assert f"Your reason: {REASON}" in declined.get_data(as_text=True)
    with app.app_context():
        from matchmaking.mail.compose import compose

        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "request_declined"))
        assert json.loads(mail.payload) == {"request": request_id}
        assert REASON in compose(mail).get_body(("plain",)).get_content()


def test_decline_without_a_reason_still_works(app, make_browser, pair):
    event_id, a, b = pair
    request_id = requested(app, a, b)
    recipient = make_browser()
    recipient.login("b@example.org")

    recipient.post(f"/events/{event_id}/requests/{request_id}/decline")

    assert (_request(app, request_id).status, _request(app, request_id).decline_reason) == ("declined", "")


def test_requester_changes_the_message_of_a_pending_request(app, make_browser, pair):
    event_id, a, b = pair
    request_id = requested(app, a, b)
    requester = make_browser()
    requester.login("a@example.org")
    url = f"/events/{event_id}/requests/{request_id}/message"
    assert f'href="{url}"' in requester.get(f"/events/{event_id}/requests").get_data(as_text=True)
    assert "Labdien!" in requester.get(url).get_data(as_text=True)  # the form holds the message as sent

    saved = requester.post(url, {"message": "Sveiki no Łomży! Tikšanās par kokapstrādi?"}, follow_redirects=True)

    assert "Your message to Mārtiņš Krūmiņš is changed." in saved.get_data(as_text=True)
    assert _request(app, request_id).message == "Sveiki no Łomży! Tikšanās par kokapstrādi?"
    recipient = make_browser()
    recipient.login("b@example.org")
    assert "Tikšanās par kokapstrādi?" in recipient.get(f"/events/{event_id}/requests").get_data(as_text=True)


def test_the_message_of_an_answered_request_stays_and_the_recipient_cannot_change_it(app, make_browser, pair):
    event_id, a, b = pair
    request_id = requested(app, a, b)
    requester, recipient = make_browser(), make_browser()
    requester.login("a@example.org")
    recipient.login("b@example.org")
    url = f"/events/{event_id}/requests/{request_id}/message"

    assert recipient.get(url).status_code == 404
    assert recipient.post(url, {"message": "Not mine"}).status_code == 404
    with app.app_context():
        meetings.decline_request(recipient=db.session.get(MeetingRequest, request_id).recipient, request_id=request_id)
        db.session.commit()
    page = requester.get(url).get_data(as_text=True)
    refused = requester.post(url, {"message": "Too late"}, follow_redirects=True).get_data(as_text=True)

    assert "its message can no longer change" in page and "its message can no longer change" in refused
    assert _request(app, request_id).message == "Labdien!"


def test_api_declines_with_a_reason_and_changes_a_pending_message(app, pair):
    event_id, a, b = pair
    first, second = requested(app, a, b), None
    requester = Api(app.test_client(), token_for(app, "a@example.org"))
    recipient = Api(app.test_client(), token_for(app, "b@example.org"))

    changed = requester.put(f"/api/v1/events/{event_id}/requests/{first}/message", {"message": "Nowa wiadomość"})
    not_mine = recipient.put(f"/api/v1/events/{event_id}/requests/{first}/message", {"message": "x"})
    declined = recipient.post(f"/api/v1/events/{event_id}/requests/{first}/decline", {"reason": REASON})
    too_late = requester.put(f"/api/v1/events/{event_id}/requests/{first}/message", {"message": "Za późno"})
    listed = requester.get(f"/api/v1/events/{event_id}/requests").json

    assert changed.status_code == 200 and changed.json["message"] == "Nowa wiadomość"
    assert not_mine.status_code == 404
    assert declined.status_code == 200 and declined.json["decline_reason"] == REASON
    assert too_late.status_code == 409
    assert [r["decline_reason"] for r in listed["sent"]] == [REASON]
    second = requested(app, a, b)
    plain = recipient.post(f"/api/v1/events/{event_id}/requests/{second}/decline")  # no body: no reason
    assert plain.status_code == 200 and plain.json["decline_reason"] == ""
    too_long = requester.put(f"/api/v1/events/{event_id}/requests/{second}/message", {"message": "ą" * 1001})
    assert too_long.status_code == 422
