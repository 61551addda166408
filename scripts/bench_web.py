#!/usr/bin/env python3
"""The web app at the een scale in one run: pages, accepting requests, publishing, and a load test.

    .venv/bin/python scripts/bench_web.py --database-url postgresql://postgres@127.0.0.1:5432/bench_web --reset
    .venv/bin/python scripts/bench_web.py --database-url ... --reset --load-test   # and 100 users for 60 s

On one database (PostgreSQL, the production one; SQLite in a temporary file without
--database-url) the script loads the een-scale event (``flask seed-demo --scale een``: 3,000
participants, about 20,000 accepted meetings over 3 days, 360 tables, 1,500 pending requests), then:

1. pages (scripts/bench_pages.py): each personal page of the participant with the most meetings
   and each organiser page, through the in-process test client: median and 95th percentile of
   --requests, SQL statements, kilobytes, and the median's ratio to a bare Flask "hello" under the
   same client (the floor). Targets: personal pages under 30 ms, organiser pages under 300 ms;
2. accepting pending requests as the event books at once ("immediate" mode), with
   scripts/bench_accept.py's timing: --accepts one after another (p50, p95), then --parallel at
   once, each in its own thread and session as concurrent web requests are (wall time until all
   are committed; placement takes the event's lock, so they queue);
3. publishing a batch run (scripts/bench_publish.py): every meeting taken off the schedule, the
   scheduler's draft (--time-limit), and the publishing job as the background process runs it;
4. with --load-test, scripts/load_test.py against gunicorn started on the same database
   (--load-users for --load-duration seconds): its summary, as it prints it.

--reset drops and recreates the public schema of the PostgreSQL database given (it refuses while
other connections are open): never point it at a database you care about.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_accept import Result, make_app, percentile, prepare_schema, time_accepts  # noqa: E402
from bench_pages import measure, page_paths  # noqa: E402
from bench_publish import Statements, publish_job, seed, timed, unschedule  # noqa: E402
from bench_recommendations import timings  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from matchmaking.extensions import db  # noqa: E402
from matchmaking.models import Event, MeetingRequest, Participant  # noqa: E402
from matchmaking.models.meeting import PENDING  # noqa: E402
from matchmaking.services import demo_scale, meetings, scheduling_runs  # noqa: E402
from matchmaking.services.demo_scale import ORGANISER_EMAIL  # noqa: E402
from matchmaking.services.errors import ServiceError  # noqa: E402

PERSONAL_TARGET_MS, ORGANISER_TARGET_MS = 30.0, 300.0


def floor_ms(n: int) -> float:
    """The median of a bare Flask "hello" under the same test client."""
    bare = Flask("floor")
    bare.add_url_rule("/", "hello", lambda: "hello")
    return timings(lambda: bare.test_client().get("/"), n)[0]


def pages(app: Flask, event_id: int, n: int) -> None:
    with app.app_context():
        email, personal, organiser = page_paths(event_id)
    floor = floor_ms(n)
    print(f"\n{'page':<18}{'median':>10}{'p95':>10}{'x floor':>9}{'SQL':>6}{'KB':>7}  target")
    print(f"{'bare Flask hello':<18}{floor:>8.1f}ms")
    for who, paths, runs, target in ((email, personal, n, PERSONAL_TARGET_MS),
                                     (ORGANISER_EMAIL, organiser, max(3, n // 5), ORGANISER_TARGET_MS)):
        for name, (median, p95, sql, size) in measure(app, who, paths, runs).items():
            verdict = "ok" if median < target else "over"
            print(f"{name:<18}{median:>8.1f}ms{p95:>8.1f}ms{median / floor:>8.0f}x{sql:>6}{size / 1024:>7.0f}"
                  f"  {verdict} ({target:.0f} ms)", flush=True)


def pending_requests(event_id: int) -> list[tuple[int, int]]:
    """The event's pending requests as (request id, recipient id), oldest first."""
    return [tuple(row) for row in db.session.execute(
        select(MeetingRequest.id, MeetingRequest.recipient_id)
        .where(MeetingRequest.event_id == event_id, MeetingRequest.status == PENDING).order_by(MeetingRequest.id))]


