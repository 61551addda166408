#!/usr/bin/env python3
"""Benchmark accepting a meeting request when the event books at once ("immediate" mode).

    .venv/bin/python scripts/bench_accept.py --preset bsr           # quick, SQLite only
    .venv/bin/python scripts/bench_accept.py --preset een --both    # SQLite, then PostgreSQL (reset)
    .venv/bin/python scripts/bench_accept.py --database-url postgresql://postgres@127.0.0.1:5432/test --reset

For each database (a temporary SQLite file always; PostgreSQL when asked) the script:
1. creates the app on a fresh database and migrates it (flask_migrate.upgrade);
2. bulk-loads a generated instance (scripts/gen_instance.py, format in
   docs/scheduling-format.md): users, one event in Europe/Warsaw with days, sessions
   (runs of back-to-back slots of a day) and slots, tables, participants, accepted requests and
   their meetings; schedules them with the app's batch run (create_draft + publish), then
   releases the pins so that placement may move meetings;
3. adds K pending requests between random pairs and times ``meetings.accept_request`` + commit
   for each, one after another (stopping after --budget seconds), with load_live_schedule,
   IncrementalScheduler(...) and ``place`` timed within each accept (the app's names are wrapped
   at run time), and load_live_schedule and IncrementalScheduler(...) alone (median of --runs);
4. prints the figures side by side.

Approximations: availability is stored per session (a participant attends every session that
contains one of their available slots), so partial-day availability is slightly widened; request
priorities are dropped (the app has none).

--reset drops and recreates the public schema of the PostgreSQL database given (it refuses while
other connections are open): never point it at a database you care about, nor at one a test run
uses at the same time, e.g.

    .venv/bin/python scripts/bench_accept.py --preset een --both \
        --database-url postgresql://postgres@127.0.0.1:5432/bench_accept
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, inspect, select, text  # noqa: E402

from config import Config  # noqa: E402
from matchmaking import create_app  # noqa: E402
from matchmaking import scheduling as core  # noqa: E402
from matchmaking.extensions import db, set_sqlite_write_intent  # noqa: E402
from matchmaking.models import (  # noqa: E402
    Event,
    EventDay,
    Meeting,
    MeetingRequest,
    MeetingSession,
    MeetingTable,
    Participant,
    Slot,
    User,
    participant_session,
)
from matchmaking.models.meeting import ACCEPTED, PENDING  # noqa: E402
from matchmaking.services import accounts, meetings, placement, scheduling_runs  # noqa: E402
from matchmaking.services.schedule_instance import load_live_schedule  # noqa: E402

DEFAULT_GEN = ROOT / "scripts" / "gen_instance.py"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
TIMEZONE = "Europe/Warsaw"
BATCH_TIME_LIMIT = 10.0


@dataclass
class Result:
    """Everything measured on one database."""

    dialect: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # set-up phases
    accept_ms: list[float] = field(default_factory=list)
    placed: int = 0
    accepts_moving: int = 0  # accepts that moved at least one other meeting
    moves: int = 0  # other meetings moved, summed over the accepts
    load_ms: float = 0.0  # load_live_schedule alone, median of --runs
    build_ms: float = 0.0  # IncrementalScheduler(...) alone, median of --runs
    inside: dict[str, list[float]] = field(default_factory=dict)  # the same parts within each accept
    batch: dict[str, Any] = field(default_factory=dict)


# --- helpers -------------------------------------------------------------------------------------


@contextmanager
def timed(into: dict[str, float], name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    into[name] = time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def normalise_url(url: str) -> str:
    """postgres:// and postgresql:// become the psycopg 3 driver, as config.database_url does."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def generate(gen: Path, preset: str, seed: int) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(gen), "--preset", preset, "--seed", str(seed)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


# --- app and schema ------------------------------------------------------------------------------


