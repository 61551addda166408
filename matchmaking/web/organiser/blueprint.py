"""Every URL of the organiser console, and its one gate.

``/organiser/events/<event_id>/...`` pages load the event and check that the user organises it
once, here (anyone else gets a 404, as if it did not exist); the handlers find it in ``g.event``.
"""
from __future__ import annotations

from flask import Blueprint, g
from flask_login import current_user

from ...extensions import login_manager
from ...services import events as event_service
from ...services.errors import NotFound
from ..helpers import scope_to_event
from . import (
    checkin,
    dashboard,
    event,
    exports,
    jobs,
    look,
    marketplace,
    meetings,
    messages,
    on_the_day,
    outcomes,
    participants,
    privacy,
    programme,
    recommendations,
    schedule,
    setup,
    webhooks,
)

bp = Blueprint("organiser", __name__, url_prefix="/organiser/events/<int:event_id>")
home = Blueprint("organiser_home", __name__, url_prefix="/organiser")


scope_to_event(bp)


@bp.before_request
def _gate():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    g.event = event_service.get_organised_event(current_user, g.event_id)
    return None


@home.before_request
def _organisers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not (current_user.is_organiser or current_user.is_admin):
        raise NotFound()
    return None


def _get(rule: str, view, blueprint: Blueprint = bp) -> None:
    blueprint.add_url_rule(rule, view_func=view, methods=["GET"])


def _post(rule: str, view, blueprint: Blueprint = bp) -> None:
    blueprint.add_url_rule(rule, view_func=view, methods=["POST"])


def _form(rule: str, view, blueprint: Blueprint = bp) -> None:
    """A page with a form posted back to it."""
    blueprint.add_url_rule(rule, view_func=view, methods=["GET", "POST"])


# Events the user organises, and a new one.
_get("/", event.index, home)
_form("/events/new", event.new_event, home)

# Set-up: the event's details, days and meeting sessions, tables, co-organisers.
_get("", setup.setup)
_form("/edit", event.edit_event)
_form("/look", look.look)
_post("/days", setup.add_day)
_post("/days/<int:day_id>/delete", setup.delete_day)
_post("/days/<int:day_id>/sessions", setup.add_session)
_post("/sessions/<int:session_id>/delete", setup.delete_session)
_post("/tables", setup.add_tables)
_form("/tables/<int:table_id>", setup.table)
_post("/tables/<int:table_id>/owner", setup.table_owner)
_post("/tables/<int:table_id>/delete", setup.delete_table)
_post("/organisers", setup.invite_organiser)
_post("/invitations/<int:invitation_id>/revoke", setup.revoke_invitation)

# The programme: plenaries, workshops, study visits (added, edited, removed).
_post("/programme", programme.add_programme)
_form("/programme/<int:session_id>", programme.edit_programme)
_post("/programme/<int:session_id>/delete", programme.delete_programme)

# Participants: approve, reject, deactivate, edit on their behalf, import, write to them.
_get("/participants", participants.participants)
_post("/participants/<int:participant_id>/<any(approve, reject, deactivate, reactivate):decision>",
      participants.decide)
_form("/participants/<int:participant_id>/edit", participants.edit_participant)
_post("/participants/<int:participant_id>/invitation", participants.resend_invitation)
_form("/participants/import", participants.import_participants)
_post("/participants/import/confirm", participants.confirm_import)
_form("/participants/message", messages.message)
_get("/interest", recommendations.interest)
_post("/recommendations/refresh", recommendations.refresh_recommendations)

# Meetings: the list, the grid, one meeting and the organiser's hand changes.
_get("/meetings", meetings.meetings)
_get("/grid", meetings.grid)
_form("/meetings/new", meetings.arrange)
_get("/meetings/<int:meeting_id>", meetings.meeting)
_post("/meetings/<int:meeting_id>/move", meetings.move)
_get("/meetings/<int:meeting_id>/move-check", meetings.move_check)
_post("/meetings/<int:meeting_id>/cancel", meetings.cancel)
_post("/meetings/<int:meeting_id>/attendance", meetings.attendance)

# The marketplace: moderation (hide, show again), the opportunity rule, the categories.
_get("/marketplace", marketplace.marketplace)
_post("/marketplace/settings", marketplace.marketplace_settings)
_post("/marketplace/categories", marketplace.marketplace_categories)
_post("/marketplace/<int:opportunity_id>/<any(hide, unhide):action>", marketplace.moderate_opportunity)

# Check-in on the day: the scan page (camera, photo, search), what a badge's QR code opens, badges.
_get("/checkin", checkin.checkin_page)
_post("/checkin/scan", checkin.scan)
_form("/checkin/<token>", checkin.checkin_person)
_post("/checkin/participants/<int:participant_id>", checkin.check_in_participant)
_post("/checkin/participants/<int:participant_id>/undo", checkin.undo_check_in)
_get("/print/badges", checkin.print_badges)

# The day itself: who is free now, walk-ins booked on the spot, the live table plan for a screen.
_get("/now", on_the_day.now_page)
_post("/now/arrange", on_the_day.arrange_now)
_get("/live-plan", on_the_day.live_plan)

# Scheduling runs: mode, draft, review, publish.
_get("/schedule", schedule.schedule)
_post("/schedule/mode", schedule.scheduling_mode)
_post("/schedule/run", schedule.run_scheduler)
_post("/schedule/runs/<int:run_id>/publish", schedule.publish_run)
_post("/schedule/runs/<int:run_id>/discard", schedule.discard_run)
_post("/schedule/release", schedule.release_pins)

# Background jobs (imports, scheduler runs): the page with the progress bar, and the status it polls.
_get("/jobs/<int:job_id>", jobs.job)
_get("/jobs/<int:job_id>/status", jobs.job_status)

# Figures, downloads and print.
_get("/dashboard", dashboard.dashboard)
_get("/exports", exports.exports_page)
_get("/exports/meetings.<any(csv, xlsx):fmt>", exports.export_meetings)
_get("/exports/participants.<any(csv, xlsx):fmt>", exports.export_participants)
_get("/print/participants", exports.print_participants)
_get("/print/tables", exports.print_tables)

# What the meetings led to: the report, its download, an agreement's printable statement.
_get("/outcomes", outcomes.outcomes_page)
_get("/outcomes.xlsx", outcomes.outcomes_xlsx)
_get("/outcomes/agreements/<int:meeting_id>", outcomes.agreement_statement)

# Personal data: the audit log of organisers' actions on it, and when it is deleted.
_get("/audit", privacy.audit_log)

# Webhooks: endpoints that receive the event's changes, a test event, the delivery log.
_get("/webhooks", webhooks.webhooks)
_post("/webhooks/new", webhooks.add_webhook)
_post("/webhooks/<int:endpoint_id>/delete", webhooks.remove_webhook)
_post("/webhooks/<int:endpoint_id>/test", webhooks.test_webhook)
_post("/webhooks/deliveries/<int:delivery_id>/redeliver", webhooks.redeliver)
