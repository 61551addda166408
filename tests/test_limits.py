"""Abuse limits (web/limits.py): failed log-ins, sign-ups, meeting requests, API calls and tokens.

Over a limit, pages answer with the translated 429 page and the API with problem details, both
with Retry-After. The counters are emptied before every test (tests/conftest.py); one test runs
the limiter against a real Redis, as production does.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import limits.storage.memory
import pytest

import matchmaking.web.limits
from matchmaking.extensions import db
from tests.conftest import REDIS_URL, redis_or_skip
from tests.factories import PASSWORD, make_event, make_user, register
from tests.test_api import Api, token_for

ROOT = Path(__file__).resolve().parents[1]
WRONG = "not the password"


@pytest.fixture
def user(app):
    with app.app_context():
        make_user("ieva@example.org", "Ieva Ozola")
        db.session.commit()
    return "ieva@example.org"


@pytest.fixture
def later(monkeypatch):
    """Move the limiter's clock forward (the counters' windows pass) without waiting."""
    real = time.time
    offset = [0.0]
    clock = SimpleNamespace(time=lambda: real() + offset[0])
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(matchmaking.web.limits, "time", clock)

    def forward(seconds: float) -> None:
        offset[0] += seconds
    return forward


def log_in(browser, email: str, password: str, address: str = "127.0.0.1", **kwargs):
    return browser.client.post("/login", data={"email": email, "password": password, "csrf_token": browser.token()},
                               environ_base={"REMOTE_ADDR": address}, **kwargs)


def assert_refused_for_a_while(response, most: int) -> int:
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 0 < wait <= most + 1  # whole seconds, rounded up
    return wait


def test_twenty_wrong_passwords_get_429_and_then_the_right_one_waits_too(browser, user, later):
    answers = [log_in(browser, user, WRONG) for _ in range(20)]
    assert [a.status_code for a in answers[:10]] == [200] * 10
    assert all("Wrong e-mail or password" in a.get_data(as_text=True) for a in answers[:10])
    for refused in answers[10:]:
        assert_refused_for_a_while(refused, 60)
        assert "Too many attempts" in refused.get_data(as_text=True)
    assert_refused_for_a_while(log_in(browser, user, PASSWORD), 60)
    assert browser.get("/login").status_code == 200  # the page itself still shows

    later(61)  # the minute passed; ten failures still count towards the quarter of an hour
    for _ in range(10):
        assert log_in(browser, user, WRONG).status_code == 200
    assert_refused_for_a_while(log_in(browser, user, PASSWORD), 15 * 60)

    later(15 * 60)
    assert log_in(browser, user, PASSWORD).status_code == 302


def test_right_passwords_are_not_counted(browser, user):
    for _ in range(12):
        assert log_in(browser, user, PASSWORD).status_code == 302
        browser.logout()


def test_the_account_limit_holds_across_client_addresses(make_browser, user):
    browser = make_browser()
    for i in range(10):
        assert log_in(browser, user, WRONG, address=f"198.51.100.{i}").status_code == 200
    assert_refused_for_a_while(log_in(browser, user, PASSWORD, address="203.0.113.7"), 60)
    # Another account from one of those addresses is not locked.
    with browser.client.application.app_context():
        make_user("other@example.org")
        db.session.commit()
    assert log_in(browser, "other@example.org", PASSWORD, address="198.51.100.1").status_code == 302


def test_failures_from_one_address_over_many_accounts_are_limited(browser, user):
    for i in range(30):
        assert log_in(browser, f"guess{i}@example.org", WRONG, address="192.0.2.9").status_code == 200
    assert_refused_for_a_while(log_in(browser, user, PASSWORD, address="192.0.2.9"), 60)
    assert log_in(browser, user, PASSWORD, address="192.0.2.10").status_code == 302


@pytest.mark.parametrize(("language", "title", "wait"), [
    ("pl", "Zbyt wiele prób", "Spróbuj ponownie za 1 minutę."),
    ("lv", "Pārāk daudz mēģinājumu", "Lūdzu, mēģiniet vēlreiz pēc 1 minūtes."),
])
def test_the_429_page_is_translated(browser, user, language, title, wait):
    for _ in range(10):
        log_in(browser, user, WRONG)
    refused = log_in(browser, user, WRONG, headers={"Accept-Language": language})
    assert_refused_for_a_while(refused, 60)
    text = refused.get_data(as_text=True)
    assert title in text and wait in text
    assert f'<html lang="{language}">' in text and 'href="/static/style.css"' in text  # the app's own look


def sign_up(browser, email: str, address: str):
    return browser.client.post("/signup", data={
        "name": "Jānis Kalniņš", "email": email, "password": "a long and unusual passphrase 7", "locale": "lv",
        "csrf_token": browser.token()}, environ_base={"REMOTE_ADDR": address})


def test_sign_ups_per_address(app, make_browser):
    browser = make_browser()
    for i in range(10):
        assert sign_up(browser, f"person{i}@example.org", "192.0.2.1").status_code == 302
    assert_refused_for_a_while(sign_up(browser, "person10@example.org", "192.0.2.1"), 3600)
    assert sign_up(make_browser(), "person11@example.org", "192.0.2.2").status_code == 302


def test_a_form_with_errors_is_not_a_sign_up(make_browser):
    browser = make_browser()
    for _ in range(12):
        answer = browser.client.post("/signup", data={"name": "", "email": "x", "password": "",
                                                      "csrf_token": browser.token()})
        assert answer.status_code == 200
    assert sign_up(browser, "late@example.org", "127.0.0.1").status_code == 302


@pytest.fixture
def crowd(app):
    """An event with five approved participants: (event id, [participant ids], [e-mails])."""
    with app.app_context():
        event = make_event(make_user("org@example.org", organiser=True))
        emails = [f"p{i}@example.org" for i in range(5)]
        ids = [register(make_user(email, f"Person {i}"), event, organisation=f"Org {i}").id
               for i, email in enumerate(emails)]
        db.session.commit()
        return event.id, ids, emails


def test_meeting_requests_per_participant_on_the_pages_and_the_api_together(app, make_browser, crowd, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_MEETING_REQUESTS", "3 per hour")  # operators tune it
    event_id, ids, emails = crowd
    sender = make_browser()
    sender.login(emails[0])
    for other in ids[1:3]:
        sent = sender.post(f"/events/{event_id}/participants/{other}/request", {"message": "Labdien!"})
        assert sent.status_code == 302
    api = Api(app.test_client(), token_for(app, emails[0]))
    made = api.post(f"/api/v1/events/{event_id}/requests",
                    json={"recipient_id": ids[3], "message": "", "online": False})
    assert made.status_code == 201

    page = sender.post(f"/events/{event_id}/participants/{ids[4]}/request", {"message": "Labdien!"})
    assert_refused_for_a_while(page, 3600)
    answer = api.post(f"/api/v1/events/{event_id}/requests", json={"recipient_id": ids[4], "message": "",
                                                                   "online": False})
    assert_refused_for_a_while(answer, 3600)
    assert answer.mimetype == "application/problem+json" and answer.json["code"] == "too_many_requests"

    other = make_browser()  # another participant is not held back
    other.login(emails[4])
    assert other.post(f"/events/{event_id}/participants/{ids[1]}/request", {"message": ""}).status_code == 302
    with app.app_context():
        from matchmaking.models import MeetingRequest

        assert db.session.query(MeetingRequest).count() == 4


def test_the_api_answers_problem_details_over_its_limit(app, crowd, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_API", "5 per minute")
    _event_id, _ids, emails = crowd
    busy = Api(app.test_client(), token_for(app, emails[0]))
    for _ in range(5):
        assert busy.get("/api/v1/events").status_code == 200
    refused = busy.get("/api/v1/events")
    assert_refused_for_a_while(refused, 60)
    assert refused.mimetype == "application/problem+json"
    assert refused.json["status"] == 429 and refused.json["code"] == "too_many_requests"
    assert str(refused.json["detail"]).startswith("Too many requests")
    assert Api(app.test_client(), token_for(app, emails[1])).get("/api/v1/events").status_code == 200


def test_new_api_tokens_per_user(app, make_browser, crowd, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_API_TOKENS", "2 per hour")
    browser = make_browser()
    browser.login(crowd[2][0])
    for name in ("one", "two"):
        assert browser.post("/account/tokens", {"name": name, "scopes": "participant"}).status_code == 302
    assert_refused_for_a_while(browser.post("/account/tokens", {"name": "three", "scopes": "participant"}), 3600)
    assert browser.get("/account/tokens").status_code == 200


REDIS_RUN = r"""
import json, sys
from flask_migrate import upgrade
from config import TestConfig
from matchmaking import create_app
from matchmaking.extensions import db
from tests.factories import make_user

