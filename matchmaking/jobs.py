"""Background jobs, run by APScheduler in their own process (``flask scheduler``), never in web workers.

Each job opens an app context, calls a service with the current time, and commits; the work itself
(reminders, digests, request expiry, delivery, outcome questions, the retention purge) lives in services,
``matchmaking.mail`` and ``matchmaking.webhooks``. Every job is idempotent and safe when two runs
overlap: messages are queued with de-duplication keys, the outbox and the webhook deliveries are
claimed row by row, and the deadline run, the follow-up mails and the organisers' background jobs
(imports, scheduler runs: ``matchmaking.background``) are claimed with a conditional update.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import Engine, select, text, update

from .background import run_queued
from .extensions import db, set_sqlite_write_intent
from .mail.sender import deliver_due
from .models import Event
from .models.base import utcnow
from .services import digests, meetings, outcomes, personal_data, reminders, scheduling_runs
from .services.errors import NothingToSchedule
from .webhooks.sender import deliver_due as deliver_webhooks_due


def _deliver(now: datetime) -> dict[str, int]:
    return deliver_due(now=now)  # claims and commits message by message itself


def _webhooks(now: datetime) -> dict[str, int]:
    return deliver_webhooks_due(now=now)  # claims and commits delivery by delivery itself


def _reminders(now: datetime) -> int:
    return reminders.queue_reminders(now=now, times=reminders.ReminderTimes.from_config(current_app.config))


def _digests(now: datetime) -> int:
    return digests.queue_digests(now=now)


def _evening_summaries(now: datetime) -> int:
    return outcomes.queue_evening_summaries(now=now)  # de-duplicated: one per participant and day


def _followups(now: datetime) -> int:
    return outcomes.queue_followups(now=now)  # each event's mail and reminder claimed once, queued in bulk


def _background_jobs(now: datetime) -> dict[str, int]:
    return run_queued()  # claims and commits job by job, step by step, itself


def _expire_requests(now: datetime) -> int:
    return meetings.close_requests_at_deadlines(now=now)


def schedule_at_deadlines(now: datetime) -> list[int]:
    """Run and publish the batch scheduler for events that asked for it, once their request deadline passed."""
    done = []
    due = db.session.scalars(select(Event.id).where(
        Event.auto_schedule.is_(True), Event.auto_scheduled_at.is_(None), Event.request_deadline <= now)).all()
    for event_id in due:
        claimed = db.session.execute(update(Event).where(Event.id == event_id, Event.auto_scheduled_at.is_(None))
                                     .values(auto_scheduled_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            continue  # another run took it
        with suppress(NothingToSchedule):  # no meetings at the deadline: the claim stays, nothing to publish
            scheduling_runs.run_and_publish(event=db.session.get(Event, event_id))
        db.session.commit()
        done.append(event_id)
    return done


def _retention_reminders(now: datetime) -> int:
    return personal_data.queue_retention_reminders(now=now)  # de-duplicated: each reminder goes once


def purge_expired_personal_data(now: datetime) -> list[int]:
    """Anonymise the participants of events whose retention period has passed, each event once
    (claimed by ``purge_event``'s conditional update) and committed on its own."""
    done = []
    for event_id in personal_data.events_due_for_purge(now=now):
        if personal_data.purge_event(event_id=event_id, now=now):
            db.session.commit()
            done.append(event_id)
    return done


def run_job(app: Flask, job: Callable[[datetime], object]) -> None:
    """Run one job in its own app context and transaction: call it with the current time, then commit."""
    with app.app_context():
        set_sqlite_write_intent(True)
        try:
            job(utcnow())
            db.session.commit()
        finally:
            db.session.remove()


# The key of the PostgreSQL advisory lock that one background process holds (any 64-bit number all copies share).
SCHEDULER_LOCK_KEY = 7_236_001


@contextmanager
def only_background_process(engine: Engine, *, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold a PostgreSQL session-level advisory lock while the background process runs, so that a second copy
    (started by mistake, or as a standby on another machine) waits instead of running every job twice.

    The jobs are idempotent on their own; the lock saves the duplicated work and mail claims. The lock lives
    with its connection: when the holder dies, PostgreSQL drops it and a waiting copy takes over. Elsewhere
    (SQLite, one machine) there is nothing to wait for.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": SCHEDULER_LOCK_KEY}):
            connection.commit()
            on_wait()
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEDULER_LOCK_KEY})
        connection.commit()  # the lock is the session's, not the transaction's: nothing stays open
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEDULER_LOCK_KEY})
            connection.commit()


def start_scheduler(app: Flask, *, blocking: bool = True):
    """The scheduler process: every job at most once at a time (APScheduler ``max_instances=1``)."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone="UTC")
    options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 60}
    scheduler.add_job(run_job, "interval", seconds=30, args=[app, _deliver], id="outbox", **options)
    scheduler.add_job(run_job, "interval", seconds=5, args=[app, _background_jobs], id="jobs", **options)
    scheduler.add_job(run_job, "interval", minutes=1, args=[app, _webhooks], id="webhooks", **options)
    scheduler.add_job(run_job, "interval", minutes=1, args=[app, _reminders], id="reminders", **options)
    scheduler.add_job(run_job, "interval", minutes=15, args=[app, _digests], id="digests", **options)
    scheduler.add_job(run_job, "interval", minutes=1, args=[app, _expire_requests], id="requests", **options)
    scheduler.add_job(run_job, "interval", minutes=1, args=[app, schedule_at_deadlines], id="deadlines",
                      **options)
    scheduler.add_job(run_job, "interval", minutes=15, args=[app, _evening_summaries], id="evening_summaries",
                      **options)
    scheduler.add_job(run_job, "interval", hours=1, args=[app, _followups], id="followups", **options)
    scheduler.add_job(run_job, "interval", hours=1, args=[app, _retention_reminders], id="retention_reminders",
                      **options)
    scheduler.add_job(run_job, "interval", hours=1, args=[app, purge_expired_personal_data], id="retention",
                      **options)
    scheduler.start()
    return scheduler
