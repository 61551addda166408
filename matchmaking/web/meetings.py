"""Meeting requests, the personal agenda and its .ics download."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models.base import utcnow
from ..services import agenda as agenda_service
from ..services import events as event_service
from ..services import meetings as meeting_service
from ..services import registration
from ..services.errors import ServiceError
from .calendar import ics_response, meeting_events, session_events
from .forms import ActionForm, AttendanceForm, CancelForm, RequestForm
from .helpers import flash_error, my_participation, record_attendance

bp = Blueprint("meetings", __name__, url_prefix="/events/<int:event_id>")


@bp.route("/participants/<int:participant_id>/request", methods=["POST"])
@login_required
def send_request(event_id: int, participant_id: int):
    event, me = my_participation(event_id)
    other = registration.get_participant_in(event, participant_id)
    form = RequestForm()
    target = url_for("events.participant", event_id=event.id, participant_id=other.id)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(target)
    try:
        meeting_service.request_meeting(requester=me, recipient=other, message=form.message.data or "",
                                        online=bool(form.online.data))
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(target)
    db.session.commit()
    flash(_("Your request was sent to %(name)s.", name=other.name), "success")
    return redirect(url_for("meetings.requests", event_id=event.id))


@bp.route("/requests")
@login_required
def requests(event_id: int):
    event, me = my_participation(event_id)
    received, sent = meeting_service.requests_of(me)
    return render_template("meetings/requests.html", event=event, me=me, received=received, sent=sent,
                           action_form=ActionForm())


def _answer(event_id: int, request_id: int, action) -> Response:
    event, me = my_participation(event_id)
    if not ActionForm().validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return redirect(url_for("meetings.requests", event_id=event.id))
    try:
        result = action(me, request_id)
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("meetings.requests", event_id=event.id))
    db.session.commit()
    return result


@bp.route("/requests/<int:request_id>/accept", methods=["POST"])
@login_required
def accept(event_id: int, request_id: int):
    def act(me, rid):
        meeting = meeting_service.accept_request(recipient=me, request_id=rid)
        if meeting.slot_id:
            flash(_("Accepted. The meeting is in your agenda."), "success")
        else:
            flash(_("Accepted, but the meeting could not be scheduled yet; your agenda says why."), "warning")
        return redirect(url_for("meetings.agenda", event_id=event_id))

    return _answer(event_id, request_id, act)


@bp.route("/requests/<int:request_id>/decline", methods=["POST"])
@login_required
def decline(event_id: int, request_id: int):
    def act(me, rid):
        meeting_service.decline_request(recipient=me, request_id=rid)
        flash(_("Request declined."), "success")
        return redirect(url_for("meetings.requests", event_id=event_id))

    return _answer(event_id, request_id, act)


@bp.route("/requests/<int:request_id>/withdraw", methods=["POST"])
@login_required
def withdraw(event_id: int, request_id: int):
    def act(me, rid):
        meeting_service.withdraw_request(requester=me, request_id=rid)
        flash(_("Request withdrawn."), "success")
        return redirect(url_for("meetings.requests", event_id=event_id))

    return _answer(event_id, request_id, act)


@bp.route("/agenda")
@login_required
def agenda(event_id: int):
    event, me = my_participation(event_id)
    scheduled, unscheduled = agenda_service.agenda(me)
    if not event_service.schedule_visible(event):
        return render_template("meetings/agenda_unpublished.html", event=event, me=me,
                               accepted=scheduled + unscheduled)
    return render_template("meetings/agenda.html", event=event, me=me, entries=agenda_service.agenda_entries(me),
                           unscheduled=unscheduled)


@bp.route("/agenda.ics")
@login_required
def agenda_ics(event_id: int):
    event, me = my_participation(event_id)
    entries = agenda_service.agenda_entries(me) if event_service.schedule_visible(event) else []
    vevents = (meeting_events([(e.meeting, me) for e in entries if e.meeting])
               + session_events([(e.session, event) for e in entries if e.session]))
    return ics_response(vevents, name=event.name,
                        filename=f"agenda-event-{event.id}.ics")


@bp.route("/meetings/<int:meeting_id>", methods=["GET", "POST"])
@login_required
def meeting(event_id: int, meeting_id: int):
    event, me = my_participation(event_id)
    found = meeting_service.get_meeting_for(me, meeting_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            meeting_service.cancel_meeting(participant=me, meeting_id=found.id, reason=form.reason.data)
        except ServiceError as error:
            db.session.rollback()
            flash_error(error)
        else:
            db.session.commit()
            flash(_("The meeting is cancelled; %(name)s can see your reason.", name=found.other(me.id).name), "success")
            return redirect(url_for("meetings.agenda", event_id=event.id))
    return render_template("meetings/meeting.html", event=event, me=me, meeting=found, form=form,
                           schedule_visible=event_service.schedule_visible(event),
                           attendance_form=AttendanceForm(value=found.attendance or ""),
                           started=found.slot is not None and found.slot.starts_at <= utcnow())


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["POST"])
@login_required
def attendance(event_id: int, meeting_id: int):
    event, me = my_participation(event_id)
    found = meeting_service.get_meeting_for(me, meeting_id)
    record_attendance(found, current_user, _("Thank you: attendance recorded."))
    return redirect(url_for("meetings.meeting", event_id=event.id, meeting_id=found.id))


@bp.route("/meetings/<int:meeting_id>.ics")
@login_required
def meeting_ics(event_id: int, meeting_id: int):
    event, me = my_participation(event_id)
    found = meeting_service.get_meeting_for(me, meeting_id)
    shown = [(found, me)] if found.slot is not None and event_service.schedule_visible(event) else []
    return ics_response(meeting_events(shown), name=event.name, filename=f"meeting-{found.id}.ics")
