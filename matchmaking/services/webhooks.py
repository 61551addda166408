"""Webhooks: organisers register URLs for an event; its changes are queued for them, signed, in the
caller's transaction (as ``outbox.enqueue`` queues e-mail) and sent by ``matchmaking.webhooks.sender``.

Every body is ``{"id": <delivery id>, "type": <kind>, "created_at": <ISO-8601 UTC>, "event_id": ...,
"data": {...}}``; ``data`` is built by ``participant_data``, ``request_data``, ``meeting_data`` or
``schedule_data`` (services/shapes.py: the API answers with the same shapes). It is a snapshot taken at the change.

Which URLs are refused (``check_url``): anything but http and https; the app itself, that is the host
of ``BASE_URL``; and, when ``BASE_URL`` is a public name, every loopback name or address (localhost,
127.0.0.0/8, ::1, 0.0.0.0), which would reach the app's own machine. When ``BASE_URL`` is itself a
loopback address (a developer's machine, the tests), loopback receivers are allowed except on the
app's own port, so a receiver on 127.0.0.1 can be tested. Names are not resolved: a public name that
resolves to a private address is not caught here.
"""
from __future__ import annotations

import ipaddress
import json
import secrets
import socket
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Event, WebhookDelivery, WebhookEndpoint
from ..models.base import utcnow
from ..models.webhook import PENDING
from . import bulk
from .errors import NotFound, ServiceError
from .lookup import is_valid_id, one_of_event
from .shapes import iso

KINDS = (
    "participant.registered", "participant.approved",
    "request.created", "request.accepted", "request.declined",
    "meeting.scheduled", "meeting.moved", "meeting.cancelled", "meeting.attendance",
    "schedule.published",
)
TEST_KIND = "ping"  # "send a test event": sent whatever kinds the endpoint wants
URL_MAX = 500
LOG_SIZE = 50
DEFAULT_PORTS = {"http": 80, "https": 443}

Data = dict | Callable[[], dict]


# --- Endpoints ------------------------------------------------------------------------------------

def _ipv4_or_6(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        try:  # the forms the resolver also accepts: 2130706433, 127.1, 0x7f.1
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_loopback(host: str) -> bool:
    """localhost, *.localhost, 127.0.0.0/8, ::1 and the unspecified address (which reaches this machine)."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address = _ipv4_or_6(host)
    return address is not None and (address.is_loopback or address.is_unspecified)


def _port(parts) -> int:
    return parts.port or DEFAULT_PORTS.get(parts.scheme, 0)


def check_url(url: str, *, base_url: str) -> str:
    """The URL, stripped, if the app may POST to it; ServiceError otherwise (see the module's rules)."""
    url = url.strip()
    parts = urlsplit(url)
    try:
        port = _port(parts)
    except ValueError:
        port = None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or port is None or len(url) > URL_MAX:
        raise ServiceError(_("A webhook URL must start with http:// or https:// and name a host."))
    host = parts.hostname.lower().rstrip(".")
    own = urlsplit(base_url)
    own_host = (own.hostname or "").lower().rstrip(".")
    if is_loopback(own_host):
        if is_loopback(host) and port == _port(own):
            raise ServiceError(_("A webhook cannot point at this application itself."))
    elif host == own_host:
        raise ServiceError(_("A webhook cannot point at this application itself."))
    elif is_loopback(host):
        raise ServiceError(_("A webhook cannot point at this server (localhost or a loopback address)."))
    return url


def _check_kinds(kinds: Iterable[str]) -> str:
    chosen = [k for k in KINDS if k in set(kinds)]
    if not chosen or set(kinds) - set(KINDS):
        raise ServiceError(_("Choose at least one kind of change to send."))
    return " ".join(chosen)


def new_secret() -> str:
    return secrets.token_hex(32)


def add_endpoint(*, event: Event, url: str, kinds: Iterable[str], base_url: str) -> WebhookEndpoint:
    """Register a receiver; it gets a random secret, shown to the organiser to configure the receiver."""
    kinds = list(kinds)
    endpoint = WebhookEndpoint(event_id=event.id, url=check_url(url, base_url=base_url), kinds=_check_kinds(kinds),
                               secret=new_secret(), active=True)
    db.session.add(endpoint)
    db.session.flush()
    return endpoint


def update_endpoint(*, endpoint: WebhookEndpoint, base_url: str, url: str | None = None,
                    kinds: Iterable[str] | None = None, active: bool | None = None) -> None:
    if url is not None:
        endpoint.url = check_url(url, base_url=base_url)
    if kinds is not None:
        endpoint.kinds = _check_kinds(list(kinds))
    if active is not None:
        endpoint.active = active
    db.session.flush()


def remove_endpoint(*, endpoint: WebhookEndpoint) -> None:
    """Remove a receiver and its delivery log (what was still pending is not sent)."""
    db.session.delete(endpoint)
    db.session.flush()


def get_endpoint(event: Event, endpoint_id: int) -> WebhookEndpoint:
    return one_of_event(WebhookEndpoint, event.id, endpoint_id)


def endpoints_of(event: Event) -> list[WebhookEndpoint]:
    return list(db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.event_id == event.id)
                                   .order_by(WebhookEndpoint.id)))


def get_delivery(event: Event, delivery_pk: int) -> WebhookDelivery:
    if not is_valid_id(delivery_pk):
        raise NotFound()
    found = db.session.scalar(select(WebhookDelivery).join(WebhookEndpoint).where(
        WebhookDelivery.id == delivery_pk, WebhookEndpoint.event_id == event.id))
    if found is None:
        raise NotFound()
    return found


