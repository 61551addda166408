"""Blueprints by area, error pages, and template helpers."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.routing import IntegerConverter

from ..extensions import db, login_manager
from ..models.base import MAX_ID
from ..services import accounts
from ..services.errors import NotFound
from ..services.localized import localized, system_text
from . import labels
from .formatting import event_datetime, event_time
from .helpers import NotApproved
from .i18n import LANGUAGE_NAMES, display_zone


class IdConverter(IntegerConverter):
    """``<int:…>`` in URLs, limited to what an id column holds: a larger number is a 404, not an error."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_web(app: Flask) -> None:
    from . import (
        admin,
        auth,
        calendar,
        dashboard,
        events,
        exports,
        grid,
        meetings,
        organiser,
        pages,
        people,
        programme,
        schedule,
    )

    app.url_map.converters["int"] = IdConverter
    for module in (auth, events, meetings, calendar, organiser, people, programme, schedule, grid, dashboard,
                   exports, admin, pages):
        app.register_blueprint(module.bp)

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.user_loader(accounts.load_user)

    @app.errorhandler(NotFound)
    @app.errorhandler(404)
    def not_found(_error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(NotApproved)
    def not_approved(error):
        return render_template("errors/not_approved.html", event=error.event, participant=error.participant), 403

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render_template("errors/400.html", csrf=True), 400

    @app.errorhandler(400)
    def bad_request(_error):
        return render_template("errors/400.html", csrf=False), 400

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return render_template("errors/400.html", csrf=False), 405

    @app.errorhandler(413)
    def too_large(_error):
        return render_template("errors/400.html", csrf=False, too_large=True), 413

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return render_template("errors/500.html"), 500

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Feed URLs carry a secret token: never leak a page's address to another site.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    app.jinja_env.filters["event_time"] = event_time
    app.jinja_env.filters["tr"] = lambda obj, field: localized(obj, field, str(get_locale() or ""))
    app.jinja_env.filters["system_text"] = system_text
    app.jinja_env.filters["event_datetime"] = event_datetime
    app.jinja_env.globals.update(labels=labels, get_locale=get_locale, zone=display_zone,
                                 language_names=LANGUAGE_NAMES, languages=app.config["LANGUAGES"])
