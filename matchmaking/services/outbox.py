"""Queueing e-mail in the outbox, in the caller's transaction, so a change and its mail commit together."""
from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import OutboxMessage, User
from ..models.base import utcnow
from ..models.outbox import PENDING
from . import bulk
from .mail_kinds import ALWAYS_SENT, CATEGORIES, KINDS

# The categories a user can turn off (each kind of message belongs to one: see mail_kinds.KINDS).
MAIL_CATEGORIES = tuple(CATEGORIES)


def muted(user: User) -> set[str]:
    return {c for c in (user.mail_muted or "").split(",") if c}


def set_muted(user: User, categories: set[str]) -> None:
    user.mail_muted = ",".join(sorted(categories & set(MAIL_CATEGORIES)))


def enqueue_to_address(kind: str, email: str, payload: dict) -> OutboxMessage:
    """Queue one message to an address with no account (an invitation): it has no preferences to mute it."""
    message = OutboxMessage(kind=kind, user_id=None, to_email=email, payload=json.dumps(payload))
    db.session.add(message)
    db.session.flush()
    return message


def enqueue(kind: str, user: User, payload: dict, dedupe_key: str | None = None) -> OutboxMessage | None:
    """Queue one message (None when the user turned its category off, or it was queued before).

    Mails that cannot be turned off (``ALWAYS_SENT``: a reset link, a confirmation, a deletion warning)
    are always queued.
    """
    category = KINDS[kind].category
    if category != ALWAYS_SENT and category in muted(user):
        return None
    message = OutboxMessage(kind=kind, user_id=user.id, payload=json.dumps(payload), dedupe_key=dedupe_key)
    if dedupe_key is None:
        db.session.add(message)
        db.session.flush()
        return message
    try:
        with db.session.begin_nested():
            db.session.add(message)
            db.session.flush()
    except IntegrityError:  # the same reminder or digest is already queued: idempotent
        return None
    return message


CHUNK = 1000  # ids per IN (...) list


def enqueue_many(messages: Iterable[tuple[str, int, dict, str | None]]) -> int:
    """Queue many messages at once, each ``(kind, user_id, payload, dedupe_key)``: what ``enqueue``
    does for one, with the same rules, in a few statements however many there are (a published
    schedule mails tens of thousands). Returns how many were queued.

    A message whose user turned its category off is left out. De-duplication is the database's, as
    for ``enqueue``: the INSERT skips a key already queued (ON CONFLICT DO NOTHING on the unique
    ``dedupe_key``), whether before, by a concurrent transaction, or earlier in ``messages``.
    """
    messages = list(messages)
    user_ids = sorted({user_id for _kind, user_id, _payload, _key in messages})
    mutes: dict[int, set[str]] = {}
    for start in range(0, len(user_ids), CHUNK):
        mutes.update({uid: {c for c in (value or "").split(",") if c} for uid, value in db.session.execute(
            select(User.id, User.mail_muted).where(User.id.in_(user_ids[start:start + CHUNK])))})
    now = utcnow()
    rows = [{"kind": kind, "user_id": user_id, "to_email": None, "payload": json.dumps(payload),
             "dedupe_key": key, "status": PENDING, "attempts": 0, "next_attempt_at": now,
             "last_error": "", "created_at": now}
            for kind, user_id, payload, key in messages
            if KINDS[kind].category == ALWAYS_SENT or KINDS[kind].category not in mutes.get(user_id, ())]
    return bulk.insert_rows(OutboxMessage.__table__, rows, skip_conflicts_on="dedupe_key")


def message_participants(*, event_id: int, subject: str, body: str, country: str = "",
                         organisation_type: str = "") -> int:
    """An organiser's message to the event's active participants, or a filtered group of them."""
    from sqlalchemy import select

    from ..models import Participant
    from ..models.participant import APPROVED

    query = select(Participant).where(Participant.event_id == event_id, Participant.status == APPROVED,
                                      Participant.anonymised_at.is_(None))
    if country:
        query = query.where(Participant.country == country)
    if organisation_type:
        query = query.where(Participant.organisation_type == organisation_type)
    sent = 0
    for participant in db.session.scalars(query):
        payload = {"participant": participant.id, "subject": subject, "body": body}
        sent += enqueue("organiser_message", participant.user, payload) is not None
    return sent
