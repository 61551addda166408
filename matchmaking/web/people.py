"""The organiser's participant management: approve, reject, deactivate, edit on their behalf, import."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..services import events as event_service
from ..services import outbox, participant_import, participants_admin, registration
from ..services.errors import ServiceError
from .events import profile_from
from .forms import ActionForm, ImportConfirmForm, ImportForm, OrganiserMessageForm, ProfileForm
from .helpers import commit_or_flash, flash_error

bp = Blueprint("people", __name__, url_prefix="/organiser/events/<int:event_id>/participants")

DECISIONS = {
    "approve": (participants_admin.approve, _l("%(name)s is approved.")),
    "reject": (participants_admin.reject, _l("%(name)s is rejected.")),
    "deactivate": (participants_admin.deactivate, _l("%(name)s is deactivated; their meetings are cancelled.")),
    "reactivate": (participants_admin.reactivate, _l("%(name)s is active again.")),
}
IMPORT_MAX_AGE = 3600  # seconds a preview may be confirmed


def _event(event_id: int):
    return event_service.get_organised_event(current_user, event_id)


def _back(event_id: int):
    return redirect(url_for("organiser.participants", event_id=event_id, status=request.args.get("status", "")))


@bp.route("/<int:participant_id>/<any(approve, reject, deactivate, reactivate):decision>", methods=["POST"])
@login_required
def decide(event_id: int, participant_id: int, decision: str):
    event = _event(event_id)
    participant = participants_admin.get_participant(event, participant_id)
    action, message = DECISIONS[decision]
    if ActionForm().validate_on_submit():
        commit_or_flash(lambda: action(participant), str(message) % {"name": participant.name})
    return _back(event.id)


@bp.route("/<int:participant_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int, participant_id: int):
    event = _event(event_id)
    participant = participants_admin.get_participant(event, participant_id)
    form = ProfileForm(obj=participant, event=event)
    if request.method == "GET":
        form.sectors.data = participant.sectors
        form.sessions.data = [s.id for s in participant.sessions]
    if form.validate_on_submit() and commit_or_flash(
        lambda: registration.update_profile(participant=participant, profile=profile_from(form)) or True,
        _("The profile of %(name)s is saved.", name=participant.name),
    ):
        return _back(event.id)
    return render_template("organiser/participant_edit.html", event=event, participant=participant, form=form)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="participant-import")


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_file(event_id: int):
    event = _event(event_id)
    form = ImportForm()
    rows = checked = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            rows = participant_import.read_table(upload.filename or "", upload.read())
        except ServiceError as error:
            flash_error(error)
        else:
            checked = participant_import.check_rows(event, rows)
    return render_template(
        "organiser/participant_import.html", event=event, form=form, checked=checked,
        bad=sum(1 for r in checked or () if r.errors),
        confirm_form=ImportConfirmForm(payload=_serializer().dumps([r.values for r in checked])) if checked else None,
    )


@bp.route("/import/confirm", methods=["POST"])
@login_required
def import_confirm(event_id: int):
    event = _event(event_id)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        flash(_("The preview expired; upload the file again."), "error")
        return redirect(url_for("people.import_file", event_id=event.id))
    try:
        rows = _serializer().loads(form.payload.data, max_age=IMPORT_MAX_AGE)
    except BadSignature:
        flash(_("The preview expired; upload the file again."), "error")
        return redirect(url_for("people.import_file", event_id=event.id))
    imported = commit_or_flash(lambda: participant_import.import_rows(event, rows),
                               lambda n: _("%(n)d participants imported.", n=n))
    if imported is None:
        return render_template("organiser/participant_import.html", event=event, form=ImportForm(),
                               checked=participant_import.check_rows(event, rows), bad=1, confirm_form=None)
    return _back(event.id)


@bp.route("/message", methods=["GET", "POST"])
@login_required
def message(event_id: int):
    event = _event(event_id)
    form = OrganiserMessageForm()
    if form.validate_on_submit() and commit_or_flash(
        lambda: outbox.message_participants(event_id=event.id, subject=form.subject.data.strip(),
                                            body=form.body.data.strip(), country=form.country.data,
                                            organisation_type=form.organisation_type.data),
        lambda n: _("Your message is on its way to %(n)d participants.", n=n),
    ) is not None:
        return _back(event.id)
    return render_template("organiser/message.html", event=event, form=form)
