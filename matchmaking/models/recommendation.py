"""Recommended partners (computed by the background process) and the marks participants give them.

A ``Recommendation`` row is one partner suggested to one participant, with its rank, score and
reasons as the matching core gave them (``services/recommendations.py`` rewrites an event's rows
at once). A ``PartnerMark`` is what the participant said about a partner: interested (the
organiser sees it) or not for me (never suggested again); one per pair, the latest answer wins.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

INTERESTED, NOT_FOR_ME = "interested", "not_for_me"
MARKS = (INTERESTED, NOT_FOR_ME)


class Recommendation(db.Model):
    __tablename__ = "recommendation"
    __table_args__ = (Index("ix_recommendation_participant_rank", "participant_id", "rank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int]  # 1 is the best
    score: Mapped[float]
    reasons_json: Mapped[str] = mapped_column(Text, default="[]")  # the core's structured reasons
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    other = relationship("Participant", foreign_keys=[other_id])

    @property
    def reasons(self) -> list[dict]:
        return json.loads(self.reasons_json or "[]")


class PartnerMark(db.Model):
    __tablename__ = "partner_mark"
    __table_args__ = (UniqueConstraint("participant_id", "other_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    mark: Mapped[str] = mapped_column(String(16))  # INTERESTED or NOT_FOR_ME
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnnouncedPartner(db.Model):
    """A recommended partner the participant was told about by mail (the daily digest): never twice."""

    __tablename__ = "announced_partner"

    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True,
                                          index=True)
    announced_at: Mapped[datetime] = mapped_column(default=utcnow)
