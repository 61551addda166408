#!/usr/bin/env python3
"""Benchmark recommended partners in the app at event scale (issue 12's speed targets).

    .venv/bin/python scripts/bench_recommendations.py                       # 3,000 participants, SQLite
    .venv/bin/python scripts/bench_recommendations.py --database-url \\
        postgresql://postgres@127.0.0.1:5432/bench_recommendations --reset   # the same on PostgreSQL
    .venv/bin/python scripts/bench_recommendations.py --participants 300 --engine lexical   # quick

On a fresh, migrated database the script bulk-loads two events: a large one (--participants, 3,000
by default) and a small one (100), with profiles recombined from the labelled sentences in
scripts/matching_data/labelled.json (Polish, Latvian, Lithuanian, Estonian, German and English).
Then, as the app does it, through the background job (services/background_jobs.py):

1. "after an import": queue the recommendations job for each event and run it to the end
   (encode every sentence, a chunk of participants per step, then rank and store). Target: all
   ready within 10 minutes on 2 cores.
2. "one changed profile": change one participant's seek, queue the job and run it. Target:
   reflected within seconds (only the new sentence is encoded; only the lists that moved are
   rewritten).
3. the recommendations page of a logged-in participant of each event, through the app (the
   in-process test client, no network), median and 95th percentile of --requests, beside a bare
   Flask page under the same client in the same run (the floor), with the SQL statements per page.
   Target: under 50 ms at 3,000 participants, and not growing with the event's size.

--reset drops and recreates the public schema of the PostgreSQL database given (it refuses while
other connections are open): never point it at a database you care about.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_accept import bulk_ids, make_app, prepare_schema  # noqa: E402
from bench_matching import DATA, synthetic  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy import event as sa_event  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from matchmaking.background import run_queued  # noqa: E402
from matchmaking.extensions import db  # noqa: E402
from matchmaking.matching import load_encoder  # noqa: E402
from matchmaking.matching.model import Profile, profiles_from_document  # noqa: E402
from matchmaking.matching.text import sentences  # noqa: E402
from matchmaking.models import BackgroundJob, Event, Participant, Recommendation, SentenceVector, User  # noqa: E402
from matchmaking.services import accounts, background_jobs  # noqa: E402

PASSWORD = "bench password 2026"
SMALL = 100


def unique(profiles: list[Profile]) -> list[Profile]:
    """Every sentence made the participant's own (as in a real event, where no two write alike), so
    that encoding is measured for all of them, not for the few hundred the labelled set has."""
    def own(text: str, i: int) -> str:
        return " ".join(f"{s.rstrip('.')} ({i})." for s in sentences(text))
    return [replace(p, offer=own(p.offer, i), seek=own(p.seek, i)) for i, p in enumerate(profiles)]


def load_event(name: str, profiles: list[Profile], password_hash: str) -> int:
    """An event with one participant per profile (approved, consenting, listed); its id."""
    event = Event(name=name, timezone="Europe/Riga")
    db.session.add(event)
    db.session.flush()
    tag = f"e{event.id}"
    user_ids = bulk_ids(User, [{"email": f"{tag}-{i}@bench.example", "name": f"Participant {tag}-{i}",
                                "password_hash": password_hash} for i in range(len(profiles))])
    bulk_ids(Participant, [
        {"event_id": event.id, "user_id": uid, "organisation_name": f"{p.organisation_name} {i}",
         "organisation_type": p.organisation_type, "country": p.country, "region": p.region,
         "description": p.description, "offer": p.offer, "seek": p.seek, "meeting_mode": "both", "search_text": ""}
        for i, (p, uid) in enumerate(zip(profiles, user_ids, strict=True))])
    db.session.commit()
    return event.id


def stored_vectors(event_id: int) -> int:
    stmt = select(func.count()).select_from(SentenceVector).where(SentenceVector.event_id == event_id)
    return db.session.scalar(stmt)


def run_job(event_id: int) -> tuple[float, dict]:
    """Queue the event's recommendations job and run it to the end: (wall seconds, the job's result)."""
    started = time.perf_counter()
    background_jobs.enqueue_recommendations(event=db.session.get(Event, event_id))
    db.session.commit()
    run_queued()
    took = time.perf_counter() - started
    job = db.session.scalar(select(BackgroundJob).where(BackgroundJob.event_id == event_id)
                            .order_by(BackgroundJob.id.desc()).limit(1))
    if job.status != "done":
        raise SystemExit(f"job {job.id} ended {job.status}: {job.error}")
    return took, job.result


def timings(get: Callable[[], object], n: int) -> tuple[float, float]:
    """Median and 95th percentile in milliseconds of n calls (after two warm-up calls)."""
    get(), get()
    ms = []
    for _ in range(n):
        t = time.perf_counter()
        get()
        ms.append(1000 * (time.perf_counter() - t))
    ms.sort()
    return statistics.median(ms), ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args: object) -> None:
        self.count += 1


def page_figures(app: Flask, event_id: int, n: int) -> tuple[float, float, int, int]:
    """(median ms, p95 ms, statements per request, partners shown) for a participant's recommendations page."""
    with app.app_context():
        email = db.session.scalar(select(User.email).join(Participant, Participant.user_id == User.id)
                                  .where(Participant.event_id == event_id).order_by(Participant.id).limit(1))
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"log-in failed: {response.status_code}")
    url = f"/events/{event_id}/recommendations"

    def get() -> None:
        r = client.get(url)
        if r.status_code != 200:
            raise SystemExit(f"{url}: {r.status_code}")
    median, p95 = timings(get, n)
    counter = StatementCounter()
    with app.app_context():
        sa_event.listen(db.engine, "before_cursor_execute", counter)
        html = client.get(url).get_data(as_text=True)
        sa_event.remove(db.engine, "before_cursor_execute", counter)
    return median, p95, counter.count, html.count('class="card recommendation"')


