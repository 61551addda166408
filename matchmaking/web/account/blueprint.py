"""Every URL of one's own account: sign-up and log-in, password, language, e-mail and calendar settings,
and the answer to an invitation to organise an event.

The gate: pages marked PUBLIC below are for anyone (the calendar feed and an invitation's page are
authenticated by the secret token in their address); every other page needs a logged-in user.
"""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from ...extensions import login_manager
from . import auth, calendar, invitation, settings, tokens

bp = Blueprint("account", __name__)
_public: set[str] = set()


@bp.before_request
def _gate():
    if request.endpoint not in _public and not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _url(rule: str, view, methods: tuple[str, ...] = ("GET",), public: bool = False) -> None:
    bp.add_url_rule(rule, view_func=view, methods=list(methods))
    if public:
        _public.add(f"{bp.name}.{view.__name__}")


POST, FORM = ("POST",), ("GET", "POST")

# Signing up, in and out; the interface language (also for visitors).
_url("/signup", auth.signup, FORM, public=True)
_url("/login", auth.login, FORM, public=True)
_url("/logout", auth.logout, POST)
_url("/language", settings.language, POST, public=True)

# Settings: password, language and time zone, which e-mails to get.
_url("/account/password", settings.password, FORM)
_url("/account/preferences", settings.preferences, POST)
_url("/account/mail", settings.mail_preferences, POST)

# The private calendar feed: its page (a new address on POST) and the feed itself.
_url("/calendar", calendar.calendar, FORM)
_url("/calendar/feed/<token>.ics", calendar.feed, public=True)

# Personal access tokens for the API (/api/v1).
_url("/account/tokens", tokens.tokens, FORM)
_url("/account/tokens/<int:token_id>/revoke", tokens.revoke_token, POST)

# An invitation to organise an event: the page is open to whoever holds the link (its token is the
# key); answering needs the account of the invited address.
_url("/invitations/<token>", invitation.invitation, public=True)
_url("/invitations/<token>/accept", invitation.accept_invitation, POST)
_url("/invitations/<token>/decline", invitation.decline_invitation, POST)
