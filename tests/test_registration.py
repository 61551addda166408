"""Registering for an event with an organisation profile, and editing it."""
from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Event, Participant
from matchmaking.models.base import utcnow
from tests.factories import make_event, make_user


def _setup(app):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, sessions=((time(9, 0), time(10, 0)), (time(14, 0), time(15, 0))))
        make_user("coop@example.org", "Żaneta Wójcik")
        db.session.commit()
        return event.id, [s.id for s in event.days[0].sessions]


def test_register_with_profile_then_edit_it(app, browser):
    event_id, (morning, afternoon) = _setup(app)
    browser.login("coop@example.org")
    form = {"organisation_name": "Spółdzielnia Socjalna POEZJA SMAKU", "organisation_type": "social_cooperative",
            "country": "PL", "region": "Podlaskie", "sectors": ["social_economy", "agrifood"],
            "description": "Catering i szkolenia", "offer": "Catering for events", "seek": "Buyers",
            "meeting_mode": "both", "sessions": [str(afternoon)]}

    registered = browser.post(f"/events/{event_id}/register", form)
    browser.post(f"/events/{event_id}/profile", dict(form, region="Łomża", sectors=["tourism"],
                                                     sessions=[str(morning), str(afternoon)]))

    assert registered.status_code == 302
    with app.app_context():
        participant = db.session.scalar(select(Participant))
        assert participant.organisation_name == "Spółdzielnia Socjalna POEZJA SMAKU"
        assert (participant.region, participant.sectors, participant.meeting_mode) == ("Łomża", ["tourism"], "both")
        assert sorted(s.id for s in participant.sessions) == [morning, afternoon]
    page = browser.get(f"/events/{event_id}/participants/{participant.id}").get_data(as_text=True)
    assert "Tourism" in page and "Łomża" in page and "Catering for events" in page


def test_registration_closes_at_the_deadline(app, browser):
    event_id, _ = _setup(app)
    with app.app_context():
        db.session.get(Event, event_id).registration_deadline = utcnow() - timedelta(hours=1)
        db.session.commit()
    browser.login("coop@example.org")

    response = browser.post(f"/events/{event_id}/register", {
        "organisation_name": "Late", "organisation_type": "ngo", "country": "LV", "meeting_mode": "onsite"})

    assert "Registration for this event has closed." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Participant)) is None


def test_the_country_is_empty_until_chosen(app, browser):
    """No country is preselected (the alphabet's first, Austria, was a wrong guess for most), and
    registering without one asks for it, keeping what was typed."""
    event_id, (morning, _afternoon) = _setup(app)
    browser.login("coop@example.org")

    page = browser.get(f"/events/{event_id}/register").get_data(as_text=True)
    refused = browser.post(f"/events/{event_id}/register", {
        "organisation_name": "Spółdzielnia Łomża", "organisation_type": "social_cooperative", "country": "",
        "sectors": ["social_economy"], "offer": "Catering", "meeting_mode": "both", "sessions": [str(morning)]})

    first = page[page.index('id="country"'):].split("</option>")[0]
    assert 'value=""' in first and "selected" not in first.split("<option")[0]
    assert "Choose a country…" in first
    assert refused.status_code == 200 and "Spółdzielnia Łomża" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Participant)) is None