def make_app(url: str, connections: int = 5) -> Flask:
    """The app on ``url``; ``connections``: the engine's pool (one per thread that accepts at once)."""
    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = normalise_url(url)
        SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True, "pool_size": connections}
        ARGON2_FAST = True
        SECRET_KEY = secrets.token_hex(32)

    return create_app(BenchConfig)


def refuse_if_in_use() -> None:
    """Do not wipe a database somebody else is connected to (a test run, another benchmark)."""
    others = db.session.scalar(text("SELECT count(*) FROM pg_stat_activity "
                                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    db.session.remove()
    if others:
        raise SystemExit(f"{others} other connection(s) to {db.engine.url.database}; not resetting it")


def prepare_schema(app: Flask, reset: bool) -> None:
    """Migrate a fresh database; PostgreSQL is wiped first only with --reset."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql" and reset:
            refuse_if_in_use()
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        if inspect(db.engine).get_table_names():
            raise SystemExit(f"{db.engine.url.render_as_string()} is not empty; pass --reset to wipe it")
        upgrade()


# --- bulk load -----------------------------------------------------------------------------------


def bulk_ids(model: type, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows in bulk and return their new primary keys, in the order of ``rows``."""
    if not rows:
        return []
    query = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(query, rows))


def parse_instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


def sessions_of(slots: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Runs of back-to-back slots on one local day: each becomes a MeetingSession."""
    tz = ZoneInfo(TIMEZONE)
    runs: list[list[dict[str, Any]]] = []
    for slot in sorted(slots, key=lambda s: parse_instant(s["start"])):
        start = parse_instant(slot["start"]).astimezone(tz)
        if runs:
            last_end = parse_instant(runs[-1][-1]["end"]).astimezone(tz)
            if last_end == start:
                runs[-1].append(slot)
                continue
        runs.append([slot])
    return runs


def load_event(inst: dict[str, Any]) -> tuple[int, dict[str, int], dict[str, int]]:
    """The event, its days, sessions and slots; returns (event id, slot key -> id, slot key -> session id)."""
    tz = ZoneInfo(TIMEZONE)
    event = Event(name="EEN brokerage (benchmark)", timezone=TIMEZONE, scheduling_mode="immediate")
    db.session.add(event)
    db.session.flush()
    days: dict[Any, EventDay] = {}
    slot_ids: dict[str, int] = {}
    session_of: dict[str, int] = {}
    for number, run in enumerate(sessions_of(inst["slots"]), start=1):
        first, last = (parse_instant(run[0]["start"]).astimezone(tz), parse_instant(run[-1]["end"]).astimezone(tz))
        minutes = int((parse_instant(run[0]["end"]) - parse_instant(run[0]["start"])) / timedelta(minutes=1))
        if first.date() not in days:
            days[first.date()] = EventDay(event_id=event.id, date=first.date())
            db.session.add(days[first.date()])
        session = MeetingSession(day=days[first.date()], name=f"Session {number}", start_time=first.time(),
                                 end_time=last.time(), slot_minutes=minutes, breaks="")
        db.session.add(session)
        db.session.flush()
        for slot in run:
            starts = parse_instant(slot["start"]).astimezone(UTC).replace(tzinfo=None)
            ends = parse_instant(slot["end"]).astimezone(UTC).replace(tzinfo=None)
            row = Slot(event_id=event.id, session_id=session.id, starts_at=starts, ends_at=ends)
            db.session.add(row)
            db.session.flush()
            slot_ids[slot["id"]], session_of[slot["id"]] = row.id, session.id
    return event.id, slot_ids, session_of


def load_people(inst: dict[str, Any], event_id: int, session_of: dict[str, int]) -> dict[str, int]:
    """Users (one shared hash), participants, the sessions they attend; returns key -> participant id."""
    people = inst["participants"]
    password_hash = accounts.hash_password("bench password 2026")
    user_ids = bulk_ids(User, [{"email": f"{p['id']}@bench.example", "name": f"Participant {p['id']}",
                                "password_hash": password_hash} for p in people])
    participant_ids = bulk_ids(Participant, [
        {"event_id": event_id, "user_id": uid, "organisation_name": f"Organisation {p['id']}",
         "organisation_type": "company", "country": "PL", "meeting_mode": "both",
         "max_meetings": p.get("max_meetings"), "search_text": ""}
        for p, uid in zip(people, user_ids, strict=True)
    ])
    attends = [{"participant_id": pid, "session_id": sid}
               for p, pid in zip(people, participant_ids, strict=True)
               for sid in sorted({session_of[s] for s in p["available"]})]
    db.session.execute(insert(participant_session), attends)
    return {p["id"]: pid for p, pid in zip(people, participant_ids, strict=True)}


def load_tables(inst: dict[str, Any], event_id: int, people: dict[str, int]) -> None:
    owners = {p["table"]: people[p["id"]] for p in inst["participants"] if p.get("table")}
    db.session.execute(insert(MeetingTable), [
        {"event_id": event_id, "name": t["id"], "owner_participant_id": owners.get(t["id"])} for t in inst["tables"]
    ])


def load_meetings(inst: dict[str, Any], event_id: int, people: dict[str, int]) -> None:
    """Accepted requests and their (not yet scheduled) meetings."""
    now = datetime.now(UTC).replace(tzinfo=None)
    requests = inst["requests"]
    rows = []
    for r in requests:
        a, b = people[r["a"]], people[r["b"]]
        rows.append({"event_id": event_id, "requester_id": a, "recipient_id": b, "pair_low_id": min(a, b),
                     "pair_high_id": max(a, b), "online": bool(r.get("online")), "status": ACCEPTED,
                     "responded_at": now})
    request_ids = bulk_ids(MeetingRequest, rows)
    db.session.execute(insert(Meeting), [
        {"event_id": event_id, "request_id": rid, "participant_a_id": row["requester_id"],
         "participant_b_id": row["recipient_id"], "online": row["online"]}
        for row, rid in zip(rows, request_ids, strict=True)
    ])


def load_instance(inst: dict[str, Any], result: Result) -> tuple[int, dict[str, int]]:
    with timed(result.seconds, "bulk load"):
        event_id, _, session_of = load_event(inst)
        people = load_people(inst, event_id, session_of)
        load_tables(inst, event_id, people)
        load_meetings(inst, event_id, people)
        db.session.commit()
    return event_id, people


def schedule(event_id: int, result: Result) -> None:
    """The app's own batch run, published, then unpinned so placement may move meetings."""
    event = db.session.get(Event, event_id)
    with timed(result.seconds, "batch draft"):
        run = scheduling_runs.create_draft(event=event, actor=None, time_limit=BATCH_TIME_LIMIT)
    with timed(result.seconds, "publish"):
        scheduling_runs.publish(run=run)
        scheduling_runs.release_pins(event=event)
        db.session.commit()
    result.batch = {"value": run.value, "bound": run.bound, "solve_s": run.seconds}
    db.session.remove()


# --- the measurements ----------------------------------------------------------------------------


def add_pending(event_id: int, people: list[int], k: int, seed: int) -> list[tuple[int, int]]:
    """K pending requests between random pairs with no open request yet: [(request id, recipient id)]."""
    taken = set(db.session.execute(select(MeetingRequest.pair_low_id, MeetingRequest.pair_high_id)
                                   .where(MeetingRequest.event_id == event_id)).tuples())
    rng = random.Random(seed)
    rows = []
    while len(rows) < k:
        a, b = rng.sample(people, 2)
        pair = (min(a, b), max(a, b))
        if pair in taken:
            continue
        taken.add(pair)
        rows.append({"event_id": event_id, "requester_id": a, "recipient_id": b, "pair_low_id": pair[0],
                     "pair_high_id": pair[1], "online": False, "status": PENDING})
    ids = bulk_ids(MeetingRequest, rows)
    db.session.commit()
    return [(rid, row["recipient_id"]) for rid, row in zip(ids, rows, strict=True)]


def sequence_sum(event_id: int) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(Meeting.sequence), 0))
                             .where(Meeting.event_id == event_id))