def floor_figures(n: int) -> tuple[float, float]:
    bare = Flask("floor")
    bare.add_url_rule("/", "hello", lambda: "hello")
    client = bare.test_client()
    return timings(lambda: client.get("/"), n)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--participants", type=int, default=3000)
    ap.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    ap.add_argument("--reset", action="store_true", help="wipe the PostgreSQL database first")
    ap.add_argument("--engine", choices=("auto", "lexical"), default="auto")
    ap.add_argument("--requests", type=int, default=200, help="page requests timed per event")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    app = make_app(url)
    app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False, MATCHING_ENGINE=args.engine,
                      RECOMMENDATIONS_ON_CHANGE=False)
    prepare_schema(app, args.reset)
    labelled = profiles_from_document(json.loads(DATA.read_text(encoding="utf-8")))
    big = unique(synthetic(labelled, args.participants, seed=1))
    small = unique(synthetic(labelled, SMALL, seed=2))
    model = load_encoder() if args.engine == "auto" else None
    with app.app_context():
        dialect = db.engine.dialect.name
        password_hash = accounts.hash_password(PASSWORD)
        t = time.perf_counter()
        big_id = load_event(f"Baltic brokerage ({args.participants})", big, password_hash)
        small_id = load_event(f"Regional fair ({SMALL})", small, password_hash)
        loading = time.perf_counter() - t
        print(f"{dialect}; engine {args.engine} ({model.name if model else 'lexical: no text model'}); "
              f"events of {args.participants} and {SMALL} participants loaded in {loading:.1f} s\n")

        first, result = run_job(big_id)
        print(f"1. all recommendations of {args.participants} participants, from nothing stored: {first:7.1f} s "
              f"(target 600 s: {'met' if first <= 600 else 'NOT met'})")
        print(f"   {result}; sentence vectors stored: {stored_vectors(big_id)}")
        small_first, _ = run_job(small_id)
        print(f"   the {SMALL}-participant event: {small_first:.1f} s")

        someone = db.session.scalar(select(Participant).where(Participant.event_id == big_id)
                                    .order_by(Participant.id).offset(7).limit(1))
        before = list(db.session.scalars(select(Recommendation.other_id).where(
            Recommendation.participant_id == someone.id).order_by(Recommendation.rank)))
        someone.seek = random.Random(3).choice([p.seek for p in labelled if p.country != someone.country])
        db.session.commit()
        changed, result = run_job(big_id)
        after = list(db.session.scalars(select(Recommendation.other_id).where(
            Recommendation.participant_id == someone.id).order_by(Recommendation.rank)))
        print(f"2. one changed profile reflected (queue to done):                 {changed:7.1f} s; "
              f"their top 20 {'changed' if after != before else 'did NOT change'}")
        print(f"   {result}")
    floor = floor_figures(args.requests)
    print(f"\n3. recommendations page ({args.requests} requests each, in-process client):")
    print(f"   {'':34} {'median':>8} {'p95':>8} {'SQL':>5} {'shown':>6}")
    print(f"   {'bare Flask hello (the floor)':34} {floor[0]:7.1f}ms {floor[1]:7.1f}ms")
    for label, event_id in ((f"event of {args.participants}", big_id), (f"event of {SMALL}", small_id)):
        median, p95, statements, shown = page_figures(app, event_id, args.requests)
        print(f"   {label:34} {median:7.1f}ms {p95:7.1f}ms {statements:5d} {shown:6d}")
    print("   target: under 50 ms at 3,000 participants, not growing with the event")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
