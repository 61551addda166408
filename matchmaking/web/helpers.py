"""Small helpers shared by the blueprints."""
from __future__ import annotations

from flask import current_app, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..services import events as event_service
from ..services import meetings as meeting_service
from ..services import registration
from ..services.errors import ServiceError
from ..services.localized import translations_from


def arg_int(name: str, default: int = 1) -> int:
    """A query-string integer; anything else falls back to ``default`` instead of an error."""
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 9 else default


def flash_error(error: ServiceError) -> None:
    flash(error.message, "error")


def commit_or_flash(action, success):
    """Run a service call: commit and flash ``success`` (a string, or a function of the result),
    or roll back and flash the refusal. Returns the result, or None when refused."""
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
        return None
    db.session.commit()
    flash(success(result) if callable(success) else success, "success")
    return result


class NotApproved(Exception):
    """The user is registered, but may not meet anyone (yet): awaiting approval, rejected, deactivated."""

    def __init__(self, event, participant) -> None:
        super().__init__(participant.status)
        self.event, self.participant = event, participant


def record_attendance(meeting, by, success: str) -> None:
    """Handle a posted attendance form (held, no-show, or cleared) for a meeting the caller may mark."""
    from .forms import AttendanceForm

    form = AttendanceForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: meeting_service.mark_attendance(meeting=meeting, by=by, value=form.value.data or None),
                        success)
    else:
        flash(_("Choose held or no-show."), "error")


def my_participation(event_id: int, *, active: bool = True):
    """(event, the current user's participant record): NotFound unless they are registered;
    NotApproved when ``active`` pages are asked for by someone the organiser has not approved."""
    event = event_service.get_event(event_id)
    participant = registration.require_participant(current_user, event)
    if active and not participant.is_active:
        raise NotApproved(event, participant)
    return event, participant


def page_size() -> int:
    return current_app.config["DIRECTORY_PAGE_SIZE"]


def flash_form_errors(form) -> None:
    """Flash each field's errors as "Label: message", for forms posted from a page they do not re-render."""
    for name, errors in form.errors.items():
        field = getattr(form, name, None)
        label = field.label.text if field is not None else name
        for message in errors:
            flash(f"{label}: {message}", "error")


def other_languages() -> tuple[str, ...]:
    """The interface languages besides the default, in which organisers may give their texts too."""
    config = current_app.config
    return tuple(code for code in config["LANGUAGES"] if code != config["BABEL_DEFAULT_LOCALE"])


def translations_of(form, fields, languages) -> dict:
    """The "<field>_<language>" inputs of a translated form as a translations dict."""
    return translations_from({code: {f: getattr(form, f"{f}_{code}").data or "" for f in fields}
                              for code in languages})