def time_accepts(event_id: int, pending: list[tuple[int, int]], budget: float, result: Result) -> None:
    """accept_request + commit, one after another, each in a fresh session as a web request has.

    Stops early once ``budget`` seconds have gone by, so that een on two databases stays short.
    """
    before = sequence_sum(event_id)
    deadline = time.perf_counter() + budget
    for request_id, recipient_id in pending:
        if time.perf_counter() > deadline:
            break
        db.session.remove()
        recipient = db.session.get(Participant, recipient_id)
        started = time.perf_counter()
        meeting = meetings.accept_request(recipient=recipient, request_id=request_id)
        db.session.commit()
        result.accept_ms.append((time.perf_counter() - started) * 1000)
        result.placed += meeting.slot_id is not None
        after = sequence_sum(event_id)
        result.moves += after - before
        result.accepts_moving += after > before
        before = after
    db.session.remove()


def median_ms(runs: int, action: Callable[[], Any]) -> float:
    samples = []
    for _ in range(runs):
        db.session.remove()
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    db.session.remove()
    return statistics.median(samples)


def time_parts(event_id: int, runs: int, result: Result) -> None:
    """load_live_schedule and IncrementalScheduler(...) alone, each the median of ``runs``."""
    live = load_live_schedule(event_id)
    result.load_ms = median_ms(runs, lambda: load_live_schedule(event_id))
    result.build_ms = median_ms(runs, lambda: core.IncrementalScheduler(live.instance, live.assignment, live.pinned))


