"""The day itself, for participants: freed slots offered to them, who is free now, walk-in meetings."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _

from ...models import Meeting
from ...models.base import utcnow
from ...services import on_the_day
from ..formatting import event_time
from ..forms import ActionForm
from ..helpers import done, valid
from .forms import MeetNowForm


def now_page():
    """Offers, proposals waiting for an answer, and who is free now and in the next slot; it refreshes itself."""
    event, me, now = g.event, g.me, utcnow()
    current, upcoming = on_the_day.now_and_next(event, now)
    free = [(slot, on_the_day.who_is_free(event=event, slot=slot, viewer=me)) for slot in (current, upcoming) if slot]
    return render_template("participant/now.html", event=event, me=me, offers=on_the_day.offers_for(me, now=now),
                           proposals=on_the_day.proposals_to(me), free=free, form=ActionForm(), now=now)


def meet(participant_id: int):
    form = valid(MeetNowForm())
    result = on_the_day.meet_now(viewer=g.me, other_id=participant_id, slot_id=form.slot_id.data or None)
    return done(_booked(result), url_for("participant.now_page"))


def accept_proposal(request_id: int):
    valid(ActionForm())
    meeting = on_the_day.accept_walk_in(viewer=g.me, request_id=request_id)
    return done(_booked(meeting), url_for("participant.now_page"))


def _booked(result) -> str:
    if isinstance(result, Meeting):
        return _("Booked: %(time)s at %(table)s with %(name)s.", time=_time(result), table=result.table.name,
                 name=result.other(g.me.id).name)
    return _("%(name)s has been asked; the meeting is booked as soon as they accept.", name=result.recipient.name)


def _time(meeting: Meeting) -> str:
    return event_time(meeting.slot.starts_at, g.event.timezone)
