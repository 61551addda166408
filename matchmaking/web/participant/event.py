"""The public pages: the list of events, an event's page and programme; choosing programme sessions."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models.base import utcnow
from ...services import events as event_service
from ...services import programme, recommendations, registration
from ..forms import ActionForm
from ..helpers import done, valid
from ..ics import ics_response, session_events


def index():
    mine = registration.event_ids_of(current_user) if current_user.is_authenticated else set()
    return render_template("participant/events.html", events=event_service.list_events(), mine=mine)


def accessibility():
    return render_template("pages/accessibility.html")


def event():
    found, me = g.event, g.me
    return render_template(
        "participant/event.html", event=found, participant=me,
        registration_open=found.registration_open(utcnow()),
        slots=event_service.event_slots(found.id),
        can_organise=found.is_organised_by(current_user),
        programme=programme.event_programme(found.id), action_form=ActionForm(),
        chosen=programme.chosen_ids(me) if me else set(),
        recommended=recommendations.recommended_for(me, limit=recommendations.TEASER) if me else [],
    )


def privacy():
    """The event's privacy notice: the organiser's (they are the controller), else the standard text."""
    event = g.event
    return render_template("participant/privacy.html", event=event, me=g.me,
                           organisers=", ".join(sorted(u.name for u in event.organisers)))


def programme_ics():
    """The event's programme, public like the event page."""
    sessions = [(s, g.event) for s in programme.event_programme(g.event.id)]
    return ics_response(session_events(sessions), name=g.event.name, feed=True)


def attend_session(session_id: int, choice: str):
    session = programme.get_session(g.event, session_id)
    valid(ActionForm())
    if choice == "choose":
        programme.choose(participant=g.me, session=session)
        message = _("You attend %(title)s; no meeting will be scheduled for you then.", title=session.title)
    else:
        programme.leave(participant=g.me, session=session)
        message = _("You no longer attend %(title)s.", title=session.title)
    return done(message, url_for("participant.event", _anchor="programme"))
