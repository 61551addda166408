"""The organiser's schedule grid and hand changes: move, arrange, cancel a meeting."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..models.base import utcnow
from ..services import agenda as agenda_service
from ..services import directory, manual_schedule
from ..services import events as event_service
from ..services.grid import schedule_grid
from .formatting import event_datetime, event_time
from .forms import ArrangeForm, AttendanceForm, CancelForm, MoveForm, options
from .helpers import arg_int, commit_or_flash, flash_form_errors
from .labels import unscheduled_reason

bp = Blueprint("grid", __name__, url_prefix="/organiser/events/<int:event_id>")


def _event(event_id: int):
    return event_service.get_organised_event(current_user, event_id)


def _place_choices(event, form) -> None:
    """Slots in local time and tables, for the move and arrange forms."""
    slots = event_service.event_slots(event.id)
    form.slot_id.choices = options(
        [(0, _("First that fits"))] if isinstance(form, ArrangeForm) else []
    ) + options((s.id, f"{event_datetime(s.starts_at, event.timezone, 'EEE d MMM HH:mm')}–"
                       f"{event_time(s.ends_at, event.timezone)}") for s in slots)
    form.table_id.choices = options([(0, _("None (online)") if isinstance(form, MoveForm) else _("Any free table"))]
                                    + [(t.id, t.name) for t in event.tables])




@bp.route("/grid")
@login_required
def overview(event_id: int):
    event = _event(event_id)
    text = request.args.get("q", "")[:200].replace("\x00", "")
    grid = schedule_grid(event_id=event.id, text=text, page=arg_int("page"))
    return render_template("organiser/grid.html", event=event, grid=grid, q=text)


@bp.route("/meetings/<int:meeting_id>")
@login_required
def meeting(event_id: int, meeting_id: int):
    event = _event(event_id)
    found = agenda_service.get_event_meeting(event.id, meeting_id)
    move_form = MoveForm(slot_id=found.slot_id or 0, table_id=found.table_id or 0)
    _place_choices(event, move_form)
    return render_template("organiser/meeting.html", event=event, meeting=found, move_form=move_form,
                           cancel_form=CancelForm(), attendance_form=AttendanceForm(value=found.attendance or ""),
                           started=found.slot is not None and found.slot.starts_at <= utcnow(),
                           reason=unscheduled_reason(found) if not found.slot_id else "")


@bp.route("/meetings/<int:meeting_id>/move", methods=["POST"])
@login_required
def move(event_id: int, meeting_id: int):
    event = _event(event_id)
    found = agenda_service.get_event_meeting(event.id, meeting_id)
    form = MoveForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: manual_schedule.move_meeting(
            event=event, meeting_id=found.id, slot_id=form.slot_id.data, table_id=form.table_id.data or None,
        ), _("Meeting moved and pinned."))
    else:
        flash_form_errors(form)
    return redirect(url_for("grid.meeting", event_id=event.id, meeting_id=found.id))


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["POST"])
@login_required
def cancel(event_id: int, meeting_id: int):
    event = _event(event_id)
    found = agenda_service.get_event_meeting(event.id, meeting_id)
    form = CancelForm()
    if form.validate_on_submit():
        if commit_or_flash(lambda: manual_schedule.cancel_by_organiser(
                event=event, meeting_id=found.id, reason=form.reason.data), _("Meeting cancelled.")):
            return redirect(url_for("grid.overview", event_id=event.id))
    else:
        flash_form_errors(form)
    return redirect(url_for("grid.meeting", event_id=event.id, meeting_id=found.id))


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def arrange(event_id: int):
    event = _event(event_id)
    form = ArrangeForm(slot_id=arg_int("slot", 0), table_id=arg_int("table", 0))
    people = directory.search(event_id=event.id, query=directory.DirectoryQuery(), page_size=100_000).participants
    person_choices = options((p.id, f"{p.organisation_name} ({p.name})") for p in people)
    form.participant_a.choices = form.participant_b.choices = person_choices
    _place_choices(event, form)
    if form.validate_on_submit():
        made = commit_or_flash(lambda: manual_schedule.arrange_meeting(
            event=event, participant_a_id=form.participant_a.data, participant_b_id=form.participant_b.data,
            online=bool(form.online.data), slot_id=form.slot_id.data or None, table_id=form.table_id.data or None,
        ), lambda m: _("Meeting arranged.") if m.slot_id else _("Meeting arranged, but not scheduled: %(why)s",
                                                                 why=unscheduled_reason(m)))
        if made is not None:
            return redirect(url_for("grid.meeting", event_id=event.id, meeting_id=made.id))
    elif form.is_submitted():
        flash_form_errors(form)
    return render_template("organiser/arrange.html", event=event, form=form)
