"""The private calendar feed token: derived from a per-user nonce, only its hash stored."""
from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..models.user import new_nonce


def feed_token(user: User, secret_key: str) -> str:
    """The token shown in the feed URL; recomputable from the nonce, so it can be shown again."""
    digest = hmac.new(secret_key.encode(), f"feed:{user.id}:{user.feed_nonce}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ensure_feed(user: User, secret_key: str) -> str:
    token = feed_token(user, secret_key)
    if user.feed_token_hash != _hash(token):
        user.feed_token_hash = _hash(token)
    return token


def revoke_feed(user: User, secret_key: str) -> str:
    """A new token; the old URL stops working at once."""
    user.feed_nonce = new_nonce()
    return ensure_feed(user, secret_key)


def user_for_token(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(User).where(User.feed_token_hash == _hash(token)))
