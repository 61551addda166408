"""The agenda as .ics and as a private subscription feed."""
from __future__ import annotations

from datetime import UTC, date, datetime, time

import icalendar
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Meeting
from matchmaking.services import meetings
from tests.factories import make_event, make_user, register


def _arrange(app, *, timezone="Europe/Warsaw", day=date(2030, 10, 27)):
    """Two participants with a scheduled meeting; 27 Oct 2030 is the first day of winter time."""
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, timezone=timezone, day=day, sessions=((time(14, 0), time(14, 30)),))
        anna = register(make_user("anna@example.org", "Anna Dąbrowska"), event, organisation="Klaster Łomża",
                        offer="Szkolenia; doradztwo, mentoring")
        ilze = register(make_user("ilze@example.org", "Ilze Kalniņa"), event, organisation="Rokavaldīna biedrība",
                        country="LV", offer="Study visits, workshops", seek="Partners for Interreg")
        request = meetings.request_meeting(requester=anna, recipient=ilze, message="", online=False)
        meeting = meetings.accept_request(recipient=ilze, request_id=request.id)
        db.session.commit()
        return event.id, meeting.id


def _events(body: bytes):
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def test_agenda_ics_has_the_right_instant_location_and_partner(app, browser):
    event_id, meeting_id = _arrange(app)
    browser.login("anna@example.org")

    response = browser.get(f"/events/{event_id}/agenda.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    [vevent] = _events(response.data)
    assert vevent.decoded("dtstart").astimezone(UTC) == datetime(2030, 10, 27, 13, 0, tzinfo=UTC)  # 14:00 CET
    assert vevent.decoded("dtend").astimezone(UTC) == datetime(2030, 10, 27, 13, 30, tzinfo=UTC)
    assert vevent["dtstart"].params["TZID"] == "Europe/Warsaw"
    assert str(vevent["uid"]) == f"meeting-{meeting_id}@matchmaking"
    assert str(vevent["location"]) == "T1, Rīga, Latvia"
    assert str(vevent["summary"]) == "Meeting: Ilze Kalniņa (Rokavaldīna biedrība)"
    assert "Study visits, workshops" in str(vevent["description"])
    assert b"BEGIN:VTIMEZONE" in response.data and b"TZID:Europe/Warsaw" in response.data


def test_uid_stays_the_same_in_both_agendas_and_the_feed(app, make_browser):
    event_id, meeting_id = _arrange(app)
    anna, ilze = make_browser(), make_browser()
    anna.login("anna@example.org")
    ilze.login("ilze@example.org")
    feed_url = ilze.get("/calendar").get_data(as_text=True).split('id="feed-url" readonly value="')[1].split('"')[0]

    uids = {str(_events(anna.get(f"/events/{event_id}/agenda.ics").data)[0]["uid"]),
            str(_events(ilze.get(f"/events/{event_id}/agenda.ics").data)[0]["uid"]),
            str(_events(make_browser().get(feed_url.replace("http://localhost", "")).data)[0]["uid"])}

    assert uids == {f"meeting-{meeting_id}@matchmaking"}


def test_feed_works_without_login_and_stops_when_revoked(app, browser, make_browser):
    _arrange(app)
    browser.login("ilze@example.org")
    page = browser.get("/calendar").get_data(as_text=True)
    feed_path = page.split('id="feed-url" readonly value="')[1].split('"')[0].replace("http://localhost", "")
    assert "webcal://localhost/calendar/feed/" in page

    anonymous = make_browser()
    [vevent] = _events(anonymous.get(feed_path).data)
    assert "Anna Dąbrowska" in str(vevent["summary"])

    browser.post("/calendar")
    assert anonymous.get(feed_path).status_code == 404
    new_page = browser.get("/calendar").get_data(as_text=True)
    new_path = new_page.split('id="feed-url" readonly value="')[1].split('"')[0].replace("http://localhost", "")
    assert new_path != feed_path and anonymous.get(new_path).status_code == 200


def test_cancelled_meeting_leaves_the_calendar(app, browser):
    event_id, meeting_id = _arrange(app)
    browser.login("anna@example.org")

    cancelled = browser.post(f"/events/{event_id}/meetings/{meeting_id}", {"reason": "Choroba / slimība"},
                             follow_redirects=True)

    assert _events(browser.get(f"/events/{event_id}/agenda.ics").data) == []
    with app.app_context():
        meeting = db.session.scalar(select(Meeting))
        assert meeting.cancel_reason == "Choroba / slimība" and meeting.sequence == 1
    assert "The meeting is cancelled; Ilze Kalniņa can see your reason." in cancelled.get_data(as_text=True)
    assert "No meetings scheduled yet." in browser.get(f"/events/{event_id}/agenda").get_data(as_text=True)


def test_a_polish_users_feed_is_in_polish(app, browser, make_browser):
    """The calendar app polls without a session or a language of its own: the feed speaks its owner's."""
    _arrange(app)
    with app.app_context():
        from matchmaking.models import User

        db.session.scalar(select(User).where(User.email == "anna@example.org")).locale = "pl"
        db.session.commit()
    browser.login("anna@example.org")
    feed_path = browser.get("/calendar").get_data(as_text=True).split(
        'id="feed-url" readonly value="')[1].split('"')[0].replace("http://localhost", "")

    body = make_browser().get(feed_path, headers={"Accept-Language": "en-GB,en;q=0.9"}).data

    [vevent] = _events(body)
    assert str(vevent["summary"]) == "Spotkanie: Ilze Kalniņa (Rokavaldīna biedrība)"
    assert "Wydarzenie: Baltic Cluster Brokerage" in str(vevent["description"])
    assert str(icalendar.Calendar.from_ical(body)["x-wr-calname"]) == "Moje spotkania na giełdzie kooperacyjnej"
