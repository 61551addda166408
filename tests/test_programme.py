"""Programme sessions and table places: a two-day exchange visit, chosen sessions keep meetings out,
closed tables stay closed."""
from __future__ import annotations

import re
from datetime import date, time

import pytest
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Event, Meeting, MeetingTable, Participant, ProgrammeSession
from matchmaking.services import agenda, events, meetings, programme, scheduling_runs
from matchmaking.services.errors import Conflict, ServiceError
from tests.factories import make_event, make_user, register

DAY_ONE, DAY_TWO = date(2030, 6, 12), date(2030, 6, 13)
FLASH = re.compile(r'<div class="flash (?:error|success)" role="status">([^<]*)</div>')


@pytest.fixture
def visit(app):
    """Tarnów exchange: an online preparatory meeting a week before, workshops on day one (with a
    meeting session), study visits on day two."""
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, name="Tarnów exchange visit", timezone="Europe/Warsaw", day=DAY_ONE,
                           sessions=((time(9, 0), time(11, 0)),), tables=2)
        sessions = {
            "prep": programme.add_session(event=event, details=programme.SessionDetails(
                kind="online", title="Preparatory meeting", day=date(2030, 6, 5), start=time(10, 0),
                end=time(11, 0), video_url="https://meet.example.org/tarnow")),
            "workshop": programme.add_session(event=event, details=programme.SessionDetails(
                kind="workshop", title="Incubators and clusters", day=DAY_ONE, start=time(9, 0), end=time(10, 0),
                place="Sala A", signup=True)),
            "visit": programme.add_session(event=event, details=programme.SessionDetails(
                kind="study_visit", title="Science centre", day=DAY_TWO, start=time(9, 0), end=time(12, 0),
                place="Tarnów science centre", signup=True)),
        }
        anna = register(make_user("anna@example.org", "Anna Wiśniewska"), event, organisation="Klaster Łomża")
        janis = register(make_user("janis@example.org", "Jānis Bērziņš"), event, organisation="Rokavaldīna")
        karl = register(make_user("karl@example.org", "Karl Tamm"), event, organisation="Tartu Textiles")
        db.session.commit()
        return {"event": event.id, "anna": anna.id, "janis": janis.id, "karl": karl.id,
                **{k: s.id for k, s in sessions.items()}}


def _get(model, pk):
    return db.session.get(model, pk)


def test_a_chosen_workshop_keeps_meetings_out_of_its_time(app, visit):
    with app.app_context():
        anna, janis = _get(Participant, visit["anna"]), _get(Participant, visit["janis"])
        programme.choose(participant=anna, session=_get(ProgrammeSession, visit["workshop"]))
        request = meetings.request_meeting(requester=janis, recipient=anna, message="", online=False)
        meeting = meetings.accept_request(recipient=anna, request_id=request.id)

        assert meeting.slot.starts_at.hour == 8  # 10:00 in Warsaw (CEST): after the workshop, not at 09:00


def test_choosing_a_session_that_clashes_with_a_meeting_is_refused(app, visit):
    with app.app_context():
        anna, janis = _get(Participant, visit["anna"]), _get(Participant, visit["janis"])
        request = meetings.request_meeting(requester=janis, recipient=anna, message="", online=False)
        meetings.accept_request(recipient=anna, request_id=request.id)  # 09:00

        with pytest.raises(Conflict, match="You have a meeting with Jānis Bērziņš"):
            programme.choose(participant=anna, session=_get(ProgrammeSession, visit["workshop"]))
        with pytest.raises(ServiceError, match="for everyone"):
            programme.choose(participant=anna, session=_get(ProgrammeSession, visit["prep"]))


def test_agenda_merges_sessions_and_meetings_in_time_order(app, visit, browser):
    browser.login("anna@example.org")
    chose = browser.post(f"/events/{visit['event']}/programme/{visit['visit']}/choose", follow_redirects=True)
    assert FLASH.findall(chose.get_data(as_text=True)) == [
        "You attend Science centre; no meeting will be scheduled for you then."]
    browser.post(f"/events/{visit['event']}/programme/{visit['workshop']}/choose", follow_redirects=True)
    with app.app_context():
        anna, karl = _get(Participant, visit["anna"]), _get(Participant, visit["karl"])
        request = meetings.request_meeting(requester=karl, recipient=anna, message="", online=False)
        meetings.accept_request(recipient=anna, request_id=request.id)
        db.session.commit()

    page = browser.get(f"/events/{visit['event']}/agenda").get_data(as_text=True)

    order = [page.index(text) for text in ("Preparatory meeting", "Incubators and clusters", "Karl Tamm",
                                           "Science centre")]
    assert order == sorted(order)
    assert "https://meet.example.org/tarnow" in page and "Wed 12 Jun, 10:00–10:30" in page


