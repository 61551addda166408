"""The rules the models carry: an event's lifecycle and organisers, a live meeting, a pair's open request,
and the shared "X of this event" look-up."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from matchmaking.extensions import db
from matchmaking.models import Event, Meeting, MeetingRequest, MeetingSession, MeetingTable, Participant
from matchmaking.models.meeting import UNSCHEDULED_REASONS
from matchmaking.services import meetings
from matchmaking.services.errors import NotFound
from matchmaking.services.lookup import one_of_event
from tests.factories import make_event, make_user

NOON = datetime(2030, 5, 20, 12, 0)
MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(("opens", "closes", "now", "expected"), [
    (None, None, NOON, True),
    (NOON, None, NOON - MINUTE, False),  # before it opens
    (NOON, None, NOON, True),  # from the instant it opens
    (None, NOON, NOON, True),  # up to the deadline itself
    (None, NOON, NOON + MINUTE, False),  # after the deadline
    (NOON - MINUTE, NOON + MINUTE, NOON, True),
])
def test_registration_and_requests_open_between_their_dates(opens, closes, now, expected):
    registration = Event(registration_opens_at=opens, registration_deadline=closes)
    requests = Event(requests_open_at=opens, request_deadline=closes)
    assert registration.registration_open(now) is expected
    assert requests.requests_open(now) is expected
    # Each rule reads its own dates only.
    assert registration.requests_open(now) is True and requests.registration_open(now) is True


def test_the_schedule_is_visible_from_its_publication():
    assert Event(schedule_published_at=None).schedule_visible(NOON)
    event = Event(schedule_published_at=NOON)
    assert not event.schedule_visible(NOON - MINUTE)
    assert event.schedule_visible(NOON)
    assert event.schedule_visible(NOON + MINUTE)


def test_an_event_is_organised_by_its_organisers_and_admins(ctx):
    organiser = make_user("org@example.org", organiser=True)
    other_organiser = make_user("other@example.org", organiser=True)
    admin = make_user("admin@example.org", admin=True)
    event = make_event(organiser)
    assert event.is_organised_by(organiser)
    assert event.is_organised_by(admin)
    assert not event.is_organised_by(other_organiser)
    assert not event.is_organised_by(AnonymousUserMixin())
    assert not event.is_organised_by(None)


def _accepted_meeting(pair) -> Meeting:
    a, b = db.session.get(Participant, pair[1]), db.session.get(Participant, pair[2])
    request = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
    return meetings.accept_request(recipient=b, request_id=request.id)


def test_a_meeting_is_live_until_cancelled_on_the_instance_and_in_queries(app, pair):
    assert str(select(Meeting.id).where(Meeting.is_live)).endswith("WHERE meeting.cancelled_at IS NULL")
    assert str(select(Meeting.id).where(~Meeting.is_live)).endswith("WHERE meeting.cancelled_at IS NOT NULL")
    with app.app_context():
        meeting = _accepted_meeting(pair)
        assert meeting.is_live and meeting.is_scheduled
        live = select(func.count(Meeting.id)).where(Meeting.is_live)
        assert db.session.scalar(live) == 1
        meetings.cancel(meeting=meeting, by=None, reason="")
        assert not meeting.is_live and not meeting.is_scheduled
        assert db.session.scalar(live) == 0
        assert db.session.scalar(select(func.count(Meeting.id)).where(~Meeting.is_live)) == 1


def test_a_pair_has_one_open_request_found_either_way_round(app, pair):
    event_id, a_id, b_id = pair
    with app.app_context():
        assert db.session.scalar(MeetingRequest.for_pair(event_id, a_id, b_id)) is None
        meeting = _accepted_meeting(pair)
        assert db.session.scalar(MeetingRequest.for_pair(event_id, b_id, a_id)).id == meeting.request_id
        assert db.session.scalar(MeetingRequest.for_pair(event_id + 1, a_id, b_id)) is None
        meetings.cancel(meeting=meeting, by=None, reason="")  # a cancelled request is no longer open
        assert db.session.scalar(MeetingRequest.for_pair(event_id, a_id, b_id)) is None


def test_the_stored_unscheduled_reasons_keep_their_values():
    assert UNSCHEDULED_REASONS == ("no_common_session", "participant_full", "no_common_free_slot", "no_table_free",
                                   "max_meetings_reached", "waiting_for_batch", "outside_window")


def test_one_of_event_finds_only_rows_of_that_event(ctx):
    organiser = make_user("org@example.org", organiser=True)
    event, elsewhere = make_event(organiser), make_event(organiser, name="Elsewhere")
    table, session = event.tables[0], event.days[0].sessions[0]
    assert one_of_event(MeetingTable, event.id, table.id) is table
    assert one_of_event(Event, event.id, event.id) is event
    assert one_of_event(MeetingSession, event.id, session.id) is session  # it belongs to the event through its day
    with pytest.raises(NotFound):
        one_of_event(MeetingSession, elsewhere.id, session.id)
    for event_id, object_id in ((elsewhere.id, table.id), (event.id, table.id + 1000), (event.id, 0),
                                (event.id, None), (event.id, 2**31), (event.id, "1")):
        with pytest.raises(NotFound):
            one_of_event(MeetingTable, event_id, object_id)
    with pytest.raises(NotFound):  # the extra conditions must hold too
        one_of_event(MeetingTable, event.id, table.id, MeetingTable.name == "no such name")
