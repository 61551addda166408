"""Sign-up, log-in and roles. Passwords are hashed with Argon2id."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import User
from ..models.user import new_nonce
from .errors import NotFound, ServiceError
from .text import has_control_characters

MIN_PASSWORD_LENGTH = 12
# Stored for accounts made by an organiser's import: no password matches it, so nobody can log in
# with it until the person sets a password of their own.
UNUSABLE_PASSWORD = "!unusable"

_hasher = PasswordHasher()  # argon2-cffi's defaults are Argon2id with RFC 9106 parameters


def configure_hasher(fast: bool) -> None:
    """Use cheap parameters in tests; production keeps the library's defaults."""
    global _hasher, _dummy_hash
    _hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1) if fast else PasswordHasher()
    _dummy_hash = _hasher.hash("not-a-real-password")


_dummy_hash = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def sign_up(*, name: str, email: str, password: str, locale: str | None = None) -> User | None:
    """Create an account; returns None when the e-mail is taken.

    The caller shows the same answer either way (so sign-up does not reveal who is registered),
    and both paths hash a password, so their timing matches too.
    """
    if has_control_characters(name) or has_control_characters(email):
        raise ServiceError(_("Use one line, without line breaks or tabs."))
    password_hash = _hasher.hash(password)
    if find_user_by_email(email) is not None:
        return None
    user = User(name=name.strip(), email=normalise_email(email), password_hash=password_hash, locale=locale)
    db.session.add(user)
    db.session.flush()
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
    user.password_hash = _hasher.hash(new)
    end_all_sessions(user)
    revoke_feed(user, secret_key)


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
