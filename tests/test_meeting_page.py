"""The meeting page: who the partner is, the video link, and adding the meeting to one's calendar."""
from __future__ import annotations

import html
from datetime import UTC, datetime, time
from urllib.parse import parse_qs, urlsplit

import icalendar
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.services import meetings
from tests.factories import make_event, make_user, register

VIDEO = "https://meet.example.org/łomża-rokavaldīna?pwd=1&x=2"


def _arrange(app, *, online: bool = False) -> tuple[int, int]:
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, timezone="Europe/Warsaw", sessions=((time(14, 0), time(14, 30)),))
        anna = register(make_user("anna@example.org", "Anna Dąbrowska"), event, organisation="Klaster Łomża",
                        meeting_mode="online" if online else "onsite", video_url=VIDEO if online else "")
        ilze = register(make_user("ilze@example.org", "Ilze Kalniņa"), event, organisation="Rokavaldīna biedrība",
                        country="LV", offer="Study visits, workshops")
        request = meetings.request_meeting(requester=anna, recipient=ilze, message="", online=online)
        meeting = meetings.accept_request(recipient=ilze, request_id=request.id)
        assert meeting.slot_id is not None
        db.session.commit()
        return event.id, meeting.id


def _links(page: str) -> dict[str, str]:
    """The add-to-calendar links of the page, by host."""
    found = {}
    for href in page.split('href="')[1:]:
        url = html.unescape(href.split('"', 1)[0])
        if url.startswith("https://"):
            found[urlsplit(url).hostname] = url
    return found


def test_meeting_page_shows_the_partner_card_and_calendar_links(app, browser):
    event_id, meeting_id = _arrange(app)
    browser.login("anna@example.org")

    page = browser.get(f"/events/{event_id}/meetings/{meeting_id}").get_data(as_text=True)

    assert "Rokavaldīna biedrība" in page and "Ilze Kalniņa" in page and "Latvia" in page
    with app.app_context():
        from matchmaking.models import Meeting
        partner_id = db.session.get(Meeting, meeting_id).participant_b_id
    assert f'href="/events/{event_id}/participants/{partner_id}"' in page
    assert f'href="/events/{event_id}/meetings/{meeting_id}.ics"' in page
    links = _links(page)
    google = parse_qs(urlsplit(links["calendar.google.com"]).query)
    assert google["text"] == ["Meeting: Ilze Kalniņa (Rokavaldīna biedrība)"]
    assert google["dates"] == ["20300520T120000Z/20300520T123000Z"]  # 14:00-14:30 in Warsaw (summer time)
    assert google["location"] == ["T1, Rīga, Latvia"]
    for host in ("outlook.live.com", "outlook.office.com"):
        url = urlsplit(links[host])
        outlook = parse_qs(url.query)
        assert url.path == "/calendar/0/deeplink/compose"
        assert outlook["rru"] == ["addevent"]
        assert outlook["subject"] == ["Meeting: Ilze Kalniņa (Rokavaldīna biedrība)"]
        assert outlook["startdt"] == ["2030-05-20T12:00:00Z"] and outlook["enddt"] == ["2030-05-20T12:30:00Z"]
        assert "Study visits, workshops" in outlook["body"][0]


def test_the_meeting_ics_has_that_one_meeting(app, browser):
    event_id, meeting_id = _arrange(app)
    browser.login("ilze@example.org")

    response = browser.get(f"/events/{event_id}/meetings/{meeting_id}.ics")

    assert response.headers["Content-Disposition"] == f'attachment; filename="meeting-{meeting_id}.ics"'
    [vevent] = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert str(vevent["summary"]) == "Meeting: Anna Dąbrowska (Klaster Łomża)"
    assert vevent.decoded("dtstart").astimezone(UTC) == datetime(2030, 5, 20, 12, 0, tzinfo=UTC)


def test_video_link_is_on_the_page_and_in_the_calendar_description_and_location(app, browser):
    event_id, meeting_id = _arrange(app, online=True)
    browser.login("ilze@example.org")

    page = browser.get(f"/events/{event_id}/meetings/{meeting_id}").get_data(as_text=True)
    [vevent] = icalendar.Calendar.from_ical(
        browser.get(f"/events/{event_id}/meetings/{meeting_id}.ics").data).walk("VEVENT")
    agenda = icalendar.Calendar.from_ical(browser.get(f"/events/{event_id}/agenda.ics").data).walk("VEVENT")

    assert f'class="button" href="{html.escape(VIDEO)}"' in page
    assert str(vevent["location"]) == VIDEO
    assert f"Video call: {VIDEO}" in str(vevent["description"]).splitlines()
    assert [str(v["location"]) for v in agenda] == [VIDEO]
    google = parse_qs(urlsplit(_links(page)["calendar.google.com"]).query)
    assert google["location"] == [VIDEO] and VIDEO in google["details"][0]


def test_the_agenda_shows_the_partner_card(app, browser):
    event_id, _ = _arrange(app, online=True)
    browser.login("ilze@example.org")

    page = browser.get(f"/events/{event_id}/agenda").get_data(as_text=True)

    assert "Klaster Łomża" in page and "Profile of Anna Dąbrowska" in page and "Join the video call" in page


def test_no_calendar_links_for_a_cancelled_meeting(app, browser):
    event_id, meeting_id = _arrange(app)
    browser.login("anna@example.org")
    browser.post(f"/events/{event_id}/meetings/{meeting_id}", {"reason": "Ill"})

    page = browser.get(f"/events/{event_id}/meetings/{meeting_id}").get_data(as_text=True)

    assert "calendar.google.com" not in page and "outlook.office.com" not in page


def test_calendar_links_stay_short_with_a_long_offer(app, browser):
    event_id, meeting_id = _arrange(app)
    with app.app_context():
        from matchmaking.models import Participant, User

        ilze = db.session.scalar(select(Participant).join(User).where(User.email == "ilze@example.org"))
        ilze.offer = "Szkolenia, doradztwo, mentoring. " * 300  # about 10,000 characters
        db.session.commit()
    browser.login("anna@example.org")

    page = browser.get(f"/events/{event_id}/meetings/{meeting_id}").get_data(as_text=True)

    links = _links(page)
    assert all(len(links[host]) < 8000 for host in ("calendar.google.com", "outlook.live.com", "outlook.office.com"))
    assert "Szkolenia, doradztwo" in parse_qs(urlsplit(links["calendar.google.com"]).query)["details"][0]
