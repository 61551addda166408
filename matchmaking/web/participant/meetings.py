"""One meeting: its page, cancelling it with a reason, attendance, its calendar file."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models.base import utcnow
from ...services import checkin, contacts
from ...services import meetings as meeting_service
from ..forms import AttendanceForm, CancelForm
from ..helpers import done, valid
from ..ics import add_links, ics_response, meeting_events


def meeting(meeting_id: int):
    found = meeting_service.get_meeting_for(g.me, meeting_id)
    form = CancelForm()
    if form.validate_on_submit():
        meeting_service.cancel_meeting(participant=g.me, meeting_id=found.id, reason=form.reason.data)
        return done(_("The meeting is cancelled; %(name)s can see your reason.", name=found.other(g.me.id).name),
                    url_for("participant.agenda"))
    schedule_visible = g.event.schedule_visible(utcnow())
    in_calendar = found.slot is not None and schedule_visible and found.cancelled_at is None
    return render_template("participant/meeting.html", event=g.event, me=g.me, meeting=found, form=form,
                           schedule_visible=schedule_visible,
                           calendar_links=add_links(found, g.me) if in_calendar else None,
                           contacts=contacts.partner_contacts(found, g.me),
                           attendance_form=AttendanceForm(value=found.attendance or ""),
                           started=found.slot is not None and found.slot.starts_at <= utcnow(),
                           late=checkin.not_checked_in([found], event=g.event).get(found.id, []))


def attendance(meeting_id: int):
    found = meeting_service.get_meeting_for(g.me, meeting_id)
    form = valid(AttendanceForm())
    meeting_service.mark_attendance(meeting=found, by=current_user, value=form.value.data or None)
    return done(_("Thank you: attendance recorded."), url_for("participant.meeting", meeting_id=found.id))


def meeting_ics(meeting_id: int):
    found = meeting_service.get_meeting_for(g.me, meeting_id)
    shown = [(found, g.me)] if found.slot is not None and g.event.schedule_visible(utcnow()) else []
    return ics_response(meeting_events(shown), name=g.event.name, filename=f"meeting-{found.id}.ics")
