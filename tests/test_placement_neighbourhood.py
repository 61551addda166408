"""Placing an accepted meeting from its two participants' neighbourhood: never a place the whole event's
checker refuses, never another meeting moved, and the same place the whole event's schedule would give
without moving anyone."""
from __future__ import annotations

from datetime import time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, update

from matchmaking import scheduling as core
from matchmaking.extensions import db
from matchmaking.models import BlockedTime, Meeting, Participant, ProgrammeSession, programme_attendance, table_closure
from matchmaking.models.meeting import AFTERNOON, ANY_TIME, MORNING, WHOLE_DAY
from matchmaking.services import events, meetings, placement, time_windows
from matchmaking.services.schedule_instance import load_live_schedule, meeting_key
from tests.factories import EVENT_DAY, make_event, make_user, register

PEOPLE = 6
SESSIONS = ((time(9, 0), time(10, 30)), (time(14, 0), time(15, 0)))  # five 30-minute slots
PLACE_NEAR = placement._place_near


@pytest.fixture
def world(ctx):
    """An event booking at once: five slots, two shared tables and an exhibitor's stand, six people
    attending one or both sessions (the first owns the stand)."""
    organiser = make_user("org@example.org", organiser=True)
    event = make_event(organiser, sessions=SESSIONS, slot_minutes=30, tables=3)
    morning, afternoon = event.days[0].sessions
    sign_ups = [(morning.id, afternoon.id), (morning.id, afternoon.id), (morning.id,), (afternoon.id,),
                (morning.id, afternoon.id), (morning.id, afternoon.id)]
    people = [register(make_user(f"p{i}@example.org", f"Žanete {i}"), event, organisation=f"Rokavaldīna {i}",
                       session_ids=sessions) for i, sessions in enumerate(sign_ups)]
    events.set_table_owner(table=event.tables[0], participant=people[0])
    db.session.commit()
    return event, people, events.event_slots(event.id)


def _places(event_id: int) -> dict[int, tuple[int | None, int | None]]:
    return {m.id: (m.slot_id, m.table_id) for m in db.session.execute(
        select(Meeting.id, Meeting.slot_id, Meeting.table_id).where(Meeting.event_id == event_id, Meeting.is_live))}


def _feasible(event_id: int) -> list[core.Violation]:
    live = load_live_schedule(event_id)
    return core.check(live.instance, core.Solution(live.assignment))


pairs = st.tuples(st.integers(0, PEOPLE - 1), st.integers(0, PEOPLE - 1)).filter(lambda p: p[0] != p[1])
accepts = st.lists(st.tuples(pairs, st.booleans(), st.sampled_from([ANY_TIME, WHOLE_DAY, MORNING, AFTERNOON]),
                             st.booleans()), min_size=1, max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(accepts=accepts,
       closed=st.sets(st.tuples(st.integers(1, 2), st.integers(0, 4)), max_size=4),
       blocked=st.sets(st.tuples(st.integers(0, PEOPLE - 1), st.integers(0, 4)), max_size=3),
       programme=st.sets(st.integers(0, PEOPLE - 1), max_size=2),
       limits=st.lists(st.one_of(st.none(), st.integers(1, 3)), min_size=PEOPLE, max_size=PEOPLE))
def test_neighbourhood_places_as_the_whole_event_would_and_moves_nobody(world, monkeypatch, accepts, closed,
                                                                        blocked, programme, limits):
    event, people, slots = world
    checked = []

    def place_near(meeting):
        """The whole event's schedule, allowed no move, says where the meeting goes (or that it cannot)."""
        live = load_live_schedule(meeting.event_id)
        whole = core.IncrementalScheduler(live.instance, live.assignment, live.pinned, depth=0)
        expected = whole.place(meeting_key(meeting.id)).meeting
        before = _places(meeting.event_id)
        placed = PLACE_NEAR(meeting)
        after = _places(meeting.event_id)
        assert {m: p for m, p in after.items() if m != meeting.id} == {m: p for m, p in before.items()
                                                                       if m != meeting.id}
        if expected is None:
            assert placed is not True
        else:
            assert placed is True
            assert (f"s{meeting.slot_id}", None if meeting.table_id is None else f"t{meeting.table_id}") == (
                expected.slot, expected.table)
        checked.append(placed)
        return placed

    monkeypatch.setattr(placement, "_place_near", place_near)
    savepoint = db.session.begin_nested()
    try:
        event.scheduling_mode = "immediate"
        for table, slot in closed:
            db.session.execute(insert(table_closure).values(table_id=event.tables[table].id, slot_id=slots[slot].id))
        for who, slot in blocked:
            db.session.add(BlockedTime(participant_id=people[who].id, starts_at=slots[slot].starts_at,
                                       ends_at=slots[slot].starts_at + timedelta(minutes=10)))
        if programme:
            talk = ProgrammeSession(event_id=event.id, kind="workshop", title="Keynote", signup=True,
                                    starts_at=slots[1].starts_at, ends_at=slots[2].ends_at)
            db.session.add(talk)
            db.session.flush()
            db.session.execute(insert(programme_attendance), [
                {"participant_id": people[who].id, "programme_session_id": talk.id} for who in programme])
        for person, limit in zip(people, limits, strict=True):
            db.session.execute(update(Participant).where(Participant.id == person.id).values(max_meetings=limit))
        db.session.flush()
        db.session.expire_all()
        for (a, b), online, part, pin in accepts:
            requester, recipient = people[a], people[b]
            if meetings.open_request_between(requester, recipient) is not None:
                continue
            window = time_windows.Window(part, None if part == ANY_TIME else EVENT_DAY)
            request = meetings.request_meeting(requester=requester, recipient=recipient, message="", online=online,
                                               window=window)
            meeting = meetings.accept_request(recipient=recipient, request_id=request.id)
            assert _feasible(event.id) == []
            if pin and meeting.slot_id is not None:
                meeting.pinned = True
                db.session.flush()
    finally:
        savepoint.rollback()
        db.session.expire_all()
    assert checked
