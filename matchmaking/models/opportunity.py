"""A participant's cooperation opportunity in the event's marketplace: an offer, a request or a
search for partners, which others can find and request a meeting about."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

OFFER, REQUEST, PARTNERSHIP = "offer", "request", "partnership"
OPPORTUNITY_KINDS = (OFFER, REQUEST, PARTNERSHIP)
# Stored values: never change one, only add.
PUBLISHED, WITHDRAWN, HIDDEN_BY_ORGANISER = "published", "withdrawn", "hidden_by_organiser"
OPPORTUNITY_STATUSES = (PUBLISHED, WITHDRAWN, HIDDEN_BY_ORGANISER)

# The default categories, after the Enterprise Europe Network's partnership types; an event may
# keep, rename, remove or add to them (``Event.opportunity_categories``). Stored codes: only add.
DEFAULT_CATEGORIES = (
    "commercial_agency",
    "distribution",
    "subcontracting",
    "outsourcing",
    "joint_venture",
    "manufacturing_agreement",
    "licensing",
    "technical_cooperation",
    "research_consortium",
    "partner_search_call",
)


class Opportunity(db.Model):
    __tablename__ = "opportunity"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(48))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24), default=PUBLISHED, index=True)
    # Folded copy of the title and description (services/text.py), kept up to date on every save.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    participant = relationship("Participant", lazy="joined")
    sector_rows: Mapped[list[OpportunitySector]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OpportunitySector.sector"
    )

    @property
    def sectors(self) -> list[str]:
        return [row.sector for row in self.sector_rows]

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED

    def __repr__(self) -> str:
        return f"<Opportunity {self.id} {self.kind} {self.title!r}>"


class OpportunitySector(db.Model):
    __tablename__ = "opportunity_sector"

    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True)
    sector: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
