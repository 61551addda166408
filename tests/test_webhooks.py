"""Webhooks: queued with the change, signed, delivered to a real HTTP receiver on 127.0.0.1, retried,
never twice; the URL rules; the organiser's pages."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Event, Participant, User, WebhookDelivery, WebhookEndpoint
from matchmaking.models.webhook import DELIVERED, FAILED, PENDING
from matchmaking.services import meetings, participants_admin, scheduling_runs, webhooks
from matchmaking.services.errors import ServiceError
from matchmaking.webhooks import sender
from matchmaking.webhooks.sender import deliver_due
from tests.conftest import free_port
from tests.factories import make_event, make_user, register

DAY = date(2030, 5, 20)  # meetings 09:00-10:00 in Riga (06:00-07:00 UTC)
NOW = datetime(2030, 5, 1, 12, 0)



class Receiver:
    """A real HTTP server on 127.0.0.1 that records each POST and answers with scripted statuses
    (then 200); it can go down and come back on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks?source=matchmaking"

    def ids(self) -> list[str]:
        return [headers["X-Webhook-Id"] for headers, _body in self.received]

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.received.append((dict(self.headers.items()), body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"oops: database down" if status >= 500 else b"ok")

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def receiver():
    server = Receiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def world(app):
    with app.app_context():
        organiser = make_user("org@example.org", "Olga Organizatorka", organiser=True)
        event = make_event(organiser, day=DAY)
        anna = register(make_user("anna@example.org", "Anna Wiśniewska"), event, organisation="Klaster Łomża")
        janis = register(make_user("janis@example.org", "Jānis Bērziņš"), event, organisation="Rokavaldīna")
        db.session.commit()
        return {"event": event.id, "anna": anna.id, "janis": janis.id, "organiser": organiser.id}


def _hook(app, event_id: int, url: str, kinds=webhooks.KINDS) -> tuple[int, str]:
    with app.app_context():
        endpoint = webhooks.add_endpoint(event=db.session.get(Event, event_id), url=url, kinds=kinds,
                                         base_url=app.config["BASE_URL"])
        db.session.commit()
        return endpoint.id, endpoint.secret


def _ping(app, endpoint_id: int, times: int = 1) -> list[str]:
    with app.app_context():
        ids = [webhooks.send_test(db.session.get(WebhookEndpoint, endpoint_id)).delivery_id for _ in range(times)]
        db.session.commit()
        return ids


def _deliver(app, now: datetime = NOW):
    with app.app_context():
        try:
            return deliver_due(now=now)
        finally:
            db.session.remove()


def _deliveries(app) -> list[WebhookDelivery]:
    with app.app_context():
        rows = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
        db.session.expunge_all()
        return rows


def _kinds(app, endpoint_id: int | None = None) -> list[str]:
    return [d.kind for d in _deliveries(app) if endpoint_id is None or d.endpoint_id == endpoint_id]


# --- Signing and delivery -------------------------------------------------------------------------

def test_signature_verifies_with_the_secret_and_timestamp(app, world, receiver):
    endpoint_id, secret = _hook(app, world["event"], receiver.url)
    [delivery_id] = _ping(app, endpoint_id)

    assert _deliver(app) == {"delivered": 1, "retry": 0, "failed": 0, "skipped": 0}

    [(headers, body)] = receiver.received
    timestamp = headers["X-Webhook-Timestamp"]
    assert timestamp == "1903867200"  # NOW, 2030-05-01T12:00:00Z, in unix seconds
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Signature-256"], f"sha256={expected}")
    wrong = hmac.new(b"not the secret", timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["X-Signature-256"] != f"sha256={wrong}"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Webhook-Id"] == delivery_id
    assert headers["X-Webhook-Event"] == "ping"
    payload = json.loads(body)
    assert payload["id"] == delivery_id and payload["type"] == "ping" and payload["event_id"] == world["event"]
    assert payload["created_at"].endswith("Z")
    [row] = _deliveries(app)
    assert (row.status, row.attempts, row.last_status_code, row.delivered_at) == (DELIVERED, 1, 200, NOW)


def test_a_receiver_that_fails_first_gets_the_delivery_on_the_retry(app, world, receiver):
    endpoint_id, _secret = _hook(app, world["event"], receiver.url)
    [delivery_id] = _ping(app, endpoint_id)
    receiver.statuses = [500]

    assert _deliver(app)["retry"] == 1
    [row] = _deliveries(app)
    assert (row.status, row.attempts, row.last_status_code) == (PENDING, 1, 500)
    assert row.last_response == "oops: database down"
    assert row.next_attempt_at == NOW + sender.BACKOFF[0]

    assert _deliver(app, now=NOW + timedelta(seconds=59))["delivered"] == 0  # waiting for the backoff
    assert _deliver(app, now=NOW + timedelta(minutes=1))["delivered"] == 1

    assert receiver.ids() == [delivery_id, delivery_id]  # the same delivery id on the retry
    [row] = _deliveries(app)
    assert (row.status, row.attempts, row.last_status_code) == (DELIVERED, 2, 200)


def test_a_redirect_is_not_followed_and_counts_as_a_failure(app, world, receiver):
    endpoint_id, _secret = _hook(app, world["event"], receiver.url)
    _ping(app, endpoint_id)
    receiver.statuses = [301]

    assert _deliver(app)["retry"] == 1
    assert len(receiver.received) == 1


def test_after_max_attempts_the_delivery_fails(app, world, receiver):
    endpoint_id, _secret = _hook(app, world["event"], receiver.url)
    _ping(app, endpoint_id)
    receiver.statuses = [503] * sender.MAX_ATTEMPTS

    now = NOW
    for _ in range(sender.MAX_ATTEMPTS):
        _deliver(app, now=now)
        now += timedelta(days=2)

    [row] = _deliveries(app)
    assert (row.status, row.attempts, row.last_status_code) == (FAILED, sender.MAX_ATTEMPTS, 503)
    assert _deliver(app, now=now + timedelta(days=30))["delivered"] == 0
    assert len(receiver.received) == sender.MAX_ATTEMPTS


def test_nothing_is_lost_while_the_receiver_is_down_and_each_arrives_once(app, world, receiver):
    endpoint_id, _secret = _hook(app, world["event"], receiver.url)
    queued = _ping(app, endpoint_id, times=3)
    receiver.stop()  # the port is closed

    down = _deliver(app)

    assert down == {"delivered": 0, "retry": 1, "failed": 0, "skipped": 2}  # one try per unreachable endpoint
    first = _deliveries(app)[0]
    assert first.last_status_code is None and "ConnectionRefusedError" in first.last_response
    receiver.start()
    now = NOW
    for _ in range(3):
        now += timedelta(minutes=2)
        _deliver(app, now=now)

    assert sorted(receiver.ids()) == sorted(queued)  # every one, each once
    assert all(d.status == DELIVERED for d in _deliveries(app))
    assert _deliver(app, now=now + timedelta(days=1))["delivered"] == 0


def test_two_overlapping_senders_deliver_each_row_once(app, world, receiver):
    endpoint_id, _secret = _hook(app, world["event"], receiver.url)
    queued = _ping(app, endpoint_id, times=12)
    receiver.delay = 0.05  # each POST takes a while, so that the two runs overlap
    results, errors = [], []

    def run():
        try:
            results.append(_deliver(app))
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(receiver.ids()) == sorted(queued)  # each exactly once
    assert sum(r["delivered"] for r in results) == 12


def test_a_claimed_delivery_is_left_to_the_sender_that_claimed_it(app, world, receiver):
    endpoint_id, _secret = _hook(app, world["event"], receiver.url)
    _ping(app, endpoint_id)
    [row] = _deliveries(app)
    with app.app_context():
        assert sender._claim(row.id, NOW) is not None  # another run holds it

    assert _deliver(app)["delivered"] == 0
    assert receiver.received == []
    assert _deliver(app, now=NOW + sender.CLAIM + timedelta(seconds=1))["delivered"] == 1  # its claim ran out


def test_redeliver_sends_the_same_data_under_a_new_delivery_id(app, world, receiver):
    endpoint_id, _secret = _hook(app, world["event"], receiver.url)
    [first_id] = _ping(app, endpoint_id)
    with app.app_context():
        pending = db.session.scalar(select(WebhookDelivery))
        with pytest.raises(ServiceError, match="still being tried"):
            webhooks.redeliver(pending)
    _deliver(app)
    with app.app_context():
        again = webhooks.redeliver(db.session.scalar(select(WebhookDelivery)))
        db.session.commit()
        again_id = again.delivery_id
    _deliver(app, now=NOW + timedelta(minutes=1))

    assert receiver.ids() == [first_id, again_id] and again_id != first_id
    first, second = (json.loads(body) for _headers, body in receiver.received)
    assert second["id"] == again_id
    assert {k: v for k, v in first.items() if k != "id"} == {k: v for k, v in second.items() if k != "id"}
    assert [d.status for d in _deliveries(app)] == [DELIVERED, DELIVERED]  # the first one's record stays


# --- Which URLs are refused --------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "base_url", "message"), [
    ("ftp://files.example.net/hooks", "https://match.example.org", "http:// or https://"),
    ("javascript:alert(1)", "https://match.example.org", "http:// or https://"),
    ("https://", "https://match.example.org", "http:// or https://"),
    ("https://example.net:99999/", "https://match.example.org", "http:// or https://"),
    ("https://match.example.org/hooks", "https://match.example.org", "this application itself"),
    ("http://MATCH.example.org.:8080/hooks", "https://match.example.org", "this application itself"),
    ("http://127.0.0.1:8080/hooks", "https://match.example.org", "loopback"),
    ("http://localhost/hooks", "https://match.example.org", "loopback"),
    ("http://api.localhost/hooks", "https://match.example.org", "loopback"),
    ("http://[::1]:8080/hooks", "https://match.example.org", "loopback"),
    ("http://2130706433/hooks", "https://match.example.org", "loopback"),  # 127.0.0.1 as one number
    ("http://0.0.0.0:5000/hooks", "https://match.example.org", "loopback"),
    ("http://127.0.0.1:5000/hooks", "http://127.0.0.1:5000", "this application itself"),
    ("http://localhost:5000/hooks", "http://127.0.0.1:5000", "this application itself"),
])
def test_refused_urls(url, base_url, message):
    with pytest.raises(ServiceError, match=message):
        webhooks.check_url(url, base_url=base_url)


