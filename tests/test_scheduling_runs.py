"""The scheduling core inside the app: incremental placement on accept, and the organiser's runs."""
from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func, select

from matchmaking import scheduling as core
from matchmaking.background import run_queued
from matchmaking.extensions import db
from matchmaking.models import Meeting, ScheduleRun, SlotBooking
from matchmaking.models.meeting import MAX_MEETINGS_REACHED, PARTICIPANT_FULL, WAITING_FOR_BATCH
from matchmaking.services import events, meetings, scheduling_runs
from matchmaking.services.errors import Conflict
from matchmaking.services.schedule_instance import load_live_schedule
from tests.factories import make_event, make_user, register

TWO_SESSIONS = ((time(9, 0), time(9, 30)), (time(10, 0), time(10, 30)))  # one slot each


@pytest.fixture
def organiser(ctx):
    return make_user("org@example.org", organiser=True)


def _meet(a, b, online=False):
    request = meetings.request_meeting(requester=a, recipient=b, message="", online=online)
    return meetings.accept_request(recipient=b, request_id=request.id)


def _tight(organiser):
    """A is everywhere, B only at 09:00, C everywhere: (A, C) must give 09:00 to (A, B)."""
    event = make_event(organiser, sessions=TWO_SESSIONS, tables=2)
    early, _late = (s.id for s in event.days[0].sessions)
    a = register(make_user("a@example.org", "Agnieszka"), event)
    b = register(make_user("b@example.org", "Bērziņš"), event, session_ids=(early,))
    c = register(make_user("c@example.org", "Cēsis"), event)
    return event, a, b, c


def _live_is_feasible(event_id: int) -> None:
    live = load_live_schedule(event_id)
    solution = core.Solution(meetings=live.assignment)
    assert core.check(live.instance, solution) == []


def test_instance_mirrors_the_database(organiser):
    event, a, b, c = _tight(organiser)
    stand = event.tables[1]
    events.set_table_owner(table=stand, participant=c)
    online = _meet(a, b, online=True)

    live = load_live_schedule(event.id)

    people = live.instance.participant_by_id
    assert len(people[f"p{a.id}"].available) == 2 and len(people[f"p{b.id}"].available) == 1
    assert people[f"p{c.id}"].table == f"t{stand.id}" and people[f"p{a.id}"].table is None
    assert live.instance.request_by_id[f"m{online.id}"].online is True
    assert [t.id for t in live.instance.tables] == [f"t{t.id}" for t in event.tables]


def test_accept_moves_an_unpinned_meeting_to_make_room(organiser):
    event, a, b, c = _tight(organiser)
    first = _meet(a, c)
    early_slot = first.slot_id

    second = _meet(a, b)

    db.session.refresh(first)
    assert second.slot_id == early_slot
    assert first.slot_id != early_slot and first.slot_id is not None
    assert first.sequence == 1  # calendars see the move
    _live_is_feasible(event.id)


def test_accept_never_moves_a_pinned_meeting(organiser):
    _event, a, b, c = _tight(organiser)
    first = _meet(a, c)
    first.pinned = True
    db.session.flush()

    second = _meet(a, b)

    db.session.refresh(first)
    assert first.slot_id is not None and first.sequence == 0
    assert (second.slot_id, second.unscheduled_reason, second.unscheduled_participant_id) == \
        (None, PARTICIPANT_FULL, a.id)


def test_max_meetings_is_the_reason_when_reached(organiser):
    _event, a, b, c = _tight(organiser)
    a.max_meetings = 1
    db.session.flush()
    _meet(a, c)

    second = _meet(b, a)

    assert (second.unscheduled_reason, second.unscheduled_participant_id) == (MAX_MEETINGS_REACHED, a.id)


def test_batch_mode_waits_then_draft_publish_schedules_and_pins(organiser):
    event, a, b, c = _tight(organiser)
    scheduling_runs.set_mode(event=event, mode="batch")
    waiting = [_meet(a, c), _meet(a, b), _meet(b, c)]
    assert {(m.slot_id, m.unscheduled_reason) for m in waiting} == {(None, WAITING_FOR_BATCH)}

    run = scheduling_runs.create_draft(event=event, actor=organiser, time_limit=5)
    assert db.session.scalar(select(func.count()).select_from(SlotBooking)) == 0  # a draft changes nothing
    review = scheduling_runs.review(run)
    changed = scheduling_runs.publish(run=run)

    # B only attends 09:00, so (A, B) and (B, C) compete for it: two of the three fit, which is optimal.
    assert (run.value, run.bound) == (2, 2)
    assert (review.counts["added"], review.counts["unscheduled"], review.stale) == (2, 1, False)
    assert len(review.added) == 2 and review.unscheduled[0][1] == PARTICIPANT_FULL
    scheduled = [m for m in waiting if (db.session.refresh(m) or m).slot_id]
    assert sorted(changed) == sorted(m.id for m in scheduled) and all(m.pinned for m in scheduled)
    assert db.session.scalar(select(func.count()).select_from(SlotBooking)) == 4
    _live_is_feasible(event.id)


def test_publish_is_refused_when_the_schedule_changed_since_the_draft(organiser):
    event, a, _b, c = _tight(organiser)
    first = _meet(a, c)
    run = scheduling_runs.create_draft(event=event, actor=organiser, time_limit=5)
    meetings.cancel_meeting(participant=a, meeting_id=first.id, reason="Plans changed")

    assert scheduling_runs.review(run).stale is True
    with pytest.raises(Conflict, match="changed since this draft"):
        scheduling_runs.publish(run=run)


