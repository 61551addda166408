"""One way to answer a refusal: the page shows what was typed with the reason, or goes back to
the page the button was on; nothing of the change is kept, and success is told only once saved."""
from __future__ import annotations

import html

import pytest
from sqlalchemy.exc import OperationalError

from matchmaking.extensions import db
from matchmaking.models import Participant
from matchmaking.services import meetings
from tests.snapshots import db_snapshot
from tests.test_bad_input import messages

PROFILE = {"organisation_name": "Spółdzielnia Socjalna Łomża", "organisation_type": "social_cooperative",
           "country": "PL", "region": "Podlaskie", "meeting_mode": "onsite", "offer": "Catering dla klastrów",
           "video_url": "http://not-secure.example.org/room"}


def flashes(response) -> list[str]:
    return messages(response)


def test_refused_form_page_shows_the_typed_values_and_the_reason(app, pair, make_browser):
    event_id, _a, _b = pair
    browser = make_browser()
    browser.login("a@example.org")
    before = db_snapshot(app)

    response = browser.post(f"/events/{event_id}/profile", PROFILE)

    assert response.status_code == 200
    assert flashes(response) == ["The video room must be an address starting with https://"]
    page = html.unescape(response.get_data(as_text=True))
    assert 'value="Spółdzielnia Socjalna Łomża"' in page and "Catering dla klastrów" in page
    assert db_snapshot(app) == before


def test_refused_button_goes_back_to_the_page_it_was_on(app, pair, make_browser):
    event_id, a, b = pair
    with app.app_context():
        request = meetings.request_meeting(requester=db.session.get(Participant, a),
                                           recipient=db.session.get(Participant, b), message="", online=False)
        meetings.decline_request(recipient=request.recipient, request_id=request.id)
        db.session.commit()
        request_id = request.id
    browser = make_browser()
    browser.login("b@example.org")
    before = db_snapshot(app)
    requests_page = f"http://localhost/events/{event_id}/requests"

    response = browser.post(f"/events/{event_id}/requests/{request_id}/accept", headers={"Referer": requests_page})

    assert response.status_code == 302 and response.headers["Location"] == f"/events/{event_id}/requests"
    assert flashes(browser.get(response.headers["Location"])) == ["This request has already been answered."]
    assert db_snapshot(app) == before


@pytest.mark.parametrize("referrer", [None, "https://elsewhere.example.com/phish"])
def test_refused_button_without_a_same_site_referrer_goes_to_the_event(app, pair, make_browser, referrer):
    event_id, a, _b = pair
    browser = make_browser()
    browser.login("b@example.org")
    headers = {"Referer": referrer} if referrer else {}

    response = browser.post(f"/events/{event_id}/participants/{a}/request", {"message": "x" * 1001},
                            headers=headers)

    assert response.status_code == 302 and response.headers["Location"] == f"/events/{event_id}"
    shown = flashes(browser.get(response.headers["Location"]))
    assert shown == ["Message: Field cannot be longer than 1000 characters."]


def test_success_is_told_only_once_the_change_is_saved(app, pair, make_browser, monkeypatch):
    event_id, a, b = pair
    with app.app_context():
        request = meetings.request_meeting(requester=db.session.get(Participant, a),
                                           recipient=db.session.get(Participant, b), message="", online=False)
        db.session.commit()
        request_id = request.id
    browser = make_browser()
    browser.login("b@example.org")
    token = browser.token()

    def failing_commit():
        raise OperationalError("COMMIT", {}, Exception("the database went away"))

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # the 500 page, as in production
    monkeypatch.setattr(db.session, "commit", failing_commit)
    response = browser.client.post(f"/events/{event_id}/requests/{request_id}/accept", data={"csrf_token": token})
    monkeypatch.undo()

    assert response.status_code == 500
    assert "Accepted" not in response.get_data(as_text=True)
    assert "Accepted" not in browser.get(f"/events/{event_id}/requests").get_data(as_text=True)
    with app.app_context():
        assert meetings.requests_of(db.session.get(Participant, b))[0][0].status == "pending"
