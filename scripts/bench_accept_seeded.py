#!/usr/bin/env python3
"""Benchmark accepting meeting requests on the een-scale event (``flask seed-demo --scale een``: 3,000
participants, 20,000 meetings), placed from the two participants' neighbourhood against the whole
event's live schedule (``placement.NEIGHBOURHOOD``), side by side in one run.

    .venv/bin/python scripts/bench_accept_seeded.py --database-url postgresql://postgres@127.0.0.1:5432/bench --reset
    .venv/bin/python scripts/bench_accept_seeded.py --database-url ... --reset --webhook --neighbourhood-only -k 50

On the database given (its public schema wiped with --reset; never point it at one you care about):
1. migrates and seeds the een-scale event unless it is there already, and makes it book at once
   ("immediate" mode);
2. for each path, accepts --accepts of its pending requests one after another (each accept + commit
   timed, in a fresh session as a web request has), then 20 (--parallel) more at once, each in its own
   thread and connection, and times the wall clock from their common start to the last commit;
3. counts the accepts that got a slot, those the neighbourhood left to the whole event's schedule, and
   the other meetings moved (their SEQUENCE went up), and prints the figures side by side.

The whole-event path takes seconds per accept at this size: --old-accepts keeps its sequential part short.
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_accept import make_app, percentile, prepare_schema  # noqa: E402
from bench_publish import seed  # noqa: E402
from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event as sa_event  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from matchmaking.extensions import db, set_sqlite_write_intent  # noqa: E402
from matchmaking.models import Event, Meeting, MeetingRequest, Participant  # noqa: E402
from matchmaking.models.meeting import PENDING  # noqa: E402
from matchmaking.services import demo_scale, meetings, placement  # noqa: E402


@dataclass
class Run:
    """What one placement path measured."""

    name: str
    neighbourhood: bool
    accept_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)  # statements sent to the database, per sequential accept
    parallel_ms: list[float] = field(default_factory=list)  # each parallel accept, from the common start
    parallel_wall_s: float = 0.0
    placed: int = 0
    whole_event: int = 0  # accepts the whole event's schedule placed (the neighbourhood could not)
    moved: int = 0  # other meetings moved
    errors: list[str] = field(default_factory=list)
    full_gc_ms: list[float] = field(default_factory=list)  # the collector's full passes during the sequential accepts


def seeded_event(app: Flask, reset: bool, webhook: bool) -> int:
    """The een-scale event's id, seeded first when missing; it books at once from now on. ``webhook``: with
    a CRM's endpoint wanting meeting changes, as scripts/bench_web.py has (each accept queues a delivery)."""
    if reset:
        prepare_schema(app, reset=True)
    with app.app_context():
        upgrade()
        if demo_scale.existing_scale_event() is None:
            print("seeding the een-scale event ...", file=sys.stderr, flush=True)
            event_id = seed(3000, webhook=webhook)
            db.session.execute(text("ANALYZE"))  # the planner's statistics, as autovacuum would gather soon after
            db.session.commit()
        else:
            event_id = seed(3000, webhook=webhook)
        event = db.session.get(Event, event_id)
        event.scheduling_mode = "immediate"
        db.session.commit()
        return event.id


def pending(event_id: int, n: int) -> list[tuple[int, int]]:
    """(request id, recipient id) of n pending requests of the event, oldest first."""
    return list(db.session.execute(select(MeetingRequest.id, MeetingRequest.recipient_id)
                                   .where(MeetingRequest.event_id == event_id, MeetingRequest.status == PENDING)
                                   .order_by(MeetingRequest.id).limit(n)).tuples())


def sequence_sum(event_id: int) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(Meeting.sequence), 0)).where(Meeting.event_id == event_id))


def accept(request_id: int, recipient_id: int) -> Meeting:
    recipient = db.session.get(Participant, recipient_id)
    meeting = meetings.accept_request(recipient=recipient, request_id=request_id)
    db.session.commit()
    return meeting


def sequential(run: Run, event_id: int, requests: list[tuple[int, int]]) -> None:
    """One after another; the statements each sends are counted (round trips weigh most on a busy server)."""
    sent = [0]

    def count(*_args: object) -> None:
        sent[0] += 1

    full_started = [0.0]

    def full_pass(phase: str, info: dict) -> None:
        if info["generation"] == 2 and phase == "start":
            full_started[0] = time.perf_counter()
        elif info["generation"] == 2:
            run.full_gc_ms.append((time.perf_counter() - full_started[0]) * 1000)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    gc.callbacks.append(full_pass)
    try:
        for request_id, recipient_id in requests:
            db.session.remove()
            sent[0] = 0
            started = time.perf_counter()
            meeting = accept(request_id, recipient_id)
            run.accept_ms.append((time.perf_counter() - started) * 1000)
            run.queries.append(sent[0])
            run.placed += meeting.slot_id is not None
    finally:
        gc.callbacks.remove(full_pass)
        sa_event.remove(db.engine, "before_cursor_execute", count)
    db.session.remove()


