"""The signed links mailed for accounts: reset a password, accept an invitation, confirm an address.

A link carries the user's id and a fingerprint of the account's state, signed with the app's secret
key and a salt per purpose (a link made for one purpose is forged for any other), with the time it
was made. The fingerprint is a digest of the current password hash (a new salt every time a password
is set), so a reset or invitation link works once: setting the password changes the hash and every
link made before dies with it. A confirmation link carries the address instead: it stays good for
that address and confirming twice does no harm.

Nothing usable is stored: the outbox row of such a mail holds only the user's id (and the event of an
invitation), and the link is derived from the user's state when the mail is composed. Its validity
therefore counts from when the mail is sent, and a row retried later gets a fresh link; a row that
is never sent leaves no token behind, in the database or elsewhere.
"""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from ..extensions import db
from ..models import User

RESET, INVITE, VERIFY = "reset", "invite", "verify"
# How long a link stays good after its mail was composed.
MAX_AGE = {RESET: timedelta(hours=1), INVITE: timedelta(days=14), VERIFY: timedelta(days=7)}
# The mail kinds that carry a link, with its purpose (mail/compose.py makes the link when it composes).
PURPOSE_OF_KIND = {"password_reset": RESET, "invitation": INVITE, "verify_email": VERIFY}

EXPIRED, USED, INVALID = "expired", "used", "invalid"


class InvalidLink(Exception):
    """A link that cannot be used, and why: ``EXPIRED``, ``USED`` (or superseded) or ``INVALID``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _ClockSigner(TimestampSigner):
    """A timestamp signer whose clock can be set (a link made or checked at a given moment)."""

    def __init__(self, *args, now: datetime | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._now = now

    def get_timestamp(self) -> int:
        return int(self._now.timestamp()) if self._now is not None else super().get_timestamp()


def _serializer(purpose: str, secret_key: str, now: datetime | None) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"account-link-{purpose}", signer=_ClockSigner,
                                  signer_kwargs={"now": now})


def _state(user: User, purpose: str) -> str:
    """What the link must still match: the password (reset, invite) or the address (verify)."""
    value = user.email if purpose == VERIFY else user.password_hash
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def make_token(user: User, purpose: str, *, secret_key: str, now: datetime | None = None) -> str:
    """The token of a link for ``user``. ``now`` (naive UTC, as stored) is for tests that turn the clock."""
    return _serializer(purpose, secret_key, _aware(now)).dumps({"u": user.id, "s": _state(user, purpose)})


def read_token(token: str, purpose: str, *, secret_key: str, now: datetime | None = None) -> User:
    """The user a link is for, or ``InvalidLink`` when it is forged, expired or already used."""
    serializer = _serializer(purpose, secret_key, _aware(now))
    try:
        data = serializer.loads(token, max_age=int(MAX_AGE[purpose].total_seconds()))
    except SignatureExpired:
        raise InvalidLink(EXPIRED) from None
    except BadSignature:
        raise InvalidLink(INVALID) from None
    user_id = data.get("u") if isinstance(data, dict) else None
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise InvalidLink(INVALID)
    user = db.session.get(User, user_id)
    if user is None:
        raise InvalidLink(INVALID)
    if data.get("s") != _state(user, purpose):
        raise InvalidLink(USED)
    return user


def _aware(now: datetime | None) -> datetime | None:
    """The stored times are naive UTC; ``datetime.timestamp`` must not read them as local time."""
    return now.replace(tzinfo=UTC) if now is not None and now.tzinfo is None else now
