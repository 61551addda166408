#!/usr/bin/env python3
"""Benchmark publishing a batch scheduling run of about 20,000 changes, as the background job does it.

    .venv/bin/python scripts/bench_publish.py                      # een scale, a temporary SQLite file
    .venv/bin/python scripts/bench_publish.py --per-row            # also the old per-row path, same run
    .venv/bin/python scripts/bench_publish.py --participants 300   # quick
    .venv/bin/python scripts/bench_publish.py --database-url postgresql://postgres@127.0.0.1:5432/bench --reset

The script:
1. creates the app on the database and migrates it if it is empty (PostgreSQL is wiped first only
   with --reset, which refuses while other connections are open: never point it at a database you
   care about); an event seeded earlier by ``flask seed-demo --scale een`` (or by this script) is taken
   as it is;
2. seeds the een-scale event (``services/demo_scale.py``: 3,000 participants, about 20,000 accepted
   meetings over 3 days) and registers one webhook endpoint wanting every meeting change (a CRM's
   sync), unless --no-webhook;
3. takes every meeting off the schedule (so the run's draft places all of them again: one change
   each) and runs the batch scheduler (``scheduling_runs.create_draft``) for a draft;
4. queues the publishing job and runs it (``background_jobs.enqueue_publish`` then
   ``background.run_queued``, what the background process does), timing it and counting the SQL
   statements the database driver executes (an executemany counts once), the mails and the webhook
   deliveries it queued;
5. with --per-row, puts the schedule back as it was before the publish and publishes the same draft
   again through the previous per-row code (kept below: one ORM object per meeting and booking, one
   ``outbox.enqueue`` with its savepoint and flush per mail, one delivery object per webhook).

Each step prints its wall-clock seconds, the CPU seconds of this process (the database server's are
not in them; on a shared machine they vary less than the wall clock) and the statements counted.
"""
from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete, event, func, inspect, select, text, update  # noqa: E402

from config import Config  # noqa: E402
from matchmaking import create_app  # noqa: E402
from matchmaking.background import run_queued  # noqa: E402
from matchmaking.extensions import db, set_sqlite_write_intent  # noqa: E402
from matchmaking.models import (  # noqa: E402
    BackgroundJob,
    Event,
    Meeting,
    OutboxMessage,
    ScheduleRun,
    SlotBooking,
    WebhookDelivery,
    WebhookEndpoint,
)
from matchmaking.models.base import utcnow  # noqa: E402
from matchmaking.models.meeting import WAITING_FOR_BATCH  # noqa: E402
from matchmaking.models.schedule_run import DRAFT  # noqa: E402
from matchmaking.services import (  # noqa: E402
    background_jobs,
    demo_scale,
    outbox,
    placement,
    scheduling_runs,
    shapes,
    webhooks,
)


def normalised(url: str) -> str:
    """postgresql://... as the app's driver (psycopg 3) wants it."""
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    return url


def make_app(url: str) -> Flask:
    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        ARGON2_FAST = True
        SECRET_KEY = secrets.token_hex(32)
        RECOMMENDATIONS_ON_CHANGE = False

    return create_app(BenchConfig)


def prepare_schema(reset: bool) -> None:
    if db.engine.dialect.name == "postgresql" and reset:
        others = db.session.scalar(text("SELECT count(*) FROM pg_stat_activity "
                                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        db.session.remove()
        if others:
            raise SystemExit(f"{others} other connection(s) to {db.engine.url.database}; not resetting it")
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    if not inspect(db.engine).get_table_names():
        upgrade()


class Statements:
    """Counts what the driver executes (an executemany once)."""

    def __init__(self) -> None:
        self.count = 0
        event.listen(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


@contextmanager
def timed(label: str, statements: Statements):
    before, started, cpu = statements.count, time.perf_counter(), time.process_time()
    yield
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{label:<36} {seconds:8.2f} s {cpu:8.2f} s CPU here {statements.count - before:9d} SQL statements",
          flush=True)


def seed(participants: int, webhook: bool) -> int:
    found = demo_scale.existing_scale_event()
    if found is None:
        scale = demo_scale.SCALES["een"] if participants == 3000 else demo_scale.Scale.of(participants)
        found = db.session.get(Event, demo_scale.build_scale(scale).event_id)
    endpoint = db.session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.event_id == found.id))
    if webhook and endpoint is None:
        db.session.add(WebhookEndpoint(event_id=found.id, url="https://crm.example.org/hooks/matchmaking",
                                       kinds="meeting.scheduled meeting.moved schedule.published",
                                       secret=webhooks.new_secret(), active=True))
    elif endpoint is not None:
        endpoint.active = webhook
    db.session.commit()
    return found.id


def unschedule(event_id: int) -> None:
    """Every meeting off the schedule, unpinned, with SEQUENCE 0; no mail or delivery queued."""
    meeting_ids = select(Meeting.id).where(Meeting.event_id == event_id).scalar_subquery()
    db.session.execute(delete(SlotBooking).where(SlotBooking.meeting_id.in_(meeting_ids)))
    db.session.execute(update(Meeting).where(Meeting.event_id == event_id).values(
        slot_id=None, table_id=None, pinned=False, sequence=0, unscheduled_reason=WAITING_FOR_BATCH))
    db.session.execute(delete(OutboxMessage))
    db.session.execute(delete(WebhookDelivery))
    db.session.commit()


