"""The personal agenda: meetings and chosen programme sessions, on the page and as a calendar file; the
personal check-in code."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _

from ...models.base import utcnow
from ...services import agenda as agenda_service
from ...services import blocked_time, on_the_day, outcomes
from ..forms import ActionForm, OutcomeForm
from ..helpers import done, valid
from ..ics import ics_response, meeting_events, session_events
from ..qr import checkin_url, qr_svg
from .forms import BlockForm


def agenda():
    event, me = g.event, g.me
    scheduled, unscheduled = agenda_service.agenda(me)
    blocking = {"block_form": BlockForm(event=event), "action_form": ActionForm(),
                "blocks": blocked_time.blocks_of(me)}
    if not event.schedule_visible(utcnow()):
        return render_template("participant/agenda_unpublished.html", event=event, me=me,
                               accepted=scheduled + unscheduled, **blocking)
    entries = agenda_service.agenda_entries(me, scheduled=scheduled, blocks=blocking["blocks"])
    now = utcnow()  # answers are asked for (and looked up) only once a meeting has begun
    started = [e.meeting.id for e in entries if e.meeting and e.meeting.slot and e.meeting.slot.starts_at <= now]
    return render_template("participant/agenda.html", event=event, me=me, entries=entries,
                           unscheduled=unscheduled, offers=on_the_day.offers_for(me),
                           proposals=on_the_day.proposals_to(me), now=now, outcome_form=OutcomeForm(),
                           answers=outcomes.outcomes_of(me, started), **blocking)


def block_time():
    form = valid(BlockForm(event=g.event))
    blocked_time.add(participant=g.me, block=form.block())
    return done(_("The time is blocked: no meeting will be placed in it."), url_for("participant.agenda"))


def unblock_time(blocked_id: int):
    valid(ActionForm())
    blocked_time.remove(participant=g.me, blocked_id=blocked_id)
    return done(_("The time is free again."), url_for("participant.agenda"))


def agenda_ics():
    event, me = g.event, g.me
    entries = agenda_service.agenda_entries(me) if event.schedule_visible(utcnow()) else []
    vevents = (meeting_events([(e.meeting, me) for e in entries if e.meeting])
               + session_events([(e.session, event) for e in entries if e.session]))
    return ics_response(vevents, name=event.name, filename=f"agenda-event-{event.id}.ics")


def checkin_code():
    """The QR code the organisers scan at the entrance (the same as on the printed badge)."""
    me = g.me
    return render_template("participant/checkin_code.html", event=g.event, me=me,
                           qr=qr_svg(checkin_url(me), title=_("Check-in code of %(name)s", name=me.name), scale=6))