@pytest.mark.parametrize(("url", "base_url"), [
    ("https://crm.example.net/hooks", "https://match.example.org"),
    ("http://127.0.0.1:8080/hooks", "http://127.0.0.1:5000"),  # a developer's (or a test's) receiver
    ("http://localhost:8080/hooks", "http://localhost:5000"),
])
def test_allowed_urls(url, base_url):
    assert webhooks.check_url(f"  {url} ", base_url=base_url) == url


def test_the_page_refuses_a_bad_url_with_a_clear_message(app, world, browser):
    browser.login("org@example.org")
    page = f"/organiser/events/{world['event']}/webhooks"
    browser.get(page)

    response = browser.post(f"{page}/new", {"url": "ftp://files.example.net/hooks", "kinds": "meeting.scheduled"},
                            headers={"Referer": f"http://localhost{page}"}, follow_redirects=True)

    assert "A webhook URL must start with http:// or https:// and name a host." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(WebhookEndpoint)).all() == []


# --- The organiser's pages ------------------------------------------------------------------------

def test_organiser_adds_a_webhook_sees_its_secret_tests_it_and_reads_the_log(app, world, browser, receiver):
    browser.login("org@example.org")
    page = f"/organiser/events/{world['event']}/webhooks"

    added = browser.post(f"{page}/new", {"url": receiver.url, "kinds": ["meeting.scheduled", "meeting.cancelled"]})

    assert added.status_code == 302
    with app.app_context():
        endpoint = db.session.scalar(select(WebhookEndpoint))
        assert endpoint.kinds == "meeting.scheduled meeting.cancelled"
        endpoint_id, secret = endpoint.id, endpoint.secret
    html = browser.get(page).get_data(as_text=True)
    assert secret in html and len(secret) == 64
    assert browser.post(f"{page}/{endpoint_id}/test").status_code == 302
    _deliver(app)
    html = browser.get(page).get_data(as_text=True)
    [row] = _deliveries(app)
    assert row.delivery_id in html and "Delivered" in html
    assert browser.post(f"{page}/deliveries/{row.id}/redeliver").status_code == 302
    assert len(_deliveries(app)) == 2
    assert browser.post(f"{page}/{endpoint_id}/delete").status_code == 302
    assert _deliveries(app) == []


