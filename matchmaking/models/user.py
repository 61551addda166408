"""Accounts."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow

# Stored for accounts made by an organiser's import: no password matches it (it is not an Argon2 hash),
# so nobody can log in with it until the person sets a password through their invitation link.
UNUSABLE_PASSWORD = "!unusable"


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_organiser: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(10))
    # Times are shown in each event's own zone unless the user chose a zone of their own.
    timezone: Mapped[str | None] = mapped_column(String(64))
    # Mail categories the user turned off, comma-separated (see services/outbox.py).
    mail_muted: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Part of the login cookie: rotating it ends every session of this user (log-out, new password).
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_nonce)
    # The private calendar feed: the token is derived from this nonce with the app secret, and only
    # the token's hash is stored for look-up (see services/calendar_feed.py).
    feed_nonce: Mapped[str] = mapped_column(String(32), default=new_nonce)
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the user opened a link mailed to their address (sign-up confirmation, invitation or password
    # reset); None: not yet, so they may browse but not register for events or send meeting requests.
    email_verified_at: Mapped[datetime | None]

    @property
    def has_password(self) -> bool:
        """False for an imported account whose owner has not set a password yet."""
        return self.password_hash != UNUSABLE_PASSWORD

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_id(self) -> str:
        return f"{self.id}.{self.session_nonce}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