def parallel_accepts(app: Flask, pending: list[tuple[int, int]]) -> tuple[float, int, int]:
    """Accept each request in its own thread and session at once: (wall seconds, placed, refused)."""
    def accept(item: tuple[int, int]) -> str:
        request_id, recipient_id = item
        with app.app_context():
            try:
                recipient = db.session.get(Participant, recipient_id)
                meeting = meetings.accept_request(recipient=recipient, request_id=request_id)
                db.session.commit()
                return "placed" if meeting.slot_id is not None else "unplaced"
            except ServiceError:
                db.session.rollback()
                return "refused"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(pending)) as pool:
        started = time.perf_counter()
        outcomes = list(pool.map(accept, pending))
        wall = time.perf_counter() - started
    return wall, outcomes.count("placed"), outcomes.count("refused")


def accepts(app: Flask, event_id: int, k: int, parallel: int, budget: float) -> None:
    with app.app_context():
        event = db.session.get(Event, event_id)
        mode = event.scheduling_mode
        event.scheduling_mode = "immediate"
        db.session.commit()
        pending = pending_requests(event_id)
        result = Result(dialect=db.engine.dialect.name)
        time_accepts(event_id, pending[:k], budget, result)
        print(f"\naccepting a request ({len(result.accept_ms)} one after another, placed {result.placed}): "
              f"p50 {statistics.median(result.accept_ms):.0f} ms, p95 {percentile(result.accept_ms, 0.95):.0f} ms, "
              f"max {max(result.accept_ms):.0f} ms", flush=True)
    wall, placed, refused = parallel_accepts(app, pending[k:k + parallel])
    print(f"{parallel} accepts at once: {wall:.2f} s until all were committed ({placed} placed, {refused} refused)",
          flush=True)
    with app.app_context():
        db.session.get(Event, event_id).scheduling_mode = mode
        db.session.commit()


def publish(app: Flask, event_id: int, time_limit: float) -> None:
    print()
    with app.app_context():
        statements = Statements()
        unschedule(event_id)
        with timed("scheduler run (draft)", statements):
            run = scheduling_runs.create_draft(event=db.session.get(Event, event_id), actor=None,
                                               time_limit=time_limit)
            db.session.commit()
        publish_job(event_id, run.id, statements, "publish job")
        db.session.remove()


def load_test(url: str, users: int, duration: float) -> None:
    print(f"\nload test: {users} users for {duration:.0f} s against gunicorn on the same database", flush=True)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "load_test.py"), "--spawn", "--database-url", url,
                    "--users", str(users), "--duration", str(duration)], check=True, cwd=ROOT)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    ap.add_argument("--reset", action="store_true", help="wipe the PostgreSQL database first")
    ap.add_argument("--requests", type=int, default=30, help="requests timed per personal page (organiser: 1/5)")
    ap.add_argument("--accepts", type=int, default=50, help="requests accepted one after another")
    ap.add_argument("--parallel", type=int, default=20, help="requests accepted at once")
    ap.add_argument("--budget", type=float, default=120.0, help="stop the one-after-another accepts after seconds")
    ap.add_argument("--time-limit", type=float, default=30.0, help="the batch scheduler's seconds")
    ap.add_argument("--load-test", action="store_true", help="also run scripts/load_test.py (needs gunicorn)")
    ap.add_argument("--load-users", type=int, default=100)
    ap.add_argument("--load-duration", type=float, default=60.0, help="seconds")
    args = ap.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench_web.db"
    app = make_app(url)
    app.config["WTF_CSRF_ENABLED"] = False  # the log-in is posted without its form; pages are only read
    prepare_schema(app, reset=args.reset)
    with app.app_context():
        started = time.perf_counter()
        event_id = seed(3000, webhook=True)  # the een scale, with a CRM's webhook wanting meeting changes
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # the planner's statistics, as autovacuum makes them soon
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        summary = demo_scale.summary(event_id)
        print(f"event of {summary.participants} participants, {summary.meetings} meetings ({summary.scheduled} "
              f"scheduled), {summary.pending} pending requests, {summary.tables} tables loaded in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
    pages(app, event_id, args.requests)
    accepts(app, event_id, args.accepts, args.parallel, args.budget)
    publish(app, event_id, args.time_limit)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # gunicorn's workers get the connections
    if args.load_test:
        if not url.startswith("postgresql"):
            raise SystemExit("--load-test wants --database-url on PostgreSQL")
        load_test(url, args.load_users, args.load_duration)
    print(f"\n{url.split(':')[0]}; python {sys.version.split()[0]}; the machine's load: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
