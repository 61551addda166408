"""Auto-scheduling on accept: earliest fitting slot, own stands, online meetings, and why not."""
from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from matchmaking.extensions import db
from matchmaking.models import Meeting, SlotBooking
from matchmaking.models.meeting import NO_COMMON_FREE_SLOT, NO_COMMON_SESSION, NO_TABLE_FREE, PARTICIPANT_FULL
from matchmaking.services import events, meetings
from tests.factories import make_event, make_user, register

TWO_SESSIONS = ((time(9, 0), time(10, 0)), (time(14, 0), time(15, 0)))


def _people(event, n, **kwargs):
    return [register(make_user(f"p{i}@example.org", f"Person {i}"), event, organisation=f"Org {i}", **kwargs)
            for i in range(n)]


def _meet(a, b, online=False):
    request = meetings.request_meeting(requester=a, recipient=b, message="", online=online)
    return meetings.accept_request(recipient=b, request_id=request.id)


@pytest.fixture
def organiser(ctx):
    return make_user("org@example.org", organiser=True)


def test_accept_books_the_earliest_slot_both_attend(organiser):
    event = make_event(organiser, sessions=TWO_SESSIONS)
    morning, afternoon = event.days[0].sessions
    a = register(make_user("a@example.org"), event, session_ids=(morning.id, afternoon.id))
    b = register(make_user("b@example.org"), event, session_ids=(afternoon.id,))

    meeting = _meet(a, b)

    assert meeting.slot_id == afternoon.slots[0].id
    assert meeting.table.name == "T1"


def test_accept_skips_slots_where_either_side_is_busy(organiser):
    event = make_event(organiser, slot_minutes=20)  # 09:00, 09:20, 09:40
    a, b, c = _people(event, 3)
    first = _meet(a, b)

    second = _meet(c, a)

    slots = events.event_slots(event.id)
    assert (first.slot_id, second.slot_id) == (slots[0].id, slots[1].id)


def test_online_meeting_needs_no_table(organiser):
    event = make_event(organiser, tables=0)
    a, b = _people(event, 2)

    meeting = _meet(a, b, online=True)

    assert meeting.slot_id is not None and meeting.table_id is None


def test_exhibitor_meets_at_own_stand_and_nobody_else_uses_it(organiser):
    event = make_event(organiser, tables=2)
    stand = event.tables[0]
    exhibitor, visitor, x, y = _people(event, 4)
    events.set_table_owner(table=stand, participant=exhibitor)

    at_stand = _meet(visitor, exhibitor)
    elsewhere = _meet(x, y)

    assert at_stand.table_id == stand.id
    assert elsewhere.table_id == event.tables[1].id


def test_no_common_session_leaves_meeting_unscheduled_with_reason(organiser):
    event = make_event(organiser, sessions=TWO_SESSIONS)
    morning, afternoon = event.days[0].sessions
    a = register(make_user("a@example.org"), event, session_ids=(morning.id,))
    b = register(make_user("b@example.org"), event, session_ids=(afternoon.id,))

    meeting = _meet(a, b)

    assert meeting.request.status == "accepted"
    assert (meeting.slot_id, meeting.unscheduled_reason) == (None, NO_COMMON_SESSION)


def test_full_participant_is_named_as_the_reason(organiser):
    event = make_event(organiser, sessions=((time(9, 0), time(9, 30)),))
    a, b, c = _people(event, 3)
    _meet(a, b)

    meeting = _meet(c, a)

    assert (meeting.unscheduled_reason, meeting.unscheduled_participant_id) == (PARTICIPANT_FULL, a.id)


def test_common_slots_taken_one_by_each_side_is_its_own_reason(organiser):
    event = make_event(organiser, slot_minutes=30)  # slots 09:00 and 09:30
    g, h, i = _people(event, 3)
    _meet(g, i)  # g and i: 09:00
    _meet(i, h)  # i is busy at 09:00, so i and h: 09:30

    blocked = _meet(g, h)  # g is busy at 09:00, h at 09:30; neither is full

    assert (blocked.slot_id, blocked.unscheduled_reason) == (None, NO_COMMON_FREE_SLOT)


def test_no_table_free_is_the_reason_when_tables_run_out(organiser):
    event = make_event(organiser, sessions=((time(9, 0), time(9, 30)),), tables=1)
    a, b, c, d = _people(event, 4)
    _meet(a, b)

    meeting = _meet(c, d)

    assert meeting.unscheduled_reason == NO_TABLE_FREE


def test_cancel_frees_seats_and_table_for_the_next_meeting(organiser):
    event = make_event(organiser, sessions=((time(9, 0), time(9, 30)),), tables=1)
    a, b, c, d = _people(event, 4)
    first = _meet(a, b)
    meetings.cancel_meeting(participant=a, meeting_id=first.id, reason="Train cancelled")

    second = _meet(c, d)

    assert second.table_id == first.table_id and second.slot_id == first.slot_id
    assert first.cancel_reason == "Train cancelled" and first.request.status == "cancelled"


def test_database_refuses_a_participant_twice_in_one_slot(organiser):
    event = make_event(organiser, tables=3)
    a, b, c = _people(event, 3)
    first = _meet(a, b)
    request = meetings.request_meeting(requester=a, recipient=c, message="", online=True)
    second = Meeting(event_id=event.id, request_id=request.id, participant_a_id=a.id, participant_b_id=c.id,
                     online=True)
    db.session.add(second)
    db.session.flush()

    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(insert(SlotBooking).values(participant_id=a.id, slot_id=first.slot_id,
                                                      meeting_id=second.id))


def test_database_refuses_a_table_twice_in_one_slot(organiser):
    event = make_event(organiser, tables=1)
    a, b, c, d = _people(event, 4)
    first = _meet(a, b)
    request = meetings.request_meeting(requester=c, recipient=d, message="", online=False)

    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Meeting(event_id=event.id, request_id=request.id, participant_a_id=c.id,
                               participant_b_id=d.id, slot_id=first.slot_id, table_id=first.table_id))
        db.session.flush()


def test_a_meeting_outside_its_time_window_is_explained_in_words(app):
    from matchmaking import scheduling as core
    from matchmaking.models.meeting import OUTSIDE_WINDOW
    from matchmaking.services.placement import reason_from
    from matchmaking.web.labels import reason_text

    explanation = core.Explanation("m1", core.Reason.OUTSIDE_WINDOW, ("p1", "p2"), ("s3",), "")
    assert reason_from(explanation) == (OUTSIDE_WINDOW, None)
    with app.test_request_context():
        meeting = Meeting(participant_a_id=1, participant_b_id=2)
        assert reason_text(OUTSIDE_WINDOW, None, meeting) == (
            "You both have free slots, but none in the time window you agreed on.")