def test_an_organiser_of_another_event_gets_404(app, world, make_browser, receiver):
    endpoint_id, _secret = _hook(app, world["event"], receiver.url)
    _ping(app, endpoint_id)
    [row] = _deliveries(app)
    with app.app_context():
        rival = make_user("rival@example.org", "Rasmus Rival", organiser=True)
        own = make_event(rival, name="Nordic Wood Forum")
        db.session.commit()
        own_id = own.id
    browser = make_browser()
    browser.login("rival@example.org")

    for url in (f"/organiser/events/{world['event']}/webhooks",):
        assert browser.get(url).status_code == 404
    for url in (f"/organiser/events/{world['event']}/webhooks/{endpoint_id}/test",
                f"/organiser/events/{own_id}/webhooks/{endpoint_id}/test",  # through his own event
                f"/organiser/events/{own_id}/webhooks/{endpoint_id}/delete",
                f"/organiser/events/{own_id}/webhooks/deliveries/{row.id}/redeliver"):
        assert browser.post(url).status_code == 404, url
    assert len(_deliveries(app)) == 1
    with app.app_context():
        assert db.session.get(WebhookEndpoint, endpoint_id) is not None
    assert row.delivery_id not in browser.get(f"/organiser/events/{own_id}/webhooks").get_data(as_text=True)


