"""Language and time-zone selection: the user's choice, else the session's, else the browser's."""
from __future__ import annotations

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "pl": "Polski", "lv": "Latviešu"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a job or a command: force_locale sets the language where it matters
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    api_user = g.get("api_user")  # the API answers in the token owner's language; the cookie does not count
    if api_user is not None and api_user.locale in languages:
        return api_user.locale
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def display_zone(event) -> str:
    """The zone a participant sees an event's times in: their own choice, else the event's. The choice
    is looked up once a request (a page asks for every time it shows, a hundred on a busy agenda)."""
    if not has_request_context():
        return _users_zone() or event.timezone
    if "display_zone" not in g:
        g.display_zone = _users_zone()
    return g.display_zone or event.timezone


def _users_zone() -> str | None:
    return current_user.timezone if current_user and current_user.is_authenticated else None
