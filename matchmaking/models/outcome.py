"""What came of a meeting, as each side tells it: right after it (did it take place, how useful was
it, a comment for the organisers) and months later in the follow-up (what it led to, an agreement).

One row per meeting and side (unique (meeting, participant)); the database refuses codes it does not
know and an agreement without its type. Stored values: never change one, only add.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

# The rating right after the meeting.
NO_INTEREST, INFORMATIVE, COOPERATION_POSSIBLE = "no_interest", "informative", "cooperation_possible"
RATINGS = (NO_INTEREST, INFORMATIVE, COOPERATION_POSSIBLE)
# The answer to the follow-up months later.
NO_CONTACT, KNOWLEDGE, VALUABLE_CONTACT, NEGOTIATION, AGREEMENT = (
    "no_contact", "knowledge", "valuable_contact", "negotiation", "agreement")
FOLLOWUP_ANSWERS = (NO_CONTACT, KNOWLEDGE, VALUABLE_CONTACT, NEGOTIATION, AGREEMENT)
# An agreement's type, after the Enterprise Europe Network's partnership types, by family.
AGREEMENT_TYPES = {
    "business": ("commercial_agency", "subcontracting", "joint_venture", "manufacturing", "services"),
    "technology": ("licence", "technical_cooperation", "joint_development"),
    "research": ("joint_project_proposal",),
}
AGREEMENT_TYPE_CODES = tuple(code for codes in AGREEMENT_TYPES.values() for code in codes)
COMMENT_MAX = 2000
BENEFIT_MAX = 300


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IS NULL OR {column} IN ({', '.join(repr(v) for v in values)})"


class MeetingOutcome(db.Model):
    __tablename__ = "meeting_outcome"
    __table_args__ = (
        UniqueConstraint("meeting_id", "participant_id"),
        CheckConstraint(_in("rating", RATINGS), name="rating"),
        CheckConstraint(_in("followup_answer", FOLLOWUP_ANSWERS), name="followup_answer"),
        CheckConstraint(_in("agreement_type", AGREEMENT_TYPE_CODES), name="agreement_type"),
        CheckConstraint("(followup_answer = 'agreement') = (agreement_type IS NOT NULL)", name="agreement_has_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    # Right after the meeting: None (not said), True or False; a rating; a comment only organisers read.
    took_place: Mapped[bool | None]
    rating: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    answered_at: Mapped[datetime | None]
    # The follow-up, months later.
    followup_answer: Mapped[str | None] = mapped_column(String(32))
    agreement_type: Mapped[str | None] = mapped_column(String(32))
    benefit: Mapped[str] = mapped_column(Text, default="", server_default="")
    followup_answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting = relationship("Meeting")
    participant = relationship("Participant")