@contextmanager
def probe(inside: dict[str, list[float]]) -> Iterator[None]:
    """Time the parts of each place_meeting call: wraps the app's names at run time, edits no file."""
    original_load, original_scheduler = placement.load_live_schedule, core.IncrementalScheduler

    def load(event_id: int) -> Any:
        started = time.perf_counter()
        try:
            return original_load(event_id)
        finally:
            inside.setdefault("load", []).append((time.perf_counter() - started) * 1000)

    class TimedScheduler(original_scheduler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            started = time.perf_counter()
            super().__init__(*args, **kwargs)
            inside.setdefault("build", []).append((time.perf_counter() - started) * 1000)

        def place(self, request_id: str) -> core.Placement:
            started = time.perf_counter()
            try:
                return super().place(request_id)
            finally:
                inside.setdefault("place", []).append((time.perf_counter() - started) * 1000)

    placement.load_live_schedule, core.IncrementalScheduler = load, TimedScheduler
    try:
        yield
    finally:
        placement.load_live_schedule, core.IncrementalScheduler = original_load, original_scheduler


def count_setup(event_id: int, result: Result) -> None:
    def count(model: type, *where: Any) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(model.event_id == event_id, *where))

    result.counts = {
        "participants": count(Participant),
        "meetings": count(Meeting, Meeting.cancelled_at.is_(None)),
        "scheduled": count(Meeting, Meeting.cancelled_at.is_(None), Meeting.slot_id.is_not(None)),
        "slots": count(Slot),
        "sessions": db.session.scalar(select(func.count(func.distinct(Slot.session_id)))
                                      .where(Slot.event_id == event_id)),
        "tables": count(MeetingTable),
        "own tables": count(MeetingTable, MeetingTable.owner_participant_id.is_not(None)),
        "attends rows": db.session.scalar(select(func.count()).select_from(participant_session)),
    }


def bench(url: str, inst: dict[str, Any], args: argparse.Namespace) -> Result:
    app = make_app(url)
    prepare_schema(app, reset=args.reset)
    with app.app_context():
        set_sqlite_write_intent(True)  # as a POST does: SQLite writers take the lock at BEGIN
        result = Result(dialect=db.engine.dialect.name)
        print(f"[{result.dialect}] loading ...", file=sys.stderr, flush=True)
        event_id, people = load_instance(inst, result)
        print(f"[{result.dialect}] batch run ...", file=sys.stderr, flush=True)
        schedule(event_id, result)
        count_setup(event_id, result)
        pending = add_pending(event_id, sorted(people.values()), args.accepts, args.seed)
        print(f"[{result.dialect}] timing parts and {len(pending)} accepts ...", file=sys.stderr, flush=True)
        time_parts(event_id, args.runs, result)
        with probe(result.inside):
            time_accepts(event_id, pending, args.budget, result)
        db.session.remove()
        db.engine.dispose()
    return result


