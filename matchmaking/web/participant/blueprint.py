"""Every URL participants use, and its one gate.

``/events/<event_id>/...`` pages load the event once, here; each URL below says who may see it:
anyone (PUBLIC), a logged-in user (USER: registering), a registered participant (REGISTERED:
their profile, even while awaiting approval) or an approved, active one (ACTIVE: everything
that meets other people). Handlers find ``g.event`` and, past PUBLIC, ``g.me``.
"""
from __future__ import annotations

from flask import Blueprint, g, request
from flask_login import current_user

from ...extensions import login_manager
from ...services import events as event_service
from ...services import registration
from ...services.errors import NotFound
from .. import limits
from ..helpers import NotApproved, scope_to_event
from . import agenda, directory, event, marketplace, media, meetings, on_the_day, profile, recommendations, requests

PUBLIC, USER, REGISTERED, ACTIVE = "public", "user", "registered", "active"

bp = Blueprint("participant", __name__, url_prefix="/events/<int:event_id>")
public = Blueprint("public", __name__)
_access: dict[str, str] = {}


scope_to_event(bp)


@bp.before_request
def _gate():
    need = _access[request.endpoint]
    if need != PUBLIC and not current_user.is_authenticated:
        return login_manager.unauthorized()
    g.event = event_service.get_event(g.event_id)
    g.me = registration.participant_for(current_user, g.event)
    if need in (REGISTERED, ACTIVE) and g.me is None:
        raise NotFound()
    if need == ACTIVE and not g.me.is_active:
        raise NotApproved(g.event, g.me)
    return None


def _url(rule: str, view, access: str = ACTIVE, methods: tuple[str, ...] = ("GET",)) -> None:
    bp.add_url_rule(rule, view_func=view, methods=list(methods))
    _access[f"{bp.name}.{view.__name__}"] = access


POST, FORM = ("POST",), ("GET", "POST")

# Public pages: the list of events, the accessibility statement.
public.add_url_rule("/", view_func=event.index)
public.add_url_rule("/accessibility", view_func=event.accessibility)
# Uploaded pictures by their content's hash, and an event's accent colour as a stylesheet (cached for a year).
public.add_url_rule("/media/<key>", view_func=media.media)
public.add_url_rule("/accent/<colour>.css", view_func=media.accent_css)

# The event: its page and programme (public), choosing programme sessions.
_url("", event.event, PUBLIC)
_url("/programme.ics", event.programme_ics, PUBLIC)
_url("/privacy", event.privacy, PUBLIC)
_url("/programme/<int:session_id>/<any(choose, leave):choice>", event.attend_session, methods=POST)

# Registration and the organisation's profile.
_url("/register", profile.register, USER, FORM)
_url("/profile", profile.profile, REGISTERED, FORM)
_url("/profile/logo", profile.upload_logo, REGISTERED, POST)
_url("/profile/logo/remove", profile.remove_logo, REGISTERED, POST)

# Finding partners.
_url("/participants", directory.directory)
_url("/participants/<int:participant_id>", directory.partner)
_url("/recommendations", recommendations.recommendations)
_url("/recommendations/<int:participant_id>/<any(interested, not_for_me):mark>", recommendations.mark_partner,
     methods=POST)

# The cooperation marketplace: find opportunities, publish and withdraw one's own, request a meeting about one.
_url("/marketplace", marketplace.marketplace)
_url("/marketplace/mine", marketplace.my_opportunities)
_url("/marketplace/new", marketplace.new_opportunity, methods=FORM)
_url("/marketplace/<int:opportunity_id>", marketplace.opportunity)
_url("/marketplace/<int:opportunity_id>/edit", marketplace.edit_opportunity, methods=FORM)
_url("/marketplace/<int:opportunity_id>/withdraw", marketplace.withdraw_opportunity, methods=POST)
_url("/marketplace/<int:opportunity_id>/request", limits.meeting_requests(marketplace.request_about), methods=POST)

# Meeting requests: send, answer (decline with a reason), withdraw, change the message of one still pending.
_url("/participants/<int:participant_id>/request", limits.meeting_requests(requests.send_request), methods=POST)
_url("/requests", requests.requests)
_url("/requests/<int:request_id>/accept", requests.accept, methods=POST)
_url("/requests/<int:request_id>/decline", requests.decline, methods=POST)
_url("/requests/<int:request_id>/withdraw", requests.withdraw, methods=POST)
_url("/requests/<int:request_id>/message", requests.edit_message, methods=FORM)

# The personal agenda and its calendar file; time blocked in it (the owner's alone); the personal check-in code.
_url("/agenda", agenda.agenda)
_url("/agenda.ics", agenda.agenda_ics)
_url("/agenda/blocked", agenda.block_time, methods=POST)
_url("/agenda/blocked/<int:blocked_id>/remove", agenda.unblock_time, methods=POST)
_url("/checkin-code", agenda.checkin_code)

# The day itself: freed slots offered, who is free now, walk-in meetings proposed and accepted.
_url("/now", on_the_day.now_page)
_url("/now/meet/<int:participant_id>", limits.meeting_requests(on_the_day.meet), methods=POST)
_url("/now/proposals/<int:request_id>/accept", on_the_day.accept_proposal, methods=POST)

# One meeting: its page (cancel), attendance, how it went (either side, its own answer), its calendar file.
_url("/meetings/<int:meeting_id>", meetings.meeting, methods=FORM)
_url("/meetings/<int:meeting_id>/attendance", meetings.attendance, methods=POST)
_url("/meetings/<int:meeting_id>/outcome", meetings.outcome, methods=POST)
_url("/meetings/<int:meeting_id>.ics", meetings.meeting_ics)
