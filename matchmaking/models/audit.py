"""The audit log of what organisers do with participants' personal data."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow


class AuditEntry(db.Model):
    """One action on personal data: who (None: the app itself, e.g. the retention purge), when, in
    which event, about whom (a participant, or a whole list when None) and a short detail.

    The participant is kept as a plain id (no foreign key): the entry outlives the row it names, and
    anonymised rows keep their id, so "who was this" needs the organiser's own records, not ours.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_event_time", "event_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    participant_id: Mapped[int | None]
    detail: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("User", lazy="joined")
