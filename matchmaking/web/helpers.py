"""What every area's handlers share: reading query strings, valid forms, going back after a refusal."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, flash, g, redirect, request
from werkzeug.datastructures import FileStorage

from ..extensions import db
from ..services.localized import translations_from


class NotApproved(Exception):
    """The user is registered, but may not meet anyone (yet): awaiting approval, rejected, deactivated."""

    def __init__(self, event, participant) -> None:
        super().__init__(participant.status)
        self.event, self.participant = event, participant


class InvalidForm(Exception):
    """A posted form that did not validate, on a route with no page of its own to show it again."""

    def __init__(self, form) -> None:
        super().__init__("invalid form")
        self.form = form


def scope_to_event(blueprint: Blueprint) -> None:
    """The blueprint's URLs start with ``<event_id>``: its gate reads ``g.event_id`` and loads ``g.event``,
    handlers do not take the id, and ``url_for`` of the blueprint fills it in from ``g.event``."""

    @blueprint.url_value_preprocessor
    def _take_event_id(_endpoint, values) -> None:
        g.event_id = values.pop("event_id", None) if values else None

    @blueprint.url_defaults
    def _add_event_id(_endpoint, values) -> None:
        if "event_id" not in values and "event" in g:
            values["event_id"] = g.event.id


def valid(form):
    """``form`` when it was posted and validates; else InvalidForm, which flashes its errors and goes back."""
    if not form.validate_on_submit():
        raise InvalidForm(form)
    return form


def done(message: str, to: str, category: str = "success") -> Response:
    """Commit the change, then say so and go on: the message shows only once the change is saved."""
    db.session.commit()
    flash(message, category)
    return redirect(to)


def arg_int(name: str, default: int = 1) -> int:
    """A query-string integer; anything else falls back to ``default`` instead of an error."""
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 9 else default


def arg_text(name: str, max_length: int = 200) -> str:
    """A query-string text, cut to ``max_length`` and without NUL characters (PostgreSQL refuses them)."""
    return request.args.get(name, "")[:max_length].replace("\x00", "")


def safe_path(target: str | None) -> str | None:
    """Only same-site paths; an absolute URL would be an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def same_site_referrer() -> str | None:
    """The page a form was posted from, when it is on this site."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return safe_path(path)


def flash_form_errors(form) -> None:
    """Flash each field's errors as "Label: message", for forms posted from a page they do not re-render."""
    for name, errors in form.errors.items():
        field = getattr(form, name, None)
        label = field.label.text if field is not None and field.label.text else None
        for message in errors:
            flash(f"{label}: {message}" if label else str(message), "error")


def page_size() -> int:
    return current_app.config["DIRECTORY_PAGE_SIZE"]


def other_languages() -> tuple[str, ...]:
    """The interface languages besides the default, in which organisers may give their texts too."""
    config = current_app.config
    return tuple(code for code in config["LANGUAGES"] if code != config["BABEL_DEFAULT_LOCALE"])


def translations_of(form, fields, languages) -> dict:
    """The "<field>_<language>" inputs of a translated form as a translations dict."""
    return translations_from({code: {f: getattr(form, f"{f}_{code}").data or "" for f in fields}
                              for code in languages})


def upload_of(field) -> bytes:
    """The bytes of a file field's upload; empty when no file was chosen (or text was posted in its place)."""
    data = field.data
    return data.read() if isinstance(data, FileStorage) and data.filename else b""
