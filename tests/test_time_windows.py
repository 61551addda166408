"""Time windows on requests, time blocked in agendas, "must meet" marks, and free time in the agenda.

The event (Europe/Riga) has one day with slots at 10:00, 11:00 and 12:00 local time: the morning
holds the first two, the afternoon the last.
"""
from __future__ import annotations

import random
from datetime import date, time

import pytest
from sqlalchemy import select

from matchmaking import scheduling as core
from matchmaking.extensions import db
from matchmaking.models import BlockedTime, Event, Meeting, MeetingRequest, Participant, Slot
from matchmaking.models.meeting import OUTSIDE_WINDOW
from matchmaking.services import blocked_time, manual_schedule, meetings, scheduling_runs, time_windows
from matchmaking.services.errors import Conflict, NotFound, ServiceError
from matchmaking.services.priorities import MUST_MEET_BONUS
from matchmaking.services.schedule_instance import batch_instance, load_live_schedule
from matchmaking.services.timezones import to_local
from tests.factories import EVENT_DAY, make_event, make_user, register
from tests.scheduling.independent import recheck

THREE_HOURS = ((time(10, 0), time(13, 0)),)
MORNING = time_windows.Window("morning", EVENT_DAY)
AFTERNOON = time_windows.Window("afternoon", EVENT_DAY)


def _event(people: int = 2, **kwargs):
    organiser = make_user("org@example.org", organiser=True)
    event = make_event(organiser, sessions=THREE_HOURS, slot_minutes=60, tables=3, **kwargs)
    names = ("Anna", "Bērziņš", "Cezary", "Dace", "Ewa", "Filip", "Gints", "Hanna")[:people]
    return event, [register(make_user(f"{n[0].lower()}{i}@example.org", n), event, organisation=f"{n} Org")
                   for i, n in enumerate(names)]


def _local_hour(slot: Slot) -> int:
    return to_local(slot.starts_at, "Europe/Riga").hour


def _block(who: Participant, start: int, end: int, label: str = "Stand duty") -> BlockedTime:
    return blocked_time.add(participant=who, block=blocked_time.Block(EVENT_DAY, time(start), time(end), label))


# --- The window rule -------------------------------------------------------------------------------

def test_window_codes_read_back_and_bad_ones_are_refused(app):
    with app.test_request_context():
        for code in ("any", "2030-05-20", "2030-05-20:morning", "2030-05-20:afternoon"):
            assert time_windows.parse(code).code == code
        assert time_windows.parse("") == time_windows.ANY
        for bad in ("tomorrow", "2030-05-20:evening", "2030-05-20:any", "2030-02-30", "20300520:morning"):
            with pytest.raises(ServiceError):
                time_windows.parse(bad)


def test_morning_is_before_noon_event_time_and_afternoon_from_noon(app):
    with app.app_context():
        event, _people = _event()
        slots = db.session.scalars(select(Slot).where(Slot.event_id == event.id).order_by(Slot.starts_at)).all()
        tz = event.timezone
        assert [_local_hour(s) for s in time_windows.slots_in(MORNING, slots, tz)] == [10, 11]
        assert [_local_hour(s) for s in time_windows.slots_in(AFTERNOON, slots, tz)] == [12]
        assert len(time_windows.slots_in(time_windows.Window("day", EVENT_DAY), slots, tz)) == 3
        assert time_windows.slots_in(time_windows.Window("day", date(2030, 5, 21)), slots, tz) == []
        # 09:00 UTC is noon in Riga: afternoon, although it is morning in UTC
        assert [s.starts_at.hour for s in time_windows.slots_in(AFTERNOON, slots, tz)] == [9]


# --- Windows on requests ---------------------------------------------------------------------------

def test_a_request_window_becomes_the_core_requests_slots_and_placement_keeps_to_it(app):
    with app.test_request_context():
        event, (a, b) = _event()
        made = meetings.request_meeting(requester=a, recipient=b, message="", online=False, window=AFTERNOON)
        assert (made.window_part, made.window_date) == ("afternoon", EVENT_DAY)
        meeting = meetings.accept_request(recipient=b, request_id=made.id)  # the earliest slot is 10:00
        db.session.commit()

        assert _local_hour(meeting.slot) == 12
        request = load_live_schedule(event.id).instance.request_by_id[f"m{meeting.id}"]
        assert request.slots == (f"s{meeting.slot_id}",)


