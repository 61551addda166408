"""HTTP done right for the API: problem details, ETags, pages with a next link, idempotent creates."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from flask import Response, g, request, url_for
from flask_babel import gettext as _

from ...extensions import db
from ...services import api_idempotency

PROBLEM_TYPE = "application/problem+json"


class ApiError(Exception):
    """An answer other than success, with a stable code for machines and a message for people."""

    def __init__(self, status: int, code: str, detail: str, errors: dict | None = None) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.errors = status, code, detail, errors


TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          409: "Conflict", 413: "Payload too large", 415: "Unsupported media type", 422: "Unprocessable content",
          429: "Too many requests", 500: "Internal server error"}


def problem(status: int, code: str, detail: str, errors: dict | None = None) -> Response:
    """An RFC 9457 problem details response."""
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "code": code,
            "detail": detail}
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="matchmaking"'
    return response


def http_problem(status: int, name: str = "", description: str = "") -> Response:
    """Problem details for an HTTP error that no service raised (bad JSON, unknown URL, ...)."""
    details = {400: _("The request is not well formed (is the body valid JSON?)."),
               404: _("This does not exist, or you may not see it."),
               405: _("This resource does not take this method."),
               413: _("The request body is too large."),
               415: _("Send the body as JSON (Content-Type: application/json)."),
               500: _("Something went wrong on our side.")}
    code = (name or TITLES.get(status, "error")).lower().replace(" ", "_")
    return problem(status, code, details.get(status, description))


def conditional(response: Response) -> Response:
    """Every successful GET carries an ETag; If-None-Match with the same one gets 304 and no body.

    ``no-store``: answers hold one person's data, which no cache keeps; a client that keeps its own
    copy still saves the transfer with If-None-Match."""
    if request.method == "GET" and response.status_code == 200 and not response.direct_passthrough:
        response.add_etag()
        response.headers.setdefault("Cache-Control", "private, no-store")  # one person's data
        response = response.make_conditional(request)
    return response


def page(items: list, *, total: int, page: int, per_page: int) -> dict:
    """A page of results with the total and the address of the next page (None on the last)."""
    has_next = page * per_page < total
    args = {**request.args.to_dict(), "page": page + 1, "per_page": per_page}
    return {"items": items, "total": total, "page": page, "per_page": per_page,
            "next": url_for(request.endpoint, **(request.view_args or {}), **args) if has_next else None}


def idempotent(create: Callable[[], tuple[dict, int]],
               headers: Callable[[dict], dict[str, str]] | None = None) -> Response:
    """Run a create once per ``Idempotency-Key``: a retry with the same key and body gets the first
    answer again (and creates nothing); the same key with another request is a 422.

    ``headers`` gives the answer's headers from its body (a ``Location``): only the body is kept
    for a retry, so the replayed answer gets them from the same body again."""
    def answer(text: str, status: int) -> Response:
        response = Response(text, status=status, mimetype="application/json")
        if headers is not None and status < 300:
            response.headers.update(headers(json.loads(text)))
        return response

    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        body, status = create()
        db.session.commit()
        return answer(json.dumps(body, ensure_ascii=False), status)
    if len(key) > 200:
        raise ApiError(400, "idempotency_key_too_long", _("An Idempotency-Key has at most 200 characters."))
    fingerprint = hashlib.sha256(f"{request.method} {request.path}\n".encode() + request.get_data()).hexdigest()
    earlier = api_idempotency.find(user_id=g.api_user.id, key=key)
    if earlier is None:
        body, status = create()
        text = json.dumps(body, ensure_ascii=False)
        try:
            api_idempotency.remember(user_id=g.api_user.id, key=key, request_hash=fingerprint, status=status,
                                     body=text)
            db.session.commit()
            return answer(text, status)
        except api_idempotency.KeyInUse:  # the same key at the same moment: the other request won, answer as it did
            db.session.rollback()
            earlier = api_idempotency.find(user_id=g.api_user.id, key=key)
    if earlier.request_hash != fingerprint:
        raise ApiError(422, "idempotency_key_reused", _("This Idempotency-Key was used for another request."))
    response = answer(earlier.body, earlier.status)
    response.headers["Idempotent-Replayed"] = "true"
    return response
