"""Interest marks raise a meeting's priority in the organiser's batch runs, and the review says so."""
from __future__ import annotations

from datetime import time

from sqlalchemy import select

from matchmaking.background import run_queued
from matchmaking.extensions import db
from matchmaking.models import Meeting, ScheduleRun
from matchmaking.services import meetings, recommendations, scheduling_runs
from matchmaking.services.priorities import (
    BASE_PRIORITY,
    MUTUAL,
    MUTUAL_INTEREST_PRIORITY,
    NO_INTEREST,
    ONE_SIDED,
    ONE_SIDED_INTEREST_PRIORITY,
    Signals,
    priority,
)
from matchmaking.services.schedule_instance import batch_instance, load_live_schedule
from tests.factories import make_event, make_user, register

ONE_SLOT = ((time(9, 0), time(9, 30)),)


def _meet(a, b):
    request = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
    return meetings.accept_request(recipient=b, request_id=request.id)


def test_priority_grows_with_interest_on_each_side():
    assert priority(Signals()) == BASE_PRIORITY == 1
    assert priority(Signals(interest=NO_INTEREST)) == 1
    assert priority(Signals(interest=ONE_SIDED)) == ONE_SIDED_INTEREST_PRIORITY == 2
    assert priority(Signals(interest=MUTUAL)) == MUTUAL_INTEREST_PRIORITY == 3


def _scarce(app):
    """One slot. Anna and Bērziņš marked each other interested and have a meeting; each also has a plain
    one (Anna with Cezary, Bērziņš with Dace). Counting meetings alone, the two plain ones fill the slot;
    mutual interest (3) outweighs them (1 + 1). Ewa marked Filip, who did not answer: one-sided."""
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, sessions=ONE_SLOT, tables=3)
        scheduling_runs.set_mode(event=event, mode="batch")
        a, b, c, d, e, f = (register(make_user(f"{n[0].lower()}@example.org", n), event, organisation=f"{n} Org")
                            for n in ("Anna", "Bērziņš", "Cezary", "Dace", "Ewa", "Filip"))
        plain, other_plain, wanted, one_sided = _meet(a, c), _meet(b, d), _meet(a, b), _meet(e, f)
        recommendations.mark(viewer=a, other_id=b.id, mark="interested")
        recommendations.mark(viewer=b, other_id=a.id, mark="interested")
        recommendations.mark(viewer=e, other_id=f.id, mark="interested")
        recommendations.mark(viewer=c, other_id=b.id, mark="interested")  # not a pair that meets: no effect
        recommendations.mark(viewer=d, other_id=b.id, mark="not_for_me")
        db.session.commit()
        return event.id, (plain.id, other_plain.id), wanted.id, one_sided.id


def test_the_bridge_weighs_only_the_marks_between_the_two_people(app):
    event_id, (plain, other_plain), wanted, one_sided = _scarce(app)
    with app.app_context():
        live = load_live_schedule(event_id)
        weighted, interest = batch_instance(live, event_id)

        assert interest == {wanted: MUTUAL, one_sided: ONE_SIDED}
        assert {r.id: r.priority for r in weighted.requests} == {
            f"m{plain}": 1, f"m{other_plain}": 1, f"m{wanted}": 3, f"m{one_sided}": 2}
        assert {r.priority for r in live.instance.requests} == {1}  # incremental placement stays unweighted


def test_mutual_interest_wins_the_scarce_slot_and_the_organiser_sees_why(app, browser):
    event_id, (plain, other_plain), wanted, one_sided = _scarce(app)
    browser.login("org@example.org")

    queued = browser.post(f"/organiser/events/{event_id}/schedule/run", {"time_limit": "5"})
    assert queued.status_code == 302
    with app.app_context():
        assert run_queued()["done"] == 1
    page = browser.get(f"/organiser/events/{event_id}/schedule").get_data(as_text=True)

    assert "2 meetings scheduled; at most 3 are possible" in page  # counted in meetings, not priorities
    assert "Added: 2 · moved: 0 · unchanged: 0 · no longer scheduled: 0 · still unscheduled: 2" in page
    added, unscheduled = page.split("<h3>Added</h3>", 1)[1].split("Still unscheduled", 1)
    assert "Anna (Anna Org) — Bērziņš (Bērziņš Org)" in added and "Ewa (Ewa Org)" in added
    assert "Cezary Org" in unscheduled and "Dace Org" in unscheduled
    assert "mutual, 1 scheduled and 0 unscheduled; one-sided, 1 scheduled and 0 unscheduled." in page

    with app.app_context():
        run_id = db.session.scalar(select(ScheduleRun.id))
    browser.post(f"/organiser/events/{event_id}/schedule/runs/{run_id}/publish")
    with app.app_context():
        assert run_queued()["done"] == 1  # the background process publishes it
        slots = dict(db.session.execute(select(Meeting.id, Meeting.slot_id).where(Meeting.event_id == event_id)).all())
        assert slots[wanted] and slots[one_sided] and slots[plain] is None and slots[other_plain] is None


def test_the_interest_page_explains_that_marks_raise_priority(app, browser):
    event_id, *_ = _scarce(app)
    browser.login("org@example.org")
    html = browser.get(f"/organiser/events/{event_id}/interest").get_data(as_text=True)
    assert "In a batch run of the scheduler" in html and "placed first" in html
