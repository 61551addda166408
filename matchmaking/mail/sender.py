"""Delivering the outbox by SMTP: claimed one by one, retried with backoff, never sent twice."""
from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from ..extensions import db, set_sqlite_write_intent
from ..models import OutboxMessage
from ..models.base import utcnow
from ..models.outbox import FAILED, PENDING, SENT
from .compose import compose

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
           timedelta(hours=6), timedelta(hours=24))
MAX_ATTEMPTS = 10
CLAIM = timedelta(minutes=5)


def smtp_connection() -> smtplib.SMTP:
    config = current_app.config
    connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20)
    if config["MAIL_USE_TLS"]:
        connection.starttls()
    if config["MAIL_USERNAME"]:
        connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return connection


def _claim(message_id: int, now: datetime) -> bool:
    """Take one message for this sender; of two overlapping runs exactly one gets it."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == PENDING,
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .values(claimed_until=now + CLAIM).execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def deliver_due(*, now: datetime | None = None, limit: int = 100,
                connect: Callable[[], smtplib.SMTP] = smtp_connection) -> dict[str, int]:
    """Send what is due. When the server cannot be reached, every message waits for its next try."""
    now = now or utcnow()
    set_sqlite_write_intent(True)  # a writer: on SQLite take the lock at BEGIN, so overlapping runs queue
    due = db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
    db.session.commit()
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    connection = None
    try:
        for message_id in due:
            if not _claim(message_id, now):
                continue
            message = db.session.get(OutboxMessage, message_id)
            try:
                email = compose(message)
            except Exception as error:  # bad data in this row: retrying cannot help
                db.session.rollback()
                _fail_uncomposable(message_id, error)
                counts["failed"] += 1
                continue
            if email is None:  # about something deleted since: nothing to send
                message.status, message.sent_at, message.claimed_until = SENT, now, None
                message.last_error = "nothing to send"
                db.session.commit()
                counts["skipped"] += 1
                continue
            try:
                connection = connection or connect()
                connection.send_message(email)
            except (OSError, smtplib.SMTPException) as error:
                connection = _close(connection)
                message.attempts += 1
                message.last_error = f"{type(error).__name__}: {error}"[:1000]
                message.claimed_until = None
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = FAILED
                    counts["failed"] += 1
                else:
                    message.next_attempt_at = now + BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
                    counts["retry"] += 1
                db.session.commit()
                continue
            message.status, message.sent_at, message.claimed_until = SENT, now, None
            message.attempts += 1
            db.session.commit()
            counts["sent"] += 1
    finally:
        _close(connection)
    return counts


def _fail_uncomposable(message_id: int, error: Exception) -> None:
    """One row that cannot become an e-mail fails at once, with the reason for the organisers,
    and the run goes on: it never holds up the messages queued after it."""
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(
        status=FAILED, claimed_until=None, attempts=OutboxMessage.attempts + 1,
        last_error=f"cannot be composed: {type(error).__name__}: {error}"[:1000]))
    db.session.commit()


def _close(connection):
    if connection is not None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.quit()
    return None
