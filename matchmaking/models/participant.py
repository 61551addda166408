"""A user's registration for one event, with their organisation's profile."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Column, ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, and_, text, true
from sqlalchemy import Table as SATable
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

ORGANISATION_TYPES = (
    "cluster",
    "social_cooperative",
    "ngo",
    "company",
    "public_authority",
    "university",
    "business_support",
    "other",
)
MEETING_MODES = ("onsite", "online", "both")
APPROVED, PENDING_APPROVAL, REJECTED, DEACTIVATED = "approved", "pending", "rejected", "deactivated"
PARTICIPANT_STATUSES = (APPROVED, PENDING_APPROVAL, REJECTED, DEACTIVATED)
# Who may find a participant: every participant of the event, or only its organisers.
VISIBLE_TO_ALL, VISIBLE_TO_ORGANISERS = "all", "organisers"
VISIBILITIES = (VISIBLE_TO_ALL, VISIBLE_TO_ORGANISERS)
SECTORS = (
    "agrifood",
    "bioeconomy",
    "cleantech",
    "construction",
    "creative",
    "education",
    "energy",
    "health",
    "ict",
    "manufacturing",
    "maritime",
    "mobility",
    "social_economy",
    "social_services",
    "textiles",
    "tourism",
    "wood_furniture",
)

# Countries we offer in the profile form: the EU, the EEA, and the Baltic Sea region's neighbours.
COUNTRY_CODES = (
    "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE",
    "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", "UA",
)

# The secret in a participant's check-in QR code: random, URL-safe (services/checkin.py).
CHECKIN_TOKEN_BYTES = 24


def new_checkin_token() -> str:
    return secrets.token_urlsafe(CHECKIN_TOKEN_BYTES)


# What an anonymised participant is called wherever a name is shown.
ANONYMOUS_NAME = "Deleted participant"


participant_session = SATable(
    "participant_session",
    db.metadata,
    Column("participant_id", ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True),
    Column("session_id", ForeignKey("meeting_session.id", ondelete="CASCADE"), primary_key=True),
)


class Participant(db.Model):
    __tablename__ = "participant"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        # the directory's order: a page of 20 is read from the index instead of sorting the whole event
        Index("ix_participant_event_name", "event_id", text("lower(organisation_name)"), "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    organisation_name: Mapped[str] = mapped_column(String(200))
    organisation_type: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    offer: Mapped[str] = mapped_column(Text, default="")
    seek: Mapped[str] = mapped_column(Text, default="")
    meeting_mode: Mapped[str] = mapped_column(String(10), default="onsite")
    # The participant's own video room (Zoom, Teams, Jitsi ...), used for their online meetings.
    video_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    max_meetings: Mapped[int | None]  # the most meetings the participant wants; None: no limit
    # How partners reach them, shown to a partner only while they have a meeting (services/contacts.py);
    # the account's e-mail address is the e-mail contact.
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    website: Mapped[str] = mapped_column(String(300), default="", server_default="")
    linkedin: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Consent to networking (listed in the directory, requesting and being requested), separate from
    # the terms, and when the current answer was given (None: kept from before the question was asked).
    networking_consent: Mapped[bool] = mapped_column(default=True, server_default=true())
    networking_consent_at: Mapped[datetime | None]
    # VISIBLE_TO_ALL or VISIBLE_TO_ORGANISERS; see is_listed.
    visibility: Mapped[str] = mapped_column(String(16), default=VISIBLE_TO_ALL, server_default=VISIBLE_TO_ALL)
    # Only approved participants are listed, request and get requests.
    status: Mapped[str] = mapped_column(String(16), default=APPROVED, server_default=APPROVED, index=True)
    # Folded copy of the searchable fields (see services/text.py), kept up to date on every save.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Set when the person's data was removed (account deleted, or the event's retention period
    # ended): the row stays for the event's statistics, without the person (services/personal_data.py).
    anonymised_at: Mapped[datetime | None]
    # The key in the personal QR code organisers scan at the door, and when the person was checked in
    # (None: not yet). Set once: of two scans of one badge, the first one's time stays.
    checkin_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_checkin_token)
    checked_in_at: Mapped[datetime | None]
    # The organisation's logo in the picture store (services/branding.py), by its content's hash; "": none.
    # Personal data: removed with the person's other data (services/personal_data.py).
    logo: Mapped[str] = mapped_column(String(80), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user = relationship("User", lazy="joined")
    event = relationship("Event")
    sector_rows: Mapped[list[ParticipantSector]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ParticipantSector.sector"
    )
    sessions = relationship("MeetingSession", secondary=participant_session, lazy="selectin")
    own_table = relationship("MeetingTable", uselist=False, viewonly=True,
                             primaryjoin="MeetingTable.owner_participant_id == Participant.id")

    @property
    def is_active(self) -> bool:
        """Approved, and still a person: an anonymised row is nobody to meet."""
        return self.status == APPROVED and self.anonymised_at is None

    @property
    def can_network(self) -> bool:
        """Approved and consenting: may send meeting requests and answer them with a meeting."""
        return self.is_active and self.networking_consent

    @hybrid_property
    def is_listed(self) -> bool:
        """Other participants may find and request them: approved, consenting, visible to all, not anonymised.

        Without consent a participant is treated as visible to organisers only, whatever they chose;
        organisers always see everyone. In a query, ``Participant.is_listed`` is the same condition.
        """
        return (self.status == APPROVED and self.networking_consent and self.visibility == VISIBLE_TO_ALL
                and self.anonymised_at is None)

    @is_listed.inplace.expression
    @classmethod
    def _is_listed_expression(cls) -> ColumnElement[bool]:
        return and_(cls.status == APPROVED, cls.networking_consent.is_(True), cls.visibility == VISIBLE_TO_ALL,
                    cls.anonymised_at.is_(None))

    @property
    def sectors(self) -> list[str]:
        return [row.sector for row in self.sector_rows]

    @property
    def name(self) -> str:
        return ANONYMOUS_NAME if self.anonymised_at is not None else self.user.name

    @property
    def email(self) -> str:
        """The person's address, as organisers see it (none once the row is anonymised)."""
        return "" if self.anonymised_at is not None else self.user.email

    def __repr__(self) -> str:
        return f"<Participant {self.id} {self.organisation_name!r}>"


class ParticipantSector(db.Model):
    __tablename__ = "participant_sector"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
    )
    sector: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
