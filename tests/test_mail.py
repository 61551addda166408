"""E-mail through the outbox and a real SMTP server on localhost; background jobs with a set clock."""
from __future__ import annotations

import email
import threading
from datetime import date, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from matchmaking import jobs
from matchmaking.extensions import db
from matchmaking.mail.sender import deliver_due
from matchmaking.models import Event, OutboxMessage, Participant
from matchmaking.services import digests, meetings, outbox, reminders, scheduling_runs
from tests.conftest import free_port
from tests.factories import make_event, make_user, register

DAY = date(2030, 5, 20)  # meetings 09:00-10:00 in Riga (06:00-07:00 UTC)


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"



class SmtpServer:
    """A real SMTP server on localhost that can go down and come back on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    @property
    def messages(self):
        return self.inbox.messages

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(app):
    server = SmtpServer()
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()


@pytest.fixture
def world(app):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, day=DAY)
        anna_user = make_user("anna@example.org", "Anna Wiśniewska")
        anna_user.locale = "pl"
        anna = register(anna_user, event, organisation="Klaster Łomża")
        janis = register(make_user("janis@example.org", "Jānis Bērziņš"), event, organisation="Rokavaldīna")
        db.session.commit()
        return {"event": event.id, "anna": anna.id, "janis": janis.id}


def _request_and_accept(app, world):
    with app.app_context():
        anna, janis = db.session.get(Participant, world["anna"]), db.session.get(Participant, world["janis"])
        request = meetings.request_meeting(requester=anna, recipient=janis, message="Sveiki! 🙂", online=False)
        meeting = meetings.accept_request(recipient=janis, request_id=request.id)
        db.session.commit()
        return meeting.id


def _deliver(app, now=None):
    with app.app_context():
        return deliver_due(now=now)


def test_request_and_acceptance_mail_reach_the_smtp_server(app, world, smtp):
    _request_and_accept(app, world)

    counts = _deliver(app)

    assert counts == {"sent": 3, "retry": 0, "failed": 0, "skipped": 0}
    by_recipient = {}
    for message in smtp.messages:
        by_recipient.setdefault(message["To"], []).append(message)
    janis_mail = by_recipient["Jānis Bērziņš <janis@example.org>"]
    assert [m["Subject"] for m in janis_mail] == ["Anna Wiśniewska would like to meet you",
                                                  "Your meeting with Anna Wiśniewska is scheduled"]
    assert "Sveiki! 🙂" in janis_mail[0].get_body(("plain",)).get_content()
    scheduled = janis_mail[1]
    assert "09:00" in scheduled.get_body(("plain",)).get_content()
    assert scheduled.get_body(("html",)) is not None
    [ics] = [part for part in scheduled.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert b"DTSTART;TZID=Europe/Riga:20300520T090000" in ics.get_content().encode()


def test_nothing_is_lost_while_the_server_is_down_and_nothing_is_sent_twice(app, world, smtp):
    _request_and_accept(app, world)
    smtp.stop()

    down = _deliver(app)
    again_too_early = _deliver(app)

    assert down == {"sent": 0, "retry": 3, "failed": 0, "skipped": 0}
    assert again_too_early["sent"] == 0 and again_too_early["retry"] == 0  # waiting for the backoff
    with app.app_context():
        errors = db.session.scalars(select(OutboxMessage.last_error)).all()
        assert all("ConnectionRefusedError" in e for e in errors)
    smtp.start()
    later = datetime.utcnow() + timedelta(minutes=2)

    assert _deliver(app, now=later)["sent"] == 3
    assert _deliver(app, now=later + timedelta(hours=1))["sent"] == 0
    assert len(smtp.messages) == 3
    with app.app_context():
        assert set(db.session.scalars(select(OutboxMessage.attempts))) == {2}


def test_two_senders_at_once_send_each_message_once(app, world, smtp):
    _request_and_accept(app, world)
    results = []
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        results.append(_deliver(app))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert sum(r["sent"] for r in results) == 3 and len(smtp.messages) == 3


def test_mail_goes_out_in_the_recipients_language(app, world, smtp):
    """Anna chose Polish: her dates are Polish, whoever caused the mail (Jānis keeps English)."""
    _request_and_accept(app, world)

    _deliver(app)

    scheduled = {m["To"]: m.get_body(("plain",)).get_content() for m in smtp.messages
                 if "is scheduled" in m["Subject"] or "ma termin" in m["Subject"]}  # Anna's subject is Polish
    assert "pon. 20 maj 2030" in scheduled["Anna Wiśniewska <anna@example.org>"]
    assert "Mon 20 May 2030" in scheduled["Jānis Bērziņš <janis@example.org>"]


def test_muted_categories_are_not_queued(app, world):
    with app.app_context():
        janis = db.session.get(Participant, world["janis"])
        outbox.set_muted(janis.user, {"requests"})
        anna = db.session.get(Participant, world["anna"])
        meetings.request_meeting(requester=anna, recipient=janis, message="", online=False)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_reminders_come_once_the_evening_before_and_fifteen_minutes_before(app, world, smtp):
    _request_and_accept(app, world)
    with app.app_context():
        db.session.query(OutboxMessage).delete()
        db.session.commit()
    evening = datetime(2030, 5, 19, 15, 30)  # 18:30 in Riga the day before
    afternoon = datetime(2030, 5, 19, 12, 0)  # 15:00 in Riga: too early for the evening reminder
    soon = datetime(2030, 5, 20, 5, 50)  # 08:50 in Riga

    def run(now):
        with app.app_context():
            count = reminders.queue_reminders(now=now, times=reminders.ReminderTimes.from_config(app.config))
            db.session.commit()
            return count

    assert run(afternoon) == 0
    assert run(evening) == 2 and run(evening + timedelta(minutes=1)) == 0
    assert run(soon) == 2 and run(soon + timedelta(minutes=1)) == 0
    _deliver(app, now=soon)
    subjects = sorted(m["Subject"] for m in smtp.messages)
    assert subjects == ["In a few minutes: meeting with Anna Wiśniewska",  # Jānis reads English
                        "Jutro: Twoje spotkania", "Tomorrow: your meetings",  # Anna reads Polish
                        "Za kilka minut: spotkanie z Jānis Bērziņš"]


def test_daily_digest_lists_pending_requests_once_a_day(app, world):
    with app.app_context():
        anna, janis = db.session.get(Participant, world["anna"]), db.session.get(Participant, world["janis"])
        meetings.request_meeting(requester=anna, recipient=janis, message="", online=False)
        db.session.query(OutboxMessage).delete()
        db.session.commit()
        morning = datetime(2030, 5, 18, 9, 0)
        assert digests.queue_digests(now=morning.replace(hour=6)) == 0  # before the digest hour
        assert digests.queue_digests(now=morning) == 1
        assert digests.queue_digests(now=morning + timedelta(hours=3)) == 0
        assert digests.queue_digests(now=morning + timedelta(days=1)) == 1


def test_deadline_job_runs_the_batch_scheduler_once(app, world):
    with app.app_context():
        event = db.session.get(Event, world["event"])
        scheduling_runs.set_mode(event=event, mode="batch")
        event.auto_schedule = True
        event.request_deadline = datetime(2030, 5, 10, 12, 0)
        anna, janis = db.session.get(Participant, world["anna"]), db.session.get(Participant, world["janis"])
        request = meetings.request_meeting(requester=anna, recipient=janis, message="", online=False)
        meetings.accept_request(recipient=janis, request_id=request.id)
        db.session.commit()

        assert jobs.schedule_at_deadlines(datetime(2030, 5, 10, 11, 0)) == []
        assert jobs.schedule_at_deadlines(datetime(2030, 5, 10, 12, 1)) == [world["event"]]
        assert jobs.schedule_at_deadlines(datetime(2030, 5, 10, 12, 2)) == []
        from matchmaking.models import Meeting, ScheduleRun

        assert db.session.scalar(select(func.count()).select_from(ScheduleRun)) == 1
        assert db.session.scalar(select(Meeting.slot_id)) is not None


def test_scheduler_process_runs_the_outbox_job(app, world, smtp):
    _request_and_accept(app, world)

    scheduler = jobs.start_scheduler(app, blocking=False)
    try:
        job_ids = {job.id for job in scheduler.get_jobs()}
        scheduler.get_job("outbox").modify(next_run_time=datetime.now().astimezone())
        for _ in range(100):
            if len(smtp.messages) == 3:
                break
            threading.Event().wait(0.1)
    finally:
        scheduler.shutdown(wait=True)

    assert len(smtp.messages) == 3
    assert job_ids == {"outbox", "webhooks", "reminders", "digests", "requests", "deadlines", "retention_reminders",
                       "retention", "jobs", "evening_summaries", "followups"}


def test_users_turn_mail_categories_off_on_their_settings_page(app, world, browser):
    browser.login("janis@example.org")

    browser.post("/account/mail", {"categories": ["schedule", "reminders"]})
    _request_and_accept(app, world)

    with app.app_context():
        kinds = {(m.user.email, m.kind) for m in db.session.scalars(select(OutboxMessage))}
    assert ("janis@example.org", "request_received") not in kinds
    assert ("janis@example.org", "meeting_scheduled") in kinds
    page = browser.get("/calendar").get_data(as_text=True)
    assert 'value="requests"' in page and 'value="requests" checked' not in page


def test_organiser_writes_to_a_filtered_group(app, world, browser, smtp):
    browser.login("org@example.org")

    sent = browser.post(f"/organiser/events/{world['event']}/participants/message",
                        {"subject": "Zmiana sali / Room change", "body": "Spotkania w sali B.", "country": "PL",
                         "organisation_type": ""}, follow_redirects=True)
    _deliver(app)

    assert "Your message is on its way to 2 participants." in sent.get_data(as_text=True)
    assert sorted(m["Subject"] for m in smtp.messages) == ["Zmiana sali / Room change"] * 2
    assert "Spotkania w sali B." in smtp.messages[0].get_body(("plain",)).get_content()


def test_reminders_follow_the_configured_times(app, world, smtp):
    _request_and_accept(app, world)
    app.config.update(REMINDER_MINUTES_BEFORE=60, REMINDER_EVENING_AT="")
    try:
        with app.app_context():
            db.session.query(OutboxMessage).delete()
            times = reminders.ReminderTimes.from_config(app.config)
            assert reminders.queue_reminders(now=datetime(2030, 5, 19, 15, 30), times=times) == 0  # evening summary off
            assert reminders.queue_reminders(now=datetime(2030, 5, 20, 5, 5), times=times) == 2  # 55 minutes before
            db.session.commit()
    finally:
        app.config.update(REMINDER_MINUTES_BEFORE=15, REMINDER_EVENING_AT="18:00")


def test_unanswered_requests_expire_at_the_deadline(app, world):
    with app.app_context():
        event = db.session.get(Event, world["event"])
        event.request_deadline = datetime(2030, 5, 10, 12, 0)
        anna, janis = db.session.get(Participant, world["anna"]), db.session.get(Participant, world["janis"])
        request = meetings.request_meeting(requester=anna, recipient=janis, message="", online=False)
        db.session.commit()

        assert meetings.close_requests_at_deadlines(now=datetime(2030, 5, 10, 11, 59)) == 0
        assert meetings.close_requests_at_deadlines(now=datetime(2030, 5, 10, 12, 0)) == 1
        assert meetings.close_requests_at_deadlines(now=datetime(2030, 5, 10, 12, 5)) == 0
        db.session.refresh(request)
        assert request.status == "expired"


def test_a_message_that_cannot_be_composed_fails_alone_and_the_rest_go_out(app, world, smtp):
    """A name with a line break (from before names were checked) cannot go into a header: that row is
    marked failed with the error, and the messages queued after it are delivered in the same run."""
    with app.app_context():
        eve = register(make_user("eve@example.org", "Eve"), db.session.get(Event, world["event"]),
                       organisation="Tartu Textiles", country="EE")
        eve.user.name = "Eve\r\nBcc: everyone@example.org"  # as stored before names were checked
        for n in range(3):  # queued first, so a sender that retried them would meet them first every run
            outbox.enqueue("organiser_message", eve.user, {"participant": eve.id, "subject": f"x{n}", "body": "y"})
        db.session.flush()
        db.session.execute(update(Participant).where(Participant.id == eve.id).values(status="deactivated"))
        outbox.message_participants(event_id=world["event"], subject="Room B", body="Hall B, 1st floor")
        db.session.commit()

    counts = _deliver(app)

    assert counts == {"sent": 2, "retry": 0, "failed": 3, "skipped": 0}
    assert sorted(m["To"] for m in smtp.messages) == ["Anna Wiśniewska <anna@example.org>",
                                                      "Jānis Bērziņš <janis@example.org>"]
    with app.app_context():
        failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")).all()
        assert len(failed) == 3 and all("cannot be composed" in m.last_error for m in failed)
    assert _deliver(app, now=datetime.utcnow() + timedelta(days=2)) == {"sent": 0, "retry": 0, "failed": 0,
                                                                       "skipped": 0}


def test_enqueue_many_keeps_the_rules_of_enqueue(app, world):
    """Muted categories are left out, and a de-duplication key queues once: whether it was queued
    before, or twice in the same batch; messages without a key are all queued."""
    with app.app_context():
        anna, janis = db.session.get(Participant, world["anna"]), db.session.get(Participant, world["janis"])
        outbox.set_muted(janis.user, {"schedule"})
        outbox.enqueue("meeting_moved", anna.user, {"meeting": 1}, dedupe_key="earlier")

        queued = outbox.enqueue_many([
            ("meeting_scheduled", anna.user_id, {"meeting": 1}, "k1"),
            ("meeting_scheduled", anna.user_id, {"meeting": 1}, "k1"),
            ("meeting_moved", anna.user_id, {"meeting": 1}, "earlier"),
            ("meeting_scheduled", janis.user_id, {"meeting": 1}, "k2"),  # muted
            ("password_reset", janis.user_id, {}, None),  # always sent
            ("organiser_message", anna.user_id, {"participant": anna.id}, None),
            ("organiser_message", anna.user_id, {"participant": anna.id}, None),
        ])
        db.session.commit()

        rows = db.session.execute(select(OutboxMessage.kind, OutboxMessage.user_id, OutboxMessage.dedupe_key)
                                  .order_by(OutboxMessage.id)).all()
        assert queued == 4
        assert [tuple(r) for r in rows] == [
            ("meeting_moved", anna.user_id, "earlier"), ("meeting_scheduled", anna.user_id, "k1"),
            ("password_reset", janis.user_id, None), ("organiser_message", anna.user_id, None),
            ("organiser_message", anna.user_id, None)]


def test_a_published_batch_run_mails_each_side_in_their_language(app, world, smtp):
    """The publishing job queues the mails in bulk; each still goes out in its recipient's language."""
    from matchmaking.background import run_queued
    from matchmaking.models import User
    from matchmaking.services import background_jobs

    with app.app_context():
        event = db.session.get(Event, world["event"])
        scheduling_runs.set_mode(event=event, mode="batch")
        anna, janis = db.session.get(Participant, world["anna"]), db.session.get(Participant, world["janis"])
        request = meetings.request_meeting(requester=anna, recipient=janis, message="", online=False)
        meetings.accept_request(recipient=janis, request_id=request.id)
        run = scheduling_runs.create_draft(event=event, actor=None, time_limit=2)
        organiser = db.session.scalar(select(User).where(User.email == "org@example.org"))
        background_jobs.enqueue_publish(event=event, actor=organiser, run=run)
        db.session.commit()
        assert run_queued()["done"] == 1

    _deliver(app)

    scheduled = {m["To"]: m["Subject"] for m in smtp.messages if "scheduled" in m["Subject"]
                 or "ma termin" in m["Subject"]}
    assert set(scheduled) == {"Anna Wiśniewska <anna@example.org>", "Jānis Bērziņš <janis@example.org>"}
    assert "ma termin" in scheduled["Anna Wiśniewska <anna@example.org>"]
    assert "is scheduled" in scheduled["Jānis Bērziņš <janis@example.org>"]


