"""Remembering the first answer to an API create sent with an Idempotency-Key."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import IdempotentResponse
from ..models.base import utcnow

KEPT = timedelta(hours=24)  # how long a key is remembered; a retry after that creates again


class KeyInUse(Exception):
    """Another request with the same key got there first: roll back, and answer as it did."""


def find(*, user_id: int, key: str, now: datetime | None = None) -> IdempotentResponse | None:
    since = (now or utcnow()) - KEPT
    return db.session.scalar(select(IdempotentResponse).where(
        IdempotentResponse.user_id == user_id, IdempotentResponse.key == key, IdempotentResponse.created_at >= since))


def remember(*, user_id: int, key: str, request_hash: str, status: int, body: str) -> None:
    """Store the answer in the create's transaction; a concurrent twin fails on the unique key."""
    db.session.execute(delete(IdempotentResponse).where(
        IdempotentResponse.user_id == user_id, IdempotentResponse.key == key,
        IdempotentResponse.created_at < utcnow() - KEPT))
    db.session.add(IdempotentResponse(user_id=user_id, key=key, request_hash=request_hash, status=status, body=body))
    try:
        db.session.flush()
    except IntegrityError:
        raise KeyInUse(key) from None
