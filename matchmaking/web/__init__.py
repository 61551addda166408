"""Blueprints by area, error pages, and template helpers."""
from __future__ import annotations

from flask import Flask, current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from ..extensions import db, login_manager
from ..models.base import MAX_ID
from ..services import accounts
from ..services.errors import NotFound, ServiceError
from ..services.localized import localized, system_text
from . import labels, limits
from .api import register_api
from .api.blueprint import is_api_path, too_many_requests
from .api.http import http_problem
from .formatting import event_datetime, event_time
from .headers import register_headers
from .helpers import InvalidForm, NotApproved, flash_form_errors, same_site_referrer
from .i18n import LANGUAGE_NAMES, display_zone


class IdConverter(IntegerConverter):
    """``<int:…>`` in URLs, limited to what an id column holds (1 to 2**31-1): another number is a 404, not an error.

    ASCII digits only: werkzeug's ``\\d+`` also matches "٣" or "１２", which ``int()`` reads as 3 and 12,
    so one row would have many addresses.
    """

    regex = r"[0-9]+"

    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_ID, signed=False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_web(app: Flask) -> None:
    from . import account, admin, organiser, participant

    if app.config.get("TRUSTED_PROXIES"):  # the client's address for the per-address limits
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"])
    limits.init_limits(app)
    register_headers(app)
    app.url_map.converters["int"] = IdConverter
    for blueprint in (account.bp, participant.public, participant.bp, organiser.home, organiser.bp, admin.bp):
        app.register_blueprint(blueprint)
    register_api(app)

    login_manager.login_view = "account.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.user_loader(accounts.load_user)

    @app.errorhandler(ServiceError)
    def refused(error: ServiceError):
        """A service refused: nothing of the change is kept, the person reads why and is back where they were."""
        db.session.rollback()
        flash(error.message, "error")
        return _show_again_or_back()

    @app.errorhandler(InvalidForm)
    def invalid_form(error: InvalidForm):
        flash_form_errors(error.form)
        return redirect(_back())

    @app.errorhandler(NotFound)
    @app.errorhandler(404)
    def not_found(_error):
        if is_api_path(request.path):  # an address no API route has
            return http_problem(404)
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
        if is_api_path(request.path):
            return http_problem(405)
        return render_template("errors/400.html", csrf=False), 405

    @app.errorhandler(413)
    def too_large(_error):
        if is_api_path(request.path):
            return http_problem(413)
        limit_mb = max(1, (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024))
        return render_template("errors/400.html", csrf=False, too_large=limit_mb), 413

    @app.errorhandler(429)
    def too_many(_error):
        """Over a limit (``web/limits.py``): when to try again, in the person's language."""
        if is_api_path(request.path):
            return too_many_requests()
        seconds = limits.retry_after()
        response = make_response(render_template("errors/429.html", minutes=max(1, -(-seconds // 60))), 429)
        response.headers["Retry-After"] = str(seconds)
        return response

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        if is_api_path(request.path):
            return http_problem(500)
        return render_template("errors/500.html"), 500

    app.jinja_env.filters["event_time"] = event_time
    app.jinja_env.filters["tr"] = lambda obj, field: localized(obj, field, str(get_locale() or ""))
    app.jinja_env.filters["system_text"] = system_text
    app.jinja_env.filters["event_datetime"] = event_datetime
    app.jinja_env.globals.update(labels=labels, get_locale=get_locale, zone=display_zone,
                                 language_names=LANGUAGE_NAMES, languages=app.config["LANGUAGES"])


def _show_again_or_back():
    """A page with a form is shown again with what was typed (its forms do not act twice: see
    ``forms.Form.validate_on_submit``); a button posted from elsewhere goes back to that page."""
    rule = request.url_rule
    if request.method == "POST" and rule is not None and "GET" in (rule.methods or ()):
        g.refused = True
        return current_app.ensure_sync(current_app.view_functions[request.endpoint])(**(request.view_args or {}))
    return redirect(_back())


def _back() -> str:
    """The same-site page the form came from, else the area's home page (the event's, for event pages)."""
    referrer = same_site_referrer()
    if referrer and referrer != request.full_path.rstrip("?"):
        return referrer
    if "event" in g and request.blueprint == "organiser":
        return url_for("organiser.setup", event_id=g.event.id)
    if "event" in g:
        return url_for("participant.event", event_id=g.event.id)
    return url_for("public.index")
