"""Sign-up, log-in and roles; password reset, invitations and address confirmation by mail.

Passwords are hashed with Argon2id and checked by ``passwords.check_password``. The mails about the
account itself (``mail_kinds.ALWAYS_SENT``) are always sent: the links they carry are made when the mail is
composed (see ``account_links``), so the outbox stores no token.
"""
from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import Event, Participant, User
from ..models.base import utcnow
from ..models.user import UNUSABLE_PASSWORD as UNUSABLE_PASSWORD  # re-exported: the import uses it
from ..models.user import new_nonce
from . import account_links, outbox
from .errors import NotFound, ServiceError
from .passwords import MIN_PASSWORD_LENGTH as MIN_PASSWORD_LENGTH  # re-exported: the forms use it
from .passwords import check_password
from .text import has_control_characters

# Argon2id cost profiles (``PASSWORD_HASH``). A log-in costs one hash of CPU time on a web worker, so
# the profile bounds how many log-ins a core takes per second (README, "Password hashing"):
# - "owasp": OWASP's Password Storage Cheat Sheet minimum, 19 MiB, 2 passes, 1 lane (about 35 ms);
# - "rfc9106": argon2-cffi's defaults, RFC 9106's low-memory choice, 64 MiB, 3 passes, 4 lanes (about
#   225 ms, the lanes computed one after another).
PASSWORD_HASH_PROFILES: dict[str, dict[str, int]] = {
    "owasp": {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1},
    "rfc9106": {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4},
}
_hasher = PasswordHasher(**PASSWORD_HASH_PROFILES["owasp"])


def configure_hasher(fast: bool, profile: str = "owasp") -> None:
    """Use cheap parameters in tests; production the configured profile. A stored hash made with other
    parameters still verifies, and is made again with these at its owner's next log-in."""
    global _hasher, _dummy_hash
    if profile not in PASSWORD_HASH_PROFILES:
        raise RuntimeError(f"PASSWORD_HASH must be one of {', '.join(PASSWORD_HASH_PROFILES)}, not {profile!r}")
    parameters = {"time_cost": 1, "memory_cost": 8, "parallelism": 1} if fast else PASSWORD_HASH_PROFILES[profile]
    _hasher = PasswordHasher(**parameters)
    _dummy_hash = _hasher.hash("not-a-real-password")


_dummy_hash = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def sign_up(*, name: str, email: str, password: str, locale: str | None = None,
            verified: bool = False) -> User | None:
    """Create an account and mail it a confirmation link; returns None when the e-mail is taken.

    When it is taken, its owner gets a notice instead ("someone tried to sign up with your address"),
    so the caller shows the same answer either way (sign-up does not reveal who is registered); both
    paths check and hash a password and queue one mail, so their timing matches too. ``verified``:
    the address is known to be right (the tests, an administrator's tools), so no confirmation is sent.
    """
    if has_control_characters(name) or has_control_characters(email):
        raise ServiceError(_("Use one line, without line breaks or tabs."))
    check_password(password, email=email, name=name)
    password_hash = _hasher.hash(password)
    owner = find_user_by_email(email)
    if owner is not None:  # at most one notice an hour, however often strangers try the address
        outbox.enqueue("signup_notice", owner, {}, dedupe_key=f"signup_notice:{owner.id}:{utcnow():%Y%m%d%H}")
        return None
    user = User(name=name.strip(), email=normalise_email(email), password_hash=password_hash, locale=locale,
                email_verified_at=utcnow() if verified else None)
    db.session.add(user)
    db.session.flush()
    if not verified:
        outbox.enqueue("verify_email", user, {})
    return user


def authenticate(*, email: str, password: str) -> User | None:
    """The user for these credentials, or None; an unknown e-mail costs a hash check too."""
    user = find_user_by_email(email)
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def verify_password(user: User, password: str) -> bool:
    """Whether ``password`` is the user's (never for an account without a usable password)."""
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def end_all_sessions(user: User) -> None:
    """Invalidate every login cookie of ``user`` (the nonce is part of the cookie's user id)."""
    user.session_nonce = new_nonce()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the cookie's id must carry the current session nonce."""
    user_pk, _, nonce = user_id.partition(".")
    if not (user_pk.isascii() and user_pk.isdigit() and len(user_pk) < 10) or not nonce:
        return None
    user = db.session.get(User, int(user_pk))
    if user is None or user.session_nonce != nonce:
        return None
    return user


