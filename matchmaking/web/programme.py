"""The programme: organisers add and remove sessions; participants choose the ones they attend."""
from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..services import events as event_service
from ..services import programme
from .forms import PROGRAMME_TRANSLATIONS, ActionForm, ProgrammeForm, translated_form
from .helpers import commit_or_flash, flash_form_errors, my_participation, other_languages, translations_of

bp = Blueprint("programme", __name__)


@bp.route("/organiser/events/<int:event_id>/programme", methods=["POST"])
@login_required
def add(event_id: int):
    event = event_service.get_organised_event(current_user, event_id)
    form = translated_form(ProgrammeForm, PROGRAMME_TRANSLATIONS, other_languages())()
    if form.validate_on_submit():
        commit_or_flash(lambda: programme.add_session(event=event, details=programme.SessionDetails(
            kind=form.kind.data, title=form.title.data.strip(), day=form.day.data, start=form.start.data,
            end=form.end.data, place=(form.place.data or "").strip(), description=(form.description.data or "").strip(),
            video_url=(form.video_url.data or "").strip(), signup=bool(form.signup.data),
            translations=translations_of(form, PROGRAMME_TRANSLATIONS, other_languages()),
        )), _("Programme session added."))
    else:
        flash_form_errors(form)
    return redirect(url_for("organiser.setup", event_id=event.id, _anchor="programme"))


@bp.route("/organiser/events/<int:event_id>/programme/<int:session_id>/delete", methods=["POST"])
@login_required
def delete(event_id: int, session_id: int):
    event = event_service.get_organised_event(current_user, event_id)
    session = programme.get_session(event, session_id)
    if ActionForm().validate_on_submit():
        commit_or_flash(lambda: programme.delete_session(session=session), _("Programme session removed."))
    return redirect(url_for("organiser.setup", event_id=event.id, _anchor="programme"))


@bp.route("/events/<int:event_id>/programme/<int:session_id>/<any(choose, leave):choice>", methods=["POST"])
@login_required
def attend(event_id: int, session_id: int, choice: str):
    event, me = my_participation(event_id)
    session = programme.get_session(event, session_id)
    if ActionForm().validate_on_submit():
        if choice == "choose":
            commit_or_flash(lambda: programme.choose(participant=me, session=session),
                            _("You attend %(title)s; no meeting will be scheduled for you then.", title=session.title))
        else:
            commit_or_flash(lambda: programme.leave(participant=me, session=session),
                            _("You no longer attend %(title)s.", title=session.title))
    return redirect(url_for("events.show", event_id=event.id, _anchor="programme"))
