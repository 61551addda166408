"""A run of the batch scheduler: a draft the organiser reviews, then publishes or discards."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

DRAFT, PUBLISHED, DISCARDED = "draft", "published", "discarded"


class ScheduleRun(db.Model):
    __tablename__ = "schedule_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    # The schedule the draft was computed from; publishing refuses if it changed meanwhile.
    base_fingerprint: Mapped[str] = mapped_column(String(64))
    value: Mapped[int] = mapped_column(default=0)
    bound: Mapped[int] = mapped_column(default=0)
    seconds: Mapped[float] = mapped_column(default=0.0)
    # {"meetings": {meeting id: [slot id, table id or null]},
    #  "unscheduled": {meeting id: [reason code, [participant ids]]}}
    result_json: Mapped[str] = mapped_column(Text, default="{}")
    published_at: Mapped[datetime | None]

    created_by = relationship("User")

    @property
    def result(self) -> dict:
        return json.loads(self.result_json or "{}")