def grant_admin(email: str) -> User:
    user = find_user_by_email(email)
    if user is None:
        raise NotFound()
    user.is_admin = True
    user.is_organiser = True
    return user


def set_organiser(*, actor: User, user_id: int, value: bool) -> User:
    if not actor.is_admin:
        raise NotFound()
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    user.is_organiser = value
    return user


def change_password(*, user: User, current: str, new: str, secret_key: str) -> None:
    """Set a new password: every other session ends and the calendar feed gets a new address."""
    from .calendar_feed import revoke_feed
    from .errors import ServiceError

    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise ServiceError(_("The current password is not right.")) from None
    check_password(new, email=user.email, name=user.name)
    user.password_hash = _hasher.hash(new)
    end_all_sessions(user)
    revoke_feed(user, secret_key)


# Password reset, invitations, confirming the address ------------------------------------------------

def request_password_reset(*, email: str) -> None:
    """Mail a reset link to the account with this address, if there is one (the caller answers the
    same either way). An imported account that never set a password may use it too."""
    user = find_user_by_email(email) if not has_control_characters(email) else None
    if user is not None:
        outbox.enqueue("password_reset", user, {})


def check_link(*, token: str, purpose: str, secret_key: str, now: datetime | None = None) -> User:
    """The user a mailed link is for; ``account_links.InvalidLink`` when it cannot be used."""
    return account_links.read_token(token, purpose, secret_key=secret_key, now=now)


def set_password_from_link(*, token: str, purpose: str, password: str, secret_key: str,
                           now: datetime | None = None) -> User:
    """Set a new password through a reset (``RESET``) or invitation (``INVITE``) link.

    The link dies (the password hash it was made from changes), every session of the user ends, and
    the calendar feed gets a new address (as on any change of password). Opening a link mailed to the
    address proves the person reads it, so the address counts as confirmed. The caller logs the
    person in afresh.
    """
    from .calendar_feed import revoke_feed

    if purpose not in (account_links.RESET, account_links.INVITE):
        raise ValueError(purpose)
    user = check_link(token=token, purpose=purpose, secret_key=secret_key, now=now)
    check_password(password, email=user.email, name=user.name)
    user.password_hash = _hasher.hash(password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    end_all_sessions(user)
    revoke_feed(user, secret_key)
    db.session.flush()
    return user


def invite(*, user: User, event: Event) -> None:
    """Mail an imported person a link to set their password, naming the event they were added to."""
    outbox.enqueue("invitation", user, {"event": event.id})


def resend_invitation(*, participant: Participant) -> None:
    """The organiser sends the invitation again, to a participant who has not set a password yet."""
    if participant.user.has_password:
        raise ServiceError(_("%(name)s has set a password already; they can reset it from the log-in page.",
                             name=participant.name))
    invite(user=participant.user, event=participant.event)


def send_verification(*, user: User) -> bool:
    """Mail (again) the link that confirms the address; False (nothing sent) when it is confirmed."""
    if user.email_verified_at is not None:
        return False
    outbox.enqueue("verify_email", user, {})
    return True


def verify_email(*, token: str, secret_key: str, now: datetime | None = None) -> User:
    """Confirm the address a link was mailed to (a second time changes nothing)."""
    user = check_link(token=token, purpose=account_links.VERIFY, secret_key=secret_key, now=now)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.flush()
    return user


def require_verified(user: User) -> None:
    """Registering for an event and asking for meetings reach other people: only from a confirmed address."""
    if user.email_verified_at is None:
        raise ServiceError(_("Confirm your e-mail address first: open the link we sent you. "
                             "To get a new link, use “Send the link again” at the top of the page."))


def set_locale(*, user: User, locale: str) -> None:
    """The language the user reads the interface and their e-mail in."""
    user.locale = locale
    db.session.flush()


def set_preferences(*, user: User, locale: str, timezone: str | None) -> None:
    """Language and display time zone (None: show each event's times in its own zone)."""
    user.locale, user.timezone = locale, timezone or None
    db.session.flush()


def search_users(term: str, limit: int = 200) -> list[User]:
    """Users whose e-mail or name contains ``term``, by name: the admin's list."""
    query = select(User).order_by(User.name).limit(limit)
    if term:
        query = query.where(User.email.contains(term.lower()) | User.name.contains(term))
    return list(db.session.scalars(query))