def test_a_failure_while_publishing_leaves_the_previous_schedule(app, monkeypatch):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event, a, b, c = _tight(organiser)
        first = _meet(a, c)  # 09:00
        scheduling_runs.set_mode(event=event, mode="batch")
        _meet(a, b)  # waits; the run will move (A, C) to 10:00 to make room
        db.session.commit()
        run = scheduling_runs.create_draft(event=event, actor=organiser, time_limit=5)
        db.session.commit()
        event_id, run_id, before = event.id, run.id, (first.id, first.slot_id, first.table_id)

    real_apply = scheduling_runs.apply_schedule

    def apply_then_crash(changes, **options):
        real_apply(changes, **options)
        raise RuntimeError("the server died half-way")

    monkeypatch.setattr(scheduling_runs, "apply_schedule", apply_then_crash)
    with app.app_context():
        with pytest.raises(RuntimeError):
            scheduling_runs.publish(run=db.session.get(ScheduleRun, run_id))
        db.session.rollback()

    with app.app_context():
        meeting = db.session.get(Meeting, before[0])
        assert (meeting.id, meeting.slot_id, meeting.table_id) == before
        assert db.session.get(ScheduleRun, run_id).status == "draft"
        assert db.session.scalar(select(func.count()).select_from(SlotBooking)) == 2
        _live_is_feasible(event_id)


def test_organiser_runs_reviews_and_publishes_from_the_pages(app, browser):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event, a, b, c = _tight(organiser)
        scheduling_runs.set_mode(event=event, mode="batch")
        _meet(a, c)
        _meet(a, b)
        db.session.commit()
        event_id = event.id
    browser.login("org@example.org")

    queued = browser.post(f"/organiser/events/{event_id}/schedule/run", {"time_limit": "5"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ScheduleRun)) == 0  # only queued
        assert run_queued()["done"] == 1  # what the background process does
    result = browser.get(queued.headers["Location"]).get_data(as_text=True)
    assert "Draft ready: 2 meetings scheduled (at most 2 are possible)" in result
    page = browser.get(f"/organiser/events/{event_id}/schedule").get_data(as_text=True)
    assert "Added: 2 · moved: 0 · unchanged: 0 · no longer scheduled: 0 · still unscheduled: 0" in page
    with app.app_context():
        run_id = db.session.scalar(select(ScheduleRun.id))
    queued = browser.post(f"/organiser/events/{event_id}/schedule/runs/{run_id}/publish")
    again = browser.post(f"/organiser/events/{event_id}/schedule/runs/{run_id}/publish")  # a second click
    waiting = browser.get(f"/organiser/events/{event_id}/schedule").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Meeting.slot_id.is_not(None))) == 0  # only queued
        assert run_queued() == {"done": 1, "failed": 0, "retry": 0, "lost": 0}  # one job for both clicks
    job_page = browser.get(queued.headers["Location"]).get_data(as_text=True)
    published = browser.get(f"/organiser/events/{event_id}/schedule")

    assert again.headers["Location"] == queued.headers["Location"]
    assert "The schedule is being published." in waiting
    assert "Schedule published: 2 meetings changed" in job_page
    assert "2 meetings scheduled, 0 accepted but unscheduled, 2 pinned." in published.get_data(as_text=True)
    released = browser.post(f"/organiser/events/{event_id}/schedule/release", follow_redirects=True)
    assert "2 meetings released" in released.get_data(as_text=True)


def test_schedule_command_publishes_a_run(app):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event, a, b, _c = _tight(organiser)
        scheduling_runs.set_mode(event=event, mode="batch")
        _meet(a, b)
        db.session.commit()
        event_id = event.id

    result = app.test_cli_runner().invoke(args=["schedule", str(event_id), "--publish", "--time-limit", "5"])
    missing = app.test_cli_runner().invoke(args=["schedule", "999"])

    assert result.exit_code == 0 and "(published): 1 meetings scheduled, upper bound 1" in result.output
    assert missing.exit_code == 1 and "No event with id 999" in missing.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Meeting.slot_id.is_not(None))) == 1


def test_the_draft_review_counts_idle_gaps_now_and_in_the_draft(organiser):
    """Agnieszka meets Bērziņš at 09:00 and Cēsis at 10:00 with 09:30 free between: one gap, which a
    run removes by putting her meetings side by side (unpinned meetings may move)."""
    from matchmaking.services import manual_schedule

    event = make_event(organiser, sessions=((time(9, 0), time(10, 30)),), tables=2)
    a = register(make_user("a@example.org", "Agnieszka"), event)
    b = register(make_user("b@example.org", "Bērziņš"), event)
    c = register(make_user("c@example.org", "Cēsis"), event)
    first, second = _meet(a, b), _meet(a, c)
    nine, _half_past, ten = events.event_slots(event.id)
    table = event.tables[0]
    manual_schedule.move_meeting(event=event, meeting_id=first.id, slot_id=nine.id, table_id=table.id)
    manual_schedule.move_meeting(event=event, meeting_id=second.id, slot_id=ten.id, table_id=table.id)
    for m in (first, second):
        m.pinned = False
    db.session.flush()

    run = scheduling_runs.create_draft(event=event, actor=organiser, time_limit=5)
    assert scheduling_runs.review(run).gaps == {"before": 1, "after": 0}
