#!/usr/bin/env python3
"""Load test: N virtual users browse, search, request and accept on the een-scale event for D seconds.

    # one command: gunicorn started here (the project's gunicorn.conf.py) on a seeded PostgreSQL database
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_load .venv/bin/flask --app wsgi db upgrade
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_load .venv/bin/flask --app wsgi seed-demo --scale een
    .venv/bin/python scripts/load_test.py --spawn --database-url postgresql://postgres@127.0.0.1:5432/bench_load

    # a server that is already running
    .venv/bin/python scripts/load_test.py --base-url http://127.0.0.1:8000 --users 50 --duration 60

    # gunicorn's own defaults instead of the project's gunicorn.conf.py (keep-alive 2 s)
    .venv/bin/python scripts/load_test.py --spawn --database-url ... --gunicorn-config none --keepalive 2

Each virtual user arrives within the first ``--ramp`` seconds (30), logs in once, and waits a think time
drawn between ``--think`` MIN and MAX seconds (2-10, 6 on average: reading a profile, typing a search)
after each answer before its next request, so 100 users ask about 15 pages a second; ``--think 0.5-3``
is a stress mix three times as fast.

Each virtual user has its own HTTP/1.1 connection, kept alive between requests as a browser does
(httpx, one connection per user; the client drops a connection idle for 5 s). It logs in as
``p<i>@een.example.org`` (GET the page, the CSRF token from its form, POST), then loops over a
weighted mix with a think time between requests: the event page, the directory searched with Polish
and Latvian words, a profile, the marketplace, recommendations, the agenda, ``agenda.ics``, the
private calendar feed, the requests page, sending a request (mostly to another virtual user, so that
everyone has requests to answer), accepting a pending request received. Some users are the organiser
(one account, several sessions) paging through the schedule grid and the list of all meetings.
Before the clock starts, the organiser's participant list gives each virtual user's participant id
(not measured).

It prints, per kind of request and overall: requests, errors (unexpected status codes, disconnects,
timeouts), p50/p95/p99/max in milliseconds, every log-in's three requests included, the p95 of each 30
seconds of the run and the throughput; then the CPU taken during the run by the load generator itself,
by gunicorn and by PostgreSQL (with --spawn, from /proc), and how busy the whole machine was. The exit
code is 1 when any request failed. The goal at the een scale: 0 errors and p95 under 300 ms.

Nothing here retries: a dropped connection is an error, as it is for a person.

The abuse limits do not stand in the way with their defaults: log-ins count only failed attempts,
and nobody sends 30 requests an hour here. With longer runs raise ``RATELIMIT_MEETING_REQUESTS`` on
the server (``--spawn`` passes the environment on); a 429 is counted as an error.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matchmaking.services.demo import DEMO_PASSWORD  # noqa: E402
from matchmaking.services.demo_scale import ORGANISER_EMAIL, SCALE_EVENT_NAME  # noqa: E402

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PARTNER = re.compile(r'/events/\d+/participants/(\d+)"')
ACCEPT = re.compile(r'action="(/events/\d+/requests/\d+/accept)"')
FEED = re.compile(r'id="feed-url" readonly value="([^"]+)"')
ROSTER_ROW = re.compile(r"<td>(p\d+@een\.example\.org)</td>.*?/participants/(\d+)/edit", re.S)
ORGANISED = re.compile(r'href="/organiser/events/(\d+)"[^>]*>([^<]+)<')
GRID_PAGES = re.compile(r"Page \d+ of (\d+)")
# Words the een profiles use, in Polish and Latvian (with their diacritics), and two in English.
SEARCH_WORDS = ("klaster", "mebli", "drewna", "żywności", "energii", "tekstylia", "logistyki", "klasteris",
                "pārtikas", "mēbeles", "sadarbību", "loģistikā", "wood", "tourism")

# The participant's mix: kind -> weight.
PARTICIPANT_MIX = {
    "event": 8, "search": 14, "profile": 10, "marketplace": 6, "recommendations": 6, "agenda": 10,
    "agenda.ics": 4, "feed": 5, "requests": 8, "send request": 4, "accept": 4,
}
ORGANISER_MIX = {"grid": 3, "all meetings": 1}
WINDOW = 30  # seconds: the summary's p95 over time


@dataclass
class Stats:
    """Latencies (ms) and failures per kind of request."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    outcomes: Counter = field(default_factory=Counter)  # not errors: a request refused, nothing to accept
    first_errors: list[str] = field(default_factory=list)
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (when it ended, ms), every request
    clock_start: float = field(default_factory=time.perf_counter)

    def record(self, kind: str, started: float, error: str | None = None, detail: str = "") -> None:
        now = time.perf_counter()
        self.latencies[kind].append((now - started) * 1000)
        self.timeline.append((now - self.clock_start, (now - started) * 1000))
        if error:
            self.errors[kind][error] += 1
            if len(self.first_errors) < 10:
                self.first_errors.append(f"{kind}: {error} {detail}".strip())


