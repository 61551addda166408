"""Security and caching headers on every kind of page (web/headers.py).

Every answer carries the strict Content-Security-Policy and the other protective headers;
``Cache-Control: private, no-store`` goes on what is made for one person (pages seen logged in,
exports, one-off calendar files, API answers), while public pages and static files keep the
defaults and the calendar feed keeps what calendar clients need.
"""
from __future__ import annotations

import base64
import hashlib
import re

import pytest

from matchmaking.extensions import db
from matchmaking.web.headers import CSP, SWAGGER_UI_STYLE
from tests.test_api import Api, requested, token_for

STRICT_CSP = ("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
              "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'", "object-src 'none'")
PERMISSIONS_OFF = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")
PRIVATE = "private, no-store"


def assert_protected(response, *, csp: str | None = None) -> None:
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    if csp is None:
        assert policy == CSP
        for directive in STRICT_CSP:
            assert directive in policy.split("; ")
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for feature in PERMISSIONS_OFF:
        assert feature in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")
    assert "Strict-Transport-Security" not in headers  # plain HTTP: SESSION_COOKIE_SECURE is off


def assert_private(response) -> None:
    assert response.headers["Cache-Control"] == PRIVATE


def assert_cacheable(response) -> None:
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.fixture
def world(app, pair):
    """The pair's event with a meeting between them, its organiser's and a's ids."""
    event_id, a, b = pair
    request_id = requested(app, a, b, accept=True)
    with app.app_context():
        from matchmaking.models import MeetingRequest

        meeting_id = db.session.get(MeetingRequest, request_id).meeting.id
    return event_id, meeting_id


def test_public_pages_log_in_404_and_static_files(client, world):
    event_id, _meeting = world
    for path in ("/", f"/events/{event_id}", "/login", "/signup", "/accessibility",
                 f"/events/{event_id}/programme.ics"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert_protected(answer)
        assert_cacheable(answer)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert_protected(missing)
    assert_cacheable(missing)
    style = client.get("/static/style.css")
    assert style.status_code == 200
    assert_protected(style)
    assert_cacheable(style)


def test_participant_pages_exports_and_ics_are_private(app, world, make_browser):
    event_id, meeting_id = world
    browser = make_browser()
    browser.login("a@example.org")
    for path in ("/", f"/events/{event_id}", f"/events/{event_id}/agenda", f"/events/{event_id}/participants",
                 f"/events/{event_id}/requests", f"/events/{event_id}/meetings/{meeting_id}", "/calendar",
                 "/account/tokens", "/account/password", "/no-such-page"):
        answer = browser.get(path)
        assert answer.status_code in (200, 404), path
        assert_protected(answer)
        assert_private(answer)
    for path in (f"/events/{event_id}/agenda.ics", f"/events/{event_id}/meetings/{meeting_id}.ics"):
        download = browser.get(path)
        assert download.status_code == 200 and download.mimetype == "text/calendar"
        assert_protected(download)
        assert_private(download)
    style = browser.get("/static/style.css")  # static files stay cacheable, logged in or not
    assert_cacheable(style)


def test_organiser_pages_exports_and_print_views_are_private(app, world, make_browser):
    event_id, _meeting = world
    browser = make_browser()
    browser.login("org@example.org")
    base = f"/organiser/events/{event_id}"
    for path in ("/organiser/", base, f"{base}/participants", f"{base}/dashboard", f"{base}/exports",
                 f"{base}/print/participants", f"{base}/print/tables", f"{base}/exports/meetings.csv",
                 f"{base}/exports/participants.xlsx"):
        answer = browser.get(path)
        assert answer.status_code == 200, path
        assert_protected(answer)
        assert_private(answer)


def test_the_calendar_feed_may_be_kept_briefly_by_the_calendar_client_only(app, world, make_browser):
    browser = make_browser()
    browser.login("a@example.org")
    page = browser.get("/calendar").get_data(as_text=True)
    assert_private(browser.get("/calendar"))  # the page shows the secret address
    feed = re.search(r'id="feed-url" readonly value="http://localhost([^"]+)"', page).group(1)
    answer = app.test_client().get(feed)  # as a calendar client asks: no cookie
    assert answer.status_code == 200
    assert_protected(answer)
    assert answer.headers["Cache-Control"] == "private, max-age=300" and answer.headers["ETag"]


def test_api_answers_are_private_and_its_docs_allow_their_own_script_only(app, world, client):
    event_id, _meeting = world
    api = Api(app.test_client(), token_for(app, "a@example.org"))
    for path in ("/api/v1/events", f"/api/v1/events/{event_id}/meetings", f"/api/v1/events/{event_id}/me"):
        answer = api.get(path)
        assert answer.status_code == 200 and answer.is_json, path
        assert_protected(answer)
        assert_private(answer)
    refused = Api(app.test_client(), None).get("/api/v1/events")
    assert refused.status_code == 401
    assert_protected(refused)

    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert_protected(spec)
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    policy = docs.headers["Content-Security-Policy"]
    assert_protected(docs, csp=policy)
    inline = re.findall(rb"<script>(.*?)</script>", docs.data, re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0]).digest()).decode()
    assert policy == CSP.replace("script-src 'self'", f"script-src 'self' 'sha256-{digest}'").replace(
        "style-src 'self'", f"style-src 'self' {SWAGGER_UI_STYLE}")


def test_the_429_page_is_protected_too(browser, world):
    for _ in range(11):
        answer = browser.post("/login", {"email": "a@example.org", "password": "wrong"})
    assert answer.status_code == 429
    assert_protected(answer)
    assert_cacheable(answer)  # nobody is logged in: nothing personal on it


def test_hsts_only_behind_https(app, client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/").headers
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    assert client.get("/").headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_no_template_has_inline_script_style_or_handlers():
    """The policy allows none of them; e-mails are not pages and may style themselves."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "templates"
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.I)
    offenders = [f"{path.relative_to(templates)}: {match.group(0).strip()}"
                 for path in templates.rglob("*.html") if path.parts[-2] != "mail"
                 for match in inline.finditer(path.read_text())]
    assert offenders == []

