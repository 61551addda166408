"""Each user's language and display time zone."""
from __future__ import annotations

from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import User
from matchmaking.services import meetings
from tests.factories import PASSWORD, make_event, make_user, register


def test_anonymous_visitor_switches_language_for_the_session(client, browser):
    browser.post("/language", {"locale": "lv", "next": "/login"})

    assert '<html lang="lv">' in browser.get("/login").get_data(as_text=True)
    browser.post("/language", {"locale": "xx", "next": "/login"})  # unknown: ignored
    assert '<html lang="lv">' in browser.get("/login").get_data(as_text=True)


def test_language_chosen_at_sign_up_and_switched_later_is_kept_on_the_account(app, browser):
    browser.post("/signup", {"name": "Żaneta Kowalska", "email": "zaneta@example.org", "password": PASSWORD,
                             "locale": "pl"})
    with app.app_context():
        assert db.session.scalar(select(User.locale)) == "pl"
    browser.login("zaneta@example.org")
    assert '<html lang="pl">' in browser.get("/").get_data(as_text=True)

    browser.post("/language", {"locale": "lv", "next": "/"})

    with app.app_context():
        assert db.session.scalar(select(User.locale)) == "lv"


def test_own_time_zone_shifts_the_agenda_and_mail_times(app, browser):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser)  # Europe/Riga, 09:00
        anna = register(make_user("anna@example.org", "Anna"), event)
        janis = register(make_user("janis@example.org", "Jānis"), event, organisation="Rokavaldīna")
        request = meetings.request_meeting(requester=anna, recipient=janis, message="", online=False)
        meetings.accept_request(recipient=janis, request_id=request.id)
        db.session.commit()
        event_id = event.id
    browser.login("anna@example.org")
    assert "Mon 20 May, 09:00–09:30" in browser.get(f"/events/{event_id}/agenda").get_data(as_text=True)

    browser.post("/account/preferences", {"locale": "en", "timezone": "Europe/Warsaw"})

    agenda = browser.get(f"/events/{event_id}/agenda").get_data(as_text=True)
    assert "Mon 20 May, 08:00–08:30" in agenda and "Times in Europe/Warsaw." in agenda