def test_organiser_adds_and_removes_programme_sessions(app, visit, browser):
    browser.login("org@example.org")
    added = browser.post(f"/organiser/events/{visit['event']}/programme", {
        "kind": "networking", "title": "Kolacja / Dinner", "day": "2030-06-12", "start": "19:00", "end": "22:00",
        "place": "Ratusz"}, follow_redirects=True)
    refused = browser.post(f"/organiser/events/{visit['event']}/programme", {
        "kind": "party", "title": "X", "day": "2030-06-12", "start": "22:00", "end": "19:00",
        "video_url": "javascript:alert(1)"}, follow_redirects=True)

    assert "Programme session added." in FLASH.findall(added.get_data(as_text=True))
    assert set(FLASH.findall(refused.get_data(as_text=True))) == {
        "Kind: Not a valid choice.", "Ends: The session must end after it starts."}
    with app.app_context():
        dinner = db.session.scalar(select(ProgrammeSession).where(ProgrammeSession.kind == "networking"))
        assert (dinner.title, dinner.starts_at.hour) == ("Kolacja / Dinner", 17)
        dinner_id = dinner.id
    browser.post(f"/organiser/events/{visit['event']}/programme/{dinner_id}/delete")
    with app.app_context():
        assert _get(ProgrammeSession, dinner_id) is None


def test_organiser_edits_a_programme_session_and_attendees_calendars_follow(app, visit, browser, make_browser):
    with app.app_context():
        workshop = _get(ProgrammeSession, visit["workshop"])
        programme.choose(participant=_get(Participant, visit["anna"]), session=workshop)
        db.session.commit()
    browser.login("org@example.org")
    url = f"/organiser/events/{visit['event']}/programme/{visit['workshop']}"
    form = browser.get(url).get_data(as_text=True)
    assert 'value="Incubators and clusters"' in form and 'value="2030-06-12"' in form and 'value="09:00"' in form
    assert f'href="{url}"' in browser.get(f"/organiser/events/{visit['event']}").get_data(as_text=True)

    saved = browser.post(url, {"kind": "workshop", "title": "Inkubatory i klastry", "day": "2030-06-12",
                               "start": "09:30", "end": "10:30", "place": "Sala B, Łomża", "signup": "y",
                               "title_lv": "Inkubatori un klasteri"}, follow_redirects=True)
    refused = browser.post(url, {"kind": "workshop", "title": "X", "day": "2030-06-12", "start": "10:30",
                                 "end": "09:30"}, follow_redirects=True)

    assert "Programme session saved." in FLASH.findall(saved.get_data(as_text=True))
    assert "The session must end after it starts." in refused.get_data(as_text=True)
    with app.app_context():
        workshop = _get(ProgrammeSession, visit["workshop"])
        assert (workshop.title, workshop.place, workshop.starts_at.hour, workshop.starts_at.minute) == (
            "Inkubatory i klastry", "Sala B, Łomża", 7, 30)  # 09:30 in Warsaw (CEST)
        assert workshop.translations == {"lv": {"title": "Inkubatori un klasteri"}}
        assert [p.id for p in workshop.attendees] == [visit["anna"]]  # still signed up
    anna = make_browser()
    anna.login("anna@example.org")
    ics = anna.get(f"/events/{visit['event']}/agenda.ics").get_data(as_text=True)
    assert "Inkubatory i klastry" in ics and "SEQUENCE:1" in ics


def test_editing_another_events_programme_session_is_a_404(app, visit, browser):
    with app.app_context():
        other = make_event(make_user("other-org@example.org", organiser=True), name="Other")
        foreign = programme.add_session(event=other, details=programme.SessionDetails(
            kind="plenary", title="Theirs", day=DAY_ONE, start=time(9, 0), end=time(10, 0)))
        db.session.commit()
        foreign_id = foreign.id
    browser.login("org@example.org")

    assert browser.get(f"/organiser/events/{visit['event']}/programme/{foreign_id}").status_code == 404


