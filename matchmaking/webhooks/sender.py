"""Delivering webhooks: claimed one by one, signed, POSTed, retried with backoff, never sent twice.

Each POST carries the stored JSON body and these headers::

    Content-Type: application/json
    X-Webhook-Id: <delivery id>            the same on every retry of one delivery: de-duplicate by it
    X-Webhook-Event: <kind>
    X-Webhook-Timestamp: <unix seconds>    the time of this attempt
    X-Signature-256: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>

A receiver recomputes the HMAC over the timestamp header, a dot and the raw body bytes (UTF-8) with
the endpoint's secret, compares it in constant time (``hmac.compare_digest``), and rejects a
timestamp more than 5 minutes away from its clock, so that a captured request cannot be replayed.

A 2xx answer is delivered; any other status, a redirect (never followed), a timeout (10 s) or a
connection error is tried again after the mail sender's backoff, and failed after MAX_ATTEMPTS.
Retries of one delivery can overtake later deliveries: receivers order by the body's ``created_at``.
Connections go straight to the endpoint (no proxy from the environment).
"""
from __future__ import annotations

import hashlib
import hmac
import http.client
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import or_, select, update

from ..extensions import db, set_sqlite_write_intent
from ..mail.sender import BACKOFF, CLAIM, MAX_ATTEMPTS
from ..models import WebhookDelivery, WebhookEndpoint
from ..models.base import utcnow
from ..models.webhook import DELIVERED, FAILED, PENDING

TIMEOUT = 10.0
EXCERPT = 500  # characters of the answer (or the error) kept in the delivery log


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


Post = Callable[[str, bytes, dict[str, str]], Answer]


def signature(secret: str, timestamp: int, body: str | bytes) -> str:
    """The X-Signature-256 value: ``sha256=`` and the hex HMAC-SHA256 of ``f"{timestamp}.{body}"``."""
    raw = body if isinstance(body, bytes) else body.encode()
    return "sha256=" + hmac.new(secret.encode(), str(timestamp).encode() + b"." + raw, hashlib.sha256).hexdigest()


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST once, following no redirect; raises OSError (and http.client errors) when it cannot."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=TIMEOUT,
                                                 context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, response.read(EXCERPT * 4).decode("utf-8", "replace"))
    finally:
        connection.close()


def _claim(row_id: int, now: datetime) -> tuple[str, str, str, str, str] | None:
    """Take one delivery for this sender (of two overlapping runs exactly one gets it), and read what
    sending it needs; the transaction ends before the network is touched."""
    result = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == row_id, WebhookDelivery.status == PENDING,
               or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now))
        .values(claimed_until=now + CLAIM).execution_options(synchronize_session=False)
    )
    row = None
    if result.rowcount == 1:
        row = db.session.execute(
            select(WebhookDelivery.delivery_id, WebhookDelivery.kind, WebhookDelivery.payload,
                   WebhookEndpoint.url, WebhookEndpoint.secret)
            .join(WebhookEndpoint).where(WebhookDelivery.id == row_id)).one_or_none()
    db.session.commit()
    return None if row is None else tuple(row)


def _record(row_id: int, now: datetime, *, status_code: int | None, text: str, ok: bool) -> str:
    delivery = db.session.get(WebhookDelivery, row_id)
    if delivery is None:  # the endpoint was removed meanwhile
        db.session.commit()
        return "skipped"
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_response = text[:EXCERPT]
    delivery.claimed_until = None
    if ok:
        delivery.status, delivery.delivered_at = DELIVERED, now
        outcome = "delivered"
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = FAILED
        outcome = "failed"
    else:
        delivery.next_attempt_at = now + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
        outcome = "retry"
    db.session.commit()
    return outcome


def deliver_due(*, now: datetime | None = None, limit: int = 100, send: Post = post) -> dict[str, int]:
    """Send what is due, oldest first. An endpoint that cannot be reached is not tried again in this
    run: its other deliveries wait, untouched, for the next run."""
    now = now or utcnow()
    set_sqlite_write_intent(True)  # a writer: on SQLite take the lock at BEGIN, so overlapping runs queue
    due = db.session.execute(
        select(WebhookDelivery.id, WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.id).limit(limit)
    ).all()
    db.session.commit()
    counts = {"delivered": 0, "retry": 0, "failed": 0, "skipped": 0}
    unreachable: set[int] = set()
    timestamp = int(now.replace(tzinfo=UTC).timestamp())
    for row_id, endpoint_id in due:
        if endpoint_id in unreachable:
            counts["skipped"] += 1
            continue
        claimed = _claim(row_id, now)
        if claimed is None:
            continue  # another run took it, or it is gone
        delivery_id, kind, payload, url, secret = claimed
        body = payload.encode()
        headers = {"Content-Type": "application/json", "User-Agent": "matchmaking-webhooks",
                   "X-Webhook-Id": delivery_id, "X-Webhook-Event": kind, "X-Webhook-Timestamp": str(timestamp),
                   "X-Signature-256": signature(secret, timestamp, body)}
        try:
            answer = send(url, body, headers)
        except (OSError, http.client.HTTPException, ValueError) as error:
            unreachable.add(endpoint_id)
            outcome = _record(row_id, now, status_code=None, text=f"{type(error).__name__}: {error}", ok=False)
        else:
            outcome = _record(row_id, now, status_code=answer.status, text=answer.body,
                              ok=200 <= answer.status < 300)
        counts[outcome] += 1
    return counts
