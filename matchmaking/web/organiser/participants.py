"""Participants: the list, approve, reject, deactivate, edit on their behalf, import from a file."""
from __future__ import annotations

from flask import flash, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...extensions import db
from ...models.base import utcnow
from ...models.participant import PARTICIPANT_STATUSES
from ...services import accounts, background_jobs, directory, participant_import, participants_admin, registration
from ...services.errors import ServiceError
from ..forms import ActionForm, ProfileForm
from ..helpers import arg_int, arg_text, done, valid
from .forms import ImportConfirmForm, ImportForm

DECISIONS = {
    "approve": (participants_admin.approve, _l("%(name)s is approved.")),
    "reject": (participants_admin.reject, _l("%(name)s is rejected.")),
    "deactivate": (participants_admin.deactivate, _l("%(name)s is deactivated; their meetings are cancelled.")),
    "reactivate": (participants_admin.reactivate, _l("%(name)s is active again.")),
}


def participants():
    status = request.args.get("status", "")
    status = status if status in PARTICIPANT_STATUSES else ""
    text = arg_text("q")
    result = directory.search(event_id=g.event.id, page_size=100, query=directory.DirectoryQuery(
        text=text, status=status or None, page=arg_int("page")))
    return render_template("organiser/participants.html", event=g.event, result=result, status=status, q=text,
                           action_form=ActionForm())


def decide(participant_id: int, decision: str):
    participant = registration.get_participant_in(g.event, participant_id)
    action, message = DECISIONS[decision]
    valid(ActionForm())
    action(participant, actor=current_user)
    return done(str(message) % {"name": participant.name}, _list_page())


def edit_participant(participant_id: int):
    participant = registration.get_participant_in(g.event, participant_id)
    form = ProfileForm.of(registration.Profile.of(participant), event=g.event)
    if form.validate_on_submit():
        registration.update_profile(participant=participant, profile=form.profile(), on_behalf_by=current_user)
        return done(_("The profile of %(name)s is saved.", name=participant.name), _list_page())
    return render_template("organiser/participant_edit.html", event=g.event, participant=participant, form=form,
                           action_form=ActionForm())


def resend_invitation(participant_id: int):
    """Mail an imported participant who never set a password the link to set one, again."""
    participant = registration.get_participant_in(g.event, participant_id)
    valid(ActionForm())
    accounts.resend_invitation(participant=participant)
    return done(_("The invitation to %(name)s is sent again.", name=participant.name), _list_page())


def import_participants():
    form = ImportForm()
    checked = confirm_form = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            rows = participant_import.read_table(upload.filename or "", upload.read())
        except ServiceError as error:  # an unreadable file: say so on this page, with the form
            flash(error.message, "error")
        else:
            checked = participant_import.check_rows(g.event, rows)
            if checked and not any(row.errors for row in checked):  # kept on the server until confirmed
                job = background_jobs.enqueue_import(event=g.event, actor=current_user, rows=rows, confirmed=False)
                db.session.commit()
                confirm_form = ImportConfirmForm(job=job.id)
    return render_template(
        "organiser/participant_import.html", event=g.event, form=form, checked=checked,
        bad=sum(1 for r in checked or () if r.errors), confirm_form=confirm_form,
    )


def confirm_import():
    form = valid(ImportConfirmForm())
    job = background_jobs.confirm_import(event=g.event, job_id=form.job.data, now=utcnow())
    return done(_("The import has started; this page shows how far it got."), url_for("organiser.job", job_id=job.id))


def _list_page() -> str:
    return url_for("organiser.participants", status=request.args.get("status", ""))