def test_the_accepter_may_change_the_window_or_keep_it(app):
    with app.test_request_context():
        _ev, (a, b, c) = _event(3)
        changed = meetings.request_meeting(requester=a, recipient=b, message="", online=False, window=AFTERNOON)
        moved = meetings.accept_request(recipient=b, request_id=changed.id, window=MORNING)
        kept = meetings.request_meeting(requester=c, recipient=b, message="", online=False, window=MORNING)
        stays = meetings.accept_request(recipient=b, request_id=kept.id)
        db.session.commit()

        assert (changed.window_part, kept.window_part) == ("morning", "morning")
        assert sorted([_local_hour(moved.slot), _local_hour(stays.slot)]) == [10, 11]


def test_a_window_on_a_day_the_event_does_not_have_is_refused(app):
    with app.test_request_context():
        _ev, (a, b) = _event()
        with pytest.raises(ServiceError, match="no day 2030-05-21"):
            meetings.request_meeting(requester=a, recipient=b, message="", online=False,
                                     window=time_windows.Window("morning", date(2030, 5, 21)))
        assert db.session.scalar(select(MeetingRequest.id)) is None


@pytest.mark.parametrize(("part", "day"), [("morning", None), ("any", EVENT_DAY), ("evening", EVENT_DAY)])
def test_the_database_refuses_a_window_that_breaks_the_rule(app, part, day):
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    with app.test_request_context():
        _ev, (a, b) = _event()
        made = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(update(MeetingRequest).where(MeetingRequest.id == made.id)
                               .values(window_part=part, window_date=day))
        db.session.rollback()


def test_no_free_slot_in_the_window_is_said_as_outside_window(app):
    with app.test_request_context():
        _ev, (a, b) = _event()
        _block(a, 10, 12)  # Anna's whole morning
        made = meetings.request_meeting(requester=a, recipient=b, message="", online=False, window=MORNING)
        meeting = meetings.accept_request(recipient=b, request_id=made.id)
        db.session.commit()

        assert meeting.slot_id is None and meeting.unscheduled_reason == OUTSIDE_WINDOW


# --- Blocked time ----------------------------------------------------------------------------------

def test_blocked_time_is_checked(app):
    with app.test_request_context():
        _ev, (a, _b) = _event()
        cases = [
            (blocked_time.Block(date(2030, 5, 21), time(10), time(11)), "one of the event's days"),
            (blocked_time.Block(EVENT_DAY, time(11), time(10)), "end must be after the start"),
            (blocked_time.Block(EVENT_DAY, time(11), time(11)), "end must be after the start"),
            (blocked_time.Block(EVENT_DAY, time(11), time(11, 2)), "at least 5 minutes"),
            (blocked_time.Block(EVENT_DAY, time(11), time(12), "x" * 101), "at most 100 characters"),
        ]
        for block, message in cases:
            with pytest.raises(ServiceError, match=message):
                blocked_time.add(participant=a, block=block)
        kept = _block(a, 11, 12, "  stand\nduty ")
        assert kept.label == "stand duty"
        assert (kept.starts_at.hour, kept.ends_at.hour) == (8, 9)  # stored in UTC


def test_blocking_over_ones_own_meeting_is_refused(app):
    with app.test_request_context():
        _ev, (a, b) = _event()
        made = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
        meetings.accept_request(recipient=b, request_id=made.id)  # 10:00
        with pytest.raises(ServiceError, match="You have a meeting with Anna"):
            _block(b, 9, 11)
        assert _block(b, 11, 12).id


def test_only_the_owner_removes_a_block(app):
    with app.test_request_context():
        _ev, (a, b) = _event()
        block = _block(a, 11, 12)
        with pytest.raises(NotFound):
            blocked_time.remove(participant=b, blocked_id=block.id)
        with pytest.raises(NotFound):
            blocked_time.remove(participant=a, blocked_id=2**40)
        blocked_time.remove(participant=a, blocked_id=block.id)
        assert db.session.scalar(select(BlockedTime.id)) is None


