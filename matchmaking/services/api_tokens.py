"""Personal access tokens for the API: created once (shown once), stored hashed, scoped, revocable."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import ApiToken, User
from ..models.api import SCOPES
from ..models.base import utcnow
from .errors import ServiceError
from .lookup import one_of

TOKEN_PREFIX = "mm_"
MAX_DAYS = 3650


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, user: User, name: str, scopes: tuple[str, ...], expires_days: int | None = None,
                 now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``: the record and the token itself, which is never stored and shown only now."""
    now = now or utcnow()
    wanted = tuple(dict.fromkeys(scopes))
    if not wanted or set(wanted) - set(SCOPES):
        raise ServiceError(_("Choose the token's scopes from: %(scopes)s", scopes=", ".join(SCOPES)))
    if "organiser" in wanted and not (user.is_organiser or user.is_admin):
        raise ServiceError(_("Only organisers may create tokens with the organiser scope."))
    if expires_days is not None and not 1 <= expires_days <= MAX_DAYS:
        raise ServiceError(_("A token expires after 1 to %(max)d days.", max=MAX_DAYS))
    name = " ".join((name or "").split())[:100] or _("API token")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_digest(secret), prefix=secret[:10],
                     scopes=" ".join(wanted), created_at=now,
                     expires_at=now + timedelta(days=expires_days) if expires_days else None)
    db.session.add(token)
    db.session.flush()
    return token, secret


def authenticate(secret: str, *, now: datetime | None = None) -> ApiToken | None:
    """The valid token for a presented secret, or None (unknown, expired, revoked)."""
    now = now or utcnow()
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or not token.is_valid(now):
        return None
    return token


def note_use(token: ApiToken, *, now: datetime | None = None) -> bool:
    """Record when the token was last used, coarsely (reads must not write on every request):
    whether it changed, so that the caller commits it even on a read."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at <= timedelta(minutes=5):
        return False
    token.last_used_at = now
    db.session.flush()
    return True


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(*, user: User, token_id: int, now: datetime | None = None) -> ApiToken:
    token = one_of(ApiToken, token_id, ApiToken.user_id == user.id)
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        db.session.flush()
    return token
