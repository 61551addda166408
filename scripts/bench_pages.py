#!/usr/bin/env python3
"""Personal and organiser pages at the een scale, beside a bare Flask page in the same run.

    .venv/bin/python scripts/bench_pages.py                      # SQLite in a temporary file
    .venv/bin/python scripts/bench_pages.py --database-url \\
        postgresql://postgres@127.0.0.1:5432/bench_pages --reset  # PostgreSQL (wiped first)

Loads two events of the same shape with services/demo_scale.py (what `flask seed-demo --scale een`
loads): the een one (3,000 participants, about 20,000 accepted meetings, 360 tables) and a small
one (100 participants), then asks each page of a participant with meetings, and each organiser
page, through the app's in-process test client (no network): median and 95th percentile of
--requests, SQL statements and kilobytes per page. A bare Flask "hello" under the same client is
the floor (`--pages grid,dashboard`: only the pages named). Targets (the issue "fast at 3,000
participants"): personal pages under 30 ms and no slower at 3,000 than at 100 participants;
organiser pages under 300 ms.

--reset drops and recreates the public schema of the PostgreSQL database given: never point it
at a database you care about.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_accept import make_app, prepare_schema  # noqa: E402
from bench_recommendations import StatementCounter, timings  # noqa: E402
from flask import Flask, current_app  # noqa: E402
from sqlalchemy import event as sa_event  # noqa: E402
from sqlalchemy import func, or_, select  # noqa: E402

from matchmaking.extensions import db  # noqa: E402
from matchmaking.models import Meeting, Participant, User  # noqa: E402
from matchmaking.services import calendar_feed  # noqa: E402
from matchmaking.services.demo import DEMO_PASSWORD  # noqa: E402
from matchmaking.services.demo_scale import ORGANISER_EMAIL, Scale, analyse, build_scale  # noqa: E402

SMALL = 100


def busiest(event_id: int) -> tuple[str, int, int]:
    """(e-mail, participant id, one of their meetings) of the participant with the most scheduled meetings."""
    count = func.count(Meeting.id)
    pid, _n = db.session.execute(
        select(Participant.id, count).join(Meeting, or_(Meeting.participant_a_id == Participant.id,
                                                        Meeting.participant_b_id == Participant.id))
        .where(Participant.event_id == event_id, Meeting.slot_id.is_not(None))
        .group_by(Participant.id).order_by(count.desc(), Participant.id).limit(1)).one()
    participant = db.session.get(Participant, pid)
    meeting = db.session.scalar(select(Meeting.id).where(
        or_(Meeting.participant_a_id == pid, Meeting.participant_b_id == pid), Meeting.slot_id.is_not(None)).limit(1))
    return participant.user.email, pid, meeting


def feed_path(email: str) -> str:
    user = db.session.scalar(select(User).where(User.email == email))
    token = calendar_feed.ensure_feed(user, current_app.config["SECRET_KEY"])
    db.session.commit()
    return f"/calendar/feed/{token}.ics"


def page_paths(event_id: int) -> tuple[str, dict[str, str], dict[str, str]]:
    """(the busiest participant's e-mail, their personal pages, the organiser's pages) of the event."""
    email, pid, meeting = busiest(event_id)
    slot, table = db.session.execute(select(Meeting.slot_id, Meeting.table_id).where(Meeting.id == meeting)).one()
    e = event_id
    personal = {"agenda": f"/events/{e}/agenda", "agenda.ics": f"/events/{e}/agenda.ics",
                "private feed": feed_path(email), "meeting page": f"/events/{e}/meetings/{meeting}",
                "directory": f"/events/{e}/participants", "profile": f"/events/{e}/participants/{pid}",
                "requests": f"/events/{e}/requests", "recommendations": f"/events/{e}/recommendations",
                "event page": f"/events/{e}"}
    organiser = {"grid": f"/organiser/events/{e}/grid", "grid page 9": f"/organiser/events/{e}/grid?page=9",
                 "grid online": f"/organiser/events/{e}/grid?show=online",
                 "move check": f"/organiser/events/{e}/meetings/{meeting}/move-check?slot={slot}&table={table or 0}",
                 "all meetings": f"/organiser/events/{e}/meetings",
                 "dashboard": f"/organiser/events/{e}/dashboard",
                 "meetings CSV": f"/organiser/events/{e}/exports/meetings.csv",
                 "meetings XLSX": f"/organiser/events/{e}/exports/meetings.xlsx"}
    return email, personal, organiser


def measure(app: Flask, email: str, paths: dict[str, str], n: int) -> dict[str, tuple[float, float, int, int]]:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"log-in of {email} failed: {response.status_code}")
    out = {}
    for label, path in paths.items():
        def get(path: str = path) -> int:
            r = client.get(path)
            if r.status_code != 200:
                raise SystemExit(f"{path}: {r.status_code}")
            return len(r.get_data())
        median, p95 = timings(get, n)
        counter = StatementCounter()
        with app.app_context():
            sa_event.listen(db.engine, "before_cursor_execute", counter)
            size = get()
            sa_event.remove(db.engine, "before_cursor_execute", counter)
        out[label] = (median, p95, counter.count, size)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--reset", action="store_true")
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--participants", type=int, default=3000)
    ap.add_argument("--pages", default="", help="only these pages, comma-separated (e.g. grid,dashboard)")
    args = ap.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench_pages.db"
    app = make_app(url)
    app.config["WTF_CSRF_ENABLED"] = False  # the log-in is posted without its form; pages are only read
    prepare_schema(app, reset=args.reset)
    events = {}
    with app.app_context():
        for label, people, tag in ((f"{args.participants}", args.participants, ""), (f"{SMALL}", SMALL, "s")):
            t = time.perf_counter()
            summary = build_scale(Scale.of(people) if people != 3000 else Scale(), tag=tag)
            db.session.commit()
            analyse()
            print(f"event of {summary.participants} participants, {summary.meetings} meetings "
                  f"({summary.scheduled} scheduled), {summary.tables} tables loaded in {time.perf_counter() - t:.1f} s",
                  flush=True)
            email, personal, organiser = page_paths(summary.event_id)
            if args.pages:
                wanted = set(args.pages.split(","))
                personal = {k: v for k, v in personal.items() if k in wanted}
                organiser = {k: v for k, v in organiser.items() if k in wanted}
            events[label] = (email, personal, organiser)
    bare = Flask("floor")
    bare.add_url_rule("/", "hello", lambda: "hello")
    floor = timings(lambda: bare.test_client().get("/"), args.requests)
    print(f"\n{'page':<18}{'participants':>13}{'median':>9}{'p95':>9}{'SQL':>6}{'KB':>8}")
    print(f"{'bare Flask hello':<18}{'':>13}{floor[0]:>7.1f}ms{floor[1]:>7.1f}ms")
    for label, (email, personal, organiser) in events.items():
        for name, (median, p95, sql, size) in measure(app, email, personal, args.requests).items():
            print(f"{name:<18}{label:>13}{median:>7.1f}ms{p95:>7.1f}ms{sql:>6}{size / 1024:>8.0f}")
        for name, (median, p95, sql, size) in measure(app, ORGANISER_EMAIL, organiser,
                                                      max(3, args.requests // 5)).items():
            print(f"{name:<18}{label:>13}{median:>7.1f}ms{p95:>7.1f}ms{sql:>6}{size / 1024:>8.0f}")
    print(f"\n{url.split(':')[0]}; python {sys.version.split()[0]}; the machine's load: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