def test_blocked_slots_leave_the_participants_availability_and_placement_avoids_them(app):
    with app.test_request_context():
        event, (a, b) = _event()
        _block(a, 10, 11)
        _block(b, 11, 12)
        slots = {_local_hour(s): s.id for s in db.session.scalars(select(Slot).where(Slot.event_id == event.id))}
        live = load_live_schedule(event.id)
        available = {p.id: set(p.available) for p in live.instance.participants}
        assert available[f"p{a.id}"] == {f"s{slots[11]}", f"s{slots[12]}"}
        assert available[f"p{b.id}"] == {f"s{slots[10]}", f"s{slots[12]}"}

        made = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
        meeting = meetings.accept_request(recipient=b, request_id=made.id)
        assert _local_hour(meeting.slot) == 12


def test_a_block_overlapping_part_of_a_slot_takes_the_whole_slot(app):
    with app.test_request_context():
        event, (a, _b) = _event()
        blocked_time.add(participant=a, block=blocked_time.Block(EVENT_DAY, time(11, 45), time(12, 15)))
        live = load_live_schedule(event.id)
        hours = {f"s{s.id}": _local_hour(s) for s in db.session.scalars(select(Slot))}
        anna = next(p for p in live.instance.participants if p.id == f"p{a.id}")
        assert sorted(hours[s] for s in anna.available) == [10]


def test_an_organiser_cannot_move_a_meeting_into_blocked_time_or_out_of_its_window(app):
    with app.test_request_context():
        event, (a, b) = _event()
        made = meetings.request_meeting(requester=a, recipient=b, message="", online=False, window=MORNING)
        meeting = meetings.accept_request(recipient=b, request_id=made.id)  # 10:00
        _block(b, 11, 12)
        slots = {_local_hour(s): s.id for s in db.session.scalars(select(Slot).where(Slot.event_id == event.id))}
        table = event.tables[0].id
        with pytest.raises(Conflict, match=r"Bērziņš \(Bērziņš Org\) is unavailable in that slot"):
            manual_schedule.move_meeting(event=event, meeting_id=meeting.id, slot_id=slots[11], table_id=table)
        with pytest.raises(Conflict, match="another time window"):
            manual_schedule.move_meeting(event=event, meeting_id=meeting.id, slot_id=slots[12], table_id=table)
        assert db.session.get(Meeting, meeting.id).slot_id == slots[10]


def test_a_batch_run_never_places_into_blocked_time_or_outside_a_window(app):
    """Many people, random blocks and windows, scarce tables: every placed meeting keeps both, checked
    against the rows themselves and by the core's independent re-check."""
    rng = random.Random(7)
    with app.test_request_context():
        event, people = _event(8)
        scheduling_runs.set_mode(event=event, mode="batch")
        for who in people:
            start = rng.choice((10, 11, 12))
            if rng.random() < 0.6:
                _block(who, start, start + 1)
        choices = [time_windows.ANY, MORNING, AFTERNOON, time_windows.Window("day", EVENT_DAY)]
        for i, a in enumerate(people):
            for b in people[i + 1:]:
                if rng.random() < 0.7:
                    made = meetings.request_meeting(requester=a, recipient=b, message="", online=False,
                                                    window=rng.choice(choices))
                    meetings.accept_request(recipient=b, request_id=made.id)
        db.session.commit()

        live = load_live_schedule(event.id)
        instance, _interest = batch_instance(live, event.id)
        solution = core.solve(instance, time_limit=2, seed=0)
        assert solution.meetings and recheck(instance, solution) == []

        slots = {s.id: s for s in db.session.scalars(select(Slot).where(Slot.event_id == event.id))}
        blocks = db.session.scalars(select(BlockedTime)).all()
        for placed in solution.meetings:
            meeting = db.session.get(Meeting, int(placed.request[1:]))
            slot = slots[int(placed.slot[1:])]
            assert time_windows.of_request(meeting.request).holds(slot.starts_at, event.timezone)
            for block in blocks:
                if block.participant_id in (meeting.participant_a_id, meeting.participant_b_id):
                    assert not (slot.starts_at < block.ends_at and slot.ends_at > block.starts_at)


# --- Must meet -------------------------------------------------------------------------------------

