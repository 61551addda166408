"""The organiser's lists: participants, meetings, and the unscheduled ones with their reasons."""
from __future__ import annotations

from datetime import time

from matchmaking.extensions import db
from matchmaking.services import meetings
from tests.factories import make_event, make_user, register


def test_organiser_sees_participants_meetings_and_reasons(app, browser):
    with app.app_context():
        organiser = make_user("org@example.org", "Inese Eglīte", organiser=True)
        event = make_event(organiser, sessions=((time(9, 0), time(9, 30)),), tables=1)
        a = register(make_user("a@example.org", "Jędrzej Dąbrowski"), event, organisation="Klaster Meblarski")
        b = register(make_user("b@example.org", "Kadri Mägi"), event, organisation="Tartu Bioeconomy Cluster",
                     country="EE")
        c = register(make_user("c@example.org", "Søren Møller"), event, organisation="Syddansk Cluster", country="DK")
        d = register(make_user("d@example.org", "Åsa Öhman"), event, organisation="Skåne Food", country="SE")
        for x, y in ((a, b), (c, d)):
            request = meetings.request_meeting(requester=x, recipient=y, message="", online=False)
            meetings.accept_request(recipient=y, request_id=request.id)
        db.session.commit()
        event_id = event.id
    browser.login("org@example.org")

    people = browser.get(f"/organiser/events/{event_id}/participants").get_data(as_text=True)
    listing = browser.get(f"/organiser/events/{event_id}/meetings").get_data(as_text=True)

    assert "4 participants" in people
    assert "c@example.org" in people and "Tartu Bioeconomy Cluster" in people
    scheduled, unscheduled = listing.split('id="unscheduled"')
    assert "Jędrzej Dąbrowski (Klaster Meblarski) — Kadri Mägi (Tartu Bioeconomy Cluster)" in scheduled
    assert "<td>T1</td>" in scheduled and "09:00–09:30" in scheduled
    assert "Søren Møller (Syddansk Cluster) — Åsa Öhman (Skåne Food)" in unscheduled
    assert "No table is free in the slots you both have free." in unscheduled
