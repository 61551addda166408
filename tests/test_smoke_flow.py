"""The newcomer's journey of the README: request, accept, both agendas, the .ics."""
from __future__ import annotations

from datetime import UTC, datetime

import icalendar

from matchmaking.extensions import db
from tests.factories import make_event, make_user, register


def test_request_accept_agenda_and_ics_end_to_end(app, make_browser):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser)
        anna = register(make_user("anna@example.org", "Anna Wiśniewska"), event, organisation="Klaster Łomża")
        janis = register(make_user("janis@example.org", "Jānis Bērziņš"), event, organisation="Rokavaldīna SIA",
                         country="LV")
        ids = event.id, anna.id, janis.id
        db.session.commit()
    event_id, _anna_id, janis_id = ids

    anna_browser = make_browser()
    anna_browser.login("anna@example.org")
    page = anna_browser.get(f"/events/{event_id}/participants?q=rokavaldina")
    assert "Rokavaldīna SIA" in page.get_data(as_text=True)
    sent = anna_browser.post(f"/events/{event_id}/participants/{janis_id}/request", {"message": "Sveiki!"})
    assert sent.status_code == 302

    janis_browser = make_browser()
    janis_browser.login("janis@example.org")
    requests_page = janis_browser.get(f"/events/{event_id}/requests").get_data(as_text=True)
    assert "Anna Wiśniewska" in requests_page and "Sveiki!" in requests_page
    with app.app_context():
        from matchmaking.models import MeetingRequest

        request_id = db.session.scalar(db.select(MeetingRequest.id))
    accepted = janis_browser.post(f"/events/{event_id}/requests/{request_id}/accept")
    assert accepted.status_code == 302

    for who, partner in ((anna_browser, "Jānis Bērziņš"), (janis_browser, "Anna Wiśniewska")):
        agenda = who.get(f"/events/{event_id}/agenda").get_data(as_text=True)
        assert partner in agenda
        assert "09:00" in agenda and "<td>T1</td>" in agenda  # Riga local time of the first slot, first table

    ics = anna_browser.get(f"/events/{event_id}/agenda.ics")
    assert ics.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(ics.data)
    [vevent] = calendar.walk("VEVENT")
    # 09:00 in Riga on 20 May 2030 (summer time, UTC+3) is 06:00 UTC.
    assert vevent.decoded("dtstart").astimezone(UTC) == datetime(2030, 5, 20, 6, 0, tzinfo=UTC)
    assert "Jānis Bērziņš" in str(vevent["summary"])
    assert "T1" in str(vevent["location"])
