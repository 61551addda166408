"""Shared column helpers. All datetimes are stored as naive UTC."""
from __future__ import annotations

from datetime import UTC, datetime

MAX_ID = 2**31 - 1  # the largest value of an INTEGER primary key on PostgreSQL


def utcnow() -> datetime:
    """The current instant as naive UTC, the form every DateTime column holds."""
    return datetime.now(UTC).replace(tzinfo=None)
