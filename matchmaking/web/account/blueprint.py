"""Every URL of one's own account: sign-up and log-in, password, language, e-mail and calendar settings,
one's data and deleting the account, and the answer to an invitation to organise an event.

The gate: pages marked PUBLIC below are for anyone (the calendar feed, the links mailed about the
account and an invitation's page are authenticated by the token in their address); every other page
needs a logged-in user. ``limits.…(view)`` limits how often a form may be sent (``web/limits.py``).
"""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from ...extensions import login_manager
from .. import limits
from . import auth, calendar, data, invitation, outcome, recovery, settings, tokens

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
_url("/signup", limits.sign_up(auth.signup), FORM, public=True)
_url("/login", limits.log_in(auth.login), FORM, public=True)
_url("/logout", auth.logout, POST)
_url("/language", settings.language, POST, public=True)

# Links mailed about the account (the token in the address is the key): a forgotten password, an
# organiser's invitation to set one, confirming the address; and having the confirmation sent again.
_url("/password/forgot", limits.account_mail(recovery.forgot_password), FORM, public=True)
_url("/password/reset/<token>", recovery.reset_password, FORM, public=True)
_url("/invitation/<token>", recovery.accept_invitation, FORM, public=True)
_url("/verify/<token>", recovery.verify_email, public=True)
# A meeting's outcome and follow-up, from the link in the evening summary or the follow-up mail.
_url("/outcomes/<token>", outcome.outcome_link, FORM, public=True)
_url("/account/verify/send", limits.account_mail(recovery.resend_verification), POST)

# Settings: password, language and time zone, which e-mails to get.
_url("/account/password", settings.password, FORM)
_url("/account/preferences", settings.preferences, POST)
_url("/account/mail", settings.mail_preferences, POST)

# The private calendar feed: its page (a new address on POST) and the feed itself.
_url("/calendar", calendar.calendar, FORM)
_url("/calendar/feed/<token>.ics", calendar.feed, public=True)

# Your data: what is stored about you (a page and a JSON download), and deleting your account.
_url("/account/data", data.your_data)
_url("/account/data.json", data.data_json)
_url("/account/delete", data.delete_account, FORM)

# Personal access tokens for the API (/api/v1).
_url("/account/tokens", limits.api_tokens(tokens.tokens), FORM)
_url("/account/tokens/<int:token_id>/revoke", tokens.revoke_token, POST)

# An invitation to organise an event: the page is open to whoever holds the link (its token is the
# key); answering needs the account of the invited address.
_url("/organiser-invitations/<token>", invitation.organiser_invitation, public=True)
_url("/organiser-invitations/<token>/accept", invitation.accept_organiser_invitation, POST)
_url("/organiser-invitations/<token>/decline", invitation.decline_organiser_invitation, POST)