# --- Emitted at the changes ---------------------------------------------------------------------------

def _payloads(app, kind: str) -> list[dict]:
    return [json.loads(d.payload) for d in _deliveries(app) if d.kind == kind]


def test_kinds_are_emitted_at_the_changes(app, world):
    all_kinds, _secret = _hook(app, world["event"], "https://crm.example.net/all")
    meetings_only, _secret = _hook(app, world["event"], "https://crm.example.net/meetings",
                                   kinds=("meeting.scheduled", "meeting.cancelled"))
    with app.app_context():
        paused = db.session.get(WebhookEndpoint, meetings_only)
        other = webhooks.add_endpoint(event=db.session.get(Event, world["event"]), url="https://x.example.net/",
                                      kinds=webhooks.KINDS, base_url=app.config["BASE_URL"])
        webhooks.update_endpoint(endpoint=other, base_url=app.config["BASE_URL"], active=False)
        assert paused.active
        event = db.session.get(Event, world["event"])
        event.requires_approval = True
        karl = register(make_user("karl@example.org", "Karl Tamm"), event, organisation="Tartu Textiles")
        db.session.commit()
        assert _kinds(app) == ["participant.registered"]
        participants_admin.approve(karl)
        db.session.commit()
        anna, janis = db.session.get(Participant, world["anna"]), db.session.get(Participant, world["janis"])
        first = meetings.request_meeting(requester=anna, recipient=janis, message="Sveiki!", online=False)
        second = meetings.request_meeting(requester=karl, recipient=anna, message="Tere!", online=False)
        db.session.commit()
        meeting = meetings.accept_request(recipient=janis, request_id=first.id)
        meetings.decline_request(recipient=anna, request_id=second.id)
        db.session.commit()
        meetings.mark_attendance(meeting=meeting, by=anna.user, value="held", now=datetime(2030, 5, 20, 6, 0))
        db.session.commit()
        meetings.cancel_meeting(participant=janis, meeting_id=meeting.id, reason="Flight cancelled")
        db.session.commit()
        meeting_id = meeting.id

    assert _kinds(app, all_kinds) == [
        "participant.registered", "participant.approved", "request.created", "request.created",
        "request.accepted", "meeting.scheduled", "request.declined", "meeting.attendance", "meeting.cancelled",
    ]
    assert _kinds(app, meetings_only) == ["meeting.scheduled", "meeting.cancelled"]
    assert len(_deliveries(app)) == 11  # the paused endpoint got nothing
    [registered] = _payloads(app, "participant.registered")
    assert registered["data"] == {
        "id": registered["data"]["id"], "name": "Karl Tamm", "organisation": "Tartu Textiles",
        "organisation_type": "cluster", "country": "PL", "status": "pending", "meeting_mode": "onsite",
        "created_at": registered["data"]["created_at"]}
    assert _payloads(app, "participant.approved")[0]["data"]["status"] == "approved"
    accepted = _payloads(app, "request.accepted")[0]["data"]
    assert (accepted["status"], accepted["requester"]["name"], accepted["recipient"]["organisation"]) == (
        "accepted", "Anna Wiśniewska", "Rokavaldīna")
    scheduled = [p["data"] for p in _payloads(app, "meeting.scheduled")]
    assert scheduled[0] == scheduled[1]  # one snapshot per change, to every endpoint that wants it
    assert scheduled[0]["id"] == meeting_id and scheduled[0]["status"] == "scheduled"
    assert scheduled[0]["slot"] == {"id": scheduled[0]["slot"]["id"], "start": "2030-05-20T06:00:00Z",
                                    "end": "2030-05-20T06:30:00Z"}
    assert scheduled[0]["table"]["name"] == "T1" and scheduled[0]["online"] is False
    assert [p["name"] for p in scheduled[0]["participants"]] == ["Anna Wiśniewska", "Jānis Bērziņš"]
    assert _payloads(app, "meeting.attendance")[0]["data"]["attendance"] == "held"
    cancelled = _payloads(app, "meeting.cancelled")[0]["data"]
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "Flight cancelled")
    assert _payloads(app, "request.declined")[0]["data"]["status"] == "declined"