# --- report --------------------------------------------------------------------------------------


def report(results: list[Result], args: argparse.Namespace) -> None:
    def row(label: str, values: list[str]) -> None:
        print(f"{label:<38}" + "".join(f"{v:>16}" for v in values))

    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"

    print(f"\npreset {args.preset} (seed {args.seed}), K={args.accepts} accepts, parts median of {args.runs}; "
          f"Python {platform.python_version()}, {platform.machine()}")
    row("", [r.dialect for r in results])
    for key in results[0].counts:
        row(key, [str(r.counts[key]) for r in results])
    for key in results[0].seconds:
        row(f"{key} (s)", [f"{r.seconds[key]:.1f}" for r in results])
    row("batch value / bound", [f"{r.batch['value']}/{r.batch['bound']}" for r in results])
    row("accepts timed", [f"{len(r.accept_ms)}/{args.accepts}" for r in results])
    row("accept + commit p50 (ms)", [ms(statistics.median(r.accept_ms)) for r in results])
    row("accept + commit p95 (ms)", [ms(percentile(r.accept_ms, 0.95)) for r in results])
    row("accept + commit max (ms)", [ms(max(r.accept_ms)) for r in results])
    row("load_live_schedule alone (ms)", [ms(r.load_ms) for r in results])
    row("IncrementalScheduler build alone (ms)", [ms(r.build_ms) for r in results])
    print("within each accept, p50 (ms):")
    for part, label in (("load", "load_live_schedule"), ("build", "IncrementalScheduler build"),
                        ("place", "place (core)")):
        row(f"  {label}", [ms(statistics.median(r.inside[part])) for r in results])
    row("  rest: other queries, writes, commit", [ms(statistics.median(
        [a - x - y - z for a, x, y, z in zip(r.accept_ms, r.inside["load"], r.inside["build"], r.inside["place"],
                                             strict=True)])) for r in results])
    row("accepts that got a slot", [f"{r.placed}/{len(r.accept_ms)}" for r in results])
    row("accepts that moved others", [str(r.accepts_moving) for r in results])
    row("other meetings moved (sum)", [str(r.moves) for r in results])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", default="een", help="generator preset (bsr: quick, een: 3,000 participants)")
    ap.add_argument("--seed", type=int, default=1, help="generator and pending-request seed")
    ap.add_argument("--gen", type=Path, default=DEFAULT_GEN, help="path of gen_instance.py")
    ap.add_argument("--accepts", "-k", type=int, default=200, help="pending requests to accept (K)")
    ap.add_argument("--budget", type=float, default=120.0,
                    help="stop accepting after this many seconds per database (default 120)")
    ap.add_argument("--runs", type=int, default=5, help="runs per part timing (median)")
    ap.add_argument("--database-url", help="also run on this database, e.g. " + DEFAULT_PG)
    ap.add_argument("--reset", action="store_true", help="drop and recreate the public schema of --database-url")
    ap.add_argument("--both", action="store_true",
                    help=f"SQLite, then PostgreSQL (--database-url, default {DEFAULT_PG}) with --reset")
    args = ap.parse_args(argv)
    if args.both:
        args.database_url = args.database_url or DEFAULT_PG
        args.reset = True
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    inst = generate(args.gen, args.preset, args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="bench_accept_"))
    try:
        urls = [f"sqlite:///{tmp / 'bench.db'}"] + ([args.database_url] if args.database_url else [])
        results = [bench(url, inst, args) for url in urls]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(results, args)


if __name__ == "__main__":
    main()
