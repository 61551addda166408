"""One meeting: its page, cancelling it with a reason, whether it took place and how it went, its calendar file."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _

from ...models.base import utcnow
from ...services import checkin, contacts, outcomes
from ...services import meetings as meeting_service
from ..forms import AttendanceForm, CancelForm, OutcomeForm
from ..helpers import done, valid
from ..ics import add_links, ics_response, meeting_events


def meeting(meeting_id: int):
    found = meeting_service.get_meeting_for(g.me, meeting_id)
    form = CancelForm()
    if form.validate_on_submit():
        meeting_service.cancel_meeting(participant=g.me, meeting_id=found.id, reason=form.reason.data)
        return done(_("The meeting is cancelled; %(name)s can see your reason.", name=found.other(g.me.id).name),
                    url_for("participant.agenda"))
    now = utcnow()
    schedule_visible = g.event.schedule_visible(now)
    in_calendar = found.slot is not None and schedule_visible and found.cancelled_at is None
    started = found.slot is not None and found.slot.starts_at <= now
    mine = outcomes.outcome_of(found, g.me) if started else None  # asked for once the meeting has begun
    outcome_form = OutcomeForm(full="1", took_place={True: "yes", False: "no"}.get(mine.took_place, "")
                               if mine else "", rating=(mine.rating or "") if mine else "",
                               comment=mine.comment if mine else "")
    return render_template("participant/meeting.html", event=g.event, me=g.me, meeting=found, form=form,
                           outcome_form=outcome_form, outcome=mine,
                           schedule_visible=schedule_visible,
                           calendar_links=add_links(found, g.me) if in_calendar else None,
                           contacts=contacts.partner_contacts(found, g.me),
                           attendance_form=AttendanceForm(value=found.attendance or ""),
                           started=started,
                           late=checkin.not_checked_in([found], event=g.event).get(found.id, []))


def attendance(meeting_id: int):
    """Held or no-show, as this side's word (the meeting's attendance follows both sides')."""
    found = meeting_service.get_meeting_for(g.me, meeting_id)
    form = valid(AttendanceForm())
    outcomes.answer(meeting=found, participant=g.me, took_place={"held": True, "no_show": False}.get(form.value.data))
    return done(_("Thank you: attendance recorded."), url_for("participant.meeting", meeting_id=found.id))


def outcome(meeting_id: int):
    """Whether the meeting took place (one tap from the agenda), and the rating and comment (its page)."""
    found = meeting_service.get_meeting_for(g.me, meeting_id)
    form = valid(OutcomeForm())
    full = form.full.data == "1"
    outcomes.answer(meeting=found, participant=g.me, took_place=form.took_place_value(),
                    rating=form.rating.data if full else None, comment=form.comment.data if full else None)
    back = url_for("participant.meeting", meeting_id=found.id) if full else url_for("participant.agenda")
    return done(_("Thank you: your answer is saved."), back)


def meeting_ics(meeting_id: int):
    found = meeting_service.get_meeting_for(g.me, meeting_id)
    shown = [(found, g.me)] if found.slot is not None and g.event.schedule_visible(utcnow()) else []
    return ics_response(meeting_events(shown), name=g.event.name, filename=f"meeting-{found.id}.ics")