class Config(TestConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite:///" + sys.argv[1]
    RATELIMIT_STORAGE_URI = sys.argv[2]
    RATELIMIT_KEY_PREFIX = sys.argv[3]
    WTF_CSRF_ENABLED = False

app = create_app(Config)
with app.app_context():
    upgrade()
    make_user("redis@example.org")
    db.session.commit()
client = app.test_client()
statuses = [client.post("/login", data={"email": "redis@example.org", "password": "wrong"}).status_code
            for _ in range(11)]
print(json.dumps({"statuses": statuses, "storage": type(app.extensions["limiter"].pop().storage).__name__}))
"""


def test_the_limits_hold_in_redis(tmp_path):
    """Production keeps the counters in Redis (every worker counts in one place). CI has Redis on
    127.0.0.1:6379 and this test fails there without it; elsewhere it is skipped."""
    server = redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"
    try:
        run = subprocess.run([sys.executable, "-c", REDIS_RUN, str(tmp_path / "redis.db"), REDIS_URL, prefix],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr[-3000:]
        result = json.loads(run.stdout.strip().splitlines()[-1])
        assert result["statuses"] == [200] * 10 + [429]
        assert result["storage"] == "RedisStorage"
        kept = server.keys(f"*{prefix}*")
        assert kept, "no counter was written to Redis"
    finally:
        for key in server.scan_iter(f"*{prefix}*"):
            server.delete(key)


def test_behind_a_proxy_the_client_address_counts(tmp_path):
    """With TRUSTED_PROXIES=1 the per-address limits see the address the proxy forwards, not the proxy's."""
    from config import TestConfig
    from matchmaking import create_app
    from matchmaking.web.limits import client_address

    class Behind(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'proxy.db'}"
        TRUSTED_PROXIES = 1

    class Direct(Behind):
        TRUSTED_PROXIES = 0

    answers = {}
    for settings in (Behind, Direct):
        app = create_app(settings)
        app.add_url_rule("/address", "address", client_address)
        answers[settings.__name__] = app.test_client().get(
            "/address", headers={"X-Forwarded-For": "203.0.113.5"}, environ_base={"REMOTE_ADDR": "10.0.0.1"}).text
    assert answers == {"Behind": "203.0.113.5", "Direct": "10.0.0.1"}