def test_closed_table_stays_closed_for_scheduling_and_moves(app, visit, browser):
    with app.app_context():
        event = _get(Event, visit["event"])
        t1, t2 = event.tables
        first_slot = events.event_slots(event.id)[0]
        events.update_table(table=t1, name="Stolik 1", location="Sala A, parter", closed_slot_ids={first_slot.id})
        anna, janis = _get(Participant, visit["anna"]), _get(Participant, visit["janis"])
        request = meetings.request_meeting(requester=janis, recipient=anna, message="", online=False)
        meeting = meetings.accept_request(recipient=anna, request_id=request.id)
        assert (meeting.slot_id, meeting.table_id) == (first_slot.id, t2.id)
        db.session.commit()
        ids = meeting.id, first_slot.id, t1.id, t2.id
    meeting_id, slot_id, t1_id, t2_id = ids
    browser.login("org@example.org")

    refused = browser.post(f"/organiser/events/{visit['event']}/meetings/{meeting_id}/move",
                           {"slot_id": slot_id, "table_id": t1_id}, follow_redirects=True)
    close_booked = browser.post(f"/organiser/events/{visit['event']}/tables/{t2_id}",
                                {"name": "T2", "location": "", "closed": [slot_id]}, follow_redirects=True)

    assert FLASH.findall(refused.get_data(as_text=True)) == ["Stolik 1 is closed in that slot."]
    assert FLASH.findall(close_booked.get_data(as_text=True)) == [
        "1 meetings are booked at this table in the slots to close; move them first."]
    with app.app_context():
        assert _get(MeetingTable, t2_id).closed_slots == []
        assert _get(MeetingTable, t1_id).location == "Sala A, parter"


def test_batch_run_respects_closures_and_chosen_sessions(app, visit):
    with app.app_context():
        event = _get(Event, visit["event"])
        scheduling_runs.set_mode(event=event, mode="batch")
        slots = events.event_slots(event.id)
        for table in event.tables:  # only the last slot stays open
            events.update_table(table=table, name=table.name, location="", closed_slot_ids={s.id for s in slots[:-1]})
        anna, janis, karl = (_get(Participant, visit[k]) for k in ("anna", "janis", "karl"))
        for a, b in ((anna, janis), (karl, janis), (anna, karl)):
            request = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
            meetings.accept_request(recipient=b, request_id=request.id)

        run = scheduling_runs.create_draft(event=event, actor=None, time_limit=5)
        scheduling_runs.publish(run=run)

        live = db.session.scalars(select(Meeting).where(Meeting.slot_id.is_not(None))).all()
        assert (run.value, run.bound) == (1, 1)  # one open slot, and each pair shares a participant
        assert [m.slot_id for m in live] == [slots[-1].id]


def test_a_personal_agenda_does_not_load_the_attendees_of_popular_sessions(app, visit):
    """At 3,000 participants a workshop has hundreds of attendees: the agenda of one of them reads
    only that participant's sign-ups, and the organiser's programme list counts them in SQL."""
    with app.app_context():
        event = _get(Event, visit["event"])
        workshop = _get(ProgrammeSession, visit["workshop"])
        crowd = [register(make_user(f"p{i}@example.org", f"Uczestnik {i}"), event, organisation=f"Klaster {i}")
                 for i in range(40)]
        for p in crowd:
            programme.choose(participant=p, session=workshop)
        programme.choose(participant=crowd[0], session=workshop)  # twice: still one sign-up
        db.session.commit()
        assert programme.attendee_counts(event.id) == {workshop.id: 40}
        me_id = crowd[0].id
        db.session.expunge_all()

        me = _get(Participant, me_id)
        entries = agenda.agenda_entries(me)

        assert [e.session.title for e in entries if e.session] == ["Preparatory meeting", "Incubators and clusters"]
        loaded = [o for o in db.session.identity_map.values() if isinstance(o, Participant)]
        assert [p.id for p in loaded] == [me_id]
        programme.leave(participant=me, session=_get(ProgrammeSession, visit["workshop"]))
        assert programme.chosen_ids(me) == set()
        assert programme.attendee_counts(event.id) == {workshop.id: 39}