def test_publishing_a_schedule_emits_each_meeting_and_the_publication(app, world):
    endpoint_id, _secret = _hook(app, world["event"], "https://crm.example.net/all",
                                 kinds=("meeting.scheduled", "meeting.moved", "schedule.published"))
    with app.app_context():
        event = db.session.get(Event, world["event"])
        scheduling_runs.set_mode(event=event, mode="batch")
        anna, janis = db.session.get(Participant, world["anna"]), db.session.get(Participant, world["janis"])
        request = meetings.request_meeting(requester=anna, recipient=janis, message="", online=False)
        meeting = meetings.accept_request(recipient=janis, request_id=request.id)
        db.session.commit()
        assert meeting.slot_id is None and _kinds(app) == []  # waiting for the run: nothing to tell yet
        run = scheduling_runs.create_draft(event=event, actor=None, time_limit=2)
        scheduling_runs.publish(run=run)
        db.session.commit()
        run_id = run.id

    assert _kinds(app, endpoint_id) == ["meeting.scheduled", "schedule.published"]
    [published] = _payloads(app, "schedule.published")
    assert published["data"]["run_id"] == run_id
    assert (published["data"]["changed"], published["data"]["scheduled"], published["data"]["unscheduled"]) == (1, 1, 0)


def test_an_event_without_endpoints_gets_no_deliveries_and_a_rolled_back_change_none(app, world):
    with app.app_context():
        anna, janis = db.session.get(Participant, world["anna"]), db.session.get(Participant, world["janis"])
        meetings.request_meeting(requester=anna, recipient=janis, message="", online=False)
        db.session.commit()
    assert _deliveries(app) == []
    _hook(app, world["event"], "https://crm.example.net/all")
    with app.app_context():
        karl = register(make_user("karl@example.org", "Karl Tamm"), db.session.get(Event, world["event"]))
        assert karl.id and db.session.scalars(select(WebhookDelivery)).all() != []  # queued, in this transaction
        db.session.rollback()  # the change is not saved: neither is its webhook

    assert _deliveries(app) == []
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "karl@example.org")) is None


def test_an_accept_by_api_reaches_the_organisers_receiver_as_a_signed_meeting_scheduled(app, world, receiver):
    """The issue's end to end: a participant accepts through the API; the organiser's endpoint gets
    meeting.scheduled with a signature that verifies, and the API's sync lists the same meeting."""
    from matchmaking.models import Participant, User
    from matchmaking.services import api_tokens, meetings

    _endpoint_id, secret = _hook(app, world["event"], receiver.url, kinds=("meeting.scheduled",))
    with app.app_context():
        request = meetings.request_meeting(requester=db.session.get(Participant, world["anna"]),
                                           recipient=db.session.get(Participant, world["janis"]), message="",
                                           online=False)
        janis_token = api_tokens.create_token(user=db.session.get(Participant, world["janis"]).user, name="crm",
                                              scopes=("participant",))[1]
        organiser = db.session.get(User, world["organiser"])
        organiser_token = api_tokens.create_token(user=organiser, name="crm", scopes=("organiser",))[1]
        db.session.commit()
        request_id = request.id
    client = app.test_client()

    accepted = client.post(f"/api/v1/events/{world['event']}/requests/{request_id}/accept",
                           headers={"Authorization": f"Bearer {janis_token}"})
    _deliver(app, now=datetime.now(UTC).replace(tzinfo=None))
    synced = client.get(f"/api/v1/organiser/events/{world['event']}/meetings",
                        headers={"Authorization": f"Bearer {organiser_token}"}).json

    assert accepted.status_code == 200
    [(headers, body)] = receiver.received
    signed = headers["X-Webhook-Timestamp"].encode() + b"." + body
    assert headers["X-Signature-256"] == "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    payload = json.loads(body)
    assert payload["type"] == "meeting.scheduled" and payload["data"]["status"] == "scheduled"
    assert [m["id"] for m in synced["items"]] == [payload["data"]["id"]]