def delivery_log(event: Event, limit: int = LOG_SIZE) -> list[WebhookDelivery]:
    """The event's latest deliveries, newest first."""
    return list(db.session.scalars(
        select(WebhookDelivery).join(WebhookEndpoint).where(WebhookEndpoint.event_id == event.id)
        .order_by(WebhookDelivery.id.desc()).limit(limit)))


# --- Queueing deliveries --------------------------------------------------------------------------

def _body(delivery_id: str, kind: str, event_id: int, created_at: datetime, data: dict) -> str:
    return json.dumps({"id": delivery_id, "type": kind, "created_at": iso(created_at), "event_id": event_id,
                       "data": data}, ensure_ascii=False, separators=(",", ":"))


def _delivery(endpoint: WebhookEndpoint, kind: str, event_id: int, data: dict, now: datetime) -> WebhookDelivery:
    delivery_id = str(uuid.uuid4())
    delivery = WebhookDelivery(endpoint_id=endpoint.id, delivery_id=delivery_id, kind=kind, status=PENDING,
                               payload=_body(delivery_id, kind, event_id, now, data), next_attempt_at=now,
                               created_at=now)
    db.session.add(delivery)
    return delivery


class Listeners:
    """An event's active endpoints, looked up once, for a service that tells of many changes at once
    (a published schedule moves thousands of meetings). False when there are none: skip everything."""

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        self.endpoints = list(db.session.scalars(select(WebhookEndpoint).where(
            WebhookEndpoint.event_id == event_id, WebhookEndpoint.active.is_(True)).order_by(WebhookEndpoint.id)))

    def __bool__(self) -> bool:
        return bool(self.endpoints)

    def wanting(self, kind: str) -> list[WebhookEndpoint]:
        return [e for e in self.endpoints if kind in e.kind_set]

    def emit(self, kind: str, data: Data) -> int:
        """Queue one delivery per endpoint that wants ``kind``; ``data`` may be a function, called only then.
        Not flushed: the caller's next flush or commit writes them, in its transaction."""
        if kind not in KINDS:
            raise ValueError(f"unknown webhook kind {kind!r}")
        endpoints = self.wanting(kind)
        if not endpoints:
            return 0
        body = data() if callable(data) else data
        now = utcnow()
        for endpoint in endpoints:
            _delivery(endpoint, kind, self.event_id, body, now)
        return len(endpoints)

    def emit_many(self, changes: Iterable[tuple[str, Data]]) -> int:
        """Queue ``(kind, data)`` changes as ``emit`` does one by one, written all at once with
        ``bulk.insert_rows`` (no ORM objects): a published schedule tells of tens of thousands of
        meetings. Executed at once, in the caller's transaction; returns how many deliveries were queued."""
        now = utcnow()
        rows = []
        for kind, data in changes:
            if kind not in KINDS:
                raise ValueError(f"unknown webhook kind {kind!r}")
            endpoints = self.wanting(kind)
            if not endpoints:
                continue
            body = data() if callable(data) else data
            for endpoint in endpoints:
                delivery_id = str(uuid.uuid4())
                rows.append({"endpoint_id": endpoint.id, "delivery_id": delivery_id, "kind": kind, "status": PENDING,
                             "payload": _body(delivery_id, kind, self.event_id, now, body), "attempts": 0,
                             "next_attempt_at": now, "last_response": "", "created_at": now})
        bulk.insert_rows(WebhookDelivery.__table__, rows)
        return len(rows)


def emit(*, event_id: int, kind: str, data: Data) -> int:
    """Queue ``kind`` for every active endpoint of the event that wants it, in the caller's transaction.

    One indexed query when the event has no endpoint; ``data`` may be a function so that nothing is
    built then. Returns how many deliveries were queued.
    """
    queued = Listeners(event_id).emit(kind, data)
    if queued:
        db.session.flush()
    return queued


def emit_many(*, event_id: int, changes: Iterable[tuple[str, Data]]) -> int:
    """Queue many ``(kind, data)`` changes of one event in bulk (``Listeners.emit_many``); one query when
    the event has no endpoint, and then no ``data`` is built."""
    listeners = Listeners(event_id)
    return listeners.emit_many(changes) if listeners else 0


def send_test(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Queue a "ping" to the endpoint, whatever kinds it wants, to try the receiver."""
    delivery = _delivery(endpoint, TEST_KIND, endpoint.event_id,
                         {"endpoint_id": endpoint.id, "url": endpoint.url, "kinds": endpoint.kinds.split()}, utcnow())
    db.session.flush()
    return delivery


def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivered or failed delivery again, as a new delivery.

    A new row with a new delivery id (the body is the same snapshot, its "id" the new one): the log
    keeps what happened to the first one (its attempts, status codes, responses), and a receiver that
    de-duplicates by delivery id still takes the redelivery, which is what the organiser asked for.
    A pending one is still being tried: refused.
    """
    if delivery.status == PENDING:
        raise ServiceError(_("This delivery is still being tried; wait for it to succeed or fail."))
    now = utcnow()
    delivery_id = str(uuid.uuid4())
    body = json.loads(delivery.payload)
    body["id"] = delivery_id
    again = WebhookDelivery(endpoint_id=delivery.endpoint_id, delivery_id=delivery_id, kind=delivery.kind,
                            status=PENDING, payload=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                            next_attempt_at=now, created_at=now)
    db.session.add(again)
    db.session.flush()
    return again
