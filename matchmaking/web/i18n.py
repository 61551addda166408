"""Language and time-zone selection for Flask-Babel."""
from __future__ import annotations

from flask import current_app, request
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