def test_the_follow_up_goes_through_the_outbox_once_in_each_recipients_language(app, world, smtp, client):
    """Seven months on, each side gets one follow-up mail (Anna in Polish) whose link opens without a log-in;
    the one reminder two weeks later goes only to the side that has not answered."""
    from matchmaking.services import outcomes

    meeting_id = _request_and_accept(app, world)
    later = datetime(2030, 12, 21, 9, 0)
    with app.app_context():
        db.session.query(OutboxMessage).delete()
        assert outcomes.queue_followups(now=later) == 2
        assert outcomes.queue_followups(now=later + timedelta(hours=1)) == 0  # claimed: once per event
        db.session.commit()
    _deliver(app)

    mails = {m["To"]: m for m in smtp.messages}
    anna = mails["Anna Wiśniewska <anna@example.org>"]
    assert anna["Subject"] == "Do czego doprowadziły Twoje spotkania na Baltic Cluster Brokerage?"
    assert "Rokavaldīna" in anna.get_body(("plain",)).get_content()
    janis_text = mails["Jānis Bērziņš <janis@example.org>"].get_body(("plain",)).get_content()
    assert "What came of each meeting?" in janis_text and "Klaster Łomża" in janis_text
    link = janis_text[janis_text.index("/outcomes/"):].split()[0]
    page = client.get(link)
    assert page.status_code == 200 and "Your meeting with Anna Wiśniewska" in page.get_data(as_text=True)

    with app.app_context():
        janis = db.session.get(Participant, world["janis"])
        outcomes.answer_followup(meeting=db.session.get(meetings.Meeting, meeting_id), participant=janis,
                                 answer="valuable_contact", now=later)
        db.session.commit()
        assert outcomes.queue_followups(now=later + timedelta(days=13)) == 0
        assert outcomes.queue_followups(now=later + timedelta(days=14, hours=1)) == 1
        assert outcomes.queue_followups(now=later + timedelta(days=15)) == 0
        reminders_queued = db.session.execute(select(OutboxMessage.kind, OutboxMessage.user_id).where(
            OutboxMessage.kind == "followup_reminder")).all()
        assert reminders_queued == [("followup_reminder", db.session.get(Participant, world["anna"]).user_id)]
