"""The API's two blueprints and their gates; the OpenAPI description and its docs page.

``/api/v1/...`` is for participants (a token with the ``participant`` scope): the events, and in
an event where the caller is registered their profile, the directory, requests, meetings and
agenda. ``/api/v1/organiser/events/<event_id>/...`` is for the event's organisers (the
``organiser`` scope). Only ``Authorization: Bearer <token>`` authenticates: a session cookie does
not (so there is no CSRF here). A missing or bad token is a 401, a token without the scope a 403,
and what the caller may not see is a 404, as on the pages. Handlers find the user in
``g.api_user``, the event in ``g.event`` and, in a participant's event, ``g.me``.
"""
from __future__ import annotations

import http

from flask import Flask, g, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from flask_swagger_ui import get_swaggerui_blueprint
from werkzeug.exceptions import HTTPException, TooManyRequests

from ...extensions import csrf, db
from ...models.api import ORGANISER_SCOPE, PARTICIPANT_SCOPE
from ...services import api_tokens, registration
from ...services import events as event_service
from ...services.errors import Conflict, NotFound, NothingToSchedule, ServiceError
from .. import limits
from ..helpers import NotApproved, scope_to_event
from .http import PROBLEM_TYPE, ApiError, conditional, http_problem, problem
from .schemas import Problem

PREFIX = "/api/v1"

participant_api = Blueprint("api", __name__, url_prefix=PREFIX, description="Events, and one's own part in them.")
organiser_api = Blueprint("api_organiser", __name__, url_prefix=f"{PREFIX}/organiser/events/<int:event_id>",
                          description="The events one organises.")
# Endpoints of participant_api anyone with a participant token may read, registered or not.
EVENT_INFO: set[str] = set()


class _Api(Api):
    ERROR_SCHEMA = Problem

    def _register_error_handlers(self) -> None:
        """The API blueprints answer their own errors (problem details); the pages keep theirs."""

    def _register_responses(self) -> None:
        """Every error response is documented as what it is: problem details (application/problem+json)."""
        for status in [*http.HTTPStatus, None]:
            name, description = (status.name, status.phrase) if status else ("DEFAULT_ERROR", "An error")
            response = {"description": description}
            if status is None or status >= 400:
                response["schema"] = Problem
            prepare_response(response, self.spec, PROBLEM_TYPE if "schema" in response else "application/json")
            self.spec.components.response(name, response, lazy=True)


def _authenticate(scope: str) -> None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise ApiError(401, "token_missing", _("Send a personal access token: Authorization: Bearer <token>."))
    token = api_tokens.authenticate(header.removeprefix("Bearer ").strip())
    if token is None:
        raise ApiError(401, "token_invalid", _("This token is unknown, expired or revoked."))
    if api_tokens.note_use(token):  # at most every few minutes: kept even on a GET
        db.session.commit()
    if scope not in token.scope_set:
        raise ApiError(403, "scope_missing", _("This token lacks the %(scope)s scope.", scope=scope))
    g.api_user, g.token = token.user, token


@participant_api.before_request
def _participant_gate() -> None:
    _authenticate(PARTICIPANT_SCOPE)
    if g.event_id is None:
        return
    g.event = event_service.get_event(g.event_id)
    if request.endpoint in EVENT_INFO:
        return
    g.me = registration.require_participant(g.api_user, g.event)
    if not g.me.is_active:
        raise NotApproved(g.event, g.me)


@organiser_api.before_request
def _organiser_gate() -> None:
    _authenticate(ORGANISER_SCOPE)
    g.event = event_service.get_organised_event(g.api_user, g.event_id)


def _problem_for(error: Exception):
    if isinstance(error, HTTPException) and (error.code or 500) >= 500:
        db.session.rollback()
    if isinstance(error, ApiError):
        return problem(error.status, error.code, error.detail, error.errors)
    if isinstance(error, NotFound):
        return http_problem(404)
    if isinstance(error, NotApproved):
        return problem(403, "not_approved", _("The organisers have not approved your registration."))
    if isinstance(error, Conflict):
        return problem(409, "conflict", error.message)
    if isinstance(error, NothingToSchedule):
        return problem(422, "nothing_to_schedule", error.message)
    if isinstance(error, ServiceError):
        return problem(422, "refused", error.message)
    if isinstance(error, TooManyRequests):
        return too_many_requests()
    if isinstance(error, HTTPException):
        messages = (getattr(error, "data", None) or {}).get("messages")
        if error.code == 422 and messages:
            errors = messages.get("json") or messages.get("query") or messages
            return problem(422, "invalid_input", _("Some of the input is not valid."), errors)
        return http_problem(error.code or 500, error.name or "", error.description or "")
    raise error


for _blueprint in (participant_api, organiser_api):
    scope_to_event(_blueprint)
    # Codes too: the pages' handlers for 400, 404, ... would otherwise win over a class handler.
    for _kind in (ApiError, NotFound, NotApproved, ServiceError, HTTPException, 400, 404, 405, 413, 415, 422, 429,
                  500):
        _blueprint.register_error_handler(_kind, _problem_for)
    _blueprint.after_request(conditional)
limits.limit_api(participant_api, organiser_api)


def too_many_requests():
    """Over a limit (``web/limits.py``): problem details, and when to try again."""
    seconds = limits.retry_after()
    response = problem(429, "too_many_requests", ngettext("Too many requests: try again in %(num)d second.",
                                                          "Too many requests: try again in %(num)d seconds.", seconds))
    response.headers["Retry-After"] = str(seconds)
    return response


def register_api(app: Flask) -> None:
    from . import account, events, meetings, organiser, requests  # noqa: F401  (they add the routes)

    app.json.ensure_ascii = False  # Łomża, not \u0141om\u017ca
    app.config.setdefault("API_TITLE", "matchmaking")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = _Api(app, spec_kwargs={
        "info": {"description": "The brokerage event's data and actions for machines: the same rules as the pages."},
        "security": [{"bearer": []}],
    })
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for blueprint in (participant_api, organiser_api):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    app.register_blueprint(get_swaggerui_blueprint(
        f"{PREFIX}/docs", f"{PREFIX}/openapi.json", blueprint_name="api_docs",
        config={"app_name": "matchmaking API", "validatorUrl": None}))


def is_api_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")
