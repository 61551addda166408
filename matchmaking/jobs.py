"""Background jobs, run by APScheduler in their own process (``flask scheduler``), never in web workers.

Each job opens an app context, does its work through services, and commits. Every job is idempotent
and safe when two runs overlap: messages are queued with de-duplication keys, the outbox is claimed
row by row, and the deadline run is claimed with a conditional update.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from flask import Flask, current_app
from sqlalchemy import select, update

from .extensions import db, set_sqlite_write_intent
from .mail.sender import deliver_due
from .models import Event, Meeting, MeetingRequest, Participant, Slot
from .models.base import utcnow
from .models.meeting import EXPIRED, PENDING
from .services import outbox, scheduling_runs
from .services.timezones import to_local

DIGEST_HOUR = 8  # UTC hour from which the day's digest goes out


def _live_meetings_between(start: datetime, end: datetime) -> list[Meeting]:
    return list(db.session.scalars(
        select(Meeting).join(Slot, Meeting.slot_id == Slot.id)
        .where(Meeting.is_live, Slot.starts_at > start, Slot.starts_at <= end)
    ))


def _reminder_settings() -> tuple[timedelta | None, time | None]:
    config = current_app.config
    minutes = int(config.get("REMINDER_MINUTES_BEFORE") or 0)
    evening = (config.get("REMINDER_EVENING_AT") or "").strip()
    return (timedelta(minutes=minutes) if minutes > 0 else None,
            time.fromisoformat(evening) if evening else None)


def queue_reminders(now: datetime) -> int:
    """Reminders shortly before each meeting, and from the evening before a day of meetings, for each side
    (by default 15 minutes before, and at 18:00 in the event's time zone)."""
    soon, evening = _reminder_settings()
    queued = 0
    for meeting in _live_meetings_between(now, now + soon) if soon else ():
        if not meeting.participant_a.event.schedule_visible(now):
            continue
        for side in (meeting.participant_a, meeting.participant_b):
            queued += outbox.enqueue("reminder_soon", side.user, {"meeting": meeting.id},
                                     dedupe_key=f"soon:{meeting.id}:{side.user_id}") is not None
    tomorrow: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in _live_meetings_between(now, now + timedelta(hours=36)) if evening else ():
        event = meeting.participant_a.event
        local_now = to_local(now, event.timezone)
        start_day = to_local(meeting.slot.starts_at, event.timezone).date()
        if start_day == local_now.date() + timedelta(days=1) and local_now.time() >= evening \
                and event.schedule_visible(now):
            tomorrow[meeting.participant_a_id].append(meeting)
            tomorrow[meeting.participant_b_id].append(meeting)
    for participant_id, meetings in tomorrow.items():
        participant = db.session.get(Participant, participant_id)
        day = to_local(meetings[0].slot.starts_at, participant.event.timezone).date()
        ordered = sorted(meetings, key=lambda m: m.slot.starts_at)
        queued += outbox.enqueue("reminder_evening", participant.user,
                                 {"participant": participant.id, "meetings": [m.id for m in ordered]},
                                 dedupe_key=f"evening:{participant.id}:{day}") is not None
    return queued


def queue_digests(now: datetime) -> int:
    """Once a day, each participant with requests waiting for their answer gets one list of them."""
    if now.hour < DIGEST_HOUR:
        return 0
    waiting: dict[int, list[int]] = defaultdict(list)
    for request_id, recipient_id in db.session.execute(
        select(MeetingRequest.id, MeetingRequest.recipient_id).where(MeetingRequest.status == PENDING)
        .order_by(MeetingRequest.created_at)
    ):
        waiting[recipient_id].append(request_id)
    queued = 0
    for participant_id, request_ids in waiting.items():
        participant = db.session.get(Participant, participant_id)
        queued += outbox.enqueue("digest", participant.user, {"participant": participant_id, "requests": request_ids},
                                 dedupe_key=f"digest:{participant_id}:{now.date()}") is not None
    return queued


def close_requests_at_deadlines(now: datetime) -> int:
    """Once an event's request deadline passes, its unanswered requests expire."""
    past = select(Event.id).where(Event.request_deadline <= now)
    result = db.session.execute(
        update(MeetingRequest).where(MeetingRequest.status == PENDING, MeetingRequest.event_id.in_(past))
        .values(status=EXPIRED, responded_at=now).execution_options(synchronize_session=False)
    )
    return result.rowcount


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
        scheduling_runs.run_and_publish(event=db.session.get(Event, event_id))
        db.session.commit()
        done.append(event_id)
    return done


def run_job(app: Flask, job, *args) -> None:
    """Run one job in its own app context and transaction."""
    with app.app_context():
        set_sqlite_write_intent(True)
        try:
            job(*args) if args else job(utcnow())
            db.session.commit()
        finally:
            db.session.remove()


def start_scheduler(app: Flask, *, blocking: bool = True):
    """The scheduler process: every job at most once at a time (APScheduler ``max_instances=1``)."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone="UTC")
    options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 60}
    scheduler.add_job(run_job, "interval", seconds=30, args=[app, lambda _now: deliver_due()], id="outbox",
                      **options)
    scheduler.add_job(run_job, "interval", minutes=1, args=[app, queue_reminders], id="reminders", **options)
    scheduler.add_job(run_job, "interval", minutes=15, args=[app, queue_digests], id="digests", **options)
    scheduler.add_job(run_job, "interval", minutes=1, args=[app, close_requests_at_deadlines], id="requests",
                      **options)
    scheduler.add_job(run_job, "interval", minutes=1, args=[app, schedule_at_deadlines], id="deadlines",
                      **options)
    scheduler.start()
    return scheduler

