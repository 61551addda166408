"""Check-in on the day: the scan page (camera, photo, search by name), one person's page, badges."""
from __future__ import annotations

from flask import g, jsonify, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...models.base import utcnow
from ...services import checkin
from ...services.errors import ServiceError
from ..formatting import event_time
from ..forms import ActionForm
from ..headers import PERMISSIONS_POLICY_CAMERA
from ..helpers import arg_int, arg_text, done, valid
from ..qr import checkin_url, qr_svg
from .exports import _audited
from .forms import ScanForm


def _progress() -> str:
    done_count, total = checkin.checked_in_count(g.event.id)
    return _("%(done)d of %(total)d participants checked in.", done=done_count, total=total)


def checkin_page():
    text = arg_text("q")
    response = make_response(render_template(
        "organiser/checkin.html", event=g.event, q=text, scan_form=ScanForm(), action_form=ActionForm(),
        found=checkin.find(event=g.event, text=text), progress=_progress()))
    response.headers["Permissions-Policy"] = PERMISSIONS_POLICY_CAMERA
    return response


def _token(code: str) -> str:
    """The token in a scanned code: the last part of the check-in URL, or the code itself."""
    return code.strip().split("?")[0].rstrip("/").rsplit("/", 1)[-1]


def _said(result: checkin.CheckIn) -> str:
    p = result.participant
    if result.already:
        return _("%(name)s was already checked in at %(time)s.", name=p.name,
                 time=event_time(result.checked_in_at, g.event.timezone))
    return _("%(name)s is checked in.", name=p.name)


def scan():
    """The scan page's script posts a decoded code here; the answer is JSON for it to show."""
    form = ScanForm()
    if not form.validate_on_submit():
        return jsonify(ok=False, message=_("This is not a check-in code.")), 400
    participant = checkin.participant_by_token(event=g.event, token=_token(form.code.data))
    try:
        result = checkin.check_in(participant=participant)
    except ServiceError as refusal:
        db.session.rollback()
        return jsonify(ok=False, message=refusal.message), 409
    db.session.commit()
    p = result.participant
    return jsonify(ok=True, already=result.already, message=_said(result), name=p.name,
                   organisation=p.organisation_name, country=p.country,
                   time=event_time(result.checked_in_at, g.event.timezone), progress=_progress())


def checkin_person(token: str):
    """What the QR code opens in a phone's camera app: the person, and a button that checks them in
    (opening the link changes nothing: the button does)."""
    participant = checkin.participant_by_token(event=g.event, token=token)
    form = ActionForm()
    if form.validate_on_submit():
        result = checkin.check_in(participant=participant)
        return done(_said(result), url_for("organiser.checkin_page"), "warning" if result.already else "success")
    return render_template("organiser/checkin_person.html", event=g.event, participant=participant, form=form)


def check_in_participant(participant_id: int):
    """The fallback: a name found by search, checked in with a button."""
    participant = checkin.participant_of_event(event=g.event, participant_id=participant_id)
    valid(ActionForm())
    result = checkin.check_in(participant=participant)
    return done(_said(result), url_for("organiser.checkin_page"), "warning" if result.already else "success")


def undo_check_in(participant_id: int):
    participant = checkin.participant_of_event(event=g.event, participant_id=participant_id)
    valid(ActionForm())
    checkin.undo_check_in(participant=participant)
    return done(_("%(name)s is no longer checked in.", name=participant.name), url_for("organiser.checkin_page"))


def print_badges():
    event = g.event
    only = arg_int("participant", 0) or None
    people = checkin.badge_participants(event=event, participant_id=only)
    _audited(event, current_user, "print: badges", only)
    badges = [(p, qr_svg(checkin_url(p), title=_("Check-in code of %(name)s", name=p.name))) for p in people]
    return render_template("organiser/print_badges.html", event=event, badges=badges, now=utcnow())
