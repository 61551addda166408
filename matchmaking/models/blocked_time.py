"""Time a participant blocked in their agenda (stand duty, a call): no meeting is placed in it.

The label is private: only its owner sees it; everyone else (organisers too) sees "unavailable".
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow

LABEL_MAX = 100


class BlockedTime(db.Model):
    __tablename__ = "blocked_time"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]  # naive UTC, as every stored instant
    ends_at: Mapped[datetime]
    label: Mapped[str] = mapped_column(String(LABEL_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
