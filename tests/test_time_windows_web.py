"""The pages and the API of time windows, blocked time and "must meet": forms with CSRF, another
person's blocked time a 404, the private label shown to its owner alone, free time in the agenda."""
from __future__ import annotations

from datetime import time

from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import BlockedTime, Meeting, MeetingRequest, Participant
from matchmaking.services import blocked_time, meetings, time_windows
from tests.factories import EVENT_DAY, make_event, make_user, register
from tests.test_api import Api, token_for

THREE_HOURS = ((time(10, 0), time(13, 0)),)


def _world(app):
    """Anna, Bērziņš and Cezary at an event with slots at 10:00, 11:00 and 12:00 (Riga time)."""
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, sessions=THREE_HOURS, slot_minutes=60, tables=3)
        people = [register(make_user(f"{n[0].lower()}@example.org", n), event, organisation=f"{n} Org").id
                  for n in ("Anna", "Bērziņš", "Cezary")]
        db.session.commit()
        return event.id, *people


def _block_form(**extra):
    return {"day": EVENT_DAY.isoformat(), "start": "11:00", "end": "12:00", "label": "Stand duty", **extra}


def test_blocking_time_in_the_agenda_shows_the_label_to_the_owner_only(app, make_browser):
    event_id, anna, *_rest = _world(app)
    me = make_browser()
    me.login("a@example.org")

    done = me.post(f"/events/{event_id}/agenda/blocked", _block_form(), follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "The time is blocked: no meeting will be placed in it." in page
    assert "11:00–12:00: Stand duty" in page
    with app.app_context():
        block = db.session.scalar(select(BlockedTime))
        assert block.participant_id == anna and block.label == "Stand duty"

    organiser = make_browser()
    organiser.login("org@example.org")
    for url in (f"/organiser/events/{event_id}/grid", f"/organiser/events/{event_id}/participants",
                f"/organiser/events/{event_id}/meetings", f"/organiser/events/{event_id}/participants/{anna}/edit"):
        answer = organiser.get(url)
        assert answer.status_code == 200 and "Stand duty" not in answer.get_data(as_text=True), url
    other = make_browser()
    other.login("b@example.org")
    assert "Stand duty" not in other.get(f"/events/{event_id}/agenda").get_data(as_text=True)
    assert "Stand duty" not in other.get(f"/events/{event_id}/participants/{anna}").get_data(as_text=True)


def test_a_refused_block_says_why_and_keeps_nothing(app, make_browser):
    event_id, *_people = _world(app)
    me = make_browser()
    me.login("a@example.org")

    page = me.post(f"/events/{event_id}/agenda/blocked", _block_form(end="10:00"), follow_redirects=True)
    assert "The end must be after the start." in page.get_data(as_text=True)
    page = me.post(f"/events/{event_id}/agenda/blocked", _block_form(day="2031-01-01"), follow_redirects=True)
    assert "Not a valid choice" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(BlockedTime.id)) is None


def test_someone_elses_block_is_not_found_and_removing_ones_own_frees_it(app, make_browser):
    event_id, anna, _b, _c = _world(app)
    with app.test_request_context():
        block = blocked_time.add(participant=db.session.get(Participant, anna), block=blocked_time.Block(
            EVENT_DAY, time(11), time(12), "Call"))
        db.session.commit()
        block_id = block.id
    other = make_browser()
    other.login("b@example.org")
    assert other.post(f"/events/{event_id}/agenda/blocked/{block_id}/remove").status_code == 404

    me = make_browser()
    me.login("a@example.org")
    assert me.client.post(f"/events/{event_id}/agenda/blocked/{block_id}/remove").status_code == 400  # no CSRF
    assert me.client.post(f"/events/{event_id}/agenda/blocked", data=_block_form()).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(BlockedTime.id)) == block_id
    done = me.post(f"/events/{event_id}/agenda/blocked/{block_id}/remove", follow_redirects=True)
    assert "The time is free again." in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(BlockedTime.id)) is None