class Failed(Exception):
    """A request that failed; already recorded."""


class User:
    """One virtual user: one client, one kept-alive connection."""

    def __init__(self, args, stats: Stats, email: str, shared: dict) -> None:
        self.args, self.stats, self.email, self.shared = args, stats, email, shared
        self.event = shared["event"]
        self.client = httpx.AsyncClient(
            base_url=args.base_url, http1=True, http2=False, follow_redirects=False,
            timeout=httpx.Timeout(args.timeout),
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=5.0))
        self.rng = random.Random(zlib.crc32(email.encode()) ^ args.seed)
        self.csrf = ""
        self.feed = ""

    async def call(self, kind: str, method: str, url: str, expect: tuple[int, ...] = (200,),
                   **kwargs) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.TimeoutException as error:
            self.stats.record(kind, started, "timeout", type(error).__name__)
            raise Failed from error
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
            self.stats.record(kind, started, "disconnect", f"{type(error).__name__}: {error}")
            raise Failed from error
        except httpx.ConnectError as error:
            self.stats.record(kind, started, "connect", str(error))
            raise Failed from error
        if response.status_code not in expect:
            self.stats.record(kind, started, f"HTTP {response.status_code}", url)
            raise Failed
        self.stats.record(kind, started)
        return response

    async def log_in(self, email: str) -> None:
        page = await self.call("login", "GET", "/login")
        token = CSRF.search(page.text).group(1)
        await self.call("login", "POST", "/login", expect=(302, 303),
                        data={"csrf_token": token, "email": email, "password": self.args.password})
        # Logging in starts a new session: the forms' token is the one its pages carry.
        calendar = await self.call("calendar page", "GET", "/calendar")
        self.csrf = CSRF.search(calendar.text).group(1)
        found = FEED.search(calendar.text)
        self.feed = httpx.URL(found.group(1)).raw_path.decode() if found else ""

    async def think(self) -> None:
        low, high = self.args.think
        await asyncio.sleep(self.rng.uniform(low, high))

    async def run(self, deadline: float, organiser: bool) -> None:
        try:
            try:
                await self.log_in(ORGANISER_EMAIL if organiser else self.email)
            except Failed:
                return
            mix = ORGANISER_MIX if organiser else PARTICIPANT_MIX
            kinds, weights = list(mix), list(mix.values())
            while time.monotonic() < deadline:
                await self.think()
                if time.monotonic() >= deadline:
                    break
                kind = self.rng.choices(kinds, weights)[0]
                with contextlib.suppress(Failed):
                    await getattr(self, "do_" + kind.replace(" ", "_").replace(".", "_"))()
        finally:
            await self.client.aclose()

    # The participant's actions.
    def page(self, path: str = "") -> str:
        return f"/events/{self.event}{path}"

    async def do_event(self) -> None:
        await self.call("event", "GET", self.page())

    async def do_search(self) -> None:
        word = self.rng.choice(SEARCH_WORDS)
        answer = await self.call("search", "GET", self.page("/participants"), params={"q": word})
        found = PARTNER.findall(answer.text)
        if found:
            self.shared["seen"].extend(int(i) for i in found[:5])
            del self.shared["seen"][:-2000]

    async def do_profile(self) -> None:
        if not self.shared["seen"]:
            return await self.do_search()
        await self.call("profile", "GET", self.page(f"/participants/{self.rng.choice(self.shared['seen'])}"))

    async def do_marketplace(self) -> None:
        await self.call("marketplace", "GET", self.page("/marketplace"))

    async def do_recommendations(self) -> None:
        await self.call("recommendations", "GET", self.page("/recommendations"))

    async def do_agenda(self) -> None:
        await self.call("agenda", "GET", self.page("/agenda"))

    async def do_agenda_ics(self) -> None:
        await self.call("agenda.ics", "GET", self.page("/agenda.ics"))

    async def do_feed(self) -> None:
        if self.feed:
            await self.call("feed", "GET", self.feed)

    async def do_requests(self) -> None:
        await self.call("requests", "GET", self.page("/requests"))

    async def do_send_request(self) -> None:
        """To another virtual user (so that they have something to accept), else to anyone seen."""
        roster = self.shared["roster"]
        others = [pid for email, pid in roster.items() if email != self.email]
        target = self.rng.choice(others) if others and self.rng.random() < 0.8 else None
        if target is None and self.shared["seen"]:
            target = self.rng.choice(self.shared["seen"])
        if target is None:
            return
        answer = await self.call("send request", "POST", self.page(f"/participants/{target}/request"),
                                 expect=(302, 303), data={"csrf_token": self.csrf, "message": "Porozmawiajmy?"})
        sent = answer.headers.get("location", "").endswith("/requests")
        self.stats.outcomes["request sent" if sent else "request refused (pair already asked or met)"] += 1

    async def do_accept(self) -> None:
        """Accept the first pending request received (the een seed has some; others send more)."""
        page = await self.call("requests", "GET", self.page("/requests"))
        found = ACCEPT.search(page.text)
        if not found:
            self.stats.outcomes["nothing to accept"] += 1
            return
        await self.think()
        answer = await self.call("accept", "POST", found.group(1), expect=(302, 303),
                                 data={"csrf_token": self.csrf})
        accepted = answer.headers.get("location", "").endswith("/agenda")
        self.stats.outcomes["accepted" if accepted else "accept refused (answered meanwhile)"] += 1

    # The organiser's.
    async def do_grid(self) -> None:
        page = self.rng.randint(1, self.shared.get("grid_pages", 1))
        answer = await self.call("grid", "GET", f"/organiser/events/{self.event}/grid", params={"page": page})
        if page == 1:
            found = GRID_PAGES.search(answer.text)
            self.shared["grid_pages"] = int(found.group(1)) if found else 1

    async def do_all_meetings(self) -> None:
        await self.call("all meetings", "GET", f"/organiser/events/{self.event}/meetings")


