"""Beyond one machine: two gunicorn processes on two ports, sharing the database and Redis, behave as one.

Each process stands for a machine behind a load balancer. They share what production shares: the
database (the test suite's, PostgreSQL in CI), the abuse limits' counters in Redis and the
SECRET_KEY. A session made on one is good on the other, a log-out on one ends it on both, and the
failed log-ins of one account are counted across both: alternating between the two servers gives
an attacker no more tries. The app keeps no other state in its processes (its in-process caches hold
only fixed data: the time zones, the list of common passwords). CI has Redis on 127.0.0.1:6379 and
this test fails there without it; elsewhere it is skipped.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from matchmaking.extensions import db
from tests.conftest import REDIS_URL, csrf_from, free_port, redis_or_skip
from tests.factories import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent




@pytest.fixture
def two_servers(app, tmp_path):
    """Two gunicorn processes (one worker each) on the suite's database, counting limits in Redis."""
    redis = redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "PYTHONPATH": str(ROOT),
           "SECRET_KEY": "two-servers-share-this-secret-key-0123456789", "RATELIMIT_STORAGE_URI": REDIS_URL,
           "RATELIMIT_KEY_PREFIX": prefix, "RATELIMIT_LOG_IN_PER_ACCOUNT": "4 per minute"}
    env.pop("TEST_DATABASE_URL", None)
    servers, bases = [], []
    try:
        for name in ("a", "b"):
            port, log = free_port(), tmp_path / f"gunicorn-{name}.log"
            command = [str(BIN / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}",
                       "--no-control-socket", "wsgi:app"]  # a control socket of its own would share one path
            with log.open("w") as out:
                servers.append((subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT),
                                log))
            bases.append(f"http://127.0.0.1:{port}")
        for base, (server, log) in zip(bases, servers, strict=True):
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(base + "/login", timeout=10).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start:\n" + log.read_text()[-3000:])
                time.sleep(0.2)
        yield bases
    finally:
        for server, _log in servers:
            server.terminate()
            server.wait(timeout=30)
        for key in redis.scan_iter(f"*{prefix}*"):
            redis.delete(key)


def _log_in(web: requests.Session, base: str, email: str, password: str) -> int:
    token = csrf_from(web.get(base + "/login", timeout=30).text)
    return web.post(base + "/login", data={"csrf_token": token, "email": email, "password": password},
                    allow_redirects=False, timeout=30).status_code


def test_two_servers_behave_as_one(app, two_servers):
    with app.app_context():
        make_user("ona@example.org", "Ona Kazlauskienė")
        make_user("aivars@example.org", "Aivars Ozoliņš")
        db.session.commit()
        db.session.remove()
    a, b = two_servers

    # A session made on one server is good on the other; logging out on the other ends it on both:
    # the old cookie, sent again to the first server, no longer logs anyone in.
    ona = requests.Session()
    assert _log_in(ona, a, "ona@example.org", PASSWORD) == 302
    old_cookies = ona.cookies.copy()
    calendar = ona.get(b + "/calendar", allow_redirects=False, timeout=30)
    assert calendar.status_code == 200
    assert ona.post(b + "/logout", data={"csrf_token": csrf_from(calendar.text)}, allow_redirects=False,
                    timeout=30).status_code == 302
    replayed = requests.get(a + "/calendar", cookies=old_cookies, allow_redirects=False, timeout=30)
    assert replayed.status_code == 302 and "/login" in replayed.headers["Location"]

    # Failed log-ins of one account count across both servers: 4 per minute in all, not 4 on each.
    attacker = requests.Session()
    tries = [_log_in(attacker, server, "aivars@example.org", "wrong password") for server in (a, b, a, b)]
    assert tries == [200] * 4  # the form again, with its error
    assert _log_in(attacker, a, "aivars@example.org", "wrong password") == 429
    assert _log_in(attacker, b, "aivars@example.org", PASSWORD) == 429  # even the right one waits, on either
