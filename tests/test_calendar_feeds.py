"""Calendar feeds that clients obey, checked with three independent parsers."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Event, Meeting, Slot
from matchmaking.services import ical, manual_schedule, meetings, programme
from tests.factories import PASSWORD, make_event, make_user, register

# 27 October 2030: Europe/Warsaw leaves summer time at 03:00 (UTC+2 -> UTC+1).
DST_DAYS = (date(2030, 10, 26), date(2030, 10, 27))


def parse_all(body: bytes) -> list[dict]:
    """Each VEVENT as seen by icalendar, ical and vobject: they must agree."""
    text = body.decode("utf-8")
    by_icalendar = icalendar.Calendar.from_ical(body).walk("VEVENT")
    by_ical = IcsCalendarStream.calendar_from_ics(text).events
    by_vobject = list(vobject.readOne(text).vevent_list) if "BEGIN:VEVENT" in text else []
    assert len(by_icalendar) == len(by_ical) == len(by_vobject)
    events = []
    for a, b, c in zip(by_icalendar, by_ical, by_vobject, strict=True):
        start = a.decoded("dtstart").astimezone(UTC)
        assert start == b.dtstart.astimezone(UTC) == c.dtstart.value.astimezone(UTC)
        assert str(a["summary"]) == b.summary == c.summary.value
        assert str(a["uid"]) == b.uid == c.uid.value
        events.append({"uid": str(a["uid"]), "start": start, "end": a.decoded("dtend").astimezone(UTC),
                       "summary": str(a["summary"]), "status": str(a.get("status")),
                       "sequence": int(a.get("sequence", 0)), "location": str(a.get("location", "")),
                       "description": str(a.get("description", "")), "url": str(a.get("url", "")),
                       "last_modified": a.decoded("last-modified") if "last-modified" in a else None})
    return events


@pytest.fixture
def world(app):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, timezone="Europe/Warsaw", day=DST_DAYS[0], tables=2,
                           sessions=((time(14, 0), time(15, 0)),))
        from matchmaking.services import events as event_service

        day2 = event_service.add_day(event=event, day=DST_DAYS[1])
        event_service.add_session(day=day2, name="", start=time(14, 0), end=time(15, 0), slot_minutes=30, breaks="")
        event.tables[0].location = "Hala B, piętro 1"
        anna = register(make_user("anna@example.org", "Anna Dąbrowska"), event, organisation="Klaster Łomża",
                        offer="Szkolenia; doradztwo, mentoring")
        ilze = register(make_user("ilze@example.org", "Ilze Kalniņa"), event, organisation="Rokavaldīna biedrība",
                        country="LV", offer="Study visits 🚌, workshops", seek="Partners; Interreg")
        visit = programme.add_session(event=event, details=programme.SessionDetails(
            kind="online", title="Preparatory call", day=date(2030, 10, 20), start=time(10, 0), end=time(11, 0),
            video_url="https://meet.example.org/prep"))
        request = meetings.request_meeting(requester=anna, recipient=ilze, message="", online=False)
        meeting = meetings.accept_request(recipient=ilze, request_id=request.id)
        db.session.commit()
        return SimpleNamespace(event=event.id, meeting=meeting.id, anna=anna.id, ilze=ilze.id, visit=visit.id,
                               day2_slot=day2.sessions[0].slots[0].id, table2=event.tables[1].id)


def _feed_path(browser) -> str:
    page = browser.get("/calendar").get_data(as_text=True)
    return page.split('id="feed-url" readonly value="')[1].split('"')[0].replace("http://localhost", "")


def test_feed_instants_match_the_database_across_the_dst_change(app, world, browser):
    browser.login("anna@example.org")
    path = _feed_path(browser)
    before = {e["uid"]: e for e in parse_all(browser.get(path).data)}
    with app.app_context():
        manual_schedule.move_meeting(event=db.session.get(Event, world.event), meeting_id=world.meeting,
                                     slot_id=world.day2_slot, table_id=world.table2)
        db.session.commit()
        slot = db.session.get(Slot, world.day2_slot)
        expected_start = slot.starts_at.replace(tzinfo=UTC)

    after = {e["uid"]: e for e in parse_all(browser.get(path).data)}

    uid = f"meeting-{world.meeting}@matchmaking"
    assert before[uid]["start"] == datetime(2030, 10, 26, 12, 0, tzinfo=UTC)  # 14:00 CEST
    assert after[uid]["start"] == expected_start == datetime(2030, 10, 27, 13, 0, tzinfo=UTC)  # 14:00 CET
    assert (before[uid]["sequence"], after[uid]["sequence"]) == (0, 1)
    assert after[uid]["last_modified"] >= before[uid]["last_modified"]
    assert after[uid]["location"] == "T2, Rīga, Latvia"
    assert before[uid]["location"] == "T1, Hala B, piętro 1, Rīga, Latvia"


def test_feed_keeps_a_cancelled_meeting_as_cancelled(app, world, browser):
    browser.login("ilze@example.org")
    path = _feed_path(browser)
    browser.post(f"/events/{world.event}/meetings/{world.meeting}", {"reason": "Lidojums atcelts"})

    [cancelled] = [e for e in parse_all(browser.get(path).data) if e["uid"].startswith("meeting-")]

    assert cancelled["status"] == "CANCELLED" and cancelled["sequence"] == 1
    assert cancelled["description"].startswith("Cancelled: Lidojums atcelts")


def test_cancelled_meetings_leave_the_feed_once_the_event_is_over(app, world, browser):
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting)
        meetings.cancel(meeting=meeting, by=None, reason="x")
        for slot in db.session.scalars(select(Slot)):
            slot.starts_at -= timedelta(days=3650)
            slot.ends_at -= timedelta(days=3650)
        db.session.commit()
    browser.login("anna@example.org")

    assert [e for e in parse_all(browser.get(_feed_path(browser)).data) if e["uid"].startswith("meeting-")] == []


def test_feed_headers_and_conditional_get(app, world, browser):
    browser.login("anna@example.org")
    path = _feed_path(browser)

    first = browser.get(path)
    again = browser.get(path, headers={"If-None-Match": first.headers["ETag"]})

    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert again.status_code == 304 and again.data == b""
    body = first.data.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body and "X-PUBLISHED-TTL:PT1H" in body
    assert "ORGANIZER" not in body and "ATTENDEE" not in body
    assert "BEGIN:VTIMEZONE" in body and "TZID:Europe/Warsaw" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_programme_sessions_in_the_personal_and_the_public_feed(app, world, browser):
    browser.login("anna@example.org")

    personal = parse_all(browser.get(_feed_path(browser)).data)
    public = parse_all(browser.get(f"/events/{world.event}/programme.ics").data)

    prep = [e for e in personal if e["uid"] == f"programme-{world.visit}@matchmaking"]
    assert len(prep) == 1 and prep[0]["url"] == "https://meet.example.org/prep"
    assert prep[0]["start"] == datetime(2030, 10, 20, 8, 0, tzinfo=UTC)
    assert [e["summary"] for e in public] == ["Online meeting: Preparatory call"]


def test_single_meeting_ics_download(app, world, browser):
    browser.login("ilze@example.org")

    [event] = parse_all(browser.get(f"/events/{world.event}/meetings/{world.meeting}.ics").data)

    assert event["summary"] == "Meeting: Anna Dąbrowska (Klaster Łomża)"
    assert "Szkolenia; doradztwo, mentoring" in event["description"]


def test_password_change_rotates_the_feed_and_ends_other_sessions(app, world, browser, make_browser):
    browser.login("anna@example.org")
    other_device = make_browser()
    other_device.login("anna@example.org")
    old = _feed_path(browser)

    changed = browser.post("/account/password", {"current": PASSWORD, "new": "a brand new passphrase"},
                           follow_redirects=True)

    assert "Your password is changed." in changed.get_data(as_text=True)
    assert browser.get(old).status_code == 404
    assert browser.get(_feed_path(browser)).status_code == 200
    assert other_device.get("/calendar").status_code == 302
    wrong = browser.post("/account/password", {"current": "not it at all", "new": "another new passphrase"},
                         follow_redirects=True)
    assert "The current password is not right." in wrong.get_data(as_text=True)


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(
    list("ąćęłńóśźżĄĆĘŁŃÓŚŹŻāčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ,;:\\\n🙂🇱🇻 ")), min_size=1, max_size=400)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TEXT.filter(lambda s: s.strip()), organisation=TEXT, offer=TEXT, seek=TEXT)
@example(name="\ufeff", organisation="\ufeffŁomża", offer="\ufeff", seek="x")  # once found: a name of a lone U+FEFF
def test_any_text_survives_three_parsers(name, organisation, offer, seek):
    """Polish, Latvian, emoji, commas, semicolons, newlines and long lines come back as they went in."""
    event = SimpleNamespace(name="Brokerage", timezone="Europe/Riga", venue="Rīga")
    me = SimpleNamespace(id=1, event=event)
    partner = SimpleNamespace(name=name, organisation_name=organisation, offer=offer, seek=seek,
                              user=SimpleNamespace(email="partner@example.org"), phone="+371 6700 1234",
                              website="https://example.lv/", linkedin="")
    slot = SimpleNamespace(starts_at=datetime(2030, 3, 30, 23, 30), ends_at=datetime(2030, 3, 31, 0, 0))
    meeting = SimpleNamespace(id=7, updated_at=datetime(2030, 1, 1), sequence=3, slot=slot, online=True, table=None,
                              cancelled_at=None, cancel_reason="", other=lambda _pid: partner, is_live=True,
                              participant_a_id=1, participant_b_id=2,
                              video_url="https://meet.example.org/ł?room=1,2;3")
    labels = ical.CalendarLabels(summary="{name} ({organisation})", with_="{name}, {organisation}", event="{event}",
                                 offers="O: {text}", seeks="S: {text}", online="Online", cancelled="C: {reason}")

    body = ical.calendar_document([ical.meeting_vevent(meeting, me, "example.org", labels)], name="x", feed=True)
    [parsed] = parse_all(body)

    # iCalendar has one newline; an invisible U+FEFF (read as a byte-order mark by parsers) is dropped
    normalised = lambda s: s.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")  # noqa: E731
    assert parsed["summary"] == normalised(f"{name} ({organisation})")
    assert normalised(f"O: {offer}") in parsed["description"]
    assert parsed["start"] == datetime(2030, 3, 30, 23, 30, tzinfo=UTC)
    assert parsed["url"] == "https://meet.example.org/ł?room=1,2;3"
    assert all(len(line.encode()) <= 75 for line in body.decode().split("\r\n"))
    assert re.search(rb"DTSTART;TZID=Europe/Riga:20310331T0", body) is None  # not shifted by the DST gap


def test_a_partners_profile_change_updates_the_calendar_entry(app, world, browser):
    browser.login("anna@example.org")
    path = _feed_path(browser)
    [before] = [e for e in parse_all(browser.get(path).data) if e["uid"].startswith("meeting-")]
    with app.app_context():
        from matchmaking.models import Participant
        from matchmaking.services import registration

        ilze = db.session.get(Participant, world.ilze)
        registration.update_profile(participant=ilze, profile=registration.Profile(
            organisation_name=ilze.organisation_name, organisation_type="ngo", country="LV",
            offer="Mentoring for social cooperatives", session_ids=tuple(s.id for s in ilze.sessions)))
        db.session.commit()

    [after] = [e for e in parse_all(browser.get(path).data) if e["uid"].startswith("meeting-")]

    assert (before["sequence"], after["sequence"]) == (0, 1)
    assert "Mentoring for social cooperatives" in after["description"]


def test_online_meeting_carries_the_video_room_in_url_location_and_description(app, world, browser):
    """Outlook and Google Calendar ignore URL: the link must be in LOCATION and DESCRIPTION too."""
    with app.app_context():
        from matchmaking.models import Participant

        anna, ilze = db.session.get(Participant, world.anna), db.session.get(Participant, world.ilze)
        anna.video_url = "https://meet.example.org/klaster-lomza"
        meetings.cancel(meeting=db.session.get(Meeting, world.meeting), by=None, reason="online instead")
        request = meetings.request_meeting(requester=anna, recipient=ilze, message="", online=True)
        online = meetings.accept_request(recipient=ilze, request_id=request.id)
        db.session.commit()
        online_id = online.id
    browser.login("ilze@example.org")

    [event] = parse_all(browser.get(f"/events/{world.event}/meetings/{online_id}.ics").data)

    assert (event["url"], event["location"]) == ("https://meet.example.org/klaster-lomza",) * 2
    assert "Video call: https://meet.example.org/klaster-lomza" in event["description"].splitlines()


def test_agenda_download_agrees_across_parsers_and_includes_programme(app, world, browser):
    browser.login("anna@example.org")

    events = parse_all(browser.get(f"/events/{world.event}/agenda.ics").data)

    assert {e["uid"] for e in events} == {f"meeting-{world.meeting}@matchmaking",
                                          f"programme-{world.visit}@matchmaking"}
    meeting = next(e for e in events if e["uid"].startswith("meeting-"))
    assert meeting["start"] == datetime(2030, 10, 26, 12, 0, tzinfo=UTC)