async def prepare(args, stats: Stats) -> dict:
    """As the organiser (not measured): the event's id, and the participant id of each virtual user's
    e-mail from the participant list, so that users can send each other requests."""
    shared: dict = {"event": args.event_id, "roster": {}, "seen": []}
    setup = User(args, Stats(), ORGANISER_EMAIL, shared)
    try:
        await setup.log_in(ORGANISER_EMAIL)
        if not shared["event"]:
            home = await setup.call("setup", "GET", "/organiser/")
            events = [int(i) for i, name in ORGANISED.findall(home.text) if name.strip() == SCALE_EVENT_NAME]
            if not events:
                sys.exit(f"No event named {SCALE_EVENT_NAME!r}: seed it with flask seed-demo --scale een")
            shared["event"] = events[0]
        wanted = {f"p{i}@een.example.org" for i in range(1, args.users + 1)}
        page = 1
        while len(shared["roster"]) < len(wanted) and page <= 100:
            listing = await setup.call("setup", "GET", f"/organiser/events/{shared['event']}/participants",
                                       params={"page": page})
            rows = ROSTER_ROW.findall(listing.text)
            if not rows:
                break
            shared["roster"].update((email, int(pid)) for email, pid in rows if email in wanted)
            page += 1
    except Failed:
        sys.exit("Setup failed: " + "; ".join(setup.stats.first_errors))
    finally:
        await setup.client.aclose()
    return shared


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def report(stats: Stats, seconds: float) -> dict:
    rows = {}
    everything: list[float] = []
    for kind in sorted(stats.latencies):
        values = stats.latencies[kind]
        everything += values
        rows[kind] = (values, sum(stats.errors[kind].values()))
    rows["ALL"] = (everything, sum(sum(c.values()) for c in stats.errors.values()))
    print(f"\n{'kind':<16}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    summary = {}
    for kind, (values, errors) in rows.items():
        figures = [percentile(values, q) for q in (0.5, 0.95, 0.99)] + [max(values, default=0.0)]
        if kind == "ALL":
            print("-" * 69)
        print(f"{kind:<16}{len(values):>9}{errors:>8}" + "".join(f"{v:>9.0f}" for v in figures))
        summary[kind] = {"requests": len(values), "errors": errors,
                         **dict(zip(("p50", "p95", "p99", "max"), figures, strict=True))}
    windows = defaultdict(list)
    for ended, ms in stats.timeline:
        windows[int(ended // WINDOW)].append(ms)
    print(f"\nby {WINDOW} s of the run (the first has the log-ins): " + ", ".join(
        f"{i * WINDOW}-{(i + 1) * WINDOW} s: {len(v)} requests, p95 {percentile(v, 0.95):.0f} ms"
        for i, v in sorted(windows.items())))
    total, errors = len(everything), rows["ALL"][1]
    print(f"\n{total} requests in {seconds:.0f} s: {total / seconds:.1f} requests/s")
    by_kind = Counter()
    for counter in stats.errors.values():
        by_kind.update(counter)
    print("errors: " + (", ".join(f"{n} {k}" for k, n in by_kind.most_common()) or "none"))
    for line in stats.first_errors:
        print("  " + line)
    if stats.outcomes:
        print("outcomes: " + ", ".join(f"{n} {k}" for k, n in sorted(stats.outcomes.items())))
    p95 = summary["ALL"]["p95"]
    print(f"goal (0 errors, p95 under 300 ms): {'met' if errors == 0 and p95 < 300 else 'NOT met'}")
    summary["_"] = {"seconds": seconds, "throughput": total / seconds, "errors_by_kind": dict(by_kind),
                    "outcomes": dict(stats.outcomes)}
    return summary


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat (zeros elsewhere)."""
    try:
        fields = [float(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)  # idle and iowait
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def processes_cpu(server_pid: int | None, database: str) -> dict[str, float]:
    """CPU seconds so far of the spawned gunicorn (master and workers) and of the PostgreSQL backends
    serving ``database`` on this machine (Linux /proc; processes that ended are not counted)."""
    found = {"server": 0.0, "postgres": 0.0}
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        pid, ppid, cpu = int(entry.name), int(stat[1]), (int(stat[11]) + int(stat[12])) / ticks
        if server_pid and server_pid in (pid, ppid):
            found["server"] += cpu
        elif database and title.startswith("postgres: ") and f" {database} " in title:
            found["postgres"] += cpu
    return found


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def report_cpu(generator: float, others: dict[str, float], machine: tuple[float, float], seconds: float,
               requests: int) -> dict:
    """Who took the CPU during the measured run: the load generator itself, the server and PostgreSQL
    (when spawned here), and how busy the whole machine was."""
    cores = os.cpu_count() or 1
    busy, total = machine
    share = busy / total if total else 0.0
    parts = {"load generator": generator, **({"gunicorn": others["server"]} if others["server"] else {}),
             **({"PostgreSQL": others["postgres"]} if others["postgres"] else {})}
    print("CPU: " + ", ".join(f"{name} {cpu:.1f} s ({cpu / seconds:.0%} of a core, {cpu / max(1, requests) * 1000:.1f}"
                              f" ms a request)" for name, cpu in parts.items())
          + f"; the machine ({cores} cores, everything on it) {share:.0%} busy")
    return {"cpu_s": parts, "machine_busy": share, "cores": cores}


async def load(args) -> int:
    stats = Stats()
    shared = await prepare(args, stats)
    organisers = args.organisers if args.organisers is not None else max(1, args.users // 20)
    print(f"event {shared['event']}: {args.users} users ({organisers} as the organiser) for {args.duration:.0f} s, "
          f"think {args.think[0]}-{args.think[1]} s, against {args.base_url}; "
          f"{len(shared['roster'])} participant ids known", flush=True)
    started = time.monotonic()
    stats.clock_start = time.perf_counter()
    database = args.database_url.rsplit("/", 1)[-1].split("?")[0] if args.spawn else ""
    cpu_before, machine_before = own_cpu(), machine_busy()
    others_before = processes_cpu(args.server_pid, database)
    deadline = started + args.duration
    tasks = []
    for i in range(args.users):
        organiser = i < organisers
        user = User(args, stats, f"p{i + 1}@een.example.org", shared)
        delay = args.ramp * i / max(1, args.users)
        tasks.append(asyncio.create_task(_after(delay, user.run(deadline, organiser))))
    await asyncio.gather(*tasks)
    seconds = time.monotonic() - started
    machine = [after - before for after, before in zip(machine_busy(), machine_before, strict=True)]
    summary = report(stats, seconds)
    others = {k: v - others_before[k] for k, v in processes_cpu(args.server_pid, database).items()}
    summary["_"].update(report_cpu(own_cpu() - cpu_before, others, (machine[0], machine[1]), seconds,
                                   summary["ALL"]["requests"]))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2))
    return 1 if summary["ALL"]["errors"] else 0


async def _after(delay: float, job):
    await asyncio.sleep(delay)
    return await job


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def spawned(args):
    """gunicorn on a free port over ``--database-url``; its log in ``--server-log``; stopped after."""
    port = args.port or _free_port()
    # Without the control socket: its default path is one per user, and another gunicorn may hold it.
    command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--no-control-socket"]
    chosen = (("--workers", args.workers), ("--threads", args.threads), ("--worker-class", args.worker_class))
    for option, value in chosen:
        if value is not None:  # else the config file's
            command += [option, str(value)]
    if args.gunicorn_config == "none":  # gunicorn's own defaults: an empty config file
        empty = Path(tempfile.mkstemp(prefix="gunicorn-defaults-", suffix=".py")[1])
        command += ["--config", str(empty)]
    elif args.gunicorn_config:
        command += ["--config", args.gunicorn_config]
    if args.keepalive is not None:
        command += ["--keep-alive", str(args.keepalive)]
    command += ["wsgi:app"]
    app_dir = Path(args.app_dir or ROOT)  # another checkout of the project: its code is served
    env = {**os.environ, "DATABASE_URL": args.database_url, "SECRET_KEY": os.environ.get("SECRET_KEY")
           or secrets.token_hex(32), "PYTHONPATH": str(app_dir)}
    if args.redis:
        env["RATELIMIT_STORAGE_URI"] = args.redis
    log_path = Path(args.server_log or tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
    print("server: " + " ".join(command[1:]) + f"  (log: {log_path})", flush=True)
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=app_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    args.server_pid = server.pid
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while time.monotonic() - started < 120:
            if server.poll() is not None:
                sys.exit("gunicorn stopped:\n" + log_path.read_text()[-3000:])
            try:
                if httpx.get(base + "/login", timeout=10).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            sys.exit("gunicorn did not answer within 120 s:\n" + log_path.read_text()[-3000:])
        yield base
    finally:
        server.terminate()  # gunicorn finishes the requests in flight (graceful_timeout), then stops
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        text = log_path.read_text()
        alarms = [line for line in text.splitlines()
                  if any(word in line for word in ("ERROR", "CRITICAL", "WORKER TIMEOUT", "Traceback"))]
        print(f"server log: {len(text.splitlines())} lines, {len(alarms)} errors"
              + "".join("\n  " + line for line in alarms[:10]))


def _think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="a running server (without --spawn)")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=180.0, help="seconds")
    parser.add_argument("--organisers", type=int, help="users who are the organiser (default: 1 in 20)")
    parser.add_argument("--think", type=_think, default=(2.0, 10.0),
                        help="seconds a user waits after an answer before the next request, MIN-MAX (uniform)")
    parser.add_argument("--ramp", type=float, default=30.0, help="seconds over which the users arrive and log in")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--event-id", type=int, help="default: the een-scale event, found by its name")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", help="also write the figures to this file")
    spawn = parser.add_argument_group("starting gunicorn here")
    spawn.add_argument("--spawn", action="store_true", help="start gunicorn on --database-url, stop it after")
    spawn.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    spawn.add_argument("--workers", type=int, help="default: the gunicorn config's")
    spawn.add_argument("--threads", type=int, help="default: the gunicorn config's")
    spawn.add_argument("--worker-class", help="default: the gunicorn config's")
    spawn.add_argument("--gunicorn-config", default="",
                       help="a gunicorn config file (default: the project's gunicorn.conf.py); "
                            "'none': gunicorn's own defaults")
    spawn.add_argument("--keepalive", type=float, help="gunicorn's --keep-alive, seconds (overrides the config)")
    spawn.add_argument("--redis", help="RATELIMIT_STORAGE_URI for the server, e.g. redis://127.0.0.1:6379/0")
    spawn.add_argument("--app-dir", help="the project's folder gunicorn serves (default: this one), e.g. a "
                                          "git worktree of an older commit")
    spawn.add_argument("--port", type=int)
    spawn.add_argument("--server-log")
    args = parser.parse_args()
    args.server_pid = None
    if not args.spawn:
        return asyncio.run(load(args))
    if not args.database_url.startswith("postgres"):
        parser.error("--spawn needs --database-url postgresql://... (or DATABASE_URL) of a seeded database")
    with spawned(args) as base:
        args.base_url = base
        return asyncio.run(load(args))


if __name__ == "__main__":
    sys.exit(main())
