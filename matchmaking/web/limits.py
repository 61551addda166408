"""Abuse limits (Flask-Limiter): how often one account, one address, one participant or one API token may act.

Every limit is a named setting in ``config.py`` (``RATELIMIT_...``, each also read from the environment),
looked up at request time, so operators tune them without touching code. The counters live where
``RATELIMIT_STORAGE_URI`` says: ``memory://`` for the embedded demo (one process), Redis in production,
so that every gunicorn worker counts in the same place.

A limit is one line where the URL is listed (``blueprint.py``)::

    _url("/login", limits.log_in(auth.login), FORM, public=True)

or one decorator on an API view, below flask-smorest's. Over the limit, pages answer with the
translated 429 page and the API with problem details, both with ``Retry-After``.
"""
from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..services import accounts

View = Callable[..., object]


def client_address() -> str:
    """The client's address (behind a proxy, as ``TRUSTED_PROXIES`` lets ``ProxyFix`` read it)."""
    return get_remote_address() or "unknown"


limiter = Limiter(key_func=client_address)


def _digest(value: str) -> str:
    """Keys never hold personal data in clear (an e-mail address, a bearer token): a digest of it."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def submitted_email() -> str:
    """The account a log-in or mail form is about: the submitted e-mail, normalised as accounts store it,
    else the logged-in user's own (asking for a new confirmation mail).

    Empty when there is neither: Flask-Limiter then skips the limit (the per-address one still counts)."""
    email = accounts.normalise_email(request.form.get("email", ""))[:320]
    if not email and current_user.is_authenticated:
        email = current_user.email
    return "email:" + _digest(email) if email else ""


def participant_key() -> str:
    """The participant acting in this event (``g.me``, loaded by the area's gate)."""
    return f"participant:{g.me.id}"


def user_key() -> str:
    return f"user:{current_user.id}"


def api_client_key() -> str:
    """The bearer token the request presents (any value, valid or not), else the client's address."""
    header = request.headers.get("Authorization", "")
    return "token:" + _digest(header) if header else "address:" + client_address()


def setting(name: str) -> Callable[[], str]:
    """A limit read from the configuration at request time ("10 per minute;20 per 15 minutes")."""
    return lambda: current_app.config[name]


def _accepted(response: Response) -> bool:
    """A form that went through redirects onwards."""
    return response.status_code in (301, 302, 303)


def _refused(response: Response) -> bool:
    """A form that did not go through is shown again (a wrong password) or refused."""
    return not _accepted(response)


def _limit(name: str, key: Callable[[], str], **options) -> Callable[[View], View]:
    """One configured limit as a view decorator. ``override_defaults=False``: the API's per-token
    limit on the blueprint still counts on a view with a limit of its own."""
    return limiter.limit(setting(name), key_func=key, override_defaults=False, **options)


def _shared(name: str, scope: str, key: Callable[[], str], **options) -> Callable[[View], View]:
    """A limit counted once across every view that carries it (the pages and the API alike)."""
    return limiter.shared_limit(setting(name), scope, key_func=key, override_defaults=False, **options)


def _both(*decorators: Callable[[View], View]) -> Callable[[View], View]:
    def apply(view: View) -> View:
        for decorate in reversed(decorators):
            view = decorate(view)
        return view
    return apply


# Failed log-ins, per account (the submitted address, whoever sends it) and per client address.
# Only attempts that fail count; once over, even the right password waits until the window passes.
log_in = _both(
    _limit("RATELIMIT_LOG_IN_PER_ACCOUNT", submitted_email, methods=["POST"], deduct_when=_refused),
    _limit("RATELIMIT_LOG_IN_PER_ADDRESS", client_address, methods=["POST"], deduct_when=_refused),
)

# Accepted sign-ups per client address.
sign_up = _limit("RATELIMIT_SIGN_UP_PER_ADDRESS", client_address, methods=["POST"], deduct_when=_accepted)

# Forms that send a mail to an address someone types (password reset, a new verification mail):
# per recipient and per client address, shared by all such forms. Put ``limits.account_mail(view)``
# where the URL is listed.
account_mail = _both(
    _shared("RATELIMIT_ACCOUNT_MAIL_PER_RECIPIENT", "account-mail", submitted_email, methods=["POST"]),
    _shared("RATELIMIT_ACCOUNT_MAIL_PER_ADDRESS", "account-mail-address", client_address, methods=["POST"]),
)

# Meeting requests one participant sends, counted together on the pages and through the API.
meeting_requests = _shared("RATELIMIT_MEETING_REQUESTS", "meeting-requests", participant_key, methods=["POST"])

# New API tokens per user.
api_tokens = _limit("RATELIMIT_API_TOKENS", user_key, methods=["POST"], deduct_when=_accepted)


def limit_api(*blueprints) -> None:
    """Every API call, per bearer token, across both API blueprints."""
    for blueprint in blueprints:
        limiter.shared_limit(setting("RATELIMIT_API"), "api", key_func=api_client_key)(blueprint)


def retry_after() -> int:
    """Seconds until the limit this request broke lets requests through again (at least 1)."""
    breached = limiter.current_limit
    if breached is None:
        return 60
    return max(1, math.ceil(breached.window.reset_time - time.time()))


def init_limits(app: Flask) -> None:
    limiter.init_app(app)
