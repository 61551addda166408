"""Parallel accepts never double-book: the database's constraints decide, not Python checks.

Each test fires 20 accepts at once from 20 threads, each with its own client (its own session and
database connection), on the suite's database: a SQLite file or PostgreSQL.
"""
from __future__ import annotations

import threading
from datetime import time

from sqlalchemy import func, select

from matchmaking.extensions import db
from matchmaking.models import Meeting, MeetingRequest, PartnerMark, SlotBooking
from matchmaking.models.meeting import NO_TABLE_FREE, PARTICIPANT_FULL
from matchmaking.services import meetings
from tests.conftest import post_at_once
from tests.factories import make_event, make_user, register

PARALLEL = 20
ONE_SLOT = ((time(9, 0), time(9, 30)),)


def test_parallel_accepts_for_one_participants_only_slot_book_it_once(app, make_browser):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, sessions=ONE_SLOT, tables=PARALLEL)
        star = register(make_user("star@example.org", "Žaneta Wójcik"), event)
        request_ids = []
        for i in range(PARALLEL):
            other = register(make_user(f"p{i}@example.org", f"Jānis {i}"), event, organisation=f"Org {i}")
            request_ids.append(meetings.request_meeting(requester=star, recipient=other, message="", online=False).id)
        db.session.commit()
        star_id, event_id = star.id, event.id
    browsers = []
    for i in range(PARALLEL):
        b = make_browser()
        b.login(f"p{i}@example.org")
        browsers.append(b)

    responses = post_at_once(browsers, [f"/events/{event_id}/requests/{rid}/accept" for rid in request_ids])

    assert [r.status_code for r in responses] == [200] * PARALLEL
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(SlotBooking.participant_id == star_id)) == 1
        live = db.session.scalars(select(Meeting)).all()
        assert len(live) == PARALLEL
        assert sum(1 for m in live if m.slot_id) == 1
        assert {m.unscheduled_reason for m in live if not m.slot_id} == {PARTICIPANT_FULL}


def test_parallel_accepts_for_the_last_table_book_it_once(app, make_browser):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, sessions=ONE_SLOT, tables=1)
        request_ids = []
        for i in range(PARALLEL):
            a = register(make_user(f"a{i}@example.org"), event, organisation=f"A {i}")
            b = register(make_user(f"b{i}@example.org"), event, organisation=f"B {i}")
            request_ids.append(meetings.request_meeting(requester=a, recipient=b, message="", online=False).id)
        db.session.commit()
        event_id = event.id
    browsers = []
    for i in range(PARALLEL):
        b = make_browser()
        b.login(f"b{i}@example.org")
        browsers.append(b)

    responses = post_at_once(browsers, [f"/events/{event_id}/requests/{rid}/accept" for rid in request_ids])

    assert [r.status_code for r in responses] == [200] * PARALLEL
    with app.app_context():
        live = db.session.scalars(select(Meeting)).all()
        assert sum(1 for m in live if m.table_id is not None) == 1
        assert {m.unscheduled_reason for m in live if not m.slot_id} == {NO_TABLE_FREE}


def test_parallel_accepts_of_one_request_accept_it_once(app, make_browser):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser)
        a = register(make_user("a@example.org"), event)
        b = register(make_user("b@example.org"), event, organisation="Rokavaldīna")
        request_id = meetings.request_meeting(requester=a, recipient=b, message="", online=False).id
        db.session.commit()
        event_id = event.id
    browsers = []
    for _ in range(PARALLEL):  # twenty tabs of the same person, each with its own login
        browser = make_browser()
        browser.login("b@example.org")
        browsers.append(browser)

    responses = post_at_once(browsers, [f"/events/{event_id}/requests/{request_id}/accept"] * PARALLEL)

    pages = [r.get_data(as_text=True) for r in responses]
    assert [r.status_code for r in responses] == [200] * PARALLEL
    assert sum("Accepted." in p for p in pages) == 1
    assert sum("already been answered" in p for p in pages) == PARALLEL - 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1
        assert db.session.scalar(select(func.count()).select_from(SlotBooking)) == 2
        assert db.session.get(MeetingRequest, request_id).status == "accepted"


def test_parallel_marks_of_one_partner_store_one_mark(app, make_browser):
    """A double click on "Interested" (here twenty at once) stores the pair once: its unique key decides."""
    with app.app_context():
        event = make_event(make_user("org@example.org", organiser=True))
        register(make_user("a@example.org"), event)
        b = register(make_user("b@example.org"), event, organisation="Rokavaldīna", country="LV")
        db.session.commit()
        event_id, b_id = event.id, b.id
    browsers = []
    for _ in range(PARALLEL):
        browser = make_browser()
        browser.login("a@example.org")
        browsers.append(browser)

    responses = post_at_once(browsers, [f"/events/{event_id}/recommendations/{b_id}/interested"] * PARALLEL)

    assert [r.status_code for r in responses] == [200] * PARALLEL
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PartnerMark)) == 1


def test_parallel_must_meet_accepts_stay_within_the_quota(app, make_browser):
    """Ten accepts marked "must meet" at once, by one participant with a quota of 3: exactly three
    are accepted with the mark, the others refused (still pending), never a fourth mark."""
    parallel = 10
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, tables=parallel)
        star = register(make_user("star@example.org", "Žaneta Wójcik"), event)
        request_ids = [meetings.request_meeting(
            requester=register(make_user(f"p{i}@example.org", f"Jānis {i}"), event, organisation=f"Org {i}"),
            recipient=star, message="", online=False).id for i in range(parallel)]
        db.session.commit()
        event_id = event.id
    browsers = []
    for _i in range(parallel):
        b = make_browser()
        b.login("star@example.org")
        browsers.append(b)
    barrier = threading.Barrier(parallel)
    tokens = [b.token() for b in browsers]

    def run(i):
        barrier.wait()
        browsers[i].client.post(f"/events/{event_id}/requests/{request_ids[i]}/accept",
                                data={"csrf_token": tokens[i], f"r{request_ids[i]}-must_meet": "y"})

    threads = [threading.Thread(target=run, args=(i,)) for i in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    with app.app_context():
        rows = db.session.execute(select(MeetingRequest.status, MeetingRequest.recipient_must_meet)).all()
        assert sorted(rows) == [("accepted", True)] * 3 + [("pending", False)] * (parallel - 3)