def test_must_meet_is_limited_by_the_events_quota(app):
    with app.test_request_context():
        event, (a, b, c, d) = _event(4)
        event.must_meet_quota = 2
        first = meetings.request_meeting(requester=a, recipient=b, message="", online=False, must_meet=True)
        received = meetings.request_meeting(requester=c, recipient=a, message="", online=False)
        meetings.accept_request(recipient=a, request_id=received.id, must_meet=True)
        assert meetings.must_meet_count(a) == 2
        with pytest.raises(Conflict, match="already marked 2 requests"):
            meetings.request_meeting(requester=a, recipient=d, message="", online=False, must_meet=True)
        assert meetings.request_meeting(requester=a, recipient=d, message="", online=False).id  # unmarked: fine
        meetings.withdraw_request(requester=a, request_id=first.id)  # frees one
        assert meetings.must_meet_count(a) == 1
        assert meetings.request_meeting(requester=a, recipient=b, message="", online=False, must_meet=True).id
        assert meetings.must_meet_count(b) == 0  # the other side's count is their own


def test_quota_zero_turns_must_meet_off(app):
    with app.test_request_context():
        event, (a, b) = _event()
        event.must_meet_quota = 0
        with pytest.raises(Conflict, match="does not use"):
            meetings.request_meeting(requester=a, recipient=b, message="", online=False, must_meet=True)
        made = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
        with pytest.raises(Conflict, match="does not use"):
            meetings.accept_request(recipient=b, request_id=made.id, must_meet=True)
        assert db.session.get(MeetingRequest, made.id).status == "pending"


def test_the_database_keeps_the_quota_in_range(app):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        event, _people = _event()
        event.must_meet_quota = -1
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_must_meet_raises_the_batch_priority_for_each_side(app):
    with app.test_request_context():
        event, (a, b, c, d, e, f) = _event(6)
        scheduling_runs.set_mode(event=event, mode="batch")
        plain = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
        one = meetings.request_meeting(requester=c, recipient=d, message="", online=False, must_meet=True)
        both = meetings.request_meeting(requester=e, recipient=f, message="", online=False, must_meet=True)
        ids = [meetings.accept_request(recipient=b, request_id=plain.id).id,
               meetings.accept_request(recipient=d, request_id=one.id).id,
               meetings.accept_request(recipient=f, request_id=both.id, must_meet=True).id]
        db.session.commit()

        instance, _interest = batch_instance(load_live_schedule(event.id), event.id)
        priority = {r.id: r.priority for r in instance.requests}
        assert [priority[f"m{i}"] for i in ids] == [1, 1 + MUST_MEET_BONUS, 1 + 2 * MUST_MEET_BONUS]


def test_the_organiser_sets_the_quota_in_the_events_settings(app, browser):
    with app.app_context():
        event, _people = _event()
        db.session.commit()
        event_id = event.id
    browser.login("org@example.org")
    form = browser.get(f"/organiser/events/{event_id}/edit").get_data(as_text=True)
    assert 'name="must_meet_quota"' in form and 'value="3"' in form

    browser.post(f"/organiser/events/{event_id}/edit", {"name": "Baltic Cluster Brokerage", "timezone": "Europe/Riga",
                                                        "must_meet_quota": "5"})
    refused = browser.post(f"/organiser/events/{event_id}/edit", {"name": "Baltic", "timezone": "Europe/Riga",
                                                                  "must_meet_quota": "51"})
    with app.app_context():
        assert db.session.get(Event, event_id).must_meet_quota == 5
    assert refused.status_code == 200 and "Number must be between 0 and 50." in refused.get_data(as_text=True)


# --- Personal data ---------------------------------------------------------------------------------

def test_blocked_time_is_in_ones_data_and_goes_with_the_person(app):
    from matchmaking.services import personal_data

    with app.test_request_context():
        _ev, (a, b) = _event()
        _block(a, 11, 12, "Doctor's appointment")
        made = meetings.request_meeting(requester=a, recipient=b, message="", online=False, window=MORNING,
                                        must_meet=True)
        exported = personal_data.export(user=a.user)["registrations"][0]
        assert exported["blocked_time"] == [{"starts_at": "2030-05-20T08:00:00", "ends_at": "2030-05-20T09:00:00",
                                             "label": "Doctor's appointment"}]
        assert exported["requests_sent"][0]["window"] == "2030-05-20:morning"
        assert exported["requests_sent"][0]["must_meet"] is True
        assert "Doctor" not in str(personal_data.export(user=b.user))

        personal_data.anonymise_participant(participant=a, now=made.created_at)
        assert db.session.scalar(select(BlockedTime.id)) is None
