"""Fixtures: an app on a migrated database (SQLite file by default, PostgreSQL with
TEST_DATABASE_URL), emptied after every test, and helpers to act as a logged-in user."""
from __future__ import annotations

import os
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade
from sqlalchemy import event as sa_event
from sqlalchemy import text

from config import TestConfig, database_url
from matchmaking import create_app
from matchmaking.extensions import db

MAILED_LINK_RE = re.compile(r"https?://\S+/(?:password/reset|invitation|verify|outcomes)/\S+")
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def _reset_schema(app) -> None:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()  # the schema comes from the migrations, as in production


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    if os.environ.get("TEST_DATABASE_URL"):
        url = database_url("TEST_DATABASE_URL", "")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        MEDIA_FOLDER = str(tmp_path_factory.mktemp("media"))

    app = create_app(Config)
    _reset_schema(app)
    return app


@pytest.fixture(autouse=True)
def _empty_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    shutil.rmtree(app.config["MEDIA_FOLDER"], ignore_errors=True)  # uploaded pictures go with the rows
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture(autouse=True)
def _no_request_counted():
    """Every test starts with fresh abuse-limit counters (web/limits.py), so tests stay independent."""
    from matchmaking.web.limits import limiter

    if limiter.initialized:
        limiter.reset()


@pytest.fixture
def ctx(app):
    """An app context for arranging data through the services."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def pair(app):
    """An event with two registered participants: (event id, participant a id, participant b id)."""
    from tests.factories import make_event, make_user, register

    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser)
        a = register(make_user("a@example.org", "Agnieszka Wiśniewska"), event)
        b = register(make_user("b@example.org", "Mārtiņš Krūmiņš"), event, organisation="Kurzemes klasteris")
        db.session.commit()
        return event.id, a.id, b.id


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def mailed_link(app, kind: str, email: str) -> str:
    """The path of the account link in the newest mail of ``kind`` to ``email``, as the recipient reads it
    (the outbox stores no link: it is made when the mail is composed)."""
    from urllib.parse import urlparse

    from sqlalchemy import select

    from matchmaking.mail.compose import compose
    from matchmaking.models import OutboxMessage, User

    with app.app_context():
        message = db.session.scalars(select(OutboxMessage).join(User).where(
            OutboxMessage.kind == kind, User.email == email).order_by(OutboxMessage.id.desc())).first()
        assert message is not None, f"no {kind} mail to {email}"
        text = compose(message).get_body(("plain",)).get_content()
    return urlparse(MAILED_LINK_RE.search(text).group(0)).path


class Browser:
    """A test client that logs in and posts forms with their CSRF token, as a browser would."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def token(self) -> str:
        page = self.client.get("/login")
        if page.status_code == 302:  # logged in: every page has the log-out form
            page = self.client.get("/")
        return csrf_from(page.get_data(as_text=True))

    def post(self, url: str, data: dict | None = None, **kwargs):
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.token())
        return self.client.post(url, data=payload, **kwargs)

    def login(self, email: str, password: str = "correct horse battery"):
        response = self.post("/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def logout(self):
        return self.post("/logout")


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def make_browser(app):
    return lambda: Browser(app.test_client())


REDIS_URL = "redis://127.0.0.1:6379"


def post_at_once(browsers, urls, data: dict | None = None) -> list:
    """POST every url from its own browser at the same moment (a barrier), with its CSRF token and ``data``;
    the responses, redirects followed."""
    barrier = threading.Barrier(len(urls))
    tokens = [b.token() for b in browsers]
    responses = [None] * len(urls)

    def run(i):
        barrier.wait()
        responses[i] = browsers[i].client.post(urls[i], data={"csrf_token": tokens[i], **(data or {})},
                                               follow_redirects=True)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(urls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return responses


def free_port() -> int:
    """A TCP port nobody listens on now (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_or_skip():
    """A client of the local Redis; the test is skipped without one, and fails in CI, which has it."""
    redis = pytest.importorskip("redis")
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        server.ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs Redis at {REDIS_URL}: {error}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    return server


@contextmanager
def count_statements(app) -> Iterator[list[str]]:
    """The SQL statements the app sends inside the block, in order (a list that fills as they run)."""
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", seen)
