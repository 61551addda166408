"""An invitation to organise an event with its organisers: nobody becomes an organiser without accepting."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

PENDING, ACCEPTED, DECLINED, REVOKED, EXPIRED = "pending", "accepted", "declined", "revoked", "expired"


class OrganiserInvitation(db.Model):
    """Sent to an e-mail address; accepted (or declined) by whoever logs in with an account of that address.

    The link's token is an HMAC of ``nonce`` with the app's secret key (so the e-mail can be composed
    when it goes out); only its SHA-256 is stored, and a copy of the database alone cannot open it.
    """

    __tablename__ = "organiser_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))  # as typed; compared case-insensitively
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    event = relationship("Event")
    invited_by = relationship("User")

    def status(self, now: datetime) -> str:
        """pending, accepted, declined, revoked or expired: only a pending invitation can be answered."""
        if self.accepted_at is not None:
            return ACCEPTED
        if self.declined_at is not None:
            return DECLINED
        if self.revoked_at is not None:
            return REVOKED
        return PENDING if now < self.expires_at else EXPIRED
