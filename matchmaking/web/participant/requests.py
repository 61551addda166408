"""Meeting requests: send one, answer those received, withdraw those sent."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _

from ...models.meeting import PENDING
from ...services import meetings as meeting_service
from ...services import registration, time_windows
from ...services.errors import NotFound
from ..forms import ActionForm
from ..helpers import done, valid
from .forms import AcceptForm, DeclineForm, MessageForm, RequestForm


def send_request(participant_id: int):
    other = registration.get_participant_in(g.event, participant_id)
    form = valid(RequestForm(event=g.event))
    meeting_service.request_meeting(requester=g.me, recipient=other, message=form.message.data or "",
                                    online=bool(form.online.data), window=form.chosen_window(),
                                    must_meet=form.chosen_must_meet())
    return done(_("Your request was sent to %(name)s.", name=other.name), _requests_page())


def requests():
    received, sent = meeting_service.requests_of(g.me)
    accept_forms = {r.id: _accept_form(r.id, window=time_windows.of_request(r).code)
                    for r in received if r.status == PENDING}
    decline_forms = {r.id: _decline_form(r.id) for r in received if r.status == PENDING}
    return render_template("participant/requests.html", event=g.event, me=g.me, received=received, sent=sent,
                           action_form=ActionForm(), accept_forms=accept_forms, decline_forms=decline_forms)


def _decline_form(request_id: int) -> DeclineForm:
    return DeclineForm(prefix=f"d{request_id}")


def _accept_form(request_id: int, **data) -> AcceptForm:
    """Each pending request's own accept form: the prefix keeps the fields' ids apart on the page."""
    return AcceptForm(prefix=f"r{request_id}", event=g.event, **data)


def accept(request_id: int):
    form = valid(_accept_form(request_id))
    window = form.chosen_window() if form.window.raw_data else None  # not posted: the requester's stands
    meeting = meeting_service.accept_request(recipient=g.me, request_id=request_id, window=window,
                                             must_meet=form.chosen_must_meet())
    if meeting.slot_id:
        return done(_("Accepted. The meeting is in your agenda."), url_for("participant.agenda"))
    return done(_("Accepted, but the meeting could not be scheduled yet; your agenda says why."),
                url_for("participant.agenda"), "warning")


def decline(request_id: int):
    form = valid(_decline_form(request_id))
    meeting_service.decline_request(recipient=g.me, request_id=request_id, reason=form.reason.data or "")
    return done(_("Request declined."), _requests_page())


def edit_message(request_id: int):
    """The message of a request one sent, while it is pending: its own page, the form filled in."""
    found = meeting_service.get_request_for(g.me, request_id)
    if found.requester_id != g.me.id:
        raise NotFound()
    form = MessageForm(obj=found)
    if form.validate_on_submit():
        meeting_service.edit_message(requester=g.me, request_id=found.id, message=form.message.data or "")
        return done(_("Your message to %(name)s is changed.", name=found.recipient.name), _requests_page())
    return render_template("participant/request_message.html", event=g.event, me=g.me, sent=found, form=form)


def withdraw(request_id: int):
    valid(ActionForm())
    meeting_service.withdraw_request(requester=g.me, request_id=request_id)
    return done(_("Request withdrawn."), _requests_page())


def _requests_page() -> str:
    return url_for("participant.requests")