def test_a_request_with_a_morning_window_and_an_accept_that_changes_it(app, make_browser):
    event_id, _anna, berzins, _c = _world(app)
    me = make_browser()
    me.login("a@example.org")
    form = me.get(f"/events/{event_id}/participants/{berzins}").get_data(as_text=True)
    assert 'value="2030-05-20:morning"' in form and "Must meet" in form

    me.post(f"/events/{event_id}/participants/{berzins}/request",
            {"message": "Hello", "window": "2030-05-20:morning", "must_meet": "y"})
    sent = me.get(f"/events/{event_id}/requests").get_data(as_text=True)
    assert "When: Mon 20 May, morning" in sent
    with app.app_context():
        request = db.session.scalar(select(MeetingRequest))
        assert (request.window_part, request.window_date, request.requester_must_meet) == ("morning", EVENT_DAY, True)
        request_id = request.id

    other = make_browser()
    other.login("b@example.org")
    received = other.get(f"/events/{event_id}/requests").get_data(as_text=True)
    assert f'name="r{request_id}-window"' in received
    assert '<option selected value="2030-05-20:morning">' in received
    other.post(f"/events/{event_id}/requests/{request_id}/accept",
               {f"r{request_id}-window": "2030-05-20:afternoon", f"r{request_id}-must_meet": "y"})
    with app.app_context():
        request = db.session.get(MeetingRequest, request_id)
        assert (request.status, request.window_part, request.recipient_must_meet) == ("accepted", "afternoon", True)
        meeting_id = request.meeting.id
    page = other.get(f"/events/{event_id}/meetings/{meeting_id}").get_data(as_text=True)
    assert "Agreed time window: Mon 20 May, afternoon" in page
    assert "12:00–13:00" in page


def test_an_accept_without_a_window_keeps_the_requesters(app, make_browser):
    event_id, anna, berzins, _c = _world(app)
    with app.test_request_context():
        made = meetings.request_meeting(requester=db.session.get(Participant, anna),
                                        recipient=db.session.get(Participant, berzins), message="", online=False,
                                        window=time_windows.Window("afternoon", EVENT_DAY))
        db.session.commit()
        request_id = made.id
    other = make_browser()
    other.login("b@example.org")
    other.post(f"/events/{event_id}/requests/{request_id}/accept", {})
    with app.app_context():
        assert db.session.get(MeetingRequest, request_id).window_part == "afternoon"


def test_the_agenda_shows_free_time_between_meetings(app, make_browser):
    event_id, anna, berzins, cezary = _world(app)
    with app.test_request_context():
        a, b, c = (db.session.get(Participant, i) for i in (anna, berzins, cezary))
        first = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
        meetings.accept_request(recipient=b, request_id=first.id)  # 10:00
        second = meetings.request_meeting(requester=a, recipient=c, message="", online=False,
                                          window=time_windows.Window("afternoon", EVENT_DAY))
        meetings.accept_request(recipient=c, request_id=second.id)  # 12:00
        db.session.commit()
        assert db.session.scalar(select(Meeting.id).where(Meeting.slot_id.is_(None))) is None
    me = make_browser()
    me.login("a@example.org")
    page = me.get(f"/events/{event_id}/agenda").get_data(as_text=True)
    assert "Free 11:00–12:00" in page
    other = make_browser()
    other.login("b@example.org")
    assert "Free" not in other.get(f"/events/{event_id}/agenda").get_data(as_text=True)  # one meeting: no gap


def test_the_api_takes_a_window_and_must_meet_and_an_accept_may_change_the_window(app):
    event_id, _anna, berzins, _c = _world(app)
    requester = Api(app.test_client(), token_for(app, "a@example.org"))
    recipient = Api(app.test_client(), token_for(app, "b@example.org"))

    bad = requester.post(f"/api/v1/events/{event_id}/requests",
                         json={"recipient_id": berzins, "window": "2030-05-21:morning"})
    assert bad.status_code == 422 and "no day 2030-05-21" in bad.get_data(as_text=True)
    made = requester.post(f"/api/v1/events/{event_id}/requests",
                          json={"recipient_id": berzins, "window": "2030-05-20:morning", "must_meet": True})
    assert made.status_code == 201
    assert made.json["window"] == "2030-05-20:morning" and made.json["must_meet"] is True

    listed = recipient.get(f"/api/v1/events/{event_id}/requests").json["received"][0]
    assert listed["window"] == "2030-05-20:morning" and listed["must_meet"] is False  # the other's mark is theirs
    accepted = recipient.post(f"/api/v1/events/{event_id}/requests/{made.json['id']}/accept",
                              json={"window": "any"})
    assert accepted.status_code == 200 and accepted.json["window"] == "any"


def test_the_organisers_meeting_page_shows_the_window_and_the_mark(app, make_browser):
    event_id, anna, berzins, _c = _world(app)
    with app.test_request_context():
        made = meetings.request_meeting(requester=db.session.get(Participant, anna),
                                        recipient=db.session.get(Participant, berzins), message="", online=False,
                                        window=time_windows.Window("morning", EVENT_DAY), must_meet=True)
        meeting = meetings.accept_request(recipient=db.session.get(Participant, berzins), request_id=made.id)
        db.session.commit()
        meeting_id = meeting.id
    organiser = make_browser()
    organiser.login("org@example.org")
    page = organiser.get(f"/organiser/events/{event_id}/meetings/{meeting_id}").get_data(as_text=True)
    assert "Agreed time window: Mon 20 May, morning" in page and "Must meet" in page
