"""Webhooks: the URLs an organiser registers for an event, and every delivery made to them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class WebhookEndpoint(db.Model):
    """A receiver of an event's changes. The secret is kept in clear, like GitHub does: the sender
    signs every body with it, so it cannot be a one-way hash."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    kinds: Mapped[str] = mapped_column(Text, default="")  # space-separated, of services.webhooks.KINDS
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    deliveries = relationship("WebhookDelivery", back_populates="endpoint", cascade="all, delete-orphan",
                              passive_deletes=True)

    @property
    def kind_set(self) -> frozenset[str]:
        return frozenset(self.kinds.split())


class WebhookDelivery(db.Model):
    """One POST of one change to one endpoint, retried with backoff until it is answered with a 2xx.

    ``payload`` is the exact JSON body (the signature covers it byte for byte); it is written in
    the same transaction as the change, so it tells the state of things at that moment."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), index=True)
    delivery_id: Mapped[str] = mapped_column(String(36), unique=True)  # uuid4: the receiver's de-duplication key
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]  # a sender is working on it until then
    last_status_code: Mapped[int | None]
    last_response: Mapped[str] = mapped_column(String(500), default="")  # the body's start, or the error
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    endpoint = relationship("WebhookEndpoint", back_populates="deliveries")