def parallel(app: Flask, run: Run, requests: list[tuple[int, int]]) -> None:
    """Each request accepted in its own thread (app context, session, connection), all released at once."""
    gate = threading.Barrier(len(requests) + 1)
    lock = threading.Lock()
    started = [0.0]

    def one(request_id: int, recipient_id: int) -> None:
        with app.app_context():
            set_sqlite_write_intent(True)
            db.session.execute(select(1))  # the connection is open before the clock starts
            gate.wait()
            try:
                meeting = accept(request_id, recipient_id)
                with lock:
                    run.parallel_ms.append((time.perf_counter() - started[0]) * 1000)
                    run.placed += meeting.slot_id is not None
            except Exception as error:
                with lock:
                    run.errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=one, args=request) for request in requests]
    for thread in threads:
        thread.start()
    gate.wait()
    started[0] = time.perf_counter()
    for thread in threads:
        thread.join()
    run.parallel_wall_s = time.perf_counter() - started[0]


def measure(app: Flask, event_id: int, run: Run, k: int, n_parallel: int) -> None:
    placement.NEIGHBOURHOOD = run.neighbourhood
    original = placement._place_in_event

    def counted(meeting: Meeting) -> bool:
        run.whole_event += 1
        return original(meeting)

    placement._place_in_event = counted
    try:
        with app.app_context():
            set_sqlite_write_intent(True)
            requests = pending(event_id, k + n_parallel)
            before = sequence_sum(event_id)
            print(f"[{run.name}] {k} accepts one after another, then {n_parallel} at once ...",
                  file=sys.stderr, flush=True)
            sequential(run, event_id, requests[:k])
            parallel(app, run, requests[k:])
            run.moved = sequence_sum(event_id) - before  # a first place keeps SEQUENCE 0: only moves count
            db.session.remove()
    finally:
        placement._place_in_event = original
        placement.NEIGHBOURHOOD = True


def report(runs: list[Run], event_id: int, app: Flask) -> None:
    def row(label: str, values: list[str]) -> None:
        print(f"{label:<44}" + "".join(f"{v:>20}" for v in values))

    with app.app_context():
        summary = demo_scale.summary(event_id)
        print(f"\neen-scale event on {db.engine.dialect.name}: {summary.participants} participants, "
              f"{summary.meetings} meetings, {summary.tables} tables, {summary.slots} slots")
    row("", [p.name for p in runs])
    row("sequential accepts", [str(len(p.accept_ms)) for p in runs])
    row("accept + commit p50 (ms)", [f"{statistics.median(p.accept_ms):.1f}" for p in runs])
    row("accept + commit p95 (ms)", [f"{percentile(p.accept_ms, 0.95):.1f}" for p in runs])
    row("accept + commit max (ms)", [f"{max(p.accept_ms):.1f}" for p in runs])
    row("statements per accept (median)", [f"{statistics.median(p.queries):.0f}" for p in runs])
    row("full garbage collections in them (ms)", [f"{len(p.full_gc_ms)} ({sum(p.full_gc_ms):.0f})" for p in runs])
    row("parallel accepts on one event", [str(len(p.parallel_ms) + len(p.errors)) for p in runs])
    row("  wall time, start to last commit (s)", [f"{p.parallel_wall_s:.2f}" for p in runs])
    row("  slowest single accept (ms)", [f"{max(p.parallel_ms, default=0):.0f}" for p in runs])
    row("  errors", [str(len(p.errors)) for p in runs])
    row("accepts that got a slot", [str(p.placed) for p in runs])
    row("placed by the whole event's schedule", [str(p.whole_event) for p in runs])
    row("other meetings moved", [str(p.moved) for p in runs])
    for p in runs:
        for error in p.errors[:3]:
            print(f"{p.name} error: {error}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", required=True, help="e.g. postgresql://postgres@127.0.0.1:5432/bench")
    ap.add_argument("--reset", action="store_true", help="drop and recreate the public schema first")
    ap.add_argument("--accepts", "-k", type=int, default=100, help="sequential accepts on the neighbourhood path")
    ap.add_argument("--old-accepts", type=int, default=10, help="sequential accepts on the whole-event path")
    ap.add_argument("--parallel", type=int, default=20, help="accepts at once on one event")
    ap.add_argument("--webhook", action="store_true", help="a CRM's webhook wants meeting changes (as bench_web)")
    ap.add_argument("--neighbourhood-only", action="store_true", help="skip the whole-event path")
    args = ap.parse_args(argv)
    app = make_app(args.database_url, connections=args.parallel + 2)
    event_id = seeded_event(app, args.reset, args.webhook)
    runs = [Run("neighbourhood (new)", True)]
    if not args.neighbourhood_only:
        runs.insert(0, Run("whole event (old)", False))
        measure(app, event_id, runs[0], args.old_accepts, args.parallel)
    measure(app, event_id, runs[-1], args.accepts, args.parallel)
    report(runs, event_id, app)


if __name__ == "__main__":
    main()
