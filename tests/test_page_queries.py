"""Personal pages run a fixed number of SQL statements, however large the event and however many
meetings and requests the participant has: what a page shows is loaded by explicit rules
(services/loads.py), never one row at a time."""
from __future__ import annotations

from sqlalchemy import func, or_, select

from matchmaking.extensions import db
from matchmaking.models import Meeting, MeetingRequest, Participant, User
from matchmaking.models.meeting import PENDING
from matchmaking.services import calendar_feed, demo_scale
from matchmaking.services.demo import DEMO_PASSWORD
from tests.conftest import count_statements


def _busiest(event_id: int) -> tuple[Participant, int, int]:
    """(participant, one of their meetings, their number of meetings and requests) of the participant
    with the most scheduled meetings among those with a request waiting for their answer (so that
    every page shows each kind of row: meetings, accepted requests and pending ones)."""
    count = func.count(Meeting.id)
    waiting = select(MeetingRequest.recipient_id).where(MeetingRequest.event_id == event_id,
                                                        MeetingRequest.status == PENDING)
    pid = db.session.scalar(
        select(Participant.id).join(Meeting, or_(Meeting.participant_a_id == Participant.id,
                                                 Meeting.participant_b_id == Participant.id))
        .where(Participant.event_id == event_id, Meeting.slot_id.is_not(None), Participant.id.in_(waiting))
        .group_by(Participant.id).order_by(count.desc(), Participant.id).limit(1))
    mine = or_(Meeting.participant_a_id == pid, Meeting.participant_b_id == pid)
    meeting = db.session.scalar(select(Meeting.id).where(mine, Meeting.slot_id.is_not(None)).limit(1))
    rows = (db.session.scalar(select(func.count()).select_from(Meeting).where(mine))
            + db.session.scalar(select(func.count()).select_from(MeetingRequest).where(
                or_(MeetingRequest.requester_id == pid, MeetingRequest.recipient_id == pid))))
    return db.session.get(Participant, pid), meeting, rows


def _event_pages(app, people: int, tag: str) -> tuple[str, dict[str, str], int]:
    """Load an event of the een shape with ``people`` participants; the log-in of its busiest
    participant, the paths of their personal pages, and how many meetings and requests they have."""
    with app.app_context():
        summary = demo_scale.build_scale(demo_scale.Scale.of(people), seed=3, tag=tag)
        me, meeting, rows = _busiest(summary.event_id)
        email = me.user.email
        token = calendar_feed.ensure_feed(db.session.get(User, me.user_id), app.config["SECRET_KEY"])
        db.session.commit()
        e, pid = summary.event_id, me.id
    return email, {"agenda": f"/events/{e}/agenda", "agenda.ics": f"/events/{e}/agenda.ics",
                   "private feed": f"/calendar/feed/{token}.ics", "meeting page": f"/events/{e}/meetings/{meeting}",
                   "directory": f"/events/{e}/participants", "profile": f"/events/{e}/participants/{pid}",
                   "requests": f"/events/{e}/requests", "recommendations": f"/events/{e}/recommendations"}, rows


def _statements(app, make_browser, email: str, paths: dict[str, str]) -> dict[str, int]:
    browser = make_browser()
    browser.login(email, DEMO_PASSWORD)
    counts = {}
    for name, path in paths.items():
        with count_statements(app) as statements:
            response = browser.get(path)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(statements)
    return counts


def test_personal_pages_run_as_many_statements_in_a_larger_event(app, make_browser):
    small_email, small_paths, small_rows = _event_pages(app, 20, "s")
    large_email, large_paths, large_rows = _event_pages(app, 120, "l")
    assert large_rows > small_rows  # the larger event's participant has more to show

    small = _statements(app, make_browser, small_email, small_paths)
    large = _statements(app, make_browser, large_email, large_paths)

    assert large == small
    # what the pages load, with the session, the user, the event and the participant (5 statements)
    assert small["agenda"] <= 12 and small["requests"] <= 8 and small["meeting page"] <= 7, small