def publish_job(event_id: int, run_id: int, statements: Statements, label: str) -> dict:
    job = background_jobs.enqueue_publish(event=db.session.get(Event, event_id), actor=None,
                                          run=db.session.get(ScheduleRun, run_id))
    db.session.commit()
    with timed(label, statements):
        outcome = run_queued()
    job = db.session.get(BackgroundJob, job.id)
    db.session.refresh(job)
    if outcome["done"] != 1:
        raise SystemExit(f"the publishing job did not finish: {outcome}, {job.error}")
    mails = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    deliveries = db.session.scalar(select(func.count()).select_from(WebhookDelivery))
    print(f"{'':<36} {job.result['changed']} meetings changed, {mails} mails, {deliveries} webhook deliveries")
    return job.result


def again_a_draft(event_id: int, run_id: int) -> None:
    """The same draft, publishable once more: the schedule as before it was published."""
    unschedule(event_id)
    db.session.execute(update(ScheduleRun).where(ScheduleRun.id == run_id).values(status=DRAFT, published_at=None))
    db.session.execute(update(Meeting).where(Meeting.event_id == event_id).values(unscheduled_reason=WAITING_FOR_BATCH))
    db.session.commit()


# The per-row path publishing used before (kept for comparison) --------------------------------------

def per_row_apply_schedule(changes, *, pin: bool = False) -> list[int]:
    """``placement.apply_schedule`` as it was; it never pinned (``publish`` pins what is left unpinned)."""
    ids = list(changes)
    meetings = {}
    for start in range(0, len(ids), placement.CHUNK):
        chunk = ids[start:start + placement.CHUNK]
        meetings.update({m.id: m for m in db.session.scalars(select(Meeting).where(Meeting.id.in_(chunk)))})
    changed = [mid for mid in ids if (meetings[mid].slot_id, meetings[mid].table_id) != changes[mid]]
    was_in_calendars = {mid for mid in changed if meetings[mid].slot_id is not None}
    for start in range(0, len(changed), placement.CHUNK):
        chunk = changed[start:start + placement.CHUNK]
        db.session.execute(delete(SlotBooking).where(SlotBooking.meeting_id.in_(chunk)))
    for mid in changed:
        meetings[mid].slot_id = meetings[mid].table_id = None
    db.session.flush()
    now = utcnow()
    bookings = []
    for mid in changed:
        meeting = meetings[mid]
        slot_id, table_id = changes[mid]
        meeting.slot_id, meeting.table_id = slot_id, table_id
        if mid in was_in_calendars:
            meeting.sequence += 1
        meeting.updated_at = now
        if slot_id is not None:
            meeting.unscheduled_reason = meeting.unscheduled_participant_id = None
            bookings += [SlotBooking(participant_id=pid, slot_id=slot_id, meeting_id=mid)
                         for pid in sorted((meeting.participant_a_id, meeting.participant_b_id))]
    db.session.add_all(bookings)
    db.session.flush()
    for mid in changed:
        meeting = meetings[mid]
        if meeting.slot_id is None:
            continue
        kind = "meeting_moved" if mid in was_in_calendars else "meeting_scheduled"
        for side in (meeting.participant_a, meeting.participant_b):
            key = f"{kind}:{mid}:{meeting.sequence}:{side.user_id}"
            outbox.enqueue(kind, side.user, {"meeting": mid}, dedupe_key=key)
    listeners = webhooks.Listeners(next(iter(meetings.values())).event_id) if meetings else None
    if listeners:
        places = shapes.Places(listeners.event_id)
        with db.session.no_autoflush:
            for mid in changed:
                meeting = meetings[mid]
                if meeting.slot_id is not None or mid in was_in_calendars:
                    kind = "meeting.moved" if mid in was_in_calendars else "meeting.scheduled"
                    listeners.emit(kind, lambda m=meeting, p=places: shapes.meeting_data(m, p))
        db.session.flush()
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--reset", action="store_true", help="wipe the PostgreSQL database first")
    parser.add_argument("--participants", type=int, default=3000, help="3000: the een scale")
    parser.add_argument("--time-limit", type=float, default=30.0, help="the scheduler's seconds")
    parser.add_argument("--per-row", action="store_true", help="also publish through the previous per-row path")
    parser.add_argument("--no-webhook", action="store_true", help="no webhook endpoint on the event")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory(prefix="bench_publish_")
    url = normalised(args.database_url) if args.database_url else f"sqlite:///{folder.name}/bench.db"
    app = make_app(url)
    with app.app_context():
        set_sqlite_write_intent(True)
        print(f"database: {db.engine.dialect.name}", flush=True)
        prepare_schema(args.reset)
        statements = Statements()
        with timed("seed (if not seeded yet)", statements):
            event_id = seed(args.participants, webhook=not args.no_webhook)
        summary = demo_scale.summary(event_id)
        print(f"{'':<36} {summary.participants} participants, {summary.meetings} accepted meetings, "
              f"{summary.tables} tables, {summary.slots} slots")
        unschedule(event_id)
        with timed("scheduler run (draft)", statements):
            run = scheduling_runs.create_draft(event=db.session.get(Event, event_id), actor=None,
                                               time_limit=args.time_limit)
            db.session.commit()
        print(f"{'':<36} {run.value} meetings in the draft")
        run_id = run.id
        publish_job(event_id, run_id, statements, "publish job (bulk)")
        if args.per_row:
            again_a_draft(event_id, run_id)
            original = scheduling_runs.apply_schedule
            scheduling_runs.apply_schedule = per_row_apply_schedule
            try:
                publish_job(event_id, run_id, statements, "publish job (previous per-row path)")
            finally:
                scheduling_runs.apply_schedule = original
        db.session.remove()
    folder.cleanup()


if __name__ == "__main__":
    main()
